//! The timed simulator's transition counts against Icarus Verilog's (feature `hdl-tools`;
//! needs `iverilog` and `vvp` on the PATH, which `.ci/run` installs).
//!
//! Each circuit is exported with transport delays (`always @(pins) y <= #d f(pins);`, see
//! [`Netlist::to_transport_verilog`]), a testbench applies the 64 lanes' operand streams one
//! after another, one vector per period longer than the circuit's settle time, and Icarus
//! dumps a VCD. A net's transitions are the changes of its value at the end of each time step
//! (the last value a VCD time step records; a pulse of zero width inside one time step is not
//! a transition, as in the crate's model), in every period except the first of each lane
//! (whose change comes from the previous lane's last vector, and at time 1 from `x`). They must
//! equal the crate's on every net, exactly.
#![cfg(feature = "hdl-tools")]

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

use arithsim::circuits::adders::{AdderKind, adder};
use arithsim::circuits::fp::{FpUnitConfig, fp_adder};
use arithsim::circuits::multipliers::{MultiplierSpec, PartialProducts, Reduction, Signedness};
use arithsim::cost::SplitMix64;
use arithsim::float::FloatFormat;
use arithsim::gates::{CellLibrary, LibCell, Netlist, TimedDelays, TimedSimulator};
use arithsim::rand_core::{Rng, SeedableRng};
use vcd::{Command as Vc, Value};

/// Operands per lane (the first only settles).
const STEPS: usize = 4;

fn run(dir: &PathBuf, tool: &str, args: &[&str]) {
    let out = Command::new(tool)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {tool} (install it, or test without --features hdl-tools): {e}")
        });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn check(name: &str, net: &Netlist, delays: &TimedDelays, seed: u64) {
    // operands: operand v is lane v % 64 at step v / 64
    let mut rng = SplitMix64::seed_from_u64(seed);
    let ports: Vec<(String, usize, Vec<u64>)> = net
        .inputs()
        .iter()
        .map(|p| {
            let w = p.width();
            assert!(w <= 64);
            let mask = if w == 64 { !0 } else { (1u64 << w) - 1 };
            let v = (0..64 * STEPS).map(|_| rng.next_u64() & mask).collect();
            (p.name().to_string(), w, v)
        })
        .collect();
    let named: Vec<(&str, &[u64])> = ports
        .iter()
        .map(|(n, _, v)| (n.as_str(), v.as_slice()))
        .collect();
    let mut sim = TimedSimulator::new(net, delays).unwrap();
    sim.run(&named).unwrap();
    let ours = sim.activity();
    let period = u64::from(sim.settle_time()) + 2;

    let dir = std::env::temp_dir().join(format!("arithsim-glitch-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("dut.v"),
        net.to_transport_verilog("dut", delays).unwrap(),
    )
    .unwrap();
    let mut tb = String::from("`timescale 1ns/1ns\nmodule tb;\n");
    let mut conns = Vec::new();
    for (n, w, _) in &ports {
        let _ = writeln!(tb, "  reg [{}:0] {n};", w - 1);
        conns.push(format!(".{n}({n})"));
    }
    for p in net.outputs() {
        let _ = writeln!(tb, "  wire [{}:0] {};", p.width() - 1, p.name());
        conns.push(format!(".{0}({0})", p.name()));
    }
    let _ = writeln!(tb, "  dut u ({});", conns.join(", "));
    tb.push_str("  initial begin\n    $dumpfile(\"t.vcd\");\n    $dumpvars(1, u);\n    #1;\n");
    for lane in 0..64 {
        for step in 0..STEPS {
            let v = 64 * step + lane;
            let assigns: Vec<String> = ports
                .iter()
                .map(|(n, w, vals)| format!("{n} = {w}'d{};", vals[v]))
                .collect();
            let _ = writeln!(tb, "    {} #{period};", assigns.join(" "));
        }
    }
    tb.push_str("    $finish;\n  end\nendmodule\n");
    std::fs::write(dir.join("tb.v"), tb).unwrap();
    run(&dir, "iverilog", &["-o", "sim.vvp", "dut.v", "tb.v"]);
    run(&dir, "vvp", &["-n", "sim.vvp"]);
    let text = std::fs::read(dir.join("t.vcd")).unwrap();

    // VCD -> per-net transitions between settled values of consecutive time steps
    let mut code_to_wire: HashMap<vcd::IdCode, usize> = HashMap::new();
    let mut last: HashMap<vcd::IdCode, Value> = HashMap::new();
    let mut pending: HashMap<vcd::IdCode, Value> = HashMap::new();
    let mut theirs = vec![0u64; net.wire_count()];
    let mut time = 0u64;
    let commit = |time: u64,
                  pending: &mut HashMap<vcd::IdCode, Value>,
                  last: &mut HashMap<vcd::IdCode, Value>,
                  theirs: &mut Vec<u64>,
                  map: &HashMap<vcd::IdCode, usize>| {
        let counted = time >= 1 && ((time - 1) / period) % STEPS as u64 != 0;
        for (code, v) in pending.drain() {
            let before = last.insert(code, v);
            if counted && before != Some(v) {
                if let Some(&w) = map.get(&code) {
                    theirs[w] += 1;
                }
            }
        }
    };
    for cmd in vcd::Parser::new(text.as_slice()) {
        match cmd.unwrap() {
            Vc::VarDef(_, 1, code, reference, _) => {
                if let Some(i) = reference
                    .strip_prefix('n')
                    .and_then(|d| d.parse::<usize>().ok())
                {
                    code_to_wire.insert(code, i);
                }
            }
            Vc::Timestamp(t) => {
                commit(time, &mut pending, &mut last, &mut theirs, &code_to_wire);
                time = t;
            }
            Vc::ChangeScalar(code, v) => {
                pending.insert(code, v);
            }
            _ => {}
        }
    }
    commit(time, &mut pending, &mut last, &mut theirs, &code_to_wire);
    assert!(!code_to_wire.is_empty(), "{name}: no nets in the VCD");
    let mut compared = 0;
    for (&_, &w) in &code_to_wire {
        assert_eq!(ours.toggles[w], theirs[w], "{name}: net n{w}");
        compared += 1;
    }
    // every wire with a transition in the crate is in the VCD
    let in_vcd: Vec<usize> = code_to_wire.values().copied().collect();
    for (w, &t) in ours.toggles.iter().enumerate() {
        assert!(
            t == 0 || in_vcd.contains(&w),
            "{name}: n{w} missing from the VCD"
        );
    }
    let glitches = ours.total() - sim.functional_activity().total();
    assert!(compared > 10);
    eprintln!(
        "{name}: {compared} nets equal, {} transitions, {glitches} glitches",
        ours.total()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn transition_counts_equal_icarus_on_every_net() {
    let lib = CellLibrary::nangate45();
    let d = TimedDelays::from_library(&lib, 0.01).unwrap();
    let mut odd = d.clone();
    odd.set(LibCell::FullAdder, 5).unwrap();
    odd.set(LibCell::Xor2, 9).unwrap();
    for (k, kind) in [
        AdderKind::RippleCarry,
        AdderKind::CarryLookahead { block: 4 },
        AdderKind::CarrySelect { block: 4 },
        AdderKind::CarrySkip { block: 4 },
        AdderKind::KoggeStone,
        AdderKind::BrentKung,
    ]
    .into_iter()
    .enumerate()
    {
        let net = adder(kind, 8).unwrap();
        check(&format!("adder-{k}"), &net, &d, k as u64);
    }
    for (k, (pp, red, s)) in [
        (
            PartialProducts::AndArray,
            Reduction::Array,
            Signedness::Unsigned,
        ),
        (
            PartialProducts::AndArray,
            Reduction::Dadda,
            Signedness::Unsigned,
        ),
        (
            PartialProducts::Booth4,
            Reduction::Wallace,
            Signedness::Signed,
        ),
        (
            PartialProducts::BaughWooley,
            Reduction::Compressor42,
            Signedness::Signed,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let spec =
            MultiplierSpec::new(8, 8, s, red, AdderKind::KoggeStone).with_partial_products(pp);
        let net = spec.build().unwrap();
        check(&format!("mul-{k}"), &net, &d, 10 + k as u64);
        if k == 1 {
            check("mul-dadda-odd", &net, &odd, 20);
        }
    }
    let fp16 = fp_adder(FloatFormat::FP16, &FpUnitConfig::default()).unwrap();
    check("fp16-adder", &fp16, &d, 30);
}
