//! Expressions: targets, selects, Verilog's self-determined widths and evaluation to bit nodes.

use super::{B, Elab, Scope};
use crate::Result;
use crate::gates::CellKind;
use crate::gates::hdl::verilog_in::ast::Expr;
use crate::gates::hdl::verilog_in::lex::{MAX_BITS, Pos};

impl Elab<'_> {
    // --- expressions ----------------------------------------------------------------------

    pub(super) fn signal(&self, scope: &Scope, name: &str, pos: Pos) -> Result<u32> {
        scope
            .get(name)
            .copied()
            .ok_or_else(|| pos.error(format!("`{name}` is not declared")))
    }

    /// Net bits of an assignment target, least significant first.
    pub(super) fn lvalue(&mut self, scope: &Scope, e: &Expr) -> Result<Vec<u32>> {
        match e {
            Expr::Ident(..) | Expr::Bit(..) | Expr::Part(..) => self.select(scope, e),
            Expr::Concat(parts, _) => {
                let mut out = Vec::new();
                for p in parts.iter().rev() {
                    out.extend(self.lvalue(scope, p)?);
                }
                Ok(out)
            }
            other => Err(other.pos().error(
                "an assignment target must be a signal, a select or a concatenation of them",
            )),
        }
    }

    /// The net bits an identifier, bit-select or part-select names.
    pub(super) fn select(&self, scope: &Scope, e: &Expr) -> Result<Vec<u32>> {
        match e {
            Expr::Ident(n, p) => {
                let s = &self.signals[self.signal(scope, n, *p)? as usize];
                Ok((s.base..s.base + s.width as u32).collect())
            }
            Expr::Bit(n, k, p) => {
                let s = &self.signals[self.signal(scope, n, *p)? as usize];
                let i = s.position(*k).ok_or_else(|| {
                    p.error(format!("index {k} is outside `{n}` [{}:{}]", s.msb, s.lsb))
                })?;
                Ok(vec![s.base + i as u32])
            }
            Expr::Part(n, hi, lo, p) => {
                let s = &self.signals[self.signal(scope, n, *p)? as usize];
                let (Some(a), Some(b)) = (s.position(*hi), s.position(*lo)) else {
                    return Err(p.error(format!(
                        "part [{hi}:{lo}] is outside `{n}` [{}:{}]",
                        s.msb, s.lsb
                    )));
                };
                if a < b {
                    return Err(p.error(format!(
                        "part [{hi}:{lo}] is reversed against `{n}` [{}:{}]",
                        s.msb, s.lsb
                    )));
                }
                Ok((s.base + b as u32..=s.base + a as u32).collect())
            }
            other => Err(other.pos().error("expected a signal")),
        }
    }

    /// Verilog's self-determined width.
    pub(super) fn width(&self, scope: &Scope, e: &Expr) -> Result<usize> {
        let w = match e {
            Expr::Ident(..) | Expr::Bit(..) | Expr::Part(..) => self.select(scope, e)?.len(),
            Expr::Const(l, _) => l.bits.len(),
            Expr::Concat(parts, _) => {
                let mut w = 0usize;
                for p in parts {
                    if let Expr::Const(l, cp) = p
                        && !l.sized
                    {
                        return Err(
                            cp.error("unsized constants are not allowed in a concatenation")
                        );
                    }
                    w = w.saturating_add(self.width(scope, p)?);
                }
                w
            }
            Expr::Repeat(n, inner, _) => n.saturating_mul(self.width(scope, inner)?),
            Expr::Unary(op, x, _) => {
                let w = self.width(scope, x)?;
                if *op == "~" { w } else { 1 }
            }
            Expr::Chain(first, rest, _) => {
                let mut w = self.width(scope, first)?;
                for (_, y, _) in rest {
                    w = w.max(self.width(scope, y)?);
                }
                if matches!(rest[0].0, "&&" | "||") {
                    1
                } else {
                    w
                }
            }
            Expr::Cond(c, t, f, _) => {
                self.width(scope, c)?;
                self.width(scope, t)?.max(self.width(scope, f)?)
            }
        };
        if w > MAX_BITS {
            return Err(e
                .pos()
                .error(format!("expression wider than {MAX_BITS} bits")));
        }
        Ok(w)
    }

    pub(super) fn not(&mut self, x: u32) -> u32 {
        let b = match self.nodes[x as usize] {
            B::Const(v) => return u32::from(!v),
            B::Not(y) => return y,
            B::And(a, b) => B::Nand(a, b),
            B::Or(a, b) => B::Nor(a, b),
            B::Xor(a, b) => B::Xnor(a, b),
            B::Nand(a, b) => B::And(a, b),
            B::Nor(a, b) => B::Or(a, b),
            B::Xnor(a, b) => B::Xor(a, b),
            _ => B::Not(x),
        };
        self.push(b)
    }

    pub(super) fn reduce(&mut self, v: &[u32], op: fn(u32, u32) -> B) -> u32 {
        match v.len() {
            0 => 0,
            1 => v[0],
            n => {
                let (l, h) = v.split_at(n / 2);
                let a = self.reduce(l, op);
                let b = self.reduce(h, op);
                self.push(op(a, b))
            }
        }
    }

    /// `a op b` bit by bit at the width both already have: `+` and `-` as a ripple-carry
    /// adder of recorded full adders (a - b = a + ~b + 1; the builder folds constant
    /// operands), the others gate by gate.
    fn binary(&mut self, op: &str, a: Vec<u32>, b: Vec<u32>) -> Vec<u32> {
        match op {
            "+" | "-" => {
                let sub = op == "-";
                let mut carry = u32::from(sub);
                let mut out = Vec::with_capacity(a.len());
                for (p, q) in a.into_iter().zip(b) {
                    let q = if sub { self.not(q) } else { q };
                    let c = self.push(B::Cell(CellKind::FullAdder));
                    self.cell_inputs.insert(c, vec![p, q, carry]);
                    out.push(self.push(B::CellOut(c, 0)));
                    carry = self.push(B::CellOut(c, 1));
                }
                out
            }
            _ => a
                .into_iter()
                .zip(b)
                .map(|(p, q)| match op {
                    "&" => self.push(B::And(p, q)),
                    "|" => self.push(B::Or(p, q)),
                    "^" => self.push(B::Xor(p, q)),
                    _ => self.push(B::Xnor(p, q)),
                })
                .collect(),
        }
    }

    pub(super) fn truth(&mut self, scope: &Scope, e: &Expr) -> Result<u32> {
        let w = self.width(scope, e)?;
        let v = self.eval(scope, e, w)?;
        Ok(self.reduce(&v, B::Or))
    }

    /// Evaluates `e` at `width` bits (at least its self-determined width): nodes, least
    /// significant first.
    pub(super) fn eval(&mut self, scope: &Scope, e: &Expr, width: usize) -> Result<Vec<u32>> {
        let mut v = match e {
            Expr::Ident(..) | Expr::Bit(..) | Expr::Part(..) => {
                let bits = self.select(scope, e)?;
                bits.into_iter().map(|b| self.push(B::Net(b))).collect()
            }
            Expr::Const(l, _) => l.bits.iter().map(|&b| u32::from(b)).collect(),
            Expr::Concat(parts, _) => {
                let mut out = Vec::new();
                for p in parts.iter().rev() {
                    let w = self.width(scope, p)?;
                    out.extend(self.eval(scope, p, w)?);
                }
                out
            }
            Expr::Repeat(n, inner, _) => {
                let w = self.width(scope, inner)?;
                let one = self.eval(scope, inner, w)?;
                let mut out = Vec::with_capacity(one.len() * n);
                for _ in 0..*n {
                    out.extend_from_slice(&one);
                }
                out
            }
            Expr::Unary(op, x, _) => match *op {
                "~" => {
                    let v = self.eval(scope, x, width)?;
                    v.into_iter().map(|n| self.not(n)).collect()
                }
                "!" => {
                    let t = self.truth(scope, x)?;
                    vec![self.not(t)]
                }
                _ => {
                    let w = self.width(scope, x)?;
                    let v = self.eval(scope, x, w)?;
                    let r = match op.trim_start_matches('~') {
                        "&" => self.reduce(&v, B::And),
                        "|" => self.reduce(&v, B::Or),
                        _ => self.reduce(&v, B::Xor),
                    };
                    vec![if op.starts_with('~') { self.not(r) } else { r }]
                }
            },
            Expr::Chain(first, rest, _) => {
                // Left to right, iteratively: a chain of any length costs no recursion.
                if matches!(rest[0].0, "&&" | "||") {
                    let mut acc = self.truth(scope, first)?;
                    for (op, y, _) in rest {
                        let b = self.truth(scope, y)?;
                        acc = self.push(if *op == "&&" {
                            B::And(acc, b)
                        } else {
                            B::Or(acc, b)
                        });
                    }
                    vec![acc]
                } else {
                    let mut acc = self.eval(scope, first, width)?;
                    for (op, y, _) in rest {
                        let b = self.eval(scope, y, width)?;
                        acc = self.binary(op, acc, b);
                    }
                    acc
                }
            }
            Expr::Cond(c, t, f, _) => {
                let s = self.truth(scope, c)?;
                let a = self.eval(scope, t, width)?;
                let b = self.eval(scope, f, width)?;
                a.into_iter()
                    .zip(b)
                    .map(|(t, f)| self.push(B::Mux(s, f, t)))
                    .collect()
            }
        };
        v.resize(width, 0);
        Ok(v)
    }
}
