//! Quantization-aware training, pruning with and without retraining, and what the training
//! costs: sections 1–5 of the fine-tuning report.

use rayon::prelude::*;

use arithsim::Result;
use arithsim::cost::CostTable;
use arithsim::cost::Span;
use arithsim::cost::report::{
    Bar, Cell, Chart, Grid, PointKind, Scatter, ScatterPoint, Section, render_scatter_svg,
};
use arithsim::nn::finetune::cost::{TrainingCost, energy_to_reach};
use arithsim::nn::finetune::{Bench, FineTune, Spread, evaluate, pretrained, prune, qat};
use arithsim::nn::train::{DigitsNet, Tensor, TrainLog};
use arithsim::nn::{Format, WeightCompression};

use crate::{Extra, Opts, Reach, TARGET_BELOW};

/// Peak learning rate of every fine-tuning run (Adam, falling linearly to a tenth).
const LR: f32 = 1e-3;
/// Images per step.
const BATCH: usize = 32;

/// One run, reduced to what the report needs (the networks stay in their thread).
struct Run {
    net: DigitsNet,
    method: String,
    kind: Kind,
    seed: u64,
    before: f64,
    epochs: Vec<f64>,
    predictions: Vec<usize>,
    log: TrainLog,
    parameters: usize,
    trainable: usize,
    density: f64,
}

/// A before/after table's rows, its chart's bars and its summary lines.
type BeforeAfter = (Vec<Vec<Cell>>, Vec<Bar>, Vec<String>);

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Qat,
    Prune,
}

fn pct(v: f64) -> f64 {
    100.0 * v
}

fn text(s: impl Into<String>) -> Cell {
    Cell::text(s)
}

fn grid(columns: &[&str], rows: Vec<Vec<Cell>>) -> Grid {
    Grid {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows,
    }
}

/// "gain", "loss" or "within noise": a difference of means counts when it exceeds the seed
/// spread and the test split's own sampling noise, one binomial standard error
/// `√(p(1 − p)/n)` of the starting accuracy `p` (at least one image).
fn verdict(diff: f64, spread: f64, noise: f64) -> &'static str {
    if diff.abs() <= spread.max(noise) {
        "within noise"
    } else if diff > 0.0 {
        "gain"
    } else {
        "loss"
    }
}

fn epochs_for(o: &Opts, net: DigitsNet) -> usize {
    match (o.quick, net) {
        (true, _) => 2,
        (false, DigitsNet::Mlp) => 8,
        (false, DigitsNet::Cnn) => 4,
    }
}

/// The first weight layer's share of the forward MACs: the part of the backward pass a
/// trainer could skip (nothing uses the input gradient of the first layer).
fn first_layer_share(n: DigitsNet) -> Result<f64> {
    let mut net = pretrained(n)?;
    net.forward(&Tensor::zeros(&[1, 1, 8, 8]))?;
    let per: Vec<u64> = net.layers().iter().map(|l| l.macs().forward).collect();
    let first = per.iter().copied().find(|&m| m > 0).unwrap_or(0);
    Ok(first as f64 / per.iter().sum::<u64>().max(1) as f64)
}

fn net_name(n: DigitsNet) -> &'static str {
    n.name()
}

/// Sections 1–4, their extra files, and the QAT and pruning rows and points of the
/// energy-to-reach table and chart.
pub fn sections(o: &Opts, table: &CostTable) -> Result<(Vec<Section>, Vec<Extra>, Reach)> {
    if o.seeds.len() < 3 {
        return Err(arithsim::Error::InvalidParameter {
            name: "seeds",
            value: o.seeds.len().to_string(),
            reason: "every comparison needs at least 3".into(),
        });
    }
    let bench = Bench::digits()?;
    let nets: Vec<DigitsNet> = if o.quick {
        vec![DigitsNet::Mlp]
    } else {
        DigitsNet::ALL.to_vec()
    };
    let prunings: Vec<WeightCompression> = if o.quick {
        vec![
            WeightCompression::Unstructured(0.3),
            WeightCompression::Unstructured(0.1),
            WeightCompression::TwoFour,
        ]
    } else {
        vec![
            WeightCompression::Unstructured(0.5),
            WeightCompression::Unstructured(0.3),
            WeightCompression::Unstructured(0.2),
            WeightCompression::Unstructured(0.1),
            WeightCompression::TwoFour,
        ]
    };
    // FP32 reference accuracy by the executor.
    let mut fp32 = Vec::new();
    for &n in &nets {
        let a = evaluate(&pretrained(n)?, &Format::fp32(), &bench)?.accuracy(&bench.test_labels)?;
        fp32.push((n, a));
    }
    // Every job: (net, QAT format or pruning, seed); independent, deterministic runs.
    #[derive(Clone)]
    enum Job {
        Qat(Format),
        Prune(WeightCompression),
    }
    let mut jobs = Vec::new();
    for &n in &nets {
        for &seed in &o.seeds {
            for f in qat::formats() {
                jobs.push((n, Job::Qat(f), seed));
            }
            for &p in &prunings {
                jobs.push((n, Job::Prune(p), seed));
            }
        }
    }
    let runs: Vec<Run> = jobs
        .par_iter()
        .map(|(n, job, seed)| -> Result<Run> {
            let ft = FineTune {
                epochs: epochs_for(o, *n),
                batch_size: BATCH,
                lr: LR,
                seed: *seed,
            };
            match job {
                Job::Qat(f) => {
                    let r = qat::fine_tune_qat(*n, f, &bench, &ft)?;
                    Ok(Run {
                        net: *n,
                        method: f.name.clone(),
                        kind: Kind::Qat,
                        seed: *seed,
                        before: r.ptq_accuracy,
                        epochs: r.epoch_accuracy,
                        predictions: r.predictions,
                        log: r.log,
                        parameters: r.net.parameter_count(),
                        trainable: r.net.parameter_count(),
                        density: 1.0,
                    })
                }
                Job::Prune(p) => {
                    let r = prune::prune_fine_tune(*n, *p, &bench, &ft)?;
                    Ok(Run {
                        net: *n,
                        method: r.format.name.clone(),
                        kind: Kind::Prune,
                        seed: *seed,
                        before: r.pruned_accuracy,
                        epochs: r.epoch_accuracy,
                        predictions: r.predictions,
                        log: r.log,
                        parameters: r.net.parameter_count(),
                        trainable: r.trainable,
                        density: r.density,
                    })
                }
            }
        })
        .collect::<Result<_>>()?;

    let n_test = bench.test.len() as f64;
    let one_image = 100.0 / n_test;
    // Group runs by (net, method), seeds in order.
    let mut groups: Vec<(DigitsNet, String, Kind, Vec<&Run>)> = Vec::new();
    for r in &runs {
        match groups.iter_mut().find(|g| g.0 == r.net && g.1 == r.method) {
            Some(g) => g.3.push(r),
            None => groups.push((r.net, r.method.clone(), r.kind, vec![r])),
        }
    }

    let mut preds = String::from("network,method,seed,epochs,accuracy,predictions\n");
    for r in &runs {
        let digits: String = r
            .predictions
            .iter()
            .map(|&d| char::from(b'0' + d as u8))
            .collect();
        preds.push_str(&format!(
            "{},\"{}\",{},{},{},{digits}\n",
            net_name(r.net),
            r.method,
            r.seed,
            r.epochs.len(),
            r.epochs.last().copied().unwrap_or(f64::NAN)
        ));
    }

    // Cost of each run.
    let cost = |r: &Run| TrainingCost::of(&r.log, r.parameters, table);

    let before_after = |kind: Kind| -> Result<BeforeAfter> {
        let mut rows = Vec::new();
        let mut bars = Vec::new();
        let mut lines = Vec::new();
        for (n, m, k, rs) in &groups {
            if *k != kind {
                continue;
            }
            let before = pct(rs[0].before);
            let after: Vec<f64> = rs
                .iter()
                .map(|r| pct(*r.epochs.last().unwrap_or(&0.0)))
                .collect();
            let s = Spread::of(&after);
            let diff = s.mean - before;
            let p = rs[0].before;
            let se = (100.0 * (p * (1.0 - p) / n_test).sqrt()).max(one_image);
            let v = verdict(diff, s.width(), se);
            let c = cost(rs[0])?;
            let mut row = vec![text(net_name(*n)), text(m.clone())];
            if kind == Kind::Prune {
                row.push(Cell::Num(rs[0].density));
            }
            row.extend([
                Cell::Num(before),
                Cell::Num(s.mean),
                Cell::Num(s.min),
                Cell::Num(s.max),
                Cell::Num(diff),
                Cell::Num(diff / one_image),
                text(v),
                Cell::Num(rs[0].epochs.len() as f64),
                Cell::Num(c.energy_pj.mid() * 1e-6),
            ]);
            rows.push(row);
            bars.push(Bar {
                label: format!("{} {m}: before", net_name(*n)),
                value: Span::exact((100.0 - before).max(0.05)),
            });
            bars.push(Bar {
                label: format!("{} {m}: retrained", net_name(*n)),
                value: Span::range((100.0 - s.max).max(0.05), (100.0 - s.min).max(0.05)),
            });
            lines.push(format!(
                "{} {m}: {before:.2} % before, {:.2} % after {} epochs (seeds {:.2}–{:.2}), \
                 {diff:+.2} points ({v}), {:.1} µJ of training",
                net_name(*n),
                s.mean,
                rs[0].epochs.len(),
                s.min,
                s.max,
                c.energy_pj.mid() * 1e-6
            ));
        }
        Ok((rows, bars, lines))
    };
    let (qat_rows, qat_bars, qat_lines) = before_after(Kind::Qat)?;
    let (prune_rows, prune_bars, prune_lines) = before_after(Kind::Prune)?;

    let fp32_note = fp32
        .iter()
        .map(|(n, a)| format!("{} {:.2} %", net_name(*n), pct(*a)))
        .collect::<Vec<_>>()
        .join(", ");
    let cols = |prune: bool| {
        let mut c = vec!["network", "format"];
        if prune {
            c.push("density");
        }
        c.extend([
            if prune { "pruned only %" } else { "PTQ %" },
            "retrained mean %",
            "min %",
            "max %",
            "change (points)",
            "change (images)",
            "verdict",
            "epochs",
            "training energy (µJ, 1 seed)",
        ]);
        c
    };
    let mut sections = Vec::new();
    let mut notes = vec![
        format!(
            "From the committed FP32 checkpoints (executor FP32 accuracy: {fp32_note}). Each \
             run fine-tunes with Adam (lr {LR} falling linearly to a tenth, batch {BATCH}, no \
             weight decay) with fake quantization in the forward pass: weights are the \
             executor's own (arithsim::nn::Executor::weight_values of the current weights, \
             before every step), activations on the executor's calibrated int8 grid (or the \
             FP8 / MX grid), straight-through gradients. Seeds {:?} (the shuffle order). \
             Every accuracy is the bit-exact executor's on the {} test images (1 image = {:.2} \
             %); a change is called a gain or loss only when it exceeds both the seed spread \
             and one binomial standard error of the starting accuracy on the test split \
             (√(p(1-p)/360): 0.78 points, 2.8 images at p = 97.8 %), since the seeds vary \
             the training, not the test images (conservative: before and after are measured \
             on the same images).",
            o.seeds,
            bench.test.len(),
            one_image
        ),
        "W{b}A8: weights symmetric per output channel on [-(2^(b-1)-1), 2^(b-1)-1], INT8 \
         activations calibrated min/max on the training images, integer-only TFLite kernels. \
         FP8 E4M3: weights and activations rounded to E4M3, FP32 accumulation. MXFP4 E2M1: OCP \
         MX blocks of 32 (E8M0 scale), FP32 accumulation."
            .to_string(),
    ];
    notes.extend(qat_lines);
    sections.push(Section {
        id: "qat",
        title: "1. Quantization-aware fine-tuning: accuracy before (PTQ) and after".into(),
        notes,
        grid: grid(&cols(false), qat_rows),
        charts: vec![Chart {
            file: "finetune-qat-error.svg".into(),
            title: "Test error before and after quantization-aware fine-tuning (whisker: seeds)"
                .into(),
            axis: "top-1 test error (%, log)".into(),
            bars: qat_bars,
        }],
    });

    // 2. Per epoch.
    let mut epoch_rows = Vec::new();
    let max_epochs = runs.iter().map(|r| r.epochs.len()).max().unwrap_or(0);
    for (n, m, _, rs) in &groups {
        let mut row = vec![
            text(net_name(*n)),
            text(m.clone()),
            Cell::Num(pct(rs[0].before)),
        ];
        for e in 0..max_epochs {
            let v: Vec<f64> = rs
                .iter()
                .filter_map(|r| r.epochs.get(e).map(|&a| pct(a)))
                .collect();
            if v.is_empty() {
                row.push(Cell::Empty);
            } else {
                let s = Spread::of(&v);
                row.push(Cell::Span(Span::range(s.min, s.max)));
            }
        }
        epoch_rows.push(row);
    }
    let mut epoch_cols: Vec<String> = vec!["network".into(), "method".into(), "epoch 0 %".into()];
    epoch_cols.extend((1..=max_epochs).map(|e| format!("epoch {e} % (seed min–max)")));
    sections.push(Section {
        id: "epochs",
        title: "2. Accuracy after every epoch (executor, test split)".into(),
        notes: vec![
            "Epoch 0 is the starting point: post-training quantization for the formats, \
             pruning without retraining for the pruned rows. Ranges are min–max over the seeds."
                .into(),
        ],
        grid: Grid {
            columns: epoch_cols,
            rows: epoch_rows,
        },
        charts: vec![],
    });

    // 3. Pruning.
    let mut pnotes = vec![
        "Magnitude pruning by the executor's own weight compression (per-layer unstructured \
         to the density, or 2:4 on every layer whose reduction is a multiple of 4; conv1 of \
         the CNN, K = 9, stays dense), measured by INT8 integer-only inference with the same \
         pruning. Retraining: FP32 fine-tuning with the pruned weights held at exactly zero \
         (gradient zeroed, value reset after each Adam step); the executor's re-pruning of \
         the retrained weights keeps the same ones."
            .to_string(),
    ];
    pnotes.extend(prune_lines);
    sections.push(Section {
        id: "pruning",
        title: "3. Pruning with and without retraining".into(),
        notes: pnotes,
        grid: grid(&cols(true), prune_rows),
        charts: vec![Chart {
            file: "finetune-pruning-error.svg".into(),
            title: "Test error of pruned networks, without and with retraining (whisker: seeds)"
                .into(),
            axis: "top-1 test error (%, log)".into(),
            bars: prune_bars,
        }],
    });

    // 4. Cost per step.
    let mut cost_rows = Vec::new();
    for &n in &nets {
        for kind in [Kind::Qat, Kind::Prune] {
            let Some(r) = runs.iter().find(|r| r.net == n && r.kind == kind) else {
                continue;
            };
            let c = cost(r)?;
            let m = c.macs_per_step();
            let total = m.forward + m.backward_input + m.backward_weight;
            let first = first_layer_share(n)?;
            cost_rows.push(vec![
                text(net_name(n)),
                text(if kind == Kind::Qat { "QAT" } else { "pruned" }),
                Cell::Num(m.forward as f64),
                Cell::Num(m.backward_input as f64),
                Cell::Num(m.backward_weight as f64),
                Cell::Num(total as f64 / m.forward.max(1) as f64),
                Cell::Num(total as f64 / m.forward.max(1) as f64 - first),
                Cell::Num((c.updates / c.steps.max(1) as u64) as f64),
                Cell::Num(c.energy_per_step_pj() * 1e-6),
                Cell::Num(c.energy_pj.mid() * 1e-6 / r.epochs.len().max(1) as f64),
            ]);
        }
    }
    sections.push(Section {
        id: "training-cost",
        title: "4. Training cost: MACs per step counted, priced with the cost table".into(),
        notes: vec![format!(
            "MACs counted in the trainer's loops (arithsim::nn::train::Macs), averaged over \
             the run's steps (batch {BATCH}; the last batch of an epoch is smaller). Backward \
             is an input-gradient and a weight-gradient product per forward product, padded \
             taps skipped in both, so this trainer's step is exactly 3x its forward pass — \
             because it also computes the first layer's input gradient, which nothing uses; \
             the next column removes it (the first layer's share of the forward MACs, counted \
             on one image). Priced with table \"{}\": a MAC as one FP32 \
             multiply plus one FP32 add (the trainer's `acc += w·x`); Adam as 10 multiplies \
             (7, plus 2 divisions and a square root priced as multiplies: the table has no \
             such rows) and 5 adds per parameter per step. Fake quantization, the executor \
             evaluations and memory traffic are not priced.",
            table.name()
        )],
        grid: grid(
            &[
                "network",
                "run",
                "forward MACs / step",
                "backward ∂x MACs / step",
                "backward ∂W MACs / step",
                "(fwd + bwd) / fwd",
                "same, without the first layer's ∂x",
                "Adam updates / step",
                "energy / step (µJ)",
                "energy / epoch (µJ)",
            ],
            cost_rows,
        ),
        charts: vec![],
    });

    // Energy to reach a target, and the accuracy-vs-energy points (main.rs draws them with
    // the other methods').
    let mut points = Vec::new();
    let mut reach = Reach::default();
    for (n, m, _, rs) in &groups {
        let target = fp32.iter().find(|f| f.0 == *n).map_or(1.0, |f| f.1) - TARGET_BELOW / 100.0;
        let mut reached = Vec::new();
        let mut whole = Vec::new();
        for r in rs {
            let c = cost(r)?;
            let per_epoch = c.energy_pj.mid() / r.epochs.len().max(1) as f64;
            whole.push(c.energy_pj.mid());
            let measured: Vec<(usize, f64)> = r
                .epochs
                .iter()
                .enumerate()
                .map(|(e, &a)| (e + 1, a))
                .collect();
            if let Some(e) = energy_to_reach(r.before, &measured, target, per_epoch) {
                reached.push(e);
            }
        }
        let finals: Vec<f64> = rs
            .iter()
            .map(|r| pct(*r.epochs.last().unwrap_or(&0.0)))
            .collect();
        let s = Spread::of(&reached);
        reach.rows.push(vec![
            text(net_name(*n)),
            text(m.clone()),
            Cell::Num(pct(target)),
            text(format!("{} / {}", reached.len(), rs.len())),
            if reached.is_empty() {
                text("not reached")
            } else {
                Cell::Span(Span::range(s.min * 1e-6, s.max * 1e-6))
            },
            Cell::Num(Spread::of(&finals).mean),
            Cell::Num(Spread::of(&whole).mean * 1e-6),
        ]);
        let c = cost(rs[0])?;
        let per_epoch = c.energy_pj.mid() / rs[0].epochs.len().max(1) as f64;
        for e in 0..rs[0].epochs.len() {
            let acc: Vec<f64> = rs
                .iter()
                .filter_map(|r| r.epochs.get(e))
                .map(|&a| pct(a))
                .collect();
            let last = e + 1 == rs[0].epochs.len();
            points.push(ScatterPoint {
                x: per_epoch * (e + 1) as f64 * 1e-6,
                y: Spread::of(&acc).mean,
                label: format!("{} {m}", net_name(*n)),
                kind: if last {
                    PointKind::Marked
                } else {
                    PointKind::Other
                },
            });
        }
    }
    reach.points = points;

    // Accuracy recovered against trainable parameters.
    let recovered: Vec<ScatterPoint> = groups
        .iter()
        .map(|(n, m, _, rs)| {
            let after: Vec<f64> = rs
                .iter()
                .map(|r| pct(*r.epochs.last().unwrap_or(&0.0)))
                .collect();
            ScatterPoint {
                x: rs[0].trainable as f64,
                y: Spread::of(&after).mean - pct(rs[0].before),
                label: format!("{} {m}", net_name(*n)),
                kind: PointKind::Marked,
            }
        })
        .collect();
    let recovered = Scatter {
        file: "finetune-recovered-vs-trainable.svg".into(),
        title: "Accuracy recovered by retraining against trainable parameters".into(),
        x_axis: "trainable parameters (log)".into(),
        y_axis: "accuracy recovered (points, mean over seeds)".into(),
        log_x: true,
        log_y: false,
        points: recovered,
    };
    let extras = vec![
        Extra {
            file: recovered.file.clone(),
            text: render_scatter_svg(&recovered)?,
        },
        Extra {
            file: "predictions.csv".into(),
            text: preds,
        },
    ];
    Ok((sections, extras, reach))
}
