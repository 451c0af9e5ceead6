//! Fake quantization for quantization-aware training: the forward pass sees weights and
//! activations on the grid of the format the [`Executor`] will run, the products stay in
//! native f32, and the gradients pass straight through (STE).
//!
//! **Weights** are not re-implemented here: before every step [`QatHook`] builds the
//! executor of the current (latent, f32) weights and takes [`Executor::weight_values`], so
//! the forward weights are the executor's by construction — INT-b codes times their
//! per-channel scale (one rounding to f32), FP8 patterns, MX block elements. The gradient
//! with respect to those values is applied to the latent weights (STE: the quantizer's
//! derivative taken as 1).
//!
//! **Activations** pass through a [`FakeQuant`] layer inserted before every dense and
//! convolution layer, on the executor's grid for that layer's input:
//!
//! - integer-only: the int8 parameters ([`Executor::int8_params`]) of the value the layer
//!   reads, recalibrated (the executor's own calibration) before training and after each
//!   epoch; round half away from zero as the executor quantizes its input; the gradient
//!   passes where the value did not saturate (clipped STE);
//! - float: rounding to the multiply format, nearest even; gradient 1;
//! - MX: blocks of 32 consecutive values of each sample, as the executor quantizes a dense
//!   layer's input; for a convolution the executor quantizes each im2col column instead, so
//!   there the training grid is an approximation (the executor's accuracy is the measured
//!   one); gradient 1.
//!
//! The training forward is therefore close to, not bit-identical with, the executor (the
//! integer kernels requantize in fixed point; FP8 accumulates in FP32 by the datapath's
//! order): every reported accuracy is the executor's.

use std::cell::Cell;
use std::rc::Rc;

use crate::float::{FloatEnv, FloatFormat};
use crate::nn::train::{self, Layer, Tensor};
use crate::nn::{Arithmetic, Executor, Format, Op};
use crate::quant::{MxElement, QuantParams, mx_dequantize, mx_quantize};
use crate::round::RoundingMode;
use crate::{Error, Result};

use super::{Bench, graph, ranges};

/// The grid an activation quantizer rounds to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ActQuant {
    /// Pass values through (FP32, or before the first calibration).
    Identity,
    /// Asymmetric int8 with these parameters, round half away from zero, saturating.
    Int8(QuantParams),
    /// Round to this float format, nearest even.
    Float(FloatFormat),
    /// OCP MX blocks of 32 consecutive values per sample.
    Mx(MxElement),
}

/// A quantizer's grid handle and the name of the layer it feeds.
pub type Grid = (String, Rc<Cell<ActQuant>>);

/// An activation quantizer layer (no parameters): rounds its input to a shared, settable
/// [`ActQuant`] grid; backward passes the gradient through, except where an int8 value
/// saturated.
///
/// # Examples
///
/// ```
/// use arithsim::nn::finetune::{ActQuant, FakeQuant};
/// use arithsim::nn::train::{Layer, Tensor};
/// use arithsim::quant::{IntType, QuantParams};
///
/// let p = QuantParams::new(0.5, 0, IntType::Int8)?;
/// let (mut fq, grid) = FakeQuant::new("fq");
/// grid.set(ActQuant::Int8(p));
/// let y = fq.forward(&Tensor::new(vec![1, 3], vec![0.74, 0.75, 100.0])?)?;
/// assert_eq!(y.data(), [0.5, 1.0, 63.5]); // 127 · 0.5: saturated
/// let g = fq.backward(&Tensor::new(vec![1, 3], vec![1.0; 3])?)?;
/// assert_eq!(g.data(), [1.0, 1.0, 0.0]);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Debug)]
pub struct FakeQuant {
    name: String,
    grid: Rc<Cell<ActQuant>>,
    pass: Option<(Vec<usize>, Vec<bool>)>,
}

impl FakeQuant {
    /// A quantizer named `name` and the handle that sets its grid (initially
    /// [`ActQuant::Identity`]).
    #[must_use]
    pub fn new(name: &str) -> (FakeQuant, Rc<Cell<ActQuant>>) {
        let grid = Rc::new(Cell::new(ActQuant::Identity));
        (
            FakeQuant {
                name: name.to_string(),
                grid: Rc::clone(&grid),
                pass: None,
            },
            grid,
        )
    }
}

impl Layer for FakeQuant {
    fn name(&self) -> &str {
        &self.name
    }

    fn output_shape(&self, input: &[usize]) -> Result<Vec<usize>> {
        Ok(input.to_vec())
    }

    fn forward(&mut self, input: &Tensor) -> Result<Tensor> {
        let x = input.data();
        let mut pass = vec![true; x.len()];
        let y: Vec<f32> = match self.grid.get() {
            ActQuant::Identity => x.to_vec(),
            ActQuant::Int8(p) => x
                .iter()
                .zip(pass.iter_mut())
                .map(|(&v, ok)| {
                    let (q, sat) = p.quantize(f64::from(v), RoundingMode::NearestAway);
                    *ok = !sat;
                    p.dequantize(q) as f32
                })
                .collect(),
            ActQuant::Float(f) => {
                let env = FloatEnv::new(RoundingMode::NearestEven);
                x.iter()
                    .map(|&v| f.bits_to_f64(f.from_f32(v, &env).value) as f32)
                    .collect()
            }
            ActQuant::Mx(e) => {
                let per = input.shape().get(1..).map_or(1, |s| s.iter().product());
                let mut out = Vec::with_capacity(x.len());
                for sample in x.chunks(per.max(1)) {
                    out.extend(
                        mx_dequantize(&mx_quantize(sample, e)?)
                            .into_iter()
                            .map(|v| v as f32),
                    );
                }
                out
            }
        };
        self.pass = Some((input.shape().to_vec(), pass));
        Tensor::new(input.shape().to_vec(), y)
    }

    fn backward(&mut self, grad_output: &Tensor) -> Result<Tensor> {
        let Some((shape, pass)) = &self.pass else {
            return Err(Error::Shape(format!(
                "layer {}: backward before forward",
                self.name
            )));
        };
        if grad_output.shape() != shape.as_slice() {
            return Err(Error::Shape(format!(
                "layer {}: output gradient shape {:?}, last output was {shape:?}",
                self.name,
                grad_output.shape()
            )));
        }
        let g = grad_output
            .data()
            .iter()
            .zip(pass)
            .map(|(&g, &p)| if p { g } else { 0.0 })
            .collect();
        Tensor::new(shape.clone(), g)
    }
}

/// `net` with a [`FakeQuant`] before every layer that has a weight (named
/// `<layer>.input_quant`), and each quantizer's grid handle with the layer's name.
///
/// # Errors
///
/// As [`train::Network::new`].
pub fn with_activation_quantizers(net: train::Network) -> Result<(train::Network, Vec<Grid>)> {
    let name = net.name().to_string();
    let shape = net.input_shape().to_vec();
    let mut layers: Vec<Box<dyn Layer>> = Vec::new();
    let mut grids = Vec::new();
    for layer in net.into_layers() {
        if layer.params().iter().any(|p| p.name.ends_with(".weight")) {
            let (fq, grid) = FakeQuant::new(&format!("{}.input_quant", layer.name()));
            grids.push((layer.name().to_string(), grid));
            layers.push(Box::new(fq));
        }
        layers.push(layer);
    }
    Ok((train::Network::new(&name, &shape, layers)?, grids))
}

/// The [`train::TrainHook`] of quantization-aware training in `format`: forward weights
/// from the executor, activation grids from the executor's calibration, and the
/// executor's test accuracy after every epoch.
pub struct QatHook<'a> {
    format: Format,
    bench: &'a Bench,
    grids: Vec<Grid>,
    ranges: Vec<(f64, f64)>,
    /// The executor's test accuracy after each epoch.
    pub epoch_accuracy: Vec<f64>,
    /// The executor's predictions after the last epoch.
    pub predictions: Vec<usize>,
}

impl std::fmt::Debug for QatHook<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QatHook")
            .field("format", &self.format.name)
            .field("epoch_accuracy", &self.epoch_accuracy)
            .finish_non_exhaustive()
    }
}

impl<'a> QatHook<'a> {
    /// The hook for `net` (built by [`with_activation_quantizers`], whose grids are
    /// `grids`) in `format`; sets the activation grids from the executor of the current
    /// weights.
    ///
    /// # Errors
    ///
    /// As [`Format::validate`] and the executor's preparation.
    pub fn new(
        net: &train::Network,
        format: &Format,
        bench: &'a Bench,
        grids: Vec<Grid>,
    ) -> Result<QatHook<'a>> {
        format.validate()?;
        let mut h = QatHook {
            format: format.clone(),
            bench,
            grids,
            ranges: Vec::new(),
            epoch_accuracy: Vec::new(),
            predictions: Vec::new(),
        };
        h.recalibrate(net)?;
        Ok(h)
    }

    /// The executor of the current weights (with the hook's calibrated ranges for
    /// integer-only formats).
    ///
    /// # Errors
    ///
    /// As [`graph`] and the executor's preparation.
    pub fn executor(&self, net: &train::Network) -> Result<Executor> {
        let g = graph(net)?;
        match self.format.arithmetic {
            Arithmetic::Int8(_) => Executor::with_ranges(&g, &self.format, &self.ranges),
            _ => Executor::new(&g, &self.format, &[]),
        }
    }

    /// Recalibrates (integer-only formats) and sets every activation grid from the
    /// executor of the current weights.
    fn recalibrate(&mut self, net: &train::Network) -> Result<()> {
        self.ranges = ranges(net, &self.format, self.bench)?;
        let ex = self.executor(net)?;
        let g = ex.network();
        for (layer, grid) in &self.grids {
            let node = g
                .nodes()
                .iter()
                .position(|n| &n.name == layer)
                .ok_or_else(|| Error::Shape(format!("layer {layer} is not in the graph")))?;
            grid.set(match self.format.arithmetic {
                Arithmetic::Int8(_) => {
                    let v = g.nodes()[node].input;
                    ActQuant::Int8(ex.int8_params(v).ok_or_else(|| {
                        Error::Unsupported("int8 parameters of an integer format".into())
                    })?)
                }
                Arithmetic::Float(a) => ActQuant::Float(a.mul),
                Arithmetic::Mx(e) => ActQuant::Mx(e),
            });
        }
        Ok(())
    }
}

impl train::TrainHook for QatHook<'_> {
    fn forward_values(&mut self, net: &train::Network) -> Result<Vec<Option<Vec<f32>>>> {
        let ex = self.executor(net)?;
        let g = ex.network();
        net.params()
            .iter()
            .map(|p| {
                let Some(layer) = p.name.strip_suffix(".weight") else {
                    return Ok(None);
                };
                let i = g
                    .nodes()
                    .iter()
                    .position(|n| n.name == layer && matches!(n.op, Op::Dense(_) | Op::Conv2d(_)))
                    .ok_or_else(|| Error::Shape(format!("layer {layer} is not in the graph")))?;
                Ok(ex
                    .weight_values(i)
                    .map(|w| w.into_iter().map(|v| v as f32).collect()))
            })
            .collect()
    }

    fn epoch_end(&mut self, _epoch: usize, net: &mut train::Network) -> Result<()> {
        self.recalibrate(net)?;
        let out = self.executor(net)?.run(&self.bench.test)?;
        self.epoch_accuracy
            .push(out.accuracy(&self.bench.test_labels)?);
        self.predictions = out.predictions;
        Ok(())
    }
}
