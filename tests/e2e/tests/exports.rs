//! The files the page saves: a chart as PNG and the KPI table as CSV, downloaded by a click
//! as a user's browser saves them, into a directory set through DevTools.

use headlights_e2e::capture::wait_for_download;
use headlights_e2e::temp::TempDir;
use headlights_e2e::Harness;

/// Share of a chart's pixels that must differ from its corner pixel for it to count as drawn.
const MIN_DRAWN_FRACTION: f64 = 0.01;

/// Opens the site with downloads going into a new directory, and loads the sample company.
async fn sample_with_downloads() -> (TempDir, Harness) {
    let downloads = TempDir::new("headlights-e2e-downloads");
    let harness = Harness::start().await;
    harness.open().await;
    harness.allow_downloads(downloads.path()).await;
    harness.click("[data-sample]").await;
    harness.wait_for_state("ready", &["stripe_subscriptions.csv"], &["mrr", "nps", "mau"], headlights_e2e::page::LOAD_TIMEOUT).await;
    (downloads, harness)
}

/// Decodes a PNG into its width, height and RGBA pixels.
fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8() | png::Transformations::ALPHA);
    let mut reader = decoder.read_info().unwrap_or_else(|error| panic!("the PNG does not decode: {error}"));
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).unwrap_or_else(|error| panic!("the PNG's pixels do not decode: {error}"));
    assert_eq!(frame.color_type, png::ColorType::Rgba, "the decoder was asked for RGBA");
    pixels.truncate(frame.buffer_size());
    (frame.width, frame.height, pixels)
}

#[tokio::test]
async fn chart_png_has_canvas_pixels() {
    let (downloads, harness) = sample_with_downloads().await;

    for chart in ["revenue_trend", "mrr_movements"] {
        let size = harness
            .client()
            .execute("const canvas = document.querySelector(`canvas[data-chart=${arguments[0]}]`); return [canvas.width, canvas.height];", vec![serde_json::json!(chart)])
            .await
            .expect("the canvas is readable");
        harness.click(&format!("[data-export-png={chart}]")).await;
        let bytes = wait_for_download(downloads.path(), &format!("{chart}.png")).await;

        let (width, height, pixels) = decode_png(&bytes);
        assert_eq!(serde_json::json!([width, height]), size, "{chart}.png is not the size of the chart's canvas");
        let corner = &pixels[..4];
        let differing = pixels.chunks_exact(4).filter(|pixel| *pixel != corner).count();
        let fraction = differing as f64 / (u64::from(width) * u64::from(height)) as f64;
        assert!(fraction > MIN_DRAWN_FRACTION, "{chart}.png looks blank: {differing} of {width}x{height} pixels differ from the corner");
        let opaque = pixels.chunks_exact(4).filter(|pixel| pixel[3] == 255).count();
        assert!(opaque > differing, "{chart}.png is mostly transparent: {opaque} opaque pixels");
    }
}

#[tokio::test]
async fn kpi_csv_matches_cards() {
    let (downloads, harness) = sample_with_downloads().await;

    harness.click("[data-export=kpis]").await;
    let bytes = wait_for_download(downloads.path(), "headlights-kpis.csv").await;
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header = reader.headers().expect("the CSV has a header").clone();
    let column = |name: &str| header.iter().position(|field| field == name).unwrap_or_else(|| panic!("no {name} column in {header:?}"));
    let (kpi, value, period, reason) = (column("kpi"), column("value"), column("period"), column("unavailable_reason"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|row| row.expect("a well-formed CSV row")).collect();

    let unavailable = harness
        .client()
        .execute("return Object.fromEntries(Array.from(document.querySelectorAll('[data-kpi][data-unavailable]'), (card) => [card.dataset.kpi, card.dataset.unavailable]));", vec![])
        .await
        .expect("the cards are readable");
    let cards = harness.kpis().await;
    assert_eq!(rows.len(), cards.len(), "the CSV has {} rows for {} cards", rows.len(), cards.len());
    for card in &cards {
        let row = rows.iter().find(|row| &row[kpi] == card.id.as_str()).unwrap_or_else(|| panic!("no CSV row for {}", card.id));
        match &card.value {
            Some(shown) => {
                assert_eq!(&row[value], shown.as_str(), "{}: the CSV value differs from data-value", card.id);
                assert_eq!(Some(&row[period]), card.period.as_deref(), "{}: the CSV period differs from data-period", card.id);
            }
            None => {
                assert_eq!(Some(&row[reason]), unavailable[&card.id].as_str(), "{}: the CSV reason differs from data-unavailable", card.id);
            }
        }
    }

    // Changes such as "+2.1 pp vs Aug 2026" start with a sign, so the sample exercises the guard.
    let cells: Vec<&str> = rows.iter().flat_map(|row| row.iter()).collect();
    for cell in &cells {
        let formula_start = cell.starts_with(['=', '+', '-', '@']);
        assert!(!formula_start || cell.parse::<f64>().is_ok(), "the CSV cell {cell:?} would run as a spreadsheet formula");
    }
    let neutralised = cells.iter().filter(|cell| cell.starts_with("'+") || cell.starts_with("'-")).count();
    assert!(neutralised > 0, "no signed text cell was neutralised with a leading apostrophe: {cells:?}");
}
