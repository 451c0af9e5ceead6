//! Step-by-step traces of a conversion into a format: a decimal literal (`"1234.5"` → FP8
//! E4M3) or a value of another format (FP32 → FP16), with the rounding step shown.
//!
//! The trace is the same four steps as [`FloatFormat::explain`]'s: the exact value in binary
//! (the first [`EXACT_BITS`] bits of a decimal that has no finite binary expansion, and
//! whether it goes on), normalization to the target's last place with guard, round and
//! sticky bits, the one rounding function's decision, then the core's own
//! [`FloatFormat::round_pack`] for carry, overflow (infinity, NaN or saturation, as the
//! format and [`FloatEnv`] say) and underflow. Tests check every trace's bits and flags
//! against [`FloatFormat::parse`] and [`FloatFormat::convert`].

use std::fmt;

use num_bigint::BigUint;

use super::classify::Kind;
use super::env::FloatEnv;
use super::explain::{NormalizeStep, RoundStep};
use super::explain_display::{pack_lines, rounding_lines, sign};
use super::format::FloatFormat;
use super::parse::{EXACT_BITS, LiteralValue, parse_literal, top_bits};
use super::status::StatusAnd;
use crate::round::{Flags, round};

/// What a conversion trace starts from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConversionSource {
    /// A decimal, hex-float or special literal, as written.
    Literal(String),
    /// A bit pattern of another format.
    Value {
        /// The source format.
        format: FloatFormat,
        /// The pattern.
        bits: u64,
    },
}

/// A readable trace of one conversion (see [`FloatFormat::explain_parse`] and
/// [`FloatFormat::explain_convert`]); `Display` prints it.
#[derive(Clone, Debug, PartialEq)]
pub struct ConversionExplanation {
    /// The value converted.
    pub source: ConversionSource,
    /// The target format.
    pub format: FloatFormat,
    /// The environment (rounding mode, overflow policy, FTZ/DAZ, NaN policy).
    pub env: FloatEnv,
    /// For zeros, infinities and NaNs: the rule applied, with no arithmetic.
    pub special: Option<&'static str>,
    /// The exact value in binary, before rounding (`None` for zeros, infinities and NaNs).
    pub exact: Option<ExactBinary>,
    /// Normalization to the target's last place.
    pub normalize: Option<NormalizeStep>,
    /// The rounding decision.
    pub rounding: Option<RoundStep>,
    /// The packed result and the flags raised.
    pub result: StatusAnd<u64>,
}

/// The exact value a conversion starts from, in binary: `±digits × 2^lsb_exponent`, where
/// `digits` are read as a binary integer — or, when `goes_on`, the first bits of a value with
/// no finite binary expansion (a decimal such as 0.1).
///
/// # Examples
///
/// ```
/// use arithsim::float::{FloatEnv, FloatFormat};
///
/// let t = FloatFormat::FP8_E4M3.explain_parse("-6.5", &FloatEnv::default())?;
/// let x = t.exact.unwrap();
/// // -6.5 = -1101b x 2^-1
/// assert!(x.negative && !x.goes_on);
/// assert_eq!((x.digits.as_str(), x.lsb_exponent), ("1101", -1));
/// assert!(FloatFormat::FP16.explain_parse("0.1", &FloatEnv::default())?.exact.unwrap().goes_on);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExactBinary {
    /// The sign: true for a negative value.
    pub negative: bool,
    /// The bits from the leading 1 down to the last nonzero bit shown, most significant
    /// first (trailing zeros dropped, so the last digit is a 1).
    pub digits: String,
    /// The exponent of the last digit's place: the value is `digits × 2^lsb_exponent`.
    pub lsb_exponent: i32,
    /// Nonzero bits follow the ones shown (only the first 120 bits of a decimal
    /// without a finite binary expansion are kept; the rest is a sticky bit).
    pub goes_on: bool,
}

impl FloatFormat {
    /// A step-by-step trace of rounding the literal `literal` into this format under `env`
    /// (what [`FloatFormat::parse`] computes, and its result).
    ///
    /// # Errors
    ///
    /// [`crate::Error::Parse`] for a malformed literal, as [`FloatFormat::parse`].
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatEnv, FloatFormat};
    ///
    /// let f = FloatFormat::FP16;
    /// let t = f.explain_parse("0.1", &FloatEnv::default())?;
    /// assert_eq!(t.result, f.parse("0.1", &FloatEnv::default())?);
    /// assert!(t.to_string().contains("less than half a unit"));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn explain_parse(
        self,
        literal: &str,
        env: &FloatEnv,
    ) -> crate::Result<ConversionExplanation> {
        let lit = parse_literal(literal)?;
        let mut t = ConversionExplanation {
            source: ConversionSource::Literal(literal.trim().to_string()),
            format: self,
            env: *env,
            special: None,
            exact: None,
            normalize: None,
            rounding: None,
            result: self.parse(literal, env)?,
        };
        match lit.value {
            LiteralValue::Zero => t.special = Some(ZERO),
            LiteralValue::Infinity => t.special = Some(INFINITY),
            LiteralValue::Nan => t.special = Some(NAN),
            LiteralValue::Finite { sig, exp, sticky } => {
                t.trace(lit.negative, sig, exp, sticky);
            }
        }
        Ok(t)
    }

    /// A step-by-step trace of converting `bits` of this format into `to` under `env` (what
    /// [`FloatFormat::convert`] computes, and its result).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatEnv, FloatFormat};
    ///
    /// let env = FloatEnv::default();
    /// let x = 1234.5f32.to_bits() as u64;
    /// let t = FloatFormat::FP32.explain_convert(x, FloatFormat::FP8_E4M3, &env);
    /// assert_eq!(t.result, FloatFormat::FP32.convert(x, FloatFormat::FP8_E4M3, &env));
    /// assert!(t.to_string().contains("overflow"));
    /// ```
    pub fn explain_convert(
        self,
        bits: u64,
        to: FloatFormat,
        env: &FloatEnv,
    ) -> ConversionExplanation {
        let bits = bits & self.mask();
        let mut t = ConversionExplanation {
            source: ConversionSource::Value { format: self, bits },
            format: to,
            env: *env,
            special: None,
            exact: None,
            normalize: None,
            rounding: None,
            result: self.convert(bits, to, env),
        };
        let u = self.unpack(bits);
        match u.kind {
            Kind::Nan { .. } => t.special = Some(NAN),
            Kind::Infinity => t.special = Some(INFINITY),
            Kind::Zero => t.special = Some(ZERO),
            Kind::Finite if env.denormals_are_zero && self.is_subnormal(bits) => {
                t.special = Some("a subnormal read as zero (denormals-are-zero): a signed zero");
            }
            Kind::Finite => {
                let one = BigUint::from(1u8);
                if let LiteralValue::Finite { sig, exp, sticky } =
                    top_bits(&BigUint::from(u.significand), &one, i64::from(u.exponent))
                {
                    t.trace(u.negative, sig, exp, sticky);
                }
            }
        }
        t
    }
}

const ZERO: &str = "zero: a zero of the same sign";
const INFINITY: &str = "infinity: infinity of the same sign, or the overflow result in a \
                        format without infinities";
const NAN: &str = "NaN: a NaN of the target chosen by the NaN policy (invalid if signalling)";

impl ConversionExplanation {
    /// Fills the steps for the non-zero exact value `sig × 2^exp` (+ something below when
    /// `sticky`), and packs the result with the core's own step.
    fn trace(&mut self, negative: bool, sig: u128, exp: i32, sticky: bool) {
        let f = self.format;
        let tz = sig.trailing_zeros().min(EXACT_BITS - 1);
        let digits = format!("{:b}", sig >> tz);
        self.exact = Some(ExactBinary {
            negative,
            digits,
            lsb_exponent: exp + tz as i32,
            goes_on: sticky,
        });
        let mut norm = f.normalize_step(&BigUint::from(sig), exp);
        norm.discarded.sticky |= sticky;
        let r = round(negative, norm.kept, norm.discarded, self.env.rounding);
        self.rounding = Some(RoundStep {
            loss: norm.discarded.class(),
            rounded: r,
            carry: r.carries_out_of(f.precision()),
        });
        self.normalize = Some(norm);
        self.result = f.round_pack(negative, sig, exp, sticky, &self.env);
    }
}

impl fmt::Display for ConversionExplanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let to = self.format;
        match &self.source {
            ConversionSource::Literal(s) => {
                writeln!(f, "{s} → {to}, rounding {}", self.env.rounding)?
            }
            ConversionSource::Value { format, bits } => writeln!(
                f,
                "{format} {bits:#x} ({}) → {to}, rounding {}",
                format.display(*bits),
                self.env.rounding
            )?,
        }
        let mut step = 1;
        if let ConversionSource::Value { format, bits } = &self.source {
            writeln!(f, "{step}. unpack: {}", format.fields(*bits))?;
            step += 1;
        }
        if let Some(rule) = self.special {
            writeln!(f, "{step}. special case: {rule}")?;
            step += 1;
        }
        if let Some(ExactBinary {
            negative: neg,
            digits,
            lsb_exponent: lsb,
            goes_on: more,
        }) = &self.exact
        {
            let lead = lsb + digits.len() as i32 - 1;
            let frac = &digits[1..];
            writeln!(
                f,
                "{step}. exact value in binary: {}1.{}b x 2^{lead}{}",
                sign(*neg),
                if frac.is_empty() { "0" } else { frac },
                if *more {
                    format!(" (first {} bits; the expansion goes on)", digits.len())
                } else {
                    " (exact)".to_string()
                }
            )?;
            step += 1;
        }
        if let (Some(n), Some(r)) = (&self.normalize, &self.rounding) {
            writeln!(
                f,
                "{step}. normalize: 1.xxx x 2^{}; {} keeps {} bits down to 2^{}{}",
                n.leading_exponent,
                to,
                (n.leading_exponent - n.lsb_exponent + 1).max(0),
                n.lsb_exponent,
                if n.subnormal {
                    " (below the smallest normal 2^".to_string()
                        + &to.min_exponent().to_string()
                        + ": subnormal, fewer bits)"
                } else {
                    String::new()
                }
            )?;
            step = rounding_lines(f, step, n, r, self.env.rounding)?;
        }
        let res = self.result;
        if res.flags.contains(Flags::OVERFLOW) && self.special.is_none() {
            let max = to.display(to.max_finite_bits());
            let what = if to.is_nan(res.value) {
                "no infinity in this format: NaN (the non-saturating overflow policy)".to_string()
            } else if to.is_nan_or_infinity(res.value) {
                "the result is infinity".to_string()
            } else {
                format!("saturates to the largest finite value {max}")
            };
            writeln!(
                f,
                "{step}. overflow: beyond the largest finite value {max}; {what}"
            )?;
            step += 1;
        } else if res.flags.contains(Flags::UNDERFLOW) {
            writeln!(
                f,
                "{step}. underflow: the result is tiny and inexact{}",
                if to.magnitude(res.value) == 0 {
                    " (rounded or flushed to zero)"
                } else {
                    " (a subnormal)"
                }
            )?;
            step += 1;
        }
        pack_lines(f, step, to, res)
    }
}
