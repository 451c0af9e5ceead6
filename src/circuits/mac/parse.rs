//! Parsing a [`MacSpec`]'s printed name back.

use std::str::FromStr;

use super::{MacSpec, MacStructure, Overflow};
use crate::circuits::adders::AdderKind;
use crate::circuits::multipliers::{PartialProducts, Reduction, Signedness};
use crate::names::unknown;
use crate::{Error, Result};

impl FromStr for MacSpec {
    type Err = Error;

    /// Parses what [`Display`](std::fmt::Display) prints: "`[dot<k> ]int<w>x<w>-><acc>
    /// <signed|unsigned> <wrapping|saturating> <separate|fused>
    /// <reduction>/<partial products>/<adder>`", such as "int8x8->32 signed wrapping
    /// separate dadda/baugh-wooley/brent-kung" (words case-insensitive, the three circuit
    /// names as their own parsers take them).
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] naming the input and the form; [`MacSpec::validate`]'s error for a
    /// spec that cannot be built.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::circuits::mac::{dot_product_unit, MacSpec};
    /// use arithsim::circuits::multipliers::Signedness;
    /// let dot = dot_product_unit(4, MacSpec::new(8, 32, Signedness::Signed));
    /// assert_eq!(dot.to_string().parse::<MacSpec>()?, dot);
    /// assert!("int8x8->4 signed wrapping separate dadda/baugh-wooley/brent-kung"
    ///     .parse::<MacSpec>().is_err()); // accumulator narrower than the product
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<MacSpec> {
        let bad = || {
            unknown(
                "MAC spec",
                s,
                &[
                    "[dot<k> ]int<w>x<w>-><acc> <signed|unsigned> <wrapping|saturating> \
                   <separate|fused> <reduction>/<partial products>/<adder>",
                ],
            )
        };
        let lower = s.trim().to_ascii_lowercase();
        let mut words = lower.split_whitespace().peekable();
        let lanes = match words.peek().and_then(|w| w.strip_prefix("dot")) {
            Some(k) => {
                let k = k.parse::<u32>().map_err(|_| bad())?;
                words.next();
                k
            }
            None => 1,
        };
        let widths = words.next().ok_or_else(bad)?;
        let (w, acc) = widths
            .strip_prefix("int")
            .and_then(|r| r.split_once("->"))
            .ok_or_else(bad)?;
        let (a, b) = w.split_once('x').ok_or_else(bad)?;
        let num = |t: &str| t.parse::<u32>().map_err(|_| bad());
        let (width, acc_width) = (num(a)?, num(acc)?);
        if num(b)? != width {
            return Err(bad());
        }
        let signedness = match words.next() {
            Some("signed") => Signedness::Signed,
            Some("unsigned") => Signedness::Unsigned,
            _ => return Err(bad()),
        };
        let overflow = match words.next() {
            Some("wrapping") => Overflow::Wrapping,
            Some("saturating") => Overflow::Saturating,
            _ => return Err(bad()),
        };
        let structure = match words.next() {
            Some("separate") => MacStructure::Separate,
            Some("fused") => MacStructure::Fused,
            _ => return Err(bad()),
        };
        let circuit = words.next().ok_or_else(bad)?;
        if words.next().is_some() {
            return Err(bad());
        }
        let mut parts = circuit.splitn(3, '/');
        let (r, pp, adder) = match (parts.next(), parts.next(), parts.next()) {
            (Some(r), Some(pp), Some(adder)) => (r, pp, adder),
            _ => return Err(bad()),
        };
        let spec = MacSpec {
            reduction: r.parse::<Reduction>()?,
            partial_products: pp.parse::<PartialProducts>()?,
            adder: adder.parse::<AdderKind>()?,
            overflow,
            structure,
            lanes,
            ..MacSpec::new(width, acc_width, signedness)
        };
        spec.validate()?;
        Ok(spec)
    }
}

// Written as its name (which holds every field) and read back through `FromStr`, which
// validates it.
#[cfg(feature = "serde")]
crate::names::serde_via_str!(MacSpec);
