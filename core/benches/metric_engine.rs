//! Time per KPI of the metric engine alone, on synthetic tables generated from a fixed seed:
//! 1,000,000 product events, 100,000 subscriptions and 1,000,000 payments.
//!
//! Run with `cargo bench -p headlights-core --bench metric_engine`. Table generation happens
//! once, outside the timed closures.

use std::sync::LazyLock;

use chrono::{Days, NaiveDate};
use headlights_core::ingest::kinds::{
    Discount, DiscountAmount, DiscountDuration, Events, IntervalUnit, Subscription, SubscriptionStatus, Subscriptions, Timestamp,
};
use headlights_core::ingest::{Money, Transactions};
use headlights_core::metrics::arpa::arpa;
use headlights_core::metrics::experience::nps::nps;
use headlights_core::metrics::movements::movements;
use headlights_core::metrics::mrr::{customer_timelines, CustomerMrr, FreePeriod, MrrSettings};
use headlights_core::metrics::new_user_retention::{new_user_cohorts, user_activity, RetentionMode};
use headlights_core::metrics::period::{periods_between, Granularity, Period};
use headlights_core::metrics::revenue::total_revenue;
use headlights_core::metrics::revenue_periods::revenue_by_period;
use headlights_core::metrics::subscription_clv::subscription_clv;
use headlights_core::metrics::usage::adoption::{feature_adoption, user_adoption_curve};
use headlights_core::metrics::usage::{active_users, stickiness};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

const EVENTS: usize = 1_000_000;
const USERS: u32 = 50_000;
const FEATURES: u32 = 30;
const SUBSCRIPTIONS: usize = 100_000;
const CUSTOMERS: u32 = 60_000;
const PAYMENTS: usize = 1_000_000;
const PAYING_CUSTOMERS: u32 = 100_000;
const DAYS: u64 = 730;

fn main() {
    divan::main();
}

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or(NaiveDate::MIN)
}

fn day(offset: u64) -> NaiveDate {
    first_day().checked_add_days(Days::new(offset)).unwrap_or(NaiveDate::MAX)
}

fn as_of() -> NaiveDate {
    day(DAYS - 1)
}

/// Events over two years: each user is active from a random day on, events spread after it.
static EVENT_LOG: LazyLock<Events> = LazyLock::new(|| {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let joined: Vec<i64> = (0..USERS).map(|_| rng.random_range(0..DAYS as i64 - 30)).collect();
    let mut log = Events { user_ids: (0..USERS).map(|user| format!("u{user}")).collect(), ..Events::default() };
    log.event_names = (0..FEATURES).map(|feature| format!("feature_{feature}")).collect();
    let start = Timestamp::start_of(first_day()).seconds;
    for _ in 0..EVENTS {
        let user = rng.random_range(0..USERS);
        let offset_days = joined[user as usize] + rng.random_range(0..(DAYS as i64 - joined[user as usize]));
        log.user.push(user);
        log.event.push(rng.random_range(0..FEATURES));
        log.time.push(Timestamp { seconds: start + offset_days * 86_400 + rng.random_range(0..86_400) });
    }
    log.signup_of_user = vec![None; USERS as usize];
    log.account_of_user = vec![None; USERS as usize];
    log
});

/// Subscriptions over two years: a third ended, a tenth discounted, mixed intervals.
static SUBSCRIPTION_TABLE: LazyLock<Subscriptions> = LazyLock::new(|| {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let intervals = [IntervalUnit::Month, IntervalUnit::Month, IntervalUnit::Month, IntervalUnit::Year, IntervalUnit::Quarter, IntervalUnit::Week];
    let rows = (0..SUBSCRIPTIONS)
        .map(|index| {
            let start = rng.random_range(0..DAYS - 1);
            let ended = rng.random_range(0..3) == 0;
            let end = ended.then(|| Timestamp::start_of(day(start + rng.random_range(1..DAYS))));
            let discounted = rng.random_range(0..10) == 0;
            Subscription {
                customer: rng.random_range(0..CUSTOMERS),
                id: format!("s{index}"),
                plan: None,
                unit_price: Money::from_cents(rng.random_range(500..50_000)),
                quantity: rng.random_range(1..5),
                interval: intervals[rng.random_range(0..intervals.len())],
                interval_count: 1,
                currency: 0,
                status: if ended { SubscriptionStatus::Canceled } else { SubscriptionStatus::Active },
                start: Timestamp::start_of(day(start)),
                trial_start: None,
                trial_end: None,
                canceled_at: None,
                ended_at: end,
                cancel_at_period_end: false,
                current_period_end: None,
                paused_at: None,
                discount: discounted.then_some(Discount {
                    amount: DiscountAmount::PercentOff { basis_points: 2_000 },
                    duration: DiscountDuration::Repeating { months: 3 },
                    start: None,
                    end: None,
                }),
            }
        })
        .collect();
    Subscriptions { customer_ids: (0..CUSTOMERS).map(|customer| format!("c{customer}")).collect(), plans: Vec::new(), currencies: Vec::new(), rows }
});

fn settings() -> MrrSettings {
    MrrSettings { as_of: as_of(), currency: 0, free_period: FreePeriod::NotPaying }
}

static TIMELINES: LazyLock<Vec<CustomerMrr>> = LazyLock::new(|| customer_timelines(&SUBSCRIPTION_TABLE, &settings()));

/// Payments over two years, 3% of them refunds.
static PAYMENT_LOG: LazyLock<Transactions> = LazyLock::new(|| {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let mut log = Transactions { customer_ids: (0..PAYING_CUSTOMERS).map(|customer| format!("p{customer}")).collect(), ..Transactions::default() };
    for _ in 0..PAYMENTS {
        log.customer.push(rng.random_range(0..PAYING_CUSTOMERS));
        log.date.push(day(rng.random_range(0..DAYS)));
        let cents = rng.random_range(100..20_000);
        log.amount.push(Money::from_cents(if rng.random_range(0..100) < 3 { -cents } else { cents }));
    }
    log
});

fn months() -> Vec<Period> {
    periods_between(Granularity::Month, first_day(), as_of())
}

#[divan::bench]
fn events_dau_series(bencher: divan::Bencher) {
    let events = &*EVENT_LOG;
    bencher.bench(|| active_users(events, Granularity::Day, as_of()));
}

#[divan::bench]
fn events_wau_series(bencher: divan::Bencher) {
    let events = &*EVENT_LOG;
    bencher.bench(|| active_users(events, Granularity::Week, as_of()));
}

#[divan::bench]
fn events_mau_series(bencher: divan::Bencher) {
    let events = &*EVENT_LOG;
    bencher.bench(|| active_users(events, Granularity::Month, as_of()));
}

#[divan::bench]
fn events_stickiness_from_series(bencher: divan::Bencher) {
    let daily = active_users(&EVENT_LOG, Granularity::Day, as_of());
    let monthly = active_users(&EVENT_LOG, Granularity::Month, as_of());
    let month = Period::of(Granularity::Month, day(DAYS - 40));
    bencher.bench(|| stickiness(&daily, &monthly, month));
}

#[divan::bench]
fn events_feature_adoption_one_month(bencher: divan::Bencher) {
    let events = &*EVENT_LOG;
    let month = Period::of(Granularity::Month, day(DAYS - 40));
    bencher.bench(|| feature_adoption(events, month));
}

#[divan::bench]
fn events_user_adoption_curve(bencher: divan::Bencher) {
    let events = &*EVENT_LOG;
    bencher.bench(|| user_adoption_curve(events, 0, Granularity::Month, as_of(), &|_| true));
}

#[divan::bench]
fn events_new_user_cohorts_weekly(bencher: divan::Bencher) {
    let events = &*EVENT_LOG;
    bencher.bench(|| {
        let users = user_activity(events, Granularity::Week, as_of());
        new_user_cohorts(&users, Granularity::Week, RetentionMode::On, as_of())
    });
}

#[divan::bench]
fn subscriptions_mrr_timelines(bencher: divan::Bencher) {
    let table = &*SUBSCRIPTION_TABLE;
    bencher.bench(|| customer_timelines(table, &settings()));
}

#[divan::bench]
fn subscriptions_movements_24_months(bencher: divan::Bencher) {
    let timelines = &*TIMELINES;
    let periods = months();
    bencher.bench(|| movements(timelines, &periods, &|_| true));
}

#[divan::bench]
fn subscriptions_movements_730_days(bencher: divan::Bencher) {
    let timelines = &*TIMELINES;
    let periods = periods_between(Granularity::Day, first_day(), as_of());
    bencher.bench(|| movements(timelines, &periods, &|_| true));
}

#[divan::bench]
fn subscriptions_arpa(bencher: divan::Bencher) {
    let timelines = &*TIMELINES;
    let boundary = Timestamp::start_of(day(DAYS - 1));
    bencher.bench(|| arpa(timelines, boundary, &|_| true));
}

#[divan::bench]
fn subscriptions_clv(bencher: divan::Bencher) {
    let timelines = &*TIMELINES;
    bencher.bench(|| subscription_clv(timelines, as_of(), 8_000));
}

#[divan::bench]
fn payments_revenue_monthly(bencher: divan::Bencher) {
    let log = &*PAYMENT_LOG;
    bencher.bench(|| revenue_by_period(log, Granularity::Month, 0, as_of()));
}

#[divan::bench]
fn payments_revenue_daily(bencher: divan::Bencher) {
    let log = &*PAYMENT_LOG;
    bencher.bench(|| revenue_by_period(log, Granularity::Day, 0, as_of()));
}

#[divan::bench]
fn payments_revenue_total_and_arpu(bencher: divan::Bencher) {
    let log = &*PAYMENT_LOG;
    bencher.bench(|| total_revenue(log).arpu());
}

#[divan::bench]
fn survey_nps_one_million_answers(bencher: divan::Bencher) {
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let scores: Vec<i16> = (0..1_000_000).map(|_| rng.random_range(0..11)).collect();
    bencher.bench(|| nps(scores.iter().copied()));
}
