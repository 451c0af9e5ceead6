//! Floating-point datapath against references written here: native `f32` with the `half`
//! crate's FP16 conversion, and the float core's operations applied step by step in the
//! documented order.

use arithsim::cost::{FloatKind, NumKind, OpKind};
use arithsim::datapath::Conv2dDims;
use arithsim::datapath::LayerOperands;
use arithsim::datapath::{
    AccumulationOrder, Bias, Conv2dShape, ErrorStats, FloatArith, FloatDatapath, GemmOperands,
    GemmShape, OutputGrid, ProductRounding,
};
use arithsim::float::{FloatEnv, FloatFormat};
use arithsim::round::{Flags, RoundingMode};

/// xorshift bits of `f`'s width; finite values only unless `specials`.
fn data(f: FloatFormat, n: usize, seed: u64, specials: bool) -> Vec<u64> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let mut v = x & f.mask();
        // Keep magnitudes moderate for wide formats so sums do not all overflow: clear the
        // top exponent bit half of the time.
        if f.exp_bits() > 5 && x >> 63 == 0 {
            v &= !(1u64 << (f.width() - 2));
        }
        if !specials && !f.is_finite(v) {
            continue;
        }
        out.push(v);
    }
    // Force a few edge values in: zeros of both signs, smallest subnormal, largest finite.
    if n > 8 {
        out[1] = 0;
        out[2] = f.sign_bit();
        out[3] = f.min_subnormal_bits();
        out[4] = f.max_finite_bits() | f.sign_bit();
    }
    out
}

/// Values in [-4, 4) rounded to `f` (realistic activations/weights: no overflow).
fn data_small(f: FloatFormat, n: usize, seed: u64) -> Vec<u64> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let env = FloatEnv::default();
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let u = (x >> 11) as f64 / (1u64 << 53) as f64;
            f.from_f64(8.0 * u - 4.0, &env).value
        })
        .collect()
}

/// The documented semantics, step by step through the float core.
fn reference(
    ar: &FloatArith,
    order: AccumulationOrder,
    s: GemmShape,
    a: &[u64],
    b: &[u64],
) -> (Vec<u64>, Flags) {
    let (m, f, env) = (ar.mul, ar.acc, &ar.env);
    let mut flags = Flags::empty();
    let mut fl = |r: arithsim::float::StatusAnd<u64>| {
        flags |= r.flags;
        r.value
    };
    let mut out = vec![0u64; s.m * s.n];
    for i in 0..s.m {
        for j in 0..s.n {
            let (x, y) = (|kk: usize| a[i * s.k + kk], |kk: usize| b[kk * s.n + j]);
            // Products (or widened operand pairs) in order.
            let mut ps = Vec::new();
            let mut acc = 0u64;
            for kk in 0..s.k {
                match ar.product {
                    ProductRounding::ExactProduct => {
                        let wa = fl(m.convert(x(kk), f, env));
                        let wb = fl(m.convert(y(kk), f, env));
                        if order == AccumulationOrder::Sequential {
                            acc = fl(f.fma(wa, wb, acc, env));
                        } else {
                            ps.push(fl(f.mul(wa, wb, env)));
                        }
                    }
                    ProductRounding::RoundToMulFormat => {
                        let p = fl(m.mul(x(kk), y(kk), env));
                        ps.push(fl(m.convert(p, f, env)));
                    }
                }
            }
            if !ps.is_empty() {
                let w = match order {
                    AccumulationOrder::Sequential => 1,
                    AccumulationOrder::Pairwise => s.k,
                    AccumulationOrder::Blocked { width } => width,
                };
                for block in ps.chunks(w) {
                    let mut level = block.to_vec();
                    while level.len() > 1 {
                        let mut next = Vec::new();
                        for pair in level.chunks(2) {
                            next.push(if pair.len() == 2 {
                                fl(f.add(pair[0], pair[1], env))
                            } else {
                                pair[0]
                            });
                        }
                        level = next;
                    }
                    acc = fl(f.add(acc, level[0], env));
                }
            }
            out[i * s.n + j] = acc;
        }
    }
    (out, flags)
}

const CONFIGS: [FloatArith; 8] = [
    FloatArith::FP16_FP32,
    FloatArith::BF16_FP32,
    FloatArith::FP8_E4M3_FP32,
    FloatArith::FP8_E5M2_FP32,
    FloatArith::FP8_E4M3_FP16,
    FloatArith::FP8_E5M2_FP16,
    FloatArith::FP16_FP16,
    FloatArith::FP32_FP32,
];

#[test]
fn every_configuration_order_and_product_mode_matches_the_step_by_step_reference() {
    let s = GemmShape::new(3, 4, 23).unwrap();
    let orders = [
        AccumulationOrder::Sequential,
        AccumulationOrder::Pairwise,
        AccumulationOrder::Blocked { width: 4 },
    ];
    for (c, base) in CONFIGS.iter().enumerate() {
        for product in [
            ProductRounding::ExactProduct,
            ProductRounding::RoundToMulFormat,
        ] {
            for mode in [RoundingMode::NearestEven, RoundingMode::TowardZero] {
                let ar = base.with_product(product).with_env(FloatEnv::new(mode));
                for specials in [false, true] {
                    let a = data(ar.mul, s.m * s.k, 100 + c as u64, specials);
                    let b = data(ar.mul, s.k * s.n, 200 + c as u64, specials);
                    for order in orders {
                        let dp = FloatDatapath::new(ar).unwrap().with_order(order).unwrap();
                        let got = dp
                            .gemm(s, GemmOperands { a: &a, b: &b }, Bias::None)
                            .unwrap();
                        let (want, flags) = reference(&ar, order, s, &a, &b);
                        assert_eq!(got.bits, want, "{ar} {order} specials={specials}");
                        assert_eq!(got.flags, flags, "{ar} {order} specials={specials}");
                    }
                }
            }
        }
    }
}

#[test]
fn fp16_fp32_matches_native_f32_with_the_half_crate() {
    // Independent of the float core: f16 -> f32 by `half`, exact product, one f32 rounding.
    let (m, n, k) = (9, 11, 130);
    let a = data(FloatFormat::FP16, m * k, 7, false);
    let b = data(FloatFormat::FP16, k * n, 8, false);
    let bias: Vec<u64> = (0..m)
        .map(|i| (i as f32 * -0.37).to_bits() as u64)
        .collect();
    let dp = FloatDatapath::new(FloatArith::FP16_FP32).unwrap();
    let out = dp
        .gemm(
            GemmShape::new(m, n, k).unwrap(),
            GemmOperands { a: &a, b: &b },
            Bias::PerRow(&bias),
        )
        .unwrap();
    let h = |x: u64| half::f16::from_bits(x as u16).to_f32();
    for i in 0..m {
        for j in 0..n {
            let mut acc = f32::from_bits(bias[i] as u32);
            for kk in 0..k {
                acc += h(a[i * k + kk]) * h(b[kk * n + j]);
            }
            assert_eq!(out.bits[i * n + j], acc.to_bits() as u64, "({i},{j})");
        }
    }
    assert!(out.flags.contains(Flags::INEXACT));
    let macs = (m * n * k) as u64;
    assert_eq!(
        out.tally.count(OpKind::FpFma {
            format: FloatKind::FP32
        }),
        macs
    );
    let conv = OpKind::Convert {
        from: NumKind::Float(FloatKind::FP16),
        to: NumKind::Float(FloatKind::FP32),
    };
    assert_eq!(out.tally.count(conv), (m * k + k * n) as u64);

    // Exact inputs give no flags on the native path either.
    let one = 0x3C00u64;
    let out = dp.dot(&[one; 4], &[one; 4]).unwrap();
    assert_eq!(
        (out.bits[0], out.flags),
        (4f32.to_bits() as u64, Flags::empty())
    );
}

#[test]
fn product_rounding_modes_differ_where_the_product_does_not_fit() {
    // E4M3 products have up to 8 significant bits; rounded to E4M3 they keep 4.
    let ar = FloatArith::FP8_E4M3_FP16;
    let s = GemmShape::new(2, 2, 16).unwrap();
    let a = data(ar.mul, 32, 5, false);
    let b = data(ar.mul, 32, 6, false);
    let exact = FloatDatapath::new(ar)
        .unwrap()
        .gemm(s, GemmOperands { a: &a, b: &b }, Bias::None)
        .unwrap();
    let rounded = FloatDatapath::new(ar.with_product(ProductRounding::RoundToMulFormat))
        .unwrap()
        .gemm(s, GemmOperands { a: &a, b: &b }, Bias::None)
        .unwrap();
    assert_ne!(exact.bits, rounded.bits);
    // Counting differs too: fused MACs vs multiplies + conversions + adds.
    let k = |f: FloatKind| f;
    assert_eq!(
        exact.tally.count(OpKind::FpFma {
            format: k(FloatKind::FP16)
        }),
        64
    );
    assert_eq!(
        rounded.tally.count(OpKind::FpMul {
            format: k(FloatKind::FP8_E4M3)
        }),
        64
    );
    assert_eq!(
        rounded.tally.count(OpKind::FpAdd {
            format: k(FloatKind::FP16)
        }),
        64
    );
}

#[test]
fn conv2d_add_relu_and_error_metrics() {
    let ar = FloatArith::BF16_FP32;
    let dp = FloatDatapath::new(ar).unwrap();
    let s = Conv2dShape::new(Conv2dDims {
        batch: 1,
        in_channels: 4,
        in_height: 6,
        in_width: 5,
        out_channels: 4,
        kernel_height: 3,
        kernel_width: 3,
    })
    .unwrap()
    .with_padding(1, 1)
    .unwrap()
    .with_groups(2)
    .unwrap();
    let x = data_small(ar.mul, s.input_len(), 1);
    let w = data_small(ar.mul, s.weight_len(), 2);
    let out = dp
        .conv2d(
            &s,
            LayerOperands {
                weights: &w,
                input: &x,
            },
            Bias::None,
        )
        .unwrap();
    // Reference: direct convolution, padded taps included as +0 products, order (c, ky, kx).
    let env = &ar.env;
    let (oh, ow) = s.output_hw();
    let (cg, og) = (s.in_channels / s.groups, s.out_channels / s.groups);
    let mut worst = 0.0f64;
    for o in 0..s.out_channels {
        for oy in 0..oh {
            for ox in 0..ow {
                let mut acc = 0u64;
                let mut exact = 0.0f64;
                for c in 0..cg {
                    for ky in 0..3 {
                        for kx in 0..3 {
                            let y = (oy + ky) as isize - 1;
                            let xx = (ox + kx) as isize - 1;
                            let xv = if y < 0 || xx < 0 || y >= 6 || xx >= 5 {
                                0
                            } else {
                                x[((o / og * cg + c) * 6 + y as usize) * 5 + xx as usize]
                            };
                            let wv = w[((o * cg + c) * 3 + ky) * 3 + kx];
                            let wa = ar.mul.convert(xv, ar.acc, env).value;
                            let wb = ar.mul.convert(wv, ar.acc, env).value;
                            acc = ar.acc.fma(wa, wb, acc, env).value;
                            exact += ar.mul.bits_to_f64(xv) * ar.mul.bits_to_f64(wv);
                        }
                    }
                }
                let got = out.bits[(o * oh + oy) * ow + ox];
                assert_eq!(got, acc, "o={o} ({oy},{ox})");
                worst = worst.max((ar.acc.bits_to_f64(got) - exact).abs());
            }
        }
    }
    let refs: Vec<f64> = {
        // f64 reference of the whole output, for the error statistics.
        let mut r = Vec::new();
        for o in 0..s.out_channels {
            for oy in 0..oh {
                for ox in 0..ow {
                    let mut e = 0.0;
                    for c in 0..cg {
                        for ky in 0..3 {
                            for kx in 0..3 {
                                let y = (oy + ky) as isize - 1;
                                let xx = (ox + kx) as isize - 1;
                                if y < 0 || xx < 0 || y >= 6 || xx >= 5 {
                                    continue;
                                }
                                let xv = x[((o / og * cg + c) * 6 + y as usize) * 5 + xx as usize];
                                let wv = w[((o * cg + c) * 3 + ky) * 3 + kx];
                                e += ar.mul.bits_to_f64(xv) * ar.mul.bits_to_f64(wv);
                            }
                        }
                    }
                    r.push(e);
                }
            }
        }
        r
    };
    let st = ErrorStats::compare(
        &out.to_f64(ar.acc),
        &refs,
        OutputGrid::Float(FloatFormat::FP32),
    )
    .unwrap();
    assert_eq!(st.max_abs, worst);
    assert!(st.sqnr_db > 100.0, "{st:?}");

    let one = 1f32.to_bits() as u64;
    let neg = (-2f32).to_bits() as u64;
    let r = dp.add(&[one, neg], &[one, one]).unwrap();
    assert_eq!(r.bits, [2f32.to_bits() as u64, (-1f32).to_bits() as u64]);
    assert_eq!(
        r.tally.count(OpKind::FpAdd {
            format: FloatKind::FP32
        }),
        2
    );
    // FP32 results written back as BF16: one rounding each, against `half`.
    let wb = dp.convert(&out.bits, FloatFormat::BF16).unwrap();
    for (&o, &w) in out.bits.iter().zip(&wb.bits) {
        assert_eq!(
            w,
            half::bf16::from_f32(f32::from_bits(o as u32)).to_bits() as u64
        );
    }
    let conv = OpKind::Convert {
        from: NumKind::Float(FloatKind::FP32),
        to: NumKind::Float(FloatKind::BF16),
    };
    assert_eq!(wb.tally.count(conv), out.bits.len() as u64);
    assert_eq!(
        dp.convert(&[], FloatFormat::BF16).unwrap_err().to_string(),
        "shape error: convert input is empty"
    );
    let nan = 0x7FC0_0000u64;
    let r = dp.relu(&[neg, one, 0x8000_0000, nan]).unwrap();
    assert_eq!(r.bits, [0, one, 0, nan]);
}

#[test]
fn float_errors_name_the_problem() {
    let e = FloatArith::new(
        FloatFormat::BF16,
        FloatFormat::FP16,
        ProductRounding::ExactProduct,
        RoundingMode::NearestEven,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "unsupported: accumulate format FP16 cannot hold the smallest subnormal of multiply \
         format BF16: operands must widen exactly"
    );
    let e = FloatArith::new(
        FloatFormat::FP32,
        FloatFormat::FP16,
        ProductRounding::RoundToMulFormat,
        RoundingMode::NearestEven,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "unsupported: accumulate format FP16 has 11 bits of precision, fewer than 24 of multiply \
         format FP32: operands must widen exactly"
    );
    let dp = FloatDatapath::new(FloatArith::FP16_FP32).unwrap();
    let e = dp.dot(&[0x3C00, 0x1_0000], &[0, 0]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "value 0x10000 is out of range 0x0..=0xffff for FP16 bit pattern a[1]"
    );
    let e = dp.dot(&[], &[]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "shape error: gemm dimension k is 0; every dimension must be at least 1"
    );
    let e = dp
        .gemm(
            GemmShape::new(1, 1, 1).unwrap(),
            GemmOperands { a: &[0], b: &[0] },
            Bias::PerRow(&[0x1_0000_0000]),
        )
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "value 0x100000000 is out of range 0x0..=0xffffffff for FP32 bit pattern bias[0]"
    );
}

/// Every pair of 8-bit operands at once: a 256 × 1 by 1 × 256 GEMM is the table of products
/// `+0 + a·b`, checked against the f64 product rounded once by the `half` crate / `as f32`.
#[test]
fn exhaustive_fp8_products_into_fp32_and_fp16() {
    let all: Vec<u64> = (0..256).collect();
    let s = GemmShape::new(256, 256, 1).unwrap();
    for ar in [
        FloatArith::FP8_E4M3_FP32,
        FloatArith::FP8_E5M2_FP32,
        FloatArith::FP8_E4M3_FP16,
        FloatArith::FP8_E5M2_FP16,
    ] {
        let out = FloatDatapath::new(ar)
            .unwrap()
            .gemm(s, GemmOperands { a: &all, b: &all }, Bias::None)
            .unwrap();
        for i in 0..256 {
            for j in 0..256 {
                let p = ar.mul.bits_to_f64(i as u64) * ar.mul.bits_to_f64(j as u64);
                let got = out.bits[i * 256 + j];
                if p.is_nan() {
                    assert!(ar.acc.is_nan(got), "{ar} {i:#x}*{j:#x}");
                    continue;
                }
                // +0 + (-0) = +0 under round to nearest even.
                let p = if p == 0.0 { 0.0 } else { p };
                let want = if ar.acc == FloatFormat::FP32 {
                    (p as f32).to_bits() as u64
                } else {
                    half::f16::from_f64(p).to_bits() as u64
                };
                assert_eq!(got, want, "{ar} {i:#x}*{j:#x} = {p}");
            }
        }
    }
}

#[test]
fn float_memory_traffic_uses_format_widths() {
    use arithsim::cost::MemLevel;
    use arithsim::datapath::{MemoryModel, Tile, memory_bytes};
    let sram = MemLevel::Sram { bytes: 1 << 20 };
    let mem = MemoryModel::new(MemLevel::Dram, sram, Tile { m: 8, n: 8, k: 16 }).unwrap();
    let dp = FloatDatapath::new(FloatArith::FP16_FP32)
        .unwrap()
        .with_memory(mem)
        .unwrap();
    let s = GemmShape::new(16, 24, 16).unwrap();
    let a = data_small(FloatFormat::FP16, s.m * s.k, 1);
    let b = data_small(FloatFormat::FP16, s.k * s.n, 2);
    let out = dp
        .gemm(s, GemmOperands { a: &a, b: &b }, Bias::None)
        .unwrap();
    let levels = memory_bytes(&out.tally).unwrap();
    assert_eq!(levels.len(), 2);
    let (sr, dr) = (levels[0], levels[1]);
    assert_eq!((sr.level, dr.level), (sram, MemLevel::Dram));
    // A: 16*16 FP16 read ceil(24/8) = 3 times; B: 16*24 FP16 read ceil(16/8) = 2 times.
    assert_eq!(dr.read_bytes, (16 * 16 * 3 + 16 * 24 * 2) * 2);
    assert_eq!(dr.write_bytes, 16 * 24 * 4);
    assert_eq!(sr.read_bytes, 2 * (16 * 24 * 16) * 2);
    assert_eq!(sr.write_bytes, dr.read_bytes);
}

mod random_shapes {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Random shapes, raw bit patterns (NaN, infinities and subnormals come up), every
        /// preset, both product modes, every order and the IEEE rounding modes.
        #[test]
        fn gemm_matches_reference(
            c in 0usize..8, exact: bool, order_pick in 0usize..3, width in 1usize..6,
            mode in prop::sample::select(RoundingMode::IEEE.to_vec()),
            m in 1usize..4, n in 1usize..4, k in 1usize..20, seed: u64, specials: bool,
        ) {
            let product = if exact { ProductRounding::ExactProduct } else { ProductRounding::RoundToMulFormat };
            let ar = CONFIGS[c].with_product(product).with_env(FloatEnv::new(mode));
            let order = [AccumulationOrder::Sequential, AccumulationOrder::Pairwise,
                         AccumulationOrder::Blocked { width }][order_pick];
            let s = GemmShape::new(m, n, k).unwrap();
            let a = data(ar.mul, m * k, seed, specials);
            let b = data(ar.mul, k * n, seed ^ 0xABCD, specials);
            let dp = FloatDatapath::new(ar).unwrap().with_order(order).unwrap();
            let got = dp.gemm(s, GemmOperands { a: &a, b: &b }, Bias::None).unwrap();
            let (want, flags) = reference(&ar, order, s, &a, &b);
            prop_assert_eq!(got.bits, want);
            prop_assert_eq!(got.flags, flags);
        }
    }
}
