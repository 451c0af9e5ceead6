//! Regression tests for issue 22 (gates, HDL, circuits, value parsing): one test per defect,
//! its story in the doc comment, as bitvec's `tests/issues.rs` does. Each failed (panicked,
//! aborted, hung or gave a wrong answer) before its fix.

use std::time::{Duration, Instant};

use arithsim::Error;
use arithsim::circuits::adders::{AdderKind, prefix_schedule};
use arithsim::circuits::mac::{Mac, MacSpec};
use arithsim::circuits::multipliers::plan::{and_array_heights, dadda_targets};
use arithsim::circuits::multipliers::{Signedness, booth_digits, booth_rows};
use arithsim::gates::hdl::{Vcd, VerilogOptions, read_verilog};
use arithsim::gates::{Builder, Netlist, Wire};
use arithsim::limits;

/// Runs `f` on a thread with a 2 MB stack (the default for test threads), so a recursion
/// that needs more fails here, whatever the harness's own stack.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .expect("no panic or stack overflow")
}

fn chain(head: &str, unit: &str, n: usize, tail: &str) -> String {
    let mut s = String::with_capacity(head.len() + unit.len() * n + tail.len());
    s.push_str(head);
    for _ in 0..n {
        s.push_str(unit);
    }
    s.push_str(tail);
    s
}

/// `assign y = a & b & b ...` with 100,000 operators aborted the process with a stack
/// overflow: the parser folded the chain into a left-deep tree 100,000 levels deep, and
/// elaboration (and dropping the tree) recursed down it. Chains are now flat.
#[test]
fn verilog_long_and_chain_does_not_overflow_the_stack() {
    let net = on_small_stack(|| {
        let src = chain(
            "module m (input a, input b, output y);\n  assign y = a",
            " & b",
            100_000,
            ";\nendmodule\n",
        );
        read_verilog(&src).unwrap()
    });
    let out = net
        .eval_u64(&[("a", &[0, 0, 1, 1]), ("b", &[0, 1, 0, 1])])
        .unwrap();
    assert_eq!(out.get("y").unwrap(), &[0, 0, 0, 1]);
}

/// The same with `-` (an adder chain): `a - b - b ...` 100,000 times at 8 bits, checked
/// against the wrapped difference computed natively.
#[test]
fn verilog_long_subtraction_chain_is_exact() {
    let n = 100_000u64;
    let net = on_small_stack(move || {
        let src = chain(
            "module m (input [7:0] a, input [7:0] b, output [7:0] y);\n  assign y = a",
            " - b",
            n as usize,
            ";\nendmodule\n",
        );
        read_verilog(&src).unwrap()
    });
    let (a, b) = ([0u64, 200, 17, 255], [0u64, 3, 1, 255]);
    let out = net.eval_u64(&[("a", &a), ("b", &b)]).unwrap();
    let want: Vec<u128> = a
        .iter()
        .zip(&b)
        .map(|(&x, &y)| u128::from(x.wrapping_sub(y.wrapping_mul(n)) & 0xFF))
        .collect();
    assert_eq!(out.get("y").unwrap(), want.as_slice());
}

/// A mixed chain `a | b & a ^ b | b & a ^ b ...` (three precedence levels, 60,000
/// operators) also overflowed. By precedence it is `a | ((b & a) ^ b) | ...` = `a | b`.
#[test]
fn verilog_mixed_operator_chain_does_not_overflow_the_stack() {
    let net = on_small_stack(|| {
        let src = chain(
            "module m (input a, input b, output y);\n  assign y = a",
            " | b & a ^ b",
            20_000,
            ";\nendmodule\n",
        );
        read_verilog(&src).unwrap()
    });
    let out = net
        .eval_u64(&[("a", &[0, 0, 1, 1]), ("b", &[0, 1, 0, 1])])
        .unwrap();
    assert_eq!(out.get("y").unwrap(), &[0, 1, 1, 1]);
}

/// A 10 MB one-line expression aborted too. It is now refused quickly, with an error naming
/// the operand limit (`limits::VERILOG_MAX_EXPRESSION_OPERANDS`).
#[test]
fn verilog_ten_megabyte_expression_is_refused_by_its_limit() {
    let err = on_small_stack(|| {
        let src = chain(
            "module m (input a, input b, output y);\n  assign y = a",
            " ^ b",
            10_000_000 / 4,
            ";\nendmodule\n",
        );
        let t = Instant::now();
        let err = read_verilog(&src).unwrap_err();
        assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
        err
    });
    let msg = err.to_string();
    assert!(matches!(err, Error::Hdl { line: 2, .. }), "{msg}");
    assert!(msg.contains("VERILOG_MAX_EXPRESSION_OPERANDS"), "{msg}");
    assert!(
        msg.contains(&limits::VERILOG_MAX_EXPRESSION_OPERANDS.to_string()),
        "{msg}"
    );
}

/// Forty modules, each instantiating the next twice (2^40 leaf instances), ran for half a
/// minute and died allocating: the node budget was only checked while flattening. The
/// expanded size is now counted bottom-up first, and the import fails in milliseconds.
#[test]
fn verilog_doubling_hierarchy_is_refused_before_flattening() {
    let mut src = String::from("module m0 (input a, output y);\n  assign y = ~a;\nendmodule\n");
    for k in 1..=40 {
        src.push_str(&format!(
            "module m{k} (input a, output y);\n  wire t;\n  m{p} u0 (.a(a), .y(t));\n  m{p} u1 (.a(t), .y(y));\nendmodule\n",
            p = k - 1
        ));
    }
    let t = Instant::now();
    let err = read_verilog(&src).unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
    let msg = err.to_string();
    assert!(msg.contains("VERILOG_MAX_EXPANDED_BITS"), "{msg}");
    // A hierarchy of the same shape that fits is still read, and computes ~a 2^10 times.
    let small = src.split("module m11 ").next().unwrap().to_string();
    let net = read_verilog(&small).unwrap();
    let out = net.eval_u64(&[("a", &[0, 1])]).unwrap();
    assert_eq!(
        out.get("y").unwrap(),
        &[0, 1],
        "an even number of inversions"
    );
}

/// A random netlist of about `gates` gates (fixed xorshift seed).
fn random_netlist(gates: usize) -> Netlist {
    let mut b = Builder::new();
    let mut ws: Vec<Wire> = b.input("a", 32).unwrap();
    let mut s = 0x2545_F491_4F6C_DD1Du64;
    let mut rnd = move |n: usize| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s % n as u64) as usize
    };
    while b.len() < gates {
        let n = ws.len();
        let x = ws[n - 1 - rnd(n.min(64))];
        let y = ws[n - 1 - rnd(n.min(64))];
        let z = ws[n - 1 - rnd(n.min(64))];
        match rnd(4) {
            0 => ws.push(b.xor(x, y)),
            1 => ws.push(b.and(x, y)),
            2 => ws.push(b.mux(x, y, z)),
            _ => {
                let (s, c) = b.full_adder(x, y, z);
                ws.push(s);
                ws.push(c);
            }
        }
    }
    let outs = ws[ws.len() - 32..].to_vec();
    b.output("y", &outs).unwrap();
    b.finish().unwrap()
}

/// Re-reading the crate's own 2M-gate export did not finish in a minute: every declared
/// signal was checked against a list of those already seen (quadratic in the declarations;
/// instance ports likewise). Import is now linear: four times the gates takes about four
/// times as long (a quadratic import takes sixteen). The 2M-gate figure is measured by
/// `cargo run --release --example hdl_import_scale` (docs/PERFORMANCE.md).
#[test]
fn verilog_import_time_is_linear_in_the_netlist() {
    let time = |gates: usize| {
        let net = random_netlist(gates);
        let text = net.to_verilog(&VerilogOptions::new("lin")).unwrap();
        let t = Instant::now();
        let back = read_verilog(&text).unwrap();
        let dt = t.elapsed().as_secs_f64();
        assert_eq!(back.gate_count(), net.gate_count());
        dt
    };
    time(10_000); // warm up
    let small = time(50_000);
    let large = time(200_000);
    assert!(
        large < 8.0 * small + 0.5,
        "50k gates: {small:.3} s, 200k gates: {large:.3} s (quadratic would be 16x)"
    );
}

/// Port names that are Verilog keywords (`wand`, `time`, `real`, `event`, `table`, `edge`:
/// the exporter knew only a partial list) were written as plain identifiers, which Yosys and
/// Icarus refuse. They are now escaped from the full IEEE 1364-2005 list, and the importer
/// reads the escaped names back as names.
#[test]
fn verilog_export_escapes_every_reserved_word() {
    let names = [
        "wand", "time", "real", "event", "table", "edge", "uwire", "config",
    ];
    let mut b = Builder::new();
    let mut acc = None;
    for n in names {
        let w = b.input(n, 1).unwrap()[0];
        acc = Some(match acc {
            None => w,
            Some(a) => b.xor(a, w),
        });
    }
    b.output("wor", &[acc.unwrap()]).unwrap();
    let net = b.finish().unwrap();
    let text = net.to_verilog(&VerilogOptions::new("keywords")).unwrap();
    for n in names.iter().chain(&["wor"]) {
        assert!(text.contains(&format!("\\{n} ")), "{n} escaped in:\n{text}");
    }
    let back = read_verilog(&text).unwrap();
    let ins: Vec<&str> = back.inputs().iter().map(|p| p.name()).collect();
    assert_eq!(ins, names);
    let ones = [1u64];
    let inputs: Vec<(&str, &[u64])> = names.iter().map(|&n| (n, &ones[..])).collect();
    assert_eq!(back.eval_u64(&inputs).unwrap().get("wor").unwrap(), &[0]);
}

/// The importer accepted a keyword as a port name (`input table`), which no Verilog tool
/// reads; it is now an error at the name.
#[test]
fn verilog_import_refuses_a_keyword_as_a_port_name() {
    let err = read_verilog("module m (input a, output table);\n  assign table = a;\nendmodule")
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Hdl {
                line: 1,
                column: 27,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("reserved word"), "{err}");
}

/// A 4-bit signal connected to a 1-bit instance input was silently truncated to its low
/// bit (and a narrower output connection dropped the port's high bits); both are errors now.
#[test]
fn verilog_import_refuses_instance_port_width_mismatch() {
    let sub = "module inv (input [0:0] a, output [1:0] y);\n  assign y = {a, ~a};\nendmodule\n";
    let wide_in = format!(
        "{sub}module top (input [3:0] x, output [1:0] y);\n  inv u (.a(x), .y(y));\nendmodule\n"
    );
    let err = read_verilog(&wide_in).unwrap_err();
    assert!(
        matches!(err, Error::Hdl { line: 5, .. }) && err.to_string().contains("truncated"),
        "{err}"
    );
    let narrow_out =
        format!("{sub}module top (input x, output y);\n  inv u (.a(x), .y(y));\nendmodule\n");
    let err = read_verilog(&narrow_out).unwrap_err();
    assert!(
        matches!(err, Error::Hdl { line: 5, .. }) && err.to_string().contains("output `y`"),
        "{err}"
    );
    // Exact widths, a narrower (zero-extended) input and an unsized constant that fits are
    // still fine.
    let ok = format!(
        "{sub}module top (input x, output [1:0] y, output [1:0] z);\n  inv u (.a(x), .y(y));\n  inv v (.a(0), .y(z));\nendmodule\n"
    );
    let net = read_verilog(&ok).unwrap();
    let out = net.eval_u64(&[("x", &[0, 1])]).unwrap();
    assert_eq!(out.get("y").unwrap(), &[0b01, 0b10]);
    assert_eq!(out.get("z").unwrap(), &[0b01, 0b01]);
}

/// A blocking `=` in a clocked block was read as a flip-flop like `<=`, outside the stated
/// subset (and with different semantics in a simulator when statements depend on each
/// other); it is now an error at the `=`.
#[test]
fn verilog_import_refuses_blocking_assignment_in_clocked_block() {
    let err = read_verilog(
        "module m (input clk, input d, output q);\n  reg r;\n  always @(posedge clk) r = d;\n  assign q = r;\nendmodule",
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Hdl {
                line: 3,
                column: 27,
                ..
            }
        ) && err.to_string().contains("<="),
        "{err}"
    );
}

/// `dadda_targets(u32::MAX)` overflowed `3 * d / 2` (a panic in debug, an endless loop that
/// allocated until abort in release). It now computes in u64: the sequence below 2^32.
#[test]
fn dadda_targets_of_the_largest_height_is_finite() {
    let t = dadda_targets(u32::MAX);
    assert_eq!(t.last(), Some(&2));
    assert!(
        t.windows(2)
            .all(|w| w[0] > w[1] && u64::from(w[1]) * 3 / 2 == u64::from(w[0]))
    );
    assert!(u64::from(t[0]) * 3 / 2 >= u64::from(u32::MAX));
}

/// `and_array_heights(u32::MAX, u32::MAX)` overflowed `n + m` (debug) or tried to allocate
/// and loop 2^64 times (release). Widths above the limit are now an error, and the heights
/// are computed in closed form.
#[test]
fn and_array_heights_of_huge_widths_is_an_error() {
    for (n, m) in [
        (u32::MAX, u32::MAX),
        (u32::MAX, 1),
        (limits::REDUCTION_PLAN_MAX_WIDTH + 1, 8),
    ] {
        let err = and_array_heights(n, m).unwrap_err();
        assert!(matches!(err, Error::InvalidWidth { .. }), "{err}");
    }
    // Closed form against the double loop.
    for (n, m) in [(0u32, 5u32), (1, 1), (5, 3), (3, 5), (8, 8), (13, 2)] {
        let mut want = vec![0u32; (n + m) as usize];
        for i in 0..n as usize {
            for j in 0..m as usize {
                want[i + j] += 1;
            }
        }
        assert_eq!(and_array_heights(n, m).unwrap(), want, "{n}x{m}");
    }
    let big = and_array_heights(limits::REDUCTION_PLAN_MAX_WIDTH, 3).unwrap();
    assert_eq!(
        big.iter().map(|&h| u64::from(h)).sum::<u64>(),
        3 * (1 << 16)
    );
}

/// `prefix_schedule(KoggeStone, usize::MAX)` tried to allocate n·log n pairs and aborted.
/// Widths above `limits::PREFIX_SCHEDULE_MAX_WIDTH` are now an error.
#[test]
fn prefix_schedule_of_huge_width_is_an_error() {
    for n in [usize::MAX, limits::PREFIX_SCHEDULE_MAX_WIDTH + 1] {
        assert!(matches!(
            prefix_schedule(AdderKind::KoggeStone, n),
            Err(Error::InvalidWidth { .. })
        ));
    }
    let ks = prefix_schedule(AdderKind::KoggeStone, limits::PREFIX_SCHEDULE_MAX_WIDTH).unwrap();
    assert_eq!(ks.len(), 16);
}

/// `booth_rows(u32::MAX - 1, Unsigned)` overflowed `m + 2` (a panic in debug builds).
#[test]
fn booth_rows_of_the_largest_widths_does_not_overflow() {
    assert_eq!(
        booth_rows(u32::MAX - 1, Signedness::Unsigned),
        u32::MAX / 2 + 1
    );
    assert_eq!(booth_rows(u32::MAX, Signedness::Unsigned), u32::MAX / 2 + 1);
    assert_eq!(booth_rows(u32::MAX, Signedness::Signed), u32::MAX / 2 + 1);
}

/// `booth_digits(256, 8, Unsigned)` recoded only the low 8 bits, silently giving the digits
/// of 0. A value that does not fit is now an error (a signed value may be sign-extended).
#[test]
fn booth_digits_refuses_bits_above_the_width() {
    assert!(matches!(
        booth_digits(256, 8, Signedness::Unsigned),
        Err(Error::OutOfRange { .. })
    ));
    assert!(booth_digits(1, 65, Signedness::Unsigned).is_err());
    assert!(booth_digits(1, 0, Signedness::Unsigned).is_err());
    let value = |d: &[i8]| {
        d.iter()
            .rev()
            .fold(0i128, |acc, &x| acc * 4 + i128::from(x))
    };
    let neg = booth_digits((-5i64) as u64, 8, Signedness::Signed).unwrap();
    assert_eq!(value(&neg), -5);
    assert_eq!(neg, booth_digits(0xFB, 8, Signedness::Signed).unwrap());
    assert_eq!(
        value(&booth_digits(u64::MAX, 64, Signedness::Unsigned).unwrap()),
        i128::from(u64::MAX)
    );
}

/// `Mac::accumulate` on an 8-bit MAC took operand 256 as 0 (its high bit dropped) while the
/// same netlist's `eval_u64` refuses it. It is now an `OutOfRange` error.
#[test]
fn mac_accumulate_refuses_operands_wider_than_the_unit() {
    let mac = Mac::new(MacSpec::INT8_INT32).unwrap();
    let err = mac.accumulate(&[3, 256], &[4, 1]).unwrap_err();
    assert!(matches!(err, Error::OutOfRange { .. }), "{err}");
    assert!(mac.accumulate(&[3], &[u64::MAX]).is_err());
    // Signed INT8: the pattern 255 is -1, so 3·4 + (-1)·1 = 11.
    assert_eq!(mac.accumulate(&[3, 255], &[4, 1]).unwrap(), vec![12, 11]);
    let wide = Mac::new(MacSpec::new(64, 128, Signedness::Unsigned)).unwrap();
    assert_eq!(
        wide.accumulate(&[u64::MAX], &[2]).unwrap(),
        vec![u128::from(u64::MAX) * 2]
    );
}

/// `Vcd::probe` accepted names that corrupt the file: `$end` ends the `$var` command early,
/// `#1` reads as a time stamp, `a[3]` as bit 3 of `a`. Names must now be simple identifiers;
/// the accepted ones read back through the `vcd` crate under the same name.
#[test]
fn vcd_probe_refuses_names_that_corrupt_the_file() {
    let net = arithsim::circuits::adders::adder(AdderKind::RippleCarry, 4).unwrap();
    let w = net.wire(2).unwrap();
    let mut vcd = Vcd::new(&net, "top", "1ns").unwrap();
    for bad in ["$end", "#1", "a[3]", "", "x y", "1a", "a.b", "\\x", "b!"] {
        assert!(
            matches!(vcd.probe(bad, &[w]), Err(Error::InvalidParameter { .. })),
            "{bad:?}"
        );
    }
    assert!(Vcd::new(&net, "$end", "1ns").is_err());
    let good = ["b1010", "_x", "s$1", "end", "wire"];
    for g in good {
        vcd.probe(g, &[w]).unwrap();
    }
    assert!(
        vcd.probe("b1010", &[w]).is_err(),
        "a second probe of one name"
    );
    let sim = arithsim::gates::Simulator::new(&net, 1).unwrap();
    vcd.sample(&sim, 0, 0).unwrap();
    let text = vcd.finish(1);
    let mut names = Vec::new();
    for cmd in vcd::Parser::new(text.as_bytes()) {
        if let vcd::Command::VarDef(_, _, _, name, _) = cmd.unwrap() {
            names.push(name);
        }
    }
    assert_eq!(names, good);
}

/// Found in the fresh hostile pass: `dadda_plan(&[u32::MAX])` placed counters one at a time
/// (2^31 steps per column per stage: a hang), and a plan's stage could overflow a column's
/// count. Stages are now computed in closed form, and plans refuse more than
/// `limits::REDUCTION_PLAN_MAX_BITS` bits in all.
#[test]
fn reduction_plans_of_huge_heights_are_fast_or_refused() {
    use arithsim::circuits::multipliers::plan::{dadda_plan, dadda_stage, wallace_plan};
    let t = Instant::now();
    let p = dadda_plan(&[u32::MAX, 0]).unwrap();
    assert!(p.final_heights.iter().all(|&h| h <= 2));
    let w = wallace_plan(&[u32::MAX]).unwrap();
    assert!(w.final_heights.iter().all(|&h| h <= 2));
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    assert!(dadda_plan(&[u32::MAX, 1]).is_err());
    assert!(wallace_plan(&[u32::MAX; 3]).is_err());
    // The closed form agrees with the one-at-a-time placement on every small column.
    for height in 0..40u32 {
        for carries in 0..6u32 {
            for target in 2..12u32 {
                let stage = dadda_stage(&[carries * 2 + 1, height], target);
                // One counter at a time, as the definition reads.
                let mut available = height;
                let mut h = height + stage.full_adders[0] + stage.half_adders[0];
                let (mut f, mut ha) = (0, 0);
                while h > target {
                    if h - target >= 2 && available >= 3 {
                        f += 1;
                        available -= 3;
                        h -= 2;
                    } else if available >= 2 {
                        ha += 1;
                        available -= 2;
                        h -= 1;
                    } else {
                        break;
                    }
                }
                assert_eq!(
                    (stage.full_adders[1], stage.half_adders[1]),
                    (f, ha),
                    "height {height}, carries in {}, target {target}",
                    stage.full_adders[0] + stage.half_adders[0]
                );
            }
        }
    }
}

/// Issue 23: `Simulator::step_with` appended to its output while the docs' VCD example read
/// `out.get("acc")?[0]` each cycle, so it read the first cycle's value forever. `step_with`
/// and `run` now both replace the output with this call's values.
#[test]
fn step_with_and_run_hold_only_this_calls_outputs() {
    use arithsim::circuits::mac::{Mac, MacSpec};
    use arithsim::gates::{BatchOutput, Simulator};
    let mac = Mac::new(MacSpec::INT8_INT32).unwrap();
    let mut sim = Simulator::new(mac.netlist(), 1).unwrap();
    let mut out = BatchOutput::default();
    let mut acc = 0u128;
    for (a, b) in [(3u64, 4u64), (5, 6), (7, 8)] {
        sim.step_with(&[("a", &[a]), ("b", &[b])], &mut out)
            .unwrap();
        acc += u128::from(a * b);
        assert_eq!(out.len(), 1);
        assert_eq!(out.get("acc").unwrap(), [acc]);
    }
    let net = arithsim::circuits::adders::ripple_carry_adder(4).unwrap();
    let mut sim = Simulator::new(&net, 1).unwrap();
    for (a, b) in [(1u64, 2u64), (7, 7)] {
        sim.run(&[("a", &[a]), ("b", &[b]), ("cin", &[0])], &mut out)
            .unwrap();
        assert_eq!(out.get("sum").unwrap(), [u128::from((a + b) & 15)]);
    }
}
