//! # arithsim
//!
//! A bit-accurate simulator of hardware arithmetic that also says what it costs.
//!
//! One operation can be looked at four ways, and the crate keeps them consistent:
//!
//! 1. the **value**: the bit-exact result and flags, as the hardware produces them (integers
//!    of any width, fixed point, floating point of any exponent/mantissa width, every
//!    rounding mode) — [`repr`], [`round`], [`fixed`], [`float`];
//! 2. the **circuit**: a gate-level netlist computing that same value, with its gate count,
//!    depth and switching activity — [`gates`], [`circuits`];
//! 3. the **cost**: area and energy per operation, from published tables (Horowitz, ISSCC 2014,
//!    45 nm, embedded) or from the circuit's own cells and toggles — [`cost`];
//! 4. the **workload**: dot products, GEMMs and convolutions run through an INT8 / FP16 / BF16
//!    / FP8 / FP32 datapath or a MAC-array accelerator (Tesla FSD NPU preset), every operation
//!    counted and priced — [`datapath`], [`quant`], [`accel`].
//!
//! # The four views of one INT8 multiply
//!
//! ```
//! use arithsim::circuits::adders::AdderKind;
//! use arithsim::circuits::multipliers::dadda_multiplier;
//! use arithsim::Signedness;
//! use arithsim::cost::{CostTable, OpKind, gate_cost_random};
//! use arithsim::datapath::{IntArith, IntDatapath};
//! use arithsim::gates::CellLibrary;
//! use arithsim::repr::Bits;
//!
//! // 1. The value: -7 × 13 as an INT8 multiplier produces it, a 16-bit two's-complement pattern.
//! let product = Bits::from_i128(-7 * 13, 16)?;
//! assert_eq!(product.to_binary_grouped(), "1111 1111 1010 0101");
//!
//! // 2. The circuit: a Dadda-tree multiplier netlist computes the same bits.
//! let net = dadda_multiplier(8, 8, Signedness::Signed, AdderKind::KoggeStone)?;
//! let out = net.eval_u64(&[("a", &[(-7i8) as u8 as u64]), ("b", &[13])])?;
//! assert_eq!(out.get("product")?[0], product.to_u128());
//! println!("{} gates, depth {}", net.stats().gates, net.stats().depth);
//!
//! // 3. The cost: the published table's figure, and the circuit's own from its cells and toggles.
//! let table = CostTable::horowitz_45nm();
//! assert_eq!(table.price(OpKind::IntMul { bits: 8 })?.energy_pj.mid(), 0.2);
//! let gate = gate_cost_random(&net, &CellLibrary::nangate45(), 1024, 1)?;
//! println!("{:.0} µm², {:.3} pJ/op at 0.9 V", gate.area_um2, gate.energy_pj_at(0.9));
//!
//! // 4. The workload: a dot product through the INT8 → INT32 datapath, counted and priced.
//! let dp = IntDatapath::new(IntArith::INT8_INT32)?;
//! let dot = dp.dot(&[-7, 100], &[13, 2])?;
//! assert_eq!(dot.values, [-91 + 200]);
//! assert_eq!(dot.tally.count(OpKind::IntMac { mul_bits: 8, acc_bits: 32 }), 2);
//! let priced = table.estimate(&dot.tally);
//! assert!((priced.energy_pj.mid() - 2.0 * (0.2 + 0.1)).abs() < 1e-9);
//! # Ok::<(), arithsim::Error>(())
//! ```
//!
//! Layers import only from the ones before them in this list: [`repr`], [`round`], [`fixed`],
//! [`float`], [`gates`], [`circuits`], [`cost`], [`datapath`], [`quant`], [`accel`], [`nn`],
//! [`sweep`]. Public
//! functions that take user input return [`Result`]; bad widths, formats, strings, tables and
//! shapes are [`Error`] values, never panics.
//!
//! Feature `proptest`: `arithsim::testing` exports proptest strategies (float patterns with
//! the special values weighted in, halfway cases, fixed values, bit patterns, kernel shapes)
//! and `Arbitrary` for the typed floats, for property-testing your code against arithsim
//! (`docs/property-testing.md`).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod names;

pub mod accel;
pub mod circuits;
pub mod cost;
pub mod datapath;
pub mod fixed;
pub mod float;
pub mod gates;
pub mod limits;
pub mod nn;
pub mod quant;
pub mod repr;
pub mod round;
pub mod sweep;
#[cfg(feature = "proptest")]
pub mod testing;

pub use error::{Error, Result};
/// The random-number traits of [`cost::SplitMix64`] (`Rng::next_u64`,
/// `SeedableRng::seed_from_u64`), re-exported so callers need no dependency of their own.
pub use rand_core;
pub use repr::{Overflow, Signedness};
