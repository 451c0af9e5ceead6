//! Double quantization (QLoRA, Dettmers et al. 2023, section 3): the per-block FP32 absmax
//! constants of a 4-bit tensor are themselves quantized to 8 bits in blocks.
//!
//! # The scheme, as chosen here
//!
//! The constants `c_j ≥ 0` (one per first-level block) are all positive, so a symmetric
//! 8-bit code would waste its sign; QLoRA subtracts their mean first. Here:
//!
//! 1. offset `m` = the mean of all `c_j` (in f64), rounded to f32 and stored once per tensor
//!    (32 bits);
//! 2. the centred constants `d_j = c_j − m` (exact in f64) are split into blocks of
//!    `block2` (QLoRA: 256, the last block may be shorter); each block stores its
//!    `s = max |d_j|` rounded to f32 (32 bits);
//! 3. each `d_j` gets an 8-bit code ([`DqCode`]): symmetric INT8 `round(d_j / s · 127)`
//!    (nearest even, clamped to ±127), or FP8 E4M3 of `d_j / s · 448` (nearest even,
//!    saturating), both through [`crate::round`];
//! 4. the reconstructed constant is `m + decode(q) · s`, rounded to f32 — the absmax the
//!    4-bit values are dequantized with (the 4-bit codes themselves are chosen with the
//!    original FP32 constant, as bitsandbytes does).
//!
//! The paper says "8-bit Floats"; bitsandbytes implements it with its dynamic 8-bit map.
//! Both variants here cost the same bits: per first-level block 8, per second-level block
//! 32, plus 32 for the offset. See [`StorageBits`](super::StorageBits) for the exact
//! accounting.

use super::fixed_point::round_f64_to_i64;
use crate::float::{FloatEnv, FloatFormat, OverflowPolicy};
use crate::round::RoundingMode;
use crate::{Error, Result};

/// The 8-bit code of the centred constants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum DqCode {
    /// Symmetric INT8, `[−127, 127]`, step `s / 127`.
    Int8,
    /// FP8 E4M3 (OCP), `s` maps to 448.
    Fp8E4M3,
}

impl DqCode {
    fn encode(self, d: f64, s: f64) -> u8 {
        if s == 0.0 {
            return 0;
        }
        match self {
            DqCode::Int8 => round_f64_to_i64(d / s * 127.0, RoundingMode::NearestEven)
                .clamp(-127, 127) as i8 as u8,
            DqCode::Fp8E4M3 => {
                let env = FloatEnv::new(RoundingMode::NearestEven)
                    .with_overflow(OverflowPolicy::Saturate);
                FloatFormat::FP8_E4M3.from_f64(d / s * 448.0, &env).value as u8
            }
        }
    }

    fn decode(self, q: u8, s: f64) -> f64 {
        match self {
            DqCode::Int8 => f64::from(q as i8) / 127.0 * s,
            DqCode::Fp8E4M3 => FloatFormat::FP8_E4M3.bits_to_f64(u64::from(q)) / 448.0 * s,
        }
    }
}

/// Absmax constants quantized to 8 bits in blocks, with a mean offset.
#[derive(Clone, Debug, PartialEq)]
pub struct DoubleQuantized {
    code: DqCode,
    block2: usize,
    offset: f32,
    scales: Vec<f32>,
    codes: Vec<u8>,
}

impl DoubleQuantized {
    /// Quantizes `constants` (the first-level absmax values) in blocks of `block2`.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] for no constants; [`Error::InvalidParameter`] for `block2 = 0` or a
    /// constant that is negative or not finite.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::quant::{DoubleQuantized, DqCode};
    ///
    /// let c = [0.5f32, 1.5, 1.0, 1.0];
    /// let dq = DoubleQuantized::quantize(&c, 256, DqCode::Int8)?;
    /// assert_eq!(dq.offset(), 1.0);
    /// assert_eq!(dq.dequantize(), c); // ±0.5 and 0 are exact at step 0.5/127
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn quantize(constants: &[f32], block2: usize, code: DqCode) -> Result<Self> {
        if block2 == 0 {
            return Err(Error::param("block2", 0, "must be at least 1"));
        }
        if constants.is_empty() {
            return Err(Error::Shape("double quantization of no constants".into()));
        }
        if let Some((i, c)) = constants
            .iter()
            .enumerate()
            .find(|(_, c)| !(c.is_finite() && **c >= 0.0))
        {
            return Err(Error::param(
                "absmax constant",
                c,
                format!("element {i} must be finite and non-negative"),
            ));
        }
        let mean = constants.iter().map(|&c| f64::from(c)).sum::<f64>() / constants.len() as f64;
        let offset = mean as f32;
        let m = f64::from(offset);
        let mut scales = Vec::with_capacity(constants.len().div_ceil(block2));
        let mut codes = Vec::with_capacity(constants.len());
        for blk in constants.chunks(block2) {
            let s = blk
                .iter()
                .map(|&c| (f64::from(c) - m).abs())
                .fold(0.0, f64::max) as f32;
            scales.push(s);
            codes.extend(
                blk.iter()
                    .map(|&c| code.encode(f64::from(c) - m, f64::from(s))),
            );
        }
        Ok(DoubleQuantized {
            code,
            block2,
            offset,
            scales,
            codes,
        })
    }

    /// The stored mean offset.
    #[must_use]
    pub fn offset(&self) -> f32 {
        self.offset
    }

    /// The second-level block size.
    #[must_use]
    pub fn block2(&self) -> usize {
        self.block2
    }

    /// The 8-bit code used.
    #[must_use]
    pub fn code(&self) -> DqCode {
        self.code
    }

    /// The FP32 scale of each second-level block.
    #[must_use]
    pub fn scales(&self) -> &[f32] {
        &self.scales
    }

    /// The 8-bit codes, one per constant.
    #[must_use]
    pub fn codes(&self) -> &[u8] {
        &self.codes
    }

    /// The reconstructed constants `m + decode(q) · s`, rounded to f32 and clamped to
    /// `[0, f32::MAX]`: every original constant lies there, so the clamp only removes error
    /// (near `f32::MAX` the rounded offset and scale can sum past it, which would otherwise
    /// give an infinite absmax and infinite weights).
    #[must_use]
    pub fn dequantize(&self) -> Vec<f32> {
        let m = f64::from(self.offset);
        self.codes
            .chunks(self.block2)
            .zip(&self.scales)
            .flat_map(|(blk, &s)| {
                blk.iter().map(move |&q| {
                    let c = m + self.code.decode(q, f64::from(s));
                    c.clamp(0.0, f64::from(f32::MAX)) as f32
                })
            })
            .collect()
    }

    /// Stored bits: 8 per constant, 32 per second-level block, 32 for the offset.
    #[must_use]
    pub fn storage_bits(&self) -> u64 {
        8 * self.codes.len() as u64 + 32 * self.scales.len() as u64 + 32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int8_error_is_at_most_half_a_step_plus_f32_rounding() {
        let c: Vec<f32> = (0..1000)
            .map(|i| 0.05 + (i as f32 * 0.7).sin().abs())
            .collect();
        for code in [DqCode::Int8, DqCode::Fp8E4M3] {
            let dq = DoubleQuantized::quantize(&c, 256, code).unwrap();
            assert_eq!(dq.scales().len(), 4);
            assert_eq!(dq.storage_bits(), 8 * 1000 + 32 * 4 + 32);
            let back = dq.dequantize();
            let m = f64::from(dq.offset());
            for (j, (&a, &b)) in c.iter().zip(&back).enumerate() {
                let s = f64::from(dq.scales()[j / 256]);
                let d = f64::from(a) - m;
                // INT8: half a step s/254; E4M3: half an ulp, 2^-4 relative (or 2^-10 · s abs).
                let bound = match code {
                    DqCode::Int8 => s / 254.0,
                    DqCode::Fp8E4M3 => d.abs() / 16.0 + s / 448.0 * 2f64.powi(-10),
                } + f64::from(b).abs() * 2f64.powi(-24);
                assert!(
                    (f64::from(b) - f64::from(a)).abs() <= bound * (1.0 + 1e-12),
                    "{j}"
                );
            }
        }
    }

    #[test]
    fn codes_are_the_rounded_centred_values() {
        // Mean 2; centred −1, 0, 1, 0.5/… : s = 1, INT8 codes −127, 0, 127, 64 (63.5 ties even).
        let c = [1.0f32, 2.0, 3.0, 2.5, 1.5];
        let dq = DoubleQuantized::quantize(&c, 256, DqCode::Int8).unwrap();
        assert_eq!(dq.offset(), 2.0);
        assert_eq!(dq.scales(), [1.0]);
        let codes: Vec<i8> = dq.codes().iter().map(|&q| q as i8).collect();
        assert_eq!(codes, [-127, 0, 127, 64, -64]);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(
            DoubleQuantized::quantize(&[1.0], 0, DqCode::Int8)
                .unwrap_err()
                .to_string()
                .contains("block2")
        );
        assert!(matches!(
            DoubleQuantized::quantize(&[], 4, DqCode::Int8),
            Err(Error::Shape(_))
        ));
        let e = DoubleQuantized::quantize(&[1.0, -1.0], 4, DqCode::Int8).unwrap_err();
        assert!(e.to_string().contains("absmax constant"), "{e}");
        assert!(DoubleQuantized::quantize(&[f32::NAN], 4, DqCode::Int8).is_err());
    }
}
