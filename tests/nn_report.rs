//! The committed network report (`docs/networks/`, written by
//! `cargo run --release --example network_report -- --format csv --out docs/networks`):
//! every accuracy it prints is recomputed here from its stored predictions and the test
//! labels, and the stored FP32 and INT8 predictions are those of a fresh run of the
//! committed checkpoints.

use std::collections::HashMap;
use std::path::PathBuf;

use arithsim::nn::data::Digits;
use arithsim::nn::{Checkpoint, Executor, Format, digits_cnn, digits_mlp};

fn docs(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("docs/networks")
        .join(file)
}

/// (network, format) -> (stored accuracy, predictions).
fn stored() -> Vec<(String, String, f64, Vec<usize>)> {
    let mut r = csv::Reader::from_path(docs("predictions.csv")).unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let preds = rec[3].bytes().map(|b| usize::from(b - b'0')).collect();
            (
                rec[0].to_string(),
                rec[1].to_string(),
                rec[2].parse().unwrap(),
                preds,
            )
        })
        .collect()
}

fn test_split() -> (Digits, Vec<usize>) {
    let d = Digits::embedded().unwrap();
    let test = d.split(Digits::FIXED_SPLIT_SEED).test;
    (d, test)
}

#[test]
fn every_reported_accuracy_is_recomputed_from_stored_predictions() {
    let (d, test) = test_split();
    let labels: Vec<usize> = test
        .iter()
        .map(|&i| usize::from(d.label(i).unwrap()))
        .collect();
    let rows = stored();
    assert!(rows.len() >= 2 * 20 + 2 * 14, "{} stored rows", rows.len());
    // The report's "top-1 %" cells, by (section, row number).
    let mut r = csv::Reader::from_path(docs("report.csv")).unwrap();
    let mut cells: HashMap<(String, String, String), String> = HashMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        cells.insert((rec[0].into(), rec[1].into(), rec[2].into()), rec[3].into());
    }
    let mut checked = 0;
    for (network, format, acc, preds) in &rows {
        assert_eq!(preds.len(), labels.len(), "{network} {format}");
        let correct = preds.iter().zip(&labels).filter(|(p, l)| p == l).count();
        let recomputed = correct as f64 / labels.len() as f64;
        assert_eq!(recomputed, *acc, "{network} {format}");
        // The same figure in the format tables (sections mlp and cnn).
        let section = if network == "digits_mlp" {
            "mlp"
        } else {
            "cnn"
        };
        for row in 1..=40 {
            let key = |c: &str| (section.to_string(), row.to_string(), c.to_string());
            if cells.get(&key("format")) == Some(format) {
                let shown: f64 = cells[&key("top-1 %")].parse().unwrap();
                assert_eq!(shown, 100.0 * recomputed, "{network} {format}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 2 * Format::report_set().unwrap().len());
    // FP32 meets the bar on the fixed split.
    let fp32 = |n: &str| rows.iter().find(|r| r.0 == n && r.1 == "FP32").unwrap().2;
    assert!(fp32("digits_cnn") >= 0.97 && fp32("digits_mlp") >= 0.97);
}

#[test]
fn stored_predictions_are_those_of_the_committed_checkpoints() {
    let (d, test) = test_split();
    let images: Vec<Vec<f32>> = test.iter().map(|&i| d.input(i).unwrap()).collect();
    let split = d.split(Digits::FIXED_SPLIT_SEED);
    let train: Vec<Vec<f32>> = split.train.iter().map(|&i| d.input(i).unwrap()).collect();
    let rows = stored();
    let sets = Format::report_set().unwrap();
    let int8 = sets
        .iter()
        .find(|f| f.name == "INT8 per-channel, min/max")
        .unwrap();
    for name in ["digits_mlp", "digits_cnn"] {
        let c = Checkpoint::load(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join(format!("data/networks/{name}.safetensors")),
        )
        .unwrap();
        let net = if name == "digits_mlp" {
            digits_mlp(&c)
        } else {
            digits_cnn(&c)
        }
        .unwrap();
        for f in [Format::fp32(), int8.clone()] {
            let out = Executor::new(&net, &f, &train)
                .unwrap()
                .run(&images)
                .unwrap();
            let want = &rows
                .iter()
                .find(|r| r.0 == name && r.1 == f.name)
                .unwrap()
                .3;
            assert_eq!(&out.predictions, want, "{name} {}", f.name);
        }
    }
}
