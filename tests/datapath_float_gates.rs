//! The floating-point datapath on the gate-level engine (the FMA circuit of
//! `circuits::fp`, one lane per output) gives the same bits and flags as the word-level
//! engine, for every mixed-precision preset, rounding modes, specials, biases and conv2d;
//! and its switching energy depends on the data.

use arithsim::cost::{OperandMix, SplitMix64, float_operands};
use arithsim::datapath::Conv2dDims;
use arithsim::datapath::LayerOperands;
use arithsim::datapath::{
    AccumulationOrder, Bias, Conv2dShape, Engine, FloatArith, FloatDatapath, GemmOperands,
    GemmShape, ProductRounding,
};
use arithsim::float::{FloatEnv, FloatFormat, NanPolicy};
use arithsim::gates::CellLibrary;
use arithsim::rand_core::{Rng, SeedableRng};
use arithsim::round::RoundingMode;

/// Random bit patterns of `f` with its specials (±0, ±∞ or NaN where they exist, the largest
/// finite value, the smallest subnormal) mixed in every seventh element.
fn data(f: FloatFormat, n: usize, seed: u64) -> Vec<u64> {
    let mut rng = SplitMix64::seed_from_u64(seed);
    let mut specials = vec![0, f.sign_bit(), f.max_finite_bits(), 1, f.sign_bit() | 1];
    if let Some(inf) = f.infinity_bits() {
        specials.extend([inf, inf | f.sign_bit(), inf | 1]); // ±∞ and a signaling NaN
    }
    if f.specials().has_nan() {
        specials.push(f.default_nan(NanPolicy::X86));
    }
    (0..n)
        .map(|i| {
            let r = rng.next_u64();
            if i % 7 == 3 {
                specials[(r % specials.len() as u64) as usize]
            } else {
                r & f.mask()
            }
        })
        .collect()
}

/// Small, mostly same-exponent values, so sums stay finite and rounding is exercised.
fn nn(f: FloatFormat, n: usize, seed: u64) -> Vec<u64> {
    float_operands(
        f,
        OperandMix::NeuralNet,
        n,
        &mut SplitMix64::seed_from_u64(seed),
    )
}

fn check_gemm(arith: FloatArith, s: GemmShape, a: &[u64], b: &[u64], bias: Bias<'_, u64>) {
    let word = FloatDatapath::new(arith).unwrap();
    let gate = word.with_engine(Engine::GateLevel).unwrap();
    let w = word.gemm(s, GemmOperands { a, b }, bias).unwrap();
    let g = gate.gemm(s, GemmOperands { a, b }, bias).unwrap();
    assert_eq!(g.bits, w.bits, "{arith}");
    assert_eq!(g.flags, w.flags, "{arith}");
    assert_eq!(g.tally, w.tally, "{arith}");
    assert!(w.activity.is_none());
    assert!(g.activity.is_some());
}

#[test]
fn every_preset_gives_the_word_level_bits_and_flags() {
    let presets = [
        FloatArith::FP16_FP32,
        FloatArith::BF16_FP32,
        FloatArith::FP8_E4M3_FP32,
        FloatArith::FP8_E5M2_FP32,
        FloatArith::FP8_E4M3_FP16,
        FloatArith::FP8_E5M2_FP16,
        FloatArith::FP16_FP16,
    ];
    // 70 outputs: two words of lanes, the second partly filled.
    let s = GemmShape::new(7, 10, 9).unwrap();
    for (i, arith) in presets.into_iter().enumerate() {
        let seed = 10 * i as u64;
        // NN-like: finite sums, rounding in every step
        let a = nn(arith.mul, s.m * s.k, seed);
        let b = nn(arith.mul, s.k * s.n, seed + 1);
        let bias = nn(arith.acc, s.m, seed + 2);
        check_gemm(arith, s, &a, &b, Bias::PerRow(&bias));
        // raw bit patterns with specials: NaNs, infinities, overflow, subnormals
        let a = data(arith.mul, s.m * s.k, seed + 3);
        let b = data(arith.mul, s.k * s.n, seed + 4);
        check_gemm(arith, s, &a, &b, Bias::None);
    }
}

/// More outputs than one simulator batch holds (1024): the second batch starts from fresh
/// machines and its bits, flags and activity still match.
#[test]
fn outputs_beyond_one_batch() {
    let arith = FloatArith::FP8_E4M3_FP16;
    let s = GemmShape::new(33, 33, 3).unwrap(); // 1089 outputs
    let a = data(arith.mul, s.m * s.k, 91);
    let b = data(arith.mul, s.k * s.n, 92);
    let bias = nn(arith.acc, s.m * s.n, 93);
    check_gemm(arith, s, &a, &b, Bias::Full(&bias));
    let gate = FloatDatapath::new(arith)
        .unwrap()
        .with_engine(Engine::GateLevel)
        .unwrap();
    let out = gate
        .gemm(s, GemmOperands { a: &a, b: &b }, Bias::Full(&bias))
        .unwrap();
    // two batches of 16 words, 3 counted steps each (the idle step is the reference)
    assert_eq!(out.activity.unwrap().transitions, 2 * 3 * 64 * 16);
}

#[test]
fn rounding_modes_and_flush_to_zero_follow_the_environment() {
    let s = GemmShape::new(3, 5, 12).unwrap();
    let base = FloatArith::FP8_E5M2_FP16;
    let a = data(base.mul, s.m * s.k, 71);
    let b = data(base.mul, s.k * s.n, 72);
    let an = nn(base.mul, s.m * s.k, 73);
    for mode in [
        RoundingMode::NearestEven,
        RoundingMode::NearestAway,
        RoundingMode::TowardZero,
        RoundingMode::TowardPositive,
        RoundingMode::TowardNegative,
        RoundingMode::ToOdd,
    ] {
        for ftz in [false, true] {
            let mut env = FloatEnv::new(mode);
            env.flush_to_zero = ftz;
            env.denormals_are_zero = ftz;
            let arith = base.with_env(env);
            check_gemm(arith, s, &a, &b, Bias::None);
            check_gemm(arith, s, &an, &b, Bias::None);
        }
    }
}

#[test]
fn dot_gemv_and_conv2d_match_and_energy_depends_on_data() {
    let arith = FloatArith::FP16_FP32;
    let word = FloatDatapath::new(arith).unwrap();
    let gate = word.with_engine(Engine::GateLevel).unwrap();
    let lib = CellLibrary::nangate45();
    let (x, y) = (nn(arith.mul, 40, 1), nn(arith.mul, 40, 2));
    let g = gate.dot(&x, &y).unwrap();
    assert_eq!(g.bits, word.dot(&x, &y).unwrap().bits);
    let e_nn = gate.gate_energy_pj(&g, &lib).unwrap();
    // the same dot on zeros never leaves the idle state: no toggles, no energy
    let zeros = vec![0u64; 40];
    let g0 = gate.dot(&zeros, &zeros).unwrap();
    assert_eq!(gate.gate_energy_pj(&g0, &lib).unwrap(), 0.0);
    assert!(e_nn > 0.0);

    let gemv_a = nn(arith.mul, 6 * 11, 3);
    let gemv_x = nn(arith.mul, 11, 4);
    let bias = nn(arith.acc, 6, 5);
    assert_eq!(
        gate.gemv(
            6,
            GemmOperands {
                a: &gemv_a,
                b: &gemv_x
            },
            Bias::PerRow(&bias)
        )
        .unwrap()
        .bits,
        word.gemv(
            6,
            GemmOperands {
                a: &gemv_a,
                b: &gemv_x
            },
            Bias::PerRow(&bias)
        )
        .unwrap()
        .bits
    );

    let cs = Conv2dShape::new(Conv2dDims {
        batch: 1,
        in_channels: 4,
        in_height: 5,
        in_width: 4,
        out_channels: 2,
        kernel_height: 3,
        kernel_width: 3,
    })
    .unwrap()
    .with_padding(1, 1)
    .unwrap()
    .with_groups(2)
    .unwrap();
    let inp = nn(arith.mul, cs.input_len(), 6);
    let wt = nn(arith.mul, cs.weight_len(), 7);
    let cb = nn(arith.acc, 2, 8);
    let (w, g) = (
        word.conv2d(
            &cs,
            LayerOperands {
                weights: &wt,
                input: &inp,
            },
            Bias::PerRow(&cb),
        )
        .unwrap(),
        gate.conv2d(
            &cs,
            LayerOperands {
                weights: &wt,
                input: &inp,
            },
            Bias::PerRow(&cb),
        )
        .unwrap(),
    );
    assert_eq!(g.bits, w.bits);
    assert_eq!(g.flags, w.flags);
    assert!(gate.gate_energy_pj(&g, &lib).unwrap() > 0.0);
}

#[test]
fn configurations_the_gate_engine_cannot_run_are_errors() {
    let word = FloatDatapath::new(FloatArith::FP16_FP32).unwrap();
    let tree = word
        .with_order(AccumulationOrder::Pairwise)
        .unwrap()
        .with_engine(Engine::GateLevel)
        .unwrap_err();
    assert!(tree.to_string().contains("sequential order"), "{tree}");
    let gate = word.with_engine(Engine::GateLevel).unwrap();
    assert!(gate.with_order(AccumulationOrder::Pairwise).is_err());
    let rounded =
        FloatDatapath::new(FloatArith::FP16_FP32.with_product(ProductRounding::RoundToMulFormat))
            .unwrap()
            .with_engine(Engine::GateLevel)
            .unwrap_err();
    assert!(
        rounded
            .to_string()
            .contains("rounded to the multiply format")
    );
    let env = FloatEnv {
        flush_to_zero: true,
        ..FloatEnv::default()
    };
    let half = FloatDatapath::new(FloatArith::FP16_FP32.with_env(env))
        .unwrap()
        .with_engine(Engine::GateLevel)
        .unwrap_err();
    assert!(half.to_string().contains("flush"), "{half}");
    // energy needs a gate-level output
    let out = word.dot(&[0x3C00], &[0x3C00]).unwrap();
    let e = gate
        .gate_energy_pj(&out, &CellLibrary::nangate45())
        .unwrap_err();
    assert!(e.to_string().contains("gate-level engine"), "{e}");
}
