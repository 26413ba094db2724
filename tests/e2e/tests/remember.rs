//! "Remember my files on this device": files come back after a reload only when the user
//! ticked the switch, and "Forget everything", unticking and "Remove" delete them.
//!
//! Every test starts Chromium with a fresh profile, so nothing is stored at the start.
//! Needs a built site (`scripts/build`), `/usr/bin/chromium` and `/usr/bin/chromedriver`.

use std::time::Duration;

use fantoccini::Locator;
use headlights_e2e::page::{LOAD_TIMEOUT, OPEN_TIMEOUT};
use headlights_e2e::paths::real_dataset;
use headlights_e2e::Harness;

const CDNOW: &str = "cdnow_master.txt";
const TELCO: &str = "telco_customer_churn.csv";

/// Text of a file row that was restored from this device's storage.
const RESTORED_LABEL: &str = "remembered on this device";

/// Time allowed for the page to react to a click.
const REACTION_TIMEOUT: Duration = Duration::from_secs(15);

async fn churn_rate_attribute(harness: &Harness) -> String {
    let kpis = harness.kpis().await;
    kpis.iter()
        .find(|kpi| kpi.id == "churn_rate")
        .and_then(|kpi| kpi.value.clone())
        .unwrap_or_else(|| panic!("no churn_rate card with a data-value: {kpis:?}"))
}

async fn is_remember_ticked(harness: &Harness) -> bool {
    harness
        .client()
        .find(Locator::Css("[data-remember]"))
        .await
        .expect("the page has no [data-remember] switch")
        .is_selected()
        .await
        .expect("failed to read the [data-remember] switch")
}

async fn wait_for_storage_status(harness: &Harness, expected: &str) -> String {
    let script = format!(
        "const status = document.querySelector('[data-storage-status]'); \
         return status !== null && status.textContent.includes({}) ? status.textContent.trim() : null;",
        serde_json::to_string(expected).expect("a string serializes")
    );
    let value = harness
        .wait_for_script(
            &format!("show {expected:?} in [data-storage-status]"),
            &script,
            REACTION_TIMEOUT,
        )
        .await;
    value.as_str().unwrap_or_default().to_string()
}

/// Waits until `[data-storage-status]` no longer starts with `previous`, and returns its
/// text, or `None` when it still does after [`REACTION_TIMEOUT`].
async fn wait_for_storage_status_change(harness: &Harness, previous: &str) -> Option<String> {
    let started = std::time::Instant::now();
    loop {
        let text = harness.storage_status().await.unwrap_or_default();
        if !text.starts_with(previous) {
            return Some(text);
        }
        if started.elapsed() > REACTION_TIMEOUT {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn click_remove(harness: &Harness, file: &str) {
    let xpath = format!("//*[@data-file='{file}']//button[normalize-space()='Remove']");
    harness
        .client()
        .find(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|error| panic!("no Remove button in the row of {file}: {error}"))
        .click()
        .await
        .unwrap_or_else(|error| panic!("failed to click Remove in the row of {file}: {error}"));
}

async fn drop_cdnow(harness: &Harness) {
    let path = real_dataset(CDNOW);
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|error| panic!("failed to read {}: {error}", path.display()));
    harness.drop_file(CDNOW, &bytes).await;
}

#[tokio::test]
async fn remembered_file_returns_until_forgotten() {
    let harness = Harness::start().await;
    harness.open().await;
    assert!(
        !is_remember_ticked(&harness).await,
        "a fresh profile has remembering on"
    );

    harness.click("[data-remember]").await;
    wait_for_storage_status(&harness, "Remembering on this device").await;
    harness.pick_files(&[&real_dataset(TELCO)]).await;
    harness
        .wait_for_state("ready", &[TELCO], &["churn_rate"], LOAD_TIMEOUT)
        .await;
    let churn_rate = churn_rate_attribute(&harness).await;
    harness.wait_for_stored_files(1).await;

    harness.reload().await;
    let status = harness
        .wait_for_state("ready", &[TELCO], &["churn_rate"], LOAD_TIMEOUT)
        .await;
    assert_eq!(
        status.files,
        vec![TELCO.to_string()],
        "files after the reload"
    );
    let row = harness.file_row_text(TELCO).await.unwrap_or_default();
    assert!(
        row.contains(RESTORED_LABEL),
        "the restored row of {TELCO} does not say {RESTORED_LABEL:?}: {row:?}"
    );
    assert_eq!(
        churn_rate_attribute(&harness).await,
        churn_rate,
        "churn_rate differs after the file was restored"
    );
    assert!(
        is_remember_ticked(&harness).await,
        "the remember switch is off after the reload"
    );

    harness.click("[data-forget]").await;
    wait_for_storage_status(&harness, "Forgotten").await;
    assert!(
        !is_remember_ticked(&harness).await,
        "the remember switch is still on after Forget everything"
    );
    harness.reload().await;
    let status = harness
        .wait_for_state("empty", &[], &[], OPEN_TIMEOUT)
        .await;
    assert!(
        status.files.is_empty(),
        "files are listed after Forget everything and a reload: {:?}",
        status.files
    );
    assert_eq!(
        harness.stored_file_count().await,
        0,
        "records left in IndexedDB"
    );
    assert!(
        !is_remember_ticked(&harness).await,
        "the remember switch came back on"
    );
}

#[tokio::test]
async fn files_are_not_kept_by_default() {
    let harness = Harness::start().await;
    harness.open().await;

    harness.pick_files(&[&real_dataset(TELCO)]).await;
    harness
        .wait_for_state("ready", &[TELCO], &["churn_rate"], LOAD_TIMEOUT)
        .await;
    let status_text = harness.storage_status().await.unwrap_or_default();
    assert!(
        status_text.contains("not stored"),
        "[data-storage-status] does not say that files are not stored: {status_text:?}"
    );

    harness.reload().await;
    let status = harness
        .wait_for_state("empty", &[], &[], OPEN_TIMEOUT)
        .await;
    assert!(
        status.files.is_empty(),
        "files came back after a reload without remembering: {:?}",
        status.files
    );
    assert_eq!(
        harness.stored_file_count().await,
        0,
        "records stored in IndexedDB"
    );
}

#[tokio::test]
async fn removed_file_stays_gone() {
    let harness = Harness::start().await;
    harness.open().await;

    harness.click("[data-remember]").await;
    drop_cdnow(&harness).await;
    harness
        .wait_for_state("ready", &[CDNOW], &["revenue"], LOAD_TIMEOUT)
        .await;
    harness.pick_files(&[&real_dataset(TELCO)]).await;
    harness
        .wait_for_state(
            "ready",
            &[CDNOW, TELCO],
            &["revenue", "churn_rate"],
            LOAD_TIMEOUT,
        )
        .await;
    harness.wait_for_stored_files(2).await;

    click_remove(&harness, TELCO).await;
    harness.wait_for_stored_files(1).await;

    harness.reload().await;
    let status = harness
        .wait_for_state("ready", &[CDNOW], &["revenue"], LOAD_TIMEOUT)
        .await;
    assert_eq!(
        status.files,
        vec![CDNOW.to_string()],
        "after removing {TELCO} and reloading, only {CDNOW} should come back"
    );
}

#[tokio::test]
async fn unticking_deletes_stored_files() {
    let harness = Harness::start().await;
    harness.open().await;

    harness.click("[data-remember]").await;
    harness.pick_files(&[&real_dataset(TELCO)]).await;
    harness
        .wait_for_state("ready", &[TELCO], &["churn_rate"], LOAD_TIMEOUT)
        .await;
    harness.wait_for_stored_files(1).await;

    harness.click("[data-remember]").await;
    wait_for_storage_status(&harness, "Not remembering").await;
    let status = harness.status().await;
    assert_eq!(
        status.files,
        vec![TELCO.to_string()],
        "unticking should keep the file open in this tab"
    );

    harness.reload().await;
    let status = harness
        .wait_for_state("empty", &[], &[], OPEN_TIMEOUT)
        .await;
    assert!(
        status.files.is_empty(),
        "files came back after unticking and a reload: {:?}",
        status.files
    );
    assert_eq!(
        harness.stored_file_count().await,
        0,
        "records left in IndexedDB"
    );
}

#[tokio::test]
async fn full_storage_is_reported() {
    // Telco is 977 KB, and the site's cached files alone already exceed this quota.
    const QUOTA_BYTES: u64 = 1000;

    let harness = Harness::start().await;
    harness.open().await;
    if let Err(error) = harness.override_storage_quota(QUOTA_BYTES).await {
        panic!("the DevTools command Storage.overrideQuotaForOrigin failed, so a full storage cannot be simulated: {error}");
    }

    harness.click("[data-remember]").await;
    wait_for_storage_status(&harness, "Remembering on this device").await;
    harness.pick_files(&[&real_dataset(TELCO)]).await;
    harness
        .wait_for_state("ready", &[TELCO], &["churn_rate"], LOAD_TIMEOUT)
        .await;
    let Some(message) =
        wait_for_storage_status_change(&harness, "Remembering on this device").await
    else {
        panic!(
            "after {REACTION_TIMEOUT:?}, [data-storage-status] still reads {:?} while IndexedDB \
             contains {} records: the failed write of {TELCO} was not reported",
            harness.storage_status().await.unwrap_or_default(),
            harness.stored_file_count().await
        );
    };
    assert!(
        message.contains("full"),
        "[data-storage-status] does not say that the storage is full: {message:?}"
    );
    assert!(
        message.contains(TELCO),
        "the storage-full message does not name the file: {message:?}"
    );

    let status = harness.status().await;
    assert_eq!(
        status.state.as_deref(),
        Some("ready"),
        "the file should stay loaded when it cannot be stored.\n{}",
        harness.describe(&status)
    );
    assert_eq!(
        harness.stored_file_count().await,
        0,
        "records stored beyond the quota"
    );
}
