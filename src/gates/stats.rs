//! Structural statistics: gate and cell counts, per-label breakdown, logic depth, fan-out.

use super::netlist::{CellKind, Netlist, Op, Wire};

/// Counts for one label (a part of the circuit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelStats {
    /// The label path ("" for unlabelled gates).
    pub label: String,
    /// Logic gates under the label.
    pub gates: u64,
    /// Two-input-gate equivalents under the label.
    pub two_input_equivalents: u64,
    /// Recorded cells under the label, indexed like [`CellKind::ALL`].
    pub cells: [u64; 5],
}

/// Structural statistics of a netlist. Compute with [`Netlist::stats`].
#[derive(Clone, Debug, PartialEq)]
pub struct Stats {
    /// Logic gates (primitives), including those inside recorded cells.
    pub gates: u64,
    /// Gates per primitive, indexed like [`Op::PRIMITIVES`].
    pub by_primitive: [u64; 8],
    /// Recorded cells per kind, indexed like [`CellKind::ALL`].
    pub cells: [u64; 5],
    /// D flip-flops.
    pub registers: u64,
    /// Total two-input-gate equivalents (see [`Op::two_input_equivalents`]).
    pub two_input_equivalents: u64,
    /// Logic depth in unit gate delays: the longest gate path from a primary input, constant
    /// or register output to an output port or register input.
    pub depth: u32,
    /// Largest fan-out of any wire (gate operand slots and register inputs reading it).
    pub max_fanout: u32,
    /// Mean fan-out over primary inputs, gate outputs and register outputs that drive at
    /// least one gate or register.
    pub mean_fanout: f64,
    /// Per-label counts, in label order (the root label "" first).
    pub by_label: Vec<LabelStats>,
}

impl Stats {
    /// Gates of primitive `op` (0 for non-gates).
    #[must_use]
    pub fn primitive_count(&self, op: Op) -> u64 {
        op.primitive_index().map_or(0, |i| self.by_primitive[i])
    }

    /// Recorded cells of `kind`.
    #[must_use]
    pub fn cell_count(&self, kind: CellKind) -> u64 {
        self.cells[kind.index()]
    }

    /// Total recorded cells.
    #[must_use]
    pub fn total_cells(&self) -> u64 {
        self.cells.iter().sum()
    }

    /// The counts under label `path` (`None` if no gate carries it).
    #[must_use]
    pub fn label(&self, path: &str) -> Option<&LabelStats> {
        self.by_label.iter().find(|l| l.label == path)
    }
}

impl Netlist {
    /// Computes the structural statistics.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::circuits::adders::{adder_without_carry_in, AdderKind};
    ///
    /// let s = adder_without_carry_in(AdderKind::RippleCarry, 8)?.stats();
    /// assert_eq!((s.gates, s.depth), (5 * 8 - 3, 2 * 8 - 1));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    #[must_use]
    pub fn stats(&self) -> Stats {
        let labels = self.node_labels();
        let mut by_label: Vec<LabelStats> = self
            .labels
            .iter()
            .map(|l| LabelStats {
                label: l.clone(),
                gates: 0,
                two_input_equivalents: 0,
                cells: [0; 5],
            })
            .collect();
        let mut by_primitive = [0u64; 8];
        let mut gates = 0;
        let mut tie = 0;
        for (n, &l) in self.nodes.iter().zip(&labels) {
            if let Some(i) = n.op.primitive_index() {
                by_primitive[i] += 1;
                gates += 1;
                tie += n.op.two_input_equivalents();
                by_label[l as usize].gates += 1;
                by_label[l as usize].two_input_equivalents += n.op.two_input_equivalents();
            }
        }
        let mut cells = [0u64; 5];
        for c in &self.cells {
            cells[c.kind.index()] += 1;
            by_label[labels[c.first as usize] as usize].cells[c.kind.index()] += 1;
        }
        let fan = self.fanout_counts();
        let drivers: Vec<u32> = self
            .nodes
            .iter()
            .zip(&fan)
            .filter(|(n, f)| !matches!(n.op, Op::Const0 | Op::Const1) && **f > 0)
            .map(|(_, &f)| f)
            .collect();
        let mean_fanout = if drivers.is_empty() {
            0.0
        } else {
            drivers.iter().map(|&f| f64::from(f)).sum::<f64>() / drivers.len() as f64
        };
        // Labels that never got a gate or cell are still listed only if used.
        by_label.retain(|l| l.gates > 0 || l.cells.iter().any(|&c| c > 0) || l.label.is_empty());
        Stats {
            gates,
            by_primitive,
            cells,
            registers: self.registers.len() as u64,
            two_input_equivalents: tie,
            depth: self.depth(),
            max_fanout: drivers.iter().copied().max().unwrap_or(0),
            mean_fanout,
            by_label,
        }
    }

    /// Unit-delay depth of every wire (0 for inputs, constants and register outputs).
    #[must_use]
    pub fn wire_depths(&self) -> Vec<u32> {
        let mut d = vec![0u32; self.nodes.len()];
        for (i, n) in self.nodes.iter().enumerate() {
            if n.op.is_gate() {
                d[i] = 1 + n.inputs().iter().map(|&x| d[x as usize]).max().unwrap_or(0);
            }
        }
        d
    }

    /// The largest number of recorded cells of the given kinds on any path (for example the
    /// number of prefix levels a carry crosses, with `[PrefixBlack, PrefixGray]`).
    #[must_use]
    pub fn cell_depth(&self, kinds: &[CellKind]) -> u32 {
        let mut d = vec![0u32; self.nodes.len()];
        let mut cells = self
            .cells
            .iter()
            .filter(|c| kinds.contains(&c.kind))
            .peekable();
        let mut i = 0;
        while i < self.nodes.len() {
            if let Some(c) = cells.peek()
                && c.first as usize == i
            {
                let v = 1 + c.inputs.iter().map(|&x| d[x as usize]).max().unwrap_or(0);
                d[c.first as usize..c.end as usize].fill(v);
                i = c.end as usize;
                cells.next();
                continue;
            }
            d[i] = self.nodes[i]
                .inputs()
                .iter()
                .map(|&x| d[x as usize])
                .max()
                .unwrap_or(0);
            i += 1;
        }
        self.sinks().map(|w| d[w.index()]).max().unwrap_or(0)
    }

    /// The wires where paths end: output port bits and register `D` inputs.
    pub(crate) fn sinks(&self) -> impl Iterator<Item = Wire> + '_ {
        self.outputs
            .iter()
            .flat_map(|p| p.wires.iter().copied())
            .chain(self.registers.iter().map(|r| r.d))
    }

    /// Logic depth in unit gate delays (see [`Stats::depth`]).
    #[must_use]
    pub fn depth(&self) -> u32 {
        let d = self.wire_depths();
        self.sinks().map(|w| d[w.index()]).max().unwrap_or(0)
    }

    /// One longest unit-delay path, from its source wire (input, constant or register output)
    /// to its sink, one wire per gate.
    #[must_use]
    pub fn critical_path(&self) -> Vec<Wire> {
        let d = self.wire_depths();
        let Some(mut w) = self.sinks().max_by_key(|w| d[w.index()]) else {
            return Vec::new();
        };
        let mut path = vec![w];
        while d[w.index()] > 0 {
            let n = self.nodes[w.index()];
            let next = n
                .inputs()
                .iter()
                .copied()
                .max_by_key(|&x| d[x as usize])
                .unwrap_or(0);
            w = Wire {
                id: next,
                owner: self.owner,
            };
            path.push(w);
        }
        path.reverse();
        path
    }
}
