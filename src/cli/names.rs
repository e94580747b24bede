//! `copydesk names`: the names list the rules read here (the built-in list
//! with the newsroom's on top), each entry with the file it comes from.

use std::io::{self, Write};

use clap::Args;

use super::{ConfigArgs, FAILURE, Format, OK, settings_here};
use crate::names::{BUILTIN_SOURCE, Person};

#[derive(Args, Debug)]
pub struct NamesArgs {
    /// Output format: human (a table) or json
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Where an entry is written: `built-in`, or the file and line.
fn from(p: &Person) -> String {
    if &*p.source == BUILTIN_SOURCE {
        BUILTIN_SOURCE.to_string()
    } else {
        format!("{}:{}", p.source, p.line)
    }
}

fn listed(items: &[String]) -> String {
    if items.is_empty() {
        "-".into()
    } else {
        items.join(", ")
    }
}

pub(super) fn names(
    args: NamesArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<i32> {
    let Some(settings) = settings_here(&args.config, stderr)? else {
        return Ok(FAILURE);
    };
    let people = settings.rules.names().people();
    if args.format == Format::Json {
        let items: Vec<_> = people
            .iter()
            .map(|p| {
                let builtin = &*p.source == BUILTIN_SOURCE;
                serde_json::json!({
                    "name": p.name,
                    "variants": p.variants,
                    "titles": p.titles,
                    "surname_alone": p.surname_alone,
                    "source": p.source.as_ref(),
                    "line": (!builtin).then_some(p.line),
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *stdout, &items)?;
        writeln!(stdout)?;
        return Ok(OK);
    }
    let rows: Vec<[String; 5]> = people
        .iter()
        .map(|p| {
            [
                p.name.clone(),
                listed(&p.variants),
                listed(&p.titles),
                if p.surname_alone || p.is_mononym() {
                    "yes"
                } else {
                    "-"
                }
                .into(),
                from(p),
            ]
        })
        .collect();
    let head = ["NAME", "VARIANTS", "TITLES", "ALONE", "FROM"];
    let mut widths = head.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 5]| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == cells.len() {
                out.push_str(cell);
            } else {
                out.push_str(cell);
                out.extend(std::iter::repeat_n(' ', w - cell.chars().count() + 2));
            }
        }
        out
    };
    writeln!(stdout, "{}", line(head))?;
    for row in &rows {
        writeln!(stdout, "{}", line(row.each_ref().map(String::as_str)))?;
    }
    let builtin = people
        .iter()
        .filter(|p| &*p.source == BUILTIN_SOURCE)
        .count();
    writeln!(
        stdout,
        "\n{} people: {builtin} built-in, {} from the newsroom's names list. \
         ALONE: the surname (or the one name) needs no full name.",
        people.len(),
        people.len() - builtin
    )?;
    Ok(OK)
}
