//! Gate-level multipliers against native widening multiplication (u128 / i128).
//!
//! Exhaustive for 8 × 8 (every architecture, every final adder, both product widths);
//! property tests at 16, 32, 64 bits and odd sizes; structure counts; error messages.

use arithsim::Error;
use arithsim::circuits::adders::AdderKind;
use arithsim::circuits::multipliers::{
    MultiplierSpec, PartialProducts, ProductWidth, Reduction, Signedness, build_multiplier, plan,
};
use arithsim::gates::{Builder, CellKind, Netlist, Op};
use proptest::prelude::*;

/// Every valid (partial products, signedness) pairing.
const ARCHS: [(PartialProducts, Signedness); 4] = [
    (PartialProducts::AndArray, Signedness::Unsigned),
    (PartialProducts::Booth4, Signedness::Unsigned),
    (PartialProducts::BaughWooley, Signedness::Signed),
    (PartialProducts::Booth4, Signedness::Signed),
];

fn spec(
    n: u32,
    m: u32,
    pp: PartialProducts,
    s: Signedness,
    r: Reduction,
    adder: AdderKind,
) -> MultiplierSpec {
    MultiplierSpec::new(n, m, s, r, adder).with_partial_products(pp)
}

fn mask(w: u32) -> u128 {
    if w == 128 { !0 } else { (1u128 << w) - 1 }
}

/// The two's-complement value of the low `w` bits of `v`.
fn sext(v: u128, w: u32) -> i128 {
    let v = v & mask(w);
    if w < 128 && (v >> (w - 1)) & 1 == 1 {
        (v as i128) - (1i128 << w)
    } else {
        v as i128
    }
}

/// The expected product bits (`width` bits) of `x × y` for `n × m` operands.
fn expect(x: u128, y: u128, n: u32, m: u32, s: Signedness, width: u32) -> u128 {
    let p = match s {
        Signedness::Unsigned => (x & mask(n)).wrapping_mul(y & mask(m)),
        Signedness::Signed => sext(x, n).wrapping_mul(sext(y, m)) as u128,
    };
    p & mask(width)
}

fn check(net: &Netlist, sp: &MultiplierSpec, xs: &[u128], ys: &[u128]) {
    let out = net.eval_u128(&[("a", xs), ("b", ys)]).unwrap();
    let got = out.get("product").unwrap();
    let w = sp.product_width();
    for ((&x, &y), &p) in xs.iter().zip(ys).zip(got) {
        assert_eq!(
            p,
            expect(x, y, sp.n, sp.m, sp.signedness, w),
            "{}: {x:#x} * {y:#x}",
            sp
        );
    }
}

#[test]
fn exhaustive_8x8_every_architecture_and_adder() {
    let xs: Vec<u128> = (0..65536u128).map(|v| v & 0xff).collect();
    let ys: Vec<u128> = (0..65536u128).map(|v| v >> 8).collect();
    for (pp, s) in ARCHS {
        for r in Reduction::ALL {
            for adder in AdderKind::ALL {
                for product in [ProductWidth::Full, ProductWidth::Low] {
                    let sp = spec(8, 8, pp, s, r, adder).with_product(product);
                    check(&sp.build().unwrap(), &sp, &xs, &ys);
                }
            }
        }
    }
}

/// Operands with the edge cases forced in: 0, 1, all ones, the most negative and most
/// positive values, plus random bit patterns.
fn operand(w: u32) -> impl Strategy<Value = u128> {
    let m = mask(w);
    prop_oneof![
        Just(0u128),
        Just(1u128),
        Just(m),
        Just(1u128 << (w - 1)),
        Just(m >> 1),
        any::<u128>().prop_map(move |v| v & m),
    ]
}

fn pairs(n: u32, m: u32) -> impl Strategy<Value = Vec<(u128, u128)>> {
    prop::collection::vec((operand(n), operand(m)), 64..=128)
}

fn run_sizes(n: u32, m: u32, adders: &[AdderKind], cases: &[Vec<(u128, u128)>]) {
    for (pp, s) in ARCHS {
        for r in Reduction::ALL {
            for &adder in adders {
                for product in [ProductWidth::Full, ProductWidth::Low] {
                    let sp = spec(n, m, pp, s, r, adder).with_product(product);
                    let net = sp.build().unwrap();
                    for case in cases {
                        let (xs, ys): (Vec<u128>, Vec<u128>) = case.iter().copied().unzip();
                        check(&net, &sp, &xs, &ys);
                    }
                }
            }
        }
    }
}

/// Draws `count` proptest cases of operand pairs (the netlists are built once per size).
fn draw(n: u32, m: u32, count: usize) -> Vec<Vec<(u128, u128)>> {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    (0..count)
        .map(|_| pairs(n, m).new_tree(&mut runner).unwrap().current())
        .collect()
}

#[test]
fn property_16_32_64_bits() {
    let adders = [
        AdderKind::RippleCarry,
        AdderKind::KoggeStone,
        AdderKind::CarrySelect { block: 4 },
    ];
    run_sizes(16, 16, &adders, &draw(16, 16, 16));
    run_sizes(32, 32, &adders[1..2], &draw(32, 32, 16));
    run_sizes(64, 64, &adders[1..2], &draw(64, 64, 8));
}

#[test]
fn property_odd_sizes() {
    let adders = [AdderKind::RippleCarry, AdderKind::BrentKung];
    for (n, m) in [
        (11, 5),
        (5, 11),
        (1, 1),
        (1, 9),
        (9, 1),
        (13, 64),
        (64, 3),
        (17, 17),
    ] {
        run_sizes(n, m, &adders, &draw(n, m, 4));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Random shapes as well as random operands: a Dadda/Booth and a Wallace/Baugh-Wooley
    /// multiplier of a random size against i128.
    #[test]
    fn random_shapes(n in 1u32..=64, m in 1u32..=64, ops in prop::collection::vec((any::<u128>(), any::<u128>()), 64)) {
        let (xs, ys): (Vec<u128>, Vec<u128>) = ops.into_iter().unzip();
        for sp in [
            spec(n, m, PartialProducts::Booth4, Signedness::Signed, Reduction::Dadda, AdderKind::Sklansky),
            spec(n, m, PartialProducts::BaughWooley, Signedness::Signed, Reduction::Wallace, AdderKind::RippleCarry),
            spec(n, m, PartialProducts::AndArray, Signedness::Unsigned, Reduction::Array, AdderKind::HanCarlson),
        ] {
            let xs: Vec<u128> = xs.iter().map(|v| v & mask(n)).collect();
            let ys: Vec<u128> = ys.iter().map(|v| v & mask(m)).collect();
            check(&sp.build().unwrap(), &sp, &xs, &ys);
        }
    }
}

/// Cells under a label, as (full adders, half adders).
fn label_cells(net: &Netlist, label: &str) -> (u64, u64) {
    let st = net.stats();
    st.label(label).map_or((0, 0), |l| {
        (
            l.cells[CellKind::FullAdder.index()],
            l.cells[CellKind::HalfAdder.index()],
        )
    })
}

#[test]
fn array_structure_counts() {
    for n in [4u32, 8, 16, 32] {
        let net = spec(
            n,
            n,
            PartialProducts::AndArray,
            Signedness::Unsigned,
            Reduction::Array,
            AdderKind::RippleCarry,
        )
        .build()
        .unwrap();
        let st = net.stats();
        let (fa, ha) = (
            st.cell_count(CellKind::FullAdder),
            st.cell_count(CellKind::HalfAdder),
        );
        assert_eq!(fa, u64::from(n * (n - 2)), "array {n}: full adders");
        assert_eq!(ha, u64::from(n), "array {n}: half adders");
        // N² partial-product ANDs; every other AND is inside an adder cell.
        assert_eq!(
            st.label("partial products").unwrap().gates,
            u64::from(n * n)
        );
        assert_eq!(
            st.primitive_count(Op::And),
            u64::from(n * n) + 2 * fa + ha,
            "array {n}: ANDs"
        );
        assert_eq!(st.total_cells(), fa + ha);
    }
}

#[test]
fn dadda_structure_counts() {
    for (n, stages) in [(8u32, 4usize), (16, 6), (32, 8)] {
        let sp = spec(
            n,
            n,
            PartialProducts::AndArray,
            Signedness::Unsigned,
            Reduction::Dadda,
            AdderKind::RippleCarry,
        );
        let net = sp.build().unwrap();
        let (tree_fa, tree_ha) = label_cells(&net, "reduction");
        assert_eq!(tree_fa, u64::from(n * n - 4 * n + 3), "dadda {n}");
        assert_eq!(tree_ha, u64::from(n - 1), "dadda {n}");
        // The final adder is 2N - 2 bits: a half adder and 2N - 3 full adders.
        let (cpa_fa, cpa_ha) = label_cells(&net, "ripple-carry");
        assert_eq!(
            cpa_fa + cpa_ha,
            u64::from(2 * n - 2),
            "dadda {n} final adder width"
        );
        assert_eq!(cpa_ha, 1);
        // Any FA/HA multiplier with a ripple final adder: N² - 2N full adders.
        assert_eq!(
            net.stats().cell_count(CellKind::FullAdder),
            u64::from(n * n - 2 * n)
        );
        let mut b = Builder::new();
        let a = b.input("a", n).unwrap();
        let x = b.input("b", n).unwrap();
        assert_eq!(
            build_multiplier(&mut b, &sp, &a, &x).unwrap().stages,
            stages
        );
    }
    let net = spec(
        8,
        8,
        PartialProducts::AndArray,
        Signedness::Unsigned,
        Reduction::Dadda,
        AdderKind::RippleCarry,
    )
    .build()
    .unwrap();
    assert_eq!(label_cells(&net, "reduction"), (35, 7));
}

#[test]
fn every_unsigned_fa_ha_multiplier_has_n2_minus_2n_full_adders() {
    // Every unsigned FA/HA-only multiplier with a ripple final adder whose cells never carry
    // beyond bit 2N - 1 (array, Dadda). Greedy Wallace and the 4:2 tree may reach the top
    // column, where a sum-only XOR (not a cell) replaces a full adder, so they have at most that.
    for n in [4u32, 8, 16] {
        for r in [Reduction::Array, Reduction::Dadda] {
            let net = spec(
                n,
                n,
                PartialProducts::AndArray,
                Signedness::Unsigned,
                r,
                AdderKind::RippleCarry,
            )
            .build()
            .unwrap();
            assert_eq!(
                net.stats().cell_count(CellKind::FullAdder),
                u64::from(n * n - 2 * n),
                "{r:?} {n}"
            );
        }
        for r in [Reduction::Wallace, Reduction::Compressor42] {
            let net = spec(
                n,
                n,
                PartialProducts::AndArray,
                Signedness::Unsigned,
                r,
                AdderKind::RippleCarry,
            )
            .build()
            .unwrap();
            assert!(net.stats().cell_count(CellKind::FullAdder) <= u64::from(n * n - 2 * n));
        }
    }
}

/// Depth of the reduction's output bits, and the stage count.
fn tree_depth(sp: &MultiplierSpec) -> (u32, usize) {
    let mut b = Builder::new();
    let a = b.input("a", sp.n).unwrap();
    let x = b.input("b", sp.m).unwrap();
    let out = build_multiplier(&mut b, sp, &a, &x).unwrap();
    b.output("product", &out.product).unwrap();
    let net = b.finish().unwrap();
    let d = net.wire_depths();
    (
        out.reduced.iter().map(|w| d[w.index()]).max().unwrap(),
        out.stages,
    )
}

#[test]
fn tree_depth_grows_with_stages_not_width() {
    for (pp, s) in [ARCHS[0], ARCHS[2]] {
        for r in [Reduction::Wallace, Reduction::Dadda] {
            let mut prev = 0;
            for (n, stages) in [(8u32, 4usize), (16, 6), (32, 8)] {
                let (depth, st) = tree_depth(&spec(n, n, pp, s, r, AdderKind::KoggeStone));
                assert_eq!(st, stages, "{r:?} {pp:?} {n}");
                // Partial products (at most 2 levels), then at most 3 gate levels per stage.
                assert!(
                    depth <= 2 + 3 * stages as u32,
                    "{r:?} {pp:?} {n}: depth {depth}"
                );
                assert!(depth > prev);
                prev = depth;
            }
        }
    }
    // The array's depth grows with N: at 32 bits it is several times the Dadda tree's.
    let (array, rows) = tree_depth(&spec(
        32,
        32,
        PartialProducts::AndArray,
        Signedness::Unsigned,
        Reduction::Array,
        AdderKind::KoggeStone,
    ));
    let (dadda, _) = tree_depth(&spec(
        32,
        32,
        PartialProducts::AndArray,
        Signedness::Unsigned,
        Reduction::Dadda,
        AdderKind::KoggeStone,
    ));
    assert_eq!(rows, 31);
    assert!(
        array >= 31 && array > 3 * dadda,
        "array {array}, dadda {dadda}"
    );
}

#[test]
fn booth_rows_and_stage_counts() {
    use arithsim::circuits::multipliers::booth_rows;
    assert_eq!(booth_rows(8, Signedness::Unsigned), 5);
    assert_eq!(booth_rows(8, Signedness::Signed), 4);
    assert_eq!(booth_rows(5, Signedness::Unsigned), 3);
    assert_eq!(booth_rows(5, Signedness::Signed), 3);
    // The array reduction adds one row per stage: rows - 1 stages plus those the negation
    // bits and constants need; Booth halves the rows, so the array has far fewer stages.
    for s in [Signedness::Unsigned, Signedness::Signed] {
        let sp = spec(
            16,
            16,
            PartialProducts::Booth4,
            s,
            Reduction::Array,
            AdderKind::KoggeStone,
        );
        let (_, stages) = tree_depth(&sp);
        assert!(
            stages as u32 >= booth_rows(16, s) - 1 && stages <= 12,
            "{s:?}: {stages}"
        );
    }
    // Plans: Dadda targets and Wallace stage counts (pure functions).
    assert_eq!(plan::dadda_targets(8), vec![6, 4, 3, 2]);
    assert_eq!(
        plan::wallace_plan(&plan::and_array_heights(32, 32).unwrap())
            .unwrap()
            .stages
            .len(),
        8
    );
}

#[test]
fn errors_have_clear_messages() {
    let e = MultiplierSpec::new(
        0,
        8,
        Signedness::Unsigned,
        Reduction::Dadda,
        AdderKind::KoggeStone,
    )
    .build()
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "multiplier operand a width 0 is out of range 1..=64"
    );
    let e = MultiplierSpec::new(
        8,
        65,
        Signedness::Unsigned,
        Reduction::Dadda,
        AdderKind::KoggeStone,
    )
    .build()
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "multiplier operand b width 65 is out of range 1..=64"
    );
    assert!(matches!(e, Error::InvalidWidth { .. }));
    let e = spec(
        8,
        8,
        PartialProducts::AndArray,
        Signedness::Signed,
        Reduction::Dadda,
        AdderKind::KoggeStone,
    )
    .build()
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid partial products and-array: an AND array multiplies unsigned operands; use baugh-wooley or booth for signed"
    );
    let e = spec(
        8,
        8,
        PartialProducts::BaughWooley,
        Signedness::Unsigned,
        Reduction::Array,
        AdderKind::KoggeStone,
    )
    .build()
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid partial products baugh-wooley: baugh-wooley multiplies signed operands; use and-array or booth for unsigned"
    );
    let e = MultiplierSpec::new(
        8,
        8,
        Signedness::Unsigned,
        Reduction::Dadda,
        AdderKind::CarryLookahead { block: 1 },
    )
    .build()
    .unwrap_err();
    assert!(matches!(e, Error::InvalidParameter { .. }), "{e}");
    // Bus widths that disagree with the spec.
    let mut b = Builder::new();
    let a = b.input("a", 8).unwrap();
    let x = b.input("b", 7).unwrap();
    let sp = MultiplierSpec::new(
        8,
        8,
        Signedness::Unsigned,
        Reduction::Dadda,
        AdderKind::KoggeStone,
    );
    let e = build_multiplier(&mut b, &sp, &a, &x).unwrap_err();
    assert_eq!(
        e.to_string(),
        "shape error: multiplier operands have 8 and 7 bits; the spec says 8 and 8"
    );
}

#[test]
fn compressor_tree_halves_heights_per_stage() {
    for (n, stages) in [(8u32, 2usize), (16, 3), (32, 4)] {
        for (pp, s) in [ARCHS[0], ARCHS[2]] {
            let sp = spec(n, n, pp, s, Reduction::Compressor42, AdderKind::KoggeStone);
            let (depth, st) = tree_depth(&sp);
            let (dadda, _) =
                tree_depth(&spec(n, n, pp, s, Reduction::Dadda, AdderKind::KoggeStone));
            assert_eq!(st, stages, "{pp:?} {n}");
            // One compressor (at most 6 gate levels) per stage after the partial products.
            // Each stage is one compressor deep; the tree is no deeper than Dadda's.
            assert!(
                depth <= 2 + 6 * stages as u32 && depth <= dadda,
                "{pp:?} {n}: {depth} vs dadda {dadda}"
            );
        }
    }
}

/// `reduced_columns` is where a proof can cut a multiplier: at most two bits per column, and
/// `Σ 2^j · (bits of column j)` equals the product modulo `2^width`, for every 8×8 operand pair
/// of every generator and reduction.
#[test]
fn reduced_columns_sum_to_the_product() {
    for (pp, s) in ARCHS {
        for r in Reduction::ALL {
            let sp = spec(8, 8, pp, s, r, AdderKind::Sklansky);
            let mut b = Builder::new();
            let a = b.input("a", 8).unwrap();
            let x = b.input("b", 8).unwrap();
            let out = build_multiplier(&mut b, &sp, &a, &x).unwrap();
            assert_eq!(out.reduced_columns.len(), 16);
            assert!(out.reduced_columns.iter().all(|c| c.len() <= 2), "{r:?}");
            b.output("product", &out.product).unwrap();
            let rows: Vec<Vec<_>> = (0..2)
                .map(|row| {
                    out.reduced_columns
                        .iter()
                        .map(|c| c.get(row).copied().unwrap_or_else(|| b.zero()))
                        .collect()
                })
                .collect();
            b.output("row0", &rows[0]).unwrap();
            b.output("row1", &rows[1]).unwrap();
            let net = b.finish().unwrap();
            let (xs, ys): (Vec<u64>, Vec<u64>) =
                (0..1u64 << 16).map(|v| (v & 0xFF, v >> 8)).unzip();
            let got = net.eval_u64(&[("a", &xs), ("b", &ys)]).unwrap();
            let (p, r0, r1) = (
                got.get("product").unwrap(),
                got.get("row0").unwrap(),
                got.get("row1").unwrap(),
            );
            for i in 0..xs.len() {
                assert_eq!((r0[i] + r1[i]) & 0xFFFF, p[i], "{}", sp);
            }
        }
    }
}
