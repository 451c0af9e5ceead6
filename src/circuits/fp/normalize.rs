//! Normalization: the left barrel shifter and the exponent-limited normalize step (leading
//! one to the top unless the result is subnormal), with the denormalizing right shift for
//! exponents below the format's range.

use super::align::{build_shift_right_sticky, check_bus, shift_stages};
use super::lzc::build_lzc;
use crate::Result;
use crate::circuits::adders::{AdderKind, build_adder};
use crate::gates::{Builder, Wire};

/// `x << amount` (zeros in from the bottom), as wide as `x`; amounts of `x.len()` or more
/// give 0. Gates go under label `shift left`.
///
/// Structure: stage `k` (for `2^k < width`) has `width − 2^k` 2:1 muxes and `2^k` AND gates
/// behind one inverter; higher amount bits clear the bus (one OR tree, an inverter and one
/// AND per bit).
///
/// # Errors
/// [`Error::InvalidWidth`](crate::Error::InvalidWidth) for an empty or over-256-bit bus or
/// an empty amount; [`Error::InvalidParameter`](crate::Error::InvalidParameter) for a wire of
/// another netlist.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::fp::build_shift_left;
/// use arithsim::gates::Builder;
///
/// let mut b = Builder::new();
/// let x = b.input("x", 8)?;
/// let d = b.input("d", 3)?;
/// let y = build_shift_left(&mut b, &x, &d)?;
/// b.output("y", &y)?;
/// let out = b.finish()?.eval_u64(&[("x", &[0b0000_1011, 0xFF]), ("d", &[3, 7])])?;
/// assert_eq!(out.get("y")?, &[0b0101_1000, 0x80]);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn build_shift_left(b: &mut Builder, x: &[Wire], amount: &[Wire]) -> Result<Vec<Wire>> {
    check_bus(b, "shifter", x)?;
    check_bus(b, "shift amount", amount)?;
    Ok(b.with_label("shift left", |b| shift_left(b, x, amount)))
}

fn shift_left(b: &mut Builder, x: &[Wire], amount: &[Wire]) -> Vec<Wire> {
    let w = x.len();
    let stages = shift_stages(w).min(amount.len());
    let mut cur = x.to_vec();
    for (k, &sel) in amount.iter().enumerate().take(stages) {
        let s = 1usize << k;
        let nsel = b.not(sel);
        cur = (0..w)
            .map(|i| {
                if i >= s {
                    b.mux(sel, cur[i], cur[i - s])
                } else {
                    b.and(nsel, cur[i])
                }
            })
            .collect();
    }
    if amount.len() > stages {
        let big = b.or_all(&amount[stages..]);
        let nbig = b.not(big);
        cur = cur.iter().map(|&c| b.and(c, nbig)).collect();
    }
    cur
}

/// A significand after [`build_normalize`].
#[derive(Clone, Debug)]
pub struct Normalized {
    /// The shifted significand, as wide as the input: its top bit is the leading one, unless
    /// the value is subnormal (then the top bit is 0 and `k` is 0) or zero.
    pub sig: Vec<Wire>,
    /// Bits shifted out to the right by the denormalizing shift (0 when `exp >= 0`).
    pub sticky: Wire,
    /// `k` = biased exponent of the top bit − 1 (non-negative, unsigned): the exponent field
    /// minus one of a normal result, 0 for a subnormal or zero one.
    pub k: Vec<Wire>,
    /// The significand is zero: with `normalized`, the input `sig`; otherwise what is left
    /// after the denormalizing shift (whose bits are then all in `sticky`). Either way
    /// `zero & !sticky` is an exact zero and `!zero | sticky` a non-zero value.
    pub zero: Wire,
}

/// Normalizes `sig × 2^(exp − bias − (width − 2))`: `exp` (two's complement, any width) is the
/// biased exponent of bit `width − 2` of `sig` (the top bit is headroom for a carry).
/// Gates go under label `normalize`.
///
/// * If `exp < 0` (only built when `exp`'s sign wire is not the constant 0): shift right by
///   `−exp` with a sticky OR, so that bit `width − 2` gets biased exponent 0 (the subnormal
///   quantum's scale); the shift is `!exp` by a barrel shifter plus one fixed position.
/// * Then count leading zeros and shift left by `min(lz, exp)` (the exponent limits the
///   shift, so a result below the normal range stays subnormal), with
///   `k = exp − shift` computed by one subtractor of architecture `adder`.
///
/// With `normalized`, the caller promises that `sig` is 0 or has its leading one in its top
/// two bits (a product of normal significands, a sum without cancellation, any operand of
/// a unit with denormals-are-zero): the leading-zero counter looks at those two bits only
/// and the left shifter has one stage.
///
/// # Errors
/// [`Error::InvalidWidth`](crate::Error::InvalidWidth) for an empty or over-256-bit `sig`,
/// an `exp` outside 2..=32 bits, a `normalized` `sig` of 1 bit;
/// [`Error::InvalidParameter`](crate::Error::InvalidParameter)
/// for a wire of another netlist or a bad adder.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::adders::AdderKind;
/// use arithsim::circuits::fp::build_normalize;
/// use arithsim::gates::Builder;
///
/// let mut b = Builder::new();
/// let sig = b.input("sig", 8)?;
/// let exp = b.input("exp", 5)?;
/// let n = build_normalize(&mut b, &sig, &exp, AdderKind::RippleCarry, false)?;
/// b.output("y", &n.sig)?;
/// b.output("k", &n.k)?;
/// let out = b.finish()?.eval_u64(&[("sig", &[0b0001_0110, 0b0001_0110]), ("exp", &[10, 2])])?;
/// // 3 leading zeros: shifted fully (k = 10 - 3 = 7), or limited by the exponent (k = 0).
/// assert_eq!(out.get("y")?, &[0b1011_0000, 0b0101_1000]);
/// assert_eq!(out.get("k")?, &[7, 0]);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn build_normalize(
    b: &mut Builder,
    sig: &[Wire],
    exp: &[Wire],
    adder: AdderKind,
    normalized: bool,
) -> Result<Normalized> {
    check_normalize_args(b, sig, exp, adder, normalized)?;
    b.push_label("normalize");
    let r = normalize(b, sig, exp, adder, normalized);
    b.pop_label();
    r
}

fn check_normalize_args(
    b: &Builder,
    sig: &[Wire],
    exp: &[Wire],
    adder: AdderKind,
    normalized: bool,
) -> Result<()> {
    check_bus(b, "normalizer", sig)?;
    crate::Error::check_width("normalizer exponent", exp.len() as u32, 2, 32)?;
    if normalized && sig.len() < 2 {
        return Err(crate::Error::width("normalizer", 1, 2, 256));
    }
    b.check_wires(exp)?;
    adder.validate()
}

/// Leading zeros of `x` and its all-zero flag; with `normalized` (the caller promises the
/// leading one is in the top two bits, or `x` is 0) only the top two bits are looked at.
fn leading_zeros(b: &mut Builder, x: &[Wire], normalized: bool) -> Result<(Vec<Wire>, Wire)> {
    if normalized {
        let w = x.len();
        let lz = b.not(x[w - 1]);
        let n2 = b.not(x[w - 2]);
        let zero = b.and(lz, n2);
        Ok((vec![lz], zero))
    } else {
        build_lzc(b, x)
    }
}

/// [`build_normalize`] for flush-to-zero units, where the exponent range is unbounded below:
/// no denormalizing right shift and no limit on the left shift (shift by the full
/// leading-zero count); `k` comes back as a two's complement bus (one bit wider than needed
/// for `exp − lz`) that is negative or zero for results below the normal range, which
/// flush-to-zero then replaces by zero. Gates go under label `normalize`.
///
/// # Errors
/// As [`build_normalize`].
///
/// # Examples
///
/// ```
/// use arithsim::circuits::adders::AdderKind;
/// use arithsim::circuits::fp::build_normalize_unbounded;
/// use arithsim::gates::Builder;
///
/// let mut b = Builder::new();
/// let sig = b.input("sig", 8)?;
/// let exp = b.input("exp", 5)?;
/// let n = build_normalize_unbounded(&mut b, &sig, &exp, AdderKind::RippleCarry, false)?;
/// b.output("y", &n.sig)?;
/// b.output("k", &n.k)?;
/// let out = b.finish()?.eval_u64(&[("sig", &[0b0001_0110]), ("exp", &[2])])?;
/// assert_eq!(out.get("y")?, &[0b1011_0000]);
/// assert_eq!(out.get("k")?[0] as i64 - (1 << n.k.len()), -1); // 2 − 3, two's complement
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn build_normalize_unbounded(
    b: &mut Builder,
    sig: &[Wire],
    exp: &[Wire],
    adder: AdderKind,
    normalized: bool,
) -> Result<Normalized> {
    check_normalize_args(b, sig, exp, adder, normalized)?;
    b.push_label("normalize");
    let r = normalize_unbounded(b, sig, exp, adder, normalized);
    b.pop_label();
    r
}

fn normalize_unbounded(
    b: &mut Builder,
    sig: &[Wire],
    exp: &[Wire],
    adder: AdderKind,
    normalized: bool,
) -> Result<Normalized> {
    let (lz, zero) = leading_zeros(b, sig, normalized)?;
    let shifted = build_shift_left(b, sig, &lz)?;
    // k = exp − lz in two's complement, exp sign-extended, lz zero-extended.
    let n = exp.len().max(lz.len() + 1) + 1;
    let mut ea = exp.to_vec();
    ea.resize(n, exp[exp.len() - 1]);
    let mut lb = lz.clone();
    lb.resize(n, b.zero());
    let nl: Vec<Wire> = lb.iter().map(|&v| b.not(v)).collect();
    let one = b.one();
    let (k, _) = b.with_label("exponent adjust", |b| build_adder(b, adder, &ea, &nl, one))?;
    Ok(Normalized {
        sig: shifted,
        sticky: b.zero(),
        k,
        zero,
    })
}

fn normalize(
    b: &mut Builder,
    sig: &[Wire],
    exp: &[Wire],
    adder: AdderKind,
    normalized: bool,
) -> Result<Normalized> {
    let w = sig.len();
    let ew = exp.len();
    let neg = exp[ew - 1];
    let (x, sticky, exp_c) = if b.const_value(neg) == Some(false) {
        (sig.to_vec(), b.zero(), exp[..ew - 1].to_vec())
    } else {
        // −exp = !exp + 1: a barrel shift by !exp (gated by the sign), then one more place.
        let amount: Vec<Wire> = exp[..ew - 1]
            .iter()
            .map(|&e| {
                let ne = b.not(e);
                b.and(ne, neg)
            })
            .collect();
        let (y, s1) = b.with_label("denormalize", |b| -> Result<_> {
            let (y, s1) = build_shift_right_sticky(b, sig, &amount)?;
            let lost = b.and(neg, y[0]);
            let y1: Vec<Wire> = (0..w)
                .map(|i| {
                    let up = if i + 1 < w { y[i + 1] } else { b.zero() };
                    b.mux(neg, y[i], up)
                })
                .collect();
            Ok((y1, b.or(s1, lost)))
        })?;
        let npos = b.not(neg);
        let e: Vec<Wire> = exp[..ew - 1].iter().map(|&v| b.and(v, npos)).collect();
        (y, s1, e)
    };
    let (lz, zero) = if normalized {
        // The promise holds for `sig`; after a right shift the leading one of `x` may be
        // lower, but then the shift is limited to 0 anyway. Zero is judged on `sig`.
        let nx = b.not(x[w - 1]);
        let ns = if x[w - 1] == sig[w - 1] {
            nx
        } else {
            b.not(sig[w - 1])
        };
        let n2 = b.not(sig[w - 2]);
        let zero = b.and(ns, n2);
        (vec![nx], zero)
    } else {
        build_lzc(b, &x)?
    };
    // t = exp_c − lz, both non-negative: one subtractor, sign on top.
    let n = exp_c.len().max(lz.len()) + 1;
    let ext = |b: &Builder, v: &[Wire]| -> Vec<Wire> {
        let mut v = v.to_vec();
        v.resize(n, b.zero());
        v
    };
    let ea = ext(b, &exp_c);
    let lb = ext(b, &lz);
    let nl: Vec<Wire> = lb.iter().map(|&v| b.not(v)).collect();
    let one = b.one();
    let (t, _) = b.with_label("exponent adjust", |b| build_adder(b, adder, &ea, &nl, one))?;
    // Limited (exp < lz) or zero: shift by exp and k = 0; otherwise shift by lz, k = t.
    let lim = b.or(t[n - 1], zero);
    let amount: Vec<Wire> = (0..lz.len())
        .map(|i| {
            let e = if i < exp_c.len() { exp_c[i] } else { b.zero() };
            b.mux(lim, lz[i], e)
        })
        .collect();
    // Bits of exp above the count's width can only be set when not limited (exp >= lz then).
    let shifted = build_shift_left(b, &x, &amount)?;
    let nlim = b.not(lim);
    let k: Vec<Wire> = t[..exp_c.len()].iter().map(|&v| b.and(v, nlim)).collect();
    Ok(Normalized {
        sig: shifted,
        sticky,
        k,
        zero,
    })
}
