//! `Display` for [`Explanation`]: the trace as numbered steps, and the rounding and packing
//! steps that conversion traces print the same way.

use std::fmt;

use super::classify::Kind;
use super::explain::{ExplainOp, Explanation, NormalizeStep, OperandStep, RoundStep};
use super::format::FloatFormat;
use super::status::StatusAnd;
use crate::round::{Flags, LossClass, RoundingMode};

/// `value` in binary as `1.0110b` with `width` bits (the first before the point).
fn binary_point(value: u128, width: u32) -> String {
    let s = format!("{value:0w$b}", w = width.max(1) as usize);
    format!("{}.{}b", &s[..1], &s[1..])
}

pub(super) fn sign(neg: bool) -> char {
    if neg { '-' } else { '+' }
}

/// The last step of every trace (operation or conversion): the packed result's fields, then
/// the flags raised.
pub(super) fn pack_lines(
    f: &mut fmt::Formatter<'_>,
    step: u32,
    format: FloatFormat,
    res: StatusAnd<u64>,
) -> fmt::Result {
    writeln!(
        f,
        "{step}. pack: {:#x} = {}",
        res.value,
        format.fields(res.value)
    )?;
    write!(f, "   flags: {}", res.flags)
}

/// The lines every trace (operation or conversion) prints after its normalize headline: the
/// kept bits with guard, round and sticky, then step `step`, the rounding decision. Returns
/// the next step's number.
pub(super) fn rounding_lines(
    f: &mut fmt::Formatter<'_>,
    step: u32,
    n: &NormalizeStep,
    r: &RoundStep,
    mode: RoundingMode,
) -> Result<u32, fmt::Error> {
    let (g, rb, s) = n.discarded.guard_round_sticky();
    writeln!(
        f,
        "      kept {:#b}, discarded: guard {} round {} sticky {}",
        n.kept, g as u8, rb as u8, s as u8
    )?;
    let step = step + 1;
    let loss = match r.loss {
        LossClass::ExactlyZero => "nothing discarded: exact",
        LossClass::LessThanHalf => "less than half a unit",
        LossClass::ExactlyHalf => "exactly half a unit: a tie",
        LossClass::MoreThanHalf => "more than half a unit",
    };
    writeln!(
        f,
        "{step}. round ({mode}): {loss} → {} → {:#b}{}",
        if r.rounded.incremented {
            "add one unit"
        } else {
            "keep (truncate)"
        },
        r.rounded.value,
        if r.carry {
            " (carries out: shift right, exponent + 1)"
        } else {
            ""
        }
    )?;
    Ok(step + 1)
}

impl Explanation {
    fn operand(&self, f: &mut fmt::Formatter<'_>, name: char, o: &OperandStep) -> fmt::Result {
        let fmt_ = self.format;
        writeln!(f, "  {name} = {:#x} = {}", o.bits, fmt_.fields(o.bits))?;
        match o.kind {
            Kind::Finite if o.flushed_by_daz => {
                writeln!(f, "      subnormal read as zero (denormals-are-zero)")
            }
            Kind::Finite => {
                let width = 64 - o.significand.leading_zeros();
                let lead = o.lsb_exponent + width as i32 - 1;
                writeln!(
                    f,
                    "      = {}{} x 2^{lead}   (significand {:#b} {}, last bit 2^{})",
                    sign(o.negative),
                    binary_point(o.significand as u128, width),
                    o.significand,
                    if fmt_.exp_field(o.bits) == 0 {
                        "no hidden"
                    } else {
                        "hidden"
                    },
                    o.lsb_exponent
                )
            }
            _ => Ok(()),
        }
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fmt_ = self.format;
        let name = match self.op {
            ExplainOp::Add => "a + b",
            ExplainOp::Sub => "a - b",
            ExplainOp::Mul => "a x b",
            ExplainOp::Fma => "a x b + c (one rounding)",
        };
        writeln!(f, "{name} in {fmt_}, rounding {}", self.env.rounding)?;
        writeln!(f, "1. unpack (sign | exponent | mantissa):")?;
        for (o, n) in self.operands.iter().zip(['a', 'b', 'c']) {
            self.operand(f, n, o)?;
        }
        let mut step = 2;
        if let Some(rule) = self.special {
            writeln!(f, "{step}. special case: {rule}")?;
            step += 1;
        }
        if let Some((p, e)) = self.product {
            writeln!(f, "{step}. multiply significands (exact): {p:#b} x 2^{e}")?;
            step += 1;
        }
        if let Some(a) = &self.align {
            let op = if a.subtract { "subtract" } else { "add" };
            writeln!(
                f,
                "{step}. align: shift the smaller {} right by {} bit{} → {:#b}, \
                 guard {} round {} sticky {}; then {op} magnitudes",
                if self.op == ExplainOp::Fma {
                    "term"
                } else {
                    "addend"
                },
                a.shift,
                if a.shift == 1 { "" } else { "s" },
                a.shifted,
                a.guard as u8,
                a.round as u8,
                a.sticky as u8
            )?;
            step += 1;
        }
        if let Some((neg, digits, e)) = &self.exact {
            let shown = if digits.len() > 72 {
                format!("{}...({} bits)", &digits[..64], digits.len())
            } else {
                digits.clone()
            };
            writeln!(f, "{step}. exact result: {}{shown}b x 2^{e}", sign(*neg))?;
            step += 1;
        }
        if let (Some(n), Some(r)) = (&self.normalize, &self.rounding) {
            let moved = match n.shift {
                0 => "already 1.xxx".to_string(),
                1 => "shift right 1 bit".to_string(),
                k if k > 0 => format!("shift right {k} bits"),
                -1 => "shift left 1 bit".to_string(),
                k => format!("shift left {} bits", -k),
            };
            writeln!(
                f,
                "{step}. normalize ({moved}): 1.xxx x 2^{}; keep {} bits down to 2^{}{}",
                n.leading_exponent,
                (n.leading_exponent - n.lsb_exponent + 1).max(0),
                n.lsb_exponent,
                if n.subnormal {
                    " (below the smallest normal: subnormal, fewer bits)"
                } else {
                    ""
                }
            )?;
            step = rounding_lines(f, step, n, r, self.env.rounding)?;
        }
        let res = self.result;
        if res.flags.contains(Flags::OVERFLOW) {
            writeln!(f, "{step}. overflow: beyond the largest finite value")?;
            step += 1;
        }
        pack_lines(f, step, fmt_, res)
    }
}
