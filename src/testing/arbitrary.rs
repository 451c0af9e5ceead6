//! `Arbitrary` for the typed floats: `any::<F16>()` draws from [`float_bits`].

use proptest::arbitrary::Arbitrary;
use proptest::prelude::*;

use super::float::float_bits;
use crate::float::{Bf16, F8E4M3, F8E4M3Fnuz, F8E5M2, F8E5M2Fnuz, F16, F32, F64, TypedFloat};

/// Values of the typed float `T`, specials weighted in as by [`float_bits`] (what
/// `any::<T>()` draws).
///
/// # Examples
///
/// ```
/// use arithsim::float::{F8E5M2, F16};
/// use proptest::prelude::*;
/// use proptest::test_runner::TestRunner;
///
/// // E5M2 → FP16 is exact: converting back gives the same bits (NaNs stay NaN).
/// TestRunner::default()
///     .run(&any::<F8E5M2>(), |x| {
///         let back = F8E5M2::try_from(F16::from(x)).unwrap();
///         prop_assert!(back.to_bits() == x.to_bits() || x.is_nan());
///         Ok(())
///     })
///     .unwrap();
/// ```
pub fn typed_float<T: TypedFloat + std::fmt::Debug>() -> BoxedStrategy<T> {
    float_bits(T::FORMAT).prop_map(T::from_bits_u64).boxed()
}

macro_rules! arbitrary_typed {
    ($($name:ident),*) => {$(
        impl Arbitrary for $name {
            type Parameters = ();
            type Strategy = BoxedStrategy<$name>;
            /// See [`typed_float`].
            fn arbitrary_with(_: ()) -> BoxedStrategy<$name> {
                typed_float::<$name>()
            }
        }
    )*};
}

arbitrary_typed!(F64, F32, F16, Bf16, F8E5M2, F8E4M3, F8E4M3Fnuz, F8E5M2Fnuz);
