//! The cohort retention heatmap: one row per first-purchase month, one column per month since.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::layout::{band_at, debug_check_plot, draw_x_ticks, draw_x_title, row_centres, row_edges, row_position, slot_centres, slot_edges, slots, Frame, PlotRect};
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
    let frame = Frame::new(theme, 0, 44.0, 118.0);
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

    let mut chart = layout.frame.builder(area).build_cartesian_2d(slots(columns), slots(rows))?;
    debug_check_plot(area, chart.plotting_area(), &layout.rect);
    chart.configure_mesh().disable_mesh().axis_style(theme.grid).x_labels(0).y_labels(0).draw()?;

    let column_centre = slot_centres(&layout.rect, columns);
    // One tick label per 40 CSS pixels at most, so labels never run together.
    let cell_width = f64::from(layout.rect.width()) / columns as f64;
    let step = ((theme.px(40.0) as f64 / cell_width).ceil() as usize).max(1);
    let ticks: Vec<(i32, String)> = (0..columns).step_by(step).map(|offset| (column_centre(offset), format!("+{offset}"))).collect();
    draw_x_ticks(area, &layout.rect, &ticks, theme)?;
    draw_x_title(area, &layout.rect, "Months since first purchase", theme)?;

    let row_centre = row_centres(&layout.rect, rows);
    let label_style = theme.font(11.0).into_font().color(&theme.muted_text).pos(Pos::new(HPos::Right, VPos::Center));
    for (row, cohort) in cohorts.iter().enumerate() {
        let anchor = (layout.rect.left - theme.px(8.0) as i32, row_centre(row));
        area.draw(&Text::new(cohort_label(cohort), anchor, label_style.clone()))?;
    }

    let scale_top = highest_later_retention(cohorts);
    let cell_font = theme.font(if columns > 14 { 10.5 } else { 12.0 });
    // Cells narrower than a "100%" label show colour only; the tooltip and table give values.
    let show_values = cell_width >= theme.px(30.0) as f64 && f64::from(layout.rect.height()) / rows as f64 >= theme.px(14.0) as f64;
    for (row, cohort) in cohorts.iter().enumerate() {
        // The oldest cohort is drawn at the top, so rows count down from the top edge.
        let y = row_position(row, rows);
        for offset in 0..cohort.active.len() {
            let Some(share) = cohort.retention(offset) else { continue };
            let fill = theme.heat(share.fraction() / scale_top);
            let x = offset as f64;
            chart.draw_series(std::iter::once(Rectangle::new([(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)], fill.filled())))?;

            if show_values {
                let style = cell_font
                    .into_font()
                    .color(&theme.text_on(fill))
                    .pos(Pos::new(HPos::Center, VPos::Center));
                area.draw(&Text::new(format_cell(share.fraction()), (column_centre(offset), row_centre(row)), style))?;
            }
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
    let offset = band_at(layout.columns, x, slot_edges(&layout.rect, layout.columns))?;
    let row = band_at(rows, y, row_edges(&layout.rect, rows))?;
    let cohort = layout.cohorts.get(row)?;

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

fn cohort_label(cohort: &Cohort) -> String {
    format!("{} ({})", cohort.month.short_label(), format::thousands(cohort.size))
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
