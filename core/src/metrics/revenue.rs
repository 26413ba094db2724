//! Revenue, active customers and ARPU from a transaction log, per calendar month and in total.
//!
//! Definitions: revenue is the sum of transaction amounts dated in the period, refunds
//! (negative amounts) included. A customer is active in a period when they have at least one
//! transaction in it that is not a refund. ARPU is revenue divided by the customers whose net
//! revenue in the period is positive.

use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

use super::period::Month;
use super::unavailable::Unavailable;
use crate::ingest::{Money, Transactions};

/// Revenue and customer counts over one period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PeriodRevenue {
    pub revenue: Money,
    pub transactions: usize,
    /// Customers with at least one transaction that is not a refund.
    pub active_customers: usize,
    /// Customers whose net revenue in the period is positive: the ARPU denominator.
    pub paying_customers: usize,
}

impl PeriodRevenue {
    /// Returns ARPU in major units: revenue / customers with positive net revenue.
    pub fn arpu(&self) -> Result<f64, Unavailable> {
        if self.paying_customers == 0 {
            return Err(Unavailable::ZeroDenominator { what: "the number of paying customers" });
        }
        Ok(self.revenue.to_major_f64() / self.paying_customers as f64)
    }
}

/// One month of a revenue series.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthRevenue {
    pub month: Month,
    pub totals: PeriodRevenue,
}

/// The first and last day that a transaction log covers.
pub fn date_span(transactions: &Transactions) -> Option<(NaiveDate, NaiveDate)> {
    let first = transactions.date.iter().min()?;
    let last = transactions.date.iter().max()?;
    Some((*first, *last))
}

/// Totals over every transaction of the log.
pub fn total_revenue(transactions: &Transactions) -> PeriodRevenue {
    total_revenue_in(transactions, None)
}

/// Returns the totals over the transactions in `currency`, an index into the log's currencies,
/// or over every transaction when `currency` is `None`.
pub fn total_revenue_in(transactions: &Transactions, currency: Option<u16>) -> PeriodRevenue {
    let rows = (0..transactions.len()).filter(|row| in_currency(transactions, *row, currency));
    CustomerSums::for_log(transactions).summarise(transactions, rows)
}

/// Totals per calendar month, every month from the first transaction's to the last one's,
/// months without transactions included with zero revenue.
pub fn monthly_revenue(transactions: &Transactions) -> Vec<MonthRevenue> {
    monthly_revenue_in(transactions, None)
}

/// Returns the totals per calendar month of the transactions in `currency`, the same as
/// [`monthly_revenue`] of a log of only those transactions. With `currency` `None`, every
/// transaction counts.
pub fn monthly_revenue_in(transactions: &Transactions, currency: Option<u16>) -> Vec<MonthRevenue> {
    let dates = || (0..transactions.len()).filter(|row| in_currency(transactions, *row, currency)).map(|row| transactions.date[row]);
    let (Some(first), Some(last)) = (dates().min(), dates().max()) else {
        return Vec::new();
    };
    let first_month = Month::of(first);
    let month_count = Month::of(last).months_since(first_month) as usize + 1;

    // Consecutive rows usually share a date, so the month is computed once per run of a date.
    let mut cached: Option<(NaiveDate, u32)> = None;
    let row_months: Vec<u32> = (0..transactions.len())
        .map(|row| {
            let date = transactions.date[row];
            if !in_currency(transactions, row, currency) {
                return RowsByPeriod::LEFT_OUT;
            }
            match cached {
                Some((known, offset)) if known == date => offset,
                _ => {
                    let offset = Month::of(date).months_since(first_month) as u32;
                    cached = Some((date, offset));
                    offset
                }
            }
        })
        .collect();
    let totals = period_totals(transactions, &row_months, month_count);
    (0..month_count).zip(totals).map(|(offset, totals)| MonthRevenue { month: first_month.plus(offset as i32), totals }).collect()
}

/// Returns true when transaction `row` is in `currency`, which every row is when `currency` is
/// `None` or the log names no currency.
pub(super) fn in_currency(transactions: &Transactions, row: usize, currency: Option<u16>) -> bool {
    match (currency, transactions.currency.get(row)) {
        (Some(wanted), Some(row_currency)) => *row_currency == wanted,
        _ => true,
    }
}

/// Returns the totals per period. `offsets` gives each row's period offset, below
/// `period_count`, or [`RowsByPeriod::LEFT_OUT`]. A log in date order, as most are, is summed in
/// one pass over its rows. Any other order is first grouped by period.
pub(super) fn period_totals(transactions: &Transactions, offsets: &[u32], period_count: usize) -> Vec<PeriodRevenue> {
    let mut sums = CustomerSums::for_log(transactions);
    let counted = || offsets.iter().copied().filter(|offset| *offset != RowsByPeriod::LEFT_OUT);
    let in_order = counted().zip(counted().skip(1)).all(|(earlier, later)| earlier <= later);
    if !in_order {
        let rows_by_period = RowsByPeriod::group(offsets, period_count);
        return (0..period_count).map(|offset| sums.summarise(transactions, rows_by_period.rows(offset).iter().copied())).collect();
    }

    let mut totals = vec![PeriodRevenue::default(); period_count];
    let mut current: Option<u32> = None;
    let mut period = PeriodRevenue::default();
    for (row, offset) in offsets.iter().enumerate().filter(|(_, offset)| **offset != RowsByPeriod::LEFT_OUT) {
        if current != Some(*offset) {
            if let Some(done) = current {
                totals[done as usize] = sums.close(std::mem::take(&mut period));
            }
            current = Some(*offset);
        }
        sums.add(transactions, row, &mut period);
    }
    if let Some(done) = current {
        totals[done as usize] = sums.close(period);
    }
    totals
}

/// The rows of a transaction log grouped by period with a counting sort, in O(rows + periods).
/// The rows of the period at offset `k` from the first are `rows[starts[k]..starts[k + 1]]`,
/// in log order.
pub(super) struct RowsByPeriod {
    starts: Vec<usize>,
    rows: Vec<usize>,
}

impl RowsByPeriod {
    /// Marks a row that belongs to no period in the offsets passed to [`RowsByPeriod::group`].
    pub(super) const LEFT_OUT: u32 = u32::MAX;

    /// Groups the rows by `offsets`, the period offset of each row or [`RowsByPeriod::LEFT_OUT`].
    /// Every other offset must be below `period_count`.
    pub(super) fn group(offsets: &[u32], period_count: usize) -> Self {
        let mut starts = vec![0usize; period_count + 1];
        for offset in offsets.iter().filter(|offset| **offset != Self::LEFT_OUT) {
            starts[*offset as usize + 1] += 1;
        }
        for index in 1..starts.len() {
            starts[index] += starts[index - 1];
        }
        let mut next = starts.clone();
        let mut rows = vec![0usize; starts[period_count]];
        for (row, offset) in offsets.iter().enumerate().filter(|(_, offset)| **offset != Self::LEFT_OUT) {
            let slot = &mut next[*offset as usize];
            rows[*slot] = row;
            *slot += 1;
        }
        RowsByPeriod { starts, rows }
    }

    /// Returns the rows of the period at `offset`.
    pub(super) fn rows(&self, offset: usize) -> &[usize] {
        &self.rows[self.starts[offset]..self.starts[offset + 1]]
    }
}

/// Net amount per customer over one period at a time, in slots indexed by customer, so that
/// summing a period needs no hashing and no sort.
pub(super) struct CustomerSums {
    net: Vec<Money>,
    /// True when the customer has a transaction in the period that is not a refund.
    purchased: Vec<bool>,
    /// True when the customer has any transaction in the period.
    seen: Vec<bool>,
    /// The customers with `seen` set, to total and clear after the period.
    touched: Vec<u32>,
}

impl CustomerSums {
    /// Makes slots for every customer id of `transactions`. A customer index past them, which
    /// no log read from a file has, gets its slot when it is first added.
    pub(super) fn for_log(transactions: &Transactions) -> Self {
        let customers = transactions.customer_ids.len();
        CustomerSums { net: vec![Money::ZERO; customers], purchased: vec![false; customers], seen: vec![false; customers], touched: Vec::new() }
    }

    /// Totals the transactions `rows` of one period, then clears the slots for the next one.
    pub(super) fn summarise(&mut self, transactions: &Transactions, rows: impl Iterator<Item = usize>) -> PeriodRevenue {
        let mut totals = PeriodRevenue::default();
        for row in rows {
            self.add(transactions, row, &mut totals);
        }
        self.close(totals)
    }

    /// Adds transaction `row` to the period's `totals` and to its customer's slots.
    #[inline]
    fn add(&mut self, transactions: &Transactions, row: usize, totals: &mut PeriodRevenue) {
        let amount = transactions.amount[row];
        let customer = transactions.customer[row] as usize;
        if customer >= self.seen.len() {
            self.net.resize(customer + 1, Money::ZERO);
            self.purchased.resize(customer + 1, false);
            self.seen.resize(customer + 1, false);
        }
        totals.revenue += amount;
        totals.transactions += 1;
        if !self.seen[customer] {
            self.seen[customer] = true;
            self.touched.push(customer as u32);
        }
        self.net[customer] += amount;
        self.purchased[customer] |= amount.micros >= 0;
    }

    /// Counts the period's active and paying customers into `totals`, then clears their slots
    /// for the next period.
    fn close(&mut self, mut totals: PeriodRevenue) -> PeriodRevenue {
        for customer in self.touched.drain(..) {
            let customer = customer as usize;
            totals.active_customers += usize::from(self.purchased[customer]);
            totals.paying_customers += usize::from(self.net[customer].is_positive());
            (self.net[customer], self.purchased[customer], self.seen[customer]) = (Money::ZERO, false, false);
        }
        totals
    }
}

/// Period-over-period growth `(current − previous) / previous`, as a fraction.
pub fn growth(previous: Money, current: Money) -> Result<f64, Unavailable> {
    if previous.micros == 0 {
        return Err(Unavailable::ZeroDenominator { what: "the previous period's revenue" });
    }
    Ok((current - previous).micros as f64 / previous.micros as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testing::transactions;

    #[test]
    fn monthly_totals_fill_empty_months() {
        let log = transactions(&[("a", "2024-01-05", 1000), ("b", "2024-03-01", 250), ("a", "2024-03-09", -100)]);
        let months = monthly_revenue(&log);
        assert_eq!(months.len(), 3);
        assert_eq!(months[1].totals.revenue, Money::ZERO);
        assert_eq!(months[2].totals.revenue, Money::from_cents(150));
        assert_eq!(months[2].totals.active_customers, 1);
        assert_eq!(months[2].totals.paying_customers, 1);
    }

    #[test]
    fn monthly_revenue_of_unsorted_log() {
        let rows = [("a", "2024-01-05", 1000), ("b", "2024-01-20", 250), ("a", "2024-03-09", -100), ("c", "2024-03-01", 40)];
        let in_order = transactions(&rows);
        let shuffled = transactions(&[rows[2], rows[0], rows[3], rows[1]]);

        let (sorted_months, shuffled_months) = (monthly_revenue(&in_order), monthly_revenue(&shuffled));

        assert_eq!(sorted_months, shuffled_months);
        assert_eq!(sorted_months[0].totals.revenue, Money::from_cents(1250));
        assert_eq!(sorted_months[2].totals.active_customers, 1);
        assert_eq!(sorted_months[2].totals.paying_customers, 1);
    }

    #[test]
    fn customers_without_ids_get_slots() {
        let mut log = transactions(&[("a", "2024-01-05", 1000), ("b", "2024-01-06", 500)]);
        log.customer_ids.clear();

        let total = total_revenue(&log);

        assert_eq!(total.active_customers, 2);
        assert_eq!(total.revenue, Money::from_cents(1500));
    }

    #[test]
    fn arpu_counts_only_customers_with_positive_net_revenue() {
        let log = transactions(&[("a", "2024-01-05", 1000), ("b", "2024-01-06", 0), ("c", "2024-01-07", 500)]);
        let total = total_revenue(&log);
        assert_eq!(total.active_customers, 3);
        assert_eq!(total.paying_customers, 2);
        assert_eq!(total.arpu(), Ok(7.5));
    }

    #[test]
    fn growth_is_undefined_after_a_zero_month() {
        assert_eq!(growth(Money::from_cents(200), Money::from_cents(300)), Ok(0.5));
        assert!(growth(Money::ZERO, Money::from_cents(300)).is_err());
    }
}
