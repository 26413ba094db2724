//! A large file is read in the background worker: its row shows the read's progress, and
//! cancelling it takes it off the list while the files loaded before it stay.

use std::io::Write;
use std::time::Duration;

use headlights_e2e::page::LOAD_TIMEOUT;
use headlights_e2e::temp::TempDir;
use headlights_e2e::Harness;

const SMALL_LOG: &str = "customer,date,amount\na,2024-01-03,10.00\nb,2024-01-09,20.50\na,2024-02-04,15.25\n";

/// Writes a transaction log of about `megabytes` MB, large enough that its read is still
/// running when the test clicks "Cancel".
fn write_large_log(directory: &TempDir, megabytes: usize) -> std::path::PathBuf {
    let path = directory.path().join("large-log.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("the large log is created"));
    writeln!(file, "customer,date,amount").unwrap();
    let mut written = 0;
    let mut row = 0u64;
    while written < megabytes * 1_000_000 {
        let line = format!("C-{:07},2023-{:02}-{:02},{}.{:02}\n", row % 500_000, row % 12 + 1, row % 28 + 1, row % 900 + 10, row % 100);
        file.write_all(line.as_bytes()).unwrap();
        written += line.len();
        row += 1;
    }
    file.flush().unwrap();
    path
}

#[tokio::test]
async fn cancelled_read_keeps_other_files() {
    let directory = TempDir::new("large-files");
    let large = write_large_log(&directory, 150);
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
            Duration::from_secs(10),
        )
        .await;
    harness.wait_for_state("ready", &["small.csv"], &["revenue"], LOAD_TIMEOUT).await;
    // 10.00 + 20.50 + 15.25 from the small log alone.
    assert_eq!(harness.kpi_value("revenue").await, 45.75);
}
