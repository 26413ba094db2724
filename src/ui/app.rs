//! The page: header, drop zone, file list and the dashboard sections.

use headlights_core::metrics::Bucket;
use leptos::prelude::*;

use super::cards::CardGrid;
use super::chart_canvas::Viewport;
use super::clv::ClvSection;
use super::engine::Engine;
use super::controls::Controls;
use super::charts::{CohortChart, RevenueTrendChart, SegmentChurnChart};
use super::file_list::FileList;
use super::more_charts::{ActiveUsersChart, FeatureAdoptionChart, MrrMovementsChart, NpsChart, UserAdoptionChart};
use super::sample_button::SampleButton;
use super::state::AppState;
use super::storage_panel::{restore_remembered_files, StoragePanel};
use super::upload::DropZone;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    provide_context(Viewport::track_window());
    restore_remembered_files(state);

    let page_state = Memo::new(move |_| state.page_state());
    let has_dashboard = Memo::new(move |_| state.dashboard.with(Option::is_some));
    let has_revenue = Memo::new(move |_| state.dashboard.with(|dashboard| dashboard.as_ref().is_some_and(|d| d.revenue_by_month.is_some())));
    let has_cohorts = Memo::new(move |_| state.dashboard.with(|dashboard| dashboard.as_ref().is_some_and(|d| d.cohorts.is_some())));
    let has_series = move |pick: fn(&headlights_core::metrics::Dashboard) -> bool| {
        Memo::new(move |_| state.dashboard.with(|dashboard| dashboard.as_ref().is_some_and(pick)))
    };
    let has_movements = has_series(|d| d.mrr_movements.is_some());
    let has_usage = has_series(|d| d.cards.iter().any(|card| card.bucket == Bucket::Usage));
    let has_experience = has_series(|d| d.cards.iter().any(|card| card.bucket == Bucket::Experience));
    let has_nps = has_series(|d| d.nps_by_period.is_some());
    let has_features = has_series(|d| d.feature_adoption.is_some());
    let has_user_adoption = has_series(|d| d.user_adoption.is_some());
    let has_active_users = has_series(|d| d.dau_series.is_some());
    let has_segments = Memo::new(move |_| state.dashboard.with(|dashboard| dashboard.as_ref().is_some_and(|d| d.segment_churn.is_some())));

    view! {
        <main class="page" data-state=move || page_state.get().as_str() data-engine=move || if state.engine.with_value(Engine::is_warm) { "warm" } else { "starting" } aria-busy=move || (page_state.get() == super::state::PageState::Loading).to_string()>
            <header class="page-header">
                <h1>"Headlights"</h1>
                <p class="tagline">"Customer-success KPIs from your exports. Everything is computed in this tab: your files are never uploaded."</p>
            </header>

            <section class="intake" aria-label="Files">
                <DropZone />
                <SampleButton />
                <StoragePanel />
                <FileList />
            </section>

            <Show when=move || has_dashboard.get() fallback=|| view! { <EmptyHint /> }>
                <Controls />
                <section class="bucket" aria-labelledby="retention-title">
                    <h2 id="retention-title">"Retention"</h2>
                    <CardGrid bucket=Bucket::Retention />
                    <div class="charts">
                        <Show when=move || has_segments.get()><SegmentChurnChart /></Show>
                        <Show when=move || has_cohorts.get()><CohortChart /></Show>
                        <Show when=move || has_movements.get()><MrrMovementsChart /></Show>
                    </div>
                </section>
                <Show when=move || has_usage.get()>
                <section class="bucket" aria-labelledby="usage-title">
                    <h2 id="usage-title">"Product usage"</h2>
                    <CardGrid bucket=Bucket::Usage />
                    <div class="charts">
                        <Show when=move || has_active_users.get()><ActiveUsersChart /></Show>
                        <Show when=move || has_features.get()><FeatureAdoptionChart /></Show>
                        <Show when=move || has_user_adoption.get()><UserAdoptionChart /></Show>
                    </div>
                </section>
                </Show>
                <Show when=move || has_experience.get()>
                <section class="bucket" aria-labelledby="experience-title">
                    <h2 id="experience-title">"Customer experience"</h2>
                    <CardGrid bucket=Bucket::Experience />
                    <div class="charts">
                        <Show when=move || has_nps.get()><NpsChart /></Show>
                    </div>
                </section>
                </Show>
                <section class="bucket" aria-labelledby="revenue-title">
                    <h2 id="revenue-title">"Revenue"</h2>
                    <CardGrid bucket=Bucket::Revenue />
                    <div class="charts">
                        <Show when=move || has_revenue.get()><RevenueTrendChart /></Show>
                    </div>
                </section>
                <Show when=move || has_revenue.get()><ClvSection /></Show>
            </Show>
        </main>
    }
}

#[component]
fn EmptyHint() -> impl IntoView {
    view! {
        <section class="empty-hint">
            <h2>"What to drop"</h2>
            <ul>
                <li><strong>"Billing"</strong>": Stripe, Chargebee or Recurly subscriptions give MRR, its movements, retention, churn, NRR and CLV; payments or any order log with a customer, a date and an amount give revenue, ARPU and purchase cohorts."</li>
                <li><strong>"Product analytics"</strong>": Mixpanel, Amplitude or PostHog exports, or any user, time and event table, give active users, stickiness and adoption."</li>
                <li><strong>"Surveys and support"</strong>": Delighted, Typeform, SurveyMonkey or Qualtrics responses give NPS, CSAT and CES; Zendesk or Freshdesk tickets give first contact resolution."</li>
                <li><strong>"CRM"</strong>": a customer list with a churn flag, or account attributes such as plan and region for breakdowns."</li>
            </ul>
        </section>
    }
}
