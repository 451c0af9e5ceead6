//! Quantization: affine INT8/INT4, OCP MX block formats, integer-only requantization.
//!
//! (Being built: see issue 7.)
