//! Shared harness of `fp_mul.rs` and `fp_fma_mac.rs`: run an FP unit netlist bit-parallel
//! on many operand vectors and compare every output (value and the four flags) with the
//! soft float.
#![allow(dead_code)]

use arithsim::circuits::fp::{FpUnitConfig, RoundingControl};
use arithsim::float::{FloatFormat, NanPolicy, OverflowPolicy};
use arithsim::gates::{BatchOutput, Netlist, Simulator};
use arithsim::round::{Flags, RoundingMode};

/// The six modes of the contract plus nearest-ties-toward-+∞ (code 6).
pub const MODES: [RoundingMode; 7] = RoundingControl::MODES;

/// Configs that change the result: default, FTZ/DAZ, RISC-V NaNs, saturating overflow.
pub fn configs() -> Vec<FpUnitConfig> {
    let d = FpUnitConfig::default();
    vec![
        d,
        d.with_flush_subnormals(true),
        d.with_nan(NanPolicy::RiscV),
        d.with_overflow(OverflowPolicy::Saturate),
    ]
}

/// A unit's outputs for one vector: value and flags.
pub fn flags_of(out: &BatchOutput, i: usize) -> Flags {
    let mut f = Flags::empty();
    for (name, flag) in [
        ("invalid", Flags::INVALID),
        ("overflow", Flags::OVERFLOW),
        ("underflow", Flags::UNDERFLOW),
        ("inexact", Flags::INEXACT),
    ] {
        if out.get(name).unwrap()[i] == 1 {
            f |= flag;
        }
    }
    f
}

/// Runs `net` on the named operand slices (all the same length), 1024 vectors per batch.
pub fn run(net: &Netlist, inputs: &[(&str, &[u64])]) -> BatchOutput {
    let mut sim = Simulator::new(net, 16).unwrap();
    let mut out = BatchOutput::default();
    sim.run(inputs, &mut out).unwrap();
    out
}

/// Compares `out` (vector `i`) with `want` for every `i`, panicking with `what(i)` on the
/// first mismatch; returns the number of vectors checked.
pub fn compare(
    out: &BatchOutput,
    want: impl Fn(usize) -> (u64, Flags),
    what: impl Fn(usize) -> String,
) -> usize {
    let y = out.get("y").unwrap();
    let flags: Vec<(&[u128], Flags)> = [
        ("invalid", Flags::INVALID),
        ("overflow", Flags::OVERFLOW),
        ("underflow", Flags::UNDERFLOW),
        ("inexact", Flags::INEXACT),
    ]
    .iter()
    .map(|&(n, f)| (out.get(n).unwrap(), f))
    .collect();
    for (i, &v) in y.iter().enumerate() {
        let mut fl = Flags::empty();
        for &(bits, f) in &flags {
            if bits[i] == 1 {
                fl |= f;
            }
        }
        let got = (v as u64, fl);
        let w = want(i);
        assert_eq!(got, w, "{}", what(i));
    }
    y.len()
}

/// A small xorshift generator (seeded, reproducible).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

/// Special values of `f` (zeros, subnormals, normals, max finite, ∞, NaNs) as patterns.
pub fn specials(f: FloatFormat) -> Vec<u64> {
    let mut v = vec![
        0,
        f.sign_bit(),
        f.min_subnormal_bits(),
        f.man_mask(),
        f.min_normal_bits(),
        f.one_bits(),
        f.max_finite_bits(),
        f.max_finite_bits() - 1,
        f.max_finite_bits() | f.sign_bit(),
        f.default_nan(NanPolicy::X86),
        f.default_nan(NanPolicy::RiscV),
    ];
    if let Some(inf) = f.infinity_bits() {
        v.extend([inf, inf | f.sign_bit(), inf | 1, inf | 1 | f.sign_bit()]);
    }
    v.iter().map(|x| x & f.mask()).collect()
}

/// Mixed FMA reference: convert `a`, `b` to `acc` (exact) and `acc.fma`; the conversion's
/// flags (invalid for a signalling NaN) are included.
pub fn fma_ref(
    mul: FloatFormat,
    acc: FloatFormat,
    a: u64,
    b: u64,
    c: u64,
    env: &arithsim::float::FloatEnv,
) -> (u64, Flags) {
    let ca = mul.convert(a, acc, env);
    let cb = mul.convert(b, acc, env);
    let r = acc.fma(ca.value, cb.value, c, env);
    (r.value, r.flags | ca.flags | cb.flags)
}
