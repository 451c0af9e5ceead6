//! The gate-level format converter against `FloatFormat::convert`, values and flags.

mod fp_common;

use arithsim::circuits::fp::{FpUnitConfig, RoundingControl, fp_converter};
use arithsim::float::{FloatFormat, Specials};
use arithsim::gates::Netlist;
use arithsim::round::RoundingMode;
use fp_common::*;

/// The configs that differ for a conversion into `to` (and from `from`).
fn relevant_configs(from: FloatFormat, to: FloatFormat) -> Vec<FpUnitConfig> {
    let d = FpUnitConfig::default();
    configs()
        .into_iter()
        .filter(|c| to.specials() != Specials::Ieee || c.overflow == d.overflow)
        .filter(|c| from.specials().has_nan() || c.nan == d.nan)
        .collect()
}

/// Checks `net` on `values` of `from` in each mode of `modes` (rm port or the fixed mode).
fn check_values(
    from: FloatFormat,
    to: FloatFormat,
    net: &Netlist,
    cfg: &FpUnitConfig,
    values: &[u64],
    modes: &[RoundingMode],
) -> usize {
    let nv = values.len();
    let pa = port(net, "a");
    let decode = |v: usize| (values[v % nv], modes[v / nv]);
    let input = |p: usize, v: usize| {
        let (x, mode) = decode(v);
        if p == pa {
            x
        } else {
            RoundingControl::code(mode).unwrap()
        }
    };
    let got = run_sliced(net, nv * modes.len(), &input);
    let expect = |v: usize| {
        let (x, mode) = decode(v);
        let r = from.convert(x, to, &cfg.env(mode));
        (r.value, r.flags)
    };
    let what = |v: usize| {
        let (x, mode) = decode(v);
        format!("{from:?} -> {to:?} {cfg:?} {mode:?} a={x:#x}")
    };
    count_mismatches(&got, expect, &what)
}

fn all_values(f: FloatFormat) -> Vec<u64> {
    (0..1u64 << f.width()).collect()
}

/// Every pair of <=8-bit formats (narrowing, widening, same format), every source pattern,
/// every mode on the rm port, every relevant config; then each fixed mode with the default
/// policies.
#[test]
fn exhaustive_between_small_formats() {
    let fs = small_formats();
    let mut bad = 0;
    for &(_, from) in &fs {
        let values = all_values(from);
        for &(_, to) in &fs {
            for base in relevant_configs(from, to) {
                let cfg = base.with_rounding(RoundingControl::Input);
                let net = fp_converter(from, to, &cfg).unwrap();
                bad += check_values(from, to, &net, &cfg, &values, &RoundingMode::DETERMINISTIC);
            }
            for mode in RoundingMode::DETERMINISTIC {
                for ftz in [false, true] {
                    let cfg = FpUnitConfig::default()
                        .with_rounding(RoundingControl::Fixed(mode))
                        .with_flush_subnormals(ftz);
                    let net = fp_converter(from, to, &cfg).unwrap();
                    bad += check_values(from, to, &net, &cfg, &values, &[mode]);
                }
            }
        }
    }
    assert_eq!(bad, 0);
}

/// Every FP16 and BF16 pattern into every <=8-bit format, into FP32 and into each other
/// (rm port, every mode; both FTZ settings, both NaN policies; saturating where it matters).
#[test]
fn exhaustive_from_16_bit_formats() {
    let mut targets: Vec<FloatFormat> = small_formats().iter().map(|&(_, f)| f).collect();
    targets.extend([
        FloatFormat::FP32,
        FloatFormat::FP16,
        FloatFormat::BF16,
        FloatFormat::TF32,
    ]);
    let mut bad = 0;
    for from in [FloatFormat::FP16, FloatFormat::BF16] {
        let values = all_values(from);
        for &to in &targets {
            for base in relevant_configs(from, to) {
                // Both overflow policies only where the target has no infinity; both NaN
                // policies only with FTZ off (they are independent).
                if base.flush_subnormals && base.nan != FpUnitConfig::default().nan {
                    continue;
                }
                let cfg = base.with_rounding(RoundingControl::Input);
                let net = fp_converter(from, to, &cfg).unwrap();
                bad += check_values(from, to, &net, &cfg, &values, &RoundingMode::DETERMINISTIC);
            }
        }
    }
    assert_eq!(bad, 0);
}

/// FP32 sources: random patterns, specials, and values next to every rounding boundary of
/// the target (its patterns widened, ± a few FP32 ulps, and the midpoints), into FP16,
/// BF16, TF32, every <=8-bit format and FP32 itself.
#[test]
fn from_fp32_random_special_and_boundaries() {
    let from = FloatFormat::FP32;
    let mut targets: Vec<FloatFormat> = small_formats().iter().map(|&(_, f)| f).collect();
    targets.extend([
        FloatFormat::FP16,
        FloatFormat::BF16,
        FloatFormat::TF32,
        FloatFormat::FP32,
    ]);
    let env = FpUnitConfig::default().env(RoundingMode::TowardZero);
    let mut bad = 0;
    for (i, &to) in targets.iter().enumerate() {
        let mut values = special_values(from);
        values.extend(patterns(32, 2048, 7 + i as u64));
        // Boundaries: each target value (a sample for 16-bit targets) in FP32, ± 0..2 ulps,
        // and half-way points to the next one.
        let step = ((1u64 << to.width()) / 700).max(1) | u64::from(to.width() > 12);
        let mut t = 0;
        while t < 1u64 << to.width() {
            let w = to.convert(t, from, &env).value;
            if from.is_finite(w) {
                for d in 0..3u64 {
                    values.push(w.wrapping_add(d) & from.mask());
                    values.push(w.wrapping_sub(d) & from.mask());
                }
                let next = to.convert(t + 1, from, &env).value;
                if from.is_finite(next) && (next ^ w) & from.sign_bit() == 0 {
                    let mid = (w + next) / 2;
                    values.extend([mid, mid + 1, mid.wrapping_sub(1)]);
                }
            }
            t += step;
        }
        for base in relevant_configs(from, to) {
            let cfg = base.with_rounding(RoundingControl::Input);
            let net = fp_converter(from, to, &cfg).unwrap();
            bad += check_values(from, to, &net, &cfg, &values, &RoundingMode::DETERMINISTIC);
        }
    }
    assert_eq!(bad, 0);
}

mod props {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    type Case = (FloatFormat, FloatFormat, FpUnitConfig, Netlist);

    fn nets() -> &'static Vec<Case> {
        static NETS: OnceLock<Vec<Case>> = OnceLock::new();
        NETS.get_or_init(|| {
            let cfg = FpUnitConfig::default().with_rounding(RoundingControl::Input);
            let pairs = [
                (FloatFormat::FP32, FloatFormat::FP16),
                (FloatFormat::FP32, FloatFormat::BF16),
                (FloatFormat::FP32, FloatFormat::FP8_E4M3),
                (FloatFormat::FP32, FloatFormat::FP8_E5M2),
                (FloatFormat::FP16, FloatFormat::FP32),
                (FloatFormat::BF16, FloatFormat::FP32),
            ];
            pairs
                .into_iter()
                .map(|(a, b)| (a, b, cfg, fp_converter(a, b, &cfg).unwrap()))
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        /// Random source patterns (NaNs and subnormals come up from the raw bits), every mode.
        #[test]
        fn converter_matches_soft_float(xs in prop::collection::vec(any::<u32>(), 64)) {
            for (from, to, cfg, net) in nets() {
                let values: Vec<u64> = xs.iter().map(|&x| u64::from(x) & from.mask()).collect();
                prop_assert_eq!(check_values(*from, *to, net, cfg, &values, &RoundingMode::DETERMINISTIC), 0);
            }
        }
    }
}

#[test]
fn bad_input_names_the_parameter() {
    let cfg = FpUnitConfig::default();
    let e = fp_converter(FloatFormat::FP64, FloatFormat::FP16, &cfg).unwrap_err();
    assert_eq!(
        e.to_string(),
        "converter source format width 64 is out of range 4..=32"
    );
    let e = fp_converter(FloatFormat::FP16, FloatFormat::FP64, &cfg).unwrap_err();
    assert_eq!(
        e.to_string(),
        "converter target format width 64 is out of range 4..=32"
    );
    let mut b = arithsim::gates::Builder::new();
    let x = b.input("x", 8).unwrap();
    let mode = arithsim::circuits::fp::ModeWires::fixed(&b, RoundingMode::NearestEven).unwrap();
    let e = arithsim::circuits::fp::build_fp_converter(
        &mut b,
        FloatFormat::FP16,
        FloatFormat::FP8_E4M3,
        &cfg,
        &mode,
        &x,
    );
    assert!(matches!(e.unwrap_err(), arithsim::Error::Shape(_)));
}

/// Conversions among formats off the presets and to/from FP32, FP16 and E4M3.
#[test]
fn odd_formats_match_soft_float() {
    let mut fs = odd_formats();
    fs.extend([FloatFormat::FP32, FloatFormat::FP16, FloatFormat::FP8_E4M3]);
    let mut bad = 0;
    for (i, &from) in fs.iter().enumerate() {
        let values = values_of(from, 1024, 40 + i as u64);
        for &to in &fs {
            if from == to && from.width() > 16 {
                continue;
            }
            for ftz in [false, true] {
                let cfg = FpUnitConfig::default()
                    .with_rounding(RoundingControl::Input)
                    .with_flush_subnormals(ftz);
                let net = fp_converter(from, to, &cfg).unwrap();
                bad += check_values(from, to, &net, &cfg, &values, &RoundingMode::DETERMINISTIC);
            }
        }
    }
    assert_eq!(bad, 0);
}
