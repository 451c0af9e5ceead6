//! The result of a sweep: one row per configuration (its parameters as text, its metrics as
//! numbers), with the Pareto front over chosen objectives, rendered through the shared
//! report renderers ([`crate::cost::report`]) and drawn as a scatter plot.

use std::path::{Path, PathBuf};

use super::pareto::{Objective, Sense, pareto_front};
use crate::cost::report::{
    Cell, Format, Grid, PointKind, Scatter, ScatterPoint, Section, render_scatter_svg,
    render_sections, write_sections,
};
use crate::{Error, Result};

/// One evaluated configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepRow {
    /// A short name of the configuration.
    pub label: String,
    /// Parameter values, one per [`SweepTable::config_columns`].
    pub config: Vec<String>,
    /// Metric values, one per [`SweepTable::metric_columns`].
    pub metrics: Vec<f64>,
}

/// Every configuration of a sweep with its metrics, in the grid's order.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepTable {
    /// What was swept.
    pub title: String,
    /// Names of the parameters.
    pub config_columns: Vec<String>,
    /// Names of the metrics (with units).
    pub metric_columns: Vec<String>,
    /// The rows.
    pub rows: Vec<SweepRow>,
}

impl SweepTable {
    /// Index of metric column `name`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] naming the column and listing the metric columns.
    pub fn metric_index(&self, name: &str) -> Result<usize> {
        self.metric_columns
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| {
                Error::param(
                    "metric column",
                    format!("{name:?}"),
                    format!("one of {:?}", self.metric_columns),
                )
            })
    }

    /// The values of metric `name`, row by row.
    ///
    /// # Errors
    ///
    /// As [`SweepTable::metric_index`].
    pub fn metric(&self, name: &str) -> Result<Vec<f64>> {
        let i = self.metric_index(name)?;
        Ok(self.rows.iter().map(|r| r.metrics[i]).collect())
    }

    /// Indices of the rows on the Pareto front over `objectives`, ascending.
    ///
    /// # Errors
    ///
    /// As [`SweepTable::metric_index`]; [`Error::InvalidParameter`] for no objectives.
    pub fn front(&self, objectives: &[Objective]) -> Result<Vec<usize>> {
        let cols = objectives
            .iter()
            .map(|o| Ok((self.metric_index(&o.column)?, o.sense)))
            .collect::<Result<Vec<_>>>()?;
        if cols.is_empty() {
            return Err(Error::param(
                "objectives",
                0,
                "a Pareto front needs at least one objective",
            ));
        }
        let pts: Vec<Vec<f64>> = self
            .rows
            .iter()
            .map(|r| {
                cols.iter()
                    .map(|&(i, s)| match s {
                        Sense::Minimize => r.metrics[i],
                        Sense::Maximize => -r.metrics[i],
                    })
                    .collect()
            })
            .collect();
        pareto_front(&pts)
    }

    /// The table as a report section: parameters, metrics, and a column saying which rows
    /// are on `front` and which are `marked` (a reference design). `only_front` keeps just
    /// the front and marked rows.
    #[must_use]
    pub fn section(
        &self,
        id: &'static str,
        title: &str,
        notes: Vec<String>,
        front: &[usize],
        marked: &[usize],
        only_front: bool,
    ) -> Section {
        let mut columns = vec!["configuration".to_string()];
        columns.extend(self.config_columns.iter().cloned());
        columns.extend(self.metric_columns.iter().cloned());
        columns.push("pareto".into());
        let rows = self
            .rows
            .iter()
            .enumerate()
            .filter(|(i, _)| !only_front || front.contains(i) || marked.contains(i))
            .map(|(i, r)| {
                let mut row = vec![Cell::text(&r.label)];
                row.extend(r.config.iter().map(Cell::text));
                row.extend(r.metrics.iter().map(|&v| Cell::Num(v)));
                let tag = match (front.contains(&i), marked.contains(&i)) {
                    (true, true) => "front, marked",
                    (true, false) => "front",
                    (false, true) => "marked",
                    (false, false) => "",
                };
                row.push(Cell::text(tag));
                row
            })
            .collect();
        Section {
            id,
            title: title.to_string(),
            notes,
            grid: Grid { columns, rows },
            charts: Vec::new(),
        }
    }

    /// A scatter plot of metric `y` against metric `x`, `front` highlighted and `marked`
    /// rows labelled.
    ///
    /// # Errors
    ///
    /// As [`SweepTable::metric_index`].
    pub fn scatter(
        &self,
        file: &str,
        x: &str,
        y: &str,
        front: &[usize],
        marked: &[usize],
    ) -> Result<Scatter> {
        let (xi, yi) = (self.metric_index(x)?, self.metric_index(y)?);
        let points = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| ScatterPoint {
                x: r.metrics[xi],
                y: r.metrics[yi],
                label: r.label.clone(),
                kind: if marked.contains(&i) {
                    PointKind::Marked
                } else if front.contains(&i) {
                    PointKind::Front
                } else {
                    PointKind::Other
                },
            })
            .collect();
        let span = |v: Vec<f64>| {
            let pos = v.iter().filter(|x| x.is_finite() && **x > 0.0);
            let lo = pos.clone().fold(f64::INFINITY, |a, &b| a.min(b));
            let hi = pos.fold(0.0f64, |a, &b| a.max(b));
            lo.is_finite() && hi / lo > 20.0
        };
        Ok(Scatter {
            file: file.to_string(),
            title: format!("{}: {y} against {x}", self.title),
            x_axis: x.to_string(),
            y_axis: y.to_string(),
            log_x: span(self.metric(x)?),
            log_y: span(self.metric(y)?),
            points,
        })
    }
}

/// Renders `sections` under `title` in `format` (CSV and JSON for machines, text and
/// Markdown for people) with the shared report renderers.
#[must_use]
pub fn render(title: &str, sections: &[Section], format: Format) -> String {
    render_sections(title, sections, format)
}

/// Writes the report files of `sections` (as [`write_sections`]) and every scatter plot as
/// SVG into `dir`. Returns the paths written.
///
/// # Errors
///
/// [`Error::Io`] for a file that cannot be written; [`Error::Unsupported`] for a chart that
/// cannot be drawn.
pub fn write(
    title: &str,
    sections: &[Section],
    scatters: &[Scatter],
    dir: &Path,
    format: Format,
) -> Result<Vec<PathBuf>> {
    let mut written = write_sections(title, sections, dir, format)?;
    for s in scatters {
        let p = dir.join(&s.file);
        std::fs::write(&p, render_scatter_svg(s)?).map_err(|source| Error::Io {
            path: p.clone(),
            source,
        })?;
        written.push(p);
    }
    Ok(written)
}
