//! The fine-tuning report: what quantization-aware training, pruning with retraining,
//! LoRA/QLoRA and distillation buy on the digits networks, and at what training cost.
//!
//! ```text
//! cargo run --release --example finetune_report            # the full report (< 10 min)
//! cargo run --release --example finetune_report -- --quick # the CI size (< 2 min)
//! ```
//!
//! (ft-lora branch: a minimal driver for the LoRA and distillation sections only; the
//! ft-qat branch's driver replaces it at merge.)

mod lora;
mod qat;

use std::path::PathBuf;
use std::process::ExitCode;

use arithsim::cost::CostTable;
use arithsim::cost::report::{Format, render_sections, write_sections};

/// The report's options (the fields of ft-qat's `Opts`, which replaces this driver).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opts {
    /// The CI size.
    pub quick: bool,
    /// The fine-tuning seeds (at least 3).
    pub seeds: Vec<u64>,
    /// Output folder.
    pub out: PathBuf,
    /// A cost table file, or the embedded Horowitz 45 nm table.
    pub table: Option<PathBuf>,
}

fn main() -> ExitCode {
    qat::placeholder();
    let quick = std::env::args().any(|a| a == "--quick");
    let out = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| PathBuf::from("target"), PathBuf::from)
        .join("finetune-report");
    let table = CostTable::horowitz_45nm();
    let opts = Opts {
        quick,
        seeds: vec![1, 2, 3],
        out: out.clone(),
        table: None,
    };
    match lora::sections(&opts, &table).and_then(|s| {
        let title = "Fine-tuning, measured (LoRA/QLoRA and distillation)";
        print!("{}", render_sections(title, &s, Format::Text));
        write_sections(title, &s, &out, Format::Markdown)
    }) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("finetune_report: {e}");
            ExitCode::FAILURE
        }
    }
}
