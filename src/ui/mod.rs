//! Leptos components, one region of the page per file.

pub mod app;
pub mod cards;
pub mod chart_canvas;
pub mod clv;
pub mod controls;
pub mod charts;
pub mod download;
pub mod engine;
pub mod file_list;
pub mod load;
pub mod mapping_options;
pub mod mapping_panel;
pub mod mapping_store;
pub mod more_charts;
pub mod offline;
pub mod persist;
pub mod sample_button;
pub mod state;
pub mod storage_panel;
pub mod upload;

