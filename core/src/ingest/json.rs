//! JSON lines and JSON arrays of objects (product-analytics event exports) to records: nested
//! objects are flattened into dotted column names (`properties.time`), arrays kept as JSON.

use serde_json::{Map, Value};

use super::limits::{MAX_COLUMNS, MAX_JSON_DEPTH};
use super::table::{TableBuilder, TableLimit};

/// A reason a JSON file could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum JsonProblem {
    TooDeep { line: usize },
    Invalid { line: usize, message: String },
    NotObjects,
    Limit(TableLimit),
}

/// Returns the deepest nesting of arrays and objects in `text`, stopping once it exceeds
/// `limit`; strings are skipped so brackets inside them do not count.
fn nesting_exceeds(text: &str, limit: usize) -> bool {
    let mut depth = 0usize;
    let mut inside_string = false;
    let mut escaped = false;
    for byte in text.bytes() {
        if inside_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => inside_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => inside_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// Column names in first-seen order and the flattened rows.
struct Flattened {
    columns: Vec<String>,
    index: std::collections::HashMap<String, usize>,
    rows: Vec<(usize, Vec<(usize, String)>)>,
}

impl Flattened {
    fn column(&mut self, name: &str) -> Result<usize, TableLimit> {
        if let Some(index) = self.index.get(name) {
            return Ok(*index);
        }
        if self.columns.len() >= MAX_COLUMNS {
            return Err(TableLimit::TooManyColumns { line: 1, columns: self.columns.len() + 1 });
        }
        self.index.insert(name.to_string(), self.columns.len());
        self.columns.push(name.to_string());
        Ok(self.columns.len() - 1)
    }

    fn add_object(&mut self, line: usize, object: &Map<String, Value>) -> Result<(), TableLimit> {
        let mut cells = Vec::new();
        self.flatten("", object, &mut cells)?;
        self.rows.push((line, cells));
        Ok(())
    }

    fn flatten(&mut self, prefix: &str, object: &Map<String, Value>, cells: &mut Vec<(usize, String)>) -> Result<(), TableLimit> {
        for (key, value) in object {
            let name = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
            match value {
                Value::Object(inner) => self.flatten(&name, inner, cells)?,
                Value::Null => {}
                Value::String(text) => cells.push((self.column(&name)?, text.clone())),
                Value::Array(_) => cells.push((self.column(&name)?, value.to_string())),
                Value::Bool(flag) => cells.push((self.column(&name)?, flag.to_string())),
                Value::Number(number) => cells.push((self.column(&name)?, number.to_string())),
            }
        }
        Ok(())
    }
}

/// Reads JSON lines (one object per line) or one JSON array of objects into `builder`, with
/// exactly one header row made of the flattened key names.
pub fn read_json(text: &str, builder: &mut TableBuilder) -> Result<(), JsonProblem> {
    let mut flattened = Flattened { columns: Vec::new(), index: Default::default(), rows: Vec::new() };
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        if nesting_exceeds(text, MAX_JSON_DEPTH) {
            return Err(JsonProblem::TooDeep { line: 1 });
        }
        let values: Vec<Value> = serde_json::from_str(text).map_err(|error| JsonProblem::Invalid { line: error.line(), message: error.to_string() })?;
        for (position, value) in values.iter().enumerate() {
            let Value::Object(object) = value else { return Err(JsonProblem::NotObjects) };
            flattened.add_object(position + 1, object).map_err(JsonProblem::Limit)?;
        }
    } else {
        for (index, line) in super::dialect::lines(text).enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            if nesting_exceeds(line, MAX_JSON_DEPTH) {
                return Err(JsonProblem::TooDeep { line: index + 1 });
            }
            let value: Value = serde_json::from_str(line).map_err(|error| JsonProblem::Invalid { line: index + 1, message: error.to_string() })?;
            let Value::Object(object) = value else { return Err(JsonProblem::NotObjects) };
            flattened.add_object(index + 1, &object).map_err(JsonProblem::Limit)?;
        }
    }
    if flattened.rows.is_empty() {
        return Err(JsonProblem::NotObjects);
    }

    let width = flattened.columns.len();
    builder.push(0, flattened.columns.iter().map(String::as_str)).map_err(JsonProblem::Limit)?;
    let mut cells = vec![String::new(); width];
    for (line, row) in flattened.rows {
        cells.iter_mut().for_each(String::clear);
        for (column, value) in row {
            cells[column] = value;
        }
        builder.push(line, cells.iter().map(String::as_str)).map_err(JsonProblem::Limit)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::table::HeaderRows;

    #[test]
    fn properties_are_flattened() {
        let mut builder = TableBuilder::new(HeaderRows::Exactly(1));
        read_json("{\"event\":\"login\",\"properties\":{\"time\":1704067200,\"distinct_id\":\"u1\"}}\n", &mut builder).unwrap();
        let table = builder.finish();
        assert_eq!(table.headers, ["event", "properties.distinct_id", "properties.time"]);
        assert_eq!(table.cell(2, 0), "1704067200");
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let deep = format!("{}{}", "[".repeat(MAX_JSON_DEPTH + 1), "]".repeat(MAX_JSON_DEPTH + 1));
        let mut builder = TableBuilder::new(HeaderRows::Exactly(1));
        assert_eq!(read_json(&deep, &mut builder), Err(JsonProblem::TooDeep { line: 1 }));
    }
}
