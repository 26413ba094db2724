//! Awkward exports in the browser: an Excel workbook and a semicolon CSV with decimal commas
//! and day-first dates, dropped together, must both be read with their exact values.

use headlights_e2e::Harness;

/// A one-sheet workbook of three payments, dates as Excel serials shown as dates.
fn workbook() -> Vec<u8> {
    let plain = rust_xlsxwriter::Format::new();
    let date_format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Payments").expect("a sheet name");
    for (column, header) in ["Customer ID", "Date", "Amount"].iter().enumerate() {
        sheet.write_string(0, column as u16, header, &plain).expect("a header cell");
    }
    // Excel serials 45296–45298 are 5 to 7 January 2024 in the 1900 date system.
    let rows = [("C-001", 45296.0, 120.25), ("C-002", 45297.0, 80.0), ("C-001", 45298.0, 19.75)];
    for (index, (id, serial, amount)) in rows.iter().enumerate() {
        let row = index as u32 + 1;
        sheet.write_string(row, 0, id, &plain).expect("an id cell");
        sheet.write_number(row, 1, *serial, &date_format).expect("a date cell");
        sheet.write_number(row, 2, *amount, &plain).expect("an amount cell");
    }
    workbook.save_to_buffer().expect("the workbook is written")
}

/// The same kind of log as Excel writes it in a German or French locale: semicolons, decimal
/// commas, thousands dots and day-first dates (31/01 decides the order).
const SEMICOLON_CSV: &str = "Kunde;Datum;Betrag\r\nC-003;31/01/2024;1.234,50\r\nC-002;15/02/2024;65,00\r\nC-004;01/03/2024;10,25\r\n";

#[tokio::test]
async fn workbook_and_semicolon_csv_together() {
    let harness = Harness::start().await;
    harness.open().await;
    harness.drop_file("payments.xlsx", &workbook()).await;
    harness.drop_file("zahlungen.csv", SEMICOLON_CSV.as_bytes()).await;
    harness
        .wait_for_state("ready", &["payments.xlsx", "zahlungen.csv"], &["revenue"], headlights_e2e::page::LOAD_TIMEOUT)
        .await;

    // 120.25 + 80.00 + 19.75 from the workbook and 1,234.50 + 65.00 + 10.25 from the CSV.
    let revenue = harness.kpis().await.into_iter().find(|card| card.id == "revenue").expect("a revenue card");
    assert_eq!(revenue.value.as_deref(), Some("1529.75"), "revenue card: {}", revenue.text);
    assert_eq!(revenue.period.as_deref(), Some("2024-01-05..2024-03-01"));
    assert_eq!(harness.kpi_value("active_customers").await, 4.0);
}
