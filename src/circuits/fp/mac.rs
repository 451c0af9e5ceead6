//! Mixed-precision floating-point MAC units as accelerators build them: products of two
//! narrow operands, exact, added to a wider accumulator register with one rounding per
//! clock (`acc ← a × b + acc`, an FMA whose addend is the register).
//!
//! Presets, named by operand and accumulator as the datapath's
//! [`FloatArith`](crate::datapath::FloatArith) presets are: [`FpMacSpec::FP16_FP32`]
//! (FP16 × FP16 + FP32 → FP32), [`FpMacSpec::BF16_FP32`], [`FpMacSpec::FP8_E4M3_FP32`],
//! [`FpMacSpec::FP8_E5M2_FP32`], [`FpMacSpec::FP8_E4M3_FP16`], [`FpMacSpec::FP8_E5M2_FP16`];
//! [`fp_mac_presets`] lists them with names.
//!
//! # Examples
//!
//! ```
//! use arithsim::circuits::fp::{FpMac, FpMacSpec};
//! use arithsim::round::RoundingMode;
//!
//! let mac = FpMac::new(FpMacSpec::FP16_FP32)?;
//! // acc = 1.5 × 2 + (−0.5) × 0.5 + 65504 × 65504 (exact in FP32's range)
//! let a = [0x3E00, 0xB800, 0x7BFF];
//! let b = [0x4000, 0x3800, 0x7BFF];
//! let acc = mac.accumulate(&a, &b)?;
//! assert_eq!(f32::from_bits(acc[0] as u32), 3.0);
//! assert_eq!(f32::from_bits(acc[1] as u32), 2.75);
//! assert_eq!(acc[2], mac.reference(acc[1], a[2], b[2], RoundingMode::NearestEven).value);
//! # Ok::<(), arithsim::Error>(())
//! ```

use super::fma::{build_fp_fma, check_fma};
use super::{FpResult, FpUnitConfig, ModeWires, RoundingControl};
use crate::float::{FloatFormat, StatusAnd};
use crate::gates::{Activity, BatchOutput, Builder, Netlist, Simulator, Wire};
use crate::round::{Flags, RoundingMode};
use crate::{Error, Result};

/// A floating-point MAC: product format, accumulator format and how the unit is built.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::fp::{FpMacSpec, FpUnitConfig, RoundingControl};
/// use arithsim::float::FloatFormat;
/// use arithsim::round::RoundingMode;
///
/// let spec = FpMacSpec::new(FloatFormat::FP16, FloatFormat::FP32)
///     .with_config(FpUnitConfig::default().with_rounding(RoundingControl::Input));
/// assert!(spec.validate().is_ok());
/// assert_eq!(spec.to_string(), "FP16xFP16+FP32");
/// // One clock at word level: 0 + 1.5 × 1.5 = 2.25.
/// let r = spec.reference(0, 0x3E00, 0x3E00, RoundingMode::TowardZero);
/// assert_eq!(f32::from_bits(r.value as u32), 2.25);
/// // BF16 does not fit in FP16: the accumulator is refused.
/// assert!(FpMacSpec::new(FloatFormat::BF16, FloatFormat::FP16).validate().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FpMacSpec {
    /// Format of the operands `a` and `b`.
    pub mul: FloatFormat,
    /// Format of the accumulator register (every value of `mul` must convert exactly).
    pub acc: FloatFormat,
    /// Rounding, subnormals, NaN/overflow policy, adder and multiplier.
    pub cfg: FpUnitConfig,
}

/// A short name such as "FP16xFP16+FP32" or "E4M3xE4M3+FP16" (the names of
/// [`fp_mac_presets`]): built from the formats, so `Display` rather than a `&'static str`
/// `name()`.
impl std::fmt::Display for FpMacSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = |x: FloatFormat| {
            x.preset_name().map_or_else(
                || format!("{x:?}"),
                |p| p.trim_start_matches("FP8 ").to_string(),
            )
        };
        write!(f, "{m}x{m}+{}", n(self.acc), m = n(self.mul))
    }
}

impl FpMacSpec {
    /// FP16 × FP16 + FP32 → FP32 (tensor cores' mixed precision).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::circuits::fp::{FpMac, FpMacSpec};
    /// use arithsim::float::FloatFormat;
    ///
    /// let spec = FpMacSpec::FP16_FP32;
    /// assert_eq!((spec.mul, spec.acc), (FloatFormat::FP16, FloatFormat::FP32));
    /// // 1.0 × 1.0 (pattern 0x3C00) accumulated twice: 1, then 2.
    /// let acc = FpMac::new(spec)?.accumulate(&[0x3C00, 0x3C00], &[0x3C00, 0x3C00])?;
    /// assert_eq!(acc[0], 0x3F80_0000);
    /// // Every preset: 1.0 × 1.0 accumulated once is 1.0 in the accumulator format.
    /// for (one_mul, one_acc, spec) in [
    ///     (0x3F80, 0x3F80_0000, FpMacSpec::BF16_FP32),
    ///     (0x38, 0x3F80_0000, FpMacSpec::FP8_E4M3_FP32),
    ///     (0x3C, 0x3F80_0000, FpMacSpec::FP8_E5M2_FP32),
    ///     (0x38, 0x3C00, FpMacSpec::FP8_E4M3_FP16),
    ///     (0x3C, 0x3C00, FpMacSpec::FP8_E5M2_FP16),
    /// ] {
    ///     assert_eq!(FpMac::new(spec)?.accumulate(&[one_mul], &[one_mul])?, [one_acc]);
    /// }
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub const FP16_FP32: FpMacSpec = FpMacSpec::new(FloatFormat::FP16, FloatFormat::FP32);
    /// BF16 × BF16 + FP32 → FP32.
    pub const BF16_FP32: FpMacSpec = FpMacSpec::new(FloatFormat::BF16, FloatFormat::FP32);
    /// FP8 E4M3 × FP8 E4M3 + FP32 → FP32.
    pub const FP8_E4M3_FP32: FpMacSpec = FpMacSpec::new(FloatFormat::FP8_E4M3, FloatFormat::FP32);
    /// FP8 E5M2 × FP8 E5M2 + FP32 → FP32.
    pub const FP8_E5M2_FP32: FpMacSpec = FpMacSpec::new(FloatFormat::FP8_E5M2, FloatFormat::FP32);
    /// FP8 E4M3 × FP8 E4M3 + FP16 → FP16.
    pub const FP8_E4M3_FP16: FpMacSpec = FpMacSpec::new(FloatFormat::FP8_E4M3, FloatFormat::FP16);
    /// FP8 E5M2 × FP8 E5M2 + FP16 → FP16.
    pub const FP8_E5M2_FP16: FpMacSpec = FpMacSpec::new(FloatFormat::FP8_E5M2, FloatFormat::FP16);

    /// A MAC with the default config (nearest-even fixed, IEEE subnormals).
    #[must_use]
    pub const fn new(mul: FloatFormat, acc: FloatFormat) -> Self {
        FpMacSpec {
            mul,
            acc,
            cfg: FpUnitConfig::DEFAULT,
        }
    }

    /// The same with another config.
    #[must_use]
    pub fn with_config(mut self, cfg: FpUnitConfig) -> Self {
        self.cfg = cfg;
        self
    }

    /// Checks formats and config.
    ///
    /// # Errors
    /// As [`fp_fma`](super::fp_fma): formats wider than 32 bits, an accumulator that cannot
    /// hold the product format exactly (naming `acc`), a bad config.
    pub fn validate(&self) -> Result<()> {
        check_fma(self.mul, self.acc, &self.cfg)
    }

    /// The word-level twin of one clock: `acc.fma(convert(a), convert(b), acc)` under
    /// `cfg.env(mode)`, with the conversions' flags (invalid for a signalling NaN operand).
    pub fn reference(&self, acc: u64, a: u64, b: u64, mode: RoundingMode) -> StatusAnd<u64> {
        let env = self.cfg.env(mode);
        let ca = self.mul.convert(a, self.acc, &env);
        let cb = self.mul.convert(b, self.acc, &env);
        let r = self.acc.fma(ca.value, cb.value, acc, &env);
        StatusAnd::new(r.value, r.flags | ca.flags | cb.flags)
    }
}

/// Every preset with its name, in the order of the module docs.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::fp::fp_mac_presets;
///
/// let names: Vec<&str> = fp_mac_presets().iter().map(|(n, _)| *n).collect();
/// assert_eq!(names[0], "FP16xFP16+FP32");
/// assert!(fp_mac_presets().iter().all(|(_, s)| s.validate().is_ok()));
/// ```
#[must_use]
pub fn fp_mac_presets() -> [(&'static str, FpMacSpec); 6] {
    [
        ("FP16xFP16+FP32", FpMacSpec::FP16_FP32),
        ("BF16xBF16+FP32", FpMacSpec::BF16_FP32),
        ("E4M3xE4M3+FP32", FpMacSpec::FP8_E4M3_FP32),
        ("E5M2xE5M2+FP32", FpMacSpec::FP8_E5M2_FP32),
        ("E4M3xE4M3+FP16", FpMacSpec::FP8_E4M3_FP16),
        ("E5M2xE5M2+FP16", FpMacSpec::FP8_E5M2_FP16),
    ]
}

/// The sequential MAC netlist: inputs `a`, `b` (`mul.width()` bits) [and `rm`], a register
/// `acc` of `acc.width()` flip-flops (reset to +0), outputs `acc` (the register's next value:
/// `a × b + acc` rounded once) and this clock's flags `invalid`, `overflow`, `underflow`,
/// `inexact`.
///
/// # Errors
/// As [`FpMacSpec::validate`].
///
/// # Examples
///
/// ```
/// use arithsim::circuits::fp::{fp_mac, FpUnitConfig};
/// use arithsim::float::FloatFormat;
/// use arithsim::gates::{BatchOutput, Simulator};
///
/// let net = fp_mac(FloatFormat::FP8_E4M3, FloatFormat::FP16, &FpUnitConfig::default())?;
/// assert_eq!(net.registers().len(), 16);
/// let mut sim = Simulator::new(&net, 1)?;
/// let mut out = BatchOutput::default();
/// let mut acc = Vec::new();
/// for _ in 0..3 {
///     // 1.5 × 1.5 = 2.25 per clock (E4M3 1.5 = 0x3C); `out` holds this clock's outputs.
///     sim.step_with(&[("a", &[0x3Cu64]), ("b", &[0x3Cu64])], &mut out)?;
///     acc.extend_from_slice(out.get("acc")?);
/// }
/// assert_eq!(acc, [0x4080, 0x4480, 0x46C0]); // 2.25, 4.5, 6.75 in FP16
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn fp_mac(mul: FloatFormat, acc: FloatFormat, cfg: &FpUnitConfig) -> Result<Netlist> {
    Ok(FpMac::new(FpMacSpec::new(mul, acc).with_config(*cfg))?.netlist)
}

/// Adds one clock of a MAC to `b` under label `fp mac`: the FMA `a × b + acc` of
/// [`build_fp_fma`] with the accumulator bus `acc` as the addend; returns the next
/// accumulator and the flags (connect them to the register's `D` inputs).
///
/// # Errors
/// As [`build_fp_fma`].
///
/// # Examples
///
/// ```
/// use arithsim::circuits::fp::{build_fp_mac_step, FpMacSpec, ModeWires};
/// use arithsim::gates::{Builder, Wire};
///
/// let spec = FpMacSpec::FP8_E5M2_FP32;
/// let mut b = Builder::new();
/// let a = b.input("a", 8)?;
/// let x = b.input("b", 8)?;
/// let q: Vec<Wire> = (0..32).map(|_| b.register(false)).collect();
/// let mode = ModeWires::build(&mut b, spec.cfg.rounding)?;
/// let next = build_fp_mac_step(&mut b, &spec, &mode, &a, &x, &q)?;
/// for (&r, &d) in q.iter().zip(&next.bits) {
///     b.connect_register(r, d)?;
/// }
/// b.output("acc", &next.bits)?;
/// let net = b.finish()?;
/// assert_eq!(net.registers().len(), 32);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn build_fp_mac_step(
    b: &mut Builder,
    spec: &FpMacSpec,
    mode: &ModeWires,
    a: &[Wire],
    x: &[Wire],
    acc: &[Wire],
) -> Result<FpResult> {
    b.push_label("fp mac");
    let r = build_fp_fma(b, spec.mul, spec.acc, &spec.cfg, mode, a, x, acc);
    b.pop_label();
    r
}

/// A MAC unit: its spec and its sequential netlist (see [`fp_mac`] for the ports).
///
/// # Examples
///
/// Two streams, three clocks each, toward zero on a unit with an `rm` port:
///
/// ```
/// use arithsim::circuits::fp::{FpMacSpec, FpMac, FpUnitConfig, RoundingControl};
/// use arithsim::round::RoundingMode;
///
/// let cfg = FpUnitConfig::default().with_rounding(RoundingControl::Input);
/// let mac = FpMac::new(FpMacSpec::FP8_E5M2_FP16.with_config(cfg))?;
/// assert_eq!(mac.spec().acc.width(), 16);
/// assert_eq!(mac.netlist().registers().len(), 16);
/// // E5M2 0x3C = 1.0, 0x40 = 2.0, 0x44 = 4.0
/// let a = vec![vec![0x3C, 0x40], vec![0x40, 0x40], vec![0x44, 0x40]];
/// let b = vec![vec![0x3C, 0x44], vec![0x40, 0x44], vec![0x44, 0x44]];
/// let run = mac.run(&a, &b, RoundingMode::TowardZero, false)?;
/// assert_eq!(run.acc[2], vec![0x4D40, 0x4E00]); // 1 + 4 + 16 = 21; 8 + 8 + 8 = 24
/// let mut acc = 0;
/// for t in 0..3 {
///     acc = mac.reference(acc, a[t][1], b[t][1], RoundingMode::TowardZero).value;
/// }
/// assert_eq!(acc, run.acc[2][1]);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct FpMac {
    spec: FpMacSpec,
    netlist: Netlist,
}

/// Accumulators, flags and (optionally) switching activity of a run.
#[derive(Clone, Debug)]
pub struct FpMacRun {
    /// `acc[t][s]`: stream `s`'s accumulator after clock `t`.
    pub acc: Vec<Vec<u64>>,
    /// `flags[t][s]`: the flags of stream `s`'s clock `t`.
    pub flags: Vec<Vec<Flags>>,
    /// Toggles over the run (each clock compared with the previous one).
    pub activity: Option<Activity>,
}

impl FpMac {
    /// Builds the unit.
    ///
    /// # Errors
    /// As [`FpMacSpec::validate`].
    pub fn new(spec: FpMacSpec) -> Result<Self> {
        spec.validate()?;
        let mut b = Builder::new();
        let a = b.input("a", spec.mul.width())?;
        let x = b.input("b", spec.mul.width())?;
        let mode = ModeWires::build(&mut b, spec.cfg.rounding)?;
        let q: Vec<Wire> = (0..spec.acc.width()).map(|_| b.register(false)).collect();
        let next = build_fp_mac_step(&mut b, &spec, &mode, &a, &x, &q)?;
        for (&r, &d) in q.iter().zip(&next.bits) {
            b.connect_register(r, d)?;
        }
        b.output("acc", &next.bits)?;
        b.output("invalid", &[next.flags.invalid])?;
        b.output("overflow", &[next.flags.overflow])?;
        b.output("underflow", &[next.flags.underflow])?;
        b.output("inexact", &[next.flags.inexact])?;
        let netlist = b.finish()?.sweep();
        Ok(FpMac { spec, netlist })
    }

    /// The spec.
    #[must_use]
    pub fn spec(&self) -> &FpMacSpec {
        &self.spec
    }

    /// The sequential netlist.
    #[must_use]
    pub fn netlist(&self) -> &Netlist {
        &self.netlist
    }

    /// The word-level twin of one clock ([`FpMacSpec::reference`]).
    pub fn reference(&self, acc: u64, a: u64, b: u64, mode: RoundingMode) -> StatusAnd<u64> {
        self.spec.reference(acc, a, b, mode)
    }

    /// The `rm` code to drive for `mode`, checking it against a fixed mode.
    fn rm_code(&self, mode: RoundingMode) -> Result<Option<u64>> {
        match self.spec.cfg.rounding {
            RoundingControl::Fixed(m) if m == mode => Ok(None),
            RoundingControl::Fixed(m) => Err(Error::param(
                "mode",
                mode.short_name(),
                format!("this MAC was built for {m}"),
            )),
            RoundingControl::Input => RoundingControl::code(mode).map(Some).ok_or_else(|| {
                Error::Unsupported(format!(
                    "rounding {mode}: the FP units build deterministic modes only"
                ))
            }),
        }
    }

    /// Runs independent streams from a +0 accumulator in rounding mode `mode` (the fixed
    /// mode, or any deterministic mode for a unit with an `rm` port): `a[t][s]`, `b[t][s]`
    /// are stream `s`'s operands at clock `t`; every clock has the same number of streams
    /// (at most 64 × 65536).
    ///
    /// # Errors
    /// [`Error::Shape`] for ragged inputs; [`Error::InvalidParameter`] naming `mode` for a
    /// mode other than a fixed unit's; [`Error::OutOfRange`] for an operand wider than
    /// the format.
    pub fn run(
        &self,
        a: &[Vec<u64>],
        b: &[Vec<u64>],
        mode: RoundingMode,
        activity: bool,
    ) -> Result<FpMacRun> {
        let streams = a.first().map_or(0, Vec::len);
        if a.len() != b.len() || a.iter().chain(b).any(|v| v.len() != streams) {
            return Err(Error::Shape(format!(
                "fp mac run needs as many clocks of a as of b ({} and {}), each with the same number of streams",
                a.len(),
                b.len()
            )));
        }
        let rm = self.rm_code(mode)?;
        let words = streams.div_ceil(64).max(1);
        let mut sim = Simulator::new(&self.netlist, words)?;
        sim.set_activity(activity);
        let rmv = vec![rm.unwrap_or(0); streams];
        let mut out = BatchOutput::default();
        let mut run = FpMacRun {
            acc: Vec::with_capacity(a.len()),
            flags: Vec::with_capacity(a.len()),
            activity: None,
        };
        for (at, bt) in a.iter().zip(b) {
            out.clear();
            let mut inputs: Vec<(&str, &[u64])> = vec![("a", at), ("b", bt)];
            if rm.is_some() {
                inputs.push(("rm", &rmv));
            }
            sim.step_with(&inputs, &mut out)?;
            run.acc
                .push(out.get("acc")?.iter().map(|&v| v as u64).collect());
            let f = |n: &str| out.get(n).map(|v| v.to_vec());
            let (iv, ov, un, ix) = (
                f("invalid")?,
                f("overflow")?,
                f("underflow")?,
                f("inexact")?,
            );
            run.flags.push(
                (0..streams)
                    .map(|s| {
                        let mut fl = Flags::empty();
                        for (v, flag) in [
                            (&iv, Flags::INVALID),
                            (&ov, Flags::OVERFLOW),
                            (&un, Flags::UNDERFLOW),
                            (&ix, Flags::INEXACT),
                        ] {
                            if v[s] == 1 {
                                fl |= flag;
                            }
                        }
                        fl
                    })
                    .collect(),
            );
        }
        run.activity = sim.activity().cloned();
        Ok(run)
    }

    /// Runs one stream of operand pairs from a +0 accumulator (in the fixed mode, or
    /// nearest-even for a unit with an `rm` port) and returns the accumulator after each
    /// clock.
    ///
    /// # Errors
    /// [`Error::Shape`] if `a` and `b` differ in length; [`Error::OutOfRange`] for an
    /// operand wider than the format.
    pub fn accumulate(&self, a: &[u64], b: &[u64]) -> Result<Vec<u64>> {
        if a.len() != b.len() {
            return Err(Error::Shape(format!(
                "accumulate takes equal-length streams ({} and {} given)",
                a.len(),
                b.len()
            )));
        }
        let mode = match self.spec.cfg.rounding {
            RoundingControl::Fixed(m) => m,
            RoundingControl::Input => RoundingMode::NearestEven,
        };
        let av: Vec<Vec<u64>> = a.iter().map(|&x| vec![x]).collect();
        let bv: Vec<Vec<u64>> = b.iter().map(|&x| vec![x]).collect();
        Ok(self
            .run(&av, &bv, mode, false)?
            .acc
            .into_iter()
            .map(|v| v[0])
            .collect())
    }
}
