//! Sparse operands: storage layouts with exact byte counts, and GEMM / conv2d kernels that
//! skip or gate zero MACs.
//!
//! - [`Layout`], [`storage_bytes`], [`StorageBytes`]: dense, bitmap, CSR, CSC and N:M
//!   (values plus a `⌈log2 m⌉`-bit position per kept value) with values and metadata in
//!   bytes, index widths chosen from the shape ([`index_bits`]).
//! - [`SparseMatrix`]: a matrix encoded in a layout (the stored entries the kernels issue);
//!   [`SparseMatrix::encode`] writes out the layout's arrays ([`Encoded`]), whose lengths give
//!   the same bytes.
//! - [`IntDatapath::sparse_gemm`](crate::datapath::IntDatapath::sparse_gemm) and
//!   [`sparse_conv2d`](crate::datapath::IntDatapath::sparse_conv2d): zero MACs skipped
//!   ([`ZeroHandling::Skip`]) or gated ([`ZeroHandling::Gate`]), counted in
//!   [`SparseStats`], bit-identical to the dense kernel on the same matrix.
//!
//! Pruning a dense tensor into one of these patterns is in [`crate::quant`]
//! (`prune_*`); the accelerator's sparse modes are in [`crate::accel`]. See
//! `docs/sparsity.md`.

mod encoded;
mod kernels;
mod matrix;
mod storage;

pub use encoded::Encoded;
pub use kernels::{SparseOutput, SparseStats, ZeroHandling};
pub use matrix::SparseMatrix;
pub use storage::{Layout, StorageBytes, check_nm, index_bits, nm_index_bits, storage_bytes};
