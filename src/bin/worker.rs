//! The background worker: answers requests from the page off the main thread.
//!
//! Trunk builds this binary as a web worker (`data-type="worker"` in index.html) and writes
//! `worker_loader.js` next to the page, which the page starts with `new Worker(...)`.

use headlights::worker_protocol::{encode, handle, WorkerReply};
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn main() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();

    let reply_scope = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(request) = event.data().as_string() else { return };
        let reply = handle(&request);
        if let Err(error) = reply_scope.post_message(&JsValue::from_str(&reply)) {
            web_sys::console::error_2(&"the worker could not post its reply".into(), &error);
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();

    if let Err(error) = scope.post_message(&JsValue::from_str(&encode(&WorkerReply::Ready))) {
        web_sys::console::error_2(&"the worker could not announce itself".into(), &error);
    }
}
