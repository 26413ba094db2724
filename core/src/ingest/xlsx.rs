//! XLSX workbooks to records with calamine, after checking the ZIP directory for a
//! decompression bomb. Date cells become `YYYY-MM-DD HH:MM:SS` text, numbers their shortest
//! exact decimal form.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};

use super::limits::{MAX_XLSX_COMPRESSION_RATIO, MAX_XLSX_UNCOMPRESSED_BYTES};
use super::table::{TableBuilder, TableLimit};
use super::values::{excel_serial_to_timestamp, format_timestamp};

/// The kind of document inside a ZIP container, read from its central directory only.
#[derive(Debug, PartialEq, Eq)]
pub enum ZipContents {
    Xlsx,
    OpenDocument,
    Word,
    PowerPoint,
    Other,
}

/// A reason a workbook could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum XlsxProblem {
    /// The directory declares more uncompressed bytes than allowed, or a part is compressed
    /// more than any real sheet is.
    Bomb { declared_bytes: u64 },
    NotAWorkbook(ZipContents),
    Corrupt(String),
    SheetNotFound { sheet: String, sheets: Vec<String> },
    EmptyWorkbook,
    Limit(TableLimit),
}

/// Lists the ZIP's parts and checks their declared sizes, without decompressing anything.
pub fn inspect_zip(bytes: &[u8]) -> Result<ZipContents, XlsxProblem> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|error| XlsxProblem::Corrupt(error.to_string()))?;
    let mut declared: u64 = 0;
    let mut names = Vec::with_capacity(archive.len());
    for index in 0..archive.len() {
        let part = archive.by_index_raw(index).map_err(|error| XlsxProblem::Corrupt(error.to_string()))?;
        let size = part.size();
        declared = declared.saturating_add(size);
        let ratio_too_high = size > 1 << 20 && size / part.compressed_size().max(1) > MAX_XLSX_COMPRESSION_RATIO;
        if declared > MAX_XLSX_UNCOMPRESSED_BYTES || ratio_too_high {
            return Err(XlsxProblem::Bomb { declared_bytes: declared });
        }
        names.push(part.name().map(|name| name.into_owned()).unwrap_or_default());
    }
    let has = |name: &str| names.iter().any(|part| part == name);
    let contents = if has("xl/workbook.xml") {
        ZipContents::Xlsx
    } else if has("content.xml") && has("mimetype") {
        ZipContents::OpenDocument
    } else if has("word/document.xml") {
        ZipContents::Word
    } else if has("ppt/presentation.xml") {
        ZipContents::PowerPoint
    } else {
        ZipContents::Other
    };
    Ok(contents)
}

/// Returns the sheet names of a workbook, in workbook order.
pub fn sheet_names(bytes: &[u8]) -> Result<Vec<String>, XlsxProblem> {
    let workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|error: calamine::XlsxError| XlsxProblem::Corrupt(error.to_string()))?;
    Ok(workbook.sheet_names())
}

/// Reads one sheet (the named one, else the first with cells) into `builder`. Returns the
/// sheet names and the name of the sheet read.
pub fn read_sheet(bytes: &[u8], sheet: Option<&str>, builder: &mut TableBuilder) -> Result<(Vec<String>, String), XlsxProblem> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|error: calamine::XlsxError| XlsxProblem::Corrupt(error.to_string()))?;
    let names = workbook.sheet_names();
    let chosen: Vec<String> = match sheet {
        Some(wanted) if names.iter().any(|name| name == wanted) => vec![wanted.to_string()],
        Some(wanted) => return Err(XlsxProblem::SheetNotFound { sheet: wanted.to_string(), sheets: names }),
        None => names.clone(),
    };
    for name in chosen {
        let range = workbook.worksheet_range(&name).map_err(|error| XlsxProblem::Corrupt(error.to_string()))?;
        if range.is_empty() {
            continue;
        }
        let first_row = range.start().map_or(0, |(row, _)| row as usize);
        let mut cells: Vec<String> = Vec::new();
        for (offset, row) in range.rows().enumerate() {
            cells.clear();
            cells.extend(row.iter().map(cell_text));
            builder.push(first_row + offset + 1, cells.iter().map(String::as_str)).map_err(XlsxProblem::Limit)?;
        }
        return Ok((names, name));
    }
    Err(XlsxProblem::EmptyWorkbook)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Int(value) => value.to_string(),
        Data::Float(value) => value.to_string(),
        Data::Bool(flag) => if *flag { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(moment) => {
            let serial = moment.as_f64();
            match excel_serial_to_timestamp(serial) {
                Some(timestamp) if moment.is_datetime() => format_timestamp(timestamp),
                _ => serial.to_string(),
            }
        }
    }
}
