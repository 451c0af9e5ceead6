//! Cell libraries: area, delay, energy, pin capacitance and leakage per cell kind.
//!
//! The built-in default is the open NanGate 45 nm library (FreePDK45), typical corner, 1.1 V,
//! with figures read from its Liberty file (`data/nangate45_cells.csv`, whose header gives the
//! source, the table points and the units). A user can load another library from a CSV file
//! with the same columns.

use std::path::Path;
use std::sync::Arc;

use super::liberty::{Liberty, MappedLiberty, cell_data, describe, map_library};
use super::netlist::{CellKind, Op};
use crate::{Error, Result};

/// The embedded NanGate 45 nm CSV (header comments keep the source and units).
pub const NANGATE45_CSV: &str = include_str!("../../data/nangate45_cells.csv");

/// A library cell kind: what a primitive gate or a recorded cell is mapped to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LibCell {
    /// Inverter (`INV`).
    Inv,
    /// Buffer (`BUF`), for loads and library completeness.
    Buf,
    /// `NAND2`.
    Nand2,
    /// `NOR2`.
    Nor2,
    /// `AND2`.
    And2,
    /// `OR2`.
    Or2,
    /// `XOR2`.
    Xor2,
    /// `XNOR2`.
    Xnor2,
    /// `AOI21`: `!(a | (b1 & b2))`.
    Aoi21,
    /// `OAI21`: `!(a & (b1 | b2))`.
    Oai21,
    /// `MUX2`.
    Mux2,
    /// Half adder (`HA`).
    HalfAdder,
    /// Full adder (`FA`).
    FullAdder,
    /// D flip-flop (`DFF`).
    Dff,
}

impl LibCell {
    /// Every library cell kind, in a fixed order.
    pub const ALL: [LibCell; 14] = [
        LibCell::Inv,
        LibCell::Buf,
        LibCell::Nand2,
        LibCell::Nor2,
        LibCell::And2,
        LibCell::Or2,
        LibCell::Xor2,
        LibCell::Xnor2,
        LibCell::Aoi21,
        LibCell::Oai21,
        LibCell::Mux2,
        LibCell::HalfAdder,
        LibCell::FullAdder,
        LibCell::Dff,
    ];

    /// Kinds a library file must provide (the ones a netlist can map to).
    pub const REQUIRED: [LibCell; 11] = [
        LibCell::Inv,
        LibCell::Nand2,
        LibCell::Nor2,
        LibCell::And2,
        LibCell::Or2,
        LibCell::Xor2,
        LibCell::Xnor2,
        LibCell::Mux2,
        LibCell::HalfAdder,
        LibCell::FullAdder,
        LibCell::Dff,
    ];

    /// The cell-name stem in a library file (`"NAND2"` matches `NAND2_X1`).
    #[must_use]
    pub const fn stem(self) -> &'static str {
        match self {
            LibCell::Inv => "INV",
            LibCell::Buf => "BUF",
            LibCell::Nand2 => "NAND2",
            LibCell::Nor2 => "NOR2",
            LibCell::And2 => "AND2",
            LibCell::Or2 => "OR2",
            LibCell::Xor2 => "XOR2",
            LibCell::Xnor2 => "XNOR2",
            LibCell::Aoi21 => "AOI21",
            LibCell::Oai21 => "OAI21",
            LibCell::Mux2 => "MUX2",
            LibCell::HalfAdder => "HA",
            LibCell::FullAdder => "FA",
            LibCell::Dff => "DFF",
        }
    }

    /// Position in [`LibCell::ALL`].
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The library cell for a logic primitive (`None` for constants, inputs and `RegQ`, which
    /// maps to [`LibCell::Dff`] through the register instead).
    #[must_use]
    pub const fn for_op(op: Op) -> Option<LibCell> {
        match op {
            Op::Not => Some(LibCell::Inv),
            Op::And => Some(LibCell::And2),
            Op::Or => Some(LibCell::Or2),
            Op::Xor => Some(LibCell::Xor2),
            Op::Nand => Some(LibCell::Nand2),
            Op::Nor => Some(LibCell::Nor2),
            Op::Xnor => Some(LibCell::Xnor2),
            Op::Mux => Some(LibCell::Mux2),
            Op::RegQ => Some(LibCell::Dff),
            Op::Const0 | Op::Const1 | Op::Input => None,
        }
    }

    /// The library cell a recorded cell maps to as one instance (`None` for prefix cells,
    /// which are built from their primitives).
    #[must_use]
    pub const fn for_cell(kind: CellKind) -> Option<LibCell> {
        match kind {
            CellKind::HalfAdder => Some(LibCell::HalfAdder),
            CellKind::FullAdder => Some(LibCell::FullAdder),
            CellKind::Mux2 => Some(LibCell::Mux2),
            CellKind::PrefixBlack | CellKind::PrefixGray => None,
        }
    }
}

/// Figures for one library cell.
#[derive(Clone, Debug, PartialEq)]
pub struct CellData {
    /// The cell's name in the library (`"FA_X1"`).
    pub name: String,
    /// Area in µm².
    pub area_um2: f64,
    /// Largest input-pin capacitance in fF.
    pub input_cap_ff_max: f64,
    /// Mean input-pin capacitance in fF (the load one fan-out adds, on average).
    pub input_cap_ff_mean: f64,
    /// Representative (worst-arc) delay in ns.
    pub delay_ns: f64,
    /// Internal energy per output transition in fJ, at the library's
    /// [`voltage_v`](CellLibrary::voltage_v).
    pub internal_energy_fj: f64,
    /// Leakage power in nW.
    pub leakage_nw: f64,
}

/// A cell library: one [`CellData`] per [`LibCell`] kind, the supply voltage and the source.
#[derive(Clone, Debug, PartialEq)]
pub struct CellLibrary {
    cells: Vec<Option<CellData>>,
    voltage_v: f64,
    source: String,
    /// The Liberty library behind it, when loaded from one (NLDM tables, pin mapping).
    liberty: Option<Arc<MappedLiberty>>,
}

impl CellLibrary {
    /// The built-in NanGate 45 nm open cell library, typical corner, 1.1 V.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::gates::{CellLibrary, LibCell};
    ///
    /// let lib = CellLibrary::nangate45();
    /// assert_eq!(lib.cell(LibCell::FullAdder).area_um2, 4.256);
    /// assert_eq!(lib.voltage_v(), 1.1);
    /// assert!(lib.source().contains("NanGate"));
    /// ```
    #[must_use]
    pub fn nangate45() -> Self {
        Self::from_csv_str(NANGATE45_CSV, "nangate45_cells.csv", None)
            .expect("the embedded NanGate 45 nm table is well formed")
    }

    /// Parses a library from CSV text with the columns `cell, function, area_um2,
    /// input_cap_ff_max, input_cap_ff_mean, delay_ns, internal_energy_fj, leakage_nw`. Lines
    /// starting with `#` are the source description. The voltage is `voltage_v`, or if `None`
    /// the number after `nom_voltage` in the comments. Cell names map by stem (`NAND2_X1` →
    /// [`LibCell::Nand2`]); the first row of each stem wins, unknown stems are ignored.
    ///
    /// # Errors
    /// [`Error::Table`] for a malformed row, a non-finite or negative figure, a missing column,
    /// a missing required cell ([`LibCell::REQUIRED`]) or no voltage.
    pub fn from_csv_str(text: &str, file: &str, voltage_v: Option<f64>) -> Result<Self> {
        let terr = |line: usize, field: &str, reason: String| Error::Table {
            file: file.into(),
            line,
            field: field.into(),
            reason,
        };
        let mut source = String::new();
        let mut body = String::new();
        let mut first_body_line = 0;
        for (i, line) in text.lines().enumerate() {
            if let Some(c) = line.strip_prefix('#') {
                source.push_str(c.trim());
                source.push('\n');
            } else {
                if body.is_empty() {
                    first_body_line = i + 1;
                }
                body.push_str(line);
                body.push('\n');
            }
        }
        let voltage_v = match voltage_v {
            Some(v) => v,
            None => source
                .split("nom_voltage")
                .nth(1)
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|t| t.parse::<f64>().ok())
                .ok_or_else(|| {
                    terr(
                        0,
                        "voltage",
                        "no voltage given and no nom_voltage in the header".into(),
                    )
                })?,
        };
        if !(voltage_v.is_finite() && voltage_v > 0.0) {
            return Err(terr(
                0,
                "voltage",
                format!("must be finite and positive, got {voltage_v}"),
            ));
        }
        let mut rdr = csv::ReaderBuilder::new().from_reader(body.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| terr(first_body_line, "header", e.to_string()))?
            .clone();
        let cols = [
            "cell",
            "area_um2",
            "input_cap_ff_max",
            "input_cap_ff_mean",
            "delay_ns",
            "internal_energy_fj",
            "leakage_nw",
        ];
        let mut idx = [0usize; 7];
        for (k, c) in cols.iter().enumerate() {
            idx[k] = headers
                .iter()
                .position(|h| h.trim() == *c)
                .ok_or_else(|| terr(first_body_line, c, "missing column".into()))?;
        }
        let mut cells: Vec<Option<CellData>> = vec![None; LibCell::ALL.len()];
        for (r, rec) in rdr.records().enumerate() {
            let line = first_body_line + 1 + r;
            let rec = rec.map_err(|e| terr(line, "row", e.to_string()))?;
            let get = |k: usize| rec.get(idx[k]).unwrap_or("").trim();
            let name = get(0).to_string();
            let stem = name.split('_').next().unwrap_or("");
            let Some(kind) = LibCell::ALL.iter().copied().find(|c| c.stem() == stem) else {
                continue;
            };
            let num = |k: usize| -> Result<f64> {
                let s = get(k);
                let v: f64 = s
                    .parse()
                    .map_err(|_| terr(line, cols[k], format!("not a number: {s:?}")))?;
                if v.is_finite() && v >= 0.0 {
                    Ok(v)
                } else {
                    Err(terr(
                        line,
                        cols[k],
                        format!("must be finite and non-negative, got {s}"),
                    ))
                }
            };
            let data = CellData {
                name,
                area_um2: num(1)?,
                input_cap_ff_max: num(2)?,
                input_cap_ff_mean: num(3)?,
                delay_ns: num(4)?,
                internal_energy_fj: num(5)?,
                leakage_nw: num(6)?,
            };
            if cells[kind.index()].is_none() {
                cells[kind.index()] = Some(data);
            }
        }
        for k in LibCell::REQUIRED {
            if cells[k.index()].is_none() {
                return Err(terr(
                    0,
                    "cell",
                    format!("no {}_* cell in the library", k.stem()),
                ));
            }
        }
        Ok(CellLibrary {
            cells,
            voltage_v,
            source: source.trim_end().to_string(),
            liberty: None,
        })
    }

    /// A library from a parsed Liberty file: each [`LibCell`] kind mapped by boolean function
    /// onto the smallest usable cell computing it (not by name), with the summary figures
    /// ([`CellData`]) read as the embedded table was (worst arc at the table point nearest
    /// 0.0375 ns and 1.6 fF) and the NLDM tables kept for [`Netlist::sta`](super::Netlist::sta).
    /// It replaces the embedded table anywhere a library is taken.
    ///
    /// # Errors
    /// [`Error::Table`] naming the function if the library lacks a cell for a kind every
    /// netlist may need (all of [`LibCell::REQUIRED`] but the flip-flop, which is checked when
    /// a netlist with registers is timed or exported).
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::gates::liberty::Liberty;
    /// use arithsim::gates::CellLibrary;
    ///
    /// let text = "library (t) { nom_voltage : 1.0;
    ///   cell (INVX1) { area : 1; pin (A) { direction : input; capacitance : 1; }
    ///     pin (Y) { direction : output; function : \"A'\"; } } }";
    /// let e = CellLibrary::from_liberty(Liberty::parse(text, "t.lib")?).unwrap_err();
    /// assert!(e.to_string().contains("no cell computing a 2-input NAND"));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn from_liberty(lib: Liberty) -> Result<Self> {
        let map = map_library(&lib);
        let mut cells = vec![None; LibCell::ALL.len()];
        for k in LibCell::ALL {
            if let Some(m) = &map[k.index()] {
                cells[k.index()] = Some(cell_data(&lib.cells[m.cell], m));
            } else if LibCell::REQUIRED.contains(&k) && k != LibCell::Dff {
                return Err(Error::Table {
                    file: lib.name.clone(),
                    line: 0,
                    field: "cell".into(),
                    reason: format!("no cell computing {}", describe(k)),
                });
            }
        }
        if cells[LibCell::Dff.index()].is_none() {
            // figures only; timing and export of registers report the missing flip-flop
            cells[LibCell::Dff.index()] = cells[LibCell::And2.index()].clone();
        }
        Ok(CellLibrary {
            cells,
            voltage_v: lib.voltage_v,
            source: format!("Liberty library {} ({} cells)", lib.name, lib.cells.len()),
            liberty: Some(Arc::new(MappedLiberty { liberty: lib, map })),
        })
    }

    /// Loads a Liberty file (`.lib`, or gzip'd) as [`CellLibrary::from_liberty`].
    ///
    /// # Errors
    /// As [`Liberty::load`] and [`CellLibrary::from_liberty`].
    pub fn load_liberty(path: impl AsRef<Path>) -> Result<Self> {
        Self::from_liberty(Liberty::load(path)?)
    }

    /// The Liberty library and mapping behind this library, if it was loaded from one.
    #[must_use]
    pub fn liberty(&self) -> Option<&MappedLiberty> {
        self.liberty.as_deref()
    }

    /// Loads a library CSV file (see [`CellLibrary::from_csv_str`]).
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be read, else as [`CellLibrary::from_csv_str`].
    pub fn load_csv(path: impl AsRef<Path>, voltage_v: Option<f64>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_csv_str(&text, &path.display().to_string(), voltage_v)
    }

    /// The figures for `kind`. Every [`LibCell::REQUIRED`] kind is present; an optional kind
    /// the file lacks falls back to its nearest required equivalent (BUF → two INV,
    /// AOI21/OAI21 → NAND2-sized).
    #[must_use]
    pub fn cell(&self, kind: LibCell) -> &CellData {
        if let Some(c) = &self.cells[kind.index()] {
            return c;
        }
        let fallback = match kind {
            LibCell::Buf => LibCell::Inv,
            _ => LibCell::Nand2,
        };
        self.cells[fallback.index()]
            .as_ref()
            .expect("required cells are checked at load")
    }

    /// Whether the library file itself has `kind` (rather than a fallback).
    #[must_use]
    pub fn has(&self, kind: LibCell) -> bool {
        self.cells[kind.index()].is_some()
    }

    /// Supply voltage in volts (for `½·C·V²` switching energy).
    #[must_use]
    pub fn voltage_v(&self) -> f64 {
        self.voltage_v
    }

    /// Where the figures come from (the file's header comments).
    #[must_use]
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Switching energy in fJ of one transition of a net with load `cap_ff`: `½·C·V²` at the
    /// library's [`voltage_v`](CellLibrary::voltage_v).
    #[must_use]
    pub fn switching_energy_fj(&self, cap_ff: f64) -> f64 {
        0.5 * cap_ff * self.voltage_v * self.voltage_v
    }
}

impl Default for CellLibrary {
    fn default() -> Self {
        Self::nangate45()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_library_matches_csv_rows() {
        let lib = CellLibrary::nangate45();
        let fa = lib.cell(LibCell::FullAdder);
        assert_eq!(fa.name, "FA_X1");
        assert_eq!(fa.delay_ns, 0.131729);
        assert_eq!(fa.internal_energy_fj, 3.74);
        assert_eq!(lib.cell(LibCell::Inv).leakage_nw, 14.353185);
        assert_eq!(lib.cell(LibCell::Nand2).input_cap_ff_mean, 1.631616);
        assert!(lib.has(LibCell::Aoi21));
        assert!((lib.switching_energy_fj(2.0) - 1.21).abs() < 1e-12);
    }

    #[test]
    fn bad_tables_are_errors() {
        let head = "cell,function,area_um2,input_cap_ff_max,input_cap_ff_mean,delay_ns,internal_energy_fj,leakage_nw\n";
        let e = CellLibrary::from_csv_str(head, "x.csv", None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.csv:0: field \"voltage\": no voltage given and no nom_voltage in the header"
        );
        let e = CellLibrary::from_csv_str(head, "x.csv", Some(1.0)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.csv:0: field \"cell\": no INV_* cell in the library"
        );
        let bad = format!("{head}INV_X1,!A,-1,1,1,1,1,1\n");
        let e = CellLibrary::from_csv_str(&bad, "x.csv", Some(1.0)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.csv:2: field \"area_um2\": must be finite and non-negative, got -1"
        );
        let e = CellLibrary::from_csv_str("cell,area_um2\n", "y.csv", Some(1.0)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "y.csv:1: field \"input_cap_ff_max\": missing column"
        );
        let e = CellLibrary::load_csv("/nonexistent/lib.csv", None).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("cannot access /nonexistent/lib.csv")
        );
    }
}
