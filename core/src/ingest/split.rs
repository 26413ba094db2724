//! Delimited text to records: the csv crate for character separators, a line splitter for
//! runs of spaces, and for text without any quote character a plain line and field splitter
//! that gives the csv crate's records several times faster. All feed a [`TableBuilder`] and
//! report progress in bytes of text.

use super::dialect::{lines, Separator};
use super::table::{TableBuilder, TableLimit};

/// Bytes of text between two progress reports.
pub const PROGRESS_STEP_BYTES: usize = 1 << 20;

/// Splits `text` into records and pushes them into `builder`; `progress` receives the bytes of
/// text consumed so far, about every [`PROGRESS_STEP_BYTES`].
pub fn split_records(
    text: &str,
    separator: Separator,
    builder: &mut TableBuilder,
    progress: &mut dyn FnMut(usize),
) -> Result<(), TableLimit> {
    match separator {
        Separator::Whitespace => split_whitespace(text, builder, progress),
        Separator::Char(byte) if is_plain(text) => split_plain(text, byte, builder, progress),
        Separator::Char(byte) => split_delimited(text, byte, builder, progress),
    }
}

/// Returns true when `text` has no quote character and every carriage return ends a line
/// before a line feed. In such text a record is exactly a line and a field exactly the text
/// between two separators, so the plain splitter needs none of the csv crate's quoting rules.
pub(crate) fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    if memchr::memchr(b'"', bytes).is_some() {
        return false;
    }
    memchr::memchr_iter(b'\r', bytes).all(|at| bytes.get(at + 1) == Some(&b'\n'))
}

/// Splits quote-free text at line feeds and separators, in one pass over its bytes. The caller
/// must first check the text with [`is_plain`]. Lines are numbered from 1 like the csv crate's
/// records, blank lines included.
pub(crate) fn split_plain(text: &str, separator: u8, builder: &mut TableBuilder, progress: &mut dyn FnMut(usize)) -> Result<(), TableLimit> {
    let bytes = text.as_bytes();
    let mut fields: Vec<&str> = Vec::new();
    let mut field_start = 0;
    let mut line = 1;
    let mut reported = 0;
    // memchr2 finds the next separator or line feed many bytes at a time.
    for at in memchr::memchr2_iter(separator, b'\n', bytes) {
        let byte = bytes[at];
        if byte == separator {
            fields.push(&text[field_start..at]);
            field_start = at + 1;
        } else {
            fields.push(without_carriage_return(&text[field_start..at]));
            builder.push(line, fields.iter().copied())?;
            fields.clear();
            field_start = at + 1;
            line += 1;

            if at - reported >= PROGRESS_STEP_BYTES {
                reported = at;
                progress(at + 1);
            }
        }
    }

    fields.push(without_carriage_return(&text[field_start..]));
    builder.push(line, fields.iter().copied())
}

fn without_carriage_return(field: &str) -> &str {
    field.strip_suffix('\r').unwrap_or(field)
}

fn split_whitespace(text: &str, builder: &mut TableBuilder, progress: &mut dyn FnMut(usize)) -> Result<(), TableLimit> {
    let mut consumed = 0;
    let mut reported = 0;
    for (index, line) in lines(text).enumerate() {
        consumed += line.len() + 1;
        let fields: Vec<&str> = line.split_whitespace().collect();
        builder.push(index + 1, fields.into_iter())?;
        if consumed - reported >= PROGRESS_STEP_BYTES {
            reported = consumed;
            progress(consumed.min(text.len()));
        }
    }
    Ok(())
}

fn split_delimited(text: &str, separator: u8, builder: &mut TableBuilder, progress: &mut dyn FnMut(usize)) -> Result<(), TableLimit> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // Lines are counted here rather than taken from the csv crate, whose record position
    // sits before the previous line's `\n` in CRLF text and so numbers the line above. A file
    // whose lines end in a lone `\r` numbers its records instead.
    let carriage_returns_only = !text.contains('\n') && text.contains('\r');
    let mut lines = LineCounter::new(text);
    let mut record = csv::StringRecord::new();
    let mut reported = 0;
    let mut number = 0;
    loop {
        // The csv crate fails only on invalid UTF-8, which a `&str` cannot contain. Any
        // failure still ends the records rather than panicking.
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) | Err(_) => break,
        }
        number += 1;
        let position = record.position();
        let line = match (carriage_returns_only, position) {
            (false, Some(position)) => lines.line_at(position.byte() as usize),
            _ => number,
        };
        builder.push(line, (0..record.len()).map(|index| &record[index]))?;
        let consumed = position.map_or(0, |position| position.byte() as usize);
        if consumed - reported >= PROGRESS_STEP_BYTES {
            reported = consumed;
            progress(consumed);
        }
    }
    Ok(())
}

/// The 1-based line of a record, from the byte offset the csv crate reports as its start, counting
/// line feeds incrementally because records come in order.
struct LineCounter<'a> {
    bytes: &'a [u8],
    counted_to: usize,
    line_feeds: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter { bytes: text.as_bytes(), counted_to: 0, line_feeds: 0 }
    }

    /// Skips the line ends and blank lines in front of the record, then counts the line feeds
    /// before its first byte.
    fn line_at(&mut self, position: usize) -> usize {
        let mut start = position.min(self.bytes.len());
        while matches!(self.bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start > self.counted_to {
            self.line_feeds += memchr::memchr_iter(b'\n', &self.bytes[self.counted_to..start]).count();
            self.counted_to = start;
        }
        self.line_feeds + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::table::HeaderRows;

    /// Splits `text` with the csv crate and with the plain splitter and returns both tables.
    fn both_ways(text: &str, separator: u8) -> (String, String) {
        let mut by_csv = TableBuilder::new(HeaderRows::Detect);
        split_delimited(text, separator, &mut by_csv, &mut |_| {}).unwrap();
        let mut plain = TableBuilder::new(HeaderRows::Detect);
        split_plain(text, separator, &mut plain, &mut |_| {}).unwrap();
        (format!("{:?}", by_csv.finish()), format!("{:?}", plain.finish()))
    }

    #[test]
    fn quotes_need_csv_crate() {
        assert!(is_plain("a,b\r\n1,2\n"));
        assert!(!is_plain("a,b\n\"1,5\",2\n"));
        assert!(!is_plain("a,b\r1,2\r"));
        assert!(!is_plain("a,b\n1\r,2\n"));
    }

    #[test]
    fn both_splitters_number_crlf_lines_from_one() {
        let text = "id;amount\r\n\r\na;1,5\r\nb;2\r\n;\r\nc;3;x\r\nd\r\n";
        let (by_csv, plain) = both_ways(text, b';');

        assert!(plain.contains("row_lines: [3, 4]"), "{plain}");
        assert!(plain.contains("line: 6,"), "{plain}");
        assert!(plain.contains("line: 7,"), "{plain}");
        assert_eq!(plain, by_csv);
    }

    #[test]
    fn quoted_line_breaks_keep_later_line_numbers() {
        let mut builder = TableBuilder::new(HeaderRows::Exactly(1));
        split_delimited("id,note\r\na,\"two\r\nlines\"\r\nb,x\r\nc\r\n", b',', &mut builder, &mut |_| {}).unwrap();
        let table = builder.finish();

        assert_eq!(table.row_lines, vec![2, 4]);
        assert_eq!(table.problems[0].line, 5);
    }

    proptest::proptest! {
        #[test]
        fn plain_split_equals_the_csv_crate(
            rows in proptest::collection::vec(proptest::collection::vec("[a-c0-9 \\t\u{e9}\u{a0},.-]{0,4}", 0..5), 0..30),
            crlf in proptest::bool::ANY,
            final_newline in proptest::bool::ANY,
        ) {
            let end = if crlf { "\r\n" } else { "\n" };
            let mut text = rows.iter().map(|fields| fields.join(";")).collect::<Vec<_>>().join(end);
            if final_newline {
                text.push_str(end);
            }
            let (by_csv, plain) = both_ways(&text, b';');
            proptest::prop_assert_eq!(plain, by_csv);
        }
    }
}
