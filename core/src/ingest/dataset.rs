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
    /// One slot per value, found by the value's FxHash. Growing the table hashes no value again.
    slots: hashbrown::HashTable<InternSlot>,
    /// For values that are small whole numbers written plainly (`436`, as many exports number
    /// their customers and users): each value's index plus one, at the number's position, and 0
    /// where no value has that number. These values are found without hashing and never enter
    /// `slots`.
    by_number: Vec<u32>,
    pub values: Vec<String>,
}

/// Numbers below this are found through [`Interner::by_number`], which then takes at most
/// 4 MiB.
const NUMBER_LIMIT: usize = 1 << 20;

/// Returns the number that `value` writes, when it is a whole number below [`NUMBER_LIMIT`]
/// written with digits only and no leading zero (`0` itself aside), so that no two such values
/// write the same number.
fn plain_number(value: &str) -> Option<usize> {
    let bytes = value.as_bytes();
    if bytes.is_empty() || bytes.len() > 7 || (bytes[0] == b'0' && bytes.len() > 1) {
        return None;
    }
    let number = bytes.iter().try_fold(0usize, |number, byte| byte.is_ascii_digit().then(|| number * 10 + usize::from(byte - b'0')))?;
    (number < NUMBER_LIMIT).then_some(number)
}

/// Values of up to this many bytes are kept in their slot too.
const INLINE_BYTES: usize = 19;

/// A value's hash and index, and the value itself when it is short. Most identifiers are short,
/// so a lookup usually compares within the table instead of reading the value's own allocation.
#[derive(Clone, Copy)]
struct InternSlot {
    hash: u64,
    index: u32,
    /// The value's length in bytes, or `u8::MAX` when it is longer than [`INLINE_BYTES`].
    length: u8,
    inline: [u8; INLINE_BYTES],
}

impl InternSlot {
    fn new(hash: u64, index: u32, value: &str) -> Self {
        let mut slot = InternSlot { hash, index, length: u8::MAX, inline: [0; INLINE_BYTES] };
        if value.len() <= INLINE_BYTES {
            slot.length = value.len() as u8;
            slot.inline[..value.len()].copy_from_slice(value.as_bytes());
        }
        slot
    }

    fn holds(&self, hash: u64, value: &str, values: &[String]) -> bool {
        if self.hash != hash {
            return false;
        }
        match self.length {
            u8::MAX => values[self.index as usize] == value,
            length => &self.inline[..usize::from(length)] == value.as_bytes(),
        }
    }
}

impl Interner {
    /// Returns an interner that contains `values`, which must be distinct, at their positions.
    pub fn of_distinct(values: Vec<String>) -> Interner {
        let mut interner = Interner::default();
        for value in &values {
            interner.intern(value);
        }
        debug_assert_eq!(interner.values, values, "the values must be distinct");
        interner
    }

    pub fn intern(&mut self, value: &str) -> u32 {
        if let Some(number) = plain_number(value) {
            return self.intern_number(number, value);
        }

        let hash = rustc_hash::FxBuildHasher.hash_one(value);
        let values = &self.values;
        let entry = self.slots.entry(hash, |slot| slot.holds(hash, value, values), |slot| slot.hash);
        match entry {
            hashbrown::hash_table::Entry::Occupied(found) => found.get().index,
            hashbrown::hash_table::Entry::Vacant(vacant) => {
                let index = self.values.len() as u32;
                vacant.insert(InternSlot::new(hash, index, value));
                self.values.push(value.to_string());
                index
            }
        }
    }
}

impl Interner {
    /// Interns `value`, which writes `number` ([`plain_number`]).
    fn intern_number(&mut self, number: usize, value: &str) -> u32 {
        if number >= self.by_number.len() {
            let length = (number + 1).max(self.by_number.len() * 2).min(NUMBER_LIMIT);
            self.by_number.resize(length, 0);
        }
        match self.by_number[number] {
            0 => {
                let index = self.values.len() as u32;
                self.by_number[number] = index + 1;
                self.values.push(value.to_string());
                index
            }
            known => known - 1,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interner_reuses_short_and_long_values() {
        let long = "cus_".repeat(10);
        let exactly_inline = "a".repeat(INLINE_BYTES);
        let mut interner = Interner::default();
        let first: Vec<u32> = ["", "usr_1", &exactly_inline, &long, "usr_2"].iter().map(|value| interner.intern(value)).collect();
        assert_eq!(first, [0, 1, 2, 3, 4]);
        let again: Vec<u32> = ["usr_2", &long, &exactly_inline, "usr_1", ""].iter().map(|value| interner.intern(value)).collect();
        assert_eq!(again, [4, 3, 2, 1, 0]);
        assert_eq!(interner.intern(&format!("{long}x")), 5);
        assert_eq!(interner.values[3], long);
    }

    #[test]
    fn interner_mixes_numbers_and_text() {
        let mut interner = Interner::default();
        let values = ["436", "0", "00", "007", "cus_1", "1048575", "1048576", "12345678", "-5", "436 "];
        let first: Vec<u32> = values.iter().map(|value| interner.intern(value)).collect();
        assert_eq!(first, (0..values.len() as u32).collect::<Vec<_>>());

        let again: Vec<u32> = values.iter().rev().map(|value| interner.intern(value)).collect();
        assert_eq!(again, (0..values.len() as u32).rev().collect::<Vec<_>>());
        assert_eq!(interner.values, values);
        assert!(interner.by_number.len() <= NUMBER_LIMIT);
    }

    #[test]
    fn interner_survives_growth() {
        let mut interner = Interner::default();
        for round in 0..2 {
            for number in 0..5000u32 {
                assert_eq!(interner.intern(&format!("user-{number:05}-{}", "x".repeat(number as usize % 30))), number, "round {round}");
            }
        }
        assert_eq!(interner.values.len(), 5000);
    }
}
