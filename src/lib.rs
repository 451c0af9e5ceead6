//! # arithsim
//!
//! A bit-accurate simulator of hardware arithmetic that also says what it costs.
//!
//! One operation can be looked at four ways, and the crate keeps them consistent:
//! the **value** (bit-exact result and flags), the **circuit** (a gate-level netlist that
//! computes the same value), the **cost** (area and energy per operation) and the
//! **workload** (kernels run through a datapath, every operation counted and priced).
//!
//! Layers, each importing only from the ones before it: [`repr`], [`round`], [`fixed`],
//! [`float`], [`gates`], [`circuits`], [`cost`], [`datapath`], [`quant`], [`accel`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;

pub mod accel;
pub mod circuits;
pub mod cost;
pub mod datapath;
pub mod fixed;
pub mod float;
pub mod gates;
pub mod quant;
pub mod repr;
pub mod round;

pub use error::{Error, Result};
