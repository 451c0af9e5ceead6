//! The gate-level FP adder/subtractor against the soft float, values and flags.

mod fp_common;

use arithsim::circuits::fp::{FpUnitConfig, RoundingControl, fp_adder};
use arithsim::float::{FloatFormat, Specials};
use arithsim::round::RoundingMode;
use fp_common::*;

/// The configs that differ for `f` (the overflow policy only matters without infinities,
/// the NaN policy only with NaNs).
fn relevant_configs(f: FloatFormat) -> Vec<FpUnitConfig> {
    let d = FpUnitConfig::default();
    configs()
        .into_iter()
        .filter(|c| f.specials() != Specials::Ieee || c.overflow == d.overflow)
        .filter(|c| f.specials().has_nan() || c.nan == d.nan)
        .collect()
}

/// Checks `net` (built with `cfg`) on every operand pair of `f`, both operations, each mode
/// of `modes` (on the rm port when `cfg` has one).
fn check_all_pairs(
    f: FloatFormat,
    name: &str,
    cfg: &FpUnitConfig,
    modes: &[RoundingMode],
) -> usize {
    let net = fp_adder(f, cfg).unwrap();
    let n = 1usize << f.width();
    let count = n * n * 2 * modes.len();
    let has_rm = cfg.rounding == RoundingControl::Input;
    let (pa, pb, ps) = (port(&net, "a"), port(&net, "b"), port(&net, "sub"));
    let decode = |v: usize| {
        let (x, y) = ((v % (n * n)) / n, v % n);
        let sub = (v / (n * n)) % 2;
        let mode = modes[v / (n * n * 2)];
        (x as u64, y as u64, sub as u64, mode)
    };
    let input = |p: usize, v: usize| {
        let (x, y, sub, mode) = decode(v);
        match p {
            _ if p == pa => x,
            _ if p == pb => y,
            _ if p == ps => sub,
            _ => RoundingControl::code(mode).unwrap(),
        }
    };
    assert_eq!(net.inputs().len(), 3 + usize::from(has_rm));
    let got = run_sliced(&net, count, &input);
    let expect = |v: usize| {
        let (x, y, sub, mode) = decode(v);
        let env = cfg.env(mode);
        let r = if sub == 1 {
            f.sub(x, y, &env)
        } else {
            f.add(x, y, &env)
        };
        (r.value, r.flags)
    };
    let what = |v: usize| {
        let (x, y, sub, mode) = decode(v);
        format!("{name} {cfg:?} {mode:?} a={x:#x} b={y:#x} sub={sub}")
    };
    count_mismatches(&got, expect, &what)
}

/// Every operand pair, both operations, every deterministic mode on the rm port, for every
/// config (FTZ/DAZ on and off, both overflow and NaN policies where they matter).
#[test]
fn exhaustive_small_formats_rm_port() {
    let mut total = 0;
    for (name, f) in small_formats() {
        for base in relevant_configs(f) {
            let cfg = base.with_rounding(RoundingControl::Input);
            total += check_all_pairs(f, name, &cfg, &RoundingMode::DETERMINISTIC);
        }
    }
    assert_eq!(total, 0);
}

/// Every operand pair with each mode fixed at build time (the folded logic).
#[test]
fn exhaustive_small_formats_fixed_modes() {
    let mut total = 0;
    for (name, f) in small_formats() {
        for base in relevant_configs(f) {
            for mode in RoundingMode::DETERMINISTIC {
                let cfg = base.with_rounding(RoundingControl::Fixed(mode));
                total += check_all_pairs(f, name, &cfg, &[mode]);
            }
        }
    }
    assert_eq!(total, 0);
}

/// Checks `net` (built with `cfg`, rm port or fixed) on the pairs `(a[i], b[i])`, both
/// operations, each mode of `modes`.
fn check_pairs(
    f: FloatFormat,
    net: &arithsim::gates::Netlist,
    cfg: &FpUnitConfig,
    pairs: &[(u64, u64)],
    modes: &[RoundingMode],
) -> usize {
    let np = pairs.len();
    let (pa, pb, ps) = (port(net, "a"), port(net, "b"), port(net, "sub"));
    let decode = |v: usize| {
        let (x, y) = pairs[v % np];
        ((x, y), ((v / np) % 2) as u64, modes[v / (np * 2)])
    };
    let input = |p: usize, v: usize| {
        let ((x, y), sub, mode) = decode(v);
        match p {
            _ if p == pa => x,
            _ if p == pb => y,
            _ if p == ps => sub,
            _ => RoundingControl::code(mode).unwrap(),
        }
    };
    let got = run_sliced(net, np * 2 * modes.len(), &input);
    let expect = |v: usize| {
        let ((x, y), sub, mode) = decode(v);
        let env = cfg.env(mode);
        let r = if sub == 1 {
            f.sub(x, y, &env)
        } else {
            f.add(x, y, &env)
        };
        (r.value, r.flags)
    };
    let what = |v: usize| {
        let ((x, y), sub, mode) = decode(v);
        format!("{f:?} {cfg:?} {mode:?} a={x:#x} b={y:#x} sub={sub}")
    };
    count_mismatches(&got, expect, &what)
}

/// Random pairs (raw bit patterns, so NaNs and subnormals come up), pairs with close
/// exponents (cancellation), and every pair of special values, for FP16, BF16 and FP32:
/// every mode on the rm port with each config, and the default fixed-mode unit.
#[test]
fn wide_formats_random_and_special_pairs() {
    for (i, f) in [FloatFormat::FP16, FloatFormat::BF16, FloatFormat::FP32]
        .into_iter()
        .enumerate()
    {
        let sp = special_values(f);
        let mut pairs: Vec<(u64, u64)> = sp
            .iter()
            .flat_map(|&x| sp.iter().map(move |&y| (x, y)))
            .collect();
        let r = patterns(f.width(), 4096, 11 + i as u64);
        pairs.extend(r.chunks(2).map(|c| (c[0], c[1])));
        // Close magnitudes: b = a with a few low bits changed (massive cancellation).
        let d = patterns(8, 1024, 99 + i as u64);
        pairs.extend(
            r.iter()
                .zip(&d)
                .map(|(&x, &k)| (x, x ^ (k & 0x3F) ^ ((k >> 6) << (f.man_bits() - 1)))),
        );
        for base in configs()
            .into_iter()
            .filter(|c| c.overflow == FpUnitConfig::default().overflow)
        {
            let cfg = base.with_rounding(RoundingControl::Input);
            let net = fp_adder(f, &cfg).unwrap();
            assert_eq!(
                check_pairs(f, &net, &cfg, &pairs, &RoundingMode::DETERMINISTIC),
                0
            );
        }
        let cfg = FpUnitConfig::default();
        let net = fp_adder(f, &cfg).unwrap();
        assert_eq!(
            check_pairs(f, &net, &cfg, &pairs, &[RoundingMode::NearestEven]),
            0
        );
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn nets() -> &'static Vec<(FloatFormat, FpUnitConfig, arithsim::gates::Netlist)> {
        static NETS: OnceLock<Vec<(FloatFormat, FpUnitConfig, arithsim::gates::Netlist)>> =
            OnceLock::new();
        NETS.get_or_init(|| {
            let cfg = FpUnitConfig::default().with_rounding(RoundingControl::Input);
            [FloatFormat::FP16, FloatFormat::BF16, FloatFormat::FP32]
                .into_iter()
                .map(|f| (f, cfg, fp_adder(f, &cfg).unwrap()))
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Random pattern pairs in every mode, with a special value mixed in as one operand.
        #[test]
        fn adder_matches_soft_float(xs in prop::collection::vec((any::<u32>(), any::<u32>(), any::<u8>()), 64)) {
            for (f, cfg, net) in nets() {
                let sp = special_values(*f);
                let mask = f.mask();
                let pairs: Vec<(u64, u64)> = xs
                    .iter()
                    .map(|&(x, y, k)| {
                        let (x, y) = (u64::from(x) & mask, u64::from(y) & mask);
                        match k % 4 {
                            0 => (sp[k as usize % sp.len()], y),
                            1 => (x, sp[k as usize % sp.len()]),
                            _ => (x, y),
                        }
                    })
                    .collect();
                prop_assert_eq!(check_pairs(*f, net, cfg, &pairs, &RoundingMode::DETERMINISTIC), 0);
            }
        }
    }
}

#[test]
fn bad_input_names_the_parameter() {
    let cfg = FpUnitConfig::default();
    let e = fp_adder(FloatFormat::FP64, &cfg).unwrap_err();
    assert_eq!(
        e.to_string(),
        "fp adder format width 64 is out of range 4..=32"
    );
    let sr = cfg.with_rounding(RoundingControl::Fixed(RoundingMode::Stochastic {
        random: 5,
        bits: 8,
    }));
    let e = fp_adder(FloatFormat::FP16, &sr).unwrap_err();
    assert!(
        matches!(e, arithsim::Error::Unsupported(ref s) if s.starts_with("rounding")),
        "{e}"
    );
    let bad = cfg.with_adder(arithsim::circuits::adders::AdderKind::CarryLookahead { block: 1 });
    assert!(matches!(
        fp_adder(FloatFormat::FP16, &bad).unwrap_err(),
        arithsim::Error::InvalidParameter {
            name: "block size",
            ..
        }
    ));
    // Operands of different widths in the build form.
    let mut b = arithsim::gates::Builder::new();
    let x = b.input("x", 16).unwrap();
    let y = b.input("y", 15).unwrap();
    let s = b.input_bit("s").unwrap();
    let mode = arithsim::circuits::fp::ModeWires::fixed(&b, RoundingMode::NearestEven).unwrap();
    let e =
        arithsim::circuits::fp::build_fp_adder(&mut b, FloatFormat::FP16, &cfg, &mode, &x, &y, s);
    assert!(matches!(e.unwrap_err(), arithsim::Error::Shape(_)));
}

/// Every architecture of carry-propagate adder gives the same (exact) unit.
#[test]
fn every_adder_kind_is_exact_on_fp8() {
    let f = FloatFormat::FP8_E5M2;
    for kind in arithsim::circuits::adders::AdderKind::ALL {
        let cfg = FpUnitConfig::default()
            .with_adder(kind)
            .with_rounding(RoundingControl::Input);
        assert_eq!(
            check_all_pairs(
                f,
                "E5M2",
                &cfg,
                &[RoundingMode::NearestEven, RoundingMode::TowardNegative]
            ),
            0,
            "{kind:?}"
        );
    }
}

/// The two-path adder is the same function: every pair of every <=8-bit format in every
/// mode and config, and the wide-format pairs.
#[test]
fn near_far_adder_matches_soft_float() {
    use arithsim::circuits::fp::fp_adder_near_far;
    let mut bad = 0;
    for (_, f) in small_formats() {
        let n = 1u64 << f.width();
        let pairs: Vec<(u64, u64)> = (0..n).flat_map(|x| (0..n).map(move |y| (x, y))).collect();
        for base in relevant_configs(f) {
            let cfg = base.with_rounding(RoundingControl::Input);
            let net = fp_adder_near_far(f, &cfg).unwrap();
            bad += check_pairs(f, &net, &cfg, &pairs, &RoundingMode::DETERMINISTIC);
        }
    }
    for (i, f) in [FloatFormat::FP16, FloatFormat::BF16, FloatFormat::FP32]
        .into_iter()
        .enumerate()
    {
        let sp = special_values(f);
        let mut pairs: Vec<(u64, u64)> = sp
            .iter()
            .flat_map(|&x| sp.iter().map(move |&y| (x, y)))
            .collect();
        let r = patterns(f.width(), 4096, 21 + i as u64);
        pairs.extend(r.chunks(2).map(|c| (c[0], c[1])));
        let d = patterns(8, 1024, 77 + i as u64);
        pairs.extend(
            r.iter()
                .zip(&d)
                .map(|(&x, &k)| (x, x ^ (k & 0x3F) ^ ((k >> 6) << (f.man_bits() - 1)))),
        );
        for ftz in [false, true] {
            let cfg = FpUnitConfig::default()
                .with_rounding(RoundingControl::Input)
                .with_flush_subnormals(ftz);
            let net = fp_adder_near_far(f, &cfg).unwrap();
            bad += check_pairs(f, &net, &cfg, &pairs, &RoundingMode::DETERMINISTIC);
        }
    }
    assert_eq!(bad, 0);
}

/// Formats off the presets (other splits, biases, conventions; up to (11, 20)): all pairs
/// of the 8-bit ones, random and special pairs of the wider ones, every mode.
#[test]
fn odd_formats_match_soft_float() {
    let mut bad = 0;
    for (i, f) in odd_formats().into_iter().enumerate() {
        let v = values_of(f, 512, 5 + i as u64);
        let pairs: Vec<(u64, u64)> = if f.width() <= 8 {
            v.iter()
                .flat_map(|&x| v.iter().map(move |&y| (x, y)))
                .collect()
        } else {
            let r = patterns(f.width(), 2048, 3 + i as u64);
            let mut p: Vec<(u64, u64)> = v
                .iter()
                .zip(v.iter().rev())
                .map(|(&x, &y)| (x, y))
                .collect();
            p.extend(r.chunks(2).map(|c| (c[0], c[1])));
            p
        };
        for ftz in [false, true] {
            let cfg = FpUnitConfig::default()
                .with_rounding(RoundingControl::Input)
                .with_flush_subnormals(ftz);
            let net = fp_adder(f, &cfg).unwrap();
            bad += check_pairs(f, &net, &cfg, &pairs, &RoundingMode::DETERMINISTIC);
        }
    }
    assert_eq!(bad, 0);
}
