//! Shares of a count with their denominator and 95% Wilson score interval.

use serde::{Deserialize, Serialize};
/// Below this denominator a share is flagged as a small sample.
pub const SMALL_SAMPLE: u64 = 30;

/// The 97.5% quantile of the standard normal distribution, for two-sided 95% intervals.
const Z_95: f64 = 1.959_963_984_540_054;

/// `numerator` out of `denominator`, for example churned customers out of all customers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub numerator: u64,
    pub denominator: u64,
}

impl Share {
    /// Returns `None` when the denominator is zero, because the share is then undefined.
    pub fn new(numerator: u64, denominator: u64) -> Option<Self> {
        (denominator > 0 && numerator <= denominator).then_some(Share { numerator, denominator })
    }

    /// Returns the share as a fraction in `[0, 1]`.
    pub fn fraction(self) -> f64 {
        self.numerator as f64 / self.denominator as f64
    }

    /// Returns the 95% Wilson score interval `(low, high)`, as fractions.
    ///
    /// Formula: `(p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n)` (Wilson 1927), which stays
    /// inside `[0, 1]` and behaves at p = 0 and p = 1, unlike the normal approximation.
    pub fn wilson_interval(self) -> (f64, f64) {
        let n = self.denominator as f64;
        let p = self.fraction();
        let z2 = Z_95 * Z_95;
        let centre = p + z2 / (2.0 * n);
        let spread = Z_95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
        let scale = 1.0 + z2 / n;
        (((centre - spread) / scale).max(0.0), ((centre + spread) / scale).min(1.0))
    }

    pub fn is_small_sample(self) -> bool {
        self.denominator < SMALL_SAMPLE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_interval_matches_reference_values() {
        // 1,869 of 7,043: p = 0.26537; reference interval from the closed form computed by hand
        // with z = 1.96: (0.25518, 0.27581).
        let (low, high) = Share::new(1869, 7043).unwrap().wilson_interval();
        assert!((low - 0.25518).abs() < 5e-5, "low {low}");
        assert!((high - 0.27581).abs() < 5e-5, "high {high}");
    }

    #[test]
    fn wilson_interval_at_the_edges() {
        let (low, high) = Share::new(0, 10).unwrap().wilson_interval();
        assert_eq!(low, 0.0);
        assert!((high - 0.27753).abs() < 5e-5, "high {high}");
        let (low, high) = Share::new(10, 10).unwrap().wilson_interval();
        assert!((low - 0.72247).abs() < 5e-5, "low {low}");
        assert!((high - 1.0).abs() < 1e-12, "high {high}");
    }

    #[test]
    fn zero_denominator_is_undefined() {
        assert_eq!(Share::new(0, 0), None);
        assert!(Share::new(3, 20).unwrap().is_small_sample());
    }
}
