//! Field separators: detected from a sample of records, then used to split the whole text.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How the fields of a line are separated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Separator {
    /// One character, with CSV quoting rules (`"a, b"` is one field).
    Char(u8),
    /// Runs of spaces or tabs, as in fixed-width text exports; leading blanks are ignored.
    Whitespace,
}

impl Separator {
    /// Names the separator for the file summary shown to the user.
    pub fn describe(self) -> &'static str {
        match self {
            Separator::Char(b',') => "comma",
            Separator::Char(b';') => "semicolon",
            Separator::Char(b'\t') => "tab",
            Separator::Char(b'|') => "pipe",
            Separator::Char(_) => "single character",
            Separator::Whitespace => "spaces",
        }
    }
}

const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The sample that decides the separator: this many records, or this many bytes, whichever
/// ends first.
const SAMPLE_RECORDS: usize = 2000;
const SAMPLE_BYTES: usize = 1 << 20;

/// Picks the separator that splits the sampled records into the same number of fields, more
/// than one, most consistently. Quoted text (which may span lines) is skipped when counting,
/// and `\r\n`, `\n` and a lone `\r` all end a record. Falls back to runs of spaces when no
/// single character gives a consistent count.
pub fn detect_separator(text: &str) -> Separator {
    let records = sample_separator_counts(text);
    if records.is_empty() {
        return Separator::Char(b',');
    }

    let mut best: Option<(u8, (usize, usize))> = None;
    for (position, candidate) in CANDIDATES.iter().enumerate() {
        let score = consistency(records.iter().map(|counts| counts[position] + 1));
        if score.0 > 0 && best.is_none_or(|(_, best_score)| score > best_score) {
            best = Some((*candidate, score));
        }
    }

    let whitespace = consistency(lines(text).take(SAMPLE_RECORDS).filter(|line| !line.trim().is_empty()).map(|line| line.split_whitespace().count()));
    match best {
        Some((candidate, score)) if score.0 >= whitespace.0 => Separator::Char(candidate),
        _ if whitespace.0 > 0 => Separator::Whitespace,
        _ => Separator::Char(b','),
    }
}

/// Counts each candidate separator outside quotes, per non-blank record of the sample.
fn sample_separator_counts(text: &str) -> Vec<[usize; 4]> {
    let mut records = Vec::new();
    let mut counts = [0usize; 4];
    let mut inside_quotes = false;
    let mut blank = true;
    for byte in text.bytes().take(SAMPLE_BYTES) {
        match byte {
            b'"' => {
                inside_quotes = !inside_quotes;
                blank = false;
            }
            b'\r' | b'\n' if !inside_quotes => {
                if !blank {
                    records.push(counts);
                    if records.len() == SAMPLE_RECORDS {
                        return records;
                    }
                }
                counts = [0; 4];
                blank = true;
            }
            _ if inside_quotes => {}
            _ => {
                if let Some(position) = CANDIDATES.iter().position(|candidate| *candidate == byte) {
                    counts[position] += 1;
                }
                blank &= byte == b' ';
            }
        }
    }
    if !blank {
        records.push(counts);
    }
    records
}

/// Returns how many records share the most common field count, and that count, or zeros when
/// that count is 1.
fn consistency(field_counts: impl Iterator<Item = usize>) -> (usize, usize) {
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for fields in field_counts {
        *counts.entry(fields).or_insert(0) += 1;
    }
    counts
        .into_iter()
        .filter(|(fields, _)| *fields > 1)
        .map(|(fields, records)| (records, fields))
        .max()
        .unwrap_or((0, 0))
}

/// Splits text into lines at `\r\n`, `\n` or a lone `\r` (classic Mac OS line ends), without
/// the line ends.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match rest.find(['\r', '\n']) {
            Some(end) => {
                let line = &rest[..end];
                let skip = if rest[end..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[end + skip..];
                Some(line)
            }
            None => {
                let line = rest;
                rest = "";
                Some(line)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comma_semicolon_tab_and_pipe() {
        assert_eq!(detect_separator("a,b,c\n1,2,3\n"), Separator::Char(b','));
        assert_eq!(detect_separator("a;b;c\n1,5;2;3\n"), Separator::Char(b';'));
        assert_eq!(detect_separator("a\tb\n1\t2\n"), Separator::Char(b'\t'));
        assert_eq!(detect_separator("a|b\n1|2\n"), Separator::Char(b'|'));
    }

    #[test]
    fn runs_of_spaces_in_fixed_width_text() {
        let text = " customer_id  date number_of_cds  dollar_value\n 00001 19970101  1   11.77\n";
        assert_eq!(detect_separator(text), Separator::Whitespace);
    }

    #[test]
    fn quoted_commas_and_newlines_are_not_separators() {
        let text = "name,amount\n\"Smith, J\",5\n\"Lee,\nK\",6\n";
        assert_eq!(detect_separator(text), Separator::Char(b','));
    }

    #[test]
    fn semicolons_with_decimal_commas() {
        let text = "name;amount;fee\nA;1,50;0,10\nB;2,75;0,20\n";
        assert_eq!(detect_separator(text), Separator::Char(b';'));
    }

    #[test]
    fn carriage_returns_alone_end_lines() {
        assert_eq!(lines("a\rb\r\nc\nd").collect::<Vec<_>>(), ["a", "b", "c", "d"]);
        assert_eq!(detect_separator("a;b\r1;2\r3;4\r"), Separator::Char(b';'));
    }
}
