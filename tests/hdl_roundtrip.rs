//! Verilog and BLIF export, Verilog import: every adder kind and every multiplier
//! architecture exported and read back simulates bit for bit like the original (exhaustive
//! at 8 bits, random vectors above); deterministic text; the supported subset and its error
//! positions; random and truncated input never panics.

use arithsim::Error;
use arithsim::circuits::adders::{AdderKind, adder};
use arithsim::circuits::fp::{FpUnitConfig, fp_adder};
use arithsim::circuits::mac::{Mac, MacSpec};
use arithsim::circuits::multipliers::{MultiplierSpec, PartialProducts, Reduction, Signedness};
use arithsim::cost::label_breakdown;
use arithsim::float::FloatFormat;
use arithsim::gates::hdl::{VerilogOptions, read_verilog, read_verilog_module};
use arithsim::gates::{BatchOutput, CellKind, CellLibrary, Netlist, Op, Simulator, Stats};
use proptest::prelude::*;

/// Every valid (partial products, signedness) pairing.
const ARCHS: [(PartialProducts, Signedness); 4] = [
    (PartialProducts::AndArray, Signedness::Unsigned),
    (PartialProducts::Booth4, Signedness::Unsigned),
    (PartialProducts::BaughWooley, Signedness::Signed),
    (PartialProducts::Booth4, Signedness::Signed),
];

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Input vectors for `net`: every combination when the inputs have at most 17 bits, else
/// `random` seeded vectors with all-zero and all-one forced in.
fn vectors(net: &Netlist, random: usize) -> Vec<Vec<u128>> {
    let widths: Vec<usize> = net.inputs().iter().map(|p| p.width()).collect();
    let total: usize = widths.iter().sum();
    let mask = |w: usize| if w == 128 { !0u128 } else { (1u128 << w) - 1 };
    let mut cols: Vec<Vec<u128>> = vec![Vec::new(); widths.len()];
    if total <= 17 {
        for v in 0u128..1 << total {
            let mut shift = 0;
            for (c, &w) in cols.iter_mut().zip(&widths) {
                c.push((v >> shift) & mask(w));
                shift += w;
            }
        }
    } else {
        let mut s = 0x5EED_u64 + total as u64;
        for k in 0..random {
            for (c, &w) in cols.iter_mut().zip(&widths) {
                let r = (u128::from(splitmix(&mut s)) << 64) | u128::from(splitmix(&mut s));
                c.push(match k {
                    0 => 0,
                    1 => mask(w),
                    _ => r & mask(w),
                });
            }
        }
    }
    cols
}

fn eval(net: &Netlist, cols: &[Vec<u128>]) -> BatchOutput {
    let named: Vec<(&str, &[u128])> = net
        .inputs()
        .iter()
        .zip(cols)
        .map(|(p, c)| (p.name(), c.as_slice()))
        .collect();
    net.eval_u128(&named).unwrap()
}

/// `back` has the same ports as `net` and computes the same bits on every vector.
fn assert_same(net: &Netlist, back: &Netlist, what: &str) {
    let ports = |n: &Netlist| -> Vec<(String, usize)> {
        n.inputs()
            .iter()
            .chain(n.outputs())
            .map(|p| (p.name().to_string(), p.width()))
            .collect()
    };
    assert_eq!(ports(net), ports(back), "{what}: ports");
    let cols = vectors(net, 2048);
    let (x, y) = (eval(net, &cols), eval(back, &cols));
    for p in net.outputs() {
        assert_eq!(
            x.get(p.name()).unwrap(),
            y.get(p.name()).unwrap(),
            "{what}: output {}",
            p.name()
        );
    }
}

/// The text without comment lines (labels and the header's counts are not read back).
fn code(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect()
}

/// The text without its first line (the header comment, whose cell count a flat import
/// cannot restore: a flat export writes cells as gates).
fn body(text: &str) -> Vec<&str> {
    text.lines().skip(1).collect()
}

/// Per label with gates or cells, sorted by path (the root first): its path, gates,
/// two-input equivalents and recorded cells. (Label order itself is the order labels were
/// first pushed, which the text does not keep: a parent label pushed before its
/// children's gates is listed after them on import.)
fn label_counts(s: &Stats) -> Vec<(String, u64, u64, [u64; 5])> {
    let mut v: Vec<_> = s
        .by_label
        .iter()
        .map(|l| (l.label.clone(), l.gates, l.two_input_equivalents, l.cells))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// As [`label_counts`] without the cells (a flat export writes cells as gates).
fn label_gates(s: &Stats) -> Vec<(String, u64, u64)> {
    label_counts(s)
        .into_iter()
        .map(|(l, g, t, _)| (l, g, t))
        .collect()
}

/// The labels of `net`'s gates, sorted: (label path, primitive).
fn gate_labels(net: &Netlist) -> Vec<(String, Op)> {
    let labels = net.node_labels();
    let mut v: Vec<(String, Op)> = net
        .nodes()
        .iter()
        .zip(&labels)
        .filter(|(n, _)| n.op.is_gate())
        .map(|(n, &l)| (net.labels()[l as usize].clone(), n.op))
        .collect();
    v.sort_by(|a, b| (&a.0, format!("{:?}", a.1)).cmp(&(&b.0, format!("{:?}", b.1))));
    v
}

fn cell_name(kind: CellKind) -> &'static str {
    match kind {
        CellKind::HalfAdder => "ha",
        CellKind::FullAdder => "fa",
        CellKind::Mux2 => "mux2",
        CellKind::PrefixBlack => "prefix_black",
        CellKind::PrefixGray => "prefix_gray",
    }
}

/// Exports flat and with cell modules, reads both back, checks bits and counts.
fn round_trip(net: &Netlist, what: &str) {
    let flat = net.to_verilog(&VerilogOptions::new("dut")).unwrap();
    let back = read_verilog(&flat).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_same(net, &back, what);
    let (s, t) = (net.stats(), back.stats());
    assert_eq!(t.gates, s.gates, "{what}: gates");
    assert_eq!(t.by_primitive, s.by_primitive, "{what}: primitives");
    assert_eq!(
        t.cell_count(CellKind::Mux2),
        s.cell_count(CellKind::Mux2),
        "{what}: muxes"
    );
    // Labels come back from the `// label:` comments, with the same gates under each.
    assert_eq!(label_gates(&t), label_gates(&s), "{what}: per-label gates");
    assert_eq!(gate_labels(&back), gate_labels(net), "{what}: gate labels");
    // Read back in node order, so the second export is the same text, label comments
    // included (all but the header, whose cell count the flat import cannot restore).
    let again = back.to_verilog(&VerilogOptions::new("dut")).unwrap();
    assert!(code(&again) == code(&flat), "{what}: re-export differs");
    assert!(
        body(&again) == body(&flat),
        "{what}: re-export differs in its labels"
    );

    let cells = net
        .to_verilog(&VerilogOptions::new("dut").with_cell_modules(true))
        .unwrap();
    let back = read_verilog(&cells).unwrap_or_else(|e| panic!("{what} (cells): {e}"));
    assert_same(net, &back, &format!("{what} (cells)"));
    let t = back.stats();
    assert_eq!(t.gates, s.gates, "{what} (cells): gates");
    assert_eq!(
        label_gates(&t),
        label_gates(&s),
        "{what} (cells): per-label gates"
    );
    if !what.starts_with("carry-skip") {
        // Every label with the same gates and recorded cells, and the same cost breakdown.
        assert_eq!(
            label_counts(&t),
            label_counts(&s),
            "{what} (cells): per-label stats"
        );
        let lib = CellLibrary::nangate45();
        let parts = |n: &Netlist| -> Vec<(String, usize, String)> {
            let mut v: Vec<_> = label_breakdown(n, &lib, 8)
                .into_iter()
                .map(|p| (p.label, p.cells, format!("{:.6}", p.area_um2)))
                .collect();
            v.sort();
            v
        };
        assert_eq!(parts(&back), parts(net), "{what} (cells): label breakdown");
    }
    // Every cell written as an instance is a recorded cell again (a carry-skip adder's
    // full adders share their propagate, so they are written, and read, as gates).
    for kind in CellKind::ALL {
        let written = cells
            .matches(&format!("\n  arithsim_{} u", cell_name(kind)))
            .count() as u64;
        let flat_muxes = if kind == CellKind::Mux2 {
            s.cell_count(kind) - written
        } else {
            0
        };
        assert_eq!(
            t.cell_count(kind),
            written + flat_muxes,
            "{what} (cells): {kind:?}"
        );
        if !what.starts_with("carry-skip") {
            assert_eq!(
                t.cell_count(kind),
                s.cell_count(kind),
                "{what} (cells): {kind:?}"
            );
        }
    }
}

#[test]
fn every_adder_kind_round_trips() {
    for kind in AdderKind::ALL {
        for width in [8, 13, 32] {
            let net = adder(kind, width).unwrap();
            round_trip(&net, &format!("{} {width}", kind));
        }
    }
}

#[test]
fn every_multiplier_architecture_round_trips() {
    for (pp, s) in ARCHS {
        for r in Reduction::ALL {
            for (n, adder) in [(8, AdderKind::RippleCarry), (16, AdderKind::KoggeStone)] {
                let spec = MultiplierSpec::new(n, n, s, r, adder).with_partial_products(pp);
                let net = spec.build().unwrap();
                // Labelled (so the per-label checks of the round trip have labels to lose).
                assert!(net.stats().by_label.len() > 2, "{}", spec);
                round_trip(&net, &spec.to_string());
            }
        }
    }
    // One wide one against native multiplication after the round trip.
    let spec = MultiplierSpec::new(
        32,
        32,
        Signedness::Unsigned,
        Reduction::Dadda,
        AdderKind::BrentKung,
    );
    let back = read_verilog(
        &spec
            .build()
            .unwrap()
            .to_verilog(&VerilogOptions::new("m32"))
            .unwrap(),
    )
    .unwrap();
    let mut s = 7;
    let (a, b): (Vec<u64>, Vec<u64>) = (0..256)
        .map(|_| (splitmix(&mut s) >> 32, splitmix(&mut s) >> 32))
        .unzip();
    let out = back.eval_u64(&[("a", &a), ("b", &b)]).unwrap();
    for ((&x, &y), &p) in a.iter().zip(&b).zip(out.get("product").unwrap()) {
        assert_eq!(p, u128::from(x) * u128::from(y));
    }
}

/// The INT8 MAC (registers with a clock) exported, read back and stepped over 40 clocks on
/// 64 random streams gives the same accumulators as the original and as native arithmetic.
#[test]
fn mac_round_trips_over_clocks() {
    let mac = Mac::new(MacSpec::INT8_INT32).unwrap();
    let net = mac.netlist();
    let text = net.to_verilog(&VerilogOptions::new("mac8")).unwrap();
    assert!(text.contains("always @(posedge clk) begin"));
    let back = read_verilog(&text).unwrap();
    assert_eq!(back.registers().len(), 32);
    assert_eq!(back.stats().gates, net.stats().gates);
    assert_eq!(label_gates(&back.stats()), label_gates(&net.stats()));
    assert!(code(&back.to_verilog(&VerilogOptions::new("mac8")).unwrap()) == code(&text));
    let (mut s1, mut s2) = (
        Simulator::new(net, 1).unwrap(),
        Simulator::new(&back, 1).unwrap(),
    );
    let (mut o1, mut o2) = (BatchOutput::default(), BatchOutput::default());
    let mut acc = [0i32; 64];
    let mut seed = 99;
    for _ in 0..40 {
        let a: Vec<u64> = (0..64).map(|_| splitmix(&mut seed) & 0xFF).collect();
        let b: Vec<u64> = (0..64).map(|_| splitmix(&mut seed) & 0xFF).collect();
        o1.clear();
        o2.clear();
        s1.step_with(&[("a", &a), ("b", &b)], &mut o1).unwrap();
        s2.step_with(&[("a", &a), ("b", &b)], &mut o2).unwrap();
        assert_eq!(o1.get("acc").unwrap(), o2.get("acc").unwrap());
        for (k, v) in acc.iter_mut().enumerate() {
            *v = v.wrapping_add(i32::from(a[k] as u8 as i8) * i32::from(b[k] as u8 as i8));
            assert_eq!(o2.get("acc").unwrap()[k], u128::from(*v as u32));
        }
    }
}

/// A gate-level FP16 adder round-trips with its nested label paths (`align/...`).
#[test]
fn fp_adder_round_trips_with_nested_labels() {
    let net = fp_adder(FloatFormat::FP16, &FpUnitConfig::default()).unwrap();
    let s = net.stats();
    assert!(
        s.by_label
            .iter()
            .any(|l| l.label.contains('/') && l.gates > 0),
        "{:?}",
        s.by_label
    );
    round_trip(&net, "fp16 adder");
}

/// `// label:` comments label the items after them, in source order, whatever the order
/// the assigns are built in; other comments, and label comments not alone on their line or
/// in other modules, do not.
#[test]
fn label_comments_label_the_items_after_them() {
    let src = "
        module top (input a, b, c, output w, y, z, s, co, v);
          wire p, q, r;
          assign w = a ^ c; // label: not alone, ignored
          // label: x
          assign y = q | c;
          // hello
          assign q = a & b;
          // label:   fp add/align  
          and g (r, q, c);
          assign z = ~(r ^ a);
          // label: y
          ha u (.a(a), .b(b), .s(s), .c(co));
          assign v = p;
          // label:
          assign p = ~(a | c);
        endmodule
        module ha (input a, b, output s, c);
          // label: inner
          assign s = a ^ b;
          assign c = a & b;
        endmodule";
    let net = read_verilog(src).unwrap();
    let l = |s: &str, op: Op| (s.to_string(), op);
    let mut want = vec![
        l("", Op::Xor),
        l("", Op::Nor),
        l("x", Op::Or),
        l("x", Op::And),
        l("fp add/align", Op::And),
        l("fp add/align", Op::Xnor),
        l("y", Op::Xor),
        l("y", Op::And),
    ];
    want.sort_by(|a, b| (&a.0, format!("{:?}", a.1)).cmp(&(&b.0, format!("{:?}", b.1))));
    assert_eq!(gate_labels(&net), want);
    let mut labels = net.labels().to_vec();
    labels.sort();
    assert_eq!(labels, ["", "fp add/align", "x", "y"]);
    let st = net.stats();
    assert_eq!(st.label("y").unwrap().cells[CellKind::HalfAdder.index()], 1);
    assert_eq!(st.label("fp add/align").unwrap().gates, 2);
    // `fp add/align` is one label path with two components, as `push_label` at the root.
    let lib = CellLibrary::nangate45();
    assert!(
        label_breakdown(&net, &lib, 1)
            .iter()
            .any(|p| p.label == "fp add")
    );
    // Exported and read back: the same labels.
    let back = read_verilog(&net.to_verilog(&VerilogOptions::new("top")).unwrap()).unwrap();
    assert_eq!(gate_labels(&back), gate_labels(&net));
    // Without label comments, everything is at the root.
    let plain: String = src
        .lines()
        .filter(|line| !line.trim_start().starts_with("// label:"))
        .collect::<Vec<_>>()
        .join("\n");
    let net = read_verilog(&plain).unwrap();
    assert!(gate_labels(&net).iter().all(|(l, _)| l.is_empty()));
}

#[test]
fn export_is_deterministic_and_blif_is_well_formed() {
    let spec = MultiplierSpec::new(
        8,
        8,
        Signedness::Signed,
        Reduction::Dadda,
        AdderKind::KoggeStone,
    );
    let (n1, n2) = (spec.build().unwrap(), spec.build().unwrap());
    let o = VerilogOptions::new("d8");
    assert_eq!(n1.to_verilog(&o).unwrap(), n2.to_verilog(&o).unwrap());
    assert_eq!(n1.to_blif("d8").unwrap(), n2.to_blif("d8").unwrap());
    let blif = n1.to_blif("d8").unwrap();
    let s = n1.stats();
    // One .names per gate plus one buffer per output bit.
    assert_eq!(blif.matches("\n.names ").count() as u64, s.gates + 16);
    assert_eq!(blif.matches(".model d8\n").count(), 1);
    // Each gate's cover has as many rows as its on-set needs: 2 for OR/XOR/NAND/XNOR/mux.
    let rows: u64 = Op::PRIMITIVES
        .iter()
        .map(|&op| {
            s.primitive_count(op)
                * if matches!(op, Op::Not | Op::And | Op::Nor) {
                    1
                } else {
                    2
                }
        })
        .sum();
    let cover_lines = blif
        .lines()
        .filter(|l| l.ends_with(" 1") && !l.starts_with('.'))
        .count() as u64;
    assert_eq!(cover_lines, rows + 16);
    let mac = Mac::new(MacSpec::INT8_INT32).unwrap();
    let b = mac.netlist().to_blif("mac").unwrap();
    assert_eq!(b.matches("\n.latch ").count(), 32);
    assert!(b.contains(" re clk 0\n"));
    assert!(b.contains(" clk\n.outputs "));
}

#[test]
fn the_subset_reads_published_styles() {
    // Classic port list, several names per declaration, gate primitives, out-of-order
    // assignments, selects, concatenation, replication, reductions, a user cell module.
    let src = "
        `timescale 1ns / 1ps
        (* top *) module mul2 (A, B, O);
          input [1:0] A, B;
          output [3:0] O;
          wire [7:0] N;
          assign O = {N[3], N[2] ^ t, N[1], N[0]};
          wire t;
          and g0 (N[0], A[0], B[0]);
          PDKGENHAX1 h (.A(N[4]), .B(N[5]), .YS(N[1]), .YC(N[6]));
          assign N[4] = A[1] & B[0], N[5] = A[0] & B[1];
          assign N[7] = &{A[1], B[1]};
          xor (N[2], N[7], N[6]);
          assign N[3] = N[7] & N[6];
          assign t = 1'b0 | ~|{2{1'b1}};
        endmodule
        module PDKGENHAX1 (input A, input B, output YS, output YC);
          assign YS = A ^ B;
          assign YC = A & B;
        endmodule";
    let net = read_verilog(src).unwrap();
    // The library's half-adder cell computes a half adder: it comes back as a recorded cell.
    assert_eq!(net.stats().cell_count(CellKind::HalfAdder), 1);
    let a: Vec<u64> = (0..16).map(|v| v & 3).collect();
    let b: Vec<u64> = (0..16).map(|v| v >> 2).collect();
    let out = net.eval_u64(&[("A", &a), ("B", &b)]).unwrap();
    for ((&x, &y), &p) in a.iter().zip(&b).zip(out.get("O").unwrap()) {
        assert_eq!(p, u128::from(x * y), "{x} * {y}");
    }
    // `+` and `-` (the behavioural final adders some published multipliers use) become
    // ripple-carry adders of recorded full adders, with Verilog's context widths.
    let add = read_verilog(
        "module add(input [3:0] a, b, output [3:0] d, output [4:0] s);\n  assign s = a + b;\n  assign d = a - b;\nendmodule",
    )
    .unwrap();
    assert!(add.stats().cell_count(CellKind::FullAdder) > 0);
    let x: Vec<u64> = (0..256).map(|v| v & 15).collect();
    let y: Vec<u64> = (0..256).map(|v| v >> 4).collect();
    let o = add.eval_u64(&[("a", &x), ("b", &y)]).unwrap();
    for (k, (&p, &q)) in x.iter().zip(&y).enumerate() {
        assert_eq!(o.get("s").unwrap()[k], u128::from(p + q));
        assert_eq!(o.get("d").unwrap()[k], u128::from(p.wrapping_sub(q) & 15));
    }
    // A full adder cell with its ports in another order (carry first) and a body that is
    // not the crate's: recognised by its function; a near miss is flattened.
    let fa = "module top(input [2:0] x, output [1:0] y, output z);
          FA u (.CO(y[1]), .S(y[0]), .C(x[0]), .B(x[1]), .A(x[2]));
          NOTFA v (.CO(z), .A(x[0]), .B(x[1]), .C(x[2]));
        endmodule
        module FA (output CO, output S, input C, input B, input A);
          assign S = (A ^ B) ^ C;
          assign CO = (A & B) | (B & C) | (A & C);
        endmodule
        module NOTFA (output CO, input A, input B, input C);
          assign CO = (A & B) | (B & C);
        endmodule";
    let net = read_verilog(fa).unwrap();
    let st = net.stats();
    assert_eq!(
        (st.cell_count(CellKind::FullAdder), st.total_cells()),
        (1, 1)
    );
    let xs: Vec<u64> = (0..8).collect();
    let o = net.eval_u64(&[("x", &xs)]).unwrap();
    for &v in &xs {
        let (p, q, r) = (v & 1, (v >> 1) & 1, v >> 2);
        assert_eq!(o.get("y").unwrap()[v as usize], u128::from(p + q + r));
        assert_eq!(
            o.get("z").unwrap()[v as usize],
            u128::from((r & q) | (q & p))
        );
    }
    // Two top-level modules need a name.
    let two = "module a(input x, output y); assign y = x; endmodule\nmodule b(input x, output y); assign y = ~x; endmodule";
    assert!(matches!(
        read_verilog(two),
        Err(Error::Hdl {
            line: 2,
            column: 8,
            ..
        })
    ));
    let b = read_verilog_module(two, "b").unwrap();
    assert_eq!(
        b.eval_u64(&[("x", &[0, 1])]).unwrap().get("y").unwrap(),
        &[1, 0]
    );
    // Verilog width rules: ~ of a narrow operand in a wide context sets the upper bits.
    let w =
        read_verilog("module w(input [1:0] a, output [3:0] y); assign y = ~a; endmodule").unwrap();
    assert_eq!(
        w.eval_u64(&[("a", &[1])]).unwrap().get("y").unwrap(),
        &[0b1110]
    );
    // Descending and ascending ranges.
    let r = read_verilog(
        "module r(input [0:3] a, output [3:0] y); assign y = {a[3], a[2], a[0:1]}; endmodule",
    )
    .unwrap();
    // a[0] is the most significant bit of an ascending range.
    assert_eq!(
        r.eval_u64(&[("a", &[0b0001])]).unwrap().get("y").unwrap(),
        &[0b1000]
    );
}

/// Each error names its line and column.
#[test]
fn outside_the_subset_is_an_error_with_its_position() {
    let cases: &[(&str, usize, usize, &str)] = &[
        (
            "module m(input a, output y);\n  assign y = a * a;\nendmodule",
            2,
            16,
            "operator '*'",
        ),
        (
            "module m(input a, output y);\n  assign y = b;\nendmodule",
            2,
            14,
            "`b` is not declared",
        ),
        (
            "module m(input a, output y);\n  assign y = a;\n  assign y = ~a;\nendmodule",
            3,
            10,
            "second driver",
        ),
        (
            "module m(input a, output y);\n  wire p, q;\n  assign p = q & a;\n  assign q = p;\n  assign y = q;\nendmodule",
            3,
            10,
            "combinational loop",
        ),
        (
            "module m(input a, output y);\n  wire u;\n  assign y = u;\nendmodule",
            2,
            8,
            "never driven",
        ),
        (
            "module m(input [3:0] a, output y);\n  assign y = a[4];\nendmodule",
            2,
            14,
            "index 4 is outside",
        ),
        (
            "module m(input a, output y);\n  assign y = 2'bx1;\nendmodule",
            2,
            14,
            "x and z",
        ),
        (
            "module m(input a, output y);\n  foo u (.a(a), .y(y));\nendmodule",
            2,
            3,
            "unknown module `foo`",
        ),
        (
            "module m #(parameter N = 2) (input a);\nendmodule",
            1,
            10,
            "parameters",
        ),
        (
            "module m(input a, output y);\n  always @(a) y = a;\nendmodule",
            2,
            12,
            "posedge",
        ),
        (
            "module m(input a, output y)\n  assign y = a;\nendmodule",
            2,
            3,
            "expected ';'",
        ),
        (
            "module m(input a, output y);\n  assign y = a;\n",
            3,
            1,
            "expected",
        ),
        (
            "module m(input signed [3:0] a, output y);\nendmodule",
            1,
            16,
            "signed",
        ),
        (
            "module m(input a, output y);\n  assign y = a;\nendmodule\n/* open",
            4,
            1,
            "unterminated",
        ),
    ];
    for &(src, line, column, text) in cases {
        match read_verilog(src) {
            Err(Error::Hdl {
                line: l,
                column: c,
                reason,
                ..
            }) => {
                assert_eq!((l, c), (line, column), "{src}: {reason}");
                assert!(reason.contains(text), "{src}: {reason}");
            }
            other => panic!("{src}: expected an Hdl error, got {other:?}"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Truncated exports, and exports with one character replaced, give a netlist or an
    /// error, never a panic.
    #[test]
    fn truncated_or_mutated_exports_never_panic(cut in 0usize..4000, at in 0usize..4000, c in prop::sample::select(vec!['(', ')', ';', '[', ']', '~', '?', '\'', 'x', '9', '{', '}', ' ', '\\', '/', '*'])) {
        let text = adder(AdderKind::CarrySelect { block: 2 }, 4).unwrap()
            .to_verilog(&VerilogOptions::new("t").with_cell_modules(true)).unwrap();
        let cut = cut % (text.len() + 1);
        let _ = read_verilog(&text[..cut]);
        let mut chars: Vec<char> = text.chars().collect();
        let at = at % chars.len();
        chars[at] = c;
        let mutated: String = chars.into_iter().collect();
        let _ = read_verilog(&mutated);
    }

    /// Random token soup never panics.
    #[test]
    fn random_text_never_panics(tokens in prop::collection::vec(prop::sample::select(vec![
        "module", "endmodule", "m", "a", "b", "y", "input", "output", "wire", "reg", "assign",
        "always", "@", "(", ")", "posedge", "[", "]", "3", "0", ":", ";", ",", "=", "<=", "~",
        "&", "|", "^", "~^", "?", "{", "}", "1'b1", "8'hff", "and", "not", "begin", "end", ".",
        "'", "\\x", "//", "/*", "*/", "\n", "#",
    ]), 0..80)) {
        let _ = read_verilog(&tokens.join(" "));
    }
}
