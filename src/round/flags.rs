//! IEEE 754 status flags.

use std::fmt;

bitflags::bitflags! {
    /// The five IEEE 754 exception flags, as a combinable bit set (a `bitflags` type: `|`,
    /// `&`, `-`, `!`, `contains`, `insert`, `remove`, `iter`, ... as in every `bitflags` set).
    ///
    /// ```
    /// use arithsim::round::Flags;
    /// let f = Flags::OVERFLOW | Flags::INEXACT;
    /// assert!(f.contains(Flags::INEXACT));
    /// assert_eq!(f.to_string(), "overflow|inexact");
    /// assert_eq!(Flags::empty().to_string(), "none");
    /// assert_eq!(f.bits(), 20);
    /// ```
    #[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
    #[must_use]
    pub struct Flags: u8 {
        /// Invalid operation (0 × ∞, ∞ − ∞, sqrt of a negative, signalling NaN operand, ...).
        const INVALID = 1;
        /// Division of a finite non-zero value by zero.
        const DIV_BY_ZERO = 2;
        /// The rounded result exceeds the largest finite value.
        const OVERFLOW = 4;
        /// The result is tiny (below the smallest normal) and inexact.
        const UNDERFLOW = 8;
        /// The result differs from the exact value.
        const INEXACT = 16;
    }
}

impl Flags {
    const NAMES: [(Flags, &'static str); 5] = [
        (Flags::INVALID, "invalid"),
        (Flags::DIV_BY_ZERO, "div-by-zero"),
        (Flags::OVERFLOW, "overflow"),
        (Flags::UNDERFLOW, "underflow"),
        (Flags::INEXACT, "inexact"),
    ];

    /// `self` with `other` removed (`bitflags`' `difference`, named as the rounding code
    /// reads it).
    #[inline]
    pub const fn without(self, other: Flags) -> Flags {
        self.difference(other)
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
