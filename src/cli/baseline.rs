//! `copydesk baseline`: record the current findings as accepted.

use std::io::{self, Write};

use crate::baseline::Baseline;
use crate::config::Resolver;
use crate::engine::{self, CheckOptions};
use crate::fix;
use crate::source::Source;

use super::inputs::{Input, collect_inputs, skipped_note};
use super::output::{io_reason, report_load_errors};
use super::{BaselineArgs, FAILURE, OK};

pub(super) fn baseline_command(
    args: BaselineArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<i32> {
    let resolver = Resolver::new(args.config.choice());
    let opts = CheckOptions {
        headline: args.headline.clone(),
        ..CheckOptions::default()
    };
    let mut walk_errors = Vec::new();
    let mut skipped_links = Vec::new();
    let inputs = collect_inputs(&args.paths, None, &mut walk_errors, &mut skipped_links);
    if let Some(note) = skipped_note(&skipped_links) {
        writeln!(stderr, "{note}")?;
    }
    let mut failed = false;
    for e in &walk_errors {
        writeln!(stderr, "copydesk: error: {e}")?;
        failed = true;
    }
    let mut baseline =
        Baseline::new().relative_to(args.output.parent().unwrap_or(std::path::Path::new("")));
    let mut count = 0;
    for input in inputs {
        let Input::File(p) = input else { continue };
        let settings = match resolver.for_path(Some(&p)) {
            Ok(s) => s,
            Err(errors) => {
                report_load_errors(stderr, &errors)?;
                return Ok(FAILURE);
            }
        };
        if !settings.wants(&p) {
            continue;
        }
        let display = p.display().to_string();
        let mut source = match std::fs::read(&p)
            .map_err(|e| format!("cannot read: {}", io_reason(&e)))
            .and_then(|b| Source::from_bytes(display.clone(), b).map_err(|e| e.to_string()))
        {
            Ok(s) => s,
            Err(e) => {
                writeln!(stderr, "copydesk: error: {display}: {e}")?;
                failed = true;
                continue;
            }
        };
        let findings = engine::check(&mut source, &settings.rules, &opts);
        count += findings.len();
        baseline.add(&source, &findings);
    }
    let json = baseline.to_json();
    let written = if args.output.exists() {
        fix::write_fixed(&args.output, json.as_bytes())
    } else {
        std::fs::write(&args.output, json.as_bytes())
    };
    if let Err(e) = written {
        writeln!(
            stderr,
            "copydesk: error: {}: cannot write: {}",
            args.output.display(),
            io_reason(&e)
        )?;
        return Ok(FAILURE);
    }
    writeln!(
        stdout,
        "recorded {count} finding{} in {}; check with `copydesk check --baseline {}`",
        if count == 1 { "" } else { "s" },
        args.output.display(),
        args.output.display()
    )?;
    Ok(if failed { FAILURE } else { OK })
}
