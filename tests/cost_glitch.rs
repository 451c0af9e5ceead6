//! Glitch-aware energy: its zero-delay half against the zero-delay simulator's figures
//! (combinational and clocked), and the cost report's section 4c.

use arithsim::circuits::adders::{AdderKind, adder_without_carry_in};
use arithsim::circuits::mac::{Mac, MacSpec};
use arithsim::circuits::multipliers::{Signedness, array_multiplier, dadda_multiplier};
use arithsim::cost::report::{Cell, GlitchRow, Report, ReportInputs};
use arithsim::cost::{
    CostTable, OperandMix, SplitMix64, gate_cost_clocked, gate_cost_random, glitch_cost_clocked,
    glitch_cost_random, int_operands,
};
use arithsim::gates::{CellLibrary, TimedDelays};
use arithsim::rand_core::SeedableRng;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1e-9)
}

#[test]
fn zero_delay_half_equals_the_zero_delay_simulator() {
    let lib = CellLibrary::nangate45();
    let d = TimedDelays::from_library(&lib, 0.01).unwrap();
    let nets = [
        adder_without_carry_in(AdderKind::KoggeStone, 16).unwrap(),
        array_multiplier(16, 16, Signedness::Unsigned, AdderKind::RippleCarry).unwrap(),
        dadda_multiplier(16, 16, Signedness::Unsigned, AdderKind::KoggeStone).unwrap(),
        dadda_multiplier(8, 8, Signedness::Signed, AdderKind::BrentKung).unwrap(),
    ];
    let mut shares = Vec::new();
    for net in &nets {
        let g = glitch_cost_random(net, &lib, &d, 2048, 9).unwrap();
        let z = gate_cost_random(net, &lib, 2048, 9).unwrap();
        assert!(
            close(g.zero_delay.energy_pj(), z.energy_pj()),
            "{g:?} {z:?}"
        );
        assert!(close(g.zero_delay.internal_pj, z.internal_pj));
        assert_eq!(g.zero_delay.transitions, z.transitions);
        assert!(g.timed.energy_pj() >= g.zero_delay.energy_pj());
        // the timed critical path is the path delay with quantized cell delays: within half a
        // unit per cell on the path
        let t = net.timing(&lib).delay_ns;
        let bound = 0.005 * net.stats().depth as f64 + 1e-9;
        assert!((g.settle_ns - t).abs() <= bound, "{} vs {t}", g.settle_ns);
        shares.push(g.glitch_share());
    }
    // at 16 × 16 the array multiplier glitches more than the Dadda tree (section 4c: 68 %
    // against 47 %)
    assert!(shares[1] > shares[2], "{shares:?}");
}

/// The INT8 MAC with its accumulator register: the timed run's functional half prices the
/// same energy as the zero-delay simulator stepped clock by clock.
#[test]
fn clocked_mac_matches_gate_cost_clocked() {
    let lib = CellLibrary::nangate45();
    let d = TimedDelays::from_library(&lib, 0.01).unwrap();
    let mac = Mac::new(MacSpec::INT8_INT32).unwrap();
    let net = mac.netlist();
    let mut rng = SplitMix64::seed_from_u64(4);
    let mut draw = || -> Vec<Vec<u64>> {
        (0..12)
            .map(|_| int_operands(8, OperandMix::Random, 64, &mut rng))
            .collect()
    };
    let (a, b) = (draw(), draw());
    let (pa, pb) = (net.inputs()[0].name(), net.inputs()[1].name());
    let g = glitch_cost_clocked(net, &lib, &d, &[(pa, &a), (pb, &b)]).unwrap();
    let z = gate_cost_clocked(net, &lib, &[(pa, &a), (pb, &b)]).unwrap();
    assert_eq!(g.zero_delay.transitions, z.transitions);
    assert!(
        close(g.zero_delay.energy_pj(), z.energy_pj()),
        "{g:?} {z:?}"
    );
    assert!(g.glitch_share() > 0.0 && g.glitch_share() < 1.0);
    assert!(glitch_cost_clocked(net, &lib, &d, &[(pa, &a[..2]), (pb, &b[..2])]).is_err());
}

#[test]
fn report_section_4c_shows_both_energies_and_the_share() {
    let lib = CellLibrary::nangate45();
    let d = TimedDelays::from_library(&lib, 0.01).unwrap();
    let net = adder_without_carry_in(AdderKind::RippleCarry, 16).unwrap();
    let cost = glitch_cost_random(&net, &lib, &d, 1024, 1).unwrap();
    let inputs = ReportInputs {
        glitch_rows: vec![GlitchRow {
            circuit: "16-bit ripple".into(),
            cost: cost.clone(),
        }],
        glitch_notes: vec!["glitch note".into()],
        ..ReportInputs::default()
    };
    let r = Report::build(&CostTable::horowitz_45nm(), &inputs).unwrap();
    let s = r.section("glitch").unwrap();
    let row = &s.grid.rows[0];
    assert_eq!(row[2], Cell::Num(cost.zero_delay.energy_pj()));
    assert_eq!(row[3], Cell::Num(cost.timed.energy_pj()));
    assert_eq!(row[5], Cell::Num(100.0 * cost.glitch_share()));
    assert!(s.notes.iter().any(|n| n == "glitch note"));
    assert_eq!(s.charts[0].bars.len(), 1);
    // no rows, no section
    let none = Report::build(&CostTable::horowitz_45nm(), &ReportInputs::default()).unwrap();
    assert!(none.section("glitch").is_none());
}

/// A clocked cost is per machine per clock whatever the number of machines: one stream copied
/// onto 1, 2, 7 or 64 machines prices the same energy per operation (the lanes beyond the
/// machines are not counted), for the zero-delay and the timed simulation alike.
#[test]
fn clocked_cost_per_operation_does_not_depend_on_the_machine_count() {
    let lib = CellLibrary::nangate45();
    let d = TimedDelays::from_library(&lib, 0.01).unwrap();
    let mac = Mac::new(MacSpec::INT8_INT32).unwrap();
    let net = mac.netlist();
    let (pa, pb) = (net.inputs()[0].name(), net.inputs()[1].name());
    let mut rng = SplitMix64::seed_from_u64(9);
    let clocks = 16;
    let a1: Vec<u64> = int_operands(8, OperandMix::Random, clocks, &mut rng);
    let b1: Vec<u64> = int_operands(8, OperandMix::Random, clocks, &mut rng);
    let copies = |s: &[u64], k: usize| -> Vec<Vec<u64>> { s.iter().map(|&x| vec![x; k]).collect() };
    let at = |k: usize| {
        let (a, b) = (copies(&a1, k), copies(&b1, k));
        let z = gate_cost_clocked(net, &lib, &[(pa, &a), (pb, &b)]).unwrap();
        let g = glitch_cost_clocked(net, &lib, &d, &[(pa, &a), (pb, &b)]).unwrap();
        (z, g)
    };
    let (z64, g64) = at(64);
    for k in [1, 2, 7] {
        let (z, g) = at(k);
        assert_eq!(z.transitions * 64, z64.transitions * k as u64, "{k}");
        assert!(close(z.energy_pj(), z64.energy_pj()), "{k}: {z:?} {z64:?}");
        assert!(close(z.toggles_per_op, z64.toggles_per_op), "{k}");
        assert!(
            close(g.timed.energy_pj(), g64.timed.energy_pj()),
            "{k}: {g:?}"
        );
        assert!(close(g.zero_delay.energy_pj(), z.energy_pj()), "{k}");
    }
    // No machine at all is an error, not a NaN.
    let empty: Vec<Vec<u64>> = vec![Vec::new(); clocks];
    assert!(gate_cost_clocked(net, &lib, &[(pa, &empty), (pb, &empty)]).is_err());
    assert!(glitch_cost_clocked(net, &lib, &d, &[(pa, &empty), (pb, &empty)]).is_err());
}
