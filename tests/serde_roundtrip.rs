//! `serde` feature: configuration and result types survive a JSON round trip, formats and
//! kinds are written as their names, and a bad name is a deserialization error.
#![cfg(feature = "serde")]

use arithsim::accel::{Dataflow, MacArithmetic, fsd_npu};
use arithsim::circuits::adders::AdderKind;
use arithsim::circuits::multipliers::{MultiplierSpec, Reduction, Signedness};
use arithsim::cost::{CostTable, FloatKind, OpKind, Tally};
use arithsim::datapath::{Conv2dShape, GemmShape};
use arithsim::fixed::FixedFormat;
use arithsim::float::{FloatEnv, FloatFormat, Specials};
use arithsim::quant::WeightFormat;
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
