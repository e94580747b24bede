//! `short`: `path:line:col: severity[rule] message`, one finding per line
//! (line breaks in a message become spaces).

use std::io::{self, Write};

use super::{FileResult, Reporter, Totals, one_line, position};

#[derive(Default)]
pub struct Short;

impl Reporter for Short {
    fn problem(&mut self, _out: &mut dyn Write, _problem: &super::Problem) -> io::Result<()> {
        Ok(())
    }

    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        for f in &file.findings {
            let p = position(&file.source, &f.span);
            writeln!(
                out,
                "{}:{}:{}: {}[{}] {}",
                file.source.path,
                p.line,
                p.column,
                f.severity,
                f.rule,
                one_line(&f.message)
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, _out: &mut dyn Write, _totals: &Totals) -> io::Result<()> {
        Ok(())
    }
}
