//! VCD waveforms read back with the `vcd` crate (an independent parser): every recorded
//! signal at every time step equals the simulation, for an INT8 MAC over 16 clocks and for a
//! combinational adder; bad arguments are errors.

use std::collections::HashMap;

use arithsim::circuits::adders::{AdderKind, adder};
use arithsim::circuits::mac::{Mac, MacSpec};
use arithsim::gates::hdl::Vcd;
use arithsim::gates::{BatchOutput, Simulator};
use vcd::{Command, Value};

/// Each signal's (time, value) changes.
type Changes = HashMap<String, Vec<(u64, u128)>>;

/// Parses VCD text into: name → width, the changes, and the last time stamp.
fn parse(text: &str) -> (HashMap<String, u32>, Changes, u64) {
    let mut codes = HashMap::new();
    let mut widths = HashMap::new();
    let mut changes: Changes = HashMap::new();
    let mut t = 0;
    let bits = |vals: &mut dyn Iterator<Item = Value>| {
        vals.fold(0u128, |acc, v| {
            (acc << 1)
                | match v {
                    Value::V1 => 1,
                    Value::V0 => 0,
                    other => panic!("unexpected value {other:?}"),
                }
        })
    };
    for cmd in vcd::Parser::new(text.as_bytes()) {
        match cmd.expect("the VCD parses") {
            Command::VarDef(_, size, code, name, _) => {
                codes.insert(code, name.clone());
                widths.insert(name, size);
            }
            Command::Timestamp(x) => t = x,
            Command::ChangeScalar(code, v) => {
                changes
                    .entry(codes[&code].clone())
                    .or_default()
                    .push((t, bits(&mut std::iter::once(v))));
            }
            Command::ChangeVector(code, v) => {
                changes
                    .entry(codes[&code].clone())
                    .or_default()
                    .push((t, bits(&mut v.iter())));
            }
            _ => {}
        }
    }
    (widths, changes, t)
}

/// The value of a signal at time `t` from its change list.
fn at(changes: &[(u64, u128)], t: u64) -> u128 {
    changes
        .iter()
        .take_while(|c| c.0 <= t)
        .last()
        .expect("a value at t")
        .1
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[test]
fn mac_waveform_over_16_clocks_reads_back() {
    let mac = Mac::new(MacSpec::INT8_INT32).unwrap();
    let net = mac.netlist();
    let mut vcd = Vcd::new(net, "int8_mac", "1ns").unwrap();
    for p in ["a", "b", "acc"] {
        vcd.probe_port(p).unwrap();
    }
    let q: Vec<_> = net.registers().iter().map(|r| r.q).collect();
    vcd.probe("acc_q", &q).unwrap();
    let mut sim = Simulator::new(net, 1).unwrap();
    let mut out = BatchOutput::default();
    let mut seed = 3;
    let mut acc = 0i32;
    let mut expect = Vec::new();
    for t in 0..16u64 {
        let (a, b) = (splitmix(&mut seed) & 0xFF, splitmix(&mut seed) & 0xFF);
        let before = acc;
        acc = acc.wrapping_add(i32::from(a as u8 as i8) * i32::from(b as u8 as i8));
        expect.push((10 * t, a, b, acc as u32, before as u32));
        out.clear();
        sim.step_with(&[("a", &[a]), ("b", &[b])], &mut out)
            .unwrap();
        vcd.sample(&sim, 0, 10 * t).unwrap();
    }
    let text = vcd.finish(160);
    assert!(
        text.starts_with(
            "$version arithsim $end\n$timescale 1ns $end\n$scope module int8_mac $end\n"
        )
    );
    let (widths, changes, end) = parse(&text);
    assert_eq!(end, 160);
    assert_eq!(
        (widths["a"], widths["b"], widths["acc"], widths["acc_q"]),
        (8, 8, 32, 32)
    );
    for &(t, a, b, next, now) in &expect {
        assert_eq!(at(&changes["a"], t), u128::from(a), "a at {t}");
        assert_eq!(at(&changes["b"], t), u128::from(b), "b at {t}");
        assert_eq!(at(&changes["acc"], t), u128::from(next), "acc at {t}");
        assert_eq!(at(&changes["acc_q"], t), u128::from(now), "register at {t}");
    }
    // Only changes are written: no two consecutive entries of a signal hold the same value.
    for c in changes.values() {
        assert!(c.windows(2).all(|w| w[0].1 != w[1].1 && w[0].0 < w[1].0));
    }
}

#[test]
fn combinational_waveform_and_internal_wires() {
    let net = adder(AdderKind::RippleCarry, 4).unwrap();
    let mut vcd = Vcd::new(&net, "rca4", "10ps").unwrap();
    vcd.probe_port("a").unwrap();
    vcd.probe_port("cout").unwrap();
    // An internal wire: the first full adder's propagate a0 ^ b0 (inside a fused cell).
    assert_eq!(net.cells()[0].kind, arithsim::gates::CellKind::FullAdder);
    let inner = net.wire(net.cells()[0].first as usize).unwrap();
    vcd.probe("p0", &[inner]).unwrap();
    let mut sim = Simulator::new(&net, 1).unwrap();
    let mut out = BatchOutput::default();
    sim.step_with(&[("a", &[15u64]), ("b", &[1]), ("cin", &[0])], &mut out)
        .unwrap();
    // Fused cells' internal wires are not computed until fusion is off.
    assert!(vcd.sample(&sim, 0, 0).is_err());
    sim.set_fused(false);
    let vectors = [(15u64, 1u64), (3, 4), (9, 9), (1, 1)];
    for (t, &(a, b)) in vectors.iter().enumerate() {
        out.clear();
        sim.step_with(&[("a", &[a]), ("b", &[b]), ("cin", &[0])], &mut out)
            .unwrap();
        vcd.sample(&sim, 0, t as u64).unwrap();
    }
    let (_, changes, _) = parse(&vcd.finish(0));
    for (t, &(a, b)) in vectors.iter().enumerate() {
        let t = t as u64;
        assert_eq!(at(&changes["a"], t), u128::from(a));
        assert_eq!(at(&changes["cout"], t), u128::from(a + b > 15));
        assert_eq!(at(&changes["p0"], t), u128::from((a ^ b) & 1));
    }
}

#[test]
fn bad_arguments_are_errors() {
    let net = adder(AdderKind::RippleCarry, 4).unwrap();
    let other = adder(AdderKind::RippleCarry, 4).unwrap();
    assert!(Vcd::new(&net, "m", "3ns").is_err());
    assert!(Vcd::new(&net, "a b", "1ns").is_err());
    let mut vcd = Vcd::new(&net, "m", "1ns").unwrap();
    assert!(vcd.probe_port("nope").is_err());
    assert!(vcd.probe("x y", &[net.wire(2).unwrap()]).is_err());
    assert!(vcd.probe("x", &[]).is_err());
    assert!(vcd.probe("x", &[other.wire(2).unwrap()]).is_err());
    vcd.probe_port("sum").unwrap();
    let sim = Simulator::new(&net, 1).unwrap();
    assert!(vcd.sample(&sim, 64, 0).is_err());
    let sim2 = Simulator::new(&other, 1).unwrap();
    assert!(vcd.sample(&sim2, 0, 0).is_err());
    vcd.sample(&sim, 0, 5).unwrap();
    assert!(vcd.sample(&sim, 0, 4).is_err());
    assert!(vcd.probe_port("a").is_err());
}
