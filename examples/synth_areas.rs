//! Synthesizes every gate-level circuit of the cost report with Yosys + ABC onto a Liberty
//! library and writes the areas as CSV (the cost report embeds `data/synth_areas.csv`; ABC
//! takes minutes on the large multipliers, so the report itself never synthesizes).
//!
//! ```text
//! cargo run --release --example synth_areas -- --timeout 240 --bless
//! ```
//!
//! Options:
//!   --liberty FILE  the library (.lib or .lib.gz); default: $ARITHSIM_LIBERTY, else
//!                   ../shared/data/nangate45_typ.lib.gz (the project's shared data; an
//!                   error that says to pass one when it is not there)
//!   --timeout S     seconds per circuit before Yosys and ABC are killed (default 240); the
//!                   row then says "timeout after S s"
//!   --bless         write data/synth_areas.csv (else <target>/synth_areas.csv)
//!   --quick         only the four smallest circuits (the CI size)
//!   --hardfloat     instead, synthesize the FP32 FMA and the INT8 MAC and print their areas
//!                   (the comparison with HardFloat's published figures in docs/cost-model.md)
//!
//! Per circuit: the flat Verilog export, then `yosys -p "read_verilog c.v; synth -top top;
//! dfflibmap -liberty L; abc -liberty L; stat -liberty L"` with the library unzipped to a
//! temporary file. Circuits run smallest first; the CSV (in report order) is rewritten after
//! each one, so an interrupted run keeps what it measured (the rest say "not run").

#[path = "common/cli.rs"]
mod cli;
#[path = "common/synth.rs"]
mod synth;

/// Circuits `--quick` synthesizes (the smallest ones; the CI size).
const QUICK_CIRCUITS: usize = 4;

use std::path::PathBuf;
use std::process::ExitCode;

use arithsim::circuits::fp::FpUnitConfig;
use arithsim::cost::FpUnit;
use arithsim::cost::report::{ReportCircuit, SYNTH_AREAS_HEADER, SynthArea, report_circuits};
use arithsim::float::FloatFormat;
use arithsim::gates::CellLibrary;
use arithsim::{Error, Result};

fn write_csv(path: &PathBuf, rows: &[SynthArea]) -> Result<()> {
    let mut text = String::from(SYNTH_AREAS_HEADER);
    text.push('\n');
    for r in rows {
        text.push_str(&r.to_csv_line());
        text.push('\n');
    }
    std::fs::write(path, text).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })
}

fn run(args: &cli::Args) -> Result<()> {
    let lib_path = cli::liberty_path(args)?;
    let timeout = args.count("timeout").filter(|&t| t > 0).unwrap_or(240);
    let (bless, hardfloat, quick) = (
        args.flag("bless"),
        args.flag("hardfloat"),
        args.flag("quick"),
    );
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = if bless {
        manifest.join("data/synth_areas.csv")
    } else {
        cli::target_dir().join("synth_areas.csv")
    };
    let lib = CellLibrary::load_liberty(&lib_path)?;
    let dir = std::env::temp_dir().join(format!("arithsim_synth_areas_{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
        path: dir.clone(),
        source,
    })?;
    let plain = synth::plain_library(&lib_path, &dir)?;
    let version = synth::yosys_version()?;
    if hardfloat {
        let f = FloatFormat::FP32;
        let fma = FpUnit::Fma { mul: f, acc: f };
        for (name, net) in [
            (fma.to_string(), fma.build(&FpUnitConfig::default())?),
            (
                ReportCircuit::Int8Mac.to_string(),
                ReportCircuit::Int8Mac.build()?,
            ),
        ] {
            let s = synth::synthesize(&net, &plain, &dir, "h", timeout)?;
            println!(
                "{name}: textbook {:.1} µm² ({} cells), Yosys+ABC {} ({:.1} s, {version})",
                net.area_um2(&lib),
                net.instances().len(),
                s.area_um2
                    .map_or(format!("timeout after {timeout} s"), |a| format!(
                        "{a:.1} µm²"
                    )),
                s.seconds
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
        return Ok(());
    }
    let circuits = report_circuits();
    let mut nets = Vec::new();
    for c in &circuits {
        nets.push(c.build()?);
    }
    let mut rows: Vec<SynthArea> = circuits
        .iter()
        .zip(&nets)
        .map(|(c, n)| SynthArea {
            circuit: c.to_string(),
            textbook_um2: n.area_um2(&lib),
            synth_um2: None,
            status: "not run".into(),
            yosys_version: version.clone(),
            script: synth::SCRIPT.into(),
            seconds: 0.0,
        })
        .collect();
    write_csv(&out, &rows)?;
    let mut order: Vec<usize> = (0..circuits.len()).collect();
    order.sort_by_key(|&k| nets[k].instances().len());
    if quick {
        order.truncate(QUICK_CIRCUITS);
    }
    for k in order {
        let s = synth::synthesize(&nets[k], &plain, &dir, &format!("c{k}"), timeout)?;
        let r = &mut rows[k];
        r.synth_um2 = s.area_um2;
        r.seconds = s.seconds;
        r.status = match s.area_um2 {
            Some(_) => "ok".into(),
            None => format!("timeout after {timeout} s"),
        };
        // The table is the result: stdout (progress and the file written go to stderr).
        println!(
            "{:<45} textbook {:>10.1} µm²  synthesized {:>10}  {:>6.1} s",
            r.circuit,
            r.textbook_um2,
            r.synth_um2.map_or(r.status.clone(), |a| format!("{a:.1}")),
            r.seconds
        );
        write_csv(&out, &rows)?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!("wrote {}", out.display());
    Ok(())
}

fn main() -> ExitCode {
    cli::main(&cli::SYNTH_AREAS, run)
}
