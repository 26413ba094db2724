//! Transaction CLV on the CDNOW data: summaries against the published summary file, fits
//! against the published estimates (Fader, Hardie & Lee 2005 for BG/NBD; Fader & Hardie 2013
//! for Gamma-Gamma), and forecasts against values derived here by other methods.
//!
//! The CDNOW files are read with a small parser below, not with the app's ingest code, so a
//! fault in ingest cannot hide a fault here.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use chrono::NaiveDate;
use headlights_core::ingest::{Money, Transactions};
use headlights_core::metrics::clv::special::hyp2f1;
use headlights_core::metrics::clv::{
    customer_lifetime_value, fit_bgnbd, fit_gamma_gamma, summarise_customers, BgNbdParams,
    CalibrationWindow, ClvError, CustomerSummary, DiscountSchedule, FitOptions, GammaGammaParams,
    PurchaseHistory, TimeUnit,
};

// ---------------------------------------------------------------------------------------------
// Reading the CDNOW files

/// Returns the path of a file in `shared/datasets/real`, beside the repository folder.
fn real_dataset(file_name: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/datasets/real")
        .join(file_name);
    assert!(
        path.is_file(),
        "data set not found: {}. The tests expect the shared/ folder beside the repository folder.",
        path.display()
    );
    path
}

fn read_text(file_name: &str) -> String {
    let path = real_dataset(file_name);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn parse_date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y%m%d").unwrap_or_else(|_| panic!("bad date {text:?}"))
}

/// Parses a dollar amount such as `29.33` or `7` into exact micro-units.
fn parse_dollars(text: &str) -> Money {
    let (units, fraction) = text.split_once('.').unwrap_or((text, ""));
    assert!(fraction.len() <= 6, "too many decimals in {text:?}");
    let units: i64 = units.parse().unwrap_or_else(|_| panic!("bad amount {text:?}"));
    let fraction: i64 =
        format!("{fraction:0<6}").parse().unwrap_or_else(|_| panic!("bad amount {text:?}"));
    Money::from_micros(units * 1_000_000 + fraction)
}

/// Builds a transaction log from (customer id, date, amount) rows.
fn transactions<'a>(rows: impl Iterator<Item = (&'a str, NaiveDate, Money)>) -> Transactions {
    let mut indices: HashMap<String, u32> = HashMap::new();
    let mut log = Transactions::default();
    for (id, date, amount) in rows {
        let next_index = indices.len() as u32;
        let index = *indices.entry(id.to_string()).or_insert_with(|| {
            log.customer_ids.push(id.to_string());
            next_index
        });
        log.customer.push(index);
        log.date.push(date);
        log.amount.push(amount);
    }
    log
}

/// Reads `cdnow_sample.txt`: no header; master id, sample id, YYYYMMDD, CDs, dollars. The
/// customer id is the sample id.
fn cdnow_sample() -> Transactions {
    let text = read_text("cdnow_sample.txt");
    let rows = text.lines().filter(|line| !line.trim().is_empty()).map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields.len(), 5, "sample line {line:?}");
        (fields[1], parse_date(fields[2]), parse_dollars(fields[4]))
    });
    transactions(rows)
}

/// Reads `cdnow_master.txt`: a header, then customer id, YYYYMMDD, CDs, dollars.
fn cdnow_master() -> Transactions {
    let text = read_text("cdnow_master.txt");
    let rows = text.lines().skip(1).filter(|line| !line.trim().is_empty()).map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields.len(), 4, "master line {line:?}");
        (fields[0], parse_date(fields[1]), parse_dollars(fields[3]))
    });
    transactions(rows)
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test dates are ISO")
}

/// Weeks 1–39 of 1997 for calibration and weeks 40–78 for holdout, as in the CDNOW studies.
fn cdnow_window() -> CalibrationWindow {
    CalibrationWindow {
        start: date("1997-01-01"),
        calibration_end: date("1997-09-30"),
        holdout_end: date("1998-06-30"),
        unit: TimeUnit::Weeks,
    }
}

fn sample_summaries() -> (Transactions, Vec<CustomerSummary>) {
    let log = cdnow_sample();
    let summaries = summarise_customers(&log, &cdnow_window()).expect("the window is ordered");
    (log, summaries)
}

fn histories(summaries: &[CustomerSummary]) -> impl Iterator<Item = &PurchaseHistory> {
    summaries.iter().map(|summary| &summary.history)
}

/// Asserts |actual − expected| <= relative · |expected|.
fn assert_relative(name: &str, actual: f64, expected: f64, relative: f64) {
    let error = ((actual - expected) / expected).abs();
    assert!(
        error <= relative,
        "{name}: {actual} differs from {expected} by {:.3e} (relative), more than {relative:e}",
        error
    );
}

// ---------------------------------------------------------------------------------------------
// Summary

/// Rounds `micros / count` to cents, halves away from zero, as the summary file does.
fn mean_in_cents_half_up(total: Money, count: u32) -> String {
    assert!(total.micros >= 0);
    let divisor = i64::from(count) * 10_000;
    let cents = (2 * total.micros + divisor) / (2 * divisor);
    format!("{}.{:02}", cents / 100, cents % 100)
}

#[test]
fn sample_summary_matches_published_file() {
    let (log, summaries) = sample_summaries();
    let published = read_text("cdnow_sample_summary.csv");
    let mut rows = published.lines();
    assert_eq!(rows.next(), Some("ID,x,t_x,T,zbar"));
    let expected: HashMap<u32, Vec<String>> = rows
        .map(|line| {
            let fields: Vec<String> = line.split(',').map(str::to_string).collect();
            (fields[0].parse().expect("numeric ID"), fields)
        })
        .collect();

    assert_eq!(log.len(), 6_919);
    assert_eq!(summaries.len(), 2_357);
    assert_eq!(expected.len(), 2_357);
    for summary in &summaries {
        let id: u32 = log.customer_ids[summary.customer as usize].parse().expect("numeric id");
        let row = &expected[&id];
        let history = &summary.history;
        // Days / 7 is never exactly halfway between two hundredths, so {:.2} rounds as the file.
        let zbar = mean_in_cents_half_up(summary.repeat_spend, history.repeat_purchases.max(1));
        assert_eq!(history.repeat_purchases.to_string(), row[1], "customer {id}: x");
        assert_eq!(format!("{:.2}", history.recency), row[2], "customer {id}: t_x");
        assert_eq!(format!("{:.2}", history.age), row[3], "customer {id}: T");
        assert_eq!(zbar, row[4], "customer {id}: zbar");

        let published_zbar: f64 = row[4].parse().expect("numeric zbar");
        let zbar_error = (summary.mean_repeat_spend() - published_zbar).abs();
        assert!(zbar_error <= 0.005 + 1e-9, "customer {id}: {}", summary.mean_repeat_spend());
    }

    let repeat_buyers = summaries.iter().filter(|s| s.history.repeat_purchases > 0).count();
    assert_eq!(repeat_buyers, 946);
}

#[test]
fn sample_age_counts_days_from_first_purchase() {
    // A first purchase on 1997-01-01 is 272 days before 1997-09-30: T = 272 / 7 = 38.857 weeks.
    let (log, summaries) = sample_summaries();
    let first = summaries.iter().find(|s| log.customer_ids[s.customer as usize] == "0001").unwrap();

    assert_eq!(first.first_purchase, date("1997-01-01"));
    assert_eq!(first.history.age, 272.0 / 7.0);
    assert_eq!(first.history.recency, 213.0 / 7.0);
}

#[test]
fn sample_holdout_counts_match_direct_count() {
    // Counted here from distinct (customer, day) pairs after the calibration end.
    let (log, summaries) = sample_summaries();
    let window = cdnow_window();
    let holdout_days: BTreeSet<(u32, NaiveDate)> = log
        .customer
        .iter()
        .zip(&log.date)
        .filter(|(_, day)| **day > window.calibration_end && **day <= window.holdout_end)
        .map(|(customer, day)| (*customer, *day))
        .collect();

    let summed: u32 = summaries.iter().map(|s| s.holdout_purchases).sum();

    assert_eq!(summed as usize, holdout_days.len());
    for summary in summaries.iter().take(50) {
        let direct =
            holdout_days.iter().filter(|(customer, _)| *customer == summary.customer).count();
        assert_eq!(summary.holdout_purchases as usize, direct, "customer {}", summary.customer);
    }
}

// ---------------------------------------------------------------------------------------------
// Fits

#[test]
fn bgnbd_fit_matches_published_estimates() {
    let (_, summaries) = sample_summaries();

    let fit = fit_bgnbd(&summaries, &FitOptions::default()).expect("the CDNOW sample fits");

    eprintln!("BG/NBD on the CDNOW sample: {:?}", fit);
    assert_relative("r", fit.params.r, 0.243, 0.01);
    assert_relative("alpha", fit.params.alpha, 4.414, 0.01);
    assert_relative("a", fit.params.a, 0.793, 0.01);
    assert_relative("b", fit.params.b, 2.426, 0.01);
    assert!((fit.log_likelihood - -9582.4).abs() < 0.1, "log-likelihood {}", fit.log_likelihood);
    assert_eq!(fit.customers, 2_357);
}

#[test]
fn bgnbd_log_likelihood_sums_per_customer_values() {
    let (_, summaries) = sample_summaries();
    let fit = fit_bgnbd(&summaries, &FitOptions::default()).unwrap();

    let summed: f64 = histories(&summaries).map(|h| fit.params.log_likelihood(h)).sum();

    assert!((summed - fit.log_likelihood).abs() < 1e-6, "{summed} vs {}", fit.log_likelihood);
}

#[test]
fn gamma_gamma_fit_matches_published_estimates() {
    let (_, summaries) = sample_summaries();

    let fit = fit_gamma_gamma(&summaries, &FitOptions::default()).expect("the CDNOW sample fits");

    eprintln!("Gamma-Gamma on the CDNOW sample: {:?}", fit);
    assert_eq!(fit.customers, 946);
    assert_eq!(fit.zero_spend_customers, 0);
    assert_relative("p", fit.params.p, 6.25, 0.01);
    assert_relative("q", fit.params.q, 3.74, 0.01);
    assert_relative("gamma", fit.params.gamma, 15.44, 0.01);
    assert!(fit.log_likelihood.is_finite());
}

#[test]
fn fits_on_full_master_file_converge() {
    let log = cdnow_master();
    assert_eq!(log.len(), 69_659);
    let summaries = summarise_customers(&log, &cdnow_window()).expect("the window is ordered");

    let purchases = fit_bgnbd(&summaries, &FitOptions::default()).expect("BG/NBD fits");
    let spend = fit_gamma_gamma(&summaries, &FitOptions::default()).expect("Gamma-Gamma fits");

    eprintln!("CDNOW master, {} customers: {:?}", summaries.len(), purchases);
    eprintln!("CDNOW master, {} repeat buyers: {:?}", spend.customers, spend);
    let BgNbdParams { r, alpha, a, b } = purchases.params;
    for (name, value) in [("r", r), ("alpha", alpha), ("a", a), ("b", b)] {
        assert!(value.is_finite(), "BG/NBD {name} = {value}");
        assert!(value > 0.0, "BG/NBD {name} = {value}");
    }
    let GammaGammaParams { p, q, gamma } = spend.params;
    for (name, value) in [("p", p), ("q", q), ("gamma", gamma)] {
        assert!(value.is_finite(), "Gamma-Gamma {name} = {value}");
        assert!(value > 0.0, "Gamma-Gamma {name} = {value}");
    }
    assert!(purchases.log_likelihood.is_finite(), "{}", purchases.log_likelihood);
    assert!(spend.log_likelihood.is_finite(), "{}", spend.log_likelihood);
}

// ---------------------------------------------------------------------------------------------
// Forecasts, checked against independent derivations

const PUBLISHED_BGNBD: BgNbdParams = BgNbdParams { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const PUBLISHED_GAMMA_GAMMA: GammaGammaParams = GammaGammaParams { p: 6.25, q: 3.74, gamma: 15.44 };

fn history(repeat_purchases: u32, recency: f64, age: f64) -> PurchaseHistory {
    PurchaseHistory { repeat_purchases, recency, age }
}

fn ln_beta(a: f64, b: f64) -> f64 {
    libm::lgamma(a) + libm::lgamma(b) - libm::lgamma(a + b)
}

/// P(alive | x, t_x, T) by Bayes' rule: the BG/NBD likelihood is the sum of the likelihood of
/// "still alive at T" and of "dropped out right after the last purchase at t_x", so P(alive)
/// is the first term over the sum. Each term is written out with Beta functions from log-gamma,
/// not with the simplified ratio a/(b+x−1) the implementation uses.
fn probability_alive_by_bayes(params: &BgNbdParams, h: &PurchaseHistory) -> f64 {
    let BgNbdParams { r, alpha, a, b } = *params;
    let x = f64::from(h.repeat_purchases);
    let common = libm::lgamma(r + x) - libm::lgamma(r) + r * alpha.ln() - ln_beta(a, b);
    let alive = (common + ln_beta(a, b + x) - (r + x) * (alpha + h.age).ln()).exp();
    if h.repeat_purchases == 0 {
        return 1.0;
    }
    let dropped =
        (common + ln_beta(a + 1.0, b + x - 1.0) - (r + x) * (alpha + h.recency).ln()).exp();
    alive / (alive + dropped)
}

/// Integrates w(p) · p^(k−1) (1−p)^(m−1) over p in (0, 1) by tanh-sinh (double-exponential)
/// quadrature, which converges fast despite the endpoint singularities of the Beta kernel.
///
/// With p = 1/(1 + e^(−2s)) and s = (π/2) sinh(t), dp/dt = π cosh(t) p (1−p), and the
/// trapezoid rule in t with step 1/128 over |t| <= 4.5 reaches about 1e-14 here. The logs of p
/// and 1 − p are computed separately, so neither endpoint loses digits.
fn integrate_beta_kernel(w: &dyn Fn(f64) -> f64, k: f64, m: f64) -> f64 {
    let step = 1.0 / 128.0;
    let mut total = 0.0;
    for index in -576..=576 {
        let t = f64::from(index) * step;
        let s = std::f64::consts::FRAC_PI_2 * t.sinh();
        let ln_p = -(-2.0 * s).exp().ln_1p();
        let ln_one_minus_p = -(2.0 * s).exp().ln_1p();
        let kernel_times_jacobian = (k * ln_p + m * ln_one_minus_p).exp();
        total += w(ln_p.exp()) * kernel_times_jacobian * std::f64::consts::PI * t.cosh();
    }
    total * step
}

/// E[Y(t) | x, t_x, T] by numerical integration, without the hypergeometric function.
///
/// Given alive at T with rate λ and dropout probability p, the purchases in (T, T+t] number
/// (1 − e^(−λpt))/p in expectation (a geometric number of purchases, cut off at t). The
/// posterior of an alive customer is λ ~ Gamma(r+x, α+T) and p ~ Beta(a, b+x), and averaging
/// over λ gives 1 − ((α+T)/(α+T+pt))^(r+x). So
/// E = P(alive) · ∫₀¹ [1 − ((α+T)/(α+T+pt))^(r+x)] / p · Beta(p; a, b+x) dp.
fn expected_purchases_by_integral(params: &BgNbdParams, h: &PurchaseHistory, horizon: f64) -> f64 {
    let BgNbdParams { r, alpha, a, b } = *params;
    let x = f64::from(h.repeat_purchases);
    let purchases_if_alive = |p: f64| {
        let ln_survival = -(r + x) * (p * horizon / (alpha + h.age)).ln_1p();
        -ln_survival.exp_m1() / p
    };
    let integral = integrate_beta_kernel(&purchases_if_alive, a, b + x);
    probability_alive_by_bayes(params, h) * integral / ln_beta(a, b + x).exp()
}

fn sample_histories() -> Vec<PurchaseHistory> {
    vec![
        history(0, 0.0, 38.86),
        history(2, 30.43, 38.86),
        history(1, 1.71, 38.86),
        history(7, 29.86, 31.0),
        history(14, 36.0, 37.43),
        history(0, 0.0, 0.5),
    ]
}

#[test]
fn probability_alive_matches_hand_calculation() {
    // Customer 1 of the sample (x = 2, t_x = 30.43, T = 38.86) with the published parameters:
    // odds of dropout = a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)
    //                 = 0.793/3.426 · (43.274/34.844)^2.243 = 0.23147 · 1.62579 = 0.37631,
    // so P(alive) = 1/(1 + 0.37631) = 0.72658, worked out step by step outside this code.
    let customer = history(2, 30.43, 38.86);

    let probability = PUBLISHED_BGNBD.probability_alive(&customer);

    assert!((probability - 0.72658).abs() < 5e-5, "{probability}");
}

#[test]
fn probability_alive_matches_bayes_rule() {
    for customer in sample_histories() {
        let expected = probability_alive_by_bayes(&PUBLISHED_BGNBD, &customer);
        let actual = PUBLISHED_BGNBD.probability_alive(&customer);
        assert!((actual - expected).abs() < 1e-12, "{customer:?}: {actual} vs {expected}");
    }
}

#[test]
fn expected_purchases_matches_numerical_integral() {
    for customer in sample_histories() {
        for horizon in [1.0, 13.0, 39.0, 52.0, 260.0] {
            let expected = expected_purchases_by_integral(&PUBLISHED_BGNBD, &customer, horizon);
            let actual = PUBLISHED_BGNBD.expected_purchases(horizon, &customer).unwrap();
            assert_relative(&format!("E[Y({horizon})] for {customer:?}"), actual, expected, 1e-8);
        }
    }
}

#[test]
fn expected_purchases_matches_integral_for_a_above_one() {
    // a > 1 and a + b < 1 + r take other branches of the series (terms of one sign, A < 0).
    let steady = BgNbdParams { r: 1.7, alpha: 12.0, a: 3.2, b: 0.4 };
    for customer in sample_histories() {
        let expected = expected_purchases_by_integral(&steady, &customer, 52.0);
        let actual = steady.expected_purchases(52.0, &customer).unwrap();
        assert_relative(&format!("E[Y(52)] for {customer:?}"), actual, expected, 1e-8);
    }
}

#[test]
fn expected_purchases_matches_textbook_formula() {
    // The published formula, evaluated with the plain 2F1 series where it converges quickly:
    // (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive).
    let BgNbdParams { r, alpha, a, b } = PUBLISHED_BGNBD;
    let customer = history(2, 30.43, 38.86);
    let (x, t) = (2.0, 39.0);
    let z = t / (alpha + customer.age + t);
    let hypergeometric = hyp2f1(r + x, b + x, a + b + x - 1.0, z).unwrap();
    let bracket =
        1.0 - ((alpha + customer.age) / (alpha + customer.age + t)).powf(r + x) * hypergeometric;
    let expected = (a + b + x - 1.0) / (a - 1.0)
        * bracket
        * probability_alive_by_bayes(&PUBLISHED_BGNBD, &customer);

    let actual = PUBLISHED_BGNBD.expected_purchases(t, &customer).unwrap();

    assert_relative("E[Y(39)] for customer 1", actual, expected, 1e-10);
}

#[test]
fn expected_spend_matches_posterior_integral() {
    // E[Z | x, z̄] = E[p/ν | x, z̄]. The posterior of ν is ∝ ν^(q+px−1) e^(−(γ+x z̄)ν) (Gamma prior
    // times the Gamma likelihood of the x purchase values); both moments are integrated here
    // over ν = e^s on a fine grid, with no closed form.
    let GammaGammaParams { p, q, gamma } = PUBLISHED_GAMMA_GAMMA;
    for (x, mean_spend) in [(1_u32, 11.77), (2, 22.35), (12, 48.5)] {
        let shape = q + p * f64::from(x);
        let rate = gamma + f64::from(x) * mean_spend;
        // ln of ν^(shape−1) e^(−rate ν) · dν/ds, with ν = e^s.
        let log_density = |s: f64| shape * s - rate * s.exp();
        let peak = (shape / rate).ln();
        let (mut weight, mut moment) = (0.0, 0.0);
        for step in -40_000..=40_000 {
            let s = peak + f64::from(step) * 5e-4;
            let density = (log_density(s) - log_density(peak)).exp();
            weight += density;
            moment += density * p / s.exp();
        }
        let expected = moment / weight;

        let actual = PUBLISHED_GAMMA_GAMMA.expected_spend(x, mean_spend).unwrap();

        assert_relative(&format!("E[Z] for x = {x}"), actual, expected, 1e-9);
    }
}

#[test]
fn lifetime_value_matches_sum_of_integrated_periods() {
    // CLV = E[Z] · Σ_k (E[Y(kL)] − E[Y((k−1)L)]) / (1+d)^k, with each E[Y] from the integral.
    let customer = history(2, 30.43, 38.86);
    let schedule =
        DiscountSchedule { periods: 12, period_length: 52.0 / 12.0, discount_rate: 0.01 };
    let spend = PUBLISHED_GAMMA_GAMMA.expected_spend(2, 22.35).unwrap();
    let mut expected = 0.0;
    for k in 1..=12 {
        let end = expected_purchases_by_integral(
            &PUBLISHED_BGNBD,
            &customer,
            f64::from(k) * schedule.period_length,
        );
        let start = expected_purchases_by_integral(
            &PUBLISHED_BGNBD,
            &customer,
            f64::from(k - 1) * schedule.period_length,
        );
        expected += spend * (end - start) / 1.01_f64.powi(k);
    }

    let actual = customer_lifetime_value(
        &PUBLISHED_BGNBD,
        &PUBLISHED_GAMMA_GAMMA,
        &customer,
        22.35,
        &schedule,
    )
    .unwrap();

    assert_relative("CLV of customer 1", actual, expected, 1e-7);
}

// ---------------------------------------------------------------------------------------------
// Edge cases

#[test]
fn customer_without_repeats_gets_population_forecasts() {
    let customer = history(0, 0.0, 38.86);
    let schedule = DiscountSchedule { periods: 4, period_length: 13.0, discount_rate: 0.0 };

    let alive = PUBLISHED_BGNBD.probability_alive(&customer);
    let purchases = PUBLISHED_BGNBD.expected_purchases(52.0, &customer).unwrap();
    let spend = PUBLISHED_GAMMA_GAMMA.expected_spend(0, 0.0).unwrap();
    let value = customer_lifetime_value(
        &PUBLISHED_BGNBD,
        &PUBLISHED_GAMMA_GAMMA,
        &customer,
        0.0,
        &schedule,
    )
    .unwrap();

    assert_eq!(alive, 1.0);
    assert!(purchases > 0.0, "{purchases}");
    assert!(purchases < 1.0, "{purchases}");
    assert_relative("population mean spend", spend, 6.25 * 15.44 / 2.74, 1e-12);
    assert_relative("CLV", value, purchases * spend, 1e-9);
}

fn single_purchase_log() -> Vec<CustomerSummary> {
    let day = date("1997-01-05");
    let rows = [("a", day, Money::from_cents(1000)), ("b", day, Money::from_cents(2000))];
    summarise_customers(&transactions(rows.into_iter()), &cdnow_window()).unwrap()
}

#[test]
fn no_repeat_buyers_is_typed_error() {
    let summaries = single_purchase_log();

    let spend = fit_gamma_gamma(&summaries, &FitOptions::default());
    let purchases = fit_bgnbd(&summaries, &FitOptions::default());

    assert_eq!(spend, Err(ClvError::NoRepeatBuyers { model: "Gamma-Gamma" }));
    assert_eq!(purchases, Err(ClvError::NoRepeatBuyers { model: "BG/NBD" }));
}

#[test]
fn empty_log_is_typed_error() {
    let summaries = summarise_customers(&Transactions::default(), &cdnow_window()).unwrap();

    assert!(summaries.is_empty());
    assert_eq!(fit_bgnbd(&summaries, &FitOptions::default()), Err(ClvError::NoCustomers));
}

#[test]
fn iteration_limit_is_not_converged_error() {
    let (_, summaries) = sample_summaries();
    let options = FitOptions { max_iterations: 10 };

    let purchases = fit_bgnbd(&summaries, &options);
    let spend = fit_gamma_gamma(&summaries, &options);

    assert!(
        matches!(purchases, Err(ClvError::NotConverged { model: "BG/NBD", .. })),
        "{purchases:?}"
    );
    assert!(matches!(spend, Err(ClvError::NotConverged { model: "Gamma-Gamma", .. })), "{spend:?}");
}

#[test]
fn identical_spends_do_not_give_nan() {
    // Every repeat purchase costs $10, so the spend has no variance: the likelihood keeps rising
    // as p and q grow, and the fit must report that as an error or give finite values.
    let mut rows = Vec::new();
    for customer in 0..40 {
        let id = format!("c{customer}");
        for purchase in 0..(1 + customer % 5) {
            let day = date("1997-01-06") + chrono::Days::new(21 * purchase);
            rows.push((id.clone(), day, Money::from_cents(1000)));
        }
    }
    let log = transactions(rows.iter().map(|(id, day, amount)| (id.as_str(), *day, *amount)));
    let summaries = summarise_customers(&log, &cdnow_window()).unwrap();

    let result = fit_gamma_gamma(&summaries, &FitOptions::default());

    eprintln!("Gamma-Gamma on identical spends: {result:?}");
    match result {
        Err(ClvError::ParameterDiverged { .. }) | Err(ClvError::NotConverged { .. }) => {}
        Ok(fit) => {
            let GammaGammaParams { p, q, gamma } = fit.params;
            assert!(p.is_finite(), "{fit:?}");
            assert!(q.is_finite(), "{fit:?}");
            assert!(gamma.is_finite(), "{fit:?}");
        }
        Err(other) => panic!("unexpected error: {other}"),
    }
}

#[test]
fn error_messages_name_the_next_step() {
    let message = ClvError::NoRepeatBuyers { model: "Gamma-Gamma" }.to_string();

    assert!(message.contains("Gamma-Gamma"), "{message}");
    assert!(message.contains("longer calibration period"), "{message}");
}

// ---------------------------------------------------------------------------------------------
// The dashboard report

#[test]
fn report_on_sample_checks_holdout_and_lists_risks() {
    let log = cdnow_sample();
    let settings = headlights_core::metrics::clv::ClvSettings {
        unit: TimeUnit::Weeks,
        calibration_end: date("1997-09-30"),
        horizon_months: 12,
        annual_discount_rate: 0.1,
    };
    let report = headlights_core::metrics::clv::clv_report(&log, &settings).expect("the sample fits");

    assert_eq!(report.check_customers, 2_357);
    assert_relative("check r", report.check_purchases.r, PUBLISHED_BGNBD.r, 0.01);
    let direct_total: u64 = report.holdout.iter().map(|row| (row.actual_mean * row.customers as f64).round() as u64).sum();
    assert_eq!(direct_total, report.holdout_actual_total);
    assert_eq!(report.holdout.iter().map(|row| row.customers).sum::<usize>(), 2_357);
    // The model's aggregate holdout forecast on this sample is within a few percent of the
    // actual count (Fader, Hardie & Lee 2005 show the same tracking plot).
    let ratio = report.holdout_expected_total / report.holdout_actual_total as f64;
    assert!((0.85..1.15).contains(&ratio), "expected/actual = {ratio}");

    assert_eq!(report.histogram.iter().map(|bin| bin.customers).sum::<usize>(), report.customers);
    assert!(report.mean_lifetime_value > 0.0);
    assert!(report.at_risk.windows(2).all(|pair| pair[0].past_spend >= pair[1].past_spend));
    assert!(report.at_risk.iter().all(|customer| customer.probability_alive < 0.5));
}
