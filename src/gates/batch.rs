//! The integer batch and streaming API: operands in, results out, bit-slicing in between.
//!
//! Operand `v` of a run goes to lane `v % 64` of word `v / 64` (see the layout in
//! [`sim`](super::sim)); 64 operands at a time are turned into 64 bit-slices by a 64×64 bit
//! transpose (6 passes of shifts and masks), not bit by bit.

use bitvec::prelude::{BitSlice, BitVec, Lsb0};

use super::netlist::Netlist;
use super::sim::Simulator;
use crate::{Error, Result};

/// Ports of at most this many bits (per 64-bit half) are gathered bit by bit instead of
/// transposed.
const NARROW: usize = 4;

/// Transposes a 64×64 bit matrix in place: afterwards bit `j` of `m[i]` is what bit `i` of
/// `m[j]` was.
pub fn transpose64(m: &mut [u64; 64]) {
    let mut j = 32;
    let mut mask: u64 = 0x0000_0000_FFFF_FFFF;
    while j != 0 {
        let mut k = 0;
        while k < 64 {
            let t = ((m[k] >> j) ^ m[k + j]) & mask;
            m[k + j] ^= t;
            m[k] ^= t << j;
            k = ((k | j) + 1) & !j;
        }
        j >>= 1;
        mask ^= mask << j;
    }
}

/// An operand type for the integer API (`u64` or `u128`).
pub trait Operand: Copy + Default + std::fmt::Debug {
    /// Bits 0..64.
    fn lo(self) -> u64;
    /// Bits 64..128.
    fn hi(self) -> u64;
    /// Number of significant bits (position of the highest set bit + 1).
    fn bit_len(self) -> u32;
}

impl Operand for u64 {
    #[inline]
    fn lo(self) -> u64 {
        self
    }
    #[inline]
    fn hi(self) -> u64 {
        0
    }
    #[inline]
    fn bit_len(self) -> u32 {
        64 - self.leading_zeros()
    }
}

impl Operand for u128 {
    #[inline]
    fn lo(self) -> u64 {
        self as u64
    }
    #[inline]
    fn hi(self) -> u64 {
        (self >> 64) as u64
    }
    #[inline]
    fn bit_len(self) -> u32 {
        128 - self.leading_zeros()
    }
}

/// Output ports' values from an integer run, one `u128` per vector.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchOutput {
    names: Vec<String>,
    values: Vec<Vec<u128>>,
}

impl BatchOutput {
    /// The values of output port `name`, one per vector, in operand order.
    ///
    /// # Errors
    /// [`Error::UnknownPort`] if there is no such output.
    pub fn get(&self, name: &str) -> Result<&[u128]> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|i| self.values[i].as_slice())
            .ok_or_else(|| Error::UnknownPort { name: name.into() })
    }

    /// Port names, in the netlist's output order.
    #[must_use]
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Number of vectors held.
    #[must_use]
    pub fn len(&self) -> usize {
        self.values.first().map_or(0, Vec::len)
    }

    /// Whether no vector is held.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sets the port names for `net` (keeping buffers when they already match) and reserves
    /// room for `n` more vectors.
    fn prepare(&mut self, net: &Netlist, n: usize) {
        if self.names.len() != net.outputs.len()
            || self
                .names
                .iter()
                .zip(&net.outputs)
                .any(|(a, p)| *a != p.name)
        {
            self.names = net.outputs.iter().map(|p| p.name.clone()).collect();
            self.values = vec![Vec::new(); net.outputs.len()];
        }
        for v in &mut self.values {
            v.clear();
            v.reserve(n);
        }
    }

    /// Drops the values but keeps the buffers. [`Simulator::run`] and
    /// [`Simulator::step_with`] replace the values themselves; this is for a caller that
    /// wants an empty output between runs.
    pub fn clear(&mut self) {
        for v in &mut self.values {
            v.clear();
        }
    }
}

/// Matches the named operand slices to the netlist's input ports, checking names, counts
/// and widths. Returns the slices in port order and the vector count.
pub(crate) fn match_inputs<'a, T: Operand>(
    net: &Netlist,
    inputs: &[(&str, &'a [T])],
) -> Result<(Vec<&'a [T]>, usize)> {
    let mut by_port: Vec<Option<&'a [T]>> = vec![None; net.inputs.len()];
    for &(name, vals) in inputs {
        let i = net.input_index(name)?;
        if by_port[i].is_some() {
            return Err(Error::param(
                "input",
                format!("{name:?}"),
                "the port is given more than once",
            ));
        }
        by_port[i] = Some(vals);
    }
    let mut count = None;
    let mut out = Vec::with_capacity(by_port.len());
    for (p, vals) in net.inputs.iter().zip(by_port) {
        let vals = vals.ok_or_else(|| {
            Error::param(
                "inputs",
                format!("{} ports given", inputs.len()),
                format!("input port {:?} is missing", p.name),
            )
        })?;
        match count {
            None => count = Some((vals.len(), &p.name)),
            Some((n, first)) if n != vals.len() => {
                return Err(Error::param(
                    "operand count",
                    vals.len(),
                    format!(
                        "port {:?} has {} operands but port {first:?} has {n}",
                        p.name,
                        vals.len()
                    ),
                ));
            }
            Some(_) => {}
        }
        let width = p.wires.len() as u32;
        if let Some(v) = vals.iter().find(|v| v.bit_len() > width) {
            let max = if width == 128 {
                u128::MAX
            } else {
                (1u128 << width) - 1
            };
            return Err(Error::OutOfRange {
                value: format!("{}", (u128::from(v.hi()) << 64) | u128::from(v.lo())),
                min: "0".into(),
                max: max.to_string(),
                what: format!("input port {:?} ({width} bits)", p.name),
            });
        }
        out.push(vals);
    }
    Ok((out, count.map_or(0, |c| c.0)))
}

impl Simulator<'_> {
    /// Streams operands through the circuit: every input port gets one slice (by name), all of
    /// the same length; `out` then holds this call's output values (its previous contents are
    /// replaced, as by [`Simulator::step_with`]). Calls can be repeated for a long stream:
    /// buffers are reused and toggle counts (if on) continue across calls.
    /// For exact activity across calls, pass lengths that are multiples of 64.
    ///
    /// # Errors
    /// [`Error::UnknownPort`] for a name that is not an input; [`Error::InvalidParameter`] for
    /// a missing or repeated port or slices of different lengths; [`Error::OutOfRange`] for an
    /// operand wider than its port.
    pub fn run<T: Operand>(
        &mut self,
        inputs: &[(&str, &[T])],
        out: &mut BatchOutput,
    ) -> Result<()> {
        let (vals, n) = match_inputs(self.net, inputs)?;
        out.prepare(self.net, n);
        let per_batch = 64 * self.words;
        let mut base = 0;
        while base < n {
            let count = per_batch.min(n - base);
            self.load_chunk(&vals, base, count);
            self.eval_gates();
            let rem = count % 64;
            let last_mask = if rem == 0 { !0 } else { (1u64 << rem) - 1 };
            self.count_word_toggles(count.div_ceil(64), last_mask);
            self.store_chunk(out, count);
            base += count;
        }
        Ok(())
    }

    /// One clock cycle of a sequential circuit from integers: operand `v` of each input
    /// slice drives machine `v` (lane `v % 64` of word `v / 64`; at most
    /// [`Simulator::lanes`] of them), `out` then holds the outputs of this cycle (before the
    /// clock edge; its previous contents are replaced, as by [`Simulator::run`]), then every
    /// register loads its `D` (as [`Simulator::step`]).
    ///
    /// # Errors
    /// As [`Simulator::run`], and [`Error::Shape`] for more operands than lanes.
    pub fn step_with<T: Operand>(
        &mut self,
        inputs: &[(&str, &[T])],
        out: &mut BatchOutput,
    ) -> Result<()> {
        let (vals, n) = match_inputs(self.net, inputs)?;
        if n > self.lanes() {
            return Err(Error::Shape(format!(
                "{n} operands per port for a simulator of {} lanes",
                self.lanes()
            )));
        }
        out.prepare(self.net, n);
        self.load_chunk(&vals, 0, n);
        self.step_eval();
        self.store_chunk(out, n);
        self.latch();
        Ok(())
    }

    /// Transposes operands `base..base + count` of every input port into the wire words.
    fn load_chunk<T: Operand>(&mut self, vals: &[&[T]], base: usize, count: usize) {
        let net = self.net;
        let w = self.words;
        let mut m = [0u64; 64];
        for (p, vs) in net.inputs.iter().zip(vals) {
            let chunk = &vs[base..base + count];
            for t in 0..count.div_ceil(64) {
                let lanes = &chunk[t * 64..chunk.len().min(t * 64 + 64)];
                for half in 0..2 {
                    let bits = p.wires.len().saturating_sub(64 * half).min(64);
                    if bits == 0 {
                        break;
                    }
                    let part = |v: &T| if half == 0 { v.lo() } else { v.hi() };
                    let wires = &p.wires[64 * half..64 * half + bits];
                    if bits <= NARROW {
                        // a few bits: gathering them directly beats a full transpose
                        for (j, wire) in wires.iter().enumerate() {
                            let word = lanes
                                .iter()
                                .enumerate()
                                .fold(0u64, |m, (l, v)| m | ((part(v) >> j & 1) << l));
                            self.values[wire.index() * w + t] = word;
                        }
                        continue;
                    }
                    m.fill(0);
                    for (slot, v) in m.iter_mut().zip(lanes) {
                        *slot = part(v);
                    }
                    transpose64(&mut m);
                    for (j, wire) in wires.iter().enumerate() {
                        self.values[wire.index() * w + t] = m[j];
                    }
                }
            }
        }
    }

    /// Transposes the first `count` lanes of every output port back to integers, appending.
    fn store_chunk(&self, out: &mut BatchOutput, count: usize) {
        let w = self.words;
        let mut m = [0u64; 64];
        for (p, dst) in self.net.outputs.iter().zip(&mut out.values) {
            let start = dst.len();
            dst.resize(start + count, 0);
            let dst = &mut dst[start..];
            for t in 0..count.div_ceil(64) {
                let lanes = (count - t * 64).min(64);
                for half in 0..2 {
                    let bits = p.wires.len().saturating_sub(64 * half).min(64);
                    if bits == 0 {
                        break;
                    }
                    let wires = &p.wires[64 * half..64 * half + bits];
                    if bits <= NARROW {
                        for (j, wire) in wires.iter().enumerate() {
                            let word = self.values[wire.index() * w + t];
                            let shift = 64 * half + j;
                            for (l, d) in dst[t * 64..t * 64 + lanes].iter_mut().enumerate() {
                                *d |= u128::from(word >> l & 1) << shift;
                            }
                        }
                        continue;
                    }
                    m.fill(0);
                    for (j, wire) in wires.iter().enumerate() {
                        m[j] = self.values[wire.index() * w + t];
                    }
                    transpose64(&mut m);
                    for (d, &x) in dst[t * 64..t * 64 + lanes].iter_mut().zip(&m) {
                        *d |= u128::from(x) << (64 * half);
                    }
                }
            }
        }
    }
}

impl Netlist {
    /// Evaluates the circuit on `u64` operands: one slice per input port (by name), all of the
    /// same length; returns every output port's values. Registers hold their reset values.
    ///
    /// # Errors
    /// As [`Simulator::run`].
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::circuits::adders::ripple_carry_adder;
    ///
    /// let add = ripple_carry_adder(8)?;
    /// let out = add.eval_u64(&[("a", &[200, 7]), ("b", &[100, 8]), ("cin", &[0, 1])])?;
    /// assert_eq!(out.get("sum")?, &[44, 16]);
    /// assert_eq!(out.get("cout")?, &[1, 0]);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn eval_u64(&self, inputs: &[(&str, &[u64])]) -> Result<BatchOutput> {
        self.eval_ints(inputs)
    }

    /// As [`Netlist::eval_u64`] with `u128` operands (ports up to 128 bits).
    ///
    /// # Errors
    /// As [`Simulator::run`].
    pub fn eval_u128(&self, inputs: &[(&str, &[u128])]) -> Result<BatchOutput> {
        self.eval_ints(inputs)
    }

    fn eval_ints<T: Operand>(&self, inputs: &[(&str, &[T])]) -> Result<BatchOutput> {
        let n = inputs.first().map_or(0, |i| i.1.len());
        let words = n.div_ceil(64).clamp(1, 64);
        let mut sim = Simulator::new(self, words)?;
        let mut out = BatchOutput::default();
        sim.run(inputs, &mut out)?;
        Ok(out)
    }

    /// Evaluates one vector given as bits (least significant first, one `BitSlice` per input
    /// port by name) and returns each output port as a `BitVec`, in output order.
    ///
    /// # Errors
    /// [`Error::UnknownPort`], a missing or repeated port ([`Error::InvalidParameter`]) or a
    /// bit slice whose length differs from its port's width ([`Error::Shape`]).
    pub fn eval_bits(
        &self,
        inputs: &[(&str, &BitSlice<u64, Lsb0>)],
    ) -> Result<Vec<(String, BitVec<u64, Lsb0>)>> {
        let mut ints: Vec<(&str, Vec<u128>)> = Vec::with_capacity(inputs.len());
        for &(name, bits) in inputs {
            let p = self.input(name)?;
            if bits.len() != p.width() {
                return Err(Error::Shape(format!(
                    "{} bits given for input port {name:?} of {} bits",
                    bits.len(),
                    p.width()
                )));
            }
            let v = bits.iter_ones().fold(0u128, |acc, i| acc | 1u128 << i);
            ints.push((name, vec![v]));
        }
        let refs: Vec<(&str, &[u128])> = ints.iter().map(|(n, v)| (*n, v.as_slice())).collect();
        let out = self.eval_u128(&refs)?;
        Ok(self
            .outputs
            .iter()
            .zip(out.values)
            .map(|(p, v)| {
                let mut bits = BitVec::<u64, Lsb0>::repeat(false, p.width());
                for i in 0..p.width() {
                    bits.set(i, v[0] >> i & 1 == 1);
                }
                (p.name.clone(), bits)
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transpose_matches_naive() {
        let mut m = [0u64; 64];
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for r in &mut m {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *r = x;
        }
        let orig = m;
        transpose64(&mut m);
        for (i, row) in m.iter().enumerate() {
            for (j, col) in orig.iter().enumerate() {
                assert_eq!(row >> j & 1, col >> i & 1, "bit ({i},{j})");
            }
        }
    }
}
