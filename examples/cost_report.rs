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
use arithsim::circuits::mac::{Mac, int8_mac};
use arithsim::circuits::multipliers::{Signedness, array_multiplier, dadda_multiplier};
use arithsim::cost::report::{Format, GateRow, Report, ReportInputs};
use arithsim::cost::{
    CostTable, GateCost, OpKind, SplitMix64, gate_cost_from_activity, gate_cost_random,
};
use arithsim::gates::CellLibrary;

const USAGE: &str =
    "usage: cost_report [--table FILE] [--out DIR] [--format text|markdown|csv|json]";

/// Random operands per circuit for the gate-level energy (a multiple of 64).
const STREAM: usize = 64 * 64;
/// Seed of the operand stream (reproducible figures).
const SEED: u64 = 2014;

struct Options {
    table: Option<PathBuf>,
    out: PathBuf,
    format: Format,
}

fn parse_args(args: &[String]) -> Result<Option<Options>, String> {
    let mut o = Options {
        table: None,
        out: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/cost-report"),
        format: Format::Text,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--table" => o.table = Some(PathBuf::from(value("--table")?)),
            "--out" => o.out = PathBuf::from(value("--out")?),
            "--format" => o.format = value("--format")?.parse().map_err(|e| format!("{e}"))?,
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    Ok(Some(o))
}

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
    ];
    Ok((rows, notes))
}

/// Clocks per stream for the MAC's activity.
const MAC_CLOCKS: usize = 64;

/// The INT8 MAC's gate-derived cost: 64 streams of random INT8 operands, clock by clock.
fn mac_cost(lib: &CellLibrary) -> arithsim::Result<GateCost> {
    let mac = Mac::new(int8_mac())?;
    let mut rng = SplitMix64::new(SEED);
    let mut draw = || -> Vec<Vec<u64>> {
        (0..MAC_CLOCKS)
            .map(|_| (0..64).map(|_| rng.next_u64() & 0xff).collect())
            .collect()
    };
    let (a, b) = (draw(), draw());
    let run = mac.run(&a, &b, true)?;
    let act = run
        .activity
        .ok_or_else(|| arithsim::Error::Unsupported("no activity recorded".into()))?;
    gate_cost_from_activity(mac.netlist(), lib, &act)
}

fn run(o: &Options) -> arithsim::Result<()> {
    let table = match &o.table {
        Some(p) => CostTable::load(p)?,
        None => CostTable::horowitz_45nm(),
    };
    let (gate_rows, gate_notes) = gate_rows()?;
    // Section 5 takes the accelerator from the `accel` layer's FSD preset: one source.
    let inputs = ReportInputs {
        gate_rows,
        gate_notes,
        fsd: fsd_npu().report_params(),
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
    let args: Vec<String> = std::env::args().skip(1).collect();
    let o = match parse_args(&args) {
        Ok(Some(o)) => o,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&o) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
