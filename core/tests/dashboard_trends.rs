//! Card trends and the segment filter on a small hand-made company, with hand-computed values.
//!
//! Four customers pay monthly since 1 January 2024: a (10.00, plan Pro), b (20.00, Basic,
//! ends 1 March), c (30.00, Pro, ends 15 February) and d (40.00, Basic). Users u1 (account a)
//! and u2 (account b) use the product. The export is dated 31 March 2024, so March is the
//! headline month.

use chrono::NaiveDate;
use headlights_core::ingest::kinds::{
    AccountAttributes, Events, IntervalUnit, ScaleSource, ScoreScale, Subscription, SubscriptionStatus, Subscriptions,
    SurveyKind, SurveyQuestion, SurveyResponses, Timestamp,
};
use headlights_core::ingest::{Dataset, Money, Segment};
use headlights_core::metrics::dashboard::segment_filter::SegmentFilter;
use headlights_core::metrics::dashboard::trend::{ChangeUnit, Direction, Verdict};
use headlights_core::metrics::{build_dashboard, Card, Dashboard, DashboardOptions, Unavailable};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn at(text: &str) -> Timestamp {
    Timestamp::start_of(date(text))
}

fn subscription(customer: u32, end: Option<&str>, cents: i64) -> Subscription {
    Subscription {
        customer,
        id: format!("sub_{customer}"),
        plan: None,
        unit_price: Money::from_cents(cents),
        quantity: 1,
        interval: IntervalUnit::Month,
        interval_count: 1,
        currency: 0,
        status: if end.is_some() { SubscriptionStatus::Canceled } else { SubscriptionStatus::Active },
        start: at("2024-01-01"),
        trial_start: None,
        trial_end: None,
        canceled_at: None,
        ended_at: end.map(at),
        cancel_at_period_end: false,
        current_period_end: None,
        paused_at: None,
        discount: None,
    }
}

fn subscriptions() -> Dataset {
    Dataset::Subscriptions(Subscriptions {
        customer_ids: vec!["a".into(), "b".into(), "c".into(), "d".into()],
        plans: Vec::new(),
        currencies: Vec::new(),
        rows: vec![
            subscription(0, None, 10_00),
            subscription(1, Some("2024-03-01"), 20_00),
            subscription(2, Some("2024-02-15"), 30_00),
            subscription(3, None, 40_00),
        ],
    })
}

fn accounts() -> Dataset {
    Dataset::Accounts(AccountAttributes {
        customer_ids: vec!["a".into(), "b".into(), "c".into(), "d".into()],
        segments: vec![Segment { name: "Plan".into(), labels: vec!["Pro".into(), "Basic".into()], values: vec![0, 1, 0, 1] }],
    })
}

/// u1 (account a) is active on 3 February and 5 March, u2 (account b) on 6 March.
fn events() -> Dataset {
    Dataset::Events(Events {
        user_ids: vec!["u1".into(), "u2".into()],
        user: vec![0, 0, 1],
        time: vec![at("2024-02-03"), at("2024-03-05"), at("2024-03-06")],
        event_names: vec!["login".into()],
        event: vec![0, 0, 0],
        account_of_user: vec![Some(0), Some(1)],
        account_ids: vec!["a".into(), "b".into()],
        signup_of_user: vec![None, None],
        user_segments: Vec::new(),
    })
}

/// One NPS response from an e-mail address, which no account id matches.
fn survey() -> Dataset {
    Dataset::Survey(SurveyResponses {
        respondent_ids: vec!["x@example.com".into()],
        respondent: vec![Some(0)],
        account_ids: Vec::new(),
        account: Vec::new(),
        time: vec![Some(at("2024-03-05"))],
        questions: vec![SurveyQuestion {
            header: "How likely are you to recommend us?".into(),
            kind: SurveyKind::Nps,
            scale: ScoreScale::Points { min: 0, max: 10 },
            scale_source: ScaleSource::Header,
            scores: vec![Some(9)],
        }],
        segments: Vec::new(),
    })
}

fn options() -> DashboardOptions {
    DashboardOptions { as_of: Some(date("2024-03-31")), retention_spend: Some(Money::from_cents(100_00)), ..DashboardOptions::default() }
}

fn pro_only() -> DashboardOptions {
    DashboardOptions { segment_filter: Some(SegmentFilter { column: "Plan".into(), value: "Pro".into() }), ..options() }
}

fn build(options: &DashboardOptions) -> Dashboard {
    let (subscriptions, accounts, events, survey) = (subscriptions(), accounts(), events(), survey());
    build_dashboard(&[&subscriptions, &accounts, &events, &survey], options)
}

fn card<'a>(dashboard: &'a Dashboard, id: &str) -> &'a Card {
    dashboard.cards.iter().find(|card| card.id == id).unwrap_or_else(|| panic!("no card {id}"))
}

fn value(dashboard: &Dashboard, id: &str) -> f64 {
    card(dashboard, id).reading.as_ref().unwrap_or_else(|reason| panic!("{id}: {reason}")).value().unwrap()
}

fn sparkline(dashboard: &Dashboard, id: &str) -> Vec<(String, f64)> {
    let trend = card(dashboard, id).trend.as_ref().unwrap_or_else(|| panic!("{id} has no trend"));
    trend.points.iter().map(|point| (point.period.clone(), point.value.unwrap())).collect()
}

fn close(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() < 1e-9
}

#[test]
fn mrr_trend_and_fall_is_bad() {
    // MRR at the end of each month: January 100 (all four), February 70 (c left), March 50 (b left).
    let dashboard = build(&options());
    let points = sparkline(&dashboard, "mrr");
    assert_eq!(points, [("2024-01".to_string(), 100.0), ("2024-02".to_string(), 70.0), ("2024-03".to_string(), 50.0)]);

    let change = card(&dashboard, "mrr").trend.as_ref().unwrap().change.clone().unwrap();
    assert_eq!(change.unit, ChangeUnit::Relative);
    assert!(close(change.previous, 70.0));
    assert!(close(change.amount, -20.0 / 70.0));
    assert_eq!(change.display, "−28.6%");
    assert_eq!(change.direction, Direction::Down);
    assert_eq!(change.verdict, Verdict::Bad);
    assert_eq!(change.previous_label, "Feb 2024");
}

#[test]
fn churn_change_of_small_sample_is_neutral() {
    // Logo churn: January has nobody at the start, February 1 of 4, March 1 of 3.
    let dashboard = build(&options());
    let points = sparkline(&dashboard, "logo_churn");
    assert_eq!(points.len(), 2, "January's churn is undefined: {points:?}");
    assert!(close(points[0].1, 0.25));
    assert!(close(points[1].1, 1.0 / 3.0));

    let change = card(&dashboard, "logo_churn").trend.as_ref().unwrap().change.clone().unwrap();
    assert_eq!(change.unit, ChangeUnit::PercentagePoints);
    assert!(close(change.amount, 1.0 / 3.0 - 0.25));
    assert_eq!(change.display, "+8.3 pts");
    assert_eq!(change.direction, Direction::Up);
    assert_eq!(change.verdict, Verdict::Neutral, "three customers are a small sample");
}

#[test]
fn active_users_rise_is_good() {
    // MAU: February 1 (u1), March 2.
    let dashboard = build(&options());
    let change = card(&dashboard, "mau").trend.as_ref().unwrap().change.clone().unwrap();
    assert!(close(change.amount, 1.0));
    assert_eq!(change.display, "+100.0%");
    assert_eq!(change.verdict, Verdict::Good);
}

#[test]
fn filter_restricts_every_file() {
    // Pro is a and c. Retention in March: a of {a}; MRR at the end of March 10; MAU 1 (u1).
    let dashboard = build(&pro_only());
    assert!(close(value(&dashboard, "customer_retention_rate"), 1.0));
    assert!(close(value(&dashboard, "logo_churn"), 0.0));
    assert!(close(value(&dashboard, "mrr"), 10.0));
    assert!(close(value(&dashboard, "mau"), 1.0));
    assert_eq!(sparkline(&dashboard, "mrr"), [("2024-01".to_string(), 40.0), ("2024-02".to_string(), 10.0), ("2024-03".to_string(), 10.0)]);
    // February: c of {a, c} left.
    assert!(close(sparkline(&dashboard, "logo_churn")[0].1, 0.5));

    let applied = dashboard.applied_filter.as_ref().expect("the filter applies");
    assert_eq!(applied.accounts, 2);
    assert_eq!(applied.unjoined, ["survey responses"]);
}

#[test]
fn filter_explains_what_it_cannot_split() {
    let dashboard = build(&pro_only());
    assert!(matches!(card(&dashboard, "retention_cost").reading, Err(Unavailable::NotPerSegment { .. })));
    assert!(dashboard.cards.iter().all(|card| card.id != "nps"), "the survey cannot be joined, so it shows no NPS");

    let unfiltered = build(&options());
    assert!(card(&unfiltered, "retention_cost").reading.is_ok());
    assert!(card(&unfiltered, "nps").reading.is_ok());
}

#[test]
fn filter_columns_list_attribute_values() {
    let dashboard = build(&options());
    assert_eq!(dashboard.filter_columns.len(), 1);
    assert_eq!(dashboard.filter_columns[0].name, "Plan");
    assert_eq!(dashboard.filter_columns[0].values, ["Basic", "Pro"], "equal groups are ordered by name");
    assert_eq!(dashboard.applied_filter, None);
}

#[test]
fn unknown_filter_column_shows_everyone() {
    let options = DashboardOptions { segment_filter: Some(SegmentFilter { column: "Region".into(), value: "EMEA".into() }), ..options() };
    let dashboard = build(&options);
    assert_eq!(dashboard.applied_filter, None);
    assert!(close(value(&dashboard, "mrr"), 50.0));
}

/// NPS responses from two people of account a (one by the account column, one through the
/// product user u1) and one of account b.
fn joined_survey(by_account_column: bool) -> Dataset {
    let (respondent_ids, account_ids, account) = if by_account_column {
        (vec!["x@example.com".into(), "y@example.com".into()], vec!["a".into(), "b".into()], vec![Some(0), Some(0), Some(1)])
    } else {
        (vec!["u1".into(), "u2".into()], Vec::new(), Vec::new())
    };
    Dataset::Survey(SurveyResponses {
        respondent_ids,
        respondent: vec![Some(0), Some(0), Some(1)],
        account_ids,
        account,
        time: vec![Some(at("2024-03-05")), Some(at("2024-03-06")), Some(at("2024-03-07"))],
        questions: vec![SurveyQuestion {
            header: "How likely are you to recommend us?".into(),
            kind: SurveyKind::Nps,
            scale: ScoreScale::Points { min: 0, max: 10 },
            scale_source: ScaleSource::Header,
            scores: vec![Some(10), Some(9), Some(0)],
        }],
        segments: Vec::new(),
    })
}

#[test]
fn survey_joins_by_account_or_user() {
    let (subscriptions, accounts, events) = (subscriptions(), accounts(), events());
    for by_account_column in [true, false] {
        let survey = joined_survey(by_account_column);
        let dashboard = build_dashboard(&[&subscriptions, &accounts, &events, &survey], &pro_only());
        let reading = card(&dashboard, "nps").reading.as_ref().unwrap_or_else(|reason| panic!("account column {by_account_column}: {reason}"));
        assert_eq!(reading.n, 2, "account column {by_account_column}: only account a's two responses count");
        assert!(close(value(&dashboard, "nps"), 100.0), "account column {by_account_column}: both of a's responses are promoters");
        assert!(dashboard.applied_filter.as_ref().unwrap().unjoined.is_empty());
    }
}

#[test]
fn value_without_accounts_says_so() {
    let gold = DashboardOptions { segment_filter: Some(SegmentFilter { column: "Plan".into(), value: "Gold".into() }), ..options() };
    let dashboard = build(&gold);
    assert_eq!(dashboard.applied_filter.as_ref().map(|applied| applied.accounts), Some(0));
    assert_eq!(dashboard.cards.len(), build(&options()).cards.len(), "every card of the whole company is listed");
    for card in &dashboard.cards {
        assert!(matches!(&card.reading, Err(Unavailable::NoAccountsMatch { column, value }) if column == "Plan" && value == "Gold"), "{}: {:?}", card.id, card.reading);
        assert!(card.trend.is_none(), "{} has a trend", card.id);
    }
    assert_eq!(dashboard.mrr_movements, None);
    assert_eq!(dashboard.dau_series, None);
}
