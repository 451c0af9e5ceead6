//! The shared back end "round and pack": normalize, round, adjust the exponent, select
//! overflow / underflow / special results and raise the IEEE flags. Every FP unit ends here.

use super::config::FpUnitConfig;
use super::normalize::{Normalized, build_normalize, build_normalize_unbounded};
use super::round::ModeWires;
use crate::circuits::adders::{build_adder, build_less_than};
use crate::float::{FloatFormat, NanPolicy, OverflowPolicy, Specials};
use crate::gates::{Builder, Wire};
use crate::repr::Signedness;
use crate::{Error, Result};

/// The four IEEE flag outputs of a unit.
#[derive(Clone, Copy, Debug)]
pub struct FpFlags {
    /// Invalid operation.
    pub invalid: Wire,
    /// Overflow.
    pub overflow: Wire,
    /// Underflow (tiny after rounding and inexact; or flushed to zero).
    pub underflow: Wire,
    /// Inexact.
    pub inexact: Wire,
}

/// A unit's result: the bits of the destination format and the flags.
#[derive(Clone, Debug)]
pub struct FpResult {
    /// Result bits, least significant first (`format.width()` wires).
    pub bits: Vec<Wire>,
    /// The flags.
    pub flags: FpFlags,
}

impl FpResult {
    /// Declares the output ports `y`, `invalid`, `overflow`, `underflow`, `inexact`.
    ///
    /// # Errors
    /// As [`Builder::output`] (e.g. ports of these names already exist).
    pub fn output(&self, b: &mut Builder) -> Result<()> {
        b.output("y", &self.bits)?;
        b.output("invalid", &[self.flags.invalid])?;
        b.output("overflow", &[self.flags.overflow])?;
        b.output("underflow", &[self.flags.underflow])?;
        b.output("inexact", &[self.flags.inexact])
    }
}

/// A result decided without rounding (NaN operands, invalid operations, infinities): when
/// `active`, the unit returns `bits` exactly, with invalid = `invalid` and no other flag.
#[derive(Clone, Debug)]
pub struct SpecialCase {
    /// The special result applies.
    pub active: Wire,
    /// Its bits (`format.width()` wires).
    pub bits: Vec<Wire>,
    /// Raise invalid (only read when `active`).
    pub invalid: Wire,
}

/// What [`build_round_pack`] rounds: the exact value
/// `(−1)^sign × (sig + ε) × 2^(exp − bias − (sig.len() − 2))`, with `ε ∈ (0, 1)` when
/// `sticky` is set (non-zero bits lost below `sig`'s last bit) and 0 otherwise.
#[derive(Clone, Debug)]
pub struct RoundPackInput<'a> {
    /// Sign of the result.
    pub sign: Wire,
    /// Sign of an exactly zero result (`sig` = 0, `sticky` = 0); `None`: `sign`. (An adder's
    /// `x − x` is +0, or −0 rounding toward −∞.)
    pub zero_sign: Option<Wire>,
    /// Two's complement (the last wire is the sign; at least 2 wires): the biased exponent,
    /// in the destination format's bias, of bit `sig.len() − 2`. The top bit of `sig` is
    /// headroom for a carry, so a sum or a product of significands in `[1, 2)` comes here
    /// without shifting. If the sign wire is the constant 0, the denormalizing right shift is
    /// not built.
    pub exp: &'a [Wire],
    /// The significand, least significant first, any alignment: leading zeros are
    /// normalized away (limited by the exponent). Narrower than `precision + 2` bits is
    /// padded below with zeros.
    pub sig: &'a [Wire],
    /// Sticky bit below `sig`.
    pub sticky: Wire,
    /// A special result overriding everything, or `None`.
    pub special: Option<SpecialCase>,
}

/// Rounds and packs a value into `format` under `cfg` and the rounding `mode`: the one
/// rounding circuit of every FP unit, under label `round-pack`.
///
/// Steps (sub-labels): `normalize` (denormalizing right shift for `exp < 0`, leading-zero
/// count, left shift limited by the exponent so that tiny results come out subnormal),
/// `round` (guard = first dropped bit, sticky = OR of the rest and `input.sticky`, the
/// mode's increment, round-to-odd's forced last bit; the increment runs through the
/// exponent field, so a carry into the next binade needs no extra logic), `tininess` (the
/// same decision one bit further down: tiny after rounding = subnormal and not rounding up
/// to the smallest normal at unbounded exponent), `overflow` (rounded magnitude above the
/// largest finite pattern: ±∞ / substitute by [`OverflowPolicy`] or ±largest finite by mode)
/// and `select` (special case, overflow, flush-to-zero, finite result; FNUZ's zero is +0).
///
/// Flags: invalid only from `special`; overflow; underflow = tiny and inexact (or, with
/// [`FpUnitConfig::flush_subnormals`], tiny and non-zero, flushed to ±0 with inexact);
/// inexact.
///
/// # Errors
/// [`Error::InvalidWidth`] for a format wider than 32 bits, an empty or over-256-bit `sig`,
/// an `exp` outside 2..=32 bits; [`Error::Shape`] for special bits of the wrong width;
/// [`Error::InvalidParameter`] for a wire of another netlist or a bad adder in `cfg`.
///
/// # Examples
///
/// Round 1.0110_1 × 2^0 (sig = 0b0_1011_01 with `exp` for the bit below the top) into FP8
/// E5M2 (2 mantissa bits), toward zero and to nearest:
///
/// ```
/// use arithsim::circuits::fp::{build_round_pack, FpUnitConfig, ModeWires, RoundPackInput};
/// use arithsim::float::FloatFormat;
/// use arithsim::gates::Builder;
/// use arithsim::round::RoundingMode;
///
/// let f = FloatFormat::FP8_E5M2;
/// let cfg = FpUnitConfig::default();
/// let mut b = Builder::new();
/// let sig = b.input("sig", 7)?;
/// let exp = b.input("exp", 7)?; // two's complement
/// let mode = ModeWires::build(&mut b, arithsim::circuits::fp::RoundingControl::Input)?;
/// let zero = b.zero();
/// let input = RoundPackInput { sign: zero, zero_sign: None, exp: &exp, sig: &sig, sticky: zero, special: None };
/// let r = build_round_pack(&mut b, f, &cfg, &mode, &input)?;
/// r.output(&mut b)?;
/// let net = b.finish()?;
/// let rm = |m| arithsim::circuits::fp::RoundingControl::code(m).unwrap();
/// let out = net.eval_u64(&[
///     ("sig", &[0b010_1101, 0b010_1101]),
///     ("exp", &[15, 15]), // biased exponent of 1.0 in E5M2
///     ("rm", &[rm(RoundingMode::TowardZero), rm(RoundingMode::NearestEven)]),
/// ])?;
/// assert_eq!(out.get("y")?, &[0x3D, 0x3E]); // 1.25, 1.5
/// assert_eq!(out.get("inexact")?, &[1, 1]);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn build_round_pack(
    b: &mut Builder,
    format: FloatFormat,
    cfg: &FpUnitConfig,
    mode: &ModeWires,
    input: &RoundPackInput<'_>,
) -> Result<FpResult> {
    round_pack_checked(b, format, cfg, mode, input, false, None)
}

/// [`build_round_pack`] for a significand the caller knows to be 0 or to have its leading
/// one in its top two bits (a product of normal significands, an operand of a unit with
/// denormals-are-zero): the normalization then looks at those two bits only and shifts by
/// at most one place, instead of a full leading-zero count and barrel shift. Outside that
/// promise the result is wrong.
///
/// # Errors
/// As [`build_round_pack`].
///
/// # Examples
///
/// ```
/// use arithsim::circuits::fp::{build_round_pack, build_round_pack_normalized, FpUnitConfig, ModeWires, RoundPackInput};
/// use arithsim::float::FloatFormat;
/// use arithsim::gates::Builder;
/// use arithsim::round::RoundingMode;
///
/// // Square of a 4-bit significand (a product in [1, 4)) rounded into FP8 E4M3.
/// let build = |normalized: bool| -> arithsim::Result<_> {
///     let mut b = Builder::new();
///     let sig = b.input("sig", 8)?;
///     let exp = b.input("exp", 6)?;
///     let mode = ModeWires::fixed(&b, RoundingMode::NearestEven)?;
///     let zero = b.zero();
///     let input = RoundPackInput { sign: zero, zero_sign: None, exp: &exp, sig: &sig, sticky: zero, special: None };
///     let cfg = FpUnitConfig::default();
///     let r = if normalized {
///         build_round_pack_normalized(&mut b, FloatFormat::FP8_E4M3, &cfg, &mode, &input)?
///     } else {
///         build_round_pack(&mut b, FloatFormat::FP8_E4M3, &cfg, &mode, &input)?
///     };
///     r.output(&mut b)?;
///     b.finish()
/// };
/// let (full, short) = (build(false)?, build(true)?);
/// assert!(short.gate_count() < full.gate_count());
/// let x = [("sig", &[0b1010_0100u64][..]), ("exp", &[7])]; // 2.5625 × 2^0
/// assert_eq!(full.eval_u64(&x)?.get("y")?, short.eval_u64(&x)?.get("y")?);
/// assert_eq!(short.eval_u64(&x)?.get("y")?[0], 0x42); // 2.5
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn build_round_pack_normalized(
    b: &mut Builder,
    format: FloatFormat,
    cfg: &FpUnitConfig,
    mode: &ModeWires,
    input: &RoundPackInput<'_>,
) -> Result<FpResult> {
    round_pack_checked(b, format, cfg, mode, input, true, None)
}

/// The back end after its normalization step, for a caller that normalized already (a
/// two-path adder muxing two normalized paths): `n` as [`build_normalize`] (or, with
/// flush-to-zero, [`build_normalize_unbounded`]) returns it, at least `precision + 2` bits
/// wide. `input.exp` and `input.sig` are not read.
pub(super) fn build_round_pack_from_normalized(
    b: &mut Builder,
    format: FloatFormat,
    cfg: &FpUnitConfig,
    mode: &ModeWires,
    input: &RoundPackInput<'_>,
    n: Normalized,
) -> Result<FpResult> {
    let p = format.man_bits() as usize + 1;
    if n.sig.len() < p + 2 {
        return Err(Error::width(
            "normalized significand",
            n.sig.len() as u32,
            p as u32 + 2,
            256,
        ));
    }
    b.check_wires(&n.sig)?;
    b.check_wires(&n.k)?;
    b.check_wires(&[n.sticky, n.zero])?;
    round_pack_checked(b, format, cfg, mode, input, true, Some(n))
}

fn round_pack_checked(
    b: &mut Builder,
    format: FloatFormat,
    cfg: &FpUnitConfig,
    mode: &ModeWires,
    input: &RoundPackInput<'_>,
    normalized: bool,
    pre: Option<Normalized>,
) -> Result<FpResult> {
    super::config::check_format("round-pack format", format)?;
    cfg.adder.validate()?;
    b.check_wires(&[input.sign, input.sticky])?;
    b.check_wires(input.sig)?;
    b.check_wires(input.exp)?;
    if let Some(z) = input.zero_sign {
        b.check_wires(&[z])?;
    }
    if let Some(sp) = &input.special {
        if sp.bits.len() != format.width() as usize {
            return Err(Error::Shape(format!(
                "special result has {} bits; the format has {}",
                sp.bits.len(),
                format.width()
            )));
        }
        b.check_wires(&sp.bits)?;
        b.check_wires(&[sp.active, sp.invalid])?;
    }
    b.push_label("round-pack");
    let r = round_pack(b, format, cfg, mode, input, normalized, pre);
    b.pop_label();
    r
}

/// Constant wires for the low `n` bits of `v`.
pub(crate) fn constant_bits(b: &Builder, v: u64, n: usize) -> Vec<Wire> {
    (0..n)
        .map(|i| b.constant(i < 64 && v >> i & 1 == 1))
        .collect()
}

fn round_pack(
    b: &mut Builder,
    format: FloatFormat,
    cfg: &FpUnitConfig,
    mode: &ModeWires,
    input: &RoundPackInput<'_>,
    normalized: bool,
    pre: Option<Normalized>,
) -> Result<FpResult> {
    let m = format.man_bits() as usize;
    let e = format.exp_bits() as usize;
    let p = m + 1;
    let width = e + m + 1;
    let sign = input.sign;
    let ftz = cfg.flush_subnormals;
    let n = match pre {
        Some(n) => n,
        None => {
            // Pad below to p + 2 bits (kept bits, guard, and the guard of the tininess
            // check).
            let mut sig = input.sig.to_vec();
            if sig.len() < p + 2 {
                let mut padded = vec![b.zero(); p + 2 - sig.len()];
                padded.extend_from_slice(&sig);
                sig = padded;
            }
            // Flush-to-zero units normalize at an unbounded exponent (k may go negative)
            // and flush whatever rounds below the normal range; IEEE units stop the shift
            // at the subnormal exponent.
            if ftz {
                build_normalize_unbounded(b, &sig, input.exp, cfg.adder, normalized)?
            } else {
                build_normalize(b, &sig, input.exp, cfg.adder, normalized)?
            }
        }
    };
    let w = n.sig.len();
    let sticky_in = b.or(input.sticky, n.sticky);
    let zero = n.zero;
    let xs = &n.sig;
    // --- round: p kept bits from the top, guard below, sticky below that.
    let (mag, rd, hidden) = b.with_label("round", |b| -> Result<_> {
        let kept = &xs[w - p..];
        let guard = xs[w - p - 1];
        let low = b.or_all(&xs[..w - p - 1]);
        let sticky = b.or(low, sticky_in);
        let rd = mode.decide(b, sign, kept[0], guard, sticky);
        // (k << m) + kept + increment, with round-to-odd's forced bit: the hidden bit adds
        // one to the exponent field, and a carry out of the mantissa lands there too.
        let mut a: Vec<Wire> = kept[..m].to_vec();
        if m > 0 {
            a[0] = b.or(a[0], rd.force_odd);
        }
        a.extend_from_slice(&n.k);
        // One more bit: a carry (k unsigned) or the sign extension (k signed).
        let top = if ftz { n.k[n.k.len() - 1] } else { b.zero() };
        a.push(top);
        let mut addend = vec![b.zero(); a.len()];
        addend[m] = kept[m];
        let (mag, _) = build_adder(b, cfg.adder, &a, &addend, rd.increment)?;
        Ok((mag, rd, kept[m]))
    })?;
    let nonzero = {
        let nz = b.not(zero);
        b.or(nz, sticky_in)
    };
    // --- tininess after rounding.
    let tiny = b.with_label("tininess", |b| {
        if ftz {
            // Unbounded exponent: tiny when the rounded exponent field is below 1 (or the
            // significand is zero, which the select step turns into a zero).
            let field = &mag[m..mag.len() - 1];
            let any = b.or_all(field);
            let none = b.not(any);
            let t = b.or(none, mag[mag.len() - 1]);
            b.or(t, zero)
        } else {
            // Subnormal, and rounding at one more bit of precision (unbounded exponent)
            // does not carry up to the smallest normal.
            let ones = b.and_all(&xs[w - p - 1..w - 1]);
            let guard2 = xs[w - p - 2];
            let low2 = b.or_all(&xs[..w - p - 2]);
            let sticky2 = b.or(low2, sticky_in);
            let inc2 = mode.increment(b, sign, xs[w - p - 1], guard2, sticky2);
            let carries = b.and(ones, inc2);
            let normal = b.or(hidden, carries);
            let sub = b.not(normal);
            b.and(sub, nonzero)
        }
    });
    // --- overflow: rounded magnitude above the largest finite pattern.
    let (ovf, ovf_bits) = b.with_label("overflow", |b| -> Result<_> {
        let ovf = if ftz {
            // Signed magnitude: overflow needs a non-negative one.
            let low = &mag[..mag.len() - 1];
            let maxf = constant_bits(b, format.max_finite_bits(), low.len());
            let gt = build_less_than(b, &maxf, low, Signedness::Unsigned)?;
            // A zero significand leaves k meaningless: it is never an overflow.
            let sign_or_zero = b.or(mag[mag.len() - 1], zero);
            let pos = b.not(sign_or_zero);
            b.and(gt, pos)
        } else {
            let maxf = constant_bits(b, format.max_finite_bits(), mag.len());
            build_less_than(b, &maxf, &mag, Signedness::Unsigned)?
        };
        let to_inf = mode.overflow_to_infinity(b, sign);
        let sub = infinity_substitute(format, cfg.overflow);
        let sat = format.max_finite_bits();
        let mut bits: Vec<Wire> = (0..width - 1)
            .map(|i| {
                let s = b.constant(sub >> i & 1 == 1);
                let f = b.constant(sat >> i & 1 == 1);
                b.mux(to_inf, f, s)
            })
            .collect();
        // The substitute of FNUZ is its NaN, whose sign bit is set.
        let sub_sign = if format.specials() == Specials::Fnuz && sub != sat {
            b.one()
        } else {
            sign
        };
        let s = b.mux(to_inf, sign, sub_sign);
        bits.push(s);
        Ok((ovf, bits))
    })?;
    Ok(b.with_label("select", |b| {
        // FTZ: every tiny result becomes a zero (kill); a non-zero one raises flags (flush).
        let (kill, flush) = if ftz {
            (tiny, b.and(tiny, nonzero))
        } else {
            (b.zero(), b.zero())
        };
        let body = &mag[..width - 1];
        // Sign of the finite result: an exact zero takes zero_sign; FNUZ has no −0.
        let exact_zero = {
            let ns = b.not(sticky_in);
            b.and(zero, ns)
        };
        let mut s = match input.zero_sign {
            Some(z) => b.mux(exact_zero, sign, z),
            None => sign,
        };
        if format.specials() == Specials::Fnuz {
            let nkill = b.not(kill);
            let any = b.or_all(body);
            let live = b.and(any, nkill);
            s = b.and(s, live);
        }
        // Overflow and kill both replace the body: one mux per bit selects the overflow
        // pattern (mostly constants) or, for kill, zero.
        let sel = b.or(ovf, kill);
        let mut y: Vec<Wire> = body
            .iter()
            .zip(&ovf_bits)
            .map(|(&f, &o)| {
                let o = if ftz { b.and(ovf, o) } else { o };
                b.mux(sel, f, o)
            })
            .collect();
        let y_sign = b.mux(ovf, s, ovf_bits[width - 1]);
        y.push(y_sign);
        let (y, active, sp_invalid) = match &input.special {
            Some(sp) => {
                let y = y
                    .iter()
                    .zip(&sp.bits)
                    .map(|(&f, &x)| b.mux(sp.active, f, x))
                    .collect();
                (y, sp.active, b.and(sp.active, sp.invalid))
            }
            None => (y, b.zero(), b.zero()),
        };
        let live = b.not(active);
        let overflow = b.and(ovf, live);
        let nov = b.not(ovf);
        let finite = b.and(live, nov);
        let uf_raw = if ftz { flush } else { b.and(tiny, rd.inexact) };
        let underflow = b.and(uf_raw, finite);
        let ix_raw = b.or_all(&[ovf, flush, rd.inexact]);
        let inexact = b.and(ix_raw, live);
        FpResult {
            bits: y,
            flags: FpFlags {
                invalid: sp_invalid,
                overflow,
                underflow,
                inexact,
            },
        }
    }))
}

/// The pattern (magnitude bits) that stands for ∞ in `format` under `policy`.
fn infinity_substitute(format: FloatFormat, policy: OverflowPolicy) -> u64 {
    let mag = format.sign_bit() - 1;
    match (format.specials(), policy) {
        (Specials::Ieee, _) => format.infinity_bits().unwrap_or(mag),
        (Specials::FiniteOnly, _) | (_, OverflowPolicy::Saturate) => format.max_finite_bits(),
        (Specials::NanAllOnes, OverflowPolicy::Nan) => mag,
        (Specials::Fnuz, OverflowPolicy::Nan) => 0,
    }
}

/// The default NaN of `format` under `policy` as constant wires (+0 for finite-only
/// formats, which have no NaN).
#[must_use]
pub fn default_nan_bits(b: &Builder, format: FloatFormat, policy: NanPolicy) -> Vec<Wire> {
    constant_bits(b, format.default_nan(policy), format.width() as usize)
}

/// `nan` made quiet: the quiet bit (top mantissa bit) set for IEEE formats; other formats'
/// NaNs are all quiet, so the wires are returned as they are.
#[must_use]
pub fn quiet_nan_bits(b: &Builder, format: FloatFormat, nan: &[Wire]) -> Vec<Wire> {
    let mut v = nan.to_vec();
    if format.specials() == Specials::Ieee {
        v[format.man_bits() as usize - 1] = b.one();
    }
    v
}

/// The NaN result of an operation whose operands include a NaN: under [`NanPolicy::X86`] the
/// first NaN operand (in `ops` order) quieted, under [`NanPolicy::RiscV`] the canonical NaN.
/// `ops` are `(is_nan, bits)` pairs. Gates go under label `nan select`.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::fp::{build_nan_select, build_unpack};
/// use arithsim::float::{FloatFormat, NanPolicy};
/// use arithsim::gates::Builder;
///
/// let f = FloatFormat::FP16;
/// let mut b = Builder::new();
/// let x = b.input("x", 16)?;
/// let y = b.input("y", 16)?;
/// let (ux, uy) = (build_unpack(&mut b, f, &x, false)?, build_unpack(&mut b, f, &y, false)?);
/// let nan = build_nan_select(&mut b, f, NanPolicy::X86, &[(ux.is_nan, &x), (uy.is_nan, &y)]);
/// b.output("nan", &nan)?;
/// let out = b.finish()?.eval_u64(&[("x", &[0x3C00]), ("y", &[0xFC01])])?;
/// assert_eq!(out.get("nan")?[0], 0xFE01); // y's signalling NaN, quieted
/// # Ok::<(), arithsim::Error>(())
/// ```
#[must_use]
pub fn build_nan_select(
    b: &mut Builder,
    format: FloatFormat,
    policy: NanPolicy,
    ops: &[(Wire, &[Wire])],
) -> Vec<Wire> {
    // FNUZ has a single NaN; RISC-V always returns the canonical one.
    if policy == NanPolicy::RiscV || ops.is_empty() || format.specials() == Specials::Fnuz {
        return default_nan_bits(b, format, policy);
    }
    b.with_label("nan select", |b| {
        let mut acc = quiet_nan_bits(b, format, ops[ops.len() - 1].1);
        for (is_nan, bits) in ops[..ops.len() - 1].iter().rev() {
            let q = quiet_nan_bits(b, format, bits);
            acc = acc
                .iter()
                .zip(&q)
                .map(|(&o, &x)| b.mux(*is_nan, o, x))
                .collect();
        }
        acc
    })
}
