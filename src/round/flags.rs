//! IEEE 754 status flags.

use std::fmt;
use std::ops::{BitOr, BitOrAssign};

/// The five IEEE 754 exception flags, as a combinable bit set.
///
/// ```
/// use arithsim::round::Flags;
/// let f = Flags::OVERFLOW | Flags::INEXACT;
/// assert!(f.contains(Flags::INEXACT));
/// assert_eq!(f.to_string(), "overflow|inexact");
/// assert_eq!(Flags::empty().to_string(), "none");
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[must_use]
pub struct Flags(u8);

impl Flags {
    /// Invalid operation (0 × ∞, ∞ − ∞, sqrt of a negative, signalling NaN operand, ...).
    pub const INVALID: Flags = Flags(1);
    /// Division of a finite non-zero value by zero.
    pub const DIV_BY_ZERO: Flags = Flags(2);
    /// The rounded result exceeds the largest finite value.
    pub const OVERFLOW: Flags = Flags(4);
    /// The result is tiny (below the smallest normal) and inexact.
    pub const UNDERFLOW: Flags = Flags(8);
    /// The result differs from the exact value.
    pub const INEXACT: Flags = Flags(16);

    const NAMES: [(Flags, &'static str); 5] = [
        (Flags::INVALID, "invalid"),
        (Flags::DIV_BY_ZERO, "div-by-zero"),
        (Flags::OVERFLOW, "overflow"),
        (Flags::UNDERFLOW, "underflow"),
        (Flags::INEXACT, "inexact"),
    ];

    /// No flag raised.
    #[inline]
    pub const fn empty() -> Flags {
        Flags(0)
    }

    /// Every flag in `other` is raised in `self`.
    #[inline]
    pub const fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    /// No flag raised.
    #[inline]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The raw bits (invalid = 1, div-by-zero = 2, overflow = 4, underflow = 8, inexact = 16).
    #[inline]
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// Builds flags from raw bits; bits above the five flags are dropped.
    #[inline]
    pub const fn from_bits_truncate(bits: u8) -> Flags {
        Flags(bits & 31)
    }

    /// `self` with `other` removed.
    #[inline]
    pub const fn without(self, other: Flags) -> Flags {
        Flags(self.0 & !other.0)
    }
}

impl BitOr for Flags {
    type Output = Flags;
    #[inline]
    fn bitor(self, rhs: Flags) -> Flags {
        Flags(self.0 | rhs.0)
    }
}

impl BitOrAssign for Flags {
    #[inline]
    fn bitor_assign(&mut self, rhs: Flags) {
        self.0 |= rhs.0;
    }
}

impl fmt::Display for Flags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("none");
        }
        let mut first = true;
        for (flag, name) in Flags::NAMES {
            if self.contains(flag) {
                if !first {
                    f.write_str("|")?;
                }
                f.write_str(name)?;
                first = false;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Flags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Flags({self})")
    }
}
