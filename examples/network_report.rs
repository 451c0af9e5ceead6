//! The network report: two trained networks (`digits_mlp`, `digits_cnn`) on the 360 test
//! images of the 8×8 digits, run bit-exactly in every number format of
//! [`Format::report_set`], each format's top-1 accuracy beside its energy, latency and bytes
//! per inference — all from the same run.
//!
//! ```text
//! cargo run --release --example network_report
//! cargo run --release --example network_report -- --format markdown --out /tmp/nr
//! ```
//!
//! Options: `--table FILE` (a cost table, default the embedded Horowitz 45 nm table),
//! `--out DIR` (default `network-report` under the target directory: report.md, report.<ext>, predictions.csv and
//! the SVG charts), `--format text|markdown|csv|json`, `--help`. The environment variable
//! `NETWORK_REPORT_GATE_IMAGES` (default 2) sets how many test images section 6 runs on the
//! gate-level engine.

#[path = "common/cli.rs"]
mod cli;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use arithsim::accel::{
    Layer, LayerKind, MacArithmetic, MacArray, Network as AccelNet, fsd_npu, map_network,
};
use arithsim::circuits::fp::FpUnitConfig;
use arithsim::cost::report::{
    Bar, Cell, Chart, Grid, ReportOptions, Section, render_sections, write_sections,
};
use arithsim::cost::{
    CostTable, FloatKind, FpUnit, INT8_MAC_NAME, Span, fp_unit_figures, mac_comparison,
};
use arithsim::datapath::{Engine, FloatArith};
use arithsim::float::FloatFormat;
use arithsim::gates::CellLibrary;
use arithsim::nn::data::Digits;
use arithsim::nn::{
    Arithmetic, Calibration, Checkpoint, Executor, Format, Int8Config, Network, Op, RunOutput,
    WeightCompression, agreement, calibrate, digits_cnn, digits_mlp, int4_group, logit_sqnr_db,
};
use arithsim::quant::{MX_BLOCK_SIZE, WeightFormat};
use arithsim::{Error, Result};

/// Clocks per stream of the gate-level MAC figures (as the cost report).
const MAC_CLOCKS: usize = 64;
/// Seed of the gate-level operand streams.
const SEED: u64 = 2014;
/// Weight bits of the accuracy-vs-bits curve.
const BITS: [u32; 6] = [8, 6, 5, 4, 3, 2];
/// Densities of the accuracy-vs-density curve.
const DENSITIES: [f64; 8] = [1.0, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1];

fn main() -> ExitCode {
    cli::main(&cli::NETWORK_REPORT, |a| run(&a.report()))
}

/// A loaded network and the test data.
struct Bench {
    net: Network,
    test: Vec<Vec<f32>>,
    labels: Vec<usize>,
    train: Vec<Vec<f32>>,
    /// Activation ranges of the uncompressed network, by min/max and by 99.99 percentile.
    ranges: [Vec<(f64, f64)>; 2],
}

/// The executor of `f`: integer-only formats on the uncompressed weights reuse the bench's
/// calibrated ranges (the same ones `Executor::new` would compute), the others prepare
/// from scratch.
fn executor(b: &Bench, f: &Format) -> Result<Executor> {
    match (f.arithmetic, f.weights) {
        (Arithmetic::Int8(c), WeightCompression::None) => match c.calibration {
            Calibration::MinMax => Executor::with_ranges(&b.net, f, &b.ranges[0]),
            Calibration::Percentile(99.99) => Executor::with_ranges(&b.net, f, &b.ranges[1]),
            Calibration::Percentile(_) => Executor::new(&b.net, f, &b.train),
        },
        _ => Executor::new(&b.net, f, &b.train),
    }
}

/// One format's measured row.
struct Row {
    network: String,
    format: Format,
    accuracy: f64,
    agreement: f64,
    sqnr_db: f64,
    macs: u64,
    weight_bytes: u64,
    mac_name: String,
    table_pj: Option<f64>,
    gate_pj: Option<f64>,
    cycles: u64,
    latency_us: f64,
    predictions: Vec<usize>,
    notes: Vec<String>,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::text(s)
}

fn num(v: f64) -> Cell {
    Cell::Num(v)
}

fn pct(v: f64) -> f64 {
    100.0 * v
}

fn grid(columns: &[&str], rows: Vec<Vec<Cell>>) -> Grid {
    Grid {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows,
    }
}

fn load(name: &str, d: &Digits) -> Result<Bench> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("data/networks/{name}.safetensors"));
    let c = Checkpoint::load(&path)?;
    let net = if name == "digits_mlp" {
        digits_mlp(&c)?
    } else {
        digits_cnn(&c)?
    };
    let split = d.split(Digits::FIXED_SPLIT_SEED);
    let inputs = |ix: &[usize]| ix.iter().map(|&i| d.input(i)).collect::<Result<Vec<_>>>();
    let train = inputs(&split.train)?;
    let ranges = [
        calibrate(&net, &train, Calibration::MinMax)?,
        calibrate(&net, &train, Calibration::Percentile(99.99))?,
    ];
    Ok(Bench {
        ranges,
        net,
        test: inputs(&split.test)?,
        labels: split
            .test
            .iter()
            .map(|&i| d.label(i).map(usize::from))
            .collect::<Result<_>>()?,
        train,
    })
}

/// The MAC a format runs on: the array's arithmetic, the gate-level unit (if the crate has
/// its circuit), and a name.
fn mac_of(f: &Format) -> (MacArithmetic, Option<FpUnit>, String) {
    let kind = |x: FloatFormat| FloatKind::new(x.exp_bits(), x.man_bits());
    match f.arithmetic {
        Arithmetic::Float(a) => (
            MacArithmetic::Float {
                mul: kind(a.mul),
                acc: kind(a.acc),
            },
            Some(FpUnit::Mac {
                mul: a.mul,
                acc: a.acc,
            }),
            FpUnit::Mac {
                mul: a.mul,
                acc: a.acc,
            }
            .to_string(),
        ),
        Arithmetic::Mx(e) => {
            let el = e.float_format().unwrap_or(FloatFormat::FP8_E4M3);
            (
                MacArithmetic::Float {
                    mul: kind(el),
                    acc: FloatKind::FP32,
                },
                None,
                format!("{e} x {e} → FP32 MAC (+ E8M0 scales)"),
            )
        }
        Arithmetic::Int8(_) => (MacArithmetic::INT8_INT32, None, INT8_MAC_NAME.to_string()),
    }
}

/// Weight and bias bytes of the network as `f` stores it.
fn weight_bytes(net: &Network, f: &Format) -> Result<u64> {
    let mut bits = 0u64;
    for node in net.nodes() {
        let (rows, cols, nb) = match &node.op {
            Op::Dense(d) => (d.outputs, d.inputs, d.bias.len() as u64),
            Op::Conv2d(c) => (c.out_channels, c.reduction_len(), c.bias.len() as u64),
            _ => continue,
        };
        let n = (rows * cols) as u64;
        let w = match (f.arithmetic, f.weights) {
            (_, WeightCompression::Int4Group) => WeightFormat::Int4Group {
                group: int4_group(cols),
                symmetric: false,
            }
            .matrix_bits(rows, cols)?
            .total(),
            (_, WeightCompression::Nf4) => WeightFormat::NF4.matrix_bits(rows, cols)?.total(),
            (Arithmetic::Int8(c), wc) => {
                let per = if c.per_channel { 32 * rows as u64 } else { 32 };
                let codes = match wc {
                    // 2:4: half the values plus a 2-bit index each.
                    WeightCompression::TwoFour if cols % 4 == 0 => n / 2 * (8 + 2),
                    _ => n * u64::from(c.weight_bits),
                };
                codes + per
            }
            (Arithmetic::Float(a), _) => n * u64::from(a.mul.width()),
            (Arithmetic::Mx(e), _) => {
                n * u64::from(e.bits()) + 8 * (rows * cols.div_ceil(MX_BLOCK_SIZE)) as u64
            }
        };
        let b = match f.arithmetic {
            Arithmetic::Float(a) => u64::from(a.acc.width()),
            _ => 32,
        };
        bits += w + nb * b;
    }
    Ok(bits.div_ceil(8))
}

/// The accelerator view of a network: its dense and convolution layers, batch 1.
fn accel_net(net: &Network) -> Result<AccelNet> {
    let mut layers = Vec::new();
    for node in net.nodes() {
        let kind = match &node.op {
            Op::Dense(d) => LayerKind::FullyConnected {
                batch: 1,
                inputs: d.inputs,
                outputs: d.outputs,
            },
            Op::Conv2d(c) => {
                let s = net.shape(node.input);
                LayerKind::Conv2d(c.shape(s[1], s[2])?)
            }
            _ => continue,
        };
        layers.push(Layer {
            name: node.name.clone(),
            kind,
        });
    }
    Ok(AccelNet {
        name: net.name().into(),
        layers,
    })
}

/// Gate-derived energy per MAC (NN-like operands) of every unit the formats use.
struct GateMacs {
    int8: f64,
    float: Vec<(FpUnit, f64)>,
}

fn gate_macs(formats: &[Format]) -> Result<GateMacs> {
    let lib = CellLibrary::nangate45();
    let cfg = FpUnitConfig::default();
    let rows = mac_comparison(&cfg, &lib, MAC_CLOCKS, SEED)?;
    let int8 = rows[0].nn.energy_pj();
    let mut float: Vec<(FpUnit, f64)> = Vec::new();
    for f in formats {
        if let (_, Some(unit), name) = mac_of(f) {
            if float.iter().any(|(u, _)| *u == unit) {
                continue;
            }
            let e = match rows.iter().find(|r| r.unit == name) {
                Some(r) => r.nn.energy_pj(),
                None => fp_unit_figures(unit, &cfg, &lib, 64 * MAC_CLOCKS, SEED)?
                    .nn
                    .energy_pj(),
            };
            float.push((unit, e));
        }
    }
    Ok(GateMacs { int8, float })
}

fn measure(
    b: &Bench,
    f: &Format,
    fp32: Option<&RunOutput>,
    table: &CostTable,
    gm: &GateMacs,
) -> Result<(Row, RunOutput)> {
    let ex = executor(b, f)?;
    let out = ex.run(&b.test)?;
    let reference = fp32.unwrap_or(&out);
    let (arith, unit, mac_name) = mac_of(f);
    let n = b.test.len() as u64;
    let macs = b.net.macs();
    let table_pj = arith
        .mac_energy_pj(table)
        .ok()
        .map(|s| s.mid() * macs as f64);
    let gate_pj = match (f.arithmetic, unit) {
        (Arithmetic::Int8(_), _) => Some(gm.int8),
        (_, Some(u)) => gm.float.iter().find(|(x, _)| *x == u).map(|(_, e)| *e),
        _ => None,
    }
    .map(|e| e * macs as f64);
    let array: MacArray = if arith == MacArithmetic::INT8_INT32 {
        fsd_npu()
    } else {
        fsd_npu().with_arithmetic(arith)?
    };
    let mapping = map_network(&array, &accel_net(ex.network())?)?;
    let counted = out
        .tally
        .iter()
        .filter(|(op, _)| {
            matches!(
                op,
                arithsim::cost::OpKind::IntMac { .. } | arithsim::cost::OpKind::FpFma { .. }
            )
        })
        .map(|(_, c)| c)
        .sum::<u64>();
    if counted != macs * n {
        return Err(Error::Shape(format!(
            "{} on {}: {counted} MACs counted, {} expected",
            f.name,
            b.net.name(),
            macs * n
        )));
    }
    let row = Row {
        network: b.net.name().into(),
        format: f.clone(),
        accuracy: out.accuracy(&b.labels)?,
        agreement: agreement(&out.predictions, &reference.predictions)?,
        sqnr_db: logit_sqnr_db(&out.logits, &reference.logits)?,
        macs,
        weight_bytes: weight_bytes(ex.network(), f)?,
        mac_name,
        table_pj,
        gate_pj,
        cycles: mapping.cycles(),
        latency_us: mapping.seconds() * 1e6,
        predictions: out.predictions.clone(),
        notes: ex.notes().to_vec(),
    };
    Ok((row, out))
}

fn opt(v: Option<f64>) -> Cell {
    v.map_or(text("n/a"), num)
}

fn format_section(id: &'static str, title: String, rows: &[Row], n_test: usize) -> Section {
    let columns = [
        "format",
        "top-1 %",
        "agree w/ FP32 %",
        "logit SQNR dB",
        "MACs",
        "weight bytes",
        "MAC energy / inf, table (pJ)",
        "MAC energy / inf, gates (pJ)",
        "array MAC",
        "cycles (96x96)",
        "latency (µs)",
    ];
    let grid_rows = rows
        .iter()
        .map(|r| {
            vec![
                text(r.format.name.clone()),
                num(pct(r.accuracy)),
                num(pct(r.agreement)),
                if r.sqnr_db.is_infinite() {
                    text("exact")
                } else {
                    num(r.sqnr_db)
                },
                num(r.macs as f64),
                num(r.weight_bytes as f64),
                opt(r.table_pj),
                opt(r.gate_pj),
                text(r.mac_name.clone()),
                num(r.cycles as f64),
                num(r.latency_us),
            ]
        })
        .collect();
    let mut notes = vec![
        format!(
            "{n_test} test images of the fixed split (seed {}); one image = {:.2} %. Accuracy, \
             agreement and SQNR from one bit-exact word-level run per format; logit SQNR is \
             against the FP32 logits over all images.",
            Digits::FIXED_SPLIT_SEED,
            100.0 / n_test as f64
        ),
        "Energy counts the MACs only (MACs per inference × energy per MAC): table = the cost \
         table's multiply + accumulate-width add (n/a where the table has no such entry); gates \
         = the crate's gate-level MAC circuit (cost::fp_units, NanGate 45 nm cells, NN-like \
         operands, 64 streams × 64 clocks). n/a: no circuit for that MAC in the crate (MX: no \
         block-scaled MAC). INT8 formats (and 4-bit or pruned weights with INT8 activations) \
         run on the INT8 MAC; 4-bit weights with FP16 activations on the FP16→FP32 MAC \
         (dequantization not counted). Requantization, conversions and pooling are counted in \
         the tallies but not priced here."
            .into(),
        "Cycles and latency: accel::map_network, batch 1, output stationary, 2 GHz. INT8: the \
         Tesla FSD NPU (96 × 96 INT8 MACs); other formats: the same array, SRAM ports and clock \
         built from that format's MAC (wider operands take more cycles to deliver)."
            .into(),
        "Weight bytes include biases (INT32 for integer formats, the accumulate format for \
         floats) and every scale: INT8 one FP32 scale per channel (or tensor); INT4 g128 FP16 \
         scales and 4-bit zeros; NF4 one FP32 absmax per 64; MX one E8M0 per 32 along the \
         reduction; 2:4 half the values plus 2-bit indices; unstructured pruning stored dense."
            .into(),
    ];
    for r in rows {
        for n in &r.notes {
            notes.push(format!("{}: {n}", r.format.name));
        }
    }
    Section {
        id,
        title,
        notes,
        grid: grid(&columns, grid_rows),
        charts: vec![],
    }
}

/// Energy of a row for the Pareto chart: gate-derived, else table.
fn energy(r: &Row) -> Option<f64> {
    r.gate_pj.or(r.table_pj)
}

/// Indices of the rows no other row beats on both energy (lower) and accuracy (higher).
fn pareto(rows: &[Row]) -> Vec<usize> {
    (0..rows.len())
        .filter(|&i| {
            let Some(ei) = energy(&rows[i]) else {
                return false;
            };
            !rows.iter().any(|o| {
                energy(o).is_some_and(|eo| {
                    eo <= ei
                        && o.accuracy >= rows[i].accuracy
                        && (eo < ei || o.accuracy > rows[i].accuracy)
                })
            })
        })
        .collect()
}

/// A scatter of accuracy against energy per inference (log x), frontier points filled.
fn pareto_svg(title: &str, rows: &[Row], front: &[usize]) -> Result<String> {
    use plotters::prelude::*;
    let pts: Vec<(usize, f64, f64)> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| energy(r).map(|e| (i, e, pct(r.accuracy))))
        .collect();
    let err = |e: &dyn std::fmt::Display| Error::Unsupported(format!("cannot draw {title}: {e}"));
    let (xlo, xhi) = pts.iter().fold((f64::INFINITY, 0.0f64), |(l, h), p| {
        (l.min(p.1), h.max(p.1))
    });
    let (ylo, _) = pts
        .iter()
        .fold((100.0f64, 0.0f64), |(l, h), p| (l.min(p.2), h.max(p.2)));
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, (900, 560)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(
                ((xlo / 2.0)..(xhi * 3.0)).log_scale(),
                ((ylo - 5.0).max(0.0).floor())..100.5,
            )
            .map_err(|e| err(&e))?;
        chart
            .configure_mesh()
            .x_desc("MAC energy per inference (pJ, log)")
            .y_desc("top-1 accuracy (%)")
            .draw()
            .map_err(|e| err(&e))?;
        let mut line: Vec<(f64, f64)> = front
            .iter()
            .filter_map(|&i| energy(&rows[i]).map(|e| (e, pct(rows[i].accuracy))))
            .collect();
        line.sort_by(|a, b| a.0.total_cmp(&b.0));
        chart
            .draw_series(LineSeries::new(line, &RGBColor(0x1f, 0x77, 0xb4)))
            .map_err(|e| err(&e))?;
        for (i, x, y) in &pts {
            let on = front.contains(i);
            let style = if on {
                RGBColor(0x1f, 0x77, 0xb4).filled()
            } else {
                RGBColor(0x99, 0x99, 0x99).stroke_width(1)
            };
            chart
                .draw_series(std::iter::once(Circle::new((*x, *y), 4, style)))
                .map_err(|e| err(&e))?;
            chart
                .draw_series(std::iter::once(Text::new(
                    rows[*i].format.name.clone(),
                    (*x * 1.06, *y),
                    ("sans-serif", 10),
                )))
                .map_err(|e| err(&e))?;
        }
        root.present().map_err(|e| err(&e))?;
    }
    Ok(s)
}

fn run(o: &ReportOptions) -> Result<()> {
    let start = Instant::now();
    let table = o.cost_table()?;
    let digits = Digits::embedded()?;
    let formats = Format::report_set()?;
    let gm = gate_macs(&formats)?;
    let t_gate = start.elapsed().as_secs_f64();
    let benches = [load("digits_mlp", &digits)?, load("digits_cnn", &digits)?];
    let mut sections = Vec::new();
    let mut all_rows: Vec<Vec<Row>> = Vec::new();
    let mut fp32_runs = Vec::new();
    let mut preds_csv = String::from("network,format,accuracy,predictions\n");
    for (bi, b) in benches.iter().enumerate() {
        let mut rows = Vec::new();
        let (fp32_row, fp32) = measure(b, &formats[0], None, &table, &gm)?;
        rows.push(fp32_row);
        for f in &formats[1..] {
            let t = Instant::now();
            rows.push(measure(b, f, Some(&fp32), &table, &gm)?.0);
            eprintln!(
                "{} {}: {:.2} s",
                b.net.name(),
                f.name,
                t.elapsed().as_secs_f64()
            );
        }
        for r in &rows {
            let p: String = r
                .predictions
                .iter()
                .map(|d| char::from(b'0' + *d as u8))
                .collect();
            preds_csv.push_str(&format!(
                "{},\"{}\",{},{p}\n",
                r.network, r.format.name, r.accuracy
            ));
        }
        let id = if bi == 0 { "mlp" } else { "cnn" };
        sections.push(format_section(
            id,
            format!("{}. {}: every format on the test split", bi + 1, b.net),
            &rows,
            b.test.len(),
        ));
        all_rows.push(rows);
        fp32_runs.push(fp32);
    }
    let t_formats = start.elapsed().as_secs_f64();

    // 3. Pareto.
    let mut pareto_rows = Vec::new();
    let mut pareto_notes = vec![
        "Energy: gate-derived MAC energy per inference where the crate has the MAC circuit, \
         else the table's; formats with neither are left out. A format is on the frontier \
         when no other is at least as accurate for no more energy (and better in one)."
            .to_string(),
    ];
    for rows in &all_rows {
        let front = pareto(rows);
        for &i in &front {
            let r = &rows[i];
            pareto_rows.push(vec![
                text(r.network.clone()),
                text(r.format.name.clone()),
                num(pct(r.accuracy)),
                opt(energy(r)),
            ]);
        }
        let left: Vec<&str> = rows
            .iter()
            .filter(|r| energy(r).is_none())
            .map(|r| r.format.name.as_str())
            .collect();
        if !left.is_empty() {
            pareto_notes.push(format!(
                "{}: no energy figure for {}",
                rows[0].network,
                left.join(", ")
            ));
        }
    }
    sections.push(Section {
        id: "pareto",
        title: "3. Pareto frontier: accuracy against MAC energy per inference".into(),
        notes: pareto_notes,
        grid: grid(
            &["network", "format", "top-1 %", "MAC energy / inf (pJ)"],
            pareto_rows,
        ),
        charts: vec![],
    });

    // 4. Accuracy vs weight bits; 5. accuracy vs density.
    let mut bit_rows = Vec::new();
    let mut bit_bars = Vec::new();
    let mut dens_rows = Vec::new();
    let mut dens_bars = Vec::new();
    for (b, fp32) in benches.iter().zip(&fp32_runs) {
        for bits in BITS {
            let f = Format::new(
                format!("W{bits}A8"),
                Arithmetic::Int8(Int8Config {
                    weight_bits: bits,
                    ..Int8Config::TFLITE
                }),
                WeightCompression::None,
            );
            let out = executor(b, &f)?.run(&b.test)?;
            let acc = out.accuracy(&b.labels)?;
            bit_rows.push(vec![
                text(b.net.name()),
                num(f64::from(bits)),
                num(pct(acc)),
                num(pct(agreement(&out.predictions, &fp32.predictions)?)),
                num(logit_sqnr_db(&out.logits, &fp32.logits)?),
            ]);
            bit_bars.push(Bar {
                label: format!("{} {bits}-bit", b.net.name()),
                value: Span::exact(pct(acc)),
            });
            preds_csv.push_str(&format!(
                "{},W{bits}A8,{acc},{}\n",
                b.net.name(),
                digits_of(&out)
            ));
        }
        for d in DENSITIES {
            let f = Format::new(
                format!("INT8 density {d}"),
                Arithmetic::Int8(Int8Config::TFLITE),
                WeightCompression::Unstructured(d),
            );
            let out = Executor::new(&b.net, &f, &b.train)?.run(&b.test)?;
            let acc = out.accuracy(&b.labels)?;
            dens_rows.push(vec![
                text(b.net.name()),
                num(d),
                num(pct(acc)),
                num(pct(agreement(&out.predictions, &fp32.predictions)?)),
                num(logit_sqnr_db(&out.logits, &fp32.logits)?),
            ]);
            dens_bars.push(Bar {
                label: format!("{} density {d}", b.net.name()),
                value: Span::exact(pct(acc)),
            });
            preds_csv.push_str(&format!(
                "{},INT8 density {d},{acc},{}\n",
                b.net.name(),
                digits_of(&out)
            ));
        }
    }
    sections.push(Section {
        id: "bits",
        title: "4. Accuracy against weight bits (INT8 activations)".into(),
        notes: vec![
            "Weights symmetric per output channel on [-(2^(b-1)-1), 2^(b-1)-1] (scale max|w| / \
             (2^(b-1)-1), round half away), activations INT8 calibrated by min/max on the \
             training images, integer-only TFLite kernels; no retraining."
                .into(),
        ],
        grid: grid(
            &[
                "network",
                "weight bits",
                "top-1 %",
                "agree w/ FP32 %",
                "logit SQNR dB",
            ],
            bit_rows,
        ),
        charts: vec![Chart {
            file: "network-accuracy-vs-bits.svg".into(),
            title: "Top-1 accuracy against weight bits (INT8 activations)".into(),
            axis: "top-1 accuracy (%)".into(),
            bars: bit_bars,
        }],
    });
    sections.push(Section {
        id: "density",
        title: "5. Accuracy against weight density (magnitude pruning, no retraining)".into(),
        notes: vec![
            "Each layer's weights pruned to the density by magnitude (arithsim::quant::\
             prune_unstructured), then INT8 per-channel integer-only inference; the pruned \
             network is calibrated on the training images."
                .into(),
        ],
        grid: grid(
            &[
                "network",
                "density",
                "top-1 %",
                "agree w/ FP32 %",
                "logit SQNR dB",
            ],
            dens_rows,
        ),
        charts: vec![Chart {
            file: "network-accuracy-vs-density.svg".into(),
            title: "Top-1 accuracy against weight density (INT8)".into(),
            axis: "top-1 accuracy (%)".into(),
            bars: dens_bars,
        }],
    });

    // 6. The gate-level engine on a few images.
    let gate_images: usize = std::env::var("NETWORK_REPORT_GATE_IMAGES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2);
    let mut gate_rows = Vec::new();
    let t = Instant::now();
    if gate_images > 0 {
        let b = &benches[0];
        let imgs = &b.test[..gate_images.min(b.test.len())];
        for (name, a) in [
            ("FP8 E4M3 (FP16 acc)", FloatArith::FP8_E4M3_FP16),
            ("FP16 (FP32 acc)", FloatArith::FP16_FP32),
        ] {
            let f = Format::new(name, Arithmetic::Float(a), WeightCompression::None);
            let word = Executor::new(&b.net, &f, &[])?.run(imgs)?;
            let gate = Executor::with_engine(&b.net, &f, &[], Engine::GateLevel)?.run(imgs)?;
            let same = word.logits == gate.logits;
            gate_rows.push(vec![
                text(b.net.name()),
                text(name),
                num(imgs.len() as f64),
                text(if same { "yes" } else { "NO" }),
            ]);
            if !same {
                return Err(Error::Unsupported(format!(
                    "{name}: gate-level logits differ"
                )));
            }
        }
    }
    let t_gate_engine = t.elapsed().as_secs_f64();
    sections.push(Section {
        id: "gate-engine",
        title: "6. The gate-level engine on a subset".into(),
        notes: vec![format!(
            "The same images through the FMA netlists of arithsim::circuits::fp, simulated gate \
             by gate (NETWORK_REPORT_GATE_IMAGES = {gate_images}, {t_gate_engine:.1} s); the \
             logits must equal the word engine's bit for bit."
        )],
        grid: grid(
            &["network", "format", "images", "logits identical"],
            gate_rows,
        ),
        charts: vec![],
    });

    // Headline.
    let cnn = &all_rows[1];
    let fp32 = &cnn[0];
    let int8 = cnn
        .iter()
        .find(|r| r.format.name == "INT8 per-channel, min/max")
        .ok_or_else(|| Error::Unsupported("no INT8 row".into()))?;
    let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => format!("{:.1}x", a / b),
        _ => "n/a".into(),
    };
    let headline = format!(
        "INT8 (per-channel, min/max, integer-only) on {}: top-1 {:.2} % against FP32's {:.2} % \
         ({:+.2} points, {:+} images of {}), {} less MAC energy per inference (gates; table: \
         {}), {:.1}x fewer weight bytes, {:.1}x fewer cycles on the 96 x 96 array.",
        fp32.network,
        pct(int8.accuracy),
        pct(fp32.accuracy),
        pct(int8.accuracy - fp32.accuracy),
        ((int8.accuracy - fp32.accuracy) * benches[1].test.len() as f64).round() as i64,
        benches[1].test.len(),
        ratio(fp32.gate_pj, int8.gate_pj),
        ratio(fp32.table_pj, int8.table_pj),
        fp32.weight_bytes as f64 / int8.weight_bytes.max(1) as f64,
        fp32.cycles as f64 / int8.cycles.max(1) as f64,
    );
    let ratio_cell = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => num(a / b),
        _ => text("n/a"),
    };
    let headline_grid = grid(
        &["figure", "FP32", "INT8", "FP32 / INT8"],
        vec![
            vec![
                text("top-1 % (test split)"),
                num(pct(fp32.accuracy)),
                num(pct(int8.accuracy)),
                Cell::Empty,
            ],
            vec![
                text("MAC energy / inference, gates (pJ)"),
                opt(fp32.gate_pj),
                opt(int8.gate_pj),
                ratio_cell(fp32.gate_pj, int8.gate_pj),
            ],
            vec![
                text("MAC energy / inference, table (pJ)"),
                opt(fp32.table_pj),
                opt(int8.table_pj),
                ratio_cell(fp32.table_pj, int8.table_pj),
            ],
            vec![
                text("weight bytes"),
                num(fp32.weight_bytes as f64),
                num(int8.weight_bytes as f64),
                num(fp32.weight_bytes as f64 / int8.weight_bytes.max(1) as f64),
            ],
            vec![
                text("cycles on the 96 x 96 array"),
                num(fp32.cycles as f64),
                num(int8.cycles as f64),
                num(fp32.cycles as f64 / int8.cycles.max(1) as f64),
            ],
        ],
    );
    let total = start.elapsed().as_secs_f64();
    sections.insert(
        0,
        Section {
            id: "headline",
            title: "0. Headline".into(),
            notes: vec![
                headline,
                format!(
                    "Run time {total:.1} s on {} threads (gate-level MAC figures {t_gate:.1} s, \
                     formats {:.1} s).",
                    rayon::current_num_threads(),
                    t_formats - t_gate
                ),
            ],
            grid: headline_grid,
            charts: vec![],
        },
    );
    let title = "Real networks on real data: accuracy beside cost for every number format";
    print!("{}", render_sections(title, &sections, o.format));
    write_sections(title, &sections, &o.out, o.format)?;
    let io = |p: PathBuf| move |source| Error::Io { path: p, source };
    let p = o.out.join("predictions.csv");
    std::fs::write(&p, preds_csv).map_err(io(p.clone()))?;
    for (rows, name) in all_rows.iter().zip(["mlp", "cnn"]) {
        let front = pareto(rows);
        let svg = pareto_svg(
            &format!("{}: accuracy against MAC energy", rows[0].network),
            rows,
            &front,
        )?;
        let p = o.out.join(format!("network-pareto-{name}.svg"));
        std::fs::write(&p, svg).map_err(io(p.clone()))?;
    }
    Ok(())
}

fn digits_of(out: &RunOutput) -> String {
    out.predictions
        .iter()
        .map(|d| char::from(b'0' + *d as u8))
        .collect()
}
