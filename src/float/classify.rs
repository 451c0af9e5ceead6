//! Reading a bit pattern: field access, special-value tests, unpacking and IEEE `class`.

use super::env::FloatEnv;
use super::format::{FloatFormat, Specials};

/// The ten IEEE 754 classes of a value (`class(x)` of 754-2019 §5.7.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FloatClass {
    /// A signalling NaN (only formats with [`Specials::Ieee`] have them).
    SignalingNan,
    /// A quiet NaN (every NaN of the OCP FN and FNUZ formats counts as quiet).
    QuietNan,
    /// −∞.
    NegativeInfinity,
    /// A negative normal number.
    NegativeNormal,
    /// A negative subnormal number.
    NegativeSubnormal,
    /// −0.
    NegativeZero,
    /// +0.
    PositiveZero,
    /// A positive subnormal number.
    PositiveSubnormal,
    /// A positive normal number.
    PositiveNormal,
    /// +∞.
    PositiveInfinity,
}

/// What kind of datum a pattern is, without its sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// ±0.
    Zero,
    /// A non-zero finite number (normal or subnormal).
    Finite,
    /// ±∞.
    Infinity,
    /// A NaN; `signaling` only for IEEE-style formats with the quiet bit clear.
    Nan {
        /// The NaN is signalling.
        signaling: bool,
    },
}

/// A bit pattern taken apart: for [`Kind::Finite`] the value is exactly
/// `(−1)^negative × significand × 2^exponent`, the significand carrying the hidden bit for
/// normal numbers.
///
/// # Examples
///
/// ```
/// use arithsim::float::{FloatFormat, Kind};
///
/// let u = FloatFormat::FP16.unpack(0x3E00); // 1.5
/// assert_eq!((u.negative, u.kind), (false, Kind::Finite));
/// assert_eq!((u.significand, u.exponent), (0b110_0000_0000, -10));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Unpacked {
    /// The sign bit.
    pub negative: bool,
    /// Zero, finite, infinity or NaN.
    pub kind: Kind,
    /// Integer significand (hidden bit included for normals); the stored mantissa for NaNs;
    /// 0 for zeros and infinities.
    pub significand: u64,
    /// Exponent of the significand's least significant bit (0 for non-finite values).
    pub exponent: i32,
}

impl FloatFormat {
    /// The biased exponent field of `bits`.
    #[inline]
    pub const fn exp_field(self, bits: u64) -> u64 {
        (bits >> self.man_bits()) & self.exp_field_max()
    }

    /// The stored mantissa field of `bits`.
    #[inline]
    pub const fn man_field(self, bits: u64) -> u64 {
        bits & self.man_mask()
    }

    /// The sign bit of `bits` is set (also for NaNs; the FNUZ NaN has it set).
    #[inline]
    pub const fn is_sign_negative(self, bits: u64) -> bool {
        bits & self.sign_bit() != 0
    }

    /// `bits` with the sign bit cleared (and anything above the format dropped).
    #[inline]
    pub const fn magnitude(self, bits: u64) -> u64 {
        bits & (self.sign_bit() - 1)
    }

    /// `bits` is a NaN of this format.
    #[inline]
    pub const fn is_nan(self, bits: u64) -> bool {
        let mag = self.magnitude(bits);
        match self.specials() {
            Specials::Ieee => mag > self.exp_field_max() << self.man_bits(),
            Specials::NanAllOnes => mag == self.sign_bit() - 1,
            Specials::Fnuz => bits & self.mask() == self.sign_bit(),
            Specials::FiniteOnly => false,
        }
    }

    /// `bits` is a NaN or an infinity: a datum that arithmetic does not treat as a number.
    #[inline]
    pub const fn is_nan_or_infinity(self, bits: u64) -> bool {
        // Every NaN and infinity pattern lies above the largest finite one, except FNUZ's
        // NaN, which sits where −0 would be.
        self.magnitude(bits) > self.max_finite_bits()
            || (matches!(self.specials(), Specials::Fnuz) && bits & self.mask() == self.sign_bit())
    }

    /// `bits` is ±∞.
    #[inline]
    pub const fn is_infinite(self, bits: u64) -> bool {
        matches!(self.specials(), Specials::Ieee)
            && self.magnitude(bits) == self.exp_field_max() << self.man_bits()
    }

    /// `bits` is a signalling NaN (quiet bit, the mantissa's top bit, clear).
    #[inline]
    pub const fn is_signaling(self, bits: u64) -> bool {
        matches!(self.specials(), Specials::Ieee)
            && self.is_nan(bits)
            && bits & self.quiet_bit() == 0
    }

    /// The quiet bit of IEEE-style NaNs: the top bit of the mantissa field.
    #[inline]
    pub const fn quiet_bit(self) -> u64 {
        1 << (self.man_bits() - 1)
    }

    /// `bits` is finite (not NaN, not infinite).
    #[inline]
    pub const fn is_finite(self, bits: u64) -> bool {
        !self.is_nan_or_infinity(bits)
    }

    /// `bits` is ±0.
    #[inline]
    pub const fn is_zero(self, bits: u64) -> bool {
        self.magnitude(bits) == 0 && !self.is_nan(bits)
    }

    /// `bits` is a non-zero subnormal.
    #[inline]
    pub const fn is_subnormal(self, bits: u64) -> bool {
        self.exp_field(bits) == 0 && self.man_field(bits) != 0
    }

    /// `bits` is a normal number (finite, non-zero, not subnormal).
    #[inline]
    pub const fn is_normal(self, bits: u64) -> bool {
        self.exp_field(bits) != 0 && self.is_finite(bits)
    }

    /// The IEEE class of `bits`.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatClass, FloatFormat};
    /// let f = FloatFormat::FP32;
    /// assert_eq!(f.classify(0x8000_0001), FloatClass::NegativeSubnormal);
    /// assert_eq!(f.classify(0x7F80_0001), FloatClass::SignalingNan);
    /// assert_eq!(FloatFormat::FP8_E4M3FNUZ.classify(0x80), FloatClass::QuietNan);
    /// ```
    pub const fn classify(self, bits: u64) -> FloatClass {
        let neg = self.is_sign_negative(bits);
        if self.is_nan(bits) {
            return if self.is_signaling(bits) {
                FloatClass::SignalingNan
            } else {
                FloatClass::QuietNan
            };
        }
        match (
            neg,
            self.is_infinite(bits),
            self.exp_field(bits),
            self.man_field(bits),
        ) {
            (false, true, _, _) => FloatClass::PositiveInfinity,
            (true, true, _, _) => FloatClass::NegativeInfinity,
            (false, _, 0, 0) => FloatClass::PositiveZero,
            (true, _, 0, 0) => FloatClass::NegativeZero,
            (false, _, 0, _) => FloatClass::PositiveSubnormal,
            (true, _, 0, _) => FloatClass::NegativeSubnormal,
            (false, _, _, _) => FloatClass::PositiveNormal,
            (true, _, _, _) => FloatClass::NegativeNormal,
        }
    }

    /// Significand and LSB exponent of a finite `bits` (zero gives significand 0):
    /// value = significand × 2^exponent. Only valid for finite patterns.
    #[inline(always)]
    pub(crate) const fn finite_parts(self, bits: u64) -> (u64, i32) {
        // Branch-free: a subnormal has no hidden bit and the exponent of biased 1. The
        // hidden bit is `man_mask + 1`, so one variable shift (the exponent field) is all.
        let e = self.exp_field(bits);
        let hidden = if e != 0 { self.man_mask() + 1 } else { 0 };
        let e = if e != 0 { e } else { 1 };
        (
            self.man_field(bits) | hidden,
            e as i32 - (self.bias() + self.man_bits() as i32),
        )
    }

    /// Some operand in `ops` is a NaN or an infinity: one compare on the largest magnitude
    /// (NaN and infinity patterns lie above every finite one), plus FNUZ's NaN, which sits
    /// where −0 would be. The hot paths test this once before any unpacking.
    #[inline(always)]
    pub(crate) fn any_nan_or_infinity<const N: usize>(self, ops: [u64; N]) -> bool {
        let mut max = 0;
        for x in ops {
            max = max.max(self.magnitude(x));
        }
        max > self.max_finite_bits()
            || (matches!(self.specials(), Specials::Fnuz)
                && ops.iter().any(|&x| x & self.mask() == self.sign_bit()))
    }

    /// Takes `bits` apart (bits above the format's width are ignored).
    pub const fn unpack(self, bits: u64) -> Unpacked {
        let negative = self.is_sign_negative(bits);
        if self.is_nan(bits) {
            return Unpacked {
                negative,
                kind: Kind::Nan {
                    signaling: self.is_signaling(bits),
                },
                significand: self.man_field(bits),
                exponent: 0,
            };
        }
        if self.is_infinite(bits) {
            return Unpacked {
                negative,
                kind: Kind::Infinity,
                significand: 0,
                exponent: 0,
            };
        }
        let (significand, exponent) = self.finite_parts(bits);
        Unpacked {
            negative,
            kind: if significand == 0 {
                Kind::Zero
            } else {
                Kind::Finite
            },
            significand,
            exponent: if significand == 0 { 0 } else { exponent },
        }
    }

    /// ±0 in this format (FNUZ has only +0).
    #[inline]
    pub const fn zero_bits(self, negative: bool) -> u64 {
        // Branch-free: the sign of random data is unpredictable.
        self.sign_bit() & 0u64.wrapping_sub((negative & self.specials().has_negative_zero()) as u64)
    }

    /// The magnitude `mag` (a pattern with its sign bit clear) is a normal number: one
    /// subtraction and one unsigned compare, so the arithmetic fast paths test all their
    /// operands at once and leave zeros, subnormals, infinities and NaNs (FNUZ's sits at
    /// magnitude 0) to their general paths.
    #[inline(always)]
    pub(crate) const fn is_normal_magnitude(self, mag: u64) -> bool {
        let min_normal = self.man_mask() + 1;
        mag.wrapping_sub(min_normal) <= self.max_finite_bits() - min_normal
    }

    /// An operand with denormals-are-zero applied: a subnormal becomes the zero of its sign
    /// (+0 in formats without −0); everything else, NaNs included, is returned unchanged.
    #[inline]
    pub(crate) fn daz(self, bits: u64, env: &FloatEnv) -> u64 {
        if env.denormals_are_zero && self.is_subnormal(bits) {
            self.zero_bits(self.is_sign_negative(bits))
        } else {
            bits
        }
    }

    /// The sign bit if `negative`, else 0, without a branch: the sign of a result is
    /// data-dependent (about half mispredicted on random operands), so the select is a mask,
    /// also on the out-of-line paths (overflow, subnormal). A mask rather than
    /// `std::hint::select_unpredictable` keeps `rust-version` at 1.85.
    #[inline(always)]
    pub(crate) const fn sign_bits(self, negative: bool) -> u64 {
        self.sign_bit() & 0u64.wrapping_sub(negative as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_matches_native_f32() {
        let f = FloatFormat::FP32;
        for x in [
            0.0f32,
            -0.0,
            1.0,
            -2.5,
            f32::MIN_POSITIVE,
            f32::MIN_POSITIVE / 2.0,
            -f32::from_bits(1),
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
            f32::MAX,
        ] {
            let b = x.to_bits() as u64;
            let c = f.classify(b);
            assert_eq!(f.is_nan(b), x.is_nan(), "{x}");
            assert_eq!(f.is_infinite(b), x.is_infinite(), "{x}");
            assert_eq!(f.is_finite(b), x.is_finite(), "{x}");
            assert_eq!(f.is_normal(b), x.is_normal(), "{x}");
            assert_eq!(f.is_subnormal(b), x.is_subnormal(), "{x}");
            assert_eq!(
                c == FloatClass::NegativeZero || c == FloatClass::PositiveZero,
                x == 0.0
            );
        }
        assert_eq!(f.classify(0x7FC0_0000), FloatClass::QuietNan);
        assert_eq!(f.classify(0xFF80_0001), FloatClass::SignalingNan);
    }

    #[test]
    fn ocp_specials() {
        let f = FloatFormat::FP8_E4M3;
        assert!(f.is_nan(0x7F) && f.is_nan(0xFF));
        assert!(!f.is_nan(0x7E) && !f.is_infinite(0x78));
        assert_eq!(f.classify(0x78), FloatClass::PositiveNormal);
        let z = FloatFormat::FP8_E5M2FNUZ;
        assert!(z.is_nan(0x80) && !z.is_nan(0xFF) && !z.is_nan(0x7C));
        assert!(!z.is_zero(0x80) && z.is_zero(0));
        assert_eq!(z.zero_bits(true), 0);
        let m = FloatFormat::FP4_E2M1;
        assert!((0..16).all(|b| m.is_finite(b) && !m.is_nan(b)));
        assert_eq!(m.classify(0x8), FloatClass::NegativeZero);
    }

    #[test]
    fn unpack_recovers_value() {
        let f = FloatFormat::FP32;
        for x in [1.0f32, -3.75, 1e-40, 6.0e37] {
            let u = f.unpack(x.to_bits() as u64);
            let v = u.significand as f64 * 2f64.powi(u.exponent);
            assert_eq!(v, (x as f64).abs());
            assert_eq!(u.negative, x < 0.0);
        }
        assert_eq!(f.unpack(0x8000_0000).kind, Kind::Zero);
        assert_eq!(f.unpack(0x7F80_0001).kind, Kind::Nan { signaling: true });
    }
}
