//! Liberty (`.lib`) cell libraries: import, function-based mapping, NLDM tables.
//!
//! [`Liberty::load`] reads a library (gzip'd or not) with a hand-written subset parser (see
//! `parse.rs` for why);
//! [`CellLibrary::from_liberty`](crate::gates::CellLibrary::from_liberty) maps the crate's
//! gates and recorded cells onto its cells by boolean function and keeps the NLDM delay, slew and
//! internal-power tables for [`Netlist::sta`](crate::gates::Netlist::sta) and
//! [`Netlist::nldm_power`](crate::gates::Netlist::nldm_power). Unknown groups and attributes are
//! skipped; a malformed or truncated file, an unsupported delay model or table, or a library
//! without a function the crate needs is an [`Error::Table`] with the line.
//!
//! # Examples
//!
//! Pricing every circuit of the cost report with your own library takes three lines (area,
//! NLDM critical path, NLDM energy at one uniform activity; the example reads the NanGate file
//! from `ARITHSIM_LIBERTY` or `../shared/data`):
//!
//! ```
//! use arithsim::cost::report::report_circuits;
//! use arithsim::gates::{CellLibrary, PowerActivity};
//! # let my_library = std::env::var("ARITHSIM_LIBERTY")
//! #     .unwrap_or_else(|_| "../shared/data/nangate45_typ.lib.gz".into());
//! # let o = Default::default();
//!
//! let lib = CellLibrary::load_liberty(my_library)?;
//! for (c, net) in report_circuits().iter().map(|c| (c.to_string(), c.build())) { let net = net?;
//!     println!("{c}: {} µm², {} ns, {} fJ/op", net.area_um2(&lib), net.sta(&lib, &o)?.delay_ns,
//!         net.nldm_power(&lib, &o, PowerActivity::Uniform(0.25))?.total_fj()); }
//! # Ok::<(), arithsim::Error>(())
//! ```

mod func;
mod mapping;
mod model;
mod parse;
mod table;

use std::io::Read;
use std::path::Path;

pub use func::Func;
pub use mapping::{CellMap, describe, logical_pins, map_library};
pub use model::{Direction, FlipFlop, InternalPower, Liberty, LibertyCell, Pin, Sense, TimingArc};
pub use table::Table;

use crate::gates::{CellData, LibCell};
use crate::{Error, Result};

impl Liberty {
    /// Parses Liberty text; `file` names it in errors.
    ///
    /// # Errors
    /// [`Error::Table`] with the line for malformed or truncated text and unsupported
    /// constructs.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::gates::liberty::Liberty;
    ///
    /// let lib = Liberty::parse(r#"library (tiny) {
    ///   nom_voltage : 1.0;
    ///   cell (INVX1) { area : 1.5;
    ///     pin (A) { direction : input; capacitance : 2; }
    ///     pin (Y) { direction : output; function : "!A"; }
    ///   }
    /// }"#, "tiny.lib")?;
    /// assert_eq!(lib.cells[0].area_um2, 1.5);
    /// let e = Liberty::parse("library (x) {\n cell (A) {\n", "bad.lib").unwrap_err();
    /// assert!(e.to_string().starts_with("bad.lib:3:"));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn parse(text: &str, file: &str) -> Result<Liberty> {
        let tree = parse::parse(text, file)?;
        Liberty::from_tree(&tree, file)
    }

    /// Reads a `.lib` file, gunzipping it if it starts with the gzip magic bytes.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be read or decompressed, else as [`Liberty::parse`].
    pub fn load(path: impl AsRef<Path>) -> Result<Liberty> {
        let path = path.as_ref();
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let bytes = std::fs::read(path).map_err(io)?;
        let text = if bytes.starts_with(&[0x1f, 0x8b]) {
            let mut s = String::new();
            flate2::read::MultiGzDecoder::new(&bytes[..])
                .read_to_string(&mut s)
                .map_err(io)?;
            s
        } else {
            String::from_utf8(bytes)
                .map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?
        };
        Liberty::parse(&text, &path.display().to_string())
    }
}

/// A Liberty library with the crate's cell kinds mapped onto it: what a [`CellLibrary`]
/// loaded from Liberty carries for NLDM timing, power and export.
///
/// [`CellLibrary`]: crate::gates::CellLibrary
#[derive(Clone, Debug, PartialEq)]
pub struct MappedLiberty {
    /// The library.
    pub liberty: Liberty,
    /// Per [`LibCell`] kind (by [`LibCell::index`]), its cell, if the library has one.
    pub map: Vec<Option<CellMap>>,
}

impl MappedLiberty {
    /// The mapping of `kind`.
    ///
    /// # Errors
    /// [`Error::Unsupported`] naming the function if the library has no cell for it.
    pub fn get(&self, kind: LibCell) -> Result<(&CellMap, &LibertyCell)> {
        self.map[kind.index()]
            .as_ref()
            .map(|m| (m, &self.liberty.cells[m.cell]))
            .ok_or_else(|| {
                Error::Unsupported(format!(
                    "library {} has no cell computing {}",
                    self.liberty.name,
                    describe(kind)
                ))
            })
    }
}

/// The table point used for the summary figures: nearest to 0.0375 ns input slew and
/// 1.6 fF load, as the embedded NanGate table was read (`data/nangate45_cells.csv`).
fn nearest(axis: &[f64], v: f64) -> usize {
    (0..axis.len())
        .min_by(|&a, &b| (axis[a] - v).abs().total_cmp(&(axis[b] - v).abs()))
        .unwrap_or(0)
}

fn at_point(t: &Table) -> f64 {
    let i = nearest(&t.slew_ns, 0.0375);
    let j = nearest(&t.load_ff, 1.6);
    t.values[i * t.load_ff.len().max(1) + j]
}

/// Summary figures ([`CellData`]) of a mapped cell: area, input caps, worst-arc delay and
/// that arc's internal energy at the reference point, leakage.
pub(crate) fn cell_data(cell: &LibertyCell, m: &CellMap) -> CellData {
    let mut ins: Vec<usize> = m.inputs.clone();
    ins.extend(m.clock);
    let caps: Vec<f64> = ins.iter().map(|&p| cell.pins[p].capacitance_ff).collect();
    let mut delay = 0.0f64;
    let mut energy = 0.0f64;
    for &o in &m.outputs {
        let pin = &cell.pins[o];
        for a in &pin.arcs {
            let d = a
                .delay
                .iter()
                .flatten()
                .map(at_point)
                .fold(0.0f64, f64::max);
            if d > delay {
                delay = d;
                energy = pin
                    .power
                    .iter()
                    .find(|p| p.related == Some(a.related) && p.when == a.when)
                    .map_or(0.0, |p| {
                        let e: Vec<f64> = p.energy.iter().flatten().map(at_point).collect();
                        e.iter().sum::<f64>() / e.len().max(1) as f64
                    });
            }
        }
    }
    CellData {
        name: cell.name.clone(),
        area_um2: cell.area_um2,
        input_cap_ff_max: caps.iter().copied().fold(0.0, f64::max),
        input_cap_ff_mean: caps.iter().sum::<f64>() / caps.len().max(1) as f64,
        delay_ns: delay,
        internal_energy_fj: energy,
        leakage_nw: cell.leakage_nw,
    }
}
