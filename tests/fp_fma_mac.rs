//! The gate-level FMA (mixed formats) and the mixed-precision MACs against the soft float:
//! reference = convert `a`, `b` to the accumulator format (exact; checked below for every
//! preset) then `acc.fma(a', b', c)` under `cfg.env(mode)`, values and all four flags (the
//! conversions' invalid for a signalling NaN included).
//!
//! Coverage:
//! * FP4 E2M1, FP6 E3M2, FP6 E2M3 and a 6-bit IEEE format (E3M2 with ∞/NaN): **all
//!   triples**, every `rm` code, each config (default, FTZ/DAZ, RISC-V NaNs, saturating);
//! * FP8 × FP8 + FP8 (E4M3, E5M2): **all 2^24 triples**, each in one rounding mode (the
//!   `rm` code cycles with the triple index, so each mode sees a seventh of them);
//! * FP8 E4M3 and E5M2 × FP8 + FP16 and + FP32 (the MAC presets' FMA; all triples would be
//!   2^32 / 2^48): **all 2^16 (a, b) pairs × 256 addends** (2^24 per preset: 32 at and
//!   around −a·b, 224 spread over the accumulator's patterns), mode cycling, default
//!   config; plus a seeded sample of 2^16 triples per FTZ/RISC-V/saturating config;
//! * proptest for FP16, BF16, FP32 FMAs and the FP16/BF16 + FP32 MACs, specials always
//!   included (zeros, subnormals, ∞, NaNs, max finite, overflow, exact cancellation);
//! * every format shape of 4–6 bits (all four specials conventions, two biases): the FMA on
//!   all triples up to 5 bits, all pairs × 64 addends at 6 bits (and the multiplier on all
//!   pairs);
//! * FNUZ / TF32 / FP6 / BF16-accumulator format pairs, seeded samples in every config;
//! * four product-tree architectures and all ten adder architectures give the same results;
//! * MAC step sequences (every preset, every mode) against a soft-float accumulation loop;
//! * bad input.
//!
//! The MAC's step is [`build_fp_mac_step`] = the FMA with the register as addend, so the
//! all-triples FMA checks are the MAC's datapath; the sequences check the register wiring.

mod fp_mulfma_common;

use arithsim::Error;
use arithsim::circuits::fp::{
    FpMac, FpMacSpec, FpUnitConfig, RoundingControl, fp_fma, fp_mac, fp_mac_presets,
};
use arithsim::float::FloatFormat;
use arithsim::round::{Flags, RoundingMode};
use fp_mulfma_common::{MODES, Rng, compare, configs, fma_ref, run, specials};
use proptest::prelude::*;

fn all_triples(mul: FloatFormat, acc: FloatFormat) -> (Vec<u64>, Vec<u64>, Vec<u64>) {
    let (nm, na) = (1u64 << mul.width(), 1u64 << acc.width());
    let n = nm * nm * na;
    (
        (0..n).map(|i| i / (nm * na)).collect(),
        (0..n).map(|i| i / na % nm).collect(),
        (0..n).map(|i| i % na).collect(),
    )
}

fn check(
    mul: FloatFormat,
    acc: FloatFormat,
    cfg: FpUnitConfig,
    a: &[u64],
    b: &[u64],
    c: &[u64],
    rm: &[u64],
) -> usize {
    let cfg = cfg.with_rounding(RoundingControl::Input);
    let net = fp_fma(mul, acc, &cfg).unwrap();
    let out = run(&net, &[("a", a), ("b", b), ("c", c), ("rm", rm)]);
    compare(
        &out,
        |i| {
            fma_ref(
                mul,
                acc,
                a[i],
                b[i],
                c[i],
                &cfg.env(RoundingControl::mode_of_code(rm[i])),
            )
        },
        |i| {
            format!(
                "{mul:?}x{acc:?} {cfg:?} rm={} a={:#x} b={:#x} c={:#x}",
                rm[i], a[i], b[i], c[i]
            )
        },
    )
}

#[test]
fn small_formats_all_triples_every_mode() {
    let e3m2 = FloatFormat::new(3, 2).unwrap();
    for f in [
        FloatFormat::FP4_E2M1,
        FloatFormat::FP6_E3M2,
        FloatFormat::FP6_E2M3,
        e3m2,
    ] {
        let (a0, b0, c0) = all_triples(f, f);
        let n = a0.len();
        for cfg in configs() {
            // Every triple in every rm code (codes 0..=7) for FP4; FP6 formats: every
            // triple in 4 codes (each code on half of the triples, all 8 covered).
            let reps = if f.width() <= 4 { 8 } else { 4 };
            let idx = |i: usize| i % n;
            let a: Vec<u64> = (0..reps * n).map(|i| a0[idx(i)]).collect();
            let b: Vec<u64> = (0..reps * n).map(|i| b0[idx(i)]).collect();
            let c: Vec<u64> = (0..reps * n).map(|i| c0[idx(i)]).collect();
            let rm: Vec<u64> = (0..reps * n)
                .map(|i| {
                    if reps == 8 {
                        (i / n) as u64
                    } else {
                        ((i / n) * 2 + (i % n) % 2) as u64
                    }
                })
                .collect();
            check(f, f, cfg, &a, &b, &c, &rm);
        }
    }
}

/// Streams `n` vectors from `vector(i) -> (a, b, c, rm)` through the FMA in chunks of 2^16,
/// comparing each with the reference; returns the count.
fn stream_check(
    mul: FloatFormat,
    acc: FloatFormat,
    n: u64,
    vector: impl Fn(u64) -> (u64, u64, u64, u64),
) -> usize {
    let cfg = FpUnitConfig::default().with_rounding(RoundingControl::Input);
    let net = fp_fma(mul, acc, &cfg).unwrap();
    let mut sim = arithsim::gates::Simulator::new(&net, 64).unwrap();
    let mut out = arithsim::gates::BatchOutput::default();
    let chunk = 1u64 << 16;
    let mut checked = 0;
    let (mut a, mut b, mut c, mut rm) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for base in (0..n).step_by(chunk as usize) {
        a.clear();
        b.clear();
        c.clear();
        rm.clear();
        for i in base..(base + chunk).min(n) {
            let (x, y, z, r) = vector(i);
            a.push(x);
            b.push(y);
            c.push(z);
            rm.push(r);
        }
        out.clear();
        sim.run(&[("a", &a), ("b", &b), ("c", &c), ("rm", &rm)], &mut out)
            .unwrap();
        checked += compare(
            &out,
            |i| {
                fma_ref(
                    mul,
                    acc,
                    a[i],
                    b[i],
                    c[i],
                    &cfg.env(RoundingControl::mode_of_code(rm[i])),
                )
            },
            |i| {
                format!(
                    "{mul:?}+{acc:?} rm={} a={:#x} b={:#x} c={:#x}",
                    rm[i], a[i], b[i], c[i]
                )
            },
        );
    }
    checked
}

/// FP8 × FP8 + FP8 (E4M3 and E5M2): all 2^24 triples, each in one rounding mode (the `rm`
/// code cycles with the triple index: every mode on a seventh of the triples).
#[test]
fn fp8_same_format_all_triples() {
    for f in [FloatFormat::FP8_E4M3, FloatFormat::FP8_E5M2] {
        let n = stream_check(f, f, 1 << 24, |i| {
            (i >> 16, (i >> 8) & 0xFF, i & 0xFF, (i + (i >> 8)) % 7)
        });
        assert_eq!(n, 1 << 24);
    }
}

/// The FP8 MAC presets' FMA (E4M3/E5M2 × FP8 + FP16/FP32): every (a, b) pair with 256
/// addends each, 2^24 triples per preset: 32 addends at and around −a·b (exact
/// cancellation and its neighbours, in ulps of the accumulator) and 224 spread over the
/// accumulator's patterns (FP16: over all pairs, every pattern appears 224 times; FP32:
/// every exponent, random significands). Every triple in one mode, cycling. Seeded
/// 2^16-triple samples for FTZ/DAZ, RISC-V NaNs and saturating overflow.
#[test]
fn fp8_mixed_pairs_times_addends() {
    for (mul, acc) in [
        (FloatFormat::FP8_E4M3, FloatFormat::FP16),
        (FloatFormat::FP8_E5M2, FloatFormat::FP16),
        (FloatFormat::FP8_E4M3, FloatFormat::FP32),
        (FloatFormat::FP8_E5M2, FloatFormat::FP32),
    ] {
        let env = FpUnitConfig::default().env(RoundingMode::NearestEven);
        let mask = acc.mask();
        let n = stream_check(mul, acc, 1 << 24, |i| {
            let (x, y, k) = (i >> 16, (i >> 8) & 0xFF, i & 0xFF);
            let z = if k < 32 {
                let p = fma_ref(mul, acc, x, y, 0, &env).0;
                (p ^ acc.sign_bit()).wrapping_add(k).wrapping_sub(16) & mask
            } else {
                let h = (i >> 8).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                    ^ k.wrapping_mul(0xD1B5_4A32_D192_ED03);
                let h = h ^ (h >> 29);
                if acc.width() == 16 {
                    ((i >> 8) * 224 + k - 32) & 0xFFFF ^ (h & 0x8000)
                } else {
                    h & mask
                }
            };
            (x, y, z, (i + (i >> 8)) % 7)
        });
        assert_eq!(n, 1 << 24);
        let mut rng = Rng(0xFEED ^ u64::from(acc.width()) ^ mul.exp_bits() as u64);
        let n = 1 << 16;
        let a: Vec<u64> = (0..n).map(|_| rng.next() & 0xFF).collect();
        let b: Vec<u64> = (0..n).map(|_| rng.next() & 0xFF).collect();
        let c: Vec<u64> = (0..n).map(|_| rng.next() & acc.mask()).collect();
        let rm: Vec<u64> = (0..n).map(|_| rng.next() % 8).collect();
        for cfg in configs().into_iter().skip(1) {
            check(mul, acc, cfg, &a, &b, &c, &rm);
        }
    }
}

/// The conversions the mixed reference relies on are exact for every preset: every
/// finite value converts without a flag and back to itself.
#[test]
fn preset_conversions_are_exact() {
    for (name, s) in fp_mac_presets() {
        assert_eq!(s.to_string(), name);
        let env = s.cfg.env(RoundingMode::NearestEven);
        for x in 0..(1u64 << s.mul.width()) {
            if s.mul.is_nan(x) {
                continue;
            }
            let y = s.mul.convert(x, s.acc, &env);
            assert_eq!(y.flags, Flags::empty(), "{name} {x:#x}");
            let back = s.acc.convert(y.value, s.mul, &env);
            assert_eq!(
                (back.value, back.flags),
                (x, Flags::empty()),
                "{name} {x:#x}"
            );
        }
    }
}

/// Operands for the wide-format tests: random patterns, specials, subnormals, values near
/// the overflow threshold.
fn pick(f: FloatFormat, rng: &mut Rng) -> u64 {
    let sp = specials(f);
    let x = rng.next();
    let e_max = (1u64 << f.exp_bits()) - 1;
    match rng.next() % 8 {
        0 | 1 => sp[(rng.next() % sp.len() as u64) as usize],
        2 => x & (f.man_mask() | f.sign_bit()),
        3 => (x & (f.man_mask() | f.sign_bit())) | ((e_max - 1 - rng.next() % 3) << f.man_bits()),
        // short significands, so that products are often exact
        4 => {
            (x & (f.sign_bit() | (f.man_mask() & !(f.man_mask() >> 3))))
                | ((rng.next() % e_max) << f.man_bits())
        }
        _ => x & f.mask(),
    }
}

fn wide_case(mul: FloatFormat, acc: FloatFormat, seed: u64) {
    let mut rng = Rng(seed | 1);
    let (mut a, mut b, mut c, mut rm) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let env = FpUnitConfig::default().env(RoundingMode::NearestEven);
    for _ in 0..768 {
        let (x, y) = (pick(mul, &mut rng), pick(mul, &mut rng));
        let z = match rng.next() % 4 {
            // exact cancellation a*b = -c (when the product is exact in acc), or near it
            0 => {
                let p = fma_ref(mul, acc, x, y, 0, &env).0;
                (p ^ acc.sign_bit())
                    .wrapping_add(rng.next() % 3)
                    .wrapping_sub(1)
                    & acc.mask()
            }
            _ => pick(acc, &mut rng),
        };
        a.push(x);
        b.push(y);
        c.push(z);
        rm.push(rng.next() % 8);
    }
    // every special against every special
    let (sm, sa) = (specials(mul), specials(acc));
    for &x in &sm {
        for &y in &sm {
            for &z in sa.iter().step_by(3) {
                a.push(x);
                b.push(y);
                c.push(z);
                rm.push(rng.next() % 8);
            }
        }
    }
    for cfg in configs() {
        check(mul, acc, cfg, &a, &b, &c, &rm);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    #[test]
    fn wide_fmas_against_soft_float(fmt in 0usize..5, seed in any::<u64>()) {
        let (mul, acc) = [
            (FloatFormat::FP16, FloatFormat::FP16),
            (FloatFormat::BF16, FloatFormat::BF16),
            (FloatFormat::FP32, FloatFormat::FP32),
            (FloatFormat::FP16, FloatFormat::FP32),
            (FloatFormat::BF16, FloatFormat::FP32),
        ][fmt];
        wide_case(mul, acc, seed);
    }
}

/// Every preset, every mode (on the `rm` port), FTZ on and off: 128 streams × 24 clocks
/// against a soft-float accumulation loop, values and per-clock flags.
#[test]
fn mac_sequences_match_a_soft_float_loop() {
    for (name, preset) in fp_mac_presets() {
        for daz in [false, true] {
            let cfg = FpUnitConfig::default()
                .with_rounding(RoundingControl::Input)
                .with_flush_subnormals(daz);
            let spec = preset.with_config(cfg);
            let mac = FpMac::new(spec).unwrap();
            let mut rng = Rng(0xACC ^ name.len() as u64);
            let (streams, clocks) = (128, 24);
            let draw = |rng: &mut Rng| -> Vec<Vec<u64>> {
                (0..clocks)
                    .map(|_| {
                        (0..streams)
                            .map(|_| {
                                if rng.next() % 16 == 0 {
                                    pick(spec.mul, rng)
                                } else {
                                    rng.next() & spec.mul.mask() & !(spec.mul.sign_bit() >> 1)
                                }
                            })
                            .collect()
                    })
                    .collect()
            };
            let a = draw(&mut rng);
            let b = draw(&mut rng);
            for mode in MODES {
                let r = mac.run(&a, &b, mode, false).unwrap();
                for s in 0..streams {
                    let mut acc = 0u64;
                    for t in 0..clocks {
                        let want = spec.reference(acc, a[t][s], b[t][s], mode);
                        assert_eq!(
                            (r.acc[t][s], r.flags[t][s]),
                            (want.value, want.flags),
                            "{name} daz={daz} {mode:?} stream {s} clock {t}"
                        );
                        acc = want.value;
                    }
                }
            }
        }
    }
}

#[test]
fn mac_accumulate_and_netlist() {
    let mac = FpMac::new(arithsim::circuits::fp::FpMacSpec::BF16_FP32).unwrap();
    // 1 + 2 + ... + 10 of x*1 with BF16 x: exact in FP32.
    let a: Vec<u64> = (1..=10)
        .map(|i| (i as f32).to_bits() as u64 >> 16)
        .collect();
    let b = vec![0x3F80u64; 10];
    let acc = mac.accumulate(&a, &b).unwrap();
    assert_eq!(f32::from_bits(acc[9] as u32), 55.0);
    let net = fp_mac(
        FloatFormat::BF16,
        FloatFormat::FP32,
        &FpUnitConfig::default(),
    )
    .unwrap();
    assert_eq!(net.registers().len(), 32);
    assert_eq!(net.gate_count(), mac.netlist().gate_count());
    // Switching activity over a run: counted from the second clock on, every stream a lane.
    let a: Vec<Vec<u64>> = (0..8).map(|t| vec![0x3F80 + t, 0x4000 + 3 * t]).collect();
    let b: Vec<Vec<u64>> = (0..8).map(|t| vec![0x3F80 + 5 * t, 0xBF80]).collect();
    let run = mac.run(&a, &b, RoundingMode::NearestEven, true).unwrap();
    let act = run.activity.unwrap();
    assert_eq!(act.transitions, 7 * 64);
    assert!(act.total() > 0);
    let quiet = mac.run(&a, &b, RoundingMode::NearestEven, false).unwrap();
    assert!(quiet.activity.is_none());
    assert_eq!(quiet.acc, run.acc);
}

#[test]
fn bad_input_is_an_error_naming_the_parameter() {
    let cfg = FpUnitConfig::default();
    for (mul, acc) in [
        (FloatFormat::BF16, FloatFormat::FP16),         // range
        (FloatFormat::FP16, FloatFormat::BF16),         // mantissa
        (FloatFormat::FP8_E5M2, FloatFormat::FP8_E4M3), // range and infinity
        (FloatFormat::FP32, FloatFormat::FP16),
    ] {
        match fp_fma(mul, acc, &cfg) {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "acc", "{mul:?} {acc:?}"),
            other => panic!("{mul:?} {acc:?}: {other:?}"),
        }
        assert!(FpMac::new(FpMacSpec::new(mul, acc)).is_err());
    }
    match fp_fma(FloatFormat::FP16, FloatFormat::FP64, &cfg) {
        Err(Error::InvalidWidth { what, .. }) => assert_eq!(what, "fma accumulator format"),
        other => panic!("{other:?}"),
    }
    match fp_fma(FloatFormat::FP64, FloatFormat::FP64, &cfg) {
        Err(Error::InvalidWidth { what, .. }) => assert_eq!(what, "fma product format"),
        other => panic!("{other:?}"),
    }
    let mac = FpMac::new(arithsim::circuits::fp::FpMacSpec::FP8_E4M3_FP16).unwrap();
    match mac.run(&[vec![0]], &[vec![0]], RoundingMode::TowardZero, false) {
        Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "mode"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        mac.run(&[vec![0, 1]], &[vec![0]], RoundingMode::NearestEven, false),
        Err(Error::Shape(_))
    ));
    assert!(matches!(
        mac.accumulate(&[0x1FF], &[0]),
        Err(Error::OutOfRange { .. })
    ));
}

/// The FMA's product tree takes every significand-multiplier architecture: the same results
/// (all FP4 and 6-bit IEEE triples; a seeded FP16 × FP16 + FP32 sample with cancellation),
/// different gate counts.
#[test]
fn fma_architectures_agree() {
    use arithsim::circuits::fp::SignificandMultiplier;
    use arithsim::circuits::multipliers::{PartialProducts, Reduction};
    let e3m2 = FloatFormat::new(3, 2).unwrap();
    let mut counts = Vec::new();
    for (pp, red) in [
        (PartialProducts::Booth4, Reduction::Wallace),
        (PartialProducts::AndArray, Reduction::Array),
        (PartialProducts::AndArray, Reduction::Compressor42),
        (PartialProducts::Booth4, Reduction::Dadda),
    ] {
        let m = SignificandMultiplier {
            partial_products: pp,
            reduction: red,
        };
        let cfg = FpUnitConfig::default().with_multiplier(m);
        for f in [FloatFormat::FP4_E2M1, e3m2] {
            let (a, b, c) = all_triples(f, f);
            let rm: Vec<u64> = (0..a.len()).map(|i| (i % 7) as u64).collect();
            check(f, f, cfg, &a, &b, &c, &rm);
        }
        let (mul, acc) = (FloatFormat::FP16, FloatFormat::FP32);
        let mut rng = Rng(0xA4C ^ pp as u64);
        let env = cfg.env(RoundingMode::NearestEven);
        let (mut a, mut b, mut c, mut rm) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..4096 {
            let (x, y) = (pick(mul, &mut rng), pick(mul, &mut rng));
            let z = if rng.next() % 3 == 0 {
                fma_ref(mul, acc, x, y, 0, &env).0 ^ acc.sign_bit()
            } else {
                pick(acc, &mut rng)
            };
            a.push(x);
            b.push(y);
            c.push(z);
            rm.push(rng.next() % 8);
        }
        check(mul, acc, cfg, &a, &b, &c, &rm);
        counts.push(fp_fma(mul, acc, &cfg).unwrap().gate_count());
    }
    assert_ne!(counts[0], counts[1]);
}

/// Formats beyond the presets, on seeded samples in every config: FNUZ products into
/// FP16/FP32 (FNUZ's NaN and its +0-only zero converted), FNUZ and FP6 into themselves,
/// TF32 into FP32, E4M3 into BF16.
#[test]
fn other_format_pairs_sampled() {
    for (mul, acc) in [
        (FloatFormat::FP8_E4M3FNUZ, FloatFormat::FP16),
        (FloatFormat::FP8_E5M2FNUZ, FloatFormat::FP32),
        (FloatFormat::FP8_E4M3FNUZ, FloatFormat::FP8_E4M3FNUZ),
        (FloatFormat::FP8_E5M2FNUZ, FloatFormat::FP8_E5M2FNUZ),
        (FloatFormat::FP6_E2M3, FloatFormat::FP8_E4M3),
        (FloatFormat::TF32, FloatFormat::FP32),
        (FloatFormat::FP8_E4M3, FloatFormat::BF16),
    ] {
        let mut rng = Rng(0x5EED ^ u64::from(mul.width() * 64 + acc.width()));
        let env = FpUnitConfig::default().env(RoundingMode::NearestEven);
        let (mut a, mut b, mut c, mut rm) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..8192 {
            let (x, y) = (pick(mul, &mut rng), pick(mul, &mut rng));
            let z = if rng.next() % 4 == 0 {
                fma_ref(mul, acc, x, y, 0, &env).0 ^ acc.sign_bit()
            } else {
                pick(acc, &mut rng)
            };
            a.push(x);
            b.push(y);
            c.push(z & acc.mask());
            rm.push(rng.next() % 8);
        }
        for cfg in configs() {
            check(mul, acc, cfg, &a, &b, &c, &rm);
        }
    }
}

/// Every format shape up to 6 bits, every specials convention and a few biases: the
/// multiplier on all pairs and the FMA on all triples (width ≤ 5) or all pairs × 64
/// addends (6 bits), the `rm` code cycling, FTZ on and off.
#[test]
fn every_small_format_shape() {
    use arithsim::circuits::fp::fp_multiplier;
    use arithsim::float::Specials;
    for w in 4..=6u32 {
        for e in 2..w - 1 {
            let m = w - 1 - e;
            for sp in [
                Specials::Ieee,
                Specials::NanAllOnes,
                Specials::Fnuz,
                Specials::FiniteOnly,
            ] {
                let base = FloatFormat::new(e, m).unwrap();
                for bias in [base.bias(), 1] {
                    let Ok(f) = FloatFormat::with_bias(e, m, bias, sp) else {
                        continue;
                    };
                    for daz in [false, true] {
                        let cfg = FpUnitConfig::default()
                            .with_flush_subnormals(daz)
                            .with_rounding(RoundingControl::Input);
                        let n = 1u64 << w;
                        let a: Vec<u64> = (0..n * n).map(|i| i / n).collect();
                        let b: Vec<u64> = (0..n * n).map(|i| i % n).collect();
                        let rm: Vec<u64> = (0..n * n).map(|i| i % 7).collect();
                        let net = fp_multiplier(f, &cfg).unwrap();
                        let out = run(&net, &[("a", &a), ("b", &b), ("rm", &rm)]);
                        compare(
                            &out,
                            |i| {
                                let r = f.mul(
                                    a[i],
                                    b[i],
                                    &cfg.env(RoundingControl::mode_of_code(rm[i])),
                                );
                                (r.value, r.flags)
                            },
                            |i| format!("mul {f:?} daz={daz} rm={} {:#x} {:#x}", rm[i], a[i], b[i]),
                        );
                        let step = if w <= 5 { 1 } else { n / 64 };
                        let t: Vec<(u64, u64, u64)> = (0..n * n)
                            .flat_map(|ab| {
                                (0..n)
                                    .step_by(step as usize)
                                    .map(move |c| (ab / n, ab % n, (c + ab) % n))
                            })
                            .collect();
                        let a: Vec<u64> = t.iter().map(|x| x.0).collect();
                        let b: Vec<u64> = t.iter().map(|x| x.1).collect();
                        let c: Vec<u64> = t.iter().map(|x| x.2).collect();
                        let rm: Vec<u64> = (0..t.len() as u64).map(|i| i % 7).collect();
                        check(f, f, cfg, &a, &b, &c, &rm);
                    }
                }
            }
        }
    }
}

/// Every adder architecture inside the units (exponent sums, the FMA's wide adder and
/// incrementer, the multiplier's final adder, the back end): the same results on all
/// E3M2 FMA triples and all E4M3 products.
#[test]
fn adder_architectures_agree() {
    use arithsim::circuits::adders::AdderKind;
    use arithsim::circuits::fp::fp_multiplier;
    let e3m2 = FloatFormat::new(3, 2).unwrap();
    let (a, b, c) = all_triples(e3m2, e3m2);
    let rm: Vec<u64> = (0..a.len()).map(|i| (i % 7) as u64).collect();
    let f = FloatFormat::FP8_E4M3;
    let pa: Vec<u64> = (0..1u64 << 16).map(|i| i >> 8).collect();
    let pb: Vec<u64> = (0..1u64 << 16).map(|i| i & 0xFF).collect();
    let prm: Vec<u64> = (0..1u64 << 16).map(|i| i % 7).collect();
    for adder in AdderKind::ALL {
        let cfg = FpUnitConfig::default().with_adder(adder);
        check(e3m2, e3m2, cfg, &a, &b, &c, &rm);
        let cfg = cfg.with_rounding(RoundingControl::Input);
        let net = fp_multiplier(f, &cfg).unwrap();
        let out = run(&net, &[("a", &pa), ("b", &pb), ("rm", &prm)]);
        compare(
            &out,
            |i| {
                let r = f.mul(
                    pa[i],
                    pb[i],
                    &cfg.env(RoundingControl::mode_of_code(prm[i])),
                );
                (r.value, r.flags)
            },
            |i| format!("{adder:?} {:#x} × {:#x}", pa[i], pb[i]),
        );
    }
}
