//! Pricing one operation: a table row, or a documented derivation from neighbouring rows.
//!
//! The rules (see `docs/cost-model.md` for the reasoning):
//!
//! | kind without a row | rule | anchors |
//! |---|---|---|
//! | int add, `n` bits | energy and area ∝ `n` | nearest int add row |
//! | int mult, `n` bits | energy and area ∝ `n²` | nearest int mult row |
//! | int MAC | mult (`mul_bits`) + add (`acc_bits`) | those two prices |
//! | FP add | energy and area ∝ total width | nearest FP add row (by width) |
//! | FP mult | energy and area ∝ significand width² (hidden bit included) | nearest FP mult row (by significand) |
//! | FP fma | mult + add of the same format | those two prices |
//! | memory access, other width | ∝ bits | nearest row, same level and direction |
//! | SRAM, other capacity | power law in capacity between the two neighbouring capacities; `√capacity` beyond them | SRAM rows |
//! | memory write | = read of the same level and width | the read's price |
//!
//! "Nearest" is by `|ln(width / anchor width)|`; a tie goes to the wider anchor. Nothing is
//! derived silently: a derived [`Price`] has [`Basis::Derived`] with its rule and anchors.
//! Conversions and register-file accesses have no rule: they need a row.

use std::fmt;

use super::{CostRow, CostTable, MemLevel, OpKind, ScaleStep, Span};
use crate::limits::{COST_MAX_ACCESS_BITS, COST_MAX_OPERAND_BITS};
use crate::{Error, Result};

/// A derivation rule (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Rule {
    /// Integer add: energy and area linear in bits.
    IntAddLinear,
    /// Integer multiply: energy and area quadratic in bits.
    IntMulQuadratic,
    /// Integer MAC = multiply + accumulator-width add.
    MacMulPlusAdd,
    /// FP add: energy and area linear in the format's total width.
    FpAddWidth,
    /// FP multiply: energy and area ∝ significand width squared.
    FpMulSignificandSquared,
    /// FP fma = multiply + add of the same format.
    FmaMulPlusAdd,
    /// Memory access: linear in bits accessed.
    MemLinearBits,
    /// SRAM capacity: power law between neighbouring capacities, square root beyond them.
    SramCapacity,
    /// Memory write priced as a read of the same level and width.
    WriteAsRead,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rule::IntAddLinear => "int add linear in bits",
            Rule::IntMulQuadratic => "int mult quadratic in bits",
            Rule::MacMulPlusAdd => "MAC = mult + add",
            Rule::FpAddWidth => "FP add linear in width",
            Rule::FpMulSignificandSquared => "FP mult quadratic in significand width",
            Rule::FmaMulPlusAdd => "fma = mult + add",
            Rule::MemLinearBits => "memory linear in bits",
            Rule::SramCapacity => "SRAM power law in capacity",
            Rule::WriteAsRead => "write priced as read",
        })
    }
}

/// Where a price came from.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Basis {
    /// A row of the table as it stands.
    Table,
    /// Derived from other prices by a rule.
    Derived {
        /// The rule applied last.
        rule: Rule,
        /// How, in words: anchors and factors ("8-bit int mult x (16/8)^2").
        detail: String,
    },
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Basis::Table => f.write_str("table"),
            Basis::Derived { rule, detail } => write!(f, "derived ({rule}): {detail}"),
        }
    }
}

/// The cost of one operation, with its provenance.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Price {
    /// The operation priced.
    pub op: OpKind,
    /// Energy per operation at `voltage_v`, pJ.
    pub energy_pj: Span,
    /// Area of one unit, µm² (`None` when an anchor has no area).
    pub area_um2: Option<f64>,
    /// Technology node, nm.
    pub node_nm: f64,
    /// Supply voltage, V: the one `energy_pj` is at (the anchor rows').
    pub voltage_v: f64,
    /// Source(s) of the anchor rows.
    pub source: String,
    /// Row or derivation.
    pub basis: Basis,
    /// Technology scaling applied to the anchors, if any.
    pub scaled: Option<ScaleStep>,
}

impl Price {
    fn from_row(r: &CostRow) -> Self {
        Self {
            op: r.op,
            energy_pj: r.energy_pj,
            area_um2: r.area_um2,
            node_nm: r.node_nm,
            voltage_v: r.voltage_v,
            source: r.source.clone(),
            basis: Basis::Table,
            scaled: r.scaled.clone(),
        }
    }

    /// True when the figure is not a row of the table.
    #[must_use]
    pub fn is_derived(&self) -> bool {
        matches!(self.basis, Basis::Derived { .. })
    }

    /// "8-bit int mult (table)" or "16-bit int mult (derived: ...)": how this price is
    /// quoted inside another derivation.
    fn quote(&self) -> String {
        match &self.basis {
            Basis::Table => format!("{} (table)", self.op),
            Basis::Derived { detail, .. } => format!("{} ({detail})", self.op),
        }
    }

    /// This price scaled by `k` in energy and area, as `op` by `rule`.
    fn derive(&self, op: OpKind, k: f64, rule: Rule, detail: String) -> Self {
        Self {
            op,
            energy_pj: self.energy_pj * k,
            area_um2: self.area_um2.map(|a| a * k),
            basis: Basis::Derived { rule, detail },
            ..self.clone()
        }
    }

    /// The sum of two prices (a composite unit), as `op` by `rule`.
    fn sum(op: OpKind, a: &Price, b: &Price, rule: Rule) -> Result<Self> {
        if a.node_nm != b.node_nm || a.voltage_v != b.voltage_v {
            return Err(Error::Unsupported(format!(
                "{op}: parts priced at different technologies ({} nm {} V and {} nm {} V)",
                a.node_nm, a.voltage_v, b.node_nm, b.voltage_v
            )));
        }
        let source = if a.source == b.source {
            a.source.clone()
        } else {
            format!("{}; {}", a.source, b.source)
        };
        Ok(Self {
            op,
            energy_pj: a.energy_pj + b.energy_pj,
            area_um2: a.area_um2.zip(b.area_um2).map(|(x, y)| x + y),
            node_nm: a.node_nm,
            voltage_v: a.voltage_v,
            source,
            basis: Basis::Derived {
                rule,
                detail: format!("{} + {}", a.quote(), b.quote()),
            },
            scaled: a.scaled.clone().or_else(|| b.scaled.clone()),
        })
    }
}

/// One line: the operation, energy, area, technology, and where the figure comes from
/// ("table", or the derivation for a derived price). `{:?}` has every field.
///
/// # Examples
///
/// ```
/// use arithsim::cost::{CostTable, OpKind};
///
/// let t = CostTable::horowitz_45nm();
/// let p = t.price(OpKind::IntMul { bits: 8 })?;
/// assert_eq!(p.to_string(), "8-bit int mult: 0.2 pJ, 282 µm² at 45 nm, 0.9 V (table)");
/// let d = t.price(OpKind::IntMul { bits: 16 })?.to_string(); // from the 32-bit row
/// assert!(d.starts_with("16-bit int mult: 0.775 pJ, 874 µm² at 45 nm, 0.9 V (derived"));
/// # Ok::<(), arithsim::Error>(())
/// ```
impl fmt::Display for Price {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} pJ", self.op, self.energy_pj)?;
        if let Some(a) = self.area_um2 {
            write!(f, ", {} µm²", super::span::sig(a))?;
        }
        write!(
            f,
            " at {} nm, {} V ({})",
            super::span::sig(self.node_nm),
            super::span::sig(self.voltage_v),
            self.basis
        )
    }
}

/// The anchor row whose width is nearest `want` in ratio; ties go to the wider anchor.
fn nearest<'a>(
    rows: impl Iterator<Item = (&'a CostRow, u32)>,
    want: u32,
) -> Option<(&'a CostRow, u32)> {
    let dist = |w: u32| (f64::from(want) / f64::from(w)).ln().abs();
    rows.filter(|(_, w)| *w > 0).min_by(|(_, a), (_, b)| {
        dist(*a)
            .partial_cmp(&dist(*b))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(b.cmp(a))
    })
}

impl CostTable {
    /// The price of `op`: its row, or a derivation by the rules in the module docs, saying so.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] when the table has no row for `op` and no rule applies (no
    /// anchor row of the same family, a conversion, a register-file access) or a composite's
    /// parts come from different technologies; [`Error::InvalidWidth`] for a zero width.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::cost::{Basis, CostTable, FloatKind, OpKind, Rule};
    ///
    /// let t = CostTable::horowitz_45nm();
    /// let p = t.price(OpKind::FpMul { format: FloatKind::BF16 })?;
    /// // Anchored on FP16 (significand 11 bits): 1.1 pJ x (8/11)^2.
    /// assert!((p.energy_pj.lo - 1.1 * 64.0 / 121.0).abs() < 1e-12);
    /// assert!(matches!(p.basis, Basis::Derived { rule: Rule::FpMulSignificandSquared, .. }));
    /// let mac = t.price(OpKind::IntMac { mul_bits: 8, acc_bits: 32 })?;
    /// assert!((mac.energy_pj.lo - 0.3).abs() < 1e-12 && mac.area_um2 == Some(419.0));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn price(&self, op: OpKind) -> Result<Price> {
        if let Some(r) = self.row(op) {
            r.validate()?;
            return Ok(Price::from_row(r));
        }
        let none = |why: &str| {
            Error::Unsupported(format!(
                "no row for \"{op}\" in table \"{}\" and no derivation rule applies: {why}",
                self.name()
            ))
        };
        match op {
            OpKind::IntAdd { bits } | OpKind::IntMul { bits } => {
                Error::check_width("operand", bits, 1, COST_MAX_OPERAND_BITS)?;
                let add = matches!(op, OpKind::IntAdd { .. });
                let anchors = self.rows().iter().filter_map(|r| match r.op {
                    OpKind::IntAdd { bits: b } if add => Some((r, b)),
                    OpKind::IntMul { bits: b } if !add => Some((r, b)),
                    _ => None,
                });
                let (row, b) = nearest(anchors, bits).ok_or_else(|| {
                    none(if add {
                        "no int add row"
                    } else {
                        "no int mult row"
                    })
                })?;
                let (rule, power) = if add {
                    (Rule::IntAddLinear, 1)
                } else {
                    (Rule::IntMulQuadratic, 2)
                };
                let k = (f64::from(bits) / f64::from(b)).powi(power);
                let detail = format!("{} x ({bits}/{b})^{power}", Price::from_row(row).quote());
                Ok(Price::from_row(row).derive(op, k, rule, detail))
            }
            OpKind::IntMac { mul_bits, acc_bits } => {
                let m = self.price(OpKind::IntMul { bits: mul_bits })?;
                let a = self.price(OpKind::IntAdd { bits: acc_bits })?;
                Price::sum(op, &m, &a, Rule::MacMulPlusAdd)
            }
            OpKind::FpAdd { format } | OpKind::FpMul { format } => {
                format.validate()?;
                let add = matches!(op, OpKind::FpAdd { .. });
                let measure = |f: super::FloatKind| {
                    if add { f.width() } else { f.significand_bits() }
                };
                let anchors = self.rows().iter().filter_map(|r| match r.op {
                    OpKind::FpAdd { format: f } if add => Some((r, measure(f))),
                    OpKind::FpMul { format: f } if !add => Some((r, measure(f))),
                    _ => None,
                });
                let want = measure(format);
                let (row, w) = nearest(anchors, want).ok_or_else(|| {
                    none(if add {
                        "no FP add row"
                    } else {
                        "no FP mult row"
                    })
                })?;
                let (rule, power, what) = if add {
                    (Rule::FpAddWidth, 1, "width")
                } else {
                    (Rule::FpMulSignificandSquared, 2, "significand")
                };
                let k = (f64::from(want) / f64::from(w)).powi(power);
                let detail = format!(
                    "{} x ({what} {want}/{w})^{power}",
                    Price::from_row(row).quote()
                );
                Ok(Price::from_row(row).derive(op, k, rule, detail))
            }
            OpKind::FpFma { format } => {
                let m = self.price(OpKind::FpMul { format })?;
                let a = self.price(OpKind::FpAdd { format })?;
                Price::sum(op, &m, &a, Rule::FmaMulPlusAdd)
            }
            OpKind::MemRead { level, bits } => self.price_memory(op, level, bits, false),
            OpKind::MemWrite { level, bits } => self.price_memory(op, level, bits, true),
            OpKind::Convert { .. } => Err(none("conversions need a row of their own")),
        }
    }

    fn price_memory(&self, op: OpKind, level: MemLevel, bits: u32, write: bool) -> Result<Price> {
        Error::check_width("memory access", bits, 1, COST_MAX_ACCESS_BITS)?;
        let none = |why: &str| {
            Error::Unsupported(format!(
                "no row for \"{op}\" in table \"{}\" and no derivation rule applies: {why}",
                self.name()
            ))
        };
        let same_dir = |r: &CostRow| match r.op {
            OpKind::MemRead { level: l, bits: b } if !write => Some((l, b)),
            OpKind::MemWrite { level: l, bits: b } if write => Some((l, b)),
            _ => None,
        };
        // 1. Same level, other width: linear in bits.
        let same_level = self
            .rows()
            .iter()
            .filter_map(|r| same_dir(r).and_then(|(l, b)| (l == level).then_some((r, b))));
        if let Some((row, b)) = nearest(same_level, bits) {
            let p = Price::from_row(row);
            let k = f64::from(bits) / f64::from(b);
            let detail = format!("{} x ({bits}/{b})", p.quote());
            return Ok(p.derive(op, k, Rule::MemLinearBits, detail));
        }
        // 2. SRAM of another capacity: power law in capacity, then linear in bits.
        if let MemLevel::Sram { bytes } = level {
            let mut srams: Vec<(&CostRow, u64, u32)> = self
                .rows()
                .iter()
                .filter_map(|r| match same_dir(r) {
                    Some((MemLevel::Sram { bytes: c }, b)) if b > 0 => Some((r, c, b)),
                    _ => None,
                })
                .collect();
            srams.sort_by_key(|s| s.1);
            if !srams.is_empty() {
                return Ok(sram_capacity(op, &srams, bytes, bits));
            }
        }
        // 3. A write priced as the read.
        if write {
            let read_op = OpKind::MemRead { level, bits };
            if let Ok(r) = self.price(read_op) {
                let detail = r.quote();
                return Ok(r.derive(op, 1.0, Rule::WriteAsRead, detail));
            }
        }
        Err(none(match level {
            MemLevel::RegisterFile => "register-file accesses need a row",
            MemLevel::Sram { .. } => "no SRAM row",
            MemLevel::Dram => "no DRAM row",
        }))
    }
}

/// SRAM at capacity `want` from rows sorted by capacity: between two neighbours, the power
/// law through them; beyond the ends, `√capacity` from the nearest end.
fn sram_capacity(op: OpKind, srams: &[(&CostRow, u64, u32)], want: u64, bits: u32) -> Price {
    let per_bit = |r: &CostRow, b: u32| r.energy_pj * (f64::from(bits) / f64::from(b));
    let cap = |c: u64| super::MemLevel::Sram { bytes: c }.to_string();
    let pos = srams.iter().position(|s| s.1 > want);
    let (energy, anchors, exponent) = match pos {
        Some(i) if i > 0 => {
            let (lo, hi) = (srams[i - 1], srams[i]);
            let (elo, ehi) = (per_bit(lo.0, lo.2), per_bit(hi.0, hi.2));
            let x = (want as f64 / lo.1 as f64).ln() / (hi.1 as f64 / lo.1 as f64).ln();
            // Interpolate each end of a range separately, in log-log.
            let e = Span::range(
                elo.lo * (ehi.lo / elo.lo).powf(x),
                elo.hi * (ehi.hi / elo.hi).powf(x),
            );
            let p = (ehi.mid() / elo.mid()).ln() / (hi.1 as f64 / lo.1 as f64).ln();
            (e, vec![lo, hi], p)
        }
        _ => {
            let end = if pos == Some(0) {
                srams[0]
            } else {
                srams[srams.len() - 1]
            };
            let k = (want as f64 / end.1 as f64).sqrt();
            (per_bit(end.0, end.2) * k, vec![end], 0.5)
        }
    };
    let first = Price::from_row(anchors[0].0);
    let names: Vec<String> = anchors
        .iter()
        .map(|a| format!("{} (table)", a.0.op))
        .collect();
    let detail = format!(
        "{} → {} as capacity^{exponent:.3}, x ({bits}/{} bits)",
        names.join(", "),
        cap(want),
        anchors[0].2
    );
    Price {
        op,
        energy_pj: energy,
        area_um2: None,
        basis: Basis::Derived {
            rule: Rule::SramCapacity,
            detail,
        },
        ..first
    }
}
