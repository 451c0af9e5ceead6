//! The word-level and gate-level engines give the same bits for the same kernel, and the
//! gate-level one reports switching activity that depends on the data.

mod support;
use arithsim::Signedness;
use arithsim::datapath::Conv2dDims;
use arithsim::datapath::LayerOperands;
use arithsim::datapath::{
    AccumulationOrder, Bias, Conv2dShape, Engine, GemmOperands, GemmShape, IntArith, IntDatapath,
    Overflow,
};
use support::data_i8;

#[test]
fn int8_gemm_and_conv2d_same_bits_on_both_engines() {
    let word = IntDatapath::new(IntArith::INT8_INT32).unwrap();
    let gate = word.with_engine(Engine::GateLevel).unwrap();
    // 70 outputs: two simulator batches (64 + 6 streams).
    let s = GemmShape::new(7, 10, 12).unwrap();
    let a = data_i8(s.m * s.k, 1);
    let b = data_i8(s.k * s.n, 2);
    let bias: Vec<i64> = (0..s.m as i64).map(|i| i * 123_457 - 400_000).collect();
    let w = word
        .gemm(s, GemmOperands { a: &a, b: &b }, Bias::PerRow(&bias))
        .unwrap();
    let g = gate
        .gemm(s, GemmOperands { a: &a, b: &b }, Bias::PerRow(&bias))
        .unwrap();
    assert_eq!(g.values, w.values);
    assert_eq!(g.tally, w.tally, "same operations counted");
    assert!(w.activity.is_none());
    let act = g.activity.expect("gate-level activity");
    assert!(act.total() > 0 && act.transitions > 0);

    let cs = Conv2dShape::new(Conv2dDims {
        batch: 1,
        in_channels: 2,
        in_height: 5,
        in_width: 4,
        out_channels: 2,
        kernel_height: 3,
        kernel_width: 3,
    })
    .unwrap()
    .with_padding(1, 1)
    .unwrap();
    let x = data_i8(cs.input_len(), 3);
    let wt = data_i8(cs.weight_len(), 4);
    assert_eq!(
        gate.conv2d(
            &cs,
            LayerOperands {
                weights: &wt,
                input: &x
            },
            Bias::None
        )
        .unwrap()
        .values,
        word.conv2d(
            &cs,
            LayerOperands {
                weights: &wt,
                input: &x
            },
            Bias::None
        )
        .unwrap()
        .values
    );
}

#[test]
fn blocked_order_runs_on_a_dot_product_unit() {
    let s = GemmShape::new(5, 3, 21).unwrap();
    let a = data_i8(s.m * s.k, 11);
    let b = data_i8(s.k * s.n, 12);
    for width in [1, 4, 8] {
        let word = IntDatapath::new(IntArith::INT8_INT32)
            .unwrap()
            .with_order(AccumulationOrder::Blocked { width })
            .unwrap();
        let gate = word.with_engine(Engine::GateLevel).unwrap();
        let (w, g) = (
            word.gemm(s, GemmOperands { a: &a, b: &b }, Bias::None)
                .unwrap(),
            gate.gemm(s, GemmOperands { a: &a, b: &b }, Bias::None)
                .unwrap(),
        );
        assert_eq!(g.values, w.values, "width {width}");
        assert_eq!(g.tally, w.tally);
        let lib = arithsim::gates::CellLibrary::nangate45();
        assert!(gate.gate_energy_pj(&g, &lib).unwrap() > 0.0);
    }
}

#[test]
fn unsigned_and_saturating_configurations_agree_too() {
    let u = IntArith::new(8, 16, Signedness::Unsigned, Overflow::Wrapping).unwrap();
    let s = GemmShape::new(3, 4, 40).unwrap();
    let a: Vec<u8> = data_i8(s.m * s.k, 5).into_iter().map(|v| v as u8).collect();
    let b: Vec<u8> = data_i8(s.k * s.n, 6).into_iter().map(|v| v as u8).collect();
    let word = IntDatapath::new(u).unwrap();
    let gate = word.with_engine(Engine::GateLevel).unwrap();
    assert_eq!(
        gate.gemm(s, GemmOperands { a: &a, b: &b }, Bias::None)
            .unwrap()
            .values,
        word.gemm(s, GemmOperands { a: &a, b: &b }, Bias::None)
            .unwrap()
            .values
    );

    // 4-bit operands into a saturating 8-bit accumulator: saturates often.
    let sat = IntArith::new(4, 8, Signedness::Signed, Overflow::Saturating).unwrap();
    let a: Vec<i8> = data_i8(s.m * s.k, 7).into_iter().map(|v| v >> 4).collect();
    let b: Vec<i8> = data_i8(s.k * s.n, 8).into_iter().map(|v| v >> 4).collect();
    let word = IntDatapath::new(sat).unwrap();
    let gate = word.with_engine(Engine::GateLevel).unwrap();
    let (w, g) = (
        word.gemm(s, GemmOperands { a: &a, b: &b }, Bias::None)
            .unwrap(),
        gate.gemm(s, GemmOperands { a: &a, b: &b }, Bias::None)
            .unwrap(),
    );
    assert_eq!(g.values, w.values);
    assert!(w.saturations > 0);
    assert_eq!(g.saturations, w.saturations);
}

#[test]
fn activity_depends_on_the_data() {
    let gate = IntDatapath::new(IntArith::INT8_INT32)
        .unwrap()
        .with_engine(Engine::GateLevel)
        .unwrap();
    let s = GemmShape::new(8, 8, 32).unwrap();
    let zeros = vec![0i8; 256];
    let busy_a = data_i8(256, 9);
    let busy_b = data_i8(256, 10);
    let quiet = gate
        .gemm(
            s,
            GemmOperands {
                a: &zeros,
                b: &zeros,
            },
            Bias::None,
        )
        .unwrap();
    let busy = gate
        .gemm(
            s,
            GemmOperands {
                a: &busy_a,
                b: &busy_b,
            },
            Bias::None,
        )
        .unwrap();
    let (q, b) = (quiet.activity.unwrap(), busy.activity.unwrap());
    assert_eq!(q.transitions, b.transitions, "same number of clocks");
    assert!(
        b.total() > 10 * q.total().max(1),
        "random data toggles far more: {} vs {}",
        b.total(),
        q.total()
    );
}

#[test]
fn gate_level_limits_are_errors() {
    let dp = IntDatapath::new(IntArith::INT8_INT32).unwrap();
    let e = dp
        .with_order(AccumulationOrder::Pairwise)
        .unwrap()
        .with_engine(Engine::GateLevel)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "unsupported: the gate-level engine runs sequential order, or blocked order of width \
         1..=64 with a wrapping accumulator, not pairwise tree order with a wrapping accumulator"
    );
    // Energy needs the netlist the output ran on.
    let seq = dp.with_engine(Engine::GateLevel).unwrap();
    let blk = dp
        .with_order(AccumulationOrder::Blocked { width: 4 })
        .unwrap()
        .with_engine(Engine::GateLevel)
        .unwrap();
    let s4 = GemmShape::new(2, 2, 8).unwrap();
    let out = blk
        .gemm(
            s4,
            GemmOperands {
                a: &[1i8; 16],
                b: &[2i8; 16],
            },
            Bias::None,
        )
        .unwrap();
    let e = seq
        .gate_energy_pj(&out, &arithsim::gates::CellLibrary::nangate45())
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid output activity of another netlist: compute the output with this datapath's \
         engine and order"
    );
    let narrow =
        IntDatapath::new(IntArith::new(8, 12, Signedness::Signed, Overflow::Wrapping).unwrap())
            .unwrap();
    let e = narrow.with_engine(Engine::GateLevel).unwrap_err();
    assert_eq!(
        e.to_string(),
        "unsupported: the gate-level engine needs an accumulator of at least 2*mul_bits = 16 bits \
         to hold the product, got 12"
    );
    let sat =
        IntDatapath::new(IntArith::new(8, 16, Signedness::Signed, Overflow::Saturating).unwrap())
            .unwrap()
            .with_engine(Engine::GateLevel)
            .unwrap();
    let s = GemmShape::new(1, 1, 1).unwrap();
    let e = sat
        .gemm(
            s,
            GemmOperands {
                a: &[1i8],
                b: &[1i8],
            },
            Bias::PerRow(&[1]),
        )
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "unsupported: the gate-level MAC starts from zero; a bias with a saturating accumulator \
         is not supported there"
    );
}
