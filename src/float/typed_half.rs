//! Conversions between the typed values and the `half` crate's `f16`/`bf16` (feature `half`).
//! Both sides store the same IEEE bit patterns, so every conversion is a bit copy.

use super::typed::{Bf16, F16};

impl From<half::f16> for F16 {
    /// The same bits.
    ///
    /// ```
    /// use arithsim::float::F16;
    /// let x = F16::from(half::f16::from_f32(1.5));
    /// assert_eq!(x.to_bits(), 0x3E00);
    /// ```
    #[inline]
    fn from(x: half::f16) -> F16 {
        F16::from_bits(x.to_bits())
    }
}

impl From<F16> for half::f16 {
    /// The same bits.
    #[inline]
    fn from(x: F16) -> half::f16 {
        half::f16::from_bits(x.to_bits())
    }
}

impl From<half::bf16> for Bf16 {
    /// The same bits.
    ///
    /// ```
    /// use arithsim::float::Bf16;
    /// let x = Bf16::from(half::bf16::from_f32(1.5));
    /// assert_eq!(x.to_bits(), 0x3FC0);
    /// ```
    #[inline]
    fn from(x: half::bf16) -> Bf16 {
        Bf16::from_bits(x.to_bits())
    }
}

impl From<Bf16> for half::bf16 {
    /// The same bits.
    #[inline]
    fn from(x: Bf16) -> half::bf16 {
        half::bf16::from_bits(x.to_bits())
    }
}
