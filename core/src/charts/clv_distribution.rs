//! The distribution of customer lifetime values as a histogram.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::themed_mesh;
use super::{ChartError, Theme};
use crate::format;
use crate::metrics::clv::ClvReport;

/// Draws how many customers fall in each CLV range; the last bar also counts the values above
/// the 99th percentile, so a few very large customers do not squeeze the rest into one bar.
pub fn draw_clv_distribution<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, report: &ClvReport, theme: &Theme) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&theme.background)?;
    let bins = &report.histogram;
    let (Some(first), Some(last)) = (bins.first(), bins.last()) else { return Ok(()) };
    let right = last.low + (last.low - first.low) / (bins.len().max(2) - 1) as f64;
    let top = bins.iter().map(|bin| bin.customers).max().unwrap_or(1).max(1) as f64 * 1.1;

    let mut chart = ChartBuilder::on(area)
        .margin(theme.px(12.0))
        .x_label_area_size(theme.px(38.0))
        // Wide enough for five-digit counts with separators ("18,000") beside the axis title.
        .y_label_area_size(theme.px(74.0))
        .build_cartesian_2d(first.low..right, 0.0..top)?;

    themed_mesh(&mut chart, theme)
        .x_labels(6)
        .x_label_formatter(&|value| format::money_compact(*value))
        .y_label_formatter(&|value| format::thousands(*value as u64))
        .x_desc(format!("CLV over {} months (last bar: this and above)", report.settings.horizon_months))
        .y_desc("Customers")
        .draw()?;

    let step = right - last.low;
    chart.draw_series(bins.iter().map(|bin| {
        let mut bar = Rectangle::new([(bin.low, 0.0), (bin.low + step, bin.customers as f64)], theme.accent.mix(0.85).filled());
        bar.set_margin(0, 0, 1, 1);
        bar
    }))?;

    area.present()?;
    Ok(())
}
