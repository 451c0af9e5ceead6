//! A network: layers in sequence, with shapes checked when it is built.

use super::{Layer, Macs, Param, Tensor};
use rand_core::SeedableRng;

use crate::cost::SplitMix64;
use crate::{Error, Result};

/// Layers applied one after the other to a batch of `input_shape` samples.
///
/// # Examples
///
/// ```
/// use arithsim::nn::train::{Dense, Flatten, Layer, Network, Relu, Tensor};
///
/// let layers: Vec<Box<dyn Layer>> = vec![
///     Box::new(Flatten::new("flatten")),
///     Box::new(Dense::new("fc1", 4, 3)?),
///     Box::new(Relu::new("relu")),
///     Box::new(Dense::new("fc2", 3, 2)?),
/// ];
/// let mut net = Network::new("tiny", &[1, 2, 2], layers)?;
/// net.init(7);
/// let names: Vec<&str> = net.params().iter().map(|p| p.name.as_str()).collect();
/// assert_eq!(names, ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]);
/// let y = net.forward(&Tensor::zeros(&[5, 1, 2, 2]))?;
/// assert_eq!(y.shape(), [5, 2]);
/// // Shapes that do not chain are an error naming the layer.
/// let bad: Vec<Box<dyn Layer>> = vec![Box::new(Dense::new("fc", 3, 2)?)];
/// assert!(Network::new("bad", &[4], bad).unwrap_err().to_string().contains("fc"));
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Debug)]
pub struct Network {
    name: String,
    input_shape: Vec<usize>,
    layers: Vec<Box<dyn Layer>>,
}

impl Network {
    /// A network named `name` (the checkpoint's file stem) taking per-sample inputs of
    /// `input_shape`.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] naming the first layer whose input does not fit the previous
    /// layer's output, or a duplicated layer name.
    pub fn new(name: &str, input_shape: &[usize], layers: Vec<Box<dyn Layer>>) -> Result<Network> {
        let mut shape = input_shape.to_vec();
        let mut names = std::collections::BTreeSet::new();
        for layer in &layers {
            if !names.insert(layer.name().to_string()) {
                return Err(Error::Shape(format!(
                    "network {name}: layer name {} appears twice",
                    layer.name()
                )));
            }
            shape = layer.output_shape(&shape)?;
        }
        Ok(Network {
            name: name.to_string(),
            input_shape: input_shape.to_vec(),
            layers,
        })
    }

    /// The network's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The per-sample input shape.
    #[must_use]
    pub fn input_shape(&self) -> &[usize] {
        &self.input_shape
    }

    /// The per-sample output shape.
    ///
    /// # Errors
    ///
    /// Never for a network built by [`Network::new`].
    pub fn output_shape(&self) -> Result<Vec<usize>> {
        self.layers
            .iter()
            .try_fold(self.input_shape.clone(), |s, l| l.output_shape(&s))
    }

    /// The layers, in order.
    #[must_use]
    pub fn layers(&self) -> &[Box<dyn Layer>] {
        &self.layers
    }

    /// The layers, taken out (to rebuild the network with layers inserted, as
    /// quantization-aware training inserts its activation quantizers).
    #[must_use]
    pub fn into_layers(self) -> Vec<Box<dyn Layer>> {
        self.layers
    }

    /// The layers, mutable (to swap one for a wrapper, for example).
    pub fn layers_mut(&mut self) -> &mut [Box<dyn Layer>] {
        &mut self.layers
    }

    /// Initialises every layer, in order, from one generator seeded with `seed`.
    pub fn init(&mut self, seed: u64) {
        let mut rng = SplitMix64::seed_from_u64(seed);
        for layer in &mut self.layers {
            layer.init(&mut rng);
        }
    }

    /// Runs the network on a batch, keeping what [`Network::backward`] needs.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] naming the layer when the input does not fit.
    pub fn forward(&mut self, input: &Tensor) -> Result<Tensor> {
        input.batch_of(&self.input_shape, &self.name)?;
        let mut x = input.clone();
        for layer in &mut self.layers {
            x = layer.forward(&x)?;
        }
        Ok(x)
    }

    /// Back-propagates ∂loss/∂output of the last forward, accumulating parameter gradients;
    /// returns ∂loss/∂input.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when `grad_output` does not fit the last output.
    pub fn backward(&mut self, grad_output: &Tensor) -> Result<Tensor> {
        let mut g = grad_output.clone();
        for layer in self.layers.iter_mut().rev() {
            g = layer.backward(&g)?;
        }
        Ok(g)
    }

    /// Every parameter, layer by layer, weight before bias (the checkpoint's tensors).
    #[must_use]
    pub fn params(&self) -> Vec<&Param> {
        self.layers.iter().flat_map(|l| l.params()).collect()
    }

    /// Every parameter, mutable, in the order of [`Network::params`].
    pub fn params_mut(&mut self) -> Vec<&mut Param> {
        self.layers
            .iter_mut()
            .flat_map(|l| l.params_mut())
            .collect()
    }

    /// The parameter named `name` (`fc1.weight`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] when there is none.
    pub fn param(&self, name: &str) -> Result<&Param> {
        self.params()
            .into_iter()
            .find(|p| p.name == name)
            .ok_or_else(|| Error::param("parameter name", name, "no such parameter"))
    }

    /// Clears every gradient.
    pub fn zero_grad(&mut self) {
        for p in self.params_mut() {
            p.zero_grad();
        }
    }

    /// Multiply-adds executed by every layer so far, counted in the layers' loops (see
    /// [`Macs`]).
    #[must_use]
    pub fn macs(&self) -> Macs {
        self.layers
            .iter()
            .fold(Macs::default(), |a, l| a.plus(&l.macs()))
    }

    /// Number of trainable values.
    #[must_use]
    pub fn parameter_count(&self) -> usize {
        self.params().iter().map(|p| p.value.len()).sum()
    }
}
