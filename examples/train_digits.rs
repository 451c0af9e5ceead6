//! Trains the two digits networks on the fixed split and writes the committed checkpoints,
//! or checks that a retrain reproduces them bit for bit, or measures the accuracy spread
//! over split seeds.
//!
//! ```text
//! cargo run --release --example train_digits                # write <target>/networks/*.safetensors
//! cargo run --release --example train_digits -- --bless     # write data/networks/*.safetensors
//! cargo run --release --example train_digits -- --check     # retrain, compare with data/networks
//! cargo run --release --example train_digits -- --seeds     # FP32 accuracy over 5 split seeds
//! ```

#[path = "common/cli.rs"]
mod cli;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use arithsim::nn::data::Digits;
use arithsim::nn::train::{DigitsNet, read_checkpoint, to_safetensors, train_digits};
use arithsim::{Error, Result};

/// The split seeds of `--seeds`: the fixed one and the four after it.
const SEEDS: [u64; 5] = [
    Digits::FIXED_SPLIT_SEED,
    Digits::FIXED_SPLIT_SEED + 1,
    Digits::FIXED_SPLIT_SEED + 2,
    Digits::FIXED_SPLIT_SEED + 3,
    Digits::FIXED_SPLIT_SEED + 4,
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Write,
    Check,
    Seeds,
}

struct Options {
    mode: Mode,
    nets: Vec<DigitsNet>,
    out: PathBuf,
}

/// The committed checkpoints: what `--check` compares with and `--bless` writes.
fn committed() -> PathBuf {
    cli::crate_root().join("data/networks")
}

fn options(args: &cli::Args) -> Options {
    Options {
        mode: if args.flag("check") {
            Mode::Check
        } else if args.flag("seeds") {
            Mode::Seeds
        } else {
            Mode::Write
        },
        nets: match args.value("net") {
            Some("mlp") => vec![DigitsNet::Mlp],
            Some("cnn") => vec![DigitsNet::Cnn],
            _ => DigitsNet::ALL.to_vec(),
        },
        out: if args.flag("bless") || args.flag("check") {
            committed()
        } else {
            args.out.clone()
        },
    }
}

fn note(which: DigitsNet) -> String {
    let c = which.recipe();
    format!(
        "{} trained by examples/train_digits.rs on the digits split seed {} (train 1437 / test 360); {:?}, {} epochs, batch {}, init seed {}, shuffle seed {}, final lr fraction {}",
        which.name(),
        Digits::FIXED_SPLIT_SEED,
        c.optimizer,
        c.epochs,
        c.batch_size,
        c.init_seed,
        c.shuffle_seed,
        c.final_lr_fraction
    )
}

/// Trains `which` on the fixed split: the checkpoint bytes and a one-line summary.
fn train_fixed(which: DigitsNet, digits: &Digits) -> Result<(String, Vec<u8>)> {
    let split = digits.split(Digits::FIXED_SPLIT_SEED);
    let start = Instant::now();
    let t = train_digits(which, digits, &split, &which.recipe())?;
    let secs = start.elapsed().as_secs_f64();
    let bytes = to_safetensors(&t.net, Some(&note(which)))?;
    let line = format!(
        "{}: {} parameters, {} steps in {secs:.1} s, final loss {:.4}, test accuracy {:.2} % ({} / {})",
        which.name(),
        t.net.parameter_count(),
        t.log.steps,
        t.log.epoch_loss.last().copied().unwrap_or(f64::NAN),
        100.0 * t.test_accuracy,
        (t.test_accuracy * split.test.len() as f64).round(),
        split.test.len()
    );
    Ok((line, bytes))
}

/// Trains every network of `nets` on the fixed split, one thread each (independent,
/// deterministic runs), printing the summaries in order; returns the checkpoint bytes.
fn train_all(nets: &[DigitsNet], digits: &Digits) -> Result<Vec<Vec<u8>>> {
    let results: Vec<Result<(String, Vec<u8>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = nets
            .iter()
            .map(|&which| scope.spawn(move || train_fixed(which, digits)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a training thread panicked"))
            .collect()
    });
    let mut out = Vec::new();
    for r in results {
        let (line, bytes) = r?;
        println!("{line}");
        out.push(bytes);
    }
    Ok(out)
}

fn run(o: &Options) -> Result<bool> {
    let digits = Digits::embedded()?;
    match o.mode {
        Mode::Write => {
            std::fs::create_dir_all(&o.out).map_err(|source| Error::Io {
                path: o.out.clone(),
                source,
            })?;
            for (&which, bytes) in o.nets.iter().zip(train_all(&o.nets, &digits)?) {
                let path = o.out.join(format!("{}.safetensors", which.name()));
                std::fs::write(&path, &bytes).map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })?;
                println!("  wrote {} ({} bytes)", path.display(), bytes.len());
            }
            Ok(true)
        }
        Mode::Check => {
            let mut ok = true;
            for (&which, bytes) in o.nets.iter().zip(train_all(&o.nets, &digits)?) {
                let path = o.out.join(format!("{}.safetensors", which.name()));
                let committed = std::fs::read(&path).map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })?;
                if bytes == committed {
                    println!("  {}: reproduced bit for bit", path.display());
                    continue;
                }
                ok = false;
                let (a, b) = (read_checkpoint(&committed)?, read_checkpoint(&bytes)?);
                for ((name, ta), (_, tb)) in a.tensors().zip(b.tensors()) {
                    let (va, vb) = (&ta.data, &tb.data);
                    let diff = va
                        .iter()
                        .zip(vb)
                        .filter(|(x, y)| x.to_bits() != y.to_bits())
                        .count();
                    if diff > 0 {
                        println!("  {name}: {diff} of {} values differ", va.len());
                    }
                }
                println!("  {}: NOT reproduced", path.display());
            }
            Ok(ok)
        }
        Mode::Seeds => {
            for &which in &o.nets {
                // Seeds are independent runs, each single-threaded and deterministic: one
                // thread per seed uses every core without changing a bit.
                let results: Vec<Result<f64>> = std::thread::scope(|scope| {
                    let handles: Vec<_> = SEEDS
                        .iter()
                        .map(|&seed| {
                            let digits = &digits;
                            scope.spawn(move || {
                                let split = digits.split(seed);
                                train_digits(which, digits, &split, &which.recipe())
                                    .map(|t| 100.0 * t.test_accuracy)
                            })
                        })
                        .collect();
                    handles
                        .into_iter()
                        .map(|h| h.join().expect("a training thread panicked"))
                        .collect()
                });
                let mut acc = Vec::new();
                for (seed, r) in SEEDS.iter().zip(results) {
                    let a = r?;
                    println!("{} split seed {seed}: test accuracy {a:.2} %", which.name());
                    acc.push(a);
                }
                let mean = acc.iter().sum::<f64>() / acc.len() as f64;
                let min = acc.iter().copied().fold(f64::INFINITY, f64::min);
                let max = acc.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                println!(
                    "{}: FP32 test accuracy over split seeds {SEEDS:?}: mean {mean:.2} %, min {min:.2} %, max {max:.2} %",
                    which.name()
                );
            }
            Ok(true)
        }
    }
}

fn main() -> ExitCode {
    cli::main(&cli::TRAIN_DIGITS, |args| match run(&options(args)) {
        Ok(true) => Ok(()),
        Ok(false) => Err("a retrained checkpoint differs from the committed one".to_string()),
        Err(e) => Err(e.to_string()),
    })
}
