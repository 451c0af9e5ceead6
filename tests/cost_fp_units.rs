//! Structure and gate-derived cost of the floating-point units and the MAC comparison:
//! the clocked cost path against the MAC runner, the per-label breakdown against the whole,
//! the operand streams, and orderings that must hold between formats.

use arithsim::circuits::adders::AdderKind;
use arithsim::circuits::mac::{Mac, int8_mac};
use arithsim::circuits::multipliers::{Signedness, dadda_multiplier};
use arithsim::cost::{SplitMix64, gate_cost_clocked, gate_cost_from_activity, label_breakdown};
use arithsim::gates::CellLibrary;

/// `gate_cost_clocked` (through `Simulator::step_with`) gives exactly the figures of the
/// MAC runner's own activity (`Mac::run`, bit by bit) on the same streams.
#[test]
fn clocked_cost_equals_the_mac_runner() {
    let lib = CellLibrary::nangate45();
    let mac = Mac::new(int8_mac()).unwrap();
    let mut rng = SplitMix64::new(5);
    let mut draw = || -> Vec<Vec<u64>> {
        (0..20)
            .map(|_| (0..64).map(|_| rng.next_u64() & 0xff).collect())
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
