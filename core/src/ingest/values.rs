//! Parsers for single cell values: missing markers, numbers and money, dates and booleans.
//!
//! Each parser is strict: it returns `None` for anything it does not fully understand, so that
//! column type inference (in `profile`) can count how many values of a column fit a type. The
//! choices that a single value cannot settle (decimal comma or point, day or month first) are
//! parameters, decided per column from all of its values.

use serde::{Deserialize, Serialize};
use chrono::{NaiveDate, NaiveDateTime};

use super::kinds::Timestamp;
use super::money::{Money, MICROS_PER_UNIT};

/// The character between the whole and the fractional part of a number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DecimalSeparator {
    /// `1,234.56`: a point, with commas, spaces or apostrophes grouping thousands.
    #[default]
    Point,
    /// `1.234,56`: a comma, with points, spaces or apostrophes grouping thousands.
    Comma,
}

/// The order of day and month in a date written with two small numbers and a year (`03/04/2024`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DateOrder {
    /// `03/04/2024` is March 4 (United States).
    #[default]
    MonthFirst,
    /// `03/04/2024` is April 3 (most of the world).
    DayFirst,
}

/// Returns the cell without leading and trailing whitespace, as `str::trim` does, but
/// without decoding characters when both ends are visible ASCII, as they nearly always are.
pub fn trim_cell(cell: &str) -> &str {
    match cell.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => cell,
        [only] if only.is_ascii_graphic() => cell,
        _ => cell.trim(),
    }
}

/// Returns true for cells that mean "no value": empty, whitespace, `N/A`, `NA`, `NULL`, `None`,
/// `NaN`, `#N/A` and `-`.
pub fn is_missing(cell: &str) -> bool {
    let bytes = cell.as_bytes();
    let visible = |byte: u8| byte.is_ascii_graphic();
    if !bytes.is_empty() && visible(bytes[0]) && visible(bytes[bytes.len() - 1]) {
        // Nothing to trim, and every marker starts with `n`, `-` or `#` and has at most 4 bytes.
        let marker_start = matches!(bytes[0], b'n' | b'N' | b'-' | b'#');
        if bytes.len() > 4 || !marker_start {
            return false;
        }
    }
    let trimmed = trim_cell(cell);
    if trimmed.is_empty() {
        return true;
    }
    if trimmed.len() > 4 {
        return false;
    }
    MISSING_MARKERS.iter().any(|marker| trimmed.eq_ignore_ascii_case(marker))
}

/// The built-in missing markers, compared without regard to ASCII case.
const MISSING_MARKERS: [&str; 7] = ["n/a", "na", "null", "none", "-", "nan", "#n/a"];

/// A parsed number: its exact value and what was written around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Number {
    pub value: Money,
    /// An ISO 4217 code written with the number (`USD 12.00`) or implied by an unambiguous
    /// symbol (`€`, `£`). `$` and `¥` name several currencies, so they give none.
    pub currency: Option<[u8; 3]>,
    /// The number ended with `%`; `value` is the number as written (`12.5%` is 12.5).
    pub percent: bool,
}

/// Parses a money amount written with a `.` decimal point into exact micro-units.
pub fn parse_money(cell: &str) -> Option<Money> {
    parse_number(cell, DecimalSeparator::Point).map(|number| number.value)
}

/// Parses a number with the given decimal separator.
///
/// Accepts a currency symbol or ISO code before or after the digits (`$1,234.50`, `USD 12.00`,
/// `12,00 €`), thousands separators that group by three, a sign, accounting parentheses
/// (`(12.50)` is −12.50) and a trailing percent sign. Rejects more than six decimals, letters
/// and anything else that is not plainly a number.
pub fn parse_number(cell: &str, decimal: DecimalSeparator) -> Option<Number> {
    let text = trim_cell(cell);
    let bytes = text.as_bytes();
    if let Some(micros) = plain_number_micros(bytes, decimal) {
        return Some(Number { value: Money::from_micros(micros), currency: None, percent: false });
    }
    let (first, last) = (*bytes.first()?, *bytes.last()?);
    if !(first.is_ascii_digit() || first.is_ascii_uppercase() || b"-+(.$".contains(&first) || !first.is_ascii()) {
        return None;
    }
    if !bytes.iter().all(|byte| NUMBER_BYTES[usize::from(*byte)]) {
        return None;
    }
    if first.is_ascii_digit() && last.is_ascii_digit() {
        // Nothing to strip: no sign, bracket, percent sign or currency starts with a digit or
        // ends with one.
        let micros = parse_unsigned_decimal(text, decimal)?;
        return Some(Number { value: Money::from_micros(micros), currency: None, percent: false });
    }
    parse_decorated_number(text, decimal)
}

/// Reads the most common numbers, digits with at most one decimal separator between them
/// (`316.66`, `12`), straight from the bytes into micro-units. Returns `None` for every other
/// shape and for more than 18 whole or 6 fractional digits, which [`parse_unsigned_decimal`]
/// then decides. Where this returns a value, that reader returns the same one.
fn plain_number_micros(bytes: &[u8], decimal: DecimalSeparator) -> Option<i64> {
    let separator = match decimal {
        DecimalSeparator::Point => b'.',
        DecimalSeparator::Comma => b',',
    };
    let whole_end = bytes.iter().position(|byte| !byte.is_ascii_digit()).unwrap_or(bytes.len());
    let (whole, rest) = bytes.split_at(whole_end);
    let fraction = match rest {
        [] => rest,
        [first, fraction @ ..] if *first == separator => fraction,
        _ => return None,
    };
    let fraction_fits = (rest.is_empty() || (1..=6).contains(&fraction.len())) && fraction.iter().all(u8::is_ascii_digit);
    if !(1..=18).contains(&whole.len()) || !fraction_fits {
        return None;
    }
    let whole_value = whole.iter().fold(0i64, |value, digit| value * 10 + i64::from(digit - b'0'));
    let fraction_micros = fraction.iter().zip([100_000, 10_000, 1_000, 100, 10, 1]).map(|(digit, place)| i64::from(digit - b'0') * place).sum::<i64>();
    whole_value.checked_mul(MICROS_PER_UNIT)?.checked_add(fraction_micros)
}

/// Bytes that can appear in a cell [`parse_number`] accepts: digits, capitals (ISO codes and
/// `CHF`), whitespace, `.,'-+()%$` and every non-ASCII byte (other symbols and spaces). A cell
/// with any other byte, such as `:`, `/`, `_` or a small letter, is not a number.
const NUMBER_BYTES: [bool; 256] = {
    let mut allowed = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        allowed[byte] = b.is_ascii_digit()
            || b.is_ascii_uppercase()
            || matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
            || matches!(b, b'.' | b',' | b'\'' | b'-' | b'+' | b'(' | b')' | b'%' | b'$')
            || !b.is_ascii();
        byte += 1;
    }
    allowed
};

/// Parses a trimmed number that may carry brackets, a percent sign, signs and a currency.
fn parse_decorated_number(mut text: &str, decimal: DecimalSeparator) -> Option<Number> {
    let parenthesised = text.starts_with('(') && text.ends_with(')');
    if parenthesised {
        text = text[1..text.len() - 1].trim();
    }
    let percent = text.ends_with('%');
    if percent {
        text = text[..text.len() - 1].trim_end();
    }

    let (sign_before, rest) = split_sign(text);
    let (currency_before, rest) = strip_currency_prefix(rest);
    let (sign_after, rest) = split_sign(rest);
    if sign_before && sign_after {
        return None;
    }
    let negative = sign_before || sign_after;
    let (currency_after, digits) = strip_currency_suffix(rest);
    let (negative, digits) = if negative { (true, digits) } else { split_trailing_sign(digits) };
    if currency_before.is_some() && currency_after.is_some() {
        return None;
    }
    let micros = parse_unsigned_decimal(digits, decimal)?;

    let negative = negative ^ parenthesised;
    let value = Money::from_micros(if negative { -micros } else { micros });
    let currency = currency_before.or(currency_after).flatten();
    Some(Number { value, currency, percent })
}

fn split_sign(text: &str) -> (bool, &str) {
    if let Some(rest) = text.strip_prefix('-').or_else(|| text.strip_prefix('\u{2212}')) {
        (true, rest.trim_start())
    } else if let Some(rest) = text.strip_prefix('+') {
        (false, rest.trim_start())
    } else {
        (false, text)
    }
}

/// Splits a trailing minus, as some accounting exports write negatives (`12.50-`).
fn split_trailing_sign(text: &str) -> (bool, &str) {
    match text.strip_suffix('-') {
        Some(rest) if !rest.is_empty() => (true, rest.trim_end()),
        _ => (false, text),
    }
}

/// Currency symbols and the ISO code each implies, if it implies exactly one.
const SYMBOLS: [(&str, Option<[u8; 3]>); 6] = [
    ("$", None),
    ("€", Some(*b"EUR")),
    ("£", Some(*b"GBP")),
    ("¥", None),
    ("₹", Some(*b"INR")),
    ("CHF", Some(*b"CHF")),
];

/// Returns the currency found at the start (`Some(None)` for a symbol naming no single
/// currency) and the rest of the text.
fn strip_currency_prefix(text: &str) -> (Option<Option<[u8; 3]>>, &str) {
    for (symbol, code) in SYMBOLS {
        if let Some(rest) = text.strip_prefix(symbol) {
            return (Some(code), rest.trim_start());
        }
    }
    if let Some(code) = iso_code_at(text.get(..3)) {
        if text.len() > 3 && !text.as_bytes()[3].is_ascii_alphabetic() {
            return (Some(Some(code)), text[3..].trim_start());
        }
    }
    (None, text)
}

fn strip_currency_suffix(text: &str) -> (Option<Option<[u8; 3]>>, &str) {
    for (symbol, code) in SYMBOLS {
        if let Some(rest) = text.strip_suffix(symbol) {
            return (Some(code), rest.trim_end());
        }
    }
    let split = text.len().checked_sub(3).filter(|at| text.is_char_boundary(*at));
    if let Some(at) = split {
        if let Some(code) = iso_code_at(text.get(at..)) {
            let before = text[..at].trim_end();
            if !before.is_empty() && !before.as_bytes()[before.len() - 1].is_ascii_alphabetic() {
                return (Some(Some(code)), before);
            }
        }
    }
    (None, text)
}

/// Returns the three letters as an upper-case ISO 4217 code when they are all capitals.
fn iso_code_at(letters: Option<&str>) -> Option<[u8; 3]> {
    let bytes = letters?.as_bytes();
    if bytes.len() == 3 && bytes.iter().all(u8::is_ascii_uppercase) {
        Some([bytes[0], bytes[1], bytes[2]])
    } else {
        None
    }
}

/// Parses `1234`, `1,234.5` or `.5` (with a point) into micro-units; thousands separators must
/// group by three.
fn parse_unsigned_decimal(text: &str, decimal: DecimalSeparator) -> Option<i64> {
    let decimal_char = match decimal {
        DecimalSeparator::Point => '.',
        DecimalSeparator::Comma => ',',
    };
    let (whole, fraction) = match text.rsplit_once(decimal_char) {
        Some((whole, fraction)) => (whole, fraction),
        None => (text, ""),
    };
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if fraction.len() > 6 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if text.ends_with(decimal_char) && fraction.is_empty() {
        return None;
    }

    let whole_value = parse_grouped_whole(whole, decimal)?;
    let mut fraction_micros: i64 = 0;
    for (position, byte) in fraction.bytes().enumerate() {
        let place = 10_i64.pow(5 - position as u32);
        fraction_micros += i64::from(byte - b'0') * place;
    }
    whole_value.checked_mul(MICROS_PER_UNIT)?.checked_add(fraction_micros)
}

/// Parses a whole part that may group thousands; the grouping character is whichever of the
/// allowed ones appears first.
fn parse_grouped_whole(whole: &str, decimal: DecimalSeparator) -> Option<i64> {
    if whole.is_empty() {
        return Some(0);
    }
    if whole.len() <= 18 && whole.bytes().all(|b| b.is_ascii_digit()) {
        return whole.parse().ok();
    }
    let grouping = match decimal {
        DecimalSeparator::Point => [',', ' ', '\u{a0}', '\'', '\u{202f}'],
        DecimalSeparator::Comma => ['.', ' ', '\u{a0}', '\'', '\u{202f}'],
    };
    let separator = whole.chars().find(|c| grouping.contains(c))?;
    let groups: Vec<&str> = whole.split(separator).collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|group| group.len() == 3);
    let all_digits = groups.iter().all(|group| group.bytes().all(|b| b.is_ascii_digit()));
    if !(first_ok && rest_ok && all_digits) {
        return None;
    }
    groups.concat().parse().ok()
}

/// The parts of a date or timestamp as written, before the day/month order is decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WrittenDate {
    pub year: i32,
    /// The first and second of the two small numbers. For year-first and month-name dates
    /// they are the month and the day, and `order_matters` is false.
    pub first: u32,
    pub second: u32,
    pub order_matters: bool,
    /// Seconds since midnight, 0 for a date alone.
    pub seconds_of_day: u32,
    pub has_time: bool,
    /// The UTC offset written with the time, in seconds east of UTC.
    pub offset_seconds: Option<i32>,
}

impl WrittenDate {
    /// Returns the instant in UTC, reading an order-dependent date in `order`. A time without
    /// an offset is taken as written.
    pub fn resolve(&self, order: DateOrder) -> Option<Timestamp> {
        let (month, day) = match (self.order_matters, order) {
            (true, DateOrder::DayFirst) => (self.second, self.first),
            _ => (self.first, self.second),
        };
        let midnight = if (0..=9999).contains(&self.year) {
            if !is_valid_date(self.year, month, day) {
                return None;
            }
            days_since_unix_epoch(self.year, month, day) * 86_400
        } else {
            Timestamp::start_of(NaiveDate::from_ymd_opt(self.year, month, day)?).seconds
        };
        let offset = i64::from(self.offset_seconds.unwrap_or(0));
        Some(Timestamp { seconds: midnight + i64::from(self.seconds_of_day) - offset })
    }

    /// Returns true when [`WrittenDate::resolve`] reads the date in `order`, without
    /// computing the instant.
    pub fn is_valid(&self, order: DateOrder) -> bool {
        let (month, day) = match (self.order_matters, order) {
            (true, DateOrder::DayFirst) => (self.second, self.first),
            _ => (self.first, self.second),
        };
        if (0..=9999).contains(&self.year) {
            is_valid_date(self.year, month, day)
        } else {
            NaiveDate::from_ymd_opt(self.year, month, day).is_some()
        }
    }

    /// Returns true when a first number above 12 shows that the date is written day first.
    pub fn proves_day_first(&self) -> bool {
        self.order_matters && self.first > 12 && self.second <= 12
    }

    /// Returns true when a second number above 12 shows that the date is written month first.
    pub fn proves_month_first(&self) -> bool {
        self.order_matters && self.second > 12 && self.first <= 12
    }
}

/// Returns true when `year`, `month` and `day` name a day of the proleptic Gregorian calendar,
/// as `NaiveDate::from_ymd_opt` decides for the years 0 to 9999.
fn is_valid_date(year: i32, month: u32, day: u32) -> bool {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

/// Returns the days from 1970-01-01 to a valid date of the years 0 to 9999, negative before it.
/// Counting from March 1 of year 0 puts February 29 at the end of each year, so every 400
/// years hold the same 146,097 days.
fn days_since_unix_epoch(year: i32, month: u32, day: u32) -> i64 {
    let (year, month, day) = (i64::from(year), i64::from(month), i64::from(day));
    let march_year = if month <= 2 { year - 1 } else { year };
    let era = march_year.div_euclid(400);
    let year_of_era = march_year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    // 719,468 days run from March 1 of year 0 to 1970-01-01.
    era * 146_097 + day_of_era - 719_468
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// Reads the parts of a date or timestamp.
///
/// Dates: `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD`, `YYYYMMDD` (years 1900 to 2199 only, so
/// that ids are not taken for dates), `DD/MM/YYYY` or `MM/DD/YYYY` (also with `-` or `.`, and
/// two-digit years), `5 Jan 2024`, `05-Jan-2024` and `Jan 5, 2024`. A time may follow after a
/// space or `T`: `14:05`, `14:05:09`, fractions, `3:05 PM`, and an offset (`Z`, `+02:00`,
/// `+0200`, ` UTC`).
pub fn read_written_date(cell: &str) -> Option<WrittenDate> {
    let text = trim_cell(cell);
    let bytes = text.as_bytes();
    if bytes.len() < 6 || bytes.len() > 40 {
        return None;
    }
    iso_date_time(bytes).or_else(|| read_any_written_date(text))
}

/// Reads every written form that [`read_written_date`] documents from trimmed text of 6 to 40
/// bytes.
fn read_any_written_date(text: &str) -> Option<WrittenDate> {
    let bytes = text.as_bytes();
    if bytes.len() == 8 && bytes.iter().all(u8::is_ascii_digit) {
        return compact_date(text);
    }
    if bytes[0].is_ascii_alphabetic() {
        return month_name_first(text);
    }
    if !bytes[0].is_ascii_digit() {
        return None;
    }

    let date_end = text.find([' ', 'T']).unwrap_or(text.len());
    let (date_part, time_part) = text.split_at(date_end);
    let (mut date, time_part) = match numeric_date(date_part) {
        Some(date) => (date, time_part.strip_prefix(['T', ' ']).unwrap_or(time_part).trim()),
        None => day_month_name_with_time(text)?,
    };
    if !time_part.is_empty() {
        let (seconds, offset) = read_time(time_part)?;
        date.seconds_of_day = seconds;
        date.offset_seconds = offset;
        date.has_time = true;
    }
    Some(date)
}

/// Reads the most common shapes, `YYYY-MM-DD`, `YYYY-MM-DD HH:MM` and `YYYY-MM-DD HH:MM:SS`
/// (also with `T`), straight from the bytes. Returns `None` for any other shape, including
/// invalid dates and times, so that the general reader decides those.
pub fn iso_date_time(bytes: &[u8]) -> Option<WrittenDate> {
    if !matches!(bytes.len(), 10 | 16 | 19) || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let pair = |at: usize| digit_pair(bytes[at], bytes[at + 1]);
    let (year, month, day) = ((pair(0)? * 100 + pair(2)?) as i32, pair(5)?, pair(8)?);
    if !is_valid_date(year, month, day) {
        return None;
    }
    let mut date = plain_date(year, month, day, false);
    if bytes.len() == 10 {
        return Some(date);
    }
    date.seconds_of_day = iso_time_of_day(bytes)?;
    date.has_time = true;
    Some(date)
}

/// Returns the seconds since midnight of the time after the date in an ISO date and time
/// of 16 or 19 bytes (`2024-01-31 14:05` or `2024-01-31T14:05:09`), without reading the date.
/// A leap second counts as second 59, as [`iso_date_time`] reads it.
fn iso_time_of_day(bytes: &[u8]) -> Option<u32> {
    if !matches!(bytes.len(), 16 | 19) || !matches!(bytes[10], b' ' | b'T') || bytes[13] != b':' {
        return None;
    }
    let pair = |at: usize| digit_pair(bytes[at], bytes[at + 1]);
    let (hour, minute) = (pair(11)?, pair(14)?);
    let second = match bytes.len() {
        19 if bytes[16] == b':' => pair(17)?,
        19 => return None,
        _ => 0,
    };
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(hour * 3600 + minute * 60 + second.min(59))
}

/// The last ISO date and time read from a column, by its first 10 bytes (the day), with its
/// UTC midnight. A log in time order writes the same day on a run of rows, and
/// [`IsoDay::timestamp`] then reads only the time of day.
#[derive(Clone, Copy, Debug, Default)]
pub struct IsoDay {
    last: Option<([u8; 10], i64)>,
}

impl IsoDay {
    /// Returns the instant of a trimmed cell of the form `YYYY-MM-DD HH:MM[:SS]` (or with `T`),
    /// the same as [`iso_date_time`] and [`WrittenDate::resolve`] give it, or `None` for any
    /// other form, which the caller reads in full.
    pub fn timestamp(&mut self, bytes: &[u8]) -> Option<Timestamp> {
        if bytes.len() < 16 {
            return None;
        }
        if let Some((day, midnight)) = self.last {
            if bytes[..10] == day {
                return iso_time_of_day(bytes).map(|seconds| Timestamp { seconds: midnight + i64::from(seconds) });
            }
        }

        let written = iso_date_time(bytes)?;
        let instant = written.resolve(DateOrder::MonthFirst)?;
        let mut day = [0u8; 10];
        day.copy_from_slice(&bytes[..10]);
        self.last = Some((day, instant.seconds - i64::from(written.seconds_of_day)));
        Some(instant)
    }
}

/// Returns the number that two ASCII digits write, or `None` when either is not a digit.
#[inline]
fn digit_pair(tens: u8, ones: u8) -> Option<u32> {
    let (tens, ones) = (tens.wrapping_sub(b'0'), ones.wrapping_sub(b'0'));
    (tens <= 9 && ones <= 9).then(|| u32::from(tens) * 10 + u32::from(ones))
}

fn compact_date(text: &str) -> Option<WrittenDate> {
    let year: i32 = text[0..4].parse().ok()?;
    if !(1900..2200).contains(&year) {
        return None;
    }
    let month: u32 = text[4..6].parse().ok()?;
    let day: u32 = text[6..8].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)?;
    Some(plain_date(year, month, day, false))
}

fn plain_date(year: i32, first: u32, second: u32, order_matters: bool) -> WrittenDate {
    WrittenDate { year, first, second, order_matters, seconds_of_day: 0, has_time: false, offset_seconds: None }
}

/// `2024-01-31`, `31/01/2024`, `1/31/24`, `31.01.2024`.
fn numeric_date(text: &str) -> Option<WrittenDate> {
    let separator = text.bytes().find(|b| matches!(b, b'-' | b'/' | b'.'))?;
    let mut parts = text.split(separator as char);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let digits = |part: &str| !part.is_empty() && part.len() <= 4 && part.bytes().all(|b| b.is_ascii_digit());
    if !(digits(a) && digits(b) && digits(c)) {
        return None;
    }
    let (a_value, b_value, c_value): (u32, u32, u32) = (a.parse().ok()?, b.parse().ok()?, c.parse().ok()?);

    if a.len() == 4 && b.len() <= 2 && c.len() <= 2 {
        NaiveDate::from_ymd_opt(a_value as i32, b_value, c_value)?;
        return Some(plain_date(a_value as i32, b_value, c_value, false));
    }
    if a.len() > 2 || b.len() > 2 {
        return None;
    }
    let year = match c.len() {
        4 => c_value as i32,
        // Two-digit years: 00–69 are 2000–2069 and 70–99 are 1970–1999, as POSIX strptime does.
        2 if c_value < 70 => 2000 + c_value as i32,
        2 => 1900 + c_value as i32,
        _ => return None,
    };
    let valid_month_first = NaiveDate::from_ymd_opt(year, a_value, b_value).is_some();
    let valid_day_first = NaiveDate::from_ymd_opt(year, b_value, a_value).is_some();
    if !(valid_month_first || valid_day_first) {
        return None;
    }
    let order_matters = a_value != b_value;
    Some(plain_date(year, a_value, b_value, order_matters))
}

/// Reads a month's English name or its abbreviation (`Jan`, `jan.`, `Sept`, `September`) in
/// any ASCII case.
fn month_number(name: &str) -> Option<u32> {
    const LONGEST: usize = "september".len();
    let name = name.trim_end_matches('.').as_bytes();
    if name.len() < 3 || name.len() > LONGEST {
        return None;
    }
    let mut buffer = [0u8; LONGEST];
    let lower = &mut buffer[..name.len()];
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    let lower: &[u8] = lower;
    let position = MONTHS.iter().position(|month| lower.starts_with(month.as_bytes()))?;
    let full_names = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
    let valid = lower.len() == 3 || full_names[position].as_bytes().starts_with(lower) || lower == b"sept";
    valid.then_some(position as u32 + 1)
}

fn year_of(text: &str) -> Option<i32> {
    let year: i32 = text.parse().ok()?;
    (text.len() == 4).then_some(year)
}

/// `5 Jan 2024` and `05-Jan-2024`.
fn day_month_name(text: &str) -> Option<WrittenDate> {
    let parts: Vec<&str> = text.split(['-', ' ']).filter(|part| !part.is_empty()).collect();
    let [day, month, year] = parts[..] else { return None };
    let (day, month, year): (u32, u32, i32) = (day.parse().ok()?, month_number(month)?, year_of(year)?);
    NaiveDate::from_ymd_opt(year, month, day)?;
    Some(plain_date(year, month, day, false))
}

/// `5 Jan 2024 14:05` and `05-Jan-2024 14:05`: the date and the rest of the text.
fn day_month_name_with_time(text: &str) -> Option<(WrittenDate, &str)> {
    let first_space = text.find(' ').unwrap_or(text.len());
    let date_end = if text[..first_space].contains('-') {
        first_space
    } else {
        text.match_indices(' ').nth(2).map_or(text.len(), |(at, _)| at)
    };
    let date = day_month_name(&text[..date_end])?;
    Some((date, text[date_end..].trim()))
}

/// `Jan 5, 2024` and `January 5 2024 3:05 PM`.
fn month_name_first(text: &str) -> Option<WrittenDate> {
    // Every month name starts with the three letters of its abbreviation.
    let mut opening = [0u8; 3];
    opening.copy_from_slice(text.as_bytes().get(..3)?);
    opening.make_ascii_lowercase();
    if !MONTHS.iter().any(|month| month.as_bytes() == opening) {
        return None;
    }
    let mut words = text.split([' ', ',']).filter(|word| !word.is_empty());
    let month = month_number(words.next()?)?;
    let day: u32 = words.next()?.parse().ok()?;
    let year = year_of(words.next()?)?;
    NaiveDate::from_ymd_opt(year, month, day)?;
    let mut date = plain_date(year, month, day, false);
    let rest: Vec<&str> = words.collect();
    if !rest.is_empty() {
        let (seconds, offset) = read_time(&rest.join(" "))?;
        date.seconds_of_day = seconds;
        date.offset_seconds = offset;
        date.has_time = true;
    }
    Some(date)
}

/// Reads `HH:MM[:SS[.fraction]]`, an optional AM/PM and an optional offset. Returns the
/// seconds since midnight (fractions dropped) and the offset in seconds east of UTC.
fn read_time(text: &str) -> Option<(u32, Option<i32>)> {
    let (clock, mut rest) = split_clock(text);
    let mut fields = clock.split(':');
    let hour: u32 = small_number(fields.next()?)?;
    let minute: u32 = small_number(fields.next()?)?;
    let second: u32 = match fields.next() {
        Some(field) => {
            let whole = field.split_once('.').map_or(field, |(whole, fraction)| {
                if fraction.bytes().all(|b| b.is_ascii_digit()) { whole } else { "x" }
            });
            small_number(whole)?
        }
        None => 0,
    };
    if fields.next().is_some() || minute > 59 || second > 60 {
        return None;
    }

    rest = rest.trim_start();
    let mut hour = hour;
    let meridiem = rest.get(..2).map(str::to_ascii_lowercase);
    if let Some(meridiem @ ("am" | "pm")) = meridiem.as_deref() {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour = match (meridiem, hour) {
            ("am", 12) => 0,
            ("am", hour) => hour,
            ("pm", 12) => 12,
            (_, hour) => hour + 12,
        };
        rest = rest[2..].trim_start();
    }
    if hour > 23 {
        return None;
    }
    let offset = read_offset(rest)?;
    Some((hour * 3600 + minute * 60 + second.min(59), offset))
}

/// Splits the clock digits (`14:05:09.123`) from what follows them.
fn split_clock(text: &str) -> (&str, &str) {
    let end = text.find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.')).unwrap_or(text.len());
    text.split_at(end)
}

fn small_number(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 2 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Reads nothing (no offset), `Z`, `UTC`, `GMT`, `+02:00`, `+0200` or `+02`.
fn read_offset(text: &str) -> Option<Option<i32>> {
    let text = text.trim();
    if text.is_empty() {
        return Some(None);
    }
    if matches!(text, "Z" | "z" | "UTC" | "GMT") {
        return Some(Some(0));
    }
    let text = text.strip_prefix("UTC").or_else(|| text.strip_prefix("GMT")).unwrap_or(text);
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = text[1..].chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = if digits.len() == 4 { digits[2..].parse().ok()? } else { 0 };
    if hours > 14 || minutes > 59 {
        return None;
    }
    Some(Some(sign * (hours * 3600 + minutes * 60)))
}

/// Earliest and latest instants accepted as Unix epoch values: 1980-01-01 and 2100-01-01.
/// A narrower window than the type allows keeps counters and ids from passing as times.
pub const EPOCH_SECONDS_RANGE: std::ops::Range<i64> = 315_532_800..4_102_444_800;

/// The unit of a column of Unix times.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EpochUnit {
    Seconds,
    Milliseconds,
}

/// Parses a Unix time in the given unit, with an optional fraction (`1704067200.5`).
pub fn parse_epoch(cell: &str, unit: EpochUnit) -> Option<Timestamp> {
    let text = trim_cell(cell);
    let whole = text.split_once('.').map_or(text, |(whole, fraction)| {
        if !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit()) { whole } else { "" }
    });
    if whole.is_empty() || whole.len() > 14 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: i64 = whole.parse().ok()?;
    let seconds = match unit {
        EpochUnit::Seconds => value,
        EpochUnit::Milliseconds => value.div_euclid(1000),
    };
    EPOCH_SECONDS_RANGE.contains(&seconds).then_some(Timestamp { seconds })
}

/// Excel serial day numbers accepted as dates: 1954-10-04 (20,000) to 2119-01-08 (80,000).
pub const EXCEL_SERIAL_RANGE: std::ops::Range<f64> = 20_000.0..80_000.0;

/// Converts an Excel serial date (days since 1899-12-30, the 1900 date system, with the time
/// as a fraction of a day) to an instant, taken as written.
pub fn excel_serial_to_timestamp(serial: f64) -> Option<Timestamp> {
    if !serial.is_finite() || !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let days = serial.floor() as i64;
    let seconds_of_day = ((serial - serial.floor()) * 86_400.0).round() as i64;
    Some(Timestamp { seconds: Timestamp::start_of(epoch).seconds + days * 86_400 + seconds_of_day })
}

/// Parses a cell holding an Excel serial date within the plausible range (see
/// `EXCEL_SERIAL_RANGE`).
pub fn parse_excel_serial(cell: &str) -> Option<Timestamp> {
    let text = trim_cell(cell);
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let serial: f64 = text.parse().ok()?;
    EXCEL_SERIAL_RANGE.contains(&serial).then(|| excel_serial_to_timestamp(serial)).flatten()
}

/// Parses a calendar date or timestamp written year first (or as `YYYYMMDD`) and returns its
/// date; for day/month dates use [`read_written_date`] with the column's order.
pub fn parse_date(cell: &str) -> Option<NaiveDate> {
    let date = read_written_date(cell)?;
    if date.order_matters {
        return None;
    }
    date.resolve(DateOrder::MonthFirst).map(Timestamp::date)
}

/// Formats an instant as `YYYY-MM-DD HH:MM:SS` (UTC), the form workbook cells are turned into.
pub fn format_timestamp(timestamp: Timestamp) -> String {
    let moment: NaiveDateTime = timestamp.to_naive();
    moment.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Parses the common spellings of a yes/no flag: yes/no, y/n, true/false, t/f, 1/0.
pub fn parse_bool(cell: &str) -> Option<bool> {
    let text = trim_cell(cell);
    if text.len() > 5 {
        return None;
    }
    let spelled = |spellings: &[&str]| spellings.iter().any(|spelling| text.eq_ignore_ascii_case(spelling));
    if spelled(&["yes", "y", "true", "t", "1"]) {
        Some(true)
    } else if spelled(&["no", "n", "false", "f", "0"]) {
        Some(false)
    } else {
        None
    }
}

/// Returns true for a whole number written without sign, decimals or separators.
pub fn is_plain_integer(cell: &str) -> bool {
    let text = trim_cell(cell);
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Parses a non-negative whole count (`3`, `3.0`), as replies and reopens are written.
pub fn parse_count(cell: &str) -> Option<u32> {
    let text = trim_cell(cell);
    let whole = text.strip_suffix(".0").unwrap_or(text);
    if whole.is_empty() || whole.len() > 9 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    whole.parse().ok()
}

/// Parses a survey score: a whole number from −99 to 999 (`7`, `7.0`), or `None`.
pub fn parse_score(cell: &str) -> Option<i16> {
    let text = trim_cell(cell);
    let whole = text.strip_suffix(".0").unwrap_or(text);
    let (negative, digits) = match whole.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, whole),
    };
    if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: i16 = digits.parse().ok()?;
    Some(if negative { -value } else { value })
}

/// Parses a duration written `HH:MM:SS` or `HH:MM` (Freshdesk's `(in hrs)` columns) into
/// seconds.
pub fn parse_clock_duration(cell: &str) -> Option<u32> {
    let mut fields = trim_cell(cell).split(':');
    let hours: u32 = fields.next()?.parse().ok()?;
    let minutes: u32 = fields.next()?.parse().ok()?;
    let seconds: u32 = fields.next().map_or(Some(0), |field| field.parse().ok())?;
    (fields.next().is_none() && minutes < 60 && seconds < 60).then(|| hours * 3600 + minutes * 60 + seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cents(cell: &str) -> Option<i64> {
        parse_money(cell).map(|money| money.micros / 10_000)
    }

    fn comma_cents(cell: &str) -> Option<i64> {
        parse_number(cell, DecimalSeparator::Comma).map(|number| number.value.micros / 10_000)
    }

    #[test]
    fn money_accepts_common_spellings() {
        assert_eq!(cents("11.77"), Some(1177));
        assert_eq!(cents("  12 "), Some(1200));
        assert_eq!(cents("$1,234.50"), Some(123450));
        assert_eq!(cents("-0.5"), Some(-50));
        assert_eq!(cents("(12.50)"), Some(-1250));
        assert_eq!(cents(".25"), Some(25));
        assert_eq!(cents("USD 12.00"), Some(1200));
        assert_eq!(cents("-$5"), Some(-500));
        assert_eq!(cents("$-5"), Some(-500));
        assert_eq!(parse_money("0.000001").map(|m| m.micros), Some(1));
    }

    #[test]
    fn currency_codes_are_returned() {
        let number = parse_number("USD 12.00", DecimalSeparator::Point).unwrap();
        assert_eq!(number.currency, Some(*b"USD"));
        let number = parse_number("12,00 €", DecimalSeparator::Comma).unwrap();
        assert_eq!(number.currency, Some(*b"EUR"));
        assert_eq!(number.value, Money::from_cents(1200));
        assert_eq!(parse_number("$3", DecimalSeparator::Point).unwrap().currency, None);
    }

    #[test]
    fn decimal_comma_numbers() {
        assert_eq!(comma_cents("1.234,56"), Some(123456));
        assert_eq!(comma_cents("1 234,56"), Some(123456));
        assert_eq!(comma_cents("-3,5"), Some(-350));
        assert_eq!(cents("1.234,56"), None);
        assert_eq!(cents("12,00"), None);
    }

    #[test]
    fn percent_is_flagged() {
        let number = parse_number("12.5%", DecimalSeparator::Point).unwrap();
        assert!(number.percent);
        assert_eq!(number.value, Money::from_cents(1250));
    }

    #[test]
    fn money_rejects_text_and_bad_grouping() {
        assert_eq!(parse_money("abc"), None);
        assert_eq!(parse_money(""), None);
        assert_eq!(parse_money("1,23.00"), None);
        assert_eq!(parse_money("1.2345678"), None);
        assert_eq!(parse_money("12a"), None);
        assert_eq!(parse_money("USD"), None);
        assert_eq!(parse_money("1."), None);
    }

    #[test]
    fn dates_in_supported_formats() {
        let day = NaiveDate::from_ymd_opt(1997, 1, 12);
        assert_eq!(parse_date("19970112"), day);
        assert_eq!(parse_date("1997-01-12"), day);
        assert_eq!(parse_date("1997/01/12"), day);
        assert_eq!(parse_date("1997-01-12 23:10:00"), day);
        assert_eq!(parse_date("1997-01-12T23:10"), day);
        assert_eq!(parse_date("12 Jan 1997"), day);
        assert_eq!(parse_date("Jan 12, 1997"), day);
        assert_eq!(parse_date("12-Jan-1997"), day);
        assert_eq!(parse_date("1997-01-12T23:30:00-02:00"), NaiveDate::from_ymd_opt(1997, 1, 13));
    }

    #[test]
    fn day_and_month_order_is_a_parameter() {
        let written = read_written_date("03/04/2024").unwrap();
        assert!(written.order_matters);
        let month_first = written.resolve(DateOrder::MonthFirst).unwrap().date();
        let day_first = written.resolve(DateOrder::DayFirst).unwrap().date();
        assert_eq!(month_first, NaiveDate::from_ymd_opt(2024, 3, 4).unwrap());
        assert_eq!(day_first, NaiveDate::from_ymd_opt(2024, 4, 3).unwrap());
        assert!(read_written_date("25/04/2024").unwrap().proves_day_first());
        assert!(read_written_date("04/25/2024").unwrap().proves_month_first());
    }

    #[test]
    fn twelve_hour_times_and_offsets() {
        let written = read_written_date("2024-01-31 3:05 PM").unwrap();
        assert_eq!(written.seconds_of_day, 15 * 3600 + 5 * 60);
        let written = read_written_date("1/31/2024 12:10 AM").unwrap();
        assert_eq!(written.seconds_of_day, 600);
        let written = read_written_date("2024-01-31T10:00:00+0200").unwrap();
        assert_eq!(written.offset_seconds, Some(7200));
        assert_eq!(written.resolve(DateOrder::MonthFirst).unwrap().to_naive().to_string(), "2024-01-31 08:00:00");
        assert!(read_written_date("2024-01-31 13:05 PM").is_none());
    }

    #[test]
    fn epoch_and_excel_serials() {
        assert_eq!(parse_epoch("1704067200", EpochUnit::Seconds).unwrap().seconds, 1_704_067_200);
        assert_eq!(parse_epoch("1704067200123", EpochUnit::Milliseconds).unwrap().seconds, 1_704_067_200);
        assert_eq!(parse_epoch("42", EpochUnit::Seconds), None);
        let serial = parse_excel_serial("45292.5").unwrap();
        assert_eq!(serial.to_naive().to_string(), "2024-01-01 12:00:00");
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

    #[test]
    fn counts_scores_and_durations() {
        assert_eq!(parse_count("3"), Some(3));
        assert_eq!(parse_count("-1"), None);
        assert_eq!(parse_score("-99"), Some(-99));
        assert_eq!(parse_score("9.0"), Some(9));
        assert_eq!(parse_clock_duration("01:30:00"), Some(5400));
    }

    #[test]
    fn month_names_in_any_case() {
        assert_eq!(month_number("Sept"), Some(9));
        assert_eq!(month_number("sep."), Some(9));
        assert_eq!(month_number("SEPTEMBER"), Some(9));
        assert_eq!(month_number("Janu"), Some(1));
        assert_eq!(month_number("junk"), None);
        assert_eq!(month_number("mayo"), None);
        assert_eq!(month_number("septembers"), None);
        assert_eq!(month_number("jänner"), None);
    }

    #[test]
    fn trim_cell_matches_trim() {
        for cell in ["", " ", "a", " a", "a ", "ab", "\u{a0}x\u{a0}", "x\u{3000}", "\tx y\n", "é", "x"] {
            assert_eq!(trim_cell(cell), cell.trim(), "{cell:?}");
        }
    }

    #[test]
    fn markers_and_flags_ignore_case() {
        assert!(is_missing("N/a"));
        assert!(is_missing(" NULL "));
        assert!(!is_missing("nulls"));
        assert_eq!(parse_bool("YES"), Some(true));
        assert_eq!(parse_bool(" False"), Some(false));
        assert_eq!(parse_bool("yess"), None);
    }

    #[test]
    fn iso_shapes_read_directly() {
        let written = iso_date_time(b"2024-02-29 23:59:60").unwrap();
        assert_eq!(written.seconds_of_day, 23 * 3600 + 59 * 60 + 59);
        assert!(written.has_time);
        assert_eq!(iso_date_time(b"2023-02-29"), None);
        assert_eq!(iso_date_time(b"2024-01-31 24:00"), None);
        assert_eq!(iso_date_time(b"2024-01-31 10:00Z"), None);
        assert_eq!(read_written_date("2024-01-31T10:00:00Z").unwrap().offset_seconds, Some(0));
    }

    /// Resolves a date through chrono alone, the reference for [`WrittenDate::resolve`].
    fn resolve_with_chrono(written: &WrittenDate, order: DateOrder) -> Option<Timestamp> {
        let (month, day) = match (written.order_matters, order) {
            (true, DateOrder::DayFirst) => (written.second, written.first),
            _ => (written.first, written.second),
        };
        let midnight = Timestamp::start_of(NaiveDate::from_ymd_opt(written.year, month, day)?).seconds;
        let offset = i64::from(written.offset_seconds.unwrap_or(0));
        Some(Timestamp { seconds: midnight + i64::from(written.seconds_of_day) - offset })
    }

    #[test]
    fn calendar_arithmetic_matches_chrono() {
        for year in [0, 1, 4, 99, 100, 400, 1600, 1899, 1900, 1969, 1970, 2000, 2024, 2100, 9999] {
            for month in 0..=13 {
                for day in 0..=32 {
                    let chrono_days = NaiveDate::from_ymd_opt(year, month, day).map(|date| Timestamp::start_of(date).seconds / 86_400);
                    let own_days = is_valid_date(year, month, day).then(|| days_since_unix_epoch(year, month, day));
                    assert_eq!(own_days, chrono_days, "{year}-{month}-{day}");
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn resolve_matches_chrono(
            year in -300_000i32..300_000,
            first in 0u32..40,
            second in 0u32..40,
            order_matters in proptest::bool::ANY,
            seconds_of_day in 0u32..86_400,
            offset_seconds in proptest::option::of(-50_400i32..50_400),
        ) {
            let year = if year.abs() < 150_000 { year / 15 } else { year };
            let written = WrittenDate { year, first, second, order_matters, seconds_of_day, has_time: true, offset_seconds };
            for order in [DateOrder::MonthFirst, DateOrder::DayFirst] {
                proptest::prop_assert_eq!(written.resolve(order), resolve_with_chrono(&written, order));
                proptest::prop_assert_eq!(written.is_valid(order), written.resolve(order).is_some());
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn iso_day_matches_full_reader(
            days in proptest::collection::vec(
                (
                    2023i32..2025,
                    proptest::sample::select(vec![1u32, 2, 13]),
                    proptest::sample::select(vec![0u32, 1, 29, 30, 31]),
                    proptest::collection::vec((0u32..26, 0u32..62, 0u32..62, proptest::sample::select(vec![" ", "T", "x"]), proptest::bool::ANY), 1..6),
                ),
                1..12,
            ),
        ) {
            let mut day = IsoDay::default();
            for (year, month, date, times) in days {
                for (hour, minute, second, separator, with_seconds) in times {
                    let mut cell = format!("{year:04}-{month:02}-{date:02}{separator}{hour:02}:{minute:02}");
                    if with_seconds {
                        cell.push_str(&format!(":{second:02}"));
                    }
                    let full = read_written_date(&cell).and_then(|written| written.resolve(DateOrder::MonthFirst));
                    let cached = day.timestamp(cell.as_bytes()).or(full);
                    proptest::prop_assert_eq!(cached, full, "{}", cell);
                }
            }
        }
    }

    /// [`parse_number`] before its byte filter and digit shortcut were added.
    fn number_without_shortcuts(cell: &str, decimal: DecimalSeparator) -> Option<Number> {
        let text = cell.trim();
        let first = *text.as_bytes().first()?;
        if !(first.is_ascii_digit() || first.is_ascii_uppercase() || b"-+(.$".contains(&first) || !first.is_ascii()) {
            return None;
        }
        parse_decorated_number(text, decimal)
    }

    proptest::proptest! {
        #[test]
        fn plain_numbers_match_general_reader(cell in "[0-9]{0,20}([.,][0-9]{0,8})?|[0-9.,]{1,12}") {
            for decimal in [DecimalSeparator::Point, DecimalSeparator::Comma] {
                if let Some(micros) = plain_number_micros(cell.as_bytes(), decimal) {
                    proptest::prop_assert_eq!(Some(micros), parse_unsigned_decimal(&cell, decimal), "{:?}", decimal);
                }
            }
        }

        #[test]
        fn number_shortcuts_change_no_result(cell in "[0-9 .,'()%$+\\-A-Za-z:/_\t\u{a0}\u{2212}\u{202f}€£]{0,12}") {
            for decimal in [DecimalSeparator::Point, DecimalSeparator::Comma] {
                proptest::prop_assert_eq!(parse_number(&cell, decimal), number_without_shortcuts(&cell, decimal));
            }
        }

        #[test]
        fn iso_reader_agrees_with_general_reader(cell in "[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?|[0-9 T:-]{10,19}") {
            if let Some(fast) = iso_date_time(cell.as_bytes()) {
                proptest::prop_assert_eq!(Some(fast), read_any_written_date(&cell));
            }
        }
    }
}
