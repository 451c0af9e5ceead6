//! Gate-level simulator throughput (see docs/PERFORMANCE.md, "Gate-level simulator and
//! adders"). Each group has a native-integer baseline doing the same additions.
//!
//! Run: `cargo bench --bench gates`.

use std::hint::black_box;

use arithsim::circuits::adders::{AdderKind, adder};
use arithsim::gates::{BatchOutput, Netlist, Simulator};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Words per wire per batch for the bit-sliced benches.
const WORDS: usize = 128;

fn xorshift(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

/// Fills every input wire with random words (pre-packed bit-sliced operands).
fn random_inputs(net: &Netlist, sim: &mut Simulator<'_>) {
    let mut seed = 0x1234_5678_9abc_def0u64;
    for p in net.inputs() {
        for &w in p.wires() {
            for x in sim.input_words_mut(w).unwrap() {
                *x = xorshift(&mut seed);
            }
        }
    }
}

fn sliced(c: &mut Criterion) {
    for kind in [AdderKind::RippleCarry, AdderKind::KoggeStone] {
        let net = adder(kind, 32).unwrap();
        let mut g = c.benchmark_group(format!("{} 32-bit, bit-sliced", kind));
        g.throughput(Throughput::Elements(64 * WORDS as u64));
        let mut sim = Simulator::new(&net, WORDS).unwrap();
        random_inputs(&net, &mut sim);
        g.bench_function("simulator", |b| {
            b.iter(|| {
                sim.eval();
                black_box(
                    sim.wire_words(net.output("cout").unwrap().wires()[0])
                        .unwrap()[0],
                );
            });
        });
        let mut unfused = Simulator::new(&net, WORDS).unwrap();
        unfused.set_fused(false);
        random_inputs(&net, &mut unfused);
        g.bench_function("simulator, cells expanded (not fused)", |b| {
            b.iter(|| {
                unfused.eval();
                black_box(
                    unfused
                        .wire_words(net.output("cout").unwrap().wires()[0])
                        .unwrap()[0],
                );
            });
        });
        // baseline: the same number of 32-bit additions with carry-in, native u64 arithmetic
        let mut seed = 7u64;
        let ops: Vec<(u64, u64, u64)> = (0..64 * WORDS)
            .map(|_| {
                let r = xorshift(&mut seed);
                (r & 0xffff_ffff, r >> 32, r >> 31 & 1)
            })
            .collect();
        g.bench_function("native u64 add", |b| {
            b.iter(|| {
                let mut acc = 0u64;
                for &(x, y, ci) in black_box(&ops) {
                    acc ^= x + y + ci;
                }
                black_box(acc)
            });
        });
        g.finish();
    }
}

fn integer_api(c: &mut Criterion) {
    let n = 64 * WORDS;
    let mut seed = 99u64;
    let a: Vec<u64> = (0..n).map(|_| xorshift(&mut seed) & 0xffff_ffff).collect();
    let b: Vec<u64> = (0..n).map(|_| xorshift(&mut seed) & 0xffff_ffff).collect();
    let ci: Vec<u64> = (0..n).map(|_| xorshift(&mut seed) & 1).collect();
    for kind in [AdderKind::RippleCarry, AdderKind::KoggeStone] {
        let net = adder(kind, 32).unwrap();
        let mut g = c.benchmark_group(format!("{} 32-bit, integer API", kind));
        g.throughput(Throughput::Elements(n as u64));
        let mut sim = Simulator::new(&net, WORDS).unwrap();
        let mut out = BatchOutput::default();
        g.bench_function("simulator run", |bch| {
            bch.iter(|| {
                out.clear();
                sim.run(&[("a", &a), ("b", &b), ("cin", &ci)], &mut out)
                    .unwrap();
                black_box(out.get("sum").unwrap()[0])
            });
        });
        let mut act = Simulator::new(&net, WORDS).unwrap();
        act.set_activity(true);
        g.bench_function("simulator run, toggles on", |bch| {
            bch.iter(|| {
                out.clear();
                act.run(&[("a", &a), ("b", &b), ("cin", &ci)], &mut out)
                    .unwrap();
                black_box(out.get("sum").unwrap()[0])
            });
        });
        g.bench_function("native u64 add", |bch| {
            bch.iter(|| {
                let s: Vec<u64> = black_box(&a)
                    .iter()
                    .zip(black_box(&b))
                    .zip(&ci)
                    .map(|((x, y), c)| x + y + c)
                    .collect();
                black_box(s)
            });
        });
        g.finish();
    }
}

criterion_group!(benches, sliced, integer_api);
criterion_main!(benches);
