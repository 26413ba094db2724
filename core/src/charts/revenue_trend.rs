//! Revenue per calendar month as a line over a filled area.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{ChartError, Theme};
use crate::format;
use crate::metrics::revenue::MonthRevenue;

/// Draws monthly revenue, one point per month, with month labels and a money axis.
pub fn draw_revenue_trend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    months: &[MonthRevenue],
    theme: &Theme,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&theme.background)?;
    if months.is_empty() {
        return Ok(());
    }

    let values: Vec<f64> = months.iter().map(|month| month.totals.revenue.to_major_f64()).collect();
    let top = values.iter().copied().fold(0.0_f64, f64::max).max(1.0) * 1.1;
    let bottom = values.iter().copied().fold(0.0_f64, f64::min).min(0.0);
    let count = months.len() as i32;

    let mut chart = ChartBuilder::on(area)
        .margin(theme.px(12.0))
        .x_label_area_size(theme.px(34.0))
        .y_label_area_size(theme.px(64.0))
        .build_cartesian_2d((0..count - 1).into_segmented(), bottom..top)?;

    let label_step = (months.len() / 9).max(1);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(theme.background)
        .bold_line_style(theme.grid)
        .axis_style(theme.grid)
        .x_labels(months.len().min(12))
        .x_label_formatter(&|value| match value {
            SegmentValue::CenterOf(index) if (*index as usize) % label_step == 0 => {
                months.get(*index as usize).map(|month| month.month.short_label()).unwrap_or_default()
            }
            _ => String::new(),
        })
        .y_labels(6)
        .y_label_formatter(&|value| format::money_compact(*value))
        .y_desc("Revenue per month")
        .label_style(theme.font(12.0).into_font().color(&theme.muted_text))
        .axis_desc_style(theme.font(12.0).into_font().color(&theme.muted_text))
        .draw()?;

    let points: Vec<(SegmentValue<i32>, f64)> =
        values.iter().enumerate().map(|(index, value)| (SegmentValue::CenterOf(index as i32), *value)).collect();
    chart.draw_series(AreaSeries::new(points.clone(), 0.0, theme.accent.mix(0.15)))?;
    chart.draw_series(LineSeries::new(points.clone(), theme.accent.stroke_width(theme.px(2.5))))?;
    chart.draw_series(
        points.iter().map(|point| Circle::new(point.clone(), theme.px(3.5), theme.accent.filled())),
    )?;

    area.present()?;
    Ok(())
}
