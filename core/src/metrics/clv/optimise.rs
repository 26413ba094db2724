//! Maximum-likelihood search shared by the CLV model fits: Nelder-Mead (argmin) over the
//! logarithms of the parameters, so that every parameter stays positive.

use argmin::core::{CostFunction, Error as ArgminError, Executor, State, TerminationReason};
use argmin::solver::neldermead::NelderMead;
use argmin_math::{ArgminAdd, ArgminMul, ArgminSub};

use super::error::ClvError;

/// How long a fit may search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FitOptions {
    /// Iteration limit of each Nelder-Mead run. A fit makes up to [`MAX_RESTARTS`] runs.
    pub max_iterations: u64,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions { max_iterations: 5_000 }
    }
}

/// Nelder-Mead runs a fit makes, each restarted from the previous best point with a fresh
/// simplex, before it reports non-convergence. A restart guards against a simplex that
/// collapsed before reaching the optimum.
pub const MAX_RESTARTS: u32 = 6;

/// A run stops when the standard deviation of the negative log-likelihood over the simplex
/// is below this fraction of its magnitude at the run's start (plus this value, for
/// likelihoods near 0). A relative tolerance stays above the rounding error of large sums.
const SIMPLEX_RELATIVE_TOLERANCE: f64 = 1e-12;

/// The fit has converged when a restart improves the negative log-likelihood by less than this
/// fraction of its magnitude (plus this value, for likelihoods near 0).
const RESTART_RELATIVE_TOLERANCE: f64 = 1e-10;

/// Offset added to each log-parameter in turn to build the initial simplex: a factor of e^0.5.
const SIMPLEX_STEP: f64 = 0.5;

/// The largest distance, in log units, of a fitted parameter from its data-based start value:
/// ln(1e8) ≈ 18.4. A fit that ends further away is taken as a likelihood that keeps rising
/// as the parameter goes to 0 or infinity.
const MAX_LOG_DISTANCE_FROM_START: f64 = 18.420680743952367;

/// The minimum of a negative log-likelihood over log-parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Minimum {
    pub log_params: Vec<f64>,
    pub negative_log_likelihood: f64,
    /// Nelder-Mead iterations over all runs.
    pub iterations: u64,
}

/// Minimises `negative_log_likelihood` over log-parameters from `log_start`.
///
/// `names` labels the parameters in errors. Non-finite costs count as +∞, so the simplex moves
/// away from them. Errors: `NotConverged` when a run hits the iteration limit or the restarts
/// keep improving. `ParameterDiverged` when a parameter ends more than a factor of 1e8 from its
/// start value.
pub fn minimise_log_params<F>(
    model: &'static str,
    names: &[&'static str],
    log_start: Vec<f64>,
    negative_log_likelihood: F,
    options: &FitOptions,
) -> Result<Minimum, ClvError>
where
    F: Fn(&[f64]) -> f64,
{
    let cost = Cost(negative_log_likelihood);
    let mut best = Minimum {
        negative_log_likelihood: cost.evaluate(&log_start),
        log_params: log_start.clone(),
        iterations: 0,
    };
    for _ in 0..MAX_RESTARTS {
        let previous_cost = best.negative_log_likelihood;
        best = run_nelder_mead(model, &cost, best, options)?;
        let tolerance = RESTART_RELATIVE_TOLERANCE * magnitude(previous_cost);
        if previous_cost.is_finite() && previous_cost - best.negative_log_likelihood <= tolerance {
            check_distance_from_start(model, names, &log_start, &best.log_params)?;
            return Ok(best);
        }
    }
    Err(ClvError::NotConverged { model, iterations: best.iterations })
}

/// Runs Nelder-Mead once from `start` with a fresh simplex.
fn run_nelder_mead<F>(
    model: &'static str,
    cost: &Cost<F>,
    start: Minimum,
    options: &FitOptions,
) -> Result<Minimum, ClvError>
where
    F: Fn(&[f64]) -> f64,
{
    let optimiser_failed =
        |error: ArgminError| ClvError::OptimiserFailed { model, message: error.to_string() };
    let tolerance = SIMPLEX_RELATIVE_TOLERANCE * magnitude(start.negative_log_likelihood);
    let solver = NelderMead::new(initial_simplex(&start.log_params))
        .with_sd_tolerance(tolerance)
        .map_err(optimiser_failed)?;
    let result = Executor::new(cost, solver)
        .configure(|state| state.max_iters(options.max_iterations))
        .timer(false)
        .run()
        .map_err(optimiser_failed)?;

    let state = result.state();
    let iterations = start.iterations + state.get_iter();
    if state.get_termination_reason() != Some(&TerminationReason::SolverConverged) {
        return Err(ClvError::NotConverged { model, iterations });
    }
    let Some(best) = state.get_best_param() else {
        return Err(ClvError::NotConverged { model, iterations });
    };
    Ok(Minimum {
        log_params: best.0.clone(),
        negative_log_likelihood: state.get_best_cost(),
        iterations,
    })
}

/// Returns 1 + |cost| as the scale of relative tolerances, or 1 for a non-finite cost.
fn magnitude(cost: f64) -> f64 {
    if cost.is_finite() {
        1.0 + cost.abs()
    } else {
        1.0
    }
}

/// Builds the n + 1 simplex vertices: `start`, and `start` moved by [`SIMPLEX_STEP`] along
/// each axis.
fn initial_simplex(start: &[f64]) -> Vec<Point> {
    let mut vertices = vec![Point(start.to_vec())];
    for axis in 0..start.len() {
        let mut vertex = start.to_vec();
        vertex[axis] += SIMPLEX_STEP;
        vertices.push(Point(vertex));
    }
    vertices
}

fn check_distance_from_start(
    model: &'static str,
    names: &[&'static str],
    log_start: &[f64],
    log_params: &[f64],
) -> Result<(), ClvError> {
    let moves = names.iter().zip(log_start).zip(log_params);
    for ((name, start), fitted) in moves {
        if !fitted.is_finite() || (fitted - start).abs() > MAX_LOG_DISTANCE_FROM_START {
            return Err(ClvError::ParameterDiverged {
                model,
                parameter: name,
                value: fitted.exp(),
            });
        }
    }
    Ok(())
}

/// The negative log-likelihood as an argmin cost function.
struct Cost<F>(F);

impl<F: Fn(&[f64]) -> f64> Cost<F> {
    fn evaluate(&self, log_params: &[f64]) -> f64 {
        let value = (self.0)(log_params);
        if value.is_finite() {
            value
        } else {
            f64::INFINITY
        }
    }
}

impl<F: Fn(&[f64]) -> f64> CostFunction for &Cost<F> {
    type Param = Point;
    type Output = f64;

    fn cost(&self, point: &Point) -> Result<f64, ArgminError> {
        Ok(self.evaluate(&point.0))
    }
}

/// A point in log-parameter space with the vector arithmetic Nelder-Mead needs. A local type
/// keeps argmin-math's `vec` feature, and the random-number crates it enables, out of the
/// build.
#[derive(Clone, Debug)]
struct Point(Vec<f64>);

impl ArgminAdd<Point, Point> for Point {
    fn add(&self, other: &Point) -> Point {
        Point(self.0.iter().zip(&other.0).map(|(x, y)| x + y).collect())
    }
}

impl ArgminSub<Point, Point> for Point {
    fn sub(&self, other: &Point) -> Point {
        Point(self.0.iter().zip(&other.0).map(|(x, y)| x - y).collect())
    }
}

impl ArgminMul<f64, Point> for Point {
    fn mul(&self, factor: &f64) -> Point {
        Point(self.0.iter().map(|x| x * factor).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shifted_quadratic(log_params: &[f64]) -> f64 {
        (log_params[0] - 1.0).powi(2) + 3.0 * (log_params[1] + 2.0).powi(2) + 7.0
    }

    #[test]
    fn minimum_of_quadratic_is_found() {
        let minimum = minimise_log_params(
            "test",
            &["u", "v"],
            vec![0.0, 0.0],
            shifted_quadratic,
            &FitOptions::default(),
        )
        .unwrap();

        assert!((minimum.log_params[0] - 1.0).abs() < 1e-4, "{:?}", minimum.log_params);
        assert!((minimum.log_params[1] + 2.0).abs() < 1e-4, "{:?}", minimum.log_params);
        assert!((minimum.negative_log_likelihood - 7.0).abs() < 1e-9);
    }

    #[test]
    fn iteration_limit_reports_not_converged() {
        let options = FitOptions { max_iterations: 3 };

        let result =
            minimise_log_params("test", &["u", "v"], vec![0.0, 0.0], shifted_quadratic, &options);

        assert!(matches!(result, Err(ClvError::NotConverged { model: "test", .. })));
    }

    #[test]
    fn cost_falling_toward_zero_parameter_reports_divergence() {
        // The cost keeps falling as u = ln θ → −∞, so θ has no finite optimum.
        let falling = |log_params: &[f64]| log_params[0].exp() + (log_params[1] - 0.5).powi(2);

        let result = minimise_log_params(
            "test",
            &["theta", "v"],
            vec![0.0, 0.0],
            falling,
            &FitOptions::default(),
        );

        assert!(
            matches!(result, Err(ClvError::ParameterDiverged { parameter: "theta", .. })),
            "{result:?}"
        );
    }
}
