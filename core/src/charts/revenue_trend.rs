//! Revenue per calendar month as a line over a filled area, optionally with the same months a
//! year earlier as a dashed line for comparison.

use std::collections::HashMap;

use chrono::NaiveDate;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{draw_period_axis, draw_value_axis};
use super::layout::{debug_check_plot, slots, Frame, PlotRect};
use super::legend::{draw_legend, legend_height, LegendEntry, Swatch};
use super::{ChartError, HoverText, Theme};
use crate::format;
use crate::metrics::period::{Month, Period};
use crate::metrics::revenue::MonthRevenue;

/// The months shown and, where the history has it, each month's revenue a year earlier.
struct Series<'a> {
    months: &'a [MonthRevenue],
    /// Revenue in major units of the month twelve months before each shown month.
    year_earlier: Vec<Option<f64>>,
    /// The last day of data when the last month ends after it, so that month is partial.
    partial_until: Option<NaiveDate>,
}

impl<'a> Series<'a> {
    fn new(months: &'a [MonthRevenue], history: Option<&[MonthRevenue]>, data_end: Option<NaiveDate>) -> Self {
        let by_month: HashMap<Month, f64> =
            history.unwrap_or_default().iter().map(|month| (month.month, month.totals.revenue.to_major_f64())).collect();
        let year_earlier = months.iter().map(|month| by_month.get(&month.month.plus(-12)).copied()).collect();
        let partial_until = data_end.filter(|end| months.last().is_some_and(|last| !last.month.is_complete(*end)));
        Series { months, year_earlier, partial_until }
    }

    /// The number of months drawn as complete: all but a partial last one.
    fn complete_count(&self) -> usize {
        self.months.len() - usize::from(self.partial_until.is_some())
    }

    fn has_comparison(&self) -> bool {
        self.year_earlier.iter().any(Option::is_some)
    }

    fn revenue(&self, index: usize) -> f64 {
        self.months[index].totals.revenue.to_major_f64()
    }
}

/// The frame, plot rectangle and money range shared by drawing and hit-testing.
struct Layout {
    frame: Frame,
    rect: PlotRect,
    /// Money range of the y axis in major units, lowest first.
    range: (f64, f64),
}

fn legend_entries(theme: &Theme, series: &Series) -> Vec<LegendEntry> {
    let mut entries = vec![LegendEntry::new("Revenue", Swatch::LineWithPoint(theme.accent.to_rgba()))];
    if series.has_comparison() {
        entries.push(LegendEntry::new("Same month a year earlier", Swatch::Dashed(theme.muted_text.to_rgba())));
    }
    if let Some(end) = series.partial_until {
        entries.push(LegendEntry::new(format!("Partial month, data to {}", end.format("%-d %b %Y")), Swatch::Dashed(theme.accent.to_rgba())));
    }
    entries
}

fn layout(size: (u32, u32), theme: &Theme, series: &Series) -> Option<Layout> {
    if series.months.is_empty() {
        return None;
    }
    let legend = legend_height(&legend_entries(theme, series), size.0, theme);
    let frame = Frame::period_chart(theme, legend);
    let rect = frame.plot_rect(size, theme)?;
    let values = (0..series.months.len()).map(|index| series.revenue(index)).chain(series.year_earlier.iter().flatten().copied());
    let (bottom, top) = values.fold((0.0_f64, 0.0_f64), |(low, high), value| (low.min(value), high.max(value)));
    Some(Layout { frame, rect, range: (bottom * 1.1, top.max(1.0) * 1.1) })
}

/// Returns the plot's rectangle in an area of `size` device pixels, as drawing and
/// hit-testing place it with the same `history`; `None` when nothing is plotted.
pub fn plot_rect(size: (u32, u32), theme: &Theme, months: &[MonthRevenue], history: Option<&[MonthRevenue]>) -> Option<PlotRect> {
    layout(size, theme, &Series::new(months, history, None)).map(|layout| layout.rect)
}

/// Draws monthly revenue, one point per month, with month labels and a money axis.
pub fn draw_revenue_trend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, months: &[MonthRevenue], theme: &Theme) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    draw_revenue_trend_compared(area, months, None, theme)
}

/// Draws monthly revenue like [`draw_revenue_trend_compared`], and marks the last month as
/// partial, with a dashed line to a hollow point and a legend entry, when it ends after
/// `data_end`, the last day of the data.
pub fn draw_revenue_trend_as_of<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    months: &[MonthRevenue],
    history: Option<&[MonthRevenue]>,
    data_end: NaiveDate,
    theme: &Theme,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    draw_series(area, &Series::new(months, history, Some(data_end)), theme)
}

/// Draws monthly revenue like [`draw_revenue_trend`] and, for each shown month whose month a
/// year earlier is in `history`, that earlier revenue as a dashed line, with a legend.
///
/// `history` may be `months` itself (a series of more than a year compares its later months)
/// or a longer series than the one shown, such as all months before a date filter. Without
/// any year-earlier month the chart is the plain trend, with no legend.
pub fn draw_revenue_trend_compared<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    months: &[MonthRevenue],
    history: Option<&[MonthRevenue]>,
    theme: &Theme,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    draw_series(area, &Series::new(months, history, None), theme)
}

fn draw_series<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, series: &Series, theme: &Theme) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&theme.background)?;
    let months = series.months;
    let Some(layout) = layout(area.dim_in_pixel(), theme, series) else { return Ok(()) };
    let count = months.len();

    draw_legend(area, &legend_entries(theme, &series), theme)?;
    let mut chart = layout.frame.builder(area).build_cartesian_2d(slots(count), layout.range.0..layout.range.1)?;
    debug_check_plot(area, chart.plotting_area(), &layout.rect);
    draw_value_axis(&mut chart, "Revenue per month", &|value| format::money_compact(*value), theme)?;

    draw_year_earlier(&mut chart, series, theme)?;
    let points: Vec<(f64, f64)> = (0..count).map(|index| (index as f64, series.revenue(index))).collect();
    let (complete, partial) = points.split_at(series.complete_count());
    chart.draw_series(AreaSeries::new(complete.to_vec(), 0.0, theme.accent.mix(0.15)))?;
    chart.draw_series(LineSeries::new(complete.to_vec(), theme.accent.stroke_width(theme.px(2.5))))?;
    chart.draw_series(complete.iter().map(|point| Circle::new(*point, theme.px(3.5), theme.accent.filled())))?;
    if let (Some(last_complete), Some(partial)) = (complete.last(), partial.first()) {
        let dashed = theme.accent.stroke_width(theme.px(2.0));
        chart.draw_series(DashedLineSeries::new(vec![*last_complete, *partial], theme.px(6.0), theme.px(4.0), dashed))?;
        chart.draw_series(std::iter::once(Circle::new(*partial, theme.px(3.5), theme.background.filled())))?;
        chart.draw_series(std::iter::once(Circle::new(*partial, theme.px(3.5), theme.accent.stroke_width(theme.px(2.0)))))?;
    }

    let periods: Vec<Period> = months.iter().map(|month| Period::from(month.month)).collect();
    draw_period_axis(area, &layout.rect, &periods, "Month", theme)?;

    area.present()?;
    Ok(())
}

/// Draws the year-earlier revenue as dashed lines, broken where a month has no year-earlier
/// value, with a small point on each value so that a single month stays visible.
fn draw_year_earlier<DB: DrawingBackend, CT>(chart: &mut ChartContext<DB, CT>, series: &Series, theme: &Theme) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
    CT: CoordTranslate<From = (f64, f64)>,
{
    let style: ShapeStyle = theme.muted_text.stroke_width(theme.px(2.0));
    let mut run: Vec<(f64, f64)> = Vec::new();
    for (index, value) in series.year_earlier.iter().enumerate() {
        if let Some(value) = value {
            run.push((index as f64, *value));
        }
        let run_ends = value.is_none() || index + 1 == series.year_earlier.len();
        if run_ends && !run.is_empty() {
            let dash = theme.px(6.0);
            chart.draw_series(DashedLineSeries::new(run.clone(), dash, theme.px(4.0), style))?;
            chart.draw_series(run.drain(..).map(|point| Circle::new(point, theme.px(2.5), theme.muted_text.filled())))?;
        }
    }
    Ok(())
}

/// Returns the month under the pixel `(x, y)` of an area of `size` device pixels, with its
/// revenue and, when `history` has it, the revenue a year earlier and the change; `None` off
/// the plot. Pass the same `history` as to [`draw_revenue_trend_compared`].
pub fn hit_test_revenue_trend(
    size: (u32, u32),
    theme: &Theme,
    months: &[MonthRevenue],
    history: Option<&[MonthRevenue]>,
    x: i32,
    y: i32,
) -> Option<HoverText> {
    hit_test_series(size, theme, &Series::new(months, history, None), x, y)
}

/// Returns the hover text like [`hit_test_revenue_trend`], saying which days a partial last
/// month covers; pass the same arguments as to [`draw_revenue_trend_as_of`].
pub fn hit_test_revenue_trend_as_of(
    size: (u32, u32),
    theme: &Theme,
    months: &[MonthRevenue],
    history: Option<&[MonthRevenue]>,
    data_end: NaiveDate,
    (x, y): (i32, i32),
) -> Option<HoverText> {
    hit_test_series(size, theme, &Series::new(months, history, Some(data_end)), x, y)
}

fn hit_test_series(size: (u32, u32), theme: &Theme, series: &Series, x: i32, y: i32) -> Option<HoverText> {
    let months = series.months;
    let index = layout(size, theme, series)?.rect.slot_at(months.len(), x, y)?;
    let month = months.get(index)?;
    let revenue = series.revenue(index);

    let mut lines = vec![
        format!("Revenue: {}", format::money(revenue)),
        format!("Paying customers: {}", format::thousands(month.totals.paying_customers as u64)),
    ];
    if let Some(earlier) = series.year_earlier[index] {
        lines.push(format!("{}: {}", month.month.plus(-12).short_label(), format::money(earlier)));
        if earlier > 0.0 {
            lines.push(format!("Change on a year earlier: {}", format::signed_percent((revenue - earlier) / earlier)));
        }
    }
    if let Some(end) = series.partial_until.filter(|_| index + 1 == months.len()) {
        lines.push(format!("Partial month: data to {}", end.format("%-d %b %Y")));
    }
    Some(HoverText { title: month.month.short_label(), lines })
}
