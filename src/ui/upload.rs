//! The drop zone and file picker.

use leptos::ev;
use leptos::prelude::*;
use web_sys::HtmlInputElement;

use super::load::load_file_list;
use super::state::AppState;

/// A drop zone that takes files by drag-and-drop and by a file picker, several at once.
///
/// Drops anywhere else on the page are caught too, so that a missed drop never makes the
/// browser navigate away from the dashboard and lose what is loaded.
#[component]
pub fn DropZone() -> impl IntoView {
    let state = expect_context::<AppState>();
    // A signal because only the zone's highlight depends on it.
    let dragging = RwSignal::new(false);

    let on_drop = move |event: ev::DragEvent| {
        event.prevent_default();
        dragging.set(false);
        if let Some(list) = event.data_transfer().and_then(|transfer| transfer.files()) {
            load_file_list(state, list);
        }
    };
    let on_picked = move |event: ev::Event| {
        let input: HtmlInputElement = event_target(&event);
        if let Some(list) = input.files() {
            load_file_list(state, list);
        }
        // Clears the input so that picking the same file again loads it again.
        input.set_value("");
    };

    let page_drag = window_event_listener(ev::dragover, |event| event.prevent_default());
    let page_drop = window_event_listener(ev::drop, move |event| {
        if event.default_prevented() {
            return;
        }
        event.prevent_default();
        if let Some(list) = event.data_transfer().and_then(|transfer| transfer.files()) {
            load_file_list(state, list);
        }
    });
    on_cleanup(move || {
        page_drag.remove();
        page_drop.remove();
    });

    view! {
        <label
            class="dropzone"
            class:dragging=move || dragging.get()
            data-dropzone=""
            on:dragenter=move |event: ev::DragEvent| {
                event.prevent_default();
                dragging.set(true);
            }
            on:dragover=move |event: ev::DragEvent| event.prevent_default()
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <input type="file" multiple class="visually-hidden" on:change=on_picked />
            <span class="dropzone-title">"Drop your exports here, or click to choose files"</span>
            <span class="dropzone-hint">
                "Billing, payment, subscription, product-event, survey, ticket and CRM exports: CSV or TSV with any separator, Excel workbooks (XLSX), JSON lines. Several at once."
            </span>
        </label>
    }
}
