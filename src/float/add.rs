//! Addition and subtraction.

use super::env::FloatEnv;
use super::format::FloatFormat;
use super::status::StatusAnd;
use crate::round::RoundingMode;

/// Guard bits kept below the larger operand's significand while aligning: enough that the
/// smaller operand only loses bits (to the sticky bit) when it is far below the result's
/// last place.
const GUARD: u32 = 64;

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

    #[inline]
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
        if siga == 0 && sigb == 0 {
            // (±0) + (±0): the common sign, else +0 (−0 toward −∞).
            let neg = if sa == sb {
                sa
            } else {
                env.rounding == RoundingMode::TowardNegative
            };
            return StatusAnd::exact(self.zero_bits(neg));
        }
        // Order by magnitude (the encoding is monotone in it), then align the smaller.
        let (sig_big, e_big, s_big, sig_small, e_small) =
            if self.magnitude(a) >= self.magnitude(b) && siga != 0 || sigb == 0 {
                (siga, ea, sa, sigb, eb)
            } else {
                (sigb, eb, sb, siga, ea)
            };
        let d = (e_big - e_small) as u32;
        let big = (sig_big as u128) << GUARD;
        let full = (sig_small as u128) << GUARD;
        let (small, sticky) = if d >= 128 {
            (0, full != 0)
        } else {
            (full >> d, full & ((1u128 << d) - 1) != 0)
        };
        if sa == sb {
            self.round_pack(s_big, big + small, e_big - GUARD as i32, sticky, env)
        } else {
            // With bits lost, the exact difference is one unit less plus a fraction.
            let diff = big - small - sticky as u128;
            if diff == 0 && !sticky {
                let neg = env.rounding == RoundingMode::TowardNegative;
                return StatusAnd::exact(self.zero_bits(neg));
            }
            self.round_pack(s_big, diff, e_big - GUARD as i32, sticky, env)
        }
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
