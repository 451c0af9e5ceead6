//! Literal parsing and shortest printing against independent references: Rust's own
//! correctly rounded `str::parse::<f32/f64>` and shortest `Display`, rustc_apfloat in every
//! IEEE rounding mode, and midpoints built exactly in the test.

use arithsim::float::{FloatEnv, FloatFormat};
use arithsim::round::{Flags, RoundingMode};
use rustc_apfloat::ieee::{BFloat, Double, Half, Single};
use rustc_apfloat::{Float, Round};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A random decimal literal: 1..=25 significant digits, a point somewhere, an exponent.
fn random_literal(rng: &mut Rng, exp_range: i64) -> String {
    let n = 1 + rng.below(25) as usize;
    let digits: String = (0..n)
        .map(|_| (b'0' + rng.below(10) as u8) as char)
        .collect();
    let point = rng.below(n as u64 + 1) as usize;
    let exp = rng.below(2 * exp_range as u64 + 1) as i64 - exp_range;
    let sign = if rng.below(2) == 0 { "" } else { "-" };
    format!("{sign}{}.{}e{exp}", &digits[..point], &digits[point..])
}

#[test]
fn random_decimals_match_native_parse_f32_and_f64() {
    let env = FloatEnv::default();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..20_000 {
        let s = random_literal(&mut rng, if i % 2 == 0 { 50 } else { 330 });
        let want64 = s.parse::<f64>().unwrap().to_bits();
        let got64 = FloatFormat::FP64.parse(&s, &env).unwrap().value;
        assert_eq!(got64, want64, "FP64 {s}");
        let want32 = s.parse::<f32>().unwrap().to_bits() as u64;
        let got32 = FloatFormat::FP32.parse(&s, &env).unwrap().value;
        assert_eq!(got32, want32, "FP32 {s}");
    }
}

#[test]
fn every_ieee_mode_matches_rustc_apfloat_values() {
    let mut rng = Rng(0x1234_5678_9ABC_DEF1);
    let modes = [
        (RoundingMode::NearestEven, Round::NearestTiesToEven),
        (RoundingMode::NearestAway, Round::NearestTiesToAway),
        (RoundingMode::TowardZero, Round::TowardZero),
        (RoundingMode::TowardPositive, Round::TowardPositive),
        (RoundingMode::TowardNegative, Round::TowardNegative),
    ];
    for i in 0..4_000 {
        let s = random_literal(&mut rng, if i % 2 == 0 { 8 } else { 45 });
        for (mode, round) in modes {
            let env = FloatEnv::new(mode);
            let cases: [(FloatFormat, u128); 4] = [
                (
                    FloatFormat::FP16,
                    Half::from_str_r(&s, round).unwrap().value.to_bits(),
                ),
                (
                    FloatFormat::BF16,
                    BFloat::from_str_r(&s, round).unwrap().value.to_bits(),
                ),
                (
                    FloatFormat::FP32,
                    Single::from_str_r(&s, round).unwrap().value.to_bits(),
                ),
                (
                    FloatFormat::FP64,
                    Double::from_str_r(&s, round).unwrap().value.to_bits(),
                ),
            ];
            for (f, want) in cases {
                let got = f.parse(&s, &env).unwrap();
                assert_eq!(got.value as u128, want, "{f} {mode:?} {s}");
            }
        }
    }
}

/// The literal `mid ± tiny` where `mid` is the exact midpoint between two adjacent values:
/// parsing through f64 first lands exactly on the tie and then rounds it to even — wrong when
/// the true value is above the tie and the lower neighbour is even.
#[test]
fn no_double_rounding_near_midpoints_fp16_and_bf16_exhaustive() {
    let mut double_rounding_cases = 0;
    for f in [FloatFormat::FP16, FloatFormat::BF16] {
        for lo in 0..(f.max_finite_bits()) {
            let hi = lo + 1;
            let mid = (f.bits_to_f64(lo) + f.bits_to_f64(hi)) / 2.0; // exact in f64
            let mid_s = FloatFormat::FP64.exact_decimal(mid.to_bits());
            let point = if mid_s.contains('.') { "" } else { "." };
            let above = format!("{mid_s}{point}000000000000000000000000000001");
            let lo_even = lo % 2 == 0;
            for (mode, want_above, want_tie) in [
                (RoundingMode::NearestEven, hi, if lo_even { lo } else { hi }),
                (RoundingMode::NearestAway, hi, hi),
                (RoundingMode::NearestTowardPositive, hi, hi),
                (RoundingMode::TowardZero, lo, lo),
                (RoundingMode::TowardPositive, hi, hi),
                (RoundingMode::TowardNegative, lo, lo),
                (
                    RoundingMode::ToOdd,
                    if lo_even { hi } else { lo },
                    if lo_even { hi } else { lo },
                ),
            ] {
                let env = FloatEnv::new(mode);
                let got = f.parse(&above, &env).unwrap();
                if got.flags.contains(Flags::OVERFLOW) {
                    continue;
                }
                assert_eq!(got.value, want_above, "{f} {mode:?} {above}");
                assert!(got.flags.contains(Flags::INEXACT));
                assert_eq!(
                    f.parse(&mid_s, &env).unwrap().value,
                    want_tie,
                    "{f} {mode:?} {mid_s}"
                );
                // Below the tie (negated literal mirrors it).
                let neg = format!("-{above}");
                let got = f.parse(&neg, &env).unwrap().value;
                let mirrored = match mode {
                    RoundingMode::TowardPositive => lo,
                    RoundingMode::TowardNegative => hi,
                    RoundingMode::NearestTowardPositive => hi,
                    _ => want_above,
                };
                assert_eq!(got, mirrored | f.sign_bit(), "{f} {mode:?} {neg}");
            }
            // What parsing through f64 would have produced.
            let via_f64 = f
                .from_f64(above.parse::<f64>().unwrap(), &FloatEnv::default())
                .value;
            if via_f64 != hi {
                double_rounding_cases += 1;
            }
            if f == FloatFormat::BF16 && lo > 0x100 {
                // BF16: a sample of the low range plus the loop's step below is plenty.
                break;
            }
        }
    }
    // The hazard is real: f64 double-rounds about half of these literals.
    assert!(double_rounding_cases > 10_000, "{double_rounding_cases}");
}

#[test]
fn hex_literals_and_specials() {
    let env = FloatEnv::default();
    let f = FloatFormat::FP32;
    for (s, want) in [
        ("0x1.8p3", 12.0f32),
        ("-0x1p-149", -1e-45),
        ("0x1.fffffep127", f32::MAX),
        ("0X.8P1", 1.0),
        ("0x10", 16.0),
    ] {
        assert_eq!(
            f.parse(s, &env).unwrap().value,
            want.to_bits() as u64,
            "{s}"
        );
    }
    // 0x1.000001p0 is halfway between 1 and 1 + 2^-23 in FP32: ties to even.
    assert_eq!(f.parse("0x1.000001p0", &env).unwrap().value, 0x3F80_0000);
    assert_eq!(f.parse("0x1.0000011p0", &env).unwrap().value, 0x3F80_0001);
    assert_eq!(f.parse("inf", &env).unwrap().value, 0x7F80_0000);
    assert_eq!(f.parse("-Infinity", &env).unwrap().value, 0xFF80_0000);
    assert!(f.is_nan(f.parse("NaN", &env).unwrap().value));
    assert_eq!(f.parse("-0", &env).unwrap().value, 0x8000_0000);
    // Overflow and underflow flags come from the one rounding.
    let r = f.parse("1e39", &env).unwrap();
    assert_eq!(
        (r.value, r.flags),
        (0x7F80_0000, Flags::OVERFLOW | Flags::INEXACT)
    );
    let r = f.parse("1e-46", &env).unwrap();
    assert_eq!((r.value, r.flags), (0, Flags::UNDERFLOW | Flags::INEXACT));
    let r = f.parse("1e-45", &env).unwrap();
    assert_eq!((r.value, r.flags), (1, Flags::UNDERFLOW | Flags::INEXACT));
    // FP8 E4M3 has no infinity: overflow saturates toward zero, NaN otherwise (OCP).
    let e4m3 = FloatFormat::FP8_E4M3;
    assert_eq!(e4m3.parse("448", &env).unwrap().value, 0x7E);
    assert_eq!(e4m3.parse("1e6", &env).unwrap().value, 0x7F);
    let tz = FloatEnv::new(RoundingMode::TowardZero);
    assert_eq!(e4m3.parse("-1e6", &tz).unwrap().value, 0xFE);
}

#[test]
fn errors_on_bad_literals_have_clear_messages() {
    let env = FloatEnv::default();
    for (s, msg) in [
        ("", "cannot parse \"\": empty literal"),
        ("+", "cannot parse \"+\": no digits after the sign"),
        (
            "1.2.3",
            "cannot parse \"1.2.3\": unexpected character '.' in a decimal literal",
        ),
        (
            "0x1.8q3",
            "cannot parse \"0x1.8q3\": unexpected character 'q' in a hex literal",
        ),
        ("2e", "cannot parse \"2e\": no digits in the exponent"),
        ("e5", "cannot parse \"e5\": no digits in the significand"),
    ] {
        let e = FloatFormat::FP16.parse(s, &env).unwrap_err();
        assert_eq!(e.to_string(), msg);
        assert!(matches!(e, arithsim::Error::Parse { .. }));
    }
}

#[test]
fn shortest_display_matches_rust_for_f32_and_f64_samples() {
    let mut rng = Rng(0xDEAD_BEEF_CAFE_F00D);
    for i in 0..20_000u32 {
        let b32 = rng.next() as u32;
        let x = f32::from_bits(b32);
        let d = FloatFormat::FP32.display(b32 as u64);
        if !x.is_nan() {
            assert_eq!(d.to_string(), x.to_string(), "{b32:#x}");
            assert_eq!(format!("{d:e}"), format!("{x:e}"), "{b32:#x}");
        }
        if i % 4 == 0 {
            let b64 = rng.next();
            let y = f64::from_bits(b64);
            if !y.is_nan() {
                let d = FloatFormat::FP64.display(b64);
                assert_eq!(format!("{d:e}"), format!("{y:e}"), "{b64:#x}");
            }
        }
    }
    // Flags and padding like Rust's.
    for x in [1.5f32, -0.25, f32::INFINITY, 0.0] {
        let d = FloatFormat::FP32.display(x.to_bits() as u64);
        assert_eq!(format!("{d:+}"), format!("{x:+}"));
        assert_eq!(
            format!("{d:>8}|{d:<8}|{d:^8}"),
            format!("{x:>8}|{x:<8}|{x:^8}")
        );
        assert_eq!(format!("{d:08.2}"), format!("{x:08.2}"));
        assert_eq!(
            format!("{d:.3e}|{d:.0e}|{d:+.2e}"),
            format!("{x:.3e}|{x:.0e}|{x:+.2e}")
        );
    }
    // Precision: the exact value rounded, like Rust.
    for x in [0.1f32, 2.5, 1e-45, 3.4028235e38, 0.125, 9.995, 99.5] {
        let d = FloatFormat::FP32.display(x.to_bits() as u64);
        for p in [0usize, 1, 2, 3, 9] {
            assert_eq!(format!("{d:.p$}"), format!("{x:.p$}"));
            assert_eq!(format!("{d:.p$e}"), format!("{x:.p$e}"));
        }
    }
}

#[test]
fn shortest_round_trips_exhaustively_in_small_formats_and_sampled_fp32() {
    let env = FloatEnv::default();
    for (name, f) in FloatFormat::PRESETS {
        if f.width() > 16 {
            continue;
        }
        for bits in 0..(1u64 << f.width()) {
            if f.is_nan(bits) {
                continue;
            }
            let want = if f.is_zero(bits) {
                f.zero_bits(f.is_sign_negative(bits))
            } else {
                bits
            };
            let s = f.display(bits).to_string();
            assert_eq!(
                f.parse(&s, &env).unwrap().value,
                want,
                "{name} {bits:#x} {s}"
            );
            // Shortest: one digit fewer never reads back (checked on the scientific form).
            let e = format!("{:e}", f.display(bits));
            let mantissa = e.split('e').next().unwrap().replace(['.', '-'], "");
            if mantissa.len() > 1 && f.is_finite(bits) && f.magnitude(bits) != f.max_finite_bits() {
                let exp: i32 = e.split('e').nth(1).unwrap().parse().unwrap();
                let digits = mantissa.len() as i32;
                // Both neighbours with one digit fewer, at the same scale.
                let t: u64 = mantissa[..mantissa.len() - 1].parse().unwrap();
                for cand in [t, t + 1] {
                    let sign = if f.is_sign_negative(bits) { "-" } else { "" };
                    let lit = format!("{sign}{cand}e{}", exp - digits + 2);
                    assert_ne!(
                        f.parse(&lit, &env).unwrap().value,
                        want,
                        "{name} {bits:#x}: {lit} is shorter than {e}"
                    );
                }
            }
        }
    }
    let f = FloatFormat::FP32;
    let mut rng = Rng(42);
    for _ in 0..30_000 {
        let bits = rng.next() & 0xFFFF_FFFF;
        if f.is_nan(bits) {
            continue;
        }
        let s = f.display(bits).to_string();
        assert_eq!(f.parse(&s, &env).unwrap().value, bits, "{bits:#x} {s}");
    }
}

/// Exact `digits × 10^exp10` against `m × 2^k`, with big integers.
fn cmp_dec_bin(digits: u64, exp10: i32, m: u64, k: i32) -> std::cmp::Ordering {
    use num_bigint::BigUint;
    let mut l = BigUint::from(digits);
    let mut r = BigUint::from(m);
    if exp10 >= 0 {
        l *= BigUint::from(10u32).pow(exp10 as u32);
    } else {
        r *= BigUint::from(10u32).pow((-exp10) as u32);
    }
    if k >= 0 {
        r <<= k as usize;
    } else {
        l <<= (-k) as usize;
    }
    l.cmp(&r)
}

/// Every deterministic mode (including round-to-odd and ties-toward-+inf, which rustc_apfloat
/// lacks) in the 8-, 6- and 4-bit formats, against a reference that brackets the literal
/// between two adjacent values by exact comparison and then applies the mode's rule.
#[test]
fn small_formats_every_mode_against_exact_bracketing() {
    use std::cmp::Ordering;
    let mut rng = Rng(0xABCD_EF01_2345_6789);
    for (name, f) in FloatFormat::PRESETS {
        if f.width() > 8 {
            continue;
        }
        // Positive finite values in increasing order (the encoding is monotone).
        let values: Vec<(u64, u64, i32)> = (0..=f.max_finite_bits())
            .filter(|&b| !f.is_nan(b))
            .map(|b| {
                let u = f.unpack(b);
                (b, u.significand, u.exponent)
            })
            .collect();
        for _ in 0..1500 {
            let digits = 1 + rng.below(9999);
            let exp10 = rng.below(9) as i32 - 7;
            // Stay at or below the largest finite value: overflow has its own tests.
            let (_, mm, mk) = *values.last().unwrap();
            if cmp_dec_bin(digits, exp10, mm, mk) == Ordering::Greater {
                continue;
            }
            let lit = format!("{digits}e{exp10}");
            // lo <= r < hi (hi may be missing only when r == max).
            let i = values.partition_point(|&(_, m, k)| {
                m == 0 || cmp_dec_bin(digits, exp10, m, k) != Ordering::Less
            });
            let (lo, lm, lk) = values[i - 1];
            let exact = lm != 0 && cmp_dec_bin(digits, exp10, lm, lk) == Ordering::Equal;
            for negative in [false, true] {
                let s = if negative {
                    format!("-{lit}")
                } else {
                    lit.clone()
                };
                for mode in RoundingMode::DETERMINISTIC {
                    let got = f.parse(&s, &FloatEnv::new(mode)).unwrap();
                    let want = if exact {
                        lo
                    } else {
                        let (hi, hm, hk) = values[i];
                        // Twice r against lo + hi, exactly: r vs (lo + hi) / 2.
                        let mid = {
                            let e = lk.min(hk);
                            let m = (lm << (lk - e)) + (hm << (hk - e));
                            cmp_dec_bin(digits, exp10, m, e - 1)
                        };
                        let up = match mode {
                            RoundingMode::NearestEven => {
                                mid == Ordering::Greater || (mid == Ordering::Equal && lo % 2 == 1)
                            }
                            RoundingMode::NearestAway => mid != Ordering::Less,
                            RoundingMode::NearestTowardPositive => {
                                mid == Ordering::Greater || (mid == Ordering::Equal && !negative)
                            }
                            RoundingMode::TowardZero => false,
                            RoundingMode::TowardPositive => !negative,
                            RoundingMode::TowardNegative => negative,
                            RoundingMode::ToOdd => lo % 2 == 0,
                            RoundingMode::Stochastic { .. } => unreachable!(),
                        };
                        if up { hi } else { lo }
                    };
                    let want = if want == 0 {
                        f.zero_bits(negative)
                    } else if negative {
                        want | f.sign_bit()
                    } else {
                        want
                    };
                    assert_eq!(got.value, want, "{name} {mode:?} {s}");
                    assert_eq!(
                        got.flags.contains(Flags::INEXACT),
                        !exact,
                        "{name} {mode:?} {s}"
                    );
                }
            }
        }
    }
}

#[test]
fn bit_fields_of_specials_in_every_convention() {
    let cases = [
        (
            FloatFormat::FP8_E4M3,
            0x7F,
            "0 | 1111 | 111  (+, quiet NaN) = NaN",
        ),
        (
            FloatFormat::FP8_E4M3,
            0x7E,
            "0 | 1111 | 110  (+, exponent 15 - 7 = 8, significand 1.110b) = 448",
        ),
        (
            FloatFormat::FP8_E4M3FNUZ,
            0x80,
            "1 | 0000 | 000  (-, quiet NaN) = NaN",
        ),
        (
            FloatFormat::FP4_E2M1,
            0xF,
            "1 | 11 | 1  (-, exponent 3 - 1 = 2, significand 1.1b) = -6",
        ),
        (
            FloatFormat::FP16,
            0x8000,
            "1 | 00000 | 0000000000  (-, zero: exponent 1 - 15 = -14, significand 0.0000000000b) = -0",
        ),
        (
            FloatFormat::FP16,
            0x7D00,
            "0 | 11111 | 0100000000  (+, signalling NaN) = NaN",
        ),
        (
            FloatFormat::FP32,
            0xFF80_0000,
            "1 | 11111111 | 00000000000000000000000  (-, infinity) = -inf",
        ),
    ];
    for (f, bits, want) in cases {
        assert_eq!(f.fields(bits).to_string(), want, "{f} {bits:#x}");
    }
    // Long exact expansions are summarised by the shortest decimal.
    assert!(
        FloatFormat::FP32
            .fields(0x3DCC_CCCD)
            .to_string()
            .ends_with(" ~ 0.1")
    );
}
