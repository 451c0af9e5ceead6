//! `WideInt`: an integer wide enough for every pattern of up to 128 bits in every encoding.

use std::cmp::Ordering;
use std::fmt;

/// A sign and a 128-bit magnitude: every integer from −(2^128 − 1) to 2^128 − 1.
///
/// `i128` cannot hold a 128-bit unsigned pattern and `u128` cannot hold a negative one; this
/// holds both, so decoding never fails. Zero is never negative. It stays next to
/// `num_bigint::BigInt` (which the crate uses for exact rationals) because it is `Copy`,
/// `const`, 17 bytes and allocation-free, as decoding every pattern of a format asks; it
/// converts to `BigInt` exactly (`From`) and back where it fits (`TryFrom`).
///
/// # Examples
///
/// ```
/// use arithsim::repr::WideInt;
///
/// let big = WideInt::from(u128::MAX);
/// assert_eq!(big.to_i128(), None);
/// assert_eq!(big.to_u128(), Some(u128::MAX));
/// assert_eq!((-WideInt::from(5i32)).to_string(), "-5");
/// assert!(WideInt::from(-1i64) < WideInt::ZERO);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct WideInt {
    negative: bool,
    magnitude: u128,
}

impl WideInt {
    /// Zero.
    pub const ZERO: WideInt = WideInt {
        negative: false,
        magnitude: 0,
    };

    /// `-magnitude` if `negative`, else `magnitude` (a negative zero becomes zero).
    #[inline]
    pub const fn new(negative: bool, magnitude: u128) -> WideInt {
        WideInt {
            negative: negative && magnitude != 0,
            magnitude,
        }
    }

    /// True below zero.
    #[inline]
    pub const fn is_negative(self) -> bool {
        self.negative
    }

    /// The absolute value.
    #[inline]
    pub const fn magnitude(self) -> u128 {
        self.magnitude
    }

    /// The value as `i128`, if it fits.
    #[inline]
    pub const fn to_i128(self) -> Option<i128> {
        if self.negative {
            if self.magnitude <= 1u128 << 127 {
                Some((self.magnitude as i128).wrapping_neg())
            } else {
                None
            }
        } else if self.magnitude <= i128::MAX as u128 {
            Some(self.magnitude as i128)
        } else {
            None
        }
    }

    /// The value as `u128`, if it is not negative.
    #[inline]
    pub const fn to_u128(self) -> Option<u128> {
        if self.negative {
            None
        } else {
            Some(self.magnitude)
        }
    }

    /// The value modulo 2^128, as a two's complement pattern.
    #[inline]
    pub const fn low_u128(self) -> u128 {
        if self.negative {
            self.magnitude.wrapping_neg()
        } else {
            self.magnitude
        }
    }
}

impl std::ops::Neg for WideInt {
    type Output = WideInt;
    /// Always exact: the range is symmetric.
    fn neg(self) -> WideInt {
        WideInt::new(!self.negative, self.magnitude)
    }
}

impl Ord for WideInt {
    fn cmp(&self, other: &WideInt) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.magnitude.cmp(&other.magnitude),
            (true, true) => other.magnitude.cmp(&self.magnitude),
        }
    }
}

impl PartialOrd for WideInt {
    fn partial_cmp(&self, other: &WideInt) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for WideInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.negative {
            f.write_str("-")?;
        }
        write!(f, "{}", self.magnitude)
    }
}

impl From<u128> for WideInt {
    fn from(v: u128) -> WideInt {
        WideInt::new(false, v)
    }
}

impl From<i128> for WideInt {
    fn from(v: i128) -> WideInt {
        WideInt::new(v < 0, v.unsigned_abs())
    }
}

impl From<u64> for WideInt {
    fn from(v: u64) -> WideInt {
        WideInt::from(v as u128)
    }
}

impl From<i64> for WideInt {
    fn from(v: i64) -> WideInt {
        WideInt::from(v as i128)
    }
}

impl From<u32> for WideInt {
    fn from(v: u32) -> WideInt {
        WideInt::from(v as u128)
    }
}

impl From<i32> for WideInt {
    fn from(v: i32) -> WideInt {
        WideInt::from(v as i128)
    }
}

/// Exact: every `WideInt` is a `BigInt`.
///
/// ```
/// use arithsim::repr::WideInt;
/// use num_bigint::BigInt;
/// let b = BigInt::from(WideInt::new(true, u128::MAX));
/// assert_eq!(b, -BigInt::from(u128::MAX));
/// assert_eq!(WideInt::try_from(&b)?, WideInt::new(true, u128::MAX));
/// assert!(WideInt::try_from(&(b * 2)).is_err());
/// # Ok::<(), arithsim::Error>(())
/// ```
impl From<WideInt> for num_bigint::BigInt {
    fn from(v: WideInt) -> num_bigint::BigInt {
        let m = num_bigint::BigInt::from(v.magnitude);
        if v.negative { -m } else { m }
    }
}

/// The `BigInt` if its magnitude fits 128 bits.
impl TryFrom<&num_bigint::BigInt> for WideInt {
    type Error = crate::Error;

    fn try_from(v: &num_bigint::BigInt) -> crate::Result<WideInt> {
        let magnitude =
            u128::try_from(v.magnitude()).map_err(|_| crate::Error::InvalidParameter {
                name: "WideInt",
                value: v.to_string(),
                reason: "magnitude above 2^128 - 1".into(),
            })?;
        Ok(WideInt::new(v.sign() == num_bigint::Sign::Minus, magnitude))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigint_round_trip() {
        for v in [
            WideInt::ZERO,
            WideInt::from(i128::MIN),
            WideInt::from(u128::MAX),
            WideInt::new(true, u128::MAX),
            WideInt::from(-7i32),
        ] {
            let b = num_bigint::BigInt::from(v);
            assert_eq!(b.to_string(), v.to_string());
            assert_eq!(WideInt::try_from(&b).unwrap(), v);
        }
        let too_big = num_bigint::BigInt::from(u128::MAX) + 1;
        assert!(WideInt::try_from(&too_big).is_err());
        assert!(WideInt::try_from(&-too_big).is_err());
    }

    #[test]
    fn conversions_at_the_edges() {
        assert_eq!(WideInt::from(i128::MIN).to_i128(), Some(i128::MIN));
        assert_eq!(WideInt::from(i128::MIN).magnitude(), 1 << 127);
        assert_eq!(WideInt::new(true, (1 << 127) + 1).to_i128(), None);
        assert_eq!(WideInt::from(-1i32).to_u128(), None);
        assert_eq!(WideInt::new(true, 0), WideInt::ZERO);
        assert_eq!(WideInt::from(-1i32).low_u128(), u128::MAX);
        let mut v = [
            WideInt::from(3i32),
            WideInt::from(u128::MAX),
            WideInt::new(true, u128::MAX),
            WideInt::ZERO,
            WideInt::from(-3i32),
        ];
        v.sort();
        let s: Vec<String> = v.iter().map(|x| x.to_string()).collect();
        assert_eq!(s[0], format!("-{}", u128::MAX));
        assert_eq!(&s[1..4], ["-3", "0", "3"]);
    }
}
