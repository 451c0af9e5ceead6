//! Recorded composite cells on the [`Builder`]: half and full adders and parallel-prefix cells.

use super::builder::Builder;
use super::netlist::{CellKind, Wire};

impl Builder {
    /// Half adder: returns `(sum, carry) = (a ^ b, a & b)`, recorded as a
    /// [`CellKind::HalfAdder`] unless constant folding removes its gates.
    pub fn half_adder(&mut self, a: Wire, b: Wire) -> (Wire, Wire) {
        let first = self.nodes.len() as u32;
        let s = self.xor(a, b);
        let c = self.and(a, b);
        if self.nodes.len() as u32 == first + 2 {
            self.record(
                CellKind::HalfAdder,
                first,
                vec![a.id, b.id],
                vec![s.id, c.id],
            );
        }
        (s, c)
    }

    /// Full adder: returns `(sum, carry)` with `sum = a ^ b ^ ci` and
    /// `carry = (a & b) | ((a ^ b) & ci)` (2 XOR + 2 AND + 1 OR), recorded as a
    /// [`CellKind::FullAdder`]. With a constant-0 input it is a half adder; with a constant-1
    /// input it folds to an XNOR and an OR gate (no cell).
    pub fn full_adder(&mut self, a: Wire, b: Wire, ci: Wire) -> (Wire, Wire) {
        let (ia, ib, ic) = (self.chk(a), self.chk(b), self.chk(ci));
        if ia == 1 || ib == 1 || ic == 1 {
            let (x, y) = match (ia, ib) {
                (1, _) => (b, ci),
                (_, 1) => (a, ci),
                _ => (a, b),
            };
            let s = self.xnor(x, y);
            let co = self.or(x, y);
            return (s, co);
        }
        let (s, co, _) = self.full_adder_with_propagate(a, b, ci);
        (s, co)
    }

    /// [`Builder::full_adder`] that also returns its internal propagate `a ^ b` (shared by
    /// carry-skip logic, as in a real skip adder). With a constant-1 input the sum is
    /// `!(a ^ b)` or `!(x ^ y)` built from that propagate.
    pub fn full_adder_with_propagate(&mut self, a: Wire, b: Wire, ci: Wire) -> (Wire, Wire, Wire) {
        let (ia, ib, ic) = (self.chk(a), self.chk(b), self.chk(ci));
        if ic == 0 {
            let (s, c) = self.half_adder(a, b);
            return (s, c, s);
        }
        if ia == 0 {
            let (s, c) = self.half_adder(b, ci);
            return (s, c, b);
        }
        if ib == 0 {
            let (s, c) = self.half_adder(a, ci);
            return (s, c, a);
        }
        // A constant-1 input: sum = !(x ^ y), carry = x | y.
        if ia == 1 || ib == 1 || ic == 1 {
            let (x, y) = match (ia, ib) {
                (1, _) => (b, ci),
                (_, 1) => (a, ci),
                _ => (a, b),
            };
            let p = self.xor(a, b);
            let s = if ic == 1 {
                self.not(p)
            } else {
                self.xnor(x, y)
            };
            let co = self.or(x, y);
            return (s, co, p);
        }
        let first = self.nodes.len() as u32;
        let p = self.xor(a, b);
        let s = self.xor(p, ci);
        let g = self.and(a, b);
        let t = self.and(p, ci);
        let co = self.or(g, t);
        if self.nodes.len() as u32 == first + 5 {
            self.record(
                CellKind::FullAdder,
                first,
                vec![ia, ib, ic],
                vec![s.id, co.id],
            );
        }
        (s, co, p)
    }

    /// Parallel-prefix black cell: `(G, P) = (gh | (ph & gl), ph & pl)`.
    pub fn prefix_black(&mut self, gh: Wire, ph: Wire, gl: Wire, pl: Wire) -> (Wire, Wire) {
        let first = self.nodes.len() as u32;
        let t = self.and(ph, gl);
        let g = self.or(gh, t);
        let p = self.and(ph, pl);
        if self.nodes.len() as u32 == first + 3 {
            let ins = vec![gh.id, ph.id, gl.id, pl.id];
            self.record(CellKind::PrefixBlack, first, ins, vec![g.id, p.id]);
        }
        (g, p)
    }

    /// Parallel-prefix gray cell: `G = gh | (ph & gl)` (used where the group reaches bit 0,
    /// so its propagate is never needed).
    pub fn prefix_gray(&mut self, gh: Wire, ph: Wire, gl: Wire) -> Wire {
        let first = self.nodes.len() as u32;
        let t = self.and(ph, gl);
        let g = self.or(gh, t);
        if self.nodes.len() as u32 == first + 2 {
            self.record(
                CellKind::PrefixGray,
                first,
                vec![gh.id, ph.id, gl.id],
                vec![g.id],
            );
        }
        g
    }
}
