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
