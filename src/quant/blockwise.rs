//! Block-wise absmax 4-bit quantization (bitsandbytes / QLoRA): NF4 or FP4 E2M1 codes, one
//! FP32 absmax per block of consecutive values, two codes per byte, optional double
//! quantization of the absmax constants.
//!
//! # Layout
//!
//! The tensor is taken flat (row-major), in blocks of `block` consecutive values (QLoRA:
//! 64). A block length that does not divide the tensor is allowed: **the last block is
//! shorter** and its absmax is taken over the values it has (no padding values enter any
//! absmax). Codes are packed two per byte, **the first value of a pair in the high nibble**
//! (bitsandbytes' `kQuantizeBlockwise`: `byte = code[2i] << 4 | code[2i+1]`); an odd-length
//! tensor pads its last low nibble with 0 (never read back).
//!
//! Storage bits ([`StorageBits`]): `8·⌈n/2⌉` for the codes, `32·⌈n/block⌉` for the FP32
//! absmax, or with double quantization `8·⌈n/block⌉ + 32·⌈⌈n/block⌉/block2⌉ + 32`
//! ([`DoubleQuantized`]). At `block = 64`, `block2 = 256` that is `4 + 8/64 + 32/(64·256)
//! = 4.127` bits per weight (plus `32/n` for the offset): QLoRA's 0.5 → 0.127 bits of
//! overhead.

use super::double_quant::{DoubleQuantized, DqCode};
use super::nf4::Code4;
use super::storage::StorageBits;
use crate::{Error, Result};

/// A tensor in block-wise absmax 4-bit form.
///
/// # Examples
///
/// ```
/// use arithsim::quant::{Blockwise4, Code4, DqCode};
///
/// let w = [0.5f32, -1.0, 0.25, 0.0];
/// let q = Blockwise4::quantize(&w, Code4::Nf4, 64)?;
/// assert_eq!(q.absmax(), [1.0]);
/// assert_eq!(q.packed(), [0xC0, 0xA7]); // codes 12, 0 | 10, 7: first value high nibble
/// assert_eq!(q.dequantize()[1], -1.0);
/// let dq = q.with_double_quant(256, DqCode::Int8)?;
/// assert_eq!(dq.storage_bits().total(), 16 + 8 + 32 + 32);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Blockwise4 {
    code: Code4,
    block: usize,
    len: usize,
    packed: Vec<u8>,
    absmax: Vec<f32>,
    dq: Option<DoubleQuantized>,
}

impl Blockwise4 {
    /// Quantizes `w` in blocks of `block` values.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] for an empty tensor; [`Error::InvalidParameter`] for `block = 0` or
    /// a weight that is not finite (naming its index).
    pub fn quantize(w: &[f32], code: Code4, block: usize) -> Result<Self> {
        check_tensor(w)?;
        if block == 0 {
            return Err(Error::param("block", 0, "must be at least 1"));
        }
        let absmax: Vec<f32> = w
            .chunks(block)
            .map(|b| b.iter().fold(0.0f32, |m, x| m.max(x.abs())))
            .collect();
        let mut packed = vec![0u8; w.len().div_ceil(2)];
        for (bi, b) in w.chunks(block).enumerate() {
            for (k, &x) in b.iter().enumerate() {
                let i = bi * block + k;
                let c = code.encode_finite(x, absmax[bi]); // finite: checked above
                packed[i / 2] |= if i % 2 == 0 { c << 4 } else { c };
            }
        }
        Ok(Blockwise4 {
            code,
            block,
            len: w.len(),
            packed,
            absmax,
            dq: None,
        })
    }

    /// The same codes with the absmax constants double-quantized in blocks of `block2`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for `block2 = 0`.
    pub fn with_double_quant(mut self, block2: usize, code: DqCode) -> Result<Self> {
        self.dq = Some(DoubleQuantized::quantize(&self.absmax, block2, code)?);
        Ok(self)
    }

    /// Values stored.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Always false: an empty tensor is rejected.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The packed codes, two per byte, first value in the high nibble.
    #[must_use]
    pub fn packed(&self) -> &[u8] {
        &self.packed
    }

    /// The 4-bit code of value `i` (`None` past the end).
    #[must_use]
    pub fn code_at(&self, i: usize) -> Option<u8> {
        (i < self.len).then(|| {
            let b = self.packed[i / 2];
            if i % 2 == 0 { b >> 4 } else { b & 15 }
        })
    }

    /// The FP32 absmax of each block (before any double quantization).
    #[must_use]
    pub fn absmax(&self) -> &[f32] {
        &self.absmax
    }

    /// The double-quantized constants, if any.
    #[must_use]
    pub fn double_quant(&self) -> Option<&DoubleQuantized> {
        self.dq.as_ref()
    }

    /// The absmax each block is dequantized with: the FP32 constants, or their
    /// reconstruction from the double quantization.
    #[must_use]
    pub fn effective_absmax(&self) -> Vec<f32> {
        self.dq
            .as_ref()
            .map_or_else(|| self.absmax.clone(), DoubleQuantized::dequantize)
    }

    /// The dequantized tensor ([`Code4::decode`] of every code with its block's absmax).
    #[must_use]
    pub fn dequantize(&self) -> Vec<f64> {
        let a = self.effective_absmax();
        (0..self.len)
            .map(|i| {
                let c = self.code_at(i).unwrap_or(0);
                self.code.decode_4bit(c, a[i / self.block])
            })
            .collect()
    }

    /// Bits this tensor occupies (see the module docs).
    #[must_use]
    pub fn storage_bits(&self) -> StorageBits {
        let mut s = StorageBits {
            codes: 8 * self.packed.len() as u64,
            ..StorageBits::default()
        };
        match &self.dq {
            None => s.scales = 32 * self.absmax.len() as u64,
            Some(dq) => {
                s.scales = 8 * dq.codes().len() as u64;
                s.second_level = 32 * dq.scales().len() as u64 + 32;
            }
        }
        s
    }
}

/// Rejects an empty tensor or a non-finite weight.
pub(crate) fn check_tensor(w: &[f32]) -> Result<()> {
    if w.is_empty() {
        return Err(Error::Shape("cannot quantize an empty tensor".into()));
    }
    if let Some((i, x)) = w.iter().enumerate().find(|(_, x)| !x.is_finite()) {
        return Err(Error::param(
            "weight",
            x,
            format!("element {i} must be finite"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quant::{NF4_LEVELS, normal_tensor};

    #[test]
    fn round_trip_of_levels_is_exact_and_nibbles_are_high_first() {
        // Two blocks of 16: each holds every level times its absmax (0.5 and 3).
        let mut w = Vec::new();
        for a in [0.5f32, 3.0] {
            w.extend(NF4_LEVELS.iter().rev().map(|&l| l * a));
        }
        let q = Blockwise4::quantize(&w, Code4::Nf4, 16).unwrap();
        assert_eq!(q.absmax(), [0.5, 3.0]);
        for i in 0..32 {
            assert_eq!(q.code_at(i), Some(15 - (i % 16) as u8));
        }
        assert_eq!(q.packed()[0], 0xFE);
        // Dequantized: the level times the absmax, exactly (the f32 inputs were rounded;
        // with absmax 0.5 they were not).
        let exact: Vec<f64> = [0.5f64, 3.0]
            .iter()
            .flat_map(|&a| NF4_LEVELS.iter().rev().map(move |&l| f64::from(l) * a))
            .collect();
        let d = q.dequantize();
        assert_eq!(d, exact);
        assert!(d[..16].iter().zip(&w).all(|(&a, &b)| a == f64::from(b)));
        assert_eq!(q.code_at(32), None);
    }

    #[test]
    fn partial_last_block_and_odd_length() {
        let w = [1.0f32, -2.0, 0.5, 4.0, -0.25];
        let q = Blockwise4::quantize(&w, Code4::Fp4E2M1, 2).unwrap();
        assert_eq!(q.absmax(), [2.0, 4.0, 0.25]);
        assert_eq!(q.packed().len(), 3);
        assert_eq!(q.packed()[2] & 15, 0); // padding nibble
        // 1/2·6 = 3 exact; −2 → −6; 0.5/4·6 = 0.75 → tie between 0.5 and 1, even → 1 (0b010);
        // 4 → 6; −0.25 → −6.
        let d = q.dequantize();
        assert_eq!(d, [1.0, -2.0, 4.0 / 6.0, 4.0, -0.25]);
        assert_eq!(
            q.storage_bits(),
            StorageBits {
                codes: 24,
                scales: 96,
                ..StorageBits::default()
            }
        );
    }

    /// The error of every value is at most half the gap between the two levels around it
    /// (an f64 reference of the nearest-level rule).
    #[test]
    fn nf4_error_is_within_half_a_level_gap() {
        let w = normal_tensor(4096, 1.0, 3).unwrap();
        let q = Blockwise4::quantize(&w, Code4::Nf4, 64).unwrap();
        let d = q.dequantize();
        for (i, (&x, &y)) in w.iter().zip(&d).enumerate() {
            let a = f64::from(q.absmax()[i / 64]);
            let n = f64::from(x) / a;
            let k = NF4_LEVELS
                .partition_point(|&l| f64::from(l) <= n)
                .clamp(1, 15);
            let gap = f64::from(NF4_LEVELS[k] - NF4_LEVELS[k - 1]) * a;
            assert!((y - f64::from(x)).abs() <= gap / 2.0 * (1.0 + 1e-12), "{i}");
        }
        // The absmax of every block is exact (level ±1).
        for (b, &a) in q.absmax().iter().enumerate() {
            assert!(
                d[b * 64..(b + 1) * 64]
                    .iter()
                    .any(|&v| v.abs() == f64::from(a))
            );
        }
    }

    /// QLoRA's bit accounting: 4 + 8/64 + 32/(64·256) per weight plus the 32-bit offset.
    #[test]
    fn double_quant_bits_are_qlora_s() {
        let n = 64 * 256 * 4;
        let w = normal_tensor(n, 0.02, 5).unwrap();
        let q = Blockwise4::quantize(&w, Code4::Nf4, 64).unwrap();
        assert_eq!(
            q.storage_bits().total(),
            4 * n as u64 + 32 * (n as u64 / 64)
        );
        assert_eq!(q.storage_bits().per_weight(n as u64), 4.5);
        let dq = q.with_double_quant(256, DqCode::Int8).unwrap();
        let bits = dq.storage_bits();
        assert_eq!(
            bits.total(),
            4 * n as u64 + 8 * (n as u64 / 64) + 32 * 4 + 32
        );
        let per = bits.per_weight(n as u64);
        assert_eq!(
            per,
            4.0 + 8.0 / 64.0 + 32.0 / (64.0 * 256.0) + 32.0 / n as f64
        );
        // The dequantized weights use the reconstructed absmax.
        let a = dq.effective_absmax();
        assert_ne!(a, dq.absmax());
        assert_eq!(
            dq.dequantize()[0],
            Code4::Nf4.decode(dq.code_at(0).unwrap(), a[0]).unwrap()
        );
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(matches!(
            Blockwise4::quantize(&[], Code4::Nf4, 64),
            Err(Error::Shape(_))
        ));
        let e = Blockwise4::quantize(&[1.0], Code4::Nf4, 0).unwrap_err();
        assert!(e.to_string().contains("block"), "{e}");
        let e = Blockwise4::quantize(&[1.0, f32::INFINITY], Code4::Nf4, 64).unwrap_err();
        assert!(e.to_string().contains("element 1"), "{e}");
    }
}
