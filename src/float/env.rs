//! The floating-point environment: rounding, tininess, flushing, NaN and overflow policy.

use crate::round::RoundingMode;

/// When a result counts as tiny (for the underflow flag and flush-to-zero).
///
/// IEEE 754 allows both; x86 SSE, Arm and RISC-V detect tininess after rounding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Tininess {
    /// Tiny if the result, rounded as if the exponent range were unbounded, is below the
    /// smallest normal (x86 SSE, Arm, RISC-V; the default).
    #[default]
    AfterRounding,
    /// Tiny if the exact result is below the smallest normal.
    BeforeRounding,
}

/// Which NaN an operation returns.
///
/// Only formats with IEEE specials have payloads; for [`Specials::NanAllOnes`] only the sign
/// of a NaN varies, [`Specials::Fnuz`] has one NaN, and [`Specials::FiniteOnly`] has none
/// (an invalid operation there returns +0 with [`Flags::INVALID`]).
///
/// [`Specials::NanAllOnes`]: super::Specials::NanAllOnes
/// [`Specials::Fnuz`]: super::Specials::Fnuz
/// [`Specials::FiniteOnly`]: super::Specials::FiniteOnly
/// [`Flags::INVALID`]: crate::round::Flags::INVALID
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum NanPolicy {
    /// x86-64 SSE/AVX: an invalid operation returns the default NaN, negative and quiet with
    /// a zero payload (FP32 0xFFC00000); an operation with NaN operands returns the first NaN
    /// operand (in argument order), quieted. Conversions keep the sign and the top payload
    /// bits. Makes FP32/FP64 results bit-identical to native code on x86-64.
    #[default]
    X86,
    /// RISC-V: every NaN result is the canonical NaN, positive and quiet with a zero payload
    /// (FP32 0x7FC00000).
    RiscV,
}

/// What overflow produces in a format without infinities ([`Specials`] other than `Ieee`):
/// the two OCP conversion modes. Formats without NaN always saturate.
///
/// Not to be confused with [`Overflow`](crate::Overflow), the integer policy (wrap or clamp
/// an exact integer to a register's bits) of the datapath's accumulators and the gate-level
/// MACs: `OverflowPolicy` says what a floating-point result past the largest finite value
/// becomes when the format has no ∞ (IEEE formats always give ±∞).
///
/// [`Specials`]: super::Specials
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum OverflowPolicy {
    /// Where IEEE would give ±∞, return NaN (the OCP non-saturating mode; ml_dtypes).
    /// Results that round to the largest finite value in directed modes stay finite.
    #[default]
    Nan,
    /// Return ±largest finite value (the OCP "satfinite" mode); ±∞ operands of conversions
    /// also saturate.
    Saturate,
}

impl OverflowPolicy {
    /// The printed name: "nan" or "saturate" (OCP's "satfinite" parses too).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::OverflowPolicy;
    /// assert_eq!(OverflowPolicy::Saturate.to_string(), "saturate");
    /// assert_eq!("satfinite".parse::<OverflowPolicy>()?, OverflowPolicy::Saturate);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            OverflowPolicy::Nan => "nan",
            OverflowPolicy::Saturate => "saturate",
        }
    }
}

impl std::fmt::Display for OverflowPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for OverflowPolicy {
    type Err = crate::Error;

    /// Parses [`OverflowPolicy::name`], the variant name or OCP's "satfinite",
    /// case-insensitively.
    ///
    /// # Errors
    ///
    /// [`Error::Parse`](crate::Error::Parse) naming the input and the names.
    fn from_str(s: &str) -> crate::Result<Self> {
        crate::names::lookup(
            "float overflow policy",
            s,
            &[
                (&["nan"], OverflowPolicy::Nan),
                (
                    &["saturate", "satfinite", "saturating"],
                    OverflowPolicy::Saturate,
                ),
            ],
        )
    }
}

// Written as the printed name, read back through `FromStr`.
#[cfg(feature = "serde")]
crate::names::serde_via_str!(OverflowPolicy);

/// Everything besides the operands that decides an operation's result.
///
/// `FloatEnv::default()` is round-to-nearest-even, tininess after rounding, no flushing,
/// x86-64 NaNs, overflow to NaN in formats without infinity.
///
/// # Examples
///
/// ```
/// use arithsim::float::{FloatEnv, FloatFormat, NanPolicy};
/// use arithsim::round::RoundingMode;
///
/// let env = FloatEnv::new(RoundingMode::TowardZero).with_nan(NanPolicy::RiscV);
/// let f = FloatFormat::FP32;
/// let inf = f.infinity_bits().unwrap();
/// // ∞ − ∞ is invalid: the canonical NaN on RISC-V, the negative default NaN on x86.
/// assert_eq!(f.sub(inf, inf, &env).value, 0x7FC0_0000);
/// assert_eq!(f.sub(inf, inf, &FloatEnv::default()).value, 0xFFC0_0000);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FloatEnv {
    /// Rounding mode for every lossy step.
    pub rounding: RoundingMode,
    /// Tininess detection (underflow flag, flush-to-zero).
    pub tininess: Tininess,
    /// Flush tiny results to ±0 (raising underflow and inexact), like x86 MXCSR.FTZ.
    pub flush_to_zero: bool,
    /// Read subnormal operands as ±0 (no flag), like x86 MXCSR.DAZ.
    pub denormals_are_zero: bool,
    /// Which NaN results carry.
    pub nan: NanPolicy,
    /// What overflow gives in formats without infinity.
    pub overflow: OverflowPolicy,
}

impl FloatEnv {
    /// The default environment with rounding mode `rounding`.
    #[inline]
    pub const fn new(rounding: RoundingMode) -> FloatEnv {
        FloatEnv {
            rounding,
            tininess: Tininess::AfterRounding,
            flush_to_zero: false,
            denormals_are_zero: false,
            nan: NanPolicy::X86,
            overflow: OverflowPolicy::Nan,
        }
    }

    /// This environment with another rounding mode.
    #[inline]
    pub const fn with_rounding(mut self, rounding: RoundingMode) -> FloatEnv {
        self.rounding = rounding;
        self
    }

    /// This environment with another tininess rule.
    #[inline]
    pub const fn with_tininess(mut self, tininess: Tininess) -> FloatEnv {
        self.tininess = tininess;
        self
    }

    /// This environment with flush-to-zero on or off.
    #[inline]
    pub const fn with_flush_to_zero(mut self, on: bool) -> FloatEnv {
        self.flush_to_zero = on;
        self
    }

    /// This environment with denormals-are-zero on or off.
    #[inline]
    pub const fn with_denormals_are_zero(mut self, on: bool) -> FloatEnv {
        self.denormals_are_zero = on;
        self
    }

    /// This environment with another NaN policy.
    #[inline]
    pub const fn with_nan(mut self, nan: NanPolicy) -> FloatEnv {
        self.nan = nan;
        self
    }

    /// This environment with another overflow policy.
    #[inline]
    pub const fn with_overflow(mut self, overflow: OverflowPolicy) -> FloatEnv {
        self.overflow = overflow;
        self
    }
}
