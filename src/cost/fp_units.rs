//! Structure and gate-derived cost of the floating-point units of
//! [`circuits::fp`](crate::circuits::fp) and of the integer MACs they are compared with: cells,
//! two-input equivalents, depth, critical path, area, and energy per operation on two operand
//! streams (uniformly random, and neural-network-like).
//!
//! The energy figures come from [`gate_cost_with`] (combinational units) and
//! [`gate_cost_clocked`] (MACs stepped clock by clock with their accumulator register), so
//! they follow exactly the model of the integer circuits: cell internal energy plus ½·C·V² of
//! the fan-out load per toggle, at the library's voltage; [`GateCost::energy_pj_at`] scales
//! them to another supply.

use rand_core::{Rng, SeedableRng};

use crate::circuits::fp::{FpUnitConfig, fp_adder, fp_fma, fp_mac, fp_multiplier};
use crate::circuits::mac::{Mac, MacSpec};
use crate::float::FloatFormat;
use crate::gates::{CellLibrary, Netlist};
use crate::{Error, Result};

use super::gate_cost::{GateCost, SplitMix64, gate_cost_clocked, gate_cost_with};

/// Which operands drive a unit for its switching activity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OperandMix {
    /// Uniformly random finite encodings (every finite bit pattern equally likely, both signs;
    /// NaNs and infinities excluded, since one would freeze an accumulator; for a MAC, only
    /// encodings whose products cannot overflow its accumulator). For integers: uniformly
    /// random bit patterns.
    Random,
    /// Neural-network-like: small magnitudes with mostly one exponent. Floats: random sign
    /// and fraction; the exponent is 2^-3 (values in ±[0.125, 0.25)) with probability 3/4,
    /// otherwise uniform in 2^-7..=2^-2 (clamped to the format's normal range). Integers:
    /// uniform in [-16, 16) with probability 3/4, otherwise in [-64, 64), two's complement.
    NeuralNet,
}

impl OperandMix {
    /// Both mixes, in report order.
    pub const ALL: [OperandMix; 2] = [OperandMix::Random, OperandMix::NeuralNet];

    /// "random" or "NN-like".
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            OperandMix::Random => "random",
            OperandMix::NeuralNet => "NN-like",
        }
    }
}

/// `n` operands of `format` drawn from `mix` (bit patterns), with `scale` added to the
/// neural-network-like exponent (0 for operands, 2 for partial sums).
fn float_stream(
    format: FloatFormat,
    mix: OperandMix,
    n: usize,
    scale: i32,
    rng: &mut SplitMix64,
) -> Vec<u64> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let r = rng.next_u64();
        let bits = match mix {
            OperandMix::Random => r & format.mask(),
            OperandMix::NeuralNet => {
                let e = if r >> 62 != 0 {
                    -3
                } else {
                    -7 + (r >> 56 & 0x3f) as i32 % 6
                } + scale;
                let field = (i64::from(e) + i64::from(format.bias()))
                    .clamp(1, format.exp_field_max() as i64 - 1) as u64;
                let sign = r >> 55 & 1;
                (sign << (format.width() - 1))
                    | (field << format.man_bits())
                    | (r & format.man_mask())
            }
        };
        if format.is_finite(bits) {
            out.push(bits);
        }
    }
    out
}

/// `n` operands of `mul` for a MAC accumulating `clocks` products in `acc` (the streams of
/// [`fp_unit_figures`] for [`FpUnit::Mac`]). Random operands
/// are uniformly random finite encodings whose exponent is at most `(e_max(acc) − log2
/// clocks) / 2`, so that no sum of products overflows the accumulator: with unrestricted
/// encodings an FP32 (or FP16, BF16 → FP32, E5M2 → FP16) accumulator overflows within a few
/// clocks and then holds ±∞ or NaN for most of the run (about 90 % of the clocks), which
/// would measure a frozen datapath. Neural-network-like operands are drawn as
/// [`float_operands`] draws them.
#[must_use]
pub fn mac_operands(
    mul: FloatFormat,
    acc: FloatFormat,
    mix: OperandMix,
    n: usize,
    clocks: usize,
    rng: &mut SplitMix64,
) -> Vec<u64> {
    mac_stream(mul, acc, mix, n, clocks, rng)
}

fn mac_stream(
    mul: FloatFormat,
    acc: FloatFormat,
    mix: OperandMix,
    n: usize,
    clocks: usize,
    rng: &mut SplitMix64,
) -> Vec<u64> {
    if mix == OperandMix::NeuralNet {
        return float_stream(mul, mix, n, 0, rng);
    }
    let headroom = clocks.max(1).next_power_of_two().trailing_zeros() as i32;
    let e_max = acc.max_finite_f64().log2().floor() as i32;
    let limit = i64::from((e_max - headroom) / 2 + mul.bias());
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let x = float_stream(mul, mix, 1, 0, rng)[0];
        let field = (x >> mul.man_bits()) & mul.exp_field_max();
        if field as i64 <= limit {
            out.push(x);
        }
    }
    out
}

/// `n` operands of `format` drawn from `mix`, reproducibly from `rng`: the streams behind the
/// figures of [`fp_unit_figures`].
///
/// # Examples
///
/// ```
/// use arithsim::cost::{OperandMix, SplitMix64, float_operands};
/// use arithsim::float::FloatFormat;
/// use arithsim::rand_core::SeedableRng;
///
/// let f = FloatFormat::FP16;
/// let v = float_operands(f, OperandMix::NeuralNet, 1000, &mut SplitMix64::seed_from_u64(1));
/// assert!(v.iter().all(|&x| f.bits_to_f64(x).abs() < 0.5));
/// let same_exp = v.iter().filter(|&&x| (0.125..0.25).contains(&f.bits_to_f64(x).abs())).count();
/// assert!(same_exp > 700 && same_exp < 880); // about 792 expected
/// ```
#[must_use]
pub fn float_operands(
    format: FloatFormat,
    mix: OperandMix,
    n: usize,
    rng: &mut SplitMix64,
) -> Vec<u64> {
    float_stream(format, mix, n, 0, rng)
}

/// `n` `bits`-bit integer operands (two's complement patterns) drawn from `mix`.
#[must_use]
pub fn int_operands(bits: u32, mix: OperandMix, n: usize, rng: &mut SplitMix64) -> Vec<u64> {
    let mask = if bits >= 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    };
    (0..n)
        .map(|_| {
            let r = rng.next_u64();
            match mix {
                OperandMix::Random => r & mask,
                OperandMix::NeuralNet => {
                    let span = if r >> 62 != 0 { 16 } else { 64 };
                    let v = (r & 0xffff) as i64 % (2 * span) - span;
                    (v as u64) & mask
                }
            }
        })
        .collect()
}

/// A floating-point unit of [`circuits::fp`](crate::circuits::fp).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FpUnit {
    /// `fp_adder(format)`, run as an adder (`sub` held at 0).
    Adder(FloatFormat),
    /// `fp_multiplier(format)`.
    Multiplier(FloatFormat),
    /// `fp_fma(mul, acc)`: `a·b + c` with `a`, `b` in `mul` and `c` in `acc`, one rounding.
    Fma {
        /// Operand format.
        mul: FloatFormat,
        /// Addend and result format.
        acc: FloatFormat,
    },
    /// `fp_mac(mul, acc)`: the FMA with its accumulator register, `acc <- a·b + acc`.
    Mac {
        /// Operand format.
        mul: FloatFormat,
        /// Accumulator format.
        acc: FloatFormat,
    },
}

/// "FP16", "FP8 E4M3", or "E6M9" for a format without a preset name.
#[must_use]
pub fn format_name(f: FloatFormat) -> String {
    FloatFormat::PRESETS
        .iter()
        .find(|(_, p)| *p == f)
        .map_or_else(
            || format!("E{}M{}", f.exp_bits(), f.man_bits()),
            |(n, _)| (*n).to_string(),
        )
}

/// An explicit name: "FP16 adder", "FP16 FMA (FP32 addend and result)", "FP8 E4M3 MAC
/// (FP32 acc)": built from the formats, so `Display` rather than a `&'static str` `name()`.
impl std::fmt::Display for FpUnit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            FpUnit::Adder(x) => write!(f, "{} adder", format_name(x)),
            FpUnit::Multiplier(x) => write!(f, "{} multiplier", format_name(x)),
            FpUnit::Fma { mul, acc } if mul == acc => write!(f, "{} FMA", format_name(mul)),
            FpUnit::Fma { mul, acc } => write!(
                f,
                "{} FMA ({} addend and result)",
                format_name(mul),
                format_name(acc)
            ),
            // The names the table-based report sections use for the same units: one meaning
            // per name across the report.
            FpUnit::Mac { mul, acc } if mul == FloatFormat::FP32 && acc == mul => {
                f.write_str("FP32 MAC")
            }
            FpUnit::Mac { mul, acc } if mul == acc => {
                write!(f, "{} MAC ({} acc)", format_name(mul), format_name(acc))
            }
            FpUnit::Mac { mul, acc } => {
                write!(f, "{}→{} MAC", format_name(mul), format_name(acc))
            }
        }
    }
}

impl FpUnit {
    /// The unit's netlist under `cfg`.
    ///
    /// # Errors
    ///
    /// As the generator ([`fp_adder`], [`fp_multiplier`], [`fp_fma`], [`fp_mac`]).
    pub fn build(&self, cfg: &FpUnitConfig) -> Result<Netlist> {
        match *self {
            FpUnit::Adder(f) => fp_adder(f, cfg),
            FpUnit::Multiplier(f) => fp_multiplier(f, cfg),
            FpUnit::Fma { mul, acc } => fp_fma(mul, acc, cfg),
            FpUnit::Mac { mul, acc } => fp_mac(mul, acc, cfg),
        }
    }
}

/// Structure and cost of one unit.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitFigures {
    /// The unit's name (the `Display` of [`FpUnit`], or the integer MAC's).
    pub unit: String,
    /// Logic gates (primitives).
    pub gates: u64,
    /// Library-cell instances (area and energy are summed over these).
    pub cells: usize,
    /// Two-input-gate equivalents.
    pub two_input_equivalents: u64,
    /// Logic depth in gate levels.
    pub depth: u32,
    /// D flip-flops.
    pub registers: u64,
    /// Cost on uniformly random operands ([`OperandMix::Random`]); area and critical path
    /// (`delay_ns`) do not depend on the stream.
    pub random: GateCost,
    /// Cost on neural-network-like operands ([`OperandMix::NeuralNet`]).
    pub nn: GateCost,
}

impl UnitFigures {
    /// The cost on `mix`.
    #[must_use]
    pub fn cost(&self, mix: OperandMix) -> &GateCost {
        match mix {
            OperandMix::Random => &self.random,
            OperandMix::NeuralNet => &self.nn,
        }
    }

    fn new(unit: String, net: &Netlist, random: GateCost, nn: GateCost) -> Self {
        let s = net.stats();
        UnitFigures {
            unit,
            gates: s.gates,
            cells: random.instances,
            two_input_equivalents: s.two_input_equivalents,
            depth: s.depth,
            registers: s.registers,
            random,
            nn,
        }
    }
}

/// Streams of the neural-network-like partial sums start larger than the products.
const PARTIAL_SUM_SCALE: i32 = 2;

/// Structure and gate-derived cost of `unit` built under `cfg`, with `lib`'s cells:
/// combinational units on `ops` operand vectors per mix (at least 128; a multiple of 64 is
/// exact), MACs on 64 streams of `ops / 64` clocks from a zero accumulator. Ports other than
/// the operands (`sub`, a rounding-mode bus) are held at 0: add, nearest-even.
///
/// # Errors
///
/// As [`FpUnit::build`]; [`Error::InvalidParameter`] for `ops < 128`.
pub fn fp_unit_figures(
    unit: FpUnit,
    cfg: &FpUnitConfig,
    lib: &CellLibrary,
    ops: usize,
    seed: u64,
) -> Result<UnitFigures> {
    if ops < 128 {
        return Err(Error::param(
            "ops",
            ops,
            "need at least 128 operands (two per lane) to observe transitions",
        ));
    }
    let net = unit.build(cfg)?;
    let mut costs = Vec::with_capacity(2);
    for mix in OperandMix::ALL {
        let mut rng = SplitMix64::seed_from_u64(seed);
        let cost = match unit {
            FpUnit::Mac { mul, acc } => {
                let clocks = ops / 64;
                let mut draw = || -> Vec<Vec<u64>> {
                    (0..clocks)
                        .map(|_| mac_stream(mul, acc, mix, 64, clocks, &mut rng))
                        .collect()
                };
                let (a, b) = (draw(), draw());
                gate_cost_clocked(&net, lib, &[("a", &a), ("b", &b)])?
            }
            _ => {
                let (fa, fc) = match unit {
                    FpUnit::Adder(f) | FpUnit::Multiplier(f) => (f, f),
                    FpUnit::Fma { mul, acc } | FpUnit::Mac { mul, acc } => (mul, acc),
                };
                let a = float_stream(fa, mix, ops, 0, &mut rng);
                let b = float_stream(fa, mix, ops, 0, &mut rng);
                let c = float_stream(fc, mix, ops, PARTIAL_SUM_SCALE, &mut rng);
                let zeros = vec![0u64; ops];
                let mut inputs: Vec<(&str, &[u64])> = Vec::new();
                for p in net.inputs() {
                    let v: &[u64] = match p.name() {
                        "a" => &a,
                        "b" => &b,
                        "c" => &c,
                        _ => &zeros,
                    };
                    inputs.push((p.name(), v));
                }
                gate_cost_with(&net, lib, &inputs)?
            }
        };
        costs.push(cost);
    }
    let nn = costs.pop().expect("two mixes");
    let random = costs.pop().expect("two mixes");
    Ok(UnitFigures::new(unit.to_string(), &net, random, nn))
}

/// Structure and gate-derived cost of an integer MAC (`circuits::mac`), for the comparison
/// with the floating-point MACs: 64 streams of `clocks` clocks from a zero accumulator per
/// mix. `unit` names it ("INT8 MAC").
///
/// # Errors
///
/// [`Error::InvalidParameter`] for fewer than 2 clocks; as [`Mac::run`].
pub fn int_mac_figures(
    mac: &Mac,
    unit: &str,
    lib: &CellLibrary,
    clocks: usize,
    seed: u64,
) -> Result<UnitFigures> {
    if clocks < 2 {
        return Err(Error::param(
            "clocks",
            clocks,
            "need at least 2 clocks to observe transitions",
        ));
    }
    let bits = mac.spec().mul_bits;
    let mut costs = Vec::with_capacity(2);
    for mix in OperandMix::ALL {
        let mut rng = SplitMix64::seed_from_u64(seed);
        let mut draw = || -> Vec<Vec<u64>> {
            (0..clocks)
                .map(|_| int_operands(bits, mix, 64 * mac.spec().lanes as usize, &mut rng))
                .collect()
        };
        let (a, b) = (draw(), draw());
        let run = mac.run(&a, &b, true)?;
        let act = run
            .activity
            .ok_or_else(|| Error::Unsupported("the MAC run recorded no activity".into()))?;
        costs.push(super::gate_cost::gate_cost_from_activity(
            mac.netlist(),
            lib,
            &act,
        )?);
    }
    let nn = costs.pop().expect("two mixes");
    let random = costs.pop().expect("two mixes");
    Ok(UnitFigures::new(
        unit.to_string(),
        mac.netlist(),
        random,
        nn,
    ))
}

/// The floating-point MACs of the INT8-against-floating-point comparison, as
/// `(multiply format, accumulator format)`: every mixed-precision preset of
/// [`circuits::fp`](crate::circuits::fp), the FP16 MAC with an FP16 accumulator, and FP32.
pub const MAC_COMPARISON: [(FloatFormat, FloatFormat); 8] = [
    (FloatFormat::FP8_E4M3, FloatFormat::FP16),
    (FloatFormat::FP8_E5M2, FloatFormat::FP16),
    (FloatFormat::FP8_E4M3, FloatFormat::FP32),
    (FloatFormat::FP8_E5M2, FloatFormat::FP32),
    (FloatFormat::FP16, FloatFormat::FP16),
    (FloatFormat::BF16, FloatFormat::FP32),
    (FloatFormat::FP16, FloatFormat::FP32),
    (FloatFormat::FP32, FloatFormat::FP32),
];

/// The name of the INT8 MAC row of [`mac_comparison`].
pub const INT8_MAC_NAME: &str = "INT8 MAC";

/// The INT8 MAC ([`MacSpec::INT8_INT32`](crate::circuits::mac::MacSpec::INT8_INT32): signed 8×8
/// products into a wrapping 32-bit accumulator) followed by every floating-point MAC of
/// [`MAC_COMPARISON`] built under `cfg`, each on 64 streams of `clocks` clocks per operand
/// mix: the gate-level comparison of the cost report's section 4b.
///
/// # Errors
///
/// As [`fp_unit_figures`] and [`int_mac_figures`].
pub fn mac_comparison(
    cfg: &FpUnitConfig,
    lib: &CellLibrary,
    clocks: usize,
    seed: u64,
) -> Result<Vec<UnitFigures>> {
    let int8 = Mac::new(MacSpec::INT8_INT32)?;
    let mut rows = vec![int_mac_figures(&int8, INT8_MAC_NAME, lib, clocks, seed)?];
    for (mul, acc) in MAC_COMPARISON {
        rows.push(fp_unit_figures(
            FpUnit::Mac { mul, acc },
            cfg,
            lib,
            64 * clocks,
            seed,
        )?);
    }
    Ok(rows)
}
