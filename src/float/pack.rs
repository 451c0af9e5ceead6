//! The normalize-and-round step every arithmetic operation ends in.

use super::env::{FloatEnv, OverflowPolicy, Tininess};
use super::format::{FloatFormat, Specials};
use super::status::StatusAnd;
use crate::round::{Discarded, Flags, RoundingMode, round, round_shift};

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
    /// passes two or more. A zero significand with `sticky` counts as a value below half a
    /// unit of `2^exponent`.
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
        if significand == 0 && !sticky {
            return StatusAnd::exact(self.zero_bits(negative));
        }
        let m = self.man_bits() as i32;
        let emin = self.min_exponent();
        let nbits = 128 - significand.leading_zeros() as i32;
        // Exponent of the leading one (one below `exponent` for a lone sticky bit).
        let e_msb = exponent as i64 + nbits as i64 - 1;
        let lsb = (e_msb - m as i64).max((emin - m) as i64);
        let r = Self::round_at(negative, significand, exponent, sticky, lsb, env.rounding);
        let mut flags = r.flags();

        // Tiny: the exact value (before rounding) or the value rounded with an unbounded
        // exponent range (after rounding) is below 2^emin.
        let tiny = e_msb < emin as i64
            && match env.tininess {
                Tininess::BeforeRounding => true,
                Tininess::AfterRounding => {
                    e_msb < emin as i64 - 1 || {
                        let p = self.precision();
                        let r2 = Self::round_at(
                            negative,
                            significand,
                            exponent,
                            sticky,
                            e_msb - m as i64,
                            env.rounding,
                        );
                        r2.value >> p == 0
                    }
                }
            };
        if tiny {
            if env.flush_to_zero {
                return StatusAnd::new(self.zero_bits(negative), Flags::UNDERFLOW | Flags::INEXACT);
            }
            if r.inexact {
                flags |= Flags::UNDERFLOW;
            }
        }

        // Encode: the magnitude bits are ((lsb + m − emin) << m) + s for normals and
        // subnormals alike, and the carry into the next binade falls out of the addition.
        let k = (lsb - (emin - m) as i64) as u64;
        let sign = if negative { self.sign_bit() } else { 0 };
        if k < 1 << self.exp_bits() {
            let mag = (k << self.man_bits()) + r.value as u64;
            if mag <= self.max_finite_bits() {
                if mag == 0 {
                    return StatusAnd::new(self.zero_bits(negative), flags);
                }
                return StatusAnd::new(sign | mag, flags);
            }
        }
        self.overflow(negative, env, r.incremented)
    }

    /// Rounds `significand × 2^exponent (+ sticky)` to a multiple of `2^lsb`.
    #[inline]
    fn round_at(
        negative: bool,
        significand: u128,
        exponent: i32,
        sticky: bool,
        lsb: i64,
        mode: RoundingMode,
    ) -> crate::round::Rounded {
        let shift = lsb - exponent as i64;
        if shift > 0 {
            round_shift(negative, significand, shift.min(1024) as u32, sticky, mode)
        } else {
            // Nothing of the significand is lost; only the sticky part (below half).
            let kept = significand << (-shift) as u32;
            round(negative, kept, Discarded { top: 0, sticky }, mode)
        }
    }

    /// The result of an overflow: ±∞ or ±largest finite by rounding direction, with NaN or
    /// saturation in formats without infinity.
    #[cold]
    fn overflow(self, negative: bool, env: &FloatEnv, _incremented: bool) -> StatusAnd<u64> {
        let to_infinity = match env.rounding {
            RoundingMode::NearestEven
            | RoundingMode::NearestAway
            | RoundingMode::NearestTowardPositive
            | RoundingMode::Stochastic { .. } => true,
            RoundingMode::TowardZero | RoundingMode::ToOdd => false,
            RoundingMode::TowardPositive => !negative,
            RoundingMode::TowardNegative => negative,
        };
        let sign = if negative { self.sign_bit() } else { 0 };
        let flags = Flags::OVERFLOW | Flags::INEXACT;
        let value = if !to_infinity {
            sign | self.max_finite_bits()
        } else {
            match (self.specials(), env.overflow) {
                (Specials::Ieee, _) => sign | self.infinity_bits().unwrap_or(0),
                (Specials::FiniteOnly, _) | (_, OverflowPolicy::Saturate) => {
                    sign | self.max_finite_bits()
                }
                (Specials::NanAllOnes, OverflowPolicy::Nan) => sign | (self.sign_bit() - 1),
                (Specials::Fnuz, OverflowPolicy::Nan) => self.sign_bit(),
            }
        };
        StatusAnd::new(value, flags)
    }
}
