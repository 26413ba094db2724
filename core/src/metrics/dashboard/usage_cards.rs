//! Usage cards from a product event log (DAU, WAU, MAU, stickiness, feature and user adoption)
//! and the new-user retention card, with their chart series.

use chrono::NaiveDate;

use crate::format;
use crate::ingest::kinds::Events;
use crate::metrics::new_user_retention::{new_user_cohorts, user_activity};
use crate::metrics::period::Granularity;
use crate::metrics::unavailable::Unavailable;
use crate::metrics::usage::adoption::{feature_adoption, user_adoption_curve};
use crate::metrics::usage::{active_users, stickiness, ActiveUsers};

use super::readings;
use super::{as_of, card, headline_period, Dashboard, DashboardOptions, Reading, UserAdoptionCurve};

/// Adds the usage cards and series.
pub(super) fn add_usage_content(dashboard: &mut Dashboard, events: &Events, options: &DashboardOptions) {
    let (Some(first), Some(last)) = (events.time.iter().min(), events.time.iter().max()) else {
        let reason = Unavailable::ZeroDenominator { what: "the number of events" };
        for id in ["dau", "wau", "mau", "stickiness", "feature_adoption", "user_adoption", "new_user_retention"] {
            dashboard.cards.push(card(id, Err(reason.clone())));
        }
        return;
    };
    let (first, as_of) = (first.date(), as_of(last.date(), options));

    let daily = active_users(events, Granularity::Day, as_of);
    let weekly = active_users(events, Granularity::Week, as_of);
    let monthly = active_users(events, Granularity::Month, as_of);
    dashboard.cards.push(card("dau", active_reading(&daily, first, as_of, Granularity::Day)));
    dashboard.cards.push(card("wau", active_reading(&weekly, first, as_of, Granularity::Week)));
    dashboard.cards.push(card("mau", active_reading(&monthly, first, as_of, Granularity::Month)));
    let month = headline_period(first, as_of, Granularity::Month);
    let sticky = month.and_then(|month| stickiness(&daily, &monthly, month)).map(|result| Reading {
        inputs: vec![("mean DAU", result.mean_dau.to_string()), ("MAU", result.mau.to_string())],
        ..readings::number(result.month, result.fraction, format::percent(result.fraction), result.mau, "monthly active users")
    });
    dashboard.cards.push(card("stickiness", sticky));
    dashboard.dau_series = Some(daily);

    add_adoption(dashboard, events, first, as_of, options);
    add_new_user_retention(dashboard, events, as_of, options);
}

/// Active users of the latest complete period of `granularity`.
fn active_reading(series: &[ActiveUsers], first: NaiveDate, as_of: NaiveDate, granularity: Granularity) -> Result<Reading, Unavailable> {
    let period = headline_period(first, as_of, granularity)?;
    let users = series.iter().find(|entry| entry.period == period).map_or(0, |entry| entry.users);
    Ok(readings::number(period, users as f64, format::thousands(users), users, "active users"))
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
    let feature_reading = chosen
        .map(|feature| {
            let reading = readings::share(period, feature.share, "active users");
            Reading { period_label: format!("{}, {}", feature.name, reading.period_label), ..reading }
        })
        .ok_or(Unavailable::ZeroDenominator { what: "the number of features used" });
    dashboard.cards.push(card("feature_adoption", feature_reading));

    if let Some(feature) = chosen {
        let points = user_adoption_curve(events, feature.feature, options.granularity, as_of, &|_| true);
        let at_period = points.iter().find(|point| point.period == period).and_then(|point| point.share);
        let reading = at_period
            .map(|share| {
                let reading = readings::share(period, share, "known users");
                Reading { period_label: format!("{}, by {}", feature.name, reading.period_label), ..reading }
            })
            .ok_or(Unavailable::ZeroDenominator { what: "the number of known users" });
        dashboard.cards.push(card("user_adoption", reading));
        dashboard.user_adoption = Some(UserAdoptionCurve { feature: feature.name.clone(), points });
    }
    dashboard.feature_adoption = Some(adoption);
}

/// Adds the new-user retention card (offset 1 of the latest non-empty cohort complete for it)
/// and the cohort table.
fn add_new_user_retention(dashboard: &mut Dashboard, events: &Events, as_of: NaiveDate, options: &DashboardOptions) {
    let users = user_activity(events, options.granularity, as_of);
    let table = new_user_cohorts(&users, options.granularity, options.retention_mode, as_of);
    let reading = table
        .headline()
        .map(|(cohort, share)| Reading {
            period_label: format!("{} cohort, next {}", cohort.period.long_label(), options.granularity.name()),
            ..readings::share(cohort.period, share, "users in the cohort")
        })
        .ok_or(Unavailable::NoCompletePeriod { granularity: options.granularity.name(), as_of });
    dashboard.cards.push(card("new_user_retention", reading));
    dashboard.new_user_cohorts = Some(table);
}

