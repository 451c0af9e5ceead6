//! Power from a Liberty library's internal-power tables plus `½·C·V²` switching, the way
//! OpenSTA's `report_power` computes it, from a switching activity per operation.

use super::cells::{CellLibrary, LibCell};
use super::liberty::{Sense, Table};
use super::netlist::Netlist;
use super::sta::StaOptions;
use crate::{Error, Result};

/// Switching activity for [`Netlist::nldm_power`]: transitions per operation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PowerActivity<'a> {
    /// The same activity on every net (OpenSTA's `set_power_activity -global -activity a
    /// -duty 0.5`, one clock period per operation).
    Uniform(f64),
    /// One activity per wire (index = wire id), e.g. toggles per operation from
    /// [`Simulator`](crate::gates::Simulator) activity.
    PerWire(&'a [f64]),
}

/// How a pin's internal-power groups combine into energy per transition.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InternalPowerModel {
    /// As current OpenSTA releases: each group weighted by the probability that a change of
    /// its related pin reaches the output (boolean difference), the weights normalized to 1
    /// over the pin's groups, rise and fall energies averaged: one output transition costs
    /// about one table entry.
    #[default]
    Normalized,
    /// As OpenSTA 2.0.17 (the Debian `opensta` package, a 2019 snapshot) computes it: each
    /// group weighted by the probability of its `when` (1 for a one-input cell, 0.5 for a
    /// group without `when`, 1 when its related pin is a flip-flop's clock), rise and fall
    /// energies summed. For a cell whose `when`s
    /// partition the input space this counts about twice the table energy per related pin.
    OpenSta2019,
}

/// Energy per operation from NLDM tables, fJ, at [`voltage_v`](NldmPower::voltage_v) (the
/// Liberty library's nominal voltage: its tables are characterized there).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NldmPower {
    /// Internal (short-circuit and cell-internal) energy from the `internal_power` tables,
    /// at `voltage_v`.
    pub internal_fj: f64,
    /// Switching energy `½·C·V²` per transition of each driven net's load, at `voltage_v`.
    pub switching_fj: f64,
    /// The supply voltage both energies are at: the library's, V.
    pub voltage_v: f64,
}

impl NldmPower {
    /// Internal plus switching, at [`voltage_v`](NldmPower::voltage_v).
    #[must_use]
    pub fn total_fj(&self) -> f64 {
        self.internal_fj + self.switching_fj
    }

    /// Internal plus switching rescaled to supply `voltage_v` by `(V / V_lib)²` (the same
    /// first-order dynamic scaling as [`GateCost::energy_pj_at`](crate::cost::GateCost::energy_pj_at)), fJ.
    #[must_use]
    pub fn total_fj_at(&self, voltage_v: f64) -> f64 {
        let k = voltage_v / self.voltage_v;
        self.total_fj() * k * k
    }
}

/// The rise and fall energies of a group: summed (OpenSTA 2.0.17) or averaged.
fn combine(sum: bool, vals: impl Iterator<Item = f64>) -> f64 {
    let (s, n) = vals.fold((0.0, 0), |(s, n), v| (s + v, n + 1));
    if sum || n == 0 { s } else { s / f64::from(n) }
}

impl Netlist {
    /// Energy per operation from the internal-power tables of a Liberty-loaded `lib` and the
    /// nets' `½·C·V²`, with `activity` transitions per operation, computed as OpenSTA's
    /// `report_power` does (so the two agree when given the same activity):
    ///
    /// * per output pin: each `internal_power` group's energy is the mean of its rise and
    ///   fall tables at the related input pin's slew (from [`Netlist::sta`]) and the pin's
    ///   load (the larger of rise and fall); groups are weighted by the probability that a
    ///   change of their related pin reaches the output (the boolean difference, duty 0.5 on
    ///   every input, operators combined as independent), normalized over the pin's groups,
    ///   and times the output's activity (an unconnected output pin, a flip-flop's `QN`, with
    ///   no load and the activity of the cell's first output);
    /// * per input pin with `internal_power` groups (flip-flops): the mean table energy at
    ///   the pin's slew, times the probability of the group's `when` (0.5 without one), times
    ///   the pin's activity (a flip-flop's clock: 2 per operation);
    /// * switching: `½·C·V²` of each instance output's load, times its activity. Primary
    ///   inputs' nets are driven by no cell and count nothing.
    ///
    /// # Errors
    /// As [`Netlist::sta`]; [`Error::InvalidParameter`] for a negative or non-finite
    /// activity or a per-wire slice of the wrong length.
    pub fn nldm_power(
        &self,
        lib: &CellLibrary,
        opts: &StaOptions,
        activity: PowerActivity<'_>,
    ) -> Result<NldmPower> {
        self.nldm_power_with(lib, opts, activity, InternalPowerModel::Normalized)
    }

    /// [`Netlist::nldm_power`] with the internal-power arithmetic chosen
    /// ([`InternalPowerModel::OpenSta2019`] reproduces the Debian `opensta` package's
    /// `report_power`).
    ///
    /// # Errors
    /// As [`Netlist::nldm_power`].
    pub fn nldm_power_with(
        &self,
        lib: &CellLibrary,
        opts: &StaOptions,
        activity: PowerActivity<'_>,
        model: InternalPowerModel,
    ) -> Result<NldmPower> {
        let old = model == InternalPowerModel::OpenSta2019;
        let n = self.wire_count();
        let act = |w: usize| match activity {
            PowerActivity::Uniform(a) => a,
            PowerActivity::PerWire(v) => v[w],
        };
        match activity {
            PowerActivity::Uniform(a) if !(a.is_finite() && a >= 0.0) => {
                return Err(Error::param(
                    "activity",
                    a,
                    "must be finite and non-negative",
                ));
            }
            PowerActivity::PerWire(v) if v.len() != n => {
                return Err(Error::param(
                    "activity",
                    format!("{} values", v.len()),
                    format!("need one per wire ({n})"),
                ));
            }
            PowerActivity::PerWire(v) if v.iter().any(|a| !(a.is_finite() && *a >= 0.0)) => {
                return Err(Error::param(
                    "activity",
                    "a wire's value",
                    "must be finite and non-negative",
                ));
            }
            _ => {}
        }
        let sta = self.sta(lib, opts)?;
        let pl = self.place(lib, opts)?;
        let v = lib.voltage_v();
        let mut internal = 0.0;
        let mut switching = 0.0;
        for (k, x) in pl.inst.iter().enumerate() {
            let (cm, cell, wires) = &pl.pins[k];
            let wire_of = |p: usize| -> Option<usize> {
                cm.inputs
                    .iter()
                    .position(|&q| q == p)
                    .map(|i| wires[i] as usize)
            };
            let slew_of = |p: usize, rf: usize| -> f64 {
                if Some(p) == cm.clock {
                    opts.input_slew_ns
                } else {
                    wire_of(p).map_or(0.0, |w| sta.slew_ns[w][rf])
                }
            };
            let act_of = |p: usize| -> f64 {
                if Some(p) == cm.clock {
                    2.0
                } else {
                    wire_of(p).map_or(0.0, act)
                }
            };
            // Every output pin of the cell draws internal power, connected or not (a
            // flip-flop's QN toggles with Q): an unconnected one with no load and the
            // activity of the first connected output.
            let first = x.outputs[0] as usize;
            for o in cell.outputs() {
                let (load, a_out) = match cm.outputs.iter().position(|&q| q == o) {
                    Some(j) => {
                        let wo = x.outputs[j] as usize;
                        let load = pl.load[wo][0].max(pl.load[wo][1]);
                        switching += 0.5 * load * v * v * act(wo);
                        (load, act(wo))
                    }
                    None => (0.0, act(first)),
                };
                let pin = &cell.pins[o];
                let duty = |g: &super::liberty::InternalPower| -> f64 {
                    let Some(r) = g.related else { return 0.0 };
                    match &pin.function {
                        Some(f) if f.has_pin(r) => {
                            if a_out == 0.0 {
                                0.0
                            } else {
                                act_of(r) / a_out * f.duty_difference(r, 0.5)
                            }
                        }
                        _ => match &g.condition {
                            Some(c) => c.probability(0.5),
                            None if Some(r) == cm.clock => 1.0,
                            None => 0.5,
                        },
                    }
                };
                let n_inputs = cm.inputs.len() + usize::from(cm.clock.is_some());
                let when_duty = |g: &super::liberty::InternalPower| match &g.condition {
                    Some(c) => c.probability(0.5),
                    None if n_inputs == 1 || g.related.is_some() && g.related == cm.clock => 1.0,
                    None => 0.5,
                };
                let duty_sum: f64 = pin.power.iter().map(duty).sum();
                for g in &pin.power {
                    let weight = if old {
                        when_duty(g)
                    } else {
                        let d = duty(g);
                        if duty_sum == 0.0 { d } else { d / duty_sum }
                    };
                    let positive = g.related.is_none_or(|r| {
                        pin.arcs
                            .iter()
                            .find(|a| a.related == r)
                            .is_none_or(|a| a.sense != Sense::Negative)
                    });
                    let e = combine(
                        old,
                        (0..2).filter_map(|rf| {
                            let t: &Table = g.energy[rf].as_ref()?;
                            let from_rf = if positive { rf } else { 1 - rf };
                            let s = g.related.map_or(0.0, |r| slew_of(r, from_rf));
                            Some(t.lookup(s, load))
                        }),
                    );
                    internal += weight * e * a_out;
                }
            }
            // input-pin internal power (flip-flops' data and clock pins)
            let mut in_pins: Vec<usize> = cm.inputs.clone();
            in_pins.extend(cm.clock);
            for p in in_pins {
                for g in &cell.pins[p].power {
                    let e = combine(
                        old,
                        (0..2).filter_map(|rf| {
                            g.energy[rf].as_ref().map(|t| t.lookup(slew_of(p, rf), 0.0))
                        }),
                    );
                    let d = g.condition.as_ref().map_or(0.5, |c| c.probability(0.5));
                    internal += e * d * act_of(p);
                }
            }
            debug_assert!(x.cell != LibCell::Dff || cm.clock.is_some());
        }
        Ok(NldmPower {
            internal_fj: internal,
            switching_fj: switching,
            voltage_v: v,
        })
    }
}
