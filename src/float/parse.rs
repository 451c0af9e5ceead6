//! Correctly rounded decimal and hex-float literals for any format.
//!
//! A literal is turned into its exact value as a big-integer rational, then reduced to what
//! one rounding needs: the top [`EXACT_BITS`] bits of the value and a sticky bit for
//! everything below them. That summary is rounded once, by the format's own normalize-and-round
//! step, so parsing honours every rounding mode, subnormals, overflow and the flags, and never
//! double-rounds (parsing through `f64` first would: see the tests).

use num_bigint::BigUint;
use num_traits::{One, Zero};

use super::env::FloatEnv;
use super::format::FloatFormat;
use super::status::StatusAnd;
use super::value::FloatValue;
use crate::{Error, Result};

impl FloatFormat {
    /// Parses a decimal (`0.1`, `-2.5e-3`, `.5`, `1.`) or hex-float (`0x1.8p3`, `-0X1P-149`)
    /// literal, or `inf`/`infinity`/`nan` (any case, optional sign), correctly rounded into
    /// this format under `env`'s rounding mode, with the flags of that one rounding (inexact,
    /// overflow, underflow).
    ///
    /// The literal's exact value is computed with big integers and rounded once by
    /// [`FloatFormat::round_pack`]; parsing through `f64` first could round twice. `inf` and
    /// `nan` go through [`FloatFormat::convert`] from FP64, so formats without infinities or
    /// NaNs get the same results (and flags) as a conversion would give.
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] for an empty or malformed literal (no digits, a stray character, an
    /// exponent without digits).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatEnv, FloatFormat};
    /// use arithsim::round::{Flags, RoundingMode};
    ///
    /// let env = FloatEnv::default();
    /// let r = FloatFormat::FP32.parse("0.1", &env)?;
    /// assert_eq!(r.value, 0.1f32.to_bits() as u64);
    /// assert_eq!(r.flags, Flags::INEXACT);
    /// assert_eq!(FloatFormat::FP16.parse("0x1.8p3", &env)?.value, 0x4A00); // 12.0
    /// let down = FloatEnv::new(RoundingMode::TowardZero);
    /// assert_eq!(FloatFormat::FP8_E4M3.parse("1000", &down)?.value, 0x7E); // 448
    /// assert!(FloatFormat::FP32.parse("1.2.3", &env).is_err());
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn parse(self, literal: &str, env: &FloatEnv) -> Result<StatusAnd<u64>> {
        let lit = parse_literal(literal)?;
        Ok(match lit.value {
            LiteralValue::Zero => StatusAnd::exact(self.zero_bits(lit.negative)),
            LiteralValue::Infinity | LiteralValue::Nan => {
                let fp64 = FloatFormat::FP64;
                let magnitude = match lit.value {
                    LiteralValue::Nan => fp64.default_nan(super::env::NanPolicy::RiscV),
                    _ => fp64.infinity_bits().unwrap_or(0),
                };
                let sign = if lit.negative { fp64.sign_bit() } else { 0 };
                fp64.convert(sign | magnitude, self, env)
            }
            LiteralValue::Finite { sig, exp, sticky } => {
                self.round_pack(lit.negative, sig, exp, sticky, env)
            }
        })
    }
}

impl FloatValue {
    /// Parses a literal into a value of `format`, correctly rounded under `env` (see
    /// [`FloatFormat::parse`]).
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] for an empty or malformed literal.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatEnv, FloatFormat, FloatValue};
    /// let v = FloatValue::parse(FloatFormat::FP8_E5M2, "0.3", &FloatEnv::default())?.value;
    /// // 0.3 rounds to 0.3125, printed exactly (an 8-bit format: see `FloatValue`'s Display).
    /// assert_eq!((v.bits(), v.to_string()), (0x35, "0.3125".to_string()));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn parse(
        format: FloatFormat,
        literal: &str,
        env: &FloatEnv,
    ) -> Result<StatusAnd<FloatValue>> {
        let r = format.parse(literal, env)?;
        Ok(StatusAnd::new(FloatValue::new(format, r.value)?, r.flags))
    }
}

/// How many leading bits of the exact value are kept before the single rounding. Any format
/// has at most 53 significand bits, so 120 bits plus a sticky bit always decide the rounding,
/// with the 64 discarded bits stochastic rounding reads exact too.
pub(crate) const EXACT_BITS: u32 = 120;

/// A literal reduced for rounding: `(-1)^negative * value`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Literal {
    /// The sign written (also for zero, infinity and NaN).
    pub negative: bool,
    /// The magnitude.
    pub value: LiteralValue,
}

/// The magnitude of a parsed literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LiteralValue {
    /// Exactly zero.
    Zero,
    /// `inf` or `infinity`.
    Infinity,
    /// `nan`.
    Nan,
    /// A non-zero finite value `sig * 2^exp` plus something below one unit of `sig` when
    /// `sticky`; `sig` has exactly [`EXACT_BITS`] bits (its top bit is set).
    Finite {
        /// The top bits of the exact value.
        sig: u128,
        /// The power of two of `sig`'s last bit.
        exp: i32,
        /// Some bit of the exact value lies below `sig`.
        sticky: bool,
    },
}

/// Values whose binary exponent lies beyond this bound in either direction are replaced by a
/// stand-in just as far out (with the sticky bit set): every format overflows or underflows on
/// it in the same way, and no huge power of ten is ever built.
const EXP2_CLAMP: i64 = 20_000;

fn err(input: &str, reason: impl Into<String>) -> Error {
    Error::Parse {
        input: input.to_string(),
        reason: reason.into(),
    }
}

/// Parses a decimal (`1.5`, `-2.5e-3`, `.5`, `1.`), hex-float (`0x1.8p3`, `-0X1P-149`), or
/// special (`inf`, `infinity`, `nan`, any case, optional sign) literal into its exact value.
pub(crate) fn parse_literal(input: &str) -> Result<Literal> {
    if input.is_empty() {
        return Err(err(input, "empty literal"));
    }
    let (negative, body) = match input.as_bytes()[0] {
        b'-' => (true, &input[1..]),
        b'+' => (false, &input[1..]),
        _ => (false, input),
    };
    if body.is_empty() {
        return Err(err(input, "no digits after the sign"));
    }
    let lower = body.to_ascii_lowercase();
    let value = match lower.as_str() {
        "inf" | "infinity" => LiteralValue::Infinity,
        "nan" => LiteralValue::Nan,
        _ if lower.starts_with("0x") => parse_hex(input, &lower[2..])?,
        _ => parse_decimal(input, &lower)?,
    };
    Ok(Literal { negative, value })
}

/// Splits `digits[.digits]` at an exponent marker; returns (integer digits, fraction digits,
/// exponent text or None).
fn split_mantissa<'a>(
    input: &str,
    body: &'a str,
    marker: char,
) -> Result<(&'a str, &'a str, Option<&'a str>)> {
    let (mantissa, exponent) = match body.find(marker) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return Err(err(input, "no digits in the significand"));
    }
    Ok((int, frac, exponent))
}

/// Parses a signed decimal exponent, saturating far beyond any format's range.
fn parse_exponent(input: &str, text: &str) -> Result<i64> {
    let (neg, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() {
        return Err(err(input, "no digits in the exponent"));
    }
    let mut e: i64 = 0;
    for c in digits.bytes() {
        if !c.is_ascii_digit() {
            return Err(err(
                input,
                format!("unexpected character {:?} in the exponent", c as char),
            ));
        }
        e = (e * 10 + (c - b'0') as i64).min(1 << 40);
    }
    Ok(if neg { -e } else { e })
}

fn parse_decimal(input: &str, body: &str) -> Result<LiteralValue> {
    let (int, frac, exponent) = split_mantissa(input, body, 'e')?;
    for c in int.bytes().chain(frac.bytes()) {
        if !c.is_ascii_digit() {
            return Err(err(
                input,
                format!("unexpected character {:?} in a decimal literal", c as char),
            ));
        }
    }
    let exp10 = match exponent {
        Some(t) => parse_exponent(input, t)?,
        None => 0,
    };
    // Significant digits without leading or trailing zeros; the value is digits * 10^exp10.
    let all: String = [int, frac].concat();
    let trimmed_start = all.trim_start_matches('0');
    let trimmed = trimmed_start.trim_end_matches('0');
    if trimmed.is_empty() {
        return Ok(LiteralValue::Zero);
    }
    let exp10 = exp10 - frac.len() as i64 + (trimmed_start.len() - trimmed.len()) as i64;
    // The value lies in [10^(lead-1), 10^lead): lead is the decimal exponent of its top digit.
    let lead = exp10 + trimmed.len() as i64;
    // log2(10) < 3.33: clamp far outside every format before building powers of ten.
    if lead - 1 > EXP2_CLAMP / 3 {
        return Ok(far_out(EXP2_CLAMP));
    }
    if lead < -EXP2_CLAMP / 3 {
        return Ok(far_out(-EXP2_CLAMP));
    }
    // Only the first PARSE_EXACT_DIGITS significant digits are converted (big-integer
    // decimal conversion is quadratic); any non-zero digit after them only sets the sticky
    // bit. That is exact: see `PARSE_EXACT_DIGITS`.
    let (kept, exp10, beyond) = if trimmed.len() > PARSE_EXACT_DIGITS {
        let dropped = trimmed.len() - PARSE_EXACT_DIGITS;
        // `trimmed` ends in a non-zero digit, so the dropped digits are never all zeros.
        (&trimmed[..PARSE_EXACT_DIGITS], exp10 + dropped as i64, true)
    } else {
        (trimmed, exp10, false)
    };
    let digits = BigUint::parse_bytes(kept.as_bytes(), 10)
        .expect("checked: the significand is decimal digits");
    let ten = BigUint::from(10u32);
    let value = if exp10 >= 0 {
        top_bits(&(digits * ten.pow(exp10 as u32)), &BigUint::one(), 0)
    } else {
        top_bits(&digits, &ten.pow((-exp10) as u32), 0)
    };
    Ok(match value {
        LiteralValue::Finite { sig, exp, sticky } => LiteralValue::Finite {
            sig,
            exp,
            sticky: sticky || beyond,
        },
        other => other,
    })
}

/// Significant decimal digits converted exactly; the rest of a longer literal only tells
/// whether it is non-zero (a sticky bit). Why this is exact: the kept digits give `lo <= v <
/// lo + 10^e` (`e` the power of ten of the last kept digit). The [`EXACT_BITS`]-bit
/// truncation of `v` differs from that of `lo` only if a grid point `B = m·2^q`
/// (`m < 2^121`) lies in `(lo, v]`; such a `B` would have to end in a decimal digit below
/// `10^e`. But within the range left after the [`EXP2_CLAMP`] clamp (`v >= 10^-6667`, so
/// `q > -22,270`), every such `B` has at most `37 + 0.7·22,270 < 15,650` significant digits,
/// all at or above `10^e` when 16,384 digits are kept. So `lo`'s top bits are `v`'s, and the
/// sticky bit is set because `v > lo`. Bounded by
/// [`limits::FLOAT_PARSE_EXACT_DIGITS`](crate::limits::FLOAT_PARSE_EXACT_DIGITS).
const PARSE_EXACT_DIGITS: usize = crate::limits::FLOAT_PARSE_EXACT_DIGITS;

fn parse_hex(input: &str, body: &str) -> Result<LiteralValue> {
    let (int, frac, exponent) = split_mantissa(input, body, 'p')?;
    for c in int.bytes().chain(frac.bytes()) {
        if !c.is_ascii_hexdigit() {
            return Err(err(
                input,
                format!("unexpected character {:?} in a hex literal", c as char),
            ));
        }
    }
    let exp2 = match exponent {
        Some(t) => parse_exponent(input, t)?,
        None => 0,
    } - 4 * frac.len() as i64;
    let all: String = [int, frac].concat();
    let trimmed = all.trim_start_matches('0');
    if trimmed.is_empty() {
        return Ok(LiteralValue::Zero);
    }
    let digits = BigUint::parse_bytes(trimmed.as_bytes(), 16)
        .expect("checked: the significand is hex digits");
    let top = exp2 + digits.bits() as i64;
    if top > EXP2_CLAMP {
        return Ok(far_out(EXP2_CLAMP));
    }
    if top < -EXP2_CLAMP {
        return Ok(far_out(-EXP2_CLAMP));
    }
    Ok(top_bits(&digits, &BigUint::one(), exp2))
}

/// A stand-in for a value around `2^exp2`, beyond every format's range.
fn far_out(exp2: i64) -> LiteralValue {
    LiteralValue::Finite {
        sig: 1 << (EXACT_BITS - 1),
        exp: exp2 as i32 - (EXACT_BITS as i32 - 1),
        sticky: true,
    }
}

/// The exact value `num / den * 2^exp2` (non-zero) as its top [`EXACT_BITS`] bits and a sticky
/// bit for the rest.
pub(crate) fn top_bits(num: &BigUint, den: &BigUint, exp2: i64) -> LiteralValue {
    debug_assert!(!num.is_zero() && !den.is_zero());
    let p = EXACT_BITS as i64;
    // num/den lies in (2^(nb-1-db), 2^(nb-db+1)): scaling by 2^k gives a quotient of p or
    // p + 1 bits.
    let k = p - num.bits() as i64 + den.bits() as i64;
    let (q, r_nonzero) = if k >= 0 {
        let n = num << (k as usize);
        let (q, r) = (&n / den, &n % den);
        (q, !r.is_zero())
    } else {
        let d = den << ((-k) as usize);
        let (q, r) = (num / &d, num % &d);
        (q, !r.is_zero())
    };
    let mut exp = exp2 - k;
    let mut sticky = r_nonzero;
    let mut q = q;
    if q.bits() as i64 > p {
        sticky |= q.bit(0);
        q >>= 1usize;
        exp += 1;
    }
    let digits = q.to_u64_digits();
    let sig = digits[0] as u128 | (digits.get(1).copied().unwrap_or(0) as u128) << 64;
    debug_assert_eq!(128 - sig.leading_zeros(), EXACT_BITS);
    LiteralValue::Finite {
        sig,
        exp: exp as i32,
        sticky,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::round::{RoundingMode, round_shift};

    /// Rounds a literal to f64 (normal range only) with the crate's one rounding function:
    /// enough to check the exact reduction against Rust's own correctly rounded parser.
    fn to_f64_rne(lit: Literal) -> f64 {
        let (sig, exp, sticky) = match lit.value {
            LiteralValue::Finite { sig, exp, sticky } => (sig, exp, sticky),
            LiteralValue::Zero => return if lit.negative { -0.0 } else { 0.0 },
            other => panic!("unexpected {other:?}"),
        };
        let drop = EXACT_BITS - 53;
        let r = round_shift(lit.negative, sig, drop, sticky, RoundingMode::NearestEven);
        let (mut m, mut e) = (r.value, exp + drop as i32);
        if m >> 53 != 0 {
            m >>= 1;
            e += 1;
        }
        let bits = ((e + 52 + 1023) as u64) << 52 | (m as u64 & ((1 << 52) - 1));
        let v = f64::from_bits(bits);
        if lit.negative { -v } else { v }
    }

    #[test]
    fn decimal_reduction_matches_native_f64_parse() {
        for s in [
            "0.1",
            "1",
            "-3.4028235e38",
            "2.2250738585072014e-308",
            "1.7976931348623157e308",
            "9007199254740993",
            "123456789012345678901234567890",
            "0.30000000000000004",
            "1e22",
            "1e23",
            ".5",
            "5.",
            "+7e+0",
            "00012.3400e-2",
            "2.4703282292062327e-300",
        ] {
            let lit = parse_literal(s).unwrap();
            assert_eq!(
                to_f64_rne(lit).to_bits(),
                s.parse::<f64>().unwrap().to_bits(),
                "{s}"
            );
        }
    }

    #[test]
    fn hex_reduction_is_exact() {
        let lit = parse_literal("0x1.8p3").unwrap();
        assert_eq!(to_f64_rne(lit), 12.0);
        let lit = parse_literal("-0X1P-149").unwrap();
        assert_eq!(to_f64_rne(lit), -(2f64.powi(-149)));
        let lit = parse_literal("0x.0001p16").unwrap();
        assert_eq!(to_f64_rne(lit), 1.0);
        // 121 significant bits: the last one only shows in the sticky bit.
        let lit = parse_literal("0x1000000000000000000000000000001").unwrap();
        match lit.value {
            LiteralValue::Finite { sig, exp, sticky } => {
                assert_eq!((sig, exp, sticky), (1 << 119, 1, true));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn specials_and_zeros() {
        for (s, neg, v) in [
            ("inf", false, LiteralValue::Infinity),
            ("-Infinity", true, LiteralValue::Infinity),
            ("+INF", false, LiteralValue::Infinity),
            ("NaN", false, LiteralValue::Nan),
            ("-nan", true, LiteralValue::Nan),
            ("0", false, LiteralValue::Zero),
            ("-0.000e5", true, LiteralValue::Zero),
            ("0x0p0", false, LiteralValue::Zero),
            ("0e999999999999999999", false, LiteralValue::Zero),
        ] {
            assert_eq!(
                parse_literal(s).unwrap(),
                Literal {
                    negative: neg,
                    value: v
                },
                "{s}"
            );
        }
    }

    #[test]
    fn huge_and_tiny_exponents_are_clamped() {
        for (s, up) in [
            ("1e999999999999", true),
            ("1e-999999999999", false),
            ("0x1p99999999", true),
            ("0x1p-99999999", false),
        ] {
            match parse_literal(s).unwrap().value {
                LiteralValue::Finite { sig, exp, sticky } => {
                    assert!(sticky, "{s}");
                    assert_eq!(sig, 1 << (EXACT_BITS - 1));
                    assert_eq!(exp > 0, up, "{s}");
                    assert!(exp.unsigned_abs() > 10_000, "{s}");
                }
                other => panic!("{s}: {other:?}"),
            }
        }
    }

    #[test]
    fn errors_name_the_input_and_the_problem() {
        for (s, msg) in [
            ("", "cannot parse \"\": empty literal"),
            ("-", "cannot parse \"-\": no digits after the sign"),
            (".", "cannot parse \".\": no digits in the significand"),
            ("1e", "cannot parse \"1e\": no digits in the exponent"),
            (
                "1.5x",
                "cannot parse \"1.5x\": unexpected character 'x' in a decimal literal",
            ),
            (
                "0x1.g",
                "cannot parse \"0x1.g\": unexpected character 'g' in a hex literal",
            ),
            (
                "1e+-3",
                "cannot parse \"1e+-3\": unexpected character '-' in the exponent",
            ),
            (
                "0xp3",
                "cannot parse \"0xp3\": no digits in the significand",
            ),
            (
                " 1",
                "cannot parse \" 1\": unexpected character ' ' in a decimal literal",
            ),
        ] {
            assert_eq!(parse_literal(s).unwrap_err().to_string(), msg, "{s:?}");
        }
    }
}
