//! Inside the gate-level floating-point units: where the area and the delay of the FP16 and
//! FP32 adders and multipliers go (per labelled part), what the build options cost, and the
//! INT8 MAC against the floating-point MACs, all from the circuits of
//! `arithsim::circuits::fp` mapped to NanGate 45 nm cells.
//!
//! Run: `cargo run --release --example float_units`

#[path = "common/cli.rs"]
mod cli;

use std::process::ExitCode;

use arithsim::circuits::fp::{FpUnitConfig, RoundingControl, fp_adder, fp_adder_near_far};
use arithsim::cost::{
    FpUnit, GateCost, LabelCost, OperandMix, fp_unit_figures, label_breakdown, mac_comparison,
};
use arithsim::float::FloatFormat;
use arithsim::gates::CellLibrary;

/// Operand pairs per unit for the energy figures.
const OPS: usize = 64 * 64;
/// Clocks per stream for the MACs.
const CLOCKS: usize = 64;
const SEED: u64 = 2014;
/// The cost table's voltage (Horowitz, 45 nm).
const TABLE_V: f64 = 0.9;

fn main() -> ExitCode {
    cli::main(&cli::FLOAT_UNITS, |_| run())
}

fn run() -> arithsim::Result<()> {
    let lib = CellLibrary::nangate45();
    let cfg = FpUnitConfig::default();
    println!(
        "Gate-level FP units, NanGate 45 nm ({} V; energies also at {TABLE_V} V), default \
         configuration: nearest-even fixed, IEEE subnormals, Brent-Kung adders, Dadda multiplier.\n",
        lib.voltage_v()
    );
    println!(
        "(* energy per operation at {TABLE_V} V, scaled from the library's voltage by (V/V_lib)²;"
    );
    println!("   \"cells\" = library cells: NanGate instances after mapping, as in cost_report)");
    println!(
        "{:<42} {:>6} {:>6} {:>7} {:>6} {:>10} {:>10} {:>12} {:>12}",
        "unit",
        "gates",
        "cells",
        "2-in eq",
        "depth",
        "delay (ns)",
        "area (µm²)",
        "E rand (pJ)",
        "E NN (pJ)"
    );
    let units = [
        FpUnit::Adder(FloatFormat::FP16),
        FpUnit::Multiplier(FloatFormat::FP16),
        FpUnit::Adder(FloatFormat::FP32),
        FpUnit::Multiplier(FloatFormat::FP32),
    ];
    let mut all = Vec::new();
    for f in [
        FloatFormat::FP8_E4M3,
        FloatFormat::FP8_E5M2,
        FloatFormat::FP16,
        FloatFormat::BF16,
        FloatFormat::FP32,
    ] {
        all.extend([
            FpUnit::Adder(f),
            FpUnit::Multiplier(f),
            FpUnit::Fma { mul: f, acc: f },
        ]);
    }
    for (mul, acc) in arithsim::cost::MAC_COMPARISON {
        if mul != acc {
            all.push(FpUnit::Fma { mul, acc });
        }
    }
    for unit in all {
        let f = fp_unit_figures(unit, &cfg, &lib, OPS, SEED)?;
        println!(
            "{:<42} {:>6} {:>6} {:>7} {:>6} {:>10.3} {:>10.0} {:>12.3} {:>12.3}",
            f.unit,
            f.gates,
            f.cells,
            f.two_input_equivalents,
            f.depth,
            f.random.delay_ns,
            f.random.area_um2,
            f.random.energy_pj_at(TABLE_V),
            f.nn.energy_pj_at(TABLE_V),
        );
    }
    let macs = [
        FpUnit::Mac {
            mul: FloatFormat::FP16,
            acc: FloatFormat::FP32,
        },
        FpUnit::Mac {
            mul: FloatFormat::FP8_E4M3,
            acc: FloatFormat::FP32,
        },
    ];
    for unit in units.iter().chain(&macs) {
        let net = unit.build(&cfg)?;
        let (area, delay) = (net.area_um2(&lib), net.timing(&lib).delay_ns);
        println!(
            "\n{}: where the area and the critical path go ({area:.0} µm², {delay:.3} ns)",
            unit
        );
        println!(
            "  {:<40} {:>6} {:>10} {:>7} {:>10} {:>7}",
            "part", "cells", "area (µm²)", "area %", "delay (ns)", "delay %"
        );
        let line = |p: &LabelCost, indent: &str| {
            let name = if p.label.is_empty() {
                "(unlabelled: ports, registers)".to_string()
            } else {
                format!("{indent}{}", p.label)
            };
            println!(
                "  {name:<40} {:>6} {:>10.1} {:>6.1}% {:>10.3} {:>6.1}%",
                p.cells,
                p.area_um2,
                100.0 * p.area_um2 / area,
                p.critical_path_ns,
                100.0 * p.critical_path_ns / delay.max(f64::MIN_POSITIVE),
            );
        };
        // the shared round-and-pack back end, one level further down
        // a MAC's unit sits one level further down, under "fp mac"
        let depth = if matches!(unit, FpUnit::Mac { .. }) {
            3
        } else {
            2
        };
        let inner = label_breakdown(&net, &lib, depth + 1);
        for p in label_breakdown(&net, &lib, depth) {
            line(&p, "");
            if p.label.ends_with("/round-pack") {
                for q in inner
                    .iter()
                    .filter(|q| q.label.starts_with(&format!("{}/", p.label)))
                {
                    line(q, "  ");
                }
            }
        }
    }

    println!("\nBuild options (area and delay against the default build):");
    let options = [
        (
            "rounding mode from an `rm` input",
            cfg.with_rounding(RoundingControl::Input),
        ),
        (
            "flush-to-zero + denormals-are-zero",
            cfg.with_flush_subnormals(true),
        ),
    ];
    for unit in units {
        let base = unit.build(&cfg)?;
        let (a0, d0) = (base.area_um2(&lib), base.timing(&lib).delay_ns);
        for (what, c) in &options {
            let net = unit.build(c)?;
            let (a, d) = (net.area_um2(&lib), net.timing(&lib).delay_ns);
            println!(
                "  {:<20} {what:<36} area {a:>7.0} µm² ({:+.1}%), delay {d:.3} ns ({:+.1}%)",
                unit.to_string(),
                100.0 * (a / a0 - 1.0),
                100.0 * (d / d0 - 1.0),
            );
        }
    }

    for f in [FloatFormat::FP16, FloatFormat::FP32] {
        let single = fp_adder(f, &cfg)?;
        let two = fp_adder_near_far(f, &cfg)?;
        let (a0, d0) = (single.area_um2(&lib), single.timing(&lib).delay_ns);
        let (a, d) = (two.area_um2(&lib), two.timing(&lib).delay_ns);
        println!(
            "  {:<20} {:<36} area {a:>7.0} µm² ({:+.1}%), delay {d:.3} ns ({:+.1}%)",
            FpUnit::Adder(f).to_string(),
            "near/far two-path adder",
            100.0 * (a / a0 - 1.0),
            100.0 * (d / d0 - 1.0),
        );
    }

    println!(
        "\nINT8 MAC against floating-point MACs, all gate-level (64 streams x {CLOCKS} clocks), \
         ratios to the INT8 MAC:"
    );
    println!(
        "{:<24} {:>6} {:>10} {:>7} {:>14} {:>8} {:>14} {:>8} {:>10}",
        "MAC unit",
        "cells",
        "area (µm²)",
        "area x",
        "E rand (pJ)",
        "E x",
        "E NN (pJ)",
        "E NN x",
        "delay (ns)"
    );
    let macs = mac_comparison(&cfg, &lib, CLOCKS, SEED)?;
    let base = &macs[0];
    let e = |c: &GateCost| c.energy_pj_at(TABLE_V);
    for m in &macs {
        println!(
            "{:<24} {:>6} {:>10.0} {:>7.2} {:>14.3} {:>8.2} {:>14.3} {:>8.2} {:>10.3}",
            m.unit,
            m.cells,
            m.random.area_um2,
            m.random.area_um2 / base.random.area_um2,
            e(&m.random),
            e(&m.random) / e(&base.random),
            e(m.cost(OperandMix::NeuralNet)),
            e(&m.nn) / e(&base.nn),
            m.random.delay_ns,
        );
    }
    println!(
        "\nAbsolute areas depend on the synthesis flow (these are unoptimized textbook netlists); \
         the ratios between units built the same way carry over."
    );
    Ok(())
}
