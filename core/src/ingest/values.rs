//! Parsers for single cell values: missing markers, money, dates and booleans.
//!
//! Each parser is strict: it returns `None` for anything it does not fully understand, so that
//! column type inference (in `profile`) can count how many values of a column fit a type.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

use super::money::{Money, MICROS_PER_UNIT};

/// Returns true for cells that mean "no value": empty, whitespace, `N/A`, `NA`, `NULL`, `-`.
pub fn is_missing(cell: &str) -> bool {
    let trimmed = cell.trim();
    trimmed.is_empty()
        || matches!(
            trimmed.to_ascii_lowercase().as_str(),
            "n/a" | "na" | "null" | "none" | "-" | "nan" | "#n/a"
        )
}

/// Parses a money amount written with a `.` decimal point into exact micro-units.
///
/// Accepts a leading currency symbol (`$`, `€`, `£`, `¥`), thousands separators (`1,234.56`),
/// a sign or accounting parentheses (`(12.50)` is −12.50). Rejects more than six decimals,
/// letters and anything else that is not plainly a number.
pub fn parse_money(cell: &str) -> Option<Money> {
    let mut text = cell.trim();

    let parenthesised = text.starts_with('(') && text.ends_with(')');
    if parenthesised {
        text = text[1..text.len() - 1].trim();
    }

    let (negative, unsigned) = split_sign(text);
    let digits = strip_currency_symbol(unsigned);
    let micros = parse_unsigned_decimal(digits)?;

    let negative = negative ^ parenthesised;
    Some(Money::from_micros(if negative { -micros } else { micros }))
}

fn split_sign(text: &str) -> (bool, &str) {
    if let Some(rest) = text.strip_prefix('-') {
        (true, rest.trim_start())
    } else if let Some(rest) = text.strip_prefix('+') {
        (false, rest.trim_start())
    } else {
        (false, text)
    }
}

fn strip_currency_symbol(text: &str) -> &str {
    text.trim_start_matches(['$', '€', '£', '¥']).trim_start()
}

/// Parses `1234`, `1,234.5` or `.5` into micro-units; thousands separators must group by three.
fn parse_unsigned_decimal(text: &str) -> Option<i64> {
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (text, ""),
    };
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if fraction.len() > 6 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }

    let whole_digits = remove_thousands_separators(whole)?;
    let whole_value: i64 = if whole_digits.is_empty() { 0 } else { whole_digits.parse().ok()? };

    let mut fraction_micros: i64 = 0;
    for (position, byte) in fraction.bytes().enumerate() {
        let place = 10_i64.pow(5 - position as u32);
        fraction_micros += i64::from(byte - b'0') * place;
    }

    whole_value.checked_mul(MICROS_PER_UNIT)?.checked_add(fraction_micros)
}

fn remove_thousands_separators(whole: &str) -> Option<String> {
    if !whole.contains(',') {
        return whole.bytes().all(|b| b.is_ascii_digit()).then(|| whole.to_string());
    }

    let groups: Vec<&str> = whole.split(',').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|group| group.len() == 3);
    let all_digits = groups.iter().all(|group| group.bytes().all(|b| b.is_ascii_digit()));
    (first_ok && rest_ok && all_digits).then(|| groups.concat())
}

/// Parses a calendar date or timestamp and returns its date.
///
/// Formats: `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD` (years 1900 to 2199 only, so that ids and
/// amounts are not mistaken for dates), and ISO timestamps with a space or `T`, optional
/// seconds and fraction, and an optional offset. A timestamp with an offset is converted to UTC
/// before its date is taken; one without is taken as written.
pub fn parse_date(cell: &str) -> Option<NaiveDate> {
    let text = cell.trim();
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        return parse_compact_date(text);
    }
    if text.len() == 10 {
        return NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(text, "%Y/%m/%d"))
            .ok();
    }
    parse_timestamp_date(text)
}

fn parse_compact_date(text: &str) -> Option<NaiveDate> {
    let year: i32 = text[0..4].parse().ok()?;
    if !(1900..2200).contains(&year) {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y%m%d").ok()
}

fn parse_timestamp_date(text: &str) -> Option<NaiveDate> {
    if text.len() < 16 {
        return None;
    }
    if let Ok(with_offset) = DateTime::parse_from_rfc3339(text) {
        return Some(with_offset.naive_utc().date());
    }
    if let Ok(with_offset) = DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f%:z") {
        return Some(with_offset.naive_utc().date());
    }
    const LOCAL_FORMATS: [&str; 4] =
        ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"];
    LOCAL_FORMATS
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .map(|timestamp| timestamp.date())
}

/// Parses the common spellings of a yes/no flag: yes/no, y/n, true/false, t/f, 1/0.
pub fn parse_bool(cell: &str) -> Option<bool> {
    match cell.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "t" | "1" => Some(true),
        "no" | "n" | "false" | "f" | "0" => Some(false),
        _ => None,
    }
}

/// Returns true for a whole number written without sign, decimals or separators.
pub fn is_plain_integer(cell: &str) -> bool {
    let text = cell.trim();
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cents(cell: &str) -> Option<i64> {
        parse_money(cell).map(|money| money.micros / 10_000)
    }

    #[test]
    fn money_accepts_common_spellings() {
        assert_eq!(cents("11.77"), Some(1177));
        assert_eq!(cents("  12 "), Some(1200));
        assert_eq!(cents("$1,234.50"), Some(123450));
        assert_eq!(cents("-0.5"), Some(-50));
        assert_eq!(cents("(12.50)"), Some(-1250));
        assert_eq!(cents(".25"), Some(25));
        assert_eq!(parse_money("0.000001").map(|m| m.micros), Some(1));
    }

    #[test]
    fn money_rejects_text_and_bad_grouping() {
        assert_eq!(parse_money("abc"), None);
        assert_eq!(parse_money(""), None);
        assert_eq!(parse_money("1,23.00"), None);
        assert_eq!(parse_money("1.2345678"), None);
        assert_eq!(parse_money("12a"), None);
    }

    #[test]
    fn dates_in_supported_formats() {
        let day = NaiveDate::from_ymd_opt(1997, 1, 12);
        assert_eq!(parse_date("19970112"), day);
        assert_eq!(parse_date("1997-01-12"), day);
        assert_eq!(parse_date("1997/01/12"), day);
        assert_eq!(parse_date("1997-01-12 23:10:00"), day);
        assert_eq!(parse_date("1997-01-12T23:10"), day);
        assert_eq!(parse_date("1997-01-12T23:30:00-02:00"), NaiveDate::from_ymd_opt(1997, 1, 13));
    }

    #[test]
    fn compact_dates_reject_ids() {
        assert_eq!(parse_date("00012345"), None);
        assert_eq!(parse_date("19971332"), None);
    }

    #[test]
    fn missing_markers() {
        for cell in ["", " ", "N/A", "null", "-", "NA"] {
            assert!(is_missing(cell), "{cell:?} should be missing");
        }
        assert!(!is_missing("0"));
    }
}
