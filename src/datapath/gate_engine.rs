//! The gate-level engine: integer GEMMs run through a MAC circuit's netlist, 64 outputs at a
//! time in the bit-parallel simulator, which also records switching activity.

use crate::circuits::mac::{MAX_LANES, Mac, MacSpec, dot_product_unit};
use crate::gates::{Activity, CellLibrary};
use crate::{Error, Result};

use super::bias::Bias;
use super::int_arith::IntArith;
use super::order::AccumulationOrder;
use super::shape::GemmShape;
use crate::repr::Overflow;

/// Which engine computes a datapath's values (integer: [`IntDatapath`](super::IntDatapath);
/// floating point: [`FloatDatapath`](super::FloatDatapath), see
/// [`FloatDatapath::with_engine`](super::FloatDatapath::with_engine)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Engine {
    /// Plain machine words (the default; fast).
    #[default]
    WordLevel,
    /// The MAC circuit of [`crate::circuits::mac`] (Dadda tree on Baugh-Wooley or AND-array
    /// partial products, Brent-Kung adders), simulated gate by gate, 64 outputs in parallel:
    /// the same bits, plus switching activity. Needs `acc_bits >= 2·mul_bits`; sequential
    /// order runs on a one-lane MAC, `Blocked { width }` (wrapping, `width <= 64`) on a
    /// `width`-lane dot-product unit (one fused tree per clock); a bias only when wrapping.
    /// Floating point: the fused multiply-add of [`crate::circuits::fp`], one lane per output,
    /// sequential order with exact products.
    GateLevel,
}

/// The MAC circuit of an integer configuration.
pub(crate) fn build_mac(arith: &IntArith, order: AccumulationOrder, has_bias: bool) -> Result<Mac> {
    let lanes = match order {
        AccumulationOrder::Sequential => 1,
        AccumulationOrder::Blocked { width }
            if arith.overflow == Overflow::Wrapping
                && (1..=MAX_LANES as usize).contains(&width) =>
        {
            width as u32
        }
        _ => {
            return Err(Error::Unsupported(format!(
                "the gate-level engine runs sequential order, or blocked order of width 1..=64 \
                 with a wrapping accumulator, not {order} order with a {} accumulator",
                arith.overflow
            )));
        }
    };
    if arith.acc_bits < 2 * arith.mul_bits {
        return Err(Error::Unsupported(format!(
            "the gate-level engine needs an accumulator of at least 2*mul_bits = {} bits to hold \
             the product, got {}",
            2 * arith.mul_bits,
            arith.acc_bits
        )));
    }
    if has_bias && arith.overflow == Overflow::Saturating {
        return Err(Error::Unsupported(
            "the gate-level MAC starts from zero; a bias with a saturating accumulator is not \
             supported there"
                .into(),
        ));
    }
    let spec = MacSpec::new(arith.mul_bits, arith.acc_bits, arith.signedness)
        .with_overflow(arith.overflow);
    Mac::new(if lanes == 1 {
        spec
    } else {
        dot_product_unit(lanes, spec)
    })
}

/// Runs a validated GEMM through `mac`, 64 outputs per simulator run of `⌈K / lanes⌉` clocks;
/// adds the (wrapping) bias afterwards. Returns the summed activity.
pub(crate) fn gemm_gate_level<T: Copy + Into<i64>>(
    mac: &Mac,
    arith: &IntArith,
    s: GemmShape,
    a: &[T],
    b: &[T],
    bias: Bias<'_>,
    out: &mut [i64],
) -> Result<Activity> {
    let op_mask = if arith.mul_bits == 64 {
        u64::MAX
    } else {
        (1u64 << arith.mul_bits) - 1
    };
    let outputs = s.m * s.n;
    let lanes = mac.spec().lanes as usize;
    let mut total = Activity::default();
    let mut start = 0;
    while start < outputs {
        let streams = (outputs - start).min(64);
        // Clock t feeds lane l of stream o with reduction index t·lanes + l (zeros past K:
        // they add nothing to a wrapping sum).
        let clocks = s.k.div_ceil(lanes);
        let mut av = Vec::with_capacity(clocks);
        let mut bv = Vec::with_capacity(clocks);
        for t in 0..clocks {
            let mut at = Vec::with_capacity(streams * lanes);
            let mut bt = Vec::with_capacity(streams * lanes);
            for o in start..start + streams {
                let (i, j) = (o / s.n, o % s.n);
                for kk in t * lanes..(t + 1) * lanes {
                    let (x, y) = if kk < s.k {
                        (a[i * s.k + kk].into(), b[kk * s.n + j].into())
                    } else {
                        (0, 0)
                    };
                    at.push((x as u64) & op_mask);
                    bt.push((y as u64) & op_mask);
                }
            }
            av.push(at);
            bv.push(bt);
        }
        let run = mac.run(&av, &bv, true)?;
        let last = run.acc.last().expect("k >= 1 clocks");
        for (st, &v) in last.iter().enumerate() {
            let o = start + st;
            let (i, j) = (o / s.n, o % s.n);
            let raw = arith.wrap(v as i64);
            out[o] = match bias.at(s.n, i, j) {
                Some(bv) => arith.wrap(raw.wrapping_add(bv)),
                None => raw,
            };
        }
        if let Some(act) = run.activity {
            add_activity(&mut total, &act);
        }
        start += streams;
    }
    Ok(total)
}

/// Adds `more`'s toggles and transitions into `total` (same netlist).
pub(crate) fn add_activity(total: &mut Activity, more: &Activity) {
    if total.toggles.len() < more.toggles.len() {
        total.toggles.resize(more.toggles.len(), 0);
    }
    for (t, x) in total.toggles.iter_mut().zip(&more.toggles) {
        *t += x;
    }
    total.transitions += more.transitions;
}

/// Dynamic energy in pJ of the switching `activity` recorded in `mac`'s netlist: the cost
/// layer's per-operation figure ([`crate::cost::gate_cost_from_activity`]: every output toggle
/// costs the cell's internal energy plus `½·C·V²` of its load) times the transitions observed.
pub(crate) fn activity_energy_pj(mac: &Mac, activity: &Activity, lib: &CellLibrary) -> Result<f64> {
    if activity.transitions == 0 {
        return Ok(0.0);
    }
    let cost = crate::cost::gate_cost_from_activity(mac.netlist(), lib, activity)?;
    Ok(cost.energy_pj() * cost.transitions as f64)
}
