//! Integer arithmetic configuration: multiplier width, accumulator width, signedness and what
//! the accumulator does on overflow.

use std::fmt;

use num_traits::Bounded;

use crate::cost::{NumKind, OpKind};
use crate::{Error, Result};

use crate::repr::{Overflow, Signedness};

/// An integer multiply-accumulate datapath: `mul_bits × mul_bits` operands, exact product
/// (`2·mul_bits` bits), added into an `acc_bits` accumulator.
///
/// Both operands and the accumulator share the signedness: two's complement when
/// [`Signedness::Signed`], else unsigned. Operands are checked against `mul_bits` by every kernel; the initial value
/// (bias) against `acc_bits`.
///
/// # Examples
///
/// ```
/// use arithsim::datapath::IntArith;
/// use arithsim::{Overflow, Signedness};
///
/// let a = IntArith::INT8_INT32;
/// assert_eq!(
///     (a.mul_bits, a.acc_bits, a.signedness, a.overflow),
///     (8, 32, Signedness::Signed, Overflow::Wrapping)
/// );
/// assert_eq!(a.to_string(), "INT8 x INT8 → INT32 (wrapping)");
/// assert!(IntArith::new(8, 65, Signedness::Signed, Overflow::Wrapping).is_err());
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IntArith {
    /// Operand width in bits, 1..=32.
    pub mul_bits: u32,
    /// Accumulator width in bits, 1..=64 (1..=63 unsigned, so values fit an `i64`).
    pub acc_bits: u32,
    /// Two's complement or unsigned operands and accumulator.
    pub signedness: Signedness,
    /// Accumulator behaviour on overflow.
    pub overflow: Overflow,
}

impl IntArith {
    /// INT8 × INT8 → INT32, wrapping: the usual inference MAC (TFLite, the FSD NPU).
    pub const INT8_INT32: Self = Self {
        mul_bits: 8,
        acc_bits: 32,
        signedness: Signedness::Signed,
        overflow: Overflow::Wrapping,
    };

    /// UINT8 × UINT8 → UINT32, wrapping.
    pub const UINT8_UINT32: Self = Self {
        mul_bits: 8,
        acc_bits: 32,
        signedness: Signedness::Unsigned,
        overflow: Overflow::Wrapping,
    };

    /// A validated configuration.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidWidth`] when `mul_bits` is outside 1..=32 or `acc_bits` outside
    /// 1..=64 (1..=63 unsigned).
    pub fn new(
        mul_bits: u32,
        acc_bits: u32,
        signedness: Signedness,
        overflow: Overflow,
    ) -> Result<Self> {
        let a = Self {
            mul_bits,
            acc_bits,
            signedness,
            overflow,
        };
        a.validate()?;
        Ok(a)
    }

    /// Checks the widths (the fields are public, so kernels check again).
    ///
    /// # Errors
    ///
    /// As [`IntArith::new`].
    pub fn validate(&self) -> Result<()> {
        Error::check_width("integer multiplier operand", self.mul_bits, 1, 32)?;
        if self.signedness.is_signed() {
            Error::check_width("integer accumulator", self.acc_bits, 1, 64)?;
        } else {
            Error::check_width("unsigned integer accumulator", self.acc_bits, 1, 63)?;
        }
        Ok(())
    }

    /// Smallest and largest operand value.
    #[must_use]
    pub fn operand_range(&self) -> (i64, i64) {
        range(self.mul_bits, self.signedness)
    }

    /// Smallest and largest accumulator value.
    #[must_use]
    pub fn acc_range(&self) -> (i64, i64) {
        range(self.acc_bits, self.signedness)
    }

    /// Reduces an exact value to the accumulator: wrap to `acc_bits` or clamp to its range.
    /// Returns the value and whether it saturated.
    #[inline]
    #[must_use]
    pub fn reduce(&self, exact: i128) -> (i64, bool) {
        match self.overflow {
            Overflow::Wrapping => (self.wrap(exact as i64), false),
            Overflow::Saturating => {
                let (lo, hi) = self.acc_range();
                if exact < lo as i128 {
                    (lo, true)
                } else if exact > hi as i128 {
                    (hi, true)
                } else {
                    (exact as i64, false)
                }
            }
        }
    }

    /// The low `acc_bits` bits of `x`, sign-extended when signed, zero-extended when not.
    #[inline]
    #[must_use]
    pub fn wrap(&self, x: i64) -> i64 {
        let sh = 64 - self.acc_bits;
        if self.signedness.is_signed() {
            (x << sh) >> sh
        } else {
            ((x as u64) << sh >> sh) as i64
        }
    }

    /// Checks that every element of `values` fits the operand range.
    pub(crate) fn check_operands<T: Copy + Into<i64> + Bounded>(
        &self,
        what: &str,
        values: &[T],
    ) -> Result<()> {
        let (lo, hi) = self.operand_range();
        // A type whose every value is in range (INT8 data as `i8`) needs no pass at all: on a
        // 256³ GEMM the pass was 2 % of the time, all of it before the parallel rows.
        if T::min_value().into() >= lo && T::max_value().into() <= hi {
            return Ok(());
        }
        // One pass without branches for the common all-in-range case, then find the culprit.
        let ok = values.iter().fold(true, |ok, &v| {
            let v: i64 = v.into();
            ok & (v >= lo) & (v <= hi)
        });
        if ok {
            return Ok(());
        }
        let (i, v) = values
            .iter()
            .map(|&v| v.into())
            .enumerate()
            .find(|&(_, v)| v < lo || v > hi)
            .expect("an element is out of range");
        Err(out_of_range(
            &format!("{what}[{i}]"),
            v,
            lo,
            hi,
            self.operand_kind(),
        ))
    }

    /// Checks that every initial accumulator value fits the accumulator.
    pub(crate) fn check_acc(&self, what: &str, values: &[i64]) -> Result<()> {
        let (lo, hi) = self.acc_range();
        match values.iter().enumerate().find(|&(_, &v)| v < lo || v > hi) {
            None => Ok(()),
            Some((i, &v)) => Err(out_of_range(
                &format!("{what}[{i}]"),
                v,
                lo,
                hi,
                self.acc_kind(),
            )),
        }
    }

    /// The operand kind for tallies ("INT8").
    #[must_use]
    pub fn operand_kind(&self) -> NumKind {
        NumKind::Int {
            bits: self.mul_bits,
            signedness: self.signedness,
        }
    }

    /// The accumulator kind for tallies ("INT32").
    #[must_use]
    pub fn acc_kind(&self) -> NumKind {
        NumKind::Int {
            bits: self.acc_bits,
            signedness: self.signedness,
        }
    }

    /// The fused multiply-accumulate this datapath performs.
    #[must_use]
    pub fn mac_op(&self) -> OpKind {
        OpKind::IntMac {
            mul_bits: self.mul_bits,
            acc_bits: self.acc_bits,
        }
    }
}

/// The value range of a `bits`-bit integer.
/// By arithmetic shifts of the extremes, so 64-bit signed and 63-bit unsigned ranges do
/// not overflow (`-(1 << 63)` and `(1 << 63) - 1` do); `bits` is clamped to `1..=64`
/// (`1..=63` unsigned), the widths [`IntArith::validate`] accepts.
pub(crate) fn range(bits: u32, signedness: Signedness) -> (i64, i64) {
    if signedness.is_signed() {
        let sh = 64 - bits.clamp(1, 64);
        (i64::MIN >> sh, i64::MAX >> sh)
    } else {
        let sh = 64 - bits.clamp(1, 63);
        (0, (u64::MAX >> sh) as i64)
    }
}

fn out_of_range(what: &str, v: i64, lo: i64, hi: i64, kind: NumKind) -> Error {
    Error::OutOfRange {
        value: v.to_string(),
        min: lo.to_string(),
        max: hi.to_string(),
        what: format!("{kind} {what}"),
    }
}

impl fmt::Display for IntArith {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let o = self.operand_kind();
        write!(f, "{o} x {o} → {} ({})", self.acc_kind(), self.overflow)
    }
}

// Written as its name ("INT8 x INT8 -> INT32 (wrapping)") and read back through `FromStr`,
// which validates the widths.
#[cfg(feature = "serde")]
crate::names::serde_via_str!(IntArith);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_matches_native_casts() {
        let s = IntArith::INT8_INT32;
        for x in [0i64, 1, -1, i32::MAX as i64 + 1, i64::MIN, 0x1_2345_6789] {
            assert_eq!(s.wrap(x), x as i32 as i64);
        }
        let u = IntArith::new(8, 16, Signedness::Unsigned, Overflow::Wrapping).unwrap();
        for x in [0i64, -1, 70000, i64::MAX] {
            assert_eq!(u.wrap(x), x as u16 as i64);
        }
    }

    #[test]
    fn saturating_reduce_clamps() {
        let s = IntArith::new(8, 16, Signedness::Signed, Overflow::Saturating).unwrap();
        assert_eq!(s.reduce(40000), (32767, true));
        assert_eq!(s.reduce(-40000), (-32768, true));
        assert_eq!(s.reduce(-5), (-5, false));
    }
}
