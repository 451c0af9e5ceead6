//! Rendering a report (a title and its [`Section`]s) as text, Markdown, CSV and JSON.

use std::fmt::Write as _;

use super::{Cell, Grid, Section};
use crate::cost::sig;

/// Text and Markdown form of a cell: 3 significant digits, ranges as "lo–hi".
fn short(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        Cell::Num(v) => sig(*v),
        Cell::Span(s) => s.to_string(),
        Cell::Empty => String::new(),
    }
}

/// CSV form of a cell: full precision, ranges as "lo..hi".
fn full(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        Cell::Num(v) => format!("{v:?}"),
        Cell::Span(s) if s.is_exact() => format!("{:?}", s.lo),
        Cell::Span(s) => format!("{:?}..{:?}", s.lo, s.hi),
        Cell::Empty => String::new(),
    }
}

fn is_numeric(c: &Cell) -> bool {
    matches!(c, Cell::Num(_) | Cell::Span(_))
}

/// Wraps `s` at `width` columns.
fn wrap(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for w in s.split_whitespace() {
        if line > 0 && line + 1 + w.chars().count() > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(w);
        line += w.chars().count();
    }
    out
}

/// The widest a text table gets: wider tables are split into parts of whole columns (the
/// first column repeated in each part), after long text cells and headers are wrapped.
pub(super) const TEXT_WIDTH: usize = 120;

/// The widest a text column gets before its cells wrap.
const TEXT_COLUMN: usize = 44;

/// The narrowest a header is wrapped to (a numeric column's header is wrapped to its
/// figures' width, but not narrower than this or than its longest word).
const HEADER_MIN: usize = 10;

/// Lines of `s` wrapped at `width` (a longer word stands on its own line).
fn wrap_lines(s: &str, width: usize) -> Vec<String> {
    if s.chars().count() <= width {
        return vec![s.to_string()];
    }
    wrap(s, width).lines().map(String::from).collect()
}

fn text_grid(g: &Grid, out: &mut String) {
    let cells: Vec<Vec<String>> = g
        .rows
        .iter()
        .map(|r| r.iter().map(short).collect())
        .collect();
    let n = g.columns.len();
    // Numbers right-aligned, text left-aligned.
    let numeric: Vec<bool> = (0..n)
        .map(|i| g.rows.iter().any(|r| r.get(i).is_some_and(is_numeric)))
        .collect();
    let chars = |s: &String| s.chars().count();
    let width: Vec<usize> = (0..n)
        .map(|i| {
            let data = cells.iter().filter_map(|r| r.get(i)).map(chars).max();
            let data = data.unwrap_or(0);
            let data = if numeric[i] {
                data
            } else {
                data.min(TEXT_COLUMN)
            };
            let header = &g.columns[i];
            let word = header.split_whitespace().map(|w| w.chars().count()).max();
            let header_w = header.chars().count().min(data.max(HEADER_MIN));
            data.max(header_w).max(word.unwrap_or(0))
        })
        .collect();
    // Parts of whole columns, each within TEXT_WIDTH, the first column in every part.
    let mut parts: Vec<Vec<usize>> = Vec::new();
    let mut part = vec![0];
    let mut used = width.first().copied().unwrap_or(0);
    for i in 1..n {
        if used + 2 + width[i] > TEXT_WIDTH && part.len() > 1 {
            parts.push(std::mem::replace(&mut part, vec![0]));
            used = width[0];
        }
        part.push(i);
        used += 2 + width[i];
    }
    parts.push(part);
    let line = |cols: &[usize], vals: &[Vec<String>], out: &mut String| {
        let height = vals.iter().map(Vec::len).max().unwrap_or(1);
        for k in 0..height {
            let mut l = String::new();
            for (j, (&i, v)) in cols.iter().zip(vals).enumerate() {
                let v = v.get(k).map_or("", String::as_str);
                let pad = width[i].saturating_sub(v.chars().count());
                if j > 0 {
                    l.push_str("  ");
                }
                if numeric[i] {
                    l.push_str(&" ".repeat(pad));
                    l.push_str(v);
                } else {
                    l.push_str(v);
                    l.push_str(&" ".repeat(pad));
                }
            }
            out.push_str(l.trim_end());
            out.push('\n');
        }
    };
    for (p, cols) in parts.iter().enumerate() {
        if parts.len() > 1 {
            if p > 0 {
                out.push('\n');
            }
            let _ = writeln!(out, "(part {} of {})", p + 1, parts.len());
        }
        let header: Vec<Vec<String>> = cols
            .iter()
            .map(|&i| wrap_lines(&g.columns[i], width[i]))
            .collect();
        line(cols, &header, out);
        let rule: Vec<Vec<String>> = cols.iter().map(|&i| vec!["-".repeat(width[i])]).collect();
        line(cols, &rule, out);
        for r in &cells {
            let vals: Vec<Vec<String>> = cols
                .iter()
                .map(|&i| r.get(i).map_or_else(Vec::new, |v| wrap_lines(v, width[i])))
                .collect();
            line(cols, &vals, out);
        }
    }
}

pub(super) fn text(title: &str, sections: &[Section]) -> String {
    let mut out = format!("{}\n{}\n", title, "=".repeat(title.chars().count()));
    for s in sections {
        let _ = write!(
            out,
            "\n{}\n{}\n",
            s.title,
            "-".repeat(s.title.chars().count())
        );
        for n in &s.notes {
            out.push_str(&wrap(n, TEXT_WIDTH));
            out.push('\n');
        }
        out.push('\n');
        text_grid(&s.grid, &mut out);
        for c in &s.charts {
            let _ = writeln!(out, "chart: {}", c.file);
        }
    }
    out
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

pub(super) fn markdown(title: &str, sections: &[Section]) -> String {
    let mut out = format!("# {}\n", title);
    for s in sections {
        let _ = write!(out, "\n## {}\n\n", s.title);
        for n in &s.notes {
            let _ = write!(out, "{}\n\n", md_escape(n));
        }
        let g = &s.grid;
        let _ = writeln!(
            out,
            "| {} |",
            g.columns
                .iter()
                .map(|c| md_escape(c))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        let align: Vec<&str> = (0..g.columns.len())
            .map(|i| {
                if g.rows.iter().any(|r| r.get(i).is_some_and(is_numeric)) {
                    "---:"
                } else {
                    "---"
                }
            })
            .collect();
        let _ = writeln!(out, "|{}|", align.join("|"));
        for row in &g.rows {
            let cells: Vec<String> = row.iter().map(|c| md_escape(&short(c))).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        for c in &s.charts {
            let _ = write!(out, "\n![{}]({})\n", md_escape(&c.title), c.file);
        }
    }
    out
}

/// Long form: one line per cell, `section,row,column,value`.
pub(super) fn csv(sections: &[Section]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["section", "row", "column", "value"]);
    for s in sections {
        for (i, row) in s.grid.rows.iter().enumerate() {
            for (col, cell) in s.grid.columns.iter().zip(row) {
                let _ = w.write_record([s.id, &(i + 1).to_string(), col.as_str(), &full(cell)]);
            }
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A cell as JSON: text a string, a number or exact range a number, a range
/// `{"low", "high"}`, a missing or non-finite figure `null`.
struct JsonCell<'a>(&'a Cell);

impl serde::Serialize for JsonCell<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let num = |v: f64, s: S| {
            if v.is_finite() {
                s.serialize_f64(v)
            } else {
                s.serialize_none()
            }
        };
        match self.0 {
            Cell::Text(t) => s.serialize_str(t),
            Cell::Num(v) => num(*v, s),
            Cell::Span(r) if r.is_exact() => num(r.lo, s),
            Cell::Span(r) => {
                let finite = |v: f64| v.is_finite().then_some(v);
                let mut st = s.serialize_struct("Range", 2)?;
                st.serialize_field("low", &finite(r.lo))?;
                st.serialize_field("high", &finite(r.hi))?;
                st.end()
            }
            Cell::Empty => s.serialize_none(),
        }
    }
}

/// One section as JSON, fields in this order.
#[derive(serde::Serialize)]
struct JsonSection<'a> {
    id: &'a str,
    title: &'a str,
    notes: &'a [String],
    columns: &'a [String],
    rows: Vec<Vec<JsonCell<'a>>>,
    charts: Vec<&'a str>,
}

/// `{"title", "sections": [{"id", "title", "notes", "columns", "rows", "charts"}]}`; a range
/// is `{"low", "high"}`, a missing figure `null`. Written through `serde_json` (escaping and
/// number spelling are its own); one section per line, as the hand-written writer did.
pub(super) fn json(title: &str, sections: &[Section]) -> String {
    let sections: Vec<String> = sections
        .iter()
        .map(|s| {
            let section = JsonSection {
                id: s.id,
                title: &s.title,
                notes: &s.notes,
                columns: &s.grid.columns,
                rows: s
                    .grid
                    .rows
                    .iter()
                    .map(|row| row.iter().map(JsonCell).collect())
                    .collect(),
                charts: s.charts.iter().map(|c| c.file.as_str()).collect(),
            };
            // Serializing plain strings, numbers and options cannot fail.
            serde_json::to_string(&section).unwrap_or_default()
        })
        .collect();
    let title = serde_json::to_string(title).unwrap_or_default();
    format!(
        "{{\"title\":{title},\"sections\":[\n{}\n]}}\n",
        sections.join(",\n")
    )
}
