//! `copydesk rule ID`'s text: a rule explained for a person (the command
//! line prints it; the language server shows it on hover).

use crate::rule::Rule;

/// What `copydesk rule ID` prints: the rule's kind, severity and origin, why
/// it exists, its message, parameters and examples.
pub fn explain(r: &Rule) -> String {
    let mut lines = vec![
        r.id.clone(),
        format!(
            "kind: {}    severity: {}    fixable: {}    from: {}",
            r.kind,
            r.severity,
            if r.check.fixable() { "yes" } else { "no" },
            r.origin
        ),
        format!("\nWhy\n{}", indent(&wrap(r.common.why.trim(), 76))),
        format!("\nMessage\n{}", indent(&r.common.message)),
    ];
    let params = r.parameters();
    if !params.is_empty() {
        lines.push("\nParameters".into());
        for (i, (param, value)) in params.iter().enumerate() {
            if i > 0 {
                lines.push(String::new());
            }
            lines.push(match value {
                Some(v) => indent(v),
                None => format!("  {}: not set", param.key),
            });
            let what = if param.required {
                format!("{}, required", param.value_type())
            } else {
                param.value_type()
            };
            let doc = format!("{what}: {}", param.doc());
            lines.push(indent_by(&wrap(&doc, 72), "    "));
        }
    }
    if !r.examples().is_empty() {
        lines.push("\nExamples".into());
        for (ex, _) in r.examples() {
            let (label, text) = match (&ex.bad, &ex.good) {
                (Some(b), _) => ("fires on", b),
                (_, Some(g)) => ("silent on", g),
                _ => continue,
            };
            lines.push(format!("  {label}:"));
            lines.push(indent_by(text.trim_end(), "    | "));
            if let Some(fixed) = &ex.fixed {
                lines.push("  after --fix:".into());
                lines.push(indent_by(fixed.trim_end(), "    | "));
            }
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
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
