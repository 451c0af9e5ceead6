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
