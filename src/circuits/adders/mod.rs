//! Adders and carry chains, any width from 1 to 128 bits (the `build_*` forms accept up to
//! 4096 bits inside larger circuits).
//!
//! Every adder computes `sum = a + b + cin` and `cout`, and is picked by an [`AdderKind`]:
//!
//! | kind | structure |
//! |---|---|
//! | [`RippleCarry`](AdderKind::RippleCarry) | chain of full adders |
//! | [`CarryLookahead`](AdderKind::CarryLookahead) | multi-level lookahead tree of `block`-input lookahead units |
//! | [`CarrySelect`](AdderKind::CarrySelect) | ripple blocks computed for carry 0 and 1, selected by muxes |
//! | [`CarrySkip`](AdderKind::CarrySkip) | ripple blocks with a bypass when the block propagates |
//! | [`ConditionalSum`](AdderKind::ConditionalSum) | recursive halves computed for both carries, mux-selected |
//! | [`Sklansky`](AdderKind::Sklansky), [`KoggeStone`](AdderKind::KoggeStone), [`BrentKung`](AdderKind::BrentKung), [`HanCarlson`](AdderKind::HanCarlson), [`LadnerFischer`](AdderKind::LadnerFischer) | parallel-prefix carry networks |
//!
//! Ports of the generated netlists: inputs `a`, `b` (width N) and `cin` (1 bit, absent in
//! the `*_without_carry_in` forms), outputs `sum` (N bits) and `cout` (1 bit).
//!
//! # Examples
//!
//! ```
//! use arithsim::circuits::adders::{adder, kogge_stone_adder, AdderKind};
//!
//! let ks = kogge_stone_adder(16)?;
//! let out = ks.eval_u64(&[("a", &[40_000]), ("b", &[30_000]), ("cin", &[1])])?;
//! assert_eq!(out.get("sum")?[0], (70_001 % 65_536) as u128);
//! assert_eq!(out.get("cout")?[0], 1);
//!
//! let cla = adder(AdderKind::CarryLookahead { block: 4 }, 13)?;
//! assert_eq!(cla.eval_u64(&[("a", &[8191]), ("b", &[1]), ("cin", &[0])])?.get("sum")?[0], 0);
//! # Ok::<(), arithsim::Error>(())
//! ```

mod derived;
mod lookahead;
mod prefix;
mod ripple;
mod select;

use crate::gates::{Builder, Netlist, Wire};
use crate::{Error, Result};

pub use derived::{
    adder_subtractor, build_add_sub, build_carry_save, build_equal, build_incrementer,
    build_less_than, carry_save_adder, equality_comparator, incrementer, less_than_comparator,
};
pub use prefix::{PrefixLevel, prefix_schedule};

/// Widest adder the netlist-returning generators build (the port limit).
pub const MAX_ADDER_WIDTH: u32 = crate::limits::ADDER_MAX_WIDTH;

/// Widest bus the `build_*` forms accept inside a larger circuit.
pub const MAX_BUILD_WIDTH: usize = crate::limits::BUILD_MAX_WIDTH;

/// Which adder architecture to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AdderKind {
    /// Ripple-carry: a chain of full adders.
    RippleCarry,
    /// Carry-lookahead with a multi-level tree of lookahead units of `block` inputs
    /// (`block >= 2`; 4 is the classic).
    CarryLookahead {
        /// Inputs per lookahead unit.
        block: u32,
    },
    /// Carry-select with ripple blocks of `block` bits (`block >= 1`).
    CarrySelect {
        /// Bits per block.
        block: u32,
    },
    /// Carry-skip (carry-bypass) with ripple blocks of `block` bits (`block >= 1`).
    CarrySkip {
        /// Bits per block.
        block: u32,
    },
    /// Conditional-sum: recursive halving, each half computed for carry-in 0 and 1.
    ConditionalSum,
    /// Sklansky (divide-and-conquer) prefix network.
    Sklansky,
    /// Kogge-Stone prefix network.
    KoggeStone,
    /// Brent-Kung prefix network.
    BrentKung,
    /// Han-Carlson prefix network (Kogge-Stone on odd bits, one more level for even bits).
    HanCarlson,
    /// Ladner-Fischer prefix network (Sklansky on odd bits, one more level for even bits).
    LadnerFischer,
}

impl AdderKind {
    /// Every architecture, with the default block size 4 where there is one.
    pub const ALL: [AdderKind; 10] = [
        AdderKind::RippleCarry,
        AdderKind::CarryLookahead { block: 4 },
        AdderKind::CarrySelect { block: 4 },
        AdderKind::CarrySkip { block: 4 },
        AdderKind::ConditionalSum,
        AdderKind::Sklansky,
        AdderKind::KoggeStone,
        AdderKind::BrentKung,
        AdderKind::HanCarlson,
        AdderKind::LadnerFischer,
    ];

    /// Checks the block-size parameter.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a lookahead block below 2 or a select/skip block of 0.
    pub fn validate(&self) -> Result<()> {
        let (block, min) = match *self {
            AdderKind::CarryLookahead { block } => (block, 2),
            AdderKind::CarrySelect { block } | AdderKind::CarrySkip { block } => (block, 1),
            _ => return Ok(()),
        };
        if block < min || block > MAX_BUILD_WIDTH as u32 {
            return Err(Error::param(
                "block size",
                block,
                format!("{} needs a block size in {min}..={MAX_BUILD_WIDTH}", self),
            ));
        }
        Ok(())
    }
}

/// Checks two operand buses for an adder inside a builder.
pub(crate) fn check_operands(b: &Builder, x: &[Wire], y: &[Wire]) -> Result<()> {
    if x.len() != y.len() {
        return Err(Error::Shape(format!(
            "adder operands have {} and {} bits; they must match",
            x.len(),
            y.len()
        )));
    }
    let w = u32::try_from(x.len()).unwrap_or(u32::MAX);
    Error::check_width("adder", w, 1, MAX_BUILD_WIDTH as u32)?;
    b.check_wires(x)?;
    b.check_wires(y)
}

/// Adds `x + y + cin` inside `b` with architecture `kind`; returns the sum bits (least
/// significant first, as wide as the operands) and the carry-out. A constant `cin` (e.g.
/// `b.zero()`) is folded away.
///
/// # Errors
/// [`Error::Shape`] if the operands differ in width, [`Error::InvalidWidth`] for width 0 or
/// above 4096, [`Error::InvalidParameter`] for a bad block size or a wire of another netlist.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::adders::{build_adder, AdderKind};
/// use arithsim::gates::Builder;
///
/// let mut b = Builder::new();
/// let x = b.input("x", 8)?;
/// let y = b.input("y", 8)?;
/// let zero = b.zero();
/// let (s, c) = build_adder(&mut b, AdderKind::BrentKung, &x, &y, zero)?;
/// b.output("s", &s)?;
/// b.output("c", &[c])?;
/// let out = b.finish()?.eval_u64(&[("x", &[255]), ("y", &[3])])?;
/// assert_eq!((out.get("s")?[0], out.get("c")?[0]), (2, 1));
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn build_adder(
    b: &mut Builder,
    kind: AdderKind,
    x: &[Wire],
    y: &[Wire],
    cin: Wire,
) -> Result<(Vec<Wire>, Wire)> {
    kind.validate()?;
    check_operands(b, x, y)?;
    b.check_wires(&[cin])?;
    let name = kind.to_string();
    b.push_label(&name);
    let r = match kind {
        AdderKind::RippleCarry => ripple::build_ripple(b, x, y, cin),
        AdderKind::CarryLookahead { block } => lookahead::build_lookahead(b, x, y, cin, block),
        AdderKind::CarrySelect { block } => select::build_carry_select(b, x, y, cin, block),
        AdderKind::CarrySkip { block } => ripple::build_carry_skip(b, x, y, cin, block),
        AdderKind::ConditionalSum => select::build_conditional_sum(b, x, y, cin),
        _ => prefix::build_prefix_adder(b, kind, x, y, cin),
    };
    b.pop_label();
    Ok(r)
}

/// A finished `width`-bit adder of architecture `kind`, with inputs `a`, `b`, `cin` and
/// outputs `sum`, `cout`.
///
/// # Errors
/// [`Error::InvalidWidth`] unless `1 <= width <= 128`; [`Error::InvalidParameter`] for a bad
/// block size.
pub fn adder(kind: AdderKind, width: u32) -> Result<Netlist> {
    make_adder(kind, width, true)
}

/// As [`adder`] without the carry-in port (the carry-in is the constant 0, folded away).
///
/// # Errors
/// As [`adder`].
pub fn adder_without_carry_in(kind: AdderKind, width: u32) -> Result<Netlist> {
    make_adder(kind, width, false)
}

fn make_adder(kind: AdderKind, width: u32, with_cin: bool) -> Result<Netlist> {
    Error::check_width("adder", width, 1, MAX_ADDER_WIDTH)?;
    kind.validate()?;
    let mut b = Builder::new();
    let x = b.input("a", width)?;
    let y = b.input("b", width)?;
    let cin = if with_cin {
        b.input_bit("cin")?
    } else {
        b.zero()
    };
    let (s, c) = build_adder(&mut b, kind, &x, &y, cin)?;
    b.output("sum", &s)?;
    b.output("cout", &[c])?;
    b.finish()
}

macro_rules! named_adder {
    ($(#[$doc:meta])* $name:ident, $kind:expr) => {
        $(#[$doc])*
        ///
        /// # Errors
        /// [`Error::InvalidWidth`] unless `1 <= width <= 128`.
        pub fn $name(width: u32) -> Result<Netlist> {
            adder($kind, width)
        }
    };
}

named_adder!(
    /// A ripple-carry adder (ports `a`, `b`, `cin` → `sum`, `cout`).
    ripple_carry_adder,
    AdderKind::RippleCarry
);
named_adder!(
    /// A carry-lookahead adder with 4-input lookahead units in a multi-level tree.
    carry_lookahead_adder,
    AdderKind::CarryLookahead { block: 4 }
);
named_adder!(
    /// A carry-select adder with 4-bit blocks.
    carry_select_adder,
    AdderKind::CarrySelect { block: 4 }
);
named_adder!(
    /// A carry-skip adder with 4-bit blocks.
    carry_skip_adder,
    AdderKind::CarrySkip { block: 4 }
);
named_adder!(
    /// A conditional-sum adder.
    conditional_sum_adder,
    AdderKind::ConditionalSum
);
named_adder!(
    /// A Sklansky parallel-prefix adder.
    sklansky_adder,
    AdderKind::Sklansky
);
named_adder!(
    /// A Kogge-Stone parallel-prefix adder.
    kogge_stone_adder,
    AdderKind::KoggeStone
);
named_adder!(
    /// A Brent-Kung parallel-prefix adder.
    brent_kung_adder,
    AdderKind::BrentKung
);
named_adder!(
    /// A Han-Carlson parallel-prefix adder.
    han_carlson_adder,
    AdderKind::HanCarlson
);
named_adder!(
    /// A Ladner-Fischer parallel-prefix adder.
    ladner_fischer_adder,
    AdderKind::LadnerFischer
);

/// A half adder netlist: inputs `a`, `b` (1 bit) → outputs `sum`, `cout`.
///
/// # Errors
/// Never in practice (fixed ports); the `Result` keeps the generator signature uniform.
pub fn half_adder() -> Result<Netlist> {
    let mut b = Builder::new();
    let x = b.input_bit("a")?;
    let y = b.input_bit("b")?;
    let (s, c) = b.half_adder(x, y);
    b.output("sum", &[s])?;
    b.output("cout", &[c])?;
    b.finish()
}

/// A full adder netlist: inputs `a`, `b`, `cin` (1 bit) → outputs `sum`, `cout`.
///
/// # Errors
/// Never in practice (fixed ports); the `Result` keeps the generator signature uniform.
pub fn full_adder() -> Result<Netlist> {
    let mut b = Builder::new();
    let x = b.input_bit("a")?;
    let y = b.input_bit("b")?;
    let c = b.input_bit("cin")?;
    let (s, co) = b.full_adder(x, y, c);
    b.output("sum", &[s])?;
    b.output("cout", &[co])?;
    b.finish()
}

/// A short name ("kogge-stone", "carry-lookahead/4", ...): built from the block size, so
/// `Display` rather than a `&'static str` `name()`; [`FromStr`](std::str::FromStr) parses it
/// back.
///
/// ```
/// use arithsim::circuits::adders::AdderKind;
/// assert_eq!(AdderKind::CarryLookahead { block: 4 }.to_string(), "carry-lookahead/4");
/// ```
impl std::fmt::Display for AdderKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AdderKind::RippleCarry => f.write_str("ripple-carry"),
            AdderKind::CarryLookahead { block } => write!(f, "carry-lookahead/{block}"),
            AdderKind::CarrySelect { block } => write!(f, "carry-select/{block}"),
            AdderKind::CarrySkip { block } => write!(f, "carry-skip/{block}"),
            AdderKind::ConditionalSum => f.write_str("conditional-sum"),
            AdderKind::Sklansky => f.write_str("sklansky"),
            AdderKind::KoggeStone => f.write_str("kogge-stone"),
            AdderKind::BrentKung => f.write_str("brent-kung"),
            AdderKind::HanCarlson => f.write_str("han-carlson"),
            AdderKind::LadnerFischer => f.write_str("ladner-fischer"),
        }
    }
}

impl std::str::FromStr for AdderKind {
    type Err = Error;

    /// Parses what `Display` prints back (`"kogge-stone"`, `"carry-lookahead/4"`), and the
    /// variant names (`"KoggeStone"`), case-insensitively; a block architecture without
    /// `/<block>` takes the default block of 4 (as in [`AdderKind::ALL`]). The usual
    /// abbreviations are accepted too: `"rca"`, `"cla"`, `"csla"`, `"cska"`, `"csum"` for
    /// the classic ones, `"ks"`, `"bk"`, `"sk"`, `"hc"`, `"lf"` for the parallel-prefix ones.
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] naming the input and listing the names; [`AdderKind::validate`]'s
    /// error for a block out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::circuits::adders::AdderKind;
    /// assert_eq!("kogge-stone".parse::<AdderKind>()?, AdderKind::KoggeStone);
    /// assert_eq!("carry-select/8".parse::<AdderKind>()?, AdderKind::CarrySelect { block: 8 });
    /// assert_eq!("ks".parse::<AdderKind>()?, AdderKind::KoggeStone);
    /// assert_eq!("BK".parse::<AdderKind>()?, AdderKind::BrentKung);
    /// assert!("carry-lookahead/1".parse::<AdderKind>().is_err());
    /// let e = "kogge".parse::<AdderKind>().unwrap_err().to_string();
    /// assert!(e.contains("not an adder architecture"), "{e}");
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<AdderKind> {
        let (head, block) = match s.split_once('/') {
            Some((h, b)) => {
                let block: u32 = b.trim().parse().map_err(|_| Error::Parse {
                    input: s.to_string(),
                    reason: format!("block size {b:?} is not a number"),
                })?;
                (h, Some(block))
            }
            None => (s, None),
        };
        let table: &[(&[&str], AdderKind)] = &[
            (
                &["ripple-carry", "RippleCarry", "rca", "ripple"],
                AdderKind::RippleCarry,
            ),
            (
                &["carry-lookahead", "CarryLookahead", "cla"],
                AdderKind::CarryLookahead { block: 4 },
            ),
            (
                &["carry-select", "CarrySelect", "csla"],
                AdderKind::CarrySelect { block: 4 },
            ),
            (
                &["carry-skip", "CarrySkip", "cska", "carry-bypass"],
                AdderKind::CarrySkip { block: 4 },
            ),
            (
                &["conditional-sum", "ConditionalSum", "csum"],
                AdderKind::ConditionalSum,
            ),
            (&["sklansky", "sk"], AdderKind::Sklansky),
            (&["kogge-stone", "KoggeStone", "ks"], AdderKind::KoggeStone),
            (&["brent-kung", "BrentKung", "bk"], AdderKind::BrentKung),
            (&["han-carlson", "HanCarlson", "hc"], AdderKind::HanCarlson),
            (
                &["ladner-fischer", "LadnerFischer", "lf"],
                AdderKind::LadnerFischer,
            ),
        ];
        let kind = crate::names::lookup("adder architecture", head, table)?;
        let kind = match (kind, block) {
            (k, None) => k,
            (AdderKind::CarryLookahead { .. }, Some(block)) => AdderKind::CarryLookahead { block },
            (AdderKind::CarrySelect { .. }, Some(block)) => AdderKind::CarrySelect { block },
            (AdderKind::CarrySkip { .. }, Some(block)) => AdderKind::CarrySkip { block },
            (k, Some(_)) => {
                return Err(Error::Parse {
                    input: s.to_string(),
                    reason: format!("{} takes no block size", k),
                });
            }
        };
        kind.validate()?;
        Ok(kind)
    }
}

// Written as the printed name, read back through `FromStr`.
#[cfg(feature = "serde")]
crate::names::serde_via_str!(AdderKind);
