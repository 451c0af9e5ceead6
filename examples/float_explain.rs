//! Walks through floating-point operations and conversions step by step, the way a course
//! does it: unpack, align, operate, normalize to 1.xxx × 2^e, round, pack.
//!
//! Run: `cargo run --release --example float_explain`, or explain one conversion of your
//! own: `cargo run --release --example float_explain -- --convert 1234.5 --to e4m3
//! [--mode rtz|all] [--overflow saturate]`.

#[path = "common/cli.rs"]
mod cli;

use std::process::ExitCode;

use arithsim::float::{ExplainOp, FloatEnv, FloatFormat, OverflowPolicy};
use arithsim::round::RoundingMode;

fn main() -> ExitCode {
    cli::main(&cli::FLOAT_EXPLAIN, |args| match args.value("convert") {
        Some(value) => convert(args, value),
        None if ["to", "mode", "overflow"]
            .iter()
            .any(|o| args.value(o).is_some()) =>
        {
            Err("--to, --mode and --overflow go with --convert VALUE".into())
        }
        None => Ok(run()?),
    })
}

/// `--convert VALUE`: the one conversion asked for, in each mode asked for.
fn convert(args: &cli::Args, value: &str) -> Result<(), Box<dyn std::error::Error>> {
    let to: FloatFormat = args.value("to").unwrap_or("e4m3").parse()?;
    let modes = cli::parse_modes(args.value("mode").unwrap_or("rne"))?;
    let overflow = match args.value("overflow") {
        Some("saturate") => OverflowPolicy::Saturate,
        _ => OverflowPolicy::Nan,
    };
    for mode in modes {
        let env = FloatEnv::new(mode).with_overflow(overflow);
        let t = to.explain_parse(value, &env)?;
        println!("{t}\n   → {}\n", to.exact_decimal(t.result.value));
    }
    Ok(())
}

fn run() -> Result<(), arithsim::Error> {
    let env = FloatEnv::default();

    println!("== 0.1 + 0.2: neither operand is exact, and the sum is not 0.3\n");
    for f in [FloatFormat::FP32, FloatFormat::FP16] {
        let a = f.parse("0.1", &env)?.value;
        let b = f.parse("0.2", &env)?.value;
        let t = f.explain(ExplainOp::Add, &[a, b], &env)?;
        println!("{t}");
        let three = f.parse("0.3", &env)?.value;
        println!(
            "   result {} (exactly {}); the literal 0.3 is {:#x}: {}\n",
            f.display(t.result.value),
            f.exact_decimal(t.result.value),
            three,
            if three == t.result.value {
                "the same"
            } else {
                "different"
            }
        );
    }

    println!("== a subnormal result: FP16 6.1e-5 x 0.3 falls below the smallest normal 2^-14\n");
    let f = FloatFormat::FP16;
    let (a, b) = (f.parse("6.1e-5", &env)?.value, f.parse("0.3", &env)?.value);
    println!("{}\n", f.explain(ExplainOp::Mul, &[a, b], &env)?);

    println!("== overflow: FP16 60000 + 8000 under each rounding mode\n");
    let (a, b) = (f.parse("60000", &env)?.value, f.parse("8000", &env)?.value);
    for mode in RoundingMode::IEEE {
        let t = f.explain(ExplainOp::Add, &[a, b], &FloatEnv::new(mode))?;
        println!("{t}\n   → {}\n", f.exact_decimal(t.result.value));
    }

    println!("== FP8 E4M3 has no infinity: 448 + 64 gives NaN, or 448 when saturating\n");
    let f = FloatFormat::FP8_E4M3;
    let (a, b) = (f.parse("448", &env)?.value, f.parse("64", &env)?.value);
    for policy in [OverflowPolicy::Nan, OverflowPolicy::Saturate] {
        let t = f.explain(ExplainOp::Add, &[a, b], &env.with_overflow(policy))?;
        println!(
            "overflow policy {policy}:\n{t}\n   → {}\n",
            f.exact_decimal(t.result.value)
        );
    }

    println!(
        "== conversions: 1234.5 into FP8 E4M3 (largest finite 448), nearest and toward zero\n"
    );
    let f = FloatFormat::FP8_E4M3;
    for mode in [RoundingMode::NearestEven, RoundingMode::TowardZero] {
        let t = f.explain_parse("1234.5", &FloatEnv::new(mode))?;
        println!("{t}\n   → {}\n", f.exact_decimal(t.result.value));
    }

    println!("== 0.1 into FP16: the binary expansion never ends, so it rounds\n");
    let f = FloatFormat::FP16;
    let t = f.explain_parse("0.1", &env)?;
    println!("{t}\n   → {}\n", f.exact_decimal(t.result.value));

    println!("== 500 into FP8 E4M3 rounds up to 512: OCP's two overflow behaviours\n");
    let f = FloatFormat::FP8_E4M3;
    for policy in [OverflowPolicy::Nan, OverflowPolicy::Saturate] {
        let t = f.explain_parse("500", &env.with_overflow(policy))?;
        println!(
            "overflow policy {policy}:\n{t}\n   → {}\n",
            f.exact_decimal(t.result.value)
        );
    }

    println!("== a value of another format: FP32 pi into BF16 (8 significant bits)\n");
    let pi = u64::from(std::f32::consts::PI.to_bits());
    let t = FloatFormat::FP32.explain_convert(pi, FloatFormat::BF16, &env);
    println!(
        "{t}\n   → {}\n",
        FloatFormat::BF16.exact_decimal(t.result.value)
    );

    println!("== fma rounds once: FP32 (1 + 2^-23) x (1 - 2^-23) - 1\n");
    let f = FloatFormat::FP32;
    let a = f.parse("0x1.000002p0", &env)?.value;
    let b = f.parse("0x1.fffffcp-1", &env)?.value;
    let c = f.parse("-1", &env)?.value;
    let t = f.explain(ExplainOp::Fma, &[a, b, c], &env)?;
    println!(
        "{t}\n   → {:e} (a separate multiply would round the product to 1 and give 0)",
        f.display(t.result.value)
    );
    Ok(())
}
