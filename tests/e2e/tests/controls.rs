//! The view controls and the sample data: changing the period in the page must show the
//! engine's values for that view, and the URL fragment must reopen the same view.

use fantoccini::Locator;
use headlights_core::ingest::read_file;
use headlights_core::metrics::{build_dashboard, DashboardOptions};
use headlights_core::sample::{sample_company, SampleSize};
use headlights_core::view_fragment::decode_fragment;
use headlights_e2e::page::Kpi;
use headlights_e2e::Harness;

/// The seed behind the page's "Try the sample data" button.
const SAMPLE_SEED: u64 = 7;

/// Computes the sample company's cards natively for `options`: `(id, raw value, period)`.
fn engine_cards(options: &DashboardOptions) -> Vec<(String, String, String)> {
    let files = sample_company(SAMPLE_SEED, SampleSize::small());
    let datasets: Vec<_> = files.iter().filter_map(|file| read_file(&file.name, &file.bytes).ok()).map(|loaded| loaded.dataset).collect();
    let references: Vec<_> = datasets.iter().collect();
    build_dashboard(&references, options)
        .cards
        .into_iter()
        .filter_map(|card| card.reading.ok().map(|reading| (card.id.to_string(), reading.raw, reading.period)))
        .collect()
}

fn assert_cards_match(page: &[Kpi], engine: &[(String, String, String)], view: &str) {
    assert!(!engine.is_empty(), "the engine computed no card for {view}");
    for (id, value, period) in engine {
        let card = page.iter().find(|card| &card.id == id).unwrap_or_else(|| panic!("{view}: the page has no card {id}"));
        assert_eq!(card.value.as_deref(), Some(value.as_str()), "{view}: {id} on the page ({}) differs from the engine", card.text);
        assert_eq!(card.period.as_deref(), Some(period.as_str()), "{view}: {id} covers another period");
    }
}

async fn load_sample(harness: &Harness) {
    harness.click("[data-sample]").await;
    harness.wait_for_state("ready", &["stripe_subscriptions.csv"], &["mrr", "nps", "mau"], headlights_e2e::page::LOAD_TIMEOUT).await;
}

#[tokio::test]
async fn granularity_change_matches_engine() {
    let harness = Harness::start().await;
    harness.open().await;
    load_sample(&harness).await;
    assert_cards_match(&harness.kpis().await, &engine_cards(&DashboardOptions::default()), "default view");

    let select = harness.client().find(Locator::Css("select[data-control=granularity]")).await.expect("a period selector");
    select.select_by_value("week").await.expect("the week option");
    harness.wait_for_state("ready", &[], &["mrr"], headlights_e2e::page::LOAD_TIMEOUT).await;

    let weekly = decode_fragment("g=week");
    assert_cards_match(&harness.kpis().await, &engine_cards(&weekly), "weekly view");
    let url = harness.client().current_url().await.expect("a URL");
    assert_eq!(url.fragment(), Some("g=week"), "the view is not in the URL: {url}");
}

#[tokio::test]
async fn fragment_reopens_view() {
    let harness = Harness::start().await;
    let fragment = "g=quarter&churn=start-new&from=2025-01-01&to=2026-10-31";
    harness.client().goto(&format!("{}#{fragment}", harness.server.url())).await.expect("the page opens");
    harness.wait_for_state("empty", &[], &[], headlights_e2e::page::OPEN_TIMEOUT).await;
    load_sample(&harness).await;

    assert_cards_match(&harness.kpis().await, &engine_cards(&decode_fragment(fragment)), "view from the link");
    let selected = harness
        .client()
        .execute("return document.querySelector('select[data-control=granularity]').value", vec![])
        .await
        .expect("the selector is readable");
    assert_eq!(selected.as_str(), Some("quarter"));
}

/// Moves the pointer to the middle of a chart with a real `mousemove` and returns the tooltip.
async fn hover_middle(harness: &Harness, chart: &str) -> Option<String> {
    let script = "const canvas = document.querySelector(`canvas[data-chart=${arguments[0]}]`);
        const box = canvas.getBoundingClientRect();
        canvas.scrollIntoView({block: 'center'});
        const again = canvas.getBoundingClientRect();
        canvas.dispatchEvent(new MouseEvent('mousemove', {bubbles: true, clientX: again.left + again.width / 2, clientY: again.top + again.height * 0.6}));
        return box.width > 0;";
    harness.client().execute(script, vec![serde_json::json!(chart)]).await.expect("the pointer moves");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let text = harness
        .client()
        .execute("const tip = document.querySelector(`[data-chart-tooltip=${arguments[0]}]`); return tip ? tip.innerText : null;", vec![serde_json::json!(chart)])
        .await
        .expect("the tooltip is readable");
    text.as_str().map(str::to_string)
}

#[tokio::test]
async fn hover_shows_values_under_pointer() {
    let harness = Harness::start().await;
    harness.open().await;
    load_sample(&harness).await;

    for chart in ["revenue_trend", "mrr_movements", "nps_distribution", "active_users"] {
        let tooltip = hover_middle(&harness, chart).await.unwrap_or_else(|| panic!("no tooltip over {chart}"));
        assert!(tooltip.chars().any(|character| character.is_ascii_digit()), "{chart}: the tooltip shows no number: {tooltip:?}");
        assert!(tooltip.contains("20"), "{chart}: the tooltip names no period of 2024–2026: {tooltip:?}");
    }
}
