//! The multiplier generator: a [`MultiplierSpec`] and the functions that build it.

use super::baugh_wooley::{and_array, baugh_wooley};
use super::booth::booth_rows_into;
use super::logic::{Bit, Logic};
use super::matrix::PpMatrix;
use super::netlogic::{NetLogic, bits};
use super::reduce::{final_add, reduce};
use super::{PartialProducts, ProductWidth, Reduction, Signedness};
use crate::circuits::adders::AdderKind;
use crate::gates::{Builder, Netlist, Wire};
use crate::{Error, Result};

/// Widest operand a multiplier accepts.
pub const MAX_MULTIPLIER_WIDTH: u32 = crate::limits::MULTIPLIER_MAX_WIDTH;

/// Everything that defines a multiplier: operand widths, signedness, partial-product
/// generation, reduction, final adder and product width.
///
/// Build it with [`MultiplierSpec::new`] (AND array for unsigned, Baugh-Wooley for signed),
/// adjust with the `with_*` methods, then [`MultiplierSpec::build`].
///
/// # Examples
///
/// ```
/// use arithsim::circuits::adders::AdderKind;
/// use arithsim::circuits::multipliers::{MultiplierSpec, PartialProducts, Reduction, Signedness};
///
/// let spec = MultiplierSpec::new(8, 8, Signedness::Signed, Reduction::Wallace, AdderKind::BrentKung)
///     .with_partial_products(PartialProducts::Booth4);
/// let net = spec.build()?;
/// let out = net.eval_u64(&[("a", &[0xF9]), ("b", &[100])])?; // -7 × 100
/// assert_eq!(out.get("product")?[0], (-700i32 as u16) as u128);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MultiplierSpec {
    /// Width of operand `a` (the multiplicand for Booth), `1..=64`.
    pub n: u32,
    /// Width of operand `b` (the recoded operand for Booth), `1..=64`.
    pub m: u32,
    /// Unsigned or two's complement (both operands).
    pub signedness: Signedness,
    /// Partial-product generation.
    pub partial_products: PartialProducts,
    /// Reduction to two rows.
    pub reduction: Reduction,
    /// Final carry-propagate adder.
    pub adder: AdderKind,
    /// Full `n + m`-bit product or its low half.
    pub product: ProductWidth,
}

/// What [`build_multiplier`] added to a builder.
#[derive(Clone, Debug)]
pub struct MultiplierOutput {
    /// Product bits, least significant first.
    pub product: Vec<Wire>,
    /// Reduction stages (rows added, for the array).
    pub stages: usize,
    /// The bits left by the reduction (input of the final adder), for depth measurements.
    pub reduced: Vec<Wire>,
    /// The same bits by column: `reduced_columns[j]` holds the (at most two) bits of weight
    /// `2^j` that the final adder adds, constants as the builder's constant wires. The product
    /// is their sum modulo `2^width`; a proof can cut the netlist here (the tree's sum, then the
    /// adder), as `tests/hdl_tools.rs` does for 16×16 multipliers.
    pub reduced_columns: Vec<Vec<Wire>>,
}

impl MultiplierSpec {
    /// A full-product multiplier; partial products are the AND array for unsigned operands
    /// and Baugh-Wooley for signed ones.
    #[must_use]
    pub fn new(
        n: u32,
        m: u32,
        signedness: Signedness,
        reduction: Reduction,
        adder: AdderKind,
    ) -> Self {
        MultiplierSpec {
            n,
            m,
            signedness,
            partial_products: match signedness {
                Signedness::Unsigned => PartialProducts::AndArray,
                Signedness::Signed => PartialProducts::BaughWooley,
            },
            reduction,
            adder,
            product: ProductWidth::Full,
        }
    }

    /// The same with another partial-product generator.
    #[must_use]
    pub fn with_partial_products(mut self, pp: PartialProducts) -> Self {
        self.partial_products = pp;
        self
    }

    /// The same with another product width.
    #[must_use]
    pub fn with_product(mut self, product: ProductWidth) -> Self {
        self.product = product;
        self
    }

    /// Product width in bits: `n + m`, or `max(n, m)` for the low half.
    #[must_use]
    pub fn product_width(&self) -> u32 {
        match self.product {
            ProductWidth::Full => self.n + self.m,
            ProductWidth::Low => self.n.max(self.m),
        }
    }

    /// Checks widths, the signedness/partial-product pairing and the adder's parameters.
    ///
    /// # Errors
    /// [`Error::InvalidWidth`] for an operand width outside `1..=64`;
    /// [`Error::InvalidParameter`] for an AND array with signed operands or Baugh-Wooley with
    /// unsigned ones, or a bad adder block size.
    pub fn validate(&self) -> Result<()> {
        Error::check_width("multiplier operand a", self.n, 1, MAX_MULTIPLIER_WIDTH)?;
        Error::check_width("multiplier operand b", self.m, 1, MAX_MULTIPLIER_WIDTH)?;
        check_signedness(self.partial_products, self.signedness)?;
        self.adder.validate()
    }

    /// Builds the multiplier as a netlist with inputs `a` (`n` bits), `b` (`m` bits) and
    /// output `product`.
    ///
    /// # Errors
    /// As [`MultiplierSpec::validate`].
    pub fn build(&self) -> Result<Netlist> {
        self.validate()?;
        let mut b = Builder::new();
        let a = b.input("a", self.n)?;
        let x = b.input("b", self.m)?;
        let out = build_multiplier(&mut b, self, &a, &x)?;
        b.output("product", &out.product)?;
        b.finish()
    }

    /// A short name, such as "dadda/baugh-wooley/kogge-stone 8x8 signed".
    #[must_use]
    pub fn name(&self) -> String {
        let s = self.signedness;
        let low = if self.product == ProductWidth::Low {
            " low half"
        } else {
            ""
        };
        format!(
            "{}/{}/{} {}x{} {s}{low}",
            self.reduction.name(),
            self.partial_products.name(),
            self.adder.name(),
            self.n,
            self.m
        )
    }
}

/// Checks that the partial-product generator handles operands of this signedness.
pub(crate) fn check_signedness(pp: PartialProducts, s: Signedness) -> Result<()> {
    match (pp, s) {
        (PartialProducts::AndArray, Signedness::Signed) => Err(Error::param(
            "partial products",
            "and-array",
            "an AND array multiplies unsigned operands; use baugh-wooley or booth for signed",
        )),
        (PartialProducts::BaughWooley, Signedness::Unsigned) => Err(Error::param(
            "partial products",
            "baugh-wooley",
            "baugh-wooley multiplies signed operands; use and-array or booth for unsigned",
        )),
        _ => Ok(()),
    }
}

/// Adds the partial products of `a × b` to `mat`, `shift` columns up.
pub(crate) fn add_partial_products<L: Logic>(
    l: &mut L,
    mat: &mut PpMatrix<L::W>,
    pp: PartialProducts,
    s: Signedness,
    a: &[Bit<L::W>],
    b: &[Bit<L::W>],
) {
    match pp {
        PartialProducts::AndArray => and_array(l, mat, a, b, 0),
        PartialProducts::BaughWooley => baugh_wooley(l, mat, a, b, 0),
        PartialProducts::Booth4 => booth_rows_into(l, mat, a, b, s, 0),
    }
}

/// Adds the multiplier `spec` to a builder, on operand buses `a` (`spec.n` wires) and `b`
/// (`spec.m` wires). Gates are labelled "partial products" and "reduction"; the final adder
/// carries its own label.
///
/// # Errors
/// As [`MultiplierSpec::validate`], and [`Error::Shape`] if a bus width differs from the spec.
pub fn build_multiplier(
    b: &mut Builder,
    spec: &MultiplierSpec,
    a: &[Wire],
    x: &[Wire],
) -> Result<MultiplierOutput> {
    spec.validate()?;
    if a.len() != spec.n as usize || x.len() != spec.m as usize {
        return Err(Error::Shape(format!(
            "multiplier operands have {} and {} bits; the spec says {} and {}",
            a.len(),
            x.len(),
            spec.n,
            spec.m
        )));
    }
    b.check_wires(a)?;
    b.check_wires(x)?;
    let width = spec.product_width() as usize;
    let mut l = NetLogic::new(b, spec.adder);
    let mut mat = PpMatrix::new(width);
    l.b.push_label("partial products");
    add_partial_products(
        &mut l,
        &mut mat,
        spec.partial_products,
        spec.signedness,
        &bits(a),
        &bits(x),
    );
    l.b.pop_label();
    l.b.push_label("reduction");
    let red = reduce(&mut l, &mat, spec.reduction);
    l.b.pop_label();
    let reduced: Vec<Wire> = red
        .columns
        .iter()
        .flatten()
        .filter_map(|b| if let Bit::Wire(w) = b { Some(*w) } else { None })
        .collect();
    let reduced_columns: Vec<Vec<Wire>> = red.columns.iter().map(|c| l.wires(c)).collect();
    let product_bits = final_add(&mut l, &red.columns);
    let product = l.wires(&product_bits);
    l.finish()?;
    Ok(MultiplierOutput {
        product,
        stages: red.stages,
        reduced,
        reduced_columns,
    })
}

/// An `n × m` array multiplier (carry-save rows) with the chosen final adder.
///
/// # Errors
/// As [`MultiplierSpec::validate`].
pub fn array_multiplier(n: u32, m: u32, s: Signedness, adder: AdderKind) -> Result<Netlist> {
    MultiplierSpec::new(n, m, s, Reduction::Array, adder).build()
}

/// An `n × m` Wallace-tree multiplier with the chosen final adder.
///
/// # Errors
/// As [`MultiplierSpec::validate`].
pub fn wallace_multiplier(n: u32, m: u32, s: Signedness, adder: AdderKind) -> Result<Netlist> {
    MultiplierSpec::new(n, m, s, Reduction::Wallace, adder).build()
}

/// An `n × m` Dadda-tree multiplier with the chosen final adder.
///
/// # Errors
/// As [`MultiplierSpec::validate`].
///
/// # Examples
///
/// ```
/// use arithsim::circuits::adders::AdderKind;
/// use arithsim::circuits::multipliers::{dadda_multiplier, Signedness};
///
/// let net = dadda_multiplier(8, 8, Signedness::Unsigned, AdderKind::RippleCarry)?;
/// assert_eq!(net.eval_u64(&[("a", &[255]), ("b", &[255])])?.get("product")?[0], 65025);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn dadda_multiplier(n: u32, m: u32, s: Signedness, adder: AdderKind) -> Result<Netlist> {
    MultiplierSpec::new(n, m, s, Reduction::Dadda, adder).build()
}

/// An `n × m` radix-4 Booth multiplier (`b` recoded) with the chosen reduction and adder.
///
/// # Errors
/// As [`MultiplierSpec::validate`].
pub fn booth_multiplier(
    n: u32,
    m: u32,
    s: Signedness,
    reduction: Reduction,
    adder: AdderKind,
) -> Result<Netlist> {
    MultiplierSpec::new(n, m, s, reduction, adder)
        .with_partial_products(PartialProducts::Booth4)
        .build()
}
