//! The dashboard's new cards on small hand-made tables of every kind, with hand-computed
//! values.

use chrono::NaiveDate;
use headlights_core::ingest::dataset::Interner;
use headlights_core::ingest::kinds::{
    Events, IntervalUnit, RetentionSpend, ScaleSource, ScoreScale, SpendEntry, Subscription, SubscriptionStatus,
    Subscriptions, SurveyKind, SurveyQuestion, SurveyResponses, Ticket, TicketRating, TicketStatus, Tickets, Timestamp,
};
use headlights_core::ingest::{CustomerSnapshot, Dataset, Money};
use headlights_core::metrics::period::Granularity;
use headlights_core::metrics::retention::ChurnConvention;
use headlights_core::metrics::{build_dashboard, Bucket, Card, Dashboard, DashboardOptions, Unavailable};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn at(text: &str) -> Timestamp {
    Timestamp::start_of(date(text))
}

fn subscription(customer: u32, start: &str, end: Option<&str>, cents: i64) -> Subscription {
    Subscription {
        customer,
        id: format!("sub_{customer}_{start}"),
        plan: None,
        unit_price: Money::from_cents(cents),
        quantity: 1,
        interval: IntervalUnit::Month,
        interval_count: 1,
        currency: 0,
        status: if end.is_some() { SubscriptionStatus::Canceled } else { SubscriptionStatus::Active },
        start: at(start),
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

/// Four customers: a (10.00) and b (20.00) since January, c (30.00) from January to 10 March,
/// and d (40.00) from 5 March. On 15 March b upgrades to 25.00. The export is dated 31 March,
/// as [`options`] sets.
fn subscriptions() -> Subscriptions {
    Subscriptions {
        customer_ids: vec!["a".into(), "b".into(), "c".into(), "d".into()],
        plans: Vec::new(),
        currencies: Vec::new(),
        rows: vec![
            subscription(0, "2024-01-01", None, 10_00),
            subscription(1, "2024-01-01", Some("2024-03-15"), 20_00),
            subscription(1, "2024-03-15", None, 25_00),
            subscription(2, "2024-01-01", Some("2024-03-10"), 30_00),
            subscription(3, "2024-03-05", None, 40_00),
        ],
    }
}

/// Options with the export date as the as-of date.
fn options() -> DashboardOptions {
    DashboardOptions { as_of: Some(date("2024-03-31")), ..DashboardOptions::default() }
}

fn card<'a>(dashboard: &'a Dashboard, id: &str) -> &'a Card {
    dashboard.cards.iter().find(|card| card.id == id).unwrap_or_else(|| panic!("no card {id}"))
}

fn raw(dashboard: &Dashboard, id: &str) -> String {
    match &card(dashboard, id).reading {
        Ok(reading) => reading.raw.clone(),
        Err(reason) => panic!("{id} is unavailable: {reason}"),
    }
}

fn value(dashboard: &Dashboard, id: &str) -> f64 {
    raw(dashboard, id).parse().expect("a number")
}

#[test]
fn subscription_cards_for_march_by_hand() {
    let table = Dataset::Subscriptions(subscriptions());
    let dashboard = build_dashboard(&[&table], &options());

    // S = {a, b, c} (MRR 60), E = {a, b, d} (MRR 75); c churns 30, b expands 5, d is new 40.
    assert_eq!(card(&dashboard, "customer_retention_rate").reading.as_ref().unwrap().period, "2024-03");
    assert_eq!(value(&dashboard, "customer_retention_rate"), 2.0 / 3.0);
    assert_eq!(value(&dashboard, "logo_churn"), 1.0 / 3.0);
    assert_eq!(value(&dashboard, "gross_mrr_churn"), 0.5);
    assert_eq!(value(&dashboard, "net_mrr_churn"), 25.0 / 60.0);
    assert_eq!(value(&dashboard, "grr"), 0.5);
    assert_eq!(value(&dashboard, "nrr"), 35.0 / 60.0);
    assert_eq!(raw(&dashboard, "mrr"), "75.00");
    assert_eq!(raw(&dashboard, "arpa"), "25.00");
    assert_eq!(value(&dashboard, "quick_ratio"), 1.5);
    assert!(card(&dashboard, "mrr").definition.contains("preferred over a customer snapshot"));

    let movements = dashboard.mrr_movements.as_ref().expect("movement series");
    assert_eq!(movements.len(), 3);
    assert!(movements.iter().all(|period| period.identity_holds()));
    assert_eq!(movements[2].new, Money::from_cents(40_00));
}

#[test]
fn stripe_style_churn_is_a_setting() {
    let table = Dataset::Subscriptions(subscriptions());
    let options = DashboardOptions { churn_convention: ChurnConvention::StartAndNewCustomers, ..options() };
    let dashboard = build_dashboard(&[&table], &options);
    // S ∪ N = {a, b, c, d}; only c is not paying at the end.
    assert_eq!(value(&dashboard, "logo_churn"), 0.25);
}

#[test]
fn retention_cost_from_a_spend_file_or_a_typed_amount() {
    let table = Dataset::Subscriptions(subscriptions());
    let typed = DashboardOptions { retention_spend: Some(Money::from_cents(100_00)), ..options() };
    assert_eq!(raw(&build_dashboard(&[&table], &typed), "retention_cost"), "50.00");

    let spend = Dataset::RetentionSpend(RetentionSpend {
        currencies: Vec::new(),
        rows: vec![
            SpendEntry { date: date("2024-03-02"), amount: Money::from_cents(30_00), currency: 0 },
            SpendEntry { date: date("2024-03-30"), amount: Money::from_cents(30_00), currency: 0 },
            SpendEntry { date: date("2024-02-29"), amount: Money::from_cents(999_00), currency: 0 },
        ],
    });
    assert_eq!(raw(&build_dashboard(&[&table, &spend], &typed), "retention_cost"), "30.00");

    let without = build_dashboard(&[&table], &options());
    assert!(matches!(card(&without, "retention_cost").reading, Err(Unavailable::MissingData { .. })));
}

#[test]
fn subscriptions_are_preferred_over_a_snapshot_for_mrr() {
    let snapshot = Dataset::CustomerSnapshot(CustomerSnapshot {
        customer_ids: vec!["x".into()],
        churned: vec![false],
        monthly_charge: vec![Money::from_cents(5_00)],
        segments: Vec::new(),
    });
    let table = Dataset::Subscriptions(subscriptions());
    let dashboard = build_dashboard(&[&snapshot, &table], &options());
    assert_eq!(dashboard.cards.iter().filter(|card| card.id == "mrr").count(), 1);
    assert_eq!(raw(&dashboard, "mrr"), "75.00");
    assert_eq!(raw(&dashboard, "churn_rate"), "0");
}

#[test]
fn clv_needs_three_months_with_paying_customers() {
    let table = Dataset::Subscriptions(subscriptions());
    let dashboard = build_dashboard(&[&table], &options());
    // Nobody paid at the start of January, so January's churn and hence CLV are undefined.
    assert!(matches!(card(&dashboard, "clv").reading, Err(Unavailable::ZeroDenominator { .. })));
}

fn events() -> Events {
    event_log(&[
        ("u1", "2024-01-29", "open"),
        ("u1", "2024-02-01", "export"),
        ("u2", "2024-02-01", "open"),
        ("u2", "2024-02-02", "open"),
        ("u3", "2024-02-10", "open"),
        ("u1", "2024-03-03", "open"),
    ])
}

/// Builds an event log from (user, day, event name) rows, each at the start of its day.
fn event_log(rows: &[(&str, &str, &str)]) -> Events {
    let mut users = Interner::default();
    let mut names = Interner::default();
    let mut log = Events::default();
    for &(user, day, name) in rows {
        log.user.push(users.intern(user));
        log.time.push(at(day));
        log.event.push(names.intern(name));
    }
    log.signup_of_user = vec![None; users.values.len()];
    log.account_of_user = vec![None; users.values.len()];
    log.user_ids = users.values;
    log.event_names = names.values;
    log
}

#[test]
fn usage_cards_by_hand() {
    let table = Dataset::Events(events());
    let dashboard = build_dashboard(&[&table], &DashboardOptions::default());

    // The last event is on 3 March. DAU waits for a whole day, so it shows 2 March (no
    // events). Weeks and months count 3 March as covered: the latest complete week is 2024-W09
    // (26 Feb to 3 Mar, u1 on 3 March) and the latest complete month February.
    assert_eq!(raw(&dashboard, "dau"), "0");
    assert_eq!(card(&dashboard, "dau").reading.as_ref().unwrap().period, "2024-03-02");
    assert_eq!(raw(&dashboard, "wau"), "1");
    assert_eq!(card(&dashboard, "wau").reading.as_ref().unwrap().period, "2024-W09");
    assert_eq!(raw(&dashboard, "mau"), "3");
    // February DAU: 2 + 1 + 1 over 29 days, MAU 3.
    assert_eq!(value(&dashboard, "stickiness"), 4.0 / 29.0 / 3.0);
    // February: open by u2 and u3, export by u1, out of 3 active users.
    assert_eq!(value(&dashboard, "feature_adoption"), 2.0 / 3.0);
    assert_eq!(value(&dashboard, "user_adoption"), 1.0);
    // Cohorts: January {u1} returns in February; February {u2, u3}: the latest complete
    // cohort for offset 1 is January.
    assert_eq!(value(&dashboard, "new_user_retention"), 1.0);
    assert_eq!(card(&dashboard, "dau").bucket, Bucket::Usage);
    // The series runs from the first event to the last one: 29 January to 3 March, 3 + 29 + 3
    // days.
    assert_eq!(dashboard.dau_series.as_ref().map(Vec::len), Some(35));
}

#[test]
fn dau_leaves_out_partial_last_day() {
    // Three users on 4 March, one on 5 March before the export ran.
    let log = event_log(&[
        ("u1", "2024-03-04", "open"),
        ("u2", "2024-03-04", "open"),
        ("u3", "2024-03-04", "open"),
        ("u1", "2024-03-05", "open"),
    ]);
    let dashboard = build_dashboard(&[&Dataset::Events(log)], &DashboardOptions::default());

    assert_eq!(raw(&dashboard, "dau"), "3");
    assert_eq!(card(&dashboard, "dau").reading.as_ref().unwrap().period, "2024-03-04");
    // The chart still shows the partial day.
    assert_eq!(dashboard.dau_series.as_ref().map(Vec::len), Some(2));
}

#[test]
fn dau_of_one_day_log_is_unavailable() {
    let log = event_log(&[("u1", "2024-03-05", "open"), ("u2", "2024-03-05", "open")]);
    let dashboard = build_dashboard(&[&Dataset::Events(log)], &DashboardOptions::default());

    let reason = card(&dashboard, "dau").reading.clone().unwrap_err();
    assert_eq!(reason, Unavailable::NoCompletePeriod { granularity: Granularity::Day.name(), as_of: date("2024-03-04") });
}

fn survey(kind: SurveyKind, scale: ScoreScale, scores: &[i16]) -> SurveyResponses {
    SurveyResponses {
        respondent_ids: Vec::new(),
        respondent: vec![None; scores.len()],
        account_ids: Vec::new(),
        account: Vec::new(),
        time: (0..scores.len()).map(|index| Some(at(if index == 0 { "2024-02-01" } else { "2024-01-15" }))).collect(),
        questions: vec![SurveyQuestion { header: "score".into(), kind, scale, scale_source: ScaleSource::Header, scores: scores.iter().map(|score| Some(*score)).collect() }],
        segments: Vec::new(),
    }
}

#[test]
fn experience_cards_by_hand() {
    // The first response (1 February) makes January the latest complete month, which contains
    // 10, 9, 8 and 3: two promoters and one detractor of four.
    let nps = Dataset::Survey(survey(SurveyKind::Nps, ScoreScale::Points { min: 0, max: 10 }, &[10, 10, 9, 8, 3]));
    let dashboard = build_dashboard(&[&nps], &DashboardOptions::default());
    assert_eq!(value(&dashboard, "nps"), 25.0);
    let reading = card(&dashboard, "nps").reading.as_ref().unwrap();
    assert_eq!(reading.n, 4);
    assert!(reading.small_sample);
    assert!(reading.margin_of_error.is_some());
    assert_eq!(card(&dashboard, "nps").bucket, Bucket::Experience);
    assert_eq!(dashboard.nps_by_period.as_ref().map(Vec::len), Some(2));

    // January contains 7, 5, 4 and 2: two of four agree (5–7).
    let ces = Dataset::Survey(survey(SurveyKind::Ces, ScoreScale::Points { min: 1, max: 7 }, &[1, 7, 5, 4, 2]));
    assert_eq!(value(&build_dashboard(&[&ces], &DashboardOptions::default()), "ces"), 0.5);
}

#[test]
fn ticket_cards_by_hand() {
    let ticket = |solved: &str, replies: u32, rating: TicketRating| Ticket {
        id: solved.into(),
        requester: None,
        created: at("2024-01-02"),
        solved: Some(at(solved)),
        status: TicketStatus::Solved,
        agent_replies: Some(replies),
        reopens: Some(0),
        rating: Some(rating),
        first_contact_resolution: None,
    };
    let tickets = Dataset::Tickets(Tickets {
        requester_ids: Vec::new(),
        rows: vec![
            ticket("2024-01-05", 1, TicketRating::Good),
            ticket("2024-01-06", 2, TicketRating::Bad),
            ticket("2024-01-07", 0, TicketRating::Offered),
            ticket("2024-02-01", 1, TicketRating::Good),
        ],
        segments: Vec::new(),
    });
    let dashboard = build_dashboard(&[&tickets], &DashboardOptions::default());
    assert_eq!(value(&dashboard, "fcr"), 2.0 / 3.0);
    assert_eq!(value(&dashboard, "csat"), 0.5);
}

#[test]
fn weekly_granularity_moves_the_headline() {
    let table = Dataset::Subscriptions(subscriptions());
    let options = DashboardOptions { granularity: Granularity::Week, ..options() };
    let dashboard = build_dashboard(&[&table], &options);
    // 31 March 2024 is a Sunday, so week 2024-W13 is complete.
    assert_eq!(card(&dashboard, "mrr").reading.as_ref().unwrap().period, "2024-W13");
    assert_eq!(raw(&dashboard, "mrr"), "75.00");
}

#[test]
fn range_revenue_never_adds_currencies() {
    let text = "customer,date,amount,currency\na,2024-01-05,10.00,USD\nb,2024-01-06,20.00,EUR\nc,2024-01-07,5.50,USD\nd,2024-02-01,1.00,USD\n";
    let file = headlights_core::ingest::read_file("payments.csv", text.as_bytes()).expect("readable");
    let dataset = file.dataset;

    let usd = build_dashboard(&[&dataset], &DashboardOptions::default());
    let revenue = usd.cards.iter().find(|card| card.id == "revenue").unwrap().reading.clone().unwrap();
    assert_eq!(revenue.raw, "16.50", "USD has the most rows and is reported alone");
    assert!(revenue.display.ends_with("USD"), "{}", revenue.display);
    let customers = usd.cards.iter().find(|card| card.id == "active_customers").unwrap().reading.clone().unwrap();
    assert_eq!(customers.raw, "4", "customers are counted in every currency");

    let options = DashboardOptions { currency: Some("eur".to_string()), ..DashboardOptions::default() };
    let euro = build_dashboard(&[&dataset], &options);
    let revenue = euro.cards.iter().find(|card| card.id == "revenue").unwrap().reading.clone().unwrap();
    assert_eq!(revenue.raw, "20.00");
}

#[test]
fn currency_choice_lists_codes() {
    let text = "customer,date,amount,currency\na,2024-01-05,10.00,USD\nb,2024-01-06,20.00,EUR\nc,2024-01-07,5.50,USD\n";
    let several = headlights_core::ingest::read_file("payments.csv", text.as_bytes()).expect("readable").dataset;
    let dollars_only = headlights_core::ingest::read_file("usd.csv", b"customer,date,amount,currency\na,2024-01-05,10.00,USD\n").expect("readable").dataset;

    let default = build_dashboard(&[&several], &DashboardOptions::default()).currency_choice.expect("two currencies to choose from");
    let euro = DashboardOptions { currency: Some("EUR".to_string()), ..DashboardOptions::default() };
    let requested = build_dashboard(&[&several], &euro).currency_choice.expect("two currencies to choose from");

    assert_eq!(default.codes, ["USD", "EUR"]);
    assert_eq!(default.reporting, "USD", "the currency of the most rows");
    assert_eq!(requested.reporting, "EUR");
    assert_eq!(build_dashboard(&[&dollars_only], &DashboardOptions::default()).currency_choice, None, "nothing to choose");
}
