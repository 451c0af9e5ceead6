//! The digit tables a student memorizes: each digit of a radix with its decimal value and its
//! bits (the hex table 0–F), and how many values N digits hold (r^N, range 0 … r^N − 1).

use std::fmt;

use crate::{Error, Result};

fn check_radix(radix: u32) -> Result<()> {
    if (2..=36).contains(&radix) {
        Ok(())
    } else {
        Err(Error::InvalidRadix { radix })
    }
}

/// One row of a [`DigitTable`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigitRow {
    /// The digit's symbol (`'A'` for ten).
    pub symbol: char,
    /// Its value.
    pub value: u32,
    /// Its value in binary, as many bits as the largest digit needs (`"1010"`).
    pub binary: String,
}

/// Every digit of a radix (see [`digit_table`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigitTable {
    /// The radix.
    pub radix: u32,
    /// One row per digit, 0 first.
    pub rows: Vec<DigitRow>,
}

/// The digits of `radix` with decimal value and binary pattern: for 16, the hex table
/// `0 = 0000` … `F = 1111` (each hex digit is exactly one nibble).
///
/// # Errors
///
/// [`Error::InvalidRadix`] outside 2..=36.
///
/// # Examples
///
/// ```
/// use arithsim::repr::digit_table;
///
/// let t = digit_table(16)?;
/// assert_eq!(t.rows.len(), 16);
/// let a = &t.rows[10];
/// assert_eq!((a.symbol, a.value, a.binary.as_str()), ('A', 10, "1010"));
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn digit_table(radix: u32) -> Result<DigitTable> {
    check_radix(radix)?;
    let bits = (32 - (radix - 1).leading_zeros()) as usize;
    let rows = (0..radix)
        .map(|value| DigitRow {
            symbol: char::from_digit(value, radix)
                .unwrap_or('?')
                .to_ascii_uppercase(),
            value,
            binary: format!("{value:0bits$b}"),
        })
        .collect();
    Ok(DigitTable { radix, rows })
}

impl fmt::Display for DigitTable {
    /// `radix 16 | decimal | binary`, one row per digit.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bw = self.rows.last().map_or(1, |r| r.binary.len()).max(6);
        writeln!(
            f,
            "{:>8}  {:>7}  {:>bw$}",
            format!("radix {}", self.radix),
            "decimal",
            "binary"
        )?;
        for r in &self.rows {
            writeln!(f, "{:>8}  {:>7}  {:>bw$}", r.symbol, r.value, r.binary)?;
        }
        Ok(())
    }
}

/// How many values `digits` digits of `radix` hold (see [`digit_range`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DigitRange {
    /// The radix r.
    pub radix: u32,
    /// The number of digits N.
    pub digits: u32,
    /// r^N distinct values.
    pub count: u128,
    /// The largest value, r^N − 1 (the smallest is 0).
    pub max: u128,
}

/// N digits in radix r: r^N values, from 0 to r^N − 1 (3 decimal digits: 1000 values,
/// 0 … 999; 3 bits: 8 values, 0 … 7).
///
/// # Errors
///
/// [`Error::InvalidRadix`] outside 2..=36; [`Error::OutOfRange`] for zero digits or for
/// more digits than a 128-bit count holds (r^N must be at most 2^128 − 1).
///
/// # Examples
///
/// ```
/// use arithsim::repr::digit_range;
///
/// let d = digit_range(10, 3)?;
/// assert_eq!((d.count, d.max), (1000, 999));
/// assert_eq!(digit_range(2, 3)?.to_string(), "3 digits in radix 2: 2^3 = 8 values, 0 … 7");
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn digit_range(radix: u32, digits: u32) -> Result<DigitRange> {
    check_radix(radix)?;
    // The most digits whose r^N still fits a u128.
    let mut most = 0u32;
    let mut p = 1u128;
    while let Some(next) = p.checked_mul(radix as u128) {
        p = next;
        most += 1;
    }
    if !(1..=most).contains(&digits) {
        return Err(Error::OutOfRange {
            value: digits.to_string(),
            min: "1".into(),
            max: most.to_string(),
            what: format!("the number of digits in radix {radix}"),
        });
    }
    let count = (radix as u128).pow(digits);
    Ok(DigitRange {
        radix,
        digits,
        count,
        max: count - 1,
    })
}

impl fmt::Display for DigitRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} digits in radix {}: {}^{} = {} values, 0 … {}",
            self.digits, self.radix, self.radix, self.digits, self.count, self.max
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_against_native_powers() {
        assert_eq!(
            digit_range(2, 128).unwrap_err().to_string(),
            "value 128 is out of range 1..=127 for the number of digits in radix 2"
        );
        assert_eq!(digit_range(2, 127).unwrap().count, 1u128 << 127);
        assert_eq!(digit_range(16, 4).unwrap().max, u16::MAX as u128);
        assert!(digit_range(10, 0).is_err());
        assert!(digit_range(37, 1).is_err());
        let t = digit_table(2).unwrap();
        assert_eq!(
            t.rows.iter().map(|r| r.binary.as_str()).collect::<Vec<_>>(),
            ["0", "1"]
        );
        assert_eq!(digit_table(36).unwrap().rows[35].symbol, 'Z');
    }
}
