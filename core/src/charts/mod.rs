//! Charts: plotters drawings of metric results, generic over the drawing backend.
//!
//! The web front end passes a canvas backend; native tests pass an SVG backend and check the
//! labels. A chart function never decides its own size: it fills the area it is given.

pub mod clv_distribution;
pub mod clv_holdout;
pub mod cohort_heatmap;
pub mod revenue_trend;
pub mod segment_churn;
pub mod theme;

pub use theme::{Theme, PALETTE};

use plotters::drawing::DrawingAreaErrorKind;

/// A drawing failure reported by the backend, such as a canvas that could not be drawn on.
#[derive(Debug, thiserror::Error)]
#[error("the chart could not be drawn: {0}")]
pub struct ChartError(pub String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(error: DrawingAreaErrorKind<E>) -> Self {
        ChartError(error.to_string())
    }
}
