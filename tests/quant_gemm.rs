//! Quantized GEMM and conv2d against a reference written here from TFLite's reference int8
//! kernels (`reference_integer_ops::FullyConnected` / `ConvPerChannel`): the accumulator is
//! `bias + Σ (x − z_x)(w − z_w)` over in-image taps, then `MultiplyByQuantizedMultiplier`,
//! `+ z_out`, clamp.

use arithsim::cost::OpKind;
use arithsim::datapath::Conv2dDims;
use arithsim::datapath::{Bias, LayerOperands};
use arithsim::datapath::{Conv2dShape, GemmShape};
use arithsim::quant::{
    FusedActivation, IntType, PerChannelParams, QuantLayerParams, QuantParams, QuantizedMultiplier,
    Requantization, WeightParams, quantized_conv2d, quantized_gemm,
};
use proptest::prelude::*;

fn ref_srdhm(a: i32, b: i32) -> i32 {
    if a == i32::MIN && b == i32::MIN {
        return i32::MAX;
    }
    let ab = a as i64 * b as i64;
    let nudge: i64 = if ab >= 0 { 1 << 30 } else { 1 - (1 << 30) };
    ((ab + nudge) / (1i64 << 31)) as i32
}

fn ref_rdbpot(x: i32, e: i32) -> i32 {
    let mask = ((1i64 << e) - 1) as i32;
    let rem = x & mask;
    let thr = (mask >> 1) + i32::from(x < 0);
    (x >> e) + i32::from(rem > thr)
}

fn ref_mbqm(x: i32, m: QuantizedMultiplier, v: Requantization) -> i32 {
    match v {
        Requantization::DoubleRounding => {
            let left = m.shift.max(0);
            let right = (-m.shift).max(0);
            ref_rdbpot(ref_srdhm(x.wrapping_mul(1 << left), m.multiplier), right)
        }
        Requantization::SingleRounding => {
            let total = 31 - m.shift as i64;
            let r = (x as i64 * m.multiplier as i64 + (1i64 << (total - 1))) >> total;
            r.clamp(i32::MIN as i64, i32::MAX as i64) as i32
        }
    }
}

fn clamp_range(p: &QuantLayerParams) -> (i32, i32) {
    let t = p.output.int_type();
    let zo = p.output.zero_point();
    match p.activation {
        FusedActivation::None => (t.qmin(), t.qmax()),
        FusedActivation::Relu => (t.qmin().max(zo), t.qmax()),
        FusedActivation::Relu6 => {
            let six = zo + (6.0 / p.output.scale()).round() as i32;
            (t.qmin().max(zo), t.qmax().min(six))
        }
    }
}

fn w_params(p: &QuantLayerParams, c: usize) -> QuantParams {
    match &p.weights {
        WeightParams::PerTensor(q) => *q,
        WeightParams::PerChannel(pc) => *pc.channel(c),
    }
}

fn ref_output(p: &QuantLayerParams, acc: i32, c: usize) -> i8 {
    let m =
        QuantizedMultiplier::from_real(p.input.scale() * w_params(p, c).scale() / p.output.scale())
            .unwrap();
    let (lo, hi) = clamp_range(p);
    (ref_mbqm(acc, m, p.requantization) + p.output.zero_point()).clamp(lo, hi) as i8
}

/// A small deterministic generator.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn range(&mut self, lo: i32, hi: i32) -> i32 {
        lo + (self.next() % (hi - lo + 1) as u64) as i32
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn random_params(
    r: &mut Rng,
    channels: usize,
    per_channel: bool,
    zw_nonzero: bool,
) -> QuantLayerParams {
    let acts = [
        FusedActivation::None,
        FusedActivation::Relu,
        FusedActivation::Relu6,
    ];
    let wt = if r.next() % 2 == 0 {
        IntType::Int8Narrow
    } else {
        IntType::Int8
    };
    let weights = if per_channel {
        PerChannelParams::new(
            (0..channels)
                .map(|_| QuantParams::new(0.001 + r.unit() * 0.05, 0, wt).unwrap())
                .collect(),
        )
        .map(WeightParams::PerChannel)
        .unwrap()
    } else {
        let zw = if zw_nonzero { r.range(-20, 20) } else { 0 };
        WeightParams::PerTensor(QuantParams::new(0.001 + r.unit() * 0.05, zw, wt).unwrap())
    };
    QuantLayerParams {
        input: QuantParams::new(0.01 + r.unit() * 0.1, r.range(-128, 127), IntType::Int8).unwrap(),
        weights,
        output: QuantParams::new(0.01 + r.unit() * 0.3, r.range(-100, 100), IntType::Int8).unwrap(),
        activation: acts[(r.next() % 3) as usize],
        requantization: if r.next() % 2 == 0 {
            Requantization::DoubleRounding
        } else {
            Requantization::SingleRounding
        },
    }
}

fn random_tensor(r: &mut Rng, len: usize, t: IntType) -> Vec<i8> {
    (0..len)
        .map(|_| r.range(t.qmin(), t.qmax()) as i8)
        .collect()
}

#[test]
fn gemm_matches_tflite_reference() {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    for case in 0..300 {
        let (m, n, k) = (
            r.range(1, 9) as usize,
            r.range(1, 9) as usize,
            r.range(1, 40) as usize,
        );
        let per_channel = case % 3 == 0;
        let p = random_params(&mut r, m, per_channel, case % 3 == 1);
        let wt = w_params(&p, 0).int_type();
        let w = random_tensor(&mut r, m * k, wt);
        let x = random_tensor(&mut r, k * n, IntType::Int8);
        let bias: Vec<i32> = (0..m).map(|_| r.range(-5000, 5000)).collect();
        let column: Vec<i32> = (0..n).map(|_| r.range(-5000, 5000)).collect();
        let full: Vec<i32> = (0..m * n).map(|_| r.range(-5000, 5000)).collect();
        // Every bias layout: none, per row (channel), per column, one per element.
        let layout = [
            Bias::None,
            Bias::PerRow(&bias),
            Bias::PerColumn(&column),
            Bias::Full(&full),
        ][case % 4];
        let out = quantized_gemm(
            &p,
            GemmShape::new(m, n, k).unwrap(),
            LayerOperands {
                weights: &w,
                input: &x,
            },
            layout,
        )
        .unwrap();
        for i in 0..m {
            let zw = w_params(&p, i).zero_point();
            for j in 0..n {
                let mut acc = match layout {
                    Bias::None => 0,
                    Bias::PerRow(b) => b[i],
                    Bias::PerColumn(b) => b[j],
                    Bias::Full(b) => b[i * n + j],
                };
                for kk in 0..k {
                    acc +=
                        (x[kk * n + j] as i32 - p.input.zero_point()) * (w[i * k + kk] as i32 - zw);
                }
                assert_eq!(
                    out.accumulators[i * n + j],
                    acc,
                    "case {case} acc ({i},{j})"
                );
                assert_eq!(
                    out.values[i * n + j],
                    ref_output(&p, acc, i),
                    "case {case} ({i},{j})"
                );
            }
        }
        // The MACs went through the counted INT8 datapath.
        assert_eq!(
            out.tally.count(OpKind::IntMac {
                mul_bits: 8,
                acc_bits: 32
            }),
            (m * n * k) as u64
        );
        assert!(out.tally.count(OpKind::IntMul { bits: 32 }) >= (m * n) as u64);
    }
}

#[test]
fn conv2d_matches_tflite_reference_with_padding_stride_dilation_groups() {
    let mut r = Rng(0x1234_5678_9abc_def1);
    let mut checked = 0;
    for case in 0..120 {
        let groups = [1usize, 1, 2, 3][case % 4];
        let cin = groups * r.range(1, 3) as usize;
        let cout = groups * r.range(1, 3) as usize;
        let (h, w) = (r.range(3, 8) as usize, r.range(3, 8) as usize);
        let (kh, kw) = (r.range(1, 3) as usize, r.range(1, 3) as usize);
        let batch = r.range(1, 2) as usize;
        let Ok(s) = Conv2dShape::new(Conv2dDims {
            batch,
            in_channels: cin,
            in_height: h,
            in_width: w,
            out_channels: cout,
            kernel_height: kh,
            kernel_width: kw,
        })
        .and_then(|s| s.with_stride(r.range(1, 2) as usize, r.range(1, 2) as usize))
        .and_then(|s| s.with_padding(r.range(0, 2) as usize, r.range(0, 2) as usize))
        .and_then(|s| s.with_dilation(r.range(1, 2) as usize, 1))
        .and_then(|s| s.with_groups(groups)) else {
            continue;
        };
        let p = random_params(&mut r, cout, case % 2 == 0, false);
        let wt = w_params(&p, 0).int_type();
        let input = random_tensor(&mut r, s.input_len(), IntType::Int8);
        let weights = random_tensor(&mut r, s.weight_len(), wt);
        let bias: Vec<i32> = (0..cout).map(|_| r.range(-3000, 3000)).collect();
        let (oh, ow) = s.output_hw();
        let position: Vec<i32> = (0..batch * oh * ow).map(|_| r.range(-3000, 3000)).collect();
        let full: Vec<i32> = (0..s.output_len()).map(|_| r.range(-3000, 3000)).collect();
        // Every bias layout of the convolution's GEMM view: per channel, per output position,
        // one per output element (NCHW).
        let layout = [
            Bias::PerRow(&bias),
            Bias::PerColumn(&position),
            Bias::Full(&full),
        ][case % 3];
        let out = quantized_conv2d(
            &p,
            &s,
            LayerOperands {
                weights: &weights,
                input: &input,
            },
            layout,
        )
        .unwrap();
        let (cg, og) = (cin / groups, cout / groups);
        let zx = p.input.zero_point();
        for b in 0..batch {
            for (o, &bias_o) in bias.iter().enumerate() {
                let g = o / og;
                for oy in 0..oh {
                    for ox in 0..ow {
                        let idx = ((b * cout + o) * oh + oy) * ow + ox;
                        let mut acc = match layout {
                            Bias::PerColumn(v) => v[(b * oh + oy) * ow + ox],
                            Bias::Full(v) => v[idx],
                            _ => bias_o,
                        };
                        for c in 0..cg {
                            for ky in 0..kh {
                                for kx in 0..kw {
                                    let iy = (oy * s.stride.0 + ky * s.dilation.0) as i64
                                        - s.padding.0 as i64;
                                    let ix = (ox * s.stride.1 + kx * s.dilation.1) as i64
                                        - s.padding.1 as i64;
                                    // TFLite skips taps outside the image.
                                    if iy < 0 || ix < 0 || iy >= h as i64 || ix >= w as i64 {
                                        continue;
                                    }
                                    let xi = ((b * cin + g * cg + c) * h + iy as usize) * w
                                        + ix as usize;
                                    let wi = ((o * cg + c) * kh + ky) * kw + kx;
                                    acc += (input[xi] as i32 - zx) * weights[wi] as i32;
                                }
                            }
                        }
                        assert_eq!(out.accumulators[idx], acc, "case {case} acc");
                        assert_eq!(out.values[idx], ref_output(&p, acc, o), "case {case}");
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(
            out.tally.count(OpKind::IntMac {
                mul_bits: 8,
                acc_bits: 32
            }),
            s.macs()
        );
    }
    assert!(checked > 2000, "{checked}");
}

#[test]
fn relu_clamps_at_the_output_zero_point() {
    let p = QuantLayerParams {
        input: QuantParams::new(1.0, 0, IntType::Int8).unwrap(),
        weights: WeightParams::PerTensor(QuantParams::new(1.0, 0, IntType::Int8).unwrap()),
        output: QuantParams::new(1.0, 10, IntType::Int8).unwrap(),
        activation: FusedActivation::Relu,
        requantization: Requantization::DoubleRounding,
    };
    let out = quantized_gemm(
        &p,
        GemmShape::new(1, 2, 1).unwrap(),
        LayerOperands {
            weights: &[1],
            input: &[-50, 50],
        },
        Bias::None,
    )
    .unwrap();
    assert_eq!(out.values, [10, 60]);
    let p6 = QuantLayerParams {
        activation: FusedActivation::Relu6,
        ..p
    };
    let out = quantized_gemm(
        &p6,
        GemmShape::new(1, 2, 1).unwrap(),
        LayerOperands {
            weights: &[1],
            input: &[-50, 50],
        },
        Bias::None,
    )
    .unwrap();
    assert_eq!(out.values, [10, 16]);
}

#[test]
fn int4_operands_use_a_4_bit_datapath() {
    let p = QuantLayerParams {
        input: QuantParams::new(0.5, 0, IntType::Int4).unwrap(),
        weights: WeightParams::PerTensor(QuantParams::new(0.5, 0, IntType::Int4Narrow).unwrap()),
        output: QuantParams::new(0.25, 0, IntType::Int8).unwrap(),
        activation: FusedActivation::None,
        requantization: Requantization::DoubleRounding,
    };
    let out = quantized_gemm(
        &p,
        GemmShape::new(1, 1, 3).unwrap(),
        LayerOperands {
            weights: &[7, -7, 3],
            input: &[-8, 7, 2],
        },
        Bias::None,
    )
    .unwrap();
    assert_eq!(out.accumulators, [-56 - 49 + 6]);
    assert_eq!(out.values, [-99]); // M = 0.5 · 0.5 / 0.25 = 1
    assert_eq!(
        out.tally.count(OpKind::IntMac {
            mul_bits: 4,
            acc_bits: 32
        }),
        3
    );
}

#[test]
fn errors_have_clear_messages() {
    let ok = QuantLayerParams {
        input: QuantParams::new(0.5, 0, IntType::Int8).unwrap(),
        weights: WeightParams::PerTensor(QuantParams::new(0.5, 0, IntType::Int8Narrow).unwrap()),
        output: QuantParams::new(0.25, 0, IntType::Int8).unwrap(),
        activation: FusedActivation::None,
        requantization: Requantization::DoubleRounding,
    };
    let g = GemmShape::new(2, 1, 2).unwrap();
    let msg = |e: arithsim::Error| e.to_string();
    assert_eq!(
        msg(quantized_gemm(
            &ok,
            g,
            LayerOperands {
                weights: &[1, 2, 3],
                input: &[1, 2]
            },
            Bias::None
        )
        .unwrap_err()),
        "shape error: quantized gemm 2x1x2 needs 4 weights and 2 inputs, got 3 and 2"
    );
    assert_eq!(
        msg(quantized_gemm(
            &ok,
            g,
            LayerOperands {
                weights: &[1, 2, 3, 4],
                input: &[1, 2]
            },
            Bias::PerRow(&[1])
        )
        .unwrap_err()),
        "shape error: per-row bias has 1 elements, expected 2 (m)"
    );
    assert_eq!(
        msg(quantized_gemm(
            &ok,
            g,
            LayerOperands {
                weights: &[1, -128, 3, 4],
                input: &[1, 2]
            },
            Bias::None
        )
        .unwrap_err()),
        "value -128 is out of range -127..=127 for weights[1] of type int8 [-127, 127]"
    );
    let u8p = QuantLayerParams {
        input: QuantParams::new(0.5, 128, IntType::UInt8).unwrap(),
        ..ok.clone()
    };
    assert_eq!(
        msg(quantized_gemm(
            &u8p,
            g,
            LayerOperands {
                weights: &[1, 2, 3, 4],
                input: &[1, 2]
            },
            Bias::None
        )
        .unwrap_err()),
        "unsupported: input of type uint8 in a quantized int8 kernel (use a signed type: subtract 128 from uint8 values and zero points)"
    );
    let pc = QuantLayerParams {
        weights: WeightParams::PerChannel(
            PerChannelParams::new(vec![QuantParams::new(0.5, 0, IntType::Int8).unwrap(); 3])
                .unwrap(),
        ),
        ..ok.clone()
    };
    assert_eq!(
        msg(quantized_gemm(
            &pc,
            g,
            LayerOperands {
                weights: &[1, 2, 3, 4],
                input: &[1, 2]
            },
            Bias::None
        )
        .unwrap_err()),
        "shape error: 3 per-channel weight parameters for 2 output channels"
    );
    let s = Conv2dShape::new(Conv2dDims {
        batch: 1,
        in_channels: 1,
        in_height: 3,
        in_width: 3,
        out_channels: 1,
        kernel_height: 2,
        kernel_width: 2,
    })
    .unwrap();
    assert_eq!(
        msg(quantized_conv2d(
            &ok,
            &s,
            LayerOperands {
                weights: &[0; 4],
                input: &[0; 8]
            },
            Bias::None
        )
        .unwrap_err()),
        "shape error: quantized conv2d needs 9 inputs and 4 weights, got 8 and 4"
    );
    let zw = QuantLayerParams {
        weights: WeightParams::PerTensor(QuantParams::new(0.5, 3, IntType::Int8).unwrap()),
        ..ok.clone()
    };
    assert_eq!(
        msg(quantized_conv2d(
            &zw,
            &s,
            LayerOperands {
                weights: &[0; 4],
                input: &[0; 9]
            },
            Bias::None
        )
        .unwrap_err()),
        "unsupported: quantized conv2d with a non-zero weight zero point (TFLite int8 convolutions use symmetric weights)"
    );
    assert!(
        quantized_gemm(
            &ok,
            GemmShape { m: 0, n: 1, k: 1 },
            LayerOperands {
                weights: &[],
                input: &[1]
            },
            Bias::None
        )
        .is_err()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn gemm_with_extreme_values(zx in -128i32..=127, zo in -128i32..=127, s in 1e-4f64..1.0,
                                x in proptest::collection::vec(prop_oneof![Just(-128i8), Just(127i8), any::<i8>()], 64)) {
        let p = QuantLayerParams {
            input: QuantParams::new(0.05, zx, IntType::Int8).unwrap(),
            weights: WeightParams::PerTensor(QuantParams::new(0.02, 0, IntType::Int8Narrow).unwrap()),
            output: QuantParams::new(s, zo, IntType::Int8).unwrap(),
            activation: FusedActivation::None,
            requantization: Requantization::DoubleRounding,
        };
        let w: Vec<i8> = x.iter().map(|&v| v.max(-127)).rev().collect();
        let out = quantized_gemm(&p, GemmShape::new(1, 1, 64).unwrap(), LayerOperands { weights: &w, input: &x }, Bias::None).unwrap();
        let acc: i32 = x.iter().zip(&w).map(|(&a, &b)| (a as i32 - zx) * b as i32).sum();
        prop_assert_eq!(out.accumulators[0], acc);
        prop_assert_eq!(out.values[0], ref_output(&p, acc, 0));
    }
}
