//! Optimisers: SGD with momentum and Adam, element by element in f32 (no reductions, so
//! the update order cannot change a bit), with decoupled weight decay.

use super::Param;
use crate::{Error, Result};

/// The optimiser and its hyper-parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OptimizerConfig {
    /// `v ← μ·v + g; w ← w − lr·(v + λ·w)`.
    Sgd {
        /// Learning rate, > 0.
        lr: f32,
        /// Momentum μ in `[0, 1)`.
        momentum: f32,
        /// Weight decay λ ≥ 0.
        weight_decay: f32,
    },
    /// Adam (Kingma & Ba) with decoupled weight decay (AdamW):
    /// `m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
    /// w ← w − lr·(m/(1−β1ᵗ) / (√(v/(1−β2ᵗ)) + ε) + λ·w)`.
    Adam {
        /// Learning rate, > 0.
        lr: f32,
        /// β1 in `[0, 1)`.
        beta1: f32,
        /// β2 in `[0, 1)`.
        beta2: f32,
        /// ε > 0.
        eps: f32,
        /// Weight decay λ ≥ 0.
        weight_decay: f32,
    },
}

impl OptimizerConfig {
    /// Adam with the usual β1 = 0.9, β2 = 0.999, ε = 1e-8 and no weight decay.
    #[must_use]
    pub fn adam(lr: f32) -> OptimizerConfig {
        OptimizerConfig::Adam {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.0,
        }
    }

    /// The learning rate.
    #[must_use]
    pub fn lr(&self) -> f32 {
        match *self {
            OptimizerConfig::Sgd { lr, .. } | OptimizerConfig::Adam { lr, .. } => lr,
        }
    }

    /// Checks every hyper-parameter.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming the first bad one (learning rate ≤ 0 or not
    /// finite, momentum or β outside `[0, 1)`, ε ≤ 0, weight decay < 0 or not finite).
    pub fn validate(&self) -> Result<()> {
        let positive = |name: &'static str, v: f32| {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(Error::param(name, v, "must be finite and > 0"))
            }
        };
        let unit = |name: &'static str, v: f32| {
            if (0.0..1.0).contains(&v) {
                Ok(())
            } else {
                Err(Error::param(name, v, "must be in [0, 1)"))
            }
        };
        let decay = |v: f32| {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err(Error::param("weight decay", v, "must be finite and >= 0"))
            }
        };
        match *self {
            OptimizerConfig::Sgd {
                lr,
                momentum,
                weight_decay,
            } => {
                positive("learning rate", lr)?;
                unit("momentum", momentum)?;
                decay(weight_decay)
            }
            OptimizerConfig::Adam {
                lr,
                beta1,
                beta2,
                eps,
                weight_decay,
            } => {
                positive("learning rate", lr)?;
                unit("beta1", beta1)?;
                unit("beta2", beta2)?;
                positive("epsilon", eps)?;
                decay(weight_decay)
            }
        }
    }
}

/// An optimiser's state: one or two moment buffers per parameter, keyed by name.
#[derive(Clone, Debug)]
pub struct Optimizer {
    config: OptimizerConfig,
    step: u32,
    /// β1ᵗ and β2ᵗ as running products (no `powi`, whose last bit is not portable).
    beta_powers: (f32, f32),
    state: Vec<(String, Vec<f32>, Vec<f32>)>,
}

impl Optimizer {
    /// A fresh optimiser.
    ///
    /// # Errors
    ///
    /// As [`OptimizerConfig::validate`].
    pub fn new(config: OptimizerConfig) -> Result<Optimizer> {
        config.validate()?;
        Ok(Optimizer {
            config,
            step: 0,
            beta_powers: (1.0, 1.0),
            state: Vec::new(),
        })
    }

    /// Steps taken so far.
    #[must_use]
    pub fn steps(&self) -> u32 {
        self.step
    }

    /// One update of every parameter from its gradient, with learning rate `lr` (the
    /// schedule's value for this step; the configured one is the peak).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for a bad `lr`; [`Error::Shape`] when the parameters are
    /// not the ones (names, sizes, order) of the first step.
    pub fn step(&mut self, params: &mut [&mut Param], lr: f32) -> Result<()> {
        if !(lr.is_finite() && lr > 0.0) {
            return Err(Error::param("learning rate", lr, "must be finite and > 0"));
        }
        if self.state.is_empty() {
            self.state = params
                .iter()
                .map(|p| {
                    (
                        p.name.clone(),
                        vec![0.0; p.value.len()],
                        vec![0.0; p.value.len()],
                    )
                })
                .collect();
        }
        if self.state.len() != params.len()
            || self
                .state
                .iter()
                .zip(params.iter())
                .any(|(s, p)| s.0 != p.name || s.1.len() != p.value.len())
        {
            return Err(Error::Shape(
                "optimizer: parameters differ from the first step's".into(),
            ));
        }
        self.step += 1;
        match self.config {
            OptimizerConfig::Sgd {
                momentum,
                weight_decay,
                ..
            } => {
                for (p, (_, v, _)) in params.iter_mut().zip(&mut self.state) {
                    let w = p.value.data_mut();
                    for ((wi, &gi), vi) in w.iter_mut().zip(p.grad.data()).zip(v.iter_mut()) {
                        *vi = momentum * *vi + gi;
                        *wi -= lr * (*vi + weight_decay * *wi);
                    }
                }
            }
            OptimizerConfig::Adam {
                beta1,
                beta2,
                eps,
                weight_decay,
                ..
            } => {
                self.beta_powers.0 *= beta1;
                self.beta_powers.1 *= beta2;
                let (c1, c2) = (1.0 - self.beta_powers.0, 1.0 - self.beta_powers.1);
                for (p, (_, m, v)) in params.iter_mut().zip(&mut self.state) {
                    let w = p.value.data_mut();
                    for (((wi, &gi), mi), vi) in w
                        .iter_mut()
                        .zip(p.grad.data())
                        .zip(m.iter_mut())
                        .zip(v.iter_mut())
                    {
                        *mi = beta1 * *mi + (1.0 - beta1) * gi;
                        *vi = beta2 * *vi + (1.0 - beta2) * gi * gi;
                        let update = (*mi / c1) / ((*vi / c2).sqrt() + eps);
                        *wi -= lr * (update + weight_decay * *wi);
                    }
                }
            }
        }
        Ok(())
    }
}
