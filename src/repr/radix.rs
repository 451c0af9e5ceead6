//! Radix conversion with the steps a student writes down: positional expansion, repeated
//! division, hex ↔ binary by nibbles (powers of two are in `powers.rs`).

use std::fmt;

use super::bits::Bits;
use super::parse::digit_values;
use super::wide::WideInt;
use crate::{Error, Result};

fn check_radix(radix: u32) -> Result<()> {
    if (2..=36).contains(&radix) {
        Ok(())
    } else {
        Err(Error::InvalidRadix { radix })
    }
}

/// `digit × radix^power`, one term of a positional expansion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term {
    /// The digit's value.
    pub digit: u32,
    /// Its position, 0 for the rightmost digit.
    pub power: u32,
}

/// A number written as the sum of its digits times powers of the radix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expansion {
    /// The radix.
    pub radix: u32,
    /// One term per digit, most significant first.
    pub terms: Vec<Term>,
    /// The value.
    pub value: u128,
}

/// Expands `digits` in `radix` (`_` and spaces allowed between digits).
///
/// # Errors
///
/// [`Error::InvalidRadix`] outside 2..=36; [`Error::Parse`] for no digits, a digit invalid
/// for the radix, or a value above `u128::MAX`.
///
/// # Examples
///
/// ```
/// use arithsim::repr::positional_expansion;
///
/// let e = positional_expansion("5374", 10)?;
/// assert_eq!(e.to_string(), "5374 = 5×10^3 + 3×10^2 + 7×10^1 + 4×10^0");
/// assert_eq!(positional_expansion("10011", 2)?.value, 19);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn positional_expansion(digits: &str, radix: u32) -> Result<Expansion> {
    check_radix(radix)?;
    let values = digit_values(digits, digits, radix)?;
    let n = values.len() as u32;
    let mut value = 0u128;
    for &d in &values {
        value = value
            .checked_mul(radix as u128)
            .and_then(|v| v.checked_add(d as u128))
            .ok_or_else(|| Error::Parse {
                input: digits.to_string(),
                reason: "value exceeds 128 bits".into(),
            })?;
    }
    let terms = values
        .iter()
        .enumerate()
        .map(|(i, &digit)| Term {
            digit,
            power: n - 1 - i as u32,
        })
        .collect();
    Ok(Expansion {
        radix,
        terms,
        value,
    })
}

impl fmt::Display for Expansion {
    /// `5374 = 5×10^3 + ...`; radices other than 10 show the value in decimal after the
    /// expansion, each digit by its value: `4AF (radix 16) = 4×16^2 + 10×16^1 + 15×16^0 =
    /// 1199`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let terms: Vec<String> = self
            .terms
            .iter()
            // The digit's value, not its symbol: 0x4AF is 4×16^2 + 10×16^1 + 15×16^0.
            .map(|t| format!("{}×{}^{}", t.digit, self.radix, t.power))
            .collect();
        if self.radix == 10 {
            write!(f, "{} = {}", self.value, terms.join(" + "))
        } else {
            let digits: String = self
                .terms
                .iter()
                .map(|t| {
                    char::from_digit(t.digit, 36)
                        .unwrap_or('?')
                        .to_ascii_uppercase()
                })
                .collect();
            write!(
                f,
                "{digits} (radix {}) = {} = {}",
                self.radix,
                terms.join(" + "),
                self.value
            )
        }
    }
}

/// One step of repeated division: `dividend ÷ radix = quotient remainder r`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DivisionStep {
    /// The number divided.
    pub dividend: u128,
    /// The quotient, divided again in the next step.
    pub quotient: u128,
    /// The remainder: the next digit, least significant first.
    pub remainder: u32,
}

/// Decimal → radix by repeated division: the remainders, read from the last to the first,
/// are the digits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepeatedDivision {
    /// The target radix.
    pub radix: u32,
    /// The divisions, first to last.
    pub steps: Vec<DivisionStep>,
    /// The digits, most significant first.
    pub digits: String,
}

/// Converts `value` to `radix` by repeated division, keeping each step.
///
/// # Errors
///
/// [`Error::InvalidRadix`] outside 2..=36.
///
/// # Examples
///
/// ```
/// use arithsim::repr::repeated_division;
///
/// let d = repeated_division(47, 2)?;
/// assert_eq!(d.digits, "101111");
/// assert_eq!(d.steps.len(), 6);
/// assert_eq!((d.steps[0].quotient, d.steps[0].remainder), (23, 1));
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn repeated_division(value: u128, radix: u32) -> Result<RepeatedDivision> {
    check_radix(radix)?;
    let r = radix as u128;
    let mut steps = Vec::new();
    let mut n = value;
    loop {
        let step = DivisionStep {
            dividend: n,
            quotient: n / r,
            remainder: (n % r) as u32,
        };
        steps.push(step);
        n = step.quotient;
        if n == 0 {
            break;
        }
    }
    let digits = steps
        .iter()
        .rev()
        .map(|s| {
            char::from_digit(s.remainder, radix)
                .unwrap_or('?')
                .to_ascii_uppercase()
        })
        .collect();
    Ok(RepeatedDivision {
        radix,
        steps,
        digits,
    })
}

impl fmt::Display for RepeatedDivision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for s in &self.steps {
            writeln!(
                f,
                "{} ÷ {} = {} remainder {}",
                s.dividend, self.radix, s.quotient, s.remainder
            )?;
        }
        write!(f, "remainders from last to first: {}", self.digits)
    }
}

/// Hex digits and their 4-bit groups, side by side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NibbleMap {
    /// Each hex digit with its nibble, most significant first.
    pub pairs: Vec<(char, String)>,
    /// The whole pattern.
    pub bits: Bits,
}

impl fmt::Display for NibbleMap {
    /// `4 → 0100, A → 1010, F → 1111: 0100 1010 1111`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pairs: Vec<String> = self
            .pairs
            .iter()
            .map(|(h, b)| format!("{h} → {b}"))
            .collect();
        write!(f, "{}: {}", pairs.join(", "), self.bits.to_binary_grouped())
    }
}

fn nibble_map(bits: Bits) -> NibbleMap {
    let hex = bits.to_hex();
    let grouped = bits
        .zero_extend(bits.width().div_ceil(4) * 4)
        .map(|b| b.to_binary());
    let binary = grouped.unwrap_or_default();
    let pairs = hex
        .chars()
        .zip(binary.as_bytes().chunks(4))
        .map(|(h, chunk)| (h, String::from_utf8_lossy(chunk).into_owned()))
        .collect();
    NibbleMap { pairs, bits }
}

/// Hex → binary, one hex digit to one nibble (`0x` prefix optional).
///
/// # Errors
///
/// [`Error::Parse`] for no digits, a non-hex digit, or more than 32 digits.
///
/// # Examples
///
/// ```
/// use arithsim::repr::hex_to_binary;
///
/// let m = hex_to_binary("0x4AF")?;
/// assert_eq!(m.bits.to_binary_grouped(), "0100 1010 1111");
/// assert_eq!(m.bits.to_u128(), 1199);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn hex_to_binary(hex: &str) -> Result<NibbleMap> {
    let t = hex.trim();
    let digits = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .unwrap_or(t);
    if digits.trim().is_empty() {
        return Err(Error::Parse {
            input: hex.to_string(),
            reason: "no digits".into(),
        });
    }
    Ok(nibble_map(Bits::parse(&format!("0x{digits}")).map_err(
        |e| match e {
            Error::Parse { reason, .. } => Error::Parse {
                input: hex.to_string(),
                reason,
            },
            other => other,
        },
    )?))
}

/// Binary → hex, grouping bits in fours from the right (`0b` prefix optional; the top group
/// is zero-padded).
///
/// # Errors
///
/// [`Error::Parse`] for no digits, a digit other than 0 and 1, or more than 128 bits.
///
/// ```
/// use arithsim::repr::binary_to_hex;
/// assert_eq!(binary_to_hex("10010101111")?.bits.to_hex(), "4AF");
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn binary_to_hex(binary: &str) -> Result<NibbleMap> {
    let t = binary.trim();
    let digits = t
        .strip_prefix("0b")
        .or_else(|| t.strip_prefix("0B"))
        .unwrap_or(t);
    Ok(nibble_map(Bits::parse_radix(digits, 2)?))
}

/// `value` in decimal with a comma every three digits: `-9,223,372,036,854,775,808`.
///
/// ```
/// use arithsim::repr::{with_thousands, WideInt};
/// assert_eq!(with_thousands(WideInt::from(u64::MAX)), "18,446,744,073,709,551,615");
/// ```
pub fn with_thousands(value: WideInt) -> String {
    let digits = value.magnitude().to_string();
    let mut out = String::with_capacity(digits.len() * 4 / 3 + 1);
    if value.is_negative() {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expansions_of_the_course() {
        assert_eq!(positional_expansion("1101", 2).unwrap().value, 13);
        assert_eq!(
            positional_expansion("1101", 2).unwrap().to_string(),
            "1101 (radix 2) = 1×2^3 + 1×2^2 + 0×2^1 + 1×2^0 = 13"
        );
        assert_eq!(repeated_division(0, 2).unwrap().digits, "0");
        assert_eq!(repeated_division(255, 16).unwrap().digits, "FF");
        assert_eq!(with_thousands(WideInt::from(999)), "999");
        assert_eq!(with_thousands(WideInt::from(-1000)), "-1,000");
    }

    #[test]
    fn nibbles_line_up() {
        let m = hex_to_binary("4AF").unwrap();
        let pairs: Vec<(char, &str)> = m.pairs.iter().map(|(h, b)| (*h, b.as_str())).collect();
        assert_eq!(pairs, [('4', "0100"), ('A', "1010"), ('F', "1111")]);
        let m = binary_to_hex("0b101").unwrap();
        assert_eq!(m.pairs, [('5', "0101".to_string())]);
        assert_eq!(m.bits.width(), 3);
    }
}
