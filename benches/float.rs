//! Soft-float speed: arithsim (through `FloatFormat` as a runtime value, black-boxed so
//! nothing is specialized at compile time) against native `f32` and, with the
//! `softfloat-oracle` feature, Berkeley SoftFloat 3e through softfloat-wrapper, in the same
//! criterion group and run. Each iteration processes a batch of 1024 operand sets; criterion
//! reports time per batch and elements per second, so ns/op = batch time / 1024.
//!
//! `cargo bench --bench float --features softfloat-oracle`

use std::hint::black_box;

use arithsim::float::{FloatEnv, FloatFormat};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const BATCH: usize = 1024;

/// xorshift64: deterministic operand streams.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Operand bit patterns for a format: `normal` keeps exponents within ±10 of the bias (no
/// specials, no subnormals); otherwise uniformly random bits (a few NaNs, infinities and
/// subnormals included).
fn operands(f: FloatFormat, normal: bool, seed: u64) -> Vec<u64> {
    let mut rng = Rng(seed);
    (0..BATCH)
        .map(|_| {
            let x = rng.next();
            if normal {
                let e = (f.bias() as i64 + (x >> 40) as i64 % 21 - 10) as u64;
                (x & f.man_mask()) | (e << f.man_bits()) | ((x >> 63) * f.sign_bit())
            } else {
                x & f.mask()
            }
        })
        .collect()
}

#[cfg(all(
    feature = "softfloat-oracle",
    target_arch = "x86_64",
    target_os = "linux"
))]
mod sf {
    pub use softfloat_wrapper::{F16, F32, Float, RoundingMode};
    pub const RNE: RoundingMode = RoundingMode::TiesToEven;
}

fn fp32(c: &mut Criterion) {
    let env = FloatEnv::default();
    for normal in [false, true] {
        let kind = if normal { "normal" } else { "random" };
        let f = FloatFormat::FP32;
        let (a, b, d) = (
            operands(f, normal, 1),
            operands(f, normal, 2),
            operands(f, normal, 3),
        );
        let na: Vec<f32> = a.iter().map(|&x| f32::from_bits(x as u32)).collect();
        let nb: Vec<f32> = b.iter().map(|&x| f32::from_bits(x as u32)).collect();
        let nd: Vec<f32> = d.iter().map(|&x| f32::from_bits(x as u32)).collect();
        macro_rules! group {
            ($name:expr, $native:expr, $arith:expr, $soft:expr) => {{
                let mut g = c.benchmark_group(format!("{}/{}", $name, kind));
                g.throughput(Throughput::Elements(BATCH as u64));
                g.bench_function("native_f32", |bench| {
                    bench.iter(|| {
                        for i in 0..BATCH {
                            black_box($native(black_box(na[i]), nb[i], nd[i]));
                        }
                    })
                });
                #[cfg(all(
                    feature = "softfloat-oracle",
                    target_arch = "x86_64",
                    target_os = "linux"
                ))]
                {
                    use sf::*;
                    let sa: Vec<F32> = a.iter().map(|&x| F32::from_bits(x as u32)).collect();
                    let sb: Vec<F32> = b.iter().map(|&x| F32::from_bits(x as u32)).collect();
                    let sd: Vec<F32> = d.iter().map(|&x| F32::from_bits(x as u32)).collect();
                    g.bench_function("softfloat", |bench| {
                        bench.iter(|| {
                            for i in 0..BATCH {
                                black_box($soft(&sa[i], &sb[i], &sd[i]));
                            }
                        })
                    });
                }
                g.bench_function("arithsim", |bench| {
                    let fmt = black_box(f);
                    bench.iter(|| {
                        for i in 0..BATCH {
                            black_box($arith(fmt, black_box(a[i]), b[i], d[i], &env).value);
                        }
                    })
                });
                g.finish();
            }};
        }
        group!(
            "fp32_add",
            |x: f32, y: f32, _z: f32| x + y,
            |f: FloatFormat, x, y, _z, e: &FloatEnv| f.add(x, y, e),
            |x: &sf::F32, y: &sf::F32, _z: &sf::F32| x.add(y, sf::RNE)
        );
        group!(
            "fp32_mul",
            |x: f32, y: f32, _z: f32| x * y,
            |f: FloatFormat, x, y, _z, e: &FloatEnv| f.mul(x, y, e),
            |x: &sf::F32, y: &sf::F32, _z: &sf::F32| x.mul(y, sf::RNE)
        );
        group!(
            "fp32_fma",
            |x: f32, y: f32, z: f32| x.mul_add(y, z),
            |f: FloatFormat, x, y, z, e: &FloatEnv| f.fma(x, y, z, e),
            |x: &sf::F32, y: &sf::F32, z: &sf::F32| x.fused_mul_add(y, z, sf::RNE)
        );
        group!(
            "fp32_div",
            |x: f32, y: f32, _z: f32| x / y,
            |f: FloatFormat, x, y, _z, e: &FloatEnv| f.div(x, y, e),
            |x: &sf::F32, y: &sf::F32, _z: &sf::F32| x.div(y, sf::RNE)
        );
        group!(
            "fp32_sqrt",
            |x: f32, _y: f32, _z: f32| x.abs().sqrt(),
            |f: FloatFormat, x, _y, _z, e: &FloatEnv| f.sqrt(f.abs(x), e),
            |x: &sf::F32, _y: &sf::F32, _z: &sf::F32| x.abs().sqrt(sf::RNE)
        );
    }
}

fn half_formats(c: &mut Criterion) {
    let env = FloatEnv::default();
    for (name, f) in [("fp16", FloatFormat::FP16), ("bf16", FloatFormat::BF16)] {
        for normal in [false, true] {
            let kind = if normal { "normal" } else { "random" };
            let (a, b) = (operands(f, normal, 4), operands(f, normal, 5));
            let to32 = |x: u64| f.to_f32(x, &env).value;
            let (na, nb): (Vec<f32>, Vec<f32>) = (
                a.iter().map(|&x| to32(x)).collect(),
                b.iter().map(|&x| to32(x)).collect(),
            );
            for op in ["add", "mul"] {
                let mut g = c.benchmark_group(format!("{name}_{op}/{kind}"));
                g.throughput(Throughput::Elements(BATCH as u64));
                g.bench_function("native_f32", |bench| {
                    bench.iter(|| {
                        for i in 0..BATCH {
                            let (x, y) = (black_box(na[i]), nb[i]);
                            black_box(if op == "add" { x + y } else { x * y });
                        }
                    })
                });
                #[cfg(all(
                    feature = "softfloat-oracle",
                    target_arch = "x86_64",
                    target_os = "linux"
                ))]
                if name == "fp16" {
                    use sf::*;
                    let sa: Vec<F16> = a.iter().map(|&x| F16::from_bits(x as u16)).collect();
                    let sb: Vec<F16> = b.iter().map(|&x| F16::from_bits(x as u16)).collect();
                    g.bench_function("softfloat", |bench| {
                        bench.iter(|| {
                            for i in 0..BATCH {
                                black_box(if op == "add" {
                                    sa[i].add(sb[i], RNE)
                                } else {
                                    sa[i].mul(sb[i], RNE)
                                });
                            }
                        })
                    });
                }
                g.bench_function("arithsim", |bench| {
                    let fmt = black_box(f);
                    bench.iter(|| {
                        for i in 0..BATCH {
                            let (x, y) = (black_box(a[i]), b[i]);
                            black_box(
                                if op == "add" {
                                    fmt.add(x, y, &env)
                                } else {
                                    fmt.mul(x, y, &env)
                                }
                                .value,
                            );
                        }
                    })
                });
                g.finish();
            }
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(std::time::Duration::from_millis(300))
        .measurement_time(std::time::Duration::from_millis(1500));
    targets = fp32, half_formats
}
criterion_main!(benches);
