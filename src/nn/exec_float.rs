//! Floating-point and MX inference through [`FloatDatapath`].
//!
//! Float: the input and the weights are rounded to the multiply format (nearest even), every
//! dense and convolution layer runs in the datapath with the bias in the accumulate format,
//! ReLU and max pooling work on the accumulate-format outputs, and each layer's output is
//! converted (counted) to the multiply format before the next layer's MACs.
//!
//! MX: weights (per output channel) and activations (per output pixel, the im2col column)
//! are quantized into OCP MX blocks of 32 along the reduction; the scaled elements
//! `e · 2^X` are exact in the wide-exponent carrier format `E8M3` (MXFP8 E4M3) or `E8M1`
//! (MXFP4 E2M1), and the datapath multiplies them exactly and accumulates in FP32.

use super::graph::{Network, Op};
use super::native::pool;
use crate::cost::Tally;
use crate::datapath::{
    Bias, Engine, FloatArith, FloatDatapath, GemmOperands, GemmShape, LayerOperands,
    ProductRounding,
};
use crate::float::{FloatEnv, FloatFormat};
use crate::quant::{MxElement, mx_dequantize, mx_quantize};
use crate::round::RoundingMode;
use crate::{Error, Result};

/// A layer's parameters as bit patterns: weights in the multiply format (for MX: carrier
/// patterns of the dequantized blocks), biases in the accumulate format.
#[derive(Clone, Debug)]
struct Params {
    weight: Vec<u64>,
    bias: Vec<u64>,
}

/// A network prepared for a float or MX arithmetic.
#[derive(Clone, Debug)]
pub(crate) struct FloatPlan {
    dp: FloatDatapath,
    mx: Option<MxElement>,
    params: Vec<Option<Params>>,
}

/// The carrier format of an MX element type: FP32's exponent range, the element's precision.
fn mx_carrier(e: MxElement) -> Result<FloatFormat> {
    let man = match e.float_format() {
        Some(f) => f.man_bits(),
        None => 7, // INT8 elements: 8 significant bits
    };
    FloatFormat::new(8, man)
}

fn env() -> FloatEnv {
    FloatEnv::new(RoundingMode::NearestEven)
}

/// Rounds `x` to `f`'s patterns (nearest even).
fn to_bits(f: FloatFormat, x: &[f32]) -> Vec<u64> {
    let env = env();
    x.iter().map(|&v| f.from_f32(v, &env).value).collect()
}

/// MX-quantizes `x` in blocks of 32 and returns the carrier patterns of the exact values.
fn mx_bits(e: MxElement, carrier: FloatFormat, x: &[f32]) -> Result<Vec<u64>> {
    let env = env();
    let vals = mx_dequantize(&mx_quantize(x, e)?);
    Ok(vals
        .iter()
        .map(|&v| carrier.from_f64(v, &env).value)
        .collect())
}

impl FloatPlan {
    pub(crate) fn new(
        net: &Network,
        arith: FloatArith,
        mx: Option<MxElement>,
        engine: Engine,
    ) -> Result<Self> {
        let arith = match mx {
            Some(e) => FloatArith::new(
                mx_carrier(e)?,
                FloatFormat::FP32,
                ProductRounding::ExactProduct,
                RoundingMode::NearestEven,
            )?,
            None => arith,
        };
        let dp = FloatDatapath::new(arith)?.with_engine(engine)?;
        let mut params = Vec::with_capacity(net.nodes().len());
        for node in net.nodes() {
            let (w, b, k) = match &node.op {
                Op::Dense(d) => (&d.weight, &d.bias, d.inputs),
                Op::Conv2d(c) => (&c.weight, &c.bias, c.reduction_len()),
                _ => {
                    params.push(None);
                    continue;
                }
            };
            let weight = match mx {
                None => to_bits(arith.mul, w),
                Some(e) => {
                    let mut out = Vec::with_capacity(w.len());
                    for row in w.chunks(k) {
                        out.extend(mx_bits(e, arith.mul, row)?);
                    }
                    out
                }
            };
            params.push(Some(Params {
                weight,
                bias: to_bits(arith.acc, b),
            }));
        }
        Ok(FloatPlan { dp, mx, params })
    }

    /// The exact value of every weight of node `i` as the datapath multiplies it (the
    /// multiply-format pattern, or the MX carrier pattern of the dequantized block);
    /// `None` for a node without weights.
    pub(crate) fn weight_values(&self, i: usize) -> Option<Vec<f64>> {
        let p = self.params.get(i)?.as_ref()?;
        let mul = self.dp.arith().mul;
        Some(p.weight.iter().map(|&b| mul.bits_to_f64(b)).collect())
    }

    /// One inference: the logits (exact, as f64) and the counted operations.
    pub(crate) fn infer(&self, net: &Network, image: &[f32]) -> Result<(Vec<f64>, Tally)> {
        let ar = self.dp.arith();
        let (mul, acc) = (ar.mul, ar.acc);
        let mut tally = Tally::new();
        let mut values: Vec<Vec<u64>> = vec![to_bits(acc, image)];
        // Multiply-format operands: converted from the accumulate format, counted.
        let to_mul = |x: &[u64], tally: &mut Tally| -> Result<Vec<u64>> {
            if mul == acc || self.mx.is_some() {
                return Ok(x.to_vec());
            }
            let out = self.dp.convert(x, mul)?;
            tally.merge(&out.tally);
            Ok(out.bits)
        };
        for (i, node) in net.nodes().iter().enumerate() {
            let x = &values[node.input];
            let xs = net.shape(node.input);
            let y = match &node.op {
                Op::Dense(d) => {
                    let p = self.params[i].as_ref().ok_or_else(|| missing(&node.name))?;
                    let xm = match self.mx {
                        Some(e) => mx_bits(e, mul, &acc_to_f32(acc, x))?,
                        None => to_mul(x, &mut tally)?,
                    };
                    let out = self.dp.gemm(
                        GemmShape::new(d.outputs, 1, d.inputs)?,
                        GemmOperands {
                            a: &p.weight,
                            b: &xm,
                        },
                        Bias::PerRow(&p.bias),
                    )?;
                    tally.merge(&out.tally);
                    out.bits
                }
                Op::Conv2d(c) => {
                    let p = self.params[i].as_ref().ok_or_else(|| missing(&node.name))?;
                    let shape = c.shape(xs[1], xs[2])?;
                    match self.mx {
                        None => {
                            let xm = to_mul(x, &mut tally)?;
                            let out = self.dp.conv2d(
                                &shape,
                                LayerOperands {
                                    weights: &p.weight,
                                    input: &xm,
                                },
                                Bias::PerRow(&p.bias),
                            )?;
                            tally.merge(&out.tally);
                            out.bits
                        }
                        Some(e) => {
                            if c.groups != 1 {
                                return Err(Error::Unsupported(format!(
                                    "layer {}: MX convolution with {} groups (only 1)",
                                    node.name, c.groups
                                )));
                            }
                            let xf = acc_to_f32(acc, x);
                            let (k, n, cols) = im2col_columns(&shape, &xf);
                            // Quantize each column (one output pixel's reduction) on its own.
                            let mut b = vec![0u64; k * n];
                            for (j, col) in cols.chunks(k).enumerate() {
                                for (kk, v) in mx_bits(e, mul, col)?.into_iter().enumerate() {
                                    b[kk * n + j] = v;
                                }
                            }
                            let out = self.dp.gemm(
                                GemmShape::new(c.out_channels, n, k)?,
                                GemmOperands {
                                    a: &p.weight,
                                    b: &b,
                                },
                                Bias::PerRow(&p.bias),
                            )?;
                            tally.merge(&out.tally);
                            out.bits
                        }
                    }
                }
                Op::Relu => {
                    let out = self.dp.relu(x)?;
                    tally.merge(&out.tally);
                    out.bits
                }
                Op::MaxPool { size, stride } => {
                    let os = net.shape(i + 1);
                    let vals: Vec<f64> = x.iter().map(|&b| acc.bits_to_f64(b)).collect();
                    let idx: Vec<usize> = (0..x.len()).collect();
                    pool(&idx, xs, os, *size, *stride, |win| {
                        let mut best = win[0];
                        for &j in &win[1..] {
                            if vals[j] > vals[best] || (vals[best].is_nan() && !vals[j].is_nan()) {
                                best = j;
                            }
                        }
                        x[best]
                    })
                }
                Op::AvgPool { size, stride } => {
                    // A depthwise convolution with weights 1/size² (rounded to the multiply
                    // format), counted as MACs.
                    let ch = xs[0];
                    let inv = 1.0 / (size * size) as f32;
                    let conv = super::graph::Conv2d {
                        out_channels: ch,
                        in_channels: ch,
                        kernel: (*size, *size),
                        stride: (*stride, *stride),
                        padding: (0, 0),
                        groups: ch,
                        weight: vec![inv; ch * size * size],
                        bias: vec![0.0; ch],
                    };
                    let shape = conv.shape(xs[1], xs[2])?;
                    let xm = to_mul(x, &mut tally)?;
                    let wm = to_bits(mul, &conv.weight);
                    let out = self.dp.conv2d(
                        &shape,
                        LayerOperands {
                            weights: &wm,
                            input: &xm,
                        },
                        Bias::None,
                    )?;
                    tally.merge(&out.tally);
                    out.bits
                }
                Op::Flatten => x.clone(),
                Op::Add { other } => {
                    let out = self.dp.add(x, &values[*other])?;
                    tally.merge(&out.tally);
                    out.bits
                }
            };
            values.push(y);
        }
        let logits = values
            .last()
            .map(|v| v.iter().map(|&b| acc.bits_to_f64(b)).collect())
            .unwrap_or_default();
        Ok((logits, tally))
    }
}

fn missing(name: &str) -> Error {
    Error::Shape(format!("layer {name} has no prepared parameters"))
}

/// Accumulate-format patterns as f32 (exact: the accumulator of MX runs is FP32).
fn acc_to_f32(acc: FloatFormat, x: &[u64]) -> Vec<f32> {
    x.iter().map(|&b| acc.bits_to_f64(b) as f32).collect()
}

/// The im2col matrix of a one-image, one-group convolution as columns: returns `K`, `N` and
/// the `N` columns of `K` values each (`(c, ky, kx)` order, padded taps 0).
fn im2col_columns(s: &crate::datapath::Conv2dShape, x: &[f32]) -> (usize, usize, Vec<f32>) {
    let (oh, ow) = s.output_hw();
    let k = s.reduction_len();
    let n = oh * ow;
    let (h, w) = (s.in_height, s.in_width);
    let mut cols = vec![0f32; k * n];
    for oy in 0..oh {
        for ox in 0..ow {
            let col = &mut cols[(oy * ow + ox) * k..][..k];
            for c in 0..s.in_channels {
                for ky in 0..s.kernel_height {
                    for kx in 0..s.kernel_width {
                        let iy = (oy * s.stride.0 + ky) as isize - s.padding.0 as isize;
                        let ix = (ox * s.stride.1 + kx) as isize - s.padding.1 as isize;
                        if iy >= 0 && ix >= 0 && (iy as usize) < h && (ix as usize) < w {
                            col[(c * s.kernel_height + ky) * s.kernel_width + kx] =
                                x[(c * h + iy as usize) * w + ix as usize];
                        }
                    }
                }
            }
        }
    }
    (k, n, cols)
}
