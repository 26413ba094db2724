//! The "remember my files on this device" switch, the "forget everything" button (which also
//! deletes the remembered column mappings), and the restoring of remembered files when the
//! page opens.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::load::{load_file, Origin};
use super::mapping_store::forget_all_mappings;
use super::persist;
use super::state::AppState;

/// Restores the remembered files when the user has turned remembering on.
pub fn restore_remembered_files(state: AppState) {
    if !persist::remember_enabled() {
        return;
    }
    state.remember.set(true);
    spawn_local(async move {
        match persist::saved_files().await {
            Ok(files) => {
                let count = files.len();
                for file in files {
                    load_file(state, file, Origin::Storage);
                }
                state.storage_message.set(Some(format!("Remembering on this device: {} restored.", file_count(count))));
            }
            Err(error) => state.storage_message.set(Some(error.to_string())),
        }
    });
}

/// Stores files one by one; the first failure is shown and stops the rest.
pub async fn store_files(state: AppState, files: Vec<web_sys::File>) {
    for file in files {
        if let Err(error) = persist::save_file(&file).await {
            state.storage_message.set(Some(error.to_string()));
            return;
        }
    }
    match persist::saved_files().await {
        Ok(stored) => state.storage_message.set(Some(format!("Remembering on this device: {} stored.", file_count(stored.len())))),
        Err(error) => state.storage_message.set(Some(error.to_string())),
    }
}

fn file_count(count: usize) -> String {
    if count == 1 { "1 file".to_string() } else { format!("{count} files") }
}

/// Clears the "remembered on this device" marks once nothing is stored any more.
fn unmark_restored(state: AppState) {
    state.files.update(|files| files.iter_mut().for_each(|entry| entry.restored = false));
}

/// Deletes a removed file from storage when remembering is on.
pub fn forget_file(state: AppState, name: String) {
    state.file_handles.update_value(|handles| handles.retain(|(known, _)| *known != name));
    if !state.remember.get_untracked() {
        return;
    }
    spawn_local(async move {
        if let Err(error) = persist::delete_file(&name).await {
            state.storage_message.set(Some(error.to_string()));
        }
    });
}

#[component]
pub fn StoragePanel() -> impl IntoView {
    let state = expect_context::<AppState>();

    let on_toggle = move |event: leptos::ev::Event| {
        let enabled = event_target_checked(&event);
        state.remember.set(enabled);
        persist::set_remember_enabled(enabled);
        if enabled {
            let handles: Vec<web_sys::File> =
                state.file_handles.with_value(|handles| handles.iter().map(|(_, file)| file.clone()).collect());
            state.storage_message.set(Some("Remembering on this device: storing the open files…".to_string()));
            spawn_local(store_files(state, handles));
        } else {
            spawn_local(async move {
                let message = match persist::forget_everything().await {
                    Ok(()) => {
                        unmark_restored(state);
                        "Not remembering: the stored files were deleted from this device.".to_string()
                    }
                    Err(error) => error.to_string(),
                };
                state.storage_message.set(Some(message));
            });
        }
    };

    let on_forget = move |_| {
        state.remember.set(false);
        let mappings_forgotten = forget_all_mappings();
        spawn_local(async move {
            let message = match (persist::forget_everything().await, mappings_forgotten) {
                (Err(error), _) => error.to_string(),
                (Ok(()), Err(error)) => error.to_string(),
                (Ok(()), Ok(())) => {
                    unmark_restored(state);
                    "Forgotten: nothing from Headlights is stored on this device now, neither files nor column mappings. Files stay open in this tab until you close it.".to_string()
                }
            };
            state.storage_message.set(Some(message));
        });
    };

    view! {
        <div class="storage-panel">
            <label class="remember">
                <input type="checkbox" data-remember="" prop:checked=move || state.remember.get() on:change=on_toggle />
                " Remember my files on this device"
            </label>
            <button type="button" class="forget" data-forget="" on:click=on_forget>"Forget everything"</button>
            <p class="storage-status" data-storage-status="" aria-live="polite">
                {move || state.storage_message.get().unwrap_or_else(|| {
                    if state.remember.get() {
                        "Remembering on this device: dropped files are stored and reopen with the page.".to_string()
                    } else {
                        "Files are not stored: closing or reloading the tab forgets them.".to_string()
                    }
                })}
            </p>
        </div>
    }
}
