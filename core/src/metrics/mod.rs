//! Metrics: pure KPI functions on typed tables. No I/O, no clock, no browser API.
//!
//! Every function takes the as-of date from its caller when it needs one. A KPI that cannot be
//! computed returns an [`Unavailable`] reason, never NaN, infinity or a made-up zero.

pub mod arpa;
pub mod clv;
pub mod cohorts;
pub mod currency;
pub mod dashboard;
pub mod experience;
pub mod movements;
pub mod mrr;
pub mod new_user_retention;
pub mod period;
pub mod retention;
pub mod revenue;
pub mod revenue_periods;
pub mod segments;
pub mod share;
pub mod snapshot;
pub mod subscription_clv;
pub mod unavailable;
pub mod usage;

#[cfg(test)]
pub(crate) mod testing;

pub use dashboard::{build_dashboard, Bucket, Card, Dashboard, DashboardOptions, Reading};
pub use share::Share;
pub use unavailable::Unavailable;
