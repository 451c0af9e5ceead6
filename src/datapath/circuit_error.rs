//! Error metrics of a circuit against a reference function: the figures approximate-
//! arithmetic papers and libraries (EvoApprox and others) publish, computed exhaustively for
//! circuits of up to 24 input bits and by seeded sampling above, on the bit-parallel
//! simulator, in parallel over chunks of input vectors (rayon).
//!
//! **Reproducibility.** Vectors are cut into fixed chunks of 2^16; a sampled chunk draws from
//! its own SplitMix64 seeded from `(seed, chunk index)`. Each chunk's sums are computed
//! alone and the partial sums are merged in chunk order, so the result is bit-identical on
//! any number of threads.
//!
//! **Valid-input domain.** EvoApproxLib characterizes its signed 8-bit adders only on operand
//! pairs whose exact sum fits the output ([`InputDomain::ResultFits`]); other domains are a
//! predicate ([`InputDomain::Custom`]). Vectors outside the domain are not counted.
//!
//! **Worst relative error.** `|e| / |exact|` peaks where the exact value is small, which
//! uniform samples of a wide circuit almost never reach. When sampling, a search adds to the
//! samples: from every combination of small operands (0, 1, 2, 3, −1, −2, the most negative)
//! and from random vectors, it flips single input bits while that raises the relative error,
//! or keeps it and moves the exact value closer to zero. Its vectors only raise
//! `max_rel`; the means and `count` are the samples'.

use rayon::prelude::*;

use super::error_metrics::ErrorAccumulator;
use rand_core::{Rng, SeedableRng};

use crate::circuits::multipliers::Signedness;
use crate::cost::SplitMix64;
use crate::gates::{BatchOutput, Netlist, Simulator};
use crate::{Error, Result};

/// Circuits with at most this many input bits are evaluated on every input vector.
pub const EXHAUSTIVE_INPUT_BITS: usize = 24;

/// Vectors per chunk (one unit of parallel work, with its own simulator).
const CHUNK: usize = 1 << 16;

/// Vectors per simulator call within a chunk: 64 words of 64 lanes, so that one block's
/// operands, outputs and wire words stay in a core's own cache (a whole chunk at once is
/// 3 MiB of operands and outputs for two 12-bit inputs, which the two cores then stream
/// through the shared cache and memory).
const BLOCK: usize = 64 * 64;

/// Starting points and rounds of the near-zero search.
const SEARCH_RANDOM_SEEDS: usize = 32;
const SEARCH_ROUNDS: usize = 48;

/// Which input vectors an [`ErrorMetrics`] run counts.
#[derive(Clone, Copy, Default)]
pub enum InputDomain<'a> {
    /// Every input vector.
    #[default]
    All,
    /// Only vectors whose exact value fits the output port read with the run's signedness
    /// (as EvoApproxLib characterizes its signed adders: no overflow).
    ResultFits,
    /// Only vectors (input bit patterns in input-port order) for which the predicate holds.
    Custom(&'a (dyn Fn(&[u128]) -> bool + Sync)),
}

impl std::fmt::Debug for InputDomain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            InputDomain::All => "All",
            InputDomain::ResultFits => "ResultFits",
            InputDomain::Custom(_) => "Custom(..)",
        })
    }
}

/// Error of a circuit's output against the exact value, over every input vector or a seeded
/// sample; `e = output − exact` for each vector.
///
/// # Examples
///
/// A 1×1 "multiplier" whose product lands one bit too high (so it is off by `a·b`):
///
/// ```
/// use arithsim::circuits::multipliers::Signedness;
/// use arithsim::datapath::ErrorMetrics;
/// use arithsim::gates::Builder;
///
/// let mut b = Builder::new();
/// let x = b.input("a", 1)?;
/// let y = b.input("b", 1)?;
/// let p = b.and(x[0], y[0]);
/// let z = b.zero();
/// b.output("p", &[z, p])?; // 2·(a·b): wrong by a·b
/// let net = b.finish()?;
/// let m = ErrorMetrics::of(&net, "p", Signedness::Unsigned, |v| (v[0] * v[1]) as i128, 0, 0)?;
/// assert!(m.exhaustive);
/// assert_eq!((m.count, m.max_abs, m.error_probability), (4, 1.0, 0.25));
/// assert_eq!((m.mean_abs, m.mean_rel, m.max_rel), (0.25, 1.0, 1.0));
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ErrorMetrics {
    /// Input vectors evaluated in the domain (the same name as [`ErrorStats::count`]).
    ///
    /// [`ErrorStats::count`]: super::ErrorStats::count
    pub count: u64,
    /// Vectors evaluated and left out because they are outside the domain.
    pub out_of_domain: u64,
    /// Whether every input vector was evaluated (otherwise a seeded uniform sample).
    pub exhaustive: bool,
    /// Mean absolute error `mean |e|` (MAE, also "mean error distance").
    pub mean_abs: f64,
    /// Worst-case error `max |e|` (WCE).
    pub max_abs: f64,
    /// Error probability: the fraction of vectors with `e ≠ 0` (EP, "error rate").
    pub error_probability: f64,
    /// Mean relative error `mean |e| / |exact|` over vectors with `exact ≠ 0` (MRED; 0 if
    /// every exact value is 0).
    pub mean_rel: f64,
    /// Mean squared error (MSE).
    pub mse: f64,
    /// Worst-case relative error `max |e| / |exact|` over `exact ≠ 0` (WCRE; when sampling,
    /// the larger of the samples' and the near-zero search's).
    pub max_rel: f64,
}

/// What one run needs to evaluate a batch of vectors.
struct Run<'a, R> {
    net: &'a Netlist,
    output: &'a str,
    widths: Vec<usize>,
    out_width: u32,
    signedness: Signedness,
    domain: InputDomain<'a>,
    reference: &'a R,
}

fn mask(w: usize) -> u128 {
    if w >= 128 {
        u128::MAX
    } else {
        (1u128 << w) - 1
    }
}

impl<R: Fn(&[u128]) -> i128 + Sync> Run<'_, R> {
    fn value(&self, v: u128) -> i128 {
        let w = self.out_width;
        match self.signedness {
            Signedness::Signed if w < 128 && (v >> (w - 1)) & 1 == 1 => {
                (v as i128).wrapping_sub(1i128 << w)
            }
            _ => v as i128,
        }
    }

    fn fits(&self, exact: i128) -> bool {
        let w = self.out_width;
        if w >= 127 {
            return true;
        }
        match self.signedness {
            Signedness::Signed => {
                let h = 1i128 << (w - 1);
                (-h..h).contains(&exact)
            }
            Signedness::Unsigned => (0..1i128 << w).contains(&exact),
        }
    }

    /// Calls `each(index, input row, exact, |e|)` for every vector of `cols` in the domain;
    /// returns the number left out.
    fn eval(
        &self,
        sim: &mut Simulator<'_>,
        out: &mut BatchOutput,
        cols: &[Vec<u128>],
        mut each: impl FnMut(usize, &[u128], i128, u128),
    ) -> Result<u64> {
        let named: Vec<(&str, &[u128])> = self
            .net
            .inputs()
            .iter()
            .zip(cols)
            .map(|(p, c)| (p.name(), c.as_slice()))
            .collect();
        sim.run(&named, out)?;
        let mut row = vec![0u128; cols.len()];
        let mut skipped = 0;
        for (k, &o) in out.get(self.output)?.iter().enumerate() {
            for (r, c) in row.iter_mut().zip(cols) {
                *r = c[k];
            }
            let exact = (self.reference)(&row);
            let inside = match self.domain {
                InputDomain::All => true,
                InputDomain::ResultFits => self.fits(exact),
                InputDomain::Custom(f) => f(&row),
            };
            if inside {
                each(k, &row, exact, self.value(o).abs_diff(exact));
            } else {
                skipped += 1;
            }
        }
        Ok(skipped)
    }

    /// A simulator of `words` 64-lane words (at most [`BLOCK`] / 64) for `n` vectors.
    fn simulator(&self, n: usize) -> Result<Simulator<'_>> {
        Simulator::new(self.net, n.min(BLOCK).div_ceil(64).max(1))
    }

    /// One chunk: vectors `k·CHUNK ..` (exhaustive) or `n` samples from the chunk's own seed,
    /// simulated [`BLOCK`] at a time in order.
    fn chunk(
        &self,
        k: usize,
        n: usize,
        exhaustive: bool,
        seed: u64,
    ) -> Result<(ErrorAccumulator, u64)> {
        let mut rng =
            SplitMix64::seed_from_u64(seed ^ (k as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
        let mut sim = self.simulator(n)?;
        let mut out = BatchOutput::default();
        let mut cols: Vec<Vec<u128>> = vec![Vec::with_capacity(n.min(BLOCK)); self.widths.len()];
        let mut acc = ErrorAccumulator::default();
        let mut skipped = 0;
        for start in (0..n).step_by(BLOCK) {
            cols.iter_mut().for_each(Vec::clear);
            for i in start..n.min(start + BLOCK) {
                let v = (k * CHUNK + i) as u128;
                let mut shift = 0;
                for (c, &w) in cols.iter_mut().zip(&self.widths) {
                    c.push(if exhaustive {
                        (v >> shift) & mask(w)
                    } else {
                        ((u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64())) & mask(w)
                    });
                    shift += w;
                }
            }
            skipped += self.eval(&mut sim, &mut out, &cols, |_, _, exact, e| {
                acc.add(e as f64, exact as f64);
            })?;
        }
        Ok((acc, skipped))
    }

    /// The largest relative error the near-zero search finds (see the module docs).
    fn search(&self, seed: u64) -> Result<f64> {
        let total: usize = self.widths.iter().sum();
        let small = |w: usize| -> Vec<u128> {
            let mut v = vec![0, 1, 2, 3, mask(w), mask(w) - 1, 1u128 << (w - 1)];
            v.iter_mut().for_each(|x| *x &= mask(w));
            v.sort_unstable();
            v.dedup();
            v
        };
        // starting points: every combination of small operands (if few), then random ones
        let mut seeds: Vec<Vec<u128>> = vec![Vec::new()];
        for &w in &self.widths {
            if seeds.len() > 512 {
                break;
            }
            seeds = seeds
                .into_iter()
                .flat_map(|s| {
                    small(w).into_iter().map(move |x| {
                        let mut t = s.clone();
                        t.push(x);
                        t
                    })
                })
                .collect();
        }
        let mut rng = SplitMix64::seed_from_u64(seed ^ 0x5EA2_C4E5);
        seeds.retain(|s| s.len() == self.widths.len());
        for _ in 0..SEARCH_RANDOM_SEEDS {
            seeds.push(
                self.widths
                    .iter()
                    .map(|&w| {
                        ((u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64())) & mask(w)
                    })
                    .collect(),
            );
        }
        // score: (relative error, closeness of the exact value to zero)
        let score = |exact: i128, e: u128| -> (f64, f64) {
            if exact == 0 {
                (0.0, f64::NEG_INFINITY)
            } else {
                (
                    e as f64 / exact.unsigned_abs() as f64,
                    -(exact.unsigned_abs() as f64),
                )
            }
        };
        let mut best = 0.0f64;
        let mut current: Vec<(Vec<u128>, (f64, f64))> = seeds
            .into_iter()
            .map(|s| (s, (0.0, f64::NEG_INFINITY)))
            .collect();
        let mut out = BatchOutput::default();
        for round in 0..=SEARCH_ROUNDS {
            // round 0 scores the seeds; later rounds every single-bit neighbour
            let mut cols: Vec<Vec<u128>> = vec![Vec::new(); self.widths.len()];
            let mut owner = Vec::new();
            for (i, (s, _)) in current.iter().enumerate() {
                let flips = if round == 0 { 0..1 } else { 0..total };
                for bit in flips {
                    let mut t = s.clone();
                    if round > 0 {
                        let (mut port, mut b) = (0, bit);
                        while b >= self.widths[port] {
                            b -= self.widths[port];
                            port += 1;
                        }
                        t[port] ^= 1u128 << b;
                    }
                    for (c, x) in cols.iter_mut().zip(&t) {
                        c.push(*x);
                    }
                    owner.push(i);
                }
            }
            let mut next = current.clone();
            let mut improved = false;
            let mut sim = self.simulator(owner.len())?;
            self.eval(&mut sim, &mut out, &cols, |j, row, exact, e| {
                let sc = score(exact, e);
                best = best.max(sc.0);
                let i = owner[j];
                if sc.0 > next[i].1.0 || (sc.0 == next[i].1.0 && sc.1 > next[i].1.1) {
                    next[i] = (row.to_vec(), sc);
                    improved = true;
                }
            })?;
            current = next;
            if round > 0 && !improved {
                break;
            }
        }
        Ok(best)
    }
}

impl ErrorMetrics {
    /// Root-mean-square error `sqrt(mse)`, in the output's units (the statistic
    /// [`ErrorStats::rms`](super::ErrorStats::rms) holds for kernel outputs).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::circuits::multipliers::Signedness;
    /// use arithsim::datapath::ErrorMetrics;
    /// use arithsim::gates::Builder;
    ///
    /// // An output stuck at 0 against `a + b` on 1-bit inputs: errors 0, 1, 1, 2.
    /// let mut b = Builder::new();
    /// let _x = b.input("a", 1)?;
    /// let _y = b.input("b", 1)?;
    /// let z = b.zero();
    /// b.output("s", &[z, z])?;
    /// let net = b.finish()?;
    /// let m = ErrorMetrics::of(&net, "s", Signedness::Unsigned, |v| (v[0] + v[1]) as i128, 0, 0)?;
    /// assert_eq!((m.mse, m.rms()), (1.5, 1.5f64.sqrt()));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    #[must_use]
    pub fn rms(&self) -> f64 {
        self.mse.sqrt()
    }

    /// Runs `net` against `reference` and measures the error of output port `output`, read
    /// as an unsigned or two's-complement integer, over every input vector: as
    /// [`ErrorMetrics::of_domain`] with [`InputDomain::All`].
    ///
    /// # Errors
    /// As [`ErrorMetrics::of_domain`].
    pub fn of(
        net: &Netlist,
        output: &str,
        signedness: Signedness,
        reference: impl Fn(&[u128]) -> i128 + Sync,
        samples: usize,
        seed: u64,
    ) -> Result<Self> {
        Self::of_domain(
            net,
            output,
            signedness,
            reference,
            InputDomain::All,
            samples,
            seed,
        )
    }

    /// Runs `net` against `reference` and measures the error of output port `output`, read
    /// as an unsigned or two's-complement integer, over the vectors in `domain`.
    /// `reference` gets each vector's input bit patterns in input-port order and returns the
    /// exact value.
    ///
    /// Every vector is evaluated when the input ports have at most
    /// [`EXHAUSTIVE_INPUT_BITS`] bits in total (`samples` and `seed` are then unused);
    /// otherwise `samples` uniform random vectors (those outside the domain are drawn and
    /// left out) and the near-zero search for the worst relative error (module docs). Sums
    /// are in f64, so they are exact while every `|e|` and the sums stay below 2^53.
    ///
    /// # Errors
    /// [`Error::UnknownPort`] for an unknown output; [`Error::InvalidParameter`] for a
    /// circuit without inputs or with registers, no samples for a circuit too wide to
    /// enumerate, or a domain that no evaluated vector is in.
    ///
    /// # Examples
    ///
    /// An 8-bit signed adder measured on the operand pairs whose sum fits 8 bits, as
    /// EvoApproxLib does: the exact adder has no error there, though it wraps outside.
    ///
    /// ```
    /// use arithsim::circuits::adders::{AdderKind, adder_without_carry_in};
    /// use arithsim::circuits::multipliers::Signedness;
    /// use arithsim::datapath::{ErrorMetrics, InputDomain};
    ///
    /// let net = adder_without_carry_in(AdderKind::RippleCarry, 8)?;
    /// let s = |x: u128| x as u8 as i8 as i128;
    /// let sum = |v: &[u128]| s(v[0]) + s(v[1]);
    /// let d = ErrorMetrics::of_domain(&net, "sum", Signedness::Signed, sum, InputDomain::ResultFits, 0, 0)?;
    /// assert_eq!((d.count + d.out_of_domain, d.max_abs), (65536, 0.0));
    /// assert_eq!(d.out_of_domain, 16384); // a quarter of the pairs overflow
    /// let all = ErrorMetrics::of(&net, "sum", Signedness::Signed, sum, 0, 0)?;
    /// assert_eq!(all.max_abs, 256.0);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn of_domain(
        net: &Netlist,
        output: &str,
        signedness: Signedness,
        reference: impl Fn(&[u128]) -> i128 + Sync,
        domain: InputDomain<'_>,
        samples: usize,
        seed: u64,
    ) -> Result<Self> {
        let out_width = net.output(output)?.width() as u32;
        if net.inputs().is_empty() {
            return Err(Error::param(
                "circuit",
                "no inputs",
                "needs at least one input port",
            ));
        }
        if !net.registers().is_empty() {
            return Err(Error::param(
                "circuit",
                format!("{} registers", net.registers().len()),
                "error metrics take a combinational circuit",
            ));
        }
        let widths: Vec<usize> = net.inputs().iter().map(|p| p.width()).collect();
        let total: usize = widths.iter().sum();
        let exhaustive = total <= EXHAUSTIVE_INPUT_BITS;
        let count = if exhaustive { 1usize << total } else { samples };
        if count == 0 {
            return Err(Error::param(
                "samples",
                0,
                format!("a circuit with {total} input bits needs at least one sample"),
            ));
        }
        let run = Run {
            net,
            output,
            widths,
            out_width,
            signedness,
            domain,
            reference: &reference,
        };
        let parts: Vec<(ErrorAccumulator, u64)> = (0..count.div_ceil(CHUNK))
            .into_par_iter()
            .map(|k| run.chunk(k, CHUNK.min(count - k * CHUNK), exhaustive, seed))
            .collect::<Result<_>>()?;
        let mut acc = ErrorAccumulator::default();
        let mut out_of_domain = 0;
        for (a, s) in &parts {
            acc.merge(a);
            out_of_domain += s;
        }
        if acc.count == 0 {
            return Err(Error::param(
                "input domain",
                format!("{domain:?}"),
                format!("none of the {count} vectors evaluated is in it"),
            ));
        }
        let max_rel = if exhaustive {
            acc.max_rel
        } else {
            acc.max_rel.max(run.search(seed)?)
        };
        let n = acc.count as f64;
        Ok(ErrorMetrics {
            count: acc.count,
            out_of_domain,
            exhaustive,
            mean_abs: acc.sum_abs / n,
            max_abs: acc.max_abs,
            error_probability: acc.wrong as f64 / n,
            mean_rel: if acc.nonzero_refs == 0 {
                0.0
            } else {
                acc.sum_rel / acc.nonzero_refs as f64
            },
            mse: acc.mse(),
            max_rel,
        })
    }
}
