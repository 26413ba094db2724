//! Typed tables: what the metrics read. No strings are parsed after this point.

use chrono::NaiveDate;

use super::money::Money;

/// A table recognised as one data kind, with its values typed.
#[derive(Clone, Debug)]
pub enum Dataset {
    Transactions(Transactions),
    CustomerSnapshot(CustomerSnapshot),
}

impl Dataset {
    /// Names the kind for the file summary.
    pub fn kind_label(&self) -> &'static str {
        match self {
            Dataset::Transactions(_) => "transactions",
            Dataset::CustomerSnapshot(_) => "customer snapshot",
        }
    }
}

/// Purchases or payments: one row per transaction, customers interned as indices.
#[derive(Clone, Debug, Default)]
pub struct Transactions {
    /// Customer ids as written in the file, indexed by the values of `customer`.
    pub customer_ids: Vec<String>,
    pub customer: Vec<u32>,
    pub date: Vec<NaiveDate>,
    /// Signed amounts: refunds are negative.
    pub amount: Vec<Money>,
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
#[derive(Clone, Debug, Default)]
pub struct Segment {
    pub name: String,
    pub labels: Vec<String>,
    pub values: Vec<u32>,
}

/// Interns strings as dense indices, in order of first appearance.
#[derive(Default)]
pub struct Interner {
    indices: std::collections::HashMap<String, u32>,
    pub values: Vec<String>,
}

impl Interner {
    pub fn intern(&mut self, value: &str) -> u32 {
        if let Some(index) = self.indices.get(value) {
            return *index;
        }
        let index = self.values.len() as u32;
        self.indices.insert(value.to_string(), index);
        self.values.push(value.to_string());
        index
    }
}

impl Transactions {
    /// Combines several transaction logs into one, matching customers by id across files.
    pub fn merge(logs: &[&Transactions]) -> Transactions {
        if let [single] = logs {
            return (*single).clone();
        }
        let mut interner = Interner::default();
        let mut merged = Transactions::default();
        for log in logs {
            let remap: Vec<u32> = log.customer_ids.iter().map(|id| interner.intern(id)).collect();
            merged.customer.extend(log.customer.iter().map(|index| remap[*index as usize]));
            merged.date.extend_from_slice(&log.date);
            merged.amount.extend_from_slice(&log.amount);
        }
        merged.customer_ids = interner.values;
        merged
    }
}
