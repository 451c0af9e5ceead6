//! [`Tally`]: how many operations of each [`OpKind`] a computation performed.
//!
//! Counting is separate from pricing: a tally holds counts only, and a cost table prices it
//! in a separate, pure step.

use std::fmt;

use super::OpKind;

/// Counts of operations by kind.
///
/// Iteration is in [`OpKind`]'s order (variant, then widths), so two equal tallies always
/// print the same. Counts saturate at `u64::MAX` rather than wrap, and a tally that
/// saturated says so: [`Tally::is_saturated`] is true, [`Tally::check`] is an error, its
/// `Display` marks the total, and pricing it ([`CostTable::estimate`](super::CostTable::estimate),
/// [`CostTable::area`](super::CostTable::area), `accel::EnergyBreakdown`) refuses the
/// saturated counts rather than price a wrong number.
///
/// # Examples
///
/// ```
/// use arithsim::cost::{OpKind, Tally};
///
/// // A 64-element INT8 dot product: 64 MACs, with 8-bit operands.
/// let mut t = Tally::new();
/// t.add(OpKind::IntMul { bits: 8 }, 64);
/// t.add(OpKind::IntAdd { bits: 32 }, 64);
/// t.scale(10); // ten of them
/// assert_eq!(t.count(OpKind::IntMul { bits: 8 }), 640);
/// assert_eq!(t.total(), 1280);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(from = "serde_form::TallyForm", into = "serde_form::TallyForm")
)]
pub struct Tally {
    /// Non-zero counts, sorted by kind. A tally holds a handful of kinds, so a sorted `Vec`
    /// (one allocation) beats a `BTreeMap` (a node per insertion): the accelerator sweep,
    /// which builds a tally per layer per array, spent half its time in the map and malloc.
    counts: Vec<(OpKind, u64)>,
    /// Kinds whose count saturated at `u64::MAX`, sorted (empty, so unallocated, as a rule).
    saturated: Vec<OpKind>,
}

impl Tally {
    /// An empty tally.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts `n` more operations of kind `op` (adding 0 records nothing).
    pub fn add(&mut self, op: OpKind, n: u64) {
        if n == 0 {
            return;
        }
        let i = self.slot(op);
        self.add_at(i, n);
    }

    /// The index of `op`'s count, inserted as 0 in its sorted place if absent.
    fn slot(&mut self, op: OpKind) -> usize {
        match self.counts.binary_search_by(|(k, _)| k.cmp(&op)) {
            Ok(i) => i,
            Err(i) => {
                if self.counts.capacity() == 0 {
                    // room for the kinds a layer or a MAC usually has, in one allocation
                    self.counts.reserve_exact(8);
                }
                self.counts.insert(i, (op, 0));
                i
            }
        }
    }

    /// Adds `n` to the count at index `i`, saturating and marking it past `u64::MAX`.
    fn add_at(&mut self, i: usize, n: u64) {
        let (op, c) = self.counts[i];
        match c.checked_add(n) {
            Some(v) => self.counts[i].1 = v,
            None => self.saturate_at(i, op),
        }
    }

    fn saturate_at(&mut self, i: usize, op: OpKind) {
        self.counts[i].1 = u64::MAX;
        self.mark_saturated(op);
    }

    fn mark_saturated(&mut self, op: OpKind) {
        if let Err(i) = self.saturated.binary_search(&op) {
            self.saturated.insert(i, op);
        }
    }

    /// Counts `a · b` more operations of kind `op` (the tally of one step repeated `b`
    /// times); a product past `u64::MAX` saturates the count and marks it
    /// ([`Tally::is_saturated_kind`]).
    pub fn add_product(&mut self, op: OpKind, a: u64, b: u64) {
        match a.checked_mul(b) {
            Some(n) => self.add(op, n),
            None => {
                let i = self.slot(op);
                self.saturate_at(i, op);
            }
        }
    }

    /// Adds every count of `other` into this tally.
    pub fn merge(&mut self, other: &Tally) {
        // Tallies of the same computation (a network's layers) usually hold the same kinds:
        // then the counts add pairwise, without a search per kind (the accelerator sweep
        // merges 54 layer tallies per array).
        let same_kinds = self.counts.len() == other.counts.len()
            && self
                .counts
                .iter()
                .zip(&other.counts)
                .all(|(a, b)| a.0 == b.0);
        for (i, &(op, n)) in other.counts.iter().enumerate() {
            if same_kinds {
                self.add_at(i, n);
            } else {
                self.add(op, n);
            }
        }
        for &op in &other.saturated {
            self.mark_saturated(op);
        }
    }

    /// Multiplies every count by `factor` (the tally of one step, repeated `factor` times).
    /// Scaling by 0 empties the tally.
    pub fn scale(&mut self, factor: u64) {
        if factor == 0 {
            self.counts.clear();
            self.saturated.clear();
            return;
        }
        for i in 0..self.counts.len() {
            let (op, c) = self.counts[i];
            match c.checked_mul(factor) {
                Some(v) => self.counts[i].1 = v,
                None => self.saturate_at(i, op),
            }
        }
    }

    /// True when some count saturated at `u64::MAX` (it is a lower bound, not a count).
    #[must_use]
    pub fn is_saturated(&self) -> bool {
        !self.saturated.is_empty()
    }

    /// True when the count of `op` saturated at `u64::MAX`.
    #[must_use]
    pub fn is_saturated_kind(&self, op: OpKind) -> bool {
        self.saturated.binary_search(&op).is_ok()
    }

    /// `Ok` unless a count saturated.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`](crate::Error::OutOfRange) naming the first saturated kind.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::cost::{OpKind, Tally};
    ///
    /// let mut t = Tally::new();
    /// t.add(OpKind::IntAdd { bits: 8 }, u64::MAX);
    /// assert!(t.check().is_ok());
    /// t.add(OpKind::IntAdd { bits: 8 }, 1);
    /// assert!(t.is_saturated() && t.check().is_err());
    /// ```
    pub fn check(&self) -> crate::Result<()> {
        match self.saturated.first() {
            Some(op) => Err(super::count::overflow(format!("\"{op}\" operations"))),
            None => Ok(()),
        }
    }

    /// The count of `op` (0 if never added).
    #[must_use]
    pub fn count(&self, op: OpKind) -> u64 {
        self.counts
            .binary_search_by(|(k, _)| k.cmp(&op))
            .map_or(0, |i| self.counts[i].1)
    }

    /// The sum of all counts, saturating at `u64::MAX` (see [`Tally::checked_total`]).
    #[must_use]
    pub fn total(&self) -> u64 {
        self.checked_total().unwrap_or(u64::MAX)
    }

    /// The sum of all counts; `None` when it, or a count, does not fit `u64`.
    #[must_use]
    pub fn checked_total(&self) -> Option<u64> {
        if self.is_saturated() {
            return None;
        }
        self.counts
            .iter()
            .try_fold(0u64, |a, &(_, b)| a.checked_add(b))
    }

    /// `(kind, count)` pairs in [`OpKind`] order; every count is non-zero.
    pub fn iter(&self) -> impl Iterator<Item = (OpKind, u64)> + '_ {
        self.counts.iter().copied()
    }

    /// Number of distinct kinds counted.
    #[must_use]
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// True when nothing has been counted.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

impl Extend<(OpKind, u64)> for Tally {
    fn extend<I: IntoIterator<Item = (OpKind, u64)>>(&mut self, iter: I) {
        for (op, n) in iter {
            self.add(op, n);
        }
    }
}

impl FromIterator<(OpKind, u64)> for Tally {
    fn from_iter<I: IntoIterator<Item = (OpKind, u64)>>(iter: I) -> Self {
        let mut t = Tally::new();
        t.extend(iter);
        t
    }
}

/// The serialized form: a map from kind to count and a set of saturated kinds, as the
/// tally has always been written (a file from an older version loads).
#[cfg(feature = "serde")]
mod serde_form {
    use std::collections::{BTreeMap, BTreeSet};

    use super::{OpKind, Tally};

    #[derive(serde::Serialize, serde::Deserialize)]
    pub(super) struct TallyForm {
        counts: BTreeMap<OpKind, u64>,
        saturated: BTreeSet<OpKind>,
    }

    impl From<TallyForm> for Tally {
        fn from(f: TallyForm) -> Self {
            // sorted by construction; zero counts are dropped, as `add` never stores one
            Tally {
                counts: f.counts.into_iter().filter(|&(_, n)| n > 0).collect(),
                saturated: f.saturated.into_iter().collect(),
            }
        }
    }

    impl From<Tally> for TallyForm {
        fn from(t: Tally) -> Self {
            TallyForm {
                counts: t.counts.into_iter().collect(),
                saturated: t.saturated.into_iter().collect(),
            }
        }
    }
}

/// A plain-text table: one row per kind, then the total.
impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows: Vec<(String, String)> = self
            .iter()
            .map(|(k, n)| (k.to_string(), n.to_string()))
            .collect();
        let total = match self.checked_total() {
            Some(t) => t.to_string(),
            None => format!(">= {} (saturated)", u64::MAX),
        };
        let w0 = rows
            .iter()
            .map(|r| r.0.len())
            .chain(["operation".len(), "total".len()])
            .max()
            .unwrap_or(0);
        let w1 = rows
            .iter()
            .map(|r| r.1.len())
            .chain(["count".len(), total.len()])
            .max()
            .unwrap_or(0);
        writeln!(f, "{:<w0$}  {:>w1$}", "operation", "count")?;
        writeln!(f, "{}  {}", "-".repeat(w0), "-".repeat(w1))?;
        for (k, n) in &rows {
            writeln!(f, "{k:<w0$}  {n:>w1$}")?;
        }
        write!(f, "{:<w0$}  {total:>w1$}", "total")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::FloatKind;

    const ADD8: OpKind = OpKind::IntAdd { bits: 8 };
    const MUL8: OpKind = OpKind::IntMul { bits: 8 };
    const FMUL: OpKind = OpKind::FpMul {
        format: FloatKind::FP16,
    };

    #[test]
    fn add_merge_scale_count_exactly() {
        let mut a = Tally::new();
        a.add(MUL8, 3);
        a.add(ADD8, 2);
        a.add(MUL8, 4);
        a.add(FMUL, 0);
        assert_eq!((a.count(MUL8), a.count(ADD8), a.count(FMUL)), (7, 2, 0));
        assert_eq!(a.len(), 2);
        let b: Tally = [(FMUL, 5), (ADD8, 1)].into_iter().collect();
        a.merge(&b);
        assert_eq!(
            a.iter().collect::<Vec<_>>(),
            [(ADD8, 3), (MUL8, 7), (FMUL, 5)]
        );
        a.scale(3);
        assert_eq!(a.total(), 45);
        a.scale(0);
        assert!(a.is_empty());
    }

    /// Merging tallies of the same kinds (added pairwise) and of different kinds (added one
    /// kind at a time) both equal adding every count, saturation included.
    #[test]
    fn merge_adds_every_count_whichever_kinds_meet() {
        let by_adding = |parts: &[&Tally]| {
            let mut t = Tally::new();
            for p in parts {
                for (op, n) in p.iter() {
                    t.add(op, n);
                }
            }
            t
        };
        let a: Tally = [(MUL8, 3), (ADD8, 2)].into_iter().collect();
        let same: Tally = [(ADD8, 5), (MUL8, 7)].into_iter().collect();
        let other: Tally = [(FMUL, 1), (ADD8, 4)].into_iter().collect();
        for b in [&same, &other] {
            let mut m = a.clone();
            m.merge(b);
            assert_eq!(m, by_adding(&[&a, b]));
        }
        let mut m = a.clone();
        m.merge(&same);
        assert_eq!(m.iter().collect::<Vec<_>>(), [(ADD8, 7), (MUL8, 10)]);
        let huge: Tally = [(ADD8, u64::MAX), (MUL8, 1)].into_iter().collect();
        m.merge(&huge);
        assert_eq!((m.count(ADD8), m.count(MUL8)), (u64::MAX, 11));
        assert!(m.is_saturated_kind(ADD8) && !m.is_saturated_kind(MUL8));
    }

    #[test]
    fn counts_saturate() {
        let mut a = Tally::new();
        a.add(ADD8, u64::MAX - 1);
        a.add(ADD8, 5);
        assert_eq!(a.count(ADD8), u64::MAX);
        a.add(MUL8, 2);
        assert_eq!(a.total(), u64::MAX);
        a.scale(2);
        assert_eq!(a.count(MUL8), 4);
        assert!(a.is_saturated() && a.is_saturated_kind(ADD8) && !a.is_saturated_kind(MUL8));
        assert_eq!(a.checked_total(), None);
        assert!(a.to_string().ends_with("(saturated)"));
        assert!(a.check().unwrap_err().to_string().contains("8-bit int add"));
        let mut b = Tally::new();
        b.merge(&a);
        assert!(b.is_saturated());
        let mut c = Tally::new();
        c.add(MUL8, u64::MAX / 2 + 1);
        assert!(!c.is_saturated());
        c.scale(2);
        assert!(c.is_saturated());
    }

    #[test]
    fn prints_an_aligned_table_in_stable_order() {
        let t: Tally = [(MUL8, 1000), (ADD8, 7)].into_iter().collect();
        let s = t.to_string();
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0], "operation       count");
        assert_eq!(lines[2], "8-bit int add       7");
        assert_eq!(lines[3], "8-bit int mult   1000");
        assert_eq!(lines[4], "total            1007");
        assert_eq!(
            Tally::new().to_string().lines().last(),
            Some("total          0")
        );
    }
}
