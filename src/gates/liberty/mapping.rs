//! Mapping the crate's cell kinds onto a Liberty library's cells by boolean function.

use super::func::Func;
use super::model::{Liberty, LibertyCell};
use crate::gates::LibCell;

/// Where a [`LibCell`] kind lands in a Liberty library.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellMap {
    /// Index of the chosen cell in [`Liberty::cells`].
    pub cell: usize,
    /// For each logical input pin of the kind (see [`logical_pins`]), the library pin index.
    pub inputs: Vec<usize>,
    /// For each logical output, the library pin index.
    pub outputs: Vec<usize>,
    /// A flip-flop's clock pin.
    pub clock: Option<usize>,
}

/// The logical pin names of a kind, inputs then outputs, in the order the crate's netlists
/// connect them ([`crate::gates::Instance`] inputs; a mux is `a, b, s` with `z = s ? b : a`).
#[must_use]
pub fn logical_pins(kind: LibCell) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        LibCell::Inv | LibCell::Buf => (&["a"], &["y"]),
        LibCell::Nand2
        | LibCell::Nor2
        | LibCell::And2
        | LibCell::Or2
        | LibCell::Xor2
        | LibCell::Xnor2 => (&["a", "b"], &["y"]),
        LibCell::Aoi21 | LibCell::Oai21 => (&["a", "b1", "b2"], &["y"]),
        LibCell::Mux2 => (&["a", "b", "s"], &["z"]),
        LibCell::HalfAdder => (&["a", "b"], &["s", "co"]),
        LibCell::FullAdder => (&["a", "b", "ci"], &["s", "co"]),
        LibCell::Dff => (&["d"], &["q"]),
    }
}

/// The kind's outputs for logical inputs `x` (bit `i` = input `i`).
fn function(kind: LibCell, x: u64) -> Vec<bool> {
    let b = |i: u32| (x >> i) & 1 == 1;
    match kind {
        LibCell::Inv => vec![!b(0)],
        LibCell::Buf | LibCell::Dff => vec![b(0)],
        LibCell::Nand2 => vec![!(b(0) & b(1))],
        LibCell::Nor2 => vec![!(b(0) | b(1))],
        LibCell::And2 => vec![b(0) & b(1)],
        LibCell::Or2 => vec![b(0) | b(1)],
        LibCell::Xor2 => vec![b(0) ^ b(1)],
        LibCell::Xnor2 => vec![!(b(0) ^ b(1))],
        LibCell::Aoi21 => vec![!(b(0) | (b(1) & b(2)))],
        LibCell::Oai21 => vec![!(b(0) & (b(1) | b(2)))],
        LibCell::Mux2 => vec![if b(2) { b(1) } else { b(0) }],
        LibCell::HalfAdder => vec![b(0) ^ b(1), b(0) & b(1)],
        LibCell::FullAdder => vec![b(0) ^ b(1) ^ b(2), (b(0) & b(1)) | ((b(0) ^ b(1)) & b(2))],
    }
}

/// A short description of a kind's function, for error messages.
#[must_use]
pub fn describe(kind: LibCell) -> &'static str {
    match kind {
        LibCell::Inv => "an inverter (!A)",
        LibCell::Buf => "a buffer (A)",
        LibCell::Nand2 => "a 2-input NAND",
        LibCell::Nor2 => "a 2-input NOR",
        LibCell::And2 => "a 2-input AND",
        LibCell::Or2 => "a 2-input OR",
        LibCell::Xor2 => "a 2-input XOR",
        LibCell::Xnor2 => "a 2-input XNOR",
        LibCell::Aoi21 => "an AOI21 (!(A | B1 & B2))",
        LibCell::Oai21 => "an OAI21 (!(A & (B1 | B2)))",
        LibCell::Mux2 => "a 2:1 mux (S ? B : A)",
        LibCell::HalfAdder => "a half adder (S = A ^ B, CO = A & B)",
        LibCell::FullAdder => "a full adder (S = A ^ B ^ CI, CO = majority)",
        LibCell::Dff => "a rising-edge D flip-flop (Q = IQ, next_state D)",
    }
}

fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for p in permutations(n - 1) {
        for k in 0..n {
            let mut q = p.clone();
            q.insert(k, n - 1);
            out.push(q);
        }
    }
    out.sort(); // identity first: pins in the library's order where the function allows
    out
}

/// How `cell` implements `kind`, if it does.
fn matches(kind: LibCell, cell: &LibertyCell) -> Option<CellMap> {
    if cell.unusable {
        return None;
    }
    let ins = cell.inputs();
    let outs = cell.outputs();
    let (lin, lout) = logical_pins(kind);
    if kind == LibCell::Dff {
        let ff = cell.ff.as_ref()?;
        let (Func::Pin(d), Func::Pin(ck)) = (&ff.next_state, &ff.clocked_on) else {
            return None;
        };
        if ins.len() != 2 || !ins.contains(d) || !ins.contains(ck) || d == ck {
            return None;
        }
        let q = outs
            .iter()
            .copied()
            .find(|&o| cell.pins[o].function == Some(Func::Pin(cell.pins.len())))?;
        return Some(CellMap {
            cell: 0,
            inputs: vec![*d],
            outputs: vec![q],
            clock: Some(*ck),
        });
    }
    if cell.ff.is_some() || ins.len() != lin.len() || outs.len() != lout.len() {
        return None;
    }
    let funcs: Vec<&Func> = outs
        .iter()
        .map(|&o| cell.pins[o].function.as_ref())
        .collect::<Option<_>>()?;
    let n = lin.len();
    for perm in permutations(n) {
        // logical input i is library input ins[perm[i]]
        for operm in permutations(lout.len()) {
            let ok = (0..1u64 << n).all(|x| {
                let mut lib_x = 0u64;
                for (i, &p) in perm.iter().enumerate() {
                    if (x >> i) & 1 == 1 {
                        lib_x |= 1 << ins[p];
                    }
                }
                function(kind, x)
                    .iter()
                    .enumerate()
                    .all(|(j, &v)| funcs[operm[j]].eval(lib_x) == v)
            });
            if ok {
                return Some(CellMap {
                    cell: 0,
                    inputs: perm.iter().map(|&p| ins[p]).collect(),
                    outputs: operm.iter().map(|&o| outs[o]).collect(),
                    clock: None,
                });
            }
        }
    }
    None
}

/// For every [`LibCell`] kind (indexed by [`LibCell::index`]), the smallest-area usable cell
/// of `lib` computing its function (first in file order among equals), or `None`.
#[must_use]
pub fn map_library(lib: &Liberty) -> Vec<Option<CellMap>> {
    LibCell::ALL
        .iter()
        .map(|&kind| {
            let mut best: Option<CellMap> = None;
            for (k, c) in lib.cells.iter().enumerate() {
                if let Some(mut m) = matches(kind, c) {
                    m.cell = k;
                    let better = best
                        .as_ref()
                        .is_none_or(|b| c.area_um2 < lib.cells[b.cell].area_um2);
                    if better {
                        best = Some(m);
                    }
                }
            }
            best
        })
        .collect()
}
