//! Ingest: the bytes of one dropped file to a typed [`Dataset`], with every problem located.
//!
//! Steps: sort the container ([`container`]: text, JSON, XLSX, or not a table), decode the text
//! ([`decode`]), detect the separator ([`dialect`]), split records ([`split`], [`json`],
//! [`xlsx`]) into a table and detect its header rows ([`table`]), profile each whole column and
//! decide its format ([`profile`]), detect the kind and map columns to roles ([`detect`],
//! [`roles`]) and type the rows ([`recognise`]). Rows with unreadable required values are left
//! out and reported; only a file with nothing usable is an error. Limits on hostile files are
//! in [`limits`].

use serde::{Deserialize, Serialize};
pub mod build_activity;
pub mod build_events;
pub mod build_money;
pub mod container;
pub mod dataset;
pub mod decode;
pub mod detect;
pub mod dialect;
pub mod error;
pub mod json;
pub mod kinds;
pub mod limits;
pub mod mapping;
pub mod money;
pub mod part;
pub mod part_wire;
pub mod profile;
pub mod recognise;
pub mod roles;
pub mod rows;
pub mod split;
pub mod table;
pub mod values;
pub mod xlsx;

pub use dataset::{CustomerSnapshot, Dataset, Segment, Transactions};
pub use error::{IngestError, RowProblem};
pub use mapping::{header_fingerprint, DataKind, Mapping, ReadOptions};
pub use money::Money;
pub use profile::{Ambiguity, DetectedSentinel};
pub use roles::{ColumnMapping, Role};
pub use values::{DateOrder, DecimalSeparator};

use container::Container;
use table::{HeaderRows, TableBuilder, TableLimit, TextTable};

/// Row problems kept per file; the total is still counted.
pub const MAX_LISTED_PROBLEMS: usize = 200;

/// A file that was read, with what it was recognised as and what could not be read.
#[derive(Clone, Debug)]
pub struct LoadedFile {
    pub name: String,
    pub size_bytes: usize,
    pub encoding: &'static str,
    /// The separator's name, or `"workbook"` and `"JSON"` for those containers.
    pub separator: &'static str,
    pub has_header_row: bool,
    /// Header rows above the data (3 for Qualtrics, 2 for SurveyMonkey).
    pub header_rows: usize,
    /// Data rows in the file, whether usable or not.
    pub rows_in_file: usize,
    /// Rows that made it into the dataset.
    pub rows_read: usize,
    /// Rows left out on purpose, such as failed or uncaptured payments; not problems.
    pub rows_excluded: usize,
    pub dataset: Dataset,
    pub columns: Vec<ColumnMapping>,
    /// The kind, roles and options that produced `dataset`; edit and pass to
    /// [`read_file_mapped`] to read the file differently.
    pub mapping: Mapping,
    /// [`header_fingerprint`] of the columns, for remembering a mapping.
    pub fingerprint: String,
    /// Choices made without evidence (date order, decimal separator) for the UI to confirm.
    pub ambiguities: Vec<Ambiguity>,
    /// "No answer" codes found among scores and read as missing; `mapping` lists them in its
    /// missing-value markers.
    pub detected_sentinels: Vec<DetectedSentinel>,
    /// The sheets of a workbook, and the one read; empty for other files.
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    /// The first [`MAX_LISTED_PROBLEMS`] problems, in file order.
    pub problems: Vec<RowProblem>,
    pub problem_count: usize,
}

/// What the file list shows about a loaded file: everything but the dataset, so that it crosses
/// the worker boundary as a few kilobytes whatever the file's size.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileSummary {
    pub name: String,
    pub size_bytes: usize,
    pub encoding: String,
    /// The separator's name, or `"workbook"` and `"JSON"` for those containers.
    pub separator: String,
    pub has_header_row: bool,
    pub header_rows: usize,
    pub rows_in_file: usize,
    pub rows_read: usize,
    pub rows_excluded: usize,
    /// The data kind as the page names it, such as "transactions".
    pub kind_label: String,
    pub columns: Vec<ColumnMapping>,
    pub mapping: Mapping,
    pub fingerprint: String,
    pub ambiguities: Vec<Ambiguity>,
    pub detected_sentinels: Vec<DetectedSentinel>,
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    pub problems: Vec<RowProblem>,
    pub problem_count: usize,
    /// Why no data kind was recognised, for a file read only into its columns
    /// ([`ReadOutcome::Unrecognised`]). Then no row was typed, `kind_label` is
    /// [`UNRECOGNISED_LABEL`], and `mapping` is a guess with the missing roles left unused.
    pub unrecognised: Option<String>,
    /// True when two workers read the file, one part each (see [`part`]).
    #[serde(default)]
    pub read_in_parts: bool,
}

/// The `kind_label` of a file whose data kind was not recognised.
pub const UNRECOGNISED_LABEL: &str = "not recognised";

/// The result of reading a file with detection.
#[derive(Clone, Debug)]
pub enum ReadOutcome {
    Recognised(LoadedFile),
    /// A table that no data kind fits: its summary, with every column for the mapping panel,
    /// and the error that [`read_file_with`] returns for it.
    Unrecognised { summary: Box<FileSummary>, error: IngestError },
}

impl LoadedFile {
    /// Copies everything but the dataset.
    pub fn summary(&self) -> FileSummary {
        FileSummary {
            name: self.name.clone(),
            size_bytes: self.size_bytes,
            encoding: self.encoding.to_string(),
            separator: self.separator.to_string(),
            has_header_row: self.has_header_row,
            header_rows: self.header_rows,
            rows_in_file: self.rows_in_file,
            rows_read: self.rows_read,
            rows_excluded: self.rows_excluded,
            kind_label: self.dataset.kind_label().to_string(),
            columns: self.columns.clone(),
            mapping: self.mapping.clone(),
            fingerprint: self.fingerprint.clone(),
            ambiguities: self.ambiguities.clone(),
            detected_sentinels: self.detected_sentinels.clone(),
            sheets: self.sheets.clone(),
            sheet: self.sheet.clone(),
            problems: self.problems.clone(),
            problem_count: self.problem_count,
            unrecognised: None,
            read_in_parts: false,
        }
    }
}

/// Progress of a read: bytes of the file (or of its decoded text) processed so far, out of a
/// total. The phases run in order; each ends with `processed == total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub phase: Phase,
    pub processed: usize,
    pub total: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    Decoding,
    Splitting,
    Typing,
}

/// Reads one file's bytes into a typed dataset, detecting everything.
pub fn read_file(name: &str, bytes: &[u8]) -> Result<LoadedFile, IngestError> {
    read_file_with(name, bytes, &ReadOptions::default(), &mut |_| {})
}

/// Reads one file with reading options (missing sentinels, date order, sheet…), reporting
/// progress to `progress`; the kind and roles are still detected. A table that no data kind
/// fits is an [`IngestError::Unrecognised`].
pub fn read_file_with(name: &str, bytes: &[u8], options: &ReadOptions, progress: &mut dyn FnMut(Progress)) -> Result<LoadedFile, IngestError> {
    match read(name, bytes, options, None, progress)? {
        ReadOutcome::Recognised(file) => Ok(file),
        ReadOutcome::Unrecognised { error, .. } => Err(error),
    }
}

/// Reads one file like [`read_file_with`], but returns a table that no data kind fits as
/// [`ReadOutcome::Unrecognised`], with its columns, so that the user can map them by hand.
pub fn read_file_or_columns(name: &str, bytes: &[u8], options: &ReadOptions, progress: &mut dyn FnMut(Progress)) -> Result<ReadOutcome, IngestError> {
    read(name, bytes, options, None, progress)
}

/// Reads one file again with the user's mapping: its kind, the role of each column and the
/// options. Fails with [`IngestError::MappingMismatch`] when the mapping does not fit the file.
pub fn read_file_mapped(name: &str, bytes: &[u8], mapping: &Mapping, progress: &mut dyn FnMut(Progress)) -> Result<LoadedFile, IngestError> {
    match read(name, bytes, &mapping.options, Some((mapping.kind, &mapping.roles)), progress)? {
        ReadOutcome::Recognised(file) => Ok(file),
        ReadOutcome::Unrecognised { error, .. } => Err(error),
    }
}

/// Returns the sheet names of an XLSX workbook, in workbook order.
pub fn workbook_sheets(name: &str, bytes: &[u8]) -> Result<Vec<String>, IngestError> {
    check_zip(name, bytes)?;
    xlsx::sheet_names(bytes).map_err(|problem| xlsx_error(name, problem))
}

/// The table read from a file, and how it was read.
struct ReadTable {
    table: TextTable,
    encoding: &'static str,
    separator: &'static str,
    sheets: Vec<String>,
    sheet: Option<String>,
}

fn read(
    name: &str,
    bytes: &[u8],
    options: &ReadOptions,
    mapping: Option<(DataKind, &[Option<Role>])>,
    progress: &mut dyn FnMut(Progress),
) -> Result<ReadOutcome, IngestError> {
    check_file_size(name, bytes.len() as u64)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::Empty { file: name.to_string() });
    }
    let header_rows = match options.header_rows {
        Some(count) => HeaderRows::Exactly(count),
        None => HeaderRows::Detect,
    };
    let mut builder = TableBuilder::new(header_rows);
    let container = container::classify(bytes)
        .map_err(|not_table| IngestError::NotATable { file: name.to_string(), reason: not_table.reason, advice: not_table.advice.to_string() })?;
    let mut read_table = match container {
        Container::Zip => read_workbook(name, bytes, options, builder)?,
        Container::Json | Container::Text => read_text(name, bytes, options, container, &mut builder, progress).map(|(encoding, separator)| ReadTable {
            table: builder.finish(),
            encoding,
            separator,
            sheets: Vec::new(),
            sheet: None,
        })?,
    };
    let mut table = std::mem::take(&mut read_table.table);
    name_columns(&mut table, &options.column_names);
    if table.row_count() == 0 && table.problems.is_empty() {
        return Err(IngestError::HeaderOnly { file: name.to_string() });
    }

    let total_rows = table.row_count();
    progress(Progress { phase: Phase::Typing, processed: 0, total: total_rows });
    let semicolons = read_table.separator == dialect::Separator::Char(b';').describe();
    let recognised = match recognise::recognise(name, &table, options, mapping, semicolons)? {
        recognise::Recognition::Typed(recognised) => recognised,
        recognise::Recognition::Untyped(untyped) => return Ok(columns_only(name, bytes.len(), read_table, table, untyped, options)),
    };
    progress(Progress { phase: Phase::Typing, processed: total_rows, total: total_rows });

    let rows_in_file = table.row_count() + table.problems.len();
    let rows_read = recognised.dataset.row_count();
    let mut problems = std::mem::take(&mut table.problems);
    problems.extend(recognised.problems);
    let (problems, problem_count) = listed_problems(problems);
    if rows_read == 0 {
        let first_problem = problems.first().map(ToString::to_string).unwrap_or_else(|| "every row was left out".to_string());
        return Err(IngestError::NoUsableRows { file: name.to_string(), first_problem });
    }

    Ok(ReadOutcome::Recognised(LoadedFile {
        name: name.to_string(),
        size_bytes: bytes.len(),
        encoding: read_table.encoding,
        separator: read_table.separator,
        has_header_row: table.header_rows > 0,
        header_rows: table.header_rows,
        rows_in_file,
        rows_read,
        rows_excluded: recognised.excluded_rows,
        dataset: recognised.dataset,
        fingerprint: header_fingerprint(&table.headers),
        mapping: Mapping { kind: recognised.kind, roles: recognised.roles, options: with_sentinels(options, &recognised.sentinels) },
        columns: recognised.columns,
        ambiguities: recognised.ambiguities,
        detected_sentinels: recognised.sentinels,
        sheets: read_table.sheets,
        sheet: read_table.sheet,
        problems,
        problem_count,
    }))
}

/// Summarises a table that no data kind fits: its layout and columns, with no row typed.
fn columns_only(name: &str, size_bytes: usize, read_table: ReadTable, mut table: TextTable, untyped: recognise::Unrecognised, options: &ReadOptions) -> ReadOutcome {
    let (problems, problem_count) = listed_problems(std::mem::take(&mut table.problems));
    let reason = with_other_sheets(untyped.error.to_string(), &read_table.sheets, read_table.sheet.as_deref());
    let summary = FileSummary {
        name: name.to_string(),
        size_bytes,
        encoding: read_table.encoding.to_string(),
        separator: read_table.separator.to_string(),
        has_header_row: table.header_rows > 0,
        header_rows: table.header_rows,
        rows_in_file: table.row_count() + problem_count,
        rows_read: 0,
        rows_excluded: 0,
        kind_label: UNRECOGNISED_LABEL.to_string(),
        fingerprint: header_fingerprint(&table.headers),
        mapping: Mapping { kind: untyped.kind, roles: untyped.roles, options: with_sentinels(options, &untyped.sentinels) },
        columns: untyped.columns,
        ambiguities: untyped.ambiguities,
        detected_sentinels: untyped.sentinels,
        sheets: read_table.sheets,
        sheet: read_table.sheet,
        problems,
        problem_count,
        unrecognised: Some(reason),
        read_in_parts: false,
    };
    ReadOutcome::Unrecognised { summary: Box::new(summary), error: untyped.error }
}

/// Adds to an unrecognised table's `reason` the workbook's other sheets, where the data
/// often is when the first sheet is a summary.
fn with_other_sheets(reason: String, sheets: &[String], read: Option<&str>) -> String {
    let others: Vec<String> = sheets.iter().filter(|sheet| Some(sheet.as_str()) != read).map(|sheet| format!("\"{sheet}\"")).collect();
    match others.as_slice() {
        [] => reason,
        [other] => format!("{reason} The workbook has another sheet, {other}: choose it under Sheet to read it instead."),
        _ => format!("{reason} The workbook has other sheets ({}): choose one under Sheet to read it instead.", others.join(", ")),
    }
}

/// Returns `options` with the detected "no answer" codes added to its missing-value markers,
/// so that reading the file again with its mapping treats them alike.
fn with_sentinels(options: &ReadOptions, detected: &[DetectedSentinel]) -> ReadOptions {
    let mut options = options.clone();
    for found in detected {
        if !options.missing_sentinels.contains(&found.value) {
            options.missing_sentinels.push(found.value.clone());
        }
    }
    options
}

/// Sorts row problems into file order and keeps the first [`MAX_LISTED_PROBLEMS`]; returns
/// them with the total count.
pub(crate) fn listed_problems(mut problems: Vec<RowProblem>) -> (Vec<RowProblem>, usize) {
    problems.sort_by_key(|problem| problem.line);
    let count = problems.len();
    problems.truncate(MAX_LISTED_PROBLEMS);
    (problems, count)
}

/// Decodes text (borrowing valid UTF-8 rather than copying it) and splits it into `builder`.
/// Returns the encoding and the separator's name.
fn read_text(
    name: &str,
    bytes: &[u8],
    options: &ReadOptions,
    container: Container,
    builder: &mut TableBuilder,
    progress: &mut dyn FnMut(Progress),
) -> Result<(&'static str, &'static str), IngestError> {
    progress(Progress { phase: Phase::Decoding, processed: 0, total: bytes.len() });
    let decoded = decode::decode(bytes);
    progress(Progress { phase: Phase::Decoding, processed: bytes.len(), total: bytes.len() });
    let text: &str = &decoded.text;
    if text.trim().is_empty() {
        return Err(IngestError::Empty { file: name.to_string() });
    }
    let total = text.len();
    if container == Container::Json {
        json::read_json(text, builder).map_err(|problem| json_error(name, problem))?;
        progress(Progress { phase: Phase::Splitting, processed: total, total });
        return Ok((decoded.encoding, "JSON"));
    }
    let separator = options.separator.unwrap_or_else(|| dialect::detect_separator(text));
    builder.expect_text_bytes(total);
    split::split_records(text, separator, builder, &mut |processed| progress(Progress { phase: Phase::Splitting, processed, total }))
        .map_err(|limit| limit_error(name, limit))?;
    progress(Progress { phase: Phase::Splitting, processed: total, total });
    Ok((decoded.encoding, separator.describe()))
}

fn read_workbook(name: &str, bytes: &[u8], options: &ReadOptions, mut builder: TableBuilder) -> Result<ReadTable, IngestError> {
    check_zip(name, bytes)?;
    let (sheets, sheet) = xlsx::read_sheet(bytes, options.sheet.as_deref(), &mut builder).map_err(|problem| xlsx_error(name, problem))?;
    Ok(ReadTable { table: builder.finish(), encoding: "XLSX", separator: "workbook", sheets, sheet: Some(sheet) })
}

/// Checks a ZIP's declared sizes and that it is a workbook.
fn check_zip(name: &str, bytes: &[u8]) -> Result<(), IngestError> {
    match xlsx::inspect_zip(bytes).map_err(|problem| xlsx_error(name, problem))? {
        xlsx::ZipContents::Xlsx => Ok(()),
        other => Err(xlsx_error(name, xlsx::XlsxProblem::NotAWorkbook(other))),
    }
}

/// Applies the user's names to the columns of a file without a header row.
pub(crate) fn name_columns(table: &mut TextTable, names: &[String]) {
    for (header, name) in table.headers.iter_mut().zip(names) {
        if !name.trim().is_empty() {
            *header = name.trim().to_string();
        }
    }
}

/// Rejects a file larger than the engine reads, from its size alone, so that a caller can check
/// before copying the file into memory.
pub fn check_file_size(name: &str, size_bytes: u64) -> Result<(), IngestError> {
    if size_bytes > limits::MAX_FILE_BYTES as u64 {
        return Err(too_large(name, "the file", limits::MAX_FILE_BYTES, "Split the export into smaller date ranges."));
    }
    Ok(())
}

fn too_large(file: &str, what: &str, limit_bytes: usize, advice: &str) -> IngestError {
    IngestError::TooLarge { file: file.to_string(), what: what.to_string(), limit: format_bytes(limit_bytes as u64), advice: advice.to_string() }
}

fn format_bytes(bytes: u64) -> String {
    match bytes {
        bytes if bytes >= 1 << 30 => format!("{} GiB", bytes >> 30),
        bytes if bytes >= 1 << 20 => format!("{} MiB", bytes >> 20),
        bytes => format!("{bytes} bytes"),
    }
}

fn limit_error(file: &str, limit: TableLimit) -> IngestError {
    match limit {
        TableLimit::TooManyColumns { line, columns } => IngestError::TooLarge {
            file: file.to_string(),
            what: format!("line {line}, with {columns} columns,"),
            limit: format!("{} columns", limits::MAX_COLUMNS),
            advice: "Check that the file is a table; remove unused columns before exporting.".to_string(),
        },
        TableLimit::RecordTooLong { line, bytes } => IngestError::TooLarge {
            file: file.to_string(),
            what: format!("the row starting on line {line} ({})", format_bytes(bytes as u64)),
            limit: format_bytes(limits::MAX_RECORD_BYTES as u64),
            advice: "A quote that is never closed makes the rest of the file one row: check that line in a text editor.".to_string(),
        },
    }
}

fn json_error(file: &str, problem: json::JsonProblem) -> IngestError {
    match problem {
        json::JsonProblem::TooDeep { line } => IngestError::TooLarge {
            file: file.to_string(),
            what: format!("the nesting of arrays and objects on line {line}"),
            limit: format!("{} levels", limits::MAX_JSON_DEPTH),
            advice: "Export events as flat objects, with properties one level deep.".to_string(),
        },
        json::JsonProblem::Invalid { line, message } => IngestError::InvalidJson { file: file.to_string(), line, detail: message },
        json::JsonProblem::NotObjects => IngestError::NotATable {
            file: file.to_string(),
            reason: "the JSON holds no list of objects (one object per event or row)".to_string(),
            advice: "Export JSON lines, one object per line, or an array of objects.".to_string(),
        },
        json::JsonProblem::Limit(limit) => limit_error(file, limit),
    }
}

fn xlsx_error(file: &str, problem: xlsx::XlsxProblem) -> IngestError {
    let file = file.to_string();
    match problem {
        xlsx::XlsxProblem::Bomb { declared_bytes } => IngestError::TooLarge {
            file,
            what: format!("the workbook's declared uncompressed size ({})", format_bytes(declared_bytes)),
            limit: format!("{} or a {}:1 compression ratio", format_bytes(limits::MAX_XLSX_UNCOMPRESSED_BYTES), limits::MAX_XLSX_COMPRESSION_RATIO),
            advice: "Save the sheet as CSV and drop that instead.".to_string(),
        },
        xlsx::XlsxProblem::NotAWorkbook(contents) => {
            let what = match contents {
                xlsx::ZipContents::OpenDocument => "an OpenDocument file (LibreOffice), not an XLSX workbook",
                xlsx::ZipContents::Word => "a Word document, not a table",
                xlsx::ZipContents::PowerPoint => "a PowerPoint presentation, not a table",
                _ => "a ZIP archive that is not an XLSX workbook",
            };
            IngestError::NotATable { file, reason: format!("this is {what}"), advice: "Unpack it or save the data as CSV or XLSX, then drop that file.".to_string() }
        }
        xlsx::XlsxProblem::Corrupt(detail) => IngestError::InvalidWorkbook { file, detail },
        xlsx::XlsxProblem::SheetNotFound { sheet, sheets } => {
            let sheets = sheets.iter().map(|name| format!("\"{name}\"")).collect::<Vec<_>>().join(", ");
            IngestError::SheetNotFound { file, sheet, sheets }
        }
        xlsx::XlsxProblem::EmptyWorkbook => IngestError::Empty { file },
        xlsx::XlsxProblem::Limit(limit) => limit_error(&file, limit),
    }
}
