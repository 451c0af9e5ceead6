//! [`TypedFloat`]: what the typed values have in common, so that code can be generic over
//! them (conversions between typed values, property-test strategies, tests that run over
//! every type).

use super::format::FloatFormat;
use super::typed::{Bf16, F8E4M3, F8E4M3Fnuz, F8E5M2, F8E5M2Fnuz, F16, F32, F64};
use super::typed_macros::for_each_typed_float;

mod sealed {
    pub trait Sealed {}
}

/// A typed float: a `Copy` newtype over the bit pattern of one fixed [`FloatFormat`].
///
/// Sealed: the crate's typed values ([`F64`], [`F32`], [`F16`], [`Bf16`], [`F8E5M2`],
/// [`F8E4M3`], [`F8E4M3Fnuz`], [`F8E5M2Fnuz`]) are its only implementors, so methods can be
/// added without breaking anyone. For any other format, use [`FloatFormat`]'s methods on
/// `u64` patterns.
///
/// # Examples
///
/// ```
/// use arithsim::float::{F16, F8E5M2, TypedFloat};
///
/// fn width<T: TypedFloat>() -> u32 {
///     T::FORMAT.width()
/// }
/// assert_eq!(width::<F16>(), 16);
/// assert_eq!(F8E5M2::from_bits_u64(0x3C).to_f64(), 1.0);
/// ```
pub trait TypedFloat: Copy + sealed::Sealed + 'static {
    /// The format of this type.
    const FORMAT: FloatFormat;
    /// The value whose bit pattern is the low [`FloatFormat::width`] bits of `bits`.
    fn from_bits_u64(bits: u64) -> Self;
    /// The bit pattern, zero-extended to `u64`.
    fn to_bits_u64(self) -> u64;
}

macro_rules! typed_float_trait {
    ($($name:ident: $bits:ty),*) => {$(
        impl sealed::Sealed for $name {}

        impl TypedFloat for $name {
            const FORMAT: FloatFormat = $name::FORMAT;
            #[inline]
            fn from_bits_u64(bits: u64) -> $name {
                $name::from_bits(bits as $bits)
            }
            #[inline]
            fn to_bits_u64(self) -> u64 {
                self.to_bits() as u64
            }
        }
    )*};
}

for_each_typed_float!(typed_float_trait);
