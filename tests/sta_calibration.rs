//! Calibration of the NLDM timing pass against OpenSTA (`sta`, Debian package `opensta`) on
//! the NanGate 45 nm Liberty file, with the same input slew and output load on both sides and
//! the file's default wire load dropped (the crate models no wires).
//!
//! Needs `sta` on the PATH and `../shared/data/nangate45_typ.lib.gz` (or the file named by
//! `ARITHSIM_LIBERTY`). Run: `cargo test --release --features hdl-tools --test sta_calibration`.

#![cfg(feature = "hdl-tools")]

use std::path::PathBuf;
use std::process::Command;

use arithsim::circuits::adders::{AdderKind, adder};
use arithsim::circuits::fp::fp_mac;
use arithsim::circuits::fp::{FpUnitConfig, fp_adder, fp_multiplier};
use arithsim::circuits::mac::{Mac, MacSpec};
use arithsim::circuits::multipliers::{
    Reduction, Signedness, array_multiplier, booth_multiplier, dadda_multiplier, wallace_multiplier,
};
use arithsim::float::FloatFormat;
use arithsim::gates::{CellLibrary, InternalPowerModel, Netlist, PowerActivity, StaOptions};

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

/// A temporary directory holding the unzipped library without `default_wire_load`.
fn workdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("arithsim_sta_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let lib = dir.join("lib.lib");
    if !lib.exists() {
        let out = Command::new("gzip")
            .arg("-dc")
            .arg(lib_path())
            .output()
            .expect("gzip runs");
        let text = String::from_utf8(out.stdout).unwrap();
        let kept: String = text
            .lines()
            .filter(|l| !l.contains("default_wire_load"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&lib, kept).unwrap();
    }
    dir
}

fn run_sta(tcl: &std::path::Path, name: &str) -> String {
    let out = Command::new("sta")
        .arg("-no_splash")
        .arg("-exit")
        .arg(tcl)
        .output()
        .expect("`sta` (OpenSTA) on the PATH");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "OpenSTA failed on {name}:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

/// The period of the clock the power runs use, ns (one operation per period).
const PERIOD_NS: f64 = 10.0;

/// OpenSTA's internal and switching power for `net` in W, one uniform activity on every net.
fn opensta_power(
    net: &Netlist,
    lib: &CellLibrary,
    opts: &StaOptions,
    activity: f64,
    name: &str,
) -> (f64, f64) {
    let dir = workdir();
    let v = dir.join(format!("{name}_p.v"));
    std::fs::write(&v, net.to_liberty_verilog("top", lib).unwrap()).unwrap();
    let tcl = dir.join(format!("{name}_p.tcl"));
    let clock = clock_lines(net, opts);
    std::fs::write(
        &tcl,
        format!(
            "read_liberty {}\nread_verilog {}\nlink_design top\n{clock}\
             set_input_delay 0 -clock clk $ins\n\
             set_input_transition {} $ins\nset_load {} [all_outputs]\n\
             set_power_activity -global -activity {activity} -duty 0.5\n\
             report_power -digits 8\nexit\n",
            dir.join("lib.lib").display(),
            v.display(),
            opts.input_slew_ns,
            opts.output_load_ff
        ),
    )
    .unwrap();
    let text = run_sta(&tcl, name);
    let total = text
        .lines()
        .find(|l| l.starts_with("Total"))
        .unwrap_or_else(|| panic!("no power report for {name}:\n{text}"));
    let f: Vec<f64> = total
        .split_whitespace()
        .skip(1)
        .take(2)
        .map(|t| t.parse().unwrap())
        .collect();
    (f[0], f[1])
}

/// The data input ports of `net` as a Tcl list.
fn data_ports(net: &Netlist) -> String {
    let names: Vec<String> = net
        .inputs()
        .iter()
        .map(|p| format!("{}[*]", p.name()))
        .collect();
    format!("[get_ports {{{}}}]", names.join(" "))
}

/// A clock of `PERIOD_NS` (on port `clk` for a design with registers, else virtual), with
/// `$ins` the data inputs.
fn clock_lines(net: &Netlist, opts: &StaOptions) -> String {
    let ins = data_ports(net);
    if net.registers().is_empty() {
        format!("create_clock -name clk -period {PERIOD_NS}\nset ins {ins}\n")
    } else {
        format!(
            "create_clock -name clk -period {PERIOD_NS} [get_ports clk]\n\
             set_clock_transition {} [get_clocks clk]\nset ins {ins}\n",
            opts.input_slew_ns
        )
    }
}

/// OpenSTA's worst unconstrained arrival for `net` (exported with the library's cells).
fn opensta_delay(net: &Netlist, lib: &CellLibrary, opts: &StaOptions, name: &str) -> f64 {
    let dir = workdir();
    let v = dir.join(format!("{name}.v"));
    std::fs::write(&v, net.to_liberty_verilog("top", lib).unwrap()).unwrap();
    let tcl = dir.join(format!("{name}.tcl"));
    std::fs::write(
        &tcl,
        format!(
            "read_liberty {}\nread_verilog {}\nlink_design top\n{}\
             set_input_transition {} $ins\nset_load {} [all_outputs]\n{}\
             report_checks -unconstrained -digits 4\nexit\n",
            dir.join("lib.lib").display(),
            v.display(),
            if net.registers().is_empty() {
                format!("set ins {}\n", data_ports(net))
            } else {
                clock_lines(net, opts)
            },
            opts.input_slew_ns,
            opts.output_load_ff,
            if net.registers().is_empty() {
                ""
            } else {
                "set_input_delay 0 -clock clk $ins\n"
            },
        ),
    )
    .unwrap();
    let text = run_sta(&tcl, name);
    text.lines()
        .find(|l| l.contains("data arrival time"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("no arrival in OpenSTA output for {name}:\n{text}"))
}

fn circuits() -> Vec<(String, Netlist)> {
    let mut v = Vec::new();
    for w in [8, 16, 32] {
        for k in AdderKind::ALL {
            let kind: String = format!("{k:?}")
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            v.push((format!("{kind}_{w}"), adder(k, w).unwrap()));
        }
    }
    let s = Signedness::Unsigned;
    let ks = AdderKind::KoggeStone;
    for n in [8, 16] {
        v.push((format!("array_{n}"), array_multiplier(n, n, s, ks).unwrap()));
        v.push((
            format!("wallace_{n}"),
            wallace_multiplier(n, n, s, ks).unwrap(),
        ));
        v.push((format!("dadda_{n}"), dadda_multiplier(n, n, s, ks).unwrap()));
        let sg = Signedness::Signed;
        v.push((
            format!("booth_{n}"),
            booth_multiplier(n, n, sg, Reduction::Dadda, ks).unwrap(),
        ));
    }
    let cfg = FpUnitConfig::default();
    for f in [FloatFormat::FP16, FloatFormat::FP32] {
        v.push((format!("fpadd_{}", f.width()), fp_adder(f, &cfg).unwrap()));
        v.push((
            format!("fpmul_{}", f.width()),
            fp_multiplier(f, &cfg).unwrap(),
        ));
    }
    v
}

fn macs() -> Vec<(String, Netlist)> {
    let cfg = FpUnitConfig::default();
    vec![
        (
            "int8_mac".into(),
            Mac::new(MacSpec::INT8_INT32).unwrap().netlist().clone(),
        ),
        (
            "fp16_fp32_mac".into(),
            fp_mac(FloatFormat::FP16, FloatFormat::FP32, &cfg).unwrap(),
        ),
    ]
}

#[test]
fn nldm_power_matches_opensta_within_5_percent() {
    let lib = CellLibrary::load_liberty(lib_path()).unwrap();
    let opts = StaOptions::default();
    let a = 0.2;
    let mut worst: (f64, f64) = (0.0, 0.0);
    for (name, net) in circuits().into_iter().chain(macs()) {
        let p = net
            .nldm_power_with(
                &lib,
                &opts,
                PowerActivity::Uniform(a),
                InternalPowerModel::OpenSta2019,
            )
            .unwrap();
        // fJ per operation, one operation per period: W = fJ * 1e-15 / (period * 1e-9)
        let scale = 1e-6 / PERIOD_NS;
        let (int, sw) = (p.internal_fj * scale, p.switching_fj * scale);
        let (oint, osw) = opensta_power(&net, &lib, &opts, a, &name);
        let (ei, es) = ((int - oint).abs() / oint, (sw - osw).abs() / osw);
        println!(
            "{name:>28}: internal {int:.4e} vs {oint:.4e} W ({:.3} %), switching {sw:.4e} vs {osw:.4e} W ({:.3} %)",
            100.0 * ei,
            100.0 * es
        );
        worst = (worst.0.max(ei), worst.1.max(es));
        assert!(ei < 0.05 && es < 0.05, "{name}");
    }
    println!(
        "worst relative power error: internal {:.4} %, switching {:.4} %",
        100.0 * worst.0,
        100.0 * worst.1
    );
}

#[test]
fn nldm_delay_matches_opensta_within_2_percent() {
    let lib = CellLibrary::load_liberty(lib_path()).unwrap();
    let mut worst = 0.0f64;
    for opts in [
        StaOptions::default(),
        StaOptions {
            input_slew_ns: 0.01,
            output_load_ff: 5.0,
        },
    ] {
        for (name, net) in circuits().into_iter().chain(macs()) {
            let ours = net.sta(&lib, &opts).unwrap().delay_ns;
            let theirs = opensta_delay(&net, &lib, &opts, &name);
            let err = (ours - theirs).abs() / theirs;
            println!(
                "{name:>28}: arithsim {ours:.4} ns, OpenSTA {theirs:.4} ns, {:.3} %",
                100.0 * err
            );
            worst = worst.max(err);
            assert!(err < 0.02, "{name}: {ours} vs {theirs}");
        }
    }
    println!("worst relative delay error {:.4} %", 100.0 * worst);
}
