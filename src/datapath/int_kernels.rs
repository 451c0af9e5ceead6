//! Integer kernels on the word-level engine: dot, GEMV, GEMM, conv2d, elementwise add, ReLU.
//!
//! Values are plain integers; counts come from the shape, never from the inner loop.
//! Wrapping accumulation is associative, so every order gives the same bits and the fast path
//! runs an i-k-j loop on native wrapping `i32` (accumulators up to 32 bits) or `i64` words; the
//! order still decides what is counted (MACs for sequential, multiplies and adds for trees).
//! Saturating accumulation runs each output's reduction step by step in the configured order.

use crate::Result;
use crate::cost::{OpKind, Tally};

use super::bias::Bias;
use super::conv::{check_conv_bias, conv2d_by_groups, group_bias_len};
use super::gate_engine::{Engine, activity_energy_pj, add_activity, build_mac, gemm_gate_level};
use num_traits::Bounded;

use super::int_arith::IntArith;
use super::memory::MemoryModel;
use super::operands::{GemmOperands, LayerOperands};
use super::order::AccumulationOrder;
use super::shape::{Conv2dShape, GemmShape, check_len};
use crate::circuits::mac::Mac;
use crate::gates::{Activity, CellLibrary};
use crate::repr::Overflow;

/// An integer operand type: any primitive integer that widens losslessly to `i64`.
pub trait IntOperand: Copy + Into<i64> + Bounded + Default + Sync {}
impl<T: Copy + Into<i64> + Bounded + Default + Sync> IntOperand for T {}

/// What an integer kernel returns.
#[derive(Clone, Debug, PartialEq)]
pub struct IntOutput {
    /// The results, in the accumulator's range (row-major `M × N` for GEMM, NCHW for conv2d).
    pub values: Vec<i64>,
    /// Exactly the operations performed, counted from the shape.
    pub tally: Tally,
    /// How many additions saturated (always 0 for wrapping accumulators; counted by the
    /// word-level twin when the gate-level engine runs).
    pub saturations: u64,
    /// Switching activity of the MAC netlist over the whole kernel (gate-level engine only):
    /// toggles per wire and the number of clock transitions, for data-dependent energy.
    pub activity: Option<Activity>,
}

/// An integer datapath: arithmetic, accumulation order and optional memory model.
///
/// # Examples
///
/// ```
/// use arithsim::cost::OpKind;
/// use arithsim::datapath::{Bias, GemmOperands, GemmShape, IntArith, IntDatapath};
///
/// let dp = IntDatapath::new(IntArith::INT8_INT32)?;
/// let a: [i8; 4] = [1, -2, 3, 4];     // 2 x 2
/// let b: [i8; 4] = [5, 6, -7, 8];     // 2 x 2
/// let out = dp.gemm(GemmShape::new(2, 2, 2)?, GemmOperands { a: &a, b: &b }, Bias::None)?;
/// assert_eq!(out.values, [19, -10, -13, 50]);
/// assert_eq!(out.tally.count(OpKind::IntMac { mul_bits: 8, acc_bits: 32 }), 8);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IntDatapath {
    arith: IntArith,
    order: AccumulationOrder,
    memory: Option<MemoryModel>,
    engine: Engine,
}

impl IntDatapath {
    /// A datapath with sequential accumulation and no memory model.
    ///
    /// # Errors
    ///
    /// As [`IntArith::validate`].
    pub fn new(arith: IntArith) -> Result<Self> {
        arith.validate()?;
        Ok(Self {
            arith,
            order: AccumulationOrder::Sequential,
            memory: None,
            engine: Engine::WordLevel,
        })
    }

    /// The same datapath on another engine.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`](crate::Error::Unsupported) when the gate-level engine cannot run
    /// this configuration (see [`Engine::GateLevel`]).
    pub fn with_engine(mut self, engine: Engine) -> Result<Self> {
        if engine == Engine::GateLevel {
            build_mac(&self.arith, self.order, false)?;
        }
        self.engine = engine;
        Ok(self)
    }

    /// The engine.
    #[must_use]
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Data-dependent dynamic energy, in pJ, of the MAC netlist over a kernel run on the
    /// gate-level engine: each recorded output toggle of a cell costs its internal energy plus
    /// `½·C·V²` of the load it drives, from the cell library `lib` (e.g.
    /// [`CellLibrary::nangate45`]), at the library's voltage ([`CellLibrary::voltage_v`]).
    /// Leakage is not included.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) when `output` has no
    /// activity (it was not computed on the gate-level engine), and as
    /// [`IntDatapath::with_engine`].
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::datapath::{Bias, Engine, GemmOperands, GemmShape, IntArith, IntDatapath};
    /// use arithsim::gates::CellLibrary;
    ///
    /// let dp = IntDatapath::new(IntArith::INT8_INT32)?.with_engine(Engine::GateLevel)?;
    /// let s = GemmShape::new(4, 4, 8)?;
    /// let a: Vec<i8> = (0..32).map(|i| (i * 37 % 251) as i8).collect();
    /// let out = dp.gemm(s, GemmOperands { a: &a, b: &a }, Bias::None)?;
    /// let pj = dp.gate_energy_pj(&out, &CellLibrary::nangate45())?;
    /// assert!(pj > 0.0);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn gate_energy_pj(&self, output: &IntOutput, lib: &CellLibrary) -> Result<f64> {
        let act = output.activity.as_ref().ok_or_else(|| {
            crate::Error::param(
                "output",
                "without activity",
                "run the kernel on the gate-level engine to record switching activity",
            )
        })?;
        // The same netlist the kernel ran on (its wires index the activity).
        let mac = build_mac(&self.arith, self.order, false)?;
        if mac.netlist().wire_count() != act.toggles.len() {
            return Err(crate::Error::param(
                "output",
                "activity of another netlist",
                "compute the output with this datapath's engine and order",
            ));
        }
        activity_energy_pj(&mac, act, lib)
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
    pub fn arith(&self) -> IntArith {
        self.arith
    }

    /// The accumulation order.
    #[must_use]
    pub fn order(&self) -> AccumulationOrder {
        self.order
    }

    /// The memory model, if any.
    #[must_use]
    pub fn memory(&self) -> Option<MemoryModel> {
        self.memory
    }

    /// `C = bias + A · B` with `A` `M × K` and `B` `K × N`, row-major.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`](crate::Error::Shape) when a slice length does not match the shape,
    /// [`Error::OutOfRange`](crate::Error::OutOfRange) when an operand does not fit
    /// `mul_bits` or a bias value the accumulator, and the memory model's errors.
    pub fn gemm<T: IntOperand>(
        &self,
        shape: GemmShape,
        operands: GemmOperands<'_, T>,
        bias: Bias<'_>,
    ) -> Result<IntOutput> {
        let GemmOperands { a, b } = operands;
        let shape = GemmShape::new(shape.m, shape.n, shape.k)?;
        shape.check_operands(a.len(), b.len())?;
        bias.check(shape)?;
        self.arith.check_operands("a", a)?;
        self.arith.check_operands("b", b)?;
        self.arith.check_acc("bias", bias.values())?;
        let mut tally = Tally::new();
        if let Some(mem) = &self.memory {
            let (ob, ab) = (self.arith.acc_bits, self.arith.mul_bits);
            mem.gemm_traffic(shape, ab, ab, ob, bias.values().len())?
                .add_to(mem, &mut tally, 1);
        }
        let mut values = vec![0i64; shape.m * shape.n];
        let mac = self.gate_mac(bias.values().is_empty())?;
        let (saturations, activity) =
            self.run_gemm(mac.as_ref(), shape, a, b, bias, &mut values)?;
        self.count_reduction(&mut tally, shape.m as u64 * shape.n as u64, shape.k);
        Ok(IntOutput {
            values,
            tally,
            saturations,
            activity,
        })
    }

    /// `y = bias + A · x` with `A` `M × K` row-major and the vector `x` in `operands.b` (a GEMM
    /// with `N = 1`; `K` is `x`'s length, so only `M` is passed).
    ///
    /// # Errors
    ///
    /// As [`IntDatapath::gemm`] (with `N = 1`, a per-row bias has `M` values).
    pub fn gemv<T: IntOperand>(
        &self,
        m: usize,
        operands: GemmOperands<'_, T>,
        bias: Bias<'_>,
    ) -> Result<IntOutput> {
        let k = operands.b.len();
        self.gemm(GemmShape::new(m, 1, k)?, operands, bias)
    }

    /// The dot product `Σ a[i]·b[i]` (one output value).
    ///
    /// # Errors
    ///
    /// [`Error::Shape`](crate::Error::Shape) for empty or different-length vectors, and as
    /// [`IntDatapath::gemm`].
    pub fn dot<T: IntOperand>(&self, a: &[T], b: &[T]) -> Result<IntOutput> {
        check_len("dot operand b", b.len(), a.len(), "the length of a")?;
        self.gemm(
            GemmShape::new(1, 1, a.len())?,
            GemmOperands { a, b },
            Bias::None,
        )
    }

    /// 2-D convolution, NCHW input, OIHW weights, NCHW output (see [`Conv2dShape`]), with a
    /// bias read in the convolution's GEMM view ([`Bias::PerRow`]: one per output channel;
    /// see [`Bias`]). Reduction order per output: `(c, ky, kx)`.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`](crate::Error::Shape) for an invalid shape or slice lengths, and as
    /// [`IntDatapath::gemm`].
    pub fn conv2d<T: IntOperand>(
        &self,
        shape: &Conv2dShape,
        operands: LayerOperands<'_, T>,
        bias: Bias<'_>,
    ) -> Result<IntOutput> {
        let LayerOperands {
            weights: weight,
            input,
        } = operands;
        shape.check_operands(input.len(), weight.len())?;
        check_conv_bias(shape, &bias)?;
        self.arith.check_acc("bias", bias.values())?;
        self.arith.check_operands("input", input)?;
        self.arith.check_operands("weight", weight)?;
        let (groups, g_shape) = shape.gemm_view();
        let mut tally = Tally::new();
        if let Some(mem) = &self.memory {
            let bits = self.arith.mul_bits;
            let per_group_bias = group_bias_len(g_shape, &bias);
            mem.gemm_traffic(g_shape, bits, bits, self.arith.acc_bits, per_group_bias)?
                .add_to(mem, &mut tally, groups as u64);
        }
        let mac = self.gate_mac(bias.values().is_empty())?;
        let mut saturations = 0;
        let mut activity: Option<Activity> = None;
        let mut failed = None;
        let values = conv2d_by_groups(
            shape,
            input,
            weight,
            bias,
            T::default(),
            0i64,
            |s, w, x, b, c| match self.run_gemm(mac.as_ref(), s, w, x, b, c) {
                Ok((sat, act)) => {
                    saturations += sat;
                    if let Some(act) = act {
                        add_activity(activity.get_or_insert_with(Activity::default), &act);
                    }
                }
                Err(e) => failed = Some(e),
            },
        );
        if let Some(e) = failed {
            return Err(e);
        }
        self.count_reduction(&mut tally, shape.output_len() as u64, g_shape.k);
        Ok(IntOutput {
            values,
            tally,
            saturations,
            activity,
        })
    }

    /// Elementwise `a + b` in the accumulator (wrapping or saturating), e.g. a residual add.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`](crate::Error::Shape) for different lengths or empty inputs,
    /// [`Error::OutOfRange`](crate::Error::OutOfRange) for values outside the accumulator.
    pub fn add(&self, a: &[i64], b: &[i64]) -> Result<IntOutput> {
        check_len("add operand b", b.len(), a.len(), "the length of a")?;
        if a.is_empty() {
            return Err(crate::Error::Shape("add operands are empty".into()));
        }
        self.arith.check_acc("a", a)?;
        self.arith.check_acc("b", b)?;
        let mut saturations = 0;
        let values = a
            .iter()
            .zip(b)
            .map(|(&x, &y)| {
                let (v, s) = self.arith.reduce(x as i128 + y as i128);
                saturations += s as u64;
                v
            })
            .collect();
        let mut tally = Tally::new();
        tally.add(
            OpKind::IntAdd {
                bits: self.arith.acc_bits,
            },
            a.len() as u64,
        );
        self.count_elementwise(&mut tally, a.len() as u64, 2);
        Ok(IntOutput {
            values,
            tally,
            saturations,
            activity: None,
        })
    }

    /// Elementwise `max(x, 0)`.
    ///
    /// ReLU is a mux on the sign bit: no arithmetic operation of the cost tables is performed,
    /// so only memory traffic (when a memory model is set) is counted.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`](crate::Error::Shape) for an empty input,
    /// [`Error::OutOfRange`](crate::Error::OutOfRange) for values outside the accumulator.
    pub fn relu(&self, x: &[i64]) -> Result<IntOutput> {
        if x.is_empty() {
            return Err(crate::Error::Shape("relu input is empty".into()));
        }
        self.arith.check_acc("x", x)?;
        let mut tally = Tally::new();
        self.count_elementwise(&mut tally, x.len() as u64, 1);
        Ok(IntOutput {
            values: x.iter().map(|&v| v.max(0)).collect(),
            tally,
            saturations: 0,
            activity: None,
        })
    }

    /// Elementwise traffic: `inputs` reads and one write per element, at the backing level.
    fn count_elementwise(&self, tally: &mut Tally, len: u64, inputs: u64) {
        if let Some(mem) = &self.memory {
            let bits = self.arith.acc_bits;
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

    /// Counts `outputs` reductions of length `k` in the configured order.
    fn count_reduction(&self, tally: &mut Tally, outputs: u64, k: usize) {
        let n = outputs * k as u64;
        match self.order {
            AccumulationOrder::Sequential => tally.add(self.arith.mac_op(), n),
            _ => {
                tally.add(
                    OpKind::IntMul {
                        bits: self.arith.mul_bits,
                    },
                    n,
                );
                tally.add(
                    OpKind::IntAdd {
                        bits: self.arith.acc_bits,
                    },
                    outputs * self.order.adds(k),
                );
            }
        }
    }

    /// The MAC circuit when the engine is gate-level.
    fn gate_mac(&self, no_bias: bool) -> Result<Option<Mac>> {
        match self.engine {
            Engine::WordLevel => Ok(None),
            Engine::GateLevel => build_mac(&self.arith, self.order, !no_bias).map(Some),
        }
    }

    /// A validated GEMM on the configured engine: saturation count and activity.
    fn run_gemm<T: IntOperand>(
        &self,
        mac: Option<&Mac>,
        s: GemmShape,
        a: &[T],
        b: &[T],
        bias: Bias<'_>,
        out: &mut [i64],
    ) -> Result<(u64, Option<Activity>)> {
        match mac {
            None => Ok((self.gemm_into(s, a, b, bias, out), None)),
            Some(mac) => {
                let act = gemm_gate_level(mac, &self.arith, s, a, b, bias, out)?;
                let saturations = if self.arith.overflow == Overflow::Saturating {
                    let mut twin = vec![0i64; out.len()];
                    self.gemm_into(s, a, b, bias, &mut twin)
                } else {
                    0
                };
                Ok((saturations, Some(act)))
            }
        }
    }

    /// The arithmetic of a validated GEMM into `out`; returns the saturation count.
    fn gemm_into<T: IntOperand>(
        &self,
        s: GemmShape,
        a: &[T],
        b: &[T],
        bias: Bias<'_>,
        out: &mut [i64],
    ) -> u64 {
        let ar = self.arith;
        match ar.overflow {
            Overflow::Wrapping if ar.acc_bits <= 32 => {
                gemm_wrapping::<T, i32>(s, a, b, bias, out, |x| ar.wrap(x));
                0
            }
            Overflow::Wrapping => {
                gemm_wrapping::<T, i64>(s, a, b, bias, out, |x| ar.wrap(x));
                0
            }
            Overflow::Saturating => self.gemm_saturating(s, a, b, bias, out),
        }
    }

    /// Step-by-step saturating reduction of each output in the configured order.
    fn gemm_saturating<T: IntOperand>(
        &self,
        s: GemmShape,
        a: &[T],
        b: &[T],
        bias: Bias<'_>,
        out: &mut [i64],
    ) -> u64 {
        let ar = self.arith;
        let mut products = vec![0i128; s.k];
        let mut scratch = Vec::new();
        let mut saturations = 0u64;
        for i in 0..s.m {
            let arow = &a[i * s.k..(i + 1) * s.k];
            for j in 0..s.n {
                for (kk, p) in products.iter_mut().enumerate() {
                    let x: i64 = arow[kk].into();
                    let y: i64 = b[kk * s.n + j].into();
                    *p = x as i128 * y as i128;
                }
                let init = bias.at(s.n, i, j).unwrap_or(0) as i128;
                let r = self.order.reduce(init, &products, &mut scratch, |x, y| {
                    let (v, sat) = ar.reduce(x + y);
                    saturations += sat as u64;
                    v as i128
                });
                out[i * s.n + j] = r as i64;
            }
        }
        saturations
    }
}

/// A native word for the wrapping fast path (shared with the sparse kernels).
pub(super) trait Word: Copy + Default + Send + Sync {
    fn from_i64(x: i64) -> Self;
    fn to_i64(self) -> i64;
    fn mac(self, a: Self, b: Self) -> Self;
}

impl Word for i32 {
    #[inline(always)]
    fn from_i64(x: i64) -> Self {
        x as i32
    }
    #[inline(always)]
    fn to_i64(self) -> i64 {
        self as i64
    }
    #[inline(always)]
    fn mac(self, a: Self, b: Self) -> Self {
        self.wrapping_add(a.wrapping_mul(b))
    }
}

impl Word for i64 {
    #[inline(always)]
    fn from_i64(x: i64) -> Self {
        x
    }
    #[inline(always)]
    fn to_i64(self) -> i64 {
        self
    }
    #[inline(always)]
    fn mac(self, a: Self, b: Self) -> Self {
        self.wrapping_add(a.wrapping_mul(b))
    }
}

/// GEMMs with at least this many MACs (about 50 µs on one core) run their output rows in
/// parallel (rayon's current pool); below it the threads cost more than they save. At 2^16
/// (about 10 µs) a network run over images in parallel also split every image's second
/// convolution of the digits CNN (73,728 MACs) into tasks of a few microseconds, which the
/// other worker stole from under the images.
const PARALLEL_MACS: usize = 1 << 18;

/// Output rows a task computes together in the wrapping GEMM: each row of `B` (and its
/// conversion to the native word) is read once for four rows of `C` instead of once per row,
/// about 20 % less time for an INT8 GEMM 256³ on one core, and 64 tasks of even size.
const ROW_BLOCK: usize = 4;

/// `rows[r][j] += v[r] · b[j]` for four rows: each `b[j]` loaded and converted once. A
/// function of its own so that the four rows are distinct `&mut` arguments, which the
/// compiler vectorizes (written inline in the GEMM's closure it stayed scalar).
#[inline(never)]
fn mac_four_rows<T: IntOperand, W: Word>(rows: [&mut [W]; 4], v: [W; 4], b: &[T]) {
    let [r0, r1, r2, r3] = rows;
    let n = b
        .len()
        .min(r0.len())
        .min(r1.len())
        .min(r2.len())
        .min(r3.len());
    let (r0, r1, r2, r3, b) = (
        &mut r0[..n],
        &mut r1[..n],
        &mut r2[..n],
        &mut r3[..n],
        &b[..n],
    );
    for j in 0..n {
        let bv = W::from_i64(b[j].into());
        r0[j] = r0[j].mac(v[0], bv);
        r1[j] = r1[j].mac(v[1], bv);
        r2[j] = r2[j].mac(v[2], bv);
        r3[j] = r3[j].mac(v[3], bv);
    }
}

/// i-k-j GEMM on wrapping native words: exact modulo 2^(word bits), then `wrap` reduces to
/// the accumulator width (which divides the word width, so the result is the same as wrapping
/// at every step). Output rows are independent, so large GEMMs compute them on rayon's pool,
/// [`ROW_BLOCK`] rows per task when there are many; every output is the same sum in the same
/// order either way, so the bits do not depend on the thread count.
fn gemm_wrapping<T: IntOperand, W: Word>(
    s: GemmShape,
    a: &[T],
    b: &[T],
    bias: Bias<'_>,
    out: &mut [i64],
    wrap: impl Fn(i64) -> i64 + Sync,
) {
    let w = |x: T| W::from_i64(x.into());
    // Output rows `i..i + oblk.len() / n` into `oblk`, `acc` as scratch.
    let rows_from = |i: usize, oblk: &mut [i64], acc: &mut Vec<W>| {
        acc.clear();
        acc.resize(oblk.len(), W::default());
        for (r, row) in acc.chunks_mut(s.n).enumerate() {
            for (j, x) in row.iter_mut().enumerate() {
                *x = W::from_i64(bias.at(s.n, i + r, j).unwrap_or(0));
            }
        }
        let arow = |r: usize| &a[(i + r) * s.k..(i + r + 1) * s.k];
        if acc.len() == ROW_BLOCK * s.n {
            let (r0, rest) = acc.split_at_mut(s.n);
            let (r1, rest) = rest.split_at_mut(s.n);
            let (r2, r3) = rest.split_at_mut(s.n);
            let (a0, a1, a2, a3) = (arow(0), arow(1), arow(2), arow(3));
            for (kk, brow) in b.chunks_exact(s.n).take(s.k).enumerate() {
                let v = [w(a0[kk]), w(a1[kk]), w(a2[kk]), w(a3[kk])];
                mac_four_rows([&mut *r0, &mut *r1, &mut *r2, &mut *r3], v, brow);
            }
        } else {
            for (r, row) in acc.chunks_mut(s.n).enumerate() {
                for (&av, brow) in arow(r).iter().zip(b.chunks_exact(s.n)) {
                    let av = w(av);
                    for (x, &bv) in row.iter_mut().zip(brow) {
                        *x = x.mac(av, w(bv));
                    }
                }
            }
        }
        for (o, x) in oblk.iter_mut().zip(acc.iter()) {
            *o = wrap(x.to_i64());
        }
    };
    if s.n == 0 {
        return;
    }
    // Blocks of rows when there are enough of them for every core; single rows otherwise.
    let rows = if s.m >= 8 * ROW_BLOCK { ROW_BLOCK } else { 1 };
    let out = &mut out[..s.m * s.n];
    if s.m > 1 && s.m.saturating_mul(s.n).saturating_mul(s.k) >= PARALLEL_MACS {
        use rayon::prelude::*;
        out.par_chunks_mut(rows * s.n)
            .enumerate()
            .for_each_init(Vec::new, |acc, (t, oblk)| rows_from(t * rows, oblk, acc));
    } else {
        let mut acc = Vec::new();
        for (t, oblk) in out.chunks_mut(rows * s.n).enumerate() {
            rows_from(t * rows, oblk, &mut acc);
        }
    }
}
