//! Constants of the typed values beyond the ones every format has (those are in the type's
//! main `impl`): the std-style precision and exponent-range constants for every type, and
//! `INFINITY`, `NEG_INFINITY`, `NEG_ZERO` only for the types whose format has them — a
//! format without infinities has no `INFINITY` constant, so code that needs one does not
//! compile rather than getting a NaN or the largest finite value in its place.

use super::typed::{Bf16, F8E4M3, F8E4M3Fnuz, F8E5M2, F8E5M2Fnuz, F16, F32, F64};
use super::typed_macros::for_each_typed_float;

macro_rules! range_consts {
    ($($name:ident: $bits:ty),*) => {$(
        impl $name {
            /// The radix of the representation (2).
            pub const RADIX: u32 = 2;
            /// Significand bits including the hidden bit (as `f32::MANTISSA_DIGITS`).
            pub const MANTISSA_DIGITS: u32 = $name::FORMAT.precision();
            /// One more than the smallest normal exponent, `2^(MIN_EXP − 1)` being the
            /// smallest normal value (as `f32::MIN_EXP`).
            pub const MIN_EXP: i32 = $name::FORMAT.min_exponent() + 1;
            /// One more than the largest exponent of a finite value (as `f32::MAX_EXP`).
            pub const MAX_EXP: i32 = $name::FORMAT.max_exponent() + 1;
        }
    )*};
}

for_each_typed_float!(range_consts);

macro_rules! negative_zero {
    ($($name:ident: $bits:ty),*) => {$(
        impl $name {
            /// −0.
            pub const NEG_ZERO: $name = $name::from_bits($name::FORMAT.sign_bit() as $bits);
        }
    )*};
}

negative_zero!(F64: u64, F32: u32, F16: u16, Bf16: u16, F8E5M2: u8, F8E4M3: u8);

macro_rules! infinities {
    ($($name:ident: $bits:ty),*) => {$(
        impl $name {
            /// +∞.
            pub const INFINITY: $name = $name::from_bits(
                ($name::FORMAT.exp_field_max() << $name::FORMAT.man_bits()) as $bits,
            );
            /// −∞.
            pub const NEG_INFINITY: $name = $name::from_bits(
                (($name::FORMAT.exp_field_max() << $name::FORMAT.man_bits())
                    | $name::FORMAT.sign_bit()) as $bits,
            );
        }
    )*};
}

infinities!(F64: u64, F32: u32, F16: u16, Bf16: u16, F8E5M2: u8);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_match_std_and_the_format() {
        assert_eq!(F32::INFINITY.to_bits(), f32::INFINITY.to_bits());
        assert_eq!(F64::NEG_INFINITY.to_bits(), f64::NEG_INFINITY.to_bits());
        assert_eq!(F32::NEG_ZERO.to_bits(), (-0.0f32).to_bits());
        assert_eq!(F16::INFINITY.to_bits(), 0x7C00);
        assert_eq!(F8E5M2::NEG_INFINITY.to_bits(), 0xFC);
        assert_eq!(F8E4M3::NEG_ZERO.to_bits(), 0x80);
        assert_eq!(
            (F32::MANTISSA_DIGITS, F32::MIN_EXP, F32::MAX_EXP),
            (f32::MANTISSA_DIGITS, f32::MIN_EXP, f32::MAX_EXP)
        );
        assert_eq!(
            (F64::MANTISSA_DIGITS, F64::MIN_EXP, F64::MAX_EXP),
            (f64::MANTISSA_DIGITS, f64::MIN_EXP, f64::MAX_EXP)
        );
        // E4M3: 2^(MIN_EXP-1) = 2^-6 is the smallest normal, 448 = 1.75 · 2^(MAX_EXP-1).
        assert_eq!((F8E4M3::MIN_EXP, F8E4M3::MAX_EXP), (-5, 9));
        assert_eq!(F8E4M3Fnuz::MIN_EXP, -6);
        assert_eq!(F8E5M2Fnuz::MAX_EXP, 16);
    }
}
