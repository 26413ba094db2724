//! Reads of what the site keeps in the browser: its service worker, its Cache Storage and the
//! IndexedDB database of remembered files, and the DevTools calls that set up such tests.

use std::time::Duration;

use serde_json::{json, Value};

use crate::page::REACTION_TIMEOUT;
use crate::Harness;

/// Time allowed for the service worker to install, cache the site and take control of the page.
pub const SERVICE_WORKER_TIMEOUT: Duration = Duration::from_secs(30);
/// Time allowed for IndexedDB to store or delete remembered files.
pub const STORAGE_TIMEOUT: Duration = Duration::from_secs(15);

/// IndexedDB database in which the app remembers files (`DATABASE` in src/ui/persist.rs).
pub const FILES_DATABASE: &str = "headlights";

/// Counts the records in every object store of the database, or returns 0 when it does not exist.
///
/// `indexedDB.open` without a version would create a missing database with no stores, which
/// the app would then fail to use. So the script opens only a database that `databases()`
/// lists, and aborts the creation when the database was deleted in between. It closes its
/// connection at once, because an open connection would block the app's `deleteDatabase`.
/// WebDriver waits for the promise that the script returns.
const STORED_RECORDS_SCRIPT: &str = r#"
const name = arguments[0];
return (async () => {
    const databases = await indexedDB.databases();
    if (!databases.some((database) => database.name === name)) {
        return 0;
    }
    const database = await new Promise((resolve, reject) => {
        const request = indexedDB.open(name);
        // The database was deleted after databases() listed it: undo its re-creation.
        request.onupgradeneeded = () => request.transaction.abort();
        request.onsuccess = () => resolve(request.result);
        request.onerror = (event) => {
            if (request.error && request.error.name === 'AbortError') {
                event.preventDefault();
                resolve(null);
            } else {
                reject(request.error);
            }
        };
    });
    if (database === null) {
        return 0;
    }
    try {
        const stores = Array.from(database.objectStoreNames);
        if (stores.length === 0) {
            return 0;
        }
        const transaction = database.transaction(stores, 'readonly');
        const counts = await Promise.all(stores.map((store) => new Promise((resolve, reject) => {
            const request = transaction.objectStore(store).count();
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
        })));
        return counts.reduce((sum, count) => sum + count, 0);
    } finally {
        database.close();
    }
})();
"#;

impl Harness {
    /// Waits until a service worker controls the page, and returns its script URL.
    ///
    /// The app's worker claims the page once it has cached every built file, so from then on
    /// the site opens without the network.
    pub async fn wait_for_service_worker(&self) -> String {
        let value = self
            .wait_for_script(
                "have a service worker control the page",
                "const controller = navigator.serviceWorker && navigator.serviceWorker.controller; \
                 return controller ? controller.scriptURL : null;",
                SERVICE_WORKER_TIMEOUT,
            )
            .await;
        value.as_str().unwrap_or_default().to_string()
    }

    /// Returns the names of the page origin's Cache Storage caches.
    pub async fn cache_names(&self) -> Vec<String> {
        let value = self
            .client()
            .execute("return caches.keys();", vec![])
            .await
            .unwrap_or_else(|error| panic!("failed to list the page's caches: {error}"));
        value
            .as_array()
            .map(|names| {
                names
                    .iter()
                    .map(|name| name.as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Counts the records stored in the remembered-files database.
    pub async fn stored_file_count(&self) -> u64 {
        let value = self
            .client()
            .execute(STORED_RECORDS_SCRIPT, vec![json!(FILES_DATABASE)])
            .await
            .unwrap_or_else(|error| {
                panic!(
                    "failed to count the records in IndexedDB database {FILES_DATABASE}: {error}"
                )
            });
        value.as_u64().unwrap_or_else(|| {
            panic!("counting the records in {FILES_DATABASE} returned {value}, not a number")
        })
    }

    /// Waits until the remembered-files database contains exactly `expected` records.
    pub async fn wait_for_stored_files(&self, expected: u64) {
        let started = std::time::Instant::now();
        loop {
            let count = self.stored_file_count().await;
            if count == expected {
                return;
            }
            if started.elapsed() > STORAGE_TIMEOUT {
                panic!(
                    "timed out after {STORAGE_TIMEOUT:?} waiting for {expected} stored files in \
                     IndexedDB database {FILES_DATABASE}, which contains {count}. Storage status: {:?}",
                    self.storage_status().await
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the text of `[data-storage-status]` contains `expected`.
    pub async fn wait_for_storage_status(&self, expected: &str) {
        let script = format!(
            "const status = document.querySelector('[data-storage-status]'); \
             return status !== null && status.textContent.includes({});",
            serde_json::to_string(expected).expect("a string serializes")
        );
        self.wait_for_script(
            &format!("show {expected:?} in [data-storage-status]"),
            &script,
            REACTION_TIMEOUT,
        )
        .await;
    }

    /// Limits the storage quota of the site's origin to `bytes` through the DevTools
    /// `Storage.overrideQuotaForOrigin` command.
    pub async fn override_storage_quota(&self, bytes: u64) -> Result<Value, String> {
        let origin = format!("http://{}", self.server.address());
        self.browser
            .execute_cdp(
                "Storage.overrideQuotaForOrigin",
                json!({ "origin": origin, "quotaSize": bytes }),
            )
            .await
            .map_err(|error| error.to_string())
    }

    /// Installs `source` to run in every new document of the tab before the page's own
    /// scripts, through the DevTools `Page.addScriptToEvaluateOnNewDocument` command.
    pub async fn add_script_on_new_document(&self, source: &str) {
        self.browser
            .execute_cdp(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({ "source": source }),
            )
            .await
            .unwrap_or_else(|error| {
                panic!("the DevTools command Page.addScriptToEvaluateOnNewDocument failed: {error}")
            });
    }
}
