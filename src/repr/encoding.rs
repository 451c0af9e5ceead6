//! Integer encodings: what a bit pattern means.

use std::fmt;

use super::bits::{Bits, check_width, mask};
use super::wide::WideInt;
use crate::{Error, Result};

/// Widest pattern [`Encoding::table`] lists (2^16 rows).
pub const MAX_TABLE_WIDTH: u32 = crate::limits::ENCODING_TABLE_MAX_WIDTH;

/// How an `N`-bit pattern stands for an integer.
///
/// # Examples
///
/// ```
/// use arithsim::repr::{Bits, Encoding, WideInt};
///
/// let six = Encoding::SignMagnitude.encode(-6, 4)?;
/// assert_eq!(six.to_string(), "1110");
/// assert_eq!(Encoding::TwosComplement.encode(-6, 4)?.to_string(), "1010");
/// assert_eq!(Encoding::OnesComplement.encode(-6, 4)?.to_string(), "1001");
/// let (min, max) = Encoding::TwosComplement.range(4)?;
/// assert_eq!((min, max), (WideInt::from(-8), WideInt::from(7)));
/// assert_eq!(Encoding::Unsigned.decode(&Bits::parse("0b1110")?), WideInt::from(14));
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// `Σ b_i 2^i`: 0 … 2^N − 1.
    Unsigned,
    /// Top bit is the sign, the rest the magnitude: −(2^(N−1) − 1) … 2^(N−1) − 1, with two
    /// zeros (`0…0` and `10…0`).
    SignMagnitude,
    /// A negative value is the bitwise inverse of its magnitude: same range as
    /// sign-magnitude, two zeros (`0…0` and `1…1`).
    OnesComplement,
    /// The top bit weighs −2^(N−1): −2^(N−1) … 2^(N−1) − 1, one zero. What every
    /// modern integer datapath uses.
    TwosComplement,
}

impl Encoding {
    /// The four encodings: unsigned, then the signed ones in the order each fixes the
    /// previous one's flaw (sign-magnitude's special adder, one's complement's end-around
    /// carry and second zero, two's complement's single zero and plain binary adder). This
    /// is not the course's order: the number-systems chapter shows unsigned, sign-magnitude
    /// and two's complement only, and its summary number line (see
    /// [`number_line`](super::number_line)) puts two's complement before sign-magnitude.
    pub const ALL: [Encoding; 4] = [
        Encoding::Unsigned,
        Encoding::SignMagnitude,
        Encoding::OnesComplement,
        Encoding::TwosComplement,
    ];

    /// Smallest and largest value an `width`-bit pattern can hold.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidWidth`] unless `width` is in 1..=128.
    pub fn range(self, width: u32) -> Result<(WideInt, WideInt)> {
        check_width(width)?;
        let half = mask(width) >> 1; // 2^(N-1) - 1
        Ok(match self {
            Encoding::Unsigned => (WideInt::ZERO, WideInt::from(mask(width))),
            Encoding::SignMagnitude | Encoding::OnesComplement => {
                (WideInt::new(true, half), WideInt::from(half))
            }
            Encoding::TwosComplement => (WideInt::new(true, half + 1), WideInt::from(half)),
        })
    }

    /// The pattern of `value` in `width` bits (zero encodes as all zeros).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidWidth`] unless `width` is in 1..=128; [`Error::OutOfRange`] when
    /// `value` is outside [`Encoding::range`].
    pub fn encode(self, value: impl Into<WideInt>, width: u32) -> Result<Bits> {
        let value = value.into();
        let (min, max) = self.range(width)?;
        if value < min || value > max {
            return Err(Error::OutOfRange {
                value: value.to_string(),
                min: min.to_string(),
                max: max.to_string(),
                what: format!("{width}-bit {self}"),
            });
        }
        let m = value.magnitude();
        let pattern = if !value.is_negative() {
            m
        } else {
            match self {
                Encoding::Unsigned => unreachable!("range check rejects negatives"),
                Encoding::SignMagnitude => (1u128 << (width - 1)) | m,
                Encoding::OnesComplement => !m,
                Encoding::TwosComplement => m.wrapping_neg(),
            }
        };
        Ok(Bits::from_low(pattern, width))
    }

    /// The value of `bits`; never fails, since [`WideInt`] holds every width's range. Both
    /// zeros of sign-magnitude and one's complement decode to 0 (see
    /// [`Encoding::is_negative_zero`]).
    pub fn decode(self, bits: &Bits) -> WideInt {
        let width = bits.width();
        let p = bits.to_u128();
        let sign = bits.msb();
        match self {
            Encoding::Unsigned => WideInt::from(p),
            Encoding::SignMagnitude => WideInt::new(sign, p & (mask(width) >> 1)),
            Encoding::OnesComplement if sign => WideInt::new(true, !p & mask(width)),
            Encoding::TwosComplement if sign => WideInt::new(true, p.wrapping_neg() & mask(width)),
            _ => WideInt::from(p),
        }
    }

    /// True for the second zero of sign-magnitude (`10…0`) and one's complement (`1…1`).
    pub fn is_negative_zero(self, bits: &Bits) -> bool {
        match self {
            Encoding::SignMagnitude | Encoding::OnesComplement => {
                bits.msb() && self.decode(bits) == WideInt::ZERO
            }
            _ => false,
        }
    }

    /// Every `width`-bit pattern, from all zeros up, with its value: the course's table of
    /// the 16 patterns of 4 bits.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidWidth`] unless `width` is in 1..=16.
    ///
    /// ```
    /// use arithsim::repr::Encoding;
    /// let t = Encoding::SignMagnitude.table(4)?;
    /// assert_eq!(t.len(), 16);
    /// assert_eq!((t[8].0.to_string(), t[8].1.to_string()), ("1000".into(), "0".into()));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn table(self, width: u32) -> Result<Vec<(Bits, WideInt)>> {
        Error::check_width("table", width, 1, MAX_TABLE_WIDTH)?;
        Ok((0..1u128 << width)
            .map(|p| {
                let b = Bits::from_low(p, width);
                let v = self.decode(&b);
                (b, v)
            })
            .collect())
    }

    /// Short name (`unsigned`, `sign-magnitude`, `one's complement`, `two's complement`).
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Unsigned => "unsigned",
            Encoding::SignMagnitude => "sign-magnitude",
            Encoding::OnesComplement => "one's complement",
            Encoding::TwosComplement => "two's complement",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_bit_ranges_and_zeros() {
        let sm = Encoding::SignMagnitude;
        assert_eq!(sm.range(4).unwrap(), (WideInt::from(-7), WideInt::from(7)));
        let zeros: Vec<String> = sm
            .table(4)
            .unwrap()
            .into_iter()
            .filter(|(_, v)| *v == WideInt::ZERO)
            .map(|(b, _)| b.to_string())
            .collect();
        assert_eq!(zeros, ["0000", "1000"]);
        let ones = Encoding::OnesComplement;
        assert!(ones.is_negative_zero(&Bits::parse("0b1111").unwrap()));
        assert!(!Encoding::TwosComplement.is_negative_zero(&Bits::parse("0b1000").unwrap()));
    }

    #[test]
    fn widest_patterns() {
        let all = Bits::from_u128(u128::MAX, 128).unwrap();
        assert_eq!(Encoding::Unsigned.decode(&all), WideInt::from(u128::MAX));
        assert_eq!(Encoding::TwosComplement.decode(&all), WideInt::from(-1));
        let min = Encoding::TwosComplement.encode(i128::MIN, 128).unwrap();
        assert_eq!(
            Encoding::TwosComplement.decode(&min),
            WideInt::from(i128::MIN)
        );
        assert!(Encoding::SignMagnitude.encode(i128::MIN, 128).is_err());
    }
}
