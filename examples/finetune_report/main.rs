//! The fine-tuning report: what quantization-aware training, pruning with retraining,
//! LoRA/QLoRA and distillation buy on the digits networks, and at what training cost.
//!
//! ```text
//! cargo run --release --example finetune_report            # the full report (< 10 min)
//! cargo run --release --example finetune_report -- --quick # the CI size (< 2 min)
//! ```
//!
//! Options (the shared parser, `examples/common/cli.rs`): `--quick` (the MLP only, fewer
//! epochs and settings; still 3 seeds), `--out DIR` (default
//! `$CARGO_TARGET_DIR/finetune-report`: report.md, predictions.csv and the SVG charts),
//! `--table FILE` (a cost table; default the embedded Horowitz 45 nm table), `--format F`
//! (what is printed), `--help`.

#[path = "../common/cli.rs"]
mod cli;
mod lora;
mod qat;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use arithsim::cost::CostTable;
use arithsim::cost::report::{
    Cell, Format, Grid, Scatter, ScatterPoint, Section, render_scatter_svg, render_sections,
    write_sections,
};
use arithsim::nn::train::{Network, TrainHook};
use arithsim::{Error, Result};

/// The report's options, shared by every part of it (`qat`, `lora`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opts {
    /// The CI size: fewer networks, epochs and settings (still every seed).
    pub quick: bool,
    /// The fine-tuning seeds; every comparison is run once per seed (at least 3).
    pub seeds: Vec<u64>,
    /// Where report.md, the CSV files and the SVG charts go.
    pub out: PathBuf,
    /// What is printed.
    pub format: Format,
}

/// One extra file of a part of the report (SVG scatter plots, predictions).
pub struct Extra {
    /// File name inside `Opts::out`.
    pub file: String,
    /// Its contents.
    pub text: String,
}

/// Accuracy needed by the energy-to-reach figures: this many points below the task's
/// reference (FP32 network, full fine-tuning of the FP32 base, teacher).
pub const TARGET_BELOW: f64 = 1.0;

/// A part's rows of the energy-to-reach table and its points of the accuracy-vs-training-
/// energy chart (every method on one chart).
#[derive(Default)]
pub struct Reach {
    pub rows: Vec<Vec<Cell>>,
    pub points: Vec<ScatterPoint>,
}

/// A [`TrainHook`] that measures the network after every `every`-th epoch (and the last),
/// keeping `(epochs done, accuracy)`; everything else as the default hook.
pub struct Measure<F: FnMut(&Network) -> Result<f64>> {
    pub every: usize,
    pub epochs: usize,
    pub measure: F,
    pub accuracy: Vec<(usize, f64)>,
}

impl<F: FnMut(&Network) -> Result<f64>> Measure<F> {
    pub fn new(every: usize, epochs: usize, measure: F) -> Self {
        Measure {
            every: every.max(1),
            epochs,
            measure,
            accuracy: Vec::new(),
        }
    }
}

impl<F: FnMut(&Network) -> Result<f64>> TrainHook for Measure<F> {
    fn epoch_end(&mut self, epoch: usize, net: &mut Network) -> Result<()> {
        let done = epoch + 1;
        if done % self.every == 0 || done == self.epochs {
            let a = (self.measure)(net)?;
            self.accuracy.push((done, a));
        }
        Ok(())
    }
}

fn run(o: &Opts, table: &CostTable) -> Result<()> {
    let start = Instant::now();
    let (mut sections, mut extras, mut reach) = qat::sections(o, table)?;
    let t_qat = start.elapsed().as_secs_f64();
    let t = Instant::now();
    let (lora_sections, lora_reach) = lora::sections(o, table)?;
    sections.extend(lora_sections);
    reach.rows.extend(lora_reach.rows);
    reach.points.extend(lora_reach.points);
    let t_lora = t.elapsed().as_secs_f64();

    sections.push(Section {
        id: "energy-to-target",
        title: format!(
            "Training energy to reach the reference accuracy minus {TARGET_BELOW} point, every method"
        ),
        notes: vec![
            "Energy (cost table, FP32 multiply + add per counted MAC, Adam updates of the \
             trained values) of the epochs up to the first measured one whose executor \
             accuracy reaches the target (0 when the starting point already does), per seed; \
             the range is over the seeds that reached it. References: the FP32 network for \
             QAT and pruning (upright digits), full fine-tuning of the FP32 base for LoRA and \
             full fine-tuning (rotated digits; each base's runs against the same target), the \
             teacher for the students (upright digits; a distilled run includes the teacher's \
             one forward pass per training image). Resolution: the epochs measured (every \
             epoch for QAT, pruning and LoRA; see the distillation notes for the students)."
                .into(),
        ],
        grid: Grid {
            columns: [
                "network / task",
                "method",
                "target %",
                "seeds reaching",
                "training energy (µJ)",
                "final accuracy % (mean)",
                "energy of the whole run (µJ, mean)",
            ]
            .iter()
            .map(|c| (*c).to_string())
            .collect(),
            rows: reach.rows,
        },
        charts: vec![],
    });
    let scatter = Scatter {
        file: "finetune-accuracy-vs-energy.svg".into(),
        title: "Accuracy against training energy, every method (mean over seeds; labelled: \
                last epoch)"
            .into(),
        x_axis: "training energy (µJ, log)".into(),
        y_axis: "top-1 accuracy on the method's task (%)".into(),
        log_x: true,
        log_y: false,
        points: reach.points,
    };
    extras.push(Extra {
        file: scatter.file.clone(),
        text: render_scatter_svg(&scatter)?,
    });

    if let Some(s) = sections.first_mut() {
        s.notes.push(format!(
            "Run time {:.1} s on {} threads (QAT and pruning {t_qat:.1} s, LoRA and \
             distillation {t_lora:.1} s){}.",
            start.elapsed().as_secs_f64(),
            rayon::current_num_threads(),
            if o.quick { ", --quick" } else { "" }
        ));
    }
    let title = "Fine-tuning, measured: what retraining buys at low precision and sparsity";
    print!("{}", render_sections(title, &sections, o.format));
    write_sections(title, &sections, &o.out, Format::Markdown)?;
    for e in extras {
        let p = o.out.join(&e.file);
        std::fs::write(&p, e.text).map_err(|source| Error::Io {
            path: p.clone(),
            source,
        })?;
    }
    eprintln!("wrote {}", o.out.display());
    Ok(())
}

fn main() -> ExitCode {
    cli::main(&cli::FINETUNE_REPORT, |args| {
        let opts = Opts {
            quick: args.flag("quick"),
            seeds: vec![1, 2, 3],
            out: args.out.clone(),
            format: args.format,
        };
        args.create_out()?;
        run(&opts, &args.cost_table()?)
    })
}
