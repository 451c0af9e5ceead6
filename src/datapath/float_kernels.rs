//! Floating-point kernels: dot, GEMV, GEMM, conv2d, elementwise add and ReLU on bit patterns,
//! every step through the float core (or, where it gives the same bits, native `f32`).
//!
//! Step semantics are set by [`FloatArith`] (see [`ProductRounding`]) and the
//! [`AccumulationOrder`]. Counting is from the shape: per MAC, one fused multiply-add in the
//! accumulate format (exact products, sequential), or one multiply (of the multiply format:
//! the multiplier is sized by its operands) plus one add in the accumulate format (tree orders,
//! or products rounded to the multiply format, which also convert each product); plus one
//! conversion per operand element when exact products widen them to the accumulate format.

use crate::Result;
use crate::cost::{NumKind, OpKind, Tally};
use crate::float::FloatFormat;
use crate::gates::Activity;
use crate::round::{Flags, RoundingMode};

use super::bias::Bias;
use super::conv::{check_conv_bias, conv2d_by_groups, group_bias_len};
use super::float_arith::{FloatArith, ProductRounding, kind, name};
use super::float_gate_engine::build_fma;
use super::gate_engine::{Engine, add_activity};
use super::memory::MemoryModel;
use super::operands::{GemmOperands, LayerOperands};
use super::order::AccumulationOrder;
use super::shape::{Conv2dShape, GemmShape, check_len};

/// What a floating-point kernel returns.
#[derive(Clone, Debug, PartialEq)]
pub struct FloatOutput {
    /// Results as bit patterns of the accumulate format (row-major `M × N` for GEMM, NCHW for
    /// conv2d).
    pub bits: Vec<u64>,
    /// Exactly the operations performed, counted from the shape.
    pub tally: Tally,
    /// The union of the IEEE flags every step raised.
    pub flags: Flags,
    /// Switching activity of the FMA netlist over the whole kernel (gate-level engine only,
    /// GEMM-shaped kernels): toggles per wire and the number of step transitions, for
    /// data-dependent energy ([`FloatDatapath::gate_energy_pj`]).
    pub activity: Option<Activity>,
}

impl FloatOutput {
    /// The results as `f64` (exact: every supported accumulate format fits in `f64`).
    #[must_use]
    pub fn to_f64(&self, format: FloatFormat) -> Vec<f64> {
        self.bits.iter().map(|&b| format.bits_to_f64(b)).collect()
    }
}

/// A floating-point datapath: arithmetic, accumulation order and optional memory model.
///
/// Operands are bit patterns of the multiply format (in `u64`s), biases and results bit
/// patterns of the accumulate format.
///
/// # Examples
///
/// ```
/// use arithsim::cost::{FloatKind, OpKind};
/// use arithsim::datapath::{FloatArith, FloatDatapath};
///
/// let dp = FloatDatapath::new(FloatArith::FP16_FP32)?;
/// // FP16 1.5 = 0x3E00, 2.0 = 0x4000, -0.25 = 0xB400
/// let out = dp.dot(&[0x3E00, 0xB400], &[0x4000, 0x4000])?;
/// assert_eq!(out.bits, [2.5f32.to_bits() as u64]);
/// assert_eq!(out.tally.count(OpKind::FpFma { format: FloatKind::FP32 }), 2);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FloatDatapath {
    pub(super) arith: FloatArith,
    pub(super) order: AccumulationOrder,
    memory: Option<MemoryModel>,
    pub(super) engine: Engine,
}

impl FloatDatapath {
    /// A datapath with sequential accumulation and no memory model.
    ///
    /// # Errors
    ///
    /// As [`FloatArith::validate`].
    pub fn new(arith: FloatArith) -> Result<Self> {
        arith.validate()?;
        Ok(Self {
            arith,
            order: AccumulationOrder::Sequential,
            memory: None,
            engine: Engine::WordLevel,
        })
    }

    /// The same datapath with another accumulation order.
    ///
    /// # Errors
    ///
    /// As [`AccumulationOrder::validate`].
    pub fn with_order(mut self, order: AccumulationOrder) -> Result<Self> {
        order.validate()?;
        if self.engine == Engine::GateLevel {
            build_fma(&self.arith, order)?;
        }
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
    pub fn arith(&self) -> FloatArith {
        self.arith
    }

    /// The accumulation order.
    #[must_use]
    pub fn order(&self) -> AccumulationOrder {
        self.order
    }

    /// `C = bias + A · B` with `A` `M × K` and `B` `K × N`, row-major.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`](crate::Error::Shape) for slice lengths that do not match,
    /// [`Error::OutOfRange`](crate::Error::OutOfRange) for a bit pattern wider than its
    /// format, and the memory model's errors.
    pub fn gemm(
        &self,
        shape: GemmShape,
        operands: GemmOperands<'_, u64>,
        bias: Bias<'_, u64>,
    ) -> Result<FloatOutput> {
        let GemmOperands { a, b } = operands;
        let shape = GemmShape::new(shape.m, shape.n, shape.k)?;
        shape.check_operands(a.len(), b.len())?;
        bias.check(shape)?;
        check_bits(self.arith.mul, "a", a)?;
        check_bits(self.arith.mul, "b", b)?;
        check_bits(self.arith.acc, "bias", bias.values())?;
        let mut tally = Tally::new();
        if let Some(mem) = &self.memory {
            let (ab, ob) = (self.arith.mul.width(), self.arith.acc.width());
            mem.gemm_traffic(shape, ab, ab, ob, bias.values().len())?
                .add_to(mem, &mut tally, 1);
        }
        let mut bits = vec![0u64; shape.m * shape.n];
        let fma = self.gate_fma()?;
        let (flags, activity) = self.run_gemm(fma.as_ref(), shape, a, b, bias, &mut bits)?;
        self.count(&mut tally, shape.m * shape.n, shape.k, a.len() + b.len(), 1);
        Ok(FloatOutput {
            bits,
            tally,
            flags,
            activity,
        })
    }

    /// `y = bias + A · x` with `A` `M × K` row-major and the vector `x` in `operands.b` (a GEMM
    /// with `N = 1`; `K` is `x`'s length, so only `M` is passed).
    ///
    /// # Errors
    ///
    /// As [`FloatDatapath::gemm`] (with `N = 1`, a per-row bias has `M` values).
    pub fn gemv(
        &self,
        m: usize,
        operands: GemmOperands<'_, u64>,
        bias: Bias<'_, u64>,
    ) -> Result<FloatOutput> {
        let k = operands.b.len();
        self.gemm(GemmShape::new(m, 1, k)?, operands, bias)
    }

    /// The dot product `Σ a[i]·b[i]`, starting from +0.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`](crate::Error::Shape) for empty or different-length vectors, and as
    /// [`FloatDatapath::gemm`].
    pub fn dot(&self, a: &[u64], b: &[u64]) -> Result<FloatOutput> {
        check_len("dot operand b", b.len(), a.len(), "the length of a")?;
        self.gemm(
            GemmShape::new(1, 1, a.len())?,
            GemmOperands { a, b },
            Bias::None,
        )
    }

    /// 2-D convolution, NCHW input, OIHW weights, NCHW output (see [`Conv2dShape`]), with a
    /// bias of accumulator patterns read in the convolution's GEMM view ([`Bias::PerRow`]:
    /// one per output channel; see [`Bias`]). Padded taps multiply +0. Reduction order per output:
    /// `(c, ky, kx)`.
    ///
    /// # Errors
    ///
    /// As [`FloatDatapath::gemm`], and [`Error::Shape`](crate::Error::Shape) for an invalid
    /// shape.
    pub fn conv2d(
        &self,
        shape: &Conv2dShape,
        operands: LayerOperands<'_, u64>,
        bias: Bias<'_, u64>,
    ) -> Result<FloatOutput> {
        let LayerOperands {
            weights: weight,
            input,
        } = operands;
        shape.check_operands(input.len(), weight.len())?;
        check_conv_bias(shape, &bias)?;
        check_bits(self.arith.acc, "bias", bias.values())?;
        check_bits(self.arith.mul, "input", input)?;
        check_bits(self.arith.mul, "weight", weight)?;
        let (groups, gs) = shape.gemm_view();
        let mut tally = Tally::new();
        if let Some(mem) = &self.memory {
            let (ab, ob) = (self.arith.mul.width(), self.arith.acc.width());
            let per_group_bias = group_bias_len(gs, &bias);
            mem.gemm_traffic(gs, ab, ab, ob, per_group_bias)?.add_to(
                mem,
                &mut tally,
                groups as u64,
            );
        }
        let mut flags = Flags::empty();
        let fma = self.gate_fma()?;
        let mut activity: Option<Activity> = None;
        let mut failed = None;
        let bits = conv2d_by_groups(shape, input, weight, bias, 0u64, 0u64, |s, w, x, b, c| {
            if failed.is_some() {
                return;
            }
            match self.run_gemm(fma.as_ref(), s, w, x, b, c) {
                Ok((f, act)) => {
                    flags |= f;
                    if let Some(act) = act {
                        add_activity(activity.get_or_insert_with(Activity::default), &act);
                    }
                }
                Err(e) => failed = Some(e),
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        // Each group widens its weights and its im2col matrix.
        let widened = gs.m * gs.k + gs.k * gs.n;
        self.count(&mut tally, gs.m * gs.n, gs.k, widened, groups as u64);
        Ok(FloatOutput {
            bits,
            tally,
            flags,
            activity,
        })
    }

    /// Elementwise `a + b` in the accumulate format.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`](crate::Error::Shape) for different lengths or empty inputs,
    /// [`Error::OutOfRange`](crate::Error::OutOfRange) for patterns wider than the format.
    pub fn add(&self, a: &[u64], b: &[u64]) -> Result<FloatOutput> {
        check_len("add operand b", b.len(), a.len(), "the length of a")?;
        if a.is_empty() {
            return Err(crate::Error::Shape("add operands are empty".into()));
        }
        let f = self.arith.acc;
        check_bits(f, "a", a)?;
        check_bits(f, "b", b)?;
        let mut flags = Flags::empty();
        let bits = a
            .iter()
            .zip(b)
            .map(|(&x, &y)| {
                let r = f.add(x, y, &self.arith.env);
                flags |= r.flags;
                r.value
            })
            .collect();
        let mut tally = Tally::new();
        tally.add(OpKind::FpAdd { format: kind(f) }, a.len() as u64);
        self.count_elementwise(&mut tally, a.len() as u64, 2);
        Ok(FloatOutput {
            bits,
            tally,
            flags,
            activity: None,
        })
    }

    /// Elementwise ReLU in the accumulate format: negative numbers (−0 included) become +0,
    /// positive numbers and NaNs pass unchanged (a sign-bit mux: no arithmetic is counted,
    /// only memory traffic when a memory model is set).
    ///
    /// # Errors
    ///
    /// [`Error::Shape`](crate::Error::Shape) for an empty input,
    /// [`Error::OutOfRange`](crate::Error::OutOfRange) for patterns wider than the format.
    pub fn relu(&self, x: &[u64]) -> Result<FloatOutput> {
        if x.is_empty() {
            return Err(crate::Error::Shape("relu input is empty".into()));
        }
        let f = self.arith.acc;
        check_bits(f, "x", x)?;
        let bits = x
            .iter()
            .map(|&v| {
                if f.is_sign_negative(v) && !f.is_nan(v) {
                    f.zero_bits(false)
                } else {
                    v
                }
            })
            .collect();
        let mut tally = Tally::new();
        self.count_elementwise(&mut tally, x.len() as u64, 1);
        Ok(FloatOutput {
            bits,
            tally,
            flags: Flags::empty(),
            activity: None,
        })
    }

    /// Elementwise conversion of accumulate-format values to format `to` under the
    /// datapath's environment (e.g. FP32 accumulators written back as FP16), one conversion
    /// counted per element.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`](crate::Error::Shape) for an empty input,
    /// [`Error::OutOfRange`](crate::Error::OutOfRange) for patterns wider than the accumulate
    /// format.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::datapath::{FloatArith, FloatDatapath};
    /// use arithsim::float::FloatFormat;
    /// use arithsim::round::Flags;
    ///
    /// let dp = FloatDatapath::new(FloatArith::FP16_FP32)?;
    /// let out = dp.convert(&[1.0009765625f32.to_bits() as u64, 1e6f32.to_bits() as u64],
    ///                      FloatFormat::FP16)?;
    /// assert_eq!(out.bits, [0x3C01, 0x7C00]); // 1 + 2^-10 exact; 1e6 overflows to +inf
    /// assert!(out.flags.contains(Flags::OVERFLOW));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn convert(&self, x: &[u64], to: FloatFormat) -> Result<FloatOutput> {
        if x.is_empty() {
            return Err(crate::Error::Shape("convert input is empty".into()));
        }
        let f = self.arith.acc;
        check_bits(f, "x", x)?;
        let mut flags = Flags::empty();
        let bits = x
            .iter()
            .map(|&v| {
                let r = f.convert(v, to, &self.arith.env);
                flags |= r.flags;
                r.value
            })
            .collect();
        let mut tally = Tally::new();
        tally.add(
            OpKind::Convert {
                from: NumKind::Float(kind(f)),
                to: NumKind::Float(kind(to)),
            },
            x.len() as u64,
        );
        if let Some(mem) = &self.memory {
            let n = x.len() as u64;
            tally.add(
                OpKind::MemRead {
                    level: mem.backing,
                    bits: f.width(),
                },
                n,
            );
            tally.add(
                OpKind::MemWrite {
                    level: mem.backing,
                    bits: to.width(),
                },
                n,
            );
        }
        Ok(FloatOutput {
            bits,
            tally,
            flags,
            activity: None,
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

    /// Counts `times` GEMMs of `outputs` reductions of length `k` that widened `operands`
    /// elements.
    fn count(&self, tally: &mut Tally, outputs: usize, k: usize, operands: usize, times: u64) {
        let ar = &self.arith;
        let macs = outputs as u64 * k as u64 * times;
        let (mk, ak) = (ar.mul_kind(), ar.acc_kind());
        let convert = OpKind::Convert {
            from: NumKind::Float(mk),
            to: NumKind::Float(ak),
        };
        let differ = ar.mul != ar.acc;
        match (ar.product, self.order) {
            (ProductRounding::ExactProduct, AccumulationOrder::Sequential) => {
                tally.add(OpKind::FpFma { format: ak }, macs);
            }
            (ProductRounding::ExactProduct, _) => {
                tally.add(OpKind::FpMul { format: mk }, macs);
                tally.add(
                    OpKind::FpAdd { format: ak },
                    outputs as u64 * self.order.adds(k) * times,
                );
            }
            (ProductRounding::RoundToMulFormat, _) => {
                tally.add(OpKind::FpMul { format: mk }, macs);
                if differ {
                    tally.add(convert, macs);
                }
                tally.add(
                    OpKind::FpAdd { format: ak },
                    outputs as u64 * self.order.adds(k) * times,
                );
            }
        }
        if differ && ar.product == ProductRounding::ExactProduct {
            tally.add(convert, operands as u64 * times);
        }
    }

    /// The arithmetic of a validated GEMM into `out`; returns the flags raised.
    pub(super) fn gemm_into(
        &self,
        s: GemmShape,
        a: &[u64],
        b: &[u64],
        bias: Bias<'_, u64>,
        out: &mut [u64],
    ) -> Flags {
        let ar = &self.arith;
        let env = &ar.env;
        let mut flags = Flags::empty();
        match ar.product {
            ProductRounding::ExactProduct => {
                let mut widen = |v: &[u64]| -> Vec<u64> {
                    if ar.mul == ar.acc {
                        return v.to_vec();
                    }
                    v.iter()
                        .map(|&x| {
                            let r = ar.mul.convert(x, ar.acc, env);
                            flags |= r.flags;
                            r.value
                        })
                        .collect()
                };
                let (wa, wb) = (widen(a), widen(b));
                if self.native_f32_applies() && native_f32_gemm(s, &wa, &wb, bias, out, &mut flags)
                {
                    return flags;
                }
                let f = ar.acc;
                if self.order == AccumulationOrder::Sequential {
                    for i in 0..s.m {
                        for j in 0..s.n {
                            let mut acc = bias.at(s.n, i, j).unwrap_or(0);
                            for kk in 0..s.k {
                                let r = f.fma(wa[i * s.k + kk], wb[kk * s.n + j], acc, env);
                                flags |= r.flags;
                                acc = r.value;
                            }
                            out[i * s.n + j] = acc;
                        }
                    }
                } else {
                    self.reduce_products(s, bias, out, &mut flags, |i, kk, j, fl| {
                        let r = f.mul(wa[i * s.k + kk], wb[kk * s.n + j], env);
                        *fl |= r.flags;
                        r.value
                    });
                }
            }
            ProductRounding::RoundToMulFormat => {
                let (m, f) = (ar.mul, ar.acc);
                self.reduce_products(s, bias, out, &mut flags, |i, kk, j, fl| {
                    let p = m.mul(a[i * s.k + kk], b[kk * s.n + j], env);
                    *fl |= p.flags;
                    if m == f {
                        return p.value;
                    }
                    let w = m.convert(p.value, f, env);
                    *fl |= w.flags;
                    w.value
                });
            }
        }
        flags
    }

    /// For each output, computes its `K` products with `product(i, k, j, flags)` and reduces
    /// them in the configured order with the accumulate format's add.
    fn reduce_products(
        &self,
        s: GemmShape,
        bias: Bias<'_, u64>,
        out: &mut [u64],
        flags: &mut Flags,
        mut product: impl FnMut(usize, usize, usize, &mut Flags) -> u64,
    ) {
        let (f, env) = (self.arith.acc, &self.arith.env);
        let mut ps = vec![0u64; s.k];
        let mut scratch = Vec::new();
        for i in 0..s.m {
            for j in 0..s.n {
                for (kk, p) in ps.iter_mut().enumerate() {
                    *p = product(i, kk, j, flags);
                }
                let mut fl = Flags::empty();
                out[i * s.n + j] = self.order.reduce(
                    bias.at(s.n, i, j).unwrap_or(0),
                    &ps,
                    &mut scratch,
                    |x, y| {
                        let r = f.add(x, y, env);
                        fl |= r.flags;
                        r.value
                    },
                );
                *flags |= fl;
            }
        }
    }

    /// Native `f32` gives the same bits as the float core when: the accumulator is FP32,
    /// every product is exact in FP32 (so `acc + a·b` in `f32` rounds once, like the fused
    /// step), accumulation is sequential, and the environment is plain IEEE round to nearest
    /// even (no flush-to-zero, no denormals-are-zero).
    fn native_f32_applies(&self) -> bool {
        let ar = &self.arith;
        ar.acc == FloatFormat::FP32
            && ar.products_exact_in_acc()
            && self.order == AccumulationOrder::Sequential
            && ar.env.rounding == RoundingMode::NearestEven
            && !ar.env.flush_to_zero
            && !ar.env.denormals_are_zero
    }
}

/// Sequential FP32 GEMM on native `f32` with exact products; flags from an error-free
/// transformation (TwoSum) per step. Returns `false` (and the caller recomputes through the
/// float core) when an input or an output is not finite, where NaN payload rules and the
/// overflow flag need the core.
///
/// Why the bits match: the product of two values with at most 12 significant bits each is
/// exact in `f32` (checked by [`FloatArith::products_exact_in_acc`]), so `acc + p` is one
/// IEEE addition, correctly rounded to nearest even like the core's fused step. A sum of two
/// FP32 numbers that lands in the subnormal range is exact, so underflow is never raised.
fn native_f32_gemm(
    s: GemmShape,
    a: &[u64],
    b: &[u64],
    bias: Bias<'_, u64>,
    out: &mut [u64],
    flags: &mut Flags,
) -> bool {
    let to_f = |v: &[u64]| -> Vec<f32> { v.iter().map(|&x| f32::from_bits(x as u32)).collect() };
    let (fa, fb) = (to_f(a), to_f(b));
    let finite = |v: &[f32]| v.iter().all(|x| x.is_finite());
    if !finite(&fa)
        || !finite(&fb)
        || !bias
            .values()
            .iter()
            .all(|&x| f32::from_bits(x as u32).is_finite())
    {
        return false;
    }
    let mut row = vec![0f32; s.n];
    let mut err = vec![0f32; s.n];
    let mut inexact = false;
    for i in 0..s.m {
        for (j, r) in row.iter_mut().enumerate() {
            *r = f32::from_bits(bias.at(s.n, i, j).unwrap_or(0) as u32);
        }
        err.fill(0.0);
        for kk in 0..s.k {
            let av = fa[i * s.k + kk];
            let brow = &fb[kk * s.n..(kk + 1) * s.n];
            for ((c, e), &bv) in row.iter_mut().zip(err.iter_mut()).zip(brow) {
                let p = av * bv;
                let sum = *c + p;
                // TwoSum: the exact rounding error of c + p (0 iff the addition was exact).
                let bb = sum - *c;
                let t = (*c - (sum - bb)) + (p - bb);
                *e = e.abs().max(t.abs());
                *c = sum;
            }
        }
        if row.iter().any(|x| !x.is_finite()) {
            return false;
        }
        inexact |= err.iter().any(|&e| e != 0.0);
        for (o, &r) in out[i * s.n..(i + 1) * s.n].iter_mut().zip(&row) {
            *o = r.to_bits() as u64;
        }
    }
    if inexact {
        *flags |= Flags::INEXACT;
    }
    true
}

/// Checks that every pattern fits the format's width.
fn check_bits(f: FloatFormat, what: &str, v: &[u64]) -> Result<()> {
    let mask = f.mask();
    match v.iter().enumerate().find(|&(_, &x)| x & !mask != 0) {
        None => Ok(()),
        Some((i, &x)) => Err(crate::Error::OutOfRange {
            value: format!("{x:#x}"),
            min: "0x0".into(),
            max: format!("{mask:#x}"),
            what: format!("{} bit pattern {what}[{i}]", name(f)),
        }),
    }
}
