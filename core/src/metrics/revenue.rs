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
    span_of(transactions.date.iter().copied())
}

/// Returns the earliest and the latest of `dates`, in one pass.
fn span_of(mut dates: impl Iterator<Item = NaiveDate>) -> Option<(NaiveDate, NaiveDate)> {
    let first = dates.next()?;
    Some(dates.fold((first, first), |(earliest, latest), date| (earliest.min(date), latest.max(date))))
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
    let Some(months) = date_span(transactions).and_then(|span| RowMonths::of(transactions, span, currency)) else {
        return Vec::new();
    };
    let totals = period_totals(transactions, &months.offsets, months.count);
    months.label(totals)
}

/// The revenue cards' totals of one log, as [`total_revenue`], [`total_revenue_in`] and
/// [`monthly_revenue_in`] give them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RevenueSummary {
    /// Over every transaction, whatever its currency: customers are counted in all of them.
    pub all_currencies: PeriodRevenue,
    /// Over the transactions in the reporting currency.
    pub total: PeriodRevenue,
    /// Per calendar month of the transactions in the reporting currency.
    pub months: Vec<MonthRevenue>,
}

/// Returns the [`RevenueSummary`] of the transactions, whose first and last dates are `span`
/// ([`date_span`]), with `currency` as in [`total_revenue_in`]. A log in date order, as most
/// are, is summed in one pass over its rows.
pub fn revenue_summary(transactions: &Transactions, span: (NaiveDate, NaiveDate), currency: Option<u16>) -> RevenueSummary {
    let Some(months) = RowMonths::of(transactions, span, currency) else {
        // No row is in `currency`: its totals are zero and it has no month.
        return RevenueSummary { all_currencies: total_revenue(transactions), total: PeriodRevenue::default(), months: Vec::new() };
    };
    if !months.in_order {
        let all_currencies = total_revenue(transactions);
        let total = if currency.is_none() { all_currencies.clone() } else { total_revenue_in(transactions, currency) };
        let by_month = period_totals(transactions, &months.offsets, months.count);
        return RevenueSummary { all_currencies, total, months: months.label(by_month) };
    }

    let mut all_currencies = Totaller::whole(transactions);
    let mut total = Totaller::whole(transactions);
    let mut by_month = PeriodTotaller::new(transactions, months.count);
    for (row, offset) in months.offsets.iter().enumerate() {
        all_currencies.add(transactions, row);
        if *offset != RowsByPeriod::LEFT_OUT {
            // Without a currency to choose, every row is in both totals, so only the first is summed.
            if currency.is_some() {
                total.add(transactions, row);
            }
            by_month.add(transactions, row, *offset);
        }
    }

    let all_currencies = all_currencies.finish();
    let total = if currency.is_none() { all_currencies.clone() } else { total.finish() };
    RevenueSummary { all_currencies, total, months: months.label(by_month.finish()) }
}

/// Each row's calendar month, as an offset from the month of the log's first date.
struct RowMonths {
    first: Month,
    /// Months from the log's first month to its last one, both included.
    count: usize,
    /// Per row: its month's offset, or [`RowsByPeriod::LEFT_OUT`] for a row in another currency.
    offsets: Vec<u32>,
    /// The offsets of the first and the last month with a counted row.
    counted: (u32, u32),
    /// True when the counted rows' months never go back.
    in_order: bool,
}

impl RowMonths {
    /// Reads the months of the rows in `currency` (every row when `None`) of a log whose first
    /// and last dates are `span`. Returns `None` when no row is in `currency`.
    fn of(transactions: &Transactions, span: (NaiveDate, NaiveDate), currency: Option<u16>) -> Option<Self> {
        let first = Month::of(span.0);
        let count = Month::of(span.1).months_since(first) as usize + 1;

        // Consecutive rows usually share a date, so the month is computed once per run of a date.
        let mut cached: Option<(NaiveDate, u32)> = None;
        let (mut earliest, mut latest, mut previous) = (u32::MAX, 0, 0);
        let mut in_order = true;
        let offsets = (0..transactions.len())
            .map(|row| {
                let date = transactions.date[row];
                if !in_currency(transactions, row, currency) {
                    return RowsByPeriod::LEFT_OUT;
                }
                let offset = match cached {
                    Some((known, offset)) if known == date => offset,
                    _ => {
                        let offset = Month::of(date).months_since(first) as u32;
                        cached = Some((date, offset));
                        offset
                    }
                };
                in_order &= offset >= previous;
                (earliest, latest, previous) = (earliest.min(offset), latest.max(offset), offset);
                offset
            })
            .collect();
        (earliest <= latest).then_some(RowMonths { first, count, offsets, counted: (earliest, latest), in_order })
    }

    /// Pairs the totals per month offset with their months, from the first month with a counted
    /// row to the last one.
    fn label(&self, totals: Vec<PeriodRevenue>) -> Vec<MonthRevenue> {
        let (earliest, latest) = self.counted;
        let counted = totals.into_iter().enumerate().skip(earliest as usize).take((latest - earliest) as usize + 1);
        counted.map(|(offset, totals)| MonthRevenue { month: self.first.plus(offset as i32), totals }).collect()
    }
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
    let counted = || offsets.iter().copied().filter(|offset| *offset != RowsByPeriod::LEFT_OUT);
    let in_order = counted().zip(counted().skip(1)).all(|(earlier, later)| earlier <= later);
    if !in_order {
        let mut sums = CustomerSums::for_log(transactions);
        let rows_by_period = RowsByPeriod::group(offsets, period_count);
        return (0..period_count).map(|offset| sums.summarise(transactions, rows_by_period.rows(offset).iter().copied())).collect();
    }

    let mut totaller = PeriodTotaller::new(transactions, period_count);
    for (row, offset) in offsets.iter().enumerate().filter(|(_, offset)| **offset != RowsByPeriod::LEFT_OUT) {
        totaller.add(transactions, row, *offset);
    }
    totaller.finish()
}

/// Totals of one period, added to row by row.
struct Totaller {
    sums: CustomerSums,
    totals: PeriodRevenue,
}

impl Totaller {
    /// Starts a period with slots for every customer of `transactions`.
    fn whole(transactions: &Transactions) -> Self {
        Totaller { sums: CustomerSums::for_log(transactions), totals: PeriodRevenue::default() }
    }

    fn add(&mut self, transactions: &Transactions, row: usize) {
        self.sums.add(transactions, row, &mut self.totals);
    }

    fn finish(mut self) -> PeriodRevenue {
        self.sums.close(self.totals)
    }
}

/// Totals per period of rows added in period order, each period closed when the next begins.
struct PeriodTotaller {
    sums: CustomerSums,
    totals: Vec<PeriodRevenue>,
    /// The offset of the period being added to, and its totals so far.
    current: Option<(u32, PeriodRevenue)>,
}

impl PeriodTotaller {
    /// Starts `period_count` periods with zero totals.
    fn new(transactions: &Transactions, period_count: usize) -> Self {
        PeriodTotaller { sums: CustomerSums::for_log(transactions), totals: vec![PeriodRevenue::default(); period_count], current: None }
    }

    /// Adds `row` to the period at `offset`, which must not be before the last row's.
    fn add(&mut self, transactions: &Transactions, row: usize, offset: u32) {
        if self.current.as_ref().is_none_or(|(current, _)| *current != offset) {
            self.close_current();
            self.current = Some((offset, PeriodRevenue::default()));
        }
        if let Some((_, period)) = &mut self.current {
            self.sums.add(transactions, row, period);
        }
    }

    fn close_current(&mut self) {
        if let Some((offset, period)) = self.current.take() {
            self.totals[offset as usize] = self.sums.close(period);
        }
    }

    fn finish(mut self) -> Vec<PeriodRevenue> {
        self.close_current();
        self.totals
    }
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
    slots: Vec<CustomerSlot>,
    /// The customers with `seen` set, to total and clear after the period.
    touched: Vec<u32>,
}

/// One customer's sums in the period being added to. The fields of a customer sit together, so
/// that adding a transaction touches one place in memory.
#[derive(Clone, Copy, Default)]
struct CustomerSlot {
    net: Money,
    /// True when the customer has a transaction in the period that is not a refund.
    purchased: bool,
    /// True when the customer has any transaction in the period.
    seen: bool,
}

impl CustomerSums {
    /// Makes slots for every customer id of `transactions`. A customer index past them, which
    /// no log read from a file has, gets its slot when it is first added.
    pub(super) fn for_log(transactions: &Transactions) -> Self {
        CustomerSums { slots: vec![CustomerSlot::default(); transactions.customer_ids.len()], touched: Vec::new() }
    }

    /// Totals the transactions `rows` of one period, then clears the slots for the next one.
    pub(super) fn summarise(&mut self, transactions: &Transactions, rows: impl Iterator<Item = usize>) -> PeriodRevenue {
        let mut totals = PeriodRevenue::default();
        for row in rows {
            self.add(transactions, row, &mut totals);
        }
        self.close(totals)
    }

    /// Adds transaction `row` to the period's `totals` and to its customer's slot.
    #[inline]
    fn add(&mut self, transactions: &Transactions, row: usize, totals: &mut PeriodRevenue) {
        let amount = transactions.amount[row];
        let customer = transactions.customer[row] as usize;
        if customer >= self.slots.len() {
            self.slots.resize(customer + 1, CustomerSlot::default());
        }
        totals.revenue += amount;
        totals.transactions += 1;
        let slot = &mut self.slots[customer];
        if !slot.seen {
            slot.seen = true;
            self.touched.push(customer as u32);
        }
        slot.net += amount;
        slot.purchased |= amount.micros >= 0;
    }

    /// Counts the period's active and paying customers into `totals`, then clears their slots
    /// for the next period.
    fn close(&mut self, mut totals: PeriodRevenue) -> PeriodRevenue {
        for customer in self.touched.drain(..) {
            let slot = std::mem::take(&mut self.slots[customer as usize]);
            totals.active_customers += usize::from(slot.purchased);
            totals.paying_customers += usize::from(slot.net.is_positive());
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

    /// Builds the summary from the separate functions.
    fn summary_one_by_one(log: &Transactions, currency: Option<u16>) -> RevenueSummary {
        RevenueSummary { all_currencies: total_revenue(log), total: total_revenue_in(log, currency), months: monthly_revenue_in(log, currency) }
    }

    #[test]
    fn summary_equals_the_separate_totals() {
        let rows = [
            ("a", "2024-01-05", 1000),
            ("b", "2024-01-20", 250),
            ("c", "2024-02-11", 75),
            ("a", "2024-03-09", -100),
            ("b", "2024-03-10", 30),
            ("c", "2024-05-01", 40),
        ];
        let mut in_order = transactions(&rows);
        in_order.currencies = vec!["USD".into(), "EUR".into(), "GBP".into()];
        in_order.currency = vec![1, 0, 0, 0, 1, 0];
        let mut shuffled = transactions(&[rows[3], rows[0], rows[5], rows[1], rows[4], rows[2]]);
        shuffled.currencies = in_order.currencies.clone();
        shuffled.currency = vec![0, 1, 0, 0, 1, 0];

        for log in [&in_order, &shuffled] {
            let span = date_span(log).unwrap();
            for currency in [None, Some(0), Some(1), Some(2)] {
                assert_eq!(revenue_summary(log, span, currency), summary_one_by_one(log, currency), "{currency:?}");
            }
        }
        let in_euros = revenue_summary(&in_order, date_span(&in_order).unwrap(), Some(1));
        assert_eq!(in_euros.months.len(), 3, "January to March, the months of the euro rows");
        assert_eq!(in_euros.months[1].totals, PeriodRevenue::default());
        assert_eq!(in_euros.total.revenue, Money::from_cents(1030));
        assert_eq!(in_euros.all_currencies.active_customers, 3);
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
