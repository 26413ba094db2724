//! Monthly recurring revenue from a subscriptions export, as a step function of time per
//! customer.
//!
//! MRR of one subscription is `price × quantity / (interval count × months per interval)`, with
//! year = 12, quarter = 3, month = 1, week = 12/52 and day = 12/365 months, so a weekly price
//! counts × 52/12. A recurring discount lowers it
//! while it applies; a one-time discount never does. Trials, pauses and the time after the end
//! of a subscription pay nothing. Tax is not part of the price.
//!
//! Rounding: the monthly amount of each subscription segment is computed from the exact
//! fraction and rounded once, half to even, to a whole micro-unit (a millionth of the major
//! unit). Customer MRR and every total are exact integer sums of those rounded amounts, so a
//! total never depends on the order of addition.
//!
//! All subscriptions of a customer in the chosen currency are merged into one [`CustomerMrr`]
//! timeline; other currencies are left out, never converted.

use chrono::{Months, NaiveDate};

use crate::ingest::kinds::{
    DiscountAmount, DiscountDuration, IntervalUnit, Subscription, SubscriptionStatus, Subscriptions, Timestamp,
};
use crate::ingest::Money;

/// The effect of a recurring 100% discount on a customer while it applies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum FreePeriod {
    /// The subscription is free: MRR 0 and not a paying customer, so the customer churns and
    /// later reactivates.
    #[default]
    NotPaying,
    /// The customer stays a customer with MRR 0: a contraction to zero, then an expansion.
    ContractionToZero,
}

/// Settings that change how subscriptions become MRR.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MrrSettings {
    /// The last day the data covers; statuses without dates take effect at its first instant.
    pub as_of: NaiveDate,
    /// Index into `Subscriptions::currencies` (0 when the file names no currency).
    pub currency: u16,
    pub free_period: FreePeriod,
}

/// A customer's merged MRR from one instant on, until the next step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MrrStep {
    pub from: Timestamp,
    pub mrr: Money,
    /// True when the customer counts as a paying customer from `from` on: some subscription has
    /// MRR above zero, or is free under [`FreePeriod::ContractionToZero`].
    pub paying: bool,
}

/// The MRR history of one customer in one currency.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerMrr {
    /// Index into `Subscriptions::customer_ids`.
    pub customer: u32,
    /// Steps in time order; before the first step the customer pays nothing.
    pub steps: Vec<MrrStep>,
}

impl CustomerMrr {
    /// Returns the MRR and paying flag in force at the instant `time`.
    pub fn at(&self, time: Timestamp) -> (Money, bool) {
        let after = self.steps.partition_point(|step| step.from <= time);
        match after.checked_sub(1).and_then(|index| self.steps.get(index)) {
            Some(step) => (step.mrr, step.paying),
            None => (Money::ZERO, false),
        }
    }

    /// Returns the state just before `boundary`: the end of the period that ends there and the
    /// start of the period that begins there.
    pub fn just_before(&self, boundary: Timestamp) -> (Money, bool) {
        self.at(Timestamp { seconds: boundary.seconds - 1 })
    }

    /// Returns the first instant at which the customer was paying, if ever.
    pub fn first_paid(&self) -> Option<Timestamp> {
        self.steps.iter().find(|step| step.paying).map(|step| step.from)
    }
}

/// Months per billing interval as a fraction `(numerator, denominator)`.
fn months_per_interval(unit: IntervalUnit) -> (i128, i128) {
    match unit {
        IntervalUnit::Day => (12, 365),
        IntervalUnit::Week => (12, 52),
        IntervalUnit::Month => (1, 1),
        IntervalUnit::Quarter => (3, 1),
        IntervalUnit::Year => (12, 1),
    }
}

/// Divides exactly and rounds half to even, to whole micro-units.
pub fn divide_half_even(numerator: i128, denominator: i128) -> Money {
    if denominator == 0 {
        return Money::ZERO;
    }
    let (numerator, denominator) = if denominator < 0 { (-numerator, -denominator) } else { (numerator, denominator) };
    let quotient = numerator.div_euclid(denominator);
    let twice_remainder = 2 * numerator.rem_euclid(denominator);
    let rounded = if twice_remainder > denominator || (twice_remainder == denominator && quotient % 2 != 0) {
        quotient + 1
    } else {
        quotient
    };
    Money::from_micros(i64::try_from(rounded).unwrap_or(if rounded > 0 { i64::MAX } else { i64::MIN }))
}

/// Returns the monthly amount of one invoice of `invoice` micro-units scaled by
/// `scale_numerator / scale_denominator`, billed every `interval_count` `unit`s.
fn monthly(invoice: i128, scale: (i128, i128), unit: IntervalUnit, interval_count: u32) -> Money {
    let (months_numerator, months_denominator) = months_per_interval(unit);
    let count = i128::from(interval_count.max(1));
    divide_half_even(invoice * scale.0 * months_denominator, scale.1 * count * months_numerator)
}

/// Returns the MRR of a subscription at its full price, before discounts.
pub fn undiscounted_mrr(subscription: &Subscription) -> Money {
    let invoice = i128::from(subscription.unit_price.micros) * i128::from(subscription.quantity);
    monthly(invoice, (1, 1), subscription.interval, subscription.interval_count)
}

/// Returns the MRR of a subscription while its recurring discount applies.
pub fn discounted_mrr(subscription: &Subscription) -> Money {
    let invoice = i128::from(subscription.unit_price.micros) * i128::from(subscription.quantity);
    let Some(discount) = subscription.discount else {
        return undiscounted_mrr(subscription);
    };
    match discount.amount {
        DiscountAmount::PercentOff { basis_points } => {
            let remaining_basis_points = 10_000 - i128::from(basis_points.min(10_000));
            monthly(invoice, (remaining_basis_points, 10_000), subscription.interval, subscription.interval_count)
        }
        DiscountAmount::AmountOff(amount) => {
            let net = (invoice - i128::from(amount.micros)).max(0);
            monthly(net, (1, 1), subscription.interval, subscription.interval_count)
        }
    }
}

/// Returns the instant a subscription stops paying for good, or `None` while it runs.
///
/// The export's ended-at time; else the end of the current period when it cancels at period
/// end; else its cancelled-at time. `unpaid`, `incomplete_expired` and `canceled` rows with
/// none of these end at the first instant of the as-of date.
pub fn subscription_end(subscription: &Subscription, as_of: NaiveDate) -> Option<Timestamp> {
    let dated = subscription.ended_at.or_else(|| {
        if subscription.cancel_at_period_end {
            subscription.current_period_end.or(subscription.canceled_at)
        } else {
            subscription.canceled_at
        }
    });
    let ended_status = matches!(
        subscription.status,
        SubscriptionStatus::Canceled | SubscriptionStatus::Unpaid | SubscriptionStatus::IncompleteExpired
    );
    match dated {
        Some(end) => Some(end),
        None if ended_status => Some(Timestamp::start_of(as_of)),
        None => None,
    }
}

/// A stretch of one subscription with a constant state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    from: Timestamp,
    /// `None`: open-ended.
    to: Option<Timestamp>,
    mrr: Money,
    paying: bool,
}

/// A window `[from, to)` in which something applies; `to: None` is open-ended.
type Window = (Timestamp, Option<Timestamp>);

fn in_window(window: Option<Window>, time: Timestamp) -> bool {
    window.is_some_and(|(from, to)| from <= time && to.is_none_or(|to| time < to))
}

/// The window in which a subscription pays nothing because of a trial.
fn trial_window(subscription: &Subscription) -> Option<Window> {
    match (subscription.trial_start, subscription.trial_end) {
        (start, Some(end)) => Some((start.unwrap_or(subscription.start), Some(end))),
        (Some(start), None) if subscription.status == SubscriptionStatus::Trialing => Some((start, None)),
        (Some(_), None) => None,
        (None, None) if subscription.status == SubscriptionStatus::Trialing => Some((subscription.start, None)),
        (None, None) => None,
    }
}

/// The window in which a paused subscription pays nothing.
fn pause_window(subscription: &Subscription, as_of: NaiveDate) -> Option<Window> {
    (subscription.status == SubscriptionStatus::Paused)
        .then(|| (subscription.paused_at.unwrap_or(Timestamp::start_of(as_of)), None))
}

/// The window in which a recurring discount lowers the price; `None` for a one-time discount.
fn discount_window(subscription: &Subscription) -> Option<Window> {
    let discount = subscription.discount?;
    let start = discount.start.unwrap_or(subscription.start);
    match discount.duration {
        DiscountDuration::Once => None,
        DiscountDuration::Forever => Some((start, discount.end)),
        DiscountDuration::Repeating { months } => {
            let counted_end = start.to_naive().checked_add_months(Months::new(months)).map(Timestamp::from_naive);
            Some((start, discount.end.or(counted_end)))
        }
    }
}

/// Splits a subscription into stretches of constant MRR, from its start to its end.
fn segments(subscription: &Subscription, settings: &MrrSettings) -> Vec<Segment> {
    if subscription.status == SubscriptionStatus::Incomplete {
        return Vec::new();
    }
    let end = subscription_end(subscription, settings.as_of);
    if end.is_some_and(|end| end <= subscription.start) {
        return Vec::new();
    }

    let trial = trial_window(subscription);
    let pause = pause_window(subscription, settings.as_of);
    let discount = discount_window(subscription);
    let full = undiscounted_mrr(subscription);
    let reduced = discounted_mrr(subscription);

    let mut boundaries = vec![subscription.start];
    for (from, to) in [trial, pause, discount].into_iter().flatten() {
        boundaries.push(from);
        boundaries.extend(to);
    }
    boundaries.retain(|time| *time >= subscription.start && end.is_none_or(|end| *time < end));
    boundaries.sort_unstable();
    boundaries.dedup();

    let mut result = Vec::with_capacity(boundaries.len());
    for (index, from) in boundaries.iter().enumerate() {
        let to = boundaries.get(index + 1).copied().or(end);
        let (mrr, paying) = if in_window(trial, *from) || in_window(pause, *from) {
            (Money::ZERO, false)
        } else if in_window(discount, *from) {
            let free = !reduced.is_positive() && full.is_positive();
            (reduced, reduced.is_positive() || (free && settings.free_period == FreePeriod::ContractionToZero))
        } else {
            (full, full.is_positive())
        };
        result.push(Segment { from: *from, to, mrr, paying });
    }
    result
}

/// Builds one merged MRR timeline per customer that has a subscription in the chosen currency,
/// in customer index order.
pub fn customer_timelines(subscriptions: &Subscriptions, settings: &MrrSettings) -> Vec<CustomerMrr> {
    let mut changes_by_customer: Vec<Vec<(Timestamp, i64, i32)>> = vec![Vec::new(); subscriptions.customer_ids.len()];
    let mut seen = vec![false; subscriptions.customer_ids.len()];
    for subscription in subscriptions.rows.iter().filter(|row| row.currency == settings.currency) {
        let Some(changes) = changes_by_customer.get_mut(subscription.customer as usize) else {
            continue;
        };
        seen[subscription.customer as usize] = true;
        for segment in segments(subscription, settings) {
            let paying = i32::from(segment.paying);
            changes.push((segment.from, segment.mrr.micros, paying));
            if let Some(to) = segment.to {
                changes.push((to, -segment.mrr.micros, -paying));
            }
        }
    }

    changes_by_customer
        .into_iter()
        .enumerate()
        .filter(|(customer, _)| seen[*customer])
        .map(|(customer, changes)| CustomerMrr { customer: customer as u32, steps: merge_changes(changes) })
        .collect()
}

/// Turns `(instant, MRR change, paying-subscription change)` triples into steps, one per
/// distinct instant at which the merged state changes.
fn merge_changes(mut changes: Vec<(Timestamp, i64, i32)>) -> Vec<MrrStep> {
    changes.sort_unstable_by_key(|change| change.0);
    let mut steps: Vec<MrrStep> = Vec::new();
    let (mut mrr, mut paying_count) = (0i64, 0i32);
    let mut index = 0;
    while index < changes.len() {
        let time = changes[index].0;
        while index < changes.len() && changes[index].0 == time {
            mrr += changes[index].1;
            paying_count += changes[index].2;
            index += 1;
        }
        let step = MrrStep { from: time, mrr: Money::from_micros(mrr), paying: paying_count > 0 };
        let unchanged = steps.last().is_some_and(|last| last.mrr == step.mrr && last.paying == step.paying);
        if !unchanged {
            steps.push(step);
        }
    }
    steps
}

/// Total MRR and paying customers at one instant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MrrTotal {
    pub mrr: Money,
    pub paying_customers: u64,
}

/// Sums the MRR of the customers paying just before `boundary` (the end of the period that
/// ends there), keeping only the customers that `include` accepts.
pub fn total_just_before(timelines: &[CustomerMrr], boundary: Timestamp, include: &dyn Fn(u32) -> bool) -> MrrTotal {
    let mut total = MrrTotal::default();
    for timeline in timelines.iter().filter(|timeline| include(timeline.customer)) {
        let (mrr, paying) = timeline.just_before(boundary);
        if paying {
            total.mrr += mrr;
            total.paying_customers += 1;
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testing::{date, subscription, subscriptions};

    fn settings() -> MrrSettings {
        MrrSettings { as_of: date("2024-12-31"), currency: 0, free_period: FreePeriod::NotPaying }
    }

    fn at(timeline: &CustomerMrr, day: &str) -> (Money, bool) {
        timeline.at(Timestamp::start_of(date(day)))
    }

    #[test]
    fn intervals_normalise_to_months() {
        let mut row = subscription("a", "2024-01-01", 120_00);
        row.interval = IntervalUnit::Year;
        assert_eq!(undiscounted_mrr(&row), Money::from_cents(10_00));
        row.interval = IntervalUnit::Quarter;
        assert_eq!(undiscounted_mrr(&row), Money::from_cents(40_00));
        row.interval = IntervalUnit::Week;
        row.unit_price = Money::from_cents(12_00);
        assert_eq!(undiscounted_mrr(&row), Money::from_cents(52_00));
        row.interval = IntervalUnit::Day;
        row.unit_price = Money::from_cents(12_00);
        assert_eq!(undiscounted_mrr(&row), Money::from_cents(365_00));
        row.interval = IntervalUnit::Month;
        row.interval_count = 6;
        row.quantity = 3;
        assert_eq!(undiscounted_mrr(&row), Money::from_cents(6_00));
    }

    #[test]
    fn annual_price_rounds_half_to_even_at_the_micro_unit() {
        // 100.00 / 12 = 8.333333…, 0.000018 / 12 = 0.0000015 → 0.000002 (even), 0.000030 / 12 =
        // 0.0000025 → 0.000002 (even).
        let mut row = subscription("a", "2024-01-01", 100_00);
        row.interval = IntervalUnit::Year;
        assert_eq!(undiscounted_mrr(&row), Money::from_micros(8_333_333));
        row.unit_price = Money::from_micros(18);
        assert_eq!(undiscounted_mrr(&row), Money::from_micros(2));
        row.unit_price = Money::from_micros(30);
        assert_eq!(undiscounted_mrr(&row), Money::from_micros(2));
        assert_eq!(divide_half_even(-5, 2), Money::from_micros(-2));
    }

    #[test]
    fn trial_pays_nothing_until_it_ends() {
        let mut row = subscription("a", "2024-01-01", 50_00);
        row.trial_end = Some(Timestamp::start_of(date("2024-01-15")));
        let table = subscriptions(vec![row]);
        let timeline = &customer_timelines(&table, &settings())[0];
        assert_eq!(at(timeline, "2024-01-10"), (Money::ZERO, false));
        assert_eq!(at(timeline, "2024-01-15"), (Money::from_cents(50_00), true));
        assert_eq!(timeline.first_paid(), Some(Timestamp::start_of(date("2024-01-15"))));
    }

    #[test]
    fn trialing_without_dates_never_pays() {
        let mut row = subscription("a", "2024-01-01", 50_00);
        row.status = SubscriptionStatus::Trialing;
        let timeline = &customer_timelines(&subscriptions(vec![row]), &settings())[0];
        assert_eq!(timeline.first_paid(), None);
    }

    #[test]
    fn repeating_discount_lowers_mrr_for_its_months() {
        let mut row = subscription("a", "2024-01-15", 100_00);
        row.discount = Some(crate::ingest::kinds::Discount {
            amount: DiscountAmount::PercentOff { basis_points: 2_500 },
            duration: DiscountDuration::Repeating { months: 2 },
            start: None,
            end: None,
        });
        let timeline = &customer_timelines(&subscriptions(vec![row]), &settings())[0];
        assert_eq!(at(timeline, "2024-02-01").0, Money::from_cents(75_00));
        assert_eq!(at(timeline, "2024-03-14").0, Money::from_cents(75_00));
        assert_eq!(at(timeline, "2024-03-15").0, Money::from_cents(100_00));
    }

    #[test]
    fn one_time_discount_never_lowers_mrr() {
        let mut row = subscription("a", "2024-01-01", 100_00);
        row.discount = Some(crate::ingest::kinds::Discount {
            amount: DiscountAmount::PercentOff { basis_points: 10_000 },
            duration: DiscountDuration::Once,
            start: None,
            end: None,
        });
        let timeline = &customer_timelines(&subscriptions(vec![row]), &settings())[0];
        assert_eq!(at(timeline, "2024-01-01"), (Money::from_cents(100_00), true));
    }

    #[test]
    fn free_discount_is_not_paying_unless_set_as_contraction() {
        let mut row = subscription("a", "2024-01-01", 100_00);
        row.discount = Some(crate::ingest::kinds::Discount {
            amount: DiscountAmount::AmountOff(Money::from_cents(150_00)),
            duration: DiscountDuration::Forever,
            start: Some(Timestamp::start_of(date("2024-03-01"))),
            end: Some(Timestamp::start_of(date("2024-04-01"))),
        });
        let table = subscriptions(vec![row]);
        let timeline = &customer_timelines(&table, &settings())[0];
        assert_eq!(at(timeline, "2024-03-10"), (Money::ZERO, false));
        assert_eq!(at(timeline, "2024-04-01"), (Money::from_cents(100_00), true));

        let kept = MrrSettings { free_period: FreePeriod::ContractionToZero, ..settings() };
        let timeline = &customer_timelines(&table, &kept)[0];
        assert_eq!(at(timeline, "2024-03-10"), (Money::ZERO, true));
    }

    #[test]
    fn end_follows_ended_then_period_end_then_cancel() {
        let mut row = subscription("a", "2024-01-01", 10_00);
        row.status = SubscriptionStatus::Canceled;
        assert_eq!(subscription_end(&row, date("2024-06-30")), Some(Timestamp::start_of(date("2024-06-30"))));
        row.canceled_at = Some(Timestamp::start_of(date("2024-03-10")));
        assert_eq!(subscription_end(&row, date("2024-06-30")), row.canceled_at);
        row.cancel_at_period_end = true;
        row.current_period_end = Some(Timestamp::start_of(date("2024-04-01")));
        assert_eq!(subscription_end(&row, date("2024-06-30")), row.current_period_end);
        row.ended_at = Some(Timestamp::start_of(date("2024-03-20")));
        assert_eq!(subscription_end(&row, date("2024-06-30")), row.ended_at);
    }

    #[test]
    fn paused_and_incomplete_pay_nothing() {
        let mut paused = subscription("a", "2024-01-01", 10_00);
        paused.status = SubscriptionStatus::Paused;
        paused.paused_at = Some(Timestamp::start_of(date("2024-02-01")));
        let mut incomplete = subscription("b", "2024-01-01", 10_00);
        incomplete.status = SubscriptionStatus::Incomplete;
        let timelines = customer_timelines(&subscriptions(vec![paused, incomplete]), &settings());
        assert_eq!(at(&timelines[0], "2024-01-31").0, Money::from_cents(10_00));
        assert_eq!(at(&timelines[0], "2024-02-01"), (Money::ZERO, false));
        assert_eq!(timelines[1].first_paid(), None);
    }

    #[test]
    fn subscriptions_of_a_customer_merge() {
        let first = subscription("a", "2024-01-01", 10_00);
        let second = subscription("a", "2024-02-01", 5_00);
        let timelines = customer_timelines(&subscriptions(vec![first, second]), &settings());
        assert_eq!(timelines.len(), 1);
        assert_eq!(at(&timelines[0], "2024-02-01").0, Money::from_cents(15_00));
        let total = total_just_before(&timelines, Timestamp::start_of(date("2024-03-01")), &|_| true);
        assert_eq!(total, MrrTotal { mrr: Money::from_cents(15_00), paying_customers: 1 });
    }

    #[test]
    fn other_currencies_are_left_out() {
        let mut euro = subscription("a", "2024-01-01", 10_00);
        euro.currency = 1;
        let mut table = subscriptions(vec![euro, subscription("b", "2024-01-01", 7_00)]);
        table.currencies = vec!["USD".into(), "EUR".into()];
        let timelines = customer_timelines(&table, &settings());
        assert_eq!(timelines.len(), 1);
        assert_eq!(table.customer_ids[timelines[0].customer as usize], "b");
    }
}
