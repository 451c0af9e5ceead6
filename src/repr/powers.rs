//! Powers of two: the table a student memorizes, the 2^10 ≈ 10^3 rule with its error, and
//! decimal → binary by subtracting the largest power of two that fits.

use std::fmt;

use super::radix::with_thousands;
use super::wide::WideInt;
use crate::{Error, Result};

/// 2^n with its decimal approximation from 2^10 ≈ 10^3.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PowerOfTwo {
    /// `n`.
    pub exponent: u32,
    /// `2^n` exactly.
    pub value: u128,
    /// `2^(n mod 10)`: the leading factor of the approximation.
    pub leading: u32,
    /// SI prefix of `10^(3·⌊n/10⌋)` ("", "kilo", "mega", "giga", ...).
    pub prefix: &'static str,
    /// Its English name ("", "thousand", "million", "billion", ...).
    pub name: &'static str,
    /// Binary (IEC) prefix of `2^(10·⌊n/10⌋)` ("", "Ki", "Mi", "Gi", ...).
    pub binary_prefix: &'static str,
}

const PREFIXES: [(&str, &str, &str); 13] = [
    ("", "", ""),
    ("kilo", "thousand", "Ki"),
    ("mega", "million", "Mi"),
    ("giga", "billion", "Gi"),
    ("tera", "trillion", "Ti"),
    ("peta", "quadrillion", "Pi"),
    ("exa", "quintillion", "Ei"),
    ("zetta", "sextillion", "Zi"),
    ("yotta", "septillion", "Yi"),
    ("ronna", "octillion", "Ri"),
    ("quetta", "nonillion", "Qi"),
    ("", "decillion", ""),
    ("", "undecillion", ""),
];

/// 2^n for n in 0..=127, with its approximation: 2^24 ≈ 16 million, 2^32 ≈ 4 billion.
///
/// # Errors
///
/// [`Error::OutOfRange`] when `n > 127`.
///
/// # Examples
///
/// ```
/// use arithsim::repr::power_of_two;
///
/// assert_eq!(power_of_two(24)?.to_string(), "2^24 = 16,777,216 ≈ 16 million (16 Mi)");
/// let p = power_of_two(32)?;
/// assert_eq!((p.leading, p.name), (4, "billion"));
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn power_of_two(n: u32) -> Result<PowerOfTwo> {
    if n > 127 {
        return Err(Error::OutOfRange {
            value: n.to_string(),
            min: "0".into(),
            max: "127".into(),
            what: "a power-of-two exponent".into(),
        });
    }
    let (prefix, name, binary_prefix) = PREFIXES[(n / 10) as usize];
    Ok(PowerOfTwo {
        exponent: n,
        value: 1u128 << n,
        leading: 1 << (n % 10),
        prefix,
        name,
        binary_prefix,
    })
}

impl fmt::Display for PowerOfTwo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let exact = with_thousands(WideInt::from(self.value));
        write!(f, "2^{} = {exact}", self.exponent)?;
        if self.exponent >= 10 {
            write!(f, " ≈ {} {}", self.leading, self.name)?;
            if !self.binary_prefix.is_empty() {
                write!(f, " ({} {})", self.leading, self.binary_prefix)?;
            }
        }
        Ok(())
    }
}

/// `10^(3k)`, the value of the `k`-th thousands prefix (k ≤ 12 for exponents up to 127;
/// saturates for a hand-built [`PowerOfTwo`] beyond).
fn thousands(k: u32) -> u128 {
    10u128.saturating_pow(3 * k)
}

impl PowerOfTwo {
    /// The rule's figure `leading × 10^(3·⌊n/10⌋)` (2^64 ≈ 16 × 10^18).
    pub fn rule_value(&self) -> u128 {
        (self.leading as u128).saturating_mul(thousands(self.exponent / 10))
    }

    /// How far the rule falls below the true value, as a fraction of the true value:
    /// `1 − rule / 2^n` (0.024 for 2^10, 0.133 for 2^64). It grows with every factor 2^10,
    /// because each one is read as 1000 instead of 1024.
    pub fn rule_error(&self) -> f64 {
        1.0 - self.rule_value() as f64 / self.value as f64
    }

    /// The true value in the rule's unit, to 3 significant digits (rounded half up):
    /// `"18.4 quintillion"` for 2^64, `"1.02 thousand"` for 2^10 (`"512"` below 2^10,
    /// where there is no unit).
    pub fn true_size(&self) -> String {
        let k = self.exponent / 10;
        if k == 0 {
            return with_thousands(WideInt::from(self.value));
        }
        // The integer part in the unit has 1 to 3 digits; keep 3 digits in all.
        let int_digits = (self.value / thousands(k)).to_string().len() as u32;
        let decimals = 3u32.saturating_sub(int_digits);
        let unit = 10u128.pow(3 * k - decimals);
        let scaled = (self.value + unit / 2) / unit;
        let d = 10u128.pow(decimals);
        if decimals == 0 {
            format!("{scaled} {}", self.name)
        } else {
            format!(
                "{}.{:0w$} {}",
                scaled / d,
                scaled % d,
                self.name,
                w = decimals as usize
            )
        }
    }

    /// The rule and its error in one line:
    /// `2^64 = 2^4 × (2^10)^6 ≈ 16 × 1000^6 = 16 quintillion; really 18.4 quintillion (the
    /// rule is 13.3% low)`.
    pub fn rule_line(&self) -> String {
        let (n, k) = (self.exponent, self.exponent / 10);
        if k == 0 {
            return format!("2^{n} = {} (below 2^10, no rule needed)", self.value);
        }
        format!(
            "2^{n} = 2^{} × (2^10)^{k} ≈ {} × 1000^{k} = {} {}; really {} (the rule is {:.1}% low)",
            n % 10,
            self.leading,
            self.leading,
            self.name,
            self.true_size(),
            100.0 * self.rule_error()
        )
    }
}

/// The table 2^first … 2^last, one [`PowerOfTwo`] per row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PowerTable {
    /// The rows, smallest exponent first.
    pub rows: Vec<PowerOfTwo>,
}

/// 2^first … 2^last (the course's table is 2^0 … 2^15).
///
/// # Errors
///
/// [`Error::OutOfRange`] when `last > 127`; [`Error::InvalidParameter`] when
/// `first > last`.
///
/// # Examples
///
/// ```
/// use arithsim::repr::power_table;
///
/// let t = power_table(0, 15)?;
/// let values: Vec<u128> = t.rows.iter().map(|p| p.value).collect();
/// assert_eq!(values[..6], [1, 2, 4, 8, 16, 32]);
/// assert_eq!(values[15], 32_768);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn power_table(first: u32, last: u32) -> Result<PowerTable> {
    if first > last {
        return Err(Error::param(
            "first",
            first,
            format!("must not exceed last ({last})"),
        ));
    }
    Ok(PowerTable {
        rows: (first..=last).map(power_of_two).collect::<Result<_>>()?,
    })
}

impl fmt::Display for PowerTable {
    /// One row per power: `  n   2^n` with the value in decimal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = self
            .rows
            .last()
            .map_or(1, |p| with_thousands(WideInt::from(p.value)).len());
        writeln!(f, "{:>5}  {:>w$}", "n", "2^n")?;
        for p in &self.rows {
            writeln!(
                f,
                "{:>5}  {:>w$}",
                p.exponent,
                with_thousands(WideInt::from(p.value))
            )?;
        }
        Ok(())
    }
}

/// One step of decimal → binary by subtraction: does `2^exponent` fit in what remains?
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SubtractionStep {
    /// The power's exponent: the bit position.
    pub exponent: u32,
    /// What remains before this step.
    pub remaining: u128,
    /// `2^exponent ≤ remaining`: subtract it, and the bit is 1.
    pub bit: bool,
}

/// Decimal → binary by subtracting powers of two, largest first (see
/// [`subtract_powers_of_two`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PowerSubtraction {
    /// The number converted.
    pub value: u128,
    /// One step per bit, most significant first.
    pub steps: Vec<SubtractionStep>,
    /// The binary digits, most significant first.
    pub digits: String,
}

impl PowerSubtraction {
    /// The powers subtracted, largest first: 47 → `[32, 8, 4, 2, 1]`.
    pub fn powers(&self) -> Vec<u128> {
        self.steps
            .iter()
            .filter(|s| s.bit)
            .map(|s| 1u128 << s.exponent)
            .collect()
    }
}

/// Converts `value` to binary the other way from [`super::repeated_division`]: start at the
/// largest power of two not above it, and at each power subtract it if it fits (bit 1) or
/// skip it (bit 0).
///
/// # Examples
///
/// ```
/// use arithsim::repr::subtract_powers_of_two;
///
/// let s = subtract_powers_of_two(47);
/// assert_eq!(s.powers(), [32, 8, 4, 2, 1]);
/// assert_eq!(s.digits, "101111");
/// assert!(!s.steps[1].bit); // 16 does not fit in 47 - 32 = 15
/// ```
pub fn subtract_powers_of_two(value: u128) -> PowerSubtraction {
    if value == 0 {
        return PowerSubtraction {
            value,
            steps: vec![SubtractionStep {
                exponent: 0,
                remaining: 0,
                bit: false,
            }],
            digits: "0".into(),
        };
    }
    let top = 127 - value.leading_zeros();
    let mut remaining = value;
    let mut steps = Vec::with_capacity(top as usize + 1);
    for exponent in (0..=top).rev() {
        let p = 1u128 << exponent;
        let bit = p <= remaining;
        steps.push(SubtractionStep {
            exponent,
            remaining,
            bit,
        });
        if bit {
            remaining -= p;
        }
    }
    let digits = steps
        .iter()
        .map(|s| if s.bit { '1' } else { '0' })
        .collect();
    PowerSubtraction {
        value,
        steps,
        digits,
    }
}

impl fmt::Display for PowerSubtraction {
    /// One line per power, then the sum: `47 = 32 + 8 + 4 + 2 + 1 → 101111`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for s in &self.steps {
            let p = 1u128 << s.exponent;
            if s.bit {
                writeln!(
                    f,
                    "2^{} = {p} fits in {}: {} − {p} = {} → 1",
                    s.exponent,
                    s.remaining,
                    s.remaining,
                    s.remaining - p
                )?;
            } else {
                writeln!(
                    f,
                    "2^{} = {p} does not fit in {} → 0",
                    s.exponent, s.remaining
                )?;
            }
        }
        let terms: Vec<String> = self.powers().iter().map(u128::to_string).collect();
        let terms = if terms.is_empty() {
            "0".to_string()
        } else {
            terms.join(" + ")
        };
        write!(f, "{} = {terms} → {}", self.value, self.digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtraction_matches_native_binary() {
        for v in (0u128..2000).chain([u128::MAX, 1 << 127]) {
            let s = subtract_powers_of_two(v);
            assert_eq!(s.digits, format!("{v:b}"));
            assert_eq!(s.powers().iter().sum::<u128>(), v);
        }
    }

    #[test]
    fn rule_errors() {
        assert_eq!(power_of_two(0).unwrap().to_string(), "2^0 = 1");
        assert_eq!(power_of_two(127).unwrap().name, "undecillion");
        let p = power_of_two(64).unwrap();
        assert_eq!(p.rule_value(), 16 * 10u128.pow(18));
        assert_eq!(p.true_size(), "18.4 quintillion");
        // 1 - 16e18 / 2^64, from f64 arithmetic on the exact operands.
        assert!((p.rule_error() - (1.0 - 16e18 / 18_446_744_073_709_551_616.0)).abs() < 1e-12);
        assert_eq!(power_of_two(127).unwrap().true_size(), "170 undecillion");
        assert_eq!(power_of_two(10).unwrap().true_size(), "1.02 thousand");
        assert_eq!(power_of_two(32).unwrap().true_size(), "4.29 billion");
        assert!(power_table(3, 2).is_err());
        assert!(power_table(0, 128).is_err());
    }
}
