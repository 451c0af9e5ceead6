//! Networks that run on real data: the digits data set shipped in the repository
//! ([`data`]) and a small, bit-reproducible trainer ([`train`]) that produces the checkpoints
//! under `data/networks/`.
//!
//! This is the crate's top layer: it may use every layer below it (`datapath`, `quant`,
//! `accel`, `cost`), and nothing imports it.

pub mod data;
pub mod train;
