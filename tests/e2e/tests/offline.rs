//! Offline use: after one visit the site opens and works with its server gone, and a new
//! build replaces the offline copy.
//!
//! The server is stopped for real, so the port refuses connections as an unreachable host
//! does. Needs a built site (`scripts/build`), `/usr/bin/chromium` and `/usr/bin/chromedriver`.

use std::path::Path;

use headlights_e2e::datasets::CDNOW;
use headlights_e2e::page::LOAD_TIMEOUT;
use headlights_e2e::paths::dist_dir;
use headlights_e2e::temp::TempDir;
use headlights_e2e::Harness;

const SUBPATH: &str = "/headlights/";

/// Share of a chart's pixels that must differ from its background for it to count as drawn.
const MIN_DRAWN_FRACTION: f64 = 0.01;

/// Marker that the second build adds to its index.html and sw.js.
const UPDATE_MARKER: &str = "headlights-e2e-second-build";

/// Start of the line in the built sw.js that sets the build's version, which names its cache.
const VERSION_LINE_START: &str = "const VERSION = \"";

/// Copies every file of `from` into the new directory `to`, keeping sub-directories.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to)
        .unwrap_or_else(|error| panic!("failed to create {}: {error}", to.display()));
    let entries = std::fs::read_dir(from)
        .unwrap_or_else(|error| panic!("failed to list {}: {error}", from.display()));
    for entry in entries {
        let entry =
            entry.unwrap_or_else(|error| panic!("failed to list {}: {error}", from.display()));
        let source = entry.path();
        let target = to.join(entry.file_name());
        if source.is_dir() {
            copy_tree(&source, &target);
        } else {
            std::fs::copy(&source, &target).unwrap_or_else(|error| {
                panic!(
                    "failed to copy {} to {}: {error}",
                    source.display(),
                    target.display()
                )
            });
        }
    }
}

/// Writes a second build into `to`: the built site with a marker comment in index.html and a
/// new version in sw.js, as a rebuild with changed sources would have.
fn write_second_build(to: &Path) -> String {
    copy_tree(&dist_dir(), to);

    let index_path = to.join("index.html");
    let index = std::fs::read_to_string(&index_path).expect("the build has an index.html");
    // Inside <head>, because a comment after </html> is not part of document.documentElement.
    assert!(
        index.contains("</head>"),
        "the built index.html has no </head>"
    );
    let index = index.replacen("</head>", &format!("<!-- {UPDATE_MARKER} --></head>"), 1);
    std::fs::write(&index_path, index).expect("failed to write the second build's index.html");

    let worker_path = to.join("sw.js");
    let worker = std::fs::read_to_string(&worker_path).expect("the build has a sw.js");
    let version_start = worker
        .find(VERSION_LINE_START)
        .map(|start| start + VERSION_LINE_START.len())
        .unwrap_or_else(|| panic!("sw.js has no line starting with {VERSION_LINE_START:?}"));
    let version_end = version_start
        + worker[version_start..]
            .find('"')
            .expect("the version string in sw.js ends with a quote");
    let new_version = format!("{}-second", &worker[version_start..version_end]);
    let worker = format!(
        "{}{new_version}{}\n// {UPDATE_MARKER}\n",
        &worker[..version_start],
        &worker[version_end..]
    );
    std::fs::write(&worker_path, worker).expect("failed to write the second build's sw.js");
    new_version
}

async fn page_html(harness: &Harness) -> String {
    harness
        .client()
        .execute("return document.documentElement.outerHTML;", vec![])
        .await
        .expect("failed to read the page's HTML")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn site_opens_offline() {
    let mut harness = Harness::start_at(SUBPATH).await;
    harness.open().await;
    harness.wait_for_service_worker().await;

    harness.server.stop();
    let requests_before_reload = harness.server.requests().len();
    harness.reload().await;
    // The wait panics with the page's state if Chromium shows its offline error page instead.
    harness
        .wait_for_state("empty", &[], &[], headlights_e2e::page::OPEN_TIMEOUT)
        .await;

    harness.drop_dataset(CDNOW).await;
    harness
        .wait_for_state("ready", &[CDNOW], &["revenue"], LOAD_TIMEOUT)
        .await;

    let charts = harness
        .wait_for_charts(&["revenue_trend"], MIN_DRAWN_FRACTION)
        .await;
    let revenue_trend = charts
        .iter()
        .find(|chart| chart.id == "revenue_trend")
        .expect("the revenue_trend chart is missing offline");
    assert!(
        revenue_trend.drawn_fraction() > MIN_DRAWN_FRACTION,
        "the revenue_trend chart looks blank offline: {revenue_trend:?}"
    );
    assert_eq!(
        harness.server.requests().len(),
        requests_before_reload,
        "the stopped server logged requests"
    );
}

#[tokio::test]
async fn new_build_replaces_offline_copy() {
    let mut harness = Harness::start_at(SUBPATH).await;
    harness.open().await;
    harness.wait_for_service_worker().await;
    let first_caches = harness.cache_names().await;
    assert_eq!(
        first_caches.len(),
        1,
        "the first build should have one cache: {first_caches:?}"
    );

    let second_build = TempDir::new("headlights-e2e-second-build");
    let second_dist = second_build.path().join("dist");
    let second_version = write_second_build(&second_dist);
    harness.server.restart(&second_dist);

    // Navigations go to the network first, so the new page shows at once, and the browser
    // checks sw.js for a change on each navigation.
    harness.reload().await;
    harness
        .wait_for_state("empty", &[], &[], headlights_e2e::page::OPEN_TIMEOUT)
        .await;
    assert!(
        page_html(&harness).await.contains(UPDATE_MARKER),
        "the page did not change to the second build after a reload"
    );

    let expected_cache = format!("headlights-{second_version}");
    harness
        .wait_for_script(
            &format!("have only the cache {expected_cache} left"),
            &format!(
                "return caches.keys().then((names) => names.length === 1 && names[0] === {});",
                serde_json::to_string(&expected_cache).expect("a string serializes")
            ),
            headlights_e2e::storage::SERVICE_WORKER_TIMEOUT,
        )
        .await;
    harness.reload().await;
    harness
        .wait_for_state("empty", &[], &[], headlights_e2e::page::OPEN_TIMEOUT)
        .await;

    harness.server.stop();
    harness.reload().await;
    harness
        .wait_for_state("empty", &[], &[], headlights_e2e::page::OPEN_TIMEOUT)
        .await;
    assert!(
        page_html(&harness).await.contains(UPDATE_MARKER),
        "offline, the page is still the first build: the update did not replace the offline copy"
    );
}
