//! Printing values of any format: the shortest decimal that reads back to the same bits, the
//! exact decimal value, and a bit-field view (sign | exponent | mantissa).

use std::fmt;

use super::classify::Kind;
use super::decimal::{self, Decimal};
use super::format::FloatFormat;
use super::value::FloatValue;

/// A value of a format, ready to print (see [`FloatFormat::display`]).
///
/// `{}` prints, positionally like Rust's `f32`/`f64` `Display` (`0.1`, `65504`, `inf`,
/// `-inf`, `NaN`, `-0`):
///
/// - the **exact decimal value** when the format is at most 8 bits wide (FP8, FP6, FP4: every
///   value, at most 12 significant digits) or the exact value has at most 6 significant
///   digits (FP16's 65504, BF16's 65280), because there the shortest round-trip decimal is
///   not the value and reads wrong to a student (FP8 E4M3's 448 would print `450`, since
///   every decimal in (432, 464) reads back as 448);
/// - else the shortest decimal that [`FloatFormat::parse`] (round to nearest, ties to even)
///   maps back to the same bits (FP16's 0.0999755859375 prints `0.1`).
///
/// `{:#}` always prints the shortest round-trip decimal, [`FloatFormat::exact_decimal`] always
/// the exact value. `{:.N}` prints the exact value rounded to `N`
/// fraction digits (ties to even); `{:e}` prints the shortest digits in scientific notation
/// (`1e-45`, `6.5504e4`) and `{:.Ne}` the exact value rounded to `N` digits after the point.
/// Width, fill, alignment, `+` and `0` flags work as for Rust's floats. `{:?}` shows the bit fields (see [`BitFields`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct FloatDisplay {
    format: FloatFormat,
    bits: u64,
}

/// What a pattern holds, for printing.
enum Printable {
    Nan,
    Infinity(bool),
    Number(bool, u128, i32),
}

impl FloatFormat {
    /// Wraps `bits` for printing (bits above the format's width are ignored).
    ///
    /// Which decimal `{}` prints (exact or shortest round-trip) is said on [`FloatDisplay`].
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::FloatFormat;
    ///
    /// let f = FloatFormat::FP16;
    /// assert_eq!(f.display(0x2E66).to_string(), "0.1"); // 0.0999755859375
    /// assert_eq!(format!("{:.6}", f.display(0x2E66)), "0.099976");
    /// assert_eq!(format!("{:e}", f.display(0x0001)), "6e-8");
    /// assert_eq!(f.display(0xFC00).to_string(), "-inf");
    /// assert_eq!(f.display(0x7BFF).to_string(), "65504"); // exact: 5 digits
    /// assert_eq!(format!("{:#}", f.display(0x7BFF)), "65500"); // shortest round trip
    /// // FP8: always the exact value (the shortest round trip would be "450" and "130").
    /// assert_eq!(FloatFormat::FP8_E4M3.display(0x7E).to_string(), "448");
    /// assert_eq!(FloatFormat::FP8_E4M3.display(0x70).to_string(), "128");
    /// assert_eq!(format!("{:#}", FloatFormat::FP8_E4M3.display(0x7E)), "450");
    /// ```
    #[inline]
    pub fn display(self, bits: u64) -> FloatDisplay {
        FloatDisplay {
            format: self,
            bits: bits & self.mask(),
        }
    }

    /// The exact decimal value of `bits` (every binary value has a finite expansion), in
    /// positional notation; `inf`, `-inf` or `NaN` for the specials.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::FloatFormat;
    /// assert_eq!(FloatFormat::FP16.exact_decimal(0x2E66), "0.0999755859375");
    /// assert_eq!(FloatFormat::FP32.exact_decimal(0x3DCC_CCCD), "0.100000001490116119384765625");
    /// ```
    pub fn exact_decimal(self, bits: u64) -> String {
        let d = self.display(bits);
        match d.printable() {
            Printable::Number(neg, m, e) => sign(neg) + &decimal::exact(m, e).plain(0),
            _ => d.to_string(),
        }
    }

    /// The bit-field view of `bits` (see [`BitFields`]).
    #[inline]
    pub fn fields(self, bits: u64) -> BitFields {
        BitFields {
            format: self,
            bits: bits & self.mask(),
        }
    }
}

fn sign(negative: bool) -> String {
    if negative { "-".into() } else { String::new() }
}

impl FloatDisplay {
    fn printable(&self) -> Printable {
        let u = self.format.unpack(self.bits);
        match u.kind {
            Kind::Nan { .. } => Printable::Nan,
            Kind::Infinity => Printable::Infinity(u.negative),
            Kind::Zero => Printable::Number(u.negative, 0, 0),
            Kind::Finite => Printable::Number(u.negative, u.significand as u128, u.exponent),
        }
    }

    /// The shortest round-tripping digits of a non-zero finite value.
    fn shortest(&self, m: u128, e: i32) -> Decimal {
        let f = self.format;
        let magnitude = f.magnitude(self.bits);
        // The first value of a binade above the first normal one has a neighbour below at
        // half the usual distance.
        let lower_closer =
            f.is_normal(self.bits) && f.man_field(self.bits) == 0 && f.exp_field(self.bits) > 1;
        let inclusive = m % 2 == 0;
        // Beyond the largest finite value the format may overflow, saturate or have a NaN;
        // the open interval reads back to it under every policy.
        let top_inclusive = magnitude != f.max_finite_bits();
        decimal::shortest(m, e, lower_closer, inclusive, top_inclusive)
    }
}

impl fmt::Display for FloatDisplay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self.printable() {
            Printable::Nan => "NaN".to_string(),
            Printable::Infinity(neg) => sign(neg) + "inf",
            Printable::Number(neg, m, e) => {
                let body = match (f.precision(), m) {
                    (Some(p), _) => decimal::exact(m, e).plain_with_precision(p),
                    (None, 0) => "0".to_string(),
                    (None, _) if !f.alternate() && self.prints_exact(m, e) => {
                        decimal::exact(m, e).plain(0)
                    }
                    (None, _) => self.shortest(m, e).plain(0),
                };
                sign(neg) + &body
            }
        };
        pad(f, &s)
    }
}

/// Formats at most this wide print every value exactly (see [`FloatDisplay`]).
const EXACT_MAX_WIDTH: u32 = 8;
/// Wider formats print a value exactly when it has at most this many significant digits.
const EXACT_MAX_DIGITS: usize = 6;

impl FloatDisplay {
    /// Whether `{}` prints the non-zero `m · 2^e` exactly (the rule on [`FloatDisplay`]).
    fn prints_exact(&self, m: u128, e: i32) -> bool {
        if self.format.width() <= EXACT_MAX_WIDTH {
            return true;
        }
        let tz = m.trailing_zeros();
        let (m, e) = (m >> tz, e + tz as i32);
        // Cheap bounds before the big-integer expansion: an odd m·2^e with e ≤ −9 ends in
        // m·5^9 ≥ 1953125 (7 digits); one with e > 128 is above 2^128, which at most
        // 5^23 · 999999 (the factors of ten an m < 2^53 can hold) cannot reach.
        if !(-8..=128).contains(&e) {
            return false;
        }
        decimal::exact(m, e).digits.len() <= EXACT_MAX_DIGITS
    }
}

/// Writes `s` honouring the formatter's `+` flag, width, fill, alignment (right by default,
/// as for numbers) and `0` flag, but not its precision, which the caller has already applied.
fn pad(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    let plus;
    let s = if f.sign_plus() && !s.starts_with('-') && s != "NaN" {
        plus = format!("+{s}");
        plus.as_str()
    } else {
        s
    };
    let len = s.chars().count();
    let Some(width) = f.width().filter(|&w| w > len) else {
        return f.write_str(s);
    };
    let n = width - len;
    if f.sign_aware_zero_pad() {
        let (sign, digits) = s.split_at(s.starts_with(['-', '+']) as usize);
        return write!(f, "{sign}{}{digits}", "0".repeat(n));
    }
    let fill = f.fill().to_string();
    let (before, after) = match f.align() {
        Some(fmt::Alignment::Left) => (0, n),
        Some(fmt::Alignment::Center) => (n / 2, n - n / 2),
        _ => (n, 0),
    };
    write!(f, "{}{s}{}", fill.repeat(before), fill.repeat(after))
}

impl fmt::LowerExp for FloatDisplay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self.printable() {
            Printable::Nan => "NaN".to_string(),
            Printable::Infinity(neg) => sign(neg) + "inf",
            Printable::Number(neg, m, e) => {
                let body = match (f.precision(), m) {
                    (Some(p), _) => decimal::exact(m, e).scientific_with_precision(p),
                    (None, 0) => "0e0".to_string(),
                    (None, _) => self.shortest(m, e).scientific(),
                };
                sign(neg) + &body
            }
        };
        pad(f, &s)
    }
}

impl fmt::Debug for FloatDisplay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.format.fields(self.bits), f)
    }
}

/// The fields of a bit pattern, for reading it like a textbook figure.
///
/// `Display` prints `sign | exponent | mantissa` in binary with what each means, then the
/// value (exact when it has at most 24 significant digits, else `~` the shortest decimal),
/// e.g. for FP16 `0x3E00`:
/// `0 | 01111 | 1000000000  (+, exponent 15 - 15 = 0, significand 1.1000000000b) = 1.5`.
///
/// # Examples
///
/// ```
/// use arithsim::float::FloatFormat;
///
/// let s = FloatFormat::FP16.fields(0x3E00).to_string();
/// assert_eq!(s, "0 | 01111 | 1000000000  (+, exponent 15 - 15 = 0, significand 1.1000000000b) = 1.5");
/// let s = FloatFormat::FP16.fields(0x0001).to_string();
/// assert!(s.starts_with("0 | 00000 | 0000000001  (+, subnormal: exponent 1 - 15 = -14, significand 0.0000000001b)"));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct BitFields {
    format: FloatFormat,
    bits: u64,
}

impl BitFields {
    /// The sign bit.
    pub fn sign(&self) -> u64 {
        self.bits >> (self.format.width() - 1) & 1
    }

    /// The biased exponent field.
    pub fn exponent(&self) -> u64 {
        self.format.exp_field(self.bits)
    }

    /// The stored mantissa (fraction) field.
    pub fn mantissa(&self) -> u64 {
        self.format.man_field(self.bits)
    }
}

impl fmt::Display for BitFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fmt_ = self.format;
        let (eb, mb) = (fmt_.exp_bits() as usize, fmt_.man_bits() as usize);
        let (s, e, m) = (self.sign(), self.exponent(), self.mantissa());
        write!(f, "{s} | {e:0eb$b} | {m:0mb$b}  (")?;
        f.write_str(if s == 1 { "-" } else { "+" })?;
        let bias = fmt_.bias();
        let u = fmt_.unpack(self.bits);
        match u.kind {
            Kind::Nan { signaling } => {
                let q = if signaling { "signalling" } else { "quiet" };
                write!(f, ", {q} NaN)")?;
            }
            Kind::Infinity => write!(f, ", infinity)")?,
            _ if e == 0 => {
                let unb = 1 - bias;
                write!(
                    f,
                    ", {}exponent 1 - {bias} = {unb}, significand 0.{m:0mb$b}b)",
                    if u.kind == Kind::Zero {
                        "zero: "
                    } else {
                        "subnormal: "
                    }
                )?;
            }
            _ => {
                let unb = e as i64 - bias as i64;
                write!(
                    f,
                    ", exponent {e} - {bias} = {unb}, significand 1.{m:0mb$b}b)"
                )?;
            }
        }
        // The exact value when it is short enough to read, else the shortest decimal.
        let exact = fmt_.exact_decimal(self.bits);
        if exact.trim_start_matches(['-', '0', '.']).len() <= 24 {
            write!(f, " = {exact}")
        } else {
            write!(f, " ~ {}", fmt_.display(self.bits))
        }
    }
}

impl fmt::Debug for BitFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for FloatValue {
    /// The shortest decimal that reads back to the same bits (see [`FloatFormat::display`]).
    ///
    /// ```
    /// use arithsim::float::{FloatFormat, FloatValue};
    /// let v = FloatValue::new(FloatFormat::BF16, 0x3DCD)?;
    /// assert_eq!(v.to_string(), "0.1");
    /// assert_eq!(format!("{v:.5}"), "0.10010");
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.format().display(self.bits()), f)
    }
}

impl fmt::LowerExp for FloatValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::LowerExp::fmt(&self.format().display(self.bits()), f)
    }
}
