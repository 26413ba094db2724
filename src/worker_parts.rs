//! Reading one large file on two workers at once: the page's worker (`src/bin/worker.rs`)
//! reads the first part and starts a second worker, the part worker, which reads the rest.
//! The steps and why their result equals reading the file whole are in
//! `headlights_core::ingest::part`.
//!
//! The part worker is the same program as the page's worker, started under the name
//! [`PART_WORKER_NAME`]. It keeps one part at a time and handles each [`PartRequest`] in
//! order. Messages are arrays: the request or reply as JSON text, then the `File` for
//! [`PartRequest::Read`] or the encoded rows for [`PartReply::Typed`].

use std::cell::RefCell;

use headlights_core::ingest::part::{later_part, read_later_part, type_part, LaterFound, LaterPart, PartLayout, TypingPlan};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

use crate::worker_protocol::RequestId;

/// The name the part worker is started under, from which it takes its role.
pub const PART_WORKER_NAME: &str = "headlights-part";

/// Bytes copied from a file per step, so that reading reports progress and never needs a
/// second copy of the file in JavaScript memory.
const READ_CHUNK_BYTES: f64 = 8.0 * 1024.0 * 1024.0;

/// Ranges up to this size are copied in one step. Each step cost about 8 ms in Chromium
/// whatever its size (measured on 22 MB), and the temporary copy is at most this size.
const ONE_STEP_MAX_BYTES: f64 = 32.0 * 1024.0 * 1024.0;

/// A request from the page's worker to the part worker, for the load of request `load`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum PartRequest {
    /// Copy the `File` posted with this message from byte `middle` (see
    /// [`headlights_core::ingest::part::middle`]) to its end.
    Read { load: RequestId, middle: f64 },
    /// Split and profile the second part, which starts in the copied bytes, with `layout`.
    Split { load: RequestId, layout: PartLayout },
    /// Type the rows of the split part.
    Type { load: RequestId, plan: TypingPlan },
    /// Drop the part: the file is read whole instead.
    Forget { load: RequestId },
}

/// A reply from the part worker.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum PartReply {
    /// The part worker has started and warmed up, and takes requests.
    Ready,
    /// The part's profiles, or `None` when the part cannot be read with the layout.
    Found { load: RequestId, found: Option<LaterFound> },
    /// The part's typed rows follow as bytes; empty when the part was not split.
    Typed { load: RequestId },
}

/// The part the part worker is reading: the file's bytes from its middle until split, then the
/// part's table until typed.
#[derive(Default)]
struct CurrentPart {
    load: RequestId,
    /// The file's size in bytes.
    size: usize,
    bytes: Option<Vec<u8>>,
    split: Option<LaterPart>,
}

thread_local! {
    static CURRENT: RefCell<CurrentPart> = RefCell::new(CurrentPart::default());
}

/// Runs the part worker: handles [`PartRequest`]s until the page's worker ends it.
pub fn run_part_worker(scope: DedicatedWorkerGlobalScope) {
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let message = js_sys::Array::from(&event.data());
        let Some(request) = message.get(0).as_string().and_then(|json| serde_json::from_str::<PartRequest>(&json).ok()) else {
            return;
        };
        let file = message.get(1).dyn_into::<Blob>().ok();
        if let Some((reply, rows)) = handle_part_request(request, file) {
            post_part_reply(&reply_scope, &reply, rows.as_deref());
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();

    // Ready only once warm, so that the page's worker hands it parts at full speed.
    headlights_core::warm_up::warm_up();
    post_part_reply(&scope, &PartReply::Ready, None);
}

/// Carries out one request and returns its reply, with the bytes of typed rows.
fn handle_part_request(request: PartRequest, file: Option<Blob>) -> Option<(PartReply, Option<Vec<u8>>)> {
    CURRENT.with_borrow_mut(|current| match request {
        PartRequest::Read { load, middle } => {
            let size = file.as_ref().map_or(0, |file| file.size() as usize);
            let bytes = file.and_then(|file| {
                let read = read_range(&file, middle, file.size(), &mut |_, _| {});
                read.inspect_err(|error| web_sys::console::warn_1(&format!("the part worker could not read load {load} ({error})").into())).ok()
            });
            *current = CurrentPart { load, size, bytes, split: None };
            None
        }
        PartRequest::Split { load, layout } => {
            let bytes = current.bytes.take().filter(|_| current.load == load);
            current.split = bytes.and_then(|bytes| read_later_part(later_part(current.size, &bytes)?, &layout));
            let found = current.split.as_ref().map(|part| part.found.clone());
            Some((PartReply::Found { load, found }, None))
        }
        PartRequest::Type { load, plan } => {
            let split = current.split.take().filter(|_| current.load == load);
            let rows = split.map(|part| type_part(&part.table, &plan, 0).to_bytes()).unwrap_or_default();
            Some((PartReply::Typed { load }, Some(rows)))
        }
        PartRequest::Forget { .. } => {
            *current = CurrentPart::default();
            None
        }
    })
}

/// Posts a reply to the page's worker; `rows` go as a transferred byte array.
fn post_part_reply(scope: &DedicatedWorkerGlobalScope, reply: &PartReply, rows: Option<&[u8]>) {
    let message = js_sys::Array::of1(&JsValue::from_str(&serde_json::to_string(reply).unwrap_or_default()));
    let transfer = js_sys::Array::new();
    if let Some(rows) = rows {
        let array = js_sys::Uint8Array::from(rows);
        transfer.push(&array.buffer());
        message.push(&array);
    }
    if let Err(error) = scope.post_message_with_transfer(&message, &transfer) {
        web_sys::console::error_2(&"the part worker could not post a message".into(), &error);
    }
}

/// Sends a request to the part worker, with the file for [`PartRequest::Read`].
pub fn post_part_request(worker: &web_sys::Worker, request: &PartRequest, file: Option<&Blob>) -> Result<(), JsValue> {
    let message = js_sys::Array::of1(&JsValue::from_str(&serde_json::to_string(request).unwrap_or_default()));
    if let Some(file) = file {
        message.push(file);
    }
    worker.post_message(&message)
}

/// Reads a message from the part worker: the reply and, for typed rows, their bytes.
pub fn read_part_reply(event: &MessageEvent) -> Option<(PartReply, Vec<u8>)> {
    let message = js_sys::Array::from(&event.data());
    let reply = serde_json::from_str::<PartReply>(&message.get(0).as_string()?).ok()?;
    let rows = message.get(1).dyn_into::<js_sys::Uint8Array>().map(|array| array.to_vec()).unwrap_or_default();
    Some((reply, rows))
}

/// Copies bytes `start..end` of a blob into memory in chunks, calling `progress(done, total)`
/// after each, in bytes of that range.
pub fn read_range(blob: &Blob, start: f64, end: f64, progress: &mut dyn FnMut(u64, u64)) -> Result<Vec<u8>, String> {
    let reader = FileReaderSync::new().map_err(describe)?;
    let total = (end - start).max(0.0);
    let mut bytes = vec![0u8; total as usize];
    let step = if total <= ONE_STEP_MAX_BYTES { total } else { READ_CHUNK_BYTES };
    let mut done = 0.0;
    while done < total {
        let step_end = (done + step).min(total);
        let chunk = blob.slice_with_f64_and_f64(start + done, start + step_end).map_err(describe)?;
        let buffer = reader.read_as_array_buffer(&chunk).map_err(describe)?;
        js_sys::Uint8Array::new(&buffer).copy_to(&mut bytes[done as usize..step_end as usize]);
        done = step_end;
        progress(done as u64, total as u64);
    }
    Ok(bytes)
}

/// Turns a JavaScript error into its message.
pub fn describe(error: JsValue) -> String {
    error.as_string().or_else(|| js_sys::Error::from(error).message().as_string()).unwrap_or_else(|| "unknown error".to_string())
}
