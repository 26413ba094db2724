//! Messages between the page and the background worker (`src/bin/worker.rs`), as JSON text.
//!
//! Long computations run in the worker so the page keeps drawing: the page starts a worker,
//! waits for [`WorkerReply::Ready`], sends one [`WorkerRequest`] and reads one reply.

use headlights_core::ingest::Transactions;
use headlights_core::metrics::clv::{clv_report, ClvReport, ClvSettings};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
pub enum WorkerRequest {
    /// Fit the transaction-CLV models and build the report.
    Clv { transactions: Transactions, settings: ClvSettings },
}

#[derive(Debug, Serialize, Deserialize)]
pub enum WorkerReply {
    /// The worker's WebAssembly has started and it takes requests.
    Ready,
    /// The report, or the message that says why it could not be made.
    Clv(Result<ClvReport, String>),
    /// The request could not be decoded; a bug, never the user's data.
    Invalid(String),
}

/// Answers one request, in the worker.
pub fn handle(request_json: &str) -> String {
    let reply = match serde_json::from_str::<WorkerRequest>(request_json) {
        Ok(WorkerRequest::Clv { transactions, settings }) => {
            WorkerReply::Clv(clv_report(&transactions, &settings).map_err(|error| error.to_string()))
        }
        Err(error) => WorkerReply::Invalid(error.to_string()),
    };
    encode(&reply)
}

/// Encodes a reply; serialising these plain types cannot fail, but a failure still becomes a
/// readable `Invalid` reply rather than a panic.
pub fn encode(reply: &WorkerReply) -> String {
    serde_json::to_string(reply).unwrap_or_else(|error| format!("{{\"Invalid\":\"{error}\"}}"))
}
