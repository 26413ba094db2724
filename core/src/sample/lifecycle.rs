//! A customer's billing life: subscriptions, one invoice per billing period, and the charge
//! attempts that pay (or fail to pay) each invoice.
//!
//! A plan or seat change ends the old subscription and starts a new one at the same instant,
//! with the cancellation reason left blank. Stripe changes a subscription in place, so its
//! export contains only the latest plan of each subscription. A replacement row instead keeps
//! the history that expansion and contraction are measured from. Changes happen only at
//! renewal, so no invoice is prorated.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::calendar::{add_months, DAY, HOUR, MINUTE};
use super::catalog::{Coupon, Currency, Interval, Plan};
use super::ids::stripe_id;

const TRIAL_DAYS: i64 = 14;
/// Days after a failed charge at which Stripe's smart retries try again; the subscription is
/// canceled when the last retry fails.
const RETRY_DAYS: [i64; 3] = [3, 5, 7];

/// Stripe's subscription status at export time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Trialing,
    Active,
    PastDue,
    Canceled,
}

impl Status {
    pub fn word(self) -> &'static str {
        match self {
            Status::Trialing => "trialing",
            Status::Active => "active",
            Status::PastDue => "past_due",
            Status::Canceled => "canceled",
        }
    }
}

/// The reason a subscription ended or is set to end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndReason {
    /// The customer asked to cancel at the end of the period (or of the trial).
    Requested,
    /// Every retry of a charge failed.
    PaymentFailed,
    /// A plan or seat change started a new subscription.
    Replaced,
}

impl EndReason {
    /// Stripe's `cancellation_details.reason`; blank for a replaced subscription.
    pub fn stripe_reason(self) -> &'static str {
        match self {
            EndReason::Requested => "cancellation_requested",
            EndReason::PaymentFailed => "payment_failed",
            EndReason::Replaced => "",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Refund {
    pub amount_minor: i64,
    pub at: i64,
}

/// One attempt to collect an invoice: one row of the payments export.
#[derive(Clone, Debug)]
pub struct Charge {
    pub id: String,
    pub payment_intent: String,
    pub created: i64,
    pub amount_minor: i64,
    pub paid: bool,
    pub refund: Option<Refund>,
}

#[derive(Clone, Debug)]
pub struct Invoice {
    pub id: String,
    pub period_start: i64,
    pub period_end: i64,
    /// The amount due after the coupon, in minor units. A zero invoice has no charges.
    pub amount_minor: i64,
    pub charges: Vec<Charge>,
}

#[derive(Clone, Debug)]
pub struct Subscription {
    pub id: String,
    pub plan: Plan,
    pub interval: Interval,
    pub quantity: u32,
    pub currency: Currency,
    pub created: i64,
    /// Trial start and end; a trial starts when the subscription is created.
    pub trial: Option<(i64, i64)>,
    pub coupon: Option<Coupon>,
    pub status: Status,
    pub current_period: (i64, i64),
    pub canceled_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub cancel_at_period_end: bool,
    pub end_reason: Option<EndReason>,
    pub invoices: Vec<Invoice>,
}

impl Subscription {
    /// The first instant without service: the ended-at time, else the scheduled end of the
    /// current period, else `None` while it runs on.
    pub fn service_end(&self) -> Option<i64> {
        self.ended_at.or(self.cancel_at_period_end.then_some(self.current_period.1))
    }

    /// The monthly seat price times the seats, in minor units, before any coupon.
    pub fn list_price_minor(&self) -> i64 {
        self.plan.seat_price_minor(self.currency, self.interval) * i64::from(self.quantity)
    }

    fn amount_due_minor(&self, period_start: i64) -> i64 {
        let list = self.list_price_minor();
        let Some(coupon) = self.coupon else {
            return list;
        };
        let applies = match coupon.duration_months() {
            None => true,
            Some(months) => period_start < add_months(self.created, months),
        };
        if applies {
            list - list * coupon.percent_off() / 100
        } else {
            list
        }
    }
}

/// The plan, seats, currency and coupon a subscription starts with.
#[derive(Clone, Copy, Debug)]
pub struct Terms {
    pub plan: Plan,
    pub interval: Interval,
    pub quantity: u32,
    pub currency: Currency,
    pub coupon: Option<Coupon>,
}

/// The outcome of a run of continuous service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpellEnd {
    /// Still in service at the export instant.
    Running,
    /// Ended at this instant for this reason.
    Ended { at: i64, reason: EndReason, after_trial_only: bool },
}

/// The chances that drive a customer's billing, fixed per customer.
#[derive(Clone, Copy, Debug)]
pub struct Behaviour {
    /// The chance per month of asking to cancel.
    pub monthly_churn: f64,
    /// The chance that a charge attempt fails.
    pub charge_failure: f64,
    /// The chance per month of buying more (seats, a higher plan or annual billing).
    pub monthly_expansion: f64,
    /// The chance per month of buying less.
    pub monthly_contraction: f64,
}

/// Simulates one run of continuous service that starts at `start`, pushing each subscription
/// (the first and any replacements) onto `out`. Nothing happens at or after `export_at`.
pub fn run_spell(
    rng: &mut ChaCha8Rng,
    start: i64,
    export_at: i64,
    mut terms: Terms,
    with_trial: bool,
    behaviour: &Behaviour,
    out: &mut Vec<Subscription>,
) -> SpellEnd {
    let mut subscription = new_subscription(rng, start, terms, with_trial);
    if let Some((_, trial_end)) = subscription.trial {
        if trial_end >= export_at {
            subscription.status = Status::Trialing;
            subscription.current_period = (start, trial_end);
            out.push(subscription);
            return SpellEnd::Running;
        }
        if !rng.random_bool(0.7) {
            return end_trial(rng, subscription, out);
        }
    }

    let mut anchor = subscription.trial.map_or(start, |(_, trial_end)| trial_end);
    let mut periods_billed = 0u32;
    loop {
        let months = terms.interval.months();
        let period_start = add_months(anchor, periods_billed * months);
        let period_end = add_months(anchor, (periods_billed + 1) * months);
        subscription.current_period = (period_start, period_end);

        let collection = collect_invoice(rng, &mut subscription, period_start, export_at, behaviour);
        match collection {
            Collection::Failed { at } => {
                subscription.status = Status::Canceled;
                subscription.canceled_at = Some(at);
                subscription.ended_at = Some(at);
                subscription.end_reason = Some(EndReason::PaymentFailed);
                out.push(subscription);
                return SpellEnd::Ended { at, reason: EndReason::PaymentFailed, after_trial_only: false };
            }
            Collection::Pending => {
                subscription.status = Status::PastDue;
                out.push(subscription);
                return SpellEnd::Running;
            }
            Collection::Paid => {}
        }

        let churn_chance = chance_over_months(behaviour.monthly_churn, months);
        if period_end >= export_at {
            subscription.status = Status::Active;
            if rng.random_bool(churn_chance / 2.0) {
                let requested_at = rng.random_range(period_start..export_at);
                subscription.canceled_at = Some(requested_at);
                subscription.cancel_at_period_end = true;
                subscription.end_reason = Some(EndReason::Requested);
            }
            out.push(subscription);
            return SpellEnd::Running;
        }

        if rng.random_bool(churn_chance) {
            let earliest = period_start.max(period_end - 25 * DAY);
            subscription.status = Status::Canceled;
            subscription.canceled_at = Some(rng.random_range(earliest..period_end));
            subscription.ended_at = Some(period_end);
            subscription.cancel_at_period_end = true;
            subscription.end_reason = Some(EndReason::Requested);
            out.push(subscription);
            return SpellEnd::Ended { at: period_end, reason: EndReason::Requested, after_trial_only: false };
        }

        if let Some(changed) = change_terms(rng, terms, behaviour) {
            subscription.status = Status::Canceled;
            subscription.canceled_at = Some(period_end);
            subscription.ended_at = Some(period_end);
            subscription.end_reason = Some(EndReason::Replaced);
            out.push(subscription);
            terms = changed;
            subscription = new_subscription(rng, period_end, terms, false);
            anchor = period_end;
            periods_billed = 0;
            continue;
        }
        periods_billed += 1;
    }
}

fn new_subscription(rng: &mut ChaCha8Rng, start: i64, terms: Terms, with_trial: bool) -> Subscription {
    Subscription {
        id: stripe_id(rng, "sub", 24),
        plan: terms.plan,
        interval: terms.interval,
        quantity: terms.quantity,
        currency: terms.currency,
        created: start,
        trial: with_trial.then_some((start, start + TRIAL_DAYS * DAY)),
        coupon: terms.coupon,
        status: Status::Active,
        current_period: (start, start),
        canceled_at: None,
        ended_at: None,
        cancel_at_period_end: false,
        end_reason: None,
        invoices: Vec::new(),
    }
}

/// Ends a trial that does not convert: the customer cancels in its last days.
fn end_trial(rng: &mut ChaCha8Rng, mut subscription: Subscription, out: &mut Vec<Subscription>) -> SpellEnd {
    let (trial_start, trial_end) = subscription.trial.unwrap_or((subscription.created, subscription.created));
    subscription.status = Status::Canceled;
    subscription.current_period = (trial_start, trial_end);
    subscription.canceled_at = Some(rng.random_range(trial_end - 5 * DAY..trial_end));
    subscription.ended_at = Some(trial_end);
    subscription.cancel_at_period_end = true;
    subscription.end_reason = Some(EndReason::Requested);
    out.push(subscription);
    SpellEnd::Ended { at: trial_end, reason: EndReason::Requested, after_trial_only: true }
}

enum Collection {
    Paid,
    /// A retry is still scheduled at the export instant.
    Pending,
    /// Every attempt failed; the last one was at this instant.
    Failed { at: i64 },
}

/// Bills one period: one invoice, then charge attempts until one succeeds or the retries run out.
fn collect_invoice(
    rng: &mut ChaCha8Rng,
    subscription: &mut Subscription,
    period_start: i64,
    export_at: i64,
    behaviour: &Behaviour,
) -> Collection {
    let amount_minor = subscription.amount_due_minor(period_start);
    let period_end = add_months(period_start, subscription.interval.months());
    let mut invoice =
        Invoice { id: stripe_id(rng, "in", 24), period_start, period_end, amount_minor, charges: Vec::new() };
    if amount_minor == 0 {
        subscription.invoices.push(invoice);
        return Collection::Paid;
    }

    let first_attempt = period_start + rng.random_range(MINUTE..HOUR);
    let attempt_times = std::iter::once(first_attempt).chain(RETRY_DAYS.iter().map(|days| first_attempt + days * DAY));
    // An invoice whose first attempt would fall after the export is still a draft: nothing is due yet.
    let mut outcome = if first_attempt >= export_at { Collection::Paid } else { Collection::Pending };
    for (attempt, created) in attempt_times.enumerate() {
        if created >= export_at {
            break;
        }
        let failure_chance = if attempt == 0 { behaviour.charge_failure } else { 0.45 };
        let paid = !rng.random_bool(failure_chance);
        let refund = if paid { draw_refund(rng, amount_minor, created, export_at) } else { None };
        invoice.charges.push(Charge {
            id: stripe_id(rng, "ch", 24),
            payment_intent: stripe_id(rng, "pi", 24),
            created,
            amount_minor,
            paid,
            refund,
        });
        if paid {
            outcome = Collection::Paid;
            break;
        }
        if attempt == RETRY_DAYS.len() {
            outcome = Collection::Failed { at: created };
        }
    }
    subscription.invoices.push(invoice);
    outcome
}

/// About 2% of paid charges are refunded, most in full, some in part.
fn draw_refund(rng: &mut ChaCha8Rng, amount_minor: i64, paid_at: i64, export_at: i64) -> Option<Refund> {
    if !rng.random_bool(0.02) {
        return None;
    }
    let at = paid_at + rng.random_range(1..=20) * DAY + rng.random_range(0..DAY);
    if at >= export_at {
        return None;
    }
    let amount_minor = if rng.random_bool(0.6) { amount_minor } else { amount_minor / 2 };
    Some(Refund { amount_minor, at })
}

/// The chance of at least one event over `months` months, given a monthly chance.
fn chance_over_months(monthly: f64, months: u32) -> f64 {
    let mut staying = 1.0;
    for _ in 0..months {
        staying *= 1.0 - monthly;
    }
    1.0 - staying
}

/// Decides at a renewal whether the customer buys more or less, and returns the new terms.
fn change_terms(rng: &mut ChaCha8Rng, terms: Terms, behaviour: &Behaviour) -> Option<Terms> {
    let months = terms.interval.months();
    let mut changed = terms;
    if rng.random_bool(chance_over_months(behaviour.monthly_expansion, months)) {
        match rng.random_range(0..10) {
            0..6 => changed.quantity += rng.random_range(1..=terms.quantity.div_ceil(3).max(1)),
            6..8 if terms.plan != Plan::Enterprise => changed.plan = terms.plan.higher(),
            8 if terms.interval == Interval::Month => changed.interval = Interval::Year,
            _ => changed.quantity += 1,
        }
    } else if rng.random_bool(chance_over_months(behaviour.monthly_contraction, months)) {
        if terms.quantity > 1 && rng.random_bool(0.75) {
            changed.quantity -= rng.random_range(1..=terms.quantity.div_ceil(4));
        } else if terms.plan != Plan::Starter {
            changed.plan = terms.plan.lower();
        } else {
            return None;
        }
    } else {
        return None;
    }
    if changed.coupon.and_then(Coupon::duration_months).is_some() {
        changed.coupon = None;
    }
    Some(changed)
}
