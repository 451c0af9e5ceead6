//! Sign operations (pure bit operations) and next up/down.

use super::env::FloatEnv;
use super::format::{FloatFormat, Specials};
use super::status::StatusAnd;

impl FloatFormat {
    /// Negation: flips the sign bit. In FNUZ formats 0 and the NaN (0x80) are their own
    /// negation, since the other pattern would be the other one.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::FloatFormat;
    /// assert_eq!(FloatFormat::FP16.neg(0x3C00), 0xBC00);
    /// assert_eq!(FloatFormat::FP8_E4M3FNUZ.neg(0x00), 0x00);
    /// ```
    #[inline]
    pub const fn neg(self, a: u64) -> u64 {
        let a = a & self.mask();
        if self.fnuz_fixed(a) {
            a
        } else {
            a ^ self.sign_bit()
        }
    }

    /// Absolute value: clears the sign bit (FNUZ's NaN stays NaN).
    #[inline]
    pub const fn abs(self, a: u64) -> u64 {
        let a = a & self.mask();
        if self.fnuz_fixed(a) {
            a
        } else {
            a & !self.sign_bit()
        }
    }

    /// `a` with the sign bit of `b` (FNUZ's 0 and NaN are unchanged).
    #[inline]
    pub const fn copysign(self, a: u64, b: u64) -> u64 {
        let a = a & self.mask();
        if self.fnuz_fixed(a) {
            a
        } else {
            (a & !self.sign_bit()) | (b & self.sign_bit())
        }
    }

    /// FNUZ patterns whose sign bit must not change: 0 and the NaN.
    #[inline]
    const fn fnuz_fixed(self, a: u64) -> bool {
        matches!(self.specials(), Specials::Fnuz) && self.magnitude(a) == 0
    }

    /// IEEE `nextUp`: the least value greater than `a`. ±0 → smallest subnormal; −smallest
    /// subnormal → −0 (+0 in FNUZ); the largest finite gives +∞, or itself in formats without
    /// infinity. NaN operands are propagated (signalling → invalid).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatEnv, FloatFormat};
    /// let f = FloatFormat::FP32;
    /// let env = FloatEnv::default();
    /// assert_eq!(f.next_up(0x8000_0000, &env).value, 1);
    /// assert_eq!(f.next_down(0, &env).value, 0x8000_0001);
    /// assert_eq!(f.next_up(0x7F7F_FFFF, &env).value, 0x7F80_0000);
    /// ```
    pub fn next_up(self, a: u64, env: &FloatEnv) -> StatusAnd<u64> {
        let a = a & self.mask();
        if self.is_nan(a) {
            return self.propagate_nan(&[a], env);
        }
        let mag = self.magnitude(a);
        let value = if mag == 0 {
            self.min_subnormal_bits()
        } else if self.is_sign_negative(a) {
            // Includes −∞ → −largest finite: the magnitude just below ∞'s pattern.
            if mag - 1 == 0 {
                self.zero_bits(true)
            } else {
                self.sign_bit() | (mag - 1)
            }
        } else if self.is_infinite(a)
            || mag == self.max_finite_bits() && !self.specials().has_infinity()
        {
            a
        } else {
            a + 1
        };
        StatusAnd::exact(value)
    }

    /// IEEE `nextDown`: the greatest value less than `a` (`−nextUp(−a)`).
    pub fn next_down(self, a: u64, env: &FloatEnv) -> StatusAnd<u64> {
        let a = a & self.mask();
        if self.is_nan(a) {
            return self.propagate_nan(&[a], env);
        }
        self.next_up(self.neg(a), env).map(|v| self.neg(v))
    }
}
