//! Circuit generators on the [`gates`](crate::gates) netlist: adders and carry chains,
//! multipliers, MAC units, floating-point units.
//!
//! Every generator comes in two forms: a plain function returning a finished
//! [`Netlist`](crate::gates::Netlist) with named ports (`kogge_stone_adder(32)`), and a
//! `build_*` function that adds the same logic to an existing
//! [`Builder`](crate::gates::Builder), for composing larger circuits.

pub mod adders;
pub mod fp;
pub mod mac;
pub mod multipliers;

/// The guide `docs/circuits.md`, included here so that its examples compile (and run, unless marked
/// `no_run`) as doctests and cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../docs/circuits.md")]
pub struct CircuitsGuide;
