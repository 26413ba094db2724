//! Ingest: the bytes of one dropped file to a typed [`Dataset`], with every problem located.
//!
//! Steps: decode the text ([`decode`]), detect the separator ([`dialect`]), split records and
//! detect the header ([`table`]), profile each whole column ([`profile`]), map columns to roles
//! ([`roles`]) and type the rows of the recognised kind ([`recognise`]). Rows with unreadable
//! required values are left out and reported; only a file with nothing usable is an error.

pub mod dataset;
pub mod decode;
pub mod dialect;
pub mod error;
pub mod kinds;
pub mod money;
pub mod profile;
pub mod recognise;
pub mod roles;
pub mod table;
pub mod values;

pub use dataset::{CustomerSnapshot, Dataset, Segment, Transactions};
pub use error::{IngestError, RowProblem};
pub use money::Money;
pub use roles::{ColumnMapping, Role};

/// Row problems kept per file; the total is still counted.
pub const MAX_LISTED_PROBLEMS: usize = 200;

/// A file that was read, with what it was recognised as and what could not be read.
#[derive(Clone, Debug)]
pub struct LoadedFile {
    pub name: String,
    pub size_bytes: usize,
    pub encoding: &'static str,
    pub separator: &'static str,
    pub has_header_row: bool,
    /// Data rows in the file, whether usable or not.
    pub rows_in_file: usize,
    /// Rows that made it into the dataset.
    pub rows_read: usize,
    pub dataset: Dataset,
    pub columns: Vec<ColumnMapping>,
    /// The first [`MAX_LISTED_PROBLEMS`] problems, in file order.
    pub problems: Vec<RowProblem>,
    pub problem_count: usize,
}

/// Reads one file's bytes into a typed dataset.
pub fn read_file(name: &str, bytes: &[u8]) -> Result<LoadedFile, IngestError> {
    reject_unsupported_containers(name, bytes)?;

    let decoded = decode::decode(bytes);
    if decoded.text.trim().is_empty() {
        return Err(IngestError::Empty { file: name.to_string() });
    }
    let separator = dialect::detect_separator(&decoded.text);
    let table = table::split_table(&decoded.text, separator);
    if table.row_count() == 0 && table.problems.is_empty() {
        return Err(IngestError::HeaderOnly { file: name.to_string() });
    }

    let recognised = recognise::recognise(name, &table)?;
    let ragged_rows = table.problems.len();
    let rows_in_file = table.row_count() + ragged_rows;
    let has_header_row = table.has_header_row;
    let rows_read = rows_in(&recognised.dataset);
    let mut problems = table.problems;
    problems.extend(recognised.problems);
    problems.sort_by_key(|problem| problem.line);
    if rows_read == 0 {
        let first_problem = problems.first().map(ToString::to_string).unwrap_or_default();
        return Err(IngestError::NoUsableRows { file: name.to_string(), first_problem });
    }

    let problem_count = problems.len();
    problems.truncate(MAX_LISTED_PROBLEMS);
    Ok(LoadedFile {
        name: name.to_string(),
        size_bytes: bytes.len(),
        encoding: decoded.encoding,
        separator: separator.describe(),
        has_header_row,
        rows_in_file,
        rows_read,
        dataset: recognised.dataset,
        columns: recognised.columns,
        problems,
        problem_count,
    })
}

fn rows_in(dataset: &Dataset) -> usize {
    dataset.row_count()
}

/// Rejects workbooks and JSON with a clear message until those readers exist.
fn reject_unsupported_containers(name: &str, bytes: &[u8]) -> Result<(), IngestError> {
    let format = if bytes.starts_with(b"PK\x03\x04") {
        Some("Excel workbook (XLSX)")
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some("legacy Excel workbook (XLS)")
    } else {
        let start = bytes.iter().find(|byte| !byte.is_ascii_whitespace());
        matches!(start, Some(b'{') | Some(b'[')).then_some("JSON")
    };
    match format {
        Some(format) => Err(IngestError::UnsupportedFormat { file: name.to_string(), format }),
        None => Ok(()),
    }
}
