//! Feature adoption (per period: share of active users, depth in active days, time to first
//! use) and user adoption (cumulative share of known users who ever used a feature).

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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
    let end = period.end_instant();
    let start = period.start_instant();

    let mut first_activity: Vec<Option<Timestamp>> = vec![None; events.user_ids.len()];
    let mut uses: Vec<(u32, u32, i64)> = Vec::new();
    let mut in_period: Vec<(u32, u32, i64)> = Vec::new();
    for ((user, feature), time) in events.user.iter().zip(&events.event).zip(&events.time) {
        if *time >= end {
            continue;
        }
        let known = &mut first_activity[*user as usize];
        *known = Some(known.map_or(*time, |known| known.min(*time)));
        uses.push((*feature, *user, time.seconds));
        if *time >= start {
            in_period.push((*feature, *user, time.seconds.div_euclid(86_400)));
        }
    }

    let mut active: Vec<u32> = in_period.iter().map(|entry| entry.1).collect();
    active.sort_unstable();
    active.dedup();
    let active_count = active.len() as u64;
    if active_count == 0 {
        return Err(Unavailable::ZeroDenominator { what: "the number of active users in the period" });
    }

    let delays = delays_to_first_use(uses, &first_activity);
    let mut result: Vec<FeatureAdoption> = days_per_feature_user(in_period)
        .into_iter()
        .filter_map(|(feature, day_counts)| {
            let share = Share::new(day_counts.len() as u64, active_count)?;
            Some(FeatureAdoption {
                feature,
                name: events.event_names.get(feature as usize).cloned().unwrap_or_default(),
                share,
                active_days: histogram(day_counts.into_iter()),
                median_days_to_first_use: delays.get(&feature).and_then(|delays| median(delays)),
            })
        })
        .collect();
    result.sort_by(|a, b| b.share.numerator.cmp(&a.share.numerator).then_with(|| a.name.cmp(&b.name)));
    Ok(result)
}

/// Computes, for each of `periods` (sorted and not overlapping), the share of the period's
/// active users who used `feature` in it, in one pass over the events. Each share equals the
/// one [`feature_adoption`] reports for the feature, or 0 of the active users when no user used it.
pub fn feature_share_by_period(events: &Events, feature: u32, periods: &[Period]) -> Vec<Result<Share, Unavailable>> {
    let bounds: Vec<(i64, i64)> = periods.iter().map(|period| (period.start_instant().seconds, period.end_instant().seconds)).collect();
    let user_count = events.user_ids.len();
    let mut active = UserSets::new(periods.len(), user_count);
    let mut adopters = UserSets::new(periods.len(), user_count);

    for ((user, used), time) in events.user.iter().zip(&events.event).zip(&events.time) {
        let after = bounds.partition_point(|(start, _)| *start <= time.seconds);
        let Some(index) = after.checked_sub(1).filter(|index| time.seconds < bounds[*index].1) else {
            continue;
        };
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

/// Groups `(feature, user, day)` triples into, per feature, the number of distinct days of each
/// of its users.
fn days_per_feature_user(mut in_period: Vec<(u32, u32, i64)>) -> Vec<(u32, Vec<u64>)> {
    in_period.sort_unstable();
    in_period.dedup();
    let mut grouped: Vec<(u32, Vec<u64>)> = Vec::new();
    let mut previous: Option<(u32, u32)> = None;
    for (feature, user, _) in in_period {
        if grouped.last().is_none_or(|(known, _)| *known != feature) {
            grouped.push((feature, Vec::new()));
        }
        let Some((_, day_counts)) = grouped.last_mut() else {
            continue;
        };
        if previous == Some((feature, user)) {
            if let Some(days) = day_counts.last_mut() {
                *days += 1;
            }
        } else {
            day_counts.push(1);
        }
        previous = Some((feature, user));
    }
    grouped
}

/// Seconds from each user's first event to their first use, per feature, from
/// `(feature, user, seconds)` uses.
fn delays_to_first_use(uses: Vec<(u32, u32, i64)>, first_activity: &[Option<Timestamp>]) -> HashMap<u32, Vec<i64>> {
    let mut delays: HashMap<u32, Vec<i64>> = HashMap::new();
    let mut earliest: Vec<Option<i64>> = vec![None; first_activity.len()];
    let mut users_of_feature: Vec<u32> = Vec::new();
    for (feature, feature_uses) in uses_by_feature(uses) {
        for (user, seconds) in feature_uses {
            let slot = &mut earliest[user as usize];
            if slot.is_none() {
                users_of_feature.push(user);
            }
            *slot = Some(slot.map_or(seconds, |known| known.min(seconds)));
        }
        for user in users_of_feature.drain(..) {
            let first_use = earliest[user as usize].take();
            if let (Some(first), Some(first_use)) = (first_activity[user as usize], first_use) {
                delays.entry(feature).or_default().push(first_use - first.seconds);
            }
        }
    }
    delays
}

/// Groups `(feature, user, seconds)` uses into one list per feature, in O(uses + features),
/// keeping file order within a feature.
fn uses_by_feature(uses: Vec<(u32, u32, i64)>) -> Vec<(u32, Vec<(u32, i64)>)> {
    let feature_count = uses.iter().map(|(feature, _, _)| *feature as usize + 1).max().unwrap_or(0);
    let mut per_feature: Vec<Vec<(u32, i64)>> = vec![Vec::new(); feature_count];
    for (feature, user, seconds) in uses {
        per_feature[feature as usize].push((user, seconds));
    }
    per_feature.into_iter().enumerate().filter(|(_, uses)| !uses.is_empty()).map(|(feature, uses)| (feature as u32, uses)).collect()
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
fn median(seconds: &[i64]) -> Option<f64> {
    let mut sorted = seconds.to_vec();
    sorted.sort_unstable();
    let middle = sorted.len() / 2;
    let value = match sorted.len() {
        0 => return None,
        length if length % 2 == 1 => sorted[middle] as f64,
        _ => (sorted[middle - 1] as f64 + sorted[middle] as f64) / 2.0,
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

    let users = (0..events.user_ids.len() as u32).filter(|user| include(*user));
    let mut known_times: Vec<Timestamp> = users.clone().filter_map(|user| known[user as usize]).collect();
    let mut adopted_times: Vec<Timestamp> = users.filter_map(|user| adopted[user as usize]).collect();
    known_times.sort_unstable();
    adopted_times.sort_unstable();
    let Some(first) = events.time.iter().min() else {
        return Vec::new();
    };

    let first_period = Period::of_instant(granularity, *first);
    let last_period = Period::of(granularity, as_of);
    (0..=last_period.periods_since(first_period).max(-1))
        .map(|offset| {
            let period = first_period.plus(offset);
            let end = period.end_instant();
            let known_count = known_times.partition_point(|time| *time < end) as u64;
            let adopted_count = adopted_times.partition_point(|time| *time < end) as u64;
            AdoptionPoint { period, share: Share::new(adopted_count, known_count) }
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
