//! The cost report: every ratio follows the loaded table; FSD figures; renderers; charts are
//! well-formed SVG with one bar per row; output-folder errors.

use arithsim::cost::report::{
    BAR_FILL, Cell, Format, GateRow, MacRow, Report, ReportInputs, render_svg,
};
use arithsim::cost::{CostTable, FloatKind, GateCost, OpKind, Span};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-12)
}

fn energy(t: &CostTable, ops: &[OpKind]) -> f64 {
    ops.iter().map(|&o| t.price(o).unwrap().energy_pj.lo).sum()
}

fn area(t: &CostTable, ops: &[OpKind]) -> f64 {
    ops.iter()
        .map(|&o| t.price(o).unwrap().area_um2.unwrap())
        .sum()
}

const M8: OpKind = OpKind::IntMul { bits: 8 };
const A8: OpKind = OpKind::IntAdd { bits: 8 };
const A32: OpKind = OpKind::IntAdd { bits: 32 };
const FM16: OpKind = OpKind::FpMul {
    format: FloatKind::FP16,
};
const FA16: OpKind = OpKind::FpAdd {
    format: FloatKind::FP16,
};
const FM32: OpKind = OpKind::FpMul {
    format: FloatKind::FP32,
};
const FA32: OpKind = OpKind::FpAdd {
    format: FloatKind::FP32,
};

/// Every comparison's ratios, recomputed here from the table's rows.
fn check_comparisons(t: &CostTable, r: &Report) {
    let cases: [(&str, &[OpKind], &[OpKind]); 10] = [
        ("8-bit int mult vs FP32 mult", &[M8], &[FM32]),
        ("8-bit int add vs FP32 add", &[A8], &[FA32]),
        ("32-bit int add vs FP32 add", &[A32], &[FA32]),
        ("FP16 mult vs FP32 mult", &[FM16], &[FM32]),
        ("FP16 add vs FP32 add", &[FA16], &[FA32]),
        ("INT8 MAC vs FP16 MAC (FP16 acc)", &[M8, A32], &[FM16, FA16]),
        ("INT8 MAC vs FP16→FP32 MAC", &[M8, A32], &[FM16, FA32]),
        ("INT8 MAC vs FP32 MAC", &[M8, A32], &[FM32, FA32]),
        (
            "FP16 MAC (FP16 acc) vs FP32 MAC",
            &[FM16, FA16],
            &[FM32, FA32],
        ),
        ("FP16→FP32 MAC vs FP32 MAC", &[FM16, FA32], &[FM32, FA32]),
    ];
    assert_eq!(r.comparisons.len(), cases.len());
    for (label, cheap, costly) in cases {
        let c = r.comparison(label).unwrap_or_else(|| panic!("{label}"));
        let e = energy(t, costly) / energy(t, cheap);
        assert!(
            close(c.energy_ratio.lo, e) && close(c.energy_ratio.hi, e),
            "{label}"
        );
        let a = area(t, costly) / area(t, cheap);
        assert!(close(c.area_ratio.unwrap(), a), "{label}");
        assert!(close(c.cheap_energy_pj.lo, energy(t, cheap)), "{label}");
    }
    // The rendered grid shows the same figures as the struct.
    let grid = &r.section("comparisons").unwrap().grid;
    for (row, c) in grid.rows.iter().zip(&r.comparisons) {
        assert_eq!(row[5], Cell::Span(c.energy_ratio));
        assert_eq!(row[8], Cell::opt(c.area_ratio));
    }
}

#[test]
fn course_figures_from_the_default_table() {
    let t = CostTable::horowitz_45nm();
    let r = Report::build(&t, &ReportInputs::default()).unwrap();
    check_comparisons(&t, &r);
    let mac = r.comparison("INT8 MAC vs FP32 MAC").unwrap();
    // About 15x less energy and about 28x less area, as the course says.
    assert!((mac.energy_ratio.lo - 15.33).abs() < 0.01);
    assert!((mac.area_ratio.unwrap() - 28.36).abs() < 0.01);
    assert!(!mac.derived);
    let mul = r.comparison("8-bit int mult vs FP32 mult").unwrap();
    assert!(close(mul.energy_ratio.lo, 18.5) && close(mul.area_ratio.unwrap(), 7700.0 / 282.0));
}

#[test]
fn change_the_table_and_every_ratio_follows() {
    let mut t = CostTable::horowitz_45nm();
    t.row_mut(FM32).unwrap().energy_pj = Span::exact(7.4);
    t.row_mut(M8).unwrap().area_um2 = Some(141.0);
    t.row_mut(A32).unwrap().energy_pj = Span::exact(0.2);
    let r = Report::build(&t, &ReportInputs::default()).unwrap();
    check_comparisons(&t, &r);
    let mul = r.comparison("8-bit int mult vs FP32 mult").unwrap();
    assert!(close(mul.energy_ratio.lo, 37.0) && close(mul.area_ratio.unwrap(), 7700.0 / 141.0));
    let mac = r.comparison("INT8 MAC vs FP32 MAC").unwrap();
    assert!(close(mac.energy_ratio.lo, (7.4 + 0.9) / 0.4));
    // Memory ratios follow the 8-bit add.
    t.row_mut(A8).unwrap().energy_pj = Span::exact(0.06);
    let r = Report::build(&t, &ReportInputs::default()).unwrap();
    let mem = &r.section("memory").unwrap().grid;
    let dram = &mem.rows[0];
    assert_eq!(dram[0], Cell::text("64-bit DRAM read"));
    assert_eq!(
        dram[2],
        Cell::Span(Span::range(1300.0 / 0.06, 2600.0 / 0.06))
    );
    // FSD power follows the MAC energy: 9216 MACs x 2 GHz x (0.2 + 0.2) pJ.
    assert!(close(
        r.fsd.rows[0].power_per_npu_w.lo,
        9216.0 * 2e9 * 0.4e-12
    ));
}

#[test]
fn a_table_without_fp16_rows_derives_them_and_says_so() {
    let t = CostTable::from_csv_str(
        &CostTable::horowitz_45nm()
            .to_csv_string()
            .lines()
            .filter(|l| !l.starts_with("FP16"))
            .collect::<Vec<_>>()
            .join("\n"),
        "no-fp16.csv",
    )
    .unwrap();
    let r = Report::build(&t, &ReportInputs::default()).unwrap();
    check_comparisons(&t, &r);
    let c = r.comparison("FP16 mult vs FP32 mult").unwrap();
    assert!(c.derived);
    // FP16 mult from FP32 by significand^2: (11/24)^2, so the ratio is (24/11)^2.
    assert!(close(c.energy_ratio.lo, (24.0f64 / 11.0).powi(2)));
    assert!(r.render(Format::Text).contains("some derived"));
}

#[test]
fn fsd_headline() {
    let t = CostTable::horowitz_45nm();
    let f = Report::build(&t, &ReportInputs::default()).unwrap().fsd;
    assert_eq!(f.macs_per_npu, 9216);
    assert!(close(f.tops_per_npu, 36.864) && close(f.tops_chip, 73.728));
    // INT8, FP16 (FP16 acc), FP16→FP32, FP32 at 45 nm, then the same at 14 nm (scaled,
    // labelled). Each FP16 variant has its own name and its own price.
    assert_eq!(f.rows.len(), 8);
    let names: Vec<&str> = f.rows[..4].iter().map(|r| r.mac.as_str()).collect();
    assert_eq!(
        names,
        [
            "INT8 MAC",
            "FP16 MAC (FP16 acc)",
            "FP16→FP32 MAC",
            "FP32 MAC"
        ]
    );
    let watts: Vec<f64> = f.rows.iter().map(|r| r.power_per_npu_w.lo).collect();
    assert!(close(watts[0], 9216.0 * 2e9 * 0.3e-12));
    assert!(close(watts[1], 9216.0 * 2e9 * (1.1 + 0.4) * 1e-12));
    // The FP16→FP32 MAC is the one fsd_npu and docs/accelerator.md price: 1.1 + 0.9 pJ.
    assert!(close(f.rows[2].energy_per_mac_pj.lo, 1.1 + 0.9));
    assert!(close(watts[3], 9216.0 * 2e9 * 4.6e-12));
    assert!(close(f.rows[3].vs_int8.lo, 4.6 / 0.3));
    assert!(close(f.rows[0].power_chip_w.lo, 2.0 * watts[0]));
    assert!(close(f.rows[0].array_area_mm2.unwrap(), 9216.0 * 419.0e-6));
    assert!(f.rows[4].technology.contains("scaled") && f.rows[4].table.contains("scaled"));
    assert!(watts[4] < watts[0]);
    let text = Report::build(&t, &ReportInputs::default())
        .unwrap()
        .render(Format::Text);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("= 36.86 TOPS per NPU, 73.73 TOPS for the chip's 2 NPUs"),
        "{text}"
    );
}

fn fake_gate_cost(area: f64, energy_1v1: f64) -> GateCost {
    GateCost {
        area_um2: area,
        instances: 8,
        internal_pj: energy_1v1 / 2.0,
        switching_pj: energy_1v1 / 2.0,
        delay_ns: 1.0,
        toggles_per_op: 10.0,
        transitions: 1000,
        voltage_v: 1.1,
    }
}

#[test]
fn gate_section_compares_at_the_table_voltage() {
    let t = CostTable::horowitz_45nm();
    let inputs = ReportInputs {
        gate_rows: vec![
            GateRow {
                circuit: "8-bit adder".into(),
                op: A8,
                cost: fake_gate_cost(30.0, 0.06),
            },
            GateRow {
                circuit: "64-bit adder".into(),
                op: OpKind::IntAdd { bits: 64 },
                cost: fake_gate_cost(300.0, 0.4),
            },
        ],
        gate_notes: vec!["a note".into()],
        ..ReportInputs::default()
    };
    let r = Report::build(&t, &inputs).unwrap();
    let s = r.section("gates").unwrap();
    let row = &s.grid.rows[0];
    let at = 0.06 * (0.9f64 / 1.1).powi(2);
    assert_eq!(row[5], Cell::Num(30.0 / 36.0));
    assert_eq!(row[7], Cell::Num(at));
    assert_eq!(row[9], Cell::Span(Span::exact(at / 0.03)));
    assert_eq!(s.grid.rows[1][11], Cell::text("derived"));
    assert!(s.notes.iter().any(|n| n.contains("scaled by (0.9/1.1)²")));
    assert!(s.notes.iter().any(|n| n == "a note"));
    assert_eq!(s.charts[0].bars.len(), 2);
}

/// Section 4b: whole MAC units, every ratio divided by the first row, at the table's voltage;
/// placed between section 4 and the FSD section, with two well-formed charts.
#[test]
fn mac_section_gives_ratios_to_the_first_row() {
    let t = CostTable::horowitz_45nm();
    let row = |unit: &str, area: f64, e: f64, nn: Option<f64>| MacRow {
        unit: unit.into(),
        random: fake_gate_cost(area, e),
        nn: nn.map(|x| fake_gate_cost(area, x)),
    };
    let inputs = ReportInputs {
        mac_rows: vec![
            row("INT8 MAC (INT32 acc)", 400.0, 0.5, Some(0.2)),
            row("FP32 MAC (FP32 acc)", 10_000.0, 8.0, Some(2.0)),
            row("FP16 MAC (FP32 acc)", 4_000.0, 3.0, None),
        ],
        mac_notes: vec!["mac note".into()],
        ..ReportInputs::default()
    };
    let r = Report::build(&t, &inputs).unwrap();
    let ids: Vec<&str> = r.sections.iter().map(|s| s.id).collect();
    assert_eq!(
        ids,
        [
            "table",
            "comparisons",
            "memory",
            "gates",
            "gate-macs",
            "fsd"
        ]
    );
    let s = r.section("gate-macs").unwrap();
    assert_eq!(s.grid.rows.len(), 3);
    assert_eq!(s.grid.columns[3], "area / INT8 MAC (INT32 acc)");
    let k = (0.9f64 / 1.1).powi(2);
    let fp32 = &s.grid.rows[1];
    assert_eq!(fp32[3], Cell::Num(25.0));
    assert_eq!(fp32[4], Cell::Num(8.0));
    assert_eq!(fp32[5], Cell::Num(8.0 * k));
    assert!(matches!(fp32[6], Cell::Num(x) if close(x, 16.0)));
    assert!(matches!(fp32[8], Cell::Num(x) if close(x, 10.0)));
    assert_eq!(s.grid.rows[0][3], Cell::Num(1.0));
    assert_eq!(s.grid.rows[2][7], Cell::Empty);
    assert!(
        s.notes
            .iter()
            .any(|n| n.contains("unoptimized textbook netlists"))
    );
    assert!(s.notes.iter().any(|n| n == "mac note"));
    assert_eq!(s.charts.len(), 2);
    for c in &s.charts {
        assert_eq!(c.bars.len(), 3);
        check_xml(&render_svg(c).unwrap()).unwrap();
    }
    // bars: absolute area and energy (the baseline's bar stays visible on a log axis), the
    // ratio in the label
    assert_eq!(s.charts[0].bars[1].label, "FP32 MAC (FP32 acc) (25x)");
    assert_eq!(s.charts[0].bars[1].value, Span::exact(10_000.0));
    assert_eq!(s.charts[1].bars[1].label, "FP32 MAC (FP32 acc) (16x)");
    assert_eq!(s.charts[1].bars[0].value, Span::exact(0.5 * k));
    assert!(
        r.render(Format::Markdown)
            .contains("## 4b. MAC units from gates")
    );
    // No rows: no section 4b.
    let r = Report::build(&t, &ReportInputs::default()).unwrap();
    assert!(r.section("gate-macs").is_none());
}

/// A minimal XML well-formedness check: balanced, properly nested tags; quoted attributes;
/// only the five predefined entities or numeric ones; one root element.
fn check_xml(s: &str) -> Result<(), String> {
    let mut stack: Vec<String> = Vec::new();
    let mut roots = 0;
    let b = s.as_bytes();
    let mut i = 0;
    let check_text = |t: &str| -> Result<(), String> {
        let mut rest = t;
        while let Some(p) = rest.find('&') {
            let end = rest[p..].find(';').ok_or("unterminated entity")?;
            let ent = &rest[p + 1..p + end];
            let ok = matches!(ent, "lt" | "gt" | "amp" | "quot" | "apos")
                || ent.strip_prefix('#').is_some_and(|n| {
                    n.strip_prefix('x').map_or_else(
                        || n.parse::<u32>().is_ok(),
                        |h| u32::from_str_radix(h, 16).is_ok(),
                    )
                });
            if !ok {
                return Err(format!("bad entity &{ent};"));
            }
            rest = &rest[p + end..];
        }
        if t.contains('<') {
            return Err("stray <".into());
        }
        Ok(())
    };
    while i < b.len() {
        if b[i] == b'<' {
            let end = s[i..].find('>').ok_or("unterminated tag")? + i;
            let tag = &s[i + 1..end];
            if let Some(name) = tag.strip_prefix('/') {
                let open = stack.pop().ok_or("close without open")?;
                if open != name.trim() {
                    return Err(format!("</{name}> closes <{open}>"));
                }
            } else if tag.starts_with('?') || tag.starts_with('!') {
            } else {
                let self_closing = tag.ends_with('/');
                let body = tag.trim_end_matches('/');
                let name = body
                    .split_whitespace()
                    .next()
                    .ok_or("empty tag")?
                    .to_string();
                // attributes: name="value" pairs
                let mut rest = body[name.len()..].trim();
                while !rest.is_empty() {
                    let eq = rest
                        .find('=')
                        .ok_or(format!("attribute without value in <{name}>"))?;
                    let after = rest[eq + 1..].trim_start();
                    let q = after.chars().next().ok_or("missing quote")?;
                    if q != '"' && q != '\'' {
                        return Err(format!("unquoted attribute in <{name}>"));
                    }
                    let close = after[1..].find(q).ok_or("unterminated attribute")?;
                    check_text(&after[1..1 + close])?;
                    rest = after[close + 2..].trim_start();
                }
                if stack.is_empty() {
                    roots += 1;
                }
                if !self_closing {
                    stack.push(name);
                }
            }
            i = end + 1;
        } else {
            let end = s[i..].find('<').map_or(b.len(), |e| e + i);
            let text = &s[i..end];
            if stack.is_empty() && !text.trim().is_empty() {
                return Err("text outside the root".into());
            }
            check_text(text)?;
            i = end;
        }
    }
    if !stack.is_empty() {
        return Err(format!("unclosed <{}>", stack.join("> <")));
    }
    if roots != 1 {
        return Err(format!("{roots} root elements"));
    }
    Ok(())
}

#[test]
fn the_xml_checker_rejects_broken_documents() {
    assert!(check_xml("<svg a=\"1\"><g><rect/></g></svg>").is_ok());
    assert!(check_xml("<svg><g></svg>").is_err());
    assert!(check_xml("<svg a=1></svg>").is_err());
    assert!(check_xml("<svg>a & b</svg>").is_err());
    assert!(check_xml("<svg></svg><svg></svg>").is_err());
}

#[test]
fn every_chart_is_well_formed_svg_with_one_bar_per_row() {
    let t = CostTable::horowitz_45nm();
    let inputs = ReportInputs {
        gate_rows: vec![GateRow {
            circuit: "8-bit <adder> & co".into(),
            op: A8,
            cost: fake_gate_cost(30.0, 0.06),
        }],
        ..ReportInputs::default()
    };
    let r = Report::build(&t, &inputs).unwrap();
    let fill = format!(
        "fill=\"#{:02X}{:02X}{:02X}\"",
        BAR_FILL.0, BAR_FILL.1, BAR_FILL.2
    );
    let mut charts = 0;
    for s in &r.sections {
        for c in &s.charts {
            charts += 1;
            let svg = render_svg(c).unwrap();
            check_xml(&svg).unwrap_or_else(|e| panic!("{}: {e}", c.file));
            let bars = svg
                .match_indices("<rect")
                .filter(|(i, _)| svg[*i..].split('>').next().unwrap().contains(&fill))
                .count();
            let expected = if c.file == "table-area.svg" {
                s.grid
                    .rows
                    .iter()
                    .filter(|row| row[2] != Cell::Empty)
                    .count()
            } else {
                s.grid.rows.len()
            };
            assert_eq!(bars, expected, "{}", c.file);
            assert_eq!(c.bars.len(), expected, "{}", c.file);
            // Labels are SVG text.
            for b in &c.bars {
                let escaped = b
                    .label
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;");
                assert!(svg.contains(&escaped), "{}: label {:?}", c.file, b.label);
            }
            assert!(svg.contains(&c.title.replace('&', "&amp;")), "{}", c.file);
        }
    }
    assert_eq!(charts, 6);
}

#[test]
fn renderers_carry_the_same_figures() {
    let t = CostTable::horowitz_45nm();
    let r = Report::build(&t, &ReportInputs::default()).unwrap();
    let md = r.render(Format::Markdown);
    for n in 1..=5 {
        assert!(md.contains(&format!("\n## {n}. ")), "section {n}");
    }
    assert!(md.contains("![Energy per operation"));
    assert!(md.contains("| 64-bit DRAM read | 1300–2600 |"));
    let text = r
        .render(Format::Text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("15.3x less energy and 28.4x less area"),
        "{text}"
    );
    // CSV: long form, parsed back; the INT8-vs-FP32 energy ratio at full precision.
    let csv = r.render(Format::Csv);
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let recs: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let cells: usize = r
        .sections
        .iter()
        .map(|s| s.grid.rows.len() * s.grid.columns.len())
        .sum();
    assert_eq!(recs.len(), cells);
    let ratio = r
        .comparison("INT8 MAC vs FP32 MAC")
        .unwrap()
        .energy_ratio
        .lo;
    assert!(recs.iter().any(|x| &x[0] == "comparisons"
        && &x[2] == "energy ratio (x)"
        && x[3].parse::<f64>().ok() == Some(ratio)));
    assert!(recs.iter().any(|x| &x[3] == "1300.0..2600.0"));
    // JSON: valid, and the DRAM range is an object.
    let json = r.render(Format::Json);
    check_json(&json).unwrap();
    assert!(json.contains("{\"low\":1300.0,\"high\":2600.0}"));
    assert_eq!(json.matches("\"id\":").count(), 5);
}

/// A small JSON validator (the crate has no JSON dependency).
fn check_json(s: &str) -> Result<(), String> {
    fn ws(b: &[u8], i: &mut usize) {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    }
    fn value(b: &[u8], i: &mut usize) -> Result<(), String> {
        ws(b, i);
        match b.get(*i).ok_or("eof")? {
            b'{' | b'[' => {
                let (open, close) = (b[*i], if b[*i] == b'{' { b'}' } else { b']' });
                *i += 1;
                ws(b, i);
                if b.get(*i) == Some(&close) {
                    *i += 1;
                    return Ok(());
                }
                loop {
                    if open == b'{' {
                        ws(b, i);
                        string(b, i)?;
                        ws(b, i);
                        if b.get(*i) != Some(&b':') {
                            return Err(format!("expected : at {i}"));
                        }
                        *i += 1;
                    }
                    value(b, i)?;
                    ws(b, i);
                    match b.get(*i) {
                        Some(b',') => *i += 1,
                        Some(c) if *c == close => {
                            *i += 1;
                            return Ok(());
                        }
                        _ => return Err(format!("expected , or close at {i}")),
                    }
                }
            }
            b'"' => string(b, i),
            b't' | b'f' | b'n' => {
                for w in ["true", "false", "null"] {
                    if b[*i..].starts_with(w.as_bytes()) {
                        *i += w.len();
                        return Ok(());
                    }
                }
                Err(format!("bad literal at {i}"))
            }
            _ => {
                let start = *i;
                while *i < b.len() && b"+-0123456789.eE".contains(&b[*i]) {
                    *i += 1;
                }
                std::str::from_utf8(&b[start..*i])
                    .ok()
                    .and_then(|t| t.parse::<f64>().ok())
                    .map(|_| ())
                    .ok_or(format!("bad number at {start}"))
            }
        }
    }
    fn string(b: &[u8], i: &mut usize) -> Result<(), String> {
        if b.get(*i) != Some(&b'"') {
            return Err(format!("expected string at {i}"));
        }
        *i += 1;
        while let Some(&c) = b.get(*i) {
            match c {
                b'"' => {
                    *i += 1;
                    return Ok(());
                }
                b'\\' => *i += 2,
                c if c < 0x20 => return Err("control character in string".into()),
                _ => *i += 1,
            }
        }
        Err("unterminated string".into())
    }
    let b = s.as_bytes();
    let mut i = 0;
    value(b, &mut i)?;
    ws(b, &mut i);
    if i != b.len() {
        return Err(format!("trailing data at {i}"));
    }
    Ok(())
}

#[test]
fn writes_files_and_reports_an_unwritable_folder() {
    let r = Report::build(&CostTable::horowitz_45nm(), &ReportInputs::default()).unwrap();
    let dir = std::env::temp_dir().join(format!("arithsim-report-{}", std::process::id()));
    let written = r.write(&dir.join("out"), Format::Json).unwrap();
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names[..2],
        ["report.md".to_string(), "report.json".to_string()]
    );
    // No gate rows: five charts (table energy and area, comparisons, memory, FSD).
    assert_eq!(names.iter().filter(|n| n.ends_with(".svg")).count(), 5);
    // A folder under a regular file cannot be created.
    std::fs::write(dir.join("file"), "x").unwrap();
    let bad = dir.join("file").join("sub");
    let e = r.write(&bad, Format::Text).unwrap_err();
    assert!(matches!(e, arithsim::Error::Io { .. }));
    assert!(
        e.to_string()
            .starts_with(&format!("cannot access {}: ", bad.display())),
        "{e}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn formats_parse_and_bad_ones_are_errors() {
    assert_eq!("markdown".parse::<Format>().unwrap(), Format::Markdown);
    assert_eq!("JSON".parse::<Format>().unwrap(), Format::Json);
    assert_eq!("txt".parse::<Format>().unwrap(), Format::Text);
    let e = "xml".parse::<Format>().unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot parse \"xml\": not a report format; expected one of: text, markdown, csv, json"
    );
}

#[test]
fn a_table_that_cannot_price_the_comparisons_is_an_error() {
    let t = CostTable::from_csv_str(
        "operation,energy,energy_unit,node_nm,voltage_v,source\n8-bit int add,0.03,pJ,45,0.9,s\n",
        "tiny.csv",
    )
    .unwrap();
    let e = Report::build(&t, &ReportInputs::default()).unwrap_err();
    assert!(e.to_string().contains("no int mult row"), "{e}");
}

/// One meaning per name across the reports: the cost report's MAC rows price the same units
/// as the accelerator model (fsd_npu), and its 8-bit ripple-carry adder differs from the
/// adders table's only by the carry-in port.
#[test]
fn reports_agree_on_shared_figures() {
    use arithsim::accel::{MacArithmetic, fsd_npu};
    use arithsim::circuits::adders::{AdderKind, adder, adder_without_carry_in};
    use arithsim::cost::FloatKind;
    use arithsim::gates::CellLibrary;

    let t = CostTable::horowitz_45nm();
    let r = Report::build(&t, &ReportInputs::default()).unwrap();
    let row = |name: &str| {
        r.fsd
            .rows
            .iter()
            .find(|x| x.mac == name && x.table == t.name())
            .unwrap_or_else(|| panic!("{name}"))
            .energy_per_mac_pj
    };
    let npu = fsd_npu();
    let accel = |a: MacArithmetic| npu.with_arithmetic(a).unwrap().mac_energy_pj(&t).unwrap();
    assert_eq!(row("INT8 MAC"), accel(MacArithmetic::INT8_INT32));
    assert_eq!(row("FP16→FP32 MAC"), accel(MacArithmetic::FP16_FP32));
    assert_eq!(row("FP32 MAC"), accel(MacArithmetic::FP32));
    let fp16_acc = MacArithmetic::Float {
        mul: FloatKind::FP16,
        acc: FloatKind::FP16,
    };
    assert_eq!(row("FP16 MAC (FP16 acc)"), accel(fp16_acc));
    assert!(close(
        r.comparison("INT8 MAC vs FP16→FP32 MAC")
            .unwrap()
            .costly_energy_pj
            .lo,
        1.1 + 0.9
    ));

    // 8-bit ripple-carry: 8 FA_X1 with a carry-in port, 7 FA_X1 + 1 HA_X1 without.
    let lib = CellLibrary::nangate45();
    let with = adder(AdderKind::RippleCarry, 8).unwrap().area_um2(&lib);
    let without = adder_without_carry_in(AdderKind::RippleCarry, 8)
        .unwrap()
        .area_um2(&lib);
    assert!(close(with, 8.0 * 4.256));
    assert!(close(without, 7.0 * 4.256 + 2.660));
    let text = r.render(Format::Text);
    assert!(text.contains("library cells"), "{text}");
}

/// Issue 23: a table's "8-bit int MAC, 32-bit acc" row priced `CostTable::price` and
/// `estimate` but the report priced the INT8 MAC as mult + add. The report now follows the
/// API in every section (comparisons, memory, gate level, FSD at the table's node and scaled
/// to 14 nm): the MAC row when there is one, mult + add otherwise, and says which.
#[test]
fn a_table_mac_row_prices_the_reports_int8_mac_as_the_api_does() {
    let mac = OpKind::IntMac {
        mul_bits: 8,
        acc_bits: 32,
    };
    let mut t = CostTable::horowitz_45nm();
    let mut row = arithsim::cost::CostRow::new(mac, Span::exact(0.25), 45.0, 0.9, "test MAC row");
    row.area_um2 = Some(300.0);
    t.push(row).unwrap();
    let api = t.price(mac).unwrap();
    assert!(!api.is_derived());
    assert_eq!(api.energy_pj, Span::exact(0.25));
    let inputs = ReportInputs {
        gate_rows: vec![GateRow {
            circuit: "INT8 MAC".into(),
            op: mac,
            cost: fake_gate_cost(700.0, 0.9),
        }],
        ..ReportInputs::default()
    };
    let r = Report::build(&t, &inputs).unwrap();
    // Section 2: every INT8 MAC comparison, energy and area, is the API's price.
    for label in [
        "INT8 MAC vs FP16 MAC (FP16 acc)",
        "INT8 MAC vs FP16→FP32 MAC",
        "INT8 MAC vs FP32 MAC",
    ] {
        let c = r.comparison(label).unwrap();
        assert_eq!(c.cheap_energy_pj, api.energy_pj, "{label}");
        assert_eq!(c.cheap_area_um2, api.area_um2, "{label}");
        assert_eq!(c.cheap, "INT8 MAC (table row: 8-bit int MAC, 32-bit acc)");
        assert!(!c.derived);
    }
    let c = r.comparison("INT8 MAC vs FP32 MAC").unwrap();
    assert!(close(c.energy_ratio.lo, energy(&t, &[FM32, FA32]) / 0.25));
    let notes = r.section("comparisons").unwrap().notes.join(" ");
    assert!(
        notes
            .contains("priced by the table's own \"8-bit int MAC, 32-bit acc\" row (test MAC row)"),
        "{notes}"
    );
    // Section 3: the INT8 MAC reference line.
    let mem = r.section("memory").unwrap();
    let line = mem
        .grid
        .rows
        .iter()
        .find(|row| row[0] == Cell::text("INT8 MAC (table row: 8-bit int MAC, 32-bit acc)"))
        .expect("INT8 MAC line");
    assert_eq!(line[1], Cell::Span(api.energy_pj));
    // Section 4: the MAC circuit is compared with the row, and the note says so.
    let gates = r.section("gates").unwrap();
    assert_eq!(gates.grid.rows[0][8], Cell::Span(api.energy_pj));
    assert_eq!(gates.grid.rows[0][11], Cell::text("table"));
    assert!(
        gates.notes.join(" ").contains("table's own"),
        "{:?}",
        gates.notes
    );
    // Section 5: the INT8 array at the table's node and scaled to 14 nm, each from the price
    // of the (scaled) table.
    let int8: Vec<_> = r.fsd.rows.iter().filter(|x| x.mac == "INT8 MAC").collect();
    assert_eq!(int8.len(), 2);
    assert_eq!(int8[0].energy_per_mac_pj, api.energy_pj);
    assert_eq!(int8[0].array_area_mm2, Some(300.0 * 96.0 * 96.0 * 1e-6));
    let t14 = t
        .scaled(14.0, 0.8, arithsim::cost::Flavor::HighPerformance)
        .unwrap();
    assert_eq!(int8[1].energy_per_mac_pj, t14.price(mac).unwrap().energy_pj);
    let fsd_notes = r.section("fsd").unwrap().notes.join(" ");
    assert!(fsd_notes.contains("INT8 MAC (table row"), "{fsd_notes}");

    // Without the row, mult + add as before (0.2 + 0.1 pJ), and as the API derives it.
    let h = CostTable::horowitz_45nm();
    let r = Report::build(&h, &inputs).unwrap();
    let c = r.comparison("INT8 MAC vs FP32 MAC").unwrap();
    assert_eq!(c.cheap, "INT8 MAC (8-bit mult + 32-bit add)");
    assert!(close(c.cheap_energy_pj.lo, energy(&h, &[M8, A32])));
    let derived = h.price(mac).unwrap();
    assert!(derived.is_derived());
    assert!(close(derived.energy_pj.lo, c.cheap_energy_pj.lo));
    assert_eq!(c.cheap_area_um2, derived.area_um2);
    let gates = r.section("gates").unwrap();
    assert_eq!(gates.grid.rows[0][11], Cell::text("derived"));
    assert!(
        gates
            .notes
            .join(" ")
            .contains("no \"8-bit int MAC, 32-bit acc\" row")
    );
}
