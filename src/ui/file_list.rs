//! The list of dropped files: what each was read as, how to change that (the mapping panel),
//! and what could not be read.

use headlights_core::format;
use headlights_core::ingest::recognise::join_with_and;
use headlights_core::ingest::{FileSummary, Phase};
use leptos::prelude::*;

use super::load::{cancel_read, remove_file};
use super::mapping_panel::{MappingPanel, MappingQuestions, PanelFile};
use super::state::{AppState, FileEntry, FileStatus, ReadProgress};
use crate::worker_protocol::LoadStage;

/// Problems shown before the user asks for all of them.
const PROBLEMS_SHOWN: usize = 5;

#[component]
pub fn FileList() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <ul class="file-list" aria-live="polite">
            <For each=move || state.files.get() key=|entry| (entry.id, status_key(entry), entry.revision) let:entry>
                <FileRow entry=entry />
            </For>
        </ul>
    }
}

/// Changes when the row must be drawn again.
fn status_key(entry: &FileEntry) -> u8 {
    match entry.status {
        FileStatus::Reading => 0,
        FileStatus::Loaded(_) => 1,
        FileStatus::Failed(_) => 2,
        FileStatus::Unrecognised(_) => 3,
    }
}

#[component]
fn FileRow(entry: FileEntry) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = entry.id;
    let name = entry.name.clone();
    let remove = move |_| {
        remove_file(state, id);
        super::storage_panel::forget_file(state, name.clone());
    };
    let size = format::bytes(entry.size_bytes);

    let body = match entry.status {
        FileStatus::Reading => view! { <ReadingStatus id=id progress=entry.progress /> }.into_any(),
        FileStatus::Failed(message) => view! { <p class="file-error" data-file-error="" role="alert">{message}</p> }.into_any(),
        FileStatus::Loaded(file) | FileStatus::Unrecognised(file) => {
            let panel = PanelFile { id, summary: file.clone(), source: entry.mapping_source, remap: entry.remap, open: entry.mapping_open };
            view! { <LoadedSummary file=file panel=panel /> }.into_any()
        }
    };

    view! {
        <li class="file" data-file=entry.name.clone()>
            <div class="file-head">
                <span class="file-name">{entry.name.clone()}</span>
                <span class="file-size">{size}</span>
                {entry.restored.then(|| view! { <span class="file-restored">"remembered on this device"</span> })}
                <button class="file-remove" on:click=remove aria-label=format!("Remove {}", entry.name)>"Remove"</button>
            </div>
            {body}
        </li>
    }
}

/// A progress bar with the stage of the read, and a button that cancels it.
#[component]
fn ReadingStatus(id: u64, progress: RwSignal<Option<ReadProgress>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let label = move || match progress.get() {
        None => "Waiting to be read…".to_string(),
        Some(step) => stage_text(step),
    };
    let fraction = move || progress.get().filter(|step| step.total > 0).map(|step| step.done as f64 / step.total as f64);

    view! {
        <div class="file-reading" data-file-progress="">
            <progress max="1" value=move || fraction().map(|value| value.to_string()) aria-label="Read progress"></progress>
            <span class="file-status">{label}</span>
            <button type="button" class="file-cancel" data-file-cancel="" on:click=move |_| cancel_read(state, id)>"Cancel"</button>
        </div>
    }
}

fn stage_text(step: ReadProgress) -> String {
    let percent = if step.total == 0 { 100 } else { step.done * 100 / step.total };
    match step.stage {
        LoadStage::Reading => format!("Reading the file… {percent}% ({} of {})", format::bytes(step.done as usize), format::bytes(step.total as usize)),
        LoadStage::Parsing(Phase::Decoding) => format!("Decoding the text… {percent}%"),
        LoadStage::Parsing(Phase::Splitting) => format!("Splitting rows and columns… {percent}%"),
        LoadStage::Parsing(Phase::Typing) => format!("Recognising columns and typing {} rows…", format::thousands(step.total)),
    }
}

/// Shows the kind a file was read as, how it was read, and its mapping panel. A file that no
/// data kind fits gets the reason in `[data-file-error]`, above the panel that maps its columns.
#[component]
fn LoadedSummary(file: std::sync::Arc<FileSummary>, panel: PanelFile) -> impl IntoView {
    let kind = match &file.unrecognised {
        Some(reason) => view! {
            <p class="file-kind" data-kind=file.kind_label.clone()>
                <strong>"Not recognised"</strong> " · " {format!("{} rows in the file", format::thousands(file.rows_in_file as u64))}
            </p>
            <p class="file-error file-unrecognised" data-file-error="" role="alert">{reason.clone()}</p>
        }
        .into_any(),
        None => view! {
            <p class="file-kind" data-kind=file.kind_label.clone() data-file-parts=if file.read_in_parts { "2" } else { "1" }>
                "Recognised as " <strong>{file.kind_label.clone()}</strong> " · " {rows_read(&file)}
            </p>
        }
        .into_any(),
    };
    let header = if file.has_header_row { "header row found" } else { "no header row: columns numbered" };
    let layout = match file.separator.as_str() {
        "workbook" => format!("Excel workbook{}", file.sheet.as_ref().map(|sheet| format!(", sheet \"{sheet}\"")).unwrap_or_default()),
        "JSON" => "JSON".to_string(),
        "spaces" => format!("{}, space-separated", file.encoding),
        separator => format!("{}, {separator}-separated", file.encoding),
    };
    // JSON objects name their fields, so a header row means nothing there.
    let dialect = if file.separator == "JSON" { layout } else { format!("{layout}, {header}") };
    let problems = problem_list(&file);
    let sentinels = sentinel_note(&file);

    view! {
        {kind}
        <p class="file-dialect">{dialect}</p>
        {sentinels}
        <MappingQuestions file=panel.clone() />
        <MappingPanel file=panel />
        {problems}
    }
}

/// Names the "no answer" codes among scores that were read as missing values, and where to
/// change that. `[data-file-sentinels]` lists the codes, comma-separated.
fn sentinel_note(file: &FileSummary) -> Option<impl IntoView + use<>> {
    if file.detected_sentinels.is_empty() {
        return None;
    }
    let found: Vec<String> = file
        .detected_sentinels
        .iter()
        .map(|found| format!("{} in \"{}\" ({} cells)", found.value, found.column, format::thousands(found.cells as u64)))
        .collect();
    let found: Vec<&str> = found.iter().map(String::as_str).collect();
    let codes: Vec<&str> = file.detected_sentinels.iter().map(|found| found.value.as_str()).collect();
    let text = format!(
        "Read as no answer: {}, a code outside the 0–10 scale. To count it as a value, remove it from Missing-value markers in the column mapping and press Apply.",
        join_with_and(&found)
    );
    Some(view! { <p class="file-note" data-file-sentinels=codes.join(",")>{text}</p> })
}

fn rows_read(file: &FileSummary) -> String {
    if file.rows_read == file.rows_in_file {
        format!("{} rows read", format::thousands(file.rows_read as u64))
    } else {
        format!(
            "{} of {} rows read",
            format::thousands(file.rows_read as u64),
            format::thousands(file.rows_in_file as u64)
        )
    }
}

fn problem_list(file: &FileSummary) -> impl IntoView + use<> {
    if file.problem_count == 0 {
        return None;
    }
    let lines: Vec<String> = file.problems.iter().map(ToString::to_string).collect();
    let (first, rest) = lines.split_at(lines.len().min(PROBLEMS_SHOWN));
    let unlisted = file.problem_count - lines.len();
    let summary = match file.problem_count {
        1 => "1 row could not be read and was left out. To count it, correct it in the file, press Remove and drop the file again.".to_string(),
        count => format!(
            "{} rows could not be read and were left out. To count them, correct them in the file, press Remove and drop the file again.",
            format::thousands(count as u64)
        ),
    };
    let rest = rest.to_vec();
    Some(view! {
        <div class="file-problems" data-file-problems=file.problem_count>
            <p>{summary}</p>
            <ul>{first.iter().map(|line| view! { <li>{line.clone()}</li> }).collect_view()}</ul>
            {(!rest.is_empty()).then(|| view! {
                <details>
                    <summary>{format!("Show {} more", rest.len())}</summary>
                    <ul>{rest.iter().map(|line| view! { <li>{line.clone()}</li> }).collect_view()}</ul>
                </details>
            })}
            {(unlisted > 0).then(|| view! { <p>{format!("…and {} more not listed.", format::thousands(unlisted as u64))}</p> })}
        </div>
    })
}
