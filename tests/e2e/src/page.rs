//! Page actions and reads that follow the page's `data-*` contract.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine;
use fantoccini::Locator;
use serde_json::{json, Value};

use crate::Harness;

/// Time allowed for the page to load its wasm and show `data-state="empty"`.
pub const OPEN_TIMEOUT: Duration = Duration::from_secs(30);
/// Time allowed for loaded files to reach `data-state="ready"` or `"error"`.
pub const LOAD_TIMEOUT: Duration = Duration::from_secs(60);
/// Time allowed for the charts to draw after `data-state="ready"`.
pub const DRAW_TIMEOUT: Duration = Duration::from_secs(10);
/// Time allowed for the page to react to a click.
pub const REACTION_TIMEOUT: Duration = Duration::from_secs(15);

const POLL_INTERVAL: Duration = Duration::from_millis(100);

/// Selector of the file input, which the page contract puts inside the drop zone.
pub const FILE_INPUT_SELECTOR: &str = "[data-dropzone] input[type=file]";

/// A snapshot of the page's state attributes and messages.
#[derive(Clone, Debug, Default)]
pub struct PageStatus {
    /// Value of `data-state` on the root element, or `None` when no element has it.
    pub state: Option<String>,
    /// Text of every `[data-error]` element.
    pub errors: Vec<String>,
    /// Text of every `[data-file-error]` element.
    pub file_errors: Vec<String>,
    /// Value of every `data-file` attribute, which is a listed file's name.
    pub files: Vec<String>,
    /// Value of every `data-kpi` attribute, which is a KPI id.
    pub kpis: Vec<String>,
    /// Ids of the KPI cards that carry a `data-value`. Cards whose data is missing are
    /// shown without one.
    pub kpis_with_value: Vec<String>,
}

/// A KPI card's attributes.
#[derive(Clone, Debug)]
pub struct Kpi {
    pub id: String,
    /// Raw `data-value`: a fraction in 0..1, or money in major units.
    pub value: Option<String>,
    pub period: Option<String>,
    /// Visible text of the card, for failure messages.
    pub text: String,
}

/// Pixel counts of one `canvas[data-chart]`.
#[derive(Clone, Debug)]
pub struct ChartPixels {
    pub id: String,
    pub width: u64,
    pub height: u64,
    /// Pixels whose RGBA differs from the pixel at (0, 0), which is taken as background.
    pub differing: u64,
    /// Pixels with non-zero alpha.
    pub opaque: u64,
    /// Whether an element with `data-chart-table` equal to this id exists.
    pub has_table: bool,
    /// Why the pixels could not be read, such as a canvas without a 2D context.
    pub error: Option<String>,
}

impl ChartPixels {
    /// Returns the share of pixels that differ from the background, in 0..1.
    pub fn drawn_fraction(&self) -> f64 {
        let total = self.width * self.height;
        if total == 0 {
            0.0
        } else {
            self.differing as f64 / total as f64
        }
    }
}

const STATUS_SCRIPT: &str = r#"
const root = document.querySelector('[data-state]');
const texts = (selector) => Array.from(document.querySelectorAll(selector), (element) => element.textContent.trim());
const values = (attribute) => Array.from(document.querySelectorAll(`[${attribute}]`), (element) => element.getAttribute(attribute));
return {
    state: root ? root.getAttribute('data-state') : null,
    errors: texts('[data-error]'),
    fileErrors: texts('[data-file-error]'),
    files: values('data-file'),
    kpis: values('data-kpi'),
    kpisWithValue: Array.from(document.querySelectorAll('[data-kpi][data-value]'), (element) => element.getAttribute('data-kpi')),
};
"#;

/// Builds a `File` from base64 bytes and drops it on `[data-dropzone]` as a user's drag would:
/// bubbling `dragenter`, `dragover` and `drop` events that carry one `DataTransfer`.
///
/// It also records in `window.__headlightsE2eDrop` the `performance.now()` just before the
/// `drop` event and the first time after it that `data-state` becomes `ready` or `error`.
const DROP_SCRIPT: &str = r#"
const [name, type, base64] = arguments;
const zone = document.querySelector('[data-dropzone]');
if (!zone) {
    throw new Error('no element with data-dropzone on the page');
}
const binary = atob(base64);
const bytes = new Uint8Array(binary.length);
for (let index = 0; index < binary.length; index += 1) {
    bytes[index] = binary.charCodeAt(index);
}
const file = new File([bytes], name, { type, lastModified: Date.now() });
const transfer = new DataTransfer();
transfer.items.add(file);

const timing = { name, start: null, end: null, state: null };
window.__headlightsE2eDrop = timing;
const observer = new MutationObserver(() => {
    const root = document.querySelector('[data-state]');
    const state = root && root.getAttribute('data-state');
    if (timing.end === null && (state === 'ready' || state === 'error')) {
        timing.end = performance.now();
        timing.state = state;
        observer.disconnect();
    }
});
observer.observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-state'],
});

const fire = (eventType) => zone.dispatchEvent(new DragEvent(eventType, {
    bubbles: true,
    cancelable: true,
    composed: true,
    dataTransfer: transfer,
}));
fire('dragenter');
fire('dragover');
timing.start = performance.now();
fire('drop');
return true;
"#;

const CHARTS_SCRIPT: &str = r#"
return Array.from(document.querySelectorAll('canvas[data-chart]'), (canvas) => {
    const id = canvas.getAttribute('data-chart');
    const result = {
        id,
        width: canvas.width,
        height: canvas.height,
        differing: 0,
        opaque: 0,
        hasTable: document.querySelector(`[data-chart-table="${CSS.escape(id)}"]`) !== null,
        error: null,
    };
    if (canvas.width === 0 || canvas.height === 0) {
        return result;
    }
    const context = canvas.getContext('2d');
    if (!context) {
        result.error = 'the canvas has no 2D context';
        return result;
    }
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    const [red, green, blue, alpha] = [data[0], data[1], data[2], data[3]];
    for (let index = 0; index < data.length; index += 4) {
        if (data[index] !== red || data[index + 1] !== green || data[index + 2] !== blue || data[index + 3] !== alpha) {
            result.differing += 1;
        }
        if (data[index + 3] !== 0) {
            result.opaque += 1;
        }
    }
    return result;
});
"#;

const KPIS_SCRIPT: &str = r#"
return Array.from(document.querySelectorAll('[data-kpi]'), (element) => ({
    id: element.getAttribute('data-kpi'),
    value: element.getAttribute('data-value'),
    period: element.getAttribute('data-period'),
    text: element.textContent.trim(),
}));
"#;

fn string_list(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|item| item.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn optional_string(value: &Value) -> Option<String> {
    value.as_str().map(str::to_string)
}

/// Returns the MIME type a browser gives a picked file with this name.
fn mime_type(file_name: &str) -> &'static str {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".csv") {
        "text/csv"
    } else if lower.ends_with(".txt") {
        "text/plain"
    } else if lower.ends_with(".xlsx") {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    } else {
        ""
    }
}

impl Harness {
    async fn run_script(&self, purpose: &str, script: &str, arguments: Vec<Value>) -> Value {
        self.client()
            .execute(script, arguments)
            .await
            .unwrap_or_else(|error| panic!("failed to {purpose} in the page: {error}"))
    }

    /// Opens the site and waits until the page shows `data-state="empty"`.
    pub async fn open(&self) {
        let url = self.server.url();
        self.client()
            .goto(&url)
            .await
            .unwrap_or_else(|error| panic!("failed to open {url}: {error}"));
        self.wait_for_state("empty", &[], &[], OPEN_TIMEOUT).await;
    }

    /// Reads the page's state, messages, listed files and KPI ids.
    pub async fn status(&self) -> PageStatus {
        let value = self
            .run_script("read data-state", STATUS_SCRIPT, vec![])
            .await;
        PageStatus {
            state: optional_string(&value["state"]),
            errors: string_list(&value["errors"]),
            file_errors: string_list(&value["fileErrors"]),
            files: string_list(&value["files"]),
            kpis: string_list(&value["kpis"]),
            kpis_with_value: string_list(&value["kpisWithValue"]),
        }
    }

    /// Waits until `data-state` equals `state`, every name in `files` is listed as a
    /// `data-file`, and every id in `kpis` has a `data-kpi` card with a `data-value`.
    ///
    /// Panics after `timeout` with the page's state and messages and the failed requests.
    pub async fn wait_for_state(
        &self,
        state: &str,
        files: &[&str],
        kpis: &[&str],
        timeout: Duration,
    ) -> PageStatus {
        let started = Instant::now();
        loop {
            let status = self.status().await;
            let state_matches = status.state.as_deref() == Some(state);
            let files_listed = files
                .iter()
                .all(|file| status.files.iter().any(|listed| listed == file));
            let kpis_valued = kpis
                .iter()
                .all(|kpi| status.kpis_with_value.iter().any(|valued| valued == kpi));
            if state_matches && files_listed && kpis_valued {
                return status;
            }
            if started.elapsed() > timeout {
                panic!(
                    "timed out after {timeout:?} waiting for data-state=\"{state}\" with files {files:?} \
                     and values for KPIs {kpis:?}.\n{}",
                    self.describe(&status)
                );
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    /// Returns a failure description: the page status and the requests that failed.
    pub fn describe(&self, status: &PageStatus) -> String {
        format!(
            "data-state: {:?}\n[data-error] texts: {:?}\n[data-file-error] texts: {:?}\n\
             listed files: {:?}\nKPI ids: {:?}\nKPI ids with a data-value: {:?}\n\
             failed requests: {:?}",
            status.state,
            status.errors,
            status.file_errors,
            status.files,
            status.kpis,
            status.kpis_with_value,
            self.server.failed_requests(),
        )
    }

    /// Drops a file with `name` and `bytes` on the drop zone with a script-built drag and drop.
    pub async fn drop_file(&self, name: &str, bytes: &[u8]) {
        let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
        let arguments = vec![json!(name), json!(mime_type(name)), json!(encoded)];
        self.run_script(
            &format!("drop {name} on [data-dropzone]"),
            DROP_SCRIPT,
            arguments,
        )
        .await;
    }

    /// Returns the milliseconds from the last [`Harness::drop_file`]'s `drop` event to the first
    /// `data-state` change to `ready` or `error` after it, with that state, or `None` before the change.
    pub async fn drop_to_settled(&self) -> Option<(f64, String)> {
        let timing = self
            .run_script(
                "read the drop timing",
                "return window.__headlightsE2eDrop || null;",
                vec![],
            )
            .await;
        let start = timing["start"].as_f64()?;
        let end = timing["end"].as_f64()?;
        let state = timing["state"].as_str()?.to_string();
        Some((end - start, state))
    }

    /// Picks files by absolute path in the drop zone's `<input type="file" multiple>`.
    pub async fn pick_files(&self, files: &[&Path]) {
        let input = self
            .client()
            .find(Locator::Css(FILE_INPUT_SELECTOR))
            .await
            .unwrap_or_else(|error| panic!("no file input matches {FILE_INPUT_SELECTOR}: {error}"));
        let mut absolute_paths = Vec::with_capacity(files.len());
        for file in files {
            let absolute = file.canonicalize().unwrap_or_else(|error| {
                panic!("file to pick not found: {}: {error}", file.display())
            });
            absolute_paths.push(absolute.display().to_string());
        }
        // WebDriver takes several files for one input as paths separated by newlines.
        input
            .send_keys(&absolute_paths.join("\n"))
            .await
            .unwrap_or_else(|error| {
                panic!("failed to pick {absolute_paths:?} in {FILE_INPUT_SELECTOR}: {error}")
            });
    }

    /// Reloads the page as the browser's reload button does, and waits for the document to load.
    ///
    /// The caller waits for the `data-state` it expects, because the app starts after the load.
    pub async fn reload(&self) {
        self.client()
            .refresh()
            .await
            .unwrap_or_else(|error| panic!("failed to reload {}: {error}", self.server.url()));
    }

    /// Runs `script` until it returns a value other than `null`, `false` or `0`, and returns it.
    ///
    /// Panics after `timeout` with `purpose` and the last value the script returned.
    pub async fn wait_for_script(&self, purpose: &str, script: &str, timeout: Duration) -> Value {
        let started = Instant::now();
        loop {
            let value = self.run_script(purpose, script, vec![]).await;
            let is_truthy = match &value {
                Value::Null | Value::Bool(false) => false,
                Value::Number(number) => number.as_f64() != Some(0.0),
                _ => true,
            };
            if is_truthy {
                return value;
            }
            if started.elapsed() > timeout {
                panic!("timed out after {timeout:?} waiting to {purpose}; the script last returned {value}");
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    /// Clicks the first element that matches `selector` as a user would: chromedriver scrolls
    /// it into view and clicks its centre, and fails when another element covers it.
    pub async fn click(&self, selector: &str) {
        let element = self
            .client()
            .find(Locator::Css(selector))
            .await
            .unwrap_or_else(|error| panic!("no element matches {selector}: {error}"));
        element
            .click()
            .await
            .unwrap_or_else(|error| panic!("failed to click {selector}: {error}"));
    }

    /// Returns the text of `[data-storage-status]`, or `None` when the page has no such element.
    pub async fn storage_status(&self) -> Option<String> {
        let value = self
            .run_script(
                "read [data-storage-status]",
                "const element = document.querySelector('[data-storage-status]'); \
                 return element ? element.textContent.trim() : null;",
                vec![],
            )
            .await;
        optional_string(&value)
    }

    /// Clicks the Remove button in the file row `[data-file="<name>"]`.
    pub async fn click_remove(&self, name: &str) {
        let xpath = format!("//*[@data-file='{name}']//button[normalize-space()='Remove']");
        self.client()
            .find(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|error| panic!("no Remove button in the row of {name}: {error}"))
            .click()
            .await
            .unwrap_or_else(|error| panic!("failed to click Remove in the row of {name}: {error}"));
    }

    /// Returns the text of the file row `[data-file="<name>"]`, or `None` when no row has that name.
    pub async fn file_row_text(&self, name: &str) -> Option<String> {
        let value = self
            .run_script(
                &format!("read the row of {name}"),
                "const row = Array.from(document.querySelectorAll('[data-file]')) \
                     .find((element) => element.getAttribute('data-file') === arguments[0]); \
                 return row ? row.textContent.trim() : null;",
                vec![json!(name)],
            )
            .await;
        optional_string(&value)
    }

    /// Reads every KPI card's id, `data-value` and `data-period`.
    pub async fn kpis(&self) -> Vec<Kpi> {
        let value = self
            .run_script("read [data-kpi] cards", KPIS_SCRIPT, vec![])
            .await;
        let items = value.as_array().cloned().unwrap_or_default();
        items
            .iter()
            .map(|item| Kpi {
                id: item["id"].as_str().unwrap_or_default().to_string(),
                value: optional_string(&item["value"]),
                period: optional_string(&item["period"]),
                text: item["text"].as_str().unwrap_or_default().to_string(),
            })
            .collect()
    }

    /// Returns the `data-value` of the KPI card `id` as a number.
    ///
    /// Panics when the card is missing or its value does not parse as a number.
    pub async fn kpi_value(&self, id: &str) -> f64 {
        let kpis = self.kpis().await;
        let kpi = kpis
            .iter()
            .find(|kpi| kpi.id == id)
            .unwrap_or_else(|| panic!("KPI card [data-kpi=\"{id}\"] not found; cards: {kpis:?}"));
        let raw = kpi
            .value
            .as_deref()
            .unwrap_or_else(|| panic!("KPI card \"{id}\" has no data-value attribute: {kpi:?}"));
        raw.trim().parse().unwrap_or_else(|error| {
            panic!("KPI \"{id}\" data-value {raw:?} is not a number: {error}")
        })
    }

    /// Counts drawn pixels in every `canvas[data-chart]`.
    pub async fn chart_pixels(&self) -> Vec<ChartPixels> {
        let value = self
            .run_script("read canvas pixels", CHARTS_SCRIPT, vec![])
            .await;
        let items = value.as_array().cloned().unwrap_or_default();
        items
            .iter()
            .map(|item| ChartPixels {
                id: item["id"].as_str().unwrap_or_default().to_string(),
                width: item["width"].as_u64().unwrap_or_default(),
                height: item["height"].as_u64().unwrap_or_default(),
                differing: item["differing"].as_u64().unwrap_or_default(),
                opaque: item["opaque"].as_u64().unwrap_or_default(),
                has_table: item["hasTable"].as_bool().unwrap_or(false),
                error: optional_string(&item["error"]),
            })
            .collect()
    }

    /// Waits until every chart in `expected_ids` exists and every chart on the page has more
    /// than `min_fraction` of its pixels differing from its background, then returns all charts.
    ///
    /// Returns the last reading after [`DRAW_TIMEOUT`], so the caller's asserts name the failing chart.
    pub async fn wait_for_charts(
        &self,
        expected_ids: &[&str],
        min_fraction: f64,
    ) -> Vec<ChartPixels> {
        let started = Instant::now();
        loop {
            let charts = self.chart_pixels().await;
            let all_present = expected_ids
                .iter()
                .all(|id| charts.iter().any(|chart| chart.id == *id));
            let all_drawn = charts
                .iter()
                .all(|chart| chart.drawn_fraction() > min_fraction);
            if (all_present && all_drawn) || started.elapsed() > DRAW_TIMEOUT {
                return charts;
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    /// Saves a PNG screenshot of the whole page to `<target>/e2e-screenshots/<name>` and returns its path.
    ///
    /// The window is made tall enough to show the page, up to 4000 pixels, then restored.
    pub async fn save_screenshot(&self, name: &str) -> PathBuf {
        self.save_screenshot_at_width(name, crate::browser::WINDOW_SIZE.0).await
    }

    /// Saves a screenshot as [`Harness::save_screenshot`] does, with the window `width` pixels
    /// wide (390 for a phone), then restores the window's size.
    pub async fn save_screenshot_at_width(&self, name: &str, width: u32) -> PathBuf {
        let (normal_width, height) = crate::browser::WINDOW_SIZE;
        // The page's height depends on its width, so the width is set before measuring.
        let _ = self.client().set_window_size(width, height).await;
        let heights = self
            .run_script(
                "measure the page height",
                "return [document.documentElement.scrollHeight, window.outerHeight - window.innerHeight];",
                vec![],
            )
            .await;
        let page_height = heights[0].as_u64().unwrap_or_default();
        // Headless Chromium still reserves the height of its toolbar inside the window size.
        let toolbar_height = heights[1].as_u64().unwrap_or_default();
        let shot_height = (page_height + toolbar_height).clamp(u64::from(height), 4000) as u32;
        // Resizing only helps the human viewer, so a failure keeps the viewport shot.
        let resized = self
            .client()
            .set_window_size(width, shot_height)
            .await
            .is_ok();

        let png = self
            .client()
            .screenshot()
            .await
            .unwrap_or_else(|error| panic!("failed to take a screenshot: {error}"));
        if resized || width != normal_width {
            let _ = self.client().set_window_size(normal_width, height).await;
        }

        let path = crate::paths::screenshot_dir().join(name);
        std::fs::write(&path, png)
            .unwrap_or_else(|error| panic!("failed to write {}: {error}", path.display()));
        path
    }
}
