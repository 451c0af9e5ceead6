//! Sections 4d–4f: every gate-level circuit of the report, one row each, with all its
//! figures: area against Yosys + ABC (4d), fixed and NLDM delay with zero-delay and
//! glitch-aware energy (4e), NLDM energy from uniform and simulated activity (4f).
//!
//! The NLDM figures need a Liberty library (the embedded NanGate table keeps one figure per
//! cell and no tables): without one, the NLDM column of 4e is left out, 4f is not built, and
//! a note says how to get them.

use super::{Cell, Grid, ReportCircuit, ReportInputs, Section, SynthArea, synth_areas};
use crate::Result;
use crate::cost::{GlitchCost, NldmEnergy, nldm_energy};
use crate::gates::{CellLibrary, StaOptions, TimedDelays};

/// One circuit's figures for sections 4d–4f.
#[derive(Clone, Debug, PartialEq)]
pub struct CircuitRow {
    /// The circuit (the `Display` of [`ReportCircuit`]).
    pub circuit: String,
    /// Library cell instances of the textbook netlist.
    pub instances: usize,
    /// Area of the textbook netlist's cells, µm².
    pub area_um2: f64,
    /// Its row of `data/synth_areas.csv`, if any.
    pub synth: Option<SynthArea>,
    /// Critical path with one fixed delay per cell, ns.
    pub fixed_delay_ns: f64,
    /// Critical path from the NLDM tables, ns (`None` without a Liberty library).
    pub nldm_delay_ns: Option<f64>,
    /// Zero-delay and glitch-aware cost on the report's random stimulus.
    pub glitch: GlitchCost,
    /// NLDM energies from that run's activities (`None` without a Liberty library).
    pub nldm_energy: Option<NldmEnergy>,
}

impl CircuitRow {
    /// Computes the row for `c`: area and fixed delay on `lib`, the timed simulation with
    /// `delays` on `ops` random operands (or 64 streams of `ops / 64` clocks) from `seed`, the
    /// synthesized area from the embedded CSV, and when `lib` was loaded from Liberty the
    /// NLDM delay and energies with boundary conditions `opts`.
    ///
    /// # Errors
    /// As [`ReportCircuit::build`], [`ReportCircuit::glitch_cost`], [`synth_areas`],
    /// [`Netlist::sta`](crate::gates::Netlist::sta) and [`nldm_energy`].
    pub fn compute(
        c: ReportCircuit,
        lib: &CellLibrary,
        delays: &TimedDelays,
        opts: &StaOptions,
        ops: usize,
        seed: u64,
    ) -> Result<CircuitRow> {
        let net = c.build()?;
        let name = c.to_string();
        let glitch = c.glitch_cost(&net, lib, delays, ops, seed)?;
        let liberty = lib.liberty().is_some();
        let nldm_delay_ns = if liberty {
            Some(net.sta(lib, opts)?.delay_ns)
        } else {
            None
        };
        let nldm_energy = if liberty {
            Some(nldm_energy(&net, lib, opts, &glitch)?)
        } else {
            None
        };
        Ok(CircuitRow {
            synth: synth_areas()?.into_iter().find(|s| s.circuit == name),
            circuit: name,
            instances: net.instances().len(),
            area_um2: net.area_um2(lib),
            fixed_delay_ns: net.timing(lib).delay_ns,
            nldm_delay_ns,
            glitch,
            nldm_energy,
        })
    }
}

fn area_section(rows: &[CircuitRow]) -> Section {
    let grid_rows = rows
        .iter()
        .map(|r| {
            let s = r.synth.as_ref().and_then(|s| s.synth_um2);
            vec![
                Cell::text(&r.circuit),
                Cell::Num(r.instances as f64),
                Cell::Num(r.area_um2),
                match (&r.synth, s) {
                    (_, Some(a)) => Cell::Num(a),
                    (Some(x), None) => Cell::text(&x.status),
                    (None, None) => Cell::text("not run"),
                },
                Cell::opt(s.map(|s| r.area_um2 / s)),
            ]
        })
        .collect();
    let version = rows
        .iter()
        .find_map(|r| r.synth.as_ref().map(|s| s.yosys_version.clone()))
        .unwrap_or_default();
    Section {
        id: "synth-area",
        title: "4d. Textbook netlists against Yosys + ABC synthesis (area)".into(),
        notes: vec![
            "Textbook: the netlist's library cells (section 4's area). Synthesized: Yosys + ABC \
             on the same function (the flat Verilog export) onto the NanGate 45 nm Liberty \
             file, area from `stat -liberty`. ABC takes minutes on the large multipliers, so \
             the report does not synthesize: the figures are data/synth_areas.csv, embedded, \
             written by `cargo run --release --example synth_areas -- --liberty \
             nangate45_typ.lib.gz --timeout 240 --bless`, which runs per circuit `yosys -p \
             \"read_verilog c.v; synth -top top; dfflibmap -liberty L; abc -liberty L; stat \
             -liberty L\"` (L: the library unzipped to a temporary file). tests/synth_areas.rs \
             re-synthesizes small circuits to check the file."
                .into(),
            format!(
                "{version}. For reference (published figures, same library and tools, area \
                 only; HardFloat itself is not run here): Berkeley HardFloat's FP32 FMA about \
                 6,650 µm², an INT8 MAC about 630 µm²; docs/cost-model.md compares them."
            ),
        ],
        grid: Grid {
            columns: [
                "circuit",
                "cells",
                "textbook (µm²)",
                "synthesized (Yosys+ABC) µm²",
                "textbook/synthesized",
            ]
            .map(String::from)
            .to_vec(),
            rows: grid_rows,
        },
        charts: Vec::new(),
    }
}

fn delay_energy_section(rows: &[CircuitRow], opts: &StaOptions) -> Section {
    let nldm = rows.iter().all(|r| r.nldm_delay_ns.is_some());
    let v = rows.first().map_or(0.0, |r| r.glitch.timed.voltage_v);
    let grid_rows = rows
        .iter()
        .map(|r| {
            let mut row = vec![Cell::text(&r.circuit), Cell::Num(r.fixed_delay_ns)];
            if nldm {
                row.push(Cell::opt(r.nldm_delay_ns));
            }
            row.push(Cell::Num(r.glitch.zero_delay.energy_pj()));
            row.push(Cell::Num(r.glitch.timed.energy_pj()));
            row.push(Cell::Num(100.0 * r.glitch.glitch_share()));
            row
        })
        .collect();
    // short headers keep the table within 120 columns; the notes say what they are
    let mut columns = vec!["circuit".to_string(), "fixed (ns)".into()];
    if nldm {
        columns.push("NLDM (ns)".into());
    }
    columns.extend([
        "zero-delay (pJ)".into(),
        "glitch-aware (pJ)".into(),
        "glitch %".into(),
    ]);
    let mut notes = vec![format!(
        "Delay fixed: the critical path with one worst-arc delay per cell (section 4's \
             delay; for the MACs register to register). Energy per operation at the library's \
             {v} V from its figure per cell transition plus ½·C·V²: zero-delay counts settled values only (section 4's \
         model, a lower bound), glitch-aware counts every transition of the timed simulation \
         (transport delays, section 4c's model, an upper estimate); glitch % = 1 − zero-delay \
             / glitch-aware."
    )];
    notes.push(if nldm {
        format!(
            "Delay NLDM: static timing with the Liberty file's delay and slew tables \
             (Netlist::sta), input slew {} ns and {} fF on every output; it agrees with \
             OpenSTA 2.0.17 within 0.02 % on the calibration circuits \
             (tests/sta_calibration.rs). No wires, no clock tree.",
            opts.input_slew_ns, opts.output_load_ff
        )
    } else {
        "Delay NLDM and section 4f (NLDM energy) need the Liberty tables, which the embedded \
         NanGate table does not carry (one delay and energy figure per cell): run with \
         `--liberty nangate45_typ.lib.gz` (or any .lib) to add them."
            .into()
    });
    Section {
        id: "circuit-delay-energy",
        title: "4e. Every circuit: fixed and NLDM delay, zero-delay and glitch-aware energy".into(),
        notes,
        grid: Grid {
            columns,
            rows: grid_rows,
        },
        charts: Vec::new(),
    }
}

fn nldm_energy_section(rows: &[CircuitRow]) -> Option<Section> {
    let grid_rows = rows
        .iter()
        .map(|r| {
            let e = r.nldm_energy.as_ref()?;
            Some(vec![
                Cell::text(&r.circuit),
                Cell::Num(e.uniform_activity),
                Cell::Num(e.uniform.total_fj() / 1000.0),
                Cell::Num(e.zero_delay.total_fj() / 1000.0),
                Cell::Num(e.glitch_aware.total_fj() / 1000.0),
            ])
        })
        .collect::<Option<Vec<_>>>()?;
    if grid_rows.is_empty() {
        return None;
    }
    Some(Section {
        id: "nldm-energy",
        title: "4f. NLDM energy per operation: uniform against simulated activity".into(),
        notes: vec![
            "NLDM energy: the Liberty internal-power tables at each pin's slew and load (from \
             the NLDM timing of 4e) plus ½·C·V² of each net's pin capacitances \
             (Netlist::nldm_power), per operation. Uniform: every net at one activity, the \
             mean of the zero-delay per-net activities (column 'activity', toggles per net \
             per operation). Zero-delay and glitch-aware: each net at its own activity from \
             the crate's simulation of 4e (the same runs). Registers' clock pins are charged \
             2 transitions per operation here (not in 4e)."
                .into(),
            "Internal power is weighted as current OpenSTA releases do \
             (InternalPowerModel::Normalized). The installed OpenSTA 2.0.17 sums rise and fall \
             table energies instead (InternalPowerModel::OpenSta2019, about 2–3× the internal \
             part); with that arithmetic and one uniform activity the crate matches its \
             report_power within 0.6 % (internal) and exactly (switching) on adders, \
             multipliers, FP units and MACs (tests/sta_calibration.rs)."
                .into(),
        ],
        grid: Grid {
            columns: [
                "circuit",
                "activity",
                "NLDM uniform (pJ)",
                "NLDM zero-delay (pJ)",
                "NLDM glitch-aware (pJ)",
            ]
            .map(String::from)
            .to_vec(),
            rows: grid_rows,
        },
        charts: Vec::new(),
    })
}

/// Sections 4d–4f from `inputs.circuit_rows` (none when there are no rows).
pub(super) fn per_circuit_sections(inputs: &ReportInputs) -> Vec<Section> {
    let rows = &inputs.circuit_rows;
    if rows.is_empty() {
        return Vec::new();
    }
    let mut v = vec![area_section(rows), delay_energy_section(rows, &inputs.sta)];
    v[1].notes.extend(inputs.circuit_notes.iter().cloned());
    v.extend(nldm_energy_section(rows));
    v
}
