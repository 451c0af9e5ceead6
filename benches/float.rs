//! Soft-float speed: arithsim through `FloatFormat` as a runtime value (black-boxed, so nothing
//! is specialized at compile time) and through the typed values (`F32`, `F16`, `Bf16`), beside
//! native `f32` and, with the `softfloat-oracle` feature, Berkeley SoftFloat 3e through
//! softfloat-wrapper, in one criterion group per operation and operand kind.
//!
//! Each iteration is a batch of 1024 operations on fixed operand streams (`random` bit
//! patterns, or `normal` values with exponents within ±10 of the bias); criterion reports the
//! time per batch, so ns/op = batch time / 1024.
//!
//! Measurement is interleaved: a criterion sample of one contender runs every contender of the
//! group batch by batch, in rotating order, and reports its own batches' time to criterion.
//! The bench also keeps every contender's time in every sample and prints, per group, the
//! median ratio of each contender to SoftFloat within the same samples ("paired medians").
//! Fast and slow spells of a shared virtual machine last seconds, so criterion's own medians,
//! taken one contender after the other, moved ratios by ±30 % between runs on the project's
//! 2-core machine; the paired ratios compare batches run microseconds apart. A group takes
//! its contenders' time together, times the number of contenders.
//!
//! `cargo bench --bench float --features softfloat-oracle` (`-- 'fp32_(add|mul|fma)/'` for
//! the three operations of the speed goal; the paired ratios are the lines ending the
//! groups' output).

use std::cell::RefCell;
use std::hint::black_box;
use std::time::{Duration, Instant};

use arithsim::float::{Bf16, F16, F32, FloatEnv, FloatFormat};
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

/// A contender: its name and one batch of operations.
type Contender<'a> = (&'static str, Box<dyn FnMut() + 'a>);

/// Benchmarks the contenders `make` builds, interleaved (see the module documentation), and
/// prints each contender's time over SoftFloat's (or over the last contender's without it):
/// the median, over every criterion sample of every contender, of the ratio of the two
/// contenders' times within that sample, so both sides of each ratio ran side by side.
fn interleaved<'a>(c: &mut Criterion, group: &str, make: impl Fn() -> Vec<Contender<'a>>) {
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Elements(BATCH as u64));
    let names: Vec<&str> = make().iter().map(|(name, _)| *name).collect();
    let n = names.len();
    // Per criterion sample: every contender's time in it.
    let samples = RefCell::new(Vec::<Vec<Duration>>::new());
    for (me, name) in names.iter().enumerate() {
        let mut contenders = make();
        g.bench_function(*name, |bench| {
            bench.iter_custom(|iters| {
                let mut times = vec![Duration::ZERO; n];
                for i in 0..iters as usize {
                    for j in 0..n {
                        let who = (i + j) % n;
                        let start = Instant::now();
                        (contenders[who].1)();
                        times[who] += start.elapsed();
                    }
                }
                let mine = times[me];
                samples.borrow_mut().push(times);
                mine
            })
        });
    }
    g.finish();
    let base = names
        .iter()
        .position(|&w| w == "softfloat")
        .unwrap_or(n - 1);
    let samples = samples.into_inner();
    if samples.is_empty() {
        return; // filtered out on the command line
    }
    let ratios: Vec<String> = (0..n)
        .filter(|&k| k != base)
        .map(|k| {
            let mut r: Vec<f64> = samples
                .iter()
                .map(|t| t[k].as_secs_f64() / t[base].as_secs_f64())
                .collect();
            r.sort_by(f64::total_cmp);
            format!("{}/{} {:.2}", names[k], names[base], r[r.len() / 2])
        })
        .collect();
    println!(
        "{group}: paired medians over {} samples: {}",
        samples.len(),
        ratios.join(", ")
    );
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

/// Operand streams of one format and kind, as bit patterns and widened to `f32`.
struct Data {
    bits: [Vec<u64>; 3],
    native: [Vec<f32>; 3],
}

impl Data {
    fn new(format: FloatFormat, normal: bool) -> Data {
        let env = FloatEnv::default();
        let bits = [1, 2, 3].map(|seed| operands(format, normal, seed));
        let native = [0, 1, 2].map(|k| {
            bits[k]
                .iter()
                .map(|&x| format.to_f32(x, &env).value)
                .collect()
        });
        Data { bits, native }
    }

    /// The three streams converted to another type.
    fn map<T>(&self, f: impl Fn(u64) -> T) -> [Vec<T>; 3] {
        [0, 1, 2].map(|k| self.bits[k].iter().map(|&x| f(x)).collect())
    }
}

/// One group for one operation: `$x, $y, $z` name the operands in each contender's
/// expression (native `f32`; arithsim through `$f`, a black-boxed runtime format, with the
/// default environment `$env`; the typed value `$T`; SoftFloat's `$S` where given). The
/// expressions are pasted into each batch loop, so every contender is compiled inline.
macro_rules! bench_op {
    (
        $c:expr, $group:expr, $format:expr, $data:expr,
        |$x:ident, $y:ident, $z:ident|
        native: $native:expr,
        arithsim($f:ident, $env:ident): $arith:expr,
        typed $T:ty: $typed:expr,
        softfloat $( $S:ty: $soft:expr )?
    ) => {{
        let data: &Data = $data;
        let env = FloatEnv::default();
        let typed: [Vec<$T>; 3] = data.map(|x| <$T>::from_bits(x as _));
        $(
            #[cfg(all(feature = "softfloat-oracle", target_arch = "x86_64", target_os = "linux"))]
            let soft: [Vec<$S>; 3] = {
                use sf::Float;
                data.map(|x| <$S>::from_bits(x as _))
            };
        )?
        let make = || {
            let (bits, native, typed, env) = (&data.bits, &data.native, &typed, &env);
            let format = black_box($format);
            #[allow(unused_mut)]
            let mut v: Vec<Contender> = vec![
                (
                    "native_f32",
                    Box::new(move || {
                        for i in 0..BATCH {
                            let ($x, $y, $z) = (native[0][i], native[1][i], native[2][i]);
                            black_box($native);
                        }
                    }),
                ),
                (
                    "arithsim",
                    Box::new(move || {
                        let ($f, $env) = (format, env);
                        for i in 0..BATCH {
                            let ($x, $y, $z) = (bits[0][i], bits[1][i], bits[2][i]);
                            black_box($arith);
                        }
                    }),
                ),
                (
                    "arithsim_typed",
                    Box::new(move || {
                        for i in 0..BATCH {
                            let ($x, $y, $z) = (typed[0][i], typed[1][i], typed[2][i]);
                            black_box($typed);
                        }
                    }),
                ),
            ];
            $(
                #[cfg(all(feature = "softfloat-oracle", target_arch = "x86_64", target_os = "linux"))]
                {
                    use sf::Float;
                    let soft = &soft;
                    v.push((
                        "softfloat",
                        Box::new(move || {
                            for i in 0..BATCH {
                                let ($x, $y, $z) = (&soft[0][i], &soft[1][i], &soft[2][i]);
                                black_box($soft);
                            }
                        }),
                    ));
                }
            )?
            v
        };
        interleaved($c, &$group, make);
    }};
}

/// The add and mul groups of one format (`$S`: SoftFloat's type, where it has one).
macro_rules! add_mul {
    ($c:expr, $label:expr, $kind:expr, $format:expr, $data:expr, $T:ty $(, $S:ty)?) => {
        bench_op!($c, format!("{}_add/{}", $label, $kind), $format, $data, |x, y, _z|
            native: x + y,
            arithsim(f, e): f.add(x, y, e).value,
            typed $T: x + y,
            softfloat $( $S: x.add(y, sf::RNE) )?);
        bench_op!($c, format!("{}_mul/{}", $label, $kind), $format, $data, |x, y, _z|
            native: x * y,
            arithsim(f, e): f.mul(x, y, e).value,
            typed $T: x * y,
            softfloat $( $S: x.mul(y, sf::RNE) )?);
    };
}

fn fp32(c: &mut Criterion) {
    for normal in [false, true] {
        let kind = if normal { "normal" } else { "random" };
        let data = &Data::new(FloatFormat::FP32, normal);
        let fp32 = FloatFormat::FP32;
        add_mul!(c, "fp32", kind, fp32, data, F32, sf::F32);
        bench_op!(c, format!("fp32_fma/{kind}"), fp32, data, |x, y, z|
            native: x.mul_add(y, z),
            arithsim(f, e): f.fma(x, y, z, e).value,
            typed F32: x.mul_add(y, z),
            softfloat sf::F32: x.fused_mul_add(y, z, sf::RNE));
        bench_op!(c, format!("fp32_div/{kind}"), fp32, data, |x, y, _z|
            native: x / y,
            arithsim(f, e): f.div(x, y, e).value,
            typed F32: x / y,
            softfloat sf::F32: x.div(y, sf::RNE));
        bench_op!(c, format!("fp32_sqrt/{kind}"), fp32, data, |x, _y, _z|
            native: x.abs().sqrt(),
            arithsim(f, e): f.sqrt(f.abs(x), e).value,
            typed F32: x.abs().sqrt(),
            softfloat sf::F32: x.abs().sqrt(sf::RNE));
    }
}

/// FP16 and BF16 add and mul (SoftFloat has no rounding BF16: its BF16 truncates an f32).
fn half_formats(c: &mut Criterion) {
    for normal in [false, true] {
        let kind = if normal { "normal" } else { "random" };
        let data = &Data::new(FloatFormat::FP16, normal);
        add_mul!(c, "fp16", kind, FloatFormat::FP16, data, F16, sf::F16);
        let data = &Data::new(FloatFormat::BF16, normal);
        add_mul!(c, "bf16", kind, FloatFormat::BF16, data, Bf16);
    }
}

/// FP32 → FP16 and FP16 → FP32 conversion (round to nearest even): the `half` crate, SoftFloat,
/// arithsim's runtime `convert` and the typed `F16::from_f32` / `F16::to_f32`.
fn conversions(c: &mut Criterion) {
    use half::f16;
    for normal in [false, true] {
        let kind = if normal { "normal" } else { "random" };
        let env = FloatEnv::default();
        for (from, to) in [
            (FloatFormat::FP32, FloatFormat::FP16),
            (FloatFormat::FP16, FloatFormat::FP32),
        ] {
            let narrowing = from == FloatFormat::FP32;
            let bits = operands(from, normal, 4);
            let floats: Vec<f32> = bits.iter().map(|&x| from.to_f32(x, &env).value).collect();
            let halves: Vec<f16> = bits.iter().map(|&x| f16::from_bits(x as u16)).collect();
            let typed: Vec<F16> = halves.iter().map(|h| F16::from_bits(h.to_bits())).collect();
            let make = || {
                let (bits, floats, halves, typed, env) = (&bits, &floats, &halves, &typed, &env);
                let (fmt_from, fmt_to) = (black_box(from), black_box(to));
                #[cfg_attr(
                    not(all(
                        feature = "softfloat-oracle",
                        target_arch = "x86_64",
                        target_os = "linux"
                    )),
                    allow(unused_mut)
                )]
                let mut v: Vec<Contender> = vec![
                    (
                        "half_crate",
                        Box::new(move || {
                            for i in 0..BATCH {
                                if narrowing {
                                    black_box(f16::from_f32(floats[i]));
                                } else {
                                    black_box(halves[i].to_f32());
                                }
                            }
                        }),
                    ),
                    (
                        "arithsim",
                        Box::new(move || {
                            for &x in bits {
                                black_box(fmt_from.convert(x, fmt_to, env).value);
                            }
                        }),
                    ),
                    (
                        "arithsim_typed",
                        Box::new(move || {
                            for i in 0..BATCH {
                                if narrowing {
                                    black_box(F16::from_f32(floats[i]));
                                } else {
                                    black_box(typed[i].to_f32());
                                }
                            }
                        }),
                    ),
                ];
                #[cfg(all(
                    feature = "softfloat-oracle",
                    target_arch = "x86_64",
                    target_os = "linux"
                ))]
                {
                    use sf::Float;
                    let sf32: Vec<sf::F32> = floats
                        .iter()
                        .map(|x| sf::F32::from_bits(x.to_bits()))
                        .collect();
                    let sf16: Vec<sf::F16> = halves
                        .iter()
                        .map(|h| sf::F16::from_bits(h.to_bits()))
                        .collect();
                    v.push((
                        "softfloat",
                        Box::new(move || {
                            for i in 0..BATCH {
                                if narrowing {
                                    black_box(sf32[i].to_f16(sf::RNE));
                                } else {
                                    black_box(sf16[i].to_f32(sf::RNE));
                                }
                            }
                        }),
                    ));
                }
                v
            };
            let name = if narrowing {
                "fp32_to_fp16"
            } else {
                "fp16_to_fp32"
            };
            interleaved(c, &format!("{name}/{kind}"), make);
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(1500));
    targets = fp32, half_formats, conversions
}
criterion_main!(benches);
