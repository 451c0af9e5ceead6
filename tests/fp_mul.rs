//! The gate-level FP multiplier against the soft float's `mul` (values and all four flags):
//! exhaustive over every operand pair of every format of 8 bits or less, in every rounding
//! mode (fixed at build time, and on the `rm` port), FTZ/DAZ on and off, both NaN policies,
//! both overflow policies; proptest for FP16, BF16 and FP32 with specials always included;
//! four significand-multiplier architectures; structure (p² AND gates, fixed mode and FTZ
//! smaller); bad input.

mod fp_mulfma_common;

use arithsim::Error;
use arithsim::circuits::fp::{FpUnitConfig, RoundingControl, SignificandMultiplier, fp_multiplier};
use arithsim::circuits::multipliers::{PartialProducts, Reduction};
use arithsim::float::FloatFormat;
use arithsim::round::RoundingMode;
use fp_mulfma_common::{MODES, Rng, compare, configs, run, specials};
use proptest::prelude::*;

/// Every ≤ 8-bit preset plus a 6-bit IEEE format (E3M2 with infinities and NaNs).
fn small_formats() -> Vec<FloatFormat> {
    let mut v: Vec<FloatFormat> = FloatFormat::PRESETS
        .iter()
        .map(|&(_, f)| f)
        .filter(|f| f.width() <= 8)
        .collect();
    v.push(FloatFormat::new(3, 2).unwrap());
    v
}

fn all_pairs(f: FloatFormat) -> (Vec<u64>, Vec<u64>) {
    let n = 1u64 << f.width();
    (
        (0..n * n).map(|i| i / n).collect(),
        (0..n * n).map(|i| i % n).collect(),
    )
}

/// Every pair, every fixed mode, every config: 9 formats × 7 modes × 4 configs.
#[test]
fn exhaustive_small_formats_fixed_modes() {
    for f in small_formats() {
        let (a, b) = all_pairs(f);
        for cfg in configs() {
            for mode in MODES {
                let cfg = cfg.with_rounding(RoundingControl::Fixed(mode));
                let net = fp_multiplier(f, &cfg).unwrap();
                let out = run(&net, &[("a", &a), ("b", &b)]);
                let env = cfg.env(mode);
                compare(
                    &out,
                    |i| {
                        let r = f.mul(a[i], b[i], &env);
                        (r.value, r.flags)
                    },
                    |i| format!("{f:?} {cfg:?} {:#x} × {:#x}", a[i], b[i]),
                );
            }
        }
    }
}

/// Every pair in every `rm` code (7 means nearest-even), on one netlist per format and
/// config.
#[test]
fn exhaustive_small_formats_rm_port() {
    for f in small_formats() {
        let (a0, b0) = all_pairs(f);
        for cfg in configs() {
            let cfg = cfg.with_rounding(RoundingControl::Input);
            let net = fp_multiplier(f, &cfg).unwrap();
            let n = a0.len();
            let a: Vec<u64> = (0..8 * n).map(|i| a0[i % n]).collect();
            let b: Vec<u64> = (0..8 * n).map(|i| b0[i % n]).collect();
            let rm: Vec<u64> = (0..8 * n).map(|i| (i / n) as u64).collect();
            let out = run(&net, &[("a", &a), ("b", &b), ("rm", &rm)]);
            compare(
                &out,
                |i| {
                    let env = cfg.env(RoundingControl::mode_of_code(rm[i]));
                    let r = f.mul(a[i], b[i], &env);
                    (r.value, r.flags)
                },
                |i| format!("{f:?} {cfg:?} rm={} {:#x} × {:#x}", rm[i], a[i], b[i]),
            );
        }
    }
}

/// Two more significand multipliers (Booth/Wallace, AND array/array, AND/4:2) give the same
/// unit behaviour; the gate counts differ.
#[test]
fn architectures_agree() {
    let f = FloatFormat::FP8_E5M2;
    let (a, b) = all_pairs(f);
    let cfg = FpUnitConfig::default().with_rounding(RoundingControl::Input);
    let rm: Vec<u64> = (0..a.len()).map(|i| (i % 7) as u64).collect();
    let mut counts = Vec::new();
    for (pp, red) in [
        (PartialProducts::AndArray, Reduction::Dadda),
        (PartialProducts::Booth4, Reduction::Wallace),
        (PartialProducts::AndArray, Reduction::Array),
        (PartialProducts::AndArray, Reduction::Compressor42),
    ] {
        let cfg = cfg.with_multiplier(SignificandMultiplier {
            partial_products: pp,
            reduction: red,
        });
        let net = fp_multiplier(f, &cfg).unwrap();
        counts.push(net.gate_count());
        let out = run(&net, &[("a", &a), ("b", &b), ("rm", &rm)]);
        compare(
            &out,
            |i| {
                let r = f.mul(a[i], b[i], &cfg.env(RoundingControl::mode_of_code(rm[i])));
                (r.value, r.flags)
            },
            |i| format!("{pp:?}/{red:?} {:#x} × {:#x}", a[i], b[i]),
        );
    }
    assert_ne!(
        counts[0], counts[1],
        "booth and the AND array should differ in gates"
    );
    // FP32 too, on a seeded sample: Booth/Wallace against the default.
    let f = FloatFormat::FP32;
    let mut rng = Rng(0xF32);
    let a: Vec<u64> = (0..4096).map(|_| rng.next() & f.mask()).collect();
    let b: Vec<u64> = (0..4096).map(|_| rng.next() & f.mask()).collect();
    let booth = SignificandMultiplier {
        partial_products: PartialProducts::Booth4,
        reduction: Reduction::Wallace,
    };
    for cfg in [
        FpUnitConfig::default(),
        FpUnitConfig::default().with_multiplier(booth),
    ] {
        let net = fp_multiplier(f, &cfg).unwrap();
        let out = run(&net, &[("a", &a), ("b", &b)]);
        let env = cfg.env(RoundingMode::NearestEven);
        compare(
            &out,
            |i| {
                let r = f.mul(a[i], b[i], &env);
                (r.value, r.flags)
            },
            |i| format!("FP32 {:#x} × {:#x}", a[i], b[i]),
        );
    }
}

/// Random pairs with specials mixed in, every `rm` code, each config: one batch per format.
fn check_wide(f: FloatFormat, a: &[u64], b: &[u64], rm: &[u64]) {
    for cfg in configs() {
        let cfg = cfg.with_rounding(RoundingControl::Input);
        let net = fp_multiplier(f, &cfg).unwrap();
        let out = run(&net, &[("a", a), ("b", b), ("rm", rm)]);
        compare(
            &out,
            |i| {
                let r = f.mul(a[i], b[i], &cfg.env(RoundingControl::mode_of_code(rm[i])));
                (r.value, r.flags)
            },
            |i| format!("{f:?} {cfg:?} rm={} {:#x} × {:#x}", rm[i], a[i], b[i]),
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn wide_formats_against_soft_float(
        fmt in 0usize..3,
        pairs in proptest::collection::vec((any::<u64>(), any::<u64>(), 0u64..8), 512),
        seed in any::<u64>(),
    ) {
        let f = [FloatFormat::FP16, FloatFormat::BF16, FloatFormat::FP32][fmt];
        // Draw operands from the strategy's distribution by hand (one batch per case).
        let mut rng = Rng(seed | 1);
        let sp = specials(f);
        let pick = |x: u64, rng: &mut Rng| -> u64 {
            match rng.next() % 6 {
                0 => sp[(rng.next() % sp.len() as u64) as usize],
                1 => x & (f.man_mask() | f.sign_bit()),
                2 => (x & (f.man_mask() | f.sign_bit())) | ((rng.next() % ((1 << f.exp_bits()) - 1)) << f.man_bits()),
                _ => x & f.mask(),
            }
        };
        let mut a = Vec::new();
        let mut b = Vec::new();
        let mut rm = Vec::new();
        for &(x, y, r) in &pairs {
            a.push(pick(x, &mut rng));
            b.push(pick(y, &mut rng));
            rm.push(r);
        }
        // Every special against every special, in each case.
        for &x in &sp {
            for &y in &sp {
                a.push(x);
                b.push(y);
                rm.push(rng.next() % 8);
            }
        }
        check_wide(f, &a, &b, &rm);
    }
}

#[test]
fn bad_input_is_an_error_naming_the_parameter() {
    let cfg = FpUnitConfig::default();
    match fp_multiplier(FloatFormat::FP64, &cfg) {
        Err(Error::InvalidWidth { what, .. }) => assert!(what.contains("fp multiplier format")),
        other => panic!("{other:?}"),
    }
    let bw = SignificandMultiplier {
        partial_products: PartialProducts::BaughWooley,
        reduction: Reduction::Dadda,
    };
    match fp_multiplier(FloatFormat::FP16, &cfg.with_multiplier(bw)) {
        Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "multiplier"),
        other => panic!("{other:?}"),
    }
    let sr = RoundingMode::Stochastic { random: 0, bits: 4 };
    assert!(matches!(
        fp_multiplier(
            FloatFormat::FP16,
            &cfg.with_rounding(RoundingControl::Fixed(sr))
        ),
        Err(Error::Unsupported(_))
    ));
}

/// Structure where a closed form exists: the AND array of a `p`-bit significand product
/// has `p²` AND gates (in the multiplier and inside the FMA's single tree); a fixed
/// mode folds the mode logic away (fewer gates than the `rm` port); FTZ/DAZ removes the
/// subnormal normalization (fewer gates and less depth).
#[test]
fn structure() {
    use arithsim::circuits::fp::fp_fma;
    for f in [
        FloatFormat::FP8_E4M3,
        FloatFormat::FP16,
        FloatFormat::BF16,
        FloatFormat::FP32,
    ] {
        let p = u64::from(f.precision());
        let cfg = FpUnitConfig::default();
        let s = fp_multiplier(f, &cfg).unwrap().stats();
        let pp = s
            .label("fp mul/significand product/partial products")
            .unwrap();
        assert_eq!(pp.gates, p * p, "{f:?}");
        let rm = fp_multiplier(f, &cfg.with_rounding(RoundingControl::Input))
            .unwrap()
            .stats();
        assert!(rm.gates > s.gates, "{f:?}");
        let ftz = fp_multiplier(f, &cfg.with_flush_subnormals(true))
            .unwrap()
            .stats();
        assert!(ftz.gates < s.gates && ftz.depth < s.depth, "{f:?}");
        let fma = fp_fma(f, FloatFormat::FP32, &cfg).unwrap().stats();
        assert_eq!(
            fma.label("fp fma/partial products").unwrap().gates,
            p * p,
            "{f:?}"
        );
        assert!(fma.gates > s.gates);
    }
}
