//! The cost report: why INT8 arithmetic (as in Tesla's FSD chip) beats floating point in
//! energy and area, every figure computed from a cost table at run time.
//!
//! ```text
//! cargo run --release --example cost_report
//! cargo run --release --example cost_report -- --table docs/example-costs.toml --format json
//! ```
//!
//! Options:
//!   --table FILE    a cost table (.toml or .csv); default: the embedded Horowitz 45 nm table
//!   --out DIR       where report.md and the SVG charts go; default: target/cost-report
//!   --format F      what is printed (and also written as report.<ext>): text (default),
//!                   markdown, csv or json
//!   --help          this text

use std::path::PathBuf;
use std::process::ExitCode;

use arithsim::accel::fsd_npu;
use arithsim::circuits::adders::{AdderKind, adder_without_carry_in};
use arithsim::circuits::fp::FpUnitConfig;
use arithsim::circuits::mac::{Mac, int8_mac};
use arithsim::circuits::multipliers::{Signedness, array_multiplier, dadda_multiplier};
use arithsim::cost::report::{GateRow, MacRow, Report, ReportInputs, ReportOptions};
use arithsim::cost::{
    FloatKind, FpUnit, GateCost, INT8_MAC_NAME, OpKind, fp_unit_figures, gate_cost_random,
    int_mac_figures, mac_comparison,
};
use arithsim::float::FloatFormat;
use arithsim::gates::CellLibrary;

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
                circuit: format!("{bits}-bit {} adder, carry-in 0", kind.name()),
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
             critical path with each cell's library delay (for the MAC: register to register)."
        ),
        "The table has no MAC row: its INT8 MAC is priced as 8-bit mult + 32-bit add (the rule \
         \"MAC = mult + add\"). The MAC's register is counted in area and in the energy of its output toggles, but not its clock pin."
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
    let mac = Mac::new(int8_mac())?;
    Ok(int_mac_figures(&mac, INT8_MAC_NAME, lib, MAC_CLOCKS, SEED)?.random)
}

fn run(o: &ReportOptions) -> arithsim::Result<()> {
    let table = o.cost_table()?;
    let (gate_rows, gate_notes) = gate_rows()?;
    let (mac_rows, mac_notes) = mac_rows()?;
    // Section 5 takes the accelerator from the `accel` layer's FSD preset: one source.
    let inputs = ReportInputs {
        gate_rows,
        gate_notes,
        fsd: fsd_npu().report_params(),
        mac_rows,
        mac_notes,
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
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/cost-report");
    ReportOptions::main("cost_report", out, run)
}
