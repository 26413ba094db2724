//! The segment filter on the sample company: every file of its exports joins to the HubSpot
//! companies file, so a plan's view keeps every card that the whole company has.

use headlights_core::ingest::read_file;
use headlights_core::metrics::dashboard::segment_filter::SegmentFilter;
use headlights_core::metrics::{build_dashboard, Dashboard, DashboardOptions};
use headlights_core::sample::{sample_company, SampleSize};

/// The seed behind the page's "Try the sample data" button.
const SAMPLE_SEED: u64 = 7;

fn sample_dashboard(options: &DashboardOptions) -> Dashboard {
    let files = sample_company(SAMPLE_SEED, SampleSize::small());
    let datasets: Vec<_> = files.iter().map(|file| read_file(&file.name, &file.bytes).unwrap_or_else(|error| panic!("{}: {error}", file.name)).dataset).collect();
    let references: Vec<_> = datasets.iter().collect();
    build_dashboard(&references, options)
}

fn sample_count(dashboard: &Dashboard, id: &str) -> u64 {
    let card = dashboard.cards.iter().find(|card| card.id == id).unwrap_or_else(|| panic!("no card {id}"));
    card.reading.as_ref().unwrap_or_else(|reason| panic!("{id}: {reason}")).n
}

#[test]
fn plan_filter_keeps_experience_cards() {
    let whole = sample_dashboard(&DashboardOptions::default());
    let filter = SegmentFilter { column: "Plan".into(), value: "Growth".into() };
    let growth = sample_dashboard(&DashboardOptions { segment_filter: Some(filter), ..DashboardOptions::default() });

    let applied = growth.applied_filter.as_ref().expect("the sample has a Plan column");
    assert!(applied.unjoined.is_empty(), "files left out: {:?}", applied.unjoined);
    for id in ["nps", "csat", "ces", "fcr", "mau", "mrr"] {
        let (part, all) = (sample_count(&growth, id), sample_count(&whole, id));
        assert!(part > 0, "{id}: the Growth plan counts nothing");
        assert!(part < all, "{id}: the Growth plan counts {part}, as many as the company's {all}");
    }
}
