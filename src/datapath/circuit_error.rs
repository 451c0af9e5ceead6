//! Error metrics of a circuit against a reference function: the figures approximate-
//! arithmetic papers and libraries (EvoApprox and others) publish, computed exhaustively for
//! small circuits and by seeded sampling for large ones, on the bit-parallel simulator.

use super::error_metrics::ErrorAccumulator;
use crate::circuits::multipliers::Signedness;
use crate::cost::SplitMix64;
use crate::gates::Netlist;
use crate::{Error, Result};

/// Circuits with at most this many input bits are evaluated on every input vector.
pub const EXHAUSTIVE_INPUT_BITS: usize = 16;

/// Vectors per simulator call.
const CHUNK: usize = 1 << 16;

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
/// assert_eq!((m.vectors, m.worst_abs, m.error_probability), (4, 1.0, 0.25));
/// assert_eq!((m.mean_abs, m.mean_rel, m.worst_rel), (0.25, 1.0, 1.0));
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ErrorMetrics {
    /// Input vectors evaluated.
    pub vectors: u64,
    /// Whether every input vector was evaluated (otherwise a seeded uniform sample).
    pub exhaustive: bool,
    /// Mean absolute error `mean |e|` (MAE, also "mean error distance").
    pub mean_abs: f64,
    /// Worst-case error `max |e|` (WCE).
    pub worst_abs: f64,
    /// Error probability: the fraction of vectors with `e ≠ 0` (EP, "error rate").
    pub error_probability: f64,
    /// Mean relative error `mean |e| / |exact|` over vectors with `exact ≠ 0` (MRED; 0 if
    /// every exact value is 0).
    pub mean_rel: f64,
    /// Mean squared error `mean e²` (MSE).
    pub mse: f64,
    /// Worst-case relative error `max |e| / |exact|` over `exact ≠ 0` (WCRE).
    pub worst_rel: f64,
}

impl ErrorMetrics {
    /// Runs `net` against `reference` and measures the error of output port `output`, read
    /// as an unsigned or two's-complement integer. `reference` gets each vector's input bit
    /// patterns in input-port order and returns the exact value.
    ///
    /// Every vector is evaluated when the input ports have at most
    /// [`EXHAUSTIVE_INPUT_BITS`] bits in total (`samples` and `seed` are then unused);
    /// otherwise `samples` uniform random vectors from SplitMix64 seeded with `seed`.
    /// Sums are in f64, so they are exact while every `|e|` and the sums stay below 2^53.
    ///
    /// # Errors
    /// [`Error::UnknownPort`] for an unknown output; [`Error::InvalidParameter`] for a
    /// circuit without inputs or registers, or no samples for a circuit too wide to
    /// enumerate.
    pub fn of(
        net: &Netlist,
        output: &str,
        signedness: Signedness,
        reference: impl Fn(&[u128]) -> i128,
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
        let mask = |w: usize| {
            if w >= 128 {
                u128::MAX
            } else {
                (1u128 << w) - 1
            }
        };
        let value = |v: u128| -> i128 {
            match signedness {
                Signedness::Signed if out_width < 128 && (v >> (out_width - 1)) & 1 == 1 => {
                    (v as i128).wrapping_sub(1i128 << out_width)
                }
                _ => v as i128,
            }
        };
        let mut rng = SplitMix64::new(seed);
        let mut acc = ErrorAccumulator::default();
        let mut cols: Vec<Vec<u128>> = vec![Vec::new(); widths.len()];
        let mut row = vec![0u128; widths.len()];
        let mut done = 0usize;
        while done < count {
            let n = CHUNK.min(count - done);
            for c in &mut cols {
                c.clear();
            }
            for k in 0..n {
                let v = (done + k) as u128;
                let mut shift = 0;
                for (c, &w) in cols.iter_mut().zip(&widths) {
                    c.push(if exhaustive {
                        (v >> shift) & mask(w)
                    } else {
                        ((u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64())) & mask(w)
                    });
                    shift += w;
                }
            }
            let named: Vec<(&str, &[u128])> = net
                .inputs()
                .iter()
                .zip(&cols)
                .map(|(p, c)| (p.name(), c.as_slice()))
                .collect();
            let out = net.eval_u128(&named)?;
            for (k, &o) in out.get(output)?.iter().enumerate() {
                for (r, c) in row.iter_mut().zip(&cols) {
                    *r = c[k];
                }
                let exact = reference(&row);
                let e = value(o).abs_diff(exact);
                acc.add(e as f64, exact as f64);
            }
            done += n;
        }
        let n = acc.count as f64;
        Ok(ErrorMetrics {
            vectors: acc.count,
            exhaustive,
            mean_abs: acc.sum_abs / n,
            worst_abs: acc.max_abs,
            error_probability: acc.wrong as f64 / n,
            mean_rel: if acc.nonzero_refs == 0 {
                0.0
            } else {
                acc.sum_rel / acc.nonzero_refs as f64
            },
            mse: acc.mse(),
            worst_rel: acc.max_rel,
        })
    }
}
