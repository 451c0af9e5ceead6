//! The MAC-array accelerator description and the Tesla FSD NPU preset.

use std::fmt;

use crate::cost::report::FsdParams;
use crate::cost::{CostTable, FloatKind, OpKind, Span};
use crate::datapath::{FloatArith, IntArith, ProductRounding};
use crate::float::FloatFormat;
use crate::repr::{Overflow, Signedness};
use crate::round::RoundingMode;
use crate::{Error, Result};

/// What one MAC of the array computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(remote = "Self")
)]
pub enum MacArithmetic {
    /// `mul_bits × mul_bits` integer product added into an `acc_bits` accumulator.
    Int {
        /// Operand width.
        mul_bits: u32,
        /// Accumulator width.
        acc_bits: u32,
    },
    /// A floating-point product in `mul` added into an `acc` accumulator (FP16 × FP16 → FP32
    /// as tensor cores do).
    Float {
        /// Operand (multiply) format.
        mul: FloatKind,
        /// Accumulator format.
        acc: FloatKind,
    },
}

impl MacArithmetic {
    /// INT8 × INT8 → INT32.
    pub const INT8_INT32: MacArithmetic = MacArithmetic::Int {
        mul_bits: 8,
        acc_bits: 32,
    };
    /// FP16 × FP16 → FP32 accumulate: the "FP16→FP32 MAC" of every report (not the
    /// "FP16 MAC (FP16 acc)", an FP16 mult + FP16 add, which the cost report prices beside it).
    pub const FP16_FP32: MacArithmetic = MacArithmetic::Float {
        mul: FloatKind::FP16,
        acc: FloatKind::FP32,
    };
    /// BF16 × BF16 → FP32 accumulate.
    pub const BF16_FP32: MacArithmetic = MacArithmetic::Float {
        mul: FloatKind::BF16,
        acc: FloatKind::FP32,
    };
    /// FP32 × FP32 → FP32.
    pub const FP32: MacArithmetic = MacArithmetic::Float {
        mul: FloatKind::FP32,
        acc: FloatKind::FP32,
    };

    /// Checks that the array model supports this arithmetic.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] for integer operands outside 1..=32 bits or an accumulator
    /// narrower than the operands or wider than 64 bits; for float formats wider than 64 bits
    /// or an accumulator narrower than the operands.
    pub fn validate(&self) -> Result<()> {
        match *self {
            MacArithmetic::Int { mul_bits, acc_bits } => {
                if !(1..=32).contains(&mul_bits) || acc_bits < mul_bits || acc_bits > 64 {
                    return Err(Error::Unsupported(format!(
                        "integer MAC with {mul_bits}-bit operands and {acc_bits}-bit \
                         accumulator (operands 1..=32 bits, accumulator operand width..=64)"
                    )));
                }
            }
            MacArithmetic::Float { mul, acc } => {
                if mul.width() > 64 || acc.width() > 64 || acc.width() < mul.width() {
                    return Err(Error::Unsupported(format!(
                        "float MAC {mul} x {mul} -> {acc} (formats up to 64 bits, accumulator \
                         at least as wide as the operands)"
                    )));
                }
            }
        }
        Ok(())
    }

    /// Operand width in bits.
    pub fn operand_bits(&self) -> u32 {
        match *self {
            MacArithmetic::Int { mul_bits, .. } => mul_bits,
            MacArithmetic::Float { mul, .. } => mul.width(),
        }
    }

    /// Bytes one operand occupies on its own (rounded up to whole bytes; the mapping packs
    /// sub-byte operands and counts traffic in bits).
    pub fn operand_bytes(&self) -> u64 {
        self.operand_bits().div_ceil(8) as u64
    }

    /// Accumulator width in bits.
    pub fn acc_bits(&self) -> u32 {
        match *self {
            MacArithmetic::Int { acc_bits, .. } => acc_bits,
            MacArithmetic::Float { acc, .. } => acc.width(),
        }
    }

    /// The operations one MAC is counted as: an integer MAC is one
    /// [`OpKind::IntMac`] (as the datapath counts it; Horowitz prices it as the multiply plus
    /// the accumulator-width add); a float MAC is a multiply in the operand format plus an add
    /// in the accumulator format.
    pub fn mac_ops(&self) -> Vec<OpKind> {
        self.mac_op_iter().collect()
    }

    /// [`mac_ops`](Self::mac_ops) without the `Vec`: the mapping counts them for every layer
    /// of every swept array, where one allocation per layer was a measurable share of the time.
    pub(crate) fn mac_op_iter(&self) -> impl Iterator<Item = OpKind> {
        let (first, second) = match *self {
            MacArithmetic::Int { mul_bits, acc_bits } => {
                (OpKind::IntMac { mul_bits, acc_bits }, None)
            }
            MacArithmetic::Float { mul, acc } => (
                OpKind::FpMul { format: mul },
                Some(OpKind::FpAdd { format: acc }),
            ),
        };
        std::iter::once(first).chain(second)
    }

    /// Energy of one MAC from `table`, at the table rows' voltage (e.g. 0.2 + 0.1 = 0.3 pJ
    /// for INT8 → INT32 and 3.7 + 0.9 = 4.6 pJ for FP32 in Horowitz's 45 nm table, 0.9 V).
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] when the table cannot price an operation.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::MacArithmetic;
    /// use arithsim::cost::CostTable;
    ///
    /// let t = CostTable::horowitz_45nm();
    /// assert!((MacArithmetic::INT8_INT32.mac_energy_pj(&t)?.lo - 0.3).abs() < 1e-12);
    /// assert!((MacArithmetic::FP32.mac_energy_pj(&t)?.lo - 4.6).abs() < 1e-12);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn mac_energy_pj(&self, table: &CostTable) -> Result<Span> {
        self.mac_op_iter()
            .map(|op| table.price(op).map(|p| p.energy_pj))
            .sum()
    }

    /// Area of one MAC unit from `table` in µm² (`None` when a row has no area).
    ///
    /// # Errors
    ///
    /// As [`Self::mac_energy_pj`].
    pub fn mac_area_um2(&self, table: &CostTable) -> Result<Option<f64>> {
        let mut total = Some(0.0);
        for op in self.mac_op_iter() {
            let a = table.price(op)?.area_um2;
            total = total.zip(a).map(|(t, a)| t + a);
        }
        Ok(total)
    }
}

impl From<IntArith> for MacArithmetic {
    /// The MAC of an integer datapath configuration (signedness and overflow behaviour do not
    /// change the model's cost).
    fn from(a: IntArith) -> Self {
        MacArithmetic::Int {
            mul_bits: a.mul_bits,
            acc_bits: a.acc_bits,
        }
    }
}

impl From<FloatArith> for MacArithmetic {
    /// The MAC of a floating-point datapath configuration: multiply in its operand format,
    /// add in its accumulator format.
    fn from(a: FloatArith) -> Self {
        MacArithmetic::Float {
            mul: a.mul_kind(),
            acc: a.acc_kind(),
        }
    }
}

impl TryFrom<MacArithmetic> for IntArith {
    type Error = Error;

    /// The integer datapath configuration of an array MAC: signed and wrapping, as the array
    /// model's integer MACs are (the FSD NPU's INT8 × INT8 → INT32).
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] for a floating-point MAC; [`IntArith::new`]'s errors for widths
    /// the datapath does not take.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::MacArithmetic;
    /// use arithsim::datapath::IntArith;
    ///
    /// assert_eq!(IntArith::try_from(MacArithmetic::INT8_INT32)?, IntArith::INT8_INT32);
    /// assert_eq!(MacArithmetic::from(IntArith::INT8_INT32), MacArithmetic::INT8_INT32);
    /// assert!(IntArith::try_from(MacArithmetic::FP16_FP32).is_err());
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    fn try_from(m: MacArithmetic) -> Result<IntArith> {
        match m {
            MacArithmetic::Int { mul_bits, acc_bits } => {
                IntArith::new(mul_bits, acc_bits, Signedness::Signed, Overflow::Wrapping)
            }
            MacArithmetic::Float { .. } => Err(Error::Unsupported(format!(
                "{m} is a floating-point MAC, not an integer datapath"
            ))),
        }
    }
}

impl TryFrom<MacArithmetic> for FloatArith {
    type Error = Error;

    /// The floating-point datapath configuration of an array MAC, shaped like the
    /// [`FloatArith`] presets: exact products, round to nearest even.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] for an integer MAC; the format conversion's and
    /// [`FloatArith::new`]'s errors for formats the datapath does not take.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::MacArithmetic;
    /// use arithsim::datapath::FloatArith;
    ///
    /// for (m, f) in [
    ///     (MacArithmetic::FP16_FP32, FloatArith::FP16_FP32),
    ///     (MacArithmetic::BF16_FP32, FloatArith::BF16_FP32),
    ///     (MacArithmetic::FP32, FloatArith::FP32_FP32),
    /// ] {
    ///     assert_eq!(FloatArith::try_from(m)?, f);
    ///     assert_eq!(MacArithmetic::from(f), m);
    /// }
    /// assert!(FloatArith::try_from(MacArithmetic::INT8_INT32).is_err());
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    fn try_from(m: MacArithmetic) -> Result<FloatArith> {
        match m {
            MacArithmetic::Float { mul, acc } => FloatArith::new(
                FloatFormat::try_from(mul)?,
                FloatFormat::try_from(acc)?,
                ProductRounding::ExactProduct,
                RoundingMode::NearestEven,
            ),
            MacArithmetic::Int { .. } => Err(Error::Unsupported(format!(
                "{m} is an integer MAC, not a floating-point datapath"
            ))),
        }
    }
}

impl fmt::Display for MacArithmetic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            MacArithmetic::Int { mul_bits, acc_bits } => {
                write!(f, "INT{mul_bits} → INT{acc_bits}")
            }
            MacArithmetic::Float { mul, acc } if mul == acc => write!(f, "{mul}"),
            MacArithmetic::Float { mul, acc } => write!(f, "{mul} → {acc}"),
        }
    }
}

impl std::str::FromStr for MacArithmetic {
    type Err = Error;

    /// Parses what [`Display`](fmt::Display) prints — "INT8 -> INT32", "FP16 -> FP32",
    /// "FP32" (a float MAC accumulating in its operand format) — and the compact
    /// "int8-int32", "fp16-fp32", "fp8-e4m3-fp32", case-insensitively; a side may be written
    /// "INT8 x INT8", and `→` stands for `->`. Float sides take every [`FloatKind`] name.
    /// Note that "FP16" alone is FP16 × FP16 → FP16, not [`MacArithmetic::FP16_FP32`] (which
    /// accumulates in FP32 and prints "FP16 -> FP32").
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] naming the input and the forms; [`MacArithmetic::validate`]'s error
    /// for an arithmetic the model does not support (an accumulator narrower than the
    /// operands).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::MacArithmetic;
    /// let int8 = MacArithmetic::Int { mul_bits: 8, acc_bits: 32 };
    /// assert_eq!("int8-int32".parse::<MacArithmetic>()?, int8);
    /// assert_eq!(int8.to_string().parse::<MacArithmetic>()?, int8);
    /// assert_eq!("fp16-fp32".parse::<MacArithmetic>()?, MacArithmetic::FP16_FP32);
    /// assert!("int8-int4".parse::<MacArithmetic>().is_err());
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<MacArithmetic> {
        #[derive(Clone, Copy)]
        enum Side {
            Int(u32),
            Float(FloatKind),
        }
        let side = |t: &str| -> Result<Side> {
            let t = crate::names::strip_square(t);
            let key = crate::names::normalize(t);
            match key.strip_prefix("int").map(str::parse::<u32>) {
                Some(Ok(bits)) => Ok(Side::Int(bits)),
                Some(Err(_)) => Err(Error::Parse {
                    input: t.into(),
                    reason: "not an integer width".into(),
                }),
                None => t.parse::<FloatKind>().map(Side::Float),
            }
        };
        let bad = || {
            crate::names::unknown(
                "MAC arithmetic",
                s,
                &[
                    "INT<m> -> INT<acc>",
                    "<float> -> <float>",
                    "<float>",
                    "int8-int32",
                ],
            )
        };
        let m = match side(s) {
            Ok(Side::Float(k)) => MacArithmetic::Float { mul: k, acc: k },
            _ => match crate::names::split_pair(s, side, side).ok_or_else(bad)? {
                (Side::Int(mul_bits), Side::Int(acc_bits)) => {
                    MacArithmetic::Int { mul_bits, acc_bits }
                }
                (Side::Float(mul), Side::Float(acc)) => MacArithmetic::Float { mul, acc },
                _ => return Err(bad()),
            },
        };
        m.validate()?;
        Ok(m)
    }
}

/// How operands move through the array, and so how a layer's cycles are counted.
///
/// Two families, named apart on purpose: [`OutputStationary`](Self::OutputStationary) and
/// [`WeightStationary`](Self::WeightStationary) are arithsim's own first-order models (the
/// output-stationary one *broadcasts* operands, FSD style, with no systolic fill or drain);
/// the three `Systolic*` dataflows are pipelined systolic arrays with SCALE-Sim 3.0's cycle
/// model, so a SCALE-Sim study can be reproduced here and then priced (see
/// [`scalesim_layer`](super::scalesim_layer) and `docs/accelerator.md` for the formulas).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Dataflow {
    /// Broadcast output stationary: each MAC owns one output and accumulates the whole
    /// reduction in place; every cycle one activation per row and one weight per column are
    /// broadcast (an outer product), so there is no pipeline fill. Accumulators are
    /// double-buffered and drain one array row (`cols` values) per cycle behind the next
    /// tile; a tile shorter than the drain waits for it. The Tesla FSD NPU works this way.
    #[default]
    OutputStationary,
    /// Each MAC holds one weight, loaded through the weight port before the tile runs;
    /// activation vectors stream through and partial sums flow down the columns (a
    /// TPU-style array, fill/drain of the tile's actual size). Reductions longer than the
    /// rows are split, and partial sums go through SRAM.
    WeightStationary,
    /// Systolic output stationary (SCALE-Sim `os`): activations enter from the left edge and
    /// weights from the top, skewed by one cycle per row/column; each fold of
    /// `rows × cols` outputs takes `K + rows + cols − 2` cycles (fill, reduction, drain,
    /// not overlapped with the next fold).
    SystolicOutputStationary,
    /// Systolic weight stationary (SCALE-Sim `ws`): a `rows × cols` block of the `K × C`
    /// weights is loaded (`rows` cycles), the `P` activation vectors stream through, and the
    /// outputs drain: `2·rows + cols + P − 2` cycles per fold. Partial sums of a reduction
    /// split over `⌈K/rows⌉` folds go through SRAM.
    SystolicWeightStationary,
    /// Systolic input stationary (SCALE-Sim `is`): a `rows × cols` block of the `K × P`
    /// im2col activations is held (`rows` cycles to load), the `C` weight vectors stream
    /// through: `2·rows + cols + C − 2` cycles per fold. Partial sums as weight stationary.
    SystolicInputStationary,
}

impl Dataflow {
    /// Every dataflow: the two broadcast ones (FSD style) and the three systolic ones.
    pub const ALL: [Dataflow; 5] = [
        Dataflow::OutputStationary,
        Dataflow::WeightStationary,
        Dataflow::SystolicOutputStationary,
        Dataflow::SystolicWeightStationary,
        Dataflow::SystolicInputStationary,
    ];

    /// The three systolic dataflows with SCALE-Sim's cycle model.
    pub const SYSTOLIC: [Dataflow; 3] = [
        Dataflow::SystolicOutputStationary,
        Dataflow::SystolicWeightStationary,
        Dataflow::SystolicInputStationary,
    ];

    /// Whether this is one of the systolic (SCALE-Sim) dataflows.
    pub fn is_systolic(&self) -> bool {
        Self::SYSTOLIC.contains(self)
    }

    /// SCALE-Sim's name for a systolic dataflow (`os`, `ws`, `is`), `None` for arithsim's own.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::Dataflow;
    ///
    /// assert_eq!(Dataflow::SystolicInputStationary.scalesim_name(), Some("is"));
    /// assert_eq!(Dataflow::OutputStationary.scalesim_name(), None); // broadcast, not systolic
    /// assert!(Dataflow::SYSTOLIC.iter().all(Dataflow::is_systolic));
    /// ```
    pub fn scalesim_name(&self) -> Option<&'static str> {
        match self {
            Dataflow::SystolicOutputStationary => Some("os"),
            Dataflow::SystolicWeightStationary => Some("ws"),
            Dataflow::SystolicInputStationary => Some("is"),
            Dataflow::OutputStationary | Dataflow::WeightStationary => None,
        }
    }
}

impl fmt::Display for Dataflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Dataflow::OutputStationary => "output stationary",
            Dataflow::WeightStationary => "weight stationary",
            Dataflow::SystolicOutputStationary => "systolic output stationary",
            Dataflow::SystolicWeightStationary => "systolic weight stationary",
            Dataflow::SystolicInputStationary => "systolic input stationary",
        })
    }
}

impl std::str::FromStr for Dataflow {
    type Err = Error;

    /// Parses the [`Display`](fmt::Display) name (`"weight stationary"`,
    /// `"systolic input stationary"`) or the variant name (`"SystolicInputStationary"`),
    /// case-insensitively with spaces, `-` and `_` ignored. SCALE-Sim's names `"os"`, `"ws"`,
    /// `"is"` (as in its configuration files) name the systolic dataflows, which follow
    /// SCALE-Sim's cycle model; the broadcast models are named in full.
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] naming the input and listing the names.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::Dataflow;
    /// assert_eq!("weight-stationary".parse::<Dataflow>()?, Dataflow::WeightStationary);
    /// assert_eq!("systolic ws".parse::<Dataflow>()?, Dataflow::SystolicWeightStationary);
    /// assert_eq!("os".parse::<Dataflow>()?, Dataflow::SystolicOutputStationary);
    /// assert_eq!("IS".parse::<Dataflow>()?, Dataflow::SystolicInputStationary);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Dataflow> {
        crate::names::lookup(
            "dataflow",
            s,
            &[
                (&["output stationary"], Dataflow::OutputStationary),
                (&["weight stationary"], Dataflow::WeightStationary),
                (
                    &["systolic output stationary", "systolic os", "os"],
                    Dataflow::SystolicOutputStationary,
                ),
                (
                    &["systolic weight stationary", "systolic ws", "ws"],
                    Dataflow::SystolicWeightStationary,
                ),
                (
                    &["systolic input stationary", "systolic is", "is"],
                    Dataflow::SystolicInputStationary,
                ),
            ],
        )
    }
}

/// A MAC-array accelerator: `rows × cols` MACs, their arithmetic, clock, on-chip SRAM and its
/// read ports, DRAM bandwidth, and dataflow.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(remote = "Self")
)]
pub struct MacArray {
    /// A name for reports.
    pub name: String,
    /// Rows of MACs (output pixels in output-stationary mode; reduction in weight-stationary).
    pub rows: u32,
    /// Columns of MACs (output channels).
    pub cols: u32,
    /// What each MAC computes.
    pub arithmetic: MacArithmetic,
    /// Clock frequency in Hz.
    pub clock_hz: f64,
    /// On-chip SRAM capacity in bytes.
    pub sram_bytes: u64,
    /// Size of one SRAM bank in bytes: what a read is priced as (reading a big SRAM costs
    /// what reading one of its banks costs).
    pub sram_bank_bytes: u64,
    /// Activation bytes the SRAM delivers per cycle.
    pub act_bytes_per_cycle: u32,
    /// Weight bytes the SRAM delivers per cycle.
    pub weight_bytes_per_cycle: u32,
    /// Off-chip DRAM bandwidth in bytes per second.
    pub dram_bytes_per_s: f64,
    /// How operands move.
    pub dataflow: Dataflow,
    /// How many of these arrays the chip has (for chip-level peak figures).
    pub arrays_per_chip: u32,
}

/// LPDDR4-4266 on a 128-bit bus: 4266 MT/s × 16 bytes = 68.256 GB/s.
pub const LPDDR4_4266_X128_BYTES_PER_S: f64 = 4266e6 * 16.0;

/// The Tesla FSD NPU (Hot Chips 2019): 96 × 96 INT8 MACs with 32-bit accumulators at 2 GHz,
/// 32 MiB of SRAM delivering 256 bytes of activations and 128 bytes of weights per cycle,
/// LPDDR4-4266 (128-bit, 68 GB/s) behind it, output-stationary, two NPUs per chip.
///
/// The SRAM is priced per 1 MiB bank (the largest size in Horowitz's table).
///
/// # Examples
///
/// ```
/// use arithsim::accel::fsd_npu;
///
/// let npu = fsd_npu();
/// assert_eq!(npu.peak_ops_per_s(), 96.0 * 96.0 * 2.0 * 2e9);
/// assert!((npu.peak_tops() - 36.864).abs() < 1e-9);
/// assert!((npu.chip_peak_tops() - 73.728).abs() < 1e-9);
/// ```
pub fn fsd_npu() -> MacArray {
    MacArray {
        name: "Tesla FSD NPU".into(),
        rows: 96,
        cols: 96,
        arithmetic: MacArithmetic::INT8_INT32,
        clock_hz: 2e9,
        sram_bytes: 32 << 20,
        sram_bank_bytes: 1 << 20,
        act_bytes_per_cycle: 256,
        weight_bytes_per_cycle: 128,
        dram_bytes_per_s: LPDDR4_4266_X128_BYTES_PER_S,
        dataflow: Dataflow::OutputStationary,
        arrays_per_chip: 2,
    }
}

impl MacArray {
    /// The same array with another arithmetic (FP16 or FP32 MACs for comparison): SRAM ports,
    /// clock and size unchanged, so wider operands take more cycles to deliver.
    ///
    /// # Errors
    ///
    /// As [`MacArithmetic::validate`].
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::{fsd_npu, MacArithmetic};
    ///
    /// let fp16 = fsd_npu().with_arithmetic(MacArithmetic::FP16_FP32).unwrap();
    /// assert_eq!(fp16.arithmetic.operand_bytes(), 2);
    /// ```
    pub fn with_arithmetic(&self, arithmetic: MacArithmetic) -> Result<MacArray> {
        arithmetic.validate()?;
        let mut a = self.clone();
        a.name = format!("{} ({arithmetic})", self.name);
        a.arithmetic = arithmetic;
        Ok(a)
    }

    /// The same array with another dataflow.
    pub fn with_dataflow(&self, dataflow: Dataflow) -> MacArray {
        let mut a = self.clone();
        a.dataflow = dataflow;
        a
    }

    /// Checks every parameter.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for a zero size, clock, SRAM, bank or port width, or a
    /// non-finite or non-positive clock or bandwidth; [`Error::Unsupported`] as
    /// [`MacArithmetic::validate`].
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [
            ("rows", self.rows as u64),
            ("cols", self.cols as u64),
            ("sram bytes", self.sram_bytes),
            ("sram bank bytes", self.sram_bank_bytes),
            (
                "activation bytes per cycle",
                self.act_bytes_per_cycle as u64,
            ),
            ("weight bytes per cycle", self.weight_bytes_per_cycle as u64),
            ("arrays per chip", self.arrays_per_chip as u64),
        ] {
            if v == 0 {
                return Err(Error::param(name, v, "must be positive"));
            }
        }
        for (name, v) in [
            ("clock", self.clock_hz),
            ("dram bandwidth", self.dram_bytes_per_s),
        ] {
            if !(v.is_finite() && v > 0.0) {
                return Err(Error::param(name, v, "must be finite and positive"));
            }
        }
        self.arithmetic.validate()
    }

    /// Number of MACs.
    pub fn macs(&self) -> u64 {
        self.rows as u64 * self.cols as u64
    }

    /// Peak operations per second of one array, counting a MAC as 2 operations.
    pub fn peak_ops_per_s(&self) -> f64 {
        2.0 * self.macs() as f64 * self.clock_hz
    }

    /// Peak tera-operations per second of one array (36.86 for the FSD NPU).
    pub fn peak_tops(&self) -> f64 {
        self.peak_ops_per_s() / 1e12
    }

    /// The parameters the cost report's accelerator section needs (array size, clock, arrays
    /// per chip), so `examples/cost_report.rs` takes its FSD figures from [`fsd_npu`]: one
    /// source. (`cost` sits below `accel` and cannot call this itself.)
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::accel::fsd_npu;
    /// use arithsim::cost::report::FsdParams;
    ///
    /// assert_eq!(fsd_npu().report_params(), FsdParams::TESLA_FSD);
    /// ```
    pub fn report_params(&self) -> FsdParams {
        FsdParams {
            rows: self.rows,
            cols: self.cols,
            clock_ghz: self.clock_hz / 1e9,
            npus: self.arrays_per_chip,
            ops_per_mac: 2,
        }
    }

    /// Peak TOPS of the whole chip (`arrays_per_chip` arrays; 73.7 for FSD).
    pub fn chip_peak_tops(&self) -> f64 {
        self.peak_tops() * self.arrays_per_chip as f64
    }

    /// Energy of one MAC of this array from `table`, at the table rows' voltage (see
    /// [`MacArithmetic::mac_energy_pj`]).
    ///
    /// # Errors
    ///
    /// As [`MacArithmetic::mac_energy_pj`].
    pub fn mac_energy_pj(&self, table: &CostTable) -> Result<Span> {
        self.arithmetic.mac_energy_pj(table)
    }

    /// TOPS/W of the MACs alone (no memory): `2 / E_MAC[pJ]`, the ceiling that data movement
    /// only lowers (6.7 for INT8 MACs in the 45 nm table).
    ///
    /// # Errors
    ///
    /// As [`MacArithmetic::mac_energy_pj`].
    pub fn compute_tops_per_watt(&self, table: &CostTable) -> Result<Span> {
        let e = self.mac_energy_pj(table)?;
        Ok(Span::range(2.0 / e.hi, 2.0 / e.lo))
    }

    /// DRAM bytes per clock cycle.
    pub fn dram_bytes_per_cycle(&self) -> f64 {
        self.dram_bytes_per_s / self.clock_hz
    }
}

#[cfg(feature = "serde")]
crate::names::serde_checked!(MacArray, MacArray::validate);

#[cfg(feature = "serde")]
crate::names::serde_checked!(MacArithmetic, MacArithmetic::validate);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lpddr4_bandwidth_is_about_68_gb_per_s() {
        assert_eq!(LPDDR4_4266_X128_BYTES_PER_S, 68_256_000_000.0);
        assert!(fsd_npu().validate().is_ok());
    }
}

// Written as the printed name, read back through `FromStr`.
#[cfg(feature = "serde")]
crate::names::serde_via_str!(Dataflow);
