//! The truncated remainder `fmod` (C `fmod`, Rust's `%` on floats): always exact.

use super::env::FloatEnv;
use super::format::FloatFormat;
use super::status::StatusAnd;

impl FloatFormat {
    /// `a − trunc(a / b) · b`, the remainder with the sign of `a` (C `fmod`, Rust's `%` for
    /// `f32`/`f64`; not the IEEE `remainder`, which rounds the quotient to nearest).
    ///
    /// The result is always exactly representable, so only invalid can be raised: for an
    /// infinite `a` or a zero `b` (the default NaN), or a signalling NaN operand.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatEnv, FloatFormat};
    ///
    /// let f = FloatFormat::FP32;
    /// let (a, b) = (-7.5f32, 2.0f32);
    /// let r = f.fmod(a.to_bits() as u64, b.to_bits() as u64, &FloatEnv::default());
    /// assert_eq!(f32::from_bits(r.value as u32), a % b); // -1.5
    /// assert!(r.flags.is_empty());
    /// ```
    pub fn fmod(self, a: u64, b: u64, env: &FloatEnv) -> StatusAnd<u64> {
        let (a, b) = (a & self.mask(), b & self.mask());
        if self.is_nan(a) || self.is_nan(b) {
            return self.propagate_nan(&[a, b], env);
        }
        let daz = |x: u64| env.denormals_are_zero && self.is_subnormal(x);
        let a_zero = self.is_zero(a) || daz(a);
        if self.is_infinite(a) || self.is_zero(b) || daz(b) {
            return self.invalid(env);
        }
        if a_zero {
            return StatusAnd::exact(self.zero_bits(self.is_sign_negative(a)));
        }
        if self.is_infinite(b) {
            return StatusAnd::exact(a);
        }
        let (ma, ea) = self.finite_parts(a);
        let (mb, eb) = self.finite_parts(b);
        // With ea < eb, b is normal (subnormals share the lowest exponent) and |a| < |b|.
        if ea < eb {
            return StatusAnd::exact(a);
        }
        // (ma · 2^(ea−eb)) mod mb, 64 bits of the shift at a time.
        let mb = mb as u128;
        let mut r = ma as u128 % mb;
        let mut d = (ea - eb) as u32;
        while d > 0 && r != 0 {
            let k = d.min(64);
            r = (r << k) % mb;
            d -= k;
        }
        self.round_pack(self.is_sign_negative(a), r, eb, false, env)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fmod_matches_native_f32_on_all_pairs_of_a_sample() {
        let mut vals: Vec<f32> = vec![0.0, -0.0, 1.0, -1.0, 1.5, 7.0, 1e-45, 3e-39, 1.1754944e-38];
        vals.extend([
            3.4028235e38,
            -2.5e10,
            0.1,
            1e30,
            f32::INFINITY,
            f32::NEG_INFINITY,
        ]);
        vals.extend([6.0, 0.75, 1e-40, 123456.79, -8.0e-30]);
        let f = FloatFormat::FP32;
        let env = FloatEnv::default();
        for &a in &vals {
            for &b in &vals {
                let want = std::hint::black_box(a) % std::hint::black_box(b);
                let got = f.fmod(a.to_bits() as u64, b.to_bits() as u64, &env);
                if want.is_nan() {
                    assert!(f.is_nan(got.value), "{a} % {b}");
                } else {
                    assert_eq!(got.value, want.to_bits() as u64, "{a} % {b}");
                    assert!(got.flags.is_empty());
                }
            }
        }
    }
}
