//! Runs every one of the 2^32 FP32 patterns through the gate-level converters FP32 → FP16,
//! FP32 → BF16, FP32 → FP8 E4M3 (both OCP overflow behaviours: NaN and saturating) and
//! FP32 → FP8 E5M2, each built for one or all seven deterministic rounding modes, and compares
//! every result (value and the four IEEE flags) with the soft float's `convert` in the same
//! mode and overflow policy.
//!
//! Inputs are generated in bit-sliced form (`common/bitsliced.rs`): a batch of 2048 inputs
//! has the lane and word patterns in bits 0..11 and constant words above. The reference is
//! computed the way `exhaustive_fp16` does: each input is split once (sign, significand with
//! its leading one at bit 63, exponent), prepared once per target format and rounded once
//! per mode by the crate's one rounding step (`round::round`, then `round_pack`'s packing:
//! carry, overflow by mode and policy, underflow after rounding); zeros, infinities and NaNs
//! (no rounding) go to `FloatFormat::convert` itself, per mode. A wrong reference would show up
//! as mismatches against the circuits.
//!
//! Work is split into chunks of the input's high bits on rayon's pool (all cores by default;
//! `--threads N` or `RAYON_NUM_THREADS=N`); the outcome does not depend on the thread count.
//!
//! Run: `cargo run --release --example exhaustive_convert [--mode M|all] [--threads N]
//! [--from H] [--high-values N]` (`--mode`: rne (default), rna, rnp, rtz, rup, rdn, rto or
//! all; `--from H --high-values N` checks only batches H..H+N of the 2^21 batches of 2048
//! inputs, a quick partial run).

#[path = "common/bitsliced.rs"]
mod bitsliced;

#[path = "common/cli.rs"]
mod cli;

use std::process::ExitCode;
use std::time::Instant;

use arithsim::circuits::fp::{FpUnitConfig, RoundingControl, fp_converter};
use arithsim::float::{FloatEnv, FloatFormat, OverflowPolicy};
use arithsim::round::RoundingMode;
use bitsliced::{BATCH_BITS, Bench, Prepared, Tally, Target, Unit, WORDS, on_threads, pack};
use rayon::prelude::*;

/// Batches per chunk of work.
const CHUNK: u64 = 256;

/// One converter target: its units (one per mode), environments and reference rounding.
struct Conv {
    name: &'static str,
    to: FloatFormat,
    units: Vec<Unit>,
    envs: Vec<FloatEnv>,
    target: Target,
}

/// An FP32 pattern split for [`Target::prepare`] (sign, significand with its leading one at
/// bit 63, exponent of that one), or `None` for zeros, infinities and NaNs.
#[inline(always)]
fn split_f32(x: u64) -> Option<(bool, u64, i32)> {
    let e = (x >> 23 & 0xff) as i32;
    let man = x & 0x7f_ffff;
    let neg = x >> 31 & 1 == 1;
    match e {
        0xff => None,
        0 if man == 0 => None,
        0 => {
            let p = 63 - man.leading_zeros() as i32; // leading one of the subnormal
            Some((neg, man << (63 - p), p - 149))
        }
        _ => Some((neg, (man | 1 << 23) << 40, e - 127)),
    }
}

fn check_chunk(
    convs: &[Conv],
    chunk: u64,
    hi_from: u64,
    hi_end: u64,
) -> arithsim::Result<Vec<Tally>> {
    let mut benches = convs
        .iter()
        .map(|c| Bench::new(&c.units, "a"))
        .collect::<arithsim::Result<Vec<_>>>()?;
    let mut tallies: Vec<Tally> = convs
        .iter()
        .map(|c| Tally {
            bad: vec![0; c.units.len()],
            ..Tally::default()
        })
        .collect();
    let modes = convs[0].units.len();
    let mut want = vec![[0u64; 64]; modes];
    let mut split = vec![[None; 64]; WORDS];
    for hi in (chunk * CHUNK).max(hi_from)..((chunk + 1) * CHUNK).min(hi_end) {
        let x0 = hi << BATCH_BITS;
        for (t, s) in split.iter_mut().enumerate() {
            for (l, v) in s.iter_mut().enumerate() {
                *v = split_f32(x0 + 64 * t as u64 + l as u64);
            }
        }
        for ((c, bench), tally) in convs.iter().zip(&mut benches).zip(&mut tallies) {
            let w = c.to.width();
            let t0 = Instant::now();
            bench.hold("a", x0, BATCH_BITS)?;
            for (t, s) in split.iter().enumerate() {
                let mut prepared = [Prepared::default(); 64];
                let mut special = 0u64;
                for (l, (p, v)) in prepared.iter_mut().zip(s).enumerate() {
                    match v {
                        Some((neg, sig, e)) => *p = c.target.prepare(*neg, *sig, *e),
                        None => special |= 1 << l,
                    }
                }
                for (k, lanes) in want.iter_mut().enumerate() {
                    for (slot, p) in lanes.iter_mut().zip(&prepared) {
                        *slot = c.target.round(p, k);
                    }
                    let mut x = special;
                    while x != 0 {
                        let l = x.trailing_zeros() as usize;
                        x &= x - 1;
                        let a = x0 + 64 * t as u64 + l as u64;
                        lanes[l] = pack(FloatFormat::FP32.convert(a, c.to, &c.envs[k]), w);
                    }
                }
                bench.expect_word(t, &want);
            }
            let t1 = Instant::now();
            bench.eval_and_check(tally, |t, l| (x0 + 64 * t as u64 + l as u64, 0))?;
            tally.ref_secs += (t1 - t0).as_secs_f64();
            tally.sim_secs += t1.elapsed().as_secs_f64();
        }
    }
    Ok(tallies)
}

fn main() -> ExitCode {
    cli::main(&cli::EXHAUSTIVE_CONVERT, run)
}

fn run(args: &cli::Args) -> Result<(), Box<dyn std::error::Error>> {
    let modes = match args.value("mode") {
        Some(m) => cli::parse_modes(m)?,
        None => vec![RoundingMode::NearestEven],
    };
    let threads = args.count("threads").map(|n| n as usize);
    let hi_end = args
        .count("high-values")
        .unwrap_or(1u64 << (32 - BATCH_BITS));
    let hi_from = args.count("from").unwrap_or(0);
    let hi_from = hi_from.min(1 << (32 - BATCH_BITS));
    let hi_end = (hi_from + hi_end).min(1 << (32 - BATCH_BITS));
    let targets = [
        ("FP32 → FP16", FloatFormat::FP16, OverflowPolicy::Nan),
        ("FP32 → BF16", FloatFormat::BF16, OverflowPolicy::Nan),
        (
            "FP32 → E4M3 (NaN)",
            FloatFormat::FP8_E4M3,
            OverflowPolicy::Nan,
        ),
        (
            "FP32 → E4M3 (sat)",
            FloatFormat::FP8_E4M3,
            OverflowPolicy::Saturate,
        ),
        ("FP32 → E5M2", FloatFormat::FP8_E5M2, OverflowPolicy::Nan),
    ];
    let mut convs = Vec::new();
    for (name, to, overflow) in targets {
        let mut units = Vec::new();
        let mut envs = Vec::new();
        for &mode in &modes {
            let cfg = FpUnitConfig::default()
                .with_rounding(RoundingControl::Fixed(mode))
                .with_overflow(overflow);
            units.push(Unit::new(mode, fp_converter(FloatFormat::FP32, to, &cfg)?)?);
            envs.push(cfg.env(mode));
        }
        let target = Target::new(to, &envs);
        convs.push(Conv {
            name,
            to,
            units,
            envs,
            target,
        });
    }
    let inputs = (hi_end - hi_from) << BATCH_BITS;
    println!(
        "exhaustive FP32 converter check: {inputs} inputs × {} modes × {} converters, {} threads",
        modes.len(),
        convs.len(),
        on_threads(threads, rayon::current_num_threads)?
    );
    let start = Instant::now();
    let chunks = hi_from / CHUNK..hi_end.div_ceil(CHUNK);
    let tallies = on_threads(threads, || {
        chunks
            .into_par_iter()
            .map(|c| check_chunk(&convs, c, hi_from, hi_end))
            .try_reduce(
                || convs.iter().map(|_| Tally::default()).collect(),
                |a: Vec<Tally>, b| Ok(a.into_iter().zip(b).map(|(x, y)| x.merge(y)).collect()),
            )
    })??;
    let secs = start.elapsed().as_secs_f64();
    let mut total_bad = 0;
    for (c, t) in convs.iter().zip(tallies) {
        let n = inputs as f64 * c.units.len() as f64;
        println!(
            "{:<20} per core: simulation {:.3e}/s, reference {:.3e}/s",
            c.name,
            n / t.sim_secs,
            n / t.ref_secs
        );
        for (k, u) in c.units.iter().enumerate() {
            let bad = t.bad.get(k).copied().unwrap_or(0);
            println!(
                "  {:<4} {:>5} gates: mismatching lanes: {bad}",
                u.mode.short_name(),
                u.net.stats().gates
            );
            total_bad += bad;
        }
        let mut ex = t.examples;
        ex.sort_unstable();
        let w = c.to.width();
        for (k, a, _, want, got) in ex.iter().take(8) {
            println!(
                "  {}: a = {a:#010x}: soft float y = {:#x} flags {:04b}, circuit y = {:#x} flags \
                 {:04b} (flags as inexact, underflow, overflow, invalid)",
                c.units[*k].mode.short_name(),
                want & ((1 << w) - 1),
                want >> w,
                got & ((1 << w) - 1),
                got >> w
            );
        }
    }
    println!(
        "{} conversions checked in {secs:.1} s; mismatching lanes: {total_bad}",
        inputs as f64 * (modes.len() * convs.len()) as f64
    );
    if total_bad != 0 {
        return Err(format!("{total_bad} mismatching lanes").into());
    }
    Ok(())
}
