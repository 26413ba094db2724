//! Churn rate per segment value as horizontal bars with 95% interval whiskers.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartError, Theme};
use crate::format;
use crate::metrics::dashboard::SegmentBreakdown;

/// CSS pixels kept free right of the plot for the rate and group size labels.
const LABEL_SPACE: f64 = 150.0;

/// Draws one bar per segment value, largest group at the top, its Wilson interval as a
/// whisker, and the rate and group size at the bar's end.
pub fn draw_segment_churn<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    breakdown: &SegmentBreakdown,
    theme: &Theme,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&theme.background)?;
    let rows = &breakdown.rows;
    if rows.is_empty() {
        return Ok(());
    }
    let highest = rows.iter().map(|row| row.churn.wilson_interval().1).fold(0.0, f64::max);
    let right = (highest * 1.1).clamp(0.05, 1.0);

    let mut chart = ChartBuilder::on(area)
        .margin(theme.px(12.0))
        .margin_right(theme.px(LABEL_SPACE))
        .x_label_area_size(theme.px(34.0))
        .y_label_area_size(theme.px(150.0))
        .build_cartesian_2d(0.0..right, (0..rows.len() as i32 - 1).into_segmented())?;

    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(theme.background)
        .bold_line_style(theme.grid)
        .axis_style(theme.grid)
        .x_labels(6)
        .x_label_formatter(&|value| format::percent(*value).replace(".0%", "%"))
        .y_labels(rows.len())
        .y_label_formatter(&|value| match value {
            SegmentValue::CenterOf(index) => rows.get(*index as usize).map(|row| truncate(&row.label, 22)).unwrap_or_default(),
            _ => String::new(),
        })
        .x_desc(format!("Churn rate by {}", breakdown.segment))
        .label_style(theme.font(12.0).into_font().color(&theme.muted_text))
        .axis_desc_style(theme.font(12.0).into_font().color(&theme.muted_text))
        .draw()?;

    for (index, row) in rows.iter().enumerate() {
        let index = index as i32;
        let rate = row.churn.fraction();
        let (low, high) = row.churn.wilson_interval();
        let colour = if row.churn.is_small_sample() { theme.muted_text } else { theme.accent };
        let top = SegmentValue::Exact(index);
        let bottom = SegmentValue::Exact(index + 1);
        chart.draw_series(std::iter::once(Rectangle::new([(0.0, top), (rate, bottom)], colour.mix(0.85).filled())))?;

        let centre = SegmentValue::CenterOf(index);
        let whisker = theme.text.stroke_width(theme.px(1.5));
        chart.draw_series(std::iter::once(PathElement::new(vec![(low, centre.clone()), (high, centre.clone())], whisker)))?;

        let label = format!("{}  (n = {})", format::percent(rate), format::thousands(row.churn.denominator));
        let anchor = chart.backend_coord(&(high, centre));
        let style = theme.font(12.0).into_font().color(&theme.text).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw(&Text::new(label, (anchor.0 + theme.px(6.0) as i32, anchor.1), style))?;
    }

    area.present()?;
    Ok(())
}

fn truncate(label: &str, max_chars: usize) -> String {
    if label.chars().count() <= max_chars {
        return label.to_string();
    }
    let kept: String = label.chars().take(max_chars - 1).collect();
    format!("{kept}…")
}
