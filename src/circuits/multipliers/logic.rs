//! Bits that may be constant, and the gate operations the generators need.
//!
//! The partial-product and reduction code is written once against [`Logic`], so the same code
//! builds the netlist and (in unit tests) evaluates words directly. [`Bit`] folds constants:
//! the constant ones of Baugh-Wooley and of Booth's sign-extension trick cost no counter when
//! they meet one (a full adder with a constant 1 is an XNOR and an OR).

/// A bit of a partial-product matrix: a constant or a signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Bit<W> {
    /// Constant 0.
    Zero,
    /// Constant 1.
    One,
    /// A signal.
    Wire(W),
}

/// The primitive operations a generator emits. `W` is a signal (a netlist wire, or a word of
/// 64 simulated bits in the unit tests).
pub(crate) trait Logic {
    /// A signal.
    type W: Copy;
    /// `a & b`.
    fn and(&mut self, a: Self::W, b: Self::W) -> Self::W;
    /// `a | b`.
    fn or(&mut self, a: Self::W, b: Self::W) -> Self::W;
    /// `a ^ b`.
    fn xor(&mut self, a: Self::W, b: Self::W) -> Self::W;
    /// `!a`.
    fn not(&mut self, a: Self::W) -> Self::W;
    /// `!(a & b)`.
    fn nand(&mut self, a: Self::W, b: Self::W) -> Self::W {
        let x = self.and(a, b);
        self.not(x)
    }
    /// `!(a ^ b)`.
    fn xnor(&mut self, a: Self::W, b: Self::W) -> Self::W {
        let x = self.xor(a, b);
        self.not(x)
    }
    /// `s ? a : b`.
    fn mux(&mut self, s: Self::W, a: Self::W, b: Self::W) -> Self::W {
        let ns = self.not(s);
        let x = self.and(s, a);
        let y = self.and(ns, b);
        self.or(x, y)
    }
    /// Half adder cell: `(a ^ b, a & b)`.
    fn half_adder(&mut self, a: Self::W, b: Self::W) -> (Self::W, Self::W);
    /// Full adder cell: `(a ^ b ^ c, majority(a, b, c))`.
    fn full_adder(&mut self, a: Self::W, b: Self::W, c: Self::W) -> (Self::W, Self::W);
    /// A constant signal (for the few places that need a wire, such as adder operands).
    fn constant(&mut self, value: bool) -> Self::W;
    /// Carry-propagate adder: `a + b` over `a.len() == b.len()` bits; returns the sum bits and,
    /// when `carry_out`, one more bit (the carry out).
    fn carry_propagate(
        &mut self,
        a: &[Bit<Self::W>],
        b: &[Bit<Self::W>],
        carry_out: bool,
    ) -> Vec<Bit<Self::W>>;
}

impl<W: Copy> Bit<W> {
    /// A signal for this bit, materialising constants.
    pub(crate) fn wire<L: Logic<W = W>>(self, l: &mut L) -> W {
        match self {
            Bit::Zero => l.constant(false),
            Bit::One => l.constant(true),
            Bit::Wire(w) => w,
        }
    }
}

/// `!a`, folding constants.
pub(crate) fn not<L: Logic>(l: &mut L, a: Bit<L::W>) -> Bit<L::W> {
    match a {
        Bit::Zero => Bit::One,
        Bit::One => Bit::Zero,
        Bit::Wire(w) => Bit::Wire(l.not(w)),
    }
}

/// `a & b`, folding constants.
pub(crate) fn and<L: Logic>(l: &mut L, a: Bit<L::W>, b: Bit<L::W>) -> Bit<L::W> {
    match (a, b) {
        (Bit::Zero, _) | (_, Bit::Zero) => Bit::Zero,
        (Bit::One, x) | (x, Bit::One) => x,
        (Bit::Wire(x), Bit::Wire(y)) => Bit::Wire(l.and(x, y)),
    }
}

/// `!(a & b)`, folding constants.
pub(crate) fn nand<L: Logic>(l: &mut L, a: Bit<L::W>, b: Bit<L::W>) -> Bit<L::W> {
    match (a, b) {
        (Bit::Wire(x), Bit::Wire(y)) => Bit::Wire(l.nand(x, y)),
        _ => {
            let x = and(l, a, b);
            not(l, x)
        }
    }
}

/// `a | b`, folding constants.
pub(crate) fn or<L: Logic>(l: &mut L, a: Bit<L::W>, b: Bit<L::W>) -> Bit<L::W> {
    match (a, b) {
        (Bit::One, _) | (_, Bit::One) => Bit::One,
        (Bit::Zero, x) | (x, Bit::Zero) => x,
        (Bit::Wire(x), Bit::Wire(y)) => Bit::Wire(l.or(x, y)),
    }
}

/// `a ^ b`, folding constants.
pub(crate) fn xor<L: Logic>(l: &mut L, a: Bit<L::W>, b: Bit<L::W>) -> Bit<L::W> {
    match (a, b) {
        (Bit::Zero, x) | (x, Bit::Zero) => x,
        (Bit::One, x) | (x, Bit::One) => not(l, x),
        (Bit::Wire(x), Bit::Wire(y)) => Bit::Wire(l.xor(x, y)),
    }
}

/// `s ? a : b`, folding constants.
pub(crate) fn mux<L: Logic>(l: &mut L, s: Bit<L::W>, a: Bit<L::W>, b: Bit<L::W>) -> Bit<L::W> {
    match (s, a, b) {
        (Bit::One, a, _) => a,
        (Bit::Zero, _, b) => b,
        (s, Bit::One, Bit::Zero) => s,
        (s, Bit::Zero, Bit::One) => not(l, s),
        (s, Bit::Zero, b) => {
            let ns = not(l, s);
            and(l, ns, b)
        }
        (s, a, Bit::Zero) => and(l, s, a),
        (s, Bit::One, b) => or(l, s, b),
        (s, a, Bit::One) => {
            let ns = not(l, s);
            or(l, ns, a)
        }
        (Bit::Wire(s), Bit::Wire(a), Bit::Wire(b)) => Bit::Wire(l.mux(s, a, b)),
    }
}

/// Half adder `(sum, carry)`, folding constants (a constant input costs no cell).
pub(crate) fn half_adder<L: Logic>(
    l: &mut L,
    a: Bit<L::W>,
    b: Bit<L::W>,
) -> (Bit<L::W>, Bit<L::W>) {
    match (a, b) {
        (Bit::Wire(x), Bit::Wire(y)) => {
            let (s, c) = l.half_adder(x, y);
            (Bit::Wire(s), Bit::Wire(c))
        }
        _ => {
            let s = xor(l, a, b);
            let c = and(l, a, b);
            (s, c)
        }
    }
}

/// Full adder `(sum, carry)`, folding constants: with a constant 0 it is a half adder, with a
/// constant 1 it is `(xnor, or)`.
pub(crate) fn full_adder<L: Logic>(
    l: &mut L,
    a: Bit<L::W>,
    b: Bit<L::W>,
    c: Bit<L::W>,
) -> (Bit<L::W>, Bit<L::W>) {
    match (a, b, c) {
        (Bit::Wire(x), Bit::Wire(y), Bit::Wire(z)) => {
            let (s, c) = l.full_adder(x, y, z);
            (Bit::Wire(s), Bit::Wire(c))
        }
        (Bit::Zero, x, y) | (x, Bit::Zero, y) | (x, y, Bit::Zero) => half_adder(l, x, y),
        (Bit::One, x, y) | (x, Bit::One, y) | (x, y, Bit::One) => {
            let s = match (x, y) {
                (Bit::Wire(p), Bit::Wire(q)) => Bit::Wire(l.xnor(p, q)),
                _ => {
                    let t = xor(l, x, y);
                    not(l, t)
                }
            };
            let c = or(l, x, y);
            (s, c)
        }
    }
}

#[cfg(test)]
pub(crate) mod eval {
    //! A [`Logic`] that evaluates 64 vectors per word, for unit tests of the generators
    //! before (and independently of) the netlist; its adder is a plain ripple.
    use super::*;

    /// Evaluates words and counts the cells it was asked for.
    #[derive(Default)]
    pub(crate) struct Eval {
        pub(crate) full_adders: usize,
        pub(crate) half_adders: usize,
    }

    impl Logic for Eval {
        type W = u64;
        fn and(&mut self, a: u64, b: u64) -> u64 {
            a & b
        }
        fn or(&mut self, a: u64, b: u64) -> u64 {
            a | b
        }
        fn xor(&mut self, a: u64, b: u64) -> u64 {
            a ^ b
        }
        fn not(&mut self, a: u64) -> u64 {
            !a
        }
        fn half_adder(&mut self, a: u64, b: u64) -> (u64, u64) {
            self.half_adders += 1;
            (a ^ b, a & b)
        }
        fn full_adder(&mut self, a: u64, b: u64, c: u64) -> (u64, u64) {
            self.full_adders += 1;
            (a ^ b ^ c, (a & b) | (c & (a ^ b)))
        }
        fn constant(&mut self, value: bool) -> u64 {
            if value { !0 } else { 0 }
        }
        fn carry_propagate(
            &mut self,
            a: &[Bit<u64>],
            b: &[Bit<u64>],
            carry_out: bool,
        ) -> Vec<Bit<u64>> {
            // Ripple; without a carry out the top bit is a sum-only XOR, as in the netlist.
            let n = a.len();
            let body = if carry_out { n } else { n - 1 };
            let mut out = Vec::with_capacity(n + 1);
            let mut carry = Bit::Zero;
            for (&x, &y) in a[..body].iter().zip(&b[..body]) {
                let (s, c) = full_adder(self, x, y, carry);
                out.push(s);
                carry = c;
            }
            if carry_out {
                out.push(carry);
            } else {
                let t = xor(self, a[n - 1], b[n - 1]);
                out.push(xor(self, t, carry));
            }
            out
        }
    }

    /// The value of bit `lane` of a bus.
    pub(crate) fn lane_value(bits: &[Bit<u64>], lane: u32) -> u128 {
        bits.iter().enumerate().fold(0u128, |acc, (k, b)| {
            let v = match b {
                Bit::Zero => 0,
                Bit::One => 1,
                Bit::Wire(w) => (w >> lane) & 1,
            };
            acc | (u128::from(v) << k)
        })
    }

    /// A bus of `width` words whose lane `l` holds `values[l]`.
    pub(crate) fn pack(values: &[u128], width: u32) -> Vec<Bit<u64>> {
        (0..width)
            .map(|k| {
                let w = values
                    .iter()
                    .enumerate()
                    .fold(0u64, |acc, (l, v)| acc | ((((v >> k) & 1) as u64) << l));
                Bit::Wire(w)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::eval::Eval;
    use super::*;

    fn val(b: Bit<u64>) -> u64 {
        match b {
            Bit::Zero => 0,
            Bit::One => !0,
            Bit::Wire(w) => w,
        }
    }

    #[test]
    fn folded_ops_match_truth_tables() {
        // Lane k of the wires x,y,z holds bit pattern k, so 8 lanes cover every input.
        let words = [0b1010_1010u64, 0b1100_1100, 0b1111_0000];
        let mut l = Eval::default();
        let choices = |i: usize| [Bit::Zero, Bit::One, Bit::Wire(words[i])];
        for a in choices(0) {
            for b in choices(1) {
                for c in choices(2) {
                    let (va, vb, vc) = (val(a), val(b), val(c));
                    let (s, cy) = full_adder(&mut l, a, b, c);
                    assert_eq!(val(s) & 0xff, (va ^ vb ^ vc) & 0xff);
                    assert_eq!(val(cy) & 0xff, ((va & vb) | (vc & (va ^ vb))) & 0xff);
                    let (s, cy) = half_adder(&mut l, a, b);
                    assert_eq!(val(s) & 0xff, (va ^ vb) & 0xff);
                    assert_eq!(val(cy) & 0xff, (va & vb) & 0xff);
                    assert_eq!(
                        val(mux(&mut l, a, b, c)) & 0xff,
                        ((va & vb) | (!va & vc)) & 0xff
                    );
                    assert_eq!(val(nand(&mut l, a, b)) & 0xff, !(va & vb) & 0xff);
                    assert_eq!(val(or(&mut l, a, b)) & 0xff, (va | vb) & 0xff);
                }
            }
        }
    }
}
