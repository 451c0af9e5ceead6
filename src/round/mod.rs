//! The one rounding step every lossy operation ends in.
//!
//! An operation computes an exact intermediate — a sign, the integer significand it keeps and
//! a summary of the bits it drops ([`Discarded`]) — and hands it to [`round`] with a
//! [`RoundingMode`]. Fixed-point multiply and divide, every floating-point operation and
//! quantization all go through this function, so a mode means the same thing everywhere.
//!
//! # Examples
//!
//! Round 0b1011.1 (11.5) to an integer: a tie, so the modes disagree.
//!
//! ```
//! use arithsim::round::{round_shift, RoundingMode};
//!
//! let r = round_shift(false, 0b10111, 1, false, RoundingMode::NearestEven);
//! assert_eq!((r.value, r.inexact), (12, true));
//! let r = round_shift(false, 0b10111, 1, false, RoundingMode::TowardZero);
//! assert_eq!(r.value, 11);
//! // Negative: -11.5 toward +inf is -11 (the magnitude is not incremented).
//! let r = round_shift(true, 0b10111, 1, false, RoundingMode::NearestTowardPositive);
//! assert_eq!(r.value, 11);
//! ```

mod discarded;
mod flags;
mod mode;

pub use discarded::{Discarded, LossClass};
pub use flags::Flags;
pub use mode::RoundingMode;

/// The outcome of [`round`]: the rounded magnitude and what happened to get there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub struct Rounded {
    /// The rounded magnitude: the kept significand, plus one if [`Rounded::incremented`].
    pub value: u128,
    /// The magnitude was incremented (rounded away from zero).
    pub incremented: bool,
    /// Some discarded bit was non-zero: the result is not exact.
    pub inexact: bool,
}

impl Rounded {
    /// True when the rounded value no longer fits in `width` bits: the increment carried out
    /// of the top bit (for a float significand, renormalize and bump the exponent).
    #[inline]
    pub fn carries_out_of(&self, width: u32) -> bool {
        width < 128 && self.value >> width != 0
    }

    /// [`Flags::INEXACT`] when inexact, else empty.
    #[inline]
    pub fn flags(&self) -> Flags {
        if self.inexact {
            Flags::INEXACT
        } else {
            Flags::empty()
        }
    }
}

/// Rounds a sign-magnitude intermediate to an integer magnitude.
///
/// `negative` is the sign of the exact value, `kept` its magnitude truncated toward zero, and
/// `discarded` what was cut off below `kept`'s least significant bit. The result is `kept` or
/// `kept + 1` (which can carry out of the caller's width: see [`Rounded::carries_out_of`]).
///
/// This is the only place in the crate that decides a rounding.
///
/// # Panics
///
/// Never: `kept + 1` is computed with wrapping only if `kept == u128::MAX`, which no caller in
/// this crate produces (significands are at most 113 bits).
///
/// # Examples
///
/// ```
/// use arithsim::round::{round, Discarded, RoundingMode};
///
/// // 5 + 3/4: more than half, so nearest rounds up, toward zero does not.
/// let d = Discarded::from_low_bits(0b11, 2, false);
/// assert_eq!(round(false, 5, d, RoundingMode::NearestEven).value, 6);
/// assert_eq!(round(false, 5, d, RoundingMode::TowardZero).value, 5);
/// assert_eq!(round(true, 5, d, RoundingMode::TowardNegative).value, 6); // -5.75 -> -6
/// ```
#[inline(always)]
pub fn round(negative: bool, kept: u128, discarded: Discarded, mode: RoundingMode) -> Rounded {
    // Branch-free where the data decides: the guard/sticky pattern of real data is
    // unpredictable, and float ops spend most of their time here otherwise. The sticky bit
    // is folded into bit 0 of `top` (HALF has bit 0 clear, so `t > HALF` is "above half",
    // `t == HALF` is an exact tie, and `t != 0` is "inexact"): one compare per mode.
    const HALF: u64 = 1 << 63;
    let t = discarded.top | discarded.sticky as u64;
    let inexact = t != 0;
    let odd = (kept & 1) as u64;
    // The default mode first, as one predictable compare, rather than an indirect jump
    // through the match's table on every operation.
    let up = if mode == RoundingMode::NearestEven {
        t > HALF - odd
    } else {
        round_up_other(negative, t, odd, discarded, mode)
    };
    Rounded {
        value: kept.wrapping_add(up as u128),
        incremented: up,
        inexact,
    }
}

/// [`round`]'s decision in the modes other than ties-to-even (`t`: the discarded fraction
/// with the sticky bit folded into bit 0; `odd`: the last kept bit).
#[inline(always)]
fn round_up_other(
    negative: bool,
    t: u64,
    odd: u64,
    discarded: Discarded,
    mode: RoundingMode,
) -> bool {
    const HALF: u64 = 1 << 63;
    let inexact = t != 0;
    match mode {
        // Above half, or a tie with an odd `kept`.
        RoundingMode::NearestEven => t > HALF - odd,
        RoundingMode::NearestAway => t >= HALF,
        RoundingMode::NearestTowardPositive => t > HALF - !negative as u64,
        RoundingMode::TowardZero => false,
        RoundingMode::TowardPositive => inexact & !negative,
        RoundingMode::TowardNegative => inexact & negative,
        // Round to odd: truncate, then force the last bit to 1 when anything was lost.
        // Incrementing an even `kept` by one is the same as setting its last bit.
        RoundingMode::ToOdd => inexact & (odd == 0),
        RoundingMode::Stochastic { random, bits } => {
            inexact & stochastic_up(discarded, random, bits)
        }
    }
}

/// The stochastic decision of [`round`], out of line so that the inlined deterministic
/// modes stay short.
#[inline(never)]
fn stochastic_up(discarded: Discarded, random: u64, bits: u32) -> bool {
    let k = bits.clamp(1, 64);
    let threshold = discarded.top_bits(k);
    let r = if k == 64 {
        random
    } else {
        random & ((1u64 << k) - 1)
    };
    r < threshold
}

/// Rounds `magnitude / 2^shift` to an integer: [`round`] with the low `shift` bits of
/// `magnitude` (and an optional `sticky_below` for bits lost earlier) as the discarded part.
///
/// `shift` may exceed 128 (everything is discarded).
///
/// # Examples
///
/// ```
/// use arithsim::round::{round_shift, RoundingMode};
///
/// // 0b1_0110 / 4 = 5.5 -> 6 under ties-to-even
/// assert_eq!(round_shift(false, 0b1_0110, 2, false, RoundingMode::NearestEven).value, 6);
/// ```
#[inline]
pub fn round_shift(
    negative: bool,
    magnitude: u128,
    shift: u32,
    sticky_below: bool,
    mode: RoundingMode,
) -> Rounded {
    let kept = if shift >= 128 { 0 } else { magnitude >> shift };
    round(
        negative,
        kept,
        Discarded::from_low_bits(magnitude, shift, sticky_below),
        mode,
    )
}

/// Rounds a signed (two's complement) `value / 2^shift` to an integer.
///
/// The sign-magnitude form goes through [`round`], so directed and tie-breaking modes act on
/// the true value: −2.5 under [`RoundingMode::NearestTowardPositive`] is −2.
/// Returns the rounded value and whether it was inexact.
///
/// # Examples
///
/// ```
/// use arithsim::round::{round_shift_signed, RoundingMode};
///
/// assert_eq!(round_shift_signed(-5, 1, RoundingMode::NearestTowardPositive), (-2, true));
/// assert_eq!(round_shift_signed(-5, 1, RoundingMode::NearestAway), (-3, true));
/// assert_eq!(round_shift_signed(-5, 1, RoundingMode::TowardNegative), (-3, true));
/// ```
#[inline]
pub fn round_shift_signed(value: i128, shift: u32, mode: RoundingMode) -> (i128, bool) {
    let negative = value < 0;
    let r = round_shift(negative, value.unsigned_abs(), shift, false, mode);
    // The magnitude is at most 2^127, so the negation fits; a positive 2^127 cannot arise
    // from a shift of at least one, and with shift 0 nothing is rounded.
    let v = if negative {
        (r.value as i128).wrapping_neg()
    } else {
        r.value as i128
    };
    (v, r.inexact)
}

/// Rounds the exact quotient `numerator / denominator` (both non-negative) to an integer.
///
/// # Errors
///
/// [`crate::Error::DivisionByZero`] when `denominator` is zero.
///
/// # Examples
///
/// ```
/// use arithsim::round::{round_div, RoundingMode};
///
/// assert_eq!(round_div(false, 7, 2, RoundingMode::NearestEven).unwrap().value, 4); // 3.5
/// assert_eq!(round_div(false, 5, 2, RoundingMode::NearestEven).unwrap().value, 2); // 2.5
/// ```
pub fn round_div(
    negative: bool,
    numerator: u128,
    denominator: u128,
    mode: RoundingMode,
) -> crate::Result<Rounded> {
    if denominator == 0 {
        return Err(crate::Error::DivisionByZero);
    }
    let q = numerator / denominator;
    let r = numerator % denominator;
    Ok(round(
        negative,
        q,
        Discarded::from_ratio(r, denominator),
        mode,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Independent reference: exact rational rounding of `sign * num / den` to an integer,
    /// written with plain integer comparisons.
    fn reference(negative: bool, num: u128, den: u128, mode: RoundingMode) -> u128 {
        let q = num / den;
        let rem = num % den;
        if rem == 0 {
            return q;
        }
        let twice = 2 * rem;
        let away = match mode {
            RoundingMode::NearestEven => twice > den || (twice == den && q % 2 == 1),
            RoundingMode::NearestAway => twice >= den,
            RoundingMode::NearestTowardPositive => twice > den || (twice == den && !negative),
            RoundingMode::TowardZero => false,
            RoundingMode::TowardPositive => !negative,
            RoundingMode::TowardNegative => negative,
            RoundingMode::ToOdd => q % 2 == 0,
            RoundingMode::Stochastic { .. } => unreachable!(),
        };
        q + away as u128
    }

    #[test]
    fn exhaustive_small_widths_every_mode_against_exact_rationals() {
        for mode in RoundingMode::DETERMINISTIC {
            for negative in [false, true] {
                for shift in 0..=7u32 {
                    for m in 0u128..1024 {
                        let r = round_shift(negative, m, shift, false, mode);
                        let want = reference(negative, m, 1 << shift, mode);
                        assert_eq!(r.value, want, "{mode:?} neg={negative} {m}/2^{shift}");
                        assert_eq!(r.inexact, m % (1 << shift) != 0);
                        assert_eq!(r.incremented, want != m >> shift);
                    }
                }
            }
        }
    }

    #[test]
    fn exhaustive_division_every_mode_against_exact_rationals() {
        for mode in RoundingMode::DETERMINISTIC {
            for negative in [false, true] {
                for den in 1u128..40 {
                    for num in 0u128..300 {
                        let r = round_div(negative, num, den, mode).unwrap();
                        assert_eq!(r.value, reference(negative, num, den, mode), "{num}/{den}");
                    }
                }
            }
        }
    }

    #[test]
    fn sticky_below_breaks_ties() {
        // 2.5 with something lost below: more than half.
        let r = round_shift(false, 0b101, 1, true, RoundingMode::NearestEven);
        assert_eq!(r.value, 3);
        let r = round_shift(false, 0b100, 1, true, RoundingMode::TowardPositive);
        assert_eq!((r.value, r.inexact), (3, true));
    }

    #[test]
    fn stochastic_rounds_up_with_probability_of_the_discarded_fraction() {
        // Discard 0b0110 (6/16): with 4 random bits, exactly the 6 values 0..6 round up.
        for k in [4u32, 8] {
            let n = 1u64 << k;
            let ups = (0..n)
                .filter(|&random| {
                    round_shift(
                        false,
                        0b1_0110,
                        4,
                        false,
                        RoundingMode::Stochastic { random, bits: k },
                    )
                    .incremented
                })
                .count() as u64;
            assert_eq!(ups * 16, 6 * n, "k={k}");
        }
        // Exact values never move.
        let r = round_shift(
            false,
            0b1_0000,
            4,
            false,
            RoundingMode::Stochastic { random: 0, bits: 8 },
        );
        assert_eq!((r.value, r.inexact), (1, false));
    }

    #[test]
    fn signed_rounding_matches_reference() {
        for mode in RoundingMode::DETERMINISTIC {
            for v in -600i128..600 {
                for s in 0..5 {
                    let (got, inexact) = round_shift_signed(v, s, mode);
                    let mag = reference(v < 0, v.unsigned_abs(), 1 << s, mode) as i128;
                    assert_eq!(got, if v < 0 { -mag } else { mag }, "{mode:?} {v}>>{s}");
                    assert_eq!(inexact, v.rem_euclid(1 << s) != 0);
                }
            }
        }
    }

    #[test]
    fn division_by_zero_is_an_error() {
        let e = round_div(false, 1, 0, RoundingMode::NearestEven).unwrap_err();
        assert_eq!(e.to_string(), "division by zero");
    }

    #[test]
    fn carry_out_detected() {
        let r = round_shift(false, 0b1_1111, 1, false, RoundingMode::NearestEven);
        assert_eq!(r.value, 0b1_0000);
        assert!(r.carries_out_of(4));
        assert!(!r.carries_out_of(5));
    }
}
