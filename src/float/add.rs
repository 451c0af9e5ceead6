//! Addition and subtraction.

use super::env::FloatEnv;
use super::format::{FloatFormat, FormatCode, Specials};
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
    #[inline(always)]
    pub fn add(self, a: u64, b: u64, env: &FloatEnv) -> StatusAnd<u64> {
        self.add_signed(a, b, false, env)
    }

    /// `a − b`, rounded once under `env`.
    #[inline(always)]
    pub fn sub(self, a: u64, b: u64, env: &FloatEnv) -> StatusAnd<u64> {
        self.add_signed(a, b, true, env)
    }

    #[inline(always)]
    fn add_signed(self, a: u64, b: u64, negate_b: bool, env: &FloatEnv) -> StatusAnd<u64> {
        let a = a & self.mask();
        let b = b & self.mask();
        let ma = self.magnitude(a);
        let mb = self.magnitude(b);
        // Order by magnitude (the encoding is monotone in it): the larger decides whether a
        // special operand is present (NaN and infinity patterns lie above every finite one,
        // except FNUZ's NaN, which sits where −0 would be).
        let swap = ma < mb;
        let big = if swap { mb } else { ma };
        let small = if swap { ma } else { mb };
        if big > self.max_finite_bits() {
            return Self::add_special(self.code(), a, b, negate_b, env);
        }
        // FNUZ's NaN: one compare of the format on the way for every other format.
        if self.specials() == Specials::Fnuz && (a == self.sign_bit()) | (b == self.sign_bit()) {
            return Self::add_special(self.code(), a, b, negate_b, env);
        }
        if env.denormals_are_zero {
            return Self::add_daz(self.code(), a, b, negate_b, env);
        }
        // Signs as bit patterns: b's sign as it enters the sum, the sign of the larger
        // operand (the sign of a non-zero result) and whether magnitudes subtract.
        let b_in = b ^ self.sign_bits(negate_b);
        let sign_big = (if swap { b_in } else { a }) & self.sign_bit();
        let subtract = (a ^ b_in) & self.sign_bit() != 0;
        // Significands with the hidden bit, from the biased exponents: a subnormal (field 0)
        // has no hidden bit and the exponent of biased 1, so with e = max(field, 1),
        // magnitude − ((e − 1) << m) is the significand in both cases.
        let m = self.man_bits();
        let (eb, es) = ((big >> m).max(1), (small >> m).max(1));
        let sig_big = big - ((eb - 1) << m);
        let sig_small = small - ((es - 1) << m);
        // The larger significand's leading one goes to bit 62 (room for the carry), leaving
        // 62 − m ≥ 10 guard bits: the smaller operand loses bits to the sticky bit only when
        // it lies that far below, where a difference cancels at most one bit.
        let guard = 62 - m;
        // min(eb − es, 63) without a branch (random exponents exceed 63 apart half the time).
        let dd = eb - es;
        let over = ((63u64.wrapping_sub(dd) as i64) >> 63) as u64;
        let d = ((dd | over) & 63) as u32;
        let big_v = sig_big << guard;
        let full = sig_small << guard;
        // full < 2^63, so a shift by 63 already clears it and shifting back loses nothing
        // but the discarded bits: no branch on the distance.
        let small_v = full >> d;
        let sticky = small_v << d != full;
        // The unbiased exponent of big_v's bit 0: (eb − bias − m) − guard.
        let e0 = eb as i32 - self.bias() - 62;
        // Subtraction with bits lost: the exact difference is one unit less plus a fraction.
        let t = small_v + (sticky & subtract) as u64;
        // big_v ± t without a branch on the signs (random signs mispredict half the time):
        // under `subtract`, t ^ !0 − !0 = −t.
        let neg_mask = 0u64.wrapping_sub(subtract as u64);
        let sum = big_v.wrapping_add((t ^ neg_mask).wrapping_sub(neg_mask));
        if sum == 0 {
            // Exact (bits are lost only when the operands lie ≥ 10 binades apart, where
            // nothing cancels): (±0) + (±0) keeps the common sign; otherwise (x − x, or
            // zeros of opposite signs) it is +0, or −0 toward −∞.
            let neg = if subtract {
                env.rounding == RoundingMode::TowardNegative
            } else {
                self.is_sign_negative(a)
            };
            return StatusAnd::exact(self.zero_bits(neg));
        }
        // The sum's leading one is at bit 63 (a carry), 62 or 61, or lower after
        // cancellation; normalizing it to bit 63 is one shift.
        let lz = sum.leading_zeros();
        self.round_pack_normalized(sign_big, sum << lz, e0 - lz as i32, sticky, env)
    }

    /// [`FloatFormat::add_signed`] under denormals-are-zero: subnormal operands become zeros
    /// of their sign, then the sum is taken as usual.
    #[cold]
    #[inline(never)]
    fn add_daz(code: FormatCode, a: u64, b: u64, negate_b: bool, env: &FloatEnv) -> StatusAnd<u64> {
        let this = code.format();
        let (a, b) = (this.daz(a, env), this.daz(b, env));
        let env = FloatEnv {
            denormals_are_zero: false,
            ..*env
        };
        this.add_signed(a, b, negate_b, &env)
    }

    #[cold]
    #[inline(never)]
    fn add_special(
        code: FormatCode,
        a: u64,
        b: u64,
        negate_b: bool,
        env: &FloatEnv,
    ) -> StatusAnd<u64> {
        let this = code.format();
        if this.is_nan(a) || this.is_nan(b) {
            return this.propagate_nan(&[a, b], env);
        }
        let sb = this.is_sign_negative(b) ^ negate_b;
        match (this.is_infinite(a), this.is_infinite(b)) {
            (true, true) if this.is_sign_negative(a) != sb => this.invalid(env),
            (true, _) => StatusAnd::exact(a),
            _ => StatusAnd::exact(if sb {
                b | this.sign_bit()
            } else {
                b & !this.sign_bit()
            }),
        }
    }
}
