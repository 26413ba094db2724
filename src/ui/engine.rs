//! The page's handle on the background worker that reads files and computes the dashboard.
//!
//! One worker lives as long as the page and keeps the loaded files as typed datasets
//! (`headlights_core::session::Session`), so that the main thread never parses a file or runs
//! a KPI. Requests are numbered and answered in order. Cancelling a read ends the worker and
//! starts a new one, which reads the other loaded files again from their `File` handles.
//! Where no worker can start (the component tests, which serve no worker script), the same
//! session runs in the page instead.

use std::cell::RefCell;
use std::rc::Rc;

use futures_channel::oneshot;
use leptos::prelude::{Get, RwSignal, Set};
use headlights_core::ingest::FileSummary;
use headlights_core::metrics::clv::{ClvReport, ClvSettings};
use headlights_core::metrics::{Dashboard, DashboardOptions};
use headlights_core::session::{FileId, Reading, Session};
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker};

use crate::worker_protocol::{self, encode, LoadStage, RequestId, SampleExportFile, WorkerReply, WorkerRequest};

/// The loader Trunk writes for the worker binary, relative to the page so that the site works
/// under any subpath.
const WORKER_URL: &str = "./worker_loader.js";

/// The reason a request got no reply.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// The user cancelled the read of this file.
    #[error("cancelled")]
    Cancelled,
    /// The worker stopped while it handled this request, for example out of memory.
    #[error("the background worker stopped while it {0}; the other files are kept. Reload the page if the dashboard looks wrong")]
    Stopped(String),
    /// A bug: the worker sent a reply of the wrong type.
    #[error("unexpected reply from the background worker: {0}")]
    Unexpected(String),
}

/// Called with each progress message of a file being read.
pub type ProgressHandler = Rc<dyn Fn(FileId, LoadStage, u64, u64)>;

/// A cheap, cloneable handle; every clone talks to the same worker.
#[derive(Clone)]
pub struct Engine {
    inner: Rc<RefCell<Inner>>,
}

struct Inner {
    backend: Backend,
    next_request: RequestId,
    /// Requests without a reply yet, in the order they are to be handled.
    pending: Vec<Pending>,
    /// Files read successfully, to read again into a restarted worker.
    loaded: Vec<LoadedFile>,
    on_progress: Option<ProgressHandler>,
    /// True once the engine has warmed up (see [`WorkerReply::Warm`]); the page shows it as
    /// `data-engine="warm"`.
    warm: RwSignal<bool>,
}

enum Backend {
    Worker { worker: Worker, ready: bool, _handlers: Handlers },
    InPage(Rc<RefCell<Session>>),
}

type Handlers = (Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(web_sys::Event)>);

struct Pending {
    id: RequestId,
    request: WorkerRequest,
    file: Option<web_sys::File>,
    /// `None` for requests made by the engine itself (reloads after a restart).
    reply: Option<oneshot::Sender<Result<WorkerReply, EngineError>>>,
    sent: bool,
}

struct LoadedFile {
    id: FileId,
    name: String,
    file: web_sys::File,
    reading: Reading,
}

impl Engine {
    /// Starts the worker; requests made before it is ready wait for it.
    pub fn start() -> Engine {
        let engine = Engine {
            inner: Rc::new(RefCell::new(Inner {
                backend: Backend::InPage(Rc::default()),
                next_request: 1,
                pending: Vec::new(),
                loaded: Vec::new(),
                on_progress: None,
                warm: RwSignal::new(false),
            })),
        };
        engine.start_worker();
        engine
    }

    /// Returns true once the engine has run on generated files, so that a file read now runs
    /// at full speed; a reactive read.
    pub fn is_warm(&self) -> bool {
        let warm = self.inner.borrow().warm;
        warm.get()
    }

    pub fn set_progress_handler(&self, handler: ProgressHandler) {
        self.inner.borrow_mut().on_progress = Some(handler);
    }

    /// Reads `file` into the session as file `id`, as `reading` says. The outer error is the
    /// engine's, the inner one the user-facing reason the file could not be read; then the
    /// file's previous reading, if any, stays loaded.
    pub async fn load(&self, id: FileId, file: web_sys::File, reading: Reading) -> Result<Result<FileSummary, String>, EngineError> {
        let name = file.name();
        let request = self.next_request();
        let reply = self.send(WorkerRequest::Load { request, file: id, name: name.clone(), reading: reading.clone() }, Some(file.clone())).await?;
        let WorkerReply::Loaded { result, .. } = reply else { return Err(unexpected(&reply)) };
        if result.is_ok() {
            let mut inner = self.inner.borrow_mut();
            inner.loaded.retain(|known| known.id != id);
            inner.loaded.push(LoadedFile { id, name, file, reading });
        }
        Ok(result)
    }

    /// Forgets file `id`, and cancels its read when it is still being read.
    pub fn remove(&self, id: FileId) {
        let reading = self.inner.borrow().pending.iter().any(|pending| pending.loads(id));
        if reading {
            self.cancel(id);
        }
        self.inner.borrow_mut().loaded.retain(|known| known.id != id);
        let _ = self.send_without_reply(WorkerRequest::Remove { file: id });
    }

    pub async fn dashboard(&self, options: DashboardOptions) -> Result<Option<Dashboard>, EngineError> {
        let request = self.next_request();
        match self.send(WorkerRequest::Dashboard { request, options }, None).await? {
            WorkerReply::Dashboard { dashboard, .. } => Ok(dashboard),
            other => Err(unexpected(&other)),
        }
    }

    pub async fn clv(&self, settings: ClvSettings, currency: Option<String>) -> Result<Result<ClvReport, String>, EngineError> {
        let request = self.next_request();
        match self.send(WorkerRequest::Clv { request, settings, currency }, None).await? {
            WorkerReply::Clv { result, .. } => Ok(result),
            other => Err(unexpected(&other)),
        }
    }

    pub async fn sample(&self, seed: u64) -> Result<Vec<SampleExportFile>, EngineError> {
        let request = self.next_request();
        match self.send(WorkerRequest::Sample { request, seed }, None).await? {
            WorkerReply::Sample { files, .. } => Ok(files),
            other => Err(unexpected(&other)),
        }
    }

    /// Stops reading file `id`: its request ends with [`EngineError::Cancelled`], the worker is
    /// replaced, the other loaded files are read again and the other requests sent again.
    pub fn cancel(&self, id: FileId) {
        let cancelled: Vec<_> = {
            let mut inner = self.inner.borrow_mut();
            let (cancelled, kept) = std::mem::take(&mut inner.pending).into_iter().partition(|pending| pending.loads(id));
            inner.pending = kept;
            cancelled
        };
        if cancelled.is_empty() {
            return;
        }
        for pending in cancelled {
            pending.answer(Err(EngineError::Cancelled));
        }
        if matches!(self.inner.borrow().backend, Backend::Worker { .. }) {
            self.restart_worker();
        }
    }

    fn next_request(&self) -> RequestId {
        let mut inner = self.inner.borrow_mut();
        let request = inner.next_request;
        inner.next_request += 1;
        request
    }

    async fn send(&self, request: WorkerRequest, file: Option<web_sys::File>) -> Result<WorkerReply, EngineError> {
        let (sender, receiver) = oneshot::channel();
        let id = request_id(&request);
        self.inner.borrow_mut().pending.push(Pending { id, request, file, reply: Some(sender), sent: false });
        self.flush();
        receiver.await.unwrap_or(Err(EngineError::Cancelled))
    }

    fn send_without_reply(&self, request: WorkerRequest) -> Option<()> {
        let in_page = match &self.inner.borrow().backend {
            Backend::Worker { worker, ready: true, .. } => {
                return worker.post_message(&message(&request, None)).ok();
            }
            Backend::Worker { .. } => None,
            Backend::InPage(session) => Some(session.clone()),
        };
        match in_page {
            Some(session) => {
                worker_protocol::handle(&mut session.borrow_mut(), request);
            }
            // A worker that is not ready yet gets the request with the others once it is.
            None => {
                let id = self.next_request();
                self.inner.borrow_mut().pending.push(Pending { id, request, file: None, reply: None, sent: false });
            }
        }
        Some(())
    }

    /// Sends every request not sent yet, when the backend can take them.
    fn flush(&self) {
        let in_page = {
            let mut inner = self.inner.borrow_mut();
            let Inner { backend, pending, .. } = &mut *inner;
            match backend {
                Backend::Worker { ready: false, .. } => return,
                Backend::Worker { worker, .. } => {
                    for entry in pending.iter_mut().filter(|entry| !entry.sent) {
                        entry.sent = true;
                        if let Err(error) = worker.post_message(&message(&entry.request, entry.file.as_ref())) {
                            web_sys::console::error_2(&"a request could not be sent to the worker".into(), &error);
                        }
                    }
                    // A removal has no reply: once sent, nothing waits for it.
                    pending.retain(|entry| !(entry.sent && matches!(entry.request, WorkerRequest::Remove { .. })));
                    return;
                }
                Backend::InPage(session) => session.clone(),
            }
        };
        self.run_in_page(in_page);
    }

    /// Handles the waiting requests one at a time in the page, in order.
    fn run_in_page(&self, session: Rc<RefCell<Session>>) {
        let engine = self.clone();
        let next = {
            let mut inner = engine.inner.borrow_mut();
            let next = inner.pending.iter_mut().find(|entry| !entry.sent).map(|entry| {
                entry.sent = true;
                (entry.id, entry.request.clone(), entry.file.clone())
            });
            next
        };
        let Some((id, request, file)) = next else { return };
        leptos::task::spawn_local(async move {
            let reply = match (request, file) {
                (WorkerRequest::Load { request, file: file_id, name, reading }, Some(file)) => match worker_protocol::oversize_reply(request, &name, file.size()) {
                    Some(rejected) => rejected,
                    None => {
                        let handler = engine.inner.borrow().on_progress.clone();
                        match gloo::file::futures::read_as_bytes(&gloo::file::File::from(file)).await {
                            Ok(bytes) => worker_protocol::load(&mut session.borrow_mut(), request, file_id, &name, &bytes, &reading, &mut |message| {
                                if let (Some(handler), WorkerReply::Progress { file, stage, done, total }) = (&handler, message) {
                                    handler(file, stage, done, total);
                                }
                            }),
                            Err(error) => WorkerReply::Loaded { request, result: Err(format!("{name}: the browser could not read the file ({error}).")) },
                        }
                    }
                },
                (request, _) => {
                    let reply = worker_protocol::handle(&mut session.borrow_mut(), request);
                    match reply {
                        Some(reply) => reply,
                        None => {
                            engine.inner.borrow_mut().pending.retain(|entry| entry.id != id);
                            return engine.run_in_page(session);
                        }
                    }
                }
            };
            engine.receive(reply);
            engine.run_in_page(session);
        });
    }

    fn start_worker(&self) {
        let worker = match Worker::new(WORKER_URL) {
            Ok(worker) => worker,
            Err(error) => {
                web_sys::console::warn_2(&"no background worker; files are read in the page".into(), &error);
                return self.use_page();
            }
        };

        let engine = self.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let text = event.data().as_string().unwrap_or_default();
            match serde_json::from_str::<WorkerReply>(&text) {
                Ok(WorkerReply::Ready) => engine.worker_ready(),
                Ok(WorkerReply::Warm) => {
                    let warm = engine.inner.borrow().warm;
                    warm.set(true);
                }
                Ok(reply) => engine.receive(reply),
                Err(error) => web_sys::console::error_1(&format!("unreadable message from the worker: {error}").into()),
            }
        });
        let engine = self.clone();
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            event.prevent_default();
            engine.worker_failed();
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let warm = {
            let mut inner = self.inner.borrow_mut();
            inner.backend = Backend::Worker { worker, ready: false, _handlers: (on_message, on_error) };
            inner.warm
        };
        warm.set(false);
    }

    fn worker_ready(&self) {
        if let Backend::Worker { ready, .. } = &mut self.inner.borrow_mut().backend {
            *ready = true;
        }
        self.flush();
    }

    /// A worker that fails before it is ready cannot start here: the page does the work. One
    /// that fails later stopped in the middle of a request, which then fails; the worker is
    /// replaced for the others.
    fn worker_failed(&self) {
        let was_ready = matches!(self.inner.borrow().backend, Backend::Worker { ready: true, .. });
        if !was_ready {
            web_sys::console::warn_1(&"the background worker could not start; files are read in the page".into());
            self.terminate_worker();
            return self.use_page();
        }

        let in_flight = {
            let mut inner = self.inner.borrow_mut();
            let first_sent = inner.pending.iter().position(|entry| entry.sent);
            first_sent.map(|index| inner.pending.remove(index))
        };
        if let Some(pending) = in_flight {
            let what = pending.describe();
            pending.answer(Err(EngineError::Stopped(what)));
        }
        self.restart_worker();
    }

    fn use_page(&self) {
        let mut inner = self.inner.borrow_mut();
        inner.backend = Backend::InPage(Rc::default());
        let warm = inner.warm;
        for entry in inner.pending.iter_mut() {
            entry.sent = false;
        }
        drop(inner);
        warm.set(true);
        self.requeue_loaded_files();
        self.flush();
    }

    /// Replaces the worker with a fresh one that reads the loaded files again before it handles
    /// the requests still waiting.
    fn restart_worker(&self) {
        self.terminate_worker();
        {
            let mut inner = self.inner.borrow_mut();
            // Requests the old worker received but did not answer go to the new one.
            for entry in inner.pending.iter_mut() {
                entry.sent = false;
            }
            // The engine's own reloads of the old worker are replaced by the reloads below.
            inner.pending.retain(|entry| entry.reply.is_some() || matches!(entry.request, WorkerRequest::Remove { .. }));
        }
        self.requeue_loaded_files();
        self.start_worker();
    }

    fn terminate_worker(&self) {
        if let Backend::Worker { worker, .. } = &self.inner.borrow().backend {
            worker.terminate();
        }
    }

    /// Queues a load of every file read so far, ahead of the requests waiting.
    fn requeue_loaded_files(&self) {
        let mut inner = self.inner.borrow_mut();
        let first_id = inner.next_request;
        let reloads: Vec<Pending> = inner
            .loaded
            .iter()
            .zip(first_id..)
            .map(|(known, id)| Pending {
                id,
                request: WorkerRequest::Load { request: id, file: known.id, name: known.name.clone(), reading: known.reading.clone() },
                file: Some(known.file.clone()),
                reply: None,
                sent: false,
            })
            .collect();
        inner.next_request += reloads.len() as u64;
        let waiting = std::mem::replace(&mut inner.pending, reloads);
        inner.pending.extend(waiting);
    }

    /// Routes a message from the backend: progress to the handler, a reply to its request.
    fn receive(&self, reply: WorkerReply) {
        if let WorkerReply::Progress { file, stage, done, total } = reply {
            let handler = self.inner.borrow().on_progress.clone();
            if let Some(handler) = handler {
                handler(file, stage, done, total);
            }
            return;
        }
        let Some(id) = reply.request() else {
            web_sys::console::error_1(&format!("message from the worker without a request: {reply:?}").into());
            return;
        };
        let pending = {
            let mut inner = self.inner.borrow_mut();
            let index = inner.pending.iter().position(|entry| entry.id == id);
            index.map(|index| inner.pending.remove(index))
        };
        if let Some(pending) = pending {
            pending.answer(Ok(reply));
        }
    }
}

impl Pending {
    fn loads(&self, id: FileId) -> bool {
        matches!(self.request, WorkerRequest::Load { file, .. } if file == id)
    }

    fn answer(self, outcome: Result<WorkerReply, EngineError>) {
        if let Some(sender) = self.reply {
            // The caller may have gone away; then nobody waits for the answer.
            let _ = sender.send(outcome);
        }
    }

    fn describe(&self) -> String {
        match &self.request {
            WorkerRequest::Load { name, .. } => format!("read {name}"),
            WorkerRequest::Remove { .. } => "removed a file".to_string(),
            WorkerRequest::Dashboard { .. } => "computed the dashboard".to_string(),
            WorkerRequest::Clv { .. } => "fitted the lifetime-value model".to_string(),
            WorkerRequest::Sample { .. } => "generated the sample company".to_string(),
        }
    }
}

fn request_id(request: &WorkerRequest) -> RequestId {
    match request {
        WorkerRequest::Load { request, .. } | WorkerRequest::Dashboard { request, .. } | WorkerRequest::Clv { request, .. } | WorkerRequest::Sample { request, .. } => *request,
        WorkerRequest::Remove { .. } => 0,
    }
}

/// The posted message: the request as JSON text, and the file for a load.
fn message(request: &WorkerRequest, file: Option<&web_sys::File>) -> JsValue {
    let json = serde_json::to_string(request).unwrap_or_default();
    let array = js_sys::Array::of1(&JsValue::from_str(&json));
    if let Some(file) = file {
        array.push(file);
    }
    array.into()
}

fn unexpected(reply: &WorkerReply) -> EngineError {
    EngineError::Unexpected(encode(reply).chars().take(200).collect())
}
