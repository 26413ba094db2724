//! The reading options of the mapping panel: date order, decimal separator, missing-value
//! markers, header rows, separator and sheet. Each control edits the panel's draft mapping.

use std::sync::Arc;

use headlights_core::ingest::dialect::Separator;
use headlights_core::ingest::{DateOrder, DecimalSeparator, FileSummary, Mapping, ReadOptions};
use leptos::prelude::*;

/// The separators the panel offers for text files: option value, label, separator.
const SEPARATORS: [(&str, &str, Separator); 5] = [
    ("comma", "comma (,)", Separator::Char(b',')),
    ("semicolon", "semicolon (;)", Separator::Char(b';')),
    ("tab", "tab", Separator::Char(b'\t')),
    ("pipe", "pipe (|)", Separator::Char(b'|')),
    ("spaces", "runs of spaces", Separator::Whitespace),
];

/// Header-row counts the panel offers besides detection, with their option values.
const HEADER_ROW_CHOICES: [(&str, usize); 4] = [("0", 0), ("1", 1), ("2", 2), ("3", 3)];

/// Date order, decimal separator, missing-value markers, header rows, separator and sheet.
#[component]
pub fn ReadingOptions(summary: Arc<FileSummary>, draft: RwSignal<Mapping>) -> impl IntoView {
    let date_orders = vec![
        ("month-first", "month first (03/04 is 4 March)".to_string(), DateOrder::MonthFirst),
        ("day-first", "day first (03/04 is 3 April)".to_string(), DateOrder::DayFirst),
    ];
    let decimals = vec![
        ("point", "point (1,234.50)".to_string(), DecimalSeparator::Point),
        ("comma", "comma (1.234,50)".to_string(), DecimalSeparator::Comma),
    ];
    let sentinels = move |event| {
        let typed = event_target_value(&event);
        let markers = typed.split(',').map(str::trim).filter(|marker| !marker.is_empty()).map(str::to_string).collect();
        draft.update(|mapping| mapping.options.missing_sentinels = markers);
    };
    let sentinel_text = move || draft.with(|mapping| mapping.options.missing_sentinels.join(", "));

    let is_text = !matches!(summary.separator.as_str(), "workbook" | "JSON");
    let header_rows = (summary.separator != "JSON").then(|| {
        let choices = HEADER_ROW_CHOICES
            .iter()
            .map(|(value, rows)| {
                let label = if *rows == 0 { "none: the first row is data".to_string() } else { rows.to_string() };
                (*value, label, *rows)
            })
            .collect();
        view! {
            <OptionSelect label="Header rows" option="header-rows" detected=format!("detected ({})", summary.header_rows) choices=choices draft=draft
                read=|options| options.header_rows write=|options, rows| options.header_rows = rows />
        }
    });
    let separator = is_text.then(|| {
        let choices = SEPARATORS.iter().map(|(value, label, separator)| (*value, label.to_string(), *separator)).collect();
        view! {
            <OptionSelect label="Separator" option="separator" detected=format!("detected ({})", summary.separator) choices=choices draft=draft
                read=|options| options.separator write=|options, separator| options.separator = separator />
        }
    });
    let sheet = (summary.sheets.len() > 1).then(|| view! { <SheetChoice sheets=summary.sheets.clone() draft=draft /> });

    view! {
        <fieldset class="mapping-options">
            <legend>"Reading the values"</legend>
            <OptionSelect label="Dates" option="date-order" detected="decided from the values".to_string() choices=date_orders draft=draft
                read=|options| options.date_order write=|options, order| options.date_order = order />
            <OptionSelect label="Decimals" option="decimal" detected="decided from the values".to_string() choices=decimals draft=draft
                read=|options| options.decimal_separator write=|options, separator| options.decimal_separator = separator />
            <label>"Missing-value markers "
                <input type="text" data-mapping-option="sentinels" placeholder="for example -99" prop:value=sentinel_text on:change=sentinels
                    title="Values that mean no answer in this file, separated by commas; empty cells, N/A and NULL always count as missing" />
            </label>
            {header_rows}
            {separator}
            {sheet}
        </fieldset>
    }
}

/// Offers detection (the empty value) or one of `choices` for one reading option. Each choice
/// is an option value, a label and the setting; `read` and `write` reach the option in the draft.
#[component]
fn OptionSelect<T>(
    label: &'static str,
    option: &'static str,
    detected: String,
    choices: Vec<(&'static str, String, T)>,
    draft: RwSignal<Mapping>,
    read: fn(&ReadOptions) -> Option<T>,
    write: fn(&mut ReadOptions, Option<T>),
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let is = move |setting: Option<T>| move || draft.with(|mapping| read(&mapping.options) == setting);
    let settings: Vec<(&'static str, T)> = choices.iter().map(|(value, _, setting)| (*value, *setting)).collect();
    let on_change = move |event| {
        let value = event_target_value(&event);
        let setting = settings.iter().find(|(known, _)| *known == value).map(|(_, setting)| *setting);
        draft.update(|mapping| write(&mut mapping.options, setting));
    };
    let options = choices
        .into_iter()
        .map(|(value, text, setting)| view! { <option value=value prop:selected=is(Some(setting))>{text}</option> })
        .collect_view();
    view! {
        <label>{label} " "
            <select data-mapping-option=option on:change=on_change>
                <option value="" prop:selected=is(None)>{detected}</option>
                {options}
            </select>
        </label>
    }
}

#[component]
fn SheetChoice(sheets: Vec<String>, draft: RwSignal<Mapping>) -> impl IntoView {
    let first = sheets.first().cloned();
    let on_change = move |event| {
        let sheet = event_target_value(&event);
        draft.update(|mapping| mapping.options.sheet = Some(sheet));
    };
    let choices = sheets
        .into_iter()
        .map(|sheet| {
            let value = sheet.clone();
            let first = first.clone();
            let selected = move || draft.with(|mapping| mapping.options.sheet.as_ref().or(first.as_ref()) == Some(&value));
            let label = sheet.clone();
            view! { <option value=sheet prop:selected=selected>{label}</option> }
        })
        .collect_view();
    view! {
        <label>"Sheet "
            <select data-mapping-option="sheet" on:change=on_change>{choices}</select>
        </label>
    }
}
