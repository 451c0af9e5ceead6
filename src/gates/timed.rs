//! The timed (glitch-aware) simulator: transport delays in integer units, bit-parallel over
//! 64 operand streams per word, time-stepped over each wire's switching window.
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
//! Time-stepped, not event-queued: a wire stores one word per unit of its window only, and a
//! cell computes one word operation per unit of its output window. Wires inside a cell timed
//! as one cell get no waveform (0 transitions); they carry no load in the energy model.

use super::batch::{Operand, match_inputs, transpose64};
use super::netlist::{Netlist, Op};
use super::sim::Activity;
use super::timed_delays::TimedDelays;
use super::timed_program::{self, Fun, TimedProgram};
use crate::{Error, Result};

/// A compiled cell with its pins' positions in the waveform buffer.
#[derive(Clone, Copy, Debug)]
struct Slot {
    fun: Fun,
    /// Buffer offset, slot count and the first slot index read (before clamping) of each pin.
    pin_off: [u32; 3],
    pin_last: [u32; 3],
    pin_start: [i32; 3],
    out_off: [u32; 2],
    /// Units computed: the output window's length.
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
    program: TimedProgram,
    slots: Vec<Slot>,
    /// Per wire: buffer offset and slot count (slot 0: the settled value before the step).
    off: Vec<u32>,
    len: Vec<u32>,
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
    /// [`Error::InvalidParameter`] for a delay path too long to simulate (over 10⁹ units).
    pub fn new(net: &'n Netlist, delays: &TimedDelays) -> Result<Self> {
        let program = timed_program::compile(net, delays)?;
        let n = net.wire_count();
        let mut off = vec![0u32; n];
        let mut len = vec![1u32; n];
        let mut total = 0usize;
        for w in 0..n {
            off[w] = u32::try_from(total).map_err(|_| too_big(total))?;
            if let Some((lo, hi)) = program.window[w] {
                len[w] = hi - lo + 2;
            }
            total += len[w] as usize;
        }
        if total > u32::MAX as usize {
            return Err(too_big(total));
        }
        let mut buf = vec![0u64; total];
        buf[off[1] as usize] = !0;
        let lo = |w: u32| program.window[w as usize].map_or(0, |x| x.0);
        let slots = program
            .cells
            .iter()
            .map(|c| {
                let out_lo = lo(c.outs[0]);
                let units = len[c.outs[0] as usize] - 1;
                let mut s = Slot {
                    fun: c.fun,
                    pin_off: [0; 3],
                    pin_last: [0; 3],
                    pin_start: [0; 3],
                    out_off: [off[c.outs[0] as usize], off[c.outs[1] as usize]],
                    units,
                };
                for k in 0..c.fun.arity() {
                    let x = c.ins[k];
                    s.pin_off[k] = off[x as usize];
                    s.pin_last[k] = len[x as usize] - 1;
                    // unit out_lo reads the pin at out_lo - d, which is slot (that - lo + 1)
                    s.pin_start[k] = (out_lo as i64 - c.delay as i64 - lo(x) as i64 + 1) as i32;
                }
                s
            })
            .collect();
        let inputs = net
            .inputs()
            .iter()
            .flat_map(|p| p.wires().iter().map(|w| w.id))
            .collect();
        let regs = net.registers().iter().map(|r| (r.q.id, r.d.id)).collect();
        let mut sim = TimedSimulator {
            net,
            program,
            slots,
            off,
            len,
            buf,
            inputs,
            regs,
            state: Vec::new(),
            toggles: vec![0; n],
            functional: vec![0; n],
            transitions: 0,
            settled: false,
        };
        // cells fed by constants only never change: their value is computed once
        for s in &sim.slots {
            if s.units == 0 {
                let v = |k: usize| sim.buf[s.pin_off[k] as usize];
                let (x, y) = s.fun.eval(v(0), v(1), v(2));
                sim.buf[s.out_off[0] as usize] = x;
                if s.fun.outputs() == 2 {
                    sim.buf[s.out_off[1] as usize] = y;
                }
            }
        }
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
        self.program.settle_time()
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
        // slot 0 <- the settled value of the previous step
        for (&o, &l) in self.off.iter().zip(&self.len) {
            if l > 1 {
                buf[o as usize] = buf[(o + l - 1) as usize];
            }
        }
        for (&w, &x) in self.inputs.iter().zip(words) {
            buf[self.off[w as usize] as usize + 1] = x;
        }
        for (&(q, _), &s) in self.regs.iter().zip(&self.state) {
            buf[self.off[q as usize] as usize + 1] = s;
        }
        for s in &self.slots {
            run_slot(buf, s);
        }
        if self.settled {
            for w in 0..self.off.len() {
                let l = self.len[w] as usize;
                if l < 2 {
                    continue;
                }
                let o = self.off[w] as usize;
                let v = &buf[o..o + l];
                self.toggles[w] += v
                    .windows(2)
                    .map(|p| u64::from((p[0] ^ p[1]).count_ones()))
                    .sum::<u64>();
                self.functional[w] += u64::from((v[0] ^ v[l - 1]).count_ones());
            }
            self.transitions += 64;
        }
        for (k, &(_, d)) in self.regs.iter().enumerate() {
            self.state[k] = buf[(self.off[d as usize] + self.len[d as usize] - 1) as usize];
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
        if self.len[i] < 2 && !matches!(op, Op::Const0 | Op::Const1) {
            return Err(Error::Unsupported(format!(
                "wire {i} is inside a cell timed as one cell and has no waveform"
            )));
        }
        Ok(self.buf[(self.off[i] + self.len[i] - 1) as usize])
    }
}

fn too_big(total: usize) -> Error {
    Error::param(
        "waveform size",
        total,
        "words: the circuit's switching windows are too long to store",
    )
}

/// Computes the output window of one cell: unit `j` reads each pin at slot
/// `clamp(start + j, 0, last)` (before its window: the old value; after: the new one).
#[inline]
fn run_slot(buf: &mut [u64], s: &Slot) {
    let at = |buf: &[u64], k: usize, j: i32| -> u64 {
        let i = (s.pin_start[k] + j).clamp(0, s.pin_last[k] as i32) as u32;
        buf[(s.pin_off[k] + i) as usize]
    };
    let (o0, o1) = (s.out_off[0] as usize + 1, s.out_off[1] as usize + 1);
    let n = s.units as i32;
    macro_rules! one {
        ($f:expr) => {{
            for j in 0..n {
                let v = $f(&*buf, j);
                buf[o0 + j as usize] = v;
            }
        }};
    }
    match s.fun {
        Fun::Not => one!(|b: &[u64], j| !at(b, 0, j)),
        Fun::And => one!(|b: &[u64], j| at(b, 0, j) & at(b, 1, j)),
        Fun::Or => one!(|b: &[u64], j| at(b, 0, j) | at(b, 1, j)),
        Fun::Xor => one!(|b: &[u64], j| at(b, 0, j) ^ at(b, 1, j)),
        Fun::Nand => one!(|b: &[u64], j| !(at(b, 0, j) & at(b, 1, j))),
        Fun::Nor => one!(|b: &[u64], j| !(at(b, 0, j) | at(b, 1, j))),
        Fun::Xnor => one!(|b: &[u64], j| !(at(b, 0, j) ^ at(b, 1, j))),
        Fun::Mux => one!(|b: &[u64], j| {
            let c = at(b, 2, j);
            (at(b, 0, j) & !c) | (at(b, 1, j) & c)
        }),
        Fun::HalfAdder | Fun::FullAdder => {
            for j in 0..n {
                let (a, b, c) = (at(buf, 0, j), at(buf, 1, j), at(buf, 2, j));
                let (x, y) = s.fun.eval(a, b, c);
                buf[o0 + j as usize] = x;
                buf[o1 + j as usize] = y;
            }
        }
    }
}
