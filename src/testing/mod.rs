//! Proptest strategies for code tested against arithsim (feature `proptest`).
//!
//! Uniformly random bit patterns almost never hit the values where arithmetic goes wrong:
//! in FP32, NaNs, infinities, zeros and subnormals together are under 1% of the patterns, and
//! a value exactly halfway between two values of a narrower format (where the tie rule
//! decides) is 1 in 2^13 for FP32 → FP16. These strategies weight those values in, so every
//! property test that draws from them exercises them within its default 256 cases:
//!
//! - [`float_bits`]: patterns of any [`FloatFormat`](crate::float::FloatFormat) with ±0, ±∞, NaNs (quiet and
//!   signalling, with payloads), subnormals, the smallest normal, ±1 and ±largest finite
//!   weighted in; [`halfway_bits`]: values of a format exactly halfway between two adjacent
//!   values of a narrower target format (and one unit either side);
//! - `Arbitrary` for the typed floats ([`F16`](crate::float::F16), [`F32`](crate::float::F32),
//!   …), drawing from [`float_bits`], so `any::<F16>()` works;
//! - [`fixed_values`]: values of a [`FixedFormat`](crate::fixed::FixedFormat) with the range
//!   ends, zero and ±1 ulp weighted in;
//! - [`bit_patterns`]: patterns of a width with 0, all ones, the sign bit and its neighbours
//!   weighted in;
//! - [`gemm_shapes`], [`conv2d_shapes`]: valid kernel shapes within limits, small enough to
//!   run.
//!
//! Strategies whose arguments can be wrong return [`Result`](crate::Result) (never panic);
//! each returns a [`BoxedStrategy`](proptest::strategy::BoxedStrategy). See
//! `docs/property-testing.md` for a complete example.
//!
//! # Examples
//!
//! ```
//! use arithsim::float::{FloatFormat, F16};
//! use arithsim::testing::float_bits;
//! use proptest::prelude::*;
//! use proptest::test_runner::TestRunner;
//!
//! // Negation flips the sign bit of every FP16 pattern, NaNs included.
//! TestRunner::default()
//!     .run(&float_bits(FloatFormat::FP16), |bits| {
//!         prop_assert_eq!((-F16::from_bits(bits as u16)).to_bits() as u64, bits ^ 0x8000);
//!         Ok(())
//!     })
//!     .unwrap();
//! ```

mod arbitrary;
mod bits;
mod fixed;
mod float;
mod shapes;

pub use arbitrary::typed_float;
pub use bits::bit_patterns;
pub use fixed::fixed_values;
pub use float::{float_bits, halfway_bits};
pub use shapes::{Conv2dLimits, conv2d_shapes, gemm_shapes};

/// The guide `docs/property-testing.md`, included here so that its examples run as
/// doctests (the complete example, marked `ignore` there, runs as `tests/testing_feature.rs`).
#[cfg(doctest)]
#[doc = include_str!("../../docs/property-testing.md")]
pub struct PropertyTestingGuide;
