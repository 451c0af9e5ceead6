//! Bit-sliced simulation of the gate-level floating-point units (see docs/PERFORMANCE.md,
//! "Gate-level floating-point units"): the FP16 adder, the FP32 adder and the FP32
//! multiplier, each against the soft-float operation on the same number of operand pairs in
//! the same run, so the figure is a ratio.
//!
//! Targets on one core: FP16 adder >= 6e7 vectors/s, FP32 adder >= 3e7, FP32 multiplier
//! >= 2e7 (criterion reports elements/s: one element is one operand pair).
//!
//! Run: `cargo bench --bench fp_units`.

use std::hint::black_box;

use arithsim::circuits::fp::{FpUnitConfig, fp_adder, fp_multiplier};
use arithsim::float::{FloatEnv, FloatFormat};
use arithsim::gates::{Netlist, Simulator};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Words per wire per batch: 4096 operand pairs per evaluation (64 words kept the FP32
/// multiplier's 5k wires × 512 bytes within L2 and measured fastest for it; the adders are
/// within 10 % of their 128-word rate).
const WORDS: usize = 64;

fn xorshift(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

/// Random words on the operand wires `a` and `b` (pre-packed bit-sliced operands); every
/// other input (`sub`, a rounding-mode bus) 0: add, nearest-even.
fn load(net: &Netlist, sim: &mut Simulator<'_>) {
    let mut seed = 0x1234_5678_9abc_def0u64;
    for p in net.inputs() {
        let random = p.name() == "a" || p.name() == "b";
        for &w in p.wires() {
            for x in sim.input_words_mut(w).unwrap() {
                *x = if random { xorshift(&mut seed) } else { 0 };
            }
        }
    }
}

type SoftOp = fn(FloatFormat, u64, u64, &FloatEnv) -> arithsim::float::StatusAnd<u64>;

fn unit(c: &mut Criterion, label: &str, f: FloatFormat, net: &Netlist, op: SoftOp) {
    let stats = net.stats();
    let mut g = c.benchmark_group(format!("{label} ({} gates)", stats.gates));
    g.throughput(Throughput::Elements(64 * WORDS as u64));
    let mut sim = Simulator::new(net, WORDS).unwrap();
    load(net, &mut sim);
    let y0 = net.output("y").unwrap().wires()[0];
    g.bench_function("gate level, bit-sliced", |b| {
        b.iter(|| {
            sim.eval();
            black_box(sim.wire_words(y0).unwrap()[0]);
        });
    });
    // baseline: the soft float on the same number of random operand pairs
    let mut seed = 7u64;
    let ops: Vec<(u64, u64)> = (0..64 * WORDS)
        .map(|_| {
            let r = xorshift(&mut seed);
            (r & f.mask(), (r >> 32) & f.mask())
        })
        .collect();
    let env = FpUnitConfig::default().env(arithsim::round::RoundingMode::NearestEven);
    g.bench_function("soft float", |b| {
        b.iter(|| {
            let mut acc = 0u64;
            for &(x, y) in black_box(&ops) {
                let r = op(f, x, y, &env);
                acc ^= r.value ^ u64::from(r.flags.bits());
            }
            black_box(acc)
        });
    });
    g.finish();
}

fn fp_units(c: &mut Criterion) {
    let cfg = FpUnitConfig::default();
    let (h, s) = (FloatFormat::FP16, FloatFormat::FP32);
    let add: SoftOp = |f, a, b, env| f.add(a, b, env);
    let mul: SoftOp = |f, a, b, env| f.mul(a, b, env);
    unit(c, "FP16 adder", h, &fp_adder(h, &cfg).unwrap(), add);
    unit(c, "FP32 adder", s, &fp_adder(s, &cfg).unwrap(), add);
    unit(
        c,
        "FP32 multiplier",
        s,
        &fp_multiplier(s, &cfg).unwrap(),
        mul,
    );
}

criterion_group!(benches, fp_units);
criterion_main!(benches);
