//! The number formats a network runs in: an arithmetic for the MACs and activations, and an
//! optional weight-only compression applied to the f32 weights first.

use std::fmt;

use crate::datapath::FloatArith;
use crate::float::FloatFormat;
use crate::quant::MxElement;
use crate::{Error, Result};

/// How activation ranges are found for integer-only inference.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Calibration {
    /// The minimum and maximum seen on the calibration images.
    MinMax,
    /// The `p`-th and `(100 − p)`-th percentiles of the values seen (e.g. 99.99), so rare
    /// outliers are clipped and the rest get a finer step.
    Percentile(f64),
}

impl fmt::Display for Calibration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Calibration::MinMax => f.write_str("min/max"),
            Calibration::Percentile(p) => write!(f, "{p} percentile"),
        }
    }
}

/// Integer-only inference as TensorFlow Lite's int8 kernels compute it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Int8Config {
    /// One weight scale per output channel (TFLite's default) or one per tensor.
    pub per_channel: bool,
    /// Weight bits: 8 is INT8 (`[−127, 127]`); 2..=7 keep the int8 datapath but use only
    /// `[−(2^(b−1) − 1), 2^(b−1) − 1]` (symmetric, scale = max |w| / (2^(b−1) − 1)).
    pub weight_bits: u32,
    /// How activation ranges are calibrated.
    pub calibration: Calibration,
}

impl Int8Config {
    /// TFLite's default: per-channel INT8 weights, min/max calibration.
    pub const TFLITE: Int8Config = Int8Config {
        per_channel: true,
        weight_bits: 8,
        calibration: Calibration::MinMax,
    };
}

/// What the MACs and the activations use.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Arithmetic {
    /// Activations and weights rounded to `arith.mul` (nearest even), MACs in
    /// [`FloatDatapath`](crate::datapath::FloatDatapath) with `arith`, each layer's output in
    /// `arith.acc`, converted to `arith.mul` before the next layer's MACs.
    Float(FloatArith),
    /// OCP MX: weights (per output channel) and activations (per output pixel) in blocks of
    /// 32 along the reduction, each block an E8M0 scale and `element` values; the scaled
    /// elements multiplied exactly and accumulated in FP32.
    Mx(MxElement),
    /// Integer-only int8 inference.
    Int8(Int8Config),
}

/// A weight-only transformation of the f32 weights, applied before the arithmetic's own
/// rounding (so its error adds to the format's).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum WeightCompression {
    /// Weights as trained.
    None,
    /// INT4 groups (GPTQ/AWQ, asymmetric, FP16 scales) of `min(128, K)` input channels, or
    /// the largest divisor of `K` below that when it does not divide `K`.
    Int4Group,
    /// NF4 in blocks of 64 with FP32 absmax (QLoRA).
    Nf4,
    /// 2:4 structured sparsity (two largest magnitudes of every four input channels kept).
    TwoFour,
    /// Unstructured magnitude pruning of each layer to `density` (kept fraction).
    Unstructured(f64),
}

/// A number format of the report: a name, the arithmetic and the weight compression.
#[derive(Clone, Debug, PartialEq)]
pub struct Format {
    /// Its name in the report ("INT8 per-channel, min/max").
    pub name: String,
    /// MACs and activations.
    pub arithmetic: Arithmetic,
    /// Weight-only compression applied first.
    pub weights: WeightCompression,
}

impl Format {
    /// A named format.
    #[must_use]
    pub fn new(
        name: impl Into<String>,
        arithmetic: Arithmetic,
        weights: WeightCompression,
    ) -> Self {
        Format {
            name: name.into(),
            arithmetic,
            weights,
        }
    }

    /// FP32 MACs (fused multiply-add per step), FP32 activations: the reference format.
    #[must_use]
    pub fn fp32() -> Format {
        Format::new(
            "FP32",
            Arithmetic::Float(FloatArith::FP32_FP32),
            WeightCompression::None,
        )
    }

    /// Every format of the network report, FP32 first.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] if a float configuration does not validate (it does).
    ///
    /// # Examples
    ///
    /// ```
    /// let all = arithsim::nn::Format::report_set()?;
    /// assert_eq!(all[0].name, "FP32");
    /// assert!(all.iter().any(|f| f.name.starts_with("INT8")));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn report_set() -> Result<Vec<Format>> {
        use crate::datapath::ProductRounding::ExactProduct;
        use crate::round::RoundingMode::NearestEven;
        let float = |name: &str, a: FloatArith| {
            Format::new(name, Arithmetic::Float(a), WeightCompression::None)
        };
        let same = |f: FloatFormat| FloatArith::new(f, f, ExactProduct, NearestEven);
        let int8 = |name: &str, per_channel: bool, calibration: Calibration, weights| {
            Format::new(
                name,
                Arithmetic::Int8(Int8Config {
                    per_channel,
                    weight_bits: 8,
                    calibration,
                }),
                weights,
            )
        };
        let w4 = |name: &str, a: Arithmetic, w| Format::new(name, a, w);
        Ok(vec![
            Format::fp32(),
            float("FP16 (FP32 acc)", FloatArith::FP16_FP32),
            float("FP16 (FP16 acc)", same(FloatFormat::FP16)?),
            float("BF16 (FP32 acc)", FloatArith::BF16_FP32),
            float("BF16 (BF16 acc)", same(FloatFormat::BF16)?),
            float("FP8 E4M3 (FP32 acc)", FloatArith::FP8_E4M3_FP32),
            float("FP8 E4M3 (FP16 acc)", FloatArith::FP8_E4M3_FP16),
            float("FP8 E5M2 (FP32 acc)", FloatArith::FP8_E5M2_FP32),
            float("FP8 E5M2 (FP16 acc)", FloatArith::FP8_E5M2_FP16),
            int8(
                "INT8 per-channel, min/max",
                true,
                Calibration::MinMax,
                WeightCompression::None,
            ),
            int8(
                "INT8 per-tensor, min/max",
                false,
                Calibration::MinMax,
                WeightCompression::None,
            ),
            int8(
                "INT8 per-channel, 99.99 pct",
                true,
                Calibration::Percentile(99.99),
                WeightCompression::None,
            ),
            w4(
                "INT4 g128 W, INT8 A",
                Arithmetic::Int8(Int8Config::TFLITE),
                WeightCompression::Int4Group,
            ),
            w4(
                "INT4 g128 W, FP16 A",
                Arithmetic::Float(FloatArith::FP16_FP32),
                WeightCompression::Int4Group,
            ),
            w4(
                "NF4 W, INT8 A",
                Arithmetic::Int8(Int8Config::TFLITE),
                WeightCompression::Nf4,
            ),
            w4(
                "NF4 W, FP16 A",
                Arithmetic::Float(FloatArith::FP16_FP32),
                WeightCompression::Nf4,
            ),
            w4(
                "MXFP8 E4M3",
                Arithmetic::Mx(MxElement::Fp8E4M3),
                WeightCompression::None,
            ),
            w4(
                "MXFP4 E2M1",
                Arithmetic::Mx(MxElement::Fp4E2M1),
                WeightCompression::None,
            ),
            int8(
                "INT8, 2:4 pruned",
                true,
                Calibration::MinMax,
                WeightCompression::TwoFour,
            ),
            int8(
                "INT8, 50% unstructured",
                true,
                Calibration::MinMax,
                WeightCompression::Unstructured(0.5),
            ),
        ])
    }

    /// Checks the parameters a user may set.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for weight bits outside 2..=8, a percentile outside
    /// (50, 100], or a density outside (0, 1].
    pub fn validate(&self) -> Result<()> {
        if let Arithmetic::Int8(c) = self.arithmetic {
            if !(2..=8).contains(&c.weight_bits) {
                return Err(Error::param("weight bits", c.weight_bits, "must be 2..=8"));
            }
            if let Calibration::Percentile(p) = c.calibration {
                if !(p > 50.0 && p <= 100.0) {
                    return Err(Error::param("percentile", p, "must be in (50, 100]"));
                }
            }
        }
        if let Arithmetic::Float(a) = self.arithmetic {
            a.validate()?;
        }
        if let WeightCompression::Unstructured(d) = self.weights {
            if !(d > 0.0 && d <= 1.0) {
                return Err(Error::param("density", d, "must be in (0, 1]"));
            }
        }
        Ok(())
    }
}
