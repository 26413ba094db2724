//! Why a KPI could not be computed: shown on its card instead of 0, NaN or infinity.

use thiserror::Error;

/// The reason a KPI has no value.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum Unavailable {
    /// No loaded file has the data; `needs` names the file kind and columns that would unlock it.
    #[error("Needs {needs}.")]
    MissingData { needs: &'static str },

    /// The denominator is zero, so the ratio is undefined.
    #[error("Undefined: {what} is zero.")]
    ZeroDenominator { what: &'static str },

    /// The data covers no complete period before the as-of date, or only one.
    #[error("Needs at least {needed} complete months of data; the data has {found}.")]
    TooFewPeriods { needed: usize, found: usize },
}

pub const NEEDS_TRANSACTIONS: &str =
    "a transactions file with customer id, date and amount columns";
pub const NEEDS_SNAPSHOT: &str =
    "a customer file with customer id, churn flag (Yes/No) and monthly charge columns";
