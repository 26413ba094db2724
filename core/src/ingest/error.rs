//! What can go wrong when a file is read, located precisely enough for the user to fix it.

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

    #[error("{file}: this looks like a {format} file, which Headlights cannot read yet. Save it as CSV (UTF-8) and drop it again.")]
    UnsupportedFormat { file: String, format: &'static str },
}

/// A row that was skipped, or a value that was left out, with where and why.
///
/// `line` counts physical lines of the file from 1, the header line included, so the user can
/// find the row in a text editor or spreadsheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    pub line: usize,
    pub column: Option<String>,
    pub found: String,
    pub expected: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(column) => write!(
                f,
                "line {}, column \"{}\": expected {}, found \"{}\"",
                self.line, column, self.expected, self.found
            ),
            None => write!(f, "line {}: expected {}, found {}", self.line, self.expected, self.found),
        }
    }
}
