//! The meaning of a Liberty tree: units, cells, pins, NLDM timing arcs, internal power.

use std::collections::HashMap;

use super::func::Func;
use super::parse::{Group, err};
use super::table::Table;
use crate::Result;

/// A pin's direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// An input pin.
    Input,
    /// An output pin.
    Output,
    /// Anything else (`inout`, `internal`): the cell is not used for mapping.
    Other,
}

/// How an output transition follows an input transition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sense {
    /// Rise causes rise.
    Positive,
    /// Rise causes fall.
    Negative,
    /// Either.
    NonUnate,
}

/// An NLDM timing arc from a related input pin to an output pin.
#[derive(Clone, Debug, PartialEq)]
pub struct TimingArc {
    /// The related (input) pin's index in the cell's pin list.
    pub related: usize,
    /// Unateness.
    pub sense: Sense,
    /// Clock-to-output arc of a flip-flop (`timing_type : rising_edge`/`falling_edge`).
    pub clock_edge: bool,
    /// Delay tables `[rise, fall]` of the output transition, ns.
    pub delay: [Option<Table>; 2],
    /// Output-slew tables `[rise, fall]`, ns.
    pub slew: [Option<Table>; 2],
    /// The `when` condition, as written (conditional arcs are all active, as in STA).
    pub when: Option<String>,
}

/// An internal-power group: energy per output (or input) transition.
#[derive(Clone, Debug, PartialEq)]
pub struct InternalPower {
    /// The related pin's index, if any.
    pub related: Option<usize>,
    /// Energy tables `[rise, fall]` in fJ.
    pub energy: [Option<Table>; 2],
    /// The `when` condition, as written.
    pub when: Option<String>,
    /// The `when` condition parsed over the cell's pins (`None` if absent or beyond the
    /// function subset).
    pub condition: Option<Func>,
}

/// One pin of a cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Pin {
    /// Name.
    pub name: String,
    /// Direction.
    pub direction: Direction,
    /// Input capacitance `[rise, fall]` in fF (`rise_capacitance`, `fall_capacitance`, else
    /// `capacitance`).
    pub cap_ff: [f64; 2],
    /// `capacitance` in fF (the larger of the two when absent).
    pub capacitance_ff: f64,
    /// Output function over the cell's pins (and flip-flop state, indices past the pins).
    pub function: Option<Func>,
    /// Timing arcs into this (output) pin.
    pub arcs: Vec<TimingArc>,
    /// Internal-power groups of this pin.
    pub power: Vec<InternalPower>,
}

/// A flip-flop (`ff (IQ, IQN) { next_state; clocked_on }`).
#[derive(Clone, Debug, PartialEq)]
pub struct FlipFlop {
    /// The data function (over pins).
    pub next_state: Func,
    /// The clock function (over pins).
    pub clocked_on: Func,
}

/// One cell of a library.
#[derive(Clone, Debug, PartialEq)]
pub struct LibertyCell {
    /// Name (`"NAND2_X1"`).
    pub name: String,
    /// Area in µm².
    pub area_um2: f64,
    /// `cell_leakage_power` in nW.
    pub leakage_nw: f64,
    /// Pins, in file order. Functions refer to flip-flop state as index `pins.len()` (`IQ`)
    /// and `pins.len() + 1` (`IQN`).
    pub pins: Vec<Pin>,
    /// Its flip-flop, if it is one.
    pub ff: Option<FlipFlop>,
    /// Not usable for mapping: `dont_use`, latches, buses, tri-state or odd pins.
    pub unusable: bool,
}

impl LibertyCell {
    /// Index of pin `name`.
    #[must_use]
    pub fn pin(&self, name: &str) -> Option<usize> {
        self.pins.iter().position(|p| p.name == name)
    }

    /// Input pin indices, in file order.
    #[must_use]
    pub fn inputs(&self) -> Vec<usize> {
        (0..self.pins.len())
            .filter(|&i| self.pins[i].direction == Direction::Input)
            .collect()
    }

    /// Output pin indices, in file order.
    #[must_use]
    pub fn outputs(&self) -> Vec<usize> {
        (0..self.pins.len())
            .filter(|&i| self.pins[i].direction == Direction::Output)
            .collect()
    }
}

/// A Liberty cell library: units normalized to ns, fF, nW, fJ, V.
#[derive(Clone, Debug, PartialEq)]
pub struct Liberty {
    /// The library's name.
    pub name: String,
    /// Nominal supply voltage in V.
    pub voltage_v: f64,
    /// Cells, in file order.
    pub cells: Vec<LibertyCell>,
}

struct Units {
    time_ns: f64,
    cap_ff: f64,
    leak_nw: f64,
    /// Internal-power table unit in fJ (cap unit × V², voltage in volts).
    energy_fj: f64,
}

fn num(file: &str, line: usize, field: &str, s: &str) -> Result<f64> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| err(file, line, field, format!("not a number: {s:?}")))?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(err(file, line, field, format!("not finite: {s:?}")))
    }
}

/// `"1ns"` → 1, `"1ps"` → 0.001, with the scale of `base` units per `unit`.
fn unit(file: &str, line: usize, field: &str, s: &str, units: &[(&str, f64)]) -> Result<f64> {
    let t = s.trim().trim_matches('"').to_ascii_lowercase();
    for (suffix, scale) in units {
        if let Some(n) = t.strip_suffix(suffix) {
            let n = if n.trim().is_empty() { "1" } else { n.trim() };
            return Ok(num(file, line, field, n)? * scale);
        }
    }
    Err(err(file, line, field, format!("unsupported unit {s:?}")))
}

/// Table templates: name → (variables, index_1, index_2).
type Templates = HashMap<String, (Vec<Var>, Vec<Vec<f64>>)>;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Var {
    Slew,
    Load,
}

fn list(file: &str, line: usize, field: &str, s: &str) -> Result<Vec<f64>> {
    s.split([',', ' '])
        .filter(|t| !t.trim().is_empty())
        .map(|t| num(file, line, field, t))
        .collect()
}

impl Liberty {
    pub(crate) fn from_tree(lib: &Group, file: &str) -> Result<Liberty> {
        if let Some((m, line)) = lib.attr("delay_model")
            && m != "table_lookup"
        {
            return Err(err(
                file,
                line,
                "delay_model",
                format!("unsupported delay model {m:?} (only table_lookup, NLDM)"),
            ));
        }
        let time_ns = match lib.attr("time_unit") {
            Some((s, l)) => unit(
                file,
                l,
                "time_unit",
                s,
                &[("ns", 1.0), ("ps", 1e-3), ("us", 1e3)],
            )?,
            None => 1.0,
        };
        let cap_ff = match lib.attrs.iter().find(|a| a.name == "capacitive_load_unit") {
            Some(a) => {
                let (Some(n), Some(u)) = (a.values.first(), a.values.get(1)) else {
                    return Err(err(file, a.line, "capacitive_load_unit", "needs (n, unit)"));
                };
                num(file, a.line, "capacitive_load_unit", n)?
                    * unit(
                        file,
                        a.line,
                        "capacitive_load_unit",
                        u,
                        &[("ff", 1.0), ("pf", 1e3)],
                    )?
            }
            None => 1.0,
        };
        let leak_nw = match lib.attr("leakage_power_unit") {
            Some((s, l)) => unit(
                file,
                l,
                "leakage_power_unit",
                s,
                &[("nw", 1.0), ("pw", 1e-3), ("uw", 1e3), ("mw", 1e6)],
            )?,
            None => 1.0,
        };
        let vscale = match lib.attr("voltage_unit") {
            Some((s, l)) => unit(file, l, "voltage_unit", s, &[("mv", 1e-3), ("v", 1.0)])?,
            None => 1.0,
        };
        let voltage_v = match lib.attr("nom_voltage") {
            Some((s, l)) => num(file, l, "nom_voltage", s)? * vscale,
            None => {
                return Err(err(
                    file,
                    lib.line,
                    "nom_voltage",
                    "the library has no nom_voltage",
                ));
            }
        };
        let units = Units {
            time_ns,
            cap_ff,
            leak_nw,
            energy_fj: cap_ff * vscale * vscale,
        };
        let mut templates: Templates = HashMap::new();
        for g in lib
            .groups
            .iter()
            .filter(|g| g.name == "lu_table_template" || g.name == "power_lut_template")
        {
            let mut vars = Vec::new();
            let mut idx = Vec::new();
            for k in 1..=3 {
                let Some((v, _)) = g.attr(&format!("variable_{k}")) else {
                    break;
                };
                vars.push(match v {
                    "input_net_transition" | "input_transition_time" | "related_pin_transition" => {
                        Some(Var::Slew)
                    }
                    "total_output_net_capacitance" => Some(Var::Load),
                    _ => None,
                });
                let ix = g
                    .attrs
                    .iter()
                    .find(|a| a.name == format!("index_{k}"))
                    .map(|a| list(file, a.line, &a.name, &a.values.join(",")))
                    .transpose()?
                    .unwrap_or_default();
                idx.push(ix);
            }
            // Templates over other variables (setup/hold constraints) are kept out.
            if vars.iter().all(Option::is_some) {
                let vars = vars.into_iter().flatten().collect();
                templates.insert(g.args.first().cloned().unwrap_or_default(), (vars, idx));
            }
        }
        let mut cells = Vec::new();
        for g in lib.groups("cell") {
            cells.push(cell(g, file, &units, &templates)?);
        }
        Ok(Liberty {
            name: lib.args.first().cloned().unwrap_or_default(),
            voltage_v,
            cells,
        })
    }

    /// The cell called `name`.
    #[must_use]
    pub fn cell(&self, name: &str) -> Option<&LibertyCell> {
        self.cells.iter().find(|c| c.name == name)
    }
}

fn cell(g: &Group, file: &str, u: &Units, templates: &Templates) -> Result<LibertyCell> {
    let name = g.args.first().cloned().unwrap_or_default();
    let area_um2 = match g.attr("area") {
        Some((s, l)) => num(file, l, "area", s)?,
        None => 0.0,
    };
    let leakage_nw = match g.attr("cell_leakage_power") {
        Some((s, l)) => num(file, l, "cell_leakage_power", s)? * u.leak_nw,
        None => 0.0,
    };
    let mut unusable = g.attr("dont_use").is_some_and(|(v, _)| v == "true")
        || g.groups.iter().any(|s| {
            matches!(
                s.name.as_str(),
                "latch" | "bus" | "bundle" | "statetable" | "ff_bank" | "latch_bank"
            )
        });
    let pin_groups: Vec<&Group> = g.groups("pin").collect();
    let mut pins: Vec<Pin> = Vec::new();
    for p in &pin_groups {
        // `pin (A, B)` declares several pins alike
        for pname in &p.args {
            let direction = match p.attr("direction").map(|d| d.0) {
                Some("input") => Direction::Input,
                Some("output") => Direction::Output,
                _ => Direction::Other,
            };
            if direction == Direction::Other || p.attr("three_state").is_some() {
                unusable = true;
            }
            let capf = |k: &str| -> Result<Option<f64>> {
                p.attr(k)
                    .map(|(s, l)| num(file, l, k, s).map(|v| v * u.cap_ff))
                    .transpose()
            };
            let c = capf("capacitance")?;
            let r = capf("rise_capacitance")?.or(c).unwrap_or(0.0);
            let f = capf("fall_capacitance")?.or(c).unwrap_or(0.0);
            pins.push(Pin {
                name: pname.trim().to_string(),
                direction,
                cap_ff: [r, f],
                capacitance_ff: c.unwrap_or(r.max(f)),
                function: None,
                arcs: Vec::new(),
                power: Vec::new(),
            });
        }
    }
    let state: Vec<String> = g
        .groups
        .iter()
        .find(|s| s.name == "ff" || s.name == "latch")
        .map(|f| f.args.iter().map(|a| a.trim().to_string()).collect())
        .unwrap_or_default();
    let names: Vec<String> = pins.iter().map(|p| p.name.clone()).collect();
    let mut resolve = |n: &str| {
        names
            .iter()
            .position(|m| m == n)
            .or_else(|| state.iter().position(|s| s == n).map(|k| names.len() + k))
    };
    let func = |s: &str, line: usize, field: &str, r: &mut dyn FnMut(&str) -> Option<usize>| {
        Func::parse(s, r).map_err(|e| err(file, line, field, format!("cell {name}: {e}")))
    };
    let ff = match g.groups("ff").next() {
        Some(f) => {
            let (Some((ns, nl)), Some((co, cl))) = (f.attr("next_state"), f.attr("clocked_on"))
            else {
                return Err(err(
                    file,
                    f.line,
                    "ff",
                    format!("cell {name}: ff without next_state or clocked_on"),
                ));
            };
            if f.attr("clear").is_some() || f.attr("preset").is_some() {
                unusable = true;
            }
            Some(FlipFlop {
                next_state: func(ns, nl, "next_state", &mut resolve)?,
                clocked_on: func(co, cl, "clocked_on", &mut resolve)?,
            })
        }
        None => None,
    };
    let mut k = 0;
    for p in &pin_groups {
        for _ in &p.args {
            if let Some((s, l)) = p.attr("function") {
                match func(s, l, "function", &mut resolve) {
                    Ok(f) => pins[k].function = Some(f),
                    // cells kept out of mapping may use constructs beyond the subset
                    Err(_) if unusable => {}
                    Err(e) => return Err(e),
                }
            }
            for t in p.groups("timing") {
                if let Some(arc) = timing(t, &name, &names, file, u, templates)? {
                    pins[k].arcs.push(arc);
                }
            }
            for w in p.groups("internal_power") {
                let related = match w.attr("related_pin") {
                    Some((r, l)) => {
                        Some(names.iter().position(|n| n == r.trim()).ok_or_else(|| {
                            err(file, l, "related_pin", format!("cell {name}: no pin {r:?}"))
                        })?)
                    }
                    None => None,
                };
                let tab = |k: &str| -> Result<Option<Table>> {
                    w.groups(k)
                        .next()
                        .map(|t| table(t, file, templates, u.energy_fj, u))
                        .transpose()
                };
                pins[k].power.push(InternalPower {
                    related,
                    energy: [tab("rise_power")?, tab("fall_power")?],
                    when: w.attr("when").map(|x| x.0.to_string()),
                    condition: w
                        .attr("when")
                        .and_then(|x| Func::parse(x.0, &mut resolve).ok()),
                });
            }
            k += 1;
        }
    }
    Ok(LibertyCell {
        name,
        area_um2,
        leakage_nw,
        pins,
        ff,
        unusable,
    })
}

fn timing(
    t: &Group,
    cell: &str,
    names: &[String],
    file: &str,
    u: &Units,
    templates: &Templates,
) -> Result<Option<TimingArc>> {
    let ttype = t.attr("timing_type").map_or("combinational", |x| x.0);
    let clock_edge = matches!(ttype, "rising_edge" | "falling_edge");
    if !clock_edge && !ttype.starts_with("combinational") {
        return Ok(None); // setup, hold, recovery, pulse width: constraints, not delays
    }
    let Some((r, line)) = t.attr("related_pin") else {
        return Err(err(
            file,
            t.line,
            "related_pin",
            format!("cell {cell}: timing without related_pin"),
        ));
    };
    let related = names.iter().position(|n| n == r.trim()).ok_or_else(|| {
        err(
            file,
            line,
            "related_pin",
            format!("cell {cell}: no pin {r:?}"),
        )
    })?;
    let sense = match t.attr("timing_sense").map(|x| x.0) {
        Some("positive_unate") => Sense::Positive,
        Some("negative_unate") => Sense::Negative,
        _ => Sense::NonUnate,
    };
    let tab = |k: &str| -> Result<Option<Table>> {
        t.groups(k)
            .next()
            .map(|g| table(g, file, templates, u.time_ns, u))
            .transpose()
    };
    Ok(Some(TimingArc {
        related,
        sense,
        clock_edge,
        delay: [tab("cell_rise")?, tab("cell_fall")?],
        slew: [tab("rise_transition")?, tab("fall_transition")?],
        when: t.attr("when").map(|x| x.0.to_string()),
    }))
}

fn table(g: &Group, file: &str, templates: &Templates, scale: f64, u: &Units) -> Result<Table> {
    let tname = g.args.first().map_or("", |s| s.trim());
    let (vars, tidx) = if tname == "scalar" {
        (Vec::new(), Vec::new())
    } else {
        templates.get(tname).cloned().ok_or_else(|| {
            err(
                file,
                g.line,
                &g.name,
                format!(
                    "unknown or unsupported table template {tname:?} (NLDM slew/load tables only)"
                ),
            )
        })?
    };
    let mut idx = tidx;
    for (k, slot) in idx.iter_mut().enumerate() {
        if let Some(a) = g
            .attrs
            .iter()
            .find(|a| a.name == format!("index_{}", k + 1))
        {
            *slot = list(file, a.line, &a.name, &a.values.join(","))?;
        }
    }
    let Some(va) = g.attrs.iter().find(|a| a.name == "values") else {
        return Err(err(file, g.line, &g.name, "table without values"));
    };
    let values: Vec<f64> = list(file, va.line, "values", &va.values.join(","))?
        .into_iter()
        .map(|v| v * scale)
        .collect();
    let mut slew = Vec::new();
    let mut load = Vec::new();
    for (v, ix) in vars.iter().zip(&idx) {
        match v {
            Var::Slew => slew = ix.iter().map(|x| x * u.time_ns).collect(),
            Var::Load => load = ix.iter().map(|x| x * u.cap_ff).collect(),
        }
    }
    let want: usize = idx.iter().map(|v| v.len().max(1)).product();
    if values.len() != want || vars.len() > 2 {
        return Err(err(
            file,
            va.line,
            "values",
            format!(
                "{} values for a table of {} points ({} axes)",
                values.len(),
                want,
                vars.len()
            ),
        ));
    }
    // Stored slew-major; transpose a load-major table.
    let values = if vars.first() == Some(&Var::Load) && vars.len() == 2 {
        let (nl, ns) = (load.len(), slew.len());
        (0..ns * nl)
            .map(|k| values[(k % nl) * ns + k / nl])
            .collect()
    } else {
        values
    };
    Ok(Table {
        slew_ns: slew,
        load_ff: load,
        values,
    })
}
