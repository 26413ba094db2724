//! The Gamma-Gamma model of spend per purchase (Fader & Hardie 2013, "The Gamma-Gamma Model of
//! Monetary Value"; first in Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value Curves
//! for Customer Base Analysis", Journal of Marketing Research 42(4)).
//!
//! Each purchase of a customer has value z ~ Gamma(shape p, rate ν), and ν varies across
//! customers as Gamma(shape q, rate γ). So a customer's mean spend is p/ν, and the population
//! mean is pγ/(q − 1). Spend is in major currency units (dollars, euros), and so is γ. The model
//! assumes spend per purchase is independent of the purchase count.

use std::collections::BTreeMap;

use super::error::ClvError;
use super::optimise::{minimise_log_params, FitOptions};
use super::special::ln_gamma;
use super::summary::CustomerSummary;

const MODEL: &str = "Gamma-Gamma";
const PARAMETER_NAMES: [&str; 3] = ["p", "q", "gamma"];

/// Gamma-Gamma parameters: purchase values Gamma(p, ν), ν ~ Gamma(q, γ), γ in major units.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GammaGammaParams {
    pub p: f64,
    pub q: f64,
    pub gamma: f64,
}

/// A maximum-likelihood Gamma-Gamma fit.
#[derive(Clone, Debug, PartialEq)]
pub struct GammaGammaFit {
    pub params: GammaGammaParams,
    /// Σ ln f(z̄ | x) over the fitted customers (natural log, spend in major units).
    pub log_likelihood: f64,
    /// Repeat buyers the fit used: x > 0 and z̄ > 0.
    pub customers: usize,
    /// Repeat buyers left out because their mean repeat spend is 0, which the Gamma
    /// distribution gives zero density.
    pub zero_spend_customers: usize,
    /// Nelder-Mead iterations over all runs.
    pub iterations: u64,
}

impl GammaGammaParams {
    /// Computes ln f(z̄ | p, q, γ; x), the log-density of a customer's mean spend z̄ over x
    /// purchases (Fader & Hardie 2013):
    ///
    /// ```text
    /// f = Γ(px+q) / (Γ(px) Γ(q)) · γ^q x^(px) z̄^(px−1) / (γ + x z̄)^(px+q)
    /// ```
    ///
    /// Defined for x > 0 and z̄ > 0 in major units.
    pub fn log_likelihood(&self, repeat_purchases: u32, mean_spend: f64) -> f64 {
        let px = self.p * f64::from(repeat_purchases);
        self.ln_count_terms(px) + self.ln_spend_terms(repeat_purchases, px, mean_spend)
    }

    /// Returns ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ.
    fn ln_count_terms(&self, px: f64) -> f64 {
        ln_gamma(px + self.q) - ln_gamma(px) - ln_gamma(self.q) + self.q * self.gamma.ln()
    }

    /// Returns px ln x + (px−1) ln z̄ − (px+q) ln(γ + x z̄).
    fn ln_spend_terms(&self, repeat_purchases: u32, px: f64, mean_spend: f64) -> f64 {
        let x = f64::from(repeat_purchases);
        px * x.ln() + (px - 1.0) * mean_spend.ln()
            - (px + self.q) * (self.gamma + x * mean_spend).ln()
    }

    /// Computes E[Z | p, q, γ, z̄, x], the expected spend per future purchase in major units
    /// (Fader & Hardie 2013):
    ///
    /// ```text
    /// E = p (γ + x z̄) / (px + q − 1)
    ///   = (q−1)/(px+q−1) · pγ/(q−1) + px/(px+q−1) · z̄
    /// ```
    ///
    /// This is a weighted mean of the population mean and the customer's own mean. For x = 0 it is the
    /// population mean pγ/(q − 1), and z̄ is not used. Errors: `NoFiniteMeanSpend` when
    /// px + q <= 1; `InvalidArgument` for a negative or non-finite z̄.
    pub fn expected_spend(&self, repeat_purchases: u32, mean_spend: f64) -> Result<f64, ClvError> {
        if !(mean_spend.is_finite() && mean_spend >= 0.0) {
            return Err(ClvError::InvalidArgument {
                name: "mean repeat spend",
                value: mean_spend,
                expected: "finite and >= 0, in major currency units",
            });
        }
        let x = f64::from(repeat_purchases);
        let denominator = self.p * x + self.q - 1.0;
        if denominator <= 0.0 {
            return Err(ClvError::NoFiniteMeanSpend { p: self.p, q: self.q, repeat_purchases });
        }
        Ok(self.p * (self.gamma + x * mean_spend) / denominator)
    }

    /// Returns the population mean spend per purchase, pγ/(q − 1), in major units: the
    /// expected spend of a customer with no repeat purchases. Errors: `NoFiniteMeanSpend` when
    /// q <= 1.
    pub fn population_mean_spend(&self) -> Result<f64, ClvError> {
        self.expected_spend(0, 0.0)
    }
}

/// Fits the Gamma-Gamma parameters by maximum likelihood over the repeat buyers' (x, z̄),
/// the sum of [`GammaGammaParams::log_likelihood`] over customers.
///
/// Only customers with x > 0 and z̄ > 0 enter the fit; the count left out for z̄ = 0 is
/// reported. Searches ln p, ln q and ln γ with Nelder-Mead from p = 1, q = 2 and γ = the mean
/// z̄, a start whose population mean pγ/(q−1) equals the mean z̄. Errors: `NoRepeatBuyers`
/// when no customer qualifies, and the errors of the optimiser.
pub fn fit_gamma_gamma(
    customers: &[CustomerSummary],
    options: &FitOptions,
) -> Result<GammaGammaFit, ClvError> {
    let repeat_buyers: Vec<(u32, f64)> = customers
        .iter()
        .filter(|c| c.history.repeat_purchases > 0)
        .map(|c| (c.history.repeat_purchases, c.mean_repeat_spend()))
        .collect();
    let spenders: Vec<(u32, f64)> =
        repeat_buyers.iter().copied().filter(|(_, mean_spend)| *mean_spend > 0.0).collect();
    if spenders.is_empty() {
        return Err(ClvError::NoRepeatBuyers { model: MODEL });
    }

    let mean_of_means =
        spenders.iter().map(|(_, spend)| spend).sum::<f64>() / spenders.len() as f64;
    let log_start = vec![0.0, 2.0_f64.ln(), mean_of_means.ln()];
    let groups = group_by_repeat_purchases(&spenders);
    let negative_log_likelihood = |log_params: &[f64]| -sum_log_likelihood(&groups, log_params);
    let minimum =
        minimise_log_params(MODEL, &PARAMETER_NAMES, log_start, negative_log_likelihood, options)?;

    Ok(GammaGammaFit {
        params: params_from_logs(&minimum.log_params),
        log_likelihood: -minimum.negative_log_likelihood,
        customers: spenders.len(),
        zero_spend_customers: repeat_buyers.len() - spenders.len(),
        iterations: minimum.iterations,
    })
}

fn params_from_logs(log_params: &[f64]) -> GammaGammaParams {
    GammaGammaParams { p: log_params[0].exp(), q: log_params[1].exp(), gamma: log_params[2].exp() }
}

/// Mean spends keyed by x, so the log-gamma terms are computed once per x.
type RepeatGroups = BTreeMap<u32, Vec<f64>>;

fn group_by_repeat_purchases(spenders: &[(u32, f64)]) -> RepeatGroups {
    let mut groups = RepeatGroups::new();
    for (repeat_purchases, mean_spend) in spenders {
        groups.entry(*repeat_purchases).or_default().push(*mean_spend);
    }
    groups
}

fn sum_log_likelihood(groups: &RepeatGroups, log_params: &[f64]) -> f64 {
    let params = params_from_logs(log_params);
    let mut total = 0.0;
    for (repeat_purchases, mean_spends) in groups {
        let px = params.p * f64::from(*repeat_purchases);
        let shared = params.ln_count_terms(px);
        for mean_spend in mean_spends {
            total += shared + params.ln_spend_terms(*repeat_purchases, px, *mean_spend);
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLISHED: GammaGammaParams = GammaGammaParams { p: 6.25, q: 3.74, gamma: 15.44 };

    #[test]
    fn expected_spend_without_repeats_is_population_mean() {
        let expected = PUBLISHED.expected_spend(0, 0.0).unwrap();

        assert!((expected - 6.25 * 15.44 / 2.74).abs() < 1e-12, "{expected}");
    }

    #[test]
    fn expected_spend_shrinks_toward_own_mean() {
        let population = PUBLISHED.population_mean_spend().unwrap();
        let few = PUBLISHED.expected_spend(1, 100.0).unwrap();
        let many = PUBLISHED.expected_spend(50, 100.0).unwrap();

        assert!(population < few, "{population} vs {few}");
        assert!(few < many, "{few} vs {many}");
        assert!(many < 100.0, "{many}");
    }

    #[test]
    fn expected_spend_rejects_infinite_population_mean() {
        let heavy_tailed = GammaGammaParams { q: 0.9, ..PUBLISHED };

        let result = heavy_tailed.expected_spend(0, 0.0);

        assert!(matches!(result, Err(ClvError::NoFiniteMeanSpend { .. })));
    }

    #[test]
    fn density_integrates_to_one() {
        // Midpoint rule on z̄ in (0, 2000] dollars for x = 3; the tail beyond is below 1e-6.
        let step = 0.01;
        let total: f64 = (0..200_000)
            .map(|i| (i as f64 + 0.5) * step)
            .map(|mean_spend| PUBLISHED.log_likelihood(3, mean_spend).exp() * step)
            .sum();

        assert!((total - 1.0).abs() < 1e-5, "{total}");
    }
}
