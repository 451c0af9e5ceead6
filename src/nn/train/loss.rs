//! Softmax cross-entropy, with an exponential written out in plain f64 arithmetic.
//!
//! `exp` from the platform's libm may differ in the last bit between libm versions; the
//! training loop must not, so [`exp_det`] uses only `+ − × ÷` and exact scaling by a power
//! of two (range reduction by `ln 2`, a degree-13 Taylor polynomial on `|r| ≤ ln2/2`,
//! relative error below 1e-15), and the result is rounded once to f32. Same bits on every
//! IEEE-754 platform.

use super::Tensor;
use crate::{Error, Result};

/// `e^x` for `x ≤ 0` (what softmax needs after subtracting the maximum), deterministic on
/// every platform; 0 below −104 (under the smallest f32 subnormal).
///
/// # Examples
///
/// ```
/// use arithsim::nn::train::exp_det;
///
/// assert_eq!(exp_det(0.0), 1.0);
/// assert!((exp_det(-1.0) - (-1.0f32).exp()).abs() <= f32::EPSILON);
/// ```
#[must_use]
pub fn exp_det(x: f32) -> f32 {
    let x = f64::from(x);
    if x.is_nan() {
        return f32::NAN;
    }
    if x < -104.0 {
        return 0.0;
    }
    const LN2: f64 = std::f64::consts::LN_2;
    // k = nearest integer to x / ln 2; `round` is exact, so any implementation agrees.
    let k = (x / LN2).round();
    let r = x - k * LN2;
    let mut p = 1.0f64;
    for i in (1..=13).rev() {
        p = 1.0 + p * r / f64::from(i);
    }
    // 2^k for k in −151..=0 (x ≤ 0 here): exact through two normal-range factors.
    let k = k as i32;
    let half = k / 2;
    let scale = |e: i32| f64::from_bits(((e + 1023) as u64) << 52);
    (p * scale(half) * scale(k - half)) as f32
}

/// Mean softmax cross-entropy of `logits` (`[batch, classes]`) against `labels`, and its
/// gradient `(softmax − one_hot) / batch`.
///
/// # Examples
///
/// ```
/// use arithsim::nn::train::{Tensor, softmax_cross_entropy};
///
/// let logits = Tensor::new(vec![1, 2], vec![0.0, 0.0])?;
/// let (loss, grad) = softmax_cross_entropy(&logits, &[1])?;
/// assert!((loss - 2f64.ln()).abs() < 1e-7);
/// assert_eq!(grad.data(), [0.5, -0.5]);
/// # Ok::<(), arithsim::Error>(())
/// ```
///
/// The softmax subtracts the row maximum, exponentiates with [`exp_det`], sums classes
/// ascending in f32 and divides. The loss (a figure to print, not used by the gradient) is
/// `ln Σe − (z_y − max)` in f64.
///
/// # Errors
///
/// [`Error::Shape`] when `logits` is not `[batch, classes]` with `batch = labels.len() ≥ 1`;
/// [`Error::OutOfRange`] for a label `≥ classes`.
pub fn softmax_cross_entropy(logits: &Tensor, labels: &[usize]) -> Result<(f64, Tensor)> {
    let shape = logits.shape();
    if shape.len() != 2 || shape[0] != labels.len() || labels.is_empty() || shape[1] == 0 {
        return Err(Error::Shape(format!(
            "softmax cross-entropy: logits {shape:?} for {} labels",
            labels.len()
        )));
    }
    let (n, k) = (shape[0], shape[1]);
    let mut grad = Vec::with_capacity(n * k);
    let mut loss = 0.0f64;
    for (row, &y) in logits.data().chunks_exact(k).zip(labels) {
        if y >= k {
            return Err(Error::OutOfRange {
                value: y.to_string(),
                min: "0".into(),
                max: (k - 1).to_string(),
                what: "class label".into(),
            });
        }
        let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let e: Vec<f32> = row.iter().map(|&z| exp_det(z - max)).collect();
        let sum: f32 = e.iter().fold(0.0, |a, &b| a + b);
        loss += f64::from(sum).ln() - f64::from(row[y] - max);
        for (c, &ec) in e.iter().enumerate() {
            let p = ec / sum;
            let t = if c == y { 1.0 } else { 0.0 };
            grad.push((p - t) / n as f32);
        }
    }
    Ok((loss / n as f64, Tensor::new(vec![n, k], grad)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_det_is_close_to_libm() {
        for i in 0..=2000 {
            let x = -(i as f32) * 0.05;
            let want = f64::from(x).exp();
            let got = f64::from(exp_det(x));
            let tol = want * 1.2e-7 + 1e-45;
            assert!((got - want).abs() <= tol, "x={x}: {got} vs {want}");
        }
        assert_eq!(exp_det(0.0), 1.0);
        assert_eq!(exp_det(-200.0), 0.0);
        assert!(exp_det(f32::NAN).is_nan());
    }

    #[test]
    fn cross_entropy_of_uniform_logits_is_ln_classes() {
        let logits = Tensor::new(vec![2, 4], vec![0.5; 8]).unwrap();
        let (loss, g) = softmax_cross_entropy(&logits, &[1, 3]).unwrap();
        assert!((loss - 4f64.ln()).abs() < 1e-6);
        assert_eq!(g.data()[1], (0.25 - 1.0) / 2.0);
        assert_eq!(g.data()[0], 0.25 / 2.0);
        assert!(softmax_cross_entropy(&logits, &[1, 4]).is_err());
        assert!(softmax_cross_entropy(&logits, &[1]).is_err());
    }
}
