//! Explain traces of fixed-point multiply and divide: the raw integer operation the hardware
//! performs, the naive (wrong) reading of its result, and the scaling correction.

use std::fmt;

use super::ops::same_format;
use super::value::decimal;
use super::{Fixed, FixedFormat};
use crate::Error;
use crate::Result;
use crate::repr::WideInt;
use crate::round::RoundingMode;

/// The steps of a fixed-point multiply `a × b` (see [`explain_mul`]).
#[derive(Clone, Debug, PartialEq)]
pub struct MulTrace {
    /// The operands' (and result's) format.
    pub format: FixedFormat,
    /// First operand.
    pub a: Fixed,
    /// Second operand.
    pub b: Fixed,
    /// The exact integer product of the raw values: what the integer multiplier computes.
    pub raw_product: WideInt,
    /// The rounding mode of the correction step.
    pub mode: RoundingMode,
    /// The result after the correction, wrapped to the format's `N` bits.
    pub result: Fixed,
    /// The correction discarded non-zero bits.
    pub inexact: bool,
    /// The corrected product does not fit the format (`result` is then wrapped).
    pub overflow: bool,
}

impl MulTrace {
    /// The raw product read as if it had the operands' `M` fraction bits: the naive, wrong
    /// reading (the course's 192 read as Q4.4 = 12.0), exact decimal.
    pub fn naive_reading(&self) -> String {
        let p = self.raw_product;
        decimal(p.is_negative(), p.magnitude(), self.format.frac_bits())
    }

    /// The true value of the raw product: it has `2M` fraction bits (exact decimal).
    pub fn exact_product(&self) -> String {
        let p = self.raw_product;
        let frac = 2 * self.format.frac_bits();
        if frac <= 64 {
            decimal(p.is_negative(), p.magnitude(), frac)
        } else {
            format!("{p} × 2^-{frac}")
        }
    }
}

/// The steps of a fixed-point divide `a ÷ b` (see [`explain_div`]).
#[derive(Clone, Debug, PartialEq)]
pub struct DivTrace {
    /// The operands' (and result's) format.
    pub format: FixedFormat,
    /// Dividend.
    pub a: Fixed,
    /// Divisor.
    pub b: Fixed,
    /// The integer quotient of the raw values, truncated toward zero: what an integer divider
    /// computes when handed the raw values unchanged (the course's 24 ÷ 8 = 3).
    pub naive_quotient: i128,
    /// The course's way: the naive quotient rescaled afterwards, `naive_quotient << M` (the
    /// course's 3 → 48). The remainder of the raw division is already gone, so this loses
    /// the fraction bits whenever the raw division was inexact (1.0 ÷ 0.75: 16 ÷ 12 = 1 →
    /// 16 = 1.0, not 1.3125).
    pub rescaled_quotient: WideInt,
    /// The dividend scaled by `2^M` before dividing: the correction the crate uses (and
    /// hardware dividers do), which keeps every quotient bit.
    pub scaled_dividend: WideInt,
    /// The rounding mode of the corrected division.
    pub mode: RoundingMode,
    /// The corrected quotient, wrapped to the format's `N` bits.
    pub result: Fixed,
    /// The corrected division had a non-zero remainder.
    pub inexact: bool,
    /// The corrected quotient does not fit the format (`result` is then wrapped).
    pub overflow: bool,
}

impl DivTrace {
    /// The naive quotient read in the format (the course's 3 read as Q4.4 = 0.1875).
    pub fn naive_reading(&self) -> String {
        let q = self.naive_quotient;
        decimal(q < 0, q.unsigned_abs(), self.format.frac_bits())
    }

    /// The course's rescaled quotient read in the format (48 → 3.0; for 1.0 ÷ 0.75, 16 →
    /// 1.0), exact decimal, whether or not it fits the format.
    pub fn rescaled_reading(&self) -> String {
        let q = self.rescaled_quotient;
        decimal(q.is_negative(), q.magnitude(), self.format.frac_bits())
    }

    /// The course's way (divide, then rescale) gives a different raw value from the
    /// pre-shift way: it lost precision (or the pre-shift result overflowed).
    pub fn rescaling_differs(&self) -> bool {
        self.rescaled_quotient != WideInt::from(self.result.raw())
    }
}

/// Multiplies `a × b` (same format) and records each step.
///
/// # Errors
///
/// [`Error::FormatMismatch`] when the formats differ.
///
/// # Examples
///
/// ```
/// use arithsim::fixed::{explain_mul, Fixed, FixedFormat};
/// use arithsim::round::RoundingMode::NearestEven;
///
/// let q44 = FixedFormat::q(4, 4)?;
/// let t = explain_mul(Fixed::from_raw(q44, 24)?, Fixed::from_raw(q44, 8)?, NearestEven)?;
/// assert_eq!(t.raw_product.to_string(), "192");
/// assert_eq!(t.naive_reading(), "12.0"); // wrong: the product has 8 fraction bits
/// assert_eq!(t.result.raw(), 12); // 192 >> 4
/// assert_eq!(t.result.to_string(), "0.75");
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn explain_mul(a: Fixed, b: Fixed, mode: RoundingMode) -> Result<MulTrace> {
    let format = same_format(a, b)?;
    let (x, y) = (a.raw(), b.raw());
    let negative = (x < 0) != (y < 0);
    let magnitude = x.unsigned_abs() * y.unsigned_abs();
    // The result comes from the operation itself, so the trace cannot disagree with it.
    let (result, overflow) = a.overflowing_mul(b, mode)?;
    let m = format.frac_bits();
    let inexact = m > 0 && magnitude & ((1u128 << m) - 1) != 0;
    Ok(MulTrace {
        format,
        a,
        b,
        raw_product: WideInt::new(negative, magnitude),
        mode,
        result,
        inexact,
        overflow,
    })
}

/// Divides `a ÷ b` (same format) and records each step.
///
/// # Errors
///
/// [`Error::FormatMismatch`] when the formats differ; [`Error::DivisionByZero`].
///
/// # Examples
///
/// ```
/// use arithsim::fixed::{explain_div, Fixed, FixedFormat};
/// use arithsim::round::RoundingMode::NearestEven;
///
/// let q44 = FixedFormat::q(4, 4)?;
/// let t = explain_div(Fixed::from_raw(q44, 24)?, Fixed::from_raw(q44, 8)?, NearestEven)?;
/// assert_eq!(t.naive_quotient, 3);
/// assert_eq!(t.naive_reading(), "0.1875"); // wrong: the scaling factors cancelled
/// assert_eq!(t.scaled_dividend.to_string(), "384"); // 24 << 4
/// assert_eq!(t.result.raw(), 48);
/// assert_eq!(t.result.to_string(), "3.0");
/// // The course's way: 24 ÷ 8 = 3, then 3 << 4 = 48: the same, since 24 ÷ 8 is exact.
/// assert_eq!(t.rescaled_quotient.to_string(), "48");
/// // 1.0 ÷ 0.75: 16 ÷ 12 = 1 → 16 = 1.0, against (16 << 4) ÷ 12 = 21.33 → 21 = 1.3125.
/// let t = explain_div(Fixed::from_raw(q44, 16)?, Fixed::from_raw(q44, 12)?, NearestEven)?;
/// assert_eq!((t.rescaled_reading(), t.result.to_string()), ("1.0".into(), "1.3125".into()));
/// assert!(t.rescaling_differs());
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn explain_div(a: Fixed, b: Fixed, mode: RoundingMode) -> Result<DivTrace> {
    let format = same_format(a, b)?;
    let (x, y) = (a.raw(), b.raw());
    if y == 0 {
        return Err(Error::DivisionByZero);
    }
    let scaled = x.unsigned_abs() << format.frac_bits();
    let (result, overflow) = a.overflowing_div(b, mode)?;
    let naive = x / y;
    Ok(DivTrace {
        format,
        a,
        b,
        naive_quotient: naive,
        // |naive| ≤ 2^64 and M ≤ 64, so the shift stays inside 128 bits.
        rescaled_quotient: WideInt::new(naive < 0, naive.unsigned_abs() << format.frac_bits()),
        scaled_dividend: WideInt::new(x < 0, scaled),
        mode,
        result,
        inexact: scaled % y.unsigned_abs() != 0,
        overflow,
    })
}

/// `value (raw r)`.
fn operand(v: Fixed) -> String {
    format!("{v} (raw {})", v.raw())
}

fn outcome(result: Fixed, inexact: bool, overflow: bool) -> String {
    let mut s = format!("{} (raw {})", result, result.raw());
    if inexact {
        s.push_str(", rounded");
    } else {
        s.push_str(", exact");
    }
    if overflow {
        s.push_str(", OVERFLOW: wrapped to the format's bits");
    }
    s
}

impl fmt::Display for MulTrace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.format.frac_bits();
        writeln!(
            f,
            "{} multiply, scaling factor 2^-{m}: {} × {}",
            self.format,
            operand(self.a),
            operand(self.b)
        )?;
        writeln!(
            f,
            "  1. integer multiply of the raw values: {} × {} = {}",
            self.a.raw(),
            self.b.raw(),
            self.raw_product
        )?;
        writeln!(
            f,
            "  2. naive reading with 2^-{m}: {} × 2^-{m} = {}  (wrong: each operand carries \
             2^-{m}, so the product carries 2^-{})",
            self.raw_product,
            self.naive_reading(),
            2 * m
        )?;
        writeln!(
            f,
            "  3. correction: {} × 2^-{} = {}; shift right by {m} ({}): {}",
            self.raw_product,
            2 * m,
            self.exact_product(),
            self.mode,
            outcome(self.result, self.inexact, self.overflow)
        )
    }
}

impl fmt::Display for DivTrace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.format.frac_bits();
        writeln!(
            f,
            "{} divide, scaling factor 2^-{m}: {} ÷ {}",
            self.format,
            operand(self.a),
            operand(self.b)
        )?;
        writeln!(
            f,
            "  1. integer divide of the raw values: {} ÷ {} = {}",
            self.a.raw(),
            self.b.raw(),
            self.naive_quotient
        )?;
        writeln!(
            f,
            "  2. naive reading with 2^-{m}: {} × 2^-{m} = {}  (wrong: the two 2^-{m} \
             factors cancelled, so the quotient has no fraction bits)",
            self.naive_quotient,
            self.naive_reading()
        )?;
        writeln!(
            f,
            "  3. correction: shift the dividend left by {m} first: {} << {m} = {}; \
             {} ÷ {} ({}): {}",
            self.a.raw(),
            self.scaled_dividend,
            self.scaled_dividend,
            self.b.raw(),
            self.mode,
            outcome(self.result, self.inexact, self.overflow)
        )?;
        write!(
            f,
            "  course's way instead: divide the raw values, then rescale: {} << {m} = {} = {}",
            self.naive_quotient,
            self.rescaled_quotient,
            self.rescaled_reading()
        )?;
        if self.rescaling_differs() {
            writeln!(
                f,
                "; loses precision: the remainder of {} ÷ {} was dropped before the rescale",
                self.a.raw(),
                self.b.raw()
            )
        } else {
            writeln!(
                f,
                "; the same here, because {} ÷ {} is exact",
                self.a.raw(),
                self.b.raw()
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::round::RoundingMode::NearestEven;

    #[test]
    fn course_traces_print_their_steps() {
        let q44 = FixedFormat::q(4, 4).unwrap();
        let a = Fixed::from_raw(q44, 24).unwrap();
        let b = Fixed::from_raw(q44, 8).unwrap();
        let t = explain_mul(a, b, NearestEven).unwrap().to_string();
        assert!(t.contains("24 × 8 = 192"), "{t}");
        assert!(t.contains("192 × 2^-4 = 12.0"), "{t}");
        assert!(t.contains("0.75 (raw 12), exact"), "{t}");
        let t = explain_div(a, b, NearestEven).unwrap().to_string();
        assert!(t.contains("24 ÷ 8 = 3"), "{t}");
        assert!(t.contains("3 × 2^-4 = 0.1875"), "{t}");
        assert!(t.contains("24 << 4 = 384"), "{t}");
        assert!(t.contains("3.0 (raw 48), exact"), "{t}");
    }

    #[test]
    fn trace_errors() {
        let q44 = FixedFormat::q(4, 4).unwrap();
        let a = Fixed::from_raw(q44, 24).unwrap();
        let z = Fixed::zero(q44);
        assert_eq!(
            explain_div(a, z, NearestEven).unwrap_err().to_string(),
            "division by zero"
        );
        let other = Fixed::zero(FixedFormat::q(8, 8).unwrap());
        assert_eq!(
            explain_mul(a, other, NearestEven).unwrap_err().to_string(),
            "format mismatch: Q4.4 vs Q8.8"
        );
    }
}
