//! Memory-traffic model: operands stream from a backing level into a local buffer one tile at
//! a time and are reused inside the tile.
//!
//! The model is an output-stationary tiled GEMM `C[M × N] = A[M × K] · B[K × N]` with tile
//! `tm × tn × tk`:
//!
//! ```text
//! for each output tile (tm × tn):            // accumulators stay in registers
//!     for each k tile:
//!         load A[tm × tk] and B[tk × tn] from backing into local
//!         every MAC reads its two operands from local
//!     write C[tm × tn] to backing once
//! ```
//!
//! So, in elements: backing reads `A = M·K·⌈N/tn⌉`, `B = K·N·⌈M/tm⌉` (each element fetched once
//! per tile that needs it, then reused `tn` resp. `tm` times from local), the same counts as
//! local writes, local reads `2·M·N·K` (one per operand per MAC), backing writes `M·N` results
//! (and one backing read per bias element when there is a bias). Accumulator registers are not
//! counted. A conv2d is counted through its implicit-GEMM view (weights `A`, im2col `B`), so
//! input elements shared by overlapping windows are counted once per window (an upper bound:
//! no halo reuse).

use crate::cost::{MemLevel, OpKind, Tally};
use crate::{Error, Result};

use super::shape::GemmShape;

/// The tile held in the local level: `m × k` of `A`, `k × n` of `B`, `m × n` accumulators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Tile {
    /// Rows of `A` (and `C`) per tile.
    pub m: usize,
    /// Columns of `B` (and `C`) per tile.
    pub n: usize,
    /// Reduction length per tile.
    pub k: usize,
}

/// A two-level memory: where tensors live (`backing`) and where a tile is reused (`local`).
///
/// # Examples
///
/// ```
/// use arithsim::cost::MemLevel;
/// use arithsim::datapath::{GemmShape, MemoryModel, Tile};
///
/// let mem = MemoryModel::new(MemLevel::Dram, MemLevel::Sram { bytes: 64 << 10 },
///                            Tile { m: 32, n: 32, k: 64 })?;
/// let t = mem.gemm_traffic(GemmShape::new(64, 64, 64)?, 8, 8, 32, 0)?;
/// // A is read once per column tile (2), B once per row tile (2).
/// assert_eq!((t.backing_reads_a, t.backing_reads_b), (2 * 64 * 64, 2 * 64 * 64));
/// assert_eq!(t.backing_read_bytes(), 16384);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MemoryModel {
    /// Where operands are read from and results written to.
    pub backing: MemLevel,
    /// Where a tile is held while it is reused.
    pub local: MemLevel,
    /// The tile size.
    pub tile: Tile,
}

/// Element accesses of one kernel under a [`MemoryModel`], with their widths.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Traffic {
    /// Elements of `A` read from the backing level.
    pub backing_reads_a: u64,
    /// Elements of `B` read from the backing level.
    pub backing_reads_b: u64,
    /// Bias (initial accumulator) elements read from the backing level.
    pub backing_reads_bias: u64,
    /// Results written to the backing level.
    pub backing_writes: u64,
    /// Operand elements read from the local level (two per MAC).
    pub local_reads_a: u64,
    /// Operand elements of `B` read from the local level.
    pub local_reads_b: u64,
    /// Width of an `A` element in bits.
    pub a_bits: u32,
    /// Width of a `B` element in bits.
    pub b_bits: u32,
    /// Width of a result (and bias) element in bits.
    pub out_bits: u32,
}

impl Traffic {
    /// Bytes read from the backing level. ([`MemoryModel::gemm_traffic`] checks that every
    /// byte count of its result fits `u64`; for a hand-built `Traffic` that does not, the
    /// byte counts saturate at `u64::MAX`.)
    #[must_use]
    pub fn backing_read_bytes(&self) -> u64 {
        bytes_of(&[
            (self.backing_reads_a, self.a_bits),
            (self.backing_reads_b, self.b_bits),
            (self.backing_reads_bias, self.out_bits),
        ])
    }

    /// Bytes written to the backing level.
    #[must_use]
    pub fn backing_write_bytes(&self) -> u64 {
        bytes_of(&[(self.backing_writes, self.out_bits)])
    }

    /// Bytes read from the local level.
    #[must_use]
    pub fn local_read_bytes(&self) -> u64 {
        bytes_of(&[
            (self.local_reads_a, self.a_bits),
            (self.local_reads_b, self.b_bits),
        ])
    }

    /// `Ok` when every byte count of this traffic fits `u64`.
    fn check(&self) -> Result<()> {
        let sums: [&[(u64, u32)]; 3] = [
            &[
                (self.backing_reads_a, self.a_bits),
                (self.backing_reads_b, self.b_bits),
                (self.backing_reads_bias, self.out_bits),
            ],
            &[(self.backing_writes, self.out_bits)],
            &[
                (self.local_reads_a, self.a_bits),
                (self.local_reads_b, self.b_bits),
            ],
        ];
        for parts in sums {
            let bits: u128 = parts.iter().map(|&(n, b)| n as u128 * b as u128).sum();
            crate::cost::count::narrow(bits, "memory traffic bits")?;
        }
        Ok(())
    }

    /// Adds `times` copies of these accesses to `tally` as [`OpKind::MemRead`] /
    /// [`OpKind::MemWrite`] of one element each.
    pub fn add_to(&self, mem: &MemoryModel, tally: &mut Tally, times: u64) {
        let rd = |level, bits| OpKind::MemRead { level, bits };
        let wr = |level, bits| OpKind::MemWrite { level, bits };
        // A product past u64::MAX saturates and marks the tally (Tally::is_saturated).
        tally.add_product(rd(mem.backing, self.a_bits), self.backing_reads_a, times);
        tally.add_product(rd(mem.backing, self.b_bits), self.backing_reads_b, times);
        tally.add_product(
            rd(mem.backing, self.out_bits),
            self.backing_reads_bias,
            times,
        );
        tally.add_product(wr(mem.local, self.a_bits), self.backing_reads_a, times);
        tally.add_product(wr(mem.local, self.b_bits), self.backing_reads_b, times);
        tally.add_product(rd(mem.local, self.a_bits), self.local_reads_a, times);
        tally.add_product(rd(mem.local, self.b_bits), self.local_reads_b, times);
        tally.add_product(wr(mem.backing, self.out_bits), self.backing_writes, times);
    }
}

/// `⌈Σ count · bits / 8⌉`, saturating at `u64::MAX` (see [`Traffic::backing_read_bytes`]).
fn bytes_of(parts: &[(u64, u32)]) -> u64 {
    let bits: u128 = parts.iter().map(|&(n, b)| n as u128 * b as u128).sum();
    u64::try_from(bits.div_ceil(8)).unwrap_or(u64::MAX)
}

/// Bytes read from and written to one memory level, summed from a [`Tally`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LevelBytes {
    /// The level.
    pub level: MemLevel,
    /// Bytes read (Σ count · bits / 8, rounded up).
    pub read_bytes: u64,
    /// Bytes written.
    pub write_bytes: u64,
}

/// The memory traffic in `tally`, per level, in [`MemLevel`] order (register file, SRAMs by
/// size, DRAM).
///
/// # Examples
///
/// ```
/// use arithsim::cost::{MemLevel, OpKind, Tally};
/// use arithsim::datapath::memory_bytes;
///
/// let mut t = Tally::new();
/// t.add(OpKind::MemRead { level: MemLevel::Dram, bits: 8 }, 1000);
/// t.add(OpKind::MemWrite { level: MemLevel::Dram, bits: 32 }, 10);
/// let l = memory_bytes(&t)?;
/// assert_eq!((l[0].read_bytes, l[0].write_bytes), (1000, 40));
/// # Ok::<(), arithsim::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::OutOfRange`] when the tally saturated or a level's bytes do not fit `u64`.
pub fn memory_bytes(tally: &Tally) -> Result<Vec<LevelBytes>> {
    tally.check()?;
    let mut bits: std::collections::BTreeMap<MemLevel, (u128, u128)> = Default::default();
    for (op, n) in tally.iter() {
        // At most 2^64 · 2^32 per term and a few hundred kinds: u128 cannot overflow.
        match op {
            OpKind::MemRead { level, bits: b } => {
                bits.entry(level).or_default().0 += n as u128 * b as u128;
            }
            OpKind::MemWrite { level, bits: b } => {
                bits.entry(level).or_default().1 += n as u128 * b as u128;
            }
            _ => {}
        }
    }
    let narrow = crate::cost::count::narrow;
    bits.into_iter()
        .map(|(level, (r, w))| {
            Ok(LevelBytes {
                level,
                read_bytes: narrow(r.div_ceil(8), "bytes read from a memory level")?,
                write_bytes: narrow(w.div_ceil(8), "bytes written to a memory level")?,
            })
        })
        .collect()
}

impl MemoryModel {
    /// A validated model.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] when a tile dimension is 0 or a level is an SRAM of 0
    /// bytes.
    pub fn new(backing: MemLevel, local: MemLevel, tile: Tile) -> Result<Self> {
        let m = Self {
            backing,
            local,
            tile,
        };
        m.validate()?;
        Ok(m)
    }

    /// Checks the tile.
    ///
    /// # Errors
    ///
    /// As [`MemoryModel::new`].
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [
            ("tile m", self.tile.m),
            ("tile n", self.tile.n),
            ("tile k", self.tile.k),
        ] {
            if v == 0 {
                return Err(Error::param(name, 0, "must be at least 1"));
            }
        }
        for (name, level) in [("backing", self.backing), ("local", self.local)] {
            if let MemLevel::Sram { bytes: 0 } = level {
                return Err(Error::param(
                    name,
                    "0-byte SRAM",
                    "an SRAM holds at least 1 byte",
                ));
            }
        }
        Ok(())
    }

    /// The accesses of a GEMM with `a_bits`/`b_bits` operands, `out_bits` results and
    /// `bias_len` bias elements.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] when the local level is an SRAM too small for one tile
    /// (the tile is clipped to the shape first).
    pub fn gemm_traffic(
        &self,
        shape: GemmShape,
        a_bits: u32,
        b_bits: u32,
        out_bits: u32,
        bias_len: usize,
    ) -> Result<Traffic> {
        self.validate()?;
        let shape = GemmShape::new(shape.m, shape.n, shape.k)?;
        let tm = self.tile.m.min(shape.m) as u64;
        let tn = self.tile.n.min(shape.n) as u64;
        let tk = self.tile.k.min(shape.k) as u64;
        if let MemLevel::Sram { bytes } = self.local {
            // In u128: each term is below 2^64 · 2^64 · 2^32 / 2^64 (the tile is clipped to
            // a shape whose MACs fit u64), so the sum cannot overflow.
            let need = (tm as u128 * tk as u128 * a_bits as u128
                + tk as u128 * tn as u128 * b_bits as u128
                + tm as u128 * tn as u128 * out_bits as u128)
                .div_ceil(8);
            if need > bytes as u128 {
                return Err(Error::param(
                    "tile",
                    format!("{tm}x{tn}x{tk}"),
                    format!("needs {need} bytes of local memory but the SRAM holds {bytes}"),
                ));
            }
        }
        let (m, n, k) = (shape.m as u64, shape.n as u64, shape.k as u64);
        let what = "memory traffic elements";
        // M·N·K fits (GemmShape::new); ⌈N/tn⌉ ≤ N and ⌈M/tm⌉ ≤ M, so these fit too.
        let t = Traffic {
            backing_reads_a: m * k * n.div_ceil(tn),
            backing_reads_b: k * n * m.div_ceil(tm),
            backing_reads_bias: bias_len as u64,
            backing_writes: m * n,
            local_reads_a: crate::cost::count::product(&[m, n, k], what)?,
            local_reads_b: m * n * k,
            a_bits,
            b_bits,
            out_bits,
        };
        t.check()?;
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_larger_than_shape_reads_each_operand_once() {
        let mem = MemoryModel::new(
            MemLevel::Dram,
            MemLevel::RegisterFile,
            Tile {
                m: 1000,
                n: 1000,
                k: 1000,
            },
        )
        .unwrap();
        let t = mem
            .gemm_traffic(GemmShape::new(3, 5, 7).unwrap(), 8, 8, 32, 3)
            .unwrap();
        assert_eq!((t.backing_reads_a, t.backing_reads_b), (21, 35));
        assert_eq!(t.backing_write_bytes(), 15 * 4);
        assert_eq!(t.backing_read_bytes(), 21 + 35 + 12);
        assert_eq!(t.local_read_bytes(), 2 * 105);
    }

    #[test]
    fn sram_too_small_for_tile_is_an_error() {
        let mem = MemoryModel::new(
            MemLevel::Dram,
            MemLevel::Sram { bytes: 1024 },
            Tile {
                m: 32,
                n: 32,
                k: 32,
            },
        )
        .unwrap();
        let e = mem
            .gemm_traffic(GemmShape::new(64, 64, 64).unwrap(), 8, 8, 32, 0)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid tile 32x32x32: needs 6144 bytes of local memory but the SRAM holds 1024"
        );
        let e = MemoryModel::new(
            MemLevel::Dram,
            MemLevel::RegisterFile,
            Tile { m: 1, n: 0, k: 1 },
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "invalid tile n 0: must be at least 1");
    }
}
