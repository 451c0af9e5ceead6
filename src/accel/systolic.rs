//! Systolic dataflows (output, weight and input stationary) with SCALE-Sim 3.0's cycle
//! model, and SCALE-Sim's own per-layer figures ([`scalesim_layer`]).
//!
//! # The model
//!
//! SCALE-Sim names a GEMM by the dataflow's spatial rows `Sr`, spatial columns `Sc` and
//! temporal length `T`; with `P` output pixels, `K` the reduction and `C` output channels:
//!
//! | dataflow | `Sr` | `Sc` | `T` | cycles per fold |
//! |---|---|---|---|---|
//! | output stationary | `P` | `C` | `K` | `K + rows + cols − 2` |
//! | weight stationary | `K` | `C` | `P` | `2·rows + cols + P − 2` |
//! | input stationary | `K` | `P` | `C` | `2·rows + cols + C − 2` |
//!
//! There are `⌈Sr/rows⌉ · ⌈Sc/cols⌉` folds, each the full array's fill and drain (a partial
//! fold takes as long as a full one) and none overlapped with the next. Elements read from
//! SRAM are every operand entry a fold feeds in (no reuse across folds); elements written
//! are the fold's outputs, once per reduction fold for weight and input stationary (partial
//! sums). SCALE-Sim reports, besides, two conventions that [`ScaleSimCounts`] reproduces:
//! its "Total Cycles" is the *index of the last cycle* (cycles − 1), and its output-stationary
//! "SRAM OFMAP Writes" add `rows + cols` per fold to the `P·C` outputs (a counting quirk of
//! `systolic_compute_os.py`; nothing is written).

use super::array::{Dataflow, MacArray};
use super::mapping::{GemmMapping, Pixels, port_cycles};
use super::workload::{Layer, LayerKind, Network};
use crate::{Error, Result};

/// One layer as SCALE-Sim 3.0 reports it (its `COMPUTE_REPORT.csv` and
/// `DETAILED_ACCESS_REPORT.csv`), under the pinned configuration of `docs/accelerator.md`:
/// `InterfaceBandwidth = CALC` (no stalls), no custom layout, no sparsity, no Ramulator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScaleSimCounts {
    /// The layer's name.
    pub name: String,
    /// Folds (array passes), over all groups.
    pub folds: u64,
    /// SCALE-Sim's "Total Cycles": the index of the last compute cycle, so the cycles the
    /// array needs minus one.
    pub compute_cycles: u64,
    /// "SRAM IFMAP Reads": activation elements fed into the array.
    pub ifmap_sram_reads: u64,
    /// "SRAM Filter Reads": weight elements fed into the array.
    pub filter_sram_reads: u64,
    /// "SRAM OFMAP Writes": output elements written (partial sums included; `rows + cols`
    /// more per fold in output stationary, as SCALE-Sim counts).
    pub ofmap_sram_writes: u64,
}

/// Element counts and cycles of one GEMM (one group) on a systolic array.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct SystolicGemm {
    /// Folds: `⌈Sr/rows⌉ · ⌈Sc/cols⌉`.
    pub folds: u64,
    /// Reduction folds (`⌈K/rows⌉` for weight and input stationary, 1 for output
    /// stationary): how many times each output is written.
    pub k_folds: u64,
    /// Cycles of one fold.
    pub fold_cycles: u64,
    /// Activation elements read.
    pub act_reads: u64,
    /// Weight elements read.
    pub weight_reads: u64,
}

fn overflow(what: &str) -> Error {
    Error::Shape(format!("{what} overflows a 64-bit count"))
}

fn mul(a: u64, b: u64) -> Result<u64> {
    a.checked_mul(b)
        .ok_or_else(|| overflow("systolic element count"))
}

/// SCALE-Sim's closed forms for one GEMM of `P × K × C` on a `rows × cols` array.
pub(super) fn systolic_gemm(df: Dataflow, rows: u64, cols: u64, g: Pixels) -> Result<SystolicGemm> {
    let (p, k, c) = (g.m, g.k, g.n);
    if rows == 0 || cols == 0 {
        return Err(Error::param("array size", rows * cols, "must be positive"));
    }
    let fill = || {
        rows.checked_mul(2)
            .and_then(|x| x.checked_add(cols))
            .and_then(|x| x.checked_sub(2))
    };
    // (Sr, Sc, cycles per fold); T is the length the fold formula adds.
    let (sr, sc, fold_cycles) = match df {
        Dataflow::SystolicOutputStationary => (
            p,
            c,
            k.checked_add(rows)
                .and_then(|x| x.checked_add(cols))
                .map(|x| x - 2),
        ),
        Dataflow::SystolicWeightStationary => (k, c, fill().and_then(|x| x.checked_add(p))),
        Dataflow::SystolicInputStationary => (k, p, fill().and_then(|x| x.checked_add(c))),
        Dataflow::OutputStationary | Dataflow::WeightStationary => {
            return Err(Error::Unsupported(format!(
                "{df} is not a systolic dataflow (use Dataflow::Systolic*)"
            )));
        }
    };
    let fold_cycles = fold_cycles.ok_or_else(|| overflow("systolic fold length"))?;
    let (fr, fc) = (sr.div_ceil(rows), sc.div_ceil(cols));
    let folds = mul(fr, fc)?;
    // Each fold feeds its rows' T-long operand streams (SCALE-Sim counts the slice it takes
    // from the operand matrix: `Sr_t × T` on the left edge, `T × Sc_t` on the top or the
    // stationary block).
    let (act_reads, weight_reads, k_folds) = match df {
        Dataflow::SystolicOutputStationary => (mul(mul(k, p)?, fc)?, mul(mul(k, c)?, fr)?, 1),
        Dataflow::SystolicWeightStationary => (mul(mul(p, k)?, fc)?, mul(k, c)?, fr),
        _ => (mul(k, p)?, mul(mul(k, c)?, fc)?, fr),
    };
    Ok(SystolicGemm {
        folds,
        k_folds,
        fold_cycles,
        act_reads,
        weight_reads,
    })
}

/// The edge ports of a systolic dataflow: (bytes the left edge needs per cycle through its
/// port, bytes the top edge needs through its port) as cycles per array cycle. Output and
/// weight stationary feed activations on the rows and weights on the columns; input
/// stationary loads activations on the columns and streams weights on the rows.
fn port_factor(array: &MacArray) -> f64 {
    let bits = array.arithmetic.operand_bits() as u64;
    let (row_port, col_port) = match array.dataflow {
        Dataflow::SystolicInputStationary => {
            (array.weight_bytes_per_cycle, array.act_bytes_per_cycle)
        }
        _ => (array.act_bytes_per_cycle, array.weight_bytes_per_cycle),
    };
    port_cycles(array.rows as u64, bits, row_port)
        .max(port_cycles(array.cols as u64, bits, col_port))
        .max(1.0)
}

/// One group's GEMM for [`map_layer`](super::map_layer): SCALE-Sim's cycles (the count, not
/// the last index) slowed by the edge ports when one operand per edge MAC per cycle does
/// not fit them (never on the FSD array in INT8), real traffic (partial sums at accumulator
/// width, written and read back once per extra reduction fold).
pub(super) fn systolic_mapping(array: &MacArray, g: Pixels) -> Result<GemmMapping> {
    let s = systolic_gemm(array.dataflow, array.rows as u64, array.cols as u64, g)?;
    let factor = port_factor(array);
    let cycles = mul(s.folds, s.fold_cycles)?;
    let cycles = if factor > 1.0 {
        (cycles as f64 * factor).ceil() as u64
    } else {
        cycles
    };
    let acc_bytes = array.arithmetic.acc_bits().div_ceil(8) as u64;
    let psum_bytes = mul(mul(s.k_folds - 1, mul(g.m, g.n)?)?, acc_bytes)?;
    Ok(GemmMapping {
        tiles: s.folds,
        cycles,
        cycles_repeat: cycles,
        act_reads: s.act_reads,
        weight_reads: s.weight_reads,
        psum_bytes,
        port_bound: factor > 1.0,
    })
}

/// One layer as SCALE-Sim 3.0 reports it on `array` (its size and systolic dataflow; the
/// arithmetic, ports and memories do not enter SCALE-Sim's compute figures).
///
/// Groups run back to back as one layer (SCALE-Sim lists a depthwise layer as one layer per
/// channel; their "Total Cycles" then add up to this figure minus `groups − 1`). Batch is
/// folded into the pixels, as in [`map_layer`](super::map_layer).
///
/// # Errors
///
/// [`Error::Unsupported`] for a dataflow that is not systolic or an element-wise layer (no
/// GEMM); [`Error::InvalidParameter`] for an invalid array; [`Error::Shape`] for an invalid
/// layer or counts that overflow 64 bits.
///
/// # Examples
///
/// ```
/// use arithsim::accel::{fsd_npu, scalesim_layer, Dataflow, Network};
///
/// let os = fsd_npu().with_dataflow(Dataflow::SystolicOutputStationary);
/// let conv1 = &Network::resnet50_v1_5(1)?.layers[0];
/// let s = scalesim_layer(&os, conv1)?;
/// // 12544 pixels x 64 channels: 131 folds of 147 + 96 + 96 - 2 cycles, reported as the
/// // index of the last cycle.
/// assert_eq!(s.folds, 131);
/// assert_eq!(s.compute_cycles, 131 * 337 - 1);
/// assert_eq!(s.ifmap_sram_reads, 147 * 12544);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn scalesim_layer(array: &MacArray, layer: &Layer) -> Result<ScaleSimCounts> {
    array.validate()?;
    layer.validate()?;
    if let LayerKind::Elementwise { op, .. } = layer.kind {
        return Err(Error::Unsupported(format!(
            "layer {} ({op}) is element-wise: SCALE-Sim models GEMMs only",
            layer.name
        )));
    }
    let (groups, s) = layer.gemm_view();
    let groups = groups as u64;
    let g = Pixels {
        m: s.n as u64,
        k: s.k as u64,
        n: s.m as u64,
    };
    let (rows, cols) = (array.rows as u64, array.cols as u64);
    let one = systolic_gemm(array.dataflow, rows, cols, g)?;
    let outputs = mul(g.m, g.n)?;
    let quirk = if array.dataflow == Dataflow::SystolicOutputStationary {
        mul(one.folds, rows + cols)?
    } else {
        0
    };
    let writes = mul(outputs, one.k_folds)?
        .checked_add(quirk)
        .ok_or_else(|| overflow("output writes"))?;
    let cycles = mul(mul(one.folds, one.fold_cycles)?, groups)?;
    Ok(ScaleSimCounts {
        name: layer.name.clone(),
        folds: mul(one.folds, groups)?,
        compute_cycles: cycles - 1,
        ifmap_sram_reads: mul(one.act_reads, groups)?,
        filter_sram_reads: mul(one.weight_reads, groups)?,
        ofmap_sram_writes: mul(writes, groups)?,
    })
}

/// [`scalesim_layer`] for every layer of `network`, in order.
///
/// # Errors
///
/// As [`scalesim_layer`], for the first layer that fails.
///
/// # Examples
///
/// ```
/// use arithsim::accel::{fsd_npu, scalesim_network, Dataflow, Network};
///
/// let ws = fsd_npu().with_dataflow(Dataflow::SystolicWeightStationary);
/// let layers = scalesim_network(&ws, &Network::resnet50_v1_5(1)?)?;
/// // SCALE-Sim 3.0's "Total Cycles" summed over the 54 layers (tests/data has each).
/// assert_eq!(layers.iter().map(|l| l.compute_cycles).sum::<u64>(), 1_511_750);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn scalesim_network(array: &MacArray, network: &Network) -> Result<Vec<ScaleSimCounts>> {
    network
        .layers
        .iter()
        .map(|l| scalesim_layer(array, l))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_by_one_gemm_takes_one_full_fold() {
        let g = Pixels { m: 1, k: 1, n: 1 };
        let os = systolic_gemm(Dataflow::SystolicOutputStationary, 96, 96, g).unwrap();
        assert_eq!((os.folds, os.fold_cycles), (1, 191));
        let ws = systolic_gemm(Dataflow::SystolicWeightStationary, 96, 96, g).unwrap();
        assert_eq!(ws.fold_cycles, 287);
        assert!(systolic_gemm(Dataflow::OutputStationary, 96, 96, g).is_err());
        assert!(systolic_gemm(Dataflow::SystolicInputStationary, 0, 96, g).is_err());
        let huge = Pixels {
            m: u64::MAX / 2,
            k: 4,
            n: 1,
        };
        assert!(systolic_gemm(Dataflow::SystolicOutputStationary, 1, 1, huge).is_err());
    }
}
