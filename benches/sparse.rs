//! Sparse GEMM benches, the dense kernel as the baseline in the same group and run:
//!
//! - `sparse_int8_gemm_256_density_0.1`: INT8 × INT8 → INT32 wrapping GEMM 256³ whose `A`
//!   (the weights) is magnitude-pruned to 10 % density: the counted dense kernel on the
//!   pruned matrix vs the sparse kernel skipping zeros (CSR, encoded once outside the timing:
//!   weights are static), and the 2:4 layout at 50 % for scale. Same bits, checked once.
//!
//! Run: `cargo bench --bench sparse`.
use std::hint::black_box;

use arithsim::datapath::sparse::{Layout, SparseMatrix, ZeroHandling};
use arithsim::datapath::{Bias, GemmOperands, GemmShape, IntArith, IntDatapath};
use arithsim::quant::{prune_n_m, prune_unstructured};
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

fn sparse_gemm(c: &mut Criterion) {
    const N: usize = 256;
    let dense_a = data_i8(N * N, 1);
    let b = data_i8(N * N, 2);
    let a10 = prune_unstructured(&dense_a, 0.1).expect("prune").values;
    let a24 = prune_n_m(&dense_a, N, N, 2, 4).expect("prune").values;
    let csr = SparseMatrix::from_dense(Layout::Csr, N, N, &a10).expect("encode");
    let nm = SparseMatrix::from_dense(Layout::NM { n: 2, m: 4 }, N, N, &a24).expect("encode");
    let dp = IntDatapath::new(IntArith::INT8_INT32).expect("valid");
    let shape = GemmShape::new(N, N, N).expect("valid");
    // Same bits, checked once outside the timing.
    for (a, s) in [(&a10, &csr), (&a24, &nm)] {
        let want = dp
            .gemm(shape, GemmOperands { a, b: &b }, Bias::None)
            .expect("gemm")
            .values;
        let got = dp
            .sparse_gemm(s, &b, N, Bias::None, ZeroHandling::Skip)
            .expect("sparse gemm");
        assert_eq!(got.output.values, want);
    }

    let mut g = c.benchmark_group("sparse_int8_gemm_256_density_0.1");
    g.sample_size(20);
    g.bench_function("dense_kernel_on_pruned", |bench| {
        bench.iter(|| {
            black_box(dp.gemm(
                shape,
                GemmOperands {
                    a: black_box(&a10),
                    b: black_box(&b),
                },
                Bias::None,
            ))
        })
    });
    g.bench_function("sparse_csr_skip", |bench| {
        bench.iter(|| {
            black_box(dp.sparse_gemm(
                black_box(&csr),
                black_box(&b),
                N,
                Bias::None,
                ZeroHandling::Skip,
            ))
        })
    });
    g.bench_function("sparse_2_4_skip_density_0.5", |bench| {
        bench.iter(|| {
            black_box(dp.sparse_gemm(
                black_box(&nm),
                black_box(&b),
                N,
                Bias::None,
                ZeroHandling::Skip,
            ))
        })
    });
    g.finish();
}

criterion_group!(benches, sparse_gemm);
criterion_main!(benches);
