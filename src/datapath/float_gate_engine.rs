//! The gate-level engine for floating point: each GEMM output is one lane of the gate-level
//! fused multiply-add of [`circuits::fp`](crate::circuits::fp) (`a·b + c` with `a`, `b` in the
//! multiply format, `c` and the result in the accumulate format, one rounding), stepped once
//! per reduction index with its result fed back as `c`, `64 · words` outputs at a time in the
//! bit-parallel simulator, which records the switching activity.
//!
//! The accumulators never leave bit-sliced form between steps (the FMA's output words are
//! copied into its `c` input words); only the operands are transposed in and the results out.
//! This is exactly the word-level engine's sequential exact-product step
//! (`acc = fma_acc(widen(a), widen(b), acc)`), so the bits and the flags agree.

use crate::circuits::fp::{FpUnitConfig, RoundingControl, fp_fma};
use crate::float::{FloatEnv, Tininess};
use crate::gates::{Activity, CellLibrary, Netlist, Simulator, Wire, transpose64};
use crate::round::Flags;
use crate::{Error, Result};

use super::bias::Bias;
use super::float_arith::{FloatArith, ProductRounding, name};
use super::float_kernels::{FloatDatapath, FloatOutput};
use super::gate_engine::Engine;
use super::order::AccumulationOrder;
use super::shape::GemmShape;

impl FloatDatapath {
    /// The same datapath on another engine. [`Engine::GateLevel`] runs the dot, GEMV, GEMM
    /// and conv2d kernels through the gate-level fused multiply-add of
    /// [`circuits::fp`](crate::circuits::fp) (`fp_fma(mul, acc)`, built for the datapath's
    /// environment), one lane per output and one clock per reduction index: the same bits
    /// and flags as the word-level engine, plus switching activity. Elementwise kernels stay
    /// word-level.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`](crate::Error::Unsupported) when the gate-level engine cannot run
    /// this configuration: products rounded to the multiply format, an order other than
    /// sequential, tininess before rounding, flush-to-zero without denormals-are-zero (or the
    /// reverse), or a format pair the FMA generator does not build.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::datapath::{Engine, FloatArith, FloatDatapath};
    /// use arithsim::gates::CellLibrary;
    ///
    /// let word = FloatDatapath::new(FloatArith::FP8_E4M3_FP16)?;
    /// let gate = word.with_engine(Engine::GateLevel)?;
    /// // FP8 E4M3: 1.5 = 0x3C, 2.0 = 0x40, -0.25 = 0xA8
    /// let (a, b) = ([0x3C, 0xA8], [0x40, 0x40]);
    /// let out = gate.dot(&a, &b)?;
    /// assert_eq!(out.bits, word.dot(&a, &b)?.bits); // 2.5 in FP16: 0x4100
    /// assert_eq!(out.bits, [0x4100]);
    /// assert!(gate.gate_energy_pj(&out, &CellLibrary::nangate45())? > 0.0);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn with_engine(mut self, engine: Engine) -> Result<Self> {
        if engine == Engine::GateLevel {
            build_fma(&self.arith, self.order)?;
        }
        self.engine = engine;
        Ok(self)
    }

    /// The engine.
    #[must_use]
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Data-dependent dynamic energy, in pJ, of the FMA netlist over a kernel run on the
    /// gate-level engine: each recorded output toggle of a cell costs its internal energy
    /// plus `½·C·V²` of the load it drives, from the cell library `lib`, at the library's
    /// voltage. Leakage is not included.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) when `output` has no
    /// activity (it was not computed on the gate-level engine) or activity of another
    /// netlist, and as [`FloatDatapath::with_engine`].
    pub fn gate_energy_pj(&self, output: &FloatOutput, lib: &CellLibrary) -> Result<f64> {
        let act = output.activity.as_ref().ok_or_else(|| {
            crate::Error::param(
                "output",
                "without activity",
                "run a GEMM-shaped kernel on the gate-level engine to record switching activity",
            )
        })?;
        let net = build_fma(&self.arith, self.order)?;
        if net.wire_count() != act.toggles.len() {
            return Err(crate::Error::param(
                "output",
                "activity of another netlist",
                "compute the output with this datapath's arithmetic, engine and order",
            ));
        }
        netlist_energy_pj(&net, act, lib)
    }

    /// The FMA circuit when the engine is gate-level.
    pub(super) fn gate_fma(&self) -> Result<Option<Netlist>> {
        match self.engine {
            Engine::WordLevel => Ok(None),
            Engine::GateLevel => build_fma(&self.arith, self.order).map(Some),
        }
    }

    /// A validated GEMM on the configured engine: flags, and activity on the gate-level one.
    pub(super) fn run_gemm(
        &self,
        fma: Option<&Netlist>,
        s: GemmShape,
        a: &[u64],
        b: &[u64],
        bias: Bias<'_, u64>,
        out: &mut [u64],
    ) -> Result<(Flags, Option<Activity>)> {
        match fma {
            None => Ok((self.gemm_into(s, a, b, bias, out), None)),
            Some(net) => gemm_fma_gate_level(net, s, a, b, bias, out).map(|(f, a)| (f, Some(a))),
        }
    }
}

/// Most words per wire per simulator batch (so at most 1024 outputs advance together).
const MAX_WORDS: usize = crate::limits::FLOAT_GATE_ENGINE_MAX_WORDS;

/// The unit configuration that builds a circuit equal to the soft float under `env`.
fn unit_config(env: &FloatEnv) -> Result<FpUnitConfig> {
    if env.tininess != Tininess::AfterRounding {
        return Err(Error::Unsupported(
            "the gate-level FP units detect tininess after rounding only".into(),
        ));
    }
    if env.flush_to_zero != env.denormals_are_zero {
        return Err(Error::Unsupported(format!(
            "the gate-level FP units flush subnormal inputs and results together \
             (flush_to_zero = {}, denormals_are_zero = {} given)",
            env.flush_to_zero, env.denormals_are_zero
        )));
    }
    let cfg = FpUnitConfig::default()
        .with_rounding(RoundingControl::Fixed(env.rounding))
        .with_flush_subnormals(env.flush_to_zero)
        .with_nan(env.nan)
        .with_overflow(env.overflow);
    cfg.validate()?;
    Ok(cfg)
}

/// The FMA circuit of a floating-point configuration, or why the gate-level engine cannot
/// run it.
pub(crate) fn build_fma(arith: &FloatArith, order: AccumulationOrder) -> Result<Netlist> {
    if arith.product != ProductRounding::ExactProduct || order != AccumulationOrder::Sequential {
        return Err(Error::Unsupported(format!(
            "the gate-level floating-point engine runs exact products in sequential order \
             (one fused multiply-add per step), not {} in {order} order",
            match arith.product {
                ProductRounding::ExactProduct => "exact products",
                ProductRounding::RoundToMulFormat => "products rounded to the multiply format",
            }
        )));
    }
    let cfg = unit_config(&arith.env)?;
    fp_fma(arith.mul, arith.acc, &cfg).map_err(|e| match e {
        Error::Unsupported(why) => Error::Unsupported(format!(
            "no gate-level {} x {} + {} FMA: {why}",
            name(arith.mul),
            name(arith.mul),
            name(arith.acc)
        )),
        e => e,
    })
}

/// Ports of the FMA, looked up once.
struct Ports {
    a: Vec<Wire>,
    b: Vec<Wire>,
    c: Vec<Wire>,
    y: Vec<Wire>,
    flags: [Wire; 4],
}

impl Ports {
    fn of(net: &Netlist) -> Result<Self> {
        let flag = |n: &str| -> Result<Wire> {
            net.output(n)?.wires().first().copied().ok_or_else(|| {
                Error::Unsupported(format!("the FMA's flag output {n:?} has no wire"))
            })
        };
        Ok(Ports {
            a: net.input("a")?.wires().to_vec(),
            b: net.input("b")?.wires().to_vec(),
            c: net.input("c")?.wires().to_vec(),
            y: net.output("y")?.wires().to_vec(),
            flags: [
                flag("invalid")?,
                flag("overflow")?,
                flag("underflow")?,
                flag("inexact")?,
            ],
        })
    }
}

/// Writes `vals` (one per lane, lane `64 t + l` at `vals[64 t + l]`; missing lanes 0) into
/// the bit-sliced words of `wires`.
fn load(sim: &mut Simulator<'_>, wires: &[Wire], vals: &[u64]) -> Result<()> {
    let words = sim.words();
    let mut m = [0u64; 64];
    for t in 0..words {
        m.fill(0);
        if let Some(chunk) = vals.get(64 * t..) {
            for (slot, &v) in m.iter_mut().zip(chunk.iter().take(64)) {
                *slot = v;
            }
        }
        transpose64(&mut m);
        for (j, &w) in wires.iter().enumerate() {
            sim.input_words_mut(w)?[t] = m[j];
        }
    }
    Ok(())
}

/// Runs a validated GEMM through the FMA `net`: outputs `64 · words` at a time, `K` clocks
/// each. Returns the union of the flags of the active lanes and the summed activity.
pub(crate) fn gemm_fma_gate_level(
    net: &Netlist,
    s: GemmShape,
    a: &[u64],
    b: &[u64],
    bias: Bias<'_, u64>,
    out: &mut [u64],
) -> Result<(Flags, Activity)> {
    let ports = Ports::of(net)?;
    let outputs = s.m * s.n;
    let words = outputs.div_ceil(64).clamp(1, MAX_WORDS);
    let lanes = 64 * words;
    let mut sim = Simulator::new(net, words)?;
    let mut flags = Flags::empty();
    let mut total = Activity::default();
    let (mut av, mut bv) = (vec![0u64; lanes], vec![0u64; lanes]);
    let mut start = 0;
    while start < outputs {
        let active = (outputs - start).min(lanes);
        // A fresh set of machines, idle first (operands 0, addend the initial accumulator):
        // the first step's toggles count from that state, none across batches.
        sim.set_activity(true);
        let init: Vec<u64> = (start..start + active)
            .map(|o| bias.at(s.n, o / s.n, o % s.n).unwrap_or(0))
            .collect();
        load(&mut sim, &ports.c, &init)?;
        load(&mut sim, &ports.a, &[])?;
        load(&mut sim, &ports.b, &[])?;
        sim.step();
        // active-lane masks per word, for the flags
        let mask: Vec<u64> = (0..words)
            .map(|t| match active.saturating_sub(64 * t) {
                0 => 0,
                n if n >= 64 => !0,
                n => (1u64 << n) - 1,
            })
            .collect();
        for kk in 0..s.k {
            for (l, o) in (start..start + active).enumerate() {
                let (i, j) = (o / s.n, o % s.n);
                av[l] = a[i * s.k + kk];
                bv[l] = b[kk * s.n + j];
            }
            load(&mut sim, &ports.a, &av[..active])?;
            load(&mut sim, &ports.b, &bv[..active])?;
            sim.step();
            for (fl, &w) in [
                Flags::INVALID,
                Flags::OVERFLOW,
                Flags::UNDERFLOW,
                Flags::INEXACT,
            ]
            .into_iter()
            .zip(&ports.flags)
            {
                if sim
                    .wire_words(w)?
                    .iter()
                    .zip(&mask)
                    .any(|(x, m)| x & m != 0)
                {
                    flags |= fl;
                }
            }
            // the result becomes the next step's addend, still bit-sliced
            for (&y, &c) in ports.y.iter().zip(&ports.c) {
                let yw = sim.wire_words(y)?.to_vec();
                sim.input_words_mut(c)?.copy_from_slice(&yw);
            }
        }
        let mut m = [0u64; 64];
        for t in 0..active.div_ceil(64) {
            m.fill(0);
            for (j, &c) in ports.c.iter().enumerate() {
                m[j] = sim.wire_words(c)?[t];
            }
            transpose64(&mut m);
            let n = (active - 64 * t).min(64);
            out[start + 64 * t..start + 64 * t + n].copy_from_slice(&m[..n]);
        }
        if let Some(act) = sim.activity() {
            super::gate_engine::add_activity(&mut total, act);
        }
        start += active;
    }
    Ok((flags, total))
}

/// Dynamic energy in pJ of `activity` recorded in `net` (the cost layer's per-operation
/// figure times the transitions observed).
pub(crate) fn netlist_energy_pj(
    net: &Netlist,
    activity: &Activity,
    lib: &CellLibrary,
) -> Result<f64> {
    if activity.transitions == 0 {
        return Ok(0.0);
    }
    let cost = crate::cost::gate_cost_from_activity(net, lib, activity)?;
    Ok(cost.energy_pj() * cost.transitions as f64)
}
