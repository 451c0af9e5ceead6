//! Step-by-step traces of add, sub, mul and fma, for reading: the course's "normalize to
//! 1.xxxx × 2^e, then round" made concrete.
//!
//! A trace is built from the core's own pieces: operands are taken apart with
//! [`FloatFormat::unpack`], the exact result is computed on big integers, the rounding
//! decision shown is the one function [`crate::round::round`] applied at the last place
//! [`FloatFormat::round_pack`] uses, and the packed result and flags come from
//! [`FloatFormat::round_pack`] itself. Tests check every trace's bits and flags against the
//! operation itself.

use num_bigint::BigUint;
use num_traits::Zero;

use super::classify::Kind;
use super::env::FloatEnv;
use super::format::FloatFormat;
use super::parse::{LiteralValue, top_bits};
use super::status::StatusAnd;
use crate::round::{Discarded, LossClass, Rounded, round};

/// Which operation a trace explains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExplainOp {
    /// `a + b`.
    Add,
    /// `a − b`.
    Sub,
    /// `a × b`.
    Mul,
    /// `a × b + c` with one rounding.
    Fma,
}

/// One operand taken apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OperandStep {
    /// The bit pattern.
    pub bits: u64,
    /// Its sign.
    pub negative: bool,
    /// The biased exponent field.
    pub biased_exponent: u64,
    /// The unbiased exponent of the leading significand bit's place (`field − bias`, or
    /// `1 − bias` for subnormals and zeros).
    pub unbiased_exponent: i32,
    /// Integer significand with the hidden bit (0 for zero, infinity, NaN).
    pub significand: u64,
    /// Exponent of the significand's last bit: value = significand × 2^lsb_exponent.
    pub lsb_exponent: i32,
    /// Zero, finite, infinity or NaN.
    pub kind: Kind,
    /// A subnormal read as zero because denormals-are-zero is on.
    pub flushed_by_daz: bool,
}

/// Aligning the smaller addend to the larger one's last place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AlignStep {
    /// How many places the smaller addend's last bit lies below the larger one's: the
    /// right shift that lines it up (the exponent difference, for two normal operands).
    pub shift: u32,
    /// The smaller addend's significand after the shift (truncated).
    pub shifted: u128,
    /// First bit shifted out.
    pub guard: bool,
    /// Second bit shifted out.
    pub round: bool,
    /// OR of every later bit shifted out.
    pub sticky: bool,
    /// The magnitudes are subtracted (the signs differ).
    pub subtract: bool,
}

/// Normalizing the exact result and choosing the last kept place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NormalizeStep {
    /// The exact result is `1.xxx × 2^leading_exponent`.
    pub leading_exponent: i32,
    /// How far the leading one moved from where the operation put the binary point: the
    /// larger term's leading exponent for add/sub/fma, the sum of the factors' for mul.
    /// Positive: shift right (a carry out of the top), negative: shift left (cancellation).
    pub shift: i32,
    /// The result is below the smallest normal: the last place is the subnormal quantum.
    pub subnormal: bool,
    /// Exponent of the last kept bit.
    pub lsb_exponent: i32,
    /// The kept significand (truncated).
    pub kept: u128,
    /// What lies below the last kept bit.
    pub discarded: Discarded,
}

/// The rounding decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoundStep {
    /// The discarded part against half a unit.
    pub loss: LossClass,
    /// What [`crate::round::round`] returned.
    pub rounded: Rounded,
    /// The increment carried into a new leading bit (exponent + 1).
    pub carry: bool,
}

/// A readable trace of one operation (see [`FloatFormat::explain`]); `Display` prints it.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The format.
    pub format: FloatFormat,
    /// The operation.
    pub op: ExplainOp,
    /// The environment (rounding mode, tininess, FTZ/DAZ, NaN policy).
    pub env: FloatEnv,
    /// The operands, in order.
    pub operands: Vec<OperandStep>,
    /// For special cases (NaN, infinity, exact zero): the rule applied, with no arithmetic.
    pub special: Option<&'static str>,
    /// Multiply: the exact product significand and its exponent.
    pub product: Option<(u128, i32)>,
    /// Add, sub, fma: the alignment.
    pub align: Option<AlignStep>,
    /// The exact result's sign, its significand in binary and the exponent of its last bit.
    pub exact: Option<(bool, String, i32)>,
    /// Normalization.
    pub normalize: Option<NormalizeStep>,
    /// Rounding.
    pub rounding: Option<RoundStep>,
    /// The packed result and the flags raised.
    pub result: StatusAnd<u64>,
}

impl FloatFormat {
    /// A step-by-step trace of `op` on `operands` (two for add, sub, mul; three for fma:
    /// `a × b + c`) under `env`. Its result equals the operation's own.
    ///
    /// # Errors
    ///
    /// [`crate::Error::InvalidParameter`] when the number of operands does not fit `op`.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{ExplainOp, FloatEnv, FloatFormat};
    ///
    /// let f = FloatFormat::FP16;
    /// let (a, b) = (0x2E66, 0x3266); // 0.1 and 0.2 rounded to FP16
    /// let t = f.explain(ExplainOp::Add, &[a, b], &FloatEnv::default())?;
    /// assert_eq!(t.result, f.add(a, b, &FloatEnv::default()));
    /// assert!(t.to_string().contains("exactly half"));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn explain(
        self,
        op: ExplainOp,
        operands: &[u64],
        env: &FloatEnv,
    ) -> crate::Result<Explanation> {
        let want = if op == ExplainOp::Fma { 3 } else { 2 };
        if operands.len() != want {
            return Err(crate::Error::param(
                "operand count",
                operands.len(),
                format!("{op:?} takes {want} operands"),
            ));
        }
        let ops: Vec<OperandStep> = operands
            .iter()
            .map(|&b| self.operand_step(b & self.mask(), env))
            .collect();
        let core = match op {
            ExplainOp::Add => self.add(operands[0], operands[1], env),
            ExplainOp::Sub => self.sub(operands[0], operands[1], env),
            ExplainOp::Mul => self.mul(operands[0], operands[1], env),
            ExplainOp::Fma => self.fma(operands[0], operands[1], operands[2], env),
        };
        let mut t = Explanation {
            format: self,
            op,
            env: *env,
            operands: ops.clone(),
            special: None,
            product: None,
            align: None,
            exact: None,
            normalize: None,
            rounding: None,
            result: core,
        };
        if let Some(rule) = special_rule(op, &ops) {
            t.special = Some(rule);
            return Ok(t);
        }
        // Exact value as (negative, magnitude, exponent of its last bit).
        let term = |o: &OperandStep| {
            let sig = if o.flushed_by_daz { 0 } else { o.significand };
            (o.negative, BigUint::from(sig), o.lsb_exponent)
        };
        let b_neg_flip = op == ExplainOp::Sub;
        let (x, y) = match op {
            ExplainOp::Add | ExplainOp::Sub => {
                let (bn, bs, be) = term(&ops[1]);
                (term(&ops[0]), (bn ^ b_neg_flip, bs, be))
            }
            ExplainOp::Mul | ExplainOp::Fma => {
                let (an, asig, ae) = term(&ops[0]);
                let (bn, bsig, be) = term(&ops[1]);
                let p = asig * bsig;
                t.product = Some((to_u128(&p), ae + be));
                let prod = (an ^ bn, p, ae + be);
                if op == ExplainOp::Mul {
                    (prod, (false, BigUint::zero(), 0))
                } else {
                    (prod, term(&ops[2]))
                }
            }
        };
        let lead = |t: &Term| (!t.1.is_zero()).then(|| t.2 as i64 + t.1.bits() as i64 - 1);
        let reference = match op {
            ExplainOp::Mul => {
                let (a, b) = (term(&ops[0]), term(&ops[1]));
                lead(&a).zip(lead(&b)).map(|(p, q)| p + q)
            }
            _ => lead(&x).max(lead(&y)),
        };
        let (negative, mag, exp) = if op == ExplainOp::Mul {
            x
        } else {
            let (n, m, e, a) = add_exact(x, y);
            t.align = a;
            (n, m, e)
        };
        if mag.is_zero() {
            t.special = Some(match op {
                ExplainOp::Mul => "exact zero: the sign is the XOR of the operands' signs",
                _ => "exact zero: +0, or -0 when both terms are negative or rounding toward -inf",
            });
            return Ok(t);
        }
        t.exact = Some((negative, mag.to_str_radix(2), exp));
        let mut norm = self.normalize_step(&mag, exp);
        norm.shift = reference.map_or(0, |r| norm.leading_exponent - r as i32);
        let r = round(negative, norm.kept, norm.discarded, env.rounding);
        t.rounding = Some(RoundStep {
            loss: norm.discarded.class(),
            rounded: r,
            carry: r.carries_out_of(self.precision()),
        });
        t.normalize = Some(norm);
        // Packing (carry, overflow, tininess, flush-to-zero) is the core's own step.
        if let LiteralValue::Finite { sig, exp, sticky } =
            top_bits(&mag, &BigUint::from(1u8), exp as i64)
        {
            t.result = self.round_pack(negative, sig, exp, sticky, env);
        }
        Ok(t)
    }

    fn operand_step(self, bits: u64, env: &FloatEnv) -> OperandStep {
        let u = self.unpack(bits);
        let field = self.exp_field(bits);
        let unbiased = if field == 0 {
            1 - self.bias()
        } else {
            field as i32 - self.bias()
        };
        OperandStep {
            bits,
            negative: u.negative,
            biased_exponent: field,
            unbiased_exponent: unbiased,
            significand: u.significand * matches!(u.kind, Kind::Finite) as u64,
            lsb_exponent: u.exponent,
            kind: u.kind,
            flushed_by_daz: env.denormals_are_zero && self.is_subnormal(bits),
        }
    }

    /// Where the exact `mag × 2^exp` gets its last kept bit, and what lies below it.
    pub(super) fn normalize_step(self, mag: &BigUint, exp: i32) -> NormalizeStep {
        let m = self.man_bits() as i64;
        let emin = self.min_exponent() as i64;
        let lead = exp as i64 + mag.bits() as i64 - 1;
        let lsb = (lead - m).max(emin - m);
        let d = lsb - exp as i64;
        let (kept, discarded) = if d <= 0 {
            (to_u128(&(mag << ((-d) as usize))), Discarded::ZERO)
        } else {
            let d = d as usize;
            let kept = to_u128(&(mag >> d));
            let low = mag - ((mag >> d) << d);
            let (top, sticky) = if d >= 64 {
                let top = &low >> (d - 64);
                (to_u128(&top) as u64, !(low - (top << (d - 64))).is_zero())
            } else {
                (to_u128(&(low << (64 - d))) as u64, false)
            };
            (kept, Discarded { top, sticky })
        };
        NormalizeStep {
            leading_exponent: lead as i32,
            shift: 0,
            subnormal: lead < emin,
            lsb_exponent: lsb as i32,
            kept,
            discarded,
        }
    }
}

/// The low 128 bits of `x` (callers only pass values that fit).
fn to_u128(x: &BigUint) -> u128 {
    let d = x.to_u64_digits();
    d.first().copied().unwrap_or(0) as u128 | (d.get(1).copied().unwrap_or(0) as u128) << 64
}

type Term = (bool, BigUint, i32);

/// The exact sum of two signed terms, and how a textbook adder aligns them.
fn add_exact(x: Term, y: Term) -> (bool, BigUint, i32, Option<AlignStep>) {
    let value = |t: &Term, e: i32| &t.1 << ((t.2 - e) as usize);
    let e = x.2.min(y.2);
    let (vx, vy) = (value(&x, e), value(&y, e));
    let subtract = x.0 != y.0;
    let (big, small) = if vx >= vy { (&x, &y) } else { (&y, &x) };
    let align = if small.1.is_zero() {
        None
    } else {
        let shift = (big.2 - small.2).max(0) as u32;
        let s = &small.1;
        let bit = |i: i64| i >= 0 && s.bit(i as u64);
        let sh = shift as i64;
        let sticky = sh >= 3 && !(s - ((s >> (sh as usize - 2)) << (sh as usize - 2))).is_zero();
        Some(AlignStep {
            shift,
            shifted: to_u128(&(s >> shift as usize)),
            guard: bit(sh - 1),
            round: bit(sh - 2),
            sticky,
            subtract,
        })
    };
    let (neg, mag) = if !subtract {
        (x.0, vx + vy)
    } else if vx >= vy {
        (x.0, vx - vy)
    } else {
        (y.0, vy - vx)
    };
    (neg, mag, e, align)
}

/// The rule for operands that need no arithmetic (NaN, infinity).
fn special_rule(op: ExplainOp, ops: &[OperandStep]) -> Option<&'static str> {
    let nan = |o: &OperandStep| matches!(o.kind, Kind::Nan { .. });
    let inf = |o: &OperandStep| o.kind == Kind::Infinity;
    if ops.iter().any(nan) {
        return Some(
            "a NaN operand: the result is a NaN chosen by the NaN policy (invalid if signalling)",
        );
    }
    if !ops.iter().any(inf) {
        return None;
    }
    Some(match op {
        ExplainOp::Add | ExplainOp::Sub => {
            "an infinite operand: the infinity passes through (inf - inf is invalid)"
        }
        ExplainOp::Mul => "an infinite factor: infinity with the XOR sign (inf x 0 is invalid)",
        ExplainOp::Fma => "an infinite operand: inf x 0 and inf - inf are invalid, else infinity",
    })
}

/// The guide `docs/floating-point.md`, included here so that its examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../docs/floating-point.md")]
pub struct FloatingPointGuide;
