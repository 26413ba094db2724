//! Headlights' pure layers, free of any browser API so that `cargo test` runs them natively.
//!
//! Data flows one way: [`ingest`] turns the bytes of a dropped file into typed tables,
//! [`metrics`] computes KPIs from those tables, and [`charts`] draws metric results on any
//! plotters backend. The web front end (the `headlights` crate) owns the canvas, the DOM and
//! the reading of files. No module here reads a clock: callers pass the as-of date in.

pub mod charts;
pub mod format;
pub mod view_fragment;
pub mod ingest;
pub mod mapping_memory;
pub mod metrics;
pub mod sample;
pub mod session;
pub mod static_text;
pub mod warm_up;
