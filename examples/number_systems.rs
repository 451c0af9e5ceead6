//! The course's chapter on number systems and fixed point, worked through with arithsim,
//! slide by slide with the steps a student writes down.
//!
//! Run: `cargo run --release --example number_systems`
//!
//! Every number printed here is computed by the library (nothing is typed in as an answer);
//! `tests/course_examples.rs` checks the same examples with their steps.

#[path = "common/cli.rs"]
mod cli;

use std::process::ExitCode;

use arithsim::fixed::{
    Fixed, FixedFormat, explain_add, explain_div, explain_mul, read_binary_point,
};
use arithsim::float::{FloatFormat, normalize_scientific};
use arithsim::repr::{
    Bits, DataModel, Encoding, add, c_type_table, column_addition, digit_range, digit_table,
    hex_to_binary, number_line, positional_expansion, power_of_two, power_table, repeated_division,
    significance, subtract_powers_of_two,
};
use arithsim::round::RoundingMode::{self, NearestEven};

fn main() -> ExitCode {
    cli::main(&cli::NUMBER_SYSTEMS, |_| run())
}

fn run() -> arithsim::Result<()> {
    radix()?;
    tables()?;
    significance_of_bits()?;
    unsigned_addition()?;
    encodings_table()?;
    sign_magnitude()?;
    twos_complement()?;
    summary_number_line()?;
    extension()?;
    fixed_point()?;
    c_types();
    scientific_notation()?;
    range_not_precision();
    Ok(())
}

fn heading(title: &str) {
    println!("\n== {title}\n");
}

fn radix() -> arithsim::Result<()> {
    heading("1. Positional number systems and conversions");
    println!("{}", positional_expansion("5374", 10)?);
    println!("{}", positional_expansion("1101", 2)?);
    println!("{}", positional_expansion("10011", 2)?);
    for (radix, digits) in [(10, 3), (2, 3), (2, 8), (16, 4)] {
        println!("{}", digit_range(radix, digits)?);
    }
    println!("\n47 to binary by repeated division by 2:");
    println!("{}", repeated_division(47, 2)?);
    println!("\n47 to binary by subtracting powers of two, largest first:");
    println!("{}", subtract_powers_of_two(47));
    println!("\nHex to binary, one nibble per hex digit:");
    println!("0x4AF: {}", hex_to_binary("0x4AF")?);
    println!("\nHex to decimal, the positional sum:");
    println!("{}", positional_expansion("4AF", 16)?);
    Ok(())
}

fn tables() -> arithsim::Result<()> {
    heading("2. The tables to know by heart");
    println!("Hex digits:");
    print!("{}", digit_table(16)?);
    println!("\nPowers of two:");
    print!("{}", power_table(0, 15)?);
    println!("\n2^10 = 1024 ≈ 10^3, so every factor 2^10 is read as kilo, mega, giga, ...:");
    for n in [10, 16, 20, 24, 30, 32, 40, 64] {
        println!("  {}", power_of_two(n)?);
    }
    println!("\nThe rule's error grows with every factor 2^10 (1024 read as 1000):");
    for n in [10, 20, 30, 32, 64] {
        println!("  {}", power_of_two(n)?.rule_line());
    }
    Ok(())
}

fn significance_of_bits() -> arithsim::Result<()> {
    heading("3. Significance: MSB, LSB, bytes and nibbles");
    println!("{}", significance(&Bits::parse("0xCEBF9AD7")?));
    Ok(())
}

fn unsigned_addition() -> arithsim::Result<()> {
    heading("4. Column addition: decimal, then 4-bit unsigned binary");
    println!("{}\n", column_addition("3734", "5168", 10, 4)?);
    for (a, b) in [("1011", "0011"), ("1001", "0101"), ("1011", "0110")] {
        println!("{}", column_addition(a, b, 2, 4)?);
        let s = add(&Bits::parse_radix(a, 2)?, &Bits::parse_radix(b, 2)?)?;
        println!(
            "as unsigned: {} + {} = {}; the 4-bit adder keeps {}{}\n",
            Bits::parse_radix(a, 2)?.to_u128(),
            Bits::parse_radix(b, 2)?.to_u128(),
            Bits::parse_radix(a, 2)?.to_u128() + Bits::parse_radix(b, 2)?.to_u128(),
            s.pattern,
            if s.carry_out {
                " and raises the carry flag: the sum does not fit 4 bits"
            } else {
                ""
            }
        );
    }
    Ok(())
}

fn encodings_table() -> arithsim::Result<()> {
    heading("5. All 16 patterns of 4 bits in each encoding");
    print!("  pattern");
    for e in Encoding::ALL {
        print!("  {:>16}", e.name());
    }
    println!();
    let tables: Vec<_> = Encoding::ALL
        .iter()
        .map(|e| e.table(4))
        .collect::<arithsim::Result<_>>()?;
    for row in 0..16 {
        let pattern = &tables[0][row].0;
        print!("  {pattern}   ");
        for (e, t) in Encoding::ALL.iter().zip(&tables) {
            let v = if e.is_negative_zero(pattern) {
                "-0".to_string()
            } else {
                t[row].1.to_string()
            };
            print!("  {v:>16}");
        }
        println!();
    }
    for e in Encoding::ALL {
        let (min, max) = e.range(4)?;
        println!("  {:<17} range [{min}, {max}]", e.name());
    }
    Ok(())
}

fn sign_magnitude() -> arithsim::Result<()> {
    heading("6. Sign-magnitude");
    let sm = Encoding::SignMagnitude;
    let (p6, m6) = (sm.encode(6, 4)?, sm.encode(-6, 4)?);
    println!("  +6 = {p6}, -6 = {m6}");
    let zeros: Vec<String> = sm
        .table(4)?
        .into_iter()
        .filter(|(_, v)| v.magnitude() == 0)
        .map(|(p, _)| p.to_string())
        .collect();
    println!("  two zeros: {}", zeros.join(" and "));
    let s = add(&m6, &p6)?;
    println!(
        "  naive binary addition -6 + 6: {m6} + {p6} = {s}, which reads as {} (wrong: it should be 0)",
        sm.decode(&s.pattern)
    );
    Ok(())
}

fn twos_complement() -> arithsim::Result<()> {
    heading("7. Two's complement");
    let tc = Encoding::TwosComplement;
    let (min, max) = tc.range(4)?;
    println!(
        "  max {} = {max}, min {} = {min}, range [{min}, {max}]",
        tc.encode(max, 4)?,
        tc.encode(min, 4)?
    );
    for (a, b) in [(6, -6), (-2, 3)] {
        let (x, y) = (tc.encode(a, 4)?, tc.encode(b, 4)?);
        let s = add(&x, &y)?;
        println!(
            "  {a} + {}: {x} + {y} = {s} → keep 4 bits: {} = {}",
            if b < 0 {
                format!("({b})")
            } else {
                b.to_string()
            },
            s.pattern,
            tc.decode(&s.pattern)
        );
    }
    let n = tc.negate(&tc.encode(3, 4)?)?;
    println!("  negate 3: {n} = {}", tc.decode(&n.result));
    Ok(())
}

fn summary_number_line() -> arithsim::Result<()> {
    heading("8. Summary: the 16 patterns of 4 bits on the number line");
    let line = number_line(
        4,
        &[
            Encoding::Unsigned,
            Encoding::TwosComplement,
            Encoding::SignMagnitude,
        ],
    )?;
    print!("{line}");
    println!(
        "Two's complement is unsigned with the top half moved down by 16; sign-magnitude counts \
         the negatives backwards from a second zero (1000)."
    );
    Ok(())
}

fn extension() -> arithsim::Result<()> {
    heading("9. Extension from 4 to 8 bits");
    let tc = Encoding::TwosComplement;
    for p in ["0b0011", "0b1011"] {
        let b = Bits::parse(p)?;
        let s = b.sign_extend(8)?;
        let z = b.zero_extend(8)?;
        println!(
            "  {b}: sign-extended {} (two's complement {} → {}), zero-extended {} (unsigned {} → {})",
            s.to_binary_grouped(),
            tc.decode(&b),
            tc.decode(&s),
            z.to_binary_grouped(),
            b.to_u128(),
            z.to_u128()
        );
    }
    println!("  1011 zero-extended and read as two's complement is now 11, not -5.");
    Ok(())
}

fn fixed_point() -> arithsim::Result<()> {
    heading("10. Fixed point Q4.4 (scaling factor 2^-4)");
    let (uq44, q44) = (FixedFormat::uq(4, 4)?, FixedFormat::q(4, 4)?);
    println!("The binary point drawn in the pattern, read with each bit's weight:");
    for p in ["0011.1000", "0100.1100"] {
        for f in [uq44, q44] {
            println!("  {}", read_binary_point(p, f)?);
        }
    }
    println!("  {}", read_binary_point("1100.0000", uq44)?);
    println!(
        "  {}  (the top bit weighs -2^3)",
        read_binary_point("1100.0000", q44)?
    );
    for f in [uq44, q44] {
        let a = Fixed::parse_binary_point("0011.1000", f)?;
        let b = Fixed::parse_binary_point("0100.1100", f)?;
        println!("\n{}", explain_add(a, b)?);
    }
    println!();
    let q44 = FixedFormat::q(4, 4)?;
    let uq44 = FixedFormat::uq(4, 4)?;
    println!(
        "  signed {q44} spans {} … {}; unsigned {uq44} spans {} … {}; step {}",
        Fixed::min_value(q44),
        Fixed::max_value(q44),
        Fixed::min_value(uq44),
        Fixed::max_value(uq44),
        q44.resolution()
    );
    let x = |v: f64| Fixed::from_f64(v, q44, NearestEven);
    let (a, b) = (x(3.5)?, x(1.25)?);
    let s = a.checked_add(b)?;
    println!(
        "\n  {a} + {b}: raw {} + {} = {} = {s} (addition needs no correction)",
        a.raw(),
        b.raw(),
        s.raw()
    );
    print!("\n  {}", explain_mul(x(1.5)?, x(0.5)?, NearestEven)?);
    print!("\n  {}", explain_div(x(1.5)?, x(0.5)?, NearestEven)?);
    print!("\n  {}", explain_div(x(1.0)?, x(0.75)?, NearestEven)?);
    Ok(())
}

fn scientific_notation() -> arithsim::Result<()> {
    heading("12. Decimal scientific notation");
    println!("{}", normalize_scientific("1234.5", 5)?);
    println!("{}", normalize_scientific("0.00123", 0)?);
    let x = normalize_scientific("1234.5", 5)?.result;
    println!("\nRounding to N significant digits, the same round step as every float operation:");
    for n in [3, 2] {
        for mode in [
            RoundingMode::NearestEven,
            RoundingMode::TowardZero,
            RoundingMode::TowardPositive,
        ] {
            println!("  {}", x.round_to(n, mode)?);
        }
    }
    let tie = normalize_scientific("1.25", 0)?.result;
    for mode in RoundingMode::DETERMINISTIC {
        println!("  {}", tie.round_to(2, mode)?);
    }
    let neg = normalize_scientific("-1.25", 0)?.result;
    for mode in [RoundingMode::TowardPositive, RoundingMode::TowardNegative] {
        println!("  {}", neg.round_to(2, mode)?);
    }
    Ok(())
}

fn range_not_precision() {
    heading("13. An exponent buys range, not precision");
    for f in [FloatFormat::FP32, FloatFormat::FP64] {
        println!("{}", f.nearest_to_i64(i64::MAX));
    }
    println!(
        "An i64 has 63 significant bits; FP32 keeps 24 and FP64 53, so near 2^63 both round, \
         although FP32 reaches 3.4 × 10^38."
    );
}

fn c_types() {
    heading("11. C integer types by data model");
    for m in DataModel::ALL {
        println!("{}", c_type_table(m));
    }
    println!(
        "  long is 4 bytes on 64-bit Windows and 8 on 64-bit Linux: portable code uses int32_t / int64_t."
    );
}
