//! Section 4d: the gate-level circuits on a Liberty library: fixed against NLDM delay, and
//! the textbook netlist's area against a Yosys + ABC synthesis of the same function.

use super::{Cell, Grid, Section};

/// One circuit of the Liberty section.
#[derive(Clone, Debug, PartialEq)]
pub struct LibertyRow {
    /// The circuit, as in section 4.
    pub circuit: String,
    /// Library cell instances of the textbook netlist.
    pub instances: usize,
    /// Area of the textbook netlist's cells, µm².
    pub area_um2: f64,
    /// Area after `synth; abc -liberty; stat -liberty` on the same function, µm² (`None`:
    /// not synthesized).
    pub synth_area_um2: Option<f64>,
    /// Critical path with one fixed delay per cell ([`Netlist::timing`]), ns.
    ///
    /// [`Netlist::timing`]: crate::gates::Netlist::timing
    pub fixed_delay_ns: f64,
    /// Critical path from the NLDM tables ([`Netlist::sta`]), ns.
    ///
    /// [`Netlist::sta`]: crate::gates::Netlist::sta
    pub nldm_delay_ns: f64,
}

/// The section: one row per circuit, with the given notes (library, slew and load, commands).
///
/// # Examples
///
/// ```
/// use arithsim::cost::report::{LibertyRow, liberty_section};
///
/// let row = LibertyRow { circuit: "8-bit ripple-carry adder".into(), instances: 8,
///     area_um2: 34.05, synth_area_um2: Some(30.0), fixed_delay_ns: 1.05, nldm_delay_ns: 0.63 };
/// let s = liberty_section(&[row], vec![]);
/// assert_eq!(s.id, "liberty");
/// assert_eq!(s.grid.rows[0].len(), s.grid.columns.len());
/// ```
#[must_use]
pub fn liberty_section(rows: &[LibertyRow], notes: Vec<String>) -> Section {
    let grid_rows = rows
        .iter()
        .map(|r| {
            vec![
                Cell::text(&r.circuit),
                Cell::Num(r.instances as f64),
                Cell::Num(r.area_um2),
                Cell::opt(r.synth_area_um2),
                Cell::opt(r.synth_area_um2.map(|s| r.area_um2 / s)),
                Cell::Num(r.fixed_delay_ns),
                Cell::Num(r.nldm_delay_ns),
                Cell::Num(r.nldm_delay_ns / r.fixed_delay_ns),
            ]
        })
        .collect();
    Section {
        id: "liberty",
        title: "1. On a Liberty library: NLDM delay and synthesized area".into(),
        notes,
        grid: Grid {
            columns: [
                "circuit",
                "library cells",
                "area textbook (µm²)",
                "area Yosys+ABC (µm²)",
                "textbook/synthesized",
                "delay fixed (ns)",
                "delay NLDM (ns)",
                "NLDM/fixed",
            ]
            .map(String::from)
            .to_vec(),
            rows: grid_rows,
        },
        charts: Vec::new(),
    }
}
