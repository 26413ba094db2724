//! Revenue per period of any granularity in one currency, and its growth: period over period,
//! year over year, and compound monthly growth over a range.
//!
//! Revenue is successful charges minus refunds, each in the period of its own date, so a later
//! refund lowers the later period and past periods never change. The transaction table holds
//! only settled amounts (refunds negative); failed and uncaptured charges never reach it.

use chrono::NaiveDate;

use super::period::{Granularity, Period};
use super::revenue::{in_currency, period_totals, MonthRevenue, PeriodRevenue, RowsByPeriod};
use super::unavailable::Unavailable;
use crate::ingest::{Money, Transactions};

/// Revenue totals of one period.
#[derive(Clone, Debug, PartialEq)]
pub struct RevenueInPeriod {
    pub period: Period,
    pub totals: PeriodRevenue,
}

/// Totals per period from the first transaction's period to `as_of`'s, in one currency, with
/// empty periods included at zero. Active and paying customers follow [`PeriodRevenue`].
pub fn revenue_by_period(transactions: &Transactions, granularity: Granularity, currency: u16, as_of: NaiveDate) -> Vec<RevenueInPeriod> {
    let rows = (0..transactions.len()).filter(|row| transactions.date[*row] <= as_of && in_currency(transactions, *row, Some(currency)));
    let Some(first) = rows.clone().map(|row| transactions.date[row]).min() else {
        return Vec::new();
    };
    let first_period = Period::of(granularity, first);
    let count = Period::of(granularity, as_of).periods_since(first_period) + 1;

    // Consecutive rows usually share a date, so the period is computed once per run of a date.
    let mut cached: Option<(NaiveDate, u32)> = None;
    let offsets: Vec<u32> = (0..transactions.len())
        .map(|row| {
            let date = transactions.date[row];
            if date > as_of || !in_currency(transactions, row, Some(currency)) {
                return RowsByPeriod::LEFT_OUT;
            }
            match cached {
                Some((known, offset)) if known == date => offset,
                _ => {
                    let offset = Period::of(granularity, date).periods_since(first_period) as u32;
                    cached = Some((date, offset));
                    offset
                }
            }
        })
        .collect();
    let totals = period_totals(transactions, &offsets, count as usize);
    (0..count as usize).zip(totals).map(|(offset, totals)| RevenueInPeriod { period: first_period.plus(offset as i64), totals }).collect()
}

/// Returns what [`revenue_by_period`] by month returns, from `months`, the
/// [`monthly_revenue`](super::revenue::monthly_revenue) of the log's rows in the chosen currency,
/// without reading the log again. `as_of` must not be before the log's last date: the series then
/// runs from the first of `months` to `as_of`'s month, with the months after the last
/// transaction at zero.
pub fn monthly_series(months: &[MonthRevenue], as_of: NaiveDate) -> Vec<RevenueInPeriod> {
    let Some(first) = months.first() else {
        return Vec::new();
    };
    let first_period = Period::from(first.month);
    let count = Period::of(Granularity::Month, as_of).periods_since(first_period) + 1;
    let totals = months.iter().map(|month| month.totals.clone()).chain(std::iter::repeat(PeriodRevenue::default()));
    (0..count).zip(totals).map(|(offset, totals)| RevenueInPeriod { period: first_period.plus(offset), totals }).collect()
}

/// Growth between two revenues, with its inputs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Growth {
    pub previous: Money,
    pub current: Money,
    /// `(current − previous) / previous`, as a fraction.
    pub fraction: f64,
}

fn growth_between(previous: Money, current: Money) -> Result<Growth, Unavailable> {
    if previous.micros <= 0 {
        return Err(Unavailable::ZeroDenominator { what: "the earlier period's revenue" });
    }
    let fraction = (current - previous).micros as f64 / previous.micros as f64;
    Ok(Growth { previous, current, fraction })
}

fn revenue_of(series: &[RevenueInPeriod], period: Period) -> Option<Money> {
    series.iter().find(|entry| entry.period == period).map(|entry| entry.totals.revenue)
}

/// Growth of `period` over the period before it, `(R_p − R_{p−1}) / R_{p−1}`.
pub fn period_over_period(series: &[RevenueInPeriod], period: Period) -> Result<Growth, Unavailable> {
    let found = series.len();
    let current = revenue_of(series, period).ok_or(Unavailable::TooFewPeriods { needed: 2, found })?;
    let previous = revenue_of(series, period.previous()).ok_or(Unavailable::TooFewPeriods { needed: 2, found })?;
    growth_between(previous, current)
}

/// Growth of `period` over the same period a year earlier (see [`Period::year_earlier`]).
pub fn year_over_year(series: &[RevenueInPeriod], period: Period) -> Result<Growth, Unavailable> {
    let current = revenue_of(series, period).ok_or(Unavailable::ZeroDenominator { what: "the period's revenue" })?;
    let earlier = period.year_earlier().and_then(|earlier| revenue_of(series, earlier));
    let previous = earlier.ok_or(Unavailable::MissingData { needs: "transactions from the same period a year earlier" })?;
    growth_between(previous, current)
}

/// Compound monthly growth rate between two months of a monthly series:
/// `(R_last / R_first)^(1 / months between) − 1`.
pub fn compound_monthly_growth(monthly: &[RevenueInPeriod], first: Period, last: Period) -> Result<f64, Unavailable> {
    let months = last.periods_since(first);
    if first.granularity != Granularity::Month || months < 1 {
        return Err(Unavailable::TooFewPeriods { needed: 2, found: months.max(0) as usize + 1 });
    }
    let start = revenue_of(monthly, first).filter(|revenue| revenue.is_positive());
    let start = start.ok_or(Unavailable::ZeroDenominator { what: "the first month's revenue" })?;
    let end = revenue_of(monthly, last).filter(|revenue| revenue.micros >= 0);
    let end = end.ok_or(Unavailable::MissingData { needs: "a last month with revenue of zero or more" })?;
    Ok((end.micros as f64 / start.micros as f64).powf(1.0 / months as f64) - 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testing::{date, transactions};

    #[test]
    fn refunds_lower_their_own_period() {
        let log = transactions(&[("a", "2024-01-05", 100_00), ("a", "2024-02-03", -30_00), ("b", "2024-02-10", 50_00)]);
        let series = revenue_by_period(&log, Granularity::Month, 0, date("2024-02-29"));
        assert_eq!(series[0].totals.revenue, Money::from_cents(100_00));
        assert_eq!(series[1].totals.revenue, Money::from_cents(20_00));
        let growth = period_over_period(&series, series[1].period).unwrap();
        assert_eq!(growth.fraction, -0.8);
    }

    #[test]
    fn other_currencies_are_left_out() {
        let mut log = transactions(&[("a", "2024-01-05", 100_00), ("b", "2024-01-06", 70_00)]);
        log.currencies = vec!["USD".into(), "EUR".into()];
        log.currency = vec![0, 1];
        let series = revenue_by_period(&log, Granularity::Year, 1, date("2024-12-31"));
        assert_eq!(series[0].totals.revenue, Money::from_cents(70_00));
    }

    #[test]
    fn year_over_year_and_compound_growth() {
        let log = transactions(&[("a", "2023-03-05", 100_00), ("a", "2024-01-05", 100_00), ("a", "2024-03-05", 121_00)]);
        let series = revenue_by_period(&log, Granularity::Month, 0, date("2024-03-31"));
        let march = Period::of(Granularity::Month, date("2024-03-01"));
        assert!((year_over_year(&series, march).unwrap().fraction - 0.21).abs() < 1e-12);
        let january = Period::of(Granularity::Month, date("2024-01-01"));
        assert!((compound_monthly_growth(&series, january, march).unwrap() - 0.1).abs() < 1e-12);
        let february = Period::of(Granularity::Month, date("2024-02-01"));
        assert!(period_over_period(&series, march.previous()).is_ok());
        assert!(matches!(period_over_period(&series, march.next()), Err(Unavailable::TooFewPeriods { .. })));
        assert!(compound_monthly_growth(&series, february, march).is_err(), "February has no revenue");
    }

    #[test]
    fn monthly_series_matches_the_month_revenue_table() {
        let log = transactions(&[
            ("a", "2024-01-05", 100_00),
            ("a", "2024-01-20", -100_00),
            ("b", "2024-01-06", 0),
            ("c", "2024-03-01", 30_00),
            ("c", "2024-03-02", -10_00),
            ("d", "2024-03-09", -5_00),
        ]);
        let series = revenue_by_period(&log, Granularity::Month, 0, date("2024-03-31"));
        let table = crate::metrics::revenue::monthly_revenue(&log);
        assert_eq!(series.len(), table.len());
        for (entry, month) in series.iter().zip(&table) {
            assert_eq!(entry.period, Period::from(month.month));
            assert_eq!(entry.totals, month.totals);
        }
    }

    #[test]
    fn monthly_series_equals_revenue_by_period() {
        let mut log = transactions(&[
            ("a", "2024-01-05", 100_00),
            ("b", "2024-01-06", 40_00),
            ("a", "2024-03-01", 30_00),
            ("c", "2024-04-02", 9_00),
            ("c", "2024-02-02", -10_00),
        ]);
        log.currencies = vec!["USD".into(), "EUR".into()];
        log.currency = vec![0, 1, 0, 1, 0];
        let (in_usd, _) = crate::metrics::currency::in_reporting_currency(&log, Some("USD"));
        let months = crate::metrics::revenue::monthly_revenue(&in_usd);

        for as_of in ["2024-04-02", "2024-06-30"] {
            let expected = revenue_by_period(&log, Granularity::Month, 0, date(as_of));
            assert_eq!(monthly_series(&months, date(as_of)), expected, "{as_of}");
        }
        assert_eq!(monthly_series(&months, date("2024-06-30")).len(), 6);
    }

    #[test]
    fn weekly_revenue_crosses_the_year() {
        let log = transactions(&[("a", "2020-12-31", 10_00), ("a", "2021-01-03", 5_00), ("a", "2021-01-04", 7_00)]);
        let series = revenue_by_period(&log, Granularity::Week, 0, date("2021-01-10"));
        assert_eq!(series[0].period.label(), "2020-W53");
        assert_eq!(series[0].totals.revenue, Money::from_cents(15_00));
        assert_eq!(series[1].totals.revenue, Money::from_cents(7_00));
    }
}
