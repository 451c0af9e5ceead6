//! The cost report's gate-level circuits on a Liberty library (section 4d): area of the
//! textbook netlist against a Yosys + ABC synthesis of the same function, and the fixed-delay
//! critical path against NLDM static timing.
//!
//! ```text
//! cargo run --release --example liberty_report -- --liberty ../shared/data/nangate45_typ.lib.gz
//! cargo run --release --example liberty_report -- --synth --format markdown
//! ```
//!
//! Options:
//!   --liberty FILE  the library (.lib or .lib.gz); default: $ARITHSIM_LIBERTY, else
//!                   ../shared/data/nangate45_typ.lib.gz (the project's shared data; an
//!                   error that says to pass one when it is not there)
//!   --synth         also synthesize each circuit with Yosys + ABC (`yosys` on the PATH):
//!                   `synth -top top; dfflibmap -liberty L; abc -liberty L; stat -liberty L`
//!                   (a circuit that takes over 600 s gets no area)
//!   --quick         only the 8- and 16-bit circuits
//!   --format F      text (default), markdown, csv or json

#[path = "common/cli.rs"]
mod cli;
#[path = "common/synth.rs"]
mod synth;

use std::process::ExitCode;

use arithsim::circuits::adders::{AdderKind, adder_without_carry_in};
use arithsim::circuits::fp::{FpUnitConfig, fp_adder, fp_mac, fp_multiplier};
use arithsim::circuits::mac::{Mac, MacSpec};
use arithsim::circuits::multipliers::{Signedness, array_multiplier, dadda_multiplier};
use arithsim::cost::report::{LibertyRow, liberty_section, render_sections};
use arithsim::float::FloatFormat;
use arithsim::gates::{CellLibrary, Netlist, StaOptions};
use arithsim::{Error, Result};

/// The circuits of the cost report's sections 4 and 4b.
fn circuits(quick: bool) -> Result<Vec<(String, Netlist)>> {
    let mut v = Vec::new();
    let widths: &[u32] = if quick { &[8, 16] } else { &[8, 16, 32] };
    for kind in [AdderKind::RippleCarry, AdderKind::KoggeStone] {
        for &bits in widths {
            v.push((
                format!("{bits}-bit {} adder, carry-in 0", kind),
                adder_without_carry_in(kind, bits)?,
            ));
        }
    }
    for &bits in if quick { &[8u32][..] } else { &[8, 32][..] } {
        let s = Signedness::Unsigned;
        v.push((
            format!("{bits}x{bits}-bit array (ripple) multiplier"),
            array_multiplier(bits, bits, s, AdderKind::RippleCarry)?,
        ));
        v.push((
            format!("{bits}x{bits}-bit Dadda (Kogge-Stone) multiplier"),
            dadda_multiplier(bits, bits, s, AdderKind::KoggeStone)?,
        ));
    }
    let cfg = FpUnitConfig::default();
    let formats: &[FloatFormat] = if quick {
        &[FloatFormat::FP16]
    } else {
        &[FloatFormat::FP16, FloatFormat::FP32]
    };
    for &f in formats {
        v.push((format!("FP{} adder", f.width()), fp_adder(f, &cfg)?));
        v.push((
            format!("FP{} multiplier", f.width()),
            fp_multiplier(f, &cfg)?,
        ));
    }
    v.push((
        "INT8 MAC, 32-bit acc".into(),
        Mac::new(MacSpec::INT8_INT32)?.netlist().clone(),
    ));
    if !quick {
        v.push((
            "FP16 x FP16 + FP32 MAC".into(),
            fp_mac(FloatFormat::FP16, FloatFormat::FP32, &cfg)?,
        ));
    }
    Ok(v)
}

fn run(args: &cli::Args) -> Result<()> {
    let lib_path = cli::liberty_path(args)?;
    let (synth, quick, format) = (args.flag("synth"), args.flag("quick"), args.format);
    let lib = CellLibrary::load_liberty(&lib_path)?;
    let dir = std::env::temp_dir().join(format!("arithsim_liberty_report_{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
        path: dir.clone(),
        source,
    })?;
    let plain = if synth {
        Some(synth::plain_library(&lib_path, &dir)?)
    } else {
        None
    };
    let opts = StaOptions::default();
    let mut rows = Vec::new();
    for (k, (name, net)) in circuits(quick)?.into_iter().enumerate() {
        let synth_area_um2 = match &plain {
            Some(p) => synth::synthesize(&net, p, &dir, &format!("c{k}"), 600)?.area_um2,
            None => None,
        };
        rows.push(LibertyRow {
            circuit: name,
            instances: net.instances().len(),
            area_um2: net.area_um2(&lib),
            synth_area_um2,
            fixed_delay_ns: net.timing(&lib).delay_ns,
            nldm_delay_ns: net.sta(&lib, &opts)?.delay_ns,
        });
    }
    let notes = vec![
        format!(
            "Library: {} ({}). Textbook area: the netlist's cells, each mapped by function to \
             the smallest library cell computing it. NLDM delay: Netlist::sta with input slew \
             {} ns and {} fF on every output (agrees with OpenSTA 2.0.17 to 0.02 %, \
             tests/sta_calibration.rs); fixed delay: one worst-arc figure per cell.",
            lib.liberty().map_or("", |m| m.liberty.name.as_str()),
            lib_path.display(),
            opts.input_slew_ns,
            opts.output_load_ff
        ),
        "Synthesized: Yosys + ABC on the same function (the flat Verilog export): `synth -top \
         top; dfflibmap -liberty L; abc -liberty L; stat -liberty L`, area only."
            .into(),
    ];
    let s = liberty_section(&rows, notes);
    print!(
        "{}",
        render_sections("Gate-level circuits on a Liberty library", &[s], format)
    );
    Ok(())
}

fn main() -> ExitCode {
    cli::main(&cli::LIBERTY_REPORT, run)
}
