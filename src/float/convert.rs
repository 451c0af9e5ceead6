//! Conversions between formats and to/from native `f32`/`f64` bit patterns.

use super::env::{FloatEnv, NanPolicy, OverflowPolicy};
use super::format::{FloatFormat, FormatCode, Specials};
use super::status::StatusAnd;
use crate::round::Flags;

impl FloatFormat {
    /// Converts `bits` of this format to format `to`, rounding under `env`.
    ///
    /// NaNs: a signalling NaN raises invalid. Under [`NanPolicy::X86`] an IEEE NaN keeps its
    /// sign and the top of its payload (quieted), like `cvtss2sd`/`cvtsd2ss`; a NaN going to
    /// an FN format keeps its sign, to FNUZ becomes 0x80, and to a format without NaN
    /// becomes +0 with invalid. Infinities going to a format without them give NaN
    /// ([`OverflowPolicy::Nan`]) or ±largest finite ([`OverflowPolicy::Saturate`], and
    /// always for formats without NaN), raising invalid either way.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatEnv, FloatFormat, OverflowPolicy};
    /// use arithsim::round::Flags;
    ///
    /// let env = FloatEnv::default();
    /// // 1000.0 in FP32 overflows FP8 E4M3 (max 448): NaN, or 448 when saturating.
    /// let x = 1000f32.to_bits() as u64;
    /// let r = FloatFormat::FP32.convert(x, FloatFormat::FP8_E4M3, &env);
    /// assert_eq!((r.value, r.flags), (0x7F, Flags::OVERFLOW | Flags::INEXACT));
    /// let sat = env.with_overflow(OverflowPolicy::Saturate);
    /// assert_eq!(FloatFormat::FP32.convert(x, FloatFormat::FP8_E4M3, &sat).value, 0x7E);
    /// ```
    #[inline(always)]
    pub fn convert(self, bits: u64, to: FloatFormat, env: &FloatEnv) -> StatusAnd<u64> {
        let bits = bits & self.mask();
        let mag = self.magnitude(bits);
        if self.is_normal_magnitude(mag) {
            // A normal value: its significand's leading one (bit m) goes to bit 63 and the
            // target rounds it, value = sig × 2^(e − bias − m − (63 − m)).
            let m = self.man_bits();
            let sig = (self.man_field(bits) | (self.man_mask() + 1)) << (63 - m);
            let exponent = (mag >> m) as i32 - self.bias() - 63;
            let sign = to.sign_bits(self.is_sign_negative(bits));
            return to.round_pack_normalized(sign, sig, exponent, false, env);
        }
        Self::convert_general(self.code(), bits, to.code(), env)
    }

    /// [`FloatFormat::convert`] of a zero, subnormal, infinite or NaN value.
    #[inline(never)]
    fn convert_general(
        from: FormatCode,
        bits: u64,
        to: FormatCode,
        env: &FloatEnv,
    ) -> StatusAnd<u64> {
        let (this, to) = (from.format(), to.format());
        let negative = this.is_sign_negative(bits);
        if this.is_nan_or_infinity(bits) {
            return this.convert_special(bits, to, env);
        }
        let (mut sig, exp) = this.finite_parts(bits);
        if env.denormals_are_zero && this.exp_field(bits) == 0 {
            sig = 0;
        }
        to.round_pack(negative, sig as u128, exp, false, env)
    }

    #[cold]
    fn convert_special(self, bits: u64, to: FloatFormat, env: &FloatEnv) -> StatusAnd<u64> {
        let negative = self.is_sign_negative(bits);
        let sign = to.sign_bits(negative);
        if self.is_nan(bits) {
            let flags = if self.is_signaling(bits) {
                Flags::INVALID
            } else {
                Flags::empty()
            };
            let value = match (to.specials(), env.nan) {
                (Specials::FiniteOnly, _) => {
                    return StatusAnd::new(0, Flags::INVALID);
                }
                (_, NanPolicy::RiscV) => to.default_nan(NanPolicy::RiscV),
                (Specials::Ieee, NanPolicy::X86) if self.specials() == Specials::Ieee => {
                    let man = self.man_field(bits);
                    let (fm, tm) = (self.man_bits(), to.man_bits());
                    let payload = if tm >= fm {
                        man << (tm - fm)
                    } else {
                        man >> (fm - tm)
                    };
                    to.quiet(sign | (to.exp_field_max() << tm) | payload)
                }
                (Specials::Ieee, NanPolicy::X86) => {
                    to.quiet(sign | to.infinity_bits().unwrap_or(0))
                }
                (Specials::NanAllOnes, NanPolicy::X86) => sign | (to.sign_bit() - 1),
                (Specials::Fnuz, NanPolicy::X86) => to.sign_bit(),
            };
            return StatusAnd::new(value, flags);
        }
        // Infinity.
        match (to.specials(), env.overflow) {
            (Specials::Ieee, _) => StatusAnd::exact(sign | to.infinity_bits().unwrap_or(0)),
            (Specials::FiniteOnly, _) | (_, OverflowPolicy::Saturate) => {
                StatusAnd::new(sign | to.max_finite_bits(), Flags::INVALID)
            }
            (Specials::NanAllOnes, OverflowPolicy::Nan) => {
                StatusAnd::new(sign | (to.sign_bit() - 1), Flags::INVALID)
            }
            (Specials::Fnuz, OverflowPolicy::Nan) => StatusAnd::new(to.sign_bit(), Flags::INVALID),
        }
    }

    /// Converts a native `f64` into this format (exact for FP64 and for every value that
    /// fits; rounded under `env` otherwise).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatEnv, FloatFormat};
    /// let r = FloatFormat::BF16.from_f64(1.0 / 3.0, &FloatEnv::default());
    /// assert_eq!(r.value, 0x3EAB);
    /// ```
    #[inline]
    pub fn from_f64(self, x: f64, env: &FloatEnv) -> StatusAnd<u64> {
        FloatFormat::FP64.convert(x.to_bits(), self, env)
    }

    /// Converts a native `f32` into this format.
    #[inline]
    pub fn from_f32(self, x: f32, env: &FloatEnv) -> StatusAnd<u64> {
        FloatFormat::FP32.convert(x.to_bits() as u64, self, env)
    }

    /// Converts `bits` of this format to a native `f64` (exact for every format whose range
    /// fits FP64's, which is all but some custom-bias formats).
    #[inline]
    pub fn to_f64(self, bits: u64, env: &FloatEnv) -> StatusAnd<f64> {
        self.convert(bits, FloatFormat::FP64, env)
            .map(f64::from_bits)
    }

    /// Converts `bits` of this format to a native `f32`, rounding under `env`.
    #[inline]
    pub fn to_f32(self, bits: u64, env: &FloatEnv) -> StatusAnd<f32> {
        self.convert(bits, FloatFormat::FP32, env)
            .map(|b| f32::from_bits(b as u32))
    }

    /// `bits` as an `f64` under the default environment, flags dropped: for printing and
    /// tests.
    ///
    /// ```
    /// use arithsim::float::FloatFormat;
    /// assert_eq!(FloatFormat::FP4_E2M1.bits_to_f64(0b0111), 6.0);
    /// ```
    #[inline]
    pub fn bits_to_f64(self, bits: u64) -> f64 {
        self.to_f64(bits, &FloatEnv::default()).value
    }
}
