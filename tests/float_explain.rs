//! Explain traces agree with the operations they explain: same bits, same flags, and the
//! rounding step shown is the value that was packed.

use arithsim::float::{ExplainOp, FloatEnv, FloatFormat, Kind, Tininess};
use arithsim::round::{Flags, RoundingMode};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Operands with the specials forced in: zeros, smallest/largest subnormal and normal,
/// largest finite, one, infinity and NaN where the format has them.
fn specials(f: FloatFormat) -> Vec<u64> {
    let mut v = vec![
        0,
        f.sign_bit(),
        f.min_subnormal_bits(),
        f.min_normal_bits() - 1,
        f.min_normal_bits(),
        f.max_finite_bits(),
        f.max_finite_bits() - 1,
        f.one_bits(),
        f.one_bits() | f.sign_bit(),
        f.one_bits() + 1,
    ];
    if let Some(inf) = f.infinity_bits() {
        v.extend([inf, inf | f.sign_bit(), inf | 1]);
    }
    v.push(f.default_nan(arithsim::float::NanPolicy::X86));
    v
}

fn envs() -> Vec<FloatEnv> {
    let mut v: Vec<FloatEnv> = RoundingMode::DETERMINISTIC
        .iter()
        .map(|&m| FloatEnv::new(m))
        .collect();
    v.push(FloatEnv::default().with_tininess(Tininess::BeforeRounding));
    v.push(FloatEnv::default().with_flush_to_zero(true));
    v.push(FloatEnv::default().with_denormals_are_zero(true));
    v.push(FloatEnv::new(RoundingMode::Stochastic {
        random: 0x5555_5555_5555_5555,
        bits: 64,
    }));
    v
}

/// `(significand, exponent)` pairs equal as numbers.
fn same_value(a: (u128, i32), b: (u128, i32)) -> bool {
    let e = a.1.min(b.1);
    let (sa, sb) = ((a.1 - e) as u32, (b.1 - e) as u32);
    if sa > 100 || sb > 100 {
        return false;
    }
    a.0 << sa == b.0 << sb
}

#[test]
fn traces_equal_the_operations_for_every_preset_mode_and_op() {
    let mut rng = Rng(0xC0FF_EE12_3456_789B);
    let mut checked_rounding = 0;
    for (name, f) in FloatFormat::PRESETS {
        let mut pool = specials(f);
        for _ in 0..40 {
            pool.push(rng.next() & f.mask());
        }
        // Near-cancelling pairs exercise the normalization shift.
        let x = rng.next() & f.mask() & !f.sign_bit();
        pool.extend([x, x + 1, x | f.sign_bit()]);
        for env in envs() {
            for _ in 0..120 {
                let pick = |r: &mut Rng| pool[(r.next() % pool.len() as u64) as usize];
                let (a, b, c) = (pick(&mut rng), pick(&mut rng), pick(&mut rng));
                for (op, ops, want) in [
                    (ExplainOp::Add, vec![a, b], f.add(a, b, &env)),
                    (ExplainOp::Sub, vec![a, b], f.sub(a, b, &env)),
                    (ExplainOp::Mul, vec![a, b], f.mul(a, b, &env)),
                    (ExplainOp::Fma, vec![a, b, c], f.fma(a, b, c, &env)),
                ] {
                    let t = f.explain(op, &ops, &env).unwrap();
                    assert_eq!(
                        t.result, want,
                        "{name} {op:?} {ops:x?} {:?}\n{t}",
                        env.rounding
                    );
                    // The rounding shown is the value packed (unless overflow or flushing
                    // replaced it).
                    let packed = f.unpack(t.result.value);
                    if let (Some(n), Some(r)) = (&t.normalize, &t.rounding) {
                        let replaced = t.result.flags.contains(Flags::OVERFLOW)
                            || (env.flush_to_zero && t.result.flags.contains(Flags::UNDERFLOW));
                        if !replaced {
                            let got = match packed.kind {
                                Kind::Zero => (0, 0),
                                _ => (packed.significand as u128, packed.exponent),
                            };
                            let shown = (r.rounded.value, n.lsb_exponent);
                            assert!(
                                same_value(got, shown) || (got.0 == 0 && shown.0 == 0),
                                "{name} {op:?} {ops:x?}\n{t}"
                            );
                            checked_rounding += 1;
                        }
                    }
                    assert!(t.to_string().contains("flags:"));
                }
            }
        }
    }
    assert!(checked_rounding > 40_000, "{checked_rounding}");
}

#[test]
fn fp16_point_one_plus_point_two_reads_like_the_textbook() {
    let f = FloatFormat::FP16;
    let env = FloatEnv::default();
    let (a, b) = (
        f.parse("0.1", &env).unwrap().value,
        f.parse("0.2", &env).unwrap().value,
    );
    let t = f.explain(ExplainOp::Add, &[a, b], &env).unwrap();
    let s = t.to_string();
    assert!(s.contains("a = 0x2e66 = 0 | 01011 | 1001100110"), "{s}");
    assert!(s.contains("exponent 11 - 15 = -4"), "{s}");
    assert!(
        s.contains("shift the smaller addend right by 1 bit →"),
        "{s}"
    );
    assert!(s.contains("exactly half a unit: a tie"), "{s}");
    assert!(
        s.contains("normalize (shift right 1 bit): 1.xxx x 2^-2"),
        "{s}"
    );
    assert!(s.contains("pack: 0x34cc"), "{s}");
    assert!(s.contains("flags: inexact"), "{s}");
    let align = t.align.unwrap();
    assert_eq!(
        (align.shift, align.guard, align.round, align.sticky),
        (1, false, false, false)
    );
}

#[test]
fn cancellation_shifts_left_and_products_carry_right() {
    let f = FloatFormat::FP32;
    let env = FloatEnv::default();
    // 1.0000001 - 1 leaves one bit 23 places down.
    let t = f
        .explain(ExplainOp::Sub, &[0x3F80_0001, 0x3F80_0000], &env)
        .unwrap();
    assert_eq!(t.normalize.unwrap().shift, -23);
    assert!(t.to_string().contains("shift left 23 bits"));
    // 1.5 x 1.5 = 2.25 = 1.001b x 2^1.
    let t = f
        .explain(ExplainOp::Mul, &[0x3FC0_0000, 0x3FC0_0000], &env)
        .unwrap();
    assert_eq!(
        (t.normalize.unwrap().shift, t.result.value),
        (1, 0x4010_0000)
    );
    // 1.25 x 1.25 = 1.5625 needs no shift.
    let t = f
        .explain(ExplainOp::Mul, &[0x3FA0_0000, 0x3FA0_0000], &env)
        .unwrap();
    assert_eq!(t.normalize.unwrap().shift, 0);
}

#[test]
fn wrong_operand_count_is_an_error() {
    let e = FloatFormat::FP32
        .explain(ExplainOp::Fma, &[1, 2], &FloatEnv::default())
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid operand count 2: Fma takes 3 operands"
    );
}
