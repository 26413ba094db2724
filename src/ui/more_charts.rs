//! The charts of the subscription, usage and experience data: MRR movements, NPS, feature
//! adoption, user adoption and active users. Each is a canvas, a hover tooltip and a table.

use headlights_core::charts::active_users::{draw_active_users, hit_test_active_users};
use headlights_core::charts::feature_adoption::{draw_feature_adoption, hit_test_feature_adoption};
use headlights_core::charts::mrr_movements::{draw_mrr_movements, hit_test_mrr_movements};
use headlights_core::charts::nps_distribution::{draw_nps_distribution, hit_test_nps_distribution};
use headlights_core::charts::user_adoption::{draw_user_adoption, hit_test_user_adoption};
use headlights_core::format;
use headlights_core::metrics::dashboard::{PeriodNps, UserAdoptionCurve};
use headlights_core::metrics::movements::PeriodMovements;
use headlights_core::metrics::usage::active_users::ActiveUsers;
use headlights_core::metrics::usage::adoption::FeatureAdoption;
use leptos::html::Canvas;
use leptos::prelude::*;

use super::chart_canvas::redraw_on_change;
use super::charts::{ChartFrame, HitQuery, ACTIVE_USERS, FEATURE_ADOPTION, MRR_MOVEMENTS, NPS_DISTRIBUTION, USER_ADOPTION};
use super::state::AppState;

fn money(amount: headlights_core::ingest::Money) -> String {
    format::money(amount.to_major_f64())
}

#[component]
pub fn MrrMovementsChart() -> impl IntoView {
    let state = expect_context::<AppState>();
    let periods = Memo::new(move |_| state.dashboard.get().and_then(|dashboard| dashboard.mrr_movements).unwrap_or_default());
    let canvas = NodeRef::<Canvas>::new();
    redraw_on_change(canvas, MRR_MOVEMENTS, Signal::derive(|| 340.0), move |area, theme| draw_mrr_movements(area, &periods.get(), theme));
    let hit_test = Callback::new(move |query: HitQuery| hit_test_mrr_movements(query.size, &query.theme(), &periods.get_untracked(), query.x, query.y));

    let table = move || {
        let rows = periods.get().into_iter().map(|period| movement_row(&period)).collect_view();
        view! {
            <table data-chart-table=MRR_MOVEMENTS>
                <thead><tr><th scope="col">"Period"</th><th scope="col">"MRR at start"</th><th scope="col">"New"</th><th scope="col">"Expansion"</th><th scope="col">"Reactivation"</th><th scope="col">"Contraction"</th><th scope="col">"Churn"</th><th scope="col">"MRR at end"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
    };
    let subtitle = Signal::derive(|| "Change of MRR per period, per customer: gains up, losses down, net change as the line.".to_string());
    view! { <ChartFrame id=MRR_MOVEMENTS wide=true title="MRR movements" subtitle=subtitle canvas=canvas css_height=340.0 hit_test=hit_test table=table.into_any() /> }
}

fn movement_row(period: &PeriodMovements) -> impl IntoView + use<> {
    view! {
        <tr>
            <th scope="row">{period.period.label()}</th>
            <td>{money(period.mrr_start)}</td><td>{money(period.new)}</td><td>{money(period.expansion)}</td><td>{money(period.reactivation)}</td>
            <td>{money(period.contraction)}</td><td>{money(period.churn)}</td><td>{money(period.mrr_end)}</td>
        </tr>
    }
}

#[component]
pub fn NpsChart() -> impl IntoView {
    let state = expect_context::<AppState>();
    let periods = Memo::new(move |_| state.dashboard.get().and_then(|dashboard| dashboard.nps_by_period).unwrap_or_default());
    let canvas = NodeRef::<Canvas>::new();
    redraw_on_change(canvas, NPS_DISTRIBUTION, Signal::derive(|| 320.0), move |area, theme| draw_nps_distribution(area, &periods.get(), theme));
    let hit_test = Callback::new(move |query: HitQuery| hit_test_nps_distribution(query.size, &query.theme(), &periods.get_untracked(), query.x, query.y));

    let table = move || {
        let rows = periods.get().into_iter().map(|period| nps_row(&period)).collect_view();
        view! {
            <table data-chart-table=NPS_DISTRIBUTION>
                <thead><tr><th scope="col">"Period"</th><th scope="col">"NPS"</th><th scope="col">"Margin of error"</th><th scope="col">"Promoters"</th><th scope="col">"Passives"</th><th scope="col">"Detractors"</th><th scope="col">"Responses"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
    };
    let subtitle = Signal::derive(|| "Share of detractors (0–6), passives (7–8) and promoters (9–10) per period, and the NPS.".to_string());
    view! { <ChartFrame id=NPS_DISTRIBUTION wide=true title="NPS over time" subtitle=subtitle canvas=canvas css_height=320.0 hit_test=hit_test table=table.into_any() /> }
}

fn nps_row(period: &PeriodNps) -> impl IntoView + use<> {
    let nps = &period.nps;
    view! {
        <tr>
            <th scope="row">{period.period.label()}</th>
            <td>{format!("{:.1}", nps.score)}</td><td>{format!("± {:.1}", nps.margin_of_error)}</td>
            <td>{nps.promoters}</td><td>{nps.passives}</td><td>{nps.detractors}</td><td>{nps.responses}</td>
        </tr>
    }
}

#[component]
pub fn FeatureAdoptionChart() -> impl IntoView {
    let state = expect_context::<AppState>();
    let features = Memo::new(move |_| state.dashboard.get().and_then(|dashboard| dashboard.feature_adoption).unwrap_or_default());
    let css_height = Signal::derive(move || 70.0 + 30.0 * features.get().len().clamp(1, 15) as f64);
    let canvas = NodeRef::<Canvas>::new();
    redraw_on_change(canvas, FEATURE_ADOPTION, css_height, move |area, theme| draw_feature_adoption(area, &features.get(), theme));
    let hit_test = Callback::new(move |query: HitQuery| hit_test_feature_adoption(query.size, &query.theme(), &features.get_untracked(), query.x, query.y));

    let table = move || {
        let rows = features.get().into_iter().map(|feature| feature_row(&feature)).collect_view();
        view! {
            <table data-chart-table=FEATURE_ADOPTION>
                <thead><tr><th scope="col">"Feature"</th><th scope="col">"Adoption"</th><th scope="col">"Users"</th><th scope="col">"Active users"</th><th scope="col">"Median days to first use"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
    };
    let subtitle = Signal::derive(|| "Users of each feature / active users in the latest complete period, with 95% intervals.".to_string());
    view! { <ChartFrame id=FEATURE_ADOPTION title="Feature adoption" subtitle=subtitle canvas=canvas css_height=css_height hit_test=hit_test table=table.into_any() /> }
}

fn feature_row(feature: &FeatureAdoption) -> impl IntoView + use<> {
    let median = feature.median_days_to_first_use.map(|days| format!("{days:.1}")).unwrap_or_else(|| "–".to_string());
    view! {
        <tr>
            <th scope="row">{feature.name.clone()}</th><td>{format::percent(feature.share.fraction())}</td>
            <td>{format::thousands(feature.share.numerator)}</td><td>{format::thousands(feature.share.denominator)}</td><td>{median}</td>
        </tr>
    }
}

#[component]
pub fn UserAdoptionChart() -> impl IntoView {
    let state = expect_context::<AppState>();
    let curve = Memo::new(move |_| state.dashboard.get().and_then(|dashboard| dashboard.user_adoption));
    let canvas = NodeRef::<Canvas>::new();
    redraw_on_change(canvas, USER_ADOPTION, Signal::derive(|| 300.0), move |area, theme| match curve.get() {
        Some(curve) => draw_user_adoption(area, &curve, theme),
        None => Ok(()),
    });
    let hit_test = Callback::new(move |query: HitQuery| {
        let curve = curve.get_untracked()?;
        hit_test_user_adoption(query.size, &query.theme(), &curve, query.x, query.y)
    });

    let table = move || curve.get().map(|curve| adoption_table(&curve));
    let subtitle = Signal::derive(move || {
        curve.get().map(|curve| format!("Users who have used \"{}\" / users known by then, cumulative.", curve.feature)).unwrap_or_default()
    });
    view! { <ChartFrame id=USER_ADOPTION title="User adoption" subtitle=subtitle canvas=canvas css_height=300.0 hit_test=hit_test table=table.into_any() /> }
}

fn adoption_table(curve: &UserAdoptionCurve) -> impl IntoView + use<> {
    let rows = curve
        .points
        .iter()
        .map(|point| {
            let share = point.share.map(|share| format::percent(share.fraction())).unwrap_or_else(|| "–".to_string());
            view! { <tr><th scope="row">{point.period.label()}</th><td>{share}</td></tr> }
        })
        .collect_view();
    view! {
        <table data-chart-table=USER_ADOPTION>
            <thead><tr><th scope="col">"Period end"</th><th scope="col">"Adopted"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
pub fn ActiveUsersChart() -> impl IntoView {
    let state = expect_context::<AppState>();
    let series = Memo::new(move |_| state.dashboard.get().and_then(|dashboard| dashboard.dau_series).unwrap_or_default());
    let canvas = NodeRef::<Canvas>::new();
    redraw_on_change(canvas, ACTIVE_USERS, Signal::derive(|| 300.0), move |area, theme| draw_active_users(area, &series.get(), theme));
    let hit_test = Callback::new(move |query: HitQuery| hit_test_active_users(query.size, &query.theme(), &series.get_untracked(), query.x, query.y));

    let table = move || {
        let rows = series.get().into_iter().map(|day| active_row(&day)).collect_view();
        view! {
            <table data-chart-table=ACTIVE_USERS>
                <thead><tr><th scope="col">"Day"</th><th scope="col">"Active users"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
    };
    let subtitle = Signal::derive(|| "Distinct users with at least one event each day, and the 7-day mean.".to_string());
    view! { <ChartFrame id=ACTIVE_USERS wide=true title="Daily active users" subtitle=subtitle canvas=canvas css_height=300.0 hit_test=hit_test table=table.into_any() /> }
}

fn active_row(day: &ActiveUsers) -> impl IntoView + use<> {
    view! { <tr><th scope="row">{day.period.label()}</th><td>{format::thousands(day.users)}</td></tr> }
}
