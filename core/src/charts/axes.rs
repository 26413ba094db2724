//! The axes that several charts share: the theme's mesh style, and the value axis and period
//! axis of the charts that have one slot per period.

use plotters::chart::MeshStyle;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::layout::{draw_x_ticks, draw_x_title, period_ticks, slot_centres, PlotRect};
use super::{ChartError, Theme};
use crate::metrics::period::Period;

/// Starts the mesh of `chart` in the theme's style, with horizontal grid lines only and muted
/// labels and axis titles of 12 CSS pixels. The caller sets the labels and titles, then draws it.
pub fn themed_mesh<'a, 'b, DB, X, Y, XT, YT>(chart: &'b mut ChartContext<'a, DB, Cartesian2d<X, Y>>, theme: &Theme) -> MeshStyle<'a, 'b, X, Y, DB>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
{
    let mut mesh = chart.configure_mesh();
    mesh.disable_x_mesh()
        .light_line_style(theme.background)
        .bold_line_style(theme.grid)
        .axis_style(theme.grid)
        .label_style(theme.font(12.0).into_font().color(&theme.muted_text))
        .axis_desc_style(theme.font(12.0).into_font().color(&theme.muted_text));
    mesh
}

/// Draws the mesh of a period chart with six value labels, written by `format_value`, and the
/// axis title `title` on the left. It draws no labels below the plot, because
/// [`draw_period_axis`] draws those.
pub fn draw_value_axis<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    title: &str,
    format_value: &dyn Fn(&f64) -> String,
    theme: &Theme,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    themed_mesh(chart, theme).x_labels(0).y_labels(6).y_label_formatter(format_value).y_desc(title).draw()?;
    Ok(())
}

/// Draws the period axis below `rect`, one slot per period: tick labels on the periods that
/// [`period_ticks`] picks, and `title` under them.
pub fn draw_period_axis<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, rect: &PlotRect, periods: &[Period], title: &str, theme: &Theme) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let centre = slot_centres(rect, periods.len());
    let ticks: Vec<(i32, String)> =
        period_ticks(periods, rect.width(), 12.0, theme).into_iter().map(|(index, label)| (centre(index), label)).collect();
    draw_x_ticks(area, rect, &ticks, theme)?;
    draw_x_title(area, rect, title, theme)
}
