//! Mapping a GEMM (or a convolution's GEMM view) onto a [`MacArray`]: cycles, utilization,
//! on-chip and off-chip traffic, and a [`Tally`] of what it did.
//!
//! # The model
//!
//! Closed-form, per layer (no simulation, so all of ResNet-50 maps in microseconds):
//!
//! A GEMM is seen in the array's orientation: `P` output pixels (activation vectors, the
//! datapath's `N`), `K` the reduction, `C` output channels (the datapath's `M`).
//!
//! - **Output stationary**: the `P × C` output is cut into `rows × cols` tiles; a tile takes
//!   `K` steps, each broadcasting `p_t` activations and `c_t` weights (an outer product). A
//!   step takes `max(1, p_t·bytes / act_port, c_t·bytes / weight_port)` cycles, so operands
//!   wider than the read ports slow the array down. Accumulators are double-buffered: a
//!   tile drains at one array row (`cols` values) per cycle, `⌈p_t·c_t/cols⌉` cycles, while
//!   the next tile runs, and that tile costs `max(its own cycles, the drain)` (the drain
//!   bound: it bites when `K` is shorter than the drain, e.g. `K = 64` on 96 × 96). SRAM
//!   reads: `K·P·⌈C/cols⌉` activations and `K·C·⌈P/rows⌉` weights.
//! - **Weight stationary**: the `K × C` weights are cut into `rows × cols` tiles; each is
//!   loaded through the weight port (not overlapped), then the `P` activation vectors stream
//!   through plus a fill/drain of `k_t + c_t − 2` cycles. When `K > rows`, partial sums are
//!   written to and read back from SRAM at accumulator width.
//! - **Systolic** output, weight and input stationary: SCALE-Sim 3.0's closed forms (see
//!   the `systolic` module and [`scalesim_layer`](super::scalesim_layer)).
//! - Operands of fewer than 8 bits are packed: traffic and port time are in bits / 8.
//! - **Outputs** are written back to SRAM once, in the operand format (requantized or
//!   rounded by the post-processing unit).
//! - **DRAM**: every layer's weights are fetched once per inference (per batch); activations
//!   stay on chip unless the layer's input, output and weights together exceed the SRAM, in
//!   which case the input is read from and the output written to DRAM once. DRAM transfers
//!   overlap compute (prefetching), so a layer takes `max(compute, DRAM)` cycles.
//! - Idle (padding) MACs are clock-gated: energy counts only the real MACs.
//! - **Element-wise layers** (softmax, norms, activations, residual adds) run on a vector
//!   unit of `cols` lanes, one operation per lane per cycle, after the layer that feeds them
//!   (not overlapped); their operations are priced in FP32 (see [`ElementwiseOp`]).
//! - A [`LayerKind::MatMul`] (attention) maps like a GEMM with its `A` operand through the
//!   weight port; it has no weights to fetch from DRAM.

use super::array::{Dataflow, MacArray};
use super::elementwise::ElementwiseOp;
use super::energy::EnergyBreakdown;
use super::systolic::systolic_mapping;
use super::workload::{Layer, LayerKind, LayerSizes, Network};
use crate::cost::{CostTable, FloatKind, MemLevel, OpKind, Tally, count};
use crate::datapath::GemmShape;
use crate::{Error, Result};

/// What limits a layer's speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Bound {
    /// The MACs are busy (possibly with padded tiles).
    Compute,
    /// The SRAM read ports cannot deliver operands as fast as the MACs consume them.
    SramBandwidth,
    /// DRAM transfers take longer than the computation.
    Dram,
}

/// One layer mapped onto an array.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LayerMapping {
    /// The layer's name.
    pub name: String,
    /// Multiply-accumulates performed.
    pub macs: u64,
    /// Array tiles (passes), over all groups.
    pub tiles: u64,
    /// Cycles the array needs for the arithmetic and its SRAM traffic.
    pub compute_cycles: u64,
    /// Cycles the DRAM transfers need.
    pub dram_cycles: u64,
    /// The layer's cycles: `max(compute, DRAM)`.
    pub cycles: u64,
    /// What sets `cycles`.
    pub bound: Bound,
    /// Activation bytes read from SRAM.
    pub sram_act_read_bytes: u64,
    /// Weight bytes read from SRAM.
    pub sram_weight_read_bytes: u64,
    /// Partial-sum bytes read from SRAM (weight stationary with `K > rows`).
    pub sram_psum_read_bytes: u64,
    /// Bytes written to SRAM (outputs and partial sums).
    pub sram_write_bytes: u64,
    /// Bytes read from DRAM.
    pub dram_read_bytes: u64,
    /// Bytes written to DRAM.
    pub dram_write_bytes: u64,
    /// The operations: MACs (see [`MacArithmetic::mac_ops`](super::MacArithmetic::mac_ops)),
    /// SRAM and DRAM accesses in 64-bit words.
    pub tally: Tally,
    /// MACs of the array it was mapped on (`rows · cols`), kept so the rates below need not
    /// be given the array again.
    pub array_macs: u64,
    /// Clock of the array it was mapped on, Hz.
    pub clock_hz: f64,
}

impl LayerMapping {
    /// Fraction of MAC-cycles doing useful work: `macs / (cycles · rows · cols)`.
    pub fn utilization(&self) -> f64 {
        if self.cycles == 0 {
            return 0.0;
        }
        self.macs as f64 / (self.cycles as f64 * self.array_macs as f64)
    }

    /// Time in seconds.
    pub fn seconds(&self) -> f64 {
        self.cycles as f64 / self.clock_hz
    }

    /// Achieved tera-operations per second (2 per MAC).
    pub fn achieved_tops(&self) -> f64 {
        2.0 * self.macs as f64 / self.seconds() / 1e12
    }

    /// Energy from `table` (see [`EnergyBreakdown::from_table`]).
    ///
    /// # Errors
    ///
    /// As [`EnergyBreakdown::from_table`].
    pub fn energy(&self, table: &CostTable) -> Result<EnergyBreakdown> {
        EnergyBreakdown::from_table(&self.tally, table)
    }

    /// All SRAM bytes read.
    pub fn sram_read_bytes(&self) -> u64 {
        self.sram_act_read_bytes + self.sram_weight_read_bytes + self.sram_psum_read_bytes
    }
}

/// A whole network mapped onto an array.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NetworkMapping {
    /// The network's name.
    pub network: String,
    /// Per-layer results, in order.
    pub layers: Vec<LayerMapping>,
    /// The sum of the layers' tallies.
    pub tally: Tally,
    /// MACs of the array it was mapped on (`rows · cols`).
    pub array_macs: u64,
    /// Clock of the array it was mapped on, Hz.
    pub clock_hz: f64,
}

impl NetworkMapping {
    /// Total MACs.
    pub fn macs(&self) -> u64 {
        self.layers.iter().map(|l| l.macs).sum()
    }

    /// Total cycles (layers run one after another).
    pub fn cycles(&self) -> u64 {
        self.layers.iter().map(|l| l.cycles).sum()
    }

    /// Seconds per inference.
    pub fn seconds(&self) -> f64 {
        self.cycles() as f64 / self.clock_hz
    }

    /// Inferences (frames, for batch 1) per second on one array.
    pub fn inferences_per_s(&self) -> f64 {
        1.0 / self.seconds()
    }

    /// Overall MAC utilization.
    pub fn utilization(&self) -> f64 {
        self.macs() as f64 / (self.cycles() as f64 * self.array_macs as f64)
    }

    /// Achieved tera-operations per second (2 per MAC).
    pub fn achieved_tops(&self) -> f64 {
        2.0 * self.macs() as f64 / self.seconds() / 1e12
    }

    /// Energy per inference from `table` (see [`EnergyBreakdown::from_table`]).
    ///
    /// # Errors
    ///
    /// As [`EnergyBreakdown::from_table`].
    pub fn energy(&self, table: &CostTable) -> Result<EnergyBreakdown> {
        EnergyBreakdown::from_table(&self.tally, table)
    }

    /// Total SRAM bytes read.
    pub fn sram_read_bytes(&self) -> u64 {
        self.layers.iter().map(LayerMapping::sram_read_bytes).sum()
    }

    /// Total DRAM bytes moved (read and written).
    pub fn dram_bytes(&self) -> u64 {
        self.layers
            .iter()
            .map(|l| l.dram_read_bytes + l.dram_write_bytes)
            .sum()
    }
}

/// Maps one layer.
///
/// # Errors
///
/// [`Error::Shape`] for an invalid layer shape; [`Error::InvalidParameter`] or
/// [`Error::Unsupported`] for an invalid array (see [`MacArray::validate`]).
///
/// # Examples
///
/// ```
/// use arithsim::accel::{fsd_npu, map_layer, Network};
///
/// let npu = fsd_npu();
/// let net = Network::resnet50_v1_5(1).unwrap();
/// let conv1 = map_layer(&npu, &net.layers[0]).unwrap();
/// // 112·112 = 12544 output pixels, 64 channels: 131 x 1 tiles of 147 steps each.
/// assert_eq!(conv1.tiles, 131);
/// assert_eq!(conv1.compute_cycles, 131 * 147);
/// ```
pub fn map_layer(array: &MacArray, layer: &Layer) -> Result<LayerMapping> {
    array.validate()?;
    layer.validate()?;
    if let LayerKind::Elementwise { op, elems } = layer.kind {
        let ops = count::mul(op.ops_per_elem(), elems as u64, "element-wise operations")?;
        count::mul(layer.input_elems().max(ops), 64, "element-wise bits")?;
        return Ok(map_elementwise(array, layer, op, elems as u64));
    }
    let z = layer.sizes();
    let (groups, s) = (z.groups as u64, z.gemm);
    // Array orientation: rows take output pixels (the datapath's N), columns output
    // channels (its M).
    let g = Pixels {
        m: s.n as u64,
        k: s.k as u64,
        n: s.m as u64,
    };
    let bits = array.arithmetic.operand_bits() as u64;
    check_counts(array, layer, &z, g)?;
    let bytes = |elems: u64| (elems * bits).div_ceil(8);
    let m = match array.dataflow {
        Dataflow::OutputStationary => output_stationary(array, g),
        Dataflow::WeightStationary => weight_stationary(array, g),
        Dataflow::SystolicOutputStationary
        | Dataflow::SystolicWeightStationary
        | Dataflow::SystolicInputStationary => systolic_mapping(array, g)?,
    };
    let out_bytes = bytes(z.outputs);
    let weight_bytes = bytes(z.weights);
    let in_bytes = bytes(z.inputs);
    let spill = in_bytes + out_bytes + weight_bytes > array.sram_bytes;
    let dram_read = weight_bytes + if spill { in_bytes } else { 0 };
    let dram_write = if spill { out_bytes } else { 0 };
    let dram_cycles = count::ceil_f64(
        (dram_read + dram_write) as f64 / array.dram_bytes_per_cycle(),
        "DRAM cycles",
    )?;
    // Groups run back to back: every group after the first follows one like it.
    let compute_cycles = (groups - 1)
        .checked_mul(m.cycles_repeat)
        .and_then(|c| c.checked_add(m.cycles))
        .ok_or_else(|| Error::Shape(format!("layer {} cycles overflow", layer.name)))?;
    let (cycles, bound) = if dram_cycles > compute_cycles {
        (dram_cycles, Bound::Dram)
    } else if m.port_bound {
        (compute_cycles, Bound::SramBandwidth)
    } else {
        (compute_cycles, Bound::Compute)
    };
    let mapping = LayerMapping {
        name: layer.name.clone(),
        macs: z.macs,
        tiles: groups * m.tiles,
        compute_cycles,
        dram_cycles,
        cycles,
        bound,
        sram_act_read_bytes: bytes(groups * m.act_reads),
        sram_weight_read_bytes: bytes(groups * m.weight_reads),
        sram_psum_read_bytes: groups * m.psum_bytes,
        sram_write_bytes: out_bytes + groups * m.psum_bytes,
        dram_read_bytes: dram_read,
        dram_write_bytes: dram_write,
        tally: Tally::new(),
        array_macs: array.macs(),
        clock_hz: array.clock_hz,
    };
    Ok(with_tally(array, mapping))
}

/// Maps a bare GEMM in the datapath's convention: `A` (`M × K`) the weights, `B` (`K × N`)
/// the activations, so `M` outputs per activation vector and `N` vectors.
///
/// # Errors
///
/// As [`map_layer`].
pub fn map_gemm(array: &MacArray, gemm: GemmShape) -> Result<LayerMapping> {
    let layer = Layer {
        name: format!("gemm {}x{}x{}", gemm.m, gemm.n, gemm.k),
        kind: LayerKind::FullyConnected {
            batch: gemm.n,
            inputs: gemm.k,
            outputs: gemm.m,
        },
    };
    map_layer(array, &layer)
}

/// Maps every layer of a network, in order.
///
/// # Errors
///
/// As [`map_layer`], for the first layer that fails; [`Error::Shape`] for an empty network.
///
/// # Examples
///
/// ```
/// use arithsim::accel::{fsd_npu, map_network, Network};
///
/// let npu = fsd_npu();
/// let m = map_network(&npu, &Network::resnet50_v1_5(1).unwrap()).unwrap();
/// assert_eq!(m.macs(), 4_089_184_256);
/// assert!(m.utilization() > 0.4 && m.utilization() <= 1.0);
/// ```
pub fn map_network(array: &MacArray, network: &Network) -> Result<NetworkMapping> {
    if network.layers.is_empty() {
        return Err(Error::Shape(format!(
            "network {} has no layers",
            network.name
        )));
    }
    // Sized up front and summed as it goes: a sweep maps a network per point, and the
    // reallocations of a growing `Vec` were a measurable share of its allocations.
    let mut layers = Vec::with_capacity(network.layers.len());
    let mut tally = Tally::new();
    for l in &network.layers {
        let m = map_layer(array, l)?;
        tally.merge(&m.tally);
        layers.push(m);
    }
    check_network_sums(&layers)?;
    tally.check()?;
    Ok(NetworkMapping {
        network: network.name.clone(),
        layers,
        tally,
        array_macs: array.macs(),
        clock_hz: array.clock_hz,
    })
}

/// Checks that the totals [`NetworkMapping`] reports (MACs, cycles, SRAM and DRAM bytes)
/// fit `u64`, so its accessors never overflow.
pub(super) fn check_network_sums(layers: &[LayerMapping]) -> Result<()> {
    count::sum(layers.iter().map(|l| l.macs), "network MACs")?;
    count::sum(layers.iter().map(|l| l.cycles), "network cycles")?;
    // Every layer's own sum first, then the network's (the same errors, in the same order,
    // as summing into a `Vec` first, without the `Vec`); after the first pass the per-layer
    // sums cannot overflow.
    for l in layers {
        count::sum(
            [
                l.sram_act_read_bytes,
                l.sram_weight_read_bytes,
                l.sram_psum_read_bytes,
            ],
            "SRAM bytes read",
        )?;
    }
    count::sum(
        layers.iter().map(LayerMapping::sram_read_bytes),
        "network SRAM bytes read",
    )?;
    for l in layers {
        count::add(l.dram_read_bytes, l.dram_write_bytes, "DRAM bytes")?;
    }
    count::sum(
        layers
            .iter()
            .map(|l| l.dram_read_bytes + l.dram_write_bytes),
        "network DRAM bytes",
    )?;
    Ok(())
}

/// Checks, before any count is computed, that every count of mapping this layer fits
/// `u64`: a bound on the sum of all of them (cycles, element reads, partial-sum bytes,
/// tensor sizes, each in bits) is computed in checked `u128`. The mapping's own arithmetic
/// stays plain `u64`: every term is at most this bound.
fn check_counts(array: &MacArray, layer: &Layer, z: &LayerSizes, g: Pixels) -> Result<()> {
    let what = || count::overflow(format!("bits moved or cycles of layer {}", layer.name));
    let m = |a: u128, b: u128| a.checked_mul(b).ok_or_else(what);
    let a = |x: u128, y: u128| x.checked_add(y).ok_or_else(what);
    let (p, k, c) = (g.m as u128, g.k as u128, g.n as u128);
    let (r, cols) = (array.rows as u128, array.cols as u128);
    let b = array.arithmetic.operand_bits() as u128;
    let acc = array.arithmetic.acc_bits().div_ceil(8) as u128;
    let (tp, tk, tc) = (p.div_ceil(r), k.div_ceil(r), c.div_ceil(cols));
    // Output stationary: cycles ≤ tiles·(K+1) + K·b·(P·⌈C/cols⌉ + C·⌈P/rows⌉); reads
    // K·P·⌈C/cols⌉ and K·C·⌈P/rows⌉.
    let os_reads = a(m(m(k, p)?, tc)?, m(m(k, c)?, tp)?)?;
    let os = a(m(m(tp, tc)?, a(k, 1)?)?, m(b, os_reads)?)?;
    let os = a(os, os_reads)?;
    // Weight stationary: cycles ≤ b·K·C + tiles·(P+2) + b·P·K·⌈C/cols⌉ + K·⌈C/cols⌉ +
    // C·⌈K/rows⌉; reads P·K·⌈C/cols⌉ + K·C; partial sums ⌈K/rows⌉·P·C·acc bytes.
    let ws_reads = a(m(m(p, k)?, tc)?, m(k, c)?)?;
    let ws = a(m(m(tk, tc)?, a(p, 2)?)?, m(b, ws_reads)?)?;
    let ws = a(ws, a(m(k, tc)?, m(c, tk)?)?)?;
    let ws = a(ws, a(ws_reads, m(m(m(tk, p)?, c)?, acc)?)?)?;
    let per_group = a(os, ws)?;
    let tensors = a(a(z.inputs as u128, z.outputs as u128)?, z.weights as u128)?;
    let total = a(
        m(m(per_group, z.groups as u128)?, a(b, 8)?)?,
        m(tensors, a(b, 8)?)?,
    )?;
    if total > u64::MAX as u128 {
        return Err(what());
    }
    Ok(())
}

/// A GEMM in the array's orientation: `m` output pixels (rows), `k` reduction, `n` output
/// channels (columns).
#[derive(Clone, Copy)]
pub(super) struct Pixels {
    pub(super) m: u64,
    pub(super) k: u64,
    pub(super) n: u64,
}

/// One group's GEMM on the array: element counts of traffic, cycles, tiles.
pub(super) struct GemmMapping {
    pub(super) tiles: u64,
    /// Cycles of the GEMM at the start of a layer.
    pub(super) cycles: u64,
    /// Cycles of the GEMM when it follows one like it (the next group): differs from
    /// `cycles` only by the drain of the previous group's last tile.
    pub(super) cycles_repeat: u64,
    pub(super) act_reads: u64,
    pub(super) weight_reads: u64,
    pub(super) psum_bytes: u64,
    pub(super) port_bound: bool,
}

/// Splits `len` into full tiles of `tile` and one remainder: `[(size, count); 2]`.
pub(super) fn splits(len: u64, tile: u64) -> [(u64, u64); 2] {
    [(tile, len / tile), (len % tile, u64::from(len % tile != 0))]
}

/// Cycles per step when `elems` operands of `bits` each must come through a `port` of
/// `port` bytes per cycle (sub-byte operands are packed).
pub(super) fn port_cycles(elems: u64, bits: u64, port: u32) -> f64 {
    (elems * bits) as f64 / (8 * port as u64) as f64
}

fn output_stationary(array: &MacArray, g: Pixels) -> GemmMapping {
    let (r, c) = (array.rows as u64, array.cols as u64);
    let ab = array.arithmetic.operand_bits() as u64;
    let mut port_bound = false;
    // A tile's own time: `K` steps at the slower of the two broadcast ports.
    let mut compute = |m_t: u64, n_t: u64| {
        let act = port_cycles(m_t, ab, array.act_bytes_per_cycle);
        let wgt = port_cycles(n_t, ab, array.weight_bytes_per_cycle);
        let per_step = act.max(wgt).max(1.0);
        port_bound |= per_step > 1.0;
        (g.k as f64 * per_step).ceil() as u64
    };
    // One row of accumulators (`cols` values) drains per cycle.
    let drain = |m_t: u64, n_t: u64| (m_t * n_t).div_ceil(c);
    // A row of tiles (one `m_t`, every `n_t`) after a tile that left `prev` cycles of drain:
    // a tile cannot hand its accumulators over before the previous tile's have drained.
    let n_splits = splits(g.n, c);
    let mut row = |m_t: u64, prev: u64| {
        let (mut cycles, mut last) = (0, prev);
        for (n_t, n_count) in n_splits {
            if n_count == 0 {
                continue;
            }
            let (t, d) = (compute(m_t, n_t), drain(m_t, n_t));
            cycles += t.max(last) + (n_count - 1) * t.max(d);
            last = d;
        }
        (cycles, last)
    };
    let walk = |prev: u64, row: &mut dyn FnMut(u64, u64) -> (u64, u64)| {
        let (mut cycles, mut last) = (0, prev);
        for (m_t, m_count) in splits(g.m, r) {
            if m_count == 0 {
                continue;
            }
            let (first, l) = row(m_t, last);
            cycles += first;
            if m_count > 1 {
                let (rest, _) = row(m_t, l);
                cycles += (m_count - 1) * rest;
            }
            last = l;
        }
        (cycles, last)
    };
    let (cycles, last) = walk(0, &mut row);
    let (cycles_repeat, _) = walk(last, &mut row);
    let tm = g.m.div_ceil(r);
    let tn = g.n.div_ceil(c);
    GemmMapping {
        tiles: tm * tn,
        cycles,
        cycles_repeat,
        act_reads: g.k * g.m * tn,
        weight_reads: g.k * g.n * tm,
        psum_bytes: 0,
        port_bound,
    }
}

fn weight_stationary(array: &MacArray, g: Pixels) -> GemmMapping {
    let (r, c) = (array.rows as u64, array.cols as u64);
    let ab = array.arithmetic.operand_bits() as u64;
    let acc_bytes = array.arithmetic.acc_bits().div_ceil(8) as u64;
    let mut cycles = 0u64;
    let mut port_bound = false;
    for (k_t, k_count) in splits(g.k, r) {
        for (n_t, n_count) in splits(g.n, c) {
            let count = k_count * n_count;
            if count == 0 {
                continue;
            }
            let load = port_cycles(k_t * n_t, ab, array.weight_bytes_per_cycle).ceil() as u64;
            let per_row = port_cycles(k_t, ab, array.act_bytes_per_cycle).max(1.0);
            port_bound |= per_row > 1.0;
            let stream = (g.m as f64 * per_row).ceil() as u64 + k_t + n_t - 2;
            cycles += count * (load + stream);
        }
    }
    let tk = g.k.div_ceil(r);
    let tn = g.n.div_ceil(c);
    GemmMapping {
        tiles: tk * tn,
        cycles,
        cycles_repeat: cycles,
        act_reads: g.m * g.k * tn,
        weight_reads: g.k * g.n,
        psum_bytes: (tk - 1) * g.m * g.n * acc_bytes,
        port_bound,
    }
}

/// An element-wise layer on the array's vector unit: `cols` lanes, one operation (an FMA
/// counts as one) per lane per cycle, operands from and results to SRAM in the operand format,
/// the operations priced in FP32 (see [`ElementwiseOp`]).
fn map_elementwise(array: &MacArray, layer: &Layer, op: ElementwiseOp, elems: u64) -> LayerMapping {
    let bits = array.arithmetic.operand_bits() as u64;
    let bytes = |e: u64| (e * bits).div_ceil(8);
    let cycles = (op.ops_per_elem() * elems).div_ceil(array.cols as u64);
    let m = LayerMapping {
        name: layer.name.clone(),
        macs: 0,
        tiles: 0,
        compute_cycles: cycles,
        dram_cycles: 0,
        cycles,
        bound: Bound::Compute,
        sram_act_read_bytes: bytes(layer.input_elems()),
        sram_weight_read_bytes: 0,
        sram_psum_read_bytes: 0,
        sram_write_bytes: bytes(elems),
        dram_read_bytes: 0,
        dram_write_bytes: 0,
        tally: Tally::new(),
        array_macs: array.macs(),
        clock_hz: array.clock_hz,
    };
    let mut m = with_tally(array, m);
    for (kind, n) in op.ops(elems, FloatKind::FP32) {
        m.tally.add(kind, n);
    }
    m
}

/// Fills in the tally: each MAC as [`MacArithmetic::mac_ops`](super::MacArithmetic::mac_ops),
/// memory in 64-bit words.
pub(super) fn with_tally(array: &MacArray, mut m: LayerMapping) -> LayerMapping {
    let mut t = Tally::new();
    for op in array.arithmetic.mac_op_iter() {
        t.add(op, m.macs);
    }
    let sram = MemLevel::Sram {
        bytes: array.sram_bank_bytes,
    };
    let words = |bytes: u64| bytes.div_ceil(8);
    t.add(
        OpKind::MemRead {
            level: sram,
            bits: 64,
        },
        words(m.sram_read_bytes()),
    );
    t.add(
        OpKind::MemWrite {
            level: sram,
            bits: 64,
        },
        words(m.sram_write_bytes),
    );
    t.add(
        OpKind::MemRead {
            level: MemLevel::Dram,
            bits: 64,
        },
        words(m.dram_read_bytes),
    );
    t.add(
        OpKind::MemWrite {
            level: MemLevel::Dram,
            bits: 64,
        },
        words(m.dram_write_bytes),
    );
    m.tally = t;
    m
}
