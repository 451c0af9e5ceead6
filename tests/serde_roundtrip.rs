//! `serde` feature: configuration and result types survive a JSON round trip, formats and
//! kinds are written as their names, and a bad name is a deserialization error.
#![cfg(feature = "serde")]

use arithsim::accel::{Dataflow, MacArithmetic, fsd_npu};
use arithsim::circuits::adders::AdderKind;
use arithsim::circuits::multipliers::{MultiplierSpec, PartialProducts, Reduction, Signedness};
use arithsim::cost::{CostTable, FloatKind, OpKind, Tally};
use arithsim::datapath::{Conv2dShape, FloatArith, GemmShape, IntArith};
use arithsim::fixed::FixedFormat;
use arithsim::float::{FloatEnv, FloatFormat, Specials};
use arithsim::quant::{Code4, DqCode, WeightFormat};
use arithsim::round::{Flags, RoundingMode};
use serde::{Serialize, de::DeserializeOwned};
use std::fmt::Debug;

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(x: &T) -> String {
    let json = serde_json::to_string(x).unwrap();
    let back: T = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, x, "{json}");
    json
}

#[test]
fn formats_are_written_as_their_names() {
    for (_, f) in FloatFormat::PRESETS {
        round_trip(&f);
    }
    assert_eq!(round_trip(&FloatFormat::FP8_E4M3), "\"FP8 E4M3\"");
    let odd = FloatFormat::with_bias(5, 3, 9, Specials::NanAllOnes).unwrap();
    assert_eq!(round_trip(&odd), "\"E5M3FN bias 9\"");
    assert_eq!(round_trip(&FixedFormat::uq(8, 8).unwrap()), "\"UQ8.8\"");
    assert_eq!(round_trip(&FloatKind::BF16), "\"BF16\"");
    assert_eq!(
        serde_json::from_str::<FloatFormat>("\"e5m2fnuz\"").unwrap(),
        FloatFormat::FP8_E5M2FNUZ
    );
    let e = serde_json::from_str::<FloatFormat>("\"e4m\"").unwrap_err();
    assert!(e.to_string().contains("not a float format"), "{e}");
    assert!(serde_json::from_str::<FixedFormat>("\"q99.99\"").is_err());
}

#[test]
fn modes_env_and_kinds_round_trip() {
    for m in RoundingMode::DETERMINISTIC {
        round_trip(&m);
    }
    round_trip(&RoundingMode::Stochastic {
        random: 0xDEAD_BEEF,
        bits: 12,
    });
    round_trip(&FloatEnv::new(RoundingMode::TowardZero));
    round_trip(&(Flags::INEXACT | Flags::OVERFLOW));
    for k in AdderKind::ALL {
        round_trip(&k);
    }
    for d in Dataflow::ALL {
        round_trip(&d);
    }
    round_trip(&MacArithmetic::FP16_FP32);
    for o in arithsim::Overflow::ALL {
        round_trip(&o);
    }
    for s in Signedness::ALL {
        round_trip(&s);
    }
    round_trip(&WeightFormat::NF4_DQ);
    round_trip(&MultiplierSpec::new(
        8,
        8,
        Signedness::Signed,
        Reduction::Dadda,
        AdderKind::KoggeStone,
    ));
}

#[test]
fn tables_tallies_estimates_shapes_and_arrays_round_trip() {
    let table = CostTable::horowitz_45nm();
    round_trip(&table);
    let mut tally = Tally::new();
    tally.add(OpKind::IntMul { bits: 8 }, 1000);
    tally.add(
        OpKind::FpAdd {
            format: FloatKind::FP32,
        },
        3,
    );
    let json = round_trip(&tally);
    assert!(json.contains("FP32"), "{json}");
    // The written form is a map from kind to count and a set of saturated kinds (the form
    // tallies have always had): a file written by an older version still loads.
    let old_form = r#"{"counts":{"8-bit int mult":1000,"FP32 add":3},"saturated":[]}"#;
    assert_eq!(json, old_form);
    tally.add(OpKind::IntMul { bits: 8 }, u64::MAX);
    let saturated = round_trip(&tally);
    assert!(
        saturated.ends_with(r#""saturated":["8-bit int mult"]}"#),
        "{saturated}"
    );
    let back: Tally = serde_json::from_str(&saturated).unwrap();
    assert!(back.is_saturated_kind(OpKind::IntMul { bits: 8 }));
    round_trip(&table.estimate(&tally));
    round_trip(&GemmShape::new(4, 5, 6).unwrap());
    round_trip(
        &Conv2dShape::new(arithsim::datapath::Conv2dDims {
            batch: 1,
            in_channels: 3,
            in_height: 8,
            in_width: 8,
            out_channels: 4,
            kernel_height: 3,
            kernel_width: 3,
        })
        .unwrap(),
    );
    round_trip(&fsd_npu());
}

/// `json` does not deserialize into a `T`, and the error names `field`.
fn refused<T: DeserializeOwned + Debug>(json: &str, field: &str) {
    match serde_json::from_str::<T>(json) {
        Ok(v) => panic!("{json} deserialized into {v:?}"),
        Err(e) => assert!(
            e.to_string().contains(field),
            "{json}: {e} does not name {field}"
        ),
    }
}

/// Replaces `"key":<old>` by `"key":<new>` in a serialized value (the first occurrence).
fn with_field(json: &str, key: &str, new: &str) -> String {
    let tag = format!("\"{key}\":");
    let at = json
        .find(&tag)
        .unwrap_or_else(|| panic!("{key} not in {json}"))
        + tag.len();
    let end = at + json[at..].find([',', '}']).unwrap();
    format!("{}{new}{}", &json[..at], &json[end..])
}

#[test]
fn types_with_invariants_refuse_invalid_json() {
    let gemm = serde_json::to_string(&GemmShape::new(4, 5, 6).unwrap()).unwrap();
    refused::<GemmShape>(&with_field(&gemm, "k", "0"), "dimension k is 0");

    let conv = serde_json::to_string(
        &Conv2dShape::new(arithsim::datapath::Conv2dDims {
            batch: 1,
            in_channels: 4,
            in_height: 8,
            in_width: 8,
            out_channels: 4,
            kernel_height: 3,
            kernel_width: 3,
        })
        .unwrap(),
    )
    .unwrap();
    refused::<Conv2dShape>(&with_field(&conv, "groups", "0"), "groups");
    refused::<Conv2dShape>(&with_field(&conv, "kernel_height", "30"), "kernel");

    let npu = serde_json::to_string(&fsd_npu()).unwrap();
    for (field, bad, named) in [
        ("rows", "0", "rows"),
        ("sram_bank_bytes", "0", "sram bank bytes"),
        ("clock_hz", "-2e9", "clock"),
        ("dram_bytes_per_s", "0.0", "dram bandwidth"),
    ] {
        refused::<arithsim::accel::MacArray>(&with_field(&npu, field, bad), named);
    }
    refused::<MacArithmetic>(r#"{"Int":{"mul_bits":8,"acc_bits":4}}"#, "accumulator");

    let spec = serde_json::to_string(&MultiplierSpec::new(
        8,
        8,
        Signedness::Unsigned,
        Reduction::Dadda,
        AdderKind::KoggeStone,
    ))
    .unwrap();
    refused::<MultiplierSpec>(&with_field(&spec, "n", "0"), "multiplier operand a");

    // IntArith is written as its name and read through `FromStr`.
    let json = round_trip(&IntArith::INT8_INT32);
    assert_eq!(json, "\"INT8 x INT8 → INT32 (wrapping)\"");
    refused::<IntArith>("\"INT8 x INT8 -> INT99 (wrapping)\"", "99");

    // FloatArith: its fields, then its check (the accumulator must hold the products).
    let fa = round_trip(&FloatArith::FP16_FP32);
    refused::<FloatArith>(
        &with_field(&fa, "acc", "\"BF16\""),
        "accumulate format BF16",
    );

    // MacSpec is written as its name (every field) and read through `FromStr`.
    let mac = arithsim::circuits::mac::MacSpec::new(8, 32, Signedness::Signed);
    let json = round_trip(&mac);
    refused::<arithsim::circuits::mac::MacSpec>(&json.replace("->32", "->8"), "accumulator");
}

/// `T`'s JSON is the string `Display` prints (or `want`), and it reads back.
fn written_as_name<T>(x: &T) -> String
where
    T: Serialize + DeserializeOwned + PartialEq + Debug + std::fmt::Display,
{
    let json = round_trip(x);
    assert_eq!(json, serde_json::to_string(&x.to_string()).unwrap());
    json
}

#[test]
fn enums_with_printed_names_are_written_as_those_names() {
    // Rounding modes as their short names, the random bits of a stochastic mode kept.
    assert_eq!(round_trip(&RoundingMode::NearestEven), "\"rne\"");
    assert_eq!(round_trip(&RoundingMode::TowardZero), "\"rtz\"");
    for m in RoundingMode::DETERMINISTIC {
        assert_eq!(round_trip(&m), format!("\"{}\"", m.short_name()));
    }
    let sr = RoundingMode::Stochastic {
        random: 0,
        bits: 12,
    };
    assert_eq!(round_trip(&sr), "\"sr12\"");
    let sr = RoundingMode::Stochastic {
        random: 0xDEAD_BEEF,
        bits: 12,
    };
    assert_eq!(round_trip(&sr), "\"sr12 random 0xdeadbeef\"");
    assert_eq!(
        serde_json::from_str::<RoundingMode>("\"toward zero\"").unwrap(),
        RoundingMode::TowardZero
    );
    // Everything else as its `Display` name.
    assert_eq!(written_as_name(&AdderKind::KoggeStone), "\"kogge-stone\"");
    for k in AdderKind::ALL {
        written_as_name(&k);
    }
    for d in Dataflow::ALL {
        written_as_name(&d);
    }
    for o in arithsim::Overflow::ALL {
        written_as_name(&o);
    }
    assert_eq!(
        written_as_name(&arithsim::Overflow::Saturating),
        "\"saturating\""
    );
    for s in Signedness::ALL {
        written_as_name(&s);
    }
    assert_eq!(written_as_name(&Signedness::Signed), "\"signed\"");
    for p in PartialProducts::ALL {
        written_as_name(&p);
    }
    for r in Reduction::ALL {
        written_as_name(&r);
    }
    assert_eq!(
        written_as_name(&Reduction::Compressor42),
        "\"4:2-compressor\""
    );
    for w in [
        WeightFormat::FP32,
        WeightFormat::FP16,
        WeightFormat::BF16,
        WeightFormat::INT8_PER_CHANNEL,
        WeightFormat::MXFP4,
        WeightFormat::INT4_G128,
        WeightFormat::NF4,
        WeightFormat::NF4_DQ,
        WeightFormat::Int4Group {
            group: 32,
            symmetric: false,
        },
        WeightFormat::Block4 {
            code: Code4::Fp4E2M1,
            block: 32,
        },
        WeightFormat::Block4Dq {
            code: Code4::Fp4E2M1,
            block: 32,
            block2: 128,
            dq_code: DqCode::Fp8E4M3,
        },
    ] {
        written_as_name(&w);
    }
    // A bad name is a deserialization error that says what was expected.
    let e = serde_json::from_str::<AdderKind>("\"KoggeStoneX\"").unwrap_err();
    assert!(e.to_string().contains("Kogge"), "{e}");
    assert!(serde_json::from_str::<RoundingMode>("\"nearest\"").is_err());
    assert!(serde_json::from_str::<RoundingMode>("\"sr65\"").is_err());
    assert!(serde_json::from_str::<Dataflow>("\"TowardZero\"").is_err());
}
