//! Quantization: affine INT8/INT4, OCP MX block formats, integer-only requantization.
//!
//! - [`affine`](QuantParams): scale and zero point from a range, symmetric or asymmetric,
//!   per tensor or per channel ([`PerChannelParams`]), for [`IntType`]s int8, narrow int8
//!   (TFLite weights), uint8 and int4; quantize/dequantize with a
//!   [`RoundingMode`](crate::round::RoundingMode) and saturation.
//! - Integer-only requantization exactly as gemmlowp / TensorFlow Lite:
//!   [`QuantizedMultiplier`], [`saturating_rounding_doubling_high_mul`],
//!   [`rounding_divide_by_pot`].
//!
//! - OCP Microscaling block formats ([`MxBlock`], [`MxElement`]): E8M0 shared scale per 32
//!   elements, FP8/FP6/FP4/INT8 elements, bit-exact conversion and an exact dot product.
//!
//! - Quantized GEMM and conv2d ([`quantized_gemm`], [`quantized_conv2d`]) as TFLite's int8
//!   kernels compute them, through the counted INT8 [datapath](crate::datapath).
//!
//! - Magnitude pruning ([`prune_unstructured`], [`prune_global`], [`prune_rows`],
//!   [`prune_n_m`]) returning the mask and the pruned tensor ([`Pruned`]).
//!
//! Every rounding goes through [`crate::round`].

mod affine;
mod fixed_point;
mod mx;
mod prune;
mod qgemm;

pub use affine::{IntType, PerChannelParams, QuantParams, Symmetry};
pub use fixed_point::{
    QuantizedMultiplier, Requantization, rounding_divide_by_pot,
    saturating_rounding_doubling_high_mul,
};
pub use mx::{E8M0_NAN, MX_BLOCK_SIZE, MxBlock, MxElement, mx_dequantize, mx_quantize};
pub use prune::{Pruned, apply_mask, prune_global, prune_n_m, prune_rows, prune_unstructured};
pub use qgemm::{
    FusedActivation, QuantLayerParams, QuantOutput, WeightParams, quantized_conv2d, quantized_gemm,
};
