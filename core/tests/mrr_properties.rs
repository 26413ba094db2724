//! Properties of the MRR engine on random subscription histories: the movement identity is
//! exact, retention and churn add to one, and every rate stays within [0, 1].

use chrono::{Days, NaiveDate};
use headlights_core::ingest::kinds::{
    Discount, DiscountAmount, DiscountDuration, IntervalUnit, Subscription, SubscriptionStatus, Subscriptions, Timestamp,
};
use headlights_core::ingest::Money;
use headlights_core::metrics::movements::movements;
use headlights_core::metrics::mrr::{customer_timelines, FreePeriod, MrrSettings};
use headlights_core::metrics::new_user_retention::{new_user_cohorts, RetentionMode, UserActivity};
use headlights_core::metrics::period::{periods_between, Granularity, Period};
use headlights_core::metrics::retention::{customer_retention, gross_mrr_churn, gross_revenue_retention, logo_churn, ChurnConvention};
use proptest::prelude::*;

fn day(offset: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 1).unwrap().checked_add_days(Days::new(offset)).unwrap()
}

fn granularity() -> impl Strategy<Value = Granularity> {
    prop_oneof![Just(Granularity::Day), Just(Granularity::Week), Just(Granularity::Month), Just(Granularity::Quarter), Just(Granularity::Year)]
}

fn interval() -> impl Strategy<Value = IntervalUnit> {
    prop_oneof![Just(IntervalUnit::Day), Just(IntervalUnit::Week), Just(IntervalUnit::Month), Just(IntervalUnit::Quarter), Just(IntervalUnit::Year)]
}

fn status() -> impl Strategy<Value = SubscriptionStatus> {
    prop_oneof![
        4 => Just(SubscriptionStatus::Active),
        2 => Just(SubscriptionStatus::Canceled),
        1 => Just(SubscriptionStatus::PastDue),
        1 => Just(SubscriptionStatus::Trialing),
        1 => Just(SubscriptionStatus::Paused),
        1 => Just(SubscriptionStatus::Unpaid),
        1 => Just(SubscriptionStatus::Incomplete),
    ]
}

fn discount() -> impl Strategy<Value = Option<Discount>> {
    let amount = prop_oneof![
        (0u32..=10_000).prop_map(|basis_points| DiscountAmount::PercentOff { basis_points }),
        (0i64..200_000_000).prop_map(|micros| DiscountAmount::AmountOff(Money::from_micros(micros))),
    ];
    let duration = prop_oneof![Just(DiscountDuration::Forever), Just(DiscountDuration::Once), (1u32..13).prop_map(|months| DiscountDuration::Repeating { months })];
    proptest::option::of((amount, duration, proptest::option::of(0u64..500), proptest::option::of(1u64..200)).prop_map(
        |(amount, duration, start, length)| Discount {
            amount,
            duration,
            start: start.map(|offset| Timestamp::start_of(day(offset))),
            end: start.zip(length).map(|(offset, length)| Timestamp::start_of(day(offset + length))),
        },
    ))
}

prop_compose! {
    fn subscription()(
        customer in 0u32..6,
        start in 0u64..450,
        length in proptest::option::of(0u64..300),
        trial in proptest::option::of(1u64..40),
        paused in proptest::option::of(0u64..200),
        price in 0i64..100_000_000,
        quantity in 1u32..4,
        interval in interval(),
        interval_count in 1u32..4,
        status in status(),
        discount in discount(),
        seconds in 0i64..86_400,
    ) -> Subscription {
        let start_time = Timestamp { seconds: Timestamp::start_of(day(start)).seconds + seconds };
        Subscription {
            customer,
            id: format!("s{customer}_{start}"),
            plan: None,
            unit_price: Money::from_micros(price),
            quantity,
            interval,
            interval_count,
            currency: 0,
            status,
            start: start_time,
            trial_start: None,
            trial_end: trial.map(|days| Timestamp::start_of(day(start + days))),
            canceled_at: None,
            ended_at: length.map(|days| Timestamp::start_of(day(start + days))),
            cancel_at_period_end: false,
            current_period_end: None,
            paused_at: paused.map(|days| Timestamp::start_of(day(start + days))),
            discount,
        }
    }
}

fn table(rows: Vec<Subscription>) -> Subscriptions {
    Subscriptions { customer_ids: (0..6).map(|index| format!("c{index}")).collect(), plans: Vec::new(), currencies: Vec::new(), rows }
}

fn free_period() -> impl Strategy<Value = FreePeriod> {
    prop_oneof![Just(FreePeriod::NotPaying), Just(FreePeriod::ContractionToZero)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn movement_identity_holds(rows in proptest::collection::vec(subscription(), 0..12), granularity in granularity(), free_period in free_period()) {
        let settings = MrrSettings { as_of: day(600), currency: 0, free_period };
        let timelines = customer_timelines(&table(rows), &settings);
        let periods = periods_between(granularity, day(0), day(600));
        for period in movements(&timelines, &periods, &|_| true) {
            prop_assert!(period.identity_holds(), "{period:?}");
            prop_assert!(period.new.micros >= 0 && period.reactivation.micros >= 0 && period.expansion.micros >= 0);
            prop_assert!(period.contraction.micros >= 0 && period.churn.micros >= 0);
        }
    }

    #[test]
    fn consecutive_periods_chain(rows in proptest::collection::vec(subscription(), 0..12), granularity in granularity()) {
        let settings = MrrSettings { as_of: day(600), currency: 0, free_period: FreePeriod::NotPaying };
        let timelines = customer_timelines(&table(rows), &settings);
        let series = movements(&timelines, &periods_between(granularity, day(0), day(600)), &|_| true);
        for pair in series.windows(2) {
            prop_assert_eq!(pair[0].mrr_end, pair[1].mrr_start);
            prop_assert_eq!(pair[0].customers_end, pair[1].customers_start);
        }
    }

    #[test]
    fn retention_plus_churn_is_one_and_rates_stay_in_range(rows in proptest::collection::vec(subscription(), 1..12), granularity in granularity()) {
        let settings = MrrSettings { as_of: day(600), currency: 0, free_period: FreePeriod::NotPaying };
        let timelines = customer_timelines(&table(rows), &settings);
        for period in movements(&timelines, &periods_between(granularity, day(0), day(600)), &|_| true) {
            let Ok(retention) = customer_retention(&period) else { continue };
            let churn = logo_churn(&period, ChurnConvention::StartCustomers).unwrap();
            prop_assert_eq!(retention.numerator + churn.numerator, retention.denominator);
            prop_assert!((retention.fraction() + churn.fraction() - 1.0).abs() < 1e-12);
            let stripe = logo_churn(&period, ChurnConvention::StartAndNewCustomers).unwrap();
            for share in [retention, churn, stripe] {
                prop_assert!((0.0..=1.0).contains(&share.fraction()));
                let (low, high) = share.wilson_interval();
                prop_assert!(0.0 <= low && low <= share.fraction() + 1e-12 && share.fraction() <= high + 1e-12 && high <= 1.0);
            }
            if let (Ok(gross), Ok(grr)) = (gross_mrr_churn(&period), gross_revenue_retention(&period)) {
                prop_assert!((0.0..=1.0).contains(&gross.fraction()), "gross churn {gross:?}");
                prop_assert!((0.0..=1.0).contains(&grr.fraction()), "grr {grr:?}");
                prop_assert!((gross.fraction() + grr.fraction() - 1.0).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn new_user_retention_stays_in_range(
        users in proptest::collection::vec((0u64..60, proptest::collection::vec(0u64..90, 0..8)), 0..30),
        granularity in granularity(),
        on_or_after in any::<bool>(),
    ) {
        let activity: Vec<UserActivity> = users
            .into_iter()
            .map(|(first, later)| {
                let mut periods: Vec<Period> = later.iter().map(|offset| Period::of(granularity, day(first + offset))).collect();
                periods.push(Period::of(granularity, day(first)));
                periods.sort_unstable();
                periods.dedup();
                UserActivity { cohort_date: day(first), active_periods: periods }
            })
            .collect();
        let mode = if on_or_after { RetentionMode::OnOrAfter } else { RetentionMode::On };
        let table = new_user_cohorts(&activity, granularity, mode, day(150));
        for cohort in &table.cohorts {
            for offset in 0..cohort.retained.len() {
                if let Some(share) = cohort.retention(offset) {
                    prop_assert!((0.0..=1.0).contains(&share.fraction()));
                }
            }
            if mode == RetentionMode::OnOrAfter {
                prop_assert!(cohort.retained.windows(2).all(|pair| pair[0] >= pair[1]), "on or after never rises");
            }
        }
    }
}
