//! Fixed-point datapath against references written here: i128 arithmetic with rounding to
//! nearest even written out, and a direct convolution.

mod support;
use arithsim::cost::OpKind;
use arithsim::datapath::Conv2dDims;
use arithsim::datapath::LayerOperands;
use arithsim::datapath::{Bias, Conv2dShape, GemmOperands, GemmShape, Overflow};
use support::{data_i8, ref_conv};

/// Round-to-nearest-even of `t / 2^sh` (floor division plus a remainder test).
fn rne_shift(t: i128, sh: u32) -> i128 {
    if sh == 0 {
        return t;
    }
    let q = t >> sh;
    let r = t - (q << sh);
    let half = 1i128 << (sh - 1);
    if r > half || (r == half && q & 1 == 1) {
        q + 1
    } else {
        q
    }
}

fn wrap_signed(x: i128, bits: u32) -> i128 {
    let m = 1i128 << bits;
    let r = x.rem_euclid(m);
    if r >= m / 2 { r - m } else { r }
}

#[test]
fn fixed_point_mac_rounds_each_step_into_the_accumulator() {
    use arithsim::datapath::{FixedArith, FixedDatapath};
    use arithsim::fixed::FixedFormat;
    use arithsim::round::RoundingMode;
    let q17 = FixedFormat::q(1, 7).unwrap();
    // Q8.8 accumulator: products have 14 fraction bits, so every step rounds 6 bits.
    let q88 = FixedFormat::q(8, 8).unwrap();
    let dp = FixedDatapath::new(FixedArith::new(
        q17,
        q88,
        RoundingMode::NearestEven,
        Overflow::Wrapping,
    ))
    .unwrap();
    let (m, n, k) = (3, 5, 40);
    let a: Vec<i64> = data_i8(m * k, 31).into_iter().map(i64::from).collect();
    let b: Vec<i64> = data_i8(k * n, 32).into_iter().map(i64::from).collect();
    let out = dp
        .gemm(
            GemmShape::new(m, n, k).unwrap(),
            GemmOperands { a: &a, b: &b },
            Bias::None,
        )
        .unwrap();
    for i in 0..m {
        for j in 0..n {
            let mut acc: i128 = 0;
            for kk in 0..k {
                let p = a[i * k + kk] as i128 * b[kk * n + j] as i128;
                acc = wrap_signed(rne_shift((acc << 6) + p, 6), 16);
            }
            assert_eq!(out.values[i * n + j] as i128, acc, "({i},{j})");
        }
    }
    assert_eq!(
        out.tally.count(OpKind::IntMac {
            mul_bits: 8,
            acc_bits: 16
        }),
        (m * n * k) as u64
    );

    // Exact case (Q1.7 x Q1.7 -> Q18.14) is the integer MAC on raw values: conv2d agrees with
    // the integer reference.
    let q1814 = FixedFormat::q(18, 14).unwrap();
    let dp = FixedDatapath::new(FixedArith::new(
        q17,
        q1814,
        RoundingMode::NearestEven,
        Overflow::Wrapping,
    ))
    .unwrap();
    let s = Conv2dShape::new(Conv2dDims {
        batch: 1,
        in_channels: 2,
        in_height: 5,
        in_width: 5,
        out_channels: 3,
        kernel_height: 3,
        kernel_width: 3,
    })
    .unwrap()
    .with_padding(1, 1)
    .unwrap();
    let x = data_i8(s.input_len(), 41);
    let w = data_i8(s.weight_len(), 42);
    let out = dp
        .conv2d(
            &s,
            LayerOperands {
                weights: &w.iter().map(|&v| v as i64).collect::<Vec<_>>(),
                input: &x.iter().map(|&v| v as i64).collect::<Vec<_>>(),
            },
            Bias::None,
        )
        .unwrap();
    assert_eq!(out.values, ref_conv(&s, &x, &w, &[]));
    // Raw accumulator biases in every layout of the conv's GEMM view add exactly here.
    let (wr, xr): (Vec<i64>, Vec<i64>) = (
        w.iter().map(|&v| v as i64).collect(),
        x.iter().map(|&v| v as i64).collect(),
    );
    let plane = s.output_len() / s.out_channels;
    let channel: Vec<i64> = vec![100, -200, 300];
    let position: Vec<i64> = (0..plane as i64).map(|p| p * 11 - 90).collect();
    let full: Vec<i64> = (0..s.output_len() as i64).map(|i| 7 * i - 300).collect();
    let expanded = |f: &dyn Fn(usize) -> i64| (0..s.output_len()).map(f).collect::<Vec<_>>();
    for (bias, add) in [
        (Bias::PerRow(&channel), expanded(&|i| channel[i / plane])),
        (
            Bias::PerColumn(&position),
            expanded(&|i| position[i % plane]),
        ),
        (Bias::Full(&full), full.clone()),
    ] {
        let ops = LayerOperands {
            weights: &wr,
            input: &xr,
        };
        let got = dp.conv2d(&s, ops, bias).unwrap().values;
        let want: Vec<i64> = out.values.iter().zip(&add).map(|(v, b)| v + b).collect();
        assert_eq!(got, want, "{bias:?}");
    }

    // Errors.
    let e = FixedDatapath::new(FixedArith::new(
        q17,
        FixedFormat::uq(8, 8).unwrap(),
        RoundingMode::NearestEven,
        Overflow::Wrapping,
    ))
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "unsupported: fixed-point operands Q1.7 and accumulator UQ8.8 must have the same signedness"
    );
    let e = dp.dot(&[1, 200], &[1, 1]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "value 200 is out of range -128..=127 for raw Q1.7 a[1]"
    );
}

#[test]
fn fixed_point_gemv_add_relu() {
    use arithsim::datapath::{FixedArith, FixedDatapath};
    use arithsim::fixed::FixedFormat;
    use arithsim::round::RoundingMode;
    let q44 = FixedFormat::q(4, 4).unwrap();
    let q88 = FixedFormat::q(8, 8).unwrap();
    // Q4.4 x Q4.4 -> Q8.8: exact products (8 fraction bits), so raw integer arithmetic.
    let sat = FixedDatapath::new(FixedArith::new(
        q44,
        q88,
        RoundingMode::NearestEven,
        Overflow::Saturating,
    ))
    .unwrap();
    let a: Vec<i64> = data_i8(4 * 6, 51).into_iter().map(i64::from).collect();
    let x: Vec<i64> = data_i8(6, 52).into_iter().map(i64::from).collect();
    let y = sat
        .gemv(4, GemmOperands { a: &a, b: &x }, Bias::None)
        .unwrap();
    for i in 0..4 {
        let mut acc: i128 = 0;
        for k in 0..6 {
            acc = (acc + a[i * 6 + k] as i128 * x[k] as i128).clamp(-32768, 32767);
        }
        assert_eq!(y.values[i] as i128, acc);
    }
    let r = sat.add(&[30000, -30000, 5], &[30000, -30000, -6]).unwrap();
    assert_eq!((r.values, r.overflows), (vec![32767, -32768, -1], 2));
    assert_eq!(r.tally.count(OpKind::IntAdd { bits: 16 }), 3);
    let wrap = FixedDatapath::new(FixedArith::new(
        q44,
        q88,
        RoundingMode::NearestEven,
        Overflow::Wrapping,
    ))
    .unwrap();
    assert_eq!(
        wrap.add(&[30000], &[30000]).unwrap().values,
        [(60000i64 - 65536)]
    );
    assert_eq!(wrap.relu(&[-3, 0, 9]).unwrap().values, [0, 0, 9]);
    assert_eq!(
        wrap.add(&[1 << 20], &[0]).unwrap_err().to_string(),
        "value 1048576 is out of range -32768..=32767 for raw Q8.8 a[0]"
    );
    assert_eq!(
        wrap.relu(&[]).unwrap_err().to_string(),
        "shape error: relu input is empty"
    );
}
