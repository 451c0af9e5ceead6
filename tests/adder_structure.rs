//! Exact structure of every adder: gate counts, cell counts, prefix levels and depth, against
//! the closed forms (ripple-carry, parallel-prefix) and the documented recurrences (the
//! others). Gates are two-input gates; a full adder is 2 XOR + 2 AND + 1 OR.

use arithsim::circuits::adders::{AdderKind, adder, adder_without_carry_in, prefix_schedule};
use arithsim::gates::{CellKind, Netlist, Op};

const PREFIX: [CellKind; 2] = [CellKind::PrefixBlack, CellKind::PrefixGray];

fn net(kind: AdderKind, n: u32, cin: bool) -> Netlist {
    if cin {
        adder(kind, n)
    } else {
        adder_without_carry_in(kind, n)
    }
    .unwrap()
}

fn prefix_cells(n: &Netlist) -> u64 {
    let s = n.stats();
    s.cell_count(CellKind::PrefixBlack) + s.cell_count(CellKind::PrefixGray)
}

#[test]
fn ripple_carry_has_5n_minus_3_gates_and_depth_2n_minus_1() {
    for n in 1..=128u32 {
        let s = net(AdderKind::RippleCarry, n, false).stats();
        assert_eq!(s.gates, u64::from(5 * n - 3), "N={n}");
        assert_eq!(s.depth, 2 * n - 1, "N={n}");
        assert_eq!(s.cell_count(CellKind::FullAdder), u64::from(n - 1));
        assert_eq!(s.cell_count(CellKind::HalfAdder), 1);
        assert_eq!(s.primitive_count(Op::Xor), u64::from(2 * n - 1));
        // with a live carry-in: N full adders, carry-out at depth 2N + 1
        let s = net(AdderKind::RippleCarry, n, true).stats();
        assert_eq!((s.gates, s.depth), (u64::from(5 * n), 2 * n + 1), "N={n}");
        assert_eq!(s.cell_count(CellKind::FullAdder), u64::from(n));
    }
}

#[test]
fn prefix_networks_match_closed_forms_for_powers_of_two() {
    for l in 2..=7u32 {
        let n = 1u64 << l;
        let l64 = u64::from(l);
        let cases = [
            (AdderKind::Sklansky, n / 2 * l64, l64),
            (AdderKind::KoggeStone, n * l64 - n + 1, l64),
            (AdderKind::BrentKung, 2 * n - l64 - 2, 2 * l64 - 1),
            (AdderKind::HanCarlson, n / 2 * l64, l64 + 1),
            (AdderKind::LadnerFischer, n / 4 * (l64 - 1) + n - 1, l64 + 1),
        ];
        for (kind, cells, levels) in cases {
            let sched = prefix_schedule(kind, n as usize).unwrap();
            assert_eq!(
                sched.iter().map(Vec::len).sum::<usize>() as u64,
                cells,
                "{} N={n}",
                kind
            );
            assert_eq!(sched.len() as u64, levels, "{} N={n} levels", kind);
            let no_cin = net(kind, n as u32, false);
            assert_eq!(prefix_cells(&no_cin), cells, "{} N={n} netlist cells", kind);
            // The longest chain of cells equals the rows, except for Brent-Kung: its last
            // up-sweep row only forms the carry-out, in parallel with the first down-sweep row,
            // so its longest chain is 2L - 2.
            // (The same holds for Han-Carlson and Ladner-Fischer at N = 4, where the middle row
            // only forms the carry-out.)
            let small_hc_lf =
                n == 4 && matches!(kind, AdderKind::HanCarlson | AdderKind::LadnerFischer);
            let chain = if kind == AdderKind::BrentKung || small_hc_lf {
                levels - 1
            } else {
                levels
            };
            assert_eq!(
                u64::from(no_cin.cell_depth(&PREFIX)),
                chain,
                "{} N={n} netlist levels",
                kind
            );
            // a live carry-in adds one gray cell at bit 0, and a level where bit 0's path is
            // the longest chain
            let with_cin = net(kind, n as u32, true);
            assert_eq!(prefix_cells(&with_cin), cells + 1, "{} N={n}", kind);
            let c = u64::from(with_cin.cell_depth(&PREFIX));
            assert!(c == chain || c == chain + 1, "{} N={n}", kind);
            if matches!(
                kind,
                AdderKind::Sklansky | AdderKind::KoggeStone | AdderKind::BrentKung
            ) {
                assert_eq!(c, chain + 1, "{} N={n}", kind);
            }
        }
    }
}

#[test]
fn prefix_adders_gate_count_and_depth_at_every_width() {
    let kinds = [
        AdderKind::Sklansky,
        AdderKind::KoggeStone,
        AdderKind::BrentKung,
        AdderKind::HanCarlson,
        AdderKind::LadnerFischer,
    ];
    for kind in kinds {
        for n in 1..=70u32 {
            let sched = prefix_schedule(kind, n as usize).unwrap();
            let nl = net(kind, n, false);
            let s = nl.stats();
            let (black, gray) = (
                s.cell_count(CellKind::PrefixBlack),
                s.cell_count(CellKind::PrefixGray),
            );
            assert_eq!(
                black + gray,
                sched.iter().map(Vec::len).sum::<usize>() as u64
            );
            // g and p per bit, N - 1 sum XORs (bit 0's sum is p_0), 3 per black and 2 per gray cell
            let n64 = u64::from(n);
            assert_eq!(
                s.gates,
                3 * n64 - 1 + 3 * black + 2 * gray,
                "{} N={n}",
                kind
            );
            // every group ending at bit i >= 1 reaching bit 0 is a gray cell: exactly N - 1 of them
            assert_eq!(gray, n64 - 1, "{} N={n}", kind);
            // depth: at most 1 (g/p) + 2 per chained cell + 1 (sum XOR)
            let chain = nl.cell_depth(&PREFIX);
            assert!(s.depth <= 2 * chain + 2, "{} N={n}", kind);
            assert!(n < 2 || s.depth >= 2 * chain, "{} N={n}", kind);
        }
    }
}

fn tri(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Internal carries of one lookahead unit of `n` items.
fn cla_unit(n: u64, live: bool) -> u64 {
    (1..n)
        .map(|i| tri(i) + if live { 2 * i } else { i - 1 })
        .sum()
}

fn cla_carries(n: u64, k: u64, live: bool) -> u64 {
    if n <= k {
        return cla_unit(n, live) + tri(n) + if live { 2 * n } else { n - 1 };
    }
    let sizes: Vec<u64> = (0..n.div_ceil(k)).map(|g| k.min(n - g * k)).collect();
    let gp: u64 = sizes.iter().map(|&s| tri(s) + 2 * (s - 1)).sum();
    let inner: u64 = sizes
        .iter()
        .enumerate()
        .map(|(g, &s)| cla_unit(s, g > 0 || live))
        .sum();
    gp + cla_carries(sizes.len() as u64, k, live) + inner
}

#[test]
fn carry_lookahead_follows_its_recurrence() {
    for k in 2..=6u32 {
        for n in 1..=80u32 {
            for live in [false, true] {
                let s = net(AdderKind::CarryLookahead { block: k }, n, live).stats();
                let n64 = u64::from(n);
                let want = 2 * n64
                    + if live { n64 } else { n64 - 1 }
                    + cla_carries(n64, u64::from(k), live);
                assert_eq!(s.gates, want, "CLA/{k} N={n} cin={live}");
            }
        }
    }
    // a real tree: depth grows with log N, not N
    let d16 = net(AdderKind::CarryLookahead { block: 4 }, 16, false).depth();
    let d64 = net(AdderKind::CarryLookahead { block: 4 }, 64, false).depth();
    assert!(d64 <= d16 + 10, "depth 16: {d16}, 64: {d64}");
}

#[test]
fn carry_select_and_skip_follow_their_formulas() {
    for k in 1..=8u32 {
        for m in 1..=8u32 {
            let n = k * m;
            let (k64, m64) = (u64::from(k), u64::from(m));
            // select: block 0 ripples; later blocks: two ripples (5k - 3 each) + k + 1 muxes
            let s = net(AdderKind::CarrySelect { block: k }, n, false).stats();
            assert_eq!(
                s.gates,
                5 * k64 - 3 + (m64 - 1) * (11 * k64 - 5),
                "select/{k} N={n}"
            );
            assert_eq!(s.cell_count(CellKind::Mux2), (m64 - 1) * (k64 + 1));
            let s = net(AdderKind::CarrySelect { block: k }, n, true).stats();
            assert_eq!(
                s.gates,
                5 * k64 + (m64 - 1) * (11 * k64 - 5),
                "select/{k} N={n} cin"
            );
            // skip: ripple + per block (k - 1) ANDs for P, an AND and an OR; none for block 0
            // when the carry-in is the constant 0
            let s = net(AdderKind::CarrySkip { block: k }, n, false).stats();
            assert_eq!(
                s.gates,
                5 * u64::from(n) - 3 + (m64 - 1) * (k64 + 1),
                "skip/{k} N={n}"
            );
            let s = net(AdderKind::CarrySkip { block: k }, n, true).stats();
            assert_eq!(
                s.gates,
                5 * u64::from(n) + m64 * (k64 + 1),
                "skip/{k} N={n} cin"
            );
        }
    }
}

/// Conditional sum for both carries: T(1) = 4, T(n) = T(h) + T(n - h) + 2(n - h) + 2.
fn cs_both(n: u64) -> u64 {
    if n == 1 {
        return 4;
    }
    let h = n.div_ceil(2);
    cs_both(h) + cs_both(n - h) + 2 * (n - h) + 2
}

/// The range holding bit 0: K(1) = 5 (full adder) or 2 (half adder), K(n) = K(h) + T(n - h) + n - h + 1.
fn cs_known(n: u64, live: bool) -> u64 {
    if n == 1 {
        return if live { 5 } else { 2 };
    }
    let h = n.div_ceil(2);
    cs_known(h, live) + cs_both(n - h) + (n - h) + 1
}

#[test]
fn conditional_sum_follows_its_recurrence() {
    for n in 1..=128u32 {
        for live in [false, true] {
            let s = net(AdderKind::ConditionalSum, n, live).stats();
            assert_eq!(s.gates, cs_known(u64::from(n), live), "N={n} cin={live}");
        }
        // depth: one mux level per halving
        let d = net(AdderKind::ConditionalSum, n, false).depth();
        assert_eq!(d, 1 + (n as f64).log2().ceil() as u32, "N={n}");
    }
}

#[test]
fn labels_split_prefix_adder_into_parts() {
    let s = net(AdderKind::KoggeStone, 16, false).stats();
    let pg = s.label("kogge-stone/pg").unwrap();
    let tree = s.label("kogge-stone/carry tree").unwrap();
    let sum = s.label("kogge-stone/sum").unwrap();
    assert_eq!(pg.gates, 32);
    assert_eq!(sum.gates, 15);
    assert_eq!(tree.gates + pg.gates + sum.gates, s.gates);
    assert_eq!(
        tree.cells[CellKind::PrefixBlack.index()] + tree.cells[CellKind::PrefixGray.index()],
        16 * 4 - 16 + 1
    );
}
