//! Product events: Mixpanel's raw export (JSON lines) and a plain CSV of the same events
//! (`user_id,account_id,event,timestamp,platform`).
//!
//! Each user has an expected number of events per day (their intensity). It is set by their
//! engagement, the customer's health, the weekday and the customer's life. It is zero outside a
//! spell of service, lower in a user's first week, and fades over the 60 days before a requested
//! cancellation. The day's count is drawn from a Poisson distribution with that mean. To meet a
//! target row count, one pass sums the intensities and every intensity is then scaled by
//! `target / sum`, so the count lands within a few standard deviations (√target) of the target.
//!
//! Days are written in order, and the events of one day sorted by time, so the file streams.

use std::io::{self, Write};

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::calendar::{date, day_number, weekday, DAY, HOUR};
use super::catalog::{Plan, FEATURES};
use super::company::{Company, Customer, User};
use super::csv_writer::csv_writer;
use super::ids::hex_token;

pub const CSV_HEADER: &str = "user_id,account_id,event,timestamp,platform";

const EVENTS_STREAM: u64 = 2;
/// The share of a weekday's activity that happens on each day, Monday first.
const WEEKDAY_FACTORS: [f64; 7] = [1.0, 1.05, 1.05, 1.0, 0.85, 0.2, 0.12];
const WIND_DOWN_DAYS: i64 = 60;
const ONBOARDING_DAYS: i64 = 7;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    MixpanelJson,
    Csv,
}

/// A customer's contribution to every user's intensity on one day.
struct CustomerDay {
    factor: f64,
    plan: Plan,
    /// Days since the customer's first service start.
    age_days: i64,
}

fn customer_day(customer: &Customer, day: i64) -> Option<CustomerDay> {
    let instant = day * DAY;
    let spell = customer.spell_at(instant)?;
    // The first service day is skipped, so that no event precedes the subscription.
    if day <= day_number(spell.start) {
        return None;
    }
    let plan = customer.subscription_at(instant)?.plan;
    let mut factor = (0.6 + 0.8 * customer.health) * WEEKDAY_FACTORS[weekday(day) as usize];
    if let (true, Some(end)) = (spell.ends_by_request, spell.end) {
        let days_left = day_number(end) - day;
        if days_left < WIND_DOWN_DAYS {
            factor *= 0.1 + 0.9 * days_left as f64 / WIND_DOWN_DAYS as f64;
        }
    }
    Some(CustomerDay { factor, plan, age_days: day - day_number(customer.first_start()) })
}

/// A user's expected number of events on a day, before scaling to the target.
fn user_intensity(user: &User, today: &CustomerDay) -> f64 {
    let days_in = today.age_days - user.joined_after_days;
    if days_in < 0 || user.left_after_days.is_some_and(|left| today.age_days >= left) {
        return 0.0;
    }
    let active_chance = 0.15 + 0.75 * user.engagement;
    let events_when_active = 1.5 + 5.0 * user.engagement;
    let onboarding = if days_in < ONBOARDING_DAYS { 0.6 } else { 1.0 };
    active_chance * events_when_active * today.factor * onboarding
}

/// Visits every user with a positive intensity on every day of the span, in a fixed order.
fn for_each_user_day<'c>(company: &'c Company, mut visit: impl FnMut(i64, &'c Customer, &CustomerDay, &'c User, f64)) {
    for day in day_number(company.start)..day_number(company.export_at) {
        for customer in &company.customers {
            let Some(today) = customer_day(customer, day) else {
                continue;
            };
            for user in &customer.users {
                let intensity = user_intensity(user, &today);
                if intensity > 0.0 {
                    visit(day, customer, &today, user, intensity);
                }
            }
        }
    }
}

/// Draws from a Poisson distribution by Knuth's method, in slices of mean at most 20 so that
/// `exp(-mean)` does not underflow (a sum of Poisson draws is a Poisson draw).
fn draw_poisson(rng: &mut ChaCha8Rng, mean: f64) -> u64 {
    let mut remaining = mean;
    let mut count = 0;
    while remaining > 0.0 {
        let slice = remaining.min(20.0);
        remaining -= slice;
        let threshold = libm::exp(-slice);
        let mut product: f64 = rng.random();
        while product > threshold {
            count += 1;
            product *= rng.random::<f64>();
        }
    }
    count
}

/// One generated event.
struct Event<'a> {
    time: i64,
    name: &'static str,
    user: &'a User,
    customer: &'a Customer,
    plan: Plan,
    insert_id: String,
}

#[derive(Serialize)]
struct MixpanelEvent<'a> {
    event: &'a str,
    properties: MixpanelProperties<'a>,
}

#[derive(Serialize)]
struct MixpanelProperties<'a> {
    time: i64,
    distinct_id: &'a str,
    #[serde(rename = "$insert_id")]
    insert_id: &'a str,
    mp_processing_time_ms: i64,
    account_id: &'a str,
    plan: &'a str,
    platform: &'a str,
}

/// Writes the product events, scaled to `target` rows when given.
pub fn write_events(company: &Company, target: Option<u64>, format: Format, out: &mut dyn Write) -> io::Result<()> {
    let mut scale = 1.0;
    if let Some(target) = target {
        let mut expected = 0.0;
        for_each_user_day(company, |_, _, _, _, intensity| expected += intensity);
        scale = if expected > 0.0 { target as f64 / expected } else { 0.0 };
    }

    let mut rng = company.exporter_rng(EVENTS_STREAM);
    let mut sink = EventSink::new(format, out)?;
    let mut current_day = i64::MIN;
    let mut day_events: Vec<Event> = Vec::new();
    let mut failure = None;
    for_each_user_day(company, |day, customer, today, user, intensity| {
        if day != current_day {
            if let Err(error) = sink.write_day(current_day, &mut day_events) {
                failure.get_or_insert(error);
            }
            current_day = day;
        }
        let count = draw_poisson(&mut rng, intensity * scale);
        for _ in 0..count {
            day_events.push(draw_event(&mut rng, day, customer, today, user));
        }
    });
    if let Some(error) = failure {
        return Err(error);
    }
    sink.write_day(current_day, &mut day_events)?;
    sink.finish()
}

fn draw_event<'a>(rng: &mut ChaCha8Rng, day: i64, customer: &'a Customer, today: &CustomerDay, user: &'a User) -> Event<'a> {
    let days_in = today.age_days - user.joined_after_days;
    let mut total_weight = 0.0;
    for (feature, adopted_after) in FEATURES.iter().zip(&user.adoption_after_days) {
        if adopted_after.is_some_and(|after| after <= days_in) {
            total_weight += feature.weight;
        }
    }
    let mut roll = rng.random::<f64>() * total_weight;
    let mut name = FEATURES[0].event;
    for (feature, adopted_after) in FEATURES.iter().zip(&user.adoption_after_days) {
        if adopted_after.is_some_and(|after| after <= days_in) {
            name = feature.event;
            roll -= feature.weight;
            if roll < 0.0 {
                break;
            }
        }
    }

    // Working hours in the customer's time zone, kept inside the UTC day.
    let local_seconds = rng.random_range(7 * HOUR..20 * HOUR);
    let seconds_of_day = (local_seconds + customer.region.utc_offset_hours() * HOUR).rem_euclid(DAY);
    Event {
        time: day * DAY + seconds_of_day,
        name,
        user,
        customer,
        plan: today.plan,
        insert_id: hex_token(rng, 16),
    }
}

/// Writes days of events in the chosen format.
struct EventSink<'w> {
    format: Format,
    csv: Option<csv::Writer<&'w mut dyn Write>>,
    json: Option<io::BufWriter<&'w mut dyn Write>>,
    timestamp: String,
}

impl<'w> EventSink<'w> {
    /// Starts the file; the CSV format writes its header here.
    fn new(format: Format, out: &'w mut dyn Write) -> io::Result<Self> {
        let (csv, json) = match format {
            Format::Csv => {
                let mut csv = csv_writer(out);
                csv.write_record(CSV_HEADER.split(','))?;
                (Some(csv), None)
            }
            Format::MixpanelJson => (None, Some(io::BufWriter::new(out))),
        };
        Ok(EventSink { format, csv, json, timestamp: String::with_capacity(19) })
    }

    fn write_day(&mut self, day: i64, events: &mut Vec<Event>) -> io::Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        events.sort_by_key(|event| event.time);
        let day_prefix = date(day * DAY);
        for event in events.drain(..) {
            match self.format {
                Format::Csv => self.write_csv(&day_prefix, &event)?,
                Format::MixpanelJson => self.write_json(&event)?,
            }
        }
        Ok(())
    }

    fn write_csv(&mut self, day_prefix: &str, event: &Event) -> io::Result<()> {
        use std::fmt::Write as _;

        let seconds = event.time.rem_euclid(DAY);
        self.timestamp.clear();
        self.timestamp.push_str(day_prefix);
        let _ = write!(self.timestamp, " {:02}:{:02}:{:02}", seconds / 3_600, seconds / 60 % 60, seconds % 60);
        if let Some(csv) = self.csv.as_mut() {
            csv.write_record([
                event.user.id.as_str(),
                event.customer.id.as_str(),
                event.name,
                self.timestamp.as_str(),
                event.user.platform,
            ])?;
        }
        Ok(())
    }

    fn write_json(&mut self, event: &Event) -> io::Result<()> {
        let Some(json) = self.json.as_mut() else {
            return Ok(());
        };
        let record = MixpanelEvent {
            event: event.name,
            properties: MixpanelProperties {
                time: event.time,
                distinct_id: &event.user.id,
                insert_id: &event.insert_id,
                // Mixpanel ingests events shortly after they happen.
                mp_processing_time_ms: event.time * 1_000 + 1_500,
                account_id: &event.customer.id,
                plan: event.plan.key(),
                platform: event.user.platform,
            },
        };
        serde_json::to_writer(&mut *json, &record)?;
        json.write_all(b"\n")
    }

    fn finish(self) -> io::Result<()> {
        if let Some(mut csv) = self.csv {
            csv.flush()?;
        }
        if let Some(mut json) = self.json {
            json.flush()?;
        }
        Ok(())
    }
}
