//! Floating-point arithmetic configuration: multiply format, accumulate format, rounding
//! environment, and what happens to a product before it is accumulated.

use std::fmt;

use crate::cost::FloatKind;
use crate::float::{FloatEnv, FloatFormat};
use crate::round::RoundingMode;
use crate::{Error, Result};

/// What happens to a product `a·b` of two multiply-format operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ProductRounding {
    /// Round the product to the multiply format (a separate multiplier of that format), widen
    /// it exactly to the accumulate format, then add it to the accumulator with a second
    /// rounding: `acc = add_acc(acc, widen(mul_mul(a, b)))`.
    RoundToMulFormat,
    /// Keep the product exact and round once into the accumulator (tensor-core style):
    /// the operands are widened exactly to the accumulate format and each step is the float
    /// core's fused multiply-add there, `acc = fma_acc(widen(a), widen(b), acc)`. In a tree
    /// order ([`AccumulationOrder::Pairwise`](super::AccumulationOrder::Pairwise) or
    /// `Blocked`) the exact product is rounded once into the accumulate format,
    /// `p = mul_acc(widen(a), widen(b))`, and the tree adds those.
    ExactProduct,
}

/// A floating-point multiply-accumulate datapath.
///
/// Operands are bit patterns of `mul`; accumulators and results bit patterns of `acc`. Every
/// value of `mul` must be exactly representable in `acc` (widening is exact), as in every
/// accelerator's mixed-precision MAC.
///
/// # Examples
///
/// ```
/// use arithsim::datapath::{FloatArith, ProductRounding};
/// use arithsim::float::FloatFormat;
///
/// let a = FloatArith::FP16_FP32;
/// assert_eq!((a.mul, a.acc), (FloatFormat::FP16, FloatFormat::FP32));
/// assert_eq!(a.to_string(), "FP16 x FP16 → FP32 (exact product, nearest, ties to even)");
/// // FP32 products cannot be accumulated exactly in FP16.
/// let e = FloatArith::new(FloatFormat::FP32, FloatFormat::FP16,
///     ProductRounding::ExactProduct, Default::default()).unwrap_err();
/// assert!(e.to_string().starts_with("unsupported: accumulate format FP16"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(remote = "Self")
)]
pub struct FloatArith {
    /// The operands' format.
    pub mul: FloatFormat,
    /// The accumulator's (and results') format.
    pub acc: FloatFormat,
    /// What happens to each product.
    pub product: ProductRounding,
    /// Rounding mode and the other IEEE environment settings of every step.
    pub env: FloatEnv,
}

impl FloatArith {
    /// FP16 × FP16 → FP32, exact products, round to nearest even (tensor cores).
    pub const FP16_FP32: Self = Self::preset(FloatFormat::FP16, FloatFormat::FP32);
    /// BF16 × BF16 → FP32, exact products, round to nearest even.
    pub const BF16_FP32: Self = Self::preset(FloatFormat::BF16, FloatFormat::FP32);
    /// FP8 E4M3 × FP8 E4M3 → FP32, exact products.
    pub const FP8_E4M3_FP32: Self = Self::preset(FloatFormat::FP8_E4M3, FloatFormat::FP32);
    /// FP8 E5M2 × FP8 E5M2 → FP32, exact products.
    pub const FP8_E5M2_FP32: Self = Self::preset(FloatFormat::FP8_E5M2, FloatFormat::FP32);
    /// FP8 E4M3 × FP8 E4M3 → FP16, exact products.
    pub const FP8_E4M3_FP16: Self = Self::preset(FloatFormat::FP8_E4M3, FloatFormat::FP16);
    /// FP8 E5M2 × FP8 E5M2 → FP16, exact products.
    pub const FP8_E5M2_FP16: Self = Self::preset(FloatFormat::FP8_E5M2, FloatFormat::FP16);
    /// FP16 × FP16 → FP16, exact products (one rounding per MAC).
    pub const FP16_FP16: Self = Self::preset(FloatFormat::FP16, FloatFormat::FP16);
    /// FP32 × FP32 → FP32 with a fused multiply-add per step.
    pub const FP32_FP32: Self = Self::preset(FloatFormat::FP32, FloatFormat::FP32);

    const fn preset(mul: FloatFormat, acc: FloatFormat) -> Self {
        Self {
            mul,
            acc,
            product: ProductRounding::ExactProduct,
            env: FloatEnv::new(RoundingMode::NearestEven),
        }
    }

    /// A validated configuration with the default environment for `rounding`.
    ///
    /// # Errors
    ///
    /// As [`FloatArith::validate`].
    pub fn new(
        mul: FloatFormat,
        acc: FloatFormat,
        product: ProductRounding,
        rounding: RoundingMode,
    ) -> Result<Self> {
        let a = Self {
            mul,
            acc,
            product,
            env: FloatEnv::new(rounding),
        };
        a.validate()?;
        Ok(a)
    }

    /// The same configuration with another product rounding.
    #[must_use]
    pub fn with_product(mut self, product: ProductRounding) -> Self {
        self.product = product;
        self
    }

    /// The same configuration with another environment (rounding mode, flush-to-zero, ...).
    #[must_use]
    pub fn with_env(mut self, env: FloatEnv) -> Self {
        self.env = env;
        self
    }

    /// Checks that widening `mul` to `acc` is exact: `acc` has at least `mul`'s precision,
    /// reaches its smallest subnormal and its largest finite value, and has a NaN if `mul`
    /// has one.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] naming both formats and the reason.
    pub fn validate(&self) -> Result<()> {
        let (m, a) = (self.mul, self.acc);
        let why = if a.precision() < m.precision() {
            Some(format!(
                "has {} bits of precision, fewer than {}",
                a.precision(),
                m.precision()
            ))
        } else if a.min_exponent() - a.man_bits() as i32 > m.min_exponent() - m.man_bits() as i32 {
            Some("cannot hold the smallest subnormal".to_string())
        } else if a.max_finite_f64() < m.max_finite_f64() {
            Some("cannot hold the largest finite value".to_string())
        } else if m.specials().has_nan() && !a.specials().has_nan() {
            Some("has no NaN".to_string())
        } else if m.specials().has_infinity() && !a.specials().has_infinity() {
            Some("has no infinity".to_string())
        } else {
            None
        };
        match why {
            None => Ok(()),
            Some(why) => Err(Error::Unsupported(format!(
                "accumulate format {} {why} of multiply format {}: operands must widen exactly",
                name(a),
                name(m)
            ))),
        }
    }

    /// The rounding mode of every step.
    #[must_use]
    pub fn rounding(&self) -> RoundingMode {
        self.env.rounding
    }

    /// The multiply format as a cost-table descriptor.
    #[must_use]
    pub fn mul_kind(&self) -> FloatKind {
        kind(self.mul)
    }

    /// The accumulate format as a cost-table descriptor.
    #[must_use]
    pub fn acc_kind(&self) -> FloatKind {
        kind(self.acc)
    }

    /// Whether every product of two `mul` values is exact in `acc`, so accumulating it costs
    /// one rounding whether or not it is fused.
    #[must_use]
    pub fn products_exact_in_acc(&self) -> bool {
        let (m, a) = (self.mul, self.acc);
        let min_sub = |f: FloatFormat| f.min_exponent() - f.man_bits() as i32;
        2 * m.precision() <= a.precision()
            && 2 * min_sub(m) >= min_sub(a)
            && m.max_finite_f64() * m.max_finite_f64() <= a.max_finite_f64()
    }
}

/// The cost-table descriptor of a format.
pub(crate) fn kind(f: FloatFormat) -> FloatKind {
    FloatKind::new(f.exp_bits(), f.man_bits())
}

/// "FP16", "FP8 E4M3" or "E6M9": a format's name for messages.
pub(crate) fn name(f: FloatFormat) -> String {
    FloatFormat::PRESETS
        .iter()
        .find(|(_, p)| *p == f)
        .map(|(n, _)| n.to_string())
        .unwrap_or_else(|| kind(f).to_string())
}

impl Default for FloatArith {
    fn default() -> Self {
        Self::FP16_FP32
    }
}

impl fmt::Display for FloatArith {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = match self.product {
            ProductRounding::RoundToMulFormat => "product rounded to multiply format",
            ProductRounding::ExactProduct => "exact product",
        };
        let m = name(self.mul);
        write!(
            f,
            "{m} x {m} → {} ({p}, {})",
            name(self.acc),
            self.env.rounding
        )
    }
}

#[cfg(feature = "serde")]
crate::names::serde_checked!(FloatArith, FloatArith::validate);
