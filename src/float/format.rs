//! Floating-point formats: field widths, bias and how the top exponent is used.

use std::fmt;

use crate::{Error, Result};

/// How a format uses the top of its exponent range (its "special values").
///
/// IEEE 754 reserves the all-ones exponent for infinities and NaNs. The OCP 8-bit formats and
/// the OCP MX element formats give up some or all of that to gain range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Specials {
    /// IEEE 754: exponent all ones is ±∞ (mantissa zero) or NaN (mantissa non-zero; the
    /// mantissa's top bit set means quiet). FP64, FP32, TF32, FP16, BF16, FP8 E5M2.
    Ieee,
    /// OCP FP8 E4M3 ("FN", finite + NaN): no infinities; the one NaN pattern is S.1…1.1…1
    /// (both signs); every other pattern with the top exponent is a finite number.
    NanAllOnes,
    /// "FNUZ" (finite, NaN, unsigned zero; AMD/Graphcore FP8): no infinities, no −0; the
    /// single NaN is the pattern that would be −0 (sign set, everything else zero).
    Fnuz,
    /// OCP MX element formats (FP6 E3M2, FP6 E2M3, FP4 E2M1): every pattern is a finite
    /// number, there is no infinity and no NaN.
    FiniteOnly,
}

impl Specials {
    /// Whether the format has infinities.
    #[inline]
    pub const fn has_infinity(self) -> bool {
        matches!(self, Specials::Ieee)
    }

    /// Whether the format has at least one NaN.
    #[inline]
    pub const fn has_nan(self) -> bool {
        !matches!(self, Specials::FiniteOnly)
    }

    /// Whether the format has a negative zero.
    #[inline]
    pub const fn has_negative_zero(self) -> bool {
        !matches!(self, Specials::Fnuz)
    }
}

/// A binary floating-point format: 1 sign bit, `exp_bits` exponent bits, `man_bits` stored
/// mantissa (fraction) bits, an exponent bias and a [`Specials`] convention.
///
/// Values of a format are plain bit patterns in a `u64` (sign at bit `exp_bits + man_bits`);
/// all operations are methods of the format, so a format is a runtime value.
///
/// # Examples
///
/// ```
/// use arithsim::float::FloatFormat;
///
/// let f = FloatFormat::new(5, 10)?;
/// assert_eq!(f, FloatFormat::FP16);
/// assert_eq!(f.width(), 16);
/// assert_eq!(FloatFormat::FP8_E4M3.max_finite_f64(), 448.0);
/// assert!(FloatFormat::new(12, 3).is_err());
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct FloatFormat {
    exp_bits: u32,
    man_bits: u32,
    bias: i32,
    specials: Specials,
    // Cached masks, so that the hot paths load constants instead of shifting by field
    // widths (variable shifts are the bulk of a soft-float's instructions otherwise).
    /// [`FloatFormat::max_finite_bits`]: "NaN or infinity" and "overflow" test against it.
    max_finite: u64,
    /// [`FloatFormat::mask`].
    mask: u64,
    /// [`FloatFormat::sign_bit`].
    sign: u64,
    /// [`FloatFormat::man_mask`].
    man_mask: u64,
    /// [`FloatFormat::exp_field_max`].
    exp_max: u64,
    /// [`FloatFormat::code`]: the four defining parameters in one word.
    code: FormatCode,
}

/// A format folded into one word (widths, bias and specials), for the calls from the
/// arithmetic fast paths into their out-of-line paths (overflow, tiny results, special
/// operands). Passing the 64-byte [`FloatFormat`] by value there made the compiler keep a
/// fresh stack copy of it for every operation, on the fast path too; one word travels in a
/// register and the cold path rebuilds the format from it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct FormatCode(u64);

impl FormatCode {
    const fn new(exp_bits: u32, man_bits: u32, bias: i32, specials: Specials) -> FormatCode {
        let s = match specials {
            Specials::Ieee => 0,
            Specials::NanAllOnes => 1,
            Specials::Fnuz => 2,
            Specials::FiniteOnly => 3,
        };
        FormatCode(exp_bits as u64 | (man_bits as u64) << 8 | s << 16 | (bias as u32 as u64) << 32)
    }

    /// The format this code was made from.
    #[inline]
    pub(crate) const fn format(self) -> FloatFormat {
        let specials = match (self.0 >> 16) & 3 {
            0 => Specials::Ieee,
            1 => Specials::NanAllOnes,
            2 => Specials::Fnuz,
            _ => Specials::FiniteOnly,
        };
        FloatFormat::raw(
            (self.0 & 0xFF) as u32,
            ((self.0 >> 8) & 0xFF) as u32,
            (self.0 >> 32) as u32 as i32,
            specials,
        )
    }
}

/// The smallest and largest exponent field widths.
pub const EXP_BITS_RANGE: (u32, u32) = (2, 11);
/// The smallest and largest stored mantissa widths.
pub const MAN_BITS_RANGE: (u32, u32) = (1, 52);

impl FloatFormat {
    /// IEEE binary64 (1-11-52).
    pub const FP64: FloatFormat = FloatFormat::ieee(11, 52);
    /// IEEE binary32 (1-8-23).
    pub const FP32: FloatFormat = FloatFormat::ieee(8, 23);
    /// NVIDIA TensorFloat-32 (1-8-10): FP32's range with FP16's precision, stored in 19 bits.
    pub const TF32: FloatFormat = FloatFormat::ieee(8, 10);
    /// IEEE binary16 (1-5-10).
    pub const FP16: FloatFormat = FloatFormat::ieee(5, 10);
    /// bfloat16 (1-8-7): the top half of an FP32.
    pub const BF16: FloatFormat = FloatFormat::ieee(8, 7);
    /// OCP FP8 E5M2 (1-5-2), IEEE-style infinities and NaNs, bias 15.
    pub const FP8_E5M2: FloatFormat = FloatFormat::ieee(5, 2);
    /// OCP FP8 E4M3 (1-4-3, "E4M3FN"), bias 7, no infinities, NaN = S.1111.111, max 448.
    pub const FP8_E4M3: FloatFormat = FloatFormat::raw(4, 3, 7, Specials::NanAllOnes);
    /// FP8 E4M3FNUZ (1-4-3), bias 8, no infinities, no −0, NaN = 0x80, max 240.
    pub const FP8_E4M3FNUZ: FloatFormat = FloatFormat::raw(4, 3, 8, Specials::Fnuz);
    /// FP8 E5M2FNUZ (1-5-2), bias 16, no infinities, no −0, NaN = 0x80, max 57344.
    pub const FP8_E5M2FNUZ: FloatFormat = FloatFormat::raw(5, 2, 16, Specials::Fnuz);
    /// OCP MX FP6 E3M2 (1-3-2), bias 3, no infinities or NaN, max 28.
    pub const FP6_E3M2: FloatFormat = FloatFormat::raw(3, 2, 3, Specials::FiniteOnly);
    /// OCP MX FP6 E2M3 (1-2-3), bias 1, no infinities or NaN, max 7.5.
    pub const FP6_E2M3: FloatFormat = FloatFormat::raw(2, 3, 1, Specials::FiniteOnly);
    /// OCP MX FP4 E2M1 (1-2-1), bias 1, no infinities or NaN, max 6.
    pub const FP4_E2M1: FloatFormat = FloatFormat::raw(2, 1, 1, Specials::FiniteOnly);

    /// Every preset with its name, for reports and tests.
    pub const PRESETS: [(&'static str, FloatFormat); 12] = [
        ("FP64", FloatFormat::FP64),
        ("FP32", FloatFormat::FP32),
        ("TF32", FloatFormat::TF32),
        ("FP16", FloatFormat::FP16),
        ("BF16", FloatFormat::BF16),
        ("FP8 E5M2", FloatFormat::FP8_E5M2),
        ("FP8 E4M3", FloatFormat::FP8_E4M3),
        ("FP8 E4M3FNUZ", FloatFormat::FP8_E4M3FNUZ),
        ("FP8 E5M2FNUZ", FloatFormat::FP8_E5M2FNUZ),
        ("FP6 E3M2", FloatFormat::FP6_E3M2),
        ("FP6 E2M3", FloatFormat::FP6_E2M3),
        ("FP4 E2M1", FloatFormat::FP4_E2M1),
    ];

    const fn ieee(exp_bits: u32, man_bits: u32) -> FloatFormat {
        FloatFormat::raw(
            exp_bits,
            man_bits,
            (1 << (exp_bits - 1)) - 1,
            Specials::Ieee,
        )
    }

    /// Builds a format from validated parts, caching the largest finite pattern.
    const fn raw(exp_bits: u32, man_bits: u32, bias: i32, specials: Specials) -> FloatFormat {
        let exp_max = (1u64 << exp_bits) - 1;
        let man_mask = (1u64 << man_bits) - 1;
        let max_finite = match specials {
            Specials::Ieee => ((exp_max - 1) << man_bits) | man_mask,
            // S.1…1.1…1 is the NaN, so the mantissa stops one short.
            Specials::NanAllOnes => (exp_max << man_bits) | (man_mask - 1),
            Specials::Fnuz | Specials::FiniteOnly => (exp_max << man_bits) | man_mask,
        };
        FloatFormat {
            exp_bits,
            man_bits,
            bias,
            specials,
            max_finite,
            mask: u64::MAX >> (63 - exp_bits - man_bits),
            sign: 1 << (exp_bits + man_bits),
            man_mask,
            exp_max,
            code: FormatCode::new(exp_bits, man_bits, bias, specials),
        }
    }

    /// This format as one word, for out-of-line paths (see [`FormatCode`]).
    #[inline(always)]
    pub(crate) const fn code(self) -> FormatCode {
        self.code
    }

    /// An IEEE-style format (infinities, NaNs, bias 2^(e−1) − 1) with `exp_bits` exponent and
    /// `man_bits` mantissa bits.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidWidth`] when `exp_bits` is outside 2..=11, `man_bits` outside 1..=52,
    /// (together they keep every format within 64 bits).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::FloatFormat;
    /// assert_eq!(FloatFormat::new(8, 7)?, FloatFormat::BF16);
    /// assert_eq!(
    ///     FloatFormat::new(1, 3).unwrap_err().to_string(),
    ///     "exponent field width 1 is out of range 2..=11"
    /// );
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn new(exp_bits: u32, man_bits: u32) -> Result<FloatFormat> {
        Error::check_width(
            "exponent field",
            exp_bits,
            EXP_BITS_RANGE.0,
            EXP_BITS_RANGE.1,
        )?;
        Error::check_width(
            "mantissa field",
            man_bits,
            MAN_BITS_RANGE.0,
            MAN_BITS_RANGE.1,
        )?;
        // 1 + 11 + 52 = 64: the two ranges keep every format within a u64.
        Ok(FloatFormat::ieee(exp_bits, man_bits))
    }

    /// A format with an explicit bias and special-value convention.
    ///
    /// # Errors
    ///
    /// As [`FloatFormat::new`] for the widths, and [`Error::InvalidParameter`] when the bias
    /// puts 1.0 outside the normal range (a format must represent 1.0 exactly as a normal
    /// number: `1 <= bias <= largest normal biased exponent`).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatFormat, Specials};
    /// let f = FloatFormat::with_bias(4, 3, 8, Specials::Fnuz)?;
    /// assert_eq!(f, FloatFormat::FP8_E4M3FNUZ);
    /// assert!(FloatFormat::with_bias(4, 3, 0, Specials::Ieee).is_err());
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn with_bias(
        exp_bits: u32,
        man_bits: u32,
        bias: i32,
        specials: Specials,
    ) -> Result<FloatFormat> {
        FloatFormat::new(exp_bits, man_bits)?;
        let f = FloatFormat::raw(exp_bits, man_bits, bias, specials);
        let top = f.max_normal_biased_exponent() as i64;
        if !(1..=top).contains(&(bias as i64)) {
            return Err(Error::param(
                "exponent bias",
                bias,
                format!(
                    "a format with {exp_bits} exponent bits cannot represent 1.0 \
                     (bias must be in 1..={top})"
                ),
            ));
        }
        Ok(f)
    }

    /// This format with a different [`Specials`] convention (same widths and bias).
    ///
    /// # Errors
    ///
    /// As [`FloatFormat::with_bias`].
    pub fn with_specials(self, specials: Specials) -> Result<FloatFormat> {
        FloatFormat::with_bias(self.exp_bits, self.man_bits, self.bias, specials)
    }

    /// Exponent field width.
    #[inline]
    pub const fn exp_bits(self) -> u32 {
        self.exp_bits
    }

    /// Stored mantissa (fraction) width, without the hidden bit.
    #[inline]
    pub const fn man_bits(self) -> u32 {
        self.man_bits
    }

    /// Precision in bits, with the hidden bit: `man_bits + 1`.
    #[inline]
    pub const fn precision(self) -> u32 {
        self.man_bits + 1
    }

    /// Total width in bits: `1 + exp_bits + man_bits`.
    #[inline]
    pub const fn width(self) -> u32 {
        1 + self.exp_bits + self.man_bits
    }

    /// Exponent bias: a normal value is 1.m × 2^(biased − bias).
    #[inline]
    pub const fn bias(self) -> i32 {
        self.bias
    }

    /// The special-value convention.
    #[inline]
    pub const fn specials(self) -> Specials {
        self.specials
    }

    /// Mask of the format's bits (the low `width()` bits).
    #[inline]
    pub const fn mask(self) -> u64 {
        self.mask
    }

    /// The sign bit.
    #[inline]
    pub const fn sign_bit(self) -> u64 {
        self.sign
    }

    /// Mask of the stored mantissa field.
    #[inline]
    pub const fn man_mask(self) -> u64 {
        self.man_mask
    }

    /// The largest exponent field value (all ones).
    #[inline]
    pub const fn exp_field_max(self) -> u64 {
        self.exp_max
    }

    /// The largest biased exponent that holds normal numbers: all ones minus one for
    /// [`Specials::Ieee`], all ones otherwise.
    #[inline]
    pub const fn max_normal_biased_exponent(self) -> u64 {
        match self.specials {
            Specials::Ieee => self.exp_field_max() - 1,
            _ => self.exp_field_max(),
        }
    }

    /// The unbiased exponent of the smallest normal number, 1 − bias.
    #[inline]
    pub const fn min_exponent(self) -> i32 {
        1 - self.bias
    }

    /// The unbiased exponent of the largest finite number.
    #[inline]
    pub const fn max_exponent(self) -> i32 {
        self.max_normal_biased_exponent() as i32 - self.bias
    }

    /// Bit pattern of the largest finite positive value.
    #[inline]
    pub const fn max_finite_bits(self) -> u64 {
        self.max_finite
    }

    /// Bit pattern of the smallest positive normal value.
    #[inline]
    pub const fn min_normal_bits(self) -> u64 {
        1 << self.man_bits
    }

    /// Bit pattern of the smallest positive subnormal value.
    #[inline]
    pub const fn min_subnormal_bits(self) -> u64 {
        1
    }

    /// Bit pattern of +∞, if the format has infinities.
    #[inline]
    pub const fn infinity_bits(self) -> Option<u64> {
        match self.specials {
            Specials::Ieee => Some(self.exp_field_max() << self.man_bits),
            _ => None,
        }
    }

    /// Bit pattern of the value 1.0.
    #[inline]
    pub const fn one_bits(self) -> u64 {
        (self.bias as u64) << self.man_bits
    }

    /// The largest finite value as an `f64` (rounded to nearest if the format's range
    /// exceeds f64's, which only custom biases can do).
    pub fn max_finite_f64(self) -> f64 {
        self.bits_to_f64(self.max_finite_bits())
    }

    /// The smallest positive normal value as an `f64`.
    pub fn min_normal_f64(self) -> f64 {
        self.bits_to_f64(self.min_normal_bits())
    }

    /// The smallest positive subnormal value as an `f64`.
    pub fn min_subnormal_f64(self) -> f64 {
        self.bits_to_f64(self.min_subnormal_bits())
    }

    /// The preset name, if this is one of [`FloatFormat::PRESETS`].
    pub fn preset_name(self) -> Option<&'static str> {
        FloatFormat::PRESETS
            .iter()
            .find(|(_, f)| *f == self)
            .map(|(n, _)| *n)
    }
}

impl fmt::Display for FloatFormat {
    /// The preset name (`FP16`, `FP8 E4M3`), else `E<e>M<m>` with a suffix for non-IEEE
    /// specials (`FN`, `FNUZ`, ` finite`) — or ` IEEE` where the bare code names a non-IEEE
    /// preset (`E4M3 IEEE`) — and the bias if it is not the one the bare code implies (see
    /// [`FloatFormat::from_str`](#impl-FromStr-for-FloatFormat), which parses this back).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(name) = self.preset_name() {
            return f.write_str(name);
        }
        write!(f, "E{}M{}", self.exp_bits, self.man_bits)?;
        match self.specials {
            Specials::Ieee => {
                if super::format_name::default_specials(self.exp_bits, self.man_bits)
                    != Specials::Ieee
                {
                    f.write_str(" IEEE")?;
                }
            }
            Specials::NanAllOnes => f.write_str("FN")?,
            Specials::Fnuz => f.write_str("FNUZ")?,
            Specials::FiniteOnly => f.write_str(" finite")?,
        }
        if self.bias
            != super::format_name::default_bias(self.exp_bits, self.man_bits, self.specials)
        {
            write!(f, " bias {}", self.bias)?;
        }
        Ok(())
    }
}

impl fmt::Debug for FloatFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "FloatFormat({self}: 1-{}-{}, bias {}, {:?})",
            self.exp_bits, self.man_bits, self.bias, self.specials
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_code_rebuilds_every_format() {
        let specials = [
            Specials::Ieee,
            Specials::NanAllOnes,
            Specials::Fnuz,
            Specials::FiniteOnly,
        ];
        for e in EXP_BITS_RANGE.0..=EXP_BITS_RANGE.1 {
            for m in MAN_BITS_RANGE.0..=MAN_BITS_RANGE.1 {
                for s in specials {
                    let f = FloatFormat::with_specials(FloatFormat::new(e, m).unwrap(), s).unwrap();
                    let top = f.max_normal_biased_exponent() as i32;
                    for bias in [1, f.bias(), top] {
                        let g = FloatFormat::with_bias(e, m, bias, s).unwrap();
                        assert_eq!(g.code().format(), g, "{g:?}");
                    }
                }
            }
        }
    }

    /// 2^k as an f64 built from its bits, independent of the code under test.
    fn pow2(k: i32) -> f64 {
        if k >= -1022 {
            f64::from_bits(((k + 1023) as u64) << 52)
        } else {
            f64::from_bits(1 << (k + 1074))
        }
    }

    #[test]
    fn preset_extremes_match_the_issue_table() {
        let table: [(FloatFormat, f64, f64, f64); 9] = [
            (
                FloatFormat::FP32,
                (2.0 - pow2(-23)) * pow2(127),
                pow2(-126),
                pow2(-149),
            ),
            (
                FloatFormat::TF32,
                (2.0 - pow2(-10)) * pow2(127),
                pow2(-126),
                pow2(-136),
            ),
            (
                FloatFormat::BF16,
                (2.0 - pow2(-7)) * pow2(127),
                pow2(-126),
                pow2(-133),
            ),
            (FloatFormat::FP16, 65504.0, pow2(-14), pow2(-24)),
            (FloatFormat::FP8_E5M2, 57344.0, pow2(-14), pow2(-16)),
            (FloatFormat::FP8_E4M3, 448.0, pow2(-6), pow2(-9)),
            (FloatFormat::FP6_E3M2, 28.0, 0.25, 0.0625),
            (FloatFormat::FP6_E2M3, 7.5, 1.0, 0.125),
            (FloatFormat::FP4_E2M1, 6.0, 1.0, 0.5),
        ];
        for (f, max, min_n, min_s) in table {
            assert_eq!(f.max_finite_f64(), max, "{f} max");
            assert_eq!(f.min_normal_f64(), min_n, "{f} min normal");
            assert_eq!(f.min_subnormal_f64(), min_s, "{f} min subnormal");
        }
        assert_eq!(FloatFormat::FP64.max_finite_f64(), f64::MAX);
        assert_eq!(FloatFormat::FP64.min_normal_f64(), f64::MIN_POSITIVE);
        assert_eq!(FloatFormat::FP8_E4M3FNUZ.max_finite_f64(), 240.0);
        assert_eq!(FloatFormat::FP8_E4M3FNUZ.min_normal_f64(), pow2(-7));
        assert_eq!(FloatFormat::FP8_E5M2FNUZ.max_finite_f64(), 57344.0);
        assert_eq!(FloatFormat::FP8_E5M2FNUZ.min_subnormal_f64(), pow2(-17));
        assert_eq!(FloatFormat::FP8_E4M3.max_finite_bits(), 0x7E);
        assert_eq!(
            FloatFormat::FP32.max_finite_bits(),
            f32::MAX.to_bits() as u64
        );
        assert_eq!(FloatFormat::FP32.one_bits(), 1f32.to_bits() as u64);
    }

    #[test]
    fn width_errors_name_value_and_range() {
        let msg = |e: Error| e.to_string();
        assert_eq!(
            msg(FloatFormat::new(12, 3).unwrap_err()),
            "exponent field width 12 is out of range 2..=11"
        );
        assert_eq!(
            msg(FloatFormat::new(5, 0).unwrap_err()),
            "mantissa field width 0 is out of range 1..=52"
        );
        assert_eq!(
            msg(FloatFormat::new(11, 53).unwrap_err()),
            "mantissa field width 53 is out of range 1..=52"
        );
        assert_eq!(
            msg(FloatFormat::new(11, 60).unwrap_err()),
            "mantissa field width 60 is out of range 1..=52"
        );
        assert_eq!(FloatFormat::new(11, 52).unwrap(), FloatFormat::FP64);
    }

    #[test]
    fn bias_that_loses_one_is_rejected_with_message() {
        let e = FloatFormat::with_bias(4, 3, 0, Specials::Ieee).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid exponent bias 0: a format with 4 exponent bits cannot represent 1.0 \
             (bias must be in 1..=14)"
        );
        let e = FloatFormat::with_bias(2, 1, 3, Specials::Ieee).unwrap_err();
        assert!(e.to_string().contains("bias must be in 1..=2"), "{e}");
        assert!(FloatFormat::with_bias(2, 1, 3, Specials::FiniteOnly).is_ok());
    }

    #[test]
    fn display_names() {
        assert_eq!(FloatFormat::FP8_E4M3.to_string(), "FP8 E4M3");
        assert_eq!(FloatFormat::new(6, 9).unwrap().to_string(), "E6M9");
        let f = FloatFormat::with_bias(4, 3, 9, Specials::Fnuz).unwrap();
        assert_eq!(f.to_string(), "E4M3FNUZ bias 9");
        assert!(format!("{:?}", FloatFormat::FP16).contains("1-5-10"));
    }
}
