//! What the exhaustive bit-sliced checks share (`exhaustive_fp16`, `exhaustive_convert`):
//! several units (one netlist per rounding mode) simulated on the same inputs, the swept
//! input's low 11 bits laid out once as lane and word patterns, and each word's 64
//! reference results transposed once (a 64×64 bit transpose) into the circuit's output
//! layout and XORed with the output words; a lane mismatches if any output bit differs.
//!
//! The work is split into independent chunks (values of the inputs held constant over a
//! batch) and run on rayon's pool: each chunk builds its own simulators and returns a
//! [`Tally`]; tallies are merged in chunk order and examples sorted, so the outcome does not
//! depend on the number of threads.

use arithsim::float::{FloatEnv, FloatFormat, StatusAnd};
use arithsim::gates::{Netlist, Simulator, Wire, transpose64};
use arithsim::round::{Discarded, RoundingMode, round};

/// Words per wire and batch: 2048 vectors: with one simulator per mode, a small batch keeps each one in L2 (32 words ran the seven-mode check in 0.53 of the CPU time of 128 words, measured).
pub const WORDS: usize = 32;
/// Low bits of the swept input that are lane and word patterns (the same in every batch).
pub const BATCH_BITS: usize = 11;

/// A unit under test, built for one rounding mode.
pub struct Unit {
    /// The mode it was built for (fixed in the circuit).
    pub mode: RoundingMode,
    /// The netlist.
    pub net: Netlist,
    /// Output wires in [`pack`]'s bit order: `y`, then invalid, overflow, underflow, inexact.
    pub outs: Vec<Wire>,
}

impl Unit {
    /// Wraps `net`, finding its outputs.
    pub fn new(mode: RoundingMode, net: Netlist) -> arithsim::Result<Unit> {
        let mut outs = net.output("y")?.wires().to_vec();
        for flag in ["invalid", "overflow", "underflow", "inexact"] {
            outs.push(net.output(flag)?.wires()[0]);
        }
        Ok(Unit { mode, net, outs })
    }
}

/// A soft-float result as the circuit's output bits: `y` (`width` bits), then invalid,
/// overflow, underflow, inexact.
#[inline(always)]
pub fn pack(r: StatusAnd<u64>, width: u32) -> u64 {
    // Flags bits: invalid 1, division by zero 2, overflow 4, underflow 8, inexact 16.
    let f = u64::from(r.flags.bits());
    r.value | (f & 1) << width | (f >> 2 & 7) << (width + 1)
}

/// What a chunk found.
#[derive(Default)]
pub struct Tally {
    /// Mismatching lanes per unit.
    pub bad: Vec<u64>,
    /// Up to 8 mismatches per chunk: (unit index, swept input, other input, expected, got).
    pub examples: Vec<(usize, u64, u64, u64, u64)>,
    /// Seconds in the simulator (all units).
    pub sim_secs: f64,
    /// Seconds computing and comparing the reference.
    pub ref_secs: f64,
}

impl Tally {
    /// Adds `other` into `self` (counts and times summed, examples appended).
    pub fn merge(mut self, other: Tally) -> Tally {
        if self.bad.len() < other.bad.len() {
            self.bad.resize(other.bad.len(), 0);
        }
        for (a, b) in self.bad.iter_mut().zip(&other.bad) {
            *a += b;
        }
        self.examples.extend(other.examples);
        self.sim_secs += other.sim_secs;
        self.ref_secs += other.ref_secs;
        self
    }
}

/// One simulator per unit, with the swept input's low [`BATCH_BITS`] preset, and the
/// expected output words of the current batch per unit.
pub struct Bench<'n> {
    units: &'n [Unit],
    sims: Vec<Simulator<'n>>,
    /// Expected output words per unit, in the simulator's layout: `outs.len() × WORDS`.
    want: Vec<Vec<u64>>,
}

impl<'n> Bench<'n> {
    /// Simulators for `units`; input `swept` gets the lane patterns in its bits 0..6 and the
    /// word index in bits 6..11; every other input starts at 0.
    pub fn new(units: &'n [Unit], swept: &str) -> arithsim::Result<Bench<'n>> {
        let mut sims = Vec::with_capacity(units.len());
        for u in units {
            let mut sim = Simulator::new(&u.net, WORDS)?;
            for p in u.net.inputs() {
                for &w in p.wires() {
                    sim.input_words_mut(w)?.fill(0);
                }
            }
            for (i, &w) in u
                .net
                .input(swept)?
                .wires()
                .iter()
                .enumerate()
                .take(BATCH_BITS)
            {
                for (t, x) in sim.input_words_mut(w)?.iter_mut().enumerate() {
                    *x = if i < 6 {
                        (0..64u64)
                            .filter(|l| l >> i & 1 == 1)
                            .fold(0, |m, l| m | 1 << l)
                    } else if (t >> (i - 6)) & 1 == 1 {
                        !0
                    } else {
                        0
                    };
                }
            }
            sims.push(sim);
        }
        let want = units
            .iter()
            .map(|u| vec![0; u.outs.len() * WORDS])
            .collect();
        Ok(Bench { units, sims, want })
    }

    /// Holds bits `from..` of input `name` at the bits of `value` in every lane.
    pub fn hold(&mut self, name: &str, value: u64, from: usize) -> arithsim::Result<()> {
        for (u, sim) in self.units.iter().zip(&mut self.sims) {
            for (i, &w) in u.net.input(name)?.wires().iter().enumerate().skip(from) {
                sim.input_words_mut(w)?
                    .fill(if value >> i & 1 == 1 { !0 } else { 0 });
            }
        }
        Ok(())
    }

    /// Sets word `t` of every unit's expected outputs from its 64 lanes' packed results
    /// (`lanes[k]` for unit `k`). As many units as fit are packed side by side into one
    /// 64-bit lane word (three 20-bit FP16 results, five 12-bit FP8 ones), so one 64×64
    /// transpose serves several modes.
    #[inline]
    pub fn expect_word(&mut self, t: usize, lanes: &[[u64; 64]]) {
        let mut k0 = 0;
        while k0 < self.units.len() {
            let n = self.units[k0].outs.len();
            let per = (64 / n).max(1);
            let k1 = (k0 + per).min(self.units.len());
            let mut m = [0u64; 64];
            for (i, l) in lanes[k0..k1].iter().enumerate() {
                for (x, &v) in m.iter_mut().zip(l) {
                    *x |= v << (n * i);
                }
            }
            transpose64(&mut m);
            for (i, want) in self.want[k0..k1].iter_mut().enumerate() {
                for j in 0..n {
                    want[j * WORDS + t] = m[n * i + j];
                }
            }
            k0 = k1;
        }
    }

    /// Evaluates every unit (one after the other, so one simulator's words are in cache at a
    /// time) and counts the lanes whose outputs differ from the expected words into `tally`;
    /// `inputs(t, l)` names the operands of word `t`, lane `l` for the examples.
    pub fn eval_and_check(
        &mut self,
        tally: &mut Tally,
        inputs: impl Fn(usize, usize) -> (u64, u64),
    ) -> arithsim::Result<()> {
        if tally.bad.len() < self.units.len() {
            tally.bad.resize(self.units.len(), 0);
        }
        for (k, (u, sim)) in self.units.iter().zip(&mut self.sims).enumerate() {
            sim.eval();
            let want = &self.want[k];
            let mut diff = [0u64; WORDS];
            for (j, &w) in u.outs.iter().enumerate() {
                let got = sim.wire_words(w)?;
                for ((d, g), e) in diff.iter_mut().zip(got).zip(&want[j * WORDS..]) {
                    *d |= g ^ e;
                }
            }
            for (t, &d) in diff.iter().enumerate() {
                if d == 0 {
                    continue;
                }
                tally.bad[k] += u64::from(d.count_ones());
                let mut d = d;
                while d != 0 && tally.examples.len() < 8 {
                    let l = d.trailing_zeros() as usize;
                    d &= d - 1;
                    let (mut g, mut e) = (0u64, 0u64);
                    for (j, &w) in u.outs.iter().enumerate() {
                        g |= (sim.wire_words(w)?[t] >> l & 1) << j;
                        e |= (want[j * WORDS + t] >> l & 1) << j;
                    }
                    let (x, y) = inputs(t, l);
                    tally.examples.push((k, x, y, e, g));
                }
            }
        }
        Ok(())
    }
}

/// Runs `f` on rayon's global pool, or on a pool of `threads` threads when given.
pub fn on_threads<R: Send>(
    threads: Option<usize>,
    f: impl FnOnce() -> R + Send,
) -> Result<R, Box<dyn std::error::Error>> {
    match threads {
        Some(n) => Ok(rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()?
            .install(f)),
        None => Ok(f()),
    }
}

/// The reference's rounding into one target format in several modes: an exact value is
/// split once ([`Target::prepare`]: kept significand, discarded fraction, exponent field,
/// tininess) and rounded per mode by the crate's one rounding step,
/// [`arithsim::round::round`], followed by the packing [`FloatFormat::round_pack`] does
/// (carry into the next binade, overflow by mode and policy, underflow after rounding).
/// Overflow results are taken from the soft float itself, once per mode and sign.
pub struct Target {
    m: u32,
    emin: i32,
    bias: i32,
    width: u32,
    max_finite: u64,
    sign_bit: u64,
    modes: Vec<RoundingMode>,
    /// Packed overflow result per mode, for positive and negative.
    overflow: Vec<[u64; 2]>,
}

/// An exact non-zero finite value prepared for rounding into a [`Target`].
#[derive(Clone, Copy, Default)]
pub struct Prepared {
    neg: bool,
    kept: u64,
    disc: Discarded,
    /// The exponent field minus one, in place (0 for subnormal results).
    hi: u64,
    /// Tiny before rounding.
    tiny: bool,
    /// Tiny only if rounding to full precision does not carry to the smallest normal: the
    /// full-precision kept bits and discarded fraction.
    edge: Option<(u64, Discarded)>,
}

impl Target {
    /// The target `f` under `envs` (one per mode; the overflow policy comes from them).
    pub fn new(f: FloatFormat, envs: &[FloatEnv]) -> Target {
        let overflow = envs
            .iter()
            .map(|env| {
                [false, true].map(|neg| pack(f.round_pack(neg, 1, 10_000, false, env), f.width()))
            })
            .collect();
        Target {
            m: f.man_bits(),
            emin: f.min_exponent(),
            bias: f.bias(),
            width: f.width(),
            max_finite: f.max_finite_bits(),
            sign_bit: f.sign_bit(),
            modes: envs.iter().map(|e| e.rounding).collect(),
            overflow,
        }
    }

    /// Splits `(−1)^neg × sig × 2^(e − 63)` (`sig`'s leading one at bit 63, nothing lost
    /// below it) for rounding.
    #[inline(always)]
    pub fn prepare(&self, neg: bool, sig: u64, e: i32) -> Prepared {
        debug_assert!(sig >> 63 == 1);
        let m = self.m;
        let full = (
            sig >> (63 - m),
            Discarded {
                top: sig << (m + 1),
                sticky: false,
            },
        );
        if e >= self.emin {
            return Prepared {
                neg,
                kept: full.0,
                disc: full.1,
                hi: ((e + self.bias - 1) as u64) << m,
                tiny: false,
                edge: None,
            };
        }
        let s = (63 - m) as i32 + (self.emin - e);
        let (kept, disc) = if s < 64 {
            (
                sig >> s,
                Discarded {
                    top: sig << (64 - s),
                    sticky: false,
                },
            )
        } else if s < 128 {
            let lost = s > 64 && sig & ((1u64 << (s - 64)) - 1) != 0;
            (
                0,
                Discarded {
                    top: if s == 64 { sig } else { sig >> (s - 64) },
                    sticky: lost,
                },
            )
        } else {
            (
                0,
                Discarded {
                    top: 0,
                    sticky: true,
                },
            )
        };
        Prepared {
            neg,
            kept,
            disc,
            hi: 0,
            tiny: true,
            edge: (e == self.emin - 1).then_some(full),
        }
    }

    /// The packed result (`value | flags << width` as [`pack`]) of `p` in mode number `k`.
    #[inline(always)]
    pub fn round(&self, p: &Prepared, k: usize) -> u64 {
        let mode = self.modes[k];
        let r = round(p.neg, u128::from(p.kept), p.disc, mode);
        let mag = p.hi + r.value as u64;
        if mag > self.max_finite {
            return self.overflow[k][usize::from(p.neg)];
        }
        let tiny = p.tiny
            && match p.edge {
                None => true,
                Some((kept, disc)) => {
                    round(p.neg, u128::from(kept), disc, mode).value >> (self.m + 1) == 0
                }
            };
        let sign = if p.neg { self.sign_bit } else { 0 };
        let w = self.width;
        sign | mag | u64::from(tiny && r.inexact) << (w + 2) | u64::from(r.inexact) << (w + 3)
    }
}
