//! Column profiles: how many values of a whole column fit each value type, and the format
//! (decimal separator, date order, epoch unit) that the column's values decide.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::kinds::Timestamp;
use super::values::{
    is_plain_integer, parse_bool, trim_cell, parse_epoch, parse_excel_serial, parse_number, read_written_date,
    iso_date_time, DateOrder, IsoDay, DecimalSeparator, EpochUnit, Number, WrittenDate, EPOCH_SECONDS_RANGE,
    EXCEL_SERIAL_RANGE,
};

/// The share of non-missing values that must parse for a column to take a type. The values
/// that do not parse are reported as row problems when the column is used.
const TYPE_THRESHOLD: f64 = 0.95;

/// Distinct values are counted up to this many, enough to tell segments from identifiers.
const DISTINCT_CAP: usize = 1000;

/// Digit runs at least this long are identifiers (card numbers, order ids), never numbers:
/// past 15 significant digits a float loses them, so spreadsheets show them wrongly too.
const IDENTIFIER_DIGITS: usize = 16;

/// The type a column's values have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ValueType {
    Date,
    Bool,
    Number,
    Text,
}

/// How a date column writes its instants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DateEncoding {
    Written(DateOrder),
    Epoch(EpochUnit),
    ExcelSerial,
}

/// What a column's values were decided to be, and how to read each cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnFormat {
    pub value_type: ValueType,
    pub decimal: DecimalSeparator,
    pub dates: DateEncoding,
    /// True when the column's dates carry a time of day.
    pub has_time: bool,
}

impl Default for ColumnFormat {
    fn default() -> Self {
        ColumnFormat {
            value_type: ValueType::Text,
            decimal: DecimalSeparator::Point,
            dates: DateEncoding::Written(DateOrder::MonthFirst),
            has_time: false,
        }
    }
}

impl ColumnFormat {
    /// Parses a cell as an instant in this column's date encoding.
    pub fn timestamp(&self, cell: &str) -> Option<Timestamp> {
        match self.dates {
            DateEncoding::Written(order) => read_written_date(cell)?.resolve(order),
            DateEncoding::Epoch(unit) => parse_epoch(cell, unit),
            DateEncoding::ExcelSerial => parse_excel_serial(cell),
        }
    }

    /// Parses a cell as [`ColumnFormat::timestamp`] does. Of an ISO date and time on the day of
    /// the last one read through `day`, it reads only the time of day.
    pub fn timestamp_with(&self, cell: &str, day: &mut IsoDay) -> Option<Timestamp> {
        if matches!(self.dates, DateEncoding::Written(_)) {
            if let Some(instant) = day.timestamp(trim_cell(cell).as_bytes()) {
                return Some(instant);
            }
        }
        self.timestamp(cell)
    }

    /// Parses a cell as a number with this column's decimal separator.
    pub fn number(&self, cell: &str) -> Option<Number> {
        parse_number(cell, self.decimal)
    }

    /// Returns true when the cell parses as this column's type (missing cells never do).
    pub fn accepts(&self, cell: &str) -> bool {
        match self.value_type {
            ValueType::Date => self.timestamp(cell).is_some(),
            ValueType::Bool => parse_bool(cell).is_some(),
            ValueType::Number => self.number(cell).is_some(),
            ValueType::Text => true,
        }
    }
}

/// A choice made from a column's values that the values could not settle, for the UI to ask
/// about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ambiguity {
    /// Every date had both numbers at 12 or below, so month first was assumed.
    DateOrder { column: String, examples: Vec<String> },
    /// Every number fitted both a decimal point and a decimal comma, so `assumed` was used:
    /// the separator that the file's other columns or its field separator suggest.
    DecimalSeparator { column: String, examples: Vec<String>, assumed: DecimalSeparator },
}

/// A "no answer" code found among a column's scores and read as a missing value, because
/// the user gave no missing-value markers (see [`ColumnProfile::score_sentinel`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetectedSentinel {
    pub value: String,
    pub column: String,
    /// Cells of `column` that hold `value`.
    pub cells: usize,
}

/// A cell of 1 to 12 digits, a point and 1 to 6 digits (`316.66`), as amounts are written.
#[derive(Clone, Copy, Debug)]
struct PlainDecimal {
    whole: u64,
    whole_digits: usize,
    /// The digits after the point as a whole number (`66` for `316.66`).
    fraction: u64,
    fraction_digits: usize,
}

impl PlainDecimal {
    fn of(cell: &str) -> Option<PlainDecimal> {
        // A byte scan finds the point in a short cell faster than `str::split_once`.
        let bytes = cell.as_bytes();
        let point = bytes.iter().position(|byte| *byte == b'.')?;
        let (whole, fraction) = (&bytes[..point], &bytes[point + 1..]);
        let value = |digits: &[u8]| digits.iter().try_fold(0u64, |value, byte| byte.is_ascii_digit().then(|| value * 10 + u64::from(byte - b'0')));
        if !(1..=12).contains(&whole.len()) || !(1..=6).contains(&fraction.len()) {
            return None;
        }
        Some(PlainDecimal { whole: value(whole)?, whole_digits: whole.len(), fraction: value(fraction)?, fraction_digits: fraction.len() })
    }
}

/// Counts over every value of one column.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ColumnProfile {
    pub non_missing: usize,
    /// Dates that parse whatever the order, and order-dependent ones that are valid both ways.
    pub dates: usize,
    pub dates_with_time: usize,
    pub day_first_proofs: usize,
    pub month_first_proofs: usize,
    /// Order-dependent dates that are only valid day first, or only month first.
    pub day_first_only: usize,
    pub month_first_only: usize,
    pub bools: usize,
    pub point_numbers: usize,
    pub comma_numbers: usize,
    /// Numbers that parse with one decimal separator but not with the other.
    pub point_only: usize,
    pub comma_only: usize,
    /// Numbers written with a decimal mark, as amounts are.
    pub fractional_numbers: usize,
    pub percents: usize,
    pub epoch_seconds: usize,
    pub epoch_milliseconds: usize,
    pub excel_serials: usize,
    /// Whole numbers with a leading zero, as identifiers often are (`00042`).
    pub zero_padded: usize,
    /// Digit runs of at least 16 digits.
    pub long_digit_runs: usize,
    /// The smallest and largest whole-number value, for survey scales.
    pub min_integer: Option<i64>,
    pub max_integer: Option<i64>,
    pub integers: usize,
    /// Cells that are exactly `0` or `1`, which flags and counts share.
    pub zero_ones: usize,
    /// The first [`DISTINCT_CAP`] distinct values, each with the number of cells counted
    /// through it (see [`ColumnProfile::of`]).
    distinct: FxHashMap<String, usize>,
    /// The keys of `distinct` in the order the column first had them, so that the profiles of
    /// a file's parts merge into the profile of the whole file ([`ColumnProfile::merge`]).
    first_seen: Vec<String>,
    distinct_overflow: bool,
}

/// After the distinct values overflow, cells keep being looked up among them for this many
/// cells, and for good only when at least half of those were found there.
const LOOKUP_TRIAL_CELLS: usize = 10_000;

impl ColumnProfile {
    /// Profiles every value of a column; `is_missing` decides which cells have no value.
    ///
    /// Each of the first [`DISTINCT_CAP`] distinct values is read once, however often it
    /// appears, and its counts are multiplied by its cells. Values past the cap are read cell by
    /// cell.
    pub fn of<'a>(cells: impl IntoIterator<Item = &'a str>, is_missing: impl Fn(&str) -> bool) -> Self {
        let mut profile = ColumnProfile::default();
        let (mut look_up, mut trial_cells, mut trial_hits) = (true, 0, 0);
        for cell in cells.into_iter().filter(|cell| !is_missing(cell)) {
            let found = profile.add(trim_cell(cell), look_up);
            if profile.distinct_overflow && look_up {
                trial_cells += 1;
                trial_hits += usize::from(found);
                look_up = trial_cells < LOOKUP_TRIAL_CELLS || trial_hits * 2 >= trial_cells;
            }
        }
        profile.count_distinct_values();
        profile
    }

    /// Counts one non-missing, trimmed cell. A cell among the remembered distinct values only
    /// has its tally raised, and only when `look_up` is true; returns true when that happened.
    fn add(&mut self, cell: &str, look_up: bool) -> bool {
        self.non_missing += 1;
        if look_up {
            if let Some(tally) = self.distinct.get_mut(cell) {
                *tally += 1;
                return true;
            }
        }
        if self.distinct.len() < DISTINCT_CAP {
            self.distinct.insert(cell.to_string(), 1);
            self.first_seen.push(cell.to_string());
        } else {
            self.distinct_overflow = true;
            self.add_value(cell);
        }
        false
    }

    /// Adds the counts of every remembered distinct value, times its tally.
    fn count_distinct_values(&mut self) {
        let distinct = std::mem::take(&mut self.distinct);
        for (value, tally) in &distinct {
            let mut single = ColumnProfile::default();
            single.add_value(value);
            self.add_repeated(&single, *tally);
        }
        self.distinct = distinct;
    }

    /// Adds the counts of `single`, the profile of one value, as if that value had been seen
    /// `times` times.
    fn add_repeated(&mut self, single: &ColumnProfile, times: usize) {
        // Destructuring names every field, so a new count cannot be left out here.
        let ColumnProfile {
            non_missing: _,
            dates,
            dates_with_time,
            day_first_proofs,
            month_first_proofs,
            day_first_only,
            month_first_only,
            bools,
            point_numbers,
            comma_numbers,
            point_only,
            comma_only,
            fractional_numbers,
            percents,
            epoch_seconds,
            epoch_milliseconds,
            excel_serials,
            zero_padded,
            long_digit_runs,
            min_integer,
            max_integer,
            integers,
            zero_ones,
            distinct: _,
            first_seen: _,
            distinct_overflow: _,
        } = single;
        self.dates += dates * times;
        self.dates_with_time += dates_with_time * times;
        self.day_first_proofs += day_first_proofs * times;
        self.month_first_proofs += month_first_proofs * times;
        self.day_first_only += day_first_only * times;
        self.month_first_only += month_first_only * times;
        self.bools += bools * times;
        self.point_numbers += point_numbers * times;
        self.comma_numbers += comma_numbers * times;
        self.point_only += point_only * times;
        self.comma_only += comma_only * times;
        self.fractional_numbers += fractional_numbers * times;
        self.percents += percents * times;
        self.epoch_seconds += epoch_seconds * times;
        self.epoch_milliseconds += epoch_milliseconds * times;
        self.excel_serials += excel_serials * times;
        self.zero_padded += zero_padded * times;
        self.long_digit_runs += long_digit_runs * times;
        self.integers += integers * times;
        self.zero_ones += zero_ones * times;
        if let (Some(min), Some(max)) = (min_integer, max_integer) {
            self.min_integer = Some(self.min_integer.map_or(*min, |current| current.min(*min)));
            self.max_integer = Some(self.max_integer.map_or(*max, |current| current.max(*max)));
        }
    }

    /// Adds the profile of the rows that follow this profile's rows in the same column. The
    /// result equals the profile of both parts read as one column: every count is a sum, and
    /// the distinct values are the first [`DISTINCT_CAP`] in file order.
    pub fn merge(&mut self, later: &ColumnProfile) {
        self.non_missing += later.non_missing;
        self.add_repeated(later, 1);
        if self.distinct_overflow {
            return;
        }
        for value in &later.first_seen {
            let tally = later.distinct.get(value).copied().unwrap_or(0);
            if let Some(known) = self.distinct.get_mut(value) {
                *known += tally;
            } else if self.distinct.len() < DISTINCT_CAP {
                self.distinct.insert(value.clone(), tally);
                self.first_seen.push(value.clone());
            } else {
                self.distinct_overflow = true;
                return;
            }
        }
        self.distinct_overflow = later.distinct_overflow;
    }

    /// Counts what one non-missing, trimmed value can be read as.
    fn add_value(&mut self, cell: &str) {
        let first = cell.as_bytes()[0];
        if first.is_ascii_alphabetic() && cell.len() <= 5 && parse_bool(cell).is_some() {
            self.bools += 1;
            return;
        }
        // The two most common shapes, ISO dates and plain decimals such as amounts, are
        // counted straight from their parts; neither can be read as the other.
        if let Some(written) = iso_date_time(cell.as_bytes()) {
            self.count_date(written);
        } else if let Some(decimal) = PlainDecimal::of(cell) {
            self.count_plain_decimal(decimal);
        } else {
            self.add_date(cell);
            self.add_number(cell);
        }
    }

    /// Counts a cell of the form `123.45` as [`Self::add_number`] would.
    fn count_plain_decimal(&mut self, decimal: PlainDecimal) {
        // With a decimal comma, the point groups thousands: `1.234` is 1234 and `12.34` is not
        // a number.
        let comma_reads_it = decimal.whole_digits <= 3 && decimal.fraction_digits == 3;
        self.fractional_numbers += 1;
        if decimal.fraction == 0 {
            self.count_integer(decimal.whole as i64);
        }
        self.epoch_seconds += usize::from(EPOCH_SECONDS_RANGE.contains(&(decimal.whole as i64)));
        // The fraction stays below 1, so the serial is in range exactly when its whole part is.
        self.excel_serials += usize::from(EXCEL_SERIAL_RANGE.contains(&(decimal.whole as f64)));
        self.point_numbers += 1;
        self.comma_numbers += usize::from(comma_reads_it);
        self.point_only += usize::from(!comma_reads_it);
    }

    fn add_date(&mut self, cell: &str) {
        if let Some(written) = read_written_date(cell) {
            self.count_date(written);
        }
    }

    fn count_date(&mut self, written: WrittenDate) {
        let month_first = written.is_valid(DateOrder::MonthFirst);
        // Both orders read a date whose order does not matter the same way.
        let day_first = if written.order_matters { written.is_valid(DateOrder::DayFirst) } else { month_first };
        match (month_first, day_first) {
            (true, true) => self.dates += 1,
            (true, false) => self.month_first_only += 1,
            (false, true) => self.day_first_only += 1,
            (false, false) => return,
        }
        if written.proves_day_first() {
            self.day_first_proofs += 1;
        }
        if written.proves_month_first() {
            self.month_first_proofs += 1;
        }
        if written.has_time {
            self.dates_with_time += 1;
        }
    }

    fn add_number(&mut self, cell: &str) {
        if is_plain_integer(cell) {
            self.add_plain_integer(cell);
            return;
        }
        let point = parse_number(cell, DecimalSeparator::Point);
        let comma = parse_number(cell, DecimalSeparator::Comma);
        if let Some(number) = point.or(comma) {
            if number.percent {
                self.percents += 1;
            }
            let micros = number.value.micros;
            if micros % 1_000_000 != 0 || cell.contains(['.', ',']) {
                self.fractional_numbers += 1;
            }
            if micros % 1_000_000 == 0 {
                self.count_integer(micros / 1_000_000);
            }
            if parse_epoch(cell, EpochUnit::Seconds).is_some() {
                self.epoch_seconds += 1;
            }
            if parse_excel_serial(cell).is_some() {
                self.excel_serials += 1;
            }
        }
        self.point_numbers += usize::from(point.is_some());
        self.comma_numbers += usize::from(comma.is_some());
        self.point_only += usize::from(point.is_some() && comma.is_none());
        self.comma_only += usize::from(comma.is_some() && point.is_none());
    }

    fn add_plain_integer(&mut self, cell: &str) {
        self.point_numbers += 1;
        self.comma_numbers += 1;
        if cell == "0" || cell == "1" {
            self.zero_ones += 1;
        }
        if cell.len() > 1 && cell.starts_with('0') {
            self.zero_padded += 1;
        }
        if cell.len() >= IDENTIFIER_DIGITS {
            self.long_digit_runs += 1;
            return;
        }
        // Fewer than 16 digits always fit an i64, and exactly an f64.
        let Ok(value) = cell.parse::<i64>() else { return };
        self.count_integer(value);
        self.epoch_seconds += usize::from(cell.len() <= 10 && EPOCH_SECONDS_RANGE.contains(&value));
        self.epoch_milliseconds += usize::from((12..=14).contains(&cell.len()) && EPOCH_SECONDS_RANGE.contains(&(value / 1000)));
        self.excel_serials += usize::from(EXCEL_SERIAL_RANGE.contains(&(value as f64)));
    }

    fn count_integer(&mut self, value: i64) {
        self.integers += 1;
        self.min_integer = Some(self.min_integer.map_or(value, |min| min.min(value)));
        self.max_integer = Some(self.max_integer.map_or(value, |max| max.max(value)));
    }

    /// Returns the number of distinct values, or `None` when there are more than the cap.
    pub fn distinct_count(&self) -> Option<usize> {
        (!self.distinct_overflow).then_some(self.distinct.len())
    }

    /// Returns the distinct values seen (at most the cap), in no particular order.
    pub fn distinct_values(&self) -> impl Iterator<Item = &str> {
        self.distinct.keys().map(String::as_str)
    }

    fn fits(&self, count: usize) -> bool {
        self.non_missing > 0 && count as f64 >= self.non_missing as f64 * TYPE_THRESHOLD
    }

    /// Decides the date order from the values: a first number above 12 proves day first, a
    /// second above 12 proves month first; the majority wins when both appear.
    pub fn date_order(&self) -> (DateOrder, bool) {
        let day_first = self.day_first_proofs + self.day_first_only;
        let month_first = self.month_first_proofs + self.month_first_only;
        let undecided = day_first == 0 && month_first == 0;
        let order = if day_first > month_first { DateOrder::DayFirst } else { DateOrder::MonthFirst };
        (order, undecided)
    }

    /// Decides the decimal separator: values that only parse with a comma decide for it.
    pub fn decimal_separator(&self) -> DecimalSeparator {
        if self.comma_only > self.point_only {
            DecimalSeparator::Comma
        } else {
            DecimalSeparator::Point
        }
    }

    /// Returns true when the column's numbers are as readable with a decimal comma as with a
    /// point: some value has a decimal mark and none proves either separator. That includes
    /// columns where every value is whole one way (`3,250` is 3250 with a point).
    pub fn decimal_is_undecided(&self) -> bool {
        self.comma_only == 0 && self.point_only == 0 && self.fractional_numbers > 0
    }

    /// Decides the column's format from all of its values. `names_a_time` is true when the
    /// header names a date or time, which is needed before epoch numbers and Excel serials are
    /// read as instants.
    pub fn format(&self, names_a_time: bool) -> ColumnFormat {
        let mut format = ColumnFormat::default();
        if self.non_missing == 0 {
            return format;
        }
        let (order, _) = self.date_order();
        let readable_dates = self.dates
            + match order {
                DateOrder::DayFirst => self.day_first_only,
                DateOrder::MonthFirst => self.month_first_only,
            };
        format.decimal = self.decimal_separator();
        format.has_time = self.dates_with_time > 0;
        let numbers = match format.decimal {
            DecimalSeparator::Point => self.point_numbers,
            DecimalSeparator::Comma => self.comma_numbers,
        };

        if self.fits(readable_dates) {
            format.value_type = ValueType::Date;
            format.dates = DateEncoding::Written(order);
        } else if self.fits(self.bools + self.zero_ones) {
            format.value_type = ValueType::Bool;
        } else if names_a_time && self.fits(self.epoch_milliseconds) {
            (format.value_type, format.dates, format.has_time) = (ValueType::Date, DateEncoding::Epoch(EpochUnit::Milliseconds), true);
        } else if names_a_time && self.fits(self.epoch_seconds) {
            (format.value_type, format.dates, format.has_time) = (ValueType::Date, DateEncoding::Epoch(EpochUnit::Seconds), true);
        } else if names_a_time && self.fits(self.excel_serials) {
            (format.value_type, format.dates) = (ValueType::Date, DateEncoding::ExcelSerial);
            format.has_time = self.fractional_numbers > 0;
        } else if self.fits(numbers) && self.long_digit_runs == 0 {
            format.value_type = ValueType::Number;
        } else {
            format.value_type = ValueType::Text;
        }
        format
    }

    /// Returns the most specific type that nearly all non-missing values fit, for a header
    /// that names no time.
    pub fn value_type(&self) -> ValueType {
        self.format(false).value_type
    }

    /// Returns true when the column looks like an identifier: zero-padded or very long digit
    /// runs, or values in which nearly every one is different and none has decimals.
    pub fn looks_like_identifier(&self) -> bool {
        if self.non_missing == 0 {
            return false;
        }
        let mostly_zero_padded = self.zero_padded * 2 >= self.non_missing;
        let long_digits = self.long_digit_runs * 2 >= self.non_missing;
        let many_distinct = self.distinct_count().is_none_or(|count| count * 2 >= self.non_missing);
        let whole_numbers = self.fractional_numbers == 0;
        mostly_zero_padded
            || long_digits
            || (many_distinct && whole_numbers && self.value_type() != ValueType::Date && self.bools == 0)
    }

    /// Returns true for a categorical column: text or flags with 2 to 50 distinct values.
    pub fn looks_like_segment(&self) -> bool {
        let few_values = self.distinct_count().is_some_and(|count| (2..=50).contains(&count));
        let categorical = matches!(self.value_type(), ValueType::Text | ValueType::Bool);
        few_values && categorical && self.non_missing > 0
    }

    /// Returns a "no answer" code among 0–10 scores, with its number of cells: the column's
    /// only value outside 0 to 10, a minus sign and one to four nines (`-9`, `-99`, `-999`,
    /// `-9999`), as survey tools write a skipped question. Every other value must be a whole
    /// number from 0 to 10, and the scores must outnumber the code.
    pub fn score_sentinel(&self) -> Option<(&str, usize)> {
        if self.distinct_overflow {
            return None;
        }
        let mut sentinel = None;
        let mut scores = 0;
        for (value, cells) in &self.distinct {
            let nines = value.strip_prefix('-').is_some_and(|digits| (1..=4).contains(&digits.len()) && digits.bytes().all(|digit| digit == b'9'));
            if nines && sentinel.is_none() {
                sentinel = Some((value.as_str(), *cells));
            } else if value.parse::<u8>().is_ok_and(|score| score <= 10) {
                scores += cells;
            } else {
                return None;
            }
        }
        sentinel.filter(|(_, cells)| scores > *cells)
    }

    /// Returns true for a column of whole numbers in a survey's range (0 to 10).
    pub fn looks_like_scores(&self) -> bool {
        let whole = self.fits(self.integers) && self.fractional_numbers == 0;
        let in_range = self.min_integer.is_some_and(|min| min >= 0) && self.max_integer.is_some_and(|max| (1..=10).contains(&max));
        whole && in_range
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::values::is_missing;

    fn profile(cells: &[&str]) -> ColumnProfile {
        ColumnProfile::of(cells.iter().copied(), is_missing)
    }

    #[test]
    fn types_follow_the_whole_column() {
        assert_eq!(profile(&["19970101", "19970102"]).value_type(), ValueType::Date);
        assert_eq!(profile(&["Yes", "No", ""]).value_type(), ValueType::Bool);
        assert_eq!(profile(&["1.5", "2", "N/A"]).value_type(), ValueType::Number);
        assert_eq!(profile(&["1.5", "two"]).value_type(), ValueType::Text);
    }

    #[test]
    fn zero_padded_numbers_are_identifiers() {
        assert!(profile(&["00001", "00002", "00002"]).looks_like_identifier());
        assert!(!profile(&["11.77", "12.00"]).looks_like_identifier());
        assert!(profile(&["4111111111111111", "4222222222222222"]).looks_like_identifier());
        assert_eq!(profile(&["4111111111111111", "4222222222222222"]).value_type(), ValueType::Text);
    }

    #[test]
    fn one_day_first_value_decides_the_column() {
        let column = profile(&["01/02/2024", "13/02/2024"]);
        assert_eq!(column.date_order(), (DateOrder::DayFirst, false));
        assert_eq!(column.format(false).dates, DateEncoding::Written(DateOrder::DayFirst));
        assert_eq!(profile(&["01/02/2024", "03/04/2024"]).date_order(), (DateOrder::MonthFirst, true));
    }

    #[test]
    fn decimal_comma_is_decided_per_column() {
        assert_eq!(profile(&["1.234,56", "7,5"]).decimal_separator(), DecimalSeparator::Comma);
        assert_eq!(profile(&["1,234.56", "7.5"]).decimal_separator(), DecimalSeparator::Point);
    }

    #[test]
    fn epoch_numbers_need_a_time_header() {
        let column = profile(&["1704067200", "1704153600"]);
        assert_eq!(column.format(true).dates, DateEncoding::Epoch(EpochUnit::Seconds));
        assert_eq!(column.format(false).value_type, ValueType::Number);
    }

    proptest::proptest! {
        /// Whole numbers are counted as epochs and Excel serials exactly as the cell parsers
        /// read them, including zero-padded and overlong digit runs.
        #[test]
        fn integer_counts_match_cell_parsers(cell in "[0-9]{1,17}") {
            let column = profile(&[&cell]);
            let seconds = parse_epoch(&cell, EpochUnit::Seconds).is_some() && cell.len() <= 10;
            let milliseconds = parse_epoch(&cell, EpochUnit::Milliseconds).is_some() && cell.len() >= 12;
            let serial = parse_excel_serial(&cell).is_some();
            let identifier = cell.len() >= IDENTIFIER_DIGITS;
            proptest::prop_assert_eq!(column.epoch_seconds, usize::from(seconds && !identifier));
            proptest::prop_assert_eq!(column.epoch_milliseconds, usize::from(milliseconds && !identifier));
            proptest::prop_assert_eq!(column.excel_serials, usize::from(serial && !identifier));
        }
    }

    #[test]
    fn padded_milliseconds_are_not_epochs() {
        let column = profile(&["001704067200123"]);
        assert_eq!(column.epoch_milliseconds, 0);
        assert_eq!(profile(&["1704067200123"]).epoch_milliseconds, 1);
    }

    /// Profiles cells one by one with the general readers alone: no tallies of repeated
    /// values and no shortcuts for ISO dates and plain decimals. The tallies of its distinct
    /// values stay 0.
    fn profile_cell_by_cell(cells: &[String]) -> ColumnProfile {
        let mut column = ColumnProfile::default();
        for cell in cells.iter().filter(|cell| !is_missing(cell)).map(|cell| cell.trim()) {
            column.non_missing += 1;
            if !column.distinct.contains_key(cell) {
                match column.distinct.len() < DISTINCT_CAP {
                    true => {
                        column.distinct.insert(cell.to_string(), 0);
                        column.first_seen.push(cell.to_string());
                    }
                    false => column.distinct_overflow = true,
                }
            }
            if cell.as_bytes()[0].is_ascii_alphabetic() && cell.len() <= 5 && parse_bool(cell).is_some() {
                column.bools += 1;
                continue;
            }
            column.add_date(cell);
            column.add_number(cell);
        }
        column
    }

    /// Profiles cells with [`ColumnProfile::of`] and sets the tallies of its distinct values to
    /// 0, to compare with [`profile_cell_by_cell`].
    fn profile_without_tallies(cells: &[String]) -> ColumnProfile {
        let mut column = ColumnProfile::of(cells.iter().map(String::as_str), is_missing);
        column.distinct.values_mut().for_each(|tally| *tally = 0);
        column
    }

    proptest::proptest! {
        #[test]
        fn shape_shortcuts_change_no_count(cells in proptest::collection::vec(
            "[0-9]{1,14}\\.[0-9]{0,7}|[0-9]{1,3}\\.[0-9]{3}|[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?|[0-9., :T-]{1,20}",
            1..20,
        )) {
            proptest::prop_assert_eq!(profile_without_tallies(&cells), profile_cell_by_cell(&cells));
        }

        #[test]
        fn tallies_change_no_count(cells in proptest::collection::vec("1\\.[0-9]{3}|[0-9]{1,3}|yes|no|N/A|2024-0[1-3]-1[0-9]|0?[1-9]/1[0-9]/2024|Jan [1-9] 2024|[A-Z]{3}", 1..200)) {
            proptest::prop_assert_eq!(profile_without_tallies(&cells), profile_cell_by_cell(&cells));
        }
    }

    /// Profiles `cells` in two parts, split at `at`, and merges the parts' profiles.
    fn profile_in_two_parts(cells: &[String], at: usize) -> ColumnProfile {
        let (first, later) = cells.split_at(at.min(cells.len()));
        let mut column = ColumnProfile::of(first.iter().map(String::as_str), is_missing);
        column.merge(&ColumnProfile::of(later.iter().map(String::as_str), is_missing));
        column.distinct.values_mut().for_each(|tally| *tally = 0);
        column
    }

    proptest::proptest! {
        #[test]
        fn merged_parts_equal_the_whole_column(cells in proptest::collection::vec("[0-9]{1,4}|1\\.[0-9]{3}|yes|N/A|2024-0[1-3]-1[0-9]|[a-c]{1,2}", 0..3000), at in 0usize..3000) {
            proptest::prop_assert_eq!(profile_in_two_parts(&cells, at), profile_without_tallies(&cells));
        }
    }

    #[test]
    fn merged_tallies_equal_the_whole_column() {
        let cells: Vec<String> = (0..900).map(|index| ["-99", "7", "8", "10"][index % 4].to_string()).collect();
        let (first, later) = cells.split_at(300);
        let mut merged = ColumnProfile::of(first.iter().map(String::as_str), is_missing);
        merged.merge(&ColumnProfile::of(later.iter().map(String::as_str), is_missing));
        assert_eq!(merged, ColumnProfile::of(cells.iter().map(String::as_str), is_missing));
        assert_eq!(merged.score_sentinel(), Some(("-99", 225)));
    }

    #[test]
    fn counts_past_the_distinct_cap_match() {
        // Repeated values, then more distinct values than the cap, then repeats again, so that
        // tallies, the lookup trial and cell-by-cell reading all take part.
        let repeated = (0..30_000).map(|index| format!("{}.50", index % 40));
        let distinct = (0..15_000).map(|index| format!("2024-01-{:02} 10:{:02}", 1 + index % 28, index % 60 + index / 1680));
        let cells: Vec<String> = repeated.clone().chain(distinct).chain(repeated).collect();
        let column = profile_without_tallies(&cells);
        assert_eq!(column.distinct_count(), None);
        assert_eq!(column, profile_cell_by_cell(&cells));
    }

    #[test]
    fn plain_decimals_count_both_separators() {
        let column = profile(&["1.234", "45000.50", "12.00"]);
        assert_eq!((column.point_numbers, column.comma_numbers, column.point_only), (3, 1, 2));
        assert_eq!((column.fractional_numbers, column.integers, column.excel_serials), (3, 1, 1));
    }
}
