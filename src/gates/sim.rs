//! The bit-parallel simulator.
//!
//! # Layout
//!
//! Every wire owns `words` consecutive `u64`s: `values[wire * words ..][..words]`. Bit `l` of
//! word `t` is the wire's value in *lane* `l` at *word* `t`, so one batch evaluates
//! `64 * words` input vectors, and a gate is one bitwise operation per word (no per-bit work,
//! no allocation in the loop).
//!
//! # Switching activity
//!
//! For [`Simulator::eval`], the 64 bits of a word are 64 independent operand streams and
//! consecutive words are consecutive time steps (continuing across batches), so a wire's
//! toggles over a batch are `sum_t (word[t-1] ^ word[t]).count_ones()`. Comparing bit `v` with
//! bit `v + 1` of one word would pair unrelated vectors. The integer API follows the same
//! layout: operand `v` of a run is lane `v % 64` at time step `v / 64`.
//!
//! For [`Simulator::step`] (sequential circuits) every lane of every word is an independent
//! copy of the machine and time advances by one clock per step, so toggles compare each word
//! with the same word one step earlier.

use bitvec::prelude::{BitSlice, Lsb0};

use super::netlist::{Netlist, Op, Wire};
use super::program::{self, Instr};
use crate::{Error, Result};

/// Largest number of words per wire per batch.
pub const MAX_WORDS: usize = crate::limits::SIM_MAX_WORDS;

/// Toggle counts gathered by a [`Simulator`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Activity {
    /// Toggles per wire (indexed by wire index).
    pub toggles: Vec<u64>,
    /// Number of (lane, time step) transitions observed: the denominator for mean toggles
    /// per operation.
    pub transitions: u64,
}

impl Activity {
    /// Total toggles over all wires.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.toggles.iter().sum()
    }

    /// Mean toggles per transition over all wires (0 when nothing was observed).
    #[must_use]
    pub fn mean_per_transition(&self) -> f64 {
        if self.transitions == 0 {
            0.0
        } else {
            self.total() as f64 / self.transitions as f64
        }
    }

    /// Toggles per operation of every wire (index = wire id): the per-net activity that
    /// [`PowerActivity::PerWire`](crate::gates::PowerActivity::PerWire) takes (all 0 when
    /// nothing was observed).
    ///
    /// ```
    /// use arithsim::gates::Activity;
    /// let a = Activity { toggles: vec![0, 3, 8], transitions: 4 };
    /// assert_eq!(a.per_operation(), vec![0.0, 0.75, 2.0]);
    /// ```
    #[must_use]
    pub fn per_operation(&self) -> Vec<f64> {
        let t = self.transitions.max(1) as f64;
        self.toggles.iter().map(|&x| x as f64 / t).collect()
    }

    /// Output toggles of each library-cell instance (see [`Netlist::instances`]): the sum
    /// over the instance's output wires, for energy = toggles × (internal energy + ½·C·V²).
    #[must_use]
    pub fn instance_toggles(&self, instances: &[super::timing::Instance]) -> Vec<u64> {
        instances
            .iter()
            .map(|x| x.outputs.iter().map(|&o| self.toggles[o as usize]).sum())
            .collect()
    }

    /// Toggles of each recorded cell of `net` (the sum over the cell's output wires),
    /// in the order of [`Netlist::cells`].
    #[must_use]
    pub fn cell_toggles(&self, net: &Netlist) -> Vec<u64> {
        net.cells()
            .iter()
            .map(|c| c.outputs.iter().map(|&o| self.toggles[o as usize]).sum())
            .collect()
    }
}

/// Evaluates a [`Netlist`] on `64 * words` vectors at a time.
///
/// # Examples
///
/// Bit-sliced use: write input words, evaluate, read output words.
///
/// ```
/// use arithsim::circuits::adders::ripple_carry_adder;
/// use arithsim::gates::Simulator;
///
/// let net = ripple_carry_adder(4)?;
/// let mut sim = Simulator::new(&net, 1)?;
/// let a = net.input("a")?.wires().to_vec();
/// let b = net.input("b")?.wires().to_vec();
/// // lane 0: 3 + 5; lane 1: 15 + 1
/// let (x, y) = ([3u64, 15], [5u64, 1]);
/// for i in 0..4 {
///     sim.set_input_words(a[i], &[(x[0] >> i & 1) | (x[1] >> i & 1) << 1])?;
///     sim.set_input_words(b[i], &[(y[0] >> i & 1) | (y[1] >> i & 1) << 1])?;
/// }
/// sim.eval();
/// let s = net.output("sum")?.wires().to_vec();
/// let lane = |l: u32| (0..4).map(|i| (sim.wire_words(s[i]).unwrap()[0] >> l & 1) << i).sum::<u64>();
/// assert_eq!((lane(0), lane(1)), (8, 0));
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Simulator<'n> {
    pub(crate) net: &'n Netlist,
    pub(crate) words: usize,
    pub(crate) values: Vec<u64>,
    state: Vec<u64>,
    activity: Option<Activity>,
    prev_last: Vec<u64>,
    has_prev: bool,
    prev_step: Vec<u64>,
    steps: u64,
    fused: bool,
    full: Vec<Instr>,
    fast: Vec<Instr>,
    fast_computed: Vec<bool>,
}

impl<'n> Simulator<'n> {
    /// A simulator for `net` with `words` words (64 vectors each) per wire per batch.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `1 <= words <= 65536`.
    pub fn new(net: &'n Netlist, words: usize) -> Result<Self> {
        if !(1..=MAX_WORDS).contains(&words) {
            return Err(Error::param(
                "words per batch",
                words,
                format!("must be in 1..={MAX_WORDS}"),
            ));
        }
        let n = net.nodes.len();
        let mut values = vec![0u64; n * words];
        values[words..2 * words].fill(!0);
        let mut sim = Simulator {
            net,
            words,
            values,
            state: vec![0; net.registers.len() * words],
            activity: None,
            prev_last: Vec::new(),
            has_prev: false,
            prev_step: Vec::new(),
            steps: 0,
            fused: true,
            full: program::compile(net, false).0,
            fast: Vec::new(),
            fast_computed: Vec::new(),
        };
        (sim.fast, sim.fast_computed) = program::compile(net, true);
        sim.reset();
        Ok(sim)
    }

    /// Words per wire per batch.
    #[must_use]
    pub fn words(&self) -> usize {
        self.words
    }

    /// Vectors per batch (`64 * words`).
    #[must_use]
    pub fn lanes(&self) -> usize {
        64 * self.words
    }

    /// The netlist being simulated.
    #[must_use]
    pub fn netlist(&self) -> &'n Netlist {
        self.net
    }

    /// Chooses whether recorded half adders, full adders and prefix cells are evaluated as
    /// fused operations (on by default; it is used only while toggle counting is off). Fused cells'
    /// internal wires are not computed, so [`Simulator::wire_words`] refuses them; turn
    /// fusion off to read them.
    pub fn set_fused(&mut self, on: bool) {
        self.fused = on;
    }

    /// Whether wire `i` is computed by the program in use.
    fn computed(&self, i: usize) -> bool {
        !self.uses_fused() || self.fast_computed[i]
    }

    fn uses_fused(&self) -> bool {
        self.fused && self.activity.is_none()
    }

    /// Turns toggle counting on (clearing the counts) or off. Off by default; when off the
    /// simulator does no activity work at all.
    pub fn set_activity(&mut self, on: bool) {
        self.has_prev = false;
        if on {
            let n = self.net.nodes.len();
            self.activity = Some(Activity {
                toggles: vec![0; n],
                transitions: 0,
            });
            self.prev_last = vec![0; n];
        } else {
            self.activity = None;
        }
        self.prev_step.clear();
    }

    /// The toggle counts so far (`None` when counting is off).
    #[must_use]
    pub fn activity(&self) -> Option<&Activity> {
        self.activity.as_ref()
    }

    /// Puts every register back to its reset value and restarts the step count.
    pub fn reset(&mut self) {
        let w = self.words;
        for (k, r) in self.net.registers.iter().enumerate() {
            self.state[k * w..(k + 1) * w].fill(if r.init { !0 } else { 0 });
        }
        self.steps = 0;
        self.prev_step.clear();
    }

    /// Clocked steps taken since the last reset.
    #[must_use]
    pub fn steps(&self) -> u64 {
        self.steps
    }

    fn check_input(&self, w: Wire) -> Result<usize> {
        let w = self.net.check_wire(w)?;
        if self.net.nodes[w.index()].op != Op::Input {
            return Err(Error::param(
                "wire",
                w.index(),
                "only primary input wires can be set",
            ));
        }
        Ok(w.index())
    }

    /// The words of input wire `w`, to fill in place (bit-sliced input).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if `w` is from another netlist or not a primary input.
    pub fn input_words_mut(&mut self, w: Wire) -> Result<&mut [u64]> {
        let i = self.check_input(w)?;
        Ok(&mut self.values[i * self.words..(i + 1) * self.words])
    }

    /// Copies `words` (exactly [`Simulator::words`] of them) into input wire `w`.
    ///
    /// # Errors
    /// As [`Simulator::input_words_mut`], and [`Error::Shape`] for a wrong slice length.
    pub fn set_input_words(&mut self, w: Wire, words: &[u64]) -> Result<()> {
        if words.len() != self.words {
            return Err(Error::Shape(format!(
                "{} words given for a wire of {} words",
                words.len(),
                self.words
            )));
        }
        self.input_words_mut(w)?.copy_from_slice(words);
        Ok(())
    }

    /// The current words of any wire.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if `w` is from another netlist; [`Error::Unsupported`] for
    /// a wire inside a fused cell (see [`Simulator::set_fused`]).
    pub fn wire_words(&self, w: Wire) -> Result<&[u64]> {
        let i = self.net.check_wire(w)?.index();
        if !self.computed(i) {
            return Err(Error::Unsupported(format!(
                "wire {i} is inside a fused cell and is not computed; call set_fused(false) to read it"
            )));
        }
        Ok(&self.values[i * self.words..(i + 1) * self.words])
    }

    /// The current value of a wire in every lane, as bits (bit `64 * t + l` is lane `l` of
    /// word `t`).
    ///
    /// # Errors
    /// As [`Simulator::wire_words`].
    pub fn wire_bits(&self, w: Wire) -> Result<&BitSlice<u64, Lsb0>> {
        Ok(BitSlice::from_slice(self.wire_words(w)?))
    }

    /// Evaluates every gate on the current inputs (one batch). With activity on, words are
    /// time steps (see the module docs).
    pub fn eval(&mut self) {
        self.eval_gates();
        if self.activity.is_some() {
            self.count_word_toggles(self.words, !0);
        }
    }

    /// Evaluates without touching the activity counts (register outputs still come from the
    /// current state).
    pub(crate) fn eval_gates(&mut self) {
        let w = self.words;
        for (k, r) in self.net.registers.iter().enumerate() {
            let q = r.q.index();
            self.values[q * w..(q + 1) * w].copy_from_slice(&self.state[k * w..(k + 1) * w]);
        }
        let prog = if self.uses_fused() {
            &self.fast
        } else {
            &self.full
        };
        program::run(prog, &mut self.values, w);
    }

    /// Adds the toggles of the first `n_words` words (the last one masked by `last_mask`,
    /// for a partly filled batch) to the activity counts.
    pub(crate) fn count_word_toggles(&mut self, n_words: usize, last_mask: u64) {
        let Some(act) = self.activity.as_mut() else {
            return;
        };
        if n_words == 0 {
            return;
        }
        let w = self.words;
        let has_prev = self.has_prev;
        for (i, t) in act.toggles.iter_mut().enumerate() {
            let v = &self.values[i * w..i * w + n_words];
            let mut sum = 0u64;
            let mut prev = self.prev_last[i];
            let mut first = !has_prev;
            for (k, &x) in v.iter().enumerate() {
                let m = if k + 1 == n_words { last_mask } else { !0 };
                if !first {
                    sum += u64::from(((prev ^ x) & m).count_ones());
                }
                first = false;
                prev = x;
            }
            *t += sum;
            self.prev_last[i] = prev;
        }
        let pairs_full = n_words as u64 - 1 + u64::from(has_prev);
        let full = if n_words >= 2 || has_prev {
            // every counted pair is full except the last, which is masked
            (pairs_full - 1) * 64 + u64::from(last_mask.count_ones())
        } else {
            0
        };
        act.transitions += full;
        self.has_prev = true;
    }

    /// One clock cycle of a sequential circuit: evaluates the gates with the registers'
    /// current state, then loads every register from its `D` input. With activity on, each
    /// wire's toggles compare this step with the previous one, word by word.
    pub fn step(&mut self) {
        self.step_eval();
        self.latch();
    }

    /// The evaluation half of a clock cycle: gates with the current register state, and
    /// step-to-step toggles when activity is on.
    pub(crate) fn step_eval(&mut self) {
        self.eval_gates();
        if let Some(act) = self.activity.as_mut() {
            if self.prev_step.len() == self.values.len() {
                for (i, t) in act.toggles.iter_mut().enumerate() {
                    let r = i * self.words..(i + 1) * self.words;
                    *t += self.values[r.clone()]
                        .iter()
                        .zip(&self.prev_step[r])
                        .map(|(a, b)| u64::from((a ^ b).count_ones()))
                        .sum::<u64>();
                }
                act.transitions += 64 * self.words as u64;
            }
            self.prev_step.clone_from(&self.values);
        }
    }

    /// The clock edge: every register loads its `D`.
    pub(crate) fn latch(&mut self) {
        let w = self.words;
        for (k, r) in self.net.registers.iter().enumerate() {
            let d = r.d.index();
            self.state[k * w..(k + 1) * w].copy_from_slice(&self.values[d * w..(d + 1) * w]);
        }
        self.steps += 1;
    }
}
