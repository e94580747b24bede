//! `copydesk rules` (the table of rules) and `copydesk rule ID` (one rule
//! explained).

use std::io::{self, Write};

use super::{ConfigArgs, FAILURE, Format, OK, RulesArgs, settings_here, unknown_rule};

pub(super) fn rules(
    args: RulesArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<i32> {
    let Some(settings) = settings_here(&args.config, stderr)? else {
        return Ok(FAILURE);
    };
    let set = &settings.rules;
    if args.format == Format::Json {
        let items: Vec<_> = set
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id,
                    "kind": r.kind,
                    "severity": r.severity.as_str(),
                    "fixable": r.check.fixable(),
                    "summary": r.summary(),
                    "origin": r.origin,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *stdout, &items)?;
        writeln!(stdout)?;
        return Ok(OK);
    }
    let idw = set.ids().map(str::len).max().unwrap_or(2).max(2);
    let kw = set.iter().map(|r| r.kind.len()).max().unwrap_or(4).max(4);
    writeln!(
        stdout,
        "{:idw$}  {:kw$}  {:8}  {:3}  SUMMARY",
        "ID", "KIND", "SEVERITY", "FIX"
    )?;
    for r in set.iter() {
        writeln!(
            stdout,
            "{:idw$}  {:kw$}  {:8}  {:3}  {}",
            r.id,
            r.kind,
            r.severity.as_str(),
            if r.check.fixable() { "yes" } else { "-" },
            r.summary()
        )?;
    }
    writeln!(
        stdout,
        "\n{} rules. `copydesk rule ID` explains one.",
        set.len()
    )?;
    Ok(OK)
}

pub(super) fn rule(
    id: &str,
    toml: bool,
    config: &ConfigArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<i32> {
    let Some(settings) = settings_here(config, stderr)? else {
        return Ok(FAILURE);
    };
    let Some(r) = settings.rules.get(id) else {
        unknown_rule(stderr, id, settings.rules.ids())?;
        return Ok(FAILURE);
    };
    if toml {
        write!(stdout, "{}", r.file_text)?;
        return Ok(OK);
    }
    write!(stdout, "{}", crate::report::explain::explain(r))?;
    Ok(OK)
}
