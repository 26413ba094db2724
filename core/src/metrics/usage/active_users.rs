//! DAU, WAU and MAU (distinct users with an event in the day, ISO week or month) and
//! stickiness (mean DAU over a month / that month's MAU).

use serde::{Deserialize, Serialize};
use chrono::NaiveDate;

use crate::ingest::kinds::Events;
use crate::metrics::period::{Granularity, Period};
use crate::metrics::unavailable::Unavailable;

/// Distinct active users in one period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveUsers {
    pub period: Period,
    pub users: u64,
}

/// Counts distinct active users per period, for every period from the first event's to the
/// last event's on or before `as_of` (periods without events included with zero users).
pub fn active_users(events: &Events, granularity: Granularity, as_of: NaiveDate) -> Vec<ActiveUsers> {
    let mut periods: Vec<Period> = Vec::with_capacity(events.time.len());
    let mut users: Vec<u32> = Vec::with_capacity(events.time.len());
    for (time, user) in events.time.iter().zip(&events.user) {
        let date = time.date();
        if date <= as_of {
            periods.push(Period::of(granularity, date));
            users.push(*user);
        }
    }
    let (Some(first), Some(last)) = (periods.iter().min().copied(), periods.iter().max().copied()) else {
        return Vec::new();
    };

    let period_count = last.periods_since(first) as usize + 1;
    let offsets: Vec<u32> = periods.iter().map(|period| period.periods_since(first) as u32).collect();
    drop(periods);
    let (starts, grouped) = group_by_period(&offsets, &users, period_count);

    // A user counts once in a period: `counted_in[user]` is the last period that counted them.
    let user_count = users.iter().max().map_or(0, |max| *max as usize + 1);
    let mut counted_in = vec![usize::MAX; user_count];
    let mut series: Vec<ActiveUsers> = (0..period_count)
        .map(|offset| ActiveUsers { period: first.plus(offset as i64), users: 0 })
        .collect();
    for (offset, entry) in series.iter_mut().enumerate() {
        for user in &grouped[starts[offset]..starts[offset + 1]] {
            if counted_in[*user as usize] != offset {
                counted_in[*user as usize] = offset;
                entry.users += 1;
            }
        }
    }
    series
}

/// Groups users by period offset with a counting sort, in O(events + periods). Returns where
/// each period's users start in the grouped list (with the list's end last) and the list.
fn group_by_period(offsets: &[u32], users: &[u32], period_count: usize) -> (Vec<usize>, Vec<u32>) {
    let mut starts = vec![0usize; period_count + 1];
    for offset in offsets {
        starts[*offset as usize + 1] += 1;
    }
    for index in 1..starts.len() {
        starts[index] += starts[index - 1];
    }
    let mut next = starts.clone();
    let mut grouped = vec![0u32; users.len()];
    for (offset, user) in offsets.iter().zip(users) {
        let slot = &mut next[*offset as usize];
        grouped[*slot] = *user;
        *slot += 1;
    }
    (starts, grouped)
}

/// Stickiness of one month: the mean of its daily active users over its calendar days,
/// divided by its monthly active users.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stickiness {
    pub month: Period,
    pub mean_dau: f64,
    pub mau: u64,
    /// `mean_dau / mau`, in [0, 1].
    pub fraction: f64,
}

/// Computes the stickiness of `month` from a daily and a monthly [`active_users`] series.
pub fn stickiness(daily: &[ActiveUsers], monthly: &[ActiveUsers], month: Period) -> Result<Stickiness, Unavailable> {
    let mau = monthly.iter().find(|entry| entry.period == month).map_or(0, |entry| entry.users);
    if mau == 0 {
        return Err(Unavailable::ZeroDenominator { what: "the month's active users" });
    }
    let dau_sum: u64 = daily.iter().filter(|entry| month.contains(entry.period.start())).map(|entry| entry.users).sum();
    let mean_dau = dau_sum as f64 / month.day_count() as f64;
    Ok(Stickiness { month, mean_dau, mau, fraction: mean_dau / mau as f64 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testing::{date, events};

    #[test]
    fn active_users_count_distinct_users_per_period() {
        let log = events(&[("a", "2024-01-01", "open"), ("a", "2024-01-01", "save"), ("b", "2024-01-01", "open"), ("a", "2024-01-03", "open")]);
        let daily = active_users(&log, Granularity::Day, date("2024-01-31"));
        let counts: Vec<u64> = daily.iter().map(|entry| entry.users).collect();
        assert_eq!(counts, [2, 0, 1]);
        let weekly = active_users(&log, Granularity::Week, date("2024-01-31"));
        assert_eq!(weekly[0].users, 2);
    }

    #[test]
    fn iso_week_spans_the_new_year() {
        let log = events(&[("a", "2020-12-31", "open"), ("b", "2021-01-03", "open"), ("c", "2021-01-04", "open")]);
        let weekly = active_users(&log, Granularity::Week, date("2021-01-10"));
        assert_eq!(weekly[0].period.label(), "2020-W53");
        assert_eq!(weekly[0].users, 2);
        assert_eq!(weekly[1].users, 1);
    }

    #[test]
    fn stickiness_divides_mean_dau_by_mau() {
        // February 2024 has 29 days: DAU sums to 3, MAU is 2.
        let log = events(&[("a", "2024-02-01", "open"), ("b", "2024-02-01", "open"), ("a", "2024-02-29", "open")]);
        let as_of = date("2024-02-29");
        let month = Period::of(Granularity::Month, as_of);
        let result = stickiness(&active_users(&log, Granularity::Day, as_of), &active_users(&log, Granularity::Month, as_of), month).unwrap();
        assert_eq!(result.mau, 2);
        assert_eq!(result.mean_dau, 3.0 / 29.0);
        assert_eq!(result.fraction, 3.0 / 29.0 / 2.0);
        assert!(stickiness(&[], &[], month).is_err());
    }
}
