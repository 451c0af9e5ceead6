//! Rounding modes.

use std::fmt;

/// How a value that cannot be represented exactly is rounded.
///
/// Every mode acts on the true (sign-magnitude) value. "Up"/"away" in the docs below means
/// the magnitude is incremented.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum RoundingMode {
    /// Nearest, ties to the even neighbour (IEEE 754 default, `roundTiesToEven`).
    #[default]
    NearestEven,
    /// Nearest, ties away from zero (IEEE 754 `roundTiesToAway`, C `round()`).
    NearestAway,
    /// Nearest, ties toward +∞: what an integer "add half then shift right" does in quantized
    /// inference (gemmlowp's `RoundingDivideByPOT` is ties *away*; see [`Self::NearestAway`]).
    NearestTowardPositive,
    /// Truncate toward zero (`roundTowardZero`, C integer division).
    TowardZero,
    /// Toward +∞ (`roundTowardPositive`, ceiling).
    TowardPositive,
    /// Toward −∞ (`roundTowardNegative`, floor; an arithmetic right shift).
    TowardNegative,
    /// Round to odd: truncate, and set the last bit when anything was lost. Rounding a
    /// round-to-odd result with at least two more bits once more gives a correctly rounded
    /// result, so it is used for double-rounding-free narrowing.
    ToOdd,
    /// Stochastic rounding with explicit random bits, so results are reproducible.
    ///
    /// The magnitude is rounded away from zero exactly when the low `bits` bits of `random`,
    /// read as a `bits`-bit fraction, are below the first `bits` discarded bits: the
    /// probability of rounding up equals the discarded fraction (truncated to `bits` bits).
    /// `bits` is clamped to 1..=64.
    Stochastic {
        /// The random bits (only the low `bits` are used).
        random: u64,
        /// How many random bits, 1..=64.
        bits: u32,
    },
}

impl RoundingMode {
    /// The seven deterministic modes, for exhaustive tests and reports.
    pub const DETERMINISTIC: [RoundingMode; 7] = [
        RoundingMode::NearestEven,
        RoundingMode::NearestAway,
        RoundingMode::NearestTowardPositive,
        RoundingMode::TowardZero,
        RoundingMode::TowardPositive,
        RoundingMode::TowardNegative,
        RoundingMode::ToOdd,
    ];

    /// The five IEEE 754-2019 modes (the attributes a conforming implementation must offer).
    pub const IEEE: [RoundingMode; 5] = [
        RoundingMode::NearestEven,
        RoundingMode::NearestAway,
        RoundingMode::TowardZero,
        RoundingMode::TowardPositive,
        RoundingMode::TowardNegative,
    ];

    /// A short name: `rne`, `rna`, `rnp`, `rtz`, `rup`, `rdn`, `rto`, `sr<k>`.
    pub fn short_name(&self) -> String {
        match self {
            RoundingMode::NearestEven => "rne".into(),
            RoundingMode::NearestAway => "rna".into(),
            RoundingMode::NearestTowardPositive => "rnp".into(),
            RoundingMode::TowardZero => "rtz".into(),
            RoundingMode::TowardPositive => "rup".into(),
            RoundingMode::TowardNegative => "rdn".into(),
            RoundingMode::ToOdd => "rto".into(),
            RoundingMode::Stochastic { bits, .. } => format!("sr{bits}"),
        }
    }

    /// The name serde writes: the [`short_name`](Self::short_name), with the random bits of a
    /// stochastic mode when they are not zero ("sr12 random 0xdeadbeef"), so that reading it
    /// back through `FromStr` gives the same mode.
    #[cfg(feature = "serde")]
    fn serde_name(&self) -> String {
        match self {
            RoundingMode::Stochastic { random, bits } if *random != 0 => {
                format!("sr{bits} random {random:#x}")
            }
            m => m.short_name(),
        }
    }

    /// True for the three round-to-nearest modes.
    pub fn is_nearest(&self) -> bool {
        matches!(
            self,
            RoundingMode::NearestEven
                | RoundingMode::NearestAway
                | RoundingMode::NearestTowardPositive
        )
    }
}

impl fmt::Display for RoundingMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RoundingMode::NearestEven => f.write_str("nearest, ties to even"),
            RoundingMode::NearestAway => f.write_str("nearest, ties away from zero"),
            RoundingMode::NearestTowardPositive => f.write_str("nearest, ties toward +inf"),
            RoundingMode::TowardZero => f.write_str("toward zero"),
            RoundingMode::TowardPositive => f.write_str("toward +inf"),
            RoundingMode::TowardNegative => f.write_str("toward -inf"),
            RoundingMode::ToOdd => f.write_str("to odd"),
            RoundingMode::Stochastic { bits, .. } => write!(f, "stochastic ({bits} random bits)"),
        }
    }
}

/// Names and aliases of the deterministic modes, short name first.
const MODE_NAMES: &[(&[&str], RoundingMode)] = &[
    (
        &[
            "rne",
            "nearest, ties to even",
            "nearest even",
            "ties to even",
            "roundTiesToEven",
        ],
        RoundingMode::NearestEven,
    ),
    (
        &[
            "rna",
            "nearest, ties away from zero",
            "nearest away",
            "ties away",
            "roundTiesToAway",
        ],
        RoundingMode::NearestAway,
    ),
    (
        &[
            "rnp",
            "nearest, ties toward +inf",
            "nearest toward positive",
        ],
        RoundingMode::NearestTowardPositive,
    ),
    (
        &[
            "rtz",
            "toward zero",
            "rz",
            "truncate",
            "trunc",
            "roundTowardZero",
        ],
        RoundingMode::TowardZero,
    ),
    (
        &[
            "rup",
            "toward +inf",
            "toward positive",
            "ru",
            "ceil",
            "ceiling",
            "roundTowardPositive",
        ],
        RoundingMode::TowardPositive,
    ),
    (
        &[
            "rdn",
            "toward -inf",
            "toward negative",
            "rd",
            "floor",
            "roundTowardNegative",
        ],
        RoundingMode::TowardNegative,
    ),
    (
        &["rto", "to odd", "round to odd", "odd"],
        RoundingMode::ToOdd,
    ),
];

/// The `<k>` or `<k>random<r>` after a normalised "sr": the bit count and the random bits
/// (decimal or `0x` hex, `0` when absent).
fn stochastic_parts(rest: &str) -> Option<(u32, u64)> {
    let (k, r) = rest.split_once("random").unwrap_or((rest, ""));
    let random = match r.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok()?,
        None if r.is_empty() => 0,
        None => r.parse().ok()?,
    };
    Some((k.parse().ok()?, random))
}

impl std::str::FromStr for RoundingMode {
    type Err = crate::Error;

    /// Parses the [`short_name`](RoundingMode::short_name) (`rne`, `rtz`, `rup`, `rdn`, `rna`,
    /// `rnp`, `rto`, `sr<k>`), the [`Display`](fmt::Display) name ("toward zero"), the variant
    /// name (`TowardZero`) or a common alias (`floor`, `ceil`, `trunc`, IEEE's
    /// `roundTiesToEven`, …), case-insensitively. A stochastic mode parses with `random: 0`:
    /// the printed name does not carry the random bits, which a caller supplies per operation;
    /// "`sr<k> random <r>`" (decimal or `0x` hex, as serde writes a mode whose bits are set)
    /// gives `random: r`.
    ///
    /// # Errors
    ///
    /// [`Error::Parse`](crate::Error::Parse) naming the input and listing the short names.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::round::RoundingMode;
    /// assert_eq!("rtz".parse::<RoundingMode>()?, RoundingMode::TowardZero);
    /// assert_eq!("toward -inf".parse::<RoundingMode>()?, RoundingMode::TowardNegative);
    /// assert_eq!("sr8".parse::<RoundingMode>()?, RoundingMode::Stochastic { random: 0, bits: 8 });
    /// assert!("nearest".parse::<RoundingMode>().is_err()); // which tie rule?
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    fn from_str(s: &str) -> crate::Result<RoundingMode> {
        let key = crate::names::normalize(s);
        // `sr<k>` and "stochastic (<k> random bits)".
        let stochastic = key
            .strip_prefix("sr")
            .or_else(|| {
                key.strip_prefix("stochastic(")
                    .and_then(|r| r.strip_suffix("randombits)"))
            })
            .or_else(|| key.strip_prefix("stochastic"));
        if let Some((bits, random)) = stochastic.and_then(stochastic_parts) {
            if !(1..=64).contains(&bits) {
                return Err(crate::Error::Parse {
                    input: s.to_string(),
                    reason: format!("stochastic rounding takes 1..=64 random bits, not {bits}"),
                });
            }
            return Ok(RoundingMode::Stochastic { random, bits });
        }
        MODE_NAMES
            .iter()
            .find(|(names, m)| {
                names.iter().any(|n| crate::names::normalize(n) == key)
                    || crate::names::normalize(&format!("{m:?}")) == key
            })
            .map(|(_, m)| *m)
            .ok_or_else(|| {
                crate::names::unknown(
                    "rounding mode",
                    s,
                    &[
                        "rne",
                        "rna",
                        "rnp",
                        "rtz",
                        "rup",
                        "rdn",
                        "rto",
                        "sr<k> (k = 1..=64)",
                    ],
                )
            })
    }
}

// A mode in a configuration file is its short name ("rne", "sr12"; see `serde_name`), read
// back through the parser above.
#[cfg(feature = "serde")]
crate::names::serde_via_str!(RoundingMode as RoundingMode::serde_name);
