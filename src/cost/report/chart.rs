//! SVG bar charts with plotters (SVG backend only): horizontal bars on a log axis, one bar
//! per grid row, labels and values as SVG text.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::Chart;
use crate::cost::sig;
use crate::{Error, Result};

/// The fill of every bar (and of nothing else), so a bar can be told from the background
/// and the frame: `#1F77B4`.
pub const BAR_FILL: RGBColor = RGBColor(0x1f, 0x77, 0xb4);

/// Whisker colour for ranges.
const WHISKER: RGBColor = RGBColor(0x33, 0x33, 0x33);

fn chart_err(file: &str, e: impl std::fmt::Display) -> Error {
    Error::Unsupported(format!("cannot draw chart {file}: {e}"))
}

/// The axis range: whole decades around the positive values.
fn decades(c: &Chart) -> (f64, f64) {
    let pos = c
        .bars
        .iter()
        .flat_map(|b| [b.value.lo, b.value.hi])
        .filter(|v| v.is_finite() && *v > 0.0);
    let (mut lo, mut hi) = pos.fold((f64::INFINITY, 0.0f64), |(l, h), v| (l.min(v), h.max(v)));
    if !lo.is_finite() {
        (lo, hi) = (1.0, 10.0);
    }
    let lo = 10f64.powf(lo.log10().floor());
    // Room for the value label after the longest bar.
    let mut hi = 10f64.powf((hi * 1.6).log10().ceil());
    if hi <= lo {
        hi = lo * 10.0;
    }
    (lo, hi)
}

/// Draws `chart` as an SVG document.
///
/// # Errors
///
/// [`Error::Unsupported`] for a chart with no bars, or if plotters fails.
pub fn render_svg(chart: &Chart) -> Result<String> {
    let n = chart.bars.len();
    if n == 0 {
        return Err(chart_err(&chart.file, "no bars"));
    }
    let label_chars = chart
        .bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0);
    let label_w = (label_chars as u32 * 7 + 24).clamp(80, 420);
    let (w, h) = (label_w + 640, 110 + 30 * n as u32);
    let (x_lo, x_hi) = decades(chart);
    let err = |e: &dyn std::fmt::Display| chart_err(&chart.file, e);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let mut ctx = ChartBuilder::on(&root)
            .caption(&chart.title, ("sans-serif", 18))
            .margin(12)
            .margin_right(60)
            .x_label_area_size(42)
            .y_label_area_size(label_w)
            .build_cartesian_2d((x_lo..x_hi).log_scale(), -0.5f64..(n as f64 - 0.5))
            .map_err(|e| err(&e))?;
        ctx.configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_desc(chart.axis.as_str())
            .x_label_formatter(&|v| sig(*v))
            .axis_desc_style(("sans-serif", 13))
            .label_style(("sans-serif", 12))
            .draw()
            .map_err(|e| err(&e))?;
        // Bar i is drawn at y = n - 1 - i, so the first bar is at the top.
        let y = |i: usize| (n - 1 - i) as f64;
        let clamp = |v: f64| if v.is_finite() && v > x_lo { v } else { x_lo };
        ctx.draw_series(chart.bars.iter().enumerate().map(|(i, b)| {
            Rectangle::new(
                [(x_lo, y(i) - 0.34), (clamp(b.value.mid()), y(i) + 0.34)],
                BAR_FILL.filled(),
            )
        }))
        .map_err(|e| err(&e))?;
        ctx.draw_series(
            chart
                .bars
                .iter()
                .enumerate()
                .filter(|(_, b)| !b.value.is_exact())
                .map(|(i, b)| {
                    PathElement::new(
                        vec![(clamp(b.value.lo), y(i)), (clamp(b.value.hi), y(i))],
                        WHISKER.stroke_width(2),
                    )
                }),
        )
        .map_err(|e| err(&e))?;
        let value_style =
            TextStyle::from(("sans-serif", 12).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
        ctx.draw_series(chart.bars.iter().enumerate().map(|(i, b)| {
            EmptyElement::at((clamp(b.value.hi), y(i)))
                + Text::new(b.value.to_string(), (6, 0), value_style.clone())
        }))
        .map_err(|e| err(&e))?;
        let label_style = TextStyle::from(("sans-serif", 13).into_font())
            .pos(Pos::new(HPos::Right, VPos::Center));
        for (i, b) in chart.bars.iter().enumerate() {
            let (px, py) = ctx.backend_coord(&(x_lo, y(i)));
            root.draw(&Text::new(
                b.label.clone(),
                (px - 8, py),
                label_style.clone(),
            ))
            .map_err(|e| err(&e))?;
        }
        root.present().map_err(|e| err(&e))?;
    }
    Ok(svg)
}
