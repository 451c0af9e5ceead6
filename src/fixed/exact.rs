//! The exact intermediate of a fixed-point operation, before the overflow policy is applied.
//!
//! Every operation computes its result exactly (after the one rounding step, for mul, div and
//! conversions), as an [`Exact`], and then one of four policies (checked, wrapping,
//! saturating, overflowing) maps it onto the target format.

use super::{Fixed, FixedFormat};
use crate::round::{Discarded, RoundingMode, round};

/// An exact integer result in raw units of the target format.
///
/// `low` is the value modulo 2^128 (two's complement), which is all wrapping needs. When
/// `small` the value is exactly `low as i128`; otherwise it is known to be far outside every
/// format (magnitude above 2^126), with sign `negative`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Exact {
    pub(crate) low: u128,
    pub(crate) negative: bool,
    pub(crate) small: bool,
}

/// How an [`Exact`] landed in a format.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Landed {
    /// The low N bits (what a wrapping datapath keeps).
    pub(crate) wrapped: Fixed,
    /// Clamped to the format's range.
    pub(crate) saturated: Fixed,
    /// The exact value was outside the format's range.
    pub(crate) overflow: bool,
}

impl Exact {
    /// An exact value that fits i128.
    #[inline]
    pub(crate) fn from_i128(v: i128) -> Exact {
        Exact {
            low: v as u128,
            negative: v < 0,
            small: true,
        }
    }

    /// A sign-magnitude value; `magnitude` is modulo 2^128 and `beyond` says the true
    /// magnitude is at least 2^128.
    #[inline]
    pub(crate) fn from_sign_magnitude(negative: bool, magnitude: u128, beyond: bool) -> Exact {
        let negative = negative && (magnitude != 0 || beyond);
        let small =
            !beyond && (magnitude <= i128::MAX as u128 || (negative && magnitude == 1u128 << 127));
        Exact {
            low: if negative {
                magnitude.wrapping_neg()
            } else {
                magnitude
            },
            negative,
            small,
        }
    }

    /// The value, when it fits i128.
    #[inline]
    pub(crate) fn value(self) -> Option<i128> {
        self.small.then_some(self.low as i128)
    }

    /// Maps the exact value onto `format`.
    #[inline]
    pub(crate) fn land(self, format: FixedFormat) -> Landed {
        let wrapped = Fixed::from_pattern_unchecked(format, self.low as u64);
        match self.value() {
            Some(v) if format.contains_raw(v) => Landed {
                wrapped,
                saturated: wrapped,
                overflow: false,
            },
            _ => Landed {
                wrapped,
                saturated: if self.negative {
                    Fixed::min_value(format)
                } else {
                    Fixed::max_value(format)
                },
                overflow: true,
            },
        }
    }

    /// The exact value in decimal, scaled by `2^-frac_bits`, for error messages.
    pub(crate) fn describe(self, frac_bits: u32) -> String {
        match self.value() {
            Some(v) => super::value::decimal(v < 0, v.unsigned_abs(), frac_bits),
            None => format!(
                "{}(beyond 2^126)×2^-{frac_bits}",
                if self.negative { "-" } else { "" }
            ),
        }
    }
}

/// `acc · 2^-acc_frac + (±product) · 2^-product_frac`, rounded once to `acc_frac` fraction
/// bits with `mode`: the exact core of multiply, multiply-accumulate and format conversion.
///
/// `acc` is a raw value of at most 64 bits, `acc_frac <= 64`, `product_frac <= 128`, and
/// `product` is any magnitude below 2^128. The rounding decision is made by
/// [`crate::round::round`] on the exact sign-magnitude sum.
pub(crate) fn scaled_sum(
    acc: i128,
    acc_frac: u32,
    product_negative: bool,
    product: u128,
    product_frac: u32,
    mode: RoundingMode,
) -> (Exact, bool) {
    let product_negative = product_negative && product != 0;
    if acc_frac >= product_frac {
        // Align the product up: exact, no rounding.
        let k = acc_frac - product_frac;
        let beyond = k > 0 && product != 0 && product.leading_zeros() < k;
        let aligned = if k >= 128 { 0 } else { product << k };
        let p = Exact::from_sign_magnitude(product_negative, aligned, beyond);
        let sum = match p.value().and_then(|p| p.checked_add(acc)) {
            Some(v) => Exact::from_i128(v),
            // |product| is at least 2^127 - 2^64 here, so it decides the sign.
            None => Exact {
                low: p.low.wrapping_add(acc as u128),
                negative: product_negative,
                small: false,
            },
        };
        return (sum, false);
    }
    // The product has `s` more fraction bits than the accumulator: split it into the part
    // that lines up with the accumulator (`hi`) and the `s` bits below (`lo`).
    let s = product_frac - acc_frac;
    let mask = if s >= 128 {
        u128::MAX
    } else {
        (1u128 << s) - 1
    };
    let hi = if s >= 128 { 0 } else { product >> s };
    let lo = product & mask;
    let a = acc.unsigned_abs();
    let acc_negative = acc < 0;
    // Sign-magnitude sum: (sign, kept magnitude, discarded fraction).
    let (negative, kept, discarded) = if acc == 0 || acc_negative == product_negative {
        (
            product_negative || acc_negative,
            a + hi,
            Discarded::from_low_bits(lo, s, false),
        )
    } else if a > hi || (a == hi && lo == 0) {
        // |acc| wins: |acc| - hi - lo/2^s = (|acc| - hi - 1) + (2^s - lo)/2^s.
        if lo == 0 {
            (acc_negative, a - hi, Discarded::ZERO)
        } else {
            let complement = lo.wrapping_neg() & mask;
            (
                acc_negative,
                a - hi - 1,
                Discarded::from_low_bits(complement, s, false),
            )
        }
    } else {
        (
            product_negative,
            hi - a,
            Discarded::from_low_bits(lo, s, false),
        )
    };
    let r = round(negative, kept, discarded, mode);
    (
        Exact::from_sign_magnitude(negative, r.value, false),
        r.inexact,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_magnitude_edges() {
        let e = Exact::from_sign_magnitude(true, 1u128 << 127, false);
        assert_eq!(e.value(), Some(i128::MIN));
        let e = Exact::from_sign_magnitude(false, 1u128 << 127, false);
        assert_eq!(e.value(), None);
        assert!(!e.negative);
        let e = Exact::from_sign_magnitude(true, 0, false);
        assert_eq!((e.value(), e.negative), (Some(0), false));
    }

    #[test]
    fn scaled_sum_matches_exact_small_cases() {
        // acc = 5 (frac 0) + (-3)/4 = 4.25 -> 4 (nearest), 5 (up)
        let (e, inexact) = scaled_sum(5, 0, true, 3, 2, RoundingMode::NearestEven);
        assert_eq!((e.value(), inexact), (Some(4), true));
        let (e, _) = scaled_sum(5, 0, true, 3, 2, RoundingMode::TowardPositive);
        assert_eq!(e.value(), Some(5));
        // acc = -1 + 7/4 = 0.75 -> 1 (nearest), 0 (toward zero)
        let (e, _) = scaled_sum(-1, 0, false, 7, 2, RoundingMode::NearestEven);
        assert_eq!(e.value(), Some(1));
        let (e, _) = scaled_sum(-1, 0, false, 7, 2, RoundingMode::TowardZero);
        assert_eq!(e.value(), Some(0));
        // Huge aligned products are flagged, keep their sign and their low bits.
        let (e, _) = scaled_sum(1, 64, true, u64::MAX as u128, 0, RoundingMode::NearestEven);
        assert!(!e.small && e.negative);
        assert_eq!(e.low, 1u128.wrapping_sub((u64::MAX as u128) << 64));
    }
}
