//! Monthly first-purchase cohorts and their "on" retention.
//!
//! A customer's cohort is the calendar month of their first purchase (a transaction that is
//! not a refund). Retention "on" offset k is the share of the cohort with a purchase in month
//! cohort + k. A cell exists only once month cohort + k has ended by the as-of date.

use serde::{Deserialize, Serialize};
use chrono::NaiveDate;

use super::period::Month;
use super::share::Share;
use crate::ingest::Transactions;

/// One cohort: its month, its size and how many of it purchased at each complete offset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cohort {
    pub month: Month,
    pub size: u64,
    /// `active[k]`: cohort members with a purchase in month `month + k`; offset 0 is the
    /// cohort month itself, so `active[0] == size`.
    pub active: Vec<u64>,
}

impl Cohort {
    /// Returns the retention share at offset `k`, or `None` past the last complete month.
    pub fn retention(&self, offset: usize) -> Option<Share> {
        Share::new(*self.active.get(offset)?, self.size)
    }
}

/// All cohorts from the first purchase month to the last complete month, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortTable {
    pub cohorts: Vec<Cohort>,
    pub as_of: NaiveDate,
}

impl CohortTable {
    /// Returns the number of offsets of the oldest cohort, the widest row.
    pub fn max_offsets(&self) -> usize {
        self.cohorts.iter().map(|cohort| cohort.active.len()).max().unwrap_or(0)
    }
}

/// Builds monthly "on" retention cohorts from purchases on or before `as_of`.
pub fn monthly_cohorts(transactions: &Transactions, as_of: NaiveDate) -> CohortTable {
    let purchases = customer_purchase_months(transactions, as_of);
    let Some(first_month) = purchases.iter().filter_map(|months| months.first()).min().copied() else {
        return CohortTable { cohorts: Vec::new(), as_of };
    };
    let last_complete = super::period::latest_complete_month(as_of);
    if last_complete < first_month {
        return CohortTable { cohorts: Vec::new(), as_of };
    }

    let cohort_count = last_complete.months_since(first_month) as usize + 1;
    let mut cohorts: Vec<Cohort> = (0..cohort_count)
        .map(|offset| {
            let month = first_month.plus(offset as i32);
            let width = last_complete.months_since(month) as usize + 1;
            Cohort { month, size: 0, active: vec![0; width] }
        })
        .collect();

    for months in purchases.iter().filter(|months| !months.is_empty()) {
        let cohort_month = months[0];
        let Some(cohort) = cohorts.get_mut(cohort_month.months_since(first_month) as usize) else {
            continue;
        };
        cohort.size += 1;
        for month in months {
            if let Some(cell) = cohort.active.get_mut(month.months_since(cohort_month) as usize) {
                *cell += 1;
            }
        }
    }
    CohortTable { cohorts, as_of }
}

/// Returns each customer's distinct purchase months, sorted, up to `as_of`.
///
/// A month equal to the customer's previous one is not stored again, so a log in date order
/// stores each customer's month once. The month of a date is computed once per run of equal
/// dates.
fn customer_purchase_months(transactions: &Transactions, as_of: NaiveDate) -> Vec<Vec<Month>> {
    let mut months: Vec<Vec<Month>> = vec![Vec::new(); transactions.customer_ids.len()];
    let mut last_month: Vec<Option<Month>> = vec![None; months.len()];
    let mut cached: Option<(NaiveDate, Month)> = None;
    for row in 0..transactions.len() {
        let date = transactions.date[row];
        if date <= as_of && transactions.amount[row].micros >= 0 {
            let month = match cached {
                Some((known, month)) if known == date => month,
                _ => {
                    let month = Month::of(date);
                    cached = Some((date, month));
                    month
                }
            };
            // `last_month` repeats each vector's last month in one small array, so that the
            // usual case of a month already stored reads no vector.
            let customer = transactions.customer[row] as usize;
            if last_month[customer] != Some(month) {
                last_month[customer] = Some(month);
                months[customer].push(month);
            }
        }
    }
    for customer_months in &mut months {
        customer_months.sort_unstable();
        customer_months.dedup();
    }
    months
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testing::{date, transactions};

    #[test]
    fn on_retention_counts_purchases_in_each_later_month() {
        let log = transactions(&[
            ("a", "2024-01-03", 100),
            ("a", "2024-02-10", 100),
            ("b", "2024-01-20", 100),
            ("b", "2024-03-01", 100),
            ("c", "2024-02-02", 100),
            ("c", "2024-02-20", 100),
        ]);
        let table = monthly_cohorts(&log, date("2024-03-31"));

        assert_eq!(table.cohorts.len(), 3);
        let january = &table.cohorts[0];
        assert_eq!(january.size, 2);
        assert_eq!(january.active, [2, 1, 1]);
        assert_eq!(table.cohorts[1].active, [1, 0]);
        assert_eq!(table.cohorts[2].size, 0);
        assert_eq!(table.cohorts[2].retention(0), None);
    }

    #[test]
    fn incomplete_months_have_no_cells() {
        let log = transactions(&[("a", "2024-01-03", 100), ("a", "2024-02-10", 100)]);
        let table = monthly_cohorts(&log, date("2024-02-27"));
        assert_eq!(table.cohorts.len(), 1);
        assert_eq!(table.cohorts[0].active, [1]);
    }

    #[test]
    fn refunds_do_not_make_a_customer_active() {
        let log = transactions(&[("a", "2024-01-03", 100), ("a", "2024-02-10", -100)]);
        let table = monthly_cohorts(&log, date("2024-02-29"));
        assert_eq!(table.cohorts[0].active, [1, 0]);
    }
}
