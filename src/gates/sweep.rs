//! Dead-logic removal: [`Netlist::sweep`].

use super::builder::next_owner;
use super::netlist::{CellRecord, Netlist, Node, Op, Port, Register, Wire};

impl Netlist {
    /// The same circuit without its dead gates: gates that drive no output port and no
    /// register, directly or through other gates, as a synthesis tool removes them.
    ///
    /// Generators that compose blocks leave such gates behind when constant folding makes
    /// a value unused (an adder's carry-out that nobody reads, the logic of a rounding mode
    /// that was fixed to another one). Inputs, registers and ports are kept; a recorded cell
    /// is kept if all its gates are live, and otherwise dissolved into its live gates (a
    /// full adder whose carry is unused is two XOR gates). Node order, labels and port
    /// names are preserved; the swept netlist gets a new id, so wires of the old one are
    /// rejected by it.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::gates::Builder;
    ///
    /// let mut b = Builder::new();
    /// let x = b.input("x", 2)?;
    /// let (s, _carry) = b.half_adder(x[0], x[1]);
    /// b.output("s", &[s])?;
    /// let net = b.finish()?;
    /// assert_eq!(net.gate_count(), 2);
    /// let swept = net.sweep();
    /// assert_eq!(swept.gate_count(), 1);
    /// assert_eq!(swept.eval_u64(&[("x", &[0b01, 0b11])])?.get("s")?, &[1, 0]);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    #[must_use]
    pub fn sweep(self) -> Netlist {
        let n = self.nodes.len();
        let mut live = vec![false; n];
        live[0] = true;
        if n > 1 {
            live[1] = true;
        }
        for p in &self.outputs {
            for w in &p.wires {
                live[w.id as usize] = true;
            }
        }
        for r in &self.registers {
            live[r.q.id as usize] = true;
            live[r.d.id as usize] = true;
        }
        for (i, node) in self.nodes.iter().enumerate() {
            if matches!(node.op, Op::Input | Op::RegQ) {
                live[i] = true;
            }
        }
        // Topological order: one backward pass marks every gate an output depends on.
        for i in (0..n).rev() {
            if live[i] {
                for &x in self.nodes[i].inputs().iter() {
                    live[x as usize] = true;
                }
            }
        }
        if live.iter().all(|&l| l) {
            return self;
        }
        let mut map = vec![u32::MAX; n];
        let mut nodes: Vec<Node> = Vec::with_capacity(n);
        let old_labels = self.node_labels();
        let mut label_runs: Vec<(u32, u32)> = Vec::new();
        for (i, node) in self.nodes.iter().enumerate() {
            if !live[i] {
                continue;
            }
            let id = nodes.len() as u32;
            map[i] = id;
            let mut nd = *node;
            if node.op.is_gate() {
                let r = |x: u32| map[x as usize];
                nd.a = r(node.a);
                nd.b = if node.op.arity() >= 2 { r(node.b) } else { 0 };
                nd.c = if node.op.arity() >= 3 { r(node.c) } else { 0 };
            }
            nodes.push(nd);
            let label = old_labels[i];
            if label_runs.last().map(|r| r.1) != Some(label) {
                label_runs.push((id, label));
            }
        }
        let owner = next_owner();
        let w = |x: Wire| Wire {
            id: map[x.id as usize],
            owner,
        };
        let ports = |ps: &[Port]| -> Vec<Port> {
            ps.iter()
                .map(|p| Port {
                    name: p.name.clone(),
                    wires: p.wires.iter().map(|&x| w(x)).collect(),
                })
                .collect()
        };
        let cells: Vec<CellRecord> = self
            .cells
            .iter()
            .filter(|c| (c.first..c.end).all(|i| live[i as usize]))
            .map(|c| CellRecord {
                kind: c.kind,
                first: map[c.first as usize],
                end: map[c.end as usize - 1] + 1,
                inputs: c.inputs.iter().map(|&x| map[x as usize]).collect(),
                outputs: c.outputs.iter().map(|&x| map[x as usize]).collect(),
            })
            .collect();
        let registers: Vec<Register> = self
            .registers
            .iter()
            .map(|r| Register {
                q: w(r.q),
                d: w(r.d),
                init: r.init,
            })
            .collect();
        Netlist {
            owner,
            nodes,
            inputs: ports(&self.inputs),
            outputs: ports(&self.outputs),
            cells,
            labels: self.labels,
            label_runs,
            registers,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::gates::{Builder, CellKind, Simulator};

    /// A 3-bit counter with dead logic beside it: the swept netlist keeps the registers,
    /// counts the same, drops the dead gates and keeps only whole cells.
    #[test]
    fn sweep_keeps_registers_and_whole_cells() {
        let mut b = Builder::new();
        let en = b.input_bit("en").unwrap();
        let q: Vec<_> = (0..3).map(|_| b.register(false)).collect();
        let mut carry = en;
        let mut next = Vec::new();
        for &qi in &q {
            let (s, c) = b.half_adder(qi, carry);
            next.push(s);
            carry = c; // the last carry is never read
        }
        for (&qi, &d) in q.iter().zip(&next) {
            b.connect_register(qi, d).unwrap();
        }
        let _dead = b.and(next[0], next[2]);
        b.output("q", &q).unwrap();
        let net = b.finish().unwrap();
        let swept = net.clone().sweep();
        // The dead AND and the last half adder's carry go; that half adder becomes an XOR.
        assert_eq!(swept.gate_count(), net.gate_count() - 2);
        assert_eq!(net.stats().cell_count(CellKind::HalfAdder), 3);
        assert_eq!(swept.stats().cell_count(CellKind::HalfAdder), 2);
        assert_ne!(swept.id(), net.id());
        let mut s1 = Simulator::new(&net, 1).unwrap();
        let mut s2 = Simulator::new(&swept, 1).unwrap();
        let (e1, e2) = (
            net.input("en").unwrap().wires()[0],
            swept.input("en").unwrap().wires()[0],
        );
        s1.input_words_mut(e1).unwrap()[0] = !0;
        s2.input_words_mut(e2).unwrap()[0] = !0;
        for _ in 0..10 {
            s1.step();
            s2.step();
            let read = |s: &Simulator, n: &crate::gates::Netlist| -> Vec<u64> {
                n.output("q")
                    .unwrap()
                    .wires()
                    .iter()
                    .map(|&w| s.wire_words(w).unwrap()[0])
                    .collect()
            };
            assert_eq!(read(&s1, &net), read(&s2, &swept));
        }
    }
}
