//! Recognising cell modules among instances: any module that computes a half adder, full
//! adder, 2:1 mux or prefix cell (checked by truth table) becomes a recorded cell.

use super::{B, Driver, Elab, Scope};
use crate::gates::CellKind;
use crate::gates::hdl::verilog_in::ast::DeclKind;
use crate::gates::hdl::verilog_in::ast::Module;
use crate::gates::hdl::verilog_out::cell_module;

/// How a module maps onto a cell: the kind, the module's input index for each cell input
/// pin, and the module's output port name for each cell output pin.
/// Most node visits to evaluate one cell output for one input row when recognising a cell.
const INTERPRET_STEPS: usize = 4096;

pub(super) type CellMatch = Option<(CellKind, Vec<usize>, Vec<String>)>;

/// All orderings of `0..n`, the identity first.
fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for p in permutations(n - 1) {
        for k in (0..n).rev() {
            let mut q = p.clone();
            q.insert(k, n - 1);
            out.push(q);
        }
    }
    out.sort();
    out
}

/// The cell's outputs for inputs `x` (in pin order).
fn cell_function(kind: CellKind, x: &[bool]) -> Vec<bool> {
    match kind {
        CellKind::HalfAdder => vec![x[0] ^ x[1], x[0] & x[1]],
        CellKind::FullAdder => vec![x[0] ^ x[1] ^ x[2], (x[0] & x[1]) | ((x[0] ^ x[1]) & x[2])],
        CellKind::Mux2 => vec![if x[2] { x[1] } else { x[0] }],
        CellKind::PrefixBlack => vec![x[0] | (x[1] & x[2]), x[1] & x[3]],
        CellKind::PrefixGray => vec![x[0] | (x[1] & x[2])],
    }
}

impl Elab<'_> {
    /// If module `sub` (with one-bit ports) computes a half adder, full adder, 2:1 mux or
    /// prefix cell under some assignment of its ports to the cell's pins (checked by truth
    /// table, once per module), a [`B::Cell`] node over the connected inputs `ins` (in the
    /// module's input order) and the module's output names in cell pin order; otherwise
    /// `None` (the instance is flattened gate by gate). So the crate's own cell modules, and
    /// a library's `FAX1`-style cells, come back as recorded cells.
    pub(super) fn recognise_cell(
        &mut self,
        sub: &Module,
        scope: &Scope,
        ins: &[(String, Vec<u32>)],
    ) -> Option<(u32, Vec<String>)> {
        let m = match self.cell_cache.get(&sub.name) {
            Some(m) => m.clone(),
            None => {
                let m = self.match_cell(sub, scope);
                self.cell_cache.insert(sub.name.clone(), m.clone());
                m
            }
        };
        let (kind, perm, outs) = m?;
        if ins.len() != perm.len() || ins.iter().any(|(_, v)| v.len() != 1) {
            return None;
        }
        let inputs: Vec<u32> = perm.iter().map(|&k| ins[k].1[0]).collect();
        let c = self.push(B::Cell(kind));
        self.cell_inputs.insert(c, inputs);
        Some((c, outs))
    }

    fn match_cell(&self, sub: &Module, scope: &Scope) -> CellMatch {
        let mut inputs = Vec::new();
        let mut outputs = Vec::new();
        for (name, _) in &sub.ports {
            let sig = &self.signals[scope[name] as usize];
            if sig.width != 1 {
                return None;
            }
            match sig.kind {
                DeclKind::Input => inputs.push(sig.base),
                _ => outputs.push((name.clone(), sig.base)),
            }
        }
        for kind in CellKind::ALL {
            let (_, pins_in, pins_out, _) = cell_module(kind);
            if pins_in.len() != inputs.len() || pins_out.len() != outputs.len() {
                continue;
            }
            for perm in permutations(inputs.len()) {
                'outs: for operm in permutations(outputs.len()) {
                    for v in 0u32..1 << inputs.len() {
                        let x: Vec<bool> = (0..inputs.len()).map(|i| (v >> i) & 1 == 1).collect();
                        // Cell pin i is module input perm[i].
                        let env: Vec<(u32, bool)> = perm
                            .iter()
                            .enumerate()
                            .map(|(i, &k)| (inputs[k], x[i]))
                            .collect();
                        for (j, &e) in cell_function(kind, &x).iter().enumerate() {
                            let mut steps = INTERPRET_STEPS;
                            if self.interpret_bit(outputs[operm[j]].1, &env, 0, &mut steps)
                                != Some(e)
                            {
                                continue 'outs;
                            }
                        }
                    }
                    let names = operm.iter().map(|&j| outputs[j].0.clone()).collect();
                    return Some((kind, perm, names));
                }
            }
        }
        None
    }

    pub(super) fn interpret_bit(
        &self,
        bit: u32,
        env: &[(u32, bool)],
        depth: usize,
        steps: &mut usize,
    ) -> Option<bool> {
        if let Some(&(_, v)) = env.iter().find(|(b, _)| *b == bit) {
            return Some(v);
        }
        match self.bits[bit as usize].driver {
            Some((Driver::Expr(n), _)) => self.interpret(n, env, depth + 1, steps),
            _ => None,
        }
    }

    /// The value of node `n` under `env`, or `None` if it depends on anything else or
    /// takes more than `steps` node visits (a cell is a handful of gates; a body that
    /// reuses its wires could otherwise take 2^depth visits).
    pub(super) fn interpret(
        &self,
        n: u32,
        env: &[(u32, bool)],
        depth: usize,
        steps: &mut usize,
    ) -> Option<bool> {
        if depth > 64 || *steps == 0 {
            return None;
        }
        *steps -= 1;
        if let B::Net(bit) = self.nodes[n as usize] {
            return self.interpret_bit(bit, env, depth + 1, steps);
        }
        let mut f = |x: u32| self.interpret(x, env, depth + 1, steps);
        Some(match self.nodes[n as usize] {
            B::Const(v) => v,
            B::Net(_) => return None, // handled above
            B::Not(x) => !f(x)?,
            B::And(x, y) => f(x)? & f(y)?,
            B::Or(x, y) => f(x)? | f(y)?,
            B::Xor(x, y) => f(x)? ^ f(y)?,
            B::Nand(x, y) => !(f(x)? & f(y)?),
            B::Nor(x, y) => !(f(x)? | f(y)?),
            B::Xnor(x, y) => !(f(x)? ^ f(y)?),
            B::Mux(s, a, b) => {
                if f(s)? {
                    f(b)?
                } else {
                    f(a)?
                }
            }
            B::Cell(_) | B::CellOut(..) => return None,
        })
    }
}
