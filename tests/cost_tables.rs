//! Cost tables: the embedded default, every derivation rule, TOML/CSV round trips, and every
//! kind of bad input (with the error's file, line and field).

use arithsim::Error;
use arithsim::Signedness;
use arithsim::cost::{Basis, CostRow, CostTable, FloatKind, MemLevel, NumKind, OpKind, Rule, Span};
use proptest::prelude::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

fn rule_of(p: &arithsim::cost::Price) -> Option<Rule> {
    match &p.basis {
        Basis::Derived { rule, .. } => Some(*rule),
        Basis::Table => None,
    }
}

#[test]
fn horowitz_rows_are_exactly_the_published_ones() {
    let t = CostTable::horowitz_45nm();
    let expect: [(&str, f64, f64, Option<f64>); 13] = [
        ("8-bit int add", 0.03, 0.03, Some(36.0)),
        ("16-bit int add", 0.05, 0.05, Some(67.0)),
        ("32-bit int add", 0.1, 0.1, Some(137.0)),
        ("FP16 add", 0.4, 0.4, Some(1360.0)),
        ("FP32 add", 0.9, 0.9, Some(4184.0)),
        ("8-bit int mult", 0.2, 0.2, Some(282.0)),
        ("32-bit int mult", 3.1, 3.1, Some(3495.0)),
        ("FP16 mult", 1.1, 1.1, Some(1640.0)),
        ("FP32 mult", 3.7, 3.7, Some(7700.0)),
        ("64-bit SRAM read, 8 KB", 10.0, 10.0, None),
        ("64-bit SRAM read, 32 KB", 20.0, 20.0, None),
        ("64-bit SRAM read, 1 MB", 100.0, 100.0, None),
        ("64-bit DRAM read", 1300.0, 2600.0, None),
    ];
    assert_eq!(t.rows().len(), expect.len());
    for (row, (name, lo, hi, area)) in t.rows().iter().zip(expect) {
        assert_eq!(row.op.to_string(), name);
        assert_eq!(
            (row.energy_pj.lo, row.energy_pj.hi, row.area_um2),
            (lo, hi, area)
        );
        assert_eq!((row.node_nm, row.voltage_v), (45.0, 0.9));
        assert!(row.source.contains("ISSCC 2014"));
        let p = t.price(row.op).unwrap();
        assert_eq!(p.basis, Basis::Table);
    }
}

#[test]
fn int_add_is_linear_and_int_mult_quadratic() {
    let t = CostTable::horowitz_45nm();
    // 4-bit add: nearest anchor 8-bit (0.03 pJ, 36 µm²) x 4/8.
    let p = t.price(OpKind::IntAdd { bits: 4 }).unwrap();
    assert!(close(p.energy_pj.lo, 0.015) && close(p.area_um2.unwrap(), 18.0));
    assert_eq!(rule_of(&p), Some(Rule::IntAddLinear));
    // 64-bit add from the 32-bit row.
    let p = t.price(OpKind::IntAdd { bits: 64 }).unwrap();
    assert!(close(p.energy_pj.lo, 0.2) && close(p.area_um2.unwrap(), 274.0));
    // 24-bit: ln(24/16) < ln(32/24), so the 16-bit row.
    let p = t.price(OpKind::IntAdd { bits: 24 }).unwrap();
    assert!(close(p.energy_pj.lo, 0.05 * 24.0 / 16.0));
    // 16-bit mult: equidistant from 8 and 32; the tie goes to the wider anchor.
    let p = t.price(OpKind::IntMul { bits: 16 }).unwrap();
    assert!(close(p.energy_pj.lo, 3.1 / 4.0) && close(p.area_um2.unwrap(), 3495.0 / 4.0));
    assert_eq!(rule_of(&p), Some(Rule::IntMulQuadratic));
    assert!(
        p.to_owned()
            .basis
            .to_string()
            .contains("32-bit int mult (table) x (16/32)^2")
    );
    // 4-bit mult from 8: /4.
    let p = t.price(OpKind::IntMul { bits: 4 }).unwrap();
    assert!(close(p.energy_pj.lo, 0.05) && close(p.area_um2.unwrap(), 70.5));
}

#[test]
fn mac_and_fma_are_sums_of_their_parts() {
    let t = CostTable::horowitz_45nm();
    let p = t
        .price(OpKind::IntMac {
            mul_bits: 8,
            acc_bits: 32,
        })
        .unwrap();
    assert!(close(p.energy_pj.lo, 0.3) && p.area_um2 == Some(419.0));
    assert_eq!(rule_of(&p), Some(Rule::MacMulPlusAdd));
    // A MAC whose parts are themselves derived says so in its detail.
    let p = t
        .price(OpKind::IntMac {
            mul_bits: 4,
            acc_bits: 16,
        })
        .unwrap();
    assert!(close(p.energy_pj.lo, 0.05 + 0.05));
    let d = p.basis.to_string();
    assert!(
        d.contains("4-bit int mult (8-bit int mult (table) x (4/8)^2)"),
        "{d}"
    );
    assert!(d.contains("16-bit int add (table)"), "{d}");
    let p = t
        .price(OpKind::FpFma {
            format: FloatKind::FP32,
        })
        .unwrap();
    assert!(close(p.energy_pj.lo, 4.6) && p.area_um2 == Some(11_884.0));
    assert_eq!(rule_of(&p), Some(Rule::FmaMulPlusAdd));
}

#[test]
fn every_float_format_gets_a_price_from_fp16_or_fp32() {
    let t = CostTable::horowitz_45nm();
    // (format, mult anchor's significand and energy, add anchor's width and energy)
    let cases = [
        (FloatKind::BF16, 11, 1.1, 16, 0.4),
        (FloatKind::TF32, 11, 1.1, 16, 0.4),
        (FloatKind::FP8_E4M3, 11, 1.1, 16, 0.4),
        (FloatKind::FP8_E5M2, 11, 1.1, 16, 0.4),
        (FloatKind::FP6_E3M2, 11, 1.1, 16, 0.4),
        (FloatKind::FP6_E2M3, 11, 1.1, 16, 0.4),
        (FloatKind::FP4_E2M1, 11, 1.1, 16, 0.4),
        (FloatKind::FP64, 24, 3.7, 32, 0.9),
    ];
    for (f, ms, me, aw, ae) in cases {
        let m = t.price(OpKind::FpMul { format: f }).unwrap();
        let s = f64::from(f.significand_bits());
        assert!(
            close(m.energy_pj.lo, me * (s / f64::from(ms)).powi(2)),
            "{f}"
        );
        assert_eq!(rule_of(&m), Some(Rule::FpMulSignificandSquared), "{f}");
        let a = t.price(OpKind::FpAdd { format: f }).unwrap();
        let w = f64::from(f.width());
        assert!(close(a.energy_pj.lo, ae * w / f64::from(aw)), "{f}");
        assert_eq!(rule_of(&a), Some(Rule::FpAddWidth), "{f}");
        assert!(a.is_derived() && m.is_derived());
    }
    // Spot values: BF16 mult = 1.1 x (8/11)^2; FP64 mult = 3.7 x (53/24)^2; FP8 add = 0.2.
    let bf = t
        .price(OpKind::FpMul {
            format: FloatKind::BF16,
        })
        .unwrap();
    assert!((bf.energy_pj.lo - 0.5818).abs() < 1e-4);
    let f64m = t
        .price(OpKind::FpMul {
            format: FloatKind::FP64,
        })
        .unwrap();
    assert!((f64m.energy_pj.lo - 18.04).abs() < 0.01);
    let f8 = t
        .price(OpKind::FpAdd {
            format: FloatKind::FP8_E4M3,
        })
        .unwrap();
    assert!(close(f8.energy_pj.lo, 0.2) && close(f8.area_um2.unwrap(), 680.0));
}

#[test]
fn memory_rules_width_capacity_and_writes() {
    let t = CostTable::horowitz_45nm();
    // 32-bit read of 8 KB: half the 64-bit row.
    let p = t
        .price(OpKind::MemRead {
            level: MemLevel::Sram { bytes: 8 << 10 },
            bits: 32,
        })
        .unwrap();
    assert!(close(p.energy_pj.lo, 5.0));
    assert_eq!(rule_of(&p), Some(Rule::MemLinearBits));
    // DRAM 32-bit read keeps the range, halved.
    let p = t
        .price(OpKind::MemRead {
            level: MemLevel::Dram,
            bits: 32,
        })
        .unwrap();
    assert_eq!(p.energy_pj, Span::range(650.0, 1300.0));
    // 16 KB: power law between 8 KB (10) and 32 KB (20): 10 x 2^(1/2).
    let p = t
        .price(OpKind::MemRead {
            level: MemLevel::Sram { bytes: 16 << 10 },
            bits: 64,
        })
        .unwrap();
    assert!(close(p.energy_pj.lo, 10.0 * 2f64.sqrt()));
    assert_eq!(rule_of(&p), Some(Rule::SramCapacity));
    // 256 KB: between 32 KB (20) and 1 MB (100): 20 x 5^(ln 8 / ln 32) = 20 x 5^0.6.
    let p = t
        .price(OpKind::MemRead {
            level: MemLevel::Sram { bytes: 256 << 10 },
            bits: 64,
        })
        .unwrap();
    assert!(close(p.energy_pj.lo, 20.0 * 5f64.powf(0.6)));
    // Beyond the ends: sqrt(capacity). 4 MB = 4 x 1 MB -> 200; 2 KB = 8 KB / 4 -> 5.
    let p = t
        .price(OpKind::MemRead {
            level: MemLevel::Sram { bytes: 4 << 20 },
            bits: 32,
        })
        .unwrap();
    assert!(close(p.energy_pj.lo, 100.0));
    let p = t
        .price(OpKind::MemRead {
            level: MemLevel::Sram { bytes: 2 << 10 },
            bits: 64,
        })
        .unwrap();
    assert!(close(p.energy_pj.lo, 5.0));
    // A write is priced as the read, saying so.
    let p = t
        .price(OpKind::MemWrite {
            level: MemLevel::Sram { bytes: 8 << 10 },
            bits: 64,
        })
        .unwrap();
    assert_eq!(p.energy_pj, Span::exact(10.0));
    assert_eq!(rule_of(&p), Some(Rule::WriteAsRead));
    assert!(
        p.basis
            .to_string()
            .contains("64-bit SRAM read, 8 KB (table)")
    );
}

#[test]
fn unpriceable_kinds_are_errors_not_guesses() {
    let t = CostTable::horowitz_45nm();
    let conv = OpKind::Convert {
        from: NumKind::Float(FloatKind::FP32),
        to: NumKind::Int {
            bits: 8,
            signedness: Signedness::Signed,
        },
    };
    let e = t.price(conv).unwrap_err();
    assert_eq!(
        e.to_string(),
        "unsupported: no row for \"convert FP32 → INT8\" in table \"Horowitz, ISSCC 2014 \
         (45 nm, 0.9 V)\" and no derivation rule applies: conversions need a row of their own"
    );
    let rf = OpKind::MemRead {
        level: MemLevel::RegisterFile,
        bits: 32,
    };
    assert!(
        t.price(rf)
            .unwrap_err()
            .to_string()
            .contains("register-file accesses need a row")
    );
    let e = t.price(OpKind::IntAdd { bits: 0 }).unwrap_err();
    assert_eq!(e.to_string(), "operand width 0 is out of range 1..=4096");
    let empty = CostTable::new("empty");
    let e = empty
        .price(OpKind::FpMul {
            format: FloatKind::FP16,
        })
        .unwrap_err();
    assert!(e.to_string().ends_with("no FP mult row"), "{e}");
}

#[test]
fn a_row_in_the_table_wins_over_a_rule() {
    let mut t = CostTable::horowitz_45nm();
    t.push(CostRow::new(
        OpKind::IntMul { bits: 16 },
        Span::exact(0.9),
        45.0,
        0.9,
        "mine",
    ))
    .unwrap();
    let p = t.price(OpKind::IntMul { bits: 16 }).unwrap();
    assert_eq!(
        (p.energy_pj, p.basis, p.source.as_str()),
        (Span::exact(0.9), Basis::Table, "mine")
    );
    // And a MAC of mixed technologies is refused rather than summed.
    t.push(CostRow::new(
        OpKind::IntAdd { bits: 48 },
        Span::exact(0.1),
        14.0,
        0.8,
        "other",
    ))
    .unwrap();
    let e = t
        .price(OpKind::IntMac {
            mul_bits: 8,
            acc_bits: 48,
        })
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("parts priced at different technologies"),
        "{e}"
    );
}

#[test]
fn toml_and_csv_round_trip_the_default_table() {
    let t = CostTable::horowitz_45nm();
    let back = CostTable::from_toml_str(&t.to_toml_string(), "t.toml").unwrap();
    assert_eq!(back, t);
    // The CSV carries the name in its `# name:` line, not in the file name.
    let back = CostTable::from_csv_str(&t.to_csv_string(), "t.csv").unwrap();
    assert_eq!(back.name(), t.name());
    assert_eq!(back, t);
    // And through files, with the format taken from the extension: equal, name included.
    let dir = std::env::temp_dir().join(format!("arithsim-cost-rt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for ext in ["toml", "csv"] {
        let p = dir.join(format!("h.{ext}"));
        t.save(&p).unwrap();
        let back = CostTable::load(&p).unwrap();
        assert_eq!(back, t, "{ext}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn csv_names_survive_quotes_commas_and_newlines_and_old_files_keep_the_stem() {
    let mut t = CostTable::horowitz_45nm();
    for name in ["mine, \"v2\"", "two\nlines", "# name: nested", "µ-table"] {
        t.set_name(name);
        let back = CostTable::from_csv_str(&t.to_csv_string(), "x.csv").unwrap();
        assert_eq!(back.name(), name);
        assert_eq!(back, t);
    }
    // An older file (no `# name:` line) is named after its stem, as before.
    let old = "# my table\noperation,energy,energy_unit,node_nm,voltage_v,source\n\
               8-bit int add,0.03,pJ,45,0.9,me\n";
    assert_eq!(
        CostTable::from_csv_str(old, "dir/my-costs.csv")
            .unwrap()
            .name(),
        "my-costs"
    );
    // A hand-written, unquoted name line.
    let named = format!("# name: Lab table 7\n{old}");
    assert_eq!(
        CostTable::from_csv_str(&named, "a.csv").unwrap().name(),
        "Lab table 7"
    );
}

#[test]
fn the_example_files_in_docs_load() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/");
    let toml = CostTable::load(format!("{dir}example-costs.toml")).unwrap();
    let csv = CostTable::load(format!("{dir}example-costs.csv")).unwrap();
    assert_eq!(csv, toml, "same name and rows");
    // The example shows units: its 8-bit add is given as 30 fJ.
    let add = toml.row(OpKind::IntAdd { bits: 8 }).unwrap();
    assert!(close(add.energy_pj.lo, 0.03));
    assert!(toml.rows().len() >= 5);
}

#[test]
fn units_convert_to_pj_and_um2() {
    let text = "operation,energy,energy_unit,area,area_unit,node_nm,voltage_v,source\n\
                8-bit int add,30,fJ,0.000036,mm2,45,0.9,s\n\
                64-bit DRAM read,1.3..2.6,nJ,,,45,0.9,s\n";
    let t = CostTable::from_csv_str(text, "u.csv").unwrap();
    let add = &t.rows()[0];
    assert!(close(add.energy_pj.lo, 0.03) && close(add.area_um2.unwrap(), 36.0));
    assert!(close(t.rows()[1].energy_pj.lo, 1300.0) && close(t.rows()[1].energy_pj.hi, 2600.0));
}

fn toml_err(text: &str) -> String {
    CostTable::from_toml_str(text, "bad.toml")
        .unwrap_err()
        .to_string()
}

fn csv_err(text: &str) -> String {
    CostTable::from_csv_str(text, "bad.csv")
        .unwrap_err()
        .to_string()
}

const TOP: &str = "energy_unit = \"pJ\"\nnode_nm = 45\nvoltage_v = 0.9\nsource = \"s\"\n";

#[test]
fn toml_errors_name_file_line_and_field() {
    let e = toml_err(&format!(
        "{TOP}\n[[row]]\noperation = \"8-bit int frobnicate\"\nenergy = 1\n"
    ));
    assert!(
        e.starts_with("bad.toml:7: field \"operation\": unknown operation"),
        "{e}"
    );
    let e = toml_err(&format!(
        "{TOP}\n[[row]]\noperation = \"8-bit int add\"\nenergy = -0.5\n"
    ));
    assert_eq!(
        e,
        "bad.toml:7: field \"energy\": must be finite and non-negative, got -0.5"
    );
    let e = toml_err(&format!(
        "{TOP}\n[[row]]\noperation = \"8-bit int add\"\nenergy = nan\n"
    ));
    assert_eq!(
        e,
        "bad.toml:7: field \"energy\": must be finite and non-negative, got NaN"
    );
    let e = toml_err(&format!(
        "{TOP}\n[[row]]\noperation = \"8-bit int add\"\nenergy = 1\narea = inf\narea_unit = \"um2\"\n"
    ));
    assert_eq!(
        e,
        "bad.toml:7: field \"area\": must be finite and non-negative, got inf"
    );
    let e = toml_err(&format!("{TOP}\n[[row]]\noperation = \"8-bit int add\"\n"));
    assert_eq!(e, "bad.toml:6: field \"energy\": missing field");
    let e = toml_err("[[row]]\noperation = \"8-bit int add\"\nenergy = 1\n");
    assert_eq!(e, "bad.toml:1: field \"energy_unit\": missing field");
    let e = toml_err(&format!(
        "{TOP}\n[[row]]\noperation = \"8-bit int add\"\nenergy = 1\nenergy_unit = \"kWh\"\n"
    ));
    assert_eq!(
        e,
        "bad.toml:7: field \"energy_unit\": unknown unit \"kWh\" (expected fJ, pJ or nJ)"
    );
    let e = toml_err(&format!(
        "{TOP}\n[[row]]\noperation = \"8-bit int add\"\nenergy = 1\narea = 3\narea_unit = \"acre\"\n"
    ));
    assert!(
        e.starts_with("bad.toml:7: field \"area_unit\": unknown unit \"acre\""),
        "{e}"
    );
    let e = toml_err(&format!(
        "{TOP}\n[[row]]\noperation = \"8-bit int add\"\nenergy = 1\n\n[[row]]\noperation = \"8-BIT INT ADD\"\nenergy = 2\n"
    ));
    assert_eq!(
        e,
        "bad.toml:11: field \"operation\": duplicate row for \"8-bit int add\" (first at line 7)"
    );
    let e = toml_err(&format!(
        "{TOP}\n[[row]]\noperation = \"8-bit int add\"\nenergy_pJ = 1\n"
    ));
    assert!(
        e.starts_with("bad.toml:8: field \"energy_pJ\": unknown field"),
        "{e}"
    );
    let e = toml_err("name = \n");
    assert!(e.starts_with("bad.toml:1: "), "{e}");
    let e = toml_err(&format!(
        "{TOP}\n[[row]]\noperation = \"8-bit int add\"\nenergy = [1, 2, 3]\n"
    ));
    assert_eq!(
        e,
        "bad.toml:8: field \"energy\": a range has 2 numbers, got 3"
    );
    let e = toml_err(&format!(
        "{TOP}\n[[row]]\noperation = \"8-bit int add\"\nenergy = [2, 1]\n"
    ));
    assert_eq!(e, "bad.toml:8: field \"energy\": a range is [low, high]");
}

const HEAD: &str = "operation,energy,energy_unit,area,area_unit,node_nm,voltage_v,source\n";

#[test]
fn csv_errors_name_file_line_and_field() {
    let e = csv_err("operation,energy,energy_unit,node_nm,source\n");
    assert_eq!(e, "bad.csv:1: field \"voltage_v\": missing column");
    let e = csv_err(&format!("{}watts\n", HEAD.trim_end()).replace("watts", ",watts"));
    assert!(
        e.starts_with("bad.csv:1: field \"watts\": unknown column"),
        "{e}"
    );
    let e = csv_err(&format!(
        "{HEAD}8-bit int add,0.03,pJ,36,um2,45,0.9,s\nFP17 mult,1,pJ,,,45,0.9,s\n"
    ));
    assert!(
        e.starts_with("bad.csv:3: field \"operation\": not a float format"),
        "{e}"
    );
    let e = csv_err(&format!("{HEAD}8-bit int add,-0.03,pJ,36,um2,45,0.9,s\n"));
    assert_eq!(
        e,
        "bad.csv:2: field \"energy\": must be finite and non-negative, got -0.03"
    );
    let e = csv_err(&format!("{HEAD}8-bit int add,inf,pJ,36,um2,45,0.9,s\n"));
    assert_eq!(
        e,
        "bad.csv:2: field \"energy\": must be finite and non-negative, got inf"
    );
    let e = csv_err(&format!("{HEAD}8-bit int add,0.03,pJ,-36,um2,45,0.9,s\n"));
    assert_eq!(
        e,
        "bad.csv:2: field \"area\": must be finite and non-negative, got -36"
    );
    let e = csv_err(&format!("{HEAD}8-bit int add,lots,pJ,36,um2,45,0.9,s\n"));
    assert_eq!(e, "bad.csv:2: field \"energy\": \"lots\" is not a number");
    let e = csv_err(&format!("{HEAD}8-bit int add,0.03,mJ,36,um2,45,0.9,s\n"));
    assert_eq!(
        e,
        "bad.csv:2: field \"energy_unit\": unknown unit \"mJ\" (expected fJ, pJ or nJ)"
    );
    let e = csv_err(&format!("{HEAD}8-bit int add,0.03,pJ,36,,45,0.9,s\n"));
    assert_eq!(e, "bad.csv:2: field \"area_unit\": an area needs its unit");
    let e = csv_err(&format!("{HEAD}8-bit int add,0.03,pJ,36,um2,45,0,s\n"));
    assert_eq!(
        e,
        "bad.csv:2: field \"voltage_v\": must be finite and positive, got 0"
    );
    let e = csv_err(&format!(
        "{HEAD}# comment\n8-bit int add,0.03,pJ,36,um2,45,0.9,s\n8-bit int add,0.04,pJ,36,um2,45,0.9,s\n"
    ));
    assert_eq!(
        e,
        "bad.csv:4: field \"operation\": duplicate row for \"8-bit int add\" (first at line 3)"
    );
    let e = csv_err(&format!("{HEAD}8-bit int add,0.03,pJ\n"));
    assert!(e.starts_with("bad.csv:2: field \"-\": "), "{e}");
    let e = csv_err(&format!("{HEAD}8-bit int add,,pJ,36,um2,45,0.9,s\n"));
    assert_eq!(e, "bad.csv:2: field \"energy\": empty");
}

#[test]
fn file_errors() {
    let e = CostTable::load("/nonexistent/arithsim/t.toml").unwrap_err();
    assert!(matches!(e, Error::Io { .. }));
    assert!(
        e.to_string()
            .starts_with("cannot access /nonexistent/arithsim/t.toml: "),
        "{e}"
    );
    // A missing file is missing whatever its name; an existing one of another format is
    // reported as such.
    let e = CostTable::load("t.xlsx").unwrap_err();
    assert!(matches!(e, Error::Io { .. }), "{e}");
    let dir = std::env::temp_dir().join(format!("arithsim-cost-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let xlsx = dir.join("t.xlsx");
    std::fs::write(&xlsx, "x").unwrap();
    let e = CostTable::load(&xlsx).unwrap_err();
    assert!(
        e.to_string()
            .ends_with("unknown table format (use a .toml or .csv file)"),
        "{e}"
    );
    let p = dir.join("b.csv");
    std::fs::write(&p, b"operation\n\xff\xfe\n").unwrap();
    let e = CostTable::load(&p).unwrap_err();
    assert!(
        e.to_string().ends_with(":2: field \"-\": not UTF-8 text"),
        "{e}"
    );
    let e = CostTable::horowitz_45nm()
        .save(dir.join("no/such/dir/t.toml"))
        .unwrap_err();
    assert!(matches!(e, Error::Io { .. }));
    std::fs::remove_dir_all(&dir).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn loaders_never_panic_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = CostTable::from_toml_str(&text, "p.toml");
        let _ = CostTable::from_csv_str(&text, "p.csv");
    }

    #[test]
    fn loaders_never_panic_on_near_valid_text(
        lines in proptest::collection::vec(
            prop_oneof![
                Just("[[row]]".to_string()),
                Just("operation = \"8-bit int add\"".to_string()),
                Just("energy = [1e308, 1e309]".to_string()),
                Just(HEAD.trim_end().to_string()),
                "[a-z_ ]{0,12} = [-0-9.e\"\\[\\], ]{0,12}",
                "[-0-9a-zA-Z.,\" ]{0,40}",
            ],
            0..12,
        )
    ) {
        let text = lines.join("\n");
        let _ = CostTable::from_toml_str(&text, "p.toml");
        let _ = CostTable::from_csv_str(&text, "p.csv");
    }

    #[test]
    fn every_op_kind_prints_and_parses_back(bits in 1u32..=4096, e in 1u32..=30, m in 0u32..=60, kib in 1u64..=1 << 20) {
        for op in [
            OpKind::IntAdd { bits },
            OpKind::IntMul { bits },
            OpKind::IntMac { mul_bits: bits, acc_bits: bits },
            OpKind::FpFma { format: FloatKind::new(e, m) },
            OpKind::MemWrite { level: MemLevel::Sram { bytes: kib << 10 }, bits },
        ] {
            prop_assert_eq!(op.to_string().parse::<OpKind>().unwrap(), op);
        }
    }
}
