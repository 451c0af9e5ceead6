//! Parameter-free layers: ReLU, max pooling, flatten.

use super::Tensor;
use super::layer::{Layer, backward_shape_error};
use crate::{Error, Result};

/// `y = max(x, 0)`; the gradient passes where `x > 0` (zero at `x = 0`, as PyTorch).
#[derive(Clone, Debug)]
pub struct Relu {
    name: String,
    mask: Option<(Vec<usize>, Vec<bool>)>,
}

impl Relu {
    /// A ReLU named `name`.
    #[must_use]
    pub fn new(name: &str) -> Relu {
        Relu {
            name: name.to_string(),
            mask: None,
        }
    }
}

impl Layer for Relu {
    fn name(&self) -> &str {
        &self.name
    }

    fn output_shape(&self, input: &[usize]) -> Result<Vec<usize>> {
        Ok(input.to_vec())
    }

    fn forward(&mut self, input: &Tensor) -> Result<Tensor> {
        let mask: Vec<bool> = input.data().iter().map(|&v| v > 0.0).collect();
        let out = input
            .data()
            .iter()
            .zip(&mask)
            .map(|(&v, &m)| if m { v } else { 0.0 })
            .collect();
        self.mask = Some((input.shape().to_vec(), mask));
        Tensor::new(input.shape().to_vec(), out)
    }

    fn backward(&mut self, grad_output: &Tensor) -> Result<Tensor> {
        let Some((shape, mask)) = &self.mask else {
            return Err(backward_shape_error(&self.name, grad_output.shape(), None));
        };
        if grad_output.shape() != shape.as_slice() {
            return Err(backward_shape_error(
                &self.name,
                grad_output.shape(),
                Some(shape),
            ));
        }
        let dx = grad_output
            .data()
            .iter()
            .zip(mask)
            .map(|(&g, &m)| if m { g } else { 0.0 })
            .collect();
        Tensor::new(shape.clone(), dx)
    }
}

/// Max pooling over `size × size` windows moved by `stride`, no padding, on
/// `[batch, C, H, W]`; output `(H − size)/stride + 1` per axis. The gradient goes to the
/// first maximum of each window in row-major order.
#[derive(Clone, Debug)]
pub struct MaxPool2d {
    name: String,
    size: usize,
    stride: usize,
    winners: Option<(Vec<usize>, Vec<usize>)>,
}

impl MaxPool2d {
    /// A `size × size` max pool with stride `stride` (2 and 2 for the usual halving).
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when `size` or `stride` is zero.
    pub fn new(name: &str, size: usize, stride: usize) -> Result<MaxPool2d> {
        if size == 0 || stride == 0 {
            return Err(Error::Shape(format!(
                "layer {name}: max pool size {size} and stride {stride} must be at least 1"
            )));
        }
        Ok(MaxPool2d {
            name: name.to_string(),
            size,
            stride,
            winners: None,
        })
    }
}

impl Layer for MaxPool2d {
    fn name(&self) -> &str {
        &self.name
    }

    fn output_shape(&self, input: &[usize]) -> Result<Vec<usize>> {
        if input.len() != 3 || input[1] < self.size || input[2] < self.size {
            return Err(Error::Shape(format!(
                "layer {}: input {input:?}, expected [channels, height, width] of at least {s}x{s}",
                self.name,
                s = self.size
            )));
        }
        Ok(vec![
            input[0],
            (input[1] - self.size) / self.stride + 1,
            (input[2] - self.size) / self.stride + 1,
        ])
    }

    fn forward(&mut self, input: &Tensor) -> Result<Tensor> {
        let shape = input.shape();
        if shape.len() != 4 {
            return Err(Error::Shape(format!(
                "layer {}: input {shape:?}, expected [batch, channels, height, width]",
                self.name
            )));
        }
        let out_sample = self.output_shape(&shape[1..])?;
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3]);
        let (oh, ow) = (out_sample[1], out_sample[2]);
        let x = input.data();
        let mut out = Vec::with_capacity(n * c * oh * ow);
        let mut winners = Vec::with_capacity(n * c * oh * ow);
        for plane in 0..n * c {
            let base = plane * h * w;
            for oy in 0..oh {
                for ox in 0..ow {
                    let mut best = base + oy * self.stride * w + ox * self.stride;
                    for ky in 0..self.size {
                        for kx in 0..self.size {
                            let i = base + (oy * self.stride + ky) * w + ox * self.stride + kx;
                            if x[i] > x[best] {
                                best = i;
                            }
                        }
                    }
                    out.push(x[best]);
                    winners.push(best);
                }
            }
        }
        self.winners = Some((shape.to_vec(), winners));
        Tensor::new(vec![n, c, oh, ow], out)
    }

    fn backward(&mut self, grad_output: &Tensor) -> Result<Tensor> {
        let Some((shape, winners)) = &self.winners else {
            return Err(backward_shape_error(&self.name, grad_output.shape(), None));
        };
        if grad_output.len() != winners.len() || grad_output.shape().first() != shape.first() {
            return Err(backward_shape_error(&self.name, grad_output.shape(), None));
        }
        let mut dx = Tensor::zeros(shape);
        let d = dx.data_mut();
        for (&g, &i) in grad_output.data().iter().zip(winners) {
            d[i] += g;
        }
        Ok(dx)
    }
}

/// `[batch, d1, d2, ...]` → `[batch, d1·d2·...]`, keeping row-major (C, H, W) order.
#[derive(Clone, Debug)]
pub struct Flatten {
    name: String,
    last_shape: Option<Vec<usize>>,
}

impl Flatten {
    /// A flatten named `name`.
    #[must_use]
    pub fn new(name: &str) -> Flatten {
        Flatten {
            name: name.to_string(),
            last_shape: None,
        }
    }
}

impl Layer for Flatten {
    fn name(&self) -> &str {
        &self.name
    }

    fn output_shape(&self, input: &[usize]) -> Result<Vec<usize>> {
        Ok(vec![input.iter().product()])
    }

    fn forward(&mut self, input: &Tensor) -> Result<Tensor> {
        let shape = input.shape();
        if shape.is_empty() {
            return Err(Error::Shape(format!(
                "layer {}: input has no batch axis",
                self.name
            )));
        }
        self.last_shape = Some(shape.to_vec());
        let n = shape[0];
        let per: usize = shape[1..].iter().product();
        input.clone().reshape(vec![n, per])
    }

    fn backward(&mut self, grad_output: &Tensor) -> Result<Tensor> {
        let Some(shape) = &self.last_shape else {
            return Err(backward_shape_error(&self.name, grad_output.shape(), None));
        };
        let n = shape[0];
        let per: usize = shape[1..].iter().product();
        if grad_output.shape() != [n, per] {
            return Err(backward_shape_error(
                &self.name,
                grad_output.shape(),
                Some(&[n, per]),
            ));
        }
        grad_output.clone().reshape(shape.clone())
    }
}
