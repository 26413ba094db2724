//! The cohort retention heatmap: one row per first-purchase month, one column per month since.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartError, Theme};
use crate::format;
use crate::metrics::cohorts::CohortTable;

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
    let cohorts: Vec<_> = table.cohorts.iter().filter(|cohort| cohort.size > 0).collect();
    let columns = cohorts.iter().map(|cohort| cohort.active.len()).max().unwrap_or(0);
    if cohorts.is_empty() || columns == 0 {
        return Ok(());
    }
    let rows = cohorts.len();

    let mut chart = ChartBuilder::on(area)
        .margin(theme.px(12.0))
        .x_label_area_size(theme.px(34.0))
        .y_label_area_size(theme.px(118.0))
        .build_cartesian_2d((0..columns as i32 - 1).into_segmented(), (0..rows as i32 - 1).into_segmented())?;

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

    let scale_top = highest_later_retention(&cohorts);
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

fn cohort_label(cohort: Option<&&crate::metrics::cohorts::Cohort>) -> String {
    cohort
        .map(|cohort| format!("{} ({})", cohort.month.short_label(), format::thousands(cohort.size)))
        .unwrap_or_default()
}

/// Returns the highest retention past offset 0, or 1 when there is none, as the colour scale's top.
fn highest_later_retention(cohorts: &[&crate::metrics::cohorts::Cohort]) -> f64 {
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
