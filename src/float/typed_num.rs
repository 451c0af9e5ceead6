//! num-traits for the typed values: `Zero`, `One`, `Num`, `Bounded`, `ToPrimitive`,
//! `FromPrimitive`, `NumCast` and `FloatCore` for all of them (`Float`, `Signed` and `MulAdd`
//! are in `typed_float.rs`). Each method delegates to an inherent method or a
//! [`FloatFormat`] method.
//!
//! Formats without infinities (`F8E4M3`, `F8E4M3Fnuz`, `F8E5M2Fnuz`): `FloatCore::infinity()`
//! and `neg_infinity()` return the format's NaN (positive and negative NaN for E4M3, the one
//! NaN 0x80 for FNUZ), which is what an overflowing operation returns under the default
//! environment (OCP non-saturating), so `is_infinite()` is false for every value and
//! `x < T::infinity()` is false too — generic code that uses infinity as a sentinel for
//! "larger than everything" must use `max_value()` with these types. FNUZ formats have no
//! −0: `neg_zero()` returns +0.

use std::num::FpCategory;

use num_traits::float::FloatCore;
use num_traits::{Bounded, FromPrimitive, Num, NumCast, One, ToPrimitive, Zero};

use super::classify::FloatClass;
use super::env::FloatEnv;
use super::format::FloatFormat;
use super::typed::{Bf16, F8E4M3, F8E4M3Fnuz, F8E5M2, F8E5M2Fnuz, F16, F32, F64};
use super::typed_macros::{constant_methods, core_methods, for_each_typed_float, inherent_methods};
use crate::round::RoundingMode;

const ENV: FloatEnv = FloatEnv::new(RoundingMode::NearestEven);

/// The integer `x` (sign and magnitude) rounded to nearest into `format`: exact integers go
/// straight into the one normalize-and-round step, with no detour through `f64`.
fn from_integer(format: FloatFormat, negative: bool, magnitude: u128) -> u64 {
    format.round_pack(negative, magnitude, 0, false, &ENV).value
}

macro_rules! num_traits_for {
    ($($name:ident: $bits:ty),*) => {$(
        impl Zero for $name {
            #[inline]
            fn zero() -> $name {
                $name::ZERO
            }
            /// True for +0 and −0.
            #[inline]
            fn is_zero(&self) -> bool {
                $name::FORMAT.is_zero(self.to_bits() as u64)
            }
        }

        impl One for $name {
            #[inline]
            fn one() -> $name {
                $name::ONE
            }
        }

        impl Num for $name {
            type FromStrRadixErr = crate::Error;
            /// Radix 10 reads a decimal or hex-float literal (see
            /// [`FloatFormat::parse`]); other radixes are an error.
            fn from_str_radix(s: &str, radix: u32) -> crate::Result<$name> {
                if radix != 10 {
                    return Err(crate::Error::param("radix", radix, "only radix 10 is supported for floats"));
                }
                s.parse()
            }
        }

        impl Bounded for $name {
            #[inline]
            fn min_value() -> $name {
                $name::MIN
            }
            #[inline]
            fn max_value() -> $name {
                $name::MAX
            }
        }

        impl ToPrimitive for $name {
            // f64 holds every value of these formats exactly, so its truncating conversions
            // are the right ones.
            #[inline]
            fn to_i64(&self) -> Option<i64> {
                ToPrimitive::to_i64(&$name::to_f64(*self))
            }
            #[inline]
            fn to_u64(&self) -> Option<u64> {
                ToPrimitive::to_u64(&$name::to_f64(*self))
            }
            #[inline]
            fn to_i128(&self) -> Option<i128> {
                ToPrimitive::to_i128(&$name::to_f64(*self))
            }
            #[inline]
            fn to_u128(&self) -> Option<u128> {
                ToPrimitive::to_u128(&$name::to_f64(*self))
            }
            #[inline]
            fn to_f32(&self) -> Option<f32> {
                Some($name::to_f32(*self))
            }
            #[inline]
            fn to_f64(&self) -> Option<f64> {
                Some($name::to_f64(*self))
            }
        }

        impl FromPrimitive for $name {
            #[inline]
            fn from_i64(n: i64) -> Option<$name> {
                Some($name::from_bits(from_integer($name::FORMAT, n < 0, n.unsigned_abs() as u128) as $bits))
            }
            #[inline]
            fn from_u64(n: u64) -> Option<$name> {
                Some($name::from_bits(from_integer($name::FORMAT, false, n as u128) as $bits))
            }
            #[inline]
            fn from_i128(n: i128) -> Option<$name> {
                Some($name::from_bits(from_integer($name::FORMAT, n < 0, n.unsigned_abs()) as $bits))
            }
            #[inline]
            fn from_u128(n: u128) -> Option<$name> {
                Some($name::from_bits(from_integer($name::FORMAT, false, n) as $bits))
            }
            #[inline]
            fn from_f32(n: f32) -> Option<$name> {
                Some($name::from_f32(n))
            }
            #[inline]
            fn from_f64(n: f64) -> Option<$name> {
                Some($name::from_f64(n))
            }
        }

        impl NumCast for $name {
            /// Rounds once to nearest: integers beyond 2^53 go through `i128`/`u128`
            /// exactly, everything else through its exact `f64` value.
            fn from<T: ToPrimitive>(n: T) -> Option<$name> {
                let x = n.to_f64()?;
                if x.fract() == 0.0 && x.abs() >= 9_007_199_254_740_992.0 {
                    if let Some(i) = n.to_i128() {
                        return <$name as FromPrimitive>::from_i128(i);
                    }
                    if let Some(u) = n.to_u128() {
                        return <$name as FromPrimitive>::from_u128(u);
                    }
                }
                Some($name::from_f64(x))
            }
        }
    )*};
}

for_each_typed_float!(num_traits_for);

macro_rules! float_core_for {
    ($($name:ident: $bits:ty),*) => {$(
        impl FloatCore for $name {
            #[inline]
            /// +∞, or the NaN in a format without infinities (see the module docs).
            fn infinity() -> $name {
                match $name::FORMAT.infinity_bits() {
                    Some(bits) => $name::from_bits(bits as $bits),
                    None => $name::from_bits(
                        $name::FORMAT.default_nan(super::env::NanPolicy::RiscV) as $bits,
                    ),
                }
            }
            /// −∞, or the (negative) NaN in a format without infinities.
            #[inline]
            fn neg_infinity() -> $name {
                -Self::infinity()
            }
            #[inline]
            fn neg_zero() -> $name {
                -$name::ZERO
            }
            core_methods!($name);
            fn classify(self) -> FpCategory {
                match $name::classify(self) {
                    FloatClass::SignalingNan | FloatClass::QuietNan => FpCategory::Nan,
                    FloatClass::NegativeInfinity | FloatClass::PositiveInfinity => FpCategory::Infinite,
                    FloatClass::NegativeNormal | FloatClass::PositiveNormal => FpCategory::Normal,
                    FloatClass::NegativeSubnormal | FloatClass::PositiveSubnormal => FpCategory::Subnormal,
                    FloatClass::NegativeZero | FloatClass::PositiveZero => FpCategory::Zero,
                }
            }
            /// Multiplies by 180/π rounded into the format.
            fn to_degrees(self) -> $name {
                self * $name::from_f64(180.0 / std::f64::consts::PI)
            }
            /// Multiplies by π/180 rounded into the format.
            fn to_radians(self) -> $name {
                self * $name::from_f64(std::f64::consts::PI / 180.0)
            }
            /// `(significand, exponent, sign)` with value `sign · significand · 2^exponent`
            /// (significand with the hidden bit; zero, infinities and NaN as unpacked).
            fn integer_decode(self) -> (u64, i16, i8) {
                let u = $name::FORMAT.unpack(self.to_bits() as u64);
                (u.significand, u.exponent as i16, if u.negative { -1 } else { 1 })
            }
        }
    )*};
}

for_each_typed_float!(float_core_for);
