//! The network on native `f32`: the speed baseline and the source of calibration ranges.
//!
//! Each output is `bias`, then one `f32::mul_add` per product in the datapath's order
//! (input channel, kernel row, kernel column; padded taps multiply +0), so it gives the
//! bits of the FP32 datapath (one fused multiply-add per step).

use super::graph::{Network, Op};
use crate::{Error, Result};

/// Every value of one forward pass on native `f32`: the input first, then each node's
/// output.
///
/// # Errors
///
/// [`Error::Shape`] when `image` does not have the network's input length.
///
/// # Examples
///
/// ```
/// use arithsim::nn::{Dense, Network, Node, Op, forward_f32};
///
/// let fc = Dense { outputs: 1, inputs: 2, weight: vec![2.0, -1.0], bias: vec![0.5] };
/// let net = Network::new("t", vec![2], vec![Node::chained("fc", Op::Dense(fc), 0)])?;
/// let values = forward_f32(&net, &[1.0, 3.0])?;
/// assert_eq!(values.last().unwrap(), &[0.5 + 2.0 - 3.0]);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn forward_f32(net: &Network, image: &[f32]) -> Result<Vec<Vec<f32>>> {
    if image.len() != net.input_len() {
        return Err(Error::Shape(format!(
            "network {} takes {} input values, got {}",
            net.name(),
            net.input_len(),
            image.len()
        )));
    }
    let mut values: Vec<Vec<f32>> = vec![image.to_vec()];
    for (i, node) in net.nodes().iter().enumerate() {
        let x = &values[node.input];
        let xs = net.shape(node.input);
        let y = match &node.op {
            Op::Dense(d) => (0..d.outputs)
                .map(|o| {
                    let row = &d.weight[o * d.inputs..(o + 1) * d.inputs];
                    row.iter()
                        .zip(x)
                        .fold(d.bias[o], |acc, (&w, &v)| w.mul_add(v, acc))
                })
                .collect(),
            Op::Conv2d(c) => {
                let (h, w) = (xs[1], xs[2]);
                let os = net.shape(i + 1);
                let (oh, ow) = (os[1], os[2]);
                let cpg = c.in_channels / c.groups;
                let opg = c.out_channels / c.groups;
                let (kh, kw) = c.kernel;
                let mut y = vec![0f32; c.out_channels * oh * ow];
                for o in 0..c.out_channels {
                    let g = o / opg;
                    for oy in 0..oh {
                        for ox in 0..ow {
                            let mut acc = c.bias[o];
                            for ci in 0..cpg {
                                let ch = g * cpg + ci;
                                for ky in 0..kh {
                                    for kx in 0..kw {
                                        let iy =
                                            (oy * c.stride.0 + ky) as isize - c.padding.0 as isize;
                                        let ix =
                                            (ox * c.stride.1 + kx) as isize - c.padding.1 as isize;
                                        let v = if iy >= 0
                                            && ix >= 0
                                            && (iy as usize) < h
                                            && (ix as usize) < w
                                        {
                                            x[(ch * h + iy as usize) * w + ix as usize]
                                        } else {
                                            0.0
                                        };
                                        let wv = c.weight[((o * cpg + ci) * kh + ky) * kw + kx];
                                        acc = wv.mul_add(v, acc);
                                    }
                                }
                            }
                            y[(o * oh + oy) * ow + ox] = acc;
                        }
                    }
                }
                y
            }
            Op::Relu => x
                .iter()
                .map(|&v| {
                    if v.is_sign_negative() && !v.is_nan() {
                        0.0
                    } else {
                        v
                    }
                })
                .collect(),
            Op::MaxPool { size, stride } | Op::AvgPool { size, stride } => {
                let avg = matches!(node.op, Op::AvgPool { .. });
                pool(x, xs, net.shape(i + 1), *size, *stride, |win| {
                    if avg {
                        let inv = 1.0 / (size * size) as f32;
                        win.iter().fold(0.0f32, |acc, &v| inv.mul_add(v, acc))
                    } else {
                        first_max(win)
                    }
                })
            }
            Op::Flatten => x.clone(),
            Op::Add { other } => x.iter().zip(&values[*other]).map(|(a, b)| a + b).collect(),
        };
        values.push(y);
    }
    Ok(values)
}

/// The first largest value of a window (strictly greater replaces; NaN never wins).
pub(crate) fn first_max<T: Copy + PartialOrd>(win: &[T]) -> T {
    let mut best = win[0];
    for &v in &win[1..] {
        if v > best || best.partial_cmp(&best).is_none() {
            best = v;
        }
    }
    best
}

/// Applies `reduce` to every `size × size` window (row-major window order) of a C×H×W map.
pub(crate) fn pool<T: Copy, U>(
    x: &[T],
    in_shape: &[usize],
    out_shape: &[usize],
    size: usize,
    stride: usize,
    mut reduce: impl FnMut(&[T]) -> U,
) -> Vec<U> {
    let (c, h, w) = (in_shape[0], in_shape[1], in_shape[2]);
    let (oh, ow) = (out_shape[1], out_shape[2]);
    let mut win = Vec::with_capacity(size * size);
    let mut out = Vec::with_capacity(c * oh * ow);
    for ch in 0..c {
        for oy in 0..oh {
            for ox in 0..ow {
                win.clear();
                for ky in 0..size {
                    for kx in 0..size {
                        win.push(x[(ch * h + oy * stride + ky) * w + ox * stride + kx]);
                    }
                }
                out.push(reduce(&win));
            }
        }
    }
    out
}
