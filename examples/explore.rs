//! Design-space exploration: the 8×8 and 16×16 multiplier spaces (every partial-product
//! generator × reduction × final adder, unsigned and signed) and a small accelerator space for
//! ResNet-50 (arrays 32…256, square and rectangular, × every dataflow × INT8/FP16), each with
//! its Pareto front and the Tesla FSD NPU's point marked, printed and written as
//! `report.md`, `report.<ext>` and SVG scatter plots.
//!
//! - Multipliers: gate-derived area, delay and zero-delay energy under NanGate 45 nm (4096
//!   random operand transitions each); the front is over area and delay. The FSD NPU's MAC
//!   multiplier (`circuits::mac::MacSpec::INT8_INT32`: signed 8×8, Baugh-Wooley, Dadda, Brent-Kung) is
//!   marked.
//! - Accelerators: ResNet-50 v1.5 (batch 1) mapped onto each array with the FSD NPU's clock,
//!   SRAM and DRAM; the front is over MAC-array area, latency and energy per inference; the
//!   chart shows area against latency with the front of those two. The FSD NPU (96×96 INT8,
//!   output stationary) is added to the grid and marked.
//!
//! Every point is evaluated in parallel on rayon's pool (all cores; `RAYON_NUM_THREADS=N` to
//! choose); the tables do not depend on the thread count.
//!
//! Run: `cargo run --release --example explore -- [--table FILE] [--out DIR]
//! [--format text|markdown|csv|json]` (default output folder `explore` under the target
//! directory; `--help` lists the options).

#[path = "common/cli.rs"]
mod cli;

use std::process::ExitCode;
use std::time::Instant;

use arithsim::accel::{MacArithmetic, Network, fsd_npu};
use arithsim::circuits::adders::AdderKind;
use arithsim::circuits::multipliers::{PartialProducts, Reduction, Signedness};
use arithsim::cost::report::{Scatter, Section};
use arithsim::gates::CellLibrary;
use arithsim::sweep::{
    AccelSpace, DATAFLOWS, Objective, SweepTable, accel_metrics, circuit_metrics, multiplier_space,
    sweep_accel, sweep_circuits,
};

/// The FSD NPU's MAC multiplier, as `multiplier_space` names it.
const FSD_MULTIPLIER: &str = "8x8 signed baugh-wooley/dadda/brent-kung";

fn multipliers(
    n: u32,
    lib: &CellLibrary,
    sections: &mut Vec<Section>,
    charts: &mut Vec<Scatter>,
) -> arithsim::Result<()> {
    let points = multiplier_space(
        &[n],
        &[Signedness::Unsigned, Signedness::Signed],
        &PartialProducts::ALL,
        &Reduction::ALL,
        &AdderKind::ALL,
    );
    let t0 = Instant::now();
    let t = sweep_circuits(
        &format!("{n}x{n} multipliers"),
        &points,
        lib,
        4096,
        1,
        &circuit_metrics(),
    )?;
    let secs = t0.elapsed().as_secs_f64();
    let (area, delay, energy) = ("area (µm²)", "delay (ns)", "energy (pJ/op)");
    let front = t.front(&[Objective::min(area), Objective::min(delay)])?;
    let front3 = t.front(&[
        Objective::min(area),
        Objective::min(delay),
        Objective::min(energy),
    ])?;
    let marked = marked(&t, FSD_MULTIPLIER);
    println!(
        "{n}x{n} multipliers: {} configurations in {secs:.2} s on {} threads; Pareto front over \
         area and delay: {} points (over area, delay and energy: {})",
        t.rows.len(),
        rayon::current_num_threads(),
        front.len(),
        front3.len()
    );
    print_front(&t, &front, &marked, &[area, delay, energy]);
    sections.push(t.section(
        if n == 8 {
            "multipliers-8"
        } else {
            "multipliers-16"
        },
        &format!("{n}×{n} multipliers: Pareto front over area and delay"),
        vec![format!(
            "{} configurations (unsigned and signed; every partial-product generator × \
                 reduction × final adder), NanGate 45 nm, 4096 random operand transitions, \
                 zero-delay energy at the library voltage. {} on the area–delay front, {} on \
                 the area–delay–energy front. Marked: the FSD NPU's MAC multiplier \
                 ({FSD_MULTIPLIER}).",
            t.rows.len(),
            front.len(),
            front3.len()
        )],
        &front,
        &marked,
        true,
    ));
    charts.push(t.scatter(
        &format!("multipliers-{n}x{n}.svg"),
        area,
        delay,
        &front,
        &marked,
    )?);
    Ok(())
}

fn accelerators(
    table: &arithsim::cost::CostTable,
    sections: &mut Vec<Section>,
    charts: &mut Vec<Scatter>,
) -> arithsim::Result<()> {
    let sizes = [32u32, 64, 128, 256];
    let space = AccelSpace {
        base: fsd_npu(),
        shapes: sizes
            .iter()
            .flat_map(|&r| sizes.iter().map(move |&c| (r, c)))
            .collect(),
        dataflows: DATAFLOWS.to_vec(),
        arithmetics: vec![MacArithmetic::INT8_INT32, MacArithmetic::FP16_FP32],
    };
    let mut arrays = space.points()?;
    let fsd = fsd_npu()
        .to_builder()
        .name("Tesla FSD NPU (96x96 INT8, output stationary)")
        .build()?;
    arrays.push(fsd.clone());
    let net = Network::resnet50_v1_5(1)?;
    let t0 = Instant::now();
    let t = sweep_accel(
        "ResNet-50 v1.5 accelerators",
        &arrays,
        &net,
        table,
        &accel_metrics(),
    )?;
    let secs = t0.elapsed().as_secs_f64();
    let (area, latency, energy) = (
        "MAC area (mm²)",
        "latency (ms)",
        "energy (mJ per inference)",
    );
    let front = t.front(&[
        Objective::min(area),
        Objective::min(latency),
        Objective::min(energy),
    ])?;
    let front2 = t.front(&[Objective::min(area), Objective::min(latency)])?;
    let marked = marked(&t, &fsd.name);
    println!(
        "\nResNet-50 accelerators: {} configurations in {:.1} ms on {} threads; Pareto front \
         over MAC area, latency and energy per inference: {} points (over area and latency: {})",
        t.rows.len(),
        secs * 1e3,
        rayon::current_num_threads(),
        front.len(),
        front2.len()
    );
    print_front(&t, &front, &marked, &[area, latency, energy, "utilization"]);
    sections.push(t.section(
        "accelerators",
        "ResNet-50 accelerators: Pareto front over MAC area, latency and energy",
        vec![format!(
            "Arrays 32…256 (square and rectangular) × {} dataflows × INT8/FP16 with the FSD \
             NPU's 2 GHz clock, 32 MiB SRAM and LPDDR4, ResNet-50 v1.5 at batch 1, energy from \
             the cost table (midpoint of its range), MAC area from the table. {} of {} on the \
             front (area–latency only: {}). Marked: {}.",
            DATAFLOWS.len(),
            front.len(),
            t.rows.len(),
            front2.len(),
            fsd.name
        )],
        &front,
        &marked,
        true,
    ));
    charts.push(t.scatter("accelerators-resnet50.svg", area, latency, &front2, &marked)?);
    Ok(())
}

/// Rows whose label is `label`.
fn marked(t: &SweepTable, label: &str) -> Vec<usize> {
    (0..t.rows.len())
        .filter(|&i| t.rows[i].label == label)
        .collect()
}

fn print_front(t: &SweepTable, front: &[usize], marked: &[usize], cols: &[&str]) {
    let idx: Vec<usize> = cols
        .iter()
        .map(|c| t.metric_index(c).expect("a metric of the sweep"))
        .collect();
    let mut rows: Vec<usize> = front.to_vec();
    rows.extend(marked.iter().filter(|m| !front.contains(m)));
    // Aligned columns (a marked row's label ends in " *"), each metric right-aligned under
    // its header with one number style: 4 decimals.
    let label = |i: usize| {
        let r = &t.rows[i];
        if marked.contains(&i) {
            format!("{} *", r.label)
        } else {
            r.label.clone()
        }
    };
    let label_w = rows
        .iter()
        .map(|&i| label(i).chars().count())
        .chain(["configuration".len()])
        .max()
        .unwrap_or(0);
    let widths: Vec<usize> = cols.iter().map(|c| c.chars().count().max(10)).collect();
    let mut header = format!("  {:<label_w$}", "configuration");
    for (c, w) in cols.iter().zip(&widths) {
        header.push_str(&format!("  {c:>w$}"));
    }
    println!("{header}");
    for &i in &rows {
        let mut line = format!("  {:<label_w$}", label(i));
        for (&j, w) in idx.iter().zip(&widths) {
            line.push_str(&format!("  {:>w$.4}", t.rows[i].metrics[j]));
        }
        println!("{line}");
    }
    for &m in marked {
        let on = if front.contains(&m) { "on" } else { "not on" };
        println!(
            "  * the FSD NPU's design ({}): {on} the front",
            t.rows[m].label
        );
    }
}

fn main() -> ExitCode {
    cli::main(&cli::EXPLORE, |a| -> arithsim::Result<()> {
        let o = &a.report();
        let table = o.cost_table()?;
        let lib = CellLibrary::nangate45();
        let (mut sections, mut charts) = (Vec::new(), Vec::new());
        multipliers(8, &lib, &mut sections, &mut charts)?;
        multipliers(16, &lib, &mut sections, &mut charts)?;
        accelerators(&table, &mut sections, &mut charts)?;
        let title = "Design-space exploration: multipliers and ResNet-50 accelerators";
        let written = arithsim::sweep::write(title, &sections, &charts, &o.out, o.format)?;
        if o.format != arithsim::cost::report::Format::Text {
            println!("{}", arithsim::sweep::render(title, &sections, o.format));
        }
        for p in written {
            println!("wrote {}", p.display());
        }
        Ok(())
    })
}
