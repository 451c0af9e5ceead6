//! Sign and order operations of the typed values that work on the bit pattern (IEEE
//! `totalOrder`, `copySign`, std's `signum`, `nextUp`/`nextDown`), and `{:x}`, `{:X}`,
//! `{:b}`, `{:o}` of the bit pattern, with the usual flags (`{:#06x}`, `{:016b}`).

use std::cmp::Ordering;
use std::fmt;

use super::env::FloatEnv;
use super::typed::{Bf16, F8E4M3, F8E4M3Fnuz, F8E5M2, F8E5M2Fnuz, F16, F32, F64};
use super::typed_macros::for_each_typed_float;
use crate::round::RoundingMode;

const ENV: FloatEnv = FloatEnv::new(RoundingMode::NearestEven);

macro_rules! bit_ops {
    ($($name:ident: $bits:ty),*) => {$(
        impl $name {
            /// IEEE 754 `totalOrder` (as `f32::total_cmp`): −NaN < −∞ < … < −0 < +0 < … <
            /// +∞ < +NaN, every bit pattern in its place (FNUZ's single NaN sorts last).
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use arithsim::float::", stringify!($name), ";")]
            /// use std::cmp::Ordering;
            #[doc = concat!("let (lo, hi) = (", stringify!($name), "::MIN, ", stringify!($name), "::MAX);")]
            /// assert_eq!(lo.total_cmp(&hi), Ordering::Less);
            /// ```
            #[inline]
            #[must_use]
            pub fn total_cmp(&self, other: &$name) -> Ordering {
                $name::FORMAT.total_order(self.to_bits() as u64, other.to_bits() as u64)
            }

            /// `self` with the sign of `sign` (a bit operation, also for NaN). In FNUZ formats
            /// 0 and the NaN keep their pattern.
            #[inline]
            #[must_use]
            pub fn copysign(self, sign: $name) -> $name {
                $name::from_bits(
                    $name::FORMAT.copysign(self.to_bits() as u64, sign.to_bits() as u64) as $bits,
                )
            }

            /// 1 with the sign of `self` (so ±0 gives ±1, as `f32::signum`); a NaN is
            /// returned unchanged.
            #[inline]
            #[must_use]
            pub fn signum(self) -> $name {
                if self.is_nan() {
                    self
                } else {
                    $name::ONE.copysign(self)
                }
            }

            /// The least value greater than `self` (IEEE `nextUp`, as `f32::next_up`): the
            /// largest finite value gives +∞, or itself in a format without infinity.
            #[inline]
            #[must_use]
            pub fn next_up(self) -> $name {
                $name::from_bits($name::FORMAT.next_up(self.to_bits() as u64, &ENV).value as $bits)
            }

            /// The greatest value less than `self` (IEEE `nextDown`).
            #[inline]
            #[must_use]
            pub fn next_down(self) -> $name {
                $name::from_bits($name::FORMAT.next_down(self.to_bits() as u64, &ENV).value as $bits)
            }

            /// Subnormal (non-zero with the smallest exponent field and no hidden bit).
            #[inline]
            pub fn is_subnormal(self) -> bool {
                $name::FORMAT.is_subnormal(self.to_bits() as u64)
            }
        }

        bit_ops!(@fmt $name, LowerHex, UpperHex, Binary, Octal);
    )*};
    (@fmt $name:ident, $($tr:ident),*) => {$(
        impl fmt::$tr for $name {
            /// The bit pattern, as the same flag formats the unsigned integer.
            #[inline]
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::$tr::fmt(&self.to_bits(), f)
            }
        }
    )*};
}

for_each_typed_float!(bit_ops);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radix_formatting_is_the_bits() {
        let x = F16::from_f64(1.5);
        assert_eq!(format!("{x:x} {x:X} {x:#06x}"), "3e00 3E00 0x3e00");
        assert_eq!(format!("{:08b}", F8E4M3::ONE), "00111000");
        assert_eq!(format!("{:o}", F8E5M2::ONE), "74");
    }

    #[test]
    fn signum_copysign_total_cmp_match_f32() {
        let xs = [
            0.0f32,
            -0.0,
            1.5,
            -2.0,
            f32::INFINITY,
            f32::NEG_INFINITY,
            1e-45,
            -1e-45,
        ];
        for &a in &xs {
            let ta = F32::from_f32(a);
            assert_eq!(ta.signum().to_bits(), a.signum().to_bits(), "{a}");
            for &b in &xs {
                let tb = F32::from_f32(b);
                assert_eq!(ta.copysign(tb).to_bits(), a.copysign(b).to_bits());
                assert_eq!(ta.total_cmp(&tb), a.total_cmp(&b), "{a} {b}");
            }
            assert_eq!(ta.is_subnormal(), a.is_subnormal());
        }
        assert_eq!(F32::NEG_ZERO.next_up().to_bits(), 1);
        assert_eq!(F32::ZERO.next_down().to_bits(), 0x8000_0001);
        assert_eq!(F32::MAX.next_up(), F32::INFINITY);
        assert_eq!(F8E4M3::MAX.next_up(), F8E4M3::MAX);
        assert!(F32::NAN.signum().is_nan());
        assert_eq!(F8E4M3Fnuz::ZERO.signum(), F8E4M3Fnuz::ONE);
    }
}
