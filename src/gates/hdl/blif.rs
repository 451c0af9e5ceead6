//! BLIF export: `.model`, `.inputs`, `.outputs`, one `.names` cover per gate, `.latch` per
//! register, `.end`.

use std::fmt::Write as _;

use super::names::{InternalNames, blif_name, input_bits};
use crate::Result;
use crate::gates::{Netlist, Op};

/// The single-output cover of a gate, rows of input pattern and output 1 (pins in operand
/// order; a mux's pins are `a b s`).
fn cover(op: Op) -> &'static [&'static str] {
    match op {
        Op::Not => &["0 1"],
        Op::And => &["11 1"],
        Op::Or => &["1- 1", "-1 1"],
        Op::Xor => &["01 1", "10 1"],
        Op::Nand => &["0- 1", "-0 1"],
        Op::Nor => &["00 1"],
        Op::Xnor => &["00 1", "11 1"],
        Op::Mux => &["1-0 1", "-11 1"],
        Op::Const0 | Op::Const1 | Op::Input | Op::RegQ => &[],
    }
}

impl Netlist {
    /// The netlist as BLIF (Berkeley Logic Interchange Format), model `model`.
    ///
    /// Port bits are bit-blasted as `a[0]`, `a[1]`, ... (a one-bit port keeps its plain
    /// name), which `yosys read_blif -wideports` groups back into buses; internal wires are
    /// `n<wire index>`. Each gate is one `.names` with its on-set cover (so Yosys reads one
    /// `$lut` per gate), each output bit is a buffer `.names` (or a constant), each register
    /// a `.latch <d> <q> re clk <init>` with `clk` added to the inputs. Deterministic.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) for a model or port name
    /// with whitespace, `#` or `\`, or starting with `.`.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::circuits::adders::ripple_carry_adder;
    ///
    /// let blif = ripple_carry_adder(2)?.to_blif("rca2")?;
    /// assert!(blif.starts_with("# rca2"));
    /// assert!(blif.contains(".inputs a[0] a[1] b[0] b[1] cin\n"));
    /// assert!(blif.contains(".outputs sum[0] sum[1] cout\n"));
    /// assert!(blif.ends_with(".end\n"));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn to_blif(&self, model: &str) -> Result<String> {
        let model = blif_name("model name", model)?;
        let names = InternalNames::new(self);
        let mut ports = Vec::new();
        for p in self.inputs().iter().chain(self.outputs()) {
            ports.push(blif_name("port name", p.name())?);
        }
        let port_bit = |k: usize, width: usize, i: usize| {
            if width == 1 {
                ports[k].clone()
            } else {
                format!("{}[{i}]", ports[k])
            }
        };
        let inputs = input_bits(self);
        let wire = |id: u32| match inputs[id as usize] {
            Some((p, i)) => port_bit(p, self.inputs()[p].width(), i),
            None => format!("{}{id}", names.prefix),
        };
        let mut out = String::new();
        let stats = self.stats();
        let _ = writeln!(
            out,
            "# {model}: BLIF written by arithsim ({} gates, {} registers).",
            stats.gates, stats.registers
        );
        let _ = writeln!(out, ".model {model}");
        let mut ins: Vec<String> = Vec::new();
        for (k, p) in self.inputs().iter().enumerate() {
            ins.extend((0..p.width()).map(|i| port_bit(k, p.width(), i)));
        }
        if !self.registers().is_empty() {
            ins.push(names.clock.clone());
        }
        let _ = writeln!(out, ".inputs {}", ins.join(" "));
        let n_in = self.inputs().len();
        let mut outs: Vec<String> = Vec::new();
        for (k, p) in self.outputs().iter().enumerate() {
            outs.extend((0..p.width()).map(|i| port_bit(n_in + k, p.width(), i)));
        }
        let _ = writeln!(out, ".outputs {}", outs.join(" "));
        let labels = self.node_labels();
        let mut last_label = 0u32;
        for (i, n) in self.nodes().iter().enumerate() {
            if !n.op.is_gate() {
                continue;
            }
            if labels[i] != last_label {
                last_label = labels[i];
                let _ = writeln!(out, "# label: {}", self.labels()[last_label as usize]);
            }
            let pins: Vec<String> = n.inputs().iter().map(|&x| wire(x)).collect();
            let _ = writeln!(out, ".names {} {}", pins.join(" "), wire(i as u32));
            for row in cover(n.op) {
                let _ = writeln!(out, "{row}");
            }
        }
        let mut k = 0;
        for p in self.outputs() {
            for w in p.wires() {
                let name = &outs[k];
                k += 1;
                match w.id {
                    0 => {
                        let _ = writeln!(out, ".names {name}");
                    }
                    1 => {
                        let _ = writeln!(out, ".names {name}\n1");
                    }
                    id => {
                        let _ = writeln!(out, ".names {} {name}\n1 1", wire(id));
                    }
                }
            }
        }
        for r in self.registers() {
            let d = match r.d.id {
                0 | 1 => {
                    // A constant D needs a driver of its own.
                    let c = format!("{}{}c", names.prefix, r.q.id);
                    let row = if r.d.id == 1 { "\n1" } else { "" };
                    let _ = writeln!(out, ".names {c}{row}");
                    c
                }
                id => wire(id),
            };
            let _ = writeln!(
                out,
                ".latch {d} {} re {} {}",
                wire(r.q.id),
                names.clock,
                u8::from(r.init)
            );
        }
        let _ = writeln!(out, ".end");
        Ok(out)
    }
}
