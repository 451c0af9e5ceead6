//! IEEE remainder and rounding to an integral value.

use super::env::FloatEnv;
use super::format::FloatFormat;
use super::status::StatusAnd;
use crate::round::{Flags, round_shift};

impl FloatFormat {
    /// IEEE `remainder(a, b)`: `a − n·b` with `n` the integer nearest `a/b` (ties to even).
    /// Always exact; computed by modular reduction of the significands, 64 exponent steps at a
    /// time, so FP64's full exponent range costs at most 33 divisions.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatEnv, FloatFormat};
    /// let f = FloatFormat::FP32;
    /// let env = FloatEnv::default();
    /// let r = f.remainder(5f32.to_bits() as u64, 2f32.to_bits() as u64, &env);
    /// assert_eq!(f32::from_bits(r.value as u32), 1.0); // 5 - 2*2
    /// let r = f.remainder(7f32.to_bits() as u64, 2f32.to_bits() as u64, &env);
    /// assert_eq!(f32::from_bits(r.value as u32), -1.0); // 7 - 4*2 (3.5 ties to 4)
    /// ```
    pub fn remainder(self, a: u64, b: u64, env: &FloatEnv) -> StatusAnd<u64> {
        let a = a & self.mask();
        let b = b & self.mask();
        if self.is_nan(a) || self.is_nan(b) {
            return self.propagate_nan(&[a, b], env);
        }
        if self.is_infinite(a) || self.is_zero_operand(b, env) {
            return self.invalid(env);
        }
        let negative = self.is_sign_negative(a);
        if self.is_infinite(b) || self.is_zero_operand(a, env) {
            return self.round_pack(
                negative,
                self.operand_parts(a, env).0 as u128,
                self.finite_parts(a).1,
                false,
                env,
            );
        }
        let (sx, ex) = self.finite_parts(a);
        let (sy, ey) = self.finite_parts(b);
        // r = |a| mod |b| in units of 2^unit, q_odd = parity of the truncated quotient.
        let (r, y, unit, q_odd) = if ex >= ey {
            let y = sy as u128;
            let mut r = sx as u128 % y;
            let mut q_odd = (sx as u128 / y) & 1 == 1;
            let mut d = (ex - ey) as u32;
            while d > 0 {
                let k = d.min(64);
                let n = r << k;
                q_odd = (n / y) & 1 == 1;
                r = n % y;
                d -= k;
            }
            (r, y, ey, q_odd)
        } else {
            let d = (ey - ex) as u32;
            if d > 64 {
                // |a| < |b| / 2: the remainder is a itself.
                return self.round_pack(negative, sx as u128, ex, false, env);
            }
            let y = (sy as u128) << d;
            (sx as u128 % y, y, ex, (sx as u128 / y) & 1 == 1)
        };
        let (mag, neg) = if 2 * r > y || (2 * r == y && q_odd) {
            (y - r, !negative)
        } else {
            (r, negative)
        };
        if mag == 0 {
            return StatusAnd::exact(self.zero_bits(negative));
        }
        self.round_pack(neg, mag, unit, false, env)
    }

    /// IEEE `roundToIntegral` in the environment's rounding mode: the nearest integral value,
    /// no inexact flag (only a signalling NaN raises invalid).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatEnv, FloatFormat};
    /// use arithsim::round::RoundingMode;
    /// let f = FloatFormat::FP16;
    /// let env = FloatEnv::default();
    /// let x = f.from_f64(2.5, &env).value;
    /// assert_eq!(f.bits_to_f64(f.round_to_integral(x, &env).value), 2.0);
    /// let away = FloatEnv::new(RoundingMode::NearestAway);
    /// assert_eq!(f.bits_to_f64(f.round_to_integral(x, &away).value), 3.0);
    /// ```
    pub fn round_to_integral(self, a: u64, env: &FloatEnv) -> StatusAnd<u64> {
        let r = self.round_to_integral_exact(a, env);
        StatusAnd::new(r.value, r.flags.without(Flags::INEXACT))
    }

    /// IEEE `roundToIntegralExact`: as [`FloatFormat::round_to_integral`], raising inexact
    /// when the value changes.
    pub fn round_to_integral_exact(self, a: u64, env: &FloatEnv) -> StatusAnd<u64> {
        let a = a & self.mask();
        if self.is_nan(a) {
            return self.propagate_nan(&[a], env);
        }
        if self.is_infinite(a) {
            return StatusAnd::exact(a);
        }
        let negative = self.is_sign_negative(a);
        let (sig, e) = self.operand_parts(a, env);
        if sig == 0 {
            return StatusAnd::exact(self.zero_bits(negative));
        }
        if e >= 0 {
            return StatusAnd::exact(a);
        }
        let r = round_shift(negative, sig as u128, (-e) as u32, false, env.rounding);
        let packed = self.round_pack(negative, r.value, 0, false, env);
        StatusAnd::new(packed.value, packed.flags | r.flags())
    }
}
