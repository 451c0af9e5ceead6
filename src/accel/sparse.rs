//! The MAC array with sparse weights: an N:M mode (2:4 as sparse tensor cores) and an
//! unstructured zero-skipping mode with an explicit load-balance model, on the
//! output-stationary dataflow.
//!
//! # The model
//!
//! As [`map_layer`](super::map_layer) (a tile of `p_t` output pixels × `c_t` output channels,
//! operands from SRAM, DRAM overlapped), with the weights of each output channel compressed:
//!
//! - **N:M** ([`SparseMode::NM`]): each MAC takes one kept weight per cycle, so a reduction
//!   of `K` takes `K·n/m` steps (2× the effective MACs per cycle for 2:4). A column selects its
//!   activation from the `m` of the current group with its `⌈log2 m⌉`-bit index, so every
//!   row broadcasts the whole group once per `n` steps: `m/n` activations per row per step
//!   through the activation port, and `c_t` values plus `c_t` indices through the weight port.
//!   A step takes `max(1, activation port, weight port)` cycles. The reduction must be a
//!   multiple of `m` ([`map_layer_sparse`] fails otherwise; [`map_network_sparse`] runs such
//!   layers dense, as pruning tools leave them dense).
//! - **Unstructured** ([`SparseMode::Unstructured`]): each weight is non-zero with probability
//!   `density`, independently. Pixels of a column share its weights, so a column's work is its
//!   channel's non-zero count `X ~ Binomial(K, density)`; columns must stay in step because
//!   activations are broadcast along rows, so with [`LoadBalance::Lockstep`] a tile takes the
//!   expected maximum of `c_t` such counts (`Σ_x 1 − F(x)^c_t`, exact), with
//!   [`LoadBalance::Ideal`] the mean `K·density` (work perfectly redistributed: the bound).
//!   Every activation is still delivered (each PE picks the ones its non-zeros need from a
//!   row buffer), so the `K` activations per row stream through the activation port, and the
//!   compressed weights (values plus the smaller of a bitmap and CSR indices, from
//!   [`storage_bytes`]) through the weight port: a tile takes `max(compute, activation
//!   stream, weight stream)` cycles.
//! - MACs counted for energy: those computed (`n/m` of dense; `density` of dense). SRAM reads
//!   and DRAM fetches of weights are the compressed bytes; activations stay dense.
//! - Layers without weights ([`LayerKind::MatMul`], [`LayerKind::Elementwise`]) run dense.

use super::array::{Dataflow, MacArray};
use super::mapping::{
    Bound, LayerMapping, NetworkMapping, map_layer, port_cycles, splits, with_tally,
};
use super::workload::{Layer, LayerKind, Network};
use crate::cost::{Tally, count};
use crate::datapath::sparse::{Layout, StorageBytes, check_nm, nm_index_bits, storage_bytes};
use crate::{Error, Result};

/// How the columns of a tile share the work of unstructured sparse weights.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum LoadBalance {
    /// Columns advance together: a tile waits for its busiest column.
    #[default]
    Lockstep,
    /// Work perfectly redistributed across columns (an upper bound on the gain).
    Ideal,
}

/// How the array treats the weights.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum SparseMode {
    /// Every MAC issued.
    #[default]
    Dense,
    /// `n` of every `m` weights along the reduction kept and stored with their indices.
    NM {
        /// Kept per group.
        n: usize,
        /// Group length.
        m: usize,
    },
    /// A fraction `density` of the weights non-zero at random positions; zeros skipped.
    Unstructured {
        /// Fraction of non-zero weights, in (0, 1].
        density: f64,
        /// The load-balance model.
        balance: LoadBalance,
    },
}

impl SparseMode {
    /// Checks the mode's parameters.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming `density` outside (0, 1], or `n`/`m` with
    /// `n` not in `1..=m`.
    pub fn validate(&self) -> Result<()> {
        match *self {
            SparseMode::Dense => Ok(()),
            SparseMode::NM { n, m } => check_nm(n, m, m),
            SparseMode::Unstructured { density, .. } => {
                if density > 0.0 && density <= 1.0 {
                    Ok(())
                } else {
                    Err(Error::param(
                        "density",
                        density,
                        "must be in (0, 1] (the fraction of non-zero weights)",
                    ))
                }
            }
        }
    }
}

impl std::fmt::Display for SparseMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            SparseMode::Dense => f.write_str("dense"),
            SparseMode::NM { n, m } => write!(f, "{n}:{m}"),
            SparseMode::Unstructured { density, balance } => write!(
                f,
                "{:.0}% unstructured ({})",
                100.0 * density,
                match balance {
                    LoadBalance::Lockstep => "lockstep",
                    LoadBalance::Ideal => "ideal balance",
                }
            ),
        }
    }
}

/// One layer mapped with sparse weights.
#[derive(Clone, Debug, PartialEq)]
pub struct SparseLayerMapping {
    /// The mapping; its `macs` are the MACs computed.
    pub mapping: LayerMapping,
    /// MACs of the dense layer.
    pub dense_macs: u64,
    /// The mode the layer ran in ([`SparseMode::Dense`] for a layer left dense).
    pub applied: SparseMode,
    /// Bytes of the layer's stored weights (values and metadata, all groups).
    pub weights: StorageBytes,
    /// Mean column work over the busiest column's (1 when dense, N:M or ideally balanced).
    pub balance_efficiency: f64,
}

impl SparseLayerMapping {
    /// Dense-equivalent MACs per MAC-cycle: `dense_macs / (cycles · rows · cols)` (above 1
    /// when skipping beats the dense peak).
    pub fn effective_utilization(&self) -> f64 {
        self.dense_macs as f64 / (self.mapping.cycles as f64 * self.mapping.array_macs as f64)
    }
}

/// A network mapped with sparse weights.
#[derive(Clone, Debug, PartialEq)]
pub struct SparseNetworkMapping {
    /// The requested mode.
    pub mode: SparseMode,
    /// The network mapping (MACs computed, cycles, traffic, tally).
    pub mapping: NetworkMapping,
    /// Per-layer details, in order.
    pub layers: Vec<SparseLayerMapping>,
}

impl SparseNetworkMapping {
    /// MACs of the dense network.
    pub fn dense_macs(&self) -> u64 {
        self.layers.iter().map(|l| l.dense_macs).sum()
    }

    /// Dense-equivalent MACs per MAC-cycle over the network.
    pub fn effective_utilization(&self) -> f64 {
        self.dense_macs() as f64 / (self.mapping.cycles() as f64 * self.mapping.array_macs as f64)
    }

    /// Names of the weight layers that ran dense although a sparse mode was asked for (an
    /// N:M group that does not divide their reduction).
    pub fn dense_weight_layers(&self) -> Vec<&str> {
        if self.mode == SparseMode::Dense {
            return Vec::new();
        }
        self.layers
            .iter()
            .filter(|l| l.applied == SparseMode::Dense && l.weights.values > 0)
            .map(|l| l.mapping.name.as_str())
            .collect()
    }

    /// Bytes of all stored weights.
    pub fn weight_bytes(&self) -> StorageBytes {
        self.layers
            .iter()
            .fold(StorageBytes::default(), |a, l| StorageBytes {
                values: a.values + l.weights.values,
                metadata: a.metadata + l.weights.metadata,
            })
    }
}

/// Maps one weight layer with sparse weights.
///
/// # Errors
///
/// As [`map_layer`]; as [`SparseMode::validate`]; [`Error::InvalidParameter`] naming `m`
/// when it does not divide the layer's reduction; [`Error::Unsupported`] for a layer
/// without weights under a sparse mode, or a dataflow other than output stationary.
///
/// # Examples
///
/// ```
/// use arithsim::accel::{fsd_npu, map_layer_sparse, Network, SparseMode};
///
/// let npu = fsd_npu();
/// let net = Network::resnet50_v1_5(1)?;
/// let layer = &net.layers[2]; // layer1.0.conv2, 3x3, K = 576
/// let s = map_layer_sparse(&npu, layer, SparseMode::NM { n: 2, m: 4 })?;
/// assert_eq!(s.mapping.macs * 2, s.dense_macs);
/// assert!(s.effective_utilization() > 1.0); // more than the dense peak
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn map_layer_sparse(
    array: &MacArray,
    layer: &Layer,
    mode: SparseMode,
) -> Result<SparseLayerMapping> {
    mode.validate()?;
    let dense = map_layer(array, layer)?;
    let dense_macs = dense.macs;
    let bits = array.arithmetic.operand_bits();
    let (groups, s) = layer.gemm_view();
    let dense_weights = if layer.weight_elems() > 0 {
        let d = storage_bytes(Layout::Dense, s.m, s.k, 0, bits)?;
        StorageBytes {
            values: count::mul(d.values, groups as u64, "weight bytes")?,
            metadata: 0,
        }
    } else {
        StorageBytes::default()
    };
    let as_dense = |mapping| SparseLayerMapping {
        mapping,
        dense_macs,
        applied: SparseMode::Dense,
        weights: dense_weights,
        balance_efficiency: 1.0,
    };
    if mode == SparseMode::Dense {
        return Ok(as_dense(dense));
    }
    if !matches!(
        layer.kind,
        LayerKind::Conv2d(_) | LayerKind::FullyConnected { .. }
    ) {
        return Err(Error::Unsupported(format!(
            "layer {} has no weights to be sparse",
            layer.name
        )));
    }
    if array.dataflow != Dataflow::OutputStationary {
        return Err(Error::Unsupported(format!(
            "sparse modes are modelled on the output-stationary dataflow, not {}",
            array.dataflow
        )));
    }
    if let SparseMode::NM { n, m } = mode {
        check_nm(n, m, s.k)?;
    }
    let g = groups as u64;
    let (p, k, c) = (s.n as u64, s.k as u64, s.m as u64);
    let ab = bits as u64;
    let (r, cols) = (array.rows as u64, array.cols as u64);
    // Stored weights of one group and the MACs computed.
    let (group_w, computed, balance) = match mode {
        SparseMode::NM { n, m } => (
            storage_bytes(Layout::NM { n, m }, s.m, s.k, 0, bits)?,
            dense_macs / m as u64 * n as u64,
            1.0,
        ),
        SparseMode::Unstructured { density, balance } => {
            let nnz = ((density * (c * k) as f64).round() as usize).max(1);
            let bm = storage_bytes(Layout::Bitmap, s.m, s.k, nnz, bits)?;
            let csr = storage_bytes(Layout::Csr, s.m, s.k, nnz, bits)?;
            let eff = match balance {
                LoadBalance::Ideal => 1.0,
                LoadBalance::Lockstep => {
                    let cmax = c.min(cols);
                    k as f64 * density / expected_max_binomial(k, density, cmax)
                }
            };
            (
                if bm.total() <= csr.total() { bm } else { csr },
                (dense_macs as f64 * density).round() as u64,
                eff,
            )
        }
        SparseMode::Dense => unreachable!("handled above"),
    };
    let mut cycles = 0u64;
    let mut port_bound = false;
    for (m_t, m_count) in splits(p, r) {
        for (n_t, n_count) in splits(c, cols) {
            let count = m_count * n_count;
            if count == 0 {
                continue;
            }
            let tile = match mode {
                SparseMode::NM { n, m } => {
                    let ratio = m as f64 / n as f64;
                    let act = port_cycles(m_t, ab, array.act_bytes_per_cycle) * ratio;
                    let meta = nm_index_bits(m) as u64;
                    let wgt = port_cycles(n_t, ab + meta, array.weight_bytes_per_cycle);
                    let per_step = act.max(wgt).max(1.0);
                    port_bound |= per_step > 1.0;
                    ((k / m as u64 * n as u64) as f64 * per_step).ceil()
                }
                SparseMode::Unstructured { density, balance } => {
                    let steps = match balance {
                        LoadBalance::Ideal => k as f64 * density,
                        LoadBalance::Lockstep => expected_max_binomial(k, density, n_t),
                    };
                    let act = k as f64 * port_cycles(m_t, ab, array.act_bytes_per_cycle);
                    let wgt = group_w.total() as f64 * n_t as f64
                        / c as f64
                        / array.weight_bytes_per_cycle as f64;
                    port_bound |= act.max(wgt) > steps.max(1.0);
                    steps.max(act).max(wgt).max(1.0).ceil()
                }
                SparseMode::Dense => unreachable!("handled above"),
            };
            let tile = count::ceil_f64(tile, "sparse tile cycles")?;
            cycles = count::add(
                cycles,
                count::mul(count, tile, "sparse cycles")?,
                "sparse cycles",
            )?;
        }
    }
    let weights = StorageBytes {
        values: count::mul(group_w.values, g, "sparse weight bytes")?,
        metadata: count::mul(group_w.metadata, g, "sparse weight bytes")?,
    };
    let weights_total = count::add(weights.values, weights.metadata, "sparse weight bytes")?;
    let row_tiles = p.div_ceil(r);
    let col_tiles = c.div_ceil(cols);
    let out_bytes = (layer.output_elems() * ab).div_ceil(8);
    let in_bytes = (layer.input_elems() * ab).div_ceil(8);
    let footprint = count::sum([in_bytes, out_bytes, weights_total], "sparse layer bytes")?;
    let spill = footprint > array.sram_bytes;
    let dram_read = weights_total + if spill { in_bytes } else { 0 };
    let dram_write = if spill { out_bytes } else { 0 };
    let dram_cycles = count::ceil_f64(
        (dram_read + dram_write) as f64 / array.dram_bytes_per_cycle(),
        "DRAM cycles",
    )?;
    let compute_cycles = count::mul(g, cycles, "sparse cycles")?;
    let (cycles, bound) = if dram_cycles > compute_cycles {
        (dram_cycles, Bound::Dram)
    } else if port_bound {
        (compute_cycles, Bound::SramBandwidth)
    } else {
        (compute_cycles, Bound::Compute)
    };
    let mapping = LayerMapping {
        name: layer.name.clone(),
        macs: computed,
        tiles: g * row_tiles * col_tiles,
        compute_cycles,
        dram_cycles,
        cycles,
        bound,
        sram_act_read_bytes: count::product(&[g, k, p, col_tiles, ab], "SRAM bits")?.div_ceil(8),
        sram_weight_read_bytes: count::mul(weights_total, row_tiles, "SRAM weight bytes")?,
        sram_psum_read_bytes: 0,
        sram_write_bytes: out_bytes,
        dram_read_bytes: dram_read,
        dram_write_bytes: dram_write,
        tally: Tally::new(),
        array_macs: array.macs(),
        clock_hz: array.clock_hz,
    };
    Ok(SparseLayerMapping {
        mapping: with_tally(array, mapping),
        dense_macs,
        applied: mode,
        weights,
        balance_efficiency: balance,
    })
}

/// Maps every layer of a network with sparse weights: layers without weights, and under N:M
/// the layers whose reduction `m` does not divide, run dense.
///
/// # Errors
///
/// As [`map_layer_sparse`] (except the cases above), for the first layer that fails;
/// [`Error::Shape`] for an empty network.
///
/// # Examples
///
/// ```
/// use arithsim::accel::{fsd_npu, map_network, map_network_sparse, Network, SparseMode};
///
/// let npu = fsd_npu();
/// let net = Network::resnet50_v1_5(1)?;
/// let dense = map_network(&npu, &net)?;
/// let s24 = map_network_sparse(&npu, &net, SparseMode::NM { n: 2, m: 4 })?;
/// assert!(s24.mapping.cycles() < dense.cycles());
/// assert_eq!(s24.dense_weight_layers(), ["conv1"]); // K = 3·7·7 = 147
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn map_network_sparse(
    array: &MacArray,
    network: &Network,
    mode: SparseMode,
) -> Result<SparseNetworkMapping> {
    mode.validate()?;
    if network.layers.is_empty() {
        return Err(Error::Shape(format!(
            "network {} has no layers",
            network.name
        )));
    }
    let mut layers = Vec::with_capacity(network.layers.len());
    for l in &network.layers {
        // Validated first: the element counts below multiply unchecked.
        l.validate()?;
        let has_weights = l.weight_elems() > 0;
        let fits = match mode {
            SparseMode::NM { m, .. } => l.gemm_view().1.k % m == 0,
            _ => true,
        };
        let this = if has_weights && fits {
            mode
        } else {
            SparseMode::Dense
        };
        layers.push(map_layer_sparse(array, l, this)?);
    }
    let mut tally = Tally::new();
    for l in &layers {
        tally.merge(&l.mapping.tally);
    }
    let mapped: Vec<LayerMapping> = layers.iter().map(|l| l.mapping.clone()).collect();
    super::mapping::check_network_sums(&mapped)?;
    count::sum(layers.iter().map(|l| l.dense_macs), "network dense MACs")?;
    tally.check()?;
    Ok(SparseNetworkMapping {
        mode,
        mapping: NetworkMapping {
            network: format!("{} ({mode})", network.name),
            layers: mapped,
            tally,
            array_macs: array.macs(),
            clock_hz: array.clock_hz,
        },
        layers,
    })
}

/// `E[max of c independent Binomial(k, p)]` = `Σ_{x<k} 1 − F(x)^c`, with the survival
/// function summed from the top (no cancellation) and the pmf by its ratio recurrence in
/// log space (no underflow at the mode).
pub(crate) fn expected_max_binomial(k: u64, p: f64, c: u64) -> f64 {
    if p >= 1.0 {
        return k as f64;
    }
    let kk = k as usize;
    let ln_ratio = (p / (1.0 - p)).ln();
    let mut logp = vec![0.0f64; kk + 1];
    logp[0] = k as f64 * (-p).ln_1p();
    for x in 0..kk {
        logp[x + 1] = logp[x] + ((k - x as u64) as f64 / (x + 1) as f64).ln() + ln_ratio;
    }
    // survival[x] = P(X > x), from the top.
    let mut e = 0.0;
    let mut surv = 0.0;
    for x in (0..kk).rev() {
        surv += logp[x + 1].exp();
        let s = surv.min(1.0);
        // 1 − (1 − s)^c
        e += -((c as f64) * (-s).ln_1p()).exp_m1();
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_max_by_hand() {
        // One Bernoulli(0.3): E = 0.3; max of two: 1 − 0.7² = 0.51.
        assert!((expected_max_binomial(1, 0.3, 1) - 0.3).abs() < 1e-15);
        assert!((expected_max_binomial(1, 0.3, 2) - 0.51).abs() < 1e-15);
        // Binomial(2, 0.5), c = 1: mean 1. c = 2: P(max ≥ 1) = 1 − 1/16, P(max = 2) = 1 − (3/4)².
        assert!((expected_max_binomial(2, 0.5, 1) - 1.0).abs() < 1e-15);
        let want = (1.0 - 1.0 / 16.0) + (1.0 - 9.0 / 16.0);
        assert!((expected_max_binomial(2, 0.5, 2) - want).abs() < 1e-15);
        // Large K: the mean for c = 1, no underflow.
        assert!((expected_max_binomial(4608, 0.5, 1) - 2304.0).abs() < 1e-6);
        assert_eq!(expected_max_binomial(10, 1.0, 96), 10.0);
        let m = expected_max_binomial(4608, 0.1, 96);
        assert!(m > 460.8 + 2.0 * 20.0 && m < 460.8 + 3.0 * 20.4, "{m}");
    }
}
