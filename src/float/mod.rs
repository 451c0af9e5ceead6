//! Floating point of any exponent/mantissa width: formats, soft-float operations with every
//! rounding mode and IEEE flags, conversions, typed wrappers, explain traces.
//!
//! (Being built: see issue 3.)

mod decimal;
mod parse;
