//! Deserialising `&'static str` fields, so that dashboard types can cross the worker boundary.
//!
//! Card ids, labels, definitions and reasons are string literals in the code. The page gets
//! them back from the worker as JSON text, and each distinct text is leaked once into a
//! process-wide set, so the memory used is bounded by the number of distinct literals, not by
//! the number of messages.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Deserializer};

/// A string literal in a type that crosses the worker boundary. The alias is needed because
/// serde's derive treats a field written `&'static str` as borrowed from the input, even with
/// `deserialize_with`, and then requires the input itself to be `'static`.
pub type StaticText = &'static str;

/// Returns the `'static` copy of `text`, leaking it the first time it is seen.
pub fn intern(text: &str) -> &'static str {
    static TEXTS: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut texts = TEXTS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(known) = texts.get(text) {
        return known;
    }
    let leaked: &'static str = Box::leak(text.to_owned().into_boxed_str());
    texts.insert(leaked);
    leaked
}

/// `deserialize_with` for a `&'static str` field.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<&'static str, D::Error> {
    let text = String::deserialize(deserializer)?;
    Ok(intern(&text))
}

/// `deserialize_with` for a list of `(&'static str, String)` pairs, such as a reading's inputs.
pub fn deserialize_pairs<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<(&'static str, String)>, D::Error> {
    let pairs = Vec::<(String, String)>::deserialize(deserializer)?;
    Ok(pairs
        .into_iter()
        .map(|(name, value)| (intern(&name), value))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_is_leaked_once() {
        let first = intern("churn_rate");
        let second = intern(&String::from("churn_rate"));
        assert!(std::ptr::eq(first, second));
    }
}
