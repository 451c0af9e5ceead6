//! arithsim against Berkeley SoftFloat 3e (8086-SSE specialization, through
//! softfloat-wrapper): values, NaN patterns and all five flags, for FP16 and FP32 in the five
//! IEEE rounding modes. SoftFloat builds on x86-64 Linux only; run with
//! `cargo test --release --features softfloat-oracle --test float_softfloat`.
#![cfg(all(
    feature = "softfloat-oracle",
    target_arch = "x86_64",
    target_os = "linux"
))]

use arithsim::float::{FloatEnv, FloatFormat, StatusAnd};
use arithsim::round::{Flags, RoundingMode};
use proptest::prelude::*;
use softfloat_wrapper::{ExceptionFlags, F16, F32, Float, RoundingMode as SfMode};

const MODES: [(RoundingMode, SfMode); 5] = [
    (RoundingMode::NearestEven, SfMode::TiesToEven),
    (RoundingMode::NearestAway, SfMode::TiesToAway),
    (RoundingMode::TowardZero, SfMode::TowardZero),
    (RoundingMode::TowardPositive, SfMode::TowardPositive),
    (RoundingMode::TowardNegative, SfMode::TowardNegative),
];

/// Runs `op` with SoftFloat's thread-local flags cleared and returns them as [`Flags`].
fn sf<T>(op: impl FnOnce() -> T) -> (T, Flags) {
    ExceptionFlags::default().set();
    let v = op();
    let mut f = ExceptionFlags::default();
    f.get();
    let mut flags = Flags::empty();
    for (on, flag) in [
        (f.is_invalid(), Flags::INVALID),
        (f.is_infinite(), Flags::DIV_BY_ZERO),
        (f.is_overflow(), Flags::OVERFLOW),
        (f.is_underflow(), Flags::UNDERFLOW),
        (f.is_inexact(), Flags::INEXACT),
    ] {
        if on {
            flags |= flag;
        }
    }
    (v, flags)
}

fn same(got: StatusAnd<u64>, want: (u64, Flags)) -> bool {
    got.value == want.0 && got.flags == want.1
}

macro_rules! ops {
    ($name:ident, $fmt:expr, $T:ident, $bits:ty, $strategy:expr) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(6_000))]
            #[test]
            fn $name(a in $strategy, b in $strategy, c in $strategy) {
                let fmt: FloatFormat = $fmt;
                let (x, y, z) = ($T::from_bits(a), $T::from_bits(b), $T::from_bits(c));
                let (a, b, c) = (a as u64, b as u64, c as u64);
                for (mode, m) in MODES {
                    let env = FloatEnv::new(mode);
                    let ctx = || format!("{a:#x} {b:#x} {c:#x} {mode:?}");
                    let w = sf(|| x.add(y, m).to_bits() as u64);
                    prop_assert!(same(fmt.add(a, b, &env), w), "add {} {:?} {:?}", ctx(), fmt.add(a, b, &env), w);
                    let w = sf(|| x.sub(y, m).to_bits() as u64);
                    prop_assert!(same(fmt.sub(a, b, &env), w), "sub {} {:?}", ctx(), w);
                    let w = sf(|| x.mul(y, m).to_bits() as u64);
                    prop_assert!(same(fmt.mul(a, b, &env), w), "mul {} {:?} {:?}", ctx(), fmt.mul(a, b, &env), w);
                    let w = sf(|| x.div(y, m).to_bits() as u64);
                    prop_assert!(same(fmt.div(a, b, &env), w), "div {} {:?} {:?}", ctx(), fmt.div(a, b, &env), w);
                    let w = sf(|| x.sqrt(m).to_bits() as u64);
                    prop_assert!(same(fmt.sqrt(a, &env), w), "sqrt {} {:?}", ctx(), w);
                    let w = sf(|| x.fused_mul_add(y, z, m).to_bits() as u64);
                    let got = fmt.fma(a, b, c, &env);
                    // 0 × ∞ + qNaN: SoftFloat returns its default NaN, arithsim the operand
                    // NaN (both raise invalid); compare NaN-ness there.
                    let zero_inf_nan = fmt.is_nan(c)
                        && ((fmt.is_infinite(a) && fmt.is_zero(b)) || (fmt.is_zero(a) && fmt.is_infinite(b)));
                    if zero_inf_nan {
                        prop_assert!(fmt.is_nan(got.value) && got.flags == w.1);
                    } else {
                        prop_assert!(same(got, w), "fma {} {:?} {:?}", ctx(), got, w);
                    }
                    let w = sf(|| x.round_to_integral(m).to_bits() as u64);
                    let got = fmt.round_to_integral(a, &env); // the wrapper passes exact = false
                    prop_assert!(same(got, w), "rint {} {:?} {:?}", ctx(), got, w);
                    // Integers: SoftFloat returns x86's "integer indefinite" out of range,
                    // arithsim saturates (documented): compare values in range, flags always.
                    let w = sf(|| x.to_i32(m, true));
                    let got = fmt.to_i32(a, &env);
                    prop_assert_eq!(got.flags, w.1, "to_i32 {}", ctx());
                    if !w.1.contains(Flags::INVALID) {
                        prop_assert_eq!(got.value, w.0);
                    }
                    let w = sf(|| x.to_u64(m, true));
                    let got = fmt.to_u64(a, &env);
                    prop_assert_eq!(got.flags, w.1, "to_u64 {}", ctx());
                    if !w.1.contains(Flags::INVALID) {
                        prop_assert_eq!(got.value, w.0);
                    }
                    let v = (a as i64) << 40 | b as i64;
                    let w = sf(|| $T::from_i64(v, m).to_bits() as u64);
                    prop_assert!(same(fmt.from_i64(v, &env), w), "from_i64 {v} {mode:?}");
                }
                let w = sf(|| x.rem(y, SfMode::TiesToEven).to_bits() as u64);
                let got = fmt.remainder(a, b, &FloatEnv::default());
                prop_assert!(same(got, w), "rem {a:#x} {b:#x} {:?} {:?}", got, w);
                let env = FloatEnv::default();
                let w = sf(|| x.eq(y));
                prop_assert_eq!((fmt.compare_eq(a, b, &env).value, fmt.compare_eq(a, b, &env).flags), w);
                let w = sf(|| x.lt(y));
                prop_assert_eq!((fmt.compare_lt(a, b, &env).value, fmt.compare_lt(a, b, &env).flags), w);
                let w = sf(|| x.le(y));
                prop_assert_eq!((fmt.compare_le(a, b, &env).value, fmt.compare_le(a, b, &env).flags), w);
            }
        }
    };
}

fn bits16() -> impl Strategy<Value = u16> {
    prop_oneof![
        3 => any::<u16>(),
        1 => prop::sample::select(vec![0u16, 0x8000, 1, 0x8001, 0x3C00, 0x7BFF, 0xFBFF, 0x7C00, 0xFC00, 0x0400, 0x03FF, 0x7E00, 0x7C01]),
        2 => (0x3000u16..0x5000, any::<bool>()).prop_map(|(b, s)| b | (s as u16) << 15),
        1 => (0u16..0x0800, any::<bool>()).prop_map(|(b, s)| b | (s as u16) << 15),
    ]
}

fn bits32() -> impl Strategy<Value = u32> {
    prop_oneof![
        3 => any::<u32>(),
        1 => prop::sample::select(vec![0u32, 0x8000_0000, 1, 0x3F80_0000, 0x7F7F_FFFF, 0xFF7F_FFFF, 0x7F80_0000, 0xFF80_0000, 0x0080_0000, 0x007F_FFFF, 0x7FC0_0000, 0x7F80_0001]),
        2 => (0x3E00_0000u32..0x4100_0000, any::<bool>()).prop_map(|(b, s)| b | (s as u32) << 31),
        1 => (0u32..0x0100_0000, any::<bool>()).prop_map(|(b, s)| b | (s as u32) << 31),
    ]
}

ops!(softfloat_fp16, FloatFormat::FP16, F16, u16, bits16());
ops!(softfloat_fp32, FloatFormat::FP32, F32, u32, bits32());

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]
    /// FP32 → FP16 and FP16 → FP32 conversions, values and flags, every mode.
    #[test]
    fn softfloat_conversions(a in bits32(), h in bits16()) {
        for (mode, m) in MODES {
            let env = FloatEnv::new(mode);
            let w = sf(|| F32::from_bits(a).to_f16(m).to_bits() as u64);
            let got = FloatFormat::FP32.convert(a as u64, FloatFormat::FP16, &env);
            prop_assert!(same(got, w), "{a:#x} {mode:?} {got:?} {w:?}");
            let w = sf(|| F16::from_bits(h).to_f32(m).to_bits() as u64);
            let got = FloatFormat::FP16.convert(h as u64, FloatFormat::FP32, &env);
            prop_assert!(same(got, w), "{h:#x} {mode:?}");
        }
    }
}
