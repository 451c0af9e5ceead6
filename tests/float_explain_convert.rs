//! Conversion traces: the trace's own rounding gives the converter's bits and flags, its
//! rounding step agrees with the packed significand, and one worked example reads as written.

use arithsim::float::{FloatEnv, FloatFormat, OverflowPolicy};
use arithsim::round::{Flags, RoundingMode};

fn envs() -> Vec<FloatEnv> {
    let mut v = Vec::new();
    for m in RoundingMode::DETERMINISTIC {
        for o in [OverflowPolicy::Nan, OverflowPolicy::Saturate] {
            let mut e = FloatEnv::new(m);
            e.overflow = o;
            v.push(e);
        }
    }
    v
}

/// The rounding step's significand is the packed one (after a carry, one bit shorter).
fn check_rounding_step(t: &arithsim::float::ConversionExplanation) {
    let (Some(r), res) = (t.rounding, t.result) else {
        return;
    };
    let to = t.format;
    if res.flags.contains(Flags::OVERFLOW) || to.is_nan_or_infinity(res.value) {
        return;
    }
    let u = to.unpack(res.value);
    let want = if r.carry {
        r.rounded.value >> 1
    } else {
        r.rounded.value
    };
    assert_eq!(u128::from(u.significand), want, "{t}");
}

#[test]
fn traces_from_formats_give_the_converters_bits() {
    let mut n = 0;
    for env in envs() {
        for bits in 0..=0xFFFFu64 {
            for to in [
                FloatFormat::FP8_E4M3,
                FloatFormat::FP8_E5M2,
                FloatFormat::FP8_E4M3FNUZ,
            ] {
                let t = FloatFormat::FP16.explain_convert(bits, to, &env);
                assert_eq!(t.result, FloatFormat::FP16.convert(bits, to, &env), "{t}");
                check_rounding_step(&t);
                n += 1;
            }
        }
        // FP32 → FP16 and BF16 on a spread of patterns (every 65537th, specials included).
        for bits in (0..=0xFFFF_FFFFu64)
            .step_by(65_537)
            .chain([0x7F80_0000, 0x7FC0_0001])
        {
            for to in [FloatFormat::FP16, FloatFormat::BF16] {
                let t = FloatFormat::FP32.explain_convert(bits, to, &env);
                assert_eq!(t.result, FloatFormat::FP32.convert(bits, to, &env), "{t}");
                check_rounding_step(&t);
                n += 1;
            }
        }
    }
    assert!(n > 2_000_000);
}

#[test]
fn traces_from_literals_give_the_parsers_bits() {
    let mut literals: Vec<String> = [
        "1234.5",
        "0.1",
        "-0.1",
        "448",
        "464",
        "465",
        "-1e-10",
        "65520",
        "65519.99",
        "1e300",
        "0",
        "-0",
        "inf",
        "-inf",
        "nan",
        "0x1.8p3",
        "5.9604644775390625e-8",
        "3e-8",
        "2.5",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Halfway points and their neighbours across the FP8 range, and a decimal sweep.
    for k in 0..2000u32 {
        literals.push(format!("{}", f64::from(k) * 0.37 - 300.0));
        literals.push(format!("{:e}", 2f64.powi(k as i32 % 60 - 30) * 1.0625));
    }
    for env in envs() {
        for lit in &literals {
            for to in [
                FloatFormat::FP8_E4M3,
                FloatFormat::FP8_E5M2,
                FloatFormat::FP16,
                FloatFormat::BF16,
            ] {
                let t = to.explain_parse(lit, &env).unwrap();
                assert_eq!(t.result, to.parse(lit, &env).unwrap(), "{t}");
                check_rounding_step(&t);
            }
        }
    }
    assert!(
        FloatFormat::FP16
            .explain_parse("1.2.3", &FloatEnv::default())
            .is_err()
    );
}

#[test]
fn worked_example_1234_5_to_e4m3() {
    let f = FloatFormat::FP8_E4M3;
    let text = f
        .explain_parse("1234.5", &FloatEnv::default())
        .unwrap()
        .to_string();
    assert_eq!(
        text,
        "1234.5 → FP8 E4M3, rounding nearest, ties to even
1. exact value in binary: +1.00110100101b x 2^10 (exact)
2. normalize: 1.xxx x 2^10; FP8 E4M3 keeps 4 bits down to 2^7
      kept 0b1001, discarded: guard 1 round 0 sticky 1
3. round (nearest, ties to even): more than half a unit → add one unit → 0b1010
4. overflow: beyond the largest finite value 448; no infinity in this format: NaN (the \
non-saturating overflow policy)
5. pack: 0x7f = 0 | 1111 | 111  (+, quiet NaN) = NaN
   flags: overflow|inexact"
    );
    let sat = FloatEnv {
        overflow: OverflowPolicy::Saturate,
        ..FloatEnv::default()
    };
    let text = f.explain_parse("1234.5", &sat).unwrap().to_string();
    assert!(
        text.contains("4. overflow: beyond the largest finite value 448; saturates to the largest finite value 448\n5. pack: 0x7e"),
        "{text}"
    );
    let fp16 = FloatFormat::FP16
        .explain_parse("0.1", &FloatEnv::default())
        .unwrap()
        .to_string();
    assert!(
        fp16.contains("(first 118 bits; the expansion goes on)"),
        "{fp16}"
    );
    assert!(
        fp16.contains("kept 0b11001100110, discarded: guard 0 round 1 sticky 1"),
        "{fp16}"
    );
    assert!(
        fp16.contains("less than half a unit → keep (truncate)"),
        "{fp16}"
    );
    assert!(
        fp16.ends_with("= 0.0999755859375\n   flags: inexact"),
        "{fp16}"
    );
}

/// The exact value a trace shows is `±digits × 2^lsb_exponent` (read back here), with
/// `goes_on` only for a decimal that has no finite binary expansion.
#[test]
fn the_exact_value_is_named_and_reads_back() {
    let env = FloatEnv::default();
    for lit in [
        "6.5", "-0.375", "1234.5", "3", "-1e-3", "0.1", "65504", "1e10",
    ] {
        let t = FloatFormat::FP16.explain_parse(lit, &env).unwrap();
        let x = t.exact.clone().expect(lit);
        assert_eq!(x.negative, lit.starts_with('-'), "{lit}");
        assert!(
            x.digits.starts_with('1') && x.digits.ends_with('1'),
            "{lit}: {x:?}"
        );
        assert!(x.digits.chars().all(|c| c == '0' || c == '1'), "{lit}");
        // Exact in binary iff the expansion stops; then it reads back to the literal.
        let v: f64 = lit.parse().unwrap();
        let exact_in_binary = v * 2f64.powi(20) == (v * 2f64.powi(20)).trunc();
        assert_eq!(x.goes_on, !exact_in_binary, "{lit}: {x:?}");
        if !x.goes_on {
            let m = u64::from_str_radix(&x.digits, 2).unwrap() as f64;
            let back = m * 2f64.powi(x.lsb_exponent);
            assert_eq!(if x.negative { -back } else { back }, v, "{lit}");
        }
    }
    // Specials have no exact value to show.
    for lit in ["0", "-inf", "nan"] {
        assert!(
            FloatFormat::FP16
                .explain_parse(lit, &env)
                .unwrap()
                .exact
                .is_none(),
            "{lit}"
        );
    }
}
