//! Bit patterns and integer encodings: [`Bits`], unsigned / sign-magnitude / one's and two's
//! complement ([`Encoding`]), the binary adder with its flags, negation with its steps, sign
//! and zero extension, radix conversion with steps (column addition, repeated division,
//! subtracting powers of two), the digit and power tables, significance (MSB/LSB, bytes,
//! nibbles), the encodings' number line, and C data models.
//!
//! # Examples
//!
//! The course's 4-bit examples:
//!
//! ```
//! use arithsim::repr::{add, Bits, Encoding, WideInt};
//!
//! let b = |s: &str| Bits::parse(s);
//! // Unsigned: 1011 + 0110 = 1 0001, the carry-out is the fifth bit.
//! assert_eq!(add(&b("0b1011")?, &b("0b0110")?)?.to_string(), "1 0001");
//! // Two's complement: -2 + 3 = 1 0001, drop the carry: 0001 = 1.
//! let s = add(&Encoding::TwosComplement.encode(-2, 4)?, &Encoding::TwosComplement.encode(3, 4)?)?;
//! assert_eq!(Encoding::TwosComplement.decode(&s.pattern), WideInt::from(1));
//! // Sign-magnitude: the same adder gives -6 + 6 = 1 0100, read as +4: wrong.
//! let s = add(&b("0b1110")?, &b("0b0110")?)?;
//! assert_eq!(s.to_string(), "1 0100");
//! assert_eq!(Encoding::SignMagnitude.decode(&s.pattern), WideInt::from(4));
//! # Ok::<(), arithsim::Error>(())
//! ```

mod arith;
mod bits;
mod column;
mod ctypes;
mod encoding;
mod extend;
mod number_line;
mod overflow;
mod parse;
mod powers;
mod radix;
mod signedness;
mod significance;
mod tables;
mod wide;

pub use arith::{Difference, Negation, NegationStep, Sum, add, sub};
pub use bits::{Bits, MAX_BITS};
pub use column::{ColumnAddition, ColumnStep, MAX_COLUMNS, column_addition};
pub use ctypes::{CType, DataModel, Platform, c_type_table, plain_char_signedness};
pub use encoding::{Encoding, MAX_TABLE_WIDTH};
pub use number_line::{EncodingLine, MAX_LINE_WIDTH, NumberLine, number_line};
pub use overflow::Overflow;
pub use powers::{
    PowerOfTwo, PowerSubtraction, PowerTable, SubtractionStep, power_of_two, power_table,
    subtract_powers_of_two,
};
pub use radix::{
    DivisionStep, Expansion, NibbleMap, RepeatedDivision, Term, binary_to_hex, hex_to_binary,
    positional_expansion, repeated_division, with_thousands,
};
pub use signedness::Signedness;
pub use significance::{Significance, significance};
pub use tables::{DigitRange, DigitRow, DigitTable, digit_range, digit_table};
pub use wide::WideInt;

/// Runs the code blocks of the number-systems chapter as doctests, so the chapter cannot
/// drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../docs/number-systems.md")]
struct NumberSystemsChapter;
