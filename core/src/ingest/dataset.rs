//! Typed tables: what the metrics read. No strings are parsed after this point.

use std::hash::BuildHasher;

use chrono::NaiveDate;

use super::kinds::{AccountAttributes, CurrencyCodes, Events, RetentionSpend, Subscriptions, SurveyResponses, Tickets};
use super::money::Money;

/// A table recognised as one data kind, with its values typed.
#[derive(Clone, Debug)]
pub enum Dataset {
    Transactions(Transactions),
    CustomerSnapshot(CustomerSnapshot),
    Subscriptions(Subscriptions),
    Events(Events),
    Survey(SurveyResponses),
    Tickets(Tickets),
    RetentionSpend(RetentionSpend),
    Accounts(AccountAttributes),
}

impl Dataset {
    /// Names the kind for the file summary; also the `data-kind` attribute of a file row.
    pub fn kind_label(&self) -> &'static str {
        match self {
            Dataset::Transactions(_) => "transactions",
            Dataset::CustomerSnapshot(_) => "customer snapshot",
            Dataset::Subscriptions(_) => "subscriptions",
            Dataset::Events(_) => "product events",
            Dataset::Survey(_) => "survey responses",
            Dataset::Tickets(_) => "support tickets",
            Dataset::RetentionSpend(_) => "retention spend",
            Dataset::Accounts(_) => "account attributes",
        }
    }

    /// Returns the number of typed rows (events, responses, tickets…).
    pub fn row_count(&self) -> usize {
        match self {
            Dataset::Transactions(log) => log.len(),
            Dataset::CustomerSnapshot(snapshot) => snapshot.len(),
            Dataset::Subscriptions(subscriptions) => subscriptions.rows.len(),
            Dataset::Events(events) => events.time.len(),
            Dataset::Survey(survey) => survey.respondent.len(),
            Dataset::Tickets(tickets) => tickets.rows.len(),
            Dataset::RetentionSpend(spend) => spend.rows.len(),
            Dataset::Accounts(accounts) => accounts.customer_ids.len(),
        }
    }
}

/// Purchases or payments: one row per transaction, customers interned as indices.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Transactions {
    /// Customer ids as written in the file, indexed by the values of `customer`.
    pub customer_ids: Vec<String>,
    pub customer: Vec<u32>,
    pub date: Vec<NaiveDate>,
    /// Signed amounts: refunds are negative.
    pub amount: Vec<Money>,
    /// Currency codes of the log; empty when the file names no currency.
    pub currencies: CurrencyCodes,
    /// Index into `currencies` per transaction; empty when the file names no currency.
    pub currency: Vec<u16>,
}

impl Transactions {
    pub fn len(&self) -> usize {
        self.date.len()
    }

    pub fn is_empty(&self) -> bool {
        self.date.is_empty()
    }
}

/// One row per customer, as CRM and churn-analysis exports have it.
#[derive(Clone, Debug, Default)]
pub struct CustomerSnapshot {
    pub customer_ids: Vec<String>,
    pub churned: Vec<bool>,
    /// The recurring monthly charge of each customer, in the file's currency.
    pub monthly_charge: Vec<Money>,
    /// Categorical columns that can break the KPIs down (contract, plan, region…).
    pub segments: Vec<Segment>,
}

impl CustomerSnapshot {
    pub fn len(&self) -> usize {
        self.customer_ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.customer_ids.is_empty()
    }
}

/// A categorical attribute: each row's value is an index into `labels`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Segment {
    pub name: String,
    pub labels: Vec<String>,
    pub values: Vec<u32>,
}

/// Interns strings as dense indices, in order of first appearance.
#[derive(Default)]
pub struct Interner {
    /// The FxHash of each value with its index into `values`; each value is stored once, and
    /// growing the table does not hash the values again.
    indices: hashbrown::HashTable<(u64, u32)>,
    pub values: Vec<String>,
}

impl Interner {
    pub fn intern(&mut self, value: &str) -> u32 {
        let hash = rustc_hash::FxBuildHasher.hash_one(value);
        let values = &self.values;
        let entry = self.indices.entry(hash, |(stored, index)| *stored == hash && values[*index as usize] == value, |(stored, _)| *stored);
        match entry {
            hashbrown::hash_table::Entry::Occupied(found) => found.get().1,
            hashbrown::hash_table::Entry::Vacant(slot) => {
                let index = self.values.len() as u32;
                slot.insert((hash, index));
                self.values.push(value.to_string());
                index
            }
        }
    }
}

impl Transactions {
    /// Combines several transaction logs into one, matching customers and currencies by code
    /// across files. A log without a currency column is taken to be in the unnamed currency `""`.
    pub fn merge(logs: &[&Transactions]) -> Transactions {
        if let [single] = logs {
            return (*single).clone();
        }
        let mut customers = Interner::default();
        let mut currencies = Interner::default();
        let named = logs.iter().any(|log| !log.currencies.is_empty());
        let mut merged = Transactions::default();
        for log in logs {
            let customer_map: Vec<u32> = log.customer_ids.iter().map(|id| customers.intern(id)).collect();
            merged.customer.extend(log.customer.iter().map(|index| customer_map[*index as usize]));
            merged.date.extend_from_slice(&log.date);
            merged.amount.extend_from_slice(&log.amount);
            if named {
                merged.currency.extend(log_currencies(log, &mut currencies));
            }
        }
        merged.customer_ids = customers.values;
        merged.currencies = currencies.values;
        merged
    }
}

/// Returns the merged currency index of each transaction of `log`.
fn log_currencies(log: &Transactions, currencies: &mut Interner) -> Vec<u16> {
    if log.currencies.is_empty() {
        let unnamed = currencies.intern("") as u16;
        return vec![unnamed; log.len()];
    }
    let map: Vec<u16> = log.currencies.iter().map(|code| currencies.intern(code) as u16).collect();
    log.currency.iter().map(|index| map[*index as usize]).collect()
}
