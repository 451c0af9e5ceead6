//! gemmlowp / TFLite fixed-point primitives and affine quantization against references written
//! here from the specifications (gemmlowp `fixedpoint.h`, TFLite `quantization_util.cc` and
//! `common.h`), exhaustively on edge values.

use arithsim::quant::{
    IntType, PerChannelParams, QuantParams, QuantizedMultiplier, Requantization, Symmetry,
    rounding_divide_by_pot, saturating_rounding_doubling_high_mul,
};
use arithsim::round::RoundingMode;
use proptest::prelude::*;

/// gemmlowp's `SaturatingRoundingDoublingHighMul`, transcribed.
fn ref_srdhm(a: i32, b: i32) -> i32 {
    let overflow = a == b && a == i32::MIN;
    let ab_64 = a as i64 * b as i64;
    let nudge: i64 = if ab_64 >= 0 { 1 << 30 } else { 1 - (1 << 30) };
    // C++ `/` on int64 truncates toward zero, as Rust's does.
    let ab_x2_high32 = ((ab_64 + nudge) / (1i64 << 31)) as i32;
    if overflow { i32::MAX } else { ab_x2_high32 }
}

/// gemmlowp's `RoundingDivideByPOT`, transcribed (mask and threshold form).
fn ref_rdbpot(x: i32, exponent: i32) -> i32 {
    let mask: i32 = ((1i64 << exponent) - 1) as i32;
    let remainder = x & mask;
    let threshold = (mask >> 1) + i32::from(x < 0);
    (x >> exponent) + i32::from(remainder > threshold)
}

/// TFLite's `QuantizeMultiplier`, transcribed with libm's frexp written out.
fn ref_quantize_multiplier(d: f64) -> (i32, i32) {
    if d == 0.0 {
        return (0, 0);
    }
    // frexp: d = q * 2^e with 0.5 <= |q| < 1.
    let mut e = d.abs().log2().floor() as i32 + 1;
    let mut q = d / 2f64.powi(e);
    // log2 may be off by one near powers of two: fix up.
    while q.abs() >= 1.0 {
        q /= 2.0;
        e += 1;
    }
    while q.abs() < 0.5 {
        q *= 2.0;
        e -= 1;
    }
    let mut q_fixed = (q * (1i64 << 31) as f64).round() as i64; // std::round: ties away
    assert!(q_fixed <= 1i64 << 31);
    if q_fixed == 1i64 << 31 {
        q_fixed /= 2;
        e += 1;
    }
    if e < -31 {
        e = 0;
        q_fixed = 0;
    }
    (q_fixed as i32, e)
}

/// TFLite's default `MultiplyByQuantizedMultiplier`, transcribed.
fn ref_mbqm(x: i32, m: i32, shift: i32) -> i32 {
    let left = if shift > 0 { shift } else { 0 };
    let right = if shift > 0 { 0 } else { -shift };
    ref_rdbpot(ref_srdhm(x.wrapping_mul(1 << left), m), right)
}

/// TFLite's `TFLITE_SINGLE_ROUNDING` `MultiplyByQuantizedMultiplier`, transcribed.
fn ref_mbqm_single(x: i32, m: i32, shift: i32) -> i32 {
    let total_shift = 31 - shift as i64;
    let round = 1i64 << (total_shift - 1);
    let result = (x as i64 * m as i64 + round) >> total_shift;
    result.clamp(i32::MIN as i64, i32::MAX as i64) as i32
}

/// Edge values of int32: extremes, powers of two and their neighbours, small values.
fn edges() -> Vec<i32> {
    let mut v = vec![
        0,
        1,
        -1,
        2,
        -2,
        3,
        -3,
        i32::MIN,
        i32::MIN + 1,
        i32::MAX,
        i32::MAX - 1,
    ];
    for k in 0..31 {
        let p = 1i32 << k;
        v.extend([p, p - 1, p + 1, -p, -p + 1, -p - 1]);
    }
    v.extend([
        0x5555_5555,
        -0x5555_5555,
        0x4000_0001,
        1_518_500_250,
        -1_518_500_250,
    ]);
    v.sort_unstable();
    v.dedup();
    v
}

#[test]
fn srdhm_exhaustive_on_edge_pairs() {
    let e = edges();
    let mut n = 0;
    for &a in &e {
        for &b in &e {
            assert_eq!(
                saturating_rounding_doubling_high_mul(a, b),
                ref_srdhm(a, b),
                "{a}*{b}"
            );
            n += 1;
        }
    }
    assert!(n > 30_000);
    assert_eq!(
        saturating_rounding_doubling_high_mul(i32::MIN, i32::MIN),
        i32::MAX
    );
    assert_eq!(
        saturating_rounding_doubling_high_mul(i32::MIN, i32::MAX),
        -i32::MAX
    );
}

#[test]
fn srdhm_ties_go_toward_positive_infinity() {
    // a·b = ±2^30: exactly half a unit of 2^31.
    assert_eq!(saturating_rounding_doubling_high_mul(1 << 15, 1 << 15), 1);
    assert_eq!(
        saturating_rounding_doubling_high_mul(-(1 << 15), 1 << 15),
        0
    );
    // ±3·2^30: 1.5 units.
    assert_eq!(saturating_rounding_doubling_high_mul(3 << 15, 1 << 15), 2);
    assert_eq!(
        saturating_rounding_doubling_high_mul(-(3 << 15), 1 << 15),
        -1
    );
}

#[test]
fn rounding_divide_by_pot_every_exponent_on_edges() {
    for &x in &edges() {
        for exp in 0..=31 {
            assert_eq!(
                rounding_divide_by_pot(x, exp).unwrap(),
                ref_rdbpot(x, exp),
                "{x}>>{exp}"
            );
        }
    }
    // Every 16-bit value, small exponents.
    for x in i16::MIN as i32..=i16::MAX as i32 {
        for exp in 0..=4 {
            assert_eq!(rounding_divide_by_pot(x, exp).unwrap(), ref_rdbpot(x, exp));
        }
    }
}

#[test]
fn rounding_divide_by_pot_rejects_bad_exponent_with_message() {
    let e = rounding_divide_by_pot(7, 32).unwrap_err();
    assert_eq!(
        e.to_string(),
        "value 32 is out of range 0..=31 for rounding_divide_by_pot exponent"
    );
    assert!(rounding_divide_by_pot(7, -1).is_err());
}

#[test]
fn quantize_multiplier_matches_tflite_on_many_reals() {
    let mut reals = vec![
        1.0,
        0.5,
        0.75,
        2.0,
        0.999_999_999_9,
        1.0 - 2f64.powi(-33),
        1e-10,
        3e-10,
        4e-10,
        2f64.powi(-32),
        2f64.powi(-31),
        0.0003,
        123.456,
        1e9,
        -0.3,
        -1.0,
    ];
    for k in 1..2000 {
        reals.push(k as f64 * 0.000_731 + (k as f64).sqrt() * 1e-7);
        reals.push(1.0 / k as f64);
    }
    for &r in &reals {
        let m = QuantizedMultiplier::from_real(r).unwrap();
        assert_eq!((m.multiplier, m.shift), ref_quantize_multiplier(r), "{r}");
        if m.multiplier != 0 {
            assert!(((m.to_real() - r) / r).abs() <= 2f64.powi(-31), "{r}");
        }
    }
}

#[test]
fn quantize_multiplier_rounding_up_to_two_pow_31_renormalizes() {
    // q·2^31 = 2^31 − 0.25 rounds up to 2^31: halved, shift incremented.
    let r = 1.0 - 2f64.powi(-33);
    let m = QuantizedMultiplier::from_real(r).unwrap();
    assert_eq!((m.multiplier, m.shift), (1 << 30, 1));
}

#[test]
fn quantize_multiplier_rejects_non_finite_with_message() {
    for r in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let e = QuantizedMultiplier::from_real(r).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("invalid real multiplier {r}: must be finite")
        );
    }
    let e = QuantizedMultiplier::for_layer(0.5, 0.0, 1.0).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid weight scale 0: must be finite and positive"
    );
    let e = QuantizedMultiplier::for_layer(0.5, 1.0, f64::NAN).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid output scale NaN: must be finite and positive"
    );
}

#[test]
fn multiply_by_quantized_multiplier_both_variants_on_edges() {
    let xs = edges();
    let mut reals = vec![];
    for k in -40..8 {
        for frac in [0.5, 0.5000001, 0.75, 0.999, 0.6180339887] {
            reals.push(frac * 2f64.powi(k));
        }
    }
    for &r in &reals {
        let m = QuantizedMultiplier::from_real(r).unwrap();
        for &x in &xs {
            assert_eq!(
                m.apply(x, Requantization::DoubleRounding),
                ref_mbqm(x, m.multiplier, m.shift),
                "double x={x} m={m:?}"
            );
            if m.shift <= 30 {
                assert_eq!(
                    m.apply(x, Requantization::SingleRounding),
                    ref_mbqm_single(x, m.multiplier, m.shift),
                    "single x={x} m={m:?}"
                );
            }
        }
    }
}

#[test]
fn double_rounding_differs_from_single_rounding_somewhere() {
    // The two TFLite variants are not the same function: find a witness among small inputs.
    let m = QuantizedMultiplier::from_real(0.3).unwrap();
    let differs = (-100_000..100_000).any(|x| {
        m.apply(x, Requantization::DoubleRounding) != m.apply(x, Requantization::SingleRounding)
    });
    assert!(differs);
}

proptest! {
    #[test]
    fn srdhm_random(a in any::<i32>(), b in any::<i32>()) {
        prop_assert_eq!(saturating_rounding_doubling_high_mul(a, b), ref_srdhm(a, b));
    }

    #[test]
    fn mbqm_random(x in any::<i32>(), r in 1e-9f64..4.0) {
        let m = QuantizedMultiplier::from_real(r).unwrap();
        prop_assert_eq!(m.apply(x, Requantization::DoubleRounding), ref_mbqm(x, m.multiplier, m.shift));
        prop_assert_eq!(m.apply(x, Requantization::SingleRounding), ref_mbqm_single(x, m.multiplier, m.shift));
    }
}

// ---------------------------------------------------------------------------------------
// Affine parameters and quantize/dequantize.

/// TFLite's `ChooseQuantizationParams`, transcribed (for a non-degenerate range).
fn ref_choose(rmin: f64, rmax: f64, qmin: f64, qmax: f64) -> (f64, i32) {
    let rmin = rmin.min(0.0);
    let rmax = rmax.max(0.0);
    let scale = (rmax - rmin) / (qmax - qmin);
    let zmin = qmin - rmin / scale;
    let zmax = qmax - rmax / scale;
    let emin = qmin.abs() + (rmin / scale).abs();
    let emax = qmax.abs() + (rmax / scale).abs();
    let z = if emin < emax { zmin } else { zmax };
    let nudged = if z < qmin {
        qmin
    } else if z > qmax {
        qmax
    } else {
        z.round()
    };
    (scale, nudged as i32)
}

const TYPES: [IntType; 6] = [
    IntType::Int8,
    IntType::Int8Narrow,
    IntType::UInt8,
    IntType::Int4,
    IntType::Int4Narrow,
    IntType::UInt4,
];

#[test]
fn asymmetric_params_match_tflite() {
    for t in TYPES {
        for i in -20..20 {
            for j in 1..20 {
                let lo = i as f64 * 0.37;
                let hi = lo + j as f64 * 0.53;
                if lo.min(0.0) == hi.max(0.0) {
                    continue;
                }
                let p = QuantParams::from_min_max(lo, hi, t, Symmetry::Asymmetric).unwrap();
                let (s, z) = ref_choose(lo, hi, t.qmin() as f64, t.qmax() as f64);
                assert_eq!((p.scale(), p.zero_point()), (s, z), "{t} [{lo}, {hi}]");
            }
        }
    }
}

#[test]
fn symmetric_params() {
    let p =
        QuantParams::from_min_max(-2.54, 1.0, IntType::Int8Narrow, Symmetry::Symmetric).unwrap();
    assert_eq!((p.scale(), p.zero_point()), (2.54 / 127.0, 0));
    // Narrow range: −max quantizes to −127, never −128.
    assert_eq!(p.quantize(-2.54, RoundingMode::NearestEven).0, -127);
    assert_eq!(p.quantize(-100.0, RoundingMode::NearestEven), (-127, true));
    let p = QuantParams::from_min_max(-1.0, 3.0, IntType::UInt8, Symmetry::Symmetric).unwrap();
    assert_eq!((p.scale(), p.zero_point()), (6.0 / 255.0, 128));
    let p = QuantParams::from_min_max(-1.0, 3.5, IntType::Int4, Symmetry::Symmetric).unwrap();
    assert_eq!((p.scale(), p.zero_point()), (0.5, 0));
}

#[test]
fn quantize_every_rounding_mode_matches_a_rational_reference() {
    // scale 1/4: x / scale is exact, so the rounding mode alone decides.
    let p = QuantParams::new(0.25, 3, IntType::Int8).unwrap();
    for mode in RoundingMode::DETERMINISTIC {
        for k in -2000..2000 {
            let x = k as f64 / 64.0; // x / scale = k / 16
            let r = k as f64 / 16.0;
            let rounded = match mode {
                RoundingMode::NearestEven => r.round_ties_even(),
                RoundingMode::NearestAway => r.round(),
                RoundingMode::NearestTowardPositive => (r + 0.5).floor(),
                RoundingMode::TowardZero => r.trunc(),
                RoundingMode::TowardPositive => r.ceil(),
                RoundingMode::TowardNegative => r.floor(),
                RoundingMode::ToOdd => {
                    let t = r.trunc();
                    if t == r || (t as i64) % 2 != 0 {
                        t
                    } else {
                        t + r.signum()
                    }
                }
                RoundingMode::Stochastic { .. } => unreachable!(),
            };
            let want = (rounded as i64 + 3).clamp(-128, 127);
            let (got, sat) = p.quantize(x, mode);
            assert_eq!(got as i64, want, "{mode:?} x={x}");
            assert_eq!(sat, want != rounded as i64 + 3);
        }
    }
}

#[test]
fn quantize_dequantize_round_trip_every_code() {
    for t in TYPES {
        let p = QuantParams::from_min_max(-3.1, 7.7, t, Symmetry::Asymmetric).unwrap();
        for q in t.qmin()..=t.qmax() {
            assert_eq!(
                p.quantize(p.dequantize(q), RoundingMode::NearestEven),
                (q, false),
                "{t} {q}"
            );
        }
    }
}

#[test]
fn quantize_specials_saturate() {
    let p = QuantParams::new(0.1, -5, IntType::Int8).unwrap();
    assert_eq!(
        p.quantize(f64::INFINITY, RoundingMode::NearestEven),
        (127, true)
    );
    assert_eq!(
        p.quantize(f64::NEG_INFINITY, RoundingMode::NearestEven),
        (-128, true)
    );
    assert_eq!(p.quantize(f64::NAN, RoundingMode::NearestEven), (-5, false));
    assert_eq!(p.quantize(1e300, RoundingMode::NearestEven), (127, true));
    let tiny = QuantParams::new(f64::MIN_POSITIVE, 0, IntType::Int8).unwrap();
    assert_eq!(tiny.quantize(1.0, RoundingMode::NearestEven), (127, true));
}

#[test]
fn per_channel_quantizes_each_channel_with_its_own_scale() {
    let w: Vec<f32> = (0..12)
        .map(|i| (i as f32 - 5.5) * if i < 6 { 1.0 } else { 0.01 })
        .collect();
    let pc = PerChannelParams::from_data(&w, 2, IntType::Int8Narrow, Symmetry::Symmetric).unwrap();
    let q = pc.quantize(&w, RoundingMode::NearestEven).unwrap();
    // Each channel's largest magnitude maps to ±127.
    assert_eq!(q[0], -127);
    assert_eq!(q[11], 127);
    let back = pc.dequantize(&q).unwrap();
    for (c, (a, b)) in w.iter().zip(&back).enumerate() {
        let s = pc.channel(c / 6).scale();
        assert!((*a as f64 - b).abs() <= s / 2.0 + 1e-12);
    }
}

#[test]
fn errors_have_clear_messages() {
    let cases: Vec<(arithsim::Error, &str)> = vec![
        (
            QuantParams::new(0.0, 0, IntType::Int8).unwrap_err(),
            "invalid scale 0: must be finite and positive",
        ),
        (
            QuantParams::new(f64::NAN, 0, IntType::Int8).unwrap_err(),
            "invalid scale NaN: must be finite and positive",
        ),
        (
            QuantParams::new(f64::INFINITY, 0, IntType::Int8).unwrap_err(),
            "invalid scale inf: must be finite and positive",
        ),
        (
            QuantParams::new(-1.0, 0, IntType::Int8).unwrap_err(),
            "invalid scale -1: must be finite and positive",
        ),
        (
            QuantParams::new(1.0, 128, IntType::Int8).unwrap_err(),
            "value 128 is out of range -128..=127 for zero point of int8",
        ),
        (
            QuantParams::new(1.0, -1, IntType::UInt8).unwrap_err(),
            "value -1 is out of range 0..=255 for zero point of uint8",
        ),
        (
            QuantParams::new(1.0, 8, IntType::Int4).unwrap_err(),
            "value 8 is out of range -8..=7 for zero point of int4",
        ),
        (
            QuantParams::from_min_max(f64::NAN, 1.0, IntType::Int8, Symmetry::Asymmetric)
                .unwrap_err(),
            "invalid range minimum NaN: must be finite",
        ),
        (
            QuantParams::from_min_max(2.0, 1.0, IntType::Int8, Symmetry::Asymmetric).unwrap_err(),
            "invalid range [2, 1]: minimum must not exceed maximum",
        ),
        (
            QuantParams::from_data(&[], IntType::Int8, Symmetry::Asymmetric).unwrap_err(),
            "shape error: cannot choose a range for an empty tensor",
        ),
        (
            PerChannelParams::from_data(&[1.0; 10], 3, IntType::Int8, Symmetry::Symmetric)
                .unwrap_err(),
            "shape error: 10 elements cannot be split into 3 equal non-empty channels",
        ),
        (
            PerChannelParams::new(vec![]).unwrap_err(),
            "shape error: per-channel parameters need at least one channel",
        ),
        (
            PerChannelParams::new(vec![
                QuantParams::new(1.0, 0, IntType::Int8).unwrap(),
                QuantParams::new(1.0, 0, IntType::UInt8).unwrap(),
            ])
            .unwrap_err(),
            "shape error: per-channel parameters mix int8 and uint8",
        ),
        (
            QuantParams::new(1.0, 0, IntType::UInt8)
                .unwrap()
                .quantize_i8(&[1.0], RoundingMode::NearestEven)
                .unwrap_err(),
            "unsupported: uint8 values in i8 storage (signed types only)",
        ),
    ];
    for (e, msg) in cases {
        assert_eq!(e.to_string(), msg);
    }
}

#[test]
fn stochastic_quantization_is_reproducible_and_unbiased() {
    // x / scale = 2.25: rounds up to 3 exactly when the 8 random bits are below 0.25 · 256.
    let p = QuantParams::new(0.5, 0, IntType::Int8).unwrap();
    let ups = (0..256u64)
        .filter(|&random| {
            let (q, _) = p.quantize(1.125, RoundingMode::Stochastic { random, bits: 8 });
            assert!(q == 2 || q == 3);
            q == 3
        })
        .count();
    assert_eq!(ups, 64);
    let mode = RoundingMode::Stochastic {
        random: 12345,
        bits: 16,
    };
    assert_eq!(p.quantize(-7.3, mode), p.quantize(-7.3, mode));
}
