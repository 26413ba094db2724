//! Horizontal bars of shares of a count with their 95% Wilson interval as a whisker, one row
//! per group, first row at the top: the layout behind the segment churn and feature adoption
//! charts.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use plotters::coord::types::RangedCoordf64;

use super::layout::{band_at, characters_fitting, debug_check_plot, draw_x_title, estimate_text_width, row_edges, row_position, slots, Frame, PlotRect};
use super::{ChartError, HoverText, Theme};
use crate::format;
use crate::metrics::share::Share;

/// Label sizes in CSS pixels.
const FONT_CSS: f64 = 12.0;
const SMALLEST_FONT_CSS: f64 = 8.0;
/// Bars are at most this thick in CSS pixels, so one or two rows do not become slabs.
const MAX_BAR_CSS: f64 = 28.0;

/// One bar: a group's label and its share.
#[derive(Clone, Debug, PartialEq)]
pub struct ShareRow {
    pub label: String,
    pub share: Share,
}

/// Rows of shares with the words that name them on the axis and in tooltips.
#[derive(Clone, Debug, PartialEq)]
pub struct ShareBars {
    pub rows: Vec<ShareRow>,
    /// Title of the percentage axis, such as `Churn rate by Contract`.
    pub axis_title: String,
    /// Name of the share in tooltips, such as `Churn rate`.
    pub share_name: String,
    /// Noun phrase for the numerator, read as "12 of 40 {counted}", such as `customers churned`.
    pub counted: String,
}

/// Charts narrower than this many CSS pixels put long labels above their bars.
const PHONE_WIDTH_CSS: f64 = 480.0;

/// The frame, plot rectangle, axis range and label font shared by drawing and hit-testing.
struct Layout {
    frame: Frame,
    rect: PlotRect,
    /// Right end of the share axis, as a fraction.
    right: f64,
    /// Label font size in CSS pixels, smaller when rows are tight.
    font_css: f64,
    /// Maximum label length that fits left of the plot (or above a bar), in characters.
    max_label_chars: usize,
    /// True on a chart narrower than [`PHONE_WIDTH_CSS`] whose longest label does not fit left
    /// of the plot in 30% of the width: each label then sits above its bar.
    labels_above: bool,
}

fn layout(size: (u32, u32), theme: &Theme, bars: &ShareBars) -> Option<Layout> {
    let rows = &bars.rows;
    if rows.is_empty() {
        return None;
    }
    let longest_label = rows.iter().map(|row| estimate_text_width(&row.label, FONT_CSS, theme)).max().unwrap_or(0);
    let widest_room = (size.0 as f64 * 0.3) as i32;
    let labels_above = longest_label > widest_room && size.0 < theme.px(PHONE_WIDTH_CSS);
    let label_room = longest_label.clamp((theme.px(48.0) as i32).min(widest_room), widest_room).max(1);
    let longest_value = rows.iter().map(|row| estimate_text_width(&value_label(row.share), FONT_CSS, theme)).max().unwrap_or(0);

    let mut frame = Frame::new(theme, 0, 40.0, 0.0);
    frame.y_label_area = if labels_above { theme.px(4.0) } else { label_room as u32 + theme.px(10.0) };
    frame.margin_right = longest_value as u32 + theme.px(18.0);
    let rect = frame.plot_rect(size, theme)?;
    let label_room = if labels_above { rect.width() + frame.margin_right as i32 - theme.px(8.0) as i32 } else { label_room };

    let row_css = rect.height() as f64 / theme.scale / rows.len() as f64;
    let font_css = (row_css * 0.8).clamp(SMALLEST_FONT_CSS, FONT_CSS);
    let highest = rows.iter().map(|row| row.share.wilson_interval().1).fold(0.0, f64::max);
    Some(Layout {
        frame,
        rect,
        right: (highest * 1.1).clamp(0.05, 1.0),
        font_css,
        max_label_chars: characters_fitting(label_room, font_css, theme).max(2),
        labels_above,
    })
}

/// Returns the plot's rectangle in an area of `size` device pixels, as drawing and
/// hit-testing place it; `None` when nothing is plotted.
pub fn plot_rect(size: (u32, u32), theme: &Theme, bars: &ShareBars) -> Option<PlotRect> {
    layout(size, theme, bars).map(|layout| layout.rect)
}

/// Formats the text at a bar's end: `26.5%  (n = 7,043)`.
fn value_label(share: Share) -> String {
    format!("{}  (n = {})", format::percent(share.fraction()), format::thousands(share.denominator))
}

/// Draws one bar per row, first row at the top, its Wilson interval as a whisker, and the
/// share and denominator at the whisker's end. Rows below 30 are drawn in the muted colour.
pub fn draw_share_bars<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, bars: &ShareBars, theme: &Theme) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&theme.background)?;
    let Some(layout) = layout(area.dim_in_pixel(), theme, bars) else { return Ok(()) };
    let count = bars.rows.len();

    let mut chart = layout.frame.builder(area).build_cartesian_2d(0.0..layout.right, slots(count))?;
    debug_check_plot(area, chart.plotting_area(), &layout.rect);
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(theme.background)
        .bold_line_style(theme.grid)
        .axis_style(theme.grid)
        .x_labels(6)
        .x_label_formatter(&|value| format::percent(*value).replace(".0%", "%"))
        .y_labels(0)
        .label_style(theme.font(FONT_CSS).into_font().color(&theme.muted_text))
        .draw()?;
    draw_x_title(area, &layout.rect, &bars.axis_title, theme)?;

    let coord = layout.rect.coord(0.0..layout.right, slots(count));
    let row_height = layout.rect.height() as f64 / count as f64;
    let bar_margin = ((row_height - theme.px(MAX_BAR_CSS) as f64).max(row_height * 0.3) / 2.0).floor() as u32;
    for (index, row) in bars.rows.iter().enumerate() {
        let position = row_position(index, count);
        draw_row(area, &mut chart, &coord, row, position, bar_margin, &layout, theme)?;
    }

    area.present()?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn draw_row<DB: DrawingBackend, CT>(
    area: &DrawingArea<DB, Shift>,
    chart: &mut ChartContext<DB, CT>,
    coord: &Cartesian2d<RangedCoordf64, RangedCoordf64>,
    row: &ShareRow,
    position: f64,
    bar_margin: u32,
    layout: &Layout,
    theme: &Theme,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
    CT: CoordTranslate<From = (f64, f64)>,
{
    let rate = row.share.fraction().min(layout.right);
    let (low, high) = row.share.wilson_interval();
    let high = high.min(layout.right);
    let colour = if row.share.is_small_sample() { theme.muted_text } else { theme.accent };
    // Above-bar labels take the upper half of the row, and the bar the lower half.
    let (band_top, band_bottom) = (coord.translate(&(0.0, position + 0.5)).1, coord.translate(&(0.0, position - 0.5)).1);
    let (bar_top, bar_bottom) = if layout.labels_above {
        let half = ((band_bottom - band_top) / 2).max(1) as u32;
        (half, (bar_margin / 2).min(half / 2))
    } else {
        (bar_margin, bar_margin)
    };
    let mut bar = Rectangle::new([(0.0, position - 0.5), (rate, position + 0.5)], colour.mix(0.85).filled());
    bar.set_margin(bar_top, bar_bottom, 0, 0);
    chart.plotting_area().draw(&bar)?;

    let whisker = theme.text.stroke_width(theme.px(1.5));
    let middle = (band_top + bar_top as i32 + band_bottom - bar_bottom as i32) / 2;
    let (left, _) = coord.translate(&(low, position));
    let (right, _) = coord.translate(&(high, position));
    let cap = (theme.px(4.0) as i32).min(bar_margin as i32 + 2);
    area.draw(&PathElement::new(vec![(left, middle), (right, middle)], whisker))?;
    for end in [left, right] {
        area.draw(&PathElement::new(vec![(end, middle - cap), (end, middle + cap)], whisker))?;
    }

    let value_style = theme.font(layout.font_css).into_font().color(&theme.text).pos(Pos::new(HPos::Left, VPos::Center));
    area.draw(&Text::new(value_label(row.share), (right + theme.px(6.0) as i32, middle), value_style))?;
    let label = truncate(&row.label, layout.max_label_chars);
    if layout.labels_above {
        let label_style = theme.font(layout.font_css).into_font().color(&theme.text).pos(Pos::new(HPos::Left, VPos::Bottom));
        area.draw(&Text::new(label, (layout.rect.left, band_top + bar_top as i32 - theme.px(2.0) as i32), label_style))?;
    } else {
        let label_style = theme.font(layout.font_css).into_font().color(&theme.muted_text).pos(Pos::new(HPos::Right, VPos::Center));
        area.draw(&Text::new(label, (layout.rect.left - theme.px(8.0) as i32, middle), label_style))?;
    }
    Ok(())
}

/// Shortens `label` to `max_chars` characters, ending it with an ellipsis when cut.
pub fn truncate(label: &str, max_chars: usize) -> String {
    if label.chars().count() <= max_chars {
        return label.to_string();
    }
    let kept: String = label.chars().take(max_chars.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// Returns the row under the pixel `(x, y)`: anywhere on the plot in the row's band, or on its
/// label left of the plot. `None` elsewhere.
pub fn hit_test_share_bars(size: (u32, u32), theme: &Theme, bars: &ShareBars, x: i32, y: i32) -> Option<HoverText> {
    let layout = layout(size, theme, bars)?;
    let rect = layout.rect;
    let on_label = (layout.frame.margin_left as i32) <= x && x < rect.left && rect.top <= y && y < rect.bottom;
    if !rect.contains(x, y) && !on_label {
        return None;
    }
    let count = bars.rows.len();
    let index = band_at(count, y, row_edges(&rect, count))?;
    let row = bars.rows.get(index)?;

    let (low, high) = row.share.wilson_interval();
    let mut lines = vec![
        format!("{}: {} (95% interval {} to {})", bars.share_name, format::percent(row.share.fraction()), format::percent(low), format::percent(high)),
        format!("{} of {} {}", format::thousands(row.share.numerator), format::thousands(row.share.denominator), bars.counted),
    ];
    if row.share.is_small_sample() {
        lines.push("Small sample: fewer than 30".to_string());
    }
    Some(HoverText { title: row.label.clone(), lines })
}
