//! The cost report: the course's comparisons, every figure computed from a [`CostTable`] at
//! run time, rendered as text, Markdown, CSV or JSON, with SVG charts.
//!
//! [`Report::build`] assembles five sections:
//!
//! 1. the table itself, with its source;
//! 2. the comparisons (8-bit int vs FP32 mult and add, 32-bit int vs FP32 add, FP16 vs FP32,
//!    whole MACs), each ratio computed from the table;
//! 3. memory against compute;
//! 4. gate-derived costs of circuits beside the table (given as [`GateRow`]s, so the caller
//!    chooses the circuits and operand streams; `cost_report` gives integer adders,
//!    multipliers, the INT8 MAC and the FP16/FP32 adders and multipliers);
//! 5. the Tesla FSD NPU headline (TOPS, power and area of the MAC array).
//!
//! When [`ReportInputs::mac_rows`] are given, a section 4b follows section 4: whole MAC units
//! from gate-level circuits (INT8 against FP8, FP16, BF16, FP32), as ratios to the first row.
//! When [`ReportInputs::glitch_rows`] are given, a section 4c follows: glitch-aware energy
//! from the timed simulation beside the zero-delay figure, with the glitch share.
//! When [`ReportInputs::circuit_rows`] are given, sections 4d–4f follow: every circuit once,
//! its textbook area against Yosys + ABC (from the embedded `data/synth_areas.csv`), fixed and
//! NLDM delay with zero-delay and glitch-aware energy, and NLDM energy from uniform and
//! simulated per-net activity (the NLDM figures when the library was loaded from Liberty).
//!
//! # Examples
//!
//! ```
//! use arithsim::cost::CostTable;
//! use arithsim::cost::report::{Report, ReportInputs};
//!
//! let report = Report::build(&CostTable::horowitz_45nm(), &ReportInputs::default())?;
//! let mac = report.comparison("INT8 MAC vs FP32 MAC").unwrap();
//! assert!((mac.energy_ratio.lo - 4.6 / 0.3).abs() < 1e-9); // about 15x
//! assert!((report.fsd.tops_per_npu - 36.864).abs() < 1e-9);
//! assert!(report.render(arithsim::cost::report::Format::Markdown).contains("## 1."));
//! # Ok::<(), arithsim::Error>(())
//! ```

mod chart;
mod circuits;
mod fsd;
mod glitch;
mod liberty;
mod macs;
mod options;
mod per_circuit;
mod render;
mod scatter;
mod sections;
mod synth;

use std::path::{Path, PathBuf};

pub use chart::{BAR_FILL, render_svg};
pub use circuits::{MulArch, ReportCircuit, report_circuits};
pub use fsd::{FsdFigures, FsdParams, FsdRow};
pub use glitch::GlitchRow;
pub use liberty::{LibertyRow, liberty_section};
pub use macs::MacRow;
pub use options::ReportOptions;
pub use per_circuit::CircuitRow;
pub use scatter::{MARK_FILL, PointKind, Scatter, ScatterPoint, render_scatter_svg};
pub use sections::{Comparison, GateRow};
pub use synth::{SYNTH_AREAS_CSV, SYNTH_AREAS_HEADER, SynthArea, parse_synth_areas, synth_areas};

use super::{CostTable, Span};
use crate::gates::StaOptions;
use crate::{Error, Result};

/// One cell of a report grid.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A number (printed with 3 significant digits in text and Markdown, in full in CSV and
    /// JSON).
    Num(f64),
    /// A value or a range.
    Span(Span),
    /// Nothing (no figure).
    Empty,
}

impl Cell {
    /// A text cell.
    #[must_use]
    pub fn text(s: impl Into<String>) -> Self {
        Cell::Text(s.into())
    }

    /// A number cell, or [`Cell::Empty`] for `None`.
    #[must_use]
    pub fn opt(v: Option<f64>) -> Self {
        v.map_or(Cell::Empty, Cell::Num)
    }
}

/// A table of a section: column headers and rows of cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Grid {
    /// Column headers.
    pub columns: Vec<String>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
}

/// One bar of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// The label (the row's name).
    pub label: String,
    /// The value; a range draws to its midpoint with a whisker over the range.
    pub value: Span,
}

/// A log-scale horizontal bar chart, written as SVG.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// File name, without folder (`table-energy.svg`).
    pub file: String,
    /// Title drawn at the top.
    pub title: String,
    /// Axis label (quantity and unit).
    pub axis: String,
    /// Bars, top to bottom.
    pub bars: Vec<Bar>,
}

/// One section of the report.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// Short id (`table`, `comparisons`, `memory`, `gates`, `gate-macs`, `fsd`).
    pub id: &'static str,
    /// Title, numbered.
    pub title: String,
    /// Paragraphs under the title (sources, which voltage, caveats).
    pub notes: Vec<String>,
    /// The section's table.
    pub grid: Grid,
    /// Charts of the grid.
    pub charts: Vec<Chart>,
}

/// What the report needs besides the table.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportInputs {
    /// Gate-derived rows for section 4 (may be empty: the section then says so).
    pub gate_rows: Vec<GateRow>,
    /// Notes for section 4 (which circuits, which stream, anything missing).
    pub gate_notes: Vec<String>,
    /// The accelerator for section 5.
    pub fsd: FsdParams,
    /// Whole MAC units from gate-level circuits for section 4b, the baseline (the INT8 MAC)
    /// first; empty: no section 4b.
    pub mac_rows: Vec<MacRow>,
    /// Notes for section 4b (which circuits, which operand streams).
    pub mac_notes: Vec<String>,
    /// Circuits for section 4c, glitch-aware against zero-delay energy; empty: no section 4c.
    pub glitch_rows: Vec<GlitchRow>,
    /// Notes for section 4c.
    pub glitch_notes: Vec<String>,
    /// Every circuit once, for sections 4d–4f (area against Yosys + ABC; fixed and NLDM
    /// delay, zero-delay and glitch-aware energy; NLDM energy); empty: no such sections.
    pub circuit_rows: Vec<CircuitRow>,
    /// Notes for section 4e (streams, library).
    pub circuit_notes: Vec<String>,
    /// The boundary conditions the rows' NLDM figures were computed with (for the notes).
    pub sta: StaOptions,
}

impl Default for ReportInputs {
    fn default() -> Self {
        Self {
            gate_rows: Vec::new(),
            gate_notes: Vec::new(),
            fsd: FsdParams::TESLA_FSD,
            mac_rows: Vec::new(),
            mac_notes: Vec::new(),
            glitch_rows: Vec::new(),
            glitch_notes: Vec::new(),
            circuit_rows: Vec::new(),
            circuit_notes: Vec::new(),
            sta: StaOptions::default(),
        }
    }
}

/// The whole report: sections for rendering, and the computed figures for checking.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Title.
    pub title: String,
    /// The sections in order (five, and 4b when MAC rows were given).
    pub sections: Vec<Section>,
    /// Section 2's comparisons.
    pub comparisons: Vec<Comparison>,
    /// Section 5's figures.
    pub fsd: FsdFigures,
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Aligned plain text for the terminal.
    Text,
    /// Markdown with tables and chart links.
    Markdown,
    /// CSV in long form: `section,row,column,value`.
    Csv,
    /// JSON.
    Json,
}

impl Format {
    /// The file extension for this format.
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

impl std::fmt::Display for Format {
    /// The name [`FromStr`](std::str::FromStr) reads back: `text`, `markdown`, `csv`, `json`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Csv => "csv",
            Format::Json => "json",
        })
    }
}

impl std::str::FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "text" | "txt" => Ok(Format::Text),
            "markdown" | "md" => Ok(Format::Markdown),
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            _ => Err(crate::names::unknown(
                "report format",
                s,
                &["text", "markdown", "csv", "json"],
            )),
        }
    }
}

impl Report {
    /// Builds the report from `table` (every figure computed from it now).
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] when the table cannot price an operation a section needs
    /// (8-bit and 32-bit int add and mult, FP16 and FP32 add and mult, directly or by a
    /// derivation rule).
    pub fn build(table: &CostTable, inputs: &ReportInputs) -> Result<Report> {
        sections::build(table, inputs)
    }

    /// The comparison with this label (see [`Report::comparisons`]).
    #[must_use]
    pub fn comparison(&self, label: &str) -> Option<&Comparison> {
        self.comparisons.iter().find(|c| c.label == label)
    }

    /// The section with this id.
    #[must_use]
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// The report in `format`.
    #[must_use]
    pub fn render(&self, format: Format) -> String {
        render_sections(&self.title, &self.sections, format)
    }

    /// Writes `report.md`, `report.<ext>` for `format` (when not Markdown) and every chart
    /// as SVG into `dir` (created if missing). Returns the paths written.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] naming the folder or file that could not be created or written;
    /// [`Error::Unsupported`] if a chart cannot be drawn.
    pub fn write(&self, dir: &Path, format: Format) -> Result<Vec<PathBuf>> {
        write_sections(&self.title, &self.sections, dir, format)
    }
}

/// Renders any report — a title and its sections — in `format`, with the renderers of
/// [`Report::render`] (the compression report uses them too).
#[must_use]
pub fn render_sections(title: &str, sections: &[Section], format: Format) -> String {
    match format {
        Format::Text => render::text(title, sections),
        Format::Markdown => render::markdown(title, sections),
        Format::Csv => render::csv(sections),
        Format::Json => render::json(title, sections),
    }
}

/// Writes any report as [`Report::write`] does: `report.md`, `report.<ext>` for `format`
/// (when not Markdown) and every chart as SVG into `dir`. Returns the paths written.
///
/// # Errors
///
/// As [`Report::write`].
pub fn write_sections(
    title: &str,
    sections: &[Section],
    dir: &Path,
    format: Format,
) -> Result<Vec<PathBuf>> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut written = Vec::new();
    let mut put = |name: &str, text: &str| -> Result<()> {
        let p = dir.join(name);
        std::fs::write(&p, text).map_err(io(&p))?;
        written.push(p);
        Ok(())
    };
    put(
        "report.md",
        &render_sections(title, sections, Format::Markdown),
    )?;
    if format != Format::Markdown {
        put(
            &format!("report.{}", format.extension()),
            &render_sections(title, sections, format),
        )?;
    }
    for s in sections {
        for c in &s.charts {
            put(&c.file, &render_svg(c)?)?;
        }
    }
    Ok(written)
}
