//! OCP Microscaling (MX) v1.0 block formats: 32 elements sharing one E8M0 power-of-two scale.
//!
//! # Conversion (OCP MX v1.0, section 6.3)
//!
//! For a block of FP32 values `V`:
//! `shared_exp = ⌊log2(max |V_i|)⌋ − emax_elem` (`emax_elem` is the exponent of the element
//! format's largest normal number: E4M3 8, E5M2 15, E3M2 4, E2M3 2, E2M1 2, INT8 0), clamped
//! below to −127, the smallest E8M0 scale; `X = 2^shared_exp`; each element is `V_i / X`
//! rounded to nearest even into the element format, saturating to ± the largest normal
//! (E5M2 included: no infinities are produced). The division is exact (an exponent shift of
//! the FP32 value), so there is exactly one rounding, in [`FloatFormat::round_pack`].
//!
//! Choices the specification leaves open, made here: a block holding a NaN or an infinity
//! gets the NaN scale (0xFF) and zero elements (its values all decode as NaN); an all-zero
//! block gets the smallest scale 2^−127 and zero elements. MXINT8 elements are two's
//! complement with an implicit 2^−6 (values −2 to 1 63/64) and saturate symmetrically to ±127,
//! as the OCP reference code (microxcaling) does.
//!
//! # Dot product (section 6.4)
//!
//! `Dot(A, B) = X_A · X_B · Σ P_A,i · P_B,i`. The internal precision is implementation
//! defined; here it is **exact**: every element is an integer multiple of 2^−16 (the smallest
//! E5M2 subnormal), products are exact in units of 2^−32 and summed in an `i128` without
//! loss, and the result is rounded **once** into the caller's output format (e.g. FP32) by
//! [`FloatFormat::round_pack`]. A hardware unit with a narrower accumulator can only differ
//! from this by its own rounding.

use std::fmt;

use crate::float::{FloatEnv, FloatFormat, Kind, OverflowPolicy, StatusAnd};
use crate::round::{Flags, RoundingMode, round_shift};
use crate::{Error, Result};

/// Elements per MX block.
pub const MX_BLOCK_SIZE: usize = 32;

/// The E8M0 bit pattern of the NaN scale.
pub const E8M0_NAN: u8 = 0xFF;

/// An MX element data type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum MxElement {
    /// MXFP8 with FP8 E4M3 elements (max 448).
    Fp8E4M3,
    /// MXFP8 with FP8 E5M2 elements (max 57344).
    Fp8E5M2,
    /// MXFP6 with FP6 E3M2 elements (max 28).
    Fp6E3M2,
    /// MXFP6 with FP6 E2M3 elements (max 7.5).
    Fp6E2M3,
    /// MXFP4 with FP4 E2M1 elements (max 6).
    Fp4E2M1,
    /// MXINT8: 8-bit two's complement with an implicit scale of 2^−6.
    Int8,
}

impl MxElement {
    /// All six element types.
    pub const ALL: [MxElement; 6] = [
        MxElement::Fp8E4M3,
        MxElement::Fp8E5M2,
        MxElement::Fp6E3M2,
        MxElement::Fp6E2M3,
        MxElement::Fp4E2M1,
        MxElement::Int8,
    ];

    /// The floating-point element format (`None` for MXINT8).
    pub fn float_format(self) -> Option<FloatFormat> {
        match self {
            MxElement::Fp8E4M3 => Some(FloatFormat::FP8_E4M3),
            MxElement::Fp8E5M2 => Some(FloatFormat::FP8_E5M2),
            MxElement::Fp6E3M2 => Some(FloatFormat::FP6_E3M2),
            MxElement::Fp6E2M3 => Some(FloatFormat::FP6_E2M3),
            MxElement::Fp4E2M1 => Some(FloatFormat::FP4_E2M1),
            MxElement::Int8 => None,
        }
    }

    /// `emax_elem`: the exponent of the largest normal element value.
    pub fn emax(self) -> i32 {
        self.float_format().map_or(0, FloatFormat::max_exponent)
    }

    /// Element width in bits.
    pub fn bits(self) -> u32 {
        self.float_format().map_or(8, FloatFormat::width)
    }

    /// The value of element bit pattern `bits` before scaling (exact; NaN for E4M3's NaN
    /// pattern, ±∞ for E5M2's infinities, which conversion never produces).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::quant::MxElement;
    ///
    /// assert_eq!(MxElement::Fp4E2M1.decode(0b0111)?, 6.0);
    /// assert_eq!(MxElement::Int8.decode(0x80)?, -2.0);
    /// assert!(MxElement::Fp4E2M1.decode(0b1_0111).is_err()); // bit 4 is not in an FP4 element
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] for a pattern with bits set above the element width.
    pub fn decode(self, bits: u8) -> Result<f64> {
        let width = self.bits();
        if width < 8 && bits >> width != 0 {
            return Err(Error::OutOfRange {
                value: format!("{bits:#010b}"),
                min: "0".into(),
                max: format!("{:#010b}", (1u16 << width) - 1),
                what: format!("{width}-bit MX element pattern"),
            });
        }
        Ok(self.decode_raw(bits))
    }

    /// [`Self::decode`] of a pattern known to fit the element.
    fn decode_raw(self, bits: u8) -> f64 {
        match self.float_format() {
            Some(f) => f.bits_to_f64(bits as u64 & f.mask()),
            None => bits as i8 as f64 / 64.0,
        }
    }

    /// The element as an exact integer count of 2^−16 (`None` for NaN and infinities).
    fn units(self, bits: u8) -> Option<i64> {
        match self.float_format() {
            Some(f) => {
                let u = f.unpack(bits as u64 & f.mask());
                match u.kind {
                    Kind::Zero => Some(0),
                    Kind::Finite => {
                        // exponent >= -16 for every MX element format.
                        let mag = (u.significand as i64) << (u.exponent + 16);
                        Some(if u.negative { -mag } else { mag })
                    }
                    _ => None,
                }
            }
            None => Some((bits as i8 as i64) << 10),
        }
    }

    /// Rounds `(−1)^negative · sig · 2^exp` (exact) to an element, nearest even, saturating.
    fn encode(self, negative: bool, sig: u64, exp: i32) -> u8 {
        match self.float_format() {
            Some(f) => {
                let env = FloatEnv::new(RoundingMode::NearestEven)
                    .with_overflow(OverflowPolicy::Saturate);
                let mut b = f.round_pack(negative, sig as u128, exp, false, &env).value;
                if f.is_infinite(b) {
                    // E5M2 has infinities; MX conversion clamps to the largest normal.
                    b = f.max_finite_bits() | if negative { f.sign_bit() } else { 0 };
                }
                b as u8
            }
            None => {
                // q = sig · 2^(exp + 6), rounded to an integer.
                let shift = exp + 6;
                let mag = if shift >= 0 {
                    // sig < 2^64: anything shifted by more than 63 is far beyond 127.
                    if shift > 63 {
                        u128::MAX
                    } else {
                        (sig as u128) << shift
                    }
                } else {
                    round_shift(
                        negative,
                        sig as u128,
                        (-shift) as u32,
                        false,
                        RoundingMode::NearestEven,
                    )
                    .value
                };
                let q = mag.min(127) as i8;
                (if negative { -q } else { q }) as u8
            }
        }
    }
}

impl fmt::Display for MxElement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MxElement::Fp8E4M3 => "MXFP8 E4M3",
            MxElement::Fp8E5M2 => "MXFP8 E5M2",
            MxElement::Fp6E3M2 => "MXFP6 E3M2",
            MxElement::Fp6E2M3 => "MXFP6 E2M3",
            MxElement::Fp4E2M1 => "MXFP4 E2M1",
            MxElement::Int8 => "MXINT8",
        })
    }
}

/// One MX block: an E8M0 scale and up to 32 elements (element bit patterns, low bits used).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MxBlock {
    /// The element type.
    pub element: MxElement,
    /// The shared scale as an E8M0 bit pattern: `2^(scale − 127)`, or NaN for 0xFF.
    pub scale: u8,
    /// The element bit patterns.
    pub elements: Vec<u8>,
}

impl MxBlock {
    /// Quantizes up to 32 FP32 values into one block by the OCP MX v1.0 rules (see the
    /// module docs).
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when `values` is empty or longer than 32.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::quant::{MxBlock, MxElement};
    ///
    /// // max 10: shared_exp = floor(log2 10) - emax(E2M1) = 3 - 2 = 1, X = 2.
    /// let b = MxBlock::quantize(&[10.0, 1.0, -2.5, 0.0], MxElement::Fp4E2M1).unwrap();
    /// assert_eq!(b.scale_exponent(), Some(1));
    /// // 10/2 = 5 -> 4 (tie to even: 4 and 6), 1/2 = 0.5, -2.5/2 = -1.25 -> -1.
    /// assert_eq!(b.dequantize(), [8.0, 1.0, -2.0, 0.0]);
    /// ```
    pub fn quantize(values: &[f32], element: MxElement) -> Result<MxBlock> {
        if values.is_empty() || values.len() > MX_BLOCK_SIZE {
            return Err(Error::Shape(format!(
                "an MX block holds 1..={MX_BLOCK_SIZE} values, got {}",
                values.len()
            )));
        }
        let fp32 = FloatFormat::FP32;
        let mut max_exp: Option<i32> = None; // floor(log2 max |V|)
        for &v in values {
            let u = fp32.unpack(v.to_bits() as u64);
            match u.kind {
                Kind::Zero => {}
                Kind::Finite => {
                    let e = u.exponent + 63 - u.significand.leading_zeros() as i32;
                    max_exp = Some(max_exp.map_or(e, |m| m.max(e)));
                }
                _ => {
                    return Ok(MxBlock {
                        element,
                        scale: E8M0_NAN,
                        elements: vec![0; values.len()],
                    });
                }
            }
        }
        let shared = max_exp.map_or(-127, |m| (m - element.emax()).max(-127));
        // FP32 input: shared <= 127 - 0, so the scale never overflows E8M0.
        let elements = values
            .iter()
            .map(|&v| {
                let u = fp32.unpack(v.to_bits() as u64);
                if u.kind == Kind::Zero {
                    element.encode(u.negative, 0, 0)
                } else {
                    element.encode(u.negative, u.significand, u.exponent - shared)
                }
            })
            .collect();
        Ok(MxBlock {
            element,
            scale: (shared + 127) as u8,
            elements,
        })
    }

    /// The shared exponent (`None` for the NaN scale).
    pub fn scale_exponent(&self) -> Option<i32> {
        (self.scale != E8M0_NAN).then(|| self.scale as i32 - 127)
    }

    /// The exact real values (`X · P_i`; all NaN under the NaN scale).
    pub fn dequantize(&self) -> Vec<f64> {
        let Some(e) = self.scale_exponent() else {
            return vec![f64::NAN; self.elements.len()];
        };
        // 2^e for e in -127..=127 is a normal f64; products with elements stay exact.
        let x = f64::from_bits(((1023 + e) as u64) << 52);
        self.elements
            .iter()
            .map(|&b| self.element.decode_raw(b) * x)
            .collect()
    }

    /// The MX dot product `X_A · X_B · Σ P_A,i · P_B,i`, accumulated exactly and rounded
    /// once into `out` under `env` (see the module docs). Blocks may have different element
    /// types. A NaN scale or NaN element gives the default NaN of `out` with
    /// [`Flags::INVALID`] (or +0 if `out` has no NaN).
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when the blocks have different lengths.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatEnv, FloatFormat};
    /// use arithsim::quant::{MxBlock, MxElement};
    ///
    /// let a = MxBlock::quantize(&[1.0, 2.0, 3.0], MxElement::Fp8E4M3).unwrap();
    /// let b = MxBlock::quantize(&[4.0, 5.0, -6.0], MxElement::Fp8E5M2).unwrap();
    /// let r = a.dot(&b, FloatFormat::FP32, &FloatEnv::default()).unwrap();
    /// assert_eq!(f32::from_bits(r.value as u32), 4.0 + 10.0 - 18.0);
    /// ```
    pub fn dot(&self, other: &MxBlock, out: FloatFormat, env: &FloatEnv) -> Result<StatusAnd<u64>> {
        if self.elements.len() != other.elements.len() {
            return Err(Error::Shape(format!(
                "MX dot product of blocks of {} and {} elements",
                self.elements.len(),
                other.elements.len()
            )));
        }
        let invalid = || {
            let nan = FloatFormat::FP64.from_f64(f64::NAN, env).value;
            FloatFormat::FP64
                .convert(nan, out, env)
                .with_flags(Flags::INVALID)
        };
        let (Some(xa), Some(xb)) = (self.scale_exponent(), other.scale_exponent()) else {
            return Ok(invalid());
        };
        let mut sum: i128 = 0;
        for (&a, &b) in self.elements.iter().zip(&other.elements) {
            let (Some(pa), Some(pb)) = (self.element.units(a), other.element.units(b)) else {
                return Ok(invalid());
            };
            sum += pa as i128 * pb as i128;
        }
        Ok(out.round_pack(sum < 0, sum.unsigned_abs(), xa + xb - 32, false, env))
    }
}

/// Quantizes a tensor into MX blocks of 32 consecutive values (the last block may be
/// shorter).
///
/// # Errors
///
/// [`Error::Shape`] for empty input.
pub fn mx_quantize(values: &[f32], element: MxElement) -> Result<Vec<MxBlock>> {
    if values.is_empty() {
        return Err(Error::Shape(
            "cannot quantize an empty tensor into MX blocks".into(),
        ));
    }
    values
        .chunks(MX_BLOCK_SIZE)
        .map(|c| MxBlock::quantize(c, element))
        .collect()
}

/// The exact real values of a sequence of blocks.
pub fn mx_dequantize(blocks: &[MxBlock]) -> Vec<f64> {
    blocks.iter().flat_map(MxBlock::dequantize).collect()
}
