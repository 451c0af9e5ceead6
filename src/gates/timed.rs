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
use super::timed_program::{self, Fun};
use crate::{Error, Result};

/// A compiled cell: where its pins' and outputs' slots start in the waveform buffer.
#[derive(Clone, Copy, Debug)]
struct Slot {
    fun: Fun,
    /// Buffer index of the slot each pin is read at for the first output unit.
    pin: [u32; 3],
    /// Buffer index of each output's first window slot.
    out: [u32; 2],
    /// Output units computed: the output window's length.
    units: u32,
    /// The output wires (the second only for two-output cells).
    wires: [u32; 2],
}

/// Where a wire's waveform lives: `span` slots from `off`, slot `i` holding its value at
/// unit `rlo + i`; its window starts at slot `head` (slot `head − 1` holds the value before
/// the step) and is `units` long; the slots before and after are filled with the old and new
/// values so that readers never clamp.
#[derive(Clone, Copy, Debug, Default)]
struct Wave {
    off: u32,
    span: u32,
    head: u32,
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
        // the units each wire must hold: its own window and the value before it, and every
        // unit a reader reads it at
        let mut range: Vec<Option<(i64, i64)>> = program
            .window
            .iter()
            .map(|w| w.map(|(lo, hi)| (i64::from(lo) - 1, i64::from(hi))))
            .collect();
        for c in &program.cells {
            let Some((lo, hi)) = program.window[c.outs[0] as usize] else {
                continue;
            };
            let d = i64::from(c.delay);
            for &p in &c.ins[..c.fun.arity()] {
                let r = &mut range[p as usize];
                let (a, b) = (i64::from(lo) - d, i64::from(hi) - d);
                *r = Some(r.map_or((a, b), |(x, y)| (x.min(a), y.max(b))));
            }
        }
        let mut waves = vec![Wave::default(); n];
        let mut rlo = vec![0i64; n];
        let mut total = 0usize;
        for w in 0..n {
            let (lo, hi) = range[w].unwrap_or((0, 0));
            rlo[w] = lo;
            let span = (hi - lo + 1) as usize;
            let (head, units) = program.window[w].map_or((0, 0), |(wlo, whi)| {
                ((i64::from(wlo) - lo) as u32, whi - wlo + 1)
            });
            waves[w] = Wave {
                off: u32::try_from(total).map_err(|_| too_big(total))?,
                span: span as u32,
                head,
                units,
            };
            total += span;
        }
        if total > u32::MAX as usize {
            return Err(too_big(total));
        }
        let mut buf = vec![0u64; total];
        let one = waves[1];
        buf[one.off as usize..(one.off + one.span) as usize].fill(!0);
        let mut slots = Vec::with_capacity(program.cells.len());
        for c in &program.cells {
            let o = waves[c.outs[0] as usize];
            let mut pin = [0u32; 3];
            let mut vals = [0u64; 3];
            for k in 0..c.fun.arity() {
                let p = c.ins[k] as usize;
                let w = waves[p];
                vals[k] = buf[w.off as usize];
                if o.units > 0 {
                    let (lo, _) = program.window[c.outs[0] as usize].unwrap_or((0, 0));
                    // unit lo of the output reads the pin at lo - d
                    let first = i64::from(lo) - i64::from(c.delay) - rlo[p];
                    pin[k] = w.off + first as u32;
                }
            }
            let outs = &c.outs[..c.fun.outputs()];
            if o.units == 0 {
                // fed by constants only: computed once, never changes
                let (x, y) = c.fun.eval(vals[0], vals[1], vals[2]);
                for (&w, v) in outs.iter().zip([x, y]) {
                    let w = waves[w as usize];
                    buf[w.off as usize..(w.off + w.span) as usize].fill(v);
                }
                continue;
            }
            let out1 = waves[c.outs[1] as usize];
            slots.push(Slot {
                fun: c.fun,
                pin,
                out: [o.off + o.head, out1.off + out1.head],
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
            settle: program.settle_time(),
            slots,
            waves,
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
        // One pass per wire while its waveform is in cache: slots before the window <- the
        // previous settled value, the window, slots after it <- the new settled value, then
        // the transitions over the window.
        let mut finish = |buf: &mut [u64], w: u32| {
            let x = waves[w as usize];
            let end = (x.off + x.head + x.units) as usize;
            let v = buf[end - 1];
            buf[end..(x.off + x.span) as usize].fill(v);
            if count {
                let v = &buf[(x.off + x.head - 1) as usize..end];
                toggles[w as usize] += v
                    .windows(2)
                    .map(|p| u64::from((p[0] ^ p[1]).count_ones()))
                    .sum::<u64>();
                functional[w as usize] += u64::from((v[0] ^ v[v.len() - 1]).count_ones());
            }
        };
        let start = |buf: &mut [u64], w: u32| {
            let x = waves[w as usize];
            let o = x.off as usize;
            let old = buf[o + x.span as usize - 1];
            buf[o..o + x.head as usize].fill(old);
        };
        for (&w, &v) in self.inputs.iter().zip(words) {
            start(buf, w);
            let x = waves[w as usize];
            buf[(x.off + x.head) as usize] = v;
            finish(buf, w);
        }
        for (&(q, _), &v) in self.regs.iter().zip(&self.state) {
            start(buf, q);
            let x = waves[q as usize];
            buf[(x.off + x.head) as usize] = v;
            finish(buf, q);
        }
        for s in &self.slots {
            let outs = &s.wires[..s.fun.outputs()];
            for &w in outs {
                start(buf, w);
            }
            run_slot(buf, s);
            for &w in outs {
                finish(buf, w);
            }
        }
        if count {
            self.transitions += 64;
        }
        for (k, &(_, d)) in self.regs.iter().enumerate() {
            let x = waves[d as usize];
            self.state[k] = buf[(x.off + x.span - 1) as usize];
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
        Ok(self.buf[(x.off + x.span - 1) as usize])
    }
}

fn too_big(total: usize) -> Error {
    Error::param(
        "waveform size",
        total,
        "words: the circuit's switching windows are too long to store",
    )
}

/// Computes the output window of one cell: unit `j` reads each pin at slot `pin + j`.
#[inline]
fn run_slot(buf: &mut [u64], s: &Slot) {
    let n = s.units as usize;
    let split = s.out[0].min(s.out[1]) as usize;
    let split = if s.fun.outputs() == 2 {
        split
    } else {
        s.out[0] as usize
    };
    let (src, dst) = buf.split_at_mut(split);
    let pin = |k: usize| &src[s.pin[k] as usize..s.pin[k] as usize + n];
    let o0 = s.out[0] as usize - split;
    macro_rules! two {
        (|$a:ident, $b:ident| $e:expr) => {{
            let y = &mut dst[o0..o0 + n];
            for ((y, $a), $b) in y.iter_mut().zip(pin(0)).zip(pin(1)) {
                *y = $e;
            }
        }};
    }
    match s.fun {
        Fun::Not => {
            let y = &mut dst[o0..o0 + n];
            for (y, a) in y.iter_mut().zip(pin(0)) {
                *y = !a;
            }
        }
        Fun::And => two!(|a, b| a & b),
        Fun::Or => two!(|a, b| a | b),
        Fun::Xor => two!(|a, b| a ^ b),
        Fun::Nand => two!(|a, b| !(a & b)),
        Fun::Nor => two!(|a, b| !(a | b)),
        Fun::Xnor => two!(|a, b| !(a ^ b)),
        Fun::Mux => {
            let y = &mut dst[o0..o0 + n];
            for (((y, a), b), c) in y.iter_mut().zip(pin(0)).zip(pin(1)).zip(pin(2)) {
                *y = (a & !c) | (b & c);
            }
        }
        Fun::HalfAdder | Fun::FullAdder => {
            let o1 = s.out[1] as usize - split;
            // the two outputs' windows are disjoint and both follow `split`
            let (lo, hi) = dst.split_at_mut(o0.max(o1));
            let (y0, y1) = if o0 < o1 {
                (&mut lo[o0..o0 + n], &mut hi[..n])
            } else {
                (&mut hi[..n], &mut lo[o1..o1 + n])
            };
            if s.fun == Fun::HalfAdder {
                for (((s0, c0), a), b) in y0.iter_mut().zip(y1.iter_mut()).zip(pin(0)).zip(pin(1)) {
                    *s0 = a ^ b;
                    *c0 = a & b;
                }
            } else {
                for ((((s0, c0), a), b), c) in y0
                    .iter_mut()
                    .zip(y1.iter_mut())
                    .zip(pin(0))
                    .zip(pin(1))
                    .zip(pin(2))
                {
                    let p = a ^ b;
                    *s0 = p ^ c;
                    *c0 = (a & b) | (c & p);
                }
            }
        }
    }
}
