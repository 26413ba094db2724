//! Offline support: registers the service worker that caches the built site (`sw.js`).

use leptos::prelude::window;
use wasm_bindgen_futures::JsFuture;

/// Registers `./sw.js`, relative to the page so the site works under any subpath.
///
/// Browsers allow service workers only on HTTPS and on localhost; elsewhere, and when the user
/// has turned them off, the site still works but needs the network on each visit. A failure is
/// logged once, because the page itself is unaffected.
pub fn register_service_worker() {
    let container = window().navigator().service_worker();
    let promise = container.register("./sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(error) = JsFuture::from(promise).await {
            gloo::console::warn!("offline mode is unavailable: the service worker was not registered", error);
        }
    });
}
