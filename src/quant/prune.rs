//! Magnitude pruning: unstructured (per tensor or global over several tensors), structured
//! (whole rows, i.e. output channels) and N:M along the reduction dimension.
//!
//! Tensors are row-major `rows × cols` with the reduction along `cols` (a GEMM's `A`, or
//! OIHW convolution weights seen as `O × (C/groups)·KH·KW`). Every method keeps the entries
//! (or rows) of largest magnitude; ties go to the lower index, so results are reproducible.
//! The number kept for a target density `d` is `max(1, round(d · len))`.

use crate::datapath::sparse::check_nm;
use crate::datapath::{ErrorStats, OutputGrid};
use crate::{Error, Result};

/// A pruned tensor: the values with the dropped ones set to zero, and the mask of kept
/// positions (`true` = kept).
///
/// # Examples
///
/// ```
/// use arithsim::quant::prune_unstructured;
///
/// let w: [i8; 6] = [5, -1, 0, -7, 2, 3];
/// let p = prune_unstructured(&w, 0.5)?;
/// assert_eq!(p.values, [5, 0, 0, -7, 0, 3]);
/// assert_eq!(p.mask, [true, false, false, true, false, true]);
/// assert_eq!(p.density(), 0.5);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Pruned<T> {
    /// The pruned tensor (same shape as the input).
    pub values: Vec<T>,
    /// Which positions were kept.
    pub mask: Vec<bool>,
}

impl<T: Copy + Default + Into<f64>> Pruned<T> {
    /// Fraction of positions kept by the mask.
    #[must_use]
    pub fn density(&self) -> f64 {
        self.mask.iter().filter(|&&k| k).count() as f64 / self.mask.len() as f64
    }

    /// The pruned values against the `dense` ones ([`ErrorStats`]: max and RMS error, SQNR)
    /// on `grid` (e.g. `OutputGrid::Uniform { step: 1.0 }` for integers).
    ///
    /// # Errors
    ///
    /// As [`ErrorStats::compare`] (a `dense` of another length).
    pub fn error(&self, dense: &[T], grid: OutputGrid) -> Result<ErrorStats> {
        let a: Vec<f64> = self.values.iter().map(|&v| v.into()).collect();
        let r: Vec<f64> = dense.iter().map(|&v| v.into()).collect();
        ErrorStats::compare(&a, &r, grid)
    }

    /// Fraction of the dense tensor's energy (`Σx²`) the pruned one keeps (1 when every
    /// value is zero).
    #[must_use]
    pub fn kept_energy(&self, dense: &[T]) -> f64 {
        let sq = |v: &[T]| v.iter().map(|&x| x.into().powi(2)).sum::<f64>();
        let d = sq(dense);
        if d == 0.0 { 1.0 } else { sq(&self.values) / d }
    }
}

/// Zeros `x` where `mask` is `false`.
///
/// # Errors
///
/// [`Error::Shape`] naming the mask when its length differs from the tensor's.
pub fn apply_mask<T: Copy + Default>(x: &[T], mask: &[bool]) -> Result<Pruned<T>> {
    if mask.len() != x.len() {
        return Err(Error::Shape(format!(
            "mask has {} elements, expected {} (the tensor's)",
            mask.len(),
            x.len()
        )));
    }
    Ok(Pruned {
        values: x
            .iter()
            .zip(mask)
            .map(|(&v, &k)| if k { v } else { T::default() })
            .collect(),
        mask: mask.to_vec(),
    })
}

fn check_density(density: f64) -> Result<()> {
    if density > 0.0 && density <= 1.0 {
        Ok(())
    } else {
        Err(Error::param(
            "density",
            density,
            "must be in (0, 1] (the fraction of values kept)",
        ))
    }
}

fn magnitudes<T: Copy + Into<f64>>(what: &'static str, x: &[T]) -> Result<Vec<f64>> {
    if x.is_empty() {
        return Err(Error::Shape(format!("{what} is empty")));
    }
    x.iter()
        .enumerate()
        .map(|(i, &v)| {
            let m = v.into().abs();
            if m.is_finite() {
                Ok(m)
            } else {
                // ±inf is no magnitude to rank: it would always be kept, and its square
                // poisons a row norm.
                Err(Error::param(
                    what,
                    format!("element {i}"),
                    format!("is {m}, not finite"),
                ))
            }
        })
        .collect()
}

fn kept_count(density: f64, len: usize) -> usize {
    ((density * len as f64).round() as usize).clamp(1, len)
}

/// Indices of the `keep` largest magnitudes (ties to the lower index).
fn top(mags: &[f64], keep: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..mags.len()).collect();
    idx.sort_by(|&a, &b| mags[b].total_cmp(&mags[a]).then(a.cmp(&b)));
    idx.truncate(keep);
    idx
}

/// Keeps the `max(1, round(density · len))` entries of largest magnitude.
///
/// # Errors
///
/// [`Error::InvalidParameter`] for a density outside (0, 1] or a NaN or infinite element;
/// [`Error::Shape`] for an empty tensor.
pub fn prune_unstructured<T: Copy + Default + Into<f64>>(
    x: &[T],
    density: f64,
) -> Result<Pruned<T>> {
    check_density(density)?;
    let mags = magnitudes("tensor", x)?;
    let mut mask = vec![false; x.len()];
    for i in top(&mags, kept_count(density, x.len())) {
        mask[i] = true;
    }
    apply_mask(x, &mask)
}

/// Global magnitude pruning: one threshold over all `tensors` together (the
/// `max(1, round(density · total))` largest magnitudes of the union are kept), so layers with
/// larger weights keep more of theirs. Each tensor's own density follows from its mask.
///
/// # Errors
///
/// As [`prune_unstructured`]; [`Error::Shape`] for an empty list.
///
/// # Examples
///
/// ```
/// use arithsim::quant::prune_global;
///
/// let big = [10i8, -9, 8, 7];
/// let small = [1i8, -1, 2, 0];
/// let p = prune_global(&[&big[..], &small[..]], 0.5)?;
/// assert_eq!(p[0].density(), 1.0); // the four largest are all in `big`
/// assert_eq!(p[1].values, [0, 0, 0, 0]);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn prune_global<T: Copy + Default + Into<f64>>(
    tensors: &[&[T]],
    density: f64,
) -> Result<Vec<Pruned<T>>> {
    check_density(density)?;
    if tensors.is_empty() {
        return Err(Error::Shape("global pruning of no tensors".into()));
    }
    let mut mags = Vec::new();
    for t in tensors {
        mags.extend(magnitudes("tensor", t)?);
    }
    let mut mask = vec![false; mags.len()];
    for i in top(&mags, kept_count(density, mags.len())) {
        mask[i] = true;
    }
    let mut start = 0;
    tensors
        .iter()
        .map(|t| {
            let p = apply_mask(t, &mask[start..start + t.len()]);
            start += t.len();
            p
        })
        .collect()
}

fn check_matrix(rows: usize, cols: usize, len: usize) -> Result<()> {
    if rows == 0 || cols == 0 || rows.checked_mul(cols) != Some(len) {
        return Err(Error::Shape(format!(
            "tensor has {len} elements, expected rows*cols = {rows}*{cols}"
        )));
    }
    Ok(())
}

/// Structured pruning: keeps the `max(1, round(density · rows))` rows (output channels) of
/// largest L2 norm and zeros the others whole, so the layer really shrinks.
///
/// # Errors
///
/// [`Error::Shape`] when `x` is not `rows·cols` long (or a dimension is 0); as
/// [`prune_unstructured`].
///
/// # Examples
///
/// ```
/// use arithsim::quant::prune_rows;
///
/// let w = [1i8, 1, 9, 0, 0, 2]; // 3 x 2: norms √2, 9, 2
/// assert_eq!(prune_rows(&w, 3, 2, 0.34)?.values, [0, 0, 9, 0, 0, 0]);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn prune_rows<T: Copy + Default + Into<f64>>(
    x: &[T],
    rows: usize,
    cols: usize,
    density: f64,
) -> Result<Pruned<T>> {
    check_density(density)?;
    check_matrix(rows, cols, x.len())?;
    let mags = magnitudes("tensor", x)?;
    // Scaled by the largest magnitude before squaring, so f64 weights near 1e200 do not
    // overflow to equal infinite norms (the ranking is unchanged by a common scale).
    let big = mags.iter().copied().fold(0.0, f64::max);
    let scale = if big > 0.0 { big } else { 1.0 };
    let norms: Vec<f64> = mags
        .chunks_exact(cols)
        .map(|r| r.iter().map(|m| (m / scale) * (m / scale)).sum())
        .collect();
    let mut mask = vec![false; x.len()];
    for r in top(&norms, kept_count(density, rows)) {
        mask[r * cols..(r + 1) * cols].fill(true);
    }
    apply_mask(x, &mask)
}

/// N:M pruning along the reduction: in every group of `m` consecutive elements of a row,
/// keeps the `n` of largest magnitude (2:4 for sparse tensor cores).
///
/// # Errors
///
/// [`Error::InvalidParameter`] naming `n` or `m` when `n` is not in `1..=m` or `m` does not
/// divide `cols`; as [`prune_rows`] for the shape.
///
/// # Examples
///
/// ```
/// use arithsim::quant::prune_n_m;
///
/// let w = [3i8, -8, 1, 5, 0, 0, 0, -1];
/// assert_eq!(prune_n_m(&w, 1, 8, 2, 4)?.values, [0, -8, 0, 5, 0, 0, 0, -1]);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn prune_n_m<T: Copy + Default + Into<f64>>(
    x: &[T],
    rows: usize,
    cols: usize,
    n: usize,
    m: usize,
) -> Result<Pruned<T>> {
    check_matrix(rows, cols, x.len())?;
    check_nm(n, m, cols)?;
    let mags = magnitudes("tensor", x)?;
    let mut mask = vec![false; x.len()];
    for (g, group) in mags.chunks_exact(m).enumerate() {
        for i in top(group, n) {
            mask[g * m + i] = true;
        }
    }
    apply_mask(x, &mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_go_to_the_lower_index_and_counts_round() {
        let p = prune_unstructured(&[1i8, -1, 1, 1], 0.5).unwrap();
        assert_eq!(p.mask, [true, true, false, false]);
        // 10 % of 7 rounds to 1, never 0.
        assert_eq!(
            prune_unstructured(&[0.5f32; 7], 0.1).unwrap().density(),
            1.0 / 7.0
        );
        let p = prune_unstructured(&[3.0f64, -4.0], 0.5).unwrap();
        assert_eq!(p.values, [0.0, -4.0]);
        assert_eq!(p.kept_energy(&[3.0, -4.0]), 16.0 / 25.0);
        let e = p
            .error(&[3.0, -4.0], OutputGrid::Uniform { step: 1.0 })
            .unwrap();
        assert_eq!(e.max_abs, 3.0);
    }

    #[test]
    fn bad_input_names_the_parameter() {
        for d in [0.0, -0.5, 1.5, f64::NAN] {
            let e = prune_unstructured(&[1i8], d).unwrap_err();
            assert!(e.to_string().starts_with("invalid density"), "{e}");
        }
        let e = prune_n_m(&[1i8; 8], 2, 4, 5, 4).unwrap_err();
        assert!(e.to_string().starts_with("invalid n 5"), "{e}");
        let e = prune_n_m(&[1i8; 6], 1, 6, 2, 4).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid m 4: does not divide the reduction length 6"
        );
        assert!(prune_rows(&[1i8; 6], 4, 2, 0.5).is_err());
        let e = apply_mask(&[1i8; 3], &[true; 2]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "shape error: mask has 2 elements, expected 3 (the tensor's)"
        );
        assert!(prune_unstructured(&[f32::NAN], 0.5).is_err());
        assert!(prune_global::<i8>(&[], 0.5).is_err());
    }
}
