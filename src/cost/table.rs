//! [`CostTable`]: published energy and area per operation, each row with its source.

use std::collections::BTreeMap;

use super::{OpKind, ScaleStep, Span};
use crate::{Error, Result};

/// One priced operation: energy per operation, area of one unit, where and how it was
/// measured.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CostRow {
    /// The operation.
    pub op: OpKind,
    /// Energy per operation in picojoules at `voltage_v` (a range where the source gives one).
    pub energy_pj: Span,
    /// Area of one unit in µm², when the source gives it (memories usually do not).
    pub area_um2: Option<f64>,
    /// Technology node in nm.
    pub node_nm: f64,
    /// Supply voltage in V: the one `energy_pj` is at.
    pub voltage_v: f64,
    /// Where the figure comes from (paper, table, page).
    pub source: String,
    /// Set when the figure was scaled from another node or voltage
    /// (see [`CostTable::scaled`]): such rows are never presented as published figures.
    pub scaled: Option<ScaleStep>,
}

impl CostRow {
    /// A row measured at `node_nm` and `voltage_v`, with no area.
    #[must_use]
    pub fn new(op: OpKind, energy_pj: Span, node_nm: f64, voltage_v: f64, source: &str) -> Self {
        Self {
            op,
            energy_pj,
            area_um2: None,
            node_nm,
            voltage_v,
            source: source.to_string(),
            scaled: None,
        }
    }

    /// The same row with an area in µm².
    #[must_use]
    pub fn with_area(mut self, area_um2: f64) -> Self {
        self.area_um2 = Some(area_um2);
        self
    }

    /// Checks every figure is finite and non-negative (node and voltage positive).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming the field and value.
    pub fn validate(&self) -> Result<()> {
        check_figure("energy_pj", self.energy_pj.lo)?;
        check_figure("energy_pj", self.energy_pj.hi)?;
        if let Some(a) = self.area_um2 {
            check_figure("area_um2", a)?;
        }
        check_positive("node_nm", self.node_nm)?;
        check_positive("voltage_v", self.voltage_v)?;
        Ok(())
    }
}

/// A figure must be finite and non-negative.
pub(crate) fn check_figure(name: &'static str, v: f64) -> Result<f64> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(Error::param(name, v, "must be finite and non-negative"))
    }
}

/// A node or voltage must be finite and positive.
pub(crate) fn check_positive(name: &'static str, v: f64) -> Result<f64> {
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(Error::param(name, v, "must be finite and positive"))
    }
}

/// A named set of [`CostRow`]s, at most one per [`OpKind`].
///
/// Price any operation with [`CostTable::price`]: rows are used as they are, and kinds that
/// have no row are derived from neighbouring rows by a documented rule (see
/// `docs/cost-model.md`), the result saying which.
///
/// # Examples
///
/// ```
/// use arithsim::cost::{CostTable, OpKind};
///
/// let t = CostTable::horowitz_45nm();
/// let row = t.row(OpKind::IntMul { bits: 8 }).unwrap();
/// assert_eq!((row.energy_pj.lo, row.area_um2), (0.2, Some(282.0)));
/// assert_eq!(t.rows().len(), 13);
/// ```
#[derive(Clone, Debug)]
pub struct CostTable {
    name: String,
    rows: Vec<CostRow>,
    /// Where each operation's row is in `rows`: loading and lookups in `O(log n)`.
    index: BTreeMap<OpKind, usize>,
    /// Set by [`CostTable::row_mut`], which could change a row's `op`: lookups then check
    /// the index against the rows.
    edited: bool,
}

/// Tables are equal when their names and rows are.
impl PartialEq for CostTable {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.rows == other.rows
    }
}

impl CostTable {
    /// An empty table.
    #[must_use]
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_string(),
            rows: Vec::new(),
            index: BTreeMap::new(),
            edited: false,
        }
    }

    /// The table's name (printed as the report's source line).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Renames the table.
    pub fn set_name(&mut self, name: &str) {
        self.name = name.to_string();
    }

    /// Adds a row.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for a duplicate operation or a non-finite or negative
    /// figure.
    pub fn push(&mut self, row: CostRow) -> Result<()> {
        row.validate()?;
        if self.row(row.op).is_some() {
            return Err(Error::param(
                "operation",
                row.op,
                "duplicate: the table already has a row for it",
            ));
        }
        self.index.insert(row.op, self.rows.len());
        self.rows.push(row);
        Ok(())
    }

    /// Rows in insertion order.
    #[must_use]
    pub fn rows(&self) -> &[CostRow] {
        &self.rows
    }

    /// The row for exactly `op`, if the table has one (no derivation).
    #[must_use]
    pub fn row(&self, op: OpKind) -> Option<&CostRow> {
        match self.index.get(&op) {
            Some(&i) if self.rows[i].op == op => Some(&self.rows[i]),
            _ if self.edited => self.rows.iter().find(|r| r.op == op),
            _ => None,
        }
    }

    /// Mutable access to the row for `op` (to edit a figure; validity is checked again when
    /// the table is priced or saved).
    pub fn row_mut(&mut self, op: OpKind) -> Option<&mut CostRow> {
        let i = match self.index.get(&op) {
            Some(&i) if self.rows[i].op == op => i,
            _ if self.edited => self.rows.iter().position(|r| r.op == op)?,
            _ => return None,
        };
        self.edited = true;
        Some(&mut self.rows[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(e: f64) -> CostRow {
        CostRow::new(
            OpKind::IntAdd { bits: 8 },
            Span::exact(e),
            45.0,
            0.9,
            "test",
        )
    }

    #[test]
    fn rejects_duplicates_and_bad_figures() {
        let mut t = CostTable::new("t");
        t.push(row(0.03)).unwrap();
        let e = t.push(row(0.04)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid operation 8-bit int add: duplicate: the table already has a row for it"
        );
        let mut t = CostTable::new("t");
        let e = t.push(row(-1.0)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid energy_pj -1: must be finite and non-negative"
        );
        let e = t.push(row(f64::NAN)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid energy_pj NaN: must be finite and non-negative"
        );
        let e = t.push(row(1.0).with_area(f64::INFINITY)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid area_um2 inf: must be finite and non-negative"
        );
        let mut r = row(1.0);
        r.voltage_v = 0.0;
        assert_eq!(
            t.push(r).unwrap_err().to_string(),
            "invalid voltage_v 0: must be finite and positive"
        );
        assert!(t.rows().is_empty());
    }
}

/// A table serializes as its name and rows; deserializing pushes the rows again, so the
/// one-row-per-operation check applies as it does to a loaded file.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
struct TableData {
    name: String,
    rows: Vec<CostRow>,
}

#[cfg(feature = "serde")]
impl serde::Serialize for CostTable {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        TableData {
            name: self.name.clone(),
            rows: self.rows.clone(),
        }
        .serialize(s)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for CostTable {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let data = TableData::deserialize(d)?;
        let mut table = CostTable::new(&data.name);
        for row in data.rows {
            table.push(row).map_err(serde::de::Error::custom)?;
        }
        Ok(table)
    }
}
