//! Usage cards from a product event log (DAU, WAU, MAU, stickiness, feature and user adoption)
//! and the new-user retention card, with their chart series.

use chrono::NaiveDate;

use crate::format;
use crate::ingest::kinds::Events;
use crate::metrics::new_user_retention::{new_user_cohorts_of_events, UserCohort};
use crate::metrics::period::Granularity;
use crate::metrics::unavailable::Unavailable;
use crate::metrics::share::Share;
use crate::metrics::usage::adoption::{feature_adoption, feature_share_by_period, user_adoption_curve, FeatureAdoption};
use crate::metrics::usage::{daily_weekly_monthly_active_users, stickiness, ActiveUsers};

use super::readings;
use super::trend::{attach_trend, card_with_history, recent_periods};
use super::{as_of, caption, card, headline_period, Card, Dashboard, DashboardOptions, Reading, UserAdoptionCurve};

/// Adds the usage cards and series.
pub(super) fn add_usage_content(dashboard: &mut Dashboard, events: &Events, options: &DashboardOptions) {
    let (Some(first), Some(last)) = (events.time.iter().min(), events.time.iter().max()) else {
        let reason = Unavailable::ZeroDenominator { what: "the number of events" };
        for id in ["dau", "wau", "mau", "stickiness", "feature_adoption", "user_adoption", "new_user_retention"] {
            dashboard.cards.push(card(id, Err(reason.clone())));
        }
        return;
    };
    // A partial last day takes a whole day's count down but a week's or a month's only by a
    // day's share, so only the DAU card waits until the log contains a later event.
    let dau_as_of = as_of(last_whole_day(last.date()), options);
    let (first, as_of) = (first.date(), as_of(last.date(), options));

    let [daily, weekly, monthly] = daily_weekly_monthly_active_users(events, as_of);
    dashboard.cards.push(active_card("dau", &daily, first, dau_as_of, Granularity::Day));
    dashboard.cards.push(active_card("wau", &weekly, first, as_of, Granularity::Week));
    dashboard.cards.push(active_card("mau", &monthly, first, as_of, Granularity::Month));
    dashboard.cards.push(stickiness_card(&daily, &monthly, first, as_of));
    dashboard.dau_series = Some(daily);

    add_adoption(dashboard, events, first, as_of, options);
    add_new_user_retention(dashboard, events, as_of, options);
}

/// Returns the last day that an event log whose last event falls on `last_event_day` covers
/// whole: the day before. A day counts as complete only once the log contains a later event,
/// because an export taken during a day holds only part of that day's activity.
fn last_whole_day(last_event_day: NaiveDate) -> NaiveDate {
    last_event_day.pred_opt().unwrap_or(last_event_day)
}

/// Active users of the latest complete period of `granularity`, with the periods before.
fn active_card(id: &'static str, series: &[ActiveUsers], first: NaiveDate, as_of: NaiveDate, granularity: Granularity) -> Card {
    card_with_history(id, headline_period(first, as_of, granularity), first, |period| {
        let users = series.iter().find(|entry| entry.period == period).map_or(0, |entry| entry.users);
        Ok(readings::number(period, users as f64, format::thousands(users), users, "active users"))
    })
}

/// Stickiness of the latest complete month, with the months before.
fn stickiness_card(daily: &[ActiveUsers], monthly: &[ActiveUsers], first: NaiveDate, as_of: NaiveDate) -> Card {
    card_with_history("stickiness", headline_period(first, as_of, Granularity::Month), first, |month| {
        stickiness(daily, monthly, month).map(|result| Reading {
            inputs: vec![("mean DAU", result.mean_dau.to_string()), ("MAU", result.mau.to_string())],
            ..readings::number(result.month, result.fraction, format::percent(result.fraction), result.mau, "monthly active users")
        })
    })
}

/// Adds feature adoption in the headline period and the user adoption curve of the chosen (or
/// most adopted) feature.
fn add_adoption(dashboard: &mut Dashboard, events: &Events, first: NaiveDate, as_of: NaiveDate, options: &DashboardOptions) {
    let period = match headline_period(first, as_of, options.granularity) {
        Ok(period) => period,
        Err(reason) => {
            dashboard.cards.push(card("feature_adoption", Err(reason.clone())));
            dashboard.cards.push(card("user_adoption", Err(reason)));
            return;
        }
    };
    let adoption = match feature_adoption(events, period) {
        Ok(adoption) => adoption,
        Err(reason) => {
            dashboard.cards.push(card("feature_adoption", Err(reason.clone())));
            dashboard.cards.push(card("user_adoption", Err(reason)));
            return;
        }
    };

    let chosen = options
        .adoption_feature
        .as_ref()
        .and_then(|name| adoption.iter().find(|feature| &feature.name == name))
        .or(adoption.first());
    let Some(feature) = chosen else {
        dashboard.cards.push(card("feature_adoption", Err(Unavailable::ZeroDenominator { what: "the number of features used" })));
        dashboard.feature_adoption = Some(adoption);
        return;
    };
    let history = recent_periods(period, first);
    let shares = feature_share_by_period(events, feature.feature, &history);
    let mut feature_card = card_with_history("feature_adoption", Ok(period), first, |earlier| {
        let share = if earlier == period {
            Ok(feature.share)
        } else {
            match history.iter().position(|known| *known == earlier) {
                Some(index) => shares[index].clone(),
                None => feature_adoption(events, earlier).and_then(|features| share_of_feature(&features, feature.feature)),
            }
        };
        share.map(|share| readings::share(earlier, share, "active users"))
    });
    caption(&mut feature_card, |label| format!("{}, {label}", feature.name));
    dashboard.cards.push(feature_card);

    let points = user_adoption_curve(events, feature.feature, options.granularity, as_of, &|_| true);
    let mut user_card = card_with_history("user_adoption", Ok(period), first, |earlier| {
        let at_period = points.iter().find(|point| point.period == earlier).and_then(|point| point.share);
        at_period
            .map(|share| readings::share(earlier, share, "known users"))
            .ok_or(Unavailable::ZeroDenominator { what: "the number of known users" })
    });
    caption(&mut user_card, |label| format!("{}, by {label}", feature.name));
    dashboard.cards.push(user_card);
    dashboard.user_adoption = Some(UserAdoptionCurve { feature: feature.name.clone(), points });
    dashboard.feature_adoption = Some(adoption);
}

/// Returns the adoption share of `feature` among `features` of one period; a feature nobody
/// used in it has 0 of the period's active users.
fn share_of_feature(features: &[FeatureAdoption], feature: u32) -> Result<Share, Unavailable> {
    if let Some(found) = features.iter().find(|other| other.feature == feature) {
        return Ok(found.share);
    }
    let active_users = features.first().map_or(0, |any| any.share.denominator);
    Share::new(0, active_users).ok_or(Unavailable::ZeroDenominator { what: "the period's active users" })
}

/// Adds the new-user retention card (offset 1 of the latest non-empty cohort complete for it)
/// and the cohort table.
fn add_new_user_retention(dashboard: &mut Dashboard, events: &Events, as_of: NaiveDate, options: &DashboardOptions) {
    let table = new_user_cohorts_of_events(events, options.granularity, options.retention_mode, as_of);
    let cohort_reading = |cohort: &UserCohort| {
        cohort.retention(1).map(|share| Reading {
            period_label: format!("{} cohort, next {}", cohort.period.long_label(), options.granularity.name()),
            ..readings::share(cohort.period, share, "users in the cohort")
        })
    };
    // The headline is the latest non-empty cohort complete for offset 1; the cohorts before it
    // form its history, an empty one left out.
    let complete: Vec<Reading> = table.cohorts.iter().filter_map(cohort_reading).collect();
    let history: Vec<Result<Reading, Unavailable>> = complete.into_iter().map(Ok).collect();
    let mut retention = match history.last() {
        Some(headline) => card("new_user_retention", headline.clone()),
        None => card("new_user_retention", Err(Unavailable::NoCompletePeriod { granularity: options.granularity.name(), as_of })),
    };
    attach_trend(&mut retention, &history);
    dashboard.cards.push(retention);
    dashboard.new_user_cohorts = Some(table);
}

