//! How Verilog import time grows with the netlist: builds netlists of N gates (a random DAG
//! of the builder's gates and full-adder cells, the mix the crate's generators emit),
//! exports each with `to_verilog` and reads it back with `read_verilog`, timing both.
//! Linear import shows as a constant time per gate down the table.
//!
//! ```text
//! cargo run --release --example hdl_import_scale [-- N ...]   (default: 250000 500000 1000000 2000000)
//! ```

#[path = "common/cli.rs"]
mod cli;

use std::process::ExitCode;
use std::time::Instant;

use arithsim::Result;
use arithsim::cost::SplitMix64;
use arithsim::gates::hdl::{VerilogOptions, read_verilog};
use arithsim::gates::{Builder, Netlist, Wire};
use arithsim::rand_core::{Rng, SeedableRng};

/// A netlist of about `gates` gates over 64 inputs: each step reads two or three earlier wires
/// chosen by the crate's seeded SplitMix64 (so runs are reproducible).
fn random_netlist(gates: usize) -> Result<Netlist> {
    let mut b = Builder::new();
    let mut ws: Vec<Wire> = b.input("a", 64)?;
    let mut rng = SplitMix64::seed_from_u64(0x9E37_79B9_7F4A_7C15);
    // The modulo's bias (n ≪ 2^64) is far below anything this size test measures.
    let mut rnd = |n: usize| (rng.next_u64() % n as u64) as usize;
    while b.len() < gates {
        // Mostly recent wires, as generated arithmetic reads its neighbours.
        let n = ws.len();
        let pick = |r: usize| n - 1 - r % n.min(256);
        let (x, y, z) = (ws[pick(rnd(n))], ws[pick(rnd(n))], ws[pick(rnd(n))]);
        match rnd(5) {
            0 => ws.push(b.and(x, y)),
            1 => ws.push(b.or(x, y)),
            2 => ws.push(b.xor(x, y)),
            3 => ws.push(b.mux(x, y, z)),
            _ => {
                let (sum, carry) = b.full_adder(x, y, z);
                ws.push(sum);
                ws.push(carry);
            }
        }
    }
    let outs: Vec<Wire> = ws[ws.len() - 64..].to_vec();
    b.output("y", &outs)?;
    b.finish()
}

fn main() -> ExitCode {
    cli::main(&cli::HDL_IMPORT_SCALE, run)
}

fn run(args: &cli::Args) -> Result<()> {
    let sizes: Vec<usize> = args.counts().into_iter().map(|n| n as usize).collect();
    let sizes = if sizes.is_empty() {
        vec![250_000, 500_000, 1_000_000, 2_000_000]
    } else {
        sizes
    };
    println!("| gates | Verilog bytes | export (s) | import (s) | import ns/gate |");
    println!("|---:|---:|---:|---:|---:|");
    for n in sizes {
        let net = random_netlist(n)?;
        let t = Instant::now();
        let text = net.to_verilog(&VerilogOptions::new("scale"))?;
        let export = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let back = read_verilog(&text)?;
        let import = t.elapsed().as_secs_f64();
        assert_eq!(back.outputs().len(), 1);
        println!(
            "| {} | {} | {export:.2} | {import:.2} | {:.0} |",
            net.gate_count(),
            text.len(),
            import * 1e9 / net.gate_count() as f64
        );
    }
    Ok(())
}
