//! `FixedFormat`: the Q(K.M) format of a fixed-point value.

use std::fmt;

use crate::repr::Signedness;
use crate::{Error, Result};

/// Widest fixed-point format supported, in bits (K + M).
pub const MAX_FIXED_WIDTH: u32 = crate::limits::FIXED_MAX_WIDTH;

/// A fixed-point format Q(K.M): `K` integer bits, `M` fraction bits, width `N = K + M`.
///
/// A value is an `N`-bit integer (the raw value the hardware stores) scaled by `2^-M`. In a
/// signed format the raw value is two's complement and the sign bit is the top one of the `K`
/// integer bits, so signed Q4.4 spans −8 … 7.9375 and unsigned Q4.4 spans 0 … 15.9375, both
/// in steps of `2^-4 = 0.0625`.
///
/// # Examples
///
/// ```
/// use arithsim::fixed::FixedFormat;
///
/// let q44 = FixedFormat::q(4, 4)?;
/// assert_eq!(q44.width(), 8);
/// assert_eq!((q44.min_raw(), q44.max_raw()), (-128, 127));
/// assert_eq!((q44.min_f64(), q44.max_f64()), (-8.0, 7.9375));
/// assert_eq!(q44.to_string(), "Q4.4");
///
/// let uq44 = FixedFormat::uq(4, 4)?;
/// assert_eq!((uq44.min_f64(), uq44.max_f64()), (0.0, 15.9375));
/// assert_eq!(uq44.to_string(), "UQ4.4");
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FixedFormat {
    int_bits: u8,
    frac_bits: u8,
    signedness: Signedness,
}

impl FixedFormat {
    /// A format with `int_bits` integer bits (including the sign bit when signed) and
    /// `frac_bits` fraction bits. [`FixedFormat::q`] and [`FixedFormat::uq`] are the short
    /// forms.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidWidth`] when `int_bits + frac_bits` is outside 1..=64;
    /// [`Error::InvalidParameter`] when a signed format has no integer bit to hold its sign.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::fixed::FixedFormat;
    /// use arithsim::Signedness;
    ///
    /// assert_eq!(FixedFormat::new(4, 4, Signedness::Signed)?, FixedFormat::q(4, 4)?);
    /// let e = FixedFormat::new(40, 40, Signedness::Signed).unwrap_err();
    /// assert_eq!(e.to_string(), "fixed-point format width 80 is out of range 1..=64");
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn new(int_bits: u32, frac_bits: u32, signedness: Signedness) -> Result<FixedFormat> {
        let width = int_bits.saturating_add(frac_bits);
        Error::check_width("fixed-point format", width, 1, MAX_FIXED_WIDTH)?;
        if signedness.is_signed() && int_bits == 0 {
            return Err(Error::param(
                "int_bits",
                0,
                "a signed format needs at least 1 integer bit to hold the sign",
            ));
        }
        Ok(FixedFormat {
            int_bits: int_bits as u8,
            frac_bits: frac_bits as u8,
            signedness,
        })
    }

    /// Signed Q(K.M), the sign bit counted in `int_bits`: `FixedFormat::q(4, 4)` is −8 … 7.9375.
    ///
    /// # Errors
    ///
    /// As [`FixedFormat::new`].
    pub fn q(int_bits: u32, frac_bits: u32) -> Result<FixedFormat> {
        FixedFormat::new(int_bits, frac_bits, Signedness::Signed)
    }

    /// Unsigned UQ(K.M): `FixedFormat::uq(4, 4)` is 0 … 15.9375.
    ///
    /// # Errors
    ///
    /// As [`FixedFormat::new`].
    pub fn uq(int_bits: u32, frac_bits: u32) -> Result<FixedFormat> {
        FixedFormat::new(int_bits, frac_bits, Signedness::Unsigned)
    }

    /// Total width `N = K + M` in bits.
    #[inline]
    pub const fn width(self) -> u32 {
        self.int_bits as u32 + self.frac_bits as u32
    }

    /// Integer bits `K` (including the sign bit of a signed format).
    #[inline]
    pub const fn int_bits(self) -> u32 {
        self.int_bits as u32
    }

    /// Fraction bits `M`: the scaling factor is `2^-M`.
    #[inline]
    pub const fn frac_bits(self) -> u32 {
        self.frac_bits as u32
    }

    /// Two's complement (true) or unsigned (false) raw values.
    #[inline]
    pub const fn is_signed(self) -> bool {
        self.signedness.is_signed()
    }

    /// Two's complement or unsigned raw values.
    #[inline]
    pub const fn signedness(self) -> Signedness {
        self.signedness
    }

    /// Smallest raw value: `-2^(N-1)` signed, `0` unsigned.
    #[inline]
    pub const fn min_raw(self) -> i128 {
        if self.signedness.is_signed() {
            -(1i128 << (self.width() - 1))
        } else {
            0
        }
    }

    /// Largest raw value: `2^(N-1) - 1` signed, `2^N - 1` unsigned.
    #[inline]
    pub const fn max_raw(self) -> i128 {
        if self.signedness.is_signed() {
            (1i128 << (self.width() - 1)) - 1
        } else {
            (1i128 << self.width()) - 1
        }
    }

    /// True when `raw` is a value of this format.
    #[inline]
    pub const fn contains_raw(self, raw: i128) -> bool {
        raw >= self.min_raw() && raw <= self.max_raw()
    }

    /// The weight of one raw step, `2^-M`.
    pub fn resolution(self) -> f64 {
        (-(self.frac_bits() as f64)).exp2()
    }

    /// The scaling factor `2^-M` that turns the stored integer into the value
    /// (`value = raw × scaling_factor`): the course's name for [`Self::resolution`], the same
    /// number.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::fixed::FixedFormat;
    ///
    /// let q: FixedFormat = "q4.4".parse()?;
    /// assert_eq!(q.scaling_factor(), 0.0625);
    /// assert_eq!(q.scaling_factor(), q.resolution());
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn scaling_factor(self) -> f64 {
        self.resolution()
    }

    /// The smallest value, as f64 (rounded to nearest for formats wider than 53 bits).
    pub fn min_f64(self) -> f64 {
        self.min_raw() as f64 * self.resolution()
    }

    /// The largest value, as f64 (rounded to nearest for formats wider than 53 bits).
    pub fn max_f64(self) -> f64 {
        self.max_raw() as f64 * self.resolution()
    }

    /// Mask of the `N` pattern bits.
    #[inline]
    pub(crate) const fn pattern_mask(self) -> u64 {
        u64::MAX >> (64 - self.width())
    }

    /// The raw value whose pattern is the low `N` bits of `bits` (sign-extended if signed).
    #[inline]
    pub(crate) const fn raw_from_pattern(self, bits: u64) -> i128 {
        let bits = bits & self.pattern_mask();
        if self.signedness.is_signed() {
            let shift = 64 - self.width();
            ((bits << shift) as i64 >> shift) as i128
        } else {
            bits as i128
        }
    }
}

impl fmt::Display for FixedFormat {
    /// `Q4.4` for signed, `UQ4.4` for unsigned.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let u = if self.signedness.is_signed() { "" } else { "U" };
        write!(f, "{u}Q{}.{}", self.int_bits, self.frac_bits)
    }
}

impl std::str::FromStr for FixedFormat {
    type Err = Error;

    /// Parses what [`Display`](fmt::Display) prints: `Q<int>.<frac>` (signed, the sign bit
    /// counted in `<int>`) or `UQ<int>.<frac>` (unsigned), case-insensitively (`"q4.4"`,
    /// `"uq8.8"`).
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] naming the input for another syntax; [`FixedFormat::new`]'s errors
    /// for widths out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::fixed::FixedFormat;
    /// assert_eq!("q4.4".parse::<FixedFormat>()?, FixedFormat::q(4, 4)?);
    /// assert_eq!("UQ8.8".parse::<FixedFormat>()?, FixedFormat::uq(8, 8)?);
    /// assert!("q4".parse::<FixedFormat>().is_err());
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<FixedFormat> {
        let key = crate::names::normalize(s);
        let bad = || {
            crate::names::unknown(
                "fixed-point format",
                s,
                &["Q<int>.<frac> (signed)", "UQ<int>.<frac> (unsigned)"],
            )
        };
        let (signedness, rest) = match key.strip_prefix("uq") {
            Some(r) => (Signedness::Unsigned, r),
            None => (Signedness::Signed, key.strip_prefix('q').ok_or_else(bad)?),
        };
        let (i, f) = rest.split_once('.').ok_or_else(bad)?;
        let int_bits: u32 = i.parse().map_err(|_| bad())?;
        let frac_bits: u32 = f.parse().map_err(|_| bad())?;
        FixedFormat::new(int_bits, frac_bits, signedness)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_of_the_course_formats() {
        let q = FixedFormat::q(4, 4).unwrap();
        assert_eq!(
            (q.min_f64(), q.max_f64(), q.resolution()),
            (-8.0, 7.9375, 0.0625)
        );
        let u = FixedFormat::uq(4, 4).unwrap();
        assert_eq!((u.min_raw(), u.max_raw()), (0, 255));
        let w = FixedFormat::uq(0, 64).unwrap();
        assert_eq!(w.max_raw(), u64::MAX as i128);
        let s = FixedFormat::q(64, 0).unwrap();
        assert_eq!(
            (s.min_raw(), s.max_raw()),
            (i64::MIN as i128, i64::MAX as i128)
        );
    }

    #[test]
    fn pattern_round_trip() {
        let q = FixedFormat::q(2, 2).unwrap();
        assert_eq!(q.raw_from_pattern(0b1111), -1);
        assert_eq!(q.raw_from_pattern(0b1000), -8);
        assert_eq!(q.raw_from_pattern(0b1_0111), 7);
        let s = FixedFormat::q(64, 0).unwrap();
        assert_eq!(s.raw_from_pattern(u64::MAX), -1);
    }

    #[test]
    fn bad_formats_are_errors() {
        assert_eq!(
            FixedFormat::q(0, 0).unwrap_err().to_string(),
            "fixed-point format width 0 is out of range 1..=64"
        );
        assert_eq!(
            FixedFormat::q(0, 8).unwrap_err().to_string(),
            "invalid int_bits 0: a signed format needs at least 1 integer bit to hold the sign"
        );
        assert!(FixedFormat::new(u32::MAX, 2, Signedness::Unsigned).is_err());
    }
}

// A fixed-point format in a configuration file is its name ("Q4.4", "UQ8.8").
#[cfg(feature = "serde")]
crate::names::serde_via_str!(FixedFormat);
