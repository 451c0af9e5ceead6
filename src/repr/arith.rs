//! The binary adder and subtractor on patterns, with their flags, and negation with its steps.
//!
//! The adder does not know the encoding: the same `N`-bit adder serves unsigned and two's
//! complement (that is why two's complement won). Its carry-out is the unsigned overflow and
//! its overflow flag is the two's complement (signed) overflow; reading the pattern in
//! sign-magnitude shows why that encoding needs a different adder.

use std::fmt;

use super::bits::Bits;
use super::encoding::Encoding;
use super::wide::WideInt;
use crate::{Error, Result};

/// The result of [`add`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sum {
    /// The low `N` bits of the sum: what an `N`-bit register keeps.
    pub pattern: Bits,
    /// The carry out of the top bit: the unsigned sum did not fit (x86 CF, ARM C).
    pub carry_out: bool,
    /// Two's complement overflow: both operands had the same sign and the sum's sign
    /// differs (x86 OF, ARM V).
    pub overflow: bool,
}

/// The result of [`sub`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// The low `N` bits of `a − b`.
    pub pattern: Bits,
    /// The borrow, x86 convention (CF after `SUB`): true when the unsigned subtraction
    /// wrapped, i.e. `a < b` as unsigned. ARM's C flag after `SUBS` is the inverse.
    pub borrow: bool,
    /// Two's complement overflow of `a − b` (x86 OF, ARM V).
    pub overflow: bool,
}

fn same_width(a: &Bits, b: &Bits) -> Result<u32> {
    if a.width() == b.width() {
        Ok(a.width())
    } else {
        Err(Error::FormatMismatch {
            left: format!("{}-bit pattern", a.width()),
            right: format!("{}-bit pattern", b.width()),
        })
    }
}

/// `a + b` on an `N`-bit binary adder.
///
/// # Errors
///
/// [`Error::FormatMismatch`] when the widths differ.
///
/// # Examples
///
/// ```
/// use arithsim::repr::{add, Bits};
///
/// let s = add(&Bits::parse("0b1011")?, &Bits::parse("0b0110")?)?;
/// assert_eq!(s.to_string(), "1 0001"); // 11 + 6 = 17: the carry-out is the 5th bit
/// assert!(s.carry_out && !s.overflow); // as signed: -5 + 6 = 1, no overflow
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn add(a: &Bits, b: &Bits) -> Result<Sum> {
    let width = same_width(a, b)?;
    let (x, y) = (a.to_u128(), b.to_u128());
    let (wide, carry128) = x.overflowing_add(y);
    let carry_out = if width == 128 {
        carry128
    } else {
        wide >> width & 1 == 1
    };
    let pattern = Bits::from_low(wide, width);
    let overflow = a.msb() == b.msb() && pattern.msb() != a.msb();
    Ok(Sum {
        pattern,
        carry_out,
        overflow,
    })
}

/// `a − b` on an `N`-bit binary subtractor (`a + !b + 1`), with the x86-convention borrow.
///
/// # Errors
///
/// [`Error::FormatMismatch`] when the widths differ.
///
/// # Examples
///
/// ```
/// use arithsim::repr::{sub, Bits};
///
/// let d = sub(&Bits::parse("0b0010")?, &Bits::parse("0b0011")?)?;
/// assert_eq!(d.pattern.to_string(), "1111"); // 2 - 3 = -1
/// assert!(d.borrow && !d.overflow);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn sub(a: &Bits, b: &Bits) -> Result<Difference> {
    let width = same_width(a, b)?;
    let (x, y) = (a.to_u128(), b.to_u128());
    let pattern = Bits::from_low(x.wrapping_sub(y), width);
    let overflow = a.msb() != b.msb() && pattern.msb() != a.msb();
    Ok(Difference {
        pattern,
        borrow: x < y,
        overflow,
    })
}

impl fmt::Display for Sum {
    /// The pattern, preceded by `1 ` when there is a carry-out (`1 0001`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.carry_out {
            f.write_str("1 ")?;
        }
        write!(f, "{}", self.pattern)
    }
}

/// One step of a negation: what was done and the pattern after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NegationStep {
    /// What the step does ("invert every bit", "add 1", "flip the sign bit").
    pub action: &'static str,
    /// The pattern after the step.
    pub pattern: Bits,
}

/// The result of [`Encoding::negate`], with its intermediate steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Negation {
    /// The pattern negated.
    pub input: Bits,
    /// The steps, in order; the last one's pattern is the result.
    pub steps: Vec<NegationStep>,
    /// The negated pattern.
    pub result: Bits,
    /// The negation does not fit: two's complement of the most negative value (it comes
    /// back unchanged).
    pub overflow: bool,
}

impl fmt::Display for Negation {
    /// `0011 → invert every bit → 1100 → add 1 → 1101`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.input)?;
        for s in &self.steps {
            write!(f, " → {} → {}", s.action, s.pattern)?;
        }
        if self.overflow {
            f.write_str(" (overflow: the most negative value has no positive twin)")?;
        }
        Ok(())
    }
}

impl Encoding {
    /// `−value` in this encoding, with the steps a student does by hand: two's complement
    /// inverts every bit and adds 1; one's complement only inverts; sign-magnitude flips the
    /// sign bit.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] for a non-zero unsigned value (it has no negative).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::repr::{Bits, Encoding};
    ///
    /// let n = Encoding::TwosComplement.negate(&Bits::parse("0b0011")?)?;
    /// assert_eq!(n.steps[0].pattern.to_string(), "1100"); // inverted
    /// assert_eq!(n.result.to_string(), "1101"); // + 1 = -3
    /// assert_eq!(n.to_string(), "0011 → invert every bit → 1100 → add 1 → 1101");
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn negate(self, value: &Bits) -> Result<Negation> {
        let width = value.width();
        let step = |action, pattern: Bits| NegationStep { action, pattern };
        let steps = match self {
            Encoding::Unsigned => {
                let v = self.decode(value);
                if v != WideInt::ZERO {
                    let (min, max) = self.range(width)?;
                    return Err(Error::OutOfRange {
                        value: (-v).to_string(),
                        min: min.to_string(),
                        max: max.to_string(),
                        what: format!("{width}-bit unsigned"),
                    });
                }
                vec![]
            }
            Encoding::SignMagnitude => {
                let flipped = Bits::from_low(value.to_u128() ^ (1u128 << (width - 1)), width);
                vec![step("flip the sign bit", flipped)]
            }
            Encoding::OnesComplement => vec![step("invert every bit", value.not())],
            Encoding::TwosComplement => {
                let inverted = value.not();
                let plus_one = Bits::from_low(inverted.to_u128().wrapping_add(1), width);
                vec![step("invert every bit", inverted), step("add 1", plus_one)]
            }
        };
        let result = steps.last().map_or(value.clone(), |s| s.pattern.clone());
        let overflow = self == Encoding::TwosComplement && value.msb() && result == *value;
        Ok(Negation {
            input: value.clone(),
            steps,
            result,
            overflow,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_negative_overflows() {
        let n = Encoding::TwosComplement
            .negate(&Bits::parse("0b1000").unwrap())
            .unwrap();
        assert!(n.overflow);
        assert_eq!(n.result.to_string(), "1000");
        let z = Encoding::TwosComplement
            .negate(&Bits::zero(4).unwrap())
            .unwrap();
        assert!(!z.overflow);
        assert_eq!(z.result.to_u128(), 0);
    }

    #[test]
    fn width_128_carry() {
        let max = Bits::from_u128(u128::MAX, 128).unwrap();
        let one = Bits::from_u128(1, 128).unwrap();
        let s = add(&max, &one).unwrap();
        assert!(s.carry_out && !s.overflow);
        assert_eq!(s.pattern.to_u128(), 0);
        let d = sub(&Bits::zero(128).unwrap(), &one).unwrap();
        assert!(d.borrow && !d.overflow);
    }
}
