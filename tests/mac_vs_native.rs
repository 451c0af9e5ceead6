//! Gate-level MAC and dot-product units against native integer accumulation.
//!
//! Random sequences of 1,000 operand pairs (64 independent streams per run, so 64,000 pairs)
//! against native `i32` / `i16` / `u16` wrapping and saturating accumulation, for fused and
//! separate structures and every multiplier architecture; dot-product units against
//! `MacSpec::reference`; error messages.

use arithsim::circuits::adders::AdderKind;
use arithsim::circuits::mac::{Mac, MacSpec, MacStructure, Overflow, dot_product_unit};
use arithsim::circuits::multipliers::{PartialProducts, Reduction, Signedness};

/// xorshift64: reproducible operands without a dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

const CLOCKS: usize = 1000;
const STREAMS: usize = 64;

/// `CLOCKS` clocks of `STREAMS` random `w`-bit operands; every 50th clock forces the
/// extremes (most negative × most negative, max × min) into some streams.
fn operands(rng: &mut Rng, w: u32) -> (Vec<Vec<u64>>, Vec<Vec<u64>>) {
    let m = (1u64 << w) - 1;
    let mut a = Vec::with_capacity(CLOCKS);
    let mut b = Vec::with_capacity(CLOCKS);
    for t in 0..CLOCKS {
        let mut at: Vec<u64> = (0..STREAMS).map(|_| rng.next() & m).collect();
        let mut bt: Vec<u64> = (0..STREAMS).map(|_| rng.next() & m).collect();
        if t % 50 == 0 {
            at[0] = 1 << (w - 1);
            bt[0] = 1 << (w - 1);
            at[1] = m >> 1;
            bt[1] = 1 << (w - 1);
            at[2] = m;
            bt[2] = m;
        }
        a.push(at);
        b.push(bt);
    }
    (a, b)
}

fn sext(v: u64, w: u32) -> i64 {
    if (v >> (w - 1)) & 1 == 1 {
        v as i64 - (1i64 << w)
    } else {
        v as i64
    }
}

/// Runs `spec` and checks every stream against `native(acc, product) -> acc` (as `i64`
/// holding the accumulator's value; compared modulo `2^acc_bits`).
fn check(spec: MacSpec, seed: u64, native: impl Fn(i64, i64) -> i64) {
    let mac = Mac::new(spec).unwrap();
    let mut rng = Rng(seed);
    let (a, b) = operands(&mut rng, spec.mul_bits);
    let run = mac.run(&a, &b, false).unwrap();
    let signed = spec.signedness == Signedness::Signed;
    let mask = (1u128 << spec.acc_bits) - 1;
    for s in 0..STREAMS {
        let mut acc = 0i64;
        for t in 0..CLOCKS {
            let (x, y) = if signed {
                (sext(a[t][s], spec.mul_bits), sext(b[t][s], spec.mul_bits))
            } else {
                (a[t][s] as i64, b[t][s] as i64)
            };
            acc = native(acc, x * y);
            assert_eq!(
                run.acc[t][s],
                (acc as i128 as u128) & mask,
                "{} stream {s} clock {t}",
                spec
            );
            assert_eq!(
                run.acc[t][s],
                spec.reference(
                    if t == 0 { 0 } else { run.acc[t - 1][s] },
                    &[a[t][s]],
                    &[b[t][s]]
                )
            );
        }
    }
}

#[test]
fn int8_mac_vs_native_i32() {
    for structure in [MacStructure::Separate, MacStructure::Fused] {
        let base = MacSpec::INT8_INT32.with_structure(structure);
        check(base, 1, |acc, p| {
            i64::from((acc as i32).wrapping_add(p as i32))
        });
        check(base.with_overflow(Overflow::Saturating), 2, |acc, p| {
            i64::from((acc as i32).saturating_add(p as i32))
        });
    }
}

#[test]
fn every_architecture_int8_into_i16_saturates_like_native() {
    // A 16-bit accumulator overflows within a few clocks, so clamping is exercised.
    for (pp, r) in [
        (PartialProducts::BaughWooley, Reduction::Array),
        (PartialProducts::BaughWooley, Reduction::Wallace),
        (PartialProducts::BaughWooley, Reduction::Dadda),
        (PartialProducts::Booth4, Reduction::Array),
        (PartialProducts::Booth4, Reduction::Wallace),
        (PartialProducts::Booth4, Reduction::Dadda),
        (PartialProducts::BaughWooley, Reduction::Compressor42),
        (PartialProducts::Booth4, Reduction::Compressor42),
    ] {
        for structure in [MacStructure::Separate, MacStructure::Fused] {
            let spec = MacSpec::new(8, 16, Signedness::Signed)
                .with_multiplier(pp, r)
                .with_structure(structure)
                .with_adder(AdderKind::RippleCarry);
            // An 8 × 8 product always fits an i16, so native saturating_add is the reference.
            check(spec.with_overflow(Overflow::Saturating), 3, |acc, p| {
                i64::from((acc as i16).saturating_add(p as i16))
            });
            check(spec, 4, |acc, p| {
                i64::from((acc as i16).wrapping_add(p as i16))
            });
        }
    }
}

#[test]
fn unsigned_mac_vs_native_u16() {
    for (pp, r) in [
        (PartialProducts::AndArray, Reduction::Dadda),
        (PartialProducts::Booth4, Reduction::Wallace),
    ] {
        for structure in [MacStructure::Separate, MacStructure::Fused] {
            let spec = MacSpec::new(8, 16, Signedness::Unsigned)
                .with_multiplier(pp, r)
                .with_structure(structure);
            check(spec, 5, |acc, p| {
                i64::from((acc as u16).wrapping_add(p as u16))
            });
            check(spec.with_overflow(Overflow::Saturating), 6, |acc, p| {
                i64::from((acc as u16).saturating_add(p as u16))
            });
        }
    }
}

#[test]
fn int4_and_int16_presets() {
    for structure in [MacStructure::Separate, MacStructure::Fused] {
        let s4 = MacSpec::INT4_INT16.with_structure(structure);
        check(s4, 7, |acc, p| {
            i64::from((acc as i16).wrapping_add(p as i16))
        });
        check(s4.with_overflow(Overflow::Saturating), 8, |acc, p| {
            i64::from((acc as i16).saturating_add(p as i16))
        });
        // INT48: native i64 with the result wrapped/clamped to 48 bits.
        let s16 = MacSpec::INT16_INT48.with_structure(structure);
        let wrap48 = |v: i64| (v << 16) >> 16;
        check(s16, 9, move |acc, p| wrap48(acc + p));
        check(s16.with_overflow(Overflow::Saturating), 10, |acc, p| {
            (acc + p).clamp(-(1 << 47), (1 << 47) - 1)
        });
    }
}

#[test]
fn dot_product_units_vs_reference() {
    for (k, overflow, acc_bits) in [
        (4u32, Overflow::Wrapping, 32u32),
        (4, Overflow::Saturating, 18),
        (16, Overflow::Saturating, 24),
        (3, Overflow::Wrapping, 16),
    ] {
        for s in [Signedness::Signed, Signedness::Unsigned] {
            let spec = dot_product_unit(k, MacSpec::new(8, acc_bits, s).with_overflow(overflow));
            let mac = Mac::new(spec).unwrap();
            let mut rng = Rng(11 + u64::from(k));
            let clocks = 200;
            let streams = 64;
            let draw = |rng: &mut Rng| {
                (0..clocks)
                    .map(|_| {
                        (0..streams * k as usize)
                            .map(|_| rng.next() & 0xff)
                            .collect::<Vec<u64>>()
                    })
                    .collect::<Vec<_>>()
            };
            let a = draw(&mut rng);
            let b = draw(&mut rng);
            let run = mac.run(&a, &b, false).unwrap();
            for st in 0..streams {
                let mut acc = 0u128;
                let mut exact = 0i128;
                for t in 0..clocks {
                    let lanes = st * k as usize..(st + 1) * k as usize;
                    acc = spec.reference(acc, &a[t][lanes.clone()], &b[t][lanes.clone()]);
                    assert_eq!(run.acc[t][st], acc, "{} stream {st} clock {t}", spec);
                    // Independent check of the reference for the wrapping signed case.
                    if overflow == Overflow::Wrapping && s == Signedness::Signed {
                        for i in lanes {
                            exact +=
                                i128::from(a[t][i] as u8 as i8) * i128::from(b[t][i] as u8 as i8);
                        }
                        assert_eq!(acc, (exact as u128) & ((1u128 << acc_bits) - 1));
                    }
                }
            }
        }
    }
}

#[test]
fn fused_uses_one_final_adder() {
    let sep = Mac::new(MacSpec::INT8_INT32).unwrap();
    let fused = Mac::new(MacSpec::INT8_INT32.with_structure(MacStructure::Fused)).unwrap();
    let (ss, fs) = (sep.netlist().stats(), fused.netlist().stats());
    assert!(ss.label("multiplier 0").is_some() && fs.label("multiplier 0").is_none());
    assert_eq!((ss.registers, fs.registers), (32, 32));
    assert!(
        fs.depth < ss.depth,
        "fused depth {} vs separate {}",
        fs.depth,
        ss.depth
    );
}

#[test]
fn errors_have_clear_messages() {
    let err = |spec: MacSpec| match Mac::new(spec) {
        Ok(_) => panic!("{} should be rejected", spec),
        Err(e) => e,
    };
    let e = err(MacSpec::new(8, 12, Signedness::Signed));
    assert_eq!(
        e.to_string(),
        "invalid accumulator width 12: must be at least the product width 16 of 8-bit operands"
    );
    let e = err(MacSpec::new(0, 32, Signedness::Signed));
    assert_eq!(e.to_string(), "mac operand width 0 is out of range 1..=64");
    let e = err(MacSpec::new(8, 32, Signedness::Signed)
        .with_multiplier(PartialProducts::AndArray, Reduction::Dadda));
    assert_eq!(
        e.to_string(),
        "invalid partial products and-array: an AND array multiplies unsigned operands; use baugh-wooley or booth for signed"
    );
    let e = err(MacSpec::new(8, 32, Signedness::Unsigned)
        .with_multiplier(PartialProducts::BaughWooley, Reduction::Dadda));
    assert!(
        e.to_string()
            .contains("baugh-wooley multiplies signed operands"),
        "{e}"
    );
    let e = err(dot_product_unit(0, MacSpec::INT8_INT32));
    assert_eq!(
        e.to_string(),
        "dot-product lanes width 0 is out of range 1..=64"
    );
    // Saturating needs two guard bits above a one-lane accumulator, inside 128 bits.
    let e = err(MacSpec::new(8, 127, Signedness::Signed).with_overflow(Overflow::Saturating));
    assert_eq!(
        e.to_string(),
        "accumulator width 127 is out of range 16..=126"
    );
    assert!(Mac::new(MacSpec::new(8, 128, Signedness::Signed)).is_ok());
    let e = err(MacSpec::new(64, 128, Signedness::Signed).with_overflow(Overflow::Saturating));
    assert_eq!(e.to_string(), "mac operand width 64 is out of range 1..=63");
    assert!(Mac::new(MacSpec::new(64, 128, Signedness::Unsigned)).is_ok());
    let mac = Mac::new(MacSpec::INT8_INT32).unwrap();
    let e = mac.accumulate(&[1, 2], &[3]).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("shape error: accumulate takes equal-length streams"),
        "{e}"
    );
    let e = mac.run(&[vec![1, 2]], &[vec![1]], false).unwrap_err();
    assert_eq!(
        e.to_string(),
        "shape error: mac run needs equal clocks of a and b with the same number (<= 64) of streams × 1 lanes each"
    );
    let e = mac.run(&[vec![0; 65]], &[vec![0; 65]], false).unwrap_err();
    assert!(matches!(e, arithsim::Error::Shape(_)), "{e}");
    // Buses that disagree with the spec when composing in a builder.
    let mut b = arithsim::gates::Builder::new();
    let a = b.input("a", 8).unwrap();
    let x = b.input("b", 8).unwrap();
    let acc = b.input("acc", 16).unwrap();
    let e = arithsim::circuits::mac::build_mac_step(&mut b, &MacSpec::INT8_INT32, &[a], &[x], &acc)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "shape error: mac buses: 1 and 1 operands and a 16-bit accumulator given; the spec needs 1 and 1 of 8 bits and 32"
    );
}

/// `accumulate_values` against native `i8 × i8` summed into a wrapping `i32`, every operand
/// pair: for each `a`, the 256 values of `b` in streams of 16 clocks, every clock compared.
#[test]
fn accumulate_values_int8_exhaustive_vs_native_i32() {
    let mac = Mac::new(MacSpec::INT8_INT32).unwrap();
    let all: Vec<i64> = (-128..128).collect();
    for x in -128i64..128 {
        for bs in all.chunks(16) {
            let a = vec![x; bs.len()];
            let got = mac.accumulate_values(&a, bs).unwrap();
            let mut acc = 0i32;
            for (t, &y) in bs.iter().enumerate() {
                acc = acc.wrapping_add(i32::from(x as i8) * i32::from(y as i8));
                assert_eq!(got[t], i128::from(acc), "{x} × {y} at clock {t}");
            }
        }
    }
    // A stream long enough to wrap the i32: 2^17 × (-128 × -128) = 2^31.
    let n = 1 << 17;
    let got = mac
        .accumulate_values(&vec![-128; n], &vec![-128; n])
        .unwrap();
    assert_eq!(got[n - 1], i128::from(i32::MIN));
}

/// `accumulate_values` on unsigned units: `u8 × u8` into a wrapping `u16`, every pair.
#[test]
fn accumulate_values_uint8_exhaustive_vs_native_u16() {
    let mac = Mac::new(MacSpec::new(8, 16, Signedness::Unsigned)).unwrap();
    let all: Vec<i64> = (0..256).collect();
    for x in 0i64..256 {
        for bs in all.chunks(16) {
            let got = mac.accumulate_values(&vec![x; bs.len()], bs).unwrap();
            let mut acc = 0u16;
            for (t, &y) in bs.iter().enumerate() {
                acc = acc.wrapping_add(x as u16 * y as u16);
                assert_eq!(got[t], i128::from(acc), "{x} × {y} at clock {t}");
            }
        }
    }
}

/// Operands outside the unit's signedness and width are errors naming the value, and
/// `accumulate_values` agrees with `accumulate` on the patterns.
#[test]
fn accumulate_values_range_errors_and_patterns() {
    let signed = Mac::new(MacSpec::INT8_INT32).unwrap();
    let e = signed
        .accumulate_values(&[128], &[1])
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("128") && e.contains("-128") && e.contains("127"),
        "{e}"
    );
    assert!(signed.accumulate_values(&[1], &[-129]).is_err());
    let unsigned = Mac::new(MacSpec::new(8, 16, Signedness::Unsigned)).unwrap();
    let e = unsigned
        .accumulate_values(&[-1], &[1])
        .unwrap_err()
        .to_string();
    assert!(e.contains("-1") && e.contains("255"), "{e}");
    assert!(unsigned.accumulate_values(&[256], &[1]).is_err());
    let values = signed.accumulate_values(&[-3, 5], &[7, -2]).unwrap();
    let patterns = signed.accumulate(&[0xfd, 5], &[7, 0xfe]).unwrap();
    assert_eq!(values, [-21, -31]);
    assert_eq!(patterns, [0xffff_ffeb, 0xffff_ffe1]);
    assert!(signed.accumulate_values(&[1, 2], &[1]).is_err());
}
