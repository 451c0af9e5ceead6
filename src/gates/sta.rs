//! Static timing with NLDM tables: input slew and output load give each arc's delay and output
//! slew, rise and fall kept apart, the worst slew propagated per pin, as OpenSTA does without
//! wires (no wire load, no parasitics). The fixed-delay mode is [`Netlist::timing`].

use super::cells::{CellLibrary, LibCell};
use super::liberty::{CellMap, LibertyCell, MappedLiberty, Sense};
use super::netlist::{Netlist, Op};
use super::timing::Instance;
use crate::{Error, Result};

/// Boundary conditions of a timing or power run (OpenSTA's `set_input_transition` and
/// `set_load`; registers' clocks get the input slew too).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StaOptions {
    /// Slew of every primary input (and clock), ns.
    pub input_slew_ns: f64,
    /// Load on every output-port bit, fF.
    pub output_load_ff: f64,
}

impl Default for StaOptions {
    /// 0.0375 ns and 1.6 fF, the point the embedded NanGate figures were read at.
    fn default() -> Self {
        StaOptions {
            input_slew_ns: 0.0375,
            output_load_ff: 1.6,
        }
    }
}

/// One step of a critical path.
#[derive(Clone, Debug, PartialEq)]
pub struct PathStep {
    /// Instance index (into [`Netlist::instances`]).
    pub instance: usize,
    /// The library cell's name.
    pub cell: String,
    /// Its output wire on the path.
    pub wire: u32,
    /// Whether that output rises (else falls).
    pub rise: bool,
    /// Arrival time there, ns.
    pub arrival_ns: f64,
}

/// The result of [`Netlist::sta`].
#[derive(Clone, Debug, PartialEq)]
pub struct StaTiming {
    /// Latest arrival at an output port or register input, ns.
    pub delay_ns: f64,
    /// Arrival `[rise, fall]` of every wire, ns (`-inf` where nothing arrives: constants).
    pub arrival_ns: Vec<[f64; 2]>,
    /// Worst slew `[rise, fall]` of every wire, ns.
    pub slew_ns: Vec<[f64; 2]>,
    /// Load `[rise, fall]` on every wire, fF.
    pub load_ff: Vec<[f64; 2]>,
    /// The critical path, source to sink.
    pub critical_path: Vec<PathStep>,
}

/// A netlist placed on a Liberty library: instances with their pins' wires.
pub(crate) struct Placed<'a> {
    pub lib: &'a MappedLiberty,
    pub inst: Vec<Instance>,
    /// Per instance: its mapping and the wire of every logical input pin.
    pub pins: Vec<(&'a CellMap, &'a LibertyCell, Vec<u32>)>,
    /// `[rise, fall]` load of every wire, fF.
    pub load: Vec<[f64; 2]>,
}

impl Netlist {
    /// Each instance's logical input wires (not deduplicated: a pin is a pin); `cell_at[i]`
    /// is the recorded cell starting at node `i`.
    fn pin_wires(&self, x: &Instance, cell_at: &[u32]) -> Vec<u32> {
        if let Some(c) = self.cells().get(cell_at[x.nodes.start as usize] as usize)
            && LibCell::for_cell(c.kind) == Some(x.cell)
        {
            return c.inputs.clone();
        }
        let n = self.nodes()[x.nodes.start as usize];
        if n.op == Op::RegQ {
            return vec![self.registers()[n.a as usize].d.id];
        }
        n.inputs().to_vec()
    }

    /// [`Netlist::instances`], with every multi-gate instance whose internal wire is read
    /// outside it (a carry-skip adder reuses a full adder's propagate) split into its gates,
    /// so that every wire anything reads is a cell output, as in the Verilog export.
    pub(crate) fn instances_for_export(&self) -> Vec<Instance> {
        let inst = self.instances();
        let mut owner = vec![u32::MAX; self.wire_count()];
        for (k, x) in inst.iter().enumerate() {
            if x.nodes.len() > 1 {
                for i in x.nodes.clone() {
                    owner[i as usize] = k as u32;
                }
            }
        }
        let mut broken = vec![false; inst.len()];
        let mut mark = |x: u32, reader: u32| {
            let k = owner[x as usize];
            if k != u32::MAX && k != reader && !inst[k as usize].outputs.contains(&x) {
                broken[k as usize] = true;
            }
        };
        for (i, n) in self.nodes().iter().enumerate() {
            for &x in n.inputs().iter() {
                mark(x, owner[i]);
            }
        }
        for w in self.sinks() {
            mark(w.id, u32::MAX);
        }
        let mut out = Vec::with_capacity(inst.len());
        for (k, x) in inst.into_iter().enumerate() {
            if !broken[k] {
                out.push(x);
                continue;
            }
            for i in x.nodes.clone() {
                let n = self.nodes()[i as usize];
                if let Some(cell) = LibCell::for_op(n.op) {
                    out.push(Instance {
                        cell,
                        inputs: n.inputs().to_vec(),
                        outputs: vec![i],
                        nodes: i..i + 1,
                    });
                }
            }
        }
        out
    }

    pub(crate) fn place<'a>(&self, lib: &'a CellLibrary, opts: &StaOptions) -> Result<Placed<'a>> {
        let Some(m) = lib.liberty() else {
            return Err(Error::Unsupported(
                "NLDM timing and power need a Liberty library (CellLibrary::load_liberty); \
                 the fixed-delay timing is Netlist::timing"
                    .into(),
            ));
        };
        for (v, name) in [
            (opts.input_slew_ns, "input slew"),
            (opts.output_load_ff, "output load"),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::param(name, v, "must be finite and non-negative"));
            }
        }
        let inst = self.instances_for_export();
        let mut cell_at = vec![u32::MAX; self.wire_count()];
        for (k, c) in self.cells().iter().enumerate() {
            cell_at[c.first as usize] = k as u32;
        }
        let mut pins = Vec::with_capacity(inst.len());
        let mut load = vec![[0.0f64; 2]; self.wire_count()];
        for x in &inst {
            let (cm, cell) = m.get(x.cell)?;
            let wires = self.pin_wires(x, &cell_at);
            for (&w, &p) in wires.iter().zip(&cm.inputs) {
                let c = cell.pins[p].cap_ff;
                load[w as usize][0] += c[0];
                load[w as usize][1] += c[1];
            }
            pins.push((cm, cell, wires));
        }
        for p in self.outputs() {
            for w in p.wires() {
                load[w.index()][0] += opts.output_load_ff;
                load[w.index()][1] += opts.output_load_ff;
            }
        }
        Ok(Placed {
            lib: m,
            inst,
            pins,
            load,
        })
    }

    /// Static timing with the NLDM tables of a Liberty-loaded `lib`: every arc's delay and
    /// output slew from its input pin's slew and its output's load (the input-pin capacitances
    /// it drives, rise and fall apart, plus `output_load_ff` on output ports), rise and fall
    /// arrivals propagated through each arc's unateness, conditional (`when`) arcs all active,
    /// the worst slew kept per pin whichever arc sets the arrival (as OpenSTA does). Paths
    /// start at inputs (arrival 0, slew `input_slew_ns`) and register outputs (the flip-flop's
    /// clock-to-Q arc, clock slew `input_slew_ns`), and end at output ports and register
    /// inputs. The netlist is acyclic by construction (the builder and the Verilog importer
    /// reject combinational loops), so the pass is one sweep in node order.
    ///
    /// # Errors
    /// [`Error::Unsupported`] if `lib` was not loaded from Liberty or lacks a cell the netlist
    /// needs; [`Error::InvalidParameter`] for a negative or non-finite slew or load.
    pub fn sta(&self, lib: &CellLibrary, opts: &StaOptions) -> Result<StaTiming> {
        let pl = self.place(lib, opts)?;
        let n = self.wire_count();
        let mut at = vec![[f64::NEG_INFINITY; 2]; n];
        let mut slew = vec![[0.0f64; 2]; n];
        // predecessor of (wire, rf): (instance, input wire, input rf)
        let mut pred: Vec<[Option<(usize, u32, usize)>; 2]> = vec![[None; 2]; n];
        for p in self.inputs() {
            for w in p.wires() {
                at[w.index()] = [0.0; 2];
                slew[w.index()] = [opts.input_slew_ns; 2];
            }
        }
        for (k, x) in pl.inst.iter().enumerate() {
            let (cm, cell, wires) = &pl.pins[k];
            for (j, &o) in cm.outputs.iter().enumerate() {
                let wo = x.outputs[j] as usize;
                let ld = pl.load[wo];
                for arc in &cell.pins[o].arcs {
                    let (src_at, src_slew, src_wire) = if x.cell == LibCell::Dff {
                        if !arc.clock_edge {
                            continue;
                        }
                        ([0.0; 2], [opts.input_slew_ns; 2], u32::MAX)
                    } else {
                        let Some(i) = cm.inputs.iter().position(|&p| p == arc.related) else {
                            continue;
                        };
                        let w = wires[i] as usize;
                        (at[w], slew[w], wires[i])
                    };
                    for rf in 0..2 {
                        let (Some(dt), Some(st)) = (&arc.delay[rf], &arc.slew[rf]) else {
                            continue;
                        };
                        let from: &[usize] = match arc.sense {
                            Sense::Positive => &[rf][..],
                            Sense::Negative => &[1 - rf][..],
                            Sense::NonUnate => &[0, 1][..],
                        };
                        let from: Vec<usize> = if arc.clock_edge {
                            vec![0]
                        } else {
                            from.to_vec()
                        };
                        for &irf in &from {
                            if src_at[irf] == f64::NEG_INFINITY {
                                continue;
                            }
                            let t = src_at[irf] + dt.lookup(src_slew[irf], ld[rf]);
                            if t > at[wo][rf] {
                                at[wo][rf] = t;
                                pred[wo][rf] = Some((k, src_wire, irf));
                            }
                            slew[wo][rf] = slew[wo][rf].max(st.lookup(src_slew[irf], ld[rf]));
                        }
                    }
                }
            }
        }
        let mut best: Option<(u32, usize)> = None;
        let mut delay = 0.0f64;
        for w in self.sinks() {
            for (rf, &t) in at[w.index()].iter().enumerate() {
                if t > delay {
                    delay = t;
                    best = Some((w.id, rf));
                }
            }
        }
        let mut critical_path = Vec::new();
        let mut cur = best;
        while let Some((w, rf)) = cur {
            let Some(&Some((k, src, irf))) = pred.get(w as usize).map(|p| &p[rf]) else {
                break;
            };
            critical_path.push(PathStep {
                instance: k,
                cell: pl.pins[k].1.name.clone(),
                wire: w,
                rise: rf == 0,
                arrival_ns: at[w as usize][rf],
            });
            cur = (src != u32::MAX).then_some((src, irf));
        }
        critical_path.reverse();
        Ok(StaTiming {
            delay_ns: delay,
            arrival_ns: at,
            slew_ns: slew,
            load_ff: pl.load,
            critical_path,
        })
    }
}
