//! `Fixed`: a fixed-point value, stored as the raw pattern the hardware holds.

use std::cmp::Ordering;
use std::fmt;

use super::FixedFormat;
use super::exact::Exact;
use crate::round::{RoundingMode, round_shift};
use crate::{Error, Result};

/// A fixed-point value: an `N`-bit pattern and its [`FixedFormat`].
///
/// The number it stands for is `raw · 2^-M`, where `raw` is the pattern read as an unsigned
/// or two's complement integer. Arithmetic works on the raw integers; the scaling factor is
/// explicit in every step (see [`crate::fixed::explain_mul`]).
///
/// Equality (`==`) compares format and pattern; ordering (`<`) is defined between values of
/// the same format. [`Fixed::cmp_value`] compares the numbers across formats.
///
/// # Why there is no `+`, `-`, `*`, `/`
///
/// The format is a runtime value, so two `Fixed` operands may have different formats, and any
/// sum may overflow: a std operator would have to panic on a format mismatch or pick an
/// overflow behaviour silently, and mul/div would have to pick a rounding mode. The crate
/// never panics on user input, so arithmetic is only in methods that name the overflow
/// behaviour and take the rounding mode. A type-level format (one Rust type per Q(K.M), as
/// the `fixed` crate does) would make equal formats a compile-time fact, but every signature
/// would then carry type-level numbers while arithsim's formats are chosen at run time (from
/// sweeps, tables, command lines), so it is not offered.
///
/// The method families and their return types:
///
/// | family | binary ops (`add`, `sub`, `mul`, `div`) | unary ops (`neg`, `mul_acc`, `to_format`) |
/// |---|---|---|
/// | `checked_*` | `Result<Fixed>` | `Result<Fixed>` |
/// | `wrapping_*`, `saturating_*` | `Result<Fixed>` | `Fixed` |
/// | `overflowing_*` | `Result<(Fixed, bool)>` | `(Fixed, bool)` |
///
/// The binary operations return `Result` in every family because their two operands must
/// share a format ([`Error::FormatMismatch`]; `div` also for a zero divisor); `checked_*`
/// errs on overflow too ([`Error::OutOfRange`], naming the exact result and the range).
/// `mul_acc` accumulates into `self`'s format, whatever the factors' formats, so it cannot
/// mismatch.
///
/// # Examples
///
/// ```
/// use arithsim::fixed::{Fixed, FixedFormat};
/// use arithsim::round::RoundingMode::NearestEven;
///
/// let q44 = FixedFormat::q(4, 4)?;
/// let a = Fixed::from_f64(3.5, q44, NearestEven)?;
/// assert_eq!(a.raw(), 56); // 3.5 × 2^4
/// assert_eq!(a.to_bits(), 0b0011_1000);
/// assert_eq!(a.to_string(), "3.5");
/// let m = Fixed::from_raw(q44, -128)?;
/// assert_eq!(m.to_f64(NearestEven), -8.0);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fixed {
    format: FixedFormat,
    bits: u64,
}

impl Fixed {
    /// The value with raw integer `raw` (so the number `raw · 2^-M`).
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] when `raw` is outside the format's raw range.
    pub fn from_raw(format: FixedFormat, raw: i128) -> Result<Fixed> {
        if format.contains_raw(raw) {
            Ok(Fixed::from_pattern_unchecked(format, raw as u64))
        } else {
            Err(Error::OutOfRange {
                value: raw.to_string(),
                min: format.min_raw().to_string(),
                max: format.max_raw().to_string(),
                what: format!("raw values of {format}"),
            })
        }
    }

    /// The value whose `N`-bit pattern is `bits`.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] when `bits` has a bit set at or above position `N`.
    pub fn from_bits(format: FixedFormat, bits: u64) -> Result<Fixed> {
        if bits & !format.pattern_mask() != 0 {
            return Err(Error::OutOfRange {
                value: format!("pattern {bits:#x}"),
                min: "0x0".into(),
                max: format!("{:#x}", format.pattern_mask()),
                what: format!("{format} ({} bits)", format.width()),
            });
        }
        Ok(Fixed { format, bits })
    }

    /// Keeps the low `N` bits of `bits`.
    #[inline]
    pub(crate) fn from_pattern_unchecked(format: FixedFormat, bits: u64) -> Fixed {
        Fixed {
            format,
            bits: bits & format.pattern_mask(),
        }
    }

    /// Zero in `format`.
    #[inline]
    pub fn zero(format: FixedFormat) -> Fixed {
        Fixed { format, bits: 0 }
    }

    /// The smallest value of `format` (named like `num_traits::Bounded::min_value`, so it is
    /// not read as `Ord::min`).
    #[inline]
    pub fn min_value(format: FixedFormat) -> Fixed {
        Fixed::from_pattern_unchecked(format, format.min_raw() as u64)
    }

    /// The largest value of `format` (named like `num_traits::Bounded::max_value`).
    #[inline]
    pub fn max_value(format: FixedFormat) -> Fixed {
        Fixed::from_pattern_unchecked(format, format.max_raw() as u64)
    }

    /// The nearest value to `x` under `mode` (`x · 2^M` rounded to an integer).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for NaN; [`Error::OutOfRange`] when the rounded value does
    /// not fit (use [`Fixed::saturating_from_f64`] to clamp instead).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::fixed::{Fixed, FixedFormat};
    /// use arithsim::round::RoundingMode;
    ///
    /// let q44 = FixedFormat::q(4, 4)?;
    /// // 0.03125 is half a step: a tie.
    /// assert_eq!(Fixed::from_f64(0.03125, q44, RoundingMode::NearestEven)?.raw(), 0);
    /// assert_eq!(Fixed::from_f64(0.03125, q44, RoundingMode::NearestAway)?.raw(), 1);
    /// let e = Fixed::from_f64(8.0, q44, RoundingMode::NearestEven).unwrap_err();
    /// assert_eq!(e.to_string(), "value 8 is out of range -8.0..=7.9375 for Q4.4");
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn from_f64(x: f64, format: FixedFormat, mode: RoundingMode) -> Result<Fixed> {
        let landed = f64_exact(x, format.frac_bits(), mode)?.land(format);
        if landed.overflow {
            // Short scientific form for huge inputs (1e300 would print 301 digits).
            let shown = if x.abs() >= 1e16 {
                format!("{x:e}")
            } else {
                x.to_string()
            };
            return Err(out_of_range(shown, format));
        }
        Ok(landed.wrapped)
    }

    /// Like [`Fixed::from_f64`], but values beyond the range (including ±∞) clamp to the
    /// format's minimum or maximum.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for NaN.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::fixed::{Fixed, FixedFormat};
    /// use arithsim::round::RoundingMode::NearestEven;
    ///
    /// let q44 = FixedFormat::q(4, 4)?;
    /// assert_eq!(Fixed::saturating_from_f64(100.0, q44, NearestEven)?.to_string(), "7.9375");
    /// assert_eq!(Fixed::saturating_from_f64(f64::NEG_INFINITY, q44, NearestEven)?.raw(), -128);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn saturating_from_f64(x: f64, format: FixedFormat, mode: RoundingMode) -> Result<Fixed> {
        Ok(f64_exact(x, format.frac_bits(), mode)?
            .land(format)
            .saturated)
    }

    /// The format.
    #[inline]
    pub const fn format(self) -> FixedFormat {
        self.format
    }

    /// The raw integer: the pattern read as unsigned or two's complement.
    #[inline]
    pub const fn raw(self) -> i128 {
        self.format.raw_from_pattern(self.bits)
    }

    /// The `N`-bit pattern, in the low bits of a `u64`.
    #[inline]
    pub const fn to_bits(self) -> u64 {
        self.bits
    }

    /// The value as `f64`, rounded with `mode` when the raw value has more than 53
    /// significant bits (never for formats of 53 bits or fewer).
    pub fn to_f64(self, mode: RoundingMode) -> f64 {
        let raw = self.raw();
        let negative = raw < 0;
        let magnitude = raw.unsigned_abs();
        let significant = 128 - magnitude.leading_zeros();
        let shift = significant.saturating_sub(f64::MANTISSA_DIGITS);
        // At most 54 bits after rounding (a carry to 2^53 is still exact in f64).
        let kept = round_shift(negative, magnitude, shift, false, mode).value as f64;
        let v = kept * (shift as f64 - self.format.frac_bits() as f64).exp2();
        if negative { -v } else { v }
    }

    /// Compares the numbers `self` and `other` stand for, exactly, even across formats.
    ///
    /// ```
    /// use arithsim::fixed::{Fixed, FixedFormat};
    /// use std::cmp::Ordering;
    ///
    /// let a = Fixed::from_raw(FixedFormat::q(4, 4)?, 8)?; // 0.5
    /// let b = Fixed::from_raw(FixedFormat::uq(0, 8)?, 128)?; // 0.5
    /// assert_eq!(a.cmp_value(&b), Ordering::Equal);
    /// assert_ne!(a, b); // different formats
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn cmp_value(&self, other: &Fixed) -> Ordering {
        let (a, b) = (self.raw(), other.raw());
        match (a < 0).cmp(&(b < 0)) {
            Ordering::Less => return Ordering::Greater,
            Ordering::Greater => return Ordering::Less,
            Ordering::Equal => {}
        }
        // Same sign: align both magnitudes to the larger number of fraction bits (at most
        // 128 bits, so u128 holds them).
        let (ma, mb) = (self.format.frac_bits(), other.format.frac_bits());
        let top = ma.max(mb);
        let a_mag = a.unsigned_abs() << (top - ma);
        let b_mag = b.unsigned_abs() << (top - mb);
        let by_magnitude = a_mag.cmp(&b_mag);
        if a < 0 {
            by_magnitude.reverse()
        } else {
            by_magnitude
        }
    }
}

impl PartialOrd for Fixed {
    /// `Some` only when both values have the same format (consistent with `==`).
    fn partial_cmp(&self, other: &Fixed) -> Option<Ordering> {
        (self.format == other.format).then(|| self.raw().cmp(&other.raw()))
    }
}

impl fmt::Display for Fixed {
    /// The exact decimal value (every value of a binary fixed format has a finite decimal
    /// expansion): `3.5`, `-0.0625`, `3.0`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let raw = self.raw();
        f.write_str(&decimal(
            raw < 0,
            raw.unsigned_abs(),
            self.format.frac_bits(),
        ))
    }
}

/// The exact decimal of `±magnitude · 2^-frac_bits` (`frac_bits <= 64`): at least one
/// fraction digit when `frac_bits > 0`, trailing zeros dropped.
pub(crate) fn decimal(negative: bool, magnitude: u128, frac_bits: u32) -> String {
    let sign = if negative && magnitude != 0 { "-" } else { "" };
    if frac_bits == 0 {
        return format!("{sign}{magnitude}");
    }
    let int = if frac_bits >= 128 {
        0
    } else {
        magnitude >> frac_bits
    };
    let mask = (1u128 << frac_bits.min(64)) - 1;
    let mut frac = magnitude & mask;
    let mut digits = String::new();
    // frac < 2^64, so frac * 10 fits; the expansion ends after frac_bits digits.
    while frac != 0 {
        frac *= 10;
        digits.push(char::from(b'0' + (frac >> frac_bits) as u8));
        frac &= mask;
    }
    if digits.is_empty() {
        digits.push('0');
    }
    format!("{sign}{int}.{digits}")
}

/// The error for a number outside `format`'s range.
pub(crate) fn out_of_range(value: String, format: FixedFormat) -> Error {
    Error::OutOfRange {
        value,
        min: Fixed::min_value(format).to_string(),
        max: Fixed::max_value(format).to_string(),
        what: format.to_string(),
    }
}

/// `x · 2^frac_bits` rounded with `mode`, exactly.
fn f64_exact(x: f64, frac_bits: u32, mode: RoundingMode) -> Result<Exact> {
    if x.is_nan() {
        return Err(Error::param(
            "value",
            x,
            "not a number has no fixed-point value",
        ));
    }
    let negative = x.is_sign_negative();
    if x.is_infinite() {
        return Ok(Exact::from_sign_magnitude(negative, 0, true));
    }
    // x = significand · 2^exponent exactly.
    let bits = x.to_bits();
    let field = ((bits >> 52) & 0x7ff) as i32;
    let fraction = (bits & ((1 << 52) - 1)) as u128;
    let (significand, exponent) = if field == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, field - 1075)
    };
    let scale = exponent + frac_bits as i32;
    if scale >= 0 {
        let k = scale as u32;
        let beyond = significand != 0 && significand.leading_zeros() < k;
        let magnitude = if k >= 128 { 0 } else { significand << k };
        Ok(Exact::from_sign_magnitude(negative, magnitude, beyond))
    } else {
        let r = round_shift(negative, significand, (-scale) as u32, false, mode);
        Ok(Exact::from_sign_magnitude(negative, r.value, false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_is_exact() {
        assert_eq!(decimal(false, 56, 4), "3.5");
        assert_eq!(decimal(true, 1, 4), "-0.0625");
        assert_eq!(decimal(false, 48, 4), "3.0");
        assert_eq!(decimal(true, 0, 4), "0.0");
        assert_eq!(
            decimal(false, 1, 64),
            "0.0000000000000000000542101086242752217003726400434970855712890625"
        );
        assert_eq!(decimal(false, 7, 0), "7");
    }

    #[test]
    fn to_f64_rounds_wide_values() {
        let f = FixedFormat::q(64, 0).unwrap();
        let v = Fixed::from_raw(f, (1 << 60) + 1).unwrap();
        assert_eq!(v.to_f64(RoundingMode::NearestEven), (1u64 << 60) as f64);
        assert_eq!(
            v.to_f64(RoundingMode::TowardPositive),
            (1u64 << 60) as f64 + 256.0
        );
        let v = Fixed::from_raw(f, i64::MIN as i128).unwrap();
        assert_eq!(v.to_f64(RoundingMode::NearestEven), i64::MIN as f64);
    }

    #[test]
    fn from_f64_handles_subnormals_and_huge_values() {
        let f = FixedFormat::q(8, 8).unwrap();
        let tiny = f64::from_bits(1);
        assert_eq!(
            Fixed::from_f64(tiny, f, RoundingMode::NearestEven)
                .unwrap()
                .raw(),
            0
        );
        assert_eq!(
            Fixed::from_f64(tiny, f, RoundingMode::TowardPositive)
                .unwrap()
                .raw(),
            1
        );
        assert_eq!(
            Fixed::from_f64(-tiny, f, RoundingMode::TowardNegative)
                .unwrap()
                .raw(),
            -1
        );
        assert_eq!(
            Fixed::saturating_from_f64(1e300, f, RoundingMode::NearestEven).unwrap(),
            Fixed::max_value(f)
        );
        assert_eq!(
            Fixed::saturating_from_f64(-1e300, f, RoundingMode::NearestEven).unwrap(),
            Fixed::min_value(f)
        );
    }
}
