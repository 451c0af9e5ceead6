//! What a report program is asked for: `--table FILE`, `--liberty FILE`, `--out DIR`,
//! `--format F`. The examples read their command lines with one parser
//! (`examples/common/cli.rs`, tested by `tests/examples_cli.rs`) and hand these to the
//! renderer.

use std::path::PathBuf;

use super::Format;
use crate::Result;
use crate::cost::CostTable;
use crate::gates::CellLibrary;

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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_or_the_named_file() {
        let embedded = ReportOptions {
            table: None,
            liberty: None,
            out: "x".into(),
            format: Format::Text,
        };
        assert!(embedded.cost_table().is_ok());
        assert!(embedded.cell_library().unwrap().liberty().is_none());
        let missing = ReportOptions {
            table: Some("does/not/exist.toml".into()),
            ..embedded.clone()
        };
        assert!(missing.cost_table().is_err());
        let no_lib = ReportOptions {
            liberty: Some("does/not/exist.lib".into()),
            ..embedded
        };
        assert!(no_lib.cell_library().is_err());
    }
}
