//! Errors of the transaction-CLV summaries, fits and forecasts.

use chrono::NaiveDate;
use thiserror::Error;

/// The reason a transaction-CLV step failed. Each message ends with what to change.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum ClvError {
    /// The window dates are out of order.
    #[error(
        "Invalid calibration window: it needs start ({start}) <= calibration end \
         ({calibration_end}) <= holdout end ({holdout_end}). Reorder the dates."
    )]
    InvalidWindow { start: NaiveDate, calibration_end: NaiveDate, holdout_end: NaiveDate },

    /// No customer made their first purchase inside the calibration window.
    #[error(
        "No customer made a first purchase in the calibration window. Move the window start \
         to the first date of the log or widen the window."
    )]
    NoCustomers,

    /// No customer made a repeat purchase in the calibration period, so purchase rates and
    /// spend per purchase cannot be estimated.
    #[error(
        "No customer made a repeat purchase in the calibration period, so the {model} model \
         cannot be fitted. Use a longer calibration period or a log with repeat buyers."
    )]
    NoRepeatBuyers { model: &'static str },

    /// The optimiser used its iteration budget without meeting the convergence tolerance.
    #[error(
        "The {model} fit did not converge within {iterations} iterations, usually because the \
         customers' histories are too alike to determine the model. That happens with fixed \
         prices, as in subscription billing, where every purchase costs the same: transaction \
         CLV suits logs of purchases that vary, and subscriptions have their own CLV card."
    )]
    NotConverged { model: &'static str, iterations: u64 },

    /// The maximum-likelihood estimate lies on the boundary of the parameter space.
    #[error(
        "The {model} fit drove {parameter} to {value:e}, so the data do not determine it. \
         The log may be too small or its customers too alike; use more customers or a \
         longer calibration period."
    )]
    ParameterDiverged { model: &'static str, parameter: &'static str, value: f64 },

    /// The optimiser library reported an internal error.
    #[error("The {model} optimiser failed: {message}")]
    OptimiserFailed { model: &'static str, message: String },

    /// An argument is outside the domain of the formula.
    #[error("Invalid {name}: {value}. It must be {expected}.")]
    InvalidArgument { name: &'static str, value: f64, expected: &'static str },

    /// The Gauss hypergeometric series did not reach its tolerance.
    #[error(
        "The hypergeometric series 2F1 did not converge in {terms} terms (z = {z}). The \
         prediction horizon is too long for this customer's age; shorten the horizon."
    )]
    SeriesNotConverged { terms: usize, z: f64 },

    /// The fitted spend distribution gives this customer no finite expected spend, because
    /// p·x + q <= 1 (for x = 0: q <= 1, an infinite population mean).
    #[error(
        "The Gamma-Gamma fit (p = {p}, q = {q}) gives no finite expected spend for a customer \
         with {repeat_purchases} repeat purchases, because p·x + q <= 1. Fit on more repeat \
         buyers."
    )]
    NoFiniteMeanSpend { p: f64, q: f64, repeat_purchases: u32 },
}
