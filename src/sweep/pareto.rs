//! The Pareto front of a set of points over chosen objectives.

use crate::{Error, Result};

/// Whether an objective is better low or high.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sense {
    /// Lower is better (area, delay, energy, cycles, error).
    Minimize,
    /// Higher is better (throughput, utilization).
    Maximize,
}

/// One objective: a metric column and its sense.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Objective {
    /// The metric column's name, as in [`SweepTable::metric_columns`](super::SweepTable).
    pub column: String,
    /// Better low or high.
    pub sense: Sense,
}

impl Objective {
    /// Lower `column` is better.
    #[must_use]
    pub fn min(column: impl Into<String>) -> Self {
        Objective {
            column: column.into(),
            sense: Sense::Minimize,
        }
    }

    /// Higher `column` is better.
    #[must_use]
    pub fn max(column: impl Into<String>) -> Self {
        Objective {
            column: column.into(),
            sense: Sense::Maximize,
        }
    }
}

/// Indices (ascending) of the points no other point dominates, each point a slice of
/// objective values already oriented so that lower is better. `a` dominates `b` when it is
/// no worse in every objective and better in one; equal points are all kept. A point with a
/// NaN objective is never on the front and dominates nothing.
///
/// Quadratic in the number of points, which suits sweeps of hundreds to a few thousand
/// points.
///
/// # Errors
///
/// [`Error::InvalidParameter`] when no objective is given or the points have different
/// numbers of values.
///
/// # Examples
///
/// ```
/// use arithsim::sweep::pareto_front;
///
/// // (area, delay): (1, 5) and (3, 2) trade off; (3, 6) is dominated by both.
/// let pts = [vec![1.0, 5.0], vec![3.0, 6.0], vec![3.0, 2.0]];
/// assert_eq!(pareto_front(&pts)?, [0, 2]);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn pareto_front(points: &[Vec<f64>]) -> Result<Vec<usize>> {
    let Some(first) = points.first() else {
        return Ok(Vec::new());
    };
    let k = first.len();
    if k == 0 {
        return Err(Error::param(
            "objectives",
            0,
            "a Pareto front needs at least one objective",
        ));
    }
    if let Some(bad) = points.iter().find(|p| p.len() != k) {
        return Err(Error::param(
            "objective values",
            bad.len(),
            format!("every point needs {k} values"),
        ));
    }
    let valid = |p: &[f64]| p.iter().all(|v| !v.is_nan());
    let dominates = |a: &[f64], b: &[f64]| {
        a.iter().zip(b).all(|(x, y)| x <= y) && a.iter().zip(b).any(|(x, y)| x < y)
    };
    Ok((0..points.len())
        .filter(|&i| {
            valid(&points[i]) && !points.iter().any(|q| valid(q) && dominates(q, &points[i]))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against a brute-force reference written differently: a point is on the front iff for
    /// every other point some objective is strictly better or all are equal.
    #[test]
    fn matches_a_brute_force_reference_on_a_grid() {
        let mut pts = Vec::new();
        let mut s = 12345u64;
        for _ in 0..200 {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            pts.push(vec![
                (s >> 40) as f64 % 17.0,
                (s >> 20) as f64 % 13.0,
                (s >> 50) as f64 % 5.0,
            ]);
        }
        let front = pareto_front(&pts).unwrap();
        let reference: Vec<usize> = (0..pts.len())
            .filter(|&i| {
                pts.iter().all(|q| {
                    q == &pts[i] || (0..3).any(|j| pts[i][j] < q[j]) || {
                        // q is no better anywhere: not dominating
                        (0..3).all(|j| q[j] >= pts[i][j])
                    }
                })
            })
            .collect();
        assert_eq!(front, reference);
        assert!(!front.is_empty() && front.len() < pts.len());
    }

    #[test]
    fn duplicates_nan_and_bad_shapes() {
        let pts = [
            vec![1.0, 1.0],
            vec![1.0, 1.0],
            vec![f64::NAN, 0.0],
            vec![2.0, 2.0],
        ];
        assert_eq!(pareto_front(&pts).unwrap(), [0, 1]);
        assert!(pareto_front(&[vec![1.0], vec![1.0, 2.0]]).is_err());
        assert!(pareto_front(&[vec![]]).is_err());
        assert!(pareto_front(&[]).unwrap().is_empty());
    }
}
