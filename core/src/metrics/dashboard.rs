//! The dashboard's content: every KPI card and chart series, computed from the loaded datasets.
//!
//! Transaction logs from several files are merged; of several customer snapshots the last one
//! loaded is used, because two snapshots of the same customers cannot be added up.

use chrono::NaiveDate;

use super::cohorts::{monthly_cohorts, CohortTable};
use super::revenue::{self, MonthRevenue};
use super::share::Share;
use super::snapshot::{self, SegmentChurn};
use super::unavailable::{Unavailable, NEEDS_SNAPSHOT, NEEDS_TRANSACTIONS};
use crate::format;
use crate::ingest::{CustomerSnapshot, Dataset, Money, Transactions};

/// The KPI buckets the dashboard is organised in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bucket {
    Retention,
    Revenue,
}

/// A computed KPI value, ready to show.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    /// Full-precision value for `data-value`: fractions in 0..1, money in major units.
    pub raw: String,
    pub display: String,
    /// The period or range covered, such as `1998-06` or `1997-01-01..1998-06-30`.
    pub period: String,
    pub period_label: String,
    /// The denominator or count behind the value, and what it counts.
    pub n: u64,
    pub n_label: &'static str,
    /// 95% Wilson interval for shares of a count.
    pub interval: Option<(f64, f64)>,
    pub small_sample: bool,
}

/// One KPI card: its id (the `data-kpi` attribute), label, definition and value or reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    pub id: &'static str,
    pub label: &'static str,
    pub bucket: Bucket,
    pub definition: &'static str,
    pub reading: Result<Reading, Unavailable>,
}

/// Churn broken down by one segment column.
#[derive(Clone, Debug, PartialEq)]
pub struct SegmentBreakdown {
    pub segment: String,
    pub rows: Vec<SegmentChurn>,
}

/// Everything the dashboard shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Dashboard {
    pub cards: Vec<Card>,
    pub revenue_by_month: Option<Vec<MonthRevenue>>,
    pub cohorts: Option<CohortTable>,
    pub segment_churn: Option<SegmentBreakdown>,
    /// Segment columns the churn breakdown can use.
    pub segment_names: Vec<String>,
}

/// User choices that change what is computed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DashboardOptions {
    /// The segment column for the churn breakdown; `None` picks a sensible default.
    pub segment: Option<String>,
}

/// Computes every card and chart series from the datasets, in the order they were loaded.
pub fn build_dashboard(datasets: &[&Dataset], options: &DashboardOptions) -> Dashboard {
    let logs: Vec<&Transactions> = datasets
        .iter()
        .filter_map(|dataset| match dataset {
            Dataset::Transactions(log) => Some(log),
            _ => None,
        })
        .collect();
    let snapshot = datasets.iter().rev().find_map(|dataset| match dataset {
        Dataset::CustomerSnapshot(snapshot) => Some(snapshot),
        _ => None,
    });
    let merged = (!logs.is_empty()).then(|| Transactions::merge(&logs));

    let mut dashboard = Dashboard {
        cards: Vec::new(),
        revenue_by_month: None,
        cohorts: None,
        segment_churn: None,
        segment_names: Vec::new(),
    };
    add_transaction_content(&mut dashboard, merged.as_ref());
    add_snapshot_content(&mut dashboard, snapshot, options);
    dashboard
}

fn add_transaction_content(dashboard: &mut Dashboard, log: Option<&Transactions>) {
    let span = log.and_then(revenue::date_span);
    let (Some(log), Some((first, last))) = (log, span) else {
        let missing = Unavailable::MissingData { needs: NEEDS_TRANSACTIONS };
        for id in ["revenue", "revenue_growth", "active_customers", "arpu"] {
            dashboard.cards.push(card(id, Err(missing.clone())));
        }
        return;
    };

    let total = revenue::total_revenue(log);
    let months = revenue::monthly_revenue(log);
    let range = format!("{first}..{last}");
    let range_label = format!("{} – {}", first.format("%-d %b %Y"), last.format("%-d %b %Y"));

    dashboard.cards.push(card("revenue", Ok(Reading {
        raw: total.revenue.to_major_string(),
        display: format::money(total.revenue.to_major_f64()),
        n: total.transactions as u64,
        n_label: "transactions",
        ..range_reading(&range, &range_label)
    })));
    dashboard.cards.push(card("revenue_growth", growth_reading(&months, last)));
    dashboard.cards.push(card("active_customers", Ok(Reading {
        raw: total.active_customers.to_string(),
        display: format::thousands(total.active_customers as u64),
        n: total.transactions as u64,
        n_label: "purchases",
        ..range_reading(&range, &range_label)
    })));
    dashboard.cards.push(card("arpu", total.arpu().map(|arpu| Reading {
        raw: arpu.to_string(),
        display: format::money(arpu),
        n: total.paying_customers as u64,
        n_label: "paying customers",
        ..range_reading(&range, &range_label)
    })));

    dashboard.revenue_by_month = Some(months);
    dashboard.cohorts = Some(monthly_cohorts(log, last));
}

fn range_reading(period: &str, label: &str) -> Reading {
    Reading {
        raw: String::new(),
        display: String::new(),
        period: period.to_string(),
        period_label: label.to_string(),
        n: 0,
        n_label: "",
        interval: None,
        small_sample: false,
    }
}

/// Month-over-month growth of the latest complete month.
fn growth_reading(months: &[MonthRevenue], as_of: NaiveDate) -> Result<Reading, Unavailable> {
    let complete: Vec<&MonthRevenue> = months.iter().filter(|month| month.month.is_complete(as_of)).collect();
    let [.., previous, current] = complete.as_slice() else {
        return Err(Unavailable::TooFewPeriods { needed: 2, found: complete.len() });
    };
    let growth = revenue::growth(previous.totals.revenue, current.totals.revenue)?;
    Ok(Reading {
        raw: growth.to_string(),
        display: format::signed_percent(growth),
        period: current.month.label(),
        period_label: format!("{} vs {}", current.month.short_label(), previous.month.short_label()),
        n: current.totals.transactions as u64,
        n_label: "transactions",
        interval: None,
        small_sample: false,
    })
}

fn add_snapshot_content(dashboard: &mut Dashboard, snapshot: Option<&CustomerSnapshot>, options: &DashboardOptions) {
    let Some(snapshot) = snapshot else {
        let missing = Unavailable::MissingData { needs: NEEDS_SNAPSHOT };
        for id in ["churn_rate", "mrr", "arpa"] {
            dashboard.cards.push(card(id, Err(missing.clone())));
        }
        return;
    };

    let churn = snapshot::churn_rate(snapshot);
    let (mrr, retained) = snapshot::retained_mrr(snapshot);
    dashboard.cards.push(card("churn_rate", churn.map(|share| share_reading(share, "customers"))));
    dashboard.cards.push(card("mrr", Ok(money_reading(mrr, retained as u64, "retained customers"))));
    dashboard.cards.push(card("arpa", snapshot::arpa(snapshot).map(|arpa| Reading {
        raw: arpa.to_string(),
        display: format::money(arpa),
        ..money_reading(mrr, retained as u64, "retained customers")
    })));

    dashboard.segment_names = snapshot.segments.iter().map(|segment| segment.name.clone()).collect();
    let chosen = options
        .segment
        .as_ref()
        .and_then(|name| snapshot.segments.iter().position(|segment| &segment.name == name))
        .or_else(|| snapshot::default_segment(snapshot));
    dashboard.segment_churn = chosen.map(|index| {
        let segment = &snapshot.segments[index];
        SegmentBreakdown { segment: segment.name.clone(), rows: snapshot::churn_by_segment(snapshot, segment) }
    });
}

const SNAPSHOT_PERIOD: &str = "snapshot";
const SNAPSHOT_PERIOD_LABEL: &str = "at the time of the export";

fn share_reading(share: Share, n_label: &'static str) -> Reading {
    Reading {
        raw: share.fraction().to_string(),
        display: format::percent(share.fraction()),
        period: SNAPSHOT_PERIOD.to_string(),
        period_label: SNAPSHOT_PERIOD_LABEL.to_string(),
        n: share.denominator,
        n_label,
        interval: Some(share.wilson_interval()),
        small_sample: share.is_small_sample(),
    }
}

fn money_reading(amount: Money, n: u64, n_label: &'static str) -> Reading {
    Reading {
        raw: amount.to_major_string(),
        display: format::money(amount.to_major_f64()),
        period: SNAPSHOT_PERIOD.to_string(),
        period_label: SNAPSHOT_PERIOD_LABEL.to_string(),
        n,
        n_label,
        interval: None,
        small_sample: false,
    }
}

fn card(id: &'static str, reading: Result<Reading, Unavailable>) -> Card {
    let (label, bucket, definition) = describe(id);
    Card { id, label, bucket, definition, reading }
}

/// Label, bucket and definition of each KPI id.
fn describe(id: &str) -> (&'static str, Bucket, &'static str) {
    match id {
        "revenue" => ("Revenue", Bucket::Revenue, "Sum of all transaction amounts in the range, refunds subtracted."),
        "revenue_growth" => ("Revenue growth", Bucket::Revenue, "(Revenue of the latest complete month − revenue of the month before) / revenue of the month before."),
        "active_customers" => ("Active customers", Bucket::Revenue, "Distinct customers with at least one purchase (not a refund) in the range."),
        "arpu" => ("ARPU", Bucket::Revenue, "Revenue in the range / customers whose net revenue in the range is positive."),
        "churn_rate" => ("Churn rate", Bucket::Retention, "Customers flagged as churned / all customers in the snapshot, with a 95% Wilson interval."),
        "mrr" => ("MRR", Bucket::Revenue, "Sum of the monthly charges of the customers not flagged as churned."),
        "arpa" => ("ARPA", Bucket::Revenue, "MRR / customers not flagged as churned."),
        _ => ("", Bucket::Revenue, ""),
    }
}
