//! Kernels (dot, GEMV, GEMM, conv2d, elementwise add, ReLU) on a chosen arithmetic, every
//! operation counted in a [`Tally`](crate::cost::Tally), and their error against f64.
//!
//! The model is described in `docs/datapath.md`: arithmetic configurations ([`IntArith`]),
//! accumulation order ([`AccumulationOrder`]), tensor layouts ([`GemmShape`], row-major;
//! [`Conv2dShape`], NCHW / OIHW), the memory-traffic model ([`MemoryModel`]) and the error
//! metrics ([`ErrorStats`] for kernel outputs, [`ErrorMetrics`] for a circuit against a
//! reference function).
//!
//! # Conventions
//!
//! * **Initial accumulator values** are one type, [`Bias`], in every kernel that takes them
//!   (`gemm`, `gemv`, `conv2d`, `sparse_gemm`, `sparse_conv2d`, and the quantized kernels of
//!   [`quant`](crate::quant)); a convolution reads it in its GEMM view (per output channel,
//!   per output position, or per output element).
//! * **Integer overflow** is [`Overflow`] (wrapping or saturating) and **signedness** is
//!   [`Signedness`](crate::Signedness), the same types the circuits use; widths that count
//!   bits end in `_bits` (`mul_bits`, `acc_bits`).
//! * **Results** name the same meaning the same way:
//!   - `values`: numbers — integer results ([`IntOutput`]), raw fixed-point values
//!     ([`FixedOutput`]), quantized outputs ([`QuantOutput`](crate::quant::QuantOutput));
//!   - `bits`: raw encodings only — floating-point results as bit patterns of the
//!     accumulate format ([`FloatOutput`]);
//!   - `tally`: every counted operation;
//!   - status: `flags` for the union of the IEEE flags of floating-point steps,
//!     `saturations` for the number of integer additions clamped to the accumulator's range
//!     (0 when wrapping), `overflows` for the number of fixed-point steps whose exact result
//!     left the accumulator's range (wrapped or clamped);
//!   - `activity`: switching activity, where the gate-level engine produces it.
//!
//! # Examples
//!
//! ```
//! use arithsim::cost::OpKind;
//! use arithsim::datapath::{IntArith, IntDatapath};
//!
//! let dp = IntDatapath::new(IntArith::INT8_INT32)?;
//! let out = dp.dot(&[100i8, -100, 127], &[127i8, 127, 127])?;
//! assert_eq!(out.values, [127 * 127]);
//! assert_eq!(out.tally.count(OpKind::IntMac { mul_bits: 8, acc_bits: 32 }), 3);
//! # Ok::<(), arithsim::Error>(())
//! ```

mod arith_names;
mod bias;
mod circuit_error;
mod conv;
pub(crate) use conv::check_conv_bias;
mod error_metrics;
mod fixed_kernels;
mod float_arith;
mod float_gate_engine;
mod float_kernels;
mod gate_engine;
mod int_arith;
mod int_kernels;
mod memory;
mod operands;
mod order;
mod shape;
pub mod sparse;

/// What an integer accumulator does when a sum leaves its range: the crate's one integer
/// overflow policy ([`crate::Overflow`], defined in [`crate::repr`]), the same type as
/// [`circuits::mac::Overflow`](crate::circuits::mac::Overflow). Unlike
/// [`float::OverflowPolicy`](crate::float::OverflowPolicy) (what a floating-point result past
/// the largest finite value becomes), it says how an exact integer sum is reduced to
/// `acc_bits`.
pub use crate::repr::Overflow;
pub use bias::Bias;
pub use circuit_error::{EXHAUSTIVE_INPUT_BITS, ErrorMetrics, InputDomain};
pub use error_metrics::{ErrorStats, OutputGrid};
pub use fixed_kernels::{FixedArith, FixedDatapath, FixedOutput};
pub use float_arith::{FloatArith, ProductRounding};
pub use float_kernels::{FloatDatapath, FloatOutput};
pub use gate_engine::Engine;
pub use int_arith::IntArith;
pub use int_kernels::{IntDatapath, IntOperand, IntOutput};
pub use memory::{LevelBytes, MemoryModel, Tile, Traffic, memory_bytes};
pub use operands::{GemmOperands, LayerOperands};
pub use order::AccumulationOrder;
pub use shape::{Conv2dDims, Conv2dShape, GemmShape};
