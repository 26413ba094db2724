//! DAU, WAU and MAU (distinct users with an event in the day, ISO week or month) and
//! stickiness (mean DAU over a month / that month's MAU).

use serde::{Deserialize, Serialize};
use chrono::NaiveDate;

use crate::ingest::kinds::{Events, Timestamp};
use crate::metrics::period::{Granularity, Period};
use crate::metrics::unavailable::Unavailable;

const SECONDS_PER_DAY: i64 = 86_400;

/// Distinct active users in one period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveUsers {
    pub period: Period,
    pub users: u64,
}

/// Counts distinct active users per period, for every period from the first event's to the
/// last event's on or before `as_of` (periods without events included with zero users).
pub fn active_users(events: &Events, granularity: Granularity, as_of: NaiveDate) -> Vec<ActiveUsers> {
    UsersByDay::group(events, as_of).map_or_else(Vec::new, |days| {
        let [series] = days.count([granularity]);
        series
    })
}

/// Computes the [`active_users`] series per day, ISO week and month in one pass over the events.
pub fn daily_weekly_monthly_active_users(events: &Events, as_of: NaiveDate) -> [Vec<ActiveUsers>; 3] {
    match UsersByDay::group(events, as_of) {
        Some(days) => days.count([Granularity::Day, Granularity::Week, Granularity::Month]),
        None => [Vec::new(), Vec::new(), Vec::new()],
    }
}

/// The users of each event on or before a date, grouped by the event's UTC day.
struct UsersByDay {
    first_day: i64,
    /// Start offsets of each day's users in `users`, with the list's end last.
    starts: Vec<usize>,
    users: Vec<u32>,
    user_count: usize,
}

impl UsersByDay {
    /// Groups the events dated on or before `as_of`; `None` when there is none.
    fn group(events: &Events, as_of: NaiveDate) -> Option<Self> {
        let last_allowed = Timestamp::start_of(as_of).seconds.div_euclid(SECONDS_PER_DAY);
        let mut days: Vec<i64> = Vec::with_capacity(events.time.len());
        let mut users: Vec<u32> = Vec::with_capacity(events.time.len());
        for (time, user) in events.time.iter().zip(&events.user) {
            let day = time.seconds.div_euclid(SECONDS_PER_DAY);
            if day <= last_allowed {
                days.push(day);
                users.push(*user);
            }
        }
        let (first_day, last_day) = (*days.iter().min()?, *days.iter().max()?);

        let offsets: Vec<u32> = days.iter().map(|day| (day - first_day) as u32).collect();
        drop(days);
        let (starts, grouped) = group_by_period(&offsets, &users, (last_day - first_day) as usize + 1);
        let user_count = users.iter().max().map_or(0, |max| *max as usize + 1);
        Some(UsersByDay { first_day, starts, users: grouped, user_count })
    }

    fn date(&self, offset: usize) -> NaiveDate {
        Timestamp { seconds: (self.first_day + offset as i64) * SECONDS_PER_DAY }.date()
    }

    /// Counts the distinct users of each period of each of `granularities` in one pass. Days
    /// come in order, so a period's days are consecutive, and the last period of each
    /// granularity that counted a user is enough to count each user once. A user's entries sit
    /// together in `counted_in`, so one memory access serves every granularity.
    fn count<const N: usize>(&self, granularities: [Granularity; N]) -> [Vec<ActiveUsers>; N] {
        let day_count = self.starts.len() - 1;
        let firsts = granularities.map(|granularity| Period::of(granularity, self.date(0)));
        let mut series = granularities.map(|granularity| {
            let first = Period::of(granularity, self.date(0));
            let last = Period::of(granularity, self.date(day_count - 1));
            (0..=last.periods_since(first)).map(|offset| ActiveUsers { period: first.plus(offset), users: 0 }).collect::<Vec<_>>()
        });

        let mut counted_in = vec![[u32::MAX; N]; self.user_count];
        for day in 0..day_count {
            let date = self.date(day);
            let offsets: [u32; N] = std::array::from_fn(|index| Period::of(granularities[index], date).periods_since(firsts[index]) as u32);
            let mut new_users = [0u64; N];
            for user in &self.users[self.starts[day]..self.starts[day + 1]] {
                let counted = &mut counted_in[*user as usize];
                for index in 0..N {
                    if counted[index] != offsets[index] {
                        counted[index] = offsets[index];
                        new_users[index] += 1;
                    }
                }
            }
            for index in 0..N {
                series[index][offsets[index] as usize].users += new_users[index];
            }
        }
        series
    }
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
    fn one_pass_series_equal_the_single_ones() {
        let log = events(&[
            ("a", "2023-12-31 23:00:00", "open"),
            ("b", "2024-01-01 00:00:00", "open"),
            ("a", "2024-01-07", "open"),
            ("c", "2024-01-08", "save"),
            ("a", "2024-02-29", "open"),
            ("d", "2024-03-02", "open"),
        ]);
        let as_of = date("2024-03-01");

        let [daily, weekly, monthly] = daily_weekly_monthly_active_users(&log, as_of);

        assert_eq!(daily, active_users(&log, Granularity::Day, as_of));
        assert_eq!(weekly, active_users(&log, Granularity::Week, as_of));
        assert_eq!(monthly, active_users(&log, Granularity::Month, as_of));
        let counts: Vec<u64> = monthly.iter().map(|entry| entry.users).collect();
        assert_eq!(counts, [1, 3, 1]);
        let weekly_counts: Vec<u64> = weekly.iter().map(|entry| entry.users).collect();
        assert_eq!(weekly_counts[..3], [1, 2, 1]);
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
