//! The crate's modules form layers that only look down:
//!
//! text utilities -> document -> matching -> check -> kinds -> rules ->
//! engine -> reports and the command line.
//!
//! This test reads every source file, collects the `crate::module` paths
//! its code names (comments and `#[cfg(test)]` code left out: a test may
//! drive a lower layer through a higher one), and fails if a module names
//! one of a higher layer, or if the modules' references form a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each module's layer; a module may name modules of its own layer or lower.
const LAYERS: &[(&str, u32)] = &[
    ("text", 0),
    ("memory", 0),
    ("distance", 0),
    ("narrow", 0),
    ("parallel", 0),
    ("finding", 0),
    ("error", 0),
    ("source", 1),
    ("fix", 1),
    ("names", 1),
    ("document", 2),
    ("fingerprint", 3),
    ("suppress", 3),
    ("matching", 3),
    ("check", 4),
    ("kinds", 5),
    ("rule", 6),
    ("ruleset", 7),
    ("examples", 8),
    ("engine", 8),
    ("config", 8),
    ("baseline", 8),
    ("report", 9),
    ("cli", 10),
    ("lsp", 10),
    ("serve", 10),
    ("lib", 11),
    ("main", 11),
];

fn layer(module: &str) -> Option<u32> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|&(_, l)| l)
}

/// The code of a file without comments and without its test code.
fn code(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") {
            break;
        }
        if t.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("src is readable").flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn lower_layers_never_name_higher_ones() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    files(&src, &mut paths);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut wrong = Vec::new();
    for p in &paths {
        let rel = p.strip_prefix(&src).unwrap();
        let module = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if module == "testing" {
            continue;
        }
        let Some(own) = layer(&module) else {
            panic!(
                "src/{}: module `{module}` has no layer in LAYERS",
                rel.display()
            );
        };
        let text = code(&std::fs::read_to_string(p).unwrap());
        let mut rest = text.as_str();
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name == module || name == "testing" || name.is_empty() {
                continue;
            }
            match layer(&name) {
                Some(l) if l <= own => {
                    graph.entry(module.clone()).or_default().insert(name);
                }
                Some(l) => wrong.push(format!(
                    "src/{} (`{module}`, layer {own}) names `{name}` (layer {l})",
                    rel.display()
                )),
                None => {}
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // No cycle among modules of one layer either.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if done.contains(m) {
            return;
        }
        if let Some(at) = stack.iter().position(|s| s == m) {
            panic!("import cycle: {} -> {m}", stack[at..].join(" -> "));
        }
        stack.push(m.to_string());
        for d in graph.get(m).into_iter().flatten() {
            visit(d, graph, stack, done);
        }
        stack.pop();
        done.insert(m.to_string());
    }
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        visit(m, &graph, &mut Vec::new(), &mut done);
    }
}
