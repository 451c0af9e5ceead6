//! Conv2d as `groups` GEMMs over im2col matrices (the implicit-GEMM view), shared by every
//! arithmetic.

use super::bias::Bias;
use super::shape::{Conv2dShape, GemmShape, im2col};

/// Runs a validated conv2d: for each group `g`, `C_g = W_g · im2col_g(input)` with
/// `W_g` the group's `O/groups × K` weights (contiguous in OIHW) and the per-channel bias as
/// a per-row bias, then scatters `C_g` (`[o][b·OH·OW + p]`) into the NCHW output.
pub(crate) fn conv2d_by_groups<T: Copy, B: Copy, V: Copy>(
    shape: &Conv2dShape,
    input: &[T],
    weight: &[T],
    bias: Option<&[B]>,
    zero: T,
    fill: V,
    mut gemm: impl FnMut(GemmShape, &[T], &[T], Bias<'_, B>, &mut [V]),
) -> Vec<V> {
    let (groups, gs) = shape.gemm_view();
    let (mg, n, k) = (gs.m, gs.n, gs.k);
    let plane = n / shape.batch;
    let mut values = vec![fill; shape.output_len()];
    let mut c = vec![fill; mg * n];
    for g in 0..groups {
        let cols = im2col(shape, input, g, zero);
        let w = &weight[g * mg * k..(g + 1) * mg * k];
        let gb = match bias {
            Some(bv) => Bias::PerRow(&bv[g * mg..(g + 1) * mg]),
            None => Bias::None,
        };
        gemm(gs, w, &cols, gb, &mut c);
        for o in 0..mg {
            for b in 0..shape.batch {
                let dst = (b * shape.out_channels + g * mg + o) * plane;
                values[dst..dst + plane]
                    .copy_from_slice(&c[o * n + b * plane..o * n + (b + 1) * plane]);
            }
        }
    }
    values
}
