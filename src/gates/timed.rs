//! The timed (glitch-aware) simulator: transport delays in integer units, bit-parallel over
//! 64 operand streams per word, time-stepped over the units at which each wire can change.
//!
//! # Model
//!
//! Each step applies one new input vector per lane (64 independent operand streams, as in the
//! zero-delay [`Simulator`](super::Simulator)): the inputs switch at time 0, every register's
//! `Q` switches to its latched `D` at the DFF delay, and each cell (see
//! [`TimedDelays`](super::TimedDelays) for the delays, and the timed program for what is one
//! cell) follows **transport** semantics: `y(t) = f(x(t − d))`, so every input change reaches
//! the output after exactly `d` units and pulses of any width pass (no inertial filtering).
//! Before a step every wire holds its settled value from the previous vector.
//!
//! Values are *settled per unit*: a wire's value at unit `t` is its value after everything
//! scheduled at `t` has happened. A **transition** is a change between consecutive units, so
//! a pulse narrower than one unit (two changes at the same `t` that cancel) is not counted;
//! with integer delays of at least one unit no cell can produce one, only an event-driven
//! simulator's ordering within a time step could. Transitions of each wire are summed over
//! lanes and steps; a wire's transitions minus its *functional* transitions (settled value
//! before vs after the step, what the zero-delay simulator counts) are its glitches. The
//! first step only settles the circuit from all-zero and is not counted (an event-driven
//! simulator's time-0 `x → 0` changes).
//!
//! # Cost
//!
//! Time-stepped, not event-queued, and sparse: a wire can change only at the units `τ + d`
//! for the units `τ` at which one of its cell's inputs can change (inputs at 0), a set fixed
//! by the netlist and the delays (a full-adder tree's wires change only at a few units). Each
//! wire stores one word per such unit, and a cell computes one word operation per unit of its
//! output, reading each input's word at that unit through a precomputed index. Wires inside a
//! cell timed as one cell get no waveform (0 transitions); they carry no load in the energy
//! model.

use super::batch::{Operand, match_inputs, transpose64};
use super::netlist::{Netlist, Op};
use super::sim::Activity;
use super::timed_delays::TimedDelays;
use super::timed_program::{self, Fun};
use crate::{Error, Result};

/// A compiled cell: where its pins' and outputs' waveforms start in the buffer.
#[derive(Clone, Copy, Debug)]
struct Slot {
    fun: Fun,
    /// Buffer offset of each pin's waveform.
    pin: [u32; 3],
    /// Start of this cell's read indices in `TimedSimulator::idx`: `arity` runs of `units`.
    idx: u32,
    /// Buffer offset of each output's waveform.
    out: [u32; 2],
    /// Output change times computed.
    units: u32,
    /// The output wires (the second only for two-output cells).
    wires: [u32; 2],
}

/// Where a wire's waveform lives: `units + 1` slots from `off`; slot 0 holds the settled
/// value before the step, slot `i` the value from the wire's `i`-th possible change time on.
#[derive(Clone, Copy, Debug, Default)]
struct Wave {
    off: u32,
    units: u32,
}

/// Glitch-aware simulator of one netlist.
///
/// # Examples
///
/// A 4-bit ripple-carry adder: `0 + 0` then `15 + 1` ripples a carry through all four full
/// adders, so the sum bits glitch (they rise, then fall as the carry arrives).
///
/// ```
/// use arithsim::circuits::adders::ripple_carry_adder;
/// use arithsim::gates::{CellLibrary, TimedDelays, TimedSimulator};
///
/// let net = ripple_carry_adder(4)?;
/// let delays = TimedDelays::from_library(&CellLibrary::nangate45(), 0.01)?;
/// let mut sim = TimedSimulator::new(&net, &delays)?;
/// let a: Vec<u64> = [0u64, 15].iter().flat_map(|&v| [v; 64]).collect();
/// let b: Vec<u64> = [0u64, 1].iter().flat_map(|&v| [v; 64]).collect();
/// let c = vec![0u64; 128];
/// sim.run(&[("a", &a), ("b", &b), ("cin", &c)])?;
/// let timed = sim.activity().total();
/// let functional = sim.functional_activity().total();
/// // functionally only a0..a3, b0 and the four carries change (sum 0000 -> 0000)...
/// assert_eq!(functional, 64 * (5 + 4));
/// // ...but each sum bit i > 0 first rises to 1, then falls when the carry reaches it
/// assert_eq!(timed - functional, 64 * 2 * 3);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct TimedSimulator<'n> {
    net: &'n Netlist,
    settle: u32,
    slots: Vec<Slot>,
    waves: Vec<Wave>,
    idx: Vec<u32>,
    buf: Vec<u64>,
    inputs: Vec<u32>,
    regs: Vec<(u32, u32)>,
    state: Vec<u64>,
    toggles: Vec<u64>,
    functional: Vec<u64>,
    transitions: u64,
    settled: bool,
}

impl<'n> TimedSimulator<'n> {
    /// A timed simulator for `net` with `delays`; registers start at their reset values.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a delay path too long to simulate (over 10⁹ units) or
    /// waveforms too large to store.
    pub fn new(net: &'n Netlist, delays: &TimedDelays) -> Result<Self> {
        let program = timed_program::compile(net, delays)?;
        let n = net.wire_count();
        // the units at which each wire can change: a sparse subset of its window (a full
        // adder tree's wires change only at multiples of the adder's delay past the AND's)
        let mut times: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (i, node) in net.nodes().iter().enumerate() {
            match node.op {
                Op::Input => times[i] = vec![0],
                Op::RegQ => times[i] = vec![delays.get(super::LibCell::Dff)],
                _ => {}
            }
        }
        for c in &program.cells {
            let mut t: Vec<u32> = c.ins[..c.fun.arity()]
                .iter()
                .flat_map(|&p| times[p as usize].iter().map(|&x| x + c.delay))
                .collect();
            t.sort_unstable();
            t.dedup();
            for &o in &c.outs[..c.fun.outputs()] {
                times[o as usize].clone_from(&t);
            }
        }
        let settle = times
            .iter()
            .filter_map(|t| t.last().copied())
            .max()
            .unwrap_or(0);
        let mut waves = vec![Wave::default(); n];
        let mut total = 0usize;
        for (w, t) in times.iter().enumerate() {
            waves[w] = Wave {
                off: u32::try_from(total).map_err(|_| too_big(total))?,
                units: t.len() as u32,
            };
            total += t.len() + 1;
        }
        if total > u32::MAX as usize {
            return Err(too_big(total));
        }
        let mut buf = vec![0u64; total];
        buf[waves[1].off as usize] = !0;
        let mut slots = Vec::with_capacity(program.cells.len());
        let mut idx = Vec::new();
        for c in &program.cells {
            let o = waves[c.outs[0] as usize];
            let pins = &c.ins[..c.fun.arity()];
            if o.units == 0 {
                // fed by constants only: computed once, never changes
                let v = |k: usize| {
                    pins.get(k)
                        .map_or(0, |&p| buf[waves[p as usize].off as usize])
                };
                let (x, y) = c.fun.eval(v(0), v(1), v(2));
                buf[o.off as usize] = x;
                if c.fun.outputs() == 2 {
                    buf[waves[c.outs[1] as usize].off as usize] = y;
                }
                continue;
            }
            let out_times = &times[c.outs[0] as usize];
            let start = u32::try_from(idx.len()).map_err(|_| too_big(idx.len()))?;
            let mut pin = [0u32; 3];
            for (k, &p) in pins.iter().enumerate() {
                pin[k] = waves[p as usize].off;
                // slot of the pin at T - d: how many of its change times are <= T - d
                let pt = &times[p as usize];
                let mut i = 0;
                for &t in out_times {
                    while i < pt.len() && pt[i] + c.delay <= t {
                        i += 1;
                    }
                    idx.push(i as u32);
                }
            }
            slots.push(Slot {
                fun: c.fun,
                pin,
                idx: start,
                out: [o.off, waves[c.outs[1] as usize].off],
                units: o.units,
                wires: c.outs,
            });
        }
        let inputs = net
            .inputs()
            .iter()
            .flat_map(|p| p.wires().iter().map(|w| w.id))
            .collect();
        let regs = net.registers().iter().map(|r| (r.q.id, r.d.id)).collect();
        let mut sim = TimedSimulator {
            net,
            settle,
            slots,
            waves,
            idx,
            buf,
            inputs,
            regs,
            state: Vec::new(),
            toggles: vec![0; n],
            functional: vec![0; n],
            transitions: 0,
            settled: false,
        };
        sim.reset();
        Ok(sim)
    }

    /// Registers back to reset; the next step settles the circuit again without counting.
    pub fn reset(&mut self) {
        self.state = self
            .net
            .registers()
            .iter()
            .map(|r| if r.init { !0 } else { 0 })
            .collect();
        self.settled = false;
    }

    /// Clears the transition counts (the settled state is kept).
    pub fn clear_activity(&mut self) {
        self.toggles.fill(0);
        self.functional.fill(0);
        self.transitions = 0;
    }

    /// The netlist being simulated.
    #[must_use]
    pub fn netlist(&self) -> &'n Netlist {
        self.net
    }

    /// The latest unit at which any wire can change after a step starts: the timed critical
    /// path, in units.
    #[must_use]
    pub fn settle_time(&self) -> u32 {
        self.settle
    }

    /// Every transition counted so far, glitches included, per wire; `transitions` is the
    /// number of (lane, step) operand transitions observed, as in [`Activity`].
    #[must_use]
    pub fn activity(&self) -> Activity {
        Activity {
            toggles: self.toggles.clone(),
            transitions: self.transitions,
        }
    }

    /// The functional transitions only (settled value before and after each step, what the
    /// zero-delay simulator counts on the same wires).
    #[must_use]
    pub fn functional_activity(&self) -> Activity {
        Activity {
            toggles: self.functional.clone(),
            transitions: self.transitions,
        }
    }

    /// One step: `words[k]` is input wire `k`'s new value in each of the 64 lanes (input
    /// wires in port order, least significant bit first); then every register loads its `D`.
    ///
    /// # Errors
    /// [`Error::Shape`] unless there is one word per input wire.
    pub fn step_words(&mut self, words: &[u64]) -> Result<()> {
        if words.len() != self.inputs.len() {
            return Err(Error::Shape(format!(
                "{} input words given for {} input wires",
                words.len(),
                self.inputs.len()
            )));
        }
        self.step_unchecked(words);
        Ok(())
    }

    fn step_unchecked(&mut self, words: &[u64]) {
        let buf = &mut self.buf;
        let waves = &self.waves;
        let count = self.settled;
        let (toggles, functional) = (&mut self.toggles, &mut self.functional);
        // slot 0 <- the previous step's settled value (its last slot)
        let start = |buf: &mut [u64], w: u32| {
            let x = waves[w as usize];
            buf[x.off as usize] = buf[(x.off + x.units) as usize];
        };
        let mut finish = |buf: &[u64], w: u32| {
            if count {
                let x = waves[w as usize];
                let v = &buf[x.off as usize..=(x.off + x.units) as usize];
                toggles[w as usize] += v
                    .windows(2)
                    .map(|p| u64::from((p[0] ^ p[1]).count_ones()))
                    .sum::<u64>();
                functional[w as usize] += u64::from((v[0] ^ v[v.len() - 1]).count_ones());
            }
        };
        for (&w, &v) in self.inputs.iter().zip(words) {
            start(buf, w);
            buf[waves[w as usize].off as usize + 1] = v;
            finish(buf, w);
        }
        for (&(q, _), &v) in self.regs.iter().zip(&self.state) {
            start(buf, q);
            buf[waves[q as usize].off as usize + 1] = v;
            finish(buf, q);
        }
        for s in &self.slots {
            let outs = &s.wires[..s.fun.outputs()];
            for &w in outs {
                start(buf, w);
            }
            run_slot(buf, &self.idx, s);
            for &w in outs {
                finish(buf, w);
            }
        }
        if count {
            self.transitions += 64;
        }
        for (k, &(_, d)) in self.regs.iter().enumerate() {
            let x = waves[d as usize];
            self.state[k] = buf[(x.off + x.units) as usize];
        }
        self.settled = true;
    }

    /// Streams operands through the circuit: one slice per input port (by name), all of the
    /// same length, a multiple of 64; operand `v` goes to lane `v % 64` of step `v / 64`
    /// (the zero-delay simulator's layout), so each lane is one operand stream.
    ///
    /// # Errors
    /// As [`Simulator::run`](super::Simulator::run), and [`Error::InvalidParameter`] for a
    /// length that is not a multiple of 64.
    pub fn run<T: Operand>(&mut self, inputs: &[(&str, &[T])]) -> Result<()> {
        let (vals, n) = match_inputs(self.net, inputs)?;
        if n % 64 != 0 {
            return Err(Error::param(
                "operand count",
                n,
                "the timed simulator takes whole steps of 64 operands",
            ));
        }
        let mut words = vec![0u64; self.inputs.len()];
        let mut m = [0u64; 64];
        for base in (0..n).step_by(64) {
            let mut k = 0;
            for (p, vs) in self.net.inputs().iter().zip(&vals) {
                let w = p.width();
                for half in 0..w.div_ceil(64) {
                    for (l, x) in m.iter_mut().enumerate() {
                        let v = vs[base + l];
                        *x = if half == 0 { v.lo() } else { v.hi() };
                    }
                    transpose64(&mut m);
                    let bits = (w - 64 * half).min(64);
                    words[k..k + bits].copy_from_slice(&m[..bits]);
                    k += bits;
                }
            }
            self.step_unchecked(&words);
        }
        Ok(())
    }

    /// The settled value of `wire` in each lane after the last step.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a wire of another netlist; [`Error::Unsupported`] for
    /// a wire inside a cell timed as one cell.
    pub fn settled_word(&self, wire: super::Wire) -> Result<u64> {
        let i = self.net.check_wire(wire)?.index();
        let op = self.net.nodes()[i].op;
        let x = self.waves[i];
        if x.units == 0 && !matches!(op, Op::Const0 | Op::Const1) {
            return Err(Error::Unsupported(format!(
                "wire {i} is inside a cell timed as one cell and has no waveform"
            )));
        }
        Ok(self.buf[(x.off + x.units) as usize])
    }
}

fn too_big(total: usize) -> Error {
    Error::param(
        "waveform size",
        total,
        "words: the circuit's waveforms are too long to store",
    )
}

/// Computes the output waveform of one cell: output slot `j + 1` (its `j`-th change time)
/// from each pin's slot `idx[k][j]`.
#[inline]
fn run_slot(buf: &mut [u64], idx: &[u32], s: &Slot) {
    let n = s.units as usize;
    let base = s.idx as usize;
    let ix = |k: usize| &idx[base + k * n..base + (k + 1) * n];
    let (o0, o1) = (s.out[0] as usize + 1, s.out[1] as usize + 1);
    let p = s.pin.map(|x| x as usize);
    macro_rules! two {
        (|$a:ident, $b:ident| $e:expr) => {{
            for (j, (&i, &k)) in ix(0).iter().zip(ix(1)).enumerate() {
                let ($a, $b) = (buf[p[0] + i as usize], buf[p[1] + k as usize]);
                buf[o0 + j] = $e;
            }
        }};
    }
    match s.fun {
        Fun::Not => {
            for (j, &i) in ix(0).iter().enumerate() {
                buf[o0 + j] = !buf[p[0] + i as usize];
            }
        }
        Fun::And => two!(|a, b| a & b),
        Fun::Or => two!(|a, b| a | b),
        Fun::Xor => two!(|a, b| a ^ b),
        Fun::Nand => two!(|a, b| !(a & b)),
        Fun::Nor => two!(|a, b| !(a | b)),
        Fun::Xnor => two!(|a, b| !(a ^ b)),
        Fun::HalfAdder => {
            for (j, (&i, &k)) in ix(0).iter().zip(ix(1)).enumerate() {
                let (a, b) = (buf[p[0] + i as usize], buf[p[1] + k as usize]);
                buf[o0 + j] = a ^ b;
                buf[o1 + j] = a & b;
            }
        }
        Fun::Mux | Fun::FullAdder => {
            for (j, ((&i, &k), &l)) in ix(0).iter().zip(ix(1)).zip(ix(2)).enumerate() {
                let (a, b, c) = (
                    buf[p[0] + i as usize],
                    buf[p[1] + k as usize],
                    buf[p[2] + l as usize],
                );
                let (x, y) = s.fun.eval(a, b, c);
                buf[o0 + j] = x;
                if s.fun == Fun::FullAdder {
                    buf[o1 + j] = y;
                }
            }
        }
    }
}
