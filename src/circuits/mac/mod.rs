//! Integer multiply-accumulate units and k-wide dot-product units at gate level.
//!
//! A [`MacSpec`] fixes the operand width, accumulator width, signedness, multiplier
//! architecture, adder, overflow behaviour (wrapping or saturating) and structure:
//!
//! * [`MacStructure::Separate`]: each product is finished by its own multiplier (with its
//!   final adder), then the products and the accumulator are added;
//! * [`MacStructure::Fused`]: the accumulator is one more row of the partial-product matrix,
//!   so a single tree and a single carry-propagate adder do everything.
//!
//! With `lanes = k > 1` it is a dot-product unit (`acc += Σ a_i b_i`, as in a MAC array).
//! The accumulator is a register stepped once per clock; [`Mac::accumulate`] runs operand
//! streams through the netlist, [`MacSpec::reference`] is the word-level twin.
//!
//! Presets, named by operand and accumulator: [`MacSpec::INT8_INT32`] (the FSD NPU's MAC),
//! [`MacSpec::INT4_INT16`], [`MacSpec::INT16_INT48`].
//!
//! # Examples
//!
//! ```
//! use arithsim::circuits::mac::{Mac, MacSpec};
//!
//! let mac = Mac::new(MacSpec::INT8_INT32)?;
//! // acc = 100·100 + (-3)·7 + (-128)·(-128), on numbers
//! let acc = mac.accumulate_values(&[100, -3, -128], &[100, 7, -128])?;
//! assert_eq!(acc, vec![10_000, 9_979, 26_363]);
//! // the same on bit patterns: -3 is 0xfd, -128 is 0x80
//! let acc = mac.accumulate(&[100, 0xfd, 0x80], &[100, 7, 0x80])?;
//! assert_eq!(acc, vec![10_000, 9_979, 26_363]);
//! # Ok::<(), arithsim::Error>(())
//! ```

mod build;
mod parse;
mod run;

pub use build::build_mac_step;
pub use run::{Mac, MacRun};

use crate::circuits::adders::AdderKind;
use crate::circuits::multipliers::{
    MAX_MULTIPLIER_WIDTH, PartialProducts, Reduction, Signedness, check_signedness,
};
use crate::{Error, Result};

/// What the accumulator does on overflow: the crate's one integer overflow policy
/// ([`crate::Overflow`], defined in [`crate::repr`]), the same type as
/// [`datapath::Overflow`](crate::datapath::Overflow). Unlike
/// [`float::OverflowPolicy`](crate::float::OverflowPolicy) (what a floating-point result past
/// the largest finite value becomes), it says how an integer sum is reduced to the
/// accumulator's bits.
pub use crate::repr::Overflow;

/// Most products a dot-product unit sums per cycle.
pub const MAX_LANES: u32 = crate::limits::DOT_UNIT_MAX_LANES;

/// Where the accumulation happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MacStructure {
    /// Multiplier(s) with their own final adders, then an accumulate adder.
    Separate,
    /// Accumulator merged into the partial-product tree: one tree, one final adder.
    Fused,
}

/// A MAC or dot-product unit: `acc <- acc + Σ_{i<lanes} a_i · b_i` every clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MacSpec {
    /// Operand width in bits (both operands), `1..=64` (`1..=63` or less when saturating,
    /// so the product and the guard bits fit 128 bits).
    pub mul_bits: u32,
    /// Accumulator width in bits, at least the product width `2 · mul_bits`, at most 128
    /// (less the guard bits a saturating unit needs: `1 + bits(lanes)`).
    pub acc_bits: u32,
    /// Operand and accumulator signedness.
    pub signedness: Signedness,
    /// Partial-product generation.
    pub partial_products: PartialProducts,
    /// Partial-product reduction.
    pub reduction: Reduction,
    /// Carry-propagate adder (multipliers' and accumulator's).
    pub adder: AdderKind,
    /// Wrapping or saturating accumulation.
    pub overflow: Overflow,
    /// Separate or fused accumulation.
    pub structure: MacStructure,
    /// Products summed per cycle (`1` for a MAC, `k` for a k-wide dot-product unit).
    pub lanes: u32,
}

/// A k-wide dot-product unit built like `mac` (fused: all products and the accumulator in
/// one tree).
#[must_use]
pub fn dot_product_unit(k: u32, mac: MacSpec) -> MacSpec {
    MacSpec {
        lanes: k,
        structure: MacStructure::Fused,
        ..mac
    }
}

/// A short name, such as "int8x8->32 signed wrapping fused dadda/baugh-wooley/brent-kung":
/// built from the parameters, so `Display` rather than a `&'static str` `name()`.
impl std::fmt::Display for MacSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (s, o) = (self.signedness, self.overflow);
        let st = match self.structure {
            MacStructure::Separate => "separate",
            MacStructure::Fused => "fused",
        };
        if self.lanes > 1 {
            write!(f, "dot{} ", self.lanes)?;
        }
        write!(
            f,
            "int{w}x{w}->{acc} {s} {o} {st} {}/{}/{}",
            self.reduction.name(),
            self.partial_products.name(),
            self.adder,
            w = self.mul_bits,
            acc = self.acc_bits
        )
    }
}

impl MacSpec {
    /// The FSD NPU's MAC: INT8 × INT8 → INT32, signed, wrapping; Dadda tree on Baugh-Wooley
    /// partial products, Brent-Kung adder, separate accumulate adder.
    pub const INT8_INT32: MacSpec = MacSpec::new(8, 32, Signedness::Signed);

    /// INT4 × INT4 → INT16, signed, wrapping (otherwise as [`MacSpec::INT8_INT32`]).
    pub const INT4_INT16: MacSpec = MacSpec::new(4, 16, Signedness::Signed);

    /// INT16 × INT16 → INT48, signed, wrapping (otherwise as [`MacSpec::INT8_INT32`]).
    pub const INT16_INT48: MacSpec = MacSpec::new(16, 48, Signedness::Signed);

    /// A wrapping, separate MAC with a Dadda tree (Baugh-Wooley for signed, AND array for
    /// unsigned) and a Brent-Kung adder: `mul_bits × mul_bits` operands, an `acc_bits`
    /// accumulator.
    #[must_use]
    pub const fn new(mul_bits: u32, acc_bits: u32, signedness: Signedness) -> Self {
        MacSpec {
            mul_bits,
            acc_bits,
            signedness,
            partial_products: match signedness {
                Signedness::Unsigned => PartialProducts::AndArray,
                Signedness::Signed => PartialProducts::BaughWooley,
            },
            reduction: Reduction::Dadda,
            adder: AdderKind::BrentKung,
            overflow: Overflow::Wrapping,
            structure: MacStructure::Separate,
            lanes: 1,
        }
    }

    /// The same with another structure.
    #[must_use]
    pub fn with_structure(mut self, s: MacStructure) -> Self {
        self.structure = s;
        self
    }

    /// The same with another overflow behaviour.
    #[must_use]
    pub fn with_overflow(mut self, o: Overflow) -> Self {
        self.overflow = o;
        self
    }

    /// The same with another multiplier architecture.
    #[must_use]
    pub fn with_multiplier(mut self, pp: PartialProducts, reduction: Reduction) -> Self {
        self.partial_products = pp;
        self.reduction = reduction;
        self
    }

    /// The same with another adder.
    #[must_use]
    pub fn with_adder(mut self, adder: AdderKind) -> Self {
        self.adder = adder;
        self
    }

    /// Product width in bits, `2 · mul_bits`.
    #[must_use]
    pub fn product_bits(&self) -> u32 {
        2 * self.mul_bits
    }

    /// Guard bits above the accumulator in the internal sum: `1 + bits(lanes)` when
    /// saturating (so the exact sum fits before clamping), 0 when wrapping.
    #[must_use]
    pub fn guard_bits(&self) -> u32 {
        match self.overflow {
            Overflow::Wrapping => 0,
            Overflow::Saturating => 1 + (32 - self.lanes.leading_zeros()),
        }
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// [`Error::InvalidWidth`] for an operand width outside `1..=64` (less when saturating),
    /// lanes outside `1..=64`
    /// or an accumulator wider than 128 bits (less the guard bits);
    /// [`Error::InvalidParameter`] for an accumulator narrower than the product, a
    /// partial-product generator of the other signedness, or a bad adder block size.
    pub fn validate(&self) -> Result<()> {
        Error::check_width("dot-product lanes", self.lanes, 1, MAX_LANES)?;
        // The product and the guard bits must fit the 128-bit internal sum.
        let max_width = MAX_MULTIPLIER_WIDTH.min((128 - self.guard_bits()) / 2);
        Error::check_width("mac operand", self.mul_bits, 1, max_width)?;
        if self.acc_bits < self.product_bits() {
            return Err(Error::param(
                "accumulator width",
                self.acc_bits,
                format!(
                    "must be at least the product width {} of {}-bit operands",
                    self.product_bits(),
                    self.mul_bits
                ),
            ));
        }
        Error::check_width(
            "accumulator",
            self.acc_bits,
            self.product_bits(),
            128 - self.guard_bits(),
        )?;
        check_signedness(self.partial_products, self.signedness)?;
        self.adder.validate()
    }

    /// The word-level twin of one clock: the next accumulator (as a bit pattern of
    /// `acc_bits` bits) from `acc` and the lanes' operands (bit patterns of `mul_bits` bits).
    /// Assumes a spec that passed [`MacSpec::validate`].
    #[must_use]
    pub fn reference(&self, acc: u128, a: &[u64], b: &[u64]) -> u128 {
        let signed = self.signedness == Signedness::Signed;
        let value = |v: u128, w: u32| -> i128 {
            if signed && w < 128 && (v >> (w - 1)) & 1 == 1 {
                (v as i128) - (1i128 << w)
            } else {
                v as i128
            }
        };
        let mask = |w: u32| if w == 128 { !0u128 } else { (1u128 << w) - 1 };
        let wm = mask(self.mul_bits);
        let mut sum = value(acc & mask(self.acc_bits), self.acc_bits);
        for (&x, &y) in a.iter().zip(b) {
            let p =
                value(u128::from(x) & wm, self.mul_bits) * value(u128::from(y) & wm, self.mul_bits);
            sum = sum.wrapping_add(p);
        }
        let aw = self.acc_bits;
        let r = match self.overflow {
            Overflow::Wrapping => sum,
            Overflow::Saturating => {
                let (lo, hi) = if signed {
                    (-(1i128 << (aw - 1)), (1i128 << (aw - 1)) - 1)
                } else {
                    (
                        0,
                        if aw == 128 {
                            i128::MAX
                        } else {
                            (1i128 << aw) - 1
                        },
                    )
                };
                sum.clamp(lo, hi)
            }
        };
        (r as u128) & mask(aw)
    }
}
