use arithsim::circuits::fp::*;
use arithsim::float::FloatFormat;
use arithsim::gates::CellLibrary;
use arithsim::round::RoundingMode;
fn main() {
    let lib = CellLibrary::nangate45();
    for (name, f) in [
        ("E4M3", FloatFormat::FP8_E4M3),
        ("E5M2", FloatFormat::FP8_E5M2),
        ("FP16", FloatFormat::FP16),
        ("BF16", FloatFormat::BF16),
        ("FP32", FloatFormat::FP32),
    ] {
        for (cname, cfg) in [
            ("rne", FpUnitConfig::default()),
            (
                "rm",
                FpUnitConfig::default().with_rounding(RoundingControl::Input),
            ),
            (
                "rne ftz",
                FpUnitConfig::default().with_flush_subnormals(true),
            ),
            (
                "rtz",
                FpUnitConfig::default()
                    .with_rounding(RoundingControl::Fixed(RoundingMode::TowardZero)),
            ),
            (
                "ripple",
                FpUnitConfig::default()
                    .with_adder(arithsim::circuits::adders::AdderKind::RippleCarry),
            ),
        ] {
            let n = fp_adder(f, &cfg).unwrap();
            let s = n.stats();
            println!(
                "{name} {cname}: gates {} depth {} area {:.0}",
                n.gate_count(),
                s.depth,
                n.area_um2(&lib)
            );
        }
    }
    let n = fp_adder(FloatFormat::FP32, &FpUnitConfig::default()).unwrap();
    for l in n.stats().by_label.iter() {
        println!("{:50} {:6} {:6}", l.label, l.gates, l.two_input_equivalents);
    }
}
