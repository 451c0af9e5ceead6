//! Reproducible synthetic weight tensors: normal and heavy-tailed (Student's t), from the
//! crate's [`SplitMix64`] generator, for comparing weight formats on the same tensors.
//!
//! Trained LLM weights are close to normal inside a layer (the premise of NF4, Dettmers et
//! al. 2023) with a few outliers; Student's t with few degrees of freedom stands in for the
//! outliers.

use rand_core::{Rng, SeedableRng};

use crate::cost::SplitMix64;
use crate::limits::DATAPATH_MAX_TENSOR_ELEMENTS;
use crate::{Error, Result};

/// A uniform sample in `(0, 1]` from the top 53 bits (never 0, so `ln` is finite).
fn uniform(rng: &mut SplitMix64) -> f64 {
    ((rng.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64
}

/// A standard normal sample (Box–Muller, cosine branch).
fn standard_normal(rng: &mut SplitMix64) -> f64 {
    let (u1, u2) = (uniform(rng), uniform(rng));
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
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

/// `n` samples of `N(0, std²)` as f32, reproducible from `seed`.
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
    let mut rng = SplitMix64::seed_from_u64(seed);
    Ok((0..n)
        .map(|_| (std * standard_normal(&mut rng)) as f32)
        .collect())
}

/// `n` samples of Student's t with `dof` degrees of freedom, scaled to standard deviation
/// `std` (`t · std · sqrt((dof − 2)/dof)`), reproducible from `seed`: `t = Z / sqrt(χ²/dof)`
/// with `χ²` the sum of `dof` squared normals. `dof = 3` has a finite variance and a
/// kurtosis that does not exist: rare large outliers.
///
/// # Errors
///
/// As [`normal_tensor`]; [`Error::InvalidParameter`] for `dof < 3` (no finite variance to
/// scale by) or above 1000; [`Error::Shape`] when `n · (dof + 1)` normal draws exceed
/// [`DATAPATH_MAX_TENSOR_ELEMENTS`].
pub fn student_t_tensor(n: usize, dof: u32, std: f64, seed: u64) -> Result<Vec<f32>> {
    check(n, std)?;
    // Each sample draws `dof + 1` normals: bound the work, not just the size.
    if (n as u64).saturating_mul(u64::from(dof) + 1) > DATAPATH_MAX_TENSOR_ELEMENTS as u64 {
        return Err(Error::Shape(format!(
            "{n} Student-t samples of {dof} degrees of freedom draw more than \
             DATAPATH_MAX_TENSOR_ELEMENTS = {DATAPATH_MAX_TENSOR_ELEMENTS} normals"
        )));
    }
    if !(3..=1000).contains(&dof) {
        return Err(Error::param(
            "dof",
            dof,
            "must be 3..=1000 (a finite variance)",
        ));
    }
    let k = std * ((f64::from(dof) - 2.0) / f64::from(dof)).sqrt();
    let mut rng = SplitMix64::seed_from_u64(seed);
    Ok((0..n)
        .map(|_| {
            let z = standard_normal(&mut rng);
            let chi2: f64 = (0..dof).map(|_| standard_normal(&mut rng).powi(2)).sum();
            (k * z / (chi2 / f64::from(dof)).sqrt()) as f32
        })
        .collect())
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
