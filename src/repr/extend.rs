//! Sign extension, zero extension and truncation.

use super::bits::{Bits, MAX_BITS, mask};
use super::encoding::Encoding;
use crate::{Error, Result};

impl Bits {
    /// Copies the top bit into the new high bits: keeps the two's (and one's) complement
    /// value. `1011` (−5) → `1111 1011` (still −5).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidWidth`] unless `width` is between the current width and 128.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::repr::Bits;
    ///
    /// let b = Bits::parse("0b1011")?;
    /// assert_eq!(b.sign_extend(8)?.to_binary_grouped(), "1111 1011");
    /// assert_eq!(b.zero_extend(8)?.to_binary_grouped(), "0000 1011");
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn sign_extend(&self, width: u32) -> Result<Bits> {
        self.check_growth("sign extension target", width)?;
        let fill = if self.msb() {
            mask(width) & !mask(self.width())
        } else {
            0
        };
        Ok(Bits::from_low(self.to_u128() | fill, width))
    }

    /// Fills the new high bits with zeros: keeps the unsigned value (and the pattern).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidWidth`] unless `width` is between the current width and 128.
    pub fn zero_extend(&self, width: u32) -> Result<Bits> {
        self.check_growth("zero extension target", width)?;
        Ok(Bits::from_low(self.to_u128(), width))
    }

    /// Keeps the low `width` bits (what storing into a narrower register does).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidWidth`] unless `width` is between 1 and the current width.
    ///
    /// ```
    /// use arithsim::repr::Bits;
    /// assert_eq!(Bits::parse("0b1_0001")?.truncate(4)?.to_string(), "0001");
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn truncate(&self, width: u32) -> Result<Bits> {
        Error::check_width("truncation target", width, 1, self.width())?;
        Ok(Bits::from_low(self.to_u128(), width))
    }

    fn check_growth(&self, what: &'static str, width: u32) -> Result<()> {
        Error::check_width(what, width, self.width(), MAX_BITS).map(|_| ())
    }
}

impl Encoding {
    /// Widens `bits` to `width` keeping its value in this encoding: zero extension for
    /// unsigned, sign extension for one's and two's complement, and for sign-magnitude the
    /// sign bit moves to the new top with zeros between it and the magnitude.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidWidth`] unless `width` is between the current width and 128.
    ///
    /// ```
    /// use arithsim::repr::{Bits, Encoding};
    /// let m6 = Bits::parse("0b1110")?; // -6 in sign-magnitude
    /// assert_eq!(Encoding::SignMagnitude.extend(&m6, 8)?.to_string(), "10000110");
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn extend(self, bits: &Bits, width: u32) -> Result<Bits> {
        match self {
            Encoding::Unsigned => bits.zero_extend(width),
            Encoding::OnesComplement | Encoding::TwosComplement => bits.sign_extend(width),
            Encoding::SignMagnitude => {
                let magnitude = bits.to_u128() & (mask(bits.width()) >> 1);
                let widened = bits.zero_extend(width)?;
                let sign = if bits.msb() { 1u128 << (width - 1) } else { 0 };
                Ok(Bits::from_low(magnitude | sign, widened.width()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_checks() {
        let b = Bits::parse("0b1011").unwrap();
        assert_eq!(
            b.sign_extend(3).unwrap_err().to_string(),
            "sign extension target width 3 is out of range 4..=128"
        );
        assert_eq!(
            b.zero_extend(129).unwrap_err().to_string(),
            "zero extension target width 129 is out of range 4..=128"
        );
        assert_eq!(
            b.truncate(5).unwrap_err().to_string(),
            "truncation target width 5 is out of range 1..=4"
        );
        assert_eq!(b.sign_extend(128).unwrap().to_i128(), -5);
        assert_eq!(b.sign_extend(4).unwrap(), b);
    }
}
