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
        assert!(
            (a.input_cap_ff_max - b.input_cap_ff_max).abs() < 1e-6,
            "{k:?}"
        );
        assert!(
            (a.input_cap_ff_mean - b.input_cap_ff_mean).abs() < 1e-6,
            "{k:?}"
        );
        assert!(
            (a.delay_ns - b.delay_ns).abs() < 1e-9,
            "{k:?} {} {}",
            a.delay_ns,
            b.delay_ns
        );
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
        let e = Liberty::parse(&text[..cut], "cut.lib")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("cut.lib:"), "{e}");
    }
    let bad = text.replacen("0.365616,1.878740", "0.365616,x1.878740", 1);
    let e = Liberty::parse(&bad, "bad.lib").unwrap_err().to_string();
    assert!(e.contains("not a number"), "{e}");
    let bad = text.replacen(
        "delay_model             \t\t: table_lookup",
        "delay_model : polynomial",
        1,
    );
    let e = Liberty::parse(&bad, "bad.lib").unwrap_err().to_string();
    assert!(e.contains("unsupported delay model"), "{e}");
    // a library without full adders cannot take the crate's netlists
    let no_fa = text.replace("cell (FA_X1) {", "cell (FA_X1) { dont_use : true;");
    let e = CellLibrary::from_liberty(Liberty::parse(&no_fa, "nofa.lib").unwrap()).unwrap_err();
    assert!(
        e.to_string().contains("no cell computing a full adder"),
        "{e}"
    );
}

#[test]
fn library_cell_netlists_import_by_function() {
    use arithsim::circuits::adders::{AdderKind, adder};
    use arithsim::gates::hdl::{read_verilog, read_verilog_with_library};
    let lib = CellLibrary::load_liberty(lib_path()).unwrap();
    let opts = arithsim::gates::StaOptions::default();
    for kind in [
        AdderKind::RippleCarry,
        AdderKind::CarrySelect { block: 4 },
        AdderKind::CarrySkip { block: 4 },
    ] {
        let net = adder(kind, 8).unwrap();
        let text = net.to_liberty_verilog("top", &lib).unwrap();
        if kind == AdderKind::RippleCarry {
            assert!(text.contains("FA_X1 u"), "{text}");
            // plain import does not know the library's cells
            assert!(read_verilog(&text).is_err());
        }
        let back = read_verilog_with_library(&text, &lib).unwrap();
        let a: Vec<u64> = (0..256).collect();
        let b: Vec<u64> = (0..256).map(|x| (x * 37 + 11) % 256).collect();
        let c: Vec<u64> = (0..256).map(|x| x % 2).collect();
        let ins = [("a", &a[..]), ("b", &b[..]), ("cin", &c[..])];
        let (x, y) = (net.eval_u64(&ins).unwrap(), back.eval_u64(&ins).unwrap());
        assert_eq!(x.get("sum").unwrap(), y.get("sum").unwrap());
        assert_eq!(x.get("cout").unwrap(), y.get("cout").unwrap());
        // full adders and muxes come back as recorded cells (by truth table): same timing
        let (t0, t1) = (
            net.sta(&lib, &opts).unwrap(),
            back.sta(&lib, &opts).unwrap(),
        );
        assert!(
            (t0.delay_ns - t1.delay_ns).abs() < 1e-12,
            "{kind:?}: {} {}",
            t0.delay_ns,
            t1.delay_ns
        );
    }
    let net = adder(AdderKind::RippleCarry, 8).unwrap();
    assert!(
        net.sta(&lib, &opts)
            .unwrap()
            .critical_path
            .iter()
            .all(|s| s.cell == "FA_X1")
    );
    // the embedded table has no NLDM tables: a clear error, not a guess
    let e = net.sta(&CellLibrary::nangate45(), &opts).unwrap_err();
    assert!(e.to_string().contains("need a Liberty library"), "{e}");
}

#[test]
fn timing_and_power_reject_bad_options() {
    use arithsim::circuits::adders::{AdderKind, adder};
    use arithsim::gates::{InternalPowerModel, PowerActivity, StaOptions};
    let lib = CellLibrary::load_liberty(lib_path()).unwrap();
    let net = adder(AdderKind::KoggeStone, 8).unwrap();
    let bad = StaOptions {
        input_slew_ns: -1.0,
        output_load_ff: 1.0,
    };
    assert!(net.sta(&lib, &bad).is_err());
    let opts = StaOptions::default();
    assert!(
        net.nldm_power(&lib, &opts, PowerActivity::Uniform(f64::NAN))
            .is_err()
    );
    assert!(
        net.nldm_power(&lib, &opts, PowerActivity::PerWire(&[0.5]))
            .is_err()
    );
    // a quieter net draws less; the 2019 arithmetic counts more than the normalized one
    let n = PowerActivity::Uniform(0.5);
    let norm = net.nldm_power(&lib, &opts, n).unwrap();
    let old = net
        .nldm_power_with(&lib, &opts, n, InternalPowerModel::OpenSta2019)
        .unwrap();
    let quiet = net
        .nldm_power(&lib, &opts, PowerActivity::Uniform(0.25))
        .unwrap();
    assert!((quiet.total_fj() - norm.total_fj() / 2.0).abs() < 1e-9 * norm.total_fj());
    // The energy is at the library's voltage, stated in the result.
    assert_eq!(norm.voltage_v, lib.voltage_v());
    assert_eq!(norm.total_fj_at(norm.voltage_v), norm.total_fj());
    assert!((norm.total_fj_at(0.55) - norm.total_fj() / 4.0).abs() < 1e-9 * norm.total_fj());
    assert_eq!(norm.switching_fj, old.switching_fj);
    assert!(old.internal_fj > 1.5 * norm.internal_fj);
}

/// NLDM power from per-net activity: one inverter by hand from the library's tables, every
/// wire at one activity equal to the uniform figure exactly, and the crate's simulated
/// activities (zero-delay and glitch-aware) through [`arithsim::cost::nldm_energy`].
#[test]
fn nldm_power_from_per_wire_activity() {
    use arithsim::circuits::adders::{AdderKind, adder_without_carry_in};
    use arithsim::cost::report::ReportCircuit;
    use arithsim::cost::{glitch_cost_random, nldm_energy};
    use arithsim::gates::{Builder, PowerActivity, StaOptions, TimedDelays};
    let lib = CellLibrary::load_liberty(lib_path()).unwrap();
    let opts = StaOptions::default();

    // y = !a: the INV_X1's internal-power group at (input slew, output load) plus ½·C·V² of
    // the output port's load, times the output's activity; the input's activity only weighs.
    let mut b = Builder::new();
    let a = b.input_bit("a").unwrap();
    let y = b.not(a);
    b.output("y", &[y]).unwrap();
    let net = b.finish().unwrap();
    let mut act = vec![0.0; net.wire_count()];
    act[a.index()] = 0.7;
    act[y.index()] = 0.7;
    let p = net
        .nldm_power(&lib, &opts, PowerActivity::PerWire(&act))
        .unwrap();
    let inv = lib.liberty().unwrap().liberty.cell("INV_X1").unwrap();
    let out = inv.outputs()[0];
    assert_eq!(inv.pins[out].power.len(), 1);
    assert!(inv.inputs().iter().all(|&i| inv.pins[i].power.is_empty()));
    let g = &inv.pins[out].power[0];
    let (s, c) = (opts.input_slew_ns, opts.output_load_ff);
    let e = (g.energy[0].as_ref().unwrap().lookup(s, c)
        + g.energy[1].as_ref().unwrap().lookup(s, c))
        / 2.0;
    assert!(e > 0.1, "{e} fJ");
    assert!(
        (p.internal_fj - 0.7 * e).abs() < 1e-12,
        "{} vs {}",
        p.internal_fj,
        0.7 * e
    );
    let sw = 0.7 * 0.5 * c * 1.1 * 1.1;
    assert!(
        (p.switching_fj - sw).abs() < 1e-12,
        "{} vs {sw}",
        p.switching_fj
    );

    // every wire at one activity: exactly the uniform figure
    for net in [
        adder_without_carry_in(AdderKind::KoggeStone, 8).unwrap(),
        ReportCircuit::Int8Mac.build().unwrap(),
    ] {
        let all = vec![0.3; net.wire_count()];
        let per = net
            .nldm_power(&lib, &opts, PowerActivity::PerWire(&all))
            .unwrap();
        let uni = net
            .nldm_power(&lib, &opts, PowerActivity::Uniform(0.3))
            .unwrap();
        assert_eq!(per, uni);
    }

    // simulated activity: a ripple-carry adder glitches, so the glitch-aware NLDM energy
    // exceeds the zero-delay one; both are the per-wire power of the run's activities
    let net = adder_without_carry_in(AdderKind::RippleCarry, 16).unwrap();
    let d = TimedDelays::from_library(&lib, 0.01).unwrap();
    let run = glitch_cost_random(&net, &lib, &d, 4096, 7).unwrap();
    let e = nldm_energy(&net, &lib, &opts, &run).unwrap();
    let zero = run.zero_delay_activity.per_operation();
    assert_eq!(
        e.zero_delay,
        net.nldm_power(&lib, &opts, PowerActivity::PerWire(&zero))
            .unwrap()
    );
    assert!(e.glitch_aware.total_fj() > 1.3 * e.zero_delay.total_fj());
    let mean = zero.iter().sum::<f64>() / zero.len() as f64;
    assert_eq!(e.uniform_activity, mean);
    // the embedded table has no NLDM tables: an error, not a figure
    assert!(nldm_energy(&net, &CellLibrary::nangate45(), &opts, &run).is_err());
}
