//! The typed values' operations under an explicit environment, returning the value and the
//! IEEE flags together ([`StatusAnd`], rustc_apfloat's idea), without dropping to `u64`
//! patterns; conversions from `f32`/`f64` and between typed values under a chosen rounding;
//! and `TryFrom` for the narrowing conversions, which succeeds only when the value is
//! representable (no flag raised).
//!
//! The plain operators (`a + b`) are these same calls under round-to-nearest-even with the
//! flags dropped; each `*_with` method is one delegation to the [`FloatFormat`] method of the
//! same operation, so there is no second implementation.
//!
//! [`FloatFormat`]: super::FloatFormat

use super::env::FloatEnv;
use super::status::StatusAnd;
use super::typed::{Bf16, F8E4M3, F8E4M3Fnuz, F8E5M2, F8E5M2Fnuz, F16, F32, F64};
use super::typed_macros::for_each_typed_float;
use super::typed_trait::TypedFloat;
use crate::round::Flags;
use crate::{Error, Result};

macro_rules! status_ops {
    ($($name:ident: $bits:ty),*) => {$(
        impl $name {
            #[inline]
            fn wrap_status(r: StatusAnd<u64>) -> StatusAnd<$name> {
                r.map(|b| $name::from_bits(b as $bits))
            }

            /// `self + rhs` rounded under `env`, with the flags raised.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use arithsim::float::{FloatEnv, ", stringify!($name), "};")]
            /// use arithsim::round::{Flags, RoundingMode};
            ///
            #[doc = concat!("let (one, tiny) = (", stringify!($name), "::ONE, ", stringify!($name), "::MIN_POSITIVE_SUBNORMAL);")]
            /// let up = one.add_with(tiny, &FloatEnv::new(RoundingMode::TowardPositive));
            /// assert_eq!((up.value, up.flags), (one.next_up(), Flags::INEXACT));
            /// let nearest = one.add_with(tiny, &FloatEnv::default());
            /// assert_eq!((nearest.value, nearest.flags), (one, Flags::INEXACT));
            /// ```
            #[inline]
            pub fn add_with(self, rhs: $name, env: &FloatEnv) -> StatusAnd<$name> {
                $name::wrap_status($name::FORMAT.add(self.to_bits() as u64, rhs.to_bits() as u64, env))
            }

            /// `self − rhs` rounded under `env`, with the flags raised.
            #[inline]
            pub fn sub_with(self, rhs: $name, env: &FloatEnv) -> StatusAnd<$name> {
                $name::wrap_status($name::FORMAT.sub(self.to_bits() as u64, rhs.to_bits() as u64, env))
            }

            /// `self × rhs` rounded under `env`, with the flags raised.
            #[inline]
            pub fn mul_with(self, rhs: $name, env: &FloatEnv) -> StatusAnd<$name> {
                $name::wrap_status($name::FORMAT.mul(self.to_bits() as u64, rhs.to_bits() as u64, env))
            }

            /// `self / rhs` rounded under `env`, with the flags raised.
            #[inline]
            pub fn div_with(self, rhs: $name, env: &FloatEnv) -> StatusAnd<$name> {
                $name::wrap_status($name::FORMAT.div(self.to_bits() as u64, rhs.to_bits() as u64, env))
            }

            /// `self % rhs` (C `fmod`, the `%` operator: exact, the sign of `self`), with the
            /// flags raised (invalid for `x % 0` and `∞ % y`).
            #[inline]
            pub fn rem_with(self, rhs: $name, env: &FloatEnv) -> StatusAnd<$name> {
                $name::wrap_status($name::FORMAT.fmod(self.to_bits() as u64, rhs.to_bits() as u64, env))
            }

            /// The IEEE `remainder` (quotient rounded to nearest even; exact), with the flags.
            #[inline]
            pub fn remainder_with(self, rhs: $name, env: &FloatEnv) -> StatusAnd<$name> {
                $name::wrap_status(
                    $name::FORMAT.remainder(self.to_bits() as u64, rhs.to_bits() as u64, env),
                )
            }

            /// `self × a + b` with one rounding under `env`, with the flags raised.
            #[inline]
            pub fn mul_add_with(self, a: $name, b: $name, env: &FloatEnv) -> StatusAnd<$name> {
                $name::wrap_status($name::FORMAT.fma(
                    self.to_bits() as u64,
                    a.to_bits() as u64,
                    b.to_bits() as u64,
                    env,
                ))
            }

            /// The square root rounded under `env`, with the flags raised.
            #[inline]
            pub fn sqrt_with(self, env: &FloatEnv) -> StatusAnd<$name> {
                $name::wrap_status($name::FORMAT.sqrt(self.to_bits() as u64, env))
            }

            /// `x` rounded into this type under `env`, with the flags raised.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use arithsim::float::{FloatEnv, ", stringify!($name), "};")]
            /// use arithsim::round::RoundingMode;
            ///
            /// let down = FloatEnv::new(RoundingMode::TowardZero);
            #[doc = concat!("let r = ", stringify!($name), "::from_f64_with(1.0, &down);")]
            #[doc = concat!("assert_eq!(r.value, ", stringify!($name), "::ONE);")]
            /// assert!(r.flags.is_empty());
            /// ```
            #[inline]
            pub fn from_f64_with(x: f64, env: &FloatEnv) -> StatusAnd<$name> {
                $name::wrap_status($name::FORMAT.from_f64(x, env))
            }

            /// `x` rounded into this type under `env`, with the flags raised.
            #[inline]
            pub fn from_f32_with(x: f32, env: &FloatEnv) -> StatusAnd<$name> {
                $name::wrap_status($name::FORMAT.from_f32(x, env))
            }

            /// This value converted to the typed float `T`, rounded under `env`, with the
            /// flags raised (exact, with no flag, when `T` holds every value of `Self`).
            ///
            /// # Examples
            ///
            /// ```
            /// use arithsim::float::{FloatEnv, OverflowPolicy, F16, F8E4M3};
            /// use arithsim::round::Flags;
            ///
            /// let x = F16::from_f64(1000.0);
            /// let nan = x.convert_with::<F8E4M3>(&FloatEnv::default());
            /// assert!(nan.value.is_nan()); // OCP non-saturating: overflow gives NaN
            /// let sat = FloatEnv::default().with_overflow(OverflowPolicy::Saturate);
            /// let r = x.convert_with::<F8E4M3>(&sat);
            /// assert_eq!((r.value, r.flags), (F8E4M3::MAX, Flags::OVERFLOW | Flags::INEXACT));
            /// ```
            #[inline]
            pub fn convert_with<T: TypedFloat>(self, env: &FloatEnv) -> StatusAnd<T> {
                $name::FORMAT
                    .convert(self.to_bits() as u64, T::FORMAT, env)
                    .map(T::from_bits_u64)
            }
        }
    )*};
}

for_each_typed_float!(status_ops);

/// The value of a conversion that raised no flag, else an error naming the value, the
/// target format and the flags.
fn exact<T: TypedFloat>(r: StatusAnd<T>, shown: impl ToString) -> Result<T> {
    if r.flags == Flags::empty() {
        Ok(r.value)
    } else {
        Err(Error::param(
            "value",
            shown,
            format!(
                "is not exactly representable in {} ({})",
                T::FORMAT,
                r.flags
            ),
        ))
    }
}

/// `TryFrom<native>`: exact values convert, anything that would round, overflow or is a
/// signalling NaN is an error (use `from_f64` or `from_f64_with` to round).
macro_rules! try_from_native {
    ($native:ty, $via:ident => $($to:ident),*) => {$(
        impl TryFrom<$native> for $to {
            type Error = Error;
            /// The value if it is representable (NaN converts to NaN), else
            /// [`Error::InvalidParameter`] naming the flags the rounding would raise.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use arithsim::float::", stringify!($to), ";")]
            #[doc = concat!("assert_eq!(", stringify!($to), "::try_from(1.5 as ", stringify!($native), ")?.to_f64(), 1.5);")]
            #[doc = concat!("assert!(", stringify!($to), "::try_from(0.1 as ", stringify!($native), ").is_err());")]
            /// # Ok::<(), arithsim::Error>(())
            /// ```
            fn try_from(x: $native) -> Result<$to> {
                exact($to::$via(x, &FloatEnv::default()), x)
            }
        }
    )*};
}

try_from_native!(f64, from_f64_with => F32, F16, Bf16, F8E5M2, F8E4M3, F8E4M3Fnuz, F8E5M2Fnuz);
try_from_native!(f32, from_f32_with => F16, Bf16, F8E5M2, F8E4M3, F8E4M3Fnuz, F8E5M2Fnuz);

/// `TryFrom` between typed values where `From` (exact widening) does not exist.
macro_rules! try_narrow {
    ($($from:ident => $($to:ident),+);* $(;)?) => {$($(
        impl TryFrom<$from> for $to {
            type Error = Error;
            /// The value if it is representable in the target (NaN converts to NaN), else
            /// [`Error::InvalidParameter`] naming the flags the rounding would raise; use
            /// [`convert_with`](Self::convert_with) to round instead.
            fn try_from(x: $from) -> Result<$to> {
                exact(x.convert_with::<$to>(&FloatEnv::default()), x.to_f64())
            }
        }
    )+)*};
}

try_narrow! {
    F64 => F32, F16, Bf16, F8E5M2, F8E4M3, F8E4M3Fnuz, F8E5M2Fnuz;
    F32 => F16, Bf16, F8E5M2, F8E4M3, F8E4M3Fnuz, F8E5M2Fnuz;
    F16 => Bf16, F8E5M2, F8E4M3, F8E4M3Fnuz, F8E5M2Fnuz;
    Bf16 => F16, F8E5M2, F8E4M3, F8E4M3Fnuz, F8E5M2Fnuz;
    F8E5M2 => F8E4M3, F8E4M3Fnuz, F8E5M2Fnuz;
    F8E4M3 => F8E5M2, F8E4M3Fnuz, F8E5M2Fnuz;
    F8E4M3Fnuz => F8E5M2, F8E4M3, F8E5M2Fnuz;
    F8E5M2Fnuz => F8E5M2, F8E4M3, F8E4M3Fnuz;
}
