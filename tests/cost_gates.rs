//! Gate-derived costs of real generated circuits: exact area, reproducible energy, energy
//! that follows activity, and the sequential (MAC) path.

use arithsim::circuits::adders::{AdderKind, adder_without_carry_in};
use arithsim::circuits::mac::{Mac, MacSpec};
use arithsim::cost::{gate_cost_from_activity, gate_cost_random, gate_cost_with};
use arithsim::gates::{CellLibrary, LibCell};

#[test]
fn ripple_adder_area_is_its_full_adders_and_energy_is_reproducible() {
    let lib = CellLibrary::nangate45();
    let net = adder_without_carry_in(AdderKind::RippleCarry, 8).unwrap();
    let fa = lib.cell(LibCell::FullAdder);
    let a = gate_cost_random(&net, &lib, 4096, 7).unwrap();
    let b = gate_cost_random(&net, &lib, 4096, 7).unwrap();
    assert_eq!(a, b, "same seed, same figures");
    // Without a carry-in the first stage folds to a half adder: 7 FA + 1 HA.
    let ha = lib.cell(LibCell::HalfAdder);
    assert_eq!(a.instances, 8);
    assert!((a.area_um2 - (7.0 * fa.area_um2 + ha.area_um2)).abs() < 1e-9);
    // The carry chain: the half adder, then 7 full adders.
    assert!(
        (a.delay_ns - (ha.delay_ns + 7.0 * fa.delay_ns)).abs() < 1e-9,
        "{a:?}"
    );
    // Random operands: each sum bit toggles half the time; energy within sane bounds.
    assert!(a.toggles_per_op > 8.0 && a.toggles_per_op < 40.0, "{a:?}");
    assert!(a.energy_pj() > 0.01 && a.energy_pj() < 0.2, "{a:?}");
    assert_eq!(a.transitions, 64 * 63);
    // The energy is at the library's voltage, stated in the result; rescaling goes by V².
    assert_eq!(a.voltage_v, lib.voltage_v());
    assert_eq!(a.energy_pj_at(a.voltage_v), a.energy_pj());
    let k = 0.9 / a.voltage_v;
    assert!((a.energy_pj_at(0.9) - a.energy_pj() * k * k).abs() < 1e-15);
}

#[test]
fn energy_follows_activity() {
    let lib = CellLibrary::nangate45();
    let net = adder_without_carry_in(AdderKind::KoggeStone, 16).unwrap();
    // A constant stream toggles nothing: zero dynamic energy.
    let zeros = vec![0u64; 1024];
    let c = gate_cost_with(&net, &lib, &[("a", &zeros[..]), ("b", &zeros[..])]).unwrap();
    assert_eq!((c.energy_pj(), c.toggles_per_op), (0.0, 0.0));
    // a alternating 0 / all-ones every time step, b = 0: every a bit and every sum bit
    // toggles on every transition.
    let alt: Vec<u64> = (0..1024)
        .map(|i| if (i / 64) % 2 == 0 { 0 } else { 0xffff })
        .collect();
    let busy = gate_cost_with(&net, &lib, &[("a", &alt[..]), ("b", &zeros[..])]).unwrap();
    let random = gate_cost_random(&net, &lib, 1024, 3).unwrap();
    assert!(busy.energy_pj() > 0.0 && random.energy_pj() > 0.0);
    assert!(busy.toggles_per_op >= 32.0, "{busy:?}");
    assert_eq!(busy.area_um2, random.area_um2);
}

#[test]
fn a_mac_is_priced_from_its_clocked_activity() {
    let lib = CellLibrary::nangate45();
    let mac = Mac::new(MacSpec::INT8_INT32).unwrap();
    let clocks: Vec<Vec<u64>> = (0..32u64)
        .map(|t| (0..64u64).map(|s| (t * 37 + s * 11) & 0xff).collect())
        .collect();
    let run = mac.run(&clocks, &clocks, true).unwrap();
    let c = gate_cost_from_activity(mac.netlist(), &lib, &run.activity.unwrap()).unwrap();
    let dffs = 32.0 * lib.cell(LibCell::Dff).area_um2;
    assert!(c.area_um2 > dffs, "the accumulator register is in the area");
    assert!(c.energy_pj() > 0.0 && c.delay_ns > 0.0);
    assert_eq!(c.transitions, 64 * 31);
}
