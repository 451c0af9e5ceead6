//! Gate-level multipliers: partial-product generation, reduction and a final adder.
//!
//! A multiplier is three choices ([`MultiplierSpec`]):
//!
//! | stage | options |
//! |---|---|
//! | partial products ([`PartialProducts`]) | AND array (unsigned), Baugh-Wooley (signed), radix-4 Booth (either) |
//! | reduction ([`Reduction`]) | array (row by row), Wallace tree, Dadda tree, 4:2-compressor tree |
//! | final adder ([`AdderKind`](crate::circuits::adders::AdderKind)) | any of the crate's adders |
//!
//! plus the product width ([`ProductWidth`]): full `n + m` bits or the low half. Trees are
//! built stage by stage (a stage's carries feed the next stage), so their depth grows with
//! the number of stages (4 / 6 / 8 for 8 / 16 / 32 bits), not with the width. No cell computes
//! a carry beyond the product's top bit.
//!
//! Generated netlists have inputs `a` (`n` bits), `b` (`m` bits) and output `product`.
//! [`plan`] holds the pure column-height planning (Dadda's 2, 3, 4, 6, 9, ... sequence and
//! Wallace's greedy stages); [`booth_digits`] the Booth recoding table.
//!
//! # Examples
//!
//! ```
//! use arithsim::circuits::adders::AdderKind;
//! use arithsim::circuits::multipliers::{dadda_multiplier, Signedness};
//! use arithsim::gates::CellKind;
//!
//! let net = dadda_multiplier(8, 8, Signedness::Signed, AdderKind::KoggeStone)?;
//! let out = net.eval_u64(&[("a", &[0x80, 0x7F]), ("b", &[0x80, 0xFF])])?;
//! assert_eq!(out.get("product")?, &[16384, 0xFF81]); // -128·-128, 127·-1
//! let unsigned = dadda_multiplier(8, 8, Signedness::Unsigned, AdderKind::RippleCarry)?.stats();
//! assert_eq!(unsigned.cell_count(CellKind::FullAdder), 35 + 13); // tree + final adder
//! # Ok::<(), arithsim::Error>(())
//! ```

mod baugh_wooley;
mod booth;
mod build;
mod compressor;
pub(crate) mod logic;
mod matrix;
mod netlogic;
pub mod plan;
mod reduce;

pub use booth::{booth_digit, booth_digits, booth_rows};
pub use build::{
    MAX_MULTIPLIER_WIDTH, MultiplierOutput, MultiplierSpec, array_multiplier, booth_multiplier,
    build_multiplier, dadda_multiplier, wallace_multiplier,
};
pub(crate) use build::{add_partial_products, check_signedness};
pub(crate) use logic::{Bit, Logic};
pub(crate) use matrix::PpMatrix;
pub(crate) use netlogic::{NetLogic, bits};
pub(crate) use reduce::{final_add, reduce};

/// Whether operands are unsigned or two's-complement signed: the crate's one signedness
/// ([`crate::Signedness`], defined in [`crate::repr`]).
pub use crate::repr::Signedness;

/// How the partial products are generated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PartialProducts {
    /// `a_i & b_j` for every pair: unsigned only.
    AndArray,
    /// Baugh-Wooley: the AND array with complemented sign-cross terms and a constant: signed only.
    BaughWooley,
    /// Radix-4 modified Booth recoding of `b`, with the sign-extension trick: either signedness.
    Booth4,
}

impl PartialProducts {
    /// Every generator.
    pub const ALL: [PartialProducts; 3] = [Self::AndArray, Self::BaughWooley, Self::Booth4];

    /// A short name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::AndArray => "and-array",
            Self::BaughWooley => "baugh-wooley",
            Self::Booth4 => "booth4",
        }
    }
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
    /// Tree of 4:2 compressors (two full adders with a lateral carry): each stage roughly
    /// halves the column heights.
    Compressor42,
}

impl Reduction {
    /// Every reduction.
    pub const ALL: [Reduction; 4] = [Self::Array, Self::Wallace, Self::Dadda, Self::Compressor42];

    /// A short name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Array => "array",
            Self::Wallace => "wallace",
            Self::Dadda => "dadda",
            Self::Compressor42 => "4:2-compressor",
        }
    }
}

/// Prints [`PartialProducts::name`], which `FromStr` reads back.
impl std::fmt::Display for PartialProducts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Prints [`Reduction::name`], which `FromStr` reads back.
impl std::fmt::Display for Reduction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for PartialProducts {
    type Err = crate::Error;

    /// Parses [`PartialProducts::name`] back (`"and-array"`, `"baugh-wooley"`, `"booth4"`)
    /// or the variant name, case-insensitively (`"booth"` too).
    ///
    /// # Errors
    ///
    /// [`Error::Parse`](crate::Error::Parse) naming the input and listing the names.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::circuits::multipliers::PartialProducts;
    /// assert_eq!("booth4".parse::<PartialProducts>()?, PartialProducts::Booth4);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    fn from_str(s: &str) -> crate::Result<Self> {
        crate::names::lookup(
            "partial-product generator",
            s,
            &[
                (&["and-array", "AndArray", "and"], Self::AndArray),
                (&["baugh-wooley", "BaughWooley"], Self::BaughWooley),
                (&["booth4", "booth", "radix-4 booth"], Self::Booth4),
            ],
        )
    }
}

impl std::str::FromStr for Reduction {
    type Err = crate::Error;

    /// Parses [`Reduction::name`] back (`"array"`, `"wallace"`, `"dadda"`,
    /// `"4:2-compressor"`) or the variant name, case-insensitively.
    ///
    /// # Errors
    ///
    /// [`Error::Parse`](crate::Error::Parse) naming the input and listing the names.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::circuits::multipliers::Reduction;
    /// assert_eq!("Dadda".parse::<Reduction>()?, Reduction::Dadda);
    /// assert_eq!("4:2".parse::<Reduction>()?, Reduction::Compressor42);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    fn from_str(s: &str) -> crate::Result<Self> {
        crate::names::lookup(
            "partial-product reduction",
            s,
            &[
                (&["array"], Self::Array),
                (&["wallace"], Self::Wallace),
                (&["dadda"], Self::Dadda),
                (
                    &["4:2-compressor", "Compressor42", "4:2"],
                    Self::Compressor42,
                ),
            ],
        )
    }
}

/// Which product bits a multiplier computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ProductWidth {
    /// All `n + m` bits.
    Full,
    /// The low `max(n, m)` bits (a wrapping multiply; identical for both signednesses).
    Low,
}

// Written as the printed name, read back through `FromStr`.
#[cfg(feature = "serde")]
crate::names::serde_via_str!(PartialProducts, Reduction);
