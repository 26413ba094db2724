//! Charts drawn into in-memory SVG, checked for their labels and marks.

use chrono::NaiveDate;
use headlights_core::charts::cohort_heatmap::draw_cohort_heatmap;
use headlights_core::charts::revenue_trend::draw_revenue_trend;
use headlights_core::charts::segment_churn::draw_segment_churn;
use headlights_core::charts::Theme;
use headlights_core::ingest::read_file;
use headlights_core::metrics::{build_dashboard, DashboardOptions};
use plotters::prelude::*;

fn dashboard() -> headlights_core::metrics::Dashboard {
    let log = read_file(
        "log.csv",
        b"customer,date,amount\na,2024-01-03,10.00\nb,2024-01-09,20.00\na,2024-02-04,15.50\nb,2024-03-01,5.00\n",
    )
    .expect("a small log is readable");
    let snapshot = read_file(
        "customers.csv",
        b"customerID,Contract,MonthlyCharges,Churn\n1,Monthly,10,Yes\n2,Monthly,20,No\n3,Yearly,30,No\n",
    )
    .expect("a small snapshot is readable");
    build_dashboard(&[&log.dataset, &snapshot.dataset], &DashboardOptions::default())
}

fn render(draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>)) -> String {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (800, 400)).into_drawing_area();
        draw(&area);
    }
    svg
}

#[test]
fn revenue_trend_labels_months_and_money() {
    let months = dashboard().revenue_by_month.expect("the log has months");
    let svg = render(|area| draw_revenue_trend(area, &months, &Theme::light(1.0)).expect("drawn"));
    assert!(svg.contains("Jan 2024"), "month label missing");
    assert!(svg.contains("Revenue per month"), "axis title missing");
    assert!(svg.contains("<polyline") || svg.contains("<path"), "no line drawn");
}

#[test]
fn cohort_heatmap_shows_cell_values() {
    let mut cohorts = dashboard().cohorts.expect("the log has cohorts");
    cohorts.as_of = NaiveDate::from_ymd_opt(2024, 3, 31).unwrap();
    let svg = render(|area| draw_cohort_heatmap(area, &cohorts, &Theme::dark(2.0)).expect("drawn"));
    assert!(svg.contains("100%"), "offset 0 cell missing");
    assert!(svg.contains("50%"), "offset 1 cell missing");
    assert!(svg.contains("Months since first purchase"));
}

#[test]
fn segment_churn_names_each_group() {
    let breakdown = dashboard().segment_churn.expect("the snapshot has a segment");
    let svg = render(|area| draw_segment_churn(area, &breakdown, &Theme::light(1.0)).expect("drawn"));
    assert!(svg.contains("Monthly"));
    assert!(svg.contains("Yearly"));
    assert!(svg.contains("50.0%  (n = 2)"));
    assert!(svg.contains("Churn rate by Contract"));
}
