//! Customer lifetime value from a BG/NBD purchase forecast and a Gamma-Gamma spend forecast,
//! discounted per period, and the per-customer predictions behind it.

use super::bgnbd::BgNbdParams;
use super::error::ClvError;
use super::gamma_gamma::GammaGammaParams;
use super::summary::{CustomerSummary, PurchaseHistory};

/// The future periods a CLV sums over, and the discount applied to each.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DiscountSchedule {
    /// K: the number of periods after the calibration end.
    pub periods: u32,
    /// L: the length of one period, in the time unit the BG/NBD model was fitted in (for
    /// example 4.348 for months when fitted in weeks).
    pub period_length: f64,
    /// d: the discount rate per period as a fraction (0.01 is 1% per period), > −1.
    pub discount_rate: f64,
}

impl DiscountSchedule {
    /// Returns the whole horizon K·L in the model's time unit.
    pub fn horizon(&self) -> f64 {
        f64::from(self.periods) * self.period_length
    }

    fn validate(&self) -> Result<(), ClvError> {
        if !(self.period_length.is_finite() && self.period_length > 0.0) {
            return Err(ClvError::InvalidArgument {
                name: "period length",
                value: self.period_length,
                expected: "finite and > 0, in the model's time unit",
            });
        }
        if !(self.discount_rate.is_finite() && self.discount_rate > -1.0) {
            return Err(ClvError::InvalidArgument {
                name: "discount rate per period",
                value: self.discount_rate,
                expected: "a finite fraction > -1 (0.01 is 1% per period)",
            });
        }
        Ok(())
    }
}

/// Computes a customer's discounted lifetime value in major currency units:
///
/// ```text
/// CLV = E[Z | x, z̄] · Σ_{k=1..K} (E[Y(kL) | x, t_x, T] − E[Y((k−1)L) | x, t_x, T]) / (1+d)^k
/// ```
///
/// Here `E[Y(t) | …]` is the BG/NBD expected purchase count in the t time units after the
/// calibration end (Fader, Hardie & Lee 2005) and `E[Z | …]` the Gamma-Gamma expected spend per
/// purchase (Fader & Hardie 2013). The purchases expected in period k are discounted as if paid
/// at its end, so a zero rate gives the undiscounted expected revenue over K·L. The value is
/// revenue, not margin, so multiply it by a margin fraction for profit. Errors: `InvalidArgument` for a bad
/// schedule or z̄, and the errors of the two forecasts.
pub fn customer_lifetime_value(
    purchases: &BgNbdParams,
    spend: &GammaGammaParams,
    history: &PurchaseHistory,
    mean_repeat_spend: f64,
    schedule: &DiscountSchedule,
) -> Result<f64, ClvError> {
    schedule.validate()?;
    let spend_per_purchase = spend.expected_spend(history.repeat_purchases, mean_repeat_spend)?;
    let discounted_purchases = discounted_purchases(purchases, history, schedule)?;
    Ok(spend_per_purchase * discounted_purchases)
}

/// Returns Σ_{k=1..K} (E[Y(kL)] − E[Y((k−1)L)]) / (1+d)^k.
fn discounted_purchases(
    purchases: &BgNbdParams,
    history: &PurchaseHistory,
    schedule: &DiscountSchedule,
) -> Result<f64, ClvError> {
    let mut total = 0.0;
    let mut expected_before = 0.0;
    let mut discount_factor = 1.0;
    for period in 1..=schedule.periods {
        let expected_by_end =
            purchases.expected_purchases(f64::from(period) * schedule.period_length, history)?;
        discount_factor /= 1.0 + schedule.discount_rate;
        total += (expected_by_end - expected_before) * discount_factor;
        expected_before = expected_by_end;
    }
    Ok(total)
}

/// One customer's forecasts over a discount schedule's horizon.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomerValue {
    /// Index into `Transactions::customer_ids`.
    pub customer: u32,
    /// P(alive) at the calibration end, a fraction.
    pub probability_alive: f64,
    /// `E[Y(K·L)]`: purchases expected over the whole horizon, undiscounted.
    pub expected_purchases: f64,
    /// `E[Z]`: expected spend per future purchase, in major units.
    pub expected_spend: f64,
    /// Discounted CLV over the horizon, in major units.
    pub lifetime_value: f64,
}

/// Computes [`CustomerValue`] for each summary, in order. Errors: the first error of
/// [`customer_lifetime_value`].
pub fn value_customers(
    purchases: &BgNbdParams,
    spend: &GammaGammaParams,
    customers: &[CustomerSummary],
    schedule: &DiscountSchedule,
) -> Result<Vec<CustomerValue>, ClvError> {
    customers.iter().map(|customer| value_customer(purchases, spend, customer, schedule)).collect()
}

fn value_customer(
    purchases: &BgNbdParams,
    spend: &GammaGammaParams,
    customer: &CustomerSummary,
    schedule: &DiscountSchedule,
) -> Result<CustomerValue, ClvError> {
    let history = &customer.history;
    let mean_repeat_spend = customer.mean_repeat_spend();
    Ok(CustomerValue {
        customer: customer.customer,
        probability_alive: purchases.probability_alive(history),
        expected_purchases: purchases.expected_purchases(schedule.horizon(), history)?,
        expected_spend: spend.expected_spend(history.repeat_purchases, mean_repeat_spend)?,
        lifetime_value: customer_lifetime_value(
            purchases,
            spend,
            history,
            mean_repeat_spend,
            schedule,
        )?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PURCHASES: BgNbdParams = BgNbdParams { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const SPEND: GammaGammaParams = GammaGammaParams { p: 6.25, q: 3.74, gamma: 15.44 };
    const HISTORY: PurchaseHistory =
        PurchaseHistory { repeat_purchases: 2, recency: 30.43, age: 38.86 };

    fn schedule(discount_rate: f64) -> DiscountSchedule {
        DiscountSchedule { periods: 12, period_length: 52.0 / 12.0, discount_rate }
    }

    #[test]
    fn undiscounted_value_is_purchases_times_spend() {
        let value =
            customer_lifetime_value(&PURCHASES, &SPEND, &HISTORY, 22.35, &schedule(0.0)).unwrap();

        let purchases = PURCHASES.expected_purchases(52.0, &HISTORY).unwrap();
        let spend = SPEND.expected_spend(2, 22.35).unwrap();
        assert!((value - purchases * spend).abs() < 1e-9 * value, "{value}");
    }

    #[test]
    fn discounting_lowers_value() {
        let undiscounted =
            customer_lifetime_value(&PURCHASES, &SPEND, &HISTORY, 22.35, &schedule(0.0)).unwrap();
        let discounted =
            customer_lifetime_value(&PURCHASES, &SPEND, &HISTORY, 22.35, &schedule(0.01)).unwrap();

        assert!(discounted < undiscounted, "{discounted} vs {undiscounted}");
        assert!(discounted > undiscounted / 1.01_f64.powi(12), "{discounted}");
    }

    #[test]
    fn schedule_rejects_rate_at_minus_one() {
        let result = customer_lifetime_value(&PURCHASES, &SPEND, &HISTORY, 22.35, &schedule(-1.0));

        assert!(matches!(
            result,
            Err(ClvError::InvalidArgument { name: "discount rate per period", .. })
        ));
    }
}
