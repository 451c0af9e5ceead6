//! Gate-level multipliers: partial-product generation, reduction and a final adder.
//!
//! (Netlist generators arrive with the gates layer; the planning and recoding pieces below are
//! pure functions.)

mod baugh_wooley;
mod booth;
mod logic;
mod matrix;
pub mod plan;
mod reduce;

pub use booth::{booth_digit, booth_digits, booth_rows};

/// Whether operands are unsigned or two's-complement signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Signedness {
    /// Unsigned binary.
    Unsigned,
    /// Two's complement.
    Signed,
}

/// How the partial-product bits are summed to two rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reduction {
    /// Row by row into a carry-save pair: depth grows linearly with the rows.
    Array,
    /// Wallace tree: greedy 3:2 and 2:2 counters in every stage.
    Wallace,
    /// Dadda tree: as few counters as possible per stage, heights 2, 3, 4, 6, 9, ...
    Dadda,
}
