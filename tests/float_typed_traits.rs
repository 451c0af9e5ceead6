//! The typed floats' std and num-traits integrations (issue 23): exact widenings proved
//! exhaustively over the narrow type, `TryFrom` against independent oracles (native casts,
//! the `half` crate, a search over every value of an 8-bit format), `num_traits::Float`
//! against the `half` crate and native `f32`, `FloatCore` for the formats without
//! infinities, and the `*_with` operations returning value and flags.

use arithsim::float::{
    Bf16, F8E4M3, F8E4M3Fnuz, F8E5M2, F8E5M2Fnuz, F16, F32, F64, FloatEnv, TypedFloat,
};
use arithsim::round::{Flags, RoundingMode};
use num_traits::float::FloatCore;
use num_traits::{Float, MulAdd, Signed};
use proptest::prelude::*;

/// Every pattern of `N` converts through `From` into `W` with the same value (sign of zero
/// included; NaN stays NaN), and converts back under round-to-nearest with no flag raised.
fn check_widening<N, W>(patterns: impl Iterator<Item = u64>)
where
    N: TypedFloat,
    W: TypedFloat + From<N>,
{
    let back = FloatEnv::default();
    let mut checked = 0u64;
    for b in patterns {
        let w = W::from(N::from_bits_u64(b)).to_bits_u64();
        let (nf, wf) = (N::FORMAT, W::FORMAT);
        assert_eq!(nf.is_nan(b), wf.is_nan(w), "{nf} {b:#x} -> {wf} {w:#x}");
        if nf.is_nan(b) {
            continue;
        }
        let (x, y) = (nf.bits_to_f64(b), wf.bits_to_f64(w));
        assert_eq!(x.to_bits(), y.to_bits(), "{nf} {b:#x} -> {wf} {w:#x}");
        let r = wf.convert(w, nf, &back);
        assert_eq!(
            (r.value, r.flags),
            (b, Flags::empty()),
            "{wf} {w:#x} -> {nf}"
        );
        checked += 1;
    }
    assert!(checked > 0);
}

#[test]
fn widenings_are_exact_exhaustively() {
    let all8 = || 0..256u64;
    check_widening::<F8E5M2, F16>(all8());
    check_widening::<F8E5M2, Bf16>(all8());
    check_widening::<F8E5M2, F32>(all8());
    check_widening::<F8E5M2, F64>(all8());
    check_widening::<F8E4M3, F16>(all8());
    check_widening::<F8E4M3, Bf16>(all8());
    check_widening::<F8E4M3, F32>(all8());
    check_widening::<F8E4M3, F64>(all8());
    check_widening::<F8E4M3Fnuz, F16>(all8());
    check_widening::<F8E4M3Fnuz, Bf16>(all8());
    check_widening::<F8E4M3Fnuz, F32>(all8());
    check_widening::<F8E4M3Fnuz, F64>(all8());
    check_widening::<F8E5M2Fnuz, F16>(all8());
    check_widening::<F8E5M2Fnuz, Bf16>(all8());
    check_widening::<F8E5M2Fnuz, F32>(all8());
    check_widening::<F8E5M2Fnuz, F64>(all8());
    let all16 = || 0..65536u64;
    check_widening::<F16, F32>(all16());
    check_widening::<F16, F64>(all16());
    check_widening::<Bf16, F32>(all16());
    check_widening::<Bf16, F64>(all16());
}

/// `TryFrom<$from> for $to` over every pattern of an 8- or 16-bit `$from`, against a search
/// over all 256 values of the 8-bit `$to`: `Ok` exactly when some value of `$to` equals the
/// value, and then that value.
fn check_try_narrow<From8, To8>(patterns: impl Iterator<Item = u64>)
where
    From8: TypedFloat,
    To8: TypedFloat + TryFrom<From8> + std::fmt::Debug,
{
    let (ff, tf) = (From8::FORMAT, To8::FORMAT);
    let targets: Vec<(u64, f64)> = (0..256u64)
        .filter(|&b| !tf.is_nan(b))
        .map(|b| (b, tf.bits_to_f64(b)))
        .collect();
    for b in patterns {
        if ff.is_nan(b) {
            continue;
        }
        let x = ff.bits_to_f64(b);
        // The exact match, preferring the same sign of zero when the format has −0.
        let want = targets
            .iter()
            .filter(|(_, v)| *v == x)
            .min_by_key(|(_, v)| (v.is_sign_negative() != x.is_sign_negative()) as u8)
            .map(|(t, _)| *t);
        let got = To8::try_from(From8::from_bits_u64(b))
            .ok()
            .map(|t| t.to_bits_u64());
        assert_eq!(got, want, "{ff} {b:#x} = {x} -> {tf}");
    }
}

#[test]
fn try_from_narrowing_is_ok_exactly_when_representable() {
    check_try_narrow::<F16, F8E5M2>(0..65536);
    check_try_narrow::<F16, F8E4M3>(0..65536);
    check_try_narrow::<Bf16, F8E4M3Fnuz>(0..65536);
    check_try_narrow::<Bf16, F8E5M2Fnuz>(0..65536);
    check_try_narrow::<F8E4M3, F8E5M2>(0..256);
    check_try_narrow::<F8E5M2, F8E4M3>(0..256);
    check_try_narrow::<F8E4M3Fnuz, F8E4M3>(0..256);
    // NaNs convert to NaN; a signalling NaN raises invalid, so it is an error.
    assert!(F8E4M3::try_from(F16::from_bits(0x7E00)).unwrap().is_nan());
    let e = F8E4M3::try_from(F16::from_bits(0x7C01)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid value NaN: is not exactly representable in FP8 E4M3 (invalid)"
    );
    assert!(F8E4M3::try_from(F16::INFINITY).is_err()); // no infinity in E4M3
    assert!(F8E5M2::try_from(F16::INFINITY).unwrap().is_infinite());
    assert!(F8E4M3::try_from(0.1f32).is_err());
    assert_eq!(F8E4M3::try_from(-448.0f64).unwrap(), F8E4M3::MIN);
}

#[test]
fn f16_and_bf16_float_traits_match_the_half_crate() {
    // `half`'s `Float` impl computes in f32 and rounds once: `f16::from_f32(f(x.to_f32()))`.
    type Op = (
        &'static str,
        fn(f32) -> f32,
        fn(F16) -> F16,
        fn(Bf16) -> Bf16,
    );
    let ops: [Op; 12] = [
        ("sin", f32::sin, Float::sin, Float::sin),
        ("cos", f32::cos, Float::cos, Float::cos),
        ("exp", f32::exp, Float::exp, Float::exp),
        ("ln", f32::ln, Float::ln, Float::ln),
        ("log2", f32::log2, Float::log2, Float::log2),
        ("tanh", f32::tanh, Float::tanh, Float::tanh),
        ("cbrt", f32::cbrt, Float::cbrt, Float::cbrt),
        ("atan", f32::atan, Float::atan, Float::atan),
        ("exp_m1", f32::exp_m1, Float::exp_m1, Float::exp_m1),
        (
            "powi3",
            |x| x.powi(3),
            |x| Float::powi(x, 3),
            |x| Float::powi(x, 3),
        ),
        // Correctly rounded in the soft-float; f32 then one more rounding is exact at these
        // precisions (24 >= 2p + 2), so `half` must agree bit for bit.
        ("sqrt", f32::sqrt, Float::sqrt, Float::sqrt),
        ("recip", f32::recip, Float::recip, Float::recip),
    ];
    let same = |got: u16, want: u16, nan: bool| if nan { true } else { got == want };
    for b in 0..=u16::MAX {
        let (p, q) = (F16::from_bits(b), Bf16::from_bits(b));
        let (x, y) = (half::f16::from_bits(b), half::bf16::from_bits(b));
        for (name, native, f16op, bf16op) in ops {
            let want = half::f16::from_f32(native(x.to_f32()));
            let got = f16op(p);
            assert_eq!(got.is_nan(), want.is_nan(), "f16 {name} {b:#x}");
            assert!(
                same(got.to_bits(), want.to_bits(), want.is_nan()),
                "f16 {name} {b:#x}"
            );
            let want = half::bf16::from_f32(native(y.to_f32()));
            let got = bf16op(q);
            assert_eq!(got.is_nan(), want.is_nan(), "bf16 {name} {b:#x}");
            assert!(
                same(got.to_bits(), want.to_bits(), want.is_nan()),
                "bf16 {name} {b:#x}"
            );
        }
        let two = F16::from_f64(2.5);
        let want = half::f16::from_f32(x.to_f32().powf(2.5));
        assert!(Float::powf(p, two).to_bits() == want.to_bits() || want.is_nan());
    }
}

fn f32_specials() -> impl Strategy<Value = u32> {
    prop_oneof![
        3 => prop::sample::select(vec![
            0u32, 0x8000_0000, 1, 0x8000_0001, 0x007F_FFFF, 0x0080_0000, 0x7F7F_FFFF,
            0xFF7F_FFFF, 0x3F80_0000, 0xBF80_0000, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000,
            0x3F00_0000, 0x4B00_0000,
        ]),
        1 => (0u32..0x0080_0000, any::<bool>()).prop_map(|(m, s)| m | (s as u32) << 31),
        6 => any::<u32>(),
    ]
}

fn same32(got: F32, want: f32) -> bool {
    if want.is_nan() {
        got.is_nan()
    } else {
        got.to_bits() == want.to_bits()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn f32_float_traits_match_native(a in f32_specials(), b in f32_specials(), c in f32_specials()) {
        let (x, y, z) = (f32::from_bits(a), f32::from_bits(b), f32::from_bits(c));
        let (p, q, r) = (F32::from_bits(a), F32::from_bits(b), F32::from_bits(c));
        prop_assert!(same32(Float::sqrt(p), x.sqrt()));
        prop_assert!(same32(Float::recip(p), x.recip()));
        prop_assert!(same32(Float::fract(p), x.fract()));
        prop_assert!(same32(Float::mul_add(p, q, r), x.mul_add(y, z)));
        prop_assert!(same32(MulAdd::mul_add(p, q, r), x.mul_add(y, z)));
        prop_assert!(same32(Float::sin(p), x.sin()));
        prop_assert!(same32(Float::powf(p, q), x.powf(y)));
        prop_assert!(same32(Float::atan2(p, q), x.atan2(y)));
        prop_assert!(same32(Float::hypot(p, q), x.hypot(y)));
        prop_assert!(same32(Float::powi(p, 5), x.powi(5)));
        prop_assert!(same32(Signed::abs_sub(&p, &q), num_traits::Signed::abs_sub(&x, &y)));
        prop_assert!(same32(p.copysign(q), x.copysign(y)));
        prop_assert_eq!(p.total_cmp(&q), x.total_cmp(&y));
        if !(x == 0.0 && y == 0.0) {
            prop_assert!(same32(Float::max(p, q), x.max(y)));
            prop_assert!(same32(Float::min(p, q), x.min(y)));
        }
        prop_assert_eq!(Float::classify(p), x.classify());
        prop_assert_eq!(Signed::is_negative(&p), x.is_sign_negative());
        let (m, e, s) = Float::integer_decode(p);
        if x.is_finite() {
            prop_assert_eq!((m as f64) * 2f64.powi(e as i32) * s as f64, x as f64);
        }
        // Exact widening F32 -> F64, and TryFrom back: Ok exactly when the native cast
        // round-trips.
        let w = F64::from(p);
        if !x.is_nan() {
            prop_assert_eq!(w.to_bits(), (x as f64).to_bits());
        }
        let d = f64::from_bits(u64::from(a) << 32 | u64::from(b));
        let t = F32::try_from(d);
        if !d.is_nan() {
            prop_assert_eq!(t.is_ok(), (d as f32) as f64 == d);
        }
        // TryFrom<F32> for F16 is Ok exactly when half's rounding round-trips.
        let h = half::f16::from_f32(x);
        if !x.is_nan() {
            prop_assert_eq!(F16::try_from(p).is_ok(), h.to_f32() == x, "{:#x}", a);
        }
    }

    #[test]
    fn with_operations_return_the_operator_value_and_the_format_flags(
        a in f32_specials(), b in f32_specials(), mode in 0usize..5
    ) {
        let mode = [
            RoundingMode::NearestEven,
            RoundingMode::NearestAway,
            RoundingMode::TowardZero,
            RoundingMode::TowardPositive,
            RoundingMode::TowardNegative,
        ][mode];
        let env = FloatEnv::new(mode);
        let (p, q) = (F32::from_bits(a), F32::from_bits(b));
        let f = F32::FORMAT;
        let (x, y) = (u64::from(a), u64::from(b));
        for (got, want) in [
            (p.add_with(q, &env), f.add(x, y, &env)),
            (p.sub_with(q, &env), f.sub(x, y, &env)),
            (p.mul_with(q, &env), f.mul(x, y, &env)),
            (p.div_with(q, &env), f.div(x, y, &env)),
            (p.rem_with(q, &env), f.fmod(x, y, &env)),
            (p.sqrt_with(&env), f.sqrt(x, &env)),
            (p.mul_add_with(q, p, &env), f.fma(x, y, x, &env)),
        ] {
            prop_assert_eq!((got.value.to_bits_u64(), got.flags), (want.value, want.flags));
        }
        let n = F32::from_bits(a);
        let nearest = FloatEnv::default();
        prop_assert!(same32(n.add_with(q, &nearest).value, f32::from_bits(a) + f32::from_bits(b)));
        let narrowed = p.convert_with::<F16>(&env);
        let want = f.convert(x, F16::FORMAT, &env);
        prop_assert_eq!((u64::from(narrowed.value.to_bits()), narrowed.flags), (want.value, want.flags));
    }
}

#[test]
fn directed_rounding_and_flags_without_u64() {
    let up = FloatEnv::new(RoundingMode::TowardPositive);
    let down = FloatEnv::new(RoundingMode::TowardNegative);
    let third = F16::ONE.div_with(F16::from_f64(3.0), &up);
    assert_eq!(third.flags, Flags::INEXACT);
    let lower = F16::ONE.div_with(F16::from_f64(3.0), &down);
    assert_eq!(third.value, lower.value.next_up());
    let r = F8E4M3::from_f32_with(1000.0, &FloatEnv::default());
    assert!(r.value.is_nan());
    assert!(r.flags.contains(Flags::OVERFLOW));
    let r = F8E5M2::ONE.div_with(F8E5M2::ZERO, &FloatEnv::default());
    assert_eq!((r.value, r.flags), (F8E5M2::INFINITY, Flags::DIV_BY_ZERO));
}

/// `FloatCore` for the formats without infinities: `infinity()` is the NaN, never infinite,
/// and every value's class agrees with the inherent predicates.
fn check_float_core_without_infinity<T>()
where
    T: TypedFloat + FloatCore + std::fmt::Debug,
{
    let f = T::FORMAT;
    assert!(f.infinity_bits().is_none());
    assert!(T::infinity().is_nan() && T::neg_infinity().is_nan());
    assert_eq!(T::max_value().partial_cmp(&T::infinity()), None);
    assert_eq!(
        T::neg_zero().to_bits_u64(),
        f.zero_bits(true),
        "neg_zero of {f}"
    );
    for b in 0..256u64 {
        let x = T::from_bits_u64(b);
        assert!(!x.is_infinite());
        assert_eq!(x.is_nan(), f.is_nan(b));
        assert_eq!(
            x.classify() == std::num::FpCategory::Nan,
            f.is_nan(b),
            "{f} {b:#x}"
        );
        assert_eq!(x.is_finite(), !f.is_nan(b));
        if !x.is_nan() {
            // NaN loses in max/min, as for f32.
            assert_eq!(FloatCore::max(x, T::nan()).to_bits_u64(), b);
            assert_eq!(FloatCore::min(T::nan(), x).to_bits_u64(), b);
            assert_eq!(
                x.signum().to_f64_lossy(),
                if x.is_sign_negative() { -1.0 } else { 1.0 }
            );
        }
    }
}

trait Lossy {
    fn to_f64_lossy(self) -> f64;
}
impl<T: TypedFloat> Lossy for T {
    fn to_f64_lossy(self) -> f64 {
        T::FORMAT.bits_to_f64(self.to_bits_u64())
    }
}

#[test]
fn float_core_without_infinities() {
    check_float_core_without_infinity::<F8E4M3>();
    check_float_core_without_infinity::<F8E4M3Fnuz>();
    check_float_core_without_infinity::<F8E5M2Fnuz>();
    assert_eq!(<F8E4M3 as FloatCore>::infinity().to_bits(), 0x7F);
    assert_eq!(<F8E4M3 as FloatCore>::neg_infinity().to_bits(), 0xFF);
    assert_eq!(<F8E4M3Fnuz as FloatCore>::infinity().to_bits(), 0x80);
    assert_eq!(<F8E4M3Fnuz as FloatCore>::neg_zero().to_bits(), 0x00);
}

#[test]
fn float_trait_constants_for_ieee_types() {
    fn consts<T: Float + TypedFloat>() {
        assert!(T::infinity().is_infinite() && T::infinity() > T::max_value());
        assert!(T::neg_zero().is_sign_negative() && T::neg_zero() == T::zero());
        assert_eq!(
            T::epsilon().to_f64_lossy(),
            2f64.powi(-(T::FORMAT.man_bits() as i32))
        );
        assert!((T::one() + T::epsilon()) > T::one());
        assert!(T::nan().is_nan());
    }
    consts::<F64>();
    consts::<F32>();
    consts::<F16>();
    consts::<Bf16>();
    consts::<F8E5M2>();
}

/// Regression: `Float::powf(1, sNaN)` on `F32` quieted the NaN on the way into `f32` (a
/// conversion), so libm saw a quiet NaN and returned 1 where std's `powf` returns NaN. F32
/// and F64 now hand their bits to std unchanged.
#[test]
fn f32_transcendentals_see_signalling_nans_as_std_does() {
    let (one, snan) = (1.0f32, f32::from_bits(0xFF80_0001));
    let native = one.powf(std::hint::black_box(snan));
    let ours = Float::powf(F32::ONE, F32::from_bits(0xFF80_0001));
    assert_eq!(ours.is_nan(), native.is_nan());
    if !native.is_nan() {
        assert_eq!(ours.to_bits(), native.to_bits());
    }
    let s = f64::from_bits(0x7FF0_0000_0000_0001);
    let native = s.sin();
    let ours = Float::sin(F64::from_bits(0x7FF0_0000_0000_0001));
    assert_eq!(ours.to_bits(), native.to_bits());
}
