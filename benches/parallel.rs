//! Every core against one: the parallel paths (circuit and accelerator sweeps, bit-sliced
//! gate-level simulation in independent chunks as the exhaustive checks run it, the INT8
//! GEMM's output rows (convolutions run through the same rows), exhaustive circuit error
//! metrics, gate-cost operand streams, network inference over images) on a rayon
//! pool of all cores against a pool of one thread, in the same process and interleaved: every
//! criterion iteration is a round that runs both contenders' batches back to back in
//! rotating order (a batch: calls worth at least 20 ms of one-thread work inside one
//! `install`), and each group ends with the median over rounds of the ratio of the two batch
//! times within a round ("paired", as `benches/float.rs`), so machine load that changes over
//! seconds affects both sides alike, with the quartiles and the ratio of the total times
//! (which a few disturbed rounds pull down). Each round also times a control (vectorized
//! arithmetic on L1-resident arrays in 64 chunks) on both pools: its speed-up is what the two
//! cores delivered at that moment (this is a shared VM), and each group also prints its
//! median over the rounds whose control reached 1.9. Each group checks once that both pools
//! give the same result.
//!
//! Run: `cargo bench --bench parallel -- --warm-up-time 1 --measurement-time 3`.

use std::cell::RefCell;
use std::time::{Duration, Instant};

use arithsim::accel::{MacArithmetic, Network, fsd_npu};
use arithsim::circuits::adders::AdderKind;
use arithsim::circuits::fp::{FpUnitConfig, fp_adder};
use arithsim::circuits::multipliers::{PartialProducts, Reduction, Signedness};
use arithsim::cost::{CostTable, SplitMix64};
use arithsim::float::FloatFormat;
use arithsim::gates::{CellLibrary, Simulator};
use arithsim::rand_core::{Rng, SeedableRng};
use arithsim::sweep::{
    AccelSpace, DATAFLOWS, accel_metrics, circuit_metrics, multiplier_space, sweep_accel,
    sweep_circuits,
};
use criterion::{Criterion, criterion_group, criterion_main};
use rayon::ThreadPool;

fn pool(n: usize) -> ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .expect("a thread pool")
}

/// The control: 64 independent chunks, each updating a 2 KiB array in L1 again and again with
/// vectorized shifts, adds and xors (no memory traffic beyond L1, no allocation, nothing
/// shared), so it is bound by the vector units' throughput as the kernels are. Timed beside
/// every round's workload, its speed-up shows what the two cores delivered at that moment,
/// including a host thread sharing one of them. About 6 ms on one thread.
fn control() -> Vec<u64> {
    use rayon::prelude::*;
    (0..64u64)
        .into_par_iter()
        .map(|k| {
            let mut a = [k; 256];
            for r in 0..2_400u64 {
                for x in &mut a {
                    *x = x.wrapping_add(*x >> 7) ^ r;
                }
            }
            a.iter().fold(0, |s, &x| s ^ x)
        })
        .collect()
}

/// A round whose control reaches this speed-up counts as one in which both cores delivered.
const CONTROL_CLEAN: f64 = 1.9;

/// Benchmarks `work` on one thread and on every core, interleaved, and prints the paired
/// median of (one thread's time / all cores' time), the speed-up, over all rounds and over
/// the rounds whose control reached [`CONTROL_CLEAN`].
fn paired<R: PartialEq + std::fmt::Debug + Send>(
    c: &mut Criterion,
    group: &str,
    work: impl Fn() -> R + Sync,
) {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let pools = [pool(1), pool(cores)];
    assert_eq!(
        pools[0].install(&work),
        pools[1].install(&work),
        "{group}: the parallel result differs from the one-thread result"
    );
    // Calls per batch: at least 20 ms of one-thread work, all inside one `install`, so a
    // batch measures the pool working, not its idle workers waking (a 3 ms GEMM alternated
    // call by call between two pools lost a third of its speed-up to the switches).
    let start = Instant::now();
    std::hint::black_box(pools[0].install(&work));
    let reps = (Duration::from_millis(20).as_secs_f64() / start.elapsed().as_secs_f64())
        .ceil()
        .clamp(1.0, 10_000.0) as usize;
    let batch = |who: usize| {
        pools[who].install(|| {
            for _ in 0..reps {
                std::hint::black_box(work());
            }
        });
    };
    let timed = |f: &dyn Fn()| {
        let start = Instant::now();
        f();
        start.elapsed()
    };
    let names = ["1 thread".to_string(), format!("{cores} threads")];
    // One entry per round: the two pools' batch times, then their control times, each pair
    // measured back to back in rotating order.
    let rounds = RefCell::new(Vec::<[Duration; 4]>::new());
    let mut g = c.benchmark_group(group);
    g.sample_size(10);
    for (me, name) in names.iter().enumerate() {
        g.bench_function(name.as_str(), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for i in 0..iters as usize {
                    let mut round = [Duration::ZERO; 4];
                    for j in 0..2 {
                        let who = (i + j) % 2;
                        round[2 + who] = timed(&|| {
                            std::hint::black_box(pools[who].install(control));
                        });
                    }
                    for j in 0..2 {
                        let who = (i + j) % 2;
                        round[who] = timed(&|| batch(who));
                    }
                    total += round[me];
                    rounds.borrow_mut().push(round);
                }
                total
            })
        });
    }
    g.finish();
    let rounds = rounds.into_inner();
    if rounds.is_empty() {
        return;
    }
    let ratio = |t: &[Duration; 4], at: usize| t[at].as_secs_f64() / t[at + 1].as_secs_f64();
    let sorted = |mut r: Vec<f64>| {
        r.sort_by(f64::total_cmp);
        r
    };
    let quantile = |r: &[f64], q: usize| r.get(r.len() * q / 4).copied().unwrap_or(f64::NAN);
    let all = sorted(rounds.iter().map(|t| ratio(t, 0)).collect());
    let controls = sorted(rounds.iter().map(|t| ratio(t, 2)).collect());
    let clean = sorted(
        rounds
            .iter()
            .filter(|t| ratio(t, 2) >= CONTROL_CLEAN)
            .map(|t| ratio(t, 0))
            .collect(),
    );
    let sum = |who: usize| rounds.iter().map(|t| t[who].as_secs_f64()).sum::<f64>();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "{group}: paired median speed-up over {} rounds ({reps} calls per batch), {cores} \
         threads / 1 thread: {:.2} (quartiles {:.2}–{:.2}; total times {:.2}); control \
         {:.2}; in the {} rounds whose control reached {CONTROL_CLEAN}: {:.2}; load average {}",
        all.len(),
        quantile(&all, 2),
        quantile(&all, 1),
        quantile(&all, 3),
        sum(0) / sum(1),
        quantile(&controls, 2),
        clean.len(),
        quantile(&clean, 2),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
}

fn sweeps(c: &mut Criterion) {
    let points = multiplier_space(
        &[8],
        &[Signedness::Unsigned, Signedness::Signed],
        &PartialProducts::ALL,
        &Reduction::ALL,
        &[
            AdderKind::RippleCarry,
            AdderKind::KoggeStone,
            AdderKind::BrentKung,
        ],
    );
    let lib = CellLibrary::nangate45();
    let metrics = circuit_metrics();
    paired(c, "sweep 8x8 multipliers (48 points)", || {
        sweep_circuits("8x8", &points, &lib, 1024, 1, &metrics).expect("sweep")
    });
    let sizes = [32u32, 64, 128, 256];
    let arrays = AccelSpace {
        base: fsd_npu(),
        shapes: sizes
            .iter()
            .flat_map(|&r| sizes.iter().map(move |&c| (r, c)))
            .collect(),
        dataflows: DATAFLOWS.to_vec(),
        arithmetics: vec![MacArithmetic::INT8_INT32, MacArithmetic::FP16_FP32],
    }
    .points()
    .expect("arrays");
    let net = Network::resnet50_v1_5(1).expect("resnet");
    let table = CostTable::horowitz_45nm();
    let am = accel_metrics();
    paired(c, "sweep ResNet-50 accelerators (160 points)", || {
        Printed(sweep_accel("r", &arrays, &net, &table, &am).expect("sweep"))
    });
}

/// A result compared by its `Debug` text (a metric can be NaN, which is not equal to itself),
/// so that the one-time equality check formats it but the timed runs do not: formatting the
/// accelerator sweep's table took about 3 % of the sweep's one-thread time, all of it
/// sequential.
#[derive(Debug)]
struct Printed<T>(T);

impl<T: std::fmt::Debug> PartialEq for Printed<T> {
    fn eq(&self, other: &Self) -> bool {
        format!("{:?}", self.0) == format!("{:?}", other.0)
    }
}

/// The exhaustive checks' shape: independent chunks, each with its own simulator of the
/// FP16 adder, bit-sliced random operands, a checksum of the outputs per chunk.
fn simulation_chunks(c: &mut Criterion) {
    use rayon::prelude::*;
    let net = fp_adder(FloatFormat::FP16, &FpUnitConfig::default()).expect("adder");
    let words = 32;
    let chunk = |k: u64| -> u64 {
        let mut sim = Simulator::new(&net, words).expect("sim");
        let mut rng = SplitMix64::seed_from_u64(k);
        let inputs: Vec<_> = net
            .inputs()
            .iter()
            .flat_map(|p| p.wires().to_vec())
            .collect();
        let outs: Vec<_> = net
            .outputs()
            .iter()
            .flat_map(|p| p.wires().to_vec())
            .collect();
        let mut sum = 0u64;
        for _ in 0..16 {
            for &w in &inputs {
                for x in sim.input_words_mut(w).expect("input") {
                    *x = rng.next_u64();
                }
            }
            sim.eval();
            for &w in &outs {
                sum = sum.wrapping_add(
                    sim.wire_words(w)
                        .expect("wire")
                        .iter()
                        .fold(0, |a, b| a ^ b),
                );
            }
        }
        sum
    };
    paired(c, "FP16 adder simulation, 64 independent chunks", || {
        (0..64u64).into_par_iter().map(chunk).collect::<Vec<u64>>()
    });
}

/// The INT8 GEMM's output rows (256³, above the parallel threshold).
fn gemm_rows(c: &mut Criterion) {
    use arithsim::datapath::{Bias, GemmOperands, GemmShape, IntArith, IntDatapath};
    let n = 256;
    let mut rng = SplitMix64::seed_from_u64(3);
    let mut draw = || {
        (0..n * n)
            .map(|_| (rng.next_u64() % 256) as i64 - 128)
            .collect::<Vec<_>>()
    };
    let (a, b) = (draw(), draw());
    let dp = IntDatapath::new(IntArith::INT8_INT32).expect("datapath");
    let shape = GemmShape::new(n, n, n).expect("shape");
    paired(c, "INT8 GEMM 256x256x256 rows, i64 operands", || {
        dp.gemm(shape, GemmOperands { a: &a, b: &b }, Bias::None)
            .expect("gemm")
            .values
    });
    // The same values stored as INT8 data is: `B` is 64 KiB instead of 512 KiB.
    let narrow = |v: &[i64]| v.iter().map(|&x| x as i8).collect::<Vec<i8>>();
    let (a8, b8) = (narrow(&a), narrow(&b));
    paired(c, "INT8 GEMM 256x256x256 rows, i8 operands", || {
        dp.gemm(shape, GemmOperands { a: &a8, b: &b8 }, Bias::None)
            .expect("gemm")
            .values
    });
}

/// The exhaustive error metrics of a circuit: all 2^24 operand pairs of a 12×12 array
/// multiplier, in 256 chunks of 2^16 vectors.
fn error_metrics(c: &mut Criterion) {
    use arithsim::circuits::multipliers::array_multiplier;
    use arithsim::datapath::ErrorMetrics;
    let net =
        array_multiplier(12, 12, Signedness::Unsigned, AdderKind::RippleCarry).expect("multiplier");
    let product = |v: &[u128]| (v[0] * v[1]) as i128;
    paired(c, "error metrics, 12x12 multiplier, 2^24 vectors", || {
        format!(
            "{:?}",
            ErrorMetrics::of(&net, "product", Signedness::Unsigned, product, 0, 0)
                .expect("metrics")
        )
    });
}

/// A gate-cost operand stream: 2^17 random operand pairs through the 16×16 Dadda
/// multiplier, drawn and simulated in segments of 4,032.
fn gate_cost_streams(c: &mut Criterion) {
    use arithsim::circuits::multipliers::dadda_multiplier;
    use arithsim::cost::gate_cost_random;
    let net =
        dadda_multiplier(16, 16, Signedness::Unsigned, AdderKind::KoggeStone).expect("multiplier");
    let lib = CellLibrary::nangate45();
    paired(c, "gate cost, 16x16 Dadda, 2^17 random operands", || {
        format!(
            "{:?}",
            gate_cost_random(&net, &lib, 1 << 17, 5).expect("cost")
        )
    });
}

/// Network inference over images: the digits CNN in integer-only INT8 on the 360 test
/// images, one image per unit of work.
fn network_images(c: &mut Criterion) {
    use arithsim::nn::data::Digits;
    use arithsim::nn::{Checkpoint, Executor, Format, digits_cnn};
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/networks/digits_cnn.safetensors");
    let net = digits_cnn(&Checkpoint::load(&path).expect("checkpoint")).expect("network");
    let d = Digits::embedded().expect("digits");
    let split = d.split(Digits::FIXED_SPLIT_SEED);
    let images = |ix: &[usize]| -> Vec<Vec<f32>> {
        ix.iter().map(|&i| d.input(i).expect("image")).collect()
    };
    let (train, test) = (images(&split.train), images(&split.test));
    let format = Format::report_set()
        .expect("formats")
        .into_iter()
        .find(|f| f.name.starts_with("INT8"))
        .expect("an INT8 format");
    let exec = Executor::new(&net, &format, &train).expect("executor");
    paired(c, "digits CNN INT8 inference, 360 images", || {
        exec.run(&test).expect("run").logits
    });
}

criterion_group!(
    benches,
    sweeps,
    simulation_chunks,
    gemm_rows,
    error_metrics,
    gate_cost_streams,
    network_images
);
criterion_main!(benches);
