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
    writeln!(stdout, "{}", r.id)?;
    writeln!(
        stdout,
        "kind: {}    severity: {}    fixable: {}    from: {}",
        r.kind,
        r.severity,
        if r.check.fixable() { "yes" } else { "no" },
        r.origin
    )?;
    writeln!(stdout, "\nWhy\n{}", indent(&wrap(r.common.why.trim(), 76)))?;
    writeln!(stdout, "\nMessage\n{}", indent(&r.common.message))?;
    let params = r.parameters();
    if !params.is_empty() {
        writeln!(stdout, "\nParameters")?;
        for (i, (param, value)) in params.iter().enumerate() {
            if i > 0 {
                writeln!(stdout)?;
            }
            match value {
                Some(v) => writeln!(stdout, "{}", indent(v))?,
                None => writeln!(stdout, "  {}: not set", param.key)?,
            }
            let what = if param.required {
                format!("{}, required", param.value_type())
            } else {
                param.value_type()
            };
            let doc = format!("{what}: {}", param.doc());
            writeln!(stdout, "{}", indent_by(&wrap(&doc, 72), "    "))?;
        }
    }
    if !r.examples().is_empty() {
        writeln!(stdout, "\nExamples")?;
        for (ex, _) in r.examples() {
            let (label, text) = match (&ex.bad, &ex.good) {
                (Some(b), _) => ("fires on", b),
                (_, Some(g)) => ("silent on", g),
                _ => continue,
            };
            writeln!(stdout, "  {label}:")?;
            writeln!(stdout, "{}", indent_by(text.trim_end(), "    | "))?;
            if let Some(fixed) = &ex.fixed {
                writeln!(stdout, "  after --fix:")?;
                writeln!(stdout, "{}", indent_by(fixed.trim_end(), "    | "))?;
            }
        }
    }
    Ok(OK)
}

fn indent(s: &str) -> String {
    indent_by(s, "  ")
}

fn indent_by(s: &str, prefix: &str) -> String {
    s.lines()
        .map(|l| format!("{prefix}{l}").trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn wrap(s: &str, width: usize) -> String {
    let mut out = String::new();
    for para in s.split("\n\n") {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        let mut line = String::new();
        for w in para.split_whitespace() {
            if !line.is_empty() && line.len() + 1 + w.len() > width {
                out.push_str(&line);
                out.push('\n');
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(w);
        }
        out.push_str(&line);
    }
    out
}
