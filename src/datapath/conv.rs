//! Conv2d as `groups` GEMMs over im2col matrices (the implicit-GEMM view), shared by every
//! arithmetic, and what a [`Bias`] means for a convolution.
//!
//! A convolution's bias is read in its GEMM view (`C = W · im2col(input)`, one row per output
//! channel, one column per output position `b·OH·OW + y·OW + x`):
//! [`Bias::PerRow`] is one value per output channel (`O` values, the usual conv bias),
//! [`Bias::PerColumn`] one per output position (`N·OH·OW`, shared by every channel) and
//! [`Bias::Full`] one per output element (`N·O·OH·OW`, in the output's NCHW order).

use crate::Result;

use super::bias::Bias;
use super::shape::{Conv2dShape, GemmShape, check_len, im2col};

/// Checks a conv2d bias's length against `shape` (see the module docs for what each variant
/// holds). `shape` must be valid.
pub(crate) fn check_conv_bias<V: Copy>(shape: &Conv2dShape, bias: &Bias<'_, V>) -> Result<()> {
    let (oh, ow) = shape.output_hw();
    match *bias {
        Bias::None => Ok(()),
        Bias::PerRow(v) => check_len(
            "conv2d per-channel bias",
            v.len(),
            shape.out_channels,
            "out_channels",
        ),
        Bias::PerColumn(v) => check_len(
            "conv2d per-position bias",
            v.len(),
            shape.batch * oh * ow,
            "batch*out_height*out_width",
        ),
        Bias::Full(v) => check_len(
            "conv2d full bias",
            v.len(),
            shape.output_len(),
            "batch*out_channels*out_height*out_width",
        ),
    }
}

/// The bias values one group's GEMM reads (for the memory model's traffic).
pub(crate) fn group_bias_len<V: Copy>(gs: GemmShape, bias: &Bias<'_, V>) -> usize {
    match bias {
        Bias::None => 0,
        Bias::PerRow(_) => gs.m,
        Bias::PerColumn(_) => gs.n,
        Bias::Full(_) => gs.m * gs.n,
    }
}

/// Group `g`'s bias in its GEMM's layout: per-channel values sliced to the group's channels,
/// per-position values as they are, full values gathered from NCHW into `[o][b·OH·OW + p]`
/// (in `buf`). `bias` must have passed [`check_conv_bias`].
pub(crate) fn group_bias<'a, B: Copy>(
    shape: &Conv2dShape,
    bias: Bias<'a, B>,
    g: usize,
    gs: GemmShape,
    buf: &'a mut Vec<B>,
) -> Bias<'a, B> {
    let mg = gs.m;
    match bias {
        Bias::None => Bias::None,
        Bias::PerRow(v) => Bias::PerRow(&v[g * mg..(g + 1) * mg]),
        Bias::PerColumn(v) => Bias::PerColumn(v),
        Bias::Full(v) => {
            let plane = gs.n / shape.batch;
            buf.clear();
            for o in 0..mg {
                for b in 0..shape.batch {
                    let src = (b * shape.out_channels + g * mg + o) * plane;
                    buf.extend_from_slice(&v[src..src + plane]);
                }
            }
            Bias::Full(buf)
        }
    }
}

/// Scatters group `g`'s GEMM result `c` (`[o][b·OH·OW + p]`) into the NCHW output `values`.
pub(crate) fn scatter_group<V: Copy>(
    shape: &Conv2dShape,
    g: usize,
    gs: GemmShape,
    c: &[V],
    values: &mut [V],
) {
    let (mg, n) = (gs.m, gs.n);
    let plane = n / shape.batch;
    for o in 0..mg {
        for b in 0..shape.batch {
            let dst = (b * shape.out_channels + g * mg + o) * plane;
            values[dst..dst + plane]
                .copy_from_slice(&c[o * n + b * plane..o * n + (b + 1) * plane]);
        }
    }
}

/// Runs a validated conv2d: for each group `g`, `C_g = W_g · im2col_g(input)` with
/// `W_g` the group's `O/groups × K` weights (contiguous in OIHW) and the group's bias
/// ([`group_bias`]), then scatters `C_g` (`[o][b·OH·OW + p]`) into the NCHW output.
pub(crate) fn conv2d_by_groups<T: Copy, B: Copy, V: Copy>(
    shape: &Conv2dShape,
    input: &[T],
    weight: &[T],
    bias: Bias<'_, B>,
    zero: T,
    fill: V,
    mut gemm: impl FnMut(GemmShape, &[T], &[T], Bias<'_, B>, &mut [V]),
) -> Vec<V> {
    let (groups, gs) = shape.gemm_view();
    let (mg, n, k) = (gs.m, gs.n, gs.k);
    let mut values = vec![fill; shape.output_len()];
    let mut c = vec![fill; mg * n];
    let mut buf = Vec::new();
    for g in 0..groups {
        let cols = im2col(shape, input, g, zero);
        let w = &weight[g * mg * k..(g + 1) * mg * k];
        let gb = group_bias(shape, bias, g, gs, &mut buf);
        gemm(gs, w, &cols, gb, &mut c);
        scatter_group(shape, g, gs, &c, &mut values);
    }
    values
}
