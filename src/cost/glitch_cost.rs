//! Glitch-aware energy: the gate-derived cost from the timed simulator's transitions
//! (glitches included) next to the zero-delay figure from the same run.
//!
//! Both figures use [`gate_cost_from_activity`], so they price a transition the same way
//! (`E_int + ½·C·V²`); only the transition counts differ. The zero-delay count is the timed
//! run's *functional* count (settled value before against after each operation), which equals
//! the zero-delay simulator's on every cell pin, so its energy is exactly
//! [`gate_cost_with`](super::gate_cost_with)'s on the same operands. The **glitch share** is
//! the part of the glitch-aware energy that the zero-delay model misses:
//! `1 − E_zero-delay / E_timed`. Model and limits: `docs/cost-model.md`.

use super::fp_units::{FpUnit, OperandMix, float_operands, mac_operands};
use super::gate_cost::{
    GateCost, SplitMix64, active_lanes, gate_cost_from_activity, random_port_streams,
};
use rand_core::SeedableRng;

use crate::circuits::fp::FpUnitConfig;
use crate::gates::{Activity, CellLibrary, Netlist, Operand, TimedDelays, TimedSimulator};
use crate::{Error, Result};

/// Zero-delay and glitch-aware cost of one circuit on one operand stream.
#[derive(Clone, Debug, PartialEq)]
pub struct GlitchCost {
    /// Cost from functional transitions only (the zero-delay model).
    pub zero_delay: GateCost,
    /// Cost from every transition of the timed simulation, glitches included.
    pub timed: GateCost,
    /// Length of one time unit, ns.
    pub resolution_ns: f64,
    /// The timed critical path: the latest unit at which a wire can change, in ns.
    pub settle_ns: f64,
    /// Per-wire functional (zero-delay) toggles behind `zero_delay`.
    pub zero_delay_activity: Activity,
    /// Per-wire toggles of the timed run, glitches included, behind `timed`.
    pub timed_activity: Activity,
}

impl GlitchCost {
    /// Share of the glitch-aware energy that is glitches: `1 − E_zero / E_timed` (0 when
    /// nothing switches).
    #[must_use]
    pub fn glitch_share(&self) -> f64 {
        let t = self.timed.energy_pj();
        if t > 0.0 {
            1.0 - self.zero_delay.energy_pj() / t
        } else {
            0.0
        }
    }

    /// Share of the transitions that are glitches: `1 − toggles_zero / toggles_timed`.
    #[must_use]
    pub fn toggle_glitch_share(&self) -> f64 {
        let t = self.timed.toggles_per_op;
        if t > 0.0 {
            1.0 - self.zero_delay.toggles_per_op / t
        } else {
            0.0
        }
    }
}

fn costs(
    net: &Netlist,
    lib: &CellLibrary,
    d: &TimedDelays,
    sim: &TimedSimulator<'_>,
) -> Result<GlitchCost> {
    costs_of(net, lib, d, sim, sim.functional_activity(), sim.activity())
}

fn costs_of(
    net: &Netlist,
    lib: &CellLibrary,
    d: &TimedDelays,
    sim: &TimedSimulator<'_>,
    zero_delay_activity: Activity,
    timed_activity: Activity,
) -> Result<GlitchCost> {
    Ok(GlitchCost {
        zero_delay: gate_cost_from_activity(net, lib, &zero_delay_activity)?,
        timed: gate_cost_from_activity(net, lib, &timed_activity)?,
        resolution_ns: d.resolution_ns(),
        settle_ns: f64::from(sim.settle_time()) * d.resolution_ns(),
        zero_delay_activity,
        timed_activity,
    })
}

/// Glitch-aware cost of a combinational `net` on the caller's operands: one slice per input
/// port (by name), all of the same length, a multiple of 64 and at least 128 (operand `v`
/// follows operand `v − 64` in time, as for [`gate_cost_with`](super::gate_cost_with)).
///
/// # Errors
/// As [`TimedSimulator::run`]; [`Error::InvalidParameter`] for fewer than 128 operands.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::adders::ripple_carry_adder;
/// use arithsim::cost::{gate_cost_random, glitch_cost_random};
/// use arithsim::gates::{CellLibrary, TimedDelays};
///
/// let lib = CellLibrary::nangate45();
/// let delays = TimedDelays::from_library(&lib, 0.01)?;
/// let net = ripple_carry_adder(16)?;
/// let g = glitch_cost_random(&net, &lib, &delays, 4096, 1)?;
/// // the zero-delay half is the zero-delay simulator's figure
/// let z = gate_cost_random(&net, &lib, 4096, 1)?;
/// assert!((g.zero_delay.energy_pj() - z.energy_pj()).abs() < 1e-12);
/// // a ripple-carry adder's sum bits glitch while the carry ripples
/// assert!(g.timed.energy_pj() > g.zero_delay.energy_pj());
/// assert!(g.glitch_share() > 0.1 && g.glitch_share() < 0.9);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn glitch_cost_with<T: Operand>(
    net: &Netlist,
    lib: &CellLibrary,
    delays: &TimedDelays,
    inputs: &[(&str, &[T])],
) -> Result<GlitchCost> {
    let n = inputs.first().map_or(0, |i| i.1.len());
    if n < 128 {
        return Err(Error::param(
            "operand stream length",
            n,
            "need at least 128 operands (two per lane) to observe transitions",
        ));
    }
    let mut sim = TimedSimulator::new(net, delays)?;
    sim.run(inputs)?;
    costs(net, lib, delays, &sim)
}

/// Glitch-aware cost of `net` on `ops` uniformly random operands per input port (every bit
/// independent and equiprobable, the stream of [`gate_cost_random`](super::gate_cost_random)
/// for the same seed), `ops` rounded down to a multiple of 64.
///
/// # Errors
/// As [`glitch_cost_with`].
pub fn glitch_cost_random(
    net: &Netlist,
    lib: &CellLibrary,
    delays: &TimedDelays,
    ops: usize,
    seed: u64,
) -> Result<GlitchCost> {
    let ops = ops / 64 * 64;
    let streams = random_port_streams(net, ops, seed);
    let inputs: Vec<(&str, &[u128])> = streams
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    glitch_cost_with(net, lib, delays, &inputs)
}

/// Glitch-aware cost of a clocked netlist (a MAC with its accumulator register): `inputs`
/// gives, per input port (by name), clock `t`'s operands at `[t]`, one per machine (up to
/// 64, one per lane); ports not named are held at 0. Each clock the inputs switch at time 0
/// and the registers' outputs one DFF delay later; the first clock only settles.
///
/// # Errors
/// [`Error::InvalidParameter`] for fewer than 3 clocks or ports with different clock counts;
/// [`Error::Shape`] for more than 64 machines; [`Error::UnknownPort`] for an unknown port.
pub fn glitch_cost_clocked(
    net: &Netlist,
    lib: &CellLibrary,
    delays: &TimedDelays,
    inputs: &[(&str, &[Vec<u64>])],
) -> Result<GlitchCost> {
    let clocks = inputs.first().map_or(0, |i| i.1.len());
    if clocks < 3 || inputs.iter().any(|(_, v)| v.len() != clocks) {
        return Err(Error::param(
            "clocks",
            clocks,
            "need at least 3 clocks, the same number for every port",
        ));
    }
    let mut ports = Vec::with_capacity(inputs.len());
    for (name, v) in inputs {
        let p = net.input(name)?;
        if v.iter().any(|c| c.len() > 64) {
            return Err(Error::Shape(format!(
                "more than 64 machines on port {name:?}"
            )));
        }
        ports.push((p, v));
    }
    let machines = ports
        .iter()
        .flat_map(|(_, v)| v.iter().map(Vec::len))
        .max()
        .unwrap_or(0);
    if machines == 0 {
        return Err(Error::param(
            "machines",
            0,
            "need at least one operand per clock",
        ));
    }
    let offsets: Vec<(usize, usize)> = net
        .inputs()
        .iter()
        .scan(0usize, |o, p| {
            let r = (*o, p.width());
            *o += p.width();
            Some(r)
        })
        .collect();
    // One run of every clock; `idle` holds every port at 0.
    let run = |idle: bool| -> Result<TimedSimulator<'_>> {
        let mut sim = TimedSimulator::new(net, delays)?;
        let mut words = vec![0u64; offsets.iter().map(|o| o.1).sum()];
        for t in 0..clocks {
            words.fill(0);
            for (p, v) in ports.iter().filter(|_| !idle) {
                let k = net
                    .inputs()
                    .iter()
                    .position(|q| q.name() == p.name())
                    .unwrap_or(0);
                let (off, width) = offsets[k];
                for (lane, &x) in v[t].iter().enumerate() {
                    for (i, w) in words[off..off + width].iter_mut().enumerate() {
                        if i < 64 {
                            *w |= ((x >> i) & 1) << lane;
                        }
                    }
                }
            }
            sim.step_words(&words)?;
        }
        Ok(sim)
    };
    let sim = run(false)?;
    if machines == 64 {
        return costs(net, lib, delays, &sim);
    }
    let idle = run(true)?;
    costs_of(
        net,
        lib,
        delays,
        &sim,
        active_lanes(
            &sim.functional_activity(),
            &idle.functional_activity(),
            machines,
        ),
        active_lanes(&sim.activity(), &idle.activity(), machines),
    )
}

/// Glitch-aware cost of a floating-point unit of the cost report, on the random operand mix
/// of [`fp_unit_figures`](super::fp_unit_figures) (`ops` operands, or for a MAC 64 streams
/// of `ops / 64` clocks). Ports other than the operands are held at 0 (add, nearest-even);
/// an FMA's addend `c` is drawn like `a` and `b`.
///
/// # Errors
/// As [`FpUnit::build`], [`glitch_cost_with`] and [`glitch_cost_clocked`].
pub fn fp_unit_glitch_cost(
    unit: FpUnit,
    cfg: &FpUnitConfig,
    lib: &CellLibrary,
    delays: &TimedDelays,
    ops: usize,
    seed: u64,
) -> Result<GlitchCost> {
    let net = unit.build(cfg)?;
    let mut rng = SplitMix64::seed_from_u64(seed);
    let mix = OperandMix::Random;
    if let FpUnit::Mac { mul, acc } = unit {
        let clocks = ops / 64;
        let mut draw = || -> Vec<Vec<u64>> {
            (0..clocks)
                .map(|_| mac_operands(mul, acc, mix, 64, clocks, &mut rng))
                .collect()
        };
        let (a, b) = (draw(), draw());
        return glitch_cost_clocked(&net, lib, delays, &[("a", &a), ("b", &b)]);
    }
    let (fa, fc) = match unit {
        FpUnit::Adder(f) | FpUnit::Multiplier(f) => (f, f),
        FpUnit::Fma { mul, acc } | FpUnit::Mac { mul, acc } => (mul, acc),
    };
    let ops = ops / 64 * 64;
    let a = float_operands(fa, mix, ops, &mut rng);
    let b = float_operands(fa, mix, ops, &mut rng);
    let c = float_operands(fc, mix, ops, &mut rng);
    let zeros = vec![0u64; ops];
    let inputs: Vec<(&str, &[u64])> = net
        .inputs()
        .iter()
        .map(|p| {
            let v: &[u64] = match p.name() {
                "a" => &a,
                "b" => &b,
                "c" => &c,
                _ => &zeros,
            };
            (p.name(), v)
        })
        .collect();
    glitch_cost_with(&net, lib, delays, &inputs)
}
