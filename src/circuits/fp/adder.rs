//! The floating-point adder/subtractor (single path).

use super::align::build_shift_right_sticky;
use super::config::{FpUnitConfig, check_format};
use super::pack::{
    FpResult, RoundPackInput, SpecialCase, build_nan_select, build_round_pack, default_nan_bits,
};
use super::round::ModeWires;
use super::unpack::build_unpack;
use crate::circuits::adders::{build_add_sub, build_adder, build_less_than};
use crate::float::FloatFormat;
use crate::gates::{Builder, Netlist, Wire};
use crate::repr::Signedness;
use crate::{Error, Result};

/// A finished floating-point adder/subtractor for `format`: `y = a + b`, or `a − b` when the
/// one-bit input `sub` is 1, rounded once, bit-exact with
/// [`FloatFormat::add`]/[`FloatFormat::sub`] under [`FpUnitConfig::env`].
///
/// Ports: inputs `a`, `b` (`format.width()` bits), `sub` (1 bit) and, for
/// [`RoundingControl::Input`](super::RoundingControl::Input), `rm` (3 bits); outputs `y` and
/// the one-bit flags `invalid`, `overflow`, `underflow`, `inexact`. See [`build_fp_adder`]
/// for the structure.
///
/// # Errors
/// [`Error::InvalidWidth`] naming `fp adder format` for a format wider than 32 bits;
/// the errors of [`FpUnitConfig::validate`].
///
/// # Examples
///
/// An FP16 adder computing 1.5 + 2.25 and 1.5 − 2.25:
///
/// ```
/// use arithsim::circuits::fp::{fp_adder, FpUnitConfig};
/// use arithsim::float::FloatFormat;
///
/// let net = fp_adder(FloatFormat::FP16, &FpUnitConfig::default())?;
/// let (a, b) = (0x3E00, 0x4080); // 1.5, 2.25
/// let out = net.eval_u64(&[("a", &[a, a]), ("b", &[b, b]), ("sub", &[0, 1])])?;
/// assert_eq!(out.get("y")?, &[0x4380, 0xBA00]); // 3.75, −0.75
/// assert_eq!(out.get("inexact")?, &[0, 0]);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn fp_adder(format: FloatFormat, cfg: &FpUnitConfig) -> Result<Netlist> {
    adder_netlist(format, cfg, build_fp_adder)
}

/// The signature of [`build_fp_adder`] and the near/far adder's builder.
pub(super) type BuildAdder = fn(
    &mut Builder,
    FloatFormat,
    &FpUnitConfig,
    &ModeWires,
    &[Wire],
    &[Wire],
    Wire,
) -> Result<FpResult>;

/// The finished adder netlist around one of the adder designs (single path or near/far):
/// ports `a`, `b`, `sub` (and `rm`), outputs `y` and the flags, dead logic swept.
pub(super) fn adder_netlist(
    format: FloatFormat,
    cfg: &FpUnitConfig,
    build: BuildAdder,
) -> Result<Netlist> {
    check_format("fp adder format", format)?;
    cfg.validate()?;
    let mut b = Builder::new();
    let w = format.width();
    let a = b.input("a", w)?;
    let x = b.input("b", w)?;
    let sub = b.input_bit("sub")?;
    let mode = ModeWires::build(&mut b, cfg.rounding)?;
    let r = build(&mut b, format, cfg, &mode, &a, &x, sub)?;
    r.output(&mut b)?;
    Ok(b.finish()?.sweep())
}

/// Adds the adder/subtractor to `b` under label `fp add`: `a ± b` of `format` (`sub` = 1
/// subtracts), rounded by `mode` ([`ModeWires`]).
///
/// Structure (sub-labels): `unpack` ×2; `swap` (magnitude compare of the two patterns, then
/// muxes put the larger operand first); `exponent difference` (one subtractor);
/// `align` (the smaller significand, with guard and round bits, shifted right by the
/// difference, everything shifted out ORed into a sticky bit that becomes the sum's lowest
/// bit); `significand add` (one adder/subtractor of `precision + 4` bits: carry, significand,
/// guard, round, sticky; the larger magnitude comes first, so the difference is never
/// negative); `specials` (NaN propagation by policy, ∞ − ∞ invalid, ∞ operands); then the
/// shared [`build_round_pack`](super::build_round_pack) normalizes the sum (a carry, or
/// cancellation after a subtraction), rounds and packs. An exact zero sum is +0, or −0
/// rounding toward −∞, unless both operands are zeros of one sign.
///
/// # Errors
/// As [`fp_adder`]; [`Error::Shape`] if `a` or `b` is not `format.width()` wide.
///
/// # Examples
///
/// A BF16 adder inside a larger circuit, its mode fixed to toward-zero, with only the sum
/// and the inexact flag as outputs:
///
/// ```
/// use arithsim::circuits::fp::{build_fp_adder, FpUnitConfig, ModeWires};
/// use arithsim::float::FloatFormat;
/// use arithsim::gates::Builder;
/// use arithsim::round::RoundingMode;
///
/// let f = FloatFormat::BF16;
/// let cfg = FpUnitConfig::default();
/// let mut b = Builder::new();
/// let x = b.input("x", 16)?;
/// let y = b.input("y", 16)?;
/// let mode = ModeWires::fixed(&b, RoundingMode::TowardZero)?;
/// let zero = b.zero();
/// let r = build_fp_adder(&mut b, f, &cfg, &mode, &x, &y, zero)?;
/// b.output("sum", &r.bits)?;
/// b.output("inexact", &[r.flags.inexact])?;
/// let net = b.finish()?;
/// let (one, tiny) = (0x3F80u64, 0x3B80u64); // 1.0 and 2^-8 (below BF16's last place at 1.0)
/// let out = net.eval_u64(&[("x", &[one]), ("y", &[tiny])])?;
/// assert_eq!((out.get("sum")?[0], out.get("inexact")?[0]), (0x3F80, 1));
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn build_fp_adder(
    b: &mut Builder,
    format: FloatFormat,
    cfg: &FpUnitConfig,
    mode: &ModeWires,
    a: &[Wire],
    x: &[Wire],
    sub: Wire,
) -> Result<FpResult> {
    check_format("fp adder format", format)?;
    cfg.validate()?;
    b.check_wires(&[sub])?;
    if a.len() != x.len() {
        return Err(Error::Shape(format!(
            "adder operands have {} and {} bits",
            a.len(),
            x.len()
        )));
    }
    b.push_label("fp add");
    let r = adder(b, format, cfg, mode, a, x, sub);
    b.pop_label();
    r
}

/// What the two adder designs share: operands unpacked and ordered by magnitude, the
/// exponent difference, the effective operation, the special results and the exact-zero
/// sign.
pub(super) struct Front {
    pub(super) big_exp: Vec<Wire>,
    pub(super) big_sig: Vec<Wire>,
    pub(super) small_sig: Vec<Wire>,
    pub(super) big_sign: Wire,
    /// `big_exp − small_exp` (non-negative, `exp_bits` wide).
    pub(super) d: Vec<Wire>,
    pub(super) effective_sub: Wire,
    pub(super) special: SpecialCase,
    pub(super) zero_sign: Wire,
}

pub(super) fn front(
    b: &mut Builder,
    format: FloatFormat,
    cfg: &FpUnitConfig,
    mode: &ModeWires,
    a: &[Wire],
    x: &[Wire],
    sub: Wire,
) -> Result<Front> {
    let width = format.width() as usize;
    let daz = cfg.flush_subnormals;
    let ua = build_unpack(b, format, a, daz)?;
    let ub = build_unpack(b, format, x, daz)?;
    let sb = b.xor(ub.sign, sub);
    let sa = ua.sign;
    let (big_exp, big_sig, small_exp, small_sig, big_sign) =
        b.with_label("swap", |b| -> Result<_> {
            let swap = build_less_than(b, &ua.mag, &ub.mag, Signedness::Unsigned)?;
            let pick = |b: &mut Builder, u: &[Wire], v: &[Wire]| -> (Vec<Wire>, Vec<Wire>) {
                u.iter()
                    .zip(v)
                    .map(|(&p, &q)| (b.mux(swap, p, q), b.mux(swap, q, p)))
                    .unzip()
            };
            let (be, se) = pick(b, &ua.exp, &ub.exp);
            let (bs, ss) = pick(b, &ua.sig, &ub.sig);
            let sign = b.mux(swap, sa, sb);
            Ok((be, bs, se, ss, sign))
        })?;
    let d = b.with_label("exponent difference", |b| -> Result<_> {
        let ns: Vec<Wire> = small_exp.iter().map(|&v| b.not(v)).collect();
        let one = b.one();
        Ok(build_adder(b, cfg.adder, &big_exp, &ns, one)?.0)
    })?;
    let effective_sub = b.xor(sa, sb);
    let special = b.with_label("specials", |b| {
        let nan_any = b.or(ua.is_nan, ub.is_nan);
        let nan = build_nan_select(b, format, cfg.nan, &[(ua.is_nan, a), (ub.is_nan, x)]);
        let both_inf = b.and(ua.is_inf, ub.is_inf);
        let inf_inf = b.and(both_inf, effective_sub);
        let dnan = default_nan_bits(b, format, cfg.nan);
        // b with its effective sign.
        let mut bx = x.to_vec();
        bx[width - 1] = sb;
        let inf_val: Vec<Wire> = a
            .iter()
            .zip(&bx)
            .map(|(&p, &q)| b.mux(ua.is_inf, q, p))
            .collect();
        let v: Vec<Wire> = inf_val
            .iter()
            .zip(&dnan)
            .map(|(&i, &n)| b.mux(inf_inf, i, n))
            .collect();
        let bits: Vec<Wire> = v
            .iter()
            .zip(&nan)
            .map(|(&i, &n)| b.mux(nan_any, i, n))
            .collect();
        let any_inf = b.or(ua.is_inf, ub.is_inf);
        let active = b.or(nan_any, any_inf);
        let snan = b.or(ua.is_snan, ub.is_snan);
        let nan_inv = b.and(nan_any, snan);
        let invalid = b.or(nan_inv, inf_inf);
        SpecialCase {
            active,
            bits,
            invalid,
        }
    });
    // Exact zero: (±0) + (±0) of one sign keeps it; otherwise +0, or −0 toward −∞.
    let zero_sign = b.mux(effective_sub, sa, mode.rdn);
    Ok(Front {
        big_exp,
        big_sig,
        small_sig,
        big_sign,
        d,
        effective_sub,
        special,
        zero_sign,
    })
}

fn adder(
    b: &mut Builder,
    format: FloatFormat,
    cfg: &FpUnitConfig,
    mode: &ModeWires,
    a: &[Wire],
    x: &[Wire],
    sub: Wire,
) -> Result<FpResult> {
    let p = format.man_bits() as usize + 1;
    let f = front(b, format, cfg, mode, a, x, sub)?;
    // Smaller significand with guard and round bits, aligned.
    let mut small = vec![b.zero(); 2];
    small.extend_from_slice(&f.small_sig);
    let (aligned, sticky) = build_shift_right_sticky(b, &small, &f.d)?;
    // Sum layout (p + 4 bits): sticky, round, guard, significand, carry.
    let sum = b.with_label("significand add", |b| -> Result<_> {
        let zero = b.zero();
        let mut big = vec![zero; 3];
        big.extend_from_slice(&f.big_sig);
        big.push(zero);
        let mut sm = vec![sticky];
        sm.extend_from_slice(&aligned);
        sm.push(zero);
        Ok(build_add_sub(b, cfg.adder, &big, &sm, f.effective_sub)?.0)
    })?;
    debug_assert_eq!(sum.len(), p + 4);
    let mut exp = f.big_exp;
    exp.push(b.zero());
    let input = RoundPackInput {
        sign: f.big_sign,
        zero_sign: Some(f.zero_sign),
        exp: &exp,
        sig: &sum,
        sticky: b.zero(),
        special: Some(f.special),
    };
    build_round_pack(b, format, cfg, mode, &input)
}
