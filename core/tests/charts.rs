//! Charts drawn into in-memory SVG, checked for their labels, marks, bounds and hit tests.
//!
//! `chart_previews_are_written` also writes every chart as SVG to `target/chart-previews/`,
//! for a person to convert (for example with `rsvg-convert`) and look at.

use chrono::NaiveDate;
use headlights_core::charts::active_users::{draw_active_users, hit_test_active_users};
use headlights_core::charts::cohort_heatmap::{draw_cohort_heatmap, hit_test_cohort_heatmap};
use headlights_core::charts::feature_adoption::{draw_feature_adoption, hit_test_feature_adoption};
use headlights_core::charts::layout::{row_centres, slot_centres, PlotRect};
use headlights_core::charts::mrr_movements::{draw_mrr_movements, hit_test_mrr_movements};
use headlights_core::charts::nps_distribution::{draw_nps_distribution, hit_test_nps_distribution};
use headlights_core::charts::revenue_trend::{draw_revenue_trend, draw_revenue_trend_compared, hit_test_revenue_trend};
use headlights_core::charts::segment_churn::{draw_segment_churn, hit_test_segment_churn};
use headlights_core::charts::user_adoption::{draw_user_adoption, hit_test_user_adoption};
use headlights_core::charts::{active_users, cohort_heatmap, feature_adoption, mrr_movements, nps_distribution, revenue_trend, segment_churn, user_adoption};
use headlights_core::charts::{ChartError, Theme, PALETTE};
use headlights_core::ingest::{read_file, Money};
use headlights_core::metrics::cohorts::{Cohort, CohortTable};
use headlights_core::metrics::dashboard::{PeriodNps, SegmentBreakdown, UserAdoptionCurve};
use headlights_core::metrics::experience::nps::nps;
use headlights_core::metrics::movements::PeriodMovements;
use headlights_core::metrics::period::{Granularity, Month, Period};
use headlights_core::metrics::revenue::{MonthRevenue, PeriodRevenue};
use headlights_core::metrics::snapshot::SegmentChurn;
use headlights_core::metrics::usage::adoption::{AdoptionPoint, FeatureAdoption};
use headlights_core::metrics::usage::ActiveUsers;
use headlights_core::metrics::{build_dashboard, DashboardOptions, Share};
use plotters::coord::Shift;
use plotters::prelude::*;

type SvgArea<'a> = DrawingArea<SVGBackend<'a>, Shift>;

const SIZE: (u32, u32) = (800, 400);

/// Light and dark themes at pixel ratios 1 and 2.
fn themes() -> Vec<Theme> {
    vec![Theme::light(1.0), Theme::dark(1.0), Theme::light(2.0), Theme::dark(2.0)]
}

/// Returns the area size in device pixels for a theme: 800 × 400 CSS pixels.
fn size_for(theme: &Theme) -> (u32, u32) {
    ((SIZE.0 as f64 * theme.scale) as u32, (SIZE.1 as f64 * theme.scale) as u32)
}

fn render(size: (u32, u32), draw: impl FnOnce(&SvgArea) -> Result<(), ChartError>) -> String {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw(&area).expect("the chart draws");
    }
    svg
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a valid test date")
}

fn month_period(year: i32, month: u32) -> Period {
    Period::from(Month::from_year_month(year, month))
}

// ---------------------------------------------------------------- fixtures

fn money(major: i64) -> Money {
    Money::from_cents(major * 100)
}

/// 18 months of movements from January 2023; month 4 has no movement at all.
fn movements() -> Vec<PeriodMovements> {
    let mut mrr = 40_000i64;
    (0..18)
        .map(|index| {
            let quiet = index == 4;
            let wave = |base: i64, step: i64| if quiet { 0 } else { base + (index * step) % (base / 2 + 1) };
            let (new, expansion, reactivation) = (wave(3_200, 410), wave(1_400, 230), if index % 3 == 0 { 0 } else { wave(300, 70) });
            let (contraction, churn) = (wave(700, 130), if index == 9 { 9_000 } else { wave(1_900, 350) });
            let start = mrr;
            mrr += new + expansion + reactivation - contraction - churn;
            PeriodMovements {
                period: month_period(2023, 1).plus(index),
                mrr_start: money(start),
                mrr_end: money(mrr),
                new: money(new),
                reactivation: money(reactivation),
                expansion: money(expansion),
                contraction: money(contraction),
                churn: money(churn),
                customers_start: 400,
                customers_end: 410,
                retained: 380,
                first_paid: 30,
                start_or_first_paid: 430,
                lost_from_start_or_first_paid: 20,
                new_customers: 30,
                reactivated_customers: 2,
                expanded_customers: 12,
                contracted_customers: 6,
                churned_customers: 20,
            }
        })
        .collect()
}

/// Answers for one period: `promoters`, `passives` and `detractors` answers of 10, 8 and 3.
fn answers(promoters: usize, passives: usize, detractors: usize) -> Vec<i16> {
    [(10, promoters), (8, passives), (3, detractors)].into_iter().flat_map(|(score, count)| std::iter::repeat_n(score, count)).collect()
}

/// Twelve months of NPS; the last month has only 12 responses, a small sample.
fn nps_periods() -> Vec<PeriodNps> {
    (0..12)
        .map(|index| {
            let scores = if index == 11 { answers(6, 3, 3) } else { answers(70 + index * 3, 40, 50 - index * 2) };
            PeriodNps { period: month_period(2024, 1).plus(index as i64), nps: nps(scores).expect("answers given") }
        })
        .collect()
}

/// 18 features of 2,000 active users, one with a long name; the three least used are left out.
fn features() -> Vec<FeatureAdoption> {
    let names = [
        "open_dashboard", "export_csv", "share_report", "invite_teammate", "create_alert", "connect_salesforce_crm_integration_v2",
        "schedule_digest", "edit_segment", "api_token", "filter_accounts", "custom_field", "bulk_update", "sso_login", "mobile_app",
        "dark_mode", "webhook", "annotate_chart", "delete_workspace",
    ];
    names
        .iter()
        .enumerate()
        .map(|(index, name)| {
            let users = 1_800u64.saturating_sub(index as u64 * 105).max(3);
            FeatureAdoption {
                feature: index as u32,
                name: name.to_string(),
                share: Share::new(users, 2_000).expect("users within active users"),
                active_days: vec![users],
                median_days_to_first_use: Some(2.5),
            }
        })
        .collect()
}

/// Cumulative adoption of `export_csv` over 14 months; nobody is known in the first month.
fn adoption_curve() -> UserAdoptionCurve {
    let points = (0..14)
        .map(|index| {
            let known = index * 120;
            let adopted = (known as f64 * (0.05 + index as f64 * 0.035)).round() as u64;
            AdoptionPoint { period: month_period(2023, 6).plus(index as i64), share: Share::new(adopted, known) }
        })
        .collect();
    UserAdoptionCurve { feature: "export_csv".to_string(), points }
}

/// 150 days of daily active users from 10 January 2024, lower at weekends and growing.
fn daily_active_users() -> Vec<ActiveUsers> {
    let first = Period::of(Granularity::Day, date("2024-01-10"));
    (0..150)
        .map(|index| {
            let weekend = matches!(first.plus(index).start().format("%a").to_string().as_str(), "Sat" | "Sun");
            let base = 800 + index as u64 * 4 + (index as u64 * 37) % 90;
            ActiveUsers { period: first.plus(index), users: if weekend { base * 45 / 100 } else { base } }
        })
        .collect()
}

/// Revenue for the 24 months of 2023 and 2024.
fn revenue_months() -> Vec<MonthRevenue> {
    (0..24)
        .map(|index| {
            let cents = 1_800_000 + index * 95_000 + (index % 12) * 40_000;
            MonthRevenue {
                month: Month::from_year_month(2023, 1).plus(index as i32),
                totals: PeriodRevenue { revenue: Money::from_cents(cents), transactions: 300, active_customers: 140, paying_customers: 138 },
            }
        })
        .collect()
}

/// Twelve monthly cohorts from January 2024, complete up to December 2024.
fn cohort_table() -> CohortTable {
    let cohorts = (0..12)
        .map(|index| {
            let size = 120 + index as u64 * 7;
            let active = (0..12 - index).map(|offset| if offset == 0 { size } else { size * 40 / (100 + offset as u64 * 12) }).collect();
            Cohort { month: Month::from_year_month(2024, 1).plus(index), size, active }
        })
        .collect();
    CohortTable { cohorts, as_of: date("2024-12-31") }
}

fn segments(labels: &[&str]) -> SegmentBreakdown {
    let rows = labels
        .iter()
        .enumerate()
        .map(|(index, label)| {
            let members = 900u64 / (index as u64 + 1) + 5;
            SegmentChurn { label: label.to_string(), churn: Share::new(members / (3 + index as u64 % 4), members).expect("churners within members") }
        })
        .collect();
    SegmentBreakdown { segment: "Plan".to_string(), rows }
}

fn many_segments() -> SegmentBreakdown {
    segments(&[
        "Enterprise", "Business", "Team", "Starter", "Free trial converted", "Partner reseller program (EMEA and APAC regions)",
        "Education", "Non-profit", "Startup", "Agency", "Legacy 2019", "Legacy 2020", "other",
    ])
}

// ---------------------------------------------------------------- SVG inspection

/// Counts the filled rectangles of colour `colour`.
fn count_rects(svg: &str, colour: RGBColor) -> usize {
    let fill = format!("fill=\"#{:02X}{:02X}{:02X}\"", colour.0, colour.1, colour.2);
    svg.match_indices("<rect").filter(|(start, _)| svg[*start..].split('>').next().is_some_and(|tag| tag.contains(&fill))).count()
}

/// Counts the circles of colour `colour`.
fn count_circles(svg: &str, colour: RGBColor) -> usize {
    let fill = format!("fill=\"#{:02X}{:02X}{:02X}\"", colour.0, colour.1, colour.2);
    svg.match_indices("<circle").filter(|(start, _)| svg[*start..].split('>').next().is_some_and(|tag| tag.contains(&fill))).count()
}

/// Returns the contents of every `<text>` element.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text").skip(1).filter_map(|rest| Some(rest.split_once('>')?.1.split_once("</text>")?.0.trim().to_string())).collect()
}

fn has_text(svg: &str, wanted: &str) -> bool {
    texts(svg).iter().any(|text| text == wanted)
}

/// Returns every number of the attributes that place a mark: x, y, cx, cy, width, height and
/// points, as (attribute, value).
fn coordinates(svg: &str) -> Vec<(String, f64)> {
    let mut found = Vec::new();
    for attribute in ["x", "y", "cx", "cy", "x1", "y1", "x2", "y2"] {
        let needle = format!(" {attribute}=\"");
        for (start, _) in svg.match_indices(&needle) {
            let value = svg[start + needle.len()..].split('"').next().unwrap_or_default();
            if let Ok(number) = value.parse::<f64>() {
                found.push((attribute.to_string(), number));
            }
        }
    }
    for (start, _) in svg.match_indices(" points=\"") {
        let list = svg[start + 9..].split('"').next().unwrap_or_default();
        for pair in list.split_whitespace() {
            let mut parts = pair.split(',').filter_map(|part| part.parse::<f64>().ok());
            if let (Some(x), Some(y)) = (parts.next(), parts.next()) {
                found.push(("px".to_string(), x));
                found.push(("py".to_string(), y));
            }
        }
    }
    found
}

/// Asserts that every mark's position lies inside an area of `size`.
fn assert_inside(svg: &str, size: (u32, u32), chart: &str) {
    for (attribute, value) in coordinates(svg) {
        let limit = if attribute.contains('x') { size.0 } else { size.1 } as f64;
        assert!((-0.5..=limit + 0.5).contains(&value), "{chart}: {attribute} = {value} lies outside 0..{limit}");
    }
    for (start, _) in svg.match_indices("<rect") {
        let tag = svg[start..].split('>').next().unwrap_or_default();
        let number = |name: &str| -> f64 {
            let needle = format!(" {name}=\"");
            tag.split_once(&needle).and_then(|(_, rest)| rest.split('"').next()).and_then(|value| value.parse().ok()).unwrap_or(0.0)
        };
        assert!(number("x") + number("width") <= size.0 as f64 + 0.5, "{chart}: a rectangle ends right of the area: {tag}");
        assert!(number("y") + number("height") <= size.1 as f64 + 0.5, "{chart}: a rectangle ends below the area: {tag}");
    }
}

/// Asserts that the SVG holds only the background: one rectangle and nothing else.
fn assert_background_only(svg: &str, chart: &str) {
    assert_eq!(svg.matches("<rect").count(), 1, "{chart}: expected only the background rectangle");
    for element in ["<text", "<polyline", "<circle", "<polygon", "<path", "<line"] {
        assert!(!svg.contains(element), "{chart}: drew {element} on empty input");
    }
}

/// Returns a pixel in the middle of slot `index` of a period chart, halfway down the plot.
fn column_pixel(rect: &PlotRect, count: usize, index: usize) -> (i32, i32) {
    (slot_centres(rect, count)(index), (rect.top + rect.bottom) / 2)
}

// ---------------------------------------------------------------- MRR movements

#[test]
fn mrr_movements_stacks_legend_and_periods() {
    let periods = movements();
    let with_new = periods.iter().filter(|period| period.new.is_positive()).count();
    let with_churn = periods.iter().filter(|period| period.churn.is_positive()).count();
    for theme in themes() {
        let svg = render(size_for(&theme), |area| draw_mrr_movements(area, &periods, &theme));
        for label in ["New", "Expansion", "Reactivation", "Contraction", "Churn", "Net change", "MRR change per month", "Month", "Jan 2023"] {
            assert!(has_text(&svg, label), "scale {}: label {label} missing", theme.scale);
        }
        assert_eq!(count_rects(&svg, PALETTE[2]), with_new + 1, "new bars plus the legend swatch");
        assert_eq!(count_rects(&svg, PALETTE[3]), with_churn + 1, "churn bars plus the legend swatch");
        assert_eq!(count_circles(&svg, theme.text), periods.len() + 1, "one net point per period plus the legend's");
        assert!(texts(&svg).iter().any(|text| text.ends_with('k') && text.starts_with('-')), "a negative money tick like -5k is missing");
        assert_inside(&svg, size_for(&theme), "mrr_movements");
    }
}

#[test]
fn mrr_movements_hit_test_finds_period() {
    let periods = movements();
    for theme in themes() {
        let size = size_for(&theme);
        let rect = mrr_movements::plot_rect(size, &theme, &periods).expect("the plot fits");
        let (x, y) = column_pixel(&rect, periods.len(), 9);
        let hover = hit_test_mrr_movements(size, &theme, &periods, x, y).expect("a period under the pointer");
        assert_eq!(hover.title, "Oct 2023");
        assert!(hover.lines.contains(&"Churn: −9,000.00".to_string()), "lines: {:?}", hover.lines);
        let net = hover.lines.iter().find(|line| line.starts_with("Net change")).expect("a net change line");
        assert!(net.starts_with("Net change: −"), "the month of the large churn nets negative: {net}");

        let first_edge = hit_test_mrr_movements(size, &theme, &periods, rect.left, y).expect("the plot's first column");
        assert_eq!(first_edge.title, "Jan 2023");
        let last_edge = hit_test_mrr_movements(size, &theme, &periods, rect.right - 1, y).expect("the plot's last column");
        assert_eq!(last_edge.title, "Jun 2024");
        assert_eq!(hit_test_mrr_movements(size, &theme, &periods, rect.left - 1, y), None);
        assert_eq!(hit_test_mrr_movements(size, &theme, &periods, x, rect.bottom), None);
        assert_eq!(hit_test_mrr_movements(size, &theme, &periods, x, rect.top - 1), None);
    }
}

// ---------------------------------------------------------------- NPS

#[test]
fn nps_distribution_bars_line_and_legend() {
    let periods = nps_periods();
    for theme in themes() {
        let svg = render(size_for(&theme), |area| draw_nps_distribution(area, &periods, &theme));
        for label in ["Detractors (0–6)", "Passives (7–8)", "Promoters (9–10)", "NPS (right axis)", "Faded bar: fewer than 30 responses", "NPS", "Share of responses", "100%", "-100", "Jan 2024"] {
            assert!(has_text(&svg, label), "scale {}: label {label} missing", theme.scale);
        }
        // Every period has all three groups: one bar each plus the legend swatch. The faded
        // promoter colour is also the swatch of the small-sample entry.
        assert_eq!(count_rects(&svg, PALETTE[3]), periods.len() + 1);
        assert_eq!(count_rects(&svg, PALETTE[2]), periods.len() + 2);
        assert_eq!(count_circles(&svg, theme.text), periods.len() + 1);
        assert_inside(&svg, size_for(&theme), "nps_distribution");
    }
}

#[test]
fn nps_distribution_hit_test_reads_score() {
    let periods = nps_periods();
    let theme = Theme::dark(2.0);
    let size = size_for(&theme);
    let rect = nps_distribution::plot_rect(size, &theme, &periods).expect("the plot fits");
    let (x, y) = column_pixel(&rect, periods.len(), 0);
    let hover = hit_test_nps_distribution(size, &theme, &periods, x, y).expect("a period under the pointer");
    assert_eq!(hover.title, "Jan 2024");
    // 70 promoters, 40 passives, 50 detractors: 100 × (70 − 50) / 160 = 12.5.
    assert!(hover.lines[0].starts_with("NPS: 12.5 ± "), "lines: {:?}", hover.lines);
    assert_eq!(hover.lines[1], "Promoters (9–10): 43.8% (70)");
    assert_eq!(hover.lines[4], "Responses: 160");

    let (x, y) = column_pixel(&rect, periods.len(), 11);
    let small = hit_test_nps_distribution(size, &theme, &periods, x, y).expect("the last period");
    assert_eq!(small.lines.last().map(String::as_str), Some("Responses: 12, a small sample"));
    assert_eq!(hit_test_nps_distribution(size, &theme, &periods, rect.right, y), None, "the right axis is off the plot");
}

// ---------------------------------------------------------------- feature adoption

#[test]
fn feature_adoption_keeps_fifteen_largest() {
    let features = features();
    for theme in themes() {
        let svg = render(size_for(&theme), |area| draw_feature_adoption(area, &features, &theme));
        assert!(has_text(&svg, "open_dashboard"), "most adopted feature missing");
        assert!(!texts(&svg).iter().any(|text| text.contains("delete_workspace")), "feature 18 should be left out");
        assert!(has_text(&svg, "Share of active users who used the feature (15 most used of 18)"));
        assert!(has_text(&svg, "90.0%  (n = 2,000)"));
        assert!(texts(&svg).iter().any(|text| text.starts_with("connect_salesforce") && text.ends_with('…')), "long name not shortened");
        assert_eq!(count_rects(&svg, theme.accent), 15, "one bar per kept feature");
        assert_inside(&svg, size_for(&theme), "feature_adoption");
    }
}

#[test]
fn feature_adoption_hit_test_finds_row() {
    let features = features();
    let theme = Theme::light(1.0);
    let rect = feature_adoption::plot_rect(SIZE, &theme, &features).expect("the plot fits");
    let row_y = row_centres(&rect, 15);

    let top = hit_test_feature_adoption(SIZE, &theme, &features, rect.left + 10, row_y(0)).expect("the top row");
    assert_eq!(top.title, "open_dashboard");
    assert_eq!(top.lines[1], "1,800 of 2,000 active users used it");
    let long = hit_test_feature_adoption(SIZE, &theme, &features, rect.left - 20, row_y(5)).expect("a label left of the plot");
    assert_eq!(long.title, "connect_salesforce_crm_integration_v2", "the tooltip shows the whole name");
    let last = hit_test_feature_adoption(SIZE, &theme, &features, rect.right - 1, row_y(14)).expect("the bottom row");
    assert_eq!(last.title, "dark_mode", "the fifteenth most adopted feature");
    assert_eq!(hit_test_feature_adoption(SIZE, &theme, &features, rect.left + 10, rect.bottom + 2), None);
}

// ---------------------------------------------------------------- user adoption

#[test]
fn user_adoption_curve_points_and_axis() {
    let curve = adoption_curve();
    let known_points = curve.points.iter().filter(|point| point.share.is_some()).count();
    for theme in themes() {
        let svg = render(size_for(&theme), |area| draw_user_adoption(area, &curve, &theme));
        for label in ["Users who have used export_csv", "95% interval", "Share of known users", "0%", "100%", "End of month", "Jun 2023"] {
            assert!(has_text(&svg, label), "scale {}: label {label} missing", theme.scale);
        }
        assert_eq!(count_circles(&svg, theme.accent), known_points + 1, "one point per known period plus the legend's");
        assert_eq!(svg.matches("<polygon").count(), 1, "one interval band");
        assert_inside(&svg, size_for(&theme), "user_adoption");
    }
}

#[test]
fn user_adoption_hit_test_reads_share() {
    let curve = adoption_curve();
    let theme = Theme::light(2.0);
    let size = size_for(&theme);
    let rect = user_adoption::plot_rect(size, &theme, &curve).expect("the plot fits");
    let (x, y) = column_pixel(&rect, curve.points.len(), 2);
    let hover = hit_test_user_adoption(size, &theme, &curve, x, y).expect("a period under the pointer");
    assert_eq!(hover.title, "By the end of Aug 2023");
    // 240 known users, round(240 × 0.12) = 29 adopted.
    assert_eq!(hover.lines[1], "29 of 240 known users");
    assert!(hover.lines[0].starts_with("Used export_csv: 12.1% (95% interval "), "lines: {:?}", hover.lines);

    let (x, y) = column_pixel(&rect, curve.points.len(), 0);
    let empty = hit_test_user_adoption(size, &theme, &curve, x, y).expect("the first period");
    assert_eq!(empty.lines, vec!["No users known yet".to_string()]);
    assert_eq!(hit_test_user_adoption(size, &theme, &curve, x, rect.top - 1), None);
}

// ---------------------------------------------------------------- active users

#[test]
fn active_users_line_mean_and_dates() {
    let series = daily_active_users();
    for theme in themes() {
        let svg = render(size_for(&theme), |area| draw_active_users(area, &series, &theme));
        for label in ["Daily active users", "7-day mean", "Active users", "Day", "Feb 2024", "Mar 2024", "Jun 2024"] {
            assert!(has_text(&svg, label), "scale {}: label {label} missing", theme.scale);
        }
        assert!(!has_text(&svg, "Jan 2024"), "the series starts on 10 January, so January has no month-start tick");
        let points_in_lines: Vec<usize> =
            svg.split(" points=\"").skip(1).map(|rest| rest.split('"').next().unwrap_or_default().split_whitespace().count()).collect();
        assert!(points_in_lines.contains(&series.len()), "the daily line has one point per day: {points_in_lines:?}");
        assert!(points_in_lines.contains(&(series.len() - 6)), "the mean starts on the seventh day: {points_in_lines:?}");
        assert_inside(&svg, size_for(&theme), "active_users");
    }
}

#[test]
fn active_users_hit_test_reads_day() {
    let series = daily_active_users();
    let theme = Theme::dark(1.0);
    let rect = active_users::plot_rect(SIZE, &theme, &series).expect("the plot fits");
    let (x, y) = column_pixel(&rect, series.len(), 10);
    let hover = hit_test_active_users(SIZE, &theme, &series, x, y).expect("a day under the pointer");
    assert_eq!(hover.title, "20 Jan 2024");
    assert_eq!(hover.lines[0], "Active users: 382", "a Saturday: 45% of 850");
    assert!(hover.lines[1].starts_with("7-day mean: "));

    let (x, y) = column_pixel(&rect, series.len(), 3);
    let early = hit_test_active_users(SIZE, &theme, &series, x, y).expect("the fourth day");
    assert_eq!(early.lines[1], "7-day mean: needs 7 days of data");
    assert_eq!(hit_test_active_users(SIZE, &theme, &series, rect.right, y), None);
}

#[test]
fn active_users_weekly_has_no_mean() {
    let first = Period::of(Granularity::Week, date("2024-01-01"));
    let series: Vec<ActiveUsers> = (0..20).map(|index| ActiveUsers { period: first.plus(index), users: 2_000 + index as u64 * 30 }).collect();
    let svg = render(SIZE, |area| draw_active_users(area, &series, &Theme::light(1.0)));
    assert!(!has_text(&svg, "Active users per week"), "one series needs no legend");
    assert!(!has_text(&svg, "7-day mean"));
    assert!(has_text(&svg, "1 Jan"), "a week is labelled by its Monday");
    assert!(has_text(&svg, "Week starting"));
}

// ---------------------------------------------------------------- revenue trend

#[test]
fn revenue_trend_compares_year_earlier() {
    let history = revenue_months();
    let shown = &history[12..];
    for theme in themes() {
        let svg = render(size_for(&theme), |area| draw_revenue_trend_compared(area, shown, Some(&history), &theme));
        for label in ["Revenue", "Same month a year earlier", "Revenue per month", "Jan 2024", "Month"] {
            assert!(has_text(&svg, label), "scale {}: label {label} missing", theme.scale);
        }
        assert_eq!(count_circles(&svg, theme.accent), 12 + 1, "a point per month plus the legend's");
        assert_eq!(count_circles(&svg, theme.muted_text), 12, "a point per year-earlier month");
        assert_inside(&svg, size_for(&theme), "revenue_trend");
    }
}

#[test]
fn revenue_trend_without_history_has_no_legend() {
    let months = revenue_months();
    let theme = Theme::light(1.0);
    let plain = render(SIZE, |area| draw_revenue_trend(area, &months[12..], &theme));
    assert!(!has_text(&plain, "Same month a year earlier"));
    assert!(has_text(&plain, "Jan 2024"));
    // The first year of a 24-month series has nothing a year earlier, the second has.
    let own = render(SIZE, |area| draw_revenue_trend_compared(area, &months, Some(&months), &theme));
    assert!(has_text(&own, "Same month a year earlier"));
    assert_eq!(count_circles(&own, theme.muted_text), 12);
}

#[test]
fn revenue_trend_hit_test_shows_change() {
    let history = revenue_months();
    let shown = &history[12..];
    let theme = Theme::light(1.0);
    let rect = revenue_trend::plot_rect(SIZE, &theme, shown, Some(&history)).expect("the plot fits");
    let (x, y) = column_pixel(&rect, shown.len(), 2);
    let hover = hit_test_revenue_trend(SIZE, &theme, shown, Some(&history), x, y).expect("a month under the pointer");
    assert_eq!(hover.title, "Mar 2024");
    // 18,000 + 14 × 950 + 2 × 400 = 32,100 against 18,000 + 2 × 950 + 2 × 400 = 20,700.
    assert_eq!(hover.lines[0], "Revenue: 32,100.00");
    assert_eq!(hover.lines[2], "Mar 2023: 20,700.00");
    assert_eq!(hover.lines[3], "Change on a year earlier: +55.1%");
    assert_eq!(hit_test_revenue_trend(SIZE, &theme, shown, Some(&history), rect.left - 1, y), None);
}

#[test]
fn revenue_trend_labels_months_and_money() {
    let months = dashboard().revenue_by_month.expect("the log has months");
    let svg = render(SIZE, |area| draw_revenue_trend(area, &months, &Theme::light(1.0)));
    assert!(has_text(&svg, "Jan 2024"), "month label missing");
    assert!(has_text(&svg, "Revenue per month"), "axis title missing");
    assert!(svg.contains("<polyline"), "no line drawn");
}

// ---------------------------------------------------------------- segment churn

fn dashboard() -> headlights_core::metrics::Dashboard {
    let log = read_file(
        "log.csv",
        b"customer,date,amount\na,2024-01-03,10.00\nb,2024-01-09,20.00\na,2024-02-04,15.50\nb,2024-03-01,5.00\n",
    )
    .expect("a small log is readable");
    let snapshot = read_file(
        "customers.csv",
        b"customerID,Contract,MonthlyCharges,Churn\n1,Monthly,10,Yes\n2,Monthly,20,No\n3,Yearly,30,No\n",
    )
    .expect("a small snapshot is readable");
    build_dashboard(&[&log.dataset, &snapshot.dataset], &DashboardOptions::default())
}

#[test]
fn segment_churn_names_each_group() {
    let breakdown = dashboard().segment_churn.expect("the snapshot has a segment");
    let svg = render(SIZE, |area| draw_segment_churn(area, &breakdown, &Theme::light(1.0)));
    assert!(has_text(&svg, "Monthly"));
    assert!(has_text(&svg, "Yearly"));
    assert!(has_text(&svg, "50.0%  (n = 2)"));
    assert!(has_text(&svg, "Churn rate by Contract"));
}

#[test]
fn segment_churn_thirteen_long_rows() {
    let breakdown = many_segments();
    for theme in themes() {
        let svg = render(size_for(&theme), |area| draw_segment_churn(area, &breakdown, &theme));
        let bars = count_rects(&svg, theme.accent) + count_rects(&svg, theme.muted_text);
        assert_eq!(bars, 13, "one bar per segment value");
        assert!(has_text(&svg, "other"));
        let long = texts(&svg).into_iter().find(|text| text.starts_with("Partner reseller")).expect("the long label");
        assert!(long.ends_with('…'), "the long label is shortened: {long}");
        assert_inside(&svg, size_for(&theme), "segment_churn");
    }
}

#[test]
fn segment_churn_single_row() {
    let breakdown = segments(&["Everyone"]);
    let theme = Theme::light(1.0);
    let svg = render(SIZE, |area| draw_segment_churn(area, &breakdown, &theme));
    assert_eq!(count_rects(&svg, theme.accent), 1);
    assert!(has_text(&svg, "Everyone"));
    let rect = segment_churn::plot_rect(SIZE, &theme, &breakdown).expect("the plot fits");
    let hover = hit_test_segment_churn(SIZE, &theme, &breakdown, rect.left + 1, rect.top + 1).expect("the only row");
    assert_eq!(hover.title, "Everyone");
    assert_inside(&svg, SIZE, "segment_churn");
}

#[test]
fn segment_churn_hit_test_top_row_first() {
    let breakdown = many_segments();
    let theme = Theme::dark(2.0);
    let size = size_for(&theme);
    let rect = segment_churn::plot_rect(size, &theme, &breakdown).expect("the plot fits");
    let row_y = row_centres(&rect, 13);
    let top = hit_test_segment_churn(size, &theme, &breakdown, rect.left + 4, row_y(0)).expect("the top row");
    assert_eq!(top.title, "Enterprise", "the first, largest group is at the top");
    // 905 members, 301 churned.
    assert_eq!(top.lines[1], "301 of 905 customers churned");
    let bottom = hit_test_segment_churn(size, &theme, &breakdown, rect.left + 4, row_y(12)).expect("the bottom row");
    assert_eq!(bottom.title, "other");
    assert_eq!(hit_test_segment_churn(size, &theme, &breakdown, rect.right + 2, row_y(0)), None, "value labels are off the plot");
}

// ---------------------------------------------------------------- cohort heatmap

#[test]
fn cohort_heatmap_shows_cell_values() {
    let mut cohorts = dashboard().cohorts.expect("the log has cohorts");
    cohorts.as_of = date("2024-03-31");
    let svg = render(SIZE, |area| draw_cohort_heatmap(area, &cohorts, &Theme::dark(2.0)));
    assert!(has_text(&svg, "100%"), "offset 0 cell missing");
    assert!(has_text(&svg, "50%"), "offset 1 cell missing");
    assert!(has_text(&svg, "Months since first purchase"));
}

#[test]
fn cohort_heatmap_hit_test_finds_cell() {
    let table = cohort_table();
    for theme in themes() {
        let size = size_for(&theme);
        let rect = cohort_heatmap::plot_rect(size, &theme, &table).expect("the grid fits");
        let x = slot_centres(&rect, 12)(2);
        let y = row_centres(&rect, 12)(1);
        let hover = hit_test_cohort_heatmap(size, &theme, &table, x, y).expect("a cell under the pointer");
        assert_eq!(hover.title, "Feb 2024 cohort (127 customers)");
        // 127 × 40 / 124 = 40 of 127.
        assert_eq!(hover.lines, vec!["Month +2".to_string(), "Apr 2024: 31.5% purchased again (40 of 127)".to_string()]);

        let x = slot_centres(&rect, 12)(11);
        let incomplete = hit_test_cohort_heatmap(size, &theme, &table, x, y).expect("a cell past the data");
        assert_eq!(incomplete.lines[1], "Jan 2025: not complete yet");
        assert_eq!(hit_test_cohort_heatmap(size, &theme, &table, rect.left - 1, y), None);
        assert_inside(&render(size, |area| draw_cohort_heatmap(area, &table, &theme)), size, "cohort_heatmap");
    }
}

#[test]
fn single_period_charts_stay_inside() {
    let theme = Theme::light(2.0);
    let size = size_for(&theme);
    let periods = &movements()[..1];
    let svg = render(size, |area| draw_mrr_movements(area, periods, &theme));
    assert_inside(&svg, size, "mrr_movements");
    assert_eq!(count_circles(&svg, theme.text), 2, "one net point plus the legend's");
    let rect = mrr_movements::plot_rect(size, &theme, periods).expect("the plot fits");
    let hover = hit_test_mrr_movements(size, &theme, periods, rect.right - 1, rect.top).expect("the only period");
    assert_eq!(hover.title, "Jan 2023");

    let nps = &nps_periods()[..1];
    assert_inside(&render(size, |area| draw_nps_distribution(area, nps, &theme)), size, "nps_distribution");

    let table = CohortTable {
        cohorts: vec![Cohort { month: Month::from_year_month(2024, 5), size: 40, active: vec![40] }],
        as_of: date("2024-05-31"),
    };
    let svg = render(size, |area| draw_cohort_heatmap(area, &table, &theme));
    assert_inside(&svg, size, "cohort_heatmap");
    assert!(has_text(&svg, "May 2024 (40)"));
    assert!(has_text(&svg, "100%"));
    let rect = cohort_heatmap::plot_rect(size, &theme, &table).expect("the grid fits");
    let cell = hit_test_cohort_heatmap(size, &theme, &table, rect.left, rect.bottom - 1).expect("the only cell");
    assert_eq!(cell.lines[1], "May 2024: 100.0% purchased again (40 of 40)");
}

// ---------------------------------------------------------------- empty and tiny areas

#[test]
fn empty_inputs_draw_only_background() {
    let theme = Theme::dark(1.0);
    let empty_curve = UserAdoptionCurve { feature: "export_csv".to_string(), points: Vec::new() };
    let empty_table = CohortTable { cohorts: Vec::new(), as_of: date("2024-01-31") };
    let empty_segments = SegmentBreakdown { segment: "Plan".to_string(), rows: Vec::new() };
    let drawings: Vec<(&str, String)> = vec![
        ("mrr_movements", render(SIZE, |area| draw_mrr_movements(area, &[], &theme))),
        ("nps_distribution", render(SIZE, |area| draw_nps_distribution(area, &[], &theme))),
        ("feature_adoption", render(SIZE, |area| draw_feature_adoption(area, &[], &theme))),
        ("user_adoption", render(SIZE, |area| draw_user_adoption(area, &empty_curve, &theme))),
        ("active_users", render(SIZE, |area| draw_active_users(area, &[], &theme))),
        ("revenue_trend", render(SIZE, |area| draw_revenue_trend_compared(area, &[], Some(&revenue_months()), &theme))),
        ("segment_churn", render(SIZE, |area| draw_segment_churn(area, &empty_segments, &theme))),
        ("cohort_heatmap", render(SIZE, |area| draw_cohort_heatmap(area, &empty_table, &theme))),
    ];
    for (chart, svg) in drawings {
        assert_background_only(&svg, chart);
    }
    assert_eq!(hit_test_mrr_movements(SIZE, &theme, &[], 400, 200), None);
    assert_eq!(hit_test_active_users(SIZE, &theme, &[], 400, 200), None);
    assert_eq!(hit_test_segment_churn(SIZE, &theme, &empty_segments, 400, 200), None);
}

#[test]
fn tiny_area_draws_only_background() {
    let theme = Theme::light(1.0);
    let tiny = (60, 40);
    let periods = movements();
    assert_background_only(&render(tiny, |area| draw_mrr_movements(area, &periods, &theme)), "mrr_movements");
    assert_background_only(&render(tiny, |area| draw_segment_churn(area, &many_segments(), &theme)), "segment_churn");
    assert_eq!(hit_test_mrr_movements(tiny, &theme, &periods, 30, 20), None);
}

// ---------------------------------------------------------------- previews

#[test]
fn chart_previews_are_written() {
    let directory = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/chart-previews");
    std::fs::create_dir_all(&directory).expect("the preview directory can be created");
    let history = revenue_months();
    let table = cohort_table();
    let breakdown = many_segments();
    let curve = adoption_curve();
    let variants = [("light", Theme::light(1.0)), ("dark", Theme::dark(1.0)), ("light-2x", Theme::light(2.0)), ("dark-2x", Theme::dark(2.0))];
    for (theme_name, theme) in variants {
        let size = size_for(&theme);
        let drawings: Vec<(&str, String)> = vec![
            ("mrr_movements", render(size, |area| draw_mrr_movements(area, &movements(), &theme))),
            ("nps_distribution", render(size, |area| draw_nps_distribution(area, &nps_periods(), &theme))),
            ("feature_adoption", render(size, |area| draw_feature_adoption(area, &features(), &theme))),
            ("user_adoption", render(size, |area| draw_user_adoption(area, &curve, &theme))),
            ("active_users", render(size, |area| draw_active_users(area, &daily_active_users(), &theme))),
            ("revenue_trend", render(size, |area| draw_revenue_trend_compared(area, &history[12..], Some(&history), &theme))),
            ("segment_churn", render(size, |area| draw_segment_churn(area, &breakdown, &theme))),
            ("segment_churn_one_row", render(size, |area| draw_segment_churn(area, &segments(&["Everyone"]), &theme))),
            ("cohort_heatmap", render(size, |area| draw_cohort_heatmap(area, &table, &theme))),
        ];
        for (chart, svg) in drawings {
            let path = directory.join(format!("{chart}-{theme_name}.svg"));
            std::fs::write(&path, svg).unwrap_or_else(|error| panic!("writing {} failed: {error}", path.display()));
        }
    }
}

// ---------------------------------------------------------------- phone widths, partial months, sparklines

#[test]
fn feature_labels_above_bars_on_phones() {
    // 340 CSS pixels is a chart inside a 390-pixel phone screen; 30% of it holds 14 characters.
    let svg = render((340, 600), |area| draw_feature_adoption(area, &features()[..8], &Theme::light(1.0)));
    for name in ["open_dashboard", "invite_teammate", "connect_salesforce_crm_integration_v2"] {
        assert!(has_text(&svg, name), "{name} is cut on a phone");
    }
    let wide = render(SIZE, |area| draw_feature_adoption(area, &features()[..8], &Theme::light(1.0)));
    assert!(has_text(&wide, "invite_teammate"));
}

#[test]
fn revenue_trend_marks_partial_month() {
    let months = revenue_months();
    let end = date("2024-12-14");
    let svg = render(SIZE, |area| revenue_trend::draw_revenue_trend_as_of(area, &months, Some(&months), end, &Theme::light(1.0)));
    assert!(has_text(&svg, "Partial month, data to 14 Dec 2024"));
    assert!(has_text(&svg, "Same month a year earlier"));

    let complete = render(SIZE, |area| revenue_trend::draw_revenue_trend_as_of(area, &months, Some(&months), date("2024-12-31"), &Theme::light(1.0)));
    assert!(!has_text(&complete, "Partial month"), "December is complete on its last day");

    let theme = Theme::light(1.0);
    let rect = revenue_trend::plot_rect(SIZE, &theme, &months, Some(&months)).expect("a plot");
    let last = slot_centres(&rect, months.len())(months.len() - 1);
    let hover = revenue_trend::hit_test_revenue_trend_as_of(SIZE, &theme, &months, Some(&months), end, (last, rect.top + 5)).expect("the last month");
    assert_eq!(hover.title, "Dec 2024");
    assert!(hover.lines.iter().any(|line| line == "Partial month: data to 14 Dec 2024"), "{:?}", hover.lines);
}

#[test]
fn sparkline_draws_line_and_last_point() {
    let values = [Some(3.0), Some(4.0), None, Some(5.0), Some(4.5)];
    let svg = render((120, 32), |area| headlights_core::charts::sparkline::draw_sparkline(area, &values, &Theme::dark(2.0)));
    assert_eq!(svg.matches("<polyline").count(), 2, "the gap breaks the line: {svg}");
    assert_eq!(svg.matches("<circle").count(), 1, "only the card's own period is marked");
    let empty = render((120, 32), |area| headlights_core::charts::sparkline::draw_sparkline(area, &[None, None], &Theme::light(1.0)));
    assert!(!empty.contains("<polyline"));
}
