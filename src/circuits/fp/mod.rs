//! Gate-level floating-point units for any [`FloatFormat`] from FP4 to FP32, bit-exact with
//! the soft float ([`crate::float`]) under [`FpUnitConfig::env`], values and IEEE flags.
//!
//! Units (finished netlists, and `build_*` forms adding the same logic to a
//! [`Builder`](crate::gates::Builder)):
//!
//! | unit | ports | equals |
//! |---|---|---|
//! | [`fp_adder`] | `a`, `b`, `sub` [, `rm`] → `y` + flags | `format.add` / `format.sub` |
//! | [`fp_adder_near_far`] | as [`fp_adder`] | the same, as a near/far two-path design |
//! | [`fp_converter`] | `a` [, `rm`] → `y` + flags | `from.convert(a, to, env)` |
//! | [`fp_multiplier`] | `a`, `b` [, `rm`] → `y` + flags | `format.mul` |
//! | [`fp_fma`] | `a`, `b` (product format), `c` [, `rm`] → `y` (accumulator format) + flags | `acc.fma(convert(a), convert(b), c)` |
//! | [`fp_mac`], [`FpMac`] | `a`, `b` [, `rm`], register `acc` → `acc` + flags per clock | the FMA with the register as `c` |
//!
//! Flags are the one-bit outputs `invalid`, `overflow`, `underflow` (tininess after
//! rounding) and `inexact`. The rounding mode is fixed when the unit is built (the mode logic
//! folds away) or read from a 3-bit `rm` port ([`RoundingControl`]).
//!
//! # Blocks
//!
//! Every unit is composed of these blocks, each a `build_*` function with its own label (so
//! [`Netlist::stats`](crate::gates::Netlist::stats) breaks area and gates down by block):
//!
//! * [`build_unpack`] → [`UnpackedOperand`]: sign, effective exponent (a zero or subnormal
//!   reads as biased exponent 1), significand with hidden bit, magnitude pattern, and
//!   zero / subnormal / ∞ / NaN / signalling-NaN flags for every [`Specials`] convention;
//!   denormals-are-zero as an option.
//! * [`build_shift_right_sticky`]: the alignment barrel shifter, with the OR of every bit
//!   shifted out.
//! * [`build_lzc`]: leading-zero counter. [`build_shift_left`]: normalization shifter.
//! * [`build_normalize`] → [`Normalized`]: denormalizing right shift for exponents below the
//!   range, leading-zero count, left shift limited by the exponent (so tiny results come out
//!   subnormal), exponent adjust.
//! * [`ModeWires`]: the rounding mode as one-hot wires (constants when fixed) and the
//!   round-up decision ([`ModeWires::decide`]) from last bit, guard and sticky.
//! * [`build_round_pack`]: **the one rounding back end** of every unit. It takes a
//!   [`RoundPackInput`]: sign, a two's complement exponent bus (the biased exponent, in the
//!   destination's bias, of the bit *below* the top of the significand bus; the top bit is
//!   headroom for a carry), a significand bus of any width and alignment (un-normalized is
//!   fine: a product `2p` bits wide, an FMA sum wider still), a sticky bit, the sign of an
//!   exact zero, and an optional [`SpecialCase`] (NaN / ∞ / invalid results that bypass
//!   rounding). It returns an [`FpResult`]: the result bits and [`FpFlags`], honouring the
//!   rounding mode, subnormal results, flush-to-zero, [`OverflowPolicy`] and the format's
//!   specials. [`build_nan_select`], [`default_nan_bits`] and [`quiet_nan_bits`] build the
//!   NaN results by [`NanPolicy`].
//!
//! For a multiplier, for example: unpack both operands, multiply the significands
//! (`2p` bits, value in `[0, 4)` with the binary point below bit `2p − 2`), and pass
//! `exp = ea + eb − bias` (two's complement, wide enough for `2 − bias … 2·emax − bias`),
//! `sig = product`, `sign = sa ^ sb`; the back end handles subnormal operands (leading
//! zeros), products below the subnormal range (right shift with sticky) and overflow.
//!
//! [`OverflowPolicy`]: crate::float::OverflowPolicy
//! [`NanPolicy`]: crate::float::NanPolicy
//! [`Specials`]: crate::float::Specials
//! [`FloatFormat`]: crate::float::FloatFormat
//!
//! # Examples
//!
//! ```
//! use arithsim::circuits::fp::{fp_adder, FpUnitConfig, RoundingControl};
//! use arithsim::float::FloatFormat;
//! use arithsim::round::RoundingMode;
//!
//! let f = FloatFormat::FP16;
//! let cfg = FpUnitConfig::default().with_rounding(RoundingControl::Input);
//! let net = fp_adder(f, &cfg)?;
//! let (a, b) = (0x3E00u64, 0x4080u64); // 1.5, 2.25
//! let rz = RoundingControl::code(RoundingMode::TowardZero).unwrap();
//! let out = net.eval_u64(&[("a", &[a]), ("b", &[b]), ("sub", &[0]), ("rm", &[rz])])?;
//! let soft = f.add(a, b, &cfg.env(RoundingMode::TowardZero));
//! assert_eq!(out.get("y")?[0], u128::from(soft.value)); // 3.75
//! # Ok::<(), arithsim::Error>(())
//! ```

mod adder;
mod align;
mod config;
mod convert;
mod fma;
mod lzc;
mod mac;
mod multiplier;
mod normalize;
mod pack;
mod product_parts;
mod round;
mod unpack;

pub use adder::{build_fp_adder, fp_adder};
pub use align::{MAX_SHIFT_WIDTH, build_shift_right_sticky, shift_stages};
pub use config::{
    FpUnitConfig, MAX_FP_UNIT_WIDTH, RoundingControl, SignificandMultiplier, check_format,
};
pub use convert::{build_fp_converter, fp_converter};
pub use fma::{build_fp_fma, fp_fma};
pub use lzc::build_lzc;
pub use mac::{FpMac, FpMacRun, FpMacSpec, build_fp_mac_step, fp_mac, fp_mac_presets};
pub use multiplier::{build_fp_multiplier, fp_multiplier};
pub use normalize::{Normalized, build_normalize, build_shift_left};
pub use pack::{
    FpFlags, FpResult, RoundPackInput, SpecialCase, build_nan_select, build_round_pack,
    default_nan_bits, quiet_nan_bits,
};
pub use round::{ModeWires, RoundDecision};
pub use unpack::{UnpackedOperand, build_unpack};

// Added after the first published API; kept apart so that merges stay line-local.
pub use normalize::build_normalize_unbounded;
pub use pack::build_round_pack_normalized;
mod near_far;
pub use near_far::{build_fp_adder_near_far, fp_adder_near_far};
