//! New-user retention cohorts from a product event log, at any granularity.
//!
//! A user's cohort is the calendar period of their signup date, or of their first event when
//! the export has no signup. Retention at offset k is the share of the cohort active in period
//! c + k ("on"), or in c + k or any later period ("on or after"). A cohort has a value at offset
//! k only once period c + k has ended by the as-of date.

use serde::{Deserialize, Serialize};
use chrono::NaiveDate;

use super::period::{latest_complete, Granularity, Period};
use super::share::Share;
use crate::ingest::kinds::Events;

/// Which later activity counts as retained at an offset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RetentionMode {
    /// Active in period c + k itself.
    #[default]
    On,
    /// Active in period c + k or in any later period (unbounded retention).
    OnOrAfter,
}

/// How cohorts are averaged into one curve.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CohortAveraging {
    /// Retained users of all cohorts / their users: each cohort weighs by its size.
    #[default]
    SizeWeighted,
    /// The plain mean of the cohorts' fractions.
    Unweighted,
}

/// One cohort of new users.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserCohort {
    pub period: Period,
    pub size: u64,
    /// `retained[k]`: users of the cohort retained at offset k, for each complete offset.
    pub retained: Vec<u64>,
}

impl UserCohort {
    /// Returns the retention share at `offset`, or `None` for an empty cohort or an offset whose
    /// period has not ended.
    pub fn retention(&self, offset: usize) -> Option<Share> {
        Share::new(*self.retained.get(offset)?, self.size)
    }
}

/// Cohorts from the first to the latest complete period, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserCohortTable {
    pub granularity: Granularity,
    pub mode: RetentionMode,
    pub as_of: NaiveDate,
    pub cohorts: Vec<UserCohort>,
}

/// A retention value averaged over the cohorts complete for one offset.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AverageRetention {
    pub fraction: f64,
    /// Cohorts that entered the average.
    pub cohorts: usize,
    /// Users of those cohorts.
    pub users: u64,
    /// The pooled share, for the size-weighted average; it carries n and the interval.
    pub pooled: Option<Share>,
}

impl UserCohortTable {
    /// Averages offset `offset` over the cohorts complete for it. With
    /// `include_empty_cohorts`, an unweighted average counts an empty cohort as 0%; a
    /// size-weighted average gives it no weight either way. `None` when no cohort qualifies.
    pub fn average(&self, offset: usize, averaging: CohortAveraging, include_empty_cohorts: bool) -> Option<AverageRetention> {
        let complete: Vec<&UserCohort> = self
            .cohorts
            .iter()
            .filter(|cohort| cohort.retained.len() > offset)
            .filter(|cohort| include_empty_cohorts || cohort.size > 0)
            .collect();
        let users: u64 = complete.iter().map(|cohort| cohort.size).sum();
        let retained: u64 = complete.iter().map(|cohort| cohort.retained[offset]).sum();

        match averaging {
            CohortAveraging::SizeWeighted => {
                let pooled = Share::new(retained, users)?;
                Some(AverageRetention { fraction: pooled.fraction(), cohorts: complete.len(), users, pooled: Some(pooled) })
            }
            CohortAveraging::Unweighted => {
                if complete.is_empty() {
                    return None;
                }
                let fractions = complete.iter().map(|cohort| cohort.retention(offset).map_or(0.0, Share::fraction));
                let fraction = fractions.sum::<f64>() / complete.len() as f64;
                Some(AverageRetention { fraction, cohorts: complete.len(), users, pooled: None })
            }
        }
    }

    /// Returns the headline: offset 1 of the latest non-empty cohort complete for it.
    pub fn headline(&self) -> Option<(&UserCohort, Share)> {
        self.cohorts.iter().rev().find_map(|cohort| cohort.retention(1).map(|share| (cohort, share)))
    }
}

/// One user's cohort date and the distinct periods in which they were active, sorted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserActivity {
    pub cohort_date: NaiveDate,
    pub active_periods: Vec<Period>,
}

/// Collects each user's cohort date (signup, else first event) and active periods up to
/// `as_of`; users with no event and no signup on or before `as_of` are left out.
pub fn user_activity(events: &Events, granularity: Granularity, as_of: NaiveDate) -> Vec<UserActivity> {
    let activity = ActivityTable::collect(events, granularity, as_of);
    activity.users().map(|(cohort_date, periods)| UserActivity { cohort_date, active_periods: periods.to_vec() }).collect()
}

/// Builds the cohort table of the users of `events`, as [`new_user_cohorts`] of
/// [`user_activity`] does, without a vector of periods per user.
pub fn new_user_cohorts_of_events(events: &Events, granularity: Granularity, mode: RetentionMode, as_of: NaiveDate) -> UserCohortTable {
    let activity = ActivityTable::collect(events, granularity, as_of);
    cohort_table(activity.users(), granularity, mode, as_of)
}

/// The [`UserActivity`] of every user with a cohort date, in user order, stored in one list.
///
/// Collecting runs in O(events + users) plus a sort of each user's periods, and converts an
/// event's time to a date and a period only when its UTC day differs from the event before.
struct ActivityTable {
    /// Each user's cohort date and the start and end of their distinct periods in `periods`.
    users: Vec<(NaiveDate, usize, usize)>,
    periods: Vec<Period>,
}

impl ActivityTable {
    fn collect(events: &Events, granularity: Granularity, as_of: NaiveDate) -> Self {
        let user_count = events.user_ids.len();
        let (visits, first_event) = period_visits(events, granularity, as_of);
        let (starts, mut periods) = group_by_user(&visits, user_count);
        drop(visits);

        let mut users = Vec::with_capacity(user_count);
        for user in 0..user_count {
            let signup = events.signup_of_user.get(user).copied().flatten().map(|time| time.date());
            let Some(cohort_date) = signup.or(first_event[user]).filter(|date| *date <= as_of) else {
                continue;
            };
            let own = &mut periods[starts[user]..starts[user + 1]];
            own.sort_unstable();
            let distinct = dedup_sorted(own);
            users.push((cohort_date, starts[user], starts[user] + distinct));
        }
        ActivityTable { users, periods }
    }

    /// Returns each user's cohort date and sorted distinct active periods.
    fn users(&self) -> impl Iterator<Item = (NaiveDate, &[Period])> + Clone {
        self.users.iter().map(|(cohort_date, start, end)| (*cohort_date, &self.periods[*start..*end]))
    }
}

/// Moves the distinct values of the sorted `values` to its front, in order, and returns how
/// many there are.
fn dedup_sorted(values: &mut [Period]) -> usize {
    let mut distinct = 0;
    for index in 0..values.len() {
        if distinct == 0 || values[index] != values[distinct - 1] {
            values[distinct] = values[index];
            distinct += 1;
        }
    }
    distinct
}

/// Returns the `(user, period)` pairs of the events dated on or before `as_of`, with a pair
/// left out when the user's previous kept pair has the same period, and each user's first
/// event date. Every distinct period of a user appears at least once.
fn period_visits(events: &Events, granularity: Granularity, as_of: NaiveDate) -> (Vec<(u32, Period)>, Vec<Option<NaiveDate>>) {
    let user_count = events.user_ids.len();
    let mut first_event: Vec<Option<NaiveDate>> = vec![None; user_count];
    let mut last_period: Vec<Option<Period>> = vec![None; user_count];
    let mut visits: Vec<(u32, Period)> = Vec::new();
    // `Timestamp::date` depends only on the UTC day number, so one conversion serves a run
    // of events on the same day.
    let mut cached: Option<(i64, NaiveDate, Period)> = None;
    for (user, time) in events.user.iter().zip(&events.time) {
        let index = *user as usize;
        if index >= user_count {
            continue;
        }
        let day = time.seconds.div_euclid(86_400);
        let (date, period) = match cached {
            Some((known_day, date, period)) if known_day == day => (date, period),
            _ => {
                let date = time.date();
                let period = Period::of(granularity, date);
                cached = Some((day, date, period));
                (date, period)
            }
        };
        if date > as_of {
            continue;
        }
        let first = &mut first_event[index];
        *first = Some(first.map_or(date, |known| known.min(date)));
        if last_period[index] != Some(period) {
            last_period[index] = Some(period);
            visits.push((*user, period));
        }
    }
    (visits, first_event)
}

/// Groups the periods of `visits` by user with a counting sort, in O(visits + users). Returns
/// where each user's periods start in the grouped list (with the list's end last) and the list.
fn group_by_user(visits: &[(u32, Period)], user_count: usize) -> (Vec<usize>, Vec<Period>) {
    let mut starts = vec![0usize; user_count + 1];
    for (user, _) in visits {
        starts[*user as usize + 1] += 1;
    }
    for index in 1..starts.len() {
        starts[index] += starts[index - 1];
    }
    let mut next = starts.clone();
    let mut grouped = Vec::with_capacity(visits.len());
    grouped.resize(visits.len(), Period::of(Granularity::Day, NaiveDate::MIN));
    for (user, period) in visits {
        let slot = &mut next[*user as usize];
        grouped[*slot] = *period;
        *slot += 1;
    }
    (starts, grouped)
}

/// Builds the cohort table of `users` at `granularity`, in `mode`, complete by `as_of`.
pub fn new_user_cohorts(users: &[UserActivity], granularity: Granularity, mode: RetentionMode, as_of: NaiveDate) -> UserCohortTable {
    let users = users.iter().map(|user| (user.cohort_date, user.active_periods.as_slice()));
    cohort_table(users, granularity, mode, as_of)
}

/// Builds the cohort table of `(cohort date, sorted distinct active periods)` users.
fn cohort_table<'a>(users: impl Iterator<Item = (NaiveDate, &'a [Period])> + Clone, granularity: Granularity, mode: RetentionMode, as_of: NaiveDate) -> UserCohortTable {
    let last_complete = latest_complete(granularity, as_of);
    let first = users.clone().map(|(cohort_date, _)| Period::of(granularity, cohort_date)).min();
    let mut table = UserCohortTable { granularity, mode, as_of, cohorts: Vec::new() };
    let Some(first) = first.filter(|first| *first <= last_complete) else {
        return table;
    };

    table.cohorts = (0..=last_complete.periods_since(first))
        .map(|offset| {
            let period = first.plus(offset);
            let width = (last_complete.periods_since(period) + 1) as usize;
            UserCohort { period, size: 0, retained: vec![0; width] }
        })
        .collect();

    for (cohort_date, active_periods) in users {
        let cohort_period = Period::of(granularity, cohort_date);
        let Some(cohort) = table.cohorts.get_mut(cohort_period.periods_since(first) as usize) else {
            continue;
        };
        cohort.size += 1;
        add_user(cohort, active_periods, mode);
    }
    table
}

/// Adds one user's retained offsets to their cohort's cells.
fn add_user(cohort: &mut UserCohort, active_periods: &[Period], mode: RetentionMode) {
    let offsets = active_periods
        .iter()
        .map(|period| period.periods_since(cohort.period))
        .filter(|offset| *offset >= 0);
    match mode {
        RetentionMode::On => {
            for offset in offsets {
                if let Some(cell) = cohort.retained.get_mut(offset as usize) {
                    *cell += 1;
                }
            }
        }
        RetentionMode::OnOrAfter => {
            let Some(last_offset) = offsets.max() else {
                return;
            };
            let reach = (last_offset as usize + 1).min(cohort.retained.len());
            for cell in &mut cohort.retained[..reach] {
                *cell += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testing::{date, events, instant};

    /// Users A, B and C join on day 0; A returns on day 1, B on day 5, C never.
    fn three_users() -> Vec<UserActivity> {
        let day = |text: &str| Period::of(Granularity::Day, date(text));
        vec![
            UserActivity { cohort_date: date("2024-01-01"), active_periods: vec![day("2024-01-01"), day("2024-01-02")] },
            UserActivity { cohort_date: date("2024-01-01"), active_periods: vec![day("2024-01-01"), day("2024-01-06")] },
            UserActivity { cohort_date: date("2024-01-01"), active_periods: vec![day("2024-01-01")] },
        ]
    }

    fn percents(cohort: &UserCohort) -> Vec<f64> {
        (0..7).map(|offset| (cohort.retention(offset).unwrap().fraction() * 1000.0).round() / 10.0).collect()
    }

    #[test]
    fn daily_on_retention_matches_the_check_value() {
        let table = new_user_cohorts(&three_users(), Granularity::Day, RetentionMode::On, date("2024-01-07"));
        assert_eq!(percents(&table.cohorts[0]), [100.0, 33.3, 0.0, 0.0, 0.0, 33.3, 0.0]);
    }

    #[test]
    fn daily_on_or_after_retention_matches_the_check_value() {
        let table = new_user_cohorts(&three_users(), Granularity::Day, RetentionMode::OnOrAfter, date("2024-01-07"));
        assert_eq!(percents(&table.cohorts[0]), [100.0, 66.7, 33.3, 33.3, 33.3, 33.3, 0.0]);
    }

    #[test]
    fn offsets_past_the_as_of_date_have_no_value() {
        let table = new_user_cohorts(&three_users(), Granularity::Day, RetentionMode::On, date("2024-01-03"));
        assert_eq!(table.cohorts[0].retained, [3, 1, 0]);
        assert_eq!(table.cohorts[0].retention(3), None);
    }

    #[test]
    fn cohorts_of_events_match_user_activity() {
        // Out of date order on purpose, with a signup before the first event and an event
        // after the as-of date.
        let mut log = events(&[
            ("a", "2024-01-20", "open"),
            ("b", "2024-01-03", "open"),
            ("a", "2024-01-02", "save"),
            ("c", "2024-02-10", "open"),
            ("a", "2024-02-01", "open"),
            ("b", "2024-03-15", "open"),
            ("a", "2024-01-20", "open"),
            ("d", "2024-04-02", "open"),
        ]);
        log.signup_of_user[2] = Some(instant("2023-12-30"));
        let as_of = date("2024-03-31");

        for granularity in [Granularity::Day, Granularity::Week, Granularity::Month] {
            for mode in [RetentionMode::On, RetentionMode::OnOrAfter] {
                let expected = new_user_cohorts(&user_activity(&log, granularity, as_of), granularity, mode, as_of);
                assert_eq!(new_user_cohorts_of_events(&log, granularity, mode, as_of), expected, "{granularity:?} {mode:?}");
            }
        }
        let monthly = new_user_cohorts_of_events(&log, Granularity::Month, RetentionMode::On, as_of);
        assert_eq!(monthly.cohorts[0].retained, [0, 0, 1, 0], "c signed up in December and returned in February");
        assert_eq!(monthly.cohorts[1].retained, [2, 1, 1]);
        let activity = user_activity(&log, Granularity::Month, as_of);
        assert_eq!(activity.len(), 3, "d has no event on or before the as-of date");
        assert_eq!(activity[0].active_periods.len(), 2);
        assert_eq!(activity[2].cohort_date, date("2023-12-30"));
    }

    #[test]
    fn empty_cohorts_and_averages() {
        let week = |text: &str| Period::of(Granularity::Week, date(text));
        let users = vec![
            UserActivity { cohort_date: date("2024-01-01"), active_periods: vec![week("2024-01-01"), week("2024-01-08")] },
            UserActivity { cohort_date: date("2024-01-02"), active_periods: vec![week("2024-01-02")] },
            UserActivity { cohort_date: date("2024-01-15"), active_periods: vec![week("2024-01-15"), week("2024-01-22")] },
        ];
        let table = new_user_cohorts(&users, Granularity::Week, RetentionMode::On, date("2024-01-28"));
        let sizes: Vec<u64> = table.cohorts.iter().map(|cohort| cohort.size).collect();
        assert_eq!(sizes, [2, 0, 1, 0]);
        assert_eq!(table.cohorts[1].retention(0), None, "a cohort with no users has no rate");

        let weighted = table.average(1, CohortAveraging::SizeWeighted, false).unwrap();
        assert_eq!((weighted.fraction, weighted.cohorts, weighted.users), (2.0 / 3.0, 2, 3));
        let unweighted = table.average(1, CohortAveraging::Unweighted, false).unwrap();
        assert_eq!(unweighted.fraction, 0.75);
        let with_empty = table.average(1, CohortAveraging::Unweighted, true).unwrap();
        assert_eq!((with_empty.fraction, with_empty.cohorts), (0.5, 3));

        let (cohort, share) = table.headline().unwrap();
        assert_eq!(cohort.period.label(), "2024-W03");
        assert_eq!(share.fraction(), 1.0);
    }
}
