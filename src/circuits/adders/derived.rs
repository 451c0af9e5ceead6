//! Circuits built on the adders: adder/subtractor, incrementer, comparators and the
//! carry-save (3:2) row.

use super::{AdderKind, MAX_ADDER_WIDTH, MAX_BUILD_WIDTH, build_adder, check_operands};
use crate::gates::{Builder, Netlist, Wire};
use crate::repr::Signedness;
use crate::{Error, Result};

/// `x + y` when `sub` is 0, `x - y` (as `x + !y + 1`) when `sub` is 1. Returns the result, the
/// carry-out (for subtraction: 1 when there is no borrow, i.e. `x >= y` unsigned) and the
/// signed-overflow flag `(x_msb == y'_msb) & (r_msb != x_msb)`, with `y' = y ^ sub`.
///
/// # Errors
/// As [`build_adder`].
pub fn build_add_sub(
    b: &mut Builder,
    kind: AdderKind,
    x: &[Wire],
    y: &[Wire],
    sub: Wire,
) -> Result<(Vec<Wire>, Wire, Wire)> {
    check_operands(b, x, y)?;
    b.check_wires(&[sub])?;
    let yx: Vec<Wire> = b.with_label("invert", |b| y.iter().map(|&w| b.xor(w, sub)).collect());
    let (r, c) = build_adder(b, kind, x, &yx, sub)?;
    let n = x.len() - 1;
    let ov = b.with_label("overflow", |b| {
        let same = b.xnor(x[n], yx[n]);
        let flip = b.xor(r[n], x[n]);
        b.and(same, flip)
    });
    Ok((r, c, ov))
}

/// An adder/subtractor netlist: inputs `a`, `b` (width bits) and `sub` → outputs `result`
/// (`a + b` or `a - b`, wrapped), `cout` and `overflow` (signed two's-complement overflow).
///
/// # Errors
/// [`Error::InvalidWidth`] unless `1 <= width <= 128`; a bad block size.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::adders::{adder_subtractor, AdderKind};
///
/// let net = adder_subtractor(AdderKind::Sklansky, 8)?;
/// let out = net.eval_u64(&[("a", &[0x80, 5]), ("b", &[1, 7]), ("sub", &[1, 1])])?;
/// assert_eq!(out.get("result")?, &[0x7f, 0xfe]); // -128 - 1 overflows; 5 - 7 = -2
/// assert_eq!(out.get("overflow")?, &[1, 0]);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn adder_subtractor(kind: AdderKind, width: u32) -> Result<Netlist> {
    Error::check_width("adder", width, 1, MAX_ADDER_WIDTH)?;
    let mut b = Builder::new();
    let x = b.input("a", width)?;
    let y = b.input("b", width)?;
    let sub = b.input_bit("sub")?;
    let (r, c, ov) = build_add_sub(&mut b, kind, &x, &y, sub)?;
    b.output("result", &r)?;
    b.output("cout", &[c])?;
    b.output("overflow", &[ov])?;
    b.finish()
}

/// `x + cin` with architecture `kind` (the adder with a constant-0 second operand, which
/// constant folding reduces to an incrementer: a half-adder chain for ripple-carry).
///
/// # Errors
/// As [`build_adder`].
pub fn build_incrementer(
    b: &mut Builder,
    kind: AdderKind,
    x: &[Wire],
    cin: Wire,
) -> Result<(Vec<Wire>, Wire)> {
    let zeros = vec![b.zero(); x.len()];
    build_adder(b, kind, x, &zeros, cin)
}

/// An incrementer netlist: input `a` → outputs `sum = a + 1` (wrapped) and `cout`.
///
/// # Errors
/// [`Error::InvalidWidth`] unless `1 <= width <= 128`; a bad block size.
pub fn incrementer(kind: AdderKind, width: u32) -> Result<Netlist> {
    Error::check_width("incrementer", width, 1, MAX_ADDER_WIDTH)?;
    let mut b = Builder::new();
    let x = b.input("a", width)?;
    let one = b.one();
    let (s, c) = build_incrementer(&mut b, kind, &x, one)?;
    b.output("sum", &s)?;
    b.output("cout", &[c])?;
    b.finish()
}

/// `x == y`: XNOR per bit, balanced AND tree (`2N - 1` gates, depth `1 + ceil(log2 N)`).
///
/// # Errors
/// [`Error::Shape`] for different widths, [`Error::InvalidWidth`], a wire of another netlist.
pub fn build_equal(b: &mut Builder, x: &[Wire], y: &[Wire]) -> Result<Wire> {
    check_operands(b, x, y)?;
    Ok(b.with_label("equal", |b| {
        let e: Vec<Wire> = x.iter().zip(y).map(|(&u, &v)| b.xnor(u, v)).collect();
        b.and_all(&e)
    }))
}

/// `x < y`, unsigned or two's-complement signed, as a log-depth comparison tree: each bit
/// gives `lt_i = !x_i & y_i` (for the sign bit of a signed compare: `x_i & !y_i`) and
/// `eq_i = !(x_i ^ y_i)`; a node over a high part H and low part L gives
/// `lt = lt_H | (eq_H & lt_L)`, `eq = eq_H & eq_L`.
///
/// # Errors
/// As [`build_equal`].
pub fn build_less_than(
    b: &mut Builder,
    x: &[Wire],
    y: &[Wire],
    signedness: Signedness,
) -> Result<Wire> {
    check_operands(b, x, y)?;
    fn node(b: &mut Builder, x: &[Wire], y: &[Wire], sign: bool, need_eq: bool) -> (Wire, Wire) {
        let n = x.len();
        if n == 1 {
            let lt = if sign {
                let ny = b.not(y[0]);
                b.and(x[0], ny)
            } else {
                let nx = b.not(x[0]);
                b.and(nx, y[0])
            };
            let eq = if need_eq {
                b.xnor(x[0], y[0])
            } else {
                b.zero()
            };
            return (lt, eq);
        }
        let h = n / 2;
        let (llt, leq) = node(b, &x[..h], &y[..h], false, need_eq);
        let (hlt, heq) = node(b, &x[h..], &y[h..], sign, true);
        let t = b.and(heq, llt);
        let lt = b.or(hlt, t);
        let eq = if need_eq { b.and(heq, leq) } else { b.zero() };
        (lt, eq)
    }
    Ok(b.with_label("less than", |b| {
        node(b, x, y, signedness.is_signed(), false).0
    }))
}

/// An equality comparator netlist: inputs `a`, `b` → output `eq`.
///
/// # Errors
/// [`Error::InvalidWidth`] unless `1 <= width <= 128`.
pub fn equality_comparator(width: u32) -> Result<Netlist> {
    Error::check_width("comparator", width, 1, MAX_ADDER_WIDTH)?;
    let mut b = Builder::new();
    let x = b.input("a", width)?;
    let y = b.input("b", width)?;
    let e = build_equal(&mut b, &x, &y)?;
    b.output("eq", &[e])?;
    b.finish()
}

/// A less-than comparator netlist (unsigned or signed): inputs `a`, `b` → output `lt`.
///
/// # Errors
/// [`Error::InvalidWidth`] unless `1 <= width <= 128`.
pub fn less_than_comparator(width: u32, signedness: Signedness) -> Result<Netlist> {
    Error::check_width("comparator", width, 1, MAX_ADDER_WIDTH)?;
    let mut b = Builder::new();
    let x = b.input("a", width)?;
    let y = b.input("b", width)?;
    let lt = build_less_than(&mut b, &x, &y, signedness)?;
    b.output("lt", &[lt])?;
    b.finish()
}

/// A carry-save (3:2) row: one full adder per bit. Returns `(sum, carry)`, both as wide as
/// the inputs, with `x + y + z = sum + 2·carry` (carry bit `i` has weight `2^(i+1)`; shift it
/// left by one to add it).
///
/// # Errors
/// [`Error::Shape`] unless the three buses have the same width, [`Error::InvalidWidth`] for
/// width 0 or above 4096, a wire of another netlist.
pub fn build_carry_save(
    b: &mut Builder,
    x: &[Wire],
    y: &[Wire],
    z: &[Wire],
) -> Result<(Vec<Wire>, Vec<Wire>)> {
    check_operands(b, x, y)?;
    check_operands(b, x, z)?;
    debug_assert!(x.len() <= MAX_BUILD_WIDTH);
    Ok(b.with_label("carry-save", |b| {
        x.iter()
            .zip(y)
            .zip(z)
            .map(|((&u, &v), &w)| b.full_adder(u, v, w))
            .unzip()
    }))
}

/// A carry-save adder netlist: inputs `x`, `y`, `z` → outputs `sum` and `carry` (width bits
/// each; `x + y + z = sum + 2·carry`).
///
/// # Errors
/// [`Error::InvalidWidth`] unless `1 <= width <= 128`.
pub fn carry_save_adder(width: u32) -> Result<Netlist> {
    Error::check_width("carry-save adder", width, 1, MAX_ADDER_WIDTH)?;
    let mut b = Builder::new();
    let x = b.input("x", width)?;
    let y = b.input("y", width)?;
    let z = b.input("z", width)?;
    let (s, c) = build_carry_save(&mut b, &x, &y, &z)?;
    b.output("sum", &s)?;
    b.output("carry", &c)?;
    b.finish()
}
