//! Column addition as a student writes it: the operands right-aligned in a fixed number of
//! digit columns, the carry row above them, one column at a time from the right.
//!
//! The same procedure in every radix is the point: the binary adder of [`super::add`] is
//! decimal column addition with 2 in place of 10.

use std::fmt;

use super::parse::digit_values;
use crate::{Error, Result};

/// Most digit columns [`column_addition`] accepts.
pub const MAX_COLUMNS: u32 = crate::limits::COLUMN_ADDITION_MAX_COLUMNS;

/// One column of a column addition, `a + b + carry_in = total = carry_out × radix + digit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColumnStep {
    /// The column's position, 0 for the rightmost.
    pub position: u32,
    /// The first operand's digit.
    pub a: u32,
    /// The second operand's digit.
    pub b: u32,
    /// The carry from the column to the right (0 for the rightmost column).
    pub carry_in: u32,
    /// `a + b + carry_in`.
    pub total: u32,
    /// The digit written below the line: `total mod radix`.
    pub digit: u32,
    /// The carry into the next column: `total div radix` (0 or 1).
    pub carry_out: u32,
}

/// The worked column addition `a + b` in `width` digit columns of radix `radix`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnAddition {
    /// The radix, 2..=36.
    pub radix: u32,
    /// Digit columns per operand.
    pub width: u32,
    /// The first operand's digits, most significant first, zero-padded to `width`.
    pub a: Vec<u32>,
    /// The second operand's digits, most significant first, zero-padded to `width`.
    pub b: Vec<u32>,
    /// The columns, rightmost (position 0) first: the order they are worked in.
    pub steps: Vec<ColumnStep>,
    /// The sum's `width` digits, most significant first: what a `width`-digit register keeps.
    pub sum: Vec<u32>,
    /// The carry out of the leftmost column: the sum needs `width + 1` digits.
    pub carry_out: u32,
}

fn digit_char(d: u32) -> char {
    char::from_digit(d, 36).unwrap_or('?').to_ascii_uppercase()
}

fn digits_string(ds: &[u32]) -> String {
    ds.iter().map(|&d| digit_char(d)).collect()
}

impl ColumnAddition {
    /// The carry row as written above the operands, most significant first: the carry into
    /// each column, with the carry-out above the extra column on the left (`width + 1`
    /// entries; the rightmost column has no carry-in, so its entry is `None`).
    pub fn carry_row(&self) -> Vec<Option<u32>> {
        let mut row: Vec<Option<u32>> = vec![Some(self.carry_out)];
        row.extend(self.steps.iter().rev().map(|s| {
            if s.position == 0 {
                None
            } else {
                Some(s.carry_in)
            }
        }));
        row
    }

    /// The full sum's digits (carry-out first when it is 1): `"8902"`, `"10001"`.
    pub fn sum_digits(&self) -> String {
        let low = digits_string(&self.sum);
        if self.carry_out == 0 {
            low
        } else {
            format!("{}{low}", digit_char(self.carry_out))
        }
    }

    /// The sum's `width` digits alone: what a `width`-digit register keeps.
    pub fn kept_digits(&self) -> String {
        digits_string(&self.sum)
    }
}

/// Adds `a + b` (digits in `radix`, `_` and spaces allowed between digits) in `width` digit
/// columns, keeping every column's carry.
///
/// An operand with fewer than `width` digits is zero-padded on the left; leading zeros
/// beyond `width` are accepted.
///
/// # Errors
///
/// [`Error::InvalidRadix`] outside 2..=36; [`Error::InvalidWidth`] unless `width` is in
/// 1..=[`MAX_COLUMNS`]; [`Error::Parse`] for an operand with no digits or a digit not in the
/// radix; [`Error::OutOfRange`] when an operand needs more than `width` digits.
///
/// # Examples
///
/// ```
/// use arithsim::repr::column_addition;
///
/// let s = column_addition("3734", "5168", 10, 4)?;
/// assert_eq!(s.sum_digits(), "8902");
/// let carries: Vec<u32> = s.steps.iter().map(|c| c.carry_out).collect();
/// assert_eq!(carries, [1, 1, 0, 0]); // 4+8 = 12, 3+6+1 = 10, 7+1+1 = 9, 3+5 = 8
///
/// let s = column_addition("1011", "0110", 2, 4)?;
/// assert_eq!((s.kept_digits().as_str(), s.carry_out), ("0001", 1)); // 11 + 6 = 17
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn column_addition(a: &str, b: &str, radix: u32, width: u32) -> Result<ColumnAddition> {
    if !(2..=36).contains(&radix) {
        return Err(Error::InvalidRadix { radix });
    }
    Error::check_width("column addition", width, 1, MAX_COLUMNS)?;
    let a_digits = operand(a, "a", radix, width)?;
    let b_digits = operand(b, "b", radix, width)?;
    let mut steps = Vec::with_capacity(width as usize);
    let mut carry = 0;
    for i in (0..width as usize).rev() {
        let (x, y) = (a_digits[i], b_digits[i]);
        let total = x + y + carry;
        let step = ColumnStep {
            position: (width as usize - 1 - i) as u32,
            a: x,
            b: y,
            carry_in: carry,
            total,
            digit: total % radix,
            carry_out: total / radix,
        };
        carry = step.carry_out;
        steps.push(step);
    }
    let sum = steps.iter().rev().map(|s| s.digit).collect();
    Ok(ColumnAddition {
        radix,
        width,
        a: a_digits,
        b: b_digits,
        steps,
        sum,
        carry_out: carry,
    })
}

/// The digits of one operand, zero-padded to `width`.
fn operand(input: &str, name: &str, radix: u32, width: u32) -> Result<Vec<u32>> {
    let values = digit_values(input, input, radix)?;
    let first = values.iter().position(|&d| d != 0).unwrap_or(values.len());
    let significant = &values[first..];
    if significant.len() > width as usize {
        return Err(Error::OutOfRange {
            value: input.trim().to_string(),
            min: "0".into(),
            max: digits_string(&vec![radix - 1; width as usize]),
            what: format!("operand {name} of a {width}-column radix-{radix} addition"),
        });
    }
    let mut out = vec![0; width as usize - significant.len()];
    out.extend_from_slice(significant);
    Ok(out)
}

impl fmt::Display for ColumnAddition {
    /// The carry row above the operands, a rule, the sum, then one line per column:
    ///
    /// ```text
    /// carries   0 0 1 1
    ///             3 7 3 4
    ///           + 5 1 6 8
    ///           ---------
    ///             8 9 0 2
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cells = |lead: String, ds: &[u32]| {
            let mut s = lead;
            for &d in ds {
                s.push(' ');
                s.push(digit_char(d));
            }
            s
        };
        let carries: String = self
            .carry_row()
            .iter()
            .map(|c| c.map_or(' ', digit_char))
            .flat_map(|c| [c, ' '])
            .collect();
        writeln!(f, "carries   {}", carries.trim_end())?;
        writeln!(f, "{}", cells("           ".into(), &self.a))?;
        writeln!(f, "{}", cells("         + ".into(), &self.b))?;
        writeln!(f, "          {}", "-".repeat(2 * self.width as usize + 1))?;
        let lead = if self.carry_out == 0 {
            "           ".to_string()
        } else {
            format!("          {}", digit_char(self.carry_out))
        };
        writeln!(f, "{}", cells(lead, &self.sum))?;
        for s in &self.steps {
            write!(
                f,
                "column {}: {} + {} + {} = {}",
                s.position,
                digit_char(s.a),
                digit_char(s.b),
                s.carry_in,
                s.total
            )?;
            if self.radix != 10 && s.total >= self.radix {
                write!(
                    f,
                    " = {}×{} + {}",
                    s.carry_out,
                    self.radix,
                    digit_char(s.digit)
                )?;
            }
            writeln!(f, ": write {}, carry {}", digit_char(s.digit), s.carry_out)?;
        }
        if self.carry_out != 0 {
            write!(
                f,
                "carry-out 1: the sum {} needs {} digits; {} digits keep {}",
                self.sum_digits(),
                self.width + 1,
                self.width,
                self.kept_digits()
            )?;
        } else {
            write!(f, "no carry-out: the sum {} fits", self.sum_digits())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carries_against_native_addition_in_every_radix() {
        for radix in [2u32, 3, 7, 10, 16, 36] {
            for (x, y) in [(0u128, 0u128), (1, radix as u128 - 1), (123, 456), (999, 1)] {
                let (xs, ys) = (to_radix(x, radix), to_radix(y, radix));
                let s = column_addition(&xs, &ys, radix, 12).unwrap();
                let mut sum = 0u128;
                for &d in &s.sum {
                    sum = sum * radix as u128 + d as u128;
                }
                assert_eq!(sum, x + y, "radix {radix}: {x} + {y}");
                assert_eq!(s.carry_out, 0);
                for st in &s.steps {
                    assert_eq!(st.total, st.carry_out * radix + st.digit);
                }
            }
        }
    }

    fn to_radix(mut v: u128, radix: u32) -> String {
        let mut s = String::new();
        loop {
            s.insert(0, digit_char((v % radix as u128) as u32));
            v /= radix as u128;
            if v == 0 {
                return s;
            }
        }
    }

    #[test]
    fn leading_zeros_beyond_the_width_are_fine() {
        let s = column_addition("0007", "1", 10, 1).unwrap();
        assert_eq!(s.sum_digits(), "8");
        assert!(column_addition("17", "1", 10, 1).is_err());
    }
}
