//! LoRA and QLoRA in miniature: a frozen base (FP32, INT8 or NF4 with double quantization)
//! of the digits MLP, rank-`r` adapters on its hidden layers, trained with the crate's
//! training loop ([`crate::nn::train::fit`]); the adapters then merged into
//! the weights for the bit-exact [`Executor`].
//!
//! # The base and its formats
//!
//! [`BaseFormat::round_trip`] gives the values the executor uses for a stored weight, and the
//! frozen base is built from exactly those values:
//!
//! - **FP32**: the checkpoint's weights; run by [`Format::fp32`].
//! - **INT8**: symmetric narrow INT8 (`[−127, 127]`), one scale `max |w| / 127` (f64) per
//!   output channel, rounded half away from zero — the weight recipe of the integer-only
//!   executor ([`Int8Config::TFLITE`]), taken from the executor itself
//!   ([`Executor::weight_values`]), which also quantizes the activations (not modelled
//!   while training: the adapter sees FP32 activations).
//! - **NF4 + double quantization**: [`WeightFormat::NF4_DQ`] (QLoRA's blocks of 64, absmax
//!   codes in INT8 blocks of 256), dequantized; run in FP32 arithmetic on those values.
//!
//! The 10-wide classifier `fc3` stays frozen without an adapter (its rank would be at most
//! 10) and is stored in the base's format like the others (unlike QLoRA on an LLM, whose
//! head stays 16-bit: here it is 320 of 6,464 weights).
//!
//! # Adapters and merging
//!
//! An adapted layer computes `y = W·x + b + (α/r)·B·(A·x)` with `A[r × k]`, `B[d × r]`
//! (`r·(d + k)` trainable values, [`adapter_params`]); `A` starts uniform in `±1/√k`
//! (PEFT's Kaiming-uniform bound), `B` at zero, so training starts from the base exactly.
//! Only `A` and `B` are [`Param`]s: the optimiser never sees the base.
//!
//! **Merging** ([`merged_checkpoint`]): `W' = W + (α/r)·B·A` in f32 (each `(B·A)[o][i]`
//! summed over `j` ascending, scaled, added once). `W` is the base's stored values, so:
//!
//! - FP32 base: `W'` runs in FP32.
//! - NF4+DQ base (QLoRA's rule): the adapter stays in higher precision — `W'` is the
//!   dequantized 4-bit base plus the FP32 product, run in FP32, never re-quantized to NF4.
//!   [`BaseFormat::requantized`] gives the other choice (fold the adapter into the 4-bit
//!   weights), which the report measures too.
//! - INT8 base: an integer-only network has no higher-precision path, so `W'` is
//!   re-quantized per channel by the executor: the adapter survives where it moves a weight
//!   across a rounding boundary.
//!
//! # The task shift
//!
//! [`rotate_quarter`]: every image turned 90° clockwise (`out[y][x] = in[7 − x][y]`),
//! labels unchanged. The base, trained on upright digits, fails on it (the report measures
//! how much). The rotation is a permutation of the 64 inputs, so full fine-tuning of `fc1`
//! alone could undo it exactly (`fc1' = fc1·P`, a change of full rank): a rank-`r` adapter
//! can only approximate it, which is what the rank sweep measures.

use super::Bench;
use crate::accel::FinetuneMemory;
use crate::cost::SplitMix64;
use crate::nn::train::{Dense, Flatten, Layer, Macs, Network, Param, Relu, Tensor};
use crate::nn::{Arithmetic, Checkpoint, Executor, Format, Int8Config, WeightCompression};
use crate::quant::WeightFormat;
use crate::{Error, Result};
use rand_core::Rng;

/// The dense layers of the digits MLP, in order: `(name, inputs, outputs)`.
const MLP_LAYERS: [(&str, usize, usize); 3] = [("fc1", 64, 64), ("fc2", 64, 32), ("fc3", 32, 10)];

/// The layers that take adapters: the hidden ones.
pub const ADAPTED: [&str; 2] = ["fc1", "fc2"];

/// How the frozen base is stored (and run).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BaseFormat {
    /// FP32 weights, FP32 executor.
    Fp32,
    /// INT8 per-channel weights, integer-only INT8 executor.
    Int8,
    /// NF4 with double quantization (QLoRA), FP32 arithmetic on the dequantized values.
    Nf4Dq,
}

impl BaseFormat {
    /// The three bases.
    pub const ALL: [BaseFormat; 3] = [BaseFormat::Fp32, BaseFormat::Int8, BaseFormat::Nf4Dq];

    /// A short name ("FP32", "INT8", "NF4+DQ").
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            BaseFormat::Fp32 => "FP32",
            BaseFormat::Int8 => "INT8",
            BaseFormat::Nf4Dq => "NF4+DQ",
        }
    }

    /// The storage format of the crate's memory model ([`WeightFormat::matrix_bits`]).
    #[must_use]
    pub fn weight_format(self) -> WeightFormat {
        match self {
            BaseFormat::Fp32 => WeightFormat::FP32,
            BaseFormat::Int8 => WeightFormat::INT8_PER_CHANNEL,
            BaseFormat::Nf4Dq => WeightFormat::NF4_DQ,
        }
    }

    /// The format the executor runs the (merged) network in.
    #[must_use]
    pub fn executor_format(self) -> Format {
        match self {
            BaseFormat::Fp32 => Format::fp32(),
            BaseFormat::Int8 => Format::new(
                "INT8 per-channel, min/max",
                Arithmetic::Int8(Int8Config::TFLITE),
                WeightCompression::None,
            ),
            BaseFormat::Nf4Dq => {
                let mut f = Format::fp32();
                f.name = "NF4+DQ weights, FP32 arithmetic".into();
                f
            }
        }
    }

    /// The values a `rows × cols` weight matrix takes when stored in this format (see the
    /// module docs), as f32.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when `w.len() ≠ rows·cols` or it is empty;
    /// [`Error::InvalidParameter`] for a weight that is not finite.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::nn::finetune::lora::BaseFormat;
    ///
    /// let w = [0.5f32, -0.25, 0.1, 1.0];
    /// assert_eq!(BaseFormat::Fp32.round_trip(&w, 2, 2)?, w);
    /// let q = BaseFormat::Int8.round_trip(&w, 2, 2)?;
    /// assert_eq!(q[0], 0.5); // each row's absmax is exact
    /// assert_eq!(BaseFormat::Int8.round_trip(&q, 2, 2)?, q); // stored values are stable
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn round_trip(self, w: &[f32], rows: usize, cols: usize) -> Result<Vec<f32>> {
        if rows == 0 || cols == 0 || w.len() != rows * cols {
            return Err(Error::Shape(format!(
                "a {rows} x {cols} weight matrix with {} values",
                w.len()
            )));
        }
        if let Some(v) = w.iter().find(|v| !v.is_finite()) {
            return Err(Error::param("weight", v, "must be finite"));
        }
        match self {
            BaseFormat::Fp32 => Ok(w.to_vec()),
            BaseFormat::Int8 => {
                // The executor's own weight recipe, read back from a one-layer network (the
                // calibration image only sets activation ranges, which weights ignore).
                let fc = crate::nn::Dense {
                    outputs: rows,
                    inputs: cols,
                    weight: w.to_vec(),
                    bias: vec![0.0; rows],
                };
                let node = crate::nn::Node::chained("w", crate::nn::Op::Dense(fc), 0);
                let net = crate::nn::Network::new("weights", vec![cols], vec![node])?;
                let ex = Executor::new(&net, &self.executor_format(), &[vec![1.0; cols]])?;
                let v = ex
                    .weight_values(0)
                    .ok_or_else(|| Error::Shape("a dense layer without weights".into()))?;
                Ok(v.into_iter().map(|v| v as f32).collect())
            }
            BaseFormat::Nf4Dq => Ok(WeightFormat::NF4_DQ
                .round_trip(w, rows, cols)?
                .into_iter()
                .map(|v| v as f32)
                .collect()),
        }
    }

    /// `c` with every dense weight of the digits MLP replaced by its stored values
    /// ([`round_trip`](Self::round_trip)); biases unchanged.
    ///
    /// # Errors
    ///
    /// [`Error::Table`] for a missing tensor or a shape other than the MLP's; as
    /// [`round_trip`](Self::round_trip).
    pub fn requantized(self, c: &Checkpoint) -> Result<Checkpoint> {
        let mut out = c.clone();
        for (name, k, d) in MLP_LAYERS {
            let key = format!("{name}.weight");
            let w = self.round_trip(c.tensor(&key, &[d, k])?, d, k)?;
            out.insert(
                key,
                crate::nn::Tensor {
                    shape: vec![d, k],
                    data: w,
                },
            );
        }
        Ok(out)
    }

    /// Bytes of the digits MLP's weights in this format by the crate's memory model
    /// ([`WeightFormat::matrix_bits`] per matrix) plus the biases at 32 bits.
    ///
    /// # Errors
    ///
    /// As [`WeightFormat::matrix_bits`] (never for these shapes).
    pub fn mlp_bytes(self) -> Result<u64> {
        let mut bits = 0u64;
        for (_, k, d) in MLP_LAYERS {
            bits += self.weight_format().matrix_bits(d, k)?.total() + 32 * d as u64;
        }
        Ok(bits.div_ceil(8))
    }
}

/// The rank-`r` adapter of a layer: `A[r × k]`, `B[d × r]` and the scale `α/r`.
#[derive(Clone, Debug)]
struct Adapter {
    scale: f32,
    a: Param,
    b: Param,
}

/// A dense layer with a frozen weight and bias and an optional rank-`r` adapter:
/// `y = W·x + b + (α/r)·B·(A·x)`.
///
/// Sums (fixed order): `W·x` over `i` ascending, `+ b`, then `h = A·x` over `i` ascending,
/// `B·h` over `j` ascending, scaled by `α/r` and added once. Backward: `∂B` and `∂A` over the
/// batch ascending; `∂x = Wᵀg + Aᵀ(α/r·Bᵀg)`, each over `o` (then `j`) ascending.
///
/// Multiply-adds ([`Layer::macs`]), counted per sample from the loops' sizes: forward
/// `d·k + r·k + d·r`; `∂x` `d·k + d·r + r·k`; the weights `d·r + r·k` only — the frozen `W`
/// gets no gradient, LoRA's saving in compute (full fine-tuning adds `d·k` there).
///
/// # Examples
///
/// ```
/// use arithsim::nn::finetune::lora::LoraDense;
/// use arithsim::nn::train::{Layer, Tensor};
///
/// // Frozen 2 → 1 layer with a rank-1 adapter: only A and B are trainable.
/// let mut fc = LoraDense::frozen("fc", 2, 1, vec![2.0, -1.0], vec![0.5])?.with_adapter(1, 1.0)?;
/// let names: Vec<&str> = fc.params().iter().map(|p| p.name.as_str()).collect();
/// assert_eq!(names, ["fc.lora_a", "fc.lora_b"]);
/// // B starts at zero, so the output is the base's.
/// let y = fc.forward(&Tensor::new(vec![1, 2], vec![3.0, 4.0])?)?;
/// assert_eq!(y.data(), [2.5]);
///
/// let mut fc = LoraDense::frozen("fc", 4, 3, vec![0.0; 12], vec![0.0; 3])?.with_adapter(2, 1.0)?;
/// let y = fc.forward(&Tensor::zeros(&[5, 4]))?;
/// fc.backward(&Tensor::zeros(y.shape()))?;
/// // Per sample: forward 12 + 8 + 6, ∂x 12 + 6 + 8, ∂A/∂B 6 + 8.
/// let m = fc.macs();
/// assert_eq!((m.forward, m.backward_input, m.backward_weight), (5 * 26, 5 * 26, 5 * 14));
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct LoraDense {
    name: String,
    inputs: usize,
    outputs: usize,
    weight: Vec<f32>,
    bias: Vec<f32>,
    adapter: Option<Adapter>,
    /// The last input and, with an adapter, `A·x` of each sample.
    last: Option<(Tensor, Vec<f32>)>,
    /// Multiply-adds executed.
    macs: Macs,
}

impl LoraDense {
    /// A frozen layer `name` from `inputs` to `outputs` with weight `[outputs, inputs]`
    /// (row-major) and bias `[outputs]`.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when a size is zero or the tensors do not have these sizes.
    pub fn frozen(
        name: &str,
        inputs: usize,
        outputs: usize,
        weight: Vec<f32>,
        bias: Vec<f32>,
    ) -> Result<LoraDense> {
        if inputs == 0 || outputs == 0 || weight.len() != inputs * outputs || bias.len() != outputs
        {
            return Err(Error::Shape(format!(
                "layer {name}: dense {inputs} -> {outputs} with {} weights and {} biases",
                weight.len(),
                bias.len()
            )));
        }
        Ok(LoraDense {
            name: name.to_string(),
            inputs,
            outputs,
            weight,
            bias,
            adapter: None,
            last: None,
            macs: Macs::default(),
        })
    }

    /// The same layer with a rank-`rank` adapter scaled by `alpha / rank` (parameters
    /// `<name>.lora_a` `[rank, inputs]` and `<name>.lora_b` `[outputs, rank]`, zero until
    /// [`Layer::init`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] ("rank") for rank 0 or above `min(inputs, outputs)`;
    /// ("alpha") for an `alpha` that is not finite and positive.
    pub fn with_adapter(mut self, rank: usize, alpha: f32) -> Result<LoraDense> {
        let max = self.inputs.min(self.outputs);
        if rank == 0 || rank > max {
            return Err(Error::param(
                "rank",
                rank,
                format!(
                    "must be in 1..={max} = min(d, k) of {} ({} x {})",
                    self.name, self.outputs, self.inputs
                ),
            ));
        }
        if !(alpha.is_finite() && alpha > 0.0) {
            return Err(Error::param("alpha", alpha, "must be finite and > 0"));
        }
        let n = &self.name;
        self.adapter = Some(Adapter {
            scale: alpha / rank as f32,
            a: Param::new(format!("{n}.lora_a"), Tensor::zeros(&[rank, self.inputs])),
            b: Param::new(format!("{n}.lora_b"), Tensor::zeros(&[self.outputs, rank])),
        });
        Ok(self)
    }

    /// The adapter's rank (`None` without one).
    #[must_use]
    pub fn rank(&self) -> Option<usize> {
        self.adapter.as_ref().map(|a| a.a.value.shape()[0])
    }

    /// The frozen values held (weight and bias).
    #[must_use]
    pub fn frozen_len(&self) -> usize {
        self.weight.len() + self.bias.len()
    }

    /// `W + (α/r)·B·A` (the frozen weight without an adapter), row-major `[outputs,
    /// inputs]`, in f32: each `Σ_j B[o][j]·A[j][i]` over `j` ascending, times `α/r`, added
    /// to `W[o][i]` once.
    #[must_use]
    pub fn merged_weight(&self) -> Vec<f32> {
        match &self.adapter {
            None => self.weight.clone(),
            Some(ad) => merge(
                &self.weight,
                ad.a.value.data(),
                ad.b.value.data(),
                self.inputs,
                ad.scale,
            ),
        }
    }
}

/// `W + scale·B·A` for `W[d × k]`, `A[r × k]`, `B[d × r]`, in f32: each `Σ_j B[o][j]·A[j][i]`
/// over `j` ascending, times `scale`, added to `W[o][i]` once.
fn merge(w: &[f32], a: &[f32], b: &[f32], k: usize, scale: f32) -> Vec<f32> {
    let r = a.len() / k;
    let mut out = w.to_vec();
    for (o, row) in out.chunks_exact_mut(k).enumerate() {
        for (i, wi) in row.iter_mut().enumerate() {
            let mut s = 0.0f32;
            for j in 0..r {
                s += b[o * r + j] * a[j * k + i];
            }
            *wi += scale * s;
        }
    }
    out
}

impl Layer for LoraDense {
    fn name(&self) -> &str {
        &self.name
    }

    fn output_shape(&self, input: &[usize]) -> Result<Vec<usize>> {
        if input != [self.inputs] {
            return Err(Error::Shape(format!(
                "layer {}: input {input:?}, expected [{}]",
                self.name, self.inputs
            )));
        }
        Ok(vec![self.outputs])
    }

    fn forward(&mut self, input: &Tensor) -> Result<Tensor> {
        let n = input.batch_of(&[self.inputs], &self.name)?;
        let (k, d) = (self.inputs, self.outputs);
        let mut out = Vec::with_capacity(n * d);
        let mut hidden = Vec::new();
        for xs in input.data().chunks_exact(k) {
            for (o, row) in self.weight.chunks_exact(k).enumerate() {
                let mut acc = 0.0f32;
                for (wi, xi) in row.iter().zip(xs) {
                    acc += wi * xi;
                }
                out.push(acc + self.bias[o]);
            }
            if let Some(ad) = &self.adapter {
                let r = ad.a.value.shape()[0];
                let h: Vec<f32> =
                    ad.a.value
                        .data()
                        .chunks_exact(k)
                        .map(|row| row.iter().zip(xs).fold(0.0f32, |s, (a, x)| s + a * x))
                        .collect();
                let y = out.len() - d;
                for (o, brow) in ad.b.value.data().chunks_exact(r).enumerate() {
                    let s = brow.iter().zip(&h).fold(0.0f32, |s, (b, h)| s + b * h);
                    out[y + o] += ad.scale * s;
                }
                hidden.extend(h);
            }
        }
        self.last = Some((input.clone(), hidden));
        let r = self.rank().unwrap_or(0) as u64;
        let (n64, k64, d64) = (n as u64, k as u64, d as u64);
        self.macs.forward += n64 * (d64 * k64 + r * k64 + d64 * r);
        Tensor::new(vec![n, d], out)
    }

    fn backward(&mut self, grad_output: &Tensor) -> Result<Tensor> {
        let name = &self.name;
        let (x, hidden) = self
            .last
            .as_ref()
            .ok_or_else(|| crate::Error::Shape(format!("layer {name}: backward before forward")))?;
        let n = x.shape()[0];
        let (k, d) = (self.inputs, self.outputs);
        if grad_output.shape() != [n, d] {
            return Err(Error::Shape(format!(
                "layer {name}: output gradient shape {:?}, last output was {:?}",
                grad_output.shape(),
                [n, d]
            )));
        }
        let g = grad_output.data();
        let mut dx = vec![0.0f32; n * k];
        for s in 0..n {
            let dxs = &mut dx[s * k..(s + 1) * k];
            for (o, &go) in g[s * d..(s + 1) * d].iter().enumerate() {
                for (di, &wi) in dxs.iter_mut().zip(&self.weight[o * k..(o + 1) * k]) {
                    *di += go * wi;
                }
            }
        }
        if let Some(ad) = &mut self.adapter {
            let r = ad.a.value.shape()[0];
            for s in 0..n {
                let gs = &g[s * d..(s + 1) * d];
                let hs = &hidden[s * r..(s + 1) * r];
                let xs = &x.data()[s * k..(s + 1) * k];
                // ∂B[o][j] += scale·g[o]·h[j]; gh[j] = scale·Σ_o g[o]·B[o][j].
                let mut gh = vec![0.0f32; r];
                let bv = ad.b.value.data();
                let db = ad.b.grad.data_mut();
                for (o, &go) in gs.iter().enumerate() {
                    for j in 0..r {
                        db[o * r + j] += ad.scale * go * hs[j];
                        gh[j] += go * bv[o * r + j];
                    }
                }
                for v in &mut gh {
                    *v *= ad.scale;
                }
                let av = ad.a.value.data();
                let da = ad.a.grad.data_mut();
                let dxs = &mut dx[s * k..(s + 1) * k];
                for (j, &ghj) in gh.iter().enumerate() {
                    for i in 0..k {
                        da[j * k + i] += ghj * xs[i];
                        dxs[i] += ghj * av[j * k + i];
                    }
                }
            }
        }
        let r = self.rank().unwrap_or(0) as u64;
        let (n64, k64, d64) = (n as u64, k as u64, d as u64);
        self.macs.backward_input += n64 * (d64 * k64 + d64 * r + r * k64);
        self.macs.backward_weight += n64 * (d64 * r + r * k64);
        Tensor::new(vec![n, k], dx)
    }

    /// `A` uniform in `±1/√k`, drawn row-major; `B` zero (the base is untouched at start).
    fn init(&mut self, rng: &mut SplitMix64) {
        if let Some(ad) = &mut self.adapter {
            let bound = 1.0 / (self.inputs as f32).sqrt();
            for v in ad.a.value.data_mut() {
                let u = (rng.next_u64() >> 40) as f32 * (1.0 / 16_777_216.0);
                *v = (2.0 * u - 1.0) * bound;
            }
            ad.b.value.fill_zero();
        }
    }

    fn params(&self) -> Vec<&Param> {
        self.adapter
            .as_ref()
            .map_or_else(Vec::new, |ad| vec![&ad.a, &ad.b])
    }

    fn params_mut(&mut self) -> Vec<&mut Param> {
        self.adapter
            .as_mut()
            .map_or_else(Vec::new, |ad| vec![&mut ad.a, &mut ad.b])
    }

    fn macs(&self) -> Macs {
        self.macs
    }
}

/// Trainable values of a rank-`rank` adapter on a `d × k` matrix: `r·(d + k)`.
///
/// # Examples
///
/// ```
/// assert_eq!(arithsim::nn::finetune::lora::adapter_params(64, 64, 4), 512);
/// ```
#[must_use]
pub fn adapter_params(d: usize, k: usize, rank: usize) -> usize {
    rank * (d + k)
}

/// The largest rank every adapted layer of the MLP takes: `min(d, k)` over [`ADAPTED`] (32).
#[must_use]
pub fn max_rank() -> usize {
    MLP_LAYERS
        .iter()
        .filter(|(n, _, _)| ADAPTED.contains(n))
        .map(|&(_, k, d)| k.min(d))
        .min()
        .unwrap_or(0)
}

/// The digits MLP of checkpoint `c` with its weights frozen at their values in `base`, and
/// a rank-`rank` adapter (scale `alpha / rank`) on each hidden layer ([`ADAPTED`]); the
/// adapters initialised from `seed` ([`Network::init`]).
///
/// # Errors
///
/// [`Error::Table`] for a missing tensor or another shape; [`Error::InvalidParameter`]
/// ("rank") for rank 0 or above `min(d, k)` of an adapted layer, ("alpha") as
/// [`LoraDense::with_adapter`].
///
/// # Examples
///
/// ```
/// use arithsim::nn::finetune::lora::{BaseFormat, lora_mlp};
/// use arithsim::nn::Checkpoint;
///
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/networks/digits_mlp.safetensors");
/// let c = Checkpoint::load(std::path::Path::new(path))?;
/// let net = lora_mlp(&c, BaseFormat::Nf4Dq, 4, 8.0, 1)?;
/// // Trainable: 4·(64 + 64) for fc1, 4·(32 + 64) for fc2.
/// assert_eq!(net.parameter_count(), 4 * 128 + 4 * 96);
/// assert!(lora_mlp(&c, BaseFormat::Fp32, 33, 8.0, 1).is_err()); // fc2 is 32 × 64
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn lora_mlp(
    c: &Checkpoint,
    base: BaseFormat,
    rank: usize,
    alpha: f32,
    seed: u64,
) -> Result<Network> {
    let mut layers: Vec<Box<dyn Layer>> = vec![Box::new(Flatten::new("flatten"))];
    for (i, (name, k, d)) in MLP_LAYERS.into_iter().enumerate() {
        let w = base.round_trip(c.tensor(&format!("{name}.weight"), &[d, k])?, d, k)?;
        let b = c.tensor(&format!("{name}.bias"), &[d])?.to_vec();
        let mut layer = LoraDense::frozen(name, k, d, w, b)?;
        if ADAPTED.contains(&name) {
            layer = layer.with_adapter(rank, alpha)?;
        }
        layers.push(Box::new(layer));
        if i + 1 < MLP_LAYERS.len() {
            layers.push(Box::new(Relu::new(&format!("relu{}", i + 1))));
        }
    }
    let mut net = Network::new("digits_mlp", &[1, 8, 8], layers)?;
    net.init(seed);
    Ok(net)
}

/// The digits MLP of checkpoint `c` with every parameter trainable, starting from the
/// weights' values in `base` (full fine-tuning from the same start as the adapters).
///
/// # Errors
///
/// As [`lora_mlp`].
pub fn full_mlp(c: &Checkpoint, base: BaseFormat) -> Result<Network> {
    let c = base.requantized(c)?;
    let mut layers: Vec<Box<dyn Layer>> = vec![Box::new(Flatten::new("flatten"))];
    for (i, (name, k, d)) in MLP_LAYERS.into_iter().enumerate() {
        let mut layer = Dense::new(name, k, d)?;
        for p in layer.params_mut() {
            let shape = p.value.shape().to_vec();
            p.value
                .data_mut()
                .copy_from_slice(c.tensor(&p.name, &shape)?);
        }
        layers.push(Box::new(layer));
        if i + 1 < MLP_LAYERS.len() {
            layers.push(Box::new(Relu::new(&format!("relu{}", i + 1))));
        }
    }
    Network::new("digits_mlp", &[1, 8, 8], layers)
}

/// The weights of a network of [`lora_mlp`] (built from checkpoint `c`, base `base`,
/// `alpha`) with its adapters merged: `W' = W + (α/r)·B·A` with `W` the base's stored values
/// (see the module docs for how each base runs it); biases as in `c`. Run it with
/// [`digits_mlp`](crate::nn::digits_mlp). A layer without an adapter keeps its stored
/// values.
///
/// # Errors
///
/// As [`lora_mlp`]; [`Error::Shape`] when an adapter's shapes do not fit its layer.
pub fn merged_checkpoint(
    c: &Checkpoint,
    base: BaseFormat,
    alpha: f32,
    net: &Network,
) -> Result<Checkpoint> {
    let mut out = base.requantized(c)?;
    for (name, k, d) in MLP_LAYERS {
        let (Ok(a), Ok(b)) = (
            net.param(&format!("{name}.lora_a")),
            net.param(&format!("{name}.lora_b")),
        ) else {
            continue;
        };
        let r = a.value.shape()[0];
        if a.value.shape() != [r, k] || b.value.shape() != [d, r] {
            return Err(Error::Shape(format!(
                "layer {name}: adapter {:?} and {:?} for a {d} x {k} weight",
                a.value.shape(),
                b.value.shape()
            )));
        }
        let key = format!("{name}.weight");
        let w = merge(
            out.tensor(&key, &[d, k])?,
            a.value.data(),
            b.value.data(),
            k,
            alpha / r as f32,
        );
        out.insert(
            key,
            crate::nn::Tensor {
                shape: vec![d, k],
                data: w,
            },
        );
    }
    Ok(out)
}

/// Every image of `inputs` (`[N, 1, 8, 8]`) turned 90° clockwise: `out[y][x] =
/// in[7 − x][y]` (the task shift of the module docs).
///
/// # Errors
///
/// [`Error::Shape`] when `inputs` is not `[N, 1, 8, 8]`.
///
/// # Examples
///
/// ```
/// use arithsim::nn::finetune::lora::rotate_quarter;
/// use arithsim::nn::train::Tensor;
///
/// let mut x = vec![0.0f32; 64];
/// x[0] = 1.0; // top-left goes to top-right
/// let r = rotate_quarter(&Tensor::new(vec![1, 1, 8, 8], x)?)?;
/// assert_eq!(r.data()[7], 1.0);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn rotate_quarter(inputs: &Tensor) -> Result<Tensor> {
    let s = inputs.shape();
    if s.len() != 4 || s[1..] != [1, 8, 8] {
        return Err(Error::Shape(format!(
            "rotating images of shape {s:?}, expected [N, 1, 8, 8]"
        )));
    }
    let mut out = Vec::with_capacity(inputs.len());
    for img in inputs.data().chunks_exact(64) {
        for y in 0..8 {
            for x in 0..8 {
                out.push(img[(7 - x) * 8 + y]);
            }
        }
    }
    Tensor::new(s.to_vec(), out)
}

/// `bench` with every image turned 90° clockwise ([`rotate_quarter`]): training tensors,
/// calibration and test images; labels and split unchanged (the task shift of the module
/// docs).
///
/// # Errors
///
/// [`Error::Shape`] when the bench's images are not `[N, 1, 8, 8]`.
///
/// # Examples
///
/// ```
/// use arithsim::nn::finetune::Bench;
/// use arithsim::nn::finetune::lora::rotated;
///
/// let bench = Bench::digits()?;
/// let r = rotated(&bench)?;
/// assert_ne!(r.test, bench.test);
/// let back = rotated(&rotated(&r)?)?;
/// assert_eq!(rotated(&back)?.test, bench.test); // four quarter turns
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn rotated(bench: &Bench) -> Result<Bench> {
    let inputs = rotate_quarter(&bench.inputs)?;
    let images = |ix: &[usize]| -> Vec<Vec<f32>> {
        ix.iter()
            .map(|&i| inputs.data()[i * 64..(i + 1) * 64].to_vec())
            .collect()
    };
    Ok(Bench {
        calibration: images(&bench.split.train),
        test: images(&bench.split.test),
        test_labels: bench.test_labels.clone(),
        labels: bench.labels.clone(),
        split: bench.split.clone(),
        inputs,
    })
}

/// What the trainer holds while fine-tuning the MLP, in bytes (all f32 except ReLU masks,
/// one `bool` per value): the buffers of [`LoraDense`], [`Dense`], [`Relu`] and the Adam
/// [`Optimizer`](crate::nn::train::Optimizer), counted from their sizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrainerMemory {
    /// Frozen base values (weights and biases held by [`LoraDense`]).
    pub frozen: u64,
    /// Trainable parameters.
    pub params: u64,
    /// Their gradients.
    pub gradients: u64,
    /// Adam's two moment buffers.
    pub optimizer: u64,
    /// Saved for the backward pass over one batch: each dense layer's input, an adapter's
    /// `A·x`, each ReLU's mask.
    pub activations: u64,
}

impl TrainerMemory {
    /// The tally for rank `rank` adapters (`None`: full fine-tuning) at batch `batch`.
    #[must_use]
    pub fn of_mlp(rank: Option<usize>, batch: usize) -> TrainerMemory {
        let total: usize = MLP_LAYERS.iter().map(|&(_, k, d)| d * k + d).sum();
        let trainable = match rank {
            None => total,
            Some(r) => MLP_LAYERS
                .iter()
                .filter(|(n, _, _)| ADAPTED.contains(n))
                .map(|&(_, k, d)| adapter_params(d, k, r))
                .sum(),
        };
        let frozen = if rank.is_some() { total } else { 0 };
        // Per sample: dense inputs (f32), ReLU masks (1 byte), adapters' A·x (f32).
        let inputs: usize = MLP_LAYERS.iter().map(|&(_, k, _)| k).sum();
        let masks: usize = MLP_LAYERS[..2].iter().map(|&(_, _, d)| d).sum();
        let hidden = rank.map_or(0, |r| r * ADAPTED.len());
        let b = batch as u64;
        TrainerMemory {
            frozen: 4 * frozen as u64,
            params: 4 * trainable as u64,
            gradients: 4 * trainable as u64,
            optimizer: 8 * trainable as u64,
            activations: b * (4 * (inputs + hidden) as u64 + masks as u64),
        }
    }

    /// All bytes.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.frozen + self.params + self.gradients + self.optimizer + self.activations
    }

    /// The crate's LoRA/QLoRA memory model ([`FinetuneMemory`]) for the same run: the base
    /// stored in `base` ([`BaseFormat::mlp_bytes`]), adapters and their gradients in BF16,
    /// Adam's states in FP32, and the same saved values at 16 bits (the model's activation
    /// width; the masks counted as values). Full fine-tuning (`rank = None`) trains every
    /// weight in 16 bits.
    ///
    /// # Errors
    ///
    /// As [`FinetuneMemory::lora`] and [`BaseFormat::mlp_bytes`] (never for the MLP).
    pub fn model(rank: Option<usize>, base: BaseFormat, batch: usize) -> Result<FinetuneMemory> {
        let t = TrainerMemory::of_mlp(rank, batch);
        let inputs: usize = MLP_LAYERS.iter().map(|&(_, k, _)| k).sum();
        let masks: usize = MLP_LAYERS[..2].iter().map(|&(_, _, d)| d).sum();
        let hidden = rank.map_or(0, |r| r * ADAPTED.len());
        let act = 2 * (batch * (inputs + masks + hidden)) as u64;
        match rank {
            None => FinetuneMemory::full(t.params / 4, act),
            Some(_) => FinetuneMemory::lora(base.mlp_bytes()?, t.params / 4, act),
        }
    }
}
