//! Parsing a decimal literal of 10^6 significant digits into FP64, against Rust's
//! `str::parse::<f64>` in the same run (both correctly rounded; the bits are compared).
//! Issue 22: it took seconds; only the first `limits::FLOAT_PARSE_EXACT_DIGITS` digits are
//! now converted exactly and the rest set a sticky bit, so it is linear in the text.
//!
//! ```text
//! cargo run --release --example parse_long_decimal
//! ```

#[path = "common/cli.rs"]
mod cli;

use std::process::ExitCode;
use std::time::Instant;

use arithsim::Result;
use arithsim::cost::SplitMix64;
use arithsim::float::{FloatEnv, FloatFormat};
use arithsim::rand_core::{Rng, SeedableRng};

fn main() -> ExitCode {
    cli::main(&cli::PARSE_LONG_DECIMAL, |_| run())
}

fn run() -> Result<()> {
    let mut rng = SplitMix64::seed_from_u64(0x1234_5678_9ABC_DEF1);
    let mut lit = String::from("0.");
    for _ in 0..1_000_000 {
        lit.push((b'0' + (rng.next_u64() % 10) as u8) as char);
    }
    for _ in 0..3 {
        let t = Instant::now();
        let native = lit.parse::<f64>().expect("a decimal literal");
        let std_time = t.elapsed();
        let t = Instant::now();
        let ours = FloatFormat::FP64.parse(&lit, &FloatEnv::default())?;
        let our_time = t.elapsed();
        assert_eq!(ours.value, native.to_bits(), "the same bits as std");
        println!(
            "10^6 digits: str::parse::<f64> {std_time:?}, FloatFormat::FP64.parse {our_time:?}"
        );
    }
    Ok(())
}
