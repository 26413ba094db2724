//! Survey responses: NPS (0–10) in a Delighted-like CSV, CSAT (1–5) in a Typeform-like CSV,
//! and CES (1–7, 7 = very easy) as plain `respondent id,date,effort score` rows; the header
//! names the effort, as a survey tool would, so the question reads as CES.
//!
//! Scores follow the customer's health, and drop in the months before a requested
//! cancellation, so low scores predict churn. NPS waves go out every 91 days to the users of
//! customers in service; CSAT and CES surveys follow solved tickets, and CES also follows
//! onboarding.

use std::io::{self, Write};

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::calendar::{date, datetime, DAY, MINUTE};
use super::catalog::pick;
use super::company::{Company, Customer, User};
use super::csv_writer::{columns, csv_writer};
use super::ids::hex_token;
use super::zendesk::{after_solved, simulate_tickets};

pub const NPS_HEADER: &str =
    "Response ID,Person ID,Email,Name,Survey Type,Score,Comment,Created At (UTC),Updated At (UTC),Account ID,Plan";
pub const CSAT_HEADER: &str = "#,How satisfied were you with our support? (1-5),What could we have done better?,account_id,email,Response Type,Start Date (UTC),Stage Date (UTC),Submit Date (UTC),Network ID";
pub const CES_HEADER: &str = "respondent id,date,effort score";

const NPS_STREAM: u64 = 4;
const CSAT_STREAM: u64 = 5;
const CES_STREAM: u64 = 6;
const NPS_WAVE_DAYS: i64 = 91;
const DELIGHTED_PERSON_ID_BASE: u64 = 50_000_000;

const DETRACTOR_COMMENTS: [&str; 4] = [
    "Reports are slow and the numbers do not match our billing system.",
    "Too expensive for what we use.",
    "Support took days to answer.",
    "We struggled to get the team to adopt it.",
];
const PASSIVE_COMMENTS: [&str; 3] =
    ["Does the job, but the exports could be better.", "Good, though setup took a while.", "Fine overall."];
const PROMOTER_COMMENTS: [&str; 4] = [
    "The dashboards save us hours every week.",
    "Great support team.",
    "Our whole CS team lives in it.",
    "Easy to set up and the alerts are spot on.",
];
const CSAT_COMMENTS: [&str; 4] =
    ["Faster first reply.", "Clearer instructions.", "Nothing, thanks!", "Fix the bug for good."];

/// A symmetric noise term from -1.5 to 1.5, peaked at 0 (a sum of three uniforms).
fn noise(rng: &mut ChaCha8Rng) -> f64 {
    (0..3).map(|_| rng.random_range(-0.5..0.5)).sum()
}

/// Rounds `value` half up and clamps it to the scale, except that one response in 20 ignores
/// the customer's mood, like respondents who misread the scale or respond in anger or haste.
/// Half of those pick an end of the scale, the rest any point on it.
fn draw_score(rng: &mut ChaCha8Rng, value: f64, lowest: i64, highest: i64) -> i64 {
    if rng.random_bool(0.05) {
        return match rng.random_range(0..4) {
            0 => lowest,
            1 => highest,
            _ => rng.random_range(lowest..=highest),
        };
    }
    ((value + 0.5).floor() as i64).clamp(lowest, highest)
}

/// How unhappy the customer is at `instant` on a 0–1 scale beyond its health: high in the
/// four months before a requested cancellation.
fn dip(customer: &Customer, instant: i64) -> f64 {
    if customer.is_winding_down(instant, 120) {
        0.35
    } else {
        0.0
    }
}

fn is_member(customer: &Customer, user: &User, instant: i64) -> bool {
    let age_days = (instant - customer.first_start()) / DAY;
    user.joined_after_days <= age_days && user.left_after_days.is_none_or(|left| age_days < left)
}

/// Writes NPS responses from the quarterly waves.
pub fn write_nps(company: &Company, out: &mut dyn Write) -> io::Result<()> {
    let mut rng = company.exporter_rng(NPS_STREAM);
    let mut rows: Vec<(i64, Vec<String>)> = Vec::new();
    for customer in &company.customers {
        let mut wave = customer.first_start() + 30 * DAY;
        while wave < company.export_at {
            for user in &customer.users {
                if customer.spell_at(wave).is_none() || !is_member(customer, user, wave) || !rng.random_bool(0.2) {
                    continue;
                }
                let answered = wave + rng.random_range(10 * MINUTE..7 * DAY);
                let in_service = customer.spell_at(answered).is_some();
                if answered < company.export_at && in_service {
                    rows.push((answered, nps_row(&mut rng, customer, user, answered)));
                }
            }
            wave += NPS_WAVE_DAYS * DAY;
        }
    }
    write_sorted(out, NPS_HEADER, rows)
}

fn nps_row(rng: &mut ChaCha8Rng, customer: &Customer, user: &User, answered: i64) -> Vec<String> {
    let mood = customer.health - dip(customer, answered) + 0.3 * (user.engagement - 0.6);
    let spread = 2.0 * noise(rng);
    let score = draw_score(rng, 4.5 + 7.0 * mood + spread, 0, 10);
    let comments: &[&str] = match score {
        0..=6 => &DETRACTOR_COMMENTS,
        7..=8 => &PASSIVE_COMMENTS,
        _ => &PROMOTER_COMMENTS,
    };
    let comment = if rng.random_bool(0.4) { pick(rng, comments).to_string() } else { String::new() };
    let plan = customer.subscription_at(answered).map(|subscription| subscription.plan.name()).unwrap_or_default();
    vec![
        rng.random_range(100_000_000u64..999_999_999).to_string(),
        (DELIGHTED_PERSON_ID_BASE + user.serial).to_string(),
        user.email.clone(),
        user.name.clone(),
        "nps".to_string(),
        score.to_string(),
        comment,
        datetime(answered),
        datetime(answered + rng.random_range(0..5 * MINUTE)),
        customer.id.clone(),
        plan.to_string(),
    ]
}

/// Writes CSAT responses to the survey sent after some solved tickets. A few are partial:
/// started but never submitted, with a blank score.
pub fn write_csat(company: &Company, out: &mut dyn Write) -> io::Result<()> {
    let mut rng = company.exporter_rng(CSAT_STREAM);
    let mut rows: Vec<(i64, Vec<String>)> = Vec::new();
    for ticket in simulate_tickets(company) {
        let Some(solved) = ticket.solved else {
            continue;
        };
        if !rng.random_bool(0.35) {
            continue;
        }
        let started = after_solved(&mut rng, solved);
        if started >= company.export_at {
            continue;
        }
        let customer = ticket.customer;
        let mood = customer.health - dip(customer, started) - 0.1 * f64::from(ticket.reopens);
        let spread = 1.2 * noise(&mut rng);
        let score = draw_score(&mut rng, 2.6 + 3.0 * mood + spread, 1, 5);
        let submitted = started + rng.random_range(20..600);
        let is_partial = rng.random_bool(0.03);
        let comment = if score <= 3 && rng.random_bool(0.5) { pick(&mut rng, &CSAT_COMMENTS).to_string() } else { String::new() };
        let row = vec![
            hex_token(&mut rng, 32),
            if is_partial { String::new() } else { score.to_string() },
            if is_partial { String::new() } else { comment },
            customer.id.clone(),
            ticket.requester.email.clone(),
            if is_partial { "partial" } else { "completed" }.to_string(),
            datetime(started),
            datetime(submitted),
            if is_partial { String::new() } else { datetime(submitted) },
            hex_token(&mut rng, 10),
        ];
        rows.push((started, row));
    }
    write_sorted(out, CSAT_HEADER, rows)
}

/// Writes CES responses: one from each customer's first user a month after the first start,
/// and some after solved tickets.
pub fn write_ces(company: &Company, out: &mut dyn Write) -> io::Result<()> {
    let mut rng = company.exporter_rng(CES_STREAM);
    let mut rows: Vec<(i64, Vec<String>)> = Vec::new();
    for customer in &company.customers {
        let answered = customer.first_start() + 30 * DAY + rng.random_range(0..DAY);
        if answered < company.export_at && customer.spell_at(answered).is_some() && rng.random_bool(0.6) {
            let score = ces_score(&mut rng, customer, answered, 0);
            rows.push((answered, ces_row(&customer.users[0], answered, score)));
        }
    }
    for ticket in simulate_tickets(company) {
        let Some(solved) = ticket.solved else {
            continue;
        };
        let answered = after_solved(&mut rng, solved);
        if answered < company.export_at && rng.random_bool(0.2) {
            let score = ces_score(&mut rng, ticket.customer, answered, ticket.reopens);
            rows.push((answered, ces_row(ticket.requester, answered, score)));
        }
    }
    write_sorted(out, CES_HEADER, rows)
}

fn ces_score(rng: &mut ChaCha8Rng, customer: &Customer, answered: i64, reopens: u32) -> i64 {
    let ease = customer.health - dip(customer, answered) - 0.15 * f64::from(reopens);
    let spread = 1.3 * noise(rng);
    draw_score(rng, 3.0 + 4.5 * ease + spread, 1, 7)
}

fn ces_row(user: &User, answered: i64, score: i64) -> Vec<String> {
    vec![user.id.clone(), date(answered), score.to_string()]
}

/// Writes rows in time order after the header. Ties keep the order they were generated in.
fn write_sorted(out: &mut dyn Write, header: &str, mut rows: Vec<(i64, Vec<String>)>) -> io::Result<()> {
    rows.sort_by_key(|(time, _)| *time);
    let mut writer = csv_writer(out);
    writer.write_record(columns(header))?;
    for (_, row) in rows {
        writer.write_record(row)?;
    }
    writer.flush()
}
