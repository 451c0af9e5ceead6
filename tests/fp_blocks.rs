//! The FP building blocks: exhaustive checks against native integer arithmetic and the soft
//! float, exact structure where a closed form exists, and bad input.

mod fp_common;

use arithsim::Error;
use arithsim::circuits::adders::AdderKind;
use arithsim::circuits::fp::*;
use arithsim::float::{FloatEnv, FloatFormat};
use arithsim::gates::{Builder, CellKind, Netlist, Op};
use arithsim::round::{Flags, RoundingMode};
use fp_common::*;

/// Every (x, d) of a `w`-bit bus and an `aw`-bit amount.
fn all_pairs(w: u32, aw: u32) -> (Vec<u64>, Vec<u64>) {
    let mut xs = Vec::new();
    let mut ds = Vec::new();
    for x in 0..1u64 << w {
        for d in 0..1u64 << aw {
            xs.push(x);
            ds.push(d);
        }
    }
    (xs, ds)
}

fn shifter_net(w: u32, aw: u32, left: bool) -> Netlist {
    let mut b = Builder::new();
    let x = b.input("x", w).unwrap();
    let d = b.input("d", aw).unwrap();
    if left {
        let y = build_shift_left(&mut b, &x, &d).unwrap();
        b.output("y", &y).unwrap();
    } else {
        let (y, s) = build_shift_right_sticky(&mut b, &x, &d).unwrap();
        b.output("y", &y).unwrap();
        b.output("s", &[s]).unwrap();
    }
    b.finish().unwrap()
}

#[test]
fn right_shifter_with_sticky_exhaustive() {
    for w in 1..=9u32 {
        for aw in 1..=4u32 {
            let net = shifter_net(w, aw, false);
            let (xs, ds) = all_pairs(w, aw);
            let out = net.eval_u64(&[("x", &xs), ("d", &ds)]).unwrap();
            for i in 0..xs.len() {
                let (x, d) = (xs[i], ds[i]);
                let y = if d >= 64 { 0 } else { x >> d };
                let lost = if d >= 64 {
                    x != 0
                } else {
                    x & ((1 << d) - 1) != 0
                };
                assert_eq!(out.get("y").unwrap()[i], u128::from(y), "w={w} x={x} d={d}");
                assert_eq!(
                    out.get("s").unwrap()[i],
                    u128::from(lost),
                    "w={w} x={x} d={d}"
                );
            }
        }
    }
}

#[test]
fn left_shifter_exhaustive() {
    for w in 1..=9u32 {
        for aw in 1..=4u32 {
            let net = shifter_net(w, aw, true);
            let (xs, ds) = all_pairs(w, aw);
            let out = net.eval_u64(&[("x", &xs), ("d", &ds)]).unwrap();
            for i in 0..xs.len() {
                let y = if ds[i] >= 64 {
                    0
                } else {
                    (xs[i] << ds[i]) & ((1 << w) - 1)
                };
                assert_eq!(out.get("y").unwrap()[i], u128::from(y));
            }
        }
    }
}

/// Stage `k` of a `w`-bit shifter: `w − 2^k` muxes, `2^k` ANDs, one inverter; the right
/// shifter's sticky adds an OR tree of `2^k − 1` gates, one AND and one OR per stage (the
/// first OR folds against the constant 0).
#[test]
fn shifter_structure_closed_form() {
    for w in [5usize, 8, 13, 24, 28, 53] {
        let stages = shift_stages(w);
        assert!(1usize << stages >= w && (stages == 0 || 1usize << (stages - 1) < w));
        let muxes = (stages * w) as u64 - ((1u64 << stages) - 1);
        let right = shifter_net(w as u32, stages as u32, false).stats();
        assert_eq!(right.cell_count(CellKind::Mux2), muxes, "w={w}");
        assert_eq!(right.primitive_count(Op::Mux), muxes);
        let gates = (stages * (w + 2)) as u64 + (1u64 << stages) - 1 - 1;
        assert_eq!(right.gates, gates, "w={w}");
        let left = shifter_net(w as u32, stages as u32, true).stats();
        assert_eq!(left.cell_count(CellKind::Mux2), muxes);
        assert_eq!(left.gates, (stages * (w + 1)) as u64, "w={w}");
        // One gate per stage on the data path, plus the select inverter before an AND.
        assert_eq!(left.depth, stages as u32 + 1, "w={w}");
    }
}

fn lzc_net(w: u32) -> Netlist {
    let mut b = Builder::new();
    let x = b.input("x", w).unwrap();
    let (n, z) = build_lzc(&mut b, &x).unwrap();
    b.output("n", &n).unwrap();
    b.output("z", &[z]).unwrap();
    b.finish().unwrap()
}

#[test]
fn lzc_exhaustive() {
    for w in 1..=14u32 {
        let net = lzc_net(w);
        let xs: Vec<u64> = (0..1u64 << w).collect();
        let out = net.eval_u64(&[("x", &xs)]).unwrap();
        for &x in &xs {
            let lz = if x == 0 {
                u64::from(w.next_power_of_two())
            } else {
                u64::from(x.leading_zeros() - (64 - w))
            };
            assert_eq!(
                out.get("n").unwrap()[x as usize],
                u128::from(lz),
                "w={w} x={x}"
            );
            assert_eq!(out.get("z").unwrap()[x as usize], u128::from(x == 0));
        }
    }
}

/// For `2^n` bits: `2^n` inverters, `2^(n−j)` nodes of level `j` with one AND and `j − 1`
/// muxes, and `n` ANDs plus an inverter clearing a zero input's count.
#[test]
fn lzc_structure_closed_form() {
    for n in 1..=6u32 {
        let w = 1u64 << n;
        let levels: u64 = (1..=n).map(|j| (w >> j) * u64::from(j)).sum();
        let muxes: u64 = (1..=n).map(|j| (w >> j) * u64::from(j - 1)).sum();
        let s = lzc_net(w as u32).stats();
        assert_eq!(s.gates, w + levels + u64::from(n) + 1, "n={n}");
        assert_eq!(s.cell_count(CellKind::Mux2), muxes, "n={n}");
        assert_eq!(
            lzc_net(w as u32).output("n").unwrap().width(),
            n as usize + 1
        );
    }
    // 32 bits, as documented.
    let s = lzc_net(32).stats();
    assert_eq!((s.gates, s.cell_count(CellKind::Mux2)), (95, 26));
}

/// The normalizer against a direct model, for every 7-bit significand and 5-bit signed
/// exponent, bounded and unbounded, with and without the "normalized" promise.
#[test]
fn normalize_exhaustive() {
    let w = 7u32;
    for unbounded in [false, true] {
        for normalized in [false, true] {
            let mut b = Builder::new();
            let sig = b.input("sig", w).unwrap();
            let exp = b.input("exp", 5).unwrap();
            let n = if unbounded {
                build_normalize_unbounded(&mut b, &sig, &exp, AdderKind::KoggeStone, normalized)
            } else {
                build_normalize(&mut b, &sig, &exp, AdderKind::KoggeStone, normalized)
            }
            .unwrap();
            b.output("y", &n.sig).unwrap();
            b.output("k", &n.k).unwrap();
            b.output("s", &[n.sticky]).unwrap();
            b.output("z", &[n.zero]).unwrap();
            let kw = n.k.len();
            let net = b.finish().unwrap();
            let mut sigs = Vec::new();
            let mut exps = Vec::new();
            for s in 0..1u64 << w {
                if normalized && s != 0 && s < 1 << (w - 2) {
                    continue;
                }
                for e in 0..32u64 {
                    sigs.push(s);
                    exps.push(e);
                }
            }
            let out = net.eval_u64(&[("sig", &sigs), ("exp", &exps)]).unwrap();
            for i in 0..sigs.len() {
                let (s, e) = (sigs[i], exps[i] as i64 - if exps[i] >= 16 { 32 } else { 0 });
                let lz = if s == 0 {
                    0
                } else {
                    i64::from(s.leading_zeros()) - (64 - w as i64)
                };
                let (y, k, st, z) = if unbounded {
                    let lz = if s == 0 { 0 } else { lz };
                    (s << lz & 0x7F, e - lz, 0, s == 0)
                } else {
                    let (x, st, ec) = if e < 0 {
                        let d = (-e) as u64;
                        let lost = if d >= 64 {
                            s != 0
                        } else {
                            s & ((1 << d) - 1) != 0
                        };
                        (if d >= 64 { 0 } else { s >> d }, u64::from(lost), 0)
                    } else {
                        (s, 0, e)
                    };
                    let lzx = if x == 0 {
                        ec
                    } else {
                        i64::from(x.leading_zeros()) - (64 - w as i64)
                    };
                    let sh = lzx.min(ec);
                    let z = if normalized { s == 0 } else { x == 0 };
                    (x << sh & 0x7F, if x == 0 { 0 } else { ec - sh }, st, z)
                };
                let what =
                    format!("unbounded={unbounded} normalized={normalized} sig={s:#b} exp={e}");
                assert_eq!(out.get("y").unwrap()[i], u128::from(y), "{what}");
                if s != 0 || !unbounded {
                    let got_k = out.get("k").unwrap()[i] as i64;
                    let got_k = if unbounded && got_k >= 1 << (kw - 1) {
                        got_k - (1 << kw)
                    } else {
                        got_k
                    };
                    assert_eq!(got_k, k, "{what}");
                }
                assert_eq!(out.get("s").unwrap()[i], u128::from(st), "{what}");
                assert_eq!(out.get("z").unwrap()[i], u128::from(z), "{what}");
            }
        }
    }
}

/// The back end alone against `FloatFormat::round_pack`: every 8-bit significand, 6-bit
/// signed exponent, sticky and sign, into FP8 E4M3, E5M2 and FP4, every mode (rm port),
/// IEEE and flush-to-zero.
#[test]
fn round_pack_matches_soft_float() {
    for f in [
        FloatFormat::FP8_E4M3,
        FloatFormat::FP8_E5M2,
        FloatFormat::FP4_E2M1,
        FloatFormat::FP8_E5M2FNUZ,
    ] {
        for ftz in [false, true] {
            for normalized in [false, true] {
                let cfg = FpUnitConfig::default()
                    .with_rounding(RoundingControl::Input)
                    .with_flush_subnormals(ftz);
                let mut b = Builder::new();
                let sig = b.input("sig", 8).unwrap();
                let exp = b.input("exp", 6).unwrap();
                let sticky = b.input_bit("sticky").unwrap();
                let sign = b.input_bit("sign").unwrap();
                let mode = ModeWires::build(&mut b, cfg.rounding).unwrap();
                let input = RoundPackInput {
                    sign,
                    zero_sign: None,
                    exp: &exp,
                    sig: &sig,
                    sticky,
                    special: None,
                };
                let r = if normalized {
                    build_round_pack_normalized(&mut b, f, &cfg, &mode, &input)
                } else {
                    build_round_pack(&mut b, f, &cfg, &mode, &input)
                };
                r.unwrap().output(&mut b).unwrap();
                let net = b.finish().unwrap();
                let mut v: Vec<(u64, u64, u64, u64, RoundingMode)> = Vec::new();
                for s in 0..256u64 {
                    if normalized && s != 0 && s < 64 {
                        continue;
                    }
                    for e in 0..64 {
                        for st in 0..2 {
                            for sg in 0..2 {
                                for m in RoundingMode::DETERMINISTIC {
                                    v.push((s, e, st, sg, m));
                                }
                            }
                        }
                    }
                }
                let input = |p: usize, i: usize| {
                    let (s, e, st, sg, m) = v[i];
                    [s, e, st, sg, RoundingControl::code(m).unwrap()][p]
                };
                let got = run_sliced(&net, v.len(), &input);
                let expect = |i: usize| {
                    let (s, e, st, sg, m) = v[i];
                    let e = e as i32 - if e >= 32 { 64 } else { 0 };
                    let r = f.round_pack(
                        sg == 1,
                        u128::from(s),
                        e - f.bias() - 6,
                        st == 1,
                        &cfg.env(m),
                    );
                    (r.value, r.flags)
                };
                let what = |i: usize| format!("{f:?} ftz={ftz} normalized={normalized} {:?}", v[i]);
                assert_eq!(count_mismatches(&got, expect, &what), 0);
            }
        }
    }
}

#[test]
fn unpack_matches_classification() {
    for (_, f) in small_formats() {
        for daz in [false, true] {
            let mut b = Builder::new();
            let x = b.input("x", f.width()).unwrap();
            let u = build_unpack(&mut b, f, &x, daz).unwrap();
            b.output("exp", &u.exp).unwrap();
            b.output("sig", &u.sig).unwrap();
            let flags = [
                u.sign,
                u.is_zero,
                u.is_subnormal,
                u.is_inf,
                u.is_nan,
                u.is_snan,
                u.exp_zero,
            ];
            b.output("flags", &flags).unwrap();
            let net = b.finish().unwrap();
            let xs: Vec<u64> = (0..1u64 << f.width()).collect();
            let out = net.eval_u64(&[("x", &xs)]).unwrap();
            let env = FloatEnv::default();
            for &x in &xs {
                let flushed = daz && f.is_subnormal(x);
                let field = f.exp_field(x);
                let man = if flushed { 0 } else { f.man_field(x) };
                let sig = man | if field != 0 { 1 << f.man_bits() } else { 0 };
                // A flushed FNUZ subnormal is +0 (the format has no −0).
                let neg = f.is_sign_negative(x) && (!flushed || f.specials().has_negative_zero());
                let want = [
                    neg,
                    f.is_zero(x) || flushed,
                    f.is_subnormal(x) && !daz,
                    f.is_infinite(x),
                    f.is_nan(x),
                    f.is_signaling(x),
                    field == 0,
                ];
                let want = want
                    .iter()
                    .enumerate()
                    .map(|(i, &b)| u128::from(b) << i)
                    .sum::<u128>();
                let i = x as usize;
                assert_eq!(
                    out.get("flags").unwrap()[i],
                    want,
                    "{f:?} daz={daz} x={x:#x}"
                );
                assert_eq!(out.get("exp").unwrap()[i], u128::from(field.max(1)));
                assert_eq!(out.get("sig").unwrap()[i], u128::from(sig));
                let _ = &env;
            }
        }
    }
}

#[test]
fn rm_decoder_is_one_hot_and_code_7_is_nearest_even() {
    let mut b = Builder::new();
    let m = ModeWires::build(&mut b, RoundingControl::Input).unwrap();
    let all = [m.rne, m.rna, m.rnp, m.rtz, m.rup, m.rdn, m.rto];
    b.output("m", &all).unwrap();
    let net = b.finish().unwrap();
    let codes: Vec<u64> = (0..8).collect();
    let out = net.eval_u64(&[("rm", &codes)]).unwrap();
    let order = [
        RoundingMode::NearestEven,
        RoundingMode::NearestAway,
        RoundingMode::NearestTowardPositive,
        RoundingMode::TowardZero,
        RoundingMode::TowardPositive,
        RoundingMode::TowardNegative,
        RoundingMode::ToOdd,
    ];
    for c in 0..8u64 {
        let mode = RoundingControl::mode_of_code(c);
        let want = 1u128 << order.iter().position(|&o| o == mode).unwrap();
        assert_eq!(out.get("m").unwrap()[c as usize], want, "code {c}");
    }
    assert_eq!(RoundingControl::mode_of_code(7), RoundingMode::NearestEven);
    for (i, &mode) in RoundingControl::MODES.iter().enumerate() {
        assert_eq!(RoundingControl::code(mode), Some(i as u64));
    }
    assert_eq!(
        RoundingControl::code(RoundingMode::Stochastic { random: 0, bits: 4 }),
        None
    );
}

/// A fixed mode folds the mode logic away: fewer gates than the rm-port unit, and no gate
/// in any finished unit is dead (every gate drives another gate or an output).
#[test]
fn units_are_lean() {
    for f in [FloatFormat::FP8_E4M3, FloatFormat::FP16, FloatFormat::FP32] {
        let fixed = fp_adder(f, &FpUnitConfig::default()).unwrap();
        let port = fp_adder(
            f,
            &FpUnitConfig::default().with_rounding(RoundingControl::Input),
        )
        .unwrap();
        assert!(fixed.gate_count() < port.gate_count());
        let conv = fp_converter(FloatFormat::FP32, f, &FpUnitConfig::default()).unwrap();
        for net in [&fixed, &port, &conv] {
            let fan = net.fanout_counts();
            let mut driven = vec![false; net.wire_count()];
            for p in net.outputs() {
                for w in p.wires() {
                    driven[w.index()] = true;
                }
            }
            for (i, node) in net.nodes().iter().enumerate() {
                if node.op.is_gate() {
                    assert!(fan[i] > 0 || driven[i], "dead gate {i} in {f:?}");
                }
            }
        }
    }
    // Every label of the adder is under "fp add" (a per-label breakdown covers the unit).
    let net = fp_adder(FloatFormat::FP16, &FpUnitConfig::default()).unwrap();
    let s = net.stats();
    let labelled: u64 = s
        .by_label
        .iter()
        .filter(|l| l.label.starts_with("fp add"))
        .map(|l| l.gates)
        .sum();
    assert_eq!(labelled, s.gates);
    assert!(s.label("fp add/round-pack/normalize/lzc").is_some());
    assert!(s.label("fp add/align").is_some());
}

#[test]
fn bad_input_names_the_parameter() {
    let cfg = FpUnitConfig::default();
    let mut b = Builder::new();
    let x = b.input("x", 7).unwrap();
    // Unpack: operand width must match the format.
    let e = build_unpack(&mut b, FloatFormat::FP8_E4M3, &x, false).unwrap_err();
    assert!(matches!(e, Error::Shape(_)), "{e}");
    // Round-pack into a format wider than 32 bits.
    let zero = b.zero();
    let mode = ModeWires::fixed(&b, RoundingMode::NearestEven).unwrap();
    let input = RoundPackInput {
        sign: zero,
        zero_sign: None,
        exp: &x[..4],
        sig: &x,
        sticky: zero,
        special: None,
    };
    let e = build_round_pack(&mut b, FloatFormat::FP64, &cfg, &mode, &input).unwrap_err();
    assert_eq!(
        e.to_string(),
        "round-pack format width 64 is out of range 4..=32"
    );
    // Special bits of the wrong width.
    let sp = SpecialCase {
        active: zero,
        bits: x.clone(),
        invalid: zero,
    };
    let input = RoundPackInput {
        special: Some(sp),
        ..input
    };
    let e = build_round_pack(&mut b, FloatFormat::FP16, &cfg, &mode, &input).unwrap_err();
    assert!(e.to_string().contains("special result has 7 bits"), "{e}");
    // rm bus of the wrong width.
    let e = ModeWires::from_rm(&mut b, &x[..2]).unwrap_err();
    assert!(e.to_string().contains("rm has 2 bits"), "{e}");
    // Stochastic rounding cannot be built.
    let e = ModeWires::fixed(&b, RoundingMode::Stochastic { random: 1, bits: 3 }).unwrap_err();
    assert!(
        matches!(e, Error::Unsupported(ref s) if s.contains("rounding")),
        "{e}"
    );
    // Empty shifter, normalizer exponent of one bit, a wire of another netlist.
    assert!(matches!(
        build_lzc(&mut b, &[]).unwrap_err(),
        Error::InvalidWidth {
            what: "leading-zero counter",
            ..
        }
    ));
    let e = build_normalize(&mut b, &x, &x[..1], AdderKind::RippleCarry, false).unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidWidth {
                what: "normalizer exponent",
                ..
            }
        ),
        "{e}"
    );
    let mut other = Builder::new();
    let y = other.input("y", 3).unwrap();
    let e = build_shift_right_sticky(&mut b, &x, &y).unwrap_err();
    assert!(
        matches!(e, Error::InvalidParameter { name: "wire", .. }),
        "{e}"
    );
    // A bad config.
    let bad = cfg.with_adder(AdderKind::CarrySelect { block: 0 });
    assert!(matches!(
        bad.validate().unwrap_err(),
        Error::InvalidParameter {
            name: "block size",
            ..
        }
    ));
    let bw = cfg.with_multiplier(SignificandMultiplier {
        partial_products: arithsim::circuits::multipliers::PartialProducts::BaughWooley,
        reduction: arithsim::circuits::multipliers::Reduction::Dadda,
    });
    assert!(matches!(
        bw.validate().unwrap_err(),
        Error::InvalidParameter {
            name: "multiplier",
            ..
        }
    ));
    let _ = Flags::empty();
}
