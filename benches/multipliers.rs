//! Multiplier and MAC simulation throughput (see docs/PERFORMANCE.md, "Multipliers and MAC
//! units"). Each group has a native-integer baseline doing the same multiplications.
//!
//! Run: `cargo bench --bench multipliers`.

use std::hint::black_box;

use arithsim::circuits::adders::AdderKind;
use arithsim::circuits::mac::{Mac, MacSpec};
use arithsim::circuits::multipliers::{Signedness, array_multiplier, dadda_multiplier};
use arithsim::gates::{BatchOutput, Netlist, Simulator};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn xorshift(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

/// Exhaustive 8 × 8 check of a Dadda multiplier: all 65,536 products as 1,024 words of
/// pre-packed bit-sliced operands, evaluated and compared with the expected product words.
fn exhaustive_8x8(c: &mut Criterion) {
    const WORDS: usize = 1024;
    let net = dadda_multiplier(8, 8, Signedness::Unsigned, AdderKind::KoggeStone).unwrap();
    let mut sim = Simulator::new(&net, WORDS).unwrap();
    // Vector v = 64 t + l: a = v & 255, b = v >> 8.
    let bit = |v: usize, k: usize| ((v >> k) & 1) as u64;
    let sliced = |f: &dyn Fn(usize) -> u64| -> Vec<u64> {
        (0..WORDS)
            .map(|t| (0..64).fold(0u64, |w, l| w | (f(64 * t + l) << l)))
            .collect()
    };
    let a = net.input("a").unwrap().wires().to_vec();
    let b = net.input("b").unwrap().wires().to_vec();
    for k in 0..8 {
        sim.set_input_words(a[k], &sliced(&|v| bit(v, k))).unwrap();
        sim.set_input_words(b[k], &sliced(&|v| bit(v, 8 + k)))
            .unwrap();
    }
    let p = net.output("product").unwrap().wires().to_vec();
    let expected: Vec<Vec<u64>> = (0..16)
        .map(|k| sliced(&|v| bit((v & 255) * (v >> 8), k)))
        .collect();
    let mut g = c.benchmark_group("dadda 8x8 exhaustive check (65,536 products)");
    g.throughput(Throughput::Elements(65_536));
    g.bench_function("simulator eval + compare", |bch| {
        bch.iter(|| {
            sim.eval();
            let ok = p
                .iter()
                .zip(&expected)
                .all(|(&w, e)| sim.wire_words(w).unwrap() == e.as_slice());
            assert!(black_box(ok));
        });
    });
    g.bench_function("native u16 multiply + compare", |bch| {
        let want: Vec<u16> = (0..65_536u32)
            .map(|v| ((v & 255) * (v >> 8)) as u16)
            .collect();
        bch.iter(|| {
            let ok = (0..65_536u32).all(|v| {
                let (x, y) = (black_box(v & 255) as u16, black_box(v >> 8) as u16);
                x.wrapping_mul(y) == want[v as usize]
            });
            assert!(black_box(ok));
        });
    });
    g.finish();
}

/// This thread's on-CPU time in ns, where the kernel reports it.
fn cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

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

/// 32 × 32 array multiplier: bit-sliced (pre-packed, toggles off) and integer batch API.
fn array_32(c: &mut Criterion) {
    const WORDS: usize = 64;
    let n = 64 * WORDS;
    let net = array_multiplier(32, 32, Signedness::Unsigned, AdderKind::RippleCarry).unwrap();
    let mut g = c.benchmark_group("array 32x32 multiplier");
    g.throughput(Throughput::Elements(n as u64));
    let mut sim = Simulator::new(&net, WORDS).unwrap();
    random_inputs(&net, &mut sim);
    let top = net.output("product").unwrap().wires()[63];
    // The rate per second of this thread's own CPU time (Linux), which load does not dilute.
    if let Some(c0) = cpu_ns() {
        let iters = 400;
        for _ in 0..iters {
            sim.eval();
        }
        if let Some(c1) = cpu_ns() {
            let rate = (iters * n) as f64 / ((c1 - c0) as f64 * 1e-9);
            eprintln!("array 32x32 bit-sliced: {rate:.3e} vectors per CPU-second");
        }
    }
    g.bench_function("simulator, bit-sliced", |bch| {
        bch.iter(|| {
            sim.eval();
            black_box(sim.wire_words(top).unwrap()[0]);
        });
    });
    let mut seed = 5u64;
    let a: Vec<u64> = (0..n).map(|_| xorshift(&mut seed) & 0xffff_ffff).collect();
    let b: Vec<u64> = (0..n).map(|_| xorshift(&mut seed) & 0xffff_ffff).collect();
    let mut out = BatchOutput::default();
    g.bench_function("simulator run, integer API", |bch| {
        bch.iter(|| {
            out.clear();
            sim.run(&[("a", &a), ("b", &b)], &mut out).unwrap();
            black_box(out.get("product").unwrap()[0]);
        });
    });
    g.bench_function("native u64 multiply", |bch| {
        bch.iter(|| {
            let mut acc = 0u64;
            for (&x, &y) in black_box(&a).iter().zip(black_box(&b)) {
                acc ^= x * y;
            }
            black_box(acc)
        });
    });
    g.finish();
}

/// The INT8 MAC preset stepped clock by clock, 64 streams per word.
fn int8_mac_steps(c: &mut Criterion) {
    let mac = Mac::new(MacSpec::INT8_INT32).unwrap();
    let clocks = 256;
    let mut seed = 3u64;
    let draw = |s: &mut u64| {
        (0..clocks)
            .map(|_| (0..64).map(|_| xorshift(s) & 0xff).collect::<Vec<u64>>())
            .collect::<Vec<_>>()
    };
    let a = draw(&mut seed);
    let b = draw(&mut seed);
    let mut g = c.benchmark_group("int8 MAC, 64 streams x 256 clocks");
    g.throughput(Throughput::Elements(64 * clocks as u64));
    g.bench_function("Mac::run", |bch| {
        bch.iter(|| black_box(mac.run(&a, &b, false).unwrap().acc.len()))
    });
    g.bench_function("native i32 wrapping MAC", |bch| {
        bch.iter(|| {
            let mut acc = [0i32; 64];
            for (at, bt) in black_box(&a).iter().zip(black_box(&b)) {
                for s in 0..64 {
                    acc[s] = acc[s]
                        .wrapping_add(i32::from(at[s] as u8 as i8) * i32::from(bt[s] as u8 as i8));
                }
            }
            black_box(acc)
        });
    });
    g.finish();
}

criterion_group!(benches, exhaustive_8x8, array_32, int8_mac_steps);
criterion_main!(benches);
