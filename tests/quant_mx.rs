//! OCP MX v1.0 blocks against a reference written here from the specification: element
//! values decoded from the field definitions, conversion by searching every element code for
//! the nearest (ties to the even code) after clamping to the largest normal.

use arithsim::float::{FloatEnv, FloatFormat};
use arithsim::quant::{MX_BLOCK_SIZE, MxBlock, MxElement, mx_dequantize, mx_quantize};
use proptest::prelude::*;

/// (exponent bits, mantissa bits, bias, has E4M3-style NaN, has IEEE inf/NaN) per element.
fn fields(e: MxElement) -> Option<(u32, u32, i32)> {
    match e {
        MxElement::Fp8E4M3 => Some((4, 3, 7)),
        MxElement::Fp8E5M2 => Some((5, 2, 15)),
        MxElement::Fp6E3M2 => Some((3, 2, 3)),
        MxElement::Fp6E2M3 => Some((2, 3, 1)),
        MxElement::Fp4E2M1 => Some((2, 1, 1)),
        MxElement::Int8 => None,
    }
}

/// Element value from the spec's field definitions; None for NaN/Inf codes.
fn ref_decode(e: MxElement, code: u32) -> Option<f64> {
    let Some((eb, mb, bias)) = fields(e) else {
        return Some(code as u8 as i8 as f64 / 64.0);
    };
    let sign = if code >> (eb + mb) & 1 == 1 {
        -1.0
    } else {
        1.0
    };
    let ef = (code >> mb) & ((1 << eb) - 1);
    let mf = code & ((1 << mb) - 1);
    if e == MxElement::Fp8E4M3 && ef == 15 && mf == 7 {
        return None;
    }
    if e == MxElement::Fp8E5M2 && ef == 31 {
        return None;
    }
    let frac = mf as f64 / (1u32 << mb) as f64;
    Some(if ef == 0 {
        sign * 2f64.powi(1 - bias) * frac
    } else {
        sign * 2f64.powi(ef as i32 - bias) * (1.0 + frac)
    })
}

/// The spec's emax_elem, derived from the largest finite value.
fn ref_emax(e: MxElement) -> i32 {
    let max = (0..1u32 << e.bits())
        .filter_map(|c| ref_decode(e, c))
        .fold(0.0, f64::max);
    max.log2().floor() as i32
}

/// Nearest element to `r` (exact), ties to the even code, after clamping to ±max.
fn ref_encode(e: MxElement, r: f64) -> u32 {
    let width = e.bits();
    let neg = r < 0.0 || (r == 0.0 && r.is_sign_negative());
    let mag = r.abs();
    // Non-negative codes in increasing order of value.
    let pos: Vec<(u32, f64)> = (0..1u32 << (width - 1))
        .filter_map(|c| ref_decode(e, c).map(|v| (c, v)))
        .collect();
    let max = pos.last().unwrap().1;
    let m = mag.min(max);
    let mut best = pos[0];
    for &(c, v) in &pos {
        let (d, bd) = ((v - m).abs(), (best.1 - m).abs());
        if d < bd || (d == bd && c % 2 == 0) {
            best = (c, v);
        }
    }
    let sign_bit = 1u32 << (width - 1);
    match e {
        MxElement::Int8 => {
            // Two's complement: negate the value, not the sign bit.
            let q = best.0 as i32;
            (if neg { -q } else { q }) as u8 as u32
        }
        _ => best.0 | if neg { sign_bit } else { 0 },
    }
}

/// Reference block conversion.
fn ref_block(values: &[f32], e: MxElement) -> (u8, Vec<u32>) {
    if values.iter().any(|v| !v.is_finite()) {
        return (0xFF, vec![0; values.len()]);
    }
    let max = values.iter().map(|v| v.abs() as f64).fold(0.0, f64::max);
    let shared = if max == 0.0 {
        -127
    } else {
        // floor(log2) exactly, from the f64 exponent field (f32 values are normal in f64).
        let fl = ((max.to_bits() >> 52) as i32) - 1023;
        (fl - ref_emax(e)).max(-127)
    };
    let x = 2f64.powi(shared);
    let elems = values
        .iter()
        .map(|&v| ref_encode(e, v as f64 / x))
        .collect();
    ((shared + 127) as u8, elems)
}

fn check(values: &[f32], e: MxElement) {
    let b = MxBlock::quantize(values, e).unwrap();
    let (scale, elems) = ref_block(values, e);
    assert_eq!(b.scale, scale, "{e} scale of {values:?}");
    let got: Vec<u32> = b.elements.iter().map(|&x| x as u32).collect();
    assert_eq!(got, elems, "{e} elements of {values:?}");
    // Dequantization is the exact product X · P_i.
    if scale != 0xFF {
        let x = 2f64.powi(scale as i32 - 127);
        for (d, &c) in b.dequantize().iter().zip(&elems) {
            assert_eq!(*d, ref_decode(e, c).unwrap() * x);
        }
    }
}

#[test]
fn emax_per_element_type() {
    let want = [8, 15, 4, 2, 2, 0];
    for (e, w) in MxElement::ALL.into_iter().zip(want) {
        assert_eq!(e.emax(), w, "{e}");
        assert_eq!(ref_emax(e), w, "{e}");
    }
}

#[test]
fn decode_every_code_matches_the_field_definitions() {
    for e in MxElement::ALL {
        for c in 0..1u32 << e.bits() {
            match ref_decode(e, c) {
                Some(v) => assert_eq!(e.decode(c as u8).unwrap(), v, "{e} {c:#x}"),
                None => assert!(!e.decode(c as u8).unwrap().is_finite()),
            }
        }
    }
}

#[test]
fn every_element_value_and_every_midpoint_converts_exactly() {
    // With the block max pinned at a fixed power of two, the element step is exact, so
    // every code's value and every midpoint (a tie) between neighbours is tested.
    let mut checked = 0;
    for e in MxElement::ALL {
        let emax = e.emax();
        let mut vals: Vec<f64> = (0..1u32 << e.bits())
            .filter_map(|c| ref_decode(e, c))
            .collect();
        vals.sort_by(f64::total_cmp);
        vals.dedup();
        let mut probes = vals.clone();
        for w in vals.windows(2) {
            probes.push((w[0] + w[1]) / 2.0);
            probes.push(w[0] + (w[1] - w[0]) / 4.0);
            probes.push(w[0] + 3.0 * (w[1] - w[0]) / 4.0);
        }
        let max = vals.last().unwrap();
        probes.extend([max * 1.0625, max * 1.2, -max * 1.2]);
        for scale_exp in [-130, -100, -3, 0, 5, 100] {
            let x = 2f64.powi(scale_exp);
            for &p in &probes {
                // Pin the block's max at 2^emax so shared_exp = scale_exp exactly.
                let pin = 2f64.powi(emax) * x;
                let v = (p * x) as f32;
                if (v as f64) != p * x || (pin as f32) as f64 != pin {
                    continue; // not representable in FP32 (tiny scales): skip
                }
                check(&[pin as f32, v], e);
                checked += 1;
            }
        }
    }
    assert!(checked > 10_000, "{checked}");
}

#[test]
fn edge_blocks() {
    let sub = f32::from_bits(1); // smallest FP32 subnormal
    let cases: Vec<Vec<f32>> = vec![
        vec![0.0; 32],
        vec![-0.0, 0.0, -0.0],
        vec![sub, -sub, 2.0 * sub],
        vec![f32::MAX, -f32::MAX, 1.0, f32::MIN_POSITIVE],
        vec![f32::MIN_POSITIVE, 3.0 * f32::MIN_POSITIVE],
        vec![1.0, f32::NAN, 2.0],
        vec![f32::INFINITY, 1.0],
        vec![-f32::INFINITY],
        (0..32).map(|i| (i as f32 - 15.5) * 0.37).collect(),
        (0..32).map(|i| 1.0 + i as f32 / 32.0).collect(),
        vec![1.96875, 1.9375, 1.875, 1.75], // overflow-to-saturation region of E4M3/E2M1
    ];
    for e in MxElement::ALL {
        for c in &cases {
            check(c, e);
        }
    }
}

#[test]
fn nan_or_infinity_gives_the_nan_scale() {
    let b = MxBlock::quantize(&[1.0, f32::NAN], MxElement::Fp8E4M3).unwrap();
    assert_eq!((b.scale, b.scale_exponent()), (0xFF, None));
    assert!(b.dequantize().iter().all(|v| v.is_nan()));
    let ok = MxBlock::quantize(&[1.0, 2.0], MxElement::Fp8E4M3).unwrap();
    let r = b.dot(&ok, FloatFormat::FP32, &FloatEnv::default()).unwrap();
    assert!(f32::from_bits(r.value as u32).is_nan());
}

#[test]
fn e5m2_saturates_instead_of_overflowing_to_infinity() {
    // max 1.99 · 2^k: the max element is 1.99 · 2^15 -> rounds past 57344, clamps to it.
    let b = MxBlock::quantize(&[1.99, -1.99], MxElement::Fp8E5M2).unwrap();
    assert_eq!(b.dequantize(), [57344.0 / 32768.0, -57344.0 / 32768.0]);
}

/// The dot product equals the exact sum of products, rounded once (checked against native
/// f64 -> f32 rounding of an exactly computed sum).
#[test]
fn dot_product_is_exact_then_rounded_once() {
    let env = FloatEnv::default();
    let mut seed = 0x1234_5678_9abc_def0u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        ((seed >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0) as f32
    };
    let mut checked = 0;
    for ea in MxElement::ALL {
        for eb in MxElement::ALL {
            for _ in 0..20 {
                let a: Vec<f32> = (0..32).map(|_| next() * 3.0).collect();
                let b: Vec<f32> = (0..32).map(|_| next() * 0.01).collect();
                let qa = MxBlock::quantize(&a, ea).unwrap();
                let qb = MxBlock::quantize(&b, eb).unwrap();
                // Products of elements are exact in f64; sum them with TwoSum and keep only
                // the cases where no rounding error occurred, so `exact` is the true value.
                let (mut exact, mut err) = (0.0f64, 0.0f64);
                for (x, y) in qa.dequantize().iter().zip(qb.dequantize()) {
                    let p = x * y;
                    let s = exact + p;
                    let bp = s - exact;
                    err += (exact - (s - bp)) + (p - bp);
                    exact = s;
                }
                if err != 0.0 {
                    continue;
                }
                checked += 1;
                let r = qa.dot(&qb, FloatFormat::FP32, &env).unwrap();
                assert_eq!(f32::from_bits(r.value as u32), exact as f32, "{ea} x {eb}");
                let r64 = qa.dot(&qb, FloatFormat::FP64, &env).unwrap();
                assert_eq!(f64::from_bits(r64.value), exact, "{ea} x {eb}");
            }
        }
    }
    assert!(checked > 600, "only {checked} exact cases");
}

#[test]
fn tensor_blocks_and_errors() {
    let v: Vec<f32> = (0..70).map(|i| i as f32 * 0.25 - 3.0).collect();
    let blocks = mx_quantize(&v, MxElement::Fp8E4M3).unwrap();
    assert_eq!(blocks.len(), 3);
    assert_eq!(blocks[2].elements.len(), 70 - 2 * MX_BLOCK_SIZE);
    let back = mx_dequantize(&blocks);
    for (a, b) in v.iter().zip(&back) {
        // E4M3 has 3 mantissa bits: relative error at most 2^-4 of the block max scale.
        assert!((*a as f64 - b).abs() <= 2f64.powi(-4) * 16.0, "{a} {b}");
    }
    let msg = |e: arithsim::Error| e.to_string();
    assert_eq!(
        msg(MxBlock::quantize(&[], MxElement::Int8).unwrap_err()),
        "shape error: an MX block holds 1..=32 values, got 0"
    );
    assert_eq!(
        msg(MxBlock::quantize(&[1.0; 33], MxElement::Int8).unwrap_err()),
        "shape error: an MX block holds 1..=32 values, got 33"
    );
    assert_eq!(
        msg(mx_quantize(&[], MxElement::Int8).unwrap_err()),
        "shape error: cannot quantize an empty tensor into MX blocks"
    );
    let a = MxBlock::quantize(&[1.0; 4], MxElement::Int8).unwrap();
    let b = MxBlock::quantize(&[1.0; 5], MxElement::Int8).unwrap();
    assert_eq!(
        msg(a
            .dot(&b, FloatFormat::FP32, &FloatEnv::default())
            .unwrap_err()),
        "shape error: MX dot product of blocks of 4 and 5 elements"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn random_blocks_match_reference(
        bits in proptest::collection::vec(
            prop_oneof![
                Just(0u32), Just(0x8000_0000), Just(1), Just(0x0080_0000), Just(0x7f7f_ffff),
                any::<u32>(),
                (0x3c00_0000u32..0x4200_0000), // around 1.0: many ties
            ],
            1..=32,
        )
    ) {
        let values: Vec<f32> = bits.iter().map(|&b| f32::from_bits(b)).collect();
        for e in MxElement::ALL {
            check(&values, e);
        }
    }
}
