//! Records to a table of text cells, stored by column: header rows detected (one, none, or the
//! two and three rows of survey tools), empty rows dropped, ragged rows reported.

use super::error::RowProblem;
use super::limits::{MAX_COLUMNS, MAX_RECORD_BYTES};
use super::profile::{ColumnProfile, ValueType};
use super::values::{is_missing, trim_cell};

/// One column's cells, kept in a single string with end offsets: far fewer allocations than a
/// `String` per cell.
#[derive(Clone, Debug, Default)]
pub struct TextColumn {
    text: String,
    ends: Vec<u32>,
}

impl TextColumn {
    /// Reserves room for `bytes` more bytes of text in `cells` more cells.
    pub fn reserve(&mut self, bytes: usize, cells: usize) {
        self.text.reserve(bytes);
        self.ends.reserve(cells);
    }

    pub fn push(&mut self, cell: &str) {
        self.text.push_str(cell);
        self.ends.push(self.text.len() as u32);
    }

    /// Removes the last cell, if any.
    fn pop(&mut self) {
        self.ends.pop();
        let end = self.ends.last().map_or(0, |end| *end as usize);
        self.text.truncate(end);
    }

    /// Returns the cell of a row (0-based data row).
    #[inline]
    pub fn get(&self, row: usize) -> &str {
        let start = if row == 0 { 0 } else { self.ends[row - 1] as usize };
        &self.text[start..self.ends[row] as usize]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Returns the cells in row order. It walks the cell ends once instead of looking up
    /// two ends per cell as [`TextColumn::get`] does.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let mut start = 0;
        self.ends.iter().map(move |end| {
            let cell = &self.text[start..*end as usize];
            start = *end as usize;
            cell
        })
    }
}

/// A file's cells as text, stored by column, before any type is decided.
#[derive(Debug, Default)]
pub struct TextTable {
    pub headers: Vec<String>,
    /// The text under each header in a second header row (Qualtrics question text,
    /// SurveyMonkey answer labels); empty strings when there is none.
    pub header_details: Vec<String>,
    /// Header rows above the data: 0 when the columns are numbered `column 1`, `column 2`, …
    pub header_rows: usize,
    pub columns: Vec<TextColumn>,
    /// The 1-based line where each row starts, for messages.
    pub row_lines: Vec<usize>,
    /// Rows skipped because they have fewer fields than the header.
    pub problems: Vec<RowProblem>,
}

impl TextTable {
    pub fn row_count(&self) -> usize {
        self.row_lines.len()
    }

    pub fn cell(&self, column: usize, row: usize) -> &str {
        self.columns[column].get(row)
    }
}

/// Why records could not become a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableLimit {
    TooManyColumns { line: usize, columns: usize },
    RecordTooLong { line: usize, bytes: usize },
}

/// Records kept in full to decide the header rows; the rest go straight into the columns.
const HEADER_SAMPLE_RECORDS: usize = 500;

/// How the header rows are decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderRows {
    Detect,
    Exactly(usize),
}

/// Builds a [`TextTable`] from records pushed one by one.
pub struct TableBuilder {
    header_rows: HeaderRows,
    pending: Vec<(usize, Vec<String>)>,
    table: Option<TextTable>,
    width: usize,
    /// The text's length in bytes, when known, to size the columns from the first records.
    text_bytes: Option<usize>,
    /// The width of a later part's rows, which the header rows of the first part decided.
    fixed_width: Option<usize>,
}

impl TableBuilder {
    pub fn new(header_rows: HeaderRows) -> Self {
        TableBuilder { header_rows, pending: Vec::new(), table: None, width: 0, text_bytes: None, fixed_width: None }
    }

    /// Builds the table of a later part of a file (see [`super::part`]): no header rows, and
    /// every record a data row of `width` fields, as the first part's header rows decided.
    pub fn for_later_part(width: usize) -> Self {
        TableBuilder { fixed_width: Some(width), ..TableBuilder::new(HeaderRows::Exactly(0)) }
    }

    /// Tells the builder that the records come from `bytes` bytes of delimited text, so that it
    /// can reserve each column's storage once, from the first records, instead of growing it.
    pub fn expect_text_bytes(&mut self, bytes: usize) {
        self.text_bytes = Some(bytes);
    }

    /// Adds one record, starting on `line` (1-based). Blank records are dropped. Until the
    /// header rows are decided, `fields` is read twice, once to measure the record and once to
    /// keep it, so that a record needs no allocation of its own.
    pub fn push<'a>(&mut self, line: usize, fields: impl ExactSizeIterator<Item = &'a str> + Clone) -> Result<(), TableLimit> {
        let columns = fields.len();
        if columns > MAX_COLUMNS {
            return Err(TableLimit::TooManyColumns { line, columns });
        }
        let cells = fields.map(trim_cell);
        if self.table.is_some() {
            return self.push_row(line, cells, columns);
        }
        let shape = RecordShape::of(cells.clone());
        if shape.bytes > MAX_RECORD_BYTES {
            return Err(TableLimit::RecordTooLong { line, bytes: shape.bytes });
        }
        if shape.used == 0 {
            return Ok(());
        }
        self.pending.push((line, cells.map(str::to_string).collect()));
        if self.pending.len() == HEADER_SAMPLE_RECORDS {
            self.start_table();
        }
        Ok(())
    }

    /// Returns the finished table.
    pub fn finish(mut self) -> TextTable {
        if self.table.is_none() {
            self.start_table();
        }
        self.table.unwrap_or_default()
    }

    fn start_table(&mut self) {
        let records = std::mem::take(&mut self.pending);
        let header_rows = match self.header_rows {
            HeaderRows::Exactly(count) => count.min(records.len()),
            HeaderRows::Detect => detect_header_rows(&records),
        };
        let header_width = records.iter().take(header_rows.max(1)).map(|(_, cells)| cells.len()).max().unwrap_or(0);
        self.width = self.fixed_width.unwrap_or(header_width);
        let header_records: Vec<&Vec<String>> = records.iter().take(header_rows).map(|(_, cells)| cells).collect();
        let (headers, header_details) = name_headers(&header_records, self.width);
        self.table = Some(TextTable {
            headers,
            header_details,
            header_rows,
            columns: vec![TextColumn::default(); self.width],
            ..TextTable::default()
        });
        self.reserve_columns(&records[header_rows.min(records.len())..]);
        for (line, cells) in records.iter().skip(header_rows) {
            let cells = cells.iter().map(String::as_str);
            let used = RecordShape::of(cells.clone()).used;
            self.add_row(*line, cells.clone(), cells.len(), used);
        }
    }

    /// Reserves each column's text and cell ends for the whole text, estimated from the share
    /// of the text that `sample` covers: its cells plus one separator or line end per cell.
    /// The estimate is raised by a tenth so that a file whose later rows are a little longer
    /// still fits without growing.
    fn reserve_columns(&mut self, sample: &[(usize, Vec<String>)]) {
        let (Some(text_bytes), Some(table)) = (self.text_bytes, self.table.as_mut()) else { return };
        let sample_bytes: usize = sample.iter().map(|(_, cells)| cells.iter().map(|cell| cell.len() + 1).sum::<usize>()).sum();
        if sample.len() < HEADER_SAMPLE_RECORDS / 2 || sample_bytes == 0 {
            return;
        }
        let scale = text_bytes as f64 / sample_bytes as f64 * 1.1;

        table.row_lines.reserve((sample.len() as f64 * scale) as usize);
        for (index, column) in table.columns.iter_mut().enumerate() {
            let column_bytes: usize = sample.iter().map(|(_, cells)| cells.get(index).map_or(0, String::len)).sum();
            column.reserve((column_bytes as f64 * scale) as usize, (sample.len() as f64 * scale) as usize);
        }
    }

    /// Adds the `count` trimmed cells of one record, of which the first `used` hold every
    /// non-empty one, as a row, or reports a ragged record.
    fn add_row<'a>(&mut self, line: usize, cells: impl Iterator<Item = &'a str>, count: usize, used: usize) {
        let width = self.width;
        let Some(table) = self.table.as_mut() else { return };
        if count < width || used > width {
            report_ragged(table, line, count, used, width);
            return;
        }
        for (column, cell) in table.columns.iter_mut().zip(cells) {
            column.push(cell);
        }
        table.row_lines.push(line);
    }

    /// Adds a record's `count` trimmed cells once the table has started, as [`TableBuilder::push`]
    /// documents, in one pass. Each cell goes into its column while the record is measured, and
    /// the cells are removed again when the record is too long, blank or ragged.
    fn push_row<'a>(&mut self, line: usize, cells: impl Iterator<Item = &'a str>, count: usize) -> Result<(), TableLimit> {
        let width = self.width;
        let Some(table) = self.table.as_mut() else { return Ok(()) };
        let mut shape = RecordShape { bytes: 0, used: 0 };
        for (index, cell) in cells.enumerate() {
            shape.bytes += cell.len();
            if !cell.is_empty() {
                shape.used = index + 1;
            }
            if let Some(column) = table.columns.get_mut(index) {
                column.push(cell);
            }
        }
        let complete = count >= width && shape.used <= width;
        if complete && shape.bytes <= MAX_RECORD_BYTES && shape.used > 0 {
            table.row_lines.push(line);
            return Ok(());
        }

        table.columns.iter_mut().take(count).for_each(TextColumn::pop);
        if shape.bytes > MAX_RECORD_BYTES {
            return Err(TableLimit::RecordTooLong { line, bytes: shape.bytes });
        }
        if shape.used > 0 {
            report_ragged(table, line, count, shape.used, width);
        }
        Ok(())
    }
}

/// Reports a record of `count` cells whose first `used` hold every non-empty one, when it has
/// fewer cells than the `width` of the header or more non-empty ones.
fn report_ragged(table: &mut TextTable, line: usize, count: usize, used: usize, width: usize) {
    let found = if count < width { count } else { used };
    table.problems.push(RowProblem {
        line,
        column: None,
        found: format!("{found} fields"),
        expected: format!("{width} fields like the header"),
    });
}

/// The size of one record's trimmed cells, found in one pass.
struct RecordShape {
    /// Bytes in all cells.
    bytes: usize,
    /// Cells up to and including the last non-empty one; 0 for a blank record.
    used: usize,
}

impl RecordShape {
    fn of<'a>(cells: impl Iterator<Item = &'a str>) -> Self {
        let mut shape = RecordShape { bytes: 0, used: 0 };
        for (index, cell) in cells.enumerate() {
            shape.bytes += cell.len();
            if !cell.is_empty() {
                shape.used = index + 1;
            }
        }
        shape
    }
}

/// Decides how many of the first records are header rows: three for a Qualtrics export (the
/// third row holds `{"ImportId":…}`), two when the second row is also text over typed columns
/// (SurveyMonkey's answer labels), one when the first row does not fit its columns' types,
/// and none otherwise.
fn detect_header_rows(records: &[(usize, Vec<String>)]) -> usize {
    let starts_import_id = |row: &(usize, Vec<String>)| row.1.first().is_some_and(|cell| cell.starts_with("{\"ImportId\""));
    if records.len() >= 3 && starts_import_id(&records[2]) {
        return 3;
    }
    if records.len() < 2 {
        return 1;
    }
    let width = records[0].1.len();
    let types: Vec<ValueType> = (0..width).map(|column| column_type(&records[1..], column)).collect();
    if !row_is_header(&records[0].1, &types) {
        return 0;
    }
    if records.len() >= 3 {
        let below_second: Vec<ValueType> = (0..width).map(|column| column_type(&records[2..], column)).collect();
        if row_is_header(&records[1].1, &below_second) && !any_typed_cell_fits(&records[1].1, &below_second) {
            return 2;
        }
    }
    1
}

fn column_type(records: &[(usize, Vec<String>)], column: usize) -> ValueType {
    let cells = records.iter().filter_map(|(_, cells)| cells.get(column).map(String::as_str));
    ColumnProfile::of(cells, is_missing).value_type()
}

/// A row is a header when some typed column rejects its cell, or when no column is typed.
fn row_is_header(row: &[String], types: &[ValueType]) -> bool {
    let mut any_typed_column = false;
    for (column, value_type) in types.iter().enumerate() {
        if *value_type == ValueType::Text {
            continue;
        }
        any_typed_column = true;
        let cell = row.get(column).map_or("", String::as_str);
        if !is_missing(cell) && !accepts(*value_type, cell) {
            return true;
        }
    }
    !any_typed_column
}

fn any_typed_cell_fits(row: &[String], types: &[ValueType]) -> bool {
    types.iter().enumerate().any(|(column, value_type)| {
        let cell = row.get(column).map_or("", String::as_str);
        *value_type != ValueType::Text && !is_missing(cell) && accepts(*value_type, cell)
    })
}

fn accepts(value_type: ValueType, cell: &str) -> bool {
    let profile = ColumnProfile::of([cell], is_missing);
    let found = profile.value_type();
    found == value_type || (value_type == ValueType::Number && found == ValueType::Bool)
}

/// Answer labels of a second header row that add nothing to the question above them.
const PLAIN_ANSWER_LABELS: [&str; 2] = ["Response", "Open-Ended Response"];

/// Names the columns from the header records: the first row, a blank first-row cell taking
/// the question to its left (SurveyMonkey spreads one question over several columns) joined
/// with its own answer label, then numbered names for blanks and ` (2)`, ` (3)` for duplicates.
fn name_headers(rows: &[&Vec<String>], width: usize) -> (Vec<String>, Vec<String>) {
    let cell = |row: usize, column: usize| rows.get(row).and_then(|cells| cells.get(column)).map_or("", String::as_str);
    let mut names: Vec<String> = Vec::with_capacity(width);
    let mut details = Vec::with_capacity(width);
    let mut question_to_left = "";
    let survey_monkey = rows.len() == 2;
    for column in 0..width {
        let (top, detail) = (cell(0, column), cell(1, column));
        details.push(detail.to_string());
        let base = if !top.is_empty() {
            question_to_left = top;
            match survey_monkey && !detail.is_empty() && !PLAIN_ANSWER_LABELS.contains(&detail) {
                true => format!("{top} - {detail}"),
                false => top.to_string(),
            }
        } else if survey_monkey && !detail.is_empty() && !question_to_left.is_empty() {
            format!("{question_to_left} - {detail}")
        } else if rows.is_empty() || top.is_empty() {
            format!("column {}", column + 1)
        } else {
            top.to_string()
        };
        names.push(unique_name(&names, base));
    }
    (names, details)
}

fn unique_name(names: &[String], base: String) -> String {
    let mut name = base.clone();
    let mut copy = 2;
    while names.contains(&name) {
        name = format!("{base} ({copy})");
        copy += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table_of(rows: &[&[&str]]) -> TextTable {
        let mut builder = TableBuilder::new(HeaderRows::Detect);
        for (index, row) in rows.iter().enumerate() {
            builder.push(index + 1, row.iter().copied()).unwrap();
        }
        builder.finish()
    }

    #[test]
    fn header_row_is_detected() {
        let table = table_of(&[&["id", "amount"], &["1", "2.5"], &["2", "3"]]);
        assert_eq!(table.header_rows, 1);
        assert_eq!(table.headers, ["id", "amount"]);
        assert_eq!(table.row_count(), 2);
    }

    #[test]
    fn headerless_numeric_file_gets_column_names() {
        let table = table_of(&[&["00004", "19970101", "29.33"], &["00004", "19970118", "29.73"]]);
        assert_eq!(table.header_rows, 0);
        assert_eq!(table.headers[0], "column 1");
        assert_eq!(table.columns[2].iter().collect::<Vec<_>>(), ["29.33", "29.73"]);
        assert_eq!(table.row_lines, [1, 2]);
    }

    #[test]
    fn ragged_rows_are_reported_with_line() {
        let table = table_of(&[&["a", "b"], &["1", "2"], &["3"], &["4", "5"]]);
        assert_eq!(table.row_count(), 2);
        assert_eq!(table.problems.len(), 1);
        assert_eq!(table.problems[0].line, 3);
    }

    #[test]
    fn rows_after_header_sample_keep_columns_aligned() {
        let mut rows: Vec<Vec<String>> = vec![vec!["id".into(), "amount".into()]];
        rows.extend((0..HEADER_SAMPLE_RECORDS + 10).map(|index| vec![index.to_string(), format!("{index}.5")]));
        let late = HEADER_SAMPLE_RECORDS + 3;
        rows[late] = vec!["short".into()];
        rows[late + 1] = vec!["x".into(), "1".into(), "extra".into()];
        rows[late + 2] = vec![String::new(), " ".into()];
        rows[late + 3] = vec!["kept".into(), "2".into(), String::new()];
        let row_refs: Vec<Vec<&str>> = rows.iter().map(|row| row.iter().map(String::as_str).collect()).collect();
        let slices: Vec<&[&str]> = row_refs.iter().map(Vec::as_slice).collect();

        let table = table_of(&slices);

        assert_eq!(table.row_count(), HEADER_SAMPLE_RECORDS + 7);
        let lines: Vec<usize> = table.problems.iter().map(|problem| problem.line).collect();
        assert_eq!(lines, [late + 1, late + 2]);
        let ids: Vec<&str> = table.columns[0].iter().collect();
        let amounts: Vec<&str> = table.columns[1].iter().collect();
        assert_eq!(ids.len(), amounts.len());
        let kept = ids.iter().position(|id| *id == "kept").unwrap();
        assert_eq!((ids[kept - 1], amounts[kept - 1]), ((late - 2).to_string().as_str(), format!("{}.5", late - 2).as_str()));
        assert_eq!(amounts[kept], "2");
        assert_eq!((ids[kept + 1], amounts[kept + 1]), ((late + 3).to_string().as_str(), format!("{}.5", late + 3).as_str()));
    }

    #[test]
    fn long_record_after_header_sample_is_an_error() {
        let mut builder = TableBuilder::new(HeaderRows::Exactly(1));
        builder.push(1, ["id", "note"].into_iter()).unwrap();
        for line in 2..HEADER_SAMPLE_RECORDS + 5 {
            builder.push(line, ["1", "a"].into_iter()).unwrap();
        }
        let long = "x".repeat(MAX_RECORD_BYTES + 1);
        let error = builder.push(900, ["2", long.as_str()].into_iter()).unwrap_err();
        assert_eq!(error, TableLimit::RecordTooLong { line: 900, bytes: MAX_RECORD_BYTES + 2 });
        builder.push(901, ["3", "b"].into_iter()).unwrap();
        let table = builder.finish();
        assert_eq!(table.columns[1].get(table.row_count() - 1), "b");
        assert_eq!(table.columns[0].len(), table.row_count());
    }

    #[test]
    fn duplicate_headers_are_kept_apart() {
        let table = table_of(&[&["Amount", "Amount"], &["1", "2"]]);
        assert_eq!(table.headers, ["Amount", "Amount (2)"]);
    }

    #[test]
    fn survey_monkey_second_row_names_subcolumns() {
        let table = table_of(&[
            &["Respondent ID", "How likely?", "Which plan?", ""],
            &["", "Response", "Basic", "Pro"],
            &["1001", "9", "Basic", ""],
            &["1002", "6", "", "Pro"],
        ]);
        assert_eq!(table.header_rows, 2);
        assert_eq!(table.headers, ["Respondent ID", "How likely?", "Which plan? - Basic", "Which plan? - Pro"]);
        assert_eq!(table.row_count(), 2);
    }

    #[test]
    fn record_limits_are_errors() {
        let mut builder = TableBuilder::new(HeaderRows::Detect);
        let wide = vec!["x"; MAX_COLUMNS + 1];
        let error = builder.push(1, wide.into_iter()).unwrap_err();
        assert_eq!(error, TableLimit::TooManyColumns { line: 1, columns: MAX_COLUMNS + 1 });
    }
}
