//! Transport-delay Verilog export: the netlist as the timed simulator sees it, for an
//! event-driven simulator (Icarus Verilog) to count the same transitions.
//!
//! Each timed cell (see [`TimedSimulator`](crate::gates::TimedSimulator): a recorded half
//! adder, full adder or mux is one cell, other gates one each) is one
//! `always @(pins) y <= #d f(pins);` block. An intra-assignment delay on a non-blocking
//! assignment is a **transport** delay: every input change is scheduled `d` units later and
//! no pulse is swallowed (`assign #d` and gate primitives with delays are inertial and would
//! filter glitches shorter than `d`). When several pins change in the same time step the
//! block runs once per change and the last scheduled update, computed from the settled pins,
//! lands last (IEEE 1364 orders non-blocking updates as they were scheduled), so the value at
//! the end of each time step is the timed simulator's settled value.

use std::fmt::Write as _;

use super::names::{InternalNames, input_bits, verilog_identifier};
use crate::gates::Netlist;
use crate::gates::timed_delays::TimedDelays;
use crate::gates::timed_program::{self, Fun};
use crate::{Error, Result};

impl Netlist {
    /// The netlist as behavioural Verilog with transport delays in units of 1 ns
    /// (`` `timescale 1ns/1ns ``): input wires `n<i>` continuously assigned from the ports,
    /// one `reg n<i>` per timed cell output driven by
    /// `always @(pins) n<i> <= #d f(pins);`, outputs assigned from them. Wire `n<i>` is the
    /// netlist's wire `i`, so a VCD of the simulation maps back to
    /// [`TimedSimulator::activity`](crate::gates::TimedSimulator::activity) wire by wire.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for a netlist with registers (this export is for combinational
    /// circuits); [`Error::InvalidParameter`] for a module name that is not a plain Verilog
    /// identifier or a port name that cannot be written.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::gates::{Builder, TimedDelays};
    ///
    /// let mut b = Builder::new();
    /// let x = b.input("x", 2)?;
    /// let y = b.nand(x[0], x[1]);
    /// b.output("y", &[y])?;
    /// let v = b.finish()?.to_transport_verilog("top", &TimedDelays::uniform(3, 0.01)?)?;
    /// assert!(v.contains("always @(n2 or n3) n4 <= #3 ~(n2 & n3);"));
    /// assert!(v.contains("assign y = n4;"));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn to_transport_verilog(&self, module: &str, delays: &TimedDelays) -> Result<String> {
        if !super::names::is_plain_identifier(module) {
            return Err(Error::param(
                "module name",
                format!("{module:?}"),
                "must be a plain Verilog identifier",
            ));
        }
        if !self.registers().is_empty() {
            return Err(Error::Unsupported(
                "the transport-delay export takes combinational netlists (no registers)".into(),
            ));
        }
        let prog = timed_program::compile(self, delays)?;
        let prefix = InternalNames::new(self).prefix;
        let name = |id: u32| match id {
            0 => "1'b0".to_string(),
            1 => "1'b1".to_string(),
            _ => format!("{prefix}{id}"),
        };
        let mut ports = Vec::new();
        let mut port_names = Vec::new();
        for (dir, list) in [("input", self.inputs()), ("output", self.outputs())] {
            for p in list {
                let id = verilog_identifier("port name", p.name())?;
                let range = if p.width() == 1 {
                    String::new()
                } else {
                    format!("[{}:0] ", p.width() - 1)
                };
                ports.push(format!("{dir} {range}{id}"));
                port_names.push((id, p.width()));
            }
        }
        let bit = |p: usize, i: usize| {
            let (n, w) = &port_names[p];
            if *w == 1 {
                n.clone()
            } else {
                format!("{n}[{i}]")
            }
        };
        let mut v = String::new();
        let _ = writeln!(
            v,
            "// transport-delay netlist from arithsim: 1 unit = {} ns of the cell library",
            delays.resolution_ns()
        );
        let _ = writeln!(v, "`timescale 1ns/1ns");
        let _ = writeln!(v, "module {module} ({});", ports.join(", "));
        for (w, b) in input_bits(self).iter().enumerate() {
            if let Some((p, i)) = b {
                let _ = writeln!(v, "  wire {} = {};", name(w as u32), bit(*p, *i));
            }
        }
        for c in &prog.cells {
            let pins: Vec<String> = c.ins[..c.fun.arity()].iter().map(|&x| name(x)).collect();
            let (a, b, cc) = (
                pins[0].clone(),
                pins.get(1).cloned().unwrap_or_default(),
                pins.get(2).cloned().unwrap_or_default(),
            );
            let f = match c.fun {
                Fun::Not => vec![format!("~{a}")],
                Fun::And => vec![format!("{a} & {b}")],
                Fun::Or => vec![format!("{a} | {b}")],
                Fun::Xor => vec![format!("{a} ^ {b}")],
                Fun::Nand => vec![format!("~({a} & {b})")],
                Fun::Nor => vec![format!("~({a} | {b})")],
                Fun::Xnor => vec![format!("~({a} ^ {b})")],
                Fun::Mux => vec![format!("{cc} ? {b} : {a}")],
                Fun::HalfAdder => vec![format!("{a} ^ {b}"), format!("{a} & {b}")],
                Fun::FullAdder => vec![
                    format!("{a} ^ {b} ^ {cc}"),
                    format!("({a} & {b}) | ({cc} & ({a} ^ {b}))"),
                ],
            };
            let outs = &c.outs[..c.fun.outputs()];
            let mut sens: Vec<u32> = Vec::new();
            for &x in &c.ins[..c.fun.arity()] {
                if x > 1 && !sens.contains(&x) {
                    sens.push(x);
                }
            }
            if prog.window[outs[0] as usize].is_none() {
                // fed by constants only: never changes
                for (o, e) in outs.iter().zip(&f) {
                    let _ = writeln!(v, "  wire {} = {e};", name(*o));
                }
                continue;
            }
            let _ = writeln!(
                v,
                "  reg {};",
                outs.iter().map(|&o| name(o)).collect::<Vec<_>>().join(", ")
            );
            let list = sens
                .iter()
                .map(|&x| name(x))
                .collect::<Vec<_>>()
                .join(" or ");
            let body: Vec<String> = outs
                .iter()
                .zip(&f)
                .map(|(o, e)| format!("{} <= #{} {e};", name(*o), c.delay))
                .collect();
            if body.len() == 1 {
                let _ = writeln!(v, "  always @({list}) {}", body[0]);
            } else {
                let _ = writeln!(v, "  always @({list}) begin {} end", body.join(" "));
            }
        }
        for (p, port) in self.outputs().iter().enumerate() {
            for (i, w) in port.wires().iter().enumerate() {
                let (n, width) = &port_names[self.inputs().len() + p];
                let lhs = if *width == 1 {
                    n.clone()
                } else {
                    format!("{n}[{i}]")
                };
                let _ = writeln!(v, "  assign {lhs} = {};", name(w.id));
            }
        }
        let _ = writeln!(v, "endmodule");
        Ok(v)
    }
}
