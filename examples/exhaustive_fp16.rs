//! Runs every one of the 2^32 FP16 operand pairs through the gate-level FP16 adder and
//! multiplier, each built for one or all seven deterministic rounding modes, and compares
//! each result (value and the four IEEE flags) with the soft float in the same mode.
//!
//! Inputs are generated in bit-sliced form, as in `exhaustive_adder16`: vector `v` is
//! `a = v mod 2^16`, `b = v / 2^16`; a batch of 2048 vectors has one `b` and a run of `a`, so
//! `a`'s low 6 bits are the lane-index patterns, bits 6..11 the word index, and the rest
//! constant words; no operand is ever transposed. All the units of an operation (one per
//! mode) are simulated on the same batch.
//!
//! **The reference, once per pair.** An FP16 sum or product of finite operands is exact in
//! `f64` (a sum spans at most 41 bits, a product 22), so each pair's exact result is computed
//! once, split once into the kept significand, the discarded fraction, the exponent field and
//! tininess, and rounded into FP16 once per mode by the crate's one rounding step
//! (`arithsim::round::round`, then the packing of `FloatFormat::round_pack`: carry, overflow,
//! underflow after rounding; `common/bitsliced.rs`, `Target`) instead of running the
//! soft-float operation seven times. Pairs whose exact result is NaN, infinite or zero (NaN and infinite operands,
//! `x + −x`, products with a zero: their sign and flags depend on the operation, not on
//! rounding) go to the soft-float operation in each mode. `--reference soft` runs the soft
//! float for every pair and mode instead (the old way, for timing). Both are compared with the
//! circuits, so a wrong reference would show up as mismatches.
//!
//! Work is split into chunks of `b` values on rayon's thread pool (all cores by default;
//! `--threads N` or `RAYON_NUM_THREADS=N` to choose); counts are summed and examples sorted,
//! so the output does not depend on the thread count.
//!
//! Run: `cargo run --release --example exhaustive_fp16 [add] [mul] [--mode M] [--threads N]
//! [--b-values N] [--reference exact|soft]` (`--mode` takes a rounding mode's short name —
//! rne (the default), rna, rnp, rtz, rup, rdn, rto — or `all` for all seven, each built into
//! the units as a fixed mode; `--b-values N` checks only the first N values of `b`, for a
//! quick partial run).

#[path = "common/bitsliced.rs"]
mod bitsliced;

#[path = "common/cli.rs"]
mod cli;

use std::process::ExitCode;
use std::time::Instant;

use arithsim::circuits::fp::{FpUnitConfig, RoundingControl, fp_adder, fp_multiplier};
use arithsim::float::{FloatEnv, FloatFormat, StatusAnd};
use arithsim::round::RoundingMode;
use bitsliced::{BATCH_BITS, Bench, Prepared, Tally, Target, Unit, WORDS, on_threads, pack};
use rayon::prelude::*;

/// `b` values per chunk of work.
const CHUNK: u64 = 64;

/// One operation: its units (one per mode), the exact `f64` operation and the soft float.
struct Op {
    name: &'static str,
    units: Vec<Unit>,
    envs: Vec<FloatEnv>,
    exact: fn(f64, f64) -> f64,
    reference: fn(u64, u64, &FloatEnv) -> StatusAnd<u64>,
}

/// The exact result as [`Target::prepare`] takes it (sign, significand with its leading one
/// at bit 63, exponent of that one), or `None` for NaN, infinity and zero.
#[inline(always)]
fn split_exact(x: f64) -> Option<(bool, u64, i32)> {
    if !x.is_finite() || x == 0.0 {
        return None;
    }
    // Every non-zero FP16 sum or product is a normal f64 (at least 2^-48).
    let b = x.to_bits();
    let e = (b >> 52 & 0x7ff) as i32;
    let sig = (b & ((1 << 52) - 1) | 1 << 52) << 11;
    Some((b >> 63 == 1, sig, e - 1023))
}

/// Checks every `a` against the `b` values of `chunk`.
fn check_chunk(
    op: &Op,
    values: &[f64],
    chunk: u64,
    b_end: u64,
    soft: bool,
) -> arithsim::Result<Tally> {
    let target = Target::new(FloatFormat::FP16, &op.envs);
    let mut bench = Bench::new(&op.units, "a")?;
    let mut want = vec![[0u64; 64]; op.units.len()];
    let mut tally = Tally {
        bad: vec![0; op.units.len()],
        ..Tally::default()
    };
    for bv in chunk * CHUNK..((chunk + 1) * CHUNK).min(b_end) {
        bench.hold("b", bv, 0)?;
        let vb = values[bv as usize];
        for a_hi in 0..1u64 << (16 - BATCH_BITS) {
            let a0 = a_hi << BATCH_BITS;
            bench.hold("a", a0, BATCH_BITS)?;
            let t0 = Instant::now();
            for t in 0..WORDS {
                let base = a0 + 64 * t as u64;
                // Split every lane's exact result once, then round it in every mode.
                let mut prepared = [Prepared::default(); 64];
                let mut special = 0u64;
                for (l, p) in prepared.iter_mut().enumerate() {
                    match split_exact((op.exact)(values[(base + l as u64) as usize], vb)) {
                        Some((neg, sig, e)) if !soft => *p = target.prepare(neg, sig, e),
                        _ => special |= 1 << l,
                    }
                }
                for (k, w) in want.iter_mut().enumerate() {
                    for (slot, p) in w.iter_mut().zip(&prepared) {
                        *slot = target.round(p, k);
                    }
                }
                // NaN and infinite results do not depend on the mode (no rounding); zeros
                // do (x + −x is −0 rounding down), so they go to the soft float per mode.
                let mut x = special;
                while x != 0 {
                    let l = x.trailing_zeros() as usize;
                    x &= x - 1;
                    let (a, b) = (base + l as u64, bv);
                    let r = (op.reference)(a, b, &op.envs[0]);
                    let nonzero = r.value & 0x7fff != 0;
                    for (k, w) in want.iter_mut().enumerate() {
                        w[l] = pack(
                            if nonzero || k == 0 {
                                r
                            } else {
                                (op.reference)(a, b, &op.envs[k])
                            },
                            16,
                        );
                    }
                }
                bench.expect_word(t, &want);
            }
            let t1 = Instant::now();
            bench.eval_and_check(&mut tally, |t, l| (a0 + 64 * t as u64 + l as u64, bv))?;
            tally.ref_secs += (t1 - t0).as_secs_f64();
            tally.sim_secs += t1.elapsed().as_secs_f64();
        }
    }
    Ok(tally)
}

fn main() -> ExitCode {
    cli::main(&cli::EXHAUSTIVE_FP16, run)
}

fn run(args: &cli::Args) -> Result<(), Box<dyn std::error::Error>> {
    let mut ops: Vec<String> = args.positional.clone();
    let modes = match args.value("mode") {
        Some(m) => cli::parse_modes(m)?,
        None => vec![RoundingMode::NearestEven],
    };
    let threads = args.count("threads").map(|n| n as usize);
    let b_end = args.count("b-values").unwrap_or(1u64 << 16);
    let soft = args.value("reference") == Some("soft");
    if ops.is_empty() {
        ops = vec!["add".into(), "mul".into()];
    }
    let b_end = b_end.min(1 << 16);
    let f = FloatFormat::FP16;
    let values: Vec<f64> = (0..1u64 << 16).map(|x| f.bits_to_f64(x)).collect();
    let pool_threads = on_threads(threads, rayon::current_num_threads)?;
    println!(
        "exhaustive FP16 check: {} operand pairs per unit, {} modes, {pool_threads} threads, \
         {} vectors per batch, reference: {}",
        b_end << 16,
        modes.len(),
        64 * WORDS,
        if soft {
            "soft float per mode"
        } else {
            "exact f64 once, rounded per mode"
        }
    );
    let all = Instant::now();
    let mut total_bad = 0;
    for op_name in &ops {
        let mut units = Vec::new();
        let mut envs = Vec::new();
        for &mode in &modes {
            let cfg = FpUnitConfig::default().with_rounding(RoundingControl::Fixed(mode));
            let net = if op_name == "add" {
                fp_adder(f, &cfg)?
            } else {
                fp_multiplier(f, &cfg)?
            };
            units.push(Unit::new(mode, net)?);
            envs.push(cfg.env(mode));
        }
        let op = if op_name == "add" {
            Op {
                name: "FP16 adder",
                units,
                envs,
                exact: |a, b| a + b,
                reference: |a, b, env| FloatFormat::FP16.add(a, b, env),
            }
        } else {
            Op {
                name: "FP16 multiplier",
                units,
                envs,
                exact: |a, b| a * b,
                reference: |a, b, env| FloatFormat::FP16.mul(a, b, env),
            }
        };
        let start = Instant::now();
        let chunks = b_end.div_ceil(CHUNK);
        let tally = on_threads(threads, || {
            (0..chunks)
                .into_par_iter()
                .map(|c| check_chunk(&op, &values, c, b_end, soft))
                .try_reduce(Tally::default, |a, b| Ok(a.merge(b)))
        })??;
        let secs = start.elapsed().as_secs_f64();
        let n = (b_end << 16) as f64 * op.units.len() as f64;
        println!(
            "{}: {} pairs × {} modes in {secs:.1} s = {:.3e} checks/s (per core: simulation \
             {:.3e}/s, reference {:.3e}/s)",
            op.name,
            b_end << 16,
            op.units.len(),
            n / secs,
            n / tally.sim_secs,
            n / tally.ref_secs,
        );
        for (k, u) in op.units.iter().enumerate() {
            let bad = tally.bad.get(k).copied().unwrap_or(0);
            println!(
                "  {:<4} {:>5} gates: mismatching lanes: {bad}",
                u.mode.short_name(),
                u.net.stats().gates
            );
            total_bad += bad;
        }
        let mut examples = tally.examples;
        examples.sort_unstable();
        for (k, a, b, want, got) in examples.iter().take(8) {
            println!(
                "  {}: a = {a:#06x}, b = {b:#06x}: soft float y = {:#06x} flags {:04b}, circuit \
                 y = {:#06x} flags {:04b} (flags as inexact, underflow, overflow, invalid)",
                op.units[*k].mode.short_name(),
                want & 0xffff,
                want >> 16,
                got & 0xffff,
                got >> 16
            );
        }
    }
    println!("total {:.1} s", all.elapsed().as_secs_f64());
    if total_bad != 0 {
        return Err(format!("{total_bad} mismatching lanes").into());
    }
    Ok(())
}
