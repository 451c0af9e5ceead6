//! Never a panic (issue 22), values half: the public entry points of `repr`, `round`,
//! `fixed` and `float` that take a width, a format, a string or a bit pattern, driven with
//! extreme values (0, 1, the limits and one past them, `u32::MAX`, NaN, ±inf, empty and huge
//! strings) and proptest-generated input, return `Ok` or `Err` — or, for the functions whose
//! contract is total (`convert`, `add`, ... on any bit pattern), a value — never a panic,
//! each call within a time bound.

use arithsim::Signedness;
use std::str::FromStr;
use std::sync::mpsc;
use std::time::Duration;

use arithsim::fixed::{Fixed, FixedFormat, read_binary_point};
use arithsim::float::{F16, FloatEnv, FloatFormat, FloatValue, Specials, normalize_scientific};
use arithsim::limits;
use arithsim::repr::{
    Bits, Encoding, binary_to_hex, column_addition, digit_range, digit_table, hex_to_binary,
    number_line, positional_expansion, power_of_two, power_table, repeated_division,
};
use arithsim::round::RoundingMode;
use proptest::prelude::*;

const DEADLINE: Duration = Duration::from_secs(20);

/// Runs `f` on a 2 MB-stack thread; fails on a panic or a missed deadline.
fn bounded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let h = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let r = f();
            let _ = tx.send(());
            r
        })
        .unwrap();
    match rx.recv_timeout(DEADLINE) {
        Ok(()) => h.join().unwrap_or_else(|_| panic!("{what}: panicked")),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: panicked"),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: over {DEADLINE:?}"),
    }
}

const WIDTHS: [u32; 9] = [0, 1, 2, 16, 17, 64, 128, 129, u32::MAX];
const MODES: [RoundingMode; 3] = [
    RoundingMode::NearestEven,
    RoundingMode::TowardZero,
    RoundingMode::TowardPositive,
];

/// Strings every parser must survive: empty, signs alone, specials, huge digit runs, huge
/// exponents, stray characters.
fn hostile_strings() -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        "-",
        "+",
        ".",
        "e",
        "e5",
        "0x",
        "0x.p1",
        "1e",
        "1e+",
        "--1",
        "+-1",
        "nan",
        "-inf",
        "infinity",
        "INF",
        "1.2.3",
        "0b",
        "0b2",
        "0o8",
        "0xg",
        "1_000",
        " 1",
        "1 ",
        "\u{0}",
        "١٢٣",
        "1e2147483648",
        "1e-2147483649",
        "0x1p99999999999999999999",
        "9".repeat(40).as_str(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("9".repeat(1 << 20));
    v.push(format!("0.{}1", "0".repeat(1 << 20)));
    v.push(format!("1{}e-1000000", "0".repeat(1 << 20)));
    v.push(format!("0x{}", "f".repeat(1 << 20)));
    v.push(format!("0x1p-{}", "9".repeat(1 << 16)));
    v.push("1".repeat(1 << 20));
    v
}

#[test]
fn repr_entry_points_at_extremes() {
    for s in hostile_strings() {
        bounded("repr strings", move || {
            let _ = Bits::parse(&s);
            for radix in [0, 1, 2, 10, 16, 36, 37, u32::MAX] {
                let _ = Bits::parse_radix(&s, radix);
                let _ = positional_expansion(&s, radix);
                let _ = column_addition(&s, &s, radix, 8);
            }
            let _ = hex_to_binary(&s);
            let _ = binary_to_hex(&s);
        });
    }
    for w in WIDTHS {
        bounded(&format!("repr width {w}"), move || {
            let _ = Bits::zero(w);
            let _ = Bits::from_u128(u128::MAX, w);
            let _ = Bits::from_i128(i128::MIN, w);
            for e in [
                Encoding::Unsigned,
                Encoding::SignMagnitude,
                Encoding::OnesComplement,
                Encoding::TwosComplement,
            ] {
                let _ = e.range(w);
                let _ = e.encode(i128::MIN, w);
                if w <= limits::ENCODING_TABLE_MAX_WIDTH + 1 {
                    let _ = e.table(w);
                }
            }
            let _ = number_line(w, &[Encoding::TwosComplement]);
            let _ = power_of_two(w);
            let _ = power_table(w, w);
            let _ = power_table(0, w);
            for radix in [0, 1, 2, 10, 36, 37, u32::MAX] {
                let _ = digit_range(radix, w);
                let _ = digit_table(radix);
                let _ = repeated_division(u128::MAX, radix);
            }
            let b = Bits::from_u128(5, 8).unwrap();
            let _ = b.sign_extend(w);
            let _ = b.zero_extend(w);
            let _ = b.truncate(w);
            let _ = b.bit(w);
            let _ = b.slice(w..w.wrapping_add(3));
            let _ = b.slice(3..w);
        });
    }
}

#[test]
fn fixed_entry_points_at_extremes() {
    for i in WIDTHS {
        for f in WIDTHS {
            bounded(&format!("fixed {i}.{f}"), move || {
                for signed in Signedness::ALL {
                    let Ok(fmt) = FixedFormat::new(i, f, signed) else {
                        continue;
                    };
                    for x in [
                        f64::NAN,
                        f64::INFINITY,
                        -f64::INFINITY,
                        f64::MAX,
                        -0.0,
                        1e-300,
                    ] {
                        for m in MODES {
                            let _ = Fixed::from_f64(x, fmt, m);
                        }
                    }
                    for raw in [i128::MIN, i128::MAX, 0, -1] {
                        let _ = Fixed::from_raw(fmt, raw);
                    }
                    let _ = Fixed::from_bits(fmt, u64::MAX);
                    let (lo, hi) = (Fixed::min_value(fmt), Fixed::max_value(fmt));
                    for m in MODES {
                        let _ = lo.checked_mul(hi, m);
                        let _ = lo.wrapping_mul(lo, m);
                        let _ = lo.checked_div(Fixed::zero(fmt), m);
                        let _ = hi.checked_div(lo, m);
                    }
                    let _ = lo.checked_add(hi);
                    let _ = lo.saturating_add(lo);
                    let _ = lo.wrapping_add(lo);
                    for s in ["", ".", "1.1", "0b1.1", "1".repeat(200).as_str(), "1.2"] {
                        let _ = Fixed::parse_binary_point(s, fmt);
                        let _ = read_binary_point(s, fmt);
                    }
                }
            });
        }
    }
}

#[test]
fn float_entry_points_at_extremes() {
    let mut formats = vec![
        FloatFormat::FP16,
        FloatFormat::BF16,
        FloatFormat::FP8_E4M3,
        FloatFormat::FP8_E5M2,
        FloatFormat::FP32,
        FloatFormat::FP64,
    ];
    for e in [0, 1, 2, 11, 12, u32::MAX] {
        for m in [0, 1, 52, 53, u32::MAX] {
            if let Ok(f) = FloatFormat::new(e, m) {
                formats.push(f);
            }
            for bias in [i32::MIN, -1, 0, i32::MAX] {
                for sp in [Specials::Ieee, Specials::FiniteOnly, Specials::Fnuz] {
                    if let Ok(f) = FloatFormat::with_bias(e, m, bias, sp) {
                        formats.push(f);
                    }
                }
            }
        }
    }
    let strings = std::sync::Arc::new(hostile_strings());
    for f in formats.clone() {
        let formats = formats.clone();
        let strings = strings.clone();
        bounded(&format!("{f:?}"), move || {
            let env = FloatEnv::default();
            for s in strings.iter() {
                let _ = f.parse(s, &env);
            }
            let pats = [0, 1, u64::MAX, f.sign_bit(), f.mask(), f.max_finite_bits()];
            for &a in &pats {
                let _ = FloatValue::new(f, a);
                for &b in &pats {
                    let _ = f.add(a, b, &env);
                    let _ = f.mul(a, b, &env);
                    let _ = f.div(a, b, &env);
                    let _ = f.fma(a, b, b, &env);
                }
                let _ = f.sqrt(a, &env);
                for &g in &formats {
                    let _ = f.convert(a, g, &env);
                }
                let _ = f.to_f64(a, &env);
            }
            for x in [
                f64::NAN,
                f64::INFINITY,
                -f64::INFINITY,
                f64::MAX,
                f64::MIN_POSITIVE,
                -0.0,
            ] {
                let _ = f.from_f64(x, &env);
            }
        });
    }
    for s in hostile_strings() {
        bounded("typed and scientific", move || {
            let _ = F16::from_str(&s);
            for e in [0, i32::MIN, i32::MAX] {
                if let Ok(n) = normalize_scientific(&s, e) {
                    for k in [0, 1, 38, 39, u32::MAX] {
                        let _ = n.result.round_to(k, RoundingMode::NearestEven);
                    }
                }
            }
        });
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn float_parse_of_random_text_never_panics(s in "[-+0-9a-fA-FxXpPeE.infatyINFATY_ ]{0,60}") {
        let env = FloatEnv::default();
        for f in [FloatFormat::FP8_E4M3, FloatFormat::FP16, FloatFormat::FP64] {
            let _ = f.parse(&s, &env);
        }
        let _ = Bits::parse(&s);
        let _ = F16::from_str(&s);
    }

    #[test]
    fn float_parse_of_valid_decimals_matches_native(
        digits in "[0-9]{1,40}",
        point in 0usize..40,
        exp in -400i32..400,
    ) {
        let p = point.min(digits.len());
        let s = format!("{}.{}e{exp}", &digits[..p], &digits[p..]);
        let got = FloatFormat::FP64.parse(&s, &FloatEnv::default()).unwrap().value;
        prop_assert_eq!(got, s.parse::<f64>().unwrap().to_bits());
    }

    #[test]
    fn repr_parse_of_random_text_never_panics(s in "\\PC{0,40}", radix in 0u32..40) {
        let _ = Bits::parse(&s);
        let _ = Bits::parse_radix(&s, radix);
        let _ = positional_expansion(&s, radix);
        let _ = column_addition(&s, "101", radix, 8);
    }
}
