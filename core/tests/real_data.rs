//! The ingest and metric layers on the real data sets beside the repository (`../shared/datasets`).
//!
//! Expected values were computed independently of this crate, with a short Python script that
//! summed the amounts as integer cents and counted customers with dictionaries; the script is
//! described next to each value.

use std::path::PathBuf;

use headlights_core::ingest::{read_file, Dataset, LoadedFile, Role};
use headlights_core::metrics::{build_dashboard, Card, DashboardOptions};

fn dataset_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/datasets").join(name)
}

fn load(name: &str) -> LoadedFile {
    let path = dataset_path(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let file_name = path.file_name().unwrap().to_string_lossy().to_string();
    read_file(&file_name, &bytes).unwrap_or_else(|error| panic!("{name} was not read: {error}"))
}

fn card<'a>(cards: &'a [Card], id: &str) -> &'a Card {
    cards.iter().find(|card| card.id == id).unwrap_or_else(|| panic!("no card {id}"))
}

fn raw(cards: &[Card], id: &str) -> String {
    match &card(cards, id).reading {
        Ok(reading) => reading.raw.clone(),
        Err(reason) => panic!("{id} is unavailable: {reason}"),
    }
}

fn close(actual: &str, expected: f64) -> bool {
    let value: f64 = actual.parse().expect("raw values are numbers");
    (value - expected).abs() <= expected.abs() * 1e-12
}

#[test]
fn cdnow_master_is_a_transaction_log() {
    let file = load("real/cdnow_master.txt");
    assert_eq!(file.rows_read, 69_659);
    assert_eq!(file.problem_count, 0);
    assert_eq!(file.separator, "spaces");
    let roles: Vec<(String, Option<Role>)> = file.columns.iter().map(|column| (column.header.clone(), column.role)).collect();
    assert_eq!(roles[0], ("customer_id".to_string(), Some(Role::CustomerId)));
    assert_eq!(roles[1], ("date".to_string(), Some(Role::Date)));
    assert_eq!(roles[2], ("number_of_cds".to_string(), None));
    assert_eq!(roles[3], ("dollar_value".to_string(), Some(Role::Amount)));
    let Dataset::Transactions(log) = &file.dataset else { panic!("not transactions") };
    assert_eq!(log.customer_ids.len(), 23_570);
    assert_eq!(log.customer_ids[0], "00001", "ids keep their leading zeros");
}

#[test]
fn cdnow_master_revenue_kpis() {
    let file = load("real/cdnow_master.txt");
    let dashboard = build_dashboard(&[&file.dataset], &DashboardOptions::default());

    // Python: sum of int(amount without the point) over all rows = 250031563 cents.
    assert_eq!(raw(&dashboard.cards, "revenue"), "2500315.63");
    assert_eq!(raw(&dashboard.cards, "active_customers"), "23570");
    // 23,502 customers have a positive total; 68 bought only items of 0.00.
    assert!(close(&raw(&dashboard.cards, "arpu"), 2_500_315.63 / 23_502.0));
    // June 1998: 76,109.30; May 1998: 70,989.66.
    assert!(close(&raw(&dashboard.cards, "revenue_growth"), (7_610_930.0 - 7_098_966.0) / 7_098_966.0));
    assert_eq!(card(&dashboard.cards, "revenue_growth").reading.as_ref().unwrap().period, "1998-06");
}

#[test]
fn cdnow_master_cohorts() {
    let file = load("real/cdnow_master.txt");
    let dashboard = build_dashboard(&[&file.dataset], &DashboardOptions::default());
    let cohorts = dashboard.cohorts.expect("cohorts");

    // Python: customers grouped by the month of their first purchase, then counted by the
    // months since then in which they bought.
    assert_eq!(cohorts.cohorts[0].size, 7_846);
    assert_eq!(cohorts.cohorts[0].active[..4], [7_846, 1_157, 964, 810]);
    assert_eq!(cohorts.cohorts[0].active[17], 498);
    assert_eq!(cohorts.cohorts[1].active[..4], [8_476, 1_312, 980, 783]);
    assert_eq!(cohorts.cohorts[2].active[..4], [7_248, 1_032, 752, 756]);
    assert!(cohorts.cohorts[3..].iter().all(|cohort| cohort.size == 0), "nobody first bought after March 1997");
}

#[test]
fn cdnow_sample_without_header_is_mapped_by_value_types() {
    let file = load("real/cdnow_sample.txt");
    assert!(!file.has_header_row);
    assert_eq!(file.rows_read, 6_919);
    let roles: Vec<Option<Role>> = file.columns.iter().map(|column| column.role).collect();
    assert_eq!(roles, [Some(Role::CustomerId), None, Some(Role::Date), None, Some(Role::Amount)]);
}

#[test]
fn telco_snapshot_kpis() {
    let file = load("real/telco_customer_churn.csv");
    assert_eq!(file.rows_read, 7_043);
    assert_eq!(file.dataset.kind_label(), "customer snapshot");
    let dashboard = build_dashboard(&[&file.dataset], &DashboardOptions::default());

    // Python csv.DictReader: 1,869 rows with Churn == "Yes"; MonthlyCharges of the 5,174
    // others summed as cents = 31698575.
    assert!(close(&raw(&dashboard.cards, "churn_rate"), 1_869.0 / 7_043.0));
    assert_eq!(raw(&dashboard.cards, "mrr"), "316985.75");
    assert!(close(&raw(&dashboard.cards, "arpa"), 316_985.75 / 5_174.0));

    let breakdown = dashboard.segment_churn.expect("a segment breakdown");
    assert_eq!(breakdown.segment, "Contract");
    let month_to_month = breakdown.rows.iter().find(|row| row.label == "Month-to-month").unwrap();
    assert_eq!((month_to_month.churn.numerator, month_to_month.churn.denominator), (1_655, 3_875));
}

#[test]
fn transaction_cards_explain_a_missing_file() {
    let file = load("real/telco_customer_churn.csv");
    let dashboard = build_dashboard(&[&file.dataset], &DashboardOptions::default());
    let reason = card(&dashboard.cards, "revenue").reading.as_ref().expect_err("no transactions loaded");
    assert!(reason.to_string().contains("customer id, date and amount"), "{reason}");
}

#[test]
fn event_log_is_read_as_product_events() {
    let path = dataset_path("synthetic/ecom_events.csv");
    let bytes = std::fs::read(path).expect("readable");
    let file = read_file("ecom_events.csv", &bytes).expect("an event log");
    assert_eq!(file.dataset.kind_label(), "product events");
    assert_eq!(file.rows_read, 31_106);
}
