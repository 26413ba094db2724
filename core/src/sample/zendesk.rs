//! Support tickets in Zendesk's ticket CSV export shape.
//!
//! Customers open tickets only while in service: more when unhealthy, in their first month and
//! in the months before they cancel. Satisfaction is `Good` or `Bad` when rated, `Offered` when
//! offered but not rated, `Unoffered` otherwise. Times are UTC `YYYY-MM-DD HH:MM:SS`; the
//! "within business hours" columns are estimated as a fixed share of the calendar minutes.

use std::io::{self, Write};

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::calendar::{datetime, DAY, HOUR, MINUTE};
use super::catalog::{pick, SUPPORT_AGENTS};
use super::company::{Company, Customer, User};
use super::csv_writer::{columns, csv_writer};

pub const HEADER: &str = "Summation column,Id,Requester,Requester id,Requester external id,Requester email,Requester domain,Submitter,Assignee,Group,Subject,Tags,Status,Priority,Via,Ticket type,Created at,Updated at,Assigned at,Organization,Due date,Initially assigned at,Solved at,Resolution time,Satisfaction Score,Group stations,Assignee stations,Reopens,Replies,First reply time in minutes,First reply time in minutes within business hours,First resolution time in minutes,First resolution time in minutes within business hours,Full resolution time in minutes,Full resolution time in minutes within business hours,Agent wait time in minutes,Agent wait time in minutes within business hours,Requester wait time in minutes,Requester wait time in minutes within business hours,On hold time in minutes,On hold time in minutes within business hours";

const TICKETS_STREAM: u64 = 3;
const FIRST_TICKET_ID: u64 = 1_001;
/// Zendesk user ids are large numbers; the sample's start here.
const ZENDESK_USER_ID_BASE: u64 = 370_000_000_000;
/// Zendesk closes a solved ticket after four days without a reply.
const CLOSE_AFTER_DAYS: i64 = 4;

/// A ticket's topic: its type, subject, group and tags.
#[derive(Clone, Copy)]
struct Topic {
    kind: &'static str,
    subject: &'static str,
    group: &'static str,
    tags: &'static str,
}

const TOPICS: [Topic; 12] = [
    Topic { kind: "Question", subject: "How do I export a report?", group: "Support", tags: "export how_to" },
    Topic { kind: "Question", subject: "How are active users counted?", group: "Support", tags: "metrics how_to" },
    Topic { kind: "Question", subject: "Can we add more seats?", group: "Billing", tags: "billing seats" },
    Topic { kind: "Question", subject: "Where do I find the API key?", group: "Support", tags: "api how_to" },
    Topic { kind: "Incident", subject: "Dashboard not loading", group: "Support", tags: "bug dashboard" },
    Topic { kind: "Incident", subject: "CRM sync failed overnight", group: "Support", tags: "bug integration" },
    Topic { kind: "Incident", subject: "Login loop after password reset", group: "Support", tags: "bug login" },
    Topic { kind: "Problem", subject: "Data missing since yesterday", group: "Support", tags: "bug data" },
    Topic { kind: "Problem", subject: "Alerts sent twice", group: "Support", tags: "bug alerts" },
    Topic { kind: "Task", subject: "Please update our billing address", group: "Billing", tags: "billing" },
    Topic { kind: "Task", subject: "Set up SSO for our team", group: "Onboarding", tags: "sso onboarding" },
    Topic { kind: "Task", subject: "Help with onboarding new users", group: "Onboarding", tags: "onboarding" },
];

const CANCELLATION_TOPIC: Topic =
    Topic { kind: "Task", subject: "Cancel our subscription", group: "Billing", tags: "billing cancellation" };

/// A simulated ticket. Durations are in minutes.
pub struct Ticket<'a> {
    pub customer: &'a Customer,
    pub requester: &'a User,
    pub created: i64,
    topic: Topic,
    priority: &'static str,
    via: &'static str,
    assignee: &'static str,
    pub replies: u32,
    pub reopens: u32,
    first_reply_minutes: Option<i64>,
    first_resolution_minutes: i64,
    full_resolution_minutes: i64,
    on_hold_minutes: i64,
    /// `None` while the ticket is still open at export time.
    pub solved: Option<i64>,
    pub satisfaction: &'static str,
}

/// Simulates every ticket, oldest first. The surveys module reads the same list.
pub fn simulate_tickets(company: &Company) -> Vec<Ticket<'_>> {
    let mut rng = company.exporter_rng(TICKETS_STREAM);
    let mut tickets = Vec::new();
    for customer in &company.customers {
        for spell in &customer.spells {
            let end = spell.end.unwrap_or(company.export_at).min(company.export_at);
            let mut week_start = spell.start;
            while week_start < end {
                let rate = weekly_ticket_rate(customer, week_start);
                for _ in 0..draw_small_count(&mut rng, rate) {
                    let created = week_start + rng.random_range(0..7 * DAY);
                    if created < end {
                        tickets.push(draw_ticket(&mut rng, customer, created, company.export_at));
                    }
                }
                week_start += 7 * DAY;
            }
        }
    }
    tickets.sort_by_key(|ticket| (ticket.created, ticket.customer.number));
    tickets
}

fn weekly_ticket_rate(customer: &Customer, instant: i64) -> f64 {
    let team = (customer.users.len() as f64).sqrt();
    let mut rate = 0.03 * team * (1.6 - customer.health);
    if instant - customer.first_start() < 30 * DAY {
        rate *= 2.0;
    }
    if customer.is_winding_down(instant, 90) {
        rate *= 1.8;
    }
    rate
}

/// Draws a count with the given small mean (below about 3) as a sum of coin flips.
fn draw_small_count(rng: &mut ChaCha8Rng, mean: f64) -> u32 {
    const FLIPS: u32 = 8;
    let chance = (mean / f64::from(FLIPS)).min(1.0);
    (0..FLIPS).filter(|_| rng.random_bool(chance)).count() as u32
}

/// The user who writes in at `instant`: a team member at that time, else the first user.
fn draw_requester<'a>(rng: &mut ChaCha8Rng, customer: &'a Customer, instant: i64) -> &'a User {
    let age_days = (instant - customer.first_start()) / DAY;
    let members: Vec<&User> = customer
        .users
        .iter()
        .filter(|user| user.joined_after_days <= age_days && user.left_after_days.is_none_or(|left| age_days < left))
        .collect();
    if members.is_empty() {
        &customer.users[0]
    } else {
        members[rng.random_range(0..members.len())]
    }
}

fn draw_ticket<'a>(rng: &mut ChaCha8Rng, customer: &'a Customer, created: i64, export_at: i64) -> Ticket<'a> {
    let topic = if customer.is_winding_down(created, 30) && rng.random_bool(0.3) {
        CANCELLATION_TOPIC
    } else {
        pick(rng, &TOPICS)
    };
    let (priority, first_reply_range) = match rng.random_range(0..100) {
        0..5 => ("Urgent", 5..60),
        5..25 => ("High", 10..180),
        25..85 => ("Normal", 20..600),
        _ => ("Low", 60..1_440),
    };

    let replies = if rng.random_bool(0.05) { 0 } else { 1 + (0..6).take_while(|_| rng.random_bool(0.45)).count() as u32 };
    let reopens = match rng.random_range(0..100) {
        0..85 => 0,
        85..97 => 1,
        _ => 2,
    };

    let first_reply_minutes = (replies > 0).then(|| rng.random_range(first_reply_range));
    let mut first_resolution_minutes = first_reply_minutes.unwrap_or(0) + rng.random_range(30..600);
    for _ in 1..replies {
        first_resolution_minutes += rng.random_range(60..1_440);
    }
    let mut full_resolution_minutes = first_resolution_minutes;
    for _ in 0..reopens {
        full_resolution_minutes += rng.random_range(1..4) * 1_440 + rng.random_range(0..600);
    }

    let on_hold_minutes = if rng.random_bool(0.1) { rng.random_range(60..2_880) } else { 0 };
    let solved_at = created + (full_resolution_minutes + on_hold_minutes) * MINUTE;
    let solved = (solved_at < export_at).then_some(solved_at);
    let satisfaction = draw_satisfaction(rng, customer.health, solved.is_some(), replies, reopens);

    Ticket {
        customer,
        requester: draw_requester(rng, customer, created),
        created,
        topic,
        priority,
        via: pick(rng, &["Web form", "Email", "Email", "Chat"]),
        assignee: pick(rng, &SUPPORT_AGENTS),
        replies,
        reopens,
        first_reply_minutes,
        first_resolution_minutes,
        full_resolution_minutes,
        on_hold_minutes,
        solved,
        satisfaction,
    }
}

fn draw_satisfaction(rng: &mut ChaCha8Rng, health: f64, is_solved: bool, replies: u32, reopens: u32) -> &'static str {
    if !is_solved || !rng.random_bool(0.75) {
        return "Unoffered";
    }
    if !rng.random_bool(0.45) {
        return "Offered";
    }
    let extra_replies = f64::from(replies.saturating_sub(1));
    let good_chance = (0.35 + 0.6 * health - 0.08 * extra_replies - 0.15 * f64::from(reopens)).clamp(0.05, 0.97);
    if rng.random_bool(good_chance) {
        "Good"
    } else {
        "Bad"
    }
}

/// Writes the tickets, numbered by creation time.
pub fn write_tickets(company: &Company, out: &mut dyn Write) -> io::Result<()> {
    let tickets = simulate_tickets(company);
    let mut writer = csv_writer(out);
    writer.write_record(columns(HEADER))?;
    for (index, ticket) in tickets.iter().enumerate() {
        writer.write_record(ticket_row(FIRST_TICKET_ID + index as u64, ticket, company.export_at))?;
    }
    writer.flush()
}

/// Minutes within business hours, estimated as 35% of calendar minutes (50 of 168 weekly hours).
fn business_minutes(minutes: i64) -> i64 {
    minutes * 35 / 100
}

fn minutes_pair(minutes: Option<i64>) -> [String; 2] {
    match minutes {
        Some(minutes) => [minutes.to_string(), business_minutes(minutes).to_string()],
        None => [String::new(), String::new()],
    }
}

fn ticket_row(id: u64, ticket: &Ticket, export_at: i64) -> Vec<String> {
    let user = ticket.requester;
    let assigned_at = ticket.created + ticket.first_reply_minutes.unwrap_or(10).min(30) * MINUTE;
    let (status, updated_at) = match ticket.solved {
        Some(solved) if solved + CLOSE_AFTER_DAYS * DAY < export_at => ("Closed", solved + CLOSE_AFTER_DAYS * DAY),
        Some(solved) => ("Solved", solved),
        None if ticket.replies == 0 => ("New", ticket.created),
        None => ("Open", ticket.created + ticket.first_reply_minutes.unwrap_or(0) * MINUTE),
    };
    let is_solved = ticket.solved.is_some();
    let full = is_solved.then_some(ticket.full_resolution_minutes);
    let agent_wait = full.map(|minutes| minutes * 2 / 5);
    let requester_wait = full.map(|minutes| minutes - minutes * 2 / 5);
    let stations = if ticket.reopens > 0 { "2" } else { "1" };

    let mut cells = vec![
        String::new(),
        id.to_string(),
        user.name.clone(),
        (ZENDESK_USER_ID_BASE + user.serial).to_string(),
        user.id.clone(),
        user.email.clone(),
        ticket.customer.domain.clone(),
        user.name.clone(),
        ticket.assignee.to_string(),
        ticket.topic.group.to_string(),
        ticket.topic.subject.to_string(),
        ticket.topic.tags.to_string(),
        status.to_string(),
        ticket.priority.to_string(),
        ticket.via.to_string(),
        ticket.topic.kind.to_string(),
        datetime(ticket.created),
        datetime(updated_at),
        datetime(assigned_at),
        ticket.customer.name.clone(),
        String::new(),
        datetime(assigned_at),
        ticket.solved.map(datetime).unwrap_or_default(),
        full.map(|minutes| ((minutes + 59) / 60).to_string()).unwrap_or_default(),
        ticket.satisfaction.to_string(),
        stations.to_string(),
        stations.to_string(),
        ticket.reopens.to_string(),
        ticket.replies.to_string(),
    ];
    cells.extend(minutes_pair(ticket.first_reply_minutes));
    cells.extend(minutes_pair(is_solved.then_some(ticket.first_resolution_minutes)));
    cells.extend(minutes_pair(full));
    cells.extend(minutes_pair(agent_wait));
    cells.extend(minutes_pair(requester_wait));
    cells.extend(minutes_pair(Some(ticket.on_hold_minutes)));
    cells
}

/// A moment shortly after a ticket was solved, when a follow-up survey is answered.
pub fn after_solved(rng: &mut ChaCha8Rng, solved: i64) -> i64 {
    solved + rng.random_range(HOUR..3 * DAY)
}
