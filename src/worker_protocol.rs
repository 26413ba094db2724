//! Messages between the page and the background worker (`src/bin/worker.rs`), as JSON text.
//!
//! Long computations run in the worker so the page keeps drawing: the page starts a worker,
//! waits for [`WorkerReply::Ready`], sends one [`WorkerRequest`] and reads one reply.

use headlights_core::ingest::Transactions;
use headlights_core::metrics::clv::{clv_report, ClvReport, ClvSettings};
use headlights_core::sample::{sample_company, SampleSize};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
pub enum WorkerRequest {
    /// Fit the transaction-CLV models and build the report.
    Clv { transactions: Transactions, settings: ClvSettings },
    /// Generate the built-in sample company's exports.
    Sample { seed: u64 },
}

/// One generated export: its file name and its text (every sample export is UTF-8 text).
#[derive(Debug, Serialize, Deserialize)]
pub struct SampleExportFile {
    pub name: String,
    pub text: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub enum WorkerReply {
    /// The worker's WebAssembly has started and it takes requests.
    Ready,
    /// The report, or the message that explains why it could not be made.
    Clv(Result<ClvReport, String>),
    Sample(Vec<SampleExportFile>),
    /// The request could not be decoded; a bug, never the user's data.
    Invalid(String),
}

/// Handles one request in the worker and returns the encoded reply.
pub fn handle(request_json: &str) -> String {
    let reply = match serde_json::from_str::<WorkerRequest>(request_json) {
        Ok(WorkerRequest::Clv { transactions, settings }) => {
            WorkerReply::Clv(clv_report(&transactions, &settings).map_err(|error| error.to_string()))
        }
        Ok(WorkerRequest::Sample { seed }) => WorkerReply::Sample(sample_files(seed)),
        Err(error) => WorkerReply::Invalid(error.to_string()),
    };
    encode(&reply)
}

/// Encodes a reply; serialising these plain types cannot fail, but a failure still becomes a
/// readable `Invalid` reply rather than a panic.
pub fn encode(reply: &WorkerReply) -> String {
    serde_json::to_string(reply).unwrap_or_else(|error| format!("{{\"Invalid\":\"{error}\"}}"))
}

fn sample_files(seed: u64) -> Vec<SampleExportFile> {
    sample_company(seed, SampleSize::small())
        .into_iter()
        .map(|file| SampleExportFile { name: file.name, text: String::from_utf8_lossy(&file.bytes).into_owned() })
        .collect()
}
