//! A 64-bit integer against its nearest float: the course's point that an exponent buys
//! range, not precision. i64::MAX = 9,223,372,036,854,775,807 is far inside FP32's range, yet
//! FP32 (24 significant bits) and even FP64 (53) hold only 2^63 near it.

use std::fmt;

use super::scientific::normalize_scientific;
use super::{FloatEnv, FloatFormat};
use crate::repr::{WideInt, with_thousands};
use crate::round::{Flags, RoundingMode};

/// An integer rounded to a float format (see [`FloatFormat::nearest_to_i64`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntAsFloat {
    /// The integer.
    pub value: i64,
    /// The format.
    pub format: FloatFormat,
    /// The nearest float's bits (ties to even).
    pub bits: u64,
    /// The flags of the conversion (inexact, or overflow for a narrow format).
    pub flags: Flags,
    /// The float's value, exactly, when finite (a float near an integer is an integer).
    pub float_value: Option<i128>,
    /// `k` in `2^k`: the gap between the float and its upward neighbour, when finite.
    pub spacing_power: Option<i32>,
}

impl IntAsFloat {
    /// `float − value`, when the float is finite (`+1` for i64::MAX in FP32 and FP64).
    pub fn error(&self) -> Option<i128> {
        self.float_value.map(|f| f - self.value as i128)
    }

    /// The float's value to 3 significant digits (`"9.22 × 10^18"`), rounded to nearest
    /// through [`crate::round::round`].
    pub fn approximately(&self) -> Option<String> {
        let v = self.float_value?;
        let n = normalize_scientific(&v.to_string(), 0).ok()?;
        Some(
            n.result
                .round_to(3, RoundingMode::NearestEven)
                .ok()?
                .result
                .to_string(),
        )
    }
}

impl FloatFormat {
    /// The nearest value of this format to `value` (round to nearest, ties to even), with
    /// the exact error and the spacing of the format there.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::FloatFormat;
    ///
    /// let f = FloatFormat::FP32.nearest_to_i64(i64::MAX);
    /// assert_eq!(f.float_value, Some(1 << 63)); // 9,223,372,036,854,775,808
    /// assert_eq!(f.error(), Some(1));
    /// assert_eq!(f.spacing_power, Some(40)); // neighbours 2^40 apart: 24 bits of precision
    /// assert_eq!(FloatFormat::FP64.nearest_to_i64(i64::MAX).spacing_power, Some(11));
    /// assert_eq!(f.approximately().as_deref(), Some("9.22 × 10^18"));
    /// ```
    pub fn nearest_to_i64(self, value: i64) -> IntAsFloat {
        let r = self.from_i64(value, &FloatEnv::default());
        let finite = self.is_finite(r.value);
        let float_value = if finite {
            self.exact_decimal(r.value).parse::<i128>().ok()
        } else {
            None
        };
        let biased = ((r.value >> self.man_bits()) & self.exp_field_max()) as i32;
        let spacing_power = finite.then(|| biased.max(1) - self.bias() - self.man_bits() as i32);
        IntAsFloat {
            value,
            format: self,
            bits: r.value,
            flags: r.flags,
            float_value,
            spacing_power,
        }
    }
}

impl fmt::Display for IntAsFloat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = with_thousands(WideInt::from(self.value));
        let (Some(fv), Some(k)) = (self.float_value, self.spacing_power) else {
            return write!(f, "{v} does not fit {}: it rounds to infinity", self.format);
        };
        let approx = self.approximately().unwrap_or_default();
        write!(
            f,
            "{v} → nearest {}-bit float {} ≈ {approx}",
            self.format.width(),
            with_thousands(WideInt::from(fv)),
        )?;
        match self.error() {
            Some(0) => write!(f, " (exact)")?,
            Some(e) => write!(f, " (off by {e}: not exact)")?,
            None => {}
        }
        let gap = if (0..127).contains(&k) {
            with_thousands(WideInt::from(1u128 << k))
        } else {
            format!("2^{k}")
        };
        write!(
            f,
            "; neighbours there are 2^{k} = {gap} apart ({} significant bits)",
            self.format.precision()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn against_native_casts() {
        for v in [
            i64::MAX,
            i64::MIN,
            0,
            1,
            -3,
            16_777_217,
            (1 << 53) + 1,
            123_456_789,
        ] {
            let f32v = FloatFormat::FP32.nearest_to_i64(v);
            assert_eq!(f32v.bits, (v as f32).to_bits() as u64, "{v}");
            assert_eq!(f32v.float_value, Some(v as f32 as i128));
            let f64v = FloatFormat::FP64.nearest_to_i64(v);
            assert_eq!(f64v.float_value, Some(v as f64 as i128));
            // The spacing from native next-up arithmetic (positive values, normal range).
            if v > 0 {
                let x = v as f64;
                let up = f64::from_bits(x.to_bits() + 1);
                assert_eq!(2f64.powi(f64v.spacing_power.unwrap()), up - x);
            }
        }
        let h = FloatFormat::FP16.nearest_to_i64(i64::MAX);
        assert_eq!((h.float_value, h.error()), (None, None));
        assert!(h.to_string().contains("rounds to infinity"), "{h}");
    }
}
