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
//! - 4-bit weight formats for large models: [`Int4Grouped`] (GPTQ/AWQ INT4 groups, packed
//!   eight per `u32`), [`Blockwise4`] (QLoRA's NF4 and FP4 E2M1 with block-wise absmax, two
//!   per byte) with [`DoubleQuantized`] absmax constants; [`WeightFormat`] counts the
//!   [`StorageBits`] of every format exactly and round-trips a matrix for error tables;
//!   [`normal_tensor`] and [`student_t_tensor`] make reproducible test weights.
//! - Magnitude pruning ([`prune_unstructured`], [`prune_global`], [`prune_rows`],
//!   [`prune_n_m`]) returning the mask and the pruned tensor ([`Pruned`]).
//!
//! Every rounding goes through [`crate::round`].

mod affine;
mod blockwise;
mod double_quant;
mod fixed_point;
mod int4_group;
mod mx;
mod nf4;
mod prune;
mod qgemm;
mod storage;
mod synthetic;

pub use affine::{IntType, PerChannelParams, QuantParams, Symmetry};
pub use blockwise::Blockwise4;
pub use double_quant::{DoubleQuantized, DqCode};
pub use fixed_point::{
    QuantizedMultiplier, Requantization, rounding_divide_by_pot,
    saturating_rounding_doubling_high_mul,
};
pub use int4_group::Int4Grouped;
pub use mx::{E8M0_NAN, MX_BLOCK_SIZE, MxBlock, MxElement, mx_dequantize, mx_quantize};
pub use nf4::{Code4, NF4_LEVELS, NF4_ZERO_CODE, nf4_thresholds};
pub use prune::{Pruned, apply_mask, prune_global, prune_n_m, prune_rows, prune_unstructured};
pub use qgemm::{
    FusedActivation, QuantLayerParams, QuantOutput, WeightParams, quantized_conv2d, quantized_gemm,
};
pub use storage::{StorageBits, WeightFormat};
pub use synthetic::{normal_tensor, student_t_tensor};

/// `docs/quantization.md`, whose Rust snippets run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../docs/quantization.md")]
pub struct QuantizationGuide;
