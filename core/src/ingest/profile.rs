//! Column profiles: how many values of a whole column fit each value type.

use std::collections::HashSet;

use super::values::{is_missing, is_plain_integer, parse_bool, parse_date, parse_money};

/// The share of non-missing values that must parse for a column to take a type. The values
/// that do not parse are reported as row problems when the column is used.
const TYPE_THRESHOLD: f64 = 0.95;

/// Distinct values are counted up to this many, enough to tell segments from identifiers.
const DISTINCT_CAP: usize = 1000;

/// The type a column's values have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    Date,
    Bool,
    Number,
    Text,
}

impl ValueType {
    /// Returns true when the cell parses as this type (missing cells never do).
    pub fn accepts(self, cell: &str) -> bool {
        match self {
            ValueType::Date => parse_date(cell).is_some(),
            ValueType::Bool => parse_bool(cell).is_some(),
            ValueType::Number => parse_money(cell).is_some(),
            ValueType::Text => true,
        }
    }
}

/// Counts over every value of one column.
#[derive(Clone, Debug, Default)]
pub struct ColumnProfile {
    pub non_missing: usize,
    pub dates: usize,
    pub bools: usize,
    pub numbers: usize,
    /// Numbers written with a decimal point, as amounts are.
    pub fractional_numbers: usize,
    /// Whole numbers with a leading zero, as identifiers often are (`00042`).
    pub zero_padded: usize,
    distinct: HashSet<String>,
    distinct_overflow: bool,
}

impl ColumnProfile {
    /// Profiles every value of a column.
    pub fn of<'a>(cells: impl IntoIterator<Item = &'a str>) -> Self {
        let mut profile = ColumnProfile::default();
        for cell in cells {
            profile.add(cell);
        }
        profile
    }

    fn add(&mut self, cell: &str) {
        if is_missing(cell) {
            return;
        }
        self.non_missing += 1;

        if parse_date(cell).is_some() {
            self.dates += 1;
        }
        if parse_bool(cell).is_some() {
            self.bools += 1;
        }
        if parse_money(cell).is_some() {
            self.numbers += 1;
            if cell.contains('.') {
                self.fractional_numbers += 1;
            }
        }
        if is_plain_integer(cell) && cell.trim().starts_with('0') && cell.trim().len() > 1 {
            self.zero_padded += 1;
        }
        self.count_distinct(cell);
    }

    fn count_distinct(&mut self, cell: &str) {
        if self.distinct.len() < DISTINCT_CAP {
            self.distinct.insert(cell.trim().to_string());
        } else if !self.distinct.contains(cell.trim()) {
            self.distinct_overflow = true;
        }
    }

    /// Returns the number of distinct values, or `None` when there are more than the cap.
    pub fn distinct_count(&self) -> Option<usize> {
        (!self.distinct_overflow).then_some(self.distinct.len())
    }

    /// Returns the most specific type that nearly all non-missing values fit.
    pub fn value_type(&self) -> ValueType {
        if self.non_missing == 0 {
            return ValueType::Text;
        }
        let fits = |count: usize| count as f64 >= self.non_missing as f64 * TYPE_THRESHOLD;
        if fits(self.dates) {
            ValueType::Date
        } else if fits(self.bools) {
            ValueType::Bool
        } else if fits(self.numbers) {
            ValueType::Number
        } else {
            ValueType::Text
        }
    }

    /// Returns true when the column looks like an identifier: zero-padded whole numbers, or
    /// text in which nearly every value is different.
    pub fn looks_like_identifier(&self) -> bool {
        if self.non_missing == 0 {
            return false;
        }
        let mostly_zero_padded = self.zero_padded * 2 >= self.non_missing;
        let many_distinct = self.distinct_count().is_none_or(|count| count * 2 >= self.non_missing);
        let whole_numbers = self.fractional_numbers == 0;
        mostly_zero_padded || (many_distinct && whole_numbers && self.value_type() != ValueType::Date)
    }

    /// Returns true for a categorical column: text or flags with 2 to 50 distinct values.
    pub fn looks_like_segment(&self) -> bool {
        let few_values = self.distinct_count().is_some_and(|count| (2..=50).contains(&count));
        let categorical = matches!(self.value_type(), ValueType::Text | ValueType::Bool);
        few_values && categorical && self.non_missing > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_follow_the_whole_column() {
        assert_eq!(ColumnProfile::of(["19970101", "19970102"]).value_type(), ValueType::Date);
        assert_eq!(ColumnProfile::of(["Yes", "No", ""]).value_type(), ValueType::Bool);
        assert_eq!(ColumnProfile::of(["1.5", "2", "N/A"]).value_type(), ValueType::Number);
        assert_eq!(ColumnProfile::of(["1.5", "two"]).value_type(), ValueType::Text);
    }

    #[test]
    fn zero_padded_numbers_are_identifiers() {
        assert!(ColumnProfile::of(["00001", "00002", "00002"]).looks_like_identifier());
        assert!(!ColumnProfile::of(["11.77", "12.00"]).looks_like_identifier());
    }
}
