//! Addition and subtraction.

use super::env::FloatEnv;
use super::format::FloatFormat;
use super::status::StatusAnd;
use crate::round::RoundingMode;

impl FloatFormat {
    /// `a + b`, rounded once under `env`.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatEnv, FloatFormat};
    /// use arithsim::round::RoundingMode;
    ///
    /// let f = FloatFormat::FP32;
    /// let one = 1f32.to_bits() as u64;
    /// let tiny = f32::EPSILON.to_bits() as u64 / 4 * 3; // not exactly representable step
    /// let r = f.add(one, one, &FloatEnv::default());
    /// assert_eq!(r.value, 2f32.to_bits() as u64);
    /// // x + (−x) is −0 only when rounding toward −∞.
    /// let down = FloatEnv::new(RoundingMode::TowardNegative);
    /// assert_eq!(f.sub(one, one, &down).value, 0x8000_0000);
    /// # let _ = tiny;
    /// ```
    #[inline]
    pub fn add(self, a: u64, b: u64, env: &FloatEnv) -> StatusAnd<u64> {
        self.add_signed(a, b, false, env)
    }

    /// `a − b`, rounded once under `env`.
    #[inline]
    pub fn sub(self, a: u64, b: u64, env: &FloatEnv) -> StatusAnd<u64> {
        self.add_signed(a, b, true, env)
    }

    #[inline(always)]
    fn add_signed(self, a: u64, b: u64, negate_b: bool, env: &FloatEnv) -> StatusAnd<u64> {
        let a = a & self.mask();
        let b = b & self.mask();
        if self.is_nan_or_infinity(a) || self.is_nan_or_infinity(b) {
            return self.add_special(a, b, negate_b, env);
        }
        let sa = self.is_sign_negative(a);
        let sb = self.is_sign_negative(b) ^ negate_b;
        let (mut siga, ea) = self.finite_parts(a);
        let (mut sigb, eb) = self.finite_parts(b);
        if env.denormals_are_zero {
            if self.exp_field(a) == 0 {
                siga = 0;
            }
            if self.exp_field(b) == 0 {
                sigb = 0;
            }
        }
        // Order by magnitude (the encoding is monotone in it), then align the smaller.
        // (Under denormals-are-zero a flushed operand is a subnormal, so it still orders
        // below any normal one, and two zeros were handled above.)
        let swap = self.magnitude(a) < self.magnitude(b);
        let sig_big = if swap { sigb } else { siga };
        let sig_small = if swap { siga } else { sigb };
        let e_big = if swap { eb } else { ea };
        let e_small = if swap { ea } else { eb };
        let s_big = if swap { sb } else { sa };
        // The larger significand's top bit goes to bit 61 (room for the carry), leaving
        // 61 − m ≥ 9 guard bits: the smaller operand loses bits to the sticky bit only when
        // it lies that far below, where a difference cancels at most one bit.
        let guard = 61 - self.man_bits();
        let d = ((e_big - e_small) as u32).min(63);
        let big = sig_big << guard;
        let full = sig_small << guard;
        // full < 2^62, so a shift by 63 already clears it: no branch on the distance.
        let small = full >> d;
        let sticky = full & ((1u64 << d) - 1) != 0;
        let e0 = e_big - guard as i32;
        // Subtraction with bits lost: the exact difference is one unit less plus a fraction.
        let subtract = sa != sb;
        let t = small + (sticky & subtract) as u64;
        let sum = if subtract { big - t } else { big + t };
        if sum == 0 && !sticky {
            // A zero sum is exact: (±0) + (±0) keeps the common sign; otherwise (x − x, or
            // zeros of opposite signs) it is +0, or −0 toward −∞.
            let neg = if subtract {
                env.rounding == RoundingMode::TowardNegative
            } else {
                sa
            };
            return StatusAnd::exact(self.zero_bits(neg));
        }
        self.round_pack_u64(s_big, sum, e0, sticky, env)
    }

    #[cold]
    #[inline(never)]
    fn add_special(self, a: u64, b: u64, negate_b: bool, env: &FloatEnv) -> StatusAnd<u64> {
        if self.is_nan(a) || self.is_nan(b) {
            return self.propagate_nan(&[a, b], env);
        }
        let sb = self.is_sign_negative(b) ^ negate_b;
        match (self.is_infinite(a), self.is_infinite(b)) {
            (true, true) if self.is_sign_negative(a) != sb => self.invalid(env),
            (true, _) => StatusAnd::exact(a),
            _ => StatusAnd::exact(if sb {
                b | self.sign_bit()
            } else {
                b & !self.sign_bit()
            }),
        }
    }
}
