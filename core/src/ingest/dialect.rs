//! Field separators: detected from a sample of lines, then used to split the whole text.

/// How the fields of a line are separated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
const SAMPLE_LINES: usize = 200;

/// Picks the separator that splits the sample lines into the same number of fields, more than
/// one, most consistently. Quoted text is skipped when counting. Falls back to runs of spaces
/// when no single character gives a consistent count.
pub fn detect_separator(text: &str) -> Separator {
    let lines: Vec<&str> =
        text.lines().filter(|line| !line.trim().is_empty()).take(SAMPLE_LINES).collect();
    if lines.is_empty() {
        return Separator::Char(b',');
    }

    let mut best: Option<(u8, usize)> = None;
    for candidate in CANDIDATES {
        let consistent = consistent_line_count(&lines, |line| count_unquoted(line, candidate) + 1);
        if consistent > best.map_or(0, |(_, score)| score) {
            best = Some((candidate, consistent));
        }
    }

    let whitespace = consistent_line_count(&lines, |line| line.split_whitespace().count());
    match best {
        Some((candidate, score)) if score >= whitespace => Separator::Char(candidate),
        _ if whitespace > 0 => Separator::Whitespace,
        _ => Separator::Char(b','),
    }
}

/// Returns how many lines share the most common field count, or 0 when that count is 1.
fn consistent_line_count(lines: &[&str], field_count: impl Fn(&str) -> usize) -> usize {
    let mut counts = std::collections::HashMap::new();
    for line in lines {
        *counts.entry(field_count(line)).or_insert(0usize) += 1;
    }
    counts
        .into_iter()
        .filter(|(fields, _)| *fields > 1)
        .map(|(_, lines)| lines)
        .max()
        .unwrap_or(0)
}

fn count_unquoted(line: &str, separator: u8) -> usize {
    let mut inside_quotes = false;
    let mut count = 0;
    for byte in line.bytes() {
        if byte == b'"' {
            inside_quotes = !inside_quotes;
        } else if byte == separator && !inside_quotes {
            count += 1;
        }
    }
    count
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
    fn quoted_commas_are_not_separators() {
        let text = "name,amount\n\"Smith, J\",5\n\"Lee, K\",6\n";
        assert_eq!(detect_separator(text), Separator::Char(b','));
    }
}
