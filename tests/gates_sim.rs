//! The simulator: activity layout, fused evaluation, streaming, registers, bit API, and the
//! netlist's library mapping and stats.

use arithsim::circuits::adders::{AdderKind, adder, build_adder, ripple_carry_adder};
use arithsim::gates::{Builder, CellKind, CellLibrary, LibCell, Node, Op, Simulator};
use bitvec::prelude::{BitVec, Lsb0};

fn xorshift(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

#[test]
fn a_node_is_at_most_16_bytes() {
    assert!(std::mem::size_of::<Node>() <= 16);
}

#[test]
fn toggles_compare_consecutive_words_not_neighbouring_bits() {
    let mut b = Builder::new();
    let x = b.input_bit("x").unwrap();
    let y = b.not(x);
    b.output("y", &[y]).unwrap();
    let net = b.finish().unwrap();
    let mut sim = Simulator::new(&net, 4).unwrap();
    sim.set_activity(true);
    // alternating bits inside each word, the same every word: no toggles at all
    sim.set_input_words(x, &[0xAAAA_AAAA_AAAA_AAAA; 4]).unwrap();
    sim.eval();
    let act = sim.activity().unwrap();
    assert_eq!(act.toggles[x.index()], 0);
    assert_eq!(act.transitions, 3 * 64);
    // now words 0, !0, !0, 0: after the previous batch's last word (0xAAAA...), 32 + 64 + 0 + 64
    sim.set_input_words(x, &[0, !0, !0, 0]).unwrap();
    sim.eval();
    let act = sim.activity().unwrap();
    assert_eq!(act.toggles[x.index()], 32 + 64 + 64);
    assert_eq!(act.toggles[y.index()], 32 + 64 + 64);
    assert_eq!(act.transitions, 3 * 64 + 4 * 64);
    // constants never toggle
    assert_eq!(act.toggles[0] + act.toggles[1], 0);
}

#[test]
fn integer_api_maps_operand_v_to_lane_v_mod_64() {
    let net = ripple_carry_adder(4).unwrap();
    let mut sim = Simulator::new(&net, 2).unwrap();
    sim.set_activity(true);
    // operands 0..64 are time step 0, 64..128 time step 1: a = 0 then 1 in every lane
    let a: Vec<u64> = (0..128).map(|v| u64::from(v >= 64)).collect();
    let zeros = vec![0u64; 128];
    let mut out = arithsim::gates::BatchOutput::default();
    sim.run(&[("a", &a), ("b", &zeros), ("cin", &zeros)], &mut out)
        .unwrap();
    let act = sim.activity().unwrap();
    let a0 = net.input("a").unwrap().wires()[0];
    assert_eq!(act.toggles[a0.index()], 64);
    assert_eq!(act.transitions, 64);
    let s0 = net.output("sum").unwrap().wires()[0];
    assert_eq!(act.toggles[s0.index()], 64);
    // per-cell toggles: the sum of each cell's output toggles
    let per_cell = act.cell_toggles(&net);
    let c0 = &net.cells()[0];
    assert_eq!(
        per_cell[0],
        c0.outputs
            .iter()
            .map(|&o| act.toggles[o as usize])
            .sum::<u64>()
    );
    assert_eq!(per_cell[0], 64);
    // per library-cell instance (the same full adders here)
    let inst = act.instance_toggles(&net.instances());
    assert_eq!(inst.len(), 4);
    assert_eq!(inst[0], 64);
}

#[test]
fn random_operand_activity_is_plausible_and_streaming_matches_one_shot() {
    let net = adder(AdderKind::KoggeStone, 16).unwrap();
    let mut seed = 5u64;
    let n = 64 * 40;
    let a: Vec<u64> = (0..n).map(|_| xorshift(&mut seed) & 0xffff).collect();
    let b: Vec<u64> = (0..n).map(|_| xorshift(&mut seed) & 0xffff).collect();
    let c: Vec<u64> = (0..n).map(|_| xorshift(&mut seed) & 1).collect();
    let mut one = Simulator::new(&net, 64).unwrap();
    one.set_activity(true);
    let mut out1 = arithsim::gates::BatchOutput::default();
    one.run(&[("a", &a), ("b", &b), ("cin", &c)], &mut out1)
        .unwrap();
    let mut chunked = Simulator::new(&net, 3).unwrap();
    chunked.set_activity(true);
    let mut out2 = arithsim::gates::BatchOutput::default();
    let (mut sum2, mut cout2) = (Vec::new(), Vec::new());
    for k in 0..5 {
        let r = k * n / 5..(k + 1) * n / 5;
        chunked
            .run(
                &[
                    ("a", &a[r.clone()]),
                    ("b", &b[r.clone()]),
                    ("cin", &c[r.clone()]),
                ],
                &mut out2,
            )
            .unwrap();
        // `run` replaces the output with this chunk's values (as `step_with` does).
        assert_eq!(out2.len(), r.len());
        sum2.extend_from_slice(out2.get("sum").unwrap());
        cout2.extend_from_slice(out2.get("cout").unwrap());
    }
    assert_eq!(out1.get("sum").unwrap(), sum2);
    assert_eq!(out1.get("cout").unwrap(), cout2);
    assert_eq!(one.activity(), chunked.activity());
    for i in 0..n {
        assert_eq!(
            out1.get("sum").unwrap()[i],
            u128::from((a[i] + b[i] + c[i]) & 0xffff)
        );
    }
    // each random input bit toggles with probability 1/2
    let act = one.activity().unwrap();
    let a_toggles: u64 = net
        .input("a")
        .unwrap()
        .wires()
        .iter()
        .map(|w| act.toggles[w.index()])
        .sum();
    let expect = 16.0 * act.transitions as f64 / 2.0;
    assert!(
        (a_toggles as f64 - expect).abs() < 0.05 * expect,
        "{a_toggles} vs {expect}"
    );
}

#[test]
fn fused_and_unfused_evaluation_agree() {
    let mut seed = 11u64;
    for kind in AdderKind::ALL {
        let net = adder(kind, 24).unwrap();
        let mut f = Simulator::new(&net, 5).unwrap();
        let mut u = Simulator::new(&net, 5).unwrap();
        u.set_fused(false);
        for p in net.inputs() {
            for &w in p.wires() {
                let words: Vec<u64> = (0..5).map(|_| xorshift(&mut seed)).collect();
                f.set_input_words(w, &words).unwrap();
                u.set_input_words(w, &words).unwrap();
            }
        }
        f.eval();
        u.eval();
        for p in net.outputs() {
            for &w in p.wires() {
                assert_eq!(
                    f.wire_words(w).unwrap(),
                    u.wire_words(w).unwrap(),
                    "{}",
                    kind
                );
            }
        }
    }
    // a full adder's internal wire is not computed when fused
    let net = ripple_carry_adder(2).unwrap();
    let internal = net.wire(net.cells()[0].first as usize).unwrap();
    let mut sim = Simulator::new(&net, 1).unwrap();
    sim.eval();
    let e = sim.wire_words(internal).unwrap_err();
    assert!(e.to_string().contains("inside a fused cell"), "{e}");
    sim.set_fused(false);
    sim.eval();
    assert!(sim.wire_words(internal).is_ok());
}

#[test]
fn registers_make_an_accumulator() {
    let mut b = Builder::new();
    let x = b.input("x", 8).unwrap();
    let q: Vec<_> = (0..8).map(|_| b.register(false)).collect();
    let zero = b.zero();
    let (s, _) = build_adder(&mut b, AdderKind::RippleCarry, &q, &x, zero).unwrap();
    for (&qi, &si) in q.iter().zip(&s) {
        b.connect_register(qi, si).unwrap();
    }
    b.output("acc", &q).unwrap();
    let net = b.finish().unwrap();
    assert_eq!(net.stats().registers, 8);
    let mut sim = Simulator::new(&net, 1).unwrap();
    let mut seed = 3u64;
    let mut expect = [0u8; 64];
    for _ in 0..20 {
        let vals: Vec<u8> = (0..64).map(|_| xorshift(&mut seed) as u8).collect();
        for (i, &w) in x.iter().enumerate() {
            let word = vals
                .iter()
                .enumerate()
                .fold(0u64, |m, (l, v)| m | (u64::from(v >> i & 1) << l));
            sim.set_input_words(w, &[word]).unwrap();
        }
        sim.step();
        for (e, v) in expect.iter_mut().zip(&vals) {
            *e = e.wrapping_add(*v);
        }
    }
    sim.eval(); // show the state after the last clock on the outputs
    let acc = net.output("acc").unwrap().wires().to_vec();
    for (l, &e) in expect.iter().enumerate() {
        let got = acc.iter().enumerate().fold(0u8, |m, (i, &w)| {
            m | (((sim.wire_words(w).unwrap()[0] >> l & 1) as u8) << i)
        });
        assert_eq!(got, e, "lane {l}");
    }
    assert_eq!(sim.steps(), 20);
    sim.reset();
    assert_eq!(sim.steps(), 0);
}

#[test]
fn bitvec_boundary_api() {
    let net = ripple_carry_adder(8).unwrap();
    let mut a = BitVec::<u64, Lsb0>::repeat(false, 8);
    let mut b = BitVec::<u64, Lsb0>::repeat(false, 8);
    a.set(7, true); // 128
    b.set(7, true);
    b.set(0, true); // 129
    let cin = BitVec::<u64, Lsb0>::repeat(true, 1);
    let out = net
        .eval_bits(&[("a", &a), ("b", &b), ("cin", &cin)])
        .unwrap();
    assert_eq!(out[0].0, "sum");
    assert_eq!(out[0].1.iter_ones().collect::<Vec<_>>(), vec![1]); // 258 mod 256 = 2
    assert!(out[1].1[0]); // carry
}

#[test]
fn constant_folding_simplifies_gates() {
    let mut b = Builder::new();
    let x = b.input_bit("x").unwrap();
    let y = b.input_bit("y").unwrap();
    let (zero, one) = (b.zero(), b.one());
    assert_eq!(b.and(x, zero), zero);
    assert_eq!(b.and(x, one), x);
    assert_eq!(b.or(x, one), one);
    assert_eq!(b.xor(x, x), zero);
    assert_eq!(b.mux(zero, x, y), x);
    assert_eq!(b.mux(one, x, y), y);
    assert_eq!(b.mux(x, zero, one), x);
    let before = b.len();
    let nx = b.xor(x, one);
    assert_eq!(b.len(), before + 1);
    assert_eq!(b.not(nx), x);
    // a full adder with carry-in 0 is a half adder
    let (s, c) = b.full_adder(x, y, zero);
    b.output("s", &[s, c]).unwrap();
    let net = b.finish().unwrap();
    let st = net.stats();
    assert_eq!(st.cell_count(CellKind::HalfAdder), 1);
    assert_eq!(st.cell_count(CellKind::FullAdder), 0);
    assert_eq!((st.primitive_count(Op::Not), st.gates), (1, 3));
}

#[test]
fn library_mapping_area_delay_loads() {
    let lib = CellLibrary::nangate45();
    let fa = lib.cell(LibCell::FullAdder).clone();
    let net = ripple_carry_adder(8).unwrap();
    let inst = net.instances();
    assert_eq!(inst.len(), 8);
    assert!(inst.iter().all(|i| i.cell == LibCell::FullAdder));
    assert!((net.area_um2(&lib) - 8.0 * fa.area_um2).abs() < 1e-9);
    assert!((net.leakage_nw(&lib) - 8.0 * fa.leakage_nw).abs() < 1e-9);
    let t = net.timing(&lib);
    assert!((t.delay_ns - 8.0 * fa.delay_ns).abs() < 1e-12);
    assert_eq!(t.critical_path.len(), 8);
    // each internal carry drives one full adder pin
    let loads = net.wire_loads_ff(&lib);
    let carry0 = net.cells()[0].outputs[1] as usize;
    assert!((loads[carry0] - fa.input_cap_ff_mean).abs() < 1e-12);
    // stats: inputs, carries and each cell's a ^ b drive 2 gates, a & b and (a ^ b) & c drive 1:
    // (16 * 2 + 2 + 8 * (2 + 1 + 1) + 7 * 2) / (16 + 1 + 8 * 3 + 7) = 80 / 48
    let s = net.stats();
    assert_eq!(s.max_fanout, 2);
    assert!(
        (s.mean_fanout - 80.0 / 48.0).abs() < 1e-12,
        "{}",
        s.mean_fanout
    );
    let path = net.critical_path();
    assert_eq!(path.len() as u32, s.depth + 1);
    // area per label adds up to the total
    let ks16 = adder(AdderKind::KoggeStone, 16).unwrap();
    let parts = ks16.area_by_label(&lib);
    let names: Vec<&str> = parts.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "kogge-stone/pg",
            "kogge-stone/carry tree",
            "kogge-stone/sum"
        ]
    );
    let total: f64 = parts.iter().map(|p| p.1).sum();
    assert!((total - ks16.area_um2(&lib)).abs() < 1e-9);
    let xor = lib.cell(LibCell::Xor2).area_um2;
    assert!((parts[2].1 - 16.0 * xor).abs() < 1e-9, "{parts:?}");
    // the Kogge-Stone adder is faster and bigger
    let ks = adder(AdderKind::KoggeStone, 32).unwrap();
    let rc = ripple_carry_adder(32).unwrap();
    assert!(ks.timing(&lib).delay_ns < rc.timing(&lib).delay_ns / 3.0);
    assert!(ks.area_um2(&lib) > rc.area_um2(&lib));
    assert!(ks.stats().max_fanout > 2);
}

#[test]
fn labels_nest_and_count() {
    let mut b = Builder::new();
    let x = b.input("x", 2).unwrap();
    b.push_label("outer");
    let a = b.and(x[0], x[1]);
    let o = b.with_label("inner", |b| b.or(x[0], a));
    b.pop_label();
    let z = b.xor(a, o);
    b.output("z", &[z]).unwrap();
    let s = b.finish().unwrap().stats();
    assert_eq!(s.label("outer").unwrap().gates, 1);
    assert_eq!(s.label("outer/inner").unwrap().gates, 1);
    assert_eq!(s.label("").unwrap().gates, 1);
}

#[test]
fn sequential_steps_from_integers() {
    // acc <- acc + x, 16 bits, 100 independent machines
    let mut b = Builder::new();
    let x = b.input("x", 16).unwrap();
    let q: Vec<_> = (0..16).map(|_| b.register(false)).collect();
    let zero = b.zero();
    let (s, _) = build_adder(&mut b, AdderKind::KoggeStone, &q, &x, zero).unwrap();
    for (&qi, &si) in q.iter().zip(&s) {
        b.connect_register(qi, si).unwrap();
    }
    b.output("acc", &q).unwrap();
    let net = b.finish().unwrap();
    let mut sim = Simulator::new(&net, 2).unwrap();
    let mut seed = 17u64;
    let mut acc = [0u16; 100];
    let mut out = arithsim::gates::BatchOutput::default();
    for _ in 0..10 {
        let xs: Vec<u64> = (0..100).map(|_| xorshift(&mut seed) & 0xffff).collect();
        out.clear();
        sim.step_with(&[("x", &xs)], &mut out).unwrap();
        // outputs are sampled before the clock edge: the previous sum
        for (m, &a) in acc.iter().enumerate() {
            assert_eq!(out.get("acc").unwrap()[m], u128::from(a));
        }
        for (a, &v) in acc.iter_mut().zip(&xs) {
            *a = a.wrapping_add(v as u16);
        }
    }
    assert_eq!(sim.steps(), 10);
    let too_many = vec![0u64; 129];
    let e = sim.step_with(&[("x", &too_many)], &mut out).unwrap_err();
    assert_eq!(
        e.to_string(),
        "shape error: 129 operands per port for a simulator of 128 lanes"
    );
}
