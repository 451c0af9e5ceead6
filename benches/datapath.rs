//! Datapath benches, each against a baseline in the same group and run:
//!
//! - `int8_gemm_256`: INT8 × INT8 → INT32 wrapping GEMM 256³ through the counted word-level
//!   datapath vs a plain native i-k-j triple loop (i8 widened to i32).
//!
//! Run: `cargo bench --bench datapath` (add `--features softfloat-oracle` for the FP16 group's
//! SoftFloat baseline).
use std::hint::black_box;

use arithsim::datapath::{Bias, GemmShape, IntArith, IntDatapath};
use criterion::{Criterion, criterion_group, criterion_main};

fn data_i8(n: usize, seed: u64) -> Vec<i8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as i8
        })
        .collect()
}

/// The baseline: plain native i-k-j loop, i8 widened to i32, wrapping.
fn native_ikj(n: usize, a: &[i8], b: &[i8], c: &mut [i32]) {
    c.fill(0);
    for i in 0..n {
        let crow = &mut c[i * n..(i + 1) * n];
        for k in 0..n {
            let av = a[i * n + k] as i32;
            let brow = &b[k * n..(k + 1) * n];
            for (cv, &bv) in crow.iter_mut().zip(brow) {
                *cv = cv.wrapping_add(av.wrapping_mul(bv as i32));
            }
        }
    }
}

fn int8_gemm(c: &mut Criterion) {
    const N: usize = 256;
    let a = data_i8(N * N, 1);
    let b = data_i8(N * N, 2);
    let dp = IntDatapath::new(IntArith::INT8_INT32).expect("valid");
    let shape = GemmShape::new(N, N, N).expect("valid");
    // Same bits, checked once outside the timing.
    let mut want = vec![0i32; N * N];
    native_ikj(N, &a, &b, &mut want);
    let got = dp.gemm(shape, &a, &b, Bias::None).expect("gemm");
    assert!(got.values.iter().zip(&want).all(|(&x, &y)| x == y as i64));

    let mut g = c.benchmark_group("int8_gemm_256");
    g.sample_size(20);
    g.bench_function("native_ikj_i32", |bench| {
        let mut out = vec![0i32; N * N];
        bench.iter(|| {
            native_ikj(N, black_box(&a), black_box(&b), &mut out);
            black_box(&out);
        })
    });
    g.bench_function("datapath_word_level", |bench| {
        bench.iter(|| black_box(dp.gemm(shape, black_box(&a), black_box(&b), Bias::None)))
    });
    g.finish();
}

criterion_group!(benches, int8_gemm);
criterion_main!(benches);
