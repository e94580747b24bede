//! Where a `check` run's reports go: `--format FORMAT[=PATH]` given once or
//! more, and `--output-file`. The run checks once; each report is fed the
//! same findings in the same order. A report meant for a file is written to
//! a temporary file beside it and renamed over it when the run ends, so a
//! run that fails part way never leaves half a report under its name.

use std::ffi::OsStr;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use clap::builder::{EnumValueParser, PossibleValue, TypedValueParser};

use super::Format;
use super::output::io_reason;

/// One `--format` value: a format, and the file it goes to (none: standard
/// output, or --output-file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatSpec {
    pub format: Format,
    pub path: Option<PathBuf>,
}

/// Parses `FORMAT` or `FORMAT=PATH`; the format's name is checked (and
/// listed in help and completions) as clap checks any value of [`Format`].
#[derive(Clone, Copy, Debug)]
pub struct FormatSpecParser;

impl TypedValueParser for FormatSpecParser {
    type Value = FormatSpec;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<FormatSpec, clap::Error> {
        let bytes = value.as_encoded_bytes();
        let (name, path) = match bytes.iter().position(|&b| b == b'=') {
            None => (value.to_os_string(), None),
            Some(i) => (
                String::from_utf8_lossy(&bytes[..i]).into_owned().into(),
                Some(path_from_bytes(&bytes[i + 1..])),
            ),
        };
        let name: &OsStr = &name;
        let format = EnumValueParser::<Format>::new().parse_ref(cmd, arg, name)?;
        let path = match path {
            None => None,
            Some(p) if p.as_os_str().is_empty() => {
                let mut e = clap::Error::raw(
                    clap::error::ErrorKind::InvalidValue,
                    format!(
                        "invalid value '{}' for '--format <FORMAT[=PATH]>': a path must follow \
                         '='\n",
                        value.to_string_lossy()
                    ),
                );
                e = e.with_cmd(cmd);
                return Err(e);
            }
            Some(p) => Some(p),
        };
        Ok(FormatSpec { format, path })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            Format::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
}

/// The path after `=` in a `--format` value (bytes of an `OsStr`).
#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// Where one report goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Dest {
    /// Standard output (standard error when it carries --fix's text).
    Main,
    File(PathBuf),
}

/// The reports a run writes: exactly one goes to standard output or
/// --output-file (the `main` one, first), the others each to a file of
/// their own.
#[derive(Debug)]
pub(super) struct Plan {
    pub(super) reports: Vec<(Format, Dest)>,
}

impl Plan {
    /// The reports `--format` and `--output-file` ask for, or the usage
    /// error that they make.
    pub(super) fn new(specs: &[FormatSpec], output_file: Option<&Path>) -> Result<Plan, String> {
        let mut main: Option<Format> = None;
        let mut reports = Vec::new();
        for spec in specs {
            match &spec.path {
                None => {
                    if let Some(first) = main {
                        return Err(format!(
                            "--format {} and --format {} both have no path, and only one report \
                             can go to {}; give the other one a file: --format {}=PATH",
                            name(first),
                            name(spec.format),
                            if output_file.is_some() {
                                "--output-file"
                            } else {
                                "standard output"
                            },
                            name(spec.format)
                        ));
                    }
                    main = Some(spec.format);
                }
                Some(p) => reports.push((spec.format, Dest::File(p.clone()))),
            }
        }
        let main_dest = match output_file {
            Some(p) => Dest::File(p.to_path_buf()),
            None => Dest::Main,
        };
        reports.insert(0, (main.unwrap_or(Format::Human), main_dest));
        let mut seen: Vec<(PathBuf, &Path, Format)> = Vec::new();
        for (format, dest) in &reports {
            let Dest::File(p) = dest else { continue };
            let key = same_file_key(p);
            if let Some((_, first, other)) = seen.iter().find(|(k, _, _)| *k == key) {
                return Err(format!(
                    "two reports would go to the same file, {} ({}) and {} ({}); give each \
                     its own file",
                    first.display(),
                    name(*other),
                    p.display(),
                    name(*format)
                ));
            }
            seen.push((key, p, *format));
        }
        Ok(Plan { reports })
    }

    /// The format of the report on standard output (or --output-file).
    pub(super) fn main_format(&self) -> Format {
        self.reports[0].0
    }

    /// Whether any report writes to a file.
    pub(super) fn any_file(&self) -> bool {
        self.reports.iter().any(|(_, d)| matches!(d, Dest::File(_)))
    }

    pub(super) fn any(&self, format: Format) -> bool {
        self.reports.iter().any(|(f, _)| *f == format)
    }
}

/// A format's name as the command line spells it.
fn name(f: Format) -> String {
    f.to_possible_value()
        .map_or_else(|| format!("{f:?}"), |v| v.get_name().to_string())
}

/// A path made absolute and with `.` and `..` resolved as far as the
/// folders exist, so two spellings of one file compare equal.
fn same_file_key(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    if let (Some(dir), Some(file)) = (abs.parent(), abs.file_name())
        && let Ok(dir) = std::fs::canonicalize(dir)
    {
        return dir.join(file);
    }
    crate::baseline::absolute(p)
}

/// A report being written to a file: a temporary file in the same folder,
/// renamed over the path by [`ReportFile::keep`]. Dropped without `keep`
/// (a run that fails), it is deleted and the path is left as it was.
pub(super) struct ReportFile {
    path: PathBuf,
    tmp: BufWriter<tempfile::NamedTempFile>,
}

impl ReportFile {
    /// Start the report for `path`, or say why it cannot be written.
    pub(super) fn create(path: &Path) -> Result<ReportFile, String> {
        let fail = |reason: String| {
            format!(
                "{}: cannot write the report there: {reason}",
                path.display()
            )
        };
        if path.is_dir() {
            return Err(fail("it is a folder".into()));
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            return Err(fail(format!("no folder {}", dir.display())));
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "report".into());
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".copydesk");
        // A report is an ordinary file: readable as the umask allows, not
        // only by its owner as a temporary file is made.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let tmp = builder.tempfile_in(dir).map_err(|e| fail(io_reason(&e)))?;
        Ok(ReportFile {
            path: path.to_path_buf(),
            tmp: BufWriter::new(tmp),
        })
    }

    pub(super) fn writer(&mut self) -> &mut dyn Write {
        &mut self.tmp
    }

    /// Put the finished report in place under its path.
    pub(super) fn keep(self) -> Result<(), String> {
        let path = self.path;
        let fail = |e: &io::Error| {
            format!(
                "{}: cannot write the report there: {}",
                path.display(),
                io_reason(e)
            )
        };
        let tmp = self.tmp.into_inner().map_err(|e| fail(e.error()))?;
        tmp.persist(&path).map_err(|e| fail(&e.error))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(format: Format, path: Option<&str>) -> FormatSpec {
        FormatSpec {
            format,
            path: path.map(PathBuf::from),
        }
    }

    #[test]
    fn the_report_without_a_path_is_the_main_one_and_human_by_default() {
        let plan = Plan::new(&[spec(Format::Sarif, Some("a.sarif"))], None).unwrap();
        assert_eq!(
            plan.reports,
            vec![
                (Format::Human, Dest::Main),
                (Format::Sarif, Dest::File("a.sarif".into()))
            ]
        );
        let plan = Plan::new(
            &[
                spec(Format::Json, Some("a.json")),
                spec(Format::Short, None),
            ],
            Some(Path::new("out.txt")),
        )
        .unwrap();
        assert_eq!(plan.main_format(), Format::Short);
        assert_eq!(plan.reports[0].1, Dest::File("out.txt".into()));
    }

    #[test]
    fn two_reports_for_one_place_are_refused() {
        let e = Plan::new(
            &[spec(Format::Human, None), spec(Format::Short, None)],
            None,
        )
        .unwrap_err();
        assert!(
            e.contains("only one report can go to standard output"),
            "{e}"
        );
        let e = Plan::new(
            &[
                spec(Format::Json, Some("r.json")),
                spec(Format::Sarif, Some("./x/../r.json")),
            ],
            None,
        )
        .unwrap_err();
        assert!(e.contains("same file"), "{e}");
        let e = Plan::new(&[spec(Format::Sarif, Some("r"))], Some(Path::new("./r"))).unwrap_err();
        assert!(e.contains("same file"), "{e}");
    }
}
