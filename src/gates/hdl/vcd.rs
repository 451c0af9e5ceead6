//! VCD (IEEE 1364 value change dump) waveforms of chosen signals of a simulation.
//!
//! The writer is small and written here rather than taken from the `vcd` crate: the format
//! needs a header and one line per change, and the crate keeps no dependency for it (the
//! tests read the output back with the `vcd` crate, an independent parser).

use std::fmt::Write as _;

use crate::gates::{Netlist, Simulator, Wire};
use crate::{Error, Result};

struct Probe {
    name: String,
    wires: Vec<Wire>,
    id: String,
    last: Option<String>,
}

/// A waveform recorder: pick ports and internal wires, sample a [`Simulator`] lane after each
/// evaluation or clock, write the VCD text that GTKWave and other viewers open.
///
/// Each sample is one time point; a value is written only when it changed. Internal wires
/// of fused cells are not computed by default, so call [`Simulator::set_fused`]`(false)`
/// before sampling them.
///
/// # Examples
///
/// A MAC's inputs and accumulator over three clocks:
///
/// ```
/// use arithsim::circuits::mac::{MacSpec, Mac};
/// use arithsim::gates::Simulator;
/// use arithsim::gates::hdl::Vcd;
///
/// let mac = Mac::new(MacSpec::INT8_INT32)?;
/// let net = mac.netlist();
/// let mut vcd = Vcd::new(net, "mac", "1ns")?;
/// for port in ["a", "b", "acc"] {
///     vcd.probe_port(port)?;
/// }
/// let q: Vec<_> = net.registers().iter().map(|r| r.q).collect();
/// vcd.probe("acc_q", &q)?;
/// let mut sim = Simulator::new(net, 1)?;
/// let mut out = Default::default();
/// let mut acc = Vec::new();
/// for (t, (a, b)) in [(3u64, 4u64), (5, 6), (255, 2)].into_iter().enumerate() {
///     sim.step_with(&[("a", &[a]), ("b", &[b])], &mut out)?;
///     acc.push(out.get("acc")?[0]); // `out` holds this cycle's outputs only
///     vcd.sample(&sim, 0, 10 * t as u64)?;
/// }
/// // Before each clock edge: 0 + 3·4, then 12 + 5·6, then 42 + (−1)·2 (0xFF is −1 as int8).
/// assert_eq!(acc, [12, 42, 40]);
/// let text = vcd.finish(30);
/// assert!(text.contains("$var wire 32 # acc [31:0] $end"));
/// assert!(text.contains("#10\nb00000101 !\n")); // a = 5 at t = 10
/// assert!(text.ends_with("#30\n"));
/// # Ok::<(), arithsim::Error>(())
/// ```
pub struct Vcd<'n> {
    net: &'n Netlist,
    module: String,
    timescale: String,
    probes: Vec<Probe>,
    /// The probed names, for the duplicate check in constant time.
    names: std::collections::HashSet<String>,
    body: String,
    time: Option<u64>,
}

/// The identifier code of signal `k`: base-94 over the printable characters `!`..`~`.
fn id_code(mut k: usize) -> String {
    let mut s = String::new();
    loop {
        s.push((b'!' + (k % 94) as u8) as char);
        k /= 94;
        if k == 0 {
            return s;
        }
        k -= 1;
    }
}

/// Checks `name` as a VCD scope or signal reference: a simple Verilog identifier (a letter or
/// `_`, then letters, digits, `_` or `$`). Anything else could end the header command early
/// (`$end`), read as a time stamp or value change (`#1`, `b1010 !` in the body), or as a bit
/// select of another signal (`a[3]`), so viewers would show a different waveform.
fn check_name(what: &'static str, name: &str) -> Result<()> {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
        return Err(Error::param(
            what,
            format!("{name:?}"),
            "a VCD name must be a simple identifier: a letter or '_', then letters, digits, '_' or '$'",
        ));
    }
    Ok(())
}

impl<'n> Vcd<'n> {
    /// A recorder for `net`, in scope `module`, with time unit `timescale` (`1ns`, `10ps`,
    /// `100us`, ...).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a timescale other than 1, 10 or 100 of s, ms, us, ns,
    /// ps, fs, or a module name that is not a simple identifier (a letter or `_`, then
    /// letters, digits, `_` or `$`: other names can corrupt the file, e.g. `$end`, `#1`,
    /// `a[3]`).
    pub fn new(net: &'n Netlist, module: &str, timescale: &str) -> Result<Self> {
        check_name("scope name", module)?;
        let unit_ok = ["1", "10", "100"].iter().any(|n| {
            timescale
                .strip_prefix(n)
                .is_some_and(|u| ["s", "ms", "us", "ns", "ps", "fs"].contains(&u))
        });
        if !unit_ok {
            return Err(Error::param(
                "timescale",
                format!("{timescale:?}"),
                "must be 1, 10 or 100 followed by s, ms, us, ns, ps or fs",
            ));
        }
        Ok(Vcd {
            net,
            module: module.to_string(),
            timescale: timescale.to_string(),
            probes: Vec::new(),
            names: std::collections::HashSet::new(),
            body: String::new(),
            time: None,
        })
    }

    /// Records input or output port `name` (a bus `[w-1:0]`).
    ///
    /// # Errors
    /// [`Error::UnknownPort`] if there is no such port; as [`Vcd::probe`].
    pub fn probe_port(&mut self, name: &str) -> Result<()> {
        let port = self.net.input(name).or_else(|_| self.net.output(name))?;
        let wires = port.wires().to_vec();
        self.probe(name, &wires)
    }

    /// Records any wires of the netlist (least significant first) as signal `name`: internal
    /// buses, register outputs, the wires of a label.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a name that is not a simple identifier (see
    /// [`Vcd::new`]) or is already probed, no wires, a wire of another netlist, or a probe
    /// added after the first sample.
    pub fn probe(&mut self, name: &str, wires: &[Wire]) -> Result<()> {
        check_name("signal name", name)?;
        if self.names.contains(name) {
            return Err(Error::param(
                "signal name",
                name,
                "is already probed (two variables of one name are ambiguous in a viewer)",
            ));
        }
        if self.time.is_some() {
            return Err(Error::param(
                "signal",
                name,
                "probes must be added before the first sample",
            ));
        }
        if wires.is_empty() {
            return Err(Error::param("signal", name, "needs at least one wire"));
        }
        for &w in wires {
            self.net.check_wire(w)?;
        }
        self.names.insert(name.to_string());
        let id = id_code(self.probes.len());
        self.probes.push(Probe {
            name: name.to_string(),
            wires: wires.to_vec(),
            id,
            last: None,
        });
        Ok(())
    }

    /// Records the current values of lane `lane` of `sim` at `time` (in timescale units).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if `sim` runs another netlist, `lane` is not below
    /// [`Simulator::lanes`] or `time` is below the previous sample's;
    /// [`Error::Unsupported`] for a probed wire inside a fused cell.
    pub fn sample(&mut self, sim: &Simulator<'_>, lane: usize, time: u64) -> Result<()> {
        if sim.netlist().id() != self.net.id() {
            return Err(Error::param(
                "simulator",
                sim.netlist().id(),
                format!("it runs another netlist than {}", self.net.id()),
            ));
        }
        if lane >= sim.lanes() {
            return Err(Error::param(
                "lane",
                lane,
                format!("must be below {}", sim.lanes()),
            ));
        }
        if let Some(t) = self.time
            && time < t
        {
            return Err(Error::param(
                "time",
                time,
                format!("must not go back before {t}"),
            ));
        }
        let first = self.time.is_none();
        // Read every value before changing anything, so a failed sample records nothing.
        let mut values = Vec::with_capacity(self.probes.len());
        for p in &self.probes {
            let mut v = String::with_capacity(p.wires.len() + 1);
            for &w in p.wires.iter().rev() {
                let word = sim.wire_words(w)?[lane / 64];
                v.push(if (word >> (lane % 64)) & 1 == 1 {
                    '1'
                } else {
                    '0'
                });
            }
            values.push(v);
        }
        let mut lines = String::new();
        for (p, v) in self.probes.iter_mut().zip(values) {
            if p.last.as_deref() != Some(v.as_str()) {
                if p.wires.len() == 1 {
                    let _ = writeln!(lines, "{v}{}", p.id);
                } else {
                    let _ = writeln!(lines, "b{v} {}", p.id);
                }
                p.last = Some(v);
            }
        }
        if first {
            let _ = write!(self.body, "#{time}\n$dumpvars\n{lines}$end\n");
        } else if !lines.is_empty() {
            if self.time != Some(time) {
                let _ = writeln!(self.body, "#{time}");
            }
            self.body.push_str(&lines);
        }
        self.time = Some(time);
        Ok(())
    }

    /// The VCD text, closed with a final time stamp `end_time` (when it is after the last
    /// sample), so that viewers show the last values for a full period.
    #[must_use]
    pub fn finish(self, end_time: u64) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "$version arithsim $end");
        let _ = writeln!(out, "$timescale {} $end", self.timescale);
        let _ = writeln!(out, "$scope module {} $end", self.module);
        for p in &self.probes {
            let range = if p.wires.len() == 1 {
                String::new()
            } else {
                format!(" [{}:0]", p.wires.len() - 1)
            };
            let _ = writeln!(
                out,
                "$var wire {} {} {}{range} $end",
                p.wires.len(),
                p.id,
                p.name
            );
        }
        let _ = writeln!(out, "$upscope $end");
        let _ = writeln!(out, "$enddefinitions $end");
        out.push_str(&self.body);
        if self.time.is_none_or(|t| end_time > t) {
            let _ = writeln!(out, "#{end_time}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_codes_are_distinct_and_printable() {
        let ids: Vec<String> = (0..94 * 95 + 3).map(id_code).collect();
        let set: std::collections::HashSet<&String> = ids.iter().collect();
        assert_eq!(set.len(), ids.len());
        assert_eq!(ids[0], "!");
        assert_eq!(ids[93], "~");
        assert_eq!(ids[94], "!!");
        assert!(ids.iter().all(|s| s.chars().all(|c| c.is_ascii_graphic())));
    }
}
