//! Fused multiply-add `a × b + c` with one rounding, mixed formats: `a`, `b` in the product
//! format, `c` and the result in the accumulator format.
//!
//! # Datapath
//!
//! ```text
//!  a ─unpack─┐                       c ─unpack─┐
//!  b ─unpack─┴─ partial products      │         exponents → shift amount s, clamp
//!              (at column L)          └─ align: c placed at column Kmax, shifted right
//!                    │                          by s with a sticky OR of what falls off
//!                    └──── one reduction tree + one W-bit adder ────┘ (c inverted when
//!                                          │                         signs differ)
//!                            negate if negative (incrementer), zero sign
//!                                          │
//!                          shared round-and-pack back end (one rounding)
//! ```
//!
//! The window is `W = 2·pa + 2·pm + 3` bits (`pm`, `pa` the two precisions): the product
//! sits at columns `L = pa + 1` up, the addend may sit anywhere from column 0 to
//! `Kmax = L + 2·pm + 1`. An addend further right loses bits only into the sticky bit (the
//! product, at least `2^L`, is then more than 4 times larger, so the result keeps a guard
//! bit above the lost ones); an addend further left is clamped at `Kmax` and the product,
//! then below the result's guard bit, becomes the sticky bit. A zero product always takes
//! the clamped position, so a lone addend is never cut.

use super::product_parts::{
    Operand, SpecialResult, Unrounded, mux_bus, shift_right_sticky, signed_width, special_result,
    sum_bus, unpack,
};
use super::FpUnitConfig;
use crate::circuits::adders::build_incrementer;
use crate::circuits::multipliers::{Bit, NetLogic, PpMatrix, add_partial_products, bits, final_add, reduce};
use crate::circuits::multipliers::Signedness;
use crate::float::FloatFormat;
use crate::gates::{Builder, Wire};
use crate::{Error, Result};

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
    pub(crate) fn new(mul: FloatFormat, acc: FloatFormat) -> Window {
        let pm = mul.precision() as usize;
        let pa = acc.precision() as usize;
        let l = pa + 1;
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

/// `x × y + z` before rounding: `x`, `y` unpacked in `mul`, `z` in `acc`; `rtn` says the
/// rounding mode is toward −∞ (for the sign of an exact zero sum).
pub(crate) fn build_fma_core(
    b: &mut Builder,
    mul: FloatFormat,
    acc: FloatFormat,
    cfg: &FpUnitConfig,
    x: &Operand,
    y: &Operand,
    z: &Operand,
    rtn: Wire,
) -> Result<(Unrounded, SpecialResult)> {
    let win = Window::new(mul, acc);
    let Window { pm, pa, l, kmax, w } = win;
    // Exponents of the window's bit 0: EwP (product in place), EwC (addend at Kmax).
    let cp = -2 * i64::from(mul.bias() + mul.man_bits() as i32) - l as i64;
    let cc = -i64::from(acc.bias() + acc.man_bits() as i32) - kmax as i64;
    let (em, ea) = (
        (1i64 << mul.exp_bits()) - 1,
        (1i64 << acc.exp_bits()) - 1,
    );
    let lo = (cp).min(cc).min(cp - cc - ea);
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
    let pzero = b.or(x.zero, y.zero);
    let s_neg = s[ew - 1];
    let clamp = b.or(s_neg, pzero);
    let exp = b.with_label("exponent", |b| mux_bus(b, clamp, &ewp, &ewc));
    // Product clamped away: it becomes the sticky bit (it is non-zero: pzero is clear).
    let npz = b.not(pzero);
    let p_sticky = b.and(s_neg, npz);
    let (aligned, c_sticky) = b.with_label("align", |b| {
        let keep = b.not(clamp);
        let amount: Vec<Wire> = s[..ew - 1].iter().map(|&v| b.and(v, keep)).collect();
        let mut field = vec![b.zero(); kmax];
        field.extend_from_slice(&z.sig);
        shift_right_sticky(b, &field, &amount)
    });
    debug_assert_eq!(aligned.len(), w - 1);
    let sp = b.xor(x.sign, y.sign);
    let sub = b.xor(sp, z.sign);
    // One tree: partial products of x × y at column L, the (inverted) addend, the carry in.
    let xs: Vec<Wire> = {
        let keep = b.not(s_neg);
        b.with_label("align", |b| x.sig.iter().map(|&v| b.and(v, keep)).collect())
    };
    let sum = {
        let mut lg = NetLogic::new(b, cfg.adder);
        let mut mat: PpMatrix<Wire> = PpMatrix::new(w);
        lg.b.push_label("partial products");
        let mut xa = vec![Bit::Zero; l];
        xa.extend(bits(&xs));
        add_partial_products(
            &mut lg,
            &mut mat,
            cfg.multiplier.partial_products,
            Signedness::Unsigned,
            &xa,
            &bits(&y.sig),
        );
        lg.b.pop_label();
        lg.b.push_label("addend");
        let mut row: Vec<Bit<Wire>> = aligned.iter().map(|&v| Bit::Wire(lg.b.xor(v, sub))).collect();
        row.push(Bit::Wire(sub));
        mat.add_row(0, &row);
        let nst = lg.b.not(c_sticky);
        let cin = lg.b.and(sub, nst);
        mat.add_bit(0, Bit::Wire(cin));
        lg.b.pop_label();
        lg.b.push_label("reduction");
        let red = reduce(&mut lg, &mat, cfg.multiplier.reduction);
        lg.b.pop_label();
        lg.b.push_label("sum");
        let s = final_add(&mut lg, &red.columns);
        let out = lg.wires(&s);
        lg.b.pop_label();
        lg.finish()?;
        out
    };
    let _ = (pm, pa);
    // A negative difference: magnitude ~X + 1, or ~X when the clamped product was a sticky
    // bit (|V| = Ca − ε = (Ca − 1) + (1 − ε)).
    let neg = b.and(sub, sum[w - 1]);
    let (mag, sign, sticky) = {
        b.push_label("negate");
        let flipped: Vec<Wire> = sum.iter().map(|&v| b.xor(v, neg)).collect();
        let nps = b.not(p_sticky);
        let inc = b.and(neg, nps);
        let r = build_incrementer(b, cfg.adder, &flipped, inc);
        b.pop_label();
        let (mag, _) = r?;
        b.push_label("sign");
        let sticky = b.or(p_sticky, c_sticky);
        let nz = b.or_all(&mag);
        let any = b.or(nz, sticky);
        let s_nz = b.xor(sp, neg);
        let s_zero = b.mux(sub, sp, rtn);
        let sign = b.mux(any, s_zero, s_nz);
        b.pop_label();
        (mag, sign, sticky)
    };
    let mag = mag[..w - 1].to_vec();
    // Specials.
    let zero_times_inf = b.with_label("special", |b| {
        let p = b.and(x.inf, y.zero);
        let q = b.and(y.inf, x.zero);
        b.or(p, q)
    });
    let p_inf = b.or(x.inf, y.inf);
    let conflict = {
        let both = b.and(p_inf, z.inf);
        b.and(both, sub)
    };
    let inf = b.or(p_inf, z.inf);
    let inf_sign = b.mux(p_inf, z.sign, sp);
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
            exp,
            sig: mag,
            sticky,
        },
        special,
    ))
}

/// Unpacks `a`, `b` (in `mul`) and `c` (in `acc`) and builds `a × b + c` before rounding.
pub(crate) fn build_fma_unrounded(
    b: &mut Builder,
    mul: FloatFormat,
    acc: FloatFormat,
    cfg: &FpUnitConfig,
    a: &[Wire],
    x: &[Wire],
    c: &[Wire],
    rtn: Wire,
) -> Result<(Unrounded, SpecialResult)> {
    let oa = unpack(b, mul, a, cfg.flush_subnormals);
    let ob = unpack(b, mul, x, cfg.flush_subnormals);
    let oc = unpack(b, acc, c, cfg.flush_subnormals);
    build_fma_core(b, mul, acc, cfg, &oa, &ob, &oc, rtn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::float::FloatEnv;
    use crate::gates::{BatchOutput, Simulator};
    use crate::round::{Flags, RoundingMode};

    const MODES: [RoundingMode; 6] = [
        RoundingMode::NearestEven,
        RoundingMode::NearestAway,
        RoundingMode::TowardZero,
        RoundingMode::TowardPositive,
        RoundingMode::TowardNegative,
        RoundingMode::ToOdd,
    ];

    fn core_net(mul: FloatFormat, acc: FloatFormat, cfg: &FpUnitConfig) -> crate::gates::Netlist {
        let mut b = Builder::new();
        let a = b.input("a", mul.width()).unwrap();
        let x = b.input("b", mul.width()).unwrap();
        let c = b.input("c", acc.width()).unwrap();
        let rtn = b.input_bit("rtn").unwrap();
        let (u, s) = build_fma_unrounded(&mut b, mul, acc, cfg, &a, &x, &c, rtn).unwrap();
        b.output("sign", &[u.sign]).unwrap();
        b.output("exp", &u.exp).unwrap();
        b.output("sig", &u.sig).unwrap();
        b.output("sticky", &[u.sticky]).unwrap();
        b.output("nan", &[s.nan]).unwrap();
        b.output("nan_value", &s.nan_value).unwrap();
        b.output("inf", &[s.inf]).unwrap();
        b.output("inf_sign", &[s.inf_sign]).unwrap();
        b.output("invalid", &[s.invalid]).unwrap();
        b.finish().unwrap()
    }

    fn reference(mul: FloatFormat, acc: FloatFormat, a: u64, b: u64, c: u64, env: &FloatEnv) -> (u64, Flags) {
        let ca = mul.convert(a, acc, env);
        let cb = mul.convert(b, acc, env);
        let r = acc.fma(ca.value, cb.value, c, env);
        (r.value, r.flags | ca.flags | cb.flags)
    }

    /// Checks the core on the given triples in every mode: rounding its intermediate with
    /// the soft float's round_pack must give the soft float's fma.
    fn check(mul: FloatFormat, acc: FloatFormat, cfg: &FpUnitConfig, triples: &[(u64, u64, u64)]) {
        let net = core_net(mul, acc, cfg);
        let mut sim = Simulator::new(&net, 16).unwrap();
        let a: Vec<u64> = triples.iter().map(|t| t.0).collect();
        let bb: Vec<u64> = triples.iter().map(|t| t.1).collect();
        let c: Vec<u64> = triples.iter().map(|t| t.2).collect();
        for rtn in [0u64, 1] {
            let r = vec![rtn; triples.len()];
            let mut out = BatchOutput::default();
            sim.run(&[("a", &a), ("b", &bb), ("c", &c), ("rtn", &r)], &mut out).unwrap();
            let ew = net.output("exp").unwrap().width() as u32;
            for (i, &(x, y, z)) in triples.iter().enumerate() {
                let g = |n: &str| out.get(n).unwrap()[i];
                for mode in MODES {
                    if (mode == RoundingMode::TowardNegative) != (rtn == 1) {
                        continue;
                    }
                    let mut env = cfg.env(mode);
                    let (want, wf) = reference(mul, acc, x, y, z, &env);
                    let got = if g("nan") == 1 {
                        (g("nan_value") as u64, if g("invalid") == 1 { Flags::INVALID } else { Flags::empty() })
                    } else if g("inf") == 1 {
                        (acc.sign_bits(g("inf_sign") == 1) | acc.infinity_bits().unwrap(), Flags::empty())
                    } else {
                        let e = ((g("exp") as i64) << (64 - ew)) >> (64 - ew);
                        env.tininess = crate::float::Tininess::AfterRounding;
                        let r = acc.round_pack(g("sign") == 1, g("sig"), e as i32, g("sticky") == 1, &env);
                        (r.value, r.flags)
                    };
                    assert_eq!(
                        got,
                        (want, wf),
                        "{mul:?}x{acc:?} {mode:?} a={x:#x} b={y:#x} c={z:#x} sig={:#x} exp={} st={}",
                        g("sig"),
                        ((g("exp") as i64) << (64 - ew)) >> (64 - ew),
                        g("sticky")
                    );
                }
            }
        }
    }

    fn all_triples(mul: FloatFormat, acc: FloatFormat) -> Vec<(u64, u64, u64)> {
        let (nm, na) = (1u64 << mul.width(), 1u64 << acc.width());
        let mut v = Vec::new();
        for a in 0..nm {
            for b in 0..nm {
                for c in 0..na {
                    v.push((a, b, c));
                }
            }
        }
        v
    }

    #[test]
    fn fp4_all_triples() {
        for daz in [false, true] {
            let cfg = FpUnitConfig::default().with_flush_subnormals(daz);
            check(FloatFormat::FP4_E2M1, FloatFormat::FP4_E2M1, &cfg, &all_triples(FloatFormat::FP4_E2M1, FloatFormat::FP4_E2M1));
        }
    }

    #[test]
    fn small_ieee_all_triples() {
        let f = FloatFormat::new(3, 2).unwrap();
        let g = FloatFormat::new(4, 3).unwrap();
        for daz in [false, true] {
            let cfg = FpUnitConfig::default().with_flush_subnormals(daz);
            check(f, f, &cfg, &all_triples(f, f));
            check(f, g, &cfg, &all_triples(f, g));
        }
    }

    #[test]
    fn fp8_sample() {
        let mut s = 0x1234_5678_9abc_def1u64;
        let mut next = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        for (m, a) in [
            (FloatFormat::FP8_E4M3, FloatFormat::FP16),
            (FloatFormat::FP8_E5M2, FloatFormat::FP16),
            (FloatFormat::FP8_E4M3, FloatFormat::FP32),
            (FloatFormat::FP16, FloatFormat::FP32),
            (FloatFormat::BF16, FloatFormat::FP32),
            (FloatFormat::FP32, FloatFormat::FP32),
            (FloatFormat::FP8_E4M3FNUZ, FloatFormat::FP8_E4M3FNUZ),
        ] {
            let t: Vec<(u64, u64, u64)> = (0..20000)
                .map(|_| {
                    let (x, y, z) = (next() & m.mask(), next() & m.mask(), next() & a.mask());
                    // Bring c near the product often, for cancellation.
                    let z = if next() % 3 == 0 {
                        let p = m.mul(x, y, &FloatEnv::default()).value;
                        let p = m.convert(p, a, &FloatEnv::default()).value;
                        (p ^ a.sign_bit()) ^ (next() & 7)
                    } else {
                        z
                    };
                    (x, y, z & a.mask())
                })
                .collect();
            check(m, a, &FpUnitConfig::default(), &t);
        }
    }
}
