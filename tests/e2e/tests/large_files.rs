//! A large file is read in the background worker: its row shows the read's progress, and
//! cancelling it takes it off the list while the files loaded before it stay.

use std::io::Write;
use std::time::Duration;

use headlights_core::format::thousands;
use headlights_e2e::page::LOAD_TIMEOUT;
use headlights_e2e::temp::TempDir;
use headlights_e2e::Harness;

const SMALL_LOG: &str = "customer,date,amount\na,2024-01-03,10.00\nb,2024-01-09,20.50\na,2024-02-04,15.25\n";

/// A generated transaction log on disk, with what the app must read from it.
struct LargeLog {
    path: std::path::PathBuf,
    rows: u64,
    /// The sum of every amount, in cents.
    revenue_cents: u64,
}

/// Writes a transaction log of about `megabytes` MB: 500,000 customers buying through 2023.
fn write_large_log(directory: &TempDir, megabytes: usize) -> LargeLog {
    let path = directory.path().join("large-log.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("the large log is created"));
    writeln!(file, "customer,date,amount").unwrap();
    let mut written = 0;
    let mut rows = 0u64;
    let mut revenue_cents = 0u64;
    while written < megabytes * 1_000_000 {
        let cents = (rows % 900 + 10) * 100 + rows % 100;
        let line = format!("C-{:07},2023-{:02}-{:02},{}.{:02}\n", rows % 500_000, rows % 12 + 1, rows % 28 + 1, cents / 100, cents % 100);
        file.write_all(line.as_bytes()).unwrap();
        written += line.len();
        rows += 1;
        revenue_cents += cents;
    }
    file.flush().unwrap();
    LargeLog { path, rows, revenue_cents }
}

#[tokio::test]
async fn cancelled_read_keeps_other_files() {
    let directory = TempDir::new("large-files");
    let large = write_large_log(&directory, 150).path;
    let harness = Harness::start().await;
    harness.open().await;
    harness.drop_file("small.csv", SMALL_LOG.as_bytes()).await;
    harness.wait_for_state("ready", &["small.csv"], &["revenue"], LOAD_TIMEOUT).await;

    harness.pick_files(&[large.as_path()]).await;
    let progress = harness
        .wait_for_script(
            "see the large file's progress",
            "const row = document.querySelector('[data-file=\"large-log.csv\"] [data-file-progress]'); \
             return row && row.textContent.includes('%') ? row.textContent.trim() : null;",
            LOAD_TIMEOUT,
        )
        .await;
    assert!(progress.as_str().is_some_and(|text| text.contains("Reading the file") || text.contains("Decoding") || text.contains("Splitting")), "progress row: {progress}");
    harness.save_screenshot("large-file-progress.png").await;
    harness.click("[data-file=\"large-log.csv\"] [data-file-cancel]").await;

    harness
        .wait_for_script(
            "see the large file taken off the list",
            "return document.querySelector('[data-file=\"large-log.csv\"]') === null;",
            LOAD_TIMEOUT,
        )
        .await;
    harness.wait_for_state("ready", &["small.csv"], &["revenue"], LOAD_TIMEOUT).await;
    // 10.00 + 20.50 + 15.25 from the small log alone.
    assert_eq!(harness.kpi_value("revenue").await, 45.75);
}

#[tokio::test]
async fn two_hundred_megabyte_csv_loads() {
    let directory = TempDir::new("large-files");
    let large = write_large_log(&directory, 200);
    let harness = Harness::start().await;
    harness.open().await;
    // Both workers must have started for the file to be read in two parts.
    harness.wait_for_script("see the engine warm", "return document.querySelector('[data-engine=\"warm\"]') !== null || null;", LOAD_TIMEOUT).await;

    harness.pick_files(&[large.path.as_path()]).await;
    harness.wait_for_state("ready", &["large-log.csv"], &["revenue"], Duration::from_secs(300)).await;

    let row = harness.file_row_text("large-log.csv").await.expect("a row for the large file");
    let rows_read = format!("{} rows read", thousands(large.rows));
    assert!(row.contains(&rows_read), "expected {rows_read:?} in the row: {row}");
    let revenue = harness.kpi_value("revenue").await;
    assert_eq!((revenue * 100.0).round() as u64, large.revenue_cents);
    let parts = harness
        .wait_for_script("read how many workers read the file", "return document.querySelector('[data-file=\"large-log.csv\"] [data-file-parts]')?.dataset.fileParts;", LOAD_TIMEOUT)
        .await;
    assert_eq!(parts.as_str(), Some("2"), "a quote-free file this large is read by two workers");
}


#[tokio::test]
async fn file_over_limit_is_rejected_unread() {
    // A sparse file: its size is one byte over 1 GiB, yet it takes no disk space, and the
    // worker must reject it from its size without copying it into memory.
    let directory = TempDir::new("large-files");
    let path = directory.path().join("huge-log.csv");
    std::fs::File::create(&path).and_then(|file| file.set_len((1 << 30) + 1)).expect("the sparse file is created");
    let harness = Harness::start().await;
    harness.open().await;
    harness.drop_file("small.csv", SMALL_LOG.as_bytes()).await;
    harness.wait_for_state("ready", &["small.csv"], &["revenue"], LOAD_TIMEOUT).await;

    harness.pick_files(&[path.as_path()]).await;
    let message = harness
        .wait_for_script(
            "see the oversized file's message",
            "const error = document.querySelector('[data-file=\"huge-log.csv\"] [data-file-error]'); \
             return error ? error.textContent : null;",
            LOAD_TIMEOUT,
        )
        .await;

    let text = message.as_str().unwrap_or_default();
    assert!(text.contains("huge-log.csv"), "message: {text}");
    assert!(text.contains("1 GiB"), "message: {text}");
    assert!(text.contains("Split the export"), "message: {text}");
    harness.wait_for_state("ready", &["small.csv"], &["revenue"], LOAD_TIMEOUT).await;
    assert_eq!(harness.kpi_value("revenue").await, 45.75);
}
