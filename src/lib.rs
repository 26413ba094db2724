//! Headlights' web front end: Leptos components over the pure `headlights-core` crate.
//!
//! This crate owns everything that touches the browser: reading dropped files, the page's
//! state, and the canvas the charts are drawn on. It computes nothing itself.

pub mod ui;
pub mod worker_parts;
pub mod worker_protocol;

pub use ui::app::App;
