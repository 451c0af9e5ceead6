//! The timed (glitch-aware) simulator against an independent event-driven reference written
//! here (one lane at a time, a time-ordered event queue, scalar values, cells evaluated from
//! their netlist nodes), and its functional counts against the zero-delay simulator.

use std::collections::BTreeMap;

use arithsim::circuits::adders::{AdderKind, adder};
use arithsim::circuits::multipliers::{
    Signedness, array_multiplier, dadda_multiplier, wallace_multiplier,
};
use arithsim::cost::SplitMix64;
use arithsim::gates::{
    BatchOutput, CellLibrary, Instance, LibCell, Netlist, Op, Simulator, TimedDelays,
    TimedSimulator,
};
use arithsim::rand_core::{Rng, SeedableRng};

/// Zero-delay value of every node of `inst` from `vals` (nodes outside the instance).
fn eval_instance(net: &Netlist, inst: &Instance, vals: &[bool]) -> Vec<(u32, bool)> {
    let mut local: Vec<(u32, bool)> = Vec::new();
    let get = |local: &[(u32, bool)], x: u32| {
        local
            .iter()
            .find(|(w, _)| *w == x)
            .map_or(vals[x as usize], |v| v.1)
    };
    for i in inst.nodes.clone() {
        let n = net.nodes()[i as usize];
        let (a, b, c) = (get(&local, n.a), get(&local, n.b), get(&local, n.c));
        let v = match n.op {
            Op::Not => !a,
            Op::And => a & b,
            Op::Or => a | b,
            Op::Xor => a ^ b,
            Op::Nand => !(a & b),
            Op::Nor => !(a | b),
            Op::Xnor => !(a ^ b),
            Op::Mux => {
                if c {
                    b
                } else {
                    a
                }
            }
            op => panic!("unexpected {op:?} in an instance"),
        };
        local.push((i, v));
    }
    inst.outputs.iter().map(|&o| (o, get(&local, o))).collect()
}

/// Event-driven transport-delay reference: per-wire (all transitions, functional ones) over
/// the streams of every lane, first vector of each lane only settling.
fn reference(
    net: &Netlist,
    delays: &TimedDelays,
    lanes: &[Vec<Vec<bool>>],
) -> (Vec<u64>, Vec<u64>) {
    let inst = net.instances();
    let mut readers: Vec<Vec<usize>> = vec![Vec::new(); net.wire_count()];
    for (k, x) in inst.iter().enumerate() {
        for &i in &x.inputs {
            readers[i as usize].push(k);
        }
    }
    let in_wires: Vec<u32> = net
        .inputs()
        .iter()
        .flat_map(|p| p.wires().iter().map(|w| w.index() as u32))
        .collect();
    let mut all = vec![0u64; net.wire_count()];
    let mut func = vec![0u64; net.wire_count()];
    for stream in lanes {
        // settle on the first vector, zero-delay
        let mut vals = vec![false; net.wire_count()];
        vals[1] = true;
        for (&w, &v) in in_wires.iter().zip(&stream[0]) {
            vals[w as usize] = v;
        }
        for x in &inst {
            for (o, v) in eval_instance(net, x, &vals) {
                vals[o as usize] = v;
            }
        }
        for vector in &stream[1..] {
            let before = vals.clone();
            let mut queue: BTreeMap<u64, Vec<(u32, bool)>> = BTreeMap::new();
            queue.insert(
                0,
                in_wires
                    .iter()
                    .copied()
                    .zip(vector.iter().copied())
                    .collect(),
            );
            while let Some((t, events)) = queue.pop_first() {
                let prev = vals.clone();
                for (w, v) in events {
                    vals[w as usize] = v;
                }
                let mut touched: Vec<usize> = Vec::new();
                for w in 0..vals.len() {
                    if vals[w] != prev[w] {
                        all[w] += 1;
                        for &k in &readers[w] {
                            if !touched.contains(&k) {
                                touched.push(k);
                            }
                        }
                    }
                }
                for k in touched {
                    let d = u64::from(delays.get(inst[k].cell));
                    let outs = eval_instance(net, &inst[k], &vals);
                    queue.entry(t + d).or_default().extend(outs);
                }
            }
            for w in 0..vals.len() {
                func[w] += u64::from(vals[w] != before[w]);
            }
        }
    }
    (all, func)
}

/// Operands per input port: (name, operands).
type Ports = Vec<(String, Vec<u64>)>;
/// Per lane, per step, the input bits.
type LaneStreams = Vec<Vec<Vec<bool>>>;

/// Random operands for every input port, `steps` per lane, and the same as per-lane bit
/// vectors for the reference.
fn random_streams(net: &Netlist, steps: usize, seed: u64) -> (Ports, LaneStreams) {
    let mut rng = SplitMix64::seed_from_u64(seed);
    let ports: Vec<(String, Vec<u64>)> = net
        .inputs()
        .iter()
        .map(|p| {
            let mask = if p.width() >= 64 {
                !0
            } else {
                (1u64 << p.width()) - 1
            };
            (
                p.name().to_string(),
                (0..64 * steps).map(|_| rng.next_u64() & mask).collect(),
            )
        })
        .collect();
    let lanes = (0..64)
        .map(|l| {
            (0..steps)
                .map(|s| {
                    let v = 64 * s + l;
                    net.inputs()
                        .iter()
                        .zip(&ports)
                        .flat_map(|(p, (_, vals))| {
                            (0..p.width()).map(move |i| vals[v] >> i & 1 == 1)
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    (ports, lanes)
}

fn check(net: &Netlist, delays: &TimedDelays, steps: usize, seed: u64) -> (u64, u64) {
    let (ports, lanes) = random_streams(net, steps, seed);
    let named: Vec<(&str, &[u64])> = ports
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    let mut sim = TimedSimulator::new(net, delays).unwrap();
    sim.run(&named).unwrap();
    let (all, func) = reference(net, delays, &lanes);
    let act = sim.activity();
    let fun = sim.functional_activity();
    for w in 0..net.wire_count() {
        assert_eq!(act.toggles[w], all[w], "wire {w}: all transitions");
        assert_eq!(fun.toggles[w], func[w], "wire {w}: functional transitions");
    }
    assert_eq!(act.transitions, 64 * (steps as u64 - 1));
    // the zero-delay simulator counts the same functional transitions on every wire the
    // timed one keeps (instance pins)
    let mut zsim = Simulator::new(net, steps).unwrap();
    zsim.set_activity(true);
    zsim.run(&named, &mut BatchOutput::default()).unwrap();
    let z = zsim.activity().unwrap();
    let mut pins = vec![false; net.wire_count()];
    for x in net.instances() {
        for &w in x.inputs.iter().chain(&x.outputs) {
            pins[w as usize] = true;
        }
    }
    for w in (0..net.wire_count()).filter(|&w| pins[w]) {
        assert_eq!(
            z.toggles[w], fun.toggles[w],
            "wire {w}: zero-delay vs functional"
        );
    }
    (act.total(), fun.total())
}

#[test]
fn matches_event_driven_reference_on_adders_and_multipliers() {
    let lib = TimedDelays::from_library(&CellLibrary::nangate45(), 0.01).unwrap();
    let unit = TimedDelays::uniform(1, 0.01).unwrap();
    let mut odd = lib.clone();
    odd.set(LibCell::FullAdder, 3).unwrap();
    odd.set(LibCell::And2, 11).unwrap();
    let nets = [
        adder(AdderKind::RippleCarry, 8).unwrap(),
        adder(AdderKind::KoggeStone, 8).unwrap(),
        adder(AdderKind::CarrySelect { block: 3 }, 8).unwrap(),
        array_multiplier(6, 6, Signedness::Unsigned, AdderKind::RippleCarry).unwrap(),
        dadda_multiplier(6, 6, Signedness::Signed, AdderKind::BrentKung).unwrap(),
        wallace_multiplier(5, 7, Signedness::Unsigned, AdderKind::Sklansky).unwrap(),
    ];
    for (k, net) in nets.iter().enumerate() {
        for (j, d) in [&lib, &unit, &odd].into_iter().enumerate() {
            let (all, func) = check(net, d, 4, 7 * k as u64 + j as u64);
            assert!(all >= func);
            if k == 0 || k == 3 {
                // a ripple carry and an array multiplier glitch under any delays
                assert!(all > func, "net {k} delays {j}: no glitches");
            }
        }
    }
}

#[test]
fn a_balanced_circuit_has_no_glitches() {
    // one layer of XORs: every output sees its inputs switch at the same time
    let mut b = arithsim::gates::Builder::new();
    let x = b.input("x", 8).unwrap();
    let y: Vec<_> = (0..4).map(|i| b.xor(x[2 * i], x[2 * i + 1])).collect();
    b.output("y", &y).unwrap();
    let net = b.finish().unwrap();
    let d = TimedDelays::from_library(&CellLibrary::nangate45(), 0.01).unwrap();
    let (all, func) = check(&net, &d, 5, 3);
    assert_eq!(all, func);
    assert!(func > 0);
}

#[test]
fn bad_input_is_an_error() {
    let net = adder(AdderKind::RippleCarry, 4).unwrap();
    let d = TimedDelays::uniform(2, 0.01).unwrap();
    let mut sim = TimedSimulator::new(&net, &d).unwrap();
    let a = vec![0u64; 100];
    let e = sim
        .run(&[("a", &a), ("b", &a), ("cin", &a)])
        .unwrap_err()
        .to_string();
    assert!(e.contains("whole steps of 64"), "{e}");
    let big = vec![16u64; 64];
    assert!(
        sim.run(&[("a", &big), ("b", &a[..64]), ("cin", &a[..64])])
            .is_err()
    );
    assert!(sim.step_words(&[0; 3]).is_err());
    assert_eq!(sim.settle_time(), 8); // four full adders of 2 units
}
