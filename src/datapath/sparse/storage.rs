//! Exact byte counts of a sparse matrix in each storage layout, values and metadata apart.
//!
//! Every array of a layout is counted on its own and rounded up to whole bytes: values of
//! `value_bits` each are packed (`⌈count·bits / 8⌉`), index arrays use the narrowest
//! byte-aligned unsigned type (8, 16, 32 or 64 bits) that holds their largest entry, as a
//! library choosing `u8`/`u16`/`u32` from the shape would, and a bitmap or an N:M index is
//! packed bits.

use std::fmt;

use crate::limits::SPARSE_NM_MAX_M;
use crate::{Error, Result};

/// A storage layout of a `rows × cols` matrix (row-major; for a GEMM's `A`, `cols` is the
/// reduction `K`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layout {
    /// Every element, no metadata.
    Dense,
    /// The non-zero values in row order plus one bit per element saying which are stored.
    Bitmap,
    /// Compressed sparse rows: values and column indices in row order, plus `rows + 1` row
    /// pointers (offsets into the values).
    Csr,
    /// Compressed sparse columns: values and row indices in column order, plus `cols + 1`
    /// column pointers.
    Csc,
    /// N:M structured sparsity along each row: of every `m` consecutive elements exactly `n`
    /// are stored (zeros stored as values where a group has fewer non-zeros), each with its
    /// position in the group in `⌈log2 m⌉` bits (2 bits for 2:4, as sparse tensor cores do).
    NM {
        /// Values kept per group.
        n: usize,
        /// Group length.
        m: usize,
    },
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Layout::Dense => f.write_str("dense"),
            Layout::Bitmap => f.write_str("bitmap"),
            Layout::Csr => f.write_str("CSR"),
            Layout::Csc => f.write_str("CSC"),
            Layout::NM { n, m } => write!(f, "{n}:{m}"),
        }
    }
}

/// Bytes of one stored matrix: the values and everything else (indices, pointers, bitmap).
///
/// # Examples
///
/// ```
/// use arithsim::datapath::sparse::{Layout, storage_bytes};
///
/// // A 2:4 INT8 matrix of 64 x 64: half the values plus 2 bits per kept value.
/// let s = storage_bytes(Layout::NM { n: 2, m: 4 }, 64, 64, 2048, 8)?;
/// assert_eq!((s.values, s.metadata), (2048, 512));
/// assert_eq!(s.total(), 2560); // 62.5 % of the 4096 dense bytes
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct StorageBytes {
    /// Bytes of stored values.
    pub values: u64,
    /// Bytes of indices, pointers or bitmap.
    pub metadata: u64,
}

impl StorageBytes {
    /// Values plus metadata.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.values + self.metadata
    }

    /// `total / dense_bytes` (1 for a dense layout).
    #[must_use]
    pub fn ratio_to(&self, dense_bytes: u64) -> f64 {
        self.total() as f64 / dense_bytes as f64
    }
}

/// Width in bits of the narrowest byte-aligned unsigned index type (8, 16, 32 or 64 bits)
/// that holds `max`.
///
/// # Examples
///
/// ```
/// use arithsim::datapath::sparse::index_bits;
///
/// assert_eq!(index_bits(255), 8);
/// assert_eq!(index_bits(256), 16);
/// assert_eq!(index_bits(70_000), 32);
/// ```
#[must_use]
pub fn index_bits(max: u64) -> u32 {
    match max {
        0..=0xff => 8,
        0x100..=0xffff => 16,
        0x1_0000..=0xffff_ffff => 32,
        _ => 64,
    }
}

/// Bits of an N:M position index: `⌈log2 m⌉` (at least 1, so a 1:1 layout still says where).
#[must_use]
pub fn nm_index_bits(m: usize) -> u32 {
    (usize::BITS - (m.max(2) - 1).leading_zeros()).max(1)
}

/// Checks an N:M pattern on a reduction of length `len`: `1 <= n <= m` and `m` divides `len`.
///
/// # Errors
///
/// [`Error::InvalidParameter`] naming `n` or `m`.
pub fn check_nm(n: usize, m: usize, len: usize) -> Result<()> {
    if m == 0 {
        return Err(Error::param(
            "m",
            m,
            "an N:M group needs at least one element",
        ));
    }
    if m > SPARSE_NM_MAX_M {
        return Err(Error::param(
            "m",
            m,
            format!("an N:M group holds at most SPARSE_NM_MAX_M = {SPARSE_NM_MAX_M} elements"),
        ));
    }
    if n == 0 || n > m {
        return Err(Error::param(
            "n",
            n,
            format!("must be in 1..={m} (values kept per group of m = {m})"),
        ));
    }
    if len % m != 0 {
        return Err(Error::param(
            "m",
            m,
            format!("does not divide the reduction length {len}"),
        ));
    }
    Ok(())
}

/// Bytes of a `rows × cols` matrix with `nnz` stored values of `value_bits` each in `layout`.
///
/// For [`Layout::NM`], `nnz` is ignored: the layout stores exactly `n` of every `m` values.
///
/// # Errors
///
/// [`Error::Shape`] for a zero dimension or `nnz > rows·cols`; [`Error::InvalidWidth`] for
/// `value_bits` outside 1..=64; as [`check_nm`] for an N:M layout that does not fit `cols`.
pub fn storage_bytes(
    layout: Layout,
    rows: usize,
    cols: usize,
    nnz: usize,
    value_bits: u32,
) -> Result<StorageBytes> {
    Error::check_width("value", value_bits, 1, 64)?;
    if rows == 0 || cols == 0 {
        return Err(Error::Shape(format!(
            "sparse matrix {rows}x{cols} has a zero dimension"
        )));
    }
    let elems = (rows as u64)
        .checked_mul(cols as u64)
        .ok_or_else(|| Error::Shape(format!("sparse matrix {rows}x{cols} overflows")))?;
    if nnz as u64 > elems {
        return Err(Error::Shape(format!(
            "{nnz} stored values do not fit a {rows}x{cols} matrix"
        )));
    }
    // Bits in u128 (at most 2^64 · 64 · 2), bytes checked back into u64.
    let what = "sparse storage bytes";
    let packed = |count: u64, bits: u64| -> Result<u64> {
        crate::cost::count::narrow((count as u128 * bits as u128).div_ceil(8), what)
    };
    let vb = value_bits as u64;
    let nnz = nnz as u64;
    let s = match layout {
        Layout::Dense => StorageBytes {
            values: packed(elems, vb)?,
            metadata: 0,
        },
        Layout::Bitmap => StorageBytes {
            values: packed(nnz, vb)?,
            metadata: packed(elems, 1)?,
        },
        Layout::Csr | Layout::Csc => {
            let (outer, inner) = if layout == Layout::Csr {
                (rows as u64, cols as u64)
            } else {
                (cols as u64, rows as u64)
            };
            let idx = index_bits(inner - 1) as u64;
            let ptr = index_bits(nnz) as u64;
            StorageBytes {
                values: packed(nnz, vb)?,
                metadata: crate::cost::count::add(
                    packed(nnz, idx)?,
                    packed(crate::cost::count::add(outer, 1, what)?, ptr)?,
                    what,
                )?,
            }
        }
        Layout::NM { n, m } => {
            check_nm(n, m, cols)?;
            let kept = rows as u64 * (cols / m) as u64 * n as u64;
            StorageBytes {
                values: packed(kept, vb)?,
                metadata: packed(kept, nm_index_bits(m) as u64)?,
            }
        }
    };
    // `total()` adds the two: it must fit too.
    crate::cost::count::add(s.values, s.metadata, what)?;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand_small_cases() {
        // 3 x 5, 4 non-zeros, INT8: CSR = 4 values + 4 u8 columns + 4 u8 pointers.
        let csr = storage_bytes(Layout::Csr, 3, 5, 4, 8).unwrap();
        assert_eq!((csr.values, csr.metadata), (4, 4 + 4));
        // CSC: 4 values + 4 u8 rows + 6 u8 pointers.
        let csc = storage_bytes(Layout::Csc, 3, 5, 4, 8).unwrap();
        assert_eq!((csc.values, csc.metadata), (4, 4 + 6));
        // Bitmap: 15 bits -> 2 bytes; FP16 values: 8 bytes.
        let bm = storage_bytes(Layout::Bitmap, 3, 5, 4, 16).unwrap();
        assert_eq!((bm.values, bm.metadata), (8, 2));
        // 300 columns need u16 column indices; 70 000 non-zeros need u32 pointers.
        let wide = storage_bytes(Layout::Csr, 1000, 300, 70_000, 32).unwrap();
        assert_eq!(wide.values, 280_000);
        assert_eq!(wide.metadata, 70_000 * 2 + 1001 * 4);
        // 1:8 of 2 x 16 FP32: 4 kept, 3-bit indices -> 12 bits -> 2 bytes.
        let nm = storage_bytes(Layout::NM { n: 1, m: 8 }, 2, 16, 0, 32).unwrap();
        assert_eq!((nm.values, nm.metadata), (16, 2));
        let d = storage_bytes(Layout::Dense, 3, 5, 0, 4).unwrap();
        assert_eq!((d.values, d.metadata), (8, 0)); // 60 bits
    }

    #[test]
    fn two_four_halves_values_and_adds_metadata() {
        for (bits, ratio) in [(8, 0.625), (16, 0.5625), (32, 0.53125)] {
            let dense = storage_bytes(Layout::Dense, 128, 256, 0, bits).unwrap();
            let s = storage_bytes(Layout::NM { n: 2, m: 4 }, 128, 256, 0, bits).unwrap();
            assert_eq!(s.values * 2, dense.values);
            assert_eq!(s.ratio_to(dense.total()), ratio);
        }
    }

    #[test]
    fn bad_input_names_the_parameter() {
        let e = storage_bytes(Layout::NM { n: 3, m: 2 }, 2, 4, 0, 8).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid n 3: must be in 1..=2 (values kept per group of m = 2)"
        );
        let e = storage_bytes(Layout::NM { n: 2, m: 4 }, 2, 6, 0, 8).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid m 4: does not divide the reduction length 6"
        );
        assert!(storage_bytes(Layout::Csr, 2, 2, 5, 8).is_err());
        assert!(storage_bytes(Layout::Csr, 0, 2, 0, 8).is_err());
        assert!(storage_bytes(Layout::Csr, 2, 2, 1, 0).is_err());
        assert_eq!(nm_index_bits(4), 2);
        assert_eq!(nm_index_bits(8), 3);
        assert_eq!(nm_index_bits(5), 3);
        assert_eq!(nm_index_bits(1), 1);
    }
}
