//! Every worked example of the course's number-systems chapter (issue 2), exactly as the
//! course writes it.

use arithsim::Result;
use arithsim::fixed::{Fixed, FixedFormat, explain_div, explain_mul};
use arithsim::repr::{
    Bits, CType, DataModel, Encoding, Platform, WideInt, add, c_type_table, hex_to_binary,
    plain_char_signedness, positional_expansion, power_of_two, repeated_division, with_thousands,
};
use arithsim::round::RoundingMode::NearestEven;

fn b(s: &str) -> Bits {
    Bits::parse(s).unwrap()
}

fn w(v: i64) -> WideInt {
    WideInt::from(v)
}

#[test]
fn radix_conversions() -> Result<()> {
    let e = positional_expansion("5374", 10)?;
    assert_eq!(e.to_string(), "5374 = 5×10^3 + 3×10^2 + 7×10^1 + 4×10^0");
    assert_eq!(positional_expansion("1101", 2)?.value, 13);
    assert_eq!(Bits::parse_radix("1101", 2)?.to_u128(), 13);
    assert_eq!(positional_expansion("10011", 2)?.value, 19);
    assert_eq!(Bits::parse("0b10011")?.to_decimal(), "19");
    let d = repeated_division(47, 2)?;
    assert_eq!(d.digits, "101111");
    let remainders: Vec<u32> = d.steps.iter().map(|s| s.remainder).collect();
    assert_eq!(remainders, [1, 1, 1, 1, 0, 1]);
    assert_eq!(Bits::parse_radix("47", 10)?.to_binary(), "101111");
    let h = hex_to_binary("0x4AF")?;
    assert_eq!(h.bits.to_binary_grouped(), "0100 1010 1111");
    assert_eq!(h.bits.to_u128(), 1199);
    assert_eq!(Bits::parse("0b0100_1010_1111")?.to_hex(), "4AF");
    Ok(())
}

#[test]
fn powers_of_two() -> Result<()> {
    let p = power_of_two(24)?;
    assert_eq!(p.value, 16_777_216);
    assert_eq!((p.leading, p.name), (16, "million"));
    let p = power_of_two(32)?;
    assert_eq!(p.value, 4_294_967_296);
    assert_eq!((p.leading, p.name, p.prefix), (4, "billion", "giga"));
    assert_eq!(
        power_of_two(10)?.to_string(),
        "2^10 = 1,024 ≈ 1 thousand (1 Ki)"
    );
    Ok(())
}

#[test]
fn four_bit_unsigned_addition() -> Result<()> {
    let s = add(&b("0b1011"), &b("0b0011"))?;
    assert_eq!((s.to_string(), s.carry_out), ("1110".into(), false));
    let s = add(&b("0b1001"), &b("0b0101"))?;
    assert_eq!((s.to_string(), s.carry_out), ("1110".into(), false));
    let s = add(&b("0b1011"), &b("0b0110"))?;
    assert_eq!((s.to_string(), s.carry_out), ("1 0001".into(), true));
    Ok(())
}

#[test]
fn four_bit_sign_magnitude() -> Result<()> {
    let sm = Encoding::SignMagnitude;
    assert_eq!(sm.encode(6, 4)?.to_string(), "0110");
    assert_eq!(sm.encode(-6, 4)?.to_string(), "1110");
    assert_eq!(sm.range(4)?, (w(-7), w(7)));
    let zeros: Vec<String> = sm
        .table(4)?
        .into_iter()
        .filter(|(_, v)| *v == WideInt::ZERO)
        .map(|(p, _)| p.to_string())
        .collect();
    assert_eq!(zeros, ["0000", "1000"]);
    // The naive binary adder: -6 + 6 = 1 0100, which is not zero.
    let s = add(&sm.encode(-6, 4)?, &sm.encode(6, 4)?)?;
    assert_eq!(s.to_string(), "1 0100");
    assert_ne!(sm.decode(&s.pattern), WideInt::ZERO);
    Ok(())
}

#[test]
fn four_bit_twos_complement() -> Result<()> {
    let tc = Encoding::TwosComplement;
    let (min, max) = tc.range(4)?;
    assert_eq!((min, max), (w(-8), w(7)));
    assert_eq!(tc.encode(7, 4)?.to_string(), "0111");
    assert_eq!(tc.encode(-8, 4)?.to_string(), "1000");
    // 6 + (-6) = 1 0000 -> 0000
    let s = add(&tc.encode(6, 4)?, &tc.encode(-6, 4)?)?;
    assert_eq!(s.to_string(), "1 0000");
    assert_eq!(s.pattern.to_string(), "0000");
    assert!(!s.overflow);
    // -2 + 3 = 1 0001 -> 0001
    let s = add(&tc.encode(-2, 4)?, &tc.encode(3, 4)?)?;
    assert_eq!(s.to_string(), "1 0001");
    assert_eq!(tc.decode(&s.pattern), w(1));
    // Negating 3: 0011 -> 1100 + 1 = 1101 = -3
    let n = tc.negate(&b("0b0011"))?;
    assert_eq!(n.steps[0].pattern.to_string(), "1100");
    assert_eq!(n.result.to_string(), "1101");
    assert_eq!(tc.decode(&n.result), w(-3));
    Ok(())
}

#[test]
fn extension_to_8_bits() -> Result<()> {
    let three = b("0b0011");
    assert_eq!(three.sign_extend(8)?.to_binary_grouped(), "0000 0011");
    assert_eq!(three.zero_extend(8)?.to_binary_grouped(), "0000 0011");
    let minus5 = b("0b1011");
    let s = minus5.sign_extend(8)?;
    assert_eq!(s.to_binary_grouped(), "1111 1011");
    assert_eq!(Encoding::TwosComplement.decode(&s), w(-5));
    let z = minus5.zero_extend(8)?;
    assert_eq!(z.to_binary_grouped(), "0000 1011");
    assert_eq!(Encoding::TwosComplement.decode(&z), w(11));
    Ok(())
}

#[test]
fn q4_4_arithmetic() -> Result<()> {
    let q44 = FixedFormat::q(4, 4)?;
    assert_eq!((q44.min_f64(), q44.max_f64()), (-8.0, 7.9375));
    let uq44 = FixedFormat::uq(4, 4)?;
    assert_eq!((uq44.min_f64(), uq44.max_f64()), (0.0, 15.9375));
    let x = |v: f64| Fixed::from_f64(v, q44, NearestEven);
    // 3.5 + 1.25 = 4.75 (raw 56 + 20 = 76)
    let (a, c) = (x(3.5)?, x(1.25)?);
    assert_eq!((a.raw(), c.raw()), (56, 20));
    let s = a.checked_add(c)?;
    assert_eq!((s.raw(), s.to_string()), (76, "4.75".into()));
    // 1.5 × 0.5: raw 24 × 8 = 192, naively 12.0, corrected to raw 12 = 0.75
    let t = explain_mul(x(1.5)?, x(0.5)?, NearestEven)?;
    assert_eq!((t.a.raw(), t.b.raw()), (24, 8));
    assert_eq!(t.raw_product, w(192));
    assert_eq!(t.naive_reading(), "12.0");
    assert_eq!((t.result.raw(), t.result.to_string()), (12, "0.75".into()));
    assert_eq!(x(1.5)?.checked_mul(x(0.5)?, NearestEven)?, t.result);
    // 1.5 ÷ 0.5: raw 24 ÷ 8 = 3, naively 0.1875, corrected to raw 48 = 3.0
    let t = explain_div(x(1.5)?, x(0.5)?, NearestEven)?;
    assert_eq!(t.naive_quotient, 3);
    assert_eq!(t.naive_reading(), "0.1875");
    assert_eq!((t.result.raw(), t.result.to_string()), (48, "3.0".into()));
    assert_eq!(x(1.5)?.checked_div(x(0.5)?, NearestEven)?, t.result);
    Ok(())
}

#[test]
fn c_type_sizes_and_ranges() {
    let sizes = |m: DataModel| CType::ALL.map(|t| m.size_bytes(t));
    assert_eq!(sizes(DataModel::Ilp32), [1, 2, 4, 4, 8, 4]);
    assert_eq!(sizes(DataModel::Lp64), [1, 2, 4, 8, 8, 8]);
    assert_eq!(sizes(DataModel::Llp64), [1, 2, 4, 4, 8, 8]);
    let r = |m: DataModel, t, s| {
        let (lo, hi) = m.range(t, s);
        format!("{} … {}", with_thousands(lo), with_thousands(hi))
    };
    for m in DataModel::ALL {
        assert_eq!(
            r(m, CType::LongLong, false),
            "0 … 18,446,744,073,709,551,615"
        );
        assert_eq!(
            r(m, CType::LongLong, true),
            "-9,223,372,036,854,775,808 … 9,223,372,036,854,775,807"
        );
        assert_eq!(r(m, CType::Char, true), "-128 … 127");
        assert_eq!(r(m, CType::Char, false), "0 … 255");
        assert_eq!(r(m, CType::Short, true), "-32,768 … 32,767");
        assert_eq!(r(m, CType::Int, false), "0 … 4,294,967,295");
    }
    // long: 4 bytes on 64-bit Windows, 8 on 64-bit Linux.
    assert_eq!(
        r(DataModel::Llp64, CType::Long, true),
        "-2,147,483,648 … 2,147,483,647"
    );
    assert_eq!(
        r(DataModel::Lp64, CType::Long, true),
        "-9,223,372,036,854,775,808 … 9,223,372,036,854,775,807"
    );
    assert!(plain_char_signedness(Platform::X86));
    assert!(!plain_char_signedness(Platform::ArmLinux));
    let t = c_type_table(DataModel::Lp64);
    assert!(t.contains("unsigned on ARM Linux"), "{t}");
    assert!(t.contains("signed on x86 / x86-64"), "{t}");
}
