//! SVG scatter plots with plotters (SVG backend only): every point of a sweep in grey, the
//! Pareto front in the bar colour joined by a line, marked points (a reference design) as
//! labelled red diamonds.

use plotters::prelude::*;

use super::BAR_FILL;
use crate::cost::sig;
use crate::{Error, Result};

/// Colour of marked points: `#D62728`.
pub const MARK_FILL: RGBColor = RGBColor(0xd6, 0x27, 0x28);

/// Colour of points off the front.
const OTHER: RGBColor = RGBColor(0xa0, 0xa0, 0xa0);

/// What a point of a [`Scatter`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PointKind {
    /// An ordinary point.
    Other,
    /// On the Pareto front.
    Front,
    /// A marked reference point (drawn with its label, whether on the front or not).
    Marked,
}

/// One point of a scatter plot.
#[derive(Clone, Debug, PartialEq)]
pub struct ScatterPoint {
    /// x value.
    pub x: f64,
    /// y value.
    pub y: f64,
    /// Its name (drawn next to marked points).
    pub label: String,
    /// How it is drawn.
    pub kind: PointKind,
}

/// A scatter plot, written as SVG.
#[derive(Clone, Debug, PartialEq)]
pub struct Scatter {
    /// File name, without folder (`multipliers-8x8.svg`).
    pub file: String,
    /// Title drawn at the top.
    pub title: String,
    /// x axis label (quantity and unit).
    pub x_axis: String,
    /// y axis label.
    pub y_axis: String,
    /// Log scale on x.
    pub log_x: bool,
    /// Log scale on y.
    pub log_y: bool,
    /// The points.
    pub points: Vec<ScatterPoint>,
}

fn chart_err(file: &str, e: impl std::fmt::Display) -> Error {
    Error::Unsupported(format!("cannot draw chart {file}: {e}"))
}

/// The axis range of `vals`, padded; whole decades on a log axis (positive values only).
fn range(vals: impl Iterator<Item = f64> + Clone, log: bool) -> (f64, f64) {
    let ok = |v: &f64| v.is_finite() && (!log || *v > 0.0);
    let (lo, hi) = vals
        .filter(ok)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(v), h.max(v))
        });
    if !lo.is_finite() {
        return if log { (1.0, 10.0) } else { (0.0, 1.0) };
    }
    if log {
        let lo = 10f64.powf(lo.log10().floor());
        let hi = 10f64.powf(hi.log10().ceil());
        (lo, if hi <= lo { lo * 10.0 } else { hi })
    } else {
        let pad = if hi > lo {
            0.06 * (hi - lo)
        } else {
            lo.abs().max(1.0) * 0.1
        };
        (lo - pad, hi + pad)
    }
}

/// Draws `s` as an SVG document. The front is drawn as a line through its points in order
/// of x.
///
/// # Errors
///
/// [`Error::Unsupported`] for a scatter with no points, or if plotters fails.
///
/// # Examples
///
/// ```
/// use arithsim::cost::report::{PointKind, Scatter, ScatterPoint, render_scatter_svg};
///
/// let p = |x, y, kind| ScatterPoint { x, y, label: format!("{x}"), kind };
/// let s = Scatter {
///     file: "s.svg".into(), title: "t".into(), x_axis: "area".into(), y_axis: "delay".into(),
///     log_x: true, log_y: false,
///     points: vec![p(1.0, 3.0, PointKind::Front), p(2.0, 4.0, PointKind::Other),
///                  p(3.0, 1.0, PointKind::Marked)],
/// };
/// assert!(render_scatter_svg(&s)?.starts_with("<svg"));
/// # Ok::<(), arithsim::Error>(())
/// ```
pub fn render_scatter_svg(s: &Scatter) -> Result<String> {
    if s.points.is_empty() {
        return Err(chart_err(&s.file, "no points"));
    }
    let err = |e: &dyn std::fmt::Display| chart_err(&s.file, e);
    let (x0, x1) = range(s.points.iter().map(|p| p.x), s.log_x);
    let (y0, y1) = range(s.points.iter().map(|p| p.y), s.log_y);
    let ok = |p: &ScatterPoint| {
        p.x.is_finite() && p.y.is_finite() && (!s.log_x || p.x > 0.0) && (!s.log_y || p.y > 0.0)
    };
    let mut front: Vec<(f64, f64)> = s
        .points
        .iter()
        .filter(|p| ok(p) && p.kind == PointKind::Front)
        .map(|p| (p.x, p.y))
        .collect();
    front.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (860, 600)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let mut b = ChartBuilder::on(&root);
        b.caption(&s.title, ("sans-serif", 18))
            .margin(14)
            .margin_right(40)
            .x_label_area_size(44)
            .y_label_area_size(70);
        // plotters types a log axis differently from a linear one: four cases, one body.
        macro_rules! draw {
            ($xr:expr, $yr:expr) => {{
                let mut ctx = b.build_cartesian_2d($xr, $yr).map_err(|e| err(&e))?;
                ctx.configure_mesh()
                    .x_desc(s.x_axis.as_str())
                    .y_desc(s.y_axis.as_str())
                    .x_label_formatter(&|v| sig(*v))
                    .y_label_formatter(&|v| sig(*v))
                    .axis_desc_style(("sans-serif", 13))
                    .label_style(("sans-serif", 12))
                    .draw()
                    .map_err(|e| err(&e))?;
                let pts = |kind: PointKind| {
                    s.points
                        .iter()
                        .filter(move |p| ok(p) && p.kind == kind)
                        .map(|p| (p.x, p.y))
                };
                ctx.draw_series(pts(PointKind::Other).map(|c| Circle::new(c, 3, OTHER.filled())))
                    .map_err(|e| err(&e))?;
                ctx.draw_series(LineSeries::new(
                    front.iter().copied(),
                    BAR_FILL.stroke_width(2),
                ))
                .map_err(|e| err(&e))?;
                ctx.draw_series(
                    pts(PointKind::Front).map(|c| Circle::new(c, 4, BAR_FILL.filled())),
                )
                .map_err(|e| err(&e))?;
                ctx.draw_series(
                    s.points
                        .iter()
                        .filter(|p| ok(p) && p.kind == PointKind::Marked)
                        .map(|p| {
                            EmptyElement::at((p.x, p.y))
                                + Polygon::new(
                                    vec![(0, -7), (7, 0), (0, 7), (-7, 0)],
                                    MARK_FILL.filled(),
                                )
                                + Text::new(p.label.clone(), (10, -14), ("sans-serif", 13))
                        }),
                )
                .map_err(|e| err(&e))?;
            }};
        }
        match (s.log_x, s.log_y) {
            (false, false) => draw!(x0..x1, y0..y1),
            (true, false) => draw!((x0..x1).log_scale(), y0..y1),
            (false, true) => draw!(x0..x1, (y0..y1).log_scale()),
            (true, true) => draw!((x0..x1).log_scale(), (y0..y1).log_scale()),
        }
        root.present().map_err(|e| err(&e))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_and_marked_points_are_drawn_in_their_colours() {
        let p = |x: f64, y: f64, kind| ScatterPoint {
            x,
            y,
            label: format!("p{x}"),
            kind,
        };
        let s = Scatter {
            file: "t.svg".into(),
            title: "t".into(),
            x_axis: "x".into(),
            y_axis: "y".into(),
            log_x: false,
            log_y: true,
            points: vec![
                p(1.0, 30.0, PointKind::Front),
                p(2.0, 10.0, PointKind::Front),
                p(2.5, 40.0, PointKind::Other),
                p(3.0, 50.0, PointKind::Marked),
            ],
        };
        let svg = render_scatter_svg(&s).unwrap();
        assert!(svg.to_ascii_uppercase().contains("#1F77B4"), "front colour");
        assert!(
            svg.to_ascii_uppercase().contains("#D62728"),
            "marked colour"
        );
        assert!(svg.contains("p3"), "marked label");
        assert!(!svg.contains(">p1<"), "front points are not labelled");
        let empty = Scatter {
            points: vec![],
            ..s
        };
        assert!(render_scatter_svg(&empty).is_err());
    }
}
