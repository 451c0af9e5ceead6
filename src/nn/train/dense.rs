//! A fully connected layer: `y[n][o] = Σ_i W[o][i]·x[n][i] + b[o]`, weight `[out, in]`.
//!
//! Sums (fixed order): forward over `i` ascending from 0, then `+ b`; ∂x over `o`
//! ascending; ∂W and ∂b over the batch `n` ascending, added to the gradient already there.

use super::Tensor;
use super::layer::{Layer, Macs, Param, backward_shape_error, uniform};
use crate::cost::SplitMix64;
use crate::{Error, Result};

/// A dense (fully connected) layer on `[batch, in]` inputs.
///
/// # Examples
///
/// ```
/// use arithsim::nn::train::{Dense, Layer, Tensor};
///
/// let mut fc = Dense::new("fc", 2, 1)?;
/// fc.params_mut()[0].value.data_mut().copy_from_slice(&[2.0, -1.0]);
/// fc.params_mut()[1].value.data_mut()[0] = 0.5;
/// let y = fc.forward(&Tensor::new(vec![1, 2], vec![3.0, 4.0])?)?;
/// assert_eq!(y.data(), [2.0 * 3.0 - 4.0 + 0.5]);
/// // ∂y/∂x = W; ∂y/∂W = x.
/// let dx = fc.backward(&Tensor::new(vec![1, 1], vec![1.0])?)?;
/// assert_eq!(dx.data(), [2.0, -1.0]);
/// assert_eq!(fc.params()[0].grad.data(), [3.0, 4.0]);
/// # Ok::<(), arithsim::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Dense {
    name: String,
    inputs: usize,
    outputs: usize,
    weight: Param,
    bias: Param,
    last_input: Option<Tensor>,
    macs: Macs,
}

impl Dense {
    /// A layer `name` from `inputs` to `outputs` features, parameters zero until
    /// [`Layer::init`].
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when a size is zero.
    pub fn new(name: &str, inputs: usize, outputs: usize) -> Result<Dense> {
        if inputs == 0 || outputs == 0 {
            return Err(Error::Shape(format!(
                "layer {name}: dense {inputs} -> {outputs} needs both sizes at least 1"
            )));
        }
        Ok(Dense {
            name: name.to_string(),
            inputs,
            outputs,
            weight: Param::new(format!("{name}.weight"), Tensor::zeros(&[outputs, inputs])),
            bias: Param::new(format!("{name}.bias"), Tensor::zeros(&[outputs])),
            last_input: None,
            macs: Macs::default(),
        })
    }
}

impl Layer for Dense {
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
        let (w, b, x) = (
            self.weight.value.data(),
            self.bias.value.data(),
            input.data(),
        );
        let mut out = Vec::with_capacity(n * self.outputs);
        for xs in x.chunks_exact(self.inputs) {
            for (o, row) in w.chunks_exact(self.inputs).enumerate() {
                let mut acc = 0.0f32;
                for (wi, xi) in row.iter().zip(xs) {
                    acc += wi * xi;
                }
                out.push(acc + b[o]);
            }
        }
        self.last_input = Some(input.clone());
        self.macs.forward += (n * self.outputs * self.inputs) as u64;
        Tensor::new(vec![n, self.outputs], out)
    }

    fn backward(&mut self, grad_output: &Tensor) -> Result<Tensor> {
        let x = self
            .last_input
            .as_ref()
            .ok_or_else(|| backward_shape_error(&self.name, grad_output.shape(), None))?;
        let n = x.shape()[0];
        if grad_output.shape() != [n, self.outputs] {
            return Err(backward_shape_error(
                &self.name,
                grad_output.shape(),
                Some(&[n, self.outputs]),
            ));
        }
        let (k, m) = (self.inputs, self.outputs);
        let g = grad_output.data();
        let w = self.weight.value.data();
        let mut dx = vec![0.0f32; n * k];
        for s in 0..n {
            let gs = &g[s * m..(s + 1) * m];
            let dxs = &mut dx[s * k..(s + 1) * k];
            for (o, &go) in gs.iter().enumerate() {
                for (d, &wi) in dxs.iter_mut().zip(&w[o * k..(o + 1) * k]) {
                    *d += go * wi;
                }
            }
        }
        let dw = self.weight.grad.data_mut();
        let db = self.bias.grad.data_mut();
        for s in 0..n {
            let xs = &x.data()[s * k..(s + 1) * k];
            for o in 0..m {
                let go = g[s * m + o];
                db[o] += go;
                for (d, &xi) in dw[o * k..(o + 1) * k].iter_mut().zip(xs) {
                    *d += go * xi;
                }
            }
        }
        self.macs.backward_input += (n * m * k) as u64;
        self.macs.backward_weight += (n * m * k) as u64;
        Tensor::new(vec![n, k], dx)
    }

    /// He (Kaiming) uniform weights, `U(±√(6 / in))`, drawn row-major; zero bias.
    fn init(&mut self, rng: &mut SplitMix64) {
        let bound = (6.0 / self.inputs as f32).sqrt();
        for v in self.weight.value.data_mut() {
            *v = uniform(rng, bound);
        }
        self.bias.value.fill_zero();
    }

    fn params(&self) -> Vec<&Param> {
        vec![&self.weight, &self.bias]
    }

    fn params_mut(&mut self) -> Vec<&mut Param> {
        vec![&mut self.weight, &mut self.bias]
    }

    fn macs(&self) -> Macs {
        self.macs
    }
}
