//! "Remember my files on this device": files come back after a reload only when the user
//! ticked the switch, and "Forget everything", unticking and "Remove" delete them.
//!
//! Every test starts Chromium with a fresh profile, so nothing is stored at the start.
//! Needs a built site (`scripts/build`), `/usr/bin/chromium` and `/usr/bin/chromedriver`.

use std::time::Duration;

use fantoccini::Locator;
use headlights_e2e::datasets::{CDNOW, TELCO};
use headlights_e2e::page::{LOAD_TIMEOUT, OPEN_TIMEOUT, REACTION_TIMEOUT};
use headlights_e2e::paths::real_dataset;
use headlights_e2e::Harness;

/// Text of a file row that was restored from this device's storage.
const RESTORED_LABEL: &str = "remembered on this device";

/// Start of `[data-storage-status]` while files are being remembered.
const REMEMBERING_STATUS: &str = "Remembering on this device";

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

/// Ticks "Remember my files on this device", waits until the page confirms it, then picks
/// the Telco file and waits for its churn rate.
async fn remember_and_pick_telco(harness: &Harness) {
    harness.click("[data-remember]").await;
    harness.wait_for_storage_status(REMEMBERING_STATUS).await;
    harness.pick_files(&[&real_dataset(TELCO)]).await;
    harness
        .wait_for_state("ready", &[TELCO], &["churn_rate"], LOAD_TIMEOUT)
        .await;
}

/// Reloads the page and checks that `file` is the only file that comes back, with its `kpi`
/// card ready. `after` names the step before the reload in the failure message.
async fn reload_expecting_only(harness: &Harness, file: &str, kpi: &str, after: &str) {
    harness.reload().await;
    let status = harness
        .wait_for_state("ready", &[file], &[kpi], LOAD_TIMEOUT)
        .await;
    assert_eq!(
        status.files,
        vec![file.to_string()],
        "files after {after} and a reload"
    );
}

/// Reloads the page and checks that it opens with no files and that IndexedDB contains no
/// records. `after` names the step before the reload in the failure messages.
async fn reload_expecting_no_files(harness: &Harness, after: &str) {
    harness.reload().await;
    let status = harness
        .wait_for_state("empty", &[], &[], OPEN_TIMEOUT)
        .await;
    assert!(
        status.files.is_empty(),
        "files came back after {after} and a reload: {:?}",
        status.files
    );
    assert_eq!(
        harness.stored_file_count().await,
        0,
        "records in IndexedDB after {after} and a reload"
    );
}

#[tokio::test]
async fn remembered_file_returns_until_forgotten() {
    let harness = Harness::start().await;
    harness.open().await;
    assert!(
        !is_remember_ticked(&harness).await,
        "a fresh profile has remembering on"
    );

    remember_and_pick_telco(&harness).await;
    let churn_rate = churn_rate_attribute(&harness).await;
    harness.wait_for_stored_files(1).await;

    reload_expecting_only(&harness, TELCO, "churn_rate", "remembering").await;
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
    harness.wait_for_storage_status("Forgotten").await;
    assert!(
        !is_remember_ticked(&harness).await,
        "the remember switch is still on after Forget everything"
    );
    reload_expecting_no_files(&harness, "Forget everything").await;
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

    reload_expecting_no_files(&harness, "loading without remembering").await;
}

#[tokio::test]
async fn removed_file_stays_gone() {
    let harness = Harness::start().await;
    harness.open().await;

    harness.click("[data-remember]").await;
    harness.load_cdnow_and_telco().await;
    harness.wait_for_stored_files(2).await;

    harness.click_remove(TELCO).await;
    harness.wait_for_stored_files(1).await;

    reload_expecting_only(&harness, CDNOW, "revenue", &format!("removing {TELCO}")).await;
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
    harness.wait_for_storage_status("Not remembering").await;
    let status = harness.status().await;
    assert_eq!(
        status.files,
        vec![TELCO.to_string()],
        "unticking should keep the file open in this tab"
    );

    reload_expecting_no_files(&harness, "unticking").await;
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

    remember_and_pick_telco(&harness).await;
    let Some(message) = wait_for_storage_status_change(&harness, REMEMBERING_STATUS).await else {
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
