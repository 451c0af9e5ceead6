//! Operand unpacking: fields, hidden bit, and the class of the operand for every [`Specials`]
//! convention.

use crate::float::{FloatFormat, Specials};
use crate::gates::{Builder, Wire};
use crate::{Error, Result};

/// An operand taken apart by [`build_unpack`]. All buses are least significant bit first.
#[derive(Clone, Debug)]
pub struct UnpackedOperand {
    /// Sign bit (cleared for a flushed FNUZ subnormal, whose zero is +0).
    pub sign: Wire,
    /// Effective biased exponent, `exp_bits` wide: the exponent field, or 1 when the field
    /// is 0 (zero and subnormals), so that `value = sig × 2^(exp − bias − man_bits)` for
    /// every finite operand.
    pub exp: Vec<Wire>,
    /// Significand with its hidden bit on top (`man_bits + 1` wide); all zero for a flushed
    /// subnormal.
    pub sig: Vec<Wire>,
    /// The magnitude pattern (exponent and mantissa fields, `exp_bits + man_bits` wide) after
    /// flushing: its unsigned order is the order of magnitudes of finite operands.
    pub mag: Vec<Wire>,
    /// Exponent field is 0 (zero or subnormal).
    pub exp_zero: Wire,
    /// ±0 (including flushed subnormals).
    pub is_zero: Wire,
    /// A subnormal that is not flushed.
    pub is_subnormal: Wire,
    /// ±∞ (constant 0 for formats without infinities).
    pub is_inf: Wire,
    /// Any NaN (constant 0 for finite-only formats).
    pub is_nan: Wire,
    /// A signalling NaN (IEEE formats only; other formats' NaNs are quiet).
    pub is_snan: Wire,
}

/// Unpacks `bits` (a value of `format`, `format.width()` wires) inside `b`, under label
/// `unpack`. With `daz` (denormals-are-zero), subnormal operands read as zeros of their sign.
///
/// Detection per convention: IEEE (exponent all ones: ∞ or NaN, quiet bit = top mantissa
/// bit), OCP E4M3 `NanAllOnes` (S.1…1.1…1 is NaN, no ∞), FNUZ (the pattern of −0 is the one
/// NaN, no ∞), finite-only (no ∞, no NaN).
///
/// # Errors
/// [`Error::Shape`] if `bits` is not `format.width()` wide; [`Error::InvalidParameter`] for a
/// wire of another netlist.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::fp::build_unpack;
/// use arithsim::float::FloatFormat;
/// use arithsim::gates::Builder;
///
/// let f = FloatFormat::FP8_E4M3;
/// let mut b = Builder::new();
/// let x = b.input("x", 8)?;
/// let u = build_unpack(&mut b, f, &x, false)?;
/// b.output("sig", &u.sig)?;
/// b.output("nan", &[u.is_nan])?;
/// let out = b.finish()?.eval_u64(&[("x", &[0x01, 0x7F, 0x38])])?;
/// assert_eq!(out.get("sig")?, &[0b0001, 0b1111, 0b1000]); // subnormal, NaN, 1.0
/// assert_eq!(out.get("nan")?, &[0, 1, 0]);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn build_unpack(
    b: &mut Builder,
    format: FloatFormat,
    bits: &[Wire],
    daz: bool,
) -> Result<UnpackedOperand> {
    if bits.len() != format.width() as usize {
        return Err(Error::Shape(format!(
            "operand has {} bits; the format has {}",
            bits.len(),
            format.width()
        )));
    }
    b.check_wires(bits)?;
    Ok(b.with_label("unpack", |b| unpack(b, format, bits, daz)))
}

fn unpack(b: &mut Builder, format: FloatFormat, bits: &[Wire], daz: bool) -> UnpackedOperand {
    let m = format.man_bits() as usize;
    let e = format.exp_bits() as usize;
    let man_raw = &bits[..m];
    let exp_field = &bits[m..m + e];
    let raw_sign = bits[m + e];
    let exp_any = b.or_all(exp_field);
    let exp_zero = b.not(exp_any);
    let exp_ones = b.and_all(exp_field);
    let man_any = b.or_all(man_raw);
    let man_none = b.not(man_any);
    let zero = b.zero();
    // Specials by convention.
    let (is_inf, is_nan, is_snan) = match format.specials() {
        Specials::Ieee => {
            let inf = b.and(exp_ones, man_none);
            let nan = b.and(exp_ones, man_any);
            let quiet = man_raw[m - 1];
            let nq = b.not(quiet);
            let snan = b.and(nan, nq);
            (inf, nan, snan)
        }
        Specials::NanAllOnes => {
            let man_ones = b.and_all(man_raw);
            (zero, b.and(exp_ones, man_ones), zero)
        }
        Specials::Fnuz => {
            let t = b.and(exp_zero, man_none);
            (zero, b.and(t, raw_sign), zero)
        }
        Specials::FiniteOnly => (zero, zero, zero),
    };
    // A subnormal: exponent field 0, mantissa non-zero (FNUZ's NaN has a zero mantissa).
    let sub_raw = b.and(exp_zero, man_any);
    let (man, is_subnormal, sign) = if daz {
        let keep = b.not(sub_raw);
        let man: Vec<Wire> = man_raw.iter().map(|&w| b.and(w, keep)).collect();
        // A flushed FNUZ subnormal is +0 (the format has no −0).
        let sign = if format.specials() == Specials::Fnuz {
            b.and(raw_sign, keep)
        } else {
            raw_sign
        };
        (man, zero, sign)
    } else {
        (man_raw.to_vec(), sub_raw, raw_sign)
    };
    let is_zero = if daz {
        // Exponent 0 and not FNUZ's NaN.
        let nn = b.not(is_nan);
        b.and(exp_zero, nn)
    } else {
        let z = b.and(exp_zero, man_none);
        let nn = b.not(is_nan);
        b.and(z, nn)
    };
    let mut exp = exp_field.to_vec();
    exp[0] = b.or(exp_field[0], exp_zero);
    let mut sig = man.clone();
    sig.push(exp_any);
    let mut mag = man;
    mag.extend_from_slice(exp_field);
    UnpackedOperand {
        sign,
        exp,
        sig,
        mag,
        exp_zero,
        is_zero,
        is_subnormal,
        is_inf,
        is_nan,
        is_snan,
    }
}
