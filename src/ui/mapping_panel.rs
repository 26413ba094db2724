//! The mapping panel of a loaded file: its data kind, each column's role beside its type and
//! sample values, and the reading options. Applying reads the file again in the worker, and
//! the dashboard follows; a mapping that does not fit leaves the previous reading.
//!
//! Test hooks: `[data-mapping="<file name>"]` is the panel, and its `data-mapping-source` is
//! `detected`, `remembered` or `chosen`. Inside it are `[data-mapping-kind]`,
//! `[data-mapping-role="<column index from 0>"]`, `[data-mapping-missing]` (the missing
//! required roles, comma-separated), `[data-mapping-option="date-order" | "decimal" |
//! "sentinels" | "header-rows" | "separator" | "sheet"]`, `[data-mapping-column-name="<index>"]`,
//! `[data-mapping-apply]`, `[data-mapping-reset]`, `[data-mapping-status]`,
//! `[data-mapping-error]`, and `[data-mapping-question]` with `[data-mapping-answer]` buttons.

use std::sync::Arc;

use headlights_core::ingest::profile::ValueType;
use headlights_core::ingest::recognise::join_with_and;
use headlights_core::ingest::{Ambiguity, DataKind, DateOrder, DecimalSeparator, FileSummary, Mapping, ReadOptions, Role};
use headlights_core::session::Reading;
use leptos::prelude::*;

use super::load::apply_reading;
use super::mapping_options::ReadingOptions;
use super::state::{AppState, MappingSource, RemapStatus};

/// The parts of a file row that the panel reads and changes.
#[derive(Clone)]
pub struct PanelFile {
    pub id: u64,
    pub summary: Arc<FileSummary>,
    pub source: MappingSource,
    pub remap: RwSignal<RemapStatus>,
    pub open: RwSignal<bool>,
}

/// Asks the questions that the values could not settle (date order, decimal separator). They
/// sit outside the collapsed panel so that the user sees them, and an answer applies at once.
#[component]
pub fn MappingQuestions(file: PanelFile) -> impl IntoView {
    let options = &file.summary.mapping.options;
    let mut date_columns = Vec::new();
    let mut decimal_columns = Vec::new();
    // Every undecided column of a file gets the same assumption, from the file's other evidence.
    let mut assumed_decimal = DecimalSeparator::Point;
    for ambiguity in &file.summary.ambiguities {
        match ambiguity {
            Ambiguity::DateOrder { column, examples } if options.date_order.is_none() => date_columns.push((column.clone(), examples.clone())),
            Ambiguity::DecimalSeparator { column, examples, assumed } if options.decimal_separator.is_none() => {
                decimal_columns.push((column.clone(), examples.clone()));
                assumed_decimal = *assumed;
            }
            _ => {}
        }
    }
    let date_question = (!date_columns.is_empty()).then(|| {
        let text = format!(
            "Dates in {} could be month first or day first, and the values do not tell. Month first was assumed. Which is it?",
            describe_columns(&date_columns)
        );
        let answers: [Answer; 2] = [
            ("month-first", "Month first: 03/04/2024 is 4 March", |options| options.date_order = Some(DateOrder::MonthFirst)),
            ("day-first", "Day first: 03/04/2024 is 3 April", |options| options.date_order = Some(DateOrder::DayFirst)),
        ];
        view! { <Question file=file.clone() question="date-order" text=text answers=answers /> }
    });
    let decimal_question = (!decimal_columns.is_empty()).then(|| {
        let assumed = match assumed_decimal {
            DecimalSeparator::Point => "A decimal point was assumed.",
            DecimalSeparator::Comma => "A decimal comma was assumed from the file's other numbers or its semicolon separator.",
        };
        let text = format!(
            "Numbers in {} could use a point or a comma for decimals, and the values do not tell. {assumed} Which is it?",
            describe_columns(&decimal_columns)
        );
        let answers: [Answer; 2] = [
            ("point", "Decimal point: 1,250 is one thousand two hundred fifty", |options| options.decimal_separator = Some(DecimalSeparator::Point)),
            ("comma", "Decimal comma: 1,250 is one and a quarter", |options| options.decimal_separator = Some(DecimalSeparator::Comma)),
        ];
        view! { <Question file=file.clone() question="decimal-separator" text=text answers=answers /> }
    });
    view! { {date_question} {decimal_question} }
}

/// An answer button's `data-mapping-answer` value, its label, and the option it sets.
type Answer = (&'static str, &'static str, fn(&mut ReadOptions));

/// Shows one question with its answers. An answer reads the file again with the current
/// mapping and the answer's option. A file that no kind fits is detected again instead,
/// because its guessed mapping lacks required roles.
#[component]
fn Question(file: PanelFile, question: &'static str, text: String, answers: [Answer; 2]) -> impl IntoView {
    let state = expect_context::<AppState>();
    let remap = file.remap;
    let applying = move || remap.with(|status| *status == RemapStatus::Applying);
    let buttons = answers
        .into_iter()
        .map(|(answer, label, set_option)| {
            let file = file.clone();
            let on_click = move |_| {
                let mut mapping = file.summary.mapping.clone();
                set_option(&mut mapping.options);
                let reading = if file.summary.unrecognised.is_some() { Reading::Detect(mapping.options) } else { Reading::Mapped(mapping) };
                apply_reading(state, file.id, reading, MappingSource::Chosen);
            };
            view! { <button type="button" class="mapping-answer" data-mapping-answer=answer disabled=applying on:click=on_click>{label}</button> }
        })
        .collect_view();
    view! {
        <div class="mapping-question" role="group" data-mapping-question=question>
            <p>{text}</p>
            {buttons}
        </div>
    }
}

/// Names the columns with their first examples: `"Date" (03/04/2024, 05/06/2024)`.
fn describe_columns(columns: &[(String, Vec<String>)]) -> String {
    let described: Vec<String> = columns.iter().map(|(column, examples)| format!("\"{column}\" ({})", examples.join(", "))).collect();
    let parts: Vec<&str> = described.iter().map(String::as_str).collect();
    join_with_and(&parts)
}

/// Shows the collapsible panel: kind, columns and options, with Apply and Reset to detected.
#[component]
pub fn MappingPanel(file: PanelFile) -> impl IntoView {
    let summary = file.summary.clone();
    // The user's edits until they apply them; the row is drawn again with a fresh draft when
    // a new reading comes in.
    let draft = RwSignal::new(summary.mapping.clone());
    let used = summary.columns.iter().filter(|column| column.role.is_some()).count();
    let heading = if summary.unrecognised.is_some() {
        format!("Columns: {} found · choose the data kind and what each column holds", summary.columns.len())
    } else {
        format!("Columns: {used} used, {} not used · change how this file is read", summary.columns.len() - used)
    };
    let open = file.open;
    let source = source_name(file.source);
    let name = summary.name.clone();
    // The body is built only while the panel is open: a closed panel then costs the load's
    // reply no more than its summary line, however many columns and roles the file has.
    let body = move || open.get().then(|| view! { <MappingBody file=file.clone() draft=draft /> });

    view! {
        <details class="mapping" data-mapping=name data-mapping-source=source prop:open=move || open.get()
            on:toggle=move |event| {
                // Opening the panel from code fires this event too: the body is built once.
                let now_open = event_target::<web_sys::Element>(&event).has_attribute("open");
                if open.get_untracked() != now_open {
                    open.set(now_open);
                }
            }>
            <summary>{heading}</summary>
            {body}
        </details>
    }
}

/// Shows the open panel: the data kind, each column with its values and role, the reading options,
/// and Apply and Reset.
#[component]
fn MappingBody(file: PanelFile, draft: RwSignal<Mapping>) -> impl IntoView {
    let summary = file.summary.clone();
    let columns = summary
        .columns
        .iter()
        .enumerate()
        .map(|(index, column)| {
            let header = (!summary.has_header_row).then(|| column.header.clone());
            view! { <ColumnRow index=index header=column.header.clone() value_type=column.value_type samples=column.samples.clone() rename=header draft=draft /> }
        })
        .collect_view();

    view! {
        <div class="mapping-body">
            <KindChoice draft=draft current=summary.mapping.clone() sheet=summary.sheet.clone() />
            <ul class="mapping-columns" aria-label="Columns, their values and their roles">
                <li class="mapping-column mapping-column-heads" aria-hidden="true">
                    <span>"Column"</span><span>"Type"</span><span>"Sample values"</span><span>"Role"</span>
                </li>
                {columns}
            </ul>
            <ReadingOptions summary=summary.clone() draft=draft />
            <MappingActions file=file draft=draft />
        </div>
    }
}

/// Offers the data kinds and names the roles the chosen kind still needs. While the draft
/// reads another sheet or separator than `current`, it explains instead that Apply detects
/// the new columns, because the roles shown belong to the columns of `sheet` (the sheet read now).
#[component]
fn KindChoice(draft: RwSignal<Mapping>, current: Mapping, sheet: Option<String>) -> impl IntoView {
    let on_change = move |event| {
        let chosen = event_target_value(&event).parse::<usize>().ok().and_then(|index| DataKind::ALL.get(index).copied());
        if let Some(kind) = chosen {
            draft.update(|mapping| mapping.set_kind(kind));
        }
    };
    let kinds = DataKind::ALL
        .iter()
        .enumerate()
        .map(|(index, kind)| {
            let kind = *kind;
            view! { <option value=index.to_string() prop:selected=move || draft.with(|mapping| mapping.kind == kind)>{kind.label()}</option> }
        })
        .collect_view();
    let changes_columns = Memo::new(move |_| draft.with(|mapping| Reading::changes_columns(&current, mapping)));
    let missing = move || if changes_columns.get() { Vec::new() } else { draft.with(|mapping| mapping.missing_roles()) };
    let missing_value = move || missing().iter().map(|role| role.label()).collect::<Vec<_>>().join(",");
    let needs = move || {
        if changes_columns.get() {
            return draft.with(|mapping| new_columns_text(sheet.as_deref(), mapping.options.sheet.as_deref()));
        }
        let kind = draft.with(|mapping| mapping.kind);
        let required: Vec<&str> = kind.required_roles().iter().map(|role| role.label()).collect();
        format!("A {} file needs a column for {}.", kind.label(), join_with_and(&required))
    };
    let missing_text = move || {
        let labels: Vec<&str> = missing().iter().map(|role| role.label()).collect();
        (!labels.is_empty()).then(|| format!(" Choose a column for {} before applying.", join_with_and(&labels)))
    };

    view! {
        <div class="mapping-kind">
            <label>"Data kind " <select data-mapping-kind="" on:change=on_change>{kinds}</select></label>
            <p class="mapping-needs" data-mapping-missing=missing_value>
                {needs}
                <strong class="mapping-missing">{missing_text}</strong>
            </p>
        </div>
    }
}

/// Explains that Apply reads the columns of another sheet (`chosen`, where `listed` is the
/// sheet whose columns the panel lists) or of another separator, and detects their roles.
fn new_columns_text(listed: Option<&str>, chosen: Option<&str>) -> String {
    match (listed, chosen) {
        (Some(listed), Some(chosen)) if listed != chosen => format!(
            "The columns below are from sheet \"{listed}\". Apply reads sheet \"{chosen}\" and detects its data kind and columns."
        ),
        (_, Some(chosen)) => format!("Apply reads sheet \"{chosen}\" again and detects its data kind and columns."),
        (_, None) => "Apply splits the file on the chosen separator and detects its data kind and columns.".to_string(),
    }
}

/// Shows one column: its header (a name field when the file has no header row), detected
/// type, sample values and role.
#[component]
fn ColumnRow(index: usize, header: String, value_type: ValueType, samples: Vec<String>, rename: Option<String>, draft: RwSignal<Mapping>) -> impl IntoView {
    let name = match rename {
        Some(numbered) => {
            let on_change = move |event| {
                let typed = event_target_value(&event);
                draft.update(|mapping| set_column_name(mapping, index, typed.trim()));
            };
            let value = move || draft.with(|mapping| mapping.options.column_names.get(index).filter(|name| !name.is_empty()).cloned());
            view! {
                <input type="text" class="mapping-name" data-mapping-column-name=index.to_string() placeholder=numbered.clone()
                    aria-label=format!("Name of {numbered}") prop:value=move || value().unwrap_or_default() on:change=on_change />
            }
            .into_any()
        }
        None => view! { <span class="mapping-header">{header.clone()}</span> }.into_any(),
    };
    let samples = if samples.is_empty() { "no values".to_string() } else { samples.join(" · ") };

    view! {
        <li class="mapping-column" data-mapping-column=index.to_string()>
            {name}
            <span class="mapping-type">{type_label(value_type)}</span>
            <span class="mapping-samples" title="Sample values">{samples}</span>
            <RoleChoice index=index header=header draft=draft />
        </li>
    }
}

fn set_column_name(mapping: &mut Mapping, index: usize, name: &str) {
    let names = &mut mapping.options.column_names;
    if names.len() <= index {
        names.resize(index + 1, String::new());
    }
    names[index] = name.to_string();
    while names.last().is_some_and(String::is_empty) {
        names.pop();
    }
}

/// Offers the roles of column `index`: "not used" and the roles the kind reads, with the
/// required ones marked.
#[component]
fn RoleChoice(index: usize, header: String, draft: RwSignal<Mapping>) -> impl IntoView {
    let on_change = move |event| {
        let value = event_target_value(&event);
        let kind = draft.with_untracked(|mapping| mapping.kind);
        let role = kind.roles().iter().copied().find(|role| role_value(*role) == value);
        draft.update(|mapping| mapping.set_role(index, role));
    };
    let role_at = move || draft.with(|mapping| mapping.roles.get(index).copied().flatten());
    let options = move || {
        let kind = draft.with(|mapping| mapping.kind);
        kind.roles()
            .iter()
            .map(|role| {
                let role = *role;
                let label = if kind.required_roles().contains(&role) { format!("{} (required)", role.label()) } else { role.label().to_string() };
                view! { <option value=role_value(role) prop:selected=move || role_at() == Some(role)>{label}</option> }
            })
            .collect_view()
    };
    let used = move || role_at().is_some();

    view! {
        <label class="mapping-role" class:used=used>
            <span class="visually-hidden">{format!("Role of {header}")}</span>
            <select data-mapping-role=index.to_string() on:change=on_change>
                <option value="" prop:selected=move || role_at().is_none()>"not used"</option>
                {options}
            </select>
        </label>
    }
}

fn source_name(source: MappingSource) -> &'static str {
    match source {
        MappingSource::Detected => "detected",
        MappingSource::Remembered => "remembered",
        MappingSource::Chosen => "chosen",
    }
}

fn role_value(role: Role) -> String {
    format!("{role:?}")
}

fn type_label(value_type: ValueType) -> &'static str {
    match value_type {
        ValueType::Date => "dates",
        ValueType::Bool => "yes/no",
        ValueType::Number => "numbers",
        ValueType::Text => "text",
    }
}

/// Apply, Reset to detected, and what the panel is doing.
#[component]
fn MappingActions(file: PanelFile, draft: RwSignal<Mapping>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let PanelFile { id, summary, source, remap, .. } = file;
    let current = summary.mapping.clone();
    // A file that no kind fits has only a guessed mapping, so it can be applied unchanged.
    let unrecognised = summary.unrecognised.is_some();
    let applying = move || remap.with(|status| *status == RemapStatus::Applying);

    let edited = {
        let current = current.clone();
        move || draft.with(|mapping| *mapping != current)
    };
    // Another sheet or separator gives other columns, which are detected again, so the roles
    // chosen for the current columns need not be complete.
    let changes_columns = {
        let current = current.clone();
        Memo::new(move |_| draft.with(|mapping| Reading::changes_columns(&current, mapping)))
    };
    let can_apply = {
        let edited = edited.clone();
        let roles_fit = move || changes_columns.get() || draft.with(|mapping| mapping.missing_roles().is_empty());
        move || (edited() || unrecognised) && roles_fit() && !applying()
    };
    let apply = {
        let current = current.clone();
        move |_| {
            let reading = draft.with_untracked(|chosen| Reading::for_change(&current, chosen));
            apply_reading(state, id, reading, MappingSource::Chosen);
        }
    };
    let can_reset = {
        let edited = edited.clone();
        move || (source != MappingSource::Detected || edited()) && !applying()
    };
    let reset = move |_| {
        if source == MappingSource::Detected {
            draft.set(current.clone());
        } else {
            apply_reading(state, id, Reading::default(), MappingSource::Detected);
        }
    };
    let reset_label = if source == MappingSource::Detected { "Discard changes" } else { "Reset to detected" };
    let source_text = match source {
        _ if unrecognised => "No data kind was recognised. Choose one, give each required role a column, then press Apply. The mapping is saved in this browser for files with this header.",
        MappingSource::Detected => "Detected from the header and the values. An applied mapping is saved in this browser for files with the same header.",
        MappingSource::Remembered => "Read with the mapping saved in this browser for files with this header.",
        MappingSource::Chosen => "Read with your mapping, saved in this browser for files with this header.",
    };
    let status = move || match remap.get() {
        // The roles above belong to the columns that another sheet or separator replaces.
        RemapStatus::Idle if changes_columns.get() => {
            view! { <p class="mapping-status" data-mapping-status="idle">"Press Apply to read the new columns. The roles above are not used."</p> }.into_any()
        }
        RemapStatus::Idle => view! { <p class="mapping-status" data-mapping-status="idle">{source_text}</p> }.into_any(),
        RemapStatus::Applying => view! { <p class="mapping-status" data-mapping-status="applying">"Reading the file again with this mapping…"</p> }.into_any(),
        RemapStatus::Notice(message) => view! { <p class="mapping-status" data-mapping-status="notice">{message}</p> }.into_any(),
        RemapStatus::Failed(message) => view! {
            <p class="mapping-status mapping-error" data-mapping-status="failed" data-mapping-error="" role="alert">
                {message}
            </p>
        }
        .into_any(),
    };

    view! {
        <div class="mapping-actions">
            <button type="button" class="mapping-apply" data-mapping-apply="" disabled=move || !can_apply() on:click=apply>"Apply"</button>
            <button type="button" class="mapping-reset" data-mapping-reset="" disabled=move || !can_reset() on:click=reset>{reset_label}</button>
            {status}
        </div>
    }
}
