//! Active users over time: a thin line per period and, for daily series, the trailing
//! 7-day mean drawn over it.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{draw_period_axis, draw_value_axis};
use super::layout::{self, debug_check_plot, slots, Frame, PlotRect};
use super::legend::{draw_legend, legend_height, LegendEntry, Swatch};
use super::{ChartError, HoverText, Theme};
use crate::format;
use crate::metrics::period::Granularity;
use crate::metrics::usage::ActiveUsers;

/// Days in the trailing mean of a daily series.
pub const MEAN_DAYS: usize = 7;

/// The frame, plot rectangle and top of the user axis shared by drawing and hit-testing.
struct Layout {
    frame: Frame,
    rect: PlotRect,
    top: f64,
}

fn is_daily(series: &[ActiveUsers]) -> bool {
    series.first().is_some_and(|first| first.period.granularity == Granularity::Day)
}

fn series_name(series: &[ActiveUsers]) -> String {
    match series.first().map(|first| first.period.granularity) {
        Some(Granularity::Day) => "Daily active users".to_string(),
        Some(granularity) => format!("Active users per {}", granularity.name()),
        None => String::new(),
    }
}

fn legend_entries(theme: &Theme, series: &[ActiveUsers]) -> Vec<LegendEntry> {
    let mut entries = vec![LegendEntry::new(series_name(series), Swatch::Line(theme.muted_text.to_rgba()))];
    if is_daily(series) {
        entries.push(LegendEntry::new(format!("{MEAN_DAYS}-day mean"), Swatch::Line(theme.accent.to_rgba())));
    }
    entries
}

fn layout(size: (u32, u32), theme: &Theme, series: &[ActiveUsers]) -> Option<Layout> {
    if series.is_empty() {
        return None;
    }
    let legend = legend_height(&legend_entries(theme, series), size.0, theme);
    let frame = Frame::period_chart(theme, legend);
    let rect = frame.plot_rect(size, theme)?;
    let highest = series.iter().map(|point| point.users).max().unwrap_or(0);
    Some(Layout { frame, rect, top: (highest as f64 * 1.1).max(1.0) })
}

/// Returns the plot's rectangle in an area of `size` device pixels, as drawing and
/// hit-testing place it; `None` when nothing is plotted.
pub fn plot_rect(size: (u32, u32), theme: &Theme, series: &[ActiveUsers]) -> Option<PlotRect> {
    layout(size, theme, series).map(|layout| layout.rect)
}

/// Returns the mean of the `MEAN_DAYS` days ending at each index; `None` for the first six
/// days, which have no full window.
pub fn trailing_mean(series: &[ActiveUsers]) -> Vec<Option<f64>> {
    (0..series.len())
        .map(|index| {
            let start = (index + 1).checked_sub(MEAN_DAYS)?;
            let total: u64 = series[start..=index].iter().map(|point| point.users).sum();
            Some(total as f64 / MEAN_DAYS as f64)
        })
        .collect()
}

/// Draws active users per period as a thin line and, for a daily series, the trailing 7-day
/// mean as a thicker line over it, with dates on the axis and a legend.
pub fn draw_active_users<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, series: &[ActiveUsers], theme: &Theme) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&theme.background)?;
    let Some(layout) = layout(area.dim_in_pixel(), theme, series) else { return Ok(()) };
    let count = series.len();
    let granularity = series[0].period.granularity;

    draw_legend(area, &legend_entries(theme, series), theme)?;
    let mut chart = layout.frame.builder(area).build_cartesian_2d(slots(count), 0.0..layout.top)?;
    debug_check_plot(area, chart.plotting_area(), &layout.rect);
    draw_value_axis(&mut chart, "Active users", &|value| format::thousands(value.round().max(0.0) as u64), theme)?;

    let users: Vec<(f64, f64)> =
        series.iter().enumerate().map(|(index, point)| (index as f64, point.users as f64)).collect();
    chart.draw_series(LineSeries::new(users, theme.muted_text.stroke_width(theme.px(1.0))))?;
    if is_daily(series) {
        let mean: Vec<(f64, f64)> = trailing_mean(series)
            .into_iter()
            .enumerate()
            .filter_map(|(index, mean)| Some((index as f64, mean?)))
            .collect();
        chart.draw_series(LineSeries::new(mean, theme.accent.stroke_width(theme.px(2.5))))?;
    }

    let periods: Vec<_> = series.iter().map(|point| point.period).collect();
    draw_period_axis(area, &layout.rect, &periods, layout::period_axis_title(granularity), theme)?;

    area.present()?;
    Ok(())
}

/// Returns the period under the pixel `(x, y)` of an area of `size` device pixels, with its
/// active users and, for a daily series, the trailing 7-day mean; `None` off the plot.
pub fn hit_test_active_users(size: (u32, u32), theme: &Theme, series: &[ActiveUsers], x: i32, y: i32) -> Option<HoverText> {
    let index = layout(size, theme, series)?.rect.slot_at(series.len(), x, y)?;
    let point = series.get(index)?;
    let mut lines = vec![format!("Active users: {}", format::thousands(point.users))];
    if is_daily(series) {
        match trailing_mean(series).get(index).copied().flatten() {
            Some(mean) => lines.push(format!("{MEAN_DAYS}-day mean: {mean:.1}")),
            None => lines.push(format!("{MEAN_DAYS}-day mean: needs {MEAN_DAYS} days of data")),
        }
    }
    Some(HoverText { title: point.period.long_label(), lines })
}
