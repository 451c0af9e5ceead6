//! Estimates: a [`Tally`] priced by a [`CostTable`] (energy, with a breakdown), a
//! [`Design`] of unit instances (area), and ratios between them.

use std::fmt;

use super::{CostTable, OpKind, Price, Span, Tally, sig};
use crate::{Error, Result};

/// One line of an [`Estimate`]: `count` operations at `price` each.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EstimateLine {
    /// The operation.
    pub op: OpKind,
    /// How many.
    pub count: u64,
    /// Its price per operation, with provenance.
    pub price: Price,
    /// `count × price.energy_pj`, at `price.voltage_v`.
    pub energy_pj: Span,
}

/// The energy of a tally: total, lines by operation, and anything the table could not price.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Estimate {
    /// Priced lines in the tally's order.
    pub lines: Vec<EstimateLine>,
    /// Operations with no row and no rule: `(kind, count, why)`. Not in the total.
    pub unpriced: Vec<(OpKind, u64, String)>,
    /// Sum of the priced lines, pJ, each at its `price.voltage_v` (the table's voltage; a
    /// table whose rows are at one voltage gives a total at that voltage).
    pub energy_pj: Span,
}

impl Estimate {
    /// True when every operation of the tally was priced.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.unpriced.is_empty()
    }

    /// The estimate, or an error naming the first unpriced operation.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] when some operation could not be priced.
    pub fn complete(self) -> Result<Self> {
        match self.unpriced.first() {
            None => Ok(self),
            Some((_, _, why)) => Err(Error::Unsupported(why.clone())),
        }
    }

    /// `self.energy / other.energy` (interval-wise for ranges).
    #[must_use]
    pub fn energy_ratio(&self, other: &Estimate) -> Span {
        self.energy_pj.ratio(other.energy_pj)
    }

    /// True when some line's price is derived rather than a table row.
    #[must_use]
    pub fn uses_derived(&self) -> bool {
        self.lines.iter().any(|l| l.price.is_derived())
    }
}

/// A breakdown table: operation, count, pJ/op, pJ total, share, basis; then the total.
impl fmt::Display for Estimate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total_mid = self.energy_pj.mid();
        writeln!(
            f,
            "{:<32} {:>14} {:>12} {:>16} {:>7}  basis",
            "operation", "count", "pJ/op", "pJ", "share"
        )?;
        for l in &self.lines {
            let share = if total_mid > 0.0 {
                100.0 * l.energy_pj.mid() / total_mid
            } else {
                0.0
            };
            writeln!(
                f,
                "{:<32} {:>14} {:>12} {:>16} {:>6.1}%  {}",
                l.op.to_string(),
                l.count,
                l.price.energy_pj.to_string(),
                l.energy_pj.to_string(),
                share,
                l.price.basis
            )?;
        }
        for (op, n, _) in &self.unpriced {
            writeln!(f, "{:<32} {:>14} {:>12}", op.to_string(), n, "unpriced")?;
        }
        write!(
            f,
            "{:<32} {:>14} {:>12} {:>16}",
            "total",
            "",
            "",
            self.energy_pj.to_string()
        )
    }
}

/// A hardware design as a count of unit instances (e.g. 9,216 INT8 MAC units), for area.
///
/// # Examples
///
/// ```
/// use arithsim::cost::{CostTable, Design, OpKind};
///
/// let t = CostTable::horowitz_45nm();
/// let int8 = Design::new().with(OpKind::IntMac { mul_bits: 8, acc_bits: 32 }, 96 * 96);
/// let area = t.area(&int8)?;
/// assert!((area.area_um2 - 9216.0 * 419.0).abs() < 1e-6);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Design {
    units: Tally,
}

impl Design {
    /// An empty design.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `n` instances of the unit that performs `op`.
    #[must_use]
    pub fn with(mut self, op: OpKind, n: u64) -> Self {
        self.units.add(op, n);
        self
    }

    /// The instance counts.
    #[must_use]
    pub fn units(&self) -> &Tally {
        &self.units
    }
}

/// The area of a [`Design`]: lines `(unit, instances, price, area)` and the total.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AreaEstimate {
    /// `(unit, instances, its price, instances × unit area in µm²)`.
    pub lines: Vec<(OpKind, u64, Price, f64)>,
    /// Total area, µm².
    pub area_um2: f64,
}

impl AreaEstimate {
    /// `self.area / other.area`.
    #[must_use]
    pub fn area_ratio(&self, other: &AreaEstimate) -> f64 {
        self.area_um2 / other.area_um2
    }
}

impl CostTable {
    /// Prices every operation of `tally`. Operations that cannot be priced are listed in
    /// [`Estimate::unpriced`] and left out of the total (use [`Estimate::complete`] to
    /// require all); so are counts that saturated ([`Tally::is_saturated_kind`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::cost::{CostTable, FloatKind, OpKind, Tally};
    ///
    /// let t = CostTable::horowitz_45nm();
    /// let mut int8 = Tally::new();
    /// int8.add(OpKind::IntMul { bits: 8 }, 1);
    /// int8.add(OpKind::IntAdd { bits: 32 }, 1);
    /// let mut fp32 = Tally::new();
    /// fp32.add(OpKind::FpMul { format: FloatKind::FP32 }, 1);
    /// fp32.add(OpKind::FpAdd { format: FloatKind::FP32 }, 1);
    /// let r = t.estimate(&fp32).energy_ratio(&t.estimate(&int8));
    /// assert!((r.lo - 4.6 / 0.3).abs() < 1e-9); // about 15x
    /// ```
    #[must_use]
    pub fn estimate(&self, tally: &Tally) -> Estimate {
        let mut lines = Vec::new();
        let mut unpriced = Vec::new();
        for (op, count) in tally.iter() {
            if tally.is_saturated_kind(op) {
                let reason = format!("count saturated at {} (a lower bound)", u64::MAX);
                unpriced.push((op, count, reason));
                continue;
            }
            match self.price(op) {
                Ok(price) => {
                    let energy_pj = price.energy_pj * count as f64;
                    lines.push(EstimateLine {
                        op,
                        count,
                        price,
                        energy_pj,
                    });
                }
                Err(e) => unpriced.push((op, count, e.to_string())),
            }
        }
        let energy_pj = lines.iter().map(|l| l.energy_pj).sum();
        Estimate {
            lines,
            unpriced,
            energy_pj,
        }
    }

    /// The area of a design: each unit's area (row or derived) times its instance count.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] when a unit cannot be priced or its price has no area (a
    /// memory access, say); [`Error::OutOfRange`] when an instance count saturated.
    pub fn area(&self, design: &Design) -> Result<AreaEstimate> {
        design.units().check()?;
        let mut lines = Vec::new();
        let mut total = 0.0;
        for (op, n) in design.units().iter() {
            let price = self.price(op)?;
            let a = price.area_um2.ok_or_else(|| {
                Error::Unsupported(format!("no area for \"{op}\" in table \"{}\"", self.name()))
            })?;
            let area = a * n as f64;
            total += area;
            lines.push((op, n, price, area));
        }
        Ok(AreaEstimate {
            lines,
            area_um2: total,
        })
    }
}

impl fmt::Display for AreaEstimate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (op, n, p, a) in &self.lines {
            writeln!(
                f,
                "{:<32} {:>10} x {:>10} µm² = {:>14} µm²",
                op.to_string(),
                n,
                sig(p.area_um2.unwrap_or(0.0)),
                sig(*a)
            )?;
        }
        write!(f, "{:<32} {:>44} µm²", "total", sig(self.area_um2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::{FloatKind, MemLevel, NumKind};
    use crate::repr::Signedness;

    #[test]
    fn breakdown_sums_and_unpriced_are_listed() {
        let t = CostTable::horowitz_45nm();
        let mut tally = Tally::new();
        tally.add(OpKind::IntMul { bits: 8 }, 1000);
        tally.add(OpKind::IntAdd { bits: 32 }, 1000);
        tally.add(
            OpKind::MemRead {
                level: MemLevel::Dram,
                bits: 64,
            },
            2,
        );
        let conv = OpKind::Convert {
            from: NumKind::Int {
                bits: 32,
                signedness: Signedness::Signed,
            },
            to: NumKind::Int {
                bits: 8,
                signedness: Signedness::Signed,
            },
        };
        tally.add(conv, 5);
        let e = t.estimate(&tally);
        assert_eq!(e.lines.len(), 3);
        assert!((e.energy_pj.lo - (300.0 + 2600.0)).abs() < 1e-9);
        assert!((e.energy_pj.hi - (300.0 + 5200.0)).abs() < 1e-9);
        assert_eq!(e.unpriced.len(), 1);
        assert!(!e.is_complete());
        let err = e.clone().complete().unwrap_err();
        assert!(err.to_string().contains("convert INT32 → INT8"), "{err}");
        let text = e.to_string();
        assert!(
            text.contains("unpriced") && text.lines().count() == 6,
            "{text}"
        );
        assert!(!e.uses_derived());
    }

    #[test]
    fn design_area_and_ratio() {
        let t = CostTable::horowitz_45nm();
        let int8 = Design::new().with(
            OpKind::IntMac {
                mul_bits: 8,
                acc_bits: 32,
            },
            10,
        );
        let fp32 = Design::new().with(
            OpKind::FpFma {
                format: FloatKind::FP32,
            },
            10,
        );
        let (a, b) = (t.area(&int8).unwrap(), t.area(&fp32).unwrap());
        assert!((b.area_ratio(&a) - 11_884.0 / 419.0).abs() < 1e-9);
        let mem = Design::new().with(
            OpKind::MemRead {
                level: MemLevel::Dram,
                bits: 64,
            },
            1,
        );
        let e = t.area(&mem).unwrap_err();
        assert_eq!(
            e.to_string(),
            "unsupported: no area for \"64-bit DRAM read\" in table \"Horowitz, ISSCC 2014 (45 nm, 0.9 V)\""
        );
    }
}
