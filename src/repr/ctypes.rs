//! C integer types under the ILP32, LP64 and LLP64 data models.
//!
//! The point of the course's table: `long` is 4 bytes on 64-bit Windows (LLP64) and 8 on
//! 64-bit Linux and macOS (LP64), so portable code says `int32_t` / `int64_t`. And plain
//! `char` is signed on x86 but unsigned on ARM Linux, so the table states it per platform
//! instead of picking one.

use std::fmt;

use super::encoding::Encoding;
use super::signedness::Signedness;
use super::wide::WideInt;

/// A C data model: the sizes of `int`, `long` and pointers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DataModel {
    /// 32-bit systems: int, long and pointers are 4 bytes.
    Ilp32,
    /// 64-bit Linux, macOS, AIX, Solaris, HP-UX: long and pointers are 8 bytes.
    Lp64,
    /// 64-bit Windows: long stays 4 bytes, long long and pointers are 8.
    Llp64,
}

/// A C integer type (pointers stand for `intptr_t` / `uintptr_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CType {
    /// `char` (see [`plain_char_signedness`] for plain `char`).
    Char,
    /// `short`.
    Short,
    /// `int`.
    Int,
    /// `long`.
    Long,
    /// `long long`.
    LongLong,
    /// A pointer (`intptr_t` / `uintptr_t` for its range).
    Pointer,
}

impl CType {
    /// The six types, narrowest first.
    pub const ALL: [CType; 6] = [
        CType::Char,
        CType::Short,
        CType::Int,
        CType::Long,
        CType::LongLong,
        CType::Pointer,
    ];

    /// The C spelling (`long long`, `pointer`).
    pub fn name(self) -> &'static str {
        match self {
            CType::Char => "char",
            CType::Short => "short",
            CType::Int => "int",
            CType::Long => "long",
            CType::LongLong => "long long",
            CType::Pointer => "pointer",
        }
    }
}

impl fmt::Display for CType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl DataModel {
    /// The three models.
    pub const ALL: [DataModel; 3] = [DataModel::Ilp32, DataModel::Lp64, DataModel::Llp64];

    /// Size of `t` in bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::repr::{CType, DataModel};
    ///
    /// assert_eq!(DataModel::Lp64.size_bytes(CType::Long), 8); // 64-bit Linux
    /// assert_eq!(DataModel::Llp64.size_bytes(CType::Long), 4); // 64-bit Windows
    /// ```
    pub fn size_bytes(self, t: CType) -> u32 {
        match (t, self) {
            (CType::Char, _) => 1,
            (CType::Short, _) => 2,
            (CType::Int, _) => 4,
            (CType::Long, DataModel::Lp64) => 8,
            (CType::Long, _) => 4,
            (CType::LongLong, _) => 8,
            (CType::Pointer, DataModel::Ilp32) => 4,
            (CType::Pointer, _) => 8,
        }
    }

    /// Smallest and largest value of `signed t` ([`Signedness::Signed`], two's complement,
    /// which C23 requires) or `unsigned t`.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::repr::{with_thousands, CType, DataModel};
    /// use arithsim::Signedness;
    ///
    /// let (lo, hi) = DataModel::Lp64.range(CType::LongLong, Signedness::Signed);
    /// assert_eq!(with_thousands(lo), "-9,223,372,036,854,775,808");
    /// assert_eq!(with_thousands(hi), "9,223,372,036,854,775,807");
    /// let (_, hi) = DataModel::Lp64.range(CType::LongLong, Signedness::Unsigned);
    /// assert_eq!(with_thousands(hi), "18,446,744,073,709,551,615");
    /// ```
    pub fn range(self, t: CType, signedness: Signedness) -> (WideInt, WideInt) {
        let encoding = if signedness.is_signed() {
            Encoding::TwosComplement
        } else {
            Encoding::Unsigned
        };
        // Widths here are 8..=64 bits, always valid.
        encoding
            .range(self.size_bytes(t) * 8)
            .unwrap_or((WideInt::ZERO, WideInt::ZERO))
    }

    /// Where the model is used.
    pub fn platforms(self) -> &'static str {
        match self {
            DataModel::Ilp32 => "32-bit systems (Windows, Linux, macOS on 32-bit CPUs)",
            DataModel::Lp64 => "64-bit Linux, macOS, AIX, Solaris, HP-UX",
            DataModel::Llp64 => "64-bit Windows",
        }
    }

    /// The model's name (`ILP32`, `LP64`, `LLP64`).
    pub fn name(self) -> &'static str {
        match self {
            DataModel::Ilp32 => "ILP32",
            DataModel::Lp64 => "LP64",
            DataModel::Llp64 => "LLP64",
        }
    }
}

impl fmt::Display for DataModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A platform (architecture + OS ABI), for the signedness of plain `char`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Platform {
    /// x86 and x86-64, any OS.
    X86,
    /// 32- and 64-bit ARM Linux (AAPCS: plain char is unsigned).
    ArmLinux,
    /// Apple arm64 (macOS, iOS: Apple's ABI makes plain char signed).
    AppleArm64,
    /// Windows on ARM64 (MSVC: plain char is signed).
    WindowsArm64,
    /// PowerPC Linux.
    PowerPcLinux,
    /// RISC-V Linux.
    RiscVLinux,
}

impl Platform {
    /// The platforms listed.
    pub const ALL: [Platform; 6] = [
        Platform::X86,
        Platform::ArmLinux,
        Platform::AppleArm64,
        Platform::WindowsArm64,
        Platform::PowerPcLinux,
        Platform::RiscVLinux,
    ];

    /// A readable name.
    pub fn name(self) -> &'static str {
        match self {
            Platform::X86 => "x86 / x86-64",
            Platform::ArmLinux => "ARM Linux",
            Platform::AppleArm64 => "Apple arm64",
            Platform::WindowsArm64 => "Windows on ARM64",
            Platform::PowerPcLinux => "PowerPC Linux",
            Platform::RiscVLinux => "RISC-V Linux",
        }
    }
}

/// Whether plain `char` is signed on `platform`. The C standard leaves it to the ABI, so
/// code that cares writes `signed char` or `unsigned char` (or `int8_t` / `uint8_t`).
///
/// ```
/// use arithsim::repr::{plain_char_signedness, Platform};
/// use arithsim::Signedness;
/// assert_eq!(plain_char_signedness(Platform::X86), Signedness::Signed);
/// assert_eq!(plain_char_signedness(Platform::ArmLinux), Signedness::Unsigned);
/// ```
pub fn plain_char_signedness(platform: Platform) -> Signedness {
    match platform {
        Platform::X86 | Platform::AppleArm64 | Platform::WindowsArm64 => Signedness::Signed,
        Platform::ArmLinux | Platform::PowerPcLinux | Platform::RiscVLinux => Signedness::Unsigned,
    }
}

/// The course's table for one data model: each type's size and signed and unsigned ranges,
/// with the plain-`char` caveat on the `char` row.
///
/// ```
/// use arithsim::repr::{c_type_table, DataModel};
/// let t = c_type_table(DataModel::Llp64);
/// assert!(t.contains("long       4 bytes"));
/// assert!(t.contains("plain char: signed on x86 / x86-64, "));
/// assert!(t.contains("unsigned on ARM Linux"));
/// ```
pub fn c_type_table(model: DataModel) -> String {
    use super::radix::with_thousands;
    let mut out = format!("{} ({})\n", model.name(), model.platforms());
    for t in CType::ALL {
        let (smin, smax) = model.range(t, Signedness::Signed);
        let (_, umax) = model.range(t, Signedness::Unsigned);
        out.push_str(&format!(
            "  {:<10} {} byte{}  signed {} … {}  unsigned 0 … {}\n",
            t.name(),
            model.size_bytes(t),
            if model.size_bytes(t) == 1 { " " } else { "s" },
            with_thousands(smin),
            with_thousands(smax),
            with_thousands(umax)
        ));
    }
    let (signed, unsigned): (Vec<Platform>, Vec<Platform>) = Platform::ALL
        .into_iter()
        .partition(|&p| plain_char_signedness(p).is_signed());
    let names = |v: Vec<Platform>| v.iter().map(|p| p.name()).collect::<Vec<_>>().join(", ");
    out.push_str(&format!(
        "  plain char: signed on {}, unsigned on {} (the ABI decides)\n",
        names(signed),
        names(unsigned)
    ));
    out
}
