//! Fine-tuning, measured: quantization-aware training, pruning with retraining, LoRA/QLoRA
//! adapters on a frozen (quantized) base and distillation, on the digits networks, every
//! accuracy measured afterwards by the bit-exact [`Executor`] and every training step's
//! MACs counted and priced (see `docs/finetuning.md`).
//!
//! The shared pieces (used by every method, LoRA and distillation included):
//!
//! - [`Bench`]: the digits data on the fixed split, as training tensors and as executor
//!   images; [`pretrained`]: the committed FP32 checkpoints as trainable networks.
//! - [`FineTune`]: the hyper-parameters of a fine-tuning run, checked ([`FineTune::validate`]
//!   names the bad one) and turned into the trainer's [`TrainConfig`].
//! - [`graph`]: a trainable network as the executor's [`Network`]; [`evaluate`]: its
//!   accuracy by the [`Executor`] in any [`Format`] (the only accuracy this module reports).
//! - [`MaskHook`]: a [`TrainHook`] that holds masked-out entries of chosen parameters fixed
//!   (pruned weights at zero, frozen parameters at their value).
//! - [`fake_quant`]: the quantization-aware hook; [`qat`], [`prune`]: the experiments;
//!   [`cost`]: training MACs priced with a cost table.
//!
//! The training runs the trainer of [`crate::nn::train`] (native f32 products, hand-written
//! backward passes, single-threaded, bit-reproducible); no autodiff crate: the four layer
//! kinds have checked backward passes already, and a dependency would not make the
//! bit-for-bit reproducibility any easier.

pub mod cost;
pub mod distill;
pub mod fake_quant;
pub mod lora;
pub mod prune;
pub mod qat;

use crate::nn::data::{Digits, Split};
use crate::nn::train::{
    self, DigitsNet, OptimizerConfig, TrainConfig, TrainHook, digits_tensor, load_safetensors,
    to_checkpoint,
};
use crate::nn::{Executor, Format, Network, RunOutput, calibrate, digits_cnn, digits_mlp};
use crate::{Error, Result};

pub use fake_quant::{ActQuant, FakeQuant, QatHook};

const MLP_BYTES: &[u8] = include_bytes!("../../../data/networks/digits_mlp.safetensors");
const CNN_BYTES: &[u8] = include_bytes!("../../../data/networks/digits_cnn.safetensors");

/// The committed FP32 checkpoint of `which` (`data/networks/`, embedded) as a trainable
/// network.
///
/// # Errors
///
/// Never for the embedded files.
///
/// # Examples
///
/// ```
/// use arithsim::nn::finetune::pretrained;
/// use arithsim::nn::train::DigitsNet;
///
/// let net = pretrained(DigitsNet::Mlp)?;
/// assert_eq!(net.parameter_count(), 6570);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn pretrained(which: DigitsNet) -> Result<train::Network> {
    let mut net = which.build()?;
    let bytes = match which {
        DigitsNet::Mlp => MLP_BYTES,
        DigitsNet::Cnn => CNN_BYTES,
    };
    load_safetensors(&mut net, bytes)?;
    Ok(net)
}

/// A trainable network as the executor's layer graph (same names, same f32 weights).
/// Layers without parameters that the graph does not know (the activation quantizers of
/// [`FakeQuant`]) are left out, so the graph is the network as deployed.
///
/// # Errors
///
/// [`Error::Unsupported`] for a network other than `digits_mlp` / `digits_cnn` (by name);
/// as [`digits_mlp`] / [`digits_cnn`].
pub fn graph(net: &train::Network) -> Result<Network> {
    let c = to_checkpoint(net, None);
    match net.name() {
        "digits_mlp" => digits_mlp(&c),
        "digits_cnn" => digits_cnn(&c),
        other => Err(Error::Unsupported(format!(
            "network {other}: no executor graph (digits_mlp and digits_cnn only)"
        ))),
    }
}

/// The digits data on one split: the training tensors, the executor's test images, and
/// the calibration images (the training images, as the network report calibrates).
#[derive(Clone, Debug)]
pub struct Bench {
    /// Every image as `[N, 1, 8, 8]`.
    pub inputs: train::Tensor,
    /// Every label.
    pub labels: Vec<usize>,
    /// The split (indices into `inputs`).
    pub split: Split,
    /// The training images as executor inputs (integer formats calibrate on them).
    pub calibration: Vec<Vec<f32>>,
    /// The test images as executor inputs.
    pub test: Vec<Vec<f32>>,
    /// The test labels.
    pub test_labels: Vec<usize>,
}

impl Bench {
    /// The embedded digits on the fixed split ([`Digits::FIXED_SPLIT_SEED`]), the split of
    /// the checkpoints.
    ///
    /// # Errors
    ///
    /// Never for the embedded data.
    pub fn digits() -> Result<Bench> {
        let d = Digits::embedded()?;
        let split = d.split(Digits::FIXED_SPLIT_SEED);
        let (inputs, labels) = digits_tensor(&d)?;
        let images = |ix: &[usize]| ix.iter().map(|&i| d.input(i)).collect::<Result<Vec<_>>>();
        Ok(Bench {
            calibration: images(&split.train)?,
            test: images(&split.test)?,
            test_labels: split.test.iter().map(|&i| labels[i]).collect(),
            inputs,
            labels,
            split,
        })
    }
}

/// The executor of `net` in `format`, integer formats calibrated (min/max or as the format
/// says) on `bench.calibration`.
///
/// # Errors
///
/// As [`graph`] and [`Executor::new`].
pub fn executor(net: &train::Network, format: &Format, bench: &Bench) -> Result<Executor> {
    Executor::new(&graph(net)?, format, &bench.calibration)
}

/// The test-split run of `net` in `format` by the bit-exact executor: predictions, logits
/// and counted operations. Every accuracy of the fine-tuning report comes from here.
///
/// # Errors
///
/// As [`executor`] and [`Executor::run`].
///
/// # Examples
///
/// ```
/// use arithsim::nn::Format;
/// use arithsim::nn::finetune::{Bench, evaluate, pretrained};
/// use arithsim::nn::train::DigitsNet;
///
/// let bench = Bench::digits()?;
/// let out = evaluate(&pretrained(DigitsNet::Mlp)?, &Format::fp32(), &bench)?;
/// assert_eq!(out.predictions.len(), 360);
/// assert!(out.accuracy(&bench.test_labels)? > 0.97);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn evaluate(net: &train::Network, format: &Format, bench: &Bench) -> Result<RunOutput> {
    evaluate_graph(&graph(net)?, format, bench)
}

/// As [`evaluate`], for a network already in the executor's form (merged LoRA adapters, a
/// re-quantized checkpoint): the executor in `format`, calibrated on `bench.calibration`,
/// on the test images.
///
/// # Errors
///
/// As [`Executor::new`] and [`Executor::run`].
pub fn evaluate_graph(net: &Network, format: &Format, bench: &Bench) -> Result<RunOutput> {
    Executor::new(net, format, &bench.calibration)?.run(&bench.test)
}

/// The activation ranges the executor would calibrate for `net` in `format` (min/max or
/// percentile on `bench.calibration`), or none for a format that does not calibrate.
///
/// # Errors
///
/// As [`graph`] and [`calibrate`].
pub fn ranges(net: &train::Network, format: &Format, bench: &Bench) -> Result<Vec<(f64, f64)>> {
    match format.arithmetic {
        crate::nn::Arithmetic::Int8(c) => calibrate(
            &crate::nn::compress(&graph(net)?, format.weights)?.0,
            &bench.calibration,
            c.calibration,
        ),
        _ => Ok(Vec::new()),
    }
}

/// The hyper-parameters of a fine-tuning run: Adam (β 0.9 / 0.999, ε 1e-8, no weight decay)
/// from the network's current weights, the learning rate falling linearly to a tenth.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FineTune {
    /// Passes over the training split, ≥ 1.
    pub epochs: usize,
    /// Images per step, ≥ 1.
    pub batch_size: usize,
    /// Peak learning rate, finite and > 0.
    pub lr: f32,
    /// Seed of the shuffles (the run's only randomness).
    pub seed: u64,
}

impl FineTune {
    /// Checks every hyper-parameter.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming it: zero epochs or batch size, a learning rate
    /// ≤ 0 or not finite.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::nn::finetune::FineTune;
    ///
    /// let bad = FineTune { epochs: 1, batch_size: 32, lr: f32::NAN, seed: 0 };
    /// assert!(bad.validate().unwrap_err().to_string().contains("learning rate"));
    /// ```
    pub fn validate(&self) -> Result<()> {
        self.config().validate()
    }

    /// The trainer's configuration (`init_seed` unused: fine-tuning starts from weights).
    #[must_use]
    pub fn config(&self) -> TrainConfig {
        TrainConfig {
            epochs: self.epochs,
            batch_size: self.batch_size,
            init_seed: 0,
            shuffle_seed: self.seed,
            optimizer: OptimizerConfig::adam(self.lr),
            final_lr_fraction: 0.1,
        }
    }
}

/// Trains `net` with `hook` on the bench's training split; as [`train::fit`], with the
/// hyper-parameters checked first.
///
/// # Errors
///
/// As [`FineTune::validate`] and [`train::fit`].
pub fn fine_tune(
    net: &mut train::Network,
    bench: &Bench,
    ft: &FineTune,
    hook: &mut dyn TrainHook,
) -> Result<train::TrainLog> {
    ft.validate()?;
    train::fit(
        net,
        &bench.inputs,
        &bench.labels,
        &bench.split.train,
        &ft.config(),
        hook,
    )
}

/// A [`TrainHook`] that holds the masked-out entries of chosen parameters at the values
/// they had when the hook was made: their gradients are zeroed before each step and the
/// values put back after it (Adam's decoupled weight decay would move them otherwise).
/// Pruning masks (held at zero) and frozen parameters (mask all `false`) are both this.
#[derive(Clone, Debug)]
pub struct MaskHook {
    /// Per parameter ([`train::Network::params`] order): `None` = trained freely, or
    /// `(mask, held values)` with `mask[i] = true` where the entry trains.
    masks: Vec<Option<(Vec<bool>, Vec<f32>)>>,
}

impl MaskHook {
    /// Masks by parameter name: entries where `mask` is `false` are held at their current
    /// value; parameters not named train freely.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for a name the network does not have;
    /// [`Error::Shape`] for a mask of another length than its parameter.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::nn::finetune::{Bench, FineTune, MaskHook, fine_tune, pretrained};
    /// use arithsim::nn::train::DigitsNet;
    ///
    /// let bench = Bench::digits()?;
    /// let mut net = pretrained(DigitsNet::Mlp)?;
    /// let before = net.param("fc1.weight")?.value.clone();
    /// // Freeze fc1 entirely, train the rest.
    /// let mut hook = MaskHook::new(&net, vec![("fc1.weight".into(), vec![false; 64 * 64])])?;
    /// let ft = FineTune { epochs: 1, batch_size: 64, lr: 1e-3, seed: 1 };
    /// fine_tune(&mut net, &bench, &ft, &mut hook)?;
    /// assert_eq!(net.param("fc1.weight")?.value, before);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn new(net: &train::Network, masks: Vec<(String, Vec<bool>)>) -> Result<MaskHook> {
        let params = net.params();
        let mut out: Vec<Option<(Vec<bool>, Vec<f32>)>> = vec![None; params.len()];
        for (name, mask) in masks {
            let i = params
                .iter()
                .position(|p| p.name == name)
                .ok_or_else(|| Error::param("parameter name", &name, "no such parameter"))?;
            if mask.len() != params[i].value.len() {
                return Err(Error::Shape(format!(
                    "mask of {} entries for {name} of {}",
                    mask.len(),
                    params[i].value.len()
                )));
            }
            out[i] = Some((mask, params[i].value.data().to_vec()));
        }
        Ok(MaskHook { masks: out })
    }

    /// Entries that train (mask `true`) plus every entry of unmasked parameters.
    #[must_use]
    pub fn trainable(&self, net: &train::Network) -> usize {
        net.params()
            .iter()
            .zip(&self.masks)
            .map(|(p, m)| match m {
                None => p.value.len(),
                Some((mask, _)) => mask.iter().filter(|&&k| k).count(),
            })
            .sum()
    }
}

impl TrainHook for MaskHook {
    fn gradients(&mut self, net: &mut train::Network) -> Result<()> {
        for (p, m) in net.params_mut().into_iter().zip(&self.masks) {
            if let Some((mask, _)) = m {
                for (g, &k) in p.grad.data_mut().iter_mut().zip(mask) {
                    if !k {
                        *g = 0.0;
                    }
                }
            }
        }
        Ok(())
    }

    fn after_step(&mut self, net: &mut train::Network) -> Result<()> {
        for (p, m) in net.params_mut().into_iter().zip(&self.masks) {
            if let Some((mask, held)) = m {
                for ((v, &k), &h) in p.value.data_mut().iter_mut().zip(mask).zip(held) {
                    if !k {
                        *v = h;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Mean and spread (min, max) of per-seed figures.
///
/// # Examples
///
/// ```
/// use arithsim::nn::finetune::Spread;
///
/// let s = Spread::of(&[0.5, 1.0, 0.75]);
/// assert_eq!((s.mean, s.min, s.max), (0.75, 0.5, 1.0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    /// Mean.
    pub mean: f64,
    /// Smallest.
    pub min: f64,
    /// Largest.
    pub max: f64,
}

impl Spread {
    /// Of `v` (NaN fields for an empty slice).
    #[must_use]
    pub fn of(v: &[f64]) -> Spread {
        Spread {
            mean: v.iter().sum::<f64>() / v.len() as f64,
            min: v.iter().copied().fold(f64::INFINITY, f64::min),
            max: v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        }
    }

    /// `max − min`.
    #[must_use]
    pub fn width(&self) -> f64 {
        self.max - self.min
    }
}
