//! Column profiles: how many values of a whole column fit each value type, and the format
//! (decimal separator, date order, epoch unit) that the column's values decide.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

use super::kinds::Timestamp;
use super::values::{
    is_plain_integer, parse_bool, parse_epoch, parse_excel_serial, parse_number, read_written_date,
    DateOrder, DecimalSeparator, EpochUnit, Number,
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
    /// Every number fitted both a decimal point and a decimal comma, so a point was assumed.
    DecimalSeparator { column: String, examples: Vec<String> },
}

/// Counts over every value of one column.
#[derive(Clone, Debug, Default)]
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
    distinct: HashSet<String>,
    distinct_overflow: bool,
}

impl ColumnProfile {
    /// Profiles every value of a column; `is_missing` decides which cells have no value.
    pub fn of<'a>(cells: impl IntoIterator<Item = &'a str>, is_missing: impl Fn(&str) -> bool) -> Self {
        let mut profile = ColumnProfile::default();
        for cell in cells {
            if !is_missing(cell) {
                profile.add(cell.trim());
            }
        }
        profile
    }

    fn add(&mut self, cell: &str) {
        self.non_missing += 1;
        self.count_distinct(cell);
        let first = cell.as_bytes()[0];
        if first.is_ascii_alphabetic() && cell.len() <= 5 && parse_bool(cell).is_some() {
            self.bools += 1;
            return;
        }
        self.add_date(cell);
        self.add_number(cell);
    }

    fn add_date(&mut self, cell: &str) {
        let Some(written) = read_written_date(cell) else { return };
        let month_first = written.resolve(DateOrder::MonthFirst).is_some();
        let day_first = written.resolve(DateOrder::DayFirst).is_some();
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
        if let Ok(value) = cell.parse::<i64>() {
            self.count_integer(value);
        }
        self.epoch_seconds += usize::from(parse_epoch(cell, EpochUnit::Seconds).is_some() && cell.len() <= 10);
        self.epoch_milliseconds += usize::from(parse_epoch(cell, EpochUnit::Milliseconds).is_some() && cell.len() >= 12);
        self.excel_serials += usize::from(parse_excel_serial(cell).is_some());
    }

    fn count_integer(&mut self, value: i64) {
        self.integers += 1;
        self.min_integer = Some(self.min_integer.map_or(value, |min| min.min(value)));
        self.max_integer = Some(self.max_integer.map_or(value, |max| max.max(value)));
    }

    fn count_distinct(&mut self, cell: &str) {
        if self.distinct.len() < DISTINCT_CAP {
            self.distinct.insert(cell.to_string());
        } else if !self.distinct.contains(cell) {
            self.distinct_overflow = true;
        }
    }

    /// Returns the number of distinct values, or `None` when there are more than the cap.
    pub fn distinct_count(&self) -> Option<usize> {
        (!self.distinct_overflow).then_some(self.distinct.len())
    }

    /// Returns the distinct values seen (at most the cap), in no particular order.
    pub fn distinct_values(&self) -> impl Iterator<Item = &str> {
        self.distinct.iter().map(String::as_str)
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
    /// point (`1,234` and `1.234` both appear or only such values appear).
    pub fn decimal_is_undecided(&self) -> bool {
        self.comma_only == 0 && self.point_only == 0 && self.fractional_numbers > 0 && self.integers < self.non_missing
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
}
