//! Multiplier and MAC report: for 8, 16 and 32 bits, every multiplier architecture's gates,
//! cells, depth, area and switching activity on two kinds of data; then the MAC presets,
//! fused vs separate.
//!
//! Run: `cargo run --release --example multipliers`
//!
//! * Area: NanGate 45 nm open cell library (the gates layer's `CellLibrary::nangate45`).
//! * Toggles: simulator toggle counts, mean over all wires per operation (per multiplication,
//!   or per clock for a MAC), on (a) uniform random operands and (b) "NN-weight-like"
//!   operands: a rounded zero-centred normal with σ = 1/8 of the signed range (σ = 16 for
//!   8 bits, as for INT8 weights), clipped; unsigned architectures get its magnitude.
//! * Energy: switching energy ½·C·V² summed over toggled wires (wire loads from the library),
//!   per operation; cells' internal energy is not included.

#[path = "common/cli.rs"]
mod cli;

use std::process::ExitCode;

use arithsim::Result;
use arithsim::circuits::adders::AdderKind;
use arithsim::circuits::mac::{Mac, MacSpec, MacStructure};
use arithsim::circuits::multipliers::{
    MultiplierSpec, PartialProducts, Reduction, Signedness, build_multiplier,
};
use arithsim::cost::{SplitMix64, gate_cost_random};
use arithsim::gates::{Activity, BatchOutput, Builder, CellLibrary, Netlist, Simulator};
use arithsim::rand_core::{Rng, SeedableRng};
use rand_distr::{Distribution, StandardNormal};

#[derive(Clone, Copy, PartialEq)]
enum Data {
    Uniform,
    NnWeights,
}

/// `count` operands of `w` bits drawn from `data` (bit patterns).
fn operands(rng: &mut SplitMix64, w: u32, s: Signedness, data: Data, count: usize) -> Vec<u64> {
    let mask = if w == 64 { !0 } else { (1u64 << w) - 1 };
    (0..count)
        .map(|_| match data {
            Data::Uniform => rng.next_u64() & mask,
            Data::NnWeights => {
                let half = (1u64 << (w - 1)) as f64;
                let n: f64 = StandardNormal.sample(rng);
                let x = (n * half / 8.0).round().clamp(-half, half - 1.0) as i64;
                match s {
                    Signedness::Signed => (x as u64) & mask,
                    Signedness::Unsigned => x.unsigned_abs() & mask,
                }
            }
        })
        .collect()
}

/// Switching energy in fJ of an activity record: Σ toggles × ½·C·V² per wire.
fn switching_fj(net: &Netlist, act: &Activity, lib: &CellLibrary) -> f64 {
    let loads = net.wire_loads_ff(lib);
    act.toggles
        .iter()
        .zip(&loads)
        .map(|(&t, &c)| t as f64 * lib.switching_energy_fj(c))
        .sum()
}

/// Mean toggles and switching energy per multiplication over `count` operand pairs.
fn activity(
    net: &Netlist,
    sp: &MultiplierSpec,
    data: Data,
    lib: &CellLibrary,
) -> Result<(f64, f64)> {
    const COUNT: usize = 64 * 128;
    let mut rng = SplitMix64::seed_from_u64(0x9e37_79b9_7f4a_7c15);
    let a = operands(&mut rng, sp.n, sp.signedness, data, COUNT);
    let b = operands(&mut rng, sp.m, sp.signedness, data, COUNT);
    let mut sim = Simulator::new(net, 128)?;
    sim.set_activity(true);
    let mut out = BatchOutput::default();
    sim.run(&[("a", &a), ("b", &b)], &mut out)?;
    let act = sim.activity().expect("activity is on");
    let per_op = act.transitions as f64;
    Ok((
        act.total() as f64 / per_op,
        switching_fj(net, act, lib) / per_op,
    ))
}

fn stages(sp: &MultiplierSpec) -> Result<usize> {
    let mut b = Builder::new();
    let a = b.input("a", sp.n)?;
    let x = b.input("b", sp.m)?;
    Ok(build_multiplier(&mut b, sp, &a, &x)?.stages)
}

fn multipliers(lib: &CellLibrary) -> Result<()> {
    println!("## Multipliers (final adder: Kogge-Stone)\n");
    println!(
        "| N | signedness | partial products | reduction | stages | gates | FA | HA | cells | depth | delay (ns) | area (µm²) | toggles/op uniform | toggles/op NN-like | fJ/op uniform | fJ/op NN-like |"
    );
    println!("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for n in [8u32, 16, 32] {
        for (pp, s) in [
            (PartialProducts::AndArray, Signedness::Unsigned),
            (PartialProducts::Booth4, Signedness::Unsigned),
            (PartialProducts::BaughWooley, Signedness::Signed),
            (PartialProducts::Booth4, Signedness::Signed),
        ] {
            for r in Reduction::ALL {
                let sp = MultiplierSpec::new(n, n, s, r, AdderKind::KoggeStone)
                    .with_partial_products(pp);
                let net = sp.build()?;
                let st = net.stats();
                let fa = st.cell_count(arithsim::gates::CellKind::FullAdder);
                let ha = st.cell_count(arithsim::gates::CellKind::HalfAdder);
                let (tu, eu) = activity(&net, &sp, Data::Uniform, lib)?;
                let (tn, en) = activity(&net, &sp, Data::NnWeights, lib)?;
                println!(
                    "| {n} | {} | {} | {} | {} | {} | {fa} | {ha} | {} | {} | {:.2} | {:.0} | {tu:.0} | {tn:.0} | {eu:.0} | {en:.0} |",
                    if s == Signedness::Signed {
                        "signed"
                    } else {
                        "unsigned"
                    },
                    pp.name(),
                    r.name(),
                    stages(&sp)?,
                    st.gates,
                    st.total_cells(),
                    st.depth,
                    net.timing(lib).delay_ns,
                    net.area_um2(lib),
                );
            }
        }
    }
    // The same 8x8 Dadda multiplier is priced in other reports with its cells' internal
    // energy included: say so, with their figure, so the three numbers are not a puzzle.
    let dadda = MultiplierSpec::new(
        8,
        8,
        Signedness::Unsigned,
        Reduction::Dadda,
        AdderKind::KoggeStone,
    )
    .build()?;
    let full = gate_cost_random(&dadda, lib, 4096, 2014)?;
    println!(
        "\nfJ/op is the switching energy ½·C·V² alone on this example's operands: the same 8x8 \
         unsigned Dadda multiplier costs {:.3} pJ/op in examples/cost_report ({:.3} pJ internal \
         + {:.3} pJ switching at {} V, 4,096 random pairs, seed 2014; examples/hdl_roundtrip \
         uses seed 1).",
        full.energy_pj(),
        full.internal_pj,
        full.switching_pj,
        full.voltage_v
    );
    Ok(())
}

/// Mean toggles and switching energy per clock of a MAC over 64 streams × 256 clocks.
fn mac_activity(mac: &Mac, data: Data, lib: &CellLibrary) -> Result<(f64, f64)> {
    let spec = mac.spec();
    let mut rng = SplitMix64::seed_from_u64(0x2545_f491_4f6c_dd1d);
    let k = spec.lanes as usize;
    let mut draw = || -> Vec<Vec<u64>> {
        (0..256)
            .map(|_| operands(&mut rng, spec.mul_bits, spec.signedness, data, 64 * k))
            .collect()
    };
    let (a, b) = (draw(), draw());
    let run = mac.run(&a, &b, true)?;
    let act = run.activity.expect("activity is on");
    let per = act.transitions as f64;
    Ok((
        act.total() as f64 / per,
        switching_fj(mac.netlist(), &act, lib) / per,
    ))
}

fn macs(lib: &CellLibrary) -> Result<()> {
    println!("\n## MAC presets, separate vs fused (Dadda, Baugh-Wooley, Brent-Kung, wrapping)\n");
    println!(
        "| preset | structure | gates | cells | registers | depth | delay (ns) | area (µm²) | toggles/clock uniform | toggles/clock NN-like | fJ/clock uniform | fJ/clock NN-like |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let presets: [(&str, MacSpec); 3] = [
        ("INT8xINT8→INT32 (FSD)", MacSpec::INT8_INT32),
        ("INT4xINT4→INT16", MacSpec::INT4_INT16),
        ("INT16xINT16→INT48", MacSpec::INT16_INT48),
    ];
    for (name, spec) in presets {
        for structure in [MacStructure::Separate, MacStructure::Fused] {
            let mac = Mac::new(spec.with_structure(structure))?;
            let net = mac.netlist();
            let st = net.stats();
            let (tu, eu) = mac_activity(&mac, Data::Uniform, lib)?;
            let (tn, en) = mac_activity(&mac, Data::NnWeights, lib)?;
            println!(
                "| {name} | {} | {} | {} | {} | {} | {:.2} | {:.0} | {tu:.0} | {tn:.0} | {eu:.0} | {en:.0} |",
                if structure == MacStructure::Fused {
                    "fused"
                } else {
                    "separate"
                },
                st.gates,
                st.total_cells(),
                st.registers,
                st.depth,
                net.timing(lib).delay_ns,
                net.area_um2(lib),
            );
        }
    }
    let dot = Mac::new(arithsim::circuits::mac::dot_product_unit(
        4,
        MacSpec::INT8_INT32,
    ))?;
    let st = dot.netlist().stats();
    let (tu, _) = mac_activity(&dot, Data::Uniform, lib)?;
    println!(
        "\n4-wide INT8 dot-product unit (fused, INT32 accumulator): {} gates, {} cells, depth {}, area {:.0} µm², {tu:.0} toggles/clock (uniform)",
        st.gates,
        st.total_cells(),
        st.depth,
        dot.netlist().area_um2(lib)
    );
    Ok(())
}

fn main() -> ExitCode {
    cli::main(&cli::MULTIPLIERS, |_| run())
}

fn run() -> Result<()> {
    let lib = CellLibrary::nangate45();
    println!("# Multipliers and MAC units at gate level\n");
    println!(
        "Cell library: {}\n",
        lib.source().lines().next().unwrap_or("")
    );
    multipliers(&lib)?;
    macs(&lib)?;
    Ok(())
}
