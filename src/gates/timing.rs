//! Mapping to a cell library: instances, pin loads, area, leakage and path delay.

use std::ops::Range;

use super::cells::{CellLibrary, LibCell};
use super::netlist::{Netlist, Op, Wire};

/// One placed library cell: a recorded half adder, full adder or mux, or a primitive gate
/// that is not inside such a cell, or a register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    /// The library cell it maps to.
    pub cell: LibCell,
    /// Distinct input wires (pins), in pin order.
    pub inputs: Vec<u32>,
    /// Output wires (1, or 2 for half and full adders).
    pub outputs: Vec<u32>,
    /// The netlist nodes it covers (for a register: its `Q` node).
    pub nodes: Range<u32>,
}

/// The result of a path-delay analysis.
#[derive(Clone, Debug, PartialEq)]
pub struct Timing {
    /// Longest arrival time at any sink, in ns.
    pub delay_ns: f64,
    /// Arrival time of every wire in ns (cell-internal wires keep 0).
    pub arrival_ns: Vec<f64>,
    /// Instances (indices into [`Netlist::instances`]) on the critical path, source to sink.
    pub critical_path: Vec<usize>,
}

impl Netlist {
    /// The netlist as library-cell instances, in topological order. Recorded half adders,
    /// full adders and muxes are one instance each (mapped to `HA`, `FA`, `MUX2`); prefix
    /// cells and loose gates map gate by gate; each register is a `DFF` (input `D`, output
    /// `Q`).
    #[must_use]
    pub fn instances(&self) -> Vec<Instance> {
        let mut out = Vec::new();
        let mut cells = self
            .cells
            .iter()
            .filter_map(|c| LibCell::for_cell(c.kind).map(|k| (k, c)))
            .peekable();
        let mut i = 0usize;
        while i < self.nodes.len() {
            if let Some((k, c)) = cells.peek()
                && c.first as usize == i
            {
                let mut inputs = c.inputs.clone();
                dedup_keep_order(&mut inputs);
                out.push(Instance {
                    cell: *k,
                    inputs,
                    outputs: c.outputs.clone(),
                    nodes: c.first..c.end,
                });
                i = c.end as usize;
                cells.next();
                continue;
            }
            let n = self.nodes[i];
            if let Some(cell) = LibCell::for_op(n.op) {
                let mut inputs = if n.op == Op::RegQ {
                    vec![self.registers[n.a as usize].d.id]
                } else {
                    n.inputs().to_vec()
                };
                dedup_keep_order(&mut inputs);
                out.push(Instance {
                    cell,
                    inputs,
                    outputs: vec![i as u32],
                    nodes: i as u32..i as u32 + 1,
                });
            }
            i += 1;
        }
        out
    }

    /// Total cell area in µm² under `lib`.
    #[must_use]
    pub fn area_um2(&self, lib: &CellLibrary) -> f64 {
        self.instances()
            .iter()
            .map(|x| lib.cell(x.cell).area_um2)
            .sum()
    }

    /// Total leakage power in nW under `lib`.
    #[must_use]
    pub fn leakage_nw(&self, lib: &CellLibrary) -> f64 {
        self.instances()
            .iter()
            .map(|x| lib.cell(x.cell).leakage_nw)
            .sum()
    }

    /// Capacitive load of every wire in fF: the sum of the mean input-pin capacitance of each
    /// instance that reads it (one pin per distinct instance input). Cell-internal wires and
    /// wires read by nothing have 0.
    #[must_use]
    pub fn wire_loads_ff(&self, lib: &CellLibrary) -> Vec<f64> {
        let mut load = vec![0.0; self.nodes.len()];
        for x in self.instances() {
            let c = lib.cell(x.cell).input_cap_ff_mean;
            for &w in &x.inputs {
                load[w as usize] += c;
            }
        }
        load
    }

    /// Path delay with each instance's library delay: arrival(out) = max(arrival(in)) +
    /// delay(cell), from 0 at inputs, constants and register outputs' sources; the result is
    /// the latest arrival at an output port or register input. A register's `Q` starts at its
    /// clock-to-Q delay.
    #[must_use]
    pub fn timing(&self, lib: &CellLibrary) -> Timing {
        let inst = self.instances();
        let mut arrival = vec![0.0f64; self.nodes.len()];
        let mut from: Vec<Option<usize>> = vec![None; self.nodes.len()];
        // which instance drives each wire, and through which input its latest arrival came
        let mut pred: Vec<Option<usize>> = vec![None; inst.len()];
        for (k, x) in inst.iter().enumerate() {
            let d = lib.cell(x.cell).delay_ns;
            let (t, p) = if x.cell == LibCell::Dff {
                (d, None)
            } else {
                x.inputs
                    .iter()
                    .map(|&w| (arrival[w as usize], from[w as usize]))
                    .fold((0.0, None), |acc, v| if v.0 > acc.0 { v } else { acc })
            };
            let t = if x.cell == LibCell::Dff { t } else { t + d };
            pred[k] = p;
            for &o in &x.outputs {
                arrival[o as usize] = t;
                from[o as usize] = Some(k);
            }
        }
        let sink: Option<Wire> = self.sinks().max_by(|a, b| {
            arrival[a.index()]
                .partial_cmp(&arrival[b.index()])
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let mut critical_path = Vec::new();
        let mut cur = sink.and_then(|w| from[w.index()]);
        while let Some(k) = cur {
            critical_path.push(k);
            cur = pred[k];
        }
        critical_path.reverse();
        Timing {
            delay_ns: sink.map_or(0.0, |w| arrival[w.index()]),
            arrival_ns: arrival,
            critical_path,
        }
    }
}

fn dedup_keep_order(v: &mut Vec<u32>) {
    let mut seen = Vec::with_capacity(v.len());
    v.retain(|x| {
        if seen.contains(x) {
            false
        } else {
            seen.push(*x);
            true
        }
    });
}
