//! The reference of check kinds is made from the registry: the table of
//! kinds in the README's "Writing a rule" and the whole of `docs/kinds.md`
//! come from each kind's `KindSpec` and the doc comments on its
//! `rule_file!` fields. These tests fail when either file differs from what
//! the registry gives; run with `COPYDESK_BLESS=1` to rewrite them (then
//! read the diff before committing).

use std::path::Path;
use std::sync::OnceLock;

use copydesk::check::KindSpec;
use copydesk::kinds::KINDS;
use copydesk::ruleset::RuleSet;

const BEGIN: &str = "<!-- kinds: made by tests/kinds_doc.rs from the registry; \
                     COPYDESK_BLESS=1 cargo test --test kinds_doc rewrites it -->\n";
const END: &str = "<!-- end of kinds -->\n";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The message variables each kind fills in, read from a rule of the kind:
/// a built-in one, or one of the rules under `tests/kinds/`.
fn variables(spec: &KindSpec) -> &'static [&'static str] {
    static BY_KIND: OnceLock<Vec<(&'static str, &'static [&'static str])>> = OnceLock::new();
    let by_kind = BY_KIND.get_or_init(|| {
        let mut set = RuleSet::builtin().expect("built-in rules load");
        set.load_dir(&root().join("tests/kinds"))
            .expect("tests/kinds loads");
        set.iter().map(|r| (r.kind, r.check.variables())).collect()
    });
    by_kind
        .iter()
        .find(|(kind, _)| *kind == spec.name)
        .map(|(_, vars)| *vars)
        .unwrap_or_else(|| {
            panic!(
                "kind `{}` has no rule in rules/ or tests/kinds/: add one (its examples are the kind's tests)",
                spec.name
            )
        })
}

fn code_list<'a>(items: impl Iterator<Item = &'a str>, wrap: (&str, &str)) -> String {
    items
        .map(|s| format!("`{}{s}{}`", wrap.0, wrap.1))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The README's table: one row per kind.
fn readme_table() -> String {
    let mut out = String::from(BEGIN);
    out.push_str("| kind | what it checks | parameters | message variables |\n");
    out.push_str("|---|---|---|---|\n");
    for spec in KINDS {
        out.push_str(&format!(
            "| [`{}`](docs/kinds.md#{}) | {} | {} | {} |\n",
            spec.name,
            spec.name,
            spec.summary,
            code_list(spec.params.iter().map(|p| p.key), ("", "")),
            code_list(variables(spec).iter().copied(), ("{", "}")),
        ));
    }
    out.push_str(END);
    out
}

/// `docs/kinds.md`: every kind with each parameter's type and doc comment.
fn kinds_reference() -> String {
    let mut out = String::from("# Check kinds\n\n");
    out.push_str(BEGIN);
    out.push_str(
        "\nA rule file picks one of these kinds with `kind = \"...\"` and sets its \
         parameters. Every kind also takes the keys common to all rule files \
         (`severity`, `message`, `why`, `summary`, `scope`, `quotes` and the \
         `[[example]]` tables; see \"Writing a rule\" in the README). \
         `copydesk rule ID` shows a rule's parameters with the values it sets.\n",
    );
    for spec in KINDS {
        out.push_str(&format!(
            "\n## {}\n\n{}.\n\n",
            spec.name,
            capitalised(spec.summary)
        ));
        out.push_str(&format!(
            "Message variables: {}.\n\n",
            code_list(variables(spec).iter().copied(), ("{", "}"))
        ));
        for p in spec.params {
            let required = if p.required { ", required" } else { "" };
            let doc = p.doc().replace("\n\n", "\n\n  ");
            out.push_str(&format!(
                "- `{}` ({}{required}): {doc}\n",
                p.key,
                p.value_type()
            ));
        }
    }
    out.push_str(&format!("\n{END}"));
    out
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Compare `want` with the text between the markers of `path` (the whole
/// file with `whole`), or write it there when blessing.
fn compare(path: &Path, want: &str, whole: bool) -> Result<(), String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let (before, got, after) = if whole {
        ("", text.as_str(), "")
    } else {
        let start = text
            .find(BEGIN)
            .ok_or_else(|| format!("{}: no line `{}`", path.display(), BEGIN.trim_end()))?;
        let end = text[start..]
            .find(END)
            .map(|e| start + e + END.len())
            .ok_or_else(|| format!("{}: no line `{}`", path.display(), END.trim_end()))?;
        (&text[..start], &text[start..end], &text[end..])
    };
    if got == want {
        return Ok(());
    }
    if std::env::var_os("COPYDESK_BLESS").is_some() {
        std::fs::write(path, format!("{before}{want}{after}")).unwrap();
        return Ok(());
    }
    Err(format!(
        "{} is not what the registry gives (COPYDESK_BLESS=1 rewrites it)\n=== in the file\n{got}=== from the registry\n{want}",
        path.display()
    ))
}

#[test]
fn every_parameter_is_documented() {
    let mut bare = Vec::new();
    for spec in KINDS {
        for p in spec.params {
            if p.doc().trim().is_empty() {
                bare.push(format!("{}: `{}`", spec.name, p.key));
            }
        }
    }
    assert!(
        bare.is_empty(),
        "parameters with no doc comment on their `rule_file!` field:\n{}",
        bare.join("\n")
    );
}

#[test]
fn readme_table_of_kinds_is_the_registrys() {
    compare(&root().join("README.md"), &readme_table(), false).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn docs_kinds_is_the_registrys() {
    compare(&root().join("docs/kinds.md"), &kinds_reference(), true)
        .unwrap_or_else(|e| panic!("{e}"));
}
