//! Special functions for the CLV likelihoods and predictions: log-gamma, log-beta and the Gauss
//! hypergeometric function 2F1.

use super::error::ClvError;

/// Terms the 2F1 series may sum before it reports non-convergence. At z = 0.999 the series
/// needs about 35,000 terms, so this cap is reached only for z within about 1e-5 of 1.
pub const MAX_SERIES_TERMS: usize = 1_000_000;

/// The series stops when its estimated truncation error is below this fraction of the sum.
const SERIES_RELATIVE_TOLERANCE: f64 = 1e-15;

/// Returns ln Γ(x) for x > 0 (libm's `lgamma`, a port of the FreeBSD/musl implementation).
pub fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// Returns ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b) for a, b > 0.
pub fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// Computes the Gauss hypergeometric function
/// 2F1(a, b; c; z) = Σ_{n≥0} (a)_n (b)_n / ((c)_n n!) zⁿ for real |z| < 1,
/// where (a)_n = a (a+1) ⋯ (a+n−1) is the rising factorial.
///
/// Sums the series term by term. Errors: `InvalidArgument` when
/// |z| >= 1 or c is 0 or a negative integer; `SeriesNotConverged` after [`MAX_SERIES_TERMS`].
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Result<f64, ClvError> {
    Ok(1.0 + b * hyp2f1_excess_over_b(a, b, c, z)?)
}

/// Computes (2F1(a, b; c; z) − 1) / b = Σ_{n≥1} (a)_n (b+1)_{n−1} / ((c)_n n!) zⁿ, which stays
/// finite and accurate as b → 0, where 2F1 − 1 itself loses its digits to cancellation.
///
/// The sum stops when the remaining terms are estimated below 1e-15 of the sum: past the
/// current term t with ratio ρ = max(|t_{n+1}/t_n|, |z|) < 1 between terms, the tail is at most
/// |t| ρ / (1 − ρ). The ratio tends to |z|, so the bound is valid once the ratios stop growing. In
/// the first few terms it is an estimate, not a proven bound. Same domain and errors as
/// [`hyp2f1`].
pub fn hyp2f1_excess_over_b(a: f64, b: f64, c: f64, z: f64) -> Result<f64, ClvError> {
    check_hyp2f1_domain(c, z)?;

    let mut term = a * z / c;
    let mut sum = term;
    for index in 1..MAX_SERIES_TERMS {
        let n = index as f64;
        let ratio = (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
        let rho = ratio.abs().max(z.abs());
        if rho < 1.0 && term.abs() * rho / (1.0 - rho) <= SERIES_RELATIVE_TOLERANCE * sum.abs() {
            return Ok(sum);
        }
        term *= ratio;
        sum += term;
    }
    Err(ClvError::SeriesNotConverged { terms: MAX_SERIES_TERMS, z })
}

fn check_hyp2f1_domain(c: f64, z: f64) -> Result<(), ClvError> {
    if z.is_nan() || z.abs() >= 1.0 {
        return Err(ClvError::InvalidArgument {
            name: "2F1 argument z",
            value: z,
            expected: "finite with |z| < 1",
        });
    }
    if !c.is_finite() || (c <= 0.0 && c.fract() == 0.0) {
        return Err(ClvError::InvalidArgument {
            name: "2F1 parameter c",
            value: c,
            expected: "finite and not 0 or a negative integer",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_close(actual: f64, expected: f64, relative: f64) {
        let error = ((actual - expected) / expected).abs();
        assert!(error <= relative, "{actual} differs from {expected} by {error:e} (relative)");
    }

    #[test]
    fn hyp2f1_matches_logarithm_form() {
        // 2F1(1, 1; 2; z) = −ln(1 − z) / z.
        for z in [-0.9_f64, -0.3, 1e-6, 0.2, 0.5, 0.9, 0.99, 0.999] {
            let expected = -(-z).ln_1p() / z;
            assert_close(hyp2f1(1.0, 1.0, 2.0, z).unwrap(), expected, 1e-13);
        }
    }

    #[test]
    fn hyp2f1_matches_binomial_form() {
        // 2F1(a, b; b; z) = (1 − z)^(−a).
        let cases: [(f64, f64, f64); 4] =
            [(0.5, 3.0, 0.7), (2.25, 0.4, 0.95), (-1.5, 2.0, 0.6), (3.0, 7.5, -0.8)];
        for (a, b, z) in cases {
            let expected = (1.0 - z).powf(-a);
            assert_close(hyp2f1(a, b, b, z).unwrap(), expected, 1e-13);
        }
    }

    #[test]
    fn hyp2f1_matches_arcsine_form() {
        // 2F1(1/2, 1/2; 3/2; z²) = arcsin(z) / z.
        for z in [0.1_f64, 0.6, 0.95] {
            assert_close(hyp2f1(0.5, 0.5, 1.5, z * z).unwrap(), z.asin() / z, 1e-12);
        }
    }

    #[test]
    fn hyp2f1_polynomial_terminates() {
        // With a = −2 the series is the polynomial 1 + (ab/c) z + (a(a+1) b(b+1)/(c(c+1) 2)) z².
        let (b, c, z) = (3.0, 4.0, 0.5);
        let expected =
            1.0 - 2.0 * b / c * z + (-2.0 * -1.0) * b * (b + 1.0) / (c * (c + 1.0) * 2.0) * z * z;
        assert_close(hyp2f1(-2.0, b, c, z).unwrap(), expected, 1e-15);
    }

    #[test]
    fn excess_over_b_is_finite_at_b_zero() {
        // As b → 0, (2F1(1, b; 2; z) − 1) / b → Σ_{n≥1} zⁿ / (n (n+1)) = 1 + (1 − z) ln(1 − z) / z.
        let z: f64 = 0.75;
        let expected = 1.0 + (1.0 - z) * (-z).ln_1p() / z;
        assert_close(hyp2f1_excess_over_b(1.0, 0.0, 2.0, z).unwrap(), expected, 1e-14);
    }

    #[test]
    fn hyp2f1_rejects_z_outside_unit_disc() {
        for z in [1.0, -1.0, 2.0, f64::NAN] {
            let result = hyp2f1(1.0, 1.0, 2.0, z);
            assert!(matches!(result, Err(ClvError::InvalidArgument { .. })), "z = {z}");
        }
    }

    #[test]
    fn hyp2f1_rejects_nonpositive_integer_c() {
        let result = hyp2f1(1.0, 1.0, -3.0, 0.5);

        assert!(matches!(result, Err(ClvError::InvalidArgument { .. })));
    }

    #[test]
    fn hyp2f1_reports_slow_series() {
        let result = hyp2f1(1.0, 1.0, 2.0, 1.0 - 1e-9);

        assert!(matches!(result, Err(ClvError::SeriesNotConverged { .. })));
    }
}
