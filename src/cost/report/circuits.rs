//! The gate-level circuits of the cost report (sections 4, 4b and 4c), once: the report's
//! per-circuit sections, the Yosys + ABC area generator (`examples/synth_areas.rs`) and the
//! test that the embedded areas cover every circuit all take the list from here.

use crate::Result;
use crate::circuits::adders::{AdderKind, adder_without_carry_in};
use crate::circuits::fp::FpUnitConfig;
use crate::circuits::mac::{Mac, MacSpec};
use crate::circuits::multipliers::{
    Signedness, array_multiplier, dadda_multiplier, wallace_multiplier,
};
use crate::cost::{
    FpUnit, GlitchCost, MAC_COMPARISON, OperandMix, SplitMix64, fp_unit_glitch_cost,
    glitch_cost_clocked, glitch_cost_random, int_operands,
};
use crate::float::FloatFormat;
use crate::gates::{CellLibrary, Netlist, TimedDelays};
use rand_core::SeedableRng;

/// A multiplier architecture of the report (unsigned; the final adder in brackets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MulArch {
    /// Array of carry-save rows, ripple-carry final adder.
    Array,
    /// Wallace tree, Kogge-Stone final adder.
    Wallace,
    /// Dadda tree, Kogge-Stone final adder.
    Dadda,
}

/// One circuit of the cost report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportCircuit {
    /// An integer adder without carry-in.
    Adder {
        /// Architecture.
        kind: AdderKind,
        /// Operand width.
        bits: u32,
    },
    /// An unsigned `bits`×`bits` multiplier.
    Multiplier {
        /// Architecture.
        arch: MulArch,
        /// Operand width.
        bits: u32,
    },
    /// A floating-point unit (default [`FpUnitConfig`]).
    Fp(FpUnit),
    /// The INT8 MAC with its 32-bit accumulator register.
    Int8Mac,
}

/// The circuit's name in the report and in `data/synth_areas.csv`: built from the
/// parameters, so `Display` rather than a `&'static str` `name()`.
impl std::fmt::Display for ReportCircuit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            ReportCircuit::Adder { kind, bits } => write!(f, "{bits}-bit {kind} adder"),
            ReportCircuit::Multiplier { arch, bits } => {
                let a = match arch {
                    MulArch::Array => "array (ripple)",
                    MulArch::Wallace => "Wallace (Kogge-Stone)",
                    MulArch::Dadda => "Dadda (Kogge-Stone)",
                };
                write!(f, "{bits}x{bits}-bit {a} multiplier")
            }
            ReportCircuit::Fp(u) => write!(f, "{u}"),
            ReportCircuit::Int8Mac => f.write_str("INT8 MAC, 32-bit acc"),
        }
    }
}

impl ReportCircuit {
    /// Whether the circuit has registers (it is then run clock by clock).
    #[must_use]
    pub fn is_clocked(&self) -> bool {
        matches!(
            self,
            ReportCircuit::Int8Mac | ReportCircuit::Fp(FpUnit::Mac { .. })
        )
    }

    /// The circuit's netlist.
    ///
    /// # Errors
    /// As the generators (never for the report's own circuits).
    pub fn build(&self) -> Result<Netlist> {
        let u = Signedness::Unsigned;
        match *self {
            ReportCircuit::Adder { kind, bits } => adder_without_carry_in(kind, bits),
            ReportCircuit::Multiplier { arch, bits } => match arch {
                MulArch::Array => array_multiplier(bits, bits, u, AdderKind::RippleCarry),
                MulArch::Wallace => wallace_multiplier(bits, bits, u, AdderKind::KoggeStone),
                MulArch::Dadda => dadda_multiplier(bits, bits, u, AdderKind::KoggeStone),
            },
            ReportCircuit::Fp(unit) => unit.build(&FpUnitConfig::default()),
            ReportCircuit::Int8Mac => Ok(Mac::new(MacSpec::INT8_INT32)?.netlist().clone()),
        }
    }

    /// Zero-delay and glitch-aware cost of `net` (this circuit's [`build`](Self::build)) on
    /// the report's random stimulus: `ops` uniformly random operands for adders and
    /// multipliers, random finite operands for FP units ([`fp_unit_glitch_cost`]), and for the
    /// MACs 64 streams of `ops / 64` random clocks from a zero accumulator.
    ///
    /// # Errors
    /// As [`glitch_cost_random`], [`fp_unit_glitch_cost`] and [`glitch_cost_clocked`].
    pub fn glitch_cost(
        &self,
        net: &Netlist,
        lib: &CellLibrary,
        delays: &TimedDelays,
        ops: usize,
        seed: u64,
    ) -> Result<GlitchCost> {
        match *self {
            ReportCircuit::Adder { .. } | ReportCircuit::Multiplier { .. } => {
                glitch_cost_random(net, lib, delays, ops, seed)
            }
            ReportCircuit::Fp(unit) => {
                fp_unit_glitch_cost(unit, &FpUnitConfig::default(), lib, delays, ops, seed)
            }
            ReportCircuit::Int8Mac => {
                let mut rng = SplitMix64::seed_from_u64(seed);
                let clocks = ops / 64;
                let mut draw = || -> Vec<Vec<u64>> {
                    (0..clocks)
                        .map(|_| int_operands(8, OperandMix::Random, 64, &mut rng))
                        .collect()
                };
                let (a, b) = (draw(), draw());
                let (pa, pb) = (net.inputs()[0].name(), net.inputs()[1].name());
                glitch_cost_clocked(net, lib, delays, &[(pa, &a), (pb, &b)])
            }
        }
    }
}

/// Every circuit of the cost report's gate-level sections (4, 4b, 4c), each once, in report
/// order: adders, multipliers, FP adders and multipliers, the INT8 MAC, the FP MACs.
///
/// # Examples
///
/// ```
/// let all = arithsim::cost::report::report_circuits();
/// assert!(all.iter().any(|c| c.to_string() == "32x32-bit Dadda (Kogge-Stone) multiplier"));
/// assert!(all.iter().any(|c| c.to_string() == "FP32 MAC"));
/// ```
#[must_use]
pub fn report_circuits() -> Vec<ReportCircuit> {
    let mut v = Vec::new();
    for kind in [
        AdderKind::RippleCarry,
        AdderKind::BrentKung,
        AdderKind::KoggeStone,
    ] {
        for bits in [8, 16, 32] {
            // the Brent-Kung adder is in section 4c at 32 bits only
            if kind != AdderKind::BrentKung || bits == 32 {
                v.push(ReportCircuit::Adder { kind, bits });
            }
        }
    }
    for arch in [MulArch::Array, MulArch::Wallace, MulArch::Dadda] {
        for bits in [8, 16, 32] {
            // sections 4 (8, 32: array, Dadda) and 4c (16, 32: all three)
            if arch != MulArch::Wallace || bits != 8 {
                v.push(ReportCircuit::Multiplier { arch, bits });
            }
        }
    }
    for f in [FloatFormat::FP16, FloatFormat::FP32] {
        v.push(ReportCircuit::Fp(FpUnit::Adder(f)));
        v.push(ReportCircuit::Fp(FpUnit::Multiplier(f)));
    }
    v.push(ReportCircuit::Int8Mac);
    for (mul, acc) in MAC_COMPARISON {
        v.push(ReportCircuit::Fp(FpUnit::Mac { mul, acc }));
    }
    v
}
