//! The two-path (near/far) floating-point adder: the classic latency optimization that keeps
//! the leading-zero count off the far path and the alignment shifter off the near path.

use super::adder::front;
use super::align::build_shift_right_sticky;
use super::config::{FpUnitConfig, check_format};
use super::normalize::{Normalized, build_normalize, build_normalize_unbounded};
use super::pack::{FpResult, RoundPackInput, build_round_pack_from_normalized};
use super::round::ModeWires;
use crate::circuits::adders::{build_add_sub, build_adder};
use crate::float::FloatFormat;
use crate::gates::{Builder, Netlist, Wire};
use crate::{Error, Result};

/// A finished two-path floating-point adder/subtractor: the same function and ports as
/// [`fp_adder`](super::fp_adder) (bit-exact with the soft float), built as a near/far
/// design. See [`build_fp_adder_near_far`] for the structure.
///
/// # Errors
/// As [`fp_adder`](super::fp_adder) (naming `fp adder format`).
///
/// # Examples
///
/// The two designs agree; the two-path one is larger and shallower:
///
/// ```
/// use arithsim::circuits::fp::{fp_adder, fp_adder_near_far, FpUnitConfig};
/// use arithsim::float::FloatFormat;
///
/// let cfg = FpUnitConfig::default();
/// let one = fp_adder(FloatFormat::FP32, &cfg)?;
/// let two = fp_adder_near_far(FloatFormat::FP32, &cfg)?;
/// let (a, b) = (1.5f32.to_bits() as u64, (-1.4999999f32).to_bits() as u64);
/// let run = |n: &arithsim::gates::Netlist| n.eval_u64(&[("a", &[a]), ("b", &[b]), ("sub", &[0])]);
/// assert_eq!(run(&one)?.get("y")?, run(&two)?.get("y")?);
/// assert_eq!(run(&two)?.get("y")?[0], u128::from((1.5f32 - 1.4999999f32).to_bits()));
/// assert!(two.gate_count() > one.gate_count());
/// assert!(two.stats().depth < one.stats().depth);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn fp_adder_near_far(format: FloatFormat, cfg: &FpUnitConfig) -> Result<Netlist> {
    super::adder::adder_netlist(format, cfg, build_fp_adder_near_far)
}

/// Adds the two-path adder/subtractor to `b` under label `fp add near-far`.
///
/// The front end (unpack, magnitude swap, exponent difference `d`, specials) is the single
/// path's. Then two paths run side by side:
///
/// * `far` (an effective addition, or a subtraction with `d ≥ 2`): alignment shifter with
///   sticky, one adder/subtractor; the sum's leading one is within two places (a carry,
///   or one place of cancellation), so a one-place shift (`far/realign`, by the operation)
///   leaves it in the top two bits.
/// * `near` (a subtraction with `d ≤ 1`): a one-place alignment, one subtractor (exact: no
///   sticky), then the leading-zero count and the normalization shifter (limited by the
///   exponent, so tiny results come out subnormal).
///
/// The far sum gets a one-place normalization, the near difference a full one; a mux picks
/// the normalized path, and the shared back end rounds and packs it (skipping its own
/// normalization). So the critical path holds either the alignment shifter or the
/// leading-zero count and normalization shifter, not both, at the price of a second
/// significand adder and a second normalizer.
///
/// # Errors
/// As [`build_fp_adder`](super::build_fp_adder).
pub fn build_fp_adder_near_far(
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
    if a.len() != x.len() || a.len() != format.width() as usize {
        return Err(Error::Shape(format!(
            "adder operands have {} and {} bits; the format has {}",
            a.len(),
            x.len(),
            format.width()
        )));
    }
    b.push_label("fp add near-far");
    let r = near_far(b, format, cfg, mode, a, x, sub);
    b.pop_label();
    r
}

fn near_far(
    b: &mut Builder,
    format: FloatFormat,
    cfg: &FpUnitConfig,
    mode: &ModeWires,
    a: &[Wire],
    x: &[Wire],
    sub: Wire,
) -> Result<FpResult> {
    let p = format.man_bits() as usize + 1;
    let e = format.exp_bits() as usize;
    let w = p + 4;
    let f = front(b, format, cfg, mode, a, x, sub)?;
    let zero = b.zero();
    // Near: an effective subtraction with d <= 1.
    let near_sel = {
        let high = b.or_all(&f.d[1..]);
        let small_d = b.not(high);
        b.and(f.effective_sub, small_d)
    };
    // Big operand in the p + 4 layout: sticky, round, guard, significand, carry.
    let mut big = vec![zero; 3];
    big.extend_from_slice(&f.big_sig);
    big.push(zero);
    // --- far path.
    let (far_sig, far_exp) = b.with_label("far", |b| -> Result<_> {
        let mut small = vec![zero; 2];
        small.extend_from_slice(&f.small_sig);
        let (aligned, sticky) = build_shift_right_sticky(b, &small, &f.d)?;
        let mut sm = vec![sticky];
        sm.extend_from_slice(&aligned);
        sm.push(zero);
        let sum = b
            .with_label("significand add", |b| {
                build_add_sub(b, cfg.adder, &big, &sm, f.effective_sub)
            })?
            .0;
        // An addition's leading one is at the carry or below it; a subtraction's (d >= 2)
        // one or two places below the carry: shift those up by one place, exponent − 1.
        let (sig, exp) = b.with_label("realign", |b| -> Result<_> {
            let sig: Vec<Wire> = (0..w)
                .map(|i| {
                    let up = if i > 0 { sum[i - 1] } else { zero };
                    b.mux(f.effective_sub, sum[i], up)
                })
                .collect();
            let ones = vec![b.one(); e];
            let (dec, _) = build_adder(b, cfg.adder, &f.big_exp, &ones, zero)?;
            let exp: Vec<Wire> = f
                .big_exp
                .iter()
                .zip(&dec)
                .map(|(&u, &v)| b.mux(f.effective_sub, u, v))
                .collect();
            Ok((sig, exp))
        })?;
        Ok((sig, exp))
    })?;
    // --- near path.
    let near = b.with_label("near", |b| -> Result<_> {
        // Small aligned by d[0] into the guard bit; exact.
        let mut sm = vec![zero; 2];
        for i in 0..p + 1 {
            let here = if i >= 1 { f.small_sig[i - 1] } else { zero };
            let down = if i < p { f.small_sig[i] } else { zero };
            sm.push(b.mux(f.d[0], here, down));
        }
        sm.push(zero);
        let one = b.one();
        let diff = b
            .with_label("significand sub", |b| {
                build_add_sub(b, cfg.adder, &big, &sm, one)
            })?
            .0;
        let mut exp = f.big_exp.clone();
        exp.push(zero);
        if cfg.flush_subnormals {
            build_normalize_unbounded(b, &diff, &exp, cfg.adder, false)
        } else {
            build_normalize(b, &diff, &exp, cfg.adder, false)
        }
    })?;
    // The far sum's leading one is in its top two bits: a one-place normalization.
    let far = b.with_label("far", |b| -> Result<_> {
        let mut exp = far_exp;
        exp.push(zero);
        if cfg.flush_subnormals {
            build_normalize_unbounded(b, &far_sig, &exp, cfg.adder, true)
        } else {
            build_normalize(b, &far_sig, &exp, cfg.adder, true)
        }
    })?;
    // --- select and round (k buses extended to one width, signed under FTZ).
    let n = b.with_label("path select", |b| {
        let kw = far.k.len().max(near.k.len());
        let ext = |v: &[Wire]| -> Vec<Wire> {
            let fill = if cfg.flush_subnormals {
                v[v.len() - 1]
            } else {
                zero
            };
            let mut v = v.to_vec();
            v.resize(kw, fill);
            v
        };
        let pick = |b: &mut Builder, u: &[Wire], v: &[Wire]| -> Vec<Wire> {
            u.iter()
                .zip(v)
                .map(|(&x, &y)| b.mux(near_sel, x, y))
                .collect()
        };
        let (fk, nk) = (ext(&far.k), ext(&near.k));
        Normalized {
            sig: pick(b, &far.sig, &near.sig),
            k: pick(b, &fk, &nk),
            sticky: b.mux(near_sel, far.sticky, near.sticky),
            zero: b.mux(near_sel, far.zero, near.zero),
        }
    });
    let input = RoundPackInput {
        sign: f.big_sign,
        zero_sign: Some(f.zero_sign),
        exp: &[],
        sig: &[],
        sticky: zero,
        special: Some(f.special),
    };
    build_round_pack_from_normalized(b, format, cfg, mode, &input, n)
}
