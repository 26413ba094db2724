//! Feature adoption in one period: the share of active users who used each feature, as
//! horizontal bars with 95% interval whiskers.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::layout::PlotRect;
use super::share_bars::{self, draw_share_bars, hit_test_share_bars, ShareBars, ShareRow};
use super::{ChartError, HoverText, Theme};
use crate::metrics::usage::adoption::FeatureAdoption;

/// Maximum number of features with a bar. The axis title names how many were left out.
pub const MAX_FEATURES: usize = 15;

/// Returns the most adopted features first, at most [`MAX_FEATURES`], ties by name.
fn share_bars(features: &[FeatureAdoption]) -> ShareBars {
    let mut sorted: Vec<&FeatureAdoption> = features.iter().collect();
    sorted.sort_by(|a, b| b.share.fraction().total_cmp(&a.share.fraction()).then_with(|| a.name.cmp(&b.name)));
    let axis_title = if features.len() > MAX_FEATURES {
        format!("Share of active users who used the feature ({MAX_FEATURES} most used of {})", features.len())
    } else {
        "Share of active users who used the feature".to_string()
    };
    ShareBars {
        rows: sorted.into_iter().take(MAX_FEATURES).map(|feature| ShareRow { label: feature.name.clone(), share: feature.share }).collect(),
        axis_title,
        share_name: "Adoption".to_string(),
        counted: "active users used it".to_string(),
    }
}

/// Draws one bar per feature, most adopted at the top, with its Wilson interval as a whisker
/// and the share and number of active users at the whisker's end.
pub fn draw_feature_adoption<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, features: &[FeatureAdoption], theme: &Theme) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    draw_share_bars(area, &share_bars(features), theme)
}

/// Returns the feature under the pixel `(x, y)` of an area of `size` device pixels, with its
/// adoption, interval and counts; `None` off the plot and its labels.
pub fn hit_test_feature_adoption(size: (u32, u32), theme: &Theme, features: &[FeatureAdoption], x: i32, y: i32) -> Option<HoverText> {
    hit_test_share_bars(size, theme, &share_bars(features), x, y)
}

/// Returns the plot's rectangle in an area of `size` device pixels, as drawing and
/// hit-testing place it; `None` when nothing is plotted.
pub fn plot_rect(size: (u32, u32), theme: &Theme, features: &[FeatureAdoption]) -> Option<PlotRect> {
    share_bars::plot_rect(size, theme, &share_bars(features))
}
