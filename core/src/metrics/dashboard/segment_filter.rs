//! Restricting every KPI to one segment: the customers and users whose account attribute
//! (`Plan = Pro`, `Region = EMEA`) matches, joined to each file by customer or user id.
//!
//! The attributes come from the last account attributes file loaded, else from the last
//! customer snapshot's categorical columns. A file is joined by its customer ids (transactions,
//! subscriptions, snapshots), its events' account ids or else user ids, its survey respondent
//! ids or its ticket requester ids. A file none of whose ids is an account id cannot be
//! filtered: it is left out, and its cards say so instead of showing the whole company.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::ingest::kinds::{Events, Subscriptions, SurveyQuestion, SurveyResponses, Tickets};
use crate::ingest::{CustomerSnapshot, Dataset, Segment, Transactions};
use crate::metrics::segments::SegmentGroups;

/// The segment the dashboard is restricted to: accounts whose attribute `column` is `value`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentFilter {
    pub column: String,
    pub value: String,
}

/// An attribute the dashboard can be restricted by, with its values, largest group first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FilterColumn {
    pub name: String,
    pub values: Vec<String>,
}

/// The filter in effect, as the page describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppliedFilter {
    pub filter: SegmentFilter,
    /// Accounts with the value.
    pub accounts: u64,
    /// Kinds of the files left out because none of their ids is an account id.
    pub unjoined: Vec<String>,
}

/// The account ids and attribute columns that filters read.
struct Attributes<'a> {
    ids: &'a [String],
    segments: &'a [Segment],
}

fn attributes<'a>(datasets: &[&'a Dataset]) -> Option<Attributes<'a>> {
    let accounts = datasets.iter().rev().find_map(|dataset| match dataset {
        Dataset::Accounts(accounts) => Some(Attributes { ids: &accounts.customer_ids, segments: &accounts.segments }),
        _ => None,
    });
    accounts.or_else(|| {
        datasets.iter().rev().find_map(|dataset| match dataset {
            Dataset::CustomerSnapshot(snapshot) => Some(Attributes { ids: &snapshot.customer_ids, segments: &snapshot.segments }),
            _ => None,
        })
    })
}

/// Lists the columns a filter can use and their values (the largest twelve; the tail is
/// grouped as "other", which a filter cannot select).
pub fn filter_columns(datasets: &[&Dataset]) -> Vec<FilterColumn> {
    let Some(attributes) = attributes(datasets) else { return Vec::new() };
    attributes
        .segments
        .iter()
        .map(|segment| {
            let groups = SegmentGroups::new(segment);
            let values = groups.labels.into_iter().filter(|label| label != crate::metrics::segments::OTHER_LABEL).collect();
            FilterColumn { name: segment.name.clone(), values }
        })
        .collect()
}

/// The datasets restricted to the filter's accounts, and how the filter applied.
pub struct Restricted {
    pub datasets: Vec<Dataset>,
    pub applied: AppliedFilter,
}

/// Restricts every dataset to the accounts that match `filter`; `None` when no attribute
/// column has the filter's name. A value no account has leaves every file empty.
pub fn restrict(datasets: &[&Dataset], filter: &SegmentFilter) -> Option<Restricted> {
    let attributes = attributes(datasets)?;
    let segment = attributes.segments.iter().find(|segment| segment.name == filter.column)?;
    let value = segment.labels.iter().position(|label| *label == filter.value).map(|index| index as u32);
    let members: HashSet<&str> = attributes
        .ids
        .iter()
        .zip(&segment.values)
        .filter(|(_, row_value)| Some(**row_value) == value)
        .map(|(id, _)| id.as_str())
        .collect();
    let known: HashSet<&str> = attributes.ids.iter().map(String::as_str).collect();

    let mut kept = Vec::with_capacity(datasets.len());
    let mut unjoined = Vec::new();
    for dataset in datasets {
        match restrict_dataset(dataset, &members, &known) {
            Some(restricted) => kept.push(restricted),
            None => unjoined.push(dataset.kind_label().to_string()),
        }
    }
    let applied = AppliedFilter { filter: filter.clone(), accounts: members.len() as u64, unjoined };
    Some(Restricted { datasets: kept, applied })
}

/// Returns the dataset with the rows of `members` only, or `None` when none of its ids is in
/// `known`, the ids of the attributes table. Files without ids (retention spend) and the
/// attributes themselves are kept whole.
fn restrict_dataset(dataset: &Dataset, members: &HashSet<&str>, known: &HashSet<&str>) -> Option<Dataset> {
    let joins = |ids: &[String]| ids.iter().any(|id| known.contains(id.as_str()));
    let admits = |ids: &[String]| -> Vec<bool> { ids.iter().map(|id| members.contains(id.as_str())).collect() };
    match dataset {
        Dataset::Transactions(log) => joins(&log.customer_ids).then(|| Dataset::Transactions(keep_transactions(log, &admits(&log.customer_ids)))),
        Dataset::CustomerSnapshot(snapshot) => joins(&snapshot.customer_ids).then(|| Dataset::CustomerSnapshot(keep_snapshot(snapshot, &admits(&snapshot.customer_ids)))),
        Dataset::Subscriptions(table) => joins(&table.customer_ids).then(|| Dataset::Subscriptions(keep_subscriptions(table, &admits(&table.customer_ids)))),
        Dataset::Events(events) => {
            let by_account = !events.account_ids.is_empty() && joins(&events.account_ids);
            if !by_account && !joins(&events.user_ids) {
                return None;
            }
            Some(Dataset::Events(keep_events(events, &user_admitted(events, by_account, members))))
        }
        Dataset::Survey(survey) => joins(&survey.respondent_ids).then(|| Dataset::Survey(keep_responses(survey, &admits(&survey.respondent_ids)))),
        Dataset::Tickets(tickets) => joins(&tickets.requester_ids).then(|| Dataset::Tickets(keep_tickets(tickets, &admits(&tickets.requester_ids)))),
        other => Some((*other).clone()),
    }
}

/// Whether each user is in the segment: through the user's account when the events name
/// accounts, else by the user id itself.
fn user_admitted(events: &Events, by_account: bool, members: &HashSet<&str>) -> Vec<bool> {
    if !by_account {
        return events.user_ids.iter().map(|id| members.contains(id.as_str())).collect();
    }
    (0..events.user_ids.len())
        .map(|user| {
            let account = events.account_of_user.get(user).copied().flatten();
            account.and_then(|index| events.account_ids.get(index as usize)).is_some_and(|id| members.contains(id.as_str()))
        })
        .collect()
}

/// Keeps the values of `column` at the rows `keep` accepts.
fn pick<T: Clone>(column: &[T], keep: &[bool]) -> Vec<T> {
    column.iter().zip(keep).filter(|(_, kept)| **kept).map(|(value, _)| value.clone()).collect()
}

/// Keeps the rows of each segment column that `keep` accepts.
fn pick_segments(segments: &[Segment], keep: &[bool]) -> Vec<Segment> {
    segments.iter().map(|segment| Segment { values: pick(&segment.values, keep), ..segment.clone() }).collect()
}

fn keep_transactions(log: &Transactions, admitted: &[bool]) -> Transactions {
    let rows: Vec<bool> = log.customer.iter().map(|customer| admitted[*customer as usize]).collect();
    Transactions {
        customer: pick(&log.customer, &rows),
        date: pick(&log.date, &rows),
        amount: pick(&log.amount, &rows),
        currency: if log.currency.is_empty() { Vec::new() } else { pick(&log.currency, &rows) },
        customer_ids: log.customer_ids.clone(),
        currencies: log.currencies.clone(),
    }
}

fn keep_snapshot(snapshot: &CustomerSnapshot, admitted: &[bool]) -> CustomerSnapshot {
    CustomerSnapshot {
        customer_ids: pick(&snapshot.customer_ids, admitted),
        churned: pick(&snapshot.churned, admitted),
        monthly_charge: pick(&snapshot.monthly_charge, admitted),
        segments: pick_segments(&snapshot.segments, admitted),
    }
}

fn keep_subscriptions(table: &Subscriptions, admitted: &[bool]) -> Subscriptions {
    Subscriptions {
        customer_ids: table.customer_ids.clone(),
        plans: table.plans.clone(),
        currencies: table.currencies.clone(),
        rows: table.rows.iter().filter(|row| admitted[row.customer as usize]).cloned().collect(),
    }
}

fn keep_events(events: &Events, admitted: &[bool]) -> Events {
    let rows: Vec<bool> = events.user.iter().map(|user| admitted[*user as usize]).collect();
    Events {
        user_ids: events.user_ids.clone(),
        user: pick(&events.user, &rows),
        time: pick(&events.time, &rows),
        event_names: events.event_names.clone(),
        event: pick(&events.event, &rows),
        account_of_user: events.account_of_user.clone(),
        account_ids: events.account_ids.clone(),
        signup_of_user: events.signup_of_user.clone(),
        user_segments: events.user_segments.clone(),
    }
}

fn keep_responses(survey: &SurveyResponses, admitted: &[bool]) -> SurveyResponses {
    let rows: Vec<bool> = survey.respondent.iter().map(|respondent| respondent.is_some_and(|index| admitted[index as usize])).collect();
    let questions = survey
        .questions
        .iter()
        .map(|question| SurveyQuestion {
            header: question.header.clone(),
            kind: question.kind,
            scale: question.scale,
            scale_source: question.scale_source,
            scores: pick(&question.scores, &rows),
        })
        .collect();
    SurveyResponses {
        respondent_ids: survey.respondent_ids.clone(),
        respondent: pick(&survey.respondent, &rows),
        time: pick(&survey.time, &rows),
        questions,
        segments: pick_segments(&survey.segments, &rows),
    }
}

fn keep_tickets(tickets: &Tickets, admitted: &[bool]) -> Tickets {
    let rows: Vec<bool> = tickets.rows.iter().map(|ticket| ticket.requester.is_some_and(|index| admitted[index as usize])).collect();
    Tickets { requester_ids: tickets.requester_ids.clone(), rows: pick(&tickets.rows, &rows), segments: pick_segments(&tickets.segments, &rows) }
}
