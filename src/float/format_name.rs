//! Float format names, printed and parsed: one syntax for [`FloatFormat`] and for
//! [`crate::cost::FloatKind`].
//!
//! Accepted (case-insensitive; spaces, `-` and `_` ignored):
//!
//! - a preset name as [`FloatFormat::PRESETS`] prints it: `FP32`, `BF16`, `FP8 E4M3`,
//!   `FP8 E5M2FNUZ`, `FP4 E2M1`, …;
//! - a common alias: `double`/`f64`/`binary64`/`float64`, `single`/`f32`/`binary32`/`float32`,
//!   `half`/`f16`/`binary16`/`float16`, `bfloat16`, `tensorfloat32`;
//! - a code `[FP<width>] E<e>M<m>[FN|FNUZ|finite|IEEE][ bias <b>]`, with `<width>` (if given)
//!   checked against `1 + e + m`.
//!
//! A code without a special-value suffix means what people mean by it: the preset with those
//! field widths when there is one (`E4M3` is OCP FP8 E4M3, max 448, no infinities; `E8M23` is
//! FP32; `E2M1` is the MX FP4), else the IEEE-style format. Display prints the `IEEE` suffix
//! exactly when the format is IEEE-style but that default is not (`E4M3 IEEE`), so every
//! printed name parses back to the same format.

use super::{FloatFormat, Specials};
use crate::names::{normalize, unknown};
use crate::{Error, Result};

/// A parsed name: a format, or a code whose widths the caller checks against its own limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FormatName {
    /// A preset or alias.
    Preset(FloatFormat),
    /// `E<exp>M<man>` with an optional special-value suffix and bias.
    Code {
        exp_bits: u32,
        man_bits: u32,
        specials: Option<Specials>,
        bias: Option<i32>,
    },
}

const ALIASES: &[(&str, FloatFormat)] = &[
    ("double", FloatFormat::FP64),
    ("f64", FloatFormat::FP64),
    ("binary64", FloatFormat::FP64),
    ("float64", FloatFormat::FP64),
    ("single", FloatFormat::FP32),
    ("f32", FloatFormat::FP32),
    ("binary32", FloatFormat::FP32),
    ("float32", FloatFormat::FP32),
    ("half", FloatFormat::FP16),
    ("f16", FloatFormat::FP16),
    ("binary16", FloatFormat::FP16),
    ("float16", FloatFormat::FP16),
    ("bfloat16", FloatFormat::BF16),
    ("tensorfloat32", FloatFormat::TF32),
];

/// The accepted forms, for error messages.
const ACCEPTED: &[&str] = &[
    "FP64",
    "FP32",
    "TF32",
    "FP16",
    "BF16",
    "FP8 E5M2",
    "FP8 E4M3",
    "FP8 E4M3FNUZ",
    "FP8 E5M2FNUZ",
    "FP6 E3M2",
    "FP6 E2M3",
    "FP4 E2M1",
    "double",
    "single",
    "half",
    "bfloat16",
    "E<e>M<m>[FN|FNUZ|finite|IEEE][ bias <b>]",
];

fn bad(input: &str) -> Error {
    unknown("float format", input, ACCEPTED)
}

/// The specials a suffix-less `E<e>M<m>` code means: the first preset's with those widths,
/// else IEEE.
pub(crate) fn default_specials(exp_bits: u32, man_bits: u32) -> Specials {
    FloatFormat::PRESETS
        .iter()
        .find(|(_, f)| f.exp_bits() == exp_bits && f.man_bits() == man_bits)
        .map_or(Specials::Ieee, |(_, f)| f.specials())
}

/// The bias a code without `bias <b>` means: the preset's with these widths and specials
/// (`E4M3FNUZ` is bias 8), else the IEEE default 2^(e−1) − 1.
pub(crate) fn default_bias(exp_bits: u32, man_bits: u32, specials: Specials) -> i32 {
    FloatFormat::PRESETS
        .iter()
        .find(|(_, f)| {
            f.exp_bits() == exp_bits && f.man_bits() == man_bits && f.specials() == specials
        })
        .map_or((1 << (exp_bits - 1)) - 1, |(_, f)| f.bias())
}

/// Parses a name in the syntax of the module docs (widths not range-checked).
pub(crate) fn parse_name(input: &str) -> Result<FormatName> {
    let lower = input.trim().to_lowercase();
    // The bias first: its digits must not run into the code's.
    let (head, bias) = match lower.split_once("bias") {
        Some((h, b)) => {
            let b = normalize(b);
            let bias: i32 = b.parse().map_err(|_| Error::Parse {
                input: input.to_string(),
                reason: format!("bias {b:?} is not an integer"),
            })?;
            (normalize(h), Some(bias))
        }
        None => (normalize(&lower), None),
    };
    if bias.is_none() {
        if let Some((_, f)) = FloatFormat::PRESETS
            .iter()
            .find(|(n, _)| normalize(n) == head)
        {
            return Ok(FormatName::Preset(*f));
        }
        if let Some((_, f)) = ALIASES.iter().find(|(n, _)| *n == head) {
            return Ok(FormatName::Preset(*f));
        }
    }
    // [fp<width>]e<e>m<m>[suffix]
    let (declared, code) = match head.strip_prefix("fp") {
        Some(rest) => {
            let digits = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            if digits == 0 {
                return Err(bad(input));
            }
            (Some(&rest[..digits]), &rest[digits..])
        }
        None => (None, head.as_str()),
    };
    let code = code.strip_prefix('e').ok_or_else(|| bad(input))?;
    let e_len = code
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(code.len());
    let exp_bits: u32 = code[..e_len].parse().map_err(|_| bad(input))?;
    let code = code[e_len..].strip_prefix('m').ok_or_else(|| bad(input))?;
    let m_len = code
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(code.len());
    let man_bits: u32 = code[..m_len].parse().map_err(|_| bad(input))?;
    let specials = match &code[m_len..] {
        "" => None,
        "ieee" => Some(Specials::Ieee),
        "fn" => Some(Specials::NanAllOnes),
        "fnuz" => Some(Specials::Fnuz),
        "finite" => Some(Specials::FiniteOnly),
        _ => return Err(bad(input)),
    };
    if let Some(d) = declared {
        let width = 1u64 + u64::from(exp_bits) + u64::from(man_bits);
        if d.parse::<u64>().ok() != Some(width) {
            return Err(Error::Parse {
                input: input.to_string(),
                reason: format!("declared width FP{d} but E{exp_bits}M{man_bits} is {width} bits"),
            });
        }
    }
    Ok(FormatName::Code {
        exp_bits,
        man_bits,
        specials,
        bias,
    })
}

impl FloatFormat {
    /// The format a bare `E<e>M<m>` names: the preset with these widths if there is one,
    /// else the IEEE-style format.
    pub(crate) fn by_widths(exp_bits: u32, man_bits: u32) -> Result<FloatFormat> {
        FloatFormat::new(exp_bits, man_bits)?;
        let specials = default_specials(exp_bits, man_bits);
        FloatFormat::with_bias(
            exp_bits,
            man_bits,
            default_bias(exp_bits, man_bits, specials),
            specials,
        )
    }
}

impl std::str::FromStr for FloatFormat {
    type Err = Error;

    /// Parses what [`Display`](std::fmt::Display) prints, and common aliases: `"e4m3"`,
    /// `"bf16"`, `"FP8 E5M2FNUZ"`, `"e8m23"`, `"half"`, `"E5M3FN bias 9"`.
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] naming the input and listing the accepted names; the errors of
    /// [`FloatFormat::with_bias`] for widths or a bias out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::FloatFormat;
    /// assert_eq!("e4m3".parse::<FloatFormat>()?, FloatFormat::FP8_E4M3);
    /// assert_eq!("bf16".parse::<FloatFormat>()?, FloatFormat::BF16);
    /// assert_eq!("e8m23".parse::<FloatFormat>()?, FloatFormat::FP32);
    /// assert_eq!("fp8-e5m2fnuz".parse::<FloatFormat>()?, FloatFormat::FP8_E5M2FNUZ);
    /// let ieee = FloatFormat::new(4, 3)?; // with infinities, unlike OCP E4M3
    /// assert_eq!(ieee.to_string(), "E4M3 IEEE");
    /// assert_eq!(ieee.to_string().parse::<FloatFormat>()?, ieee);
    /// assert!("e4m".parse::<FloatFormat>().is_err());
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<FloatFormat> {
        match parse_name(s)? {
            FormatName::Preset(f) => Ok(f),
            FormatName::Code {
                exp_bits,
                man_bits,
                specials,
                bias,
            } => {
                FloatFormat::new(exp_bits, man_bits)?;
                let specials = specials.unwrap_or_else(|| default_specials(exp_bits, man_bits));
                let bias = bias.unwrap_or_else(|| default_bias(exp_bits, man_bits, specials));
                FloatFormat::with_bias(exp_bits, man_bits, bias, specials)
            }
        }
    }
}

// A format in a configuration file is its name ("e4m3", "FP16", "E5M3FN bias 9"), read back
// through the parser above, so it is validated like a parsed one.
#[cfg(feature = "serde")]
crate::names::serde_via_str!(FloatFormat);
