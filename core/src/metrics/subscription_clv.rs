//! Subscription customer lifetime value: `ARPA × gross margin / monthly logo churn`, the
//! churn averaged over the trailing three complete months. With no churn in those months the
//! value would be infinite, so it is reported as not computable yet.

use chrono::NaiveDate;

use super::arpa::arpa;
use super::movements::movements;
use super::mrr::CustomerMrr;
use super::period::{latest_complete, Granularity, Period};
use super::retention::{logo_churn, ChurnConvention};
use super::unavailable::Unavailable;

/// Subscription CLV with its inputs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SubscriptionClv {
    /// Lifetime value in major units of the currency.
    pub value: f64,
    /// ARPA at the end of the latest complete month, in major units.
    pub arpa: f64,
    /// Gross margin as a fraction (1.0 is 100%).
    pub gross_margin: f64,
    /// Mean of the three months' logo churn fractions.
    pub mean_monthly_churn: f64,
    /// The latest of the three complete months.
    pub last_month: Period,
}

/// Computes subscription CLV as of `as_of`, with `gross_margin_basis_points` (10000 is 100%).
pub fn subscription_clv(timelines: &[CustomerMrr], as_of: NaiveDate, gross_margin_basis_points: u32) -> Result<SubscriptionClv, Unavailable> {
    let last_month = latest_complete(Granularity::Month, as_of);
    let months = [last_month.plus(-2), last_month.previous(), last_month];
    let monthly = movements(timelines, &months, &|_| true);

    let mut churn_sum = 0.0;
    for month in &monthly {
        churn_sum += logo_churn(month, ChurnConvention::StartCustomers)?.fraction();
    }
    let mean_monthly_churn = churn_sum / months.len() as f64;
    if mean_monthly_churn == 0.0 {
        return Err(Unavailable::NotComputableYet { what: "logo churn over the last three complete months" });
    }

    let arpa = arpa(timelines, last_month.end_instant(), &|_| true)?.per_customer.to_major_f64();
    let gross_margin = f64::from(gross_margin_basis_points) / 10_000.0;
    Ok(SubscriptionClv { value: arpa * gross_margin / mean_monthly_churn, arpa, gross_margin, mean_monthly_churn, last_month })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::mrr::{customer_timelines, FreePeriod, MrrSettings};
    use crate::metrics::testing::{date, ended, subscription, subscriptions};

    fn timelines(rows: Vec<crate::ingest::kinds::Subscription>) -> Vec<CustomerMrr> {
        let settings = MrrSettings { as_of: date("2024-04-30"), currency: 0, free_period: FreePeriod::NotPaying };
        customer_timelines(&subscriptions(rows), &settings)
    }

    #[test]
    fn clv_divides_margin_weighted_arpa_by_mean_churn() {
        // Ten customers at 10.00 from December; one leaves in February. Churn: 0, 1/10, 0 →
        // mean 1/30. ARPA at the end of April: 10.00. CLV at 80% margin: 10 × 0.8 × 30 = 240.
        let mut rows: Vec<_> = (0..9).map(|index| subscription(&format!("c{index}"), "2023-12-01", 10_00)).collect();
        rows.push(ended(subscription("leaver", "2023-12-01", 10_00), "2024-03-01"));
        let result = subscription_clv(&timelines(rows), date("2024-04-30"), 8_000).unwrap();
        assert_eq!(result.last_month.label(), "2024-04");
        assert!((result.mean_monthly_churn - 1.0 / 30.0).abs() < 1e-15);
        assert!((result.value - 240.0).abs() < 1e-9);
    }

    #[test]
    fn zero_churn_is_not_computable_yet() {
        let rows = vec![subscription("a", "2023-12-01", 10_00)];
        let result = subscription_clv(&timelines(rows), date("2024-04-30"), 10_000);
        assert!(matches!(result, Err(Unavailable::NotComputableYet { .. })));
    }
}
