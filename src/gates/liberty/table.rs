//! NLDM lookup tables: a value per (input slew, output load), interpolated bilinearly and
//! extrapolated linearly beyond the table's edges, as OpenSTA does.

/// One NLDM table (delay, output slew or internal energy), in ns / fF / fJ.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Input-slew points in ns (one point, or empty, when the table does not vary with it).
    pub slew_ns: Vec<f64>,
    /// Output-load points in fF (one point, or empty, when the table does not vary with it).
    pub load_ff: Vec<f64>,
    /// Values, slew-major: `values[i * load_ff.len().max(1) + j]`.
    pub values: Vec<f64>,
}

/// Index of the segment `[x[k], x[k+1]]` used for `v`: clamped to the first and last
/// segment, so values outside the axis extrapolate the edge segment.
fn segment(x: &[f64], v: f64) -> usize {
    let n = x.len();
    if n < 2 {
        return 0;
    }
    let mut k = 0;
    while k + 2 < n && v >= x[k + 1] {
        k += 1;
    }
    k
}

/// Fraction of the way from `x[k]` to `x[k+1]` (0 for a one-point axis).
fn frac(x: &[f64], k: usize, v: f64) -> f64 {
    if x.len() < 2 || x[k + 1] == x[k] {
        0.0
    } else {
        (v - x[k]) / (x[k + 1] - x[k])
    }
}

impl Table {
    /// The value at input slew `slew_ns` and output load `load_ff`.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::gates::liberty::Table;
    ///
    /// let t = Table { slew_ns: vec![0.0, 1.0], load_ff: vec![0.0, 10.0], values: vec![0.0, 1.0, 2.0, 3.0] };
    /// assert_eq!(t.lookup(0.5, 5.0), 1.5);
    /// assert_eq!(t.lookup(2.0, 0.0), 4.0); // extrapolated
    /// ```
    #[must_use]
    pub fn lookup(&self, slew_ns: f64, load_ff: f64) -> f64 {
        let ns = self.slew_ns.len().max(1);
        let nl = self.load_ff.len().max(1);
        let (i, j) = (
            segment(&self.slew_ns, slew_ns),
            segment(&self.load_ff, load_ff),
        );
        let (u, w) = (
            frac(&self.slew_ns, i, slew_ns),
            frac(&self.load_ff, j, load_ff),
        );
        let at = |a: usize, b: usize| self.values[a.min(ns - 1) * nl + b.min(nl - 1)];
        let v00 = at(i, j);
        let v01 = at(i, j + 1);
        let v10 = at(i + 1, j);
        let v11 = at(i + 1, j + 1);
        (1.0 - u) * (1.0 - w) * v00 + (1.0 - u) * w * v01 + u * (1.0 - w) * v10 + u * w * v11
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_dimensional_and_scalar_tables() {
        let slew_only = Table {
            slew_ns: vec![1.0, 3.0],
            load_ff: vec![],
            values: vec![10.0, 30.0],
        };
        assert_eq!(slew_only.lookup(2.0, 99.0), 20.0);
        assert_eq!(slew_only.lookup(0.0, 0.0), 0.0);
        let scalar = Table {
            slew_ns: vec![],
            load_ff: vec![],
            values: vec![7.0],
        };
        assert_eq!(scalar.lookup(5.0, 5.0), 7.0);
        let t = Table {
            slew_ns: vec![0.0, 1.0, 2.0],
            load_ff: vec![0.0, 1.0],
            values: vec![0.0, 1.0, 1.0, 2.0, 4.0, 5.0],
        };
        // in the second slew segment: 1 + 3 * 0.5 at load 0, plus 1 per unit load
        assert!((t.lookup(1.5, 0.5) - 3.0).abs() < 1e-12);
        assert!((t.lookup(3.0, 0.0) - 7.0).abs() < 1e-12);
    }
}
