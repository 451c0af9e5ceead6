//! Reproducible synthetic weight tensors: normal and heavy-tailed (Student's t), from
//! `rand_distr`'s samplers driven by the crate's seeded [`SplitMix64`] generator, for
//! comparing weight formats on the same tensors.
//!
//! Trained LLM weights are close to normal inside a layer (the premise of NF4, Dettmers et
//! al. 2023) with a few outliers; Student's t with few degrees of freedom stands in for the
//! outliers.

use rand_core::SeedableRng;
use rand_distr::{Distribution, StandardNormal, StudentT};

use crate::cost::SplitMix64;
use crate::limits::DATAPATH_MAX_TENSOR_ELEMENTS;
use crate::{Error, Result};

/// `n` draws of `sample`, each scaled by `k`, rounded to f32.
fn draw(n: usize, k: f64, seed: u64, sample: impl Distribution<f64>) -> Vec<f32> {
    sample
        .sample_iter(SplitMix64::seed_from_u64(seed))
        .take(n)
        .map(|x| (k * x) as f32)
        .collect()
}

fn check(n: usize, std: f64) -> Result<()> {
    if n == 0 {
        return Err(Error::Shape(
            "a synthetic tensor needs at least one element".into(),
        ));
    }
    if n > DATAPATH_MAX_TENSOR_ELEMENTS {
        return Err(Error::Shape(format!(
            "a synthetic tensor of {n} elements is more than DATAPATH_MAX_TENSOR_ELEMENTS = \
             {DATAPATH_MAX_TENSOR_ELEMENTS}"
        )));
    }
    if !(std.is_finite() && std > 0.0) {
        return Err(Error::param("std", std, "must be finite and positive"));
    }
    Ok(())
}

/// `n` samples of `N(0, std²)` as f32, reproducible from `seed` (`rand_distr`'s
/// [`StandardNormal`], scaled by `std`).
///
/// # Errors
///
/// [`Error::Shape`] for `n = 0`; [`Error::InvalidParameter`] for a `std` that is not
/// finite and positive.
///
/// # Examples
///
/// ```
/// use arithsim::quant::normal_tensor;
///
/// let w = normal_tensor(10_000, 0.02, 1)?;
/// let var = w.iter().map(|&x| (x as f64).powi(2)).sum::<f64>() / w.len() as f64;
/// assert!((var.sqrt() - 0.02).abs() < 0.001);
/// assert_eq!(w, normal_tensor(10_000, 0.02, 1)?); // same seed, same tensor
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn normal_tensor(n: usize, std: f64, seed: u64) -> Result<Vec<f32>> {
    check(n, std)?;
    Ok(draw(n, std, seed, StandardNormal))
}

/// `n` samples of Student's t with `dof` degrees of freedom, scaled to standard deviation
/// `std` (`t · std · sqrt((dof − 2)/dof)`), reproducible from `seed` (`rand_distr`'s
/// [`StudentT`]: a normal over the square root of a gamma-distributed `χ²/dof`, constant
/// work per sample). `dof = 3` has a finite variance and a kurtosis that does not exist:
/// rare large outliers.
///
/// # Errors
///
/// As [`normal_tensor`]; [`Error::InvalidParameter`] for `dof < 3` (no finite variance to
/// scale by) or above 1000.
///
/// # Examples
///
/// ```
/// use arithsim::quant::student_t_tensor;
///
/// let w = student_t_tensor(10_000, 4, 0.02, 1)?;
/// let max = w.iter().fold(0.0f32, |m, x| m.max(x.abs()));
/// assert!(max > 0.1); // outliers beyond 5 standard deviations
/// assert_eq!(w, student_t_tensor(10_000, 4, 0.02, 1)?);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn student_t_tensor(n: usize, dof: u32, std: f64, seed: u64) -> Result<Vec<f32>> {
    check(n, std)?;
    if !(3..=1000).contains(&dof) {
        return Err(Error::param(
            "dof",
            dof,
            "must be 3..=1000 (a finite variance)",
        ));
    }
    let dof = f64::from(dof);
    let t = StudentT::new(dof)
        .map_err(|e| Error::param("dof", dof, format!("rejected by rand_distr: {e}")))?;
    Ok(draw(n, std * ((dof - 2.0) / dof).sqrt(), seed, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(w: &[f32]) -> (f64, f64, f64) {
        let n = w.len() as f64;
        let mean = w.iter().map(|&x| x as f64).sum::<f64>() / n;
        let var = w.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / n;
        let m4 = w.iter().map(|&x| (x as f64 - mean).powi(4)).sum::<f64>() / n;
        (mean, var.sqrt(), m4 / (var * var))
    }

    #[test]
    fn normal_has_its_moments() {
        let (mean, std, kurt) = moments(&normal_tensor(200_000, 1.0, 7).unwrap());
        assert!(mean.abs() < 0.01, "{mean}");
        assert!((std - 1.0).abs() < 0.01, "{std}");
        assert!((kurt - 3.0).abs() < 0.1, "{kurt}");
    }

    #[test]
    fn student_t_is_heavy_tailed_with_the_asked_std() {
        let w = student_t_tensor(200_000, 5, 0.5, 7).unwrap();
        let (_, std, kurt) = moments(&w);
        assert!((std - 0.5).abs() < 0.02, "{std}");
        // t with 5 degrees of freedom: excess kurtosis 6, kurtosis 9 (sample estimate noisy).
        assert!(kurt > 5.0, "{kurt}");
    }

    #[test]
    fn bad_parameters_are_errors() {
        assert!(matches!(normal_tensor(0, 1.0, 0), Err(Error::Shape(_))));
        assert!(
            normal_tensor(4, f64::NAN, 0)
                .unwrap_err()
                .to_string()
                .contains("std")
        );
        assert!(
            student_t_tensor(4, 2, 1.0, 0)
                .unwrap_err()
                .to_string()
                .contains("dof")
        );
    }
}
