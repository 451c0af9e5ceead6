//! [`Logic`] on the netlist builder: the generators' gates become netlist gates and cells,
//! and the final carry-propagate adder is one of the crate's adders.

use super::logic::{Bit, Logic};
use crate::Result;
use crate::circuits::adders::{AdderKind, build_adder};
use crate::gates::{Builder, Wire};

/// A builder plus the adder architecture used for carry-propagate additions.
pub(crate) struct NetLogic<'b> {
    pub(crate) b: &'b mut Builder,
    pub(crate) adder: AdderKind,
    /// First error from an adder (widths are checked up front, so this stays `None`).
    pub(crate) error: Option<crate::Error>,
}

impl<'b> NetLogic<'b> {
    pub(crate) fn new(b: &'b mut Builder, adder: AdderKind) -> Self {
        NetLogic {
            b,
            adder,
            error: None,
        }
    }

    /// Wires for a bus of bits (constants become the builder's constant wires).
    pub(crate) fn wires(&mut self, bits: &[Bit<Wire>]) -> Vec<Wire> {
        bits.iter().map(|&x| x.wire(self)).collect()
    }

    /// Returns the first error seen.
    pub(crate) fn finish(self) -> Result<()> {
        self.error.map_or(Ok(()), Err)
    }
}

/// Bits for a bus of wires.
pub(crate) fn bits(ws: &[Wire]) -> Vec<Bit<Wire>> {
    ws.iter().map(|&w| Bit::Wire(w)).collect()
}

impl Logic for NetLogic<'_> {
    type W = Wire;
    fn and(&mut self, a: Wire, b: Wire) -> Wire {
        self.b.and(a, b)
    }
    fn or(&mut self, a: Wire, b: Wire) -> Wire {
        self.b.or(a, b)
    }
    fn xor(&mut self, a: Wire, b: Wire) -> Wire {
        self.b.xor(a, b)
    }
    fn not(&mut self, a: Wire) -> Wire {
        self.b.not(a)
    }
    fn nand(&mut self, a: Wire, b: Wire) -> Wire {
        self.b.nand(a, b)
    }
    fn xnor(&mut self, a: Wire, b: Wire) -> Wire {
        self.b.xnor(a, b)
    }
    fn mux(&mut self, s: Wire, a: Wire, b: Wire) -> Wire {
        self.b.mux(s, b, a)
    }
    fn half_adder(&mut self, a: Wire, b: Wire) -> (Wire, Wire) {
        self.b.half_adder(a, b)
    }
    fn full_adder(&mut self, a: Wire, b: Wire, c: Wire) -> (Wire, Wire) {
        self.b.full_adder(a, b, c)
    }
    fn constant(&mut self, value: bool) -> Wire {
        self.b.constant(value)
    }
    /// The chosen adder over all but the top bit when no carry out is wanted (the top bit is
    /// then `a ^ b ^ carry`, so no carry beyond the product is built).
    fn carry_propagate(
        &mut self,
        a: &[Bit<Wire>],
        b: &[Bit<Wire>],
        carry_out: bool,
    ) -> Vec<Bit<Wire>> {
        let n = a.len();
        let (x, y) = (self.wires(a), self.wires(b));
        let body = if carry_out { n } else { n - 1 };
        let zero = self.b.zero();
        let mut out: Vec<Bit<Wire>> = Vec::with_capacity(n + 1);
        let mut carry = zero;
        if body > 0 {
            match build_adder(self.b, self.adder, &x[..body], &y[..body], zero) {
                Ok((s, c)) => {
                    out.extend(s.into_iter().map(Bit::Wire));
                    carry = c;
                }
                Err(e) => {
                    self.error.get_or_insert(e);
                    out.extend((0..body).map(|_| Bit::Zero));
                }
            }
        }
        if carry_out {
            out.push(Bit::Wire(carry));
        } else {
            let t = self.b.xor(x[n - 1], y[n - 1]);
            out.push(Bit::Wire(self.b.xor(t, carry)));
        }
        out
    }
}
