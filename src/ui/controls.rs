//! The view controls: granularity, date range and the conventions that are settings. They live
//! in the URL fragment, so a link reopens the same view (never the data).

use chrono::{Datelike, NaiveDate};
use headlights_core::format;
use headlights_core::ingest::values::parse_money;
use headlights_core::metrics::experience::ces::CesDirection;
use headlights_core::metrics::new_user_retention::RetentionMode;
use headlights_core::metrics::period::DateRange;
use headlights_core::metrics::retention::ChurnConvention;
use headlights_core::metrics::dashboard::segment_filter::SegmentFilter;
use headlights_core::metrics::{Dashboard, DashboardOptions};
use headlights_core::view_fragment::{decode_fragment, encode_fragment, granularity_name, parse_granularity};
use leptos::prelude::*;

use super::download::download_text;
use super::state::AppState;

/// Reads the view settings from the page's URL fragment.
pub fn options_from_location() -> DashboardOptions {
    decode_fragment(&window().location().hash().unwrap_or_default())
}

/// Writes the settings into the URL fragment without reloading or adding a history entry.
fn write_location(options: &DashboardOptions) {
    let fragment = encode_fragment(options);
    let location = window().location();
    let url = format!("{}{}", location.pathname().unwrap_or_default(), if fragment.is_empty() { String::new() } else { format!("#{fragment}") });
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Changes the settings, recomputes the dashboard and records the view in the URL.
fn update_options(state: AppState, change: impl FnOnce(&mut DashboardOptions)) {
    state.options.update(change);
    state.generation.update(|generation| *generation += 1);
    write_location(&state.options.get_untracked());
}

/// Parses a date input's value. Years before 1900 are taken as still being typed: Chromium
/// fires `change` for each digit of the year, so 2026 passes through 0002, 0020 and 0202.
fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().filter(|day| day.year() >= 1900)
}

#[component]
pub fn Controls() -> impl IntoView {
    let state = expect_context::<AppState>();
    let options = state.options;

    let set_range = move |first: Option<NaiveDate>, last: Option<NaiveDate>| {
        update_options(state, |options| {
            options.date_range = match (first, last) {
                (Some(first), Some(last)) if first <= last => Some(DateRange { first, last }),
                _ => None,
            };
        });
    };
    let range_text = move |pick_first: bool| {
        options.with(|options| options.date_range.map(|range| if pick_first { range.first } else { range.last }).map(|day| day.to_string()).unwrap_or_default())
    };

    view! {
        <section class="controls" aria-label="View settings" data-controls="">
            <label>"Period "
                <select data-control="granularity" on:change=move |event| {
                    if let Some(granularity) = parse_granularity(&event_target_value(&event)) {
                        update_options(state, |options| options.granularity = granularity);
                    }
                }>
                    {["day", "week", "month", "quarter", "year"].into_iter().map(|name| view! {
                        <option value=name selected=move || options.with(|options| granularity_name(options.granularity) == name)>{name}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"From "
                <input type="date" data-control="from" prop:value=move || range_text(true)
                    on:change=move |event| {
                        let Some(first) = parse_day(&event_target_value(&event)) else { return };
                        set_range(Some(first), parse_day(&range_text(false)).or(Some(first)))
                    } />
            </label>
            <label>"To "
                <input type="date" data-control="to" prop:value=move || range_text(false)
                    on:change=move |event| {
                        let Some(last) = parse_day(&event_target_value(&event)) else { return };
                        set_range(parse_day(&range_text(true)).or(Some(last)), Some(last))
                    } />
            </label>
            <button type="button" class="link-button" on:click=move |_| set_range(None, None)>"All dates"</button>
            <label>"Churn counts "
                <select data-control="churn" on:change=move |event| {
                    let convention = if event_target_value(&event) == "start-new" { ChurnConvention::StartAndNewCustomers } else { ChurnConvention::StartCustomers };
                    update_options(state, |options| options.churn_convention = convention);
                }>
                    <option value="start" selected=move || options.with(|o| o.churn_convention == ChurnConvention::StartCustomers)>"customers at the start (ChartMogul)"</option>
                    <option value="start-new" selected=move || options.with(|o| o.churn_convention == ChurnConvention::StartAndNewCustomers)>"start and new customers (Stripe)"</option>
                </select>
            </label>
            <label>"New-user retention "
                <select data-control="retention" on:change=move |event| {
                    let mode = if event_target_value(&event) == "on-or-after" { RetentionMode::OnOrAfter } else { RetentionMode::On };
                    update_options(state, |options| options.retention_mode = mode);
                }>
                    <option value="on" selected=move || options.with(|o| o.retention_mode == RetentionMode::On)>"active on the period"</option>
                    <option value="on-or-after" selected=move || options.with(|o| o.retention_mode == RetentionMode::OnOrAfter)>"active on or after it"</option>
                </select>
            </label>
            <label>"CES scale "
                <select data-control="ces" on:change=move |event| {
                    let direction = if event_target_value(&event) == "lower" { CesDirection::LowerIsEasier } else { CesDirection::HigherIsEasier };
                    update_options(state, |options| options.ces_direction = direction);
                }>
                    <option value="higher" selected=move || options.with(|o| o.ces_direction == CesDirection::HigherIsEasier)>"higher is easier"</option>
                    <option value="lower" selected=move || options.with(|o| o.ces_direction == CesDirection::LowerIsEasier)>"lower is easier"</option>
                </select>
            </label>
            <label>"Gross margin (%) "
                <input type="number" min="0" max="100" step="0.5" data-control="margin"
                    prop:value=move || options.with(|o| o.gross_margin_basis_points.map(|points| format!("{}", f64::from(points) / 100.0)).unwrap_or_else(|| "100".to_string()))
                    on:change=move |event| {
                        let points = event_target_value(&event).parse::<f64>().ok().filter(|percent| (0.0..=100.0).contains(percent)).map(|percent| (percent * 100.0).round() as u32);
                        update_options(state, |options| options.gross_margin_basis_points = points);
                    } />
            </label>
            <label>"Retention spend per period "
                <input type="text" inputmode="decimal" placeholder="from a file" data-control="spend"
                    prop:value=move || options.with(|o| o.retention_spend.map(|spend| spend.to_major_string()).unwrap_or_default())
                    on:change=move |event| {
                        let spend = parse_money(&event_target_value(&event)).filter(|amount| amount.micros >= 0);
                        update_options(state, |options| options.retention_spend = spend);
                    } />
            </label>
            <CurrencyControl />
            <SegmentFilterControl />
            <button type="button" data-export="kpis" on:click=move |_| export_kpis(state)>"Download KPIs (CSV)"</button>
            <button type="button" class="link-button" on:click=move |_| { let _ = window().print(); }>"Print"</button>
        </section>
    }
}

/// Shows the choice of the currency the money cards report in, when the transactions are in more
/// than one: amounts in different currencies are never added together.
#[component]
fn CurrencyControl() -> impl IntoView {
    let state = expect_context::<AppState>();
    let choice = Memo::new(move |_| state.dashboard.get().and_then(|dashboard| dashboard.currency_choice));

    move || {
        choice.get().map(|choice| {
            view! {
                <label>"Currency "
                    <select data-control="currency" on:change=move |event| {
                        let code = event_target_value(&event);
                        update_options(state, |options| options.currency = Some(code));
                    }>
                        {choice.codes.iter().map(|code| view! {
                            <option value=code.clone() selected=*code == choice.reporting>{code.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
            }
        })
    }
}

/// The segment filter: an account attribute and one of its values, restricting every KPI to
/// the matching customers and users. Shown only when an attributes file gives columns.
#[component]
fn SegmentFilterControl() -> impl IntoView {
    let state = expect_context::<AppState>();
    let columns = Memo::new(move |_| state.dashboard.get().map(|dashboard| dashboard.filter_columns).unwrap_or_default());
    let applied = Memo::new(move |_| state.dashboard.get().and_then(|dashboard| dashboard.applied_filter));
    let chosen = move || state.options.with(|options| options.segment_filter.clone());

    let set_column = move |column: String| {
        let first_value = columns.with_untracked(|columns| columns.iter().find(|known| known.name == column).and_then(|known| known.values.first().cloned()));
        update_options(state, |options| {
            options.segment_filter = first_value.map(|value| SegmentFilter { column, value });
        });
    };
    let set_value = move |value: String| {
        update_options(state, |options| {
            if let Some(filter) = options.segment_filter.as_mut() {
                filter.value = value;
            }
        });
    };
    // A value from a link that no account has stays listed, so the choice on screen is the one in effect.
    let values = move || {
        let filter = chosen()?;
        let mut values = columns.with(|columns| columns.iter().find(|known| known.name == filter.column).map(|known| known.values.clone()))?;
        if !values.contains(&filter.value) {
            values.push(filter.value);
        }
        Some(values)
    };
    let note = move || applied.get().map(|applied| {
        if applied.accounts == 0 {
            return format!("No accounts match: no account has {} = {}. Choose another value.", applied.filter.column, applied.filter.value);
        }
        let mut text = format!("Every KPI counts only the {} accounts with {} = {}.", format::thousands(applied.accounts), applied.filter.column, applied.filter.value);
        if !applied.unjoined.is_empty() {
            text.push_str(&format!(" Left out, because none of their ids is an account id: {}.", applied.unjoined.join(", ")));
        }
        text
    });

    view! {
        <Show when=move || columns.with(|columns| !columns.is_empty())>
            <div class="segment-filter" data-segment-filter="">
                <label>"Only accounts where "
                    <select data-control="filter-column" on:change=move |event| {
                        let column = event_target_value(&event);
                        if column.is_empty() {
                            update_options(state, |options| options.segment_filter = None);
                        } else {
                            set_column(column);
                        }
                    }>
                        <option value="" selected=move || chosen().is_none()>"(all accounts)"</option>
                        {move || columns.get().into_iter().map(|column| {
                            let name = column.name.clone();
                            let selected = chosen().is_some_and(|filter| filter.column == name);
                            view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                {move || values().map(|values| view! {
                    <label>" is "
                        <select data-control="filter-value" on:change=move |event| set_value(event_target_value(&event))>
                            {values.into_iter().map(|value| {
                                let selected = chosen().is_some_and(|filter| filter.value == value);
                                view! { <option value=value.clone() selected=selected>{value.clone()}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                })}
                {move || note().map(|text| view! { <p class="segment-filter-note" data-filter-note="">{text}</p> })}
            </div>
        </Show>
    }
}

/// Downloads every card as a CSV row; text is neutralised against spreadsheet formulas.
fn export_kpis(state: AppState) {
    let Some(dashboard) = state.dashboard.get_untracked() else { return };
    if let Err(message) = download_text("headlights-kpis.csv", "text/csv", &kpi_csv(&dashboard)) {
        gloo::console::error!(message);
    }
}

fn kpi_csv(dashboard: &Dashboard) -> String {
    let mut csv = String::from("kpi,label,value,display,period,n,n_counts,interval_low,interval_high,previous_value,change,unavailable_reason\n");
    for card in &dashboard.cards {
        let change = card.trend.as_ref().and_then(|trend| trend.change.as_ref());
        let (previous, change) = change.map(|change| (change.previous.to_string(), format!("{} vs {}", change.display, change.previous_label))).unwrap_or_default();
        let fields: Vec<String> = match &card.reading {
            Ok(reading) => {
                let (low, high) = reading.interval.map(|(low, high)| (low.to_string(), high.to_string())).unwrap_or_default();
                vec![card.id.to_string(), card.label.to_string(), reading.raw.clone(), reading.display.clone(), reading.period.clone(), reading.n.to_string(), reading.n_label.to_string(), low, high, previous, change, String::new()]
            }
            Err(reason) => {
                let mut fields = vec![card.id.to_string(), card.label.to_string()];
                fields.extend(std::iter::repeat_n(String::new(), 9));
                fields.push(reason.to_string());
                fields
            }
        };
        let escaped: Vec<String> = fields.iter().map(|field| format::csv_field(field)).collect();
        csv.push_str(&escaped.join(","));
        csv.push('\n');
    }
    csv
}
