//! Every worked example of the course's number-systems chapter (issues 2 and 15), exactly as
//! the course writes it, with its steps and not only its final value; and every bad input
//! of the step-by-step functions as an error, never a panic.

use arithsim::Signedness;
use arithsim::fixed::{
    Fixed, FixedFormat, explain_add, explain_div, explain_mul, read_binary_point,
};
use arithsim::float::{FloatFormat, normalize_scientific};
use arithsim::repr::{
    Bits, CType, DataModel, Encoding, Platform, WideInt, add, c_type_table, column_addition,
    digit_range, digit_table, hex_to_binary, number_line, plain_char_signedness,
    positional_expansion, power_of_two, power_table, repeated_division, significance,
    subtract_powers_of_two, with_thousands,
};
use arithsim::round::RoundingMode::{self, NearestEven};
use arithsim::{Error, Result};

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
            r(m, CType::LongLong, Signedness::Unsigned),
            "0 … 18,446,744,073,709,551,615"
        );
        assert_eq!(
            r(m, CType::LongLong, Signedness::Signed),
            "-9,223,372,036,854,775,808 … 9,223,372,036,854,775,807"
        );
        assert_eq!(r(m, CType::Char, Signedness::Signed), "-128 … 127");
        assert_eq!(r(m, CType::Char, Signedness::Unsigned), "0 … 255");
        assert_eq!(r(m, CType::Short, Signedness::Signed), "-32,768 … 32,767");
        assert_eq!(r(m, CType::Int, Signedness::Unsigned), "0 … 4,294,967,295");
    }
    // long: 4 bytes on 64-bit Windows, 8 on 64-bit Linux.
    assert_eq!(
        r(DataModel::Llp64, CType::Long, Signedness::Signed),
        "-2,147,483,648 … 2,147,483,647"
    );
    assert_eq!(
        r(DataModel::Lp64, CType::Long, Signedness::Signed),
        "-9,223,372,036,854,775,808 … 9,223,372,036,854,775,807"
    );
    assert_eq!(plain_char_signedness(Platform::X86), Signedness::Signed);
    assert_eq!(
        plain_char_signedness(Platform::ArmLinux),
        Signedness::Unsigned
    );
    let t = c_type_table(DataModel::Lp64);
    assert!(t.contains("unsigned on ARM Linux"), "{t}");
    assert!(t.contains("signed on x86 / x86-64"), "{t}");
}

/// The carry row as the course writes it above the operands: carry-out first, then the
/// carry into each column; the rightmost column has none.
fn carry_row(a: &str, b: &str, radix: u32, width: u32) -> Result<String> {
    let s = column_addition(a, b, radix, width)?;
    Ok(s.carry_row()
        .iter()
        .map(|c| c.map_or('.', |d| char::from_digit(d, 36).unwrap()))
        .collect())
}

#[test]
fn column_addition_with_the_carry_row() -> Result<()> {
    // 3734 + 5168 = 8902: 4+8 = 12 (carry 1), 3+6+1 = 10 (carry 1), 7+1+1 = 9, 3+5 = 8.
    let s = column_addition("3734", "5168", 10, 4)?;
    let totals: Vec<u32> = s.steps.iter().map(|c| c.total).collect();
    assert_eq!(totals, [12, 10, 9, 8]);
    assert_eq!(carry_row("3734", "5168", 10, 4)?, "0011.");
    assert_eq!((s.sum_digits(), s.carry_out), ("8902".into(), 0));
    assert_eq!(3734 + 5168, 8902);
    // 1011 + 0011 = 1110 (11 + 3 = 14): carries into columns 1 and 2.
    let s = column_addition("1011", "0011", 2, 4)?;
    assert_eq!(carry_row("1011", "0011", 2, 4)?, "0011.");
    assert_eq!((s.sum_digits(), s.carry_out), ("1110".into(), 0));
    // 1001 + 0101 = 1110 (9 + 5 = 14): one carry, into column 1.
    let s = column_addition("1001", "0101", 2, 4)?;
    assert_eq!(carry_row("1001", "0101", 2, 4)?, "0001.");
    assert_eq!(s.sum_digits(), "1110");
    // 1011 + 0110 = 1 0001 (11 + 6 = 17): the carry ripples out of the top column.
    let s = column_addition("1011", "0110", 2, 4)?;
    assert_eq!(carry_row("1011", "0110", 2, 4)?, "1110.");
    assert_eq!((s.kept_digits(), s.carry_out), ("0001".into(), 1));
    assert_eq!(s.sum_digits(), "10001");
    // The word-level adder agrees: same kept bits, same carry flag.
    let w = add(&b("0b1011"), &b("0b0110"))?;
    assert_eq!(
        (w.pattern.to_string(), w.carry_out),
        (s.kept_digits(), true)
    );
    let text = s.to_string();
    assert!(text.starts_with("carries   1 1 1 0\n"), "{text}");
    assert!(
        text.contains("column 3: 1 + 0 + 1 = 2 = 1×2 + 0: write 0, carry 1"),
        "{text}"
    );
    assert!(
        text.contains("carry-out 1: the sum 10001 needs 5 digits"),
        "{text}"
    );
    Ok(())
}

#[test]
fn column_addition_matches_native_addition_in_any_radix_and_width() -> Result<()> {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..300 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let radix = 2 + (seed >> 59) as u32 % 35;
        let width = 1 + (seed >> 40) as u32 % 12;
        let max = (radix as u128).pow(width);
        let (x, y) = ((seed as u128 * 7919) % max, (seed as u128 >> 17) % max);
        let digits = |v: u128| {
            let mut v = v;
            let mut out = String::new();
            loop {
                out.insert(
                    0,
                    char::from_digit((v % radix as u128) as u32, radix).unwrap(),
                );
                v /= radix as u128;
                if v == 0 {
                    return out;
                }
            }
        };
        let s = column_addition(&digits(x), &digits(y), radix, width)?;
        let kept = s
            .sum
            .iter()
            .fold(0u128, |v, &d| v * radix as u128 + d as u128);
        assert_eq!(kept, (x + y) % max, "{x} + {y} radix {radix} width {width}");
        assert_eq!(s.carry_out as u128, (x + y) / max);
    }
    Ok(())
}

#[test]
fn decimal_to_binary_both_ways() -> Result<()> {
    // Subtracting powers of two: 47 = 32 + 8 + 4 + 2 + 1, 16 is skipped.
    let s = subtract_powers_of_two(47);
    assert_eq!(s.powers(), [32, 8, 4, 2, 1]);
    let remaining: Vec<u128> = s.steps.iter().map(|t| t.remaining).collect();
    assert_eq!(remaining, [47, 15, 15, 7, 3, 1]);
    let bits: Vec<bool> = s.steps.iter().map(|t| t.bit).collect();
    assert_eq!(bits, [true, false, true, true, true, true]);
    // Repeated division gives the same digits.
    let d = repeated_division(47, 2)?;
    assert_eq!(s.digits, d.digits);
    assert_eq!(s.digits, format!("{:b}", 47));
    assert!(s.to_string().ends_with("47 = 32 + 8 + 4 + 2 + 1 → 101111"));
    Ok(())
}

#[test]
fn hex_to_decimal_positional_sum() -> Result<()> {
    let e = positional_expansion("4AF", 16)?;
    let terms: Vec<(u32, u32)> = e.terms.iter().map(|t| (t.digit, t.power)).collect();
    assert_eq!(terms, [(4, 2), (10, 1), (15, 0)]);
    assert_eq!(e.value, 4 * 256 + 10 * 16 + 15);
    assert_eq!(e.value, 0x4AF);
    assert_eq!(
        e.to_string(),
        "4AF (radix 16) = 4×16^2 + 10×16^1 + 15×16^0 = 1199"
    );
    Ok(())
}

#[test]
fn tables_to_know_by_heart() -> Result<()> {
    let t = power_table(0, 15)?;
    let values: Vec<u128> = t.rows.iter().map(|p| p.value).collect();
    let native: Vec<u128> = (0..16).map(|n| 1u128 << n).collect();
    assert_eq!(values, native);
    assert!(t.to_string().contains("15  32,768"));
    // The rule and its error: 2^64 is about 18.4 quintillion, not 16.
    let p = power_of_two(64)?;
    assert_eq!((p.leading, p.name, p.prefix), (16, "quintillion", "exa"));
    assert_eq!(p.rule_value(), 16_000_000_000_000_000_000);
    assert_eq!(p.true_size(), "18.4 quintillion");
    let want = 1.0 - 16e18 / (u64::MAX as f64 + 1.0);
    assert!((p.rule_error() - want).abs() < 1e-12);
    assert!(
        p.rule_line().contains("the rule is 13.3% low"),
        "{}",
        p.rule_line()
    );
    for (n, name) in [(10, "thousand"), (20, "million"), (30, "billion")] {
        let p = power_of_two(n)?;
        assert_eq!((p.leading, p.name), (1, name));
        // 1 - 1000^k / 1024^k
        let k = n / 10;
        let want = 1.0 - (1000f64 / 1024f64).powi(k as i32);
        assert!((p.rule_error() - want).abs() < 1e-12);
    }
    // The hex digit table.
    let h = digit_table(16)?;
    for (i, r) in h.rows.iter().enumerate() {
        assert_eq!(r.value as usize, i);
        assert_eq!(r.binary, format!("{i:04b}"));
        assert_eq!(r.symbol, format!("{i:X}").chars().next().unwrap());
    }
    Ok(())
}

#[test]
fn n_digits_give_r_to_the_n_values() -> Result<()> {
    let d = digit_range(10, 3)?;
    assert_eq!((d.count, d.max), (1000, 999));
    assert_eq!(
        d.to_string(),
        "3 digits in radix 10: 10^3 = 1000 values, 0 … 999"
    );
    let d = digit_range(2, 3)?;
    assert_eq!((d.count, d.max), (8, 7));
    assert_eq!(digit_range(2, 8)?.max, u8::MAX as u128);
    assert_eq!(digit_range(16, 16)?.max, u64::MAX as u128);
    Ok(())
}

#[test]
fn msb_lsb_bytes_nibbles() -> Result<()> {
    let w = 0xCEBF_9AD7u32;
    let s = significance(&Bits::parse("0xCEBF9AD7")?);
    assert_eq!(s.msb, w >> 31 == 1);
    assert_eq!(s.lsb, w & 1 == 1);
    assert_eq!(s.bytes, w.to_be_bytes());
    assert_eq!(
        (s.most_significant_byte(), s.least_significant_byte()),
        (0xCE, 0xD7)
    );
    let nibbles: Vec<u8> = (0..8).rev().map(|i| (w >> (4 * i)) as u8 & 0xF).collect();
    assert_eq!(s.nibbles, nibbles);
    let text = s.to_string();
    assert!(text.contains("MSB (bit 31) = 1, LSB (bit 0) = 1"), "{text}");
    assert!(text.contains("most significant byte 0xCE, least significant byte 0xD7"));
    Ok(())
}

#[test]
fn sixteen_patterns_on_the_number_line() -> Result<()> {
    let l = number_line(
        4,
        &[
            Encoding::Unsigned,
            Encoding::TwosComplement,
            Encoding::SignMagnitude,
        ],
    )?;
    let line = |i: usize| -> Vec<(i128, Vec<String>)> {
        l.lines[i]
            .points
            .iter()
            .map(|(v, ps)| {
                (
                    v.to_i128().unwrap(),
                    ps.iter().map(|p| p.to_string()).collect(),
                )
            })
            .collect()
    };
    // Unsigned: 0..=15 in pattern order.
    let u = line(0);
    assert_eq!(u.first().unwrap(), &(0, vec!["0000".to_string()]));
    assert_eq!(u.last().unwrap(), &(15, vec!["1111".to_string()]));
    // Two's complement: -8 (1000) up to 7 (0111), each pattern the native i8's low nibble.
    let tc = line(1);
    assert_eq!(tc.len(), 16);
    for (v, ps) in &tc {
        assert_eq!(ps, &[format!("{:04b}", (*v as i8 as u8) & 0xF)]);
    }
    // Sign-magnitude: -7 … 7, two patterns at 0.
    let sm = line(2);
    assert_eq!((sm.len(), sm[0].0, sm[14].0), (15, -7, 7));
    assert_eq!(sm[7], (0, vec!["0000".to_string(), "1000".to_string()]));
    assert_eq!(sm[0].1, ["1111"]);
    let text = l.to_string();
    // Two parts of 12 values to fit 120 columns: -8..=3 (axis, 3 lines, the second zero),
    // a blank line, 4..=15 (axis, 3 lines).
    assert!(text.lines().count() == 10, "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 120), "{text}");
    Ok(())
}

#[test]
fn binary_point_in_uq4_4_and_q4_4() -> Result<()> {
    let (uq, q) = (FixedFormat::uq(4, 4)?, FixedFormat::q(4, 4)?);
    for f in [uq, q] {
        let r = read_binary_point("0011.1000", f)?;
        let powers: Vec<i32> = r.terms.iter().map(|t| t.power).collect();
        assert_eq!(powers, [1, 0, -1]); // 2 + 1 + 0.5
        assert_eq!(
            (r.value.raw(), r.value.to_string()),
            (0b0011_1000, "3.5".into())
        );
        let r = read_binary_point("0100.1100", f)?;
        let powers: Vec<i32> = r.terms.iter().map(|t| t.power).collect();
        assert_eq!(powers, [2, -1, -2]); // 4 + 0.5 + 0.25
        assert_eq!(r.value.to_string(), "4.75");
        assert_eq!(r.value.to_binary_point(), "0100.1100");
    }
    // 3.5 + 4.75 = 8.25: fits UQ4.4 (up to 15.9375), not Q4.4 (up to 7.9375).
    let sum = |f| -> Result<_> {
        explain_add(
            Fixed::parse_binary_point("0011.1000", f)?,
            Fixed::parse_binary_point("0100.1100", f)?,
        )
    };
    let t = sum(uq)?;
    assert_eq!((t.raw_sum, t.overflow), (56 + 76, false));
    assert_eq!(
        (t.result.to_binary_point(), t.result.to_string()),
        ("1000.0100".into(), "8.25".into())
    );
    assert!(t.to_string().contains("inside UQ4.4 (0.0 … 15.9375)"));
    let t = sum(q)?;
    assert!(t.overflow);
    assert_eq!(t.exact_sum(), "8.25");
    // The same 8 bits read in Q4.4: (132 - 256) / 16 = -7.75.
    assert_eq!(t.result.raw(), 132 - 256);
    assert_eq!(t.result.to_string(), "-7.75");
    assert!(
        t.to_string()
            .contains("8.25 is outside Q4.4 (-8.0 … 7.9375)"),
        "{t}"
    );
    Ok(())
}

#[test]
fn fixed_division_the_courses_way_and_the_pre_shift_way() -> Result<()> {
    let q44 = FixedFormat::q(4, 4)?;
    let x = |v: f64| Fixed::from_f64(v, q44, NearestEven);
    // 1.5 ÷ 0.5: 24 ÷ 8 = 3, rescaled 3 << 4 = 48 = 3.0; pre-shift (24 << 4) ÷ 8 = 48.
    let t = explain_div(x(1.5)?, x(0.5)?, NearestEven)?;
    assert_eq!(t.naive_quotient, 24 / 8);
    assert_eq!(t.rescaled_quotient, WideInt::from(3 << 4));
    assert_eq!(t.scaled_dividend, WideInt::from(24 << 4));
    assert_eq!((t.result.raw(), t.rescaled_reading()), (48, "3.0".into()));
    assert!(!t.rescaling_differs());
    // 1.0 ÷ 0.75 = 1.333…: the course's way keeps 16 ÷ 12 = 1 → 16 = 1.0; pre-shift
    // 256 ÷ 12 = 21.33 → 21 = 1.3125, the nearest Q4.4 value to 4/3.
    let t = explain_div(x(1.0)?, x(0.75)?, NearestEven)?;
    assert_eq!(t.naive_quotient, 16 / 12);
    assert_eq!(t.rescaled_quotient, WideInt::from(16));
    assert_eq!(t.rescaled_reading(), "1.0");
    assert_eq!(t.result.raw(), (256.0f64 / 12.0).round() as i128);
    assert_eq!(t.result.to_string(), "1.3125");
    assert!(t.rescaling_differs() && t.inexact);
    assert!((4.0 / 3.0 - 1.3125f64).abs() < (4.0 / 3.0 - 1.0f64).abs());
    assert!(t.to_string().contains("loses precision"), "{t}");
    Ok(())
}

#[test]
fn scientific_notation_normalized_and_rounded() -> Result<()> {
    let n = normalize_scientific("1234.5", 5)?;
    let steps: Vec<(&str, i32)> = n.steps.iter().map(|(m, e)| (m.as_str(), *e)).collect();
    assert_eq!(
        steps,
        [("1234.5", 5), ("123.45", 6), ("12.345", 7), ("1.2345", 8)]
    );
    assert_eq!(n.result.to_string(), "1.2345 × 10^8");
    assert_eq!(n.result.to_f64(), 1234.5e5);
    // To 3 and 2 significant digits in every deterministic mode, against f64 arithmetic on
    // exactly representable scaled values (12345 / 100 and 12345 / 1000).
    for mode in RoundingMode::DETERMINISTIC {
        for (digits, unit) in [(3u32, 100.0f64), (2, 1000.0)] {
            let r = n.result.round_to(digits, mode)?;
            let q = 12345.0 / unit;
            let want = match mode {
                RoundingMode::TowardZero | RoundingMode::TowardNegative => q.floor(),
                RoundingMode::TowardPositive => q.ceil(),
                RoundingMode::ToOdd => {
                    let f = q.floor();
                    if f % 2.0 == 0.0 { f + 1.0 } else { f }
                }
                _ => q.round(), // no ties here: 0.45 and 0.345 of a unit
            };
            assert_eq!(r.result.significand as f64, want, "{mode:?} {digits}");
            assert_eq!(r.result.exponent, 8);
            assert_eq!(
                (r.kept, r.dropped),
                (12345 / unit as u128, 12345 % unit as u128)
            );
        }
    }
    // A tie decides by the mode: 1.25 → 1.2 or 1.3; -1.25 toward ±inf.
    let tie = normalize_scientific("1.25", 0)?.result;
    let got: Vec<u128> = RoundingMode::DETERMINISTIC
        .iter()
        .map(|&m| tie.round_to(2, m).map(|r| r.result.significand))
        .collect::<Result<_>>()?;
    assert_eq!(got, [12, 13, 13, 12, 13, 12, 13]);
    let neg = normalize_scientific("-1.25", 0)?.result;
    assert_eq!(
        neg.round_to(2, RoundingMode::TowardPositive)?
            .result
            .mantissa(),
        "-1.2"
    );
    assert_eq!(
        neg.round_to(2, RoundingMode::TowardNegative)?
            .result
            .mantissa(),
        "-1.3"
    );
    Ok(())
}

#[test]
fn i64_max_against_its_nearest_floats() {
    for (f, gap) in [(FloatFormat::FP32, 40), (FloatFormat::FP64, 11)] {
        let r = f.nearest_to_i64(i64::MAX);
        // Native casts: both round i64::MAX up to 2^63.
        assert_eq!(r.float_value, Some(i64::MAX as f32 as i128));
        assert_eq!(r.float_value, Some(i64::MAX as f64 as i128));
        assert_eq!(r.error(), Some(1));
        assert_eq!(r.spacing_power, Some(gap)); // 2^(63 - precision + 1)
        assert_eq!(63 - (f.precision() as i32 - 1), gap);
        assert_eq!(r.approximately().as_deref(), Some("9.22 × 10^18"));
        assert!(
            r.to_string()
                .starts_with("9,223,372,036,854,775,807 → nearest")
        );
    }
    assert_eq!(FloatFormat::FP64.nearest_to_i64(1 << 53).error(), Some(0));
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    fn is<T: std::fmt::Debug>(r: Result<T>, pred: fn(&Error) -> bool) {
        let e = r.unwrap_err();
        assert!(pred(&e), "{e:?}");
    }
    // Radix outside 2..=36.
    for radix in [0, 1, 37, 100] {
        is(column_addition("1", "1", radix, 4), |e| {
            matches!(e, Error::InvalidRadix { .. })
        });
        is(digit_table(radix), |e| {
            matches!(e, Error::InvalidRadix { .. })
        });
        is(digit_range(radix, 3), |e| {
            matches!(e, Error::InvalidRadix { .. })
        });
        is(positional_expansion("1", radix), |e| {
            matches!(e, Error::InvalidRadix { .. })
        });
        is(repeated_division(5, radix), |e| {
            matches!(e, Error::InvalidRadix { .. })
        });
    }
    // Digits not in the radix.
    is(column_addition("1021", "0001", 2, 4), |e| {
        matches!(e, Error::Parse { .. })
    });
    is(column_addition("12", "G", 16, 4), |e| {
        matches!(e, Error::Parse { .. })
    });
    is(column_addition("", "1", 10, 4), |e| {
        matches!(e, Error::Parse { .. })
    });
    is(positional_expansion("4AG", 16), |e| {
        matches!(e, Error::Parse { .. })
    });
    is(
        Fixed::parse_binary_point("0021.1000", FixedFormat::q(4, 4).unwrap()),
        |e| matches!(e, Error::Parse { .. }),
    );
    is(normalize_scientific("12,5", 0), |e| {
        matches!(e, Error::Parse { .. })
    });
    // Zero widths.
    is(column_addition("1", "1", 2, 0), |e| {
        matches!(e, Error::InvalidWidth { .. })
    });
    is(digit_range(10, 0), |e| {
        matches!(e, Error::OutOfRange { .. })
    });
    is(number_line(0, &Encoding::ALL), |e| {
        matches!(e, Error::InvalidWidth { .. })
    });
    is(FixedFormat::q(0, 0), |e| {
        matches!(e, Error::InvalidWidth { .. })
    });
    // Numbers that do not fit the width of a column addition.
    let e = column_addition("10110", "1", 2, 4).unwrap_err();
    assert_eq!(
        e.to_string(),
        "value 10110 is out of range 0..=1111 for operand a of a 4-column radix-2 addition"
    );
    is(column_addition("999", "1000", 10, 3), |e| {
        matches!(e, Error::OutOfRange { .. })
    });
    // Other parameters.
    is(column_addition("1", "1", 2, 129), |e| {
        matches!(e, Error::InvalidWidth { .. })
    });
    is(power_table(5, 4), |e| {
        matches!(e, Error::InvalidParameter { .. })
    });
    is(power_of_two(128), |e| matches!(e, Error::OutOfRange { .. }));
    let x = normalize_scientific("1.5", 0).unwrap().result;
    is(x.round_to(0, NearestEven), |e| {
        matches!(e, Error::OutOfRange { .. })
    });
}
