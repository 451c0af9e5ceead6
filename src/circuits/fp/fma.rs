//! Fused multiply-add `a × b + c` with one rounding, mixed formats: `a`, `b` in the product
//! format, `c` and the result in the accumulator format.
//!
//! The datapath and its window are described at [`build_fp_fma`](super::build_fp_fma).

use super::multiplier::significand_spec;
use super::product_parts::{
    Operand, Unrounded, mux_bus, signed_width, special_result, sum_bus, unpack,
};
use super::{
    FpResult, FpUnitConfig, ModeWires, SpecialCase, build_shift_right_sticky, check_format,
};
use crate::circuits::adders::build_incrementer;
use crate::circuits::multipliers::{
    Bit, NetLogic, PpMatrix, Signedness, add_partial_products, bits, final_add, reduce,
};
use crate::float::FloatFormat;
use crate::gates::{Builder, Netlist, Wire};
use crate::{Error, Result};

/// A finished fused multiply-add: `y = a × b + c` rounded once, with `a`, `b` in the
/// product format `mul` and `c`, `y` in the accumulator format `acc` (the same format for
/// a plain FMA). Bit-exact, values and flags, with converting `a` and `b` to `acc` (exact,
/// see below) and then [`FloatFormat::fma`] under [`FpUnitConfig::env`]; the flags include
/// invalid for a signalling NaN `a` or `b`, as the conversion raises it.
///
/// Every value of `mul` must convert exactly to `acc`: at least as many mantissa bits, the
/// whole range (largest finite and smallest subnormal) and the specials (∞, NaN, −0). So
/// FP16 and BF16 → FP32, FP8 E4M3/E5M2 → FP16/FP32 are exact, and BF16 → FP16 is refused.
///
/// Ports: inputs `a`, `b` (`mul.width()` bits), `c` (`acc.width()` bits) and, for
/// [`RoundingControl::Input`](super::RoundingControl::Input), `rm` (3 bits); outputs `y`
/// (`acc.width()` bits) and the flags `invalid`, `overflow`, `underflow`, `inexact`.
///
/// # Errors
/// [`Error::InvalidWidth`] naming `fma product format` or `fma accumulator format` for a
/// format wider than 32 bits; [`Error::InvalidParameter`] naming `acc` when `mul` does not
/// convert exactly to `acc`; the errors of [`FpUnitConfig::validate`].
///
/// # Examples
///
/// An FP16 × FP16 + FP32 → FP32 FMA: the product of two FP16 values is exact in the sum.
///
/// ```
/// use arithsim::circuits::fp::{fp_fma, FpUnitConfig};
/// use arithsim::float::FloatFormat;
///
/// let net = fp_fma(FloatFormat::FP16, FloatFormat::FP32, &FpUnitConfig::default())?;
/// let (a, b) = (0x3C01u64, 0x3C01u64); // 1 + 2^-10, squared = 1 + 2^-9 + 2^-20
/// let c = (-1.0f32).to_bits() as u64;
/// let out = net.eval_u64(&[("a", &[a]), ("b", &[b]), ("c", &[c])])?;
/// let want = (2f32.powi(-9) + 2f32.powi(-20)).to_bits();
/// assert_eq!(out.get("y")?[0], u128::from(want));
/// assert_eq!(out.get("inexact")?[0], 0);
/// assert!(fp_fma(FloatFormat::BF16, FloatFormat::FP16, &FpUnitConfig::default()).is_err());
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn fp_fma(mul: FloatFormat, acc: FloatFormat, cfg: &FpUnitConfig) -> Result<Netlist> {
    check_fma(mul, acc, cfg)?;
    let mut b = Builder::new();
    let a = b.input("a", mul.width())?;
    let x = b.input("b", mul.width())?;
    let c = b.input("c", acc.width())?;
    let mode = ModeWires::build(&mut b, cfg.rounding)?;
    let r = build_fp_fma(&mut b, mul, acc, cfg, &mode, &a, &x, &c)?;
    r.output(&mut b)?;
    Ok(b.finish()?.sweep())
}

/// Checks formats and config of an FMA.
pub(crate) fn check_fma(mul: FloatFormat, acc: FloatFormat, cfg: &FpUnitConfig) -> Result<()> {
    check_format("fma product format", mul)?;
    check_format("fma accumulator format", acc)?;
    check_mixed(mul, acc)?;
    cfg.validate()
}

/// Adds the FMA to `b` under label `fp fma`: `a × b + c` (`a`, `b` in `mul`, `c` in `acc`),
/// rounded once into `acc` by `mode`.
///
/// Structure (sub-labels; the window is explained below): `unpack` ×3;
/// `exponent` (three small carry-save sums: the window exponent with the product in place,
/// with the addend at the clamp position, and their difference, the shift amount `s`);
/// `align` (the addend's significand shifted right by `s` with a sticky OR of what falls
/// off, [`build_shift_right_sticky`]; the product operand cleared when the addend is
/// clamped); `partial products` and `addend` rows in **one** reduction tree (`reduction`)
/// and one `W`-bit adder (`sum`) — the product is never finished on its own; `negate`
/// (the magnitude of a negative difference, an incrementer); `special` (NaN by policy,
/// 0 × ∞ and ∞ − ∞ invalid, ∞ results); then the shared round-and-pack back end.
///
/// Datapath:
///
/// ```text
///  a ─unpack─┐                       c ─unpack─┐
///  b ─unpack─┴─ partial products      │         exponents → shift amount s, clamp
///              (at column L)          └─ align: c placed at column Kmax, shifted right
///                    │                          by s with a sticky OR of what falls off
///                    └──── one reduction tree + one W-bit adder ────┘ (c inverted when
///                                          │                         signs differ)
///                            negate if negative (incrementer), zero sign
///                                          │
///                          shared round-and-pack back end (one rounding)
/// ```
///
/// The window is `W = L + 2·pm + pa + 2` bits (`pm`, `pa` the two precisions): the
/// product sits at columns `L = pa + 1` up, the addend may sit anywhere from column 0 to
/// `Kmax = L + 2·pm + 1`. An addend further right loses bits only into the sticky bit (the
/// product, at least `2^L`, is then more than 4 times larger, so the result keeps a guard
/// bit above the lost ones); an addend further left is clamped at `Kmax` and the product,
/// then below the result's guard bit, becomes the sticky bit. A zero product always takes
/// the clamped position, so a lone addend is never cut. With
/// [`FpUnitConfig::flush_subnormals`] a non-zero product is at least `2^(L + 2·pm − 2)`,
/// so `L = max(0, pa − 2·pm + 3)` columns below it are enough (FP32 FMA: `W` = 74
/// instead of 99).
///
/// # Errors
/// As [`fp_fma`]; [`Error::Shape`] if an operand bus has the wrong width.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::fp::{build_fp_fma, FpUnitConfig, ModeWires, RoundingControl};
/// use arithsim::float::FloatFormat;
/// use arithsim::gates::Builder;
/// use arithsim::round::RoundingMode;
///
/// let f = FloatFormat::BF16;
/// let cfg = FpUnitConfig::default().with_rounding(RoundingControl::Fixed(RoundingMode::TowardNegative));
/// let mut b = Builder::new();
/// let a = b.input("a", 16)?;
/// let x = b.input("b", 16)?;
/// let c = b.input("c", 16)?;
/// let mode = ModeWires::build(&mut b, cfg.rounding)?;
/// let r = build_fp_fma(&mut b, f, f, &cfg, &mode, &a, &x, &c)?;
/// b.output("y", &r.bits)?;
/// let net = b.finish()?;
/// // 1.5 × 2 − 3 = 0 exactly: −0 when rounding toward −∞.
/// let out = net.eval_u64(&[("a", &[0x3FC0]), ("b", &[0x4000]), ("c", &[0xC040])])?;
/// assert_eq!(out.get("y")?[0], 0x8000);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[allow(clippy::too_many_arguments)]
pub fn build_fp_fma(
    b: &mut Builder,
    mul: FloatFormat,
    acc: FloatFormat,
    cfg: &FpUnitConfig,
    mode: &ModeWires,
    a: &[Wire],
    x: &[Wire],
    c: &[Wire],
) -> Result<FpResult> {
    check_fma(mul, acc, cfg)?;
    b.push_label("fp fma");
    let r = build_fma_unrounded(b, mul, acc, cfg, a, x, c, mode.rdn)
        .and_then(|(u, s)| u.round_pack(b, acc, cfg, mode, s, false));
    b.pop_label();
    r
}

/// Window geometry of a mixed FMA.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Window {
    /// Product precision.
    pub(crate) pm: usize,
    /// Accumulator precision.
    pub(crate) pa: usize,
    /// Column of the product's bit 0.
    pub(crate) l: usize,
    /// Highest column of the addend's bit 0.
    pub(crate) kmax: usize,
    /// Sum width (the top bit is the carry, or the sign of a difference).
    pub(crate) w: usize,
}

impl Window {
    /// The window for `mul` × `mul` + `acc`; `daz`: operands are normal or zero, so a
    /// non-zero product of significands is at least `2^(2·pm − 2)` and fewer columns
    /// below it suffice (`pa − 2·pm + 3` instead of `pa + 1`, never negative).
    pub(crate) fn new(mul: FloatFormat, acc: FloatFormat, daz: bool) -> Window {
        let pm = mul.precision() as usize;
        let pa = acc.precision() as usize;
        let l = if daz {
            (pa + 3).saturating_sub(2 * pm)
        } else {
            pa + 1
        };
        let kmax = l + 2 * pm + 1;
        Window {
            pm,
            pa,
            l,
            kmax,
            w: kmax + pa + 1,
        }
    }
}

/// Checks that every value of `mul` converts exactly to `acc` (so the mixed FMA is
/// `acc.fma(convert(a), convert(b), c)`), specials included.
///
/// # Errors
/// [`Error::InvalidParameter`] naming `acc` otherwise.
pub(crate) fn check_mixed(mul: FloatFormat, acc: FloatFormat) -> Result<()> {
    let (ms, as_) = (mul.specials(), acc.specials());
    let why = if acc.man_bits() < mul.man_bits() {
        Some("has fewer mantissa bits than the product format")
    } else if acc.max_finite_f64() < mul.max_finite_f64() {
        Some("has a smaller largest finite value than the product format")
    } else if acc.min_subnormal_f64() > mul.min_subnormal_f64() {
        Some("has a larger smallest subnormal than the product format")
    } else if ms.has_infinity() && !as_.has_infinity() {
        Some("has no infinity for the product format's")
    } else if ms.has_nan() && !as_.has_nan() {
        Some("has no NaN for the product format's")
    } else if ms.has_negative_zero() && !as_.has_negative_zero() {
        Some("has no -0 for the product format's")
    } else {
        None
    };
    match why {
        Some(r) => Err(Error::param(
            "acc",
            format!("{acc:?}"),
            format!("the accumulator format {r} ({mul:?}): products must convert exactly"),
        )),
        None => Ok(()),
    }
}

/// `x × y + z` before rounding: `x`, `y` unpacked in `mul`, `z` in `acc`; `rdn` says the
/// rounding mode is toward −∞ (for the sign of an exact zero sum).
#[allow(clippy::too_many_arguments)]
pub(crate) fn build_fma_core(
    b: &mut Builder,
    mul: FloatFormat,
    acc: FloatFormat,
    cfg: &FpUnitConfig,
    x: &Operand,
    y: &Operand,
    z: &Operand,
    rdn: Wire,
) -> Result<(Unrounded, SpecialCase)> {
    let Window { l, kmax, w, .. } = Window::new(mul, acc, cfg.flush_subnormals);
    if w > 128 {
        return Err(Error::param(
            "fma formats",
            format!("{mul:?} x {acc:?}"),
            format!("the {w}-bit sum window exceeds the 128 columns a product tree has"),
        ));
    }
    // Exponents (back-end form: biased in `acc`, of sum bit W − 3, the bit below the top of
    // the W − 1 bits passed on) with the product in place (EwP) or the addend at Kmax (EwC).
    let top = i64::from(acc.bias()) + w as i64 - 3;
    let cp = -2 * i64::from(mul.bias() + mul.man_bits() as i32) - l as i64 + top;
    let cc = -i64::from(acc.bias() + acc.man_bits() as i32) - kmax as i64 + top;
    let (em, ea) = ((1i64 << mul.exp_bits()) - 1, (1i64 << acc.exp_bits()) - 1);
    let lo = cp.min(cc).min(cp - cc - ea);
    let hi = (2 * em + cp).max(ea + cc).max(2 * em + cp - cc);
    let ew = signed_width(lo, hi);
    let (ewp, ewc, s) = b.with_label("exponent", |b| -> Result<_> {
        let ewp = sum_bus(b, cfg.adder, &[(&x.exp, false), (&y.exp, false)], cp, ew)?;
        let ewc = sum_bus(b, cfg.adder, &[(&z.exp, false)], cc, ew)?;
        // s = EwP − EwC: how far right of Kmax the addend's bit 0 goes.
        let s = sum_bus(
            b,
            cfg.adder,
            &[(&x.exp, false), (&y.exp, false), (&z.exp, true)],
            cp - cc,
            ew,
        )?;
        Ok((ewp, ewc, s))
    })?;
    let (clamp, s_neg, p_sticky) = b.with_label("align", |b| {
        let pzero = b.or(x.zero, y.zero);
        let s_neg = s[ew - 1];
        let clamp = b.or(s_neg, pzero);
        // Product clamped away: it becomes the sticky bit (non-zero, as pzero is clear).
        let npz = b.not(pzero);
        (clamp, s_neg, b.and(s_neg, npz))
    });
    let mut exp = b.with_label("exponent", |b| mux_bus(b, clamp, &ewp, &ewc));
    // Effective exponents are at least 1: when neither window exponent can be negative
    // (FP16/BF16/FP8 products in FP32, FP8 in FP16), the sign wire is the constant 0 and
    // the back end builds no denormalizing shifter (its left shift, limited by the
    // exponent, still makes tiny results subnormal).
    if (2 + cp).min(1 + cc) >= 0 {
        exp[ew - 1] = b.zero();
    }
    let keep: Vec<Wire> = b.with_label("align", |b| {
        let keep = b.not(clamp);
        s[..ew - 1].iter().map(|&v| b.and(v, keep)).collect()
    });
    let mut field = vec![b.zero(); kmax];
    field.extend_from_slice(&z.sig);
    b.push_label("align");
    let shifted = build_shift_right_sticky(b, &field, &keep);
    b.pop_label();
    let (aligned, c_sticky) = shifted?;
    let (sp, sub) = b.with_label("sign", |b| {
        let sp = b.xor(x.sign, y.sign);
        let sub = b.xor(sp, z.sign);
        (sp, sub)
    });
    let xs: Vec<Wire> = b.with_label("align", |b| {
        let keep = b.not(s_neg);
        x.sig.iter().map(|&v| b.and(v, keep)).collect()
    });
    // One tree: partial products of x × y at column L, the (inverted) addend, the carry in.
    let spec = significand_spec(mul.precision(), cfg);
    let sum = {
        let mut lg = NetLogic::new(b, cfg.adder);
        let mut mat: PpMatrix<Wire> = PpMatrix::new(w);
        lg.b.push_label("partial products");
        let mut xa = vec![Bit::Zero; l];
        xa.extend(bits(&xs));
        add_partial_products(
            &mut lg,
            &mut mat,
            spec.partial_products,
            Signedness::Unsigned,
            &xa,
            &bits(&y.sig),
        );
        lg.b.pop_label();
        lg.b.push_label("addend");
        let mut row: Vec<Bit<Wire>> = aligned
            .iter()
            .map(|&v| Bit::Wire(lg.b.xor(v, sub)))
            .collect();
        row.push(Bit::Wire(sub));
        mat.add_row(0, &row);
        let nst = lg.b.not(c_sticky);
        let cin = lg.b.and(sub, nst);
        mat.add_bit(0, Bit::Wire(cin));
        lg.b.pop_label();
        lg.b.push_label("reduction");
        let red = reduce(&mut lg, &mat, spec.reduction);
        lg.b.pop_label();
        lg.b.push_label("sum");
        let s = final_add(&mut lg, &red.columns);
        let out = lg.wires(&s);
        lg.b.pop_label();
        lg.finish()?;
        out
    };
    // A negative difference: magnitude ~X + 1, or ~X when the clamped product was a sticky
    // bit (|V| = Ca − ε = (Ca − 1) + (1 − ε)).
    let neg = b.with_label("negate", |b| b.and(sub, sum[w - 1]));
    b.push_label("negate");
    let flipped: Vec<Wire> = sum[..w - 1].iter().map(|&v| b.xor(v, neg)).collect();
    let nps = b.not(p_sticky);
    let inc = b.and(neg, nps);
    let r = build_incrementer(b, cfg.adder, &flipped, inc);
    b.pop_label();
    let (mag, _) = r?;
    let (sign, zero_sign, sticky) = b.with_label("sign", |b| {
        let sticky = b.or(p_sticky, c_sticky);
        let sign = b.xor(sp, neg);
        // Exact zero: the common sign of like-signed zeros, else +0 (−0 toward −∞).
        let zero_sign = b.mux(sub, sp, rdn);
        (sign, zero_sign, sticky)
    });
    // Specials.
    let (zero_times_inf, conflict, inf, inf_sign) = b.with_label("special", |b| {
        let p = b.and(x.inf, y.zero);
        let q = b.and(y.inf, x.zero);
        let zero_times_inf = b.or(p, q);
        let p_inf = b.or(x.inf, y.inf);
        let both = b.and(p_inf, z.inf);
        let conflict = b.and(both, sub);
        let inf = b.or(p_inf, z.inf);
        let inf_sign = b.mux(p_inf, z.sign, sp);
        (zero_times_inf, conflict, inf, inf_sign)
    });
    let special = special_result(
        b,
        &[(x, mul), (y, mul), (z, acc)],
        acc,
        cfg.nan,
        zero_times_inf,
        conflict,
        inf,
        inf_sign,
    );
    Ok((
        Unrounded {
            sign,
            zero_sign: Some(zero_sign),
            exp,
            sig: mag,
            sticky,
        },
        special,
    ))
}

/// Unpacks `a`, `b` (in `mul`) and `c` (in `acc`) and builds `a × b + c` before rounding.
#[allow(clippy::too_many_arguments)]
pub(crate) fn build_fma_unrounded(
    b: &mut Builder,
    mul: FloatFormat,
    acc: FloatFormat,
    cfg: &FpUnitConfig,
    a: &[Wire],
    x: &[Wire],
    c: &[Wire],
    rdn: Wire,
) -> Result<(Unrounded, SpecialCase)> {
    let oa = unpack(b, mul, a, cfg.flush_subnormals)?;
    let ob = unpack(b, mul, x, cfg.flush_subnormals)?;
    let oc = unpack(b, acc, c, cfg.flush_subnormals)?;
    build_fma_core(b, mul, acc, cfg, &oa, &ob, &oc, rdn)
}
