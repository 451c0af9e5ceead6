//! Bit patterns and integer encodings: `Bits`, unsigned / sign-magnitude / one's and two's
//! complement, sign and zero extension, radix parsing and printing, C data models.

mod wide;

pub use wide::WideInt;
