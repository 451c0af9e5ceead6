//! Structural Verilog instantiating a Liberty library's cells: what STA and power tools
//! (OpenSTA's `read_verilog` / `link_design`) read.

use std::fmt::Write as _;

use super::names::{InternalNames, is_plain_identifier, verilog_identifier};
use crate::gates::{CellLibrary, LibCell, Netlist};
use crate::{Error, Result};

impl Netlist {
    /// Writes module `module` with one instance of the library cell each
    /// [`Instance`](crate::gates::Instance) maps to (the cells [`CellLibrary::from_liberty`]
    /// chose by function), pins by name. Output-port bits are driven by the instance itself
    /// where they can be; an output bit that repeats another signal (an input, a constant or
    /// a wire already driving another port bit) is an `assign`. Registers become the
    /// library's flip-flop with its clock on input `clk` (lengthened with `_` if a port
    /// has that name).
    ///
    /// # Errors
    /// [`Error::Unsupported`] if `lib` is not a Liberty library or lacks a cell the netlist
    /// needs; [`Error::InvalidParameter`] for a module name that is not a plain identifier.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::circuits::adders::ripple_carry_adder;
    /// use arithsim::gates::CellLibrary;
    ///
    /// let net = ripple_carry_adder(2)?;
    /// // the embedded table has no Liberty behind it
    /// assert!(net.to_liberty_verilog("rca2", &CellLibrary::nangate45()).is_err());
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn to_liberty_verilog(&self, module: &str, lib: &CellLibrary) -> Result<String> {
        if !is_plain_identifier(module) {
            return Err(Error::param(
                "module name",
                format!("{module:?}"),
                "must be a plain Verilog identifier",
            ));
        }
        let pl = self.place(lib, &Default::default())?;
        let names = InternalNames::new(self);
        let n = self.wire_count();
        let mut net_name: Vec<Option<String>> = vec![None; n];
        net_name[0] = Some("1'b0".into());
        net_name[1] = Some("1'b1".into());
        let mut ports = Vec::new();
        for p in self.inputs() {
            let id = verilog_identifier("port name", p.name())?;
            for (i, w) in p.wires().iter().enumerate() {
                net_name[w.index()] = Some(format!("{id}[{i}]"));
            }
            ports.push(format!("input [{}:0] {id}", p.width() - 1));
        }
        let driven: Vec<bool> = {
            let mut d = vec![false; n];
            for x in &pl.inst {
                for &o in &x.outputs {
                    d[o as usize] = true;
                }
            }
            d
        };
        let mut assigns = Vec::new();
        let mut out_bits = Vec::new();
        for p in self.outputs() {
            let id = verilog_identifier("port name", p.name())?;
            for (i, w) in p.wires().iter().enumerate() {
                let bit = format!("{id}[{i}]");
                if driven[w.index()] && net_name[w.index()].is_none() {
                    net_name[w.index()] = Some(bit);
                } else {
                    out_bits.push((bit, w.index()));
                }
            }
            ports.push(format!("output [{}:0] {id}", p.width() - 1));
        }
        if !self.registers().is_empty() {
            ports.push(format!("input {}", names.clock));
        }
        let mut wires = Vec::new();
        for (w, name) in net_name.iter_mut().enumerate() {
            if name.is_none() && driven[w] {
                let s = format!("{}{w}", names.prefix);
                wires.push(s.clone());
                *name = Some(s);
            }
        }
        for (bit, w) in out_bits {
            let src = net_name[w].clone().unwrap_or_else(|| "1'b0".into());
            assigns.push(format!("  assign {bit} = {src};"));
        }
        let mut out = String::new();
        let _ = writeln!(
            out,
            "// {} instances of library {}, written by arithsim",
            pl.inst.len(),
            pl.lib.liberty.name
        );
        let _ = writeln!(out, "module {module} ({});", ports.join(", "));
        for chunk in wires.chunks(16) {
            let _ = writeln!(out, "  wire {};", chunk.join(", "));
        }
        for (k, x) in pl.inst.iter().enumerate() {
            let (cm, cell, wires) = &pl.pins[k];
            let mut conns = Vec::new();
            for (&p, &w) in cm.inputs.iter().zip(wires) {
                let s = net_name[w as usize]
                    .clone()
                    .unwrap_or_else(|| "1'b0".into());
                conns.push(format!(".{}({s})", cell.pins[p].name));
            }
            if let Some(ck) = cm.clock {
                debug_assert_eq!(x.cell, LibCell::Dff);
                conns.push(format!(".{}({})", cell.pins[ck].name, names.clock));
            }
            for (&p, &w) in cm.outputs.iter().zip(&x.outputs) {
                let s = net_name[w as usize].clone().unwrap_or_default();
                conns.push(format!(".{}({s})", cell.pins[p].name));
            }
            let _ = writeln!(out, "  {} u{k} ({});", cell.name, conns.join(", "));
        }
        for a in assigns {
            let _ = writeln!(out, "{a}");
        }
        let _ = writeln!(out, "endmodule");
        Ok(out)
    }
}
