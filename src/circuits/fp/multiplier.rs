//! The floating-point multiplier: unpack, significand product from any of the crate's
//! multiplier architectures, exponent sum, specials, then the shared round-and-pack back end.

use super::product_parts::{Operand, Unrounded, signed_width, special_result, sum_bus, unpack};
use super::{FpResult, FpUnitConfig, ModeWires, SpecialCase, check_format};
use crate::Result;
use crate::circuits::multipliers::{MultiplierSpec, Signedness, build_multiplier};
use crate::float::FloatFormat;
use crate::gates::{Builder, Netlist, Wire};

/// A finished floating-point multiplier for `format`: `y = a × b` rounded once, bit-exact
/// with [`FloatFormat::mul`] under [`FpUnitConfig::env`], values and flags.
///
/// Ports: inputs `a`, `b` (`format.width()` bits) and, for
/// [`RoundingControl::Input`](super::RoundingControl::Input), `rm` (3 bits); outputs `y`
/// and the one-bit flags `invalid`, `overflow`, `underflow`, `inexact`. See
/// [`build_fp_multiplier`] for the structure.
///
/// # Errors
/// [`Error::InvalidWidth`](crate::Error::InvalidWidth) naming `fp multiplier format` for a
/// format wider than 32 bits; the errors of [`FpUnitConfig::validate`] (a signed-only
/// partial-product generator names `multiplier`, a stochastic mode is `Unsupported`).
///
/// # Examples
///
/// An FP16 multiplier with a radix-4 Booth / Wallace significand multiplier:
///
/// ```
/// use arithsim::circuits::fp::{fp_multiplier, FpUnitConfig, SignificandMultiplier};
/// use arithsim::circuits::multipliers::{PartialProducts, Reduction};
/// use arithsim::float::FloatFormat;
/// use arithsim::round::RoundingMode;
///
/// let f = FloatFormat::FP16;
/// let booth = SignificandMultiplier { partial_products: PartialProducts::Booth4, reduction: Reduction::Wallace };
/// let cfg = FpUnitConfig::default().with_multiplier(booth);
/// let net = fp_multiplier(f, &cfg)?;
/// let (a, b) = (0x3E00u64, 0xC080u64); // 1.5, -2.25
/// let out = net.eval_u64(&[("a", &[a, 0x7BFF]), ("b", &[b, 0x7BFF])])?;
/// assert_eq!(out.get("y")?, &[0xC2C0, 0x7C00]); // -3.375; 65504² overflows to +inf
/// assert_eq!(out.get("overflow")?, &[0, 1]);
/// let soft = f.mul(0x7BFF, 0x7BFF, &cfg.env(RoundingMode::NearestEven));
/// assert_eq!(out.get("y")?[1], u128::from(soft.value));
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn fp_multiplier(format: FloatFormat, cfg: &FpUnitConfig) -> Result<Netlist> {
    check_format("fp multiplier format", format)?;
    cfg.validate()?;
    let mut b = Builder::new();
    let w = format.width();
    let a = b.input("a", w)?;
    let x = b.input("b", w)?;
    let mode = ModeWires::build(&mut b, cfg.rounding)?;
    let r = build_fp_multiplier(&mut b, format, cfg, &mode, &a, &x)?;
    r.output(&mut b)?;
    Ok(b.finish()?.sweep())
}

/// Adds the multiplier to `b` under label `fp mul`: `a × b` of `format`, rounded by `mode`
/// ([`ModeWires`]).
///
/// Structure (sub-labels): `unpack` ×2 (subnormal operands keep their leading zeros, so no
/// normalization happens before the product); `significand product` (the unsigned
/// `p × p` multiplier of [`FpUnitConfig::multiplier`] with [`FpUnitConfig::adder`] as its
/// final adder: partial products, reduction, adder; the exact `2p`-bit product);
/// `exponent` (`ea + eb − bias` in one carry-save row and adder, the biased exponent of
/// product bit `2p − 2`); `sign` (one XOR); `special` (NaN propagation by policy, 0 × ∞
/// invalid, ∞ results); then the shared [`build_round_pack`](super::build_round_pack)
/// normalizes the product (one bit for normal operands, more for subnormal ones, a right
/// shift for products below the subnormal range; with
/// [`FpUnitConfig::flush_subnormals`] the product of two significands is 0 or in
/// `[1, 4)`, so [`build_round_pack_normalized`](super::build_round_pack_normalized) shifts
/// by at most one place), rounds once and packs.
///
/// # Errors
/// As [`fp_multiplier`]; [`Error::Shape`](crate::Error::Shape) if `a` or `b` is not
/// `format.width()` wide.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::fp::{build_fp_multiplier, FpUnitConfig, ModeWires};
/// use arithsim::float::FloatFormat;
/// use arithsim::gates::Builder;
///
/// let f = FloatFormat::FP8_E4M3;
/// let cfg = FpUnitConfig::default();
/// let mut b = Builder::new();
/// let a = b.input("a", 8)?;
/// let x = b.input("b", 8)?;
/// let mode = ModeWires::build(&mut b, cfg.rounding)?;
/// let r = build_fp_multiplier(&mut b, f, &cfg, &mode, &a, &x)?;
/// b.output("y", &r.bits)?;
/// let net = b.finish()?;
/// // 20 × 20 = 400 lies halfway between 384 and 416: ties to even gives 384 (0x7C).
/// assert_eq!(net.eval_u64(&[("a", &[0x5A]), ("b", &[0x5A])])?.get("y")?[0], 0x7C);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn build_fp_multiplier(
    b: &mut Builder,
    format: FloatFormat,
    cfg: &FpUnitConfig,
    mode: &ModeWires,
    a: &[Wire],
    x: &[Wire],
) -> Result<FpResult> {
    check_format("fp multiplier format", format)?;
    cfg.validate()?;
    b.push_label("fp mul");
    let r = build_mul_unrounded(b, format, cfg, a, x)
        // With denormals-are-zero the product of two significands is 0 or in [1, 4): the
        // back end's normalization is a one-place shift.
        .and_then(|(u, s)| u.round_pack(b, format, cfg, mode, s, cfg.flush_subnormals));
    b.pop_label();
    r
}

/// The unsigned `p × p` significand multiplier a config asks for (its final adder is the
/// unit's adder).
pub(crate) fn significand_spec(p: u32, cfg: &FpUnitConfig) -> MultiplierSpec {
    MultiplierSpec::new(
        p,
        p,
        Signedness::Unsigned,
        cfg.multiplier.reduction,
        cfg.adder,
    )
    .with_partial_products(cfg.multiplier.partial_products)
}

/// The exact product of two unpacked operands of `f` before rounding, and its special
/// result.
pub(crate) fn build_product(
    b: &mut Builder,
    f: FloatFormat,
    cfg: &FpUnitConfig,
    x: &Operand,
    y: &Operand,
) -> Result<(Unrounded, SpecialCase)> {
    let p = f.precision();
    let spec = significand_spec(p, cfg);
    b.push_label("significand product");
    let prod = build_multiplier(b, &spec, &x.sig, &y.sig);
    b.pop_label();
    let sig = prod?.product;
    // Biased exponent of product bit 2p − 2: ea + eb − bias.
    let k = -i64::from(f.bias());
    let emax = (1i64 << f.exp_bits()) - 1;
    let width = signed_width(2 + k, 2 * emax + k);
    let exp = b.with_label("exponent", |b| {
        sum_bus(b, cfg.adder, &[(&x.exp, false), (&y.exp, false)], k, width)
    })?;
    let sign = b.with_label("sign", |b| b.xor(x.sign, y.sign));
    let zero_times_inf = b.with_label("special", |b| {
        let p = b.and(x.inf, y.zero);
        let q = b.and(y.inf, x.zero);
        b.or(p, q)
    });
    let inf = b.with_label("special", |b| b.or(x.inf, y.inf));
    let no = b.zero();
    let special = special_result(
        b,
        &[(x, f), (y, f)],
        f,
        cfg.nan,
        zero_times_inf,
        no,
        inf,
        sign,
    );
    let sticky = b.zero();
    Ok((
        Unrounded {
            sign,
            zero_sign: None,
            exp,
            sig,
            sticky,
        },
        special,
    ))
}

/// Unpacks `a` and `b` (patterns of `f`) and builds their exact product.
pub(crate) fn build_mul_unrounded(
    b: &mut Builder,
    f: FloatFormat,
    cfg: &FpUnitConfig,
    a: &[Wire],
    x: &[Wire],
) -> Result<(Unrounded, SpecialCase)> {
    let oa = unpack(b, f, a, cfg.flush_subnormals)?;
    let ob = unpack(b, f, x, cfg.flush_subnormals)?;
    build_product(b, f, cfg, &oa, &ob)
}
