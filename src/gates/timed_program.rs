//! The timed program: a netlist as the cells the timed simulator and the transport-delay
//! Verilog export both use, each with its integer delay, and every wire's switching window.
//!
//! **What is timed as one cell.** A recorded half adder, full adder or mux is one cell with
//! one delay (its library cell's, `HA`/`FA`/`MUX2`), all outputs computed from its pins, as
//! [`Netlist::instances`] maps it for area, energy and path delay. Exception, as in the fused
//! zero-delay program: when a wire inside the cell (a full adder's `a ^ b`, say) is read from
//! outside it, the cell's gates are timed one by one with their own primitives' delays, so
//! that wire has a waveform. Prefix cells and loose gates are timed gate by gate. A register's
//! `Q` is a source that switches one DFF delay (clock-to-Q) after the start of each step.
//!
//! **Windows.** Inputs switch at time 0, a register's `Q` at its DFF delay. A cell output can
//! change only at `τ + d` for a time `τ` at which one of its inputs can change, so it lies in
//! `[min lo_in + d, max hi_in + d]`; before the window it holds its previous settled value and
//! after it its new one. (The simulator refines the window to the set of units `τ + d`.)

use super::cells::LibCell;
use super::netlist::{CellKind, Netlist, Op};
use super::timed_delays::TimedDelays;
use crate::{Error, Result};

/// A timed cell's logic function on its pins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fun {
    /// `y = !a`
    Not,
    /// `y = a & b`
    And,
    /// `y = a | b`
    Or,
    /// `y = a ^ b`
    Xor,
    /// `y = !(a & b)`
    Nand,
    /// `y = !(a | b)`
    Nor,
    /// `y = !(a ^ b)`
    Xnor,
    /// `y = c ? b : a`
    Mux,
    /// `s = a ^ b`, `co = a & b`
    HalfAdder,
    /// `s = a ^ b ^ c`, `co = maj(a, b, c)`
    FullAdder,
}

impl Fun {
    pub(crate) fn arity(self) -> usize {
        match self {
            Fun::Not => 1,
            Fun::Mux | Fun::FullAdder => 3,
            _ => 2,
        }
    }

    pub(crate) fn outputs(self) -> usize {
        match self {
            Fun::HalfAdder | Fun::FullAdder => 2,
            _ => 1,
        }
    }

    fn of_op(op: Op) -> Option<Fun> {
        Some(match op {
            Op::Not => Fun::Not,
            Op::And => Fun::And,
            Op::Or => Fun::Or,
            Op::Xor => Fun::Xor,
            Op::Nand => Fun::Nand,
            Op::Nor => Fun::Nor,
            Op::Xnor => Fun::Xnor,
            Op::Mux => Fun::Mux,
            Op::Const0 | Op::Const1 | Op::Input | Op::RegQ => return None,
        })
    }

    /// The function on one word per pin (64 lanes); `(first output, second output)`.
    #[inline(always)]
    pub(crate) fn eval(self, a: u64, b: u64, c: u64) -> (u64, u64) {
        match self {
            Fun::Not => (!a, 0),
            Fun::And => (a & b, 0),
            Fun::Or => (a | b, 0),
            Fun::Xor => (a ^ b, 0),
            Fun::Nand => (!(a & b), 0),
            Fun::Nor => (!(a | b), 0),
            Fun::Xnor => (!(a ^ b), 0),
            Fun::Mux => ((a & !c) | (b & c), 0),
            Fun::HalfAdder => (a ^ b, a & b),
            Fun::FullAdder => (a ^ b ^ c, (a & b) | (c & (a ^ b))),
        }
    }
}

/// One timed cell: function, pins (unused ones 0), outputs (the second only for HA/FA),
/// library cell and delay in units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TimedCell {
    pub fun: Fun,
    pub cell: LibCell,
    pub ins: [u32; 3],
    pub outs: [u32; 2],
    pub delay: u32,
}

/// The timed program of a netlist: cells in topological order and every wire's window.
#[derive(Clone, Debug)]
pub(crate) struct TimedProgram {
    pub cells: Vec<TimedCell>,
    /// Per wire: `Some((lo, hi))`, the first and last unit at which it can change, or `None`
    /// for a wire that never changes (constants, wires inside a cell timed as one).
    pub window: Vec<Option<(u32, u32)>>,
}

/// Compiles `net` with `delays`.
///
/// # Errors
/// [`Error::InvalidParameter`] when a window would pass `u32::MAX / 4` units (a delay path
/// far longer than any circuit needs).
pub(crate) fn compile(net: &Netlist, delays: &TimedDelays) -> Result<TimedProgram> {
    let n = net.nodes.len();
    // wires read from outside the cell that holds them
    let mut owner_cell = vec![usize::MAX; n];
    for (k, c) in net.cells.iter().enumerate() {
        for i in c.first..c.end {
            owner_cell[i as usize] = k;
        }
    }
    let mut external = vec![false; n];
    for p in &net.outputs {
        for w in &p.wires {
            external[w.index()] = true;
        }
    }
    for r in &net.registers {
        external[r.d.index()] = true;
    }
    for (i, node) in net.nodes.iter().enumerate() {
        for &x in node.inputs().iter() {
            if owner_cell[x as usize] != owner_cell[i] {
                external[x as usize] = true;
            }
        }
    }
    let mut as_cell: Vec<Option<usize>> = vec![None; n];
    for (k, c) in net.cells.iter().enumerate() {
        if LibCell::for_cell(c.kind).is_none() {
            continue;
        }
        let internal_free = (c.first..c.end)
            .filter(|i| !c.outputs.contains(i))
            .all(|i| !external[i as usize]);
        if internal_free {
            as_cell[c.first as usize] = Some(k);
        }
    }
    let dff_delay = delays.get(LibCell::Dff);
    let mut window: Vec<Option<(u32, u32)>> = vec![None; n];
    for (i, node) in net.nodes.iter().enumerate() {
        match node.op {
            Op::Input => window[i] = Some((0, 0)),
            Op::RegQ => window[i] = Some((dff_delay, dff_delay)),
            _ => {}
        }
    }
    let mut cells = Vec::new();
    let mut push = |cell: TimedCell, window: &mut Vec<Option<(u32, u32)>>| -> Result<()> {
        let w = cell.ins[..cell.fun.arity()]
            .iter()
            .filter_map(|&x| window[x as usize])
            .fold(None, |acc: Option<(u32, u32)>, (lo, hi)| {
                Some(acc.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))))
            });
        let w = match w {
            Some((lo, hi)) => {
                let hi = hi + cell.delay;
                if hi > u32::MAX / 4 {
                    return Err(Error::param(
                        "delay path",
                        hi,
                        "units: too long for the timed simulator",
                    ));
                }
                Some((lo + cell.delay, hi))
            }
            None => None,
        };
        for &o in &cell.outs[..cell.fun.outputs()] {
            window[o as usize] = w;
        }
        cells.push(cell);
        Ok(())
    };
    let mut i = 0;
    while i < n {
        if let Some(k) = as_cell[i] {
            let c = &net.cells[k];
            let lib = LibCell::for_cell(c.kind).unwrap_or(LibCell::Mux2);
            let fun = match c.kind {
                CellKind::HalfAdder => Fun::HalfAdder,
                CellKind::FullAdder => Fun::FullAdder,
                _ => Fun::Mux,
            };
            let cell = if fun == Fun::Mux {
                let node = net.nodes[i];
                TimedCell {
                    fun,
                    cell: lib,
                    ins: [node.a, node.b, node.c],
                    outs: [i as u32, 0],
                    delay: delays.get(lib),
                }
            } else {
                let pin = |p: usize| c.inputs.get(p).copied().unwrap_or(0);
                TimedCell {
                    fun,
                    cell: lib,
                    ins: [pin(0), pin(1), pin(2)],
                    outs: [c.outputs[0], c.outputs[1]],
                    delay: delays.get(lib),
                }
            };
            push(cell, &mut window)?;
            i = c.end as usize;
            continue;
        }
        let node = net.nodes[i];
        if let (Some(fun), Some(lib)) = (Fun::of_op(node.op), LibCell::for_op(node.op)) {
            push(
                TimedCell {
                    fun,
                    cell: lib,
                    ins: [node.a, node.b, node.c],
                    outs: [i as u32, 0],
                    delay: delays.get(lib),
                },
                &mut window,
            )?;
        }
        i += 1;
    }
    Ok(TimedProgram { cells, window })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gates::Builder;

    #[test]
    fn full_adder_is_one_cell_unless_its_propagate_is_read() {
        let d = TimedDelays::uniform(1, 0.01).unwrap();
        let mut b = Builder::new();
        let x = b.input("x", 3).unwrap();
        let (s, c) = b.full_adder(x[0], x[1], x[2]);
        b.output("y", &[s, c]).unwrap();
        let net = b.finish().unwrap();
        let p = compile(&net, &d).unwrap();
        assert_eq!(p.cells.len(), 1);
        assert_eq!(p.cells[0].fun, Fun::FullAdder);
        assert_eq!(p.window[s.index()], Some((1, 1)));

        let mut b = Builder::new();
        let x = b.input("x", 3).unwrap();
        let (s, c, prop) = b.full_adder_with_propagate(x[0], x[1], x[2]);
        let y = b.not(prop);
        b.output("y", &[s, c, y]).unwrap();
        let net = b.finish().unwrap();
        let p = compile(&net, &d).unwrap();
        // five gates of the adder plus the inverter; the carry is three gates deep
        assert_eq!(p.cells.len(), 6);
        assert_eq!(p.window[c.index()], Some((2, 3)));
        assert_eq!(p.window[y.index()], Some((2, 2)));
    }
}
