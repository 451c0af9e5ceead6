//! Quantized GEMM and conv2d as TensorFlow Lite's int8 kernels compute them, run through the
//! counted INT8 datapath.
//!
//! For each output: `acc = bias + Σ (w − z_w)·(x − z_x)` in int32, then
//! `y = clamp(MultiplyByQuantizedMultiplier(acc, M) + z_out, lo, hi)` with
//! `M = s_x · s_w / s_out` (per output channel for per-channel weights) and `[lo, hi]` the
//! output range narrowed by the fused activation.
//!
//! The datapath computes `Σ w·x` on the raw int8 values (one counted MAC each); the zero
//! points are handled as gemmlowp does, by folding `−z_x·Σ_k w + K·z_x·z_w` into the bias
//! (a per-layer constant, computed offline like TFLite's prepare step, so not counted) and
//! subtracting `z_w·Σ_k x` per output column when the weight zero point is not 0 (counted).
//! Convolution padding holds the input zero point (real 0), exactly as TFLite skipping the
//! padded taps. All arithmetic is int32 with two's complement wrap-around, as in TFLite.
//!
//! Counted per output beyond the MACs: one 32-bit multiply (the high multiply), two 32-bit
//! adds (rounding and output zero point) and one INT32 → INT8 conversion (the clamp).

use super::affine::{IntType, PerChannelParams, QuantParams};
use super::fixed_point::{QuantizedMultiplier, Requantization};
use crate::cost::{NumKind, OpKind, Tally};
use crate::datapath::{
    Bias, Conv2dShape, GemmOperands, GemmShape, IntArith, IntDatapath, LayerOperands, Overflow,
    check_conv_bias,
};
use crate::repr::Signedness;
use crate::{Error, Result};

/// An activation fused into the output clamp.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum FusedActivation {
    /// Clamp to the output type's range only.
    #[default]
    None,
    /// ReLU: clamp below at the output zero point (real 0).
    Relu,
    /// ReLU6: clamp to the integers representing real `[0, 6]`.
    Relu6,
}

/// Weight quantization: one scale for the tensor or one per output channel.
#[derive(Clone, Debug, PartialEq)]
pub enum WeightParams {
    /// One (scale, zero point) for all weights.
    PerTensor(QuantParams),
    /// One per output channel (TFLite requires zero points of 0 here; any are accepted).
    PerChannel(PerChannelParams),
}

impl WeightParams {
    fn channel(&self, c: usize) -> &QuantParams {
        match self {
            WeightParams::PerTensor(p) => p,
            WeightParams::PerChannel(pc) => pc.channel(c),
        }
    }

    fn int_type(&self) -> IntType {
        self.channel(0).int_type()
    }
}

/// Everything a quantized layer needs besides its tensors.
#[derive(Clone, Debug, PartialEq)]
pub struct QuantLayerParams {
    /// Input activation parameters.
    pub input: QuantParams,
    /// Weight parameters.
    pub weights: WeightParams,
    /// Output activation parameters.
    pub output: QuantParams,
    /// The activation fused into the clamp.
    pub activation: FusedActivation,
    /// Which `MultiplyByQuantizedMultiplier` to use.
    pub requantization: Requantization,
}

/// The result of a quantized kernel.
#[derive(Clone, Debug, PartialEq)]
pub struct QuantOutput {
    /// Quantized outputs (row-major `M × N` for GEMM, NCHW for conv2d).
    pub values: Vec<i8>,
    /// The int32 accumulators before requantization (bias and zero points included).
    pub accumulators: Vec<i32>,
    /// Every counted operation: the datapath's MACs plus the requantization.
    pub tally: Tally,
}

impl QuantLayerParams {
    /// Checks types and channel counts for a layer with `channels` output channels.
    fn check(&self, channels: usize) -> Result<()> {
        for (what, t) in [
            ("input", self.input.int_type()),
            ("weights", self.weights.int_type()),
            ("output", self.output.int_type()),
        ] {
            if !t.is_signed() {
                return Err(Error::Unsupported(format!(
                    "{what} of type {t} in a quantized int8 kernel (use a signed type: \
                     subtract 128 from uint8 values and zero points)"
                )));
            }
        }
        if let WeightParams::PerChannel(pc) = &self.weights {
            if pc.len() != channels {
                return Err(Error::Shape(format!(
                    "{} per-channel weight parameters for {channels} output channels",
                    pc.len()
                )));
            }
        }
        Ok(())
    }

    /// The output clamp `[lo, hi]` for the fused activation.
    fn clamp_range(&self) -> (i32, i32) {
        let t = self.output.int_type();
        let (qmin, qmax) = (t.qmin(), t.qmax());
        let zp = self.output.zero_point();
        match self.activation {
            FusedActivation::None => (qmin, qmax),
            FusedActivation::Relu => (qmin.max(zp), qmax),
            FusedActivation::Relu6 => {
                let six = self
                    .output
                    .quantize(6.0, crate::round::RoundingMode::NearestAway)
                    .0;
                (qmin.max(zp), qmax.min(six))
            }
        }
    }

    /// One multiplier per output channel.
    fn multipliers(&self, channels: usize) -> Result<Vec<QuantizedMultiplier>> {
        (0..channels)
            .map(|c| {
                QuantizedMultiplier::for_layer(
                    self.input.scale(),
                    self.weights.channel(c).scale(),
                    self.output.scale(),
                )
            })
            .collect()
    }

    /// The datapath for these operand types (4-bit multipliers for int4 operands).
    fn datapath(&self) -> Result<IntDatapath> {
        let bits = self
            .input
            .int_type()
            .bits()
            .max(self.weights.int_type().bits());
        IntDatapath::new(IntArith::new(
            bits,
            32,
            Signedness::Signed,
            Overflow::Wrapping,
        )?)
    }
}

/// Checks every value of a tensor against its integer type.
fn check_values(what: &str, values: &[i8], t: IntType) -> Result<()> {
    match values
        .iter()
        .enumerate()
        .find(|&(_, &v)| !(t.qmin()..=t.qmax()).contains(&(v as i32)))
    {
        None => Ok(()),
        Some((i, v)) => Err(Error::OutOfRange {
            value: v.to_string(),
            min: t.qmin().to_string(),
            max: t.qmax().to_string(),
            what: format!("{what}[{i}] of type {t}"),
        }),
    }
}

/// The zero-point correction of each output channel, `−z_x·Σ_k w + K·z_x·z_w` (wrapping
/// int32, as TFLite), folded into the bias.
fn bias_correction(params: &QuantLayerParams, weights: &[i8], k: usize) -> Vec<i32> {
    let zx = params.input.zero_point();
    weights
        .chunks(k)
        .enumerate()
        .map(|(c, row)| {
            let zw = params.weights.channel(c).zero_point();
            let sum: i32 = row.iter().fold(0i32, |s, &w| s.wrapping_add(w as i32));
            (k as i32)
                .wrapping_mul(zx)
                .wrapping_mul(zw)
                .wrapping_sub(zx.wrapping_mul(sum))
        })
        .collect()
}

/// The folded bias as the datapath reads it: `bias + correction[channel]` (wrapping int32),
/// per channel when `bias` is none or per channel, else one value per output element.
/// `channel(i)` and `user(i)` give output element `i`'s channel and bias value.
fn fold_bias(
    correction: &[i32],
    outputs: usize,
    bias: Bias<'_, i32>,
    channel: impl Fn(usize) -> usize,
    user: impl Fn(usize) -> i32,
) -> (Vec<i64>, bool) {
    match bias {
        Bias::None => (correction.iter().map(|&c| c as i64).collect(), true),
        Bias::PerRow(b) => (
            b.iter()
                .zip(correction)
                .map(|(&b, &c)| b.wrapping_add(c) as i64)
                .collect(),
            true,
        ),
        Bias::PerColumn(_) | Bias::Full(_) => (
            (0..outputs)
                .map(|i| user(i).wrapping_add(correction[channel(i)]) as i64)
                .collect(),
            false,
        ),
    }
}

/// Requantizes the accumulators; `channel(i)` gives the output channel of element `i`.
fn requantize(
    params: &QuantLayerParams,
    acc: &[i32],
    mults: &[QuantizedMultiplier],
    channel: impl Fn(usize) -> usize,
) -> Vec<i8> {
    let (lo, hi) = params.clamp_range();
    let zo = params.output.zero_point();
    acc.iter()
        .enumerate()
        .map(|(i, &a)| {
            let y = mults[channel(i)].apply_saturating(a, params.requantization);
            y.saturating_add(zo).clamp(lo, hi) as i8
        })
        .collect()
}

/// Counts the requantization of `outputs` values.
fn count_requant(tally: &mut Tally, outputs: u64) {
    tally.add(OpKind::IntMul { bits: 32 }, outputs);
    tally.add(OpKind::IntAdd { bits: 32 }, 2 * outputs);
    tally.add(
        OpKind::Convert {
            from: NumKind::Int {
                bits: 32,
                signedness: Signedness::Signed,
            },
            to: NumKind::Int {
                bits: 8,
                signedness: Signedness::Signed,
            },
        },
        outputs,
    );
}

/// Quantized `C = A · B` in the datapath's convention: `weights` `A` is `M × K` (one row per
/// output channel), `input` `B` is `K × N` (one column per activation vector), output
/// `M × N` row-major; `bias` is int32 (scale `s_x·s_w`), usually [`Bias::PerRow`] with one
/// value per output channel (any [`Bias`] layout is taken).
///
/// # Errors
///
/// [`Error::Shape`] for slice lengths that do not match `shape`, a bias of the wrong length or
/// per-channel parameters for another number of channels; [`Error::Unsupported`] for
/// unsigned types; [`Error::OutOfRange`] for values outside their type.
///
/// # Examples
///
/// ```
/// use arithsim::datapath::{Bias, GemmShape, LayerOperands};
/// use arithsim::quant::*;
///
/// let p = QuantLayerParams {
///     input: QuantParams::new(0.5, 1, IntType::Int8)?,
///     weights: WeightParams::PerTensor(QuantParams::new(0.25, 0, IntType::Int8Narrow)?),
///     output: QuantParams::new(1.0, -3, IntType::Int8)?,
///     activation: FusedActivation::Relu,
///     requantization: Requantization::DoubleRounding,
/// };
/// // One output channel, K = 2, one input vector: real w = [1, -0.5], x = [1.5, 2.5].
/// let out = quantized_gemm(&p, GemmShape::new(1, 1, 2)?, LayerOperands { weights: &[4, -2], input: &[4, 6] }, Bias::None)?;
/// // 1·1.5 − 0.5·2.5 = 0.25 -> round(0.25 / 1.0) + (−3) = −3
/// assert_eq!(out.values, [-3]);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn quantized_gemm(
    params: &QuantLayerParams,
    shape: GemmShape,
    operands: LayerOperands<'_, i8>,
    bias: Bias<'_, i32>,
) -> Result<QuantOutput> {
    let LayerOperands { weights, input } = operands;
    let shape = GemmShape::new(shape.m, shape.n, shape.k)?;
    params.check(shape.m)?;
    if weights.len() != shape.m * shape.k || input.len() != shape.k * shape.n {
        return Err(Error::Shape(format!(
            "quantized gemm {}x{}x{} needs {} weights and {} inputs, got {} and {}",
            shape.m,
            shape.n,
            shape.k,
            shape.m * shape.k,
            shape.k * shape.n,
            weights.len(),
            input.len()
        )));
    }
    bias.check(shape)?;
    check_values("weights", weights, params.weights.int_type())?;
    check_values("input", input, params.input.int_type())?;
    let mults = params.multipliers(shape.m)?;
    let correction = bias_correction(params, weights, shape.k);
    let n = shape.n;
    let (folded, per_row) = fold_bias(
        &correction,
        shape.m * n,
        bias,
        |i| i / n,
        |i| bias.at(n, i / n, i % n).unwrap_or(0),
    );
    let dp = params.datapath()?;
    let folded = if per_row {
        Bias::PerRow(&folded)
    } else {
        Bias::Full(&folded)
    };
    // The layer's weights are A, its input B.
    let out = dp.gemm(shape, GemmOperands::from(operands), folded)?;
    let mut tally = out.tally;
    let mut acc: Vec<i32> = out.values.iter().map(|&v| v as i32).collect();
    // Weight zero points: subtract z_w[m]·Σ_k x[k, n] (counted: column sums and products).
    if (0..shape.m).any(|c| params.weights.channel(c).zero_point() != 0) {
        let mut colsum = vec![0i32; shape.n];
        for row in input.chunks(shape.n) {
            for (s, &x) in colsum.iter_mut().zip(row) {
                *s = s.wrapping_add(x as i32);
            }
        }
        for (m, row) in acc.chunks_mut(shape.n).enumerate() {
            let zw = params.weights.channel(m).zero_point();
            for (a, &s) in row.iter_mut().zip(&colsum) {
                *a = a.wrapping_sub(zw.wrapping_mul(s));
            }
        }
        tally.add(
            OpKind::IntAdd { bits: 32 },
            (shape.k * shape.n + shape.m * shape.n) as u64,
        );
        tally.add(OpKind::IntMul { bits: 32 }, (shape.m * shape.n) as u64);
    }
    let values = requantize(params, &acc, &mults, |i| i / n);
    count_requant(&mut tally, acc.len() as u64);
    Ok(QuantOutput {
        values,
        accumulators: acc,
        tally,
    })
}

/// Quantized 2-D convolution: NCHW int8 input, OIHW int8 weights, NCHW int8 output, an int32
/// bias read as the datapath's conv2d reads it (usually [`Bias::PerRow`], one value per
/// output channel). Padding reads the input zero point.
///
/// # Errors
///
/// As [`quantized_gemm`], and [`Error::Shape`] for an invalid convolution shape.
pub fn quantized_conv2d(
    params: &QuantLayerParams,
    shape: &Conv2dShape,
    operands: LayerOperands<'_, i8>,
    bias: Bias<'_, i32>,
) -> Result<QuantOutput> {
    let LayerOperands { weights, input } = operands;
    shape.validate()?;
    params.check(shape.out_channels)?;
    if input.len() != shape.input_len() || weights.len() != shape.weight_len() {
        return Err(Error::Shape(format!(
            "quantized conv2d needs {} inputs and {} weights, got {} and {}",
            shape.input_len(),
            shape.weight_len(),
            input.len(),
            weights.len()
        )));
    }
    check_conv_bias(shape, &bias)?;
    check_values("weights", weights, params.weights.int_type())?;
    check_values("input", input, params.input.int_type())?;
    if (0..shape.out_channels).any(|c| params.weights.channel(c).zero_point() != 0) {
        return Err(Error::Unsupported(
            "quantized conv2d with a non-zero weight zero point (TFLite int8 convolutions \
             use symmetric weights)"
                .into(),
        ));
    }
    let mults = params.multipliers(shape.out_channels)?;
    let k = shape.reduction_len();
    let correction = bias_correction(params, weights, k);
    let (oh, ow) = shape.output_hw();
    let plane = oh * ow;
    let o = shape.out_channels;
    let (folded, per_row) = fold_bias(
        &correction,
        shape.output_len(),
        bias,
        |i| (i / plane) % o,
        |i| match bias {
            Bias::PerColumn(v) => v[(i / (plane * o)) * plane + i % plane],
            Bias::Full(v) => v[i],
            Bias::None | Bias::PerRow(_) => 0,
        },
    );
    let folded = if per_row {
        Bias::PerRow(&folded)
    } else {
        Bias::Full(&folded)
    };
    // Pad explicitly with the input zero point, then convolve without padding.
    let (ph, pw) = shape.padding;
    let padded_shape = Conv2dShape {
        in_height: shape.in_height + 2 * ph,
        in_width: shape.in_width + 2 * pw,
        padding: (0, 0),
        ..*shape
    };
    let padded = pad(shape, input, params.input.zero_point() as i8);
    let dp = params.datapath()?;
    let out = dp.conv2d(
        &padded_shape,
        LayerOperands {
            weights,
            input: &padded,
        },
        folded,
    )?;
    let acc: Vec<i32> = out.values.iter().map(|&v| v as i32).collect();
    let values = requantize(params, &acc, &mults, |i| (i / plane) % o);
    let mut tally = out.tally;
    count_requant(&mut tally, acc.len() as u64);
    Ok(QuantOutput {
        values,
        accumulators: acc,
        tally,
    })
}

/// The NCHW input with `padding` rows and columns of `fill` around each plane.
fn pad(s: &Conv2dShape, input: &[i8], fill: i8) -> Vec<i8> {
    let (ph, pw) = s.padding;
    if ph == 0 && pw == 0 {
        return input.to_vec();
    }
    let (h, w) = (s.in_height, s.in_width);
    let (hp, wp) = (h + 2 * ph, w + 2 * pw);
    let mut out = vec![fill; s.batch * s.in_channels * hp * wp];
    for (plane, dst) in input.chunks(h * w).zip(out.chunks_mut(hp * wp)) {
        for (y, row) in plane.chunks(w).enumerate() {
            let start = (y + ph) * wp + pw;
            dst[start..start + w].copy_from_slice(row);
        }
    }
    out
}
