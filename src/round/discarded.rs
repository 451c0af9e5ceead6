//! What an operation cut off below the bits it keeps.

/// The discarded part of an exact intermediate, as a binary fraction of one unit in the last
/// kept place: `top` holds its first 64 bits left-aligned (bit 63 weighs ½, bit 62 ¼, ...) and
/// `sticky` is the OR of every bit below those.
///
/// Guard, round and sticky bits are the first two bits of `top` and the OR of the rest; the
/// extra width is what stochastic rounding with up to 64 random bits needs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Discarded {
    /// The first 64 discarded bits, most significant (the ½ bit) at bit 63.
    pub top: u64,
    /// Some bit below `top` is set.
    pub sticky: bool,
}

/// The discarded part compared with half a unit in the last place (rustc_apfloat's `Loss`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LossClass {
    /// Nothing was discarded: the kept value is exact.
    ExactlyZero,
    /// Less than half a unit.
    LessThanHalf,
    /// Exactly half a unit: a tie.
    ExactlyHalf,
    /// More than half a unit.
    MoreThanHalf,
}

impl Discarded {
    /// Nothing discarded.
    pub const ZERO: Discarded = Discarded {
        top: 0,
        sticky: false,
    };

    /// The low `count` bits of `value` (count may exceed 128), with `sticky_below` for bits
    /// lost before.
    ///
    /// ```
    /// use arithsim::round::{Discarded, LossClass};
    /// assert_eq!(Discarded::from_low_bits(0b10, 2, false).class(), LossClass::ExactlyHalf);
    /// assert_eq!(Discarded::from_low_bits(0b10, 2, true).class(), LossClass::MoreThanHalf);
    /// ```
    #[inline]
    pub fn from_low_bits(value: u128, count: u32, sticky_below: bool) -> Discarded {
        if count == 0 {
            return Discarded {
                top: 0,
                sticky: sticky_below,
            };
        }
        if count > 128 {
            // All of `value` sits below the first `count - 128` fraction bits.
            let lead = count - 128;
            if lead >= 64 {
                return Discarded {
                    top: 0,
                    sticky: sticky_below || value != 0,
                };
            }
            let aligned = value >> (64 + lead);
            let rest = value & ((1u128 << (64 + lead)) - 1);
            return Discarded {
                top: aligned as u64,
                sticky: sticky_below || rest != 0,
            };
        }
        let low = if count == 128 {
            value
        } else {
            value & ((1u128 << count) - 1)
        };
        // Left-align the `count` discarded bits in a 128-bit field, then split off 64.
        let aligned = low << (128 - count);
        Discarded {
            top: (aligned >> 64) as u64,
            sticky: sticky_below || (aligned as u64) != 0,
        }
    }

    /// The fraction `remainder / divisor` (with `remainder < divisor`), to 64 bits and a
    /// sticky bit: what a divider leaves behind.
    ///
    /// ```
    /// use arithsim::round::{Discarded, LossClass};
    /// assert_eq!(Discarded::from_ratio(1, 3).class(), LossClass::LessThanHalf);
    /// assert_eq!(Discarded::from_ratio(2, 3).class(), LossClass::MoreThanHalf);
    /// assert_eq!(Discarded::from_ratio(3, 6).class(), LossClass::ExactlyHalf);
    /// ```
    pub fn from_ratio(remainder: u128, divisor: u128) -> Discarded {
        debug_assert!(divisor != 0 && remainder < divisor);
        if remainder == 0 {
            return Discarded::ZERO;
        }
        if divisor <= u64::MAX as u128 {
            // One 128-by-64 step: (r << 64) / d fits because r < d < 2^64.
            let n = remainder << 64;
            return Discarded {
                top: (n / divisor) as u64,
                sticky: n % divisor != 0,
            };
        }
        // Long division, one bit at a time, for divisors above 2^64 (rare).
        let mut r = remainder;
        let mut top = 0u64;
        for _ in 0..64 {
            // r < d, so 2r < 2d; compare without overflowing 128 bits.
            let bit = r >= divisor - r;
            r = if bit { r - (divisor - r) } else { r << 1 };
            top = (top << 1) | bit as u64;
        }
        Discarded {
            top,
            sticky: r != 0,
        }
    }

    /// Nothing was discarded.
    #[inline]
    pub fn is_zero(&self) -> bool {
        self.top == 0 && !self.sticky
    }

    /// At least half a unit was discarded.
    #[inline]
    pub fn at_least_half(&self) -> bool {
        self.top >> 63 == 1
    }

    /// Compares the discarded part with half a unit.
    #[inline]
    pub fn class(&self) -> LossClass {
        const HALF: u64 = 1 << 63;
        match (self.top, self.sticky) {
            (0, false) => LossClass::ExactlyZero,
            (HALF, false) => LossClass::ExactlyHalf,
            (t, _) if t >= HALF => LossClass::MoreThanHalf,
            _ => LossClass::LessThanHalf,
        }
    }

    /// The first `k` discarded bits (1..=64) as an integer: the guard bit is `top_bits(1)`.
    #[inline]
    pub fn top_bits(&self, k: u32) -> u64 {
        let k = k.clamp(1, 64);
        self.top >> (64 - k)
    }

    /// Guard (½), round (¼) and sticky (everything below) bits, for explain traces.
    #[inline]
    pub fn guard_round_sticky(&self) -> (bool, bool, bool) {
        (
            self.top >> 63 == 1,
            (self.top >> 62) & 1 == 1,
            self.sticky || self.top << 2 != 0,
        )
    }

    /// Merges bits lost further down: `self` with its sticky bit also covering `below`.
    #[inline]
    pub fn with_sticky(self, below: bool) -> Discarded {
        Discarded {
            top: self.top,
            sticky: self.sticky || below,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_bits_alignment() {
        let d = Discarded::from_low_bits(0b1011, 4, false);
        assert_eq!(d.top, 0b1011u64 << 60);
        assert!(!d.sticky);
        assert_eq!(d.guard_round_sticky(), (true, false, true));
        // 70 discarded bits: the 6 lowest become sticky.
        let d = Discarded::from_low_bits((1u128 << 69) | 1, 70, false);
        assert_eq!(d.top, 1 << 63);
        assert!(d.sticky);
        // Beyond 128 bits: everything is below the half bit.
        let d = Discarded::from_low_bits(u128::MAX, 130, false);
        assert_eq!(d.top, u64::MAX >> 2);
        assert!(d.sticky);
        let d = Discarded::from_low_bits(1, 300, false);
        assert_eq!((d.top, d.sticky), (0, true));
        let d = Discarded::from_low_bits(u128::MAX, 128, false);
        assert_eq!((d.top, d.sticky), (u64::MAX, true));
    }

    #[test]
    fn ratio_long_division_matches_short() {
        for (r, d) in [(1u128, 3u128), (5, 7), (999, 1000), (1, 2)] {
            let big = 1u128 << 70;
            assert_eq!(
                Discarded::from_ratio(r * big, d * big),
                Discarded::from_ratio(r, d)
            );
        }
    }
}
