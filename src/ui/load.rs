//! Reading dropped or picked files: each `File` goes to the background worker, which reads
//! and types it; the page keeps the summary for the file list.

use std::sync::Arc;

use headlights_core::ingest::Mapping;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::FileList;

use super::engine::EngineError;
use super::state::{AppState, FileEntry, FileStatus};

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
pub fn load_file(state: AppState, file: web_sys::File, origin: Origin) {
    read(state, file, None, origin);
}

/// Reads a loaded file again with the user's mapping, in place of the automatic one.
pub fn reload_with_mapping(state: AppState, file: web_sys::File, mapping: Mapping, origin: Origin) {
    read(state, file, Some(mapping), origin);
}

fn read(state: AppState, file: web_sys::File, mapping: Option<Mapping>, origin: Origin) {
    let id = state.next_file_id();
    let name = file.name();
    let entry = FileEntry {
        id,
        name: name.clone(),
        size_bytes: file.size() as usize,
        status: FileStatus::Reading,
        restored: origin == Origin::Storage,
        progress: RwSignal::new(None),
    };
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
        let status = match engine.load(id, file.clone(), mapping).await {
            Ok(Ok(summary)) => FileStatus::Loaded(Arc::new(summary)),
            Ok(Err(message)) => FileStatus::Failed(message),
            Err(EngineError::Cancelled) => return,
            Err(error) => FileStatus::Failed(format!("{name}: {error}.")),
        };
        log_outcome(&name, &status);
        let loaded = matches!(status, FileStatus::Loaded(_));
        state.update_files(|files| {
            if let Some(entry) = files.iter_mut().find(|entry| entry.id == id) {
                entry.status = status;
            }
        });
        if loaded && origin == Origin::User && state.remember.get_untracked() {
            super::storage_panel::store_files(state, vec![file]).await;
        }
    });
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
        FileStatus::Failed(message) => gloo::console::log!(format!("{name}: not loaded: {message}")),
        FileStatus::Reading => {}
    }
}
