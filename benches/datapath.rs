//! Datapath benches, each against a baseline in the same group and run:
//!
//! - `int8_gemm_256`: INT8 × INT8 → INT32 wrapping GEMM 256³ through the counted word-level
//!   datapath vs a plain native i-k-j triple loop (i8 widened to i32).
//! - `fp16_fp32_gemm_64`: FP16 × FP16 → FP32-accumulate GEMM 64³, bit-exact per MAC, through
//!   the datapath (native-f32 path, and the float core's step-by-step path) vs the same i-k-j
//!   loop on Berkeley SoftFloat (`softfloat-wrapper`, feature `softfloat-oracle`).
//!
//! Run: `cargo bench --bench datapath` (add `--features softfloat-oracle` for the FP16 group's
//! SoftFloat baseline).
use std::hint::black_box;

use arithsim::datapath::{
    AccumulationOrder, Bias, FloatArith, FloatDatapath, GemmOperands, GemmShape, IntArith,
    IntDatapath,
};
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
    let got = dp
        .gemm(shape, GemmOperands { a: &a, b: &b }, Bias::None)
        .expect("gemm");
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
        bench.iter(|| {
            black_box(dp.gemm(
                shape,
                GemmOperands {
                    a: black_box(&a),
                    b: black_box(&b),
                },
                Bias::None,
            ))
        })
    });
    g.finish();
}

/// FP16 bit patterns of values in [-2, 2), finite.
fn data_f16(n: usize, seed: u64) -> Vec<u64> {
    data_i8(2 * n, seed)
        .chunks(2)
        .map(|c| {
            let v = f32::from(c[0]) / 64.0 + f32::from(c[1]) / 16384.0;
            half::f16::from_f32(v).to_bits() as u64
        })
        .collect()
}

/// The same i-k-j loop on SoftFloat: operands widened once, one `f32_mulAdd` per MAC.
#[cfg(all(
    feature = "softfloat-oracle",
    target_arch = "x86_64",
    target_os = "linux"
))]
fn softfloat_ikj(n: usize, a: &[u64], b: &[u64]) -> Vec<u32> {
    use softfloat_wrapper::{F16, F32, Float, RoundingMode};
    let rm = RoundingMode::TiesToEven;
    let w = |v: &[u64]| -> Vec<F32> {
        v.iter()
            .map(|&x| F16::from_bits(x as u16).to_f32(rm))
            .collect()
    };
    let (wa, wb) = (w(a), w(b));
    let mut c = vec![F32::from_bits(0); n * n];
    for i in 0..n {
        for k in 0..n {
            let av = wa[i * n + k];
            for j in 0..n {
                c[i * n + j] = av.fused_mul_add(wb[k * n + j], c[i * n + j], rm);
            }
        }
    }
    c.iter().map(|x| x.to_bits()).collect()
}

fn fp16_gemm(c: &mut Criterion) {
    const N: usize = 64;
    let a = data_f16(N * N, 3);
    let b = data_f16(N * N, 4);
    let shape = GemmShape::new(N, N, N).expect("valid");
    let fast = FloatDatapath::new(FloatArith::FP16_FP32).expect("valid");
    // Blocks of one product: same bits (FP16 products are exact in FP32), but every step runs
    // through the float core's multiply and add.
    let core = fast
        .with_order(AccumulationOrder::Blocked { width: 1 })
        .expect("valid");
    let want = fast
        .gemm(shape, GemmOperands { a: &a, b: &b }, Bias::None)
        .expect("gemm")
        .bits;
    assert_eq!(
        core.gemm(shape, GemmOperands { a: &a, b: &b }, Bias::None)
            .expect("gemm")
            .bits,
        want
    );
    let mut g = c.benchmark_group("fp16_fp32_gemm_64");
    g.sample_size(10);
    #[cfg(all(
        feature = "softfloat-oracle",
        target_arch = "x86_64",
        target_os = "linux"
    ))]
    {
        let sf = softfloat_ikj(N, &a, &b);
        assert!(
            sf.iter().zip(&want).all(|(&x, &y)| x as u64 == y),
            "softfloat agrees"
        );
        g.bench_function("softfloat_ikj", |bench| {
            bench.iter(|| black_box(softfloat_ikj(N, black_box(&a), black_box(&b))))
        });
    }
    g.bench_function("datapath_word_level", |bench| {
        bench.iter(|| {
            black_box(fast.gemm(
                shape,
                GemmOperands {
                    a: black_box(&a),
                    b: black_box(&b),
                },
                Bias::None,
            ))
        })
    });
    g.bench_function("datapath_float_core_steps", |bench| {
        bench.iter(|| {
            black_box(core.gemm(
                shape,
                GemmOperands {
                    a: black_box(&a),
                    b: black_box(&b),
                },
                Bias::None,
            ))
        })
    });
    g.finish();
}

criterion_group!(benches, int8_gemm, fp16_gemm);
criterion_main!(benches);
