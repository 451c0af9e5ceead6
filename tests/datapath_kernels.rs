//! Datapath kernels against independent references written here: native integer loops,
//! direct (not im2col) convolution, step-by-step saturating sums, f64 error metrics.

mod support;
use arithsim::Signedness;
use arithsim::cost::{MemLevel, OpKind, Tally};
use arithsim::datapath::Conv2dDims;
use arithsim::datapath::LayerOperands;
use arithsim::datapath::{
    AccumulationOrder, Bias, Conv2dShape, ErrorStats, GemmOperands, GemmShape, IntArith,
    IntDatapath, MemoryModel, OutputGrid, Overflow, Tile,
};
use proptest::prelude::*;
use support::{data_i8, ref_conv};

/// Reference GEMM: i-j-k, exact i128 sum, wrapped to 32 bits at the end.
fn ref_gemm_i32(m: usize, n: usize, k: usize, a: &[i8], b: &[i8], bias: &[i64]) -> Vec<i64> {
    let mut c = vec![0i64; m * n];
    for i in 0..m {
        for j in 0..n {
            let mut s: i128 = if bias.is_empty() { 0 } else { bias[i] as i128 };
            for kk in 0..k {
                s += a[i * k + kk] as i128 * b[kk * n + j] as i128;
            }
            c[i * n + j] = s as i32 as i64;
        }
    }
    c
}

#[test]
fn int8_gemm_matches_native_loop_in_every_order() {
    let (m, n, k) = (7, 13, 300);
    let a = data_i8(m * k, 1);
    let b = data_i8(k * n, 2);
    let bias: Vec<i64> = (0..m as i64).map(|i| i * 1_000_003 - 3_000_000).collect();
    let want = ref_gemm_i32(m, n, k, &a, &b, &bias);
    for order in [
        AccumulationOrder::Sequential,
        AccumulationOrder::Pairwise,
        AccumulationOrder::Blocked { width: 4 },
    ] {
        let dp = IntDatapath::new(IntArith::INT8_INT32)
            .unwrap()
            .with_order(order)
            .unwrap();
        let out = dp
            .gemm(
                GemmShape::new(m, n, k).unwrap(),
                GemmOperands { a: &a, b: &b },
                Bias::PerRow(&bias),
            )
            .unwrap();
        assert_eq!(out.values, want, "{order}");
        assert_eq!(out.saturations, 0);
        let macs = (m * n * k) as u64;
        let mut t = Tally::new();
        if order == AccumulationOrder::Sequential {
            t.add(
                OpKind::IntMac {
                    mul_bits: 8,
                    acc_bits: 32,
                },
                macs,
            );
        } else {
            t.add(OpKind::IntMul { bits: 8 }, macs);
            t.add(OpKind::IntAdd { bits: 32 }, macs);
        }
        assert_eq!(out.tally, t, "{order}");
    }
}

#[test]
fn wrapping_overflows_like_native_wrapping() {
    // 16-bit operands into a 20-bit wrapping accumulator: overflows on purpose.
    let arith = IntArith::new(16, 20, Signedness::Signed, Overflow::Wrapping).unwrap();
    let dp = IntDatapath::new(arith).unwrap();
    let a: Vec<i16> = vec![i16::MIN, i16::MAX, -12345, 32000];
    let b: Vec<i16> = vec![i16::MIN, i16::MAX, 23456, -31999];
    let out = dp.dot(&a, &b).unwrap();
    let exact: i128 = a.iter().zip(&b).map(|(&x, &y)| x as i128 * y as i128).sum();
    let low20 = (exact as i64) & 0xF_FFFF;
    let want = if low20 >= 1 << 19 {
        low20 - (1 << 20)
    } else {
        low20
    };
    assert_eq!(out.values, [want]);
    // 40-bit accumulator: the i64 path.
    let dp =
        IntDatapath::new(IntArith::new(16, 40, Signedness::Signed, Overflow::Wrapping).unwrap())
            .unwrap();
    assert_eq!(dp.dot(&a, &b).unwrap().values, [exact as i64]);
    // Unsigned 8 -> 16: modulo 2^16.
    let dp =
        IntDatapath::new(IntArith::new(8, 16, Signedness::Unsigned, Overflow::Wrapping).unwrap())
            .unwrap();
    let ua: Vec<u8> = (0..=255).collect();
    let out = dp.dot(&ua, &ua).unwrap();
    let s: u64 = ua.iter().map(|&x| x as u64 * x as u64).sum();
    assert_eq!(out.values, [(s % 65536) as i64]);
}

/// Reference saturating reduction written from the documented orders.
fn ref_saturating(init: i128, p: &[i128], width: usize, lo: i128, hi: i128) -> (i128, u64) {
    let mut sat = 0;
    let mut clamp = |x: i128| {
        if x < lo {
            sat += 1;
            lo
        } else if x > hi {
            sat += 1;
            hi
        } else {
            x
        }
    };
    let mut acc = init;
    for block in p.chunks(width) {
        let mut level: Vec<i128> = block.to_vec();
        while level.len() > 1 {
            let mut next = Vec::new();
            for pair in level.chunks(2) {
                next.push(if pair.len() == 2 {
                    clamp(pair[0] + pair[1])
                } else {
                    pair[0]
                });
            }
            level = next;
        }
        acc = clamp(acc + level[0]);
    }
    (acc, sat)
}

#[test]
fn saturating_accumulation_depends_on_order_as_documented() {
    let arith = IntArith::new(8, 12, Signedness::Signed, Overflow::Saturating).unwrap();
    let (m, n, k) = (3, 4, 9);
    let a = data_i8(m * k, 7);
    let b = data_i8(k * n, 8);
    let mut seen = Vec::new();
    for (order, width) in [
        (AccumulationOrder::Sequential, 1),
        (AccumulationOrder::Pairwise, k),
        (AccumulationOrder::Blocked { width: 2 }, 2),
        (AccumulationOrder::Blocked { width: 4 }, 4),
    ] {
        let dp = IntDatapath::new(arith).unwrap().with_order(order).unwrap();
        let out = dp
            .gemm(
                GemmShape::new(m, n, k).unwrap(),
                GemmOperands { a: &a, b: &b },
                Bias::None,
            )
            .unwrap();
        let mut total_sat = 0;
        for i in 0..m {
            for j in 0..n {
                let p: Vec<i128> = (0..k)
                    .map(|kk| a[i * k + kk] as i128 * b[kk * n + j] as i128)
                    .collect();
                let (v, s) = ref_saturating(0, &p, width, -2048, 2047);
                total_sat += s;
                assert_eq!(out.values[i * n + j] as i128, v, "{order} ({i},{j})");
            }
        }
        assert_eq!(out.saturations, total_sat, "{order}");
        assert!(total_sat > 0, "the data must exercise saturation");
        seen.push(out.values);
    }
    assert!(
        seen.iter().any(|v| *v != seen[0]),
        "orders should differ under saturation"
    );
}

#[test]
fn conv2d_matches_direct_convolution() {
    let shapes = [
        Conv2dShape::new(Conv2dDims {
            batch: 2,
            in_channels: 4,
            in_height: 9,
            in_width: 8,
            out_channels: 6,
            kernel_height: 3,
            kernel_width: 3,
        })
        .unwrap()
        .with_padding(1, 1)
        .unwrap(),
        Conv2dShape::new(Conv2dDims {
            batch: 1,
            in_channels: 4,
            in_height: 11,
            in_width: 10,
            out_channels: 4,
            kernel_height: 3,
            kernel_width: 2,
        })
        .unwrap()
        .with_stride(2, 3)
        .unwrap()
        .with_padding(2, 1)
        .unwrap()
        .with_dilation(2, 1)
        .unwrap()
        .with_groups(2)
        .unwrap(),
        // Depthwise.
        Conv2dShape::new(Conv2dDims {
            batch: 2,
            in_channels: 3,
            in_height: 5,
            in_width: 5,
            out_channels: 3,
            kernel_height: 3,
            kernel_width: 3,
        })
        .unwrap()
        .with_padding(1, 1)
        .unwrap()
        .with_groups(3)
        .unwrap(),
        // 1x1, stride 2.
        Conv2dShape::new(Conv2dDims {
            batch: 1,
            in_channels: 8,
            in_height: 6,
            in_width: 6,
            out_channels: 5,
            kernel_height: 1,
            kernel_width: 1,
        })
        .unwrap()
        .with_stride(2, 2)
        .unwrap(),
    ];
    let dp = IntDatapath::new(IntArith::INT8_INT32).unwrap();
    for (t, s) in shapes.iter().enumerate() {
        let x = data_i8(s.input_len(), 10 + t as u64);
        let w = data_i8(s.weight_len(), 20 + t as u64);
        let bias: Vec<i64> = (0..s.out_channels as i64).map(|o| o * 77 - 100).collect();
        let out = dp
            .conv2d(
                s,
                LayerOperands {
                    weights: &w,
                    input: &x,
                },
                Bias::PerRow(&bias),
            )
            .unwrap();
        assert_eq!(out.values, ref_conv(s, &x, &w, &bias), "shape {t}: {s:?}");
        assert_eq!(
            out.tally.count(OpKind::IntMac {
                mul_bits: 8,
                acc_bits: 32
            }),
            s.macs(),
            "shape {t}"
        );
        let no_bias = dp
            .conv2d(
                s,
                LayerOperands {
                    weights: &w,
                    input: &x,
                },
                Bias::None,
            )
            .unwrap();
        assert_eq!(no_bias.values, ref_conv(s, &x, &w, &[]));
        // The other bias layouts, read in the GEMM view: one value per output position
        // (shared by the channels) and one per output element (NCHW).
        let (oh, ow) = s.output_hw();
        let plane = oh * ow;
        let per_position: Vec<i64> = (0..s.batch * plane).map(|i| i as i64 * 3 - 50).collect();
        let full: Vec<i64> = (0..s.output_len()).map(|i| 1000 - i as i64 * 7).collect();
        let run = |bias: Bias<'_>| {
            dp.conv2d(
                s,
                LayerOperands {
                    weights: &w,
                    input: &x,
                },
                bias,
            )
            .unwrap()
            .values
        };
        let expect_position: Vec<i64> = no_bias
            .values
            .iter()
            .enumerate()
            .map(|(i, &v)| v + per_position[(i / (plane * s.out_channels)) * plane + i % plane])
            .collect();
        assert_eq!(
            run(Bias::PerColumn(&per_position)),
            expect_position,
            "shape {t}"
        );
        let expect_full: Vec<i64> = no_bias
            .values
            .iter()
            .zip(&full)
            .map(|(v, b)| v + b)
            .collect();
        assert_eq!(run(Bias::Full(&full)), expect_full, "shape {t}");
        // A full bias holding the per-channel values is the per-channel bias.
        let channel_full: Vec<i64> = (0..s.output_len())
            .map(|i| bias[(i / plane) % s.out_channels])
            .collect();
        assert_eq!(run(Bias::Full(&channel_full)), out.values, "shape {t}");
        // Lengths are checked against the layout.
        let e = dp
            .conv2d(
                s,
                LayerOperands {
                    weights: &w,
                    input: &x,
                },
                Bias::Full(&full[1..]),
            )
            .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("shape error: conv2d full bias has "),
            "{e}"
        );
    }
}

#[test]
fn gemv_dot_add_relu() {
    let dp = IntDatapath::new(IntArith::INT8_INT32).unwrap();
    let a = data_i8(5 * 6, 3);
    let x = data_i8(6, 4);
    let y = dp
        .gemv(5, GemmOperands { a: &a, b: &x }, Bias::None)
        .unwrap();
    assert_eq!(y.values, ref_gemm_i32(5, 1, 6, &a, &x, &[]));
    let d = dp.dot(&a[..6], &x).unwrap();
    assert_eq!(d.values[0], y.values[0]);

    let sat =
        IntDatapath::new(IntArith::new(8, 8, Signedness::Signed, Overflow::Saturating).unwrap())
            .unwrap();
    let r = sat.add(&[100, -100, 5], &[100, -100, -6]).unwrap();
    assert_eq!(r.values, [127, -128, -1]);
    assert_eq!(r.saturations, 2);
    assert_eq!(r.tally.count(OpKind::IntAdd { bits: 8 }), 3);
    let wrap =
        IntDatapath::new(IntArith::new(8, 8, Signedness::Signed, Overflow::Wrapping).unwrap())
            .unwrap();
    assert_eq!(
        wrap.add(&[100, -100], &[100, -100]).unwrap().values,
        [-56, 56]
    );

    let r = dp.relu(&[-5, 0, 7, i32::MIN as i64]).unwrap();
    assert_eq!(r.values, [0, 0, 7, 0]);
    assert!(r.tally.is_empty(), "relu performs no priced arithmetic");
}

#[test]
fn memory_traffic_counts_tile_reuse() {
    let mem = MemoryModel::new(
        MemLevel::Dram,
        MemLevel::Sram { bytes: 32 << 10 },
        Tile { m: 16, n: 8, k: 32 },
    )
    .unwrap();
    let dp = IntDatapath::new(IntArith::INT8_INT32)
        .unwrap()
        .with_memory(mem)
        .unwrap();
    let (m, n, k) = (40, 20, 64);
    let a = data_i8(m * k, 5);
    let b = data_i8(k * n, 6);
    let out = dp
        .gemm(
            GemmShape::new(m, n, k).unwrap(),
            GemmOperands { a: &a, b: &b },
            Bias::None,
        )
        .unwrap();
    let sram = MemLevel::Sram { bytes: 32 << 10 };
    let dram_r8 = OpKind::MemRead {
        level: MemLevel::Dram,
        bits: 8,
    };
    // A: 40*64 elements, fetched once per column tile (ceil(20/8) = 3);
    // B: 64*20 elements, fetched once per row tile (ceil(40/16) = 3).
    assert_eq!(out.tally.count(dram_r8), 40 * 64 * 3 + 64 * 20 * 3);
    assert_eq!(
        out.tally.count(OpKind::MemWrite {
            level: sram,
            bits: 8
        }),
        40 * 64 * 3 + 64 * 20 * 3
    );
    assert_eq!(
        out.tally.count(OpKind::MemRead {
            level: sram,
            bits: 8
        }),
        2 * 40 * 20 * 64
    );
    assert_eq!(
        out.tally.count(OpKind::MemWrite {
            level: MemLevel::Dram,
            bits: 32
        }),
        40 * 20
    );
    assert_eq!(
        out.tally.count(OpKind::IntMac {
            mul_bits: 8,
            acc_bits: 32
        }),
        40 * 20 * 64
    );

    // Conv2d is counted through its implicit-GEMM view, once per group.
    let s = Conv2dShape::new(Conv2dDims {
        batch: 1,
        in_channels: 4,
        in_height: 6,
        in_width: 6,
        out_channels: 4,
        kernel_height: 3,
        kernel_width: 3,
    })
    .unwrap()
    .with_groups(2)
    .unwrap();
    let x = data_i8(s.input_len(), 1);
    let w = data_i8(s.weight_len(), 2);
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
    let (g, v) = s.gemm_view();
    assert_eq!((g, v.m, v.n, v.k), (2, 2, 16, 18));
    // per group: A 2*18 once per column tile (ceil(16/8)=2), B 18*16 once (row tiles 1).
    assert_eq!(out.tally.count(dram_r8), 2 * (2 * 18 * 2 + 18 * 16));
}

#[test]
fn error_stats_against_f64() {
    let reference = [1.0, -2.0, 0.0, 4.0];
    let actual = [1.0, -2.25, 0.5, 4.0];
    let s = ErrorStats::compare(&actual, &reference, OutputGrid::Uniform { step: 0.25 }).unwrap();
    assert_eq!(s.max_abs, 0.5);
    assert_eq!(s.rms, ((0.0625 + 0.25) / 4.0f64).sqrt());
    assert_eq!(s.max_rel, 0.125);
    assert_eq!(s.max_ulp, 2.0);
    let want = 10.0 * (21.0f64 / 0.3125).log10();
    assert!((s.sqnr_db - want).abs() < 1e-12);
    let exact =
        ErrorStats::compare(&reference, &reference, OutputGrid::Uniform { step: 1.0 }).unwrap();
    assert_eq!(exact.sqnr_db, f64::INFINITY);
    let nan = ErrorStats::compare(&[f64::NAN], &[1.0], OutputGrid::Uniform { step: 1.0 }).unwrap();
    assert_eq!(nan.non_finite, 1);
}

#[test]
fn bad_input_is_an_error_with_a_clear_message() {
    let dp = IntDatapath::new(IntArith::INT8_INT32).unwrap();
    let msg = |e: arithsim::Error| e.to_string();
    assert_eq!(
        msg(GemmShape::new(2, 0, 3).unwrap_err()),
        "shape error: gemm dimension n is 0; every dimension must be at least 1"
    );
    let s = GemmShape::new(2, 2, 3).unwrap();
    assert_eq!(
        msg(dp
            .gemm(
                s,
                GemmOperands {
                    a: &[0i8; 5],
                    b: &[0i8; 6]
                },
                Bias::None
            )
            .unwrap_err()),
        "shape error: gemm operand a has 5 elements, expected 6 (m*k = 2*3)"
    );
    assert_eq!(
        msg(dp
            .gemm(
                s,
                GemmOperands {
                    a: &[0i8; 6],
                    b: &[0i8; 6]
                },
                Bias::PerRow(&[1])
            )
            .unwrap_err()),
        "shape error: per-row bias has 1 elements, expected 2 (m)"
    );
    assert_eq!(
        msg(dp
            .gemm(
                s,
                GemmOperands {
                    a: &[0i16, 0, 200, 0, 0, 0],
                    b: &[0i16; 6]
                },
                Bias::None
            )
            .unwrap_err()),
        "value 200 is out of range -128..=127 for INT8 a[2]"
    );
    assert_eq!(
        msg(dp
            .gemm(
                s,
                GemmOperands {
                    a: &[0i8; 6],
                    b: &[0i8; 6]
                },
                Bias::Full(&[0, 0, 0, 1 << 40])
            )
            .unwrap_err()),
        "value 1099511627776 is out of range -2147483648..=2147483647 for INT32 bias[3]"
    );
    assert_eq!(
        msg(dp.dot(&[1i8, 2], &[1i8]).unwrap_err()),
        "shape error: dot operand b has 1 elements, expected 2 (the length of a)"
    );
    assert_eq!(
        msg(dp.dot::<i8>(&[], &[]).unwrap_err()),
        "shape error: gemm dimension k is 0; every dimension must be at least 1"
    );
    assert_eq!(
        msg(Conv2dShape::new(Conv2dDims {
            batch: 1,
            in_channels: 3,
            in_height: 4,
            in_width: 4,
            out_channels: 8,
            kernel_height: 5,
            kernel_width: 5
        })
        .unwrap_err()),
        "shape error: conv2d has no output: dilated kernel height 5 exceeds padded input height 4 \
         (input 4, padding 0 on each side)"
    );
    assert_eq!(
        msg(Conv2dShape::new(Conv2dDims {
            batch: 1,
            in_channels: 3,
            in_height: 9,
            in_width: 9,
            out_channels: 8,
            kernel_height: 3,
            kernel_width: 3
        })
        .unwrap()
        .with_dilation(5, 1)
        .unwrap_err()),
        "shape error: conv2d has no output: dilated kernel height 11 exceeds padded input height 9 \
         (input 9, padding 0 on each side)"
    );
    assert_eq!(
        msg(Conv2dShape::new(Conv2dDims {
            batch: 1,
            in_channels: 3,
            in_height: 9,
            in_width: 9,
            out_channels: 8,
            kernel_height: 3,
            kernel_width: 3
        })
        .unwrap()
        .with_stride(0, 1)
        .unwrap_err()),
        "shape error: conv2d vertical stride is 0; it must be at least 1"
    );
    assert_eq!(
        msg(Conv2dShape::new(Conv2dDims {
            batch: 1,
            in_channels: 6,
            in_height: 9,
            in_width: 9,
            out_channels: 8,
            kernel_height: 3,
            kernel_width: 3
        })
        .unwrap()
        .with_groups(4)
        .unwrap_err()),
        "shape error: conv2d in_channels 6 is not a multiple of groups 4"
    );
    let cs = Conv2dShape::new(Conv2dDims {
        batch: 1,
        in_channels: 2,
        in_height: 4,
        in_width: 4,
        out_channels: 2,
        kernel_height: 3,
        kernel_width: 3,
    })
    .unwrap();
    assert_eq!(
        msg(dp
            .conv2d(
                &cs,
                LayerOperands {
                    weights: &[0i8; 36],
                    input: &[0i8; 31]
                },
                Bias::None
            )
            .unwrap_err()),
        "shape error: conv2d input has 31 elements, expected 32 (n*c*h*w = 1*2*4*4)"
    );
    assert_eq!(
        msg(dp
            .conv2d(
                &cs,
                LayerOperands {
                    weights: &[0i8; 36],
                    input: &[0i8; 32]
                },
                Bias::PerRow(&[1])
            )
            .unwrap_err()),
        "shape error: conv2d per-channel bias has 1 elements, expected 2 (out_channels)"
    );
    assert_eq!(
        msg(IntArith::new(0, 32, Signedness::Signed, Overflow::Wrapping).unwrap_err()),
        "integer multiplier operand width 0 is out of range 1..=32"
    );
    assert_eq!(
        msg(IntArith::new(8, 64, Signedness::Unsigned, Overflow::Wrapping).unwrap_err()),
        "unsigned integer accumulator width 64 is out of range 1..=63"
    );
    assert_eq!(
        msg(AccumulationOrder::blocked(0).unwrap_err()),
        "invalid accumulation block width 0: must be at least 1"
    );
    assert_eq!(
        msg(dp.add(&[1], &[1, 2]).unwrap_err()),
        "shape error: add operand b has 2 elements, expected 1 (the length of a)"
    );
    assert_eq!(
        msg(dp.relu(&[]).unwrap_err()),
        "shape error: relu input is empty"
    );
    assert_eq!(
        msg(
            ErrorStats::compare(&[1.0], &[f64::INFINITY], OutputGrid::Uniform { step: 1.0 })
                .unwrap_err()
        ),
        "invalid reference value inf: element 0 must be finite"
    );
    assert_eq!(
        msg(ErrorStats::compare(&[1.0], &[1.0], OutputGrid::Uniform { step: 0.0 }).unwrap_err()),
        "invalid grid step 0: must be finite and positive"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any widths, signedness and wrapping: the kernel equals an exact i128 sum reduced at the end.
    #[test]
    fn wrapping_gemm_equals_exact_sum_reduced(
        mul_bits in 1u32..=32, acc_bits in 1u32..=63,
        signedness in prop::sample::select(Signedness::ALL.to_vec()),
        m in 1usize..4, n in 1usize..4, k in 1usize..12, seed: u64,
    ) {
        let arith = IntArith::new(mul_bits, acc_bits, signedness, Overflow::Wrapping).unwrap();
        let (lo, hi) = arith.operand_range();
        let mut x = seed | 1;
        let mut draw = |i: usize| -> i64 {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            match i % 5 { 0 => lo, 1 => hi, _ => lo + (x % ((hi - lo) as u64 + 1)) as i64 }
        };
        let a: Vec<i64> = (0..m * k).map(&mut draw).collect();
        let b: Vec<i64> = (0..k * n).map(&mut draw).collect();
        let dp = IntDatapath::new(arith).unwrap();
        let out = dp.gemm(GemmShape::new(m, n, k).unwrap(), GemmOperands { a: &a, b: &b }, Bias::None).unwrap();
        for i in 0..m {
            for j in 0..n {
                let s: i128 = (0..k).map(|kk| a[i * k + kk] as i128 * b[kk * n + j] as i128).sum();
                let modulus = 1i128 << acc_bits;
                let mut r = s.rem_euclid(modulus);
                if signedness.is_signed() && r >= modulus / 2 { r -= modulus; }
                prop_assert_eq!(out.values[i * n + j] as i128, r);
            }
        }
    }
}

/// Every pair of INT8 and UINT8 operands: a 256 × 1 by 1 × 256 GEMM is the product table.
#[test]
fn exhaustive_8bit_products() {
    let s = GemmShape::new(256, 256, 1).unwrap();
    let i8s: Vec<i8> = (i8::MIN..=i8::MAX).collect();
    let out = IntDatapath::new(IntArith::INT8_INT32)
        .unwrap()
        .gemm(s, GemmOperands { a: &i8s, b: &i8s }, Bias::None)
        .unwrap();
    for (i, &x) in i8s.iter().enumerate() {
        for (j, &y) in i8s.iter().enumerate() {
            assert_eq!(out.values[i * 256 + j], x as i64 * y as i64);
        }
    }
    let u8s: Vec<u8> = (0..=255).collect();
    // 8-bit unsigned accumulator wraps the 16-bit product.
    let arith = IntArith::new(8, 8, Signedness::Unsigned, Overflow::Wrapping).unwrap();
    let out = IntDatapath::new(arith)
        .unwrap()
        .gemm(s, GemmOperands { a: &u8s, b: &u8s }, Bias::None)
        .unwrap();
    for (i, &x) in u8s.iter().enumerate() {
        for (j, &y) in u8s.iter().enumerate() {
            assert_eq!(out.values[i * 256 + j], x.wrapping_mul(y) as i64);
        }
    }
}

/// The operand range check is skipped only for a type all of whose values fit: `i8` data on
/// INT8 needs none, while the same `i8` data on INT4, `u8` data on signed INT8 and `i16` data on
/// INT8 are still checked, element by element.
#[test]
fn operand_range_check_depends_on_the_type_and_the_width() {
    /// A 1×1×2 GEMM: the value, or the error's text.
    fn gemm<T: arithsim::datapath::IntOperand>(
        arith: IntArith,
        a: &[T],
        b: &[T],
    ) -> Result<i64, String> {
        let shape = GemmShape::new(1, 1, 2).unwrap();
        IntDatapath::new(arith)
            .unwrap()
            .gemm(shape, GemmOperands { a, b }, Bias::None)
            .map(|o| o.values[0])
            .map_err(|e| e.to_string())
    }
    let int8 = IntArith::INT8_INT32;
    let int4 = IntArith::new(4, 16, Signedness::Signed, Overflow::Wrapping).unwrap();
    let uint8 = IntArith::new(8, 32, Signedness::Unsigned, Overflow::Wrapping).unwrap();
    let names = |r: Result<i64, String>, at: &str| r.unwrap_err().contains(at);
    // every i8 fits INT8: the extremes multiply exactly
    assert_eq!(
        gemm(int8, &[-128i8, 127], &[-128, 127]),
        Ok(128 * 128 + 127 * 127)
    );
    // the same i8 data on INT4: the second element is out of range
    assert!(names(gemm(int4, &[7i8, 8], &[1, 1]), "a[1]"));
    // u8 on signed INT8: 200 does not fit -128..=127
    assert!(names(gemm(int8, &[1u8, 1], &[0, 200]), "b[1]"));
    // u8 on unsigned 8-bit: every value fits
    assert_eq!(gemm(uint8, &[255u8, 255], &[255, 1]), Ok(255 * 255 + 255));
    // i16 on INT8: 300 is caught
    assert!(names(gemm(int8, &[300i16, 0], &[1, 1]), "a[0]"));
    // i64 on INT8, as before
    assert!(names(gemm(int8, &[-129i64, 0], &[1, 1]), "a[0]"));
    assert_eq!(gemm(int8, &[-128i64, 127], &[1, 1]), Ok(-1));
}
