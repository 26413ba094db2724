//! Building [`Reading`]s for period KPIs, and the period cards of a transaction log.

use chrono::NaiveDate;

use crate::format;
use crate::ingest::{Money, Transactions};
use crate::metrics::currency::{choose_currency, currency_code};
use crate::metrics::period::{latest_complete, Granularity, Period};
use crate::metrics::retention::MoneyRatio;
use crate::metrics::revenue_periods::{compound_monthly_growth, monthly_series, revenue_by_period, year_over_year};
use crate::metrics::share::Share;
use crate::metrics::unavailable::Unavailable;

use super::trend::card_with_history;
use super::{card, Dashboard, DashboardOptions, Reading};

/// A reading of `period` with no value yet.
pub(super) fn blank(period: Period) -> Reading {
    Reading {
        raw: String::new(),
        display: String::new(),
        period: period.label(),
        period_label: period.long_label(),
        n: 0,
        n_label: "",
        interval: None,
        small_sample: false,
        margin_of_error: None,
        inputs: Vec::new(),
    }
}

/// A share of a count, with its Wilson interval.
pub(super) fn share(period: Period, share: Share, n_label: &'static str) -> Reading {
    Reading {
        raw: share.fraction().to_string(),
        display: format::percent(share.fraction()),
        n: share.denominator,
        n_label,
        interval: Some(share.wilson_interval()),
        small_sample: share.is_small_sample(),
        inputs: vec![("numerator", share.numerator.to_string())],
        ..blank(period)
    }
}

/// Formats an amount with its currency code, when the data names one.
pub(super) fn money_text(amount: f64, code: &str) -> String {
    if code.is_empty() {
        format::money(amount)
    } else {
        format!("{} {code}", format::money(amount))
    }
}

/// An exact money amount.
pub(super) fn money(period: Period, amount: Money, code: &str, n: u64, n_label: &'static str) -> Reading {
    Reading {
        raw: amount.to_major_string(),
        display: money_text(amount.to_major_f64(), code),
        n,
        n_label,
        ..blank(period)
    }
}

/// A ratio of two amounts, shown as a percentage, with both inputs.
pub(super) fn ratio(period: Period, ratio: MoneyRatio, names: (&'static str, &'static str), n: u64, n_label: &'static str) -> Reading {
    Reading {
        raw: ratio.fraction().to_string(),
        display: format::percent(ratio.fraction()),
        n,
        n_label,
        inputs: vec![(names.0, ratio.numerator.to_major_string()), (names.1, ratio.denominator.to_major_string())],
        ..blank(period)
    }
}

/// A plain number with its own display text.
pub(super) fn number(period: Period, value: f64, display: String, n: u64, n_label: &'static str) -> Reading {
    Reading { raw: value.to_string(), display, n, n_label, ..blank(period) }
}

/// Adds year-over-year and compound monthly revenue growth for the latest complete period.
/// Reuses the dashboard's month table (`revenue_by_month`) when it covers the same rows.
/// `span` is the log's first and last date, `most_used` its reporting currency when no currency
/// is requested ([`reporting_currency`](crate::metrics::currency::reporting_currency)).
pub(super) fn add_period_revenue_cards(dashboard: &mut Dashboard, log: &Transactions, span: (NaiveDate, NaiveDate), options: &DashboardOptions, most_used: Option<u16>) {
    let (first_day, last) = span;
    let as_of = super::as_of(last, options);
    // A requested currency is looked up by its code, and only a missing one is an error.
    let chosen = match options.currency.as_deref() {
        None => Ok(most_used.unwrap_or(0)),
        requested => choose_currency(&log.currencies, requested, std::iter::empty()),
    };
    let currency = match chosen {
        Ok(currency) => currency,
        Err(reason) => {
            dashboard.cards.push(card("revenue_growth_yoy", Err(reason.clone())));
            dashboard.cards.push(card("revenue_cmgr", Err(reason)));
            return;
        }
    };
    let code = currency_code(&log.currencies, currency);

    // The dashboard's month table covers the same rows when none is after `as_of`.
    let monthly = match &dashboard.revenue_by_month {
        Some(months) if as_of >= last => monthly_series(months, as_of),
        _ => revenue_by_period(log, Granularity::Month, currency, as_of),
    };
    let series = if options.granularity == Granularity::Month { monthly.clone() } else { revenue_by_period(log, options.granularity, currency, as_of) };
    let period = latest_complete(options.granularity, as_of);
    let yoy = card_with_history("revenue_growth_yoy", Ok(period), first_day, |period| {
        year_over_year(&series, period).map(|growth| Reading {
            raw: growth.fraction.to_string(),
            display: format::signed_percent(growth.fraction),
            inputs: vec![("revenue a year earlier", growth.previous.to_major_string()), ("revenue", growth.current.to_major_string())],
            ..blank(period)
        })
    });
    dashboard.cards.push(yoy);

    let last_month = latest_complete(Granularity::Month, as_of);
    let cmgr = match monthly.first() {
        Some(first) => compound_monthly_growth(&monthly, first.period, last_month).map(|rate| Reading {
            raw: rate.to_string(),
            display: format::signed_percent(rate),
            period: format!("{}..{}", first.period.label(), last_month.label()),
            period_label: format!("{} – {} ({})", first.period.long_label(), last_month.long_label(), if code.is_empty() { "all amounts" } else { &code }),
            ..blank(last_month)
        }),
        None => Err(Unavailable::TooFewPeriods { needed: 2, found: 0 }),
    };
    dashboard.cards.push(card("revenue_cmgr", cmgr));
}
