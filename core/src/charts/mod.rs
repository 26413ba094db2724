//! Charts: plotters drawings of metric results, generic over the drawing backend.
//!
//! The web front end passes a canvas backend; native tests pass an SVG backend and check the
//! labels. A chart function never decides its own size: it fills the area it is given.
//!
//! Each chart also has a `hit_test_*` function that maps a pixel of the area back to the data
//! under the pointer, for tooltips. It computes the same [`layout::Frame`] as the drawing, so
//! both agree on where every bar and point is.

pub mod active_users;
pub mod axes;
pub mod clv_distribution;
pub mod clv_holdout;
pub mod cohort_heatmap;
pub mod feature_adoption;
pub mod layout;
pub mod legend;
pub mod mrr_movements;
pub mod nps_distribution;
pub mod revenue_trend;
pub mod segment_churn;
pub mod share_bars;
pub mod sparkline;
pub mod theme;
pub mod user_adoption;

pub use theme::{Theme, PALETTE};

use plotters::drawing::DrawingAreaErrorKind;

/// The text of a hover tooltip: what the pointer is on, then one line per value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoverText {
    pub title: String,
    pub lines: Vec<String>,
}

/// A drawing failure reported by the backend, such as a canvas that could not be drawn on.
#[derive(Debug, thiserror::Error)]
#[error("the chart could not be drawn: {0}")]
pub struct ChartError(pub String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(error: DrawingAreaErrorKind<E>) -> Self {
        ChartError(error.to_string())
    }
}
