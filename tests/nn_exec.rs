//! The network executor against independent references: FP32 against a plain-f32 forward
//! pass, integer-only INT8 against a reference written here from the TensorFlow Lite
//! quantization spec (it does not call the crate's quantizer), thread-count independence,
//! and checkpoints and graphs that must be rejected with errors that name the culprit.

mod nn_common;

use arithsim::cost::{FloatKind, OpKind};
use arithsim::nn::*;
use nn_common::*;

fn cnn() -> Network {
    digits_cnn(&random_checkpoint(&cnn_layers(), 11)).unwrap()
}

fn mlp() -> Network {
    digits_mlp(&random_checkpoint(&mlp_layers(), 23)).unwrap()
}

#[test]
fn fp32_equals_a_plain_f32_forward_pass_bit_for_bit() {
    let images = random_images(60, 5);
    for net in [cnn(), mlp()] {
        let out = Executor::new(&net, &Format::fp32(), &[])
            .unwrap()
            .run(&images)
            .unwrap();
        for (i, im) in images.iter().enumerate() {
            let r = reference_f32(&net, im);
            let want: Vec<u32> = r.last().unwrap().iter().map(|v| v.to_bits()).collect();
            let got: Vec<u32> = out.logits[i]
                .iter()
                .map(|&v| (v as f32).to_bits())
                .collect();
            assert_eq!(got, want, "{} image {i}", net.name());
            // The logits are exact f32 values.
            assert!(out.logits[i].iter().all(|&v| f64::from(v as f32) == v));
        }
        // One FP32 fused multiply-add per MAC.
        assert_eq!(
            out.tally.count(OpKind::FpFma {
                format: FloatKind::FP32
            }),
            net.macs() * images.len() as u64
        );
    }
}

// ---- TensorFlow Lite int8 reference (from the spec, nothing from arithsim::quant) --------

#[derive(Clone, Copy, Debug)]
struct Q {
    scale: f64,
    zp: i32,
}

/// TFLite `ChooseQuantizationParams<int8>` for the range `[rmin, rmax]`.
fn choose(rmin: f64, rmax: f64) -> Q {
    let (qmin, qmax) = (-128.0f64, 127.0f64);
    let rmin = rmin.min(0.0);
    let rmax = rmax.max(0.0);
    if rmin == rmax {
        return Q { scale: 1.0, zp: 0 };
    }
    let scale = (rmax - rmin) / (qmax - qmin);
    let zp_min = qmin - rmin / scale;
    let zp_max = qmax - rmax / scale;
    let err_min = qmin.abs() + (rmin / scale).abs();
    let err_max = qmax.abs() + (rmax / scale).abs();
    let zpd = if err_min < err_max { zp_min } else { zp_max };
    let zp = if zpd < qmin {
        -128
    } else if zpd > qmax {
        127
    } else {
        zpd.round() as i32
    };
    Q { scale, zp }
}

/// C `frexp` for a positive normal double: `x = q · 2^e`, `q` in [0.5, 1).
fn frexp(x: f64) -> (f64, i32) {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    assert!(biased != 0 && biased != 0x7ff);
    let q = f64::from_bits((bits & !(0x7ffu64 << 52)) | (1022u64 << 52));
    (q, biased - 1022)
}

/// TFLite `QuantizeMultiplier`.
fn quantize_multiplier(real: f64) -> (i32, i32) {
    if real == 0.0 {
        return (0, 0);
    }
    let (q, mut shift) = frexp(real);
    let mut q_fixed = (q * (1i64 << 31) as f64).round() as i64;
    if q_fixed == 1i64 << 31 {
        q_fixed /= 2;
        shift += 1;
    }
    if shift < -31 {
        return (0, 0);
    }
    (q_fixed as i32, shift)
}

/// gemmlowp `SaturatingRoundingDoublingHighMul`.
fn srdhm(a: i32, b: i32) -> i32 {
    if a == b && a == i32::MIN {
        return i32::MAX;
    }
    let ab = a as i64 * b as i64;
    let nudge: i64 = if ab >= 0 { 1 << 30 } else { 1 - (1 << 30) };
    ((ab + nudge) / (1i64 << 31)) as i32
}

/// gemmlowp `RoundingDivideByPOT`.
fn rdbpot(x: i32, e: i32) -> i32 {
    let mask = (1i32 << e).wrapping_sub(1);
    let rem = x & mask;
    let threshold = (mask >> 1) + i32::from(x < 0);
    (x >> e) + i32::from(rem > threshold)
}

/// TFLite `MultiplyByQuantizedMultiplier`.
fn mbqm(x: i32, m: i32, shift: i32) -> i32 {
    let left = shift.max(0);
    let right = (-shift).max(0);
    rdbpot(srdhm(x.wrapping_mul(1 << left), m), right)
}

fn tfl_round(x: f64) -> i32 {
    x.round() as i32
}

/// Integer-only forward pass of a conv/relu/maxpool/flatten/dense network. `ranges[v]` is
/// the calibrated real range of value `v`. Returns the dequantized logits.
fn tflite_reference(
    net: &Network,
    image: &[f32],
    ranges: &[(f64, f64)],
    per_channel: bool,
) -> Vec<f64> {
    let nodes = net.nodes();
    let mut q: Vec<Q> = vec![choose(ranges[0].0, ranges[0].1)];
    let mut vals: Vec<Vec<i32>> = vec![
        image
            .iter()
            .map(|&x| (tfl_round(f64::from(x) / q[0].scale) + q[0].zp).clamp(-128, 127))
            .collect(),
    ];
    for (i, node) in nodes.iter().enumerate() {
        let x = vals[node.input].clone();
        let qin = q[node.input];
        let s = net.shape(node.input).to_vec();
        let os = net.shape(i + 1).to_vec();
        let fused = nodes.get(i + 1).is_some_and(|n| matches!(n.op, Op::Relu));
        let (w, b, rows) = match &node.op {
            Op::Dense(d) => (d.weight.clone(), d.bias.clone(), d.outputs),
            Op::Conv2d(c) => (c.weight.clone(), c.bias.clone(), c.out_channels),
            Op::Flatten => {
                q.push(qin);
                vals.push(x);
                continue;
            }
            Op::Relu => {
                q.push(qin);
                vals.push(x.iter().map(|&v| v.max(qin.zp)).collect());
                continue;
            }
            Op::Add { other } => {
                // TFLite int8 Add (reference_ops::AddElementwise).
                let q2 = q[*other];
                let qout = choose(ranges[i + 1].0, ranges[i + 1].1);
                let left_shift = 20;
                let twice_max = 2.0 * qin.scale.max(q2.scale);
                let (m1, s1) = quantize_multiplier(qin.scale / twice_max);
                let (m2, s2) = quantize_multiplier(q2.scale / twice_max);
                let (mo, so) =
                    quantize_multiplier(twice_max / ((1 << left_shift) as f64 * qout.scale));
                let y: Vec<i32> = x
                    .iter()
                    .zip(&vals[*other])
                    .map(|(&a, &b)| {
                        let sa = mbqm((a - qin.zp) * (1 << left_shift), m1, s1);
                        let sb = mbqm((b - q2.zp) * (1 << left_shift), m2, s2);
                        (mbqm(sa + sb, mo, so) + qout.zp).clamp(-128, 127)
                    })
                    .collect();
                q.push(qout);
                vals.push(y);
                continue;
            }
            Op::MaxPool { size, stride } => {
                let mut y = Vec::new();
                for ch in 0..s[0] {
                    for oy in 0..os[1] {
                        for ox in 0..os[2] {
                            let mut m = i32::MIN;
                            for ky in 0..*size {
                                for kx in 0..*size {
                                    m = m.max(
                                        x[(ch * s[1] + oy * stride + ky) * s[2] + ox * stride + kx],
                                    );
                                }
                            }
                            y.push(m);
                        }
                    }
                }
                q.push(qin);
                vals.push(y);
                continue;
            }
            other => panic!("no reference for {other:?}"),
        };
        let k = w.len() / rows;
        let absmax = |r: &[f32]| r.iter().fold(0.0f64, |m, &v| m.max(f64::from(v).abs()));
        let wscale: Vec<f64> = if per_channel {
            w.chunks(k).map(|r| absmax(r) / 127.0).collect()
        } else {
            vec![absmax(&w) / 127.0; rows]
        };
        let wq: Vec<i32> = w
            .iter()
            .enumerate()
            .map(|(j, &v)| tfl_round(f64::from(v) / wscale[j / k]).clamp(-127, 127))
            .collect();
        let qout = if fused {
            choose(ranges[i + 2].0, ranges[i + 2].1)
        } else {
            choose(ranges[i + 1].0, ranges[i + 1].1)
        };
        let act_min = if fused { qout.zp.max(-128) } else { -128 };
        let requant = |acc: i32, c: usize| -> i32 {
            let bias = tfl_round(f64::from(b[c]) / (qin.scale * wscale[c]));
            let (m, sh) = quantize_multiplier(qin.scale * wscale[c] / qout.scale);
            (mbqm(acc.wrapping_add(bias), m, sh) + qout.zp).clamp(act_min, 127)
        };
        let y: Vec<i32> = match &node.op {
            Op::Dense(d) => (0..d.outputs)
                .map(|o| {
                    let acc = (0..d.inputs).fold(0i32, |a, j| {
                        a.wrapping_add(wq[o * d.inputs + j] * (x[j] - qin.zp))
                    });
                    requant(acc, o)
                })
                .collect(),
            Op::Conv2d(c) => {
                let (h, wd) = (s[1] as i64, s[2] as i64);
                let (kh, kw) = c.kernel;
                let mut y = Vec::new();
                for o in 0..c.out_channels {
                    for oy in 0..os[1] as i64 {
                        for ox in 0..os[2] as i64 {
                            let mut acc = 0i32;
                            for ci in 0..c.in_channels {
                                for ky in 0..kh as i64 {
                                    for kx in 0..kw as i64 {
                                        let iy = oy * c.stride.0 as i64 + ky - c.padding.0 as i64;
                                        let ix = ox * c.stride.1 as i64 + kx - c.padding.1 as i64;
                                        // TFLite skips taps outside the image.
                                        if (0..h).contains(&iy) && (0..wd).contains(&ix) {
                                            let xv = x[((ci as i64 * h + iy) * wd + ix) as usize];
                                            let wi = ((o * c.in_channels + ci) * kh + ky as usize)
                                                * kw
                                                + kx as usize;
                                            acc = acc.wrapping_add(wq[wi] * (xv - qin.zp));
                                        }
                                    }
                                }
                            }
                            y.push(requant(acc, o));
                        }
                    }
                }
                y
            }
            _ => unreachable!(),
        };
        q.push(qout);
        vals.push(y);
    }
    let last = q.len() - 1;
    vals[last]
        .iter()
        .map(|&v| q[last].scale * f64::from(v - q[last].zp))
        .collect()
}

/// Min/max of every value over `images`, from the independent f32 reference.
fn reference_ranges(net: &Network, images: &[Vec<f32>]) -> Vec<(f64, f64)> {
    let runs: Vec<_> = images.iter().map(|im| reference_f32(net, im)).collect();
    (0..runs[0].len())
        .map(|v| {
            runs.iter()
                .flat_map(|r| r[v].iter())
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
                    (lo.min(f64::from(x)), hi.max(f64::from(x)))
                })
        })
        .collect()
}

#[test]
fn int8_equals_the_tflite_reference_on_logits_bit_for_bit() {
    let calib = random_images(80, 91);
    let images = random_images(60, 92);
    for net in [cnn(), mlp()] {
        let ranges = reference_ranges(&net, &calib);
        for per_channel in [true, false] {
            let f = Format::new(
                "int8",
                Arithmetic::Int8(Int8Config {
                    per_channel,
                    ..Int8Config::TFLITE
                }),
                WeightCompression::None,
            );
            let out = Executor::new(&net, &f, &calib)
                .unwrap()
                .run(&images)
                .unwrap();
            for (i, im) in images.iter().enumerate() {
                let want = tflite_reference(&net, im, &ranges, per_channel);
                let got: Vec<u64> = out.logits[i].iter().map(|v| v.to_bits()).collect();
                let want: Vec<u64> = want.iter().map(|v| v.to_bits()).collect();
                assert_eq!(
                    got,
                    want,
                    "{} per_channel={per_channel} image {i}",
                    net.name()
                );
            }
            assert_eq!(
                out.tally.count(OpKind::IntMac {
                    mul_bits: 8,
                    acc_bits: 32
                }),
                net.macs() * images.len() as u64
            );
        }
        // Percentile calibration: the same spec with the crate's percentile ranges.
        let how = Calibration::Percentile(99.9);
        let ranges = calibrate(&net, &calib, how).unwrap();
        let f = Format::new(
            "int8 pct",
            Arithmetic::Int8(Int8Config {
                calibration: how,
                ..Int8Config::TFLITE
            }),
            WeightCompression::None,
        );
        let out = Executor::new(&net, &f, &calib)
            .unwrap()
            .run(&images)
            .unwrap();
        for (i, im) in images.iter().enumerate() {
            let want = tflite_reference(&net, im, &ranges, true);
            assert_eq!(out.logits[i], want, "{} percentile image {i}", net.name());
        }
    }
}

/// conv → ReLU → conv → add (skip from the first ReLU) → ReLU → avg-free head → dense.
fn residual() -> Network {
    let c = random_checkpoint(
        &[
            ("c1", vec![4, 1, 3, 3]),
            ("c2", vec![4, 4, 3, 3]),
            ("fc", vec![10, 256]),
        ],
        31,
    );
    let nodes = vec![
        Node::chained("c1", Op::Conv2d(c.conv2d("c1", 1, 1, 1, 1).unwrap()), 0),
        Node::chained("r1", Op::Relu, 1),
        Node::chained("c2", Op::Conv2d(c.conv2d("c2", 4, 1, 1, 1).unwrap()), 2),
        Node {
            name: "skip".into(),
            op: Op::Add { other: 2 },
            input: 3,
        },
        Node::chained("r2", Op::Relu, 4),
        Node::chained("flatten", Op::Flatten, 5),
        Node::chained("fc", Op::Dense(c.dense("fc", 256).unwrap()), 6),
    ];
    Network::new("residual", vec![1, 8, 8], nodes).unwrap()
}

#[test]
fn residual_add_is_bit_exact_in_fp32_and_int8() {
    let net = residual();
    let calib = random_images(40, 61);
    let images = random_images(30, 62);
    let fp32 = Executor::new(&net, &Format::fp32(), &[])
        .unwrap()
        .run(&images)
        .unwrap();
    let ranges = reference_ranges(&net, &calib);
    let int8 = Executor::new(
        &net,
        &Format::new(
            "int8",
            Arithmetic::Int8(Int8Config::TFLITE),
            WeightCompression::None,
        ),
        &calib,
    )
    .unwrap()
    .run(&images)
    .unwrap();
    for (i, im) in images.iter().enumerate() {
        let r = reference_f32(&net, im);
        let want: Vec<f64> = r.last().unwrap().iter().map(|&v| f64::from(v)).collect();
        assert_eq!(fp32.logits[i], want, "fp32 image {i}");
        assert_eq!(
            int8.logits[i],
            tflite_reference(&net, im, &ranges, true),
            "int8 image {i}"
        );
    }
    assert!(logit_sqnr_db(&int8.logits, &fp32.logits).unwrap() > 15.0);
}

#[test]
fn calibration_percentile_clips_inside_min_max() {
    let net = cnn();
    let calib = random_images(40, 3);
    let mm = calibrate(&net, &calib, Calibration::MinMax).unwrap();
    let pc = calibrate(&net, &calib, Calibration::Percentile(99.0)).unwrap();
    assert_eq!(mm, reference_ranges(&net, &calib));
    for (a, b) in mm.iter().zip(&pc) {
        assert!(b.0 >= a.0 && b.1 <= a.1);
    }
    assert!(mm.iter().zip(&pc).any(|(a, b)| b.1 < a.1));
    assert!(calibrate(&net, &calib, Calibration::Percentile(40.0)).is_err());
    assert!(calibrate(&net, &[], Calibration::MinMax).is_err());
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let net = cnn();
    let calib = random_images(30, 8);
    let images = random_images(24, 9);
    for f in Format::report_set().unwrap() {
        let ex = Executor::new(&net, &f, &calib).unwrap();
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| ex.run(&images).unwrap());
        let two = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap()
            .install(|| ex.run(&images).unwrap());
        let bits = |o: &RunOutput| -> Vec<u64> {
            o.logits.iter().flatten().map(|v| v.to_bits()).collect()
        };
        assert_eq!(bits(&one), bits(&two), "{}", f.name);
        assert_eq!(one.tally, two.tally, "{}", f.name);
        assert!(
            one.logits.iter().flatten().all(|v| v.is_finite()),
            "{}",
            f.name
        );
        assert!(
            one.tally.total() >= net.macs() * images.len() as u64,
            "{}",
            f.name
        );
    }
}

#[test]
fn formats_lose_accuracy_in_a_sensible_order() {
    // Against FP32 predictions on random weights: FP16 with FP32 accumulation agrees almost
    // everywhere, and its logits are far closer than FP8 E5M2's.
    let net = cnn();
    let calib = random_images(30, 1);
    let images = random_images(40, 2);
    let run = |f: &Format| {
        Executor::new(&net, f, &calib)
            .unwrap()
            .run(&images)
            .unwrap()
    };
    let sets = Format::report_set().unwrap();
    let by = |n: &str| sets.iter().find(|f| f.name == n).unwrap().clone();
    let fp32 = run(&Format::fp32());
    let fp16 = run(&by("FP16 (FP32 acc)"));
    let e5m2 = run(&by("FP8 E5M2 (FP32 acc)"));
    let int8 = run(&by("INT8 per-channel, min/max"));
    let s16 = logit_sqnr_db(&fp16.logits, &fp32.logits).unwrap();
    let s8 = logit_sqnr_db(&e5m2.logits, &fp32.logits).unwrap();
    let si = logit_sqnr_db(&int8.logits, &fp32.logits).unwrap();
    assert!(s16 > 50.0 && s16 > s8 + 20.0, "{s16} {s8}");
    assert!(si > 15.0, "{si}");
    assert!(agreement(&fp16.predictions, &fp32.predictions).unwrap() >= 0.95);
}

#[test]
fn bad_checkpoints_are_errors_naming_the_tensor() {
    let good = random_checkpoint(&cnn_layers(), 4);
    // Missing tensor.
    let mut c = random_checkpoint(&cnn_layers()[..2], 4);
    c.insert(
        "fc.bias",
        Tensor {
            shape: vec![10],
            data: vec![0.0; 10],
        },
    );
    let e = digits_cnn(&c).unwrap_err().to_string();
    assert!(e.contains("\"fc.weight\"") && e.contains("missing"), "{e}");
    // Wrong shape: fc must take 128 inputs.
    let mut c = good.clone();
    c.insert(
        "fc.weight",
        Tensor {
            shape: vec![10, 100],
            data: vec![0.0; 1000],
        },
    );
    let e = digits_cnn(&c).unwrap_err().to_string();
    assert!(
        e.contains("\"fc.weight\"") && e.contains("[10, 128]"),
        "{e}"
    );
    // Wrong bias length.
    let mut c = good.clone();
    c.insert(
        "conv2.bias",
        Tensor {
            shape: vec![31],
            data: vec![0.0; 31],
        },
    );
    let e = digits_cnn(&c).unwrap_err().to_string();
    assert!(e.contains("\"conv2.bias\""), "{e}");
    // Unsupported dtype: an F64 tensor written by the safetensors crate.
    let data = vec![0u8; 8 * 4];
    let view =
        safetensors::tensor::TensorView::new(safetensors::Dtype::F64, vec![4], &data).unwrap();
    let bytes = safetensors::serialize(vec![("fc1.bias", view)], None).unwrap();
    let e = Checkpoint::from_bytes(&bytes, "f64.safetensors")
        .unwrap_err()
        .to_string();
    assert!(e.contains("\"fc1.bias\"") && e.contains("F64"), "{e}");
    // Not safetensors at all.
    assert!(Checkpoint::from_bytes(b"not a checkpoint", "junk").is_err());
    assert!(Checkpoint::load("does/not/exist.safetensors").is_err());
    // A graph whose shapes do not chain names the layer: an MLP whose fc2 takes 50 inputs.
    let mut c = random_checkpoint(&mlp_layers(), 5);
    c.insert(
        "fc2.weight",
        Tensor {
            shape: vec![32, 50],
            data: vec![0.0; 1600],
        },
    );
    let e = digits_mlp(&c).unwrap_err().to_string();
    assert!(e.contains("fc2.weight"), "{e}");
    // Wrong image length.
    let net = digits_cnn(&good).unwrap();
    let ex = Executor::new(&net, &Format::fp32(), &[]).unwrap();
    assert!(ex.run(&[vec![0.0; 63]]).is_err());
    // Int8 without calibration images.
    let sets = Format::report_set().unwrap();
    let int8 = sets.iter().find(|f| f.name.starts_with("INT8")).unwrap();
    assert!(Executor::new(&net, int8, &[]).is_err());
}

#[test]
fn f16_and_bf16_checkpoints_widen_exactly() {
    let vals = [1.0f32, -0.333_251_95, 65504.0, 6.1035156e-5, 0.0];
    for (dtype, enc) in [
        (
            safetensors::Dtype::F16,
            vals.iter()
                .flat_map(|&v| half::f16::from_f32(v).to_bits().to_le_bytes())
                .collect::<Vec<u8>>(),
        ),
        (
            safetensors::Dtype::BF16,
            vals.iter()
                .flat_map(|&v| half::bf16::from_f32(v).to_bits().to_le_bytes())
                .collect(),
        ),
    ] {
        let view = safetensors::tensor::TensorView::new(dtype, vec![5], &enc).unwrap();
        let bytes = safetensors::serialize(vec![("t", view)], None).unwrap();
        let c = Checkpoint::from_bytes(&bytes, "half").unwrap();
        let got = c.tensor("t", &[5]).unwrap();
        for (g, &v) in got.iter().zip(&vals) {
            let want = if dtype == safetensors::Dtype::F16 {
                half::f16::from_f32(v).to_f32()
            } else {
                half::bf16::from_f32(v).to_f32()
            };
            assert_eq!(g.to_bits(), want.to_bits());
        }
    }
}

#[test]
fn checkpoints_round_trip_through_safetensors_bytes() {
    let net = cnn();
    let c = Checkpoint::from_network(&net);
    let back = digits_cnn(&Checkpoint::from_bytes(&c.to_bytes().unwrap(), "rt").unwrap()).unwrap();
    assert_eq!(back, net);
}

#[test]
fn precalibrated_ranges_give_the_same_run() {
    let net = mlp();
    let calib = random_images(30, 77);
    let images = random_images(20, 78);
    let f = Format::new(
        "int8",
        Arithmetic::Int8(Int8Config::TFLITE),
        WeightCompression::None,
    );
    let ranges = calibrate(&net, &calib, Calibration::MinMax).unwrap();
    let a = Executor::new(&net, &f, &calib)
        .unwrap()
        .run(&images)
        .unwrap();
    let b = Executor::with_ranges(&net, &f, &ranges)
        .unwrap()
        .run(&images)
        .unwrap();
    assert_eq!(a, b);
    assert!(Executor::with_ranges(&net, &Format::fp32(), &ranges).is_err());
    assert!(Executor::with_ranges(&net, &f, &ranges[1..]).is_err());
}
