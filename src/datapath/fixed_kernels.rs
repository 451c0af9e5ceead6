//! Fixed-point datapath: Q-format operands, a Q-format accumulator, every step through the
//! fixed-point core's multiply-accumulate (one rounding per step, with the configured mode).

use std::fmt;

use crate::cost::{OpKind, Tally};
use crate::fixed::{Fixed, FixedFormat};
use crate::round::RoundingMode;
use crate::{Error, Result};

use super::bias::Bias;
use super::conv::{check_conv_bias, conv2d_by_groups, group_bias_len};
use super::memory::MemoryModel;
use super::operands::{GemmOperands, LayerOperands};
use super::order::AccumulationOrder;
use super::shape::{Conv2dShape, GemmShape, check_len};
use crate::repr::Overflow;

/// A fixed-point multiply-accumulate datapath.
///
/// Each step is `acc = acc + a·b` with the exact product (`M_op + M_op` fraction bits)
/// rounded once with `rounding` to the accumulator's fraction bits (exact when
/// `acc.frac_bits() >= 2·operand.frac_bits()`, the usual Q1.7 × Q1.7 → Q18.14 case), then
/// wrapped or saturated to the accumulator ([`Fixed::wrapping_mul_acc`] /
/// [`Fixed::saturating_mul_acc`]). In a tree order each product is first rounded into the
/// accumulator format on its own, then the tree adds them ([`Fixed::wrapping_add`] /
/// [`Fixed::saturating_add`]).
///
/// Values are raw integers of their format (value = raw · 2^-frac_bits).
///
/// # Examples
///
/// ```
/// use arithsim::datapath::{FixedArith, FixedDatapath, Overflow};
/// use arithsim::fixed::FixedFormat;
/// use arithsim::round::RoundingMode;
///
/// let arith = FixedArith::new(FixedFormat::q(1, 7)?, FixedFormat::q(18, 14)?,
///                             RoundingMode::NearestEven, Overflow::Wrapping);
/// let dp = FixedDatapath::new(arith)?;
/// // 0.5 * 0.5 + (-0.25) * 0.5 = 0.125 = 2048 * 2^-14
/// let out = dp.dot(&[64, -32], &[64, 64])?;
/// assert_eq!(out.values, [2048]);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FixedArith {
    /// The operands' format.
    pub operand: FixedFormat,
    /// The accumulator's (and results') format.
    pub acc: FixedFormat,
    /// Rounding of products to the accumulator's fraction bits.
    pub rounding: RoundingMode,
    /// Accumulator behaviour on overflow.
    pub overflow: Overflow,
}

impl FixedArith {
    /// A configuration (formats are validated when built).
    #[must_use]
    pub fn new(
        operand: FixedFormat,
        acc: FixedFormat,
        rounding: RoundingMode,
        overflow: Overflow,
    ) -> Self {
        Self {
            operand,
            acc,
            rounding,
            overflow,
        }
    }
}

/// "Q1.7 x Q1.7 → Q18.14 (nearest, ties to even, wrapping)": the formats, the rounding
/// mode's and the overflow policy's printed names; `FromStr` reads it back.
impl fmt::Display for FixedArith {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} x {} → {} ({}, {})",
            self.operand, self.operand, self.acc, self.rounding, self.overflow
        )
    }
}

/// What a fixed-point kernel returns.
#[derive(Clone, Debug, PartialEq)]
pub struct FixedOutput {
    /// Raw accumulator values (row-major `M × N` for GEMM, NCHW for conv2d).
    pub values: Vec<i64>,
    /// Exactly the operations performed, counted from the shape.
    pub tally: Tally,
    /// Steps that overflowed the accumulator (and were wrapped or saturated).
    pub overflows: u64,
}

/// A fixed-point datapath: arithmetic, accumulation order and optional memory model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FixedDatapath {
    arith: FixedArith,
    order: AccumulationOrder,
    memory: Option<MemoryModel>,
}

impl FixedDatapath {
    /// A datapath with sequential accumulation and no memory model.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] when the operand and accumulator signedness differ.
    pub fn new(arith: FixedArith) -> Result<Self> {
        if arith.operand.is_signed() != arith.acc.is_signed() {
            return Err(Error::Unsupported(format!(
                "fixed-point operands {} and accumulator {} must have the same signedness",
                arith.operand, arith.acc
            )));
        }
        Ok(Self {
            arith,
            order: AccumulationOrder::Sequential,
            memory: None,
        })
    }

    /// The same datapath with another accumulation order.
    ///
    /// # Errors
    ///
    /// As [`AccumulationOrder::validate`].
    pub fn with_order(mut self, order: AccumulationOrder) -> Result<Self> {
        order.validate()?;
        self.order = order;
        Ok(self)
    }

    /// The same datapath counting memory traffic under `memory`.
    ///
    /// # Errors
    ///
    /// As [`MemoryModel::validate`].
    pub fn with_memory(mut self, memory: MemoryModel) -> Result<Self> {
        memory.validate()?;
        self.memory = Some(memory);
        Ok(self)
    }

    /// The arithmetic.
    #[must_use]
    pub fn arith(&self) -> FixedArith {
        self.arith
    }

    /// `C = bias + A · B` on raw values, `A` `M × K`, `B` `K × N`, row-major.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] for lengths that do not match, [`Error::OutOfRange`] for raw values
    /// outside their format, and the memory model's errors.
    pub fn gemm(
        &self,
        shape: GemmShape,
        operands: GemmOperands<'_, i64>,
        bias: Bias<'_>,
    ) -> Result<FixedOutput> {
        let GemmOperands { a, b } = operands;
        let shape = GemmShape::new(shape.m, shape.n, shape.k)?;
        shape.check_operands(a.len(), b.len())?;
        bias.check(shape)?;
        let fa = to_fixed(self.arith.operand, "a", a)?;
        let fb = to_fixed(self.arith.operand, "b", b)?;
        let fbias = to_fixed(self.arith.acc, "bias", bias.values())?;
        let mut tally = self.traffic(shape, bias.values().len(), 1)?;
        let mut values = vec![0i64; shape.m * shape.n];
        let fbias = rebias(bias, &fbias);
        let overflows = self.gemm_into(shape, &fa, &fb, fbias, &mut values)?;
        self.count(&mut tally, (shape.m * shape.n) as u64, shape.k);
        Ok(FixedOutput {
            values,
            tally,
            overflows,
        })
    }

    /// `y = bias + A · x` on raw values, `A` `M × K` row-major and the vector `x` in `operands.b`
    /// (a GEMM with `N = 1`; `K` is `x`'s length, so only `M` is passed).
    ///
    /// # Errors
    ///
    /// As [`FixedDatapath::gemm`] (with `N = 1`, a per-row bias has `M` raw accumulator
    /// values).
    pub fn gemv(
        &self,
        m: usize,
        operands: GemmOperands<'_, i64>,
        bias: Bias<'_>,
    ) -> Result<FixedOutput> {
        let k = operands.b.len();
        self.gemm(GemmShape::new(m, 1, k)?, operands, bias)
    }

    /// Elementwise `a + b` of raw accumulator values, wrapped or saturated.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] for different lengths or empty inputs, [`Error::OutOfRange`] for raw
    /// values outside the accumulator format.
    pub fn add(&self, a: &[i64], b: &[i64]) -> Result<FixedOutput> {
        check_len("add operand b", b.len(), a.len(), "the length of a")?;
        if a.is_empty() {
            return Err(Error::Shape("add operands are empty".into()));
        }
        let fa = to_fixed(self.arith.acc, "a", a)?;
        let fb = to_fixed(self.arith.acc, "b", b)?;
        let mut overflows = 0;
        let mut values = Vec::with_capacity(a.len());
        for (x, y) in fa.into_iter().zip(fb) {
            let (w, o) = x.overflowing_add(y)?;
            overflows += o as u64;
            let v = if o && self.arith.overflow == Overflow::Saturating {
                x.saturating_add(y)?
            } else {
                w
            };
            values.push(v.raw() as i64);
        }
        let mut tally = Tally::new();
        tally.add(
            OpKind::IntAdd {
                bits: self.arith.acc.width(),
            },
            a.len() as u64,
        );
        self.count_elementwise(&mut tally, a.len() as u64, 2);
        Ok(FixedOutput {
            values,
            tally,
            overflows,
        })
    }

    /// Elementwise `max(x, 0)` of raw accumulator values (a sign-bit mux: only memory
    /// traffic is counted).
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] for an empty input, [`Error::OutOfRange`] for raw values outside the
    /// accumulator format.
    pub fn relu(&self, x: &[i64]) -> Result<FixedOutput> {
        if x.is_empty() {
            return Err(Error::Shape("relu input is empty".into()));
        }
        to_fixed(self.arith.acc, "x", x)?;
        let mut tally = Tally::new();
        self.count_elementwise(&mut tally, x.len() as u64, 1);
        Ok(FixedOutput {
            values: x.iter().map(|&v| v.max(0)).collect(),
            tally,
            overflows: 0,
        })
    }

    fn count_elementwise(&self, tally: &mut Tally, len: u64, inputs: u64) {
        if let Some(mem) = &self.memory {
            let bits = self.arith.acc.width();
            tally.add(
                OpKind::MemRead {
                    level: mem.backing,
                    bits,
                },
                len * inputs,
            );
            tally.add(
                OpKind::MemWrite {
                    level: mem.backing,
                    bits,
                },
                len,
            );
        }
    }

    /// The dot product of raw operand vectors.
    ///
    /// # Errors
    ///
    /// As [`FixedDatapath::gemm`].
    pub fn dot(&self, a: &[i64], b: &[i64]) -> Result<FixedOutput> {
        check_len("dot operand b", b.len(), a.len(), "the length of a")?;
        self.gemm(
            GemmShape::new(1, 1, a.len())?,
            GemmOperands { a, b },
            Bias::None,
        )
    }

    /// 2-D convolution on raw values (NCHW / OIHW, see [`Conv2dShape`]), with a bias of raw
    /// accumulator values read in the convolution's GEMM view ([`Bias::PerRow`]: one per
    /// output channel; see [`Bias`]).
    ///
    /// # Errors
    ///
    /// As [`FixedDatapath::gemm`].
    pub fn conv2d(
        &self,
        shape: &Conv2dShape,
        operands: LayerOperands<'_, i64>,
        bias: Bias<'_>,
    ) -> Result<FixedOutput> {
        let LayerOperands {
            weights: weight,
            input,
        } = operands;
        shape.check_operands(input.len(), weight.len())?;
        check_conv_bias(shape, &bias)?;
        let zero = Fixed::zero(self.arith.operand);
        let fi = to_fixed(self.arith.operand, "input", input)?;
        let fw = to_fixed(self.arith.operand, "weight", weight)?;
        let fbias = to_fixed(self.arith.acc, "bias", bias.values())?;
        let (groups, gs) = shape.gemm_view();
        let mut tally = self.traffic(gs, group_bias_len(gs, &bias), groups as u64)?;
        let mut overflows = 0;
        let mut err = None;
        let values = conv2d_by_groups(
            shape,
            &fi,
            &fw,
            rebias(bias, &fbias),
            zero,
            0i64,
            |s, w, x, b, c| match self.gemm_into(s, w, x, b, c) {
                Ok(o) => overflows += o,
                Err(e) => err = Some(e),
            },
        );
        if let Some(e) = err {
            return Err(e);
        }
        self.count(&mut tally, shape.output_len() as u64, gs.k);
        Ok(FixedOutput {
            values,
            tally,
            overflows,
        })
    }

    fn traffic(&self, s: GemmShape, bias_len: usize, times: u64) -> Result<Tally> {
        let mut tally = Tally::new();
        if let Some(mem) = &self.memory {
            let (ab, ob) = (self.arith.operand.width(), self.arith.acc.width());
            mem.gemm_traffic(s, ab, ab, ob, bias_len)?
                .add_to(mem, &mut tally, times);
        }
        Ok(tally)
    }

    fn count(&self, tally: &mut Tally, outputs: u64, k: usize) {
        let (mb, ab) = (self.arith.operand.width(), self.arith.acc.width());
        let n = outputs * k as u64;
        match self.order {
            AccumulationOrder::Sequential => tally.add(
                OpKind::IntMac {
                    mul_bits: mb,
                    acc_bits: ab,
                },
                n,
            ),
            _ => {
                tally.add(OpKind::IntMul { bits: mb }, n);
                tally.add(OpKind::IntAdd { bits: ab }, outputs * self.order.adds(k));
            }
        }
    }

    fn gemm_into(
        &self,
        s: GemmShape,
        a: &[Fixed],
        b: &[Fixed],
        bias: Bias<'_, Fixed>,
        out: &mut [i64],
    ) -> Result<u64> {
        let ar = self.arith;
        let zero = Fixed::zero(ar.acc);
        let sat = ar.overflow == Overflow::Saturating;
        let mut overflows = 0u64;
        let mut add_overflows = 0u64;
        let mut mac = |acc: Fixed, x: Fixed, y: Fixed| -> Fixed {
            let (w, o) = acc.overflowing_mul_acc(x, y, ar.rounding);
            overflows += o as u64;
            if o && sat {
                acc.saturating_mul_acc(x, y, ar.rounding)
            } else {
                w
            }
        };
        let mut ps = vec![zero; s.k];
        let mut scratch = Vec::new();
        let mut add_err = None;
        for i in 0..s.m {
            for j in 0..s.n {
                let init = bias.at(s.n, i, j).unwrap_or(zero);
                let r = if self.order == AccumulationOrder::Sequential {
                    (0..s.k).fold(init, |acc, kk| mac(acc, a[i * s.k + kk], b[kk * s.n + j]))
                } else {
                    for (kk, p) in ps.iter_mut().enumerate() {
                        *p = mac(zero, a[i * s.k + kk], b[kk * s.n + j]);
                    }
                    self.order
                        .reduce(init, &ps, &mut scratch, |x, y| match x.overflowing_add(y) {
                            Ok((w, o)) => {
                                add_overflows += o as u64;
                                if o && sat {
                                    x.saturating_add(y).unwrap_or(w)
                                } else {
                                    w
                                }
                            }
                            Err(e) => {
                                add_err = Some(e);
                                x
                            }
                        })
                };
                out[i * s.n + j] = r.raw() as i64;
            }
        }
        match add_err {
            Some(e) => Err(e),
            None => Ok(overflows + add_overflows),
        }
    }
}

/// Rebuilds a bias over converted values.
fn rebias<'a>(bias: Bias<'_>, values: &'a [Fixed]) -> Bias<'a, Fixed> {
    match bias {
        Bias::None => Bias::None,
        Bias::PerRow(_) => Bias::PerRow(values),
        Bias::PerColumn(_) => Bias::PerColumn(values),
        Bias::Full(_) => Bias::Full(values),
    }
}

/// Raw values to `Fixed`, with an error naming the element out of range.
fn to_fixed(f: FixedFormat, what: &str, raw: &[i64]) -> Result<Vec<Fixed>> {
    raw.iter()
        .enumerate()
        .map(|(i, &r)| {
            Fixed::from_raw(f, r as i128).map_err(|_| Error::OutOfRange {
                value: r.to_string(),
                min: f.min_raw().to_string(),
                max: f.max_raw().to_string(),
                what: format!("raw {f} {what}[{i}]"),
            })
        })
        .collect()
}
