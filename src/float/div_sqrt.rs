//! Division and square root.

use super::env::FloatEnv;
use super::format::{FloatFormat, FormatCode};
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
    #[inline(always)]
    pub fn div(self, a: u64, b: u64, env: &FloatEnv) -> StatusAnd<u64> {
        let a = a & self.mask();
        let b = b & self.mask();
        let (ma, mb) = (self.magnitude(a), self.magnitude(b));
        if (self.precision() <= 31) & self.is_normal_magnitude(ma) & self.is_normal_magnitude(mb) {
            // Both normal (leading ones at bit m), numerator within u64: the quotient of
            // siga << (p + 2) by sigb lies in (2^(p+1), 2^(p+3)), its leading one at bit
            // p + 1 or p + 2, so one bit test normalizes it.
            let m = self.man_bits();
            let hidden = self.man_mask() + 1;
            let s = m + 3;
            let num = (self.man_field(a) | hidden) << s;
            let den = self.man_field(b) | hidden;
            let (q, r) = (num / den, num % den);
            let lz = 61 - m - (q >> (m + 3)) as u32;
            // value = q × 2^((ea − bias − m) − s − (eb − bias − m))
            let exponent = (ma >> m) as i32 - (mb >> m) as i32 - s as i32 - lz as i32;
            let sign = (a ^ b) & self.sign_bit();
            return self.round_pack_normalized(sign, q << lz, exponent, r != 0, env);
        }
        Self::div_general(self.code(), a, b, env)
    }

    /// [`FloatFormat::div`] with a special, zero or subnormal operand, or a precision above
    /// 31 bits.
    #[inline(never)]
    fn div_general(code: FormatCode, a: u64, b: u64, env: &FloatEnv) -> StatusAnd<u64> {
        let this = code.format();
        if this.is_nan_or_infinity(a) || this.is_nan_or_infinity(b) {
            return this.div_special(a, b, env);
        }
        let negative = this.is_sign_negative(a) ^ this.is_sign_negative(b);
        let (siga, ea) = this.operand_parts(a, env);
        let (sigb, eb) = this.operand_parts(b, env);
        if sigb == 0 {
            if siga == 0 {
                return this.invalid(env);
            }
            return StatusAnd::new(
                this.infinity_or_substitute(negative, env),
                Flags::DIV_BY_ZERO,
            );
        }
        if siga == 0 {
            return StatusAnd::exact(this.zero_bits(negative));
        }
        let len_a = 64 - siga.leading_zeros() as i32;
        let len_b = 64 - sigb.leading_zeros() as i32;
        // The quotient gets at least precision + 2 bits.
        let s = len_b + this.precision() as i32 + 2 - len_a;
        if len_b + this.precision() as i32 + 2 <= 64 {
            // The numerator fits a u64 (precision ≤ 31): one hardware division.
            let num = siga << s;
            let (q, r) = (num / sigb, num % sigb);
            return this.round_pack_u64(negative, q, ea - s - eb, r != 0, env);
        }
        let num = (siga as u128) << s;
        let den = sigb as u128;
        let (q, r) = (num / den, num % den);
        this.round_pack(negative, q, ea - s - eb, r != 0, env)
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
    #[inline(always)]
    pub fn sqrt(self, a: u64, env: &FloatEnv) -> StatusAnd<u64> {
        let a = a & self.mask();
        if (self.precision() <= 29) & self.is_normal_magnitude(a) {
            // Positive normal, radicand within u64: sig << s with s = p + 4 (+ 1 to make the
            // exponent even) has 2p + 4 (2p + 5) bits, so the integer root's leading one is
            // at bit p + 1 (p + 2).
            let m = self.man_bits() as i32;
            let (sig, e) = self.finite_parts(a);
            let odd = (e - (m + 5)) & 1;
            let s = m + 5 + odd;
            let n = sig << s;
            let root = super::isqrt::isqrt(n);
            let rem = n - root * root;
            let lz = 61 - m - odd;
            return self.round_pack_normalized(0, root << lz, (e - s) / 2 - lz, rem != 0, env);
        }
        Self::sqrt_general(self.code(), a, env)
    }

    /// [`FloatFormat::sqrt`] of a special, zero, negative or subnormal operand, or with a
    /// precision above 29 bits.
    #[inline(never)]
    fn sqrt_general(code: FormatCode, a: u64, env: &FloatEnv) -> StatusAnd<u64> {
        let this = code.format();
        let negative = this.is_sign_negative(a);
        if this.is_nan(a) {
            return this.propagate_nan(&[a], env);
        }
        if this.is_zero_operand(a, env) {
            return StatusAnd::exact(this.zero_bits(negative));
        }
        if negative {
            return this.invalid(env);
        }
        if this.is_infinite(a) {
            return StatusAnd::exact(a);
        }
        let (sig, e) = this.finite_parts(a);
        let len = 64 - sig.leading_zeros() as i32;
        let mut s = 2 * this.precision() as i32 + 4 - len;
        if (e - s) & 1 != 0 {
            s += 1;
        }
        if s + len <= 64 {
            // Fits a u64 (precision ≤ 30).
            let n = sig << s;
            let root = super::isqrt::isqrt(n);
            let rem = n - root * root;
            return this.round_pack_u64(false, root, (e - s) / 2, rem != 0, env);
        }
        let n = (sig as u128) << s;
        let root = n.isqrt();
        let rem = n - root * root;
        this.round_pack(false, root, (e - s) / 2, rem != 0, env)
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
