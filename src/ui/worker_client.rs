//! Runs one request in a fresh background worker and returns its reply.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker};

use crate::worker_protocol::{WorkerReply, WorkerRequest};

/// The loader Trunk writes for the worker binary, relative to the page so that the site works
/// under any subpath.
const WORKER_URL: &str = "./worker_loader.js";

/// Starts a worker, sends `request` once it is ready, and returns its reply; the worker is
/// ended afterwards. A fresh worker per request keeps memory from growing between fits, and
/// costs about one WebAssembly start.
pub async fn run_in_worker(request: &WorkerRequest) -> Result<WorkerReply, String> {
    let request_json = serde_json::to_string(request).map_err(|error| format!("the request could not be encoded: {error}"))?;
    let worker = Worker::new(WORKER_URL).map_err(|error| format!("the background worker could not start: {error:?}"))?;

    let handlers: Rc<RefCell<Vec<Closure<dyn FnMut(MessageEvent)>>>> = Rc::default();
    let reply = Promise::new(&mut |resolve, reject| {
        let sender = worker.clone();
        let request_json = request_json.clone();
        let reject_on_error = reject.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let text = event.data().as_string().unwrap_or_default();
            match serde_json::from_str::<WorkerReply>(&text) {
                Ok(WorkerReply::Ready) => {
                    if let Err(error) = sender.post_message(&JsValue::from_str(&request_json)) {
                        let _ = reject.call1(&JsValue::NULL, &error);
                    }
                }
                _ => {
                    let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(&text));
                }
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        handlers.borrow_mut().push(on_message);

        let on_error = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let _ = reject_on_error.call1(&JsValue::NULL, &event.into());
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        handlers.borrow_mut().push(on_error);
    });

    let outcome = JsFuture::from(reply).await;
    worker.terminate();
    drop(handlers);

    let text = outcome
        .map_err(|_| "the background worker stopped with an error; reload the page and try again".to_string())?
        .as_string()
        .unwrap_or_default();
    serde_json::from_str(&text).map_err(|error| format!("the worker's reply could not be read: {error}"))
}
