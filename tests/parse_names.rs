//! Every printed name parses back (`x.to_string().parse() == x`), and a bad name is an
//! `Error::Parse` that names the input and lists what is accepted.

use arithsim::Error;
use arithsim::Signedness;
use arithsim::accel::{Dataflow, MacArithmetic};
use arithsim::circuits::adders::AdderKind;
use arithsim::circuits::mac::{MacSpec, MacStructure, dot_product_unit};
use arithsim::circuits::multipliers::{PartialProducts, Reduction};
use arithsim::cost::FloatKind;
use arithsim::cost::report::Format;
use arithsim::datapath::{FixedArith, FloatArith, IntArith, Overflow, ProductRounding};
use arithsim::fixed::FixedFormat;
use arithsim::float::{EXP_BITS_RANGE, FloatFormat, MAN_BITS_RANGE, OverflowPolicy, Specials};
use arithsim::quant::{Code4, DqCode, WeightFormat};
use arithsim::round::RoundingMode;
use std::fmt::{Debug, Display};
use std::str::FromStr;

fn round_trip<T>(x: T)
where
    T: Display + Debug + PartialEq + FromStr<Err = Error>,
{
    let s = x.to_string();
    match s.parse::<T>() {
        Ok(y) => assert_eq!(y, x, "{s:?} parsed to another value"),
        Err(e) => panic!("{s:?} ({x:?}) does not parse back: {e}"),
    }
}

/// The error is a parse error naming the input, and its message lists `listed`.
fn rejects<T: FromStr<Err = Error> + Debug>(input: &str, listed: &str) {
    match input.parse::<T>() {
        Ok(v) => panic!("{input:?} parsed to {v:?}"),
        Err(Error::Parse { input: i, reason }) => {
            assert_eq!(i, input);
            assert!(
                reason.contains(listed),
                "{reason:?} does not list {listed:?}"
            );
        }
        Err(e) => panic!("{input:?}: not a parse error: {e:?}"),
    }
}

#[test]
fn every_float_format_round_trips() {
    let specials = [
        Specials::Ieee,
        Specials::NanAllOnes,
        Specials::Fnuz,
        Specials::FiniteOnly,
    ];
    let mut n = 0;
    for e in EXP_BITS_RANGE.0..=EXP_BITS_RANGE.1 {
        for m in MAN_BITS_RANGE.0..=MAN_BITS_RANGE.1 {
            for s in specials {
                let Ok(f) = FloatFormat::new(e, m).and_then(|f| f.with_specials(s)) else {
                    continue;
                };
                let top = f.max_normal_biased_exponent() as i32;
                for bias in [1, f.bias(), f.bias() + 1, top] {
                    if let Ok(g) = FloatFormat::with_bias(e, m, bias, s) {
                        round_trip(g);
                        n += 1;
                    }
                }
            }
        }
    }
    assert!(n > 2000, "{n} formats");
    for (_, f) in FloatFormat::PRESETS {
        round_trip(f);
    }
}

#[test]
fn float_format_names_and_aliases() {
    let cases = [
        ("e4m3", FloatFormat::FP8_E4M3),
        ("E4M3FN", FloatFormat::FP8_E4M3),
        ("fp8_e4m3fn", FloatFormat::FP8_E4M3),
        ("bf16", FloatFormat::BF16),
        ("bfloat16", FloatFormat::BF16),
        ("e5m2fnuz", FloatFormat::FP8_E5M2FNUZ),
        ("E4M3FNUZ", FloatFormat::FP8_E4M3FNUZ),
        ("e8m23", FloatFormat::FP32),
        ("fp16", FloatFormat::FP16),
        ("half", FloatFormat::FP16),
        ("fp32", FloatFormat::FP32),
        ("single", FloatFormat::FP32),
        ("Double", FloatFormat::FP64),
        ("tf32", FloatFormat::TF32),
        ("e5m2", FloatFormat::FP8_E5M2),
        ("fp4 e2m1", FloatFormat::FP4_E2M1),
        ("e2m1", FloatFormat::FP4_E2M1),
        ("fp6-e3m2", FloatFormat::FP6_E3M2),
    ];
    for (s, f) in cases {
        assert_eq!(s.parse::<FloatFormat>().unwrap(), f, "{s}");
    }
    assert_eq!(FloatFormat::new(4, 3).unwrap().to_string(), "E4M3 IEEE");
    assert_eq!(
        "E5M3FN bias 9".parse::<FloatFormat>().unwrap(),
        FloatFormat::with_bias(5, 3, 9, Specials::NanAllOnes).unwrap()
    );
    rejects::<FloatFormat>("e4m", "FP8 E4M3");
    rejects::<FloatFormat>("fp8", "E<e>M<m>");
    rejects::<FloatFormat>("e4m3xyz", "bfloat16");
    // A declared width that disagrees with the fields.
    assert!(matches!(
        "fp16 e4m3".parse::<FloatFormat>(),
        Err(Error::Parse { .. })
    ));
    // Widths out of range are the format's own errors.
    assert!(matches!(
        "e12m3".parse::<FloatFormat>(),
        Err(Error::InvalidWidth { .. })
    ));
}

#[test]
fn float_kinds_share_the_syntax_and_convert() {
    for e in 1..=30 {
        for m in (0..=120).step_by(7) {
            round_trip(FloatKind::new(e, m));
        }
    }
    for (_, f) in FloatFormat::PRESETS {
        let k = FloatKind::from(f);
        assert_eq!((k.exp_bits, k.man_bits), (f.exp_bits(), f.man_bits()));
        // Every format name is also a kind name, with the same widths.
        assert_eq!(f.to_string().parse::<FloatKind>().unwrap(), k, "{f}");
        // The kind goes back to the format its name means.
        let back = FloatFormat::try_from(k).unwrap();
        assert_eq!(back, k.to_string().parse::<FloatFormat>().unwrap());
    }
    assert_eq!(
        FloatFormat::try_from(FloatKind::FP8_E4M3).unwrap(),
        FloatFormat::FP8_E4M3
    );
    assert_eq!(
        FloatFormat::try_from(FloatKind::FP8_E5M2).unwrap(),
        FloatFormat::FP8_E5M2
    );
    assert_eq!(
        FloatFormat::try_from(FloatKind::new(6, 9)).unwrap(),
        FloatFormat::new(6, 9).unwrap()
    );
    assert!(FloatFormat::try_from(FloatKind::new(1, 0)).is_err());
    assert_eq!(
        "E4M3FNUZ".parse::<FloatKind>().unwrap(),
        FloatKind::FP8_E4M3
    );
    assert_eq!("half".parse::<FloatKind>().unwrap(), FloatKind::FP16);
    rejects::<FloatKind>("E31M2", "1..=30");
    rejects::<FloatKind>("fp9", "FP8 E4M3");
}

#[test]
fn fixed_formats_round_trip() {
    for i in 0..=64 {
        for f in 0..=64 {
            for signed in Signedness::ALL {
                if let Ok(q) = FixedFormat::new(i, f, signed) {
                    round_trip(q);
                }
            }
        }
    }
    assert_eq!(
        "q4.4".parse::<FixedFormat>().unwrap(),
        FixedFormat::q(4, 4).unwrap()
    );
    assert_eq!(
        "uq8.8".parse::<FixedFormat>().unwrap(),
        FixedFormat::uq(8, 8).unwrap()
    );
    rejects::<FixedFormat>("q4", "UQ<int>.<frac>");
    rejects::<FixedFormat>("x4.4", "Q<int>.<frac>");
}

#[test]
fn rounding_modes_round_trip_by_both_names() {
    for m in RoundingMode::DETERMINISTIC {
        round_trip(m);
        assert_eq!(m.short_name().parse::<RoundingMode>().unwrap(), m);
        assert_eq!(format!("{m:?}").parse::<RoundingMode>().unwrap(), m);
    }
    for bits in [1, 8, 64] {
        let m = RoundingMode::Stochastic { random: 0, bits };
        round_trip(m);
        assert_eq!(m.short_name().parse::<RoundingMode>().unwrap(), m);
    }
    let cases = [
        ("RNE", RoundingMode::NearestEven),
        ("rtz", RoundingMode::TowardZero),
        ("rup", RoundingMode::TowardPositive),
        ("rdn", RoundingMode::TowardNegative),
        ("rna", RoundingMode::NearestAway),
        ("floor", RoundingMode::TowardNegative),
        ("ceil", RoundingMode::TowardPositive),
        ("roundTiesToEven", RoundingMode::NearestEven),
    ];
    for (s, m) in cases {
        assert_eq!(s.parse::<RoundingMode>().unwrap(), m, "{s}");
    }
    rejects::<RoundingMode>("nearest", "rne");
    rejects::<RoundingMode>("sr0", "64");
    rejects::<RoundingMode>("sr65", "64");
}

#[test]
fn circuit_kinds_round_trip() {
    for k in AdderKind::ALL {
        assert_eq!(k.to_string().parse::<AdderKind>().unwrap(), k);
        // The variant name alone (`CarryLookahead { block: 4 }` → "CarryLookahead").
        let variant = format!("{k:?}");
        let variant = variant.split(' ').next().unwrap();
        assert_eq!(variant.parse::<AdderKind>().unwrap(), k, "{variant}");
    }
    assert_eq!(
        "carry-skip/3".parse::<AdderKind>().unwrap(),
        AdderKind::CarrySkip { block: 3 }
    );
    assert_eq!(
        "CLA".parse::<AdderKind>().unwrap(),
        AdderKind::CarryLookahead { block: 4 }
    );
    rejects::<AdderKind>("kogge", "kogge-stone");
    rejects::<AdderKind>("kogge", "not an adder architecture");
    // The usual abbreviations of the literature and of synthesis tools.
    for (short, k) in [
        ("ks", AdderKind::KoggeStone),
        ("bk", AdderKind::BrentKung),
        ("sk", AdderKind::Sklansky),
        ("hc", AdderKind::HanCarlson),
        ("lf", AdderKind::LadnerFischer),
        ("csum", AdderKind::ConditionalSum),
        ("rca", AdderKind::RippleCarry),
    ] {
        assert_eq!(short.parse::<AdderKind>().unwrap(), k, "{short}");
        assert_eq!(
            short.to_uppercase().parse::<AdderKind>().unwrap(),
            k,
            "{short}"
        );
    }
    rejects::<AdderKind>("sklansky/4", "no block");
    assert!(matches!(
        "carry-lookahead/1".parse::<AdderKind>(),
        Err(Error::InvalidParameter { .. })
    ));
    for p in PartialProducts::ALL {
        assert_eq!(p.name().parse::<PartialProducts>().unwrap(), p);
    }
    for r in Reduction::ALL {
        assert_eq!(r.name().parse::<Reduction>().unwrap(), r);
    }
    rejects::<PartialProducts>("booth8", "booth4");
    rejects::<Reduction>("wallce", "wallace");
}

#[test]
fn dataflows_weight_and_report_formats_round_trip() {
    for d in Dataflow::ALL {
        round_trip(d);
        assert_eq!(format!("{d:?}").parse::<Dataflow>().unwrap(), d);
    }
    // SCALE-Sim's names, as in its configuration files, are its systolic dataflows.
    for (scalesim, d) in [
        ("os", Dataflow::SystolicOutputStationary),
        ("ws", Dataflow::SystolicWeightStationary),
        ("is", Dataflow::SystolicInputStationary),
    ] {
        assert_eq!(scalesim.parse::<Dataflow>().unwrap(), d);
        assert_eq!(scalesim.to_uppercase().parse::<Dataflow>().unwrap(), d);
    }
    rejects::<Dataflow>("xs", "systolic output stationary");
    rejects::<Dataflow>("xs", "not a dataflow");
    let weights = [
        WeightFormat::FP32,
        WeightFormat::FP16,
        WeightFormat::BF16,
        WeightFormat::INT8_PER_CHANNEL,
        WeightFormat::INT4_G128,
        WeightFormat::Int4Group {
            group: 32,
            symmetric: true,
        },
        WeightFormat::NF4,
        WeightFormat::NF4_DQ,
        WeightFormat::FP4_B64,
        WeightFormat::Block4 {
            code: Code4::Nf4,
            block: 32,
        },
        WeightFormat::Block4Dq {
            code: Code4::Fp4E2M1,
            block: 64,
            block2: 128,
            dq_code: DqCode::Fp8E4M3,
        },
        WeightFormat::Block4Dq {
            code: Code4::Nf4,
            block: 32,
            block2: 256,
            dq_code: DqCode::Int8,
        },
        WeightFormat::MXFP4,
    ];
    for w in weights {
        round_trip(w);
    }
    rejects::<WeightFormat>("int3", "NF4+DQ");
    for f in [Format::Text, Format::Markdown, Format::Csv, Format::Json] {
        round_trip(f);
    }
}

#[test]
fn mac_and_datapath_arithmetics_round_trip() {
    let int8 = MacArithmetic::Int {
        mul_bits: 8,
        acc_bits: 32,
    };
    let e4m3 = FloatKind::from(FloatFormat::FP8_E4M3);
    let macs = [
        int8,
        MacArithmetic::Int {
            mul_bits: 4,
            acc_bits: 16,
        },
        MacArithmetic::FP16_FP32,
        MacArithmetic::BF16_FP32,
        MacArithmetic::FP32,
        MacArithmetic::Float {
            mul: e4m3,
            acc: FloatKind::FP16,
        },
        MacArithmetic::Float {
            mul: FloatKind::FP16,
            acc: FloatKind::FP16,
        },
    ];
    for m in macs {
        round_trip(m);
    }
    for (compact, want) in [
        ("int8-int32", int8),
        ("INT8 x INT8 -> INT32", int8),
        ("int8→int32", int8),
        ("fp16-fp32", MacArithmetic::FP16_FP32),
        ("bf16-fp32", MacArithmetic::BF16_FP32),
        ("fp32", MacArithmetic::FP32),
        (
            "fp8-e4m3-fp16",
            MacArithmetic::Float {
                mul: e4m3,
                acc: FloatKind::FP16,
            },
        ),
    ] {
        assert_eq!(compact.parse::<MacArithmetic>().unwrap(), want, "{compact}");
    }
    rejects::<MacArithmetic>("int8-fp32", "INT<m> -> INT<acc>");
    rejects::<MacArithmetic>("int8", "int8-int32");
    assert!("int16-int8".parse::<MacArithmetic>().is_err()); // accumulator too narrow

    let saturating = IntArith {
        overflow: Overflow::Saturating,
        ..IntArith::INT8_INT32
    };
    for a in [IntArith::INT8_INT32, IntArith::UINT8_UINT32, saturating] {
        round_trip(a);
    }
    assert_eq!(
        "int8-int32".parse::<IntArith>().unwrap(),
        IntArith::INT8_INT32
    );
    assert_eq!(
        "uint8-uint32".parse::<IntArith>().unwrap(),
        IntArith::UINT8_UINT32
    );
    assert_eq!(
        "INT8 -> INT32 (saturating)".parse::<IntArith>().unwrap(),
        saturating
    );
    rejects::<IntArith>("int8-uint32", "int8-int32");
    rejects::<IntArith>("int8-int32 (clamping)", "wrapping|saturating");
    rejects::<IntArith>("fp16-fp32", "int8-int32");

    let floats = [
        FloatArith::FP16_FP32,
        FloatArith::BF16_FP32,
        FloatArith::FP8_E4M3_FP32,
        FloatArith::FP8_E5M2_FP32,
        FloatArith::FP8_E4M3_FP16,
        FloatArith::FP8_E5M2_FP16,
        FloatArith::FP16_FP16,
        FloatArith::FP32_FP32,
        FloatArith::new(
            FloatFormat::BF16,
            FloatFormat::FP32,
            ProductRounding::RoundToMulFormat,
            RoundingMode::TowardZero,
        )
        .unwrap(),
    ];
    for a in floats {
        round_trip(a);
    }
    for (compact, want) in [
        ("fp16-fp32", FloatArith::FP16_FP32),
        ("bf16-fp32", FloatArith::BF16_FP32),
        ("fp8-e4m3-fp32", FloatArith::FP8_E4M3_FP32),
        ("FP8 E5M2 -> FP16", FloatArith::FP8_E5M2_FP16),
        ("fp32-fp32", FloatArith::FP32_FP32),
    ] {
        assert_eq!(compact.parse::<FloatArith>().unwrap(), want, "{compact}");
    }
    rejects::<FloatArith>("fp16-fp32 (rounded, rne)", "fp16-fp32");
    rejects::<FloatArith>("int8-int32", "fp16-fp32");
    assert!("fp32-fp16".parse::<FloatArith>().is_err());
}

#[test]
fn mac_specs_round_trip() {
    let signed = MacSpec::new(8, 32, Signedness::Signed);
    let specs = [
        signed,
        MacSpec::new(4, 16, Signedness::Unsigned),
        dot_product_unit(4, signed),
        MacSpec {
            overflow: arithsim::circuits::mac::Overflow::Saturating,
            structure: MacStructure::Fused,
            reduction: Reduction::Wallace,
            adder: AdderKind::CarryLookahead { block: 4 },
            ..MacSpec::new(16, 48, Signedness::Signed)
        },
        MacSpec {
            partial_products: PartialProducts::Booth4,
            adder: AdderKind::CarrySelect { block: 8 },
            ..signed
        },
    ];
    for s in specs {
        round_trip(s);
    }
    rejects::<MacSpec>("int8x8->32 signed", "<signed|unsigned>");
    rejects::<MacSpec>(
        "int8x4->32 signed wrapping separate dadda/baugh-wooley/brent-kung",
        "[dot<k> ]int<w>",
    );
    // A name that parses but cannot be built: the accumulator is narrower than the product.
    assert!(
        "int8x8->8 signed wrapping separate dadda/baugh-wooley/brent-kung"
            .parse::<MacSpec>()
            .is_err()
    );
}

/// The arithmetics print the rounding mode's and the overflow policy's names (not `Debug`
/// variant names), and parse every mode back, the comma in "nearest, ties to even" included.
#[test]
fn arithmetics_print_mode_names_and_parse_them_back() {
    assert_eq!(
        FloatArith::FP16_FP32.to_string(),
        "FP16 x FP16 → FP32 (exact product, nearest, ties to even)"
    );
    let q = |i, f| FixedFormat::q(i, f).unwrap();
    for mode in RoundingMode::DETERMINISTIC {
        for product in [
            ProductRounding::ExactProduct,
            ProductRounding::RoundToMulFormat,
        ] {
            let a = FloatArith::new(FloatFormat::BF16, FloatFormat::FP32, product, mode).unwrap();
            assert!(a.to_string().ends_with(&format!(", {mode})")), "{a}");
            round_trip(a);
        }
        for overflow in Overflow::ALL {
            let a = FixedArith::new(q(1, 7), q(18, 14), mode, overflow);
            assert_eq!(
                a.to_string(),
                format!("Q1.7 x Q1.7 → Q18.14 ({mode}, {overflow})")
            );
            round_trip(a);
        }
    }
    let fixed = FixedArith::new(
        q(1, 7),
        q(18, 14),
        RoundingMode::NearestEven,
        Overflow::Wrapping,
    );
    assert_eq!("q1.7-q18.14".parse::<FixedArith>().unwrap(), fixed);
    assert_eq!(
        "Q1.7 -> Q18.14 (TowardZero, saturating)"
            .parse::<FixedArith>()
            .unwrap(),
        FixedArith::new(
            q(1, 7),
            q(18, 14),
            RoundingMode::TowardZero,
            Overflow::Saturating
        )
    );
    rejects::<FixedArith>("q1.7-q18.14 (rne)", "q1.7-q18.14");
    rejects::<FixedArith>("int8-int32", "q1.7-q18.14");
    assert!("q1.7-q18.14 (rne, clamping)".parse::<FixedArith>().is_err());

    for p in [OverflowPolicy::Nan, OverflowPolicy::Saturate] {
        round_trip(p);
    }
    assert_eq!(
        "satfinite".parse::<OverflowPolicy>().unwrap(),
        OverflowPolicy::Saturate
    );
    rejects::<OverflowPolicy>("infinity", "nan, saturate");
}
