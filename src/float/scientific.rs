//! Decimal scientific notation, the course's bridge to floating point: normalizing
//! `1234.5 × 10^5` to `1.2345 × 10^8` one point move at a time, and rounding to N
//! significant digits under any [`RoundingMode`] through the crate's one rounding function
//! ([`crate::round::round`], by way of [`round_div`]) — the same step a binary float ends in.

use std::fmt;

use crate::round::{RoundingMode, round_div};
use crate::{Error, Result};

/// Most significant digits a [`Scientific`] holds (10^38 < 2^128).
pub const MAX_SIGNIFICANT_DIGITS: u32 = crate::limits::SCIENTIFIC_MAX_SIGNIFICANT_DIGITS;

/// A decimal in normalized scientific notation, `d.ddd × 10^exponent` with `d ≠ 0` (or 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scientific {
    /// The sign.
    pub negative: bool,
    /// The significant digits as one integer (`12345` for 1.2345 × 10^8).
    pub significand: u128,
    /// How many significant digits, trailing zeros as written included (5 for 1.2345).
    pub digits: u32,
    /// The power of ten of the first digit.
    pub exponent: i32,
}

impl Scientific {
    fn digit_string(&self) -> String {
        format!("{:0w$}", self.significand, w = self.digits as usize)
    }

    /// The significand written with its point after the first digit: `"1.2345"`.
    pub fn mantissa(&self) -> String {
        let s = self.digit_string();
        let sign = if self.negative { "-" } else { "" };
        match s.split_at(1) {
            (d, "") => format!("{sign}{d}"),
            (d, rest) => format!("{sign}{d}.{rest}"),
        }
    }

    /// The value as an `f64` (nearest; for display and checks).
    pub fn to_f64(&self) -> f64 {
        let e = self.exponent - (self.digits as i32 - 1);
        let v: f64 = format!("{}e{e}", self.significand)
            .parse()
            .unwrap_or(f64::NAN);
        if self.negative { -v } else { v }
    }

    /// Rounds to `n` significant digits under `mode` (see [`SignificantRounding`]); a value
    /// with at most `n` digits comes back unchanged.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] unless `n` is in 1..=[`MAX_SIGNIFICANT_DIGITS`];
    /// [`Error::InvalidParameter`] for a hand-built value whose significand has more than
    /// `digits` digits or whose `digits` is outside 1..=[`MAX_SIGNIFICANT_DIGITS`].
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::normalize_scientific;
    /// use arithsim::round::RoundingMode;
    ///
    /// let x = normalize_scientific("1.2345", 8)?.result;
    /// let r = x.round_to(3, RoundingMode::NearestEven)?;
    /// assert_eq!(r.result.to_string(), "1.23 × 10^8");
    /// assert_eq!((r.kept, r.dropped, r.unit), (123, 45, 100));
    /// assert_eq!(x.round_to(3, RoundingMode::TowardPositive)?.result.to_string(), "1.24 × 10^8");
    /// // A tie: 1.25 to 2 digits.
    /// let t = normalize_scientific("1.25", 0)?.result;
    /// assert_eq!(t.round_to(2, RoundingMode::NearestEven)?.result.mantissa(), "1.2");
    /// assert_eq!(t.round_to(2, RoundingMode::NearestAway)?.result.mantissa(), "1.3");
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn round_to(&self, n: u32, mode: RoundingMode) -> Result<SignificantRounding> {
        if !(1..=MAX_SIGNIFICANT_DIGITS).contains(&n) {
            return Err(Error::OutOfRange {
                value: n.to_string(),
                min: "1".into(),
                max: MAX_SIGNIFICANT_DIGITS.to_string(),
                what: "significant digits".into(),
            });
        }
        // The fields are public: a hand-built value must still be one `normalize_scientific`
        // could return.
        let limit = 10u128.checked_pow(self.digits);
        if self.digits == 0
            || self.digits > MAX_SIGNIFICANT_DIGITS
            || limit.is_none_or(|l| self.significand >= l)
        {
            return Err(Error::param(
                "scientific",
                format!("{} with {} digits", self.significand, self.digits),
                format!(
                    "the significand must have at most `digits` digits, 1..={MAX_SIGNIFICANT_DIGITS}"
                ),
            ));
        }
        if self.digits <= n {
            return Ok(SignificantRounding {
                input: *self,
                n,
                mode,
                kept: self.significand,
                dropped: 0,
                unit: 1,
                inexact: false,
                result: *self,
            });
        }
        let unit = 10u128.pow(self.digits - n);
        let r = round_div(self.negative, self.significand, unit, mode)?;
        let (mut significand, mut exponent) = (r.value, self.exponent);
        if significand == 10u128.pow(n) {
            // 9.99 → 10.0: one more digit than asked; renormalize (exactly, the digit is 0).
            significand /= 10;
            exponent += 1;
        }
        Ok(SignificantRounding {
            input: *self,
            n,
            mode,
            kept: self.significand / unit,
            dropped: self.significand % unit,
            unit,
            inexact: r.inexact,
            result: Scientific {
                negative: self.negative,
                significand,
                digits: n,
                exponent,
            },
        })
    }
}

impl fmt::Display for Scientific {
    /// `1.2345 × 10^8`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} × 10^{}", self.mantissa(), self.exponent)
    }
}

/// A decimal moved into normalized scientific notation (see [`normalize_scientific`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Normalization {
    /// Every form from the one given to the normalized one, one point move apart:
    /// `("1234.5", 5)`, `("123.45", 6)`, `("12.345", 7)`, `("1.2345", 8)`.
    pub steps: Vec<(String, i32)>,
    /// The normalized number.
    pub result: Scientific,
}

impl fmt::Display for Normalization {
    /// `1234.5 × 10^5 = 123.45 × 10^6 = 12.345 × 10^7 = 1.2345 × 10^8`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let forms: Vec<String> = self
            .steps
            .iter()
            .map(|(m, e)| format!("{m} × 10^{e}"))
            .collect();
        f.write_str(&forms.join(" = "))
    }
}

/// `digits` with the point after `point` of them, leading zeros of the integer part dropped.
fn with_point(sign: &str, digits: &str, point: usize) -> String {
    let (int, frac) = digits.split_at(point);
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

/// Normalizes `mantissa × 10^exponent` (mantissa a decimal like `"1234.5"`, `"-0.00123"`)
/// to one non-zero digit before the point, moving the point one place per step and
/// adjusting the exponent to keep the value. Trailing zeros as written count as
/// significant digits.
///
/// # Errors
///
/// [`Error::Parse`] for a mantissa that is not a decimal (digits with at most one point,
/// an optional sign); [`Error::OutOfRange`] for more than [`MAX_SIGNIFICANT_DIGITS`]
/// significant digits, a mantissa longer than
/// [`limits::SCIENTIFIC_MAX_MANTISSA_CHARS`](crate::limits::SCIENTIFIC_MAX_MANTISSA_CHARS)
/// (the trace shows it once per step) or an exponent that leaves `i32`.
///
/// # Examples
///
/// ```
/// use arithsim::float::normalize_scientific;
///
/// let n = normalize_scientific("1234.5", 5)?;
/// assert_eq!(n.to_string(), "1234.5 × 10^5 = 123.45 × 10^6 = 12.345 × 10^7 = 1.2345 × 10^8");
/// assert_eq!((n.result.significand, n.result.exponent), (12345, 8));
/// assert_eq!(normalize_scientific("0.00123", 0)?.result.to_string(), "1.23 × 10^-3");
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn normalize_scientific(mantissa: &str, exponent: i32) -> Result<Normalization> {
    let bad = |reason: &str| Error::Parse {
        input: mantissa.to_string(),
        reason: reason.into(),
    };
    let t = mantissa.trim();
    // Each step is one line showing the whole mantissa, so the trace is quadratic in its
    // length: bounded before any work.
    let max_len = crate::limits::SCIENTIFIC_MAX_MANTISSA_CHARS;
    if t.len() > max_len {
        return Err(Error::OutOfRange {
            value: t.len().to_string(),
            min: "1".into(),
            max: max_len.to_string(),
            what: "mantissa characters (limits::SCIENTIFIC_MAX_MANTISSA_CHARS)".into(),
        });
    }
    let (negative, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let all = format!("{int}{frac}");
    if all.is_empty() || !all.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("expected decimal digits with at most one point"));
    }
    let sign = if negative { "-" } else { "" };
    let point = int.len();
    let Some(first) = all.bytes().position(|b| b != b'0') else {
        // Zero has no first non-zero digit: it is 0 × 10^0.
        return Ok(Normalization {
            steps: vec![(with_point(sign, &all, point), exponent)],
            result: Scientific {
                negative,
                significand: 0,
                digits: 1,
                exponent: 0,
            },
        });
    };
    let sig = &all[first..];
    if sig.len() > MAX_SIGNIFICANT_DIGITS as usize {
        return Err(Error::OutOfRange {
            value: sig.len().to_string(),
            min: "1".into(),
            max: MAX_SIGNIFICANT_DIGITS.to_string(),
            what: "significant digits".into(),
        });
    }
    let exp_range = || Error::OutOfRange {
        value: format!("{exponent} + {}", point as i64 - first as i64 - 1),
        min: i32::MIN.to_string(),
        max: i32::MAX.to_string(),
        what: "a decimal exponent".into(),
    };
    // Move the point from `point` to just after digit `first`, one place at a time.
    let target = first + 1;
    let mut steps = Vec::new();
    let mut p = point;
    let mut e = exponent as i64;
    loop {
        let e32 = i32::try_from(e).map_err(|_| exp_range())?;
        steps.push((with_point(sign, &all, p), e32));
        match p.cmp(&target) {
            std::cmp::Ordering::Greater => {
                p -= 1;
                e += 1;
            }
            std::cmp::Ordering::Less => {
                p += 1;
                e -= 1;
            }
            std::cmp::Ordering::Equal => break,
        }
    }
    let exponent = steps.last().map_or(exponent, |s| s.1);
    Ok(Normalization {
        steps,
        result: Scientific {
            negative,
            significand: sig.parse().map_err(|_| bad("too many digits"))?,
            digits: sig.len() as u32,
            exponent,
        },
    })
}

/// The steps of rounding a [`Scientific`] to `n` significant digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignificantRounding {
    /// The number rounded.
    pub input: Scientific,
    /// Significant digits kept.
    pub n: u32,
    /// The rounding mode.
    pub mode: RoundingMode,
    /// The first `n` digits, truncated (123 for 1.2345 to 3 digits).
    pub kept: u128,
    /// The digits dropped, as an integer (45).
    pub dropped: u128,
    /// One unit of the last kept digit in dropped-digit units (100): the dropped part is
    /// `dropped / unit` of a unit (0.45).
    pub unit: u128,
    /// Something non-zero was dropped.
    pub inexact: bool,
    /// The rounded number, `n` digits.
    pub result: Scientific,
}

impl fmt::Display for SignificantRounding {
    /// `1.2345 × 10^8 to 3 significant digits (nearest, ties to even): keep 123, drop 45/100
    /// of a unit → 1.23 × 10^8`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} to {} significant digits ({}): ",
            self.input, self.n, self.mode
        )?;
        if self.unit == 1 {
            write!(f, "already {} digits or fewer → {}", self.n, self.result)
        } else {
            write!(
                f,
                "keep {}, drop {}/{} of a unit → {}",
                self.kept, self.dropped, self.unit, self.result
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_against_exact_rationals() {
        // Every 4-digit significand to 1, 2 and 3 digits in every deterministic mode,
        // against integer comparisons written out here.
        for s in 1000u128..10000 {
            let x = Scientific {
                negative: s % 3 == 0,
                significand: s,
                digits: 4,
                exponent: 0,
            };
            for n in 1..=3u32 {
                let unit = 10u128.pow(4 - n);
                for mode in RoundingMode::DETERMINISTIC {
                    let r = x.round_to(n, mode).unwrap();
                    let (q, rem) = (s / unit, s % unit);
                    let up = match mode {
                        RoundingMode::NearestEven => {
                            2 * rem > unit || (2 * rem == unit && q % 2 == 1)
                        }
                        RoundingMode::NearestAway => 2 * rem >= unit,
                        RoundingMode::NearestTowardPositive => {
                            2 * rem > unit || (2 * rem == unit && !x.negative)
                        }
                        RoundingMode::TowardZero => false,
                        RoundingMode::TowardPositive => rem != 0 && !x.negative,
                        RoundingMode::TowardNegative => rem != 0 && x.negative,
                        RoundingMode::ToOdd => rem != 0 && q % 2 == 0,
                        RoundingMode::Stochastic { .. } => unreachable!(),
                    };
                    let want = q + up as u128;
                    let (want, e) = if want == 10u128.pow(n) {
                        (want / 10, 1)
                    } else {
                        (want, 0)
                    };
                    assert_eq!(
                        (r.result.significand, r.result.exponent),
                        (want, e),
                        "{s} {n} {mode:?}"
                    );
                    assert_eq!(r.inexact, rem != 0);
                }
            }
        }
    }

    #[test]
    fn bad_mantissas() {
        for m in ["", "-", "1.2.3", "12a", ".", "1e5"] {
            assert!(normalize_scientific(m, 0).is_err(), "{m:?}");
        }
        assert!(normalize_scientific(&"1".repeat(39), 0).is_err());
        assert!(normalize_scientific("1000", i32::MAX).is_err());
        let z = normalize_scientific("0.00", 7).unwrap();
        assert_eq!(z.result.to_string(), "0 × 10^0");
        let x = normalize_scientific("9.96", 0).unwrap().result;
        assert_eq!(
            x.round_to(2, RoundingMode::NearestEven)
                .unwrap()
                .result
                .to_string(),
            "1.0 × 10^1"
        );
        assert!(x.round_to(0, RoundingMode::NearestEven).is_err());
        assert!(x.round_to(39, RoundingMode::NearestEven).is_err());
        let bad = Scientific {
            negative: false,
            significand: 1000,
            digits: 3,
            exponent: 0,
        };
        assert!(bad.round_to(2, RoundingMode::NearestEven).is_err());
        let bad = Scientific { digits: 60, ..x };
        assert!(bad.round_to(2, RoundingMode::NearestEven).is_err());
        assert_eq!(
            normalize_scientific("-0.5", 0).unwrap().to_string(),
            "-0.5 × 10^0 = -5 × 10^-1"
        );
    }
}
