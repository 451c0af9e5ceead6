//! A bit pattern bundled with its format, for code that mixes formats at run time.

use std::fmt;

use super::env::FloatEnv;
use super::format::FloatFormat;
use super::status::StatusAnd;
use crate::{Error, Result};

/// A value of a runtime [`FloatFormat`]: the pattern and the format together, so that
/// operations can check that their operands agree.
///
/// # Examples
///
/// ```
/// use arithsim::float::{FloatEnv, FloatFormat, FloatValue};
/// let env = FloatEnv::default();
/// let a = FloatValue::new(FloatFormat::FP16, 0x3C00)?;
/// let b = FloatValue::new(FloatFormat::BF16, 0x3F80)?;
/// assert_eq!(a.add(&a, &env)?.value.bits(), 0x4000);
/// assert_eq!(a.add(&b, &env).unwrap_err().to_string(), "format mismatch: FP16 vs BF16");
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct FloatValue {
    format: FloatFormat,
    bits: u64,
}

impl FloatValue {
    /// Pairs `bits` with `format`.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] when `bits` has bits set above the format's width.
    pub fn new(format: FloatFormat, bits: u64) -> Result<FloatValue> {
        if bits & !format.mask() != 0 {
            return Err(Error::OutOfRange {
                value: format!("{bits:#x}"),
                min: "0x0".into(),
                max: format!("{:#x}", format.mask()),
                what: format!("a {format} bit pattern"),
            });
        }
        Ok(FloatValue { format, bits })
    }

    /// The format.
    #[inline]
    pub fn format(&self) -> FloatFormat {
        self.format
    }

    /// The bit pattern.
    #[inline]
    pub fn bits(&self) -> u64 {
        self.bits
    }

    /// The value as an `f64` (rounded to nearest if it does not fit).
    pub fn to_f64(&self) -> f64 {
        self.format.bits_to_f64(self.bits)
    }

    fn same(&self, other: &FloatValue) -> Result<FloatFormat> {
        if self.format == other.format {
            Ok(self.format)
        } else {
            Err(Error::FormatMismatch {
                left: self.format.to_string(),
                right: other.format.to_string(),
            })
        }
    }

    fn wrap(&self, r: StatusAnd<u64>) -> StatusAnd<FloatValue> {
        let format = self.format;
        r.map(|bits| FloatValue { format, bits })
    }

    /// `self + other`.
    ///
    /// # Errors
    ///
    /// [`Error::FormatMismatch`] when the formats differ (as for every binary operation here).
    pub fn add(&self, other: &FloatValue, env: &FloatEnv) -> Result<StatusAnd<FloatValue>> {
        let f = self.same(other)?;
        Ok(self.wrap(f.add(self.bits, other.bits, env)))
    }

    /// `self − other`.
    ///
    /// # Errors
    ///
    /// [`Error::FormatMismatch`] when the formats differ.
    pub fn sub(&self, other: &FloatValue, env: &FloatEnv) -> Result<StatusAnd<FloatValue>> {
        let f = self.same(other)?;
        Ok(self.wrap(f.sub(self.bits, other.bits, env)))
    }

    /// `self × other`.
    ///
    /// # Errors
    ///
    /// [`Error::FormatMismatch`] when the formats differ.
    pub fn mul(&self, other: &FloatValue, env: &FloatEnv) -> Result<StatusAnd<FloatValue>> {
        let f = self.same(other)?;
        Ok(self.wrap(f.mul(self.bits, other.bits, env)))
    }

    /// `self ÷ other`.
    ///
    /// # Errors
    ///
    /// [`Error::FormatMismatch`] when the formats differ.
    pub fn div(&self, other: &FloatValue, env: &FloatEnv) -> Result<StatusAnd<FloatValue>> {
        let f = self.same(other)?;
        Ok(self.wrap(f.div(self.bits, other.bits, env)))
    }

    /// `self × b + c` with one rounding.
    ///
    /// # Errors
    ///
    /// [`Error::FormatMismatch`] when the three formats are not all the same.
    pub fn fma(
        &self,
        b: &FloatValue,
        c: &FloatValue,
        env: &FloatEnv,
    ) -> Result<StatusAnd<FloatValue>> {
        let f = self.same(b)?;
        self.same(c)?;
        Ok(self.wrap(f.fma(self.bits, b.bits, c.bits, env)))
    }

    /// Converts to another format.
    pub fn convert(&self, to: FloatFormat, env: &FloatEnv) -> StatusAnd<FloatValue> {
        self.format
            .convert(self.bits, to, env)
            .map(|bits| FloatValue { format: to, bits })
    }
}

impl fmt::Debug for FloatValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "FloatValue({}, {:#x} = {})",
            self.format,
            self.bits,
            self.to_f64()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mismatch_and_range_errors_have_clear_messages() {
        let env = FloatEnv::default();
        let a = FloatValue::new(FloatFormat::FP8_E4M3, 0x38).unwrap();
        let b = FloatValue::new(FloatFormat::FP8_E5M2, 0x3C).unwrap();
        let e = a.mul(&b, &env).unwrap_err();
        assert_eq!(e.to_string(), "format mismatch: FP8 E4M3 vs FP8 E5M2");
        let e = a.fma(&a, &b, &env).unwrap_err();
        assert_eq!(e.to_string(), "format mismatch: FP8 E4M3 vs FP8 E5M2");
        let e = FloatValue::new(FloatFormat::FP4_E2M1, 0x10).unwrap_err();
        assert_eq!(
            e.to_string(),
            "value 0x10 is out of range 0x0..=0xf for a FP4 E2M1 bit pattern"
        );
        assert_eq!(a.mul(&a, &env).unwrap().value.to_f64(), 1.0);
        assert_eq!(a.convert(FloatFormat::FP32, &env).value.to_f64(), 1.0);
    }
}
