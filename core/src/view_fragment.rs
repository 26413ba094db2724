//! The dashboard's view settings as a URL fragment (`#g=week&from=2024-01-01&churn=start-new`,
//! `#filter=Plan&value=Pro` for a segment filter),
//! so that a link reopens the same view. Only settings go in the fragment, never data.
//!
//! Decoding is lenient: an unknown key or an invalid value is skipped, so an old or edited link
//! still opens, with defaults where it cannot be read.

use chrono::NaiveDate;

use crate::ingest::values::parse_money;
use crate::metrics::experience::ces::CesDirection;
use crate::metrics::mrr::FreePeriod;
use crate::metrics::new_user_retention::{CohortAveraging, RetentionMode};
use crate::metrics::period::{DateRange, Granularity};
use crate::metrics::retention::ChurnConvention;
use crate::metrics::dashboard::segment_filter::SegmentFilter;
use crate::metrics::DashboardOptions;

/// Encodes the settings that differ from the defaults, in a fixed key order.
pub fn encode_fragment(options: &DashboardOptions) -> String {
    let defaults = DashboardOptions::default();
    let mut pairs: Vec<(&str, String)> = Vec::new();

    if options.granularity != defaults.granularity {
        pairs.push(("g", granularity_name(options.granularity).to_string()));
    }
    if let Some(range) = options.date_range {
        pairs.push(("from", range.first.to_string()));
        pairs.push(("to", range.last.to_string()));
    }
    if options.churn_convention == ChurnConvention::StartAndNewCustomers {
        pairs.push(("churn", "start-new".to_string()));
    }
    if options.retention_mode == RetentionMode::OnOrAfter {
        pairs.push(("retention", "on-or-after".to_string()));
    }
    if options.cohort_averaging == CohortAveraging::Unweighted {
        pairs.push(("average", "plain".to_string()));
    }
    if options.ces_direction == CesDirection::LowerIsEasier {
        pairs.push(("ces", "lower".to_string()));
    }
    if let Some(basis_points) = options.gross_margin_basis_points {
        pairs.push(("margin", format!("{}", f64::from(basis_points) / 100.0)));
    }
    if let Some(spend) = options.retention_spend {
        pairs.push(("spend", spend.to_major_string()));
    }
    if options.free_period == FreePeriod::ContractionToZero {
        pairs.push(("free", "contraction".to_string()));
    }
    let texts = [("segment", &options.segment), ("currency", &options.currency), ("feature", &options.adoption_feature)];
    for (key, value) in texts {
        if let Some(value) = value {
            pairs.push((key, value.clone()));
        }
    }
    if let Some(as_of) = options.as_of {
        pairs.push(("asof", as_of.to_string()));
    }
    if let Some(filter) = &options.segment_filter {
        pairs.push(("filter", filter.column.clone()));
        pairs.push(("value", filter.value.clone()));
    }

    pairs.iter().map(|(key, value)| format!("{key}={}", percent_encode(value))).collect::<Vec<_>>().join("&")
}

/// Decodes a fragment (with or without its leading `#`) into settings.
pub fn decode_fragment(fragment: &str) -> DashboardOptions {
    let mut options = DashboardOptions::default();
    let (mut from, mut to) = (None, None);
    let (mut filter_column, mut filter_value) = (None, None);

    for pair in fragment.trim_start_matches('#').split('&').filter(|pair| !pair.is_empty()) {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let Some(value) = percent_decode(raw) else { continue };
        match key {
            "g" => options.granularity = parse_granularity(&value).unwrap_or(options.granularity),
            "from" => from = parse_date(&value),
            "to" => to = parse_date(&value),
            "churn" if value == "start-new" => options.churn_convention = ChurnConvention::StartAndNewCustomers,
            "retention" if value == "on-or-after" => options.retention_mode = RetentionMode::OnOrAfter,
            "average" if value == "plain" => options.cohort_averaging = CohortAveraging::Unweighted,
            "ces" if value == "lower" => options.ces_direction = CesDirection::LowerIsEasier,
            "margin" => options.gross_margin_basis_points = parse_percent_basis_points(&value),
            "spend" => options.retention_spend = parse_money(&value).filter(|amount| amount.micros >= 0),
            "free" if value == "contraction" => options.free_period = FreePeriod::ContractionToZero,
            "segment" => options.segment = Some(value),
            "currency" => options.currency = Some(value),
            "feature" => options.adoption_feature = Some(value),
            "asof" => options.as_of = parse_date(&value),
            "filter" if !value.is_empty() => filter_column = Some(value),
            "value" => filter_value = Some(value),
            _ => {}
        }
    }

    if let (Some(first), Some(last)) = (from, to) {
        options.date_range = (first <= last).then_some(DateRange { first, last });
    }
    if let (Some(column), Some(value)) = (filter_column, filter_value) {
        options.segment_filter = Some(SegmentFilter { column, value });
    }
    options
}

/// Names a granularity as the fragment and the page's selector write it.
pub fn granularity_name(granularity: Granularity) -> &'static str {
    match granularity {
        Granularity::Day => "day",
        Granularity::Week => "week",
        Granularity::Month => "month",
        Granularity::Quarter => "quarter",
        Granularity::Year => "year",
    }
}

pub fn parse_granularity(name: &str) -> Option<Granularity> {
    match name {
        "day" => Some(Granularity::Day),
        "week" => Some(Granularity::Week),
        "month" => Some(Granularity::Month),
        "quarter" => Some(Granularity::Quarter),
        "year" => Some(Granularity::Year),
        _ => None,
    }
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Reads a margin in percent (`62.5`) as basis points, within 0–100%.
fn parse_percent_basis_points(text: &str) -> Option<u32> {
    let percent: f64 = text.parse().ok()?;
    (0.0..=100.0).contains(&percent).then(|| (percent * 100.0).round() as u32)
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn percent_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// Decodes `%XX` escapes; `None` for a malformed escape or bytes that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3)?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Money;

    #[test]
    fn defaults_encode_to_nothing() {
        assert_eq!(encode_fragment(&DashboardOptions::default()), "");
        assert_eq!(decode_fragment(""), DashboardOptions::default());
    }

    #[test]
    fn every_setting_round_trips() {
        let options = DashboardOptions {
            segment: Some("Contract & plan".to_string()),
            granularity: Granularity::Quarter,
            date_range: Some(DateRange { first: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(), last: NaiveDate::from_ymd_opt(2024, 12, 31).unwrap() }),
            churn_convention: ChurnConvention::StartAndNewCustomers,
            retention_mode: RetentionMode::OnOrAfter,
            cohort_averaging: CohortAveraging::Unweighted,
            ces_direction: CesDirection::LowerIsEasier,
            gross_margin_basis_points: Some(6250),
            retention_spend: Some(Money::from_cents(1_250_050)),
            free_period: FreePeriod::ContractionToZero,
            currency: Some("EUR".to_string()),
            adoption_feature: Some("report_created".to_string()),
            as_of: NaiveDate::from_ymd_opt(2025, 1, 15),
            segment_filter: Some(SegmentFilter { column: "Company size".to_string(), value: "51-200 & more".to_string() }),
        };
        let fragment = encode_fragment(&options);
        assert!(fragment.contains("segment=Contract%20%26%20plan"), "{fragment}");
        assert!(fragment.ends_with("filter=Company%20size&value=51-200%20%26%20more"), "{fragment}");
        assert_eq!(decode_fragment(&format!("#{fragment}")), options);
    }

    #[test]
    fn invalid_values_fall_back_to_defaults() {
        let options = decode_fragment("#g=fortnight&from=2024-13-01&to=2024-01-31&margin=150&spend=-5&unknown=1&segment=%ZZ");
        assert_eq!(options, DashboardOptions::default());
    }

    #[test]
    fn filter_needs_column_and_value() {
        assert_eq!(decode_fragment("filter=Plan").segment_filter, None);
        assert_eq!(decode_fragment("value=Pro").segment_filter, None);
        let filter = decode_fragment("value=Pro&filter=Plan").segment_filter;
        assert_eq!(filter, Some(SegmentFilter { column: "Plan".to_string(), value: "Pro".to_string() }));
    }

    #[test]
    fn reversed_range_is_dropped() {
        assert_eq!(decode_fragment("from=2024-02-01&to=2024-01-01").date_range, None);
    }
}
