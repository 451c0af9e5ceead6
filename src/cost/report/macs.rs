//! Section 4b: whole MAC units from gate-level circuits (INT8 against FP8, FP16, BF16, FP32),
//! area and energy as ratios to the first (baseline) row.

use super::{Bar, Cell, Chart, Grid, ReportInputs, Section};
use crate::Result;
use crate::cost::{CostTable, GateCost, OpKind, Span, sig};

/// One MAC unit of section 4b: its explicit name (multiply format and accumulator format),
/// and its gate-derived cost on two operand streams.
#[derive(Clone, Debug, PartialEq)]
pub struct MacRow {
    /// The unit, naming its accumulator ("FP16→FP32 MAC").
    pub unit: String,
    /// Cost on uniformly random operands.
    pub random: GateCost,
    /// Cost on neural-network-like operands (small magnitudes, mostly one exponent), if
    /// measured.
    pub nn: Option<GateCost>,
}

/// Builds section 4b from `inputs.mac_rows` (the first row is the baseline every ratio
/// divides by); `None` when there are no rows.
pub(super) fn mac_section(table: &CostTable, inputs: &ReportInputs) -> Result<Option<Section>> {
    let Some(base) = inputs.mac_rows.first() else {
        return Ok(None);
    };
    // Energies are compared at the table's voltage, as in section 4.
    let v = table.price(OpKind::IntMul { bits: 8 })?.voltage_v;
    let lib_v = base.random.voltage_v;
    let base_nn = base.nn.as_ref().map(|c| c.energy_pj_at(v));
    let base_e = base.random.energy_pj_at(v);
    let mut rows = Vec::new();
    let (mut area_bars, mut energy_bars) = (Vec::new(), Vec::new());
    for r in &inputs.mac_rows {
        let c = &r.random;
        let e = c.energy_pj_at(v);
        let nn = r.nn.as_ref().map(|n| n.energy_pj_at(v));
        let area_ratio = c.area_um2 / base.random.area_um2;
        let energy_ratio = e / base_e;
        rows.push(vec![
            Cell::text(&r.unit),
            Cell::Num(c.instances as f64),
            Cell::Num(c.area_um2),
            Cell::Num(area_ratio),
            Cell::Num(c.energy_pj()),
            Cell::Num(e),
            Cell::Num(energy_ratio),
            Cell::opt(nn),
            Cell::opt(nn.zip(base_nn).map(|(x, b)| x / b)),
            Cell::Num(c.delay_ns),
        ]);
        // Absolute bars on a log axis show the ratios as lengths and keep the baseline's bar
        // visible (a ratio chart would start the axis at the baseline's 1); the label carries
        // the ratio.
        area_bars.push(Bar {
            label: format!("{} ({}x)", r.unit, sig(area_ratio)),
            value: Span::exact(c.area_um2),
        });
        energy_bars.push(Bar {
            label: format!("{} ({}x)", r.unit, sig(energy_ratio)),
            value: Span::exact(e),
        });
    }
    let columns = vec![
        "MAC unit".to_string(),
        "library cells".into(),
        "area (µm²)".into(),
        format!("area / {}", base.unit),
        format!("energy random @{lib_v} V (pJ)"),
        format!("energy random @{v} V (pJ)"),
        format!("energy random / {}", base.unit),
        format!("energy NN-like @{v} V (pJ)"),
        format!("energy NN-like / {}", base.unit),
        "delay (ns)".into(),
    ];
    let mut notes = vec![
        format!(
            "Every unit here is a gate-level circuit of arithsim::circuits, mapped to the cell \
             library and simulated clock by clock with its accumulator register; ratios divide \
             by the {} row. Energy is scaled from the library's {lib_v} V to the table's {v} V by \
             (V/V_lib)², which leaves every ratio unchanged.",
            base.unit
        ),
        "Absolute areas and energies depend on the synthesis flow: these are unoptimized \
         textbook netlists (no gate sizing, no logic optimization), so they come out larger than \
         a synthesized design. The ratios between units built the same way are what carry over."
            .into(),
    ];
    notes.extend(inputs.mac_notes.iter().cloned());
    Ok(Some(Section {
        id: "gate-macs",
        title: format!(
            "4b. MAC units from gates: {} against floating point",
            base.unit
        ),
        notes,
        grid: Grid { columns, rows },
        charts: vec![
            Chart {
                file: "macs-area.svg".into(),
                title: format!("MAC area from gates (in brackets: x the {})", base.unit),
                axis: "area (µm², log scale)".into(),
                bars: area_bars,
            },
            Chart {
                file: "macs-energy.svg".into(),
                title: format!(
                    "MAC energy from gates, random operands, at {v} V (in brackets: x the {})",
                    base.unit
                ),
                axis: "energy per MAC (pJ, log scale)".into(),
                bars: energy_bars,
            },
        ],
    }))
}
