//! What can go wrong when a file is read, located precisely enough for the user to fix it.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A file that could not be used at all. Row-level problems are [`RowProblem`]s instead.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum IngestError {
    #[error("{file}: the file is empty. Export the report again and check that it has rows.")]
    Empty { file: String },

    #[error("{file}: only a header row was found, with no data rows below it.")]
    HeaderOnly { file: String },

    #[error(
        "{file}: not recognised as a known data kind. Found the columns {found}. {hint}"
    )]
    Unrecognised { file: String, found: String, hint: String },

    #[error(
        "{file}: no row could be read. The first problem: {first_problem}"
    )]
    NoUsableRows { file: String, first_problem: String },

    #[error("{file}: this looks like a {format} file, which Headlights cannot read. Save it as CSV (UTF-8) or XLSX and drop it again.")]
    UnsupportedFormat { file: String, format: &'static str },

    #[error("{file}: {reason}. {advice}")]
    NotATable { file: String, reason: String, advice: String },

    #[error("{file}: {what} is larger than the limit of {limit}. {advice}")]
    TooLarge { file: String, what: String, limit: String, advice: String },

    #[error("{file}: the workbook could not be read ({detail}). Open it in Excel, save it again as XLSX or CSV, and drop it again.")]
    InvalidWorkbook { file: String, detail: String },

    #[error("{file}: the workbook has no sheet named \"{sheet}\". Its sheets are {sheets}.")]
    SheetNotFound { file: String, sheet: String, sheets: String },

    #[error("{file}: invalid JSON on line {line} ({detail}). Export the events again as JSON lines or a JSON array of objects.")]
    InvalidJson { file: String, line: usize, detail: String },

    #[error("{file}: the mapping does not fit this file: {detail}. Check that each mapped column exists in the file.")]
    MappingMismatch { file: String, detail: String },
}

/// A row that was skipped, or a value that was left out, with where and why.
///
/// `line` counts physical lines of the file from 1, the header line included, so the user can
/// find the row in a text editor or spreadsheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub line: usize,
    pub column: Option<String>,
    pub found: String,
    pub expected: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(column) if self.found.trim().is_empty() => write!(f, "line {}, column \"{}\": expected {}, found an empty value", self.line, column, self.expected),
            Some(column) => write!(
                f,
                "line {}, column \"{}\": expected {}, found \"{}\"",
                self.line, column, self.expected, self.found
            ),
            None => write!(f, "line {}: expected {}, found {}", self.line, self.expected, self.found),
        }
    }
}
