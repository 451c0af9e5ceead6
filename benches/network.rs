//! The network executor against a native `f32` forward pass of the same network (the
//! baseline, [`forward_f32`]), on 36 test images of the digits CNN and MLP, every contender
//! spread over rayon's pool the same way.
//!
//! Contenders: `native f32` (one fused multiply-add per product, native code), `arithsim
//! FP32` (the float core's FP32 fused multiply-add per MAC, counted), `arithsim FP16 (FP32
//! acc)` (the datapath's exact native-f32 path plus conversions), `arithsim INT8` (TFLite
//! integer-only kernels, calibration done before timing), `arithsim MXFP4`.
//!
//! Besides criterion's times, each group ends with a line of paired medians: every round runs
//! all contenders back to back in rotating order and the median over rounds of each one's
//! time divided by the baseline's is printed (robust against the shared machine's slow
//! spells).
//!
//! `cargo bench --bench network -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use arithsim::nn::data::Digits;
use arithsim::nn::{
    Checkpoint, Executor, Format, Network, Op, digits_cnn, digits_mlp, forward_f32,
};
use criterion::{Criterion, criterion_group, criterion_main};
use rayon::prelude::*;

const IMAGES: usize = 36;

/// The plainest native forward pass: `acc += w * x` in `f32` (two roundings per product),
/// padded input, no counting. What a straightforward f32 framework does.
fn plain_f32(net: &Network, image: &[f32]) -> Vec<f32> {
    let mut vals: Vec<Vec<f32>> = vec![image.to_vec()];
    for (i, node) in net.nodes().iter().enumerate() {
        let x = &vals[node.input];
        let xs = net.shape(node.input);
        let os = net.shape(i + 1);
        let y = match &node.op {
            Op::Dense(d) => (0..d.outputs)
                .map(|o| {
                    let w = &d.weight[o * d.inputs..][..d.inputs];
                    w.iter().zip(x).fold(d.bias[o], |a, (&w, &v)| a + w * v)
                })
                .collect(),
            Op::Conv2d(c) => {
                let (h, w, p) = (xs[1], xs[2], c.padding.0);
                let (hp, wp) = (h + 2 * p, w + 2 * p);
                let mut xp = vec![0f32; xs[0] * hp * wp];
                for ch in 0..xs[0] {
                    for r in 0..h {
                        xp[(ch * hp + r + p) * wp + p..][..w]
                            .copy_from_slice(&x[(ch * h + r) * w..][..w]);
                    }
                }
                let k = c.kernel.0;
                let mut y = vec![0f32; os.iter().product()];
                for o in 0..c.out_channels {
                    for oy in 0..os[1] {
                        for ox in 0..os[2] {
                            let mut a = c.bias[o];
                            for ci in 0..c.in_channels {
                                for ky in 0..k {
                                    for kx in 0..k {
                                        a += c.weight[((o * c.in_channels + ci) * k + ky) * k + kx]
                                            * xp[(ci * hp + oy + ky) * wp + ox + kx];
                                    }
                                }
                            }
                            y[(o * os[1] + oy) * os[2] + ox] = a;
                        }
                    }
                }
                y
            }
            Op::Relu => x.iter().map(|&v| v.max(0.0)).collect(),
            Op::MaxPool { size, stride } => {
                let mut y = Vec::new();
                for ch in 0..xs[0] {
                    for oy in 0..os[1] {
                        for ox in 0..os[2] {
                            let mut m = f32::NEG_INFINITY;
                            for ky in 0..*size {
                                for kx in 0..*size {
                                    m = m.max(
                                        x[(ch * xs[1] + oy * stride + ky) * xs[2]
                                            + ox * stride
                                            + kx],
                                    );
                                }
                            }
                            y.push(m);
                        }
                    }
                }
                y
            }
            _ => x.clone(),
        };
        vals.push(y);
    }
    vals.pop().unwrap_or_default()
}
const ROUNDS: usize = 15;

fn load(name: &str) -> Network {
    let p =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("data/networks/{name}.safetensors"));
    let c = Checkpoint::load(p).expect("committed checkpoint");
    if name == "digits_mlp" {
        digits_mlp(&c)
    } else {
        digits_cnn(&c)
    }
    .expect("network")
}

fn network(c: &mut Criterion) {
    let d = Digits::embedded().expect("embedded data");
    let split = d.split(Digits::FIXED_SPLIT_SEED);
    let images: Vec<Vec<f32>> = split.test[..IMAGES]
        .iter()
        .map(|&i| d.input(i).unwrap())
        .collect();
    let train: Vec<Vec<f32>> = split.train.iter().map(|&i| d.input(i).unwrap()).collect();
    let sets = Format::report_set().expect("formats");
    let pick = |n: &str| sets.iter().find(|f| f.name == n).expect("format").clone();
    for name in ["digits_cnn", "digits_mlp"] {
        let net = load(name);
        let execs: Vec<(String, Executor)> = [
            Format::fp32(),
            pick("FP16 (FP32 acc)"),
            pick("INT8 per-channel, min/max"),
            pick("MXFP4 E2M1"),
        ]
        .into_iter()
        .map(|f| {
            (
                format!("arithsim {}", f.name),
                Executor::new(&net, &f, &train).expect("prepares"),
            )
        })
        .collect();
        let native = || {
            images
                .par_iter()
                .map(|im| plain_f32(&net, im))
                .collect::<Vec<_>>()
        };
        let exact = || {
            images
                .par_iter()
                .map(|im| forward_f32(&net, im).expect("runs"))
                .collect::<Vec<_>>()
        };
        let mut g = c.benchmark_group(name);
        g.sample_size(10);
        g.bench_function("native f32", |b| b.iter(|| black_box(native())));
        g.bench_function("native f32, exact fma (forward_f32)", |b| {
            b.iter(|| black_box(exact()))
        });
        for (label, ex) in &execs {
            g.bench_function(label.as_str(), |b| {
                b.iter(|| black_box(ex.run(&images).expect("runs")))
            });
        }
        g.finish();
        // Paired medians.
        let n = execs.len() + 2;
        let mut ratios = vec![Vec::new(); n - 1];
        for round in 0..ROUNDS {
            let mut times = vec![0f64; n];
            for j in 0..n {
                let k = (j + round) % n;
                let t = Instant::now();
                match k {
                    0 => drop(black_box(native())),
                    1 => drop(black_box(exact())),
                    _ => drop(black_box(execs[k - 2].1.run(&images).expect("runs"))),
                }
                times[k] = t.elapsed().as_secs_f64();
            }
            for (r, t) in ratios.iter_mut().zip(&times[1..]) {
                r.push(t / times[0]);
            }
        }
        let labels = std::iter::once("native f32, exact fma".to_string())
            .chain(execs.iter().map(|(l, _)| l.clone()));
        let line: Vec<String> = labels
            .zip(&mut ratios)
            .map(|(label, r)| {
                r.sort_by(f64::total_cmp);
                format!("{label} / native f32 {:.1}", r[r.len() / 2])
            })
            .collect();
        println!(
            "{name}: paired medians over {ROUNDS} rounds of {IMAGES} images: {}",
            line.join(", ")
        );
    }
}

criterion_group!(benches, network);
criterion_main!(benches);
