//! The two digits networks of the checkpoints in `data/networks/` and the recipes that
//! train them.

use super::{
    Conv2d, Dense, Flatten, Layer, MaxPool2d, Network, OptimizerConfig, Relu, Tensor, TrainConfig,
    TrainLog, accuracy, train,
};
use crate::Result;
use crate::nn::data::{Digits, Split};

/// The two committed networks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DigitsNet {
    /// `digits_mlp`: flatten → `fc1` 64→64 → ReLU → `fc2` 64→32 → ReLU → `fc3` 32→10.
    Mlp,
    /// `digits_cnn`: `conv1` 1→16 3×3 pad 1 → ReLU → max-pool 2×2 → `conv2` 16→32 3×3 pad 1
    /// → ReLU → max-pool 2×2 → flatten (C, H, W; 128) → `fc` 128→10.
    Cnn,
}

impl DigitsNet {
    /// Both networks.
    pub const ALL: [DigitsNet; 2] = [DigitsNet::Mlp, DigitsNet::Cnn];

    /// The network's name, the checkpoint's file stem.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            DigitsNet::Mlp => "digits_mlp",
            DigitsNet::Cnn => "digits_cnn",
        }
    }

    /// The untrained network (parameters zero).
    ///
    /// # Errors
    ///
    /// Never (the shapes are fixed and chain).
    pub fn build(self) -> Result<Network> {
        let layers: Vec<Box<dyn Layer>> = match self {
            DigitsNet::Mlp => vec![
                Box::new(Flatten::new("flatten")),
                Box::new(Dense::new("fc1", 64, 64)?),
                Box::new(Relu::new("relu1")),
                Box::new(Dense::new("fc2", 64, 32)?),
                Box::new(Relu::new("relu2")),
                Box::new(Dense::new("fc3", 32, 10)?),
            ],
            DigitsNet::Cnn => vec![
                Box::new(Conv2d::new("conv1", 1, 16, (3, 3))?.with_padding((1, 1))),
                Box::new(Relu::new("relu1")),
                Box::new(MaxPool2d::new("pool1", 2, 2)?),
                Box::new(Conv2d::new("conv2", 16, 32, (3, 3))?.with_padding((1, 1))),
                Box::new(Relu::new("relu2")),
                Box::new(MaxPool2d::new("pool2", 2, 2)?),
                Box::new(Flatten::new("flatten")),
                Box::new(Dense::new("fc", 128, 10)?),
            ],
        };
        Network::new(self.name(), &[1, 8, 8], layers)
    }

    /// The committed checkpoint's recipe (documented in `docs/networks-training.md`).
    #[must_use]
    pub fn recipe(self) -> TrainConfig {
        match self {
            DigitsNet::Mlp => TrainConfig {
                epochs: 60,
                batch_size: 32,
                init_seed: 1,
                shuffle_seed: 2,
                optimizer: OptimizerConfig::Adam {
                    lr: 2e-3,
                    beta1: 0.9,
                    beta2: 0.999,
                    eps: 1e-8,
                    weight_decay: 1e-4,
                },
                final_lr_fraction: 0.05,
            },
            DigitsNet::Cnn => TrainConfig {
                epochs: 30,
                batch_size: 32,
                init_seed: 3,
                shuffle_seed: 4,
                optimizer: OptimizerConfig::Adam {
                    lr: 2e-3,
                    beta1: 0.9,
                    beta2: 0.999,
                    eps: 1e-8,
                    weight_decay: 1e-4,
                },
                final_lr_fraction: 0.05,
            },
        }
    }
}

/// Every image of `digits` as one `[N, 1, 8, 8]` tensor of `pixel / 16`, and the labels.
///
/// # Errors
///
/// Never for a parsed [`Digits`].
pub fn digits_tensor(digits: &Digits) -> Result<(Tensor, Vec<usize>)> {
    let x = digits
        .pixels()
        .iter()
        .map(|&p| f32::from(p) / 16.0)
        .collect();
    let t = Tensor::new(vec![digits.len(), 1, 8, 8], x)?;
    Ok((t, digits.labels().iter().map(|&l| usize::from(l)).collect()))
}

/// A trained network with its log and test accuracy.
#[derive(Debug)]
pub struct Trained {
    /// The network.
    pub net: Network,
    /// The training log.
    pub log: TrainLog,
    /// Top-1 accuracy on the split's test images.
    pub test_accuracy: f64,
}

/// Trains `which` with `config` on `split.train` and measures it on `split.test`.
///
/// # Errors
///
/// As [`train`].
pub fn train_digits(
    which: DigitsNet,
    digits: &Digits,
    split: &Split,
    config: &TrainConfig,
) -> Result<Trained> {
    let (x, y) = digits_tensor(digits)?;
    let mut net = which.build()?;
    let log = train(&mut net, &x, &y, &split.train, config)?;
    let test_accuracy = accuracy(&mut net, &x, &y, &split.test)?;
    Ok(Trained {
        net,
        log,
        test_accuracy,
    })
}
