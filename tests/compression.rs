//! Cross-module checks of the compression pieces: model shapes (accel) with weight formats
//! (quant) and the shared report renderers (cost::report).

use arithsim::accel::{ActivationModel, GB, LoraConfig, Transformer};
use arithsim::cost::Span;
use arithsim::cost::report::{
    Bar, Cell, Chart, Format, Grid, Section, render_sections, write_sections,
};
use arithsim::quant::{Blockwise4, Code4, DqCode, WeightFormat, normal_tensor};

/// The QLoRA paper's two headlines, from the public API.
#[test]
fn qlora_headlines() {
    let m = Transformer::llama_65b();
    let act = ActivationModel::QLORA_FIG6;
    let full = m.full_finetune_memory(act).unwrap();
    assert!((full.weights + full.gradients + full.optimizer) as f64 > 780.0 * GB);
    let q = m
        .lora_memory(&LoraConfig::all_linear(64), WeightFormat::NF4_DQ, act)
        .unwrap();
    let qt = q.total().unwrap();
    assert!((qt as f64) < 48.0 * GB);
    // The base dominates: NF4+DQ of 64.76 G linear weights is about 33.4 GB.
    assert!(q.weights as f64 > 0.7 * qt as f64);
}

/// The model memory is the sum of what quantizing each matrix really stores: quantize one
/// LLaMA-7B-shaped block's Q matrix (4096 × 4096) and compare.
#[test]
fn model_memory_matches_a_quantized_matrix() {
    let w = normal_tensor(4096 * 4096, 0.02, 3).unwrap();
    let q = Blockwise4::quantize(&w, Code4::Nf4, 64)
        .unwrap()
        .with_double_quant(256, DqCode::Int8)
        .unwrap();
    let per_matrix = WeightFormat::NF4_DQ.matrix_bits(4096, 4096).unwrap();
    assert_eq!(q.storage_bits(), per_matrix);
    let m = Transformer::llama_7b();
    let mem = m.weight_memory(WeightFormat::NF4_DQ).unwrap();
    // 32 layers × (4 square attention matrices + 3 FFN matrices).
    let ffn = WeightFormat::NF4_DQ
        .matrix_bits(11008, 4096)
        .unwrap()
        .total();
    assert_eq!(
        mem.quantized_bits.total(),
        32 * (4 * per_matrix.total() + 3 * ffn)
    );
}

/// Any report's sections render in the four formats and write with their charts.
#[test]
fn sections_render_and_write() {
    let sections = vec![Section {
        id: "demo",
        title: "1. Demo".into(),
        notes: vec!["a note".into()],
        grid: Grid {
            columns: vec!["name".into(), "GB".into()],
            rows: vec![vec![Cell::text("x"), Cell::Num(1.5)]],
        },
        charts: vec![Chart {
            file: "demo.svg".into(),
            title: "Demo".into(),
            axis: "GB".into(),
            bars: vec![Bar {
                label: "x".into(),
                value: Span::exact(1.5),
            }],
        }],
    }];
    let md = render_sections("T", &sections, Format::Markdown);
    assert!(
        md.starts_with("# T\n") && md.contains("| x | 1.5 |"),
        "{md}"
    );
    let csv = render_sections("T", &sections, Format::Csv);
    assert!(csv.contains("demo,1,GB,1.5"), "{csv}");
    let json = render_sections("T", &sections, Format::Json);
    assert!(json.contains("\"title\":\"T\""), "{json}");
    assert!(render_sections("T", &sections, Format::Text).contains("chart: demo.svg"));
    let dir = std::env::temp_dir().join(format!("arithsim-sections-{}", std::process::id()));
    let written = write_sections("T", &sections, &dir, Format::Csv).unwrap();
    assert_eq!(written.len(), 3); // report.md, report.csv, demo.svg
    assert!(
        std::fs::read_to_string(dir.join("demo.svg"))
            .unwrap()
            .contains("<svg")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
