//! The netlist IR: wires, primitive gates, ports, recorded cells, labels and registers.
//!
//! A netlist is one flat vector of nodes in topological order. Node `i` drives wire `i`, so a
//! wire id is also the index of the node that drives it and of its words in the simulator.
//! Nodes 0 and 1 are the constants 0 and 1. Every node is 16 bytes (an opcode and three `u32`
//! operand ids); cells, labels and ports live in side tables, so the hot vector stays compact.

use crate::{Error, Result};

/// A wire of one netlist: the `u32` id of the node that drives it, plus the id of the netlist
/// (builder) it belongs to, so that a wire from another netlist is caught instead of silently
/// reading the wrong signal.
///
/// The netlist itself stores plain `u32` ids; the owner tag lives only in this handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Wire {
    pub(crate) id: u32,
    pub(crate) owner: u32,
}

impl Wire {
    /// The wire's index in its netlist (also the index of its driving node).
    #[inline]
    #[must_use]
    pub const fn index(self) -> usize {
        self.id as usize
    }

    /// The id of the netlist this wire belongs to.
    #[inline]
    #[must_use]
    pub const fn owner(self) -> u32 {
        self.owner
    }
}

/// A node's operation. Logic ops are documented by their semantics on the operands
/// `a`, `b`, `c` of [`Node`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Op {
    /// `out <- 0` (node 0).
    Const0,
    /// `out <- 1` (node 1).
    Const1,
    /// `out <- ` a primary input bit, set by the simulator.
    Input,
    /// `out <- ` the state of a D flip-flop (its `Q`); `a` is the register index.
    RegQ,
    /// `out <- !a`
    Not,
    /// `out <- a & b`
    And,
    /// `out <- a | b`
    Or,
    /// `out <- a ^ b`
    Xor,
    /// `out <- !(a & b)`
    Nand,
    /// `out <- !(a | b)`
    Nor,
    /// `out <- !(a ^ b)`
    Xnor,
    /// `out <- c ? b : a` (a two-input multiplexer, select `c`, like Liberty's `S?B:A`).
    Mux,
}

impl Op {
    /// Every logic primitive, in a fixed order (used for per-primitive counts).
    pub const PRIMITIVES: [Op; 8] = [
        Op::Not,
        Op::And,
        Op::Or,
        Op::Xor,
        Op::Nand,
        Op::Nor,
        Op::Xnor,
        Op::Mux,
    ];

    /// Number of wire operands the op reads (0 for constants, inputs and register outputs).
    #[inline]
    #[must_use]
    pub const fn arity(self) -> usize {
        match self {
            Op::Const0 | Op::Const1 | Op::Input | Op::RegQ => 0,
            Op::Not => 1,
            Op::Mux => 3,
            _ => 2,
        }
    }

    /// Whether this is a logic gate (as opposed to a constant, input or register output).
    #[inline]
    #[must_use]
    pub const fn is_gate(self) -> bool {
        self.arity() > 0
    }

    /// Two-input-gate equivalents of one instance: 1 for every one- and two-input gate and
    /// 3 for a 2:1 mux (its AND-OR form, `(a & !s) | (b & s)`, not counting the select inverter,
    /// which is shared in practice).
    #[inline]
    #[must_use]
    pub const fn two_input_equivalents(self) -> u64 {
        match self {
            Op::Mux => 3,
            op if op.is_gate() => 1,
            _ => 0,
        }
    }

    /// Position of a logic primitive in [`Op::PRIMITIVES`].
    #[inline]
    pub(crate) const fn primitive_index(self) -> Option<usize> {
        match self {
            Op::Not => Some(0),
            Op::And => Some(1),
            Op::Or => Some(2),
            Op::Xor => Some(3),
            Op::Nand => Some(4),
            Op::Nor => Some(5),
            Op::Xnor => Some(6),
            Op::Mux => Some(7),
            _ => None,
        }
    }

    /// Lower-case name ("and", "xnor", ...).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Op::Const0 => "const0",
            Op::Const1 => "const1",
            Op::Input => "input",
            Op::RegQ => "dff",
            Op::Not => "not",
            Op::And => "and",
            Op::Or => "or",
            Op::Xor => "xor",
            Op::Nand => "nand",
            Op::Nor => "nor",
            Op::Xnor => "xnor",
            Op::Mux => "mux",
        }
    }
}

/// One node of the netlist: an op and up to three operand wire ids (unused ones are 0).
/// 16 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Node {
    /// The operation.
    pub op: Op,
    /// First operand (for [`Op::Mux`]: the input chosen when the select is 0).
    pub a: u32,
    /// Second operand (for [`Op::Mux`]: the input chosen when the select is 1).
    pub b: u32,
    /// Third operand (for [`Op::Mux`]: the select).
    pub c: u32,
}

/// Kinds of composite cells the builder records. Their gates are ordinary nodes (the simulator
/// evaluates primitives); the record says which node range forms one cell, for counting,
/// per-kind activity and mapping to a library cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CellKind {
    /// Half adder: `s = a ^ b`, `co = a & b` (2 gates).
    HalfAdder,
    /// Full adder: `s = a ^ b ^ ci`, `co = (a & b) | ((a ^ b) & ci)` (2 XOR + 2 AND + 1 OR).
    FullAdder,
    /// 2:1 multiplexer (one [`Op::Mux`] node).
    Mux2,
    /// Parallel-prefix "black" cell: `G = gh | (ph & gl)`, `P = ph & pl` (3 gates).
    PrefixBlack,
    /// Parallel-prefix "gray" cell: `G = gh | (ph & gl)` only (2 gates).
    PrefixGray,
}

impl CellKind {
    /// Every cell kind, in a fixed order (used for per-kind counts).
    pub const ALL: [CellKind; 5] = [
        CellKind::HalfAdder,
        CellKind::FullAdder,
        CellKind::Mux2,
        CellKind::PrefixBlack,
        CellKind::PrefixGray,
    ];

    /// Position in [`CellKind::ALL`].
    #[inline]
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Lower-case name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            CellKind::HalfAdder => "half adder",
            CellKind::FullAdder => "full adder",
            CellKind::Mux2 => "mux2",
            CellKind::PrefixBlack => "prefix black",
            CellKind::PrefixGray => "prefix gray",
        }
    }
}

/// One recorded cell: its kind, the contiguous node range holding its gates, and its pins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellRecord {
    /// The kind.
    pub kind: CellKind,
    /// First node of the cell.
    pub first: u32,
    /// One past the last node of the cell.
    pub end: u32,
    /// Input wire ids, in pin order (HA: a, b; FA: a, b, ci; mux: a, b, s; prefix: gh, ph, gl, pl).
    pub inputs: Vec<u32>,
    /// Output wire ids (HA/FA: s, co; mux: z; black: G, P; gray: G).
    pub outputs: Vec<u32>,
}

/// A named port: a bus of wires, least significant bit first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Port {
    pub(crate) name: String,
    pub(crate) wires: Vec<Wire>,
}

impl Port {
    /// The port's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its wires, least significant bit first.
    #[must_use]
    pub fn wires(&self) -> &[Wire] {
        &self.wires
    }

    /// Its width in bits.
    #[must_use]
    pub fn width(&self) -> usize {
        self.wires.len()
    }
}

/// A D flip-flop: its output node `q` (an [`Op::RegQ`] node), its data input `d` and its
/// reset value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Register {
    /// The `Q` wire.
    pub q: Wire,
    /// The `D` wire (sampled at each clocked step).
    pub d: Wire,
    /// The value after reset.
    pub init: bool,
}

/// A finished, immutable netlist. Build one with [`Builder`](super::Builder).
#[derive(Clone, Debug)]
pub struct Netlist {
    pub(crate) owner: u32,
    pub(crate) nodes: Vec<Node>,
    pub(crate) inputs: Vec<Port>,
    pub(crate) outputs: Vec<Port>,
    pub(crate) cells: Vec<CellRecord>,
    /// Label paths ("adder/carry tree"); index 0 is the empty root label.
    pub(crate) labels: Vec<String>,
    /// Runs of nodes with the same label: (first node, label index), sorted by node.
    pub(crate) label_runs: Vec<(u32, u32)>,
    pub(crate) registers: Vec<Register>,
}

impl Netlist {
    /// The id that this netlist's wires carry.
    #[must_use]
    pub fn id(&self) -> u32 {
        self.owner
    }

    /// All nodes in topological order (node `i` drives wire `i`).
    #[must_use]
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Number of wires (= nodes, including the two constants and the inputs).
    #[must_use]
    pub fn wire_count(&self) -> usize {
        self.nodes.len()
    }

    /// Number of logic gates (primitives), including those inside recorded cells.
    #[must_use]
    pub fn gate_count(&self) -> usize {
        self.nodes.iter().filter(|n| n.op.is_gate()).count()
    }

    /// The input ports, in the order they were declared.
    #[must_use]
    pub fn inputs(&self) -> &[Port] {
        &self.inputs
    }

    /// The output ports, in the order they were declared.
    #[must_use]
    pub fn outputs(&self) -> &[Port] {
        &self.outputs
    }

    /// The recorded cells, in node order.
    #[must_use]
    pub fn cells(&self) -> &[CellRecord] {
        &self.cells
    }

    /// The registers.
    #[must_use]
    pub fn registers(&self) -> &[Register] {
        &self.registers
    }

    /// The wire handle for index `i`.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] if `i` is not a wire of this netlist.
    pub fn wire(&self, i: usize) -> Result<Wire> {
        if i < self.nodes.len() {
            Ok(Wire {
                id: i as u32,
                owner: self.owner,
            })
        } else {
            Err(Error::OutOfRange {
                value: i.to_string(),
                min: "0".into(),
                max: (self.nodes.len() - 1).to_string(),
                what: "wire index".into(),
            })
        }
    }

    /// The input port called `name`.
    ///
    /// # Errors
    /// [`Error::UnknownPort`] if there is none.
    pub fn input(&self, name: &str) -> Result<&Port> {
        self.input_index(name).map(|i| &self.inputs[i])
    }

    /// The output port called `name`.
    ///
    /// # Errors
    /// [`Error::UnknownPort`] if there is none.
    pub fn output(&self, name: &str) -> Result<&Port> {
        self.output_index(name).map(|i| &self.outputs[i])
    }

    pub(crate) fn input_index(&self, name: &str) -> Result<usize> {
        self.inputs
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| Error::UnknownPort { name: name.into() })
    }

    pub(crate) fn output_index(&self, name: &str) -> Result<usize> {
        self.outputs
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| Error::UnknownPort { name: name.into() })
    }

    /// Checks that `w` belongs to this netlist.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the wire and both netlist ids.
    pub fn check_wire(&self, w: Wire) -> Result<Wire> {
        if w.owner == self.owner && (w.id as usize) < self.nodes.len() {
            Ok(w)
        } else {
            Err(foreign_wire(w, self.owner))
        }
    }

    /// All label paths; index 0 is the root (unlabelled) path "".
    #[must_use]
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The label index of every node (one entry per node).
    #[must_use]
    pub fn node_labels(&self) -> Vec<u32> {
        let mut out = vec![0u32; self.nodes.len()];
        for (k, &(start, label)) in self.label_runs.iter().enumerate() {
            let end = self
                .label_runs
                .get(k + 1)
                .map_or(self.nodes.len(), |r| r.0 as usize);
            out[start as usize..end].fill(label);
        }
        out
    }

    /// For each wire, the number of gate operand slots and register `D` pins that read it.
    #[must_use]
    pub fn fanout_counts(&self) -> Vec<u32> {
        let mut f = vec![0u32; self.nodes.len()];
        for n in &self.nodes {
            for &x in n.inputs().iter() {
                f[x as usize] += 1;
            }
        }
        for r in &self.registers {
            f[r.d.id as usize] += 1;
        }
        f
    }

    /// For each wire, the gates (node ids) that read it, deduplicated per reader.
    #[must_use]
    pub fn fanout_lists(&self) -> Vec<Vec<u32>> {
        let mut f: Vec<Vec<u32>> = vec![Vec::new(); self.nodes.len()];
        for (i, n) in self.nodes.iter().enumerate() {
            let ins = n.inputs();
            for (k, &x) in ins.iter().enumerate() {
                if !ins[..k].contains(&x) {
                    f[x as usize].push(i as u32);
                }
            }
        }
        f
    }
}

impl Node {
    /// The operand ids this node reads, `arity` of them, as a small array slice.
    #[inline]
    #[must_use]
    pub fn inputs(&self) -> Operands {
        Operands {
            ids: [self.a, self.b, self.c],
            len: self.op.arity() as u8,
        }
    }
}

/// The operand ids of one node (at most three), returned by value.
#[derive(Clone, Copy, Debug)]
pub struct Operands {
    ids: [u32; 3],
    len: u8,
}

impl std::ops::Deref for Operands {
    type Target = [u32];
    fn deref(&self) -> &[u32] {
        &self.ids[..self.len as usize]
    }
}

pub(crate) fn foreign_wire(w: Wire, owner: u32) -> Error {
    Error::param(
        "wire",
        format!("{} of netlist {}", w.id, w.owner),
        format!("it does not belong to netlist {owner}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_is_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Node>(), 16);
    }
}
