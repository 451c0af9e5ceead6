//! The normalize-and-round step every arithmetic operation ends in.

use super::env::{FloatEnv, OverflowPolicy, Tininess};
use super::format::{FloatFormat, FormatCode, Specials};
use super::status::StatusAnd;
use crate::round::{Discarded, Flags, RoundingMode, round};

impl FloatFormat {
    /// Rounds the exact value `(−1)^negative × (significand + ε) × 2^exponent` into this
    /// format under `env`, where `ε` is in (0, 1) if `sticky` (non-zero bits were lost below
    /// the significand's last bit) and 0 otherwise.
    ///
    /// Normalizes (finds the leading one), picks the last kept bit (precision bits below the
    /// leading one, or the subnormal quantum 2^(1−bias−m)), rounds once with
    /// [`crate::round::round`], then handles the carry into the next binade, overflow
    /// (±∞, ±largest finite or NaN by mode and [`OverflowPolicy`]), tininess, underflow and
    /// flush-to-zero. Raises inexact, overflow and underflow as IEEE 754 specifies.
    ///
    /// For correct rounding in the nearest modes with `sticky`, the significand must carry at
    /// least one bit below the result's last place (the guard bit); every caller in this crate
    /// passes two or more. A zero significand with `sticky` counts as a non-zero value below
    /// half the smallest subnormal.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatEnv, FloatFormat};
    /// use arithsim::round::{Flags, RoundingMode};
    ///
    /// let f = FloatFormat::FP16;
    /// // 2049 × 2^-11 = 1.00048828125: halfway between 1 and 1 + 2^-10, ties to even.
    /// let r = f.round_pack(false, 2049, -11, false, &FloatEnv::default());
    /// assert_eq!((r.value, r.flags), (0x3C00, Flags::INEXACT));
    /// let up = FloatEnv::new(RoundingMode::TowardPositive);
    /// assert_eq!(f.round_pack(false, 2049, -11, false, &up).value, 0x3C01);
    /// ```
    #[inline]
    pub fn round_pack(
        self,
        negative: bool,
        significand: u128,
        exponent: i32,
        sticky: bool,
        env: &FloatEnv,
    ) -> StatusAnd<u64> {
        if significand >> 63 == 0 {
            return self.round_pack_u64(negative, significand as u64, exponent, sticky, env);
        }
        // Keep the top 63 bits (at least precision + 2 for every format); the rest is sticky.
        let s = 65 - significand.leading_zeros();
        let sticky = sticky || significand & ((1u128 << s) - 1) != 0;
        self.round_pack_u64(
            negative,
            (significand >> s) as u64,
            exponent.saturating_add(s as i32),
            sticky,
            env,
        )
    }

    /// [`FloatFormat::round_pack`] for a significand below 2^63, all in `u64`: normalizes
    /// it (leading one to bit 63) and goes to [`FloatFormat::round_pack_normalized`].
    #[inline(always)]
    pub(crate) fn round_pack_u64(
        self,
        negative: bool,
        sig: u64,
        exponent: i32,
        sticky: bool,
        env: &FloatEnv,
    ) -> StatusAnd<u64> {
        if sig == 0 {
            return Self::round_pack_outside(self.code(), negative, sig, exponent, sticky, env);
        }
        let lz = sig.leading_zeros();
        self.round_pack_normalized(
            self.sign_bits(negative),
            sig << lz,
            exponent.saturating_sub(lz as i32),
            sticky,
            env,
        )
    }

    /// The rounding step on a normalized significand: the exact value is
    /// `(−1)^negative × (sig + ε) × 2^exponent` with `sig`'s leading one at bit 63 and `ε`
    /// as in [`FloatFormat::round_pack`]; `sign` is the result's sign bit in place (0 or
    /// [`FloatFormat::sign_bit`]), as the operations have it.
    ///
    /// With the leading one at a fixed place, the kept bits and the discarded fraction are
    /// two shifts by format constants, so a result in the normal range costs one compare
    /// for the range, one [`crate::round::round`] and one compare for overflow. mul, div and
    /// sqrt know their result's leading one to within a bit and come here with a bit test;
    /// add counts leading zeros once (its sum may cancel); everything else comes through
    /// [`FloatFormat::round_pack_u64`].
    #[inline(always)]
    pub(crate) fn round_pack_normalized(
        self,
        sign: u64,
        sig: u64,
        exponent: i32,
        sticky: bool,
        env: &FloatEnv,
    ) -> StatusAnd<u64> {
        debug_assert!(sig >> 63 == 1, "significand not normalized: {sig:#x}");
        let negative = sign != 0;
        let m = self.man_bits();
        // (biased exponent − 1) of the leading one: one unsigned compare finds the normal
        // range (a negative value wraps to a huge one).
        let k = exponent as i64 + 63 + self.bias() as i64 - 1;
        if k as u64 <= self.exp_field_max() {
            // Keep `precision` bits from bit 63 down; the rest is the discarded fraction,
            // already left-aligned after shifting the kept bits out (m + 1 ≤ 53).
            let kept = sig >> (63 - m);
            let discarded = Discarded {
                top: sig << (m + 1),
                sticky,
            };
            let r = round(negative, kept as u128, discarded, env.rounding);
            // (biased exponent − 1) << m plus the significand with its hidden bit: the carry
            // of a rounding into the next binade lands in the exponent by itself.
            let mag = ((k as u64) << m) + r.value as u64;
            if mag <= self.max_finite_bits() {
                return StatusAnd::new(sign | mag, r.flags());
            }
            return Self::overflow_cold(self.code(), negative, env);
        }
        Self::round_pack_outside(self.code(), negative, sig, exponent, sticky, env)
    }

    /// [`FloatFormat::round_pack_u64`] outside the normal range: zero, tiny or overflowing.
    #[cold]
    #[inline(never)]
    fn round_pack_outside(
        code: FormatCode,
        negative: bool,
        sig: u64,
        exponent: i32,
        sticky: bool,
        env: &FloatEnv,
    ) -> StatusAnd<u64> {
        let this = code.format();
        let e_msb = exponent as i64 + (64 - sig.leading_zeros()) as i64 - 1;
        if sig != 0 && e_msb >= this.min_exponent() as i64 {
            return this.overflow(negative, env);
        }
        if sig == 0 && !sticky {
            return StatusAnd::exact(this.zero_bits(negative));
        }
        this.round_pack_tiny(negative, sig, exponent, e_msb, sticky, env)
    }

    /// Rounds `sig (+ sticky)` after dropping its low `shift` bits (none if `shift <= 0`;
    /// all of them, into the sticky bit, if `shift` is large).
    #[inline(always)]
    fn round_bits(
        negative: bool,
        sig: u64,
        shift: i64,
        sticky: bool,
        env: &FloatEnv,
    ) -> crate::round::Rounded {
        let (kept, discarded) = if shift <= 0 {
            // Exact apart from the sticky part, which is below half a unit.
            (sig << (-shift).min(63), Discarded { top: 0, sticky })
        } else if shift < 64 {
            let top = sig << (64 - shift);
            (sig >> shift, Discarded { top, sticky })
        } else if shift < 128 {
            let top = if shift == 64 {
                sig
            } else {
                sig >> (shift - 64)
            };
            let lost = shift > 64 && sig & ((1u64 << (shift - 64)) - 1) != 0;
            (
                0,
                Discarded {
                    top,
                    sticky: sticky || lost,
                },
            )
        } else {
            (
                0,
                Discarded {
                    top: 0,
                    sticky: sticky || sig != 0,
                },
            )
        };
        round(negative, kept as u128, discarded, env.rounding)
    }

    /// Results below the smallest normal: rounded to the subnormal quantum, with tininess,
    /// underflow and flush-to-zero. A zero significand with `sticky` counts as a value
    /// below half the smallest subnormal.
    #[cold]
    #[inline(never)]
    fn round_pack_tiny(
        self,
        negative: bool,
        sig: u64,
        exponent: i32,
        e_msb: i64,
        sticky: bool,
        env: &FloatEnv,
    ) -> StatusAnd<u64> {
        let m = self.man_bits() as i64;
        let emin = self.min_exponent() as i64;
        let (exponent, e_msb) = if sig == 0 {
            // Place the lone sticky bit below the whole subnormal range.
            (emin - m - 2, emin - m - 3)
        } else {
            (exponent as i64, e_msb)
        };
        let r = Self::round_bits(negative, sig, emin - m - exponent, sticky, env);
        // Tiny after rounding unless rounding to full precision (unbounded exponent)
        // carries up to 2^emin, which needs the leading one just below it.
        let tiny = match env.tininess {
            Tininess::BeforeRounding => true,
            Tininess::AfterRounding => {
                e_msb < emin - 1 || {
                    let r2 = Self::round_bits(negative, sig, e_msb - m - exponent, sticky, env);
                    r2.value >> self.precision() == 0
                }
            }
        };
        if tiny && env.flush_to_zero {
            return StatusAnd::new(self.zero_bits(negative), Flags::UNDERFLOW | Flags::INEXACT);
        }
        let mut flags = r.flags();
        if tiny && r.inexact {
            flags |= Flags::UNDERFLOW;
        }
        // The rounded subnormal (or, after a carry, the smallest normal) is its own pattern.
        let mag = r.value as u64;
        if mag == 0 {
            return StatusAnd::new(self.zero_bits(negative), flags);
        }
        let sign = self.sign_bits(negative);
        StatusAnd::new(sign | mag, flags)
    }

    /// The value that stands for ±∞: ±∞ where the format has it, else NaN or ±largest
    /// finite by [`crate::float::OverflowPolicy`] (always the latter without NaN).
    #[inline]
    pub(crate) fn infinity_or_substitute(self, negative: bool, env: &FloatEnv) -> u64 {
        let sign = self.sign_bits(negative);
        match (self.specials(), env.overflow) {
            (Specials::Ieee, _) => sign | self.infinity_bits().unwrap_or(0),
            (Specials::FiniteOnly, _) | (_, OverflowPolicy::Saturate) => {
                sign | self.max_finite_bits()
            }
            (Specials::NanAllOnes, OverflowPolicy::Nan) => sign | (self.sign_bit() - 1),
            (Specials::Fnuz, OverflowPolicy::Nan) => self.sign_bit(),
        }
    }

    /// [`FloatFormat::overflow`] out of line, for the fast path.
    #[cold]
    #[inline(never)]
    fn overflow_cold(code: FormatCode, negative: bool, env: &FloatEnv) -> StatusAnd<u64> {
        code.format().overflow(negative, env)
    }

    /// The result of an overflow: ±∞ or ±largest finite by rounding direction, with NaN or
    /// saturation in formats without infinity.
    #[inline]
    fn overflow(self, negative: bool, env: &FloatEnv) -> StatusAnd<u64> {
        let to_infinity = match env.rounding {
            RoundingMode::NearestEven
            | RoundingMode::NearestAway
            | RoundingMode::NearestTowardPositive
            | RoundingMode::Stochastic { .. } => true,
            RoundingMode::TowardZero | RoundingMode::ToOdd => false,
            RoundingMode::TowardPositive => !negative,
            RoundingMode::TowardNegative => negative,
        };
        let value = if to_infinity {
            self.infinity_or_substitute(negative, env)
        } else {
            self.sign_bits(negative) | self.max_finite_bits()
        };
        StatusAnd::new(value, Flags::OVERFLOW | Flags::INEXACT)
    }
}
