//! Per-customer purchase histories for the BG/NBD and Gamma-Gamma models: the repeat-purchase
//! count x, recency t_x, age T and mean repeat spend z̄ over a calibration period, and the
//! purchase count in a holdout period after it.
//!
//! Day arithmetic: dates are whole days. A customer's age T is the number of days from their
//! first purchase date to the calibration end date, so a customer whose first purchase is on
//! 1997-01-01 has T = 272 days = 38.857 weeks at a calibration end of 1997-09-30. Recency t_x is
//! the number of days from the first purchase to the last purchase on or before the calibration
//! end, so a purchase on the calibration end day gives t_x = T.

use std::collections::BTreeMap;
use std::ops::Bound;

use chrono::NaiveDate;

use super::error::ClvError;
use crate::ingest::{Money, Transactions};

/// Days in one [`TimeUnit::Months`]: the mean Gregorian month, 365.2425 / 12 days.
pub const DAYS_PER_MONTH: f64 = 365.2425 / 12.0;

/// The unit in which recency, age and prediction horizons are measured.
///
/// The models need a time axis proportional to elapsed days, because purchase rates are per
/// unit of time. So a month is a fixed length, [`DAYS_PER_MONTH`] (30.436875 days), and not a
/// calendar month, whose 28 to 31 days would make the rate per month vary with the month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TimeUnit {
    Days,
    Weeks,
    Months,
}

impl TimeUnit {
    /// Returns the length of one unit in days.
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Days => 1.0,
            TimeUnit::Weeks => 7.0,
            TimeUnit::Months => DAYS_PER_MONTH,
        }
    }

    /// Converts a whole number of days into this unit.
    pub fn from_days(self, days: i64) -> f64 {
        days as f64 / self.days()
    }

    /// Returns the time from `from` to `to` in this unit (negative when `to` is earlier).
    pub fn between(self, from: NaiveDate, to: NaiveDate) -> f64 {
        self.from_days((to - from).num_days())
    }
}

/// The dates that split a transaction log into a calibration period, for fitting, and a
/// holdout period, for checking forecasts.
///
/// Customers are included when their first purchase is in `[start, calibration_end]`. The
/// calibration period ends with the day `calibration_end`. The holdout period is
/// `(calibration_end, holdout_end]`, empty when the two dates are equal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CalibrationWindow {
    pub start: NaiveDate,
    pub calibration_end: NaiveDate,
    pub holdout_end: NaiveDate,
    pub unit: TimeUnit,
}

impl CalibrationWindow {
    /// Returns the holdout period's length in the window's unit.
    pub fn holdout_length(&self) -> f64 {
        self.unit.between(self.calibration_end, self.holdout_end)
    }

    fn validate(&self) -> Result<(), ClvError> {
        if self.start <= self.calibration_end && self.calibration_end <= self.holdout_end {
            return Ok(());
        }
        Err(ClvError::InvalidWindow {
            start: self.start,
            calibration_end: self.calibration_end,
            holdout_end: self.holdout_end,
        })
    }
}

/// The calibration-period history the BG/NBD model conditions on, in one time unit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PurchaseHistory {
    /// x: purchases after the first one, up to the calibration end.
    pub repeat_purchases: u32,
    /// t_x: time from the first purchase to the last one (0 when x = 0).
    pub recency: f64,
    /// T: time from the first purchase to the calibration end.
    pub age: f64,
}

/// One customer's calibration and holdout summary.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomerSummary {
    /// Index into `Transactions::customer_ids`.
    pub customer: u32,
    pub first_purchase: NaiveDate,
    pub history: PurchaseHistory,
    /// Total spend of the x repeat purchases (the first purchase excluded), exact.
    pub repeat_spend: Money,
    /// Purchases in the holdout period `(calibration_end, holdout_end]`.
    pub holdout_purchases: u32,
}

impl CustomerSummary {
    /// Returns z̄, the mean spend per repeat purchase in major units, or 0 when x = 0.
    pub fn mean_repeat_spend(&self) -> f64 {
        match self.history.repeat_purchases {
            0 => 0.0,
            count => self.repeat_spend.to_major_f64() / f64::from(count),
        }
    }
}

/// Summarises each customer whose first purchase lies in the window's
/// `[start, calibration_end]`, ordered by customer index.
///
/// All of one customer's rows on one date count as one purchase, with their amounts summed.
/// Rows with a negative amount (refunds) are skipped: they are not purchases, and the log does
/// not link a refund to the purchase it reverses. A customer's first purchase is the earliest
/// date in the whole log, so customers who bought before `start` are left out rather than
/// summarised with a wrong birth date.
pub fn summarise_customers(
    transactions: &Transactions,
    window: &CalibrationWindow,
) -> Result<Vec<CustomerSummary>, ClvError> {
    window.validate()?;
    let summaries = purchase_days_by_customer(transactions)
        .into_iter()
        .filter_map(|(customer, days)| summarise_one(customer, &days, window))
        .collect();
    Ok(summaries)
}

/// Groups non-refund rows by customer and date, summing the amounts of one day.
fn purchase_days_by_customer(
    transactions: &Transactions,
) -> BTreeMap<u32, BTreeMap<NaiveDate, Money>> {
    let mut days: BTreeMap<u32, BTreeMap<NaiveDate, Money>> = BTreeMap::new();
    let rows = transactions.customer.iter().zip(&transactions.date).zip(&transactions.amount);
    for ((customer, date), amount) in rows {
        if amount.micros < 0 {
            continue;
        }
        *days.entry(*customer).or_default().entry(*date).or_default() += *amount;
    }
    days
}

/// Summarises one customer from their purchase days in date order, or `None` when their first
/// purchase is outside `[start, calibration_end]`.
fn summarise_one(
    customer: u32,
    days: &BTreeMap<NaiveDate, Money>,
    window: &CalibrationWindow,
) -> Option<CustomerSummary> {
    let first_purchase = *days.keys().next()?;
    if first_purchase < window.start || first_purchase > window.calibration_end {
        return None;
    }

    let calibration = days.range(first_purchase..=window.calibration_end).skip(1);
    let mut repeat_purchases = 0;
    let mut repeat_spend = Money::ZERO;
    let mut last_purchase = first_purchase;
    for (date, amount) in calibration {
        repeat_purchases += 1;
        repeat_spend += *amount;
        last_purchase = *date;
    }

    let holdout = (Bound::Excluded(window.calibration_end), Bound::Included(window.holdout_end));
    let holdout_purchases = days.range(holdout).count() as u32;

    Some(CustomerSummary {
        customer,
        first_purchase,
        history: PurchaseHistory {
            repeat_purchases,
            recency: window.unit.between(first_purchase, last_purchase),
            age: window.unit.between(first_purchase, window.calibration_end),
        },
        repeat_spend,
        holdout_purchases,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testing::{date, transactions};

    fn window(unit: TimeUnit) -> CalibrationWindow {
        CalibrationWindow {
            start: date("2024-01-01"),
            calibration_end: date("2024-01-29"),
            holdout_end: date("2024-02-26"),
            unit,
        }
    }

    #[test]
    fn same_day_purchases_merge_and_refunds_are_skipped() {
        let log = transactions(&[
            ("a", "2024-01-01", 1000),
            ("a", "2024-01-08", 500),
            ("a", "2024-01-08", 250),
            ("a", "2024-01-15", -300),
            ("a", "2024-01-22", 1500),
            ("a", "2024-02-05", 100),
        ]);
        let summaries = summarise_customers(&log, &window(TimeUnit::Weeks)).unwrap();

        assert_eq!(summaries.len(), 1);
        let a = &summaries[0];
        assert_eq!(a.history.repeat_purchases, 2);
        assert_eq!(a.history.recency, 3.0);
        assert_eq!(a.history.age, 4.0);
        assert_eq!(a.repeat_spend, Money::from_cents(2250));
        assert_eq!(a.mean_repeat_spend(), 11.25);
        assert_eq!(a.holdout_purchases, 1);
    }

    #[test]
    fn customers_born_outside_window_are_left_out() {
        let log = transactions(&[
            ("early", "2023-12-31", 100),
            ("early", "2024-01-10", 100),
            ("late", "2024-02-01", 100),
            ("inside", "2024-01-29", 100),
        ]);
        let summaries = summarise_customers(&log, &window(TimeUnit::Days)).unwrap();

        assert_eq!(summaries.len(), 1);
        assert_eq!(log.customer_ids[summaries[0].customer as usize], "inside");
        assert_eq!(summaries[0].history.age, 0.0);
        assert_eq!(summaries[0].mean_repeat_spend(), 0.0);
    }

    #[test]
    fn months_are_mean_gregorian_months() {
        let log = transactions(&[("a", "2024-01-01", 100)]);
        let summaries = summarise_customers(&log, &window(TimeUnit::Months)).unwrap();

        assert_eq!(summaries[0].history.age, 28.0 / 30.436875);
    }

    #[test]
    fn window_out_of_order_is_rejected() {
        let mut reversed = window(TimeUnit::Days);
        reversed.holdout_end = date("2024-01-02");

        let result = summarise_customers(&Transactions::default(), &reversed);

        assert!(matches!(result, Err(ClvError::InvalidWindow { .. })));
    }
}
