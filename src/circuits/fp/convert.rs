//! The format converter: any format to any format, rounding when narrowing.

use super::config::{FpUnitConfig, check_format};
use super::pack::{
    FpResult, RoundPackInput, SpecialCase, build_round_pack, build_round_pack_normalized,
    constant_bits, default_nan_bits,
};
use super::round::ModeWires;
use super::unpack::build_unpack;
use crate::circuits::adders::build_adder;
use crate::float::{FloatFormat, NanPolicy, OverflowPolicy, Specials};
use crate::gates::{Builder, Netlist, Wire};
use crate::{Error, Result};

/// A finished converter from format `from` to format `to`, bit-exact with
/// [`FloatFormat::convert`] under [`FpUnitConfig::env`]: narrowing rounds (with overflow,
/// underflow and subnormal results), widening is exact (subnormal inputs are normalized).
///
/// Ports: input `a` (`from.width()` bits) and, for
/// [`RoundingControl::Input`](super::RoundingControl::Input), `rm`; outputs `y`
/// (`to.width()` bits), `invalid`, `overflow`, `underflow`, `inexact`.
///
/// # Errors
/// [`Error::InvalidWidth`] naming `converter source format` or `converter target format`
/// for a format wider than 32 bits; the errors of [`FpUnitConfig::validate`].
///
/// # Examples
///
/// FP32 → BF16 (round to nearest even) and FP32 → FP8 E4M3 (saturating 1000 to 448 needs
/// `OverflowPolicy::Saturate`; the default gives NaN):
///
/// ```
/// use arithsim::circuits::fp::{fp_converter, FpUnitConfig};
/// use arithsim::float::FloatFormat;
///
/// let cfg = FpUnitConfig::default();
/// let bf = fp_converter(FloatFormat::FP32, FloatFormat::BF16, &cfg)?;
/// let x = (1.0f32 / 3.0).to_bits() as u64;
/// assert_eq!(bf.eval_u64(&[("a", &[x])])?.get("y")?[0], 0x3EAB);
/// let e4 = fp_converter(FloatFormat::FP32, FloatFormat::FP8_E4M3, &cfg)?;
/// let out = e4.eval_u64(&[("a", &[1000f32.to_bits() as u64])])?;
/// assert_eq!((out.get("y")?[0], out.get("overflow")?[0]), (0x7F, 1));
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn fp_converter(from: FloatFormat, to: FloatFormat, cfg: &FpUnitConfig) -> Result<Netlist> {
    check_format("converter source format", from)?;
    check_format("converter target format", to)?;
    cfg.validate()?;
    let mut b = Builder::new();
    let a = b.input("a", from.width())?;
    let mode = ModeWires::build(&mut b, cfg.rounding)?;
    let r = build_fp_converter(&mut b, from, to, cfg, &mode, &a)?;
    r.output(&mut b)?;
    Ok(b.finish()?.sweep())
}

/// Adds the converter to `b` under label `fp convert`.
///
/// Structure: `unpack` the source; `exponent rebias` (the effective exponent plus the
/// constant `bias(to) − bias(from) − 1`, an adder with a constant operand, so the target's
/// exponent of the bit below the significand's top); `specials` (NaN by policy and target
/// convention, ∞ to ∞ or to NaN / largest finite with invalid); then the shared
/// [`build_round_pack`](super::build_round_pack) (its denormalizing right shift only when
/// the target's exponent can go below its range).
///
/// # Errors
/// As [`fp_converter`]; [`Error::Shape`] if `a` is not `from.width()` wide.
///
/// # Examples
///
/// FP16 to FP8 E5M2 with the mode on an `rm` port:
///
/// ```
/// use arithsim::circuits::fp::{build_fp_converter, FpUnitConfig, ModeWires, RoundingControl};
/// use arithsim::float::FloatFormat;
/// use arithsim::gates::Builder;
/// use arithsim::round::RoundingMode;
///
/// let cfg = FpUnitConfig::default();
/// let mut b = Builder::new();
/// let a = b.input("a", 16)?;
/// let mode = ModeWires::build(&mut b, RoundingControl::Input)?;
/// let r = build_fp_converter(&mut b, FloatFormat::FP16, FloatFormat::FP8_E5M2, &cfg, &mode, &a)?;
/// r.output(&mut b)?;
/// let net = b.finish()?;
/// let code = |m| RoundingControl::code(m).unwrap();
/// // 1.375 (0x3D80) lies between 1.25 and 1.5 in E5M2.
/// let out = net.eval_u64(&[
///     ("a", &[0x3D80, 0x3D80]),
///     ("rm", &[code(RoundingMode::TowardZero), code(RoundingMode::TowardPositive)]),
/// ])?;
/// assert_eq!(out.get("y")?, &[0x3D, 0x3E]);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn build_fp_converter(
    b: &mut Builder,
    from: FloatFormat,
    to: FloatFormat,
    cfg: &FpUnitConfig,
    mode: &ModeWires,
    a: &[Wire],
) -> Result<FpResult> {
    check_format("converter source format", from)?;
    check_format("converter target format", to)?;
    cfg.validate()?;
    if a.len() != from.width() as usize {
        return Err(Error::Shape(format!(
            "converter input has {} bits; the source format has {}",
            a.len(),
            from.width()
        )));
    }
    b.push_label("fp convert");
    let r = converter(b, from, to, cfg, mode, a);
    b.pop_label();
    r
}

/// Bits of a two's complement number holding every value of `lo..=hi`.
fn signed_bits(lo: i64, hi: i64) -> usize {
    let mut n = 2;
    while !((-(1i64 << (n - 1))) <= lo && hi < (1i64 << (n - 1))) {
        n += 1;
    }
    n
}

fn converter(
    b: &mut Builder,
    from: FloatFormat,
    to: FloatFormat,
    cfg: &FpUnitConfig,
    mode: &ModeWires,
    a: &[Wire],
) -> Result<FpResult> {
    let u = build_unpack(b, from, a, cfg.flush_subnormals)?;
    let fm = from.man_bits() as usize;
    let c = i64::from(to.bias()) - i64::from(from.bias()) - 1;
    let lo = 1 + c;
    let hi = from.exp_field_max() as i64 + c;
    let n = signed_bits(lo, hi);
    let exp = b.with_label("exponent rebias", |b| -> Result<Vec<Wire>> {
        // A non-negative range needs no sign: add modulo 2^(n−1), then a constant-0 sign.
        let bits = if lo >= 0 { n - 1 } else { n };
        let mut e = u.exp.clone();
        e.resize(bits, b.zero());
        let k = constant_bits(b, (c as u64) & ((1u64 << bits) - 1), bits);
        let zero = b.zero();
        let (mut s, _) = build_adder(b, cfg.adder, &e, &k, zero)?;
        if lo >= 0 {
            s.push(b.zero());
        }
        Ok(s)
    })?;
    let special = b.with_label("specials", |b| special_result(b, from, to, cfg, &u, a));
    // The raw sign: a flushed FNUZ subnormal converts to a zero of its own sign (unpack
    // clears it, as FNUZ's own zero is +0).
    let input = RoundPackInput {
        sign: a[from.width() as usize - 1],
        zero_sign: None,
        exp: &exp,
        sig: &u.sig,
        sticky: b.zero(),
        special: Some(special),
    };
    debug_assert_eq!(u.sig.len(), fm + 1);
    if cfg.flush_subnormals {
        // With denormals-are-zero the significand is 1.x or 0.
        build_round_pack_normalized(b, to, cfg, mode, &input)
    } else {
        build_round_pack(b, to, cfg, mode, &input)
    }
}

/// NaN and ∞ sources, as [`FloatFormat::convert`] treats them.
fn special_result(
    b: &mut Builder,
    from: FloatFormat,
    to: FloatFormat,
    cfg: &FpUnitConfig,
    u: &super::unpack::UnpackedOperand,
    a: &[Wire],
) -> SpecialCase {
    let tw = to.width() as usize;
    let tm = to.man_bits() as usize;
    let sign = a[from.width() as usize - 1];
    let with_sign = |b: &Builder, mag: u64, s: Wire| {
        let mut v = constant_bits(b, mag, tw - 1);
        v.push(s);
        v
    };
    // NaN.
    let (nan_bits, nan_invalid) = match (to.specials(), cfg.nan) {
        (Specials::FiniteOnly, _) => (constant_bits(b, 0, tw), b.one()),
        (_, NanPolicy::RiscV) => (default_nan_bits(b, to, NanPolicy::RiscV), u.is_snan),
        (Specials::Ieee, NanPolicy::X86) => {
            let mut v = with_sign(b, to.infinity_bits().unwrap_or(0) | to.quiet_bit(), sign);
            if from.specials() == Specials::Ieee {
                // The payload's top bits, aligned at the top of the target mantissa.
                let fm = from.man_bits() as usize;
                for (i, bit) in v.iter_mut().enumerate().take(tm - 1) {
                    // Target bit i carries source bit i + fm − tm (when it exists).
                    if let Some(j) = (i + fm).checked_sub(tm) {
                        if j < fm {
                            *bit = a[j];
                        }
                    }
                }
            }
            (v, u.is_snan)
        }
        (Specials::NanAllOnes, NanPolicy::X86) => {
            (with_sign(b, to.sign_bit() - 1, sign), u.is_snan)
        }
        (Specials::Fnuz, NanPolicy::X86) => (constant_bits(b, to.sign_bit(), tw), u.is_snan),
    };
    // Infinity.
    let (inf_bits, inf_invalid) = match (to.specials(), cfg.overflow) {
        (Specials::Ieee, _) => (
            with_sign(b, to.infinity_bits().unwrap_or(0), sign),
            b.zero(),
        ),
        (Specials::FiniteOnly, _) | (_, OverflowPolicy::Saturate) => {
            (with_sign(b, to.max_finite_bits(), sign), b.one())
        }
        (Specials::NanAllOnes, OverflowPolicy::Nan) => {
            (with_sign(b, to.sign_bit() - 1, sign), b.one())
        }
        (Specials::Fnuz, OverflowPolicy::Nan) => (constant_bits(b, to.sign_bit(), tw), b.one()),
    };
    let bits: Vec<Wire> = inf_bits
        .iter()
        .zip(&nan_bits)
        .map(|(&i, &n)| b.mux(u.is_nan, i, n))
        .collect();
    let invalid = b.mux(u.is_nan, inf_invalid, nan_invalid);
    let active = b.or(u.is_nan, u.is_inf);
    SpecialCase {
        active,
        bits,
        invalid,
    }
}
