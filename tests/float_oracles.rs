//! arithsim against reference crates: `half` for FP16/BF16 ↔ f32 conversions (bit-exact,
//! NaN payloads included), and `rustc_apfloat` for values in every IEEE rounding mode on
//! FP16, BF16, FP32, FP64 and FP8 (flags are checked against SoftFloat and the rational
//! reference instead: rustc_apfloat's directed-mode flags deviate, rustc_apfloat#36).

use arithsim::float::{FloatEnv, FloatFormat};
use arithsim::round::RoundingMode;
use proptest::prelude::*;
use rustc_apfloat::ieee::{BFloat, Double, Float8E4M3FN, Float8E5M2, Half, Single};
use rustc_apfloat::{Float, FloatConvert, Round};

#[test]
fn half_f16_and_bf16_to_f32_all_patterns() {
    let env = FloatEnv::default();
    for b in 0..=u16::MAX {
        let want = half::f16::from_bits(b).to_f32().to_bits() as u64;
        assert_eq!(
            FloatFormat::FP16
                .convert(b as u64, FloatFormat::FP32, &env)
                .value,
            want,
            "{b:#x}"
        );
        let want = half::bf16::from_bits(b).to_f32().to_bits() as u64;
        assert_eq!(
            FloatFormat::BF16
                .convert(b as u64, FloatFormat::FP32, &env)
                .value,
            want,
            "{b:#x}"
        );
    }
}

/// f32 patterns near FP16/BF16 rounding boundaries: every FP16 value's f32 image with
/// low-bit perturbations (ties, just above, just below), plus random bits below.
#[test]
fn half_f32_to_f16_and_bf16_near_every_boundary() {
    let env = FloatEnv::default();
    let check = |x: u32| {
        let f = f32::from_bits(x);
        assert_eq!(
            FloatFormat::FP32
                .convert(x as u64, FloatFormat::FP16, &env)
                .value,
            half::f16::from_f32(f).to_bits() as u64,
            "{x:#x} to f16"
        );
        assert_eq!(
            FloatFormat::FP32
                .convert(x as u64, FloatFormat::BF16, &env)
                .value,
            half::bf16::from_f32(f).to_bits() as u64,
            "{x:#x} to bf16"
        );
    };
    for b in 0..=u16::MAX {
        let base = half::f16::from_bits(b).to_f32().to_bits();
        for d in [
            0u32, 1, 0xFFF, 0x1000, 0x1001, 0x1FFF, 0x7FFF, 0x8000, 0x8001,
        ] {
            check(base.wrapping_add(d));
            check(base.wrapping_sub(d));
        }
        let bb = (b as u32) << 16;
        for d in [0u32, 0x7FFF, 0x8000, 0x8001, 0xFFFF] {
            check(bb | d);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(50_000))]
    #[test]
    fn half_f32_to_f16_random(x in any::<u32>()) {
        let env = FloatEnv::default();
        let f = f32::from_bits(x);
        prop_assert_eq!(
            FloatFormat::FP32.convert(x as u64, FloatFormat::FP16, &env).value,
            half::f16::from_f32(f).to_bits() as u64
        );
        prop_assert_eq!(
            FloatFormat::FP32.convert(x as u64, FloatFormat::BF16, &env).value,
            half::bf16::from_f32(f).to_bits() as u64
        );
    }
}

const MODES: [(RoundingMode, Round); 5] = [
    (RoundingMode::NearestEven, Round::NearestTiesToEven),
    (RoundingMode::NearestAway, Round::NearestTiesToAway),
    (RoundingMode::TowardZero, Round::TowardZero),
    (RoundingMode::TowardPositive, Round::TowardPositive),
    (RoundingMode::TowardNegative, Round::TowardNegative),
];

/// Runs every binary op of `F` against arithsim's `fmt` in every mode on `(a, b, c)`.
///
/// `signed_directed`: also check the two sign-dependent directed modes. rustc_apfloat 0.2.3
/// gets those wrong for E4M3FN on negative overflow (its NaN-only overflow path does not
/// negate the mode for negative values, so −448.002 toward −∞ gives −448 instead of NaN);
/// the exhaustive rational reference covers E4M3 in every mode instead.
fn apfloat_ops<F: Float>(
    fmt: FloatFormat,
    a: u64,
    b: u64,
    c: u64,
    signed_directed: bool,
) -> Result<(), TestCaseError> {
    let (x, y, z) = (
        F::from_bits(a as u128),
        F::from_bits(b as u128),
        F::from_bits(c as u128),
    );
    let same = |got: u64, want: F| -> bool {
        if want.is_nan() {
            fmt.is_nan(got)
        } else {
            got as u128 == want.to_bits()
        }
    };
    for (mode, round) in MODES {
        if !signed_directed
            && matches!(
                mode,
                RoundingMode::TowardPositive | RoundingMode::TowardNegative
            )
        {
            continue;
        }
        let env = FloatEnv::new(mode);
        let ctx = format!("{fmt} {a:#x} {b:#x} {c:#x} {mode:?}");
        prop_assert!(
            same(fmt.add(a, b, &env).value, x.add_r(y, round).value),
            "add {}",
            ctx
        );
        prop_assert!(
            same(fmt.sub(a, b, &env).value, x.sub_r(y, round).value),
            "sub {}",
            ctx
        );
        prop_assert!(
            same(fmt.mul(a, b, &env).value, x.mul_r(y, round).value),
            "mul {}",
            ctx
        );
        prop_assert!(
            same(fmt.div(a, b, &env).value, x.div_r(y, round).value),
            "div {}",
            ctx
        );
        prop_assert!(
            same(fmt.fma(a, b, c, &env).value, x.mul_add_r(y, z, round).value),
            "fma {}",
            ctx
        );
        prop_assert!(
            same(
                fmt.round_to_integral(a, &env).value,
                x.round_to_integral(round).value
            ),
            "rint {}",
            ctx
        );
    }
    prop_assert!(
        same(
            fmt.remainder(a, b, &FloatEnv::default()).value,
            x.ieee_rem(y).value
        ),
        "rem {fmt} {a:#x} {b:#x}"
    );
    Ok(())
}

fn bits16() -> impl Strategy<Value = u64> {
    prop_oneof![
        3 => any::<u16>().prop_map(|b| b as u64),
        1 => prop::sample::select(vec![0u64, 0x8000, 1, 0x3C00, 0x7BFF, 0x7C00, 0xFC00, 0x0400, 0x7E00]),
        1 => 0x3000u64..0x5000,
    ]
}

fn bits32() -> impl Strategy<Value = u64> {
    prop_oneof![
        3 => any::<u32>().prop_map(|b| b as u64),
        1 => prop::sample::select(vec![0u64, 0x8000_0000, 1, 0x3F80_0000, 0x7F7F_FFFF, 0x7F80_0000, 0x0080_0000]),
        1 => 0x3E00_0000u64..0x4100_0000,
    ]
}

fn bits64() -> impl Strategy<Value = u64> {
    prop_oneof![
        3 => any::<u64>(),
        1 => prop::sample::select(vec![0u64, 1 << 63, 1, 0x3FF0_0000_0000_0000, 0x7FEF_FFFF_FFFF_FFFF, 0x0010_0000_0000_0000]),
        1 => 0x3F00_0000_0000_0000u64..0x4100_0000_0000_0000,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]

    #[test]
    fn apfloat_fp16(a in bits16(), b in bits16(), c in bits16()) {
        apfloat_ops::<Half>(FloatFormat::FP16, a, b, c, true)?;
    }

    #[test]
    fn apfloat_bf16(a in bits16(), b in bits16(), c in bits16()) {
        apfloat_ops::<BFloat>(FloatFormat::BF16, a, b, c, true)?;
    }

    #[test]
    fn apfloat_fp32(a in bits32(), b in bits32(), c in bits32()) {
        apfloat_ops::<Single>(FloatFormat::FP32, a, b, c, true)?;
    }

    #[test]
    fn apfloat_fp64(a in bits64(), b in bits64(), c in bits64()) {
        apfloat_ops::<Double>(FloatFormat::FP64, a, b, c, true)?;
    }

    #[test]
    fn apfloat_fp8(a in 0u64..256, b in 0u64..256, c in 0u64..256) {
        apfloat_ops::<Float8E5M2>(FloatFormat::FP8_E5M2, a, b, c, true)?;
        apfloat_ops::<Float8E4M3FN>(FloatFormat::FP8_E4M3, a, b, c, false)?;
    }

    /// FP32/FP64 narrowing to FP16, BF16 and FP8 in every mode.
    #[test]
    fn apfloat_conversions(a in bits32(), d in bits64()) {
        for (mode, round) in MODES {
            let env = FloatEnv::new(mode);
            let x = Single::from_bits(a as u128);
            let mut lost = false;
            let checks: [(FloatFormat, Option<u128>, bool); 4] = {
                let h: rustc_apfloat::StatusAnd<Half> = x.convert_r(round, &mut lost);
                let bf: rustc_apfloat::StatusAnd<BFloat> = x.convert_r(round, &mut lost);
                let e5: rustc_apfloat::StatusAnd<Float8E5M2> = x.convert_r(round, &mut lost);
                let s: rustc_apfloat::StatusAnd<Single> =
                    Double::from_bits(d as u128).convert_r(round, &mut lost);
                [
                    (FloatFormat::FP16, Some(h.value.to_bits()).filter(|_| !h.value.is_nan()), false),
                    (FloatFormat::BF16, Some(bf.value.to_bits()).filter(|_| !bf.value.is_nan()), false),
                    (FloatFormat::FP8_E5M2, Some(e5.value.to_bits()).filter(|_| !e5.value.is_nan()), false),
                    (FloatFormat::FP32, Some(s.value.to_bits()).filter(|_| !s.value.is_nan()), true),
                ]
            };
            for (to, want, from64) in checks {
                let got = if from64 {
                    FloatFormat::FP64.convert(d, to, &env).value
                } else {
                    FloatFormat::FP32.convert(a, to, &env).value
                };
                match want {
                    Some(w) => prop_assert_eq!(got as u128, w, "{} {:#x} {:#x} {:?}", to, a, d, mode),
                    None => prop_assert!(to.is_nan(got)),
                }
            }
        }
    }
}
