//! Training in plain f32, bit-reproducible: the program behind the committed checkpoints
//! `data/networks/digits_{mlp,cnn}.safetensors`.
//!
//! Layers are values implementing [`Layer`] (`forward` keeps what `backward` needs;
//! `backward` accumulates parameter gradients and returns the input gradient); parameters
//! are [`Param`]s named as in the checkpoint (`fc1.weight`), enumerable through
//! [`Network::params`]. The forward and backward passes are written out by hand (dense,
//! conv2d with stride/padding/groups, ReLU, max pool, flatten, softmax cross-entropy), with
//! SGD-with-momentum or Adam on top.
//!
//! **Reproducibility.** Initialisation and shuffles come from the crate's [`SplitMix64`];
//! every reduction runs in a fixed, documented order on one thread; the only
//! transcendental, softmax's `exp`, is [`exp_det`] (plain arithmetic, no libm) and Adam's
//! bias corrections are running products (no `powi`). So a rerun reproduces the weights bit
//! for bit, on any IEEE-754 platform: `cargo run --release --example train_digits -- --check`.
//!
//! [`SplitMix64`]: crate::cost::SplitMix64
//!
//! # Examples
//!
//! ```
//! use arithsim::nn::data::Digits;
//! use arithsim::nn::train::{DigitsNet, train_digits};
//!
//! let digits = Digits::embedded()?;
//! let split = digits.split(Digits::FIXED_SPLIT_SEED);
//! let mut config = DigitsNet::Mlp.recipe();
//! config.epochs = 2; // the committed recipe runs longer
//! let a = train_digits(DigitsNet::Mlp, &digits, &split, &config)?;
//! let b = train_digits(DigitsNet::Mlp, &digits, &split, &config)?;
//! assert!(a.test_accuracy > 0.5);
//! assert_eq!(a.net.param("fc1.weight")?, b.net.param("fc1.weight")?); // same bits
//! # Ok::<(), arithsim::Error>(())
//! ```

mod checkpoint;
mod conv;
mod dense;
mod digits;
mod layer;
mod loss;
mod network;
mod optim;
mod simple;
mod tensor;
mod trainer;

pub use checkpoint::{load_safetensors, read_checkpoint, to_checkpoint, to_safetensors};
pub use conv::Conv2d;
pub use dense::Dense;
pub use digits::{DigitsNet, Trained, digits_tensor, train_digits};
pub use layer::{Layer, Macs, Param};
pub use loss::{exp_det, softmax_cross_entropy};
pub use network::Network;
pub use optim::{Optimizer, OptimizerConfig};
pub use simple::{Flatten, MaxPool2d, Relu};
pub use tensor::Tensor;
pub use trainer::{
    NoHook, TrainConfig, TrainHook, TrainLog, accuracy, fit, gather, predict, train,
};
