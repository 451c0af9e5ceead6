//! Division and square root.

use super::env::FloatEnv;
use super::format::FloatFormat;
use super::status::StatusAnd;
use crate::round::Flags;

impl FloatFormat {
    /// `a ÷ b`, rounded once under `env`: an integer division of the significands carried
    /// to two bits beyond the precision, the remainder giving the sticky bit.
    ///
    /// A finite non-zero value divided by zero raises div-by-zero and gives ±∞ (or what
    /// stands for it without infinities: NaN or ±largest by the overflow policy).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatEnv, FloatFormat};
    /// use arithsim::round::Flags;
    /// let f = FloatFormat::FP32;
    /// let env = FloatEnv::default();
    /// let r = f.div(1f32.to_bits() as u64, 3f32.to_bits() as u64, &env);
    /// assert_eq!(r.value, (1.0f32 / 3.0).to_bits() as u64);
    /// let r = f.div(1f32.to_bits() as u64, 0, &env);
    /// assert_eq!((r.value, r.flags), (0x7F80_0000, Flags::DIV_BY_ZERO));
    /// ```
    #[inline]
    pub fn div(self, a: u64, b: u64, env: &FloatEnv) -> StatusAnd<u64> {
        let a = a & self.mask();
        let b = b & self.mask();
        if self.is_nan_or_infinity(a) || self.is_nan_or_infinity(b) {
            return self.div_special(a, b, env);
        }
        let negative = self.is_sign_negative(a) ^ self.is_sign_negative(b);
        let (siga, ea) = self.operand_parts(a, env);
        let (sigb, eb) = self.operand_parts(b, env);
        if sigb == 0 {
            if siga == 0 {
                return self.invalid(env);
            }
            return StatusAnd::new(
                self.infinity_or_substitute(negative, env),
                Flags::DIV_BY_ZERO,
            );
        }
        if siga == 0 {
            return StatusAnd::exact(self.zero_bits(negative));
        }
        let len_a = 64 - siga.leading_zeros() as i32;
        let len_b = 64 - sigb.leading_zeros() as i32;
        // The quotient gets at least precision + 2 bits.
        let s = len_b + self.precision() as i32 + 2 - len_a;
        let num = (siga as u128) << s;
        let den = sigb as u128;
        let (q, r) = (num / den, num % den);
        self.round_pack(negative, q, ea - s - eb, r != 0, env)
    }

    /// Square root, rounded once under `env`: an integer square root of the significand
    /// widened to 2 × precision + 4 bits with an even exponent, the remainder giving the
    /// sticky bit. sqrt(−0) is −0; any other negative operand is invalid.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatEnv, FloatFormat};
    /// let f = FloatFormat::FP64;
    /// let r = f.sqrt(2f64.to_bits(), &FloatEnv::default());
    /// assert_eq!(r.value, 2f64.sqrt().to_bits());
    /// ```
    #[inline]
    pub fn sqrt(self, a: u64, env: &FloatEnv) -> StatusAnd<u64> {
        let a = a & self.mask();
        let negative = self.is_sign_negative(a);
        if self.is_nan(a) {
            return self.propagate_nan(&[a], env);
        }
        if self.is_zero_operand(a, env) {
            return StatusAnd::exact(self.zero_bits(negative));
        }
        if negative {
            return self.invalid(env);
        }
        if self.is_infinite(a) {
            return StatusAnd::exact(a);
        }
        let (sig, e) = self.finite_parts(a);
        let len = 64 - sig.leading_zeros() as i32;
        let mut s = 2 * self.precision() as i32 + 4 - len;
        if (e - s) & 1 != 0 {
            s += 1;
        }
        let n = (sig as u128) << s;
        let root = n.isqrt();
        let rem = n - root * root;
        self.round_pack(false, root, (e - s) / 2, rem != 0, env)
    }

    #[cold]
    #[inline(never)]
    fn div_special(self, a: u64, b: u64, env: &FloatEnv) -> StatusAnd<u64> {
        if self.is_nan(a) || self.is_nan(b) {
            return self.propagate_nan(&[a, b], env);
        }
        let negative = self.is_sign_negative(a) ^ self.is_sign_negative(b);
        match (self.is_infinite(a), self.is_infinite(b)) {
            (true, true) => self.invalid(env),
            (true, false) => StatusAnd::exact(self.infinity_or_substitute(negative, env)),
            _ => StatusAnd::exact(self.zero_bits(negative)),
        }
    }
}
