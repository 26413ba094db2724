//! Product-usage KPIs from an event log: active users, stickiness, feature and user adoption.
//!
//! A user is active in a period when they have at least one event dated in it (UTC calendar
//! day of the event's time). Features are event names.

pub mod active_users;
pub mod adoption;

pub use active_users::{active_users, daily_weekly_monthly_active_users, stickiness, ActiveUsers, Stickiness};
pub use adoption::{feature_adoption, user_adoption_curve, FeatureAdoption};
