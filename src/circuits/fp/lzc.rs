//! The leading-zero counter: a tree of "all zero, count" nodes.

use super::align::check_bus;
use crate::Result;
use crate::gates::{Builder, Wire};

/// Leading zeros of `x` (counted from its most significant, last, wire): returns the count
/// (`n + 1` bits for a width up to `2^n`, least significant first; `2^n` when `x` is 0) and
/// the all-zero flag. Gates go under label `lzc`.
///
/// Structure, for a width `2^n`: one inverter per bit (a leaf's "all zero"), then `n`
/// levels of nodes; a node of level `j` joins two halves with one AND (all zero) and
/// `j − 1` muxes (the low count bits, picked by the upper half's all-zero flag, which is
/// itself the top count bit); last, `n` ANDs and an inverter clear the count of a zero input
/// to `2^n`. So it has `2^n + Σ_j 2^(n−j)·j + n + 1` gates, `Σ_j 2^(n−j)·(j−1)` of them
/// muxes (32 bits: 95 gates, 26 muxes). Other widths are padded at the bottom with constant
/// zeros, which fold away.
///
/// # Errors
/// [`Error::InvalidWidth`](crate::Error::InvalidWidth) for an empty or over-256-bit bus;
/// [`Error::InvalidParameter`](crate::Error::InvalidParameter) for a wire of another netlist.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::fp::build_lzc;
/// use arithsim::gates::Builder;
///
/// let mut b = Builder::new();
/// let x = b.input("x", 12)?;
/// let (n, z) = build_lzc(&mut b, &x)?;
/// b.output("n", &n)?;
/// b.output("z", &[z])?;
/// let out = b.finish()?.eval_u64(&[("x", &[0x800, 0x001, 0])])?;
/// assert_eq!(out.get("n")?, &[0, 11, 16]);
/// assert_eq!(out.get("z")?, &[0, 0, 1]);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn build_lzc(b: &mut Builder, x: &[Wire]) -> Result<(Vec<Wire>, Wire)> {
    check_bus(b, "leading-zero counter", x)?;
    Ok(b.with_label("lzc", |b| lzc(b, x)))
}

fn lzc(b: &mut Builder, x: &[Wire]) -> (Vec<Wire>, Wire) {
    let size = x.len().next_power_of_two();
    // Most significant first, padded with constant zeros below the real bits (their leaves
    // fold to constants).
    let mut nodes: Vec<(Wire, Vec<Wire>)> =
        x.iter().rev().map(|&v| (b.not(v), Vec::new())).collect();
    nodes.resize(size, (b.one(), Vec::new()));
    while nodes.len() > 1 {
        let mut next = Vec::with_capacity(nodes.len() / 2);
        for pair in nodes.chunks(2) {
            let (zh, ch) = &pair[0];
            let (zl, cl) = &pair[1];
            let z = b.and(*zh, *zl);
            let mut c: Vec<Wire> = ch.iter().zip(cl).map(|(&h, &l)| b.mux(*zh, h, l)).collect();
            c.push(*zh);
            next.push((z, c));
        }
        nodes = next;
    }
    let (z, count) = nodes.pop().unwrap_or((b.one(), Vec::new()));
    // The tree's count is meaningful when some bit is set; a zero input counts 2^n.
    let nz = b.not(z);
    let mut count: Vec<Wire> = count.iter().map(|&c| b.and(c, nz)).collect();
    count.push(z);
    (count, z)
}
