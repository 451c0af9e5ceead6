//! Parsing the datapath arithmetics' printed names back ([`IntArith`], [`FloatArith`] and
//! [`FixedArith`] `Display`), with the compact preset spellings ("int8-int32", "fp16-fp32")
//! as well.

use std::str::FromStr;

use super::{FixedArith, FloatArith, IntArith, Overflow, ProductRounding};
use crate::cost::NumKind;
use crate::fixed::FixedFormat;
use crate::float::FloatFormat;
use crate::names::{normalize, split_note, split_pair, strip_square, unknown};
use crate::round::RoundingMode;
use crate::{Error, Result, Signedness};

impl FromStr for IntArith {
    type Err = Error;

    /// Parses what [`Display`](std::fmt::Display) prints — "INT8 x INT8 -> INT32
    /// (wrapping)", "UINT8 x UINT8 -> UINT32 (saturating)" — and the compact "int8-int32",
    /// "uint8-uint32", case-insensitively; without the "(wrapping|saturating)" note the
    /// accumulator wraps (as the presets do). Both sides must have the same signedness.
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] naming the input and the forms; [`IntArith::new`]'s error for widths
    /// out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::datapath::IntArith;
    /// assert_eq!("int8-int32".parse::<IntArith>()?, IntArith::INT8_INT32);
    /// let a = IntArith::UINT8_UINT32;
    /// assert_eq!(a.to_string().parse::<IntArith>()?, a);
    /// assert!("int8-uint32".parse::<IntArith>().is_err()); // mixed signedness
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<IntArith> {
        let bad = || {
            unknown(
                "integer arithmetic",
                s,
                &[
                    "INT<m> x INT<m> -> INT<acc> (wrapping|saturating)",
                    "UINT<m> -> UINT<acc>",
                    "int8-int32",
                ],
            )
        };
        let (head, note) = split_note(s);
        let overflow = match note.map(normalize).as_deref() {
            None | Some("wrapping") => Overflow::Wrapping,
            Some("saturating") => Overflow::Saturating,
            Some(_) => return Err(bad()),
        };
        let side = |t: &str| -> Result<(u32, Signedness)> {
            match strip_square(t).parse::<NumKind>()? {
                NumKind::Int { bits, signedness } => Ok((bits, signedness)),
                _ => Err(bad()),
            }
        };
        let ((mul_bits, signed), (acc_bits, acc_signed)) =
            split_pair(head, side, side).ok_or_else(bad)?;
        if signed != acc_signed {
            return Err(bad());
        }
        IntArith::new(mul_bits, acc_bits, signed, overflow)
    }
}

impl FromStr for FloatArith {
    type Err = Error;

    /// Parses what [`Display`](std::fmt::Display) prints — "FP16 x FP16 → FP32 (exact
    /// product, nearest, ties to even)", "BF16 x BF16 -> FP32 (product rounded to multiply
    /// format, toward zero)" — and the compact "fp16-fp32", "fp8-e4m3-fp32",
    /// case-insensitively; sides take every [`FloatFormat`] name. Without the note the
    /// configuration is a preset's: exact products, round to nearest even. The note's mode
    /// (after the first comma) takes every [`RoundingMode`] name ("rtz", "TowardZero") except
    /// a stochastic one's `Debug` form; a stochastic mode's random bits are not printed. The
    /// environment's other settings are not printed, so they parse as the default environment
    /// of the mode.
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] naming the input and the forms; [`FloatArith::validate`]'s error
    /// when the accumulator cannot hold the products' widening exactly.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::datapath::FloatArith;
    /// assert_eq!("fp16-fp32".parse::<FloatArith>()?, FloatArith::FP16_FP32);
    /// assert_eq!("FP8 E4M3 -> FP16".parse::<FloatArith>()?, FloatArith::FP8_E4M3_FP16);
    /// let a = FloatArith::BF16_FP32;
    /// assert_eq!(a.to_string().parse::<FloatArith>()?, a);
    /// assert!("fp32-fp16".parse::<FloatArith>().is_err()); // FP16 cannot hold FP32 values
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<FloatArith> {
        let bad = || {
            unknown(
                "float arithmetic",
                s,
                &[
                    "<format> x <format> -> <format> (exact product|product rounded to \
                     multiply format, <rounding mode>)",
                    "fp16-fp32",
                ],
            )
        };
        let (head, note) = split_note(s);
        let (product, rounding) = match note {
            None => (ProductRounding::ExactProduct, RoundingMode::NearestEven),
            Some(n) => {
                // The product phrases have no comma; a mode's name may ("nearest, ties to even").
                let (p, mode) = n.split_once(',').ok_or_else(bad)?;
                let product = match normalize(p).as_str() {
                    "exactproduct" => ProductRounding::ExactProduct,
                    "productroundedtomultiplyformat" => ProductRounding::RoundToMulFormat,
                    _ => return Err(bad()),
                };
                (product, mode.trim().parse::<RoundingMode>()?)
            }
        };
        let side = |t: &str| strip_square(t).parse::<FloatFormat>();
        let (mul, acc) = split_pair(head, side, side).ok_or_else(bad)?;
        FloatArith::new(mul, acc, product, rounding)
    }
}

impl FromStr for FixedArith {
    type Err = Error;

    /// Parses what [`Display`](std::fmt::Display) prints — "Q1.7 x Q1.7 → Q18.14 (nearest,
    /// ties to even, wrapping)" — and the compact "q1.7-q18.14", case-insensitively; sides
    /// take every [`FixedFormat`] name, the note a [`RoundingMode`] name and an [`Overflow`]
    /// name (the last comma separates them). Without the note products round to nearest even
    /// and the accumulator wraps. Formats are checked when a datapath is built, as for
    /// [`FixedArith::new`].
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] naming the input and the forms.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::datapath::{FixedArith, Overflow};
    /// use arithsim::fixed::FixedFormat;
    /// use arithsim::round::RoundingMode;
    ///
    /// let a = FixedArith::new(FixedFormat::q(1, 7)?, FixedFormat::q(18, 14)?,
    ///                         RoundingMode::TowardZero, Overflow::Saturating);
    /// assert_eq!(a.to_string(), "Q1.7 x Q1.7 → Q18.14 (toward zero, saturating)");
    /// assert_eq!(a.to_string().parse::<FixedArith>()?, a);
    /// assert_eq!("q1.7 -> q18.14 (rtz, saturating)".parse::<FixedArith>()?, a);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<FixedArith> {
        let bad = || {
            unknown(
                "fixed-point arithmetic",
                s,
                &[
                    "<format> x <format> -> <format> (<rounding mode>, wrapping|saturating)",
                    "q1.7-q18.14",
                ],
            )
        };
        let (head, note) = split_note(s);
        let (rounding, overflow) = match note {
            None => (RoundingMode::NearestEven, Overflow::Wrapping),
            Some(n) => {
                let (mode, overflow) = n.rsplit_once(',').ok_or_else(bad)?;
                (mode.trim().parse()?, overflow.trim().parse()?)
            }
        };
        let side = |t: &str| strip_square(t).parse::<FixedFormat>();
        let (operand, acc) = split_pair(head, side, side).ok_or_else(bad)?;
        Ok(FixedArith::new(operand, acc, rounding, overflow))
    }
}
