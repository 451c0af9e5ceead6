//! Bandwidth stalls: a layer's cycles when its tiles' operands must come through an SRAM
//! and a DRAM of given bandwidths, and whether the layer is compute- or memory-bound.
//!
//! # The model
//!
//! A layer mapped by [`map_layer`] runs as `n` tiles (folds). Its SRAM traffic `S` (operand
//! and partial-sum reads, output and partial-sum writes) and DRAM traffic `D` (reads and
//! writes) are spread evenly over the tiles, as is its compute time `C` (the dataflow's
//! cycles, including the array's own read-port limits). Per tile:
//!
//! - the SRAM delivers while the tile runs: a tile takes `f = max(C/n, S/(n·B_sram))`;
//! - the DRAM fills a second SRAM buffer for the next tile while this one runs
//!   (double-buffered): the next tile's data take `g = D/(n·B_dram)`.
//!
//! So the layer takes `⌈g + (n − 1)·max(f, g) + f⌉` cycles: the first tile's fetch is
//! exposed, then each tile waits for the slower of its compute and the next fetch. The
//! stalls are the cycles beyond `C`: SRAM stalls `⌈n·f⌉ − C`, DRAM stalls the rest. A layer
//! is memory-bound when, per tile, a memory needs longer than the compute (`g > f` →
//! [`Bound::Dram`], else `S/(n·B_sram) > C/n` → [`Bound::SramBandwidth`]); the first tile's
//! exposed fetch alone does not make it so.

use super::array::MacArray;
use super::mapping::{Bound, map_layer};
use super::workload::{Layer, Network};
use crate::{Error, Result};

/// SRAM and DRAM bandwidths in bytes per cycle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bandwidth {
    /// Bytes per cycle between the SRAM and the array (all operands, partial sums and
    /// outputs).
    pub sram_bytes_per_cycle: f64,
    /// Bytes per cycle between DRAM and the SRAM.
    pub dram_bytes_per_cycle: f64,
}

impl Bandwidth {
    /// Checked bandwidths.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for a bandwidth that is not finite and positive.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::Bandwidth;
    ///
    /// assert!(Bandwidth::new(384.0, 34.128).is_ok());
    /// assert!(Bandwidth::new(384.0, 0.0).is_err());
    /// ```
    pub fn new(sram_bytes_per_cycle: f64, dram_bytes_per_cycle: f64) -> Result<Bandwidth> {
        let b = Bandwidth {
            sram_bytes_per_cycle,
            dram_bytes_per_cycle,
        };
        b.validate()?;
        Ok(b)
    }

    /// The array's own: its two SRAM read ports together, and its DRAM bandwidth per clock
    /// (FSD: 384 and 34.128 bytes per cycle).
    pub fn of(array: &MacArray) -> Bandwidth {
        Bandwidth {
            sram_bytes_per_cycle: (array.act_bytes_per_cycle as u64
                + array.weight_bytes_per_cycle as u64) as f64,
            dram_bytes_per_cycle: array.dram_bytes_per_cycle(),
        }
    }

    /// Checks both bandwidths.
    ///
    /// # Errors
    ///
    /// As [`Self::new`].
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [
            ("sram bandwidth", self.sram_bytes_per_cycle),
            ("dram bandwidth", self.dram_bytes_per_cycle),
        ] {
            if !(v.is_finite() && v > 0.0) {
                return Err(Error::param(
                    name,
                    v,
                    "must be finite and positive (bytes/cycle)",
                ));
            }
        }
        Ok(())
    }
}

/// A layer's cycles with bandwidth stalls.
#[derive(Clone, Debug, PartialEq)]
pub struct StallMapping {
    /// The layer's name.
    pub name: String,
    /// Tiles (folds) the traffic is spread over (1 for an element-wise layer).
    pub tiles: u64,
    /// Cycles without stalls ([`LayerMapping::compute_cycles`](super::LayerMapping)).
    pub compute_cycles: u64,
    /// Cycles lost waiting for the SRAM.
    pub sram_stall_cycles: u64,
    /// Cycles lost waiting for DRAM (including the first tile's exposed fetch).
    pub dram_stall_cycles: u64,
    /// Compute plus stalls.
    pub cycles: u64,
    /// What limits the layer in the steady state.
    pub bound: Bound,
}

impl StallMapping {
    /// Whether a memory (SRAM or DRAM), not the MACs, sets the layer's speed.
    pub fn is_memory_bound(&self) -> bool {
        self.bound != Bound::Compute
    }
}

/// Maps `layer` on `array` and adds the stalls of `bandwidth` (double-buffered tiles).
///
/// # Errors
///
/// As [`map_layer`], and as [`Bandwidth::validate`].
///
/// # Examples
///
/// ```
/// use arithsim::accel::{fsd_npu, map_layer_stalls, Bandwidth, Bound, Network};
///
/// let npu = fsd_npu();
/// let net = Network::resnet50_v1_5(1)?;
/// let fc = net.layers.last().unwrap();
/// // 2 MB of FC weights at 34 bytes per cycle (60,010 cycles) against 11 tiles of 2048
/// // steps: memory bound.
/// let s = map_layer_stalls(&npu, fc, Bandwidth::of(&npu))?;
/// assert_eq!(s.compute_cycles, 11 * 2048);
/// assert_eq!(s.bound, Bound::Dram);
/// assert!(s.cycles >= 60_010);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn map_layer_stalls(
    array: &MacArray,
    layer: &Layer,
    bandwidth: Bandwidth,
) -> Result<StallMapping> {
    bandwidth.validate()?;
    let m = map_layer(array, layer)?;
    let n = m.tiles.max(1);
    let sram = m
        .sram_read_bytes()
        .checked_add(m.sram_write_bytes)
        .ok_or_else(|| Error::Shape(format!("layer {} SRAM bytes overflow", layer.name)))?;
    let dram = m
        .dram_read_bytes
        .checked_add(m.dram_write_bytes)
        .ok_or_else(|| Error::Shape(format!("layer {} DRAM bytes overflow", layer.name)))?;
    let nf = n as f64;
    let c = m.compute_cycles as f64 / nf;
    let s = sram as f64 / nf / bandwidth.sram_bytes_per_cycle;
    let f = c.max(s);
    let g = dram as f64 / nf / bandwidth.dram_bytes_per_cycle;
    let sram_cycles = ((nf * f).ceil() as u64).max(m.compute_cycles);
    let cycles = ((g + (nf - 1.0) * f.max(g) + f).ceil() as u64).max(sram_cycles);
    let bound = if g > f {
        Bound::Dram
    } else if s > c {
        Bound::SramBandwidth
    } else {
        Bound::Compute
    };
    Ok(StallMapping {
        name: m.name,
        tiles: n,
        compute_cycles: m.compute_cycles,
        sram_stall_cycles: sram_cycles - m.compute_cycles,
        dram_stall_cycles: cycles - sram_cycles,
        cycles,
        bound,
    })
}

/// [`map_layer_stalls`] for every layer of `network`, in order.
///
/// # Errors
///
/// As [`map_layer_stalls`], for the first layer that fails.
///
/// # Examples
///
/// ```
/// use arithsim::accel::{fsd_npu, map_network_stalls, Bandwidth, Network};
///
/// let npu = fsd_npu();
/// let st = map_network_stalls(&npu, &Network::resnet50_v1_5(1)?, Bandwidth::of(&npu))?;
/// // At batch 1 the last stage and the FC layer wait for their weights.
/// assert_eq!(st.iter().filter(|s| s.is_memory_bound()).count(), 10);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn map_network_stalls(
    array: &MacArray,
    network: &Network,
    bandwidth: Bandwidth,
) -> Result<Vec<StallMapping>> {
    network
        .layers
        .iter()
        .map(|l| map_layer_stalls(array, l, bandwidth))
        .collect()
}
