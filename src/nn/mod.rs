//! Networks that run: a layer graph, safetensors checkpoints, and an executor that runs a
//! trained network through the [`datapath`](crate::datapath) kernels in any number format,
//! every MAC counted, so accuracy and cost come from the same bit-exact run.
//!
//! - [`data`]: the 8×8 digits data set and its fixed split (see `docs/networks-training.md`).
//! - [`train`]: a small bit-reproducible f32 trainer (hand-written backward passes) that
//!   produced the checkpoints under `data/networks/`.
//! - [`Network`]: dense, conv2d (stride, padding, groups), ReLU, max/avg pool, flatten and
//!   residual add nodes, shapes checked once (errors name the layer); [`argmax`].
//! - [`Checkpoint`]: safetensors F32/F16/BF16 tensors (errors name the tensor), and the
//!   presets [`digits_mlp`] and [`digits_cnn`].
//! - [`Format`]: FP32, FP16/BF16 with and without FP32 accumulation, FP8 with FP32 or FP16
//!   accumulation, integer-only INT8 (TFLite), 4-bit weights, MX, pruned weights.
//! - [`Executor`]: a network prepared for one format, run on images in parallel (rayon),
//!   bit-identical whatever the thread count.
//! - [`forward_f32`]: the same network on native `f32` (baseline and calibration);
//!   [`calibrate`]: activation ranges by min/max or percentile.
//!
//! The recipes (where scales come from, where rounding happens) are in `docs/networks.md`.
//!
//! # Examples
//!
//! ```
//! use arithsim::nn::{Checkpoint, Executor, Format, Tensor, digits_mlp};
//! use arithsim::quant::normal_tensor;
//!
//! // A checkpoint of random weights with the digits MLP's names and shapes.
//! let mut c = Checkpoint::default();
//! for (name, out, inp) in [("fc1", 16, 64), ("fc2", 16, 16), ("fc3", 10, 16)] {
//!     let w = normal_tensor(out * inp, 0.3, 7)?;
//!     c.insert(format!("{name}.weight"), Tensor { shape: vec![out, inp], data: w });
//!     c.insert(format!("{name}.bias"), Tensor { shape: vec![out], data: vec![0.0; out] });
//! }
//! let net = digits_mlp(&Checkpoint::from_bytes(&c.to_bytes()?, "random")?)?;
//! let images = vec![vec![0.5f32; 64], vec![0.25; 64]];
//! let fp32 = Executor::new(&net, &Format::fp32(), &[])?.run(&images)?;
//! assert_eq!(fp32.logits[0].len(), 10);
//! assert_eq!(fp32.tally.total() > 0, true);
//! # Ok::<(), arithsim::Error>(())
//! ```

pub mod data;
pub mod finetune;
pub mod train;

mod calibrate;
mod checkpoint;
mod compress;
mod exec_float;
mod exec_int8;
mod executor;
mod format;
mod graph;
mod native;

pub use calibrate::calibrate;
pub use checkpoint::{Checkpoint, DIGITS_SIDE, Tensor, digits_cnn, digits_mlp};
pub use compress::{compress, int4_group};
pub use executor::{Executor, RunOutput, agreement};
pub use format::{Arithmetic, Calibration, Format, Int8Config, WeightCompression};
pub use graph::{Conv2d, Dense, Network, Node, Op, argmax};
pub use native::{fma_f32, forward_f32};

use crate::datapath::{ErrorStats, OutputGrid};
use crate::{Error, Result};

/// Signal-to-quantization-noise ratio in dB of `logits` against `reference` (all images'
/// logits together): `10·log10(Σ r² / Σ (x − r)²)`; infinite when equal.
///
/// # Errors
///
/// [`Error::Shape`] when the image counts or logit counts differ, or there are none.
///
/// # Examples
///
/// ```
/// let r = vec![vec![1.0, -1.0]];
/// let x = vec![vec![1.1, -1.0]];
/// let db = arithsim::nn::logit_sqnr_db(&x, &r)?;
/// assert!((db - 10.0 * (2.0f64 / 0.01).log10()).abs() < 1e-6);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn logit_sqnr_db(logits: &[Vec<f64>], reference: &[Vec<f64>]) -> Result<f64> {
    if logits.len() != reference.len()
        || logits
            .iter()
            .zip(reference)
            .any(|(a, b)| a.len() != b.len())
    {
        return Err(Error::Shape(format!(
            "comparing logits of {} images with {} reference images of other lengths",
            logits.len(),
            reference.len()
        )));
    }
    let a: Vec<f64> = logits.iter().flatten().copied().collect();
    let r: Vec<f64> = reference.iter().flatten().copied().collect();
    Ok(ErrorStats::compare(&a, &r, OutputGrid::Uniform { step: 1.0 })?.sqnr_db)
}

/// The guide `docs/networks.md`, included here so that its examples compile (and run, unless marked
/// `no_run`) as doctests and cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../docs/networks.md")]
pub struct NetworksGuide;
