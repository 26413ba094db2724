//! The metric engine on the real data sets beside the repository, checked against values that
//! `fixtures/scripts/expected_values.py` computed independently with Python's csv module (the
//! command is in the script's header). Counts and money must match exactly, rates to 1e-9.
//! The typed tables are built by the small reader in `support`, not by the ingest layer.

mod support;

use std::collections::HashMap;

use chrono::NaiveDate;
use headlights_core::ingest::Money;
use headlights_core::metrics::experience::csat::csat;
use headlights_core::metrics::new_user_retention::{new_user_cohorts, user_activity, RetentionMode};
use headlights_core::metrics::period::{Granularity, Period};
use headlights_core::metrics::segments::SegmentGroups;
use headlights_core::metrics::snapshot::churn_by_segment;
use headlights_core::metrics::usage::adoption::feature_adoption;
use headlights_core::metrics::usage::{active_users, stickiness};
use support::{corp_rep_survey, ecom_events, expected, number, telco_snapshot, TELCO_SEGMENTS};

fn assert_close(actual: f64, expected: f64, label: &str) {
    assert!((actual - expected).abs() <= 1e-9, "{label}: engine {actual}, expected {expected}");
}

/// Rows of a fixture keyed by (column, value).
fn by_column_value(name: &str) -> HashMap<(String, String), HashMap<String, String>> {
    expected(name).into_iter().map(|row| ((row["column"].clone(), row["value"].clone()), row)).collect()
}

#[test]
fn telco_churn_by_every_segment_column() {
    let snapshot = telco_snapshot();
    let expected = by_column_value("telco_churn_by_segment.csv");
    let mut checked = 0;

    for segment in &snapshot.segments {
        for row in churn_by_segment(&snapshot, segment) {
            let want = &expected[&(segment.name.clone(), row.label.clone())];
            assert_eq!(row.churn.denominator as i64, number(want, "members"), "{} = {}", segment.name, row.label);
            assert_eq!(row.churn.numerator as i64, number(want, "churned"), "{} = {}", segment.name, row.label);
            assert_close(row.churn.fraction(), number(want, "churned") as f64 / number(want, "members") as f64, &row.label);
            checked += 1;
        }
    }

    let fixture_groups = expected.keys().filter(|(column, _)| column != "(all)").count();
    assert_eq!(snapshot.segments.len(), TELCO_SEGMENTS.len());
    assert_eq!(checked, fixture_groups, "every segment value of the fixture was checked");
}

#[test]
fn telco_segment_groups_break_down_churn_and_mrr() {
    let snapshot = telco_snapshot();
    let expected = by_column_value("telco_churn_by_segment.csv");

    for segment in &snapshot.segments {
        let groups = SegmentGroups::new(segment);
        let rows = groups.break_down(|include| {
            let members = (0..snapshot.len() as u32).filter(|customer| include(*customer));
            let (mut churned, mut retained_mrr) = (0i64, Money::ZERO);
            for customer in members {
                if snapshot.churned[customer as usize] {
                    churned += 1;
                } else {
                    retained_mrr += snapshot.monthly_charge[customer as usize];
                }
            }
            (churned, retained_mrr)
        });
        for row in rows {
            let want = &expected[&(segment.name.clone(), row.label.clone())];
            assert_eq!(row.members as i64, number(want, "members"), "{} = {}", segment.name, row.label);
            assert_eq!(row.value.0, number(want, "churned"), "{} = {}", segment.name, row.label);
            assert_eq!(row.value.1, Money::from_cents(number(want, "retained_monthly_charges_cents")), "{} = {}", segment.name, row.label);
        }
    }
}

#[test]
fn corp_rep_top_two_box_csat_by_segment() {
    let survey = corp_rep_survey();
    let scale = survey.questions[0].scale;
    let expected = by_column_value("corp_rep_csat.csv");

    let everyone = csat(survey.questions[0].scores.iter().flatten().copied(), scale).unwrap();
    let all = &expected[&("(all)".to_string(), "(all)".to_string())];
    assert_eq!(everyone.satisfied.numerator as i64, number(all, "satisfied"));
    assert_eq!(everyone.satisfied.denominator as i64, number(all, "responses"));
    assert_close(everyone.mean.unwrap(), number(all, "score_sum") as f64 / number(all, "responses") as f64, "mean");

    for segment in &survey.segments {
        let groups = SegmentGroups::new(segment);
        let rows = groups.break_down(|include| {
            let scores = survey.questions[0].scores.iter().enumerate().filter(|(row, _)| include(*row as u32));
            csat(scores.filter_map(|(_, score)| *score), scale).unwrap()
        });
        assert!(!rows.is_empty());
        for row in rows {
            let want = &expected[&(segment.name.clone(), row.label.clone())];
            assert_eq!(row.value.satisfied.numerator as i64, number(want, "satisfied"), "{} = {}", segment.name, row.label);
            assert_eq!(row.value.satisfied.denominator as i64, number(want, "responses"), "{} = {}", segment.name, row.label);
            let mean = number(want, "score_sum") as f64 / number(want, "responses") as f64;
            assert_close(row.value.mean.unwrap(), mean, &row.label);
        }
    }
}

fn ecom_as_of() -> NaiveDate {
    let events = ecom_events();
    events.time.iter().max().map(|time| time.date()).expect("events")
}

#[test]
fn ecom_active_users_per_day_week_and_month() {
    let events = ecom_events();
    let as_of = ecom_as_of();
    let expected = expected("ecom_active_users.csv");

    for (name, granularity) in [("day", Granularity::Day), ("week", Granularity::Week), ("month", Granularity::Month)] {
        let series = active_users(&events, granularity, as_of);
        let want: HashMap<String, i64> = expected
            .iter()
            .filter(|row| row["granularity"] == name)
            .map(|row| (row["period"].clone(), number(row, "active_users")))
            .collect();
        let got: HashMap<String, i64> = series.iter().filter(|entry| entry.users > 0).map(|entry| (entry.period.label(), entry.users as i64)).collect();
        assert_eq!(got, want, "{name}ly active users");
    }
}

#[test]
fn ecom_stickiness_per_month() {
    let events = ecom_events();
    let as_of = ecom_as_of();
    let daily = active_users(&events, Granularity::Day, as_of);
    let monthly = active_users(&events, Granularity::Month, as_of);

    for row in expected("ecom_stickiness.csv") {
        let month = monthly.iter().find(|entry| entry.period.label() == row["month"]).expect("month in the series").period;
        let result = stickiness(&daily, &monthly, month).unwrap();
        assert_eq!(result.mau as i64, number(&row, "mau"), "{}", row["month"]);
        let mean_dau = number(&row, "dau_sum") as f64 / number(&row, "days_in_month") as f64;
        assert_close(result.mean_dau, mean_dau, &row["month"]);
        assert_close(result.fraction, mean_dau / number(&row, "mau") as f64, &row["month"]);
    }
}

#[test]
fn ecom_feature_adoption_per_event_and_month() {
    let events = ecom_events();
    let expected = expected("ecom_feature_adoption.csv");
    let months: Vec<String> = {
        let mut months: Vec<String> = expected.iter().map(|row| row["month"].clone()).collect();
        months.dedup();
        months
    };

    let mut checked = 0;
    for month_label in months {
        let first_day = NaiveDate::parse_from_str(&format!("{month_label}-01"), "%Y-%m-%d").unwrap();
        let month = Period::of(Granularity::Month, first_day);
        let adoption = feature_adoption(&events, month).unwrap();
        let want: Vec<&HashMap<String, String>> = expected.iter().filter(|row| row["month"] == month_label).collect();
        assert_eq!(adoption.len(), want.len(), "events used in {month_label}");
        for row in want {
            let feature = adoption.iter().find(|feature| feature.name == row["event"]).expect("the event is adopted");
            assert_eq!(feature.share.numerator as i64, number(row, "users"), "{month_label} {}", row["event"]);
            assert_eq!(feature.share.denominator as i64, number(row, "active_users"), "{month_label} {}", row["event"]);
            assert_eq!(feature.active_days.iter().sum::<u64>(), feature.share.numerator, "depth covers every user");
            checked += 1;
        }
    }
    assert_eq!(checked, expected.len());
}

#[test]
fn ecom_monthly_new_user_cohorts_in_both_modes() {
    let events = ecom_events();
    let as_of = ecom_as_of();
    let users = user_activity(&events, Granularity::Month, as_of);
    let expected = expected("ecom_monthly_cohorts.csv");

    for (mode, field) in [(RetentionMode::On, "retained_on"), (RetentionMode::OnOrAfter, "retained_on_or_after")] {
        let table = new_user_cohorts(&users, Granularity::Month, mode, as_of);
        let cells: usize = table.cohorts.iter().filter(|cohort| cohort.size > 0).map(|cohort| cohort.retained.len()).sum();
        assert_eq!(cells, expected.len(), "{field}: complete cells");
        for row in &expected {
            let cohort = table.cohorts.iter().find(|cohort| cohort.period.label() == row["cohort"]).expect("cohort");
            assert_eq!(cohort.size as i64, number(row, "size"), "{} size", row["cohort"]);
            let offset = number(row, "offset") as usize;
            assert_eq!(cohort.retained[offset] as i64, number(row, field), "{} offset {offset} {field}", row["cohort"]);
        }
    }
}
