//! The dashboard crosses the worker boundary as JSON: it must come back exactly as it left.

use headlights_core::ingest::read_file;
use headlights_core::metrics::{build_dashboard, Dashboard, DashboardOptions};
use headlights_core::sample::{sample_company, SampleSize};

#[test]
fn sample_dashboard_survives_a_json_round_trip() {
    let loaded: Vec<_> = sample_company(7, SampleSize::small())
        .into_iter()
        .map(|file| read_file(&file.name, &file.bytes).expect("every sample file reads"))
        .collect();
    let datasets: Vec<_> = loaded.iter().map(|file| &file.dataset).collect();
    let dashboard = build_dashboard(&datasets, &DashboardOptions::default());

    let json = serde_json::to_string(&dashboard).expect("the dashboard serialises");
    let back: Dashboard = serde_json::from_str(&json).expect("the dashboard deserialises");

    assert_eq!(back, dashboard);
}
