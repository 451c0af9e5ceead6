//! The long fma check: sampled operand triples (each in all seven deterministic rounding
//! modes) for the four 8-bit formats (FP8 E5M2, E4M3, E4M3FNUZ, E5M2FNUZ) against the exact
//! rational reference of `tests/float_ref`, values and flags. The default, 2.5 × 10^6 triples
//! per format, is 10^7 triples in all (about 75 s on the project machine under load);
//! `cargo test` runs a smaller sample (`fma_sampled_8_bit`).
//!
//! `cargo run --release --example float_fma_sweep [triples per format]`

#[path = "common/cli.rs"]
mod cli;

#[path = "../tests/float_ref/mod.rs"]
mod float_ref;

use std::process::ExitCode;

use arithsim::cost::SplitMix64;
use arithsim::float::{FloatEnv, FloatFormat};
use arithsim::rand_core::{Rng, SeedableRng};
use arithsim::round::RoundingMode;
use float_ref::{Ref, Val};

fn main() -> ExitCode {
    cli::main(&cli::FLOAT_FMA_SWEEP, run)
}

fn run(args: &cli::Args) -> Result<(), String> {
    let samples: u64 = args.counts().first().copied().unwrap_or(2_500_000);
    let mut rng = SplitMix64::seed_from_u64(0x9E37_79B9_7F4A_7C15);
    let mut next = move || rng.next_u64();
    let mut failures = 0u64;
    for f in [
        FloatFormat::FP8_E5M2,
        FloatFormat::FP8_E4M3,
        FloatFormat::FP8_E4M3FNUZ,
        FloatFormat::FP8_E5M2FNUZ,
    ] {
        let r = Ref::<i128>::new(f);
        let start = std::time::Instant::now();
        for _ in 0..samples {
            let x = next();
            let (a, b, c) = (x & 0xFF, (x >> 8) & 0xFF, (x >> 16) & 0xFF);
            for mode in RoundingMode::DETERMINISTIC {
                let want = r.round(r.fma(a, b, c, mode), mode);
                let got = f.fma(a, b, c, &FloatEnv::new(mode));
                let want_nan = matches!(r.decode(want.0), Val::Nan(_));
                let ok = if want_nan {
                    f.is_nan(got.value)
                } else {
                    got.value == want.0
                } && got.flags == want.1;
                if !ok {
                    failures += 1;
                    if failures <= 10 {
                        println!(
                            "MISMATCH {f} fma({a:#x}, {b:#x}, {c:#x}) {mode:?}: got {:#x} {} want {:#x} {}",
                            got.value, got.flags, want.0, want.1
                        );
                    }
                }
            }
        }
        println!(
            "{f}: {samples} triples x {} modes checked in {:.1} s",
            RoundingMode::DETERMINISTIC.len(),
            start.elapsed().as_secs_f64()
        );
    }
    if failures > 0 {
        return Err(format!("{failures} mismatches"));
    }
    println!("all match");
    Ok(())
}
