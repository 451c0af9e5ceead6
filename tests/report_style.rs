//! One unit style in every report (issue 23): the library's renderers (the cost report on the
//! default tables, the Liberty section, the energy and area summaries) print µm², pJ…mJ with
//! "µ", en-dash ranges, "→" for conversions and "per inference", in text tables at most 120
//! columns wide; and the examples' string literals (scanned from source, so an example cannot
//! regress without being run) spell units the same way.

use std::path::{Path, PathBuf};

use arithsim::accel::EnergyBreakdown;
use arithsim::circuits::adders::{AdderKind, adder_without_carry_in};
use arithsim::cost::report::{
    CircuitRow, Format, GateRow, GlitchRow, LibertyRow, MacRow, Report, ReportCircuit,
    ReportInputs, liberty_section, render_sections,
};
use arithsim::cost::{
    CostRow, CostTable, Design, GateCost, NldmEnergy, OpKind, Span, glitch_cost_random,
};
use arithsim::gates::{CellLibrary, DEFAULT_RESOLUTION_NS, NldmPower, StaOptions, TimedDelays};

/// The widest a text report line may be.
const WIDTH: usize = 120;

/// Spellings the reports do not use, and what they use instead.
const FORBIDDEN: [(&str, &str); 7] = [
    ("um^2", "µm²"),
    ("mm^2", "mm²"),
    ("uJ", "µJ"),
    ("->", "→"),
    ("<-", "←"),
    ("/inf", "\"per inference\""),
    (" um2", "µm²"),
];

/// Every style problem of `text`, one line each (empty: none). `width` limits every line
/// (text renderings); `None` checks only the spellings (Markdown, CSV and JSON rows are one
/// line each by design).
fn style_problems(what: &str, text: &str, width: Option<usize>) -> Vec<String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(w) = width {
            let n = line.chars().count();
            if n > w {
                out.push(format!("{what}:{}: {n} columns: {line}", i + 1));
            }
        }
        for (bad, good) in FORBIDDEN {
            if line.contains(bad) {
                out.push(format!("{what}:{}: {bad:?} (write {good}): {line}", i + 1));
            }
        }
    }
    out
}

fn assert_style(what: &str, text: &str, width: Option<usize>) {
    let p = style_problems(what, text, width);
    assert!(p.is_empty(), "{} problems:\n{}", p.len(), p.join("\n"));
}

/// A gate cost with plausible figures (the renderer's widths, not the values, are tested).
fn gate_cost(area: f64, energy_1v1: f64) -> GateCost {
    GateCost {
        area_um2: area,
        instances: 1234,
        internal_pj: energy_1v1 / 2.0,
        switching_pj: energy_1v1 / 2.0,
        delay_ns: 1.234,
        toggles_per_op: 123.4,
        transitions: 4_089_184_090,
        voltage_v: 1.1,
    }
}

/// Inputs that fill every section the report can have (the long names of the cost_report
/// example, so wrapping is exercised), with cheap circuits for the measured rows.
fn full_inputs() -> ReportInputs {
    let lib = CellLibrary::nangate45();
    let delays = TimedDelays::from_library(&lib, DEFAULT_RESOLUTION_NS).unwrap();
    let gate_rows = vec![
        GateRow {
            circuit: "32-bit ripple-carry adder, carry-in 0".into(),
            op: OpKind::IntAdd { bits: 32 },
            cost: gate_cost(136.2, 0.25),
        },
        GateRow {
            circuit: "32x32-bit Dadda (Kogge-Stone) multiplier".into(),
            op: OpKind::IntMul { bits: 32 },
            cost: gate_cost(9000.0, 12.5),
        },
        GateRow {
            circuit: "INT8 MAC, 32-bit acc (Dadda, Baugh-Wooley, Brent-Kung)".into(),
            op: OpKind::IntMac {
                mul_bits: 8,
                acc_bits: 32,
            },
            cost: gate_cost(1123.0, 1.03),
        },
    ];
    let mac_rows = [
        "INT8 MAC",
        "FP16→FP32 MAC",
        "FP32 MAC (FP32 mult + FP32 add)",
    ]
    .iter()
    .enumerate()
    .map(|(i, &unit)| MacRow {
        unit: unit.into(),
        random: gate_cost(1000.0 * (i + 1) as f64, 1.0 + i as f64),
        nn: Some(gate_cost(1000.0 * (i + 1) as f64, 0.5 + i as f64)),
    })
    .collect();
    let net = adder_without_carry_in(AdderKind::RippleCarry, 8).unwrap();
    let glitch = glitch_cost_random(&net, &lib, &delays, 256, 1).unwrap();
    let glitch_rows = vec![GlitchRow {
        circuit: "8-bit ripple-carry adder".into(),
        cost: glitch,
    }];
    let sta = StaOptions::default();
    let mut circuit_rows: Vec<CircuitRow> = [ReportCircuit::Int8Mac]
        .into_iter()
        .chain(
            arithsim::cost::report::report_circuits()
                .into_iter()
                .filter(|c| !c.is_clocked())
                .take(2),
        )
        // 256 operands, or 64 streams of 4 clocks for the MAC: enough for every figure.
        .map(|c| CircuitRow::compute(c, &lib, &delays, &sta, 256, 1).unwrap())
        .collect();
    // NLDM figures need a Liberty library (not in the repository): plausible ones, so
    // sections 4e's NLDM column and 4f are rendered too.
    for r in &mut circuit_rows {
        let p = |k: f64| NldmPower {
            internal_fj: 100.0 * k,
            switching_fj: 50.0 * k,
            voltage_v: 1.1,
        };
        r.nldm_delay_ns = Some(r.fixed_delay_ns * 0.6);
        r.nldm_energy = Some(NldmEnergy {
            uniform_activity: 0.25,
            uniform: p(1.0),
            zero_delay: p(1.1),
            glitch_aware: p(1.5),
        });
    }
    ReportInputs {
        gate_rows,
        gate_notes: vec!["Gate notes are wrapped at the report's width like every note.".into()],
        mac_rows,
        mac_notes: Vec::new(),
        glitch_rows,
        glitch_notes: Vec::new(),
        circuit_rows,
        circuit_notes: Vec::new(),
        sta,
        ..ReportInputs::default()
    }
}

/// The default tables: the embedded one, the documented example files, and the embedded one
/// with an INT8 MAC row (its comparisons and notes name the row).
fn tables() -> Vec<CostTable> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut with_mac = CostTable::horowitz_45nm();
    let mac = OpKind::IntMac {
        mul_bits: 8,
        acc_bits: 32,
    };
    let mut row = CostRow::new(mac, Span::exact(0.25), 45.0, 0.9, "report_style test row");
    row.area_um2 = Some(300.0);
    with_mac.push(row).unwrap();
    vec![
        CostTable::horowitz_45nm(),
        CostTable::load(root.join("docs/example-costs.toml")).unwrap(),
        CostTable::load(root.join("docs/example-costs.csv")).unwrap(),
        with_mac,
    ]
}

#[test]
fn the_cost_report_keeps_one_style_in_every_format() {
    let inputs = full_inputs();
    for t in tables() {
        for inputs in [&ReportInputs::default(), &inputs] {
            let r = Report::build(&t, inputs).unwrap();
            let text = r.render(Format::Text);
            // With the full inputs every optional section is there, so every path is checked.
            if !inputs.mac_rows.is_empty() {
                for id in [
                    "gate-macs",
                    "glitch",
                    "synth-area",
                    "circuit-delay-energy",
                    "nldm-energy",
                ] {
                    assert!(r.section(id).is_some(), "{id}");
                }
            }
            assert_style(&format!("{} (text)", t.name()), &text, Some(WIDTH));
            for f in [Format::Markdown, Format::Csv, Format::Json] {
                assert_style(&format!("{} ({f})", t.name()), &r.render(f), None);
            }
        }
    }
}

#[test]
fn the_liberty_section_and_the_summaries_keep_one_style() {
    let row = LibertyRow {
        circuit: "INT8 MAC, 32-bit acc (Dadda, Baugh-Wooley, Brent-Kung)".into(),
        instances: 1234,
        area_um2: 1123.4,
        synth_area_um2: Some(812.3),
        fixed_delay_ns: 2.06,
        nldm_delay_ns: 1.31,
    };
    let s = liberty_section(&[row.clone(), row], vec!["A note.".into()]);
    let text = render_sections(
        "Gate-level circuits on a Liberty library",
        &[s],
        Format::Text,
    );
    assert_style("liberty section", &text, Some(WIDTH));

    let t = CostTable::horowitz_45nm();
    let design = Design::new()
        .with(OpKind::IntMul { bits: 8 }, 9216)
        .with(OpKind::IntAdd { bits: 32 }, 9216);
    assert_style(
        "AreaEstimate",
        &t.area(&design).unwrap().to_string(),
        Some(WIDTH),
    );
    // ResNet-50 on the FSD NPU is about 6.9–11.1 mJ per frame: printed in mJ, not µJ.
    let frame = EnergyBreakdown {
        compute_pj: Span::exact(1.23e9),
        sram_pj: Span::exact(1.54e9),
        dram_pj: Span::range(4.15e9, 8.29e9),
    };
    let shown = frame.to_string();
    assert_style("EnergyBreakdown", &shown, Some(WIDTH));
    assert_eq!(
        shown,
        "6.92–11.1 mJ (compute 1.23, SRAM 1.54, DRAM 4.15–8.29)"
    );
}

/// The checks can fail: the old spellings and a 121-column line are caught.
#[test]
fn the_style_check_catches_the_old_spellings() {
    let old = "energy uJ/inf\narea (um^2)\nFP16 -> FP32\n6914-11059 uJ\n".to_string()
        + &"x".repeat(WIDTH + 1);
    let p = style_problems("old", &old, Some(WIDTH));
    assert_eq!(p.len(), 6, "{p:#?}");
    assert!(
        style_problems("new", "energy per inference (µJ)\nFP16 → FP32", Some(WIDTH)).is_empty()
    );
}

/// The string literals of a Rust source, with the line each starts on: plain, byte and raw
/// strings; comments, char literals and lifetimes skipped. Enough of Rust's lexer for the
/// examples (a source scan, so examples need not run to be checked).
fn string_literals(src: &str) -> Vec<(usize, String)> {
    let b: Vec<char> = src.chars().collect();
    let (mut i, mut line, mut out) = (0, 1, Vec::new());
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    while i < b.len() {
        let c = b[i];
        let prev_ident = i > 0 && ident(b[i - 1]);
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c == '/' && b.get(i + 1) == Some(&'/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && b.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == '*' && b[i + 1] == '/') {
                line += usize::from(b[i] == '\n');
                i += 1;
            }
            i += 2;
        } else if !prev_ident && (c == 'r' || (c == 'b' && b.get(i + 1) == Some(&'r'))) && {
            let mut j = i + if c == 'b' { 2 } else { 1 };
            while b.get(j) == Some(&'#') {
                j += 1;
            }
            b.get(j) == Some(&'"')
        } {
            // Raw string: r#"…"#, closed by a quote and as many hashes.
            let mut j = i + if c == 'b' { 2 } else { 1 };
            let mut hashes = 0;
            while b[j] == '#' {
                hashes += 1;
                j += 1;
            }
            j += 1;
            let start = j;
            let closes = |k: usize| b[k] == '"' && (1..=hashes).all(|h| b.get(k + h) == Some(&'#'));
            while !closes(j) {
                j += 1;
            }
            let s: String = b[start..j].iter().collect();
            out.push((line, s.clone()));
            line += s.matches('\n').count();
            i = j + 1 + hashes;
        } else if c == '"' || (c == 'b' && !prev_ident && b.get(i + 1) == Some(&'"')) {
            let mut j = i + if c == 'b' { 2 } else { 1 };
            let mut s = String::new();
            while b[j] != '"' {
                if b[j] == '\\' {
                    s.push(b[j]);
                    j += 1;
                }
                s.push(b[j]);
                j += 1;
            }
            out.push((line, s.clone()));
            line += s.matches('\n').count();
            i = j + 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{b5}') or a lifetime ('a): skip the former whole.
            let end = if b.get(i + 1) == Some(&'\\') {
                (i + 2..b.len()).find(|&k| b[k] == '\'')
            } else if b.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            i = end.map_or(i + 1, |e| e + 1);
        } else {
            i += 1;
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn example_string_literals_keep_one_style() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("examples"), &mut files);
    files.sort();
    assert!(files.len() > 20, "{files:?}");
    let mut problems = Vec::new();
    for f in &files {
        let src = std::fs::read_to_string(f).unwrap();
        let name = f.strip_prefix(root).unwrap().display().to_string();
        for (line, s) in string_literals(&src) {
            problems.extend(style_problems(&format!("{name}:{line}"), &s, None));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_literal_scanner_sees_strings_and_skips_code_and_comments() {
    let src = r##"
fn f<'a>(x: &'a str) -> u8 { // -> in a comment
    let c = '"'; let d = '\''; /* "um^2" */
    println!("{:>16}", "energy uJ/inf");
    let r = r#"FP16 -> "FP32""#;
    b"um^2".len() as u8
}
"##;
    let lits = string_literals(src);
    let texts: Vec<&str> = lits.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(
        texts,
        ["{:>16}", "energy uJ/inf", "FP16 -> \"FP32\"", "um^2"],
        "{lits:?}"
    );
    assert_eq!(lits[1].0, 4);
    let problems: usize = lits
        .iter()
        .map(|(l, s)| style_problems(&l.to_string(), s, None).len())
        .sum();
    assert_eq!(problems, 4);
}
