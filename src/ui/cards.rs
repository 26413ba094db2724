//! KPI cards: value, period, denominator, interval, or why the value is missing.

use headlights_core::format;
use headlights_core::metrics::{Bucket, Card};
use leptos::prelude::*;

use super::state::AppState;

/// The cards of one bucket, in the dashboard's order.
#[component]
pub fn CardGrid(bucket: Bucket) -> impl IntoView {
    let state = expect_context::<AppState>();
    let cards = move || {
        state
            .dashboard
            .get()
            .map(|dashboard| dashboard.cards.into_iter().filter(|card| card.bucket == bucket).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    view! {
        <div class="cards">
            {move || cards().into_iter().map(|card| view! { <KpiCard card=card /> }).collect_view()}
        </div>
    }
}

#[component]
fn KpiCard(card: Card) -> impl IntoView {
    let label = card.label;
    let definition = card.definition;
    match card.reading {
        Ok(reading) => {
            let n = format!("n = {} {}", format::thousands(reading.n), reading.n_label);
            let interval = reading
                .interval
                .map(|(low, high)| format!("95% interval {} – {}", format::percent(low), format::percent(high)));
            view! {
                <article class="card" data-kpi=card.id data-period=reading.period data-value=reading.raw title=definition>
                    <h3 class="card-label">{label}</h3>
                    <p class="card-value">{reading.display}</p>
                    <p class="card-period">{reading.period_label}</p>
                    <p class="card-n">
                        {n}
                        {reading.small_sample.then(|| view! { <span class="small-sample" title="Fewer than 30: treat with caution">" small sample"</span> })}
                    </p>
                    {interval.map(|text| view! { <p class="card-interval">{text}</p> })}
                    <Definition text=definition />
                </article>
            }
            .into_any()
        }
        Err(reason) => view! {
            <article class="card card-unavailable" data-kpi=card.id data-unavailable=reason.to_string() title=definition>
                <h3 class="card-label">{label}</h3>
                <p class="card-reason">{reason.to_string()}</p>
                <Definition text=definition />
            </article>
        }
        .into_any(),
    }
}

/// The formula behind a card, one click away.
#[component]
fn Definition(text: &'static str) -> impl IntoView {
    view! {
        <details class="card-definition">
            <summary>"Definition"</summary>
            <p>{text}</p>
        </details>
    }
}
