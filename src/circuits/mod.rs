//! Circuit generators on the netlist: adders, multipliers, MAC units.
//!
//! (Being built: see issues 4 and 5.)

pub mod multipliers;
