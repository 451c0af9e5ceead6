//! Gate-level netlists: IR, builder, bit-parallel simulator, stats and cell libraries.
//!
//! * [`Builder`] adds gates in topological order (so no combinational loop can be built),
//!   folds constants, records half adders, full adders, muxes and prefix cells as
//!   [cells](CellKind), keeps hierarchical labels and registers.
//! * [`Netlist`] is the finished, flat node list (16 bytes per node) with named ports.
//! * [`Simulator`] evaluates `64 * words` vectors per batch, one bitwise op per gate per word;
//!   [`Netlist::eval_u64`] / [`Simulator::run`] are the integer batch and streaming API, and
//!   toggle counting gives switching [`Activity`].
//! * [`Netlist::stats`], [`Netlist::timing`], [`Netlist::instances`] and [`CellLibrary`]
//!   give counts, depth, delay, area and per-wire loads.
//! * [`TimedSimulator`] is the glitch-aware engine: transport delays of [`TimedDelays`]
//!   integer units, every transition counted (glitches included), 64 streams per word.
//!
//! Gate-derived energy from activity, for the cost layer: run with
//! [`Simulator::set_activity`] on, then per library-cell instance
//! ([`Netlist::instances`], [`Activity::instance_toggles`]) add
//! `toggles × internal_energy_fj` of its [`LibCell`], and per wire add
//! `toggles × ½·C·V²` with `C` from [`Netlist::wire_loads_ff`] and `V` from
//! [`CellLibrary::voltage_v`] ([`CellLibrary::switching_energy_fj`]).
//!
//! # Examples
//!
//! ```
//! use arithsim::gates::{Builder, CellLibrary};
//!
//! let mut b = Builder::new();
//! let x = b.input("x", 3)?;
//! let (s, c) = b.full_adder(x[0], x[1], x[2]);
//! b.output("s", &[s])?;
//! b.output("c", &[c])?;
//! let net = b.finish()?;
//! let out = net.eval_u64(&[("x", &[0b111, 0b010])])?;
//! assert_eq!(out.get("s")?, &[1, 1]);
//! assert_eq!(out.get("c")?, &[1, 0]);
//! let stats = net.stats();
//! assert_eq!((stats.gates, stats.total_cells(), stats.depth), (5, 1, 3));
//! assert_eq!(net.area_um2(&CellLibrary::nangate45()), 4.256);
//! # Ok::<(), arithsim::Error>(())
//! ```

mod batch;
mod builder;
mod cells;
mod composite;
pub mod hdl;
pub mod liberty;
mod netlist;
mod program;
mod sim;
mod sta;
mod sta_power;
mod stats;
mod sweep;
mod timed;
pub(crate) mod timed_delays;
pub(crate) mod timed_program;
mod timing;

pub use batch::{BatchOutput, Operand, transpose64};
pub use builder::{Builder, MAX_PORT_WIDTH};
pub use cells::{CellData, CellLibrary, LibCell, NANGATE45_CSV};
pub use netlist::{CellKind, CellRecord, Netlist, Node, Op, Operands, Port, Register, Wire};
pub use sim::{Activity, MAX_WORDS, Simulator};
pub use sta::{PathStep, StaOptions, StaTiming};
pub use sta_power::{InternalPowerModel, NldmPower, PowerActivity};
pub use stats::{LabelStats, Stats};
pub use timed::TimedSimulator;
pub use timed_delays::{DEFAULT_RESOLUTION_NS, MAX_DELAY_UNITS, TimedDelays};
pub use timing::{Instance, Timing};
