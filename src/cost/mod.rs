//! Costs: operation kinds, tallies, cost tables, estimates and reports.
//!
//! (Being built: see issue 6.)
