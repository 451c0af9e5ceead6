//! `Bits`: a fixed-width bit pattern, 1 to 128 bits, on `BitVec<u64, Lsb0>`.

use std::fmt;
use std::ops::Range;

use bitvec::prelude::{BitSlice, BitVec, Lsb0};

use crate::{Error, Result};

/// Widest pattern, in bits.
pub const MAX_BITS: u32 = crate::limits::BITS_MAX_WIDTH;

/// A bit pattern of a fixed width (1..=128), bit 0 the least significant.
///
/// It is the type for showing, slicing, parsing and building patterns; it says nothing about
/// what the pattern means (that is an [`crate::repr::Encoding`]). It prints MSB first with
/// every bit of its width, leading zeros included.
///
/// # Examples
///
/// ```
/// use arithsim::repr::Bits;
///
/// let b = Bits::parse("0b1011_0110")?;
/// assert_eq!((b.width(), b.to_u128()), (8, 0b1011_0110));
/// assert_eq!(b.to_string(), "10110110");
/// assert_eq!(b.to_binary_grouped(), "1011 0110");
/// assert_eq!(b.to_hex(), "B6");
/// assert!(b.msb() && !b.lsb());
/// assert_eq!(b.to_i128(), -74); // read as two's complement
///
/// let h = Bits::parse("0x4AF")?;
/// assert_eq!((h.width(), h.to_u128()), (12, 1199));
/// assert_eq!(h.to_binary_grouped(), "0100 1010 1111");
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Bits {
    bits: BitVec<u64, Lsb0>,
}

/// Checks a pattern width.
pub(crate) fn check_width(width: u32) -> Result<u32> {
    Error::check_width("bit pattern", width, 1, MAX_BITS)
}

/// All ones in the low `width` bits (width 1..=128).
#[inline]
pub(crate) const fn mask(width: u32) -> u128 {
    u128::MAX >> (128 - width)
}

impl Bits {
    /// The low `width` bits of `value` (width already checked).
    pub(crate) fn from_low(value: u128, width: u32) -> Bits {
        let value = value & mask(width);
        let mut bits = BitVec::from_vec(vec![value as u64, (value >> 64) as u64]);
        bits.truncate(width as usize);
        Bits { bits }
    }

    /// All zeros.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidWidth`] unless `width` is in 1..=128.
    pub fn zero(width: u32) -> Result<Bits> {
        Ok(Bits::from_low(0, check_width(width)?))
    }

    /// The pattern of `value` in `width` bits, unsigned.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidWidth`] unless `width` is in 1..=128; [`Error::OutOfRange`] when
    /// `value` needs more than `width` bits.
    pub fn from_u128(value: u128, width: u32) -> Result<Bits> {
        check_width(width)?;
        if value & !mask(width) != 0 {
            return Err(Error::OutOfRange {
                value: value.to_string(),
                min: "0".into(),
                max: mask(width).to_string(),
                what: format!("{width}-bit unsigned pattern"),
            });
        }
        Ok(Bits::from_low(value, width))
    }

    /// The two's complement pattern of `value` in `width` bits.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidWidth`] unless `width` is in 1..=128; [`Error::OutOfRange`] outside
    /// −2^(width−1) … 2^(width−1) − 1.
    pub fn from_i128(value: i128, width: u32) -> Result<Bits> {
        check_width(width)?;
        let min = if width == 128 {
            i128::MIN
        } else {
            -(1i128 << (width - 1))
        };
        let max = (mask(width) >> 1) as i128;
        if value < min || value > max {
            return Err(Error::OutOfRange {
                value: value.to_string(),
                min: min.to_string(),
                max: max.to_string(),
                what: format!("{width}-bit two's complement pattern"),
            });
        }
        Ok(Bits::from_low(value as u128, width))
    }

    /// A copy of `slice` (bit 0 of the slice is the least significant bit).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidWidth`] unless the slice has 1..=128 bits.
    pub fn from_bitslice(slice: &BitSlice<u64, Lsb0>) -> Result<Bits> {
        let width = u32::try_from(slice.len()).unwrap_or(u32::MAX);
        check_width(width)?;
        let value = slice
            .iter()
            .by_vals()
            .enumerate()
            .fold(0u128, |v, (i, b)| v | (b as u128) << i);
        Ok(Bits::from_low(value, width))
    }

    /// The pattern as a bit slice, bit 0 first.
    #[inline]
    pub fn as_bitslice(&self) -> &BitSlice<u64, Lsb0> {
        &self.bits
    }

    /// Width in bits.
    #[inline]
    pub fn width(&self) -> u32 {
        self.bits.len() as u32
    }

    /// The pattern read as an unsigned integer.
    #[inline]
    pub fn to_u128(&self) -> u128 {
        let w = self.bits.as_raw_slice();
        let lo = w.first().copied().unwrap_or(0) as u128;
        let hi = w.get(1).copied().unwrap_or(0) as u128;
        (lo | hi << 64) & mask(self.width())
    }

    /// The pattern read as a two's complement integer (sign-extended from its top bit).
    #[inline]
    pub fn to_i128(&self) -> i128 {
        let shift = 128 - self.width();
        ((self.to_u128() << shift) as i128) >> shift
    }

    /// The most significant bit (the sign bit of signed encodings).
    #[inline]
    pub fn msb(&self) -> bool {
        self.to_u128() >> (self.width() - 1) == 1
    }

    /// The least significant bit.
    #[inline]
    pub fn lsb(&self) -> bool {
        self.to_u128() & 1 == 1
    }

    /// Bit `i`, counting from 0 at the least significant end.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] when `i >= width`.
    pub fn bit(&self, i: u32) -> Result<bool> {
        self.check_index("bit index", i, self.width())?;
        Ok(self.to_u128() >> i & 1 == 1)
    }

    /// Nibble `i` (bits `4i .. 4i+4`), counting from the least significant end; a partial top
    /// nibble reads as if zero-padded.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] when `i` is not below `ceil(width / 4)`.
    pub fn nibble(&self, i: u32) -> Result<u8> {
        self.check_index("nibble index", i, self.width().div_ceil(4))?;
        Ok((self.to_u128() >> (4 * i)) as u8 & 0xf)
    }

    /// Byte `i` (bits `8i .. 8i+8`), counting from the least significant end; a partial top
    /// byte reads as if zero-padded.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] when `i` is not below `ceil(width / 8)`.
    pub fn byte(&self, i: u32) -> Result<u8> {
        self.check_index("byte index", i, self.width().div_ceil(8))?;
        Ok((self.to_u128() >> (8 * i)) as u8)
    }

    fn check_index(&self, what: &str, i: u32, count: u32) -> Result<()> {
        if i < count {
            Ok(())
        } else {
            Err(Error::OutOfRange {
                value: i.to_string(),
                min: "0".into(),
                max: (count - 1).to_string(),
                what: format!("{what} of the {}-bit pattern", self.width()),
            })
        }
    }

    /// Bits `range.start .. range.end` as a new pattern (Verilog `x[end-1:start]`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for an empty range or one reaching past the width.
    ///
    /// ```
    /// use arithsim::repr::Bits;
    /// let b = Bits::parse("0b1011_0110")?;
    /// assert_eq!(b.slice(4..8)?.to_string(), "1011");
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn slice(&self, range: Range<u32>) -> Result<Bits> {
        if range.start >= range.end || range.end > self.width() {
            return Err(Error::param(
                "bit range",
                format!("{}..{}", range.start, range.end),
                format!(
                    "must be non-empty and within 0..{} of the pattern",
                    self.width()
                ),
            ));
        }
        Ok(Bits::from_low(
            self.to_u128() >> range.start,
            range.end - range.start,
        ))
    }

    /// `self` on top of `low` (Verilog `{self, low}`): `low` keeps bit positions 0.., `self`
    /// moves above it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidWidth`] when the total width exceeds 128.
    ///
    /// ```
    /// use arithsim::repr::Bits;
    /// let hi = Bits::parse("0b10")?;
    /// let lo = Bits::parse("0x5")?;
    /// assert_eq!(hi.concat(&lo)?.to_string(), "100101");
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn concat(&self, low: &Bits) -> Result<Bits> {
        let width = Error::check_width(
            "concatenated pattern",
            self.width() + low.width(),
            1,
            MAX_BITS,
        )?;
        let value = if low.width() == 128 {
            low.to_u128()
        } else {
            self.to_u128() << low.width() | low.to_u128()
        };
        Ok(Bits::from_low(value, width))
    }

    /// Number of 1 bits.
    #[inline]
    pub fn count_ones(&self) -> u32 {
        self.to_u128().count_ones()
    }

    /// Number of 0 bits above the highest 1 bit, within the width (the width if all zero).
    #[inline]
    pub fn leading_zeros(&self) -> u32 {
        self.to_u128().leading_zeros() - (128 - self.width())
    }

    /// Every bit inverted (one's complement of the pattern).
    #[inline]
    pub fn not(&self) -> Bits {
        Bits::from_low(!self.to_u128(), self.width())
    }

    /// Binary digits, MSB first, exactly `width` of them.
    pub fn to_binary(&self) -> String {
        self.digits(1)
    }

    /// Binary digits, MSB first, in groups of four counted from the least significant end,
    /// separated by spaces (`0100 1010 1111`).
    pub fn to_binary_grouped(&self) -> String {
        let digits = self.to_binary();
        let first = digits.len() % 4;
        let mut out = String::with_capacity(digits.len() * 5 / 4);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (i + 4 - first) % 4 == 0 {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }

    /// Octal digits, `ceil(width / 3)` of them.
    pub fn to_octal(&self) -> String {
        self.digits(3)
    }

    /// Upper-case hex digits, `ceil(width / 4)` of them.
    pub fn to_hex(&self) -> String {
        self.digits(4)
    }

    /// The unsigned value in decimal.
    pub fn to_decimal(&self) -> String {
        self.to_u128().to_string()
    }

    /// Digits of `bits_per_digit` bits each, MSB first, covering the whole width.
    fn digits(&self, bits_per_digit: u32) -> String {
        let v = self.to_u128();
        let count = self.width().div_ceil(bits_per_digit);
        (0..count)
            .rev()
            .map(|i| {
                let d = (v >> (i * bits_per_digit)) as u32 & ((1 << bits_per_digit) - 1);
                char::from_digit(d, 16).unwrap_or('?').to_ascii_uppercase()
            })
            .collect()
    }
}

impl fmt::Display for Bits {
    /// Binary, MSB first, every bit of the width.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_binary())
    }
}

impl std::str::FromStr for Bits {
    type Err = Error;
    /// [`Bits::parse`]: `"0x4AF".parse::<Bits>()`.
    fn from_str(s: &str) -> Result<Bits> {
        Bits::parse(s)
    }
}

impl fmt::Binary for Bits {
    /// Every bit of the width, MSB first (`{:#b}` adds `0b`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad_integral(true, "0b", &self.to_binary())
    }
}

impl fmt::Octal for Bits {
    /// `ceil(width / 3)` digits (`{:#o}` adds `0o`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad_integral(true, "0o", &self.to_octal())
    }
}

impl fmt::UpperHex for Bits {
    /// `ceil(width / 4)` digits (`{:#X}` adds `0x`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad_integral(true, "0x", &self.to_hex())
    }
}

impl fmt::LowerHex for Bits {
    /// `ceil(width / 4)` digits (`{:#x}` adds `0x`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad_integral(true, "0x", &self.to_hex().to_ascii_lowercase())
    }
}

impl fmt::Debug for Bits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bits({}'b{})", self.width(), self.to_binary())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accessors() {
        let b = Bits::from_u128(0x4AF, 12).unwrap();
        assert_eq!(b.nibble(0).unwrap(), 0xF);
        assert_eq!(b.nibble(2).unwrap(), 0x4);
        assert_eq!(b.byte(1).unwrap(), 0x4);
        assert_eq!(b.leading_zeros(), 1);
        assert_eq!(b.count_ones(), 7);
        assert!(b.bit(11).is_ok() && b.bit(12).is_err());
        assert_eq!(b.to_octal(), "2257");
        assert_eq!(Bits::zero(5).unwrap().leading_zeros(), 5);
        let w = Bits::from_u128(u128::MAX, 128).unwrap();
        assert_eq!(
            (w.count_ones(), w.to_i128(), w.leading_zeros()),
            (128, -1, 0)
        );
        assert_eq!(w.not().to_u128(), 0);
        assert_eq!(w.to_binary_grouped().len(), 128 + 31);
    }

    #[test]
    fn bitslice_round_trip() {
        let b = Bits::from_u128(0b1_0110, 5).unwrap();
        assert_eq!(Bits::from_bitslice(b.as_bitslice()).unwrap(), b);
        assert_eq!(
            Bits::from_bitslice(&b.as_bitslice()[1..4])
                .unwrap()
                .to_u128(),
            0b011
        );
        let empty = BitVec::<u64, Lsb0>::new();
        assert!(Bits::from_bitslice(&empty).is_err());
    }

    #[test]
    fn format_traits_keep_the_width() {
        let b: Bits = "0x04af".parse().unwrap();
        assert_eq!(format!("{b:#X}"), "0x04AF");
        assert_eq!(format!("{b:x}"), "04af");
        assert_eq!(format!("{b:#b}"), "0b0000010010101111");
        assert_eq!(format!("{:o}", Bits::parse("0o017").unwrap()), "017");
        assert_eq!(format!("{b:>20X}"), "                04AF");
    }

    #[test]
    fn grouping_counts_from_the_lsb() {
        assert_eq!(
            Bits::from_u128(0b1_0001, 5).unwrap().to_binary_grouped(),
            "1 0001"
        );
        assert_eq!(
            Bits::from_u128(0b1010, 4).unwrap().to_binary_grouped(),
            "1010"
        );
    }
}
