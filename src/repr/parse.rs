//! Parsing bit-pattern literals: `0b1011_0110`, `0x4AF`, `0o17`, or digits in any radix.

use super::bits::{Bits, MAX_BITS};
use crate::{Error, Result};

fn parse_error(input: &str, reason: impl Into<String>) -> Error {
    Error::Parse {
        input: input.to_string(),
        reason: reason.into(),
    }
}

impl Bits {
    /// Parses a prefixed literal: `0b` binary, `0o` octal or `0x` hex (either case), with `_`
    /// or spaces between digits. The width is the number of digits times the bits per digit,
    /// so leading zeros count: `0x04AF` is 16 bits (capped at 128 when the extra top bits
    /// of an octal literal are zero).
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] for an empty string, a missing prefix, no digits, a digit invalid for
    /// the radix, or more than 128 bits.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::repr::Bits;
    ///
    /// assert_eq!(Bits::parse("0o17")?.to_string(), "001111");
    /// assert_eq!(Bits::parse("0b1011 0110")?.to_u128(), 182);
    /// let e = Bits::parse("0b102").unwrap_err();
    /// assert_eq!(e.to_string(), "cannot parse \"0b102\": '2' is not a digit in radix 2");
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn parse(literal: &str) -> Result<Bits> {
        let trimmed = literal.trim();
        if trimmed.is_empty() {
            return Err(parse_error(literal, "empty literal"));
        }
        let lower = trimmed.get(..2).map(str::to_ascii_lowercase);
        let radix = match lower.as_deref() {
            Some("0b") => 2,
            Some("0o") => 8,
            Some("0x") => 16,
            _ => {
                return Err(parse_error(
                    literal,
                    "expected a 0b, 0o or 0x prefix (use Bits::parse_radix for plain digits)",
                ));
            }
        };
        parse_digits(literal, &trimmed[2..], radix)
    }

    /// Parses plain digits (no prefix) in `radix` 2..=36, with `_` or spaces between digits.
    ///
    /// For radix 2, 4, 8, 16 and 32 each digit is a fixed group of bits, so the width is the
    /// number of digits times the bits per digit. For other radices the width is the fewest
    /// bits that hold the value (at least 1).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRadix`] outside 2..=36; [`Error::Parse`] for an empty string, a digit
    /// invalid for the radix, or a value needing more than 128 bits.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::repr::Bits;
    ///
    /// assert_eq!(Bits::parse_radix("1101", 2)?.to_u128(), 13);
    /// assert_eq!(Bits::parse_radix("47", 10)?.to_string(), "101111");
    /// assert_eq!(Bits::parse_radix("zz", 36)?.to_u128(), 1295);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn parse_radix(digits: &str, radix: u32) -> Result<Bits> {
        if !(2..=36).contains(&radix) {
            return Err(Error::InvalidRadix { radix });
        }
        if digits.trim().is_empty() {
            return Err(parse_error(digits, "empty literal"));
        }
        parse_digits(digits, digits, radix)
    }
}

/// The digit values of `digits` in `radix`, separators removed.
pub(crate) fn digit_values(input: &str, digits: &str, radix: u32) -> Result<Vec<u32>> {
    let mut values = Vec::with_capacity(digits.len());
    for c in digits.chars() {
        if c == '_' || c == ' ' {
            continue;
        }
        let d = c
            .to_digit(radix)
            .ok_or_else(|| parse_error(input, format!("{c:?} is not a digit in radix {radix}")))?;
        values.push(d);
    }
    if values.is_empty() {
        return Err(parse_error(input, "no digits"));
    }
    Ok(values)
}

fn parse_digits(input: &str, digits: &str, radix: u32) -> Result<Bits> {
    let values = digit_values(input, digits, radix)?;
    let too_wide = |bits: String| {
        parse_error(
            input,
            format!("needs {bits} bits, more than the {MAX_BITS} a pattern holds"),
        )
    };
    if radix.is_power_of_two() {
        let per_digit = radix.trailing_zeros();
        let width = values.len() as u64 * per_digit as u64;
        if width >= (MAX_BITS + per_digit) as u64 {
            return Err(too_wide(width.to_string()));
        }
        let mut value = 0u128;
        for &d in &values {
            // Octal digits do not divide 128 bits: a 43-digit octal literal whose top
            // digit is at most 3 still fits, and is clamped to 128 bits.
            if value >> (128 - per_digit) != 0 {
                return Err(too_wide(width.to_string()));
            }
            value = (value << per_digit) | d as u128;
        }
        return Ok(Bits::from_low(value, width.min(MAX_BITS as u64) as u32));
    }
    let mut value = 0u128;
    for &d in &values {
        value = value
            .checked_mul(radix as u128)
            .and_then(|v| v.checked_add(d as u128))
            .ok_or_else(|| too_wide("more than 128".into()))?;
    }
    let width = (128 - value.leading_zeros()).max(1);
    Ok(Bits::from_low(value, width))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_digits() {
        assert_eq!(Bits::parse("0x04AF").unwrap().width(), 16);
        assert_eq!(Bits::parse("0B1").unwrap().width(), 1);
        assert_eq!(Bits::parse_radix("0", 10).unwrap().width(), 1);
        assert_eq!(Bits::parse_radix("777", 8).unwrap().width(), 9);
        let top = format!("0o3{}", "7".repeat(42));
        assert_eq!(Bits::parse(&top).unwrap().to_u128(), u128::MAX);
        assert!(Bits::parse(&format!("0o4{}", "0".repeat(42))).is_err());
        assert!(Bits::parse(&format!("0x{}", "0".repeat(33))).is_err());
        assert_eq!(
            Bits::parse(&format!("0x{}", "F".repeat(32)))
                .unwrap()
                .to_u128(),
            u128::MAX
        );
        assert_eq!(
            Bits::parse_radix(&u128::MAX.to_string(), 10)
                .unwrap()
                .width(),
            128
        );
    }
}
