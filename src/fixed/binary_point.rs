//! Fixed point with the binary point drawn in the pattern, as the course writes it
//! (`0011.1000` = 3.5 in Q4.4/UQ4.4): reading a pattern bit by bit with its weights, and
//! addition with the point kept in place, saying when the sum leaves the format.

use std::fmt;

use super::ops::same_format;
use super::value::decimal;
use super::{Fixed, FixedFormat};
use crate::{Error, Result};

impl Fixed {
    /// The pattern with the binary point between the integer and fraction bits:
    /// `0011.1000`. A format without fraction bits prints no point; one without integer
    /// bits starts with the point (`.1000`).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::fixed::{Fixed, FixedFormat};
    ///
    /// let x = Fixed::from_raw(FixedFormat::uq(4, 4)?, 56)?;
    /// assert_eq!(x.to_binary_point(), "0011.1000");
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn to_binary_point(self) -> String {
        let f = self.format();
        let bits = format!("{:0w$b}", self.to_bits(), w = f.width() as usize);
        let (int, frac) = bits.split_at(f.int_bits() as usize);
        if frac.is_empty() {
            int.to_string()
        } else {
            format!("{int}.{frac}")
        }
    }

    /// Parses a pattern written with its binary point (`"0011.1000"`, `_` allowed between
    /// bits): exactly `K` bits before the point and `M` after it for a Q(K.M) format.
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] for a character other than 0, 1, `_` or one `.`, or for bit counts
    /// that do not match the format.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::fixed::{Fixed, FixedFormat};
    ///
    /// let x = Fixed::parse_binary_point("0100.1100", FixedFormat::q(4, 4)?)?;
    /// assert_eq!((x.raw(), x.to_string()), (76, "4.75".into()));
    /// let neg = Fixed::parse_binary_point("1100.0000", FixedFormat::q(4, 4)?)?;
    /// assert_eq!(neg.to_string(), "-4.0"); // the top bit weighs -2^3 in Q4.4
    /// assert!(Fixed::parse_binary_point("011.1000", FixedFormat::q(4, 4)?).is_err());
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn parse_binary_point(pattern: &str, format: FixedFormat) -> Result<Fixed> {
        let bad = |reason: String| Error::Parse {
            input: pattern.to_string(),
            reason,
        };
        let clean: String = pattern.trim().chars().filter(|&c| c != '_').collect();
        if let Some(c) = clean.chars().find(|c| !matches!(c, '0' | '1' | '.')) {
            return Err(bad(format!("{c:?} is not a bit or a binary point")));
        }
        let (int, frac) = match clean.split_once('.') {
            Some((i, f)) if !f.contains('.') => (i, f),
            Some(_) => return Err(bad("more than one binary point".into())),
            None => (clean.as_str(), ""),
        };
        let (k, m) = (format.int_bits() as usize, format.frac_bits() as usize);
        if int.len() != k || frac.len() != m {
            return Err(bad(format!(
                "{format} is written with {k} bits before the point and {m} after it, got {} \
                 and {}",
                int.len(),
                frac.len()
            )));
        }
        let bits =
            u64::from_str_radix(&format!("{int}{frac}"), 2).map_err(|e| bad(e.to_string()))?;
        Fixed::from_bits(format, bits)
    }
}

/// One set bit of a pattern with its weight `±2^power`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PointTerm {
    /// The weight's power of two: `1` for the bit left of the point, `-1` right of it.
    pub power: i32,
    /// The bit is a signed format's top bit, which weighs `−2^(K−1)`.
    pub negative: bool,
}

/// A pattern read bit by bit in a fixed-point format (see [`read_binary_point`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PointReading {
    /// The value read.
    pub value: Fixed,
    /// The set bits with their weights, most significant first.
    pub terms: Vec<PointTerm>,
}

/// Reads `pattern` (written with its binary point, see [`Fixed::parse_binary_point`]) in
/// `format`, keeping the weight of every set bit: `0011.1000` = 2^1 + 2^0 + 2^-1 = 3.5.
///
/// # Errors
///
/// As [`Fixed::parse_binary_point`].
///
/// # Examples
///
/// ```
/// use arithsim::fixed::{read_binary_point, FixedFormat};
///
/// let r = read_binary_point("0011.1000", FixedFormat::uq(4, 4)?)?;
/// assert_eq!(r.to_string(), "0011.1000 in UQ4.4 = 2^1 + 2^0 + 2^-1 = 3.5 (raw 56 × 2^-4)");
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn read_binary_point(pattern: &str, format: FixedFormat) -> Result<PointReading> {
    let value = Fixed::parse_binary_point(pattern, format)?;
    let bits = value.to_bits();
    let (w, m) = (format.width(), format.frac_bits() as i32);
    let terms = (0..w)
        .rev()
        .filter(|&i| bits >> i & 1 == 1)
        .map(|i| PointTerm {
            power: i as i32 - m,
            negative: format.is_signed() && i == w - 1,
        })
        .collect();
    Ok(PointReading { value, terms })
}

impl fmt::Display for PointReading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let format = self.value.format();
        let terms: Vec<String> = self
            .terms
            .iter()
            .enumerate()
            .map(|(i, t)| match (i, t.negative) {
                (_, true) => format!("−2^{}", t.power),
                (0, false) => format!("2^{}", t.power),
                (_, false) => format!("+ 2^{}", t.power),
            })
            .collect();
        let sum = if terms.is_empty() {
            "0".to_string()
        } else {
            terms.join(" ")
        };
        write!(
            f,
            "{} in {format} = {sum} = {} (raw {} × 2^-{})",
            self.value.to_binary_point(),
            self.value,
            self.value.raw(),
            format.frac_bits()
        )
    }
}

/// The steps of a fixed-point addition `a + b` (see [`explain_add`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddTrace {
    /// First operand.
    pub a: Fixed,
    /// Second operand.
    pub b: Fixed,
    /// The exact integer sum of the raw values.
    pub raw_sum: i128,
    /// The sum wrapped to the format's `N` bits: what an `N`-bit adder keeps.
    pub result: Fixed,
    /// The exact sum is outside the format's range (`result` is then wrapped).
    pub overflow: bool,
}

impl AddTrace {
    /// The exact sum in decimal (`"8.25"`), whether or not it fits.
    pub fn exact_sum(&self) -> String {
        let m = self.a.format().frac_bits();
        decimal(self.raw_sum < 0, self.raw_sum.unsigned_abs(), m)
    }
}

/// Adds `a + b` (same format) with the binary point kept in place: the raw values add as
/// integers, and the trace says whether the exact sum is in the format's range. The course's
/// 3.5 + 4.75 = 8.25 fits UQ4.4 but not Q4.4, whose 8 bits then read −7.75.
///
/// # Errors
///
/// [`Error::FormatMismatch`] when the formats differ.
///
/// # Examples
///
/// ```
/// use arithsim::fixed::{explain_add, Fixed, FixedFormat};
///
/// for (format, fits) in [(FixedFormat::uq(4, 4)?, true), (FixedFormat::q(4, 4)?, false)] {
///     let a = Fixed::parse_binary_point("0011.1000", format)?;
///     let b = Fixed::parse_binary_point("0100.1100", format)?;
///     let t = explain_add(a, b)?;
///     assert_eq!((t.raw_sum, t.exact_sum()), (132, "8.25".to_string()));
///     assert_eq!(t.result.to_binary_point(), "1000.0100");
///     assert_eq!(t.overflow, !fits);
/// }
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn explain_add(a: Fixed, b: Fixed) -> Result<AddTrace> {
    same_format(a, b)?;
    let raw_sum = a.raw() + b.raw();
    let (result, overflow) = a.overflowing_add(b)?;
    Ok(AddTrace {
        a,
        b,
        raw_sum,
        result,
        overflow,
    })
}

impl fmt::Display for AddTrace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let format = self.a.format();
        let w = format.width() as usize + 1;
        writeln!(f, "{format} add:")?;
        writeln!(
            f,
            "    {:>w$}  ({}, raw {})",
            self.a.to_binary_point(),
            self.a,
            self.a.raw()
        )?;
        writeln!(
            f,
            "  + {:>w$}  ({}, raw {})",
            self.b.to_binary_point(),
            self.b,
            self.b.raw()
        )?;
        writeln!(f, "    {}", "-".repeat(w))?;
        writeln!(
            f,
            "    {:>w$}  (raw {} + {} = {})",
            self.result.to_binary_point(),
            self.a.raw(),
            self.b.raw(),
            self.raw_sum
        )?;
        if self.overflow {
            write!(
                f,
                "  {} + {} = {} is outside {format} ({} … {}): the {} bits read {} (wrapped)",
                self.a,
                self.b,
                self.exact_sum(),
                Fixed::min_value(format),
                Fixed::max_value(format),
                format.width(),
                self.result
            )
        } else {
            write!(
                f,
                "  {} + {} = {}, inside {format} ({} … {})",
                self.a,
                self.b,
                self.result,
                Fixed::min_value(format),
                Fixed::max_value(format)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_q4_4_pattern_round_trips() {
        for format in [
            FixedFormat::q(4, 4).unwrap(),
            FixedFormat::uq(4, 4).unwrap(),
        ] {
            for bits in 0u64..256 {
                let x = Fixed::from_bits(format, bits).unwrap();
                let back = Fixed::parse_binary_point(&x.to_binary_point(), format).unwrap();
                assert_eq!(back, x);
                // The weights sum to the value (exact in f64 for 8-bit patterns).
                let r = read_binary_point(&x.to_binary_point(), format).unwrap();
                let sum: f64 = r
                    .terms
                    .iter()
                    .map(|t| if t.negative { -1.0 } else { 1.0 } * 2f64.powi(t.power))
                    .sum();
                assert_eq!(sum, x.raw() as f64 / 16.0);
            }
        }
    }

    #[test]
    fn formats_without_a_side() {
        let int_only = FixedFormat::q(4, 0).unwrap();
        assert_eq!(
            Fixed::from_raw(int_only, 3).unwrap().to_binary_point(),
            "0011"
        );
        assert_eq!(
            Fixed::parse_binary_point("0011.", int_only).unwrap().raw(),
            3
        );
        assert!(Fixed::parse_binary_point("0011.0", int_only).is_err());
        let frac_only = FixedFormat::uq(0, 4).unwrap();
        assert_eq!(
            Fixed::from_raw(frac_only, 8).unwrap().to_binary_point(),
            ".1000"
        );
        assert!(Fixed::parse_binary_point("0.1.0", frac_only).is_err());
        assert!(Fixed::parse_binary_point("0021.0000", FixedFormat::q(4, 4).unwrap()).is_err());
    }
}
