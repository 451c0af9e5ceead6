//! Glitch share of the gate-level energy per circuit, and how it moves with the time
//! resolution of the timed simulation (the quantization of the cell delays) and under unit
//! delays.
//!
//! ```text
//! cargo run --release --example glitch_shares
//! ```
//!
//! Each row: zero-delay and glitch-aware energy per operation (pJ, NanGate 45 nm at 1.1 V) on
//! 4,096 random operands, and the glitch share `1 − E_zero / E_timed` at 5, 10 (the default)
//! and 20 ps per unit and with every cell one unit.

#[path = "common/cli.rs"]
mod cli;

use std::process::ExitCode;

use arithsim::circuits::adders::{AdderKind, adder_without_carry_in};
use arithsim::circuits::fp::FpUnitConfig;
use arithsim::circuits::multipliers::{
    Signedness, array_multiplier, dadda_multiplier, wallace_multiplier,
};
use arithsim::cost::{FpUnit, GlitchCost, fp_unit_glitch_cost, glitch_cost_random};
use arithsim::float::FloatFormat;
use arithsim::gates::{CellLibrary, TimedDelays};

const OPS: usize = 4096;
const SEED: u64 = 2014;

fn main() -> ExitCode {
    cli::main(&cli::GLITCH_SHARES, |_| run())
}

fn run() -> arithsim::Result<()> {
    let lib = CellLibrary::nangate45();
    let delays = [
        TimedDelays::from_library(&lib, 0.005)?,
        TimedDelays::from_library(&lib, 0.01)?,
        TimedDelays::from_library(&lib, 0.02)?,
        TimedDelays::uniform(1, 0.01)?,
    ];
    let u = Signedness::Unsigned;
    let ks = AdderKind::KoggeStone;
    let nets = vec![
        (
            "32-bit ripple-carry adder",
            adder_without_carry_in(AdderKind::RippleCarry, 32)?,
        ),
        (
            "32-bit Brent-Kung adder",
            adder_without_carry_in(AdderKind::BrentKung, 32)?,
        ),
        ("32-bit Kogge-Stone adder", adder_without_carry_in(ks, 32)?),
        (
            "16x16 array multiplier (ripple)",
            array_multiplier(16, 16, u, AdderKind::RippleCarry)?,
        ),
        (
            "16x16 Wallace multiplier (KS)",
            wallace_multiplier(16, 16, u, ks)?,
        ),
        (
            "16x16 Dadda multiplier (KS)",
            dadda_multiplier(16, 16, u, ks)?,
        ),
    ];
    println!(
        "| circuit | E zero-delay (pJ) | E glitch-aware, 10 ps (pJ) | share 5 ps | share 10 ps | share 20 ps | share unit delay |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let print = |name: &str, c: &[GlitchCost]| {
        println!(
            "| {name} | {:.3} | {:.3} | {:.1} % | {:.1} % | {:.1} % | {:.1} % |",
            c[1].zero_delay.energy_pj(),
            c[1].timed.energy_pj(),
            100.0 * c[0].glitch_share(),
            100.0 * c[1].glitch_share(),
            100.0 * c[2].glitch_share(),
            100.0 * c[3].glitch_share()
        );
    };
    for (name, net) in &nets {
        let c = delays
            .iter()
            .map(|d| glitch_cost_random(net, &lib, d, OPS, SEED))
            .collect::<arithsim::Result<Vec<_>>>()?;
        print(name, &c);
    }
    let cfg = FpUnitConfig::default();
    for unit in [
        FpUnit::Adder(FloatFormat::FP16),
        FpUnit::Multiplier(FloatFormat::FP16),
    ] {
        let c = delays
            .iter()
            .map(|d| fp_unit_glitch_cost(unit, &cfg, &lib, d, OPS, SEED))
            .collect::<arithsim::Result<Vec<_>>>()?;
        print(&unit.to_string(), &c);
    }
    Ok(())
}
