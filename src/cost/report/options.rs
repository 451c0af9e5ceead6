//! The command line the report examples share (`cost_report`, `compression_report`):
//! `--table FILE`, `--liberty FILE`, `--out DIR`, `--format text|markdown|csv|json`, `--help`.
//!
//! Parsing lives here, once, so every report reads its options the same way and the parsing
//! is tested with the library.

use std::path::PathBuf;
use std::process::ExitCode;

use super::Format;
use crate::cost::CostTable;
use crate::gates::CellLibrary;
use crate::{Error, Result};

/// The options of a report program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportOptions {
    /// A cost table to load (`.toml` or `.csv`); `None` is the embedded Horowitz 45 nm table.
    pub table: Option<PathBuf>,
    /// A Liberty cell library (`.lib` or `.lib.gz`) for the gate-level figures; `None` is the
    /// embedded NanGate 45 nm table (no NLDM tables: no NLDM delay or energy).
    pub liberty: Option<PathBuf>,
    /// Where the report files and SVG charts go.
    pub out: PathBuf,
    /// What is printed (and also written as `report.<ext>`).
    pub format: Format,
}

impl ReportOptions {
    /// The flags, for a usage line: `usage: NAME` followed by this.
    pub const FLAGS: &'static str =
        "[--table FILE] [--liberty FILE] [--out DIR] [--format text|markdown|csv|json]";

    /// Parses `args` (without the program name). `Ok(None)` means `--help` was asked for.
    ///
    /// ```
    /// use arithsim::cost::report::{Format, ReportOptions};
    /// let args = ["--format".to_string(), "json".to_string()];
    /// let o = ReportOptions::parse(&args, "target/r".into())?.unwrap();
    /// assert_eq!((o.format, o.table, o.out), (Format::Json, None, "target/r".into()));
    /// assert!(ReportOptions::parse(&["--help".into()], "x".into())?.is_none());
    /// assert!(ReportOptions::parse(&["--colour".into()], "x".into()).is_err());
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] for an unknown option or a missing value;
    /// [`Error::InvalidParameter`] for an unknown format.
    pub fn parse(args: &[String], default_out: PathBuf) -> Result<Option<ReportOptions>> {
        let mut o = ReportOptions {
            table: None,
            liberty: None,
            out: default_out,
            format: Format::Text,
        };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let mut value = || {
                it.next().cloned().ok_or_else(|| Error::Parse {
                    input: arg.clone(),
                    reason: "this option needs a value".into(),
                })
            };
            match arg.as_str() {
                "--table" => o.table = Some(PathBuf::from(value()?)),
                "--liberty" => o.liberty = Some(PathBuf::from(value()?)),
                "--out" => o.out = PathBuf::from(value()?),
                "--format" => o.format = value()?.parse()?,
                "-h" | "--help" => return Ok(None),
                other => {
                    return Err(Error::Parse {
                        input: other.to_string(),
                        reason: format!("unknown option; expected {}", Self::FLAGS),
                    });
                }
            }
        }
        Ok(Some(o))
    }

    /// The cost table the options name: the file, or the embedded Horowitz 45 nm table.
    ///
    /// # Errors
    ///
    /// As [`CostTable::load`].
    pub fn cost_table(&self) -> Result<CostTable> {
        match &self.table {
            Some(path) => CostTable::load(path),
            None => Ok(CostTable::horowitz_45nm()),
        }
    }

    /// The cell library the options name: the Liberty file, or the embedded NanGate 45 nm
    /// table.
    ///
    /// # Errors
    ///
    /// As [`CellLibrary::load_liberty`].
    pub fn cell_library(&self) -> Result<CellLibrary> {
        match &self.liberty {
            Some(path) => CellLibrary::load_liberty(path),
            None => Ok(CellLibrary::nangate45()),
        }
    }

    /// A report program's `main`: parses the process arguments, prints the usage line on
    /// `--help` (exit 0) or after a bad option (exit 2), runs `run` and reports its error
    /// (exit 1).
    pub fn main(
        program: &str,
        default_out: PathBuf,
        run: impl FnOnce(&ReportOptions) -> Result<()>,
    ) -> ExitCode {
        let usage = format!("usage: {program} {}", Self::FLAGS);
        let args: Vec<String> = std::env::args().skip(1).collect();
        let options = match Self::parse(&args, default_out) {
            Ok(Some(o)) => o,
            Ok(None) => {
                println!("{usage}");
                return ExitCode::SUCCESS;
            }
            Err(e) => {
                eprintln!("error: {e}\n{usage}");
                return ExitCode::from(2);
            }
        };
        match run(&options) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn every_option_and_every_mistake() {
        let o = ReportOptions::parse(
            &args("--table t.toml --liberty l.lib --out d --format md"),
            "x".into(),
        )
        .unwrap()
        .unwrap();
        assert_eq!(o.table, Some(PathBuf::from("t.toml")));
        assert_eq!(o.liberty, Some(PathBuf::from("l.lib")));
        assert_eq!(o.out, PathBuf::from("d"));
        assert_eq!(o.format, Format::Markdown);
        let d = ReportOptions::parse(&[], "x".into()).unwrap().unwrap();
        assert_eq!(
            (&d.table, &d.out, d.format),
            (&None, &"x".into(), Format::Text)
        );
        assert!(
            ReportOptions::parse(&args("-h"), "x".into())
                .unwrap()
                .is_none()
        );
        for bad in [
            "--out",
            "--format",
            "--table",
            "--liberty",
            "--format pdf",
            "report.md",
        ] {
            assert!(
                ReportOptions::parse(&args(bad), "x".into()).is_err(),
                "{bad}"
            );
        }
        let e = ReportOptions::parse(&args("--out"), "x".into()).unwrap_err();
        assert!(e.to_string().contains("--out"), "{e}");
        assert!(d.cost_table().is_ok());
        let missing = ReportOptions {
            table: Some("does/not/exist.toml".into()),
            ..ReportOptions::parse(&[], "x".into()).unwrap().unwrap()
        };
        assert!(missing.cost_table().is_err());
        assert!(d.cell_library().unwrap().liberty().is_none());
        let no_lib = ReportOptions {
            liberty: Some("does/not/exist.lib".into()),
            ..d.clone()
        };
        assert!(no_lib.cell_library().is_err());
    }
}
