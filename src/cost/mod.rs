//! Costs: operation kinds, tallies, cost tables, estimates and reports.
//!
//! - [`OpKind`] names an operation with the widths or format that set its cost;
//!   [`FloatKind`], [`NumKind`] and [`MemLevel`] are the plain descriptors it uses (`cost`
//!   does not depend on `float` or `fixed`; the datapath maps its formats onto these).
//! - [`Tally`] counts operations by kind. Pricing a tally with a table is a separate step.

mod op;
mod tally;

pub use op::{FloatKind, MemLevel, NumKind, OpKind};
pub use tally::Tally;
