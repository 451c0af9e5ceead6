//! Building the bit-level DAG into a [`Builder`] in dependency order, without recursion.

use std::collections::HashMap;

use super::{B, Driver, Elab, Scope};
use crate::Result;
use crate::gates::hdl::verilog_in::ast::{DeclKind, Module};
use crate::gates::hdl::verilog_in::lex::Pos;
use crate::gates::{Builder, CellKind, MAX_PORT_WIDTH, Netlist, Wire};

impl Elab<'_> {
    // --- building ---------------------------------------------------------------------------

    pub(super) fn build(self, top: &Module, scope: &Scope) -> Result<Netlist> {
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
    pub(super) fn build_bit(
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
    pub(super) fn push_net_node(&self, bit: u32) -> u32 {
        match self.bits[bit as usize].driver {
            Some((Driver::Expr(n), _)) => n,
            _ => 0,
        }
    }

    /// Builds node `root` and everything it reads, depth first without recursion.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn build_node(
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
            // The gates of a node carry the label of the item it was created for (nodes
            // that add no gate push none, so no label is listed without a gate).
            let label = match node {
                B::Const(_) | B::Net(_) | B::CellOut(..) => 0,
                _ => self.node_label.get(n as usize).copied().unwrap_or(0),
            };
            if label != 0 {
                b.push_label(&self.labels[label as usize]);
            }
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
            if label != 0 {
                b.pop_label();
            }
            node_wire[n as usize] = Some(wire);
            state[n as usize] = 2;
        }
        let zero = b.zero();
        Ok(node_wire[root as usize].unwrap_or(zero))
    }
}
