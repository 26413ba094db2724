//! A legend in a band above the plot, wrapped into rows that fit the chart's width.
//!
//! The band's height depends only on the entries, the width and the theme, so a chart's
//! [`Frame`](super::layout::Frame) can reserve it before anything is drawn.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::RGBAColor;

use super::layout::estimate_text_width;
use super::{ChartError, Theme};

const FONT_CSS: f64 = 12.0;
const ROW_CSS: f64 = 20.0;
const SWATCH_CSS: f64 = 14.0;
/// Space between a swatch and its text, and between two entries, in CSS pixels.
const GAP_CSS: f64 = 6.0;
const ENTRY_GAP_CSS: f64 = 18.0;

/// The mark that stands for a series in the legend.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Swatch {
    /// A filled square, for bars and areas.
    Box(RGBAColor),
    /// A short solid line.
    Line(RGBAColor),
    /// A short solid line with a point, for lines with markers.
    LineWithPoint(RGBAColor),
    /// A short dashed line.
    Dashed(RGBAColor),
}

/// One legend entry.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    pub label: String,
    pub swatch: Swatch,
}

impl LegendEntry {
    pub fn new(label: impl Into<String>, swatch: Swatch) -> Self {
        LegendEntry { label: label.into(), swatch }
    }
}

/// Returns the height in device pixels of the legend band for `entries` on an area `width`
/// pixels wide; 0 for fewer than two entries, which need no legend.
pub fn legend_height(entries: &[LegendEntry], width: u32, theme: &Theme) -> u32 {
    if entries.len() < 2 {
        return 0;
    }
    let rows = place(entries, width, theme).last().map_or(0, |placed| placed.row + 1);
    theme.px(ROW_CSS) * rows as u32 + theme.px(4.0)
}

/// Draws the legend at the top of `area`, below the outer margin.
pub fn draw_legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, entries: &[LegendEntry], theme: &Theme) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    if entries.len() < 2 {
        return Ok(());
    }
    let width = area.dim_in_pixel().0;
    let style = theme.font(FONT_CSS).into_font().color(&theme.text).pos(Pos::new(HPos::Left, VPos::Center));
    let swatch = theme.px(SWATCH_CSS) as i32;
    for (entry, placed) in entries.iter().zip(place(entries, width, theme)) {
        let middle = theme.px(12.0) as i32 + placed.row as i32 * theme.px(ROW_CSS) as i32 + theme.px(ROW_CSS / 2.0) as i32;
        draw_swatch(area, entry.swatch, (placed.x, middle), swatch, theme)?;
        area.draw(&Text::new(entry.label.clone(), (placed.x + swatch + theme.px(GAP_CSS) as i32, middle), style.clone()))?;
    }
    Ok(())
}

fn draw_swatch<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, swatch: Swatch, (x, middle): (i32, i32), size: i32, theme: &Theme) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let half = size / 2;
    match swatch {
        Swatch::Box(colour) => {
            area.draw(&Rectangle::new([(x, middle - half + 1), (x + size, middle + half - 1)], colour.filled()))?;
        }
        Swatch::Line(colour) => {
            area.draw(&PathElement::new(vec![(x, middle), (x + size, middle)], colour.stroke_width(theme.px(2.5))))?;
        }
        Swatch::LineWithPoint(colour) => {
            area.draw(&PathElement::new(vec![(x, middle), (x + size, middle)], colour.stroke_width(theme.px(2.5))))?;
            area.draw(&Circle::new((x + half, middle), theme.px(3.0), colour.filled()))?;
        }
        Swatch::Dashed(colour) => {
            let dash = (size / 3).max(1);
            for start in [x, x + 2 * dash] {
                area.draw(&PathElement::new(vec![(start, middle), (start + dash, middle)], colour.stroke_width(theme.px(2.0))))?;
            }
        }
    }
    Ok(())
}

/// An entry's position: its left edge in device pixels and its row.
struct Placed {
    x: i32,
    row: usize,
}

/// Lays the entries out left to right, starting a new row when the next one would cross the
/// right margin.
fn place(entries: &[LegendEntry], width: u32, theme: &Theme) -> Vec<Placed> {
    let margin = theme.px(12.0) as i32;
    let right = width as i32 - margin;
    let mut placed = Vec::with_capacity(entries.len());
    let (mut x, mut row) = (margin, 0);
    for entry in entries {
        let entry_width = theme.px(SWATCH_CSS + GAP_CSS) as i32 + estimate_text_width(&entry.label, FONT_CSS, theme);
        if x > margin && x + entry_width > right {
            x = margin;
            row += 1;
        }
        placed.push(Placed { x, row });
        x += entry_width + theme.px(ENTRY_GAP_CSS) as i32;
    }
    placed
}
