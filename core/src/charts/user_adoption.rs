//! The user adoption curve of one feature: the cumulative share of known users who have used
//! it by the end of each period, with its 95% interval as a band.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{draw_period_axis, draw_value_axis};
use super::layout::{debug_check_plot, slots, Frame, PlotRect};
use super::legend::{draw_legend, legend_height, LegendEntry, Swatch};
use super::{ChartError, HoverText, Theme};
use crate::format;
use crate::metrics::dashboard::UserAdoptionCurve;

const BAND_OPACITY: f64 = 0.18;

/// The frame and plot rectangle shared by drawing and hit-testing.
struct Layout {
    frame: Frame,
    rect: PlotRect,
}

fn legend_entries(theme: &Theme, curve: &UserAdoptionCurve) -> Vec<LegendEntry> {
    vec![
        LegendEntry::new(format!("Users who have used {}", curve.feature), Swatch::LineWithPoint(theme.accent.to_rgba())),
        LegendEntry::new("95% interval", Swatch::Box(theme.accent.mix(BAND_OPACITY * 1.5))),
    ]
}

fn layout(size: (u32, u32), theme: &Theme, curve: &UserAdoptionCurve) -> Option<Layout> {
    if curve.points.is_empty() {
        return None;
    }
    let legend = legend_height(&legend_entries(theme, curve), size.0, theme);
    let frame = Frame::period_chart(theme, legend);
    let rect = frame.plot_rect(size, theme)?;
    Some(Layout { frame, rect })
}

/// Returns the plot's rectangle in an area of `size` device pixels, as drawing and
/// hit-testing place it; `None` when nothing is plotted.
pub fn plot_rect(size: (u32, u32), theme: &Theme, curve: &UserAdoptionCurve) -> Option<PlotRect> {
    layout(size, theme, curve).map(|layout| layout.rect)
}

/// Splits the points into runs of consecutive periods that have a share, so that the line and
/// band break where nobody was known yet.
fn runs(curve: &UserAdoptionCurve) -> Vec<Vec<(i32, crate::metrics::Share)>> {
    let mut runs: Vec<Vec<(i32, crate::metrics::Share)>> = Vec::new();
    let mut current = Vec::new();
    for (index, point) in curve.points.iter().enumerate() {
        match point.share {
            Some(share) => current.push((index as i32, share)),
            None if !current.is_empty() => runs.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// Draws the share of known users who have used the feature by each period's end as a line
/// with points on a 0–100% axis, its Wilson interval as a band, and a legend.
pub fn draw_user_adoption<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, curve: &UserAdoptionCurve, theme: &Theme) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&theme.background)?;
    let Some(layout) = layout(area.dim_in_pixel(), theme, curve) else { return Ok(()) };
    let count = curve.points.len();
    let granularity = curve.points[0].period.granularity;

    draw_legend(area, &legend_entries(theme, curve), theme)?;
    let mut chart = layout.frame.builder(area).build_cartesian_2d(slots(count), 0.0..1.0)?;
    debug_check_plot(area, chart.plotting_area(), &layout.rect);
    draw_value_axis(&mut chart, "Share of known users", &|value| format!("{:.0}%", value * 100.0), theme)?;

    for run in runs(curve) {
        let centre = f64::from;
        let mut band: Vec<(f64, f64)> = run.iter().map(|(index, share)| (centre(*index), share.wilson_interval().1)).collect();
        band.extend(run.iter().rev().map(|(index, share)| (centre(*index), share.wilson_interval().0)));
        chart.draw_series(std::iter::once(Polygon::new(band, theme.accent.mix(BAND_OPACITY).filled())))?;

        let line: Vec<(f64, f64)> = run.iter().map(|(index, share)| (centre(*index), share.fraction())).collect();
        chart.draw_series(LineSeries::new(line.clone(), theme.accent.stroke_width(theme.px(2.5))))?;
        chart.draw_series(line.into_iter().map(|point| Circle::new(point, theme.px(3.0), theme.accent.filled())))?;
    }

    let periods: Vec<_> = curve.points.iter().map(|point| point.period).collect();
    draw_period_axis(area, &layout.rect, &periods, &format!("End of {}", granularity.name()), theme)?;

    area.present()?;
    Ok(())
}

/// Returns the period under the pixel `(x, y)` of an area of `size` device pixels, with the
/// share of known users who had used the feature by its end; `None` off the plot.
pub fn hit_test_user_adoption(size: (u32, u32), theme: &Theme, curve: &UserAdoptionCurve, x: i32, y: i32) -> Option<HoverText> {
    let index = layout(size, theme, curve)?.rect.slot_at(curve.points.len(), x, y)?;
    let point = curve.points.get(index)?;
    let lines = match point.share {
        Some(share) => {
            let (low, high) = share.wilson_interval();
            vec![
                format!("Used {}: {} (95% interval {} to {})", curve.feature, format::percent(share.fraction()), format::percent(low), format::percent(high)),
                format!("{} of {} known users", format::thousands(share.numerator), format::thousands(share.denominator)),
            ]
        }
        None => vec!["No users known yet".to_string()],
    };
    Some(HoverText { title: format!("By the end of {}", point.period.long_label()), lines })
}
