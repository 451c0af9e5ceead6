//! The floating-point multiplier: unpack, significand product from any of the crate's
//! multiplier architectures, exponent sum, specials, then the shared round-and-pack back end.

use super::product_parts::{Operand, SpecialResult, Unrounded, signed_width, special_result, sum_bus, unpack};
use super::FpUnitConfig;
use crate::circuits::multipliers::{MultiplierSpec, Signedness, build_multiplier};
use crate::float::FloatFormat;
use crate::gates::{Builder, Wire};
use crate::Result;

/// The unsigned `p × p` significand multiplier a config asks for (its final adder is the
/// unit's adder).
pub(crate) fn significand_spec(p: u32, cfg: &FpUnitConfig) -> MultiplierSpec {
    MultiplierSpec::new(p, p, Signedness::Unsigned, cfg.multiplier.reduction, cfg.adder)
        .with_partial_products(cfg.multiplier.partial_products)
}

/// The exact product of two unpacked operands of `f`: the significand product and the
/// exponent of its bit 0, before rounding, and the special result.
pub(crate) fn build_product(
    b: &mut Builder,
    f: FloatFormat,
    cfg: &FpUnitConfig,
    x: &Operand,
    y: &Operand,
) -> Result<(Unrounded, SpecialResult)> {
    let p = f.precision();
    let spec = significand_spec(p, cfg);
    b.push_label("significand product");
    let prod = build_multiplier(b, &spec, &x.sig, &y.sig);
    b.pop_label();
    let sig = prod?.product;
    // value = sig × 2^((ea − bias − m) + (eb − bias − m))
    let k = -2 * i64::from(f.bias() + f.man_bits() as i32);
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
    let inf = b.or(x.inf, y.inf);
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
    Ok((Unrounded { sign, exp, sig, sticky }, special))
}

/// Unpacks `a` and `b` (patterns of `f`) and builds their exact product.
pub(crate) fn build_mul_unrounded(
    b: &mut Builder,
    f: FloatFormat,
    cfg: &FpUnitConfig,
    a: &[Wire],
    x: &[Wire],
) -> Result<(Unrounded, SpecialResult)> {
    let oa = unpack(b, f, a, cfg.flush_subnormals);
    let ob = unpack(b, f, x, cfg.flush_subnormals);
    build_product(b, f, cfg, &oa, &ob)
}
