//! Floating point of any exponent/mantissa width: formats, soft-float operations with every
//! rounding mode and IEEE flags, conversions, typed wrappers, explain traces.
//!
//! Values are bit patterns in a `u64`; a [`FloatFormat`] (a runtime value) says how to read
//! them, and every operation is a method of the format taking a [`FloatEnv`] and returning a
//! [`StatusAnd`]: the result and the IEEE [`Flags`](crate::round::Flags) raised. All
//! arithmetic is on integer significands and exponents and ends in one
//! [`FloatFormat::round_pack`], which ends in [`crate::round::round`].
//!
//! # Examples
//!
//! ```
//! use arithsim::float::{FloatEnv, FloatFormat};
//! use arithsim::round::Flags;
//!
//! let f = FloatFormat::FP32;
//! let env = FloatEnv::default();
//! let (a, b) = (0.1f32.to_bits() as u64, 0.2f32.to_bits() as u64);
//! let r = f.add(a, b, &env);
//! assert_eq!(r.value, (0.1f32 + 0.2f32).to_bits() as u64);
//! assert_eq!(r.flags, Flags::INEXACT);
//! ```

mod add;
mod classify;
mod compare;
mod convert;
mod div_sqrt;
mod env;
mod fma;
mod format;
pub(crate) mod format_name;
mod int;
mod isqrt;
mod mul;
mod nan;
mod pack;
mod rem_rint;
mod sign;
mod status;
mod value;

pub use classify::{FloatClass, Kind, Unpacked};
pub use env::{FloatEnv, NanPolicy, OverflowPolicy, Tininess};
pub use format::{EXP_BITS_RANGE, FloatFormat, MAN_BITS_RANGE, Specials};
pub use status::StatusAnd;
pub use value::FloatValue;

// Literals, printing, typed values and explain traces (built on the operations above).
mod decimal;
mod display;
mod explain;
mod explain_convert;
mod explain_display;
mod fmod;
mod int_nearest;
mod parse;
mod scientific;
mod typed;
mod typed_bits;
mod typed_consts;
mod typed_float;
#[cfg(feature = "half")]
mod typed_half;
mod typed_macros;
mod typed_num;
mod typed_ops;
mod typed_status;
mod typed_trait;

pub use display::{BitFields, FloatDisplay};
pub use explain::{AlignStep, ExplainOp, Explanation, NormalizeStep, OperandStep, RoundStep};
pub use explain_convert::{ConversionExplanation, ConversionSource, ExactBinary};
pub use int_nearest::IntAsFloat;
pub use scientific::{
    MAX_SIGNIFICANT_DIGITS, Normalization, Scientific, SignificantRounding, normalize_scientific,
};
pub use typed::{Bf16, F8E4M3, F8E4M3Fnuz, F8E5M2, F8E5M2Fnuz, F16, F32, F64};
pub use typed_trait::TypedFloat;
