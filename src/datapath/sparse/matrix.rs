//! A sparse matrix in one of the storage layouts, as the sparse kernels read it.

use crate::{Error, Result};

use super::storage::{Layout, StorageBytes, check_nm, storage_bytes};

/// A `rows × cols` matrix stored in a [`Layout`]: which entries are stored (non-zeros, or
/// exactly `n` of every `m` for N:M, zeros included where a group has fewer non-zeros),
/// and its exact bytes.
///
/// The stored entries are kept by row, in column order, whatever the layout: that is the
/// order the sparse kernels consume them (each row of `A` is one output row of `C`), and it
/// does not change a value or a count. The layout sets which entries are stored and the
/// bytes ([`SparseMatrix::storage`]). A float `-0.0` counts as zero and decodes as `+0.0`.
///
/// # Examples
///
/// ```
/// use arithsim::datapath::sparse::{Layout, SparseMatrix};
///
/// let dense: [i8; 8] = [0, 3, 0, -2, 5, 0, 0, 0]; // 2 x 4, 2:4 sparse
/// let s = SparseMatrix::from_dense(Layout::NM { n: 2, m: 4 }, 2, 4, &dense)?;
/// assert_eq!(s.stored(), 4);     // 2 per group of 4, one of them a stored zero
/// assert_eq!(s.nonzeros(), 3);
/// assert_eq!(s.to_dense(), dense);
/// let b = s.storage(8)?;         // 4 INT8 values + 4 two-bit indices
/// assert_eq!((b.values, b.metadata), (4, 1));
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct SparseMatrix<T> {
    layout: Layout,
    rows: usize,
    cols: usize,
    row_ptr: Vec<usize>,
    col_idx: Vec<u32>,
    values: Vec<T>,
}

impl<T: Copy + Default + PartialEq> SparseMatrix<T> {
    /// Encodes a row-major dense matrix.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] for a zero dimension, more than `u32::MAX` columns or a slice that is
    /// not `rows·cols` long; for [`Layout::NM`], as [`check_nm`] on `cols`, and
    /// [`Error::InvalidParameter`] naming `dense` when a group holds more than `n`
    /// non-zeros (prune it first).
    pub fn from_dense(layout: Layout, rows: usize, cols: usize, dense: &[T]) -> Result<Self> {
        if rows == 0 || cols == 0 || u32::try_from(cols).is_err() {
            return Err(Error::Shape(format!(
                "sparse matrix {rows}x{cols}: dimensions must be in 1.. (columns up to 2^32 - 1)"
            )));
        }
        let len = rows
            .checked_mul(cols)
            .ok_or_else(|| Error::Shape(format!("sparse matrix {rows}x{cols} overflows")))?;
        super::super::shape::check_len("dense matrix", dense.len(), len, "rows*cols")?;
        let zero = T::default();
        let mut row_ptr = Vec::with_capacity(rows + 1);
        let mut col_idx = Vec::new();
        let mut values = Vec::new();
        row_ptr.push(0);
        match layout {
            Layout::NM { n, m } => {
                check_nm(n, m, cols)?;
                for (r, row) in dense.chunks_exact(cols).enumerate() {
                    for (g, group) in row.chunks_exact(m).enumerate() {
                        let nz: Vec<usize> = (0..m).filter(|&i| group[i] != zero).collect();
                        if nz.len() > n {
                            return Err(Error::param(
                                "dense",
                                format!("row {r} group {g}"),
                                format!("has {} non-zeros, more than n = {n} of m = {m}", nz.len()),
                            ));
                        }
                        // Pad with the first zero positions so every group stores exactly n.
                        let mut keep = nz;
                        let mut i = 0;
                        while keep.len() < n {
                            if group[i] == zero && !keep.contains(&i) {
                                keep.push(i);
                            }
                            i += 1;
                        }
                        keep.sort_unstable();
                        for i in keep {
                            col_idx.push((g * m + i) as u32);
                            values.push(group[i]);
                        }
                    }
                    row_ptr.push(values.len());
                }
            }
            Layout::Dense => {
                for row in dense.chunks_exact(cols) {
                    col_idx.extend(0..cols as u32);
                    values.extend_from_slice(row);
                    row_ptr.push(values.len());
                }
            }
            Layout::Bitmap | Layout::Csr | Layout::Csc => {
                for row in dense.chunks_exact(cols) {
                    for (c, &v) in row.iter().enumerate() {
                        if v != zero {
                            col_idx.push(c as u32);
                            values.push(v);
                        }
                    }
                    row_ptr.push(values.len());
                }
            }
        }
        Ok(Self {
            layout,
            rows,
            cols,
            row_ptr,
            col_idx,
            values,
        })
    }

    /// The dense row-major matrix.
    #[must_use]
    pub fn to_dense(&self) -> Vec<T> {
        let mut d = vec![T::default(); self.rows * self.cols];
        for r in 0..self.rows {
            let (cols, vals) = self.row(r);
            for (&c, &v) in cols.iter().zip(vals) {
                d[r * self.cols + c as usize] = v;
            }
        }
        d
    }

    /// Stored entries that are not zero.
    #[must_use]
    pub fn nonzeros(&self) -> usize {
        let zero = T::default();
        self.values.iter().filter(|&&v| v != zero).count()
    }

    /// Fraction of the elements that are not zero.
    #[must_use]
    pub fn density(&self) -> f64 {
        self.nonzeros() as f64 / (self.rows * self.cols) as f64
    }
}

impl<T> SparseMatrix<T> {
    /// The layout.
    #[must_use]
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// Rows.
    #[must_use]
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Columns (the reduction length when this is a GEMM's `A`).
    #[must_use]
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Stored entries (what a skipping kernel issues per output column).
    #[must_use]
    pub fn stored(&self) -> usize {
        self.values.len()
    }

    /// Row `r`'s stored column indices and values, in column order.
    ///
    /// # Panics
    ///
    /// If `r >= rows`.
    #[must_use]
    pub fn row(&self, r: usize) -> (&[u32], &[T]) {
        let (s, e) = (self.row_ptr[r], self.row_ptr[r + 1]);
        (&self.col_idx[s..e], &self.values[s..e])
    }

    /// Exact bytes in this layout with values of `value_bits` each (see [`storage_bytes`]).
    ///
    /// # Errors
    ///
    /// As [`storage_bytes`].
    pub fn storage(&self, value_bits: u32) -> Result<StorageBytes> {
        storage_bytes(self.layout, self.rows, self.cols, self.stored(), value_bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_round_trip_and_count() {
        let d: Vec<i16> = vec![0, 1, 0, 0, 0, 0, 7, -3, 0, 0, 0, 0];
        for layout in [
            Layout::Dense,
            Layout::Bitmap,
            Layout::Csr,
            Layout::Csc,
            Layout::NM { n: 2, m: 4 },
            Layout::NM { n: 3, m: 4 },
        ] {
            let s = SparseMatrix::from_dense(layout, 3, 4, &d).unwrap();
            assert_eq!(s.to_dense(), d, "{layout}");
            assert_eq!(s.nonzeros(), 3);
            let want = match layout {
                Layout::Dense => 12,
                Layout::NM { n, m } => 12 * n / m,
                _ => 3,
            };
            assert_eq!(s.stored(), want, "{layout}");
        }
        let s = SparseMatrix::from_dense(Layout::Csr, 3, 4, &d).unwrap();
        assert_eq!(s.row(1), (&[2u32, 3][..], &[7i16, -3][..]));
        assert_eq!(s.density(), 0.25);
    }

    #[test]
    fn nm_rejects_a_dense_group_and_bad_shapes() {
        let d = [1i8, 2, 3, 0];
        let e = SparseMatrix::from_dense(Layout::NM { n: 2, m: 4 }, 1, 4, &d).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid dense row 0 group 0: has 3 non-zeros, more than n = 2 of m = 4"
        );
        assert!(SparseMatrix::from_dense(Layout::Csr, 2, 3, &d).is_err());
        assert!(SparseMatrix::from_dense(Layout::Csr, 0, 4, &d[..0]).is_err());
        assert!(SparseMatrix::from_dense(Layout::NM { n: 2, m: 3 }, 1, 4, &d).is_err());
    }
}
