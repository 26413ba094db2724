//! Why a KPI could not be computed: shown on its card instead of 0, NaN or infinity.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::static_text::{deserialize as interned, StaticText};

/// The reason a KPI has no value.
#[derive(Clone, Debug, Error, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unavailable {
    /// No loaded file has the data; `needs` names the file kind and columns that would unlock it.
    #[error("Needs {needs}.")]
    MissingData { #[serde(deserialize_with = "interned")] needs: StaticText },

    /// The denominator is zero, so the ratio is undefined.
    #[error("Undefined: {what} is zero.")]
    ZeroDenominator { #[serde(deserialize_with = "interned")] what: StaticText },

    /// The data covers no complete period before the as-of date, or only one.
    #[error("Needs at least {needed} complete months of data; the data has {found}.")]
    TooFewPeriods { needed: usize, found: usize },

    /// The file kind is loaded but lacks a column this KPI reads.
    #[error("Needs a {column} column in the {kind} file.")]
    MissingColumn { #[serde(deserialize_with = "interned")] kind: StaticText, #[serde(deserialize_with = "interned")] column: StaticText },

    /// The data has no complete period of the chosen granularity yet.
    #[error("Needs at least one complete {granularity} up to {as_of}, the last day the data covers.")]
    NoCompletePeriod { #[serde(deserialize_with = "interned")] granularity: StaticText, as_of: chrono::NaiveDate },

    /// The ratio would be infinite because nothing was lost yet, as with CLV when no customer
    /// churned; `what` names the zero quantity.
    #[error("Not computable yet: {what} is zero so far.")]
    NotComputableYet { #[serde(deserialize_with = "interned")] what: StaticText },

    /// A segment filter is in effect and the KPI reads a total that is not recorded per
    /// account, such as retention spend.
    #[error("Not available for one segment: {what} is not recorded per account.")]
    NotPerSegment { #[serde(deserialize_with = "interned")] what: StaticText },

    /// A segment filter is in effect and no id of the `kind` file is an account id of the
    /// attributes file, so its rows cannot be assigned to segments.
    #[error("Not available for one segment: no id in the {kind} file matches an account id in the attributes file.")]
    NotJoinable { #[serde(deserialize_with = "interned")] kind: StaticText },

    /// A segment filter is in effect and no account has its value, as when a link names a
    /// plan that the loaded attributes file does not have.
    #[error("No accounts match: no account has {column} = {value}.")]
    NoAccountsMatch { column: String, value: String },

    /// The chosen currency does not occur in the data; `found` lists the codes that do.
    #[error("No amounts in {currency}; the data has {found}.")]
    CurrencyNotFound { currency: String, found: String },
}

pub const NEEDS_TRANSACTIONS: &str =
    "a transactions file with customer id, date and amount columns";
pub const NEEDS_SNAPSHOT: &str =
    "a customer file with customer id, churn flag (Yes/No) and monthly charge columns";
/// Logo churn, MRR and ARPA come from either kind of file.
pub const NEEDS_SNAPSHOT_OR_SUBSCRIPTIONS: &str = "a subscriptions file with customer id, start date, price and billing interval columns, or a customer file with customer id, churn flag (Yes/No) and monthly charge columns";
pub const NEEDS_SUBSCRIPTIONS: &str =
    "a subscriptions file with customer id, start date, price and billing interval columns";
pub const NEEDS_EVENTS: &str = "a product events file with user id, event name and time columns";
pub const NEEDS_SURVEY: &str = "a survey file with a score column";
pub const NEEDS_TICKETS: &str = "a support tickets file with status and solved date columns";
pub const NEEDS_SPEND: &str = "a retention spend file with date and amount columns, or a spend amount typed in";
