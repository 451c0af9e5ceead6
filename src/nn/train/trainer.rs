//! The training loop: seeded shuffles, mini-batches, softmax cross-entropy, one optimiser
//! step per batch, a linearly decaying learning rate. Single-threaded; every sum in a fixed
//! order, so the same configuration reproduces the weights bit for bit.

use super::{Macs, Network, Optimizer, OptimizerConfig, Tensor, softmax_cross_entropy};
use rand_core::SeedableRng;

use crate::cost::SplitMix64;
use crate::nn::data::shuffle;
use crate::{Error, Result};

/// How to train.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrainConfig {
    /// Passes over the training set, ≥ 1.
    pub epochs: usize,
    /// Images per optimiser step, ≥ 1 (the last batch of an epoch may be smaller).
    pub batch_size: usize,
    /// Seed of the weight initialisation ([`Network::init`]).
    pub init_seed: u64,
    /// Seed of the per-epoch shuffles of the training images.
    pub shuffle_seed: u64,
    /// Optimiser and peak learning rate.
    pub optimizer: OptimizerConfig,
    /// The learning rate falls linearly from the peak to `peak × final_lr_fraction` over
    /// the run (1 = constant), in `(0, 1]`.
    pub final_lr_fraction: f32,
}

impl TrainConfig {
    /// Checks every hyper-parameter.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming the bad one: zero epochs or batch size, a final
    /// learning-rate fraction outside `(0, 1]`, or as [`OptimizerConfig::validate`].
    pub fn validate(&self) -> Result<()> {
        if self.epochs == 0 {
            return Err(Error::param("epochs", 0, "must be at least 1"));
        }
        if self.batch_size == 0 {
            return Err(Error::param("batch size", 0, "must be at least 1"));
        }
        if !(self.final_lr_fraction > 0.0 && self.final_lr_fraction <= 1.0) {
            return Err(Error::param(
                "final learning-rate fraction",
                self.final_lr_fraction,
                "must be in (0, 1]",
            ));
        }
        self.optimizer.validate()
    }

    /// The learning rate of step `t` of `total` (linear decay, computed in f64, rounded once).
    fn lr_at(&self, t: usize, total: usize) -> f32 {
        let peak = f64::from(self.optimizer.lr());
        let end = peak * f64::from(self.final_lr_fraction);
        let frac = if total <= 1 {
            0.0
        } else {
            t as f64 / (total - 1) as f64
        };
        (peak + (end - peak) * frac) as f32
    }
}

/// What a training run did.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainLog {
    /// Mean training loss of each epoch (mean over batches of the batch mean).
    pub epoch_loss: Vec<f64>,
    /// Optimiser steps taken.
    pub steps: usize,
    /// Multiply-adds of the run's forward and backward passes, counted by the layers.
    pub macs: Macs,
}

/// What [`fit`] calls around every step, so that quantization-aware training, pruning masks
/// and frozen parameters reuse the one training loop instead of copying it.
///
/// The loop, per batch: `forward_values` → forward → `loss` → backward → `gradients` →
/// optimiser step → `after_step`; after each epoch, `epoch_end`. Every method does nothing
/// by default, except `loss`: softmax cross-entropy against the labels.
pub trait TrainHook {
    /// Before the forward pass: the values the pass should use for each parameter (in
    /// [`Network::params`] order; `None` = the parameter as it is), given the trained
    /// ("latent") parameters. The pass and its backward run on these values; the gradients
    /// they give are applied to the latent values (the straight-through estimator), which
    /// are put back before the optimiser step.
    ///
    /// # Errors
    ///
    /// Whatever the hook's quantizer returns.
    fn forward_values(&mut self, _net: &Network) -> Result<Vec<Option<Vec<f32>>>> {
        Ok(Vec::new())
    }

    /// The loss of a batch and its gradient with respect to the logits, given the logits,
    /// the batch's sample indices (into the training inputs) and their labels. Softmax
    /// cross-entropy by default; distillation's soft targets replace it.
    ///
    /// # Errors
    ///
    /// As [`softmax_cross_entropy`] by default; the hook's own otherwise.
    fn loss(
        &mut self,
        logits: &Tensor,
        _batch: &[usize],
        labels: &[usize],
    ) -> Result<(f64, Tensor)> {
        softmax_cross_entropy(logits, labels)
    }

    /// After backward, before the optimiser step: may change the gradients (zero the frozen
    /// or pruned entries).
    ///
    /// # Errors
    ///
    /// The hook's own.
    fn gradients(&mut self, _net: &mut Network) -> Result<()> {
        Ok(())
    }

    /// After the optimiser step: may change the parameters (put pruned or frozen entries
    /// back, since weight decay moves them even with a zero gradient).
    ///
    /// # Errors
    ///
    /// The hook's own.
    fn after_step(&mut self, _net: &mut Network) -> Result<()> {
        Ok(())
    }

    /// After epoch `epoch` (0-based): evaluate, recalibrate.
    ///
    /// # Errors
    ///
    /// The hook's own; an error stops training.
    fn epoch_end(&mut self, _epoch: usize, _net: &mut Network) -> Result<()> {
        Ok(())
    }
}

/// The hook that changes nothing: [`train`] is [`fit`] with it.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoHook;

impl TrainHook for NoHook {}

/// Copies samples `indices` of `inputs` (`[N, ...]`) into one batch tensor.
///
/// # Errors
///
/// [`Error::OutOfRange`] for an index `≥ N`; [`Error::Shape`] when `inputs` has no batch
/// axis.
pub fn gather(inputs: &Tensor, indices: &[usize]) -> Result<Tensor> {
    let shape = inputs.shape();
    let Some(&n) = shape.first() else {
        return Err(Error::Shape("inputs have no batch axis".into()));
    };
    let per: usize = shape[1..].iter().product();
    let mut data = Vec::with_capacity(indices.len() * per);
    for &i in indices {
        if i >= n {
            return Err(Error::OutOfRange {
                value: i.to_string(),
                min: "0".into(),
                max: n.saturating_sub(1).to_string(),
                what: "sample index".into(),
            });
        }
        data.extend_from_slice(&inputs.data()[i * per..(i + 1) * per]);
    }
    let mut s = shape.to_vec();
    s[0] = indices.len();
    Tensor::new(s, data)
}

fn check_data(inputs: &Tensor, labels: &[usize], indices: &[usize]) -> Result<()> {
    if indices.is_empty() {
        return Err(Error::param(
            "training data",
            "0 images",
            "must not be empty",
        ));
    }
    if inputs.shape().first() != Some(&labels.len()) {
        return Err(Error::Shape(format!(
            "inputs {:?} for {} labels",
            inputs.shape(),
            labels.len()
        )));
    }
    Ok(())
}

/// Initialises `net` from `config.init_seed` and trains it on samples `indices` of
/// `inputs` (`[N, ...]`, per-sample shape the network's input) with `labels` (length `N`).
///
/// # Errors
///
/// As [`TrainConfig::validate`]; [`Error::InvalidParameter`] ("training data") when
/// `indices` is empty; [`Error::Shape`] / [`Error::OutOfRange`] for inputs, labels or
/// indices that do not fit.
pub fn train(
    net: &mut Network,
    inputs: &Tensor,
    labels: &[usize],
    indices: &[usize],
    config: &TrainConfig,
) -> Result<TrainLog> {
    config.validate()?;
    check_data(inputs, labels, indices)?;
    net.init(config.init_seed);
    fit(net, inputs, labels, indices, config, &mut NoHook)
}

/// Trains `net` from its current parameters (fine-tuning: `config.init_seed` is not used)
/// with `hook` called around every step; otherwise as [`train`]: seeded shuffles,
/// mini-batches, the hook's loss (softmax cross-entropy by default), the learning-rate
/// schedule, bit-reproducible.
///
/// # Errors
///
/// As [`train`]; the hook's errors; [`Error::Shape`] when `forward_values` gives values of
/// another length than the parameter.
///
/// # Examples
///
/// ```
/// use arithsim::nn::train::{Dense, Layer, Network, NoHook, OptimizerConfig, Tensor, TrainConfig, fit};
///
/// let mut net = Network::new("t", &[2], vec![Box::new(Dense::new("fc", 2, 2)?)])?;
/// let x = Tensor::new(vec![2, 2], vec![1.0, 0.0, 0.0, 1.0])?;
/// let config = TrainConfig {
///     epochs: 20, batch_size: 2, init_seed: 0, shuffle_seed: 1,
///     optimizer: OptimizerConfig::adam(0.1), final_lr_fraction: 1.0,
/// };
/// let log = fit(&mut net, &x, &[0, 1], &[0, 1], &config, &mut NoHook)?;
/// assert!(log.epoch_loss[19] < log.epoch_loss[0]);
/// assert_eq!(log.macs.forward, 20 * 2 * 4); // 20 steps of 2 images through 2 x 2 weights
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn fit(
    net: &mut Network,
    inputs: &Tensor,
    labels: &[usize],
    indices: &[usize],
    config: &TrainConfig,
    hook: &mut dyn TrainHook,
) -> Result<TrainLog> {
    config.validate()?;
    check_data(inputs, labels, indices)?;
    let mut opt = Optimizer::new(config.optimizer)?;
    let mut rng = SplitMix64::seed_from_u64(config.shuffle_seed);
    let per_epoch = indices.len().div_ceil(config.batch_size);
    let total = per_epoch * config.epochs;
    let mut order = indices.to_vec();
    let macs_before = net.macs();
    let mut log = TrainLog {
        epoch_loss: Vec::with_capacity(config.epochs),
        steps: 0,
        macs: Macs::default(),
    };
    for epoch in 0..config.epochs {
        shuffle(&mut rng, &mut order);
        let mut loss_sum = 0.0;
        for batch in order.chunks(config.batch_size) {
            let x = gather(inputs, batch)?;
            let y: Vec<usize> = batch.iter().map(|&i| labels[i]).collect();
            net.zero_grad();
            let latent = swap_in(net, hook.forward_values(net)?)?;
            let logits = net.forward(&x)?;
            let (loss, grad) = hook.loss(&logits, batch, &y)?;
            net.backward(&grad)?;
            swap_in(net, latent)?;
            hook.gradients(net)?;
            let lr = config.lr_at(log.steps, total);
            opt.step(&mut net.params_mut(), lr)?;
            hook.after_step(net)?;
            loss_sum += loss;
            log.steps += 1;
        }
        log.epoch_loss.push(loss_sum / per_epoch as f64);
        hook.epoch_end(epoch, net)?;
    }
    log.macs = net.macs().since(&macs_before);
    Ok(log)
}

/// Puts `values` into the parameters (by [`Network::params`] position, `None` skipped) and
/// returns what was there, in the same form.
fn swap_in(net: &mut Network, values: Vec<Option<Vec<f32>>>) -> Result<Vec<Option<Vec<f32>>>> {
    if values.is_empty() {
        return Ok(values);
    }
    let mut params = net.params_mut();
    if values.len() > params.len() {
        return Err(Error::Shape(format!(
            "training hook gave values for {} parameters, the network has {}",
            values.len(),
            params.len()
        )));
    }
    let mut old = Vec::with_capacity(values.len());
    for (p, v) in params.iter_mut().zip(values) {
        let Some(mut v) = v else {
            old.push(None);
            continue;
        };
        if v.len() != p.value.len() {
            return Err(Error::Shape(format!(
                "training hook gave {} values for {} of {}",
                v.len(),
                p.name,
                p.value.len()
            )));
        }
        p.value.data_mut().swap_with_slice(&mut v);
        old.push(Some(v));
    }
    Ok(old)
}

/// The predicted class (argmax of the logits, lowest class on ties) of samples `indices`,
/// in batches of 256.
///
/// # Errors
///
/// As [`gather`] and [`Network::forward`].
pub fn predict(net: &mut Network, inputs: &Tensor, indices: &[usize]) -> Result<Vec<usize>> {
    let mut out = Vec::with_capacity(indices.len());
    for batch in indices.chunks(256) {
        let logits = net.forward(&gather(inputs, batch)?)?;
        let [_, k] = *logits.shape() else {
            return Err(Error::Shape(format!(
                "network {}: output {:?} is not [batch, classes]",
                net.name(),
                logits.shape()
            )));
        };
        if k == 0 {
            return Err(Error::Shape(format!("network {}: no classes", net.name())));
        }
        for row in logits.data().chunks_exact(k) {
            let mut best = 0;
            for (c, &v) in row.iter().enumerate() {
                if v > row[best] {
                    best = c;
                }
            }
            out.push(best);
        }
    }
    Ok(out)
}

/// Top-1 accuracy (fraction correct) on samples `indices`.
///
/// # Errors
///
/// As [`predict`]; [`Error::InvalidParameter`] ("evaluation data") when `indices` is empty.
pub fn accuracy(
    net: &mut Network,
    inputs: &Tensor,
    labels: &[usize],
    indices: &[usize],
) -> Result<f64> {
    if indices.is_empty() {
        return Err(Error::param(
            "evaluation data",
            "0 images",
            "must not be empty",
        ));
    }
    check_data(inputs, labels, indices)?;
    let p = predict(net, inputs, indices)?;
    let correct = p
        .iter()
        .zip(indices)
        .filter(|&(&p, &i)| p == labels[i])
        .count();
    Ok(correct as f64 / indices.len() as f64)
}
