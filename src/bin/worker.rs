//! The background worker: keeps the loaded files and computes the dashboard off the main thread.
//!
//! Trunk builds this binary as a web worker (`data-type="worker"` in index.html) and writes
//! `worker_loader.js` next to the page, which the page starts with `new Worker(...)`. Each
//! message is an array: the request as JSON text, then, for a load, the browser `File`.
//!
//! The worker starts a second copy of itself, the part worker (`headlights::worker_parts`),
//! and reads a large text file in two parts, one on each, when the file allows it. While such
//! a load waits for the part worker, later requests from the page wait in a queue, so that
//! requests are still handled one at a time and in order.

use std::cell::RefCell;
use std::collections::VecDeque;

use headlights::worker_parts::{describe, post_part_request, read_part_reply, read_range, run_part_worker, PartReply, PartRequest, PART_WORKER_NAME};
use headlights::worker_protocol::{encode, handle, load, oversize_reply, LoadStage, RequestId, WorkerReply, WorkerRequest};
use headlights_core::ingest::part::{
    decide_parts, finish_parts, middle, part_layout, read_first_part, second_part_start, FirstPart, FirstReading, TypedPart, PART_MIN_BYTES,
    PART_WINDOW_BYTES,
};
use headlights_core::ingest::{FileSummary, Phase, ReadOptions};
use headlights_core::session::{FileId, Reading, Session};
use wasm_bindgen::prelude::*;
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent, Worker, WorkerOptions};

/// Least time between two progress messages, in milliseconds.
const PROGRESS_INTERVAL_MS: f64 = 100.0;

/// Milliseconds between ending a part worker after a load and starting its successor.
const PART_WORKER_RESTART_MS: i32 = 2000;

/// Bytes at the start of a file read first, to decide whether it can be read in parts; the
/// whole first part confirms the decision.
const HEAD_BYTES: usize = 256 * 1024;

/// A request to read a file, with the file.
struct LoadRequest {
    request: RequestId,
    file: FileId,
    name: String,
    blob: Blob,
    reading: Reading,
}

/// A file load that is being read in two parts.
struct PartLoad {
    load: LoadRequest,
    step: PartStep,
}

/// The step of a [`PartLoad`]: the reply it waits for from the part worker.
enum PartStep {
    /// The second part's profiles, to decide with the first part's.
    Profiles(FirstPart),
    /// The second part's typed rows, to append to the first part's.
    Rows(FirstReading),
}

/// The part worker, and whether it has reported that it is ready.
struct PartWorker {
    worker: Worker,
    ready: bool,
}

/// How far the engine's warm-up has got, for [`WorkerReply::Warm`].
#[derive(Clone, Copy, Default)]
struct Warmth {
    /// This worker has run its warm-up.
    own: bool,
    /// `WorkerReply::Warm` has been posted.
    posted: bool,
}

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::new());
    static PART_WORKER: RefCell<Option<PartWorker>> = const { RefCell::new(None) };
    static PART_LOAD: RefCell<Option<PartLoad>> = const { RefCell::new(None) };
    static WARMTH: RefCell<Warmth> = RefCell::new(Warmth::default());
    /// Requests from the page that arrived while a [`PartLoad`] was under way.
    static WAITING: RefCell<VecDeque<(String, Option<Blob>)>> = const { RefCell::new(VecDeque::new()) };
}

fn main() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    if scope.name() == PART_WORKER_NAME {
        return run_part_worker(scope);
    }

    let reply_scope = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let message = js_sys::Array::from(&event.data());
        let request_json = message.get(0).as_string().unwrap_or_default();
        let file = message.get(1).dyn_into::<Blob>().ok();
        if PART_LOAD.with_borrow(Option::is_some) {
            WAITING.with_borrow_mut(|waiting| waiting.push_back((request_json, file)));
            return;
        }
        respond(&reply_scope, &request_json, file);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();

    post(&scope, &WorkerReply::Ready);
    start_part_worker(&scope);

    // Runs the engine once on generated files while the user is still choosing one, so that
    // the first real file runs in optimised code. A request that arrives meanwhile waits in the
    // message queue, at most the warm-up's length.
    headlights_core::warm_up::warm_up();
    WARMTH.with_borrow_mut(|warmth| warmth.own = true);
    post_warm_when_ready(&scope);
}

/// Posts [`WorkerReply::Warm`] once this worker has warmed up and the part worker is ready
/// (or gone).
fn post_warm_when_ready(scope: &DedicatedWorkerGlobalScope) {
    let part_settled = PART_WORKER.with_borrow(|part| part.as_ref().is_none_or(|part| part.ready));
    let post_now = WARMTH.with_borrow_mut(|warmth| {
        let post_now = warmth.own && part_settled && !warmth.posted;
        warmth.posted |= post_now;
        post_now
    });
    if post_now {
        post(scope, &WorkerReply::Warm);
    }
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
            let load = LoadRequest { request, file: id, name, blob, reading };
            match start_part_load(scope, load) {
                Ok(()) => return,
                Err(load) => return post_loaded(scope, &read_whole(scope, &load)),
            }
        }
        (request, _) => match SESSION.with_borrow_mut(|session| handle(session, request)) {
            Some(reply) => reply,
            None => return,
        },
    };
    post(scope, &reply);
}

/// Reads a file whole in this worker and keeps it in the session.
fn read_whole(scope: &DedicatedWorkerGlobalScope, load: &LoadRequest) -> WorkerReply {
    let LoadRequest { request, file, name, blob, reading } = load;
    let mut progress = Throttled::new(scope);
    match read_range(blob, 0.0, blob.size(), &mut |done, total| progress.post(WorkerReply::Progress { file: *file, stage: LoadStage::Reading, done, total })) {
        Ok(bytes) => SESSION.with_borrow_mut(|session| load_bytes(session, *request, *file, name, &bytes, reading, &mut progress)),
        Err(message) => WorkerReply::Loaded {
            request: *request,
            result: Err(format!("{name}: the browser could not read the file ({message}). Check that it is not open in another program, then drop it again.")),
        },
    }
}

fn load_bytes(session: &mut Session, request: RequestId, file: FileId, name: &str, bytes: &[u8], reading: &Reading, progress: &mut Throttled) -> WorkerReply {
    load(session, request, file, name, bytes, reading, &mut |message| progress.post(message))
}

/// Returns the reading options of a load and the user's mapping, if any.
fn options_of(reading: &Reading) -> (&ReadOptions, Option<&headlights_core::ingest::Mapping>) {
    match reading {
        Reading::Detect(options) => (options, None),
        Reading::Mapped(mapping) => (&mapping.options, Some(mapping)),
    }
}

/// Starts reading a file in two parts: sends the file to the part worker, which copies the
/// bytes from the middle on, then reads the first part here. Gives the load back when the file
/// is to be read whole.
fn start_part_load(scope: &DedicatedWorkerGlobalScope, load: LoadRequest) -> Result<(), LoadRequest> {
    let size = load.blob.size();
    let Some(worker) = ready_part_worker() else { return Err(load) };
    if size < PART_MIN_BYTES as f64 {
        return Err(load);
    }

    // The start of the file rules out most files, such as quoted CSV, before the part worker
    // copies anything. The layout is read from the start of the first part.
    let (options, _) = options_of(&load.reading);
    let middle = middle(size as usize);
    let Ok(head) = read_range(&load.blob, 0.0, HEAD_BYTES.min(middle) as f64, &mut |_, _| {}) else { return Err(load) };
    let Some(layout) = part_layout(&head, options) else { return Err(load) };

    // The part worker copies its part while this worker reads its own.
    let id = load.request;
    let sent = post_part_request(&worker, &PartRequest::Read { load: id, middle: middle as f64 }, Some(&load.blob))
        .and_then(|()| post_part_request(&worker, &PartRequest::Split { load: id, layout: layout.clone() }, None));
    if sent.is_err() {
        forget_part(&worker, id);
        return Err(load);
    }

    // One read covers the first part and the bytes after the middle in which it ends.
    let mut progress = Throttled::new(scope);
    let file = load.file;
    let read_end = (middle + PART_WINDOW_BYTES).min(size as usize);
    // The part worker copies the rest meanwhile, so the progress of this read is shown as the file's.
    let whole_file_share = |done: u64| done * size as u64 / read_end as u64;
    let bytes = read_range(&load.blob, 0.0, read_end as f64, &mut |done, _| progress.post(WorkerReply::Progress { file, stage: LoadStage::Reading, done: whole_file_share(done), total: size as u64 }));
    let first = bytes
        .inspect_err(|error| web_sys::console::warn_1(&format!("{}: reading the first part failed ({error}); reading the file whole", load.name).into()))
        .ok()
        .and_then(|bytes| {
            let start = second_part_start(size as usize, &bytes[middle..])?;
            let first_bytes = &bytes[..start];
            let splitting = |done: usize, total: usize| WorkerReply::Progress { file, stage: LoadStage::Parsing(Phase::Splitting), done: done as u64, total: total as u64 };
            read_first_part(first_bytes, &layout, options, &mut |done, total| progress.post(splitting(done, total)))
        });
    let Some(first) = first else {
        forget_part(&worker, id);
        return Err(load);
    };
    PART_LOAD.with_borrow_mut(|pending| *pending = Some(PartLoad { load, step: PartStep::Profiles(first) }));
    Ok(())
}

/// Takes the next step of the pending load when the part worker replies.
fn on_part_reply(scope: &DedicatedWorkerGlobalScope, reply: PartReply, rows: Vec<u8>) {
    if let PartReply::Ready = reply {
        PART_WORKER.with_borrow_mut(|part| part.iter_mut().for_each(|part| part.ready = true));
        return post_warm_when_ready(scope);
    }
    let Some(PartLoad { load, step }) = PART_LOAD.with_borrow_mut(Option::take) else { return };
    let replied_load = match &reply {
        PartReply::Found { load: id, .. } | PartReply::Typed { load: id } => *id,
        PartReply::Ready => return,
    };
    if replied_load != load.request {
        PART_LOAD.with_borrow_mut(|pending| *pending = Some(PartLoad { load, step }));
        return;
    }
    match (reply, step) {
        (PartReply::Found { found: Some(found), .. }, PartStep::Profiles(first)) => {
            let (options, mapping) = options_of(&load.reading);
            let Some(decision) = decide_parts(&load.name, &first, &found, options, mapping) else { return finish_whole(scope, load) };
            let Some(worker) = ready_part_worker() else { return finish_whole(scope, load) };
            if post_part_request(&worker, &PartRequest::Type { load: load.request, plan: decision.typing_plan() }, None).is_err() {
                return finish_whole(scope, load);
            }
            let rows = (first.table.row_count() + first.table.problems.len() + found.rows) as u64;
            post(scope, &WorkerReply::Progress { file: load.file, stage: LoadStage::Parsing(Phase::Typing), done: 0, total: rows });
            let reading = FirstReading::new(&load.name, load.blob.size() as usize, first, decision, options, found.rows);
            PART_LOAD.with_borrow_mut(|pending| *pending = Some(PartLoad { load, step: PartStep::Rows(reading) }));
        }
        (PartReply::Typed { .. }, PartStep::Rows(reading)) => match TypedPart::from_bytes(&rows) {
            Some(later) => {
                web_sys::console::info_1(&format!("{}: read in two parts", load.name).into());
                replace_part_worker(scope);
                let keep = |loaded| FileSummary { read_in_parts: true, ..SESSION.with_borrow_mut(|session| session.keep(load.file, loaded)) };
                let result = finish_parts(reading, later).map(keep).map_err(|error| error.to_string());
                post_loaded(scope, &WorkerReply::Loaded { request: load.request, result });
                handle_waiting(scope);
            }
            None => finish_whole(scope, load),
        },
        _ => finish_whole(scope, load),
    }
}

/// Gives up reading a load in parts: reads the file whole, replies, then handles the waiting
/// requests.
fn finish_whole(scope: &DedicatedWorkerGlobalScope, load: LoadRequest) {
    if let Some(worker) = PART_WORKER.with_borrow(|part| part.as_ref().map(|part| part.worker.clone())) {
        forget_part(&worker, load.request);
    }
    web_sys::console::info_1(&format!("{}: read whole after all", load.name).into());
    let reply = read_whole(scope, &load);
    post_loaded(scope, &reply);
    handle_waiting(scope);
}

/// Handles the requests that waited for a part load, until one starts another part load.
fn handle_waiting(scope: &DedicatedWorkerGlobalScope) {
    while PART_LOAD.with_borrow(Option::is_none) {
        let Some((request_json, file)) = WAITING.with_borrow_mut(VecDeque::pop_front) else { return };
        respond(scope, &request_json, file);
    }
}

fn forget_part(worker: &Worker, load: RequestId) {
    // A part worker that cannot take the message is dropped below when it fails.
    let _ = post_part_request(worker, &PartRequest::Forget { load }, None);
}

fn ready_part_worker() -> Option<Worker> {
    PART_WORKER.with_borrow(|part| part.as_ref().filter(|part| part.ready).map(|part| part.worker.clone()))
}

/// Ends the part worker, whose WebAssembly memory cannot shrink and still contains the part it
/// read, and starts a new one after [`PART_WORKER_RESTART_MS`], once the page has drawn the
/// file's dashboard. A large file dropped before the new one is ready is read whole.
fn replace_part_worker(scope: &DedicatedWorkerGlobalScope) {
    if let Some(part) = PART_WORKER.with_borrow_mut(Option::take) {
        part.worker.terminate();
    }
    let start_scope = scope.clone();
    let start = Closure::once_into_js(move || start_part_worker(&start_scope));
    if scope.set_timeout_with_callback_and_timeout_and_arguments_0(start.unchecked_ref(), PART_WORKER_RESTART_MS).is_err() {
        start_part_worker(scope);
    }
}

/// Starts the part worker. Without it (a browser that cannot start a worker from a worker, or
/// a worker that fails), every file is read whole here.
fn start_part_worker(scope: &DedicatedWorkerGlobalScope) {
    let options = WorkerOptions::new();
    options.set_name(PART_WORKER_NAME);
    let Ok(worker) = Worker::new_with_options(&scope.location().href(), &options) else { return };

    let reply_scope = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        if let Some((reply, rows)) = read_part_reply(&event) {
            on_part_reply(&reply_scope, reply, rows);
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();

    let error_scope = scope.clone();
    let on_error = Closure::<dyn Fn(JsValue)>::new(move |error: JsValue| {
        web_sys::console::warn_2(&"the part worker failed; files are read whole".into(), &describe(error).into());
        PART_WORKER.with_borrow_mut(|part| *part = None);
        post_warm_when_ready(&error_scope);
        if let Some(pending) = PART_LOAD.with_borrow_mut(Option::take) {
            finish_whole(&error_scope, pending.load);
        }
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();

    PART_WORKER.with_borrow_mut(|part| *part = Some(PartWorker { worker, ready: false }));
}

/// Posts the reply to a load. After a file is read, builds the dashboard that the page will
/// request next, in a task of its own, so that requests already waiting (another file dropped
/// with this one) go first.
fn post_loaded(scope: &DedicatedWorkerGlobalScope, reply: &WorkerReply) {
    post(scope, reply);
    if !matches!(reply, WorkerReply::Loaded { result: Ok(_), .. }) {
        return;
    }

    let prepare = Closure::once_into_js(|| {
        if PART_LOAD.with_borrow(Option::is_none) {
            SESSION.with_borrow_mut(Session::prepare_dashboard);
        }
    });
    // If the task cannot be scheduled, the page's request builds the dashboard.
    let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(prepare.unchecked_ref(), 0);
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
