//! KPI cards: value, change against the period before, sparkline, period, denominator,
//! interval, or why the value is missing.

use headlights_core::format;
use headlights_core::metrics::dashboard::trend::{Direction, Trend, Verdict};
use headlights_core::metrics::{Bucket, Card};
use leptos::html::Canvas;
use leptos::prelude::*;

use super::chart_canvas::{redraw_sparkline, SPARKLINE_CSS_HEIGHT};
use super::state::AppState;

/// Characters of a shown value past which the card draws it smaller.
const LONG_VALUE_CHARS: usize = 14;

/// The cards of one bucket, in the dashboard's order, under a line naming the period most of
/// them cover; a card covering another period says so on its own period line.
#[component]
pub fn CardGrid(bucket: Bucket) -> impl IntoView {
    let state = expect_context::<AppState>();
    let cards = move || {
        state
            .dashboard
            .get()
            .map(|dashboard| dashboard.cards.into_iter().filter(|card| card.bucket == bucket).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    view! {
        {move || {
            let cards = cards();
            let common = common_period(&cards);
            let note = common.clone().map(|common| view! { <p class="cards-period" data-cards-period="">{format!("Cards show {} unless marked otherwise.", common.label)}</p> });
            view! {
                {note}
                <div class="cards">
                    {cards.into_iter().map(|card| view! { <KpiCard card=card common_period=common.clone() /> }).collect_view()}
                </div>
            }
        }}
    }
}

/// The period most readings of a bucket cover: its `data-period` and its shortest caption.
#[derive(Clone, Debug, PartialEq)]
struct CommonPeriod {
    period: String,
    label: String,
}

/// Returns the period most readings of `cards` cover, when at least two cover it. Readings are
/// compared by `data-period`, because captions such as `dashboard_viewed, Oct 2026` add detail
/// to the same period.
fn common_period(cards: &[Card]) -> Option<CommonPeriod> {
    let mut counts: Vec<(CommonPeriod, usize)> = Vec::new();
    for reading in cards.iter().filter_map(|card| card.reading.as_ref().ok()) {
        match counts.iter_mut().find(|(common, _)| common.period == reading.period) {
            Some((common, count)) => {
                *count += 1;
                if reading.period_label.len() < common.label.len() {
                    common.label = reading.period_label.clone();
                }
            }
            None => counts.push((CommonPeriod { period: reading.period.clone(), label: reading.period_label.clone() }, 1)),
        }
    }
    let (common, count) = counts.into_iter().max_by_key(|(_, count)| *count)?;
    (count >= 2).then_some(common)
}

#[component]
fn KpiCard(card: Card, common_period: Option<CommonPeriod>) -> impl IntoView {
    let label = card.label;
    let definition = card.definition;
    match card.reading {
        Ok(reading) => {
            // Growth cards carry their inputs instead of a count, so they show no "n = 0".
            let n = (!reading.n_label.is_empty()).then(|| format!("n = {} {}", format::thousands(reading.n), reading.n_label));
            let interval = reading
                .interval
                .map(|(low, high)| format!("95% interval {} – {}", format::percent(low), format::percent(high)));
            let differs = common_period.as_ref().is_some_and(|common| common.period != reading.period);
            let period_text = if differs { format!("{} (other period)", reading.period_label) } else { reading.period_label.clone() };
            // Values such as "3,005,172,578.87 USD" would run past the card at the usual size.
            let long_value = reading.display.chars().count() > LONG_VALUE_CHARS;
            view! {
                <article class="card" data-kpi=card.id data-period=reading.period data-value=reading.raw title=definition>
                    <h3 class="card-label">{label}</h3>
                    <p class="card-value" class:card-value-long=long_value>{reading.display}</p>
                    {card.trend.map(|trend| view! { <TrendLine trend=trend /> })}
                    <p class="card-period" class:card-period-differs=differs>{period_text}</p>
                    {n.map(|n| view! {
                        <p class="card-n">
                            {n}
                            {reading.small_sample.then(|| view! { <span class="small-sample" title="Fewer than 30: treat with caution">" small sample"</span> })}
                        </p>
                    })}
                    {interval.map(|text| view! { <p class="card-interval">{text}</p> })}
                    <Definition text=definition />
                </article>
            }
            .into_any()
        }
        Err(reason) => view! {
            <article class="card card-unavailable" data-kpi=card.id data-unavailable=reason.to_string() title=definition>
                <h3 class="card-label">{label}</h3>
                <p class="card-reason">{reason.to_string()}</p>
                <Definition text=definition />
            </article>
        }
        .into_any(),
    }
}

/// The change against the period before, coloured by whether it is good news, and the
/// sparkline of the recent periods.
#[component]
fn TrendLine(trend: Trend) -> impl IntoView {
    let values: Vec<Option<f64>> = trend.points.iter().map(|point| point.value).collect();
    let span = match (trend.points.first(), trend.points.last()) {
        (Some(first), Some(last)) if trend.points.len() > 1 => format!("{} to {}", first.label, last.label),
        _ => String::new(),
    };
    let canvas = NodeRef::<Canvas>::new();
    let has_line = values.iter().flatten().count() > 1;
    if has_line {
        redraw_sparkline(canvas, values);
    }
    let change = trend.change.map(|change| {
        let arrow = match change.direction {
            Direction::Up => "▲",
            Direction::Down => "▼",
            Direction::Flat => "▶",
        };
        let (class, meaning) = match change.verdict {
            Verdict::Good => ("card-change change-good", "good"),
            Verdict::Bad => ("card-change change-bad", "bad"),
            Verdict::Neutral => ("card-change change-neutral", "neutral"),
        };
        view! {
            <p class=class data-change=meaning>
                <span aria-hidden="true">{arrow}" "</span>
                {format!("{} vs {}", change.display, change.previous_label)}
            </p>
        }
    });
    view! {
        {change}
        {has_line.then(|| view! {
            <canvas class="sparkline" node_ref=canvas data-sparkline="" role="img" aria-label=format!("Trend from {span}")
                style:height=format!("{SPARKLINE_CSS_HEIGHT}px") title=span.clone()></canvas>
        })}
    }
}

/// The formula behind a card, one click away.
#[component]
fn Definition(text: &'static str) -> impl IntoView {
    view! {
        <details class="card-definition">
            <summary>"Definition"</summary>
            <p>{text}</p>
        </details>
    }
}
