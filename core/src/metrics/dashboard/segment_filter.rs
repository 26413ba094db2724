//! Restricting every KPI to one segment: the customers and users whose account attribute
//! (`Plan = Pro`, `Region = EMEA`) matches, joined to each file by customer or user id.
//!
//! The attributes come from the last account attributes file loaded, else from the last
//! customer snapshot's categorical columns. A file is joined by its customer ids (transactions,
//! subscriptions, snapshots) or its events' account ids, else user ids. Survey responses join
//! by their account id column when they have one. Other responses, and tickets, join by the
//! respondent's or requester's id, which is either an account id itself or a product user
//! whose account an events file names. A file none of whose ids reaches an account id cannot be
//! filtered: it is left out, and its cards say so instead of showing the whole company.
//!
//! NOTE: a left-out survey or tickets file takes its cards with it, because experience cards
//! exist only for loaded files; the page's filter note names the file instead.

use std::collections::{HashMap, HashSet};

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
/// column has the filter's name. A value no account has leaves every file empty and
/// `AppliedFilter::accounts` zero.
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
    let join = Join { known: attributes.ids.iter().map(String::as_str).collect(), user_accounts: user_accounts(datasets), members };

    let mut kept = Vec::with_capacity(datasets.len());
    let mut unjoined = Vec::new();
    for dataset in datasets {
        match restrict_dataset(dataset, &join) {
            Some(restricted) => kept.push(restricted),
            None => unjoined.push(dataset.kind_label().to_string()),
        }
    }
    let applied = AppliedFilter { filter: filter.clone(), accounts: join.members.len() as u64, unjoined };
    Some(Restricted { datasets: kept, applied })
}

/// The ids a filter matches against.
struct Join<'a> {
    /// Every account id of the attributes table.
    known: HashSet<&'a str>,
    /// The accounts with the filter's value.
    members: HashSet<&'a str>,
    /// The account id of each product user, as the loaded events files name it.
    user_accounts: HashMap<&'a str, &'a str>,
}

impl Join<'_> {
    /// Returns whether any of `ids` is an account id.
    fn joins(&self, ids: &[String]) -> bool {
        ids.iter().any(|id| self.known.contains(id.as_str()))
    }

    /// Returns, for each of `ids`, whether it is a matching account id.
    fn admits(&self, ids: &[String]) -> Vec<bool> {
        ids.iter().map(|id| self.members.contains(id.as_str())).collect()
    }

    /// Returns, for each person in `ids`, whether it belongs to a matching account. Returns
    /// `None` when the ids are neither account ids nor product users of a known account.
    fn admits_people(&self, ids: &[String]) -> Option<Vec<bool>> {
        if self.joins(ids) {
            return Some(self.admits(ids));
        }
        let account_of = |id: &String| self.user_accounts.get(id.as_str()).copied();
        if !ids.iter().filter_map(account_of).any(|account| self.known.contains(account)) {
            return None;
        }
        Some(ids.iter().map(|id| account_of(id).is_some_and(|account| self.members.contains(account))).collect())
    }
}

/// Maps each product user of the events files that name accounts to that account's id.
fn user_accounts<'a>(datasets: &[&'a Dataset]) -> HashMap<&'a str, &'a str> {
    let mut accounts = HashMap::new();
    for dataset in datasets {
        let Dataset::Events(events) = dataset else { continue };
        for (user, account) in events.user_ids.iter().zip(&events.account_of_user) {
            if let Some(account) = account.and_then(|index| events.account_ids.get(index as usize)) {
                accounts.insert(user.as_str(), account.as_str());
            }
        }
    }
    accounts
}

/// Returns the dataset with the rows of matching accounts only, or `None` when none of its ids
/// reaches an account id of the attributes table. Files without ids (retention spend) and the
/// attributes themselves are kept whole.
fn restrict_dataset(dataset: &Dataset, join: &Join) -> Option<Dataset> {
    match dataset {
        Dataset::Transactions(log) => join.joins(&log.customer_ids).then(|| Dataset::Transactions(keep_transactions(log, &join.admits(&log.customer_ids)))),
        Dataset::CustomerSnapshot(snapshot) => join.joins(&snapshot.customer_ids).then(|| Dataset::CustomerSnapshot(keep_snapshot(snapshot, &join.admits(&snapshot.customer_ids)))),
        Dataset::Subscriptions(table) => join.joins(&table.customer_ids).then(|| Dataset::Subscriptions(keep_subscriptions(table, &join.admits(&table.customer_ids)))),
        Dataset::Events(events) => {
            let by_account = !events.account_ids.is_empty() && join.joins(&events.account_ids);
            if !by_account && !join.joins(&events.user_ids) {
                return None;
            }
            Some(Dataset::Events(keep_events(events, &user_admitted(events, by_account, &join.members))))
        }
        Dataset::Survey(survey) => Some(Dataset::Survey(keep_responses(survey, &survey_rows(survey, join)?))),
        Dataset::Tickets(tickets) => {
            let admitted = join.admits_people(&tickets.requester_ids)?;
            let rows: Vec<bool> = tickets.rows.iter().map(|ticket| ticket.requester.is_some_and(|index| admitted[index as usize])).collect();
            Some(Dataset::Tickets(keep_tickets(tickets, &rows)))
        }
        other => Some((*other).clone()),
    }
}

/// Returns, for each response, whether it is from a matching account: by the account id
/// column when that joins, else by the respondent.
fn survey_rows(survey: &SurveyResponses, join: &Join) -> Option<Vec<bool>> {
    let pick_rows = |indexes: &[Option<u32>], admitted: Vec<bool>| indexes.iter().map(|index| index.is_some_and(|index| admitted[index as usize])).collect();
    if !survey.account.is_empty() && join.joins(&survey.account_ids) {
        return Some(pick_rows(&survey.account, join.admits(&survey.account_ids)));
    }
    let admitted = join.admits_people(&survey.respondent_ids)?;
    Some(pick_rows(&survey.respondent, admitted))
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

fn keep_responses(survey: &SurveyResponses, rows: &[bool]) -> SurveyResponses {
    let questions = survey
        .questions
        .iter()
        .map(|question| SurveyQuestion {
            header: question.header.clone(),
            kind: question.kind,
            scale: question.scale,
            scale_source: question.scale_source,
            scores: pick(&question.scores, rows),
        })
        .collect();
    SurveyResponses {
        respondent_ids: survey.respondent_ids.clone(),
        respondent: pick(&survey.respondent, rows),
        account_ids: survey.account_ids.clone(),
        account: if survey.account.is_empty() { Vec::new() } else { pick(&survey.account, rows) },
        time: pick(&survey.time, rows),
        questions,
        segments: pick_segments(&survey.segments, rows),
    }
}

fn keep_tickets(tickets: &Tickets, rows: &[bool]) -> Tickets {
    Tickets { requester_ids: tickets.requester_ids.clone(), rows: pick(&tickets.rows, rows), segments: pick_segments(&tickets.segments, rows) }
}
