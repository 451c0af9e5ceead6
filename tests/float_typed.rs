//! Typed values against independent references: native `f32`/`f64` arithmetic, the `half`
//! crate for FP16/BF16, and a brute-force nearest-value search for FP8.

use std::cmp::Ordering;
use std::hint::black_box;

use arithsim::float::{Bf16, F8E4M3, F8E5M2, F16, F32, F64};
use num_traits::float::FloatCore;
use num_traits::{Bounded, FromPrimitive, Num, NumCast, One, ToPrimitive, Zero};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn f32_operands(n: usize) -> Vec<u32> {
    let mut v = vec![
        0,
        0x8000_0000,
        1,
        0x8000_0001,
        0x007F_FFFF,
        0x0080_0000,
        0x7F7F_FFFF,
        0xFF7F_FFFF,
        0x3F80_0000,
        0xBF80_0000,
        0x3F80_0001,
        0x7F80_0000,
        0xFF80_0000,
        0x7FC0_0000,
        0x7F80_0001,
        0x4B00_0000,
        0x3400_0000,
    ];
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    while v.len() < n {
        v.push(rng.next() as u32);
    }
    v
}

fn same32(got: F32, want: f32) -> bool {
    if want.is_nan() {
        got.is_nan()
    } else {
        got.to_bits() == want.to_bits()
    }
}

#[test]
fn f32_ops_match_native() {
    let ops = f32_operands(300);
    for &a in &ops {
        for &b in &ops {
            let (x, y) = (f32::from_bits(a), f32::from_bits(b));
            let (p, q) = (F32::from_bits(a), F32::from_bits(b));
            let (x, y) = (black_box(x), black_box(y));
            assert!(same32(p + q, x + y), "{a:#x} + {b:#x}");
            assert!(same32(p - q, x - y), "{a:#x} - {b:#x}");
            assert!(same32(p * q, x * y), "{a:#x} * {b:#x}");
            assert!(same32(p / q, x / y), "{a:#x} / {b:#x}");
            assert!(same32(p % q, x % y), "{a:#x} % {b:#x}");
            assert!(
                same32(p.mul_add(q, p), x.mul_add(y, x)),
                "fma {a:#x} {b:#x}"
            );
            assert_eq!(p.partial_cmp(&q), x.partial_cmp(&y), "{a:#x} cmp {b:#x}");
            assert_eq!(p == q, x == y);
            assert_eq!(p < q, x < y);
            let mut r = p;
            r += q;
            r *= q;
            r -= p;
            r /= q;
            assert!(same32(r, ((x + y) * y - x) / y));
        }
        let (x, p) = (f32::from_bits(a), F32::from_bits(a));
        assert!(same32(p.sqrt(), x.sqrt()), "sqrt {a:#x}");
        assert!(same32(p.floor(), x.floor()), "floor {a:#x}");
        assert!(same32(p.ceil(), x.ceil()), "ceil {a:#x}");
        assert!(same32(p.trunc(), x.trunc()), "trunc {a:#x}");
        assert!(same32(p.round(), x.round()), "round {a:#x}");
        assert_eq!((-p).to_bits(), (-x).to_bits());
        assert_eq!(p.abs().to_bits(), x.abs().to_bits());
        assert!(same32(<F32 as From<f32>>::from(x), x));
        assert_eq!(<f64 as From<F32>>::from(p).to_bits(), (x as f64).to_bits());
    }
}

#[test]
fn f64_ops_match_native_on_a_sample() {
    let mut rng = Rng(7);
    for _ in 0..20_000 {
        let (a, b) = (rng.next(), rng.next());
        let (x, y) = (black_box(f64::from_bits(a)), black_box(f64::from_bits(b)));
        let (p, q) = (F64::from_bits(a), F64::from_bits(b));
        for (got, want) in [
            (p + q, x + y),
            (p * q, x * y),
            (p / q, x / y),
            (p.mul_add(q, q), x.mul_add(y, y)),
        ] {
            assert!(if want.is_nan() {
                got.is_nan()
            } else {
                got.to_bits() == want.to_bits()
            });
        }
    }
}

#[test]
fn f16_and_bf16_match_the_half_crate() {
    // half computes in f32 and rounds once more: exact for + − × ÷ at these precisions
    // (f32 has more than 2p + 2 bits).
    let mut rng = Rng(99);
    for i in 0..60_000u32 {
        let (a, b) = (rng.next() as u16, rng.next() as u16);
        let (p, q) = (F16::from_bits(a), F16::from_bits(b));
        let (x, y) = (half::f16::from_bits(a), half::f16::from_bits(b));
        for (got, want) in [
            (p + q, x + y),
            (p - q, x - y),
            (p * q, x * y),
            (p / q, x / y),
        ] {
            assert!(if want.is_nan() {
                got.is_nan()
            } else {
                got.to_bits() == want.to_bits()
            });
        }
        let (p, q) = (Bf16::from_bits(a), Bf16::from_bits(b));
        let (x, y) = (half::bf16::from_bits(a), half::bf16::from_bits(b));
        for (got, want) in [
            (p + q, x + y),
            (p - q, x - y),
            (p * q, x * y),
            (p / q, x / y),
        ] {
            assert!(if want.is_nan() {
                got.is_nan()
            } else {
                got.to_bits() == want.to_bits()
            });
        }
        // Conversions from f32 round to nearest even in both.
        let z = f32::from_bits(rng.next() as u32 ^ i);
        if !z.is_nan() {
            assert_eq!(
                F16::from_f32(z).to_bits(),
                half::f16::from_f32(z).to_bits(),
                "{z:e}"
            );
            assert_eq!(
                Bf16::from_f32(z).to_bits(),
                half::bf16::from_f32(z).to_bits(),
                "{z:e}"
            );
        }
        if !F16::from_bits(a).is_nan() {
            assert_eq!(
                F16::from_bits(a).to_f32().to_bits(),
                half::f16::from_bits(a).to_f32().to_bits()
            );
        }
    }
}

/// Nearest value of an 8-bit format to `x` (exact in f64), ties to the even pattern,
/// found by brute force over every finite pattern plus `next`, the pattern and value one
/// step past the largest finite one; `None` means `next` won (overflow).
fn nearest8(values: &[(u8, f64)], next: (u8, f64), x: f64) -> Option<u8> {
    let mut best: Option<(u8, f64)> = None;
    for &(bits, v) in values.iter().chain(&[next]) {
        let d = (v - x.abs()).abs();
        best = match best {
            None => Some((bits, d)),
            Some((bb, bd)) if d < bd || (d == bd && bits % 2 == 0 && bb % 2 == 1) => {
                Some((bits, d))
            }
            keep => keep,
        };
    }
    let (bits, _) = best.unwrap();
    if bits == next.0 { None } else { Some(bits) }
}

#[test]
fn fp8_add_and_mul_exhaustive_against_brute_force_nearest() {
    fn check(
        name: &str,
        to_f64: impl Fn(u8) -> f64,
        ops: impl Fn(u8, u8) -> [u8; 3],
        next: (u8, f64),
        overflow_is_nan: bool,
    ) {
        let values: Vec<(u8, f64)> = (0u8..0x80)
            .filter(|&b| to_f64(b).is_finite())
            .map(|b| (b, to_f64(b)))
            .collect();
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                let (x, y) = (to_f64(a), to_f64(b));
                let got = ops(a, b);
                for (k, exact) in [x + y, x * y, x - y].into_iter().enumerate() {
                    if exact.is_nan() || exact.is_infinite() {
                        assert_eq!(
                            to_f64(got[k]).is_nan(),
                            exact.is_nan(),
                            "{name} {a:#x} {b:#x} op {k}"
                        );
                        continue;
                    }
                    match nearest8(&values, next, exact) {
                        None => {
                            let g = to_f64(got[k]);
                            assert!(
                                if overflow_is_nan {
                                    g.is_nan()
                                } else {
                                    g.is_infinite()
                                },
                                "{name} {a:#x} {b:#x} op {k}"
                            );
                        }
                        Some(mag) if mag != 0 => {
                            let sign = if exact < 0.0 { 0x80 } else { 0 };
                            assert_eq!(
                                got[k],
                                mag | sign,
                                "{name} {a:#x} {b:#x} op {k}: exact {exact}"
                            );
                        }
                        Some(_) => assert_eq!(to_f64(got[k]), 0.0, "{name} {a:#x} {b:#x} op {k}"),
                    }
                }
            }
        }
    }
    check(
        "e4m3",
        |b| F8E4M3::from_bits(b).to_f64(),
        |a, b| {
            let (p, q) = (F8E4M3::from_bits(a), F8E4M3::from_bits(b));
            [(p + q).to_bits(), (p * q).to_bits(), (p - q).to_bits()]
        },
        (0x7F, 480.0),
        true,
    );
    check(
        "e5m2",
        |b| F8E5M2::from_bits(b).to_f64(),
        |a, b| {
            let (p, q) = (F8E5M2::from_bits(a), F8E5M2::from_bits(b));
            [(p + q).to_bits(), (p * q).to_bits(), (p - q).to_bits()]
        },
        (0x7C, 65536.0),
        false,
    );
}

#[test]
fn parse_display_debug_round_trip() {
    let x: F32 = "0.1".parse().unwrap();
    assert_eq!(x.to_bits(), 0.1f32.to_bits());
    assert_eq!(x.to_string(), "0.1");
    assert_eq!(format!("{x:.3}"), "0.100");
    assert_eq!(format!("{x:e}"), "1e-1");
    assert_eq!(format!("{:>6}", F16::ONE), "     1");
    let h: F16 = "0x1.8p3".parse().unwrap();
    assert_eq!(h.to_bits(), 0x4A00);
    assert_eq!(
        format!("{h:?}"),
        "F16(0 | 10010 | 1000000000  (+, exponent 18 - 15 = 3, significand 1.1000000000b) = 12)"
    );
    let e = "1,5".parse::<Bf16>().unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot parse \"1,5\": unexpected character ',' in a decimal literal"
    );
    for bits in 0..=255u8 {
        let v = F8E4M3::from_bits(bits);
        if !v.is_nan() {
            let back: F8E4M3 = v.to_string().parse().unwrap();
            assert!(
                back == v && back.is_sign_negative() == v.is_sign_negative(),
                "{bits:#x}"
            );
        }
    }
}

#[test]
fn ieee_comparisons() {
    let nan = F32::NAN;
    assert!(nan != nan);
    assert_eq!(nan.partial_cmp(&F32::ONE), None);
    assert!(F32::ZERO == -F32::ZERO);
    assert_eq!(F16::MIN.partial_cmp(&F16::MAX), Some(Ordering::Less));
    assert!(F8E4M3::from_bits(0x7F) != F8E4M3::from_bits(0x7F)); // the E4M3 NaN
    assert!(F8E4M3::MAX > F8E4M3::ONE);
}

#[test]
fn num_traits_delegate_to_the_inherent_methods() {
    assert!(F32::zero().is_zero() && (-F32::zero()).is_zero());
    assert_eq!(F16::one().to_f64(), 1.0);
    assert_eq!(<Bf16 as Bounded>::max_value().to_bits(), 0x7F7F);
    assert_eq!(<F8E4M3 as Bounded>::min_value().to_f64(), -448.0);
    assert_eq!(F32::from_str_radix("2.5", 10).unwrap().to_f64(), 2.5);
    assert_eq!(
        F32::from_str_radix("10", 2).unwrap_err().to_string(),
        "invalid radix 2: only radix 10 is supported for floats"
    );
    // Integers round once: 2^53 + 1 would double-round through f64 (to 2^53, then even).
    let big = (1i64 << 60) + (1 << 36) + 1; // just above an F32 tie
    assert_eq!(<F32 as NumCast>::from(big).unwrap().to_bits(), 0x5D80_0001);
    assert_eq!(
        <F32 as FromPrimitive>::from_i64(big).unwrap().to_bits(),
        0x5D80_0001
    );
    assert_eq!(
        <F32 as FromPrimitive>::from_u64(u64::MAX).unwrap().to_f64(),
        2f64.powi(64)
    );
    assert_eq!(<F16 as NumCast>::from(1e6f64).unwrap().to_bits(), 0x7C00);
    assert_eq!(F32::from_f32(-7.9).to_i64(), Some(-7));
    assert_eq!(F16::MAX.to_u8(), None);
    assert_eq!(F32::NAN.to_i32(), None);
    assert_eq!(
        FloatCore::classify(F16::from_bits(1)),
        std::num::FpCategory::Subnormal
    );
    assert_eq!(<F32 as FloatCore>::epsilon().to_f64(), f32::EPSILON as f64);
    assert_eq!(<F16 as FloatCore>::epsilon().to_f64(), 2f64.powi(-10));
    assert!(<F8E5M2 as FloatCore>::infinity().is_infinite());
    assert!(<F16 as FloatCore>::neg_zero().is_sign_negative());
    let (m, e, s) = FloatCore::integer_decode(F32::from_f32(-1.5));
    assert_eq!((m as f64) * 2f64.powi(e as i32) * s as f64, -1.5);
    assert_eq!(
        FloatCore::to_degrees(F32::from_f32(1.0)).to_bits(),
        1f32.to_degrees().to_bits()
    );
    // Provided FloatCore methods work through our arithmetic.
    assert_eq!(FloatCore::floor(F32::from_f32(-2.5)).to_f64(), -3.0);
    assert_eq!(FloatCore::powi(F16::from_f32(3.0), 3).to_f64(), 27.0);
}

#[cfg(feature = "half")]
#[test]
fn half_conversions_copy_bits() {
    for bits in [0u16, 0x3C00, 0x8001, 0x7C00, 0x7E00] {
        assert_eq!(
            <F16 as From<half::f16>>::from(half::f16::from_bits(bits)).to_bits(),
            bits
        );
        assert_eq!(half::f16::from(F16::from_bits(bits)).to_bits(), bits);
        assert_eq!(
            <Bf16 as From<half::bf16>>::from(half::bf16::from_bits(bits)).to_bits(),
            bits
        );
        assert_eq!(half::bf16::from(Bf16::from_bits(bits)).to_bits(), bits);
    }
}

#[test]
fn widening_conversions_are_exact() {
    for b in 0..=255u8 {
        let x = F8E4M3::from_bits(b);
        if x.is_nan() {
            assert!(<F16 as From<F8E4M3>>::from(x).is_nan());
            continue;
        }
        assert_eq!(<F16 as From<F8E4M3>>::from(x).to_f64(), x.to_f64());
        assert_eq!(<Bf16 as From<F8E4M3>>::from(x).to_f64(), x.to_f64());
        let y = F8E5M2::from_bits(b);
        if !y.is_nan() {
            assert_eq!(<F16 as From<F8E5M2>>::from(y).to_bits(), (b as u16) << 8);
        }
    }
    for b in (0..=u16::MAX).step_by(7) {
        let x = F16::from_bits(b);
        if !x.is_nan() {
            assert_eq!(
                <F32 as From<F16>>::from(x).to_bits(),
                half::f16::from_bits(b).to_f32().to_bits()
            );
            let y = Bf16::from_bits(b);
            assert_eq!(
                <F64 as From<Bf16>>::from(y).to_bits(),
                half::bf16::from_bits(b).to_f64().to_bits()
            );
        }
    }
}

/// `exact_decimal` of a typed value is the format's exact decimal of its bits, for every
/// pattern of the 8-bit types and a sample of the wider ones, and reads back to the same bits.
#[test]
fn typed_exact_decimal_is_the_formats() {
    for b in 0..=u8::MAX {
        let x = F8E4M3::from_bits(b);
        assert_eq!(x.exact_decimal(), F8E4M3::FORMAT.exact_decimal(b.into()));
        let y = F8E5M2::from_bits(b);
        assert_eq!(y.exact_decimal(), F8E5M2::FORMAT.exact_decimal(b.into()));
        if x.is_finite() {
            assert_eq!(x.exact_decimal().parse::<F8E4M3>().unwrap().to_bits(), b);
        }
    }
    assert_eq!(F8E4M3::from_bits(0x7E).exact_decimal(), "448");
    assert_eq!(F16::from_f32(0.1).exact_decimal(), "0.0999755859375");
    assert_eq!(
        F16::from_bits(0x0001).exact_decimal(),
        "0.000000059604644775390625"
    );
}
