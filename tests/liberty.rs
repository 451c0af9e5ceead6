//! Liberty import on the NanGate 45 nm file: the function-based mapping and figures reproduce
//! the embedded table (read independently from the same file by hand), bad input is an error.
//!
//! Reads `../shared/data/nangate45_typ.lib.gz` (or `ARITHSIM_LIBERTY`); fails with a clear
//! message where it is missing.

use std::io::Read;
use std::path::PathBuf;

use arithsim::gates::liberty::Liberty;
use arithsim::gates::{CellLibrary, LibCell};

fn lib_path() -> PathBuf {
    let p = std::env::var("ARITHSIM_LIBERTY")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from("../shared/data/nangate45_typ.lib.gz"));
    assert!(
        p.exists(),
        "the NanGate Liberty file is missing: expected {} (set ARITHSIM_LIBERTY to its path)",
        p.display()
    );
    p
}

#[test]
fn nangate_liberty_reproduces_the_embedded_table() {
    let lib = CellLibrary::load_liberty(lib_path()).unwrap();
    let emb = CellLibrary::nangate45();
    assert_eq!(lib.voltage_v(), 1.1);
    for k in LibCell::ALL {
        let (a, b) = (lib.cell(k), emb.cell(k));
        assert_eq!(a.name, b.name, "{k:?} mapped by function");
        assert_eq!(a.area_um2, b.area_um2, "{k:?}");
        assert_eq!(a.leakage_nw, b.leakage_nw, "{k:?}");
        assert!((a.input_cap_ff_max - b.input_cap_ff_max).abs() < 1e-6, "{k:?}");
        assert!((a.input_cap_ff_mean - b.input_cap_ff_mean).abs() < 1e-6, "{k:?}");
        assert!((a.delay_ns - b.delay_ns).abs() < 1e-9, "{k:?} {} {}", a.delay_ns, b.delay_ns);
    }
}

#[test]
fn truncated_and_corrupted_files_are_errors() {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(lib_path()).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    for frac in [0.001, 0.1, 0.37, 0.5, 0.9, 0.999] {
        let cut = (text.len() as f64 * frac) as usize;
        let cut = (0..=cut).rev().find(|&c| text.is_char_boundary(c)).unwrap();
        let e = Liberty::parse(&text[..cut], "cut.lib").unwrap_err().to_string();
        assert!(e.starts_with("cut.lib:"), "{e}");
    }
    let bad = text.replacen("0.365616,1.878740", "0.365616,x1.878740", 1);
    let e = Liberty::parse(&bad, "bad.lib").unwrap_err().to_string();
    assert!(e.contains("not a number"), "{e}");
    let bad = text.replacen("delay_model             \t\t: table_lookup", "delay_model : polynomial", 1);
    let e = Liberty::parse(&bad, "bad.lib").unwrap_err().to_string();
    assert!(e.contains("unsupported delay model"), "{e}");
    // a library without full adders cannot take the crate's netlists
    let no_fa = text.replace("cell (FA_X1) {", "cell (FA_X1) { dont_use : true;");
    let e = CellLibrary::from_liberty(Liberty::parse(&no_fa, "nofa.lib").unwrap()).unwrap_err();
    assert!(e.to_string().contains("no cell computing a full adder"), "{e}");
}
