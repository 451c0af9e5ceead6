//! Structural Verilog export: one module, one `assign` per gate, registers in one
//! `always @(posedge clk)` block, recorded cells optionally as instances of cell modules.

use std::fmt::Write as _;

use super::names::{InternalNames, input_bits, verilog_identifier};
use crate::gates::{CellKind, CellRecord, Netlist, Op};
use crate::{Error, Result};

/// How [`Netlist::to_verilog`] writes a netlist.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::adders::ripple_carry_adder;
/// use arithsim::gates::hdl::VerilogOptions;
///
/// let net = ripple_carry_adder(4)?;
/// let flat = net.to_verilog(&VerilogOptions::new("rca4"))?;
/// assert!(flat.contains("module rca4 (input [3:0] a, input [3:0] b, input cin, output [3:0] sum, output cout);"));
/// let cells = net.to_verilog(&VerilogOptions::new("rca4").with_cell_modules(true))?;
/// assert!(cells.contains("arithsim_fa u"));
/// assert!(cells.contains("module arithsim_fa (input a, input b, input ci, output s, output co);"));
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerilogOptions {
    module: String,
    cell_modules: bool,
}

impl VerilogOptions {
    /// Writes module `module` with every gate as an `assign`.
    #[must_use]
    pub fn new(module: &str) -> Self {
        VerilogOptions {
            module: module.to_string(),
            cell_modules: false,
        }
    }

    /// With `on`, every recorded half adder, full adder, 2:1 mux and prefix cell becomes an
    /// instance of a cell module (`arithsim_ha`, `arithsim_fa`, `arithsim_mux2`,
    /// `arithsim_prefix_black`, `arithsim_prefix_gray`), whose behavioural definitions follow
    /// the top module. A cell whose internal wire is read outside it (a carry-skip adder
    /// reuses a full adder's propagate) stays as gates.
    #[must_use]
    pub fn with_cell_modules(mut self, on: bool) -> Self {
        self.cell_modules = on;
        self
    }

    /// The module name.
    #[must_use]
    pub fn module(&self) -> &str {
        &self.module
    }
}

/// The cell module for a recorded cell kind: name, input pins, output pins, body assigns.
pub(crate) fn cell_module(
    kind: CellKind,
) -> (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
) {
    match kind {
        CellKind::HalfAdder => (
            "arithsim_ha",
            &["a", "b"],
            &["s", "co"],
            &["s = a ^ b", "co = a & b"],
        ),
        CellKind::FullAdder => (
            "arithsim_fa",
            &["a", "b", "ci"],
            &["s", "co"],
            &["s = a ^ b ^ ci", "co = (a & b) | ((a ^ b) & ci)"],
        ),
        CellKind::Mux2 => (
            "arithsim_mux2",
            &["a", "b", "s"],
            &["z"],
            &["z = s ? b : a"],
        ),
        CellKind::PrefixBlack => (
            "arithsim_prefix_black",
            &["gh", "ph", "gl", "pl"],
            &["g", "p"],
            &["g = gh | (ph & gl)", "p = ph & pl"],
        ),
        CellKind::PrefixGray => (
            "arithsim_prefix_gray",
            &["gh", "ph", "gl"],
            &["g"],
            &["g = gh | (ph & gl)"],
        ),
    }
}

/// The cells to write as instances: those none of whose internal wires is read outside.
fn instance_cells(net: &Netlist) -> Vec<bool> {
    let cells = net.cells();
    let mut cell_of = vec![u32::MAX; net.wire_count()];
    for (k, c) in cells.iter().enumerate() {
        cell_of[c.first as usize..c.end as usize].fill(k as u32);
    }
    let mut ok = vec![true; cells.len()];
    let mut read = |x: u32, reader: u32| {
        let k = cell_of[x as usize];
        if k != u32::MAX && k != reader && !cells[k as usize].outputs.contains(&x) {
            ok[k as usize] = false;
        }
    };
    for (i, n) in net.nodes().iter().enumerate() {
        for &x in n.inputs().iter() {
            read(x, cell_of[i]);
        }
    }
    for w in net.outputs().iter().flat_map(|p| p.wires()) {
        read(w.id, u32::MAX);
    }
    for r in net.registers() {
        read(r.d.id, u32::MAX);
    }
    ok
}

struct Namer {
    names: InternalNames,
    inputs: Vec<Option<(usize, usize)>>,
    ports: Vec<(String, usize)>,
}

impl Namer {
    fn wire(&self, id: u32) -> String {
        match id {
            0 => "1'b0".into(),
            1 => "1'b1".into(),
            _ => match self.inputs[id as usize] {
                Some((p, i)) => bit(&self.ports[p].0, self.ports[p].1, i),
                None => format!("{}{id}", self.names.prefix),
            },
        }
    }
}

/// `name[i]`, or `name` for a one-bit port.
fn bit(name: &str, width: usize, i: usize) -> String {
    if width == 1 {
        name.to_string()
    } else {
        format!("{name}[{i}]")
    }
}

fn range(width: usize) -> String {
    if width == 1 {
        String::new()
    } else {
        format!("[{}:0] ", width - 1)
    }
}

impl Netlist {
    /// The netlist as structural Verilog: one module whose ports are the netlist's ports
    /// (`input [7:0] a`, least significant bit 0), one `assign` per gate on wires named
    /// `n<wire index>`, registers as `reg` with their reset value as initializer and one
    /// `always @(posedge clk)` block (the `clk` input is added only when there are
    /// registers), labels as `// label:` comments. The same netlist always gives the same
    /// text.
    ///
    /// Gates are written so that Yosys reads each as its own cell: `~x` (`$not`), `x & y`
    /// (`$and`), `x | y` (`$or`), `x ^ y` (`$xor`), `x ~^ y` (`$xnor`), `~(x & y)` and
    /// `~(x | y)` for NAND and NOR (an `$and` or `$or` and a `$not`), `s ? b : a` (`$mux`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a module name that is not a plain Verilog identifier,
    /// a port name that cannot be written (whitespace), or a module name that is also a
    /// cell module's name.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::gates::Builder;
    /// use arithsim::gates::hdl::VerilogOptions;
    ///
    /// let mut b = Builder::new();
    /// let x = b.input("x", 2)?;
    /// let y = b.nand(x[0], x[1]);
    /// b.output("y", &[y])?;
    /// let v = b.finish()?.to_verilog(&VerilogOptions::new("top"))?;
    /// assert!(v.contains("assign n4 = ~(x[0] & x[1]);"));
    /// assert!(v.contains("assign y = n4;"));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn to_verilog(&self, options: &VerilogOptions) -> Result<String> {
        let module = &options.module;
        if !super::names::is_plain_identifier(module) {
            return Err(Error::param(
                "module name",
                format!("{module:?}"),
                "must be a plain Verilog identifier (letters, digits, _ and $, not a keyword)",
            ));
        }
        if CellKind::ALL.iter().any(|&k| cell_module(k).0 == module) {
            return Err(Error::param(
                "module name",
                module,
                "is the name of a cell module the export may emit",
            ));
        }
        let names = InternalNames::new(self);
        let mut ports = Vec::new();
        for p in self.inputs().iter().chain(self.outputs()) {
            ports.push((verilog_identifier("port name", p.name())?, p.width()));
        }
        let namer = Namer {
            names,
            inputs: input_bits(self),
            ports,
        };
        let n_in = self.inputs().len();
        let mut out = String::new();
        let stats = self.stats();
        let _ = writeln!(
            out,
            "// {module}: structural Verilog written by arithsim ({} gates, {} recorded cells, {} registers).",
            stats.gates,
            stats.total_cells(),
            stats.registers
        );
        // Header.
        let mut decl: Vec<String> = Vec::new();
        for (k, (name, w)) in namer.ports.iter().enumerate() {
            let dir = if k < n_in { "input" } else { "output" };
            decl.push(format!("{dir} {}{name}", range(*w)));
        }
        if !self.registers().is_empty() {
            decl.push(format!("input {}", namer.names.clock));
        }
        let _ = writeln!(out, "module {module} ({});", decl.join(", "));

        let as_instance = if options.cell_modules {
            instance_cells(self)
        } else {
            vec![false; self.cells().len()]
        };
        // Which nodes a written instance covers (its non-output nodes are not declared).
        let mut covered = vec![false; self.wire_count()];
        for (c, _) in self.cells().iter().zip(&as_instance).filter(|(_, on)| **on) {
            covered[c.first as usize..c.end as usize].fill(true);
            for &o in &c.outputs {
                covered[o as usize] = false;
            }
        }
        // Declarations: wires for gate outputs, regs for register outputs.
        let mut wires = Vec::new();
        let mut regs = Vec::new();
        for (i, n) in self.nodes().iter().enumerate() {
            if n.op.is_gate() && !covered[i] {
                wires.push(namer.wire(i as u32));
            } else if n.op == Op::RegQ {
                let init = self.registers()[n.a as usize].init;
                regs.push(format!("{} = 1'b{}", namer.wire(i as u32), u8::from(init)));
            }
        }
        for chunk in wires.chunks(16) {
            let _ = writeln!(out, "  wire {};", chunk.join(", "));
        }
        for r in &regs {
            let _ = writeln!(out, "  reg {r};");
        }
        // Gates in node order, cells as instances where chosen.
        let labels = self.node_labels();
        let mut last_label = 0u32;
        let mut cells = self
            .cells()
            .iter()
            .zip(&as_instance)
            .filter(|(_, on)| **on)
            .map(|(c, _)| c)
            .peekable();
        let mut i = 0usize;
        while i < self.nodes().len() {
            if labels[i] != last_label && self.nodes()[i].op.is_gate() {
                last_label = labels[i];
                let _ = writeln!(out, "  // label: {}", self.labels()[last_label as usize]);
            }
            if let Some(c) = cells.peek()
                && c.first as usize == i
            {
                write_instance(&mut out, &namer, c);
                i = c.end as usize;
                cells.next();
                continue;
            }
            let n = self.nodes()[i];
            let (a, b, c) = (namer.wire(n.a), namer.wire(n.b), namer.wire(n.c));
            let rhs = match n.op {
                Op::Not => format!("~{a}"),
                Op::And => format!("{a} & {b}"),
                Op::Or => format!("{a} | {b}"),
                Op::Xor => format!("{a} ^ {b}"),
                Op::Nand => format!("~({a} & {b})"),
                Op::Nor => format!("~({a} | {b})"),
                Op::Xnor => format!("{a} ~^ {b}"),
                Op::Mux => format!("{c} ? {b} : {a}"),
                Op::Const0 | Op::Const1 | Op::Input | Op::RegQ => {
                    i += 1;
                    continue;
                }
            };
            let _ = writeln!(out, "  assign {} = {rhs};", namer.wire(i as u32));
            i += 1;
        }
        // Outputs, bit by bit.
        for (k, p) in self.outputs().iter().enumerate() {
            let (name, w) = &namer.ports[n_in + k];
            for (j, wire) in p.wires().iter().enumerate() {
                let _ = writeln!(
                    out,
                    "  assign {} = {};",
                    bit(name, *w, j),
                    namer.wire(wire.id)
                );
            }
        }
        if !self.registers().is_empty() {
            let _ = writeln!(out, "  always @(posedge {}) begin", namer.names.clock);
            for r in self.registers() {
                let _ = writeln!(out, "    {} <= {};", namer.wire(r.q.id), namer.wire(r.d.id));
            }
            let _ = writeln!(out, "  end");
        }
        let _ = writeln!(out, "endmodule");
        // Cell module definitions, in a fixed order.
        for kind in CellKind::ALL {
            if self
                .cells()
                .iter()
                .zip(&as_instance)
                .any(|(c, on)| *on && c.kind == kind)
            {
                let (name, ins, outs, body) = cell_module(kind);
                let pins: Vec<String> = ins
                    .iter()
                    .map(|p| format!("input {p}"))
                    .chain(outs.iter().map(|p| format!("output {p}")))
                    .collect();
                let _ = writeln!(out, "\nmodule {name} ({});", pins.join(", "));
                for line in body {
                    let _ = writeln!(out, "  assign {line};");
                }
                let _ = writeln!(out, "endmodule");
            }
        }
        Ok(out)
    }
}

fn write_instance(out: &mut String, namer: &Namer, c: &CellRecord) {
    let (name, ins, outs, _) = cell_module(c.kind);
    let conns: Vec<String> = ins
        .iter()
        .zip(&c.inputs)
        .chain(outs.iter().zip(&c.outputs))
        .map(|(pin, &w)| format!(".{pin}({})", namer.wire(w)))
        .collect();
    let _ = writeln!(out, "  {name} u{} ({});", c.first, conns.join(", "));
}
