//! The environment switches against the rational reference: tininess before rounding,
//! flush-to-zero, denormals-are-zero, the RISC-V NaN policy, saturation on overflow,
//! stochastic rounding; and sampled BF16/TF32 against the big-integer reference.

mod float_ref;

use arithsim::float::{FloatEnv, FloatFormat, NanPolicy, OverflowPolicy, Specials, Tininess};
use arithsim::round::{Flags, RoundingMode};
use float_ref::{Exact, Ref, Val};
use num_bigint::BigInt;

const MODES: [RoundingMode; 4] = [
    RoundingMode::NearestEven,
    RoundingMode::TowardZero,
    RoundingMode::TowardPositive,
    RoundingMode::ToOdd,
];

fn formats() -> [FloatFormat; 4] {
    [
        FloatFormat::FP8_E5M2,
        FloatFormat::FP8_E4M3,
        FloatFormat::FP6_E2M3,
        FloatFormat::FP8_E4M3FNUZ,
    ]
}

fn is_subnormal_nonzero(f: FloatFormat, bits: u64) -> bool {
    f.exp_field(bits) == 0 && f.man_field(bits) != 0
}

/// The zero of a sign (+0 in FNUZ formats, which have no −0).
fn signed_zero(f: FloatFormat, negative: bool) -> u64 {
    if negative && f.specials() != Specials::Fnuz {
        f.sign_bit()
    } else {
        0
    }
}

/// An operand as denormals-are-zero reads it: a subnormal becomes the zero of its sign.
fn daz_operand(f: FloatFormat, x: u64) -> u64 {
    if is_subnormal_nonzero(f, x) {
        signed_zero(f, f.is_sign_negative(x))
    } else {
        x
    }
}

/// What flush-to-zero makes of a correctly rounded result: a tiny one (underflow, or a
/// subnormal result) becomes the zero of its sign with underflow and inexact.
fn ftz_result(f: FloatFormat, (bits, flags): (u64, Flags)) -> (u64, Flags) {
    if flags.contains(Flags::UNDERFLOW) || is_subnormal_nonzero(f, bits) {
        (
            signed_zero(f, f.is_sign_negative(bits)),
            Flags::UNDERFLOW | Flags::INEXACT,
        )
    } else {
        (bits, flags)
    }
}

/// Tininess before rounding: underflow iff inexact and the exact value is below 2^emin.
#[test]
fn tininess_before_rounding_all_products() {
    for f in formats() {
        let r = Ref::<i128>::new(f);
        for mode in MODES {
            let env = FloatEnv::new(mode).with_tininess(Tininess::BeforeRounding);
            for a in 0..256u64 >> (8 - f.width()) {
                for b in 0..256u64 >> (8 - f.width()) {
                    let exact = r.mul(a, b);
                    let (bits, mut flags) = r.round(exact.clone(), mode);
                    if let Exact::Fin { n, d, .. } = exact {
                        let tiny = n != 0 && n < (1i128 << f.man_bits()) * d;
                        if tiny && flags.contains(Flags::INEXACT) {
                            flags |= Flags::UNDERFLOW;
                        }
                    }
                    let got = f.mul(a, b, &env);
                    if f.is_nan(bits) {
                        assert!(f.is_nan(got.value));
                    } else {
                        assert_eq!(
                            (got.value, got.flags),
                            (bits, flags),
                            "{f} {a:#x}*{b:#x} {mode:?}"
                        );
                    }
                }
            }
        }
    }
}

/// Flush-to-zero: every tiny result (after rounding) becomes ±0 with underflow|inexact;
/// denormals-are-zero: subnormal operands read as ±0.
#[test]
fn flush_to_zero_and_denormals_are_zero_all_sums_and_products() {
    for f in formats() {
        let r = Ref::<i128>::new(f);
        let n = 1u64 << f.width();
        let daz = |x: u64| daz_operand(f, x);
        for mode in MODES {
            let ftz = FloatEnv::new(mode).with_flush_to_zero(true);
            let dz = FloatEnv::new(mode).with_denormals_are_zero(true);
            for a in 0..n {
                for b in 0..n {
                    for (op, exact) in [("add", r.add(a, b, false, mode)), ("mul", r.mul(a, b))] {
                        let (bits, flags) = r.round(exact, mode);
                        if f.is_nan(bits) {
                            continue;
                        }
                        let got = if op == "add" {
                            f.add(a, b, &ftz)
                        } else {
                            f.mul(a, b, &ftz)
                        };
                        let want = ftz_result(f, (bits, flags));
                        assert_eq!(
                            (got.value, got.flags),
                            want,
                            "ftz {f} {a:#x} {op} {b:#x} {mode:?}"
                        );
                    }
                    let (da, db) = (daz(a), daz(b));
                    for (op, exact) in [("add", r.add(da, db, false, mode)), ("mul", r.mul(da, db))]
                    {
                        let want = r.round(exact, mode);
                        if f.is_nan(want.0) {
                            continue;
                        }
                        let got = if op == "add" {
                            f.add(a, b, &dz)
                        } else {
                            f.mul(a, b, &dz)
                        };
                        assert_eq!(
                            (got.value, got.flags),
                            want,
                            "daz {f} {a:#x} {op} {b:#x} {mode:?}"
                        );
                    }
                }
            }
        }
    }
}

/// The same two switches for fused multiply-add, over every triple of the 6-bit formats
/// (the fast path takes only normal operands, so subnormal and zero operands and tiny results
/// all go through the general path these switches act on).
#[test]
fn flush_to_zero_and_denormals_are_zero_all_fma_triples() {
    for f in [FloatFormat::FP6_E2M3, FloatFormat::FP6_E3M2] {
        let r = Ref::<i128>::new(f);
        let n = 1u64 << f.width();
        let daz = |x: u64| daz_operand(f, x);
        for mode in MODES {
            let ftz = FloatEnv::new(mode).with_flush_to_zero(true);
            let dz = FloatEnv::new(mode).with_denormals_are_zero(true);
            for a in 0..n {
                for b in 0..n {
                    for c in 0..n {
                        let want = ftz_result(f, r.round(r.fma(a, b, c, mode), mode));
                        let got = f.fma(a, b, c, &ftz);
                        assert_eq!(
                            (got.value, got.flags),
                            want,
                            "ftz {f} fma {a:#x} {b:#x} {c:#x} {mode:?}"
                        );
                        let want = r.round(r.fma(daz(a), daz(b), daz(c), mode), mode);
                        let got = f.fma(a, b, c, &dz);
                        assert_eq!(
                            (got.value, got.flags),
                            want,
                            "daz {f} fma {a:#x} {b:#x} {c:#x} {mode:?}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn riscv_policy_returns_the_canonical_nan() {
    let env = FloatEnv::default().with_nan(NanPolicy::RiscV);
    let f = FloatFormat::FP32;
    let snan_neg = 0xFF80_0001u64;
    let one = 1f32.to_bits() as u64;
    for r in [
        f.add(snan_neg, one, &env),
        f.mul(one, 0xFFC1_2345, &env),
        f.sqrt(0xBF80_0000, &env),
        f.fma(0, 0x7F80_0000, one, &env),
        f.div(0, 0, &env),
    ] {
        assert_eq!(r.value, 0x7FC0_0000);
        assert!(r.flags == Flags::INVALID || r.flags.is_empty());
    }
    assert_eq!(
        FloatFormat::FP64
            .convert(0xFFF8_0000_0000_1234, f, &env)
            .value,
        0x7FC0_0000
    );
    // x86: the payload survives a conversion (top bits), quieted, sign kept.
    let x86 = FloatEnv::default();
    assert_eq!(
        f.convert(0xFF80_0001, FloatFormat::FP64, &x86).value,
        0xFFF8_0000_2000_0000
    );
}

/// Saturation: overflow gives ±largest finite in formats without infinity, in every mode,
/// while IEEE formats keep ±∞.
#[test]
fn saturating_overflow_policy() {
    let sat = FloatEnv::default().with_overflow(OverflowPolicy::Saturate);
    for f in [
        FloatFormat::FP8_E4M3,
        FloatFormat::FP8_E4M3FNUZ,
        FloatFormat::FP8_E5M2FNUZ,
    ] {
        let max = f.max_finite_bits();
        let r = f.add(max, max, &sat);
        assert_eq!(
            (r.value, r.flags),
            (max, Flags::OVERFLOW | Flags::INEXACT),
            "{f}"
        );
        let r = f.mul(max | f.sign_bit(), max, &sat);
        assert_eq!(r.value, max | f.sign_bit(), "{f}");
        let r = f.add(max, max, &FloatEnv::default());
        assert!(f.is_nan(r.value), "{f}");
        let r = FloatFormat::FP32.convert(0x7F80_0000, f, &sat);
        assert_eq!((r.value, r.flags), (max, Flags::INVALID));
    }
    let f = FloatFormat::FP8_E5M2;
    assert_eq!(f.add(0x7B, 0x7B, &sat).value, 0x7C);
    assert_eq!(
        FloatFormat::FP4_E2M1
            .add(0x7, 0x7, &FloatEnv::default())
            .value,
        0x7
    );
}

/// Stochastic rounding with k random bits rounds away from zero for exactly
/// floor(2^k × fraction) of the 2^k random values, where fraction is the distance to the
/// truncated result in units of the gap to the next value.
#[test]
fn stochastic_rounding_frequency_matches_the_discarded_fraction() {
    let f = FloatFormat::FP8_E4M3;
    let r = Ref::<i128>::new(f);
    let k = 6u32;
    for a in (0..0x7Eu64).step_by(3) {
        for b in (0..0x7Eu64).step_by(5) {
            let (lo_bits, _) = r.round(r.mul(a, b), RoundingMode::TowardZero);
            let (hi_bits, hf) = r.round(r.mul(a, b), RoundingMode::TowardPositive);
            if hf.contains(Flags::OVERFLOW) || f.is_nan(hi_bits) {
                continue;
            }
            let Exact::Fin { n, d, .. } = r.mul(a, b) else {
                continue;
            };
            let (Val::Fin(_, lo), Val::Fin(_, hi)) = (r.decode(lo_bits), r.decode(hi_bits)) else {
                unreachable!()
            };
            let want_ups = if hi == lo {
                0
            } else {
                ((n - lo * d) << k) / ((hi - lo) * d)
            };
            let ups = (0..1u64 << k)
                .filter(|&random| {
                    let env = FloatEnv::new(RoundingMode::Stochastic { random, bits: k });
                    let got = f.mul(a, b, &env).value;
                    assert!(got == lo_bits || got == hi_bits, "{a:#x}*{b:#x}");
                    got != lo_bits
                })
                .count() as i128;
            assert_eq!(ups, want_ups, "{a:#x}*{b:#x}");
        }
    }
}

/// BF16 and TF32, sampled, against the big-integer reference in every deterministic mode.
#[test]
fn bf16_and_tf32_sampled_against_big_integer_reference() {
    let mut s = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    for f in [FloatFormat::BF16, FloatFormat::TF32] {
        let r = Ref::<BigInt>::new(f);
        let mask = f.mask();
        for i in 0..3_000 {
            let x = next();
            // Half of the samples share an exponent neighbourhood, so sums cancel and round.
            let (a, mut b, c) = (x & mask, (x >> 20) & mask, (x >> 40) & mask);
            if i % 2 == 0 {
                b = (a & !(0xF << f.man_bits())) | (b & (0xF << f.man_bits())) ^ (b & f.sign_bit());
            }
            for mode in RoundingMode::DETERMINISTIC {
                let env = FloatEnv::new(mode);
                for (op, exact, got) in [
                    ("add", r.add(a, b, false, mode), f.add(a, b, &env)),
                    ("mul", r.mul(a, b), f.mul(a, b, &env)),
                    ("div", r.div(a, b), f.div(a, b, &env)),
                    ("fma", r.fma(a, b, c, mode), f.fma(a, b, c, &env)),
                ] {
                    let want = r.round(exact, mode);
                    let ok = if f.is_nan(want.0) {
                        f.is_nan(got.value)
                    } else {
                        got.value == want.0
                    } && got.flags == want.1;
                    assert!(
                        ok,
                        "{f} {op} {a:#x} {b:#x} {c:#x} {mode:?}: {got:?} vs {want:?}"
                    );
                }
                let want = r.sqrt(a, mode);
                let got = f.sqrt(a, &env);
                assert!(
                    (f.is_nan(want.0) && f.is_nan(got.value) || got.value == want.0)
                        && got.flags == want.1,
                    "{f} sqrt {a:#x} {mode:?}: {got:?} vs {want:?}"
                );
            }
        }
    }
}
