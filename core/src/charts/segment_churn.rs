//! Churn rate per segment value as horizontal bars with 95% interval whiskers.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::layout::PlotRect;
use super::share_bars::{self, draw_share_bars, hit_test_share_bars, ShareBars, ShareRow};
use super::{ChartError, HoverText, Theme};
use crate::metrics::dashboard::SegmentBreakdown;

fn share_bars(breakdown: &SegmentBreakdown) -> ShareBars {
    ShareBars {
        rows: breakdown.rows.iter().map(|row| ShareRow { label: row.label.clone(), share: row.churn }).collect(),
        axis_title: format!("Churn rate by {}", breakdown.segment),
        share_name: "Churn rate".to_string(),
        counted: "customers churned".to_string(),
    }
}

/// Draws one bar per segment value in the breakdown's order (largest group first, at the
/// top), its Wilson interval as a whisker, and the rate and group size at the whisker's end.
pub fn draw_segment_churn<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, breakdown: &SegmentBreakdown, theme: &Theme) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    draw_share_bars(area, &share_bars(breakdown), theme)
}

/// Returns the segment value under the pixel `(x, y)` of an area of `size` device pixels, with
/// its churn rate, interval and counts; `None` off the plot and its labels.
pub fn hit_test_segment_churn(size: (u32, u32), theme: &Theme, breakdown: &SegmentBreakdown, x: i32, y: i32) -> Option<HoverText> {
    hit_test_share_bars(size, theme, &share_bars(breakdown), x, y)
}

/// Returns the plot's rectangle in an area of `size` device pixels, as drawing and
/// hit-testing place it; `None` when nothing is plotted.
pub fn plot_rect(size: (u32, u32), theme: &Theme, breakdown: &SegmentBreakdown) -> Option<PlotRect> {
    share_bars::plot_rect(size, theme, &share_bars(breakdown))
}
