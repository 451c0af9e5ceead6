//! Criterion benches for the float layer (see docs/PERFORMANCE.md).
use std::hint::black_box;

use arithsim::float::{F32, FloatEnv, FloatFormat};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn placeholder(_c: &mut Criterion) {}

/// Normal-range FP32 operands (biased exponents 64..=190) from a fixed xorshift stream.
fn normal_f32(n: usize, seed: u64) -> Vec<f32> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let exp = 64 + (x >> 40) as u32 % 127;
            f32::from_bits((x as u32 & 0x807F_FFFF) | exp << 23)
        })
        .collect()
}

/// Typed `F32` against native `f32` and the runtime-format API on the same operands, so the
/// figures are ratios: add, mul, fma (one rounding), 1024 operations per iteration.
fn typed_f32(c: &mut Criterion) {
    const N: usize = 1024;
    let (a, b, d) = (normal_f32(N, 1), normal_f32(N, 2), normal_f32(N, 3));
    let (ta, tb, td): (Vec<F32>, Vec<F32>, Vec<F32>) = (
        a.iter().map(|&x| F32::from_f32(x)).collect(),
        b.iter().map(|&x| F32::from_f32(x)).collect(),
        d.iter().map(|&x| F32::from_f32(x)).collect(),
    );
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits() as u64).collect::<Vec<u64>>();
    let (ra, rb, rd) = (bits(&a), bits(&b), bits(&d));
    let f = FloatFormat::FP32;
    let env = FloatEnv::default();

    let mut g = c.benchmark_group("fp32_typed");
    g.throughput(Throughput::Elements(N as u64));
    macro_rules! run {
        ($name:expr, $i:ident, $e:expr) => {
            g.bench_function($name, |bench| {
                bench.iter(|| {
                    let mut acc = 0u64;
                    for $i in 0..N {
                        acc ^= $e;
                    }
                    acc
                })
            });
        };
    }
    run!(
        "add/native_f32",
        i,
        (black_box(a[i]) + black_box(b[i])).to_bits() as u64
    );
    run!(
        "add/typed_F32",
        i,
        (black_box(ta[i]) + black_box(tb[i])).to_bits() as u64
    );
    run!(
        "add/runtime_FP32",
        i,
        f.add(black_box(ra[i]), black_box(rb[i]), &env).value
    );
    run!(
        "mul/native_f32",
        i,
        (black_box(a[i]) * black_box(b[i])).to_bits() as u64
    );
    run!(
        "mul/typed_F32",
        i,
        (black_box(ta[i]) * black_box(tb[i])).to_bits() as u64
    );
    run!(
        "mul/runtime_FP32",
        i,
        f.mul(black_box(ra[i]), black_box(rb[i]), &env).value
    );
    run!(
        "fma/native_f32",
        i,
        black_box(a[i])
            .mul_add(black_box(b[i]), black_box(d[i]))
            .to_bits() as u64
    );
    run!(
        "fma/typed_F32",
        i,
        black_box(ta[i])
            .mul_add(black_box(tb[i]), black_box(td[i]))
            .to_bits() as u64
    );
    run!(
        "fma/runtime_FP32",
        i,
        f.fma(black_box(ra[i]), black_box(rb[i]), black_box(rd[i]), &env)
            .value
    );
    #[cfg(all(
        feature = "softfloat-oracle",
        target_arch = "x86_64",
        target_os = "linux"
    ))]
    {
        use softfloat_wrapper::{F32 as Sf32, Float, RoundingMode as SfMode};
        let sf = |v: &[f32]| {
            v.iter()
                .map(|x| Sf32::from_bits(x.to_bits()))
                .collect::<Vec<_>>()
        };
        let (sa, sb, sd) = (sf(&a), sf(&b), sf(&d));
        let m = SfMode::TiesToEven;
        run!(
            "add/softfloat",
            i,
            black_box(sa[i]).add(black_box(sb[i]), m).to_bits() as u64
        );
        run!(
            "mul/softfloat",
            i,
            black_box(sa[i]).mul(black_box(sb[i]), m).to_bits() as u64
        );
        run!(
            "fma/softfloat",
            i,
            black_box(sa[i])
                .fused_mul_add(black_box(sb[i]), black_box(sd[i]), m)
                .to_bits() as u64
        );
    }
    g.finish();
}

criterion_group!(benches, placeholder, typed_f32);
criterion_main!(benches);
