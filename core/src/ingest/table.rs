//! Text to a table of string cells: records split by the detected separator, header detected.

use super::dialect::Separator;
use super::error::RowProblem;
use super::profile::{ColumnProfile, ValueType};

/// A file's cells as text, stored by column, before any type is decided.
#[derive(Debug, Default)]
pub struct TextTable {
    pub headers: Vec<String>,
    /// False when the file had no header row and the headers are `column 1`, `column 2`, …
    pub has_header_row: bool,
    pub columns: Vec<Vec<String>>,
    /// The 1-based line where each row starts, for messages.
    pub row_lines: Vec<usize>,
    /// Rows skipped because their number of fields differs from the header's.
    pub problems: Vec<RowProblem>,
}

impl TextTable {
    pub fn row_count(&self) -> usize {
        self.row_lines.len()
    }
}

/// Splits the text into records and decides whether the first one is a header.
pub fn split_table(text: &str, separator: Separator) -> TextTable {
    let records = match separator {
        Separator::Whitespace => split_whitespace_records(text),
        Separator::Char(byte) => split_csv_records(text, byte),
    };
    build_table(records)
}

/// One record with the line it starts on.
type Record = (usize, Vec<String>);

fn split_whitespace_records(text: &str) -> Vec<Record> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| (index + 1, line.split_whitespace().map(str::to_string).collect()))
        .collect()
}

fn split_csv_records(text: &str, separator: u8) -> Vec<Record> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());

    let mut records = Vec::new();
    for result in reader.records() {
        // The csv crate only fails here on invalid UTF-8, which decoding has already excluded.
        let Ok(record) = result else { continue };
        let line = record.position().map_or(0, |position| position.line() as usize);
        let cells: Vec<String> = record.iter().map(|cell| cell.trim().to_string()).collect();
        if cells.iter().all(|cell| cell.is_empty()) {
            continue;
        }
        records.push((line, cells));
    }
    records
}

fn build_table(mut records: Vec<Record>) -> TextTable {
    let mut table = TextTable::default();
    if records.is_empty() {
        return table;
    }

    let width = records[0].1.len();
    table.has_header_row = first_record_is_header(&records, width);
    if table.has_header_row {
        let (_, header) = records.remove(0);
        table.headers = name_headers(header);
    } else {
        table.headers = (1..=width).map(|index| format!("column {index}")).collect();
    }

    table.columns = vec![Vec::with_capacity(records.len()); width];
    for (line, cells) in records {
        if cells.len() != width {
            table.problems.push(RowProblem {
                line,
                column: None,
                found: format!("{} fields", cells.len()),
                expected: format!("{width} fields like the header"),
            });
            continue;
        }
        for (column, cell) in table.columns.iter_mut().zip(cells) {
            column.push(cell);
        }
        table.row_lines.push(line);
    }
    table
}

/// Keeps duplicate header names apart (`Amount`, `Amount (2)`) and names empty ones.
fn name_headers(header: Vec<String>) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(header.len());
    for (index, raw) in header.into_iter().enumerate() {
        let base = if raw.is_empty() { format!("column {}", index + 1) } else { raw };
        let mut name = base.clone();
        let mut copy = 2;
        while names.contains(&name) {
            name = format!("{base} ({copy})");
            copy += 1;
        }
        names.push(name);
    }
    names
}

/// The first record is data, not a header, when each of its cells has the type that the rest
/// of its column has, and at least one column is typed (not plain text).
fn first_record_is_header(records: &[Record], width: usize) -> bool {
    if records.len() < 2 {
        return true;
    }
    let first = &records[0].1;
    let mut any_typed_column = false;
    for column in 0..width {
        let rest = records[1..].iter().filter_map(|(_, cells)| cells.get(column).map(String::as_str));
        let value_type = ColumnProfile::of(rest).value_type();
        if value_type == ValueType::Text {
            continue;
        }
        any_typed_column = true;
        let cell = first.get(column).map_or("", String::as_str);
        if !value_type.accepts(cell) {
            return true;
        }
    }
    !any_typed_column
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_row_is_detected() {
        let table = split_table("id,amount\n1,2.5\n2,3\n", Separator::Char(b','));
        assert!(table.has_header_row);
        assert_eq!(table.headers, ["id", "amount"]);
        assert_eq!(table.row_count(), 2);
    }

    #[test]
    fn headerless_numeric_file_gets_column_names() {
        let text = " 00004 0001 19970101  2   29.33\n 00004 0001 19970118  2   29.73\n";
        let table = split_table(text, Separator::Whitespace);
        assert!(!table.has_header_row);
        assert_eq!(table.headers[0], "column 1");
        assert_eq!(table.columns[4], ["29.33", "29.73"]);
        assert_eq!(table.row_lines, [1, 2]);
    }

    #[test]
    fn ragged_rows_are_reported_with_line() {
        let table = split_table("a,b\n1,2\n3\n4,5\n", Separator::Char(b','));
        assert_eq!(table.row_count(), 2);
        assert_eq!(table.problems.len(), 1);
        assert_eq!(table.problems[0].line, 3);
    }

    #[test]
    fn duplicate_headers_are_kept_apart() {
        let table = split_table("Amount,Amount\n1,2\n", Separator::Char(b','));
        assert_eq!(table.headers, ["Amount", "Amount (2)"]);
    }

    #[test]
    fn quoted_newline_stays_in_field() {
        let table = split_table("note,amount\n\"two\nlines\",5\nx,6\n", Separator::Char(b','));
        assert_eq!(table.columns[0][0], "two\nlines");
        assert_eq!(table.row_lines, [2, 4]);
    }
}
