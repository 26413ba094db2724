//! Instants as UTC seconds since 1970, calendar arithmetic on them, and the fixed text forms the
//! exports use. Formatting goes through integers only, so it reads the same on every target.

use std::fmt::Write;

use chrono::{DateTime, Datelike, Months, NaiveDate, Timelike};

pub const MINUTE: i64 = 60;
pub const HOUR: i64 = 3_600;
pub const DAY: i64 = 86_400;

/// The days since 1970-01-01 of the day that contains `instant`.
pub fn day_number(instant: i64) -> i64 {
    instant.div_euclid(DAY)
}

/// The weekday of a day number, Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday).
pub fn weekday(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

/// The first instant of a calendar day.
pub fn start_of(date: NaiveDate) -> i64 {
    date.and_hms_opt(0, 0, 0).map(|moment| moment.and_utc().timestamp()).unwrap_or_default()
}

/// Adds calendar months to an instant, keeping the time of day. A day of month that the target
/// month lacks is clamped to its last day (Jan 31 + 1 month = Feb 28 or 29), as Stripe bills.
pub fn add_months(instant: i64, months: u32) -> i64 {
    let Some(moment) = DateTime::from_timestamp(instant, 0) else {
        return instant;
    };
    moment
        .naive_utc()
        .checked_add_months(Months::new(months))
        .map(|later| later.and_utc().timestamp())
        .unwrap_or(instant)
}

/// Appends `YYYY-MM-DD HH:MM:SS`.
pub fn push_datetime(out: &mut String, instant: i64) {
    let moment = DateTime::from_timestamp(instant, 0).unwrap_or_default().naive_utc();
    let _ = write!(
        out,
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        moment.year(),
        moment.month(),
        moment.day(),
        moment.hour(),
        moment.minute(),
        moment.second()
    );
}

/// `YYYY-MM-DD HH:MM:SS`, the form Stripe and Zendesk exports use for UTC times.
pub fn datetime(instant: i64) -> String {
    let mut text = String::with_capacity(19);
    push_datetime(&mut text, instant);
    text
}

/// `YYYY-MM-DD HH:MM`, the form HubSpot exports use.
pub fn datetime_minutes(instant: i64) -> String {
    let mut text = datetime(instant);
    text.truncate(16);
    text
}

/// `YYYY-MM-DD`.
pub fn date(instant: i64) -> String {
    let mut text = datetime(instant);
    text.truncate(10);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_months_clamps_to_month_end() {
        let january_31 = start_of(NaiveDate::from_ymd_opt(2025, 1, 31).unwrap()) + 3 * HOUR;
        assert_eq!(datetime(add_months(january_31, 1)), "2025-02-28 03:00:00");
        assert_eq!(datetime(add_months(january_31, 2)), "2025-03-31 03:00:00");
    }

    #[test]
    fn weekday_starts_on_monday() {
        let monday = day_number(start_of(NaiveDate::from_ymd_opt(2026, 10, 26).unwrap()));
        assert_eq!(weekday(monday), 0);
        assert_eq!(weekday(monday + 6), 6);
    }
}
