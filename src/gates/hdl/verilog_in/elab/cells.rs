//! Recognising the crate's own cell modules among instances (checked by truth table).

use super::{B, Driver, Elab, Scope};
use crate::gates::CellKind;
use crate::gates::hdl::verilog_in::ast::Module;
use crate::gates::hdl::verilog_out::cell_module;

impl Elab<'_> {
    /// If `sub` is one of the crate's cell modules (by name and ports) and its body computes
    /// the cell's function, a [`B::Cell`] node over the connected inputs and the cell's output
    /// pin names; otherwise `None` (the instance is flattened gate by gate).
    pub(super) fn recognise_cell(
        &mut self,
        sub: &Module,
        scope: &Scope,
        ins: &[(String, Vec<u32>)],
    ) -> Option<(u32, Vec<String>)> {
        let kind = CellKind::ALL
            .into_iter()
            .find(|&k| cell_module(k).0 == sub.name)?;
        let (_, pins_in, pins_out, _) = cell_module(kind);
        let mut names: Vec<&str> = sub.ports.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        let mut want: Vec<&str> = pins_in.iter().chain(pins_out).copied().collect();
        want.sort_unstable();
        if names != want || ins.len() != pins_in.len() || ins.iter().any(|(_, v)| v.len() != 1) {
            return None;
        }
        // Truth table of the body against the cell's function.
        let in_bits: Vec<u32> = pins_in
            .iter()
            .map(|p| self.signals[scope[*p] as usize].base)
            .collect();
        let out_bits: Vec<u32> = pins_out
            .iter()
            .map(|p| self.signals[scope[*p] as usize].base)
            .collect();
        for v in 0u32..1 << pins_in.len() {
            let x = |i: usize| (v >> i) & 1 == 1;
            let expect: Vec<bool> = match kind {
                CellKind::HalfAdder => vec![x(0) ^ x(1), x(0) & x(1)],
                CellKind::FullAdder => {
                    vec![x(0) ^ x(1) ^ x(2), (x(0) & x(1)) | ((x(0) ^ x(1)) & x(2))]
                }
                CellKind::Mux2 => vec![if x(2) { x(1) } else { x(0) }],
                CellKind::PrefixBlack => vec![x(0) | (x(1) & x(2)), x(1) & x(3)],
                CellKind::PrefixGray => vec![x(0) | (x(1) & x(2))],
            };
            let env: Vec<(u32, bool)> = in_bits
                .iter()
                .enumerate()
                .map(|(i, &b)| (b, x(i)))
                .collect();
            for (&ob, &e) in out_bits.iter().zip(&expect) {
                if self.interpret_bit(ob, &env, 0) != Some(e) {
                    return None;
                }
            }
        }
        let inputs: Vec<u32> = pins_in
            .iter()
            .map(|p| ins.iter().find(|(n, _)| n == p).map_or(0, |(_, v)| v[0]))
            .collect();
        let c = self.push(B::Cell(kind));
        self.cell_inputs.insert(c, inputs);
        Some((c, pins_out.iter().map(|s| s.to_string()).collect()))
    }

    pub(super) fn interpret_bit(
        &self,
        bit: u32,
        env: &[(u32, bool)],
        depth: usize,
    ) -> Option<bool> {
        if let Some(&(_, v)) = env.iter().find(|(b, _)| *b == bit) {
            return Some(v);
        }
        match self.bits[bit as usize].driver {
            Some((Driver::Expr(n), _)) => self.interpret(n, env, depth + 1),
            _ => None,
        }
    }

    pub(super) fn interpret(&self, n: u32, env: &[(u32, bool)], depth: usize) -> Option<bool> {
        if depth > 64 {
            return None;
        }
        let f = |x: u32| self.interpret(x, env, depth + 1);
        Some(match self.nodes[n as usize] {
            B::Const(v) => v,
            B::Net(bit) => self.interpret_bit(bit, env, depth + 1)?,
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
