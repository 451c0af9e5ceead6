//! MAC-array accelerator models (Tesla FSD NPU preset): mapping, cycles, TOPS, energy.
//!
//! (Being built: see issue 7.)
