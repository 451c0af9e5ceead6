//! The initial accumulator values of a GEMM (the bias).

use crate::Result;

use super::shape::{GemmShape, check_len};

/// The initial accumulator value of each output of a GEMM (the bias): integers for integer
/// datapaths, accumulator-format bit patterns (`u64`) for floating-point ones.
#[derive(Clone, Copy, Debug, Default)]
pub enum Bias<'a, V = i64> {
    /// Start from zero (+0 for floating point).
    #[default]
    None,
    /// One value per row of `C` (`M` values): per output channel when `A` holds weights.
    PerRow(&'a [V]),
    /// One value per column of `C` (`N` values): per output feature when `B` holds weights.
    PerColumn(&'a [V]),
    /// One value per element of `C` (`M·N`, row-major).
    Full(&'a [V]),
}

impl<V: Copy> Bias<'_, V> {
    pub(crate) fn check(&self, s: GemmShape) -> Result<()> {
        match *self {
            Bias::None => Ok(()),
            Bias::PerRow(v) => check_len("per-row bias", v.len(), s.m, "m"),
            Bias::PerColumn(v) => check_len("per-column bias", v.len(), s.n, "n"),
            Bias::Full(v) => check_len("full bias", v.len(), s.m * s.n, "m*n"),
        }
    }

    pub(crate) fn values(&self) -> &[V] {
        match *self {
            Bias::None => &[],
            Bias::PerRow(v) | Bias::PerColumn(v) | Bias::Full(v) => v,
        }
    }

    #[inline]
    pub(crate) fn at(&self, n: usize, i: usize, j: usize) -> Option<V> {
        match *self {
            Bias::None => None,
            Bias::PerRow(v) => Some(v[i]),
            Bias::PerColumn(v) => Some(v[j]),
            Bias::Full(v) => Some(v[i * n + j]),
        }
    }
}
