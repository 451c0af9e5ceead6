//! The executor: a network prepared for one [`Format`], run on many images in parallel.

use rayon::prelude::*;

use super::calibrate::calibrate;
use super::compress::compress;
use super::exec_float::FloatPlan;
use super::exec_int8::Int8Plan;
use super::format::{Arithmetic, Format};
use super::graph::{Network, argmax};
use crate::cost::Tally;
use crate::datapath::{Engine, FloatArith};
use crate::quant::QuantParams;
use crate::{Error, Result};

#[derive(Clone, Debug)]
enum Plan {
    Float(Box<FloatPlan>),
    Int8(Int8Plan),
}

/// A network prepared for one format: weights compressed and rounded (or quantized, with
/// activation ranges calibrated) once, then [`Executor::run`] on any number of images.
#[derive(Clone, Debug)]
pub struct Executor {
    net: Network,
    format: Format,
    plan: Plan,
    notes: Vec<String>,
}

/// The result of running a set of images.
#[derive(Clone, Debug, PartialEq)]
pub struct RunOutput {
    /// The logits of each image (exact values of the format's outputs, as f64).
    pub logits: Vec<Vec<f64>>,
    /// The predicted class of each image ([`argmax`] of its logits).
    pub predictions: Vec<usize>,
    /// Every counted operation over all images.
    pub tally: Tally,
}

impl RunOutput {
    /// The fraction of predictions equal to `labels`.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when the lengths differ or there are no images.
    pub fn accuracy(&self, labels: &[usize]) -> Result<f64> {
        agreement(&self.predictions, labels)
    }
}

/// The fraction of equal entries of two label lists (top-1 accuracy against true labels,
/// agreement against another format's predictions).
///
/// # Errors
///
/// [`Error::Shape`] when the lengths differ or the lists are empty.
///
/// # Examples
///
/// ```
/// assert_eq!(arithsim::nn::agreement(&[1, 2, 3, 4], &[1, 2, 0, 4])?, 0.75);
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn agreement(a: &[usize], b: &[usize]) -> Result<f64> {
    if a.len() != b.len() || a.is_empty() {
        return Err(Error::Shape(format!(
            "comparing {} predictions with {} labels",
            a.len(),
            b.len()
        )));
    }
    Ok(a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64)
}

impl Executor {
    /// Prepares `net` for `format` on the word-level engine. Integer formats calibrate
    /// their activation ranges on `calibration` (native-f32 runs; other formats ignore it).
    ///
    /// # Errors
    ///
    /// As [`Format::validate`], the weight compression, the calibration and the
    /// quantizers; [`Error::Shape`] for calibration images of the wrong length.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::nn::{Dense, Executor, Format, Network, Node, Op};
    ///
    /// let fc = Dense { outputs: 2, inputs: 2, weight: vec![1.0, 0.0, 0.0, 1.0], bias: vec![0.0; 2] };
    /// let net = Network::new("id", vec![2], vec![Node::chained("fc", Op::Dense(fc), 0)])?;
    /// let ex = Executor::new(&net, &Format::fp32(), &[])?;
    /// let out = ex.run(&[vec![0.25, 0.5], vec![1.0, -1.0]])?;
    /// assert_eq!(out.predictions, [1, 0]);
    /// assert_eq!(out.logits[0], [0.25, 0.5]);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn new(net: &Network, format: &Format, calibration: &[Vec<f32>]) -> Result<Self> {
        Self::with_engine(net, format, calibration, Engine::WordLevel)
    }

    /// As [`Executor::new`] on the chosen engine. The gate-level engine runs float formats
    /// through the FMA netlist of [`crate::circuits::fp`] (slow: use it on a few images).
    ///
    /// # Errors
    ///
    /// As [`Executor::new`]; [`Error::Unsupported`] for the gate-level engine with an
    /// integer-only or MX format, or a float arithmetic the FMA circuit does not build.
    pub fn with_engine(
        net: &Network,
        format: &Format,
        calibration: &[Vec<f32>],
        engine: Engine,
    ) -> Result<Self> {
        format.validate()?;
        let (net, notes) = compress(net, format.weights)?;
        let plan = match format.arithmetic {
            Arithmetic::Float(a) => Plan::Float(Box::new(FloatPlan::new(&net, a, None, engine)?)),
            Arithmetic::Mx(e) => {
                if engine == Engine::GateLevel {
                    return Err(Error::Unsupported(
                        "the gate-level engine for MX formats (no MX MAC circuit)".into(),
                    ));
                }
                Plan::Float(Box::new(FloatPlan::new(
                    &net,
                    FloatArith::FP32_FP32,
                    Some(e),
                    engine,
                )?))
            }
            Arithmetic::Int8(cfg) => {
                if engine == Engine::GateLevel {
                    return Err(Error::Unsupported(
                        "the gate-level engine for integer-only int8 networks (the quantized \
                         kernels run the word-level INT8 datapath)"
                            .into(),
                    ));
                }
                let ranges = calibrate(&net, calibration, cfg.calibration)?;
                Plan::Int8(Int8Plan::new(&net, cfg, &ranges)?)
            }
        };
        Ok(Executor {
            net,
            format: format.clone(),
            plan,
            notes,
        })
    }

    /// As [`Executor::new`] for an integer-only format with activation ranges already
    /// calibrated (by [`calibrate`] on the network as run, after `format`'s weight
    /// compression): sweeps over weight bits or scale granularity then calibrate once.
    ///
    /// # Errors
    ///
    /// As [`Executor::new`]; [`Error::Unsupported`] for a format that is not integer-only;
    /// [`Error::Shape`] for a range count other than the network's value count.
    pub fn with_ranges(net: &Network, format: &Format, ranges: &[(f64, f64)]) -> Result<Self> {
        format.validate()?;
        let Arithmetic::Int8(cfg) = format.arithmetic else {
            return Err(Error::Unsupported(format!(
                "calibrated ranges for {}, which is not integer-only",
                format.name
            )));
        };
        let (net, notes) = compress(net, format.weights)?;
        let plan = Plan::Int8(Int8Plan::new(&net, cfg, ranges)?);
        Ok(Executor {
            net,
            format: format.clone(),
            plan,
            notes,
        })
    }

    /// The network as run (after weight compression).
    #[must_use]
    pub fn network(&self) -> &Network {
        &self.net
    }

    /// The format.
    #[must_use]
    pub fn format(&self) -> &Format {
        &self.format
    }

    /// Notes from the preparation (INT4 groups smaller than 128, layers left dense).
    #[must_use]
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The int8 parameters of value `v` (0 = input, `j + 1` = node `j`), for integer-only
    /// formats.
    #[must_use]
    pub fn int8_params(&self, v: usize) -> Option<QuantParams> {
        match &self.plan {
            Plan::Int8(p) => Some(p.value_params(v)),
            Plan::Float(_) => None,
        }
    }

    /// The weights of node `i` as the arithmetic uses them, as real values, row-major like
    /// the node's weight; `None` for a node without weights. Float formats: the exact value
    /// of each multiply-format pattern (after the weight compression); MX: the dequantized
    /// block elements; integer-only: `code · scale` of the weight's output channel (the
    /// product rounded once to f64). Quantization-aware training takes its forward weights
    /// from here, so they are the executor's by construction.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::nn::{Arithmetic, Dense, Executor, Format, Int8Config, Network, Node, Op};
    /// use arithsim::nn::WeightCompression;
    ///
    /// let fc = Dense { outputs: 1, inputs: 3, weight: vec![0.3, -0.1, 0.05], bias: vec![0.0] };
    /// let net = Network::new("t", vec![3], vec![Node::chained("fc", Op::Dense(fc), 0)])?;
    /// let w2 = Int8Config { weight_bits: 2, ..Int8Config::TFLITE }; // codes -1, 0, 1
    /// let f = Format::new("W2A8", Arithmetic::Int8(w2), WeightCompression::None);
    /// let ex = Executor::new(&net, &f, &[vec![1.0, 1.0, 1.0]])?;
    /// assert_eq!(ex.weight_values(0), Some(vec![0.3f32 as f64, 0.0, 0.0]));
    /// assert_eq!(ex.weight_values(1), None);
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    #[must_use]
    pub fn weight_values(&self, i: usize) -> Option<Vec<f64>> {
        match &self.plan {
            Plan::Float(p) => p.weight_values(i),
            Plan::Int8(p) => p.weight_values(i),
        }
    }

    /// One image: its logits and the operations counted.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] for an image of the wrong length; the datapath's errors.
    pub fn infer(&self, image: &[f32]) -> Result<(Vec<f64>, Tally)> {
        if image.len() != self.net.input_len() {
            return Err(Error::Shape(format!(
                "network {} takes {} input values, got {}",
                self.net.name(),
                self.net.input_len(),
                image.len()
            )));
        }
        match &self.plan {
            Plan::Float(p) => p.infer(&self.net, image),
            Plan::Int8(p) => p.infer(&self.net, image),
        }
    }

    /// Runs every image, in parallel on rayon's pool (its size: `RAYON_NUM_THREADS`, or a
    /// `ThreadPool::install` around the call). Images are independent and results are
    /// collected in order, so the output does not depend on the thread count.
    ///
    /// # Errors
    ///
    /// As [`Executor::infer`], for the first failing image.
    pub fn run(&self, images: &[Vec<f32>]) -> Result<RunOutput> {
        let per = images
            .par_iter()
            .map(|im| self.infer(im))
            .collect::<Result<Vec<_>>>()?;
        let mut tally = Tally::new();
        let mut logits = Vec::with_capacity(per.len());
        for (l, t) in per {
            tally.merge(&t);
            logits.push(l);
        }
        let predictions = logits.iter().map(|l| argmax(l)).collect();
        Ok(RunOutput {
            logits,
            predictions,
            tally,
        })
    }
}
