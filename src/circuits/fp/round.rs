//! Rounding-mode logic: the mode as one-hot wires (constants when fixed) and the round-up
//! decision from the last kept bit, the guard bit and the sticky bit.

use super::config::RoundingControl;
use crate::gates::{Builder, Wire};
use crate::round::RoundingMode;
use crate::{Error, Result};

/// The rounding mode as one wire per deterministic mode, exactly one of them 1. For a fixed
/// mode they are constants, so every gate that reads them folds to the one rule.
#[derive(Clone, Copy, Debug)]
pub struct ModeWires {
    /// Nearest, ties to even.
    pub rne: Wire,
    /// Nearest, ties away from zero.
    pub rna: Wire,
    /// Nearest, ties toward +∞.
    pub rnp: Wire,
    /// Toward zero.
    pub rtz: Wire,
    /// Toward +∞.
    pub rup: Wire,
    /// Toward −∞.
    pub rdn: Wire,
    /// To odd.
    pub rto: Wire,
}

/// What [`ModeWires::decide`] returns.
#[derive(Clone, Copy, Debug)]
pub struct RoundDecision {
    /// Add one unit in the last place.
    pub increment: Wire,
    /// Round to odd: force the last kept bit to 1 (instead of incrementing).
    pub force_odd: Wire,
    /// Bits were lost (guard or sticky).
    pub inexact: Wire,
}

impl ModeWires {
    /// Constant wires for `mode`.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for stochastic rounding (naming `rounding`).
    pub fn fixed(b: &Builder, mode: RoundingMode) -> Result<Self> {
        let code = RoundingControl::code(mode).ok_or_else(|| {
            Error::Unsupported(format!(
                "rounding {mode}: the FP units build deterministic modes only"
            ))
        })?;
        let c = |m: RoundingMode| b.constant(RoundingControl::code(m) == Some(code));
        Ok(ModeWires {
            rne: c(RoundingMode::NearestEven),
            rna: c(RoundingMode::NearestAway),
            rnp: c(RoundingMode::NearestTowardPositive),
            rtz: c(RoundingMode::TowardZero),
            rup: c(RoundingMode::TowardPositive),
            rdn: c(RoundingMode::TowardNegative),
            rto: c(RoundingMode::ToOdd),
        })
    }

    /// Decodes a 3-bit `rm` bus (codes of [`RoundingControl::MODES`]; 7 is nearest-even),
    /// under label `rounding mode`.
    ///
    /// # Errors
    /// [`Error::Shape`] unless `rm` has 3 wires; [`Error::InvalidParameter`] for a wire of
    /// another netlist.
    pub fn from_rm(b: &mut Builder, rm: &[Wire]) -> Result<Self> {
        if rm.len() != 3 {
            return Err(Error::Shape(format!(
                "rounding-mode bus rm has {} bits; it needs 3",
                rm.len()
            )));
        }
        b.check_wires(rm)?;
        Ok(b.with_label("rounding mode", |b| {
            let n: Vec<Wire> = rm.iter().map(|&w| b.not(w)).collect();
            let lit = |i: usize, code: usize| if code >> i & 1 == 1 { rm[i] } else { n[i] };
            let dec = |b: &mut Builder, code: usize| {
                let t = b.and(lit(0, code), lit(1, code));
                b.and(t, lit(2, code))
            };
            let d: Vec<Wire> = (0..8).map(|c| dec(b, c)).collect();
            let idx = |m| RoundingControl::code(m).unwrap_or(0) as usize;
            ModeWires {
                rne: b.or(d[idx(RoundingMode::NearestEven)], d[7]),
                rna: d[idx(RoundingMode::NearestAway)],
                rnp: d[idx(RoundingMode::NearestTowardPositive)],
                rtz: d[idx(RoundingMode::TowardZero)],
                rup: d[idx(RoundingMode::TowardPositive)],
                rdn: d[idx(RoundingMode::TowardNegative)],
                rto: d[idx(RoundingMode::ToOdd)],
            }
        }))
    }

    /// The mode wires for `ctl`: constants for a fixed mode; for
    /// [`RoundingControl::Input`] a new 3-bit input port `rm`, decoded.
    ///
    /// # Errors
    /// As [`ModeWires::fixed`], or the port errors of [`Builder::input`] (an `rm` port that
    /// already exists).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::circuits::fp::{ModeWires, RoundingControl};
    /// use arithsim::gates::Builder;
    /// use arithsim::round::RoundingMode;
    ///
    /// let mut b = Builder::new();
    /// let m = ModeWires::build(&mut b, RoundingControl::Fixed(RoundingMode::TowardZero))?;
    /// assert_eq!(b.const_value(m.rtz), Some(true));
    /// assert_eq!(b.const_value(m.rne), Some(false));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn build(b: &mut Builder, ctl: RoundingControl) -> Result<Self> {
        match ctl {
            RoundingControl::Fixed(mode) => Self::fixed(b, mode),
            RoundingControl::Input => {
                let rm = b.input("rm", 3)?;
                Self::from_rm(b, &rm)
            }
        }
    }

    /// The round-up decision for a magnitude with last kept bit `lsb`, guard bit `guard`
    /// (the first dropped bit) and `sticky` (any lower dropped bit), of sign `negative`:
    ///
    /// | mode | increment |
    /// |---|---|
    /// | nearest-even | `G & (S | L)` |
    /// | nearest-away | `G` |
    /// | nearest toward +∞ | `G & (S | !sign)` |
    /// | toward zero, to odd | 0 (to odd sets `L` when `G | S`) |
    /// | toward +∞ / −∞ | `(G | S)` when the sign is + / − |
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::circuits::fp::ModeWires;
    /// use arithsim::gates::Builder;
    /// use arithsim::round::RoundingMode;
    ///
    /// let mut b = Builder::new();
    /// let x = b.input("lgs", 3)?; // last kept bit, guard, sticky
    /// let neg = b.zero();
    /// let m = ModeWires::fixed(&b, RoundingMode::NearestEven)?;
    /// let d = m.decide(&mut b, neg, x[0], x[1], x[2]);
    /// b.output("inc", &[d.increment])?;
    /// let out = b.finish()?.eval_u64(&[("lgs", &[0b010, 0b011, 0b110])])?;
    /// assert_eq!(out.get("inc")?, &[0, 1, 1]); // tie to even stays, tie from odd and above half go up
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn decide(
        &self,
        b: &mut Builder,
        negative: Wire,
        lsb: Wire,
        guard: Wire,
        sticky: Wire,
    ) -> RoundDecision {
        let inexact = b.or(guard, sticky);
        let increment = self.increment_with(b, negative, lsb, guard, sticky, Some(inexact));
        let force_odd = b.and(self.rto, inexact);
        RoundDecision {
            increment,
            force_odd,
            inexact,
        }
    }

    /// Only the increment of [`ModeWires::decide`] (for checks such as tininess, which need
    /// no inexact flag and no forced bit).
    pub fn increment(
        &self,
        b: &mut Builder,
        negative: Wire,
        lsb: Wire,
        guard: Wire,
        sticky: Wire,
    ) -> Wire {
        self.increment_with(b, negative, lsb, guard, sticky, None)
    }

    fn increment_with(
        &self,
        b: &mut Builder,
        negative: Wire,
        lsb: Wire,
        guard: Wire,
        sticky: Wire,
        inexact: Option<Wire>,
    ) -> Wire {
        // Each term is built only if its mode can be selected, so a fixed mode leaves no
        // dangling gates.
        let on = |b: &Builder, w: Wire| b.const_value(w) != Some(false);
        let mut inexact = inexact;
        let mut inx = |b: &mut Builder| *inexact.get_or_insert_with(|| b.or(guard, sticky));
        let mut terms = Vec::new();
        if on(b, self.rne) {
            let sl = b.or(sticky, lsb);
            let t = b.and(guard, sl);
            terms.push(b.and(self.rne, t));
        }
        if on(b, self.rna) {
            terms.push(b.and(self.rna, guard));
        }
        if on(b, self.rnp) {
            let pos = b.not(negative);
            let sp = b.or(sticky, pos);
            let t = b.and(guard, sp);
            terms.push(b.and(self.rnp, t));
        }
        if on(b, self.rup) {
            let pos = b.not(negative);
            let i = inx(b);
            let t = b.and(pos, i);
            terms.push(b.and(self.rup, t));
        }
        if on(b, self.rdn) {
            let i = inx(b);
            let t = b.and(negative, i);
            terms.push(b.and(self.rdn, t));
        }
        b.or_all(&terms)
    }

    /// Whether an overflow of sign `negative` goes to ±∞ (or its substitute) rather than to
    /// ±largest finite: the nearest modes, and the directed mode pointing away from zero.
    pub fn overflow_to_infinity(&self, b: &mut Builder, negative: Wire) -> Wire {
        let on = |b: &Builder, w: Wire| b.const_value(w) != Some(false);
        let mut terms = vec![self.rne, self.rna, self.rnp];
        if on(b, self.rup) {
            let pos = b.not(negative);
            terms.push(b.and(self.rup, pos));
        }
        if on(b, self.rdn) {
            terms.push(b.and(self.rdn, negative));
        }
        b.or_all(&terms)
    }
}
