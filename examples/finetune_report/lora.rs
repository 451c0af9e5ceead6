//! The LoRA/QLoRA and distillation sections of the fine-tuning report (issue 20, items 3
//! and 4): rank-r adapters on a frozen FP32 / INT8 / NF4+DQ base of the digits MLP against
//! full fine-tuning on rotated digits, and a distilled CNN student against the same student
//! trained from labels, every accuracy measured by the bit-exact executor over several
//! seeds, every run's training energy counted and priced.

use std::time::Instant;

use rayon::prelude::*;

use arithsim::accel::{FinetuneMemory, PublishedDistillation};
use arithsim::cost::report::{Bar, Cell, Chart, Grid, PointKind, ScatterPoint, Section};
use arithsim::cost::{CostTable, Span};
use arithsim::nn::finetune::cost::{TrainingCost, energy_to_reach};
use arithsim::nn::finetune::distill::{DistillConfig, student_cnn, train_student};
use arithsim::nn::finetune::lora::{
    BaseFormat, TrainerMemory, adapter_params, full_mlp, lora_mlp, merged_checkpoint, rotated,
};
use arithsim::nn::finetune::{Bench, Spread, evaluate, evaluate_graph, graph, pretrained};
use arithsim::nn::train::{DigitsNet, OptimizerConfig, TrainConfig, fit, to_checkpoint};
use arithsim::nn::{Format, digits_mlp};
use arithsim::{Error, Result};

use crate::{Measure, Opts, Reach, TARGET_BELOW};

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

/// Mean and seed range as two cells, in %.
fn cells(s: Spread) -> [Cell; 2] {
    [
        Cell::Num(100.0 * s.mean),
        Cell::Span(Span::range(100.0 * s.min, 100.0 * s.max)),
    ]
}

/// Whether two means differ by less than the larger seed spread or one image.
fn within_noise(a: Spread, b: Spread) -> bool {
    (a.mean - b.mean).abs() <= a.width().max(b.width()).max(ONE_IMAGE)
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

/// The LoRA/QLoRA and distillation sections, and their rows and points of the
/// energy-to-reach table and chart; `opts.quick`: fewer ranks, students and epochs (the CI
/// size), every seed of `opts.seeds` still run.
///
/// # Errors
///
/// As the trainer and the executor; [`Error::InvalidParameter`] for no seeds.
pub fn sections(opts: &Opts, table: &CostTable) -> Result<(Vec<Section>, Reach)> {
    let (quick, seeds) = (opts.quick, opts.seeds.as_slice());
    if seeds.is_empty() {
        return Err(Error::InvalidParameter {
            name: "seeds",
            value: "[]".into(),
            reason: "need at least one".into(),
        });
    }
    let bench = Bench::digits()?;
    let mut reach = Reach::default();
    let mut out = lora_sections(&bench, quick, seeds, table, &mut reach)?;
    out.push(distill_section(&bench, quick, seeds, table, &mut reach)?);
    Ok((out, reach))
}

/// One LoRA or full fine-tuning run (one base, rank and seed).
struct LoraRun {
    base: BaseFormat,
    rank: Option<usize>,
    trainable: usize,
    /// `(epochs done, executor accuracy)`, the last after the last epoch.
    measured: Vec<(usize, f64)>,
    requantized: Option<f64>,
    cost: TrainingCost,
    seconds: f64,
}

impl LoraRun {
    fn last(&self) -> f64 {
        self.measured.last().map_or(f64::NAN, |m| m.1)
    }
}

/// One measured LoRA or full fine-tuning configuration (every seed).
struct LoraRow<'a> {
    base: BaseFormat,
    rank: Option<usize>,
    trainable: usize,
    acc: Spread,
    requantized: Option<Spread>,
    seconds: f64,
    runs: Vec<&'a LoraRun>,
}

fn method(r: Option<usize>) -> String {
    r.map_or_else(|| "full fine-tuning".to_string(), |r| format!("LoRA r={r}"))
}

fn lora_sections(
    bench: &Bench,
    quick: bool,
    seeds: &[u64],
    table: &CostTable,
    reach: &mut Reach,
) -> Result<Vec<Section>> {
    let ranks: &[usize] = if quick {
        &[1, 4, 16]
    } else {
        &[1, 2, 4, 8, 16]
    };
    let epochs = if quick { 8 } else { 20 };
    let c = to_checkpoint(&pretrained(DigitsNet::Mlp)?, None);
    let rot = rotated(bench)?;

    // The shift: each base on upright and on rotated test images.
    let mut shift_rows = Vec::new();
    let mut before = Vec::new();
    for base in BaseFormat::ALL {
        let f = base.executor_format();
        let net = digits_mlp(&base.requantized(&c)?)?;
        let up = evaluate_graph(&net, &f, bench)?.accuracy(&bench.test_labels)?;
        let r = evaluate_graph(&net, &f, &rot)?;
        let mut counts = [0usize; 10];
        for &p in &r.predictions {
            counts[p] += 1;
        }
        let top = (0..10)
            .max_by_key(|&k| (counts[k], usize::MAX - k))
            .unwrap_or(0);
        let acc = r.accuracy(&rot.test_labels)?;
        before.push((base, acc));
        shift_rows.push(vec![
            Cell::text(base.name()),
            Cell::text(f.name.clone()),
            Cell::Num(100.0 * up),
            Cell::Num(100.0 * acc),
            Cell::text(format!("{top} ({} of 360)", counts[top])),
        ]);
    }

    // Every run: (base, rank or full, seed), independent and deterministic. The FP32 base
    // is measured after every epoch (its energy-to-reach), the others after the last.
    let mut jobs = Vec::new();
    for base in BaseFormat::ALL {
        for rank in ranks.iter().map(|&r| Some(r)).chain([None]) {
            for &seed in seeds {
                jobs.push((base, rank, seed));
            }
        }
    }
    let runs: Vec<LoraRun> = jobs
        .par_iter()
        .map(|&(base, rank, seed)| -> Result<LoraRun> {
            let t0 = Instant::now();
            let f = base.executor_format();
            let every = if base == BaseFormat::Fp32 { 1 } else { epochs };
            let accuracy = |c: &arithsim::nn::Checkpoint| -> Result<f64> {
                evaluate_graph(&digits_mlp(c)?, &f, &rot)?.accuracy(&rot.test_labels)
            };
            let (net, log, measured) = match rank {
                Some(r) => {
                    let mut net = lora_mlp(&c, base, r, ALPHA, seed)?;
                    let mut hook = Measure::new(every, epochs, |n| {
                        accuracy(&merged_checkpoint(&c, base, ALPHA, n)?)
                    });
                    let cfg = config(epochs, LORA_LR, seed);
                    let log = fit(
                        &mut net,
                        &rot.inputs,
                        &rot.labels,
                        &rot.split.train,
                        &cfg,
                        &mut hook,
                    )?;
                    (net, log, hook.accuracy)
                }
                None => {
                    let mut net = full_mlp(&c, base)?;
                    // Full fine-tuning trains f32 weights; they are stored back in the base's
                    // format.
                    let mut hook = Measure::new(every, epochs, |n| {
                        accuracy(&base.requantized(&to_checkpoint(n, None))?)
                    });
                    let cfg = config(epochs, FULL_LR, seed);
                    let log = fit(
                        &mut net,
                        &rot.inputs,
                        &rot.labels,
                        &rot.split.train,
                        &cfg,
                        &mut hook,
                    )?;
                    (net, log, hook.accuracy)
                }
            };
            let requantized = if base == BaseFormat::Nf4Dq && rank.is_some() {
                let merged = merged_checkpoint(&c, base, ALPHA, &net)?;
                Some(accuracy(&base.requantized(&merged)?)?)
            } else {
                None
            };
            let trainable = net.parameter_count();
            Ok(LoraRun {
                base,
                rank,
                trainable,
                measured,
                requantized,
                cost: TrainingCost::of(&log, trainable, table)?,
                seconds: t0.elapsed().as_secs_f64(),
            })
        })
        .collect::<Result<_>>()?;

    let mut rows: Vec<LoraRow> = Vec::new();
    for r in &runs {
        match rows
            .iter_mut()
            .find(|x| x.base == r.base && x.rank == r.rank)
        {
            Some(x) => x.runs.push(r),
            None => rows.push(LoraRow {
                base: r.base,
                rank: r.rank,
                trainable: r.trainable,
                acc: Spread::of(&[]),
                requantized: None,
                seconds: 0.0,
                runs: vec![r],
            }),
        }
    }
    for x in &mut rows {
        let accs: Vec<f64> = x.runs.iter().map(|r| r.last()).collect();
        let req: Vec<f64> = x.runs.iter().filter_map(|r| r.requantized).collect();
        x.acc = Spread::of(&accs);
        x.requantized = (!req.is_empty()).then(|| Spread::of(&req));
        x.seconds = x.runs.iter().map(|r| r.seconds).sum::<f64>() / x.runs.len() as f64;
    }

    let mut grid_rows = Vec::new();
    let mut bars = Vec::new();
    for r in &rows {
        let full = rows
            .iter()
            .find(|x| x.base == r.base && x.rank.is_none())
            .map(|x| x.acc);
        let [m, s] = cells(r.acc);
        let [qm, qs] = r.requantized.map_or([Cell::Empty, Cell::Empty], cells);
        let energy: Vec<f64> = r.runs.iter().map(|x| x.cost.energy_pj.mid()).collect();
        grid_rows.push(vec![
            Cell::text(r.base.name()),
            Cell::text(method(r.rank)),
            Cell::Num(r.trainable as f64),
            m,
            s,
            full.map_or(Cell::Empty, |f| Cell::Num(100.0 * (r.acc.mean - f.mean))),
            Cell::text(match full {
                Some(f) if r.rank.is_some() && within_noise(r.acc, f) => "within noise",
                Some(_) if r.rank.is_some() => "below",
                _ => "",
            }),
            qm,
            qs,
            Cell::Num(r.runs[0].cost.macs_per_step().total() as f64),
            Cell::Num(Spread::of(&energy).mean * 1e-6),
            Cell::Num(r.seconds),
        ]);
        if r.base == BaseFormat::Fp32 {
            bars.push(Bar {
                label: format!("{} ({} trainable)", method(r.rank), r.trainable),
                value: Span::exact(100.0 * r.acc.mean),
            });
        }
    }

    // Energy to reach: FP32 base, target = its full fine-tuning's mean minus TARGET_BELOW.
    let full_fp32 = rows
        .iter()
        .find(|x| x.base == BaseFormat::Fp32 && x.rank.is_none())
        .map_or(1.0, |x| x.acc.mean);
    let target = full_fp32 - TARGET_BELOW / 100.0;
    let start = before
        .iter()
        .find(|b| b.0 == BaseFormat::Fp32)
        .map_or(0.0, |b| b.1);
    for r in rows.iter().filter(|r| r.base == BaseFormat::Fp32) {
        let mut reached = Vec::new();
        for x in &r.runs {
            let per_epoch = x.cost.energy_pj.mid() / epochs as f64;
            if let Some(e) = energy_to_reach(start, &x.measured, target, per_epoch) {
                reached.push(e);
            }
        }
        let whole: Vec<f64> = r.runs.iter().map(|x| x.cost.energy_pj.mid()).collect();
        let s = Spread::of(&reached);
        reach.rows.push(vec![
            Cell::text("digits_mlp, rotated (FP32 base)"),
            Cell::text(method(r.rank)),
            Cell::Num(100.0 * target),
            Cell::text(format!("{} / {}", reached.len(), r.runs.len())),
            if reached.is_empty() {
                Cell::text("not reached")
            } else {
                Cell::Span(Span::range(s.min * 1e-6, s.max * 1e-6))
            },
            Cell::Num(100.0 * r.acc.mean),
            Cell::Num(Spread::of(&whole).mean * 1e-6),
        ]);
        let per_epoch = Spread::of(&whole).mean / epochs as f64;
        let n = r.runs[0].measured.len();
        for i in 0..n {
            let e = r.runs[0].measured[i].0;
            let acc: Vec<f64> = r
                .runs
                .iter()
                .filter_map(|x| x.measured.get(i))
                .map(|m| 100.0 * m.1)
                .collect();
            reach.points.push(ScatterPoint {
                x: per_epoch * e as f64 * 1e-6,
                y: Spread::of(&acc).mean,
                label: format!("rotated: {}", method(r.rank)),
                kind: if i + 1 == n {
                    PointKind::Marked
                } else {
                    PointKind::Other
                },
            });
        }
    }

    let r4 = |b: BaseFormat| rows.iter().find(|r| r.base == b && r.rank == Some(4));
    let fullrow = |b: BaseFormat| rows.iter().find(|r| r.base == b && r.rank.is_none());
    let mut summary = Vec::new();
    for b in BaseFormat::ALL {
        if let (Some(a), Some(f)) = (r4(b), fullrow(b)) {
            let ea =
                a.runs.iter().map(|x| x.cost.energy_pj.mid()).sum::<f64>() / a.runs.len() as f64;
            let ef =
                f.runs.iter().map(|x| x.cost.energy_pj.mid()).sum::<f64>() / f.runs.len() as f64;
            summary.push(format!(
                "{}: LoRA r=4 reaches {:.1} % (seeds {:.1}-{:.1}) with {} trainable values and                  {:.0} µJ of training, full fine-tuning {:.1} % with {} ({:.1} % of them) and                  {:.0} µJ: {:.1} points {}",
                b.name(),
                100.0 * a.acc.mean,
                100.0 * a.acc.min,
                100.0 * a.acc.max,
                a.trainable,
                ea * 1e-6,
                100.0 * f.acc.mean,
                f.trainable,
                100.0 * a.trainable as f64 / f.trainable as f64,
                ef * 1e-6,
                100.0 * (f.acc.mean - a.acc.mean),
                if within_noise(a.acc, f.acc) {
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
        "Training cost: the MACs the layers counted (LoRA: the frozen base's forward and input \
         gradient, the adapters' forward and both gradients, no weight gradient for the base), \
         priced like every other method (FP32 multiply + add per MAC, Adam on the trained \
         values only)."
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
                "MACs / step",
                "training energy (µJ)",
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

/// Accuracy, MACs and energy per inference of a CNN on the upright test images (FP32
/// executor, priced with `table`).
fn measure_cnn(
    net: &arithsim::nn::train::Network,
    bench: &Bench,
    table: &CostTable,
) -> Result<(f64, u64, Span)> {
    let out = evaluate(net, &Format::fp32(), bench)?;
    let e = table.estimate(&out.tally).energy_pj;
    let n = bench.test.len() as f64;
    Ok((
        out.accuracy(&bench.test_labels)?,
        graph(net)?.macs(),
        e.map(|v| v / n),
    ))
}

/// One student run.
struct StudentRun {
    student: (usize, usize),
    kd: bool,
    measured: Vec<(usize, f64)>,
    params: usize,
    macs: u64,
    pj: Span,
    cost: TrainingCost,
}

fn distill_section(
    bench: &Bench,
    quick: bool,
    seeds: &[u64],
    table: &CostTable,
    reach: &mut Reach,
) -> Result<Section> {
    let epochs = if quick { 6 } else { 30 };
    let every = if quick { 2 } else { 3 };
    let students: &[(usize, usize)] = if quick { &[(4, 8)] } else { &[(8, 16), (4, 8)] };
    let teacher = pretrained(DigitsNet::Cnn)?;
    let (t_acc, t_macs, t_pj) = measure_cnn(&teacher, bench, table)?;
    let t_params = teacher.parameter_count();
    let mut jobs = Vec::new();
    for &s in students {
        for kd in [false, true] {
            for &seed in seeds {
                jobs.push((s, kd, seed));
            }
        }
    }
    let runs: Vec<StudentRun> = jobs
        .par_iter()
        .map(|&((c1, c2), kd, seed)| -> Result<StudentRun> {
            let mut s = student_cnn(c1, c2)?;
            let mut t = pretrained(DigitsNet::Cnn)?;
            let mut hook = Measure::new(every, epochs, |n| {
                evaluate(n, &Format::fp32(), bench)?.accuracy(&bench.test_labels)
            });
            let log = train_student(
                &mut s,
                &bench.inputs,
                &bench.labels,
                &bench.split.train,
                &config(epochs, 2e-3, seed),
                kd.then_some((&mut t, KD)),
                &mut hook,
            )?;
            let (_, macs, pj) = measure_cnn(&s, bench, table)?;
            let params = s.parameter_count();
            Ok(StudentRun {
                student: (c1, c2),
                kd,
                measured: hook.accuracy,
                params,
                macs,
                pj,
                cost: TrainingCost::of(&log, params, table)?,
            })
        })
        .collect::<Result<_>>()?;

    let mut rows = vec![vec![
        Cell::text("teacher digits_cnn 16/32 (committed)"),
        Cell::Num(t_params as f64),
        Cell::Num(t_macs as f64),
        Cell::Span(t_pj),
        Cell::Num(100.0 * t_acc),
        Cell::Empty,
        Cell::Num(100.0),
        Cell::Empty,
        Cell::Empty,
    ]];
    let target = t_acc - TARGET_BELOW / 100.0;
    let mut notes = vec![format!(
        "Students: the teacher's layout with fewer channels, trained {epochs} epochs (Adam lr 2e-3 \
         decaying to 5 %, batch {BATCH}) from the labels alone or with soft targets at T = {} \
         (weight {} on T^2 KL, {} on the labels). Accuracy by the FP32 executor on the 360 \
         upright test images, mean and range over seeds {seeds:?}, measured every {every} \
         epochs (the energy-to-reach resolution); MACs and energy per inference counted by the \
         executor and priced with the cost table. Training energy: the student's counted \
         forward and backward MACs and Adam updates, plus, when distilled, the teacher's \
         forward pass once per training image (its logits are cached for every epoch; a \
         teacher run per step would cost {epochs} times that). Published rows: the \
         transformer distillations accel::distill prices, whose retention is quoted.",
        KD.temperature,
        KD.soft_weight,
        1.0 - KD.soft_weight
    )];
    for &(c1, c2) in students {
        let mut stats = Vec::new();
        for kd in [false, true] {
            let rs: Vec<&StudentRun> = runs
                .iter()
                .filter(|r| r.student == (c1, c2) && r.kd == kd)
                .collect();
            let accs: Vec<f64> = rs
                .iter()
                .map(|r| r.measured.last().map_or(f64::NAN, |m| m.1))
                .collect();
            let whole: Vec<f64> = rs.iter().map(|r| r.cost.energy_pj.mid()).collect();
            let st = Spread::of(&accs);
            let [m, sp] = cells(st);
            let name = format!(
                "student {c1}/{c2}, {}",
                if kd { "distilled" } else { "labels only" }
            );
            rows.push(vec![
                Cell::text(name.clone()),
                Cell::Num(rs[0].params as f64),
                Cell::Num(rs[0].macs as f64),
                Cell::Span(rs[0].pj),
                m,
                sp,
                Cell::Num(100.0 * st.mean / t_acc),
                Cell::text(format!(
                    "{:.1}x fewer params, {:.1}x fewer MACs",
                    t_params as f64 / rs[0].params as f64,
                    t_macs as f64 / rs[0].macs as f64
                )),
                Cell::Num(Spread::of(&whole).mean * 1e-6),
            ]);
            stats.push(st);
            // Energy to reach the teacher minus TARGET_BELOW, and the chart's points.
            let mut reached = Vec::new();
            for r in &rs {
                let per_epoch = r.cost.energy_pj.mid() / epochs as f64;
                if let Some(e) = energy_to_reach(0.0, &r.measured, target, per_epoch) {
                    reached.push(e);
                }
            }
            let s = Spread::of(&reached);
            reach.rows.push(vec![
                Cell::text("digits_cnn students, upright"),
                Cell::text(name.clone()),
                Cell::Num(100.0 * target),
                Cell::text(format!("{} / {}", reached.len(), rs.len())),
                if reached.is_empty() {
                    Cell::text("not reached")
                } else {
                    Cell::Span(Span::range(s.min * 1e-6, s.max * 1e-6))
                },
                Cell::Num(100.0 * st.mean),
                Cell::Num(Spread::of(&whole).mean * 1e-6),
            ]);
            let per_epoch = Spread::of(&whole).mean / epochs as f64;
            let n = rs[0].measured.len();
            for i in 0..n {
                let acc: Vec<f64> = rs
                    .iter()
                    .filter_map(|r| r.measured.get(i))
                    .map(|m| 100.0 * m.1)
                    .collect();
                reach.points.push(ScatterPoint {
                    x: per_epoch * rs[0].measured[i].0 as f64 * 1e-6,
                    y: Spread::of(&acc).mean,
                    label: name.clone(),
                    kind: if i + 1 == n {
                        PointKind::Marked
                    } else {
                        PointKind::Other
                    },
                });
            }
        }
        let (lab, kd) = (stats[0], stats[1]);
        notes.push(format!(
            "Student {c1}/{c2}: distilled {:.1} % vs labels only {:.1} % ({:+.1} points, {}); it \
             keeps {:.1} % of the teacher's {:.1} %.",
            100.0 * kd.mean,
            100.0 * lab.mean,
            100.0 * (kd.mean - lab.mean),
            if within_noise(kd, lab) {
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
            Cell::Empty,
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
                "training energy (µJ)",
            ],
            rows,
        ),
        charts: vec![],
    })
}
