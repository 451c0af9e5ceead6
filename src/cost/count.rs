//! Checked counting: the one place that turns an overflowing count of operations, bytes,
//! cycles or parameters into an [`Error`] instead of a wrapped or silently saturated number.
//!
//! Every count in `cost`, `datapath`, `quant` and `accel` is a `u64`. Products of shapes
//! (`M·N·K`, `layers · hidden · tokens · batch`, ...) can exceed it for hostile or mistaken
//! input; these helpers return [`Error::OutOfRange`] naming the count, so a caller never
//! reports a plausible-looking wrong figure.

use crate::{Error, Result};

/// The error for a count `what` that does not fit `u64`.
pub(crate) fn overflow(what: impl Into<String>) -> Error {
    Error::OutOfRange {
        value: "2^64 or more".into(),
        min: "0".into(),
        max: u64::MAX.to_string(),
        what: format!("count of {}", what.into()),
    }
}

/// `a · b`, or an error naming `what`.
#[inline]
pub(crate) fn mul(a: u64, b: u64, what: &str) -> Result<u64> {
    a.checked_mul(b).ok_or_else(|| overflow(what))
}

/// `a + b`, or an error naming `what`.
#[inline]
pub(crate) fn add(a: u64, b: u64, what: &str) -> Result<u64> {
    a.checked_add(b).ok_or_else(|| overflow(what))
}

/// The product of all `factors`, or an error naming `what`.
pub(crate) fn product(factors: &[u64], what: &str) -> Result<u64> {
    factors.iter().try_fold(1u64, |acc, &f| mul(acc, f, what))
}

/// The sum of `items`, or an error naming `what`.
pub(crate) fn sum(items: impl IntoIterator<Item = u64>, what: &str) -> Result<u64> {
    items.into_iter().try_fold(0u64, |acc, x| add(acc, x, what))
}

/// A `u128` count narrowed to `u64`, or an error naming `what`.
#[inline]
pub(crate) fn narrow(x: u128, what: &str) -> Result<u64> {
    u64::try_from(x).map_err(|_| overflow(what))
}

/// `⌈x⌉` of a non-negative `f64` count (cycles from a bandwidth), or an error naming `what`
/// when it is NaN, infinite or `2^64` or more — `as u64` would saturate or give 0 silently.
pub(crate) fn ceil_f64(x: f64, what: &str) -> Result<u64> {
    let c = x.ceil();
    // 2^64 is exactly representable; every f64 below it converts exactly after ceil.
    // NaN is outside every range.
    if !(0.0..18_446_744_073_709_551_616.0).contains(&c) {
        return Err(overflow(what));
    }
    Ok(c as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_helpers_name_the_count() {
        assert_eq!(
            mul(1 << 32, (1 << 32) - 1, "x").unwrap(),
            u64::MAX - ((1 << 32) - 1)
        );
        let e = mul(1 << 32, 1 << 32, "SRAM bytes").unwrap_err().to_string();
        assert!(e.contains("count of SRAM bytes"), "{e}");
        assert!(add(u64::MAX, 1, "x").is_err());
        assert_eq!(product(&[2, 3, 7], "x").unwrap(), 42);
        assert!(product(&[1 << 40, 1 << 30, 0], "x").is_err()); // order matters: no zero first
        assert_eq!(sum([u64::MAX - 1, 1], "x").unwrap(), u64::MAX);
        assert!(sum([u64::MAX, 1], "x").is_err());
        assert!(narrow(1 << 64, "x").is_err());
        assert_eq!(ceil_f64(2.1, "x").unwrap(), 3);
        assert_eq!(
            ceil_f64(18_446_744_073_709_549_568.0, "x").unwrap(),
            u64::MAX - 2047
        );
        for bad in [f64::NAN, f64::INFINITY, -1.0, 18_446_744_073_709_551_616.0] {
            assert!(ceil_f64(bad, "x").is_err(), "{bad}");
        }
    }
}
