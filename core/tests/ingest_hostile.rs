//! Workbooks, hostile files, real data sets, round trips and random input for `read_file`.

use std::io::{Cursor, Write};
use std::path::PathBuf;

use chrono::NaiveDate;
use headlights_core::ingest::kinds::SurveyKind;
use headlights_core::ingest::{read_file, read_file_with, workbook_sheets, Dataset, IngestError, Money, ReadOptions, Role};
use proptest::prelude::*;

/// Builds a workbook with a notes sheet and a payments sheet whose dates are Excel serials
/// shown with a date format (the 0.9 rust_xlsxwriter API takes a format on every write).
fn two_sheet_workbook() -> Vec<u8> {
    let plain = rust_xlsxwriter::Format::new();
    let date_format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let notes = workbook.add_worksheet().set_name("Notes").unwrap();
    notes.write_string(0, 0, "Exported by the billing tool", &plain).unwrap();
    let payments = workbook.add_worksheet().set_name("Payments").unwrap();
    for (column, header) in ["customer_id", "date", "amount"].iter().enumerate() {
        payments.write_string(0, column as u16, header, &plain).unwrap();
    }
    // 45296 and 45297 are 2024-01-05 and 2024-01-06 in Excel's 1900 date system.
    let rows = [("A1", 45296.0, 10.0), ("B2", 45297.0, 20.5)];
    for (index, (id, serial, amount)) in rows.iter().enumerate() {
        let row = index as u32 + 1;
        payments.write_string(row, 0, id, &plain).unwrap();
        payments.write_number(row, 1, *serial, &date_format).unwrap();
        payments.write_number(row, 2, *amount, &plain).unwrap();
    }
    workbook.save_to_buffer().unwrap()
}

#[test]
fn xlsx_sheets_are_listed_and_picked() {
    let bytes = two_sheet_workbook();
    assert_eq!(workbook_sheets("book.xlsx", &bytes).unwrap(), ["Notes", "Payments"]);
    let options = ReadOptions { sheet: Some("Payments".into()), ..ReadOptions::default() };
    let file = read_file_with("book.xlsx", &bytes, &options, &mut |_| {}).unwrap();
    let Dataset::Transactions(log) = &file.dataset else { panic!("not transactions") };
    assert_eq!(log.date, [NaiveDate::from_ymd_opt(2024, 1, 5).unwrap(), NaiveDate::from_ymd_opt(2024, 1, 6).unwrap()]);
    assert_eq!(log.amount, [Money::from_cents(1000), Money::from_cents(2050)]);
    assert_eq!(file.sheet.as_deref(), Some("Payments"));
}

#[test]
fn xlsx_missing_sheet_is_named() {
    let options = ReadOptions { sheet: Some("Invoices".into()), ..ReadOptions::default() };
    let error = read_file_with("book.xlsx", &two_sheet_workbook(), &options, &mut |_| {}).unwrap_err();
    assert!(matches!(&error, IngestError::SheetNotFound { sheets, .. } if sheets.contains("\"Payments\"")), "{error}");
}

fn zip_with(name: &str, contents: &[u8]) -> Vec<u8> {
    let mut buffer = Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut buffer);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    writer.start_file(name, options).unwrap();
    writer.write_all(contents).unwrap();
    writer.finish().unwrap();
    buffer.into_inner()
}

#[test]
fn decompression_bomb_is_rejected_before_reading() {
    let bomb = zip_with("xl/workbook.xml", &vec![0u8; 8 << 20]);
    assert!(bomb.len() < 64 << 10, "the test bomb compresses well");
    let error = read_file("bomb.xlsx", &bomb).unwrap_err();
    assert!(matches!(error, IngestError::TooLarge { .. }), "{error}");
    assert!(error.to_string().contains("declared uncompressed size"), "{error}");
}

#[test]
fn zip_that_is_not_a_workbook() {
    let error = read_file("export.zip", &zip_with("data.csv", b"a,b\n1,2\n")).unwrap_err();
    assert!(error.to_string().contains("a ZIP archive that is not an XLSX workbook"), "{error}");
}

#[test]
fn pdf_and_binary_files_are_named() {
    let pdf = read_file("report.csv", b"%PDF-1.7\n...").unwrap_err();
    assert!(pdf.to_string().contains("looks like a PDF"), "{pdf}");
    let mut binary = b"id,amount\n".to_vec();
    binary.extend(std::iter::repeat_n(0u8, 4096));
    let error = read_file("renamed.csv", &binary).unwrap_err();
    assert!(error.to_string().contains("NUL bytes"), "{error}");
}

#[test]
fn million_columns_hit_the_column_limit() {
    let header = vec!["c"; 1_000_000].join(",");
    let error = read_file("wide.csv", format!("{header}\n").as_bytes()).unwrap_err();
    assert!(error.to_string().contains("16384 columns"), "{error}");
}

#[test]
fn ten_megabyte_line_hits_the_record_limit() {
    let mut text = String::from("id,note\n1,\"");
    text.push_str(&"x".repeat(10 << 20));
    text.push_str("\"\n");
    let error = read_file("long.csv", text.as_bytes()).unwrap_err();
    assert!(matches!(error, IngestError::TooLarge { .. }), "{error}");
    assert!(error.to_string().contains("quote that is never closed"), "{error}");
}

#[test]
fn deep_json_hits_the_depth_limit() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let error = read_file("deep.json", deep.as_bytes()).unwrap_err();
    assert!(error.to_string().contains("32 levels"), "{error}");
}

#[test]
fn no_date_column_says_so() {
    let error = read_file("names.csv", b"name,team\nAnn,Red\nBob,Blue\n").unwrap_err();
    assert!(error.to_string().contains("No column looks like a date"), "{error}");
}

#[test]
fn bad_rows_are_reported_and_good_rows_kept() {
    let mut text = String::from("customer_id,date,amount\n");
    for row in 0..30 {
        text.push_str(&format!("C{row},2024-01-{:02},{row}.50\n", row % 28 + 1));
    }
    text.push_str("B2,2024-01-06,ten\n");
    let file = read_file("log.csv", text.as_bytes()).unwrap();
    assert_eq!(file.rows_read, 30);
    assert_eq!(file.problem_count, 1);
    assert_eq!(file.problems[0].line, 32);
    assert_eq!(file.problems[0].column.as_deref(), Some("amount"));
    assert_eq!(file.problems[0].found, "ten");
}

fn dataset(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/datasets").join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

#[test]
fn corp_rep_survey_with_sentinel() {
    let options = ReadOptions { missing_sentinels: vec!["-99".into()], ..ReadOptions::default() };
    let file = read_file_with("corp_rep_survey.csv", &dataset("real/corp_rep_survey.csv"), &options, &mut |_| {}).unwrap();
    let Dataset::Survey(survey) = &file.dataset else { panic!("read as {}", file.dataset.kind_label()) };
    assert_eq!(file.rows_read, 344);
    assert_eq!(survey.questions.len(), 39);
    let segments: Vec<&str> = survey.segments.iter().map(|segment| segment.name.as_str()).collect();
    assert_eq!(segments, ["servicetype", "serviceprovider"]);
    assert!(survey.questions.iter().all(|question| question.kind == SurveyKind::Unknown));
    assert_eq!(file.problem_count, 0);
}

#[test]
fn ecom_events_roles() {
    let file = read_file("ecom_events.csv", &dataset("synthetic/ecom_events.csv")).unwrap();
    let roles: Vec<Option<Role>> = file.columns.iter().map(|column| column.role).collect();
    assert_eq!(roles[..4], [Some(Role::UserId), None, Some(Role::EventName), Some(Role::Date)]);
    let Dataset::Events(events) = &file.dataset else { panic!("not events") };
    assert_eq!(events.user_ids.len(), 600);
    assert_eq!(events.time.len(), 31_106);
}

/// Writes a generated table of id, date and amount in one dialect.
fn write_table(separator: &str, line_end: &str, decimal_comma: bool) -> String {
    let mut text = format!("customer_id{separator}date{separator}amount{line_end}");
    for row in 0..50 {
        let amount = format!("{}.{:02}", row * 37 % 1000, row % 100);
        let amount = if decimal_comma { amount.replace('.', ",") } else { amount };
        text.push_str(&format!("C{:03}{separator}2024-{:02}-{:02}{separator}{amount}{line_end}", row % 7, row % 12 + 1, row % 28 + 1));
    }
    text
}

#[test]
fn dialects_and_encodings_round_trip() {
    let reference = read_file("plain.csv", write_table(",", "\n", false).as_bytes()).unwrap();
    let Dataset::Transactions(expected) = &reference.dataset else { panic!("not transactions") };
    for (separator, line_end, decimal_comma) in [(";", "\r\n", true), ("\t", "\r", false), ("|", "\n", false), (",", "\r\n", false)] {
        let text = write_table(separator, line_end, decimal_comma);
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
        for bytes in [text.as_bytes().to_vec(), utf16, latin1.into_owned()] {
            let file = read_file("dialect.csv", &bytes).unwrap();
            let Dataset::Transactions(log) = &file.dataset else { panic!("not transactions") };
            assert_eq!(log.customer_ids, expected.customer_ids, "{separator:?} {line_end:?}");
            assert_eq!(log.date, expected.date, "{separator:?} {line_end:?}");
            assert_eq!(log.amount, expected.amount, "{separator:?} {line_end:?}");
        }
    }
}

fn fixture_files() -> &'static [Vec<u8>] {
    static FILES: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    FILES.get_or_init(read_fixture_files)
}

fn read_fixture_files() -> Vec<Vec<u8>> {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/ingest");
    let mut files: Vec<Vec<u8>> = std::fs::read_dir(folder).unwrap().map(|entry| std::fs::read(entry.unwrap().path()).unwrap()).collect();
    files.push(two_sheet_workbook());
    files
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    /// Random bytes never panic `read_file`.
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = read_file("random.csv", &bytes);
    }

    /// Real fixtures with bytes flipped, inserted or cut never panic `read_file`.
    #[test]
    fn mutated_fixtures_never_panic(file in 0usize..64, edits in proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..8)) {
        let files = fixture_files();
        let mut bytes = files[file % files.len()].clone();
        for (position, byte, action) in edits {
            if bytes.is_empty() {
                break;
            }
            let at = position % bytes.len();
            match action {
                0 => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ => bytes.truncate(at),
            }
        }
        let _ = read_file("mutated.csv", &bytes);
    }
}
