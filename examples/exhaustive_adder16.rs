//! Checks a 16-bit adder on all 2^32 operand pairs, bit-sliced end to end.
//!
//! Inputs are generated and outputs checked in bit-sliced form (one word = 64 vectors), so the
//! simulator, not integer conversion, sets the pace. Vector `v` of the run is
//! `a = v mod 2^16`, `b = v / 2^16`; a batch of 8192 vectors has one `b` and a run of `a`, so
//! `a`'s low 13 bits are the same bit patterns in every batch and the rest are constant
//! words. The expected sum `a + b` of each word's 64 lanes is `X + l` for `X = a0 + 64t + b`
//! and lane `l`: its low 6 bits come from a 64-entry table per residue `X mod 64` (native
//! additions), its high bits are bits of `X / 64` or `X / 64 + 1` per lane, so the check is
//! independent of the circuit and costs a few word operations per output bit.
//!
//! The values of `b` are split into chunks run on rayon's pool (all cores by default;
//! `--threads N` or `RAYON_NUM_THREADS=N`); each chunk has its own simulator and the
//! mismatch counts are summed, so the outcome does not depend on the thread count.
//!
//! Run: `cargo run --release --example exhaustive_adder16 [--threads N] [kind ...]` with kinds
//! such as `ripple-carry` (the default), `kogge-stone`, `brent-kung`, `sklansky`.

#[path = "common/cli.rs"]
mod cli;

use std::process::ExitCode;
use std::time::Instant;

use arithsim::circuits::adders::{AdderKind, adder};
use arithsim::gates::Simulator;
use rayon::prelude::*;

const WORDS: usize = 128; // 8192 vectors per batch
const CHUNK: u64 = 256; // values of b per chunk of work

fn main() -> ExitCode {
    cli::main(&cli::EXHAUSTIVE_ADDER16, run)
}

fn run(cli: &cli::Args) -> Result<(), arithsim::Error> {
    let args = &cli.positional;
    let threads = cli.count("threads").map(|n| n as usize);
    let kinds: Vec<AdderKind> = if args.is_empty() {
        vec![AdderKind::RippleCarry]
    } else {
        args.iter()
            .map(|a| a.parse::<AdderKind>())
            .collect::<Result<_, _>>()?
    };
    // lane patterns: bit i of lane index l, for i < 6
    let lane_bit = |i: usize| -> u64 {
        (0..64)
            .filter(|l| l >> i & 1 == 1)
            .fold(0, |m, l| m | 1 << l)
    };
    // per residue r: the low 6 bits of r + l as words, and the lanes where r + l carries into bit 6
    let mut low = [[0u64; 6]; 64];
    let mut carry = [0u64; 64];
    for r in 0..64u64 {
        for l in 0..64u64 {
            let x = r + l;
            for (i, w) in low[r as usize].iter_mut().enumerate() {
                *w |= (x >> i & 1) << l;
            }
            carry[r as usize] |= (x >> 6) << l;
        }
    }
    for kind in kinds {
        let net = adder(kind, 16)?;
        let stats = net.stats();
        // Checks the `b` values of chunk `c` on one simulator; the count does not depend on
        // how chunks are spread over threads.
        let check = |c: u64| -> Result<u64, arithsim::Error> {
            let mut sim = Simulator::new(&net, WORDS)?;
            let a = net.input("a")?.wires().to_vec();
            let b = net.input("b")?.wires().to_vec();
            let cin = net.input("cin")?.wires()[0];
            let sum = net.output("sum")?.wires().to_vec();
            let cout = net.output("cout")?.wires()[0];
            sim.input_words_mut(cin)?.fill(0);
            // a bits 0..13: the same in every batch
            for (i, &w) in a.iter().enumerate().take(13) {
                let words = sim.input_words_mut(w)?;
                for (t, x) in words.iter_mut().enumerate() {
                    *x = if i < 6 {
                        lane_bit(i)
                    } else if (t >> (i - 6)) & 1 == 1 {
                        !0
                    } else {
                        0
                    };
                }
            }
            let mut bad = 0u64;
            for bv in c * CHUNK..(c + 1) * CHUNK {
                for (i, &w) in b.iter().enumerate() {
                    sim.input_words_mut(w)?
                        .fill(if bv >> i & 1 == 1 { !0 } else { 0 });
                }
                for a_hi in 0..8u64 {
                    let a0 = a_hi << 13;
                    for (i, &w) in a.iter().enumerate().skip(13) {
                        sim.input_words_mut(w)?
                            .fill(if a0 >> i & 1 == 1 { !0 } else { 0 });
                    }
                    sim.eval();
                    let r = (bv % 64) as usize;
                    let mut diff = 0u64;
                    let cy = carry[r];
                    for (i, &w) in sum.iter().chain(std::iter::once(&cout)).enumerate() {
                        let got = sim.wire_words(w)?;
                        if i < 6 {
                            for &g in got {
                                diff |= g ^ low[r][i];
                            }
                        } else {
                            let k = i - 6;
                            for (t, &g) in got.iter().enumerate() {
                                let h = (a0 + 64 * t as u64 + bv) >> 6;
                                let m0 = 0u64.wrapping_sub(h >> k & 1);
                                let m1 = 0u64.wrapping_sub((h + 1) >> k & 1);
                                diff |= g ^ ((m0 & !cy) | (m1 & cy));
                            }
                        }
                    }
                    bad += u64::from(diff.count_ones());
                }
            }
            Ok(bad)
        };
        let run = || {
            (0..(1u64 << 16) / CHUNK)
                .into_par_iter()
                .map(check)
                .try_reduce(|| 0, |x, y| Ok(x + y))
        };
        let start = Instant::now();
        let bad = match threads {
            Some(n) => arithsim::sweep::with_threads(n, run)??,
            None => run()?,
        };
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{:<18} {} gates: 2^32 pairs in {secs:.2} s = {:.3e} vectors/s on {} threads, \
             mismatching lanes: {bad}",
            kind.to_string(),
            stats.gates,
            4_294_967_296.0 / secs,
            threads.unwrap_or_else(rayon::current_num_threads)
        );
        assert_eq!(bad, 0, "{} is wrong on some operand pair", kind);
    }
    Ok(())
}
