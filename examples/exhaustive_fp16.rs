//! Runs every one of the 2^32 FP16 operand pairs through the gate-level FP16 adder and
//! multiplier and compares each result (value and the four IEEE flags) with the soft float.
//!
//! Inputs are generated in bit-sliced form, as in `exhaustive_adder16`: vector `v` is
//! `a = v mod 2^16`, `b = v / 2^16`; a batch of 8192 vectors has one `b` and a run of `a`, so
//! `a`'s low 6 bits are the lane-index patterns, bits 6..13 the word index, and the rest
//! constant words; no operand is ever transposed. The reference is the soft float
//! (`FloatFormat::FP16` add / mul under `FpUnitConfig::default().env(NearestEven)`): the 64
//! results of a word are packed as `value | flags << 16` and transposed once (a 64×64 bit
//! transpose) into the circuit's output layout, then XORed with the output words; a lane
//! mismatches if any of its 20 bits differ.
//!
//! Work is split over the machine's cores with `std::thread::scope` (each thread owns a
//! simulator and takes every `threads`-th value of `b`), so no dependency is needed.
//!
//! Run: `cargo run --release --example exhaustive_fp16 [add] [mul] [--mode M] [--threads N]
//! [--b-values N]` (`--mode` takes a rounding mode's short name — rne (the default), rna, rnp,
//! rtz, rup, rdn, rto — or `all` for all seven, each built into the units as a fixed mode;
//! `--b-values N` checks only the first N values of `b`, for a quick partial run).

use std::time::Instant;

use arithsim::circuits::fp::{FpUnitConfig, RoundingControl, fp_adder, fp_multiplier};
use arithsim::float::{FloatEnv, FloatFormat, StatusAnd};
use arithsim::gates::{Netlist, Simulator, Wire, transpose64};
use arithsim::round::{Flags, RoundingMode};

const WORDS: usize = 128; // 8192 vectors per batch
const A_LANE_BITS: usize = 6;
const A_WORD_BITS: usize = 7; // log2(WORDS)
const A_CONST_BITS: usize = 16 - A_LANE_BITS - A_WORD_BITS;

/// A unit under test: its netlist, the output wires in reference bit order, and the
/// soft-float operation it must equal.
struct Unit {
    name: &'static str,
    net: Netlist,
    reference: fn(u64, u64, &FloatEnv) -> StatusAnd<u64>,
}

/// The soft float's result as the circuit's 20 output bits: `y`, then invalid, overflow,
/// underflow, inexact.
#[inline(always)]
fn pack(r: StatusAnd<u64>) -> u64 {
    let f = r.flags;
    r.value
        | u64::from(f.contains(Flags::INVALID)) << 16
        | u64::from(f.contains(Flags::OVERFLOW)) << 17
        | u64::from(f.contains(Flags::UNDERFLOW)) << 18
        | u64::from(f.contains(Flags::INEXACT)) << 19
}

/// The output wires in the order of [`pack`]'s bits.
fn output_wires(net: &Netlist) -> arithsim::Result<Vec<Wire>> {
    let mut w = net.output("y")?.wires().to_vec();
    for flag in ["invalid", "overflow", "underflow", "inexact"] {
        w.push(net.output(flag)?.wires()[0]);
    }
    Ok(w)
}

/// What one thread found.
#[derive(Default)]
struct Tally {
    bad: u64,
    examples: Vec<(u64, u64, u64, u64)>,
    sim_secs: f64,
    ref_secs: f64,
}

/// Checks every `a` against the `b` values `first, first + step, ...` below `b_end`.
fn check_part(
    unit: &Unit,
    env: &FloatEnv,
    first: u64,
    step: u64,
    b_end: u64,
) -> arithsim::Result<Tally> {
    let net = &unit.net;
    let mut sim = Simulator::new(net, WORDS)?;
    let a = net.input("a")?.wires().to_vec();
    let b = net.input("b")?.wires().to_vec();
    // other inputs (the adder's "sub") stay 0: add
    for p in net.inputs() {
        if p.name() != "a" && p.name() != "b" {
            for &w in p.wires() {
                sim.input_words_mut(w)?.fill(0);
            }
        }
    }
    let outs = output_wires(net)?;
    // a bits 0..13: the same in every batch
    for (i, &w) in a.iter().enumerate().take(A_LANE_BITS + A_WORD_BITS) {
        let words = sim.input_words_mut(w)?;
        for (t, x) in words.iter_mut().enumerate() {
            *x = if i < A_LANE_BITS {
                (0..64u64)
                    .filter(|l| l >> i & 1 == 1)
                    .fold(0, |m, l| m | 1 << l)
            } else if (t >> (i - A_LANE_BITS)) & 1 == 1 {
                !0
            } else {
                0
            };
        }
    }
    let mut tally = Tally::default();
    let mut got = vec![0u64; outs.len() * WORDS];
    let mut bv = first;
    while bv < b_end {
        for (i, &w) in b.iter().enumerate() {
            sim.input_words_mut(w)?
                .fill(if bv >> i & 1 == 1 { !0 } else { 0 });
        }
        for a_hi in 0..1u64 << A_CONST_BITS {
            let a0 = a_hi << (A_LANE_BITS + A_WORD_BITS);
            for (i, &w) in a.iter().enumerate().skip(A_LANE_BITS + A_WORD_BITS) {
                sim.input_words_mut(w)?
                    .fill(if a0 >> i & 1 == 1 { !0 } else { 0 });
            }
            let t0 = Instant::now();
            sim.eval();
            for (j, &w) in outs.iter().enumerate() {
                got[j * WORDS..(j + 1) * WORDS].copy_from_slice(sim.wire_words(w)?);
            }
            let t1 = Instant::now();
            let mut m = [0u64; 64];
            for t in 0..WORDS {
                let base = a0 + 64 * t as u64;
                for (l, slot) in m.iter_mut().enumerate() {
                    *slot = pack((unit.reference)(base + l as u64, bv, env));
                }
                let expected = m;
                transpose64(&mut m);
                let mut diff = 0u64;
                for j in 0..outs.len() {
                    diff |= got[j * WORDS + t] ^ m[j];
                }
                if diff != 0 {
                    tally.bad += u64::from(diff.count_ones());
                    let mut d = diff;
                    while d != 0 && tally.examples.len() < 8 {
                        let l = d.trailing_zeros() as usize;
                        d &= d - 1;
                        let g = (0..outs.len())
                            .fold(0u64, |v, j| v | (got[j * WORDS + t] >> l & 1) << j);
                        tally.examples.push((base + l as u64, bv, expected[l], g));
                    }
                }
            }
            tally.sim_secs += (t1 - t0).as_secs_f64();
            tally.ref_secs += t1.elapsed().as_secs_f64();
        }
        bv += step;
    }
    Ok(tally)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut ops: Vec<String> = Vec::new();
    let mut modes = vec![RoundingMode::NearestEven];
    let mut threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut b_end = 1u64 << 16;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" => threads = args.next().ok_or("--threads needs a value")?.parse()?,
            "--b-values" => b_end = args.next().ok_or("--b-values needs a value")?.parse()?,
            "--mode" => {
                let name = args.next().ok_or("--mode needs a value")?;
                modes = if name == "all" {
                    RoundingMode::DETERMINISTIC.to_vec()
                } else {
                    let mode = RoundingMode::DETERMINISTIC
                        .into_iter()
                        .find(|m| m.short_name() == name)
                        .ok_or_else(|| {
                            let names: Vec<String> = RoundingMode::DETERMINISTIC
                                .iter()
                                .map(RoundingMode::short_name)
                                .collect();
                            format!("unknown mode {name:?}; one of {} or all", names.join(", "))
                        })?;
                    vec![mode]
                };
            }
            "add" | "mul" => ops.push(a),
            other => return Err(format!("unknown argument {other:?}").into()),
        }
    }
    if ops.is_empty() {
        ops = vec!["add".into(), "mul".into()];
    }
    let threads = threads.max(1) as u64;
    let b_end = b_end.min(1 << 16);
    let f = FloatFormat::FP16;
    println!(
        "exhaustive FP16 check: {} operand pairs per unit, {threads} threads, {} vectors per batch",
        b_end << 16,
        64 * WORDS
    );
    let mut total_bad = 0;
    for (op, mode) in ops
        .iter()
        .flat_map(|op| modes.iter().map(move |m| (op, *m)))
    {
        let cfg = FpUnitConfig::default().with_rounding(RoundingControl::Fixed(mode));
        let env = cfg.env(mode);
        println!("rounding mode {}", mode.short_name());
        let unit = match op.as_str() {
            "add" => Unit {
                name: "FP16 adder",
                net: fp_adder(f, &cfg)?,
                reference: |a, b, env| FloatFormat::FP16.add(a, b, env),
            },
            _ => Unit {
                name: "FP16 multiplier",
                net: fp_multiplier(f, &cfg)?,
                reference: |a, b, env| FloatFormat::FP16.mul(a, b, env),
            },
        };
        let stats = unit.net.stats();
        let start = Instant::now();
        let parts: Vec<arithsim::Result<Tally>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|k| {
                    let (unit, env) = (&unit, &env);
                    s.spawn(move || check_part(unit, env, k, threads, b_end))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a checking thread panicked"))
                .collect()
        });
        let secs = start.elapsed().as_secs_f64();
        let mut bad = 0;
        let (mut sim_secs, mut ref_secs) = (0.0, 0.0);
        let mut examples = Vec::new();
        for p in parts {
            let p = p?;
            bad += p.bad;
            sim_secs += p.sim_secs;
            ref_secs += p.ref_secs;
            examples.extend(p.examples);
        }
        let n = (b_end << 16) as f64;
        println!(
            "{:<16} {:>6} gates: {} pairs in {secs:.1} s = {:.3e} vectors/s \
             (per core: simulation {:.3e}/s, soft-float reference {:.3e}/s); mismatching lanes: {bad}",
            unit.name,
            stats.gates,
            b_end << 16,
            n / secs,
            n / sim_secs,
            n / ref_secs,
        );
        examples.sort_unstable();
        for (a, b, want, got) in examples.iter().take(8) {
            println!(
                "  a = {a:#06x}, b = {b:#06x}: soft float y = {:#06x} flags {:04b}, circuit y = \
                 {:#06x} flags {:04b} (flags as inexact, underflow, overflow, invalid)",
                want & 0xffff,
                want >> 16,
                got & 0xffff,
                got >> 16
            );
        }
        total_bad += bad;
    }
    if total_bad != 0 {
        return Err(format!("{total_bad} mismatching lanes").into());
    }
    Ok(())
}
