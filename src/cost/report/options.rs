//! What a report program is asked for: `--table FILE`, `--out DIR`, `--format F`. The
//! examples read their command lines with one parser (`examples/common/cli.rs`, tested by
//! `tests/examples_cli.rs`) and hand these three to the renderer.

use std::path::PathBuf;

use super::Format;
use crate::Result;
use crate::cost::CostTable;

/// The options of a report program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportOptions {
    /// A cost table to load (`.toml` or `.csv`); `None` is the embedded Horowitz 45 nm table.
    pub table: Option<PathBuf>,
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_or_the_named_file() {
        let embedded = ReportOptions {
            table: None,
            out: "x".into(),
            format: Format::Text,
        };
        assert!(embedded.cost_table().is_ok());
        let missing = ReportOptions {
            table: Some("does/not/exist.toml".into()),
            ..embedded
        };
        assert!(missing.cost_table().is_err());
    }
}
