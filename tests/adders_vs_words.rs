//! Every adder against native integer arithmetic: exhaustive at 8 bits (both carry-ins),
//! property tests at 16, 32, 64, 128 and odd widths.

use arithsim::circuits::adders::{AdderKind, adder, adder_without_carry_in};
use proptest::prelude::*;

/// Kinds with a few extra block sizes, so the block parameter is exercised too.
fn kinds() -> Vec<AdderKind> {
    let mut k = AdderKind::ALL.to_vec();
    k.extend([
        AdderKind::CarryLookahead { block: 2 },
        AdderKind::CarryLookahead { block: 3 },
        AdderKind::CarryLookahead { block: 8 },
        AdderKind::CarrySelect { block: 1 },
        AdderKind::CarrySelect { block: 3 },
        AdderKind::CarrySkip { block: 1 },
        AdderKind::CarrySkip { block: 5 },
    ]);
    k
}

fn mask(w: u32) -> u128 {
    if w == 128 {
        u128::MAX
    } else {
        (1u128 << w) - 1
    }
}

#[test]
fn every_adder_exhaustive_8_bit_both_carry_ins() {
    let mut a = Vec::with_capacity(1 << 17);
    let mut b = Vec::with_capacity(1 << 17);
    let mut c = Vec::with_capacity(1 << 17);
    for cin in 0..2u64 {
        for x in 0..256u64 {
            for y in 0..256u64 {
                a.push(x);
                b.push(y);
                c.push(cin);
            }
        }
    }
    for kind in kinds() {
        let net = adder(kind, 8).unwrap();
        let out = net.eval_u64(&[("a", &a), ("b", &b), ("cin", &c)]).unwrap();
        let (s, co) = (out.get("sum").unwrap(), out.get("cout").unwrap());
        for i in 0..a.len() {
            let want = a[i] + b[i] + c[i];
            assert_eq!(
                s[i],
                u128::from(want & 0xff),
                "{} {}+{}+{}",
                kind,
                a[i],
                b[i],
                c[i]
            );
            assert_eq!(
                co[i],
                u128::from(want >> 8),
                "{} cout {}+{}+{}",
                kind,
                a[i],
                b[i],
                c[i]
            );
        }
        let net = adder_without_carry_in(kind, 8).unwrap();
        let n = 1 << 16;
        let out = net.eval_u64(&[("a", &a[..n]), ("b", &b[..n])]).unwrap();
        let (s, co) = (out.get("sum").unwrap(), out.get("cout").unwrap());
        for i in 0..n {
            let want = a[i] + b[i];
            assert_eq!(s[i], u128::from(want & 0xff), "{} no-cin", kind);
            assert_eq!(co[i], u128::from(want >> 8), "{} no-cin", kind);
        }
    }
}

#[test]
fn every_adder_every_width_1_to_20_on_edges() {
    for kind in kinds() {
        for w in 1..=20u32 {
            let net = adder(kind, w).unwrap();
            let m = mask(w);
            let vals = [
                0,
                1,
                m,
                m - 1,
                m >> 1,
                (m >> 1) + 1,
                0x5555_5555 & m,
                0xAAAA_AAAA & m,
            ];
            let (mut a, mut b, mut c) = (vec![], vec![], vec![]);
            for &x in &vals {
                for &y in &vals {
                    for cin in 0..2 {
                        a.push(x);
                        b.push(y);
                        c.push(cin);
                    }
                }
            }
            let out = net.eval_u128(&[("a", &a), ("b", &b), ("cin", &c)]).unwrap();
            for i in 0..a.len() {
                let want = a[i] + b[i] + c[i];
                assert_eq!(out.get("sum").unwrap()[i], want & m, "{} w{w}", kind);
                assert_eq!(out.get("cout").unwrap()[i], want >> w, "{} w{w}", kind);
            }
        }
    }
}

fn check_wide(kind: AdderKind, w: u32, ops: &[(u128, u128, bool)]) -> Result<(), TestCaseError> {
    let net = adder(kind, w).unwrap();
    let m = mask(w);
    let a: Vec<u128> = ops.iter().map(|o| o.0 & m).collect();
    let b: Vec<u128> = ops.iter().map(|o| o.1 & m).collect();
    let c: Vec<u128> = ops.iter().map(|o| u128::from(o.2)).collect();
    let out = net.eval_u128(&[("a", &a), ("b", &b), ("cin", &c)]).unwrap();
    for i in 0..a.len() {
        // independent reference: u128 with explicit carry
        let (s1, o1) = a[i].overflowing_add(b[i]);
        let (s2, o2) = s1.overflowing_add(c[i]);
        let (sum, cout) = if w == 128 {
            (s2, u128::from(o1 || o2))
        } else {
            (s2 & m, s2 >> w)
        };
        prop_assert_eq!(
            out.get("sum").unwrap()[i],
            sum,
            "{} w{}",
            kind.to_string(),
            w
        );
        prop_assert_eq!(
            out.get("cout").unwrap()[i],
            cout,
            "{} w{}",
            kind.to_string(),
            w
        );
    }
    Ok(())
}

fn operand() -> impl Strategy<Value = u128> {
    prop_oneof![
        Just(0u128),
        Just(1u128),
        Just(u128::MAX),
        Just(u128::MAX >> 1),
        Just(1u128 << 127),
        any::<u128>(),
        any::<u128>(),
        any::<u128>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn wide_and_odd_widths_match_u128(
        ops in proptest::collection::vec((operand(), operand(), any::<bool>()), 64..200),
    ) {
        for kind in AdderKind::ALL {
            for w in [16u32, 32, 64, 128, 7, 13, 33, 63, 65, 100, 127] {
                check_wide(kind, w, &ops)?;
            }
        }
    }
}
