//! Plain descriptors of number kinds: [`FloatKind`] (a floating-point format by its field
//! widths) and [`NumKind`] (the source or destination of a conversion).
//!
//! `cost` sits below `float` and `fixed` in the layer table, so it names formats by these
//! small values of its own; the datapath maps its formats onto them.

use std::fmt;
use std::str::FromStr;

use crate::float::FloatFormat;
use crate::float::format_name::{FormatName, parse_name};
use crate::limits::{COST_FLOAT_MAX_EXP_BITS, COST_FLOAT_MAX_MAN_BITS, COST_MAX_OPERAND_BITS};
use crate::repr::Signedness;
use crate::{Error, Result};

/// A floating-point format by its field widths: 1 sign bit, `exp_bits`, `man_bits` (stored
/// fraction bits, without the hidden bit).
///
/// A plain descriptor so that `cost` need not depend on `float`.
///
/// # Examples
///
/// ```
/// use arithsim::cost::FloatKind;
///
/// assert_eq!(FloatKind::FP16.width(), 16);
/// assert_eq!(FloatKind::FP8_E4M3.to_string(), "FP8 E4M3");
/// assert_eq!(FloatKind::new(6, 9).to_string(), "E6M9");
/// assert_eq!("bf16".parse::<FloatKind>()?, FloatKind::BF16);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FloatKind {
    /// Exponent field width in bits.
    pub exp_bits: u32,
    /// Stored fraction (mantissa) width in bits, without the hidden bit.
    pub man_bits: u32,
}

/// Known formats and their names, in the order names are tried when parsing.
pub(super) const FLOAT_NAMES: &[(FloatKind, &str)] = &[
    (FloatKind::FP64, "FP64"),
    (FloatKind::FP32, "FP32"),
    (FloatKind::TF32, "TF32"),
    (FloatKind::FP16, "FP16"),
    (FloatKind::BF16, "BF16"),
    (FloatKind::FP8_E4M3, "FP8 E4M3"),
    (FloatKind::FP8_E5M2, "FP8 E5M2"),
    (FloatKind::FP6_E3M2, "FP6 E3M2"),
    (FloatKind::FP6_E2M3, "FP6 E2M3"),
    (FloatKind::FP4_E2M1, "FP4 E2M1"),
];

impl FloatKind {
    /// IEEE 754 binary64.
    pub const FP64: Self = Self::new(11, 52);
    /// IEEE 754 binary32.
    pub const FP32: Self = Self::new(8, 23);
    /// NVIDIA TensorFloat-32 (19 bits: FP32 range, FP16 precision).
    pub const TF32: Self = Self::new(8, 10);
    /// IEEE 754 binary16.
    pub const FP16: Self = Self::new(5, 10);
    /// bfloat16 (FP32 range, 8-bit significand).
    pub const BF16: Self = Self::new(8, 7);
    /// OCP FP8 E4M3.
    pub const FP8_E4M3: Self = Self::new(4, 3);
    /// OCP FP8 E5M2.
    pub const FP8_E5M2: Self = Self::new(5, 2);
    /// OCP MX FP6 E3M2.
    pub const FP6_E3M2: Self = Self::new(3, 2);
    /// OCP MX FP6 E2M3.
    pub const FP6_E2M3: Self = Self::new(2, 3);
    /// OCP MX FP4 E2M1.
    pub const FP4_E2M1: Self = Self::new(2, 1);

    /// A format with these field widths (not validated: a descriptor, not an arithmetic).
    #[must_use]
    pub const fn new(exp_bits: u32, man_bits: u32) -> Self {
        Self { exp_bits, man_bits }
    }

    /// Total width in bits: sign + exponent + fraction (saturating at `u32::MAX` for a
    /// descriptor that [`FloatKind::validate`] rejects).
    #[must_use]
    pub const fn width(self) -> u32 {
        1u32.saturating_add(self.exp_bits)
            .saturating_add(self.man_bits)
    }

    /// Significand width in bits, hidden bit included (`man_bits + 1`): what sets the size of
    /// a multiplier's partial-product array (saturating, as [`FloatKind::width`]).
    #[must_use]
    pub const fn significand_bits(self) -> u32 {
        self.man_bits.saturating_add(1)
    }

    /// Checks the field widths against the limits a cost can be derived for: exponent
    /// `1..=`[`COST_FLOAT_MAX_EXP_BITS`], fraction `0..=`[`COST_FLOAT_MAX_MAN_BITS`]
    /// (the same bounds the name parser applies).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidWidth`] naming the field.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::cost::FloatKind;
    ///
    /// assert!(FloatKind::FP16.validate().is_ok());
    /// assert!(FloatKind::new(u32::MAX, u32::MAX).validate().is_err());
    /// ```
    pub fn validate(self) -> Result<()> {
        Error::check_width("exponent field", self.exp_bits, 1, COST_FLOAT_MAX_EXP_BITS)?;
        Error::check_width("fraction field", self.man_bits, 0, COST_FLOAT_MAX_MAN_BITS)?;
        Ok(())
    }

    /// The common name of a known format ("FP16", "BF16", "FP8 E4M3", ...), if it has one.
    #[must_use]
    pub fn name(self) -> Option<&'static str> {
        FLOAT_NAMES
            .iter()
            .find(|(k, _)| *k == self)
            .map(|(_, n)| *n)
    }
}

impl fmt::Display for FloatKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "E{}M{}", self.exp_bits, self.man_bits),
        }
    }
}

impl FromStr for FloatKind {
    type Err = Error;

    /// Parses the names [`FloatFormat`]'s parser accepts, one syntax for both (see
    /// [`FloatFormat::from_str`](FloatFormat#impl-FromStr-for-FloatFormat)): "FP16",
    /// "bf16", "FP8 E4M3", "fp8-e5m2", "half", `E<exp>M<man>` (a special-value suffix or bias
    /// is accepted and dropped: a cost depends on the field widths only), with the wider
    /// limits of a cost descriptor (exponent 1..=[`COST_FLOAT_MAX_EXP_BITS`], fraction
    /// 0..=[`COST_FLOAT_MAX_MAN_BITS`]).
    fn from_str(s: &str) -> Result<Self> {
        match parse_name(s)? {
            FormatName::Preset(f) => Ok(FloatKind::from(f)),
            FormatName::Code {
                exp_bits, man_bits, ..
            } => {
                let kind = Self::new(exp_bits, man_bits);
                if kind.validate().is_err() {
                    return Err(Error::Parse {
                        input: s.to_string(),
                        reason: format!(
                            "exponent width must be 1..={COST_FLOAT_MAX_EXP_BITS} and fraction \
                             width 0..={COST_FLOAT_MAX_MAN_BITS}"
                        ),
                    });
                }
                Ok(kind)
            }
        }
    }
}

impl From<FloatFormat> for FloatKind {
    /// The format's field widths: what its cost depends on (the bias and special-value
    /// convention do not change the circuit's size, so FP8 E4M3 and E4M3FNUZ are one kind).
    fn from(f: FloatFormat) -> FloatKind {
        FloatKind::new(f.exp_bits(), f.man_bits())
    }
}

impl TryFrom<FloatKind> for FloatFormat {
    type Error = Error;

    /// The format this kind's name means when parsed as a [`FloatFormat`]: the preset with
    /// these widths if there is one (`FloatKind::FP8_E4M3` is OCP FP8 E4M3, no infinities),
    /// else the IEEE-style format.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidWidth`] when the widths are beyond what [`FloatFormat`] simulates.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::cost::FloatKind;
    /// use arithsim::float::FloatFormat;
    /// assert_eq!(FloatFormat::try_from(FloatKind::FP8_E4M3)?, FloatFormat::FP8_E4M3);
    /// assert_eq!(FloatKind::from(FloatFormat::FP8_E4M3FNUZ), FloatKind::FP8_E4M3);
    /// assert!(FloatFormat::try_from(FloatKind::new(30, 120)).is_err());
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    fn try_from(k: FloatKind) -> Result<FloatFormat> {
        FloatFormat::by_widths(k.exp_bits, k.man_bits)
    }
}

/// A number kind, the source or destination of a conversion.
///
/// Printed as "INT8", "UINT16", "FIX16.8" (signed fixed point, 16 bits of which 8 are
/// fraction), "UFIX8.8", or a [`FloatKind`] name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NumKind {
    /// An integer of `bits` bits, two's complement or unsigned.
    Int {
        /// Width in bits.
        bits: u32,
        /// Two's complement or unsigned.
        signedness: Signedness,
    },
    /// A binary fixed-point number: `bits` in total, of which `frac_bits` after the point.
    Fixed {
        /// Total width in bits.
        bits: u32,
        /// Fraction bits.
        frac_bits: u32,
        /// Two's complement or unsigned.
        signedness: Signedness,
    },
    /// A floating-point format.
    Float(FloatKind),
}

impl fmt::Display for NumKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let u = |s: Signedness| if s.is_signed() { "" } else { "U" };
        match *self {
            NumKind::Int { bits, signedness } => write!(f, "{}INT{bits}", u(signedness)),
            NumKind::Fixed {
                bits,
                frac_bits,
                signedness,
            } => write!(f, "{}FIX{bits}.{frac_bits}", u(signedness)),
            NumKind::Float(k) => k.fmt(f),
        }
    }
}

impl FromStr for NumKind {
    type Err = Error;

    /// Parses "INT8", "UINT32", "FIX16.8", "UFIX8.4" or a float format name.
    fn from_str(s: &str) -> Result<Self> {
        let t = s.trim().to_ascii_uppercase();
        let (signedness, body) = match t.strip_prefix('U') {
            Some(b) if b.starts_with("INT") || b.starts_with("FIX") => (Signedness::Unsigned, b),
            _ => (Signedness::Signed, t.as_str()),
        };
        if let Some(n) = body.strip_prefix("INT") {
            let bits = parse_bits(s, n)?;
            return Ok(NumKind::Int { bits, signedness });
        }
        if let Some(n) = body.strip_prefix("FIX") {
            let (b, fr) = n.split_once('.').ok_or_else(|| Error::Parse {
                input: s.to_string(),
                reason: "fixed point is written FIX<bits>.<fraction bits>".into(),
            })?;
            let bits = parse_bits(s, b)?;
            let frac_bits: u32 = fr.parse().map_err(|_| Error::Parse {
                input: s.to_string(),
                reason: format!("fraction bits {fr:?} is not a number"),
            })?;
            if frac_bits > bits {
                return Err(Error::Parse {
                    input: s.to_string(),
                    reason: format!("fraction bits {frac_bits} exceed width {bits}"),
                });
            }
            return Ok(NumKind::Fixed {
                bits,
                frac_bits,
                signedness,
            });
        }
        s.parse::<FloatKind>()
            .map(NumKind::Float)
            .map_err(|_| Error::Parse {
                input: s.to_string(),
                reason: "expected INT<n>, UINT<n>, FIX<n>.<f>, UFIX<n>.<f> or a float format"
                    .into(),
            })
    }
}

/// Parses a bit width `1..=`[`COST_MAX_OPERAND_BITS`].
pub(super) fn parse_bits(input: &str, n: &str) -> Result<u32> {
    match n.trim().parse::<u32>() {
        Ok(b) if (1..=COST_MAX_OPERAND_BITS).contains(&b) => Ok(b),
        _ => Err(Error::Parse {
            input: input.to_string(),
            reason: format!(
                "bit width {:?} must be a number in 1..={COST_MAX_OPERAND_BITS}",
                n.trim()
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_names_and_generic_forms() {
        assert_eq!(
            "fp8-e4m3".parse::<FloatKind>().unwrap(),
            FloatKind::FP8_E4M3
        );
        assert_eq!("E5M2".parse::<FloatKind>().unwrap(), FloatKind::FP8_E5M2);
        assert_eq!(
            "FP12 E4M7".parse::<FloatKind>().unwrap(),
            FloatKind::new(4, 7)
        );
        assert_eq!(FloatKind::new(4, 7).to_string(), "E4M7");
        assert_eq!(FloatKind::TF32.width(), 19);
        assert_eq!(FloatKind::BF16.significand_bits(), 8);
        let e = "FP9 E4M3".parse::<FloatKind>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot parse \"FP9 E4M3\": declared width FP9 but E4M3 is 8 bits"
        );
        let e = "E0M3".parse::<FloatKind>().unwrap_err();
        assert!(
            e.to_string().contains("exponent width must be 1..=30"),
            "{e}"
        );
        // One syntax with FloatFormat: its aliases name kinds too.
        assert_eq!("half".parse::<FloatKind>().unwrap(), FloatKind::FP16);
        assert!("quarter".parse::<FloatKind>().is_err());
    }
}

// Kinds in configuration files are their names ("FP8 E4M3", "INT8", "FIX16.8").
#[cfg(feature = "serde")]
crate::names::serde_via_str!(FloatKind, NumKind);
