//! The fine-tuning report: what quantization-aware training, pruning with retraining,
//! LoRA/QLoRA and distillation buy on the digits networks, and at what training cost.
//!
//! ```text
//! cargo run --release --example finetune_report            # the full report (< 10 min)
//! cargo run --release --example finetune_report -- --quick # the CI size (< 2 min)
//! ```
//!
//! Options: `--quick` (the MLP only, fewer epochs and densities; still 3 seeds), `--out DIR`
//! (default `$CARGO_TARGET_DIR/finetune-report`, `target/` when unset: report.md,
//! predictions.csv and the SVG charts), `--table FILE` (a cost table; default the embedded
//! Horowitz 45 nm table), `--help`.

mod lora;
mod qat;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use arithsim::cost::CostTable;
use arithsim::cost::report::{Format, render_sections, write_sections};
use arithsim::{Error, Result};

const USAGE: &str = "usage: finetune_report [--quick] [--out DIR] [--table FILE] [--help]";

/// The report's options, shared by every part of it (`qat`, `lora`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opts {
    /// The CI size: fewer networks, epochs and settings (still every seed).
    pub quick: bool,
    /// The fine-tuning seeds; every comparison is run once per seed (at least 3).
    pub seeds: Vec<u64>,
    /// Where report.md, the CSV files and the SVG charts go.
    pub out: PathBuf,
    /// A cost table file, or the embedded Horowitz 45 nm table.
    pub table: Option<PathBuf>,
}

/// One extra file of a part of the report (SVG scatter plots, predictions).
pub struct Extra {
    /// File name inside `Opts::out`.
    pub file: String,
    /// Its contents.
    pub text: String,
}

fn default_out() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| PathBuf::from("target"), PathBuf::from)
        .join("finetune-report")
}

fn parse(args: &[String]) -> std::result::Result<Option<Opts>, String> {
    let mut o = Opts {
        quick: false,
        seeds: vec![1, 2, 3],
        out: default_out(),
        table: None,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--quick" => o.quick = true,
            "--out" => o.out = PathBuf::from(it.next().ok_or("--out needs a value")?),
            "--table" => o.table = Some(PathBuf::from(it.next().ok_or("--table needs a value")?)),
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    Ok(Some(o))
}

fn run(o: &Opts) -> Result<()> {
    let start = Instant::now();
    let table = match &o.table {
        Some(p) => CostTable::load(p)?,
        None => CostTable::horowitz_45nm(),
    };
    let (mut sections, extras) = qat::sections(o, &table)?;
    let t_qat = start.elapsed().as_secs_f64();
    let t = Instant::now();
    sections.extend(lora::sections(o, &table)?);
    let t_lora = t.elapsed().as_secs_f64();
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
    print!("{}", render_sections(title, &sections, Format::Text));
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
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opts = match parse(&args) {
        Ok(Some(o)) => o,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
