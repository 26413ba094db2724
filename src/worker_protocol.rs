//! Messages between the page and the background worker (`src/bin/worker.rs`).
//!
//! The worker keeps a [`Session`]: the files read so far, as typed datasets. The page sends a
//! [`WorkerRequest`] as JSON text, with the browser `File` beside it for [`WorkerRequest::Load`],
//! and reads [`WorkerReply`] messages. Replies to requests carry the request's number; progress
//! messages arrive while a file is read. The worker handles one request at a time, in order.

use headlights_core::ingest::{check_file_size, FileSummary, Phase, Progress};
use headlights_core::metrics::clv::{ClvReport, ClvSettings};
use headlights_core::metrics::{Dashboard, DashboardOptions};
use headlights_core::sample::{sample_company, SampleSize};
use headlights_core::session::{FileId, Reading, Session};
use serde::{Deserialize, Serialize};

/// Numbers a request so that its reply can be matched to it.
pub type RequestId = u64;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum WorkerRequest {
    /// Read the `File` posted with this message as file `file`, as `reading` says, and keep it.
    Load { request: RequestId, file: FileId, name: String, reading: Reading },
    /// Forget a file. No reply.
    Remove { file: FileId },
    /// Build the dashboard of the loaded files.
    Dashboard { request: RequestId, options: DashboardOptions },
    /// Fit the transaction-CLV models on the loaded transaction logs, in `currency`.
    Clv { request: RequestId, settings: ClvSettings, currency: Option<String> },
    /// Generate the built-in sample company's exports.
    Sample { request: RequestId, seed: u64 },
}

/// The stage a file's read has reached.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum LoadStage {
    /// Bytes copied from the file into memory.
    Reading,
    /// An ingest phase: decoding, splitting or typing.
    Parsing(Phase),
}

#[derive(Debug, Serialize, Deserialize)]
pub enum WorkerReply {
    /// The worker's WebAssembly has started and it takes requests.
    Ready,
    /// The worker (and its part worker) have run the engine once on generated files, so that a
    /// file read from now on runs in optimised code.
    Warm,
    /// Part of file `file` has been processed: `done` of `total` in the stage's unit.
    Progress { file: FileId, stage: LoadStage, done: u64, total: u64 },
    /// The file's summary, or the message that says why it could not be read.
    Loaded { request: RequestId, result: Result<FileSummary, String> },
    /// `None` when no file is loaded.
    Dashboard { request: RequestId, dashboard: Option<Dashboard> },
    /// The report, or the message that explains why it could not be made.
    Clv { request: RequestId, result: Result<ClvReport, String> },
    Sample { request: RequestId, files: Vec<SampleExportFile> },
    /// The request could not be decoded; a bug, never the user's data.
    Invalid(String),
}

impl WorkerReply {
    /// The request this message answers; `None` for messages that answer no request.
    pub fn request(&self) -> Option<RequestId> {
        match self {
            WorkerReply::Loaded { request, .. }
            | WorkerReply::Dashboard { request, .. }
            | WorkerReply::Clv { request, .. }
            | WorkerReply::Sample { request, .. } => Some(*request),
            WorkerReply::Ready | WorkerReply::Warm | WorkerReply::Progress { .. } | WorkerReply::Invalid(_) => None,
        }
    }
}

/// One generated export: its file name and its text (every sample export is UTF-8 text).
#[derive(Debug, Serialize, Deserialize)]
pub struct SampleExportFile {
    pub name: String,
    pub text: String,
}

/// Handles every request but `Load`, whose bytes the caller reads first and passes to
/// [`load`]. Returns `None` for requests without a reply.
pub fn handle(session: &mut Session, request: WorkerRequest) -> Option<WorkerReply> {
    match request {
        WorkerRequest::Load { request, name, .. } => Some(WorkerReply::Loaded {
            request,
            result: Err(format!("{name}: the worker was asked to read the file without its bytes; reload the page and drop it again.")),
        }),
        WorkerRequest::Remove { file } => {
            session.remove(file);
            None
        }
        WorkerRequest::Dashboard { request, options } => Some(WorkerReply::Dashboard { request, dashboard: session.requested_dashboard(&options) }),
        WorkerRequest::Clv { request, settings, currency } => Some(WorkerReply::Clv { request, result: session.clv(&settings, currency.as_deref()) }),
        WorkerRequest::Sample { request, seed } => Some(WorkerReply::Sample { request, files: sample_files(seed) }),
    }
}

/// Returns the reply that rejects a file of `size_bytes` over the engine's size limit, so that
/// the file is never copied into memory. Returns `None` when the size is within the limit.
pub fn oversize_reply(request: RequestId, name: &str, size_bytes: f64) -> Option<WorkerReply> {
    check_file_size(name, size_bytes as u64).err().map(|error| WorkerReply::Loaded { request, result: Err(error.to_string()) })
}

/// Reads file `file` from its bytes into the session, reporting ingest progress to `progress`.
pub fn load(session: &mut Session, request: RequestId, file: FileId, name: &str, bytes: &[u8], reading: &Reading, progress: &mut dyn FnMut(WorkerReply)) -> WorkerReply {
    let mut report = |step: Progress| {
        progress(WorkerReply::Progress { file, stage: LoadStage::Parsing(step.phase), done: step.processed as u64, total: step.total as u64 })
    };
    let result = session.load(file, name, bytes, reading, &mut report).map_err(|error| error.to_string());
    WorkerReply::Loaded { request, result }
}

/// Encodes a message; serialising these plain types cannot fail, but a failure still becomes
/// a readable `Invalid` reply rather than a panic.
pub fn encode(reply: &WorkerReply) -> String {
    serde_json::to_string(reply).unwrap_or_else(|error| format!("{{\"Invalid\":\"{error}\"}}"))
}

fn sample_files(seed: u64) -> Vec<SampleExportFile> {
    sample_company(seed, SampleSize::small())
        .into_iter()
        .map(|file| SampleExportFile { name: file.name, text: String::from_utf8_lossy(&file.bytes).into_owned() })
        .collect()
}
