//! Section 4c: glitch-aware energy from the timed simulation beside the zero-delay figure, and
//! the glitch share per circuit.

use super::{Bar, Cell, Chart, Grid, ReportInputs, Section};
use crate::cost::{GlitchCost, Span};

/// One circuit of section 4c: its name and its zero-delay and glitch-aware cost on one
/// operand stream ([`glitch_cost_with`](crate::cost::glitch_cost_with) and siblings).
#[derive(Clone, Debug, PartialEq)]
pub struct GlitchRow {
    /// The circuit ("32x32-bit array multiplier").
    pub circuit: String,
    /// Its zero-delay and timed cost.
    pub cost: GlitchCost,
}

/// Builds section 4c from `inputs.glitch_rows`; `None` when there are none.
pub(super) fn glitch_section(inputs: &ReportInputs) -> Option<Section> {
    let first = inputs.glitch_rows.first()?;
    let lib_v = first.cost.timed.voltage_v;
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    for r in &inputs.glitch_rows {
        let c = &r.cost;
        rows.push(vec![
            Cell::text(&r.circuit),
            Cell::Num(c.timed.instances as f64),
            Cell::Num(c.zero_delay.energy_pj()),
            Cell::Num(c.timed.energy_pj()),
            Cell::Num(c.timed.energy_pj() / c.zero_delay.energy_pj()),
            Cell::Num(100.0 * c.glitch_share()),
            Cell::Num(c.zero_delay.toggles_per_op),
            Cell::Num(c.timed.toggles_per_op),
            Cell::Num(c.settle_ns),
            Cell::Num(c.timed.delay_ns),
        ]);
        bars.push(Bar {
            label: r.circuit.clone(),
            value: Span::exact(100.0 * c.glitch_share().max(1e-3)),
        });
    }
    let mut notes = vec![
        format!(
            "Glitch-aware energy: the same circuits and operand streams as above, simulated with \
             each cell's library delay quantized to {} ns units (transport delays: every pulse \
             passes, however narrow), counting every transition including glitches. Zero-delay \
             energy counts only the settled value before and after each operation (the figure of \
             section 4). Both at the library's {lib_v} V. Glitch share = 1 − zero-delay / \
             glitch-aware energy.",
            first.cost.resolution_ns
        ),
        "Transport delays let narrow pulses through that real gates partly filter (inertial \
         delay), and wire delays and slews are not modelled, so the glitch-aware figure is an \
         upper estimate and the zero-delay one a lower bound; docs/cost-model.md gives the model \
         and its limits. Full and half adders are timed as one cell (one delay for both outputs)."
            .into(),
    ];
    notes.extend(inputs.glitch_notes.iter().cloned());
    let columns = vec![
        "circuit".to_string(),
        "library cells".into(),
        format!("energy zero-delay @{lib_v} V (pJ)"),
        format!("energy glitch-aware @{lib_v} V (pJ)"),
        "glitch-aware / zero-delay".into(),
        "glitch share (%)".into(),
        "toggles/op zero-delay".into(),
        "toggles/op glitch-aware".into(),
        "timed settle (ns)".into(),
        "path delay (ns)".into(),
    ];
    Some(Section {
        id: "glitch",
        title: "4c. Glitch-aware energy (timed simulation)".into(),
        notes,
        grid: Grid { columns, rows },
        charts: vec![Chart {
            file: "glitch-share.svg".into(),
            title: "Share of the glitch-aware energy that is glitches".into(),
            axis: "glitch share (%, log scale)".into(),
            bars,
        }],
    })
}
