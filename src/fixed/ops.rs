//! Fixed-point arithmetic with the overflow behaviour in the method name, shaped like std and
//! the `fixed` crate:
//!
//! - `checked_*` returns [`Error::OutOfRange`] (naming the exact result and the range) when
//!   the result does not fit — an error rather than `None`, because these methods already
//!   return `Result` for format mismatches and division by zero;
//! - `wrapping_*` keeps the low `N` bits, as a plain hardware datapath does;
//! - `saturating_*` clamps to the format's minimum or maximum;
//! - `overflowing_*` returns the wrapped value and whether it overflowed.
//!
//! **Return types, one rule.** An operation whose operands must share a format — add, sub,
//! mul, div, between two `Fixed` — returns `Result` in every family, because the formats may
//! differ ([`Error::FormatMismatch`]; div also fails on a zero divisor): `wrapping_add`
//! returns `Result<Fixed>`, `overflowing_add` `Result<(Fixed, bool)>`. An operation that
//! cannot fail — unary `neg`, `mul_acc` (its operands may have any formats: the product is
//! exact) and `to_format` — returns the value (or `(value, bool)`) directly: `wrapping_neg`
//! returns `Fixed`. `checked_*` always returns `Result`, its overflow being the error.
//!
//! Add and sub are exact before overflow. Mul, div, `mul_acc` and format conversion take a
//! [`RoundingMode`] and round exactly once, through [`crate::round`].

use super::exact::{Exact, Landed, scaled_sum};
use super::value::out_of_range;
use super::{Fixed, FixedFormat};
use crate::round::{RoundingMode, round_div};
use crate::{Error, Result};

/// The shared format of two operands of an operation that needs equal formats.
pub(crate) fn same_format(a: Fixed, b: Fixed) -> Result<FixedFormat> {
    if a.format() == b.format() {
        Ok(a.format())
    } else {
        Err(Error::FormatMismatch {
            left: a.format().to_string(),
            right: b.format().to_string(),
        })
    }
}

/// The checked policy: the value, or an error naming the exact result.
fn checked(exact: Exact, format: FixedFormat) -> Result<Fixed> {
    let landed = exact.land(format);
    if landed.overflow {
        Err(out_of_range(exact.describe(format.frac_bits()), format))
    } else {
        Ok(landed.wrapped)
    }
}

fn overflowing(landed: Landed) -> (Fixed, bool) {
    (landed.wrapped, landed.overflow)
}

// --- exact cores -------------------------------------------------------------------------

impl Fixed {
    fn exact_add(self, rhs: Fixed) -> Result<(Exact, FixedFormat)> {
        let f = same_format(self, rhs)?;
        Ok((Exact::from_i128(self.raw() + rhs.raw()), f))
    }

    fn exact_sub(self, rhs: Fixed) -> Result<(Exact, FixedFormat)> {
        let f = same_format(self, rhs)?;
        Ok((Exact::from_i128(self.raw() - rhs.raw()), f))
    }

    fn exact_neg(self) -> Exact {
        Exact::from_i128(-self.raw())
    }

    fn exact_mul(self, rhs: Fixed, mode: RoundingMode) -> Result<(Exact, FixedFormat)> {
        let f = same_format(self, rhs)?;
        Ok((Fixed::zero(f).exact_mul_acc(self, rhs, mode), f))
    }

    fn exact_div(self, rhs: Fixed, mode: RoundingMode) -> Result<(Exact, FixedFormat)> {
        let f = same_format(self, rhs)?;
        let (a, b) = (self.raw(), rhs.raw());
        let negative = (a < 0) != (b < 0);
        // (a · 2^-M) / (b · 2^-M) = a / b: pre-scale the dividend by 2^M so the quotient
        // keeps M fraction bits. |a| < 2^N and M <= N <= 64, so |a| · 2^M < 2^128.
        let numerator = a.unsigned_abs() << f.frac_bits();
        let q = round_div(negative, numerator, b.unsigned_abs(), mode)?;
        Ok((Exact::from_sign_magnitude(negative, q.value, false), f))
    }

    fn exact_mul_acc(self, a: Fixed, b: Fixed, mode: RoundingMode) -> Exact {
        let (x, y) = (a.raw(), b.raw());
        // |x|, |y| <= 2^64 - 1, so the exact product fits u128.
        let product = x.unsigned_abs() * y.unsigned_abs();
        let product_frac = a.format().frac_bits() + b.format().frac_bits();
        scaled_sum(
            self.raw(),
            self.format().frac_bits(),
            (x < 0) != (y < 0),
            product,
            product_frac,
            mode,
        )
        .0
    }

    fn exact_to_format(self, to: FixedFormat, mode: RoundingMode) -> Exact {
        let raw = self.raw();
        scaled_sum(
            0,
            to.frac_bits(),
            raw < 0,
            raw.unsigned_abs(),
            self.format().frac_bits(),
            mode,
        )
        .0
    }
}

// --- add -----------------------------------------------------------------------------------

impl Fixed {
    /// `self + rhs`, or an error if it does not fit.
    ///
    /// # Errors
    ///
    /// [`Error::FormatMismatch`] when the formats differ; [`Error::OutOfRange`] on overflow.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::fixed::{Fixed, FixedFormat};
    /// use arithsim::round::RoundingMode::NearestEven;
    ///
    /// let q44 = FixedFormat::q(4, 4)?;
    /// let a = Fixed::from_f64(3.5, q44, NearestEven)?; // raw 56
    /// let b = Fixed::from_f64(1.25, q44, NearestEven)?; // raw 20
    /// let s = a.checked_add(b)?;
    /// assert_eq!((s.raw(), s.to_string()), (76, "4.75".to_string()));
    /// let e = s.checked_add(s).unwrap_err();
    /// assert_eq!(e.to_string(), "value 9.5 is out of range -8.0..=7.9375 for Q4.4");
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn checked_add(self, rhs: Fixed) -> Result<Fixed> {
        let (e, f) = self.exact_add(rhs)?;
        checked(e, f)
    }

    /// `self + rhs`, keeping the low `N` bits.
    ///
    /// # Errors
    ///
    /// [`Error::FormatMismatch`] when the formats differ.
    pub fn wrapping_add(self, rhs: Fixed) -> Result<Fixed> {
        let (e, f) = self.exact_add(rhs)?;
        Ok(e.land(f).wrapped)
    }

    /// `self + rhs`, clamped to the format's range.
    ///
    /// # Errors
    ///
    /// [`Error::FormatMismatch`] when the formats differ.
    pub fn saturating_add(self, rhs: Fixed) -> Result<Fixed> {
        let (e, f) = self.exact_add(rhs)?;
        Ok(e.land(f).saturated)
    }

    /// `self + rhs` wrapped, and whether it overflowed.
    ///
    /// # Errors
    ///
    /// [`Error::FormatMismatch`] when the formats differ.
    pub fn overflowing_add(self, rhs: Fixed) -> Result<(Fixed, bool)> {
        let (e, f) = self.exact_add(rhs)?;
        Ok(overflowing(e.land(f)))
    }
}

// --- sub -----------------------------------------------------------------------------------

impl Fixed {
    /// `self - rhs`, or an error if it does not fit.
    ///
    /// # Errors
    ///
    /// [`Error::FormatMismatch`] when the formats differ; [`Error::OutOfRange`] on overflow.
    pub fn checked_sub(self, rhs: Fixed) -> Result<Fixed> {
        let (e, f) = self.exact_sub(rhs)?;
        checked(e, f)
    }

    /// `self - rhs`, keeping the low `N` bits.
    ///
    /// # Errors
    ///
    /// [`Error::FormatMismatch`] when the formats differ.
    pub fn wrapping_sub(self, rhs: Fixed) -> Result<Fixed> {
        let (e, f) = self.exact_sub(rhs)?;
        Ok(e.land(f).wrapped)
    }

    /// `self - rhs`, clamped to the format's range.
    ///
    /// # Errors
    ///
    /// [`Error::FormatMismatch`] when the formats differ.
    pub fn saturating_sub(self, rhs: Fixed) -> Result<Fixed> {
        let (e, f) = self.exact_sub(rhs)?;
        Ok(e.land(f).saturated)
    }

    /// `self - rhs` wrapped, and whether it overflowed.
    ///
    /// # Errors
    ///
    /// [`Error::FormatMismatch`] when the formats differ.
    pub fn overflowing_sub(self, rhs: Fixed) -> Result<(Fixed, bool)> {
        let (e, f) = self.exact_sub(rhs)?;
        Ok(overflowing(e.land(f)))
    }
}

// --- neg -----------------------------------------------------------------------------------

impl Fixed {
    /// `-self`, or an error if it does not fit (the most negative signed value, or any
    /// non-zero unsigned value).
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] on overflow.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::fixed::{Fixed, FixedFormat};
    ///
    /// let q44 = FixedFormat::q(4, 4)?;
    /// assert_eq!(Fixed::from_raw(q44, 24)?.checked_neg()?.raw(), -24);
    /// assert!(Fixed::min_value(q44).checked_neg().is_err()); // -(-8) = 8 does not fit
    /// assert_eq!(Fixed::min_value(q44).wrapping_neg(), Fixed::min_value(q44));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn checked_neg(self) -> Result<Fixed> {
        checked(self.exact_neg(), self.format())
    }

    /// `-self`, keeping the low `N` bits (two's complement negation of the pattern).
    pub fn wrapping_neg(self) -> Fixed {
        self.exact_neg().land(self.format()).wrapped
    }

    /// `-self`, clamped to the format's range.
    pub fn saturating_neg(self) -> Fixed {
        self.exact_neg().land(self.format()).saturated
    }

    /// `-self` wrapped, and whether it overflowed.
    pub fn overflowing_neg(self) -> (Fixed, bool) {
        overflowing(self.exact_neg().land(self.format()))
    }
}

// --- mul -----------------------------------------------------------------------------------

impl Fixed {
    /// `self × rhs` in the same format, rounded with `mode`, or an error if it does not fit.
    ///
    /// The raw product has `2M` fraction bits; it is shifted right by `M` and rounded once
    /// (see [`crate::fixed::explain_mul`] for the steps).
    ///
    /// # Errors
    ///
    /// [`Error::FormatMismatch`] when the formats differ; [`Error::OutOfRange`] on overflow.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::fixed::{Fixed, FixedFormat};
    /// use arithsim::round::RoundingMode;
    ///
    /// let q44 = FixedFormat::q(4, 4)?;
    /// let a = Fixed::from_raw(q44, 24)?; // 1.5
    /// let b = Fixed::from_raw(q44, 8)?; // 0.5
    /// assert_eq!(a.checked_mul(b, RoundingMode::NearestEven)?.raw(), 12); // 0.75
    /// // 0.0625 × 0.5 = 0.03125, half a step: the mode decides.
    /// let tiny = Fixed::from_raw(q44, 1)?;
    /// assert_eq!(tiny.checked_mul(b, RoundingMode::NearestEven)?.raw(), 0);
    /// assert_eq!(tiny.checked_mul(b, RoundingMode::NearestAway)?.raw(), 1);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn checked_mul(self, rhs: Fixed, mode: RoundingMode) -> Result<Fixed> {
        let (e, f) = self.exact_mul(rhs, mode)?;
        checked(e, f)
    }

    /// `self × rhs` rounded with `mode`, keeping the low `N` bits.
    ///
    /// # Errors
    ///
    /// [`Error::FormatMismatch`] when the formats differ.
    pub fn wrapping_mul(self, rhs: Fixed, mode: RoundingMode) -> Result<Fixed> {
        let (e, f) = self.exact_mul(rhs, mode)?;
        Ok(e.land(f).wrapped)
    }

    /// `self × rhs` rounded with `mode`, clamped to the format's range.
    ///
    /// # Errors
    ///
    /// [`Error::FormatMismatch`] when the formats differ.
    pub fn saturating_mul(self, rhs: Fixed, mode: RoundingMode) -> Result<Fixed> {
        let (e, f) = self.exact_mul(rhs, mode)?;
        Ok(e.land(f).saturated)
    }

    /// `self × rhs` rounded with `mode`, wrapped, and whether it overflowed.
    ///
    /// # Errors
    ///
    /// [`Error::FormatMismatch`] when the formats differ.
    pub fn overflowing_mul(self, rhs: Fixed, mode: RoundingMode) -> Result<(Fixed, bool)> {
        let (e, f) = self.exact_mul(rhs, mode)?;
        Ok(overflowing(e.land(f)))
    }
}

// --- div -----------------------------------------------------------------------------------

impl Fixed {
    /// `self ÷ rhs` in the same format, rounded with `mode`, or an error if it does not fit.
    ///
    /// The dividend is scaled by `2^M` before the integer division, so the quotient keeps `M`
    /// fraction bits (see [`crate::fixed::explain_div`]).
    ///
    /// # Errors
    ///
    /// [`Error::FormatMismatch`] when the formats differ; [`Error::DivisionByZero`];
    /// [`Error::OutOfRange`] on overflow.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::fixed::{Fixed, FixedFormat};
    /// use arithsim::round::RoundingMode::NearestEven;
    ///
    /// let q44 = FixedFormat::q(4, 4)?;
    /// let a = Fixed::from_raw(q44, 24)?; // 1.5
    /// let b = Fixed::from_raw(q44, 8)?; // 0.5
    /// assert_eq!(a.checked_div(b, NearestEven)?.raw(), 48); // 3.0
    /// let e = a.checked_div(Fixed::zero(q44), NearestEven).unwrap_err();
    /// assert_eq!(e.to_string(), "division by zero");
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn checked_div(self, rhs: Fixed, mode: RoundingMode) -> Result<Fixed> {
        let (e, f) = self.exact_div(rhs, mode)?;
        checked(e, f)
    }

    /// `self ÷ rhs` rounded with `mode`, keeping the low `N` bits.
    ///
    /// # Errors
    ///
    /// [`Error::FormatMismatch`] when the formats differ; [`Error::DivisionByZero`].
    pub fn wrapping_div(self, rhs: Fixed, mode: RoundingMode) -> Result<Fixed> {
        let (e, f) = self.exact_div(rhs, mode)?;
        Ok(e.land(f).wrapped)
    }

    /// `self ÷ rhs` rounded with `mode`, clamped to the format's range.
    ///
    /// # Errors
    ///
    /// [`Error::FormatMismatch`] when the formats differ; [`Error::DivisionByZero`].
    pub fn saturating_div(self, rhs: Fixed, mode: RoundingMode) -> Result<Fixed> {
        let (e, f) = self.exact_div(rhs, mode)?;
        Ok(e.land(f).saturated)
    }

    /// `self ÷ rhs` rounded with `mode`, wrapped, and whether it overflowed.
    ///
    /// # Errors
    ///
    /// [`Error::FormatMismatch`] when the formats differ; [`Error::DivisionByZero`].
    pub fn overflowing_div(self, rhs: Fixed, mode: RoundingMode) -> Result<(Fixed, bool)> {
        let (e, f) = self.exact_div(rhs, mode)?;
        Ok(overflowing(e.land(f)))
    }
}

// --- mul_acc -------------------------------------------------------------------------------

impl Fixed {
    /// `self + a × b` in `self`'s (accumulator) format: the product is kept exact (it may
    /// overflow the accumulator on its own), added, and the sum rounded once with `mode`, as a
    /// fused multiply-accumulate. `a` and `b` may have any formats.
    ///
    /// Rounding happens only when the accumulator has fewer fraction bits than the product
    /// (`M_a + M_b`); the usual MAC (Q1.7 × Q1.7 into Q18.14) is exact.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] when the sum does not fit the accumulator.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::fixed::{Fixed, FixedFormat};
    /// use arithsim::round::RoundingMode::NearestEven;
    ///
    /// let q44 = FixedFormat::q(4, 4)?;
    /// let acc_fmt = FixedFormat::q(8, 8)?;
    /// let a = Fixed::from_f64(7.5, q44, NearestEven)?;
    /// let b = Fixed::from_f64(-4.0, q44, NearestEven)?;
    /// // 7.5 × -4 = -30 does not fit Q4.4, but it fits the accumulator.
    /// let acc = Fixed::from_f64(1.0, acc_fmt, NearestEven)?;
    /// assert_eq!(acc.checked_mul_acc(a, b, NearestEven)?.to_string(), "-29.0");
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn checked_mul_acc(self, a: Fixed, b: Fixed, mode: RoundingMode) -> Result<Fixed> {
        checked(self.exact_mul_acc(a, b, mode), self.format())
    }

    /// `self + a × b` rounded with `mode`, keeping the low `N` bits of the accumulator.
    pub fn wrapping_mul_acc(self, a: Fixed, b: Fixed, mode: RoundingMode) -> Fixed {
        self.exact_mul_acc(a, b, mode).land(self.format()).wrapped
    }

    /// `self + a × b` rounded with `mode`, clamped to the accumulator's range.
    pub fn saturating_mul_acc(self, a: Fixed, b: Fixed, mode: RoundingMode) -> Fixed {
        self.exact_mul_acc(a, b, mode).land(self.format()).saturated
    }

    /// `self + a × b` rounded with `mode`, wrapped, and whether it overflowed.
    pub fn overflowing_mul_acc(self, a: Fixed, b: Fixed, mode: RoundingMode) -> (Fixed, bool) {
        overflowing(self.exact_mul_acc(a, b, mode).land(self.format()))
    }
}

// --- conversion between formats ------------------------------------------------------------

impl Fixed {
    /// The same number in format `to`, rounded with `mode` when `to` has fewer fraction bits.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] when the value does not fit `to`.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::fixed::{Fixed, FixedFormat};
    /// use arithsim::round::RoundingMode;
    ///
    /// let q88 = FixedFormat::q(8, 8)?;
    /// let q44 = FixedFormat::q(4, 4)?;
    /// let x = Fixed::from_f64(2.71875, q88, RoundingMode::NearestEven)?; // raw 696
    /// assert_eq!(x.checked_to_format(q44, RoundingMode::NearestEven)?.to_string(), "2.75");
    /// assert_eq!(x.checked_to_format(q44, RoundingMode::TowardZero)?.to_string(), "2.6875");
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn checked_to_format(self, to: FixedFormat, mode: RoundingMode) -> Result<Fixed> {
        checked(self.exact_to_format(to, mode), to)
    }

    /// The value in format `to`, rounded with `mode`, keeping the low `N` bits.
    pub fn wrapping_to_format(self, to: FixedFormat, mode: RoundingMode) -> Fixed {
        self.exact_to_format(to, mode).land(to).wrapped
    }

    /// The value in format `to`, rounded with `mode`, clamped to `to`'s range.
    pub fn saturating_to_format(self, to: FixedFormat, mode: RoundingMode) -> Fixed {
        self.exact_to_format(to, mode).land(to).saturated
    }

    /// The value in format `to`, rounded with `mode`, wrapped, and whether it overflowed.
    pub fn overflowing_to_format(self, to: FixedFormat, mode: RoundingMode) -> (Fixed, bool) {
        overflowing(self.exact_to_format(to, mode).land(to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::round::RoundingMode::NearestEven;

    #[test]
    fn mismatched_formats_are_errors() {
        let a = Fixed::zero(FixedFormat::q(4, 4).unwrap());
        let b = Fixed::zero(FixedFormat::uq(4, 4).unwrap());
        let e = a.checked_add(b).unwrap_err();
        assert_eq!(e.to_string(), "format mismatch: Q4.4 vs UQ4.4");
        assert!(a.wrapping_mul(b, NearestEven).is_err());
        assert!(a.saturating_div(b, NearestEven).is_err());
        assert!(a.overflowing_sub(b).is_err());
    }

    #[test]
    fn widest_formats_do_not_overflow_internally() {
        let u = FixedFormat::uq(64, 0).unwrap();
        let m = Fixed::max_value(u);
        assert_eq!(m.saturating_mul(m, NearestEven).unwrap(), m);
        let (w, o) = m.overflowing_mul(m, NearestEven).unwrap();
        assert!(o);
        assert_eq!(w.raw(), 1); // (2^64-1)^2 mod 2^64
        let s = FixedFormat::q(64, 0).unwrap();
        let min = Fixed::min_value(s);
        let minus_one = Fixed::from_raw(s, -1).unwrap();
        assert!(min.checked_div(minus_one, NearestEven).is_err());
        assert_eq!(min.wrapping_div(minus_one, NearestEven).unwrap(), min);
        assert_eq!(
            min.saturating_mul(min, NearestEven).unwrap(),
            Fixed::max_value(s)
        );
    }
}
