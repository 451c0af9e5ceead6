//! Magnitude pruning with and without fine-tuning: the network pruned by the executor's own
//! weight compression (unstructured per layer, or 2:4), measured as is, then fine-tuned with
//! the pruned weights held at zero ([`MaskHook`]) and measured after every epoch — both by
//! the integer-only INT8 executor with the same pruning, so the two figures differ only by
//! the retraining.

use super::{Bench, FineTune, MaskHook, evaluate, fine_tune, graph, pretrained};
use crate::nn::train::{self, DigitsNet, TrainHook, TrainLog};
use crate::nn::{Arithmetic, Format, Int8Config, Op, WeightCompression, compress};
use crate::{Error, Result};

/// The format pruned networks are measured in: INT8 per-channel, min/max calibration,
/// integer-only, with the weights pruned by `how` (the network report's pruning rows).
///
/// # Errors
///
/// [`Error::InvalidParameter`] ("density") for a density outside (0, 1];
/// [`Error::Unsupported`] for a compression that is not pruning.
///
/// # Examples
///
/// ```
/// use arithsim::nn::WeightCompression;
/// use arithsim::nn::finetune::prune::format;
///
/// assert_eq!(format(WeightCompression::TwoFour)?.name, "INT8, 2:4");
/// let e = format(WeightCompression::Unstructured(1.5)).unwrap_err();
/// assert!(e.to_string().contains("density"));
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn format(how: WeightCompression) -> Result<Format> {
    let name = match how {
        WeightCompression::TwoFour => "INT8, 2:4".to_string(),
        WeightCompression::Unstructured(d) => format!("INT8, density {d}"),
        other => {
            return Err(Error::Unsupported(format!(
                "pruning by {other:?} (unstructured or 2:4 only)"
            )));
        }
    };
    let f = Format::new(name, Arithmetic::Int8(Int8Config::TFLITE), how);
    f.validate()?;
    Ok(f)
}

/// The keep-masks of `net`'s weights under `how`, by parameter name (`true` = kept): the
/// entries the executor's [`compress`] leaves non-zero, so the mask is the executor's.
///
/// # Errors
///
/// As [`graph`] and [`compress`].
pub fn masks(net: &train::Network, how: WeightCompression) -> Result<Vec<(String, Vec<bool>)>> {
    let (pruned, _) = compress(&graph(net)?, how)?;
    Ok(pruned
        .nodes()
        .iter()
        .filter_map(|n| match &n.op {
            Op::Dense(d) => Some((n.name.clone(), &d.weight)),
            Op::Conv2d(c) => Some((n.name.clone(), &c.weight)),
            _ => None,
        })
        .map(|(name, w)| {
            (
                format!("{name}.weight"),
                w.iter().map(|&v| v != 0.0).collect(),
            )
        })
        .collect())
}

/// One pruning run.
#[derive(Debug)]
pub struct PruneRun {
    /// The measuring format (INT8 with the pruning).
    pub format: Format,
    /// Fraction of weights kept (biases excluded).
    pub density: f64,
    /// The executor's test accuracy of the pruned checkpoint, no retraining.
    pub pruned_accuracy: f64,
    /// The executor's test accuracy after each fine-tuning epoch.
    pub epoch_accuracy: Vec<f64>,
    /// The executor's predictions after the last epoch.
    pub predictions: Vec<usize>,
    /// The trainer's log.
    pub log: TrainLog,
    /// Values the optimiser may change (kept weights and all biases).
    pub trainable: usize,
    /// The fine-tuned network (pruned entries exactly zero).
    pub net: train::Network,
}

struct PruneHook<'a> {
    mask: MaskHook,
    format: &'a Format,
    bench: &'a Bench,
    accuracy: Vec<f64>,
    predictions: Vec<usize>,
}

impl TrainHook for PruneHook<'_> {
    fn gradients(&mut self, net: &mut train::Network) -> Result<()> {
        self.mask.gradients(net)
    }

    fn after_step(&mut self, net: &mut train::Network) -> Result<()> {
        self.mask.after_step(net)
    }

    fn epoch_end(&mut self, _epoch: usize, net: &mut train::Network) -> Result<()> {
        let out = evaluate(net, self.format, self.bench)?;
        self.accuracy.push(out.accuracy(&self.bench.test_labels)?);
        self.predictions = out.predictions;
        Ok(())
    }
}

/// Prunes the committed `which` checkpoint by `how`, measures it, fine-tunes it with `ft`
/// (FP32 training, pruned weights held at zero) and measures it after every epoch.
///
/// # Errors
///
/// As [`format()`] and [`FineTune::validate`] (checked before any work), the executor and
/// the trainer.
///
/// # Examples
///
/// ```
/// use arithsim::nn::WeightCompression;
/// use arithsim::nn::finetune::{Bench, FineTune, prune};
/// use arithsim::nn::train::DigitsNet;
///
/// let bench = Bench::digits()?;
/// let ft = FineTune { epochs: 1, batch_size: 64, lr: 1e-3, seed: 1 };
/// let how = WeightCompression::Unstructured(0.1);
/// let run = prune::prune_fine_tune(DigitsNet::Mlp, how, &bench, &ft)?;
/// assert!(run.density < 0.11);
/// assert!(run.epoch_accuracy[0] > run.pruned_accuracy); // retraining recovers
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn prune_fine_tune(
    which: DigitsNet,
    how: WeightCompression,
    bench: &Bench,
    ft: &FineTune,
) -> Result<PruneRun> {
    let format = format(how)?;
    ft.validate()?;
    let mut net = pretrained(which)?;
    let pruned_accuracy = evaluate(&net, &format, bench)?.accuracy(&bench.test_labels)?;
    let masks = masks(&net, how)?;
    let (kept, total) = masks.iter().fold((0usize, 0usize), |(k, t), (_, m)| {
        (k + m.iter().filter(|&&b| b).count(), t + m.len())
    });
    // Zero the pruned entries first: the mask hook holds them at their value.
    for p in net.params_mut() {
        if let Some((_, m)) = masks.iter().find(|(n, _)| *n == p.name) {
            for (v, &k) in p.value.data_mut().iter_mut().zip(m) {
                if !k {
                    *v = 0.0;
                }
            }
        }
    }
    let mask = MaskHook::new(&net, masks)?;
    let trainable = mask.trainable(&net);
    let mut hook = PruneHook {
        mask,
        format: &format,
        bench,
        accuracy: Vec::new(),
        predictions: Vec::new(),
    };
    let log = fine_tune(&mut net, bench, ft, &mut hook)?;
    let (epoch_accuracy, predictions) = (hook.accuracy, hook.predictions);
    Ok(PruneRun {
        density: kept as f64 / total.max(1) as f64,
        format,
        pruned_accuracy,
        epoch_accuracy,
        predictions,
        log,
        trainable,
        net,
    })
}
