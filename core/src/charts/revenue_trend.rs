//! Revenue per calendar month as a line over a filled area, optionally with the same months a
//! year earlier as a dashed line for comparison.

use std::collections::HashMap;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::layout::{self, band_at, debug_check_plot, draw_x_ticks, draw_x_title, period_ticks, slots, Frame, PlotRect};
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
}

impl<'a> Series<'a> {
    fn new(months: &'a [MonthRevenue], history: Option<&[MonthRevenue]>) -> Self {
        let by_month: HashMap<Month, f64> =
            history.unwrap_or_default().iter().map(|month| (month.month, month.totals.revenue.to_major_f64())).collect();
        let year_earlier = months.iter().map(|month| by_month.get(&month.month.plus(-12)).copied()).collect();
        Series { months, year_earlier }
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
    if !series.has_comparison() {
        return Vec::new();
    }
    vec![
        LegendEntry::new("Revenue", Swatch::LineWithPoint(theme.accent.to_rgba())),
        LegendEntry::new("Same month a year earlier", Swatch::Dashed(theme.muted_text.to_rgba())),
    ]
}

fn layout(size: (u32, u32), theme: &Theme, series: &Series) -> Option<Layout> {
    if series.months.is_empty() {
        return None;
    }
    let legend = legend_height(&legend_entries(theme, series), size.0, theme);
    let frame = Frame::new(theme, legend, 44.0, 64.0);
    let rect = frame.plot_rect(size, theme)?;
    let values = (0..series.months.len()).map(|index| series.revenue(index)).chain(series.year_earlier.iter().flatten().copied());
    let (bottom, top) = values.fold((0.0_f64, 0.0_f64), |(low, high), value| (low.min(value), high.max(value)));
    Some(Layout { frame, rect, range: (bottom * 1.1, top.max(1.0) * 1.1) })
}

/// Returns the plot's rectangle in an area of `size` device pixels, as drawing and
/// hit-testing place it with the same `history`; `None` when nothing is plotted.
pub fn plot_rect(size: (u32, u32), theme: &Theme, months: &[MonthRevenue], history: Option<&[MonthRevenue]>) -> Option<PlotRect> {
    layout(size, theme, &Series::new(months, history)).map(|layout| layout.rect)
}

/// Draws monthly revenue, one point per month, with month labels and a money axis.
pub fn draw_revenue_trend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, months: &[MonthRevenue], theme: &Theme) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    draw_revenue_trend_compared(area, months, None, theme)
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
    area.fill(&theme.background)?;
    let series = Series::new(months, history);
    let Some(layout) = layout(area.dim_in_pixel(), theme, &series) else { return Ok(()) };
    let count = months.len();

    draw_legend(area, &legend_entries(theme, &series), theme)?;
    let mut chart = layout.frame.builder(area).build_cartesian_2d(slots(count), layout.range.0..layout.range.1)?;
    debug_check_plot(area, chart.plotting_area(), &layout.rect);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(theme.background)
        .bold_line_style(theme.grid)
        .axis_style(theme.grid)
        .x_labels(0)
        .y_labels(6)
        .y_label_formatter(&|value| format::money_compact(*value))
        .y_desc("Revenue per month")
        .label_style(theme.font(12.0).into_font().color(&theme.muted_text))
        .axis_desc_style(theme.font(12.0).into_font().color(&theme.muted_text))
        .draw()?;

    draw_year_earlier(&mut chart, &series, theme)?;
    let points: Vec<(f64, f64)> = (0..count).map(|index| (index as f64, series.revenue(index))).collect();
    chart.draw_series(AreaSeries::new(points.clone(), 0.0, theme.accent.mix(0.15)))?;
    chart.draw_series(LineSeries::new(points.clone(), theme.accent.stroke_width(theme.px(2.5))))?;
    chart.draw_series(points.into_iter().map(|point| Circle::new(point, theme.px(3.5), theme.accent.filled())))?;

    let periods: Vec<Period> = months.iter().map(|month| Period::from(month.month)).collect();
    let centre = layout::slot_centres(&layout.rect, count);
    let ticks: Vec<(i32, String)> =
        period_ticks(&periods, layout.rect.width(), 12.0, theme).into_iter().map(|(index, label)| (centre(index), label)).collect();
    draw_x_ticks(area, &layout.rect, &ticks, theme)?;
    draw_x_title(area, &layout.rect, "Month", theme)?;

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
    let series = Series::new(months, history);
    let layout = layout(size, theme, &series)?;
    if !layout.rect.contains(x, y) {
        return None;
    }
    let index = band_at(months.len(), x, layout::slot_edges(&layout.rect, months.len()))?;
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
    Some(HoverText { title: month.month.short_label(), lines })
}
