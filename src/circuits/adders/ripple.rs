//! Ripple-carry and carry-skip adders.

use crate::gates::{Builder, Wire};

/// A chain of full adders. Without carry-in (constant 0) bit 0 folds to a half adder, so the
/// adder has `5N - 3` gates and depth `2N - 1`; with carry-in, `5N` gates and depth `2N + 1`
/// (the carry-out; the top sum bit is at `2N`).
pub(super) fn build_ripple(
    b: &mut Builder,
    x: &[Wire],
    y: &[Wire],
    cin: Wire,
) -> (Vec<Wire>, Wire) {
    let mut c = cin;
    let mut s = Vec::with_capacity(x.len());
    for (&xi, &yi) in x.iter().zip(y) {
        let (si, ci) = b.full_adder(xi, yi, c);
        s.push(si);
        c = ci;
    }
    (s, c)
}

/// Carry-skip: ripple blocks of `block` bits; each block's carry-out is
/// `ripple_cout | (P_block & c_in_block)`, where `P_block` is the AND of the block's
/// propagates (shared with its full adders). Note that the unit-delay depth is the
/// topological one and still counts the ripple path through every block (a false path in
/// practice).
pub(super) fn build_carry_skip(
    b: &mut Builder,
    x: &[Wire],
    y: &[Wire],
    cin: Wire,
    block: u32,
) -> (Vec<Wire>, Wire) {
    let mut c = cin;
    let mut s = Vec::with_capacity(x.len());
    for (xs, ys) in x.chunks(block as usize).zip(y.chunks(block as usize)) {
        let mut rc = c;
        let mut props = Vec::with_capacity(xs.len());
        b.push_label("block");
        for (&xi, &yi) in xs.iter().zip(ys) {
            let (si, ci, pi) = b.full_adder_with_propagate(xi, yi, rc);
            s.push(si);
            props.push(pi);
            rc = ci;
        }
        b.pop_label();
        if b.const_value(c).is_some() {
            // a constant carry-in (the first block without carry-in): nothing to bypass
            c = rc;
            continue;
        }
        b.push_label("skip");
        let p = b.and_all(&props);
        let skip = b.and(p, c);
        c = b.or(rc, skip);
        b.pop_label();
    }
    (s, c)
}
