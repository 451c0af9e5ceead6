//! Every bad input listed in issue 2 gets a clear error (checked by its message), never a
//! panic: widths, ranges, literals, radices, fixed formats, division by zero, format mixing.

use arithsim::Error;
use arithsim::Signedness;
use arithsim::fixed::{Fixed, FixedFormat, explain_div};
use arithsim::repr::{
    Bits, Encoding, WideInt, add, binary_to_hex, hex_to_binary, positional_expansion, power_of_two,
    repeated_division, sub,
};
use arithsim::round::RoundingMode::NearestEven;

fn msg<T: std::fmt::Debug>(r: arithsim::Result<T>) -> String {
    r.unwrap_err().to_string()
}

#[test]
fn width_zero_or_above_128() {
    assert_eq!(
        msg(Bits::zero(0)),
        "bit pattern width 0 is out of range 1..=128"
    );
    assert_eq!(
        msg(Bits::from_u128(1, 129)),
        "bit pattern width 129 is out of range 1..=128"
    );
    assert_eq!(
        msg(Encoding::TwosComplement.encode(0, 0)),
        "bit pattern width 0 is out of range 1..=128"
    );
    assert_eq!(
        msg(Encoding::Unsigned.range(200)),
        "bit pattern width 200 is out of range 1..=128"
    );
    assert!(matches!(
        Encoding::SignMagnitude.encode(1, 129),
        Err(Error::InvalidWidth { width: 129, .. })
    ));
    assert_eq!(
        msg(Encoding::Unsigned.table(17)),
        "table width 17 is out of range 1..=16"
    );
    let b = Bits::from_u128(1, 100).unwrap();
    assert_eq!(
        msg(b.concat(&b)),
        "concatenated pattern width 200 is out of range 1..=128"
    );
}

#[test]
fn value_outside_an_encodings_range() {
    assert_eq!(
        msg(Encoding::TwosComplement.encode(8, 4)),
        "value 8 is out of range -8..=7 for 4-bit two's complement"
    );
    assert_eq!(
        msg(Encoding::SignMagnitude.encode(-8, 4)),
        "value -8 is out of range -7..=7 for 4-bit sign-magnitude"
    );
    assert_eq!(
        msg(Encoding::OnesComplement.encode(WideInt::from(u128::MAX), 128)),
        format!(
            "value {} is out of range -{m}..={m} for 128-bit one's complement",
            u128::MAX,
            m = i128::MAX
        )
    );
    assert_eq!(
        msg(Encoding::Unsigned.encode(-1, 8)),
        "value -1 is out of range 0..=255 for 8-bit unsigned"
    );
    assert_eq!(
        msg(Bits::from_u128(16, 4)),
        "value 16 is out of range 0..=15 for 4-bit unsigned pattern"
    );
    assert_eq!(
        msg(Bits::from_i128(-9, 4)),
        "value -9 is out of range -8..=7 for 4-bit two's complement pattern"
    );
    assert_eq!(
        msg(Encoding::Unsigned.negate(&Bits::from_u128(3, 4).unwrap())),
        "value -3 is out of range 0..=15 for 4-bit unsigned"
    );
    assert_eq!(
        msg(power_of_two(128)),
        "value 128 is out of range 0..=127 for a power-of-two exponent"
    );
}

#[test]
fn bad_indices_and_slices() {
    let b = Bits::parse("0xAB").unwrap();
    assert_eq!(
        msg(b.bit(8)),
        "value 8 is out of range 0..=7 for bit index of the 8-bit pattern"
    );
    assert_eq!(
        msg(b.nibble(2)),
        "value 2 is out of range 0..=1 for nibble index of the 8-bit pattern"
    );
    assert_eq!(
        msg(b.byte(1)),
        "value 1 is out of range 0..=0 for byte index of the 8-bit pattern"
    );
    assert_eq!(
        msg(b.slice(4..9)),
        "invalid bit range 4..9: must be non-empty and within 0..8 of the pattern"
    );
    #[allow(clippy::reversed_empty_ranges)]
    let empty = 5..5;
    assert!(b.slice(empty).is_err());
    assert_eq!(
        msg(b.sign_extend(4)),
        "sign extension target width 4 is out of range 8..=128"
    );
    assert_eq!(
        msg(b.truncate(0)),
        "truncation target width 0 is out of range 1..=8"
    );
}

#[test]
fn bad_literals() {
    assert_eq!(msg(Bits::parse("")), "cannot parse \"\": empty literal");
    assert_eq!(
        msg(Bits::parse_radix("  ", 10)),
        "cannot parse \"  \": empty literal"
    );
    assert_eq!(msg(Bits::parse("0x")), "cannot parse \"0x\": no digits");
    assert_eq!(msg(Bits::parse("0b__")), "cannot parse \"0b__\": no digits");
    assert_eq!(
        msg(Bits::parse("1011")),
        "cannot parse \"1011\": expected a 0b, 0o or 0x prefix (use Bits::parse_radix for plain digits)"
    );
    assert_eq!(
        msg(Bits::parse("0x4AG")),
        "cannot parse \"0x4AG\": 'G' is not a digit in radix 16"
    );
    assert_eq!(
        msg(Bits::parse("0o18")),
        "cannot parse \"0o18\": '8' is not a digit in radix 8"
    );
    assert_eq!(
        msg(Bits::parse_radix("12a", 10)),
        "cannot parse \"12a\": 'a' is not a digit in radix 10"
    );
    assert_eq!(
        msg(Bits::parse(&format!("0b{}", "1".repeat(129)))),
        format!(
            "cannot parse \"0b{}\": needs 129 bits, more than the 128 a pattern holds",
            "1".repeat(129)
        )
    );
    let too_big = "340282366920938463463374607431768211456"; // 2^128
    assert_eq!(
        msg(Bits::parse_radix(too_big, 10)),
        format!(
            "cannot parse \"{too_big}\": needs more than 128 bits, more than the 128 a pattern holds"
        )
    );
    assert_eq!(
        msg(positional_expansion(too_big, 10)),
        format!("cannot parse \"{too_big}\": value exceeds 128 bits")
    );
    assert_eq!(
        msg(hex_to_binary("0xZ")),
        "cannot parse \"0xZ\": 'Z' is not a digit in radix 16"
    );
    assert_eq!(msg(hex_to_binary("0x")), "cannot parse \"0x\": no digits");
    assert_eq!(
        msg(binary_to_hex("0b12")),
        "cannot parse \"12\": '2' is not a digit in radix 2"
    );
}

#[test]
fn radix_outside_2_to_36() {
    for r in [0, 1, 37, 1000] {
        let want = format!("radix {r} is out of range 2..=36");
        assert_eq!(msg(Bits::parse_radix("1", r)), want);
        assert_eq!(msg(positional_expansion("1", r)), want);
        assert_eq!(msg(repeated_division(5, r)), want);
    }
}

#[test]
fn fixed_formats_of_zero_or_too_many_bits() {
    assert_eq!(
        msg(FixedFormat::q(0, 0)),
        "fixed-point format width 0 is out of range 1..=64"
    );
    assert_eq!(
        msg(FixedFormat::uq(60, 5)),
        "fixed-point format width 65 is out of range 1..=64"
    );
    assert_eq!(
        msg(FixedFormat::new(u32::MAX, 1, Signedness::Signed)),
        format!(
            "fixed-point format width {} is out of range 1..=64",
            u32::MAX
        )
    );
    assert_eq!(
        msg(FixedFormat::q(0, 7)),
        "invalid int_bits 0: a signed format needs at least 1 integer bit to hold the sign"
    );
}

#[test]
fn fixed_values_out_of_range() {
    let q44 = FixedFormat::q(4, 4).unwrap();
    assert_eq!(
        msg(Fixed::from_raw(q44, 128)),
        "value 128 is out of range -128..=127 for raw values of Q4.4"
    );
    assert_eq!(
        msg(Fixed::from_bits(q44, 0x100)),
        "value pattern 0x100 is out of range 0x0..=0xff for Q4.4 (8 bits)"
    );
    assert_eq!(
        msg(Fixed::from_f64(-8.0625, q44, NearestEven)),
        "value -8.0625 is out of range -8.0..=7.9375 for Q4.4"
    );
    assert_eq!(
        msg(Fixed::from_f64(f64::INFINITY, q44, NearestEven)),
        "value inf is out of range -8.0..=7.9375 for Q4.4"
    );
    assert_eq!(
        msg(Fixed::from_f64(-1e300, q44, NearestEven)),
        "value -1e300 is out of range -8.0..=7.9375 for Q4.4"
    );
    assert_eq!(
        msg(Fixed::from_f64(f64::NAN, q44, NearestEven)),
        "invalid value NaN: not a number has no fixed-point value"
    );
    assert_eq!(
        msg(Fixed::saturating_from_f64(f64::NAN, q44, NearestEven)),
        "invalid value NaN: not a number has no fixed-point value"
    );
    let seven = Fixed::from_f64(7.0, q44, NearestEven).unwrap();
    assert_eq!(
        msg(seven.checked_mul(seven, NearestEven)),
        "value 49.0 is out of range -8.0..=7.9375 for Q4.4"
    );
    let uq = FixedFormat::uq(4, 4).unwrap();
    assert_eq!(
        msg(Fixed::from_raw(uq, 1).unwrap().checked_neg()),
        "value -0.0625 is out of range 0.0..=15.9375 for UQ4.4"
    );
}

#[test]
fn fixed_division_by_zero() {
    let q44 = FixedFormat::q(4, 4).unwrap();
    let one = Fixed::from_f64(1.0, q44, NearestEven).unwrap();
    let zero = Fixed::zero(q44);
    assert_eq!(msg(one.checked_div(zero, NearestEven)), "division by zero");
    assert_eq!(msg(one.wrapping_div(zero, NearestEven)), "division by zero");
    assert_eq!(
        msg(one.saturating_div(zero, NearestEven)),
        "division by zero"
    );
    assert_eq!(
        msg(one.overflowing_div(zero, NearestEven)),
        "division by zero"
    );
    assert_eq!(msg(explain_div(one, zero, NearestEven)), "division by zero");
}

#[test]
fn mixing_formats_where_equal_formats_are_required() {
    let a = Fixed::zero(FixedFormat::q(4, 4).unwrap());
    let b = Fixed::zero(FixedFormat::q(2, 6).unwrap());
    let want = "format mismatch: Q4.4 vs Q2.6";
    assert_eq!(msg(a.checked_add(b)), want);
    assert_eq!(msg(a.wrapping_sub(b)), want);
    assert_eq!(msg(a.saturating_mul(b, NearestEven)), want);
    assert_eq!(msg(a.overflowing_div(b, NearestEven)), want);
    // Patterns of different widths on one adder.
    let x = Bits::zero(4).unwrap();
    let y = Bits::zero(8).unwrap();
    assert_eq!(
        msg(add(&x, &y)),
        "format mismatch: 4-bit pattern vs 8-bit pattern"
    );
    assert_eq!(
        msg(sub(&x, &y)),
        "format mismatch: 4-bit pattern vs 8-bit pattern"
    );
}
