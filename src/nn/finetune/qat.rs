//! Quantization-aware fine-tuning from the FP32 checkpoints: post-training quantization
//! first (the executor on the FP32 weights), then training with [`QatHook`] and the
//! executor's accuracy after every epoch.

use super::fake_quant::{QatHook, with_activation_quantizers};
use super::{Bench, FineTune, fine_tune, graph, pretrained, ranges};
use crate::datapath::FloatArith;
use crate::nn::train::{DigitsNet, Network, TrainLog};
use crate::nn::{Arithmetic, Executor, Format, Int8Config, WeightCompression};
use crate::quant::MxElement;
use crate::{Error, Result};

/// The formats of the QAT experiment: INT4, INT3 and INT2 weights (symmetric per output
/// channel) with INT8 activations on the integer-only kernels, FP8 E4M3 (FP32
/// accumulation) and MXFP4 E2M1.
///
/// # Examples
///
/// ```
/// let f = arithsim::nn::finetune::qat::formats();
/// assert_eq!(f[0].name, "W4A8");
/// ```
#[must_use]
pub fn formats() -> Vec<Format> {
    let int = |bits: u32| {
        Format::new(
            format!("W{bits}A8"),
            Arithmetic::Int8(Int8Config {
                weight_bits: bits,
                ..Int8Config::TFLITE
            }),
            WeightCompression::None,
        )
    };
    vec![
        int(4),
        int(3),
        int(2),
        Format::new(
            "FP8 E4M3",
            Arithmetic::Float(FloatArith::FP8_E4M3_FP32),
            WeightCompression::None,
        ),
        Format::new(
            "MXFP4 E2M1",
            Arithmetic::Mx(MxElement::Fp4E2M1),
            WeightCompression::None,
        ),
    ]
}

/// The integer-only format with `bits`-bit weights and INT8 activations (`W{bits}A8`).
///
/// # Errors
///
/// [`Error::InvalidParameter`] ("weight bits") outside 2..=8.
pub fn int_format(bits: u32) -> Result<Format> {
    let f = Format::new(
        format!("W{bits}A8"),
        Arithmetic::Int8(Int8Config {
            weight_bits: bits,
            ..Int8Config::TFLITE
        }),
        WeightCompression::None,
    );
    f.validate()?;
    Ok(f)
}

/// One quantization-aware fine-tuning run.
#[derive(Debug)]
pub struct QatRun {
    /// The format.
    pub format: Format,
    /// The executor's test accuracy of the FP32 checkpoint in `format` (post-training
    /// quantization, before any step).
    pub ptq_accuracy: f64,
    /// The executor's test accuracy after each epoch.
    pub epoch_accuracy: Vec<f64>,
    /// The executor's predictions after the last epoch.
    pub predictions: Vec<usize>,
    /// The trainer's log (steps, losses, MACs counted).
    pub log: TrainLog,
    /// The fine-tuned latent f32 weights (the executor quantizes them as in training).
    pub net: Network,
}

/// Fine-tunes the committed `which` checkpoint in `format` with `ft`.
///
/// # Errors
///
/// As [`FineTune::validate`] and [`Format::validate`] (checked before any work), the
/// executor and the trainer.
///
/// # Examples
///
/// ```
/// use arithsim::nn::finetune::{Bench, FineTune, qat};
/// use arithsim::nn::train::DigitsNet;
///
/// let bench = Bench::digits()?;
/// let ft = FineTune { epochs: 1, batch_size: 64, lr: 1e-3, seed: 1 };
/// let run = qat::fine_tune_qat(DigitsNet::Mlp, &qat::int_format(2)?, &bench, &ft)?;
/// assert_eq!(run.epoch_accuracy.len(), 1);
/// assert!(run.epoch_accuracy[0] > run.ptq_accuracy); // 2-bit weights recover
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn fine_tune_qat(
    which: DigitsNet,
    format: &Format,
    bench: &Bench,
    ft: &FineTune,
) -> Result<QatRun> {
    ft.validate()?;
    format.validate()?;
    if format.weights != WeightCompression::None {
        return Err(Error::Unsupported(format!(
            "quantization-aware training with weight compression ({})",
            format.name
        )));
    }
    let start = pretrained(which)?;
    let ptq = {
        let g = graph(&start)?;
        let ex = match format.arithmetic {
            Arithmetic::Int8(_) => {
                Executor::with_ranges(&g, format, &ranges(&start, format, bench)?)?
            }
            _ => Executor::new(&g, format, &[])?,
        };
        ex.run(&bench.test)?.accuracy(&bench.test_labels)?
    };
    let (mut net, grids) = with_activation_quantizers(start)?;
    let mut hook = QatHook::new(&net, format, bench, grids)?;
    let log = fine_tune(&mut net, bench, ft, &mut hook)?;
    Ok(QatRun {
        format: format.clone(),
        ptq_accuracy: ptq,
        epoch_accuracy: std::mem::take(&mut hook.epoch_accuracy),
        predictions: std::mem::take(&mut hook.predictions),
        log,
        net,
    })
}
