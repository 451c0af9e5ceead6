//! Design-space sweeps: grids of circuit or accelerator configurations evaluated in parallel
//! into rows of metrics, the Pareto front over chosen objectives, and the results as
//! text, Markdown, CSV or JSON (the shared renderers of [`crate::cost::report`]) with SVG
//! scatter plots whose front is highlighted.
//!
//! - Circuits: [`CircuitPoint`]s from any generator ([`multiplier_space`], [`adder_space`],
//!   or [`CircuitPoint::new`] around an FP unit, MAC, ...), [`sweep_circuits`] with
//!   [`circuit_metrics`] (gates, depth, area, delay, zero-delay energy).
//! - Accelerators: an [`AccelSpace`] of array shapes × [`DATAFLOWS`] × arithmetics,
//!   [`sweep_accel`] over a [`Network`](crate::accel::Network) with [`accel_metrics`]
//!   (cycles, utilization, throughput, energy per inference, area).
//! - Metrics are lists of [`Metric`]s: a new column (glitch-aware energy, an error metric of
//!   an approximate circuit) is one more entry.
//!
//! **Parallelism.** Points are evaluated with rayon on its current pool: all cores by
//! default, `RAYON_NUM_THREADS=N` in the environment, or [`with_threads`] for one call.
//! Each point's evaluation is deterministic (fixed seeds) and rows keep the grid's order, so
//! the table is the same for every thread count (tested).
//!
//! # Examples
//!
//! ```
//! use arithsim::circuits::adders::AdderKind;
//! use arithsim::circuits::multipliers::{PartialProducts, Reduction, Signedness};
//! use arithsim::gates::CellLibrary;
//! use arithsim::sweep::{Objective, circuit_metrics, multiplier_space, sweep_circuits};
//!
//! let points = multiplier_space(&[8], &[Signedness::Unsigned], &PartialProducts::ALL,
//!                               &[Reduction::Array, Reduction::Dadda],
//!                               &[AdderKind::RippleCarry, AdderKind::KoggeStone]);
//! assert_eq!(points.len(), 2 * 2 * 2); // AND array and Booth (Baugh-Wooley is signed only)
//! let t = sweep_circuits("8x8", &points, &CellLibrary::nangate45(), 1024, 1,
//!                        &circuit_metrics())?;
//! let front = t.front(&[Objective::min("area (µm²)"), Objective::min("delay (ns)")])?;
//! assert!(!front.is_empty() && front.len() < points.len());
//! # Ok::<(), arithsim::Error>(())
//! ```

mod accel;
mod circuit;
mod metric;
mod pareto;
mod table;

pub use accel::{AccelEval, AccelSpace, DATAFLOWS, accel_metrics, sweep_accel};
pub use circuit::{
    CircuitEval, CircuitPoint, adder_space, circuit_metrics, glitch_energy_metric,
    multiplier_space, sweep_circuits,
};
pub use metric::Metric;
pub use pareto::{Objective, Sense, pareto_front};
pub use table::{SweepRow, SweepTable, render, write};

use crate::{Error, Result};

/// Runs `f` on a rayon pool of `threads` threads (`0`: rayon's default, all cores or
/// `RAYON_NUM_THREADS`), so the sweeps and other parallel paths inside `f` use that many.
///
/// # Errors
///
/// [`Error::Unsupported`] if the pool cannot be created.
///
/// # Examples
///
/// ```
/// use arithsim::sweep::with_threads;
/// assert_eq!(with_threads(1, rayon::current_num_threads)?, 1);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn with_threads<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> Result<R> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Unsupported(format!("cannot start {threads} threads: {e}")))?;
    Ok(pool.install(f))
}
