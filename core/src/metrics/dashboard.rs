//! The dashboard's content: every KPI card and chart series, computed from the loaded datasets.
//!
//! Transaction logs from several files are merged; of several customer snapshots the last one
//! loaded is used, because two snapshots of the same customers cannot be added up. Likewise the
//! last subscriptions, events, tickets and retention spend file loaded is used. Of several survey
//! files, each of NPS, CSAT and CES comes from the last file with a question of that kind.
//!
//! Cards of the newer KPIs appear only when a file of the kind they read is loaded. Each shows
//! the latest complete period of the chosen granularity before the as-of date, which is the
//! last date in the file (or the end of the chosen date range, when earlier).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
mod describe;
mod experience_cards;
mod readings;
pub mod segment_filter;
mod subscription_cards;
pub mod trend;
mod usage_cards;

use chrono::NaiveDate;

use self::describe::describe;
use self::segment_filter::{AppliedFilter, FilterColumn, SegmentFilter};
use super::currency::reporting_currency;
use super::cohorts::{monthly_cohorts, CohortTable};
use super::experience::ces::CesDirection;
use super::experience::nps::Nps;
use super::movements::PeriodMovements;
use super::mrr::FreePeriod;
use super::new_user_retention::{CohortAveraging, RetentionMode, UserCohortTable};
use super::period::{DateRange, Granularity, Period};
use super::retention::ChurnConvention;
use super::revenue::{self, MonthRevenue};
use super::share::Share;
use super::snapshot::{self, SegmentChurn};
use super::unavailable::{Unavailable, NEEDS_SNAPSHOT, NEEDS_SNAPSHOT_OR_SUBSCRIPTIONS, NEEDS_TRANSACTIONS};
use super::usage::adoption::{AdoptionPoint, FeatureAdoption};
use super::usage::ActiveUsers;
use crate::format;
use crate::static_text::StaticText;
use crate::ingest::kinds::{Events, RetentionSpend, Subscriptions, SurveyResponses, Tickets};
use crate::ingest::{CustomerSnapshot, Dataset, Money, Transactions};

/// The KPI buckets the dashboard is organised in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Bucket {
    Retention,
    Revenue,
    Usage,
    Experience,
}

/// A computed KPI value, ready to show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    /// Full-precision value for `data-value`: fractions in 0..1, money in major units.
    pub raw: String,
    pub display: String,
    /// The period or range covered, such as `1998-06` or `1997-01-01..1998-06-30`.
    pub period: String,
    pub period_label: String,
    /// The denominator or count behind the value, and what it counts.
    pub n: u64,
    #[serde(deserialize_with = "crate::static_text::deserialize")]
    pub n_label: StaticText,
    /// 95% Wilson interval for shares of a count.
    pub interval: Option<(f64, f64)>,
    pub small_sample: bool,
    /// Half-width of the 95% interval in the value's own unit, for NPS (in points).
    pub margin_of_error: Option<f64>,
    /// The inputs behind a money ratio or growth, as (name, value in major units or count).
    #[serde(deserialize_with = "crate::static_text::deserialize_pairs")]
    pub inputs: Vec<(StaticText, String)>,
}

/// One KPI card: its id (the `data-kpi` attribute), label, definition and value or reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Card {
    #[serde(deserialize_with = "crate::static_text::deserialize")]
    pub id: StaticText,
    #[serde(deserialize_with = "crate::static_text::deserialize")]
    pub label: StaticText,
    pub bucket: Bucket,
    #[serde(deserialize_with = "crate::static_text::deserialize")]
    pub definition: StaticText,
    pub reading: Result<Reading, Unavailable>,
    /// The KPI over recent periods and its change against the period before; `None` for
    /// values with no history, such as a snapshot's or a whole range's.
    #[serde(default)]
    pub trend: Option<trend::Trend>,
}

impl Reading {
    /// Returns the value of `raw` as a number, in the same unit.
    pub fn value(&self) -> Option<f64> {
        self.raw.parse().ok()
    }
}

/// Churn broken down by one segment column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentBreakdown {
    pub segment: String,
    pub rows: Vec<SegmentChurn>,
}

/// Everything the dashboard shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub cards: Vec<Card>,
    pub revenue_by_month: Option<Vec<MonthRevenue>>,
    pub cohorts: Option<CohortTable>,
    pub segment_churn: Option<SegmentBreakdown>,
    /// Segment columns the churn breakdown can use.
    pub segment_names: Vec<String>,
    /// MRR movements per period of the chosen granularity, from subscriptions.
    pub mrr_movements: Option<Vec<PeriodMovements>>,
    /// NPS and its 0–10 answer distribution per period, from the first NPS question.
    pub nps_by_period: Option<Vec<PeriodNps>>,
    /// Adoption of every feature in the latest complete period.
    pub feature_adoption: Option<Vec<FeatureAdoption>>,
    /// Cumulative adoption of the chosen feature at the end of each period.
    pub user_adoption: Option<UserAdoptionCurve>,
    /// Daily active users, every day from the first event to the as-of date.
    pub dau_series: Option<Vec<ActiveUsers>>,
    /// New-user retention cohorts at the chosen granularity and retention mode.
    pub new_user_cohorts: Option<UserCohortTable>,
    /// The last day of the transactions shown; a month of `revenue_by_month` that ends after
    /// it is partial.
    #[serde(default)]
    pub revenue_as_of: Option<NaiveDate>,
    /// Account attributes that [`DashboardOptions::segment_filter`] can restrict by.
    #[serde(default)]
    pub filter_columns: Vec<FilterColumn>,
    /// The segment filter in effect; `None` shows every customer.
    #[serde(default)]
    pub applied_filter: Option<AppliedFilter>,
    /// The currencies that [`DashboardOptions::currency`] can choose from, when the transactions
    /// are in more than one.
    #[serde(default)]
    pub currency_choice: Option<CurrencyChoice>,
}

/// The currencies of the transactions and the one the money cards report in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurrencyChoice {
    /// Codes in the order the files first name them.
    pub codes: Vec<String>,
    /// The requested currency, or the one of the most rows when none is requested (or the
    /// requested one is not found).
    pub reporting: String,
}

/// NPS of one period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeriodNps {
    pub period: Period,
    pub nps: Nps,
}

/// The user adoption curve of one feature.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserAdoptionCurve {
    pub feature: String,
    pub points: Vec<AdoptionPoint>,
}

/// User choices that change what is computed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardOptions {
    /// The segment column for the churn breakdown; `None` picks a sensible default.
    pub segment: Option<String>,
    /// Period length of the period KPIs (default: month).
    pub granularity: Granularity,
    /// Days to compute over; `None` covers all the data.
    pub date_range: Option<DateRange>,
    pub churn_convention: ChurnConvention,
    pub retention_mode: RetentionMode,
    pub cohort_averaging: CohortAveraging,
    pub ces_direction: CesDirection,
    /// Gross margin for subscription CLV, in basis points (10000 is 100%); `None` is 100%.
    pub gross_margin_basis_points: Option<u32>,
    /// Retention spend per period typed in by the user, used when no spend file is loaded.
    pub retention_spend: Option<Money>,
    pub free_period: FreePeriod,
    /// Currency code to report money in; `None` picks the currency of the most rows.
    pub currency: Option<String>,
    /// Event name whose user adoption curve is shown; `None` picks the most adopted one.
    pub adoption_feature: Option<String>,
    /// The last day the data covers, such as the export date when the caller has it; `None`
    /// takes the last date found in each file (for the DAU card, the day before an event
    /// log's last event's day). A subscriptions export records no date after
    /// its last start, cancellation or end, so without this its last weeks read as incomplete.
    pub as_of: Option<NaiveDate>,
    /// Restricts every KPI to the accounts with one attribute value; `None` shows everyone.
    #[serde(default)]
    pub segment_filter: Option<SegmentFilter>,
}

/// The last loaded dataset of each kind beyond transactions and snapshots.
struct Loaded<'a> {
    subscriptions: Option<&'a Subscriptions>,
    events: Option<&'a Events>,
    /// Every survey loaded, in load order: NPS, CSAT and CES often come from different tools.
    surveys: Vec<&'a SurveyResponses>,
    tickets: Option<&'a Tickets>,
    spend: Option<&'a RetentionSpend>,
}

impl<'a> Loaded<'a> {
    fn from(datasets: &[&'a Dataset]) -> Self {
        let mut loaded = Loaded { subscriptions: None, events: None, surveys: Vec::new(), tickets: None, spend: None };
        for dataset in datasets {
            match dataset {
                Dataset::Subscriptions(table) => loaded.subscriptions = Some(table),
                Dataset::Events(table) => loaded.events = Some(table),
                Dataset::Survey(table) => loaded.surveys.push(table),
                Dataset::Tickets(table) => loaded.tickets = Some(table),
                Dataset::RetentionSpend(table) => loaded.spend = Some(table),
                _ => {}
            }
        }
        loaded
    }
}

/// Returns the as-of date: the caller's as-of date, else the last date of the data, moved back
/// to the end of the date range when that is earlier.
fn as_of(last_date: NaiveDate, options: &DashboardOptions) -> NaiveDate {
    let covered = options.as_of.unwrap_or(last_date);
    options.date_range.map_or(covered, |range| range.last.min(covered))
}

/// Returns the period a card shows: the latest complete one by `as_of`, when the data reaches
/// into it.
fn headline_period(first_date: NaiveDate, as_of: NaiveDate, granularity: Granularity) -> Result<Period, Unavailable> {
    let period = super::period::latest_complete(granularity, as_of);
    if period.last_day() < first_date {
        return Err(Unavailable::NoCompletePeriod { granularity: granularity.name(), as_of });
    }
    Ok(period)
}

/// Keeps the transactions dated inside the range.
fn within_range(log: Transactions, range: Option<DateRange>) -> Transactions {
    let Some(range) = range else {
        return log;
    };
    let rows: Vec<usize> = (0..log.len()).filter(|row| range.contains(log.date[*row])).collect();
    Transactions {
        customer: rows.iter().map(|row| log.customer[*row]).collect(),
        date: rows.iter().map(|row| log.date[*row]).collect(),
        amount: rows.iter().map(|row| log.amount[*row]).collect(),
        currency: if log.currency.is_empty() { Vec::new() } else { rows.iter().map(|row| log.currency[*row]).collect() },
        customer_ids: log.customer_ids,
        currencies: log.currencies,
    }
}

/// Computes every card and chart series from the datasets, in the order they were loaded,
/// restricted to the segment of `options.segment_filter` when its column exists.
pub fn build_dashboard(datasets: &[&Dataset], options: &DashboardOptions) -> Dashboard {
    let filter_columns = segment_filter::filter_columns(datasets);
    let restricted = options.segment_filter.as_ref().and_then(|filter| segment_filter::restrict(datasets, filter));
    let Some(restricted) = restricted else {
        return Dashboard { filter_columns, ..build_unfiltered(datasets, options) };
    };
    if restricted.applied.accounts == 0 {
        let dashboard = no_accounts_match(datasets, options, &restricted.applied.filter);
        return Dashboard { filter_columns, applied_filter: Some(restricted.applied), ..dashboard };
    }
    let kept: Vec<&Dataset> = restricted.datasets.iter().collect();
    let mut dashboard = build_unfiltered(&kept, options);
    explain_filtered_cards(&mut dashboard, &restricted.applied);
    Dashboard { filter_columns, applied_filter: Some(restricted.applied), ..dashboard }
}

/// Builds the whole company's cards, each stating that no account has the filter's value, and
/// no chart, because an empty segment is a wrong choice rather than a segment of zeros.
fn no_accounts_match(datasets: &[&Dataset], options: &DashboardOptions, filter: &SegmentFilter) -> Dashboard {
    let reason = Unavailable::NoAccountsMatch { column: filter.column.clone(), value: filter.value.clone() };
    let cards = build_unfiltered(datasets, options).cards.into_iter().map(|card| Card { reading: Err(reason.clone()), trend: None, ..card }).collect();
    Dashboard { cards, ..build_unfiltered(&[], options) }
}

/// Replaces the readings a segment cannot give: retention spend is not recorded per account,
/// and a file that could not be joined would otherwise read as missing.
fn explain_filtered_cards(dashboard: &mut Dashboard, applied: &AppliedFilter) {
    let unjoined = |kind: &str| applied.unjoined.iter().any(|known| known == kind);
    for card in &mut dashboard.cards {
        let reason = match &card.reading {
            Ok(_) if card.id == "retention_cost" => Some(Unavailable::NotPerSegment { what: "retention spend" }),
            Err(Unavailable::MissingData { needs }) if *needs == NEEDS_TRANSACTIONS && unjoined("transactions") => {
                Some(Unavailable::NotJoinable { kind: "transactions" })
            }
            Err(Unavailable::MissingData { needs }) if *needs == NEEDS_SNAPSHOT && unjoined("customer snapshot") => {
                Some(Unavailable::NotJoinable { kind: "customer snapshot" })
            }
            _ => None,
        };
        if let Some(reason) = reason {
            card.reading = Err(reason);
            card.trend = None;
        }
    }
}

/// Computes every card and chart series from the datasets, in the order they were loaded.
fn build_unfiltered(datasets: &[&Dataset], options: &DashboardOptions) -> Dashboard {
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
    // A single log with no date range needs no copy, because merging one log returns it unchanged.
    let merged: Option<Cow<Transactions>> = match (logs.as_slice(), options.date_range) {
        ([], _) => None,
        ([single], None) => Some(Cow::Borrowed(*single)),
        _ => Some(Cow::Owned(within_range(Transactions::merge(&logs), options.date_range))),
    };
    let loaded = Loaded::from(datasets);

    let mut dashboard = Dashboard {
        cards: Vec::new(),
        revenue_by_month: None,
        cohorts: None,
        segment_churn: None,
        segment_names: Vec::new(),
        mrr_movements: None,
        nps_by_period: None,
        feature_adoption: None,
        user_adoption: None,
        dau_series: None,
        new_user_cohorts: None,
        revenue_as_of: None,
        filter_columns: Vec::new(),
        applied_filter: None,
        currency_choice: None,
    };
    let reporting = merged.as_deref().map(|log| reporting_currency(log, options.currency.as_deref()));
    if let (Some(log), Some((_, code))) = (merged.as_deref(), &reporting) {
        dashboard.currency_choice = (log.currencies.len() > 1).then(|| CurrencyChoice { codes: log.currencies.clone(), reporting: code.clone() });
    }
    let span = merged.as_deref().and_then(revenue::date_span);
    add_transaction_content(&mut dashboard, merged.as_deref(), span, reporting.clone());
    add_snapshot_content(&mut dashboard, snapshot, loaded.subscriptions.is_none(), options);
    if let (Some(log), Some(span), Some((currency, _))) = (merged.as_deref(), span, reporting) {
        readings::add_period_revenue_cards(&mut dashboard, log, span, options, currency);
    }
    if let Some(subscriptions) = loaded.subscriptions {
        subscription_cards::add_subscription_content(&mut dashboard, subscriptions, loaded.spend, options);
    }
    if let Some(events) = loaded.events {
        usage_cards::add_usage_content(&mut dashboard, events, options);
    }
    experience_cards::add_experience_content(&mut dashboard, &loaded.surveys, loaded.tickets, options);
    dashboard
}

/// Adds the revenue, growth, active customer and ARPU cards, the month table and the cohorts.
/// `span` is the log's first and last date ([`revenue::date_span`]), `reporting` its reporting
/// currency ([`reporting_currency`]).
fn add_transaction_content(dashboard: &mut Dashboard, log: Option<&Transactions>, span: Option<(NaiveDate, NaiveDate)>, reporting: Option<(Option<u16>, String)>) {
    let (Some(log), Some((first, last)), Some((currency, code))) = (log, span, reporting) else {
        let missing = Unavailable::MissingData { needs: NEEDS_TRANSACTIONS };
        for id in ["revenue", "revenue_growth", "active_customers", "arpu"] {
            dashboard.cards.push(card(id, Err(missing.clone())));
        }
        return;
    };

    let revenue::RevenueSummary { all_currencies, total, months } = revenue::revenue_summary(log, (first, last), currency);
    let range = format!("{first}..{last}");
    let range_label = format!("{} – {}", first.format("%-d %b %Y"), last.format("%-d %b %Y"));
    let with_code = |amount: f64| if code.is_empty() { format::money(amount) } else { format!("{} {code}", format::money(amount)) };
    // Counting customers needs no currency, but money does. With several currencies the labels
    // say which count covers which, because ARPU's customers then differ from active customers.
    let several_currencies = log.currencies.len() > 1;

    dashboard.cards.push(card("revenue", Ok(Reading {
        raw: total.revenue.to_major_string(),
        display: with_code(total.revenue.to_major_f64()),
        n: total.transactions as u64,
        n_label: if several_currencies { "transactions in this currency" } else { "transactions" },
        ..range_reading(&range, &range_label)
    })));
    dashboard.cards.push(growth_card(&months, last));
    dashboard.cards.push(card("active_customers", Ok(Reading {
        raw: all_currencies.active_customers.to_string(),
        display: format::thousands(all_currencies.active_customers as u64),
        n: all_currencies.transactions as u64,
        n_label: if several_currencies { "purchases in every currency" } else { "purchases" },
        ..range_reading(&range, &range_label)
    })));
    dashboard.cards.push(card("arpu", total.arpu().map(|arpu| Reading {
        raw: arpu.to_string(),
        display: with_code(arpu),
        n: total.paying_customers as u64,
        n_label: if several_currencies { "customers paying in this currency" } else { "paying customers" },
        ..range_reading(&range, &range_label)
    })));

    dashboard.revenue_by_month = Some(months);
    dashboard.revenue_as_of = Some(last);
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
        margin_of_error: None,
        inputs: Vec::new(),
    }
}

/// Month-over-month growth of the latest complete month, with the growth of the months before.
fn growth_card(months: &[MonthRevenue], as_of: NaiveDate) -> Card {
    let complete: Vec<&MonthRevenue> = months.iter().filter(|month| month.month.is_complete(as_of)).collect();
    if complete.len() < 2 {
        return card("revenue_growth", Err(Unavailable::TooFewPeriods { needed: 2, found: complete.len() }));
    }
    let history: Vec<Result<Reading, Unavailable>> = complete.windows(2).map(|pair| growth_reading(pair[0], pair[1])).collect();
    let mut built = card("revenue_growth", history[history.len() - 1].clone());
    trend::attach_trend(&mut built, &history);
    let before_last = complete[complete.len() - 2].month.short_label();
    caption(&mut built, |label| format!("{label} vs {before_last}"));
    built
}

/// Growth from the month `previous` to the month `current`.
fn growth_reading(previous: &MonthRevenue, current: &MonthRevenue) -> Result<Reading, Unavailable> {
    let growth = revenue::growth(previous.totals.revenue, current.totals.revenue)?;
    Ok(Reading {
        raw: growth.to_string(),
        display: format::signed_percent(growth),
        period: current.month.label(),
        period_label: current.month.short_label(),
        n: current.totals.transactions as u64,
        n_label: "transactions",
        interval: None,
        small_sample: false,
        margin_of_error: None,
        inputs: vec![
            ("revenue of the month before", previous.totals.revenue.to_major_string()),
            ("revenue of the month", current.totals.revenue.to_major_string()),
        ],
    })
}

/// Adds the snapshot cards. `with_mrr` is false when subscriptions are loaded, because they
/// give MRR and ARPA from billing history, which a snapshot's monthly charge cannot.
fn add_snapshot_content(dashboard: &mut Dashboard, snapshot: Option<&CustomerSnapshot>, with_mrr: bool, options: &DashboardOptions) {
    // With subscriptions loaded, logo churn, MRR and ARPA come from billing history, so a
    // missing snapshot needs no card saying so.
    let snapshot_ids: &[&'static str] = if with_mrr { &["churn_rate", "mrr", "arpa"] } else { &[] };
    let Some(snapshot) = snapshot else {
        let missing = Unavailable::MissingData { needs: NEEDS_SNAPSHOT_OR_SUBSCRIPTIONS };
        for id in snapshot_ids.iter().copied() {
            dashboard.cards.push(card(id, Err(missing.clone())));
        }
        return;
    };

    let churn = snapshot::churn_rate(snapshot);
    let (mrr, retained) = snapshot::retained_mrr(snapshot);
    dashboard.cards.push(card("churn_rate", churn.map(|share| share_reading(share, "customers"))));
    if with_mrr {
        dashboard.cards.push(card("mrr", Ok(money_reading(mrr, retained as u64, "retained customers"))));
        dashboard.cards.push(card("arpa", snapshot::arpa(snapshot).map(|arpa| Reading {
            raw: arpa.to_string(),
            display: format::money(arpa),
            ..money_reading(mrr, retained as u64, "retained customers")
        })));
    }

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
        margin_of_error: None,
        inputs: Vec::new(),
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
        margin_of_error: None,
        inputs: Vec::new(),
    }
}

fn card(id: &'static str, reading: Result<Reading, Unavailable>) -> Card {
    let (label, bucket, definition) = describe(id);
    Card { id, label, bucket, definition, reading, trend: None }
}

/// Rewrites the period caption of the card's own reading, such as `Oct 2026` to
/// `Oct 2026 vs Sep 2026`. The trend keeps the plain period names, so that the change reads
/// "vs Sep 2026" rather than repeating the card's caption.
fn caption(card: &mut Card, rewrite: impl FnOnce(&str) -> String) {
    if let Ok(reading) = card.reading.as_mut() {
        reading.period_label = rewrite(&reading.period_label);
    }
}
