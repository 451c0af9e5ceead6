//! Typed values: `F64`, `F32`, `F16`, `Bf16`, `F8E5M2`, `F8E4M3` as `#[repr(transparent)]`
//! newtypes over their bit patterns, with `std::ops` arithmetic rounded to nearest, ties to
//! even.
//!
//! Every operation delegates to the runtime-format method of [`FloatFormat`] with the type's
//! format as a constant (the same code path, specialised by the compiler; no copy of the
//! algorithm), under [`FloatEnv::default`] (x86 NaN policy), and drops the flags. To choose
//! a rounding mode or see the flags, use the typed `*_with` methods (`a.add_with(b, &env)`
//! returns a [`StatusAnd`](super::StatusAnd) of the typed value) or the format methods on
//! the bit patterns:
//!
//! ```
//! use arithsim::float::{FloatEnv, FloatFormat, F16};
//! use arithsim::round::{Flags, RoundingMode};
//!
//! let (a, b): (F16, F16) = ("0.1".parse()?, "0.2".parse()?);
//! assert_eq!((a + b).to_string(), "0.2998"); // 0.2998046875, not 0.3 (0.300048828125)
//! let up = FloatEnv::new(RoundingMode::TowardPositive);
//! let r = F16::FORMAT.add(a.to_bits() as u64, b.to_bits() as u64, &up);
//! assert_eq!((F16::from_bits(r.value as u16).to_string(), r.flags), ("0.3".into(), Flags::INEXACT));
//! # Ok::<(), arithsim::Error>(())
//! ```

use std::cmp::Ordering;
use std::fmt;
use std::ops::{
    Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Rem, RemAssign, Sub, SubAssign,
};
use std::str::FromStr;

use super::env::FloatEnv;
use super::format::FloatFormat;
use crate::round::RoundingMode;

/// Round to nearest, ties to even, default NaN policy: what the typed operators use.
const ENV: FloatEnv = FloatEnv::new(RoundingMode::NearestEven);

/// Defines one typed float. Written once so that every type gets the same, greppable set of
/// items; each item is a one-line delegation to a [`FloatFormat`] method.
macro_rules! typed_float {
    ($(#[$doc:meta])* $name:ident, $bits:ty, $format:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Default)]
        #[repr(transparent)]
        pub struct $name($bits);

        impl $name {
            /// The runtime format of this type.
            pub const FORMAT: FloatFormat = $format;
            /// +0.
            pub const ZERO: $name = $name(0);
            /// 1.
            pub const ONE: $name = $name($format.one_bits() as $bits);
            /// The largest finite value.
            pub const MAX: $name = $name($format.max_finite_bits() as $bits);
            /// The most negative finite value (−[`Self::MAX`]).
            pub const MIN: $name = $name(($format.max_finite_bits() | $format.sign_bit()) as $bits);
            /// The smallest positive normal value.
            pub const MIN_POSITIVE: $name = $name($format.min_normal_bits() as $bits);
            /// The smallest positive subnormal value.
            pub const MIN_POSITIVE_SUBNORMAL: $name = $name($format.min_subnormal_bits() as $bits);
            /// The distance from 1 to the next larger value, 2^−man_bits.
            pub const EPSILON: $name = $name(
                ((($format.bias() - $format.man_bits() as i32) as u64) << $format.man_bits()) as $bits,
            );
            /// The default NaN of an invalid operation (x86 policy).
            pub const NAN: $name = $name($format.default_nan(super::env::NanPolicy::X86) as $bits);

            /// The value with bit pattern `bits`.
            #[inline]
            #[must_use]
            pub const fn from_bits(bits: $bits) -> $name {
                $name(bits)
            }

            /// The bit pattern.
            #[inline]
            #[must_use]
            pub const fn to_bits(self) -> $bits {
                self.0
            }

            #[inline]
            fn raw(self) -> u64 {
                self.0 as u64
            }

            #[inline]
            fn wrap(bits: u64) -> $name {
                $name(bits as $bits)
            }

            /// `x` rounded to nearest, ties to even.
            #[inline]
            #[must_use]
            pub fn from_f64(x: f64) -> $name {
                Self::wrap(Self::FORMAT.from_f64(x, &ENV).value)
            }

            /// `x` rounded to nearest, ties to even.
            #[inline]
            #[must_use]
            pub fn from_f32(x: f32) -> $name {
                Self::wrap(Self::FORMAT.from_f32(x, &ENV).value)
            }

            /// The value as an `f64` (exact).
            #[inline]
            #[must_use]
            pub fn to_f64(self) -> f64 {
                Self::FORMAT.to_f64(self.raw(), &ENV).value
            }

            /// The value as an `f32` (exact except for `F64`, which rounds to nearest).
            #[inline]
            #[must_use]
            pub fn to_f32(self) -> f32 {
                Self::FORMAT.to_f32(self.raw(), &ENV).value
            }

            /// `self * a + b` with a single rounding.
            #[inline]
            #[must_use]
            pub fn mul_add(self, a: $name, b: $name) -> $name {
                Self::wrap(Self::FORMAT.fma(self.raw(), a.raw(), b.raw(), &ENV).value)
            }

            /// The square root, correctly rounded.
            #[inline]
            #[must_use]
            pub fn sqrt(self) -> $name {
                Self::wrap(Self::FORMAT.sqrt(self.raw(), &ENV).value)
            }

            /// Rounded to an integral value in `mode` (the IEEE `roundToIntegral`).
            #[inline]
            #[must_use]
            pub fn round_to_integral(self, mode: RoundingMode) -> $name {
                Self::wrap(Self::FORMAT.round_to_integral(self.raw(), &FloatEnv::new(mode)).value)
            }

            /// The largest integral value not above `self`.
            #[inline]
            #[must_use]
            pub fn floor(self) -> $name {
                self.round_to_integral(RoundingMode::TowardNegative)
            }

            /// The smallest integral value not below `self`.
            #[inline]
            #[must_use]
            pub fn ceil(self) -> $name {
                self.round_to_integral(RoundingMode::TowardPositive)
            }

            /// The integral part (rounded toward zero).
            #[inline]
            #[must_use]
            pub fn trunc(self) -> $name {
                self.round_to_integral(RoundingMode::TowardZero)
            }

            /// The nearest integral value, halfway cases away from zero (like `f32::round`).
            #[inline]
            #[must_use]
            pub fn round(self) -> $name {
                self.round_to_integral(RoundingMode::NearestAway)
            }

            /// NaN.
            #[inline]
            pub fn is_nan(self) -> bool {
                Self::FORMAT.is_nan(self.raw())
            }

            /// ±∞.
            #[inline]
            pub fn is_infinite(self) -> bool {
                Self::FORMAT.is_infinite(self.raw())
            }

            /// Neither infinite nor NaN.
            #[inline]
            pub fn is_finite(self) -> bool {
                Self::FORMAT.is_finite(self.raw())
            }

            /// Normal (not zero, subnormal, infinite or NaN).
            #[inline]
            pub fn is_normal(self) -> bool {
                Self::FORMAT.is_normal(self.raw())
            }

            /// The sign bit is set (also for −0 and negative NaNs).
            #[inline]
            pub fn is_sign_negative(self) -> bool {
                Self::FORMAT.is_sign_negative(self.raw())
            }

            /// The sign bit is clear.
            #[inline]
            pub fn is_sign_positive(self) -> bool {
                !self.is_sign_negative()
            }

            /// The IEEE class of the value.
            #[inline]
            pub fn classify(self) -> super::classify::FloatClass {
                Self::FORMAT.classify(self.raw())
            }

            /// The absolute value (clears the sign bit).
            #[inline]
            #[must_use]
            pub fn abs(self) -> $name {
                Self::wrap(Self::FORMAT.abs(self.raw()))
            }

            /// The exact decimal value, every digit (`FloatFormat::exact_decimal` of the
            /// bits): what a student checks a hand conversion against, where `Display` may
            /// print a shorter decimal that only reads back to the same bits.
            #[must_use]
            pub fn exact_decimal(self) -> String {
                Self::FORMAT.exact_decimal(self.raw())
            }
        }

        impl Neg for $name {
            type Output = $name;
            /// Flips the sign bit (a pure bit operation, also for NaN).
            #[inline]
            fn neg(self) -> $name {
                Self::wrap(Self::FORMAT.neg(self.raw()))
            }
        }

        typed_float!(@binop $name, Add, add, AddAssign, add_assign, add);
        typed_float!(@binop $name, Sub, sub, SubAssign, sub_assign, sub);
        typed_float!(@binop $name, Mul, mul, MulAssign, mul_assign, mul);
        typed_float!(@binop $name, Div, div, DivAssign, div_assign, div);
        typed_float!(@binop $name, Rem, rem, RemAssign, rem_assign, fmod);

        impl PartialEq for $name {
            /// IEEE equality: NaN is unequal to everything, −0 == +0.
            #[inline]
            fn eq(&self, other: &$name) -> bool {
                self.partial_cmp(other) == Some(Ordering::Equal)
            }
        }

        impl PartialOrd for $name {
            /// IEEE ordering: `None` when either is NaN, −0 == +0.
            #[inline]
            fn partial_cmp(&self, other: &$name) -> Option<Ordering> {
                Self::FORMAT.compare(self.raw(), other.raw(), &ENV).value
            }
        }

        impl From<$name> for f64 {
            #[inline]
            fn from(x: $name) -> f64 {
                x.to_f64()
            }
        }

        impl FromStr for $name {
            type Err = crate::Error;
            /// A correctly rounded decimal or hex-float literal (see [`FloatFormat::parse`]).
            fn from_str(s: &str) -> crate::Result<$name> {
                Ok(Self::wrap(Self::FORMAT.parse(s, &ENV)?.value))
            }
        }

        impl fmt::Display for $name {
            /// The shortest decimal that parses back to the same bits (see
            /// [`FloatFormat::display`]); `{:.N}` rounds the exact value to N digits.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&Self::FORMAT.display(self.raw()), f)
            }
        }

        impl fmt::LowerExp for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::LowerExp::fmt(&Self::FORMAT.display(self.raw()), f)
            }
        }

        impl fmt::Debug for $name {
            /// The bit fields and the value, e.g. `F16(0 | 01111 | 1000000000  (...) = 1.5)`.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), Self::FORMAT.fields(self.raw()))
            }
        }
    };
    (@binop $name:ident, $tr:ident, $m:ident, $tra:ident, $ma:ident, $core:ident) => {
        impl $tr for $name {
            type Output = $name;
            #[inline]
            fn $m(self, rhs: $name) -> $name {
                Self::wrap(Self::FORMAT.$core(self.raw(), rhs.raw(), &ENV).value)
            }
        }

        impl $tra for $name {
            #[inline]
            fn $ma(&mut self, rhs: $name) {
                *self = $tr::$m(*self, rhs);
            }
        }
    };
}

typed_float!(
    /// IEEE 754 binary64 (FP64), bit-compatible with `f64`.
    ///
    /// ```
    /// use arithsim::float::F64;
    /// let x = F64::from(0.1) + F64::from(0.2);
    /// assert_eq!(x.to_bits(), (0.1f64 + 0.2).to_bits());
    /// ```
    F64, u64, FloatFormat::FP64
);
typed_float!(
    /// IEEE 754 binary32 (FP32), bit-compatible with `f32`.
    ///
    /// ```
    /// use arithsim::float::F32;
    /// let x = F32::from(0.1f32) * F32::from(3.0f32);
    /// assert_eq!(f32::from(x), 0.1f32 * 3.0);
    /// assert_eq!(x.to_string(), (0.1f32 * 3.0).to_string());
    /// ```
    F32, u32, FloatFormat::FP32
);
typed_float!(
    /// IEEE 754 binary16 (FP16, 1-5-10), bit-compatible with `half::f16`.
    ///
    /// ```
    /// use arithsim::float::F16;
    /// assert_eq!(F16::MAX.to_string(), "65504"); // exact: few digits (see `FloatDisplay`)
    /// assert_eq!(format!("{:#}", F16::MAX), "65500"); // shortest round trip
    /// assert_eq!(F16::MAX.to_f64(), 65504.0);
    /// let tenth: F16 = "0.1".parse()?;
    /// assert_eq!(tenth.to_string(), "0.1"); // shortest that reads back
    /// assert_eq!(tenth.exact_decimal(), "0.0999755859375"); // the value stored
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    F16, u16, FloatFormat::FP16
);
typed_float!(
    /// bfloat16 (1-8-7): FP32's range with 8 bits of precision, bit-compatible with
    /// `half::bf16`.
    ///
    /// ```
    /// use arithsim::float::Bf16;
    /// let x: Bf16 = "3.14159".parse()?;
    /// assert_eq!(x.to_bits(), 0x4049);
    /// assert_eq!(x.to_string(), "3.14");
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    Bf16, u16, FloatFormat::BF16
);
typed_float!(
    /// OCP FP8 E5M2 (1-5-2, IEEE-style infinities and NaNs), largest finite 57344.
    ///
    /// ```
    /// use arithsim::float::F8E5M2;
    /// assert_eq!(F8E5M2::MAX.to_f64(), 57344.0);
    /// assert!((F8E5M2::MAX + F8E5M2::MAX).is_infinite());
    /// ```
    F8E5M2, u8, FloatFormat::FP8_E5M2
);
typed_float!(
    /// OCP FP8 E4M3 (1-4-3, no infinities, NaN only at S.1111.111), largest finite 448.
    /// Overflow gives NaN under the default environment (the OCP non-saturating mode).
    ///
    /// ```
    /// use arithsim::float::F8E4M3;
    /// assert_eq!(F8E4M3::MAX.to_f64(), 448.0);
    /// assert!((F8E4M3::MAX + F8E4M3::MAX).is_nan());
    /// ```
    F8E4M3, u8, FloatFormat::FP8_E4M3
);
typed_float!(
    /// FP8 E4M3FNUZ (1-4-3, bias 8; AMD/Graphcore): no infinities, no −0, the one NaN is
    /// 0x80 (the pattern −0 would have); largest finite 240.
    ///
    /// ```
    /// use arithsim::float::F8E4M3Fnuz;
    /// assert_eq!(F8E4M3Fnuz::MAX.to_f64(), 240.0);
    /// assert_eq!(F8E4M3Fnuz::NAN.to_bits(), 0x80);
    /// assert_eq!((-F8E4M3Fnuz::ZERO).to_bits(), 0x00); // no −0
    /// ```
    F8E4M3Fnuz, u8, FloatFormat::FP8_E4M3FNUZ
);
typed_float!(
    /// FP8 E5M2FNUZ (1-5-2, bias 16; AMD/Graphcore): no infinities, no −0, the one NaN is
    /// 0x80; largest finite 57344.
    ///
    /// ```
    /// use arithsim::float::F8E5M2Fnuz;
    /// assert_eq!(F8E5M2Fnuz::MAX.to_f64(), 57344.0);
    /// assert!((F8E5M2Fnuz::MAX + F8E5M2Fnuz::MAX).is_nan());
    /// ```
    F8E5M2Fnuz, u8, FloatFormat::FP8_E5M2FNUZ
);

macro_rules! from_native {
    ($name:ident, $native:ty, $via:ident) => {
        impl From<$native> for $name {
            /// Exact: every value of the native type is a value of this one.
            #[inline]
            fn from(x: $native) -> $name {
                $name::$via(x)
            }
        }
    };
}

from_native!(F64, f64, from_f64);
from_native!(F64, f32, from_f32);
from_native!(F32, f32, from_f32);

macro_rules! to_f32 {
    ($($name:ident),*) => {$(
        impl From<$name> for f32 {
            /// Exact: every value fits an `f32`.
            #[inline]
            fn from(x: $name) -> f32 {
                x.to_f32()
            }
        }
    )*};
}

to_f32!(F32, F16, Bf16, F8E5M2, F8E4M3, F8E4M3Fnuz, F8E5M2Fnuz);

/// Exact widening conversions between typed values (every value of the narrower type is a
/// value of the wider one), through [`FloatFormat::convert`].
macro_rules! widen {
    ($($from:ident => $($to:ident),+);* $(;)?) => {$($(
        impl From<$from> for $to {
            /// Exact (NaNs stay NaN, quieted).
            #[inline]
            fn from(x: $from) -> $to {
                $to::wrap($from::FORMAT.convert(x.raw(), $to::FORMAT, &ENV).value)
            }
        }
    )+)*};
}

widen! {
    F32 => F64;
    F16 => F32, F64;
    Bf16 => F32, F64;
    F8E5M2 => F16, Bf16, F32, F64;
    F8E4M3 => F16, Bf16, F32, F64;
    F8E4M3Fnuz => F16, Bf16, F32, F64;
    F8E5M2Fnuz => F16, Bf16, F32, F64;
}
