//! The evaluation program: the netlist's gates as a flat instruction list, with recorded half
//! and full adders optionally fused into one two-output instruction.
//!
//! A fused full adder reads its three inputs once and writes its two outputs, instead of five
//! gates reading ten operands and writing five words; the cell's internal wires (`a ^ b`,
//! `a & b`, `(a ^ b) & ci`) are then not computed. A cell is fused only when no other gate,
//! output port or register reads those internal wires.

use super::netlist::{CellKind, Netlist, Op};

/// Instruction kinds: the primitives plus the fused cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Code {
    Not,
    And,
    Or,
    Xor,
    Nand,
    Nor,
    Xnor,
    /// `out <- c ? b : a`
    Mux,
    /// `out <- a ^ b`, `out2 <- a & b`
    HalfAdder,
    /// `out <- a ^ b ^ c`, `out2 <- maj(a, b, c)`
    FullAdder,
}

/// One instruction; `out < out2` for two-output instructions, and every operand is below
/// `out`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Instr {
    pub code: Code,
    pub a: u32,
    pub b: u32,
    pub c: u32,
    pub out: u32,
    pub out2: u32,
}

/// Compiles `net`; returns the program and, per wire, whether the program computes it.
pub(crate) fn compile(net: &Netlist, fuse: bool) -> (Vec<Instr>, Vec<bool>) {
    let n = net.nodes.len();
    let mut computed = vec![true; n];
    let mut fused_at: Vec<Option<usize>> = vec![None; n];
    if fuse {
        // wires read from outside their cell: gates, outputs, registers
        let mut external = vec![false; n];
        for p in &net.outputs {
            for w in &p.wires {
                external[w.index()] = true;
            }
        }
        for r in &net.registers {
            external[r.d.index()] = true;
        }
        let mut owner_cell = vec![usize::MAX; n];
        for (k, c) in net.cells.iter().enumerate() {
            for i in c.first..c.end {
                owner_cell[i as usize] = k;
            }
        }
        for (i, node) in net.nodes.iter().enumerate() {
            for &x in node.inputs().iter() {
                if owner_cell[x as usize] != owner_cell[i] {
                    external[x as usize] = true;
                }
            }
        }
        for (k, c) in net.cells.iter().enumerate() {
            if !matches!(c.kind, CellKind::HalfAdder | CellKind::FullAdder) {
                continue;
            }
            let internal_free = (c.first..c.end)
                .filter(|i| !c.outputs.contains(i))
                .all(|i| !external[i as usize]);
            if internal_free {
                fused_at[c.first as usize] = Some(k);
                for i in c.first..c.end {
                    if !c.outputs.contains(&i) {
                        computed[i as usize] = false;
                    }
                }
            }
        }
    }
    let mut prog = Vec::with_capacity(n);
    let mut i = 0;
    while i < n {
        if let Some(k) = fused_at[i] {
            let c = &net.cells[k];
            let (s, co) = (c.outputs[0], c.outputs[1]);
            debug_assert!(s < co);
            prog.push(Instr {
                code: if c.kind == CellKind::FullAdder {
                    Code::FullAdder
                } else {
                    Code::HalfAdder
                },
                a: c.inputs[0],
                b: c.inputs[1],
                c: c.inputs.get(2).copied().unwrap_or(0),
                out: s,
                out2: co,
            });
            i = c.end as usize;
            continue;
        }
        let node = net.nodes[i];
        let code = match node.op {
            Op::Not => Some(Code::Not),
            Op::And => Some(Code::And),
            Op::Or => Some(Code::Or),
            Op::Xor => Some(Code::Xor),
            Op::Nand => Some(Code::Nand),
            Op::Nor => Some(Code::Nor),
            Op::Xnor => Some(Code::Xnor),
            Op::Mux => Some(Code::Mux),
            Op::Const0 | Op::Const1 | Op::Input | Op::RegQ => None,
        };
        if let Some(code) = code {
            prog.push(Instr {
                code,
                a: node.a,
                b: node.b,
                c: node.c,
                out: i as u32,
                out2: i as u32,
            });
        }
        i += 1;
    }
    (prog, computed)
}

/// The inner loop: every instruction, in order, one bitwise op per word.
///
/// `values[i * w..][..w]` holds wire `i`. Instructions only read lower-numbered wires, so
/// splitting the buffer at the output gives the inputs (below) and the output (above)
/// without copying.
pub(crate) fn run(prog: &[Instr], values: &mut [u64], w: usize) {
    for ins in prog {
        let (lo, hi) = values.split_at_mut(ins.out as usize * w);
        let (out, rest) = hi.split_at_mut(w);
        let a = &lo[ins.a as usize * w..][..w];
        macro_rules! bin {
            ($f:expr) => {{
                let b = &lo[ins.b as usize * w..][..w];
                for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
                    *o = $f(x, y);
                }
            }};
        }
        match ins.code {
            Code::Not => {
                for (o, &x) in out.iter_mut().zip(a) {
                    *o = !x;
                }
            }
            Code::And => bin!(|x: u64, y: u64| x & y),
            Code::Or => bin!(|x: u64, y: u64| x | y),
            Code::Xor => bin!(|x: u64, y: u64| x ^ y),
            Code::Nand => bin!(|x: u64, y: u64| !(x & y)),
            Code::Nor => bin!(|x: u64, y: u64| !(x | y)),
            Code::Xnor => bin!(|x: u64, y: u64| !(x ^ y)),
            Code::Mux => {
                let b = &lo[ins.b as usize * w..][..w];
                let s = &lo[ins.c as usize * w..][..w];
                for (((o, &x), &y), &s) in out.iter_mut().zip(a).zip(b).zip(s) {
                    *o = (x & !s) | (y & s);
                }
            }
            Code::HalfAdder => {
                let b = &lo[ins.b as usize * w..][..w];
                let o2 = &mut rest[(ins.out2 - ins.out - 1) as usize * w..][..w];
                for (((s, c), &x), &y) in out.iter_mut().zip(o2.iter_mut()).zip(a).zip(b) {
                    *s = x ^ y;
                    *c = x & y;
                }
            }
            Code::FullAdder => {
                let b = &lo[ins.b as usize * w..][..w];
                let ci = &lo[ins.c as usize * w..][..w];
                let o2 = &mut rest[(ins.out2 - ins.out - 1) as usize * w..][..w];
                for ((((s, c), &x), &y), &z) in
                    out.iter_mut().zip(o2.iter_mut()).zip(a).zip(b).zip(ci)
                {
                    let p = x ^ y;
                    *s = p ^ z;
                    *c = (x & y) | (p & z);
                }
            }
        }
    }
}
