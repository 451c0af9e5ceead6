//! The alignment shifter: a logarithmic barrel shifter to the right that ORs everything it
//! shifts out into a sticky bit.

use crate::gates::{Builder, Wire};
use crate::{Error, Result};

/// Widest bus the FP shifters and the leading-zero counter accept.
pub const MAX_SHIFT_WIDTH: usize = crate::limits::FP_SHIFT_MAX_WIDTH;

pub(crate) fn check_bus(b: &Builder, what: &'static str, x: &[Wire]) -> Result<()> {
    let w = u32::try_from(x.len()).unwrap_or(u32::MAX);
    Error::check_width(what, w, 1, MAX_SHIFT_WIDTH as u32)?;
    b.check_wires(x)
}

/// Number of shifter stages for a `width`-bit bus: the amount bits `k` with `2^k < width`
/// (a larger shift clears the bus).
#[must_use]
pub fn shift_stages(width: usize) -> usize {
    let mut k = 0;
    while k < 63 && (1usize << k) < width {
        k += 1;
    }
    k
}

/// `x >> amount` (zeros in from the top) and the sticky bit: the OR of every bit shifted
/// out. `amount` is unsigned, any width; amounts of `x.len()` or more clear the result and
/// put all of `x` into the sticky bit. Gates go under label `align`.
///
/// Structure (stage `k` shifts by `2^k` when amount bit `k` is set, for `2^k < width`): stage
/// `k` has `width − 2^k` 2:1 muxes and `2^k` AND gates (zeros shifted in) behind one
/// inverter, and its sticky contribution is the OR of the `2^k` bits leaving, ANDed with
/// the amount bit. Amount bits above the stages act together (one OR tree): they clear the
/// output and make the sticky bit the OR of the whole input.
///
/// # Errors
/// [`Error::InvalidWidth`] for an empty or over-256-bit `x` or an empty `amount`;
/// [`Error::InvalidParameter`] for a wire of another netlist.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::fp::build_shift_right_sticky;
/// use arithsim::gates::Builder;
///
/// let mut b = Builder::new();
/// let x = b.input("x", 8)?;
/// let d = b.input("d", 4)?;
/// let (y, s) = build_shift_right_sticky(&mut b, &x, &d)?;
/// b.output("y", &y)?;
/// b.output("s", &[s])?;
/// let out = b.finish()?.eval_u64(&[("x", &[0b1011_0100, 0b1011_0100, 0xFF]), ("d", &[2, 3, 9])])?;
/// assert_eq!(out.get("y")?, &[0b0010_1101, 0b0001_0110, 0]);
/// assert_eq!(out.get("s")?, &[0, 1, 1]);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn build_shift_right_sticky(
    b: &mut Builder,
    x: &[Wire],
    amount: &[Wire],
) -> Result<(Vec<Wire>, Wire)> {
    check_bus(b, "shifter", x)?;
    check_bus(b, "shift amount", amount)?;
    Ok(b.with_label("align", |b| shift_right_sticky(b, x, amount)))
}

fn shift_right_sticky(b: &mut Builder, x: &[Wire], amount: &[Wire]) -> (Vec<Wire>, Wire) {
    let w = x.len();
    let stages = shift_stages(w).min(amount.len());
    let mut cur = x.to_vec();
    let mut sticky = b.zero();
    for (k, &sel) in amount.iter().enumerate().take(stages) {
        let s = 1usize << k;
        let out_bits = b.or_all(&cur[..s.min(w)]);
        let lost = b.and(sel, out_bits);
        sticky = b.or(sticky, lost);
        let nsel = b.not(sel);
        let next: Vec<Wire> = (0..w)
            .map(|i| {
                if i + s < w {
                    b.mux(sel, cur[i], cur[i + s])
                } else {
                    b.and(nsel, cur[i])
                }
            })
            .collect();
        cur = next;
    }
    if amount.len() > stages {
        // Shifts of 2^stages >= width or more: everything goes to the sticky bit.
        let big = b.or_all(&amount[stages..]);
        let all = b.or_all(x);
        let nbig = b.not(big);
        cur = cur.iter().map(|&c| b.and(c, nbig)).collect();
        sticky = b.mux(big, sticky, all);
    }
    (cur, sticky)
}
