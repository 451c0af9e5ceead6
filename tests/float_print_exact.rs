//! The printing rule for students (see `FloatDisplay`): `{}` is the exact decimal for formats
//! of at most 8 bits and for values whose exact decimal has at most 6 significant digits, else
//! the shortest round trip (`{:#}`). Checked over every pattern of E4M3, E5M2 and FP16.

use arithsim::float::{FloatEnv, FloatFormat};

/// Significant digits of a plain decimal string.
fn significant_digits(s: &str) -> usize {
    let d: String = s.chars().filter(char::is_ascii_digit).collect();
    let d = d.trim_start_matches('0').trim_end_matches('0');
    d.len().max(1)
}

fn check_every_pattern(f: FloatFormat) -> (usize, usize) {
    let env = FloatEnv::default();
    let (mut exact_printed, mut shortest_printed) = (0, 0);
    for bits in 0..=f.mask() {
        if f.is_nan_or_infinity(bits) {
            continue;
        }
        let exact = f.exact_decimal(bits);
        let value = f.bits_to_f64(bits);
        // The exact decimal is the value (every E4M3/E5M2/FP16 value is an f64, and Rust's
        // parser is correctly rounded) and reads back to the same bits.
        assert_eq!(
            exact.parse::<f64>().unwrap(),
            value,
            "{f} {bits:#x}: {exact}"
        );
        assert_eq!(f.parse(&exact, &env).unwrap().value, bits, "{f} {bits:#x}");
        let printed = f.display(bits).to_string();
        let shortest = format!("{:#}", f.display(bits));
        // Whatever is printed reads back to the same bits.
        assert_eq!(f.parse(&printed, &env).unwrap().value, bits, "{printed}");
        assert_eq!(f.parse(&shortest, &env).unwrap().value, bits, "{shortest}");
        let rule = f.width() <= 8 || significant_digits(&exact) <= 6;
        if rule {
            assert_eq!(printed, exact, "{f} {bits:#x}");
            exact_printed += 1;
        } else {
            assert_eq!(printed, shortest, "{f} {bits:#x}");
            shortest_printed += 1;
        }
    }
    (exact_printed, shortest_printed)
}

#[test]
fn fp8_prints_every_value_exactly() {
    for f in [FloatFormat::FP8_E4M3, FloatFormat::FP8_E5M2] {
        let (exact, shortest) = check_every_pattern(f);
        assert_eq!(shortest, 0);
        assert!(exact >= 240, "{f}: {exact}");
    }
    let e4m3 = FloatFormat::FP8_E4M3;
    assert_eq!(e4m3.display(0x7E).to_string(), "448");
    assert_eq!(e4m3.display(0x70).to_string(), "128");
    assert_eq!(e4m3.display(0x01).to_string(), "0.001953125");
    assert_eq!(format!("{:#}", e4m3.display(0x7E)), "450");
    assert_eq!(format!("{:#}", e4m3.display(0x70)), "130");
}

#[test]
fn fp16_prints_short_values_exactly_and_others_shortest() {
    let (exact, shortest) = check_every_pattern(FloatFormat::FP16);
    // Both branches of the rule are exercised.
    assert!(exact > 1000 && shortest > 10000, "{exact} {shortest}");
    let f = FloatFormat::FP16;
    assert_eq!(f.display(0x7BFF).to_string(), "65504");
    assert_eq!(f.display(0x2E66).to_string(), "0.1");
    assert_eq!(f.display(0xBC00).to_string(), "-1");
    assert_eq!(f.display(0x8000).to_string(), "-0");
}
