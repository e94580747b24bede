//! `copydesk test`: run the examples in rule files.

use std::io::{self, Write};
use std::path::Path;

use crate::examples;
use crate::ruleset::RuleSet;

use super::output::report_load_errors;
use super::{ConfigArgs, FAILURE, FINDINGS, OK, settings_here};

pub(super) fn test(
    dir: Option<&Path>,
    config: &ConfigArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<i32> {
    let set = match dir {
        Some(d) => {
            let mut set = RuleSet::default();
            if let Err(errors) = set.load_dir(d) {
                report_load_errors(stderr, &errors)?;
                return Ok(FAILURE);
            }
            set
        }
        None => match settings_here(config, stderr)? {
            Some(s) => s.rules.clone(),
            None => return Ok(FAILURE),
        },
    };
    let (mut passed, mut failed) = (0, 0);
    for r in set.iter() {
        let failures = examples::check_rule(r);
        let total = r.examples().len();
        failed += failures.len();
        passed += total - failures.len().min(total);
        for f in failures {
            writeln!(stdout, "{}:{}: {}: {}", f.origin, f.line, f.rule, f.message)?;
        }
    }
    writeln!(stdout, "examples: {passed} passed, {failed} failed")?;
    if passed + failed == 0 {
        // Nothing tested is not a pass: a wrong folder, or rules whose
        // examples were never written.
        writeln!(stderr, "copydesk: error: no rule examples found")?;
        return Ok(FINDINGS);
    }
    Ok(if failed > 0 { FINDINGS } else { OK })
}
