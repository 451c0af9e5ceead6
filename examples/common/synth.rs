//! Yosys + ABC synthesis of a netlist's function onto a Liberty library, area only: shared
//! by `examples/synth_areas.rs`, `examples/liberty_report.rs` and `tests/synth_areas.rs`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use arithsim::gates::Netlist;
use arithsim::gates::hdl::VerilogOptions;
use arithsim::{Error, Result};

/// The Yosys commands after `read_verilog`; `L` is the unzipped library.
pub const SCRIPT: &str = "synth -top top; dfflibmap -liberty L; abc -liberty L; stat -liberty L";

/// How a synthesis run ended.
pub struct Synthesized {
    /// Area from `stat -liberty`, µm²; `None` when the run timed out.
    pub area_um2: Option<f64>,
    /// Wall-clock seconds.
    pub seconds: f64,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The library unzipped into `dir` (neither Yosys 0.23 nor OpenSTA 2.0.17 reads gzip).
pub fn plain_library(path: &Path, dir: &Path) -> Result<PathBuf> {
    let out = dir.join("library.lib");
    let bytes = std::fs::read(path).map_err(io(path))?;
    let text = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&bytes[..]), &mut s)
            .map_err(io(&out))?;
        s
    } else {
        bytes
    };
    std::fs::write(&out, text).map_err(io(&out))?;
    Ok(out)
}

/// `yosys -V`, e.g. "Yosys 0.23 (git sha1 7ce5011c24b)".
pub fn yosys_version() -> Result<String> {
    let out = Command::new("yosys")
        .arg("-V")
        .output()
        .map_err(io(Path::new("yosys")))?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Synthesizes `net`'s function (its flat Verilog export, module `top`) with [`SCRIPT`] on the
/// unzipped library `lib`, files in `dir` named after `name`. The run is killed, with ABC,
/// after `timeout_s` seconds (coreutils `timeout` signals the whole process group).
pub fn synthesize(
    net: &Netlist,
    lib: &Path,
    dir: &Path,
    name: &str,
    timeout_s: u64,
) -> Result<Synthesized> {
    let v = dir.join(format!("{name}.v"));
    std::fs::write(&v, net.to_verilog(&VerilogOptions::new("top"))?).map_err(io(&v))?;
    let script = format!(
        "read_verilog {}; {}",
        v.display(),
        SCRIPT.replace(" L", &format!(" {}", lib.display()))
    );
    let t0 = Instant::now();
    let out = Command::new("timeout")
        .args(["-k", "10", &timeout_s.to_string(), "yosys", "-p", &script])
        .output()
        .map_err(io(Path::new("timeout")))?;
    let seconds = t0.elapsed().as_secs_f64();
    if out.status.code() == Some(124) || out.status.code() == Some(137) {
        return Ok(Synthesized {
            area_um2: None,
            seconds,
        });
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let area = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Chip area for module"))
        .filter_map(|rest| rest.rsplit(':').next()?.trim().parse::<f64>().ok())
        .next_back()
        .ok_or_else(|| {
            let tail: String = text.lines().rev().take(20).collect::<Vec<_>>().join("\n");
            Error::Unsupported(format!(
                "no area in the Yosys output for {name} ({}):\n{tail}\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ))
        })?;
    Ok(Synthesized {
        area_um2: Some(area),
        seconds,
    })
}
