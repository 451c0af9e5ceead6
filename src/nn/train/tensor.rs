//! A dense f32 tensor: a shape and its values in row-major order. Training's one data type.

use crate::{Error, Result};

/// A row-major f32 tensor. A batch is its first axis (`[N, C, H, W]`, `[N, features]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Tensor {
    shape: Vec<usize>,
    data: Vec<f32>,
}

impl Tensor {
    /// A tensor from a shape and its values.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when the product of `shape` is not `data.len()`.
    pub fn new(shape: Vec<usize>, data: Vec<f32>) -> Result<Tensor> {
        let n = shape.iter().try_fold(1usize, |a, &d| a.checked_mul(d));
        if n != Some(data.len()) {
            return Err(Error::Shape(format!(
                "shape {shape:?} does not hold the {} values given",
                data.len()
            )));
        }
        Ok(Tensor { shape, data })
    }

    /// A tensor of zeros.
    ///
    /// # Panics
    ///
    /// As `vec!`, when the size does not fit in memory.
    #[must_use]
    pub fn zeros(shape: &[usize]) -> Tensor {
        Tensor {
            shape: shape.to_vec(),
            data: vec![0.0; shape.iter().product()],
        }
    }

    /// The shape.
    #[must_use]
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// The values, row-major.
    #[must_use]
    pub fn data(&self) -> &[f32] {
        &self.data
    }

    /// The values, row-major, to change in place.
    pub fn data_mut(&mut self) -> &mut [f32] {
        &mut self.data
    }

    /// Number of values.
    #[must_use]
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// True when the tensor holds no values.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The same values under another shape.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when the sizes differ.
    pub fn reshape(self, shape: Vec<usize>) -> Result<Tensor> {
        Tensor::new(shape, self.data)
    }

    /// Sets every value to zero (gradients between steps).
    pub fn fill_zero(&mut self) {
        self.data.iter_mut().for_each(|v| *v = 0.0);
    }

    /// `(batch, values per sample)`, checking that the per-sample shape is `sample` (used by
    /// layers to validate their input).
    pub(crate) fn batch_of(&self, sample: &[usize], layer: &str) -> Result<usize> {
        if self.shape.len() != sample.len() + 1 || self.shape[1..] != *sample {
            return Err(Error::Shape(format!(
                "layer {layer}: input shape {:?}, expected [batch, {}]",
                self.shape,
                sample
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        Ok(self.shape[0])
    }
}

/// The trainer's tensor as the checkpoint's [`nn::Tensor`](crate::nn::Tensor): the one
/// conversion between the two. They stay two types because the trainer's layers index
/// `data` by `shape` without re-checking, so its fields are private behind
/// [`Tensor::new`]'s check, while a checkpoint tensor is plain data a user fills in and
/// [`Checkpoint::tensor`](crate::nn::Checkpoint::tensor) checks on use.
impl From<&Tensor> for crate::nn::Tensor {
    fn from(t: &Tensor) -> Self {
        crate::nn::Tensor {
            shape: t.shape.clone(),
            data: t.data.clone(),
        }
    }
}
