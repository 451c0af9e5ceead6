//! Gate-level netlists: IR, builder, bit-parallel simulator, stats and cell libraries.
//!
//! (Being built: see issue 4.)
