//! The cohort retention heatmap: one row per first-purchase month, one column per month since.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartError, Theme};
use crate::format;
use crate::metrics::cohorts::CohortTable;

/// Draws each non-empty cohort's retention at each complete offset, with the value in the cell.
/// Cohorts without customers have no row. Cells are coloured from the theme's low colour at 0%
/// to its high colour at 100%.
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
        .build_cartesian_2d(0..columns as i32, rows as i32..0)?;

    chart
        .configure_mesh()
        .disable_mesh()
        .axis_style(theme.grid)
        .x_labels(columns.min(24))
        .x_label_offset(0)
        .x_label_formatter(&|offset| if (*offset as usize) < columns { format!("+{offset}") } else { String::new() })
        .y_labels(rows)
        .y_label_formatter(&|row| match cohorts.get(*row as usize) {
            Some(cohort) => format!("{} ({})", cohort.month.short_label(), format::thousands(cohort.size)),
            None => String::new(),
        })
        .x_desc("Months since first purchase")
        .label_style(theme.font(11.0).into_font().color(&theme.muted_text))
        .axis_desc_style(theme.font(12.0).into_font().color(&theme.muted_text))
        .draw()?;

    let cell_font = theme.font(if columns > 14 { 9.5 } else { 11.0 });
    for (row, cohort) in cohorts.iter().enumerate() {
        for offset in 0..cohort.active.len() {
            let Some(share) = cohort.retention(offset) else { continue };
            let fill = theme.heat(share.fraction());
            let (x, y) = (offset as i32, row as i32);
            chart.draw_series(std::iter::once(Rectangle::new([(x, y), (x + 1, y + 1)], fill.filled())))?;

            let style = cell_font
                .into_font()
                .color(&theme.text_on(fill))
                .pos(Pos::new(HPos::Center, VPos::Center));
            let centre = chart.backend_coord(&(x, y));
            let corner = chart.backend_coord(&(x + 1, y + 1));
            let middle = ((centre.0 + corner.0) / 2, (centre.1 + corner.1) / 2);
            area.draw(&Text::new(format_cell(share.fraction()), middle, style))?;
        }
    }

    area.present()?;
    Ok(())
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
