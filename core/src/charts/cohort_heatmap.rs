//! The cohort retention heatmap: one row per first-purchase month, one column per month since.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::layout::{band_at, debug_check_plot, segments, Frame, PlotRect};
use super::{ChartError, HoverText, Theme};
use crate::format;
use crate::metrics::cohorts::{Cohort, CohortTable};

/// The frame, plot rectangle and grid size shared by drawing and hit-testing.
struct Layout<'a> {
    frame: Frame,
    rect: PlotRect,
    /// Cohorts with customers, oldest first; the oldest is the top row.
    cohorts: Vec<&'a Cohort>,
    columns: usize,
}

fn layout<'a>(size: (u32, u32), theme: &Theme, table: &'a CohortTable) -> Option<Layout<'a>> {
    let cohorts: Vec<&Cohort> = table.cohorts.iter().filter(|cohort| cohort.size > 0).collect();
    let columns = cohorts.iter().map(|cohort| cohort.active.len()).max().unwrap_or(0);
    if cohorts.is_empty() || columns == 0 {
        return None;
    }
    let frame = Frame::new(theme, 0, 34.0, 118.0);
    let rect = frame.plot_rect(size, theme)?;
    Some(Layout { frame, rect, cohorts, columns })
}

/// Returns the grid's rectangle in an area of `size` device pixels, as drawing and
/// hit-testing place it; `None` when nothing is plotted.
pub fn plot_rect(size: (u32, u32), theme: &Theme, table: &CohortTable) -> Option<PlotRect> {
    layout(size, theme, table).map(|layout| layout.rect)
}

/// Draws each non-empty cohort's retention at each complete offset, with the value in the cell.
/// Cohorts without customers have no row. Offset 0 is 100% by definition, so the colour scale
/// runs from 0% to the highest retention at offsets 1 and later, where the differences are.
pub fn draw_cohort_heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    table: &CohortTable,
    theme: &Theme,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&theme.background)?;
    let Some(layout) = layout(area.dim_in_pixel(), theme, table) else { return Ok(()) };
    let (cohorts, columns) = (&layout.cohorts, layout.columns);
    let rows = cohorts.len();

    let mut chart = layout.frame.builder(area).build_cartesian_2d(segments(columns).into_segmented(), segments(rows).into_segmented())?;
    debug_check_plot(area, chart.plotting_area(), &layout.rect);

    chart
        .configure_mesh()
        .disable_mesh()
        .axis_style(theme.grid)
        .x_labels(columns.min(24))
        .x_label_formatter(&|value| match value {
            SegmentValue::CenterOf(offset) => format!("+{offset}"),
            _ => String::new(),
        })
        .y_labels(rows)
        .y_label_formatter(&|value| match value {
            SegmentValue::CenterOf(row) => {
                let index = usize::try_from(rows as i32 - 1 - *row).ok();
                cohort_label(index.and_then(|index| cohorts.get(index)))
            }
            _ => String::new(),
        })
        .x_desc("Months since first purchase")
        .label_style(theme.font(11.0).into_font().color(&theme.muted_text))
        .axis_desc_style(theme.font(12.0).into_font().color(&theme.muted_text))
        .draw()?;

    let scale_top = highest_later_retention(cohorts);
    let cell_font = theme.font(if columns > 14 { 10.5 } else { 12.0 });
    for (row, cohort) in cohorts.iter().enumerate() {
        for offset in 0..cohort.active.len() {
            let Some(share) = cohort.retention(offset) else { continue };
            let fill = theme.heat(share.fraction() / scale_top);
            // The oldest cohort is drawn at the top, so rows count down from the top edge.
            let (x, y) = (offset as i32, (rows - 1 - row) as i32);
            let corners = [(SegmentValue::Exact(x), SegmentValue::Exact(y)), (SegmentValue::Exact(x + 1), SegmentValue::Exact(y + 1))];
            chart.draw_series(std::iter::once(Rectangle::new(corners, fill.filled())))?;

            let style = cell_font
                .into_font()
                .color(&theme.text_on(fill))
                .pos(Pos::new(HPos::Center, VPos::Center));
            let middle = chart.backend_coord(&(SegmentValue::CenterOf(x), SegmentValue::CenterOf(y)));
            area.draw(&Text::new(format_cell(share.fraction()), middle, style))?;
        }
    }

    area.present()?;
    Ok(())
}

/// Returns the cell under the pixel `(x, y)` of an area of `size` device pixels: its cohort,
/// offset and retention with counts, or a note when the offset is not complete yet. `None`
/// off the grid.
pub fn hit_test_cohort_heatmap(size: (u32, u32), theme: &Theme, table: &CohortTable, x: i32, y: i32) -> Option<HoverText> {
    let layout = layout(size, theme, table)?;
    if !layout.rect.contains(x, y) {
        return None;
    }
    let rows = layout.cohorts.len();
    let coord = layout.rect.coord(segments(layout.columns).into_segmented(), segments(rows).into_segmented());
    let offset = band_at(layout.columns, x, |column| coord.translate(&(SegmentValue::Exact(column), SegmentValue::Exact(0))).0)?;
    let position = band_at(rows, y, |row| coord.translate(&(SegmentValue::Exact(0), SegmentValue::Exact(row))).1)?;
    let cohort = layout.cohorts.get(rows - 1 - position)?;

    let title = format!("{} cohort ({} customers)", cohort.month.short_label(), format::thousands(cohort.size));
    let line = match cohort.retention(offset) {
        Some(share) => format!(
            "{}: {} purchased again ({} of {})",
            cohort.month.plus(offset as i32).short_label(),
            format::percent(share.fraction()),
            format::thousands(share.numerator),
            format::thousands(share.denominator)
        ),
        None => format!("{}: not complete yet", cohort.month.plus(offset as i32).short_label()),
    };
    Some(HoverText { title, lines: vec![format!("Month +{offset}"), line] })
}

fn cohort_label(cohort: Option<&&Cohort>) -> String {
    cohort
        .map(|cohort| format!("{} ({})", cohort.month.short_label(), format::thousands(cohort.size)))
        .unwrap_or_default()
}

/// Returns the highest retention past offset 0, or 1 when there is none, as the colour scale's top.
fn highest_later_retention(cohorts: &[&Cohort]) -> f64 {
    let highest = cohorts
        .iter()
        .flat_map(|cohort| (1..cohort.active.len()).filter_map(|offset| cohort.retention(offset)))
        .map(|share| share.fraction())
        .fold(0.0, f64::max);
    if highest > 0.0 {
        highest
    } else {
        1.0
    }
}

/// Formats a cell: whole percentages from 10% up, one decimal below.
fn format_cell(fraction: f64) -> String {
    let percent = fraction * 100.0;
    if percent >= 10.0 || percent == 0.0 {
        format!("{percent:.0}%")
    } else {
        format!("{percent:.1}%")
    }
}
