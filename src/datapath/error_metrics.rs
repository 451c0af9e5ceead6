//! Numerical error of a kernel's output against an f64 reference.

use crate::float::FloatFormat;
use crate::{Error, Result};

use super::shape::check_len;

/// The grid the output values live on, which sets the size of one ULP.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum OutputGrid {
    /// A binary floating-point format: one ULP at `x` is `2^(max(⌊log2|x|⌋, emin) − man_bits)`
    /// with `emin` the format's smallest normal exponent `1 − bias` (so the subnormal spacing
    /// below the normal range).
    Float(FloatFormat),
    /// A uniform grid (integers: 1; fixed point: `2^-frac_bits`; quantized: the scale).
    Uniform {
        /// Spacing of the grid, finite and positive.
        step: f64,
    },
}

impl OutputGrid {
    /// The spacing of the grid at `x` (the reference value).
    #[must_use]
    pub fn ulp(&self, x: f64) -> f64 {
        match *self {
            OutputGrid::Uniform { step } => step,
            OutputGrid::Float(f) => {
                let emin = f.min_exponent();
                let e = if x == 0.0 || !x.is_finite() {
                    emin
                } else {
                    exponent(x).max(emin)
                };
                2f64.powi(e - f.man_bits() as i32)
            }
        }
    }
}

/// `⌊log2 |x|⌋` of a finite non-zero f64, exact (from the bits, subnormals included).
fn exponent(x: f64) -> i32 {
    let bits = x.abs().to_bits();
    let e = (bits >> 52) as i32;
    if e == 0 {
        // Subnormal: the leading one of the fraction sets the exponent.
        -1074 + (63 - bits.leading_zeros() as i32)
    } else {
        e - 1023
    }
}

/// Error statistics of `actual` against `reference`.
///
/// # Examples
///
/// ```
/// use arithsim::datapath::{ErrorStats, OutputGrid};
///
/// let s = ErrorStats::compare(&[1.0, 2.5], &[1.0, 2.0], OutputGrid::Uniform { step: 0.5 })?;
/// assert_eq!(s.max_abs, 0.5);
/// assert_eq!(s.max_ulp, 1.0);
/// assert_eq!(s.max_rel, 0.25);
/// assert!((s.sqnr_db - 10.0 * (5.0f64 / 0.25).log10()).abs() < 1e-12);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ErrorStats {
    /// Elements compared.
    pub count: usize,
    /// `max |a − r|`.
    pub max_abs: f64,
    /// `sqrt(mean((a − r)²))` (computed scaled, so it neither overflows nor underflows
    /// where the result is representable).
    pub rms: f64,
    /// `max |a − r| / |r|` over elements with `r ≠ 0` (0 if every reference is 0).
    pub max_rel: f64,
    /// `max |a − r| / ulp(r)` in the output grid.
    pub max_ulp: f64,
    /// Signal-to-quantization-noise ratio `10·log10(Σr² / Σ(a − r)²)` in dB, from sums
    /// scaled before squaring (right for values near 1e±200); `+∞` when the output is exact,
    /// `−∞` when an output is not finite or the reference is all zeros.
    pub sqnr_db: f64,
    /// Elements where `actual` is NaN or infinite while the reference is finite (they make
    /// the other statistics infinite or NaN).
    pub non_finite: usize,
}

impl ErrorStats {
    /// Compares element by element.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] for different lengths or empty slices; [`Error::InvalidParameter`]
    /// for a reference value that is not finite or a uniform step that is not finite and
    /// positive.
    pub fn compare(actual: &[f64], reference: &[f64], grid: OutputGrid) -> Result<Self> {
        check_len(
            "actual",
            actual.len(),
            reference.len(),
            "the reference length",
        )?;
        if reference.is_empty() {
            return Err(Error::Shape("error statistics of an empty output".into()));
        }
        if let OutputGrid::Uniform { step } = grid {
            if !(step.is_finite() && step > 0.0) {
                return Err(Error::param(
                    "grid step",
                    step,
                    "must be finite and positive",
                ));
            }
        }
        if let Some((i, r)) = reference.iter().enumerate().find(|(_, r)| !r.is_finite()) {
            return Err(Error::param(
                "reference value",
                r,
                format!("element {i} must be finite"),
            ));
        }
        let mut acc = ErrorAccumulator::default();
        let (mut max_ulp, mut non_finite) = (0.0f64, 0);
        let error = |a: f64, r: f64| {
            if a.is_finite() {
                (a - r).abs()
            } else {
                f64::INFINITY
            }
        };
        for (&a, &r) in actual.iter().zip(reference) {
            let e = error(a, r);
            non_finite += usize::from(e.is_infinite());
            acc.add(e, r);
            max_ulp = max_ulp.max(e / grid.ulp(r));
        }
        // RMS and SQNR from sums of squares scaled by the largest magnitude first: squares
        // of values near 1e200 overflow (inf / inf = NaN) and near 1e-200 underflow (0 / 0
        // read as exact).
        let sr = reference.iter().fold(0.0f64, |m, r| m.max(r.abs()));
        let se = acc.max_abs;
        let scaled_sum = |s: f64, it: &mut dyn Iterator<Item = f64>| -> f64 {
            it.map(|x| (x / s) * (x / s)).sum()
        };
        let (rms, sqnr_db) = if se == 0.0 {
            (0.0, f64::INFINITY)
        } else if se.is_infinite() {
            (f64::INFINITY, f64::NEG_INFINITY)
        } else {
            let pairs = || actual.iter().zip(reference).map(|(&a, &r)| error(a, r));
            let noise = scaled_sum(se, &mut pairs());
            let rms = se * (noise / actual.len() as f64).sqrt();
            let sqnr = if sr == 0.0 {
                f64::NEG_INFINITY
            } else {
                let signal = scaled_sum(sr, &mut reference.iter().copied());
                10.0 * (signal / noise).log10() + 20.0 * (sr / se).log10()
            };
            (rms, sqnr)
        };
        Ok(ErrorStats {
            count: actual.len(),
            max_abs: acc.max_abs,
            rms,
            max_rel: acc.max_rel,
            max_ulp,
            sqnr_db,
            non_finite,
        })
    }
}

/// Running sums of one error stream: the one place where absolute, squared and relative
/// errors are accumulated, for [`ErrorStats`] (kernel outputs) and
/// [`ErrorMetrics`](super::ErrorMetrics) (circuits against a reference function).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct ErrorAccumulator {
    /// Values seen.
    pub count: u64,
    /// Values with a non-zero error.
    pub wrong: u64,
    /// `Σ |e|`.
    pub sum_abs: f64,
    /// `Σ e²`.
    pub sum_sq: f64,
    /// `max |e|`.
    pub max_abs: f64,
    /// `Σ |e| / |r|` over references `r ≠ 0`.
    pub sum_rel: f64,
    /// References `r ≠ 0` seen.
    pub nonzero_refs: u64,
    /// `max |e| / |r|` over references `r ≠ 0`.
    pub max_rel: f64,
}

impl ErrorAccumulator {
    /// Adds one value with absolute error `e` (`≥ 0`, may be infinite) and reference `r`.
    #[inline]
    pub fn add(&mut self, e: f64, r: f64) {
        self.count += 1;
        self.wrong += u64::from(e != 0.0);
        self.sum_abs += e;
        self.sum_sq += e * e;
        self.max_abs = self.max_abs.max(e);
        if r != 0.0 {
            let rel = e / r.abs();
            self.sum_rel += rel;
            self.nonzero_refs += 1;
            self.max_rel = self.max_rel.max(rel);
        }
    }

    /// Adds the sums of `other` (a later part of the same stream): merging partial
    /// accumulators in a fixed order gives the same bits whatever computed them.
    pub fn merge(&mut self, other: &ErrorAccumulator) {
        self.count += other.count;
        self.wrong += other.wrong;
        self.sum_abs += other.sum_abs;
        self.sum_sq += other.sum_sq;
        self.max_abs = self.max_abs.max(other.max_abs);
        self.sum_rel += other.sum_rel;
        self.nonzero_refs += other.nonzero_refs;
        self.max_rel = self.max_rel.max(other.max_rel);
    }

    /// Mean squared error (0 when nothing was added).
    pub fn mse(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.sum_sq / self.count as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_ulp_matches_native_spacing() {
        let fp32 = OutputGrid::Float(FloatFormat::FP32);
        for x in [
            1.0f32,
            1.5,
            3.0e-3,
            1.0e30,
            f32::MIN_POSITIVE,
            1.0e-40,
            -7.0,
        ] {
            let next = f32::from_bits(x.abs().to_bits() + 1);
            assert_eq!(fp32.ulp(x as f64), (next - x.abs()) as f64, "{x}");
        }
        let fp16 = OutputGrid::Float(FloatFormat::FP16);
        assert_eq!(fp16.ulp(1.0), 2f64.powi(-10));
        assert_eq!(fp16.ulp(0.0), 2f64.powi(-24));
        assert_eq!(fp16.ulp(1e-6), 2f64.powi(-24));
        // FNUZ E4M3 has bias 8: smallest normal 2^-7, subnormal spacing 2^-10.
        let fnuz = OutputGrid::Float(FloatFormat::FP8_E4M3FNUZ);
        assert_eq!(fnuz.ulp(0.0), 2f64.powi(-10));
        assert_eq!(fnuz.ulp(1.0), 2f64.powi(-3));
    }
}
