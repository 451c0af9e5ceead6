//! [`Builder`]: adds gates in topological order, folds constants, records cells and labels.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};

use super::netlist::{CellKind, CellRecord, Netlist, Node, Op, Port, Register, Wire, foreign_wire};
use crate::{Error, Result};

/// Widest port the simulator's integer API supports.
pub const MAX_PORT_WIDTH: u32 = crate::limits::PORT_MAX_WIDTH;

static NEXT_OWNER: AtomicU32 = AtomicU32::new(1);

/// A fresh netlist id (for builders and for netlists derived from others).
pub(super) fn next_owner() -> u32 {
    NEXT_OWNER.fetch_add(1, Ordering::Relaxed)
}

/// Builds a [`Netlist`] gate by gate.
///
/// A gate can only read wires that already exist, so the node list is topologically ordered
/// and combinational loops cannot be built; registers ([`Builder::register`]) are the one way
/// to feed a value back. Gates with a constant input are simplified away as they are added
/// (`a & 0 = 0`, `a ^ 1 = !a`, `s ? x : x = x`, ...), as a synthesis tool would.
///
/// A wire from another builder is an error; so that gate methods can return plain [`Wire`]s,
/// the first such error is kept and returned by [`Builder::finish`].
///
/// # Examples
///
/// ```
/// use arithsim::gates::Builder;
///
/// let mut b = Builder::new();
/// let x = b.input("x", 2)?;
/// let (s, c) = b.half_adder(x[0], x[1]);
/// b.output("s", &[s])?;
/// b.output("c", &[c])?;
/// let net = b.finish()?;
/// assert_eq!(net.gate_count(), 2);
/// let out = net.eval_u64(&[("x", &[0b11])])?;
/// assert_eq!((out.get("s")?[0], out.get("c")?[0]), (0, 1));
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Debug)]
pub struct Builder {
    owner: u32,
    pub(super) nodes: Vec<Node>,
    inputs: Vec<Port>,
    outputs: Vec<Port>,
    cells: Vec<CellRecord>,
    labels: Vec<String>,
    label_ids: HashMap<String, u32>,
    label_runs: Vec<(u32, u32)>,
    label_stack: Vec<u32>,
    registers: Vec<(u32, Option<u32>, bool)>,
    error: Option<Error>,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    /// An empty builder holding only the two constant wires.
    #[must_use]
    pub fn new() -> Self {
        let owner = next_owner();
        let c = |op| Node {
            op,
            a: 0,
            b: 0,
            c: 0,
        };
        Builder {
            owner,
            nodes: vec![c(Op::Const0), c(Op::Const1)],
            inputs: Vec::new(),
            outputs: Vec::new(),
            cells: Vec::new(),
            labels: vec![String::new()],
            label_ids: HashMap::from([(String::new(), 0)]),
            label_runs: vec![(0, 0)],
            label_stack: vec![0],
            registers: Vec::new(),
            error: None,
        }
    }

    /// The id carried by this builder's wires (and by the finished netlist).
    #[must_use]
    pub fn id(&self) -> u32 {
        self.owner
    }

    /// Number of nodes so far (constants, inputs, gates, register outputs).
    #[must_use]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether only the two constants exist so far.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nodes.len() == 2
    }

    fn wire(&self, id: u32) -> Wire {
        Wire {
            id,
            owner: self.owner,
        }
    }

    /// The constant-0 wire.
    #[must_use]
    pub fn zero(&self) -> Wire {
        self.wire(0)
    }

    /// The constant-1 wire.
    #[must_use]
    pub fn one(&self) -> Wire {
        self.wire(1)
    }

    /// The constant wire for `v`.
    #[must_use]
    pub fn constant(&self, v: bool) -> Wire {
        self.wire(u32::from(v))
    }

    /// `Some(v)` if `w` is a constant wire.
    #[must_use]
    pub fn const_value(&self, w: Wire) -> Option<bool> {
        match w.id {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    /// Checks `w` belongs here; on failure keeps the first error and returns the 0 wire.
    pub(super) fn chk(&mut self, w: Wire) -> u32 {
        if w.owner == self.owner && (w.id as usize) < self.nodes.len() {
            w.id
        } else {
            if self.error.is_none() {
                self.error = Some(foreign_wire(w, self.owner));
            }
            0
        }
    }

    /// Checks a whole bus immediately.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if a wire belongs to another netlist.
    pub fn check_wires(&self, ws: &[Wire]) -> Result<()> {
        for &w in ws {
            if w.owner != self.owner || (w.id as usize) >= self.nodes.len() {
                return Err(foreign_wire(w, self.owner));
            }
        }
        Ok(())
    }

    fn push(&mut self, op: Op, a: u32, b: u32, c: u32) -> Wire {
        let id = self.nodes.len() as u32;
        let label = *self.label_stack.last().unwrap_or(&0);
        if self.label_runs.last().map(|r| r.1) != Some(label) {
            self.label_runs.push((id, label));
        }
        self.nodes.push(Node { op, a, b, c });
        self.wire(id)
    }

    fn check_name(&self, name: &str) -> Result<()> {
        if name.is_empty() {
            return Err(Error::param(
                "port name",
                "\"\"",
                "port names must not be empty",
            ));
        }
        if self
            .inputs
            .iter()
            .chain(&self.outputs)
            .any(|p| p.name == name)
        {
            return Err(Error::param(
                "port name",
                format!("{name:?}"),
                "a port with this name already exists",
            ));
        }
        Ok(())
    }

    /// Declares an input port of `width` bits; returns its wires, least significant first.
    ///
    /// # Errors
    /// [`Error::InvalidWidth`] unless `1 <= width <= 128`; [`Error::InvalidParameter`] for an
    /// empty or duplicate name.
    pub fn input(&mut self, name: &str, width: u32) -> Result<Vec<Wire>> {
        Error::check_width("port", width, 1, MAX_PORT_WIDTH)?;
        self.check_name(name)?;
        let wires: Vec<Wire> = (0..width).map(|_| self.push(Op::Input, 0, 0, 0)).collect();
        self.inputs.push(Port {
            name: name.into(),
            wires: wires.clone(),
        });
        Ok(wires)
    }

    /// Declares a one-bit input port.
    ///
    /// # Errors
    /// As [`Builder::input`].
    pub fn input_bit(&mut self, name: &str) -> Result<Wire> {
        Ok(self.input(name, 1)?[0])
    }

    /// Declares an output port driven by `wires` (least significant first). A wire may drive
    /// several outputs, and constants are allowed.
    ///
    /// # Errors
    /// [`Error::InvalidWidth`] unless `1 <= wires.len() <= 128`; [`Error::InvalidParameter`]
    /// for an empty or duplicate name or a wire of another netlist.
    pub fn output(&mut self, name: &str, wires: &[Wire]) -> Result<()> {
        let width = u32::try_from(wires.len()).unwrap_or(u32::MAX);
        Error::check_width("port", width, 1, MAX_PORT_WIDTH)?;
        self.check_name(name)?;
        self.check_wires(wires)?;
        self.outputs.push(Port {
            name: name.into(),
            wires: wires.to_vec(),
        });
        Ok(())
    }

    // --- primitives, with constant folding ------------------------------------------------

    /// `!a`.
    pub fn not(&mut self, a: Wire) -> Wire {
        let a = self.chk(a);
        match a {
            0 => self.one(),
            1 => self.zero(),
            _ if self.nodes[a as usize].op == Op::Not => self.wire(self.nodes[a as usize].a),
            _ => self.push(Op::Not, a, 0, 0),
        }
    }

    /// `a & b`.
    pub fn and(&mut self, a: Wire, b: Wire) -> Wire {
        let (a, b) = (self.chk(a), self.chk(b));
        match (a, b) {
            (0, _) | (_, 0) => self.zero(),
            (1, x) | (x, 1) => self.wire(x),
            _ if a == b => self.wire(a),
            _ => self.push(Op::And, a, b, 0),
        }
    }

    /// `a | b`.
    pub fn or(&mut self, a: Wire, b: Wire) -> Wire {
        let (a, b) = (self.chk(a), self.chk(b));
        match (a, b) {
            (1, _) | (_, 1) => self.one(),
            (0, x) | (x, 0) => self.wire(x),
            _ if a == b => self.wire(a),
            _ => self.push(Op::Or, a, b, 0),
        }
    }

    /// `a ^ b`.
    pub fn xor(&mut self, a: Wire, b: Wire) -> Wire {
        let (a, b) = (self.chk(a), self.chk(b));
        match (a, b) {
            (0, x) | (x, 0) => self.wire(x),
            (1, x) | (x, 1) => {
                let x = self.wire(x);
                self.not(x)
            }
            _ if a == b => self.zero(),
            _ => self.push(Op::Xor, a, b, 0),
        }
    }

    /// `!(a & b)`.
    pub fn nand(&mut self, a: Wire, b: Wire) -> Wire {
        let (ia, ib) = (self.chk(a), self.chk(b));
        if ia <= 1 || ib <= 1 || ia == ib {
            let x = self.and(a, b);
            return self.not(x);
        }
        self.push(Op::Nand, ia, ib, 0)
    }

    /// `!(a | b)`.
    pub fn nor(&mut self, a: Wire, b: Wire) -> Wire {
        let (ia, ib) = (self.chk(a), self.chk(b));
        if ia <= 1 || ib <= 1 || ia == ib {
            let x = self.or(a, b);
            return self.not(x);
        }
        self.push(Op::Nor, ia, ib, 0)
    }

    /// `!(a ^ b)`.
    pub fn xnor(&mut self, a: Wire, b: Wire) -> Wire {
        let (ia, ib) = (self.chk(a), self.chk(b));
        if ia <= 1 || ib <= 1 || ia == ib {
            let x = self.xor(a, b);
            return self.not(x);
        }
        self.push(Op::Xnor, ia, ib, 0)
    }

    /// `sel ? if1 : if0`, recorded as a [`CellKind::Mux2`] cell when a mux gate is emitted.
    pub fn mux(&mut self, sel: Wire, if0: Wire, if1: Wire) -> Wire {
        let (s, a, b) = (self.chk(sel), self.chk(if0), self.chk(if1));
        match (s, a, b) {
            (0, _, _) => self.wire(a),
            (1, _, _) => self.wire(b),
            _ if a == b => self.wire(a),
            (_, 0, 1) => self.wire(s),
            (_, 1, 0) => self.not(sel),
            (_, 0, _) => self.and(sel, if1),
            (_, _, 1) => self.or(sel, if0),
            (_, _, 0) => {
                let ns = self.not(sel);
                self.and(ns, if0)
            }
            (_, 1, _) => {
                let ns = self.not(sel);
                self.or(ns, if1)
            }
            _ => {
                let first = self.nodes.len() as u32;
                let z = self.push(Op::Mux, a, b, s);
                self.record(CellKind::Mux2, first, vec![a, b, s], vec![z.id]);
                z
            }
        }
    }

    /// AND of all `ws` as a balanced tree (1 for an empty list).
    pub fn and_all(&mut self, ws: &[Wire]) -> Wire {
        self.tree(ws, true, Self::and)
    }

    /// OR of all `ws` as a balanced tree (0 for an empty list).
    pub fn or_all(&mut self, ws: &[Wire]) -> Wire {
        self.tree(ws, false, Self::or)
    }

    /// XOR of all `ws` as a balanced tree (0 for an empty list).
    pub fn xor_all(&mut self, ws: &[Wire]) -> Wire {
        self.tree(ws, false, Self::xor)
    }

    fn tree(&mut self, ws: &[Wire], empty: bool, f: fn(&mut Self, Wire, Wire) -> Wire) -> Wire {
        match ws.len() {
            0 => self.constant(empty),
            1 => {
                let id = self.chk(ws[0]);
                self.wire(id)
            }
            n => {
                let (lo, hi) = ws.split_at(n / 2);
                let l = self.tree(lo, empty, f);
                let h = self.tree(hi, empty, f);
                f(self, l, h)
            }
        }
    }

    pub(super) fn record(
        &mut self,
        kind: CellKind,
        first: u32,
        inputs: Vec<u32>,
        outputs: Vec<u32>,
    ) {
        let end = self.nodes.len() as u32;
        self.cells.push(CellRecord {
            kind,
            first,
            end,
            inputs,
            outputs,
        });
    }

    // --- labels ----------------------------------------------------------------------------

    /// Enters label `name` (nested under the current one, joined with `/`): gates added until
    /// the matching [`Builder::pop_label`] are counted under it in the stats.
    pub fn push_label(&mut self, name: &str) {
        let parent = *self.label_stack.last().unwrap_or(&0) as usize;
        let path = if parent == 0 {
            name.to_string()
        } else {
            format!("{}/{}", self.labels[parent], name)
        };
        let next = self.labels.len() as u32;
        let id = *self.label_ids.entry(path.clone()).or_insert(next);
        if id == next {
            self.labels.push(path);
        }
        self.label_stack.push(id);
    }

    /// Leaves the innermost label (no effect at the root).
    pub fn pop_label(&mut self) {
        if self.label_stack.len() > 1 {
            self.label_stack.pop();
        }
    }

    /// Runs `f` with label `name` pushed.
    pub fn with_label<R>(&mut self, name: &str, f: impl FnOnce(&mut Self) -> R) -> R {
        self.push_label(name);
        let r = f(self);
        self.pop_label();
        r
    }

    // --- registers -------------------------------------------------------------------------

    /// Adds a D flip-flop with reset value `init` and returns its `Q` wire. Its `D` input is
    /// connected later with [`Builder::connect_register`], so `D` may depend on `Q`.
    pub fn register(&mut self, init: bool) -> Wire {
        let index = self.registers.len() as u32;
        let q = self.push(Op::RegQ, index, 0, 0);
        self.registers.push((q.id, None, init));
        q
    }

    /// Connects the `D` input of the register whose output is `q`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if `q` is not a register output of this builder, is already
    /// connected, or `d` belongs to another netlist.
    pub fn connect_register(&mut self, q: Wire, d: Wire) -> Result<()> {
        self.check_wires(&[q, d])?;
        let node = self.nodes[q.id as usize];
        if node.op != Op::RegQ {
            return Err(Error::param(
                "register",
                q.id,
                "wire is not a register output",
            ));
        }
        let r = &mut self.registers[node.a as usize];
        if r.1.is_some() {
            return Err(Error::param(
                "register",
                q.id,
                "register is already connected",
            ));
        }
        r.1 = Some(d.id);
        Ok(())
    }

    /// Finishes the netlist.
    ///
    /// # Errors
    /// The first wire-from-another-netlist error seen by a gate method, or
    /// [`Error::InvalidParameter`] for a register whose `D` was never connected.
    pub fn finish(self) -> Result<Netlist> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let mut registers = Vec::with_capacity(self.registers.len());
        for &(q, d, init) in &self.registers {
            let d =
                d.ok_or_else(|| Error::param("register", q, "its d input was never connected"))?;
            registers.push(Register {
                q: Wire {
                    id: q,
                    owner: self.owner,
                },
                d: Wire {
                    id: d,
                    owner: self.owner,
                },
                init,
            });
        }
        Ok(Netlist {
            owner: self.owner,
            nodes: self.nodes,
            inputs: self.inputs,
            outputs: self.outputs,
            cells: self.cells,
            labels: self.labels,
            label_runs: self.label_runs,
            registers,
        })
    }
}
