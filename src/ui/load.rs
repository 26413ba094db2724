//! Reading dropped or picked files: each `File` goes to the background worker, which reads
//! and types it, and the page keeps the summary for the file list. A loaded file can be read
//! again with the user's mapping, which is remembered for files with the same header.

use std::sync::Arc;

use headlights_core::ingest::FileSummary;
use headlights_core::mapping_memory::mapping_key;
use headlights_core::session::Reading;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::FileList;

use super::engine::{Engine, EngineError};
use super::mapping_store::{forget_mapping, remember_mapping, remembered_mapping};
use super::state::{AppState, FileEntry, FileStatus, MappingSource, RemapStatus};

/// Where a file comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Dropped or picked by the user: stored when "remember" is on.
    User,
    /// Restored from this device's storage: already stored.
    Storage,
}

/// Starts reading every file of the list. A file with the name of one already loaded replaces
/// it, so dropping a corrected export again updates the dashboard instead of counting twice.
pub fn load_file_list(state: AppState, list: FileList) {
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|index| list.item(index)).collect();
    for file in files {
        load_file(state, file, Origin::User);
    }
}

/// Reads one file into the dashboard, and stores it on this device when the user asked for it.
/// A mapping remembered for the file's header is applied.
pub fn load_file(state: AppState, file: web_sys::File, origin: Origin) {
    let id = state.next_file_id();
    let name = file.name();
    let entry = FileEntry {
        id,
        name: name.clone(),
        size_bytes: file.size() as usize,
        status: FileStatus::Reading,
        restored: origin == Origin::Storage,
        progress: RwSignal::new(None),
        mapping_key: None,
        mapping_source: MappingSource::Detected,
        revision: 0,
        remap: RwSignal::new(RemapStatus::Idle),
        mapping_open: RwSignal::new(false),
    };
    let (remap, mapping_open) = (entry.remap, entry.mapping_open);
    let engine = state.engine.get_value();
    state.update_files(|files| {
        for replaced in files.iter().filter(|existing| existing.name == name) {
            engine.remove(replaced.id);
        }
        files.retain(|existing| existing.name != name);
        files.push(entry);
    });
    state.file_handles.update_value(|handles| {
        handles.retain(|(known, _)| *known != name);
        handles.push((name.clone(), file.clone()));
    });

    spawn_local(async move {
        let outcome = match engine.load(id, file.clone(), Reading::default()).await {
            Ok(Ok(detected)) => read_with_remembered(&engine, id, &file, detected).await,
            Ok(Err(message)) => Ok(Err(message)),
            Err(error) => Err(error),
        };
        let (status, first) = match outcome {
            Ok(Ok(first)) => (FileStatus::of_summary(first.summary.clone()), Some(first)),
            Ok(Err(message)) => (FileStatus::Failed(message), None),
            Err(EngineError::Cancelled) => return,
            Err(error) => (FileStatus::Failed(format!("{name}: {error}.")), None),
        };
        log_outcome(&name, &status);
        // An unrecognised file is kept and stored too: its mapping panel can make it usable.
        let loaded = matches!(status, FileStatus::Loaded(_) | FileStatus::Unrecognised(_));
        if let Some(note) = first.as_ref().and_then(|first| first.note.clone()) {
            remap.set(RemapStatus::Failed(note));
        }
        if matches!(status, FileStatus::Unrecognised(_)) {
            mapping_open.set(true);
        }
        state.update_files(|files| {
            if let Some(entry) = files.iter_mut().find(|entry| entry.id == id) {
                entry.status = status;
                if let Some(first) = first {
                    entry.mapping_key = Some(first.key);
                    entry.mapping_source = first.source;
                }
            }
        });
        if loaded && origin == Origin::User && state.remember.get_untracked() {
            super::storage_panel::store_files(state, vec![file]).await;
        }
    });
}

/// A file's first reading, and the mapping key of its detected reading.
struct FirstReading {
    summary: Arc<FileSummary>,
    key: String,
    source: MappingSource,
    /// The reason a remembered mapping was not applied.
    note: Option<String>,
}

/// Reads a detected file again with the mapping remembered for its header, when there is one
/// that differs from the detected mapping. A remembered mapping that no longer fits leaves the
/// detected reading, with a note that gives the reason.
async fn read_with_remembered(engine: &Engine, id: u64, file: &web_sys::File, detected: FileSummary) -> Result<Result<FirstReading, String>, EngineError> {
    let key = mapping_key(&detected);
    let remembered = remembered_mapping(&key).filter(|mapping| *mapping != detected.mapping);
    let Some(remembered) = remembered else {
        return Ok(Ok(FirstReading { summary: Arc::new(detected), key, source: MappingSource::Detected, note: None }));
    };
    let first = match engine.load(id, file.clone(), Reading::Mapped(remembered)).await? {
        Ok(summary) => FirstReading { summary: Arc::new(summary), key, source: MappingSource::Remembered, note: None },
        Err(message) => FirstReading {
            summary: Arc::new(detected),
            key,
            source: MappingSource::Detected,
            note: Some(format!("The mapping saved in this browser for files with this header does not fit this file, so the detected reading is shown. {message}")),
        },
    };
    Ok(Ok(first))
}

/// Reads loaded file `id` again in the way `reading` specifies, and remembers (or, for a
/// detected reading, forgets) its mapping for files with the same header. A reading that fails
/// leaves the previous one loaded and shows its message in the mapping panel. A detected
/// reading that no data kind fits makes the file unrecognised, with its panel open.
pub fn apply_reading(state: AppState, id: u64, reading: Reading, source: MappingSource) {
    let found = state.files.with_untracked(|files| {
        files.iter().find(|entry| entry.id == id).map(|entry| (entry.name.clone(), entry.remap, entry.mapping_open, entry.mapping_key.clone()))
    });
    let Some((name, remap, mapping_open, key)) = found else { return };
    let file = state.file_handles.with_value(|handles| handles.iter().find(|(known, _)| *known == name).map(|(_, file)| file.clone()));
    let Some(file) = file else {
        remap.set(RemapStatus::Failed(format!("{name}: the browser no longer gives the page this file. Drop it again, then change the mapping.")));
        return;
    };
    remap.set(RemapStatus::Applying);
    let engine = state.engine.get_value();
    spawn_local(async move {
        let summary = match engine.load(id, file, reading).await {
            Ok(Ok(summary)) => summary,
            Ok(Err(message)) => return remap.set(RemapStatus::Failed(previous_reading_kept(&message))),
            Err(EngineError::Cancelled) => return remap.set(RemapStatus::Idle),
            Err(error) => return remap.set(RemapStatus::Failed(previous_reading_kept(&format!("{name}: {error}.")))),
        };
        gloo::console::log!(format!("{name}: read again as {}, {} rows", summary.kind_label, summary.rows_read));
        // A reading that no kind fits has only a guessed mapping, which is not worth keeping.
        let recognised = summary.unrecognised.is_none();
        let stored = match (key, source) {
            (Some(key), MappingSource::Chosen) if recognised => remember_mapping(&key, summary.mapping.clone()),
            (Some(key), MappingSource::Detected) => forget_mapping(&key),
            _ => Ok(()),
        };
        // The new reading goes in before the panel stops saying "applying", as a newly loaded
        // file's does, so that `data-state` does not turn "ready" over the previous dashboard.
        let status = FileStatus::of_summary(Arc::new(summary));
        if matches!(status, FileStatus::Unrecognised(_)) {
            mapping_open.set(true);
        }
        state.update_files(|files| {
            if let Some(entry) = files.iter_mut().find(|entry| entry.id == id) {
                entry.status = status;
                entry.mapping_source = source;
                entry.revision += 1;
            }
        });
        remap.set(match stored {
            Ok(()) => RemapStatus::Idle,
            Err(error) => RemapStatus::Notice(error.to_string()),
        });
    });
}

/// Adds to a failed reading's message that the previous reading is still used.
fn previous_reading_kept(message: &str) -> String {
    let full_stop = if message.ends_with(['.', '!', '?']) { "" } else { "." };
    format!("{message}{full_stop} The previous reading is still used.")
}

/// Stops reading file `id` and takes it off the list; the other files stay loaded.
pub fn cancel_read(state: AppState, id: u64) {
    state.engine.get_value().cancel(id);
    remove_entry(state, id);
}

/// Takes file `id` off the list and out of the worker.
pub fn remove_file(state: AppState, id: u64) {
    state.engine.get_value().remove(id);
    remove_entry(state, id);
}

fn remove_entry(state: AppState, id: u64) {
    let name = state.files.with_untracked(|files| files.iter().find(|entry| entry.id == id).map(|entry| entry.name.clone()));
    state.update_files(|files| files.retain(|entry| entry.id != id));
    if let Some(name) = name {
        state.file_handles.update_value(|handles| handles.retain(|(known, _)| *known != name));
    }
}

/// Logs one line per file to the console: facts for a developer, never per-row detail.
fn log_outcome(name: &str, status: &FileStatus) {
    match status {
        FileStatus::Loaded(file) => gloo::console::log!(format!(
            "{name}: {} rows read as {}, {} problems",
            file.rows_read, file.kind_label, file.problem_count
        )),
        FileStatus::Unrecognised(file) => gloo::console::log!(format!("{name}: {} columns read, no data kind recognised", file.columns.len())),
        FileStatus::Failed(message) => gloo::console::log!(format!("{name}: not loaded: {message}")),
        FileStatus::Reading => {}
    }
}
