//! Retention and revenue cards from a subscriptions export: customer retention, logo churn,
//! MRR churn, GRR, NRR, retention cost, MRR, ARPA, quick ratio and CLV, plus the MRR movement
//! series.

use chrono::NaiveDate;

use crate::ingest::kinds::{RetentionSpend, Subscriptions};
use crate::ingest::Money;
use crate::metrics::arpa::arpa;
use crate::metrics::currency::{choose_currency, currency_code};
use crate::metrics::movements::{movements, PeriodMovements};
use crate::metrics::mrr::{customer_timelines, CustomerMrr, MrrSettings};
use crate::metrics::period::{periods_between, Period};
use crate::metrics::retention::{
    customer_retention, gross_mrr_churn, gross_revenue_retention, logo_churn, net_mrr_churn, net_revenue_retention,
    quick_ratio, retention_cost,
};
use crate::metrics::subscription_clv::subscription_clv;
use crate::metrics::unavailable::{Unavailable, NEEDS_SPEND};

use super::describe::{ARPA_FROM_SUBSCRIPTIONS, MRR_FROM_SUBSCRIPTIONS};
use super::readings::{self, money_text};
use super::trend::{attach_trends, TREND_PERIODS};
use super::{as_of, card, headline_period, Card, Dashboard, DashboardOptions, Reading};

/// Card ids this module adds, in order.
const IDS: [&str; 11] = [
    "customer_retention_rate",
    "logo_churn",
    "gross_mrr_churn",
    "net_mrr_churn",
    "grr",
    "nrr",
    "retention_cost",
    "mrr",
    "arpa",
    "quick_ratio",
    "clv",
];

/// Returns the first and last dates of a start, trial start, cancellation, end or pause in the
/// export. An end scheduled after the export date counts too, so it can move the as-of date.
fn date_span(subscriptions: &Subscriptions) -> Option<(NaiveDate, NaiveDate)> {
    let dates = subscriptions.rows.iter().flat_map(|row| {
        [Some(row.start), row.trial_start, row.canceled_at, row.ended_at, row.paused_at].into_iter().flatten().map(|time| time.date())
    });
    let (mut first, mut last) = (None::<NaiveDate>, None::<NaiveDate>);
    for date in dates {
        first = Some(first.map_or(date, |known| known.min(date)));
        last = Some(last.map_or(date, |known| known.max(date)));
    }
    Some((first?, last?))
}

/// Adds every subscription card, each with its reading or the reason it has none.
pub(super) fn add_subscription_content(dashboard: &mut Dashboard, subscriptions: &Subscriptions, spend: Option<&RetentionSpend>, options: &DashboardOptions) {
    match subscription_readings(dashboard, subscriptions, spend, options) {
        Ok(cards) => dashboard.cards.extend(cards),
        Err(reason) => dashboard.cards.extend(IDS.iter().map(|id| card(id, Err(reason.clone())))),
    }
}

/// Computes the cards, or the one reason none of them can be computed.
fn subscription_readings(dashboard: &mut Dashboard, subscriptions: &Subscriptions, spend: Option<&RetentionSpend>, options: &DashboardOptions) -> Result<Vec<Card>, Unavailable> {
    let currency = choose_currency(&subscriptions.currencies, options.currency.as_deref(), subscriptions.rows.iter().map(|row| row.currency))?;
    let code = currency_code(&subscriptions.currencies, currency);
    let (first, last) = date_span(subscriptions).ok_or(Unavailable::ZeroDenominator { what: "the number of subscriptions" })?;
    let as_of = as_of(last, options);
    let period = headline_period(first, as_of, options.granularity)?;

    let settings = MrrSettings { as_of, currency, free_period: options.free_period };
    let timelines = customer_timelines(subscriptions, &settings);
    let series_start = options.date_range.map_or(first, |range| range.first.max(first));
    let series = movements(&timelines, &periods_between(options.granularity, series_start, as_of), &|_| true);
    let headline = series.iter().find(|entry| entry.period == period).copied();
    let headline = headline.unwrap_or_else(|| movements(&timelines, &[period], &|_| true)[0]);

    let inputs = CardInputs { timelines: &timelines, spend, code: &code, options };
    let earlier_start = series.iter().position(|entry| entry.period == period).unwrap_or(series.len());
    let earlier = &series[earlier_start.saturating_sub(TREND_PERIODS - 1)..earlier_start];
    let earlier_cards: Vec<Vec<Card>> = earlier.iter().map(|entry| period_cards(entry, entry.period.last_day(), &inputs)).collect();
    let mut cards = period_cards(&headline, as_of, &inputs);
    attach_trends(&mut cards, &earlier_cards);
    dashboard.mrr_movements = Some(series);
    Ok(cards)
}

/// What every period's cards are computed from, besides the period's movements.
struct CardInputs<'a> {
    timelines: &'a [CustomerMrr],
    spend: Option<&'a RetentionSpend>,
    code: &'a str,
    options: &'a DashboardOptions,
}

/// Computes the cards of one period from its movements; `as_of` is the date CLV is taken at.
fn period_cards(entry: &PeriodMovements, as_of: NaiveDate, inputs: &CardInputs) -> Vec<Card> {
    let mut cards = customer_cards(entry, inputs.options);
    cards.extend(money_rate_cards(entry));
    cards.push(card("retention_cost", retention_cost_reading(entry, inputs.spend, inputs.code, inputs.options)));
    cards.extend(revenue_cards(inputs.timelines, entry, inputs.code, as_of, inputs.options));
    cards
}

fn customer_cards(headline: &PeriodMovements, options: &DashboardOptions) -> Vec<Card> {
    let period = headline.period;
    let retention = customer_retention(headline).map(|share| readings::share(period, share, "customers at the start"));
    let churn = logo_churn(headline, options.churn_convention).map(|share| readings::share(period, share, "customers at the start"));
    vec![card("customer_retention_rate", retention), card("logo_churn", churn)]
}

fn money_rate_cards(headline: &PeriodMovements) -> Vec<Card> {
    let period = headline.period;
    let n = headline.customers_start;
    let names = ("lost MRR", "MRR at the start");
    vec![
        card("gross_mrr_churn", gross_mrr_churn(headline).map(|ratio| readings::ratio(period, ratio, names, n, "customers at the start"))),
        card("net_mrr_churn", net_mrr_churn(headline).map(|ratio| readings::ratio(period, ratio, ("net lost MRR", names.1), n, "customers at the start"))),
        card("grr", gross_revenue_retention(headline).map(|ratio| readings::ratio(period, ratio, ("kept MRR", names.1), n, "customers at the start"))),
        card("nrr", net_revenue_retention(headline).map(|ratio| readings::ratio(period, ratio, ("kept MRR with expansion", names.1), n, "customers at the start"))),
    ]
}

/// Sums the spend file's entries dated in `period` in the currency `code`.
fn spend_in(spend: &RetentionSpend, period: Period, code: &str) -> Money {
    let currency = spend.currencies.iter().position(|known| known.eq_ignore_ascii_case(code));
    spend
        .rows
        .iter()
        .filter(|entry| period.contains(entry.date))
        .filter(|entry| spend.currencies.is_empty() || currency == Some(entry.currency as usize))
        .map(|entry| entry.amount)
        .sum()
}

fn retention_cost_reading(headline: &PeriodMovements, spend: Option<&RetentionSpend>, code: &str, options: &DashboardOptions) -> Result<Reading, Unavailable> {
    let amount = match (spend, options.retention_spend) {
        (Some(spend), _) => spend_in(spend, headline.period, code),
        (None, Some(typed)) => typed,
        (None, None) => return Err(Unavailable::MissingData { needs: NEEDS_SPEND }),
    };
    let cost = retention_cost(amount, headline)?;
    Ok(Reading {
        inputs: vec![("retention spend", cost.spend.to_major_string()), ("retained customers", cost.retained_customers.to_string())],
        ..readings::money(headline.period, cost.per_customer, code, cost.retained_customers, "retained customers")
    })
}

fn revenue_cards(timelines: &[CustomerMrr], headline: &PeriodMovements, code: &str, as_of: NaiveDate, options: &DashboardOptions) -> Vec<Card> {
    let period = headline.period;
    let mrr = Ok(readings::money(period, headline.mrr_end, code, headline.customers_end, "paying customers"));
    let arpa = arpa(timelines, period.end_instant(), &|_| true).map(|arpa| Reading {
        inputs: vec![("MRR", arpa.mrr.to_major_string()), ("paying customers", arpa.paying_customers.to_string())],
        ..readings::money(period, arpa.per_customer, code, arpa.paying_customers, "paying customers")
    });
    let quick = quick_ratio(headline).map(|ratio| Reading {
        display: format!("{:.2}", ratio.fraction()),
        ..readings::ratio(period, ratio, ("gained MRR", "lost MRR"), headline.customers_start, "customers at the start")
    });
    let margin = options.gross_margin_basis_points.unwrap_or(10_000);
    let clv = subscription_clv(timelines, as_of, margin).map(|clv| Reading {
        inputs: vec![
            ("ARPA", clv.arpa.to_string()),
            ("gross margin", clv.gross_margin.to_string()),
            ("mean monthly logo churn", clv.mean_monthly_churn.to_string()),
        ],
        ..readings::number(clv.last_month, clv.value, money_text(clv.value, code), 3, "months of churn")
    });

    vec![
        Card { definition: MRR_FROM_SUBSCRIPTIONS, ..card("mrr", mrr) },
        Card { definition: ARPA_FROM_SUBSCRIPTIONS, ..card("arpa", arpa) },
        card("quick_ratio", quick),
        card("clv", clv),
    ]
}

