//! Never a panic (issue 22), gates / HDL / circuits half: every public entry point that
//! takes a width, a size, a name or a text, driven with extreme values (0, 1, the limit, the
//! limit + 1, `u32::MAX`) and proptest-generated or mutated input, returns `Ok` or `Err`
//! within a time bound — never a panic, a stack overflow or a hang.
//!
//! Each call runs on its own thread with a 2 MB stack (so a deep recursion fails here) and a
//! deadline (`DEADLINE`, generous because the CI machine is shared; the calls are sized to
//! take milliseconds).

use std::sync::mpsc;
use std::time::Duration;

use arithsim::circuits::adders::{
    AdderKind, MAX_ADDER_WIDTH, adder, adder_subtractor, adder_without_carry_in, carry_save_adder,
    equality_comparator, incrementer, less_than_comparator, prefix_schedule,
};
use arithsim::circuits::fp::{FpUnitConfig, fp_adder, fp_converter, fp_fma, fp_multiplier};
use arithsim::circuits::mac::{Mac, MacSpec};
use arithsim::circuits::multipliers::plan::{and_array_heights, dadda_targets};
use arithsim::circuits::multipliers::{
    MAX_MULTIPLIER_WIDTH, Reduction, Signedness, array_multiplier, booth_digits, booth_multiplier,
    booth_rows, dadda_multiplier, wallace_multiplier,
};
use arithsim::float::FloatFormat;
use arithsim::gates::hdl::{Vcd, VerilogOptions, read_verilog, read_verilog_module};
use arithsim::gates::{Builder, Netlist, Simulator};
use proptest::prelude::*;

const DEADLINE: Duration = Duration::from_secs(20);

/// Runs `f` on a 2 MB-stack thread; fails the test on a panic, a stack overflow or a
/// missed deadline.
fn bounded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let h = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let r = f();
            let _ = tx.send(());
            r
        })
        .unwrap();
    match rx.recv_timeout(DEADLINE) {
        Ok(()) => h.join().unwrap_or_else(|_| panic!("{what}: panicked")),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: panicked"),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: over {DEADLINE:?}"),
    }
}

const WIDTHS: [u32; 8] = [0, 1, 2, 63, 64, 65, 129, u32::MAX];

#[test]
fn adders_at_extreme_widths() {
    for kind in AdderKind::ALL.into_iter().chain([
        AdderKind::CarrySelect { block: 0 },
        AdderKind::CarrySkip { block: u32::MAX },
        AdderKind::CarryLookahead { block: 1 },
    ]) {
        for w in WIDTHS
            .into_iter()
            .chain([MAX_ADDER_WIDTH, MAX_ADDER_WIDTH + 1])
        {
            bounded(&format!("{kind:?} {w}"), move || {
                let _ = adder(kind, w);
                let _ = adder_without_carry_in(kind, w);
                let _ = adder_subtractor(kind, w);
                let _ = incrementer(kind, w);
            });
        }
        for n in [0usize, 1, 2, 1 << 16, (1 << 16) + 1, usize::MAX] {
            bounded(&format!("schedule {kind:?} {n}"), move || {
                let _ = prefix_schedule(kind, n);
            });
        }
    }
    for w in WIDTHS {
        bounded(&format!("comparators {w}"), move || {
            let _ = equality_comparator(w);
            let _ = less_than_comparator(w, Signedness::Signed);
            let _ = less_than_comparator(w, Signedness::Unsigned);
            let _ = carry_save_adder(w);
        });
    }
}

#[test]
fn multipliers_and_plans_at_extreme_widths() {
    let ws = [
        0,
        1,
        2,
        MAX_MULTIPLIER_WIDTH,
        MAX_MULTIPLIER_WIDTH + 1,
        u32::MAX,
    ];
    for n in ws {
        for m in ws {
            // The full-size builds are the slow valid cases: one adder kind for them.
            let big = n == MAX_MULTIPLIER_WIDTH && m == MAX_MULTIPLIER_WIDTH;
            for s in [Signedness::Unsigned, Signedness::Signed] {
                bounded(&format!("multipliers {n}x{m} {s:?}"), move || {
                    let a = AdderKind::RippleCarry;
                    let _ = array_multiplier(n, m, s, a);
                    if !big {
                        let _ = wallace_multiplier(n, m, s, a);
                        let _ = dadda_multiplier(n, m, s, a);
                        let _ = booth_multiplier(n, m, s, Reduction::Dadda, a);
                    }
                    let _ = and_array_heights(n, m);
                    let _ = booth_digits(u64::MAX, n, s);
                    let _ = booth_rows(n, s);
                });
            }
        }
        bounded("dadda_targets", move || dadda_targets(n));
    }
}

#[test]
fn macs_and_fp_units_at_extreme_widths() {
    for w in WIDTHS {
        for acc in [0, 1, 2 * w.min(64), 128, 129, u32::MAX] {
            bounded(&format!("mac {w}/{acc}"), move || {
                if let Ok(mac) = Mac::new(MacSpec::new(w, acc, Signedness::Signed)) {
                    let _ = mac.accumulate(&[u64::MAX, 0, 1], &[u64::MAX, 1, 0]);
                    let _ = mac.accumulate(&[1], &[]);
                }
            });
        }
    }
    let formats = [
        FloatFormat::FP16,
        FloatFormat::BF16,
        FloatFormat::FP8_E4M3,
        FloatFormat::FP64,
    ];
    let cfg = FpUnitConfig::default();
    for f in formats {
        for g in formats {
            bounded(&format!("fp units {f:?} {g:?}"), move || {
                if f.width() <= 16 && g.width() <= 16 {
                    let _ = fp_converter(f, g, &cfg);
                    let _ = fp_fma(f, g, &cfg);
                }
                if f.width() > 32 {
                    let _ = fp_adder(f, &cfg);
                    let _ = fp_multiplier(f, &cfg);
                    let _ = fp_converter(f, g, &cfg);
                    let _ = fp_fma(f, g, &cfg);
                }
            });
        }
    }
}

#[test]
fn builder_simulator_and_vcd_with_extreme_sizes() {
    bounded("builder", || {
        let mut b = Builder::new();
        for w in WIDTHS {
            let _ = b.input(&format!("i{w}"), w);
        }
        let _ = b.input("", 1);
        let _ = b.input("i1", 1);
        let x = b.input("x", 4).unwrap();
        let _ = b.output("y", &[]);
        let _ = b.output("y", &x);
        let _ = b.output("y", &x);
        let net = b.finish().unwrap();
        for words in [0usize, 1, 1 << 16, (1 << 16) + 1, usize::MAX] {
            let _ = Simulator::new(&net, words);
        }
        let _ = net.eval_u64(&[("x", &[16, u64::MAX])]);
        let _ = net.eval_u64(&[("x", &[]), ("nope", &[1])]);
        let _ = net.eval_u128(&[("x", &[u128::MAX])]);
        for scope in ["", "$end", "top", "a b", "\u{0}"] {
            let _ = Vcd::new(&net, scope, "1ns");
        }
        for ts in ["", "1", "1000ns", "1ns ", "10 ns", "100fs"] {
            let _ = Vcd::new(&net, "top", ts);
        }
        let mut vcd = Vcd::new(&net, "top", "1ns").unwrap();
        for name in ["$end", "#1", "a[3]", "x", "x", "ok_1"] {
            let _ = vcd.probe(name, &x);
        }
        let sim = Simulator::new(&net, 1).unwrap();
        let _ = vcd.sample(&sim, 64, 0);
        let _ = vcd.sample(&sim, 0, u64::MAX);
        let _ = vcd.sample(&sim, 0, 0);
        vcd.finish(0)
    });
}

/// The crate's own exports, as seeds for mutation.
fn seeds() -> Vec<String> {
    let mut out = Vec::new();
    let nets: Vec<Netlist> = vec![
        adder(AdderKind::KoggeStone, 4).unwrap(),
        array_multiplier(3, 3, Signedness::Signed, AdderKind::RippleCarry).unwrap(),
        Mac::new(MacSpec::new(2, 6, Signedness::Unsigned))
            .unwrap()
            .netlist()
            .clone(),
    ];
    for n in &nets {
        out.push(n.to_verilog(&VerilogOptions::new("seed")).unwrap());
        out.push(
            n.to_verilog(&VerilogOptions::new("seed").with_cell_modules(true))
                .unwrap(),
        );
    }
    out
}

fn chain(unit: &str, n: usize) -> String {
    format!(
        "module m (input a, input b, output y);\n  assign y = a{};\nendmodule\n",
        unit.repeat(n)
    )
}

#[test]
fn verilog_import_of_deep_long_and_hostile_texts() {
    let mut texts = vec![
        String::new(),
        "module".into(),
        "module m(".into(),
        "module m (input a, output y); assign y = ".into(),
        chain(" & b", 200_000),
        chain(" - b", 50_000),
        chain(" | b & a ^ b ~^ a", 30_000),
        chain(" && b || a", 50_000),
        format!(
            "module m (input a, output y);\n  assign y = {}a{};\nendmodule",
            "(".repeat(100_000),
            ")".repeat(100_000)
        ),
        format!(
            "module m (input a, output y);\n  assign y = {}a;\nendmodule",
            "~".repeat(100_000)
        ),
        format!(
            "module m (input a, output y);\n  assign y = {}a{};\nendmodule",
            "{".repeat(50_000),
            "}".repeat(50_000)
        ),
        format!(
            "module m (input a, output y);\n  assign y = {} a;\nendmodule",
            "a ? a :".repeat(50_000)
        ),
        format!(
            "module m (input a, output [65535:0] y);\n  assign y = {{65536{{{{65536{{a}}}}}}}};\nendmodule"
        ),
        "module m (input [2147483647:0] a, output y); assign y = a[0]; endmodule".into(),
        "module m (input [-2147483648:2147483647] a, output y); endmodule".into(),
        "module m (input a, output y); assign y = 99999999999999999999999999999999999999999; endmodule".into(),
        "module m (input a, output y); assign y = 65536'h1; endmodule".into(),
        "module m (input a, output y); assign y = 18446744073709551616'h1; endmodule".into(),
        format!("module m (input a, output y); // {}\nendmodule", "/".repeat(1 << 20)),
        format!("module m (input a, output y); /* {}", "*".repeat(1 << 20)),
        format!("module {} (input a, output y); assign y = a; endmodule", "x".repeat(1 << 20)),
        format!("module m (input a, output y); wire {}; assign y = a; endmodule", (0..100_000).map(|i| format!("w{i}")).collect::<Vec<_>>().join(", ")),
    ];
    // A deep hierarchy (each level instantiates the next once) and a recursive one.
    let mut deep = String::from("module m0 (input a, output y); assign y = a; endmodule\n");
    for k in 1..2000 {
        deep.push_str(&format!(
            "module m{k} (input a, output y); m{} u (.a(a), .y(y)); endmodule\n",
            k - 1
        ));
    }
    texts.push(deep);
    texts.push("module a (input x, output y); b u (x, y); endmodule module b (input x, output y); a u (x, y); endmodule".into());
    for t in texts {
        let what = t.chars().take(60).collect::<String>();
        bounded(&what, move || {
            let _ = read_verilog(&t);
            let _ = read_verilog_module(&t, "m");
        });
    }
}

/// A hostile cell-like module: one-bit ports (so the importer tries to recognise it as a
/// cell by truth table) with a body that reuses each wire twice, 40 levels deep.
#[test]
fn verilog_cell_recognition_of_a_doubling_body_is_bounded() {
    let mut body = String::from("  wire w0 = a & b;\n");
    for k in 1..40 {
        body.push_str(&format!("  wire w{k} = w{p} & w{p};\n", p = k - 1));
    }
    let src = format!(
        "module c (input a, input b, output s, output co);\n{body}  assign s = w39 ^ a;\n  assign co = w39;\nendmodule\nmodule top (input a, input b, output s, output co);\n  c u (.a(a), .b(b), .s(s), .co(co));\nendmodule\n"
    );
    let net = bounded("doubling cell body", move || read_verilog(&src).unwrap());
    let out = net
        .eval_u64(&[("a", &[0, 1, 0, 1]), ("b", &[0, 0, 1, 1])])
        .unwrap();
    assert_eq!(out.get("co").unwrap(), &[0, 0, 0, 1]);
    assert_eq!(out.get("s").unwrap(), &[0, 1, 0, 0]);
}

/// Mutations of the crate's own exports: a byte replaced, deleted, duplicated or a slice
/// repeated.
fn mutate(text: &str, ops: &[(u8, usize, u8)]) -> String {
    let mut b = text.as_bytes().to_vec();
    for &(op, at, byte) in ops {
        if b.is_empty() {
            break;
        }
        let i = at % b.len();
        match op % 4 {
            0 => b[i] = byte,
            1 => {
                b.remove(i);
            }
            2 => b.insert(i, byte),
            _ => {
                let end = (i + 1 + byte as usize).min(b.len());
                let piece = b[i..end].to_vec();
                for _ in 0..(byte % 8) {
                    b.splice(i..i, piece.iter().copied());
                }
            }
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn verilog_import_of_mutated_exports(
        seed in 0usize..6,
        ops in proptest::collection::vec(
            (any::<u8>(), any::<usize>(), prop_oneof![
                Just(b'('), Just(b')'), Just(b';'), Just(b'['), Just(b']'), Just(b'{'),
                Just(b'}'), Just(b'&'), Just(b'~'), Just(b'9'), Just(b'\\'), Just(b' '),
                Just(b'\n'), Just(b'/'), Just(b'*'), Just(b'\''), Just(b','), any::<u8>()
            ]),
            1..8,
        ),
    ) {
        let text = mutate(&seeds()[seed], &ops);
        bounded("mutated export", move || { let _ = read_verilog(&text); });
    }

    #[test]
    fn verilog_import_of_random_token_soup(
        toks in proptest::collection::vec(prop_oneof![
            Just("module"), Just("endmodule"), Just("m"), Just("a"), Just("y"), Just("("),
            Just(")"), Just(";"), Just(","), Just("input"), Just("output"), Just("wire"),
            Just("reg"), Just("assign"), Just("="), Just("<="), Just("&"), Just("|"),
            Just("^"), Just("~"), Just("?"), Just(":"), Just("["), Just("]"), Just("{"),
            Just("}"), Just("1'b1"), Just("8'hFF"), Just("0"), Just("always"), Just("@"),
            Just("posedge"), Just("begin"), Just("end"), Just("+"), Just("-"), Just("."),
            Just("\\wire "), Just("and"), Just("not"), Just("table"),
        ], 0..80),
    ) {
        let text = toks.join(" ");
        bounded("token soup", move || { let _ = read_verilog(&text); });
    }

    #[test]
    fn verilog_export_with_hostile_port_names(name in "\\PC{0,12}", module in "\\PC{0,12}") {
        let mut b = Builder::new();
        if let Ok(x) = b.input(&name, 1) {
            let _ = b.output("y", &x);
        }
        if let Ok(net) = b.finish() {
            bounded("export", move || {
                if let Ok(text) = net.to_verilog(&VerilogOptions::new(&module)) {
                    // What the exporter writes, the importer reads.
                    read_verilog(&text).expect("an export reads back");
                }
                let _ = net.to_blif(&module);
            });
        }
    }
}
