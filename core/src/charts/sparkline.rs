//! A card's sparkline: the KPI over recent periods as a thin line with no axes, its last point
//! (the card's own period) marked.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{ChartError, Theme};

/// Draws `values`, oldest first, across the whole area with a small inner margin. A `None`
/// breaks the line. Fewer than two values draw only the background and the point.
pub fn draw_sparkline<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, values: &[Option<f64>], theme: &Theme) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&theme.background)?;
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    let (Some(low), Some(high)) = (known.iter().copied().reduce(f64::min), known.iter().copied().reduce(f64::max)) else {
        return Ok(());
    };
    // A flat series is drawn across the middle rather than along an edge.
    let padding = if high > low { (high - low) * 0.1 } else { low.abs().max(1.0) * 0.1 };
    let margin = theme.px(4.0);
    let mut chart = ChartBuilder::on(area)
        .margin(margin)
        .build_cartesian_2d(-0.2..(values.len().max(2) as f64 - 0.8), (low - padding)..(high + padding))?;

    let line = theme.accent.stroke_width(theme.px(1.5));
    let mut run: Vec<(f64, f64)> = Vec::new();
    for (index, value) in values.iter().enumerate() {
        match value {
            Some(value) => run.push((index as f64, *value)),
            None if !run.is_empty() => {
                chart.draw_series(LineSeries::new(run.drain(..), line))?;
            }
            None => {}
        }
    }
    if !run.is_empty() {
        chart.draw_series(LineSeries::new(run, line))?;
    }
    if let Some(Some(last)) = values.last() {
        let point = ((values.len() - 1) as f64, *last);
        chart.draw_series(std::iter::once(Circle::new(point, theme.px(2.5), theme.accent.filled())))?;
    }
    area.present()?;
    Ok(())
}
