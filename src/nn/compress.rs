//! Weight-only compression of a network before it runs: 4-bit formats (quantized and
//! dequantized, so the run sees exactly the values the format stores) and pruning.

use super::format::WeightCompression;
use super::graph::Network;
use crate::Result;
use crate::quant::{WeightFormat, prune_n_m, prune_unstructured};

/// The INT4 group for a reduction of `k` input channels: `min(128, k)` when it divides `k`,
/// otherwise the largest divisor of `k` below 128 (the quantizer needs the group to divide
/// `k`).
///
/// # Examples
///
/// ```
/// use arithsim::nn::int4_group;
/// assert_eq!(int4_group(64), 64);
/// assert_eq!(int4_group(256), 128);
/// assert_eq!(int4_group(144), 72); // 9 · 16 channels: 128 does not divide it
/// ```
#[must_use]
pub fn int4_group(k: usize) -> usize {
    let g = k.min(128);
    (1..=g).rev().find(|d| k % d == 0).unwrap_or(1)
}

/// The network with its weights compressed, and one note per layer whose INT4 group is not
/// `min(128, K)`.
///
/// # Errors
///
/// As the quantizers and pruners of [`crate::quant`] (non-finite weights, a row length not a
/// multiple of 4 for 2:4).
pub fn compress(net: &Network, how: WeightCompression) -> Result<(Network, Vec<String>)> {
    let mut notes = Vec::new();
    let out = match how {
        WeightCompression::None => net.clone(),
        WeightCompression::Int4Group => net.map_weights(|name, rows, cols, w| {
            let group = int4_group(cols);
            if group != cols.min(128) {
                notes.push(format!(
                    "{name}: K = {cols} is not a multiple of {}, INT4 groups of {group}",
                    cols.min(128)
                ));
            }
            let f = WeightFormat::Int4Group {
                group,
                symmetric: false,
            };
            Ok(f.round_trip(w, rows, cols)?
                .into_iter()
                .map(|v| v as f32)
                .collect())
        })?,
        WeightCompression::Nf4 => net.map_weights(|_, rows, cols, w| {
            Ok(WeightFormat::NF4
                .round_trip(w, rows, cols)?
                .into_iter()
                .map(|v| v as f32)
                .collect())
        })?,
        WeightCompression::TwoFour => net.map_weights(|name, rows, cols, w| {
            if cols % 4 != 0 {
                // As NVIDIA's ASP does: a layer whose reduction is not a multiple of 4 stays
                // dense.
                notes.push(format!(
                    "{name}: K = {cols} is not a multiple of 4, left dense"
                ));
                return Ok(w.to_vec());
            }
            Ok(prune_n_m(w, rows, cols, 2, 4)?.values)
        })?,
        WeightCompression::Unstructured(d) => {
            net.map_weights(|_, _, _, w| Ok(prune_unstructured(w, d)?.values))?
        }
    };
    Ok((out, notes))
}
