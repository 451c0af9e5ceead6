//! The network on native `f32`: the speed baseline and the source of calibration ranges.
//!
//! Each output is `bias`, then one fused multiply-add ([`fma_f32`]) per product in the datapath's order
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
            Op::Dense(d) => {
                // Inputs outermost: each output adds its products in input order, and the
                // outputs' independent chains overlap.
                let mut acc = d.bias.clone();
                for (k, &v) in x.iter().enumerate() {
                    for (o, a) in acc.iter_mut().enumerate() {
                        *a = fma_f32(d.weight[o * d.inputs + k], v, *a);
                    }
                }
                acc
            }
            Op::Conv2d(c) => conv_f32(c, x, xs, net.shape(i + 1)),
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
                        win.iter().fold(0.0f32, |acc, &v| fma_f32(inv, v, acc))
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

/// `a·b + c` rounded once to `f32` (nearest even), as `f32::mul_add`, without a libm call
/// (on targets built without FMA, `mul_add` is a software routine ten times slower).
///
/// The product of two `f32`s is exact in `f64`; `s = p + c` in `f64` is then exact up to an
/// error `e` that TwoSum recovers. Rounding `s` to `f32` is right unless `s` sits exactly
/// halfway between two `f32`s (the only case where the two roundings compound), where the
/// sign of `e` picks the side.
#[inline]
#[must_use]
pub fn fma_f32(a: f32, b: f32, c: f32) -> f32 {
    let p = f64::from(a) * f64::from(b);
    let cd = f64::from(c);
    let s = p + cd;
    let r = s as f32;
    let bb = s - p;
    let e = (p - (s - bb)) + (cd - bb);
    if e == 0.0 || !r.is_finite() || !s.is_finite() {
        return r;
    }
    let rd = f64::from(r);
    if rd == s {
        return r;
    }
    // The other f32 neighbour of s.
    let other = step(r, s > rd);
    if f64::from(other) - s == s - rd {
        // s is a midpoint: the exact sum lies on e's side of it.
        if (e > 0.0) == (other > r) { other } else { r }
    } else {
        r
    }
}

/// The next `f32` above (`up`) or below a finite `x`.
fn step(x: f32, up: bool) -> f32 {
    if x == 0.0 {
        let tiny = f32::from_bits(1);
        return if up { tiny } else { -tiny };
    }
    let bits = x.to_bits();
    let away = (x > 0.0) == up;
    f32::from_bits(if away { bits + 1 } else { bits - 1 })
}

/// One convolution on native `f32`: the input is zero-padded once, then each output is its
/// bias plus one `mul_add` per tap in `(c, ky, kx)` order.
fn conv_f32(c: &super::graph::Conv2d, x: &[f32], xs: &[usize], os: &[usize]) -> Vec<f32> {
    let (h, w) = (xs[1], xs[2]);
    let (ph, pw) = c.padding;
    let (hp, wp) = (h + 2 * ph, w + 2 * pw);
    let mut padded = vec![0f32; c.in_channels * hp * wp];
    for ch in 0..c.in_channels {
        for y in 0..h {
            let src = &x[(ch * h + y) * w..][..w];
            padded[(ch * hp + y + ph) * wp + pw..][..w].copy_from_slice(src);
        }
    }
    let (oh, ow) = (os[1], os[2]);
    let cpg = c.in_channels / c.groups;
    let opg = c.out_channels / c.groups;
    let (kh, kw) = c.kernel;
    let mut y = vec![0f32; c.out_channels * oh * ow];
    // Taps outermost and pixels innermost: each output still adds its products in
    // (c, ky, kx) order, and the pixels' independent chains overlap in the pipeline.
    for (o, out) in y.chunks_mut(oh * ow).enumerate() {
        let g = o / opg;
        out.fill(c.bias[o]);
        let wo = &c.weight[o * cpg * kh * kw..][..cpg * kh * kw];
        for ci in 0..cpg {
            let plane = &padded[(g * cpg + ci) * hp * wp..][..hp * wp];
            for ky in 0..kh {
                for kx in 0..kw {
                    let wv = wo[(ci * kh + ky) * kw + kx];
                    for oy in 0..oh {
                        let row = &plane[(oy * c.stride.0 + ky) * wp + kx..];
                        let acc = &mut out[oy * ow..][..ow];
                        for (ox, a) in acc.iter_mut().enumerate() {
                            *a = fma_f32(wv, row[ox * c.stride.1], *a);
                        }
                    }
                }
            }
        }
    }
    y
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::SplitMix64;
    use rand_core::{Rng, SeedableRng};

    #[test]
    fn fma_f32_equals_mul_add() {
        let mut rng = SplitMix64::seed_from_u64(42);
        let mut f = |spread: u64| {
            let r = rng.next_u64();
            // Random sign and mantissa, exponent within ±spread of 0 (plus specials below).
            let exp = (127 + (r >> 40) % (2 * spread + 1)) as i64 - spread as i64;
            let bits = ((r >> 63) << 31) as u32
                | ((exp.clamp(0, 254) as u32) << 23)
                | (r as u32 & 0x7f_ffff);
            f32::from_bits(bits)
        };
        for spread in [2, 12, 40, 127] {
            for _ in 0..300_000 {
                let (a, b, c) = (f(spread), f(spread), f(spread));
                assert_eq!(
                    fma_f32(a, b, c).to_bits(),
                    a.mul_add(b, c).to_bits(),
                    "{a:e} {b:e} {c:e}"
                );
            }
        }
        // Midpoint cases: c + a·b with a·b half an ulp of c plus or minus a tiny bit.
        let c = 1.0f32;
        let half = f32::EPSILON / 2.0;
        for (a, b) in [
            (half, 1.0),
            (half, 1.0 + f32::EPSILON),
            (half, 1.0 - f32::EPSILON / 2.0),
        ] {
            assert_eq!(fma_f32(a, b, c).to_bits(), a.mul_add(b, c).to_bits());
            assert_eq!(fma_f32(-a, b, -c).to_bits(), (-a).mul_add(b, -c).to_bits());
        }
        for (a, b, c) in [
            (0.0f32, -1.0, 0.0),
            (-0.0, 1.0, -0.0),
            (1e-45, 0.5, 0.0),
            (3e38, 10.0, -1.0),
        ] {
            assert_eq!(fma_f32(a, b, c).to_bits(), a.mul_add(b, c).to_bits());
        }
    }
}
