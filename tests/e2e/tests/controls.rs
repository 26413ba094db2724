//! The view controls and the sample data: changing the period in the page must show the
//! engine's values for that view, and the URL fragment must reopen the same view.

use fantoccini::Locator;
use headlights_core::ingest::read_file;
use headlights_core::charts::revenue_trend::hit_test_revenue_trend_as_of;
use headlights_core::charts::{HoverText, Theme};
use headlights_core::metrics::dashboard::segment_filter::SegmentFilter;
use headlights_core::metrics::{build_dashboard, Dashboard, DashboardOptions};
use headlights_core::sample::{sample_company, SampleSize};
use headlights_core::view_fragment::decode_fragment;
use headlights_e2e::page::Kpi;
use headlights_e2e::Harness;

/// The seed behind the page's "Try the sample data" button.
const SAMPLE_SEED: u64 = 7;

/// Computes the sample company's dashboard natively for `options`.
fn engine_dashboard(options: &DashboardOptions) -> Dashboard {
    let files = sample_company(SAMPLE_SEED, SampleSize::small());
    let datasets: Vec<_> = files.iter().filter_map(|file| read_file(&file.name, &file.bytes).ok()).map(|loaded| loaded.dataset).collect();
    let references: Vec<_> = datasets.iter().collect();
    build_dashboard(&references, options)
}

/// Computes the sample company's cards natively for `options`: `(id, raw value, period)`.
fn engine_cards(options: &DashboardOptions) -> Vec<(String, String, String)> {
    engine_dashboard(options)
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
async fn date_range_typed_matches_engine() {
    let harness = Harness::start().await;
    harness.open().await;
    load_sample(&harness).await;

    // Chromium's date inputs take the digits of an en-US date, month first, as a user types them.
    for (selector, typed) in [("input[data-control=from]", "01012025"), ("input[data-control=to]", "10312026")] {
        let input = harness.client().find(Locator::Css(selector)).await.expect("a date input");
        input.send_keys(typed).await.expect("the date is typed");
        harness.wait_for_state("ready", &[], &["mrr"], headlights_e2e::page::LOAD_TIMEOUT).await;
    }

    let url = harness.client().current_url().await.expect("a URL");
    assert_eq!(url.fragment(), Some("from=2025-01-01&to=2026-10-31"), "the range is not in the URL: {url}");
    assert_cards_match(&harness.kpis().await, &engine_cards(&decode_fragment("from=2025-01-01&to=2026-10-31")), "typed date range");
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

/// Moves the pointer to `(x, y)` CSS pixels inside a chart's canvas and returns the tooltip's
/// title and lines, or `None` when no tooltip shows.
async fn hover_at(harness: &Harness, chart: &str, (x, y): (f64, f64)) -> Option<Vec<String>> {
    let script = "const canvas = document.querySelector(`canvas[data-chart=${arguments[0]}]`);
        canvas.scrollIntoView({block: 'center'});
        const box = canvas.getBoundingClientRect();
        canvas.dispatchEvent(new MouseEvent('mousemove', {bubbles: true, clientX: box.left + arguments[1], clientY: box.top + arguments[2]}));
        return true;";
    harness.client().execute(script, vec![serde_json::json!(chart), serde_json::json!(x), serde_json::json!(y)]).await.expect("the pointer moves");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let parts = harness
        .client()
        .execute(
            "const tip = document.querySelector(`[data-chart-tooltip=${arguments[0]}]`);
             return tip ? Array.from(tip.children, (child) => child.textContent) : null;",
            vec![serde_json::json!(chart)],
        )
        .await
        .expect("the tooltip is readable");
    parts.as_array().map(|items| items.iter().map(|item| item.as_str().unwrap_or_default().to_string()).collect())
}

#[tokio::test]
async fn revenue_tooltip_matches_engine() {
    let harness = Harness::start().await;
    harness.open().await;
    load_sample(&harness).await;

    let size = harness
        .client()
        .execute("const canvas = document.querySelector('canvas[data-chart=revenue_trend]'); return [canvas.width, canvas.height, window.devicePixelRatio];", vec![])
        .await
        .expect("the canvas is readable");
    let (width, height) = (size[0].as_u64().expect("a width") as u32, size[1].as_u64().expect("a height") as u32);
    assert_eq!(size[2].as_f64(), Some(1.0), "the test assumes a device pixel ratio of 1");

    let dashboard = engine_dashboard(&DashboardOptions::default());
    let months = dashboard.revenue_by_month.expect("the sample has revenue by month");
    let data_end = dashboard.revenue_as_of.expect("the sample has a last revenue day");
    let hit = |x: i32, y: i32| hit_test_revenue_trend_as_of((width, height), &Theme::light(1.0), &months, Some(&months), data_end, (x, y));

    // The first, a middle and the last month that the engine finds along a line across the plot.
    let y = (height as f64 * 0.6) as i32;
    let mut found: Vec<(i32, HoverText)> = Vec::new();
    for x in (0..width as i32).step_by(4) {
        if let Some(text) = hit(x, y) {
            if found.last().is_none_or(|(_, last)| last.title != text.title) {
                found.push((x + 2, text));
            }
        }
    }
    assert!(found.len() >= 12, "the engine finds only {} months along y = {y}", found.len());
    for (x, expected) in [&found[0], &found[found.len() / 2], &found[found.len() - 1]] {
        let shown = hover_at(&harness, "revenue_trend", (f64::from(*x), f64::from(y))).await.unwrap_or_else(|| panic!("no tooltip at x = {x} over {}", expected.title));
        let mut wanted = vec![expected.title.clone()];
        wanted.extend(expected.lines.iter().cloned());
        assert_eq!(shown, wanted, "the tooltip at x = {x}, y = {y} differs from the engine's hit test");
    }
}

/// Picks `value` in the `<select>` matching `selector`, as a user's choice does.
async fn choose(harness: &Harness, selector: &str, value: &str) {
    let select = harness.client().find(Locator::Css(selector)).await.unwrap_or_else(|error| panic!("no {selector}: {error}"));
    select.select_by_value(value).await.unwrap_or_else(|error| panic!("no option {value:?} in {selector}: {error}"));
}

fn plan_filter(value: &str) -> DashboardOptions {
    DashboardOptions { segment_filter: Some(SegmentFilter { column: "Plan".to_string(), value: value.to_string() }), ..DashboardOptions::default() }
}

#[tokio::test]
async fn segment_filter_matches_engine() {
    let harness = Harness::start().await;
    harness.open().await;
    load_sample(&harness).await;

    choose(&harness, "select[data-control=filter-column]", "Plan").await;
    harness.wait_for_state("ready", &[], &["mrr"], headlights_e2e::page::LOAD_TIMEOUT).await;
    choose(&harness, "select[data-control=filter-value]", "Growth").await;
    harness.wait_for_state("ready", &[], &["mrr"], headlights_e2e::page::LOAD_TIMEOUT).await;

    let page = harness.kpis().await;
    let engine = engine_cards(&plan_filter("Growth"));
    assert_cards_match(&page, &engine, "Plan = Growth");
    let whole = engine_cards(&DashboardOptions::default());
    let mrr = |cards: &[(String, String, String)]| cards.iter().find(|(id, _, _)| id == "mrr").map(|(_, value, _)| value.clone());
    assert_ne!(mrr(&engine), mrr(&whole), "the Growth segment's MRR equals the whole company's");
    for id in ["nps", "csat", "ces", "fcr"] {
        assert!(page.iter().any(|card| card.id == id && card.value.is_some()), "Plan = Growth: no value for {id}; cards: {page:?}");
    }

    let url = harness.client().current_url().await.expect("a URL");
    assert_eq!(url.fragment(), Some("filter=Plan&value=Growth"), "the filter is not in the URL: {url}");
    eprintln!("screenshot: {}", harness.save_full_page("filter-growth.png").await.display());
}

#[tokio::test]
async fn fragment_reopens_filter() {
    let harness = Harness::start().await;
    harness.client().goto(&format!("{}#filter=Plan&value=Growth", harness.server.url())).await.expect("the page opens");
    harness.wait_for_state("empty", &[], &[], headlights_e2e::page::OPEN_TIMEOUT).await;
    load_sample(&harness).await;

    assert_cards_match(&harness.kpis().await, &engine_cards(&plan_filter("Growth")), "Plan = Growth from the link");
    let chosen = harness
        .client()
        .execute("return [document.querySelector('select[data-control=filter-column]').value, document.querySelector('select[data-control=filter-value]').value]", vec![])
        .await
        .expect("the filter controls are readable");
    assert_eq!(chosen, serde_json::json!(["Plan", "Growth"]));
}

#[tokio::test]
async fn filter_without_accounts_says_so() {
    let harness = Harness::start().await;
    harness.client().goto(&format!("{}#filter=Plan&value=Platinum", harness.server.url())).await.expect("the page opens");
    harness.wait_for_state("empty", &[], &[], headlights_e2e::page::OPEN_TIMEOUT).await;
    harness.click("[data-sample]").await;
    harness.wait_for_state("ready", &["stripe_subscriptions.csv"], &[], headlights_e2e::page::LOAD_TIMEOUT).await;

    let note = harness
        .client()
        .execute("const note = document.querySelector('[data-filter-note]'); return note ? note.textContent : null;", vec![])
        .await
        .expect("the filter note is readable");
    let note = note.as_str().unwrap_or_else(|| panic!("no [data-filter-note] for a value no account has"));
    assert!(note.contains("No accounts match"), "the note does not say that no accounts match: {note:?}");
    let cards = harness.kpis().await;
    assert!(!cards.is_empty(), "no card is shown");
    for card in &cards {
        assert_eq!(card.value, None, "{} has a value although no account matches: {card:?}", card.id);
        assert!(card.text.contains("No accounts match"), "{} does not say that no accounts match: {:?}", card.id, card.text);
    }
    eprintln!("screenshot: {}", harness.save_full_page("filter-no-accounts.png").await.display());
}

/// A payments log in two currencies: US dollars in most rows.
const TWO_CURRENCIES: &str = "customer,date,amount,currency\na,2024-01-05,10.00,USD\nb,2024-01-06,20.00,EUR\nc,2024-01-07,5.50,USD\nd,2024-02-01,1.00,USD\ne,2024-02-03,4.25,EUR\n";

#[tokio::test]
async fn currency_choice_reports_euros() {
    let harness = Harness::start().await;
    harness.open().await;
    harness.drop_file("payments.csv", TWO_CURRENCIES.as_bytes()).await;
    harness.wait_for_state("ready", &["payments.csv"], &["revenue"], headlights_e2e::page::LOAD_TIMEOUT).await;
    let dollars = harness.kpis().await.into_iter().find(|card| card.id == "revenue").expect("a revenue card");
    assert_eq!(dollars.value.as_deref(), Some("16.50"), "the currency of the most rows: {}", dollars.text);

    choose(&harness, "select[data-control=currency]", "EUR").await;
    harness.wait_for_state("ready", &[], &["revenue"], headlights_e2e::page::LOAD_TIMEOUT).await;

    let euros = harness.kpis().await.into_iter().find(|card| card.id == "revenue").expect("a revenue card");
    assert_eq!(euros.value.as_deref(), Some("24.25"), "{}", euros.text);
    assert!(euros.text.contains("EUR"), "the card names the currency: {}", euros.text);
    let url = harness.client().current_url().await.expect("a URL");
    assert_eq!(url.fragment(), Some("currency=EUR"), "the currency is not in the URL: {url}");
}
