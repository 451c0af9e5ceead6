//! The cost report: why INT8 arithmetic (as in Tesla's FSD chip) beats floating point in
//! energy and area, every figure computed from a cost table at run time.
//!
//! ```text
//! cargo run --release --example cost_report
//! cargo run --release --example cost_report -- --table docs/example-costs.toml --format json
//! cargo run --release --example cost_report -- --liberty ../shared/data/nangate45_typ.lib.gz
//! ```
//!
//! `--help` lists the options: `--table FILE`, `--liberty FILE` (a Liberty library for
//! sections 4d-4f: NLDM delay and energy), `--out DIR` (default `cost-report` under the
//! target directory), `--format text|markdown|csv|json` (printed, and also written as
//! `report.<ext>`).

#[path = "common/cli.rs"]
mod cli;

use std::process::ExitCode;

use arithsim::accel::fsd_npu;
use arithsim::circuits::adders::{AdderKind, adder_without_carry_in};
use arithsim::circuits::fp::FpUnitConfig;
use arithsim::circuits::mac::{Mac, MacSpec};
use arithsim::circuits::multipliers::{
    Signedness, array_multiplier, dadda_multiplier, wallace_multiplier,
};
use arithsim::cost::report::{
    CircuitRow, GateRow, GlitchRow, MacRow, Report, ReportCircuit, ReportInputs, ReportOptions,
    report_circuits,
};
use arithsim::cost::{
    FloatKind, FpUnit, GateCost, INT8_MAC_NAME, OpKind, fp_unit_figures, fp_unit_glitch_cost,
    gate_cost_random, glitch_cost_random, int_mac_figures, mac_comparison,
};
use arithsim::float::FloatFormat;
use arithsim::gates::{CellLibrary, DEFAULT_RESOLUTION_NS, StaOptions, TimedDelays};

/// Random operands per circuit for the gate-level energy (a multiple of 64).
const STREAM: usize = 64 * 64;
/// Seed of the operand stream (reproducible figures).
const SEED: u64 = 2014;

/// Section 4's circuits: adders and multipliers of two architectures at the table's widths,
/// and the FSD's INT8 MAC.
fn gate_rows() -> arithsim::Result<(Vec<GateRow>, Vec<String>)> {
    let lib = CellLibrary::nangate45();
    let mut rows = Vec::new();
    for kind in [AdderKind::RippleCarry, AdderKind::KoggeStone] {
        for bits in [8, 16, 32] {
            let net = adder_without_carry_in(kind, bits)?;
            rows.push(GateRow {
                circuit: format!("{bits}-bit {} adder, carry-in 0", kind),
                op: OpKind::IntAdd { bits },
                cost: gate_cost_random(&net, &lib, STREAM, SEED)?,
            });
        }
    }
    for bits in [8, 32] {
        let array = array_multiplier(bits, bits, Signedness::Unsigned, AdderKind::RippleCarry)?;
        let dadda = dadda_multiplier(bits, bits, Signedness::Unsigned, AdderKind::KoggeStone)?;
        for (name, net) in [("array (ripple)", array), ("Dadda (Kogge-Stone)", dadda)] {
            rows.push(GateRow {
                circuit: format!("{bits}x{bits}-bit {name} multiplier"),
                op: OpKind::IntMul { bits },
                cost: gate_cost_random(&net, &lib, STREAM, SEED)?,
            });
        }
    }
    // The gate-level FP units beside the table's FP16 and FP32 add and mult rows.
    let cfg = FpUnitConfig::default();
    for (f, kind) in [
        (FloatFormat::FP16, FloatKind::FP16),
        (FloatFormat::FP32, FloatKind::FP32),
    ] {
        for (unit, op) in [
            (FpUnit::Adder(f), OpKind::FpAdd { format: kind }),
            (FpUnit::Multiplier(f), OpKind::FpMul { format: kind }),
        ] {
            let fig = fp_unit_figures(unit, &cfg, &lib, STREAM, SEED)?;
            rows.push(GateRow {
                circuit: format!("{} (gate-level, nearest-even)", fig.unit),
                op,
                cost: fig.random,
            });
        }
    }
    rows.push(GateRow {
        circuit: "INT8 MAC, 32-bit acc (Dadda, Baugh-Wooley, Brent-Kung)".into(),
        op: OpKind::IntMac {
            mul_bits: 8,
            acc_bits: 32,
        },
        cost: mac_cost(&lib)?,
    });
    let notes = vec![
        format!(
            "Circuits: textbook netlists from arithsim::circuits mapped to NanGate 45 nm cells \
             (typical corner, 1.1 V). Adders and multipliers (unsigned) run {STREAM} uniformly \
             random operand pairs (seed {SEED}); the INT8 MAC (signed, wrapping, with its 32-bit \
             accumulator register) runs 64 streams of {MAC_CLOCKS} random clocks. Delay is the \
             critical path with each cell's library delay (for the MAC: register to register). \
             The same 8x8 Dadda multiplier prints a little differently in examples/hdl_roundtrip \
             (its operand pairs come from seed 1) and lower in examples/multipliers (switching \
             energy ½·C·V² only, no cell-internal energy)."
        ),
        "The INT8 MAC's accumulator register is counted in area and in the energy of its output \
         toggles, but not its clock pin (the table price it is compared with: the note above)."
            .into(),
        format!(
            "FP units: arithsim::circuits::fp with the default configuration (round to nearest \
             even fixed at build time, IEEE subnormals, flags, Brent-Kung adders, AND-array + \
             Dadda significand multiplier), on {STREAM} pairs of uniformly random finite \
             operands (NaNs and infinities excluded; seed {SEED})."
        ),
    ];
    Ok((rows, notes))
}

/// Section 4b: the INT8 MAC against the floating-point MACs, all from gate-level circuits.
fn mac_rows() -> arithsim::Result<(Vec<MacRow>, Vec<String>)> {
    let lib = CellLibrary::nangate45();
    let rows = mac_comparison(&FpUnitConfig::default(), &lib, MAC_CLOCKS, SEED)?
        .into_iter()
        .map(|f| MacRow {
            unit: f.unit,
            random: f.random,
            nn: Some(f.nn),
        })
        .collect();
    let notes = vec![format!(
        "Each MAC runs 64 independent streams of {MAC_CLOCKS} clocks from a zero accumulator \
         (seed {SEED}). Random: uniformly random operands (for floats, every finite encoding \
         whose products cannot overflow the accumulator in {MAC_CLOCKS} clocks equally \
         likely). NN-like: small magnitudes, mostly one exponent (floats: ±[0.125, 0.25) \
         with probability 3/4, else 2^-7..2^-2; INT8: [-16, 16) with probability 3/4, else \
         [-64, 64)). The floating-point MACs keep the product exact and round once into the \
         accumulator (nearest even); their accumulator register is counted in area and output \
         toggles, not its clock pin."
    )];
    Ok((rows, notes))
}

/// Clocks per stream for the MAC's activity.
const MAC_CLOCKS: usize = 64;

/// The INT8 MAC's gate-derived cost: 64 streams of random INT8 operands, clock by clock (the
/// same figures as the first row of section 4b).
fn mac_cost(lib: &CellLibrary) -> arithsim::Result<GateCost> {
    let mac = Mac::new(MacSpec::INT8_INT32)?;
    Ok(int_mac_figures(&mac, INT8_MAC_NAME, lib, MAC_CLOCKS, SEED)?.random)
}

/// Section 4c: glitch-aware against zero-delay energy, from the timed simulation with the
/// library's delays at 10 ps per unit, on the operand streams of sections 4 and 4b.
fn glitch_rows() -> arithsim::Result<(Vec<GlitchRow>, Vec<String>)> {
    let lib = CellLibrary::nangate45();
    let d = TimedDelays::from_library(&lib, DEFAULT_RESOLUTION_NS)?;
    let mut rows = Vec::new();
    for kind in [
        AdderKind::RippleCarry,
        AdderKind::BrentKung,
        AdderKind::KoggeStone,
    ] {
        let net = adder_without_carry_in(kind, 32)?;
        rows.push(GlitchRow {
            circuit: format!("32-bit {} adder", kind),
            cost: glitch_cost_random(&net, &lib, &d, STREAM, SEED)?,
        });
    }
    for bits in [16, 32] {
        let u = Signedness::Unsigned;
        for (name, net) in [
            (
                "array (ripple)",
                array_multiplier(bits, bits, u, AdderKind::RippleCarry)?,
            ),
            (
                "Wallace (Kogge-Stone)",
                wallace_multiplier(bits, bits, u, AdderKind::KoggeStone)?,
            ),
            (
                "Dadda (Kogge-Stone)",
                dadda_multiplier(bits, bits, u, AdderKind::KoggeStone)?,
            ),
        ] {
            rows.push(GlitchRow {
                circuit: format!("{bits}x{bits}-bit {name} multiplier"),
                cost: glitch_cost_random(&net, &lib, &d, STREAM, SEED)?,
            });
        }
    }
    let cfg = FpUnitConfig::default();
    for f in [FloatFormat::FP16, FloatFormat::FP32] {
        for unit in [FpUnit::Adder(f), FpUnit::Multiplier(f)] {
            rows.push(GlitchRow {
                circuit: unit.to_string(),
                cost: fp_unit_glitch_cost(unit, &cfg, &lib, &d, STREAM, SEED)?,
            });
        }
    }
    let mac = ReportCircuit::Int8Mac;
    rows.push(GlitchRow {
        circuit: "INT8 MAC, 32-bit acc".into(),
        cost: mac.glitch_cost(&mac.build()?, &lib, &d, 64 * MAC_CLOCKS, SEED)?,
    });
    for (mul, acc) in [
        (FloatFormat::FP16, FloatFormat::FP32),
        (FloatFormat::FP32, FloatFormat::FP32),
    ] {
        let unit = FpUnit::Mac { mul, acc };
        rows.push(GlitchRow {
            circuit: unit.to_string(),
            cost: fp_unit_glitch_cost(unit, &cfg, &lib, &d, 64 * MAC_CLOCKS, SEED)?,
        });
    }
    let notes = vec![format!(
        "Streams: adders and multipliers {STREAM} uniformly random operand pairs (seed {SEED}); \
         FP units {STREAM} pairs of random finite operands; MACs 64 streams of {MAC_CLOCKS} \
         random clocks from a zero accumulator, the registers switching one DFF delay after \
         the inputs. Delays: NanGate 45 nm worst-arc delays at {DEFAULT_RESOLUTION_NS} ns per \
         unit (INV 2, NAND2 3, AND2 5, OR2 6, XOR2 7, MUX2 7, HA 7, FA 13, DFF 10 units)."
    )];
    Ok((rows, notes))
}

/// Sections 4d-4f: every circuit of sections 4, 4b and 4c once, on the options' library
/// (NLDM delay and energy when it was loaded from Liberty).
fn circuit_rows(lib: &CellLibrary, sta: &StaOptions) -> arithsim::Result<Vec<CircuitRow>> {
    let d = TimedDelays::from_library(lib, DEFAULT_RESOLUTION_NS)?;
    report_circuits()
        .into_iter()
        .map(|c| {
            let ops = if c.is_clocked() {
                64 * MAC_CLOCKS
            } else {
                STREAM
            };
            CircuitRow::compute(c, lib, &d, sta, ops, SEED)
        })
        .collect()
}

fn run(o: &ReportOptions) -> arithsim::Result<()> {
    let table = o.cost_table()?;
    let (gate_rows, gate_notes) = gate_rows()?;
    let (mac_rows, mac_notes) = mac_rows()?;
    let (glitch_rows, glitch_notes) = glitch_rows()?;
    let lib = o.cell_library()?;
    let sta = StaOptions::default();
    let circuit_rows = circuit_rows(&lib, &sta)?;
    let circuit_notes = vec![format!(
        "Library: {}. Streams as in section 4c: {STREAM} random operand pairs (seed {SEED}) \
         for adders, multipliers and FP units; 64 streams of {MAC_CLOCKS} random clocks for \
         the MACs. Timed delays at {DEFAULT_RESOLUTION_NS} ns per unit.",
        if lib.liberty().is_some() {
            lib.source()
        } else {
            "the embedded NanGate 45 nm table (data/nangate45_cells.csv)"
        }
    )];
    // Section 5 takes the accelerator from the `accel` layer's FSD preset: one source.
    let inputs = ReportInputs {
        gate_rows,
        gate_notes,
        fsd: fsd_npu().report_params(),
        mac_rows,
        mac_notes,
        glitch_rows,
        glitch_notes,
        circuit_rows,
        circuit_notes,
        sta,
    };
    let report = Report::build(&table, &inputs)?;
    print!("{}", report.render(o.format));
    let written = report.write(&o.out, o.format)?;
    eprintln!("\nwrote {} files to {}:", written.len(), o.out.display());
    for p in &written {
        eprintln!("  {}", p.display());
    }
    Ok(())
}

fn main() -> ExitCode {
    cli::main(&cli::COST_REPORT, |a| run(&a.report()))
}
