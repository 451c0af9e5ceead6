//! arithsim's FP32/FP64 against native `f32`/`f64` on x86-64-style hardware: bit-exact values
//! under round-to-nearest-even with the default (x86) NaN policy, on random bit patterns
//! with the special values forced in.
//!
//! NaN payloads are compared with native results only on x86-64 and only for `black_box`ed
//! binary operations with at most one NaN operand (Rust promises no NaN bits otherwise); in
//! every other case only NaN-ness is compared.

use std::hint::black_box;

use arithsim::float::{FloatEnv, FloatFormat};
use proptest::prelude::*;

const F32: FloatFormat = FloatFormat::FP32;
const F64: FloatFormat = FloatFormat::FP64;

fn special32() -> impl Strategy<Value = u32> {
    prop_oneof![
        3 => any::<u32>(),
        1 => prop::sample::select(vec![
            0u32, 0x8000_0000, 1, 0x8000_0001, 0x007F_FFFF, 0x0080_0000, 0x8080_0000,
            0x7F7F_FFFF, 0xFF7F_FFFF, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFFC0_0000,
            0x7F80_0001, 0xFFBF_FFFF, 0x3F80_0000, 0xBF80_0000, 0x3F7F_FFFF, 0x3380_0000,
        ]),
        // Nearby exponents so that additions cancel and round.
        2 => (0x3E00_0000u32..0x4100_0000, any::<bool>()).prop_map(|(b, s)| b | (s as u32) << 31),
        // Subnormal and near-subnormal range.
        1 => (0u32..0x0180_0000, any::<bool>()).prop_map(|(b, s)| b | (s as u32) << 31),
    ]
}

fn special64() -> impl Strategy<Value = u64> {
    prop_oneof![
        3 => any::<u64>(),
        1 => prop::sample::select(vec![
            0u64, 1 << 63, 1, 0x000F_FFFF_FFFF_FFFF, 0x0010_0000_0000_0000,
            0x7FEF_FFFF_FFFF_FFFF, 0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000,
            0x7FF8_0000_0000_0000, 0x7FF0_0000_0000_0001, 0x3FF0_0000_0000_0000,
        ]),
        2 => (0x3F00_0000_0000_0000u64..0x4100_0000_0000_0000, any::<bool>())
            .prop_map(|(b, s)| b | (s as u64) << 63),
        1 => (0u64..0x0030_0000_0000_0000, any::<bool>()).prop_map(|(b, s)| b | (s as u64) << 63),
    ]
}

/// Compares a result with native bits: exact, except that NaN payloads are compared only
/// when `payload` (x86-64, black_boxed binary op, at most one NaN operand).
fn same32(got: u64, want: f32, payload: bool) -> bool {
    if want.is_nan() {
        F32.is_nan(got)
            && (!payload || !cfg!(target_arch = "x86_64") || got == want.to_bits() as u64)
    } else {
        got == want.to_bits() as u64
    }
}

fn same64(got: u64, want: f64, payload: bool) -> bool {
    if want.is_nan() {
        F64.is_nan(got) && (!payload || !cfg!(target_arch = "x86_64") || got == want.to_bits())
    } else {
        got == want.to_bits()
    }
}

fn one_nan32(a: u32, b: u32) -> bool {
    !(f32::from_bits(a).is_nan() && f32::from_bits(b).is_nan())
}

fn one_nan64(a: u64, b: u64) -> bool {
    !(f64::from_bits(a).is_nan() && f64::from_bits(b).is_nan())
}

macro_rules! binary32 {
    ($name:ident, $op:ident, $native:expr) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(20_000))]
            #[test]
            fn $name(a in special32(), b in special32()) {
                let env = FloatEnv::default();
                let got = F32.$op(a as u64, b as u64, &env).value;
                let f: fn(f32, f32) -> f32 = $native;
                let want = f(black_box(f32::from_bits(a)), black_box(f32::from_bits(b)));
                prop_assert!(same32(got, want, one_nan32(a, b)),
                    "{:#010x} {} {:#010x}: got {:#010x} want {:#010x}",
                    a, stringify!($op), b, got, want.to_bits());
            }
        }
    };
}

macro_rules! binary64 {
    ($name:ident, $op:ident, $native:expr) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(20_000))]
            #[test]
            fn $name(a in special64(), b in special64()) {
                let env = FloatEnv::default();
                let got = F64.$op(a, b, &env).value;
                let f: fn(f64, f64) -> f64 = $native;
                let want = f(black_box(f64::from_bits(a)), black_box(f64::from_bits(b)));
                prop_assert!(same64(got, want, one_nan64(a, b)),
                    "{:#018x} {} {:#018x}: got {:#018x} want {:#018x}",
                    a, stringify!($op), b, got, want.to_bits());
            }
        }
    };
}

binary32!(add_f32, add, |x, y| x + y);
binary32!(sub_f32, sub, |x, y| x - y);
binary64!(add_f64, add, |x, y| x + y);
binary64!(sub_f64, sub, |x, y| x - y);

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn f32_to_f64_and_back(a in special32(), b in special64()) {
        let env = FloatEnv::default();
        let up = F32.convert(a as u64, F64, &env).value;
        prop_assert!(same64(up, black_box(f32::from_bits(a)) as f64, true), "{a:#x}");
        let down = F64.convert(b, F32, &env).value;
        prop_assert!(same32(down, black_box(f64::from_bits(b)) as f32, true), "{b:#x}");
    }
}

binary32!(mul_f32, mul, |x, y| x * y);
binary32!(div_f32, div, |x, y| x / y);
binary64!(mul_f64, mul, |x, y| x * y);
binary64!(div_f64, div, |x, y| x / y);

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn fma_f32(a in special32(), b in special32(), c in special32()) {
        let got = F32.fma(a as u64, b as u64, c as u64, &FloatEnv::default()).value;
        let want = black_box(f32::from_bits(a)).mul_add(f32::from_bits(b), f32::from_bits(c));
        // mul_add's NaN payload depends on the instruction picked: NaN-ness only.
        prop_assert!(same32(got, want, false), "{a:#x} {b:#x} {c:#x}: {got:#x} vs {:#x}", want.to_bits());
    }

    #[test]
    fn fma_f64(a in special64(), b in special64(), c in special64()) {
        let got = F64.fma(a, b, c, &FloatEnv::default()).value;
        let want = black_box(f64::from_bits(a)).mul_add(f64::from_bits(b), f64::from_bits(c));
        prop_assert!(same64(got, want, false), "{a:#x} {b:#x} {c:#x}: {got:#x} vs {:#x}", want.to_bits());
    }

    /// Products near 1 so that the addend cancels most of it.
    #[test]
    fn fma_f32_cancellation(a in 0x3F00_0000u32..0x4000_0000, b in 0x3F00_0000u32..0x4000_0000, d in -3i32..=3) {
        let p = f32::from_bits(a) as f64 * f32::from_bits(b) as f64;
        let c = -(p as f32) + d as f32 * f32::EPSILON;
        let got = F32.fma(a as u64, b as u64, c.to_bits() as u64, &FloatEnv::default()).value;
        let want = f32::from_bits(a).mul_add(f32::from_bits(b), c);
        prop_assert!(same32(got, want, false));
    }

    #[test]
    fn sqrt_native(a in special32(), b in special64()) {
        let env = FloatEnv::default();
        let got = F32.sqrt(a as u64, &env).value;
        prop_assert!(same32(got, black_box(f32::from_bits(a)).sqrt(), true), "{a:#x}");
        let got = F64.sqrt(b, &env).value;
        prop_assert!(same64(got, black_box(f64::from_bits(b)).sqrt(), true), "{b:#x}");
    }

    /// Rust's `as` saturates and maps NaN to 0: the documented out-of-range result.
    #[test]
    fn to_int_truncating_matches_as(a in special32(), b in special64()) {
        use arithsim::round::RoundingMode;
        let env = FloatEnv::new(RoundingMode::TowardZero);
        let x = f32::from_bits(a);
        prop_assert_eq!(F32.to_i32(a as u64, &env).value, x as i32);
        prop_assert_eq!(F32.to_u8(a as u64, &env).value, x as u8);
        prop_assert_eq!(F32.to_i64(a as u64, &env).value, x as i64);
        prop_assert_eq!(F32.to_u16(a as u64, &env).value, x as u16);
        let y = f64::from_bits(b);
        prop_assert_eq!(F64.to_i64(b, &env).value, y as i64);
        prop_assert_eq!(F64.to_u64(b, &env).value, y as u64);
        prop_assert_eq!(F64.to_i8(b, &env).value, y as i8);
        prop_assert_eq!(F64.to_u32(b, &env).value, y as u32);
        prop_assert_eq!(F64.to_i16(b, &env).value, y as i16);
    }

    #[test]
    fn from_int_matches_as(v in any::<i64>(), u in any::<u64>(), s in any::<i32>()) {
        let env = FloatEnv::default();
        prop_assert_eq!(F32.from_i64(v, &env).value, (v as f32).to_bits() as u64);
        prop_assert_eq!(F64.from_i64(v, &env).value, (v as f64).to_bits());
        prop_assert_eq!(F32.from_u64(u, &env).value, (u as f32).to_bits() as u64);
        prop_assert_eq!(F64.from_u64(u, &env).value, (u as f64).to_bits());
        prop_assert_eq!(F32.from_i64(s as i64, &env).value, (s as f32).to_bits() as u64);
    }

    #[test]
    fn round_to_integral_matches_native(a in special32()) {
        use arithsim::round::RoundingMode as M;
        let x = f32::from_bits(a);
        let cases: [(M, f32); 5] = [
            (M::NearestEven, x.round_ties_even()),
            (M::NearestAway, x.round()),
            (M::TowardZero, x.trunc()),
            (M::TowardPositive, x.ceil()),
            (M::TowardNegative, x.floor()),
        ];
        for (mode, want) in cases {
            let got = F32.round_to_integral(a as u64, &FloatEnv::new(mode));
            prop_assert!(same32(got.value, want, false), "{a:#x} {mode:?}");
            prop_assert!(!got.flags.contains(arithsim::round::Flags::INEXACT));
        }
    }

    #[test]
    fn classify_and_compare_match_native(a in special32(), b in special32()) {
        use std::cmp::Ordering;
        let env = FloatEnv::default();
        let (x, y) = (f32::from_bits(a), f32::from_bits(b));
        prop_assert_eq!(F32.compare(a as u64, b as u64, &env).value, x.partial_cmp(&y));
        prop_assert_eq!(F32.compare_eq(a as u64, b as u64, &env).value, x == y);
        prop_assert_eq!(F32.compare_lt(a as u64, b as u64, &env).value, x < y);
        prop_assert_eq!(F32.compare_le(a as u64, b as u64, &env).value, x <= y);
        prop_assert_eq!(F32.total_order(a as u64, b as u64), x.total_cmp(&y));
        prop_assert_eq!(F32.is_nan(a as u64), x.is_nan());
        prop_assert_eq!(F32.is_subnormal(a as u64), x.is_subnormal());
        // next_up is the successor in the total order among numbers.
        if !x.is_nan() && x != f32::INFINITY {
            let up = f32::from_bits(F32.next_up(a as u64, &env).value as u32);
            prop_assert!(up > x);
            prop_assert_eq!(x.total_cmp(&up), Ordering::Less);
            let mid = (x as f64 + up as f64) / 2.0;
            prop_assert!(!(mid as f32 > x && (mid as f32) < up));
        }
        prop_assert_eq!(F32.neg(a as u64), (-x).to_bits() as u64);
        prop_assert_eq!(F32.abs(a as u64), x.abs().to_bits() as u64);
        prop_assert_eq!(F32.copysign(a as u64, b as u64), x.copysign(y).to_bits() as u64);
    }
}

#[test]
fn nan_payload_rules_on_x86() {
    let env = FloatEnv::default();
    let snan = 0x7F80_0001u64;
    let qnan_neg = 0xFFC0_1234u64;
    let one = 1f32.to_bits() as u64;
    // A signalling NaN operand comes back quieted with its payload, invalid raised.
    let r = F32.add(snan, one, &env);
    assert_eq!(r.value, 0x7FC0_0001);
    assert!(r.flags.contains(arithsim::round::Flags::INVALID));
    // Two NaNs: the first one (x86 SSE rule).
    assert_eq!(F32.mul(qnan_neg, snan, &env).value, qnan_neg);
    assert_eq!(F32.mul(snan, qnan_neg, &env).value, 0x7FC0_0001);
    // Invalid operations give the negative default NaN.
    assert_eq!(F32.mul(0x7F80_0000, 0, &env).value, 0xFFC0_0000);
    #[cfg(target_arch = "x86_64")]
    {
        let want = black_box(f32::INFINITY) * black_box(0.0f32);
        assert_eq!(want.to_bits(), 0xFFC0_0000);
    }
}
