//! Section 5: the Tesla FSD NPU's MAC array — peak TOPS, and power and area at the table's
//! MAC energies (INT8, FP16 with FP16 accumulation, FP16→FP32, FP32), then the same scaled
//! to the chip's 14 nm, labelled.
//!
//! `cost` sits below `accel`, so the figures come in as plain [`FsdParams`]; the cost report
//! example fills them from `accel::fsd_npu().report_params()`, and a doctest there keeps
//! [`FsdParams::TESLA_FSD`] (the default for callers of this layer alone) equal to the preset.

use super::sections::{
    FP16_ACC_MAC_NAME, FP16_FP32_MAC, FP16_FP32_MAC_NAME, FP32_MAC_NAME, fp_mac, int8_mac, one,
    priced,
};
use super::{Bar, Cell, Chart, Grid, Section};
use crate::Result;
use crate::cost::{CostTable, Flavor, FloatKind, OpKind, Span};

/// A MAC-array accelerator for section 5.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FsdParams {
    /// MAC array rows.
    pub rows: u32,
    /// MAC array columns.
    pub cols: u32,
    /// Clock, GHz.
    pub clock_ghz: f64,
    /// NPUs per chip.
    pub npus: u32,
    /// Operations counted per MAC (multiply and add: 2).
    pub ops_per_mac: u32,
}

impl FsdParams {
    /// Tesla FSD (Hot Chips 2019): 96 × 96 INT8 MACs at 2 GHz, two NPUs per chip.
    pub const TESLA_FSD: Self = Self {
        rows: 96,
        cols: 96,
        clock_ghz: 2.0,
        npus: 2,
        ops_per_mac: 2,
    };
}

/// One MAC type in the FSD array.
#[derive(Clone, Debug, PartialEq)]
pub struct FsdRow {
    /// "INT8 MAC", "FP16 MAC (FP16 acc)", "FP16→FP32 MAC", "FP32 MAC".
    pub mac: String,
    /// Energy per MAC, pJ, at the report table's voltage.
    pub energy_per_mac_pj: Span,
    /// Power of one NPU's array at full rate, W.
    pub power_per_npu_w: Span,
    /// Power of all NPUs, W.
    pub power_chip_w: Span,
    /// Energy efficiency, TOPS/W.
    pub tops_per_w: Span,
    /// Power relative to the INT8 array of the same table.
    pub vs_int8: Span,
    /// Area of one NPU's MAC array, mm² (arithmetic units only).
    pub array_area_mm2: Option<f64>,
    /// The table it was priced with ("Horowitz ... (45 nm, 0.9 V)" or a scaled copy).
    pub table: String,
    /// Node and voltage, and whether they are the table's or scaled ("45 nm, 0.9 V (table)",
    /// "14 nm, 0.8 V (scaled)").
    pub technology: String,
}

/// Section 5's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct FsdFigures {
    /// The parameters.
    pub params: FsdParams,
    /// MACs per NPU.
    pub macs_per_npu: u64,
    /// Peak TOPS per NPU: macs × ops/MAC × clock.
    pub tops_per_npu: f64,
    /// Peak TOPS for the chip.
    pub tops_chip: f64,
    /// INT8, FP16 (FP16 acc), FP16→FP32 and FP32 arrays at the table's node, then (when the
    /// table can be scaled)
    /// the same at 14 nm, labelled scaled.
    pub rows: Vec<FsdRow>,
}

pub(super) fn fsd(table: &CostTable, p: FsdParams) -> Result<FsdFigures> {
    let macs = u64::from(p.rows) * u64::from(p.cols);
    let hz = p.clock_ghz * 1e9;
    let tops = macs as f64 * f64::from(p.ops_per_mac) * hz / 1e12;
    let mut rows = Vec::new();
    let mut add_rows = |t: &CostTable, technology: String| -> Result<()> {
        let units: [(&str, Vec<OpKind>); 4] = [
            ("INT8 MAC", int8_mac(t).0),
            ("FP16 MAC (FP16 acc)", fp_mac(FloatKind::FP16).to_vec()),
            ("FP16→FP32 MAC", FP16_FP32_MAC.to_vec()),
            ("FP32 MAC", fp_mac(FloatKind::FP32).to_vec()),
        ];
        let mut int8_power = None;
        for (name, ops) in units {
            let (e, area) = priced(t, &one(&ops))?;
            let power = e.energy_pj * (macs as f64 * hz * 1e-12);
            let base = *int8_power.get_or_insert(power);
            rows.push(FsdRow {
                mac: name.to_string(),
                energy_per_mac_pj: e.energy_pj,
                power_per_npu_w: power,
                power_chip_w: power * f64::from(p.npus),
                tops_per_w: Span::exact(tops).ratio(power),
                vs_int8: power.ratio(base),
                array_area_mm2: area.map(|a| a * macs as f64 * 1e-6),
                table: t.name().to_string(),
                technology: technology.clone(),
            });
        }
        Ok(())
    };
    let here = match table.price(OpKind::IntMul { bits: 8 }) {
        Ok(p) => format!("{} nm, {} V (table)", p.node_nm, p.voltage_v),
        Err(_) => "table".to_string(),
    };
    add_rows(table, here)?;
    // The FSD chip is 14 nm: the same arrays scaled, labelled, when the table's node allows.
    if let Ok(t14) = table.scaled(FSD_NODE_NM, FSD_VOLTAGE_V, Flavor::HighPerformance) {
        add_rows(
            &t14,
            format!("{FSD_NODE_NM} nm, {FSD_VOLTAGE_V} V (scaled)"),
        )?;
    }
    Ok(FsdFigures {
        params: p,
        macs_per_npu: macs,
        tops_per_npu: tops,
        tops_chip: tops * f64::from(p.npus),
        rows,
    })
}

/// The FSD chip's node (Samsung 14 nm).
const FSD_NODE_NM: f64 = 14.0;
/// Assumed supply for the 14 nm estimate (the node's is not published with the chip).
const FSD_VOLTAGE_V: f64 = 0.8;

pub(super) fn fsd_section(table: &CostTable, f: &FsdFigures) -> Section {
    let p = f.params;
    let mut notes = vec![
        format!(
            "{} x {} = {} MACs per NPU at {} GHz, counted as {} operations per MAC: {} x {} x {} GHz \
             = {} TOPS per NPU, {} TOPS for the chip's {} NPUs.",
            p.rows,
            p.cols,
            f.macs_per_npu,
            p.clock_ghz,
            p.ops_per_mac,
            f.macs_per_npu,
            p.ops_per_mac,
            p.clock_ghz,
            sig_tops(f.tops_per_npu),
            sig_tops(f.tops_chip),
            p.npus
        ),
        format!(
            "Power is the MAC array alone at full rate (no memory, no control): MACs x clock x \
             energy per MAC, with the energy from the table \"{}\". The units: {}; \
             {FP16_ACC_MAC_NAME}; {FP16_FP32_MAC_NAME}, what fsd_npu and docs/accelerator.md \
             price as FP16; {FP32_MAC_NAME}.",
            table.name(),
            int8_mac(table).1
        ),
        "Source: Tesla FSD computer, Hot Chips 2019 (96 x 96 INT8 multipliers, 32-bit accumulators, 2 GHz, two NPUs).".into(),
    ];
    if f.rows.iter().any(|r| r.table != table.name()) {
        notes.push(format!(
            "Rows marked \"scaled\" move the same table to {FSD_NODE_NM} nm at an assumed \
             {FSD_VOLTAGE_V} V with Stillmaker & Baas (2017) factors for high-performance devices: \
             an estimate of the chip's node, not a published figure."
        ));
    } else {
        notes.push(format!(
            "No {FSD_NODE_NM} nm estimate: the table's node or voltage is outside the scaling model."
        ));
    }
    let columns = [
        "MAC array",
        "technology",
        "energy/MAC (pJ)",
        "power per NPU (W)",
        "power, all NPUs (W)",
        "TOPS/W",
        "power vs INT8 (x)",
        "array area per NPU (mm²)",
    ]
    .map(String::from)
    .to_vec();
    let label = |r: &FsdRow| {
        if r.table == table.name() {
            r.mac.clone()
        } else {
            format!("{}, {FSD_NODE_NM} nm (scaled)", r.mac)
        }
    };
    let rows = f
        .rows
        .iter()
        .map(|r| {
            vec![
                Cell::text(label(r)),
                Cell::text(&r.technology),
                Cell::Span(r.energy_per_mac_pj),
                Cell::Span(r.power_per_npu_w),
                Cell::Span(r.power_chip_w),
                Cell::Span(r.tops_per_w),
                Cell::Span(r.vs_int8),
                Cell::opt(r.array_area_mm2),
            ]
        })
        .collect();
    Section {
        id: "fsd",
        title: "5. Tesla FSD NPU: why INT8".into(),
        notes,
        grid: Grid { columns, rows },
        charts: vec![Chart {
            file: "fsd-power.svg".into(),
            title: format!(
                "{}x{} MAC array at {} GHz: power per NPU",
                p.rows, p.cols, p.clock_ghz
            ),
            axis: "power (W, log scale)".into(),
            bars: f
                .rows
                .iter()
                .map(|r| Bar {
                    label: label(r),
                    value: r.power_per_npu_w,
                })
                .collect(),
        }],
    }
}

/// TOPS with 2 decimals where that is how they are quoted (36.86, 73.73).
fn sig_tops(t: f64) -> String {
    format!("{t:.2}")
}
