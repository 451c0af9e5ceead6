//! The layer interface: a value with `forward` and `backward` and named parameters.

use super::Tensor;
use rand_core::Rng;

use crate::Result;

/// A trainable tensor and its gradient, under its checkpoint name (`fc1.weight`).
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Full name, `<layer>.<kind>` (the safetensors tensor name).
    pub name: String,
    /// The values.
    pub value: Tensor,
    /// The gradient accumulated by `backward` since the last [`Param::zero_grad`].
    pub grad: Tensor,
}

impl Param {
    /// A parameter with a zero gradient of the same shape.
    #[must_use]
    pub fn new(name: String, value: Tensor) -> Param {
        let grad = Tensor::zeros(value.shape());
        Param { name, value, grad }
    }

    /// Clears the gradient.
    pub fn zero_grad(&mut self) {
        self.grad.fill_zero();
    }
}

/// One layer of a network. `forward` keeps what `backward` needs (the input, the ReLU mask,
/// the pooling winners); `backward` takes ∂loss/∂output of the last `forward`, adds
/// ∂loss/∂parameters into each [`Param::grad`] and returns ∂loss/∂input.
///
/// Every sum runs in a fixed order (documented per layer), single-threaded, so the same
/// inputs give the same bits. New layer kinds (quantization-aware wrappers, LoRA adapters)
/// implement this trait and join a [`super::Network`].
pub trait Layer: std::fmt::Debug {
    /// The layer's name (the prefix of its parameter names).
    fn name(&self) -> &str;

    /// The per-sample output shape for a per-sample input shape.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Shape`] naming the layer when the input does not fit.
    fn output_shape(&self, input: &[usize]) -> Result<Vec<usize>>;

    /// Runs the layer on a batch (first axis) and keeps what `backward` needs.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Shape`] naming the layer when the input does not fit.
    fn forward(&mut self, input: &Tensor) -> Result<Tensor>;

    /// Back-propagates `grad_output` (shape of the last output) through the last `forward`.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Shape`] when `grad_output` does not match the last output or there
    /// was no `forward`.
    fn backward(&mut self, grad_output: &Tensor) -> Result<Tensor>;

    /// Initialises the parameters from `rng` (a layer without any does nothing).
    fn init(&mut self, _rng: &mut crate::cost::SplitMix64) {}

    /// The parameters, in a fixed order (weight before bias).
    fn params(&self) -> Vec<&Param> {
        Vec::new()
    }

    /// The parameters, mutable, in the order of [`Layer::params`].
    fn params_mut(&mut self) -> Vec<&mut Param> {
        Vec::new()
    }

    /// The multiply-adds this layer has executed since it was built, counted by its loops
    /// (a layer without products counts none).
    fn macs(&self) -> Macs {
        Macs::default()
    }
}

/// Multiply-adds executed by training, counted where they happen (in the layers' loops,
/// padded taps not counted), split by pass: so "backward ≈ 2× forward" is measured, not
/// assumed.
///
/// # Examples
///
/// ```
/// use arithsim::nn::train::{Dense, Layer, Tensor};
///
/// let mut fc = Dense::new("fc", 3, 2)?;
/// let y = fc.forward(&Tensor::zeros(&[4, 3]))?;
/// fc.backward(&Tensor::zeros(y.shape()))?;
/// let m = fc.macs();
/// assert_eq!((m.forward, m.backward_input, m.backward_weight), (24, 24, 24));
/// assert_eq!(m.total(), 72);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Macs {
    /// Forward products `w·x`.
    pub forward: u64,
    /// Backward products for the input gradient `∂x += g·w`.
    pub backward_input: u64,
    /// Backward products for the weight gradient `∂W += g·x`.
    pub backward_weight: u64,
}

impl Macs {
    /// All three together.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.forward + self.backward_input + self.backward_weight
    }

    /// The counts accumulated between `earlier` and `self`.
    #[must_use]
    pub fn since(&self, earlier: &Macs) -> Macs {
        Macs {
            forward: self.forward - earlier.forward,
            backward_input: self.backward_input - earlier.backward_input,
            backward_weight: self.backward_weight - earlier.backward_weight,
        }
    }

    /// The sum of two counts.
    #[must_use]
    pub fn plus(&self, other: &Macs) -> Macs {
        Macs {
            forward: self.forward + other.forward,
            backward_input: self.backward_input + other.backward_input,
            backward_weight: self.backward_weight + other.backward_weight,
        }
    }
}

/// A uniform f32 in `[-bound, bound)` from the top 24 bits of one draw (exact in f32).
pub(crate) fn uniform(rng: &mut crate::cost::SplitMix64, bound: f32) -> f32 {
    let u = (rng.next_u64() >> 40) as f32 * (1.0 / 16_777_216.0);
    (2.0 * u - 1.0) * bound
}

/// The "no forward yet / wrong gradient shape" error of `backward`.
pub(crate) fn backward_shape_error(
    layer: &str,
    got: &[usize],
    want: Option<&[usize]>,
) -> crate::Error {
    match want {
        None => crate::Error::Shape(format!("layer {layer}: backward before forward")),
        Some(w) => crate::Error::Shape(format!(
            "layer {layer}: output gradient shape {got:?}, last output was {w:?}"
        )),
    }
}
