//! Delimited text to records: the csv crate for character separators, a line splitter for
//! runs of spaces. Both feed a [`TableBuilder`] and report progress in bytes of text.

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
        Separator::Char(byte) => split_delimited(text, byte, builder, progress),
    }
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
    // The csv crate counts lines at `\n` only, so a file whose lines end in a lone `\r`
    // numbers its records instead.
    let carriage_returns_only = !text.contains('\n') && text.contains('\r');
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
            (false, Some(position)) => position.line() as usize,
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
