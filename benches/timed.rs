//! Timed (glitch-aware) simulation against the zero-delay bit-parallel simulator, in the same
//! group on the same operands (see docs/PERFORMANCE.md, "Timed simulation").
//!
//! Run: `cargo bench --bench timed -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;

use arithsim::circuits::adders::AdderKind;
use arithsim::circuits::multipliers::{Signedness, dadda_multiplier};
use arithsim::cost::SplitMix64;
use arithsim::gates::{CellLibrary, Simulator, TimedDelays, TimedSimulator};
use arithsim::rand_core::{Rng, SeedableRng};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Steps (words of 64 operations) per iteration.
const STEPS: usize = 16;

fn dadda32(c: &mut Criterion) {
    let net = dadda_multiplier(32, 32, Signedness::Unsigned, AdderKind::KoggeStone).unwrap();
    let inputs: Vec<u32> = net
        .inputs()
        .iter()
        .flat_map(|p| p.wires().iter().map(|w| w.index() as u32))
        .collect();
    let mut rng = SplitMix64::seed_from_u64(7);
    // words[s][k]: input wire k at step s
    let words: Vec<Vec<u64>> = (0..STEPS)
        .map(|_| inputs.iter().map(|_| rng.next_u64()).collect())
        .collect();
    let lib = CellLibrary::nangate45();
    let delays = TimedDelays::from_library(&lib, 0.01).unwrap();
    let mut g = c.benchmark_group("dadda 32x32 (Kogge-Stone), activity");
    g.throughput(Throughput::Elements(64 * STEPS as u64));
    let mut zero = Simulator::new(&net, STEPS).unwrap();
    zero.set_activity(true);
    for (k, p) in net.inputs().iter().flat_map(|p| p.wires()).enumerate() {
        let col: Vec<u64> = words.iter().map(|w| w[k]).collect();
        zero.set_input_words(*p, &col).unwrap();
    }
    g.bench_function("zero-delay simulator (baseline)", |b| {
        b.iter(|| {
            zero.eval();
            black_box(zero.activity().unwrap().transitions);
        });
    });
    let mut timed = TimedSimulator::new(&net, &delays).unwrap();
    g.bench_function("timed simulator, NanGate delays at 10 ps", |b| {
        b.iter(|| {
            for w in &words {
                timed.step_words(w).unwrap();
            }
            black_box(timed.activity().transitions);
        });
    });
    g.finish();
    eprintln!(
        "dadda 32x32: {} wires, settle time {} units",
        net.wire_count(),
        timed.settle_time()
    );
}

criterion_group!(benches, dadda32);
criterion_main!(benches);
