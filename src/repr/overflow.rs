//! What happens when an integer result leaves its range: keep the low bits or clamp.

use std::fmt;
use std::str::FromStr;

use crate::{Error, Result};

/// What an integer register or sum does when a value leaves its range: one policy for the
/// datapath's accumulators ([`IntArith`](crate::datapath::IntArith)) and the gate-level MACs
/// ([`MacSpec`](crate::circuits::mac::MacSpec)), so both name one type.
///
/// Not to be confused with [`float::OverflowPolicy`](crate::float::OverflowPolicy), which
/// says what a *floating-point* result beyond the largest finite value becomes in a format
/// without infinities (NaN or ±largest finite; IEEE formats give ±∞). `Overflow` is about
/// reducing an exact integer to a fixed number of bits.
///
/// Prints and parses as `"wrapping"` / `"saturating"`.
///
/// # Examples
///
/// ```
/// use arithsim::Overflow;
///
/// assert_eq!(Overflow::Saturating.to_string(), "saturating");
/// assert_eq!("wrapping".parse::<Overflow>()?, Overflow::Wrapping);
/// // The datapath and the circuits name the same type.
/// assert_eq!(arithsim::datapath::Overflow::Wrapping, arithsim::circuits::mac::Overflow::Wrapping);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Overflow {
    /// Keep the low bits (two's-complement wrap-around, as a plain adder does).
    Wrapping,
    /// Clamp to the largest or smallest value of the range (a saturating adder; applied at
    /// every step, the result depends on the order of the additions).
    Saturating,
}

impl Overflow {
    /// Both, wrapping first.
    pub const ALL: [Overflow; 2] = [Overflow::Wrapping, Overflow::Saturating];

    /// The printed name, `"wrapping"` or `"saturating"`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Overflow::Wrapping => "wrapping",
            Overflow::Saturating => "saturating",
        }
    }
}

impl fmt::Display for Overflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Overflow {
    type Err = Error;

    /// Parses `"wrapping"` or `"saturating"` (case-insensitive; `"wrap"` and `"saturate"`
    /// too).
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] naming the input and listing the names.
    fn from_str(s: &str) -> Result<Overflow> {
        crate::names::lookup(
            "policy for integer overflow",
            s,
            &[
                (&["wrapping", "wrap"], Overflow::Wrapping),
                (&["saturating", "saturate"], Overflow::Saturating),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for o in Overflow::ALL {
            assert_eq!(o.to_string().parse::<Overflow>().unwrap(), o);
        }
        assert_eq!(
            "clamp".parse::<Overflow>().unwrap_err().to_string(),
            "cannot parse \"clamp\": not a policy for integer overflow; expected one of: wrapping, saturating"
        );
    }
}

// Written as the printed name, read back through `FromStr`.
#[cfg(feature = "serde")]
crate::names::serde_via_str!(Overflow);
