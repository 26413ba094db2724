//! Transaction CLV: the BG/NBD model of repeat purchases (Fader, Hardie & Lee 2005) and the
//! Gamma-Gamma model of spend per purchase (Fader & Hardie 2013), fitted by maximum likelihood
//! on a calibration period of a transaction log.
//!
//! Steps: [`summarise_customers`] turns the log into each customer's x, t_x, T and z̄ in one
//! [`TimeUnit`]. Then [`fit_bgnbd`] and [`fit_gamma_gamma`] estimate the parameters, which give
//! P(alive), expected purchases and expected spend per customer. Last,
//! [`customer_lifetime_value`] combines these forecasts with a [`DiscountSchedule`].
//!
//! The module reads no clock and does no I/O, because the caller passes the window dates in. A fit or forecast that
//! cannot be computed returns a [`ClvError`] with a next step, never NaN.

pub mod bgnbd;
pub mod error;
pub mod gamma_gamma;
pub mod lifetime_value;
pub mod optimise;
pub mod report;
pub mod special;
pub mod summary;

pub use bgnbd::{fit_bgnbd, BgNbdFit, BgNbdParams};
pub use error::ClvError;
pub use gamma_gamma::{fit_gamma_gamma, GammaGammaFit, GammaGammaParams};
pub use lifetime_value::{
    customer_lifetime_value, value_customers, CustomerValue, DiscountSchedule,
};
pub use optimise::FitOptions;
pub use report::{clv_report, AtRiskCustomer, ClvReport, ClvSettings, HoldoutRow, ValueBin};
pub use summary::{
    summarise_customers, CalibrationWindow, CustomerSummary, PurchaseHistory, TimeUnit,
};
