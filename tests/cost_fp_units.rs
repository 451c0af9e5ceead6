//! Structure and gate-derived cost of the floating-point units and the MAC comparison:
//! the clocked cost path against the MAC runner, the per-label breakdown against the whole,
//! the operand streams, and orderings that must hold between formats.

use arithsim::circuits::adders::AdderKind;
use arithsim::circuits::fp::FpUnitConfig;
use arithsim::circuits::mac::{Mac, MacSpec};
use arithsim::circuits::multipliers::{Signedness, dadda_multiplier};
use arithsim::cost::{
    FpUnit, INT8_MAC_NAME, OperandMix, SplitMix64, UnitFigures, float_operands, fp_unit_figures,
    gate_cost_clocked, gate_cost_from_activity, int_operands, label_breakdown, mac_comparison,
    mac_operands,
};
use arithsim::float::FloatFormat;
use arithsim::gates::CellLibrary;
use arithsim::rand_core::SeedableRng;

/// `gate_cost_clocked` (through `Simulator::step_with`) gives exactly the figures of the
/// MAC runner's own activity (`Mac::run`, bit by bit) on the same streams.
#[test]
fn clocked_cost_equals_the_mac_runner() {
    let lib = CellLibrary::nangate45();
    let mac = Mac::new(MacSpec::INT8_INT32).unwrap();
    let mut rng = SplitMix64::seed_from_u64(5);
    let mut draw = || -> Vec<Vec<u64>> {
        (0..20)
            .map(|_| int_operands(8, OperandMix::Random, 64, &mut rng))
            .collect()
    };
    let (a, b) = (draw(), draw());
    let run = mac.run(&a, &b, true).unwrap();
    let want = gate_cost_from_activity(mac.netlist(), &lib, &run.activity.unwrap()).unwrap();
    let got = gate_cost_clocked(mac.netlist(), &lib, &[("a", &a), ("b", &b)]).unwrap();
    assert_eq!(got, want);
    assert_eq!(got.transitions, 64 * 19);
    // errors name the parameter
    let e = gate_cost_clocked(mac.netlist(), &lib, &[("a", &a[..1]), ("b", &b[..1])]);
    assert!(e.unwrap_err().to_string().contains("clocks"));
    let e = gate_cost_clocked(mac.netlist(), &lib, &[("a", &a), ("b", &b[..3])]);
    assert!(
        e.unwrap_err()
            .to_string()
            .contains("port \"b\" has 3 clocks")
    );
    let e = gate_cost_clocked(mac.netlist(), &lib, &[("x", &a)]);
    assert!(e.unwrap_err().to_string().contains("\"x\""));
}

#[test]
fn breakdown_adds_up_to_the_whole_at_every_depth() {
    let lib = CellLibrary::nangate45();
    let net = dadda_multiplier(12, 12, Signedness::Unsigned, AdderKind::BrentKung).unwrap();
    let (area, delay) = (net.area_um2(&lib), net.timing(&lib).delay_ns);
    let cells = net.instances().len();
    for depth in [1, 2, 5] {
        let parts = label_breakdown(&net, &lib, depth);
        assert!(parts.len() >= 2, "a multiplier has several labelled parts");
        let s: f64 = parts.iter().map(|p| p.area_um2).sum();
        let d: f64 = parts.iter().map(|p| p.critical_path_ns).sum();
        assert!((s - area).abs() < 1e-9 && (d - delay).abs() < 1e-9);
        assert_eq!(parts.iter().map(|p| p.cells).sum::<usize>(), cells);
        assert!(parts.iter().all(|p| p.label.split('/').count() <= depth));
    }
}

#[test]
fn operand_streams_have_the_documented_distributions() {
    let mut rng = SplitMix64::seed_from_u64(9);
    for f in [
        FloatFormat::FP8_E4M3,
        FloatFormat::FP8_E5M2,
        FloatFormat::FP16,
        FloatFormat::BF16,
        FloatFormat::FP32,
    ] {
        let r = float_operands(f, OperandMix::Random, 4000, &mut rng);
        assert!(r.iter().all(|&x| f.is_finite(x) && x <= f.mask()));
        // both signs, and large magnitudes (uniform over encodings)
        assert!(r.iter().any(|&x| f.is_sign_negative(x)));
        assert!(r.iter().any(|&x| f.bits_to_f64(x).abs() > 1.0));
        let n = float_operands(f, OperandMix::NeuralNet, 4000, &mut rng);
        let vals: Vec<f64> = n.iter().map(|&x| f.bits_to_f64(x).abs()).collect();
        assert!(
            vals.iter().all(|&v| (1.0 / 128.0..0.5).contains(&v)),
            "{f:?}"
        );
        let main = vals.iter().filter(|&&v| (0.125..0.25).contains(&v)).count();
        // 3/4 + 1/4 · 1/6 of the draws: about 3167 of 4000
        assert!((2950..3400).contains(&main), "{f:?}: {main}");
    }
    let ints = int_operands(8, OperandMix::NeuralNet, 4000, &mut rng);
    let small = ints
        .iter()
        .map(|&x| x as u8 as i8)
        .filter(|v| (-16..16).contains(v))
        .count();
    assert!(ints.iter().all(|&x| (-64..64).contains(&(x as u8 as i8))));
    assert!(small > 3000, "{small}");
}

fn figures(unit: FpUnit) -> UnitFigures {
    fp_unit_figures(
        unit,
        &FpUnitConfig::default(),
        &CellLibrary::nangate45(),
        2048,
        3,
    )
    .unwrap()
}

/// The figures are the netlist's own: cells, area, delay and depth as `gates` computes them;
/// energy reproducible for a seed; two different streams give different energies.
#[test]
fn unit_figures_are_the_netlists_own() {
    let lib = CellLibrary::nangate45();
    let unit = FpUnit::Adder(FloatFormat::FP16);
    let f = figures(unit);
    let net = unit.build(&FpUnitConfig::default()).unwrap();
    let s = net.stats();
    assert_eq!(f.unit, "FP16 adder");
    assert_eq!(f.cells, net.instances().len());
    assert_eq!((f.gates, f.depth, f.registers), (s.gates, s.depth, 0));
    assert_eq!(f.two_input_equivalents, s.two_input_equivalents);
    assert!((f.random.area_um2 - net.area_um2(&lib)).abs() < 1e-9);
    assert!((f.random.delay_ns - net.timing(&lib).delay_ns).abs() < 1e-12);
    assert_eq!(f.random.area_um2, f.nn.area_um2);
    assert_eq!(figures(unit), f, "same seed, same figures");
    assert_ne!(f.random.energy_pj(), f.nn.energy_pj());
    assert_eq!(f.random.transitions, 64 * 31);
    let e = fp_unit_figures(unit, &FpUnitConfig::default(), &lib, 100, 1).unwrap_err();
    assert!(e.to_string().contains("ops"), "{e}");
}

/// Wider formats cost more: area, energy and critical path of adders and multipliers grow
/// from FP8 to FP16 to FP32, and the multiplier's significand product makes it grow faster.
#[test]
fn adders_and_multipliers_grow_with_the_format() {
    use FloatFormat as F;
    let mul: Vec<UnitFigures> = [F::FP8_E4M3, F::BF16, F::FP16, F::FP32]
        .map(|f| figures(FpUnit::Multiplier(f)))
        .into();
    let add: Vec<UnitFigures> = [F::FP8_E4M3, F::FP16, F::FP32]
        .map(|f| figures(FpUnit::Adder(f)))
        .into();
    for w in mul.windows(2).chain(add.windows(2)) {
        let (lo, hi) = (&w[0], &w[1]);
        assert!(
            hi.random.area_um2 > lo.random.area_um2,
            "{} vs {}",
            lo.unit,
            hi.unit
        );
        assert!(
            hi.random.energy_pj() > lo.random.energy_pj(),
            "{} vs {}",
            lo.unit,
            hi.unit
        );
        assert!(hi.cells > lo.cells && hi.two_input_equivalents > lo.two_input_equivalents);
    }
    let (m16, m32, a16, a32) = (&mul[2], &mul[3], &add[1], &add[2]);
    assert!(m32.random.delay_ns > m16.random.delay_ns && a32.random.delay_ns > a16.random.delay_ns);
    // FP32 multiplier / FP16 multiplier grows about with the significand product (24² / 11²
    // for the tree); the adder about linearly (24 / 11 bits): the multiplier's ratio is larger.
    let mr = m32.random.area_um2 / m16.random.area_um2;
    let ar = a32.random.area_um2 / a16.random.area_um2;
    assert!(mr > ar && ar > 1.5 && mr < 24.0 * 24.0 / 121.0, "{mr} {ar}");
    // An FMA holds a multiplier and an adder's worth of alignment and rounding.
    let fma = figures(FpUnit::Fma {
        mul: F::FP16,
        acc: F::FP32,
    });
    assert!(fma.random.area_um2 > m16.random.area_um2 + a16.random.area_um2 / 2.0);
    assert!(fma.random.delay_ns > m16.random.delay_ns);
}

/// The course's comparison from gates: INT8 MAC < FP8 MAC < FP16 MAC < FP32 MAC in area and
/// in energy (random and NN-like operands), each MAC with its accumulator register.
#[test]
fn int8_mac_beats_every_floating_point_mac() {
    let rows = mac_comparison(&FpUnitConfig::default(), &CellLibrary::nangate45(), 32, 11).unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r.unit.as_str()).collect();
    assert_eq!(
        names,
        [
            INT8_MAC_NAME,
            "FP8 E4M3→FP16 MAC",
            "FP8 E5M2→FP16 MAC",
            "FP8 E4M3→FP32 MAC",
            "FP8 E5M2→FP32 MAC",
            "FP16 MAC (FP16 acc)",
            "BF16→FP32 MAC",
            "FP16→FP32 MAC",
            "FP32 MAC",
        ]
    );
    let by = |n: &str| rows.iter().find(|r| r.unit == n).unwrap();
    let chain = [
        INT8_MAC_NAME,
        "FP8 E4M3→FP32 MAC",
        "FP16→FP32 MAC",
        "FP32 MAC",
    ];
    for w in chain.windows(2) {
        let (lo, hi) = (by(w[0]), by(w[1]));
        assert!(
            hi.random.area_um2 > lo.random.area_um2,
            "{} vs {}",
            lo.unit,
            hi.unit
        );
        assert!(
            hi.random.energy_pj() > lo.random.energy_pj(),
            "{} vs {}",
            lo.unit,
            hi.unit
        );
        assert!(
            hi.nn.energy_pj() > lo.nn.energy_pj(),
            "{} vs {}",
            lo.unit,
            hi.unit
        );
    }
    // every MAC has its accumulator register: 32 flip-flops for INT32/FP32, 16 for FP16
    assert_eq!(by(INT8_MAC_NAME).registers, 32);
    assert_eq!(by("FP8 E4M3→FP16 MAC").registers, 16);
    assert_eq!(by("FP32 MAC").registers, 32);
    // an FP16 accumulator is cheaper than an FP32 one for the same products
    assert!(by("FP16 MAC (FP16 acc)").random.area_um2 < by("FP16→FP32 MAC").random.area_um2);
    assert!(by("FP8 E4M3→FP16 MAC").random.area_um2 < by("FP8 E4M3→FP32 MAC").random.area_um2);
    // the FP32 MAC costs several INT8 MACs (textbook netlists: about 13x area here)
    let r = by("FP32 MAC").random.area_um2 / by(INT8_MAC_NAME).random.area_um2;
    assert!(r > 5.0 && r < 40.0, "{r}");
}

/// The MACs' random streams keep every accumulator finite for the whole run (unrestricted
/// encodings overflow FP32, FP16 -> FP16, BF16 -> FP32 and E5M2 -> FP16 accumulators within a
/// few clocks), checked with the soft float's fused step; unrestricted FP32 operands do not.
#[test]
fn mac_random_streams_never_overflow_the_accumulator() {
    use arithsim::cost::MAC_COMPARISON;
    use arithsim::float::FloatEnv;
    let env = FloatEnv::default();
    let run = |mul: FloatFormat, acc: FloatFormat, a: &[Vec<u64>], b: &[Vec<u64>]| -> usize {
        let mut accs = [0u64; 64];
        let mut bad = 0;
        for (at, bt) in a.iter().zip(b) {
            for (s, c) in accs.iter_mut().enumerate() {
                let wa = mul.convert(at[s], acc, &env).value;
                let wb = mul.convert(bt[s], acc, &env).value;
                *c = acc.fma(wa, wb, *c, &env).value;
                bad += usize::from(!acc.is_finite(*c));
            }
        }
        bad
    };
    for (mul, acc) in MAC_COMPARISON {
        let mut rng = SplitMix64::seed_from_u64(2014);
        let mut draw = || -> Vec<Vec<u64>> {
            (0..64)
                .map(|_| mac_operands(mul, acc, OperandMix::Random, 64, 64, &mut rng))
                .collect()
        };
        let (a, b) = (draw(), draw());
        assert_eq!(run(mul, acc, &a, &b), 0, "{mul:?} -> {acc:?}");
        // still random over a wide range: both signs, magnitudes over many binades
        let v: Vec<f64> = a
            .concat()
            .iter()
            .map(|&x| mul.bits_to_f64(x).abs())
            .collect();
        let (lo, hi) = v
            .iter()
            .fold((f64::MAX, 0f64), |(l, h), &x| (l.min(x), h.max(x)));
        assert!(hi / lo.max(f64::MIN_POSITIVE) > 1e3, "{mul:?}");
    }
    let f = FloatFormat::FP32;
    let mut rng = SplitMix64::seed_from_u64(2014);
    let mut draw = || -> Vec<Vec<u64>> {
        (0..64)
            .map(|_| float_operands(f, OperandMix::Random, 64, &mut rng))
            .collect()
    };
    let (a, b) = (draw(), draw());
    assert!(
        run(f, f, &a, &b) > 64 * 64 / 2,
        "unrestricted FP32 operands overflow"
    );
}
