//! The embedded Yosys + ABC areas (`data/synth_areas.csv`): every circuit of the cost report
//! has a row whose textbook area is the crate's, and (feature `hdl-tools`, `yosys` on the
//! PATH, the NanGate Liberty file in `../shared/data` or `ARITHSIM_LIBERTY`) a fresh synthesis
//! of small circuits reproduces the stored areas within 1 %, so the file cannot go stale
//! silently.

use arithsim::cost::report::{report_circuits, synth_areas};
use arithsim::gates::CellLibrary;

#[test]
fn every_report_circuit_has_a_row_with_its_textbook_area() {
    let rows = synth_areas().unwrap();
    let lib = CellLibrary::nangate45();
    let circuits = report_circuits();
    assert_eq!(rows.len(), circuits.len(), "one row per circuit, no extra");
    for c in &circuits {
        let name = c.to_string();
        let r = rows
            .iter()
            .find(|r| r.circuit == name)
            .unwrap_or_else(|| panic!("no row for {name} in data/synth_areas.csv"));
        let area = c.build().unwrap().area_um2(&lib);
        assert!(
            (r.textbook_um2 - area).abs() < 1e-3,
            "{name}: stored textbook area {} vs {area}",
            r.textbook_um2
        );
        match r.synth_um2 {
            Some(a) => {
                assert_eq!(r.status, "ok", "{name}");
                assert!(a > 0.0, "{name}");
            }
            None => assert!(
                r.status.starts_with("timeout after"),
                "{name}: {}",
                r.status
            ),
        }
        assert!(r.yosys_version.starts_with("Yosys"), "{name}");
        assert!(r.script.contains("abc -liberty L"), "{name}");
    }
}

#[cfg(feature = "hdl-tools")]
#[path = "../examples/common/synth.rs"]
mod synth;

#[cfg(feature = "hdl-tools")]
#[test]
fn resynthesis_reproduces_the_stored_areas() {
    use std::path::PathBuf;
    let lib_path = std::env::var("ARITHSIM_LIBERTY")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from("../shared/data/nangate45_typ.lib.gz"));
    assert!(
        lib_path.exists(),
        "the NanGate Liberty file is missing: expected {} (set ARITHSIM_LIBERTY to its path)",
        lib_path.display()
    );
    let dir = std::env::temp_dir().join(format!("arithsim_synth_test_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let plain = synth::plain_library(&lib_path, &dir).unwrap();
    let rows = synth_areas().unwrap();
    let mut checked = 0;
    for c in report_circuits() {
        let name = c.to_string();
        if !matches!(
            name.as_str(),
            "8-bit ripple-carry adder" | "8-bit kogge-stone adder" | "INT8 MAC, 32-bit acc"
        ) {
            continue;
        }
        let stored = rows
            .iter()
            .find(|r| r.circuit == name)
            .and_then(|r| r.synth_um2)
            .unwrap_or_else(|| panic!("no stored area for {name}"));
        let s = synth::synthesize(&c.build().unwrap(), &plain, &dir, "t", 120).unwrap();
        let fresh = s.area_um2.expect("small circuits synthesize in seconds");
        println!("{name}: stored {stored} µm², now {fresh} µm²");
        assert!(
            (fresh - stored).abs() <= 0.01 * stored,
            "{name}: data/synth_areas.csv says {stored} µm², Yosys + ABC now give {fresh} µm²; \
             rerun `cargo run --release --example synth_areas -- --bless`"
        );
        checked += 1;
    }
    assert_eq!(checked, 3);
    let _ = std::fs::remove_dir_all(&dir);
}
