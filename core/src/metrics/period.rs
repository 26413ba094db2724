//! Calendar periods: days, ISO weeks (Monday start), months, quarters and years, each half-open
//! `[first day, first day of the next period)`.
//!
//! [`Period`] covers every granularity; [`Month`] is the older month-only type that the revenue
//! series and purchase cohorts still use.

use serde::{Deserialize, Serialize};
use chrono::{Datelike, Days, Months, NaiveDate};

use crate::ingest::kinds::Timestamp;

/// The length of the periods a KPI is computed over.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Granularity {
    Day,
    /// ISO 8601 week, Monday to Sunday.
    Week,
    #[default]
    Month,
    Quarter,
    Year,
}

impl Granularity {
    /// Names the granularity in lower case, as in "week".
    pub fn name(self) -> &'static str {
        match self {
            Granularity::Day => "day",
            Granularity::Week => "week",
            Granularity::Month => "month",
            Granularity::Quarter => "quarter",
            Granularity::Year => "year",
        }
    }
}

/// One calendar period, ordered in time within its granularity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Period {
    pub granularity: Granularity,
    /// Consecutive periods have consecutive indices: days since 0001-01-01, weeks since the
    /// Monday 0001-01-01, `year * 12 + month - 1`, `year * 4 + quarter - 1`, or the year.
    index: i64,
}

impl Period {
    /// Returns the period of `granularity` that contains `date`.
    pub fn of(granularity: Granularity, date: NaiveDate) -> Self {
        let index = match granularity {
            Granularity::Day => i64::from(date.num_days_from_ce()) - 1,
            Granularity::Week => (i64::from(date.num_days_from_ce()) - 1).div_euclid(7),
            Granularity::Month => i64::from(date.year()) * 12 + i64::from(date.month0()),
            Granularity::Quarter => i64::from(date.year()) * 4 + i64::from(date.month0() / 3),
            Granularity::Year => i64::from(date.year()),
        };
        Period { granularity, index }
    }

    /// Returns the period of `granularity` that contains the instant `time`.
    pub fn of_instant(granularity: Granularity, time: Timestamp) -> Self {
        Period::of(granularity, time.date())
    }

    /// Returns the period `count` periods later (earlier when negative).
    pub fn plus(self, count: i64) -> Self {
        Period { granularity: self.granularity, index: self.index + count }
    }

    pub fn next(self) -> Self {
        self.plus(1)
    }

    pub fn previous(self) -> Self {
        self.plus(-1)
    }

    /// Returns how many periods `self` lies after `earlier` (negative when before). Both must
    /// have the same granularity.
    pub fn periods_since(self, earlier: Period) -> i64 {
        self.index - earlier.index
    }

    /// The first day of the period, inside it.
    pub fn start(self) -> NaiveDate {
        let date = match self.granularity {
            Granularity::Day => NaiveDate::from_num_days_from_ce_opt(day_number(self.index + 1)),
            Granularity::Week => NaiveDate::from_num_days_from_ce_opt(day_number(self.index * 7 + 1)),
            Granularity::Month => {
                NaiveDate::from_ymd_opt(year_number(self.index.div_euclid(12)), self.index.rem_euclid(12) as u32 + 1, 1)
            }
            Granularity::Quarter => {
                NaiveDate::from_ymd_opt(year_number(self.index.div_euclid(4)), self.index.rem_euclid(4) as u32 * 3 + 1, 1)
            }
            Granularity::Year => NaiveDate::from_ymd_opt(year_number(self.index), 1, 1),
        };
        date.unwrap_or(NaiveDate::MIN)
    }

    /// The first day after the period, outside it: the period is `[start, end)`.
    pub fn end(self) -> NaiveDate {
        self.next().start()
    }

    /// The last day of the period, inside it.
    pub fn last_day(self) -> NaiveDate {
        self.end().pred_opt().unwrap_or(NaiveDate::MIN)
    }

    /// The first instant of the period, 00:00 UTC of its first day.
    pub fn start_instant(self) -> Timestamp {
        Timestamp::start_of(self.start())
    }

    /// The first instant after the period.
    pub fn end_instant(self) -> Timestamp {
        Timestamp::start_of(self.end())
    }

    /// Returns true when `date` falls inside the period.
    pub fn contains(self, date: NaiveDate) -> bool {
        Period::of(self.granularity, date) == self
    }

    /// Returns true when the period's last day is on or before `as_of`, so it has ended.
    pub fn is_complete(self, as_of: NaiveDate) -> bool {
        self.last_day() <= as_of
    }

    /// Returns the number of calendar days in the period.
    pub fn day_count(self) -> i64 {
        (self.end() - self.start()).num_days()
    }

    /// Returns the same period one year earlier: the same date, ISO week number, month or
    /// quarter of the previous year. `None` for 29 February and for ISO week 53 when the
    /// previous ISO year has 52 weeks.
    pub fn year_earlier(self) -> Option<Period> {
        let start = self.start();
        match self.granularity {
            Granularity::Day => start.checked_sub_months(Months::new(12)).filter(|date| date.day() == start.day()).map(|date| Period::of(Granularity::Day, date)),
            Granularity::Week => {
                let week = start.iso_week();
                NaiveDate::from_isoywd_opt(week.year() - 1, week.week(), chrono::Weekday::Mon)
                    .map(|date| Period::of(Granularity::Week, date))
            }
            Granularity::Month => Some(self.plus(-12)),
            Granularity::Quarter => Some(self.plus(-4)),
            Granularity::Year => Some(self.plus(-1)),
        }
    }

    /// Formats the period: `2024-03-05`, `2024-W09` (ISO year and week), `2024-03`, `2024-Q1`
    /// or `2024`.
    pub fn label(self) -> String {
        let start = self.start();
        match self.granularity {
            Granularity::Day => start.format("%Y-%m-%d").to_string(),
            Granularity::Week => format!("{:04}-W{:02}", start.iso_week().year(), start.iso_week().week()),
            Granularity::Month => format!("{:04}-{:02}", start.year(), start.month()),
            Granularity::Quarter => format!("{:04}-Q{}", start.year(), start.month0() / 3 + 1),
            Granularity::Year => format!("{:04}", start.year()),
        }
    }

    /// Formats the period for card captions and chart tooltips: `5 Mar 2024`, `week of 26 Feb 2024`, `Mar 2024`,
    /// `Q1 2024` or `2024`.
    pub fn long_label(self) -> String {
        let start = self.start();
        match self.granularity {
            Granularity::Day => start.format("%-d %b %Y").to_string(),
            Granularity::Week => start.format("week of %-d %b %Y").to_string(),
            Granularity::Month => start.format("%b %Y").to_string(),
            Granularity::Quarter => format!("Q{} {}", start.month0() / 3 + 1, start.year()),
            Granularity::Year => start.year().to_string(),
        }
    }
}

impl From<Month> for Period {
    fn from(month: Month) -> Self {
        Period::of(Granularity::Month, month.first_day())
    }
}

fn day_number(index: i64) -> i32 {
    i32::try_from(index).unwrap_or(i32::MAX)
}

fn year_number(index: i64) -> i32 {
    i32::try_from(index).unwrap_or(i32::MAX)
}

/// Returns every period of `granularity` from the one containing `first` to the one containing
/// `last`, in order; empty when `last` is before `first`.
pub fn periods_between(granularity: Granularity, first: NaiveDate, last: NaiveDate) -> Vec<Period> {
    if last < first {
        return Vec::new();
    }
    let first_period = Period::of(granularity, first);
    let count = Period::of(granularity, last).periods_since(first_period) + 1;
    (0..count).map(|offset| first_period.plus(offset)).collect()
}

/// Returns the latest period of `granularity` that has ended by `as_of`.
pub fn latest_complete(granularity: Granularity, as_of: NaiveDate) -> Period {
    let period = Period::of(granularity, as_of);
    if period.is_complete(as_of) {
        period
    } else {
        period.previous()
    }
}

/// An inclusive range of calendar days, the dashboard's date filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DateRange {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl DateRange {
    pub fn contains(self, date: NaiveDate) -> bool {
        self.first <= date && date <= self.last
    }

    /// Returns the periods of `granularity` that lie wholly inside the range.
    pub fn whole_periods(self, granularity: Granularity) -> Vec<Period> {
        periods_between(granularity, self.first, self.last)
            .into_iter()
            .filter(|period| period.start() >= self.first && period.last_day() <= self.last)
            .collect()
    }
}

/// Returns the date `days` days after `date`, saturating at the calendar's end.
pub fn add_days(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(NaiveDate::MAX)
}

/// A calendar month, ordered in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
    fn iso_weeks_start_on_monday_across_years() {
        // 2020-12-31 is a Thursday of ISO week 2020-W53; 2021-01-04 starts 2021-W01.
        let week = Period::of(Granularity::Week, day(2021, 1, 1));
        assert_eq!(week.label(), "2020-W53");
        assert_eq!(week.start(), day(2020, 12, 28));
        assert_eq!(week.end(), day(2021, 1, 4));
        assert_eq!(week.next().label(), "2021-W01");
        assert_eq!(Period::of(Granularity::Week, day(2024, 12, 30)).label(), "2025-W01");
    }

    #[test]
    fn week_53_has_no_year_earlier_twin() {
        let week_53 = Period::of(Granularity::Week, day(2020, 12, 31));
        assert_eq!(week_53.year_earlier(), None);
        let week_1 = Period::of(Granularity::Week, day(2021, 1, 6));
        assert_eq!(week_1.year_earlier().map(Period::label).as_deref(), Some("2020-W01"));
    }

    #[test]
    fn leap_day_is_a_period_of_its_own() {
        let leap = Period::of(Granularity::Day, day(2024, 2, 29));
        assert_eq!(leap.label(), "2024-02-29");
        assert_eq!(leap.next().label(), "2024-03-01");
        assert_eq!(leap.year_earlier(), None);
        assert_eq!(Period::of(Granularity::Month, day(2024, 2, 10)).day_count(), 29);
        assert_eq!(Period::of(Granularity::Year, day(2024, 7, 1)).day_count(), 366);
    }

    #[test]
    fn quarters_and_years_cross_boundaries() {
        let q4 = Period::of(Granularity::Quarter, day(2023, 11, 15));
        assert_eq!(q4.label(), "2023-Q4");
        assert_eq!(q4.start(), day(2023, 10, 1));
        assert_eq!(q4.next().label(), "2024-Q1");
        assert_eq!(q4.next().periods_since(q4.plus(-3)), 4);
        assert_eq!(Period::of(Granularity::Year, day(1999, 12, 31)).end(), day(2000, 1, 1));
    }

    #[test]
    fn period_completeness_and_ranges() {
        assert!(Period::of(Granularity::Quarter, day(2024, 3, 1)).is_complete(day(2024, 3, 31)));
        assert_eq!(latest_complete(Granularity::Week, day(2024, 1, 6)).label(), "2023-W52");
        assert_eq!(latest_complete(Granularity::Week, day(2024, 1, 7)).label(), "2024-W01");
        assert_eq!(periods_between(Granularity::Month, day(2023, 11, 30), day(2024, 2, 1)).len(), 4);
        let range = DateRange { first: day(2024, 1, 15), last: day(2024, 4, 30) };
        let labels: Vec<String> = range.whole_periods(Granularity::Month).into_iter().map(Period::label).collect();
        assert_eq!(labels, ["2024-02", "2024-03", "2024-04"]);
    }

    #[test]
    fn a_month_is_complete_on_its_last_day() {
        assert!(Month::from_year_month(1998, 6).is_complete(day(1998, 6, 30)));
        assert!(!Month::from_year_month(1998, 6).is_complete(day(1998, 6, 29)));
        assert_eq!(latest_complete_month(day(1998, 6, 29)).label(), "1998-05");
    }
}
