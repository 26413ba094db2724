//! Reading dropped or picked files and handing their bytes to the ingest layer.

use std::sync::Arc;

use gloo::timers::future::TimeoutFuture;
use headlights_core::ingest::read_file;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::FileList;

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
    let id = state.next_file_id();
    let name = file.name();
    let entry = FileEntry {
        id,
        name: name.clone(),
        size_bytes: file.size() as usize,
        status: FileStatus::Reading,
        restored: origin == Origin::Storage,
    };
    state.update_files(|files| {
        files.retain(|existing| existing.name != name);
        files.push(entry);
    });
    state.file_handles.update_value(|handles| {
        handles.retain(|(known, _)| *known != name);
        handles.push((name.clone(), file.clone()));
    });

    spawn_local(async move {
        let status = read_and_ingest(&name, file.clone()).await;
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

async fn read_and_ingest(name: &str, file: web_sys::File) -> FileStatus {
    let blob = gloo::file::File::from(file);
    let bytes = match gloo::file::futures::read_as_bytes(&blob).await {
        Ok(bytes) => bytes,
        Err(error) => {
            return FileStatus::Failed(format!(
                "{name}: the browser could not read the file ({error}). Check that it is not open in another program, then drop it again."
            ))
        }
    };

    // Lets the page paint the "reading" row before the parse takes the main thread.
    TimeoutFuture::new(0).await;

    match read_file(name, &bytes) {
        Ok(loaded) => FileStatus::Loaded(Arc::new(loaded)),
        Err(error) => FileStatus::Failed(error.to_string()),
    }
}

/// Logs one line per file to the console: facts for a developer, never per-row detail.
fn log_outcome(name: &str, status: &FileStatus) {
    match status {
        FileStatus::Loaded(file) => gloo::console::log!(format!(
            "{name}: {} rows read as {}, {} problems",
            file.rows_read,
            file.dataset.kind_label(),
            file.problem_count
        )),
        FileStatus::Failed(message) => gloo::console::log!(format!("{name}: not loaded: {message}")),
        FileStatus::Reading => {}
    }
}
