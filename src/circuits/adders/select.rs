//! Carry-select and conditional-sum adders.

use crate::gates::{Builder, Wire};

fn ripple(b: &mut Builder, x: &[Wire], y: &[Wire], cin: Wire) -> (Vec<Wire>, Wire) {
    super::ripple::build_ripple(b, x, y, cin)
}

/// Carry-select: the first `block` bits ripple from the carry-in; every later block is built
/// twice, for carry-in 0 (bit 0 folds to a half adder) and carry-in 1 (bit 0 folds to XNOR
/// and OR), and the block's real carry-in selects its sums and carry-out through muxes.
pub(super) fn build_carry_select(
    b: &mut Builder,
    x: &[Wire],
    y: &[Wire],
    cin: Wire,
    block: u32,
) -> (Vec<Wire>, Wire) {
    let k = block as usize;
    let (mut s, mut c) = b.with_label("block 0", |b| {
        ripple(b, &x[..k.min(x.len())], &y[..k.min(y.len())], cin)
    });
    for (xs, ys) in x[k.min(x.len())..]
        .chunks(k)
        .zip(y[k.min(y.len())..].chunks(k))
    {
        let (zero, one) = (b.zero(), b.one());
        let (s0, c0) = b.with_label("carry 0", |b| ripple(b, xs, ys, zero));
        let (s1, c1) = b.with_label("carry 1", |b| ripple(b, xs, ys, one));
        b.push_label("select");
        for (&u, &v) in s0.iter().zip(&s1) {
            s.push(b.mux(c, u, v));
        }
        c = b.mux(c, c0, c1);
        b.pop_label();
    }
    (s, c)
}

/// Both versions of a range: (sums, carry) for carry-in 0 and for carry-in 1.
type Both = (Vec<Wire>, Wire, Vec<Wire>, Wire);

/// Conditional sum of a range for both carry-ins: split at half (low half `ceil(n/2)` bits),
/// select the high half's versions with each low-half carry.
fn both(b: &mut Builder, x: &[Wire], y: &[Wire]) -> Both {
    if x.len() == 1 {
        let s0 = b.xor(x[0], y[0]);
        let c0 = b.and(x[0], y[0]);
        let s1 = b.xnor(x[0], y[0]);
        let c1 = b.or(x[0], y[0]);
        return (vec![s0], c0, vec![s1], c1);
    }
    let h = x.len().div_ceil(2);
    let (ls0, lc0, ls1, lc1) = both(b, &x[..h], &y[..h]);
    let (hs0, hc0, hs1, hc1) = both(b, &x[h..], &y[h..]);
    let mut s0 = ls0;
    let mut s1 = ls1;
    for (&u, &v) in hs0.iter().zip(&hs1) {
        s0.push(b.mux(lc0, u, v));
    }
    for (&u, &v) in hs0.iter().zip(&hs1) {
        s1.push(b.mux(lc1, u, v));
    }
    let c0 = b.mux(lc0, hc0, hc1);
    let c1 = b.mux(lc1, hc0, hc1);
    (s0, c0, s1, c1)
}

/// Conditional-sum adder. The range holding bit 0 is built for the actual carry-in only
/// (so a constant carry-in leaves no dead logic); every other range is built for both
/// carry-ins and selected by the carry from below: a range of `n` bits splits into a low
/// part of `ceil(n/2)` bits and a high part, recursively, down to single bits.
pub(super) fn build_conditional_sum(
    b: &mut Builder,
    x: &[Wire],
    y: &[Wire],
    cin: Wire,
) -> (Vec<Wire>, Wire) {
    if x.len() == 1 {
        let (s, c) = b.full_adder(x[0], y[0], cin);
        return (vec![s], c);
    }
    let h = x.len().div_ceil(2);
    let (mut s, lc) = build_conditional_sum(b, &x[..h], &y[..h], cin);
    let (hs0, hc0, hs1, hc1) = both(b, &x[h..], &y[h..]);
    for (&u, &v) in hs0.iter().zip(&hs1) {
        s.push(b.mux(lc, u, v));
    }
    let c = b.mux(lc, hc0, hc1);
    (s, c)
}
