//! The classic adder area-delay trade-off table: for N = 8, 16, 32, 64, every adder (with its
//! carry-in port) with its primitive gates, recorded cells (full/half adders, muxes, prefix
//! cells as the netlist records them), library cells (instances after mapping to NanGate
//! 45 nm), depth in unit gate delays, path delay and area under that library, and the mean
//! number of wire toggles per addition on random operands.
//!
//! Run: `cargo run --release --example adders`. Add `-- --markdown` for a Markdown table.

#[path = "common/cli.rs"]
mod cli;

use std::process::ExitCode;

use arithsim::circuits::adders::{AdderKind, adder};
use arithsim::cost::SplitMix64;
use arithsim::gates::{BatchOutput, CellLibrary, Simulator};
use arithsim::rand_core::{Rng, SeedableRng};

fn main() -> ExitCode {
    cli::main(&cli::ADDERS, run)
}

fn run(args: &cli::Args) -> Result<(), arithsim::Error> {
    let markdown = args.flag("markdown");
    let lib = CellLibrary::nangate45();
    let mut rng = SplitMix64::seed_from_u64(0x2545_f491_4f6c_dd1d);
    let mut next = move || rng.next_u64();
    let vectors = 64 * 256;
    if markdown {
        println!(
            "| N | adder (with carry-in) | gates | recorded cells | library cells | depth | delay (ns) | area (µm²) | toggles/add |"
        );
        println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
    }
    for n in [8u32, 16, 32, 64] {
        let mask = if n == 64 { u64::MAX } else { (1 << n) - 1 };
        let a: Vec<u64> = (0..vectors).map(|_| next() & mask).collect();
        let b: Vec<u64> = (0..vectors).map(|_| next() & mask).collect();
        let c: Vec<u64> = (0..vectors).map(|_| next() & 1).collect();
        if !markdown {
            println!("\nN = {n} (every adder with a carry-in port)");
            println!(
                "{:<18} {:>6} {:>9} {:>8} {:>6} {:>10} {:>11} {:>12}",
                "adder",
                "gates",
                "rec cells",
                "lib cells",
                "depth",
                "delay (ns)",
                "area (µm²)",
                "toggles/add"
            );
        }
        for kind in AdderKind::ALL {
            let net = adder(kind, n)?;
            let s = net.stats();
            let mut sim = Simulator::new(&net, 64)?;
            sim.set_activity(true);
            let mut out = BatchOutput::default();
            sim.run(&[("a", &a), ("b", &b), ("cin", &c)], &mut out)?;
            // the circuit must be right before its figures mean anything
            for i in 0..vectors {
                let want = u128::from(a[i]) + u128::from(b[i]) + u128::from(c[i]);
                assert_eq!(out.get("sum")?[i], want & u128::from(mask));
                assert_eq!(out.get("cout")?[i], want >> n);
            }
            let act = sim.activity().expect("activity is on");
            let row = (
                kind.to_string(),
                s.gates,
                s.total_cells(),
                net.instances().len(),
                s.depth,
                net.timing(&lib).delay_ns,
                net.area_um2(&lib),
                act.mean_per_transition(),
            );
            if markdown {
                println!(
                    "| {n} | {} | {} | {} | {} | {} | {:.3} | {:.1} | {:.1} |",
                    row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7
                );
            } else {
                println!(
                    "{:<18} {:>6} {:>9} {:>9} {:>6} {:>10.3} {:>11.1} {:>12.1}",
                    row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7
                );
            }
        }
    }
    Ok(())
}
