//! Signedness: whether an integer (or the integer part of a fixed-point number) is unsigned
//! binary or two's complement. One type for every layer, so a signedness is never a `bool`
//! whose meaning the reader has to guess.

use std::fmt;
use std::str::FromStr;

use crate::{Error, Result};

/// Whether values are unsigned binary or two's-complement signed.
///
/// Used by integer and fixed-point formats ([`FixedFormat`](crate::fixed::FixedFormat)), the
/// datapath ([`IntArith`](crate::datapath::IntArith)), the circuits (multipliers, MACs,
/// comparators) and the cost kinds ([`NumKind`](crate::cost::NumKind)). Prints and parses as
/// `"unsigned"` / `"signed"`.
///
/// # Examples
///
/// ```
/// use arithsim::Signedness;
///
/// assert!(Signedness::Signed.is_signed());
/// assert_eq!(Signedness::Unsigned.to_string(), "unsigned");
/// assert_eq!("Signed".parse::<Signedness>()?, Signedness::Signed);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Signedness {
    /// Unsigned binary.
    Unsigned,
    /// Two's complement.
    Signed,
}

impl Signedness {
    /// Both, unsigned first.
    pub const ALL: [Signedness; 2] = [Signedness::Unsigned, Signedness::Signed];

    /// `true` for [`Signedness::Signed`].
    #[inline]
    #[must_use]
    pub const fn is_signed(self) -> bool {
        matches!(self, Signedness::Signed)
    }

    /// The printed name, `"unsigned"` or `"signed"`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Signedness::Unsigned => "unsigned",
            Signedness::Signed => "signed",
        }
    }
}

impl fmt::Display for Signedness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Signedness {
    type Err = Error;

    /// Parses `"unsigned"` or `"signed"` (case-insensitive).
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] naming the input and listing the names.
    fn from_str(s: &str) -> Result<Signedness> {
        crate::names::lookup(
            "signedness",
            s,
            &[
                (&["unsigned"], Signedness::Unsigned),
                (&["signed"], Signedness::Signed),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in Signedness::ALL {
            assert_eq!(s.to_string().parse::<Signedness>().unwrap(), s);
        }
        assert!("twos".parse::<Signedness>().is_err());
    }
}

// Written as the printed name, read back through `FromStr`.
#[cfg(feature = "serde")]
crate::names::serde_via_str!(Signedness);
