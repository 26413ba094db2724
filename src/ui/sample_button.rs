//! "Try the sample data": a generated company's exports, loaded exactly like dropped files.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::load::{load_file, Origin};
use super::state::AppState;

/// The seed of the built-in sample, so every visitor sees the same company.
const SAMPLE_SEED: u64 = 7;

#[component]
pub fn SampleButton() -> impl IntoView {
    let state = expect_context::<AppState>();
    // A signal because the button's label and the status line follow it.
    let generating = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);

    let on_click = move |_| {
        generating.set(true);
        message.set(None);
        spawn_local(async move {
            match state.engine.get_value().sample(SAMPLE_SEED).await {
                Ok(files) => {
                    for export in files {
                        match text_file(&export.name, &export.text) {
                            Ok(file) => load_file(state, file, Origin::User),
                            Err(error) => message.set(Some(error)),
                        }
                    }
                }
                Err(error) => message.set(Some(format!("The sample could not be made: {error}."))),
            }
            generating.set(false);
        });
    };

    view! {
        <div class="sample">
            <button type="button" data-sample="" on:click=on_click disabled=move || generating.get()>
                {move || if generating.get() { "Making the sample company…" } else { "Try the sample data" }}
            </button>
            <span class="sample-hint">"A made-up SaaS company's billing, product, survey and support exports, generated in this tab."</span>
            {move || message.get().map(|text| view! { <p class="file-error" role="alert">{text}</p> })}
        </div>
    }
}

fn text_file(name: &str, text: &str) -> Result<web_sys::File, String> {
    let parts = js_sys::Array::of1(&text.into());
    web_sys::File::new_with_str_sequence(&parts, name).map_err(|_| format!("The sample file {name} could not be made."))
}
