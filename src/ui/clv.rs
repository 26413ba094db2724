//! Customer lifetime value for transaction logs: BG/NBD and Gamma-Gamma, fitted in a worker.

use std::sync::Arc;

use chrono::NaiveDate;
use headlights_core::charts::clv_distribution::draw_clv_distribution;
use headlights_core::charts::clv_holdout::draw_clv_holdout;
use headlights_core::format;
use headlights_core::metrics::clv::{AtRiskCustomer, ClvReport, ClvSettings, TimeUnit};
use headlights_core::metrics::period::Month;
use leptos::html::Canvas;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::chart_canvas::redraw_on_change;
use super::charts::ChartFrame;
use super::download::download_text;
use super::state::{AppState, ClvState};

pub const CLV_HOLDOUT: &str = "clv_holdout";
pub const CLV_DISTRIBUTION: &str = "clv_distribution";

/// At-risk customers listed on the page; the CSV has all of them.
const AT_RISK_SHOWN: usize = 25;

/// Picks a default calibration end: the end of the month in the middle of the log, so that
/// about half of the data checks the model.
fn default_calibration_end(first: NaiveDate, last: NaiveDate) -> NaiveDate {
    let middle = first + (last - first) / 2;
    Month::of(middle).last_day()
}

fn unit_name(unit: TimeUnit) -> &'static str {
    match unit {
        TimeUnit::Days => "days",
        TimeUnit::Weeks => "weeks",
        TimeUnit::Months => "months",
    }
}

#[component]
pub fn ClvSection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let span = Memo::new(move |_| state.dashboard.get().and_then(|dashboard| dashboard.revenue_by_month).and_then(|months| {
        Some((months.first()?.month.first_day(), months.last()?.month.last_day()))
    }));

    // Signals because the form fields and the fit both read them.
    let unit = RwSignal::new(TimeUnit::Weeks);
    let calibration_end = RwSignal::new(None::<NaiveDate>);
    let horizon_months = RwSignal::new(12u32);
    let discount_percent = RwSignal::new(10.0f64);

    let chosen_end = move || {
        calibration_end.get().or_else(|| span.get().map(|(first, last)| default_calibration_end(first, last)))
    };

    let fit = move |_| {
        if !state.has_transactions() {
            return;
        }
        // Spend per purchase is only comparable within one currency; the worker keeps one.
        let currency = state.options.with_untracked(|options| options.currency.clone());
        let Some(calibration_end) = chosen_end() else { return };
        let settings = ClvSettings {
            unit: unit.get_untracked(),
            calibration_end,
            horizon_months: horizon_months.get_untracked(),
            annual_discount_rate: discount_percent.get_untracked() / 100.0,
        };
        state.clv.set(ClvState::Fitting);
        let files_version = state.files_version.get_untracked();
        spawn_local(async move {
            let started = js_sys::Date::now();
            let outcome = match state.engine.get_value().clv(settings, currency).await {
                Ok(Ok(report)) => ClvState::Done(Arc::new(report)),
                Ok(Err(message)) => ClvState::Failed(message),
                Err(error) => ClvState::Failed(error.to_string()),
            };
            gloo::console::log!(format!("CLV fit and report: {:.0} ms", js_sys::Date::now() - started));
            // A file dropped while fitting makes the result stale; it is then dropped.
            if state.files_version.get_untracked() == files_version {
                state.clv.set(outcome);
            }
        });
    };

    view! {
        <section class="bucket" aria-labelledby="clv-title" data-section="clv">
            <h2 id="clv-title">"Customer lifetime value"</h2>
            <p class="section-intro">
                "For purchases without subscriptions: the BG/NBD model (Fader, Hardie & Lee, 2005) forecasts how often each customer buys and whether they are still active, and the Gamma-Gamma model (Fader & Hardie, 2013) how much they spend. The model is checked on a holdout period, then refitted on all purchases."
            </p>
            <form class="clv-controls" autocomplete="off" on:submit=move |event| { event.prevent_default(); fit(()); }>
                <label>"Time unit "
                    <select data-clv-unit="" on:change=move |event| unit.set(match event_target_value(&event).as_str() {
                        "days" => TimeUnit::Days,
                        "months" => TimeUnit::Months,
                        _ => TimeUnit::Weeks,
                    })>
                        <option value="days">"days"</option>
                        <option value="weeks" selected>"weeks"</option>
                        <option value="months">"months"</option>
                    </select>
                </label>
                <label>"Calibration ends "
                    <input type="date" data-clv-calibration-end=""
                        min=move || span.get().map(|(first, _)| first.to_string())
                        max=move || span.get().map(|(_, last)| last.pred_opt().unwrap_or(last).to_string())
                        prop:value=move || chosen_end().map(|date| date.to_string()).unwrap_or_default()
                        on:change=move |event| calibration_end.set(NaiveDate::parse_from_str(&event_target_value(&event), "%Y-%m-%d").ok()) />
                </label>
                <label>"Horizon (months) "
                    <input type="number" min="1" max="120" prop:value=move || horizon_months.get().to_string()
                        on:change=move |event| horizon_months.set(event_target_value(&event).parse().unwrap_or(12).clamp(1, 120)) />
                </label>
                <label>"Discount rate per year (%) "
                    <input type="number" min="0" max="100" step="0.5" prop:value=move || discount_percent.get().to_string()
                        on:change=move |event| discount_percent.set(event_target_value(&event).parse().unwrap_or(10.0f64).clamp(0.0, 100.0)) />
                </label>
                <button type="submit" data-clv-fit="" disabled=move || matches!(state.clv.get(), ClvState::Fitting)>"Fit the model"</button>
            </form>
            {move || match state.clv.get() {
                ClvState::Idle => view! { <p class="clv-status">"The fit takes a few seconds on large logs and runs in the background."</p> }.into_any(),
                ClvState::Fitting => view! { <p class="clv-status" role="status">"Fitting the models in the background…"</p> }.into_any(),
                ClvState::Failed(message) => view! { <p class="clv-status file-error" data-clv-error="" role="alert">{message}</p> }.into_any(),
                ClvState::Done(report) => view! { <ClvResults report=report /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ClvResults(report: Arc<ClvReport>) -> impl IntoView {
    let unit = unit_name(report.settings.unit);
    let horizon = report.settings.horizon_months;
    let at_risk_count = report.at_risk.len();
    let (r, alpha, a, b) = (report.purchases.r, report.purchases.alpha, report.purchases.a, report.purchases.b);
    let (p, q, gamma) = (report.spend.p, report.spend.q, report.spend.gamma);
    let holdout_ratio = report.holdout_expected_total / report.holdout_actual_total.max(1) as f64;
    let period = format!("{}..{}", report.start, report.as_of);

    let holdout_canvas = NodeRef::<Canvas>::new();
    let distribution_canvas = NodeRef::<Canvas>::new();
    let for_holdout = report.clone();
    redraw_on_change(holdout_canvas, CLV_HOLDOUT, Signal::derive(|| 300.0), move |area, theme| draw_clv_holdout(area, &for_holdout, theme));
    let for_distribution = report.clone();
    redraw_on_change(distribution_canvas, CLV_DISTRIBUTION, Signal::derive(|| 300.0), move |area, theme| draw_clv_distribution(area, &for_distribution, theme));

    let export_report = report.clone();
    let export = move |_| {
        let csv = at_risk_csv(&export_report.at_risk, unit_name(export_report.settings.unit));
        if let Err(message) = download_text("at-risk-customers.csv", "text/csv", &csv) {
            gloo::console::error!(message);
        }
    };

    view! {
        <div class="cards">
            <article class="card" data-kpi="clv_mean" data-period=period.clone() data-value=report.mean_lifetime_value.to_string()>
                <h3 class="card-label">"Mean CLV"</h3>
                <p class="card-value">{format::money(report.mean_lifetime_value)}</p>
                <p class="card-period">{format!("next {horizon} months, {} discounted yearly", format::percent(report.settings.annual_discount_rate))}</p>
                <p class="card-n">{format!("n = {} customers", format::thousands(report.customers as u64))}</p>
            </article>
            <article class="card" data-kpi="probability_alive" data-period=period.clone() data-value=report.mean_probability_alive.to_string()>
                <h3 class="card-label">"Mean P(alive)"</h3>
                <p class="card-value">{format::percent(report.mean_probability_alive)}</p>
                <p class="card-period">{format!("as of {}", report.as_of)}</p>
                <p class="card-n">{format!("n = {} customers", format::thousands(report.customers as u64))}</p>
            </article>
            <article class="card" data-kpi="clv_at_risk" data-period=period.clone() data-value=at_risk_count.to_string()>
                <h3 class="card-label">"High-value customers at risk"</h3>
                <p class="card-value">{format::thousands(at_risk_count as u64)}</p>
                <p class="card-period">"top 20% by past spend, P(alive) below 50%"</p>
            </article>
            <article class="card clv-parameters" data-clv-parameters="">
                <h3 class="card-label">"Fitted parameters"</h3>
                <p class="card-n">{format!("BG/NBD: r = {r:.4}, α = {alpha:.4}, a = {a:.4}, b = {b:.4} ({unit})")}</p>
                <p class="card-n">{format!("Gamma-Gamma: p = {p:.3}, q = {q:.3}, γ = {gamma:.3}")}</p>
                <p class="card-n">{format!("log-likelihood {:.1}; {} repeat buyers", report.purchases_log_likelihood, format::thousands(report.repeat_buyers as u64))}</p>
            </article>
        </div>
        <div class="charts">
            <ChartFrame id=CLV_HOLDOUT title="Model check on the holdout period"
                subtitle=format!("Fitted on purchases to {}, compared with {} to {}: the model expects {} purchases, customers made {} ({}).",
                    report.settings.calibration_end, report.settings.calibration_end.succ_opt().unwrap_or(report.settings.calibration_end), report.as_of,
                    format::thousands(report.holdout_expected_total.round() as u64), format::thousands(report.holdout_actual_total), format::signed_percent(holdout_ratio - 1.0))
                canvas=holdout_canvas css_height=300.0 table=holdout_table(&report).into_any() />
            <ChartFrame id=CLV_DISTRIBUTION title="CLV distribution"
                subtitle=format!("Expected revenue per customer over the next {horizon} months; total {}.", format::money(report.total_lifetime_value))
                canvas=distribution_canvas css_height=300.0 table=distribution_table(&report).into_any() />
        </div>
        <div class="at-risk">
            <div class="at-risk-head">
                <h3>{format!("At-risk customers ({})", format::thousands(at_risk_count as u64))}</h3>
                <button type="button" data-export="at-risk" on:click=export disabled=at_risk_count == 0>"Download as CSV"</button>
            </div>
            <div class="table-scroll">{at_risk_table(&report.at_risk, unit)}</div>
            {(at_risk_count > AT_RISK_SHOWN).then(|| view! {
                <p class="section-intro">{format!("The {AT_RISK_SHOWN} with the highest past spend are shown; the CSV lists all {}.", format::thousands(at_risk_count as u64))}</p>
            })}
        </div>
    }
}

fn holdout_table(report: &ClvReport) -> impl IntoView + use<> {
    let rows = report.holdout.iter().map(|row| view! {
        <tr><th scope="row">{row.label.clone()}</th><td>{format::thousands(row.customers as u64)}</td><td>{format!("{:.3}", row.actual_mean)}</td><td>{format!("{:.3}", row.expected_mean)}</td></tr>
    }).collect_view();
    view! {
        <table data-chart-table=CLV_HOLDOUT>
            <thead><tr><th scope="col">"Repeat purchases"</th><th scope="col">"Customers"</th><th scope="col">"Actual mean"</th><th scope="col">"Forecast mean"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

fn distribution_table(report: &ClvReport) -> impl IntoView + use<> {
    let rows = report.histogram.iter().map(|bin| view! {
        <tr><th scope="row">{format!("{} – {}", format::money(bin.low), format::money(bin.high))}</th><td>{format::thousands(bin.customers as u64)}</td></tr>
    }).collect_view();
    view! {
        <table data-chart-table=CLV_DISTRIBUTION>
            <thead><tr><th scope="col">"CLV range"</th><th scope="col">"Customers"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

fn at_risk_table(customers: &[AtRiskCustomer], unit: &'static str) -> impl IntoView + use<> {
    let rows = customers.iter().take(AT_RISK_SHOWN).map(|customer| view! {
        <tr>
            <th scope="row">{customer.id.clone()}</th>
            <td>{format::money(customer.past_spend.to_major_f64())}</td>
            <td>{customer.repeat_purchases}</td>
            <td>{format!("{:.1}", customer.age - customer.recency)}</td>
            <td>{format::percent(customer.probability_alive)}</td>
            <td>{format::money(customer.lifetime_value)}</td>
        </tr>
    }).collect_view();
    view! {
        <table data-at-risk-table="">
            <thead><tr>
                <th scope="col">"Customer"</th><th scope="col">"Past spend"</th><th scope="col">"Repeat purchases"</th>
                <th scope="col">{format!("Since last purchase ({unit})")}</th><th scope="col">"P(alive)"</th><th scope="col">"CLV"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// Builds the at-risk CSV; text fields are neutralised against spreadsheet formulas.
fn at_risk_csv(customers: &[AtRiskCustomer], unit: &str) -> String {
    // The model's recency t_x (first to last purchase) and age T (first purchase to the end of
    // the log) are named for what they measure; their difference is the page's "since last
    // purchase".
    let mut csv = format!(
        "customer_id,past_spend,repeat_purchases,first_to_last_purchase_{unit},since_first_purchase_{unit},since_last_purchase_{unit},probability_alive,expected_purchases,clv\n"
    );
    for customer in customers {
        let fields = [
            format::csv_field(&customer.id),
            customer.past_spend.to_major_string(),
            customer.repeat_purchases.to_string(),
            format!("{:.4}", customer.recency),
            format!("{:.4}", customer.age),
            format!("{:.4}", customer.age - customer.recency),
            format!("{:.6}", customer.probability_alive),
            format!("{:.6}", customer.expected_purchases),
            format!("{:.2}", customer.lifetime_value),
        ];
        csv.push_str(&fields.join(","));
        csv.push('\n');
    }
    csv
}
