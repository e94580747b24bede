//! Embed every rule file under `rules/` into the binary as the default pack.

use std::fmt::Write as _;
use std::path::Path;

include!("src/kinds/name_form/word_table.rs");

/// The lines of a data file that are entries: trimmed, less comment lines
/// (`#`) and blank ones.
fn entries(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut code = String::from("pub static BUILTIN_RULES: &[(&str, &str)] = &[\n");
    for path in files {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            code,
            "    ({stem:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").unwrap();
    let out = Path::new(&out_dir).join("builtin_rules.rs");
    std::fs::write(out, code).unwrap();
    word_tables(&dir.join("data"), Path::new(&out_dir));
}

/// name-form's given-name, place and demonym sets, laid out as open-addressed
/// hash tables (see `src/kinds/name_form/people.rs`), so that a run does not
/// build them at start.
fn word_tables(data: &Path, out_dir: &Path) {
    let read = |name: &str| {
        let path = data.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let (given, given_intl) = (read("given-names.txt"), read("given-names-intl.txt"));
    let (places, places_extra) = (read("places.txt"), read("places-extra.txt"));
    let demonyms = read("demonyms.txt");
    let given: Vec<&str> = entries(&given).chain(entries(&given_intl)).collect();
    let whole: Vec<&str> = entries(&places).chain(entries(&places_extra)).collect();
    let demonyms: Vec<&str> = entries(&demonyms).collect();
    let first: Vec<&str> = whole
        .iter()
        .chain(&demonyms)
        .filter_map(|p| p.split(' ').next())
        .collect();
    let mut code = String::new();
    for (name, words) in [
        ("GIVEN", given),
        ("PLACES_WHOLE", whole),
        ("PLACES_FIRST", first),
        ("DEMONYMS", demonyms),
    ] {
        let mut words: Vec<&str> = words;
        words.sort_unstable();
        words.dedup();
        // At most half full, so that a probe for an absent word meets an
        // empty slot soon.
        let size = (words.len() * 2).next_power_of_two();
        let mut slots = vec![""; size];
        for w in words {
            let mut i = (word_hash(w) as usize) & (size - 1);
            while !slots[i].is_empty() {
                i = (i + 1) & (size - 1);
            }
            slots[i] = w;
        }
        writeln!(
            code,
            "static {name}: WordSet = WordSet {{ slots: &{slots:?} }};"
        )
        .unwrap();
    }
    std::fs::write(out_dir.join("word_tables.rs"), code).unwrap();
}
