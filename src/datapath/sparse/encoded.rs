//! The arrays a layout actually stores, so the byte counts can be checked against them.

use super::matrix::SparseMatrix;
use super::storage::{Layout, StorageBytes, index_bits, nm_index_bits};

/// A [`SparseMatrix`] written out in its layout: values in storage order, index and pointer
/// arrays with their widths, and the bitmap.
///
/// | layout | `values` order | `indices` | `pointers` | `bitmap` |
/// |---|---|---|---|---|
/// | dense | row-major | — | — | — |
/// | bitmap | row-major, stored only | — | — | bit `r·cols + c` (LSB first) |
/// | CSR | row-major | column of each value | `rows + 1` offsets | — |
/// | CSC | column-major | row of each value | `cols + 1` offsets | — |
/// | N:M | row-major, `n` per group | position in the group | — | — |
///
/// # Examples
///
/// ```
/// use arithsim::datapath::sparse::{Layout, SparseMatrix};
///
/// let d: [i8; 6] = [0, 4, 0, 5, 0, 6]; // 2 x 3
/// let csc = SparseMatrix::from_dense(Layout::Csc, 2, 3, &d)?.encode();
/// assert_eq!(csc.values, [5, 4, 6]);          // column by column
/// assert_eq!(csc.indices, [1, 0, 1]);         // rows
/// assert_eq!(csc.pointers, [0, 1, 2, 3]);
/// assert_eq!(csc.to_dense(), d);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Encoded<T> {
    /// The layout.
    pub layout: Layout,
    /// Rows.
    pub rows: usize,
    /// Columns.
    pub cols: usize,
    /// Stored values in storage order.
    pub values: Vec<T>,
    /// Column (CSR), row (CSC) or in-group position (N:M) of each value.
    pub indices: Vec<u64>,
    /// Width of one index in bits.
    pub index_bits: u32,
    /// Row (CSR) or column (CSC) offsets into `values`.
    pub pointers: Vec<u64>,
    /// Width of one pointer in bits.
    pub pointer_bits: u32,
    /// One bit per element, row-major, least significant bit first (bitmap layout).
    pub bitmap: Vec<u8>,
}

impl<T: Copy + Default> Encoded<T> {
    /// Bytes of these arrays with values of `value_bits`: each array packed and rounded up
    /// to whole bytes (equal to [`SparseMatrix::storage`]; tested).
    #[must_use]
    pub fn bytes(&self, value_bits: u32) -> StorageBytes {
        let packed = |n: usize, bits: u32| (n as u64 * bits as u64).div_ceil(8);
        StorageBytes {
            values: packed(self.values.len(), value_bits),
            metadata: packed(self.indices.len(), self.index_bits)
                + packed(self.pointers.len(), self.pointer_bits)
                + self.bitmap.len() as u64,
        }
    }

    /// The dense row-major matrix, decoded from the arrays alone.
    #[must_use]
    pub fn to_dense(&self) -> Vec<T> {
        let (r, c) = (self.rows, self.cols);
        let mut d = vec![T::default(); r * c];
        match self.layout {
            Layout::Dense => d.copy_from_slice(&self.values),
            Layout::Bitmap => {
                let mut v = self.values.iter();
                for (i, x) in d.iter_mut().enumerate() {
                    if self.bitmap[i / 8] >> (i % 8) & 1 == 1 {
                        *x = *v.next().expect("one value per set bit");
                    }
                }
            }
            Layout::Csr | Layout::Csc => {
                for outer in 0..self.pointers.len() - 1 {
                    let (s, e) = (
                        self.pointers[outer] as usize,
                        self.pointers[outer + 1] as usize,
                    );
                    for p in s..e {
                        let inner = self.indices[p] as usize;
                        let at = if self.layout == Layout::Csr {
                            outer * c + inner
                        } else {
                            inner * c + outer
                        };
                        d[at] = self.values[p];
                    }
                }
            }
            Layout::NM { n, m } => {
                for (slot, (&v, &pos)) in self.values.iter().zip(&self.indices).enumerate() {
                    let group = slot / n; // groups in row-major order
                    d[group * m + pos as usize] = v;
                }
            }
        }
        d
    }
}

impl<T: Copy + Default + PartialEq> SparseMatrix<T> {
    /// The arrays of this matrix's layout (see [`Encoded`]).
    #[must_use]
    pub fn encode(&self) -> Encoded<T> {
        let (rows, cols) = (self.rows(), self.cols());
        let mut e = Encoded {
            layout: self.layout(),
            rows,
            cols,
            values: Vec::with_capacity(self.stored()),
            indices: Vec::new(),
            index_bits: 0,
            pointers: Vec::new(),
            pointer_bits: 0,
            bitmap: Vec::new(),
        };
        let by_row = || {
            (0..rows).flat_map(|r| {
                let (c, v) = self.row(r);
                c.iter().zip(v).map(move |(&c, &v)| (r, c as usize, v))
            })
        };
        match self.layout() {
            Layout::Dense => e.values.extend(by_row().map(|x| x.2)),
            Layout::Bitmap => {
                e.bitmap = vec![0u8; (rows * cols).div_ceil(8)];
                for (r, c, v) in by_row() {
                    let i = r * cols + c;
                    e.bitmap[i / 8] |= 1 << (i % 8);
                    e.values.push(v);
                }
            }
            Layout::Csr => {
                e.index_bits = index_bits(cols as u64 - 1);
                e.pointer_bits = index_bits(self.stored() as u64);
                e.pointers.push(0);
                for r in 0..rows {
                    let (c, v) = self.row(r);
                    e.indices.extend(c.iter().map(|&c| c as u64));
                    e.values.extend_from_slice(v);
                    e.pointers.push(e.values.len() as u64);
                }
            }
            Layout::Csc => {
                e.index_bits = index_bits(rows as u64 - 1);
                e.pointer_bits = index_bits(self.stored() as u64);
                let mut per_col: Vec<Vec<(usize, T)>> = vec![Vec::new(); cols];
                for (r, c, v) in by_row() {
                    per_col[c].push((r, v));
                }
                e.pointers.push(0);
                for col in per_col {
                    for (r, v) in col {
                        e.indices.push(r as u64);
                        e.values.push(v);
                    }
                    e.pointers.push(e.values.len() as u64);
                }
            }
            Layout::NM { m, .. } => {
                e.index_bits = nm_index_bits(m);
                for (_, c, v) in by_row() {
                    e.indices.push((c % m) as u64);
                    e.values.push(v);
                }
            }
        }
        e
    }
}
