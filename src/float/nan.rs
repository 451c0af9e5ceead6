//! Which NaN a result carries, by [`NanPolicy`] and the format's [`Specials`].

use super::env::{FloatEnv, NanPolicy};
use super::format::{FloatFormat, Specials};
use super::status::StatusAnd;
use crate::round::Flags;

impl FloatFormat {
    /// The NaN an invalid operation returns under `policy` (x86: negative quiet NaN with zero
    /// payload, FP32 0xFFC00000; RISC-V: positive, 0x7FC00000). For [`Specials::FiniteOnly`]
    /// formats, which have no NaN, this is +0.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::float::{FloatFormat, NanPolicy};
    /// assert_eq!(FloatFormat::FP32.default_nan(NanPolicy::X86), 0xFFC0_0000);
    /// assert_eq!(FloatFormat::FP16.default_nan(NanPolicy::RiscV), 0x7E00);
    /// assert_eq!(FloatFormat::FP8_E4M3.default_nan(NanPolicy::X86), 0xFF);
    /// assert_eq!(FloatFormat::FP8_E4M3FNUZ.default_nan(NanPolicy::RiscV), 0x80);
    /// ```
    #[inline]
    pub const fn default_nan(self, policy: NanPolicy) -> u64 {
        let sign = match policy {
            NanPolicy::X86 => self.sign_bit(),
            NanPolicy::RiscV => 0,
        };
        match self.specials() {
            Specials::Ieee => sign | (self.exp_field_max() << self.man_bits()) | self.quiet_bit(),
            Specials::NanAllOnes => sign | (self.sign_bit() - 1),
            Specials::Fnuz => self.sign_bit(),
            Specials::FiniteOnly => 0,
        }
    }

    /// `nan` made quiet (IEEE formats: quiet bit set; other formats' NaNs are all quiet).
    #[inline]
    pub const fn quiet(self, nan: u64) -> u64 {
        match self.specials() {
            Specials::Ieee => nan | self.quiet_bit(),
            _ => nan,
        }
    }

    /// The result of an invalid operation: the default NaN with [`Flags::INVALID`].
    #[inline]
    pub(crate) fn invalid(self, env: &FloatEnv) -> StatusAnd<u64> {
        StatusAnd::new(self.default_nan(env.nan), Flags::INVALID)
    }

    /// The result of an operation whose operands include a NaN: the first NaN of `ops`
    /// quieted (x86) or the canonical NaN (RISC-V); invalid if any operand is signalling.
    #[inline(never)]
    pub(crate) fn propagate_nan(self, ops: &[u64], env: &FloatEnv) -> StatusAnd<u64> {
        let flags = if ops.iter().any(|&x| self.is_signaling(x)) {
            Flags::INVALID
        } else {
            Flags::empty()
        };
        let value = match env.nan {
            NanPolicy::RiscV => self.default_nan(NanPolicy::RiscV),
            NanPolicy::X86 => {
                let first = ops.iter().copied().find(|&x| self.is_nan(x));
                match first {
                    Some(n) => self.quiet(n & self.mask()),
                    None => self.default_nan(env.nan),
                }
            }
        };
        StatusAnd::new(value, flags)
    }
}
