//! The complete example of `docs/property-testing.md`, compiled and run (CI runs the tests
//! with `--all-features`); the last test checks that the page shows this file's example
//! verbatim.
#![cfg(feature = "proptest")]

// --- example: begin ---
use arithsim::fixed::{Fixed, FixedFormat};
use arithsim::float::{Bf16, FloatFormat};
use arithsim::testing::{fixed_values, float_bits, halfway_bits};
use proptest::prelude::*;

/// Your code: FP32 → BF16, round to nearest even, the usual bit trick.
fn f32_to_bf16(x: f32) -> u16 {
    let bits = x.to_bits();
    if x.is_nan() {
        return ((bits >> 16) | 0x0040) as u16; // keep sign and top payload, set quiet
    }
    let round = 0x7FFF + ((bits >> 16) & 1); // ties to even
    ((bits + round) >> 16) as u16
}

/// Your code: BF16 → FP32 by shifting the pattern.
fn bf16_to_f32(b: u16) -> f32 {
    f32::from_bits(u32::from(b) << 16)
}

/// Your code: Q4.4 saturating addition on the raw `i8`.
fn q44_saturating_add(a: i8, b: i8) -> i8 {
    a.saturating_add(b)
}

proptest! {
    // FP32 patterns with ±0, ±∞, NaNs, subnormals and the range ends weighted in.
    #[test]
    fn f32_to_bf16_matches_arithsim(bits in float_bits(FloatFormat::FP32)) {
        let x = f32::from_bits(bits as u32);
        prop_assert_eq!(f32_to_bf16(x), Bf16::from_f32(x).to_bits(), "{:#010x}", bits);
    }

    // FP32 values exactly halfway between two BF16 values (and one ulp either side):
    // where a "round half up" bug shows.
    #[test]
    fn f32_to_bf16_ties(bits in halfway_bits(FloatFormat::FP32, FloatFormat::BF16).unwrap()) {
        let x = f32::from_bits(bits as u32);
        prop_assert_eq!(f32_to_bf16(x), Bf16::from_f32(x).to_bits(), "{:#010x}", bits);
    }

    // Arbitrary BF16 values (specials weighted in): the widening is exact; only a
    // signalling NaN differs, since arithsim's conversion quiets it, as hardware does.
    #[test]
    fn bf16_to_f32_matches_arithsim(x in any::<Bf16>()) {
        let (mine, reference) = (bf16_to_f32(x.to_bits()), f32::from(x));
        if x.is_nan() {
            prop_assert!(mine.is_nan() && reference.is_nan());
        } else {
            prop_assert_eq!(mine.to_bits(), reference.to_bits());
        }
    }

    // Q4.4 values with the range ends, 0 and ±1 ulp weighted in.
    #[test]
    fn q44_saturating_add_matches_arithsim(
        a in fixed_values(FixedFormat::q(4, 4).unwrap()),
        b in fixed_values(FixedFormat::q(4, 4).unwrap()),
    ) {
        let reference: Fixed = a.saturating_add(b).unwrap();
        let mine = q44_saturating_add(a.raw() as i8, b.raw() as i8);
        prop_assert_eq!(i128::from(mine), reference.raw());
    }
}
// --- example: end ---

/// The docs page shows the example above verbatim, so it cannot drift from what runs.
#[test]
fn docs_page_shows_this_example() {
    let this = include_str!("testing_feature.rs");
    let marker = "// --- example: begin ---\n";
    let begin = this.find(marker).unwrap() + marker.len();
    let end = this.find("// --- example: end ---").unwrap();
    let example = &this[begin..end];
    let page = include_str!("../docs/property-testing.md");
    assert!(
        page.contains(example),
        "docs/property-testing.md must contain the example of tests/testing_feature.rs verbatim"
    );
}
