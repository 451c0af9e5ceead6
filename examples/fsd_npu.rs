//! ResNet-50 v1.5 (224 × 224, batch 1) on the Tesla FSD NPU model: MACs, cycles,
//! utilization, frames per second, energy per frame (compute vs SRAM vs DRAM) and TOPS/W,
//! for INT8 (the real chip) against FP16 and FP32 MACs on the same array.
//!
//! Energy comes from the embedded Horowitz 45 nm table (or `--table FILE`, whose name and node
//! are printed); the DRAM read is a 1.3–2.6 nJ range, so energy and TOPS/W print as ranges
//! and the chart draws midpoints.
//!
//! Run: `cargo run --release --example fsd_npu -- [--table FILE] [--out DIR]` (default
//! `reports` under the target directory); writes `fsd_npu_energy.svg` there.

#[path = "common/cli.rs"]
mod cli;

use std::process::ExitCode;
use std::time::Instant;

use arithsim::accel::{
    Bandwidth, Bound, Dataflow, EnergyBreakdown, MacArithmetic, MacArray, Network, NetworkMapping,
    fsd_npu, map_network, map_network_stalls, scalesim_network,
};
use arithsim::cost::{FloatKind, Span, energy_text, sig};
use plotters::prelude::*;

struct Row {
    label: String,
    array: MacArray,
    mapping: NetworkMapping,
    energy: EnergyBreakdown,
}

fn main() -> ExitCode {
    cli::main(&cli::FSD_NPU, run)
}

fn run(args: &cli::Args) -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = args.create_out()?;
    let table = args.cost_table()?;
    let net = Network::resnet50_v1_5(1)?;
    let npu = fsd_npu();

    println!("{} on {}", net.name, npu.name);
    println!(
        "  {} x {} MACs at {} GHz: peak {:.2} TOPS per NPU, {:.2} TOPS per chip ({} NPUs)",
        npu.rows,
        npu.cols,
        npu.clock_hz / 1e9,
        npu.peak_tops(),
        npu.chip_peak_tops(),
        npu.arrays_per_chip
    );
    println!(
        "  SRAM {} MiB ({} B activations + {} B weights per cycle), DRAM {:.1} GB/s",
        npu.sram_bytes >> 20,
        npu.act_bytes_per_cycle,
        npu.weight_bytes_per_cycle,
        npu.dram_bytes_per_s / 1e9
    );
    println!(
        "  dataflow: {} (Dataflow::{:?}): the NPU broadcasts one activation per row and one \
         weight per column each cycle into accumulators that stay put (an outer product, no \
         systolic fill); accumulators drain a row of {} per cycle behind the next tile",
        npu.dataflow, npu.dataflow, npu.cols
    );
    println!(
        "  {} layers, {} MACs per frame, {:.1} M weights\n",
        net.layers.len(),
        net.macs(),
        net.weight_elems() as f64 / 1e6
    );

    let t0 = Instant::now();
    let mut rows = Vec::new();
    for arith in [
        MacArithmetic::INT8_INT32,
        // FP16 operands, FP32 accumulator: the "FP16→FP32 MAC" of every report.
        MacArithmetic::FP16_FP32,
        MacArithmetic::FP32,
    ] {
        let array = npu.with_arithmetic(arith)?;
        let mapping = map_network(&array, &net)?;
        let energy = mapping.energy(&table)?;
        rows.push(Row {
            label: arith.to_string(),
            array,
            mapping,
            energy,
        });
    }
    let map_time = t0.elapsed() / 3;

    // Energies in mJ per frame with 3 significant digits, ranges "lo–hi": the spelling of
    // `cost::energy_text` and of `EnergyBreakdown`'s Display, so the figure reads the same in
    // every report.
    println!(
        "{:<26} {:>10} {:>6} {:>8} {:>7} {:>18} {:>8} {:>8} {:>8} {:>11}",
        "arithmetic",
        "cycles",
        "util",
        "frames/s",
        "TOPS",
        "energy/frame (mJ)",
        "compute",
        "SRAM",
        "DRAM",
        "TOPS/W"
    );
    for r in &rows {
        let (m, e) = (&r.mapping, &r.energy);
        let mj = |s: Span| s.map(|v| v / 1e9).to_string();
        let mid_mj = |s: Span| sig(s.mid() / 1e9);
        println!(
            "{:<26} {:>10} {:>5.1}% {:>8.0} {:>7.2} {:>18} {:>8} {:>8} {:>8} {:>11}",
            r.label,
            m.cycles(),
            100.0 * m.utilization(),
            m.inferences_per_s(),
            m.achieved_tops(),
            mj(e.total_pj()),
            mid_mj(e.compute_pj),
            mid_mj(e.sram_pj),
            mid_mj(e.dram_pj),
            e.tops_per_watt(m.macs()).to_string(),
        );
    }
    println!(
        "(compute, SRAM and DRAM in mJ per frame at the DRAM read's midpoint; INT8 in full: {})",
        rows[0].energy
    );
    let int8 = &rows[0];
    // The table's own name and node(s), not the default table's.
    let mut nodes: Vec<f64> = table.rows().iter().map(|r| r.node_nm).collect();
    nodes.sort_by(f64::total_cmp);
    nodes.dedup();
    let nodes: Vec<String> = nodes.iter().map(|n| format!("{n}")).collect();
    println!(
        "\nMAC energy (table \"{}\", {} nm): INT8 MAC {}, FP16→FP32 MAC {}, FP32 MAC {}; \
         FP32/INT8 energy per frame: {:.1}x",
        table.name(),
        nodes.join("/"),
        energy_text(rows[0].array.mac_energy_pj(&table)?),
        energy_text(rows[1].array.mac_energy_pj(&table)?),
        energy_text(rows[2].array.mac_energy_pj(&table)?),
        rows[2].energy.total_pj().mid() / int8.energy.total_pj().mid()
    );
    // The other FP16 MAC (cost_report prices both): FP16 products added in FP16.
    let fp16_acc = MacArithmetic::Float {
        mul: FloatKind::FP16,
        acc: FloatKind::FP16,
    };
    println!(
        "(An FP16 MAC with FP16 accumulation, FP16 mult + FP16 add, would be {}; this \
         report's FP16 rows accumulate in FP32.)",
        energy_text(npu.with_arithmetic(fp16_acc)?.mac_energy_pj(&table)?)
    );
    println!(
        "INT8: memory is {:.0}% of the energy per frame (midpoint); compute-only ceiling {:.1} TOPS/W",
        100.0 * int8.energy.memory_fraction(),
        int8.array.compute_tops_per_watt(&table)?.lo
    );

    // Where the INT8 cycles go: the slowest layers and what bounds them.
    println!("\nINT8, the ten longest layers:");
    println!(
        "{:<22} {:>12} {:>9} {:>6} {:>14}",
        "layer", "MACs", "cycles", "util", "bound"
    );
    let mut layers: Vec<_> = int8.mapping.layers.iter().collect();
    layers.sort_by_key(|l| std::cmp::Reverse(l.cycles));
    for l in layers.iter().take(10) {
        println!(
            "{:<22} {:>12} {:>9} {:>5.1}% {:>14}",
            l.name,
            l.macs,
            l.cycles,
            100.0 * l.utilization(),
            bound_label(l.bound)
        );
    }

    // Dataflow comparison: arithsim's two models and the systolic ones (SCALE-Sim's cycle
    // model; SCALE-Sim itself reports each layer's last cycle index, one less per layer).
    println!(
        "\nSame INT8 array, other dataflows (compute cycles; SCALE-Sim 3.0 figure in brackets):"
    );
    let base = int8
        .mapping
        .layers
        .iter()
        .map(|l| l.compute_cycles)
        .sum::<u64>();
    for df in [
        Dataflow::OutputStationary,
        Dataflow::WeightStationary,
        Dataflow::SystolicOutputStationary,
        Dataflow::SystolicWeightStationary,
        Dataflow::SystolicInputStationary,
    ] {
        let a = npu.with_dataflow(df);
        let m = map_network(&a, &net)?;
        let compute: u64 = m.layers.iter().map(|l| l.compute_cycles).sum();
        let scalesim = if df.is_systolic() {
            let s: u64 = scalesim_network(&a, &net)?
                .iter()
                .map(|l| l.compute_cycles)
                .sum();
            format!("[{s}]")
        } else {
            String::new()
        };
        println!(
            "  {:<28} {:>10} {:<10} {:>5.2}x broadcast OS, {:>7} cycles with DRAM, {:.0} frames/s",
            df.to_string(),
            compute,
            scalesim,
            compute as f64 / base as f64,
            m.cycles(),
            m.inferences_per_s()
        );
    }

    // Bandwidth stalls: tiles double-buffered behind the SRAM ports and DRAM.
    let bw = Bandwidth::of(&npu);
    let st = map_network_stalls(&npu, &net, bw)?;
    let stalled: u64 = st.iter().map(|s| s.cycles).sum();
    let memory: Vec<&str> = st
        .iter()
        .filter(|s| s.is_memory_bound())
        .map(|s| s.name.as_str())
        .collect();
    println!(
        "\nINT8 with stalls (SRAM {:.0} B/cycle, DRAM {:.1} B/cycle, double-buffered tiles): \
         {} cycles; {} of {} layers memory-bound: {}",
        bw.sram_bytes_per_cycle,
        bw.dram_bytes_per_cycle,
        stalled,
        memory.len(),
        st.len(),
        memory.join(", ")
    );
    let lenet = Network::lenet5(1)?;
    let ml = map_network(&npu, &lenet)?;
    println!(
        "{}: {} MACs, {} cycles, {:.2}% utilization (tiny layers leave the array idle)",
        lenet.name,
        lenet.macs(),
        ml.cycles(),
        100.0 * ml.utilization()
    );
    println!("\nmapping ResNet-50 onto the model took {map_time:?} per arithmetic");

    let path = out_dir.join("fsd_npu_energy.svg");
    chart(&path, &rows)?;
    println!("chart: {}", path.display());
    Ok(())
}

/// What bounds a layer, in words (a table cell, not the enum's `Debug` name).
fn bound_label(b: Bound) -> &'static str {
    match b {
        Bound::Compute => "compute",
        Bound::SramBandwidth => "SRAM bandwidth",
        Bound::Dram => "DRAM",
    }
}

/// Picks one part of an energy breakdown, in pJ.
type Part = fn(&EnergyBreakdown) -> f64;

/// Stacked bars of energy per frame (midpoints): compute, SRAM, DRAM.
fn chart(path: &std::path::Path, rows: &[Row]) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::new(path, (760, 480)).into_drawing_area();
    root.fill(&WHITE)?;
    let max = rows
        .iter()
        .map(|r| r.energy.total_pj().mid() / 1e9)
        .fold(0.0, f64::max)
        * 1.15;
    let labels: Vec<String> = rows
        .iter()
        .map(|r| r.label.split(' ').next().unwrap_or("").to_string())
        .collect();
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "ResNet-50 v1.5 on the FSD NPU model: energy per frame (45 nm)",
            ("sans-serif", 18),
        )
        .margin(15)
        .x_label_area_size(35)
        .y_label_area_size(55)
        .build_cartesian_2d(0.0..rows.len() as f64, 0.0..max)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(rows.len() * 2 + 1)
        .x_label_formatter(&|x| {
            let i = x.floor() as usize;
            if (x - i as f64 - 0.5).abs() < 1e-9 && i < labels.len() {
                labels[i].clone()
            } else {
                String::new()
            }
        })
        .y_desc("mJ per frame (midpoint)")
        .draw()?;
    let parts: [(&str, RGBColor, Part); 3] = [
        ("compute (MACs)", RGBColor(66, 133, 244), |e| {
            e.compute_pj.mid()
        }),
        ("SRAM", RGBColor(251, 188, 5), |e| e.sram_pj.mid()),
        ("DRAM", RGBColor(234, 67, 53), |e| e.dram_pj.mid()),
    ];
    let mut base = vec![0.0; rows.len()];
    for (name, color, get) in parts {
        let bars: Vec<_> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let h = get(&r.energy) / 1e9;
                let rect = Rectangle::new(
                    [(i as f64 + 0.2, base[i]), (i as f64 + 0.8, base[i] + h)],
                    color.filled(),
                );
                base[i] += h;
                rect
            })
            .collect();
        chart
            .draw_series(bars)?
            .label(name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled()));
    }
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE.mix(0.8))
        .position(SeriesLabelPosition::UpperLeft)
        .draw()?;
    root.present()?;
    Ok(())
}
