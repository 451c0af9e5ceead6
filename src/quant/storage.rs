//! Weight storage formats side by side: the bits a weight matrix takes in each, exactly,
//! and its quantize–dequantize round trip for error comparisons.

use std::fmt;

use super::blockwise::{Blockwise4, check_tensor};
use super::double_quant::DqCode;
use super::int4_group::Int4Grouped;
use super::mx::{MX_BLOCK_SIZE, MxElement, mx_dequantize, mx_quantize};
use super::nf4::Code4;
use super::{IntType, PerChannelParams, Symmetry};
use crate::datapath::{ErrorStats, OutputGrid};
use crate::float::{FloatEnv, FloatFormat};
use crate::round::RoundingMode;
use crate::{Error, Result};

/// Largest matrix [`WeightFormat::matrix_bits`] counts (2^56 elements), so every bit
/// count fits in `u64` (at most 32 bits per element plus scales).
const MAX_ELEMS: u64 = crate::limits::WEIGHT_STORAGE_MAX_ELEMENTS;

/// Bits of a stored tensor by what they hold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StorageBits {
    /// The packed element codes (with any padding to whole bytes or words).
    pub codes: u64,
    /// First-level scales (FP16 group scales, FP32 or 8-bit double-quantized absmax, E8M0
    /// MX scales, per-channel scales).
    pub scales: u64,
    /// Zero points.
    pub zeros: u64,
    /// Second-level constants of double quantization (FP32 block scales and the offset).
    pub second_level: u64,
}

impl StorageBits {
    /// All bits.
    #[must_use]
    pub const fn total(&self) -> u64 {
        self.codes + self.scales + self.zeros + self.second_level
    }

    /// Bits per weight for `n` weights (0 for `n = 0`).
    #[must_use]
    pub fn per_weight(&self, n: u64) -> f64 {
        if n == 0 {
            0.0
        } else {
            self.total() as f64 / n as f64
        }
    }

    /// Whole bytes (rounded up).
    #[must_use]
    pub const fn bytes(&self) -> u64 {
        self.total().div_ceil(8)
    }
}

/// A way to store a weight matrix `W[rows × cols]` (rows = output channels).
///
/// **Named formats are the constants; the variants are the structure.** Write
/// [`WeightFormat::FP16`], [`WeightFormat::NF4`], [`WeightFormat::MXFP4`] (every named preset
/// is an associated constant, and `Display`/`FromStr` round-trip each); the variants are for
/// matching and for formats the presets do not name (`Int4Group { group: 64, .. }`).
///
/// # Examples
///
/// ```
/// use arithsim::quant::WeightFormat;
/// assert_eq!(WeightFormat::NF4.to_string(), "NF4");
/// assert_eq!("bf16".parse::<WeightFormat>()?, WeightFormat::BF16);
/// assert_eq!(WeightFormat::INT4_G128.bits_per_weight(4096, 4096)?, 4.0 + 20.0 / 128.0);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WeightFormat {
    /// IEEE binary32.
    Fp32,
    /// IEEE binary16.
    Fp16,
    /// bfloat16.
    Bf16,
    /// Symmetric narrow INT8 (`[−127, 127]`) with one FP32 scale per output channel (row).
    Int8PerChannel,
    /// INT4 groups of input channels with FP16 scales (and 4-bit zeros when asymmetric):
    /// [`Int4Grouped`].
    Int4Group {
        /// Input channels per group (GPTQ/AWQ default 128).
        group: usize,
        /// Symmetric (implicit zero 8) or asymmetric.
        symmetric: bool,
    },
    /// Block-wise absmax 4-bit, FP32 absmax per block: [`Blockwise4`].
    Block4 {
        /// NF4 or FP4 E2M1.
        code: Code4,
        /// Values per block (QLoRA: 64).
        block: usize,
    },
    /// Block-wise absmax 4-bit with double-quantized absmax (QLoRA: 64 and 256, INT8 code).
    Block4Dq {
        /// NF4 or FP4 E2M1.
        code: Code4,
        /// Values per first-level block.
        block: usize,
        /// Absmax constants per second-level block.
        block2: usize,
        /// The 8-bit code of the constants.
        dq_code: DqCode,
    },
    /// OCP MXFP4: E2M1 elements, one E8M0 scale per 32 consecutive values.
    Mxfp4,
}

impl WeightFormat {
    /// IEEE binary32 weights.
    pub const FP32: WeightFormat = WeightFormat::Fp32;
    /// IEEE binary16 weights.
    pub const FP16: WeightFormat = WeightFormat::Fp16;
    /// bfloat16 weights.
    pub const BF16: WeightFormat = WeightFormat::Bf16;
    /// Symmetric narrow INT8 with one FP32 scale per output channel.
    pub const INT8_PER_CHANNEL: WeightFormat = WeightFormat::Int8PerChannel;
    /// OCP MXFP4: E2M1 elements, one E8M0 scale per 32 values.
    pub const MXFP4: WeightFormat = WeightFormat::Mxfp4;
    /// GPTQ/AWQ's INT4: asymmetric, group 128.
    pub const INT4_G128: WeightFormat = WeightFormat::Int4Group {
        group: 128,
        symmetric: false,
    };
    /// QLoRA's NF4: blocks of 64, FP32 absmax.
    pub const NF4: WeightFormat = WeightFormat::Block4 {
        code: Code4::Nf4,
        block: 64,
    };
    /// QLoRA's NF4 with double quantization: blocks of 64 and 256 (INT8 code of the
    /// centred absmax, see [`DoubleQuantized`](super::DoubleQuantized)).
    pub const NF4_DQ: WeightFormat = WeightFormat::Block4Dq {
        code: Code4::Nf4,
        block: 64,
        block2: 256,
        dq_code: DqCode::Int8,
    };
    /// FP4 E2M1 with NF4's blocking (64, FP32 absmax).
    pub const FP4_B64: WeightFormat = WeightFormat::Block4 {
        code: Code4::Fp4E2M1,
        block: 64,
    };

    /// The formats the compression report compares, widest first.
    pub const ALL: [WeightFormat; 9] = [
        WeightFormat::FP32,
        WeightFormat::FP16,
        WeightFormat::BF16,
        WeightFormat::INT8_PER_CHANNEL,
        WeightFormat::INT4_G128,
        WeightFormat::NF4,
        WeightFormat::NF4_DQ,
        WeightFormat::FP4_B64,
        WeightFormat::MXFP4,
    ];

    /// Bits a `rows × cols` matrix takes, exactly (the same count the quantized objects
    /// report).
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] for an empty matrix or one above 2^56 elements;
    /// [`Error::InvalidParameter`] for a zero block or group, or a group that does not
    /// divide `cols`.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::quant::WeightFormat;
    ///
    /// let b = WeightFormat::NF4_DQ.matrix_bits(4096, 4096)?;
    /// // 4 + 8/64 + 32/(64·256) bits per weight, plus one 32-bit offset.
    /// assert_eq!(b.total(), 4096 * 4096 * 4 + 4096 * 4096 / 64 * 8 + 4096 * 4096 / 64 / 256 * 32 + 32);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn matrix_bits(self, rows: usize, cols: usize) -> Result<StorageBits> {
        let n = (rows as u64)
            .checked_mul(cols as u64)
            .filter(|&n| n > 0 && n <= MAX_ELEMS)
            .ok_or_else(|| {
                Error::Shape(format!(
                    "a {rows} × {cols} weight matrix: need 1 to 2^56 elements"
                ))
            })?;
        let (r, c) = (rows as u64, cols as u64);
        let plain = |bits: u64| StorageBits {
            codes: bits * n,
            ..StorageBits::default()
        };
        let positive = |name: &'static str, v: usize| {
            if v == 0 {
                Err(Error::param(name, 0, "must be at least 1"))
            } else {
                Ok(v as u64)
            }
        };
        Ok(match self {
            WeightFormat::Fp32 => plain(32),
            WeightFormat::Fp16 | WeightFormat::Bf16 => plain(16),
            WeightFormat::Int8PerChannel => StorageBits {
                codes: 8 * n,
                scales: 32 * r,
                ..StorageBits::default()
            },
            WeightFormat::Int4Group { group, symmetric } => {
                let g = positive("group", group)?;
                if c % g != 0 {
                    return Err(Error::param(
                        "group",
                        group,
                        format!("must divide the input channels {cols}"),
                    ));
                }
                let groups = r * (c / g);
                StorageBits {
                    codes: 32 * r * c.div_ceil(8),
                    scales: 16 * groups,
                    zeros: if symmetric { 0 } else { 4 * groups },
                    second_level: 0,
                }
            }
            WeightFormat::Block4 { block, .. } => StorageBits {
                codes: 8 * n.div_ceil(2),
                scales: 32 * n.div_ceil(positive("block", block)?),
                ..StorageBits::default()
            },
            WeightFormat::Block4Dq { block, block2, .. } => {
                let blocks = n.div_ceil(positive("block", block)?);
                StorageBits {
                    codes: 8 * n.div_ceil(2),
                    scales: 8 * blocks,
                    zeros: 0,
                    second_level: 32 * blocks.div_ceil(positive("block2", block2)?) + 32,
                }
            }
            WeightFormat::Mxfp4 => StorageBits {
                codes: 4 * n,
                scales: 8 * n.div_ceil(MX_BLOCK_SIZE as u64),
                ..StorageBits::default()
            },
        })
    }

    /// Bits per weight of a `rows × cols` matrix, overhead included.
    ///
    /// # Errors
    ///
    /// As [`matrix_bits`](Self::matrix_bits).
    pub fn bits_per_weight(self, rows: usize, cols: usize) -> Result<f64> {
        Ok(self
            .matrix_bits(rows, cols)?
            .per_weight(rows as u64 * cols as u64))
    }

    /// Quantizes the row-major `rows × cols` matrix `w` and dequantizes it again.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] for an empty matrix or `w.len() ≠ rows·cols`;
    /// [`Error::InvalidParameter`] for a weight that is not finite and as
    /// [`matrix_bits`](Self::matrix_bits).
    pub fn round_trip(self, w: &[f32], rows: usize, cols: usize) -> Result<Vec<f64>> {
        check_tensor(w)?;
        if rows.checked_mul(cols) != Some(w.len()) {
            return Err(Error::Shape(format!(
                "{} weights do not form a {rows} × {cols} matrix",
                w.len()
            )));
        }
        let env = FloatEnv::new(RoundingMode::NearestEven);
        let via = |f: FloatFormat| -> Vec<f64> {
            w.iter()
                .map(|&x| f.bits_to_f64(f.from_f32(x, &env).value))
                .collect()
        };
        match self {
            WeightFormat::Fp32 => Ok(w.iter().map(|&x| f64::from(x)).collect()),
            WeightFormat::Fp16 => Ok(via(FloatFormat::FP16)),
            WeightFormat::Bf16 => Ok(via(FloatFormat::BF16)),
            WeightFormat::Int8PerChannel => {
                let p =
                    PerChannelParams::from_data(w, rows, IntType::Int8Narrow, Symmetry::Symmetric)?;
                p.dequantize(&p.quantize(w, RoundingMode::NearestEven)?)
            }
            WeightFormat::Int4Group { group, symmetric } => {
                Ok(Int4Grouped::quantize(w, rows, cols, group, symmetric)?.dequantize())
            }
            WeightFormat::Block4 { code, block } => {
                Ok(Blockwise4::quantize(w, code, block)?.dequantize())
            }
            WeightFormat::Block4Dq {
                code,
                block,
                block2,
                dq_code,
            } => Ok(Blockwise4::quantize(w, code, block)?
                .with_double_quant(block2, dq_code)?
                .dequantize()),
            WeightFormat::Mxfp4 => Ok(mx_dequantize(&mx_quantize(w, MxElement::Fp4E2M1)?)),
        }
    }

    /// Error of [`round_trip`](Self::round_trip) against the f32 weights (in f64): max
    /// abs, RMS, SQNR, … ([`ErrorStats`], uniform grid of step 1 so `max_ulp = max_abs`).
    ///
    /// # Errors
    ///
    /// As [`round_trip`](Self::round_trip).
    pub fn error(self, w: &[f32], rows: usize, cols: usize) -> Result<ErrorStats> {
        let back = self.round_trip(w, rows, cols)?;
        let reference: Vec<f64> = w.iter().map(|&x| f64::from(x)).collect();
        ErrorStats::compare(&back, &reference, OutputGrid::Uniform { step: 1.0 })
    }
}

impl fmt::Display for WeightFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            WeightFormat::Fp32 => f.write_str("FP32"),
            WeightFormat::Fp16 => f.write_str("FP16"),
            WeightFormat::Bf16 => f.write_str("BF16"),
            WeightFormat::Int8PerChannel => f.write_str("INT8 per-channel"),
            WeightFormat::Int4Group { group, symmetric } => {
                write!(f, "INT4 g{group}{}", if symmetric { " sym" } else { "" })
            }
            WeightFormat::Block4 {
                code: Code4::Nf4,
                block: 64,
            } => f.write_str("NF4"),
            WeightFormat::Block4 { code, block } => write!(f, "{} b{block}", code.name()),
            WeightFormat::Block4Dq {
                code: Code4::Nf4,
                block: 64,
                block2: 256,
                dq_code: DqCode::Int8,
            } => f.write_str("NF4+DQ"),
            WeightFormat::Block4Dq {
                code,
                block,
                block2,
                dq_code,
            } => write!(f, "{}+DQ b{block}/{block2} {dq_code:?}", code.name()),
            WeightFormat::Mxfp4 => f.write_str("MXFP4"),
        }
    }
}

impl std::str::FromStr for WeightFormat {
    type Err = Error;

    /// Parses what [`Display`](fmt::Display) prints, case-insensitively with spaces, `-` and
    /// `_` ignored: `FP32`, `FP16`, `BF16`, `INT8 per-channel` (or `INT8`), `INT4 g<group>`
    /// with an optional ` sym`, `NF4`, `NF4+DQ`, `MXFP4`, `<code> b<block>` and
    /// `<code>+DQ b<block>/<block2> <Int8|Fp8E4M3>` with `<code>` one of `NF4`, `FP4 E2M1`.
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] naming the input and listing the forms.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::quant::WeightFormat;
    /// assert_eq!("nf4".parse::<WeightFormat>()?, WeightFormat::NF4);
    /// assert_eq!("INT4 g128".parse::<WeightFormat>()?, WeightFormat::INT4_G128);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<WeightFormat> {
        let bad = || {
            crate::names::unknown(
                "weight format",
                s,
                &[
                    "FP32",
                    "FP16",
                    "BF16",
                    "INT8 per-channel",
                    "INT4 g<group>[ sym]",
                    "NF4",
                    "NF4+DQ",
                    "MXFP4",
                    "<NF4|FP4 E2M1> b<block>",
                    "<NF4|FP4 E2M1>+DQ b<block>/<block2> <Int8|Fp8E4M3>",
                ],
            )
        };
        let key = crate::names::normalize(s);
        let number = |t: &str| t.parse::<usize>().map_err(|_| bad());
        match key.as_str() {
            "fp32" => return Ok(WeightFormat::FP32),
            "fp16" => return Ok(WeightFormat::FP16),
            "bf16" => return Ok(WeightFormat::BF16),
            "int8perchannel" | "int8" => return Ok(WeightFormat::INT8_PER_CHANNEL),
            "nf4" => return Ok(WeightFormat::NF4),
            "nf4+dq" => return Ok(WeightFormat::NF4_DQ),
            "mxfp4" => return Ok(WeightFormat::MXFP4),
            _ => {}
        }
        if let Some(rest) = key.strip_prefix("int4g") {
            let (group, symmetric) = match rest.strip_suffix("sym") {
                Some(g) => (g, true),
                None => (rest, false),
            };
            return Ok(WeightFormat::Int4Group {
                group: number(group)?,
                symmetric,
            });
        }
        let (code, rest) = if let Some(r) = key.strip_prefix("nf4") {
            (Code4::Nf4, r)
        } else if let Some(r) = key.strip_prefix("fp4e2m1") {
            (Code4::Fp4E2M1, r)
        } else {
            return Err(bad());
        };
        if let Some(r) = rest.strip_prefix("+dqb") {
            let (block, r) = r.split_once('/').ok_or_else(bad)?;
            let digits = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
            let dq_code = match &r[digits..] {
                "int8" => DqCode::Int8,
                "fp8e4m3" => DqCode::Fp8E4M3,
                _ => return Err(bad()),
            };
            return Ok(WeightFormat::Block4Dq {
                code,
                block: number(block)?,
                block2: number(&r[..digits])?,
                dq_code,
            });
        }
        let block = rest.strip_prefix('b').ok_or_else(bad)?;
        Ok(WeightFormat::Block4 {
            code,
            block: number(block)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quant::{normal_tensor, student_t_tensor};

    /// The formula agrees with the bits the quantized objects count, for sizes that leave
    /// partial blocks.
    #[test]
    fn formula_matches_objects() {
        for (rows, cols) in [(3usize, 40usize), (5, 128), (1, 1), (7, 99)] {
            let w = normal_tensor(rows * cols, 1.0, 9).unwrap();
            for (block, block2) in [(64, 256), (7, 3), (1, 1), (1000, 2)] {
                let b = Blockwise4::quantize(&w, Code4::Nf4, block).unwrap();
                let f = WeightFormat::Block4 {
                    code: Code4::Nf4,
                    block,
                };
                assert_eq!(f.matrix_bits(rows, cols).unwrap(), b.storage_bits());
                let b = b.with_double_quant(block2, DqCode::Int8).unwrap();
                let f = WeightFormat::Block4Dq {
                    code: Code4::Nf4,
                    block,
                    block2,
                    dq_code: DqCode::Int8,
                };
                assert_eq!(f.matrix_bits(rows, cols).unwrap(), b.storage_bits());
            }
            if cols % 8 == 0 {
                let q = Int4Grouped::quantize(&w, rows, cols, 8, false).unwrap();
                let f = WeightFormat::Int4Group {
                    group: 8,
                    symmetric: false,
                };
                assert_eq!(f.matrix_bits(rows, cols).unwrap(), q.storage_bits());
            }
        }
    }

    #[test]
    fn bits_per_weight_of_the_named_formats() {
        let b = |f: WeightFormat| f.bits_per_weight(4096, 4096).unwrap();
        assert_eq!(b(WeightFormat::FP16), 16.0);
        assert_eq!(b(WeightFormat::INT8_PER_CHANNEL), 8.0 + 32.0 / 4096.0);
        assert_eq!(b(WeightFormat::INT4_G128), 4.15625);
        assert_eq!(b(WeightFormat::NF4), 4.5);
        let dq = 4.0 + 8.0 / 64.0 + 32.0 / (64.0 * 256.0) + 32.0 / (4096.0 * 4096.0);
        assert_eq!(b(WeightFormat::NF4_DQ), dq);
        assert_eq!(b(WeightFormat::MXFP4), 4.25);
        assert_eq!(WeightFormat::NF4_DQ.to_string(), "NF4+DQ");
        assert_eq!(WeightFormat::INT4_G128.to_string(), "INT4 g128");
    }

    /// On normal weights NF4 beats FP4 with the same blocking; all 4-bit formats are far
    /// behind INT8; double quantization costs little; FP16 is near lossless.
    #[test]
    fn error_ordering_on_normal_and_heavy_tailed_weights() {
        let (rows, cols) = (64, 256);
        for w in [
            normal_tensor(rows * cols, 0.02, 1).unwrap(),
            student_t_tensor(rows * cols, 4, 0.02, 1).unwrap(),
        ] {
            let e = |f: WeightFormat| f.error(&w, rows, cols).unwrap();
            let (int8, nf4, nf4dq, fp4, fp16) = (
                e(WeightFormat::INT8_PER_CHANNEL),
                e(WeightFormat::NF4),
                e(WeightFormat::NF4_DQ),
                e(WeightFormat::FP4_B64),
                e(WeightFormat::FP16),
            );
            assert!(fp16.sqnr_db > int8.sqnr_db + 20.0);
            assert!(int8.sqnr_db > nf4.sqnr_db + 15.0);
            assert!(nf4.sqnr_db > fp4.sqnr_db, "{} {}", nf4.sqnr_db, fp4.sqnr_db);
            assert!((nf4.sqnr_db - nf4dq.sqnr_db).abs() < 0.5);
            assert_eq!(e(WeightFormat::FP32).max_abs, 0.0);
        }
    }

    /// FP16 and BF16 round trips against the `half` crate, INT4 and NF4 against their own
    /// objects: `round_trip` adds nothing of its own.
    #[test]
    fn round_trips_match_independent_references() {
        let w = student_t_tensor(64 * 128, 3, 1.0, 4).unwrap();
        let fp16 = WeightFormat::FP16.round_trip(&w, 64, 128).unwrap();
        let bf16 = WeightFormat::BF16.round_trip(&w, 64, 128).unwrap();
        for (i, &x) in w.iter().enumerate() {
            assert_eq!(fp16[i], half::f16::from_f32(x).to_f64(), "{x}");
            assert_eq!(bf16[i], half::bf16::from_f32(x).to_f64(), "{x}");
        }
        let stats = WeightFormat::BF16.error(&w, 64, 128).unwrap();
        let max = w
            .iter()
            .zip(&bf16)
            .map(|(&x, &y)| (f64::from(x) - y).abs())
            .fold(0.0, f64::max);
        assert_eq!(stats.max_abs, max);
    }

    #[test]
    fn bad_shapes_are_errors() {
        assert!(matches!(
            WeightFormat::NF4.matrix_bits(0, 5),
            Err(Error::Shape(_))
        ));
        assert!(
            WeightFormat::INT4_G128
                .matrix_bits(4, 100)
                .unwrap_err()
                .to_string()
                .contains("group")
        );
        let f = WeightFormat::Block4 {
            code: Code4::Nf4,
            block: 0,
        };
        assert!(
            f.matrix_bits(4, 4)
                .unwrap_err()
                .to_string()
                .contains("block")
        );
        assert!(matches!(
            WeightFormat::NF4.round_trip(&[1.0; 5], 2, 2),
            Err(Error::Shape(_))
        ));
    }
}

// Written as the printed name, read back through `FromStr`.
#[cfg(feature = "serde")]
crate::names::serde_via_str!(WeightFormat);
