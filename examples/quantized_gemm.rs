//! The accuracy/cost trade-off of one layer: a 256 × 1024 fully connected layer applied to 64
//! activation vectors, with synthetic zero-centred weights (per-channel spread over two
//! decades, as trained layers show) and ReLU-like (non-negative, skewed) activations.
//!
//! Every variant runs bit-exactly through the datapath (INT8: `quant::quantized_gemm`, the
//! TFLite int8 kernel; floats: the FP datapath with exact products and FP32 accumulation);
//! its error is measured against an f64 reference of the unquantized layer. Energy per
//! inference is the same layer mapped onto the FSD NPU model with that arithmetic (MACs,
//! SRAM and DRAM from the Horowitz 45 nm table, midpoint of the DRAM range), plus the
//! INT8 requantization. Two OCP MX rows (MXFP8 E4M3, MXFP4 E2M1: exact block dot products,
//! FP32 sum over blocks) are added for comparison; their E8M0 scales (one byte per 32
//! elements) are not in the traffic.
//!
//! Run: `cargo run --release --example quantized_gemm -- [--table FILE] [--out DIR]`
//! (default `reports` under the target directory); writes `quantized_gemm_tradeoff.svg`
//! there.

#[path = "common/cli.rs"]
mod cli;

use arithsim::Signedness;
use std::process::ExitCode;

use arithsim::accel::{MacArithmetic, fsd_npu, map_gemm};
use arithsim::cost::{CostRow, FloatKind, NumKind, OpKind, SplitMix64, Tally};
use arithsim::datapath::LayerOperands;
use arithsim::datapath::{
    Bias, ErrorStats, FloatArith, FloatDatapath, GemmOperands, GemmShape, OutputGrid,
};
use arithsim::float::{FloatEnv, FloatFormat};
use arithsim::quant::{
    FusedActivation, IntType, MxBlock, MxElement, PerChannelParams, QuantLayerParams, QuantParams,
    Requantization, Symmetry, WeightParams, mx_quantize, quantized_gemm,
};
use arithsim::rand_core::SeedableRng;
use arithsim::round::RoundingMode;
use plotters::prelude::*;
use rand_distr::{Distribution, StandardNormal};

const M: usize = 256; // output channels
const K: usize = 1024; // inputs per output
const N: usize = 64; // activation vectors

/// Seed of the weight and activation stream (the crate's seeded SplitMix64, sampled by
/// `rand_distr`'s `StandardNormal`, as `quant::normal_tensor` does).
const SEED: u64 = 0x5eed_1234_abcd_9876;

struct Result_ {
    name: String,
    stats: ErrorStats,
    energy_uj: f64,
}

fn main() -> ExitCode {
    cli::main(&cli::QUANTIZED_GEMM, run)
}

fn run(args: &cli::Args) -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = args.create_out()?;

    // Weights W[M][K]: channel c has standard deviation 10^(-2 c / M) (1 down to 0.01).
    // One stream of standard normal samples: the weights, then the activations.
    let mut normal = StandardNormal.sample_iter(SplitMix64::seed_from_u64(SEED));
    let mut draw = || -> f64 { normal.next().expect("the sample stream is endless") };
    let w: Vec<f32> = (0..M * K)
        .map(|i| {
            let sigma = 10f64.powf(-2.0 * (i / K) as f64 / M as f64);
            (draw() * sigma) as f32
        })
        .collect();
    // Activations X[K][N]: ReLU of a shifted normal (about 60% non-zero, long right tail).
    let x: Vec<f32> = (0..K * N)
        .map(|_| (draw() + 0.25).max(0.0) as f32)
        .collect();
    let shape = GemmShape::new(M, N, K)?;

    // f64 reference of the unquantized layer.
    let mut reference = vec![0.0f64; M * N];
    for i in 0..M {
        for kk in 0..K {
            let wv = w[i * K + kk] as f64;
            for j in 0..N {
                reference[i * N + j] += wv * x[kk * N + j] as f64;
            }
        }
    }
    let (rmin, rmax) = reference
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));

    let mut table = args.cost_table()?;
    // Assumption of this report: the INT32 -> INT8 clamp costs an 8-bit add.
    table.push(CostRow::new(
        OpKind::Convert {
            from: NumKind::Int {
                bits: 32,
                signedness: Signedness::Signed,
            },
            to: NumKind::Int {
                bits: 8,
                signedness: Signedness::Signed,
            },
        },
        table.price(OpKind::IntAdd { bits: 8 })?.energy_pj,
        45.0,
        0.9,
        "assumption (quantized_gemm example): a saturating clamp, priced as an 8-bit add",
    ))?;
    // Layer energy on the FSD NPU model with `arith`, plus `extra` operations.
    let energy = |arith: MacArithmetic, extra: &Tally| -> Result<f64, arithsim::Error> {
        let array = fsd_npu().with_arithmetic(arith)?;
        let m = map_gemm(&array, shape)?;
        let mut t = m.tally.clone();
        t.merge(extra);
        let e = arithsim::accel::EnergyBreakdown::from_table(&t, &table)?;
        Ok(e.total_pj().mid() / 1e6)
    };

    let mut results = Vec::new();

    // Floating point: operands rounded to the format (RNE), exact products, FP32 accumulation.
    for (name, arith, mac) in [
        ("FP32", FloatArith::FP32_FP32, MacArithmetic::FP32),
        (
            "FP16 → FP32",
            FloatArith::FP16_FP32,
            MacArithmetic::FP16_FP32,
        ),
        (
            "BF16 → FP32",
            FloatArith::BF16_FP32,
            MacArithmetic::BF16_FP32,
        ),
        (
            "FP8 E4M3 → FP32",
            FloatArith::FP8_E4M3_FP32,
            MacArithmetic::Float {
                mul: FloatKind::FP8_E4M3,
                acc: FloatKind::FP32,
            },
        ),
    ] {
        let env = FloatEnv::new(RoundingMode::NearestEven);
        let cast = |v: &[f32]| -> Vec<u64> {
            v.iter()
                .map(|&a| arith.mul.from_f32(a, &env).value)
                .collect()
        };
        let dp = FloatDatapath::new(arith)?;
        let out = dp.gemm(
            shape,
            GemmOperands {
                a: &cast(&w),
                b: &cast(&x),
            },
            Bias::None,
        )?;
        let stats = ErrorStats::compare(
            &out.to_f64(arith.acc),
            &reference,
            OutputGrid::Float(arith.acc),
        )?;
        results.push(Result_ {
            name: name.into(),
            stats,
            energy_uj: energy(mac, &Tally::new())?,
        });
    }

    // INT8: asymmetric per-tensor activations, symmetric narrow weights, int8 output
    // calibrated on the reference range; TFLite's double-rounding requantization.
    let xq = QuantParams::from_data(&x, IntType::Int8, Symmetry::Asymmetric)?;
    let x8 = xq.quantize_i8(&x, RoundingMode::NearestEven)?;
    let oq = QuantParams::from_min_max(rmin, rmax, IntType::Int8, Symmetry::Asymmetric)?;
    for (name, weights) in [
        (
            "INT8 per-tensor",
            WeightParams::PerTensor(QuantParams::from_data(
                &w,
                IntType::Int8Narrow,
                Symmetry::Symmetric,
            )?),
        ),
        (
            "INT8 per-channel",
            WeightParams::PerChannel(PerChannelParams::from_data(
                &w,
                M,
                IntType::Int8Narrow,
                Symmetry::Symmetric,
            )?),
        ),
    ] {
        let w8 = match &weights {
            WeightParams::PerTensor(p) => p.quantize_i8(&w, RoundingMode::NearestEven)?,
            WeightParams::PerChannel(pc) => pc.quantize_i8(&w, RoundingMode::NearestEven)?,
        };
        let params = QuantLayerParams {
            input: xq,
            weights,
            output: oq,
            activation: FusedActivation::None,
            requantization: Requantization::DoubleRounding,
        };
        let out = quantized_gemm(
            &params,
            shape,
            LayerOperands {
                weights: &w8,
                input: &x8,
            },
            Bias::None,
        )?;
        let deq: Vec<f64> = out
            .values
            .iter()
            .map(|&v| oq.dequantize(v as i32))
            .collect();
        let stats =
            ErrorStats::compare(&deq, &reference, OutputGrid::Uniform { step: oq.scale() })?;
        // Everything but the MACs (the mapping counts those): requantization.
        let mut requant = Tally::new();
        for (op, n) in out.tally.iter() {
            if !matches!(op, OpKind::IntMac { .. }) {
                requant.add(op, n);
            }
        }
        results.push(Result_ {
            name: name.into(),
            stats,
            energy_uj: energy(MacArithmetic::INT8_INT32, &requant)?,
        });
    }

    // OCP MX: W rows and X columns in blocks of 32 along K; each block pair's dot product is
    // exact and rounded once to FP32, and the 32 block results are summed in FP32 (RNE).
    let xt: Vec<f32> = (0..N * K).map(|i| x[(i % K) * N + i / K]).collect(); // X^T, N x K
    for (name, element, kind) in [
        ("MXFP8 E4M3", MxElement::Fp8E4M3, FloatKind::FP8_E4M3),
        ("MXFP4 E2M1", MxElement::Fp4E2M1, FloatKind::FP4_E2M1),
    ] {
        let wb: Vec<Vec<MxBlock>> = w
            .chunks(K)
            .map(|row| mx_quantize(row, element))
            .collect::<Result<_, _>>()?;
        let xb: Vec<Vec<MxBlock>> = xt
            .chunks(K)
            .map(|col| mx_quantize(col, element))
            .collect::<Result<_, _>>()?;
        let env = FloatEnv::new(RoundingMode::NearestEven);
        let f32f = FloatFormat::FP32;
        let mut out = vec![0.0f64; M * N];
        for (i, wr) in wb.iter().enumerate() {
            for (j, xc) in xb.iter().enumerate() {
                let mut acc = 0u64; // +0.0 in FP32
                for (a, b) in wr.iter().zip(xc) {
                    let d = a.dot(b, f32f, &env)?.value;
                    acc = f32f.add(acc, d, &env).value;
                }
                out[i * N + j] = f32f.bits_to_f64(acc);
            }
        }
        let stats = ErrorStats::compare(&out, &reference, OutputGrid::Float(f32f))?;
        let mac = MacArithmetic::Float {
            mul: kind,
            acc: FloatKind::FP32,
        };
        results.push(Result_ {
            name: name.into(),
            stats,
            energy_uj: energy(mac, &Tally::new())?,
        });
    }

    println!(
        "One layer: {M} outputs x {K} inputs, {N} vectors ({} MACs); error vs the f64 reference\n",
        shape.macs()
    );
    println!(
        "{:<18} {:>9} {:>12} {:>12} {:>27}",
        "arithmetic", "SQNR (dB)", "max |err|", "RMS err", "energy per inference (µJ)"
    );
    for r in &results {
        println!(
            "{:<18} {:>9.1} {:>12.3e} {:>12.3e} {:>27.2}",
            r.name, r.stats.sqnr_db, r.stats.max_abs, r.stats.rms, r.energy_uj
        );
    }
    println!(
        "\nreference output range [{rmin:.2}, {rmax:.2}]; INT8 output scale {:.4}",
        oq.scale()
    );

    let path = out_dir.join("quantized_gemm_tradeoff.svg");
    chart(&path, &results)?;
    println!("chart: {}", path.display());
    Ok(())
}

/// SQNR against energy per inference, one labelled point per arithmetic.
fn chart(path: &std::path::Path, rs: &[Result_]) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::new(path, (760, 480)).into_drawing_area();
    root.fill(&WHITE)?;
    let emax = rs.iter().map(|r| r.energy_uj).fold(0.0, f64::max) * 1.2;
    let smax = rs
        .iter()
        .map(|r| r.stats.sqnr_db)
        .filter(|s| s.is_finite())
        .fold(0.0, f64::max)
        * 1.15;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "One FC layer: accuracy vs energy per inference (45 nm, FSD NPU model)",
            ("sans-serif", 17),
        )
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(55)
        .build_cartesian_2d(0.0..emax, 0.0..smax)?;
    chart
        .configure_mesh()
        .x_desc("energy per inference (µJ)")
        .y_desc("SQNR vs f64 (dB)")
        .draw()?;
    // Label offsets keep the three low-energy points readable.
    let offset = |name: &str| match name {
        "INT8 per-tensor" => (-112, -4),
        "INT8 per-channel" => (8, -16),
        n if n.starts_with("FP8") => (10, -12),
        n if n.starts_with("MXFP8") => (10, 2),
        _ => (8, -4),
    };
    chart.draw_series(rs.iter().map(|r| {
        EmptyElement::at((r.energy_uj, r.stats.sqnr_db))
            + Circle::new((0, 0), 5, RGBColor(66, 133, 244).filled())
            + Text::new(r.name.clone(), offset(&r.name), ("sans-serif", 13))
    }))?;
    root.present()?;
    Ok(())
}
