//! Activation ranges for integer-only inference, from native-f32 runs on calibration images.

use rayon::prelude::*;

use super::format::Calibration;
use super::graph::Network;
use super::native::forward_f32;
use crate::{Error, Result};

/// The real range `[lo, hi]` of every value of the network (input first, then each node's
/// output) over `images`, by `how`.
///
/// Percentile `p`: `lo` is the value of rank `⌊(1 − p/100)·(n − 1)⌋` and `hi` the value of
/// rank `⌈p/100 · (n − 1)⌉` among the `n` values seen (sorted), so `p = 100` is min/max.
///
/// # Errors
///
/// [`Error::Shape`] for no images or an image of the wrong length;
/// [`Error::InvalidParameter`] for a non-finite activation or a percentile outside (50, 100].
///
/// # Examples
///
/// ```
/// use arithsim::nn::{Calibration, Dense, Network, Node, Op, calibrate};
///
/// let fc = Dense { outputs: 1, inputs: 1, weight: vec![2.0], bias: vec![0.0] };
/// let net = Network::new("t", vec![1], vec![Node::chained("fc", Op::Dense(fc), 0)])?;
/// let r = calibrate(&net, &[vec![1.0], vec![-3.0]], Calibration::MinMax)?;
/// assert_eq!(r[1], (-6.0, 2.0));
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn calibrate(net: &Network, images: &[Vec<f32>], how: Calibration) -> Result<Vec<(f64, f64)>> {
    if images.is_empty() {
        return Err(Error::Shape("calibration needs at least one image".into()));
    }
    let p = match how {
        Calibration::MinMax => 100.0,
        Calibration::Percentile(p) if p > 50.0 && p <= 100.0 => p,
        Calibration::Percentile(p) => {
            return Err(Error::param("percentile", p, "must be in (50, 100]"));
        }
    };
    let runs = images
        .par_iter()
        .map(|im| forward_f32(net, im))
        .collect::<Result<Vec<_>>>()?;
    let values = runs[0].len();
    (0..values)
        .map(|v| {
            let mut all: Vec<f32> = runs.iter().flat_map(|r| r[v].iter().copied()).collect();
            if let Some(bad) = all.iter().find(|x| !x.is_finite()) {
                return Err(Error::param(
                    "activation",
                    bad,
                    format!("value {v} of the network must be finite for calibration"),
                ));
            }
            if p == 100.0 {
                let lo = all.iter().copied().fold(f32::INFINITY, f32::min);
                let hi = all.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                return Ok((f64::from(lo), f64::from(hi)));
            }
            all.sort_by(f32::total_cmp);
            let n = all.len() - 1;
            let lo = ((1.0 - p / 100.0) * n as f64).floor() as usize;
            let hi = ((p / 100.0) * n as f64).ceil() as usize;
            Ok((f64::from(all[lo]), f64::from(all[hi.min(n)])))
        })
        .collect()
}
