//! Calendar months as periods: half-open `[first day, first day of the next month)`.

use chrono::{Datelike, NaiveDate};

/// A calendar month, ordered in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// Months since year 0: `year * 12 + month - 1`.
    index: i32,
}

impl Month {
    pub fn of(date: NaiveDate) -> Self {
        Month { index: date.year() * 12 + date.month0() as i32 }
    }

    pub fn from_year_month(year: i32, month: u32) -> Self {
        Month { index: year * 12 + month as i32 - 1 }
    }

    pub fn year(self) -> i32 {
        self.index.div_euclid(12)
    }

    /// The month number, 1 to 12.
    pub fn month(self) -> u32 {
        self.index.rem_euclid(12) as u32 + 1
    }

    pub fn next(self) -> Self {
        Month { index: self.index + 1 }
    }

    pub fn previous(self) -> Self {
        Month { index: self.index - 1 }
    }

    /// Returns how many months `self` lies after `earlier` (negative when before).
    pub fn months_since(self, earlier: Month) -> i32 {
        self.index - earlier.index
    }

    pub fn plus(self, months: i32) -> Self {
        Month { index: self.index + months }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.month(), 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MIN)
    }

    /// Returns true when the month's last day is on or before `as_of`, so it has ended.
    pub fn is_complete(self, as_of: NaiveDate) -> bool {
        self.last_day() <= as_of
    }

    /// Formats as `1997-01`.
    pub fn label(self) -> String {
        format!("{:04}-{:02}", self.year(), self.month())
    }

    /// Formats as `Jan 1997`, for chart axes and card captions.
    pub fn short_label(self) -> String {
        const NAMES: [&str; 12] =
            ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        format!("{} {}", NAMES[self.month() as usize - 1], self.year())
    }
}

/// Returns the latest month that has ended by `as_of`.
pub fn latest_complete_month(as_of: NaiveDate) -> Month {
    let month = Month::of(as_of);
    if month.is_complete(as_of) {
        month
    } else {
        month.previous()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    #[test]
    fn months_cross_year_boundaries() {
        let december = Month::of(day(1997, 12, 31));
        assert_eq!(december.next().label(), "1998-01");
        assert_eq!(december.next().months_since(Month::from_year_month(1997, 1)), 12);
        assert_eq!(Month::from_year_month(2024, 2).last_day(), day(2024, 2, 29));
    }

    #[test]
    fn a_month_is_complete_on_its_last_day() {
        assert!(Month::from_year_month(1998, 6).is_complete(day(1998, 6, 30)));
        assert!(!Month::from_year_month(1998, 6).is_complete(day(1998, 6, 29)));
        assert_eq!(latest_complete_month(day(1998, 6, 29)).label(), "1998-05");
    }
}
