//! INT4 group quantization as GPTQ (Frantar et al. 2023) and AWQ (Lin et al. 2024) store
//! it: a weight matrix `W[rows × cols]` (rows = output channels, cols = input channels),
//! each row cut into groups of `group` input channels (default 128), one FP16 scale and
//! (asymmetric) one 4-bit zero point per group.
//!
//! # Quantization (GPTQ's `Quantizer`, round to nearest, no Hessian update)
//!
//! Per group, with `lo = min(min w, 0)` and `hi = max(max w, 0)` (an all-zero group uses
//! `[−1, 1]`, as GPTQ does):
//! - asymmetric: `scale = (hi − lo) / 15`, `zero = round(−lo / scale)` in `0..=15`;
//! - symmetric: `a = max(|lo|, hi)`, `scale = 2a / 15`, `zero = 8` (implicit, not stored).
//!
//! The scale is rounded to FP16 (nearest even, through the soft float) **before** the codes
//! are chosen, so the stored scale is the one the codes were made for (GPTQ computes codes
//! with the FP32 scale and stores it as FP16). `q = clamp(round(w / scale) + zero, 0, 15)`,
//! every rounding nearest-even through [`crate::round`]; `ŵ = scale · (q − zero)`.
//!
//! # Packing
//!
//! Eight codes per `u32`, along the input channels of a row, **code `k` of a word in bits
//! `4k..4k+4`** (GPTQ's `qweight` order: the first input channel in the lowest nibble; AWQ
//! interleaves the nibbles `0 2 4 6 1 3 5 7` for its kernels, not modelled). A row whose
//! length is not a multiple of 8 pads its last word with zero nibbles. Zero points are
//! packed the same way (8 per `u32`, per row). The group must divide `cols` (GPTQ and AWQ
//! require it; here it is an error, not padding).
//!
//! Storage per matrix: `32·rows·⌈cols/8⌉` code bits, `16·rows·cols/group` scale bits and
//! (asymmetric) `4·rows·cols/group` zero bits: `4 + 20/128 = 4.156` bits per weight at
//! `group = 128` (4.125 symmetric).

use super::blockwise::check_tensor;
use super::fixed_point::round_f64_to_i64;
use super::storage::StorageBits;
use crate::float::{FloatEnv, FloatFormat};
use crate::round::RoundingMode;
use crate::{Error, Result};

/// An INT4 group-quantized matrix.
///
/// # Examples
///
/// ```
/// use arithsim::quant::Int4Grouped;
///
/// // One row, one group of 8: lo = −1, hi = 2, scale 0.2 (FP16 0.199951171875), zero 5.
/// let w = [-1.0f32, 2.0, 0.0, 0.5, 1.0, -0.5, 0.25, 1.5];
/// let q = Int4Grouped::quantize(&w, 1, 8, 8, false)?;
/// assert_eq!(q.zero(0, 0), Some(5));
/// assert_eq!(q.code(0, 0), Some(0));
/// assert_eq!(q.code(0, 1), Some(15));
/// assert_eq!(q.storage_bits().total(), 32 + 16 + 4);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Int4Grouped {
    rows: usize,
    cols: usize,
    group: usize,
    symmetric: bool,
    qweight: Vec<u32>,
    scales: Vec<u16>,
    qzeros: Vec<u32>,
}

/// A packed nibble `k` of a row stored as 32-bit words.
fn nibble(words: &[u32], row_words: usize, row: usize, k: usize) -> u8 {
    ((words[row * row_words + k / 8] >> (4 * (k % 8))) & 15) as u8
}

impl Int4Grouped {
    /// Quantizes the row-major matrix `w` (`rows × cols`) in groups of `group` input
    /// channels.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] for an empty matrix or `w.len() ≠ rows·cols`;
    /// [`Error::InvalidParameter`] for `group = 0`, a group that does not divide `cols`, a
    /// weight that is not finite, or a group whose scale `(hi − lo)/15` overflows FP16
    /// (a range above about 982,000).
    pub fn quantize(
        w: &[f32],
        rows: usize,
        cols: usize,
        group: usize,
        symmetric: bool,
    ) -> Result<Self> {
        check_tensor(w)?;
        if rows.checked_mul(cols) != Some(w.len()) {
            return Err(Error::Shape(format!(
                "{} weights do not form a {rows} × {cols} matrix",
                w.len()
            )));
        }
        if group == 0 || cols % group != 0 {
            return Err(Error::param(
                "group",
                group,
                format!("must be at least 1 and divide the input channels {cols}"),
            ));
        }
        let groups = cols / group;
        let row_words = cols.div_ceil(8);
        let zero_words = groups.div_ceil(8);
        let mut q = Int4Grouped {
            rows,
            cols,
            group,
            symmetric,
            qweight: vec![0; rows * row_words],
            scales: Vec::with_capacity(rows * groups),
            qzeros: vec![0; if symmetric { 0 } else { rows * zero_words }],
        };
        let env = FloatEnv::new(RoundingMode::NearestEven);
        for r in 0..rows {
            for g in 0..groups {
                let vals = &w[r * cols + g * group..][..group];
                let mut lo = vals.iter().fold(0.0f64, |m, &x| m.min(f64::from(x)));
                let mut hi = vals.iter().fold(0.0f64, |m, &x| m.max(f64::from(x)));
                if symmetric {
                    hi = hi.max(-lo);
                    lo = -hi;
                }
                if lo == 0.0 && hi == 0.0 {
                    (lo, hi) = (-1.0, 1.0);
                }
                let bits = FloatFormat::FP16.from_f64((hi - lo) / 15.0, &env).value;
                // A scale below FP16's range becomes its smallest subnormal (codes stay
                // exact multiples of it); above it, an error.
                let bits = bits.max(1);
                if FloatFormat::FP16.is_infinite(bits) {
                    return Err(Error::param(
                        "weight",
                        format!("range [{lo}, {hi}] of row {r} group {g}"),
                        "its scale overflows FP16",
                    ));
                }
                let scale = FloatFormat::FP16.bits_to_f64(bits);
                q.scales.push(bits as u16);
                let zero = if symmetric {
                    8
                } else {
                    round_f64_to_i64(-lo / scale, RoundingMode::NearestEven).clamp(0, 15)
                };
                if !symmetric {
                    q.qzeros[r * zero_words + g / 8] |= (zero as u32) << (4 * (g % 8));
                }
                for (j, &x) in vals.iter().enumerate() {
                    let c = (round_f64_to_i64(f64::from(x) / scale, RoundingMode::NearestEven)
                        + zero)
                        .clamp(0, 15);
                    let k = g * group + j;
                    q.qweight[r * row_words + k / 8] |= (c as u32) << (4 * (k % 8));
                }
            }
        }
        Ok(q)
    }

    /// `(rows, cols)`.
    #[must_use]
    pub fn shape(&self) -> (usize, usize) {
        (self.rows, self.cols)
    }

    /// The group size.
    #[must_use]
    pub fn group(&self) -> usize {
        self.group
    }

    /// The packed codes: `rows × ⌈cols/8⌉` words, input channel `k` of a row in bits
    /// `4(k mod 8)` of word `k / 8`.
    #[must_use]
    pub fn qweight(&self) -> &[u32] {
        &self.qweight
    }

    /// FP16 bit patterns of the scales, `rows × cols/group`, row-major.
    #[must_use]
    pub fn scales(&self) -> &[u16] {
        &self.scales
    }

    /// The code of weight `(r, c)`.
    #[must_use]
    pub fn code(&self, r: usize, c: usize) -> Option<u8> {
        (r < self.rows && c < self.cols).then(|| nibble(&self.qweight, self.cols.div_ceil(8), r, c))
    }

    /// The zero point of group `g` of row `r` (8 when symmetric).
    #[must_use]
    pub fn zero(&self, r: usize, g: usize) -> Option<u8> {
        let groups = self.cols / self.group;
        (r < self.rows && g < groups).then(|| {
            if self.symmetric {
                8
            } else {
                nibble(&self.qzeros, groups.div_ceil(8), r, g)
            }
        })
    }

    /// The scale of group `g` of row `r`.
    fn scale(&self, r: usize, g: usize) -> f64 {
        FloatFormat::FP16.bits_to_f64(u64::from(self.scales[r * (self.cols / self.group) + g]))
    }

    /// The dequantized matrix `scale · (q − zero)`, row-major (exact in f64).
    #[must_use]
    pub fn dequantize(&self) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.rows * self.cols);
        for r in 0..self.rows {
            for c in 0..self.cols {
                let g = c / self.group;
                let q = i32::from(self.code(r, c).unwrap_or(0));
                let z = i32::from(self.zero(r, g).unwrap_or(0));
                out.push(self.scale(r, g) * f64::from(q - z));
            }
        }
        out
    }

    /// Bits stored (see the module docs).
    #[must_use]
    pub fn storage_bits(&self) -> StorageBits {
        StorageBits {
            codes: 32 * self.qweight.len() as u64,
            scales: 16 * self.scales.len() as u64,
            zeros: if self.symmetric {
                0
            } else {
                4 * self.scales.len() as u64
            },
            second_level: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quant::normal_tensor;

    /// An independent f64 reference of GPTQ's round-to-nearest quantizer.
    fn reference(vals: &[f32], symmetric: bool) -> Vec<f64> {
        let mut lo = vals.iter().fold(0.0f64, |m, &x| m.min(x as f64));
        let mut hi = vals.iter().fold(0.0f64, |m, &x| m.max(x as f64));
        if symmetric {
            hi = hi.max(-lo);
            lo = -hi;
        }
        if lo == 0.0 && hi == 0.0 {
            (lo, hi) = (-1.0, 1.0);
        }
        let scale = half::f16::from_f64((hi - lo) / 15.0).to_f64();
        let zero = if symmetric {
            8.0
        } else {
            (-lo / scale).round_ties_even().clamp(0.0, 15.0)
        };
        vals.iter()
            .map(|&x| {
                let q = ((x as f64 / scale).round_ties_even() + zero).clamp(0.0, 15.0);
                scale * (q - zero)
            })
            .collect()
    }

    #[test]
    fn matches_reference_and_packs_lowest_nibble_first() {
        let (rows, cols, g) = (6, 256, 64);
        let w = normal_tensor(rows * cols, 0.02, 11).unwrap();
        for sym in [false, true] {
            let q = Int4Grouped::quantize(&w, rows, cols, g, sym).unwrap();
            let d = q.dequantize();
            for r in 0..rows {
                for gi in 0..cols / g {
                    let s = r * cols + gi * g;
                    assert_eq!(&d[s..s + g], reference(&w[s..s + g], sym), "{r} {gi} {sym}");
                }
            }
            // Nibble k of word k/8 is input channel k.
            for c in 0..cols {
                let word = q.qweight()[c / 8];
                assert_eq!(q.code(0, c), Some(((word >> (4 * (c % 8))) & 15) as u8));
            }
            let bits = q.storage_bits();
            assert_eq!(bits.codes, 4 * (rows * cols) as u64);
            assert_eq!(bits.scales, 16 * (rows * cols / g) as u64);
            assert_eq!(
                bits.zeros,
                if sym { 0 } else { 4 * (rows * cols / g) as u64 }
            );
        }
    }

    #[test]
    fn g128_is_4_156_bits_per_weight() {
        let w = normal_tensor(4 * 1024, 1.0, 2).unwrap();
        let q = Int4Grouped::quantize(&w, 4, 1024, 128, false).unwrap();
        assert_eq!(q.storage_bits().per_weight(4096), 4.0 + 20.0 / 128.0);
        let q = Int4Grouped::quantize(&w, 4, 1024, 128, true).unwrap();
        assert_eq!(q.storage_bits().per_weight(4096), 4.125);
    }

    #[test]
    fn zero_group_and_exact_grid_round_trip() {
        // An all-zero group dequantizes to zeros; values on the grid come back exactly.
        let mut w = vec![0.0f32; 8];
        w.extend((0..8).map(|k| (k as f32 - 3.0) * 0.25)); // −0.75 … 1.0, step 0.25
        let q = Int4Grouped::quantize(&w, 2, 8, 8, false).unwrap();
        let d = q.dequantize();
        assert!(d[..8].iter().all(|&v| v == 0.0));
        // hi − lo = 1.75, scale 1.75/15 is not 0.25, so check against the reference instead.
        assert_eq!(&d[8..], reference(&w[8..], false));
        // Odd row length pads the last word.
        let q = Int4Grouped::quantize(&[1.0; 3], 1, 3, 3, true).unwrap();
        assert_eq!(q.qweight().len(), 1);
        assert_eq!(q.qweight()[0] >> 12, 0);
    }

    #[test]
    fn bad_input_is_an_error() {
        let w = [0.5f32; 12];
        assert!(
            Int4Grouped::quantize(&w, 3, 4, 3, false)
                .unwrap_err()
                .to_string()
                .contains("group")
        );
        assert!(
            Int4Grouped::quantize(&w, 3, 4, 0, false)
                .unwrap_err()
                .to_string()
                .contains("group")
        );
        assert!(matches!(
            Int4Grouped::quantize(&w, 5, 4, 4, false),
            Err(Error::Shape(_))
        ));
        assert!(matches!(
            Int4Grouped::quantize(&[], 0, 0, 4, false),
            Err(Error::Shape(_))
        ));
        let e = Int4Grouped::quantize(&[1e6, 0.0], 1, 2, 2, false).unwrap_err();
        assert!(e.to_string().contains("FP16"), "{e}");
        let e = Int4Grouped::quantize(&[f32::NAN, 0.0], 1, 2, 2, false).unwrap_err();
        assert!(e.to_string().contains("element 0"), "{e}");
    }
}
