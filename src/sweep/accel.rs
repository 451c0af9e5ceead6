//! Accelerator sweeps: MAC arrays of several shapes, dataflows and arithmetics mapped onto a
//! network in parallel, into cycles, utilization, throughput, energy and area.

use rayon::prelude::*;

use super::Metric;
use super::table::{SweepRow, SweepTable};
use crate::accel::{
    Dataflow, EnergyBreakdown, MacArithmetic, MacArray, Network, NetworkMapping, map_network,
};
use crate::cost::CostTable;
use crate::{Error, Result};

/// Every dataflow the accelerator model has ([`Dataflow::ALL`]: broadcast and systolic), in
/// sweep order; a new [`Dataflow`] variant joins every sweep by adding it to that list.
pub const DATAFLOWS: &[Dataflow] = &Dataflow::ALL;

/// A grid of accelerators: `base` with each shape, dataflow and arithmetic.
#[derive(Clone, Debug, PartialEq)]
pub struct AccelSpace {
    /// Everything not swept (clock, SRAM, ports, DRAM) comes from here.
    pub base: MacArray,
    /// (rows, cols) of the MAC array.
    pub shapes: Vec<(u32, u32)>,
    /// Dataflows ([`DATAFLOWS`] for all).
    pub dataflows: Vec<Dataflow>,
    /// MAC arithmetics.
    pub arithmetics: Vec<MacArithmetic>,
}

impl AccelSpace {
    /// Every array of the grid, shapes outermost, named like `128x64 output stationary INT8 ->
    /// INT32`.
    ///
    /// # Errors
    ///
    /// As [`MacArrayBuilder::build`](crate::accel::MacArrayBuilder::build) (a zero-sized
    /// shape, an unsupported arithmetic).
    pub fn points(&self) -> Result<Vec<MacArray>> {
        let mut out = Vec::new();
        for &(rows, cols) in &self.shapes {
            for &df in &self.dataflows {
                for &ar in &self.arithmetics {
                    let a = self
                        .base
                        .to_builder()
                        .rows(rows)
                        .cols(cols)
                        .arithmetic(ar)
                        .dataflow(df)
                        .name(format!("{rows}x{cols} {df} {ar}"))
                        .build()?;
                    out.push(a);
                }
            }
        }
        Ok(out)
    }
}

/// A mapped configuration, what accelerator metrics read.
#[derive(Clone, Debug)]
pub struct AccelEval {
    /// The array.
    pub array: MacArray,
    /// The network mapped onto it.
    pub mapping: NetworkMapping,
    /// Energy of one pass of the network, priced with the sweep's table.
    pub energy: EnergyBreakdown,
    /// Area of one MAC from the table (multiplier plus accumulator adder), if it has one.
    pub mac_area_um2: Option<f64>,
}

/// The default accelerator metrics: cycles per inference, latency (ms), inferences per second,
/// utilization, energy per inference (mJ, midpoint of the table's range), MAC-array area
/// (mm², from the table; NaN when it has no area) and peak TOPS.
#[must_use]
pub fn accel_metrics() -> Vec<Metric<AccelEval>> {
    vec![
        Metric::new("cycles", |e: &AccelEval| Ok(e.mapping.cycles() as f64)),
        Metric::new(
            "latency (ms)",
            |e: &AccelEval| Ok(1e3 * e.mapping.seconds()),
        ),
        Metric::new("inferences/s", |e: &AccelEval| {
            Ok(e.mapping.inferences_per_s())
        }),
        Metric::new("utilization", |e: &AccelEval| Ok(e.mapping.utilization())),
        Metric::new("energy (mJ per inference)", |e: &AccelEval| {
            Ok(e.energy.total_pj().mid() * 1e-9)
        }),
        Metric::new("MAC area (mm²)", |e: &AccelEval| {
            Ok(e.mac_area_um2
                .map_or(f64::NAN, |a| a * e.array.macs() as f64 * 1e-6))
        }),
        Metric::new("peak TOPS", |e: &AccelEval| Ok(e.array.peak_tops())),
    ]
}

/// Maps `network` onto every array, prices it with `table` and computes `metrics`, in
/// parallel on rayon's current pool; rows in the arrays' order, independent of the number of
/// threads.
///
/// # Errors
///
/// [`Error::InvalidParameter`] for no arrays; [`map_network`]'s, the pricing's or a metric's
/// error.
///
/// # Examples
///
/// ```
/// use arithsim::accel::{fsd_npu, MacArithmetic, Network};
/// use arithsim::cost::CostTable;
/// use arithsim::sweep::{AccelSpace, DATAFLOWS, accel_metrics, sweep_accel};
///
/// let space = AccelSpace {
///     base: fsd_npu(),
///     shapes: vec![(32, 32), (128, 128)],
///     dataflows: DATAFLOWS.to_vec(),
///     arithmetics: vec![MacArithmetic::INT8_INT32],
/// };
/// let net = Network::resnet50_v1_5(1)?;
/// let t = sweep_accel("ResNet-50", &space.points()?, &net, &CostTable::horowitz_45nm(),
///                     &accel_metrics())?;
/// assert_eq!(t.rows.len(), 2 * DATAFLOWS.len());
/// let cycles = t.metric("cycles")?;
/// // Rows run shape-major: the 32×32 array's dataflows first, then the 128×128 array's.
/// assert!(cycles[0] > cycles[DATAFLOWS.len()]); // 32×32 takes longer than 128×128
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn sweep_accel(
    title: &str,
    arrays: &[MacArray],
    network: &Network,
    table: &CostTable,
    metrics: &[Metric<AccelEval>],
) -> Result<SweepTable> {
    if arrays.is_empty() {
        return Err(Error::param(
            "arrays",
            0,
            "a sweep needs at least one array",
        ));
    }
    let rows = arrays
        .par_iter()
        .map(|a| {
            let mapping = map_network(a, network)?;
            let energy = mapping.energy(table)?;
            let eval = AccelEval {
                mac_area_um2: a.arithmetic.mac_area_um2(table)?,
                array: a.clone(),
                mapping,
                energy,
            };
            Ok(SweepRow {
                label: a.name.clone(),
                config: vec![
                    format!("{}x{}", a.rows, a.cols),
                    a.dataflow.to_string(),
                    a.arithmetic.to_string(),
                ],
                metrics: metrics
                    .iter()
                    .map(|m| m.eval(&eval))
                    .collect::<Result<_>>()?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(SweepTable {
        title: title.to_string(),
        config_columns: vec!["array".into(), "dataflow".into(), "arithmetic".into()],
        metric_columns: metrics.iter().map(|m| m.name().to_string()).collect(),
        rows,
    })
}
