//! Component tests in headless Chromium (wasm-bindgen-test): the real `App` mounted in a page,
//! fed a file through a dropped `DataTransfer`, checked through its `data-*` attributes.

#![cfg(target_arch = "wasm32")]

use gloo::timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{DataTransfer, DragEvent, DragEventInit, File, HtmlCanvasElement, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

const LOG: &str = "customer,date,amount\na,2024-01-03,10.00\nb,2024-01-09,20.50\na,2024-02-04,15.25\n";

fn document() -> web_sys::Document {
    web_sys::window().expect("a window").document().expect("a document")
}

/// Mounts the app into a fresh element and returns it.
fn mount_app() -> HtmlElement {
    let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    leptos::mount::mount_to(host.clone(), headlights::App).forget();
    host
}

fn attribute(host: &HtmlElement, selector: &str, name: &str) -> Option<String> {
    host.query_selector(selector).ok().flatten()?.get_attribute(name)
}

async fn wait_for_state(host: &HtmlElement, wanted: &str) {
    for _ in 0..200 {
        if attribute(host, "[data-state]", "data-state").as_deref() == Some(wanted) {
            return;
        }
        TimeoutFuture::new(25).await;
    }
    panic!("data-state never became {wanted}; it is {:?}", attribute(host, "[data-state]", "data-state"));
}

fn drop_file(host: &HtmlElement, name: &str, text: &str) {
    let parts = js_sys::Array::of1(&js_sys::JsString::from(text));
    let file = File::new_with_str_sequence(&parts, name).unwrap();
    let transfer = DataTransfer::new().unwrap();
    transfer.items().add_with_file(&file).unwrap();

    let init = DragEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_data_transfer(Some(&transfer));
    let event = DragEvent::new_with_event_init_dict("drop", &init).unwrap();
    let zone = host.query_selector("[data-dropzone]").unwrap().expect("a drop zone");
    zone.dispatch_event(&event).unwrap();
}

fn painted_pixels(canvas: &HtmlCanvasElement) -> usize {
    let context: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").unwrap().unwrap().unchecked_into();
    let data = context
        .get_image_data(0.0, 0.0, canvas.width() as f64, canvas.height() as f64)
        .unwrap()
        .data();
    let background = [data[0], data[1], data[2], data[3]];
    data.chunks(4).filter(|pixel| *pixel != background).count()
}

#[wasm_bindgen_test]
async fn app_starts_empty_with_a_file_input() {
    let host = mount_app();
    wait_for_state(&host, "empty").await;
    assert_eq!(attribute(&host, "input[type=file]", "multiple"), Some(String::new()));
    assert!(host.query_selector("[data-kpi]").unwrap().is_none(), "no cards before data");
}

#[wasm_bindgen_test]
async fn dropped_log_fills_cards_and_charts() {
    let host = mount_app();
    drop_file(&host, "log.csv", LOG);
    wait_for_state(&host, "ready").await;

    assert_eq!(attribute(&host, "[data-kpi=revenue]", "data-value").as_deref(), Some("45.75"));
    assert_eq!(attribute(&host, "[data-kpi=active_customers]", "data-value").as_deref(), Some("2"));
    assert_eq!(attribute(&host, "[data-file='log.csv'] [data-kind]", "data-kind").as_deref(), Some("transactions"));
    let churn_reason = attribute(&host, "[data-kpi=churn_rate]", "data-unavailable").unwrap_or_default();
    assert!(churn_reason.contains("churn flag"), "churn card should say what is missing: {churn_reason}");

    for id in ["revenue_trend", "cohort_retention"] {
        let canvas: HtmlCanvasElement = host
            .query_selector(&format!("canvas[data-chart={id}]"))
            .unwrap()
            .unwrap_or_else(|| panic!("no canvas {id}"))
            .unchecked_into();
        assert!(painted_pixels(&canvas) > 1000, "chart {id} drew nothing");
        assert!(host.query_selector(&format!("[data-chart-table={id}]")).unwrap().is_some(), "no table for {id}");
    }
}

#[wasm_bindgen_test]
async fn unreadable_file_is_reported_and_kept_listed() {
    let host = mount_app();
    drop_file(&host, "notes.csv", "foo,bar\nx,y\n");
    wait_for_state(&host, "error").await;
    let message = host.query_selector("[data-file-error]").unwrap().expect("an error row").text_content().unwrap_or_default();
    assert!(message.starts_with("notes.csv:"), "{message}");

    drop_file(&host, "log.csv", LOG);
    wait_for_state(&host, "ready").await;
    assert!(host.query_selector("[data-file='notes.csv'] [data-file-error]").unwrap().is_some(), "the failed file stays listed");
}

#[wasm_bindgen_test]
async fn cards_have_definitions_and_controls_change_periods() {
    let host = mount_app();
    drop_file(&host, "log.csv", LOG);
    wait_for_state(&host, "ready").await;

    let cards = host.query_selector_all("[data-kpi]").unwrap();
    for index in 0..cards.length() {
        let card: web_sys::Element = cards.item(index).unwrap().unchecked_into();
        let id = card.get_attribute("data-kpi").unwrap_or_default();
        assert!(card.query_selector("details.card-definition").unwrap().is_some(), "card {id} has no definition panel");
    }

    let select: web_sys::HtmlSelectElement = host.query_selector("select[data-control=granularity]").unwrap().expect("a period selector").unchecked_into();
    assert_eq!(select.value(), "month");
    select.set_value("week");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    TimeoutFuture::new(50).await;
    wait_for_state(&host, "ready").await;
    let hash = web_sys::window().unwrap().location().hash().unwrap_or_default();
    assert_eq!(hash, "#g=week", "the view is not in the URL");

    // The tests share one page: later mounts must not start in the weekly view.
    let window = web_sys::window().unwrap();
    let path = window.location().pathname().unwrap_or_default();
    window.history().unwrap().replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path)).unwrap();
}

fn set_select(host: &HtmlElement, selector: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = host.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}")).unchecked_into();
    select.set_value(value);
    select.dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    }).unwrap()).unwrap();
}

fn select_value(host: &HtmlElement, selector: &str) -> String {
    let select: web_sys::HtmlSelectElement = host.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}")).unchecked_into();
    select.value()
}

#[wasm_bindgen_test]
async fn mapping_panel_shows_roles_and_missing_ones() {
    let host = mount_app();
    drop_file(&host, "log.csv", LOG);
    wait_for_state(&host, "ready").await;

    let panel = "[data-mapping='log.csv']";
    // The panel builds its body when it opens.
    assert!(host.query_selector(&format!("{panel} .mapping-body")).unwrap().is_none(), "a closed panel has no body");
    host.query_selector(&format!("{panel} > summary")).unwrap().expect("the panel's summary").unchecked_into::<HtmlElement>().click();
    for _ in 0..100 {
        if host.query_selector(&format!("{panel} .mapping-body")).unwrap().is_some() {
            break;
        }
        TimeoutFuture::new(10).await;
    }
    assert_eq!(select_value(&host, &format!("{panel} [data-mapping-role='0']")), "CustomerId");
    assert_eq!(select_value(&host, &format!("{panel} [data-mapping-role='1']")), "Date");
    assert_eq!(select_value(&host, &format!("{panel} [data-mapping-role='2']")), "Amount");
    assert_eq!(attribute(&host, &format!("{panel} [data-mapping-missing]"), "data-mapping-missing").as_deref(), Some(""));

    // Product events read a user id, a date and an event name: only the date carries over.
    set_select(&host, &format!("{panel} [data-mapping-kind]"), "3");
    TimeoutFuture::new(0).await;
    assert_eq!(select_value(&host, &format!("{panel} [data-mapping-role='0']")), "");
    assert_eq!(select_value(&host, &format!("{panel} [data-mapping-role='1']")), "Date");
    assert_eq!(attribute(&host, &format!("{panel} [data-mapping-missing]"), "data-mapping-missing").as_deref(), Some("user id,event name"));
    assert!(attribute(&host, &format!("{panel} [data-mapping-apply]"), "disabled").is_some(), "apply waits for the missing roles");
}
