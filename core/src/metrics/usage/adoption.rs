//! Feature adoption (per period: share of active users, depth in active days, time to first
//! use) and user adoption (cumulative share of known users who ever used a feature).

use serde::{Deserialize, Serialize};
use chrono::NaiveDate;

use crate::ingest::kinds::{Events, Timestamp};
use crate::metrics::period::{Granularity, Period};
use crate::metrics::share::Share;
use crate::metrics::unavailable::Unavailable;

const SECONDS_PER_DAY: f64 = 86_400.0;

/// Adoption of one feature (event name) in one period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureAdoption {
    /// Index into `Events::event_names`.
    pub feature: u32,
    pub name: String,
    /// Users who used the feature in the period / users active in the period.
    pub share: Share,
    /// `active_days[d - 1]`: users of the feature who used it on exactly d distinct days of the
    /// period.
    pub active_days: Vec<u64>,
    /// Median, over users who used the feature by the period's end, of the days from their
    /// first event of any kind to their first use of the feature; fractional days.
    pub median_days_to_first_use: Option<f64>,
}

/// Computes the adoption of every feature used in `period`, most adopted first.
pub fn feature_adoption(events: &Events, period: Period) -> Result<Vec<FeatureAdoption>, Unavailable> {
    let grouped = UsesByFeature::group(events, period);
    if grouped.active_users == 0 {
        return Err(Unavailable::ZeroDenominator { what: "the number of active users in the period" });
    }

    let mut day_counter = DayCounter::new(events.user_ids.len(), grouped.period_days);
    let mut first_use = FirstUse::new(events.user_ids.len());
    let mut result: Vec<FeatureAdoption> = Vec::new();
    for feature in 0..grouped.feature_count() {
        let in_period = grouped.in_period(feature);
        if in_period.is_empty() {
            continue;
        }
        let day_counts = day_counter.distinct_days_per_user(in_period);
        let Some(share) = Share::new(day_counts.len() as u64, grouped.active_users) else {
            continue;
        };
        let delays = first_use.delays(grouped.uses(feature), &grouped.first_activity);
        result.push(FeatureAdoption {
            feature: feature as u32,
            name: events.event_names.get(feature).cloned().unwrap_or_default(),
            share,
            active_days: histogram(day_counts.into_iter()),
            median_days_to_first_use: median(&delays),
        });
    }
    result.sort_by(|a, b| b.share.numerator.cmp(&a.share.numerator).then_with(|| a.name.cmp(&b.name)));
    Ok(result)
}

/// The events before a period's end, grouped by feature with a counting sort, so that
/// [`feature_adoption`] reads each feature's events without sorting them.
struct UsesByFeature {
    /// The time of each user's first event before the period's end, in seconds.
    first_activity: Vec<Option<i64>>,
    /// `uses[use_starts[f]..use_starts[f + 1]]`: `(user, seconds)` of feature `f`'s events
    /// before the period's end, in file order.
    use_starts: Vec<usize>,
    uses: Vec<(u32, i64)>,
    /// `in_period[period_starts[f]..period_starts[f + 1]]`: `(user, day)` of feature `f`'s
    /// events inside the period, the day counted from the period's first day.
    period_starts: Vec<usize>,
    in_period: Vec<(u32, u32)>,
    /// Distinct users with an event inside the period.
    active_users: u64,
    /// Calendar days in the period.
    period_days: usize,
}

impl UsesByFeature {
    /// Groups the events before the end of `period` in two passes over the log: one counts the
    /// events of each feature, the other places them.
    fn group(events: &Events, period: Period) -> Self {
        let end = period.end_instant().seconds;
        let start = period.start_instant().seconds;
        let first_day = start.div_euclid(86_400);
        let user_count = events.user_ids.len();

        let mut first_activity: Vec<Option<i64>> = vec![None; user_count];
        let mut is_active = vec![false; user_count];
        let mut active_users = 0u64;
        let mut use_counts: Vec<usize> = Vec::new();
        let mut period_counts: Vec<usize> = Vec::new();
        for ((user, feature), time) in events.user.iter().zip(&events.event).zip(&events.time) {
            if time.seconds >= end {
                continue;
            }
            let known = &mut first_activity[*user as usize];
            *known = Some(known.map_or(time.seconds, |known| known.min(time.seconds)));
            let feature = *feature as usize;
            if use_counts.len() <= feature {
                use_counts.resize(feature + 1, 0);
                period_counts.resize(feature + 1, 0);
            }
            use_counts[feature] += 1;
            if time.seconds >= start {
                period_counts[feature] += 1;
                if !is_active[*user as usize] {
                    is_active[*user as usize] = true;
                    active_users += 1;
                }
            }
        }

        let use_starts = prefix_sums(&use_counts);
        let period_starts = prefix_sums(&period_counts);
        let mut uses = vec![(0u32, 0i64); use_starts[use_starts.len() - 1]];
        let mut in_period = vec![(0u32, 0u32); period_starts[period_starts.len() - 1]];
        let mut next_use = use_starts.clone();
        let mut next_in_period = period_starts.clone();
        for ((user, feature), time) in events.user.iter().zip(&events.event).zip(&events.time) {
            if time.seconds >= end {
                continue;
            }
            let feature = *feature as usize;
            uses[next_use[feature]] = (*user, time.seconds);
            next_use[feature] += 1;
            if time.seconds >= start {
                let day = (time.seconds.div_euclid(86_400) - first_day) as u32;
                in_period[next_in_period[feature]] = (*user, day);
                next_in_period[feature] += 1;
            }
        }

        let period_days = ((end - start) / 86_400) as usize;
        UsesByFeature { first_activity, use_starts, uses, period_starts, in_period, active_users, period_days }
    }

    fn feature_count(&self) -> usize {
        self.use_starts.len() - 1
    }

    fn uses(&self, feature: usize) -> &[(u32, i64)] {
        &self.uses[self.use_starts[feature]..self.use_starts[feature + 1]]
    }

    fn in_period(&self, feature: usize) -> &[(u32, u32)] {
        &self.in_period[self.period_starts[feature]..self.period_starts[feature + 1]]
    }
}

/// Returns the start offset of each group of `counts` in a grouped list, with the list's
/// length last.
fn prefix_sums(counts: &[usize]) -> Vec<usize> {
    let mut starts = Vec::with_capacity(counts.len() + 1);
    let mut total = 0;
    starts.push(total);
    for count in counts {
        total += count;
        starts.push(total);
    }
    starts
}

/// Counts the distinct days on which each user had an event, with one bit per day of the
/// period for each user. The bits of the users it reports are cleared again, so one counter
/// serves every feature.
struct DayCounter {
    words_per_user: usize,
    days: Vec<u64>,
    users: Vec<u32>,
}

impl DayCounter {
    fn new(user_count: usize, period_days: usize) -> Self {
        let words_per_user = period_days.div_ceil(64).max(1);
        DayCounter { words_per_user, days: vec![0; user_count * words_per_user], users: Vec::new() }
    }

    /// Returns, for each user of `events` (`(user, day)` pairs), the number of distinct days,
    /// in the order the users first appear.
    fn distinct_days_per_user(&mut self, events: &[(u32, u32)]) -> Vec<u64> {
        for (user, day) in events {
            let words = &mut self.days[*user as usize * self.words_per_user..][..self.words_per_user];
            if words.iter().all(|word| *word == 0) {
                self.users.push(*user);
            }
            words[*day as usize / 64] |= 1 << (*day % 64);
        }
        let mut counts = Vec::with_capacity(self.users.len());
        for user in self.users.drain(..) {
            let words = &mut self.days[user as usize * self.words_per_user..][..self.words_per_user];
            counts.push(words.iter().map(|word| u64::from(word.count_ones())).sum());
            words.fill(0);
        }
        counts
    }
}

/// Finds each user's first use of a feature. Its per-user slots are emptied again after each
/// feature, so one instance serves every feature.
struct FirstUse {
    earliest: Vec<Option<i64>>,
    users: Vec<u32>,
}

impl FirstUse {
    fn new(user_count: usize) -> Self {
        FirstUse { earliest: vec![None; user_count], users: Vec::new() }
    }

    /// Returns the seconds from each user's first event to their first use of the feature,
    /// from the feature's `(user, seconds)` uses, in the order the users first appear.
    fn delays(&mut self, uses: &[(u32, i64)], first_activity: &[Option<i64>]) -> Vec<i64> {
        for (user, seconds) in uses {
            let slot = &mut self.earliest[*user as usize];
            if slot.is_none() {
                self.users.push(*user);
            }
            *slot = Some(slot.map_or(*seconds, |known| known.min(*seconds)));
        }
        let mut delays = Vec::with_capacity(self.users.len());
        for user in self.users.drain(..) {
            let first_use = self.earliest[user as usize].take();
            if let (Some(first), Some(first_use)) = (first_activity[user as usize], first_use) {
                delays.push(first_use - first);
            }
        }
        delays
    }
}

/// Computes, for each of `periods` (sorted and not overlapping), the share of the period's
/// active users who used `feature` in it, in one pass over the events. Each share equals the
/// one [`feature_adoption`] reports for the feature, or 0 of the active users when no user used it.
pub fn feature_share_by_period(events: &Events, feature: u32, periods: &[Period]) -> Vec<Result<Share, Unavailable>> {
    let bounds: Vec<(i64, i64)> = periods.iter().map(|period| (period.start_instant().seconds, period.end_instant().seconds)).collect();
    let user_count = events.user_ids.len();
    let mut active = UserSets::new(periods.len(), user_count);
    let mut adopters = UserSets::new(periods.len(), user_count);

    // Consecutive events usually fall in the same period, so the last match is tried first.
    let mut last_match: Option<usize> = None;
    for ((user, used), time) in events.user.iter().zip(&events.event).zip(&events.time) {
        let cached = last_match.filter(|index| bounds[*index].0 <= time.seconds && time.seconds < bounds[*index].1);
        let found = cached.or_else(|| {
            let after = bounds.partition_point(|(start, _)| *start <= time.seconds);
            after.checked_sub(1).filter(|index| time.seconds < bounds[*index].1)
        });
        let Some(index) = found else {
            continue;
        };
        last_match = Some(index);
        active.insert(index, *user);
        if *used == feature {
            adopters.insert(index, *user);
        }
    }

    (0..periods.len())
        .map(|index| {
            Share::new(adopters.count(index), active.count(index)).ok_or(Unavailable::ZeroDenominator { what: "the number of active users in the period" })
        })
        .collect()
}

/// One set of user indices per period, as bits.
struct UserSets {
    words_per_set: usize,
    bits: Vec<u64>,
}

impl UserSets {
    fn new(sets: usize, users: usize) -> Self {
        let words_per_set = users.div_ceil(64);
        UserSets { words_per_set, bits: vec![0; sets * words_per_set] }
    }

    fn insert(&mut self, set: usize, user: u32) {
        let user = user as usize;
        if let Some(word) = self.bits.get_mut(set * self.words_per_set + user / 64) {
            *word |= 1 << (user % 64);
        }
    }

    fn count(&self, set: usize) -> u64 {
        let words = &self.bits[set * self.words_per_set..(set + 1) * self.words_per_set];
        words.iter().map(|word| u64::from(word.count_ones())).sum()
    }
}

/// Counts how many users used a feature on 1, 2, 3… days.
fn histogram(day_counts: impl Iterator<Item = u64>) -> Vec<u64> {
    let mut counts: Vec<u64> = Vec::new();
    for days in day_counts {
        let index = days.saturating_sub(1) as usize;
        if counts.len() <= index {
            counts.resize(index + 1, 0);
        }
        counts[index] += 1;
    }
    counts
}

/// The median of seconds, in days: the mean of the two middle values for an even count.
/// Selects the middle values in O(n) instead of sorting, which gives the same values.
fn median(seconds: &[i64]) -> Option<f64> {
    let mut values = seconds.to_vec();
    let middle = values.len() / 2;
    let value = match values.len() {
        0 => return None,
        length if length % 2 == 1 => *values.select_nth_unstable(middle).1 as f64,
        _ => {
            let (lower, upper, _) = values.select_nth_unstable(middle);
            let below = lower.iter().max().copied().unwrap_or(*upper);
            (below as f64 + *upper as f64) / 2.0
        }
    };
    Some(value / SECONDS_PER_DAY)
}

/// The cumulative user adoption of a feature at the end of one period.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdoptionPoint {
    pub period: Period,
    /// Users who used the feature before the period's end / users known by then (signed up or
    /// active). `None` while nobody is known.
    pub share: Option<Share>,
}

/// Computes user adoption of `feature` at the end of each period from the first event's to
/// the one containing `as_of`, over the users that `include` accepts.
pub fn user_adoption_curve(events: &Events, feature: u32, granularity: Granularity, as_of: NaiveDate, include: &dyn Fn(u32) -> bool) -> Vec<AdoptionPoint> {
    let mut known: Vec<Option<Timestamp>> = events.signup_of_user.clone();
    known.resize(events.user_ids.len(), None);
    let mut adopted: Vec<Option<Timestamp>> = vec![None; events.user_ids.len()];
    for ((user, event), time) in events.user.iter().zip(&events.event).zip(&events.time) {
        let slot = &mut known[*user as usize];
        *slot = Some(slot.map_or(*time, |known| known.min(*time)));
        if *event == feature {
            let slot = &mut adopted[*user as usize];
            *slot = Some(slot.map_or(*time, |adopted| adopted.min(*time)));
        }
    }

    let Some(first) = events.time.iter().min() else {
        return Vec::new();
    };
    let first_period = Period::of_instant(granularity, *first);
    let last_period = Period::of(granularity, as_of);
    let periods: Vec<Period> = (0..=last_period.periods_since(first_period).max(-1)).map(|offset| first_period.plus(offset)).collect();
    let ends: Vec<Timestamp> = periods.iter().map(|period| period.end_instant()).collect();

    let users = (0..events.user_ids.len() as u32).filter(|user| include(*user));
    let known_counts = counts_before_each_end(users.clone().filter_map(|user| known[user as usize]), &ends);
    let adopted_counts = counts_before_each_end(users.filter_map(|user| adopted[user as usize]), &ends);
    periods
        .into_iter()
        .zip(known_counts.into_iter().zip(adopted_counts))
        .map(|(period, (known_count, adopted_count))| AdoptionPoint { period, share: Share::new(adopted_count, known_count) })
        .collect()
}

/// Counts, for each of `ends` (ascending), the `times` before it. Each time is counted once in
/// the bucket of the first end after it, and the buckets are then summed, in
/// O(times · log(ends) + ends) with no sort of the times.
fn counts_before_each_end(times: impl Iterator<Item = Timestamp>, ends: &[Timestamp]) -> Vec<u64> {
    let mut buckets = vec![0u64; ends.len() + 1];
    for time in times {
        buckets[ends.partition_point(|end| *end <= time)] += 1;
    }
    let mut total = 0;
    buckets[..ends.len()]
        .iter()
        .map(|count| {
            total += count;
            total
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testing::{date, events, instant};

    #[test]
    fn feature_share_depth_and_time_to_first_use() {
        let log = events(&[
            ("a", "2024-03-01 10:00:00", "open"),
            ("a", "2024-03-02 10:00:00", "export"),
            ("a", "2024-03-04 09:00:00", "export"),
            ("a", "2024-03-04 11:00:00", "export"),
            ("b", "2024-02-20 10:00:00", "open"),
            ("b", "2024-03-03 10:00:00", "export"),
            ("c", "2024-03-05 10:00:00", "open"),
        ]);
        let march = Period::of(Granularity::Month, date("2024-03-01"));
        let adoption = feature_adoption(&log, march).unwrap();
        let export = adoption.iter().find(|feature| feature.name == "export").unwrap();
        assert_eq!((export.share.numerator, export.share.denominator), (2, 3));
        assert_eq!(export.active_days, [1, 1]);
        // a: 1 day after first activity; b: 12 days. Median of two is their mean, 6.5 days.
        assert_eq!(export.median_days_to_first_use, Some(6.5));
        let open = adoption.iter().find(|feature| feature.name == "open").unwrap();
        assert_eq!(open.share.numerator, 2);
    }

    #[test]
    fn share_history_matches_feature_adoption_per_period() {
        let log = events(&[
            ("a", "2024-01-31 23:59:59", "open"),
            ("a", "2024-02-01 00:00:00", "export"),
            ("b", "2024-02-14 10:00:00", "open"),
            ("b", "2024-02-15 10:00:00", "export"),
            ("c", "2024-03-05 10:00:00", "open"),
            ("a", "2024-03-06 10:00:00", "open"),
            ("d", "2024-05-01 10:00:00", "export"),
        ]);
        let export = log.event_names.iter().position(|name| name == "export").unwrap() as u32;
        let periods: Vec<Period> = (0..5).map(|back| Period::of(Granularity::Month, date("2024-01-01")).plus(back)).collect();

        let shares = feature_share_by_period(&log, export, &periods);

        let expected: Vec<Option<(u64, u64)>> = vec![Some((0, 1)), Some((2, 2)), Some((0, 2)), None, Some((1, 1))];
        let found: Vec<Option<(u64, u64)>> = shares.iter().map(|share| share.as_ref().ok().map(|share| (share.numerator, share.denominator))).collect();
        assert_eq!(found, expected);
        for (period, share) in periods.iter().zip(&shares) {
            let direct = feature_adoption(&log, *period).map(|features| features.iter().find(|feature| feature.feature == export).map_or(0, |feature| feature.share.numerator));
            assert_eq!(share.as_ref().map(|share| share.numerator).ok(), direct.ok(), "{}", period.label());
        }
    }

    #[test]
    fn a_period_without_events_has_no_adoption() {
        let log = events(&[("a", "2024-03-01", "open")]);
        let april = Period::of(Granularity::Month, date("2024-04-01"));
        assert!(matches!(feature_adoption(&log, april), Err(Unavailable::ZeroDenominator { .. })));
    }

    #[test]
    fn user_adoption_is_cumulative_over_known_users() {
        let mut log = events(&[
            ("a", "2024-01-05", "open"),
            ("a", "2024-02-05", "export"),
            ("b", "2024-01-10", "open"),
            ("c", "2024-03-01", "export"),
        ]);
        log.signup_of_user[1] = Some(instant("2023-12-20"));
        let feature = log.event_names.iter().position(|name| name == "export").unwrap() as u32;
        let curve = user_adoption_curve(&log, feature, Granularity::Month, date("2024-03-31"), &|_| true);
        let shares: Vec<(u64, u64)> = curve.iter().map(|point| point.share.map_or((0, 0), |share| (share.numerator, share.denominator))).collect();
        assert_eq!(shares, [(0, 2), (1, 2), (2, 3)]);
        let without_c = user_adoption_curve(&log, feature, Granularity::Month, date("2024-03-31"), &|user| user != 2);
        assert_eq!(without_c[2].share.map(|share| share.numerator), Some(1));
    }
}
