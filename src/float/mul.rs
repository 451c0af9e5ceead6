//! Multiplication.

use super::env::FloatEnv;
use super::format::{FloatFormat, FormatCode};
use super::status::StatusAnd;

impl FloatFormat {
    /// `a × b`, rounded once under `env`: the exact product of the significands (at most
    /// 106 bits) goes to [`FloatFormat::round_pack`].
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatEnv, FloatFormat};
    /// use arithsim::round::Flags;
    /// let f = FloatFormat::FP8_E4M3;
    /// let env = FloatEnv::default();
    /// let x = f.from_f64(20.0, &env).value;
    /// // 400 lies halfway between 384 and 416 on E4M3's grid: ties to even gives 384.
    /// let r = f.mul(x, x, &env);
    /// assert_eq!(f.bits_to_f64(r.value), 384.0);
    /// assert_eq!(r.flags, Flags::INEXACT);
    /// ```
    #[inline(always)]
    pub fn mul(self, a: u64, b: u64, env: &FloatEnv) -> StatusAnd<u64> {
        let a = a & self.mask();
        let b = b & self.mask();
        let (ma, mb) = (self.magnitude(a), self.magnitude(b));
        if (self.precision() <= 32) & self.is_normal_magnitude(ma) & self.is_normal_magnitude(mb) {
            // Both normal, product within u64 (FP32, TF32, FP16, BF16, FP8...): each
            // significand's leading one goes to bit 31 by a shift that depends on the
            // format only, so the product's leading one is at bit 63 or 62 and normalizing
            // it takes one bit test, no leading-zero count.
            let sign = (a ^ b) & self.sign_bit();
            let m = self.man_bits();
            let s = 31 - m;
            let hidden = self.man_mask() + 1;
            let siga = (self.man_field(a) | hidden) << s;
            let sigb = (self.man_field(b) | hidden) << s;
            let prod = siga * sigb;
            let lz = (prod >> 63) as u32 ^ 1;
            // value = prod × 2^((ea − bias − m − s) + (eb − bias − m − s))
            let scale = 2 * (self.bias() + 31);
            let exponent = ((ma >> m) + (mb >> m)) as i32 - scale - lz as i32;
            return self.round_pack_normalized(sign, prod << lz, exponent, false, env);
        }
        Self::mul_general(self.code(), a, b, env)
    }

    /// [`FloatFormat::mul`] with a special, zero or subnormal operand, or a precision
    /// above 32 bits.
    #[inline(never)]
    fn mul_general(code: FormatCode, a: u64, b: u64, env: &FloatEnv) -> StatusAnd<u64> {
        let this = code.format();
        if this.any_nan_or_infinity([a, b]) {
            return this.mul_special(a, b, env);
        }
        let negative = this.is_sign_negative(a ^ b);
        let (siga, ea) = this.operand_parts(a, env);
        let (sigb, eb) = this.operand_parts(b, env);
        if siga == 0 || sigb == 0 {
            return StatusAnd::exact(this.zero_bits(negative));
        }
        if this.precision() <= 31 {
            // The product has at most 62 bits: stay in u64.
            return this.round_pack_u64(negative, siga * sigb, ea + eb, false, env);
        }
        this.round_pack(negative, siga as u128 * sigb as u128, ea + eb, false, env)
    }

    /// Significand and exponent of a finite operand, with denormals-are-zero applied.
    #[inline]
    pub(crate) fn operand_parts(self, bits: u64, env: &FloatEnv) -> (u64, i32) {
        let (sig, e) = self.finite_parts(bits);
        // A subnormal is the significand without its hidden bit.
        if env.denormals_are_zero && sig <= self.man_mask() {
            (0, e)
        } else {
            (sig, e)
        }
    }

    /// `bits` is zero, or a subnormal read as zero under denormals-are-zero.
    #[inline]
    pub(crate) fn is_zero_operand(self, bits: u64, env: &FloatEnv) -> bool {
        self.is_finite(bits) && self.operand_parts(bits, env).0 == 0
    }

    #[cold]
    #[inline(never)]
    fn mul_special(self, a: u64, b: u64, env: &FloatEnv) -> StatusAnd<u64> {
        if self.is_nan(a) || self.is_nan(b) {
            return self.propagate_nan(&[a, b], env);
        }
        // At least one infinity.
        if self.is_zero_operand(a, env) || self.is_zero_operand(b, env) {
            return self.invalid(env);
        }
        let negative = self.is_sign_negative(a) ^ self.is_sign_negative(b);
        StatusAnd::exact(self.infinity_or_substitute(negative, env))
    }
}
