//! Elaboration: signals to net bits, expressions to a bit-level DAG, module instances
//! flattened, then the DAG built into a [`Builder`] in dependency order (so assignments may
//! come in any order), with undriven, multiply driven and looping nets reported at their
//! source position.

use std::collections::HashMap;

use super::ast::{Conns, DeclKind, Expr, Item, Module};
use super::lex::{MAX_BITS, Pos};
use crate::gates::hdl::verilog_out::cell_module;
use crate::gates::{Builder, CellKind, MAX_PORT_WIDTH, Netlist, Wire};
use crate::{Error, Result};

/// Most bit-level nodes an import may create (a bound on memory for hostile input).
const MAX_NODES: usize = 1 << 24;
/// Deepest module hierarchy.
const MAX_HIERARCHY: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum B {
    Const(bool),
    Net(u32),
    Not(u32),
    And(u32, u32),
    Or(u32, u32),
    Xor(u32, u32),
    Nand(u32, u32),
    Nor(u32, u32),
    Xnor(u32, u32),
    /// `s ? b : a` as (s, a, b).
    Mux(u32, u32, u32),
    /// A recognised cell; its inputs are in `cell_inputs[node]`.
    Cell(CellKind),
    /// Output `k` of the cell node.
    CellOut(u32, u8),
}

#[derive(Clone, Copy, Debug)]
enum Driver {
    Input,
    Reg(u32),
    Expr(u32),
}

struct Signal {
    name: String,
    kind: DeclKind,
    is_reg: bool,
    msb: i64,
    lsb: i64,
    width: usize,
    base: u32,
    pos: Pos,
    top: bool,
    init: Option<Expr>,
}

impl Signal {
    /// Vector position (0 = least significant) of declared index `k`.
    fn position(&self, k: i64) -> Option<usize> {
        let p = if self.msb >= self.lsb {
            k - self.lsb
        } else {
            self.lsb - k
        };
        (0..self.width as i64).contains(&p).then_some(p as usize)
    }
}

struct NetBit {
    driver: Option<(Driver, Pos)>,
    signal: u32,
    position: u32,
}

struct RegBit {
    bit: u32,
    d: Option<(u32, Pos)>,
    init: bool,
}

struct Elab<'m> {
    modules: HashMap<&'m str, &'m Module>,
    signals: Vec<Signal>,
    bits: Vec<NetBit>,
    nodes: Vec<B>,
    cell_inputs: HashMap<u32, Vec<u32>>,
    regs: Vec<RegBit>,
    clock: Option<(u32, Pos)>,
    stack: Vec<String>,
    over_budget: bool,
}

type Scope = HashMap<String, u32>;

/// Reads the top module of `src` (see [`read_verilog`](crate::gates::hdl::read_verilog)).
pub(crate) fn elaborate(modules: &[Module], top: Option<&str>) -> Result<Netlist> {
    let mut map: HashMap<&str, &Module> = HashMap::new();
    for m in modules {
        if map.insert(m.name.as_str(), m).is_some() {
            return Err(m.pos.error(format!("module {} is defined twice", m.name)));
        }
    }
    let top = match top {
        Some(t) => *map.get(t).ok_or_else(|| {
            Error::param(
                "top module",
                t,
                format!(
                    "the text defines {}",
                    modules
                        .iter()
                        .map(|m| m.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?,
        None => {
            let used: Vec<&str> = modules
                .iter()
                .flat_map(|m| &m.items)
                .filter_map(|i| match i {
                    Item::Instance { module, .. } => Some(module.as_str()),
                    _ => None,
                })
                .collect();
            let tops: Vec<&Module> = modules
                .iter()
                .filter(|m| !used.contains(&m.name.as_str()))
                .collect();
            match tops.as_slice() {
                [one] => *one,
                [] => {
                    return Err(modules[0]
                        .pos
                        .error("every module is instantiated by another (a recursive hierarchy)"));
                }
                [_, second, ..] => {
                    return Err(second.pos.error(format!(
                        "several top-level modules ({}); name one with read_verilog_module",
                        tops.iter()
                            .map(|m| m.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
            }
        }
    };
    let mut e = Elab {
        modules: map,
        signals: Vec::new(),
        bits: Vec::new(),
        nodes: vec![B::Const(false), B::Const(true)],
        cell_inputs: HashMap::new(),
        regs: Vec::new(),
        clock: None,
        stack: vec![top.name.clone()],
        over_budget: false,
    };
    let scope = e.module(top, true, "")?;
    e.build(top, &scope)
}

impl Elab<'_> {
    fn push(&mut self, b: B) -> u32 {
        if self.nodes.len() >= MAX_NODES {
            self.over_budget = true;
            return 0;
        }
        self.nodes.push(b);
        (self.nodes.len() - 1) as u32
    }

    fn check_budget(&self, pos: Pos) -> Result<()> {
        if self.over_budget {
            return Err(pos.error(format!(
                "the design needs more than {MAX_NODES} bit-level nodes"
            )));
        }
        Ok(())
    }

    fn bit_name(&self, bit: u32) -> String {
        let nb = &self.bits[bit as usize];
        let s = &self.signals[nb.signal as usize];
        if s.width == 1 && s.msb == s.lsb {
            s.name.clone()
        } else {
            let p = nb.position as i64;
            let k = if s.msb >= s.lsb { s.lsb + p } else { s.lsb - p };
            format!("{}[{k}]", s.name)
        }
    }

    // --- declarations and items -----------------------------------------------------------

    fn module(&mut self, m: &Module, top: bool, path: &str) -> Result<Scope> {
        let mut scope: Scope = HashMap::new();
        for d in &m.decls {
            if let Some(&s) = scope.get(&d.name) {
                let sig = &mut self.signals[s as usize];
                let port_and_net = matches!(sig.kind, DeclKind::Input | DeclKind::Output)
                    && matches!(d.kind, DeclKind::Wire | DeclKind::Reg);
                if !port_and_net || (d.msb, d.lsb) != (sig.msb, sig.lsb) && (d.msb, d.lsb) != (0, 0)
                {
                    return Err(d.pos.error(format!("`{}` is declared twice", d.name)));
                }
                if d.kind == DeclKind::Reg {
                    if sig.kind == DeclKind::Input {
                        return Err(d.pos.error("an input cannot be a reg"));
                    }
                    sig.is_reg = true;
                }
                if d.init.is_some() {
                    sig.init.clone_from(&d.init);
                }
                continue;
            }
            if matches!(d.kind, DeclKind::Input | DeclKind::Output)
                && !m.ports.iter().any(|(n, _)| *n == d.name)
            {
                return Err(d.pos.error(format!(
                    "`{}` is declared as a port but is not in the module's port list",
                    d.name
                )));
            }
            let width = (d.msb - d.lsb).unsigned_abs() as usize + 1;
            if width > MAX_BITS || self.bits.len() + width > MAX_NODES {
                return Err(d
                    .pos
                    .error(format!("`{}` is wider than {MAX_BITS} bits", d.name)));
            }
            let idx = self.signals.len() as u32;
            let base = self.bits.len() as u32;
            let name = if path.is_empty() {
                d.name.clone()
            } else {
                format!("{path}.{}", d.name)
            };
            self.signals.push(Signal {
                name,
                kind: d.kind,
                is_reg: d.is_reg || d.kind == DeclKind::Reg,
                msb: d.msb,
                lsb: d.lsb,
                width,
                base,
                pos: d.pos,
                top,
                init: d.init.clone(),
            });
            for p in 0..width {
                self.bits.push(NetBit {
                    driver: None,
                    signal: idx,
                    position: p as u32,
                });
            }
            scope.insert(d.name.clone(), idx);
        }
        for (n, p) in &m.ports {
            match scope.get(n) {
                Some(&s)
                    if matches!(
                        self.signals[s as usize].kind,
                        DeclKind::Input | DeclKind::Output
                    ) => {}
                _ => return Err(p.error(format!("port `{n}` has no input or output declaration"))),
            }
        }
        // Registers, inputs, initializers.
        let sigs: Vec<u32> = m
            .decls
            .iter()
            .filter_map(|d| scope.get(&d.name).copied())
            .collect();
        let mut seen = Vec::new();
        for s in sigs {
            if seen.contains(&s) {
                continue;
            }
            seen.push(s);
            let sig = &self.signals[s as usize];
            let (base, width, pos) = (sig.base, sig.width, sig.pos);
            if sig.is_reg {
                if !top {
                    return Err(pos.error("registers are supported in the top module only"));
                }
                let init = match sig.init.clone() {
                    None => vec![false; width],
                    Some(e) => self.constant(&e, width)?,
                };
                for (p, init) in init.into_iter().enumerate() {
                    let k = self.regs.len() as u32;
                    self.regs.push(RegBit {
                        bit: base + p as u32,
                        d: None,
                        init,
                    });
                    self.bits[base as usize + p].driver = Some((Driver::Reg(k), pos));
                }
            } else if sig.kind == DeclKind::Input && top {
                for p in 0..width {
                    self.bits[base as usize + p].driver = Some((Driver::Input, pos));
                }
            } else if let Some(init) = sig.init.clone() {
                let lhs: Vec<u32> = (base..base + width as u32).collect();
                self.assign(&scope, &lhs, &init, pos)?;
            }
        }
        for item in &m.items {
            self.item(&scope, item, top, path)?;
        }
        Ok(scope)
    }

    fn constant(&mut self, e: &Expr, width: usize) -> Result<Vec<bool>> {
        match e {
            Expr::Const(l, _) => {
                let mut v = l.bits.clone();
                v.resize(width, false);
                Ok(v)
            }
            other => Err(other
                .pos()
                .error("a register initializer must be a constant")),
        }
    }

    fn drive(&mut self, bit: u32, node: u32, pos: Pos) -> Result<()> {
        let nb = &self.bits[bit as usize];
        let sig = &self.signals[nb.signal as usize];
        if sig.is_reg {
            return Err(pos.error(format!(
                "reg `{}` can only be assigned in an always block",
                self.bit_name(bit)
            )));
        }
        if sig.kind == DeclKind::Input && sig.top {
            return Err(pos.error(format!("input `{}` cannot be driven", self.bit_name(bit))));
        }
        if let Some((_, first)) = nb.driver {
            return Err(pos.error(format!(
                "`{}` has a second driver (the first is at line {}, column {})",
                self.bit_name(bit),
                first.line,
                first.column
            )));
        }
        self.bits[bit as usize].driver = Some((Driver::Expr(node), pos));
        Ok(())
    }

    fn assign(&mut self, scope: &Scope, lhs: &[u32], rhs: &Expr, pos: Pos) -> Result<()> {
        let w = lhs.len().max(self.width(scope, rhs)?);
        let v = self.eval(scope, rhs, w)?;
        self.check_budget(pos)?;
        for (&bit, &node) in lhs.iter().zip(&v) {
            self.drive(bit, node, pos)?;
        }
        Ok(())
    }

    fn item(&mut self, scope: &Scope, item: &Item, top: bool, path: &str) -> Result<()> {
        match item {
            Item::Assign { lhs, rhs, pos } => {
                let l = self.lvalue(scope, lhs)?;
                self.assign(scope, &l, rhs, *pos)
            }
            Item::Gate { kind, terms, pos } => {
                let n_out = if matches!(*kind, "not" | "buf") {
                    terms.len() - 1
                } else {
                    1
                };
                let mut ins = Vec::new();
                for t in &terms[n_out..] {
                    if self.width(scope, t)? != 1 {
                        return Err(t.pos().error("gate terminals must be one bit wide"));
                    }
                    ins.push(self.eval(scope, t, 1)?[0]);
                }
                let node = match *kind {
                    "buf" => ins[0],
                    "not" => self.not(ins[0]),
                    k => {
                        let f = |e: &mut Self, x: u32, y: u32| -> u32 {
                            match k {
                                "and" | "nand" => e.push(B::And(x, y)),
                                "or" | "nor" => e.push(B::Or(x, y)),
                                _ => e.push(B::Xor(x, y)),
                            }
                        };
                        let mut acc = ins[0];
                        for &x in &ins[1..] {
                            acc = f(self, acc, x);
                        }
                        if ins.len() < 2 {
                            return Err(pos.error(format!("gate `{k}` needs at least two inputs")));
                        }
                        if matches!(k, "nand" | "nor" | "xnor") {
                            self.not(acc)
                        } else {
                            acc
                        }
                    }
                };
                for t in &terms[..n_out] {
                    let l = self.lvalue(scope, t)?;
                    if l.len() != 1 {
                        return Err(t.pos().error("gate terminals must be one bit wide"));
                    }
                    self.drive(l[0], node, *pos)?;
                }
                self.check_budget(*pos)
            }
            Item::Instance {
                module,
                name,
                conns,
                pos,
            } => self.instance(scope, module, name, conns, *pos, path),
            Item::Always {
                clock,
                clock_pos,
                assigns,
            } => {
                if !top {
                    return Err(clock_pos.error("registers are supported in the top module only"));
                }
                let clk = match scope.get(clock) {
                    Some(&s)
                        if self.signals[s as usize].kind == DeclKind::Input
                            && self.signals[s as usize].width == 1 =>
                    {
                        s
                    }
                    _ => {
                        return Err(clock_pos.error(format!(
                            "clock `{clock}` must be a one-bit input of the top module"
                        )));
                    }
                };
                match self.clock {
                    Some((c, _)) if c != clk => {
                        return Err(clock_pos.error("every always block must use the same clock"));
                    }
                    _ => self.clock = Some((clk, *clock_pos)),
                }
                for (lhs, rhs, pos) in assigns {
                    let l = self.lvalue(scope, lhs)?;
                    let w = l.len().max(self.width(scope, rhs)?);
                    let v = self.eval(scope, rhs, w)?;
                    self.check_budget(*pos)?;
                    for (&bit, &node) in l.iter().zip(&v) {
                        let Some((Driver::Reg(k), _)) = self.bits[bit as usize].driver else {
                            return Err(pos.error(format!("`{}` is not a reg", self.bit_name(bit))));
                        };
                        let r = &mut self.regs[k as usize];
                        if let Some((_, first)) = r.d {
                            return Err(pos.error(format!(
                                "`{}` is assigned twice (first at line {}, column {})",
                                self.bit_name(bit),
                                first.line,
                                first.column
                            )));
                        }
                        r.d = Some((node, *pos));
                    }
                }
                Ok(())
            }
        }
    }

    fn instance(
        &mut self,
        scope: &Scope,
        module: &str,
        name: &str,
        conns: &Conns,
        pos: Pos,
        path: &str,
    ) -> Result<()> {
        let Some(&sub) = self.modules.get(module) else {
            return Err(pos.error(format!(
                "unknown module `{module}` (instances of gate primitives and of modules defined in the same text are supported)"
            )));
        };
        if self.stack.iter().any(|m| m == module) {
            return Err(pos.error(format!("module `{module}` instantiates itself")));
        }
        if self.stack.len() >= MAX_HIERARCHY {
            return Err(pos.error(format!("hierarchy deeper than {MAX_HIERARCHY} levels")));
        }
        // Pair each port with its connection.
        let mut pairs: Vec<(usize, Option<&Expr>, Pos)> = Vec::new();
        match conns {
            Conns::Named(v) => {
                for (pin, e, p) in v {
                    let Some(k) = sub.ports.iter().position(|(n, _)| n == pin) else {
                        return Err(p.error(format!("module `{module}` has no port `{pin}`")));
                    };
                    if pairs.iter().any(|x| x.0 == k) {
                        return Err(p.error(format!("port `{pin}` is connected twice")));
                    }
                    pairs.push((k, e.as_ref(), *p));
                }
            }
            Conns::Positional(v) => {
                if v.len() > sub.ports.len() {
                    return Err(pos.error(format!(
                        "{} connections for module `{module}` with {} ports",
                        v.len(),
                        sub.ports.len()
                    )));
                }
                for (k, e) in v.iter().enumerate() {
                    pairs.push((k, e.as_ref(), e.as_ref().map_or(pos, Expr::pos)));
                }
            }
        }
        let inner_path = if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        self.stack.push(module.to_string());
        let sub_scope = self.module(sub, false, &inner_path)?;
        self.stack.pop();
        let port_sig = |k: usize| sub_scope[&sub.ports[k].0];
        // Inputs: evaluated in the parent.
        let mut in_nodes: Vec<(String, Vec<u32>)> = Vec::new();
        for (k, (pname, _)) in sub.ports.iter().enumerate() {
            let s = port_sig(k);
            let (kind, base, width) = {
                let sig = &self.signals[s as usize];
                (sig.kind, sig.base, sig.width)
            };
            let conn = pairs.iter().find(|x| x.0 == k);
            if kind == DeclKind::Input {
                let Some(&(_, Some(e), p)) = conn else {
                    return Err(pos.error(format!(
                        "input `{pname}` of instance `{name}` is not connected"
                    )));
                };
                let w = width.max(self.width(scope, e)?);
                let v = self.eval(scope, e, w)?;
                self.check_budget(p)?;
                for (i, &node) in v.iter().take(width).enumerate() {
                    self.bits[base as usize + i].driver = Some((Driver::Expr(node), p));
                }
                in_nodes.push((pname.clone(), v[..width].to_vec()));
            }
        }
        let cell = self.recognise_cell(sub, &sub_scope, &in_nodes);
        for (k, (pname, _)) in sub.ports.iter().enumerate() {
            let s = port_sig(k);
            let (kind, base, width) = {
                let sig = &self.signals[s as usize];
                (sig.kind, sig.base, sig.width)
            };
            if kind != DeclKind::Output {
                continue;
            }
            let Some(&(_, Some(e), p)) = pairs.iter().find(|x| x.0 == k) else {
                continue;
            };
            let l = self.lvalue(scope, e)?;
            for (i, &bit) in l.iter().take(width).enumerate() {
                let node = match cell {
                    Some((c, ref outs)) => {
                        let o = outs.iter().position(|n| n == pname).unwrap_or(0) as u8;
                        self.push(B::CellOut(c, o))
                    }
                    None => self.push(B::Net(base + i as u32)),
                };
                self.drive(bit, node, p)?;
            }
        }
        self.check_budget(pos)
    }

    /// If `sub` is one of the crate's cell modules (by name and ports) and its body computes
    /// the cell's function, a [`B::Cell`] node over the connected inputs and the cell's output
    /// pin names; otherwise `None` (the instance is flattened gate by gate).
    fn recognise_cell(
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

    fn interpret_bit(&self, bit: u32, env: &[(u32, bool)], depth: usize) -> Option<bool> {
        if let Some(&(_, v)) = env.iter().find(|(b, _)| *b == bit) {
            return Some(v);
        }
        match self.bits[bit as usize].driver {
            Some((Driver::Expr(n), _)) => self.interpret(n, env, depth + 1),
            _ => None,
        }
    }

    fn interpret(&self, n: u32, env: &[(u32, bool)], depth: usize) -> Option<bool> {
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

    // --- expressions ----------------------------------------------------------------------

    fn signal(&self, scope: &Scope, name: &str, pos: Pos) -> Result<u32> {
        scope
            .get(name)
            .copied()
            .ok_or_else(|| pos.error(format!("`{name}` is not declared")))
    }

    /// Net bits of an assignment target, least significant first.
    fn lvalue(&mut self, scope: &Scope, e: &Expr) -> Result<Vec<u32>> {
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
    fn select(&self, scope: &Scope, e: &Expr) -> Result<Vec<u32>> {
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
    fn width(&self, scope: &Scope, e: &Expr) -> Result<usize> {
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
            Expr::Binary(op, x, y, _) => {
                let (a, b) = (self.width(scope, x)?, self.width(scope, y)?);
                if matches!(*op, "&&" | "||") {
                    1
                } else {
                    a.max(b)
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

    fn not(&mut self, x: u32) -> u32 {
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

    fn reduce(&mut self, v: &[u32], op: fn(u32, u32) -> B) -> u32 {
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

    fn truth(&mut self, scope: &Scope, e: &Expr) -> Result<u32> {
        let w = self.width(scope, e)?;
        let v = self.eval(scope, e, w)?;
        Ok(self.reduce(&v, B::Or))
    }

    /// Evaluates `e` at `width` bits (at least its self-determined width): nodes, least
    /// significant first.
    fn eval(&mut self, scope: &Scope, e: &Expr, width: usize) -> Result<Vec<u32>> {
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
            Expr::Binary(op, x, y, _) => match *op {
                "&&" | "||" => {
                    let a = self.truth(scope, x)?;
                    let b = self.truth(scope, y)?;
                    vec![self.push(if *op == "&&" {
                        B::And(a, b)
                    } else {
                        B::Or(a, b)
                    })]
                }
                _ => {
                    let a = self.eval(scope, x, width)?;
                    let b = self.eval(scope, y, width)?;
                    a.into_iter()
                        .zip(b)
                        .map(|(p, q)| match *op {
                            "&" => self.push(B::And(p, q)),
                            "|" => self.push(B::Or(p, q)),
                            "^" => self.push(B::Xor(p, q)),
                            _ => self.push(B::Xnor(p, q)),
                        })
                        .collect()
                }
            },
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

    // --- building ---------------------------------------------------------------------------

    fn build(self, top: &Module, scope: &Scope) -> Result<Netlist> {
        let mut b = Builder::new();
        let mut bit_wire: Vec<Option<Wire>> = vec![None; self.bits.len()];
        let clock = self.clock.map(|c| c.0);
        // Inputs in header order (the clock is implicit in the netlist).
        for (name, _) in &top.ports {
            let s = scope[name];
            let sig = &self.signals[s as usize];
            if sig.kind != DeclKind::Input || Some(s) == clock {
                continue;
            }
            if sig.width > MAX_PORT_WIDTH as usize {
                return Err(sig
                    .pos
                    .error(format!("port `{name}` is wider than {MAX_PORT_WIDTH} bits")));
            }
            let ws = b
                .input(name, sig.width as u32)
                .map_err(|e| sig.pos.error(e.to_string()))?;
            for (i, w) in ws.into_iter().enumerate() {
                bit_wire[sig.base as usize + i] = Some(w);
            }
        }
        let mut reg_q = Vec::with_capacity(self.regs.len());
        for r in &self.regs {
            let q = b.register(r.init);
            bit_wire[r.bit as usize] = Some(q);
            reg_q.push(q);
        }
        let mut node_wire: Vec<Option<Wire>> = vec![None; self.nodes.len()];
        let mut cell_out: HashMap<u32, Vec<Wire>> = HashMap::new();
        // Roots: the top module's nets (internal ones first, in declaration order), then
        // register inputs and output ports.
        let mut roots: Vec<u32> = Vec::new();
        for pass in 0..2 {
            for s in self.signals.iter().filter(|s| s.top) {
                let port = matches!(s.kind, DeclKind::Input | DeclKind::Output);
                if port == (pass == 1) {
                    roots.extend(s.base..s.base + s.width as u32);
                }
            }
        }
        let mut state = vec![0u8; self.nodes.len()];
        let mut bit_state = vec![0u8; self.bits.len()];
        for &bit in &roots {
            if let Some((Driver::Expr(_), _)) = self.bits[bit as usize].driver {
                self.build_bit(
                    &mut b,
                    bit,
                    &mut bit_wire,
                    &mut node_wire,
                    &mut cell_out,
                    &mut state,
                    &mut bit_state,
                )?;
            }
        }
        let mut ds = Vec::with_capacity(self.regs.len());
        for k in 0..self.regs.len() {
            let Some((d, _)) = self.regs[k].d else {
                let bit = self.regs[k].bit;
                let s = &self.signals[self.bits[bit as usize].signal as usize];
                return Err(s.pos.error(format!(
                    "reg `{}` is never assigned in an always block",
                    self.bit_name(bit)
                )));
            };
            ds.push(self.build_node(
                &mut b,
                d,
                &mut bit_wire,
                &mut node_wire,
                &mut cell_out,
                &mut state,
                &mut bit_state,
            )?);
        }
        for (name, _) in &top.ports {
            let s = scope[name];
            let sig = &self.signals[s as usize];
            if sig.kind != DeclKind::Output {
                continue;
            }
            let (base, width, pos) = (sig.base, sig.width, sig.pos);
            if width > MAX_PORT_WIDTH as usize {
                return Err(pos.error(format!("port `{name}` is wider than {MAX_PORT_WIDTH} bits")));
            }
            let mut ws = Vec::with_capacity(width);
            for bit in base..base + width as u32 {
                ws.push(self.build_bit(
                    &mut b,
                    bit,
                    &mut bit_wire,
                    &mut node_wire,
                    &mut cell_out,
                    &mut state,
                    &mut bit_state,
                )?);
            }
            b.output(name, &ws).map_err(|e| pos.error(e.to_string()))?;
        }
        for (q, d) in reg_q.into_iter().zip(ds) {
            b.connect_register(q, d)?;
        }
        b.finish()
    }

    #[allow(clippy::too_many_arguments)]
    fn build_bit(
        &self,
        b: &mut Builder,
        bit: u32,
        bit_wire: &mut [Option<Wire>],
        node_wire: &mut [Option<Wire>],
        cell_out: &mut HashMap<u32, Vec<Wire>>,
        state: &mut [u8],
        bit_state: &mut [u8],
    ) -> Result<Wire> {
        if let Some(w) = bit_wire[bit as usize] {
            return Ok(w);
        }
        if !matches!(self.bits[bit as usize].driver, Some((Driver::Expr(_), _))) {
            let s = &self.signals[self.bits[bit as usize].signal as usize];
            return Err(s
                .pos
                .error(format!("`{}` is never driven", self.bit_name(bit))));
        }
        let net = self.push_net_node(bit);
        self.build_node(b, net, bit_wire, node_wire, cell_out, state, bit_state)
    }

    /// A node id standing for net bit `bit` (its driver's node; the const node 0 for an
    /// undriven bit is never used because undriven bits are reported first).
    fn push_net_node(&self, bit: u32) -> u32 {
        match self.bits[bit as usize].driver {
            Some((Driver::Expr(n), _)) => n,
            _ => 0,
        }
    }

    /// Builds node `root` and everything it reads, depth first without recursion.
    #[allow(clippy::too_many_arguments)]
    fn build_node(
        &self,
        b: &mut Builder,
        root: u32,
        bit_wire: &mut [Option<Wire>],
        node_wire: &mut [Option<Wire>],
        cell_out: &mut HashMap<u32, Vec<Wire>>,
        state: &mut [u8],
        bit_state: &mut [u8],
    ) -> Result<Wire> {
        // Stack entries: (node, children pushed).
        let mut stack: Vec<(u32, bool)> = vec![(root, false)];
        while let Some((n, expanded)) = stack.pop() {
            if node_wire[n as usize].is_some() {
                continue;
            }
            let node = self.nodes[n as usize];
            if !expanded {
                if state[n as usize] == 1 {
                    continue; // already on the path below; handled when it is finished
                }
                state[n as usize] = 1;
                stack.push((n, true));
                let children: Vec<u32> = match node {
                    B::Const(_) => vec![],
                    B::Net(bit) => {
                        if bit_wire[bit as usize].is_some() {
                            vec![]
                        } else {
                            match self.bits[bit as usize].driver {
                                Some((Driver::Expr(d), _)) => {
                                    if bit_state[bit as usize] == 1 {
                                        let (_, p) = self.bits[bit as usize]
                                            .driver
                                            .unwrap_or((Driver::Input, Pos::default()));
                                        return Err(p.error(format!(
                                            "combinational loop through `{}`",
                                            self.bit_name(bit)
                                        )));
                                    }
                                    bit_state[bit as usize] = 1;
                                    vec![d]
                                }
                                Some((Driver::Input, p)) => {
                                    return Err(p.error(format!(
                                        "clock `{}` can only be used in `always @(posedge ...)`",
                                        self.bit_name(bit)
                                    )));
                                }
                                _ => {
                                    let s = &self.signals[self.bits[bit as usize].signal as usize];
                                    return Err(s.pos.error(format!(
                                        "`{}` is read but never driven",
                                        self.bit_name(bit)
                                    )));
                                }
                            }
                        }
                    }
                    B::Not(x) => vec![x],
                    B::And(x, y)
                    | B::Or(x, y)
                    | B::Xor(x, y)
                    | B::Nand(x, y)
                    | B::Nor(x, y)
                    | B::Xnor(x, y) => vec![x, y],
                    B::Mux(s, x, y) => vec![s, x, y],
                    B::Cell(_) => self.cell_inputs[&n].clone(),
                    B::CellOut(c, _) => vec![c],
                };
                for c in children {
                    if node_wire[c as usize].is_none() {
                        if state[c as usize] == 1 {
                            let bit = stack.iter().rev().find_map(|&(m, _)| {
                                match self.nodes[m as usize] {
                                    B::Net(bit) => Some(bit),
                                    _ => None,
                                }
                            });
                            let (name, p) = match bit {
                                Some(bit) => (
                                    self.bit_name(bit),
                                    self.bits[bit as usize]
                                        .driver
                                        .map_or(Pos::default(), |d| d.1),
                                ),
                                None => ("a net".into(), Pos::default()),
                            };
                            return Err(p.error(format!("combinational loop through `{name}`")));
                        }
                        stack.push((c, false));
                    }
                }
                continue;
            }
            let zero = b.zero();
            let w = |x: u32| node_wire[x as usize].unwrap_or(zero);
            let wire = match node {
                B::Const(v) => b.constant(v),
                B::Net(bit) => {
                    let r = match bit_wire[bit as usize] {
                        Some(x) => x,
                        None => {
                            let Some((Driver::Expr(d), _)) = self.bits[bit as usize].driver else {
                                unreachable!("undriven bits are reported when expanded")
                            };
                            w(d)
                        }
                    };
                    bit_wire[bit as usize] = Some(r);
                    bit_state[bit as usize] = 2;
                    r
                }
                B::Not(x) => {
                    let x = w(x);
                    b.not(x)
                }
                B::And(x, y) => {
                    let (x, y) = (w(x), w(y));
                    b.and(x, y)
                }
                B::Or(x, y) => {
                    let (x, y) = (w(x), w(y));
                    b.or(x, y)
                }
                B::Xor(x, y) => {
                    let (x, y) = (w(x), w(y));
                    b.xor(x, y)
                }
                B::Nand(x, y) => {
                    let (x, y) = (w(x), w(y));
                    b.nand(x, y)
                }
                B::Nor(x, y) => {
                    let (x, y) = (w(x), w(y));
                    b.nor(x, y)
                }
                B::Xnor(x, y) => {
                    let (x, y) = (w(x), w(y));
                    b.xnor(x, y)
                }
                B::Mux(s, x, y) => {
                    let (s, x, y) = (w(s), w(x), w(y));
                    b.mux(s, x, y)
                }
                B::Cell(kind) => {
                    let i: Vec<Wire> = self.cell_inputs[&n].iter().map(|&x| w(x)).collect();
                    let outs = match kind {
                        CellKind::HalfAdder => {
                            let (s, c) = b.half_adder(i[0], i[1]);
                            vec![s, c]
                        }
                        CellKind::FullAdder => {
                            let (s, c) = b.full_adder(i[0], i[1], i[2]);
                            vec![s, c]
                        }
                        CellKind::Mux2 => vec![b.mux(i[2], i[0], i[1])],
                        CellKind::PrefixBlack => {
                            let (g, p) = b.prefix_black(i[0], i[1], i[2], i[3]);
                            vec![g, p]
                        }
                        CellKind::PrefixGray => vec![b.prefix_gray(i[0], i[1], i[2])],
                    };
                    cell_out.insert(n, outs);
                    b.zero()
                }
                B::CellOut(c, k) => cell_out[&c][k as usize],
            };
            node_wire[n as usize] = Some(wire);
            state[n as usize] = 2;
        }
        let zero = b.zero();
        Ok(node_wire[root as usize].unwrap_or(zero))
    }
}
