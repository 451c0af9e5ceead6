//! Elaboration: signals to net bits, expressions to a bit-level DAG, module instances
//! flattened, then the DAG built into a [`Builder`] in dependency order (so assignments may
//! come in any order), with undriven, multiply driven and looping nets reported at their
//! source position.

use std::collections::{HashMap, HashSet};

use super::ast::{Conns, DeclKind, Expr, Item, Module};
use super::lex::{LabelComment, MAX_BITS, Pos};

mod budget;
mod build;
mod cells;
mod expr;
use crate::gates::{CellKind, Netlist};
use crate::{Error, Result};

/// Most bit-level nodes an import may create (a bound on memory for hostile input).
const MAX_NODES: usize = crate::limits::VERILOG_MAX_NODES;
/// Deepest module hierarchy.
const MAX_HIERARCHY: usize = crate::limits::VERILOG_MAX_HIERARCHY_DEPTH;

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
    /// Per module name: how it maps onto a cell, if it does.
    cell_cache: HashMap<String, cells::CellMatch>,
    regs: Vec<RegBit>,
    clock: Option<(u32, Pos)>,
    stack: Vec<String>,
    over_budget: bool,
    /// The label comments of the text (position, path; "" returns to the root).
    label_comments: &'m [LabelComment],
    /// Label paths, the root "" first; `node_label` indexes it.
    labels: Vec<String>,
    label_ids: HashMap<String, u32>,
    /// The label of every node (parallel to `nodes`), that of the top-module item it was
    /// created for; the gates built from a node get it.
    node_label: Vec<u32>,
    /// The label nodes are created under now.
    cur_label: u32,
}

type Scope = HashMap<String, u32>;

/// Reads the top module of `src` (see [`read_verilog`](crate::gates::hdl::read_verilog)).
pub(crate) fn elaborate(
    modules: &[Module],
    top: Option<&str>,
    label_comments: &[LabelComment],
) -> Result<Netlist> {
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
            let used: HashSet<&str> = modules
                .iter()
                .flat_map(|m| &m.items)
                .filter_map(|i| match i {
                    Item::Instance { module, .. } => Some(module.as_str()),
                    _ => None,
                })
                .collect();
            let tops: Vec<&Module> = modules
                .iter()
                .filter(|m| !used.contains(m.name.as_str()))
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
    budget::check_expansion(&map, top)?;
    let mut e = Elab {
        modules: map,
        signals: Vec::new(),
        bits: Vec::new(),
        nodes: vec![B::Const(false), B::Const(true)],
        cell_inputs: HashMap::new(),
        cell_cache: HashMap::new(),
        regs: Vec::new(),
        clock: None,
        stack: vec![top.name.clone()],
        over_budget: false,
        label_comments,
        labels: vec![String::new()],
        label_ids: HashMap::new(),
        node_label: vec![0, 0],
        cur_label: 0,
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
        self.node_label.push(self.cur_label);
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

    /// In the top module `m`, makes the label in effect at `pos` current: that of the last
    /// label comment after the module's name and before `pos` (the root without one).
    fn label_at(&mut self, m: &Module, pos: Pos) {
        let key = |p: Pos| (p.line, p.column);
        let end = self
            .label_comments
            .partition_point(|(p, _)| key(*p) < key(pos));
        self.cur_label = match self.label_comments[..end].last() {
            Some((p, text)) if key(*p) > key(m.pos) && !text.is_empty() => {
                let next = self.labels.len() as u32;
                let k = *self.label_ids.entry(text.clone()).or_insert(next);
                if k == next {
                    self.labels.push(text.clone());
                }
                k
            }
            _ => 0,
        };
    }

    // --- declarations and items -----------------------------------------------------------

    fn module(&mut self, m: &Module, top: bool, path: &str) -> Result<Scope> {
        let mut scope: Scope = HashMap::new();
        let port_names: HashSet<&str> = m.ports.iter().map(|(n, _)| n.as_str()).collect();
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
                && !port_names.contains(d.name.as_str())
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
        let mut seen = HashSet::new();
        for s in sigs {
            if !seen.insert(s) {
                continue;
            }
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
                if top {
                    self.label_at(m, pos);
                }
                let lhs: Vec<u32> = (base..base + width as u32).collect();
                self.assign(&scope, &lhs, &init, pos)?;
            }
        }
        for item in &m.items {
            if top {
                let pos = match item {
                    Item::Assign { pos, .. }
                    | Item::Gate { pos, .. }
                    | Item::Instance { pos, .. } => *pos,
                    Item::Always { clock_pos, .. } => *clock_pos,
                };
                self.label_at(m, pos);
            }
            self.item(&scope, item, top, path)?;
        }
        if top {
            self.cur_label = 0;
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
        // Each port's connection, by port index (linear in the ports, however many).
        let mut pairs: Vec<Option<(Option<&Expr>, Pos)>> = vec![None; sub.ports.len()];
        match conns {
            Conns::Named(v) => {
                let index: HashMap<&str, usize> = sub
                    .ports
                    .iter()
                    .enumerate()
                    .map(|(k, (n, _))| (n.as_str(), k))
                    .collect();
                for (pin, e, p) in v {
                    let Some(&k) = index.get(pin.as_str()) else {
                        return Err(p.error(format!("module `{module}` has no port `{pin}`")));
                    };
                    if pairs[k].is_some() {
                        return Err(p.error(format!("port `{pin}` is connected twice")));
                    }
                    pairs[k] = Some((e.as_ref(), *p));
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
                    pairs[k] = Some((e.as_ref(), e.as_ref().map_or(pos, Expr::pos)));
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
            if kind == DeclKind::Input {
                let Some((Some(e), p)) = pairs[k] else {
                    return Err(pos.error(format!(
                        "input `{pname}` of instance `{name}` is not connected"
                    )));
                };
                let ew = self.width(scope, e)?;
                // A narrower connection is zero-extended (Verilog's rule); a wider one would
                // be truncated, which the subset refuses (an unsized constant whose value fits
                // is fine: its 32 bits are only nominal).
                let fits = match e {
                    Expr::Const(l, _) if !l.sized => l.bits.iter().skip(width).all(|&b| !b),
                    _ => ew <= width,
                };
                if !fits {
                    return Err(p.error(format!(
                        "input `{pname}` of instance `{name}` is {width} bits wide, but its \
                         connection is {ew} bits (it would be truncated)"
                    )));
                }
                let w = width.max(ew);
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
            let Some((Some(e), p)) = pairs[k] else {
                continue;
            };
            let l = self.lvalue(scope, e)?;
            if l.len() != width {
                return Err(p.error(format!(
                    "output `{pname}` of instance `{name}` is {width} bits wide, but its \
                     connection is {} bits",
                    l.len()
                )));
            }
            for (i, &bit) in l.iter().enumerate() {
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
}
