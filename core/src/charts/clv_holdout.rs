//! The BG/NBD model check: actual and expected holdout purchases per calibration frequency.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::themed_mesh;
use super::{ChartError, Theme, PALETTE};
use crate::metrics::clv::ClvReport;

/// Draws, for each number of repeat purchases in the calibration period, the mean number of
/// purchases customers made in the holdout period (bars) and the model's forecast (points on
/// a line), with a legend.
pub fn draw_clv_holdout<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, report: &ClvReport, theme: &Theme) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&theme.background)?;
    let rows = &report.holdout;
    if rows.is_empty() {
        return Ok(());
    }
    let top = rows.iter().flat_map(|row| [row.actual_mean, row.expected_mean]).fold(0.0, f64::max).max(0.1) * 1.15;

    let mut chart = ChartBuilder::on(area)
        .margin(theme.px(12.0))
        .x_label_area_size(theme.px(38.0))
        .y_label_area_size(theme.px(52.0))
        .build_cartesian_2d((0..rows.len() as i32 - 1).into_segmented(), 0.0..top)?;

    themed_mesh(&mut chart, theme)
        .x_labels(rows.len())
        .x_label_formatter(&|value| match value {
            SegmentValue::CenterOf(index) => rows.get(*index as usize).map(|row| row.label.clone()).unwrap_or_default(),
            _ => String::new(),
        })
        .y_label_formatter(&|value| format!("{value:.1}"))
        .x_desc("Repeat purchases in the calibration period")
        .y_desc("Mean purchases in the holdout")
        .draw()?;

    let actual_colour = theme.accent;
    let expected_colour = PALETTE[1];
    chart
        .draw_series(rows.iter().enumerate().map(|(index, row)| {
            let index = index as i32;
            let mut bar = Rectangle::new([(SegmentValue::Exact(index), 0.0), (SegmentValue::Exact(index + 1), row.actual_mean)], actual_colour.mix(0.8).filled());
            bar.set_margin(0, 0, theme.px(10.0), theme.px(10.0));
            bar
        }))?
        .label("Actual")
        .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], actual_colour.filled()));

    let forecast: Vec<(SegmentValue<i32>, f64)> =
        rows.iter().enumerate().map(|(index, row)| (SegmentValue::CenterOf(index as i32), row.expected_mean)).collect();
    chart
        .draw_series(LineSeries::new(forecast.clone(), expected_colour.stroke_width(theme.px(2.5))))?
        .label("Model forecast")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], expected_colour.stroke_width(3)));
    chart.draw_series(forecast.into_iter().map(|point| Circle::new(point, theme.px(4.0), expected_colour.filled())))?;

    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(theme.background.mix(0.9))
        .border_style(theme.grid)
        .label_font(theme.font(12.0).into_font().color(&theme.text))
        .draw()?;

    area.present()?;
    Ok(())
}
