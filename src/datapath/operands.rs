//! The two tensors of a layer, named so that a call cannot swap them.

/// The weights and the input of a layer (GEMM or convolution), by name.
///
/// Both are slices of the same type, so positional arguments would let a swap compile; every
/// layer kernel (`conv2d` of the three datapaths, `quant::quantized_gemm`,
/// `quant::quantized_conv2d`) takes this struct instead, built with field names.
/// For a GEMM the weights are `A` (`M × K`) and the input `B` (`K × N`); for a convolution
/// the weights are OIHW and the input NCHW (see [`Conv2dShape`](super::Conv2dShape)).
///
/// # Examples
///
/// ```
/// use arithsim::datapath::{Bias, Conv2dDims, Conv2dShape, IntArith, IntDatapath, LayerOperands};
///
/// let dp = IntDatapath::new(IntArith::INT8_INT32)?;
/// let shape = Conv2dShape::new(Conv2dDims { batch: 1, in_channels: 1, in_height: 2, in_width: 2, out_channels: 1, kernel_height: 1, kernel_width: 1 })?;
/// let out = dp.conv2d(
///     &shape,
///     LayerOperands { weights: &[3i8], input: &[1i8, 2, 3, 4] },
///     Bias::None,
/// )?;
/// assert_eq!(out.values, [3, 6, 9, 12]);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayerOperands<'a, T> {
    /// The layer's weights: `A` of a GEMM, OIHW for a convolution.
    pub weights: &'a [T],
    /// The layer's input: `B` of a GEMM, NCHW for a convolution.
    pub input: &'a [T],
}

/// The two matrices of a GEMM `C = bias + A · B`, by name.
///
/// `a` is `A`, `M × K` row-major; `b` is `B`, `K × N` row-major (see
/// [`GemmShape`](super::GemmShape)). Both are slices of the same type, so the GEMM kernels of
/// the three datapaths take this struct rather than two positional slices, which would let a
/// swap compile. A layer's [`LayerOperands`] converts into it (weights = `A`,
/// input = `B`).
///
/// # Examples
///
/// ```
/// use arithsim::datapath::{Bias, GemmOperands, GemmShape, IntArith, IntDatapath};
///
/// let dp = IntDatapath::new(IntArith::INT8_INT32)?;
/// // A is 1 × 2, B is 2 × 1: the struct literal names every dimension.
/// let shape = GemmShape { m: 1, n: 1, k: 2 };
/// let out = dp.gemm(shape, GemmOperands { a: &[2i8, 3], b: &[5i8, 7] }, Bias::None)?;
/// assert_eq!(out.values, [2 * 5 + 3 * 7]);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GemmOperands<'a, T> {
    /// `A`, `M × K` row-major.
    pub a: &'a [T],
    /// `B`, `K × N` row-major.
    pub b: &'a [T],
}

impl<'a, T> From<LayerOperands<'a, T>> for GemmOperands<'a, T> {
    /// A layer's weights are `A` and its input `B`.
    fn from(layer: LayerOperands<'a, T>) -> Self {
        Self {
            a: layer.weights,
            b: layer.input,
        }
    }
}
