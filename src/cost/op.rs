//! Operation kinds: what a [`Tally`](super::Tally) counts and a cost table prices.
//!
//! `cost` sits below `float` and `fixed` in the layer table, so number formats are named here
//! by small plain descriptors ([`FloatKind`], [`NumKind`]); the datapath maps its own formats
//! onto them.
//!
//! Every kind prints in the words of the published tables ("8-bit int add", "FP32 mult",
//! "64-bit SRAM read, 8 KB") and parses back from the same text, which is what the
//! `operation` column of a cost table file holds.
//!
//! # Examples
//!
//! ```
//! use arithsim::cost::{FloatKind, MemLevel, OpKind};
//!
//! let mac = OpKind::IntMac { mul_bits: 8, acc_bits: 32 };
//! assert_eq!(mac.to_string(), "8-bit int MAC, 32-bit acc");
//! let read: OpKind = "64-bit SRAM read, 8 KB".parse()?;
//! assert_eq!(read, OpKind::MemRead { level: MemLevel::Sram { bytes: 8 * 1024 }, bits: 64 });
//! let mul: OpKind = "BF16 mult".parse()?;
//! assert_eq!(mul, OpKind::FpMul { format: FloatKind::BF16 });
//! # Ok::<(), arithsim::Error>(())
//! ```

use std::fmt;
use std::str::FromStr;

use super::kinds::parse_bits;
use super::{FloatKind, NumKind};
use crate::{Error, Result};

/// Where a memory access goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MemLevel {
    /// A register file next to the arithmetic.
    RegisterFile,
    /// An on-chip SRAM of `bytes` capacity (the energy of a read grows with the capacity).
    Sram {
        /// Capacity in bytes.
        bytes: u64,
    },
    /// Off-chip DRAM.
    Dram,
}

impl fmt::Display for MemLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MemLevel::RegisterFile => f.write_str("register file"),
            MemLevel::Sram { bytes } => write!(f, "SRAM {}", capacity(*bytes)),
            MemLevel::Dram => f.write_str("DRAM"),
        }
    }
}

/// "8 KB", "1 MB", "512 B" (binary multiples, as in the published tables).
fn capacity(bytes: u64) -> String {
    const K: u64 = 1024;
    if bytes >= K * K * K && bytes % (K * K * K) == 0 {
        format!("{} GB", bytes / (K * K * K))
    } else if bytes >= K * K && bytes % (K * K) == 0 {
        format!("{} MB", bytes / (K * K))
    } else if bytes >= K && bytes % K == 0 {
        format!("{} KB", bytes / K)
    } else {
        format!("{bytes} B")
    }
}

/// Parses "8 KB", "32KiB", "1 MB", "512 B" into bytes (binary multiples).
fn parse_capacity(input: &str, s: &str) -> Result<u64> {
    let t = s.trim().to_ascii_uppercase();
    let digits_end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(digits_end);
    let mult: u64 = match unit.trim() {
        "B" | "" => 1,
        "KB" | "KIB" => 1 << 10,
        "MB" | "MIB" => 1 << 20,
        "GB" | "GIB" => 1 << 30,
        other => {
            return Err(Error::Parse {
                input: input.to_string(),
                reason: format!("unknown capacity unit {other:?} (expected B, KB, MB or GB)"),
            });
        }
    };
    num.parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .filter(|&b| b > 0)
        .ok_or_else(|| Error::Parse {
            input: input.to_string(),
            reason: format!(
                "capacity {:?} must be a positive whole number of bytes",
                s.trim()
            ),
        })
}

/// One kind of operation, with the widths or formats that set its cost.
///
/// `#[non_exhaustive]`: new kinds can be added without breaking matches downstream.
/// The derived order (variant, then fields) is the stable order tallies and reports use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum OpKind {
    /// Integer addition of two `bits`-bit operands. Prints "8-bit int add".
    IntAdd {
        /// Operand width.
        bits: u32,
    },
    /// Integer multiplication of two `bits`-bit operands. Prints "8-bit int mult".
    IntMul {
        /// Operand width.
        bits: u32,
    },
    /// Integer multiply-accumulate: a `mul_bits` × `mul_bits` product added into an
    /// `acc_bits` accumulator. Prints "8-bit int MAC, 32-bit acc".
    IntMac {
        /// Multiplier operand width.
        mul_bits: u32,
        /// Accumulator width.
        acc_bits: u32,
    },
    /// Floating-point addition. Prints "FP16 add".
    FpAdd {
        /// The format.
        format: FloatKind,
    },
    /// Floating-point multiplication. Prints "FP16 mult".
    FpMul {
        /// The format.
        format: FloatKind,
    },
    /// Fused floating-point multiply-add. Prints "FP16 fma".
    FpFma {
        /// The format.
        format: FloatKind,
    },
    /// A conversion between number kinds. Prints "convert FP32 → INT8" (parses "->" too).
    Convert {
        /// Source kind.
        from: NumKind,
        /// Destination kind.
        to: NumKind,
    },
    /// A memory read of `bits` bits. Prints "64-bit SRAM read, 8 KB", "64-bit DRAM read".
    MemRead {
        /// Where the data lives.
        level: MemLevel,
        /// Bits read.
        bits: u32,
    },
    /// A memory write of `bits` bits. Prints "32-bit register file write".
    MemWrite {
        /// Where the data goes.
        level: MemLevel,
        /// Bits written.
        bits: u32,
    },
}

impl fmt::Display for OpKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            OpKind::IntAdd { bits } => write!(f, "{bits}-bit int add"),
            OpKind::IntMul { bits } => write!(f, "{bits}-bit int mult"),
            OpKind::IntMac { mul_bits, acc_bits } => {
                write!(f, "{mul_bits}-bit int MAC, {acc_bits}-bit acc")
            }
            OpKind::FpAdd { format } => write!(f, "{format} add"),
            OpKind::FpMul { format } => write!(f, "{format} mult"),
            OpKind::FpFma { format } => write!(f, "{format} fma"),
            OpKind::Convert { from, to } => write!(f, "convert {from} → {to}"),
            OpKind::MemRead { level, bits } => mem(f, "read", level, bits),
            OpKind::MemWrite { level, bits } => mem(f, "write", level, bits),
        }
    }
}

fn mem(f: &mut fmt::Formatter<'_>, what: &str, level: MemLevel, bits: u32) -> fmt::Result {
    match level {
        MemLevel::Sram { bytes } => write!(f, "{bits}-bit SRAM {what}, {}", capacity(bytes)),
        other => write!(f, "{bits}-bit {other} {what}"),
    }
}

impl FromStr for OpKind {
    type Err = Error;

    /// Parses the text [`Display`](fmt::Display) prints (case-insensitive, extra spaces
    /// allowed; "mul" and "mult" both accepted).
    fn from_str(s: &str) -> Result<Self> {
        let t = s
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase();
        let unknown = || Error::Parse {
            input: s.to_string(),
            reason: "unknown operation; expected e.g. \"8-bit int add\", \"8-bit int mult\", \
                     \"8-bit int MAC, 32-bit acc\", \"FP16 add\", \"BF16 mult\", \"FP32 fma\", \
                     \"convert FP32 → INT8\", \"64-bit SRAM read, 8 KB\", \"64-bit DRAM read\", \
                     \"32-bit register file write\""
                .into(),
        };
        if let Some(rest) = t.strip_prefix("convert ") {
            let (a, b) = rest
                .split_once('→')
                .or_else(|| rest.split_once("->"))
                .ok_or_else(unknown)?;
            return Ok(OpKind::Convert {
                from: a.parse()?,
                to: b.parse()?,
            });
        }
        // Width-first forms: "<n>-bit ...".
        if let Some((n, rest)) = t.split_once("-bit ") {
            if !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()) {
                let bits = parse_bits(s, n)?;
                return parse_width_first(s, bits, rest).ok_or_else(unknown)?;
            }
        }
        // Format-first forms: "<format> add|mult|mul|fma".
        let (fmt_name, op) = t.rsplit_once(' ').ok_or_else(unknown)?;
        let make: fn(FloatKind) -> OpKind = match op {
            "add" => |format| OpKind::FpAdd { format },
            "mult" | "mul" => |format| OpKind::FpMul { format },
            "fma" => |format| OpKind::FpFma { format },
            _ => return Err(unknown()),
        };
        // The operation word is known, so a bad format gets the format's own message.
        let format: FloatKind = fmt_name.parse().map_err(|e| match e {
            Error::Parse { reason, .. } => Error::Parse {
                input: s.to_string(),
                reason,
            },
            other => other,
        })?;
        Ok(make(format))
    }
}

/// The part after "<bits>-bit "; `None` when it is not a known operation.
fn parse_width_first(s: &str, bits: u32, rest: &str) -> Option<Result<OpKind>> {
    match rest {
        "int add" => return Some(Ok(OpKind::IntAdd { bits })),
        "int mult" | "int mul" => return Some(Ok(OpKind::IntMul { bits })),
        _ => {}
    }
    if let Some(acc) = rest.strip_prefix("int mac, ") {
        let a = acc.strip_suffix("-bit acc")?;
        return Some(parse_bits(s, a).map(|acc_bits| OpKind::IntMac {
            mul_bits: bits,
            acc_bits,
        }));
    }
    for (what, write) in [("read", false), ("write", true)] {
        let make = |level| {
            if write {
                OpKind::MemWrite { level, bits }
            } else {
                OpKind::MemRead { level, bits }
            }
        };
        if let Some(cap) = rest.strip_prefix(&format!("sram {what}, ")) {
            return Some(parse_capacity(s, cap).map(|bytes| make(MemLevel::Sram { bytes })));
        }
        if rest == format!("dram {what}") {
            return Some(Ok(make(MemLevel::Dram)));
        }
        if rest == format!("register file {what}") {
            return Some(Ok(make(MemLevel::RegisterFile)));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::kinds::FLOAT_NAMES;
    use crate::repr::Signedness;

    fn all_kinds() -> Vec<OpKind> {
        let mut v = vec![
            OpKind::IntAdd { bits: 8 },
            OpKind::IntMul { bits: 32 },
            OpKind::IntMac {
                mul_bits: 8,
                acc_bits: 32,
            },
            OpKind::Convert {
                from: NumKind::Float(FloatKind::FP32),
                to: NumKind::Int {
                    bits: 8,
                    signedness: Signedness::Signed,
                },
            },
            OpKind::Convert {
                from: NumKind::Fixed {
                    bits: 16,
                    frac_bits: 8,
                    signedness: Signedness::Unsigned,
                },
                to: NumKind::Float(FloatKind::new(6, 9)),
            },
            OpKind::Convert {
                from: NumKind::Int {
                    bits: 32,
                    signedness: Signedness::Unsigned,
                },
                to: NumKind::Fixed {
                    bits: 8,
                    frac_bits: 4,
                    signedness: Signedness::Signed,
                },
            },
        ];
        for level in [
            MemLevel::RegisterFile,
            MemLevel::Sram { bytes: 8 << 10 },
            MemLevel::Sram { bytes: 1 << 20 },
            MemLevel::Sram { bytes: 100 },
            MemLevel::Dram,
        ] {
            v.push(OpKind::MemRead { level, bits: 64 });
            v.push(OpKind::MemWrite { level, bits: 16 });
        }
        for (k, _) in FLOAT_NAMES {
            v.push(OpKind::FpAdd { format: *k });
            v.push(OpKind::FpMul { format: *k });
            v.push(OpKind::FpFma { format: *k });
        }
        v.push(OpKind::FpMul {
            format: FloatKind::new(3, 0),
        });
        v
    }

    #[test]
    fn display_parses_back_for_every_kind() {
        for k in all_kinds() {
            let s = k.to_string();
            assert_eq!(s.parse::<OpKind>().unwrap(), k, "{s}");
            assert_eq!(s.to_uppercase().parse::<OpKind>().unwrap(), k, "{s}");
        }
    }

    #[test]
    fn display_uses_the_published_wording() {
        assert_eq!(OpKind::IntAdd { bits: 8 }.to_string(), "8-bit int add");
        assert_eq!(OpKind::IntMul { bits: 32 }.to_string(), "32-bit int mult");
        assert_eq!(
            OpKind::FpAdd {
                format: FloatKind::FP16
            }
            .to_string(),
            "FP16 add"
        );
        assert_eq!(
            OpKind::FpMul {
                format: FloatKind::FP32
            }
            .to_string(),
            "FP32 mult"
        );
        let read = OpKind::MemRead {
            level: MemLevel::Sram { bytes: 1 << 20 },
            bits: 64,
        };
        assert_eq!(read.to_string(), "64-bit SRAM read, 1 MB");
        let dram = OpKind::MemRead {
            level: MemLevel::Dram,
            bits: 64,
        };
        assert_eq!(dram.to_string(), "64-bit DRAM read");
        let conv = OpKind::Convert {
            from: NumKind::Float(FloatKind::FP32),
            to: NumKind::Int {
                bits: 8,
                signedness: Signedness::Unsigned,
            },
        };
        assert_eq!(conv.to_string(), "convert FP32 → UINT8");
        // The printed arrow parses back, and so does the ASCII one tables were written with.
        assert_eq!(conv.to_string().parse::<OpKind>().unwrap(), conv);
        assert_eq!("convert FP32 -> UINT8".parse::<OpKind>().unwrap(), conv);
    }

    #[test]
    fn bad_operations_are_errors_naming_the_input() {
        for bad in [
            "",
            "8-bit int divide",
            "0-bit int add",
            "99999-bit int add",
            "FP17 add",
            "FP16 sqrt",
            "convert FP16 INT8",
            "convert FP16 -> INT0",
            "convert FIX8.9 -> FP16",
            "64-bit SRAM read, 8 XB",
            "64-bit SRAM read, 0 KB",
            "8-bit int MAC, x-bit acc",
        ] {
            let e = bad.parse::<OpKind>().unwrap_err();
            assert!(e.to_string().starts_with("cannot parse "), "{bad}: {e}");
        }
        let e = "64-bit SRAM read, 8 XB".parse::<OpKind>().unwrap_err();
        assert!(
            e.to_string().contains("unknown capacity unit \"XB\""),
            "{e}"
        );
        let e = "0-bit int add".parse::<OpKind>().unwrap_err();
        assert!(
            e.to_string()
                .contains("bit width \"0\" must be a number in 1..=4096"),
            "{e}"
        );
    }

    #[test]
    fn order_is_by_variant_then_width() {
        let mut v = vec![
            OpKind::FpAdd {
                format: FloatKind::FP16,
            },
            OpKind::IntMul { bits: 8 },
            OpKind::IntAdd { bits: 32 },
            OpKind::IntAdd { bits: 8 },
        ];
        v.sort();
        assert_eq!(
            v,
            [
                OpKind::IntAdd { bits: 8 },
                OpKind::IntAdd { bits: 32 },
                OpKind::IntMul { bits: 8 },
                OpKind::FpAdd {
                    format: FloatKind::FP16
                },
            ]
        );
    }
}

// An operation kind is its name, so a tally serializes as a map from names to counts.
#[cfg(feature = "serde")]
crate::names::serde_via_str!(OpKind);
