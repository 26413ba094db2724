//! Builders for small hand-computed test inputs.

use chrono::{NaiveDate, NaiveDateTime};

use crate::ingest::dataset::Interner;
use crate::ingest::kinds::{Events, IntervalUnit, Subscription, SubscriptionStatus, Subscriptions, Timestamp};
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

/// Builds a monthly subscription of one unit, active since `start`. The customer id rides in
/// the `id` field until [`subscriptions`] interns it.
pub fn subscription(customer: &str, start: &str, cents: i64) -> Subscription {
    Subscription {
        customer: 0,
        id: customer.to_string(),
        plan: None,
        unit_price: Money::from_cents(cents),
        quantity: 1,
        interval: IntervalUnit::Month,
        interval_count: 1,
        currency: 0,
        status: SubscriptionStatus::Active,
        start: Timestamp::start_of(date(start)),
        trial_start: None,
        trial_end: None,
        canceled_at: None,
        ended_at: None,
        cancel_at_period_end: false,
        current_period_end: None,
        paused_at: None,
        discount: None,
    }
}

/// Returns `row` ended (status canceled) at the first instant of `end`.
pub fn ended(mut row: Subscription, end: &str) -> Subscription {
    row.status = SubscriptionStatus::Canceled;
    row.ended_at = Some(Timestamp::start_of(date(end)));
    row
}

/// Collects rows from [`subscription`] into a table, interning the customer ids.
pub fn subscriptions(rows: Vec<Subscription>) -> Subscriptions {
    let mut interner = Interner::default();
    let mut table = Subscriptions::default();
    for (index, mut row) in rows.into_iter().enumerate() {
        row.customer = interner.intern(&row.id);
        row.id = format!("sub_{index}");
        table.rows.push(row);
    }
    table.customer_ids = interner.values;
    table
}

/// Builds an event log from `(user, ISO date or date and time, event name)` rows.
pub fn events(rows: &[(&str, &str, &str)]) -> Events {
    let mut users = Interner::default();
    let mut names = Interner::default();
    let mut log = Events::default();
    for (user, time, name) in rows {
        log.user.push(users.intern(user));
        log.time.push(instant(time));
        log.event.push(names.intern(name));
    }
    log.signup_of_user = vec![None; users.values.len()];
    log.account_of_user = vec![None; users.values.len()];
    log.user_ids = users.values;
    log.event_names = names.values;
    log
}

/// Parses `2024-01-05` or `2024-01-05 10:30:00` as a UTC instant.
pub fn instant(text: &str) -> Timestamp {
    match NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S") {
        Ok(moment) => Timestamp::from_naive(moment),
        Err(_) => Timestamp::start_of(date(text)),
    }
}
