//! Fused multiply-add with a single rounding.

use super::env::FloatEnv;
use super::format::{FloatFormat, FormatCode};
use super::status::StatusAnd;
use crate::round::{Flags, RoundingMode};

/// Bit position the larger of product and addend is aligned to in the 128-bit window,
/// leaving one bit for the carry of the sum.
const TOP: u32 = 125;

impl FloatFormat {
    /// `a × b + c` with one rounding (IEEE `fusedMultiplyAdd`).
    ///
    /// The exact product (≤ 106 bits) and the addend are aligned in a 128-bit window with
    /// the larger at bit 125; whatever falls off the smaller becomes the sticky bit, which
    /// only happens when the two are so far apart that no cancellation can expose it.
    ///
    /// NaNs: the first NaN of a, b, c (x86 policy); 0 × ∞ + NaN returns that NaN and raises
    /// invalid (IEEE leaves the flag to the implementation; x86 raises it).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatEnv, FloatFormat};
    /// let f = FloatFormat::FP32;
    /// let env = FloatEnv::default();
    /// let x = (1.0f32 + f32::EPSILON).to_bits() as u64;
    /// let m1 = (-1.0f32 - 2.0 * f32::EPSILON).to_bits() as u64;
    /// // x*x - (1 + 2 eps) = eps^2 exactly: the unfused product would round it away.
    /// let r = f.fma(x, x, m1, &env);
    /// assert_eq!(r.value, (f32::EPSILON * f32::EPSILON).to_bits() as u64);
    /// ```
    #[inline(always)]
    pub fn fma(self, a: u64, b: u64, c: u64, env: &FloatEnv) -> StatusAnd<u64> {
        let a = a & self.mask();
        let b = b & self.mask();
        let c = c & self.mask();
        let (ma, mb, mc) = (self.magnitude(a), self.magnitude(b), self.magnitude(c));
        if (self.precision() <= 29)
            & self.is_normal_magnitude(ma)
            & self.is_normal_magnitude(mb)
            & self.is_normal_magnitude(mc)
        {
            // All three normal, product within u64 (FP32, TF32, FP16, BF16, FP8...): each
            // significand has its leading one at bit m, the product at most 58 bits.
            let m = self.man_bits();
            let hidden = self.man_mask() + 1;
            let unbias = self.bias() + m as i32;
            let sig = |x: u64| self.man_field(x) | hidden;
            let exp = |mag: u64| (mag >> m) as i32 - unbias;
            return self.fma_u64(
                sig(a) * sig(b),
                exp(ma) + exp(mb),
                self.is_sign_negative(a ^ b),
                sig(c),
                exp(mc),
                self.is_sign_negative(c),
                env,
            );
        }
        Self::fma_general(self.code(), a, b, c, env)
    }

    /// [`FloatFormat::fma`] with a special, zero or subnormal operand, or a precision
    /// above 29 bits.
    #[inline(never)]
    fn fma_general(code: FormatCode, a: u64, b: u64, c: u64, env: &FloatEnv) -> StatusAnd<u64> {
        let this = code.format();
        if this.any_nan_or_infinity([a, b, c]) {
            return this.fma_special(a, b, c, env);
        }
        let sp = this.is_sign_negative(a) ^ this.is_sign_negative(b);
        let sc = this.is_sign_negative(c);
        let (siga, ea) = this.operand_parts(a, env);
        let (sigb, eb) = this.operand_parts(b, env);
        let (sigc, ec) = this.operand_parts(c, env);
        let ep = ea + eb;
        if this.precision() <= 29 && (siga != 0) & (sigb != 0) & (sigc != 0) {
            return this.fma_u64_subnormal(sp, (siga, ea), (sigb, eb), (sigc, ec), sc, env);
        }
        let prod = siga as u128 * sigb as u128;
        if prod == 0 {
            if sigc == 0 {
                let neg = if sp == sc {
                    sp
                } else {
                    env.rounding == RoundingMode::TowardNegative
                };
                return StatusAnd::exact(this.zero_bits(neg));
            }
            return this.round_pack_u64(sc, sigc, ec, false, env);
        }
        if sigc == 0 {
            return this.round_pack(sp, prod, ep, false, env);
        }
        let len_p = 128 - prod.leading_zeros() as i32;
        let len_c = 64 - sigc.leading_zeros() as i32;
        let msb_p = ep + len_p - 1;
        let msb_c = ec + len_c - 1;
        // (big value, its exponent, its sign, small value, its exponent, its sign)
        let (big, e_big, s_big, small, e_small, s_small) = if msb_p >= msb_c {
            (prod, ep, sp, sigc as u128, ec, sc)
        } else {
            (sigc as u128, ec, sc, prod, ep, sp)
        };
        let len_big = 128 - big.leading_zeros() as i32;
        let up = TOP as i32 - (len_big - 1);
        let big_v = big << up;
        let e0 = e_big - up;
        let shift = e_small - e0; // left if positive, right (losing bits) if negative
        let (small_v, sticky) = if shift >= 0 {
            (small << shift, false)
        } else if shift <= -128 {
            (0, true)
        } else {
            let s = (-shift) as u32;
            (small >> s, small & ((1u128 << s) - 1) != 0)
        };
        if s_big == s_small {
            return this.round_pack(s_big, big_v + small_v, e0, sticky, env);
        }
        let (diff, neg) = if big_v >= small_v {
            (big_v - small_v - sticky as u128, s_big)
        } else {
            (small_v - big_v, s_small)
        };
        if diff == 0 && !sticky {
            let neg = env.rounding == RoundingMode::TowardNegative;
            return StatusAnd::exact(this.zero_bits(neg));
        }
        this.round_pack(neg, diff, e0, sticky, env)
    }

    /// [`FloatFormat::fma_u64`] with subnormal (non-zero) operands: normalized first, so
    /// that each significand has its leading one at bit m.
    #[cold]
    #[inline(never)]
    fn fma_u64_subnormal(
        self,
        sp: bool,
        a: (u64, i32),
        b: (u64, i32),
        c: (u64, i32),
        sc: bool,
        env: &FloatEnv,
    ) -> StatusAnd<u64> {
        let lead = (self.man_mask() + 1).leading_zeros();
        let norm = |(sig, e): (u64, i32)| {
            let s = sig.leading_zeros() - lead;
            (sig << s, e - s as i32)
        };
        let ((siga, ea), (sigb, eb), (sigc, ec)) = (norm(a), norm(b), norm(c));
        self.fma_u64(siga * sigb, ea + eb, sp, sigc, ec, sc, env)
    }

    /// The sum of a non-zero product of two significands normalized to their bit m
    /// (precision ≤ 29, so at most 58 bits) and a normalized addend, in a 64-bit window:
    /// the product's bit 2m + 1 and the addend's bit m at bit 61 before the smaller is
    /// shifted right. The product then has its low 60 − 2m ≥ 4 bits clear and the addend
    /// far more, so the smaller loses bits (to the sticky bit) only when shifted by 5 or
    /// more, below the larger (≥ 2^60) by so much that the result keeps its leading one at
    /// bit 59 or above: far more than precision + 2 bits.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn fma_u64(
        self,
        prod: u64,
        ep: i32,
        sp: bool,
        sigc: u64,
        ec: i32,
        sc: bool,
        env: &FloatEnv,
    ) -> StatusAnd<u64> {
        // The product's bit 2m + 1 and the addend's leading one (bit m) both go to bit 61,
        // by shifts that depend on the format only (off the data's critical path); the
        // smaller is then shifted right by the distance between the two windows,
        // branch-free, with the sticky bit found by shifting back.
        let m = self.man_bits() as i32;
        let norm_p = prod << (60 - 2 * m);
        let norm_c = sigc << (61 - m);
        // Exponents of bit 0 of the two windows.
        let e_p = ep - (60 - 2 * m);
        let e_c = ec - (61 - m);
        let swap = e_p < e_c;
        let big_v = if swap { norm_c } else { norm_p };
        let small = if swap { norm_p } else { norm_c };
        let (s_big, s_small) = if swap { (sc, sp) } else { (sp, sc) };
        let e0 = if swap { e_c } else { e_p };
        let d = (e_p - e_c).unsigned_abs().min(63);
        let small_v = small >> d;
        let sticky = small_v << d != small;
        if s_big == s_small {
            return self.round_pack_u64(s_big, big_v + small_v, e0, sticky, env);
        }
        let (diff, neg) = if big_v >= small_v {
            (big_v - small_v - sticky as u64, s_big)
        } else {
            (small_v - big_v, s_small)
        };
        if diff == 0 && !sticky {
            let neg = env.rounding == RoundingMode::TowardNegative;
            return StatusAnd::exact(self.zero_bits(neg));
        }
        self.round_pack_u64(neg, diff, e0, sticky, env)
    }

    #[cold]
    #[inline(never)]
    fn fma_special(self, a: u64, b: u64, c: u64, env: &FloatEnv) -> StatusAnd<u64> {
        if self.is_nan(a) || self.is_nan(b) {
            return self.propagate_nan(&[a, b, c], env);
        }
        let zero_times_inf = (self.is_infinite(a) && self.is_zero_operand(b, env))
            || (self.is_infinite(b) && self.is_zero_operand(a, env));
        if self.is_nan(c) {
            let r = self.propagate_nan(&[a, b, c], env);
            return if zero_times_inf {
                r.with_flags(Flags::INVALID)
            } else {
                r
            };
        }
        if zero_times_inf {
            return self.invalid(env);
        }
        let sp = self.is_sign_negative(a) ^ self.is_sign_negative(b);
        if self.is_infinite(a) || self.is_infinite(b) {
            if self.is_infinite(c) && self.is_sign_negative(c) != sp {
                return self.invalid(env);
            }
            return StatusAnd::exact(self.infinity_or_substitute(sp, env));
        }
        // Only c is infinite.
        StatusAnd::exact(c)
    }
}
