//! The simulated customers and their lives: who they are, when they subscribe, churn and come
//! back, and the people who use the product for them.
//!
//! Each customer is simulated from its own random stream (the seed, stream = its number), so a
//! customer's life does not depend on how many customers are simulated. Every export is written
//! from this one model, which keeps the files consistent with each other.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::calendar::{add_months, DAY, HOUR};
use super::catalog::{
    pick, CompanySize, Coupon, Interval, Plan, Region, ACCOUNT_OWNERS, COMPANY_STEMS, COMPANY_TRADES,
    FEATURES, FIRST_NAMES, LAST_NAMES, PLATFORMS,
};
use super::ids::stripe_id;
use super::lifecycle::{run_spell, Behaviour, EndReason, SpellEnd, Subscription, Terms};
use super::{SampleSize, Span};

/// Random streams below this number are used by the exporters; customers use the ones above.
const CUSTOMER_STREAM_BASE: u64 = 1 << 32;
const MAX_REACTIVATIONS: u32 = 2;
const MAX_USERS: u32 = 60;

/// A run of continuous service, from a first subscription to the end of its last replacement.
#[derive(Clone, Debug)]
pub struct Spell {
    pub start: i64,
    /// The first instant without service; `None` while it runs at export time.
    pub end: Option<i64>,
    /// Whether the customer asked to leave, so usage fades in the weeks before the end.
    pub ends_by_request: bool,
}

/// A person who uses the product for a customer.
#[derive(Clone, Debug)]
pub struct User {
    pub id: String,
    pub name: String,
    pub email: String,
    /// A number unique across the company: the customer's number times 100 plus the user's
    /// position in the team. Vendors' numeric person ids are derived from it.
    pub serial: u64,
    /// Days from the customer's first service start to the user's first day.
    pub joined_after_days: i64,
    /// Days from the customer's first service start to the day the user leaves the team.
    pub left_after_days: Option<i64>,
    /// How much the user uses the product, from 0.2 to 1.
    pub engagement: f64,
    pub platform: &'static str,
    /// For each feature in `FEATURES`, days from the user's first day to first use.
    pub adoption_after_days: Vec<Option<i64>>,
}

#[derive(Clone, Debug)]
pub struct Customer {
    /// The 1-based position of the customer in the simulation.
    pub number: u64,
    pub id: String,
    pub name: String,
    pub domain: String,
    pub industry: &'static str,
    pub country: &'static str,
    pub employees: u32,
    pub region: Region,
    pub size: CompanySize,
    pub owner: &'static str,
    pub billing_contact: String,
    pub billing_email: String,
    /// When the company entered the CRM, before it first subscribed.
    pub crm_created: i64,
    /// The customer's satisfaction, from 0 to 1. Low health means more churn, more tickets,
    /// lower survey scores and less usage.
    pub health: f64,
    pub subscriptions: Vec<Subscription>,
    pub spells: Vec<Spell>,
    pub users: Vec<User>,
}

impl Customer {
    pub fn first_start(&self) -> i64 {
        self.spells.first().map_or(0, |spell| spell.start)
    }

    /// The spell in service at `instant`, if any.
    pub fn spell_at(&self, instant: i64) -> Option<&Spell> {
        self.spells.iter().find(|spell| spell.start <= instant && spell.end.is_none_or(|end| instant < end))
    }

    /// The subscription in service at `instant`, if any.
    pub fn subscription_at(&self, instant: i64) -> Option<&Subscription> {
        self.subscriptions
            .iter()
            .find(|subscription| subscription.created <= instant && subscription.service_end().is_none_or(|end| instant < end))
    }

    /// The latest subscription, which sets the plan shown in the CRM.
    pub fn latest_subscription(&self) -> Option<&Subscription> {
        self.subscriptions.last()
    }

    /// Whether `instant` lies in the months before a requested cancellation, when the customer
    /// is already unhappy.
    pub fn is_winding_down(&self, instant: i64, window_days: i64) -> bool {
        self.spell_at(instant).is_some_and(|spell| {
            spell.ends_by_request && spell.end.is_some_and(|end| end - instant < window_days * DAY)
        })
    }
}

/// The whole simulated company.
#[derive(Clone, Debug)]
pub struct Company {
    pub seed: u64,
    /// The first instant of the simulated span.
    pub start: i64,
    /// The instant the exports are taken: the end of the span's last day.
    pub export_at: i64,
    pub customers: Vec<Customer>,
}

impl Company {
    /// Simulates customers until `size` is met: at least `size.customers`, and more while the
    /// subscription or payment rows fall short of their targets.
    pub fn simulate(seed: u64, size: &SampleSize) -> Company {
        let (start, export_at) = size.span.bounds();
        let mut company = Company { seed, start, export_at, customers: Vec::new() };
        let mut subscription_rows = 0;
        let mut payment_rows = 0;
        let mut number = 0;
        while number < size.customers as u64
            || subscription_rows < size.subscriptions.unwrap_or(0)
            || payment_rows < size.payments.unwrap_or(0)
        {
            number += 1;
            let customer = simulate_customer(seed, number, &size.span, start, export_at);
            subscription_rows += customer.subscriptions.len();
            payment_rows += customer
                .subscriptions
                .iter()
                .flat_map(|subscription| &subscription.invoices)
                .map(|invoice| invoice.charges.len())
                .sum::<usize>();
            company.customers.push(customer);
        }
        company
    }

    /// A random generator for one exporter, independent of the customers' streams.
    pub fn exporter_rng(&self, stream: u64) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(stream);
        rng
    }
}

fn simulate_customer(seed: u64, number: u64, span: &Span, start: i64, export_at: i64) -> Customer {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(CUSTOMER_STREAM_BASE + number);

    let region = Region::draw(&mut rng);
    let size = CompanySize::draw(&mut rng);
    let health = (rng.random::<f64>() + rng.random::<f64>()) / 2.0;
    let acquired = draw_acquisition(&mut rng, span, start, region);
    let (name, domain, industry) = draw_company_name(&mut rng, region);
    let (billing_contact, billing_email) = draw_person(&mut rng, &domain);

    let mut customer = Customer {
        number,
        id: stripe_id(&mut rng, "cus", 14),
        name,
        domain,
        industry,
        country: pick(&mut rng, region.countries()),
        employees: size.employees(&mut rng),
        region,
        size,
        owner: pick(&mut rng, &ACCOUNT_OWNERS),
        billing_contact,
        billing_email,
        crm_created: acquired - rng.random_range(7..120) * DAY - rng.random_range(0..DAY),
        health,
        subscriptions: Vec::new(),
        spells: Vec::new(),
        users: Vec::new(),
    };
    live(&mut rng, &mut customer, acquired, export_at);
    customer.users = draw_users(&mut rng, &customer);
    customer
}

/// Draws when the customer first subscribes: a fifth in the span's first month (the base the
/// company already had), the rest at a rate that grows linearly over the span.
fn draw_acquisition(rng: &mut ChaCha8Rng, span: &Span, start: i64, region: Region) -> i64 {
    let month = if rng.random_bool(0.2) {
        0
    } else {
        let growth = rng.random::<f64>().sqrt();
        1 + (growth * f64::from(span.months.saturating_sub(1))) as u32
    };
    let month_start = add_months(start, month.min(span.months.saturating_sub(1)));
    let local_hour = rng.random_range(8..18);
    // The latest draw, day 27 of the span's last month, still lies before the export instant.
    let utc_hour = (local_hour + region.utc_offset_hours()).rem_euclid(24);
    month_start + rng.random_range(0..28) * DAY + utc_hour * HOUR + rng.random_range(0..HOUR)
}

fn draw_company_name(rng: &mut ChaCha8Rng, region: Region) -> (String, String, &'static str) {
    let stem = pick(rng, &COMPANY_STEMS);
    let (trade, industry) = pick(rng, &COMPANY_TRADES);
    let legal_form = match region {
        Region::Europe => " GmbH",
        Region::UnitedKingdom => " Ltd",
        Region::NorthAmerica | Region::AsiaPacific => "",
    };
    let name = format!("{stem} {trade}{legal_form}");
    let domain = format!("{}{}.example", stem.to_lowercase(), trade.to_lowercase());
    (name, domain, industry)
}

fn draw_person(rng: &mut ChaCha8Rng, domain: &str) -> (String, String) {
    let first = pick(rng, &FIRST_NAMES);
    let last = pick(rng, &LAST_NAMES);
    let email = format!("{}.{}@{domain}", first.to_lowercase(), last.to_lowercase());
    (format!("{first} {last}"), email)
}

fn draw_behaviour(health: f64) -> Behaviour {
    let unhappiness = 1.0 - health;
    Behaviour {
        monthly_churn: 0.006 + 0.07 * unhappiness * unhappiness,
        charge_failure: 0.02 + 0.05 * unhappiness,
        monthly_expansion: 0.01 + 0.04 * health,
        monthly_contraction: 0.004 + 0.02 * unhappiness,
    }
}

fn draw_first_terms(rng: &mut ChaCha8Rng, customer: &Customer) -> Terms {
    let interval =
        if rng.random_range(0..100) < customer.size.annual_percent() { Interval::Year } else { Interval::Month };
    let coupon = match rng.random_range(0..100) {
        0..2 => Some(Coupon::Partner100),
        2..6 => Some(Coupon::Free3Months),
        6..14 => Some(Coupon::Welcome20),
        14..17 => Some(Coupon::Loyal10),
        _ => None,
    };
    Terms {
        plan: customer.size.draw_plan(rng),
        interval,
        quantity: customer.size.draw_seats(rng),
        currency: customer.region.currency(),
        coupon,
    }
}

/// Runs the customer's spells of service: the first, then reactivations after churn.
fn live(rng: &mut ChaCha8Rng, customer: &mut Customer, acquired: i64, export_at: i64) {
    let behaviour = draw_behaviour(customer.health);
    let mut terms = draw_first_terms(rng, customer);
    let mut with_trial = terms.coupon != Some(Coupon::Partner100) && rng.random_bool(0.35);
    let mut spell_start = acquired;
    let mut reactivations = 0;
    loop {
        let ending = run_spell(rng, spell_start, export_at, terms, with_trial, &behaviour, &mut customer.subscriptions);
        let SpellEnd::Ended { at, reason, after_trial_only } = ending else {
            customer.spells.push(Spell { start: spell_start, end: None, ends_by_request: false });
            return;
        };
        let ends_by_request = reason == EndReason::Requested && !after_trial_only;
        customer.spells.push(Spell { start: spell_start, end: Some(at), ends_by_request });

        let (return_chance, gap_days) = match (reason, after_trial_only) {
            (_, true) => (0.1, 30..200),
            (EndReason::PaymentFailed, false) => (0.45, 5..60),
            _ => (0.3, 45..300),
        };
        if reactivations == MAX_REACTIVATIONS || !rng.random_bool(return_chance) {
            return;
        }
        spell_start = at + rng.random_range(gap_days) * DAY + rng.random_range(0..DAY);
        if spell_start >= export_at {
            return;
        }
        reactivations += 1;
        with_trial = false;
        let last = customer.subscriptions.last().map(|subscription| (subscription.plan, subscription.quantity));
        let (plan, quantity) = last.unwrap_or((Plan::Starter, 1));
        terms.plan = if rng.random_bool(0.3) { plan.lower() } else { plan };
        terms.quantity = quantity;
        terms.coupon = (reason == EndReason::Requested && rng.random_bool(0.4)).then_some(Coupon::Welcome20);
    }
}

fn draw_users(rng: &mut ChaCha8Rng, customer: &Customer) -> Vec<User> {
    let max_seats = customer.subscriptions.iter().map(|subscription| subscription.quantity).max().unwrap_or(1);
    let share = rng.random_range(0.6..1.0);
    let count = ((f64::from(max_seats) * share) as u32).clamp(1, MAX_USERS);
    (0..count).map(|index| draw_user(rng, customer, index)).collect()
}

fn draw_user(rng: &mut ChaCha8Rng, customer: &Customer, index: u32) -> User {
    let (name, email) = draw_person(rng, &customer.domain);
    let is_admin = index == 0;
    let mut engagement = 0.2 + 0.8 * rng.random::<f64>();
    if is_admin {
        engagement = engagement.max(0.7);
    }
    let joined_after_days = if is_admin { 0 } else { rng.random_range(0..120) };
    let left_after_days =
        (!is_admin && rng.random_bool(0.15)).then(|| joined_after_days + rng.random_range(60..600));
    let adoption_after_days = FEATURES
        .iter()
        .map(|feature| {
            let chance = (feature.adoption * (0.4 + 0.8 * engagement)).min(1.0);
            let latest_day = 20 + (200.0 * (1.0 - engagement)) as i64;
            rng.random_bool(chance).then(|| if feature.adoption >= 1.0 { 0 } else { rng.random_range(0..=latest_day) })
        })
        .collect();
    User {
        id: stripe_id(rng, "usr", 12),
        name,
        email,
        serial: customer.number * 100 + u64::from(index),
        joined_after_days,
        left_after_days,
        engagement,
        platform: pick(rng, &PLATFORMS),
        adoption_after_days,
    }
}
