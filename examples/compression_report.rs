//! The compression report: how much memory a large model needs at each weight format, how
//! much error each 4-bit format adds, what LoRA and QLoRA fine-tuning cost, and what one
//! generated token costs in energy — every figure computed at run time from the model
//! shapes, the formats' bit layouts and a cost table.
//!
//! ```text
//! cargo run --release --example compression_report
//! cargo run --release --example compression_report -- --format markdown --out /tmp/cr
//! ```
//!
//! `--help` lists the options: `--table FILE`, `--out DIR` (default `compression-report`
//! under the target directory), `--format text|markdown|csv|json` (printed, and also written
//! as `report.<ext>`).
//!
//! Sources of the constants: NF4 levels, block sizes 64 and 256, r = 64 on all linear
//! layers and the "> 780 GB" / "< 48 GB" headlines: Dettmers et al. 2023, "QLoRA: Efficient
//! Finetuning of Quantized LLMs"; INT4 group 128 with FP16 scales and 4-bit zeros: GPTQ
//! (Frantar et al. 2023) and AWQ (Lin et al. 2024); LoRA: Hu et al. 2021; LLaMA shapes:
//! Touvron et al. 2023, Table 2; Llama 3.2 1B: Meta's published config; activations:
//! Korthikanti et al. 2022; energy: Horowitz, ISSCC 2014.

#[path = "common/cli.rs"]
mod cli;

use std::process::ExitCode;

use arithsim::accel::DecodeParams;
use arithsim::accel::{ActivationModel, GB, LoraConfig, Transformer};
use arithsim::cost::report::{
    Bar, Cell, Chart, Grid, ReportOptions, Section, render_sections, write_sections,
};
use arithsim::cost::{CostTable, Span};
use arithsim::quant::{NF4_LEVELS, WeightFormat, nf4_thresholds, normal_tensor, student_t_tensor};

/// Shape of the test weight matrix for the error table (rows = output channels).
const ROWS: usize = 512;
const COLS: usize = 2048;
/// Standard deviation of the test weights (typical of a trained LLM layer).
const STD: f64 = 0.02;
/// Degrees of freedom of the heavy-tailed weights.
const DOF: u32 = 4;
/// Seed of the test weights.
const SEED: u64 = 2023;
/// Context length and batch for KV cache and decode figures.
const CONTEXT: u64 = 2048;
/// Device memory budgets, decimal bytes.
const BUDGETS: [(&str, f64); 4] = [
    ("phone 8 GB", 8.0),
    ("GPU 24 GB", 24.0),
    ("GPU 48 GB", 48.0),
    ("GPU 80 GB", 80.0),
];

fn text(s: impl Into<String>) -> Cell {
    Cell::text(s)
}

fn num(v: f64) -> Cell {
    Cell::Num(v)
}

/// 6738415616 → "6,738,415,616".
fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn gb(bytes: u64) -> f64 {
    bytes as f64 / GB
}

fn grid(columns: &[&str], rows: Vec<Vec<Cell>>) -> Grid {
    Grid {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows,
    }
}

/// The formats of the memory table, widest first (bits per weight with overhead: 32, 16,
/// 8.01, 4.5, 4.25, 4.16, 4.13). BF16 takes what FP16 takes.
const MEMORY_FORMATS: [WeightFormat; 7] = [
    WeightFormat::FP32,
    WeightFormat::FP16,
    WeightFormat::INT8_PER_CHANNEL,
    WeightFormat::NF4,
    WeightFormat::MXFP4,
    WeightFormat::INT4_G128,
    WeightFormat::NF4_DQ,
];

/// Section: weights of every preset in every format, and the KV cache.
fn memory_section(models: &[Transformer]) -> arithsim::Result<Section> {
    let mut columns = vec!["model", "parameters (B)"];
    let names: Vec<String> = MEMORY_FORMATS.iter().map(|f| format!("{f} (GB)")).collect();
    columns.extend(names.iter().map(String::as_str));
    let kv_col = format!("KV cache FP16, {CONTEXT} tokens (GB)");
    columns.push(&kv_col);
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    for m in models {
        let mut row = vec![text(m.name()), num(m.params().total() as f64 / 1e9)];
        for f in MEMORY_FORMATS {
            let w = m.weight_memory(f)?;
            row.push(num(gb(w.total_bytes())));
            if matches!(
                f,
                WeightFormat::FP16 | WeightFormat::INT8_PER_CHANNEL | WeightFormat::NF4_DQ
            ) {
                bars.push(Bar {
                    label: format!("{} {f}", m.name()),
                    value: Span::exact(gb(w.total_bytes())),
                });
            }
        }
        row.push(num(gb(m.kv_cache_bytes(CONTEXT, 1, 16)?)));
        rows.push(row);
    }
    for (name, budget) in BUDGETS {
        bars.push(Bar {
            label: format!("budget: {name}"),
            value: Span::exact(budget),
        });
    }
    let m7 = &models[1];
    let w = m7.weight_memory(WeightFormat::NF4_DQ)?;
    Ok(Section {
        id: "memory",
        title: "1. Model weights by format".into(),
        notes: vec![
            "Quantized: the Q, K, V, O and FFN matrices of every block, each matrix on its own \
             (its own groups, blocks, double-quantization offset); embeddings, LM head, norms \
             and biases stay BF16 (FP32 in the FP32 column). BF16 takes what FP16 takes. \
             1 GB = 10^9 bytes."
                .into(),
            format!(
                "Bits per weight including scales: INT8 per-channel {:.4} (FP32 scale per \
                 output channel), INT4 g128 {} (FP16 scale + 4-bit zero per 128), NF4 {} (FP32 \
                 absmax per 64), NF4+DQ {:.5} (8-bit absmax per 64, FP32 per 256 blocks, FP32 \
                 offset per matrix), MXFP4 {} (E8M0 per 32) — for a 4096 × 4096 matrix.",
                WeightFormat::INT8_PER_CHANNEL.bits_per_weight(4096, 4096)?,
                WeightFormat::INT4_G128.bits_per_weight(4096, 4096)?,
                WeightFormat::NF4.bits_per_weight(4096, 4096)?,
                WeightFormat::NF4_DQ.bits_per_weight(4096, 4096)?,
                WeightFormat::MXFP4.bits_per_weight(4096, 4096)?,
            ),
            format!(
                "{}: {} linear weights quantized, {} other parameters; NF4+DQ overall {:.3} bits \
                 per parameter.",
                m7.name(),
                thousands(w.quantized_params),
                thousands(w.other_params),
                w.bits_per_param()
            ),
        ],
        grid: grid(&columns, rows),
        charts: vec![Chart {
            file: "model-memory.svg".into(),
            title: "Weights by format, against device memory".into(),
            axis: "GB (log scale)".into(),
            bars,
        }],
    })
}

/// Section: which format lets each model (weights + KV cache) fit each budget.
fn fit_section(models: &[Transformer]) -> arithsim::Result<Section> {
    let mut columns = vec!["model".to_string()];
    columns.extend(BUDGETS.iter().map(|(n, _)| n.to_string()));
    let mut rows = Vec::new();
    for m in models {
        let kv = m.kv_cache_bytes(CONTEXT, 1, 16)?;
        let mut row = vec![text(m.name())];
        for (_, budget) in BUDGETS {
            let mut best = "does not fit".to_string();
            for f in MEMORY_FORMATS {
                let w = m.weight_memory(f)?;
                if (w.total_bytes() + kv) as f64 <= budget * GB {
                    best = f.to_string();
                    break;
                }
            }
            row.push(text(best));
        }
        rows.push(row);
    }
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    Ok(Section {
        id: "fit",
        title: "2. Widest format that fits each device".into(),
        notes: vec![format!(
            "Weights plus an FP16 KV cache of {CONTEXT} tokens for one sequence must fit the \
             budget; formats tried widest first in the order of section 1. Runtime buffers, \
             activations and the operating system's share are not counted."
        )],
        grid: grid(&columns, rows),
        charts: vec![],
    })
}

/// Section: error of each format on the same normal and heavy-tailed matrices.
fn error_section() -> arithsim::Result<Section> {
    let formats = [
        WeightFormat::FP16,
        WeightFormat::INT8_PER_CHANNEL,
        WeightFormat::INT4_G128,
        WeightFormat::NF4,
        WeightFormat::NF4_DQ,
        WeightFormat::FP4_B64,
        WeightFormat::MXFP4,
    ];
    let tensors = [
        ("normal".to_string(), normal_tensor(ROWS * COLS, STD, SEED)?),
        (
            format!("Student-t, {DOF} dof"),
            student_t_tensor(ROWS * COLS, DOF, STD, SEED)?,
        ),
    ];
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    for (dist, w) in &tensors {
        let rms_ref =
            (w.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>() / w.len() as f64).sqrt();
        let amax = w.iter().fold(0.0f32, |m, x| m.max(x.abs()));
        for f in formats {
            let e = f.error(w, ROWS, COLS)?;
            rows.push(vec![
                text(dist.clone()),
                text(f.to_string()),
                num(f.bits_per_weight(ROWS, COLS)?),
                num(e.max_abs / f64::from(amax)),
                num(e.rms / rms_ref),
                num(e.sqnr_db),
            ]);
            bars.push(Bar {
                label: format!("{f}, {dist}"),
                value: Span::exact(e.rms / rms_ref),
            });
        }
    }
    Ok(Section {
        id: "formats",
        title: "3. Error of each weight format on the same tensors".into(),
        notes: vec![
            format!(
                "A {ROWS} × {COLS} matrix (rows = output channels) of N(0, {STD}²) weights and \
                 one of Student-t weights with {DOF} degrees of freedom scaled to the same \
                 standard deviation (outliers), seed {SEED}. Each format quantizes and \
                 dequantizes; errors are against the f32 weights in f64."
            ),
            "INT8: symmetric [-127, 127] per output channel. INT4 g128: GPTQ/AWQ asymmetric, \
             round to nearest (no Hessian correction). NF4, FP4 E2M1: block-wise absmax over 64 \
             consecutive values (QLoRA); NF4+DQ also quantizes the absmax constants (8-bit, \
             blocks of 256, mean offset). MXFP4: OCP MX, E8M0 scale per 32."
                .into(),
        ],
        grid: grid(
            &[
                "weights",
                "format",
                "bits/weight",
                "max abs error / max |w|",
                "RMS error / RMS w",
                "SQNR (dB)",
            ],
            rows,
        ),
        charts: vec![Chart {
            file: "format-error.svg".into(),
            title: "Relative RMS error by weight format".into(),
            axis: "RMS error / RMS weight (log scale)".into(),
            bars,
        }],
    })
}

/// Section: the NF4 code table.
fn nf4_section() -> Section {
    let t = nf4_thresholds();
    let rows = (0..16)
        .map(|c| {
            vec![
                num(c as f64),
                text(format!("{c:04b}")),
                num(f64::from(NF4_LEVELS[c])),
                if c == 0 { Cell::Empty } else { num(t[c - 1]) },
                if c == 15 { Cell::Empty } else { num(t[c]) },
            ]
        })
        .collect();
    Section {
        id: "nf4",
        title: "4. NF4 codes, levels and decision thresholds".into(),
        notes: vec![
            "Levels: QLoRA (Dettmers et al. 2023), Appendix E. A value w of a block with absmax \
             a gets the code of the nearest level of w/a: code = #{i : w > t_i·a}, compared \
             exactly; thresholds are the exact midpoints of adjacent levels and a value exactly \
             at one goes to the lower level. Two codes per byte, the first value in the high \
             nibble (bitsandbytes)."
                .into(),
        ],
        grid: grid(
            &[
                "code",
                "bits",
                "level",
                "chosen above (exclusive)",
                "chosen up to (inclusive)",
            ],
            rows,
        ),
        charts: vec![],
    }
}

/// Section: LoRA trainable parameters.
fn lora_section(models: &[Transformer]) -> arithsim::Result<Section> {
    let mut rows = Vec::new();
    for m in models {
        for cfg in [
            LoraConfig::qv(8),
            LoraConfig::qv(64),
            LoraConfig::all_linear(64),
        ] {
            let p = m.lora_params(&cfg)?;
            rows.push(vec![
                text(m.name()),
                text(cfg.label()),
                num(p as f64 / 1e6),
                num(100.0 * p as f64 / m.params().total() as f64),
                num(p as f64 * 2.0 / 1e6),
            ]);
        }
    }
    Ok(Section {
        id: "lora",
        title: "5. LoRA trainable parameters".into(),
        notes: vec![
            "r·(d_in + d_out) per adapted matrix, every block (Hu et al. 2021). Q and V at r = 8 \
             is the LoRA paper's setting; all linear layers at r = 64 is QLoRA's. With GQA (the \
             1B model) K and V are narrower."
                .into(),
        ],
        grid: grid(
            &[
                "model",
                "adapters",
                "trainable (M)",
                "% of model",
                "adapter weights BF16 (MB)",
            ],
            rows,
        ),
        charts: vec![],
    })
}

/// Section: fine-tuning memory of LLaMA-65B three ways.
fn qlora_section(m: &Transformer) -> arithsim::Result<(Section, f64, f64)> {
    let act = ActivationModel::QLORA_FIG6;
    let cfg = LoraConfig::all_linear(64);
    let full = m.full_finetune_memory(act)?;
    let lora = m.lora_memory(&cfg, WeightFormat::BF16, act)?;
    let qlora = m.lora_memory(&cfg, WeightFormat::NF4_DQ, act)?;
    let mut rows = Vec::new();
    for (name, f) in [
        ("full fine-tuning, 16-bit, Adam", &full),
        ("LoRA, BF16 base", &lora),
        ("QLoRA, NF4+DQ base", &qlora),
    ] {
        let mut row = vec![text(name)];
        row.extend(f.parts().iter().map(|&(_, b)| num(gb(b))));
        let total = f.total()?;
        row.push(num(gb(total)));
        row.push(text(if total as f64 <= 48.0 * GB {
            "yes"
        } else {
            "no"
        }));
        rows.push(row);
    }
    let mut bars: Vec<Bar> = qlora
        .parts()
        .iter()
        .map(|&(n, b)| Bar {
            label: format!("QLoRA {n}"),
            value: Span::exact(gb(b)),
        })
        .collect();
    bars.push(Bar {
        label: "QLoRA total".into(),
        value: Span::exact(gb(qlora.total()?)),
    });
    bars.push(Bar {
        label: "budget: one 48 GB GPU".into(),
        value: Span::exact(48.0),
    });
    bars.push(Bar {
        label: "full 16-bit fine-tuning total".into(),
        value: Span::exact(gb(full.total()?)),
    });
    let states = full.weights + full.gradients + full.optimizer;
    let section = Section {
        id: "qlora",
        title: format!("6. Fine-tuning {} : full, LoRA, QLoRA", m.name()),
        notes: vec![
            format!(
                "Full: 2 B weights + 2 B gradients + 8 B Adam states = 12 B per parameter: \
                 {} × 12 B = {:.1} GB before activations (QLoRA paper: \"> 780 GB\").",
                thousands(m.params().total()),
                gb(states)
            ),
            format!(
                "LoRA/QLoRA: adapters {} on every block ({} trainable parameters), BF16 adapter \
                 weights and gradients, FP32 Adam states for the adapters only; base frozen in \
                 BF16 (LoRA) or NF4 with double quantization (QLoRA; embeddings, head and norms \
                 BF16). Paged optimizers not modelled.",
                cfg.label(),
                thousands(m.lora_params(&cfg)?)
            ),
            format!(
                "Activations: sequence {}, batch {}, BF16, gradient checkpointing at every block \
                 (block inputs kept, one block recomputed at a time, Korthikanti et al. 2022 \
                 terms with the scores materialized).",
                act.seq, act.batch
            ),
        ],
        grid: grid(
            &[
                "method",
                "weights (GB)",
                "adapters (GB)",
                "gradients (GB)",
                "optimizer (GB)",
                "activations (GB)",
                "total (GB)",
                "fits 48 GB",
            ],
            rows,
        ),
        charts: vec![Chart {
            file: "qlora-65b.svg".into(),
            title: format!("Fine-tuning memory of {}", m.name()),
            axis: "GB (log scale)".into(),
            bars,
        }],
    };
    Ok((section, gb(states), gb(qlora.total()?)))
}

/// Section: energy of one generated token by weight format.
fn decode_section(models: &[&Transformer], table: &CostTable) -> arithsim::Result<Section> {
    let formats = [
        WeightFormat::FP16,
        WeightFormat::INT8_PER_CHANNEL,
        WeightFormat::INT4_G128,
        WeightFormat::NF4,
        WeightFormat::NF4_DQ,
    ];
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    let mj = |s: Span| s.map(|v| v / 1e9);
    for m in models {
        let base = m
            .decode_cost(
                WeightFormat::FP16,
                DecodeParams {
                    context: CONTEXT,
                    batch: 1,
                    bits_per_kv: 16,
                },
                table,
            )?
            .energy_per_token_pj();
        for f in formats {
            let c = m.decode_cost(
                f,
                DecodeParams {
                    context: CONTEXT,
                    batch: 1,
                    bits_per_kv: 16,
                },
                table,
            )?;
            let e = c.energy_per_token_pj();
            rows.push(vec![
                text(m.name()),
                text(f.to_string()),
                num(gb(c.weight_bytes)),
                num(c.kv_bytes as f64 / 1e6),
                num(c.macs as f64 / 1e9),
                num(c.macs_per_byte()),
                Cell::Span(mj(c.energy.compute_pj)),
                Cell::Span(mj(c.energy.sram_pj)),
                Cell::Span(mj(c.energy.dram_pj)),
                Cell::Span(mj(e)),
                num(100.0 * c.energy.memory_fraction()),
                num(base.mid() / e.mid()),
            ]);
            bars.push(Bar {
                label: format!("{} {f}", m.name()),
                value: mj(e),
            });
        }
    }
    Ok(Section {
        id: "decode",
        title: "7. Energy of one generated token (decode)".into(),
        notes: vec![
            format!(
                "One sequence, {CONTEXT} tokens in the FP16 KV cache. Every weight is read from \
                 DRAM once per token (one embedding row instead of the table), plus the KV \
                 cache; all of it passes once through a 1 MB SRAM. Weight-only quantization: \
                 MACs are FP16 mult + FP32 add. Priced with {}; a DRAM read is a range, so \
                 energies are ranges (charts show the midpoint).",
                table.name()
            ),
            "Decode reads every weight to do one MAC with it: under one MAC per byte, so memory \
             dominates and 4-bit weights cut the energy per token almost in proportion to their \
             bytes."
                .into(),
        ],
        grid: grid(
            &[
                "model",
                "weights",
                "weights read (GB)",
                "KV read (MB)",
                "MACs (G)",
                "MACs per byte",
                "compute (mJ)",
                "SRAM (mJ)",
                "DRAM (mJ)",
                "total per token (mJ)",
                "memory share (%)",
                "saving vs FP16 (x)",
            ],
            rows,
        ),
        charts: vec![Chart {
            file: "decode-energy.svg".into(),
            title: "Energy per generated token".into(),
            axis: "mJ per token (log scale)".into(),
            bars,
        }],
    })
}

fn run(o: &ReportOptions) -> arithsim::Result<()> {
    let table = o.cost_table()?;
    let models = Transformer::presets();
    let m65 = Transformer::llama_65b();
    let (qlora, full_states_gb, qlora_gb) = qlora_section(&m65)?;
    let m7 = Transformer::llama_7b();
    let decode_models = [&models[0], &m7];
    let decode = decode_section(&decode_models, &table)?;
    let e16 = m7
        .decode_cost(
            WeightFormat::FP16,
            DecodeParams {
                context: CONTEXT,
                batch: 1,
                bits_per_kv: 16,
            },
            &table,
        )?
        .energy_per_token_pj();
    let e4 = m7
        .decode_cost(
            WeightFormat::NF4_DQ,
            DecodeParams {
                context: CONTEXT,
                batch: 1,
                bits_per_kv: 16,
            },
            &table,
        )?
        .energy_per_token_pj();
    let headlines = Section {
        id: "headlines",
        title: "0. Headlines".into(),
        notes: vec![],
        grid: grid(
            &["figure", "value", "unit"],
            vec![
                vec![
                    text("LLaMA-7B parameters"),
                    text(thousands(m7.params().total())),
                    text("parameters"),
                ],
                vec![
                    text("LLaMA-7B weights FP16 / NF4+DQ"),
                    text(format!(
                        "{:.2} / {:.2}",
                        gb(m7.weight_memory(WeightFormat::FP16)?.total_bytes()),
                        gb(m7.weight_memory(WeightFormat::NF4_DQ)?.total_bytes())
                    )),
                    text("GB"),
                ],
                vec![
                    text("LLaMA-65B full 16-bit fine-tuning, weights + gradients + Adam"),
                    text(format!("{full_states_gb:.1}")),
                    text("GB (QLoRA: > 780 GB)"),
                ],
                vec![
                    text("LLaMA-65B QLoRA total (r = 64, all linear, seq 512)"),
                    text(format!("{qlora_gb:.1}")),
                    text("GB (QLoRA: < 48 GB)"),
                ],
                vec![
                    text("LLaMA-7B energy per token FP16 / NF4+DQ (midpoints)"),
                    text(format!(
                        "{:.0} / {:.0} = {:.2}x",
                        e16.mid() / 1e9,
                        e4.mid() / 1e9,
                        e16.mid() / e4.mid()
                    )),
                    text("mJ"),
                ],
            ],
        ),
        charts: vec![],
    };
    let sections = vec![
        headlines,
        memory_section(&models)?,
        fit_section(&models)?,
        error_section()?,
        nf4_section(),
        lora_section(&models)?,
        qlora,
        decode,
    ];
    let title =
        "Compression report: large-model weights, 4-bit formats, LoRA/QLoRA, energy per token";
    print!("{}", render_sections(title, &sections, o.format));
    let written = write_sections(title, &sections, &o.out, o.format)?;
    eprintln!("\nwrote {} files to {}:", written.len(), o.out.display());
    for p in &written {
        eprintln!("  {}", p.display());
    }
    Ok(())
}

fn main() -> ExitCode {
    cli::main(&cli::COMPRESSION_REPORT, |a| run(&a.report()))
}
