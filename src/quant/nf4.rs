//! 4-bit codes of a block-scaled value: NF4 (QLoRA's 4-bit NormalFloat) and FP4 E2M1.
//!
//! # NF4
//!
//! The 16 levels are those of Dettmers et al. 2023, "QLoRA: Efficient Finetuning of
//! Quantized LLMs", Appendix E (and bitsandbytes' `NF4` table): the quantiles of a standard
//! normal, normalized to `[−1, 1]`, with an exact 0. Each is an f32 ([`NF4_LEVELS`]; code
//! `i` is level `i`, so code 7 is 0.0 and code 15 is 1.0).
//!
//! **Nearest level, exactly.** The thresholds are the exact midpoints
//! `t_i = (level_i + level_{i+1}) / 2` for `i = 0..15` ([`nf4_thresholds`]; exact in f64,
//! since the sum of two f32s is). A value `w` of a block with absmax `a > 0` gets
//! `code = #{ i : w > t_i · a }`, compared exactly (`t_i · a` has at most 25 + 24
//! significant bits, so it is exact in f64, and `w` is an f32): the code of the level
//! nearest the real quotient `w / a`, and **a tie (a value exactly at a midpoint) goes to
//! the lower level**. This is bitsandbytes' decision tree (`if (x > threshold)` at every
//! node), which compares the f32 quotient with the midpoints rounded to f32; the two can
//! differ only for quotients within an f32 rounding of a midpoint.
//!
//! # FP4 E2M1
//!
//! For comparison with the same blocking: `w · 6 / a` (6 is E2M1's largest value) rounded
//! to nearest even into [`FloatFormat::FP4_E2M1`] by the soft float. `w · 6` is exact in
//! f64, and the f64 quotient cannot move a value across an E2M1 midpoint (a quotient of
//! 27- and 24-bit significands that is not a midpoint differs from one by far more than an
//! f64 rounding), so the code is the correctly rounded one. The code is the E2M1 bit
//! pattern (sign in bit 3).

use crate::float::{FloatEnv, FloatFormat, OverflowPolicy};
use crate::round::RoundingMode;
use crate::{Error, Result};

/// The 16 NF4 levels (QLoRA, Dettmers et al. 2023, Appendix E), code `i` → level `i`.
// The published decimals verbatim (f32 values printed as f64); each is exactly this f32.
#[allow(clippy::excessive_precision)]
pub const NF4_LEVELS: [f32; 16] = [
    -1.0,
    -0.696_192_800_998_687_7,
    -0.525_073_051_452_636_7,
    -0.394_917_488_098_144_53,
    -0.284_441_381_692_886_35,
    -0.184_773_430_228_233_34,
    -0.091_050_036_251_544_95,
    0.0,
    0.079_580_299_556_255_34,
    0.160_930_201_411_247_25,
    0.246_112_301_945_686_34,
    0.337_915_241_718_292_24,
    0.440_709_829_330_444_34,
    0.562_617_003_917_694_1,
    0.722_956_836_223_602_3,
    1.0,
];

/// The NF4 code of 0.0.
pub const NF4_ZERO_CODE: u8 = 7;

/// The 15 decision thresholds: exact midpoints between adjacent NF4 levels.
///
/// # Examples
///
/// ```
/// use arithsim::quant::{nf4_thresholds, NF4_LEVELS};
///
/// let t = nf4_thresholds();
/// assert_eq!(t[7], NF4_LEVELS[8] as f64 / 2.0); // between 0.0 and the first positive level
/// ```
#[must_use]
pub fn nf4_thresholds() -> [f64; 15] {
    std::array::from_fn(|i| (f64::from(NF4_LEVELS[i]) + f64::from(NF4_LEVELS[i + 1])) / 2.0)
}

/// A 4-bit element format of an absmax-scaled block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Code4 {
    /// NF4: 16 normal quantiles in `[−1, 1]`; the block maps `absmax` to 1.
    Nf4,
    /// FP4 E2M1 (values 0, ±0.5 … ±6); the block maps `absmax` to 6.
    Fp4E2M1,
}

impl Code4 {
    /// Name for reports.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Code4::Nf4 => "NF4",
            Code4::Fp4E2M1 => "FP4 E2M1",
        }
    }

    /// The code of the 4-bit value nearest `w` in a block with absmax `absmax` (see the
    /// module docs for the exact rule and ties). `absmax = 0` (an all-zero block) gives
    /// the code of 0. Magnitudes above `absmax` saturate to the extreme codes.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] when `w` is not finite or `absmax` is not finite and
    /// non-negative (a NaN has no nearest level).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::quant::{Code4, nf4_thresholds};
    ///
    /// assert_eq!(Code4::Nf4.encode(1.0, 2.0)?, 12); // 0.5 is nearest 0.4407 (midpoint 0.5017)
    /// let t = nf4_thresholds()[7] as f32;           // a tie goes to the lower level
    /// assert_eq!(Code4::Nf4.encode(t, 1.0)?, 7);
    /// assert_eq!(Code4::Fp4E2M1.encode(-3.0, 6.0)?, 0b1101); // -3 is E2M1 1 10 1
    /// assert!(Code4::Nf4.encode(f32::NAN, 1.0).is_err());
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn encode(self, w: f32, absmax: f32) -> Result<u8> {
        if !w.is_finite() {
            return Err(Error::param("weight", w, "must be finite"));
        }
        if !(absmax.is_finite() && absmax >= 0.0) {
            return Err(Error::param(
                "absmax",
                absmax,
                "must be finite and non-negative",
            ));
        }
        Ok(self.encode_finite(w, absmax))
    }

    /// [`Self::encode`] for a finite `w` and a finite non-negative `absmax`.
    pub(crate) fn encode_finite(self, w: f32, absmax: f32) -> u8 {
        if absmax == 0.0 {
            return match self {
                Code4::Nf4 => NF4_ZERO_CODE,
                Code4::Fp4E2M1 => 0,
            };
        }
        let (w, a) = (f64::from(w), f64::from(absmax));
        match self {
            Code4::Nf4 => nf4_thresholds().iter().filter(|&&t| w > t * a).count() as u8,
            Code4::Fp4E2M1 => {
                let env = FloatEnv::new(RoundingMode::NearestEven)
                    .with_overflow(OverflowPolicy::Saturate);
                FloatFormat::FP4_E2M1.from_f64(w * 6.0 / a, &env).value as u8
            }
        }
    }

    /// The value of `code` in a block with absmax `absmax`: NF4 exact (the product of two
    /// f32s in f64), FP4 `e2m1 · absmax / 6` correctly rounded to f64 (one division).
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] for a code above 15 (a 4-bit code has no higher bits).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::quant::Code4;
    ///
    /// assert_eq!(Code4::Fp4E2M1.decode(0b0111, 1.0)?, 1.0);
    /// assert!(Code4::Fp4E2M1.decode(0x17, 1.0).is_err());
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn decode(self, code: u8, absmax: f32) -> Result<f64> {
        if code > 15 {
            return Err(Error::OutOfRange {
                value: code.to_string(),
                min: "0".into(),
                max: "15".into(),
                what: format!("{} code", self.name()),
            });
        }
        Ok(self.decode_4bit(code, absmax))
    }

    /// [`Self::decode`] of the low 4 bits of `code`.
    pub(crate) fn decode_4bit(self, code: u8, absmax: f32) -> f64 {
        let a = f64::from(absmax);
        match self {
            Code4::Nf4 => f64::from(NF4_LEVELS[usize::from(code & 15)]) * a,
            Code4::Fp4E2M1 => FloatFormat::FP4_E2M1.bits_to_f64(u64::from(code & 15)) * a / 6.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The issue's decimal strings are the levels, each exactly an f32.
    #[test]
    fn levels_are_the_published_f32s() {
        let published = [
            "-1.0",
            "-0.6961928009986877",
            "-0.5250730514526367",
            "-0.39491748809814453",
            "-0.28444138169288635",
            "-0.18477343022823334",
            "-0.09105003625154495",
            "0.0",
            "0.07958029955625534",
            "0.16093020141124725",
            "0.24611230194568634",
            "0.33791524171829224",
            "0.44070982933044434",
            "0.5626170039176941",
            "0.7229568362236023",
            "1.0",
        ];
        for (s, &l) in published.iter().zip(&NF4_LEVELS) {
            let d: f64 = s.parse().unwrap();
            assert_eq!(d, f64::from(l), "{s} is not this f32");
            assert_eq!(d as f32 as f64, d, "{s} is not an f32");
        }
        assert!(NF4_LEVELS.windows(2).all(|w| w[0] < w[1]));
    }

    /// Brute-force nearest level by distance (f64, exact for these inputs), ties low.
    fn nearest(q: f64) -> u8 {
        let mut best = 0;
        for (i, &l) in NF4_LEVELS.iter().enumerate() {
            if (q - f64::from(l)).abs() < (q - f64::from(NF4_LEVELS[best])).abs() {
                best = i;
            }
        }
        best as u8
    }

    /// At every threshold, and one f32 step either side of it, with absmax 1 and with a
    /// non-power-of-two absmax (the comparison is then `w > t · a`, exact).
    #[test]
    fn nf4_at_and_around_every_threshold() {
        let t = nf4_thresholds();
        for (i, &ti) in t.iter().enumerate() {
            let i = i as u8;
            // Is the midpoint itself an f32? Then it is an exact tie: lower level.
            let at = ti as f32;
            if f64::from(at) == ti {
                assert_eq!(Code4::Nf4.encode(at, 1.0).unwrap(), i, "tie at t{i}");
            }
            let above = f32::from_bits(if ti > 0.0 {
                (ti as f32).to_bits() + 1
            } else {
                (ti as f32).to_bits() - 1
            });
            let above = if f64::from(above) > ti { above } else { at };
            let below = f32::from_bits(if ti > 0.0 {
                (ti as f32).to_bits() - 1
            } else {
                (ti as f32).to_bits() + 1
            });
            assert!(f64::from(above) > ti && f64::from(below) < ti, "t{i}");
            assert_eq!(Code4::Nf4.encode(above, 1.0).unwrap(), i + 1, "above t{i}");
            assert_eq!(Code4::Nf4.encode(below, 1.0).unwrap(), i, "below t{i}");
            // Absmax 3: w = t·3 exactly when that is an f32, else the f32s around it.
            let a = 3.0f32;
            let x = ti * 3.0;
            let xf = x as f32;
            let expect = if f64::from(xf) > x { i + 1 } else { i };
            assert_eq!(Code4::Nf4.encode(xf, a).unwrap(), expect, "t{i}·3");
        }
        // The ties that are exact f32s (midpoints of levels sharing an exponent) happen.
        assert!(t.iter().filter(|&&x| f64::from(x as f32) == x).count() >= 2);
    }

    #[test]
    fn nf4_matches_brute_force_nearest() {
        for k in -2000..=2000 {
            let w = k as f32 / 2000.0;
            assert_eq!(
                Code4::Nf4.encode(w, 1.0).unwrap(),
                nearest(f64::from(w)),
                "{w}"
            );
            assert_eq!(
                Code4::Nf4.encode(w * 0.37, 0.37).unwrap(),
                Code4::Nf4.encode(w, 1.0).unwrap()
            );
        }
        assert_eq!(Code4::Nf4.encode(0.0, 1.0).unwrap(), NF4_ZERO_CODE);
        assert_eq!(Code4::Nf4.encode(-1.0, 1.0).unwrap(), 0);
        assert_eq!(Code4::Nf4.encode(1.0, 1.0).unwrap(), 15);
        assert_eq!(Code4::Nf4.encode(5.0, 0.0).unwrap(), NF4_ZERO_CODE);
        for c in 0..16u8 {
            assert_eq!(
                Code4::Nf4
                    .encode(NF4_LEVELS[c as usize] * 0.75, 0.75)
                    .unwrap(),
                c
            );
            assert_eq!(
                Code4::Nf4.decode(c, 0.75).unwrap(),
                f64::from(NF4_LEVELS[c as usize]) * 0.75
            );
        }
    }

    /// E2M1 against round-to-nearest-even on its own value list, every x/16 in [−6, 6].
    #[test]
    fn fp4_is_nearest_even_e2m1() {
        let values = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0];
        for k in -96..=96 {
            let q = k as f64 / 16.0;
            let m = q.abs();
            let mut best = 0usize;
            for (j, &v) in values.iter().enumerate() {
                let (d, db) = ((m - v).abs(), (m - values[best]).abs());
                // Ties to the even significand: the code with bit 0 clear.
                if d < db || (d == db && j % 2 == 0) {
                    best = j;
                }
            }
            let code = Code4::Fp4E2M1.encode(q as f32, 6.0).unwrap();
            assert_eq!(
                Code4::Fp4E2M1.decode(code, 6.0).unwrap().abs(),
                values[best],
                "{q}"
            );
            assert_eq!(
                Code4::Fp4E2M1.decode(code, 6.0).unwrap(),
                values[best].copysign(q),
                "{q}"
            );
        }
        assert_eq!(Code4::Fp4E2M1.encode(1.0, 1.0).unwrap(), 0b0111);
        assert_eq!(Code4::Fp4E2M1.decode(0b0111, 1.0).unwrap(), 1.0);
        assert_eq!(Code4::Fp4E2M1.encode(0.3, 0.0).unwrap(), 0);
    }
}
