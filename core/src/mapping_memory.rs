//! Mappings the user chose, remembered per header so that the next file with the same header
//! is read the same way.
//!
//! An entry is keyed by the file's detected reading ([`mapping_key`]), not by the user's
//! mapping, because a file dropped again is first read with detection. An entry stores the
//! kind, the role of each column and the reading options: no cell value, only what the user
//! typed (missing-value sentinels, column names) and the chosen sheet's name. The UI keeps the
//! list in the browser's localStorage as JSON ([`RememberedMappings::to_json`]).

use serde::{Deserialize, Serialize};

use crate::ingest::{FileSummary, Mapping};

/// Entries kept; remembering one more forgets the least recently remembered.
pub const MAX_REMEMBERED: usize = 100;

/// Version of the stored JSON; stored text of another version is ignored.
const FORMAT_VERSION: u32 = 1;

/// Returns the key under which the mapping of a file is remembered, from the summary of its
/// read with detection. A file with a header row is keyed by its [`FileSummary::fingerprint`].
/// A file without one has only numbered column names, so its key also lists the detected
/// type of each column, which keeps one header-less export's mapping off another of the same
/// width.
pub fn mapping_key(detected: &FileSummary) -> String {
    if detected.has_header_row {
        return format!("header:{}", detected.fingerprint);
    }
    let types: Vec<String> = detected.columns.iter().map(|column| format!("{:?}", column.value_type).to_lowercase()).collect();
    format!("numbered:{}:{}", detected.fingerprint, types.join(","))
}

/// The remembered mappings, least recently remembered first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RememberedMappings {
    version: u32,
    entries: Vec<RememberedMapping>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct RememberedMapping {
    key: String,
    mapping: Mapping,
}

/// An error in the stored text. The UI then starts from no remembered mapping.
#[derive(Debug, thiserror::Error)]
pub enum StoredMappingsError {
    #[error("the remembered column mappings are unreadable ({0}); they were ignored")]
    Invalid(#[from] serde_json::Error),
    #[error("the remembered column mappings were written by another version of Headlights (format {0}); they were ignored")]
    OtherVersion(u32),
}

impl RememberedMappings {
    pub fn new() -> Self {
        RememberedMappings { version: FORMAT_VERSION, entries: Vec::new() }
    }

    /// Reads the text written by [`Self::to_json`].
    pub fn from_json(text: &str) -> Result<Self, StoredMappingsError> {
        let stored: RememberedMappings = serde_json::from_str(text)?;
        if stored.version != FORMAT_VERSION {
            return Err(StoredMappingsError::OtherVersion(stored.version));
        }
        Ok(stored)
    }

    pub fn to_json(&self) -> String {
        // Plain strings, enums and vectors: serialising them cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Returns the mapping remembered under `key`.
    pub fn get(&self, key: &str) -> Option<&Mapping> {
        self.entries.iter().find(|entry| entry.key == key).map(|entry| &entry.mapping)
    }

    /// Remembers `mapping` under `key`, replacing what was remembered there, and forgets the
    /// least recently remembered entries beyond [`MAX_REMEMBERED`].
    pub fn remember(&mut self, key: &str, mapping: Mapping) {
        self.forget(key);
        self.entries.push(RememberedMapping { key: key.to_string(), mapping });
        let excess = self.entries.len().saturating_sub(MAX_REMEMBERED);
        self.entries.drain(..excess);
    }

    /// Forgets the mapping remembered under `key`; nothing happens when there is none.
    pub fn forget(&mut self, key: &str) {
        self.entries.retain(|entry| entry.key != key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{read_file, DataKind, DateOrder, Role};

    const LOG: &[u8] = b"customer,date,amount\na,03/04/2024,10.00\nb,05/06/2024,20.50\n";

    fn day_first(mut mapping: Mapping) -> Mapping {
        mapping.options.date_order = Some(DateOrder::DayFirst);
        mapping
    }

    #[test]
    fn remembered_mapping_survives_json() {
        let detected = read_file("log.csv", LOG).unwrap().summary();
        let mut remembered = RememberedMappings::new();
        remembered.remember(&mapping_key(&detected), day_first(detected.mapping.clone()));

        let restored = RememberedMappings::from_json(&remembered.to_json()).unwrap();
        assert_eq!(restored, remembered);
        let again = read_file("log-march.csv", b"Customer , DATE,amount\nc,01/02/2024,5\n").unwrap().summary();
        let mapping = restored.get(&mapping_key(&again)).expect("same header, other case and spaces");
        assert_eq!(mapping.options.date_order, Some(DateOrder::DayFirst));
    }

    #[test]
    fn other_header_finds_nothing() {
        let detected = read_file("log.csv", LOG).unwrap().summary();
        let mut remembered = RememberedMappings::new();
        remembered.remember(&mapping_key(&detected), detected.mapping.clone());
        let other = read_file("other.csv", b"client,day,total\na,2024-01-01,3\n").unwrap().summary();
        assert!(remembered.get(&mapping_key(&other)).is_none());
    }

    #[test]
    fn headerless_key_includes_column_types() {
        let words = read_file("a.csv", b"a1,2024-01-03,10.5,gold\na2,2024-01-04,11.5,silver\n").unwrap().summary();
        let dates = read_file("b.csv", b"a1,2024-01-03,10.5,2024-02-01\na2,2024-01-04,11.5,2024-02-02\n").unwrap().summary();
        assert!(!words.has_header_row, "{words:?}");
        assert!(!dates.has_header_row, "{dates:?}");
        assert_eq!(words.fingerprint, dates.fingerprint);
        assert_ne!(mapping_key(&words), mapping_key(&dates));
    }

    #[test]
    fn remembering_again_replaces_entry() {
        let detected = read_file("log.csv", LOG).unwrap().summary();
        let key = mapping_key(&detected);
        let mut remembered = RememberedMappings::new();
        remembered.remember(&key, detected.mapping.clone());
        remembered.remember(&key, day_first(detected.mapping.clone()));
        assert_eq!(remembered.len(), 1);
        assert_eq!(remembered.get(&key).unwrap().options.date_order, Some(DateOrder::DayFirst));

        remembered.forget(&key);
        assert!(remembered.is_empty());
    }

    #[test]
    fn oldest_entry_goes_beyond_limit() {
        let mapping = Mapping { kind: DataKind::Accounts, roles: vec![Some(Role::CustomerId)], options: Default::default() };
        let mut remembered = RememberedMappings::new();
        for index in 0..=MAX_REMEMBERED {
            remembered.remember(&format!("header:{index}"), mapping.clone());
        }
        assert_eq!(remembered.len(), MAX_REMEMBERED);
        assert!(remembered.get("header:0").is_none());
        assert!(remembered.get(&format!("header:{MAX_REMEMBERED}")).is_some());
    }

    #[test]
    fn unreadable_or_other_version_text_is_rejected() {
        assert!(matches!(RememberedMappings::from_json("{"), Err(StoredMappingsError::Invalid(_))));
        assert!(matches!(
            RememberedMappings::from_json(r#"{"version":7,"entries":[]}"#),
            Err(StoredMappingsError::OtherVersion(7))
        ));
    }
}
