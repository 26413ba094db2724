//! Reading one large text file in two parts at once, each on its own worker, with the same
//! result as reading it whole.
//!
//! The file is cut after the first line feed past its middle ([`second_part_start`]). The
//! first worker reads the start of the file and sends the [`PartLayout`] (separator, width,
//! missing-value markers) to the second. Both split and profile their part. The first merges
//! the profiles, decides the kind, roles and formats as for a whole file ([`decide_parts`]),
//! and sends the [`TypingPlan`]. Both type their rows, and the first appends the second's rows
//! to its own ([`finish_parts`]).
//!
//! Only UTF-8 text without any quote character, split on one character, is read in parts: a
//! record of such text is exactly a line. Any other file, and any doubt (a layout that the
//! whole first part does not confirm, detected "no answer" codes, a kind other than product
//! events and transactions, a file that no kind fits), makes the caller read the file whole,
//! so that errors and messages come from one place.

use serde::{Deserialize, Serialize};

use super::build_events::{event_rows, EventRows};
use super::build_money::{append_transactions, finish_transactions, transaction_rows};
use super::container::{self, Container};
use super::dataset::{Dataset, Transactions};
use super::decode::decode;
use super::dialect::{detect_separator, Separator};
use super::error::{IngestError, RowProblem};
use super::mapping::{header_fingerprint, DataKind, Mapping, ReadOptions};
use super::profile::{ColumnFormat, ColumnProfile};
use super::recognise::{decide, profile_columns, samples, score_sentinels, Decided, Decision, Found};
use super::roles::{Role, SAMPLE_VALUES};
use super::rows::{Context, RoleMap};
use super::split::{is_plain, split_plain};
use super::table::{HeaderRows, TableBuilder, TextTable};
use super::{listed_problems, name_columns, LoadedFile};

/// Files smaller than this are read whole: the second worker's messages would cost about what
/// it saves.
pub const PART_MIN_BYTES: usize = 2 << 20;

/// Bytes after the middle of a file in which the second part's first line must start.
pub const PART_WINDOW_BYTES: usize = 1 << 16;

/// Rows the first part must have: the format checks read a column's first 1000 values.
const FIRST_PART_MIN_ROWS: usize = 1000;

/// Bytes at the start of the first part from which the layout is read.
const LAYOUT_SAMPLE_BYTES: usize = 2 << 20;

/// Returns the offset of the middle of a file of `size` bytes, after which
/// [`second_part_start`] looks for the second part's start.
pub fn middle(size: usize) -> usize {
    size / 2
}

/// Returns where the second part starts: just after the first line feed in the first
/// [`PART_WINDOW_BYTES`] of `from_middle`, the file's bytes from [`middle`] on. Returns `None`
/// when there is no line feed there, or when it is the file's last byte.
pub fn second_part_start(size: usize, from_middle: &[u8]) -> Option<usize> {
    let window = &from_middle[..from_middle.len().min(PART_WINDOW_BYTES)];
    let line_feed = memchr::memchr(b'\n', window)?;
    let start = middle(size) + line_feed + 1;
    (start < size).then_some(start)
}

/// Returns the second part of a file of `size` bytes, cut as [`second_part_start`] cuts it,
/// from `from_middle`, the file's bytes from [`middle`] to the end.
pub fn later_part(size: usize, from_middle: &[u8]) -> Option<&[u8]> {
    let start = second_part_start(size, from_middle)?;
    from_middle.get(start - middle(size)..)
}

/// How both parts split their text: what the start of the file decides.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartLayout {
    pub separator: u8,
    /// Fields per record, as the header rows give them.
    pub width: usize,
    /// The column names, for the messages about the second part's rows.
    pub headers: Vec<String>,
    /// The user's missing-value markers.
    pub sentinels: Vec<String>,
}

/// Reads the layout from the start of the first part, or `None` when the file is to be read
/// whole: not UTF-8 text, not split on one character, or with a quote character.
pub fn part_layout(first: &[u8], options: &ReadOptions) -> Option<PartLayout> {
    if container::classify(first).ok()? != Container::Text {
        return None;
    }
    let sample_end = memchr::memrchr(b'\n', &first[..first.len().min(LAYOUT_SAMPLE_BYTES)])? + 1;
    let decoded = decode(&first[..sample_end]);
    let text: &str = &decoded.text;
    if decoded.encoding != encoding_rs::UTF_8.name() || !is_plain(text) {
        return None;
    }
    let Separator::Char(separator) = options.separator.unwrap_or_else(|| detect_separator(text)) else { return None };
    let mut table = split_table(text, separator, header_rows(options), &mut |_| {})?;
    name_columns(&mut table, &options.column_names);
    Some(PartLayout { separator, width: table.columns.len(), headers: table.headers, sentinels: options.missing_sentinels.clone() })
}

/// The first part of a file, split and profiled.
pub struct FirstPart {
    pub table: TextTable,
    pub profiles: Vec<ColumnProfile>,
    pub encoding: &'static str,
    pub separator: Separator,
    /// Lines in the part, which the second part's line numbers follow.
    pub lines: usize,
}

/// Splits and profiles the first part of a file, or returns `None` when it does not confirm
/// `layout` (or is empty), so that the file is read whole. `progress` receives the bytes of
/// text split so far, out of the part's text length.
pub fn read_first_part(first: &[u8], layout: &PartLayout, options: &ReadOptions, progress: &mut dyn FnMut(usize, usize)) -> Option<FirstPart> {
    let decoded = decode(first);
    let text: &str = &decoded.text;
    if decoded.encoding != encoding_rs::UTF_8.name() || !is_plain(text) {
        return None;
    }
    let separator = options.separator.unwrap_or_else(|| detect_separator(text));
    if separator != Separator::Char(layout.separator) {
        return None;
    }
    let mut table = split_table(text, layout.separator, header_rows(options), &mut |processed| progress(processed, text.len()))?;
    name_columns(&mut table, &options.column_names);
    // The format checks that read a column's first values must find them all in this part.
    if table.headers != layout.headers || table.row_count() < FIRST_PART_MIN_ROWS {
        return None;
    }
    let profiles = profile_columns(&table, &layout.sentinels);
    Some(FirstPart { table, profiles, encoding: decoded.encoding, separator, lines: line_count(text) })
}

/// The second part of a file, split and profiled.
pub struct LaterPart {
    pub table: TextTable,
    pub found: LaterFound,
}

/// The second part's profiles, samples and row count: all the first worker needs to decide,
/// a few kilobytes whatever the part's size.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LaterFound {
    pub profiles: Vec<ColumnProfile>,
    /// Each column's first distinct values, for the samples shown with the columns.
    pub samples: Vec<Vec<String>>,
    /// Data rows, whether usable or not.
    pub rows: usize,
}

/// Splits and profiles the second part of a file with `layout`, or returns `None` when
/// it is not quote-free UTF-8, so that the file is read whole.
pub fn read_later_part(later: &[u8], layout: &PartLayout) -> Option<LaterPart> {
    let text = std::str::from_utf8(later).ok()?;
    if !is_plain(text) {
        return None;
    }
    let mut builder = TableBuilder::for_later_part(layout.width);
    builder.expect_text_bytes(text.len());
    split_plain(text, layout.separator, &mut builder, &mut |_| {}).ok()?;
    let mut table = builder.finish();
    table.headers = layout.headers.clone();

    let profiles = profile_columns(&table, &layout.sentinels);
    let samples = (0..table.columns.len()).map(|column| samples(&table, &[], column, SAMPLE_VALUES.max(3))).collect();
    let rows = table.row_count() + table.problems.len();
    Some(LaterPart { table, found: LaterFound { profiles, samples, rows } })
}

/// The kind, roles, formats and markers decided from both parts, with which the second worker
/// types its rows.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TypingPlan {
    pub kind: DataKind,
    pub roles: Vec<Option<Role>>,
    pub formats: Vec<ColumnFormat>,
    pub sentinels: Vec<String>,
}

/// Decides the kind, roles and formats from both parts' profiles, as [`super::read_file_with`]
/// or, with `mapping`, [`super::read_file_mapped`] would for the whole file. Returns `None`
/// when the file is to be read whole (see the module documentation).
pub fn decide_parts(name: &str, first: &FirstPart, later: &LaterFound, options: &ReadOptions, mapping: Option<&Mapping>) -> Option<Decision> {
    let mut profiles = first.profiles.clone();
    for (profile, later_profile) in profiles.iter_mut().zip(&later.profiles) {
        profile.merge(later_profile);
    }
    if mapping.is_none() && options.missing_sentinels.is_empty() && !score_sentinels(&first.table.headers, &profiles).is_empty() {
        return None;
    }
    let found = Found {
        table: &first.table,
        later_samples: &later.samples,
        profiles: &profiles,
        sentinels: options.missing_sentinels.clone(),
        detected_sentinels: Vec::new(),
    };
    let mapping = mapping.map(|mapping| (mapping.kind, mapping.roles.as_slice()));
    match decide(name, found, options, mapping, first.separator == Separator::Char(b';')).ok()? {
        Decided::Typed(decision) if matches!(decision.kind, DataKind::Events | DataKind::Transactions) => Some(decision),
        _ => None,
    }
}

impl Decision {
    pub fn typing_plan(&self) -> TypingPlan {
        TypingPlan { kind: self.kind, roles: self.roles.roles.clone(), formats: self.formats.clone(), sentinels: self.sentinels.clone() }
    }
}

/// The typed rows of one part, with the problems of its rows; line numbers count from the
/// part's first line.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TypedPart {
    rows: PartRows,
    problems: Vec<RowProblem>,
    excluded_rows: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
enum PartRows {
    Events(EventRows),
    Transactions(#[serde(with = "transactions_by_day")] Transactions),
}

/// Encodes a transaction log with its dates as day numbers: chrono's own encoding writes and
/// parses each date as text, which took longer than typing the rows.
mod transactions_by_day {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::ingest::dataset::Transactions;
    use crate::ingest::money::Money;
    use crate::ingest::part_wire;

    #[derive(Deserialize)]
    struct ByDay {
        customer_ids: Vec<String>,
        #[serde(deserialize_with = "part_wire::deserialize")]
        customer: Vec<u32>,
        /// Days since 0001-01-01 (`NaiveDate::num_days_from_ce`).
        #[serde(deserialize_with = "part_wire::deserialize")]
        days: Vec<i32>,
        #[serde(deserialize_with = "part_wire::deserialize")]
        amount: Vec<Money>,
        currencies: Vec<String>,
        #[serde(deserialize_with = "part_wire::deserialize")]
        currency: Vec<u16>,
    }

    /// [`ByDay`] borrowing the log, for writing: sequences encode alike whether owned or not.
    #[derive(Serialize)]
    struct ByDayRef<'a> {
        customer_ids: &'a [String],
        #[serde(serialize_with = "part_wire::serialize")]
        customer: &'a [u32],
        #[serde(serialize_with = "part_wire::serialize")]
        days: Vec<i32>,
        #[serde(serialize_with = "part_wire::serialize")]
        amount: &'a [Money],
        currencies: &'a [String],
        #[serde(serialize_with = "part_wire::serialize")]
        currency: &'a [u16],
    }

    pub fn serialize<S: Serializer>(log: &Transactions, serializer: S) -> Result<S::Ok, S::Error> {
        use chrono::Datelike;
        let by_day = ByDayRef {
            customer_ids: &log.customer_ids,
            customer: &log.customer,
            days: log.date.iter().map(NaiveDate::num_days_from_ce).collect(),
            amount: &log.amount,
            currencies: &log.currencies,
            currency: &log.currency,
        };
        by_day.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Transactions, D::Error> {
        let ByDay { customer_ids, customer, days, amount, currencies, currency } = ByDay::deserialize(deserializer)?;
        // Logs in date order repeat each day over a run of rows, and each run is converted once.
        let mut last: Option<(i32, NaiveDate)> = None;
        let mut to_date = |day: i32| match last {
            Some((known, date)) if known == day => Ok(date),
            _ => {
                let date = NaiveDate::from_num_days_from_ce_opt(day).ok_or_else(|| serde::de::Error::custom("a day number out of range"))?;
                last = Some((day, date));
                Ok(date)
            }
        };
        let date = days.into_iter().map(&mut to_date).collect::<Result<_, D::Error>>()?;
        Ok(Transactions { customer_ids, customer, date, amount, currencies, currency })
    }
}

/// Types the rows of a part's table with `plan`. The table's own problems (ragged rows)
/// come first. The typed columns reserve room for `rows_after` more rows, those of a later part
/// that will be appended to these.
pub fn type_part(table: &TextTable, plan: &TypingPlan, rows_after: usize) -> TypedPart {
    let roles = RoleMap { roles: plan.roles.clone() };
    let mut context = Context { table, formats: &plan.formats, sentinels: &plan.sentinels, problems: table.problems.clone(), excluded_rows: 0, rows_after };
    let rows = match plan.kind {
        DataKind::Events => PartRows::Events(event_rows(&mut context, &roles).unwrap_or_default()),
        _ => PartRows::Transactions(transaction_rows(&mut context, &roles).unwrap_or_default()),
    };
    TypedPart { rows, problems: context.problems, excluded_rows: context.excluded_rows }
}

impl TypedPart {
    /// Encodes the part for the message to the first worker. The encoding's size is computed
    /// first, so that the tens of megabytes of a large part are written once, into a buffer of
    /// the right size, instead of being copied each time a growing buffer doubles.
    pub fn to_bytes(&self) -> Vec<u8> {
        let Ok(size) = postcard::experimental::serialized_size(self) else { return Vec::new() };
        postcard::to_extend(self, Vec::with_capacity(size)).unwrap_or_default()
    }

    /// Decodes a part sent by [`TypedPart::to_bytes`]; `None` when the bytes are not one.
    pub fn from_bytes(bytes: &[u8]) -> Option<TypedPart> {
        postcard::from_bytes(bytes).ok()
    }
}

/// The first part's reading, ready to take the second part's typed rows.
pub struct FirstReading {
    name: String,
    size_bytes: usize,
    first: FirstPart,
    typed: TypedPart,
    decision: Decision,
    options: ReadOptions,
    later_rows: usize,
}

impl FirstReading {
    /// Types the first part of file `name` (of `size_bytes` bytes) with `decision`, then
    /// frees its text. `later_rows` are the second part's rows ([`LaterFound::rows`]).
    pub fn new(name: &str, size_bytes: usize, mut first: FirstPart, decision: Decision, options: &ReadOptions, later_rows: usize) -> FirstReading {
        let typed = type_part(&first.table, &decision.typing_plan(), later_rows);
        first.table.columns = Vec::new();
        FirstReading { name: name.to_string(), size_bytes, first, typed, decision, options: options.clone(), later_rows }
    }
}

/// Appends the second part's typed rows to the first's and returns the file as reading it whole
/// returns it.
pub fn finish_parts(reading: FirstReading, later: TypedPart) -> Result<LoadedFile, IngestError> {
    let FirstReading { name, size_bytes, first, typed, decision, options, later_rows } = reading;
    let line_offset = first.lines;
    let mut problems = typed.problems;
    problems.extend(later.problems.into_iter().map(|problem| RowProblem { line: problem.line + line_offset, ..problem }));
    let dataset = match (typed.rows, later.rows) {
        (PartRows::Events(mut events), PartRows::Events(later_events)) => {
            events.append(later_events);
            Dataset::Events(events.finish())
        }
        (PartRows::Transactions(mut log), PartRows::Transactions(later_log)) => {
            append_transactions(&mut log, later_log);
            Dataset::Transactions(finish_transactions(log))
        }
        _ => return Err(IngestError::NoUsableRows { file: name, first_problem: "the two parts of the file were typed as different kinds".to_string() }),
    };

    let table = &first.table;
    let rows_in_file = table.row_count() + table.problems.len() + later_rows;
    let rows_read = dataset.row_count();
    let (problems, problem_count) = listed_problems(problems);
    if rows_read == 0 {
        let first_problem = problems.first().map(ToString::to_string).unwrap_or_else(|| "every row was left out".to_string());
        return Err(IngestError::NoUsableRows { file: name, first_problem });
    }
    Ok(LoadedFile {
        name,
        size_bytes,
        encoding: first.encoding,
        separator: first.separator.describe(),
        has_header_row: table.header_rows > 0,
        header_rows: table.header_rows,
        rows_in_file,
        rows_read,
        rows_excluded: typed.excluded_rows + later.excluded_rows,
        dataset,
        fingerprint: header_fingerprint(&table.headers),
        mapping: Mapping { kind: decision.kind, roles: decision.roles.roles, options },
        columns: decision.columns,
        ambiguities: decision.ambiguities,
        detected_sentinels: Vec::new(),
        sheets: Vec::new(),
        sheet: None,
        problems,
        problem_count,
    })
}

fn header_rows(options: &ReadOptions) -> HeaderRows {
    match options.header_rows {
        Some(count) => HeaderRows::Exactly(count),
        None => HeaderRows::Detect,
    }
}

/// Splits text that [`is_plain`] accepts into a table, or `None` when a record exceeds a
/// limit. `progress` receives the bytes of text split so far.
fn split_table(text: &str, separator: u8, header_rows: HeaderRows, progress: &mut dyn FnMut(usize)) -> Option<TextTable> {
    let mut builder = TableBuilder::new(header_rows);
    builder.expect_text_bytes(text.len());
    split_plain(text, separator, &mut builder, progress).ok()?;
    Some(builder.finish())
}

fn line_count(text: &str) -> usize {
    memchr::memchr_iter(b'\n', text.as_bytes()).count()
}

/// Reads `bytes` in two parts in this thread, with the steps the two workers take, or returns
/// `None` when the file is to be read whole. The result equals [`super::read_file_with`]'s
/// (or, with `mapping`, [`super::read_file_mapped`]'s); the tests check that it does.
pub fn read_in_parts(name: &str, bytes: &[u8], options: &ReadOptions, mapping: Option<&Mapping>) -> Option<Result<LoadedFile, IngestError>> {
    let middle = middle(bytes.len());
    let start = second_part_start(bytes.len(), &bytes[middle..])?;
    let first_bytes = &bytes[..start];
    let later_bytes = later_part(bytes.len(), &bytes[middle..])?;
    let layout = part_layout(first_bytes, options)?;
    let later = read_later_part(later_bytes, &layout)?;
    let first = read_first_part(first_bytes, &layout, options, &mut |_, _| {})?;

    let decision = decide_parts(name, &first, &later.found, options, mapping)?;
    let plan = decision.typing_plan();
    let later_typed = TypedPart::from_bytes(&type_part(&later.table, &plan, 0).to_bytes())?;
    let reading = FirstReading::new(name, bytes.len(), first, decision, options, later.found.rows);
    Some(finish_parts(reading, later_typed))
}
