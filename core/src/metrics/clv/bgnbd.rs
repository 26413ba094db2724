//! The BG/NBD model of repeat purchases (Fader, Hardie & Lee 2005, "'Counting Your Customers'
//! the Easy Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2)).
//!
//! While alive, a customer buys as a Poisson process with rate λ ~ Gamma(shape r, rate α).
//! After each purchase they drop out for good with probability p ~ Beta(a, b). Time is in the
//! unit of the histories the model is fitted on, so α and every horizon share that unit.

use std::collections::BTreeMap;

use super::error::ClvError;
use super::optimise::{minimise_log_params, FitOptions};
use super::special::{hyp2f1_excess_over_b, ln_gamma};
use super::summary::{CustomerSummary, PurchaseHistory};

const MODEL: &str = "BG/NBD";
const PARAMETER_NAMES: [&str; 4] = ["r", "alpha", "a", "b"];

/// BG/NBD parameters: λ ~ Gamma(r, α) with α in the history's time unit, p ~ Beta(a, b).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BgNbdParams {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

/// A maximum-likelihood BG/NBD fit.
#[derive(Clone, Debug, PartialEq)]
pub struct BgNbdFit {
    pub params: BgNbdParams,
    /// Σ ln L over the customers at the fitted parameters (natural log, time in the history's
    /// unit).
    pub log_likelihood: f64,
    pub customers: usize,
    /// Nelder-Mead iterations over all runs.
    pub iterations: u64,
}

impl BgNbdParams {
    /// Computes one customer's log-likelihood ln L(r, α, a, b | x, t_x, T) under
    /// BG/NBD (Fader, Hardie & Lee 2005):
    ///
    /// ```text
    /// L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
    ///   + [x > 0] · B(a+1, b+x−1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x))
    /// ```
    ///
    /// The two terms are added in log space, so large x does not overflow.
    pub fn log_likelihood(&self, history: &PurchaseHistory) -> f64 {
        let x = f64::from(history.repeat_purchases);
        let shared = self.ln_count_terms(x) + self.r * self.alpha.ln();
        shared + self.ln_recency_terms(x, history.recency, history.age)
    }

    /// Returns the terms of ln L that depend on x but not on t_x or T:
    /// ln Γ(r+x) − ln Γ(r) + ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x).
    fn ln_count_terms(&self, x: f64) -> f64 {
        let (r, a, b) = (self.r, self.a, self.b);
        ln_gamma(r + x) - ln_gamma(r) + ln_gamma(a + b) + ln_gamma(b + x)
            - ln_gamma(b)
            - ln_gamma(a + b + x)
    }

    /// Returns ln[(α+T)^−(r+x) + [x > 0] · a/(b+x−1) · (α+t_x)^−(r+x)].
    fn ln_recency_terms(&self, x: f64, recency: f64, age: f64) -> f64 {
        let alive_term = -(self.r + x) * (self.alpha + age).ln();
        if x == 0.0 {
            return alive_term;
        }
        let dropout_term =
            self.a.ln() - (self.b + x - 1.0).ln() - (self.r + x) * (self.alpha + recency).ln();
        log_add_exp(alive_term, dropout_term)
    }

    /// Computes P(alive | x, t_x, T), the probability that the customer has not dropped out by
    /// T (Fader, Hardie & Lee 2005):
    ///
    /// ```text
    /// P = 1 / (1 + [x > 0] · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x))
    /// ```
    ///
    /// The result is a fraction in \[0, 1\].
    ///
    /// A customer with x = 0 cannot have dropped out (dropout happens only after a repeat
    /// purchase), so P = 1.
    pub fn probability_alive(&self, history: &PurchaseHistory) -> f64 {
        1.0 / (1.0 + self.dropout_odds(history))
    }

    /// Returns the odds that the customer has dropped out, a/(b+x−1) · ((α+T)/(α+t_x))^(r+x),
    /// computed in log space (it may be +∞, giving P(alive) = 0).
    fn dropout_odds(&self, history: &PurchaseHistory) -> f64 {
        if history.repeat_purchases == 0 {
            return 0.0;
        }
        let x = f64::from(history.repeat_purchases);
        let ln_ratio = (self.alpha + history.age).ln() - (self.alpha + history.recency).ln();
        (self.a.ln() - (self.b + x - 1.0).ln() + (self.r + x) * ln_ratio).exp()
    }

    /// Computes E[Y(t) | x, t_x, T], the expected number of purchases in the next `horizon`
    /// time units after T (Fader, Hardie & Lee 2005):
    ///
    /// ```text
    /// E = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; z)] · P(alive)
    /// z = t/(α+T+t)
    /// ```
    ///
    /// Euler's transformation ₂F₁(A, B; C; z) = (1−z)^(C−A−B) ₂F₁(C−A, C−B; C; z) turns the
    /// bracket into 1 − (1−z)^(a−1) · ₂F₁(a+b−1−r, a−1; a+b+x−1; z), whose series terms do
    /// not grow with x. Writing that ₂F₁ as 1 + (a−1)·G and (1 − (1−z)^(a−1))/(a−1) as
    /// −expm1((a−1) ln(1−z))/(a−1) removes the 0/0 at a = 1.
    ///
    /// Errors: `InvalidArgument` for a negative or non-finite horizon, and the errors of
    /// [`hyp2f1_excess_over_b`] (a horizon many times the customer's age can exceed its term
    /// limit).
    pub fn expected_purchases(
        &self,
        horizon: f64,
        history: &PurchaseHistory,
    ) -> Result<f64, ClvError> {
        check_horizon(horizon)?;
        let (r, a, b) = (self.r, self.a, self.b);
        let x = f64::from(history.repeat_purchases);
        let elapsed = self.alpha + history.age;
        let z = horizon / (elapsed + horizon);
        let ln_one_minus_z = elapsed.ln() - (elapsed + horizon).ln();

        let a_minus_one = a - 1.0;
        // NOTE: c is 0 or a negative integer only when x = 0 and a + b <= 1 takes such a value.
        // The series then rejects c with `InvalidArgument`, although the formula has a limit.
        let c = a + b + x - 1.0;
        let excess = hyp2f1_excess_over_b(a + b - 1.0 - r, a_minus_one, c, z)?;
        let power_term = (a_minus_one * ln_one_minus_z).exp();
        // (1 − (1−z)^(a−1)) / (a−1), finite at a = 1.
        let leading_term = -exp_m1_over(a_minus_one, ln_one_minus_z);
        let bracket_over_a_minus_one = leading_term - power_term * excess;

        Ok(c * bracket_over_a_minus_one * self.probability_alive(history))
    }
}

/// Returns expm1(s·y)/s, and its limit y at s = 0.
fn exp_m1_over(s: f64, y: f64) -> f64 {
    if s == 0.0 {
        y
    } else {
        (s * y).exp_m1() / s
    }
}

/// Returns ln(e^u + e^v) without overflow.
fn log_add_exp(u: f64, v: f64) -> f64 {
    let max = u.max(v);
    max + (-(u - v).abs()).exp().ln_1p()
}

fn check_horizon(horizon: f64) -> Result<(), ClvError> {
    if horizon.is_finite() && horizon >= 0.0 {
        return Ok(());
    }
    Err(ClvError::InvalidArgument {
        name: "prediction horizon",
        value: horizon,
        expected: "finite and >= 0, in the model's time unit",
    })
}

/// Fits the BG/NBD parameters by maximum likelihood over the customers' calibration
/// histories: the sum of [`BgNbdParams::log_likelihood`] over customers.
///
/// Searches ln r, ln α, ln a and ln b with Nelder-Mead from r = a = b = 1 and α = ΣT / Σx
/// (the mean purchase rate of a Gamma(1, α) prior set to the pooled rate). Errors:
/// `NoCustomers` for an empty slice, `NoRepeatBuyers` when every x is 0, `InvalidArgument` for
/// a history with t_x > T or negative or non-finite times, and the errors of the optimiser.
pub fn fit_bgnbd(
    customers: &[CustomerSummary],
    options: &FitOptions,
) -> Result<BgNbdFit, ClvError> {
    let groups = group_by_repeat_purchases(customers)?;
    let total_repeats: f64 = customers.iter().map(|c| f64::from(c.history.repeat_purchases)).sum();
    if total_repeats == 0.0 {
        return Err(ClvError::NoRepeatBuyers { model: MODEL });
    }
    let total_age: f64 = customers.iter().map(|c| c.history.age).sum();
    let log_start = vec![0.0, (total_age / total_repeats).ln(), 0.0, 0.0];

    let negative_log_likelihood = |log_params: &[f64]| -sum_log_likelihood(&groups, log_params);
    let minimum =
        minimise_log_params(MODEL, &PARAMETER_NAMES, log_start, negative_log_likelihood, options)?;

    Ok(BgNbdFit {
        params: params_from_logs(&minimum.log_params),
        log_likelihood: -minimum.negative_log_likelihood,
        customers: customers.len(),
        iterations: minimum.iterations,
    })
}

fn params_from_logs(log_params: &[f64]) -> BgNbdParams {
    BgNbdParams {
        r: log_params[0].exp(),
        alpha: log_params[1].exp(),
        a: log_params[2].exp(),
        b: log_params[3].exp(),
    }
}

/// Customers' (t_x, T) pairs keyed by x, so the log-gamma terms are computed once per x.
type RepeatGroups = BTreeMap<u32, Vec<(f64, f64)>>;

fn group_by_repeat_purchases(customers: &[CustomerSummary]) -> Result<RepeatGroups, ClvError> {
    if customers.is_empty() {
        return Err(ClvError::NoCustomers);
    }
    let mut groups = RepeatGroups::new();
    for customer in customers {
        let history = &customer.history;
        check_history(history)?;
        groups.entry(history.repeat_purchases).or_default().push((history.recency, history.age));
    }
    Ok(groups)
}

fn check_history(history: &PurchaseHistory) -> Result<(), ClvError> {
    let valid = history.recency.is_finite()
        && history.age.is_finite()
        && 0.0 <= history.recency
        && history.recency <= history.age;
    if valid {
        return Ok(());
    }
    Err(ClvError::InvalidArgument {
        name: "recency t_x",
        value: history.recency,
        expected: "finite with 0 <= t_x <= T (the customer's age)",
    })
}

fn sum_log_likelihood(groups: &RepeatGroups, log_params: &[f64]) -> f64 {
    let params = params_from_logs(log_params);
    let ln_alpha_term = params.r * params.alpha.ln();
    let mut total = 0.0;
    for (repeat_purchases, histories) in groups {
        let x = f64::from(*repeat_purchases);
        let shared = params.ln_count_terms(x) + ln_alpha_term;
        for (recency, age) in histories {
            total += shared + params.ln_recency_terms(x, *recency, *age);
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLISHED: BgNbdParams = BgNbdParams { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

    fn history(repeat_purchases: u32, recency: f64, age: f64) -> PurchaseHistory {
        PurchaseHistory { repeat_purchases, recency, age }
    }

    #[test]
    fn probability_alive_is_one_without_repeats() {
        assert_eq!(PUBLISHED.probability_alive(&history(0, 0.0, 30.0)), 1.0);
    }

    #[test]
    fn probability_alive_falls_with_long_silence() {
        let recent = PUBLISHED.probability_alive(&history(5, 30.0, 31.0));
        let silent = PUBLISHED.probability_alive(&history(5, 5.0, 31.0));

        assert!(recent > 0.85, "recent buyer: {recent}");
        assert!(silent < 0.1, "silent buyer: {silent}");
    }

    #[test]
    fn expected_purchases_is_zero_at_zero_horizon() {
        let expected = PUBLISHED.expected_purchases(0.0, &history(2, 30.43, 38.86)).unwrap();

        assert_eq!(expected, 0.0);
    }

    #[test]
    fn expected_purchases_is_continuous_at_a_equal_one() {
        // The closed form divides by a − 1; the rewritten form must agree on both sides of 1.
        let customer = history(3, 20.0, 38.0);
        let at =
            |a: f64| BgNbdParams { a, ..PUBLISHED }.expected_purchases(26.0, &customer).unwrap();

        let below = at(1.0 - 1e-7);
        let exact = at(1.0);
        let above = at(1.0 + 1e-7);

        assert!(exact.is_finite(), "{exact}");
        assert!(exact > 0.0, "{exact}");
        assert!((below - exact).abs() < 1e-6 * exact, "{below} vs {exact}");
        assert!((above - exact).abs() < 1e-6 * exact, "{above} vs {exact}");
    }

    #[test]
    fn expected_purchases_rejects_negative_horizon() {
        let result = PUBLISHED.expected_purchases(-1.0, &history(0, 0.0, 1.0));

        assert!(matches!(result, Err(ClvError::InvalidArgument { .. })));
    }

    #[test]
    fn log_likelihood_survives_large_counts() {
        let value = PUBLISHED.log_likelihood(&history(5_000, 300.0, 310.0));

        assert!(value.is_finite(), "{value}");
    }
}
