//! Opt-in storage of dropped files on this device, in the browser's IndexedDB.
//!
//! Nothing is stored unless the user turns "Remember my files on this device" on. Then each
//! dropped `File` is stored as it is (IndexedDB keeps `File` objects by structured clone), and
//! restored on the next visit through the same ingest path as a drop. The switch itself is kept
//! in localStorage. "Forget everything" deletes the database and the switch.

use gloo::storage::{LocalStorage, Storage};
use js_sys::{Object, Reflect};
use rexie::{ObjectStore, Rexie, TransactionMode, TransactionResult};
use wasm_bindgen::{JsCast, JsValue};

const DATABASE: &str = "headlights";
const FILES: &str = "files";
const REMEMBER_KEY: &str = "headlights.remember-files";

/// Why the browser did not store or return the files.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    #[error("The browser's storage for this site is full, so {file} was not remembered. Remove some files, or free space in the browser's site settings.")]
    QuotaExceeded { file: String },

    #[error("The browser refused to use its storage ({detail}). Files stay loaded in this tab but will not be remembered; private windows often block storage.")]
    Unavailable { detail: String },

    /// The write's request succeeded but its transaction was aborted at commit. rexie 0.6 does
    /// not expose the transaction's DOMException, and a full quota is one cause of this
    /// (Chromium aborts with QuotaExceededError), so the message can only suggest it.
    #[error("The browser cancelled storing {file}, so it was not remembered. Its storage for this site may be full: remove some files, or free space in the browser's site settings. The file stays loaded in this tab.")]
    WriteAborted { file: String },
}

impl StorageError {
    fn from_rexie(error: rexie::Error, file: &str) -> Self {
        let detail = error_detail(&error);
        if detail.contains("QuotaExceeded") {
            StorageError::QuotaExceeded { file: file.to_string() }
        } else {
            StorageError::Unavailable { detail }
        }
    }
}

/// Describes a rexie error with the browser's DOM exception text, which rexie's own message
/// ("idb error") leaves out.
fn error_detail(error: &rexie::Error) -> String {
    match error {
        rexie::Error::IdbError(inner) => inner.to_string(),
        other => other.to_string(),
    }
}

/// Returns whether the user has turned "remember my files" on for this device.
pub fn remember_enabled() -> bool {
    LocalStorage::get::<bool>(REMEMBER_KEY).unwrap_or(false)
}

/// Stores the switch; turning it off does not delete stored files ("Forget" does).
pub fn set_remember_enabled(enabled: bool) {
    if LocalStorage::set(REMEMBER_KEY, enabled).is_err() {
        gloo::console::warn!("the remember-files setting could not be saved in localStorage");
    }
}

async fn open() -> Result<Rexie, rexie::Error> {
    Rexie::builder(DATABASE).version(1).add_object_store(ObjectStore::new(FILES)).build().await
}

/// Opens the database, runs `operation` on it and closes the connection, whatever the outcome.
///
/// rexie 0.6 does not close a connection when it is dropped, and an open connection blocks
/// `deleteDatabase` until it closes, so without this "Forget everything" never finished.
async fn with_database<T>(operation: impl AsyncFnOnce(&Rexie) -> Result<T, rexie::Error>) -> Result<T, rexie::Error> {
    let database = open().await?;
    let result = operation(&database).await;
    database.close();
    result
}

/// Stores one file under its name, replacing a file of the same name.
pub async fn save_file(file: &web_sys::File) -> Result<(), StorageError> {
    let name = file.name();
    let record = Object::new();
    let fields: [(&str, JsValue); 3] =
        [("name", name.clone().into()), ("file", file.clone().into()), ("savedAt", js_sys::Date::now().into())];
    for (key, value) in fields {
        Reflect::set(&record, &key.into(), &value).map_err(|_| StorageError::Unavailable { detail: "could not build the record".into() })?;
    }

    let outcome = with_database(async |database| {
        let transaction = database.transaction(&[FILES], TransactionMode::ReadWrite)?;
        transaction.store(FILES)?.put(&record, Some(&name.clone().into())).await?;
        transaction.done().await
    })
    .await
    .map_err(|error| StorageError::from_rexie(error, &name))?;
    match outcome {
        TransactionResult::Committed => Ok(()),
        TransactionResult::Aborted => Err(StorageError::WriteAborted { file: name }),
    }
}

/// Returns every stored file, in no particular order.
pub async fn saved_files() -> Result<Vec<web_sys::File>, StorageError> {
    let result = with_database(async |database| {
        let transaction = database.transaction(&[FILES], TransactionMode::ReadOnly)?;
        let records = transaction.store(FILES)?.get_all(None, None).await?;
        transaction.done().await?;
        Ok(records)
    })
    .await;
    let records = result.map_err(|error| StorageError::from_rexie(error, ""))?;

    Ok(records
        .iter()
        .filter_map(|record| Reflect::get(record, &"file".into()).ok())
        .filter_map(|file| file.dyn_into::<web_sys::File>().ok())
        .collect())
}

/// Deletes the stored file with this name, if any.
pub async fn delete_file(name: &str) -> Result<(), StorageError> {
    let outcome = with_database(async |database| {
        let transaction = database.transaction(&[FILES], TransactionMode::ReadWrite)?;
        transaction.store(FILES)?.delete(name.into()).await?;
        transaction.done().await
    })
    .await
    .map_err(|error| StorageError::from_rexie(error, name))?;
    match outcome {
        TransactionResult::Committed => Ok(()),
        TransactionResult::Aborted => {
            Err(StorageError::Unavailable { detail: format!("it cancelled the deletion of {name}") })
        }
    }
}

/// Deletes every stored file and the switch.
pub async fn forget_everything() -> Result<(), StorageError> {
    LocalStorage::delete(REMEMBER_KEY);
    Rexie::delete(DATABASE).await.map_err(|error| StorageError::from_rexie(error, ""))
}
