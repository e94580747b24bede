//! `copydesk init`: a commented starter `copydesk.toml` in the current
//! folder and, with `--pre-commit`, the pre-commit hook entry.

use std::io::{self, Write};
use std::path::Path;

use clap::Args;

use crate::config::CONFIG_NAMES;

use super::{FAILURE, OK};

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Replace an existing copydesk.toml
    #[arg(long)]
    pub force: bool,
    /// Also add copydesk's hook to .pre-commit-config.yaml (written when the
    /// file does not exist; otherwise the lines to add are printed)
    #[arg(long)]
    pub pre_commit: bool,
}

/// The starter config. Every setting in it is commented out or the
/// built-in value, so it loads and checks exactly as no config does until
/// the newsroom makes its choices.
pub const STARTER: &str = r#"# copydesk settings for this folder and the folders below it.
# `copydesk rules` lists every rule, `copydesk rule ID` explains one and its
# parameters, and `copydesk rule ID --toml` prints its rule file.

# Which files `copydesk check` reads (globs relative to this file); they
# apply to files named on the command line too.
# include = ["stories/**"]
# exclude = ["stories/archive/**"]

# The newsroom's own rules: a folder of rule files, one TOML file per rule,
# the file name being the rule id (the same id replaces a built-in rule).
# `copydesk test` runs their examples.
# rule-dirs = ["style"]

# The newsroom's names list: the people it writes about, spelled and
# titled its way (`copydesk names` shows the list in use). Not in a rule
# folder, where every .toml file is a rule.
# names = "names.toml"

[rules]
# Severities: "error", "warning", "note" or "off". A run fails on errors
# (`copydesk check --fail-on warning` fails on warnings too).
# unsourced-figure = "off"
# doubled-word = "warning"
# month-abbreviation = "warning"       # AP month abbreviations, off unless chosen

# How people are named after the full name: "surname" (wire style,
# "Okafor"), "honorific" ("Ms Okafor") or "consistent" (whatever the story
# does first for a person, throughout; the built-in choice).
[rules.name-form]
# policy = "surname"
# honorifics.extend = ["Dame"]         # add to a list; `honorifics = [...]` replaces it

# Headline case: both rules are off; switch on the house's.
[rules.headline-sentence-case]
# severity = "warning"
[rules.headline-title-case]
# severity = "warning"

# The house limit for a headline, in characters (built in: 90).
[rules.headline-length]
# max = 70

# The house's own stock phrases, on top of the built-in list.
[rules.cliche]
# tokens.extend = ["game changer"]
"#;

/// The hook entry, as `.pre-commit-config.yaml` takes it.
pub const PRE_COMMIT: &str = "repos:
  - repo: URL-OF-COPYDESK      # where the copydesk repository is hosted
    rev: TAG-OR-COMMIT-SHA     # a release tag, or a commit's full sha (`git ls-remote URL HEAD`)
    hooks:
      - id: copydesk
";

pub(super) fn init(
    args: InitArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<i32> {
    let target = Path::new(CONFIG_NAMES[0]);
    if !args.force
        && let Some(existing) = CONFIG_NAMES.iter().find(|n| Path::new(n).exists())
    {
        writeln!(
            stderr,
            "copydesk: error: {existing} already exists here; `copydesk init --force` replaces it with the starter config"
        )?;
        return Ok(FAILURE);
    }
    if let Err(e) = std::fs::write(target, STARTER) {
        writeln!(
            stderr,
            "copydesk: error: cannot write {}: {e}",
            target.display()
        )?;
        return Ok(FAILURE);
    }
    writeln!(
        stdout,
        "wrote {}: every setting in it is commented out; uncomment and edit the house's choices",
        target.display()
    )?;
    if args.pre_commit {
        let hooks = Path::new(".pre-commit-config.yaml");
        if hooks.exists() {
            writeln!(
                stdout,
                "\n{} exists and is left as it is; add copydesk's hook to its `repos`:\n\n{}",
                hooks.display(),
                PRE_COMMIT
                    .lines()
                    .skip(1)
                    .map(|l| format!("{l}\n"))
                    .collect::<String>()
            )?;
        } else {
            if let Err(e) = std::fs::write(hooks, PRE_COMMIT) {
                writeln!(
                    stderr,
                    "copydesk: error: cannot write {}: {e}",
                    hooks.display()
                )?;
                return Ok(FAILURE);
            }
            writeln!(
                stdout,
                "wrote {}: set `repo` and `rev` (a tag, or a commit's full sha) before `pre-commit install`",
                hooks.display()
            )?;
        }
    }
    Ok(OK)
}

#[cfg(test)]
mod tests {
    use super::STARTER;

    /// The starter as a newsroom makes it its own: every commented-out
    /// setting switched on (the folders and names file they name made).
    fn uncommented() -> String {
        STARTER
            .lines()
            .map(|line| {
                let setting = line.strip_prefix("# ").filter(|rest| {
                    rest.split_once(" = ")
                        .is_some_and(|(key, _)| !key.is_empty() && !key.contains(' '))
                });
                format!("{}\n", setting.unwrap_or(line))
            })
            .collect()
    }

    #[test]
    fn the_starter_loads_as_written_and_with_every_setting_on() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("copydesk.toml");
        std::fs::write(&config, STARTER).unwrap();
        let plain = crate::config::Settings::load(&config, false).expect("the starter loads");
        let builtin = crate::config::Settings::builtin(false).unwrap();
        for rule in builtin.rules.iter() {
            let same = plain.rules.get(&rule.id).unwrap();
            assert_eq!(same.text, rule.text, "{} is left as built in", rule.id);
            assert_eq!(same.severity, rule.severity, "{}", rule.id);
        }

        let full = uncommented();
        assert!(full.contains("\npolicy = \"surname\"\n"), "{full}");
        std::fs::create_dir(dir.path().join("style")).unwrap();
        std::fs::write(
            dir.path().join("names.toml"),
            "[[person]]\nname = \"Grace Okafor\"\n",
        )
        .unwrap();
        std::fs::write(&config, &full).unwrap();
        let on = match crate::config::Settings::load(&config, false) {
            Ok(s) => s,
            Err(e) => panic!(
                "{}",
                e.iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        };
        let max = on.rules.get("headline-length").unwrap().parameters();
        assert!(
            max.iter()
                .any(|(p, v)| p.key == "max" && v.as_deref() == Some("max = 70"))
        );
        assert_eq!(
            on.rules.get("unsourced-figure").unwrap().severity,
            crate::finding::Severity::Off
        );
    }
}
