//! The background worker: keeps the loaded files and computes the dashboard off the main thread.
//!
//! Trunk builds this binary as a web worker (`data-type="worker"` in index.html) and writes
//! `worker_loader.js` next to the page, which the page starts with `new Worker(...)`. Each
//! message is an array: the request as JSON text, then, for a load, the browser `File`.

use std::cell::RefCell;

use headlights::worker_protocol::{encode, handle, load, oversize_reply, LoadStage, WorkerReply, WorkerRequest};
use headlights_core::session::Session;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

/// Bytes copied from the file per step, so that reading reports progress and never needs a
/// second copy of the file in JavaScript memory.
const READ_CHUNK_BYTES: f64 = 8.0 * 1024.0 * 1024.0;

/// Least time between two progress messages, in milliseconds.
const PROGRESS_INTERVAL_MS: f64 = 100.0;

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::new());
}

fn main() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();

    let reply_scope = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let message = js_sys::Array::from(&event.data());
        let request_json = message.get(0).as_string().unwrap_or_default();
        let file = message.get(1).dyn_into::<Blob>().ok();
        respond(&reply_scope, &request_json, file);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();

    post(&scope, &WorkerReply::Ready);

    // Runs the engine once on generated files while the user is still choosing one, so that
    // the first real file runs in optimised code. A request that arrives meanwhile waits in the
    // message queue, at most the warm-up's length.
    headlights_core::warm_up::warm_up();
}

fn respond(scope: &DedicatedWorkerGlobalScope, request_json: &str, file: Option<Blob>) {
    let request = match serde_json::from_str::<WorkerRequest>(request_json) {
        Ok(request) => request,
        Err(error) => return post(scope, &WorkerReply::Invalid(error.to_string())),
    };

    let reply = match (request, file) {
        (WorkerRequest::Load { request, file: id, name, reading }, Some(blob)) => {
            if let Some(rejected) = oversize_reply(request, &name, blob.size()) {
                return post(scope, &rejected);
            }
            let mut progress = Throttled::new(scope);
            match read_blob(&blob, &mut |done, total| progress.post(WorkerReply::Progress { file: id, stage: LoadStage::Reading, done, total })) {
                Ok(bytes) => SESSION.with_borrow_mut(|session| load(session, request, id, &name, &bytes, &reading, &mut |message| progress.post(message))),
                Err(message) => WorkerReply::Loaded { request, result: Err(format!("{name}: the browser could not read the file ({message}). Check that it is not open in another program, then drop it again.")) },
            }
        }
        (request, _) => match SESSION.with_borrow_mut(|session| handle(session, request)) {
            Some(reply) => reply,
            None => return,
        },
    };
    post(scope, &reply);
}

/// Copies the blob's bytes into memory in chunks, calling `progress(done, total)` after each.
fn read_blob(blob: &Blob, progress: &mut dyn FnMut(u64, u64)) -> Result<Vec<u8>, String> {
    let reader = FileReaderSync::new().map_err(describe)?;
    let total = blob.size();
    let mut bytes = vec![0u8; total as usize];
    let mut start = 0.0;
    while start < total {
        let end = (start + READ_CHUNK_BYTES).min(total);
        let chunk = blob.slice_with_f64_and_f64(start, end).map_err(describe)?;
        let buffer = reader.read_as_array_buffer(&chunk).map_err(describe)?;
        js_sys::Uint8Array::new(&buffer).copy_to(&mut bytes[start as usize..end as usize]);
        start = end;
        progress(start as u64, total as u64);
    }
    Ok(bytes)
}

fn describe(error: JsValue) -> String {
    error.as_string().or_else(|| js_sys::Error::from(error).message().as_string()).unwrap_or_else(|| "unknown error".to_string())
}

fn post(scope: &DedicatedWorkerGlobalScope, reply: &WorkerReply) {
    if let Err(error) = scope.post_message(&JsValue::from_str(&encode(reply))) {
        web_sys::console::error_2(&"the worker could not post a message".into(), &error);
    }
}

/// Posts progress messages, at most one per [`PROGRESS_INTERVAL_MS`] within a stage, so that a
/// fast read does not flood the page; the first and last message of each stage always go.
struct Throttled<'a> {
    scope: &'a DedicatedWorkerGlobalScope,
    last_sent_ms: f64,
    last_stage: Option<LoadStage>,
}

impl<'a> Throttled<'a> {
    fn new(scope: &'a DedicatedWorkerGlobalScope) -> Self {
        Throttled { scope, last_sent_ms: f64::NEG_INFINITY, last_stage: None }
    }

    fn post(&mut self, message: WorkerReply) {
        let WorkerReply::Progress { stage, done, total, .. } = &message else {
            return post(self.scope, &message);
        };
        let now = js_sys::Date::now();
        let new_stage = self.last_stage != Some(*stage);
        if new_stage || done == total || now - self.last_sent_ms >= PROGRESS_INTERVAL_MS {
            self.last_sent_ms = now;
            self.last_stage = Some(*stage);
            post(self.scope, &message);
        }
    }
}
