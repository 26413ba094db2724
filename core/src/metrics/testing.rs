//! Builders for small hand-computed test inputs.

use chrono::NaiveDate;

use crate::ingest::dataset::Interner;
use crate::ingest::{Money, Transactions};

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test dates are ISO")
}

/// Builds a transaction log from `(customer, ISO date, amount in cents)` rows.
pub fn transactions(rows: &[(&str, &str, i64)]) -> Transactions {
    let mut interner = Interner::default();
    let mut log = Transactions::default();
    for (customer, day, cents) in rows {
        log.customer.push(interner.intern(customer));
        log.date.push(date(day));
        log.amount.push(Money::from_cents(*cents));
    }
    log.customer_ids = interner.values;
    log
}
