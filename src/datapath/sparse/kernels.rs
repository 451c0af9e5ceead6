//! Integer GEMM and conv2d with a sparse `A` (the weights): zero MACs skipped or gated,
//! counted against the dense kernel, bit-identical to it on the same (pruned) matrix.
//!
//! Skipping drops a product that is zero, and adding zero leaves a wrapping or saturating
//! accumulator unchanged, so with sequential accumulation the surviving additions happen in
//! the dense kernel's order and give its bits. Tree orders would regroup the sums (and a
//! saturating tree would then differ), so the sparse kernels run sequential order only.

use crate::circuits::mac::Mac;
use crate::cost::{OpKind, Tally};
use crate::gates::Activity;
use crate::{Error, Result};

use super::super::bias::Bias;
use super::super::conv::{check_conv_bias, group_bias, group_bias_len, scatter_group};
use super::super::gate_engine::{Engine, add_activity, build_mac};
use super::super::int_kernels::{IntDatapath, IntOperand, IntOutput, Word};
use super::super::order::AccumulationOrder;
use super::super::shape::{Conv2dShape, GemmShape, im2col};
use super::matrix::SparseMatrix;
use crate::repr::Overflow;

/// What the datapath does with a MAC whose weight is zero.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ZeroHandling {
    /// Do not issue it: only stored entries are issued (an N:M layout's stored zeros
    /// included, as a sparse tensor core issues `n` of every `m`), so the MAC count and the
    /// cycles shrink.
    #[default]
    Skip,
    /// Issue every MAC of the dense kernel but gate a zero weight's multiply: the operand
    /// registers and the accumulator hold (clock-gated), so nothing in the MAC toggles in
    /// that clock. Cycles stay dense; switching energy falls (see the gate-level engine).
    Gate,
}

/// MACs of a sparse kernel against the dense one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SparseStats {
    /// MACs the dense kernel performs (`M·N·K`).
    pub dense_macs: u64,
    /// MACs issued (MAC slots, i.e. cycles of one MAC unit).
    pub issued_macs: u64,
    /// Issued MACs whose multiply was gated ([`ZeroHandling::Gate`]; 0 when skipping).
    pub gated_macs: u64,
}

impl SparseStats {
    /// MACs not issued: `dense − issued`.
    #[must_use]
    pub fn skipped_macs(&self) -> u64 {
        self.dense_macs - self.issued_macs
    }

    /// MACs that computed a product: `issued − gated` (what the tally counts).
    #[must_use]
    pub fn computed_macs(&self) -> u64 {
        self.issued_macs - self.gated_macs
    }
}

/// What a sparse kernel returns: the dense kernel's kind of output, and the MAC accounting.
#[derive(Clone, Debug, PartialEq)]
pub struct SparseOutput {
    /// Values, tally (MACs computed, memory traffic of the compressed layout), saturations
    /// and, on the gate-level engine, switching activity.
    pub output: IntOutput,
    /// Dense, issued and gated MACs.
    pub stats: SparseStats,
}

impl IntDatapath {
    /// `C = bias + A · B` with a sparse `A` (`M × K`, `M = a.rows()`, `K = a.cols()`) and a
    /// dense row-major `B` (`K × n`).
    ///
    /// The values equal [`IntDatapath::gemm`] on `a.to_dense()` bit for bit. The tally counts
    /// the MACs computed ([`SparseStats::computed_macs`]); with a memory model, `A`'s traffic
    /// is its compressed layout: stored values (`local` reads one per issued MAC, `B` read only
    /// for computed MACs) plus the layout's metadata bytes as 8-bit accesses, fetched from the
    /// backing level once per column tile like the values. On the gate-level engine each
    /// output row is simulated over its issued MACs only (a gated or skipped clock holds every
    /// register, so it toggles nothing), which gives the data-dependent energy of either mode
    /// through [`IntDatapath::gate_energy_pj`].
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] for an order other than sequential;
    /// [`Error::Shape`] when `b` is not `K·n` long or `n` is 0; as [`IntDatapath::gemm`]
    /// for operands out of range, the bias and the memory model.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::datapath::sparse::{Layout, SparseMatrix, ZeroHandling};
    /// use arithsim::datapath::{Bias, GemmOperands, GemmShape, IntArith, IntDatapath};
    ///
    /// let dp = IntDatapath::new(IntArith::INT8_INT32)?;
    /// let a_dense: [i8; 8] = [0, 3, 0, -2, 5, 0, 0, 1]; // 2 x 4
    /// let a = SparseMatrix::from_dense(Layout::Csr, 2, 4, &a_dense)?;
    /// let b: Vec<i8> = (0..12).map(|i| i as i8 - 6).collect(); // 4 x 3
    /// let s = dp.sparse_gemm(&a, &b, 3, Bias::None, ZeroHandling::Skip)?;
    /// let d = dp.gemm(GemmShape::new(2, 3, 4)?, GemmOperands { a: &a_dense, b: &b }, Bias::None)?;
    /// assert_eq!(s.output.values, d.values);
    /// assert_eq!((s.stats.dense_macs, s.stats.issued_macs), (24, 12));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn sparse_gemm<T: IntOperand + PartialEq>(
        &self,
        a: &SparseMatrix<T>,
        b: &[T],
        n: usize,
        bias: Bias<'_>,
        zeros: ZeroHandling,
    ) -> Result<SparseOutput> {
        self.check_sparse_order()?;
        let shape = GemmShape::new(a.rows(), n, a.cols())?;
        shape.check_operands(shape.m * shape.k, b.len())?;
        bias.check(shape)?;
        self.check_sparse_values(a)?;
        self.arith().check_operands("b", b)?;
        self.arith().check_acc("bias", bias.values())?;
        let stats = sparse_stats(a, 0, shape, zeros);
        let mut tally = Tally::new();
        self.count_sparse(&mut tally, a, shape, bias.values().len(), &stats, 1)?;
        let mut values = vec![0i64; shape.m * n];
        let mac = self.sparse_mac(bias.values().is_empty())?;
        let (saturations, activity) =
            self.run_sparse(mac.as_ref(), a, 0, shape, b, bias, zeros, &mut values)?;
        Ok(SparseOutput {
            output: IntOutput {
                values,
                tally,
                saturations,
                activity,
            },
            stats,
        })
    }

    /// 2-D convolution (NCHW input, NCHW output, see [`Conv2dShape`]) with sparse weights:
    /// `weight` is the OIHW tensor as an `O × (C/groups)·KH·KW` matrix (each row an output
    /// channel, in the reduction order `(c, ky, kx)`), run group by group through the
    /// implicit-GEMM view as [`IntDatapath::sparse_gemm`] runs a GEMM.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when `weight` is not `O × (C/groups)·KH·KW` or the input does not
    /// fit the shape; otherwise as [`IntDatapath::sparse_gemm`] and [`IntDatapath::conv2d`].
    pub fn sparse_conv2d<T: IntOperand + PartialEq>(
        &self,
        shape: &Conv2dShape,
        input: &[T],
        weight: &SparseMatrix<T>,
        bias: Bias<'_>,
        zeros: ZeroHandling,
    ) -> Result<SparseOutput> {
        self.check_sparse_order()?;
        shape.check_operands(input.len(), shape.weight_len())?;
        if (weight.rows(), weight.cols()) != (shape.out_channels, shape.reduction_len()) {
            return Err(Error::Shape(format!(
                "sparse conv2d weight is {}x{}, expected out_channels x (c/groups)*kh*kw = {}x{}",
                weight.rows(),
                weight.cols(),
                shape.out_channels,
                shape.reduction_len()
            )));
        }
        check_conv_bias(shape, &bias)?;
        self.arith().check_acc("bias", bias.values())?;
        self.check_sparse_values(weight)?;
        self.arith().check_operands("input", input)?;
        let (groups, gs) = shape.gemm_view();
        let mut stats = SparseStats::default();
        for g in 0..groups {
            let st = sparse_stats(weight, g * gs.m, gs, zeros);
            stats.dense_macs += st.dense_macs;
            stats.issued_macs += st.issued_macs;
            stats.gated_macs += st.gated_macs;
        }
        let mut tally = Tally::new();
        let per_group_bias = group_bias_len(gs, &bias);
        self.count_sparse(
            &mut tally,
            weight,
            gs,
            per_group_bias,
            &stats,
            groups as u64,
        )?;
        let mac = self.sparse_mac(bias.values().is_empty())?;
        let mut buf = Vec::new();
        let mut values = vec![0i64; shape.output_len()];
        let mut c = vec![0i64; gs.m * gs.n];
        let mut saturations = 0;
        let mut activity: Option<Activity> = None;
        for g in 0..groups {
            let cols = im2col(shape, input, g, T::default());
            let gb = group_bias(shape, bias, g, gs, &mut buf);
            let (sat, act) =
                self.run_sparse(mac.as_ref(), weight, g * gs.m, gs, &cols, gb, zeros, &mut c)?;
            saturations += sat;
            if let Some(act) = act {
                add_activity(activity.get_or_insert_with(Activity::default), &act);
            }
            scatter_group(shape, g, gs, &c, &mut values);
        }
        Ok(SparseOutput {
            output: IntOutput {
                values,
                tally,
                saturations,
                activity,
            },
            stats,
        })
    }

    fn check_sparse_order(&self) -> Result<()> {
        if self.order() != AccumulationOrder::Sequential {
            return Err(Error::Unsupported(format!(
                "sparse kernels run sequential accumulation (skipping a zero keeps its bits \
                 only in that order), not {} order",
                self.order()
            )));
        }
        Ok(())
    }

    fn check_sparse_values<T: IntOperand>(&self, a: &SparseMatrix<T>) -> Result<()> {
        for r in 0..a.rows() {
            self.arith().check_operands("a", a.row(r).1)?;
        }
        Ok(())
    }

    fn sparse_mac(&self, no_bias: bool) -> Result<Option<Mac>> {
        match self.engine() {
            Engine::WordLevel => Ok(None),
            Engine::GateLevel => build_mac(&self.arith(), self.order(), !no_bias).map(Some),
        }
    }

    /// MACs computed and, with a memory model, the compressed layout's traffic, `times`
    /// over (groups of a convolution, each `shape`).
    fn count_sparse<T>(
        &self,
        tally: &mut Tally,
        a: &SparseMatrix<T>,
        shape: GemmShape,
        bias_len: usize,
        stats: &SparseStats,
        times: u64,
    ) -> Result<()> {
        let ar = self.arith();
        tally.add(
            OpKind::IntMac {
                mul_bits: ar.mul_bits,
                acc_bits: ar.acc_bits,
            },
            stats.computed_macs(),
        );
        let Some(mem) = self.memory() else {
            return Ok(());
        };
        let mut t = mem.gemm_traffic(shape, ar.mul_bits, ar.mul_bits, ar.acc_bits, bias_len)?;
        let col_tiles = shape.n.div_ceil(mem.tile.n.min(shape.n)) as u64;
        // `B`, bias and results as the dense kernel, `times` over; `A` from the whole matrix.
        t.backing_reads_b *= times;
        t.backing_reads_bias *= times;
        t.backing_writes *= times;
        t.backing_reads_a = a.stored() as u64 * col_tiles;
        t.local_reads_a = stats.issued_macs;
        t.local_reads_b = stats.computed_macs();
        t.add_to(&mem, tally, 1);
        let meta = a.storage(ar.mul_bits)?.metadata * col_tiles;
        let byte = |level| OpKind::MemRead { level, bits: 8 };
        tally.add(byte(mem.backing), meta);
        tally.add(
            OpKind::MemWrite {
                level: mem.local,
                bits: 8,
            },
            meta,
        );
        tally.add(byte(mem.local), meta);
        Ok(())
    }

    /// Rows `row0 .. row0 + s.m` of `a` times `b` into `out` on the configured engine.
    #[allow(clippy::too_many_arguments)]
    fn run_sparse<T: IntOperand + PartialEq>(
        &self,
        mac: Option<&Mac>,
        a: &SparseMatrix<T>,
        row0: usize,
        s: GemmShape,
        b: &[T],
        bias: Bias<'_>,
        zeros: ZeroHandling,
        out: &mut [i64],
    ) -> Result<(u64, Option<Activity>)> {
        let saturations = self.sparse_words(a, row0, s, b, bias, out);
        match mac {
            None => Ok((saturations, None)),
            Some(mac) => {
                let act = self.sparse_gate_level(mac, a, row0, s, b, bias, zeros, out)?;
                Ok((saturations, Some(act)))
            }
        }
    }

    /// The word-level values; returns the saturation count.
    fn sparse_words<T: IntOperand>(
        &self,
        a: &SparseMatrix<T>,
        row0: usize,
        s: GemmShape,
        b: &[T],
        bias: Bias<'_>,
        out: &mut [i64],
    ) -> u64 {
        let ar = self.arith();
        match ar.overflow {
            Overflow::Wrapping if ar.acc_bits <= 32 => {
                sparse_wrapping::<T, i32>(a, row0, s, b, bias, out, |x| ar.wrap(x));
                0
            }
            Overflow::Wrapping => {
                sparse_wrapping::<T, i64>(a, row0, s, b, bias, out, |x| ar.wrap(x));
                0
            }
            Overflow::Saturating => {
                let mut saturations = 0;
                for i in 0..s.m {
                    let (cols, vals) = a.row(row0 + i);
                    for j in 0..s.n {
                        let mut acc = bias.at(s.n, i, j).unwrap_or(0) as i128;
                        for (&c, &v) in cols.iter().zip(vals) {
                            let x: i64 = v.into();
                            let y: i64 = b[c as usize * s.n + j].into();
                            let (r, sat) = ar.reduce(acc + x as i128 * y as i128);
                            saturations += sat as u64;
                            acc = r as i128;
                        }
                        out[i * s.n + j] = acc as i64;
                    }
                }
                saturations
            }
        }
    }

    /// Each output row through the MAC netlist over its issued (and, when gating, non-zero)
    /// entries only, 64 columns per simulator run; overwrites `out` with the circuit's bits.
    #[allow(clippy::too_many_arguments)]
    fn sparse_gate_level<T: IntOperand + PartialEq>(
        &self,
        mac: &Mac,
        a: &SparseMatrix<T>,
        row0: usize,
        s: GemmShape,
        b: &[T],
        bias: Bias<'_>,
        zeros: ZeroHandling,
        out: &mut [i64],
    ) -> Result<Activity> {
        let ar = self.arith();
        let mask = if ar.mul_bits == 64 {
            u64::MAX
        } else {
            (1u64 << ar.mul_bits) - 1
        };
        let zero = T::default();
        let mut total = Activity::default();
        for i in 0..s.m {
            let (cols, vals) = a.row(row0 + i);
            let clocks: Vec<(usize, u64)> = cols
                .iter()
                .zip(vals)
                .filter(|&(_, &v)| zeros == ZeroHandling::Skip || v != zero)
                .map(|(&c, &v)| (c as usize, (v.into() as u64) & mask))
                .collect();
            for start in (0..s.n).step_by(64) {
                let streams = (s.n - start).min(64);
                let raw: Vec<i64> = if clocks.is_empty() {
                    vec![0; streams]
                } else {
                    let av: Vec<Vec<u64>> = clocks.iter().map(|&(_, v)| vec![v; streams]).collect();
                    let bv: Vec<Vec<u64>> = clocks
                        .iter()
                        .map(|&(c, _)| {
                            (start..start + streams)
                                .map(|j| (b[c * s.n + j].into() as u64) & mask)
                                .collect()
                        })
                        .collect();
                    let run = mac.run(&av, &bv, true)?;
                    if let Some(act) = run.activity {
                        add_activity(&mut total, &act);
                    }
                    let last = run.acc.last().expect("at least one clock");
                    last.iter().map(|&v| ar.wrap(v as i64)).collect()
                };
                for (st, r) in raw.into_iter().enumerate() {
                    let j = start + st;
                    out[i * s.n + j] = match bias.at(s.n, i, j) {
                        Some(bv) => ar.wrap(r.wrapping_add(bv)),
                        None => r,
                    };
                }
            }
        }
        Ok(total)
    }
}

/// Dense, issued and gated MACs of rows `row0 .. row0 + s.m`.
fn sparse_stats<T: Copy + Default + PartialEq>(
    a: &SparseMatrix<T>,
    row0: usize,
    s: GemmShape,
    zeros: ZeroHandling,
) -> SparseStats {
    let zero = T::default();
    let (mut stored, mut nonzero) = (0u64, 0u64);
    for r in row0..row0 + s.m {
        let vals = a.row(r).1;
        stored += vals.len() as u64;
        nonzero += vals.iter().filter(|&&v| v != zero).count() as u64;
    }
    let dense = s.macs();
    let n = s.n as u64;
    match zeros {
        ZeroHandling::Skip => SparseStats {
            dense_macs: dense,
            issued_macs: stored * n,
            gated_macs: 0,
        },
        ZeroHandling::Gate => SparseStats {
            dense_macs: dense,
            issued_macs: dense,
            gated_macs: dense - nonzero * n,
        },
    }
}

/// Row by row over the stored entries, each a whole row of `B` into native wrapping words,
/// then `wrap` to the accumulator width (as the dense kernel's i-k-j loop).
fn sparse_wrapping<T: IntOperand, W: Word>(
    a: &SparseMatrix<T>,
    row0: usize,
    s: GemmShape,
    b: &[T],
    bias: Bias<'_>,
    out: &mut [i64],
    wrap: impl Fn(i64) -> i64,
) {
    let mut row = vec![W::default(); s.n];
    for i in 0..s.m {
        for (j, r) in row.iter_mut().enumerate() {
            *r = W::from_i64(bias.at(s.n, i, j).unwrap_or(0));
        }
        let (cols, vals) = a.row(row0 + i);
        for (&c, &v) in cols.iter().zip(vals) {
            let av = W::from_i64(v.into());
            let c = c as usize;
            let brow = &b[c * s.n..(c + 1) * s.n];
            for (r, &bv) in row.iter_mut().zip(brow) {
                *r = r.mac(av, W::from_i64(bv.into()));
            }
        }
        for (o, r) in out[i * s.n..(i + 1) * s.n].iter_mut().zip(&row) {
            *o = wrap(r.to_i64());
        }
    }
}
