//! The five sections of the report, each computed from the table at run time.

use super::{Bar, Cell, Chart, Grid, Report, ReportInputs, Section};
use crate::Result;
use crate::cost::{CostTable, Estimate, FloatKind, GateCost, MemLevel, OpKind, Span, Tally, sig};

/// One gate-level circuit for section 4: its name, the table operation it implements, and
/// its gate-derived cost.
#[derive(Clone, Debug, PartialEq)]
pub struct GateRow {
    /// The circuit ("8-bit ripple-carry adder, carry-in 0").
    pub circuit: String,
    /// The table operation it is compared with.
    pub op: OpKind,
    /// Its gate-derived cost.
    pub cost: GateCost,
}

/// One comparison of section 2: a cheaper and a costlier operation (or unit), priced by the
/// table, and the ratios costlier / cheaper.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// "8-bit int mult vs FP32 mult".
    pub label: String,
    /// The cheaper side's name.
    pub cheap: String,
    /// The costlier side's name.
    pub costly: String,
    /// Cheaper side's energy per operation, pJ, at the table's voltage.
    pub cheap_energy_pj: Span,
    /// Costlier side's energy per operation, pJ, at the table's voltage.
    pub costly_energy_pj: Span,
    /// `costly / cheap` energy.
    pub energy_ratio: Span,
    /// Cheaper side's area, µm² (when the table has areas for all its parts).
    pub cheap_area_um2: Option<f64>,
    /// Costlier side's area, µm².
    pub costly_area_um2: Option<f64>,
    /// `costly / cheap` area.
    pub area_ratio: Option<f64>,
    /// Whether a derivation rule supplied some price.
    pub derived: bool,
}

pub(super) fn one(ops: &[OpKind]) -> Tally {
    ops.iter().map(|&o| (o, 1)).collect()
}

/// The INT8 MAC's operation.
pub(super) const INT8_MAC_OP: OpKind = OpKind::IntMac {
    mul_bits: 8,
    acc_bits: 32,
};

/// The INT8 MAC as the report prices it, by the rule of [`CostTable::price`]: the table's
/// "8-bit int MAC, 32-bit acc" row when it has one, else an 8-bit mult and a 32-bit add
/// (listed as two table rows, so the breakdown shows them), with the name that says which.
pub(super) fn int8_mac(table: &CostTable) -> (Vec<OpKind>, &'static str) {
    if table.row(INT8_MAC_OP).is_some() {
        (vec![INT8_MAC_OP], INT8_MAC_ROW_NAME)
    } else {
        (
            vec![OpKind::IntMul { bits: 8 }, OpKind::IntAdd { bits: 32 }],
            INT8_MAC_NAME,
        )
    }
}

/// One sentence saying which rule priced the INT8 MAC (the same rule as
/// [`CostTable::price`] of [`INT8_MAC_OP`]).
pub(super) fn int8_mac_rule(table: &CostTable) -> String {
    match table.row(INT8_MAC_OP) {
        Some(r) => format!(
            "The INT8 MAC is priced by the table's own \"{INT8_MAC_OP}\" row ({}), as \
             CostTable::price prices it; the floating-point MACs as multiply plus add.",
            r.source
        ),
        None => format!(
            "A MAC is priced as its multiply plus its add: the table has no \"{INT8_MAC_OP}\" \
             row, so the INT8 MAC is an 8-bit mult + a 32-bit add, as CostTable::price prices it \
             (the rule \"MAC = mult + add\")."
        ),
    }
}

pub(super) fn fp_mac(f: FloatKind) -> [OpKind; 2] {
    [OpKind::FpMul { format: f }, OpKind::FpAdd { format: f }]
}

/// FP16 × FP16 → FP32: an FP16 multiply and an FP32 add, the MAC of tensor cores and of
/// `accel::MacArithmetic::FP16_FP32`. Not the same unit as the FP16-accumulating MAC.
pub(super) const FP16_FP32_MAC: [OpKind; 2] = [
    OpKind::FpMul {
        format: FloatKind::FP16,
    },
    OpKind::FpAdd {
        format: FloatKind::FP32,
    },
];

/// The MAC names every report uses, one meaning each.
pub(super) const INT8_MAC_NAME: &str = "INT8 MAC (8-bit mult + 32-bit add)";
/// The INT8 MAC priced by a table row of its own.
pub(super) const INT8_MAC_ROW_NAME: &str = "INT8 MAC (table row: 8-bit int MAC, 32-bit acc)";
/// FP16 mult + FP16 add.
pub(super) const FP16_ACC_MAC_NAME: &str = "FP16 MAC (FP16 acc: FP16 mult + FP16 add)";
/// FP16 mult + FP32 add.
pub(super) const FP16_FP32_MAC_NAME: &str = "FP16→FP32 MAC (FP16 mult + FP32 add)";
/// FP32 mult + FP32 add.
pub(super) const FP32_MAC_NAME: &str = "FP32 MAC (FP32 mult + FP32 add)";

/// Prices a tally completely (energy) and its area, if every part has one.
pub(super) fn priced(table: &CostTable, t: &Tally) -> Result<(Estimate, Option<f64>)> {
    let e = table.estimate(t).complete()?;
    let area = e
        .lines
        .iter()
        .map(|l| l.price.area_um2.map(|a| a * l.count as f64))
        .sum::<Option<f64>>();
    Ok((e, area))
}

fn compare(
    table: &CostTable,
    label: &str,
    (cheap, a): (&str, &[OpKind]),
    (costly, b): (&str, &[OpKind]),
) -> Result<Comparison> {
    let (ea, aa) = priced(table, &one(a))?;
    let (eb, ab) = priced(table, &one(b))?;
    Ok(Comparison {
        label: label.to_string(),
        cheap: cheap.to_string(),
        costly: costly.to_string(),
        cheap_energy_pj: ea.energy_pj,
        costly_energy_pj: eb.energy_pj,
        energy_ratio: eb.energy_ratio(&ea),
        cheap_area_um2: aa,
        costly_area_um2: ab,
        area_ratio: aa.zip(ab).map(|(x, y)| y / x),
        derived: ea.uses_derived() || eb.uses_derived(),
    })
}

pub(super) fn build(table: &CostTable, inputs: &ReportInputs) -> Result<Report> {
    let comparisons = comparisons(table)?;
    let fsd = super::fsd::fsd(table, inputs.fsd)?;
    let mut sections = vec![
        table_section(table),
        comparison_section(table, &comparisons),
        memory_section(table)?,
        gate_section(table, inputs)?,
    ];
    sections.extend(super::macs::mac_section(table, inputs)?);
    sections.extend(super::glitch::glitch_section(inputs));
    sections.extend(super::per_circuit::per_circuit_sections(inputs));
    sections.push(super::fsd::fsd_section(table, &fsd));
    Ok(Report {
        title: format!("Arithmetic cost report: {}", table.name()),
        sections,
        comparisons,
        fsd,
    })
}

fn table_section(table: &CostTable) -> Section {
    let mut sources: Vec<&str> = Vec::new();
    for r in table.rows() {
        if !sources.contains(&r.source.as_str()) {
            sources.push(&r.source);
        }
    }
    let mut notes = vec![format!("Table: {}.", table.name())];
    notes.extend(
        sources
            .iter()
            .enumerate()
            .map(|(i, s)| format!("[{}] {s}", i + 1)),
    );
    if table.rows().iter().any(|r| r.scaled.is_some()) {
        notes.push("Rows marked [scaled ...] were moved to another node by the stated factors; they are not published figures.".into());
    }
    let grid = Grid {
        columns: [
            "operation",
            "energy (pJ)",
            "area (µm²)",
            "node (nm)",
            "voltage (V)",
            "source",
        ]
        .map(String::from)
        .to_vec(),
        rows: table
            .rows()
            .iter()
            .map(|r| {
                vec![
                    Cell::text(r.op.to_string()),
                    Cell::Span(r.energy_pj),
                    Cell::opt(r.area_um2),
                    Cell::Num(r.node_nm),
                    Cell::Num(r.voltage_v),
                    Cell::text(format!(
                        "[{}]",
                        sources
                            .iter()
                            .position(|s| *s == r.source)
                            .map_or(0, |i| i + 1)
                    )),
                ]
            })
            .collect(),
    };
    let energy = Chart {
        file: "table-energy.svg".into(),
        title: format!("Energy per operation — {}", table.name()),
        axis: "energy per operation (pJ, log scale)".into(),
        bars: table
            .rows()
            .iter()
            .map(|r| Bar {
                label: r.op.to_string(),
                value: r.energy_pj,
            })
            .collect(),
    };
    let area = Chart {
        file: "table-area.svg".into(),
        title: format!("Area per unit — {}", table.name()),
        axis: "area (µm², log scale)".into(),
        bars: table
            .rows()
            .iter()
            .filter_map(|r| {
                r.area_um2.map(|a| Bar {
                    label: r.op.to_string(),
                    value: Span::exact(a),
                })
            })
            .collect(),
    };
    let mut charts = vec![energy];
    if !area.bars.is_empty() {
        charts.push(area);
    }
    Section {
        id: "table",
        title: "1. The cost table".into(),
        notes,
        grid,
        charts,
    }
}

fn comparisons(table: &CostTable) -> Result<Vec<Comparison>> {
    let (fp16, fp32) = (FloatKind::FP16, FloatKind::FP32);
    let m8 = [OpKind::IntMul { bits: 8 }];
    let a8 = [OpKind::IntAdd { bits: 8 }];
    let a32 = [OpKind::IntAdd { bits: 32 }];
    let fm16 = [OpKind::FpMul { format: fp16 }];
    let fm32 = [OpKind::FpMul { format: fp32 }];
    let fa16 = [OpKind::FpAdd { format: fp16 }];
    let fa32 = [OpKind::FpAdd { format: fp32 }];
    let (mac8, int8_mac) = int8_mac(table);
    let mac8: &[OpKind] = &mac8;
    let mac16 = fp_mac(fp16);
    let mac16_32: &[OpKind] = &FP16_FP32_MAC;
    let mac32 = fp_mac(fp32);
    let fp16_mac = FP16_ACC_MAC_NAME;
    let fp16_32_mac = FP16_FP32_MAC_NAME;
    let fp32_mac = FP32_MAC_NAME;
    Ok(vec![
        compare(
            table,
            "8-bit int mult vs FP32 mult",
            ("8-bit int mult", &m8),
            ("FP32 mult", &fm32),
        )?,
        compare(
            table,
            "8-bit int add vs FP32 add",
            ("8-bit int add", &a8),
            ("FP32 add", &fa32),
        )?,
        compare(
            table,
            "32-bit int add vs FP32 add",
            ("32-bit int add", &a32),
            ("FP32 add", &fa32),
        )?,
        compare(
            table,
            "FP16 mult vs FP32 mult",
            ("FP16 mult", &fm16),
            ("FP32 mult", &fm32),
        )?,
        compare(
            table,
            "FP16 add vs FP32 add",
            ("FP16 add", &fa16),
            ("FP32 add", &fa32),
        )?,
        compare(
            table,
            "INT8 MAC vs FP16 MAC (FP16 acc)",
            (int8_mac, mac8),
            (fp16_mac, &mac16),
        )?,
        compare(
            table,
            "INT8 MAC vs FP16→FP32 MAC",
            (int8_mac, mac8),
            (fp16_32_mac, mac16_32),
        )?,
        compare(
            table,
            "INT8 MAC vs FP32 MAC",
            (int8_mac, mac8),
            (fp32_mac, &mac32),
        )?,
        compare(
            table,
            "FP16 MAC (FP16 acc) vs FP32 MAC",
            (fp16_mac, &mac16),
            (fp32_mac, &mac32),
        )?,
        compare(
            table,
            "FP16→FP32 MAC vs FP32 MAC",
            (fp16_32_mac, mac16_32),
            (fp32_mac, &mac32),
        )?,
    ])
}

fn comparison_section(table: &CostTable, cs: &[Comparison]) -> Section {
    let columns = [
        "comparison",
        "cheaper",
        "energy (pJ)",
        "costlier",
        "energy (pJ)",
        "energy ratio (x)",
        "area (µm²)",
        "area (µm²)",
        "area ratio (x)",
        "prices",
    ]
    .map(String::from)
    .to_vec();
    let rows = cs
        .iter()
        .map(|c| {
            vec![
                Cell::text(&c.label),
                Cell::text(&c.cheap),
                Cell::Span(c.cheap_energy_pj),
                Cell::text(&c.costly),
                Cell::Span(c.costly_energy_pj),
                Cell::Span(c.energy_ratio),
                Cell::opt(c.cheap_area_um2),
                Cell::opt(c.costly_area_um2),
                Cell::opt(c.area_ratio),
                Cell::text(if c.derived {
                    "some derived"
                } else {
                    "table rows"
                }),
            ]
        })
        .collect();
    let mut notes = vec![format!(
        "Each ratio is costlier / cheaper, computed now from the table in section 1 (not typed \
             in). {} Two FP16 MACs are in use: \"FP16 MAC (FP16 acc)\" adds in FP16, \
             \"FP16→FP32 MAC\" (tensor cores, fsd_npu, docs/accelerator.md) adds in FP32.",
        int8_mac_rule(table)
    )];
    if let Some(c) = cs.iter().find(|c| c.label == "INT8 MAC vs FP32 MAC") {
        let area = c
            .area_ratio
            .map_or(String::new(), |a| format!(" and {}x less area", sig(a)));
        notes.push(format!(
            "Headline: an INT8 MAC costs {} pJ against {} pJ for an FP32 MAC: {}x less energy{area}.",
            c.cheap_energy_pj, c.costly_energy_pj, c.energy_ratio
        ));
    }
    if cs.iter().any(|c| c.derived) {
        notes.push("\"some derived\": the table lacks a row and a documented derivation rule supplied it (see docs/cost-model.md).".into());
    }
    Section {
        id: "comparisons",
        title: "2. Integer against floating point".into(),
        notes,
        grid: Grid { columns, rows },
        charts: vec![Chart {
            file: "comparisons-energy.svg".into(),
            title: "Energy ratio, costlier / cheaper".into(),
            axis: "energy ratio (x, log scale)".into(),
            bars: cs
                .iter()
                .map(|c| Bar {
                    label: c.label.clone(),
                    value: c.energy_ratio,
                })
                .collect(),
        }],
    }
}

/// Memory rows first (DRAM, then SRAM from largest, then the rest), then the two compute
/// references.
fn memory_section(table: &CostTable) -> Result<Section> {
    let mut mem: Vec<_> = table
        .rows()
        .iter()
        .filter(|r| matches!(r.op, OpKind::MemRead { .. } | OpKind::MemWrite { .. }))
        .collect();
    let rank = |op: &OpKind| match op {
        OpKind::MemRead { level, .. } | OpKind::MemWrite { level, .. } => match level {
            MemLevel::Dram => (0, 0),
            MemLevel::Sram { bytes } => (1, u64::MAX - bytes),
            MemLevel::RegisterFile => (2, 0),
        },
        _ => (3, 0),
    };
    mem.sort_by_key(|r| rank(&r.op));
    let (add8, _) = priced(table, &one(&[OpKind::IntAdd { bits: 8 }]))?;
    let (mac8, mac8_name) = int8_mac(table);
    let (mac, _) = priced(table, &one(&mac8))?;
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    let mut line = |name: String, e: Span| {
        rows.push(vec![
            Cell::text(&name),
            Cell::Span(e),
            Cell::Span(e.ratio(add8.energy_pj)),
            Cell::Span(e.ratio(mac.energy_pj)),
        ]);
        bars.push(Bar {
            label: name,
            value: e,
        });
    };
    for r in &mem {
        line(r.op.to_string(), r.energy_pj);
    }
    line("8-bit int add".into(), add8.energy_pj);
    line(mac8_name.into(), mac.energy_pj);
    let mut notes = vec![
        "Moving a 64-bit word costs more than computing with it: each access below is priced \
         against one 8-bit add and one INT8 MAC from the same table."
            .to_string(),
    ];
    if mem.is_empty() {
        notes.push("The table has no memory rows.".into());
    }
    if mem.iter().any(|r| !r.energy_pj.is_exact()) {
        notes.push("A range (the DRAM read) gives a range of ratios.".into());
    }
    Ok(Section {
        id: "memory",
        title: "3. Memory against compute".into(),
        notes,
        grid: Grid {
            columns: [
                "access / operation",
                "energy (pJ)",
                "x one 8-bit add",
                "x one INT8 MAC",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        },
        charts: vec![Chart {
            file: "memory.svg".into(),
            title: "Memory access against compute".into(),
            axis: "energy (pJ, log scale)".into(),
            bars,
        }],
    })
}

fn gate_section(table: &CostTable, inputs: &ReportInputs) -> Result<Section> {
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    let mut volts = None;
    for g in &inputs.gate_rows {
        let p = table.price(g.op)?;
        volts = Some(p.voltage_v);
        let e_lib = g.cost.energy_pj();
        let e_at = g.cost.energy_pj_at(p.voltage_v);
        let ratio = Span::exact(e_at).ratio(p.energy_pj);
        rows.push(vec![
            Cell::text(&g.circuit),
            Cell::text(g.op.to_string()),
            Cell::Num(g.cost.instances as f64),
            Cell::Num(g.cost.area_um2),
            Cell::opt(p.area_um2),
            Cell::opt(p.area_um2.map(|a| g.cost.area_um2 / a)),
            Cell::Num(e_lib),
            Cell::Num(e_at),
            Cell::Span(p.energy_pj),
            Cell::Span(ratio),
            Cell::Num(g.cost.delay_ns),
            Cell::text(if p.is_derived() { "derived" } else { "table" }),
        ]);
        bars.push(Bar {
            label: g.circuit.clone(),
            value: ratio,
        });
    }
    let lib_v = inputs.gate_rows.first().map_or(1.1, |g| g.cost.voltage_v);
    let v = volts.unwrap_or(0.9);
    let mut notes =
        vec![format!(
        "Gate-derived: area is the sum of the cells; energy per operation is simulated switching \
         activity times (cell internal energy + ½·C·V² of the fan-out load), at the cell \
         library's {lib_v} V, and scaled by ({v}/{lib_v})² to the table's {v} V. Every gate/table \
         energy ratio uses the {v} V figure; the area ratio needs no voltage."
    ), "\"library cells\" counts cell instances after mapping to the library (a full adder is \
        one FA_X1, a half adder one HA_X1, a gate one cell), not the composite cells a netlist \
        records (examples/adders' \"recorded cells\"). Adders marked \"carry-in 0\" have no \
        carry-in port: the constant is folded, so bit 0 is a half adder (8-bit ripple-carry: \
        7 FA_X1 + 1 HA_X1 = 32.45 µm²), while examples/adders and docs/circuits.md build them \
        with a carry-in port (8 FA_X1 = 34.05 µm²)."
        .to_string()];
    if inputs
        .gate_rows
        .iter()
        .any(|g| matches!(g.op, OpKind::IntMac { .. }))
    {
        notes.push(format!(
            "MAC rows are compared with CostTable::price of their operation. {}",
            int8_mac_rule(table)
        ));
    }
    notes.extend(inputs.gate_notes.iter().cloned());
    if inputs.gate_rows.is_empty() {
        notes.push("No gate-level circuits were given.".into());
    }
    let columns = [
        "circuit".to_string(),
        "table operation".into(),
        "library cells".into(),
        "area gates (µm²)".into(),
        "area table (µm²)".into(),
        "area gates/table".into(),
        format!("energy gates @{lib_v} V (pJ)"),
        format!("energy gates @{v} V (pJ)"),
        "energy table (pJ)".into(),
        format!("energy gates/table @{v} V"),
        "delay (ns)".into(),
        "table price".into(),
    ];
    let mut charts = Vec::new();
    if !bars.is_empty() {
        charts.push(Chart {
            file: "gates.svg".into(),
            title: format!("Gate-derived energy / table energy (at {v} V)"),
            axis: "ratio (x, log scale)".into(),
            bars,
        });
    }
    Ok(Section {
        id: "gates",
        title: "4. Gate level against the table".into(),
        notes,
        grid: Grid {
            columns: columns.to_vec(),
            rows,
        },
        charts,
    })
}
