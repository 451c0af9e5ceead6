//! Kernels (dot, GEMM, conv2d) on a chosen arithmetic, counted and priced.
//!
//! (Being built: see issue 7.)
