//! The column mappings the user chose, kept in this browser's localStorage under one key.
//!
//! A mapping contains no cell value: only the kind, the roles, the reading options and what
//! the user typed (missing-value markers, column names), like the view settings. It is therefore
//! stored whether or not "Remember my files" is on, and "Forget everything" deletes it.
//! `headlights_core::mapping_memory` defines the format and the keys.

use headlights_core::ingest::Mapping;
use headlights_core::mapping_memory::RememberedMappings;

const STORAGE_KEY: &str = "headlights.mappings";

/// A change to the remembered mappings that the browser's storage rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MappingStoreError {
    #[error("This browser did not let the page remember the mapping ({detail}), so it applies in this tab only. Private windows often block storage.")]
    NotStored { detail: String },
    #[error("This browser did not let the page delete the remembered column mappings ({detail}). Clear this site's data in the browser's settings to delete them.")]
    NotDeleted { detail: String },
}

/// Returns the mapping remembered under `key` on this device.
pub fn remembered_mapping(key: &str) -> Option<Mapping> {
    stored().get(key).cloned()
}

/// Remembers `mapping` under `key` on this device.
pub fn remember_mapping(key: &str, mapping: Mapping) -> Result<(), MappingStoreError> {
    let mut remembered = stored();
    remembered.remember(key, mapping);
    save(&remembered)
}

/// Forgets the mapping remembered under `key`, so the next file with that header is detected.
pub fn forget_mapping(key: &str) -> Result<(), MappingStoreError> {
    let mut remembered = stored();
    if remembered.get(key).is_none() {
        return Ok(());
    }
    remembered.forget(key);
    save(&remembered).map_err(|error| match error {
        MappingStoreError::NotStored { detail } => MappingStoreError::NotDeleted { detail },
        other => other,
    })
}

/// Deletes every remembered mapping. Storage that is blocked holds none, so that succeeds.
pub fn forget_all_mappings() -> Result<(), MappingStoreError> {
    let Ok(storage) = local_storage() else { return Ok(()) };
    storage.remove_item(STORAGE_KEY).map_err(|error| MappingStoreError::NotDeleted { detail: describe(&error) })
}

/// Reads the remembered mappings; storage that is blocked, empty or unreadable gives none.
fn stored() -> RememberedMappings {
    let Ok(storage) = local_storage() else { return RememberedMappings::new() };
    let Ok(Some(text)) = storage.get_item(STORAGE_KEY) else { return RememberedMappings::new() };
    RememberedMappings::from_json(&text).unwrap_or_else(|error| {
        gloo::console::warn!(error.to_string());
        RememberedMappings::new()
    })
}

fn save(remembered: &RememberedMappings) -> Result<(), MappingStoreError> {
    let storage = local_storage().map_err(|detail| MappingStoreError::NotStored { detail })?;
    storage.set_item(STORAGE_KEY, &remembered.to_json()).map_err(|error| MappingStoreError::NotStored { detail: describe(&error) })
}

/// Returns the page's localStorage, or why the browser gives none.
fn local_storage() -> Result<web_sys::Storage, String> {
    let window = web_sys::window().ok_or("no window")?;
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) => Err("no localStorage".to_string()),
        Err(error) => Err(describe(&error)),
    }
}

fn describe(error: &wasm_bindgen::JsValue) -> String {
    js_sys::Reflect::get(error, &"message".into())
        .ok()
        .and_then(|message| message.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}
