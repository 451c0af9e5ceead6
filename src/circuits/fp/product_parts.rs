//! Pieces the multiplier, the FMA and the MACs share: the exact intermediate they hand to
//! the round-and-pack back end ([`Unrounded`]), unpacked operands with their raw sign,
//! signed exponent sums, and the special results of a product (NaN by policy, converted
//! to the result format; infinity; invalid).

use super::pack::constant_bits;
use super::{
    FpResult, FpUnitConfig, ModeWires, RoundPackInput, SpecialCase, build_nan_select,
    build_round_pack, build_round_pack_normalized, build_unpack, default_nan_bits,
};
use crate::Result;
use crate::circuits::adders::AdderKind;
use crate::circuits::multipliers::{Bit, NetLogic, PpMatrix, Reduction, bits, final_add, reduce};
use crate::float::{FloatFormat, NanPolicy, Specials};
use crate::gates::{Builder, Wire};

/// An exact intermediate before the one rounding, in the form the shared back end
/// ([`build_round_pack`]) takes: the value is `(-1)^sign × (sig + ε) × 2^(exp − bias −
/// (sig.len() − 2))`, with `ε` in (0, 1) when `sticky` and 0 otherwise. `sig` may have any
/// number of leading zeros.
#[derive(Clone, Debug)]
pub(crate) struct Unrounded {
    /// Sign of a non-zero result.
    pub(crate) sign: Wire,
    /// Sign of an exactly zero result (`None`: `sign`).
    pub(crate) zero_sign: Option<Wire>,
    /// Biased exponent (result format) of `sig` bit `len − 2`, two's complement.
    pub(crate) exp: Vec<Wire>,
    /// Significand, least significant first.
    pub(crate) sig: Vec<Wire>,
    /// Non-zero bits were lost below `sig` bit 0.
    pub(crate) sticky: Wire,
}

impl Unrounded {
    /// Rounds and packs into `format` with the shared back end, `special` overriding;
    /// `normalized` promises that `sig` is 0 or has its leading one in its top two bits
    /// (the back end then shifts by at most one place).
    pub(crate) fn round_pack(
        &self,
        b: &mut Builder,
        format: FloatFormat,
        cfg: &FpUnitConfig,
        mode: &ModeWires,
        special: SpecialCase,
        normalized: bool,
    ) -> Result<FpResult> {
        let input = RoundPackInput {
            sign: self.sign,
            zero_sign: self.zero_sign,
            exp: &self.exp,
            sig: &self.sig,
            sticky: self.sticky,
            special: Some(special),
        };
        if normalized {
            build_round_pack_normalized(b, format, cfg, mode, &input)
        } else {
            build_round_pack(b, format, cfg, mode, &input)
        }
    }
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

/// Takes `x` (a pattern of `f`) apart with the shared [`build_unpack`]; `daz` reads
/// subnormals as zeros. The sign is the raw sign bit: the soft float keeps it for a flushed
/// FNUZ subnormal too (it matters once the product is converted to a format with −0).
pub(crate) fn unpack(b: &mut Builder, f: FloatFormat, x: &[Wire], daz: bool) -> Result<Operand> {
    let u = build_unpack(b, f, x, daz)?;
    Ok(Operand {
        sign: x[x.len() - 1],
        exp: u.exp,
        sig: u.sig,
        zero: u.is_zero,
        inf: u.is_inf,
        nan: u.is_nan,
        snan: u.is_snan,
        bits: x.to_vec(),
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

/// `s ? y : x` bit by bit.
pub(crate) fn mux_bus(b: &mut Builder, s: Wire, x: &[Wire], y: &[Wire]) -> Vec<Wire> {
    x.iter().zip(y).map(|(&p, &q)| b.mux(s, p, q)).collect()
}

/// The NaN `op` (a NaN of `from`) becomes in `to` under the x86 policy, quieted: the
/// pattern [`FloatFormat::convert`] then [`FloatFormat::quiet`] give (IEEE to IEEE keeps the
/// sign and the top of the payload; other NaNs keep their sign).
pub(crate) fn quiet_nan_in(
    b: &mut Builder,
    op: &Operand,
    from: FloatFormat,
    to: FloatFormat,
) -> Vec<Wire> {
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
            constant_bits(b, to.default_nan(NanPolicy::X86), to.width() as usize)
        }
    }
}

/// The special result of a product or an FMA in format `to`: `ops` are the operands in
/// argument order with their formats (a NaN result under the x86 policy is the first NaN
/// operand, converted to `to` and quieted); `zero_times_inf` and `inf_conflict` (∞ − ∞)
/// are the invalid operations; `inf`/`inf_sign` an infinite exact result.
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
) -> SpecialCase {
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
        let default = default_nan_bits(b, to, nan_policy);
        let converted: Vec<Vec<Wire>> = ops
            .iter()
            .map(|(o, f)| {
                if *f == to {
                    o.bits.clone()
                } else {
                    quiet_nan_in(b, o, *f, to)
                }
            })
            .collect();
        let sel: Vec<(Wire, &[Wire])> = ops
            .iter()
            .zip(&converted)
            .map(|((o, _), v)| (o.nan, v.as_slice()))
            .collect();
        let propagated = build_nan_select(b, to, nan_policy, &sel);
        let nan_value = mux_bus(b, any_nan, &default, &propagated);
        let no_nan = b.not(nan);
        let inf = b.and(inf, no_nan);
        let w = to.width() as usize;
        let inf_bits: Vec<Wire> = match to.infinity_bits() {
            Some(v) => {
                let mut x = constant_bits(b, v, w - 1);
                x.push(inf_sign);
                x
            }
            // No infinity in `to`: no operand can be infinite either (see check_mixed).
            None => constant_bits(b, 0, w),
        };
        let bits = mux_bus(b, inf, &nan_value, &inf_bits);
        let active = b.or(nan, inf);
        SpecialCase {
            active,
            bits,
            invalid,
        }
    })
}
