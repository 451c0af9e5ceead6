//! Regression tests for issue 22 (value parsing and conversions): one test per defect, its
//! story in the doc comment, as bitvec's `tests/issues.rs` does.

use std::time::Instant;

use arithsim::float::{FloatEnv, FloatFormat};
use arithsim::round::RoundingMode;
use num_bigint::BigUint;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn digits(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| (b'0' + (rng.next() % 10) as u8) as char)
        .collect()
}

/// Parsing a decimal literal of 10^6 significant digits took seconds (the whole digit string
/// went through a quadratic big-integer conversion), where `str::parse::<f64>` takes under a
/// millisecond. Now the first `limits::FLOAT_PARSE_EXACT_DIGITS` digits are converted and the
/// rest only set the sticky bit: linear time, same bits as the native parse.
#[test]
fn decimal_parse_of_a_million_digits_is_fast_and_exact() {
    let env = FloatEnv::default();
    let mut rng = Rng(0x1234_5678_9ABC_DEF1);
    for exp in ["", "e-999990", "e-1000300", "e-1000000", "e-999700"] {
        let lit = format!("0.{}{exp}", digits(&mut rng, 1_000_000));
        let t = Instant::now();
        let native = lit.parse::<f64>().unwrap();
        let native_time = t.elapsed();
        let t = Instant::now();
        let ours = FloatFormat::FP64.parse(&lit, &env).unwrap();
        let ours_time = t.elapsed();
        assert_eq!(ours.value, native.to_bits(), "{exp}");
        assert_eq!(
            FloatFormat::FP32.parse(&lit, &env).unwrap().value,
            u64::from(lit.parse::<f32>().unwrap().to_bits()),
            "{exp}"
        );
        assert!(
            ours_time < native_time * 50 + std::time::Duration::from_millis(100),
            "10^6 digits{exp}: ours {ours_time:?}, std {native_time:?}"
        );
    }
}

/// The truncation must stay exact where it matters most: a literal that is exactly the
/// midpoint between two adjacent f64 values (hundreds of digits), then 20,000 zeros, then a 1,
/// lies just above the midpoint and must round up; the midpoint itself ties to even; the
/// digit just below must round down. Checked against the native parse in round-to-nearest
/// and for the directed modes by where the value lies.
#[test]
fn long_literals_just_off_a_midpoint_round_correctly() {
    let mut rng = Rng(0x0DDB_A11C_AFE0_0001);
    for i in 0..40 {
        // Normal and subnormal f64 values.
        let bits = if i % 4 == 0 {
            rng.next() % (1 << 52)
        } else {
            rng.next() % 0x7FE0_0000_0000_0000
        };
        let x = f64::from_bits(bits);
        let (m, e) = if bits >> 52 == 0 {
            (bits, -1074i64)
        } else {
            (
                (bits & ((1 << 52) - 1)) | 1 << 52,
                (bits >> 52) as i64 - 1075,
            )
        };
        // midpoint = (2m + 1) · 2^(e - 1) = M / 10^k: M = (2m + 1) · 5^k with k = 1 - e for
        // e < 1, M = (2m + 1) · 2^(e - 1) with k = 0 otherwise.
        let (mid, k) = if e < 1 {
            let k = (1 - e) as u32;
            (
                BigUint::from(2 * m + 1) * BigUint::from(5u32).pow(k),
                u64::from(k),
            )
        } else {
            (BigUint::from(2 * m + 1) << (e - 1) as usize, 0)
        };
        // M · 10^20001 ± 1, at 10^-(k + 20001): just above and just below the midpoint.
        let scaled = &mid * BigUint::from(10u32).pow(20_001);
        let one = BigUint::from(1u32);
        let above = format!("{}e-{}", &scaled + &one, k + 20_001);
        let below = format!("{}e-{}", &scaled - &one, k + 20_001);
        let exact = format!("{mid}e-{k}");
        let env = FloatEnv::default();
        for lit in [&above, &exact, &below] {
            assert_eq!(
                FloatFormat::FP64.parse(lit, &env).unwrap().value,
                lit.parse::<f64>().unwrap().to_bits(),
                "x = {x:e}"
            );
        }
        let up = f64::from_bits(bits + 1).to_bits();
        let toward = |mode| FloatEnv::new(mode);
        assert_eq!(
            FloatFormat::FP64
                .parse(&above, &toward(RoundingMode::TowardPositive))
                .unwrap()
                .value,
            up
        );
        assert_eq!(
            FloatFormat::FP64
                .parse(&above, &toward(RoundingMode::TowardZero))
                .unwrap()
                .value,
            bits
        );
        assert_eq!(
            FloatFormat::FP64
                .parse(&below, &toward(RoundingMode::TowardPositive))
                .unwrap()
                .value,
            up
        );
    }
}

/// Found in the fresh hostile pass: `normalize_scientific("0.000…01", 0)` with 10^6 zeros
/// moved the point one place per step and wrote the whole mantissa at every step (10^12
/// characters: a hang, then out of memory). The mantissa length is now bounded by
/// `limits::SCIENTIFIC_MAX_MANTISSA_CHARS`, checked first.
#[test]
fn normalize_scientific_of_a_huge_mantissa_is_refused_quickly() {
    use arithsim::float::normalize_scientific;
    let t = Instant::now();
    let long = format!("0.{}1", "0".repeat(1_000_000));
    let err = normalize_scientific(&long, 0).unwrap_err();
    assert!(
        t.elapsed() < std::time::Duration::from_secs(1),
        "{:?}",
        t.elapsed()
    );
    assert!(
        err.to_string().contains("SCIENTIFIC_MAX_MANTISSA_CHARS"),
        "{err}"
    );
    // Within the limit the trace is complete: one step per place the point moves.
    let ok = format!("0.{}1", "0".repeat(1000));
    let n = normalize_scientific(&ok, 0).unwrap();
    assert_eq!(n.steps.len(), 1002);
    assert_eq!((n.result.significand, n.result.exponent), (1, -1001));
}
