//! Whole-page screenshots of the empty page and of the sample dashboard on a laptop and a
//! phone, in light and dark, for a person to look at. They are written to
//! `target/e2e-screenshots/`, and the reviewed copies are kept in `tests/screenshots/`.
//!
//! The test also checks what a person would otherwise have to spot: no card's or chart
//! frame's content is wider than its box at either width.

use headlights_e2e::capture::Look;
use headlights_e2e::Harness;

const LAPTOP: (u32, u32) = (1280, 800);
const PHONE: (u32, u32) = (390, 844);

/// Lists elements inside cards, chart frames and the controls whose content overflows their
/// box sideways, each as `name: scroll width > client width`. Tables are left out, because
/// they sit in a scrolling box on purpose.
const OVERFLOW_SCRIPT: &str = r#"
const found = [];
for (const element of document.querySelectorAll('.card, .card *, .chart, .chart figcaption *, .controls, .controls *')) {
    if (element.closest('.table-scroll') || element.tagName === 'SELECT' || element.tagName === 'OPTION') {
        continue;
    }
    if (element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX !== 'auto') {
        const name = element.getAttribute('data-kpi') || element.className || element.tagName;
        found.push(`${name}: ${element.scrollWidth} > ${element.clientWidth}`);
    }
}
return found;
"#;

async fn overflowing(harness: &Harness) -> Vec<String> {
    let value = harness.client().execute(OVERFLOW_SCRIPT, vec![]).await.expect("the layout is readable");
    value.as_array().map(|items| items.iter().filter_map(|item| item.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

#[tokio::test]
async fn empty_and_sample_pages() {
    let harness = Harness::start().await;
    harness.open().await;
    for size in [LAPTOP, PHONE] {
        let look = Look { size, dark: false };
        harness.emulate(look).await;
        let path = harness.save_full_page(&look.file_name("empty")).await;
        eprintln!("screenshot: {}", path.display());
    }

    let clicked = std::time::Instant::now();
    harness.click("[data-sample]").await;
    harness.wait_for_state("ready", &["stripe_subscriptions.csv"], &["mrr", "nps", "mau"], headlights_e2e::page::LOAD_TIMEOUT).await;
    // Polled every 100 ms through WebDriver, so this is an upper bound to within about 0.2 s.
    eprintln!("\"Try the sample data\" to data-state=ready: {:.1} s (headless Chromium, this machine)", clicked.elapsed().as_secs_f64());
    for size in [LAPTOP, PHONE] {
        for dark in [false, true] {
            let look = Look { size, dark };
            harness.emulate(look).await;
            let path = harness.save_full_page(&look.file_name("sample")).await;
            eprintln!("screenshot: {}", path.display());
            let overflow = overflowing(&harness).await;
            assert!(overflow.is_empty(), "{look:?}: content wider than its box: {overflow:?}");
        }
    }
}
