//! Yosys + ABC areas of the report's circuits, measured offline and embedded.
//!
//! ABC runs for minutes on the large multipliers (over 6 minutes on the 32×32 Dadda), so the
//! cost report does not synthesize: `examples/synth_areas.rs -- --bless` runs Yosys + ABC on
//! every [`report_circuit`](super::report_circuits) with a timeout and writes
//! `data/synth_areas.csv`, which is embedded here. `tests/synth_areas.rs` re-synthesizes a
//! few small circuits (feature `hdl-tools`) and checks the stored figures, so the file cannot
//! go stale silently.

use crate::{Error, Result};

/// The embedded `data/synth_areas.csv`.
pub const SYNTH_AREAS_CSV: &str = include_str!("../../../data/synth_areas.csv");

/// The CSV's header line.
pub const SYNTH_AREAS_HEADER: &str =
    "circuit,textbook_area_um2,synth_area_um2,status,yosys_version,script,seconds";

/// One circuit's synthesized area.
#[derive(Clone, Debug, PartialEq)]
pub struct SynthArea {
    /// The circuit (the `Display` of [`ReportCircuit`](super::ReportCircuit)).
    pub circuit: String,
    /// Area of the textbook netlist's cells in the library, µm².
    pub textbook_um2: f64,
    /// Area after synthesis, µm² (`None` when the run did not finish).
    pub synth_um2: Option<f64>,
    /// `ok`, or why there is no area (`timeout after 240 s`).
    pub status: String,
    /// `yosys -V`.
    pub yosys_version: String,
    /// The Yosys commands after `read_verilog` (`L` is the unzipped library).
    pub script: String,
    /// Wall-clock seconds of the run.
    pub seconds: f64,
}

impl SynthArea {
    /// The CSV line (no newline).
    #[must_use]
    pub fn to_csv_line(&self) -> String {
        let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        format!(
            "{},{:.3},{},{},{},{},{:.1}",
            q(&self.circuit),
            self.textbook_um2,
            self.synth_um2.map_or(String::new(), |a| format!("{a:.3}")),
            q(&self.status),
            q(&self.yosys_version),
            q(&self.script),
            self.seconds
        )
    }
}

/// Parses a synthesized-area CSV (the layout of [`SYNTH_AREAS_HEADER`]).
///
/// # Errors
/// [`Error::Table`] with the line for a wrong header, a missing field or a bad number.
///
/// # Examples
///
/// ```
/// use arithsim::cost::report::{SYNTH_AREAS_HEADER, parse_synth_areas};
/// let text = format!("{SYNTH_AREAS_HEADER}\n\"8-bit adder\",40.0,30.5,ok,\"Yosys 0.23\",\"synth\",1.5\n");
/// let rows = parse_synth_areas(&text, "t.csv")?;
/// assert_eq!(rows[0].synth_um2, Some(30.5));
/// assert!(parse_synth_areas("a,b\n", "t.csv").is_err());
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn parse_synth_areas(text: &str, file: &str) -> Result<Vec<SynthArea>> {
    let err = |line: usize, field: &str, reason: String| Error::Table {
        file: file.into(),
        line,
        field: field.into(),
        reason,
    };
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header = r
        .headers()
        .map_err(|e| err(1, "header", e.to_string()))?
        .iter()
        .collect::<Vec<_>>()
        .join(",");
    if header != SYNTH_AREAS_HEADER {
        return Err(err(
            1,
            "header",
            format!("expected {SYNTH_AREAS_HEADER:?}, got {header:?}"),
        ));
    }
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            err(line, "row", e.to_string())
        })?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let num = |i: usize, name: &str| -> Result<f64> {
            let s = rec.get(i).unwrap_or("").trim();
            s.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| err(line, name, format!("not a non-negative number: {s:?}")))
        };
        let synth = match rec.get(2).unwrap_or("").trim() {
            "" => None,
            _ => Some(num(2, "synth_area_um2")?),
        };
        rows.push(SynthArea {
            circuit: rec.get(0).unwrap_or("").to_string(),
            textbook_um2: num(1, "textbook_area_um2")?,
            synth_um2: synth,
            status: rec.get(3).unwrap_or("").to_string(),
            yosys_version: rec.get(4).unwrap_or("").to_string(),
            script: rec.get(5).unwrap_or("").to_string(),
            seconds: num(6, "seconds")?,
        });
    }
    Ok(rows)
}

/// The embedded figures ([`SYNTH_AREAS_CSV`]).
///
/// # Errors
/// As [`parse_synth_areas`] (never for the file shipped with the crate: a test parses it).
pub fn synth_areas() -> Result<Vec<SynthArea>> {
    parse_synth_areas(SYNTH_AREAS_CSV, "data/synth_areas.csv")
}
