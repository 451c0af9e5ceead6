//! Integer-only requantization as in gemmlowp and TensorFlow Lite (Jacob et al., CVPR 2018).
//!
//! An int32 accumulator `acc` holding `S1·S2·(Σ q1·q2)` is brought to the output scale `S3`
//! by the real multiplier `M = S1·S2/S3`, which is represented as a Q31 fixed-point multiplier
//! `M0 ∈ [2^30, 2^31)` and a power-of-two exponent: `M = M0 · 2^(shift − 31)`. Multiplying
//! then needs only a 32×32→64-bit product and shifts.
//!
//! Both roundings go through [`crate::round`]: `SaturatingRoundingDoublingHighMul` is
//! round-to-nearest with ties toward +∞ ([`RoundingMode::NearestTowardPositive`]) and
//! `RoundingDivideByPOT` is round-to-nearest with ties away from zero
//! ([`RoundingMode::NearestAway`]). The tests check both against the literal gemmlowp
//! formulas.

use crate::limits::QUANT_MULTIPLIER_MAX_SHIFT;
use crate::round::{RoundingMode, round_shift, round_shift_signed};
use crate::{Error, Result};

/// gemmlowp's `SaturatingRoundingDoublingHighMul(a, b)`: the high 32 bits of `2·a·b`,
/// rounded to nearest.
///
/// Exactly: `i32::MIN × i32::MIN` (the one product whose doubled value does not fit)
/// saturates to `i32::MAX`; otherwise the result is `(a·b + nudge) / 2^31` computed in `i64`
/// and truncated toward zero, with `nudge = 2^30` for a non-negative product and `1 − 2^30`
/// for a negative one. That is `a·b / 2^31` rounded to nearest with ties toward +∞.
///
/// # Examples
///
/// ```
/// use arithsim::quant::saturating_rounding_doubling_high_mul as srdhm;
///
/// assert_eq!(srdhm(1 << 30, 1 << 30), 1 << 29); // 0.5 × 0.5 = 0.25 in Q31
/// assert_eq!(srdhm(i32::MIN, i32::MIN), i32::MAX); // (−1)·(−1) saturates
/// assert_eq!(srdhm(-1, 1 << 30), 0); // −0.5 ulp: the tie goes toward +∞
/// ```
#[inline]
#[must_use]
pub fn saturating_rounding_doubling_high_mul(a: i32, b: i32) -> i32 {
    if a == i32::MIN && b == i32::MIN {
        return i32::MAX;
    }
    let product = a as i128 * b as i128;
    let (v, _) = round_shift_signed(product, 31, RoundingMode::NearestTowardPositive);
    // Only (−2^31)·(−2^31) gives 2^31, which does not fit; it was handled above. Every other
    // |a·b| ≤ 2^62 − 2^31, so the rounded quotient is within i32.
    v as i32
}

/// gemmlowp's `RoundingDivideByPOT(x, exponent)`: `x / 2^exponent` rounded to nearest, ties
/// away from zero.
///
/// # Errors
///
/// [`Error::OutOfRange`] when `exponent` is outside `0..=31` (gemmlowp asserts this range).
///
/// # Examples
///
/// ```
/// use arithsim::quant::rounding_divide_by_pot;
///
/// assert_eq!(rounding_divide_by_pot(5, 1).unwrap(), 3); // 2.5 -> 3
/// assert_eq!(rounding_divide_by_pot(-5, 1).unwrap(), -3); // -2.5 -> -3
/// assert!(rounding_divide_by_pot(1, 32).is_err());
/// ```
pub fn rounding_divide_by_pot(x: i32, exponent: i32) -> Result<i32> {
    if !(0..=31).contains(&exponent) {
        return Err(Error::OutOfRange {
            value: exponent.to_string(),
            min: "0".into(),
            max: "31".into(),
            what: "rounding_divide_by_pot exponent".into(),
        });
    }
    Ok(divide_by_pot(x, exponent as u32))
}

/// [`rounding_divide_by_pot`] for an exponent already known to be in `0..=31`.
#[inline]
fn divide_by_pot(x: i32, exponent: u32) -> i32 {
    round_shift_signed(x as i128, exponent, RoundingMode::NearestAway).0 as i32
}

/// A real multiplier `M` as TensorFlow Lite stores it: `M ≈ multiplier · 2^(shift − 31)` with
/// `multiplier` a Q31 value in `[2^30, 2^31)` (or 0 for `M = 0`).
///
/// A positive `shift` is a left shift applied to the input before the high multiply; a
/// negative one a rounding right shift after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct QuantizedMultiplier {
    /// The Q31 significand `M0`, `|M0|` in `[2^30, 2^31)`, or 0.
    pub multiplier: i32,
    /// The power-of-two exponent (TFLite's `shift`: left when positive).
    pub shift: i32,
}

/// Which `MultiplyByQuantizedMultiplier` TensorFlow Lite variant to run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Requantization {
    /// The default (gemmlowp) path: `RoundingDivideByPOT(SRDHM(x · 2^left, M0), right)`.
    /// It rounds twice — once in the high multiply (ties toward +∞), once in the shift (ties
    /// away from zero) — so it can differ by one from the exactly rounded product.
    #[default]
    DoubleRounding,
    /// TFLite's `TFLITE_SINGLE_ROUNDING` path: `(x · M0 + 2^(30 − shift)) >> (31 − shift)` in
    /// 64 bits, one rounding to nearest with ties toward +∞; the result saturates to `i32`
    /// (TFLite only debug-checks the range). Requires `shift ≤ 30`.
    SingleRounding,
}

impl QuantizedMultiplier {
    /// TFLite's `QuantizeMultiplier(double)`: splits `real` into a Q31 significand and a
    /// shift, `real = q · 2^shift` with `|q| ∈ [0.5, 1)` (C `frexp`), `M0 = round(q · 2^31)`
    /// with ties away from zero (`std::round`); a significand that rounds up to `2^31` is
    /// halved and the shift incremented. A multiplier below `2^−32` in magnitude (shift
    /// below −31) flushes to zero, as TFLite does.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for a NaN or infinite `real`; [`Error::OutOfRange`] when
    /// the shift would exceed [`QUANT_MULTIPLIER_MAX_SHIFT`] (`|real| ≥ 2^30`): the
    /// left shift `x · 2^shift` of the requantization would no longer fit `i32`, so every
    /// result would be wrong. (TFLite silently replaces such a multiplier by `(2^31 − 1, 30)`,
    /// a different multiplier.)
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::quant::QuantizedMultiplier;
    ///
    /// let m = QuantizedMultiplier::from_real(0.75).unwrap();
    /// assert_eq!((m.multiplier, m.shift), (3 << 29, 0));
    /// let m = QuantizedMultiplier::from_real(2.0).unwrap();
    /// assert_eq!((m.multiplier, m.shift), (1 << 30, 2));
    /// ```
    pub fn from_real(real: f64) -> Result<QuantizedMultiplier> {
        if !real.is_finite() {
            return Err(Error::param("real multiplier", real, "must be finite"));
        }
        if real == 0.0 {
            return Ok(QuantizedMultiplier {
                multiplier: 0,
                shift: 0,
            });
        }
        // real = sig · 2^exp exactly, sig an integer below 2^53.
        let (negative, sig, exp) = decompose_f64(real);
        let width = 64 - sig.leading_zeros() as i32; // sig in [2^(width−1), 2^width)
        // frexp: real = q · 2^shift with q = sig / 2^width in [0.5, 1), shift = exp + width.
        let mut shift = exp + width;
        // q · 2^31 = sig · 2^(31 − width), rounded ties away from zero.
        let mut q = if width <= 31 {
            (sig as u128) << (31 - width)
        } else {
            round_shift(
                negative,
                sig as u128,
                (width - 31) as u32,
                false,
                RoundingMode::NearestAway,
            )
            .value
        };
        // TFLite halves only the positive 2^31 (it checks `q_fixed == 1ll << 31`); a
        // negative significand of −2^31 fits an i32 and is kept.
        if q == 1 << 31 && !negative {
            q >>= 1;
            shift += 1;
        }
        if shift < -31 {
            return Ok(QuantizedMultiplier {
                multiplier: 0,
                shift: 0,
            });
        }
        if shift > QUANT_MULTIPLIER_MAX_SHIFT {
            return Err(Error::OutOfRange {
                value: real.to_string(),
                min: "-2^30 (exclusive)".into(),
                max: format!(
                    "2^30 (exclusive; QUANT_MULTIPLIER_MAX_SHIFT = {QUANT_MULTIPLIER_MAX_SHIFT})"
                ),
                what: "quantized multiplier".into(),
            });
        }
        let m = q as i64; // q <= 2^31
        Ok(QuantizedMultiplier {
            multiplier: if negative { -m } else { m } as i32,
            shift,
        })
    }

    /// The requantization multiplier of a layer, `S_in · S_w / S_out` (computed in `f64`, as
    /// TFLite does in double), through [`Self::from_real`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] when any scale is zero, negative or not finite.
    pub fn for_layer(input_scale: f64, weight_scale: f64, output_scale: f64) -> Result<Self> {
        for (name, s) in [
            ("input scale", input_scale),
            ("weight scale", weight_scale),
            ("output scale", output_scale),
        ] {
            if !(s.is_finite() && s > 0.0) {
                return Err(Error::param(name, s, "must be finite and positive"));
            }
        }
        Self::from_real(input_scale * weight_scale / output_scale)
    }

    /// [`Self::apply`] with the left shift `x · 2^shift` saturated to `i32` instead of
    /// wrapped: when `x · 2^shift` does not fit, `|x · M| ≥ 2^30` (since `M0 ≥ 2^30`), so the
    /// saturated extreme is the right answer once the result is clamped to any output type of
    /// at most 31 bits. The quantized GEMM and convolution requantize with this.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::quant::{QuantizedMultiplier, Requantization};
    ///
    /// let m = QuantizedMultiplier::from_real(2.0).unwrap(); // shift 2
    /// let x = i32::MAX / 2; // x · 4 wraps in `apply`
    /// assert!(m.apply_saturating(x, Requantization::DoubleRounding) >= 1 << 30);
    /// assert!(m.apply_saturating(-x, Requantization::DoubleRounding) <= -(1 << 30));
    /// ```
    #[inline]
    #[must_use]
    pub fn apply_saturating(self, x: i32, variant: Requantization) -> i32 {
        if variant == Requantization::DoubleRounding && self.shift > 0 {
            let left = self.shift.min(31) as u32;
            let wide = (x as i64) << left;
            if wide > i32::MAX as i64 || wide < i32::MIN as i64 {
                let sat = if wide > 0 { i32::MAX } else { i32::MIN };
                return saturating_rounding_doubling_high_mul(sat, self.multiplier);
            }
        }
        self.apply(x, variant)
    }

    /// The real value this multiplier represents, `M0 · 2^(shift − 31)`.
    pub fn to_real(self) -> f64 {
        self.multiplier as f64 * (2f64).powi(self.shift - 31)
    }

    /// `MultiplyByQuantizedMultiplier(x, M0, shift)` in the chosen TFLite variant.
    ///
    /// [`Requantization::DoubleRounding`] computes `x · 2^left` with two's-complement
    /// wrapping (C++ leaves the overflow undefined; TFLite never shifts left far enough to hit
    /// it); the shift is clamped to the ranges TFLite asserts (`right ≤ 31`;
    /// single rounding: `−31 ≤ shift ≤ 30`).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::quant::{QuantizedMultiplier, Requantization};
    ///
    /// let m = QuantizedMultiplier::from_real(0.25).unwrap();
    /// assert_eq!(m.apply(1000, Requantization::DoubleRounding), 250);
    /// assert_eq!(m.apply(-6, Requantization::SingleRounding), -1); // -1.5 -> -1 (ties to +inf)
    /// assert_eq!(m.apply(-6, Requantization::DoubleRounding), -2); // -1.5 -> -2 (ties away)
    /// ```
    #[inline]
    #[must_use]
    pub fn apply(self, x: i32, variant: Requantization) -> i32 {
        match variant {
            Requantization::DoubleRounding => {
                let left = self.shift.clamp(0, 31) as u32;
                let right = (-self.shift).clamp(0, 31) as u32;
                let high =
                    saturating_rounding_doubling_high_mul(x.wrapping_shl(left), self.multiplier);
                divide_by_pot(high, right)
            }
            Requantization::SingleRounding => {
                let total = (31 - self.shift.clamp(-31, 30)) as u32; // 1..=62
                let product = x as i128 * self.multiplier as i128;
                let (v, _) =
                    round_shift_signed(product, total, RoundingMode::NearestTowardPositive);
                v.clamp(i32::MIN as i128, i32::MAX as i128) as i32
            }
        }
    }
}

/// Splits a finite non-zero `f64` into sign, integer significand and exponent:
/// `|x| = sig · 2^exp` exactly.
pub(crate) fn decompose_f64(x: f64) -> (bool, u64, i32) {
    let bits = x.to_bits();
    let negative = bits >> 63 == 1;
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    if biased == 0 {
        (negative, frac, -1074)
    } else {
        (negative, frac | (1u64 << 52), biased - 1075)
    }
}

/// Rounds a finite `f64` to an integer with `mode` (through [`crate::round::round_shift`]),
/// saturating to the `i64` range. Non-finite input gives 0 (callers validate first).
pub(crate) fn round_f64_to_i64(x: f64, mode: RoundingMode) -> i64 {
    if !x.is_finite() || x == 0.0 {
        return 0;
    }
    let (negative, sig, exp) = decompose_f64(x);
    let mag: u128 = if exp >= 0 {
        if exp >= 64 {
            u128::MAX
        } else {
            (sig as u128) << exp
        }
    } else {
        round_shift(negative, sig as u128, (-exp) as u32, false, mode).value
    };
    if negative {
        if mag > 1u128 << 63 {
            i64::MIN
        } else {
            (mag as i128).wrapping_neg() as i64
        }
    } else {
        mag.min(i64::MAX as u128) as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_f64_to_i64_matches_native_nearest_even_and_directed() {
        for i in -4000..4000 {
            let x = i as f64 / 16.0;
            assert_eq!(
                round_f64_to_i64(x, RoundingMode::NearestEven),
                x.round_ties_even() as i64
            );
            assert_eq!(
                round_f64_to_i64(x, RoundingMode::NearestAway),
                x.round() as i64
            );
            assert_eq!(
                round_f64_to_i64(x, RoundingMode::TowardNegative),
                x.floor() as i64
            );
            assert_eq!(
                round_f64_to_i64(x, RoundingMode::TowardZero),
                x.trunc() as i64
            );
        }
        assert_eq!(round_f64_to_i64(1e300, RoundingMode::NearestEven), i64::MAX);
        assert_eq!(
            round_f64_to_i64(-1e300, RoundingMode::NearestEven),
            i64::MIN
        );
        assert_eq!(round_f64_to_i64(5e-324, RoundingMode::TowardPositive), 1);
    }

    #[test]
    fn decompose_is_exact() {
        for x in [1.0, -0.75, 3.0e-310, f64::MAX, 123.456] {
            let (n, s, e) = decompose_f64(x);
            let back = s as f64 * (2f64).powi(e);
            assert_eq!(if n { -back } else { back }, x);
        }
    }
}
