//! The transaction-CLV fit in headless Chromium, on the whole CDNOW purchase log.
//!
//! The fit runs in the page's web worker. Its results must equal the same engine run natively
//! here (to 1e-6, because wasm32 and x86-64 may round a few floating-point steps differently),
//! and its charts must draw.

use std::time::Instant;

use chrono::NaiveDate;
use fantoccini::Locator;
use headlights_core::ingest::{read_file, Dataset};
use headlights_core::metrics::clv::{clv_report, ClvSettings, TimeUnit};
use headlights_e2e::datasets::CDNOW;
use headlights_e2e::paths::real_dataset;
use headlights_e2e::Harness;

const RELATIVE_TOLERANCE: f64 = 1e-6;
const MIN_DRAWN_FRACTION: f64 = 0.01;

fn assert_close(name: &str, browser: f64, native: f64) {
    let scale = native.abs().max(1e-12);
    assert!(
        ((browser - native) / scale).abs() < RELATIVE_TOLERANCE,
        "{name}: the browser shows {browser}, the native engine computes {native}"
    );
}

#[tokio::test]
async fn clv_fit_runs_in_the_browser() {
    let bytes = std::fs::read(real_dataset(CDNOW)).expect("the CDNOW file is readable");
    let Dataset::Transactions(log) = read_file(CDNOW, &bytes).expect("CDNOW is readable").dataset else {
        panic!("CDNOW is not read as transactions");
    };
    // The page's defaults: weeks, calibration ending at the month end in the middle of the log
    // (1997-09-30), a 12-month horizon and 10% a year.
    let settings = ClvSettings {
        unit: TimeUnit::Weeks,
        calibration_end: NaiveDate::from_ymd_opt(1997, 9, 30).unwrap(),
        horizon_months: 12,
        annual_discount_rate: 0.1,
    };
    let native = clv_report(&log, &settings).expect("the native fit converges");

    let harness = Harness::start().await;
    harness.open().await;
    harness.drop_file(CDNOW, &bytes).await;
    harness.wait_for_state("ready", &[CDNOW], &["revenue"], headlights_e2e::page::LOAD_TIMEOUT).await;

    let started = Instant::now();
    harness
        .client()
        .find(Locator::Css("[data-clv-fit]"))
        .await
        .expect("a Fit the model button")
        .click()
        .await
        .expect("the button takes a click");
    harness
        .wait_for_state("ready", &[CDNOW], &["clv_mean", "probability_alive", "clv_at_risk"], headlights_e2e::page::LOAD_TIMEOUT)
        .await;
    eprintln!("CLV fit on {CDNOW} in headless Chromium, click to charts drawn: {:.2} s", started.elapsed().as_secs_f64());

    assert_close("clv_mean", harness.kpi_value("clv_mean").await, native.mean_lifetime_value);
    assert_close("probability_alive", harness.kpi_value("probability_alive").await, native.mean_probability_alive);
    assert_eq!(harness.kpi_value("clv_at_risk").await, native.at_risk.len() as f64);

    let charts = harness.wait_for_charts(&["clv_holdout", "clv_distribution"], MIN_DRAWN_FRACTION).await;
    for id in ["clv_holdout", "clv_distribution"] {
        let chart = charts.iter().find(|chart| chart.id == id).unwrap_or_else(|| panic!("no chart {id}"));
        assert!(chart.drawn_fraction() > MIN_DRAWN_FRACTION, "chart {id} drew {:.4} of its pixels", chart.drawn_fraction());
        assert!(chart.has_table, "chart {id} has no data table");
    }
    harness.save_screenshot("clv.png").await;
}
