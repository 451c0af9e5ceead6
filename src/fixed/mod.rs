//! Fixed point: runtime Q(K.M) formats with an explicit scaling factor, arithmetic with the
//! overflow policy in the method name, and explain traces.
//!
//! A [`Fixed`] value is the raw `N`-bit integer the hardware stores plus its
//! [`FixedFormat`]; the number is `raw · 2^-M`. Add and sub are integer add and sub. Mul and
//! div need a scaling correction (the raw product has `2M` fraction bits; the raw quotient
//! has none), which is where the one rounding step of [`crate::round`] comes in, with an
//! explicit [`crate::round::RoundingMode`].
//!
//! # Examples
//!
//! The course's Q4.4 examples (scaling factor 2^-4):
//!
//! ```
//! use arithsim::fixed::{Fixed, FixedFormat};
//! use arithsim::round::RoundingMode::NearestEven;
//!
//! let q44 = FixedFormat::q(4, 4)?;
//! let x = |v: f64| Fixed::from_f64(v, q44, NearestEven);
//! assert_eq!(x(3.5)?.checked_add(x(1.25)?)?.to_string(), "4.75");
//! assert_eq!(x(1.5)?.checked_mul(x(0.5)?, NearestEven)?.raw(), 12); // 0.75
//! assert_eq!(x(1.5)?.checked_div(x(0.5)?, NearestEven)?.raw(), 48); // 3.0
//! # Ok::<(), arithsim::Error>(())
//! ```

mod binary_point;
mod exact;
mod explain;
mod format;
mod ops;
mod value;

pub use binary_point::{AddTrace, PointReading, PointTerm, explain_add, read_binary_point};
pub use explain::{DivTrace, MulTrace, explain_div, explain_mul};
pub use format::{FixedFormat, MAX_FIXED_WIDTH};
pub use value::Fixed;
