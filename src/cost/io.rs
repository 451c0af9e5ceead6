//! Loading and saving cost tables as TOML and CSV.
//!
//! Both formats carry the same columns per row (see `docs/cost-model.md` and the example
//! files `docs/example-costs.toml` / `docs/example-costs.csv`):
//!
//! | field | meaning |
//! |---|---|
//! | `operation` | an [`OpKind`] in its printed form: "8-bit int add", "FP16 mult", "64-bit SRAM read, 8 KB" |
//! | `energy` | energy per operation; a range as `[lo, hi]` (TOML) or `lo..hi` (CSV) |
//! | `energy_unit` | `fJ`, `pJ` or `nJ` |
//! | `area`, `area_unit` | optional; `nm2`, `um2` (or `µm²`) or `mm2` |
//! | `node_nm`, `voltage_v` | technology node (nm) and supply (V) |
//! | `source` | where the figure comes from |
//!
//! In TOML, `name` and any of `energy_unit`, `area_unit`, `node_nm`, `voltage_v`, `source`
//! may be given once at the top as defaults for every `[[row]]`; in CSV, the name is a
//! `# name: …` comment line. Errors name the file, the line and the field.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::table::{check_figure, check_positive};
use super::{CostRow, CostTable, OpKind, Span};
use crate::limits::{COST_TABLE_MAX_BYTES, COST_TABLE_MAX_ROWS};
use crate::{Error, Result};

fn table_err(file: &str, line: usize, field: &str, reason: impl Into<String>) -> Error {
    Error::Table {
        file: file.to_string(),
        line,
        field: field.to_string(),
        reason: reason.into(),
    }
}

/// Multiplier from a unit to pJ.
fn energy_unit(file: &str, line: usize, u: &str) -> Result<f64> {
    match u.trim() {
        "fJ" => Ok(1e-3),
        "pJ" => Ok(1.0),
        "nJ" => Ok(1e3),
        other => Err(table_err(
            file,
            line,
            "energy_unit",
            format!("unknown unit {other:?} (expected fJ, pJ or nJ)"),
        )),
    }
}

/// Multiplier from a unit to µm².
fn area_unit(file: &str, line: usize, u: &str) -> Result<f64> {
    match u.trim() {
        "nm2" | "nm²" => Ok(1e-6),
        "um2" | "µm2" | "µm²" | "um^2" => Ok(1.0),
        "mm2" | "mm²" => Ok(1e6),
        other => Err(table_err(
            file,
            line,
            "area_unit",
            format!("unknown unit {other:?} (expected nm2, um2 or mm2)"),
        )),
    }
}

/// One row's fields as text or numbers, before checking. Shared by both formats.
struct RawRow<'a> {
    line: usize,
    operation: &'a str,
    energy: Span,
    energy_unit: &'a str,
    area: Option<f64>,
    area_unit: Option<&'a str>,
    node_nm: f64,
    voltage_v: f64,
    source: &'a str,
}

/// Checks one row and adds it, turning every problem into a [`Error::Table`].
fn add_row(
    table: &mut CostTable,
    file: &str,
    raw: RawRow<'_>,
    lines: &mut BTreeMap<OpKind, usize>,
) -> Result<()> {
    let line = raw.line;
    let op: OpKind = raw
        .operation
        .parse()
        .map_err(|e: Error| table_err(file, line, "operation", reason_of(&e)))?;
    if let Some(first) = lines.get(&op) {
        return Err(table_err(
            file,
            line,
            "operation",
            format!("duplicate row for \"{op}\" (first at line {first})"),
        ));
    }
    let eu = energy_unit(file, line, raw.energy_unit)?;
    for v in [raw.energy.lo, raw.energy.hi] {
        check_figure("energy", v).map_err(|e| table_err(file, line, "energy", reason_of(&e)))?;
    }
    let area = match (raw.area, raw.area_unit) {
        (None, _) => None,
        (Some(_), None) => {
            return Err(table_err(file, line, "area_unit", "an area needs its unit"));
        }
        (Some(a), Some(u)) => {
            let k = area_unit(file, line, u)?;
            check_figure("area", a).map_err(|e| table_err(file, line, "area", reason_of(&e)))?;
            Some(a * k)
        }
    };
    check_positive("node_nm", raw.node_nm)
        .map_err(|e| table_err(file, line, "node_nm", reason_of(&e)))?;
    check_positive("voltage_v", raw.voltage_v)
        .map_err(|e| table_err(file, line, "voltage_v", reason_of(&e)))?;
    let mut row = CostRow::new(op, raw.energy * eu, raw.node_nm, raw.voltage_v, raw.source);
    row.area_um2 = area;
    table
        .push(row)
        .map_err(|e| table_err(file, line, "energy", reason_of(&e)))?;
    lines.insert(op, line);
    Ok(())
}

/// The message of an inner error without its own prefix where that helps.
fn reason_of(e: &Error) -> String {
    match e {
        Error::Parse { reason, .. } => reason.clone(),
        Error::InvalidParameter { value, reason, .. } => format!("{reason}, got {value}"),
        other => other.to_string(),
    }
}

/// 1-based line of a byte offset (for one-off messages; loops use [`LineIndex`]).
fn line_of(text: &str, offset: usize) -> usize {
    LineIndex::new(text).line(offset)
}

/// The offsets of a text's newlines, so that the line of any offset is a binary search:
/// loading a table of `n` rows stays `O(n log n)` (counting newlines up to each row was
/// quadratic).
struct LineIndex {
    newlines: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let newlines = text
            .bytes()
            .enumerate()
            .filter_map(|(i, b)| (b == b'\n').then_some(i))
            .collect();
        Self { newlines }
    }

    /// 1-based line of byte `offset`.
    fn line(&self, offset: usize) -> usize {
        self.newlines.partition_point(|&nl| nl < offset) + 1
    }
}

/// Rejects a text longer than [`COST_TABLE_MAX_BYTES`] before parsing it.
fn check_text_size(text: &str, file: &str) -> Result<()> {
    if text.len() > COST_TABLE_MAX_BYTES {
        return Err(table_err(
            file,
            0,
            "-",
            format!(
                "{} bytes is more than COST_TABLE_MAX_BYTES = {COST_TABLE_MAX_BYTES}",
                text.len()
            ),
        ));
    }
    Ok(())
}

/// The error for a table of more than [`COST_TABLE_MAX_ROWS`] rows.
fn too_many_rows(file: &str, rows: usize) -> Error {
    table_err(
        file,
        0,
        "row",
        format!("{rows} rows or more is more than COST_TABLE_MAX_ROWS = {COST_TABLE_MAX_ROWS}"),
    )
}

// --- TOML ------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(untagged)]
enum TomlEnergy {
    One(f64),
    Range(Vec<f64>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlRow {
    operation: Option<Spanned<String>>,
    energy: Option<Spanned<TomlEnergy>>,
    energy_unit: Option<String>,
    area: Option<f64>,
    area_unit: Option<String>,
    node_nm: Option<f64>,
    voltage_v: Option<f64>,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlTable {
    name: Option<String>,
    energy_unit: Option<String>,
    area_unit: Option<String>,
    node_nm: Option<f64>,
    voltage_v: Option<f64>,
    source: Option<String>,
    #[serde(default)]
    row: Vec<Spanned<TomlRow>>,
}

impl CostTable {
    /// Parses a table from TOML text; `file` names it in errors.
    ///
    /// # Errors
    ///
    /// [`Error::Table`] with file, line and field: TOML syntax, unknown keys, missing fields,
    /// unknown operations or units, negative or non-finite figures, duplicate rows.
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::cost::{CostTable, OpKind};
    ///
    /// let t = CostTable::from_toml_str(r#"
    /// name = "mine"
    /// energy_unit = "pJ"
    /// node_nm = 45
    /// voltage_v = 0.9
    /// source = "my measurements"
    ///
    /// [[row]]
    /// operation = "8-bit int add"
    /// energy = 0.03
    /// area = 36
    /// area_unit = "um2"
    /// "#, "mine.toml")?;
    /// assert_eq!(t.row(OpKind::IntAdd { bits: 8 }).unwrap().area_um2, Some(36.0));
    /// let bad = "[[row]]\noperation = \"8-bit int divide\"\nenergy = 1\nenergy_unit = \"pJ\"\n\
    ///            node_nm = 45\nvoltage_v = 0.9\nsource = \"s\"\n";
    /// let e = CostTable::from_toml_str(bad, "x.toml").unwrap_err();
    /// assert!(e.to_string().starts_with("x.toml:2: field \"operation\": unknown operation"));
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    pub fn from_toml_str(text: &str, file: &str) -> Result<CostTable> {
        check_text_size(text, file)?;
        let doc: TomlTable = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(0, |s| line_of(text, s.start));
            let msg = e.message().to_string();
            // serde names the field in backticks: "missing field `energy`".
            let field = msg
                .split('`')
                .nth(1)
                .map_or_else(|| "-".to_string(), str::to_string);
            table_err(file, line, &field, msg)
        })?;
        if doc.row.len() > COST_TABLE_MAX_ROWS {
            return Err(too_many_rows(file, doc.row.len()));
        }
        let mut table = CostTable::new(doc.name.as_deref().unwrap_or(file));
        let mut lines = BTreeMap::new();
        let index = LineIndex::new(text);
        let line_of = |offset: usize| index.line(offset);
        for row in &doc.row {
            let line = line_of(row.span().start);
            let r = row.get_ref();
            let missing = |f: &str| table_err(file, line, f, "missing field");
            let operation = r.operation.as_ref().ok_or_else(|| missing("operation"))?;
            let op_line = line_of(operation.span().start);
            let energy_sp = r.energy.as_ref().ok_or_else(|| missing("energy"))?;
            let e_line = line_of(energy_sp.span().start);
            let energy = match energy_sp.get_ref() {
                TomlEnergy::One(v) => Span::exact(*v),
                TomlEnergy::Range(v) if v.len() == 2 => {
                    if v[0] > v[1] {
                        return Err(table_err(file, e_line, "energy", "a range is [low, high]"));
                    }
                    Span::range(v[0], v[1])
                }
                TomlEnergy::Range(v) => {
                    return Err(table_err(
                        file,
                        e_line,
                        "energy",
                        format!("a range has 2 numbers, got {}", v.len()),
                    ));
                }
            };
            let pick = |own: &Option<String>, top: &Option<String>, f: &str| {
                own.clone()
                    .or_else(|| top.clone())
                    .ok_or_else(|| missing(f))
            };
            let pick_f =
                |own: Option<f64>, top: Option<f64>, f: &str| own.or(top).ok_or_else(|| missing(f));
            let eu = pick(&r.energy_unit, &doc.energy_unit, "energy_unit")?;
            let au = r.area_unit.clone().or_else(|| doc.area_unit.clone());
            let source = pick(&r.source, &doc.source, "source")?;
            let raw = RawRow {
                line: op_line,
                operation: operation.get_ref(),
                energy,
                energy_unit: &eu,
                area: r.area,
                area_unit: au.as_deref(),
                node_nm: pick_f(r.node_nm, doc.node_nm, "node_nm")?,
                voltage_v: pick_f(r.voltage_v, doc.voltage_v, "voltage_v")?,
                source: &source,
            };
            add_row(&mut table, file, raw, &mut lines)?;
        }
        Ok(table)
    }

    /// The table as TOML (every row complete; energies in pJ, areas in µm²), which
    /// [`CostTable::from_toml_str`] reads back to an equal table.
    #[must_use]
    pub fn to_toml_string(&self) -> String {
        let q = |s: &str| toml::Value::String(s.to_string()).to_string();
        let mut out = format!("name = {}\n", q(self.name()));
        for r in self.rows() {
            out.push_str("\n[[row]]\n");
            out.push_str(&format!("operation = {}\n", q(&r.op.to_string())));
            if r.energy_pj.is_exact() {
                out.push_str(&format!("energy = {:?}\n", r.energy_pj.lo));
            } else {
                out.push_str(&format!(
                    "energy = [{:?}, {:?}]\n",
                    r.energy_pj.lo, r.energy_pj.hi
                ));
            }
            out.push_str("energy_unit = \"pJ\"\n");
            if let Some(a) = r.area_um2 {
                out.push_str(&format!("area = {a:?}\narea_unit = \"um2\"\n"));
            }
            out.push_str(&format!(
                "node_nm = {:?}\nvoltage_v = {:?}\nsource = {}\n",
                r.node_nm,
                r.voltage_v,
                q(&r.source)
            ));
        }
        out
    }
}

// --- CSV -------------------------------------------------------------------------------------

const CSV_COLUMNS: [&str; 8] = [
    "operation",
    "energy",
    "energy_unit",
    "area",
    "area_unit",
    "node_nm",
    "voltage_v",
    "source",
];
const CSV_OPTIONAL: [&str; 2] = ["area", "area_unit"];

impl CostTable {
    /// Parses a table from CSV text with a header row (columns in any order; `area` and
    /// `area_unit` may be left out; lines starting with `#` are comments). `file` names it in
    /// errors. The table's name is given by a comment line `# name: …` (the text after it,
    /// or a JSON string in double quotes, as [`CostTable::to_csv_string`] writes it), so that
    /// saving and loading give back an equal table; a file without one is named after its
    /// file stem (`my-costs.csv` → "my-costs").
    ///
    /// # Examples
    ///
    /// ```
    /// use arithsim::cost::CostTable;
    ///
    /// let t = CostTable::horowitz_45nm();
    /// let back = CostTable::from_csv_str(&t.to_csv_string(), "saved.csv")?;
    /// assert_eq!(back, t);
    /// let plain = "operation,energy,energy_unit,node_nm,voltage_v,source\n\
    ///              8-bit int add,0.03,pJ,45,0.9,me\n";
    /// assert_eq!(CostTable::from_csv_str(plain, "data/my-costs.csv")?.name(), "my-costs");
    /// # Ok::<(), arithsim::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Table`] with file, line and field: missing or unknown columns, malformed
    /// records, unknown operations or units, bad numbers, duplicate rows.
    pub fn from_csv_str(text: &str, file: &str) -> Result<CostTable> {
        check_text_size(text, file)?;
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .has_headers(false)
            .from_reader(text.as_bytes());
        let csv_err = |e: csv::Error| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            let mut reason = e.to_string();
            if let csv::ErrorKind::UnequalLengths { .. } = e.kind() {
                reason.push_str(
                    " (a field that contains a comma, such as an operation name or a \
                     source, must be in double quotes: \"a, b\")",
                );
            }
            table_err(file, line, "-", reason)
        };
        let mut records = rdr.records();
        let headers = match records.next() {
            Some(h) => h.map_err(csv_err)?,
            None => return Err(table_err(file, 1, "operation", "missing column")),
        };
        let index = LineIndex::new(text);
        let header_line = headers
            .position()
            .map_or(1, |p| record_line(text, &index, p));
        let mut idx = [usize::MAX; 8];
        for (i, h) in headers.iter().enumerate() {
            match CSV_COLUMNS.iter().position(|c| *c == h) {
                Some(k) if idx[k] == usize::MAX => idx[k] = i,
                Some(_) => return Err(table_err(file, header_line, h, "duplicate column")),
                None => {
                    return Err(table_err(
                        file,
                        header_line,
                        h,
                        format!("unknown column (expected {})", CSV_COLUMNS.join(", ")),
                    ));
                }
            }
        }
        for (k, c) in CSV_COLUMNS.iter().enumerate() {
            if idx[k] == usize::MAX && !CSV_OPTIONAL.contains(c) {
                return Err(table_err(file, header_line, c, "missing column"));
            }
        }
        let stem = || {
            Path::new(file)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or(file)
                .to_string()
        };
        let name = csv_name_line(text).unwrap_or_else(stem);
        let mut table = CostTable::new(&name);
        let mut lines = BTreeMap::new();
        for (n, rec) in records.enumerate() {
            if n >= COST_TABLE_MAX_ROWS {
                return Err(too_many_rows(file, n + 1));
            }
            let rec = rec.map_err(csv_err)?;
            let line = rec.position().map_or(0, |p| record_line(text, &index, p));
            let get = |k: usize| rec.get(idx[k]).filter(|s| !s.is_empty());
            let need =
                |k: usize| get(k).ok_or_else(|| table_err(file, line, CSV_COLUMNS[k], "empty"));
            let num = |k: usize, s: &str| {
                s.trim().parse::<f64>().map_err(|_| {
                    table_err(file, line, CSV_COLUMNS[k], format!("{s:?} is not a number"))
                })
            };
            let e_text = need(1)?;
            let energy = match e_text.split_once("..") {
                Some((a, b)) => {
                    let (lo, hi) = (num(1, a)?, num(1, b)?);
                    if lo > hi {
                        return Err(table_err(file, line, "energy", "a range is low..high"));
                    }
                    Span::range(lo, hi)
                }
                None => Span::exact(num(1, e_text)?),
            };
            let area = get(3).map(|s| num(3, s)).transpose()?;
            let raw = RawRow {
                line,
                operation: need(0)?,
                energy,
                energy_unit: need(2)?,
                area,
                area_unit: get(4),
                node_nm: num(5, need(5)?)?,
                voltage_v: num(6, need(6)?)?,
                source: need(7)?,
            };
            add_row(&mut table, file, raw, &mut lines)?;
        }
        Ok(table)
    }

    /// The table as CSV: a `# name: "…"` comment line (the name as a JSON string, so any
    /// name survives), then all eight columns (energies in pJ, areas in µm²), which
    /// [`CostTable::from_csv_str`] reads back to an equal table.
    #[must_use]
    pub fn to_csv_string(&self) -> String {
        let mut out = format!(
            "{CSV_NAME_PREFIX} {}\n",
            serde_json::to_string(self.name()).unwrap_or_default()
        );
        let mut w = csv::Writer::from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = w.write_record(CSV_COLUMNS);
        for r in self.rows() {
            let energy = if r.energy_pj.is_exact() {
                format!("{:?}", r.energy_pj.lo)
            } else {
                format!("{:?}..{:?}", r.energy_pj.lo, r.energy_pj.hi)
            };
            let (area, unit) = match r.area_um2 {
                Some(a) => (format!("{a:?}"), "um2".to_string()),
                None => (String::new(), String::new()),
            };
            let _ = w.write_record([
                r.op.to_string(),
                energy,
                "pJ".into(),
                area,
                unit,
                format!("{:?}", r.node_nm),
                format!("{:?}", r.voltage_v),
                r.source.clone(),
            ]);
        }
        out.push_str(&String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default());
        out
    }
}

/// The comment that names a CSV table.
const CSV_NAME_PREFIX: &str = "# name:";

/// The name given by the first `# name: …` comment line of a CSV text: a JSON string when it
/// is one (what [`CostTable::to_csv_string`] writes), else the rest of the line, trimmed.
/// `None` when there is no such line or its name is empty.
fn csv_name_line(text: &str) -> Option<String> {
    let rest = text
        .lines()
        .find_map(|l| l.strip_prefix(CSV_NAME_PREFIX))?
        .trim();
    let name = if rest.starts_with('"') {
        serde_json::from_str::<String>(rest).unwrap_or_else(|_| rest.to_string())
    } else {
        rest.to_string()
    };
    (!name.is_empty()).then_some(name)
}

/// The line a CSV record is on. The csv crate reports where parsing started, which for a
/// record after comment or blank lines is the first of those; skip them.
fn record_line(text: &str, index: &LineIndex, pos: &csv::Position) -> usize {
    let bytes = text.as_bytes();
    let mut off = (pos.byte() as usize).min(bytes.len());
    while off < bytes.len() {
        let end = bytes[off..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |e| off + e);
        let line = &bytes[off..end];
        let blank = line.iter().all(|b| b.is_ascii_whitespace());
        if !(blank || line.first() == Some(&b'#')) || end == bytes.len() {
            break;
        }
        off = end + 1;
    }
    index.line(off)
}

// --- files -----------------------------------------------------------------------------------

/// The file formats a table can be stored in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableFormat {
    /// TOML (`.toml`).
    Toml,
    /// CSV (`.csv`).
    Csv,
}

impl TableFormat {
    /// The format a path's extension names.
    ///
    /// # Errors
    ///
    /// [`Error::Table`] for another extension.
    pub fn of_path(path: &Path) -> Result<Self> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
        {
            Some(e) if e == "toml" => Ok(Self::Toml),
            Some(e) if e == "csv" => Ok(Self::Csv),
            _ => Err(table_err(
                &path.display().to_string(),
                0,
                "-",
                "unknown table format (use a .toml or .csv file)",
            )),
        }
    }
}

impl CostTable {
    /// Loads a table from a `.toml` or `.csv` file.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read; [`Error::Table`] for anything wrong in it
    /// (including text that is not UTF-8).
    pub fn load(path: impl AsRef<Path>) -> Result<CostTable> {
        let path = path.as_ref();
        // A missing file is reported as missing, whatever its name (the format check
        // comes second), and the size limit is checked before reading.
        let meta = std::fs::metadata(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let format = TableFormat::of_path(path)?;
        if meta.len() > COST_TABLE_MAX_BYTES as u64 {
            return Err(table_err(
                &path.display().to_string(),
                0,
                "-",
                format!(
                    "{} bytes is more than COST_TABLE_MAX_BYTES = {COST_TABLE_MAX_BYTES}",
                    meta.len()
                ),
            ));
        }
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let file = path.display().to_string();
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            table_err(&file, line, "-", "not UTF-8 text")
        })?;
        match format {
            TableFormat::Toml => Self::from_toml_str(text, &file),
            TableFormat::Csv => Self::from_csv_str(text, &file),
        }
    }

    /// Saves the table as `.toml` or `.csv` by the path's extension.
    ///
    /// # Errors
    ///
    /// [`Error::Table`] for another extension, [`Error::Io`] when the file cannot be written.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let text = match TableFormat::of_path(path)? {
            TableFormat::Toml => self.to_toml_string(),
            TableFormat::Csv => self.to_csv_string(),
        };
        std::fs::write(path, text).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })
    }
}
