//! Costs: operation kinds, tallies, cost tables, estimates and reports.
//!
//! - [`OpKind`] names an operation with the widths or format that set its cost;
//!   [`FloatKind`], [`NumKind`] and [`MemLevel`] are the plain descriptors it uses (the
//!   tables and tallies do not depend on `float` or `fixed`; the datapath maps its formats
//!   onto these).
//! - [`Tally`] counts operations by kind. Pricing a tally with a table is a separate step.
//! - [`CostTable`] holds published rows ([`CostTable::horowitz_45nm`] is the embedded
//!   default); [`CostTable::price`] prices any kind, deriving missing widths and formats by
//!   documented [`Rule`]s and saying so; [`CostTable::scaled`] moves a table to another
//!   node and voltage as an explicit, labelled step.
//!
//! - Gate-derived costs: [`gate_cost_with`], [`gate_cost_random`], [`gate_cost_clocked`]
//!   (registers stepped clock by clock) and [`gate_cost_from_activity`] price any netlist
//!   from its cells and switching; [`label_breakdown`] says where its area and critical path
//!   go; [`fp_unit_figures`] and [`mac_comparison`] build the floating-point units of
//!   [`circuits::fp`](crate::circuits::fp) (and the INT8 MAC) and give their structure and
//!   cost on random and NN-like operands ([`OperandMix`]).
//!
//! The model and every rule are written down in `docs/cost-model.md`.

mod breakdown;
pub(crate) mod count;
mod estimate;
mod fp_units;
mod gate_cost;
mod glitch_cost;
mod horowitz;
mod io;
mod kinds;
mod nldm_energy;
mod op;
mod price;
pub mod report;
mod scaling;
mod span;
mod table;
mod tally;

pub use breakdown::{LabelCost, label_breakdown};
pub use estimate::{AreaEstimate, Design, Estimate, EstimateLine};
pub use fp_units::{
    FpUnit, INT8_MAC_NAME, MAC_COMPARISON, OperandMix, UnitFigures, float_operands, format_name,
    fp_unit_figures, int_mac_figures, int_operands, mac_comparison, mac_operands,
};
pub use gate_cost::{
    GateCost, SplitMix64, gate_cost_clocked, gate_cost_from_activity, gate_cost_random,
    gate_cost_with,
};
pub use glitch_cost::{
    GlitchCost, fp_unit_glitch_cost, glitch_cost_clocked, glitch_cost_random, glitch_cost_with,
};
pub use horowitz::HOROWITZ_SOURCE;
pub use io::TableFormat;
pub use kinds::{FloatKind, NumKind};
pub use nldm_energy::{NldmEnergy, nldm_energy};
pub use op::{MemLevel, OpKind};
pub use price::{Basis, Price, Rule};
pub use scaling::{ENERGY_MODELS, EnergyModel, Flavor, ScaleStep, area_factor, energy_model};
pub use span::{Span, energy_text, energy_unit, sig};
pub use table::{CostRow, CostTable};
pub use tally::Tally;

/// The guide `docs/cost-model.md`, included here so that its examples compile (and run, unless marked
/// `no_run`) as doctests and cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../docs/cost-model.md")]
pub struct CostModelGuide;
