//! [`FpUnitConfig`]: everything besides the formats that decides how an FP unit is built.

use crate::circuits::adders::AdderKind;
use crate::circuits::multipliers::{PartialProducts, Reduction};
use crate::float::{FloatEnv, FloatFormat, NanPolicy, OverflowPolicy, Tininess};
use crate::round::RoundingMode;
use crate::{Error, Result};

/// Widest format (sign + exponent + mantissa bits) the FP units build: FP32.
pub const MAX_FP_UNIT_WIDTH: u32 = crate::limits::FP_UNIT_MAX_WIDTH;

/// How an FP unit learns its rounding mode.
///
/// A fixed mode is wired in when the unit is built, so the mode logic folds away to the one
/// rounding rule (the cheapest unit); [`RoundingControl::Input`] adds a 3-bit input port
/// `rm` and keeps the logic of every mode, as a CPU's FPU does.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::fp::RoundingControl;
/// use arithsim::round::RoundingMode;
///
/// assert_eq!(RoundingControl::code(RoundingMode::TowardZero), Some(2));
/// assert_eq!(RoundingControl::mode_of_code(7), RoundingMode::NearestEven);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RoundingControl {
    /// One deterministic mode, fixed at build time.
    Fixed(RoundingMode),
    /// A 3-bit input port `rm`: code `i` selects [`RoundingControl::MODES`]`[i]`, code 7
    /// acts as code 0 (nearest-even).
    Input,
}

impl RoundingControl {
    /// The modes selected by the codes 0..=6 of the `rm` port. Codes 0..=5 are the contract's
    /// order (nearest-even, nearest-away, toward zero, toward +∞, toward −∞, to odd); code 6
    /// adds nearest-ties-toward-+∞, so every deterministic mode of the soft float is
    /// reachable; code 7 is nearest-even.
    pub const MODES: [RoundingMode; 7] = [
        RoundingMode::NearestEven,
        RoundingMode::NearestAway,
        RoundingMode::TowardZero,
        RoundingMode::TowardPositive,
        RoundingMode::TowardNegative,
        RoundingMode::ToOdd,
        RoundingMode::NearestTowardPositive,
    ];

    /// The `rm` code of `mode` (`None` for stochastic rounding, which the units do not build).
    #[must_use]
    pub fn code(mode: RoundingMode) -> Option<u64> {
        Self::MODES
            .iter()
            .position(|&m| m == mode)
            .map(|i| i as u64)
    }

    /// The mode an `rm` code selects (codes are taken modulo 8; 7 is nearest-even).
    #[must_use]
    pub fn mode_of_code(code: u64) -> RoundingMode {
        Self::MODES
            .get((code & 7) as usize)
            .copied()
            .unwrap_or(RoundingMode::NearestEven)
    }
}

/// The significand multiplier of the FP multiplier, FMA and MACs: partial-product generation
/// and reduction (the final adder is [`FpUnitConfig::adder`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SignificandMultiplier {
    /// Partial products ([`PartialProducts::AndArray`] or [`PartialProducts::Booth4`]:
    /// significands are unsigned).
    pub partial_products: PartialProducts,
    /// Reduction tree.
    pub reduction: Reduction,
}

impl Default for SignificandMultiplier {
    /// AND array with a Dadda tree, as [`crate::circuits::mac::MacSpec::new`] uses.
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl SignificandMultiplier {
    /// [`Default::default`] as a constant, for constant presets.
    const DEFAULT: SignificandMultiplier = SignificandMultiplier {
        partial_products: PartialProducts::AndArray,
        reduction: Reduction::Dadda,
    };
}

/// How an FP unit is built: rounding control, subnormal handling, NaN and overflow policy,
/// and the integer adder and multiplier inside.
///
/// A unit built with a config equals the soft float ([`crate::float`]) under
/// [`FpUnitConfig::env`]`(mode)`, values and flags (tininess is detected after rounding).
///
/// # Examples
///
/// ```
/// use arithsim::circuits::fp::{FpUnitConfig, RoundingControl};
/// use arithsim::float::OverflowPolicy;
/// use arithsim::round::RoundingMode;
///
/// let cfg = FpUnitConfig::default()
///     .with_rounding(RoundingControl::Fixed(RoundingMode::TowardZero))
///     .with_flush_subnormals(true)
///     .with_overflow(OverflowPolicy::Saturate);
/// let env = cfg.env(RoundingMode::TowardZero);
/// assert!(env.flush_to_zero && env.denormals_are_zero);
/// assert_eq!(env.overflow, OverflowPolicy::Saturate);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FpUnitConfig {
    /// Rounding mode fixed at build time or read from the `rm` port.
    pub rounding: RoundingControl,
    /// Flush-to-zero and denormals-are-zero hardware (the soft float's
    /// `FloatEnv { flush_to_zero, denormals_are_zero }` both on): subnormal operands read as
    /// zeros and tiny results become zeros, saving the subnormal logic.
    pub flush_subnormals: bool,
    /// Which NaN results carry.
    pub nan: NanPolicy,
    /// What overflow gives in formats without infinity.
    pub overflow: OverflowPolicy,
    /// Carry-propagate adders inside the unit (exponent arithmetic, significand sum, rounding
    /// increment).
    pub adder: AdderKind,
    /// Significand multiplier for products.
    pub multiplier: SignificandMultiplier,
}

impl Default for FpUnitConfig {
    /// Nearest-even fixed, IEEE subnormals, [`FloatEnv::default`]'s NaN and overflow
    /// policies, Brent-Kung adders, AND-array + Dadda multiplier.
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl FpUnitConfig {
    /// [`Default::default`] as a constant, so presets such as [`FpMacSpec::FP16_FP32`] can be
    /// constants.
    ///
    /// [`FpMacSpec::FP16_FP32`]: super::FpMacSpec::FP16_FP32
    pub(crate) const DEFAULT: FpUnitConfig = {
        let env = FloatEnv::new(RoundingMode::NearestEven);
        FpUnitConfig {
            rounding: RoundingControl::Fixed(RoundingMode::NearestEven),
            flush_subnormals: false,
            nan: env.nan,
            overflow: env.overflow,
            adder: AdderKind::BrentKung,
            multiplier: SignificandMultiplier::DEFAULT,
        }
    };

    /// The soft-float environment a unit built with this config matches when its rounding
    /// mode is `mode` (the fixed mode, or the mode selected on the `rm` port).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::circuits::fp::{fp_adder, FpUnitConfig};
    /// use arithsim::float::FloatFormat;
    /// use arithsim::round::RoundingMode;
    ///
    /// let cfg = FpUnitConfig::default().with_flush_subnormals(true);
    /// let f = FloatFormat::FP8_E4M3;
    /// let net = fp_adder(f, &cfg)?;
    /// let (a, b) = (0x01u64, 0x08u64); // a subnormal (read as 0) and the smallest normal
    /// let out = net.eval_u64(&[("a", &[a]), ("b", &[b]), ("sub", &[0])])?;
    /// let soft = f.add(a, b, &cfg.env(RoundingMode::NearestEven));
    /// assert_eq!((out.get("y")?[0], soft.value), (0x08, 0x08));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    #[must_use]
    pub fn env(&self, mode: RoundingMode) -> FloatEnv {
        FloatEnv {
            rounding: mode,
            tininess: Tininess::AfterRounding,
            flush_to_zero: self.flush_subnormals,
            denormals_are_zero: self.flush_subnormals,
            nan: self.nan,
            overflow: self.overflow,
        }
    }

    /// The same with another rounding control.
    #[must_use]
    pub fn with_rounding(mut self, rounding: RoundingControl) -> Self {
        self.rounding = rounding;
        self
    }

    /// The same with flush-to-zero/denormals-are-zero on or off.
    #[must_use]
    pub fn with_flush_subnormals(mut self, on: bool) -> Self {
        self.flush_subnormals = on;
        self
    }

    /// The same with another NaN policy.
    #[must_use]
    pub fn with_nan(mut self, nan: NanPolicy) -> Self {
        self.nan = nan;
        self
    }

    /// The same with another overflow policy.
    #[must_use]
    pub fn with_overflow(mut self, overflow: OverflowPolicy) -> Self {
        self.overflow = overflow;
        self
    }

    /// The same with another adder architecture.
    #[must_use]
    pub fn with_adder(mut self, adder: AdderKind) -> Self {
        self.adder = adder;
        self
    }

    /// The same with another significand multiplier.
    #[must_use]
    pub fn with_multiplier(mut self, multiplier: SignificandMultiplier) -> Self {
        self.multiplier = multiplier;
        self
    }

    /// Checks the options the units can build.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for a stochastic fixed rounding mode (naming `rounding`);
    /// [`Error::InvalidParameter`] for a bad adder block size or a signed-only
    /// partial-product generator (`multiplier`).
    pub fn validate(&self) -> Result<()> {
        if let RoundingControl::Fixed(m) = self.rounding {
            if RoundingControl::code(m).is_none() {
                return Err(Error::Unsupported(format!(
                    "rounding {m}: the FP units build deterministic modes only"
                )));
            }
        }
        self.adder.validate()?;
        if self.multiplier.partial_products == PartialProducts::BaughWooley {
            return Err(Error::param(
                "multiplier",
                "baugh-wooley",
                "significands are unsigned: use the AND array or radix-4 Booth",
            ));
        }
        Ok(())
    }
}

/// Checks that `format` is one the units build (at most [`MAX_FP_UNIT_WIDTH`] bits); `what`
/// names the parameter in the error.
///
/// # Errors
/// [`Error::InvalidWidth`] naming `what` for a format wider than 32 bits.
///
/// # Examples
///
/// ```
/// use arithsim::circuits::fp::check_format;
/// use arithsim::float::FloatFormat;
///
/// assert!(check_format("fp adder format", FloatFormat::FP32).is_ok());
/// let e = check_format("fp adder format", FloatFormat::FP64).unwrap_err();
/// assert_eq!(e.to_string(), "fp adder format width 64 is out of range 4..=32");
/// ```
pub fn check_format(what: &'static str, format: FloatFormat) -> Result<()> {
    Error::check_width(what, format.width(), 4, MAX_FP_UNIT_WIDTH).map(|_| ())
}
