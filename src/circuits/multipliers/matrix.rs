//! The partial-product matrix: rows of bits at column offsets, plus one folded constant.
//!
//! Generators (AND array, Baugh-Wooley, Booth, a MAC's accumulator row) add rows; negative
//! weights are handled by the usual complement trick (`-x·2^k = !x·2^k - 2^k`), whose constant
//! parts are summed into [`PpMatrix::constant`] modulo `2^width`, so the constants cost at most
//! one bit per column. Reductions read the matrix either as rows (the array) or as columns
//! (Wallace, Dadda).

use super::logic::Bit;

/// Rows of bits of a `width`-bit sum, and a constant added to it (modulo `2^width`).
#[derive(Clone, Debug)]
pub(crate) struct PpMatrix<W> {
    /// Output width in bits (1..=128).
    pub(crate) width: usize,
    /// Each row has `width` entries (`Bit::Zero` where it has no bit).
    pub(crate) rows: Vec<Vec<Bit<W>>>,
    /// Sparse single bits (Booth negation bits), as `(column, bit)`.
    pub(crate) extras: Vec<(usize, Bit<W>)>,
    /// Constant added to the sum, modulo `2^width`.
    pub(crate) constant: u128,
}

impl<W: Copy> PpMatrix<W> {
    /// An empty matrix of `width` columns.
    pub(crate) fn new(width: usize) -> Self {
        debug_assert!((1..=128).contains(&width));
        PpMatrix {
            width,
            rows: Vec::new(),
            extras: Vec::new(),
            constant: 0,
        }
    }

    fn mask(&self) -> u128 {
        if self.width == 128 {
            !0
        } else {
            (1u128 << self.width) - 1
        }
    }

    /// Adds `value · 2^shift` (wrapping) to the constant; `shift >= width` adds nothing.
    pub(crate) fn add_constant(&mut self, value: i128, shift: usize) {
        if shift >= self.width {
            return;
        }
        let v = (value as u128).wrapping_shl(shift as u32);
        self.constant = self.constant.wrapping_add(v) & self.mask();
    }

    /// Adds a row: `bits[k]` has weight `2^(offset + k)`; bits beyond the width are dropped.
    /// Constant bits go to the constant, so a row holds only signals.
    pub(crate) fn add_row(&mut self, offset: usize, bits: &[Bit<W>]) {
        let mut row = vec![Bit::Zero; self.width];
        let mut any = false;
        for (k, &b) in bits.iter().enumerate() {
            let col = offset + k;
            if col >= self.width {
                break;
            }
            match b {
                Bit::Zero => {}
                Bit::One => self.add_constant(1, col),
                Bit::Wire(_) => {
                    row[col] = b;
                    any = true;
                }
            }
        }
        if any {
            self.rows.push(row);
        }
    }

    /// Adds a two's-complement row `bits` (its top bit has negative weight) at `offset`:
    /// the top bit is complemented and `-2^(offset + top)` goes to the constant.
    pub(crate) fn add_signed_row<L: super::logic::Logic<W = W>>(
        &mut self,
        l: &mut L,
        offset: usize,
        bits: &[Bit<W>],
    ) {
        let top = bits.len() - 1;
        let mut row = bits.to_vec();
        row[top] = super::logic::not(l, bits[top]);
        self.add_row(offset, &row);
        self.add_constant(-1, offset + top);
    }

    /// Adds a single bit of weight `2^col`.
    pub(crate) fn add_bit(&mut self, col: usize, bit: Bit<W>) {
        if col >= self.width {
            return;
        }
        match bit {
            Bit::Zero => {}
            Bit::One => self.add_constant(1, col),
            Bit::Wire(_) => self.extras.push((col, bit)),
        }
    }

    /// The matrix as columns of signals, with the constant's one-bits placed first in their
    /// columns (so counters fold them early).
    pub(crate) fn columns(&self) -> Vec<Vec<Bit<W>>> {
        let mut cols: Vec<Vec<Bit<W>>> = vec![Vec::new(); self.width];
        for (j, col) in cols.iter_mut().enumerate() {
            if (self.constant >> j) & 1 == 1 {
                col.push(Bit::One);
            }
        }
        for row in &self.rows {
            for (j, &b) in row.iter().enumerate() {
                if !matches!(b, Bit::Zero) {
                    cols[j].push(b);
                }
            }
        }
        for &(j, b) in &self.extras {
            cols[j].push(b);
        }
        cols
    }

    /// The matrix as rows with at most one bit per column each: the sparse bits and the
    /// constant's one-bits are packed into the first row with a free slot at their column
    /// (a new row only when none has one).
    pub(crate) fn packed_rows(&self) -> Vec<Vec<Bit<W>>> {
        let mut rows = self.rows.clone();
        let mut singles: Vec<(usize, Bit<W>)> = (0..self.width)
            .filter(|&j| (self.constant >> j) & 1 == 1)
            .map(|j| (j, Bit::One))
            .collect();
        singles.extend(self.extras.iter().copied());
        for (j, b) in singles {
            match rows.iter_mut().find(|r| matches!(r[j], Bit::Zero)) {
                Some(r) => r[j] = b,
                None => {
                    let mut r = vec![Bit::Zero; self.width];
                    r[j] = b;
                    rows.push(r);
                }
            }
        }
        rows
    }

    /// Column heights (signals and constant one-bits).
    #[cfg(test)]
    pub(crate) fn heights(&self) -> Vec<u32> {
        self.columns().iter().map(|c| c.len() as u32).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::circuits::multipliers::logic::eval::{Eval, lane_value, pack};

    /// The sum of a matrix in each of 64 lanes, computed directly.
    pub(crate) fn matrix_value(m: &PpMatrix<u64>, lane: u32) -> u128 {
        let mut acc = m.constant;
        for row in &m.rows {
            acc = acc.wrapping_add(lane_value(row, lane));
        }
        for &(j, b) in &m.extras {
            acc = acc.wrapping_add(lane_value(&[b], lane) << j);
        }
        if m.width < 128 {
            acc & ((1u128 << m.width) - 1)
        } else {
            acc
        }
    }

    #[test]
    fn signed_row_trick_is_exact() {
        // A 4-bit two's-complement row at offset 3 in a 10-bit sum: value * 8 mod 2^10.
        let values: Vec<u128> = (0..16).collect();
        let mut l = Eval::default();
        let bits = pack(&values, 4);
        let mut m = PpMatrix::new(10);
        m.add_signed_row(&mut l, 3, &bits);
        for lane in 0..16u32 {
            let v = (lane as i128) - if lane >= 8 { 16 } else { 0 };
            assert_eq!(
                matrix_value(&m, lane),
                ((v * 8) as u128) & 0x3ff,
                "lane {lane}"
            );
        }
        // Packed rows keep the value and hold at most one bit per column per row.
        let rows = m.packed_rows();
        let total: u128 = rows.iter().map(|r| lane_value(r, 5)).sum();
        assert_eq!(total & 0x3ff, 40);
        assert_eq!(
            m.heights().iter().sum::<u32>() as usize,
            4 + m.constant.count_ones() as usize
        );
    }
}
