//! Integer-only int8 inference as TensorFlow Lite computes it, through
//! [`quantized_conv2d`] and [`quantized_gemm`] (gemmlowp requantization between layers).
//!
//! Recipe: activations are asymmetric int8 with the scale and zero point TFLite's
//! `ChooseQuantizationParams` gives for the calibrated range of each value (a ReLU after a
//! layer is fused into its output clamp, and its range is the layer's output range); weights
//! are symmetric `[−q, q]`, `q = 2^(bits−1) − 1` (127 for INT8), scale `max |w| / q` per
//! output channel or per tensor, rounded half away from zero; biases are int32 at scale
//! `s_in · s_w`. Max pooling, flattening and ReLU keep the int8 values and parameters; a
//! residual add rescales both inputs as TFLite's int8 `Add` does.

use super::format::Int8Config;
use super::graph::{Network, Op};
use super::native::pool;
use crate::cost::{FloatKind, NumKind, OpKind, Tally};
use crate::datapath::{Bias, GemmShape, LayerOperands};
use crate::quant::{
    FusedActivation, IntType, PerChannelParams, QuantLayerParams, QuantParams, QuantizedMultiplier,
    Requantization, Symmetry, WeightParams, quantized_conv2d, quantized_gemm,
};
use crate::repr::Signedness;
use crate::round::RoundingMode;
use crate::{Error, Result};

/// A dense or convolution layer ready for integer-only inference.
#[derive(Clone, Debug)]
struct QLayer {
    params: QuantLayerParams,
    weight: Vec<i8>,
    bias: Vec<i32>,
}

/// A network prepared for integer-only inference.
#[derive(Clone, Debug)]
pub(crate) struct Int8Plan {
    /// Parameters of every value (input first).
    values: Vec<QuantParams>,
    layers: Vec<Option<QLayer>>,
}

/// TensorFlow Lite's int8 `Add`: both inputs shifted left by 20 bits and rescaled to twice
/// the larger input scale, summed in int32, rescaled to the output scale (each rescaling a
/// gemmlowp `MultiplyByQuantizedMultiplier` with a multiplier below one), plus the output
/// zero point, clamped to int8.
fn quantized_add(
    a: &[i8],
    b: &[i8],
    pa: QuantParams,
    pb: QuantParams,
    out: QuantParams,
) -> Result<Vec<i8>> {
    const LEFT_SHIFT: i32 = 20;
    let twice_max = 2.0 * pa.scale().max(pb.scale());
    let ma = QuantizedMultiplier::from_real(pa.scale() / twice_max)?;
    let mb = QuantizedMultiplier::from_real(pb.scale() / twice_max)?;
    let mo =
        QuantizedMultiplier::from_real(twice_max / (f64::from(1u32 << LEFT_SHIFT) * out.scale()))?;
    let r = Requantization::DoubleRounding;
    Ok(a.iter()
        .zip(b)
        .map(|(&x, &y)| {
            let sx = ma.apply((i32::from(x) - pa.zero_point()) << LEFT_SHIFT, r);
            let sy = mb.apply((i32::from(y) - pb.zero_point()) << LEFT_SHIFT, r);
            let v = mo.apply(sx + sy, r) + out.zero_point();
            v.clamp(-128, 127) as i8
        })
        .collect())
}

/// Symmetric weight parameters of `w` at `bits` bits.
fn weight_params(w: &[f32], bits: u32) -> Result<QuantParams> {
    let q = f64::from((1u32 << (bits - 1)) - 1);
    let a = w.iter().fold(0.0f64, |m, &x| m.max(f64::from(x).abs()));
    QuantParams::new(if a == 0.0 { 1.0 } else { a / q }, 0, IntType::Int8Narrow)
}

impl Int8Plan {
    /// Quantizes the network with `ranges` (one per value, from
    /// [`calibrate`](super::calibrate)).
    pub(crate) fn new(net: &Network, cfg: Int8Config, ranges: &[(f64, f64)]) -> Result<Self> {
        if ranges.len() != net.nodes().len() + 1 {
            return Err(Error::Shape(format!(
                "{} calibrated ranges for {} values",
                ranges.len(),
                net.nodes().len() + 1
            )));
        }
        if !(2..=8).contains(&cfg.weight_bits) {
            return Err(Error::param(
                "weight bits",
                cfg.weight_bits,
                "must be 2..=8",
            ));
        }
        let act = |v: usize| {
            QuantParams::from_min_max(
                ranges[v].0,
                ranges[v].1,
                IntType::Int8,
                Symmetry::Asymmetric,
            )
        };
        let nodes = net.nodes();
        let mut values = vec![act(0)?];
        let mut layers = Vec::with_capacity(nodes.len());
        for (i, node) in nodes.iter().enumerate() {
            let input = values[node.input];
            let fused = nodes
                .get(i + 1)
                .is_some_and(|n| matches!(n.op, Op::Relu) && n.input == i + 1);
            let (w, b, rows) = match &node.op {
                Op::Dense(d) => (&d.weight, &d.bias, d.outputs),
                Op::Conv2d(c) => (&c.weight, &c.bias, c.out_channels),
                Op::Add { .. } => {
                    values.push(act(i + 1)?);
                    layers.push(None);
                    continue;
                }
                // Relu, pooling and flatten keep the parameters of their input.
                _ => {
                    values.push(input);
                    layers.push(None);
                    continue;
                }
            };
            let output = if fused { act(i + 2)? } else { act(i + 1)? };
            let k = w.len() / rows;
            let per: Vec<QuantParams> = if cfg.per_channel {
                w.chunks(k)
                    .map(|r| weight_params(r, cfg.weight_bits))
                    .collect::<Result<_>>()?
            } else {
                vec![weight_params(w, cfg.weight_bits)?; rows]
            };
            let mut weight = Vec::with_capacity(w.len());
            for (r, row) in w.chunks(k).enumerate() {
                weight.extend(per[r].quantize_i8(row, RoundingMode::NearestAway)?);
            }
            let bias = b
                .iter()
                .enumerate()
                .map(|(c, &bv)| {
                    let s = input.scale() * per[c].scale();
                    let q = (f64::from(bv) / s).round();
                    q.clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32
                })
                .collect();
            let weights = if cfg.per_channel {
                WeightParams::PerChannel(PerChannelParams::new(per)?)
            } else {
                WeightParams::PerTensor(per[0])
            };
            layers.push(Some(QLayer {
                params: QuantLayerParams {
                    input,
                    weights,
                    output,
                    activation: if fused {
                        FusedActivation::Relu
                    } else {
                        FusedActivation::None
                    },
                    requantization: Requantization::DoubleRounding,
                },
                weight,
                bias,
            }));
            values.push(output);
        }
        Ok(Int8Plan { values, layers })
    }

    /// The real value of every weight of node `i` as the integer kernels use it:
    /// `code · scale` of its output channel (one f64 rounding); `None` for a node without
    /// weights.
    pub(crate) fn weight_values(&self, i: usize) -> Option<Vec<f64>> {
        let q = self.layers.get(i)?.as_ref()?;
        let rows = q.bias.len().max(1);
        let k = q.weight.len() / rows;
        let scale = |r: usize| match &q.params.weights {
            WeightParams::PerTensor(p) => p.scale(),
            WeightParams::PerChannel(pc) => pc.channels()[r].scale(),
        };
        Some(
            q.weight
                .chunks(k.max(1))
                .enumerate()
                .flat_map(|(r, row)| {
                    let s = scale(r);
                    row.iter().map(move |&c| f64::from(c) * s)
                })
                .collect(),
        )
    }

    /// The quantization parameters of value `v` (0 = input).
    pub(crate) fn value_params(&self, v: usize) -> QuantParams {
        self.values[v]
    }

    /// One inference: the int8 logits dequantized (exact in f64), and the counted operations.
    pub(crate) fn infer(&self, net: &Network, image: &[f32]) -> Result<(Vec<f64>, Tally)> {
        let mut tally = Tally::new();
        let p0 = self.values[0];
        let mut vals: Vec<Vec<i8>> = vec![p0.quantize_i8(image, RoundingMode::NearestAway)?];
        tally.add(
            OpKind::Convert {
                from: NumKind::Float(FloatKind::FP32),
                to: NumKind::Int {
                    bits: 8,
                    signedness: Signedness::Signed,
                },
            },
            image.len() as u64,
        );
        for (i, node) in net.nodes().iter().enumerate() {
            let x = &vals[node.input];
            let xs = net.shape(node.input);
            let y = match (&node.op, &self.layers[i]) {
                (Op::Dense(d), Some(q)) => {
                    let out = quantized_gemm(
                        &q.params,
                        GemmShape::new(d.outputs, 1, d.inputs)?,
                        LayerOperands {
                            weights: &q.weight,
                            input: x,
                        },
                        Bias::PerRow(&q.bias),
                    )?;
                    tally.merge(&out.tally);
                    out.values
                }
                (Op::Conv2d(c), Some(q)) => {
                    let shape = c.shape(xs[1], xs[2])?;
                    let out = quantized_conv2d(
                        &q.params,
                        &shape,
                        LayerOperands {
                            weights: &q.weight,
                            input: x,
                        },
                        Bias::PerRow(&q.bias),
                    )?;
                    tally.merge(&out.tally);
                    out.values
                }
                (Op::Relu, _) => {
                    let zp = self.values[node.input].zero_point() as i8;
                    x.iter().map(|&v| v.max(zp)).collect()
                }
                (Op::MaxPool { size, stride }, _) => {
                    pool(x, xs, net.shape(i + 1), *size, *stride, |w| {
                        w.iter().copied().max().unwrap_or(0)
                    })
                }
                (Op::AvgPool { size, stride }, _) => {
                    // TFLite's int8 average pool: int32 sum, divided rounding half away from
                    // zero, same parameters in and out.
                    let n = (size * size) as i32;
                    pool(x, xs, net.shape(i + 1), *size, *stride, |w| {
                        let s: i32 = w.iter().map(|&v| i32::from(v)).sum();
                        let q = if s >= 0 {
                            (s + n / 2) / n
                        } else {
                            (s - n / 2) / n
                        };
                        q.clamp(-128, 127) as i8
                    })
                }
                (Op::Flatten, _) => x.clone(),
                (Op::Add { other }, _) => {
                    let (p1, p2) = (self.values[node.input], self.values[*other]);
                    let out = self.values[i + 1];
                    let y = quantized_add(x, &vals[*other], p1, p2, out)?;
                    tally.add(OpKind::IntAdd { bits: 32 }, 3 * x.len() as u64);
                    tally.add(OpKind::IntMul { bits: 32 }, 3 * x.len() as u64);
                    y
                }
                _ => {
                    return Err(Error::Unsupported(format!(
                        "layer {} ({}) in integer-only int8 inference",
                        node.name,
                        node.op.kind()
                    )));
                }
            };
            vals.push(y);
        }
        let last = self.values.len() - 1;
        let p = self.values[last];
        let logits = vals[last]
            .iter()
            .map(|&q| p.dequantize(i32::from(q)))
            .collect();
        Ok((logits, tally))
    }
}
