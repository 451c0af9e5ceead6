//! Pieces the multiplier, the FMA and the MACs share: the exact intermediate they hand to
//! the round-and-pack back end ([`Unrounded`]), signed exponent sums, the right shifter
//! with a sticky bit, and the special results of a product (NaN, infinity, invalid).

use crate::circuits::adders::AdderKind;
use crate::circuits::multipliers::{Bit, NetLogic, PpMatrix, Reduction, bits, final_add, reduce};
use crate::float::{FloatFormat, NanPolicy, Specials};
use crate::gates::{Builder, Wire};
use crate::Result;

/// An exact intermediate before the one rounding: the value is
/// `(-1)^sign × (sig + ε) × 2^exp`, with `ε` in (0, 1) when `sticky` and 0 otherwise — the
/// gate-level twin of the arguments of [`FloatFormat::round_pack`]. `sig` may have any
/// number of leading zeros; when `sig` is 0 and `sticky` is 0 the result is the zero of
/// sign `sign`.
#[derive(Clone, Debug)]
pub(crate) struct Unrounded {
    /// Sign of the result (already the IEEE sign of an exact zero).
    pub(crate) sign: Wire,
    /// Exponent of `sig` bit 0, two's complement, least significant first.
    pub(crate) exp: Vec<Wire>,
    /// Significand, least significant first.
    pub(crate) sig: Vec<Wire>,
    /// Non-zero bits were lost below `sig` bit 0.
    pub(crate) sticky: Wire,
}

/// A result that bypasses rounding: a NaN or an infinity, and the invalid flag.
#[derive(Clone, Debug)]
pub(crate) struct SpecialResult {
    /// The result is a NaN (propagated or the default one).
    pub(crate) nan: Wire,
    /// Its pattern (already quieted), in the result format.
    pub(crate) nan_value: Vec<Wire>,
    /// The result is an infinity (and not a NaN).
    pub(crate) inf: Wire,
    /// The infinity's sign.
    pub(crate) inf_sign: Wire,
    /// The invalid flag (set only with a special result).
    pub(crate) invalid: Wire,
}

/// A floating-point operand taken apart (the fields every product unit needs).
#[derive(Clone, Debug)]
pub(crate) struct Operand {
    pub(crate) sign: Wire,
    /// Effective biased exponent: the exponent field, or 1 for zeros and subnormals.
    pub(crate) exp: Vec<Wire>,
    /// Significand with its hidden bit (`man_bits + 1` wires); 0 for a zero, and for a
    /// subnormal when flushing.
    pub(crate) sig: Vec<Wire>,
    /// ±0 (including a subnormal read as zero when flushing).
    pub(crate) zero: Wire,
    pub(crate) inf: Wire,
    pub(crate) nan: Wire,
    pub(crate) snan: Wire,
    /// The raw pattern.
    pub(crate) bits: Vec<Wire>,
}

/// Takes `x` (a pattern of `f`) apart; `daz` reads subnormals as zeros.
pub(crate) fn unpack(b: &mut Builder, f: FloatFormat, x: &[Wire], daz: bool) -> Operand {
    b.with_label("unpack", |b| {
        let m = f.man_bits() as usize;
        let e = f.exp_bits() as usize;
        let man = &x[..m];
        let ef = &x[m..m + e];
        let sign = x[m + e];
        let exp_nz = b.or_all(ef);
        let exp_ones = b.and_all(ef);
        let man_nz = b.or_all(man);
        let (inf, nan, snan) = match f.specials() {
            Specials::Ieee => {
                let nman = b.not(man_nz);
                let inf = b.and(exp_ones, nman);
                let nan = b.and(exp_ones, man_nz);
                let q = b.not(man[m - 1]);
                let snan = b.and(nan, q);
                (inf, nan, snan)
            }
            Specials::NanAllOnes => {
                let man_ones = b.and_all(man);
                let nan = b.and(exp_ones, man_ones);
                (b.zero(), nan, b.zero())
            }
            Specials::Fnuz => {
                let any = b.or(exp_nz, man_nz);
                let none = b.not(any);
                let nan = b.and(sign, none);
                (b.zero(), nan, b.zero())
            }
            Specials::FiniteOnly => (b.zero(), b.zero(), b.zero()),
        };
        let mut sig: Vec<Wire> = if daz {
            man.iter().map(|&w| b.and(w, exp_nz)).collect()
        } else {
            man.to_vec()
        };
        sig.push(exp_nz);
        let zero = {
            let nz = if daz { exp_nz } else { b.or(exp_nz, man_nz) };
            let z = b.not(nz);
            let not_nan = b.not(nan);
            b.and(z, not_nan)
        };
        let mut exp = ef.to_vec();
        let sub = b.not(exp_nz);
        exp[0] = b.or(ef[0], sub);
        Operand {
            sign,
            exp,
            sig,
            zero,
            inf,
            nan,
            snan,
            bits: x.to_vec(),
        }
    })
}

/// Smallest two's-complement width holding every value in `lo..=hi`.
pub(crate) fn signed_width(lo: i64, hi: i64) -> usize {
    (1..64)
        .find(|&w| lo >= -(1i64 << (w - 1)) && hi < (1i64 << (w - 1)))
        .unwrap_or(64)
}

/// `Σ ± rows + k` in `width`-bit two's complement: each row is `(bits, negate)`, an unsigned
/// number (zero-extended) added or subtracted; one carry-save tree and one adder.
pub(crate) fn sum_bus(
    b: &mut Builder,
    adder: AdderKind,
    rows: &[(&[Wire], bool)],
    k: i64,
    width: usize,
) -> Result<Vec<Wire>> {
    let mut l = NetLogic::new(b, adder);
    let mut mat: PpMatrix<Wire> = PpMatrix::new(width);
    mat.add_constant(i128::from(k), 0);
    for &(r, neg) in rows {
        let mut v = bits(r);
        v.resize(width, Bit::Zero);
        v.truncate(width);
        if neg {
            // -x = !x + 1 over the full width.
            let inv: Vec<Bit<Wire>> = v
                .iter()
                .map(|&x| crate::circuits::multipliers::logic::not(&mut l, x))
                .collect();
            mat.add_row(0, &inv);
            mat.add_constant(1, 0);
        } else {
            mat.add_row(0, &v);
        }
    }
    let red = reduce(&mut l, &mat, Reduction::Dadda);
    let out = final_add(&mut l, &red.columns);
    let w = l.wires(&out);
    l.finish()?;
    Ok(w)
}

/// Logical right shift of `x` by the unsigned `amount` (any width), with the OR of every
/// bit shifted out: a barrel shifter, one mux level per amount bit (levels of `2^j >= len`
/// clear everything and fold into one "too far" select).
pub(crate) fn shift_right_sticky(b: &mut Builder, x: &[Wire], amount: &[Wire]) -> (Vec<Wire>, Wire) {
    let n = x.len();
    let mut v = x.to_vec();
    let mut sticky = b.zero();
    let levels = (usize::BITS - (n.max(1) - 1).leading_zeros()) as usize; // ceil(log2 n)
    let levels = levels.max(usize::from(n == 1));
    for (j, &s) in amount.iter().enumerate().take(levels) {
        let d = 1usize << j;
        let lost = b.or_all(&v[..d.min(n)]);
        let st = b.and(s, lost);
        sticky = b.or(sticky, st);
        let zero = b.zero();
        v = (0..n)
            .map(|i| {
                let hi = if i + d < n { v[i + d] } else { zero };
                b.mux(s, v[i], hi)
            })
            .collect();
    }
    if amount.len() > levels {
        let far = b.or_all(&amount[levels..]);
        let rest = b.or_all(&v);
        let st = b.and(far, rest);
        sticky = b.or(sticky, st);
        let keep = b.not(far);
        v = v.iter().map(|&w| b.and(w, keep)).collect();
    }
    (v, sticky)
}

/// A constant bus of `width` bits.
pub(crate) fn const_bus(b: &Builder, value: u64, width: usize) -> Vec<Wire> {
    (0..width)
        .map(|i| b.constant(i < 64 && (value >> i) & 1 == 1))
        .collect()
}

/// `s ? y : x` bit by bit.
pub(crate) fn mux_bus(b: &mut Builder, s: Wire, x: &[Wire], y: &[Wire]) -> Vec<Wire> {
    x.iter().zip(y).map(|(&p, &q)| b.mux(s, p, q)).collect()
}

/// The NaN `op` (a NaN of `from`) becomes in `to` under the x86 policy, quieted: the
/// pattern [`FloatFormat::convert`] then [`FloatFormat::quiet`] give (IEEE to IEEE keeps the
/// sign and the top of the payload; other NaNs keep their sign).
pub(crate) fn quiet_nan_in(b: &mut Builder, op: &Operand, from: FloatFormat, to: FloatFormat) -> Vec<Wire> {
    let (tm, te) = (to.man_bits() as usize, to.exp_bits() as usize);
    let sign = op.sign;
    let one = b.one();
    let zero = b.zero();
    match to.specials() {
        Specials::Ieee => {
            let mut man = vec![zero; tm];
            if from.specials() == Specials::Ieee {
                let fm = from.man_bits() as usize;
                for (i, &w) in op.bits[..fm].iter().enumerate() {
                    // man << (tm - fm), or >> (fm - tm): keep the top payload bits.
                    let j = i as isize + tm as isize - fm as isize;
                    if (0..tm as isize).contains(&j) {
                        man[j as usize] = w;
                    }
                }
            }
            man[tm - 1] = one;
            let mut v = man;
            v.extend(std::iter::repeat_n(one, te));
            v.push(sign);
            v
        }
        Specials::NanAllOnes => {
            let mut v = vec![one; tm + te];
            v.push(sign);
            v
        }
        Specials::Fnuz | Specials::FiniteOnly => {
            const_bus(b, to.default_nan(NanPolicy::X86), to.width() as usize)
        }
    }
}

/// The special result of `Σ` products: `ops` are the operands in argument order with their
/// formats (NaN propagation picks the first NaN); `zero_times_inf` and `inf_conflict`
/// (∞ − ∞) are the invalid operations; `inf`/`inf_sign` an infinite exact result.
#[allow(clippy::too_many_arguments)]
pub(crate) fn special_result(
    b: &mut Builder,
    ops: &[(&Operand, FloatFormat)],
    to: FloatFormat,
    nan_policy: NanPolicy,
    zero_times_inf: Wire,
    inf_conflict: Wire,
    inf: Wire,
    inf_sign: Wire,
) -> SpecialResult {
    b.with_label("special", |b| {
        let nans: Vec<Wire> = ops.iter().map(|(o, _)| o.nan).collect();
        let snans: Vec<Wire> = ops.iter().map(|(o, _)| o.snan).collect();
        let any_nan = b.or_all(&nans);
        let any_snan = b.or_all(&snans);
        let not_nan = b.not(any_nan);
        let conflict = b.and(inf_conflict, not_nan);
        let bad = b.or(zero_times_inf, conflict);
        let invalid = b.or(any_snan, bad);
        let nan = b.or(any_nan, bad);
        let w = to.width() as usize;
        let default = const_bus(b, to.default_nan(nan_policy), w);
        let nan_value = match nan_policy {
            NanPolicy::RiscV => default,
            NanPolicy::X86 => {
                // First NaN operand, else the default NaN (an invalid operation).
                let mut v = default;
                for (o, f) in ops.iter().rev() {
                    let q = quiet_nan_in(b, o, *f, to);
                    v = mux_bus(b, o.nan, &v, &q);
                }
                v
            }
        };
        let no_nan = b.not(nan);
        let inf = b.and(inf, no_nan);
        SpecialResult {
            nan,
            nan_value,
            inf,
            inf_sign,
            invalid,
        }
    })
}
