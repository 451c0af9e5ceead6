//! Adder/subtractor, incrementer, comparators and the carry-save row against native
//! arithmetic: exhaustive at 8 bits, property tests at 32 and 64 bits.

use arithsim::Signedness;
use arithsim::circuits::adders::{
    AdderKind, adder_subtractor, carry_save_adder, equality_comparator, full_adder, half_adder,
    incrementer, less_than_comparator,
};
use proptest::prelude::*;

fn all_pairs_8() -> (Vec<u64>, Vec<u64>) {
    let mut a = Vec::with_capacity(1 << 16);
    let mut b = Vec::with_capacity(1 << 16);
    for x in 0..256u64 {
        for y in 0..256u64 {
            a.push(x);
            b.push(y);
        }
    }
    (a, b)
}

#[test]
fn half_and_full_adder_truth_tables() {
    let ha = half_adder().unwrap();
    let out = ha
        .eval_u64(&[("a", &[0, 0, 1, 1]), ("b", &[0, 1, 0, 1])])
        .unwrap();
    assert_eq!(out.get("sum").unwrap(), &[0, 1, 1, 0]);
    assert_eq!(out.get("cout").unwrap(), &[0, 0, 0, 1]);
    let fa = full_adder().unwrap();
    let v: Vec<u64> = (0..8).collect();
    let (a, b, c): (Vec<u64>, Vec<u64>, Vec<u64>) = (
        v.iter().map(|x| x & 1).collect(),
        v.iter().map(|x| x >> 1 & 1).collect(),
        v.iter().map(|x| x >> 2).collect(),
    );
    let out = fa.eval_u64(&[("a", &a), ("b", &b), ("cin", &c)]).unwrap();
    for i in 0..8 {
        let s = a[i] + b[i] + c[i];
        assert_eq!(out.get("sum").unwrap()[i], u128::from(s & 1));
        assert_eq!(out.get("cout").unwrap()[i], u128::from(s >> 1));
    }
}

#[test]
fn adder_subtractor_exhaustive_8_bit() {
    let (a, b) = all_pairs_8();
    for kind in AdderKind::ALL {
        let net = adder_subtractor(kind, 8).unwrap();
        for sub in [0u64, 1] {
            let s = vec![sub; a.len()];
            let out = net.eval_u64(&[("a", &a), ("b", &b), ("sub", &s)]).unwrap();
            for i in 0..a.len() {
                let (x, y) = (a[i] as u8, b[i] as u8);
                let (r, ov, cout) = if sub == 0 {
                    let (r, c) = x.overflowing_add(y);
                    (r, (x as i8).overflowing_add(y as i8).1, c)
                } else {
                    (
                        x.wrapping_sub(y),
                        (x as i8).overflowing_sub(y as i8).1,
                        x >= y,
                    )
                };
                assert_eq!(
                    out.get("result").unwrap()[i],
                    u128::from(r),
                    "{} {x} {y} sub={sub}",
                    kind
                );
                assert_eq!(
                    out.get("overflow").unwrap()[i],
                    u128::from(ov),
                    "{} {x} {y} sub={sub}",
                    kind
                );
                assert_eq!(
                    out.get("cout").unwrap()[i],
                    u128::from(cout),
                    "{} {x} {y} sub={sub}",
                    kind
                );
            }
        }
    }
}

#[test]
fn incrementer_exhaustive_and_ripple_is_a_half_adder_chain() {
    for kind in AdderKind::ALL {
        let net = incrementer(kind, 8).unwrap();
        let a: Vec<u64> = (0..256).collect();
        let out = net.eval_u64(&[("a", &a)]).unwrap();
        for &x in &a {
            assert_eq!(
                out.get("sum").unwrap()[x as usize],
                u128::from((x + 1) & 0xff),
                "{}",
                kind
            );
            assert_eq!(
                out.get("cout").unwrap()[x as usize],
                u128::from(x == 255),
                "{}",
                kind
            );
        }
    }
    // ripple: bit 0 is an inverter, then N - 1 half adders
    let s = incrementer(AdderKind::RippleCarry, 16).unwrap().stats();
    assert_eq!(s.gates, 2 * 16 - 1);
    assert_eq!(s.cell_count(arithsim::gates::CellKind::HalfAdder), 15);
}

#[test]
fn comparators_exhaustive_8_bit() {
    let (a, b) = all_pairs_8();
    let eq = equality_comparator(8)
        .unwrap()
        .eval_u64(&[("a", &a), ("b", &b)])
        .unwrap();
    let ltu = less_than_comparator(8, Signedness::Unsigned)
        .unwrap()
        .eval_u64(&[("a", &a), ("b", &b)])
        .unwrap();
    let lts = less_than_comparator(8, Signedness::Signed)
        .unwrap()
        .eval_u64(&[("a", &a), ("b", &b)])
        .unwrap();
    for i in 0..a.len() {
        let (x, y) = (a[i] as u8, b[i] as u8);
        assert_eq!(eq.get("eq").unwrap()[i], u128::from(x == y));
        assert_eq!(ltu.get("lt").unwrap()[i], u128::from(x < y), "{x} <u {y}");
        assert_eq!(
            lts.get("lt").unwrap()[i],
            u128::from((x as i8) < (y as i8)),
            "{x} <s {y}"
        );
    }
    // every width from 1 to 9 exhaustively, signed and unsigned
    for w in 1..=9u32 {
        let n = 1u64 << w;
        let (mut a, mut b) = (vec![], vec![]);
        for x in 0..n {
            for y in 0..n {
                a.push(x);
                b.push(y);
            }
        }
        let sx = |v: u64| ((v << (64 - w)) as i64) >> (64 - w);
        let lts = less_than_comparator(w, Signedness::Signed)
            .unwrap()
            .eval_u64(&[("a", &a), ("b", &b)])
            .unwrap();
        let ltu = less_than_comparator(w, Signedness::Unsigned)
            .unwrap()
            .eval_u64(&[("a", &a), ("b", &b)])
            .unwrap();
        for i in 0..a.len() {
            assert_eq!(
                lts.get("lt").unwrap()[i],
                u128::from(sx(a[i]) < sx(b[i])),
                "w{w}"
            );
            assert_eq!(ltu.get("lt").unwrap()[i], u128::from(a[i] < b[i]), "w{w}");
        }
    }
}

#[test]
fn carry_save_row_exhaustive_4_bit_triples() {
    let net = carry_save_adder(4).unwrap();
    let (mut x, mut y, mut z) = (vec![], vec![], vec![]);
    for v in 0..4096u64 {
        x.push(v & 15);
        y.push(v >> 4 & 15);
        z.push(v >> 8);
    }
    let out = net.eval_u64(&[("x", &x), ("y", &y), ("z", &z)]).unwrap();
    for i in 0..x.len() {
        let s = out.get("sum").unwrap()[i];
        let c = out.get("carry").unwrap()[i];
        assert_eq!(s + 2 * c, u128::from(x[i] + y[i] + z[i]));
        assert_eq!(s, u128::from(x[i] ^ y[i] ^ z[i]));
    }
    assert_eq!(
        net.stats().cell_count(arithsim::gates::CellKind::FullAdder),
        4
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn wide_derived_circuits_match_native(
        a in prop_oneof![Just(0u64), Just(u64::MAX), Just(1u64 << 63), any::<u64>()],
        b in prop_oneof![Just(0u64), Just(u64::MAX), Just((1u64 << 63) - 1), any::<u64>()],
    ) {
        let net = adder_subtractor(AdderKind::KoggeStone, 64).unwrap();
        let out = net.eval_u64(&[("a", &[a, a]), ("b", &[b, b]), ("sub", &[0, 1])]).unwrap();
        prop_assert_eq!(out.get("result").unwrap()[0], u128::from(a.wrapping_add(b)));
        prop_assert_eq!(out.get("result").unwrap()[1], u128::from(a.wrapping_sub(b)));
        prop_assert_eq!(out.get("overflow").unwrap()[0], u128::from((a as i64).overflowing_add(b as i64).1));
        prop_assert_eq!(out.get("overflow").unwrap()[1], u128::from((a as i64).overflowing_sub(b as i64).1));
        let lt = less_than_comparator(64, Signedness::Signed).unwrap().eval_u64(&[("a", &[a]), ("b", &[b])]).unwrap();
        prop_assert_eq!(lt.get("lt").unwrap()[0], u128::from((a as i64) < (b as i64)));
        let lt = less_than_comparator(64, Signedness::Unsigned).unwrap().eval_u64(&[("a", &[a]), ("b", &[b])]).unwrap();
        prop_assert_eq!(lt.get("lt").unwrap()[0], u128::from(a < b));
        let eq = equality_comparator(64).unwrap().eval_u64(&[("a", &[a, a]), ("b", &[b, a])]).unwrap();
        prop_assert_eq!(eq.get("eq").unwrap(), &[u128::from(a == b), 1][..]);
        let inc = incrementer(AdderKind::BrentKung, 64).unwrap().eval_u64(&[("a", &[a])]).unwrap();
        prop_assert_eq!(inc.get("sum").unwrap()[0], u128::from(a.wrapping_add(1)));
    }
}
