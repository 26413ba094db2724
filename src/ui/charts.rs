//! The dashboard's charts, each a canvas with its numbers in a table beside it.

use headlights_core::charts::cohort_heatmap::draw_cohort_heatmap;
use headlights_core::charts::revenue_trend::{draw_revenue_trend_as_of, draw_revenue_trend_compared, hit_test_revenue_trend, hit_test_revenue_trend_as_of};
use headlights_core::charts::segment_churn::draw_segment_churn;
use headlights_core::format;
use headlights_core::metrics::cohorts::CohortTable;
use headlights_core::metrics::dashboard::SegmentBreakdown;
use headlights_core::metrics::revenue::{growth, MonthRevenue};
use headlights_core::charts::{HoverText, Theme};
use leptos::html::Canvas;
use leptos::prelude::*;

use super::chart_canvas::redraw_on_change;
use super::state::AppState;

pub const REVENUE_TREND: &str = "revenue_trend";
pub const MRR_MOVEMENTS: &str = "mrr_movements";
pub const NPS_DISTRIBUTION: &str = "nps_distribution";
pub const FEATURE_ADOPTION: &str = "feature_adoption";
pub const USER_ADOPTION: &str = "user_adoption";
pub const ACTIVE_USERS: &str = "active_users";

/// Where the pointer is over a chart, in the canvas's device pixels.
#[derive(Clone, Copy, Debug)]
pub struct HitQuery {
    pub size: (u32, u32),
    pub scale: f64,
    pub x: i32,
    pub y: i32,
}

impl HitQuery {
    /// The theme the chart was drawn with, as far as layout goes (sizes depend on the scale only).
    pub fn theme(&self) -> Theme {
        Theme::light(self.scale)
    }
}

/// A chart's hit test: the values under the pointer, or `None` outside the data.
pub type HitTest = Callback<HitQuery, Option<HoverText>>;
pub const COHORT_RETENTION: &str = "cohort_retention";
pub const SEGMENT_CHURN: &str = "segment_churn";

/// A chart's frame: title, subtitle, the canvas and its table on demand.
#[component]
pub fn ChartFrame(
    id: &'static str,
    title: &'static str,
    #[prop(into)] subtitle: Signal<String>,
    canvas: NodeRef<Canvas>,
    #[prop(into)] css_height: Signal<f64>,
    #[prop(optional)] controls: Option<AnyView>,
    /// Spans the whole row of the chart grid, for charts with many columns.
    #[prop(optional)] wide: bool,
    /// Finds the data under the pointer, for the tooltip.
    #[prop(optional)] hit_test: Option<HitTest>,
    table: AnyView,
) -> impl IntoView {
    // A signal because only the tooltip follows the pointer.
    let hover = RwSignal::new(None::<(TooltipPlace, HoverText)>);
    let on_move = move |event: leptos::ev::MouseEvent| {
        let (Some(test), Some(element)) = (hit_test, canvas.get()) else { return };
        let scale = window().device_pixel_ratio().max(1.0);
        let (x, y) = (event.offset_x(), event.offset_y());
        let size = (element.width(), element.height());
        let found = test.run(HitQuery { size, scale, x: (x as f64 * scale) as i32, y: (y as f64 * scale) as i32 });
        let place = TooltipPlace::away_from((x, y), (element.client_width(), element.client_height()));
        hover.set(found.map(|text| (place, text)));
    };

    view! {
        <figure class="chart" class:chart-wide=wide>
            <figcaption>
                <h3>{title}</h3>
                <p class="chart-subtitle">{move || subtitle.get()}</p>
                {controls}
            </figcaption>
            <div class="chart-canvas">
                <canvas
                    node_ref=canvas
                    data-chart=id
                    role="img"
                    aria-label=title
                    style:height=move || format!("{}px", css_height.get())
                    on:mousemove=on_move
                    on:mouseleave=move |_| hover.set(None)
                ></canvas>
                {move || hover.get().map(|(place, text)| view! {
                    <div class="chart-tooltip" data-chart-tooltip=id role="tooltip"
                        style:left=place.left style:right=place.right style:top=place.top style:bottom=place.bottom>
                        <strong>{text.title}</strong>
                        {text.lines.into_iter().map(|line| view! { <span>{line}</span> }).collect_view()}
                    </div>
                })}
            </div>
            <button type="button" class="link-button" data-export-png=id on:click=move |_| {
                let Some(element) = canvas.get() else { return };
                match element.to_data_url_with_type("image/png") {
                    Ok(url) => {
                        if let Err(message) = super::download::download_url(&format!("{id}.png"), &url) {
                            gloo::console::error!(message);
                        }
                    }
                    Err(_) => gloo::console::error!(format!("chart {id} could not be saved as PNG")),
                }
            }>"Download PNG"</button>
            <details class="chart-data">
                <summary>"Show the numbers"</summary>
                <div class="table-scroll">{table}</div>
            </details>
        </figure>
    }
}

/// Where a tooltip sits: in the quadrant diagonally opposite the pointer's, offset from it,
/// so that it never covers the bar, row or point under the pointer. CSS lengths, or `None`.
#[derive(Clone, Debug, PartialEq)]
struct TooltipPlace {
    left: Option<String>,
    right: Option<String>,
    top: Option<String>,
    bottom: Option<String>,
}

impl TooltipPlace {
    /// Places the tooltip for a pointer at `(x, y)` CSS pixels on a canvas of `size`.
    fn away_from((x, y): (i32, i32), (width, height): (i32, i32)) -> Self {
        const OFFSET: i32 = 16;
        let px = |value: i32| Some(format!("{value}px"));
        let (left, right) = if x < width / 2 { (px(x + OFFSET), None) } else { (None, px(width - x + OFFSET)) };
        let (top, bottom) = if y < height / 2 { (px(y + OFFSET), None) } else { (None, px(height - y + OFFSET)) };
        TooltipPlace { left, right, top, bottom }
    }
}

#[component]
pub fn RevenueTrendChart() -> impl IntoView {
    let state = expect_context::<AppState>();
    let months = Memo::new(move |_| state.dashboard.get().and_then(|dashboard| dashboard.revenue_by_month).unwrap_or_default());
    let data_end = Memo::new(move |_| state.dashboard.get().and_then(|dashboard| dashboard.revenue_as_of));
    let canvas = NodeRef::<Canvas>::new();
    // Each month is compared with the same month a year earlier from the series itself.
    redraw_on_change(canvas, REVENUE_TREND, Signal::derive(|| 320.0), move |area, theme| {
        let months = months.get();
        match data_end.get() {
            Some(end) => draw_revenue_trend_as_of(area, &months, Some(&months), end, theme),
            None => draw_revenue_trend_compared(area, &months, Some(&months), theme),
        }
    });

    let subtitle = Signal::derive(move || {
        let months = months.get();
        match (months.first(), months.last()) {
            (Some(first), Some(last)) => format!("Sum of transaction amounts per month, {} to {}, with the same month a year earlier", first.month.short_label(), last.month.short_label()),
            _ => String::new(),
        }
    });
    let table = move || revenue_table(&months.get());
    let hit_test = Callback::new(move |query: HitQuery| {
        let months = months.get_untracked();
        let theme = query.theme();
        match data_end.get_untracked() {
            Some(end) => hit_test_revenue_trend_as_of(query.size, &theme, &months, Some(&months), end, (query.x, query.y)),
            None => hit_test_revenue_trend(query.size, &theme, &months, Some(&months), query.x, query.y),
        }
    });
    view! {
        <ChartFrame id=REVENUE_TREND wide=true title="Revenue trend" subtitle=subtitle canvas=canvas css_height=320.0 hit_test=hit_test table=table.into_any() />
    }
}

fn revenue_table(months: &[MonthRevenue]) -> impl IntoView + use<> {
    let rows = months
        .iter()
        .enumerate()
        .map(|(index, month)| {
            let change = index
                .checked_sub(1)
                .and_then(|previous| growth(months[previous].totals.revenue, month.totals.revenue).ok())
                .map(format::signed_percent)
                .unwrap_or_else(|| "–".to_string());
            let arpu = month.totals.arpu().map(format::money).unwrap_or_else(|_| "–".to_string());
            view! {
                <tr>
                    <th scope="row">{month.month.label()}</th>
                    <td>{format::money(month.totals.revenue.to_major_f64())}</td>
                    <td>{change}</td>
                    <td>{format::thousands(month.totals.active_customers as u64)}</td>
                    <td>{arpu}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table data-chart-table=REVENUE_TREND>
            <thead><tr><th scope="col">"Month"</th><th scope="col">"Revenue"</th><th scope="col">"Change"</th><th scope="col">"Active customers"</th><th scope="col">"ARPU"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
pub fn CohortChart() -> impl IntoView {
    let state = expect_context::<AppState>();
    let table = Memo::new(move |_| state.dashboard.get().and_then(|dashboard| dashboard.cohorts));
    let visible_rows = move || table.get().map_or(0, |table| table.cohorts.iter().filter(|cohort| cohort.size > 0).count());
    let css_height = Signal::derive(move || 90.0 + 28.0 * visible_rows().max(1) as f64);
    let canvas = NodeRef::<Canvas>::new();
    redraw_on_change(canvas, COHORT_RETENTION, css_height, move |area, theme| match table.get() {
        Some(table) => draw_cohort_heatmap(area, &table, theme),
        None => Ok(()),
    });

    let subtitle = Signal::derive(move || {
        let Some(table) = table.get() else { return String::new() };
        let empty = table.cohorts.iter().filter(|cohort| cohort.size == 0).count();
        let mut text = "Share of each first-purchase cohort that bought again in each later month (\"on\" retention); rows show the cohort size.".to_string();
        match empty {
            0 => {}
            1 => text.push_str(" 1 month without new customers is not shown."),
            _ => text.push_str(&format!(" {empty} months without new customers are not shown.")),
        }
        text
    });
    let cohort_table = move || table.get().map(|table| cohort_table(&table));
    let hit_test = Callback::new(move |query: HitQuery| {
        let table = table.get_untracked()?;
        headlights_core::charts::cohort_heatmap::hit_test_cohort_heatmap(query.size, &query.theme(), &table, query.x, query.y)
    });
    view! {
        <ChartFrame id=COHORT_RETENTION wide=true title="Cohort retention" subtitle=subtitle canvas=canvas css_height=css_height hit_test=hit_test table=cohort_table.into_any() />
    }
}

fn cohort_table(table: &CohortTable) -> impl IntoView + use<> {
    let width = table.max_offsets();
    let header = (0..width).map(|offset| view! { <th scope="col">{format!("+{offset}")}</th> }).collect_view();
    let rows = table
        .cohorts
        .iter()
        .map(|cohort| {
            let cells = (0..width)
                .map(|offset| {
                    let text = cohort.retention(offset).map(|share| format::percent(share.fraction())).unwrap_or_default();
                    view! { <td>{text}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{cohort.month.label()}</th><td>{format::thousands(cohort.size)}</td>{cells}</tr> }
        })
        .collect_view();
    view! {
        <table data-chart-table=COHORT_RETENTION>
            <thead><tr><th scope="col">"Cohort"</th><th scope="col">"Customers"</th>{header}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
pub fn SegmentChurnChart() -> impl IntoView {
    let state = expect_context::<AppState>();
    let breakdown = Memo::new(move |_| state.dashboard.get().and_then(|dashboard| dashboard.segment_churn));
    let segment_names = Memo::new(move |_| state.dashboard.get().map(|dashboard| dashboard.segment_names).unwrap_or_default());
    let css_height = Signal::derive(move || 70.0 + 34.0 * breakdown.get().map_or(1, |breakdown| breakdown.rows.len()) as f64);
    let canvas = NodeRef::<Canvas>::new();
    redraw_on_change(canvas, SEGMENT_CHURN, css_height, move |area, theme| match breakdown.get() {
        Some(breakdown) => draw_segment_churn(area, &breakdown, theme),
        None => Ok(()),
    });

    let subtitle = Signal::derive(|| "Churned customers / customers in each group, with 95% intervals; grey bars have fewer than 30 customers.".to_string());
    let picker = view! {
        <label class="segment-picker">
            "Break down by "
            <select on:change=move |event| {
                let name = event_target_value(&event);
                state.options.update(|options| options.segment = Some(name));
                state.generation.update(|generation| *generation += 1);
            }>
                {move || {
                    let selected = breakdown.get().map(|breakdown| breakdown.segment).unwrap_or_default();
                    segment_names.get().into_iter().map(|name| {
                        let is_selected = name == selected;
                        view! { <option value=name.clone() selected=is_selected>{name.clone()}</option> }
                    }).collect_view()
                }}
            </select>
        </label>
    };
    let table = move || breakdown.get().map(|breakdown| segment_table(&breakdown));
    let hit_test = Callback::new(move |query: HitQuery| {
        let breakdown = breakdown.get_untracked()?;
        headlights_core::charts::segment_churn::hit_test_segment_churn(query.size, &query.theme(), &breakdown, query.x, query.y)
    });
    view! {
        <ChartFrame id=SEGMENT_CHURN title="Churn by segment" subtitle=subtitle canvas=canvas css_height=css_height controls=picker.into_any() hit_test=hit_test table=table.into_any() />
    }
}

fn segment_table(breakdown: &SegmentBreakdown) -> impl IntoView + use<> {
    let rows = breakdown
        .rows
        .iter()
        .map(|row| {
            let (low, high) = row.churn.wilson_interval();
            view! {
                <tr>
                    <th scope="row">{row.label.clone()}</th>
                    <td>{format::thousands(row.churn.denominator)}</td>
                    <td>{format::thousands(row.churn.numerator)}</td>
                    <td>{format::percent(row.churn.fraction())}</td>
                    <td>{format!("{} – {}", format::percent(low), format::percent(high))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table data-chart-table=SEGMENT_CHURN>
            <caption>{format!("Churn by {}", breakdown.segment)}</caption>
            <thead><tr><th scope="col">"Group"</th><th scope="col">"Customers"</th><th scope="col">"Churned"</th><th scope="col">"Churn rate"</th><th scope="col">"95% interval"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
