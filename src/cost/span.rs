//! [`Span`]: a figure that may be a range, such as Horowitz's 1.3–2.6 nJ DRAM read.

use std::fmt;
use std::ops::{Add, Mul};

/// A non-negative quantity known as a single value (`lo == hi`) or as a published range.
///
/// Arithmetic keeps the range: sums add the ends, scaling multiplies them, and
/// [`Span::ratio`] divides interval-wise, so a ratio against a range is itself a range.
///
/// # Examples
///
/// ```
/// use arithsim::cost::Span;
///
/// let dram = Span::range(1300.0, 2600.0);
/// let add8 = Span::exact(0.03);
/// let r = dram.ratio(add8);
/// assert!((r.lo - 43_333.3).abs() < 0.1 && (r.hi - 86_666.7).abs() < 0.1);
/// assert_eq!(Span::exact(0.2) + Span::exact(0.1), Span::exact(0.2 + 0.1));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Span {
    /// Low end (equal to `hi` for a single value).
    pub lo: f64,
    /// High end.
    pub hi: f64,
}

impl Span {
    /// A single value.
    #[must_use]
    pub const fn exact(v: f64) -> Self {
        Self { lo: v, hi: v }
    }

    /// A range; the ends are put in order. A NaN end makes both ends NaN (`f64::min`
    /// would drop it and turn `NaN..1` into `1..1`), so every figure check downstream
    /// rejects it; [`Span::try_range`] rejects it at once.
    #[must_use]
    pub fn range(a: f64, b: f64) -> Self {
        if a.is_nan() || b.is_nan() {
            return Self::exact(f64::NAN);
        }
        Self {
            lo: a.min(b),
            hi: a.max(b),
        }
    }

    /// A range of two numbers, neither NaN; the ends are put in order.
    ///
    /// # Errors
    ///
    /// [`crate::Error::InvalidParameter`] when an end is NaN.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::cost::Span;
    ///
    /// assert_eq!(Span::try_range(2.0, 1.0)?, Span::range(1.0, 2.0));
    /// assert!(Span::try_range(f64::NAN, 1.0).is_err());
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn try_range(a: f64, b: f64) -> crate::Result<Self> {
        for v in [a, b] {
            if v.is_nan() {
                return Err(crate::Error::param("range end", v, "must be a number"));
            }
        }
        Ok(Self::range(a, b))
    }

    /// True for a single value.
    #[must_use]
    pub fn is_exact(self) -> bool {
        self.lo == self.hi
    }

    /// The midpoint (the value itself for a single value). Charts draw this.
    #[must_use]
    pub fn mid(self) -> f64 {
        if self.is_exact() {
            self.lo
        } else {
            0.5 * (self.lo + self.hi)
        }
    }

    /// `self / other`, interval-wise: `[lo / other.hi, hi / other.lo]`.
    #[must_use]
    pub fn ratio(self, other: Span) -> Span {
        Span::range(self.lo / other.hi, self.hi / other.lo)
    }

    /// Applies `f` to both ends (for monotonic increasing `f`).
    #[must_use]
    pub fn map(self, f: impl Fn(f64) -> f64) -> Span {
        Span::range(f(self.lo), f(self.hi))
    }
}

impl Add for Span {
    type Output = Span;
    fn add(self, o: Span) -> Span {
        Span {
            lo: self.lo + o.lo,
            hi: self.hi + o.hi,
        }
    }
}

impl Mul<f64> for Span {
    type Output = Span;
    fn mul(self, k: f64) -> Span {
        Span::range(self.lo * k, self.hi * k)
    }
}

impl std::iter::Sum for Span {
    fn sum<I: Iterator<Item = Span>>(iter: I) -> Span {
        iter.fold(Span::exact(0.0), |a, b| a + b)
    }
}

/// Prints with 3 significant digits (more for large values), "lo–hi" for a range.
impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_exact() {
            f.write_str(&sig(self.lo))
        } else {
            write!(f, "{}–{}", sig(self.lo), sig(self.hi))
        }
    }
}

/// A figure with 3 significant digits, in plain notation (no exponent) for 1e-4..1e15 (so a
/// column of counts never mixes "4.09e9" with "408918409"),
/// without trailing zeros: 0.03, 1.1, 3495, 43333.
#[must_use]
pub fn sig(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if !(1e-4..1e15).contains(&a) {
        return format!("{v:.2e}");
    }
    let digits = a.log10().floor() as i32;
    let decimals = (2 - digits).max(0) as usize;
    let s = if decimals == 0 {
        format!("{:.0}", v)
    } else {
        format!("{v:.decimals$}")
    };
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// The unit that puts an energy of `pj` picojoules in 1..1000 (pJ, nJ, µJ, mJ, J; pJ below 1
/// pJ, J above 1000 J), with its size in pJ. A range takes the unit of its larger end, so both
/// ends print in one unit.
///
/// # Examples
///
/// ```
/// use arithsim::cost::energy_unit;
///
/// assert_eq!(energy_unit(11.06e9), ("mJ", 1e9));
/// assert_eq!(energy_unit(0.3), ("pJ", 1.0));
/// ```
#[must_use]
pub fn energy_unit(pj: f64) -> (&'static str, f64) {
    const UNITS: [(&str, f64); 5] = [
        ("J", 1e12),
        ("mJ", 1e9),
        ("µJ", 1e6),
        ("nJ", 1e3),
        ("pJ", 1.0),
    ];
    let a = pj.abs();
    UNITS
        .iter()
        .copied()
        .find(|&(_, k)| a >= k)
        .unwrap_or(("pJ", 1.0))
}

/// An energy given in pJ, in the unit of [`energy_unit`] with [`sig`]'s 3 significant digits
/// and a range as "lo–hi": one spelling for a figure that several reports print (the
/// ResNet-50 frame on the FSD NPU is "6.91–11.1 mJ" everywhere).
///
/// # Examples
///
/// ```
/// use arithsim::cost::{Span, energy_text};
///
/// assert_eq!(energy_text(Span::range(6.914e9, 11.059e9)), "6.91–11.1 mJ");
/// assert_eq!(energy_text(Span::exact(0.482)), "0.482 pJ");
/// assert_eq!(energy_text(Span::exact(2600.0)), "2.6 nJ");
/// ```
#[must_use]
pub fn energy_text(pj: Span) -> String {
    let (unit, k) = energy_unit(pj.hi.abs().max(pj.lo.abs()));
    format!("{} {unit}", pj.map(|v| v / k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_three_significant_digits() {
        assert_eq!(sig(0.03), "0.03");
        assert_eq!(sig(0.3), "0.3");
        assert_eq!(sig(4.6), "4.6");
        assert_eq!(sig(15.333), "15.3");
        assert_eq!(sig(3495.0), "3495");
        assert_eq!(sig(27.97), "28");
        assert_eq!(sig(0.000_123_4), "0.000123");
        assert_eq!(sig(-2.5), "-2.5");
        assert_eq!(sig(4_089_184_090.0), "4089184090");
        assert_eq!(sig(408_918_409.0), "408918409");
        assert_eq!(sig(1e15), "1.00e15");
        assert_eq!(Span::range(2600.0, 1300.0).to_string(), "1300–2600");
    }

    #[test]
    fn range_arithmetic_keeps_ends() {
        let s = Span::range(1.0, 2.0) + Span::exact(1.0);
        assert_eq!(s, Span::range(2.0, 3.0));
        assert_eq!(s * 2.0, Span::range(4.0, 6.0));
        assert_eq!(
            Span::range(4.0, 6.0).ratio(Span::range(1.0, 2.0)),
            Span::range(2.0, 6.0)
        );
        assert_eq!(Span::range(1.0, 3.0).mid(), 2.0);
        let total: Span = [Span::exact(1.0), Span::range(1.0, 2.0)].into_iter().sum();
        assert_eq!(total, Span::range(2.0, 3.0));
    }
}
