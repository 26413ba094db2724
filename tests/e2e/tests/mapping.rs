//! The mapping panel: the user changes a column's role and the date order of a dropped file,
//! the KPIs follow, and the mapping comes back for the next file with the same header until
//! "Reset to detected" or "Forget everything".
//!
//! Every test starts Chromium with a fresh profile, so no mapping is remembered at the start.
//! Needs a built site (`scripts/build`), `/usr/bin/chromium` and `/usr/bin/chromedriver`.

use std::time::Duration;

use fantoccini::Locator;
use headlights_e2e::page::{LOAD_TIMEOUT, OPEN_TIMEOUT};
use headlights_e2e::Harness;
use serde_json::json;

/// A payments log whose dates all have day and month at 12 or below, so their order cannot be
/// decided from the values, and whose `net` column is detected as the amount ("net" is an
/// amount word, "gross" is not).
const LOG: &str = "customer,date,gross,net\n\
                   a,01/02/2024,100.00,90.00\n\
                   b,03/02/2024,50.00,45.00\n\
                   a,05/03/2024,20.00,18.00\n";

/// Revenue and its period as detected: `net` as the amount (90 + 45 + 18) and month-first
/// dates (2 January, 2 March, 3 May).
const DETECTED: (&str, &str) = ("153", "2024-01-02..2024-05-03");
/// With `gross` as the amount: 100 + 50 + 20.
const GROSS_MONTH_FIRST: (&str, &str) = ("170", "2024-01-02..2024-05-03");
/// With `gross` and day-first dates (1 February, 3 February, 5 March).
const GROSS_DAY_FIRST: (&str, &str) = ("170", "2024-02-01..2024-03-05");

/// Time allowed for a new reading to reach the cards.
const APPLY_TIMEOUT: Duration = Duration::from_secs(30);

fn panel(file: &str) -> String {
    format!("[data-mapping=\"{file}\"]")
}

/// Drops `LOG` as `file` and waits until the dashboard is ready with a revenue card.
async fn drop_log(harness: &Harness, file: &str) {
    harness.drop_file(file, LOG.as_bytes()).await;
    harness.wait_for_state("ready", &[file], &["revenue"], LOAD_TIMEOUT).await;
}

/// Waits until the page is ready and the revenue card shows `expected` (value, period).
async fn wait_for_revenue(harness: &Harness, expected: (&str, &str)) {
    let (value, period) = expected;
    let script = format!(
        "const root = document.querySelector('[data-state]'); \
         const card = document.querySelector('[data-kpi=\"revenue\"]'); \
         if (!root || root.getAttribute('data-state') !== 'ready' || !card) return null; \
         const value = Number(card.getAttribute('data-value')); \
         return Math.abs(value - {value}) < 1e-9 && card.getAttribute('data-period') === {period} ? true : null;",
        period = json!(period),
    );
    let purpose = format!("show revenue {value} for {period}");
    let waited = tokio::time::timeout(APPLY_TIMEOUT, harness.wait_for_script(&purpose, &script, APPLY_TIMEOUT)).await;
    if waited.is_err() {
        let revenue = harness.kpis().await.into_iter().find(|card| card.id == "revenue");
        panic!("timed out waiting to {purpose}; the revenue card is {revenue:?}");
    }
}

/// Returns an attribute of the first element that matches `selector`.
async fn attribute(harness: &Harness, selector: &str, name: &str) -> Option<String> {
    let value = harness
        .client()
        .execute(
            "const element = document.querySelector(arguments[0]); return element ? element.getAttribute(arguments[1]) : null;",
            vec![json!(selector), json!(name)],
        )
        .await
        .unwrap_or_else(|error| panic!("failed to read {name} of {selector}: {error}"));
    value.as_str().map(str::to_string)
}

/// Returns the first element that matches `selector`.
async fn find(harness: &Harness, selector: &str) -> fantoccini::elements::Element {
    harness
        .client()
        .find(Locator::Css(selector))
        .await
        .unwrap_or_else(|error| panic!("no element matches {selector}: {error}"))
}

async fn select(harness: &Harness, selector: &str, value: &str) {
    find(harness, selector)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|error| panic!("failed to choose {value:?} in {selector}: {error}"));
}

/// Returns the `value` of the select or input that matches `selector`.
async fn control_value(harness: &Harness, selector: &str) -> String {
    find(harness, selector)
        .await
        .prop("value")
        .await
        .unwrap_or_else(|error| panic!("failed to read the value of {selector}: {error}"))
        .unwrap_or_default()
}

/// Opens the panel of `file` as a user would, and waits for its body, which the page builds
/// when the panel opens.
async fn open_panel(harness: &Harness, file: &str) {
    harness.click(&format!("{} > summary", panel(file))).await;
    let script = format!("return document.querySelector('{} .mapping-body') !== null;", panel(file).replace('\'', "\\'"));
    harness.wait_for_script(&format!("open the mapping panel of {file}"), &script, APPLY_TIMEOUT).await;
}

async fn is_enabled(harness: &Harness, selector: &str) -> bool {
    find(harness, selector)
        .await
        .is_enabled()
        .await
        .unwrap_or_else(|error| panic!("failed to read whether {selector} is enabled: {error}"))
}

/// Reloads the page and waits for the empty page.
async fn reload_empty(harness: &Harness) {
    harness.reload().await;
    harness.wait_for_state("empty", &[], &[], OPEN_TIMEOUT).await;
}

#[tokio::test]
async fn role_and_date_order_are_applied_and_remembered() {
    let harness = Harness::start().await;
    harness.open().await;
    drop_log(&harness, "log.csv").await;
    wait_for_revenue(&harness, DETECTED).await;
    assert_eq!(attribute(&harness, &panel("log.csv"), "data-mapping-source").await.as_deref(), Some("detected"));
    let question = "[data-file=\"log.csv\"] [data-mapping-question=\"date-order\"]";
    assert!(attribute(&harness, question, "role").await.is_some(), "the undecided date order is asked outside the panel");

    open_panel(&harness, "log.csv").await;
    harness.save_screenshot("mapping-panel.png").await;
    harness.save_screenshot_at_width("mapping-panel-phone.png", 390).await;
    select(&harness, &format!("{} [data-mapping-role=\"2\"]", panel("log.csv")), "Amount").await;
    let net_role = control_value(&harness, &format!("{} [data-mapping-role=\"3\"]", panel("log.csv"))).await;
    assert_eq!(net_role, "", "the amount role moved away from the net column");
    harness.click(&format!("{} [data-mapping-apply]", panel("log.csv"))).await;
    wait_for_revenue(&harness, GROSS_MONTH_FIRST).await;
    assert_eq!(attribute(&harness, &panel("log.csv"), "data-mapping-source").await.as_deref(), Some("chosen"));

    harness.click(&format!("{question} [data-mapping-answer=\"day-first\"]")).await;
    wait_for_revenue(&harness, GROSS_DAY_FIRST).await;
    assert!(attribute(&harness, question, "role").await.is_none(), "an answered question goes away");

    // The files are not remembered, but the mapping is: the same header read again gets it.
    reload_empty(&harness).await;
    drop_log(&harness, "log-march.csv").await;
    wait_for_revenue(&harness, GROSS_DAY_FIRST).await;
    assert_eq!(attribute(&harness, &panel("log-march.csv"), "data-mapping-source").await.as_deref(), Some("remembered"));

    open_panel(&harness, "log-march.csv").await;
    harness.click(&format!("{} [data-mapping-reset]", panel("log-march.csv"))).await;
    wait_for_revenue(&harness, DETECTED).await;
    assert_eq!(attribute(&harness, &panel("log-march.csv"), "data-mapping-source").await.as_deref(), Some("detected"));

    reload_empty(&harness).await;
    drop_log(&harness, "log-april.csv").await;
    wait_for_revenue(&harness, DETECTED).await;
    assert_eq!(attribute(&harness, &panel("log-april.csv"), "data-mapping-source").await.as_deref(), Some("detected"));
}

#[tokio::test]
async fn mapping_that_does_not_fit_keeps_previous_reading() {
    let harness = Harness::start().await;
    harness.open().await;
    drop_log(&harness, "log.csv").await;
    wait_for_revenue(&harness, DETECTED).await;
    open_panel(&harness, "log.csv").await;

    // Taking the customer column for the amount leaves the customer id unmapped.
    select(&harness, &format!("{} [data-mapping-role=\"0\"]", panel("log.csv")), "Amount").await;
    let missing = attribute(&harness, &format!("{} [data-mapping-missing]", panel("log.csv")), "data-mapping-missing").await;
    assert_eq!(missing.as_deref(), Some("customer id"));
    assert!(!is_enabled(&harness, &format!("{} [data-mapping-apply]", panel("log.csv"))).await);

    // Customer ids from the gross column and amounts from the customer names: no row reads.
    select(&harness, &format!("{} [data-mapping-role=\"2\"]", panel("log.csv")), "CustomerId").await;
    harness.click(&format!("{} [data-mapping-apply]", panel("log.csv"))).await;
    let error = harness
        .wait_for_script(
            "show the mapping's error",
            "const error = document.querySelector('[data-mapping-error]'); return error ? error.textContent : null;",
            APPLY_TIMEOUT,
        )
        .await;
    let error = error.as_str().unwrap_or_default();
    assert!(error.contains("log.csv: no row could be read"), "{error}");
    assert!(error.contains("previous reading is still used"), "{error}");
    harness.save_screenshot("mapping-panel-error.png").await;
    wait_for_revenue(&harness, DETECTED).await;
    assert_eq!(attribute(&harness, &panel("log.csv"), "data-mapping-source").await.as_deref(), Some("detected"));
}

#[tokio::test]
async fn forget_everything_forgets_mappings() {
    let harness = Harness::start().await;
    harness.open().await;
    drop_log(&harness, "log.csv").await;
    open_panel(&harness, "log.csv").await;
    select(&harness, &format!("{} [data-mapping-role=\"2\"]", panel("log.csv")), "Amount").await;
    harness.click(&format!("{} [data-mapping-apply]", panel("log.csv"))).await;
    wait_for_revenue(&harness, GROSS_MONTH_FIRST).await;

    harness.click("[data-forget]").await;
    harness
        .wait_for_script(
            "confirm that everything was forgotten",
            "const status = document.querySelector('[data-storage-status]'); \
             return status && status.textContent.includes('column mappings') ? true : null;",
            APPLY_TIMEOUT,
        )
        .await;
    reload_empty(&harness).await;
    drop_log(&harness, "log.csv").await;
    wait_for_revenue(&harness, DETECTED).await;
    assert_eq!(attribute(&harness, &panel("log.csv"), "data-mapping-source").await.as_deref(), Some("detected"));
}

/// Three payments without a header row; `-99` is the export's "no amount" marker.
const HEADERLESS: &str = "a,2024-01-05,10.00\nb,2024-01-06,-99\nc,2024-02-01,30.00\n";

/// Types `text` into the input that matches `selector` and leaves it with Tab, as a user does.
async fn type_into(harness: &Harness, selector: &str, text: &str) {
    let input = find(harness, selector).await;
    input.click().await.unwrap_or_else(|error| panic!("failed to click {selector}: {error}"));
    input
        .send_keys(&format!("{text}\u{E004}"))
        .await
        .unwrap_or_else(|error| panic!("failed to type into {selector}: {error}"));
}

#[tokio::test]
async fn headerless_file_gets_names_and_sentinel() {
    let harness = Harness::start().await;
    harness.open().await;
    harness.drop_file("export.csv", HEADERLESS.as_bytes()).await;
    harness.wait_for_state("ready", &["export.csv"], &["revenue"], LOAD_TIMEOUT).await;
    // Read as numbers, -99 counts: 10 - 99 + 30.
    wait_for_revenue(&harness, ("-59", "2024-01-05..2024-02-01")).await;

    open_panel(&harness, "export.csv").await;
    type_into(&harness, &format!("{} [data-mapping-column-name=\"2\"]", panel("export.csv")), "Amount paid").await;
    type_into(&harness, &format!("{} [data-mapping-option=\"sentinels\"]", panel("export.csv")), "-99").await;
    harness.click(&format!("{} [data-mapping-apply]", panel("export.csv"))).await;
    // The -99 row has no amount now, so it is left out: 10 + 30.
    wait_for_revenue(&harness, ("40", "2024-01-05..2024-02-01")).await;
    let name = control_value(&harness, &format!("{} [data-mapping-column-name=\"2\"]", panel("export.csv"))).await;
    assert_eq!(name, "Amount paid");
    harness.save_screenshot("mapping-panel-headerless.png").await;
    harness.save_screenshot_at_width("mapping-panel-headerless-phone.png", 390).await;

    // Another header-less export with the same columns gets the same reading.
    reload_empty(&harness).await;
    harness.drop_file("export-2.csv", HEADERLESS.as_bytes()).await;
    harness.wait_for_state("ready", &["export-2.csv"], &["revenue"], LOAD_TIMEOUT).await;
    wait_for_revenue(&harness, ("40", "2024-01-05..2024-02-01")).await;
    assert_eq!(attribute(&harness, &panel("export-2.csv"), "data-mapping-source").await.as_deref(), Some("remembered"));
}

/// Writes a workbook whose first sheet has two payments and whose second has one more.
fn two_sheet_workbook() -> Vec<u8> {
    let plain = rust_xlsxwriter::Format::new();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheets: [(&str, &[(&str, &str, f64)]); 2] = [
        ("January", &[("C-1", "2024-01-05", 100.0), ("C-2", "2024-01-09", 20.0)]),
        ("February", &[("C-3", "2024-02-02", 7.5)]),
    ];
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet().set_name(name).expect("a sheet name");
        for (column, header) in ["Customer ID", "Date", "Amount"].iter().enumerate() {
            sheet.write_string(0, column as u16, *header, &plain).expect("a header cell");
        }
        for (index, (id, date, amount)) in rows.iter().enumerate() {
            let row = index as u32 + 1;
            sheet.write_string(row, 0, *id, &plain).expect("an id cell");
            sheet.write_string(row, 1, *date, &plain).expect("a date cell");
            sheet.write_number(row, 2, *amount, &plain).expect("an amount cell");
        }
    }
    workbook.save_to_buffer().expect("the workbook is written")
}

#[tokio::test]
async fn sheet_picker_reads_another_sheet() {
    let harness = Harness::start().await;
    harness.open().await;
    harness.drop_file("payments.xlsx", &two_sheet_workbook()).await;
    harness.wait_for_state("ready", &["payments.xlsx"], &["revenue"], LOAD_TIMEOUT).await;
    wait_for_revenue(&harness, ("120", "2024-01-05..2024-01-09")).await;

    open_panel(&harness, "payments.xlsx").await;
    select(&harness, &format!("{} [data-mapping-option=\"sheet\"]", panel("payments.xlsx")), "February").await;
    harness.click(&format!("{} [data-mapping-apply]", panel("payments.xlsx"))).await;
    wait_for_revenue(&harness, ("7.5", "2024-02-02..2024-02-02")).await;
    let row = harness.file_row_text("payments.xlsx").await.unwrap_or_default();
    assert!(row.contains("sheet \"February\""), "{row}");
}

/// Writes a workbook whose first sheet is a titled summary table, which no data kind fits,
/// and whose second sheet contains the payments.
fn summary_then_payments_workbook() -> Vec<u8> {
    let plain = rust_xlsxwriter::Format::new();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let summary = workbook.add_worksheet().set_name("Summary").expect("a sheet name");
    summary.write_string(0, 0, "Payments report, first quarter", &plain).expect("a title cell");
    for (index, (region, total)) in [("Region", "Total"), ("North", "1200"), ("South", "800")].iter().enumerate() {
        let row = index as u32 + 2;
        summary.write_string(row, 0, *region, &plain).expect("a region cell");
        summary.write_string(row, 1, *total, &plain).expect("a total cell");
    }
    let payments = workbook.add_worksheet().set_name("Payments").expect("a sheet name");
    for (column, header) in ["customer", "date", "amount"].iter().enumerate() {
        payments.write_string(0, column as u16, *header, &plain).expect("a header cell");
    }
    let rows = [("C-1", "2024-01-05", 100.25), ("C-2", "2024-02-09", 20.5), ("C-1", "2024-03-02", 7.3)];
    for (index, (customer, date, amount)) in rows.iter().enumerate() {
        let row = index as u32 + 1;
        payments.write_string(row, 0, *customer, &plain).expect("a customer cell");
        payments.write_string(row, 1, *date, &plain).expect("a date cell");
        payments.write_number(row, 2, *amount, &plain).expect("an amount cell");
    }
    workbook.save_to_buffer().expect("the workbook is written")
}

#[tokio::test]
async fn second_sheet_applies_without_old_roles() {
    let harness = Harness::start().await;
    harness.open().await;
    harness.drop_file("report.xlsx", &summary_then_payments_workbook()).await;
    harness.wait_for_state("error", &["report.xlsx"], &[], LOAD_TIMEOUT).await;
    let report = panel("report.xlsx");
    assert!(attribute(&harness, &report, "open").await.is_some(), "the panel of an unrecognised file opens by itself");
    let error = file_error(&harness, "report.xlsx").await.unwrap_or_default();
    assert!(error.contains("another sheet, \"Payments\""), "{error}");
    let apply = format!("{report} [data-mapping-apply]");
    assert!(!is_enabled(&harness, &apply).await, "the Summary sheet's guessed roles are incomplete");

    // Another sheet has other columns, so Apply detects them without roles for the old ones.
    select(&harness, &format!("{report} [data-mapping-option=\"sheet\"]"), "Payments").await;
    assert!(is_enabled(&harness, &apply).await, "a new sheet can be applied");
    let missing = attribute(&harness, &format!("{report} [data-mapping-missing]"), "data-mapping-missing").await;
    assert_eq!(missing.as_deref(), Some(""), "no role is asked for the Summary columns");
    let needs = find(&harness, &format!("{report} .mapping-needs")).await.text().await.unwrap_or_default();
    assert!(needs.contains("Apply reads sheet \"Payments\""), "{needs}");
    harness.save_screenshot("mapping-panel-new-sheet.png").await;

    harness.click(&apply).await;
    // 100.25 + 20.50 + 7.30 from the Payments sheet.
    wait_for_revenue(&harness, ("128.05", "2024-01-05..2024-03-02")).await;
    assert_eq!(file_error(&harness, "report.xlsx").await, None);
    assert_eq!(control_value(&harness, &format!("{report} [data-mapping-role=\"2\"]")).await, "Amount");
    let row = harness.file_row_text("report.xlsx").await.unwrap_or_default();
    assert!(row.contains("sheet \"Payments\""), "{row}");
}

#[tokio::test]
async fn restored_file_gets_remembered_mapping() {
    let harness = Harness::start().await;
    harness.open().await;
    harness.click("[data-remember]").await;
    drop_log(&harness, "log.csv").await;
    open_panel(&harness, "log.csv").await;
    select(&harness, &format!("{} [data-mapping-role=\"2\"]", panel("log.csv")), "Amount").await;
    harness.click(&format!("{} [data-mapping-apply]", panel("log.csv"))).await;
    wait_for_revenue(&harness, GROSS_MONTH_FIRST).await;
    harness.wait_for_stored_files(1).await;

    // The file comes back from this device's storage and is read with the saved mapping.
    harness.reload().await;
    harness.wait_for_state("ready", &["log.csv"], &["revenue"], LOAD_TIMEOUT).await;
    wait_for_revenue(&harness, GROSS_MONTH_FIRST).await;
    assert_eq!(attribute(&harness, &panel("log.csv"), "data-mapping-source").await.as_deref(), Some("remembered"));
}

#[tokio::test]
async fn decimal_question_changes_amounts() {
    let harness = Harness::start().await;
    harness.open().await;
    // "1.250" is one and a quarter with a decimal point, or 1250 with a decimal comma.
    let log = "customer,date,amount\na,2024-01-05,1.250\nb,2024-01-06,2.500\n";
    harness.drop_file("amounts.csv", log.as_bytes()).await;
    harness.wait_for_state("ready", &["amounts.csv"], &["revenue"], LOAD_TIMEOUT).await;
    wait_for_revenue(&harness, ("3.75", "2024-01-05..2024-01-06")).await;

    let question = "[data-file=\"amounts.csv\"] [data-mapping-question=\"decimal-separator\"]";
    harness.click(&format!("{question} [data-mapping-answer=\"comma\"]")).await;
    wait_for_revenue(&harness, ("3750", "2024-01-05..2024-01-06")).await;
    assert!(attribute(&harness, question, "role").await.is_none(), "an answered question goes away");
}

/// A German payments export that no data kind fits: semicolons, decimal commas, dotted
/// day-first dates, and company names under "Kunde" (customer), which are not read as ids.
const GERMAN: &[u8] = include_bytes!("../../fixtures/ingest/german_unrecognised.csv");

/// Revenue with Kunde, Datum and Betrag mapped: 1234.56 + 89.90 - 45.00 + 310.00 + 12.35 +
/// 1000.00 + 7.05, from 31 January to 30 April 2024.
const GERMAN_REVENUE: (&str, &str) = ("2608.86", "2024-01-31..2024-04-30");

/// Returns the text of the `[data-file-error]` in the row of `file`, or `None` when it has none.
async fn file_error(harness: &Harness, file: &str) -> Option<String> {
    let value = harness
        .client()
        .execute(
            "const row = Array.from(document.querySelectorAll('[data-file]')).find((element) => element.getAttribute('data-file') === arguments[0]); \
             const error = row ? row.querySelector('[data-file-error]') : null; \
             return error ? error.textContent : null;",
            vec![json!(file)],
        )
        .await
        .unwrap_or_else(|error| panic!("failed to read the error of {file}: {error}"));
    value.as_str().map(str::to_string)
}

#[tokio::test]
async fn unrecognised_file_is_mapped_by_hand() {
    let harness = Harness::start().await;
    harness.open().await;
    drop_log(&harness, "log.csv").await;
    harness.drop_file("zahlungen.csv", GERMAN).await;
    harness.wait_for_state("ready", &["log.csv", "zahlungen.csv"], &["revenue"], LOAD_TIMEOUT).await;
    // The file already loaded keeps its reading.
    wait_for_revenue(&harness, DETECTED).await;

    let error = file_error(&harness, "zahlungen.csv").await.expect("the row says why the file is not recognised");
    assert!(error.contains("not recognised as a known data kind"), "{error}");
    assert!(error.contains("no column was recognised as the customer id"), "{error}");
    assert!(error.contains("column mapping below"), "{error}");
    let zahlungen = panel("zahlungen.csv");
    assert!(attribute(&harness, &zahlungen, "open").await.is_some(), "the panel of an unrecognised file opens by itself");
    let missing = attribute(&harness, &format!("{zahlungen} [data-mapping-missing]"), "data-mapping-missing").await;
    assert_eq!(missing.as_deref(), Some("customer id"), "the guess maps Datum and Betrag");
    assert!(!is_enabled(&harness, &format!("{zahlungen} [data-mapping-apply]")).await);
    harness.save_screenshot("mapping-panel-unrecognised.png").await;
    harness.save_screenshot_at_width("mapping-panel-unrecognised-phone.png", 390).await;

    // The first kind in the list is transactions.
    select(&harness, &format!("{zahlungen} [data-mapping-kind]"), "0").await;
    select(&harness, &format!("{zahlungen} [data-mapping-role=\"0\"]"), "CustomerId").await;
    select(&harness, &format!("{zahlungen} [data-mapping-role=\"1\"]"), "Date").await;
    select(&harness, &format!("{zahlungen} [data-mapping-role=\"2\"]"), "Amount").await;
    select(&harness, &format!("{zahlungen} [data-mapping-role=\"3\"]"), "").await;
    harness.click(&format!("{zahlungen} [data-mapping-apply]")).await;
    // Both files count now: 153 from the log and 2608.86 from the German export.
    wait_for_revenue(&harness, ("2761.86", "2024-01-02..2024-05-03")).await;
    assert_eq!(attribute(&harness, &zahlungen, "data-mapping-source").await.as_deref(), Some("chosen"));
    assert_eq!(file_error(&harness, "zahlungen.csv").await, None);

    // The next export with the same header is read with the saved mapping.
    reload_empty(&harness).await;
    harness.drop_file("zahlungen-mai.csv", GERMAN).await;
    harness.wait_for_state("ready", &["zahlungen-mai.csv"], &["revenue"], LOAD_TIMEOUT).await;
    wait_for_revenue(&harness, GERMAN_REVENUE).await;
    assert_eq!(attribute(&harness, &panel("zahlungen-mai.csv"), "data-mapping-source").await.as_deref(), Some("remembered"));
    assert_eq!(file_error(&harness, "zahlungen-mai.csv").await, None);
}

#[tokio::test]
async fn unrecognised_file_alone_is_an_error() {
    let harness = Harness::start().await;
    harness.open().await;
    harness.drop_file("zahlungen.csv", GERMAN).await;
    harness.wait_for_state("error", &["zahlungen.csv"], &[], LOAD_TIMEOUT).await;
    assert!(file_error(&harness, "zahlungen.csv").await.is_some());

    let zahlungen = panel("zahlungen.csv");
    select(&harness, &format!("{zahlungen} [data-mapping-role=\"0\"]"), "CustomerId").await;
    harness.click(&format!("{zahlungen} [data-mapping-apply]")).await;
    wait_for_revenue(&harness, GERMAN_REVENUE).await;

    // Reset to detected forgets the mapping: the file is not recognised again.
    harness.click(&format!("{zahlungen} [data-mapping-reset]")).await;
    harness.wait_for_state("error", &["zahlungen.csv"], &[], APPLY_TIMEOUT).await;
    assert!(file_error(&harness, "zahlungen.csv").await.is_some());
    assert_eq!(attribute(&harness, &zahlungen, "data-mapping-source").await.as_deref(), Some("detected"));
}

#[tokio::test]
async fn pdf_is_still_rejected_without_panel() {
    let harness = Harness::start().await;
    harness.open().await;
    harness.drop_file("report.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n").await;
    harness.wait_for_state("error", &["report.pdf"], &[], LOAD_TIMEOUT).await;
    let error = file_error(&harness, "report.pdf").await.expect("the PDF is rejected");
    assert!(error.starts_with("report.pdf:"), "{error}");
    assert_eq!(attribute(&harness, &panel("report.pdf"), "data-mapping").await, None, "a PDF has no mapping panel");
}

/// An export that no data kind fits, whose amounts read as decimals with a decimal point and
/// as thousands with a decimal comma, so the file row shows the decimal-separator question.
const UNDECIDED_DECIMALS: &str = "Kunde,Datum,Betrag\n\
                                  Müller GmbH,2024-01-05,1.250\n\
                                  Müller GmbH,2024-01-06,2.500\n\
                                  Schmidt AG,2024-01-07,1.250\n\
                                  Müller GmbH,2024-01-08,2.500\n\
                                  Schmidt AG,2024-01-09,1.250\n\
                                  Müller GmbH,2024-01-10,2.500\n";

#[tokio::test]
async fn unrecognised_file_answers_decimal_question() {
    let harness = Harness::start().await;
    harness.open().await;
    harness.drop_file("betraege.csv", UNDECIDED_DECIMALS.as_bytes()).await;
    harness.wait_for_state("error", &["betraege.csv"], &[], LOAD_TIMEOUT).await;
    let question = "[data-file=\"betraege.csv\"] [data-mapping-question=\"decimal-separator\"]";
    harness.click(&format!("{question} [data-mapping-answer=\"comma\"]")).await;
    // Choosing an option reads the file again with detection, because the guessed mapping lacks a role.
    harness
        .wait_for_script(
            "read the file again with a decimal comma",
            "const row = document.querySelector('[data-file=\"betraege.csv\"]'); \
             return row && !row.querySelector('[data-mapping-question]') && row.querySelector('[data-mapping]') ? true : null;",
            APPLY_TIMEOUT,
        )
        .await;
    assert_eq!(attribute(&harness, "[data-file=\"betraege.csv\"] [data-mapping-error]", "data-mapping-error").await, None);
    assert!(file_error(&harness, "betraege.csv").await.is_some(), "the file is still not recognised");

    let betraege = panel("betraege.csv");
    select(&harness, &format!("{betraege} [data-mapping-role=\"0\"]"), "CustomerId").await;
    select(&harness, &format!("{betraege} [data-mapping-role=\"2\"]"), "Amount").await;
    harness.click(&format!("{betraege} [data-mapping-apply]")).await;
    // 3 × (1250 + 2500) with a decimal comma.
    wait_for_revenue(&harness, ("11250", "2024-01-05..2024-01-10")).await;
}

/// A semicolon-separated payments export whose amounts each have one comma and three digits
/// after it, so they read as 3.25 with a decimal comma or as 3250 with a thousands comma.
const SEMICOLON_AMOUNTS: &str = "customer;date;amount\n\
                                 C-1;2024-01-05;3,250\n\
                                 C-2;2024-01-12;7,125\n\
                                 C-1;2024-02-03;1,500\n";

#[tokio::test]
async fn semicolon_file_asks_decimal_separator() {
    let harness = Harness::start().await;
    harness.open().await;
    harness.drop_file("zahlungen.csv", SEMICOLON_AMOUNTS.as_bytes()).await;
    harness.wait_for_state("ready", &["zahlungen.csv"], &["revenue"], LOAD_TIMEOUT).await;
    // The semicolon separator makes a decimal comma the assumption: 3.25 + 7.125 + 1.50.
    wait_for_revenue(&harness, ("11.875", "2024-01-05..2024-02-03")).await;

    let question = "[data-file=\"zahlungen.csv\"] [data-mapping-question=\"decimal-separator\"]";
    let text = find(&harness, question).await.text().await.unwrap_or_default();
    assert!(text.contains("A decimal comma was assumed"), "{text}");
    // The open panel shows the empty Missing-value markers field with its example.
    open_panel(&harness, "zahlungen.csv").await;
    harness.save_screenshot("decimal-question-semicolon.png").await;

    harness.click(&format!("{question} [data-mapping-answer=\"point\"]")).await;
    wait_for_revenue(&harness, ("11875", "2024-01-05..2024-02-03")).await;
}

/// An NPS survey of 12 responses in which 2 answer -99 for "no answer".
const NPS_WITH_MINUS_99: &str = "respondent_id,submitted_at,nps_score,comment\n\
                                 R01,2024-03-01,10,\n\
                                 R02,2024-03-02,-99,\n\
                                 R03,2024-03-03,9,fast\n\
                                 R04,2024-03-04,3,slow exports\n\
                                 R05,2024-03-05,8,\n\
                                 R06,2024-03-06,10,\n\
                                 R07,2024-03-07,-99,\n\
                                 R08,2024-03-08,6,\n\
                                 R09,2024-03-09,7,\n\
                                 R10,2024-03-10,10,\n\
                                 R11,2024-03-11,9,\n\
                                 R12,2024-03-12,2,\n";

#[tokio::test]
async fn minus_99_is_read_as_no_answer() {
    let harness = Harness::start().await;
    harness.open().await;
    harness.drop_file("nps.csv", NPS_WITH_MINUS_99.as_bytes()).await;
    harness.wait_for_state("ready", &["nps.csv"], &[], LOAD_TIMEOUT).await;
    let row = "[data-file=\"nps.csv\"]";
    assert_eq!(attribute(&harness, &format!("{row} [data-kind]"), "data-kind").await.as_deref(), Some("survey responses"));
    assert_eq!(attribute(&harness, &format!("{row} [data-file-sentinels]"), "data-file-sentinels").await.as_deref(), Some("-99"));
    let text = harness.file_row_text("nps.csv").await.unwrap_or_default();
    assert!(text.contains("-99 in \"nps_score\" (2 cells)"), "{text}");

    open_panel(&harness, "nps.csv").await;
    let markers = format!("{} [data-mapping-option=\"sentinels\"]", panel("nps.csv"));
    assert_eq!(control_value(&harness, &markers).await, "-99");
    harness.save_screenshot("sentinel-note.png").await;
}
