//! MRR movements per period: gains stacked above zero, losses below, and the net change.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::RGBAColor;

use super::axes::{draw_period_axis, draw_value_axis};
use super::layout::{self, debug_check_plot, slots, Frame, PlotRect};
use super::legend::{draw_legend, legend_height, LegendEntry, Swatch};
use super::{ChartError, HoverText, Theme, PALETTE};
use crate::format;
use crate::ingest::Money;
use crate::metrics::movements::PeriodMovements;

/// A movement's legend label, colour, amount and whether it is a gain.
type Movement = (&'static str, RGBColor, fn(&PeriodMovements) -> Money, bool);

/// The five movements in stacking order: gains upwards from zero, then losses downwards.
const MOVEMENTS: [Movement; 5] = [
    ("New", PALETTE[2], |period| period.new, true),
    ("Expansion", PALETTE[4], |period| period.expansion, true),
    ("Reactivation", PALETTE[0], |period| period.reactivation, true),
    ("Contraction", PALETTE[1], |period| period.contraction, false),
    ("Churn", PALETTE[3], |period| period.churn, false),
];

/// Opacity of the bars, so the grid shows through where bars are thin.
const BAR_OPACITY: f64 = 0.9;

/// The frame, plot rectangle and money range shared by drawing and hit-testing.
struct Layout {
    frame: Frame,
    rect: PlotRect,
    /// Money range of the y axis in major units, lowest first.
    range: (f64, f64),
}

fn legend_entries(theme: &Theme) -> Vec<LegendEntry> {
    let mut entries: Vec<LegendEntry> = MOVEMENTS
        .iter()
        .map(|(label, colour, _, _)| LegendEntry::new(*label, Swatch::Box(colour.mix(BAR_OPACITY))))
        .collect();
    entries.push(LegendEntry::new("Net change", Swatch::LineWithPoint(theme.text.to_rgba())));
    entries
}

fn layout(size: (u32, u32), theme: &Theme, periods: &[PeriodMovements]) -> Option<Layout> {
    if periods.is_empty() {
        return None;
    }
    let legend = legend_height(&legend_entries(theme), size.0, theme);
    let frame = Frame::period_chart(theme, legend);
    let rect = frame.plot_rect(size, theme)?;
    Some(Layout { frame, rect, range: money_range(periods) })
}

/// Returns the y range: every stack and net value, zero, and a little room above and below.
fn money_range(periods: &[PeriodMovements]) -> (f64, f64) {
    let highest = periods.iter().map(|period| gains(period).max(net_change(period))).fold(0.0, f64::max);
    let lowest = periods.iter().map(|period| (-losses(period)).min(net_change(period))).fold(0.0, f64::min);
    if highest - lowest <= 0.0 {
        return (0.0, 1.0);
    }
    let room = (highest - lowest) * 0.08;
    (if lowest < 0.0 { lowest - room } else { 0.0 }, if highest > 0.0 { highest + room } else { 0.0 })
}

fn gains(period: &PeriodMovements) -> f64 {
    period.new.to_major_f64() + period.expansion.to_major_f64() + period.reactivation.to_major_f64()
}

fn losses(period: &PeriodMovements) -> f64 {
    period.contraction.to_major_f64() + period.churn.to_major_f64()
}

/// Returns new + expansion + reactivation − contraction − churn in major units, which equals
/// `mrr_end − mrr_start`.
fn net_change(period: &PeriodMovements) -> f64 {
    let micros = period.new.micros + period.expansion.micros + period.reactivation.micros - period.contraction.micros - period.churn.micros;
    Money::from_micros(micros).to_major_f64()
}

/// Returns the plot's rectangle in an area of `size` device pixels, as drawing and
/// hit-testing place it; `None` when nothing is plotted.
pub fn plot_rect(size: (u32, u32), theme: &Theme, periods: &[PeriodMovements]) -> Option<PlotRect> {
    layout(size, theme, periods).map(|layout| layout.rect)
}

/// Draws one column per period: new, expansion and reactivation stacked up from zero,
/// contraction and churn stacked down, the net change as a line with points, a zero line
/// and a legend. Amounts are in major currency units.
pub fn draw_mrr_movements<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, periods: &[PeriodMovements], theme: &Theme) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&theme.background)?;
    let Some(layout) = layout(area.dim_in_pixel(), theme, periods) else { return Ok(()) };
    let count = periods.len();
    let granularity = periods[0].period.granularity;

    draw_legend(area, &legend_entries(theme), theme)?;
    let mut chart = layout.frame.builder(area).build_cartesian_2d(slots(count), layout.range.0..layout.range.1)?;
    debug_check_plot(area, chart.plotting_area(), &layout.rect);

    draw_value_axis(&mut chart, &format!("MRR change per {}", granularity.name()), &|value| format::money_compact(*value), theme)?;

    let gap = layout::bar_gap(&layout.rect, count);
    for (index, period) in periods.iter().enumerate() {
        draw_stacks(&mut chart, index, period, gap)?;
    }

    let coord = layout.rect.coord(slots(count), layout.range.0..layout.range.1);
    let zero = coord.translate(&(0.0, 0.0)).1;
    area.draw(&PathElement::new(vec![(layout.rect.left, zero), (layout.rect.right - 1, zero)], theme.muted_text.stroke_width(theme.px(1.0))))?;

    let net: Vec<(f64, f64)> =
        periods.iter().enumerate().map(|(index, period)| (index as f64, net_change(period))).collect();
    chart.draw_series(LineSeries::new(net.clone(), theme.text.stroke_width(theme.px(2.0))))?;
    chart.draw_series(net.into_iter().map(|point| Circle::new(point, theme.px(3.5), theme.text.filled())))?;

    let all_periods: Vec<_> = periods.iter().map(|period| period.period).collect();
    draw_period_axis(area, &layout.rect, &all_periods, layout::period_axis_title(granularity), theme)?;

    area.present()?;
    Ok(())
}

fn draw_stacks<DB: DrawingBackend, CT>(chart: &mut ChartContext<DB, CT>, index: usize, period: &PeriodMovements, gap: u32) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
    CT: CoordTranslate<From = (f64, f64)>,
{
    let (mut above, mut below) = (0.0, 0.0);
    for (_, colour, amount, is_gain) in MOVEMENTS {
        let value = amount(period).to_major_f64();
        if value <= 0.0 {
            continue;
        }
        let (from, to) = if is_gain { (above, above + value) } else { (below, below - value) };
        if is_gain {
            above = to;
        } else {
            below = to;
        }
        chart.plotting_area().draw(&layout::slot_bar(index, from, to, fill(colour), gap))?;
    }
    Ok(())
}

fn fill(colour: RGBColor) -> ShapeStyle {
    let colour: RGBAColor = colour.mix(BAR_OPACITY);
    colour.filled()
}

/// Returns the period under the pixel `(x, y)` of an area of `size` device pixels, with every
/// movement, the net change and the MRR at the period's start and end; `None` off the plot.
pub fn hit_test_mrr_movements(size: (u32, u32), theme: &Theme, periods: &[PeriodMovements], x: i32, y: i32) -> Option<HoverText> {
    let index = layout(size, theme, periods)?.rect.slot_at(periods.len(), x, y)?;
    let period = periods.get(index)?;

    let mut lines = vec![format!("MRR at start: {}", format::money(period.mrr_start.to_major_f64()))];
    for (label, _, amount, is_gain) in MOVEMENTS {
        let value = amount(period).to_major_f64();
        lines.push(format!("{label}: {}", signed_money(if is_gain { value } else { -value })));
    }
    lines.push(format!("Net change: {}", signed_money(net_change(period))));
    lines.push(format!("MRR at end: {}", format::money(period.mrr_end.to_major_f64())));
    Some(HoverText { title: period.period.long_label(), lines })
}

/// Formats an amount with its sign: `+1,200.00`, `−350.00` (true minus sign), `0.00`.
fn signed_money(major: f64) -> String {
    let text = format::money(major.abs());
    if text == "0.00" {
        text
    } else if major < 0.0 {
        format!("−{text}")
    } else {
        format!("+{text}")
    }
}
