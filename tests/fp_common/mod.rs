//! Shared helpers for the FP unit tests: run a netlist on many vectors and compare with the
//! soft float, values and flags.
#![allow(dead_code)]

use arithsim::circuits::fp::{FpUnitConfig, RoundingControl};
use arithsim::float::{FloatFormat, NanPolicy, OverflowPolicy};
use arithsim::gates::{Netlist, Simulator, transpose64};
use arithsim::round::{Flags, RoundingMode};

/// The formats of at most 8 bits the soft float has presets for, plus small IEEE ones.
pub fn small_formats() -> Vec<(&'static str, FloatFormat)> {
    let mut v: Vec<(&'static str, FloatFormat)> = FloatFormat::PRESETS
        .iter()
        .copied()
        .filter(|(_, f)| f.width() <= 8)
        .collect();
    v.push(("ieee(3,2)", FloatFormat::new(3, 2).unwrap()));
    v.push(("ieee(2,1)", FloatFormat::new(2, 1).unwrap()));
    v
}

/// Every config variation the units support besides the rounding control.
pub fn configs() -> Vec<FpUnitConfig> {
    let mut v = Vec::new();
    for ftz in [false, true] {
        for ov in [OverflowPolicy::Nan, OverflowPolicy::Saturate] {
            for nan in [NanPolicy::X86, NanPolicy::RiscV] {
                v.push(
                    FpUnitConfig::default()
                        .with_flush_subnormals(ftz)
                        .with_overflow(ov)
                        .with_nan(nan),
                );
            }
        }
    }
    v
}

/// The rm code of each deterministic mode.
pub fn rm_codes() -> Vec<(RoundingMode, u64)> {
    RoundingMode::DETERMINISTIC
        .iter()
        .map(|&m| (m, RoundingControl::code(m).unwrap()))
        .collect()
}

/// Runs `net` bit-sliced on vectors `0..n`: input port `p` of vector `v` is `input(p, v)`.
/// Returns `y` and the flags of every vector.
pub fn run_sliced(
    net: &Netlist,
    n: usize,
    input: &dyn Fn(usize, usize) -> u64,
) -> Vec<(u64, Flags)> {
    const WORDS: usize = 1024;
    let ports: Vec<Vec<_>> = net.inputs().iter().map(|p| p.wires().to_vec()).collect();
    let y = net.output("y").unwrap().wires().to_vec();
    let flag_wires: Vec<_> = ["invalid", "overflow", "underflow", "inexact"]
        .iter()
        .map(|n| net.output(n).unwrap().wires()[0])
        .collect();
    let flag_bits = [
        Flags::INVALID,
        Flags::OVERFLOW,
        Flags::UNDERFLOW,
        Flags::INEXACT,
    ];
    let mut sim = Simulator::new(net, WORDS.min(n.div_ceil(64)).max(1)).unwrap();
    let words = sim.words();
    let mut out = Vec::with_capacity(n);
    let mut start = 0;
    while start < n {
        for (pi, wires) in ports.iter().enumerate() {
            for t in 0..words {
                let mut m = [0u64; 64];
                for (l, x) in m.iter_mut().enumerate() {
                    let v = start + 64 * t + l;
                    *x = if v < n { input(pi, v) } else { 0 };
                }
                transpose64(&mut m);
                for (j, &w) in wires.iter().enumerate() {
                    sim.input_words_mut(w).unwrap()[t] = m[j];
                }
            }
        }
        sim.eval();
        for t in 0..words {
            let mut m = [0u64; 64];
            for (j, &w) in y.iter().enumerate() {
                m[j] = sim.wire_words(w).unwrap()[t];
            }
            let fw: Vec<u64> = flag_wires
                .iter()
                .map(|&w| sim.wire_words(w).unwrap()[t])
                .collect();
            transpose64(&mut m);
            for (l, &value) in m.iter().enumerate() {
                if start + 64 * t + l >= n {
                    break;
                }
                let mut f = Flags::empty();
                for (k, &bit) in flag_bits.iter().enumerate() {
                    if fw[k] >> l & 1 == 1 {
                        f |= bit;
                    }
                }
                out.push((value, f));
            }
        }
        start += 64 * words;
    }
    out
}

/// Compares `run_sliced` results with `expect`; prints the first few mismatches.
pub fn count_mismatches(
    got: &[(u64, Flags)],
    expect: impl Fn(usize) -> (u64, Flags),
    what: &dyn Fn(usize) -> String,
) -> usize {
    let mut bad = 0;
    for (i, &g) in got.iter().enumerate() {
        let e = expect(i);
        if g != e {
            if bad < 5 {
                eprintln!(
                    "{}: gates {:#x} {:?}, soft float {:#x} {:?}",
                    what(i),
                    g.0,
                    g.1,
                    e.0,
                    e.1
                );
            }
            bad += 1;
        }
    }
    bad
}

/// Index of input port `name` of `net`.
pub fn port(net: &Netlist, name: &str) -> usize {
    net.inputs().iter().position(|p| p.name() == name).unwrap()
}

/// Values every random batch includes: zeros, subnormal extremes, normal extremes, one,
/// infinities and NaNs (quiet and signalling) where the format has them, of both signs.
pub fn special_values(f: FloatFormat) -> Vec<u64> {
    let mut v = vec![
        0,
        f.min_subnormal_bits(),
        f.min_normal_bits() - 1,
        f.min_normal_bits(),
        f.min_normal_bits() + 1,
        f.one_bits(),
        f.one_bits() + 1,
        f.one_bits() - 1,
        f.max_finite_bits(),
        f.max_finite_bits() - 1,
        // Half way up the exponent range, and a large value with the lowest bit set.
        (f.max_finite_bits() >> 1) | 1,
    ];
    if let Some(inf) = f.infinity_bits() {
        v.push(inf);
        v.push(inf | f.quiet_bit()); // quiet NaN
        v.push(inf | 1); // signalling NaN
        v.push(inf | f.quiet_bit() | 1);
    }
    if f.specials().has_nan() {
        v.push(f.default_nan(NanPolicy::X86));
    }
    let mut all: Vec<u64> = v.iter().flat_map(|&x| [x, x | f.sign_bit()]).collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// A deterministic xorshift stream of `width`-bit patterns.
pub fn patterns(width: u32, n: usize, seed: u64) -> Vec<u64> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mask = if width == 64 { !0 } else { (1u64 << width) - 1 };
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x & mask
        })
        .collect()
}

/// Formats off the presets: other field splits, biases and conventions, and wide formats
/// with unusual splits (sampled, not exhaustive, by the tests).
pub fn odd_formats() -> Vec<FloatFormat> {
    use arithsim::float::Specials;
    vec![
        FloatFormat::new(4, 3).unwrap(),
        FloatFormat::new(2, 5).unwrap(),
        FloatFormat::with_bias(3, 3, 1, Specials::NanAllOnes).unwrap(),
        FloatFormat::with_bias(4, 2, 12, Specials::Fnuz).unwrap(),
        FloatFormat::with_bias(3, 4, 6, Specials::FiniteOnly).unwrap(),
        FloatFormat::new(11, 20).unwrap(),
        FloatFormat::new(6, 9).unwrap(),
        FloatFormat::TF32,
    ]
}

/// All patterns of a format up to 8 bits, else `n` random ones plus its special values.
pub fn values_of(f: FloatFormat, n: usize, seed: u64) -> Vec<u64> {
    if f.width() <= 8 {
        (0..1u64 << f.width()).collect()
    } else {
        let mut v = special_values(f);
        v.extend(patterns(f.width(), n, seed));
        v
    }
}
