//! Circuits in and out: structural Verilog and BLIF export, Verilog netlist import and VCD
//! waveforms.
//!
//! * [`Netlist::to_verilog`](crate::gates::Netlist::to_verilog) writes one module (bus ports,
//!   one `assign` per gate, registers in an `always @(posedge clk)` block, recorded cells
//!   optionally as instances of cell modules — [`VerilogOptions`]);
//! * [`Netlist::to_blif`](crate::gates::Netlist::to_blif) writes BLIF (`.names` covers,
//!   `.latch`), bit-blasted as `a[0]`, `a[1]`, ...;
//! * [`Netlist::to_transport_verilog`](crate::gates::Netlist::to_transport_verilog) writes
//!   the timed simulator's cells with transport delays, for Icarus Verilog to count glitches;
//! * [`read_verilog`] reads the structural subset back (and netlists from other tools);
//! * [`Vcd`] records chosen ports and internal signals of a simulation as an IEEE 1364 VCD.
//!
//! All of them work on the flat [`Netlist`](crate::gates::Netlist), which is why they live in
//! `gates`; nothing here knows about particular circuits.
//!
//! # Examples
//!
//! ```
//! use arithsim::circuits::adders::{adder, AdderKind};
//! use arithsim::gates::hdl::{read_verilog, VerilogOptions};
//!
//! let net = adder(AdderKind::KoggeStone, 8)?;
//! let text = net.to_verilog(&VerilogOptions::new("ks8"))?;
//! let back = read_verilog(&text)?;
//! assert_eq!(back.stats().gates, net.stats().gates);
//! let out = back.eval_u64(&[("a", &[200]), ("b", &[100]), ("cin", &[1])])?;
//! assert_eq!((out.get("sum")?[0], out.get("cout")?[0]), (45, 1));
//! # Ok::<(), arithsim::Error>(())
//! ```

mod blif;
mod liberty_out;
mod names;
mod vcd;
mod verilog_in;
mod verilog_out;
mod verilog_timed;

pub use vcd::Vcd;
pub use verilog_in::{read_verilog, read_verilog_module, read_verilog_with_library};
pub use verilog_out::VerilogOptions;

/// The guide `docs/hdl.md`, included here so that its examples compile (and run, unless marked
/// `no_run`) as doctests and cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/hdl.md")]
pub struct HdlGuide;
