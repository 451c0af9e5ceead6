//! Distillation for real: a smaller CNN student trained from the digits CNN teacher's soft
//! targets (Hinton et al. 2015, "Distilling the Knowledge in a Neural Network"), against
//! the same student trained from the labels alone.
//!
//! # The loss
//!
//! For student logits `z`, teacher logits `t`, label `y`, temperature `T` and soft weight
//! `λ` ([`DistillConfig`]), per image:
//!
//! `L = (1 − λ)·CE(softmax(z), y) + λ·T²·KL(softmax(t/T) ‖ softmax(z/T))`
//!
//! and `∂L/∂z = (1 − λ)·(softmax(z) − onehot(y)) + λ·T·(softmax(z/T) − softmax(t/T))`, the
//! batch mean. `T²` keeps the soft term's gradient on the scale of the hard one's as `T`
//! grows (Hinton et al., section 2). The softmaxes use the trainer's [`exp_det`], so the
//! run is bit-reproducible; the loss value (a figure to print) is summed in f64.
//!
//! # The student
//!
//! [`student_cnn`]: the teacher's layout (`conv1` 3×3 → ReLU → pool → `conv2` 3×3 → ReLU →
//! pool → `fc`) with fewer channels, under the teacher's layer names, so its checkpoint runs
//! through [`digits_cnn`](crate::nn::digits_cnn) and the bit-exact executor like the
//! teacher's.
//!
//! # The teacher's cost
//!
//! The teacher's logits of the training images are computed once, by the trainer's f32
//! forward pass, before the first step, and reused every epoch (offline distillation): a
//! run pays one teacher forward pass per training image, counted by the teacher's layers
//! and added to the run's forward MACs ([`train_student`]), not one per image per epoch.

use crate::nn::train::{
    Conv2d, Dense, Flatten, Layer, MaxPool2d, Network, Relu, Tensor, TrainConfig, TrainHook,
    TrainLog, exp_det, fit, gather, softmax_cross_entropy,
};
use crate::{Error, Result};

/// Temperature and weight of the soft targets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DistillConfig {
    /// Softmax temperature `T > 0` of the soft targets (Hinton et al.: 2 to 20).
    pub temperature: f32,
    /// Weight `λ` of the soft term in `[0, 1]` (0: labels only; 1: soft targets only).
    pub soft_weight: f32,
}

impl DistillConfig {
    /// Checks the hyper-parameters.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] ("temperature") for `T ≤ 0` or not finite; ("soft
    /// weight") for `λ` outside `[0, 1]` or NaN.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::nn::finetune::distill::DistillConfig;
    ///
    /// let bad = DistillConfig { temperature: f32::NAN, soft_weight: 0.5 };
    /// assert!(bad.validate().unwrap_err().to_string().contains("temperature"));
    /// ```
    pub fn validate(&self) -> Result<()> {
        if !(self.temperature.is_finite() && self.temperature > 0.0) {
            return Err(Error::param(
                "temperature",
                self.temperature,
                "must be finite and > 0",
            ));
        }
        if !(0.0..=1.0).contains(&self.soft_weight) {
            return Err(Error::param(
                "soft weight",
                self.soft_weight,
                "must be in [0, 1]",
            ));
        }
        Ok(())
    }
}

/// `softmax(row / t)` with the trainer's arithmetic (max subtracted, [`exp_det`], classes
/// summed ascending in f32).
fn softmax_at(row: &[f32], t: f32) -> Vec<f32> {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let e: Vec<f32> = row.iter().map(|&z| exp_det((z - max) / t)).collect();
    let sum = e.iter().fold(0.0f32, |a, &b| a + b);
    e.into_iter().map(|v| v / sum).collect()
}

/// The distillation loss of a batch (see the module docs) and its gradient with respect to
/// the student's logits.
///
/// # Errors
///
/// As [`DistillConfig::validate`]; [`Error::Shape`] when `student` and `teacher` are not
/// both `[labels.len(), classes]`; as [`softmax_cross_entropy`] for the labels.
///
/// # Examples
///
/// ```
/// use arithsim::nn::finetune::distill::{DistillConfig, distillation_loss};
/// use arithsim::nn::train::Tensor;
///
/// // A student equal to the teacher: the soft term and its gradient vanish.
/// let z = Tensor::new(vec![1, 3], vec![1.0, 2.0, 0.5])?;
/// let soft = DistillConfig { temperature: 4.0, soft_weight: 1.0 };
/// let (loss, grad) = distillation_loss(&z, &z, &[1], soft)?;
/// assert!(loss.abs() < 1e-6);
/// assert!(grad.data().iter().all(|g| g.abs() < 1e-6));
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn distillation_loss(
    student: &Tensor,
    teacher: &Tensor,
    labels: &[usize],
    config: DistillConfig,
) -> Result<(f64, Tensor)> {
    config.validate()?;
    if student.shape() != teacher.shape() {
        return Err(Error::Shape(format!(
            "distillation: student logits {:?}, teacher logits {:?}",
            student.shape(),
            teacher.shape()
        )));
    }
    let (hard, hard_grad) = softmax_cross_entropy(student, labels)?;
    let (n, k) = (student.shape()[0], student.shape()[1]);
    let (t, lambda) = (config.temperature, config.soft_weight);
    let mut kl = 0.0f64;
    let mut grad = Vec::with_capacity(n * k);
    for ((zs, zt), gh) in student
        .data()
        .chunks_exact(k)
        .zip(teacher.data().chunks_exact(k))
        .zip(hard_grad.data().chunks_exact(k))
    {
        let (ps, pt) = (softmax_at(zs, t), softmax_at(zt, t));
        for c in 0..k {
            if pt[c] > 0.0 {
                let ratio = f64::from(pt[c]) / f64::from(ps[c]).max(f64::MIN_POSITIVE);
                kl += f64::from(pt[c]) * ratio.ln();
            }
            let soft = t * (ps[c] - pt[c]) / n as f32;
            grad.push((1.0 - lambda) * gh[c] + lambda * soft);
        }
    }
    let t2 = f64::from(t) * f64::from(t);
    let loss = (1.0 - f64::from(lambda)) * hard + f64::from(lambda) * t2 * kl / n as f64;
    Ok((loss, Tensor::new(vec![n, k], grad)?))
}

/// A digits CNN with `c1` and `c2` channels (the teacher has 16 and 32), parameters zero
/// until [`Network::init`]; named `digits_cnn`, layers `conv1`, `conv2`, `fc`.
///
/// # Errors
///
/// [`Error::Shape`] for a zero channel count.
///
/// # Examples
///
/// ```
/// use arithsim::nn::finetune::distill::student_cnn;
///
/// let s = student_cnn(4, 8)?;
/// // conv1 4·9 + 4, conv2 8·36 + 8, fc 32·10 + 10.
/// assert_eq!(s.parameter_count(), 40 + 296 + 330);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn student_cnn(c1: usize, c2: usize) -> Result<Network> {
    let layers: Vec<Box<dyn Layer>> = vec![
        Box::new(Conv2d::new("conv1", 1, c1, (3, 3))?.with_padding((1, 1))),
        Box::new(Relu::new("relu1")),
        Box::new(MaxPool2d::new("pool1", 2, 2)?),
        Box::new(Conv2d::new("conv2", c1, c2, (3, 3))?.with_padding((1, 1))),
        Box::new(Relu::new("relu2")),
        Box::new(MaxPool2d::new("pool2", 2, 2)?),
        Box::new(Flatten::new("flatten")),
        Box::new(Dense::new("fc", c2 * 4, 10)?),
    ];
    Network::new("digits_cnn", &[1, 8, 8], layers)
}

/// The logits of every sample of `inputs` (`[N, ...]`) by `net`'s f32 forward pass, in
/// batches of 256: `[N, classes]`.
///
/// # Errors
///
/// As [`Network::forward`].
pub fn logits_of(net: &mut Network, inputs: &Tensor) -> Result<Tensor> {
    let n = inputs.shape().first().copied().unwrap_or(0);
    let all: Vec<usize> = (0..n).collect();
    let mut data = Vec::new();
    let mut k = 0;
    for batch in all.chunks(256) {
        let z = net.forward(&gather(inputs, batch)?)?;
        k = z.shape()[1];
        data.extend_from_slice(z.data());
    }
    Tensor::new(vec![n, k], data)
}

/// The [`TrainHook`] of distillation: the loss of a batch is [`distillation_loss`] against
/// the teacher's logits of the batch's samples.
#[derive(Clone, Debug)]
pub struct SoftTargets {
    /// The teacher's logits, one row per sample of the training inputs.
    logits: Tensor,
    config: DistillConfig,
}

impl SoftTargets {
    /// Soft targets from the teacher's `logits` (`[N, classes]`, row `i` for sample `i` of
    /// the training inputs).
    ///
    /// # Errors
    ///
    /// As [`DistillConfig::validate`]; [`Error::Shape`] when `logits` is not
    /// `[N, classes]`.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::nn::finetune::distill::{DistillConfig, SoftTargets};
    /// use arithsim::nn::train::{Tensor, TrainHook};
    ///
    /// let teacher = Tensor::new(vec![2, 3], vec![1.0, 2.0, 0.5, 0.0, 0.0, 3.0])?;
    /// let kd = DistillConfig { temperature: 2.0, soft_weight: 1.0 };
    /// let mut hook = SoftTargets::new(teacher, kd)?;
    /// // A student equal to the teacher on sample 1: no soft loss.
    /// let z = Tensor::new(vec![1, 3], vec![0.0, 0.0, 3.0])?;
    /// let (loss, _) = hook.loss(&z, &[1], &[2])?;
    /// assert!(loss.abs() < 1e-6);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn new(logits: Tensor, config: DistillConfig) -> Result<SoftTargets> {
        config.validate()?;
        if logits.shape().len() != 2 {
            return Err(Error::Shape(format!(
                "teacher logits {:?}, expected [samples, classes]",
                logits.shape()
            )));
        }
        Ok(SoftTargets { logits, config })
    }
}

impl TrainHook for SoftTargets {
    fn loss(
        &mut self,
        logits: &Tensor,
        batch: &[usize],
        labels: &[usize],
    ) -> Result<(f64, Tensor)> {
        distillation_loss(logits, &gather(&self.logits, batch)?, labels, self.config)
    }
}

/// `outer` with its loss replaced by the soft targets' (when there are some).
struct WithLoss<'a> {
    soft: Option<SoftTargets>,
    outer: &'a mut dyn TrainHook,
}

impl TrainHook for WithLoss<'_> {
    fn forward_values(&mut self, net: &Network) -> Result<Vec<Option<Vec<f32>>>> {
        self.outer.forward_values(net)
    }

    fn loss(
        &mut self,
        logits: &Tensor,
        batch: &[usize],
        labels: &[usize],
    ) -> Result<(f64, Tensor)> {
        match &mut self.soft {
            Some(s) => s.loss(logits, batch, labels),
            None => self.outer.loss(logits, batch, labels),
        }
    }

    fn gradients(&mut self, net: &mut Network) -> Result<()> {
        self.outer.gradients(net)
    }

    fn after_step(&mut self, net: &mut Network) -> Result<()> {
        self.outer.after_step(net)
    }

    fn epoch_end(&mut self, epoch: usize, net: &mut Network) -> Result<()> {
        self.outer.epoch_end(epoch, net)
    }
}

/// Initialises `student` from `config.init_seed` and trains it on samples `indices` of
/// `inputs` / `labels` ([`fit`] with `hook`, e.g. [`NoHook`](crate::nn::train::NoHook) or one that measures each
/// epoch): with the distillation loss ([`SoftTargets`], replacing `hook`'s loss) against
/// `teacher`'s logits when given, with `hook`'s loss (cross-entropy on the labels by
/// default) otherwise.
///
/// The teacher runs once over the training images (its f32 forward pass, batches of 256,
/// [`logits_of`]) before the first step; its counted forward MACs are added to the
/// returned log's `macs.forward`, so the log prices the whole run (see the module docs).
///
/// # Errors
///
/// As [`DistillConfig::validate`] ("temperature"), [`TrainConfig::validate`] ("learning
/// rate"), ("training data") for no indices; [`Error::Shape`] when `labels` do not have one
/// entry per sample of `inputs`; as [`gather`] and the teacher's forward pass.
pub fn train_student(
    student: &mut Network,
    inputs: &Tensor,
    labels: &[usize],
    indices: &[usize],
    config: &TrainConfig,
    teacher: Option<(&mut Network, DistillConfig)>,
    hook: &mut dyn TrainHook,
) -> Result<TrainLog> {
    let n = inputs.shape().first().copied().unwrap_or(0);
    if labels.len() != n {
        return Err(Error::Shape(format!(
            "{n} training images for {} labels",
            labels.len()
        )));
    }
    config.validate()?;
    if indices.is_empty() {
        return Err(Error::param(
            "training data",
            "0 images",
            "must not be empty",
        ));
    }
    let Some((teacher, d)) = teacher else {
        student.init(config.init_seed);
        return fit(student, inputs, labels, indices, config, hook);
    };
    d.validate()?;
    // The teacher's logits of the training images, scattered to their sample rows.
    let before = teacher.macs();
    let z = logits_of(teacher, &gather(inputs, indices)?)?;
    let teacher_macs = teacher.macs().since(&before);
    let k = z.shape()[1];
    let mut rows = vec![0.0f32; n * k];
    for (&i, zi) in indices.iter().zip(z.data().chunks_exact(k)) {
        rows[i * k..(i + 1) * k].copy_from_slice(zi);
    }
    let mut hook = WithLoss {
        soft: Some(SoftTargets::new(Tensor::new(vec![n, k], rows)?, d)?),
        outer: hook,
    };
    student.init(config.init_seed);
    let mut log = fit(student, inputs, labels, indices, config, &mut hook)?;
    log.macs = log.macs.plus(&teacher_macs);
    Ok(log)
}
