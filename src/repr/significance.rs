//! Naming the parts of a word by significance: the most and least significant bit (MSB,
//! LSB), the most and least significant byte, and the nibbles (one hex digit each).

use std::fmt;

use super::bits::Bits;

/// The parts of a word by significance (see [`significance`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Significance {
    /// The word.
    pub pattern: Bits,
    /// The most significant bit (bit `N − 1`): the sign bit in two's complement.
    pub msb: bool,
    /// The least significant bit (bit 0): odd or even.
    pub lsb: bool,
    /// The bytes, most significant first (a partial top byte is zero-padded).
    pub bytes: Vec<u8>,
    /// The nibbles, most significant first: the hex digits.
    pub nibbles: Vec<u8>,
}

impl Significance {
    /// The most significant byte (0xCE of 0xCEBF9AD7).
    pub fn most_significant_byte(&self) -> u8 {
        self.bytes.first().copied().unwrap_or(0)
    }

    /// The least significant byte (0xD7 of 0xCEBF9AD7).
    pub fn least_significant_byte(&self) -> u8 {
        self.bytes.last().copied().unwrap_or(0)
    }
}

/// Splits `pattern` by significance. The byte order in memory (endianness) is a separate
/// question: this is the order of weights.
///
/// # Examples
///
/// ```
/// use arithsim::repr::{significance, Bits};
///
/// let s = significance(&Bits::parse("0xCEBF9AD7")?);
/// assert_eq!((s.msb, s.lsb), (true, true));
/// assert_eq!((s.most_significant_byte(), s.least_significant_byte()), (0xCE, 0xD7));
/// assert_eq!(s.bytes, [0xCE, 0xBF, 0x9A, 0xD7]);
/// assert_eq!(s.nibbles, [0xC, 0xE, 0xB, 0xF, 0x9, 0xA, 0xD, 0x7]);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn significance(pattern: &Bits) -> Significance {
    let width = pattern.width();
    let v = pattern.to_u128();
    let bytes = (0..width.div_ceil(8))
        .rev()
        .map(|i| (v >> (8 * i)) as u8)
        .collect();
    let nibbles = (0..width.div_ceil(4))
        .rev()
        .map(|i| (v >> (4 * i)) as u8 & 0xF)
        .collect();
    Significance {
        pattern: pattern.clone(),
        msb: pattern.msb(),
        lsb: pattern.lsb(),
        bytes,
        nibbles,
    }
}

impl fmt::Display for Significance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = self.pattern.width();
        writeln!(
            f,
            "0x{} = {} ({w} bits)",
            self.pattern.to_hex(),
            self.pattern.to_binary_grouped()
        )?;
        writeln!(
            f,
            "MSB (bit {}) = {}, LSB (bit 0) = {}",
            w - 1,
            self.msb as u8,
            self.lsb as u8
        )?;
        let bytes: Vec<String> = self.bytes.iter().map(|b| format!("{b:02X}")).collect();
        writeln!(
            f,
            "bytes, most significant first: {}; most significant byte 0x{:02X}, least \
             significant byte 0x{:02X}",
            bytes.join(" "),
            self.most_significant_byte(),
            self.least_significant_byte()
        )?;
        let nibbles: Vec<String> = self
            .nibbles
            .iter()
            .map(|n| format!("{n:X} = {n:04b}"))
            .collect();
        write!(f, "nibbles (one hex digit each): {}", nibbles.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_widths_pad_the_top() {
        let s = significance(&Bits::parse("0b1_0000_0001").unwrap());
        assert_eq!(s.bytes, [0x01, 0x01]);
        assert_eq!(s.nibbles, [0x1, 0x0, 0x1]);
        let one = significance(&Bits::parse("0b1").unwrap());
        assert_eq!((one.msb, one.lsb, one.bytes.clone()), (true, true, vec![1]));
    }
}
