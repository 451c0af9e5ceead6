//! The training loop with a loss of the caller's choice (distillation's soft targets), from
//! the network's current parameters.
//!
//! **To fold at merge**: this is [`train`](crate::nn::train::train)'s loop (seeded shuffles
//! from `shuffle_seed`, mini-batches, one optimiser step per batch, the same linear
//! learning-rate decay) with the loss passed in; once the trainer's own fine-tuning loop
//! takes a loss (a `loss` method on its hook, softmax cross-entropy by default), this file
//! goes and its callers call that.

use crate::cost::SplitMix64;
use crate::nn::data::shuffle;
use crate::nn::train::{Network, Optimizer, Tensor, TrainConfig, TrainLog, gather};
use crate::{Error, Result};
use rand_core::SeedableRng;

/// Trains `net` **from its current parameters** (`config.init_seed` unused) on samples
/// `indices` of `inputs`; `loss(logits, batch)` gets a batch's logits and its sample
/// indices and returns the batch loss and ∂loss/∂logits. Only the parameters `net` lists
/// are trained (a layer freezes a tensor by not listing it).
///
/// # Errors
///
/// As [`TrainConfig::validate`] ("learning rate" ≤ 0 or NaN, ...); [`Error::InvalidParameter`]
/// ("training data") for no indices; as [`gather`], [`Network::forward`] and `loss`.
///
/// # Examples
///
/// ```
/// use arithsim::nn::finetune::loss_fit::fit_loss;
/// use arithsim::nn::train::{Dense, Network, OptimizerConfig, Tensor, TrainConfig, softmax_cross_entropy};
///
/// let mut net = Network::new("t", &[2], vec![Box::new(Dense::new("fc", 2, 2)?)])?;
/// let x = Tensor::new(vec![2, 2], vec![1.0, 0.0, 0.0, 1.0])?;
/// let config = TrainConfig {
///     epochs: 20, batch_size: 2, init_seed: 0, shuffle_seed: 1,
///     optimizer: OptimizerConfig::adam(0.1), final_lr_fraction: 1.0,
/// };
/// let log = fit_loss(&mut net, &x, &[0, 1], &config, |logits, batch| {
///     softmax_cross_entropy(logits, batch) // sample i has label i
/// })?;
/// assert!(log.epoch_loss[19] < log.epoch_loss[0]);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn fit_loss<L>(
    net: &mut Network,
    inputs: &Tensor,
    indices: &[usize],
    config: &TrainConfig,
    mut loss: L,
) -> Result<TrainLog>
where
    L: FnMut(&Tensor, &[usize]) -> Result<(f64, Tensor)>,
{
    config.validate()?;
    if indices.is_empty() {
        return Err(Error::param(
            "training data",
            "0 images",
            "must not be empty",
        ));
    }
    let mut opt = Optimizer::new(config.optimizer)?;
    let mut rng = SplitMix64::seed_from_u64(config.shuffle_seed);
    let per_epoch = indices.len().div_ceil(config.batch_size);
    let total = per_epoch * config.epochs;
    let peak = f64::from(config.optimizer.lr());
    let end = peak * f64::from(config.final_lr_fraction);
    let mut order = indices.to_vec();
    let macs_before = net.macs();
    let mut log = TrainLog {
        epoch_loss: Vec::with_capacity(config.epochs),
        steps: 0,
        macs: crate::nn::train::Macs::default(),
    };
    for _ in 0..config.epochs {
        shuffle(&mut rng, &mut order);
        let mut loss_sum = 0.0;
        for batch in order.chunks(config.batch_size) {
            let x = gather(inputs, batch)?;
            net.zero_grad();
            let logits = net.forward(&x)?;
            let (l, grad) = loss(&logits, batch)?;
            net.backward(&grad)?;
            // The trainer's schedule: linear from the peak to peak × final fraction.
            let frac = if total <= 1 {
                0.0
            } else {
                log.steps as f64 / (total - 1) as f64
            };
            opt.step(&mut net.params_mut(), (peak + (end - peak) * frac) as f32)?;
            loss_sum += l;
            log.steps += 1;
        }
        log.epoch_loss.push(loss_sum / per_epoch as f64);
    }
    log.macs = net.macs().since(&macs_before);
    Ok(log)
}
