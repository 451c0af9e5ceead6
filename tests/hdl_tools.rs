//! The exports checked by the real tools (feature `hdl-tools`; needs `yosys`, `iverilog`
//! and `vvp` on the PATH, which `.ci/run` installs):
//!
//! * Icarus Verilog simulates the exported Verilog of every adder kind, every multiplier
//!   architecture and the INT8 MAC (over clocks) and agrees with the crate's simulator bit
//!   for bit (exhaustive at 8 bits, random vectors at 16 and 32);
//! * Yosys reads the Verilog and the BLIF, and a SAT miter proves the export equivalent to a
//!   behavioural `a + b + cin` (every adder kind, 8 and 16 bits) or `a * b` (8×8 multipliers,
//!   decided by ABC's BDDs); 16×16 multipliers are proved equal to `a × b` in three steps cut
//!   where the reduction tree ends (ABC's algebraic `&polyn` for the tree, SAT for the final
//!   adder and for the cut);
//! * Yosys `stat` before any optimization counts what the crate counts;
//! * Icarus Verilog's own VCD of a MAC run equals the crate's.
#![cfg(feature = "hdl-tools")]

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use arithsim::circuits::adders::{AdderKind, adder};
use arithsim::circuits::mac::{Mac, MacSpec};
use arithsim::circuits::multipliers::{
    MultiplierSpec, PartialProducts, Reduction, Signedness, build_multiplier,
};
use arithsim::gates::hdl::VerilogOptions;
use arithsim::gates::{Builder, Netlist, Op};

const ARCHS: [(PartialProducts, Signedness); 4] = [
    (PartialProducts::AndArray, Signedness::Unsigned),
    (PartialProducts::Booth4, Signedness::Unsigned),
    (PartialProducts::BaughWooley, Signedness::Signed),
    (PartialProducts::Booth4, Signedness::Signed),
];

/// A scratch directory removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let p = std::env::temp_dir().join(format!("arithsim-hdl-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Scratch(p)
    }
    fn path(&self, f: &str) -> PathBuf {
        self.0.join(f)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // ARITHSIM_KEEP_SCRATCH=1 keeps the files for a look at a failed proof.
        if std::env::var_os("ARITHSIM_KEEP_SCRATCH").is_some() {
            return;
        }
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs a tool in `dir`, panicking with its output when it fails.
fn run(dir: &Path, tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {tool} (install it, or test without --features hdl-tools): {e}")
        });
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{tool} {args:?} failed:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

/// Runs Yosys quietly on `commands` in `dir`, panicking with its output when it fails.
fn yosys(dir: &Path, commands: &str) -> String {
    run(dir, "yosys", &["-q", "-p", commands])
}

/// Whether a tool run in `dir` fails (a proof that must not go through).
fn fails(dir: &Path, tool: &str, args: &[&str]) -> bool {
    !Command::new(tool)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool}: {e}"))
        .status
        .success()
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Input columns (one per input port): exhaustive up to 17 input bits, else `n` random.
fn vectors(net: &Netlist, n: usize, seed: u64) -> Vec<Vec<u128>> {
    let widths: Vec<usize> = net.inputs().iter().map(|p| p.width()).collect();
    let total: usize = widths.iter().sum();
    let mask = |w: usize| if w == 128 { !0u128 } else { (1u128 << w) - 1 };
    let mut cols = vec![Vec::new(); widths.len()];
    let mut s = seed;
    let count = if total <= 17 { 1usize << total } else { n };
    for k in 0..count {
        let mut shift = 0;
        for (c, &w) in cols.iter_mut().zip(&widths) {
            let r = (u128::from(splitmix(&mut s)) << 64) | u128::from(splitmix(&mut s));
            c.push(if total <= 17 {
                (k as u128 >> shift) & mask(w)
            } else {
                r & mask(w)
            });
            shift += w;
        }
    }
    cols
}

/// Simulates the Verilog exports of `nets` (all with the same input ports) in one Icarus
/// Verilog run on the input columns: one vector per step, and with `clocked` one rising
/// clock edge after each (outputs are read before the edge, as the crate's `step_with`
/// reports them). Returns each net's output columns.
fn iverilog(
    nets: &[&Netlist],
    name: &str,
    cols: &[Vec<u128>],
    clocked: bool,
    cells: bool,
) -> Vec<Vec<Vec<u128>>> {
    let dir = Scratch::new(name);
    // The designs, with each cell module defined once.
    let mut design = String::new();
    let mut cell_defs: Vec<String> = Vec::new();
    for (k, net) in nets.iter().enumerate() {
        let text = net
            .to_verilog(&VerilogOptions::new(&format!("dut{k}")).with_cell_modules(cells))
            .unwrap();
        let mut parts = text.split("\nmodule ");
        design += parts.next().unwrap();
        design += "\n";
        for def in parts {
            let def = format!("module {def}");
            if !cell_defs.contains(&def) {
                cell_defs.push(def);
            }
        }
    }
    design += &cell_defs.join("\n");
    std::fs::write(dir.path("dut.v"), design).unwrap();
    let net = nets[0];
    let n = cols[0].len();
    let mut tb = String::from("`timescale 1ns/1ps\nmodule tb;\n  integer i, f;\n");
    let mut in_conns = Vec::new();
    for (p, col) in net.inputs().iter().zip(cols) {
        let (name, w) = (p.name(), p.width());
        tb += &format!(
            "  reg [{}:0] mem_{name} [0:{}];\n  reg [{}:0] {name};\n",
            w - 1,
            n - 1,
            w - 1
        );
        let hex: String = col.iter().map(|v| format!("{v:x}\n")).collect();
        std::fs::write(dir.path(&format!("{name}.hex")), hex).unwrap();
        in_conns.push(format!(".{name}({name})"));
    }
    if clocked {
        tb += "  reg clk = 1'b0;\n";
        in_conns.push(".clk(clk)".into());
    }
    let mut shown = Vec::new();
    for (k, net) in nets.iter().enumerate() {
        let mut conns = in_conns.clone();
        for p in net.outputs() {
            tb += &format!("  wire [{}:0] {}_{k};\n", p.width() - 1, p.name());
            conns.push(format!(".{0}({0}_{k})", p.name()));
            shown.push(format!("{}_{k}", p.name()));
        }
        tb += &format!("  dut{k} u{k} ({});\n", conns.join(", "));
    }
    tb += "  initial begin\n";
    for p in net.inputs() {
        tb += &format!("    $readmemh(\"{0}.hex\", mem_{0});\n", p.name());
    }
    tb += "    f = $fopen(\"out.txt\", \"w\");\n";
    tb += &format!("    for (i = 0; i < {n}; i = i + 1) begin\n");
    for p in net.inputs() {
        tb += &format!("      {0} = mem_{0}[i];\n", p.name());
    }
    let fmt: Vec<&str> = shown.iter().map(|_| "%h").collect();
    tb += &format!(
        "      #1 $fdisplay(f, \"{}\", {});\n",
        fmt.join(" "),
        shown.join(", ")
    );
    if clocked {
        tb += "      clk = 1'b1; #1 clk = 1'b0;\n";
    }
    tb += "    end\n    $fclose(f);\n    $finish;\n  end\nendmodule\n";
    std::fs::write(dir.path("tb.v"), tb).unwrap();
    run(&dir.0, "iverilog", &["-o", "sim", "tb.v", "dut.v"]);
    run(&dir.0, "vvp", &["-n", "sim"]);
    let out = std::fs::read_to_string(dir.path("out.txt")).unwrap();
    let mut flat = vec![Vec::with_capacity(n); shown.len()];
    for line in out.lines() {
        for (r, tok) in flat.iter_mut().zip(line.split_whitespace()) {
            r.push(
                u128::from_str_radix(tok, 16)
                    .unwrap_or_else(|_| panic!("{name}: non-binary value {tok}")),
            );
        }
    }
    assert_eq!(
        flat[0].len(),
        n,
        "{name}: iverilog printed {} vectors",
        flat[0].len()
    );
    let mut it = flat.into_iter();
    nets.iter()
        .map(|net| net.outputs().iter().map(|_| it.next().unwrap()).collect())
        .collect()
}

/// The crate's own outputs for the same columns.
fn crate_outputs(net: &Netlist, cols: &[Vec<u128>]) -> Vec<Vec<u128>> {
    let named: Vec<(&str, &[u128])> = net
        .inputs()
        .iter()
        .zip(cols)
        .map(|(p, c)| (p.name(), c.as_slice()))
        .collect();
    let out = net.eval_u128(&named).unwrap();
    net.outputs()
        .iter()
        .map(|p| out.get(p.name()).unwrap().to_vec())
        .collect()
}

#[test]
fn iverilog_agrees_on_every_adder_kind() {
    for (width, n) in [(8, 0), (32, 2000)] {
        let nets: Vec<Netlist> = AdderKind::ALL
            .iter()
            .map(|&k| adder(k, width).unwrap())
            .collect();
        let refs: Vec<&Netlist> = nets.iter().collect();
        let cols = vectors(&nets[0], n, 1);
        // Cell modules for the 32-bit ones, flat gates for the 8-bit ones.
        let got = iverilog(&refs, &format!("adders-{width}"), &cols, false, width == 32);
        for ((kind, net), g) in AdderKind::ALL.iter().zip(&nets).zip(&got) {
            assert_eq!(g, &crate_outputs(net, &cols), "{} {width}", kind);
        }
    }
}

#[test]
fn iverilog_agrees_on_every_multiplier_architecture() {
    for (width, n, adder) in [
        (8, 0, AdderKind::RippleCarry),
        (16, 2000, AdderKind::KoggeStone),
    ] {
        let mut specs = Vec::new();
        for (pp, s) in ARCHS {
            for r in Reduction::ALL {
                specs
                    .push(MultiplierSpec::new(width, width, s, r, adder).with_partial_products(pp));
            }
        }
        let nets: Vec<Netlist> = specs.iter().map(|s| s.build().unwrap()).collect();
        let refs: Vec<&Netlist> = nets.iter().collect();
        let cols = vectors(&nets[0], n, 2);
        let got = iverilog(
            &refs,
            &format!("multipliers-{width}"),
            &cols,
            false,
            width == 16,
        );
        for ((spec, net), g) in specs.iter().zip(&nets).zip(&got) {
            assert_eq!(g, &crate_outputs(net, &cols), "{}", spec);
        }
    }
}

/// The INT8 MAC over 3000 clocks of random operands: iverilog's accumulator after every
/// clock equals the crate's sequential simulation and native wrapping arithmetic.
#[test]
fn iverilog_agrees_on_the_int8_mac_over_clocks() {
    let mac = Mac::new(MacSpec::INT8_INT32).unwrap();
    let net = mac.netlist();
    let mut s = 5;
    let a: Vec<u128> = (0..3000)
        .map(|_| u128::from(splitmix(&mut s) & 0xFF))
        .collect();
    let b: Vec<u128> = (0..3000)
        .map(|_| u128::from(splitmix(&mut s) & 0xFF))
        .collect();
    let got = iverilog(&[net], "mac8", &[a.clone(), b.clone()], true, false).remove(0);
    let a64: Vec<u64> = a.iter().map(|&x| x as u64).collect();
    let b64: Vec<u64> = b.iter().map(|&x| x as u64).collect();
    let acc = mac.accumulate(&a64, &b64).unwrap();
    assert_eq!(got[0], acc);
    let mut native = 0i32;
    for (k, (&x, &y)) in a.iter().zip(&b).enumerate() {
        native = native.wrapping_add(i32::from(x as u8 as i8) * i32::from(y as u8 as i8));
        assert_eq!(got[0][k], u128::from(native as u32));
    }
}

/// Yosys `stat` right after reading (and `proc`), before any optimization. Each of the
/// crate's gates is written as one Verilog operator, which Yosys reads as: AND → `$and`,
/// OR → `$or`, XOR → `$xor`, XNOR (`~^`) → `$xnor`, NOT → `$not`, mux (`?:`) → `$mux`,
/// NAND → `$and` + `$not`, NOR → `$or` + `$not`; each register → one `$dff`. From BLIF each
/// gate's `.names` is one `$lut` (the output buffers are read as plain connections).
#[test]
fn yosys_stat_counts_what_the_crate_counts() {
    let nets: Vec<(String, Netlist)> = vec![
        (
            "carry-select".into(),
            adder(AdderKind::CarrySelect { block: 4 }, 16).unwrap(),
        ),
        (
            "dadda".into(),
            MultiplierSpec::new(
                8,
                8,
                Signedness::Signed,
                Reduction::Dadda,
                AdderKind::HanCarlson,
            )
            .build()
            .unwrap(),
        ),
        (
            "booth".into(),
            MultiplierSpec::new(
                8,
                8,
                Signedness::Unsigned,
                Reduction::Wallace,
                AdderKind::Sklansky,
            )
            .with_partial_products(PartialProducts::Booth4)
            .build()
            .unwrap(),
        ),
        (
            "mac".into(),
            Mac::new(MacSpec::INT8_INT32).unwrap().netlist().clone(),
        ),
    ];
    let count = |stat: &str, cell: &str| -> u64 {
        stat.lines()
            .find_map(|l| {
                let mut it = l.split_whitespace();
                (it.next() == Some(cell)).then(|| it.next().unwrap().parse().unwrap())
            })
            .unwrap_or(0)
    };
    for (name, net) in nets {
        let dir = Scratch::new(&format!("stat-{name}"));
        std::fs::write(
            dir.path("dut.v"),
            net.to_verilog(&VerilogOptions::new("dut")).unwrap(),
        )
        .unwrap();
        std::fs::write(dir.path("dut.blif"), net.to_blif("dut").unwrap()).unwrap();
        let v = run(
            &dir.0,
            "yosys",
            &["-p", "read_verilog dut.v; hierarchy -top dut; proc; stat"],
        );
        let s = net.stats();
        let p = |op| s.primitive_count(op);
        assert_eq!(count(&v, "$and"), p(Op::And) + p(Op::Nand), "{name}");
        assert_eq!(count(&v, "$or"), p(Op::Or) + p(Op::Nor), "{name}");
        assert_eq!(
            count(&v, "$not"),
            p(Op::Not) + p(Op::Nand) + p(Op::Nor),
            "{name}"
        );
        assert_eq!(count(&v, "$xor"), p(Op::Xor), "{name}");
        assert_eq!(count(&v, "$xnor"), p(Op::Xnor), "{name}");
        assert_eq!(count(&v, "$mux"), p(Op::Mux), "{name}");
        assert_eq!(count(&v, "$dff"), s.registers, "{name}");
        assert!(s.primitive_count(Op::Mux) > 0 || name != "carry-select");
        let b = run(
            &dir.0,
            "yosys",
            &[
                "-p",
                "read_blif -wideports dut.blif; hierarchy -top dut; stat; select -list i:* o:*",
            ],
        );
        assert_eq!(count(&b, "$lut"), s.gates, "{name} (blif)");
        // -wideports grouped the bit-blasted names back into the netlist's buses.
        for p in net.inputs().iter().chain(net.outputs()) {
            assert!(
                b.lines().any(|l| l.trim() == format!("dut/{}", p.name())),
                "{name}: bus {} in\n{b}",
                p.name()
            );
        }
    }
}

/// SAT miters: the Verilog and the BLIF export of every adder kind at 8 and 16 bits equal a
/// behavioural `a + b + cin`; an 8×8 multiplier equals `a * b`.
#[test]
fn yosys_sat_proves_equivalence_with_behavioural_descriptions() {
    let dir = Scratch::new("sat");
    let mut script = String::new();
    for kind in AdderKind::ALL {
        for w in [8u32, 16] {
            let tag = format!("{}_{w}", kind.to_string().replace(['/', '-'], "_"));
            let net = adder(kind, w).unwrap();
            std::fs::write(
                dir.path(&format!("{tag}.v")),
                net.to_verilog(&VerilogOptions::new(&format!("v_{tag}")))
                    .unwrap(),
            )
            .unwrap();
            std::fs::write(
                dir.path(&format!("{tag}.blif")),
                net.to_blif(&format!("b_{tag}")).unwrap(),
            )
            .unwrap();
            std::fs::write(
                dir.path(&format!("ref_{tag}.v")),
                format!("module ref_{tag} (input [{m}:0] a, input [{m}:0] b, input cin, output [{m}:0] sum, output cout);\n  assign {{cout, sum}} = a + b + cin;\nendmodule\n", m = w - 1),
            )
            .unwrap();
            for (file, top, reader) in [
                (format!("{tag}.v"), format!("v_{tag}"), "read_verilog"),
                (
                    format!("{tag}.blif"),
                    format!("b_{tag}"),
                    "read_blif -wideports",
                ),
            ] {
                script += &format!(
                    "design -reset\n{reader} {file}\nread_verilog ref_{tag}.v\nproc\ntechmap\nmiter -equiv -flatten {top} ref_{tag} miter\nhierarchy -top miter\nsat -verify -prove trigger 0 -show-inputs miter\n"
                );
            }
        }
    }
    std::fs::write(dir.path("adders.ys"), &script).unwrap();
    let log = run(
        &dir.0,
        "yosys",
        &["-q", "-l", "adders.log", "-s", "adders.ys"],
    );
    let log = log + &std::fs::read_to_string(dir.path("adders.log")).unwrap();
    assert_eq!(
        log.matches("SAT proof finished - no model found: SUCCESS!")
            .count(),
        AdderKind::ALL.len() * 2 * 2,
        "{log}"
    );

    // The miter catches a wrong circuit: an adder against a + b + cin + 1.
    let bad = format!(
        "{}module bad (input [7:0] a, input [7:0] b, input cin, output [7:0] sum, output cout);\n  assign {{cout, sum}} = a + b + cin + 9'd1;\nendmodule\n",
        ""
    );
    std::fs::write(dir.path("bad.v"), bad).unwrap();
    std::fs::write(
        dir.path("rca.v"),
        adder(AdderKind::RippleCarry, 8)
            .unwrap()
            .to_verilog(&VerilogOptions::new("rca"))
            .unwrap(),
    )
    .unwrap();
    assert!(
        fails(
            &dir.0,
            "yosys",
            &[
                "-q",
                "-p",
                "read_verilog rca.v bad.v; proc; miter -equiv -flatten rca bad miter; hierarchy -top miter; sat -verify -prove trigger 0 miter"
            ]
        ),
        "a wrong reference must fail the proof"
    );
}

/// 8×8 multipliers (all three partial-product generators, both signednesses, all four
/// reductions across the four), Verilog and BLIF exports, against a behavioural `a * b`. Plain SAT needs minutes on a
/// multiplier miter, so Yosys builds the miter and writes it as an AIG, and ABC decides it
/// with BDDs (`collapse`, about a second at 8 bits) followed by `sat` on the collapsed
/// output: UNSATISFIABLE means the miter's trigger is constant 0, i.e. equivalence for all
/// inputs. A wrong reference (`a * b ^ 1`) is SATISFIABLE.
#[test]
fn yosys_and_abc_prove_8x8_multipliers_equal_a_times_b() {
    let dir = Scratch::new("mul-proof");
    let cases = ARCHS
        .iter()
        .zip(Reduction::ALL)
        .map(|(&(pp, s), r)| (pp, s, r, false));
    let bad = std::iter::once((
        PartialProducts::AndArray,
        Signedness::Unsigned,
        Reduction::Dadda,
        true,
    ));
    for (k, (pp, s, r, wrong)) in cases.chain(bad).enumerate() {
        let spec = MultiplierSpec::new(8, 8, s, r, AdderKind::BrentKung).with_partial_products(pp);
        let net = spec.build().unwrap();
        std::fs::write(
            dir.path(&format!("m{k}.v")),
            net.to_verilog(&VerilogOptions::new(&format!("m{k}")))
                .unwrap(),
        )
        .unwrap();
        let sign = if s == Signedness::Signed {
            "signed "
        } else {
            ""
        };
        let flip = if wrong { " ^ 16'd1" } else { "" };
        std::fs::write(
            dir.path(&format!("r{k}.v")),
            format!("module r{k} (input {sign}[7:0] a, input {sign}[7:0] b, output {sign}[15:0] product);\n  assign product = a * b{flip};\nendmodule\n"),
        )
        .unwrap();
        std::fs::write(
            dir.path(&format!("m{k}.blif")),
            net.to_blif(&format!("m{k}")).unwrap(),
        )
        .unwrap();
        for read in [
            format!("read_verilog m{k}.v"),
            format!("read_blif -wideports m{k}.blif"),
        ] {
            yosys(
                &dir.0,
                &format!(
                    "{read}; read_verilog r{k}.v; proc; miter -equiv -flatten m{k} r{k} miter; hierarchy -top miter; flatten; techmap; opt -fast; aigmap; write_aiger -zinit miter{k}.aig"
                ),
            );
            let out = run(
                &dir.0,
                "yosys-abc",
                &[
                    "-c",
                    &format!("read miter{k}.aig; strash; collapse; strash; sat"),
                ],
            );
            let verdict = if wrong {
                "SATISFIABLE"
            } else {
                "UNSATISFIABLE"
            };
            assert!(
                out.lines().any(|l| l.starts_with(verdict)),
                "{} ({read}): {out}",
                spec
            );
        }
    }
}

/// A multiplier netlist and the cut between its reduction tree and its final adder.
struct TreeCut {
    net: Netlist,
    /// `(column, internal net name)` of every gate output the reduction leaves for the final
    /// adder: the nets to cut.
    bits: Vec<(usize, String)>,
    /// `(column, port, bit)` of operand bits that reach the final adder directly (Booth's
    /// sign-handling bits): nothing to cut.
    operand_bits: Vec<(usize, String, usize)>,
    /// The value of the constant-1 bits the reduction leaves, modulo `2^width`.
    constant: u128,
    width: usize,
}

fn tree_cut(spec: &MultiplierSpec) -> TreeCut {
    let mut b = Builder::new();
    let a = b.input("a", spec.n).unwrap();
    let x = b.input("b", spec.m).unwrap();
    let out = build_multiplier(&mut b, spec, &a, &x).unwrap();
    b.output("product", &out.product).unwrap();
    let width = out.product.len();
    let operand = |w: usize| {
        [("a", &a), ("b", &x)].into_iter().find_map(|(port, bus)| {
            bus.iter()
                .position(|v| v.index() == w)
                .map(|bit| (port.to_string(), bit))
        })
    };
    let (mut bits, mut operand_bits) = (Vec::new(), Vec::new());
    let mut constant = 0u128;
    for (j, col) in out.reduced_columns.iter().enumerate() {
        for &w in col {
            match (b.const_value(w), operand(w.index())) {
                (Some(true), _) => constant += 1 << j,
                (Some(false), _) => {}
                (None, Some((port, bit))) => operand_bits.push((j, port, bit)),
                (None, None) => bits.push((j, format!("n{}", w.index()))),
            }
        }
    }
    let mut names: Vec<&String> = bits.iter().map(|(_, n)| n).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), bits.len(), "{}: a net in two columns", spec);
    TreeCut {
        net: b.finish().unwrap(),
        bits,
        operand_bits,
        constant: constant % (1u128 << width),
        width,
    }
}

/// Runs `tool` in `dir` for at most `secs` seconds; `None` when it ran out of time.
fn run_limited(dir: &Path, tool: &str, args: &[&str], secs: u64) -> Option<String> {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let out_path = dir.join(format!("{tool}.out"));
    let mut child = Command::new(tool)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {tool}: {e}"));
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{tool} {args:?} failed");
            return Some(std::fs::read_to_string(&out_path).unwrap());
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The polynomial ABC's `&polyn -w` prints, over the AIG's inputs, coefficients reduced
/// modulo `2^width`, zero terms dropped. Monomials are sorted input indices. Panics unless
/// the rewriting reached the inputs: every variable must be one of the `inputs` primary
/// inputs (ABC prints an internal node by its object number, which is above them), and the
/// count printed must be the count ABC reports left.
fn parse_polynomial(text: &str, width: usize, inputs: usize) -> BTreeMap<Vec<usize>, u128> {
    let modulus = 1u128 << width;
    let left: usize = text
        .split_once("Left = ")
        .and_then(|(_, r)| r.split('.').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no monomial count in ABC's output:\n{text}"));
    let body = text
        .split_once("Polynomial with")
        .unwrap_or_else(|| panic!("no polynomial in ABC's output:\n{text}"))
        .1;
    let mut poly = BTreeMap::new();
    let mut printed = 0;
    for line in body.lines().skip(1) {
        let line = line.trim_start_matches(['|', ' ']);
        if !line.contains("2^") {
            break;
        }
        let mut parts = line.split(" * ");
        let coef_text = parts.next().unwrap();
        let mut coef = 0u128;
        // A coefficient is a run of signed powers of two: "+2^3-2^1".
        let mut rest = coef_text;
        while !rest.is_empty() {
            let negative = rest.starts_with('-');
            rest = rest[1..].strip_prefix("2^").expect("a signed power of two");
            let end = rest.find(['+', '-']).unwrap_or(rest.len());
            let e: usize = rest[..end].parse().unwrap();
            rest = &rest[end..];
            if e < width {
                let v = 1u128 << e;
                coef = (coef + if negative { modulus - v } else { v }) % modulus;
            }
        }
        let mut mono: Vec<usize> = parts
            .map(|v| v.trim().trim_start_matches('i').parse().unwrap())
            .collect();
        mono.sort_unstable();
        assert!(
            mono.iter().all(|&v| v < inputs),
            "rewriting stopped at an internal node: {line}"
        );
        printed += 1;
        let c = poly.entry(mono).or_insert(0u128);
        *c = (*c + coef) % modulus;
    }
    assert_eq!(printed, left, "ABC printed {printed} of {left} monomials");
    poly.retain(|_, c| *c != 0);
    poly
}

/// AIG input or output indices by (port name, bit).
type AigerIndex = HashMap<(String, usize), usize>;

/// The AIG's input and output indices by (port, bit), from Yosys's `write_aiger -map`.
fn aiger_map(text: &str) -> (AigerIndex, AigerIndex) {
    let (mut inputs, mut outputs) = (HashMap::new(), HashMap::new());
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() != 4 {
            continue;
        }
        let key = (f[3].to_string(), f[2].parse().unwrap());
        let index = f[1].parse().unwrap();
        match f[0] {
            "input" => inputs.insert(key, index),
            "output" => outputs.insert(key, index),
            _ => None,
        };
    }
    (inputs, outputs)
}

/// `a × b − k` as a polynomial over the operand bits (AIG input indices), coefficients modulo
/// `2^width`: two's complement operands weigh their top bit `−2^(n−1)`.
fn product_polynomial(
    n: usize,
    signed: bool,
    inputs: &AigerIndex,
    k: u128,
    width: usize,
) -> BTreeMap<Vec<usize>, u128> {
    let modulus = 1u128 << width;
    let negative = |i: usize| signed && i == n - 1;
    let mut poly = BTreeMap::new();
    for i in 0..n {
        for j in 0..n {
            let magnitude = (1u128 << (i + j)) % modulus;
            let coef = if negative(i) != negative(j) {
                (modulus - magnitude) % modulus
            } else {
                magnitude
            };
            let mut mono = vec![inputs[&("a".to_string(), i)], inputs[&("b".to_string(), j)]];
            mono.sort_unstable();
            poly.insert(mono, coef);
        }
    }
    poly.insert(Vec::new(), (modulus - k) % modulus);
    poly.retain(|_, c| *c != 0);
    poly
}

/// `poly − Σ 2^column · operand bit` for the operand bits that bypass the tree.
fn without_operand_bits(
    mut poly: BTreeMap<Vec<usize>, u128>,
    cut: &TreeCut,
    inputs: &AigerIndex,
) -> BTreeMap<Vec<usize>, u128> {
    let modulus = 1u128 << cut.width;
    for (j, port, bit) in &cut.operand_bits {
        let c = poly.entry(vec![inputs[&(port.clone(), *bit)]]).or_insert(0);
        *c = (*c + modulus - (1u128 << j)) % modulus;
    }
    poly.retain(|_, c| *c != 0);
    poly
}

/// The rows the final adder adds, as Verilog concatenations of the cut inputs `c[i]`.
fn adder_rows(cut: &TreeCut) -> [String; 2] {
    let mut columns: Vec<Vec<String>> = vec![Vec::new(); cut.width];
    for (i, (j, _)) in cut.bits.iter().enumerate() {
        columns[*j].push(format!("c[{i}]"));
    }
    for (j, port, bit) in &cut.operand_bits {
        columns[*j].push(format!("{port}[{bit}]"));
    }
    assert!(columns.iter().all(|c| c.len() <= 2), "more than two rows");
    [0, 1].map(|row| {
        let bits: Vec<String> = columns
            .iter()
            .rev()
            .map(|col| col.get(row).cloned().unwrap_or_else(|| "1'b0".to_string()))
            .collect();
        format!("{{{}}}", bits.join(", "))
    })
}

/// The Yosys script that proves steps 2 and 3 of the 16×16 proof for module `m`, read by the
/// Yosys command `read` (with the reduction's constant taken as `k`), and the Verilog of its
/// `chk` and `stitch` modules.
fn adder_and_stitch_check(m: &str, read: &str, cut: &TreeCut, k: u128) -> (String, String) {
    let nets = cut.bits.len();
    let w = cut.width;
    let [row0, row1] = adder_rows(cut);
    let cut_in: Vec<String> = cut
        .bits
        .iter()
        .enumerate()
        .map(|(i, (_, n))| format!(".\\{n}.i (c[{i}])"))
        .collect();
    let exposed: Vec<String> = cut
        .bits
        .iter()
        .enumerate()
        .map(|(i, (_, n))| format!(".{n}(c[{i}])"))
        .collect();
    let half = w / 2 - 1;
    let verilog = format!(
        "module chk (input [{half}:0] a, input [{half}:0] b, input [{c}:0] c, output ok);\n  wire [{top}:0] p;\n  {m} u (.a(a), .b(b), .product(p), {cut_in});\n  wire [{top}:0] row0 = {row0};\n  wire [{top}:0] row1 = {row1};\n  assign ok = p == row0 + row1 + {w}'d{k};\nendmodule\n\nmodule stitch (input [{half}:0] a, input [{half}:0] b, output [{top}:0] product);\n  wire [{c}:0] c;\n  exposed x (.a(a), .b(b), {exposed});\n  {m} u (.a(a), .b(b), .product(product), {cut_in});\nendmodule\n",
        c = nets - 1,
        top = w - 1,
        cut_in = cut_in.join(", "),
        exposed = exposed.join(", "),
    );
    let selection: Vec<String> = cut.bits.iter().map(|(_, n)| format!("w:{n}")).collect();
    let script = format!(
        "{read}\nrename {m} orig\n{read}\nrename {m} exposed\n{read}\nproc\nopt_clean\ncd exposed\nexpose {sel}\ncd {m}\nexpose -cut {sel}\ncd ..\nread_verilog {m}_chk.v\nproc\nflatten\nopt -fast\nmiter -equiv -flatten orig stitch miter\nopt -fast miter\nsat -verify -prove trigger 0 miter\nsat -verify -prove ok 1 chk\n",
        sel = selection.join(" ")
    );
    (script, verilog)
}

/// 16×16 multipliers (every partial-product generator, signedness and reduction, and every
/// final adder kind across them) equal `a × b`. A SAT or BDD proof of a whole 16×16
/// multiplier miter runs for minutes (multipliers are the classic hard case), and algebraic
/// rewriting of a whole multiplier blows up on parallel-prefix adders, so the proof is cut
/// where the reduction tree ends, and every step is decided by Yosys and ABC:
///
/// 1. **tree** — Yosys exposes the nets the reduction leaves for the final adder; ABC's
///    `&polyn` rewrites `Σ 2^column · net` backwards through the AIG into a polynomial over
///    the operand bits, which must equal `a × b −` (the reduction's constant bits), coefficient
///    by coefficient modulo `2^32`. A multilinear polynomial over 0/1 variables is unique, so
///    this is a proof for every input;
/// 2. **final adder** — Yosys cuts those nets into free inputs, and a SAT miter proves the
///    product equals `row₀ + row₁ + constant` for every value of them;
/// 3. **the cut is faithful** — the cut module with its cut inputs driven by the nets of step 1
///    (the export with those nets exposed) is equivalent to the export (SAT miter, after
///    Yosys merges the identical logic).
///
/// Hence `product(a, b) = cut(a, b, n(a, b)) = row₀(n) + row₁(n) + constant = a × b`. A gate changed in the export, or a wrong
/// constant, makes the proof fail.
#[test]
fn yosys_and_abc_prove_16x16_multipliers_equal_a_times_b() {
    let dir = Scratch::new("mul16-proof");
    let specs: Vec<MultiplierSpec> = ARCHS
        .iter()
        .flat_map(|&(pp, s)| Reduction::ALL.map(move |r| (pp, s, r)))
        .enumerate()
        .map(|(k, (pp, s, r))| {
            MultiplierSpec::new(16, 16, s, r, AdderKind::ALL[k % AdderKind::ALL.len()])
                .with_partial_products(pp)
        })
        .collect();
    for (k, spec) in specs.iter().enumerate() {
        let m = format!("m{k}");
        let cut = tree_cut(spec);
        let verilog = cut.net.to_verilog(&VerilogOptions::new(&m)).unwrap();
        std::fs::write(dir.path(&format!("{m}.v")), &verilog).unwrap();
        std::fs::write(dir.path(&format!("{m}.blif")), cut.net.to_blif(&m).unwrap()).unwrap();
        let signed = spec.signedness == Signedness::Signed;
        let tree = |read: &str| -> (String, BTreeMap<Vec<usize>, u128>) {
            let selection: Vec<String> = cut.bits.iter().map(|(_, n)| format!("w:{n}")).collect();
            yosys(
                &dir.0,
                &format!(
                    "{read}; proc; opt_clean; expose {}; flatten; techmap; aigmap; write_aiger -zinit -map {m}.map {m}.aig",
                    selection.join(" ")
                ),
            );
            let (inputs, outputs) =
                aiger_map(&std::fs::read_to_string(dir.path(&format!("{m}.map"))).unwrap());
            let signature: Vec<String> = cut
                .bits
                .iter()
                .map(|(j, n)| format!("{j}*o{}", outputs[&(n.clone(), 0)]))
                .collect();
            let text = run_limited(
                &dir.0,
                "yosys-abc",
                &[
                    "-c",
                    &format!("&r {m}.aig; &polyn -w -S ({})", signature.join("+")),
                ],
                120,
            )
            .unwrap_or_else(|| panic!("{}: ABC's &polyn ran out of time", spec));
            let expected = without_operand_bits(
                product_polynomial(16, signed, &inputs, cut.constant, cut.width),
                &cut,
                &inputs,
            );
            (text, expected)
        };
        // The Verilog export of every multiplier; the BLIF export of one per generator.
        let mut reads = vec![format!("read_verilog {m}.v")];
        if k % 5 == 0 {
            reads.push(format!("read_blif -wideports {m}.blif"));
        }
        for read in &reads {
            let (text, expected) = tree(read);
            let got = parse_polynomial(&text, cut.width, 32);
            assert_eq!(got, expected, "{} ({read}): the tree's polynomial", spec);

            let (script, checks) = adder_and_stitch_check(&m, read, &cut, cut.constant);
            std::fs::write(dir.path(&format!("{m}_chk.v")), checks).unwrap();
            std::fs::write(dir.path(&format!("{m}.ys")), script).unwrap();
            run(
                &dir.0,
                "yosys",
                &["-q", "-l", &format!("{m}.log"), "-s", &format!("{m}.ys")],
            );
            let log = std::fs::read_to_string(dir.path(&format!("{m}.log"))).unwrap();
            assert_eq!(
                log.matches("SAT proof finished - no model found: SUCCESS!")
                    .count(),
                2,
                "{} ({read}): {log}",
                spec
            );
        }

        if k == 0 {
            // A partial product changed from AND to OR: the polynomial differs.
            let mutated = verilog.replacen(" & ", " | ", 1);
            assert_ne!(mutated, verilog);
            std::fs::write(dir.path("mutated.v"), mutated).unwrap();
            let (text, expected) = tree("read_verilog mutated.v");
            assert_ne!(parse_polynomial(&text, cut.width, 32), expected);
            // A wrong constant: the final adder's SAT check finds a counterexample.
            let (script, checks) = adder_and_stitch_check(&m, &reads[0], &cut, cut.constant + 1);
            std::fs::write(dir.path(&format!("{m}_chk.v")), checks).unwrap();
            std::fs::write(dir.path("wrong.ys"), script).unwrap();
            assert!(
                fails(&dir.0, "yosys", &["-q", "-s", "wrong.ys"]),
                "a wrong constant must fail the proof"
            );
        }
    }
}

/// Icarus Verilog's own VCD of the INT8 MAC over 16 clocks agrees with the crate's
/// [`Vcd`](arithsim::gates::hdl::Vcd) of the same run: inputs, the accumulator's next value and
/// the register outputs at every clock (both read with the `vcd` crate).
#[test]
fn iverilog_vcd_agrees_with_the_crates_vcd() {
    use arithsim::gates::hdl::Vcd;
    use arithsim::gates::{BatchOutput, Simulator};

    /// name -> (time, value) changes, for variables in the scope `scope` (or any scope).
    fn changes(text: &str, scope: Option<&str>) -> HashMap<String, Vec<(u64, u128)>> {
        let mut codes: HashMap<vcd::IdCode, String> = HashMap::new();
        let mut out: HashMap<String, Vec<(u64, u128)>> = HashMap::new();
        let mut stack: Vec<String> = Vec::new();
        let mut t = 0;
        for cmd in vcd::Parser::new(text.as_bytes()) {
            match cmd.unwrap() {
                vcd::Command::ScopeDef(_, name) => stack.push(name),
                vcd::Command::Upscope => {
                    stack.pop();
                }
                vcd::Command::VarDef(_, _, code, name, _)
                    if scope.is_none_or(|s| stack.last().map(String::as_str) == Some(s)) =>
                {
                    codes.insert(code, name);
                }
                vcd::Command::Timestamp(x) => t = x,
                vcd::Command::ChangeScalar(code, v) => {
                    if let Some(n) = codes.get(&code) {
                        out.entry(n.clone())
                            .or_default()
                            .push((t, u128::from(v == vcd::Value::V1)));
                    }
                }
                vcd::Command::ChangeVector(code, v) => {
                    if let Some(n) = codes.get(&code) {
                        let x = v
                            .iter()
                            .fold(0u128, |a, b| (a << 1) | u128::from(b == vcd::Value::V1));
                        out.entry(n.clone()).or_default().push((t, x));
                    }
                }
                _ => {}
            }
        }
        out
    }
    fn at(c: &[(u64, u128)], t: u64) -> u128 {
        c.iter().take_while(|x| x.0 <= t).last().unwrap().1
    }

    let mac = Mac::new(MacSpec::INT8_INT32).unwrap();
    let net = mac.netlist();
    let mut s = 17;
    let ops: Vec<(u64, u64)> = (0..16)
        .map(|_| (splitmix(&mut s) & 0xFF, splitmix(&mut s) & 0xFF))
        .collect();
    // The crate's waveform: one sample per clock at 10 t.
    let mut ours = Vcd::new(net, "dut", "1ns").unwrap();
    for p in ["a", "b", "acc"] {
        ours.probe_port(p).unwrap();
    }
    let q: Vec<_> = net.registers().iter().map(|r| r.q).collect();
    ours.probe("acc_q", &q).unwrap();
    let mut sim = Simulator::new(net, 1).unwrap();
    let mut o = BatchOutput::default();
    for (t, &(a, b)) in ops.iter().enumerate() {
        sim.step_with(&[("a", &[a]), ("b", &[b])], &mut o).unwrap();
        ours.sample(&sim, 0, 10 * t as u64).unwrap();
    }
    let ours = changes(&ours.finish(160), None);
    // Icarus: inputs at 10 t, rising clock at 10 t + 5.
    let dir = Scratch::new("mac-vcd");
    std::fs::write(
        dir.path("dut.v"),
        net.to_verilog(&VerilogOptions::new("dut")).unwrap(),
    )
    .unwrap();
    let mut tb = String::from(
        "`timescale 1ns/1ns\nmodule tb;\n  reg [7:0] a, b;\n  reg clk = 1'b0;\n  wire [31:0] acc;\n  dut u (.a(a), .b(b), .acc(acc), .clk(clk));\n  initial begin\n    $dumpfile(\"tb.vcd\");\n    $dumpvars(0, tb);\n",
    );
    for &(a, b) in &ops {
        tb += &format!("    a = 8'd{a}; b = 8'd{b};\n    #5 clk = 1'b1;\n    #5 clk = 1'b0;\n");
    }
    tb += "    $finish;\n  end\nendmodule\n";
    std::fs::write(dir.path("tb.v"), tb).unwrap();
    run(&dir.0, "iverilog", &["-o", "sim", "tb.v", "dut.v"]);
    run(&dir.0, "vvp", &["-n", "sim"]);
    let theirs = changes(
        &std::fs::read_to_string(dir.path("tb.vcd")).unwrap(),
        Some("u"),
    );
    // The register outputs are 1-bit regs n<index> in the export.
    let reg_names: Vec<String> = net
        .registers()
        .iter()
        .map(|r| format!("n{}", r.q.index()))
        .collect();
    for t in 0..16u64 {
        // Compare just before the clock edge: 10 t + 4.
        for p in ["a", "b", "acc"] {
            assert_eq!(
                at(&theirs[p], 10 * t + 4),
                at(&ours[p], 10 * t),
                "{p} at clock {t}"
            );
        }
        let state = reg_names
            .iter()
            .enumerate()
            .fold(0u128, |v, (i, n)| v | (at(&theirs[n], 10 * t + 4) << i));
        assert_eq!(state, at(&ours["acc_q"], 10 * t), "register at clock {t}");
    }
}

/// Issue 22: ports named by Verilog reserved words (`wand`, `time`, `real`, `event`,
/// `table`, `edge`, ... of IEEE 1364-2005) were written as plain identifiers, which Yosys
/// and Icarus refuse. They are now escaped (`\wand `), and both tools read the file; the
/// same text with the names unescaped is refused, so the check has teeth.
#[test]
fn yosys_and_iverilog_read_ports_named_by_reserved_words() {
    let names = [
        "wand", "time", "real", "event", "table", "edge", "uwire", "cell",
    ];
    let mut b = Builder::new();
    let mut acc = None;
    for n in names {
        let w = b.input(n, 2).unwrap();
        let x = b.xor(w[0], w[1]);
        acc = Some(match acc {
            None => x,
            Some(a) => b.and(a, x),
        });
    }
    b.output("wor", &[acc.unwrap()]).unwrap();
    let net = b.finish().unwrap();
    let text = net.to_verilog(&VerilogOptions::new("keywords")).unwrap();
    let dir = Scratch::new("keywords");
    std::fs::write(dir.path("k.v"), &text).unwrap();
    // `yosys` and `run` panic with the tool's output when it refuses the file.
    yosys(
        &dir.0,
        "read_verilog k.v; hierarchy -top keywords; check -assert",
    );
    run(&dir.0, "iverilog", &["-o", "k.vvp", "k.v"]);
    let mut plain = text.clone();
    for n in names.iter().chain(&["wor"]) {
        plain = plain.replace(&format!("\\{n} "), n);
    }
    std::fs::write(dir.path("plain.v"), &plain).unwrap();
    assert!(fails(
        &dir.0,
        "yosys",
        &["-q", "-p", "read_verilog plain.v"]
    ));
    assert!(fails(&dir.0, "iverilog", &["-o", "p.vvp", "plain.v"]));
}
