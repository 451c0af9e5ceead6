//! Circuits in and out of the crate:
//!
//! 1. export a Dadda 8×8 multiplier to structural Verilog (flat, and with cell modules) and
//!    BLIF;
//! 2. write a VCD waveform of the INT8 MAC over 16 clocks (inputs, the accumulator register
//!    and its next value) for GTKWave;
//! 3. read the Verilog back and check it computes the same 65,536 products;
//! 4. build truncated (approximate) multipliers, judge them against exact multiplication
//!    with the error metrics approximate-arithmetic libraries publish, and price them next to
//!    the exact ones with the NanGate 45 nm cells and their switching activity.
//!
//! ```text
//! cargo run --release --example hdl_roundtrip [-- --out DIR]   (default: hdl under the target directory)
//! ```
//!
//! Then, with the tools installed: `yosys -p "read_verilog DIR/dadda8.v; stat"`,
//! `iverilog`, or `gtkwave DIR/int8_mac.vcd` (see docs/hdl.md).

#[path = "common/cli.rs"]
mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use arithsim::circuits::adders::AdderKind;
use arithsim::circuits::mac::{Mac, MacSpec};
use arithsim::circuits::multipliers::{Signedness, dadda_multiplier};
use arithsim::cost::gate_cost_random;
use arithsim::datapath::ErrorMetrics;
use arithsim::gates::hdl::{Vcd, VerilogOptions, read_verilog};
use arithsim::gates::{BatchOutput, Builder, CellLibrary, Netlist, Simulator, Wire};
use arithsim::{Error, Result};

/// An unsigned 8×8 multiplier that drops every partial product `a_i·b_j` with `i + j < k`
/// (a truncated multiplier, no correction constant); the rest is summed column by column
/// with full and half adders down to two rows, then a ripple-carry adder. `k = 0` is exact.
fn truncated_multiplier(k: usize) -> Result<Netlist> {
    let mut b = Builder::new();
    let x = b.input("a", 8)?;
    let y = b.input("b", 8)?;
    let mut cols: Vec<Vec<Wire>> = vec![Vec::new(); 17];
    for (i, &xi) in x.iter().enumerate() {
        for (j, &yj) in y.iter().enumerate() {
            if i + j >= k {
                let p = b.and(xi, yj);
                cols[i + j].push(p);
            }
        }
    }
    // Carry-save: compress each column to at most two bits, carries into the next column.
    for c in 0..16 {
        while cols[c].len() > 2 {
            let (p, q, r) = (cols[c].remove(0), cols[c].remove(0), cols[c].remove(0));
            let (s, co) = b.full_adder(p, q, r);
            cols[c].push(s);
            cols[c + 1].push(co);
        }
    }
    // Ripple-carry the two rows.
    let mut carry = b.zero();
    let mut product = Vec::with_capacity(16);
    for col in cols.iter().take(16) {
        let p = col.first().copied().unwrap_or(b.zero());
        let q = col.get(1).copied().unwrap_or(b.zero());
        let (s, co) = b.full_adder(p, q, carry);
        product.push(s);
        carry = co;
    }
    b.output("product", &product)?;
    b.finish()
}

fn main() -> ExitCode {
    cli::main(&cli::HDL_ROUNDTRIP, run)
}

fn run(args: &cli::Args) -> Result<()> {
    let out = args.out.clone();
    std::fs::create_dir_all(&out).map_err(|e| Error::Io {
        path: out.clone(),
        source: e,
    })?;
    let write = |name: &str, text: &str| -> Result<PathBuf> {
        let p = out.join(name);
        std::fs::write(&p, text).map_err(|e| Error::Io {
            path: p.clone(),
            source: e,
        })?;
        Ok(p)
    };

    // 1. Export.
    let dadda = dadda_multiplier(8, 8, Signedness::Unsigned, AdderKind::KoggeStone)?;
    let s = dadda.stats();
    let flat = dadda.to_verilog(&VerilogOptions::new("dadda8"))?;
    let cells = dadda.to_verilog(&VerilogOptions::new("dadda8").with_cell_modules(true))?;
    let blif = dadda.to_blif("dadda8")?;
    println!(
        "Dadda 8x8 (Kogge-Stone final adder): {} gates, {} recorded cells, depth {}",
        s.gates,
        s.total_cells(),
        s.depth
    );
    println!(
        "  {} ({} lines)",
        write("dadda8.v", &flat)?.display(),
        flat.lines().count()
    );
    println!(
        "  {} ({} lines)",
        write("dadda8_cells.v", &cells)?.display(),
        cells.lines().count()
    );
    println!(
        "  {} ({} lines)",
        write("dadda8.blif", &blif)?.display(),
        blif.lines().count()
    );

    // 2. A waveform of the INT8 MAC over 16 clocks.
    let mac = Mac::new(MacSpec::INT8_INT32)?;
    let net = mac.netlist();
    let mut vcd = Vcd::new(net, "int8_mac", "1ns")?;
    for p in ["a", "b", "acc"] {
        vcd.probe_port(p)?;
    }
    let q: Vec<Wire> = net.registers().iter().map(|r| r.q).collect();
    vcd.probe("acc_q", &q)?;
    let mut sim = Simulator::new(net, 1)?;
    let mut outs = BatchOutput::default();
    let (a, b): (Vec<i8>, Vec<i8>) = (0..16i32)
        .map(|t| ((t * 37 - 100) as i8, (77 - t * 19) as i8))
        .unzip();
    for t in 0..16 {
        outs.clear();
        sim.step_with(
            &[("a", &[a[t] as u8 as u64]), ("b", &[b[t] as u8 as u64])],
            &mut outs,
        )?;
        vcd.sample(&sim, 0, 10 * t as u64)?;
    }
    let last = outs.get("acc")?[0] as u32 as i32;
    let exact: i32 = a
        .iter()
        .zip(&b)
        .map(|(&x, &y)| i32::from(x) * i32::from(y))
        .sum();
    assert_eq!(last, exact);
    let path = write("int8_mac.vcd", &vcd.finish(160))?;
    println!(
        "\nINT8 MAC, 16 clocks at 10 ns: acc = {last} (= sum of a*b); waveform {}",
        path.display()
    );

    // 3. Read the Verilog back and compare all 65,536 products.
    let back = read_verilog(&flat)?;
    let all: Vec<u64> = (0..65536).collect();
    let (xs, ys): (Vec<u64>, Vec<u64>) = all.iter().map(|v| (v & 255, v >> 8)).unzip();
    let p1 = dadda.eval_u64(&[("a", &xs), ("b", &ys)])?;
    let p2 = back.eval_u64(&[("a", &xs), ("b", &ys)])?;
    assert_eq!(p1.get("product")?, p2.get("product")?);
    let cells_back = read_verilog(&cells)?;
    println!(
        "\nRead back: {} gates from the flat file, {} gates and {} cells from the cell-module file; all 65,536 products equal",
        back.stats().gates,
        cells_back.stats().gates,
        cells_back.stats().total_cells()
    );

    // 4. Approximate multipliers: error metrics and cost next to exact ones.
    let lib = CellLibrary::nangate45();
    let exact_fn = |v: &[u128]| (v[0] * v[1]) as i128;
    println!("\n8x8 unsigned multipliers against exact multiplication (all 65,536 input pairs),");
    println!(
        "NanGate 45 nm area and energy per operation at the library's {} V, from 4,096 random operand pairs:\n",
        lib.voltage_v()
    );
    println!(
        "| multiplier | MAE | WCE | error prob. | MRED | MSE | WCRE | gates | area (µm²) | energy (pJ/op) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut rows: Vec<(String, Netlist)> =
        vec![("Dadda, Kogge-Stone (crate)".into(), dadda.clone())];
    for k in [0usize, 4, 6, 8] {
        let name = if k == 0 {
            "column array (exact)".to_string()
        } else {
            format!("truncated, columns < {k} dropped")
        };
        rows.push((name, truncated_multiplier(k)?));
    }
    for (name, net) in &rows {
        let m = ErrorMetrics::of(net, "product", Signedness::Unsigned, exact_fn, 0, 0)?;
        let c = gate_cost_random(net, &lib, 4096, 1)?;
        println!(
            "| {name} | {:.2} | {} | {:.4} | {:.5} | {:.1} | {:.3} | {} | {:.0} | {:.3} |",
            m.mean_abs,
            m.max_abs,
            m.error_probability,
            m.mean_rel,
            m.mse,
            m.max_rel,
            net.stats().gates,
            c.area_um2,
            c.energy_pj()
        );
    }
    // The cost report prices the same Dadda multiplier on another random stream.
    let report = gate_cost_random(&dadda, &lib, 4096, 2014)?;
    println!(
        "\nThe Dadda row is examples/cost_report's 8x8 Dadda multiplier; the cost report draws its \
         4,096 random pairs from seed 2014 (here seed 1), so it prints {:.3} pJ/op for the same \
         circuit, and examples/multipliers prints only the switching part ({:.3} pJ of it).",
        report.energy_pj(),
        report.switching_pj
    );
    Ok(())
}
