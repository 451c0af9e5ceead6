//! `num_traits::Float` for the typed values whose format has infinities and a signed zero
//! (`F64`, `F32`, `F16`, `Bf16`, `F8E5M2`), and `Signed`, `MulAdd`, `MulAddAssign` for all of
//! them, as the `half` crate does for `f16`/`bf16`.
//!
//! Correctly rounded operations stay in the soft-float, bit-exact in every format: the
//! arithmetic, `mul_add` (fused), `sqrt`, `recip`, `floor`/`ceil`/`round`/`trunc`, `fract`,
//! `abs`, `signum`, `copysign`, `max`/`min` (IEEE `maximumNumber`/`minimumNumber`: a NaN
//! operand loses), `abs_sub`.
//!
//! The transcendental functions (`exp`, `ln`, `sin`, `powf`, `powi`, `hypot`, …) have no
//! soft-float implementation here. They run in a wider native type and are rounded once into
//! the format, to nearest even:
//!
//! - `F64` and `F32` hand their bits to `f64` and `f32` unchanged and take the result's bits
//!   back, so they return bit for bit what std returns (the platform's libm, which is not
//!   always correctly rounded);
//! - `F16`, `Bf16` and `F8E5M2` go through `f32`, as `half` does, and return bit for bit what
//!   `half::f16`/`half::bf16` return. Caveat — double rounding: libm's `f32` result is itself
//!   rounded (and may be up to about an `f32` ulp off); rounding it again into 11, 8 or 3
//!   significant bits is correct except when the exact result lies within that error of a
//!   halfway point of the narrow format, where the result can be one unit in the last place
//!   away from the correctly rounded one. Such inputs are rare (a fraction of about 2^-13 of
//!   them for FP16); for a bit-exact reference use the correctly rounded operations above.
//!
//! `F8E4M3` and the FNUZ types have no infinities (and FNUZ no −0), so they are
//! [`FloatCore`](num_traits::float::FloatCore) but not `Float` (see `typed_num.rs`).

use std::num::FpCategory;

use num_traits::float::FloatCore;
use num_traits::{Float, MulAdd, MulAddAssign, Signed};

use super::env::FloatEnv;
use super::typed::{Bf16, F8E4M3, F8E4M3Fnuz, F8E5M2, F8E5M2Fnuz, F16, F32, F64};
use super::typed_macros::{constant_methods, core_methods, for_each_typed_float, inherent_methods};
use crate::round::RoundingMode;

const ENV: FloatEnv = FloatEnv::new(RoundingMode::NearestEven);

macro_rules! signed_mul_add {
    ($($name:ident: $bits:ty),*) => {$(
        impl Signed for $name {
            /// Clears the sign bit.
            #[inline]
            fn abs(&self) -> $name {
                $name::abs(*self)
            }
            /// `self − other` if positive, else +0 (NaN if either is NaN).
            #[inline]
            fn abs_sub(&self, other: &$name) -> $name {
                if self.is_nan() {
                    *self
                } else if other.is_nan() {
                    *other
                } else if *self <= *other {
                    $name::ZERO
                } else {
                    *self - *other
                }
            }
            /// ±1 with the sign of `self` (±0 give ±1); NaN stays NaN.
            #[inline]
            fn signum(&self) -> $name {
                $name::signum(*self)
            }
            /// The sign bit is clear (true for +0 and positive NaNs, as for `f32`).
            #[inline]
            fn is_positive(&self) -> bool {
                $name::is_sign_positive(*self)
            }
            /// The sign bit is set (true for −0 and negative NaNs, as for `f32`).
            #[inline]
            fn is_negative(&self) -> bool {
                $name::is_sign_negative(*self)
            }
        }

        impl MulAdd for $name {
            type Output = $name;
            /// `self × a + b`, fused (one rounding).
            #[inline]
            fn mul_add(self, a: $name, b: $name) -> $name {
                $name::mul_add(self, a, b)
            }
        }

        impl MulAddAssign for $name {
            /// `*self = *self × a + b`, fused (one rounding).
            #[inline]
            fn mul_add_assign(&mut self, a: $name, b: $name) {
                *self = $name::mul_add(*self, a, b);
            }
        }
    )*};
}

for_each_typed_float!(signed_mul_add);

/// `Float` for a type; `$wide` is the native type the transcendentals run in, `$to`/`$from`
/// the exact widening into it and the rounding back.
/// `Float` methods computed in the wider native type and rounded once into this format
/// (`fn exp(self) -> F16 { self.through_wide(|x| x.exp()) }`).
macro_rules! through_wide {
    ($name:ident: $($f:ident),* $(,)?) => {$(
        #[inline]
        fn $f(self) -> $name {
            self.through_wide(|x| x.$f())
        }
    )*};
}

/// The same for methods of two operands (`x.hypot(y)`).
macro_rules! through_wide2 {
    ($name:ident: $($f:ident),* $(,)?) => {$(
        #[inline]
        fn $f(self, other: $name) -> $name {
            self.through_wide2(other, |x, y| x.$f(y))
        }
    )*};
}

macro_rules! float_for {
    ($($name:ident: $bits:ty, $wide:ty, $to:expr, $from:expr);* $(;)?) => {$(
        impl $name {
            /// `f` of the value in the wider native type, rounded once into this format.
            #[inline]
            fn through_wide(self, f: impl FnOnce($wide) -> $wide) -> $name {
                let (to, from): (fn($name) -> $wide, fn($wide) -> $name) = ($to, $from);
                from(f(to(self)))
            }

            #[inline]
            fn through_wide2(self, other: $name, f: impl FnOnce($wide, $wide) -> $wide) -> $name {
                let (to, from): (fn($name) -> $wide, fn($wide) -> $name) = ($to, $from);
                from(f(to(self), to(other)))
            }
        }

        impl Float for $name {
            core_methods!($name);
            constant_methods!($name:
                infinity = INFINITY,
                neg_infinity = NEG_INFINITY,
                neg_zero = NEG_ZERO,
            );
            inherent_methods!($name: is_subnormal -> bool, signum -> $name);
            // Through the wider native type with one final rounding (see the module docs).
            through_wide!($name:
                exp, exp2, ln, log2, log10, cbrt, sin, cos, tan, asin, acos, atan, exp_m1,
                ln_1p, sinh, cosh, tanh, asinh, acosh, atanh,
            );
            through_wide2!($name: log, hypot, atan2);
            #[inline]
            fn classify(self) -> FpCategory {
                FloatCore::classify(self)
            }
            /// `self − trunc(self)`, exact (NaN for ±∞ and NaN).
            #[inline]
            fn fract(self) -> $name {
                self - $name::trunc(self)
            }
            /// Fused: one rounding.
            #[inline]
            fn mul_add(self, a: $name, b: $name) -> $name {
                $name::mul_add(self, a, b)
            }
            /// `1 / self`, correctly rounded.
            #[inline]
            fn recip(self) -> $name {
                $name::ONE / self
            }
            /// Through the wider native type (see the module docs).
            #[inline]
            fn powi(self, n: i32) -> $name {
                self.through_wide(|x| x.powi(n))
            }
            /// Through the wider native type (see the module docs).
            #[inline]
            fn powf(self, n: $name) -> $name {
                self.through_wide2(n, |x, n| x.powf(n))
            }
            /// Correctly rounded.
            #[inline]
            fn sqrt(self) -> $name {
                $name::sqrt(self)
            }
            #[inline]
            fn to_degrees(self) -> $name {
                FloatCore::to_degrees(self)
            }
            #[inline]
            fn to_radians(self) -> $name {
                FloatCore::to_radians(self)
            }
            /// IEEE `maximumNumber`: a NaN operand loses; +0 > −0.
            #[inline]
            fn max(self, other: $name) -> $name {
                $name::from_bits(
                    $name::FORMAT
                        .maximum_number(self.to_bits() as u64, other.to_bits() as u64, &ENV)
                        .value as $bits,
                )
            }
            /// IEEE `minimumNumber`: a NaN operand loses; −0 < +0.
            #[inline]
            fn min(self, other: $name) -> $name {
                $name::from_bits(
                    $name::FORMAT
                        .minimum_number(self.to_bits() as u64, other.to_bits() as u64, &ENV)
                        .value as $bits,
                )
            }
            #[inline]
            fn abs_sub(self, other: $name) -> $name {
                Signed::abs_sub(&self, &other)
            }
            #[inline]
            fn sin_cos(self) -> ($name, $name) {
                (Float::sin(self), Float::cos(self))
            }
            #[inline]
            fn integer_decode(self) -> (u64, i16, i8) {
                FloatCore::integer_decode(self)
            }
            #[inline]
            fn copysign(self, sign: $name) -> $name {
                $name::copysign(self, sign)
            }
        }
    )*};
}

// F64 and F32 hand their bits to std unchanged (a conversion would quiet a signalling NaN);
// the narrower types widen exactly into f32 and round back to nearest even, as `half` does.
float_for! {
    F64: u64, f64, |x| f64::from_bits(x.to_bits()), |w| F64::from_bits(w.to_bits());
    F32: u32, f32, |x| f32::from_bits(x.to_bits()), |w| F32::from_bits(w.to_bits());
    F16: u16, f32, F16::to_f32, F16::from_f32;
    Bf16: u16, f32, Bf16::to_f32, Bf16::from_f32;
    F8E5M2: u8, f32, F8E5M2::to_f32, F8E5M2::from_f32;
}
