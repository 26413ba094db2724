//! The transaction-CLV report the dashboard shows: a model check on a holdout period, then
//! forecasts from a fit to all the data, the CLV distribution and the customers at risk.
//!
//! Two fits are made. The check fits the calibration period only and compares its forecast
//! with what customers really bought in the holdout period. The forecast refits on every
//! purchase up to the last date of the log, so P(alive) and CLV describe customers today.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{
    fit_bgnbd, fit_gamma_gamma, summarise_customers, value_customers, BgNbdParams, CalibrationWindow, ClvError,
    CustomerSummary, DiscountSchedule, FitOptions, GammaGammaParams, TimeUnit,
};
use crate::ingest::{Money, Transactions};

/// Calibration frequencies shown separately in the holdout check; higher ones are grouped.
const MAX_FREQUENCY_ROW: u32 = 7;
/// Bins of the CLV histogram; the last one also holds values above the 99th percentile.
const HISTOGRAM_BINS: usize = 20;
/// Share of customers, by past spend, that count as high value for the at-risk list.
const HIGH_VALUE_SHARE: f64 = 0.2;
/// Below this P(alive) a high-value customer is listed as at risk.
const AT_RISK_ALIVE_BELOW: f64 = 0.5;

/// What the user chooses for the model.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClvSettings {
    pub unit: TimeUnit,
    /// The last day of the calibration period; the holdout runs from the next day to the log's
    /// last date.
    pub calibration_end: NaiveDate,
    /// CLV horizon in months of [`super::summary::DAYS_PER_MONTH`] days.
    pub horizon_months: u32,
    /// Yearly discount rate as a fraction (0.1 is 10%), applied monthly as (1 + d)^(1/12) − 1.
    pub annual_discount_rate: f64,
}

/// Mean holdout purchases of the customers with one calibration frequency x.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HoldoutRow {
    /// `0` … `6`, then `7+`.
    pub label: String,
    pub customers: usize,
    pub actual_mean: f64,
    pub expected_mean: f64,
}

/// One bar of the CLV histogram: customers with a CLV in `[low, high)` (major units).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueBin {
    pub low: f64,
    pub high: f64,
    pub customers: usize,
}

/// A high-value customer who has probably stopped buying.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AtRiskCustomer {
    pub id: String,
    pub repeat_purchases: u32,
    /// t_x and T in the report's unit.
    pub recency: f64,
    pub age: f64,
    /// All purchases up to the last date of the log, refunds left out.
    pub past_spend: Money,
    pub probability_alive: f64,
    pub expected_purchases: f64,
    pub lifetime_value: f64,
}

/// Everything the CLV section shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClvReport {
    pub settings: ClvSettings,
    pub start: NaiveDate,
    pub as_of: NaiveDate,
    pub check_purchases: BgNbdParams,
    pub check_log_likelihood: f64,
    pub check_customers: usize,
    pub holdout: Vec<HoldoutRow>,
    pub holdout_actual_total: u64,
    pub holdout_expected_total: f64,
    pub purchases: BgNbdParams,
    pub purchases_log_likelihood: f64,
    pub spend: GammaGammaParams,
    pub spend_log_likelihood: f64,
    pub customers: usize,
    pub repeat_buyers: usize,
    pub mean_lifetime_value: f64,
    pub total_lifetime_value: f64,
    pub mean_probability_alive: f64,
    pub histogram: Vec<ValueBin>,
    /// Sorted by past spend, highest first.
    pub at_risk: Vec<AtRiskCustomer>,
}

/// Fits both models and builds the report. Errors: those of the summaries and fits, with a
/// message saying what to change.
pub fn clv_report(transactions: &Transactions, settings: &ClvSettings) -> Result<ClvReport, ClvError> {
    let (start, as_of) = date_span(transactions).ok_or(ClvError::NoCustomers)?;
    let options = FitOptions::default();

    let check_window = CalibrationWindow { start, calibration_end: settings.calibration_end, holdout_end: as_of, unit: settings.unit };
    let check_summaries = summarise_customers(transactions, &check_window)?;
    let check_fit = fit_bgnbd(&check_summaries, &options)?;
    let (holdout, holdout_expected_total) = holdout_rows(&check_fit.params, &check_summaries, check_window.holdout_length())?;

    let full_window = CalibrationWindow { start, calibration_end: as_of, holdout_end: as_of, unit: settings.unit };
    let summaries = summarise_customers(transactions, &full_window)?;
    let purchases = fit_bgnbd(&summaries, &options)?;
    let spend = fit_gamma_gamma(&summaries, &options)?;
    let values = value_customers(&purchases.params, &spend.params, &summaries, &schedule(settings))?;

    let lifetime_values: Vec<f64> = values.iter().map(|value| value.lifetime_value).collect();
    let total_lifetime_value: f64 = lifetime_values.iter().sum();
    let customers = summaries.len();
    Ok(ClvReport {
        settings: *settings,
        start,
        as_of,
        check_purchases: check_fit.params,
        check_log_likelihood: check_fit.log_likelihood,
        check_customers: check_summaries.len(),
        holdout_actual_total: check_summaries.iter().map(|summary| u64::from(summary.holdout_purchases)).sum(),
        holdout,
        holdout_expected_total,
        purchases: purchases.params,
        purchases_log_likelihood: purchases.log_likelihood,
        spend: spend.params,
        spend_log_likelihood: spend.log_likelihood,
        customers,
        repeat_buyers: summaries.iter().filter(|summary| summary.history.repeat_purchases > 0).count(),
        mean_lifetime_value: total_lifetime_value / customers as f64,
        total_lifetime_value,
        mean_probability_alive: values.iter().map(|value| value.probability_alive).sum::<f64>() / customers as f64,
        histogram: histogram(&lifetime_values),
        at_risk: at_risk(transactions, &summaries, &values),
    })
}

fn date_span(transactions: &Transactions) -> Option<(NaiveDate, NaiveDate)> {
    Some((*transactions.date.iter().min()?, *transactions.date.iter().max()?))
}

/// Converts the monthly horizon and yearly rate into the model's unit.
fn schedule(settings: &ClvSettings) -> DiscountSchedule {
    DiscountSchedule {
        periods: settings.horizon_months,
        period_length: TimeUnit::Months.days() / settings.unit.days(),
        discount_rate: (1.0 + settings.annual_discount_rate).powf(1.0 / 12.0) - 1.0,
    }
}

/// Groups customers by calibration frequency and compares mean holdout purchases with the
/// model's conditional expectation E[Y(t) | x, t_x, T] over the holdout length t.
fn holdout_rows(params: &BgNbdParams, summaries: &[CustomerSummary], holdout_length: f64) -> Result<(Vec<HoldoutRow>, f64), ClvError> {
    let mut sums = vec![(0usize, 0u64, 0.0f64); MAX_FREQUENCY_ROW as usize + 1];
    let mut expected_total = 0.0;
    for summary in summaries {
        let expected = params.expected_purchases(holdout_length, &summary.history)?;
        let row = &mut sums[summary.history.repeat_purchases.min(MAX_FREQUENCY_ROW) as usize];
        row.0 += 1;
        row.1 += u64::from(summary.holdout_purchases);
        row.2 += expected;
        expected_total += expected;
    }

    let rows = sums
        .into_iter()
        .enumerate()
        .filter(|(_, (customers, _, _))| *customers > 0)
        .map(|(frequency, (customers, actual, expected))| HoldoutRow {
            label: if frequency as u32 == MAX_FREQUENCY_ROW { format!("{frequency}+") } else { frequency.to_string() },
            customers,
            actual_mean: actual as f64 / customers as f64,
            expected_mean: expected / customers as f64,
        })
        .collect();
    Ok((rows, expected_total))
}

/// Bins CLVs linearly from 0 to the 99th percentile; the last bin also holds the values above.
fn histogram(values: &[f64]) -> Vec<ValueBin> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let Some(&last) = sorted.last() else { return Vec::new() };
    let percentile_99 = sorted[((sorted.len() - 1) as f64 * 0.99) as usize];
    let top = if percentile_99 > 0.0 { percentile_99 } else { last.max(1.0) };
    let width = top / HISTOGRAM_BINS as f64;

    let mut bins: Vec<ValueBin> = (0..HISTOGRAM_BINS)
        .map(|index| ValueBin { low: index as f64 * width, high: (index + 1) as f64 * width, customers: 0 })
        .collect();
    for value in values {
        let index = ((value / width).floor().max(0.0) as usize).min(HISTOGRAM_BINS - 1);
        bins[index].customers += 1;
    }
    if let Some(bin) = bins.last_mut() {
        bin.high = bin.high.max(last);
    }
    bins
}

/// Lists the customers in the top [`HIGH_VALUE_SHARE`] by past spend whose P(alive) is below
/// [`AT_RISK_ALIVE_BELOW`], highest past spend first.
fn at_risk(transactions: &Transactions, summaries: &[CustomerSummary], values: &[super::CustomerValue]) -> Vec<AtRiskCustomer> {
    let spend = past_spend(transactions);
    let mut spends: Vec<Money> = summaries.iter().map(|summary| spend.get(&summary.customer).copied().unwrap_or_default()).collect();
    spends.sort_unstable_by(|a, b| b.cmp(a));
    let threshold_index = ((spends.len() as f64 * HIGH_VALUE_SHARE).ceil() as usize).saturating_sub(1);
    let Some(&threshold) = spends.get(threshold_index) else { return Vec::new() };

    let mut listed: Vec<AtRiskCustomer> = summaries
        .iter()
        .zip(values)
        .filter_map(|(summary, value)| {
            let past = spend.get(&summary.customer).copied().unwrap_or_default();
            (past >= threshold && past.is_positive() && value.probability_alive < AT_RISK_ALIVE_BELOW).then(|| AtRiskCustomer {
                id: transactions.customer_ids[summary.customer as usize].clone(),
                repeat_purchases: summary.history.repeat_purchases,
                recency: summary.history.recency,
                age: summary.history.age,
                past_spend: past,
                probability_alive: value.probability_alive,
                expected_purchases: value.expected_purchases,
                lifetime_value: value.lifetime_value,
            })
        })
        .collect();
    listed.sort_by(|a, b| b.past_spend.cmp(&a.past_spend).then_with(|| a.id.cmp(&b.id)));
    listed
}

/// Sums each customer's non-negative transactions (refunds left out, as in the summaries).
fn past_spend(transactions: &Transactions) -> HashMap<u32, Money> {
    let mut spend: HashMap<u32, Money> = HashMap::new();
    for row in 0..transactions.len() {
        let amount = transactions.amount[row];
        if amount.micros >= 0 {
            *spend.entry(transactions.customer[row]).or_default() += amount;
        }
    }
    spend
}
