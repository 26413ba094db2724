//! What the page shows and saves, captured through DevTools: whole-page screenshots at a
//! chosen viewport and colour scheme, and the files the page offers as downloads.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::json;

use crate::Harness;

/// Time allowed for a download to appear complete in the download directory.
pub const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(15);

/// Time the charts get to redraw after a viewport or colour scheme change. The redraw does
/// not change `data-state`, because the data stays the same, so there is nothing to wait for.
const REDRAW_PAUSE: Duration = Duration::from_millis(1500);

/// A viewport and colour scheme to look at the page in.
#[derive(Clone, Copy, Debug)]
pub struct Look {
    /// Viewport width and height in CSS pixels.
    pub size: (u32, u32),
    pub dark: bool,
}

impl Look {
    /// Returns a file name such as `sample-dark-390x844.png`.
    pub fn file_name(&self, prefix: &str) -> String {
        let scheme = if self.dark { "dark" } else { "light" };
        let (width, height) = self.size;
        format!("{prefix}-{scheme}-{width}x{height}.png")
    }
}

impl Harness {
    /// Emulates `look`'s viewport at a device pixel ratio of 1 (a phone layout below 600 CSS
    /// pixels) and its colour scheme, then gives the charts time to redraw.
    pub async fn emulate(&self, look: Look) {
        let (width, height) = look.size;
        let metrics = json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600 });
        self.browser
            .execute_cdp("Emulation.setDeviceMetricsOverride", metrics)
            .await
            .unwrap_or_else(|error| panic!("failed to emulate a {width}x{height} viewport: {error}"));
        let scheme = if look.dark { "dark" } else { "light" };
        let media = json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] });
        self.browser
            .execute_cdp("Emulation.setEmulatedMedia", media)
            .await
            .unwrap_or_else(|error| panic!("failed to emulate the {scheme} colour scheme: {error}"));
        tokio::time::sleep(REDRAW_PAUSE).await;
    }

    /// Saves the whole page, beyond the viewport, as a PNG to `<target>/e2e-screenshots/<name>`
    /// and returns its path.
    pub async fn save_full_page(&self, name: &str) -> PathBuf {
        let size = self
            .client()
            .execute("return [document.documentElement.scrollWidth, document.documentElement.scrollHeight];", vec![])
            .await
            .unwrap_or_else(|error| panic!("failed to measure the page: {error}"));
        let width = size[0].as_u64().unwrap_or_default();
        let height = size[1].as_u64().unwrap_or_default();
        let params = json!({
            "format": "png",
            "captureBeyondViewport": true,
            "clip": { "x": 0, "y": 0, "width": width, "height": height, "scale": 1 },
        });
        let shot = self
            .browser
            .execute_cdp("Page.captureScreenshot", params)
            .await
            .unwrap_or_else(|error| panic!("failed to capture a {width}x{height} screenshot: {error}"));
        let encoded = shot["data"].as_str().unwrap_or_else(|| panic!("Page.captureScreenshot returned no data: {shot}"));
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap_or_else(|error| panic!("Page.captureScreenshot returned invalid base64: {error}"));
        let path = crate::paths::screenshot_dir().join(name);
        std::fs::write(&path, png).unwrap_or_else(|error| panic!("failed to write {}: {error}", path.display()));
        path
    }

    /// Saves the page's downloads into `dir` without asking, as a user's "always save to"
    /// setting does.
    pub async fn allow_downloads(&self, dir: &Path) {
        let params = json!({ "behavior": "allow", "downloadPath": dir.display().to_string() });
        self.browser
            .execute_cdp("Browser.setDownloadBehavior", params)
            .await
            .unwrap_or_else(|error| panic!("failed to allow downloads into {}: {error}", dir.display()));
    }
}

/// Waits until `dir/name` exists and Chromium has finished writing it, and returns its bytes.
///
/// Chromium writes a download as `<name>.crdownload` and renames it when complete.
pub async fn wait_for_download(dir: &Path, name: &str) -> Vec<u8> {
    let path = dir.join(name);
    let started = Instant::now();
    loop {
        if let Ok(bytes) = std::fs::read(&path) {
            return bytes;
        }
        if started.elapsed() > DOWNLOAD_TIMEOUT {
            let listed: Vec<String> = std::fs::read_dir(dir)
                .map(|entries| entries.flatten().map(|entry| entry.file_name().to_string_lossy().into_owned()).collect())
                .unwrap_or_default();
            panic!("timed out after {DOWNLOAD_TIMEOUT:?} waiting for the download {}; the directory has {listed:?}", path.display());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
