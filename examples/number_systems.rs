//! The course's chapter on number systems and fixed point, worked through with arithsim.
//!
//! Run: `cargo run --release --example number_systems`
//!
//! Every number printed here is computed by the library (nothing is typed in as an answer);
//! `tests/course_examples.rs` checks the same examples.

use arithsim::fixed::{Fixed, FixedFormat, explain_div, explain_mul};
use arithsim::repr::{
    Bits, DataModel, Encoding, add, c_type_table, hex_to_binary, positional_expansion,
    power_of_two, repeated_division,
};
use arithsim::round::RoundingMode::NearestEven;

fn main() -> arithsim::Result<()> {
    radix()?;
    unsigned_addition()?;
    encodings_table()?;
    sign_magnitude()?;
    twos_complement()?;
    extension()?;
    fixed_point()?;
    c_types();
    Ok(())
}

fn heading(title: &str) {
    println!("\n== {title}\n");
}

fn radix() -> arithsim::Result<()> {
    heading("1. Positional number systems");
    println!("{}", positional_expansion("5374", 10)?);
    println!("{}", positional_expansion("1101", 2)?);
    println!("{}", positional_expansion("10011", 2)?);
    println!("\n47 to binary by repeated division by 2:");
    println!("{}", repeated_division(47, 2)?);
    println!("\nHex to binary, one nibble per hex digit:");
    println!("0x4AF: {}", hex_to_binary("0x4AF")?);
    println!("= {} in decimal", Bits::parse("0x4AF")?.to_decimal());
    println!("\nPowers of two (2^10 ≈ 10^3):");
    for n in [10, 16, 20, 24, 30, 32, 40, 64] {
        println!("  {}", power_of_two(n)?);
    }
    println!(
        "  a 32-bit variable has 2^32 ≈ {} {} patterns",
        power_of_two(32)?.leading,
        power_of_two(32)?.name
    );
    Ok(())
}

fn show_sum(a: &str, b: &str) -> arithsim::Result<()> {
    let (x, y) = (Bits::parse(a)?, Bits::parse(b)?);
    let s = add(&x, &y)?;
    println!(
        "  {x} + {y} = {s:<7} ({} + {} = {}{})",
        x.to_u128(),
        y.to_u128(),
        x.to_u128() + y.to_u128(),
        if s.carry_out {
            ": carry-out, does not fit 4 bits"
        } else {
            ""
        }
    );
    Ok(())
}

fn unsigned_addition() -> arithsim::Result<()> {
    heading("2. 4-bit unsigned addition");
    show_sum("0b1011", "0b0011")?;
    show_sum("0b1001", "0b0101")?;
    show_sum("0b1011", "0b0110")?;
    Ok(())
}

fn encodings_table() -> arithsim::Result<()> {
    heading("3. All 16 patterns of 4 bits in each encoding");
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
    heading("4. Sign-magnitude");
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
    heading("5. Two's complement");
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

fn extension() -> arithsim::Result<()> {
    heading("6. Extension from 4 to 8 bits");
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
    heading("7. Fixed point Q4.4 (scaling factor 2^-4)");
    let q44 = FixedFormat::q(4, 4)?;
    let uq44 = FixedFormat::uq(4, 4)?;
    println!(
        "  signed {q44} spans {} … {}; unsigned {uq44} spans {} … {}; step {}",
        Fixed::min(q44),
        Fixed::max(q44),
        Fixed::min(uq44),
        Fixed::max(uq44),
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
    Ok(())
}

fn c_types() {
    heading("8. C integer types by data model");
    for m in DataModel::ALL {
        println!("{}", c_type_table(m));
    }
    println!(
        "  long is 4 bytes on 64-bit Windows and 8 on 64-bit Linux: portable code uses int32_t / int64_t."
    );
}
