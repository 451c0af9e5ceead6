//! Every operand pair (and every triple for fma on formats of 6 bits or fewer) of the small
//! formats, in every deterministic rounding mode, against the exact rational reference in
//! `float_ref` (i128), values and flags. NaN results are compared by NaN-ness and flags.

mod float_ref;

use arithsim::Signedness;
use arithsim::float::{FloatEnv, FloatFormat, Specials, StatusAnd};
use arithsim::round::{Flags, RoundingMode};
use float_ref::{Exact, Ref};

/// The small presets plus custom IEEE-style formats of 5 to 8 bits.
fn small_formats() -> Vec<FloatFormat> {
    vec![
        FloatFormat::FP8_E5M2,
        FloatFormat::FP8_E4M3,
        FloatFormat::FP8_E4M3FNUZ,
        FloatFormat::FP8_E5M2FNUZ,
        FloatFormat::FP6_E3M2,
        FloatFormat::FP6_E2M3,
        FloatFormat::FP4_E2M1,
        FloatFormat::new(3, 4).unwrap(),
        FloatFormat::new(6, 1).unwrap(),
        FloatFormat::new(2, 2).unwrap(),
        FloatFormat::with_bias(4, 3, 3, Specials::Ieee).unwrap(),
    ]
}

fn check(
    f: FloatFormat,
    r: &Ref<i128>,
    got: StatusAnd<u64>,
    want: (u64, Flags),
    what: impl Fn() -> String,
) {
    let want_nan = matches!(r.decode(want.0), float_ref::Val::Nan(_));
    let ok = if want_nan {
        f.is_nan(got.value)
    } else {
        got.value == want.0
    } && got.flags == want.1;
    assert!(
        ok,
        "{f} {}: got {:#x} {} want {:#x} {}",
        what(),
        got.value,
        got.flags,
        want.0,
        want.1
    );
}

fn binary(op: &str) {
    for f in small_formats() {
        let r = Ref::<i128>::new(f);
        let n = 1u64 << f.width();
        for mode in RoundingMode::DETERMINISTIC {
            let env = FloatEnv::new(mode);
            for a in 0..n {
                for b in 0..n {
                    let (got, want) = match op {
                        "add" => (f.add(a, b, &env), r.add(a, b, false, mode)),
                        "sub" => (f.sub(a, b, &env), r.add(a, b, true, mode)),
                        "mul" => (f.mul(a, b, &env), r.mul(a, b)),
                        "div" => (f.div(a, b, &env), r.div(a, b)),
                        _ => unreachable!(),
                    };
                    check(f, &r, got, r.round(want, mode), || {
                        format!("{a:#x} {op} {b:#x} {mode:?}")
                    });
                }
            }
        }
    }
}

#[test]
fn add_all_pairs_all_modes() {
    binary("add");
}

#[test]
fn sub_all_pairs_all_modes() {
    binary("sub");
}

#[test]
fn mul_all_pairs_all_modes() {
    binary("mul");
}

#[test]
fn div_all_pairs_all_modes() {
    binary("div");
}

#[test]
fn sqrt_all_values_all_modes() {
    for f in small_formats() {
        let r = Ref::<i128>::new(f);
        for mode in RoundingMode::DETERMINISTIC {
            let env = FloatEnv::new(mode);
            for a in 0..1u64 << f.width() {
                check(f, &r, f.sqrt(a, &env), r.sqrt(a, mode), || {
                    format!("sqrt {a:#x} {mode:?}")
                });
            }
        }
    }
}

#[test]
fn fma_all_triples_up_to_6_bits() {
    for f in small_formats().into_iter().filter(|f| f.width() <= 6) {
        let r = Ref::<i128>::new(f);
        let n = 1u64 << f.width();
        for mode in RoundingMode::DETERMINISTIC {
            let env = FloatEnv::new(mode);
            for a in 0..n {
                for b in 0..n {
                    for c in 0..n {
                        let want = r.round(r.fma(a, b, c, mode), mode);
                        check(f, &r, f.fma(a, b, c, &env), want, || {
                            format!("fma {a:#x} {b:#x} {c:#x} {mode:?}")
                        });
                    }
                }
            }
        }
    }
}

/// Sampled fma triples for the 8-bit formats (xorshift, fixed seed), every mode per triple.
/// `FLOAT_FMA_SAMPLES` raises the count (the 10^7 run: `examples/float_fma_sweep.rs`).
#[test]
fn fma_sampled_8_bit() {
    let samples: u64 = std::env::var("FLOAT_FMA_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(150_000);
    let mut s = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    for f in small_formats().into_iter().filter(|f| f.width() == 8) {
        let r = Ref::<i128>::new(f);
        for _ in 0..samples {
            let x = next();
            let (a, b, c) = (x & 0xFF, (x >> 8) & 0xFF, (x >> 16) & 0xFF);
            for mode in RoundingMode::DETERMINISTIC {
                let want = r.round(r.fma(a, b, c, mode), mode);
                check(f, &r, f.fma(a, b, c, &FloatEnv::new(mode)), want, || {
                    format!("fma {a:#x} {b:#x} {c:#x} {mode:?}")
                });
            }
        }
    }
}

/// Every FP16 value and every small-format value converted into every small format.
#[test]
fn convert_all_values_all_modes() {
    let mut sources = small_formats();
    sources.push(FloatFormat::FP16);
    for from in sources {
        let rf = Ref::<i128>::new(from);
        for to in small_formats() {
            let rt = Ref::<i128>::new(to);
            let (qf, qt) = (
                from.man_bits() as i32 + from.bias() - 1,
                to.man_bits() as i32 + to.bias() - 1,
            );
            for mode in RoundingMode::DETERMINISTIC {
                let env = FloatEnv::new(mode);
                for a in 0..1u64 << from.width() {
                    let exact = match rf.decode(a) {
                        float_ref::Val::Nan(s) => Exact::Nan { signaling: s },
                        float_ref::Val::Inf(neg) => {
                            if to.specials() == Specials::Ieee {
                                Exact::Inf {
                                    neg,
                                    div_by_zero: false,
                                }
                            } else {
                                Exact::Invalid
                            }
                        }
                        float_ref::Val::Fin(neg, v) => {
                            let (n, d) = if qt >= qf {
                                (v << (qt - qf), 1)
                            } else {
                                (v, 1i128 << (qf - qt))
                            };
                            Exact::Fin { neg, n, d }
                        }
                    };
                    let mut want = rt.round(exact, mode);
                    // Into a format without NaN (documented): ∞ saturates, NaN gives +0, both
                    // invalid.
                    if to.specials() == Specials::FiniteOnly {
                        match rf.decode(a) {
                            float_ref::Val::Inf(neg) => {
                                let s = if neg { to.sign_bit() } else { 0 };
                                want = (s | to.max_finite_bits(), Flags::INVALID);
                            }
                            float_ref::Val::Nan(_) => want = (0, Flags::INVALID),
                            _ => {}
                        }
                    }
                    check(to, &rt, from.convert(a, to, &env), want, || {
                        format!("convert {a:#x} from {from} {mode:?}")
                    });
                }
            }
        }
    }
}

/// Remainder and round-to-integral, whose results are exact, by integer arithmetic.
#[test]
fn remainder_and_rint_all_values() {
    for f in small_formats() {
        let r = Ref::<i128>::new(f);
        let unit = r.unit();
        let n = 1u64 << f.width();
        let env = FloatEnv::default();
        for a in 0..n {
            let float_ref::Val::Fin(sa, va) = r.decode(a) else {
                continue;
            };
            for b in 0..n {
                let float_ref::Val::Fin(_, vb) = r.decode(b) else {
                    continue;
                };
                let got = f.remainder(a, b, &env);
                if vb == 0 {
                    assert!(f.is_nan(got.value) || f.specials() == Specials::FiniteOnly);
                    assert_eq!(got.flags, Flags::INVALID);
                    continue;
                }
                // q = va / vb rounded to nearest even; rem = va - q vb (signed).
                let (q, rm) = (va / vb, va % vb);
                let q = if 2 * rm > vb || (2 * rm == vb && q % 2 == 1) {
                    q + 1
                } else {
                    q
                };
                let rem = va - q * vb;
                let neg = if rem == 0 { sa } else { sa ^ (rem < 0) };
                let want = r.round(
                    Exact::Fin {
                        neg,
                        n: rem.abs(),
                        d: 1,
                    },
                    RoundingMode::NearestEven,
                );
                check(f, &r, got, want, || format!("remainder {a:#x} {b:#x}"));
            }
            for mode in RoundingMode::DETERMINISTIC {
                let env = FloatEnv::new(mode);
                let (q, rm) = (va / unit, va % unit);
                let up = rm != 0
                    && match mode {
                        RoundingMode::NearestEven => {
                            2 * rm > unit || (2 * rm == unit && q % 2 == 1)
                        }
                        RoundingMode::NearestAway => 2 * rm >= unit,
                        RoundingMode::NearestTowardPositive => {
                            2 * rm > unit || (2 * rm == unit && !sa)
                        }
                        RoundingMode::TowardZero => false,
                        RoundingMode::TowardPositive => !sa,
                        RoundingMode::TowardNegative => sa,
                        RoundingMode::ToOdd => q % 2 == 0,
                        RoundingMode::Stochastic { .. } => unreachable!(),
                    };
                let k = q + up as i128;
                let want = r.round(
                    Exact::Fin {
                        neg: sa,
                        n: k * unit,
                        d: 1,
                    },
                    mode,
                );
                let got = f.round_to_integral_exact(a, &env);
                let inexact = if rm != 0 {
                    Flags::INEXACT
                } else {
                    Flags::empty()
                };
                check(f, &r, got, (want.0, want.1 | inexact), || {
                    format!("rint {a:#x} {mode:?}")
                });
                // And the integer conversion.
                let want_int = if sa { -k } else { k };
                let got = f.to_int(a, 64, Signedness::Signed, &env).unwrap();
                assert_eq!(
                    (got.value, got.flags),
                    (want_int, inexact),
                    "{f} to_int {a:#x} {mode:?}"
                );
            }
        }
    }
}

/// minimum/maximum(Number) and the comparisons, against the decoded values.
#[test]
fn min_max_compare_all_pairs() {
    use std::cmp::Ordering;
    for f in small_formats() {
        let r = Ref::<i128>::new(f);
        let env = FloatEnv::default();
        let n = 1u64 << f.width();
        let num = |x: u64| -> Option<(i128, bool)> {
            match r.decode(x) {
                float_ref::Val::Nan(_) => None,
                float_ref::Val::Inf(s) => Some((if s { i128::MIN } else { i128::MAX }, s)),
                float_ref::Val::Fin(s, v) => Some((if s { -v } else { v }, s)),
            }
        };
        for a in 0..n {
            for b in 0..n {
                let (x, y) = (num(a), num(b));
                let cmp = f.compare(a, b, &env).value;
                match (x, y) {
                    (Some((x, sx)), Some((y, sy))) => {
                        assert_eq!(cmp, Some(x.cmp(&y)), "{f} cmp {a:#x} {b:#x}");
                        // −0 < +0 for minimum/maximum.
                        let key = |v: i128, s: bool| (v, !s);
                        let min = if key(x, sx) <= key(y, sy) { a } else { b };
                        let max = if key(x, sx) >= key(y, sy) { a } else { b };
                        assert_eq!(f.minimum(a, b, &env).value, min, "{f} min {a:#x} {b:#x}");
                        assert_eq!(f.maximum(a, b, &env).value, max, "{f} max {a:#x} {b:#x}");
                        assert_eq!(f.minimum_number(a, b, &env).value, min);
                        assert_eq!(f.maximum_number(a, b, &env).value, max);
                    }
                    (None, Some(_)) | (Some(_), None) => {
                        assert_eq!(cmp, None);
                        assert!(f.is_nan(f.minimum(a, b, &env).value));
                        let other = if x.is_none() { b } else { a };
                        assert_eq!(f.maximum_number(a, b, &env).value, other);
                        assert!(!f.compare_lt(a, b, &env).value);
                        assert!(f.compare_lt(a, b, &env).flags.contains(Flags::INVALID));
                    }
                    (None, None) => assert!(f.is_nan(f.minimum_number(a, b, &env).value)),
                }
                // The total order agrees with the numeric order where that is strict.
                if let (Some((x, _)), Some((y, _))) = (x, y) {
                    if x != y {
                        assert_eq!(f.total_order(a, b), x.cmp(&y));
                    }
                } else if a == b {
                    assert_eq!(f.total_order(a, b), Ordering::Equal);
                }
            }
        }
    }
}
