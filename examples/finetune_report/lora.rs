//! The LoRA/QLoRA and distillation sections of the fine-tuning report (issue 20, items 3
//! and 4): rank-r adapters on a frozen FP32 / INT8 / NF4+DQ base of the digits MLP against
//! full fine-tuning on rotated digits, and a distilled CNN student against the same student
//! trained from labels, every accuracy measured by the bit-exact executor over several
//! seeds.

use std::path::Path;
use std::time::Instant;

use arithsim::accel::{FinetuneMemory, PublishedDistillation};
use arithsim::cost::report::{Bar, Cell, Chart, Grid, Section};
use arithsim::cost::{CostTable, Span};
use arithsim::nn::data::Digits;
use arithsim::nn::finetune::distill::{DistillConfig, logits_of, student_cnn, train_student};
use arithsim::nn::finetune::lora::{
    BaseFormat, TrainerMemory, adapter_params, fine_tune, full_mlp, lora_mlp, merged_checkpoint,
    rotate_quarter,
};
use arithsim::nn::train::{
    DigitsNet, Network as TrainNet, OptimizerConfig, Tensor, TrainConfig, digits_tensor,
    load_safetensors, to_checkpoint,
};
use arithsim::nn::{Checkpoint, Executor, Format, Network, RunOutput, digits_cnn, digits_mlp};
use arithsim::{Error, Result};

use crate::Opts;

/// LoRA's α (scale α/r): one value for every rank, as the LoRA paper does, so the learning
/// rate needs no retuning across ranks.
const ALPHA: f32 = 8.0;
/// Peak learning rate of the adapters (Adam).
const LORA_LR: f32 = 5e-3;
/// Peak learning rate of full fine-tuning (the checkpoints' recipe).
const FULL_LR: f32 = 2e-3;
/// Batch size of every run (the checkpoints' recipe).
const BATCH: usize = 32;
/// Distillation: temperature and soft weight (Hinton et al.'s usual range).
const KD: DistillConfig = DistillConfig {
    temperature: 4.0,
    soft_weight: 0.7,
};
/// One test image, as a fraction.
const ONE_IMAGE: f64 = 1.0 / 360.0;

/// The data: training tensors (upright and rotated), labels, the split, and executor images.
struct Data {
    x: Tensor,
    xr: Tensor,
    y: Vec<usize>,
    train: Vec<usize>,
    test: Vec<usize>,
}

impl Data {
    fn load() -> Result<Data> {
        let d = Digits::embedded()?;
        let split = d.split(Digits::FIXED_SPLIT_SEED);
        let (x, y) = digits_tensor(&d)?;
        let xr = rotate_quarter(&x)?;
        Ok(Data {
            x,
            xr,
            y,
            train: split.train,
            test: split.test,
        })
    }

    /// Executor images of samples `ix` of `t`.
    fn images(t: &Tensor, ix: &[usize]) -> Vec<Vec<f32>> {
        ix.iter()
            .map(|&i| t.data()[i * 64..(i + 1) * 64].to_vec())
            .collect()
    }

    fn labels(&self, ix: &[usize]) -> Vec<usize> {
        ix.iter().map(|&i| self.y[i]).collect()
    }
}

/// Mean, minimum and maximum of some accuracies.
#[derive(Clone, Copy, Debug)]
struct Stat {
    mean: f64,
    min: f64,
    max: f64,
}

impl Stat {
    fn of(v: &[f64]) -> Stat {
        let mean = v.iter().sum::<f64>() / v.len().max(1) as f64;
        let min = v.iter().copied().fold(f64::INFINITY, f64::min);
        let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Stat { mean, min, max }
    }

    fn cells(self) -> [Cell; 2] {
        [
            Cell::Num(100.0 * self.mean),
            Cell::Span(Span::range(100.0 * self.min, 100.0 * self.max)),
        ]
    }

    /// Whether `self` and `other` differ by less than their spreads or one image.
    fn within_noise(self, other: Stat) -> bool {
        let spread = (self.max - self.min).max(other.max - other.min);
        (self.mean - other.mean).abs() <= spread.max(ONE_IMAGE)
    }
}

fn grid(columns: &[&str], rows: Vec<Vec<Cell>>) -> Grid {
    Grid {
        columns: columns.iter().map(|c| (*c).to_string()).collect(),
        rows,
    }
}

fn config(epochs: usize, lr: f32, seed: u64) -> TrainConfig {
    TrainConfig {
        epochs,
        batch_size: BATCH,
        init_seed: seed,
        shuffle_seed: seed.wrapping_add(1_000),
        optimizer: OptimizerConfig::adam(lr),
        final_lr_fraction: 0.05,
    }
}

fn run(net: &Network, format: &Format, calib: &[Vec<f32>], test: &[Vec<f32>]) -> Result<RunOutput> {
    Executor::new(net, format, calib)?.run(test)
}

fn checkpoint(name: &str) -> Result<Checkpoint> {
    Checkpoint::load(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("data/networks/{name}.safetensors")),
    )
}

/// The LoRA/QLoRA and distillation sections; `opts.quick`: fewer ranks, students and
/// epochs (the CI size), every seed of `opts.seeds` still run.
///
/// # Errors
///
/// As the trainer, the executor and the checkpoints; [`Error::InvalidParameter`] for no
/// seeds.
pub fn sections(opts: &Opts, table: &CostTable) -> Result<Vec<Section>> {
    let (quick, seeds) = (opts.quick, opts.seeds.as_slice());
    if seeds.is_empty() {
        return Err(Error::InvalidParameter {
            name: "seeds",
            value: "[]".into(),
            reason: "need at least one".into(),
        });
    }
    let data = Data::load()?;
    let mut out = lora_sections(&data, quick, seeds)?;
    out.push(distill_section(&data, quick, seeds, table)?);
    Ok(out)
}

/// One measured LoRA or full fine-tuning configuration.
struct LoraRow {
    base: BaseFormat,
    rank: Option<usize>,
    trainable: usize,
    acc: Stat,
    requantized: Option<Stat>,
    seconds: f64,
}

fn lora_sections(data: &Data, quick: bool, seeds: &[u64]) -> Result<Vec<Section>> {
    let ranks: &[usize] = if quick {
        &[1, 4, 16]
    } else {
        &[1, 2, 4, 8, 16]
    };
    let epochs = if quick { 8 } else { 20 };
    let c = checkpoint("digits_mlp")?;
    let calib_up = Data::images(&data.x, &data.train);
    let calib = Data::images(&data.xr, &data.train);
    let test_up = Data::images(&data.x, &data.test);
    let test = Data::images(&data.xr, &data.test);
    let labels = data.labels(&data.test);

    // The shift: each base on upright and on rotated test images.
    let mut shift_rows = Vec::new();
    for base in BaseFormat::ALL {
        let f = base.executor_format();
        let net = digits_mlp(&base.requantized(&c)?)?;
        let up = run(&net, &f, &calib_up, &test_up)?.accuracy(&labels)?;
        let rot = run(&net, &f, &calib, &test)?;
        let mut counts = [0usize; 10];
        for &p in &rot.predictions {
            counts[p] += 1;
        }
        let top = (0..10)
            .max_by_key(|&k| (counts[k], usize::MAX - k))
            .unwrap_or(0);
        shift_rows.push(vec![
            Cell::text(base.name()),
            Cell::text(f.name.clone()),
            Cell::Num(100.0 * up),
            Cell::Num(100.0 * rot.accuracy(&labels)?),
            Cell::text(format!("{top} ({} of 360)", counts[top])),
        ]);
    }

    let mut rows: Vec<LoraRow> = Vec::new();
    for base in BaseFormat::ALL {
        let f = base.executor_format();
        for rank in ranks.iter().map(|&r| Some(r)).chain([None]) {
            let t0 = Instant::now();
            let (mut accs, mut requant) = (Vec::new(), Vec::new());
            let mut trainable = 0;
            for &seed in seeds {
                let merged = match rank {
                    Some(r) => {
                        let mut net = lora_mlp(&c, base, r, ALPHA, seed)?;
                        trainable = net.parameter_count();
                        fine_tune(
                            &mut net,
                            &data.xr,
                            &data.y,
                            &data.train,
                            &config(epochs, LORA_LR, seed),
                        )?;
                        merged_checkpoint(&c, base, ALPHA, &net)?
                    }
                    None => {
                        let mut net = full_mlp(&c, base)?;
                        trainable = net.parameter_count();
                        fine_tune(
                            &mut net,
                            &data.xr,
                            &data.y,
                            &data.train,
                            &config(epochs, FULL_LR, seed),
                        )?;
                        // Full fine-tuning trains f32 weights; they are stored back in the
                        // base's format.
                        base.requantized(&to_checkpoint(&net, None))?
                    }
                };
                accs.push(run(&digits_mlp(&merged)?, &f, &calib, &test)?.accuracy(&labels)?);
                if base == BaseFormat::Nf4Dq && rank.is_some() {
                    let folded = digits_mlp(&base.requantized(&merged)?)?;
                    requant.push(run(&folded, &f, &calib, &test)?.accuracy(&labels)?);
                }
            }
            rows.push(LoraRow {
                base,
                rank,
                trainable,
                acc: Stat::of(&accs),
                requantized: (!requant.is_empty()).then(|| Stat::of(&requant)),
                seconds: t0.elapsed().as_secs_f64() / seeds.len() as f64,
            });
        }
    }

    let method = |r: Option<usize>| {
        r.map_or_else(|| "full fine-tuning".to_string(), |r| format!("LoRA r={r}"))
    };
    let mut grid_rows = Vec::new();
    let mut bars = Vec::new();
    for r in &rows {
        let full = rows
            .iter()
            .find(|x| x.base == r.base && x.rank.is_none())
            .map(|x| x.acc);
        let [m, s] = r.acc.cells();
        let [qm, qs] = r
            .requantized
            .map_or([Cell::Empty, Cell::Empty], Stat::cells);
        grid_rows.push(vec![
            Cell::text(r.base.name()),
            Cell::text(method(r.rank)),
            Cell::Num(r.trainable as f64),
            m,
            s,
            full.map_or(Cell::Empty, |f| Cell::Num(100.0 * (r.acc.mean - f.mean))),
            Cell::text(match full {
                Some(f) if r.rank.is_some() && r.acc.within_noise(f) => "within noise",
                Some(_) if r.rank.is_some() => "below",
                _ => "",
            }),
            qm,
            qs,
            Cell::Num(r.seconds),
        ]);
        if r.base == BaseFormat::Fp32 {
            bars.push(Bar {
                label: format!("{} ({} trainable)", method(r.rank), r.trainable),
                value: Span::exact(100.0 * r.acc.mean),
            });
        }
    }
    let r4 = |b: BaseFormat| rows.iter().find(|r| r.base == b && r.rank == Some(4));
    let fullrow = |b: BaseFormat| rows.iter().find(|r| r.base == b && r.rank.is_none());
    let mut summary = Vec::new();
    for b in BaseFormat::ALL {
        if let (Some(a), Some(f)) = (r4(b), fullrow(b)) {
            summary.push(format!(
                "{}: LoRA r=4 reaches {:.1} % (seeds {:.1}-{:.1}) with {} trainable values, full \
                 fine-tuning {:.1} % with {} ({:.1} % of them): {:.1} points {}",
                b.name(),
                100.0 * a.acc.mean,
                100.0 * a.acc.min,
                100.0 * a.acc.max,
                a.trainable,
                100.0 * f.acc.mean,
                f.trainable,
                100.0 * a.trainable as f64 / f.trainable as f64,
                100.0 * (f.acc.mean - a.acc.mean),
                if a.acc.within_noise(f.acc) {
                    "apart, within noise"
                } else {
                    "apart, beyond the seed spread"
                }
            ));
        }
    }
    let shift = Section {
        id: "lora-shift",
        title: "LoRA task shift: the base on upright and on rotated digits".into(),
        notes: vec![
            "The task shift: every image turned 90 degrees clockwise, labels unchanged. Each \
             base is run by the bit-exact executor in its own format (INT8 calibrated min/max \
             on the training images of the same orientation)."
                .into(),
        ],
        grid: grid(
            &[
                "base",
                "executor format",
                "upright test %",
                "rotated test %",
                "most predicted class on rotated",
            ],
            shift_rows,
        ),
        charts: vec![],
    };
    let mut notes = vec![
        format!(
            "Adapters on fc1 (64 x 64) and fc2 (32 x 64) of the digits MLP, alpha = {ALPHA} \
             (scale alpha/r), Adam lr {LORA_LR} decaying to 5 %, {epochs} epochs, batch {BATCH}; \
             full fine-tuning: every weight, lr {FULL_LR}, same epochs. Seeds {seeds:?} (adapter \
             initialisation and shuffles); accuracy on the 360 rotated test images by the \
             executor after merging (one image = 0.28 %). 'vs full' is the mean difference in \
             points; 'within noise' when it is within the larger seed spread or one image."
        ),
        "Merging: FP32 base W + (alpha/r)BA run in FP32; INT8 base: the merged weights \
         re-quantized per channel by the integer-only executor; NF4+DQ base (QLoRA's rule): \
         the dequantized 4-bit base plus the FP32 adapter product, run in FP32 - the adapter \
         is never quantized. 'folded into NF4+DQ' re-quantizes the merged weights to NF4+DQ \
         instead, to show what that rule protects."
            .into(),
    ];
    notes.extend(summary);
    let lora = Section {
        id: "lora",
        title: "LoRA/QLoRA adapters against full fine-tuning (rotated digits)".into(),
        notes,
        grid: grid(
            &[
                "base",
                "method",
                "trainable",
                "accuracy %",
                "seed range %",
                "vs full (points)",
                "noise",
                "folded into NF4+DQ %",
                "folded range %",
                "train s / seed",
            ],
            grid_rows,
        ),
        charts: vec![Chart {
            file: "lora-accuracy.svg".into(),
            title: "Rotated-digit accuracy after fine-tuning, FP32 base".into(),
            axis: "test accuracy %".into(),
            bars,
        }],
    };
    Ok(vec![shift, lora, memory_section(ranks)?])
}

fn memory_section(ranks: &[usize]) -> Result<Section> {
    let mut rows = Vec::new();
    for base in [BaseFormat::Fp32, BaseFormat::Nf4Dq] {
        for rank in ranks.iter().map(|&r| Some(r)).chain([None]) {
            if rank.is_none() && base != BaseFormat::Fp32 {
                continue;
            }
            let t = TrainerMemory::of_mlp(rank, BATCH);
            let m: FinetuneMemory = TrainerMemory::model(rank, base, BATCH)?;
            let name = rank.map_or_else(
                || "full fine-tuning".to_string(),
                |r| format!("{} base, LoRA r={r}", base.name()),
            );
            rows.push(vec![
                Cell::text(name),
                Cell::Num(t.frozen as f64),
                Cell::Num(t.params as f64),
                Cell::Num(t.gradients as f64),
                Cell::Num(t.optimizer as f64),
                Cell::Num(t.activations as f64),
                Cell::Num(t.total() as f64),
                Cell::Num((m.weights + m.adapters) as f64),
                Cell::Num(m.gradients as f64),
                Cell::Num(m.optimizer as f64),
                Cell::Num(m.activations as f64),
                Cell::Num(m.total()? as f64),
            ]);
        }
    }
    let (d1, d2) = (adapter_params(64, 64, 1), adapter_params(32, 64, 1));
    Ok(Section {
        id: "lora-memory",
        title:
            "LoRA/QLoRA training memory: the trainer's buffers and the crate's memory model (bytes)"
                .into(),
        notes: vec![
            format!(
                "Trainer: what the f32 trainer holds for one batch of {BATCH} (frozen base values, \
                 trainable values, gradients, Adam's two moments, saved inputs, adapter A.x and \
                 ReLU masks at 1 byte). Model: accel::FinetuneMemory's LoRA/QLoRA rule applied \
                 to this network - base in its storage format (WeightFormat::matrix_bits, \
                 biases 32-bit), adapters and gradients BF16, Adam FP32, saved values at 16 bits. \
                 Adapters per rank: {d1} (fc1) + {d2} (fc2) values = r(d + k) each."
            ),
            "At this size the frozen base dominates LoRA's memory and the saved activations of a \
             32-image batch are of the same order as the weights: LoRA's saving is in gradients \
             and optimizer states (12 bytes per trained value in the model), which full \
             fine-tuning pays for all 6,570 values."
                .into(),
        ],
        grid: grid(
            &[
                "run",
                "trainer frozen",
                "trainer params",
                "trainer grads",
                "trainer Adam",
                "trainer saved acts",
                "trainer total",
                "model weights+adapters",
                "model grads",
                "model Adam",
                "model acts",
                "model total",
            ],
            rows,
        ),
        charts: vec![],
    })
}

/// Accuracy, MACs and energy per inference of a CNN checkpoint on the upright test images
/// (FP32 executor, priced with `table`).
fn measure_cnn(c: &Checkpoint, data: &Data, table: &CostTable) -> Result<(f64, u64, Span)> {
    let net = digits_cnn(c)?;
    let test = Data::images(&data.x, &data.test);
    let out = run(&net, &Format::fp32(), &[], &test)?;
    let e = table.estimate(&out.tally).energy_pj;
    let n = test.len() as f64;
    Ok((
        out.accuracy(&data.labels(&data.test))?,
        net.macs(),
        e.map(|v| v / n),
    ))
}

fn distill_section(data: &Data, quick: bool, seeds: &[u64], table: &CostTable) -> Result<Section> {
    let epochs = if quick { 6 } else { 30 };
    let students: &[(usize, usize)] = if quick { &[(4, 8)] } else { &[(8, 16), (4, 8)] };
    let tc = checkpoint("digits_cnn")?;
    let mut teacher: TrainNet = DigitsNet::Cnn.build()?;
    load_safetensors(&mut teacher, &tc.to_bytes()?)?;
    let soft = logits_of(&mut teacher, &data.x)?;
    let (t_acc, t_macs, t_pj) = measure_cnn(&tc, data, table)?;
    let t_params = teacher.parameter_count();
    let mut rows = vec![vec![
        Cell::text("teacher digits_cnn 16/32 (committed)"),
        Cell::Num(t_params as f64),
        Cell::Num(t_macs as f64),
        Cell::Span(t_pj),
        Cell::Num(100.0 * t_acc),
        Cell::Empty,
        Cell::Num(100.0),
        Cell::Empty,
    ]];
    let mut notes = vec![format!(
        "Students: the teacher's layout with fewer channels, trained {epochs} epochs (Adam lr 2e-3 \
         decaying to 5 %, batch {BATCH}) from the labels alone or with soft targets at T = {} \
         (weight {} on T^2 KL, {} on the labels). Accuracy by the FP32 executor on the 360 \
         upright test images, mean and range over seeds {seeds:?}; MACs and energy per \
         inference counted by the executor and priced with the cost table. Published rows: the \
         transformer distillations accel::distill prices, whose retention is quoted.",
        KD.temperature,
        KD.soft_weight,
        1.0 - KD.soft_weight
    )];
    for &(c1, c2) in students {
        let mut stats = Vec::new();
        for kd in [false, true] {
            let mut accs = Vec::new();
            let (mut params, mut macs, mut pj) = (0, 0, Span::exact(0.0));
            for &seed in seeds {
                let mut s = student_cnn(c1, c2)?;
                let cfg = config(epochs, 2e-3, seed);
                train_student(
                    &mut s,
                    &data.x,
                    &data.y,
                    &data.train,
                    &cfg,
                    kd.then_some((&soft, KD)),
                )?;
                let (a, m, e) = measure_cnn(&to_checkpoint(&s, None), data, table)?;
                accs.push(a);
                (params, macs, pj) = (s.parameter_count(), m, e);
            }
            let st = Stat::of(&accs);
            let [m, sp] = st.cells();
            rows.push(vec![
                Cell::text(format!(
                    "student {c1}/{c2}, {}",
                    if kd { "distilled" } else { "labels only" }
                )),
                Cell::Num(params as f64),
                Cell::Num(macs as f64),
                Cell::Span(pj),
                m,
                sp,
                Cell::Num(100.0 * st.mean / t_acc),
                Cell::text(format!(
                    "{:.1}x fewer params, {:.1}x fewer MACs",
                    t_params as f64 / params as f64,
                    t_macs as f64 / macs as f64
                )),
            ]);
            stats.push(st);
        }
        let (lab, kd) = (stats[0], stats[1]);
        notes.push(format!(
            "Student {c1}/{c2}: distilled {:.1} % vs labels only {:.1} % ({:+.1} points, {}); it \
             keeps {:.1} % of the teacher's {:.1} %.",
            100.0 * kd.mean,
            100.0 * lab.mean,
            100.0 * (kd.mean - lab.mean),
            if kd.within_noise(lab) {
                "within noise"
            } else {
                "beyond the seed spread"
            },
            100.0 * kd.mean / t_acc,
            100.0 * t_acc
        ));
    }
    for p in [
        PublishedDistillation::DISTILBERT,
        PublishedDistillation::TINYBERT_4,
    ] {
        rows.push(vec![
            Cell::text(format!("published: {}", p.source)),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Num(100.0 * p.score_retention),
            Cell::text(format!(
                "{:.1}x smaller, {:.1}x faster",
                p.size_ratio, p.speedup
            )),
        ]);
    }
    Ok(Section {
        id: "distillation",
        title: "Distillation measured: CNN students from the digits CNN teacher".into(),
        notes,
        grid: grid(
            &[
                "model",
                "parameters",
                "MACs / inference",
                "energy pJ / inference",
                "accuracy %",
                "seed range %",
                "retention % of teacher",
                "size / speed",
            ],
            rows,
        ),
        charts: vec![],
    })
}
