//! The built site in headless Chromium, fed real exports by drag and drop and by the file picker.
//!
//! Needs a built site (`scripts/test` builds it into `dist/`), `/usr/bin/chromium` and
//! `/usr/bin/chromedriver`. The harness runs one browser at a time, so the tests here wait
//! for each other rather than compete for the two cores.
//!
//! Expected KPI values are computed here from the raw files with plain line and field
//! splitting and integer cents, independently of the app's parsers.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use headlights_e2e::datasets::{CDNOW, TELCO};
use headlights_e2e::paths::real_dataset;
use headlights_e2e::Harness;

/// Relative tolerance for ratios, which the app and this test compute in different orders.
const RELATIVE_TOLERANCE: f64 = 1e-9;

/// Share of a chart's pixels that must differ from its background for it to count as drawn.
const MIN_DRAWN_FRACTION: f64 = 0.01;

const EXPECTED_CHARTS: [&str; 3] = ["revenue_trend", "cohort_retention", "segment_churn"];

/// Parses a decimal amount with at most two fraction digits, such as `-12.5`, into cents.
fn parse_cents(text: &str) -> i64 {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    assert!(
        fraction.len() <= 2,
        "amount {text:?} has more than two fraction digits"
    );
    let whole: i64 = whole
        .parse()
        .unwrap_or_else(|_| panic!("invalid amount {text:?}"));
    let fraction: i64 = if fraction.is_empty() {
        0
    } else {
        format!("{fraction:0<2}")
            .parse()
            .unwrap_or_else(|_| panic!("invalid amount {text:?}"))
    };
    let cents = whole * 100 + fraction;
    if negative {
        -cents
    } else {
        cents
    }
}

/// KPI values for the CDNOW transaction file, computed from its raw text.
#[derive(Debug)]
struct TransactionTotals {
    revenue_cents: i64,
    purchases: usize,
    customers: usize,
    active_customers: usize,
    paying_customers: usize,
    last_date: String,
    cents_by_month: BTreeMap<String, i64>,
}

impl TransactionTotals {
    /// Reads whitespace-separated `customer_id date number_of_cds dollar_value` rows after one header line.
    fn from_cdnow(text: &str) -> TransactionTotals {
        let mut lines = text.lines();
        let header = lines.next().expect("the CDNOW file has a header line");
        assert!(
            header.contains("customer_id"),
            "unexpected CDNOW header: {header:?}"
        );

        let mut revenue_cents = 0;
        let mut purchases = 0;
        let mut cents_by_customer: BTreeMap<String, i64> = BTreeMap::new();
        let mut active = BTreeSet::new();
        let mut cents_by_month: BTreeMap<String, i64> = BTreeMap::new();
        let mut last_date = String::new();

        for line in lines {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.is_empty() {
                continue;
            }
            assert_eq!(fields.len(), 4, "unexpected CDNOW row: {line:?}");
            let (customer, date, amount) = (fields[0], fields[1], parse_cents(fields[3]));

            revenue_cents += amount;
            purchases += 1;
            *cents_by_customer.entry(customer.to_string()).or_default() += amount;
            if amount >= 0 {
                active.insert(customer.to_string());
            }
            *cents_by_month.entry(date[..6].to_string()).or_default() += amount;
            if date > last_date.as_str() {
                last_date = date.to_string();
            }
        }

        TransactionTotals {
            revenue_cents,
            purchases,
            customers: cents_by_customer.len(),
            active_customers: active.len(),
            paying_customers: cents_by_customer
                .values()
                .filter(|cents| **cents > 0)
                .count(),
            last_date,
            cents_by_month,
        }
    }

    fn revenue(&self) -> f64 {
        self.revenue_cents as f64 / 100.0
    }

    fn arpu(&self) -> f64 {
        self.revenue() / self.paying_customers as f64
    }

    fn month_growth(&self, previous: &str, latest: &str) -> f64 {
        let previous_cents = self.cents_by_month[previous] as f64;
        let latest_cents = self.cents_by_month[latest] as f64;
        (latest_cents - previous_cents) / previous_cents
    }
}

/// KPI values for the Telco subscription file, computed from its raw text.
#[derive(Debug)]
struct SubscriptionTotals {
    customers: usize,
    churned: usize,
    retained: usize,
    retained_monthly_cents: i64,
}

impl SubscriptionTotals {
    /// Reads the comma-separated file by its `MonthlyCharges` and `Churn` columns. Splitting on commas is safe because the file has no quoted fields.
    fn from_telco(text: &str) -> SubscriptionTotals {
        let mut lines = text.lines().map(|line| line.trim_end_matches('\r'));
        let header: Vec<&str> = lines
            .next()
            .expect("the Telco file has a header line")
            .split(',')
            .collect();
        let column = |name: &str| {
            header
                .iter()
                .position(|field| *field == name)
                .unwrap_or_else(|| panic!("column {name} not found in the Telco header {header:?}"))
        };
        let monthly_column = column("MonthlyCharges");
        let churn_column = column("Churn");

        let mut totals = SubscriptionTotals {
            customers: 0,
            churned: 0,
            retained: 0,
            retained_monthly_cents: 0,
        };
        for line in lines {
            if line.is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split(',').collect();
            assert_eq!(fields.len(), header.len(), "unexpected Telco row: {line:?}");
            totals.customers += 1;
            match fields[churn_column] {
                "Yes" => totals.churned += 1,
                "No" => {
                    totals.retained += 1;
                    totals.retained_monthly_cents += parse_cents(fields[monthly_column]);
                }
                other => panic!("unexpected Churn value {other:?} in row {line:?}"),
            }
        }
        totals
    }

    fn churn_rate(&self) -> f64 {
        self.churned as f64 / self.customers as f64
    }

    fn mrr(&self) -> f64 {
        self.retained_monthly_cents as f64 / 100.0
    }

    fn arpa(&self) -> f64 {
        self.mrr() / self.retained as f64
    }
}

fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("failed to read {}: {error}", path.display()))
}

fn cdnow_totals() -> TransactionTotals {
    TransactionTotals::from_cdnow(&read_text(&real_dataset(CDNOW)))
}

fn telco_totals() -> SubscriptionTotals {
    SubscriptionTotals::from_telco(&read_text(&real_dataset(TELCO)))
}

fn assert_money(id: &str, actual: f64, expected_cents: i64) {
    let actual_cents = (actual * 100.0).round() as i64;
    assert_eq!(
        actual_cents,
        expected_cents,
        "KPI {id}: data-value {actual} differs from the expected {:.2}",
        expected_cents as f64 / 100.0
    );
}

fn assert_relative(id: &str, actual: f64, expected: f64) {
    let error = ((actual - expected) / expected).abs();
    assert!(
        error <= RELATIVE_TOLERANCE,
        "KPI {id}: data-value {actual} differs from the expected {expected} by a relative {error:e}"
    );
}

/// Checks this file's parsers against totals cross-checked by hand with awk and Python.
#[test]
fn expected_values_match_known_totals() {
    let cdnow = cdnow_totals();
    assert_eq!(cdnow.revenue_cents, 250_031_563);
    assert_eq!(cdnow.customers, 23_570);
    assert_eq!(cdnow.purchases, 69_659);
    assert_eq!(cdnow.active_customers, 23_570);
    assert_eq!(cdnow.paying_customers, 23_502);
    assert_eq!(cdnow.last_date, "19980630");
    assert_eq!(cdnow.cents_by_month["199805"], 7_098_966);
    assert_eq!(cdnow.cents_by_month["199806"], 7_610_930);

    let telco = telco_totals();
    assert_eq!(telco.churned, 1_869);
    assert_eq!(telco.customers, 7_043);
    assert_eq!(telco.retained, 5_174);
    assert_eq!(telco.retained_monthly_cents, 31_698_575);
}

#[tokio::test]
async fn dashboard_from_real_exports() {
    let cdnow = cdnow_totals();
    let telco = telco_totals();
    // June 1998 is the latest complete month only while the file ends on its last day.
    assert_eq!(
        cdnow.last_date, "19980630",
        "the CDNOW file's last date changed"
    );

    let harness = Harness::start().await;
    harness.open().await;

    harness.drop_dataset(CDNOW).await;
    harness
        .wait_for_state(
            "ready",
            &[CDNOW],
            &["revenue"],
            headlights_e2e::page::LOAD_TIMEOUT,
        )
        .await;
    match harness.drop_to_settled().await {
        Some((millis, state)) => {
            eprintln!("drop of {CDNOW} to data-state=\"{state}\": {millis:.0} ms (headless Chromium, this machine)")
        }
        None => eprintln!("drop of {CDNOW} to ready: not measured, because data-state never changed after the drop"),
    }

    harness.pick_files(&[&real_dataset(TELCO)]).await;
    let all_kpis = [
        "revenue",
        "active_customers",
        "arpu",
        "revenue_growth",
        "churn_rate",
        "mrr",
        "arpa",
    ];
    harness
        .wait_for_state(
            "ready",
            &[CDNOW, TELCO],
            &all_kpis,
            headlights_e2e::page::LOAD_TIMEOUT,
        )
        .await;

    assert_money(
        "revenue",
        harness.kpi_value("revenue").await,
        cdnow.revenue_cents,
    );
    assert_eq!(
        harness.kpi_value("active_customers").await,
        cdnow.active_customers as f64,
        "KPI active_customers"
    );
    assert_relative("arpu", harness.kpi_value("arpu").await, cdnow.arpu());
    assert_relative(
        "revenue_growth",
        harness.kpi_value("revenue_growth").await,
        cdnow.month_growth("199805", "199806"),
    );
    assert_relative(
        "churn_rate",
        harness.kpi_value("churn_rate").await,
        telco.churn_rate(),
    );
    assert_money(
        "mrr",
        harness.kpi_value("mrr").await,
        telco.retained_monthly_cents,
    );
    assert_relative("arpa", harness.kpi_value("arpa").await, telco.arpa());

    for kpi in harness.kpis().await {
        let period = kpi.period.as_deref().unwrap_or_default();
        assert!(
            !period.trim().is_empty(),
            "KPI {} has an empty or missing data-period: {kpi:?}",
            kpi.id
        );
    }

    let charts = harness
        .wait_for_charts(&EXPECTED_CHARTS, MIN_DRAWN_FRACTION)
        .await;
    let chart_ids: Vec<&str> = charts.iter().map(|chart| chart.id.as_str()).collect();
    for expected in EXPECTED_CHARTS {
        assert!(
            chart_ids.contains(&expected),
            "chart {expected} not found; charts: {chart_ids:?}"
        );
    }
    for chart in &charts {
        eprintln!(
            "chart {}: {:.1}% of {}x{} pixels drawn",
            chart.id,
            chart.drawn_fraction() * 100.0,
            chart.width,
            chart.height
        );
        assert_eq!(chart.error, None, "chart {} could not be read", chart.id);
        assert!(
            chart.drawn_fraction() > MIN_DRAWN_FRACTION,
            "chart {} looks blank: {} of {}x{} pixels differ from its background (needs more than {:.0}%)",
            chart.id,
            chart.differing,
            chart.width,
            chart.height,
            MIN_DRAWN_FRACTION * 100.0
        );
        assert!(
            chart.has_table,
            "chart {} has no [data-chart-table=\"{}\"] element",
            chart.id, chart.id
        );
    }

    let screenshot = harness.save_screenshot("dashboard.png").await;
    eprintln!("screenshot: {}", screenshot.display());
}

#[tokio::test]
async fn bad_file_is_reported() {
    const BAD_FILE: &str = "not-an-export.csv";

    let harness = Harness::start().await;
    harness.open().await;

    harness.drop_file(BAD_FILE, b"foo,bar\n1,2\n3,4\n").await;
    let status = harness
        .wait_for_state(
            "error",
            &[BAD_FILE],
            &[],
            headlights_e2e::page::LOAD_TIMEOUT,
        )
        .await;
    assert!(
        status
            .file_errors
            .iter()
            .any(|message| message.contains(BAD_FILE)),
        "no [data-file-error] mentions {BAD_FILE}.\n{}",
        harness.describe(&status)
    );

    harness.pick_files(&[&real_dataset(TELCO)]).await;
    let status = harness
        .wait_for_state(
            "ready",
            &[BAD_FILE, TELCO],
            &["churn_rate"],
            headlights_e2e::page::LOAD_TIMEOUT,
        )
        .await;
    assert!(
        status
            .file_errors
            .iter()
            .any(|message| message.contains(BAD_FILE)),
        "the error for {BAD_FILE} disappeared after {TELCO} loaded.\n{}",
        harness.describe(&status)
    );
    assert_relative(
        "churn_rate",
        harness.kpi_value("churn_rate").await,
        telco_totals().churn_rate(),
    );

    let screenshot = harness.save_screenshot("bad-file.png").await;
    eprintln!("screenshot: {}", screenshot.display());
}
