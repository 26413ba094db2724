//! NPS per period: a 100% stacked bar of detractors, passives and promoters, with the score
//! as a line on a second axis from −100 to 100.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{draw_period_axis, draw_value_axis};
use super::layout::{self, debug_check_plot, slots, Frame, PlotRect};
use super::legend::{draw_legend, legend_height, LegendEntry, Swatch};
use super::{ChartError, HoverText, Theme, PALETTE};
use crate::format;
use crate::metrics::dashboard::PeriodNps;
use crate::metrics::experience::nps::Nps;

/// Opacity of full bars, and of bars of periods with fewer than 30 responses.
const BAR_OPACITY: f64 = 0.9;
const SMALL_SAMPLE_OPACITY: f64 = 0.4;

/// An answer group's legend label, colour and count.
type AnswerGroup = (&'static str, RGBColor, fn(&Nps) -> u64);

/// The three answer groups from the bottom of a bar up, with their colours: vermillion,
/// a neutral grey and bluish green, which stay apart under the common colour blindnesses.
fn groups(theme: &Theme) -> [AnswerGroup; 3] {
    [
        ("Detractors (0–6)", PALETTE[3], |nps| nps.detractors),
        ("Passives (7–8)", theme.muted_text, |nps| nps.passives),
        ("Promoters (9–10)", PALETTE[2], |nps| nps.promoters),
    ]
}

/// The frame and plot rectangle shared by drawing and hit-testing.
struct Layout {
    frame: Frame,
    rect: PlotRect,
}

fn legend_entries(theme: &Theme, periods: &[PeriodNps]) -> Vec<LegendEntry> {
    let mut entries: Vec<LegendEntry> =
        groups(theme).iter().map(|(label, colour, _)| LegendEntry::new(*label, Swatch::Box(colour.mix(BAR_OPACITY)))).collect();
    entries.push(LegendEntry::new("NPS (right axis)", Swatch::LineWithPoint(theme.text.to_rgba())));
    if periods.iter().any(|period| period.nps.is_small_sample()) {
        entries.push(LegendEntry::new("Faded bar: fewer than 30 responses", Swatch::Box(PALETTE[2].mix(SMALL_SAMPLE_OPACITY))));
    }
    entries
}

fn layout(size: (u32, u32), theme: &Theme, periods: &[PeriodNps]) -> Option<Layout> {
    if periods.is_empty() {
        return None;
    }
    let legend = legend_height(&legend_entries(theme, periods), size.0, theme);
    let mut frame = Frame::period_chart(theme, legend);
    frame.right_label_area = theme.px(52.0);
    let rect = frame.plot_rect(size, theme)?;
    Some(Layout { frame, rect })
}

/// Returns the plot's rectangle in an area of `size` device pixels, as drawing and
/// hit-testing place it; `None` when nothing is plotted.
pub fn plot_rect(size: (u32, u32), theme: &Theme, periods: &[PeriodNps]) -> Option<PlotRect> {
    layout(size, theme, periods).map(|layout| layout.rect)
}

/// Draws one 100% bar per period (detractors at the bottom, promoters at the top), the NPS as
/// a line with points on the right axis, and a legend. Periods with fewer than 30 responses
/// are drawn pale.
pub fn draw_nps_distribution<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, periods: &[PeriodNps], theme: &Theme) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&theme.background)?;
    let Some(layout) = layout(area.dim_in_pixel(), theme, periods) else { return Ok(()) };
    let count = periods.len();
    let granularity = periods[0].period.granularity;

    draw_legend(area, &legend_entries(theme, periods), theme)?;
    let mut chart = layout
        .frame
        .builder(area)
        .build_cartesian_2d(slots(count), 0.0..1.0)?
        .set_secondary_coord(slots(count), -100.0..100.0);
    debug_check_plot(area, chart.plotting_area(), &layout.rect);

    draw_value_axis(&mut chart, "Share of responses", &|value| format!("{:.0}%", value * 100.0), theme)?;
    chart
        .configure_secondary_axes()
        .axis_style(theme.grid)
        .y_labels(5)
        .y_label_formatter(&|value| format!("{value:.0}"))
        .y_desc("NPS")
        .label_style(theme.font(12.0).into_font().color(&theme.muted_text))
        .axis_desc_style(theme.font(12.0).into_font().color(&theme.muted_text))
        .draw()?;

    let gap = layout::bar_gap(&layout.rect, count);
    for (index, period) in periods.iter().enumerate() {
        let opacity = if period.nps.is_small_sample() { SMALL_SAMPLE_OPACITY } else { BAR_OPACITY };
        let mut bottom = 0.0;
        for (_, colour, count_of) in groups(theme) {
            let top = bottom + count_of(&period.nps) as f64 / period.nps.responses.max(1) as f64;
            if top > bottom {
                chart.plotting_area().draw(&layout::slot_bar(index, bottom, top.min(1.0), colour.mix(opacity).filled(), gap))?;
            }
            bottom = top;
        }
    }

    let scores: Vec<(f64, f64)> =
        periods.iter().enumerate().map(|(index, period)| (index as f64, period.nps.score.clamp(-100.0, 100.0))).collect();
    chart.draw_secondary_series(LineSeries::new(scores.clone(), theme.text.stroke_width(theme.px(2.0))))?;
    chart.draw_secondary_series(scores.into_iter().map(|point| Circle::new(point, theme.px(3.5), theme.text.filled())))?;

    let all_periods: Vec<_> = periods.iter().map(|period| period.period).collect();
    draw_period_axis(area, &layout.rect, &all_periods, layout::period_axis_title(granularity), theme)?;

    area.present()?;
    Ok(())
}

/// Returns the period under the pixel `(x, y)` of an area of `size` device pixels, with its
/// NPS, margin of error and the three groups; `None` off the plot.
pub fn hit_test_nps_distribution(size: (u32, u32), theme: &Theme, periods: &[PeriodNps], x: i32, y: i32) -> Option<HoverText> {
    let index = layout(size, theme, periods)?.rect.slot_at(periods.len(), x, y)?;
    let period = periods.get(index)?;
    let nps = &period.nps;

    let mut lines = vec![format!("NPS: {:.1} ± {:.1}", nps.score, nps.margin_of_error)];
    for (label, _, count_of) in groups(theme).iter().rev() {
        let count = count_of(nps);
        lines.push(format!("{label}: {} ({})", format::percent(count as f64 / nps.responses.max(1) as f64), format::thousands(count)));
    }
    let small = if nps.is_small_sample() { ", a small sample" } else { "" };
    lines.push(format!("Responses: {}{small}", format::thousands(nps.responses)));
    Some(HoverText { title: period.period.long_label(), lines })
}
