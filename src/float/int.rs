//! Conversions to and from integers.

use super::env::FloatEnv;
use super::format::FloatFormat;
use super::status::StatusAnd;
use crate::repr::Signedness;
use crate::round::{Flags, round_shift};
use crate::{Error, Result};

impl FloatFormat {
    /// Converts `a` to an integer of `bits` bits (1..=64), signed or not, rounding under
    /// `env` (IEEE `convertToIntegerExact`: inexact is raised when the value changes).
    ///
    /// Out of range (after rounding) or NaN: [`Flags::INVALID`] and, like Rust's `as`, the
    /// result saturates to the type's minimum or maximum, and NaN gives 0.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidWidth`] when `bits` is outside 1..=64.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatEnv, FloatFormat};
    /// use arithsim::round::Flags;
    /// use arithsim::Signedness;
    /// let f = FloatFormat::FP32;
    /// let env = FloatEnv::default();
    /// let r = f.to_int((-2.5f32).to_bits() as u64, 8, Signedness::Signed, &env)?;
    /// assert_eq!((r.value, r.flags), (-2, Flags::INEXACT));
    /// let r = f.to_int(300f32.to_bits() as u64, 8, Signedness::Unsigned, &env)?;
    /// assert_eq!((r.value, r.flags), (255, Flags::INVALID));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn to_int(
        self,
        a: u64,
        bits: u32,
        signedness: Signedness,
        env: &FloatEnv,
    ) -> Result<StatusAnd<i128>> {
        Error::check_width("integer", bits, 1, 64)?;
        let (min, max) = if signedness.is_signed() {
            (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
        } else {
            (0, (1i128 << bits) - 1)
        };
        Ok(self.to_int_range(a, min, max, env))
    }

    #[inline]
    fn to_int_range(self, a: u64, min: i128, max: i128, env: &FloatEnv) -> StatusAnd<i128> {
        let a = a & self.mask();
        if self.is_nan(a) {
            return StatusAnd::new(0, Flags::INVALID);
        }
        let negative = self.is_sign_negative(a);
        let saturated = StatusAnd::new(if negative { min } else { max }, Flags::INVALID);
        if self.is_infinite(a) {
            return saturated;
        }
        let (sig, e) = self.operand_parts(a, env);
        let (mag, flags) = if sig == 0 {
            (0u128, Flags::empty())
        } else if e >= 0 {
            if e >= 64 {
                return saturated;
            }
            ((sig as u128) << e, Flags::empty())
        } else {
            let r = round_shift(negative, sig as u128, (-e) as u32, false, env.rounding);
            (r.value, r.flags())
        };
        let v = if negative {
            -(mag as i128)
        } else {
            mag as i128
        };
        if v < min || v > max {
            return saturated;
        }
        StatusAnd::new(v, flags)
    }

    /// Converts `a` to `i64` (see [`FloatFormat::to_int`]).
    #[inline]
    pub fn to_i64(self, a: u64, env: &FloatEnv) -> StatusAnd<i64> {
        self.to_int_range(a, i64::MIN as i128, i64::MAX as i128, env)
            .map(|v| v as i64)
    }

    /// Converts `a` to `i32` (see [`FloatFormat::to_int`]).
    #[inline]
    pub fn to_i32(self, a: u64, env: &FloatEnv) -> StatusAnd<i32> {
        self.to_int_range(a, i32::MIN as i128, i32::MAX as i128, env)
            .map(|v| v as i32)
    }

    /// Converts `a` to `i16` (see [`FloatFormat::to_int`]).
    #[inline]
    pub fn to_i16(self, a: u64, env: &FloatEnv) -> StatusAnd<i16> {
        self.to_int_range(a, i16::MIN as i128, i16::MAX as i128, env)
            .map(|v| v as i16)
    }

    /// Converts `a` to `i8` (see [`FloatFormat::to_int`]).
    #[inline]
    pub fn to_i8(self, a: u64, env: &FloatEnv) -> StatusAnd<i8> {
        self.to_int_range(a, i8::MIN as i128, i8::MAX as i128, env)
            .map(|v| v as i8)
    }

    /// Converts `a` to `u64` (see [`FloatFormat::to_int`]).
    #[inline]
    pub fn to_u64(self, a: u64, env: &FloatEnv) -> StatusAnd<u64> {
        self.to_int_range(a, 0, u64::MAX as i128, env)
            .map(|v| v as u64)
    }

    /// Converts `a` to `u32` (see [`FloatFormat::to_int`]).
    #[inline]
    pub fn to_u32(self, a: u64, env: &FloatEnv) -> StatusAnd<u32> {
        self.to_int_range(a, 0, u32::MAX as i128, env)
            .map(|v| v as u32)
    }

    /// Converts `a` to `u16` (see [`FloatFormat::to_int`]).
    #[inline]
    pub fn to_u16(self, a: u64, env: &FloatEnv) -> StatusAnd<u16> {
        self.to_int_range(a, 0, u16::MAX as i128, env)
            .map(|v| v as u16)
    }

    /// Converts `a` to `u8` (see [`FloatFormat::to_int`]).
    #[inline]
    pub fn to_u8(self, a: u64, env: &FloatEnv) -> StatusAnd<u8> {
        self.to_int_range(a, 0, u8::MAX as i128, env)
            .map(|v| v as u8)
    }

    /// Converts a signed integer (any of i8..i64 widened) to this format, rounding under
    /// `env`.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatEnv, FloatFormat};
    /// let f = FloatFormat::FP32;
    /// let r = f.from_i64(16_777_217, &FloatEnv::default()); // 2^24 + 1: not representable
    /// assert_eq!(r.value, 16_777_216f32.to_bits() as u64);
    /// ```
    #[inline]
    pub fn from_i64(self, v: i64, env: &FloatEnv) -> StatusAnd<u64> {
        self.round_pack(v < 0, v.unsigned_abs() as u128, 0, false, env)
    }

    /// Converts an unsigned integer (any of u8..u64 widened) to this format, rounding under
    /// `env`.
    #[inline]
    pub fn from_u64(self, v: u64, env: &FloatEnv) -> StatusAnd<u64> {
        self.round_pack(false, v as u128, 0, false, env)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_width_out_of_range_is_an_error_with_message() {
        let env = FloatEnv::default();
        let e = FloatFormat::FP32
            .to_int(0, 0, Signedness::Signed, &env)
            .unwrap_err();
        assert_eq!(e.to_string(), "integer width 0 is out of range 1..=64");
        let e = FloatFormat::FP32
            .to_int(0, 65, Signedness::Unsigned, &env)
            .unwrap_err();
        assert_eq!(e.to_string(), "integer width 65 is out of range 1..=64");
        // In range: 3 bits unsigned saturates 9.0 to 7 with invalid.
        let nine = FloatFormat::FP32.from_i64(9, &env).value;
        let r = FloatFormat::FP32
            .to_int(nine, 3, Signedness::Unsigned, &env)
            .unwrap();
        assert_eq!((r.value, r.flags), (7, Flags::INVALID));
        let r = FloatFormat::FP32
            .to_int(nine, 5, Signedness::Signed, &env)
            .unwrap();
        assert_eq!((r.value, r.flags), (9, Flags::empty()));
    }
}
