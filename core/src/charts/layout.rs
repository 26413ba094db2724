//! The geometry shared by drawing and hit-testing: where the plot sits inside a chart's area,
//! how data coordinates map to pixels there, and which periods get a tick label.
//!
//! A chart computes one [`Frame`] from its size, theme and data. Drawing passes the frame to
//! plotters' `ChartBuilder`; hit-testing rebuilds plotters' own coordinate mapping from the same
//! frame, so a pointer position maps back to exactly the bar or point that was drawn there.
//! Nothing here measures text through the backend, because the canvas measures fonts
//! differently from the SVG backend used in tests: text widths are estimated from the
//! character count, the same on every backend.

use std::ops::Range;

use chrono::Datelike;

use plotters::coord::ranged1d::AsRangedCoord;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartError, Theme};
use crate::metrics::period::{Granularity, Period};

/// Plots narrower or lower than this many CSS pixels are not drawn: the chart shows only its
/// background.
const MIN_PLOT_CSS: f64 = 24.0;

/// Average advance of one character as a fraction of the font size, a slight overestimate for
/// sans-serif fonts so that estimated labels do not collide.
const CHARACTER_WIDTH_EM: f64 = 0.6;

/// The space around a chart's plot, in device pixels: outer margins (which also hold the
/// legend) and the label areas of the axes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame {
    pub margin_top: u32,
    pub margin_right: u32,
    pub margin_bottom: u32,
    pub margin_left: u32,
    /// Height of the x axis labels and title below the plot.
    pub x_label_area: u32,
    /// Width of the y axis labels and title left of the plot.
    pub y_label_area: u32,
    /// Width of the secondary y axis right of the plot; 0 without one.
    pub right_label_area: u32,
}

/// The plot's rectangle inside the chart's area, in device pixels relative to the area's
/// top-left corner; `left` and `top` are inside, `right` and `bottom` just outside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlotRect {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
}

impl Frame {
    /// Creates a frame with the same margin on every side, `legend_height` added at the top.
    pub fn new(theme: &Theme, legend_height: u32, x_label_css: f64, y_label_css: f64) -> Self {
        let margin = theme.px(12.0);
        Frame {
            margin_top: margin + legend_height,
            margin_right: margin,
            margin_bottom: margin,
            margin_left: margin,
            x_label_area: theme.px(x_label_css),
            y_label_area: theme.px(y_label_css),
            right_label_area: 0,
        }
    }

    /// Creates the frame of a chart with one slot per period. It leaves 44 CSS pixels below
    /// the plot for the period axis, and 64 on its left for the value labels and axis title.
    pub fn period_chart(theme: &Theme, legend_height: u32) -> Self {
        Frame::new(theme, legend_height, 44.0, 64.0)
    }

    /// Returns the plot's rectangle in an area of `size` device pixels, or `None` when the
    /// area is too small to hold a readable plot.
    pub fn plot_rect(&self, size: (u32, u32), theme: &Theme) -> Option<PlotRect> {
        let (width, height) = (i64::from(size.0), i64::from(size.1));
        let left = i64::from(self.margin_left) + i64::from(self.y_label_area);
        let right = width - i64::from(self.margin_right) - i64::from(self.right_label_area);
        let top = i64::from(self.margin_top);
        let bottom = height - i64::from(self.margin_bottom) - i64::from(self.x_label_area);
        let minimum = i64::from(theme.px(MIN_PLOT_CSS));
        if right - left < minimum || bottom - top < minimum {
            return None;
        }
        Some(PlotRect { left: left as i32, top: top as i32, right: right as i32, bottom: bottom as i32 })
    }

    /// Starts a plotters chart on `area` with this frame's margins and label areas.
    pub fn builder<'a, 'b, DB: DrawingBackend>(&self, area: &'a DrawingArea<DB, Shift>) -> ChartBuilder<'a, 'b, DB> {
        let mut builder = ChartBuilder::on(area);
        builder
            .margin_top(self.margin_top)
            .margin_right(self.margin_right)
            .margin_bottom(self.margin_bottom)
            .margin_left(self.margin_left)
            .x_label_area_size(self.x_label_area)
            .y_label_area_size(self.y_label_area)
            .right_y_label_area_size(self.right_label_area);
        builder
    }
}

impl PlotRect {
    /// Returns true when the pixel `(x, y)` lies on the plot.
    pub fn contains(&self, x: i32, y: i32) -> bool {
        self.left <= x && x < self.right && self.top <= y && y < self.bottom
    }

    pub fn width(&self) -> i32 {
        self.right - self.left
    }

    pub fn height(&self) -> i32 {
        self.bottom - self.top
    }

    /// Returns the index of the slot under the pixel `(x, y)` on a horizontal [`slots`] axis
    /// of `count` slots, or `None` when the pixel is off the plot.
    pub fn slot_at(&self, count: usize, x: i32, y: i32) -> Option<usize> {
        if !self.contains(x, y) {
            return None;
        }
        band_at(count, x, slot_edges(self, count))
    }

    /// Builds the coordinate mapping that plotters' `build_cartesian_2d` creates for this
    /// rectangle: the last pixel row and column are inside, and y grows upwards.
    pub fn coord<X: AsRangedCoord, Y: AsRangedCoord>(&self, x_spec: X, y_spec: Y) -> Cartesian2d<X::CoordDescType, Y::CoordDescType> {
        Cartesian2d::new(x_spec, y_spec, (self.left..self.right - 1, self.bottom - 1..self.top))
    }
}

/// Checks, in debug builds, that plotters placed the plot at `rect`, so that drawing and
/// hit-testing cannot drift apart unnoticed.
pub fn debug_check_plot<DB: DrawingBackend, CT: CoordTranslate>(area: &DrawingArea<DB, Shift>, plot: &DrawingArea<DB, CT>, rect: &PlotRect) {
    let (base_x, base_y) = area.get_base_pixel();
    let (xs, ys) = plot.get_pixel_range();
    let placed = PlotRect { left: xs.start - base_x, top: ys.start - base_y, right: xs.end - base_x, bottom: ys.end - base_y };
    debug_assert_eq!(&placed, rect, "plotters placed the plot away from the computed frame");
}

/// Returns how many characters of a font of `css_size` CSS pixels fit in `width` device
/// pixels, by the same estimate as [`estimate_text_width`].
pub fn characters_fitting(width: i32, css_size: f64, theme: &Theme) -> usize {
    (f64::from(width.max(0)) / (css_size * CHARACTER_WIDTH_EM * theme.scale)).floor() as usize
}

/// Estimates the width in device pixels of `text` in a font of `css_size` CSS pixels.
pub fn estimate_text_width(text: &str, css_size: f64, theme: &Theme) -> i32 {
    (text.chars().count() as f64 * css_size * CHARACTER_WIDTH_EM * theme.scale).ceil() as i32
}

/// Returns the index of the band that contains pixel `position`, where band `k` covers
/// `[edge(k), edge(k + 1))` in either direction. A position just outside every band, which
/// plotters' rounding leaves at the plot's far edge, belongs to the nearest band.
pub fn band_at(count: usize, position: i32, edge: impl Fn(i32) -> i32) -> Option<usize> {
    let distance = |index: usize| {
        let (a, b) = (edge(index as i32), edge(index as i32 + 1));
        let (low, high) = (a.min(b), a.max(b));
        if position < low {
            low - position
        } else if position >= high {
            position - high + 1
        } else {
            0
        }
    };
    (0..count).min_by_key(|index| distance(*index))
}

/// Returns a function giving the pixel column of the left edge of slot `index` on a
/// horizontal [`slots`] axis of `count` slots; `index == count` gives the right edge.
pub fn slot_edges(rect: &PlotRect, count: usize) -> impl Fn(i32) -> i32 {
    let coord = rect.coord(slots(count), 0.0..1.0);
    move |index| coord.translate(&(f64::from(index) - 0.5, 0.0)).0
}

/// Returns a function giving the pixel column of the centre of slot `index`.
pub fn slot_centres(rect: &PlotRect, count: usize) -> impl Fn(usize) -> i32 {
    let coord = rect.coord(slots(count), 0.0..1.0);
    move |index| coord.translate(&(index as f64, 0.0)).0
}

/// Returns the slot position of row `index` on a vertical [`slots`] axis of `count` rows,
/// counting rows from the top as the charts draw them.
pub fn row_position(index: usize, count: usize) -> f64 {
    count as f64 - 1.0 - index as f64
}

/// Returns a function giving the pixel row of the top edge of row `index`, counted from the
/// top; `index == count` gives the bottom edge of the last row.
pub fn row_edges(rect: &PlotRect, count: usize) -> impl Fn(i32) -> i32 {
    let coord = rect.coord(0.0..1.0, slots(count));
    move |index| coord.translate(&(0.0, count as f64 - 0.5 - f64::from(index))).1
}

/// Returns a function giving the pixel row of the centre of row `index`, counted from the top.
pub fn row_centres(rect: &PlotRect, count: usize) -> impl Fn(usize) -> i32 {
    let coord = rect.coord(0.0..1.0, slots(count));
    move |index| coord.translate(&(0.0, row_position(index, count))).1
}

/// Picks which periods of a consecutive series get a tick label, and their text, so that
/// labels of about `css_size` CSS pixels do not overlap on a plot `plot_width` pixels wide.
///
/// Daily series longer than two months are labelled only on the first of a month, so a
/// month's label always marks where the month starts.
pub fn period_ticks(periods: &[Period], plot_width: i32, css_size: f64, theme: &Theme) -> Vec<(usize, String)> {
    let Some(first) = periods.first() else { return Vec::new() };
    let daily_by_month = first.granularity == Granularity::Day && periods.len() > 62;
    let candidates: Vec<(usize, String)> = periods
        .iter()
        .enumerate()
        .filter(|(_, period)| !daily_by_month || period.start().day() == 1)
        .map(|(index, period)| (index, tick_label(*period, daily_by_month)))
        .collect();
    if candidates.is_empty() {
        return candidates;
    }

    let widest = candidates.iter().map(|(_, label)| estimate_text_width(label, css_size, theme)).max().unwrap_or(0);
    let slot = f64::from(widest + theme.px(16.0) as i32);
    let pixels_per_candidate = f64::from(plot_width) / candidates.len() as f64;
    let step = ((slot / pixels_per_candidate).ceil() as usize).max(1);
    candidates.into_iter().step_by(step).collect()
}

/// Formats a period for an axis tick: `5 Mar` (a day, or the Monday a week starts), `Mar 2024`,
/// `Q1 2024` or `2024`;
/// with `month_only`, a day is labelled by its month.
fn tick_label(period: Period, month_only: bool) -> String {
    match period.granularity {
        Granularity::Day if month_only => period.start().format("%b %Y").to_string(),
        Granularity::Day => period.start().format("%-d %b").to_string(),
        Granularity::Week => period.start().format("%-d %b").to_string(),
        _ => period.long_label(),
    }
}

/// Draws tick marks and labels below the plot at the pixel columns `ticks` give, keeping each
/// label inside the area.
pub fn draw_x_ticks<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, rect: &PlotRect, ticks: &[(i32, String)], theme: &Theme) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let width = area.dim_in_pixel().0 as i32;
    let style = theme.font(12.0).into_font().color(&theme.muted_text).pos(Pos::new(HPos::Center, VPos::Top));
    let tick_length = theme.px(5.0) as i32;
    for (x, label) in ticks {
        area.draw(&PathElement::new(vec![(*x, rect.bottom), (*x, rect.bottom + tick_length)], theme.grid.stroke_width(theme.px(1.0))))?;
        let half = estimate_text_width(label, 12.0, theme) / 2;
        let centre = (*x).clamp(half.min(width / 2), (width - half).max(width / 2));
        area.draw(&Text::new(label.clone(), (centre, rect.bottom + tick_length + theme.px(3.0) as i32), style.clone()))?;
    }
    Ok(())
}

/// Draws a horizontal axis title centred under the tick labels. The title moves sideways to
/// stay inside the area when the plot is narrower than the title, as on a phone-width chart
/// with labels on the right. Its font shrinks, down to 9 CSS pixels, when the area is narrower.
pub fn draw_x_title<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, rect: &PlotRect, title: &str, theme: &Theme) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let area_width = area.dim_in_pixel().0 as i32;
    let room = (area_width - theme.px(8.0) as i32).max(1);
    let font_css = (12.0 * room as f64 / estimate_text_width(title, 12.0, theme).max(1) as f64).clamp(9.0, 12.0);
    let style = theme.font(font_css).into_font().color(&theme.muted_text).pos(Pos::new(HPos::Center, VPos::Top));
    let half = estimate_text_width(title, font_css, theme) / 2;
    let centre = ((rect.left + rect.right) / 2).clamp(half.min(area_width / 2), (area_width - half).max(area_width / 2));
    area.draw(&Text::new(title.to_string(), (centre, rect.bottom + theme.px(24.0) as i32), style))?;
    Ok(())
}

/// Returns the range of an axis of `count` slots, one per period or row. Slot `k` is centred
/// on `k` and spans `k − 0.5..k + 0.5`, so a single slot still has a width, which plotters'
/// segmented axes (0.3.7) lack: they divide by zero for a single segment.
pub fn slots(count: usize) -> Range<f64> {
    -0.5..count as f64 - 0.5
}

/// Names the period axis: `Day`, `ISO week`, `Month`, `Quarter` or `Year`.
pub fn period_axis_title(granularity: Granularity) -> &'static str {
    match granularity {
        Granularity::Day => "Day",
        Granularity::Week => "Week starting",
        Granularity::Month => "Month",
        Granularity::Quarter => "Quarter",
        Granularity::Year => "Year",
    }
}

/// Builds the bar that fills slot `index` from `from` to `to` on the value axis, leaving `gap`
/// device pixels empty on each side (see [`bar_gap`]).
pub fn slot_bar(index: usize, from: f64, to: f64, style: ShapeStyle, gap: u32) -> Rectangle<(f64, f64)> {
    let slot = index as f64;
    let mut bar = Rectangle::new([(slot - 0.5, from), (slot + 0.5, to)], style);
    bar.set_margin(0, 0, gap, gap);
    bar
}

/// Returns the empty space on each side of a bar: 15% of its segment, none when segments are
/// only a few pixels wide.
pub fn bar_gap(rect: &PlotRect, count: usize) -> u32 {
    let segment = rect.width() as f64 / count as f64;
    if segment < 4.0 {
        0
    } else {
        (segment * 0.15).round() as u32
    }
}
