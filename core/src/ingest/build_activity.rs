//! Builders for subscriptions, product events, survey responses and support tickets.

use std::collections::HashMap;

use super::dataset::{Dataset, Interner, Segment};
use super::kinds::{
    Events, IntervalUnit, ScaleSource, ScoreScale, Subscription, SubscriptionStatus, Subscriptions, SurveyKind,
    SurveyQuestion, SurveyResponses, Ticket, TicketRating, TicketStatus, Tickets,
};
use super::money::Money;
use super::roles::{normalise_header, Role};
use super::rows::{Context, Currencies, RoleMap};
use super::values::{parse_bool, parse_score};

const EXPECTED_INTERVAL: &str = "a billing interval such as month or year";

/// Maps a subscription status of Stripe, Chargebee, Recurly or Paddle onto Stripe's; the flag
/// is true for statuses that mean "cancels at the end of the current period".
fn subscription_status(text: &str) -> (SubscriptionStatus, bool) {
    let lower = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    let status = match lower.as_str() {
        "active" | "live" | "renewing" | "non_renewing" => SubscriptionStatus::Active,
        "past_due" => SubscriptionStatus::PastDue,
        "trialing" | "in_trial" | "trial" => SubscriptionStatus::Trialing,
        "paused" => SubscriptionStatus::Paused,
        "canceled" | "cancelled" | "expired" => SubscriptionStatus::Canceled,
        "unpaid" => SubscriptionStatus::Unpaid,
        "incomplete" => SubscriptionStatus::Incomplete,
        "incomplete_expired" => SubscriptionStatus::IncompleteExpired,
        _ => SubscriptionStatus::Other,
    };
    (status, lower == "non_renewing")
}

fn interval_unit(text: &str) -> Option<IntervalUnit> {
    let lower = text.trim().to_ascii_lowercase();
    let unit = match lower.trim_end_matches('s') {
        "day" | "daily" => IntervalUnit::Day,
        "week" | "weekly" => IntervalUnit::Week,
        "month" | "monthly" => IntervalUnit::Month,
        "quarter" | "quarterly" => IntervalUnit::Quarter,
        "year" | "yearly" | "annual" | "annually" => IntervalUnit::Year,
        _ => return None,
    };
    Some(unit)
}

/// Types a subscriptions export. Without a price column every unit price is zero, and without
/// an interval column the interval is a month.
pub fn subscriptions(context: &mut Context, roles: &RoleMap) -> Dataset {
    let (Some(customer), Some(start)) = (roles.first(Role::CustomerId), roles.first(Role::StartDate)) else {
        return Dataset::Subscriptions(Subscriptions::default());
    };
    let mut customers = Interner::default();
    let mut plans = Interner::default();
    let mut currencies = Currencies::default();
    let mut typed = Subscriptions::default();
    for row in 0..context.table.row_count() {
        let mut reader = context.row(row);
        let id = reader.required_text(customer);
        let start_time = reader.required_time(start);
        let status_text = reader.text(roles.first(Role::Status)).map(str::to_string);
        let price = reader.number(roles.first(Role::Amount));
        let quantity = reader.count(roles.first(Role::Quantity)).or_else(|| reader.number(roles.first(Role::Quantity)).map(|number| (number.value.micros / 1_000_000) as u32));
        let interval = reader.parsed(roles.first(Role::Interval), EXPECTED_INTERVAL, interval_unit);
        let interval_count = reader.count(roles.first(Role::IntervalCount));
        let plan = reader.text(roles.first(Role::Plan)).map(str::to_string);
        let code = reader.text(roles.first(Role::Currency)).map(str::to_string);
        let subscription_id = reader.text(roles.first(Role::SubscriptionId)).map(str::to_string);
        let trial_start = reader.time(roles.first(Role::TrialStart));
        let trial_end = reader.time(roles.first(Role::TrialEnd));
        let canceled_at = reader.time(roles.first(Role::CanceledAt));
        let ended_at = reader.time(roles.first(Role::EndedAt));
        let current_period_end = reader.time(roles.first(Role::CurrentPeriodEnd));
        let paused_at = reader.time(roles.first(Role::PausedAt));
        let cancel_flag = reader.flag(roles.first(Role::CancelAtPeriodEnd));
        let problems = std::mem::take(&mut reader.problems);
        context.record(problems);
        let (Some(id), Some(start_time)) = (id, start_time) else { continue };

        let (status, non_renewing) = status_text.as_deref().map_or((SubscriptionStatus::Active, false), subscription_status);
        let code = code.or_else(|| price.as_ref().and_then(super::rows::currency_of));
        typed.rows.push(Subscription {
            customer: customers.intern(&id),
            id: subscription_id.unwrap_or_else(|| format!("row {}", context.table.row_lines[row])),
            plan: plan.map(|plan| plans.intern(&plan)),
            unit_price: price.map_or(Money::ZERO, |price| price.value),
            quantity: quantity.unwrap_or(1),
            interval: interval.unwrap_or(IntervalUnit::Month),
            interval_count: interval_count.unwrap_or(1).max(1),
            currency: code.map_or(0, |code| currencies.index(&code)),
            status,
            start: start_time,
            trial_start,
            trial_end,
            canceled_at,
            ended_at,
            cancel_at_period_end: cancel_flag.unwrap_or(false) || non_renewing,
            current_period_end,
            paused_at,
            discount: None,
        });
    }
    typed.customer_ids = customers.values;
    typed.plans = plans.values;
    typed.currencies = currencies.into_codes();
    Dataset::Subscriptions(typed)
}

/// Types a product event log by column. Per-user values (account, signup, segments) are taken
/// from the user's first event that has one.
pub fn events(context: &mut Context, roles: &RoleMap) -> Dataset {
    let [user, time, event] = [Role::UserId, Role::Date, Role::EventName].map(|role| roles.first(role));
    let (Some(user), Some(time), Some(event)) = (user, time, event) else {
        return Dataset::Events(Events::default());
    };
    let segment_columns = roles.all(Role::Segment);
    let (account_column, signup_column) = (roles.first(Role::AccountId), roles.first(Role::SignupDate));
    let mut users = Interner::default();
    let mut names = Interner::default();
    let mut accounts = Interner::default();
    let mut segment_labels: Vec<Interner> = segment_columns.iter().map(|_| Interner::default()).collect();
    let mut segment_values: Vec<Vec<Option<u32>>> = vec![Vec::new(); segment_columns.len()];
    let mut typed = Events::default();
    for row in 0..context.table.row_count() {
        let mut reader = context.row(row);
        let user_id = reader.required_text(user);
        let moment = reader.required_time(time);
        let name = reader.required_text(event);
        let account = reader.text(account_column);
        let signup = reader.time(signup_column);
        let problems = std::mem::take(&mut reader.problems);
        context.record(problems);
        let (Some(user_id), Some(moment), Some(name)) = (user_id, moment, name) else { continue };

        let user_index = users.intern(user_id) as usize;
        if user_index == typed.account_of_user.len() {
            typed.account_of_user.push(None);
            typed.signup_of_user.push(None);
            segment_values.iter_mut().for_each(|values| values.push(None));
        }
        typed.user.push(user_index as u32);
        typed.time.push(moment);
        typed.event.push(names.intern(name));
        if typed.account_of_user[user_index].is_none() {
            typed.account_of_user[user_index] = account.map(|account| accounts.intern(account));
        }
        if typed.signup_of_user[user_index].is_none() {
            typed.signup_of_user[user_index] = signup;
        }
        for (position, column) in segment_columns.iter().enumerate() {
            if segment_values[position][user_index].is_none() {
                let cell = context.table.cell(*column, row);
                if !context.is_missing(cell) {
                    segment_values[position][user_index] = Some(segment_labels[position].intern(cell));
                }
            }
        }
    }
    typed.user_segments = segment_columns
        .iter()
        .zip(segment_labels)
        .zip(segment_values)
        .map(|((column, mut labels), values)| {
            let blank = labels.intern("(blank)");
            let values = values.into_iter().map(|value| value.unwrap_or(blank)).collect();
            Segment { name: context.table.headers[*column].clone(), labels: labels.values, values }
        })
        .collect();
    typed.user_ids = users.values;
    typed.event_names = names.values;
    typed.account_ids = accounts.values;
    if typed.account_ids.is_empty() {
        typed.account_of_user.clear();
    }
    if typed.signup_of_user.iter().all(Option::is_none) {
        typed.signup_of_user.clear();
    }
    Dataset::Events(typed)
}

/// Tells NPS, CSAT and CES apart by the words of a question's header and question text.
fn survey_kind(text: &str) -> SurveyKind {
    let words = normalise_header(text);
    let has = |word: &str| super::roles::has_word(&words, word) || words.contains(word);
    if has("nps") || has("recommend") || has("likelihood") {
        SurveyKind::Nps
    } else if has("effort") || has("easy") || has("ces") || has("ease") {
        SurveyKind::Ces
    } else if has("satisf") || has("csat") {
        SurveyKind::Csat
    } else {
        SurveyKind::Unknown
    }
}

/// Reads a scale written in a header: `(1-5)`, `0-10`, `1 to 7`.
fn scale_in_header(text: &str) -> Option<(i16, i16)> {
    let numbers: Vec<&str> = text.split(|c: char| !c.is_ascii_digit()).filter(|part| !part.is_empty()).collect();
    numbers.windows(2).find_map(|pair| {
        let (low, high): (i16, i16) = (pair[0].parse().ok()?, pair[1].parse().ok()?);
        let joined = text.contains(&format!("{low}-{high}")) || text.contains(&format!("{low} - {high}")) || text.contains(&format!("{low} to {high}"));
        (joined && low <= 1 && matches!(high, 5 | 7 | 10)).then_some((low, high))
    })
}

/// Decides a question's scale: the header's, 0–10 for NPS, else the largest answer's (up to
/// 5 is 1–5, up to 7 is 1–7, else 0–10 when a 0 was given and 1–10 otherwise).
fn scale_of(kind: SurveyKind, header_text: &str, scores: &[Option<i16>]) -> (ScoreScale, ScaleSource) {
    if let Some((min, max)) = scale_in_header(header_text) {
        return (ScoreScale::Points { min, max }, ScaleSource::Header);
    }
    if kind == SurveyKind::Nps {
        return (ScoreScale::Points { min: 0, max: 10 }, ScaleSource::Header);
    }
    let largest = scores.iter().flatten().max().copied().unwrap_or(0);
    let smallest = scores.iter().flatten().min().copied().unwrap_or(1);
    let (min, max) = match largest {
        ..=5 => (1, 5),
        6..=7 => (1, 7),
        _ if smallest == 0 => (0, 10),
        _ => (1, 10),
    };
    (ScoreScale::Points { min, max }, ScaleSource::LargestAnswer)
}

/// Types survey responses: one entry per row, one question per score column. Answers outside
/// 0–10 are problems and left blank; a `survey type` column (Delighted) names the kind when it
/// holds a single value.
pub fn survey(context: &mut Context, roles: &RoleMap) -> Dataset {
    let score_columns = roles.all(Role::Score);
    let mut respondents = Interner::default();
    let mut accounts = Interner::default();
    let account_column = roles.first(Role::AccountId);
    let mut typed = SurveyResponses::default();
    let mut scores: Vec<Vec<Option<i16>>> = vec![Vec::new(); score_columns.len()];
    let mut kept = Vec::new();
    let mut survey_types: HashMap<String, usize> = HashMap::new();
    for row in 0..context.table.row_count() {
        let mut reader = context.row(row);
        let respondent = reader.text(roles.first(Role::RespondentId)).map(str::to_string);
        let account = reader.text(account_column).map(str::to_string);
        let time = reader.time(roles.first(Role::Date));
        if let Some(kind) = reader.text(roles.first(Role::SurveyType)) {
            *survey_types.entry(kind.to_ascii_lowercase()).or_insert(0) += 1;
        }
        let answers: Vec<Option<i16>> = score_columns
            .iter()
            .map(|column| reader.parsed(Some(*column), "a score from 0 to 10", |cell| parse_score(cell).filter(|score| (0..=10).contains(score))))
            .collect();
        let problems = std::mem::take(&mut reader.problems);
        context.record(problems);
        if answers.iter().all(Option::is_none) && !score_columns.is_empty() {
            continue;
        }
        typed.respondent.push(respondent.map(|id| respondents.intern(&id)));
        if account_column.is_some() {
            typed.account.push(account.map(|id| accounts.intern(&id)));
        }
        typed.time.push(time);
        for (column_scores, answer) in scores.iter_mut().zip(answers) {
            column_scores.push(answer);
        }
        kept.push(row);
    }
    let declared_kind = match survey_types.keys().collect::<Vec<_>>()[..] {
        [single] => Some(survey_kind(single)),
        _ => None,
    };
    typed.questions = score_columns
        .iter()
        .zip(scores)
        .map(|(column, scores)| {
            let header = context.table.headers[*column].clone();
            let text = format!("{header} {}", context.table.header_details.get(*column).map_or("", String::as_str));
            let kind = declared_kind.filter(|kind| *kind != SurveyKind::Unknown).unwrap_or_else(|| survey_kind(&text));
            let (scale, scale_source) = scale_of(kind, &text, &scores);
            SurveyQuestion { header, kind, scale, scale_source, scores }
        })
        .collect();
    typed.respondent_ids = respondents.values;
    typed.account_ids = accounts.values;
    typed.segments = context.segments(&roles.all(Role::Segment), &kept);
    Dataset::Survey(typed)
}

fn ticket_status(text: &str) -> TicketStatus {
    let lower = text.trim().to_ascii_lowercase();
    match lower.as_str() {
        "new" => TicketStatus::New,
        "open" => TicketStatus::Open,
        "pending" | "waiting on customer" | "waiting on third party" => TicketStatus::Pending,
        "hold" | "on-hold" | "on hold" => TicketStatus::OnHold,
        "solved" | "resolved" => TicketStatus::Solved,
        "closed" => TicketStatus::Closed,
        _ => TicketStatus::Other,
    }
}

/// Reads Zendesk's satisfaction values (`Good`, `Bad`, `Offered`, `Unoffered`, also with
/// "Good, I'm satisfied" wording) and plain good/bad ratings.
fn ticket_rating(text: &str) -> Option<TicketRating> {
    let lower = text.trim().to_ascii_lowercase();
    if lower.starts_with("good") {
        Some(TicketRating::Good)
    } else if lower.starts_with("bad") {
        Some(TicketRating::Bad)
    } else if lower.starts_with("unoffered") || lower.starts_with("not offered") {
        Some(TicketRating::Unoffered)
    } else if lower.starts_with("offered") {
        Some(TicketRating::Offered)
    } else {
        None
    }
}

/// Types a help desk's ticket export.
pub fn tickets(context: &mut Context, roles: &RoleMap) -> Dataset {
    let [id, created, status] = [Role::TicketId, Role::Date, Role::Status].map(|role| roles.first(role));
    let (Some(id), Some(created), Some(status)) = (id, created, status) else {
        return Dataset::Tickets(Tickets::default());
    };
    let mut requesters = Interner::default();
    let mut typed = Tickets::default();
    let mut kept = Vec::new();
    for row in 0..context.table.row_count() {
        let mut reader = context.row(row);
        let ticket_id = reader.required_text(id);
        let created_at = reader.required_time(created);
        let status_text = reader.required_text(status);
        let solved = reader.time(roles.first(Role::SolvedDate));
        let agent_replies = reader.count(roles.first(Role::Replies));
        let reopens = reader.count(roles.first(Role::Reopens));
        let rating = reader.text(roles.first(Role::Rating)).and_then(ticket_rating);
        let requester = reader.text(roles.first(Role::CustomerId)).map(str::to_string);
        let first_contact = reader.text(roles.first(Role::FirstContactResolution)).and_then(parse_bool);
        let problems = std::mem::take(&mut reader.problems);
        context.record(problems);
        let (Some(ticket_id), Some(created_at), Some(status_text)) = (ticket_id, created_at, status_text) else { continue };
        typed.rows.push(Ticket {
            id: ticket_id.to_string(),
            requester: requester.map(|requester| requesters.intern(&requester)),
            created: created_at,
            solved,
            status: ticket_status(&status_text),
            agent_replies,
            reopens,
            rating,
            first_contact_resolution: first_contact,
        });
        kept.push(row);
    }
    typed.requester_ids = requesters.values;
    typed.segments = context.segments(&roles.all(Role::Segment), &kept);
    Dataset::Tickets(typed)
}
